/* test_results.c — the public "results as data" accessors of include/imhe.h over records judged
 * with imhe_evaluate: typed values with units, counted and left-out entries, reasons, the best
 * window, fees, and misuse (NULL handles, indices out of range) answered without a crash. */
#include "helpers.h"
#include "include/imhe.h"
#include "runtime/core/dates.h"
#include "runtime/eval/result.h"
#include "runtime/records/stream.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct judged {
  struct imhe_program p;
  struct imhe_record r;
  struct imhe_result res;
};

/* Judges the first record of `record_file` (or of the YAML text `record`) with the shipped WI
 * policy at `as_of`. */
static void judge(struct judged *x, const char *record_file, const char *record,
                  const char *as_of) {
  char *dir = temp_dir();
  char path[300], cmd[600];
  snprintf(cmd, sizeof cmd, "cp rules/*.imhe %s/", dir);
  run_cmd(cmd, NULL);
  snprintf(path, sizeof path, "%s/wi.imhe", dir);
  char *diags;
  cr_assert_eq(compile_to(path, &x->p, &diags), 0, "%s", diags);
  free(diags);
  if (record) {
    snprintf(path, sizeof path, "%s/r.yaml", dir);
    write_all(path, record, strlen(record));
    record_file = path;
  }
  char err[200];
  struct imhe_loader *l = imhe_loader_open(record_file, NULL, err, sizeof err);
  cr_assert(l, "%s", err);
  cr_assert_eq(imhe_loader_next(l, &x->r), 1);
  imhe_loader_close(l);
  int32_t d;
  imhe_parse_date(as_of, strlen(as_of), &d);
  imhe_evaluate(&x->p, &x->r, &x->r.arena, d, IMHE_AS_OF_SUBMITTED, &x->res);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

static void done(struct judged *x) {
  imhe_record_clear(&x->r);
  imhe_program_free(&x->p);
}

static const imhe_rule_result *rule(const imhe_result *res, const char *id) {
  for (size_t i = 0; i < imhe_result_rule_count(res); i++)
    if (!strcmp(imhe_rule_id(imhe_result_rule(res, i)), id))
      return imhe_result_rule(res, i);
  cr_assert_fail("no rule %s", id);
  return NULL;
}

static int date_is(imhe_date d, int y, int m, int day) {
  return d.year == y && d.month == m && d.day == day;
}

Test(results, a_record_walked_through_the_accessors) {
  struct judged x;
  judge(&x, "examples/wi-ifs-short-rsc.yaml", NULL, "2026-05-01");
  const imhe_result *res = &x.res;
  cr_expect_eq(imhe_result_verdict(res), IMHE_VERDICT_NOT_ELIGIBLE);
  cr_expect_eq(imhe_result_record(res), &x.r);
  cr_expect(date_is(imhe_result_as_of(res), 2026, 5, 1));
  cr_expect_eq(imhe_result_as_of_source(res), IMHE_AS_OF_SUBMITTED);
  cr_expect_str_eq(imhe_result_policy(res), "WI");
  cr_expect_str_eq(imhe_result_base(res), "legacy");
  cr_expect_eq(imhe_result_message_count(res), 0);
  cr_expect(date_is(imhe_result_next_deadline(res), 2026, 6, 15));

  /* RSC: 26 h in the best window, 153 of 365 days of RSC */
  const imhe_rule_result *rsc = rule(res, "specialist_rsc");
  cr_expect_eq(imhe_rule_status(rsc), IMHE_STATUS_FAIL);
  cr_expect_str_eq(imhe_rule_area(rsc), "rsc");
  cr_expect(strstr(imhe_rule_file(rsc), "legacy.imhe"), "%s", imhe_rule_file(rsc));
  cr_expect_gt(imhe_rule_line(rsc), 0);
  cr_expect_eq(imhe_rule_reason(rsc, NULL), IMHE_REASON__COUNT);
  cr_assert_eq(imhe_rule_condition_count(rsc), 2);
  const imhe_condition *hours = imhe_rule_condition(rsc, 0), *period = imhe_rule_condition(rsc, 1);
  imhe_value v = imhe_condition_observed(hours);
  cr_expect_eq(v.type, IMHE_VALUE_NUMBER);
  cr_expect_eq(v.unit, IMHE_UNIT_HOURS);
  cr_expect_float_eq(v.number, 26, 1e-9);
  imhe_date ws, we;
  cr_assert(imhe_condition_window(hours, &ws, &we));
  cr_expect(date_is(ws, 2024, 5, 2) && date_is(we, 2026, 5, 1), "%d-%d-%d..%d-%d-%d", ws.year,
            ws.month, ws.day, we.year, we.month, we.day);
  cr_expect_eq(imhe_condition_finding(hours, 0, NULL), IMHE_REASON_BEST_WINDOW);
  cr_expect_eq(imhe_condition_status(period), IMHE_STATUS_FAIL);
  cr_expect_str_eq(imhe_condition_comparison(period), ">=");
  cr_expect_float_eq(imhe_condition_observed(period).number, 153, 1e-9);
  cr_expect_float_eq(imhe_condition_required(period).number, 365, 1e-9);
  v = imhe_condition_shortfall(period);
  cr_expect(v.type == IMHE_VALUE_NUMBER && v.unit == IMHE_UNIT_DAYS);
  cr_expect_float_eq(v.number, 212, 1e-9);
  cr_expect(!imhe_condition_window(period, NULL, NULL));
  cr_expect_str_eq(imhe_condition_sentence(period),
                   "RSC period: 153 days; required 365 days (short 212 days) (1 entry)");
  cr_assert_eq(imhe_condition_counted_count(period), 1);
  imhe_entry_ref e;
  cr_assert(imhe_condition_counted(period, 0, &e));
  cr_expect_eq(e.section, IMHE_SECTION_RSC);
  cr_expect_eq(e.number, 1);
  cr_expect_str_eq(e.title, "R. Ng");
  cr_expect_gt(e.line, 0);

  /* work: the volunteer job is left out, numbered as a reviewer counts */
  const imhe_condition *work = imhe_rule_condition(rule(res, "specialist_work"), 0);
  cr_expect_eq(imhe_condition_observed(work).unit, IMHE_UNIT_DAYS);
  cr_assert_eq(imhe_condition_left_out_count(work), 1);
  const char *why;
  cr_assert(imhe_condition_left_out(work, 0, &e, &why));
  cr_expect_eq(e.section, IMHE_SECTION_WORK);
  cr_expect_eq(e.number, 2);
  cr_expect_str_eq(e.title, "Parent Educator");
  cr_expect_neq(e.start.year, 0);
  cr_expect_str_eq(why, "kind volunteer, not paid");
  cr_expect_eq(imhe_condition_left_out_reason(work, 0), IMHE_REASON_VALUE_NOT_WANTED);
  cr_expect_str_eq(imhe_reason_name(IMHE_REASON_VALUE_NOT_WANTED), "value_not_wanted");

  /* references: three counted, a slot left empty */
  const imhe_condition *refs = imhe_rule_condition(rule(res, "specialist_references"), 0);
  cr_expect_eq(imhe_condition_counted_count(refs), 3);
  cr_expect_eq(imhe_condition_observed(refs).unit, IMHE_UNIT_COUNT);
  cr_expect_float_eq(imhe_condition_shortfall(refs).number, 1, 1e-9);
  const char *words;
  cr_expect_eq(imhe_condition_finding(refs, 0, &words), IMHE_REASON_SLOT_EMPTY);
  cr_expect(words && strstr(words, "no completed reference fills the 2nd place"), "%s", words);

  /* a degree by its name; yes/no as booleans */
  const imhe_condition *edu = imhe_rule_condition(rule(res, "specialist_education"), 0);
  v = imhe_condition_observed(edu);
  cr_expect_eq(v.type, IMHE_VALUE_DEGREE);
  cr_expect_str_eq(v.text, "bachelors");
  cr_expect_eq(imhe_condition_shortfall(edu).type, IMHE_VALUE_NONE);
  const imhe_condition *mem = imhe_rule_condition(rule(res, "membership"), 0);
  v = imhe_condition_observed(mem);
  cr_expect(v.type == IMHE_VALUE_BOOLEAN && v.boolean);
  cr_expect_str_eq(imhe_condition_comparison(mem), "");
  cr_expect_eq(imhe_condition_finding(mem, 0, &words), IMHE_REASON_MEMBER);
  cr_expect_str_eq(words, "member of WI until 2026-12-31");

  imhe_fees f = imhe_result_fees(res);
  cr_expect(f.present && !f.renewal);
  /* the kinds an application is charged, as the catalogue declares them */
  cr_expect_eq(f.kind_count, 2);
  cr_expect_str_eq(f.kinds[0], "registration");
  cr_expect_float_eq(imhe_fees_amount(&f, "registration"), 20, 1e-9);
  cr_expect_float_eq(imhe_fees_amount(&f, "processing"), 50, 1e-9);
  cr_expect_float_eq(imhe_fees_amount(&f, "renewal"), -1, 1e-9);
  cr_expect_float_eq(imhe_fees_amount(NULL, "processing"), -1, 1e-9);
  cr_expect_float_eq(f.total, 70, 1e-9);
  cr_expect_null(f.coupon);
  cr_expect_eq(f.note_count, 0);
  done(&x);
}

Test(results, a_rule_made_outside_the_vm_has_a_reason) {
  /* WI offers no early childhood family associate endorsement */
  char *text = read_all("examples/wi-ifs-short-rsc.yaml", NULL);
  cr_assert(text);
  char *cat = strstr(text, "category: IFS");
  cr_assert(cat);
  size_t len = strlen(text);
  char *rec = malloc(len + 2);
  snprintf(rec, len + 2, "%.*scategory: ECFA%s", (int)(cat - text), text, cat + 13);
  struct judged x;
  judge(&x, NULL, rec, "2026-05-01");
  cr_expect_eq(imhe_result_verdict(&x.res), IMHE_VERDICT_NOT_ELIGIBLE);
  cr_assert_eq(imhe_result_rule_count(&x.res), 1);
  const imhe_rule_result *r = imhe_result_rule(&x.res, 0);
  const char *words;
  cr_expect_eq(imhe_rule_reason(r, &words), IMHE_REASON_CATEGORY_NOT_OFFERED);
  cr_expect_str_eq(words, "WI-AIMH does not offer ECFA");
  cr_expect_str_eq(imhe_rule_area(r), "category");
  cr_expect_eq(imhe_rule_condition_count(r), 0);
  cr_expect_null(imhe_rule_condition(r, 0));
  cr_expect_eq(imhe_result_fees(&x.res).present, 0);
  done(&x);
  free(rec);
  free(text);
}

Test(results, misuse_is_answered_with_safe_defaults) {
  cr_expect_eq(imhe_result_verdict(NULL), IMHE_VERDICT_INVALID);
  cr_expect_null(imhe_result_record(NULL));
  cr_expect_eq(imhe_result_as_of(NULL).year, 0);
  cr_expect_null(imhe_result_policy(NULL));
  cr_expect_null(imhe_result_base(NULL));
  cr_expect_eq(imhe_result_message_count(NULL), 0);
  int is_error = 7;
  imhe_error err;
  cr_expect_eq(imhe_result_message(NULL, 0, &is_error, &err), 0);
  cr_expect_eq(imhe_result_next_deadline(NULL).year, 0);
  cr_expect_eq(imhe_result_rule_count(NULL), 0);
  cr_expect_null(imhe_result_rule(NULL, 0));
  cr_expect_null(imhe_rule_id(NULL));
  cr_expect_null(imhe_rule_description(NULL));
  cr_expect_null(imhe_rule_file(NULL));
  cr_expect_eq(imhe_rule_line(NULL), 0);
  cr_expect_eq(imhe_rule_status(NULL), IMHE_STATUS_FAIL);
  cr_expect_null(imhe_rule_area(NULL));
  cr_expect_eq(imhe_rule_condition_count(NULL), 0);
  cr_expect_null(imhe_rule_condition(NULL, 0));
  const char *w = "x";
  cr_expect_eq(imhe_rule_reason(NULL, &w), IMHE_REASON__COUNT);
  cr_expect_null(w);
  cr_expect_null(imhe_condition_description(NULL));
  cr_expect_eq(imhe_condition_line(NULL), 0);
  cr_expect_eq(imhe_condition_status(NULL), IMHE_STATUS_FAIL);
  cr_expect_str_eq(imhe_condition_comparison(NULL), "");
  cr_expect_eq(imhe_condition_observed(NULL).type, IMHE_VALUE_NONE);
  cr_expect_eq(imhe_condition_required(NULL).type, IMHE_VALUE_NONE);
  cr_expect_eq(imhe_condition_shortfall(NULL).type, IMHE_VALUE_NONE);
  cr_expect_null(imhe_condition_sentence(NULL));
  imhe_entry_ref e;
  cr_expect_eq(imhe_condition_counted_count(NULL), 0);
  cr_expect_eq(imhe_condition_counted(NULL, 0, &e), 0);
  cr_expect_eq(imhe_condition_left_out_count(NULL), 0);
  cr_expect_eq(imhe_condition_left_out(NULL, 0, &e, &w), 0);
  cr_expect_eq(imhe_condition_left_out_reason(NULL, 0), IMHE_REASON__COUNT);
  cr_expect_eq(imhe_condition_finding_count(NULL), 0);
  cr_expect_eq(imhe_condition_finding(NULL, 0, &w), IMHE_REASON__COUNT);
  cr_expect_eq(imhe_condition_window(NULL, NULL, NULL), 0);
  cr_expect_eq(imhe_result_fees(NULL).present, 0);
  cr_expect_null(imhe_reason_name(IMHE_REASON__COUNT));

  /* indices past the end of a real result */
  struct judged x;
  judge(&x, "examples/wi-ifs-short-rsc.yaml", NULL, "2026-05-01");
  size_t n = imhe_result_rule_count(&x.res);
  cr_expect_null(imhe_result_rule(&x.res, n));
  cr_expect_null(imhe_result_rule(&x.res, (size_t)-1));
  const imhe_rule_result *r = rule(&x.res, "specialist_rsc");
  cr_expect_null(imhe_rule_condition(r, 2));
  const imhe_condition *c = imhe_rule_condition(r, 1);
  cr_expect_eq(imhe_condition_counted(c, 1, &e), 0);
  cr_expect_eq(imhe_condition_counted(c, 0, NULL), 0);
  cr_expect_eq(imhe_condition_left_out(c, 0, &e, &w), 0);
  cr_expect_eq(imhe_condition_left_out_reason(c, 99), IMHE_REASON__COUNT);
  cr_expect_eq(imhe_condition_finding(c, 5, &w), IMHE_REASON__COUNT);
  cr_expect_eq(imhe_result_message(&x.res, 0, &is_error, &err), 0);
  done(&x);
}

/* The JSON report of every example and acceptance record, of LK-AIMH's (a fee kind of its own)
 * and of a policy with fee kinds and areas all its own, is valid against docs/report.schema.json
 * (draft 2020-12, checked by Debian's python3-jsonschema, which `make deps` installs), whose reason
 * codes are imhe.h's and which refuses damaged copies (tests/report_schema.py). */
Test(results, json_report_matches_its_schema) {
  char *dir = temp_dir();
  char cmd[2000];
  snprintf(
      cmd, sizeof cmd,
      "%s check --format json examples/*.yaml tests/acceptance/*/*.yaml > %s/r.jsonl 2>/dev/null;"
      " %s check --format json --rules examples/policies examples/policies/lk-records.yaml"
      " >> %s/r.jsonl 2>/dev/null;"
      " %s check --format json --policy tests/policies/good/own-fees-areas.imhe"
      " tests/policies/good/own-fees-areas.yaml >> %s/r.jsonl 2>/dev/null;"
      " /usr/bin/python3 tests/report_schema.py docs/report.schema.json include/imhe.h "
      "%s/r.jsonl 2>&1",
      imhe_bin(), dir, imhe_bin(), dir, imhe_bin(), dir, dir);
  char *out;
  int rc = run_cmd(cmd, &out);
  cr_expect_eq(rc, 0, "%s", out);
  cr_expect(strstr(out, "0 problems"), "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}
