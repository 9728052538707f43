/* test_staff_api.c — the policy-staff calls of include/imhe.h used as a program would: test mode
 * keeps `expect:` blocks, imhe_test_run's differences as data (located, with the rule), coverage
 * counts, two policies compared, two results of one record compared; and their misuse (NULL
 * handles, indices out of range) answered with safe values, never a crash. */
#include "helpers.h"
#include "include/imhe.h"
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static imhe_policy_set *open_set(const char *path) {
  imhe_policy_set *set;
  imhe_error e;
  imhe_open_options oo = {.no_cache_write = 1};
  cr_assert_eq(imhe_policy_set_open(path, &oo, &set, &e), IMHE_OK, "%s", e.message);
  return set;
}

/* The first record of path read for set (test mode or not), judged. */
static imhe_result *judge_first(const imhe_policy_set *set, const char *path, int test_mode,
                                imhe_record **rec) {
  imhe_source *src;
  imhe_error e;
  imhe_code rc = test_mode ? imhe_source_open_tests(set, &path, 1, &src, &e)
                           : imhe_source_open_paths(set, &path, 1, &src, &e);
  cr_assert_eq(rc, IMHE_OK, "%s", e.message);
  cr_assert_eq(imhe_source_next(src, rec, &e), IMHE_OK, "%s", e.message);
  imhe_source_close(src);
  imhe_result *res;
  cr_assert_eq(imhe_judge(set, *rec, NULL, &res, &e), IMHE_OK, "%s", e.message);
  return res;
}

Test(staff_api, a_test_record_and_its_differences_as_data) {
  imhe_policy_set *set = open_set("rules");
  imhe_record *rec;
  imhe_result *res = judge_first(set, "tests/policytests/fail.yaml", 1, &rec);
  cr_assert_eq(imhe_test_run(res, NULL), IMHE_OK);
  cr_assert_eq(imhe_test_run(res, NULL), IMHE_OK, "a second run gives the same");
  cr_expect_eq(imhe_test_line(res), 14);
  cr_assert_eq(imhe_test_difference_count(res), 3);
  imhe_test_difference d;
  cr_assert(imhe_test_difference_at(res, 0, &d));
  cr_expect_eq(d.line, 15);
  cr_expect_eq(d.column, 12);
  cr_expect_eq(d.malformed, 0);
  cr_expect_str_eq(d.what, "verdict");
  cr_expect_str_eq(d.expected, "eligible");
  cr_expect_str_eq(d.actual, "not_eligible");
  cr_expect_null(d.rule);
  cr_assert(imhe_test_difference_at(res, 1, &d));
  cr_expect_str_eq(d.what, "rule training_hours: observed");
  cr_expect_str_eq(d.expected, "40");
  cr_expect_str_eq(d.actual, "36");
  cr_assert_not_null(d.rule);
  cr_expect_str_eq(imhe_rule_id(d.rule), "training_hours");
  cr_assert(imhe_test_difference_at(res, 2, &d));
  cr_expect_str_eq(d.expected, "masters or higher");
  cr_expect_str_eq(d.actual, "bachelors");
  cr_expect(!imhe_test_difference_at(res, 3, &d), "past the end");
  /* the record read in test mode has no warning about its expect: block */
  for (size_t i = 0; i < imhe_result_message_count(res); i++) {
    imhe_error m;
    imhe_result_message(res, i, NULL, &m);
    cr_expect(!strstr(m.message, "expect"), "%s", m.message);
  }
  /* coverage of that one result */
  imhe_coverage *cov;
  cr_assert_eq(imhe_coverage_open(set, &cov, NULL), IMHE_OK);
  imhe_coverage_add(cov, res);
  size_t n = imhe_coverage_count(cov), hits = 0;
  cr_expect_gt(n, 100);
  for (size_t i = 0; i < n; i++) {
    imhe_coverage_item it;
    cr_assert(imhe_coverage_at(cov, i, &it));
    if (!strcmp(it.policy, "wi") && !strcmp(it.kind, "rule") && !strcmp(it.name, "training_hours"))
      hits += it.passed == 1 && it.failed == 0 && it.line == 31;
  }
  cr_expect_eq(hits, 1);
  imhe_coverage_item it;
  cr_expect(!imhe_coverage_at(cov, n, &it));
  imhe_coverage_close(cov);
  imhe_result_free(res);
  imhe_record_free(rec);
  /* out of test mode the same record keeps no expectations: the test says so */
  res = judge_first(set, "tests/policytests/fail.yaml", 0, &rec);
  imhe_test_run(res, NULL);
  cr_assert_eq(imhe_test_difference_count(res), 1);
  imhe_test_difference_at(res, 0, &d);
  cr_expect(d.malformed && strstr(d.what, "needs an 'expect:' block"), "%s", d.what);
  imhe_result_free(res);
  imhe_record_free(rec);
  imhe_policy_set_close(set);
}

