/* dates.h — calendar dates as days since 1970-01-01 (proleptic Gregorian).
 * Month arithmetic clamps to the month's end, as requirements.md reading 8 says. */
#ifndef IMHE_DATES_H
#define IMHE_DATES_H

#include "runtime/core/export.h"
#include <stddef.h>
#include <stdint.h>

int32_t imhe_days_from_civil(int y, int m, int d);
IMHE_INTERNAL_API void imhe_civil_from_days(int32_t z, int *y, int *m, int *d);
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
