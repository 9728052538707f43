/* test_measures.c — each domain measure against hand-worked examples from requirements.md.
 * Dates, unions of ranges, evenly spread hours, best windows, slot matching, names. */
#include "runtime/core/dates.h"
#include "runtime/core/names.h"
#include "runtime/eval/calc.h"
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int32_t D(int y, int m, int d) {
  return imhe_days_from_civil(y, m, d);
}

Test(dates, parse_format_and_impossible_dates) {
  int32_t d;
  cr_expect_eq(imhe_parse_date("2024-02-29", 10, &d), 0);
  char b[11];
  imhe_format_date(d, b);
  cr_expect_str_eq(b, "2024-02-29");
  cr_expect_neq(imhe_parse_date("2026-02-29", 10, &d), 0);
  cr_expect_neq(imhe_parse_date("2026-02-30", 10, &d), 0);
  cr_expect_neq(imhe_parse_date("2026-13-01", 10, &d), 0);
  cr_expect_neq(imhe_parse_date("2026-1-01", 9, &d), 0);
  cr_expect_neq(imhe_parse_date("2026-01-01x", 11, &d), 0);
  cr_expect_eq(D(1970, 1, 1), 0);
}

Test(dates, month_arithmetic_clamps_to_month_end) {
  /* reading 8: a window from 2024-02-29 ends 2026-02-27 */
  cr_expect_eq(imhe_add_months(D(2024, 2, 29), 24) - 1, D(2026, 2, 27));
  cr_expect_eq(imhe_add_months(D(2024, 2, 29), -12), D(2023, 2, 28));
  cr_expect_eq(imhe_add_months(D(2024, 1, 31), 1), D(2024, 2, 29));
}

Test(measures, union_counts_overlaps_once_with_both_ends) {
  struct imhe_range r[] = {{D(2020, 1, 1), D(2020, 12, 31), 0},
                           {D(2020, 7, 1), D(2021, 6, 30), 0},
                           {D(2022, 1, 1), D(2022, 1, 1), 0}};
  cr_expect_eq(imhe_union_days(r, 3), 366 + 181 + 1);
  struct imhe_range adj[] = {{D(2020, 1, 1), D(2020, 1, 10), 0},
                             {D(2020, 1, 11), D(2020, 1, 20), 0}};
  cr_expect_eq(imhe_union_days(adj, 2), 20);
  struct imhe_range bad[] = {{D(2020, 1, 10), D(2020, 1, 1), 0}};
  cr_expect_eq(imhe_union_days(bad, 1), 0);
  /* 2 years are met by exactly 730 days */
  struct imhe_range two[] = {{D(2021, 1, 1), D(2022, 12, 31), 0}};
  cr_expect_eq(imhe_union_days(two, 1), 730);
}

/* A record of many entries (more than the 32 the short sort takes): 40 monthly work entries given
 * newest first, with a gap in 2021-03, join into two spans. */
Test(measures, union_of_many_ranges_out_of_order) {
  struct imhe_range r[40];
  for (int i = 0; i < 40; i++) {
    int y = 2020 + (39 - i) / 12, m = 1 + (39 - i) % 12;
    r[i] = (struct imhe_range){D(y, m, 1), D(y, m, imhe_days_in_month(y, m)), 0};
  }
  r[25].end = r[25].start; /* 2021-03 (39 - 25 = 14 months after 2020-01) holds one day */
  int32_t want = D(2023, 4, 30) - D(2020, 1, 1) + 1 - 30;
  cr_expect_eq(imhe_union_days(r, 40), want);
}

Test(measures, spread_hours_drop_days_after_as_of) {
  struct imhe_range r[] = {{D(2024, 1, 1), D(2024, 1, 10), 10}};
  cr_expect_float_eq(imhe_spread_hours(r, 1, D(2024, 1, 1), D(2024, 12, 31), D(2024, 1, 5)), 5.0,
                     1e-9);
  cr_expect_float_eq(imhe_spread_hours(r, 1, D(2024, 1, 3), D(2024, 1, 4), D(2030, 1, 1)), 2.0,
                     1e-9);
}

Test(measures, best_window_of_evenly_spread_hours) {
  /* 70 h over five years: no 24-month window holds 24 h... */
  struct imhe_range spread[] = {{D(2015, 1, 1), D(2019, 12, 31), 70}};
  int32_t from, to;
  double h = imhe_best_window(spread, 1, 24, D(2024, 6, 1), &from, &to);
  /* 2015-01-01..2019-12-31 is 1826 days; a 24-month window holds 731 of them */
  cr_expect_float_eq(h, 70.0 * 731 / 1826, 1e-9);
  /* ...while 30 h in 16 months fits whole in one window. */
  struct imhe_range crammed[] = {{D(2022, 9, 1), D(2023, 12, 31), 30}};
  h = imhe_best_window(crammed, 1, 24, D(2024, 6, 1), &from, &to);
  cr_expect_float_eq(h, 30.0, 1e-9);
  /* every window from 2022-01-01 to 2022-09-01 holds all 30 h: the latest that ends by
   * the as-of date is named, never one ending in the future */
  cr_expect_eq(from, D(2022, 6, 2));
  cr_expect_eq(to, D(2024, 6, 1));
  /* two entries far apart: the window takes the richer one */
  struct imhe_range two[] = {{D(2010, 1, 1), D(2010, 12, 31), 20},
                             {D(2020, 1, 1), D(2020, 6, 30), 25}};
  h = imhe_best_window(two, 2, 24, D(2024, 6, 1), &from, &to);
  cr_expect_float_eq(h, 25.0, 1e-9);
  /* hours after the as-of date are dropped */
  struct imhe_range future[] = {{D(2024, 1, 1), D(2024, 12, 31), 366}};
  h = imhe_best_window(future, 1, 24, D(2024, 1, 31), &from, &to);
  cr_expect_float_eq(h, 31.0, 1e-9);
  cr_expect_float_eq(imhe_best_window(NULL, 0, 24, D(2024, 1, 1), &from, &to), 0.0, 1e-12);
}