Test(staff_api, two_policies_and_two_results_compared) {
  imhe_policy_set *a = open_set("rules/ct.imhe"), *b = open_set("examples/policies/ct-2025.imhe");
  imhe_policy_diff *d;
  cr_assert_eq(imhe_policy_diff_open(a, b, &d, NULL), IMHE_OK);
  size_t n = imhe_policy_diff_count(d), found = 0;
  for (size_t i = 0; i < n; i++) {
    imhe_difference x;
    cr_assert(imhe_policy_diff_at(d, i, &x));
    found += !strcmp(x.what, "base alliance-2025") && !strcmp(x.change, "added") && !x.old_text &&
             !strcmp(x.new_text, "from 2025-01-01 until open");
  }
  cr_expect_eq(found, 1, "%zu differences", n);
  imhe_policy_diff_close(d);

  imhe_record *ra, *rb;
  imhe_result *x = judge_first(a, "examples/ct-ecfs-eligible.yaml", 0, &ra),
              *y = judge_first(b, "examples/ct-ecfs-eligible.yaml", 0, &rb);
  imhe_rule_change ch[64];
  size_t k = imhe_result_changes(x, y, ch, 64), comp = 0;
  cr_expect_gt(k, 0);
  for (size_t i = 0; i < k && i < 64; i++)
    comp +=
        !ch[i].old_rule && ch[i].new_rule && !strcmp(imhe_rule_id(ch[i].new_rule), "competencies");
  cr_expect_eq(comp, 1);
  cr_expect_eq(imhe_result_changes(x, x, ch, 64), 0, "a result differs from nothing in itself");
  cr_expect_eq(imhe_result_changes(x, y, NULL, 0), k, "the count without an array");
  cr_expect_eq(imhe_result_settings_differ(x, x), 0);
  imhe_result_free(x);
  imhe_result_free(y);
  imhe_record_free(ra);
  imhe_record_free(rb);
  imhe_policy_set_close(a);
  imhe_policy_set_close(b);
}

/* One record judged under two sets in one call: a record read for either set; a policy that is
 * the same program in both is not judged (both results NULL); a changed one gives the results
 * imhe_judge gives; a record of a third set, a NULL argument, an unknown association refused. */
