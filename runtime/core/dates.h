/* dates.h — calendar dates as days since 1970-01-01 (proleptic Gregorian).
 * Month arithmetic clamps to the month's end, as requirements.md reading 8 says. */
#ifndef IMHE_DATES_H
#define IMHE_DATES_H

#include "runtime/core/export.h"
#include <stddef.h>
#include <stdint.h>

int32_t imhe_days_from_civil(int y, int m, int d);
IMHE_INTERNAL_API void imhe_civil_from_days(int32_t z, int *y, int *m, int *d);
/* The two conversions' common case inline, for the best window's walk (calc.c), which converts
 * some ten days a record: Neri and Schneider's forms (dates.c) for the years and days below, the
 * rest given to the functions above. */
static inline int imhe_year_is_near(int y) {
  return y > -32800 && y <= 1000000;
}
static inline int imhe_day_is_near(int32_t z) {
  return z >= -12000000 && z <= 100000000;
}
static inline int32_t imhe_days_from_civil_near(int y, int m, int d) {
  const uint32_t j = m <= 2, yy = (uint32_t)(y + 32800) - j,
                 mm = j ? (uint32_t)m + 12 : (uint32_t)m;
  const uint32_t c = yy / 100;
  const uint32_t n = 1461 * yy / 4 - c + c / 4 + (979 * mm - 2919) / 32 + (uint32_t)d;
  return (int32_t)(n - 12699423u);
}
static inline void imhe_civil_from_days_near(int32_t z0, int *y, int *m, int *d) {
  const uint32_t s = 82, k = 719468 + 146097 * s, l = 400 * s;
  uint32_t n1 = 4 * ((uint32_t)z0 + k) + 3, c = n1 / 146097, nc = n1 % 146097 / 4;
  uint64_t p2 = (uint64_t)2939745 * (4 * nc + 3);
  uint32_t z = (uint32_t)(p2 >> 32), ny = (uint32_t)p2 / 2939745 / 4;
  uint32_t n3 = 2141 * ny + 197913, mo = n3 >> 16, j = ny >= 306;
  *y = (int)(100 * c + z - l + j);
  *m = (int)(j ? mo - 12 : mo);
  *d = (int)((n3 & 0xFFFF) / 2141 + 1);
}
static inline int32_t imhe_days_from_civil_fast(int y, int m, int d) {
  return imhe_year_is_near(y) ? imhe_days_from_civil_near(y, m, d) : imhe_days_from_civil(y, m, d);
}
static inline void imhe_civil_from_days_fast(int32_t z0, int *y, int *m, int *d) {
  if (imhe_day_is_near(z0))
    imhe_civil_from_days_near(z0, y, m, d);
  else
    imhe_civil_from_days(z0, y, m, d);
}
int imhe_days_in_month(int y, int m);
/* Whether year y has a February 29: divisible by 4 and not by 100 unless by 400, said as by 4 and
 * not by 25 unless by 16 (the same years), which compiles to masks and a multiplication where the
 * plain form takes two divisions. */
static inline int imhe_leap_year(int y) {
  return (y & 3) == 0 && (y % 25 != 0 || (y & 15) == 0);
}
/* Parses exactly YYYY-MM-DD; 0 ok, -1 malformed or impossible. */
IMHE_INTERNAL_API int imhe_parse_date(const char *s, size_t n, int32_t *out);
/* Writes YYYY-MM-DD into buf (at least 11 bytes). */
IMHE_INTERNAL_API void imhe_format_date(int32_t days, char *buf);
/* The date `months` calendar months after `d` (negative: before), clamped to month end. */
int32_t imhe_add_months(int32_t d, int months);
IMHE_INTERNAL_API int32_t imhe_today(void);

/* Months of `deadlines every year on Mon D`; a longer spelling is matched by its first three
 * letters (`March 15`). */
#define IMHE_MONTHS(X)                                                                             \
  X("Jan")                                                                                         \
  X("Feb")                                                                                         \
  X("Mar")                                                                                         \
  X("Apr")                                                                                         \
  X("May")                                                                                         \
  X("Jun")                                                                                         \
  X("Jul")                                                                                         \
  X("Aug")                                                                                         \
  X("Sep")                                                                                         \
  X("Oct")                                                                                         \
  X("Nov")                                                                                         \
  X("Dec")

#endif
