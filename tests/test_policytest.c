/* test_policytest.c — `imhe test` end to end: passing and failing tests, located differences with
 * the rule's explanation, malformed expectations with "did you mean", TAP and JUnit output, exit
 * codes; and the record loader keeping `expect:` only in test mode. */
#include "helpers.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *run_test(const char *args, int *rc) {
  char cmd[2000], *out;
  snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s test %s 2>&1", imhe_bin(), args);
  int r = run_cmd(cmd, &out);
  if (rc)
    *rc = r;
  return out;
}

Test(policytest, every_expectation_that_holds_passes) {
  int rc;
  char *out = run_test("tests/policytests/pass.yaml", &rc);
  cr_expect_eq(rc, 0, "exit %d:\n%s", rc, out);
  cr_expect(strstr(out, "3 passed, 0 failed"), "%s", out);
  free(out);
}

Test(policytest, a_failure_is_located_with_expected_actual_and_the_rule_explained) {
  int rc;
  char *out = run_test("tests/policytests/fail.yaml", &rc);
  cr_expect_eq(rc, 1, "exit %d:\n%s", rc, out);
  cr_expect(strstr(out, "FAIL FAIL-1  tests/policytests/fail.yaml:14"), "%s", out);
  cr_expect(strstr(out, "tests/policytests/fail.yaml:15:12: verdict: expected eligible, got "
                        "not_eligible"),
            "%s", out);
  cr_expect(strstr(out, "fail.yaml:17:32: rule training_hours: observed: expected 40, got 36"),
            "%s", out);
  cr_expect(strstr(out, "fail.yaml:18:38: rule specialist_education: observed: expected masters or "
                        "higher, got bachelors"),
            "%s", out);
  /* the explanation of the rule named, with its source line, and of the rules that failed */
  cr_expect(strstr(out, "[training_hours, rules/legacy.imhe:31]"), "%s", out);
  cr_expect(strstr(out, "[specialist_rsc, rules/legacy.imhe:67]"), "%s", out);
  cr_expect(strstr(out, "RSC period: 0 days; required 365 days"), "%s", out);
  cr_expect(strstr(out, "1 passed, 1 failed"), "%s", out);
  cr_expect(!strstr(out, "PASS-1"), "a passing test is quiet without --verbose:\n%s", out);
  free(out);
  out = run_test("--verbose tests/policytests/fail.yaml", &rc);
  cr_expect(strstr(out, "ok   PASS-1  tests/policytests/fail.yaml:25"), "%s", out);
  free(out);
}