Test(staff_api, a_record_judged_under_two_sets_in_one_call) {
  imhe_policy_set *a = open_set("rules"), *same = open_set("rules"),
                  *b = open_set("examples/policies/ct-2025.imhe");
  imhe_record *ct, *wi;
  imhe_result *x = judge_first(a, "examples/ct-ecfs-eligible.yaml", 0, &ct),
              *w = judge_first(a, "examples/wi-ifs-eligible.yaml", 0, &wi);
  imhe_result *ra, *rb;
  imhe_error e;
  cr_expect_eq(imhe_judge_pair(a, same, wi, NULL, &ra, &rb, &e), IMHE_OK, "%s", e.message);
  cr_expect(!ra && !rb, "the same program in both sets is not judged");
  cr_expect_eq(imhe_judge_pair(a, b, ct, NULL, &ra, &rb, &e), IMHE_OK, "%s", e.message);
  cr_assert(ra && rb, "a changed policy is judged under both");
  cr_expect_eq(imhe_result_changes(x, ra, NULL, 0), 0, "the old result is imhe_judge's");
  cr_expect_gt(imhe_result_changes(ra, rb, NULL, 0), 0, "CT 2025 changes the record's rules");
  imhe_result_free(ra);
  imhe_result_free(rb);
  cr_expect_eq(imhe_judge_pair(b, a, ct, NULL, &ra, &rb, &e), IMHE_OK, "the record's set second");
  cr_expect(ra && rb);
  imhe_result_free(ra);
  imhe_result_free(rb);
  cr_expect_eq(imhe_judge_pair(b, same, ct, NULL, &ra, &rb, &e), IMHE_MISMATCH, "a third set's");
  cr_expect(!ra && !rb);
  cr_expect_eq(imhe_judge_pair(a, b, NULL, NULL, &ra, &rb, &e), IMHE_INVALID_ARGUMENT);
  cr_expect_eq(imhe_judge_pair(a, b, ct, NULL, NULL, &rb, &e), IMHE_INVALID_ARGUMENT);
  imhe_judge_options o = {.association = "ZZ"};
  cr_expect_eq(imhe_judge_pair(a, same, ct, &o, &ra, &rb, &e), IMHE_NOT_FOUND);
  o.association = "CT";
  cr_expect_eq(imhe_judge_pair(b, a, ct, &o, &ra, &rb, &e), IMHE_OK, "%s", e.message);
  imhe_result_free(ra);
  imhe_result_free(rb);
  imhe_result_free(x);
  imhe_result_free(w);
  imhe_record_free(ct);
  imhe_record_free(wi);
  imhe_policy_set_close(a);
  imhe_policy_set_close(same);
  imhe_policy_set_close(b);
}

Test(staff_api, misuse_is_an_error_value_never_a_crash) {
  imhe_error e;
  imhe_source *src = (imhe_source *)1;
  const char *p = "x";
  cr_expect_eq(imhe_source_open_tests(NULL, &p, 1, &src, &e), IMHE_INVALID_ARGUMENT);
  cr_expect_null(src);
  cr_expect_eq(imhe_test_run(NULL, &e), IMHE_INVALID_ARGUMENT);
  cr_expect_eq(imhe_test_line(NULL), 0);
  cr_expect_eq(imhe_test_difference_count(NULL), 0);
  imhe_test_difference d;
  cr_expect_eq(imhe_test_difference_at(NULL, 0, &d), 0);
  imhe_coverage *cov = (imhe_coverage *)1;
  cr_expect_eq(imhe_coverage_open(NULL, &cov, &e), IMHE_INVALID_ARGUMENT);
  cr_expect_null(cov);
  imhe_coverage_add(NULL, NULL);
  cr_expect_eq(imhe_coverage_count(NULL), 0);
  imhe_coverage_item it;
  cr_expect_eq(imhe_coverage_at(NULL, 0, &it), 0);
  imhe_coverage_close(NULL);
  imhe_policy_diff *pd = (imhe_policy_diff *)1;
  cr_expect_eq(imhe_policy_diff_open(NULL, NULL, &pd, &e), IMHE_INVALID_ARGUMENT);
  cr_expect_null(pd);
  cr_expect_eq(imhe_policy_diff_count(NULL), 0);
  imhe_difference x;
  cr_expect_eq(imhe_policy_diff_at(NULL, 0, &x), 0);
  imhe_policy_diff_close(NULL);
  imhe_rule_change ch[2];
  cr_expect_eq(imhe_result_changes(NULL, NULL, ch, 2), 0);
  cr_expect_eq(imhe_result_settings_differ(NULL, NULL), 0);
}
