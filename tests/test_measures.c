/* test_measures.c — each domain measure against hand-worked examples from requirements.md.
 * Dates, unions of ranges, evenly spread hours, best windows, slot matching, names. */
#include "../runtime/dates.h"
#include "../runtime/measure.h"
#include <criterion/criterion.h>
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
  cr_expect_eq(from, D(2022, 9, 1));
  cr_expect_eq(to, D(2024, 8, 31));
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