/* The best window may start in the middle of an entry, where the window grows to 731 days
 * over Feb 29: 2018-03-01..2020-02-29 holds exactly 24 h, every other window less. */
Test(measures, best_window_starting_inside_an_entry_over_feb_29) {
  struct imhe_range r[] = {{D(2018, 2, 28), D(2018, 3, 31), 4.8},  /* 0.15 h a day */
                           {D(2018, 4, 1), D(2020, 1, 31), 16.45}, /* whole in the window */
                           {D(2020, 2, 1), D(2020, 3, 10), 3.9}};  /* 0.1 h a day */
  int32_t from, to;
  double h = imhe_best_window(r, 3, 24, D(2020, 6, 1), &from, &to);
  cr_expect_float_eq(h, 24.0, 1e-9);
  cr_expect_eq(from, D(2018, 3, 1));
  cr_expect_eq(to, D(2020, 2, 29));
  /* the windows either side hold 23.95 h */
  cr_expect_float_eq(imhe_spread_hours(r, 3, D(2018, 3, 2), D(2020, 3, 1), D(2020, 6, 1)), 23.95,
                     1e-9);
  cr_expect_float_eq(imhe_spread_hours(r, 3, D(2018, 2, 28), D(2020, 2, 27), D(2020, 6, 1)), 23.95,
                     1e-9);
}

/* No 24-month window ends on 2024-02-28 (2022-02-28's ends 02-27, 2022-03-01's ends 02-29):
 * with that as-of date, the as-of day's hours are held only by a window ending after it,
 * named up to the as-of date. */
Test(measures, best_window_when_no_window_ends_on_the_as_of_date) {
  struct imhe_range r[] = {{D(2024, 2, 28), D(2024, 2, 28), 10}};
  int32_t from, to;
  double h = imhe_best_window(r, 1, 24, D(2024, 2, 28), &from, &to);
  cr_expect_float_eq(h, 10.0, 1e-9);
  cr_expect_eq(from, D(2022, 3, 1));
  cr_expect_eq(to, D(2024, 2, 28));
  /* a day later the window ending on the as-of date holds it */
  h = imhe_best_window(r, 1, 24, D(2024, 2, 29), &from, &to);
  cr_expect_float_eq(h, 10.0, 1e-9);
  cr_expect_eq(from, D(2022, 3, 1));
  cr_expect_eq(to, D(2024, 2, 29));
}

/* ---- property: the best window against a brute force over every start day ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n) { /* xorshift64*, reproducible */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 2685821657736338717ull) >> 33) % n;
}

/* A day near a Feb 29 (or a Feb 28 of a common year) a third of the time, else any day of
 * 2014..2026. */
static int32_t random_day(void) {
  static const int years[] = {2015, 2016, 2017, 2019, 2020, 2021, 2023, 2024, 2025};
  if (rnd(3) == 0)
    return D(years[rnd(9)], 2, 27) + (int32_t)rnd(5); /* Feb 27 .. Mar 2 or 3 */
  return D(2014, 1, 1) + (int32_t)rnd(4748);
}

struct brute {
  double best;
  int32_t from, to;
};

/* Every start day, each day's hours summed from a per-day table: nothing shared with the
 * measure but the calendar. */
