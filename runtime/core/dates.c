/* dates.c — civil date conversions (Howard Hinnant's days-from-civil method).
 * Pure functions; no time zone is ever consulted except by imhe_today. */
#include "runtime/core/dates.h"
#include <time.h>

/* Hinnant's days from civil: every year an int holds. */
static int32_t days_any(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + (int)doe - 719468);
}

/* Neri and Schneider's rata die (2021) for years after -32,800 to 1,000,000 (dates of records and
 * windows, by far), in unsigned 32-bit arithmetic with a year shifted positive by 82 periods of
 * 400 years, the multiplications standing for divisions: a third fewer instructions than
 * Hinnant's; the two agree on every day of that range (checked one by one when it was written). Its
 * body is dates.h's imhe_days_from_civil_near, inline there for the best window. */
int32_t imhe_days_from_civil(int y, int m, int d) {
  return imhe_year_is_near(y) ? imhe_days_from_civil_near(y, m, d) : days_any(y, m, d);
}

/* Hinnant's method: every day an int32_t holds. */
static void civil_any(int32_t z0, int *y, int *m, int *d) {
  int64_t z = (int64_t)z0 + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Neri and Schneider's Euclidean affine form of the same (2021): unsigned 32-bit arithmetic,
 * half the instructions, for the days of some 30,000 years before 1970 and 270,000 after (the
 * best window converts a few dozen days a record); Hinnant's beyond. The two agree on every day
 * of that range (checked one by one when it was written). Its body is dates.h's
 * imhe_civil_from_days_near. */
void imhe_civil_from_days(int32_t z0, int *y, int *m, int *d) {
  if (imhe_day_is_near(z0))
    imhe_civil_from_days_near(z0, y, m, d);
  else
    civil_any(z0, y, m, d);
}

int imhe_days_in_month(int y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && imhe_leap_year(y))
    return 29;
  return dm[m - 1];
}

int imhe_parse_date(const char *s, size_t n, int32_t *out) {
  if (n != 10 || s[4] != '-' || s[7] != '-')
    return -1;
  int v[3] = {0, 0, 0};
  static const int pos[3][2] = {{0, 4}, {5, 2}, {8, 2}};
  for (int k = 0; k < 3; k++)
    for (int i = 0; i < pos[k][1]; i++) {
      char c = s[pos[k][0] + i];
      if (c < '0' || c > '9')
        return -1;
      v[k] = v[k] * 10 + (c - '0');
    }
  if (v[0] < 1800 || v[0] > 2200 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
      v[2] > imhe_days_in_month(v[0], v[1]))
    return -1;
  *out = imhe_days_from_civil(v[0], v[1], v[2]);
  return 0;
}

void imhe_format_date(int32_t days, char *buf) {
  int y, m, d;
  imhe_civil_from_days(days, &y, &m, &d);
  unsigned v[3] = {(unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u};
  buf[0] = (char)('0' + v[0] / 1000);
  buf[1] = (char)('0' + v[0] / 100 % 10);
  buf[2] = (char)('0' + v[0] / 10 % 10);
  buf[3] = (char)('0' + v[0] % 10);
  buf[4] = buf[7] = '-';
  buf[5] = (char)('0' + v[1] / 10);
  buf[6] = (char)('0' + v[1] % 10);
  buf[8] = (char)('0' + v[2] / 10);
  buf[9] = (char)('0' + v[2] % 10);
  buf[10] = 0;
}

int32_t imhe_add_months(int32_t day, int months) {
  int y, m, d;
  imhe_civil_from_days(day, &y, &m, &d);
  int total = y * 12 + (m - 1) + months;
  int ny = total / 12, nm = total % 12 + 1;
  int dim = imhe_days_in_month(ny, nm);
  return imhe_days_from_civil(ny, nm, d > dim ? dim : d);
}

int32_t imhe_today(void) {
  time_t t = time(NULL);
  struct tm tm;
  localtime_r(&t, &tm);
  return imhe_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