Test(policytest, malformed_expectations_are_located_errors_with_suggestions) {
  int rc;
  char *out = run_test("tests/policytests/malformed.yaml", &rc);
  cr_expect_eq(rc, 2, "exit %d:\n%s", rc, out);
  static const char *const want[] = {
      "malformed.yaml:8:12: error: verdict: unknown verdict 'not_eligable'; did you mean "
      "'not_eligible'?",
      "malformed.yaml:9:18: error: failed_areas: unknown area 'referencs'; did you mean "
      "'references'?",
      "malformed.yaml:11:5: error: rules: the policy has no rule 'speciallist_rsc'; did you mean "
      "'specialist_rsc'?",
      "malformed.yaml:12:22: error: rule training_hours: unknown key 'stats'; did you mean "
      "'status'?",
      "malformed.yaml:13:22: error: rule specialist_work has 2 conditions",
      "malformed.yaml:14:3: error: expect: unknown key 'feez'; did you mean 'fees'?",
      "malformed.yaml:16:1: error: a test record needs an 'expect:' block",
      "malformed.yaml:27:9: error: expect: must be a mapping",
      "malformed.yaml:39:9: error: rule specialist_rsc has no condition 'RSC periode'; did you "
      "mean 'RSC period'?",
      "malformed.yaml:40:9: error: rule specialist_rsc has no condition 'hours of RSC'; its "
      "conditions: 'RSC within 24 months', 'RSC period'",
      "0 passed, 4 failed",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    cr_expect(strstr(out, want[i]), "missing '%s' in:\n%s", want[i], out);
  free(out);
}

/* Every kind of expectation that does not hold is a difference located at its value, with what
 * was expected and what the policy gave; none of them is a malformed test (exit 1, not 2). */
Test(policytest, every_kind_of_difference_is_located_with_expected_and_actual) {
  int rc;
  char *out = run_test("tests/policytests/differ.yaml", &rc);
  cr_expect_eq(rc, 1, "differences are failures, not malformed tests: exit %d:\n%s", rc, out);
  static const char *const want[] = {
      "differ.yaml:26:17: failed areas: expected [rsc], got [rsc, references]",
      "differ.yaml:29:13: rule ethics: expected fail, got pass",
      "differ.yaml:30:5: rule associate_education: expected judged, got not judged for this "
      "record",
      "differ.yaml:33:31: rule specialist_rsc, condition 'RSC within 24 months': status: expected "
      "fail, got pass",
      "differ.yaml:34:32: rule specialist_rsc, condition 'RSC period': required: expected 300, got "
      "365",
      "differ.yaml:35:24: fees: registration: expected not published, got 20.00",
      "differ.yaml:35:42: fees: processing: expected 40.00, got 50.00",
      "differ.yaml:35:86: fees: coupon_applied: expected true, got false",
      "differ.yaml:35:103: fees: published: expected false, got true",
      "differ.yaml:36:18: next deadline: expected none, got 2026-06-15",
      "differ.yaml:37:12: error: expected no such error, got none",
      "differ.yaml:38:14: warning: expected a warning that is not given, got none",
      "differ.yaml:51:18: next deadline: expected 2026-07-01, got 2026-06-15",
      "differ.yaml:52:13: warning: expected not listed, got 48:1: unknown field 'hobby' ignored",
      "differ.yaml:64:11: error: expected not listed, got 61:51: training[0].hours: expected a "
      "number of hours, got 'many'",
      "differ.yaml:65:17: fees: total: expected 70.00, got not published",
      "0 passed, 3 failed",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    cr_expect(strstr(out, want[i]), "missing '%s' in:\n%s", want[i], out);
  /* a condition's own tolerance (1) lets a shortfall of 213 stand for 212 */
  cr_expect(!strstr(out, "shortfall: expected"), "%s", out);
  free(out);
}

/* A renewal's membership fee, a deadline expected where the association publishes none, and an
 * error of judging (an unknown association, not a fault of the record's text) found as expected. */
Test(policytest, renewal_fees_missing_deadlines_and_judging_errors) {
  int rc;
  char *out = run_test("tests/policytests/more.yaml", &rc);
  cr_expect_eq(rc, 1, "exit %d:\n%s", rc, out);
  static const char *const want[] = {
      "more.yaml:19:22: fees: membership: expected 99.00, got 70.00",
      "more.yaml:20:18: next deadline: expected 2028-01-01, got none",
      "more.yaml:30:14: warning: expected never given, got none",
      "0 passed, 2 failed",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    cr_expect(strstr(out, want[i]), "missing '%s' in:\n%s", want[i], out);
  cr_expect_null(strstr(out, "error: expected unknown association"), "the error was found:\n%s",
                 out);
  cr_expect_null(strstr(out, "renewal: expected"), "the renewal fee matched:\n%s", out);
  free(out);
}

/* Values of the wrong shape (a scalar for a list or mapping, a word for a number or a date, a
 * misspelt status or key, a number asked of a yes/no condition) are mistakes in the test: located
 * errors, exit 2, and a block without a verdict is one. */
Test(policytest, expectations_of_the_wrong_shape_are_located_errors) {
  int rc;
  char *out = run_test("tests/policytests/shapes.yaml", &rc);
  cr_expect_eq(rc, 2, "exit %d:\n%s", rc, out);
  static const char *const want[] = {
      "shapes.yaml:8:14: error: tolerance must be a number, not 'lots'",
      "shapes.yaml:10:17: error: failed_areas must be a list of areas ([] for none)",
      "shapes.yaml:11:10: error: rules: expected a mapping of rule ids to a status or a mapping",
      "shapes.yaml:12:9: error: fees: expected a mapping (a fee kind's amount, total, "
      "coupon_applied, published)",
      "shapes.yaml:13:18: error: next_deadline must be a date (YYYY-MM-DD) or null, not 'soon'",
      "shapes.yaml:14:11: error: errors: expected a list of message excerpts ([] for none)",
      "shapes.yaml:24:17: error: rule membership: unknown status 'passs'; did you mean 'pass'?",
      "shapes.yaml:25:17: error: rule agreement: observed: the condition is not a quantity",
      "shapes.yaml:28:21: error: rule specialist_rsc, condition 'RSC period': expected a status "
      "or a mapping",
      "shapes.yaml:29:40: error: rule specialist_rsc, condition 'RSC within 24 months': status: "
      "unknown status 'pas'; did you mean 'pass'?",
      "shapes.yaml:29:45: error: rule specialist_rsc, condition 'RSC within 24 months': unknown "
      "key 'observd'; did you mean 'observed'?",
      "shapes.yaml:29:67: error: rule specialist_rsc, condition 'RSC within 24 months': observed "
      "must be a number, not 'many'",
      "shapes.yaml:30:35: error: conditions: expected a mapping of condition descriptions",
      "shapes.yaml:31:51: error: rule ethics, condition 'Code of Ethics signed': observed: the "
      "condition is not a quantity (it has a status only)",
      "shapes.yaml:32:26: error: fees: coupon_applied must be true or false",
      "shapes.yaml:32:40: error: fees: total must be a number, not 'free'",
      "shapes.yaml:32:46: error: fees: unknown key 'registrashun'; did you mean 'registration'?",
      "shapes.yaml:22:3: error: expect: needs a 'verdict' (eligible, eligible_pending_exam, "
      "not_eligible, invalid)",
      "0 passed, 2 failed",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    cr_expect(strstr(out, want[i]), "missing '%s' in:\n%s", want[i], out);
  free(out);
}

Test(policytest, broken_yaml_empty_files_and_bad_options_never_pass) {
  char *dir = temp_dir(), path[600], args[700];
  snprintf(path, sizeof path, "%s/broken.yaml", dir);
  cr_assert_eq(write_all(path, "id: X\nexpect: {verdict: [\n", 21), 0);
  snprintf(args, sizeof args, "%s", path);
  int rc;
  char *out = run_test(args, &rc);
  cr_expect_eq(rc, 2, "exit %d:\n%s", rc, out);
  cr_expect(strstr(out, "broken.yaml:3:1: error: YAML syntax error"), "%s", out);
  free(out);
  snprintf(path, sizeof path, "%s/empty.yaml", dir);
  cr_assert_eq(write_all(path, "", 0), 0);
  snprintf(args, sizeof args, "%s", path);
  out = run_test(args, &rc);
  cr_expect_eq(rc, 2, "an empty test file is no success:\n%s", out);
  cr_expect(strstr(out, "no test record found"), "%s", out);
  free(out);
  out = run_test("--format xml tests/policytests/pass.yaml", &rc);
  cr_expect_eq(rc, 2);
  cr_expect(strstr(out, "unknown format 'xml' (text, tap, junit)"), "%s", out);
  free(out);
  out = run_test("tests/policytests/none.yaml", &rc);
  cr_expect_eq(rc, 2);
  cr_expect(strstr(out, "none.yaml: cannot open"), "%s", out);
  free(out);
  out = run_test("--rules rules --policy rules/wi.imhe tests/policytests/pass.yaml", &rc);
  cr_expect_eq(rc, 2);
  cr_expect(strstr(out, "exclude each other"), "%s", out);
  free(out);
  free(dir);
}

Test(policytest, a_directory_runs_every_yaml_file_under_it) {
  int rc;
  char *out = run_test("--verbose tests/policytests", &rc);
  cr_expect_eq(rc, 2, "malformed.yaml is among them: exit %d", rc);
  cr_expect(strstr(out, "4 passed, 12 failed"), "%s", out);
  free(out);
}

Test(policytest, tap_output) {
  int rc;
  char *out = run_test("--format tap tests/policytests/fail.yaml", &rc);
  cr_expect_eq(rc, 1);
  cr_expect(!strncmp(out, "TAP version 13\n", 15), "%s", out);
  cr_expect(strstr(out, "\nnot ok 1 - FAIL-1 (tests/policytests/fail.yaml:14)\n#  "), "%s", out);
  cr_expect(strstr(out, "\nok 2 - PASS-1 (tests/policytests/fail.yaml:25)\n"), "%s", out);
  cr_expect(strstr(out, "\n1..2\n"), "%s", out);
  free(out);
}

Test(policytest, junit_output) {
  int rc;
  char *out = run_test("--format junit tests/policytests/fail.yaml", &rc);
  cr_expect_eq(rc, 1);
  cr_expect(strstr(out, "<testsuites name=\"imhe test\" tests=\"2\" failures=\"1\">"), "%s", out);
  cr_expect(strstr(out, "<testsuite name=\"tests/policytests/fail.yaml\" tests=\"2\" "
                        "failures=\"1\">"),
            "%s", out);
  cr_expect(strstr(out, "<testcase name=\"FAIL-1\" classname=\"tests/policytests/fail.yaml\" "
                        "file=\"tests/policytests/fail.yaml\" line=\"14\">"),
            "%s", out);
  cr_expect(strstr(out, "<failure message=\"tests/policytests/fail.yaml:15:12: verdict: expected "
                        "eligible, got not_eligible\">"),
            "%s", out);
  cr_expect(strstr(out, "<testcase name=\"PASS-1\" classname=\"tests/policytests/fail.yaml\" "
                        "file=\"tests/policytests/fail.yaml\" line=\"25\"/>"),
            "%s", out);
  free(out);
}

/* records.md is the input contract: outside test mode `expect:` is an unknown field as before. */
Test(policytest, check_still_warns_about_expect) {
  char cmd[600], *out;
  snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s check tests/policytests/fail.yaml 2>&1", imhe_bin());
  run_cmd(cmd, &out);
  cr_expect(strstr(out, "fail.yaml:14:1: unknown field 'expect' ignored"), "%s", out);
  free(out);
}

/* --coverage: each rule, guard, condition, fee, coupon and deadline, exercised both ways or not. */
Test(policytest, coverage_text_names_what_was_not_exercised_both_ways) {
  int rc;
  char *out = run_test("--coverage tests/policytests/pass.yaml", &rc);
  cr_expect_eq(rc, 0, "%s", out);
  cr_expect(strstr(out, "coverage of wi: "), "%s", out);
  cr_expect(strstr(out, "coverage of ct: "), "%s", out);
  /* the WI record fails its RSC rule and passes its training rule: each one way only */
  cr_expect(strstr(out, "  rule      specialist_rsc"), "%s", out);
  cr_expect(strstr(out, "passed 0, failed 1  (never passing)  [rules/legacy.imhe:67]"), "%s", out);
  cr_expect(strstr(out, "passed 1, failed 0  (never failing)  [rules/legacy.imhe:31]"), "%s", out);
  cr_expect(strstr(out, "(never exercised)"), "%s", out);
  free(out);
  /* a rule exercised both ways is listed only with --verbose */
  out = run_test("--coverage tests/policytests/fail.yaml", &rc);
  cr_expect(!strstr(out, "passed 1, failed 1  [rules/legacy.imhe:22]"), "%s", out);
  free(out);
  out = run_test("--coverage --verbose tests/policytests/fail.yaml", &rc);
  cr_expect(strstr(out, "passed 1, failed 1  [rules/legacy.imhe:22]"), "%s", out);
  free(out);
}

/* A late fee is counted on renewals only: passing on the one submitted after the due date
 * (charged), failing on the one on time; the application fees are never charged on a renewal. */
Test(policytest, coverage_counts_a_late_fee_on_renewals) {
  int rc;
  char *out = run_test("--coverage --verbose --policy tests/policies/good/renewal-due.imhe "
                       "tests/policies/good/renewal-due-tests.yaml",
                       &rc);
  cr_expect_eq(rc, 0, "%s", out);
  cr_expect(strstr(out, "2 passed, 0 failed"), "%s", out);
  cr_expect(strstr(out, "  fee       late fee $25.00 for every category                  "
                        "passed 1, failed 1  ["),
            "%s", out);
  cr_expect(strstr(out, "registration fee $20.00 for every category          passed 0, failed 2  "
                        "(never passing)"),
            "%s", out);
  free(out);
}

Test(policytest, coverage_json_is_one_object_on_stdout) {
  char cmd[600], *out;
  snprintf(cmd, sizeof cmd, "%s test --coverage=json tests/policytests/fail.yaml 2>/dev/null",
           imhe_bin());
  int rc = run_cmd(cmd, &out);
  cr_expect_eq(rc, 1, "the tests still decide the exit status");
  cr_expect(!strncmp(out, "{\"policies\":[", 13), "%s", out);
  cr_expect(strstr(out, "{\"kind\":\"rule\",\"name\":\"membership\",\"file\":\"rules/legacy.imhe\","
                        "\"line\":22,\"passed\":1,\"failed\":1}"),
            "%s", out);
  cr_expect(strstr(out, "{\"kind\":\"guard\",\"name\":\"when of "), "%s", out);
  cr_expect(strstr(out, "{\"kind\":\"fee\",\"name\":\"registration fee $20.00 for every category"),
            "%s", out);
  cr_expect(strstr(out, "{\"kind\":\"coupon\",\"name\":\"IT-CREDENTIAL\""), "%s", out);
  cr_expect(strstr(out, "{\"kind\":\"deadline\",\"name\":\"deadline "), "%s", out);
  cr_expect(!strstr(out, "FAIL FAIL-1"), "the tests' report goes to stderr");
  free(out);
}

/* The shipped suites exercise every item of each association's policy both ways, but for what
 * their files say is impossible (the `when` of annual renewals in WI and CT, which renew
 * annually only); a new rule without tests shows here. */
Test(policytest, shipped_suites_cover_the_policies_both_ways) {
  int rc;
  char *out = run_test("--coverage rules/tests/wi rules/tests/ct rules/tests/mi "
                       "rules/tests/acceptance",
                       &rc);
  cr_expect_eq(rc, 0, "%s", out);
  cr_expect(strstr(out, "coverage of mi: 168 of 168 exercised passing and failing (100.0%)\n"
                        "coverage of wi: 68 of 69"),
            "%s", out);
  cr_expect(strstr(out, "coverage of ct: 58 of 59"), "%s", out);
  const char *p = out;
  int listed = 0;
  while ((p = strstr(p, "\n  ")))
    listed++, p += 3;
  cr_expect_eq(listed, 2, "only the two annual-renewal guards are not covered both ways:\n%s", out);
  cr_expect(strstr(out, "  guard     when of annual_renewal_training"), "%s", out);
  free(out);
  out = run_test("--coverage --policy rules/catalogue.imhe rules/tests/catalogue", &rc);
  cr_expect(strstr(out, "coverage: the policies hold no rule, fee, coupon or deadline"), "%s", out);
  free(out);
}

/* The example of an association's own category (examples/policies/lk-consultant.imhe): its suite
 * exercises every item LK-AIMH writes both ways but the registration fee, which is for every
 * category; what else is listed is the legacy base's, covered by rules/tests/legacy. A new RPC
 * rule or fee without tests shows here. */
Test(policytest, own_category_example_covers_its_own_items_both_ways) {
  int rc;
  char *out = run_test("--coverage --policy examples/policies/lk-consultant.imhe "
                       "examples/policies/lk-tests.yaml",
                       &rc);
  cr_expect_eq(rc, 0, "%s", out);
  cr_expect(strstr(out, "11 passed, 0 failed"), "%s", out);
  int own = 0, base = 0;
  for (const char *p = out; (p = strstr(p, "\n  ")); p += 3) {
    const char *eol = strchr(p + 1, '\n');
    size_t n = eol ? (size_t)(eol - p) : strlen(p);
    char line[400];
    snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), p);
    if (strstr(line, "lk-consultant.imhe")) {
      own++;
      cr_expect(strstr(line, "registration fee $30.00 for every category"), "%s", line);
    } else {
      base++;
      cr_expect(strstr(line, "policies/legacy.imhe:"), "%s", line);
    }
  }
  cr_expect_eq(own, 1, "only the registration fee of LK's own items:\n%s", out);
  cr_expect(base > 0, "%s", out);
  free(out);
}