static struct brute brute_window(const struct imhe_range *r, size_t n, int months, int32_t as_of) {
  struct brute b = {0, 0, 0};
  int32_t lo = INT32_MAX, hi = INT32_MIN;
  for (size_t i = 0; i < n; i++) {
    if (r[i].start < lo)
      lo = r[i].start;
    if (r[i].end > hi)
      hi = r[i].end;
  }
  if (as_of > hi)
    hi = as_of;
  lo -= months * 31 + 10;
  hi += 2;
  size_t span = (size_t)(hi - lo + 1);
  double *prefix = calloc(span + 1, sizeof *prefix); /* prefix[k]: hours on days lo..lo+k-1 */
  double *day = calloc(span, sizeof *day);
  for (size_t i = 0; i < n; i++) {
    double rate = r[i].hours / ((double)r[i].end - r[i].start + 1);
    for (int32_t t = r[i].start; t <= r[i].end && t <= as_of; t++)
      day[t - lo] += rate;
  }
  for (size_t k = 0; k < span; k++)
    prefix[k + 1] = prefix[k] + day[k];
  int32_t first_after = INT32_MAX;
  double *h = calloc(span, sizeof *h);
  for (int32_t d = lo; d <= hi; d++) {
    int32_t e = imhe_add_months(d, months) - 1;
    if (e > hi)
      e = hi;
    h[d - lo] = prefix[e - lo + 1] - prefix[d - lo];
    if (h[d - lo] > b.best)
      b.best = h[d - lo];
    if (imhe_add_months(d, months) - 1 > as_of && d < first_after)
      first_after = d;
  }
  double tol = 1e-9 * (b.best > 1 ? b.best : 1);
  int found = 0;
  for (int32_t d = hi; d >= lo && !found; d--)
    if (imhe_add_months(d, months) - 1 <= as_of && h[d - lo] >= b.best - tol) {
      b.from = d;
      b.to = imhe_add_months(d, months) - 1;
      found = 1;
    }
  if (!found) {
    b.from = first_after;
    b.to = as_of;
  }
  free(h);
  free(day);
  free(prefix);
  return b;
}

Test(measures, best_window_equals_brute_force_over_every_start_day, .timeout = 120) {
  static const int month_choices[] = {24, 24, 24, 24, 12, 1, 7, 13, 36};
  int cases = 0, nonzero = 0, skipped_end = 0;
  for (int it = 0; it < 4000; it++) {
    struct imhe_range r[6];
    size_t n = 1 + rnd(6);
    for (size_t i = 0; i < n; i++) {
      int32_t s = random_day();
      uint32_t kind = rnd(4);
      int32_t len = kind == 0   ? (int32_t)rnd(31)
                    : kind == 1 ? (int32_t)rnd(800)
                                : (int32_t)rnd(2200);
      if (rnd(4) == 0) /* end near a Feb 29 too */
        len = random_day() - s;
      if (len < 0)
        len = -len;
      r[i].start = s;
      r[i].end = s + len;
      r[i].hours = rnd(5) == 0 ? 0 : (double)rnd(400) / 4; /* quarter hours, some zero */
    }
    int months = month_choices[rnd(9)];
    int32_t as_of = rnd(3) == 0 ? random_day() : r[rnd((uint32_t)n)].start + (int32_t)rnd(900);
    int32_t from, to;
    double h = imhe_best_window(r, n, months, as_of, &from, &to);
    struct brute b = brute_window(r, n, months, as_of);
    cr_assert_float_eq(h, b.best, 1e-7 * (b.best > 1 ? b.best : 1),
                       "case %d (%zu entries, %d months): best %.9f, brute force %.9f", it, n,
                       months, h, b.best);
    if (b.best > 0) {
      cr_assert(from == b.from && to == b.to,
                "case %d (%zu entries, %d months): window %d..%d, brute force %d..%d", it, n,
                months, from, to, b.from, b.to);
      cr_assert_leq(to, as_of, "case %d: a window ending in the future", it);
      nonzero++;
      skipped_end += to == as_of && imhe_add_months(from, months) - 1 != as_of;
    }
    cases++;
  }
  cr_expect_geq(nonzero, 2000, "most random cases hold some hours (%d of %d)", nonzero, cases);
  cr_expect_geq(skipped_end, 1, "some case has an as-of date no window ends on");
}

Test(measures, slot_matching_is_a_matching_not_a_greedy_pass) {
  enum { PS = 1 << 0, SUP = 1 << 1, TEACH = 1 << 2, RSC = 1 << 7, COL = 1 << 5 };
  /* slot 1 accepts PS or TEACH; slot 2 RSC; slot 3 SUP, PS, TEACH or COL.
   * A greedy pass giving the PS reference to slot 1 leaves slot 3 empty when
   * the only other is a TEACH...: here refs PS, TEACH, RSC fill all three. */
  uint32_t slots[] = {PS | TEACH, RSC, SUP | PS | TEACH | COL};
  uint32_t refs[] = {PS, TEACH, RSC};
  int sr[3];
  cr_expect_eq(imhe_match_slots(refs, 3, slots, 3, sr), 3);
  /* order that defeats greedy: the first reference fits both slots 1 and 3, the second only slot 1
   */
  uint32_t slots2[] = {PS | TEACH, SUP | PS};
  uint32_t refs2[] = {PS, TEACH};
  cr_expect_eq(imhe_match_slots(refs2, 2, slots2, 2, sr), 2);
  cr_expect_eq(sr[0], 1);
  cr_expect_eq(sr[1], 0);
  uint32_t refs3[] = {PS, PS};
  uint32_t slots3[] = {PS, RSC};
  cr_expect_eq(imhe_match_slots(refs3, 2, slots3, 2, sr), 1);
  cr_expect_eq(sr[1], -1);
}

Test(measures, names_compare_without_case_or_surrounding_spaces) {
  cr_expect(imhe_names_equal("Maria Lopez", 11, "  maria LOPEZ ", 14));
  cr_expect(!imhe_names_equal("Maria Lopez", 11, "Maria Lopes", 11));
  cr_expect(!imhe_names_equal("", 0, "", 0));
}
