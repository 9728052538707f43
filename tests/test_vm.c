/* test_vm.c — each measure instruction as the VM runs it, on hand-worked records: post-masters
 * clipping, distinct competencies per domain, capped sums, the as-of clipping, effective-dated
 * eras. */
#include "helpers.h"
#include "runtime/core/dates.h"
#include "runtime/eval/result.h"
#include "runtime/records/stream.h"
#include "runtime/report/explain.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct run {
  struct imhe_program p;
  struct imhe_record r;
  struct imhe_result res;
};

/* Compiles NAME.imhe beside copies of rules/ (written from `policy` when given), loads
 * `record`, and evaluates it at `as_of`. */
static void run_named(struct run *x, const char *name, const char *policy, const char *record,
                      const char *as_of, int as_of_source) {
  char *dir = temp_dir();
  char path[300], cmd[600];
  snprintf(cmd, sizeof cmd, "cp rules/*.imhe %s/", dir);
  run_cmd(cmd, NULL);
  snprintf(path, sizeof path, "%s/%s.imhe", dir, name);
  if (policy)
    write_all(path, policy, strlen(policy));
  char *diags;
  cr_assert_eq(compile_to(path, &x->p, &diags), 0, "%s", diags);
  free(diags);
  snprintf(path, sizeof path, "%s/r.yaml", dir);
  write_all(path, record, strlen(record));
  char err[200];
  struct imhe_loader *l = imhe_loader_open(path, NULL, err, sizeof err);
  cr_assert_eq(imhe_loader_next(l, &x->r), 1);
  imhe_loader_close(l);
  int32_t d;
  imhe_parse_date(as_of, strlen(as_of), &d);
  imhe_evaluate(&x->p, &x->r, &x->r.arena, d, as_of_source, &x->res);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

static void run(struct run *x, const char *policy, const char *record, const char *as_of) {
  run_named(x, "t", policy, record, as_of, IMHE_AS_OF_SUBMITTED);
  cr_assert_eq(x->r.errors.n, 0, "%s", x->r.errors.n ? x->r.errors.v[0].text : "");
  cr_assert_eq(x->res.errors.n, 0, "%s", x->res.errors.n ? x->res.errors.v[0].text : "");
}

/* The words of results, as the explain module gives them (a ring of buffers, so a few can be
 * held at once in one assertion). */
static const char *words_ring(struct sbuf *b) {
  static char ring[4][2048];
  static int k;
  char *out = ring[k++ % 4];
  snprintf(out, sizeof ring[0], "%.*s", (int)b->n, b->v ? b->v : "");
  free(b->v);
  return out;
}
static const char *note_words(const struct imhe_cond_result *c) {
  struct sbuf b = {0};
  imhe_explain_reasons(&b, c->res ? c->res->record : NULL, c->notes);
  return words_ring(&b);
}
static const char *left_words(const struct imhe_cond_result *c, uint32_t j) {
  struct sbuf b = {0};
  imhe_explain_left_out(&b, c->res ? c->res->record : NULL, c->counted_sec, &c->left_out[j]);
  return words_ring(&b);
}
static const char *rule_words(const struct imhe_result *res, uint32_t i) {
  struct sbuf b = {0};
  imhe_explain_reason(&b, res->record, res->rules[i].reason);
  return words_ring(&b);
}

static const struct imhe_cond_result *cond(struct run *x, const char *rule, unsigned k) {
  for (uint32_t i = 0; i < x->res.nrules; i++)
    if (!strcmp(x->res.rules[i].id, rule)) {
      cr_assert_lt(k, x->res.rules[i].nconds);
      return &x->res.rules[i].conds[k];
    }
  cr_assert_fail("no result for rule %s", rule);
  return NULL;
}

static void done(struct run *x) {
  imhe_record_clear(&x->r);
  imhe_program_free(&x->p);
}

static const char *const HEAD = "id: T\nassociation: WI\ncategory: IMHS\napplicant: {name: T}\n";

Test(vm, post_masters_clipping_starts_work_at_the_masters_date) {
  struct run x;
  char rec[1000];
  snprintf(rec, sizeof rec,
           "%seducation:\n  - {degree: bachelors, completed: 2010-05-01}\n"
           "  - {degree: masters, completed: 2021-06-01}\n  - {degree: doctorate, completed: "
           "2024-06-01}\n"
           "work:\n  - {start: 2020-01-01, end: 2022-05-31, psychotherapy: true, ages: [infant]}\n"
           "  - {start: 2022-03-01, psychotherapy: true, ages: [infant]}\n",
           HEAD);
  run(&x,
      "policy t\nrule w for all require work \"w\": years_post_masters(work where psychotherapy) "
      ">= 2 years\n",
      rec, "2023-06-01");
  /* the earliest masters-level degree (2021-06-01) clips the first job; the union runs to the as-of
   * date */
  cr_expect_float_eq(cond(&x, "w", 0)->observed,
                     imhe_days_from_civil(2023, 6, 1) - imhe_days_from_civil(2021, 6, 1) + 1, 1e-9);
  cr_expect_eq(x.res.verdict, IMHE_VERDICT_ELIGIBLE);
  done(&x);
  /* without a masters-level degree, post-masters work is 0 days (reading 6) */
  snprintf(rec, sizeof rec,
           "%seducation:\n  - {degree: bachelors, completed: 2010-05-01}\n"
           "work:\n  - {start: 2015-01-01, psychotherapy: true}\n",
           HEAD);
  run(&x, "policy t\nrule w for all require work \"w\": years_post_masters(work) >= 2 years\n", rec,
      "2023-06-01");
  cr_expect_float_eq(cond(&x, "w", 0)->observed, 0, 1e-9);
  cr_expect(strstr(note_words(cond(&x, "w", 0)), "no masters-level degree"));
  done(&x);
}

Test(vm, distinct_competencies_per_domain_use_the_categorys_list) {
  struct run x;
  char rec[1200];
  /* disorders_of_infancy is in the Family Specialist list, not the Associate list */
  snprintf(
      rec, sizeof rec,
      "id: T\nassociation: MI\ncategory: IFA\napplicant: {name: T}\n"
      "training:\n  - {title: A, date: 2024-01-01, hours: 5, competencies: [TF.infant_development, "
      "TF.infant_development, TF.disorders_of_infancy, TF.cultural_humility]}\n"
      "  - {title: B, date: 2030-01-01, hours: 5, competencies: [TF.family_relationships]}\n"
      "education:\n  - {degree: bachelors, completed: 2020-01-01, transcript: official, "
      "competencies: "
      "[TF.attachment_separation_loss, DS.safety]}\n");
  run(&x,
      "policy t extends catalogue\nrule c for all require competencies \"c\": competencies(TF) >= "
      "half(TF)\n",
      rec, "2025-01-01");
  const struct imhe_cond_result *c = cond(&x, "c", 0);
  cr_expect_float_eq(c->observed, 3,
                     1e-9); /* infant_development once, cultural_humility, attachment */
  cr_expect_float_eq(c->required, 4, 1e-9); /* 7 for Associates, half rounded up */
  done(&x);
  snprintf(
      rec, sizeof rec,
      "id: T\nassociation: MI\ncategory: IFS\napplicant: {name: T}\n"
      "training:\n  - {title: A, date: 2024-01-01, hours: 5, competencies: [TF.infant_development, "
      "TF.disorders_of_infancy, TF.cultural_humility]}\n");
  run(&x,
      "policy t extends catalogue\nrule c for all require competencies \"c\": competencies(TF) >= "
      "half(TF)\n",
      rec, "2025-01-01");
  cr_expect_float_eq(cond(&x, "c", 0)->observed, 3, 1e-9);
  cr_expect_float_eq(cond(&x, "c", 0)->required, 4, 1e-9); /* 8 for Family Specialists */
  done(&x);
}

/* Mentors' TF list is the first 12 names; research_evaluation is a valid code in no list
 * (requirements.md, competency catalogue): 6 of the 12 meet half, and it never counts. */
Test(vm, mentor_tf_list_is_the_first_twelve_names) {
  struct run x;
  static const char *const policy =
      "policy t extends catalogue\nrule c for all require competencies \"c\": competencies(TF) >= "
      "half(TF)\n";
  run(&x, policy,
      "id: T\nassociation: MI\ncategory: IMHM-C\napplicant: {name: T}\n"
      "training:\n  - {title: A, date: 2024-01-01, hours: 9, competencies: [TF.infant_development, "
      "TF.disorders_of_infancy, TF.theories_of_change, TF.adult_disorders, TF.adult_learning, "
      "TF.statistics, TF.research_evaluation]}\n",
      "2025-01-01");
  cr_expect_float_eq(cond(&x, "c", 0)->required, 6, 1e-9);
  cr_expect_float_eq(cond(&x, "c", 0)->observed, 6, 1e-9);
  cr_expect_eq(cond(&x, "c", 0)->status, IMHE_STATUS_PASS);
  done(&x);
  /* 5 of the 12 and research_evaluation: still 5, one short */
  run(&x, policy,
      "id: T\nassociation: MI\ncategory: IMHM-C\napplicant: {name: T}\n"
      "training:\n  - {title: A, date: 2024-01-01, hours: 9, competencies: [TF.infant_development, "
      "TF.disorders_of_infancy, TF.theories_of_change, TF.adult_disorders, TF.statistics, "
      "TF.research_evaluation]}\n",
      "2025-01-01");
  cr_expect_float_eq(cond(&x, "c", 0)->observed, 5, 1e-9);
  cr_expect_eq(cond(&x, "c", 0)->status, IMHE_STATUS_FAIL);
  done(&x);
  /* an Associate may list it too: valid, counted nowhere */
  run(&x, policy,
      "id: T\nassociation: MI\ncategory: IFA\napplicant: {name: T}\n"
      "training:\n  - {title: A, date: 2024-01-01, hours: 9, competencies: "
      "[TF.research_evaluation]}\n",
      "2025-01-01");
  cr_expect_eq(x.res.verdict, IMHE_VERDICT_NOT_ELIGIBLE);
  cr_expect_float_eq(cond(&x, "c", 0)->observed, 0, 1e-9);
  done(&x);
}

Test(vm, capped_sum_counts_informal_hours_up_to_the_cap) {
  struct run x;
  char rec[800];
  snprintf(rec, sizeof rec,
           "%straining:\n  - {title: A, date: 2024-01-01, hours: 10, type: rsc_provision}\n"
           "  - {title: B, date: 2024-02-01, hours: 4, type: rsc_provision, format: informal}\n"
           "  - {title: C, date: 2024-03-01, hours: 9, type: general}\n",
           HEAD);
  run(&x,
      "policy t\nlet p = training where type = rsc_provision\nrule t for all require training "
      "\"t\":\n"
      "  sum((p where format = formal).hours) + min(sum((p where format = informal).hours), 2 h) "
      ">= 15 h\n",
      rec, "2025-01-01");
  cr_expect_float_eq(cond(&x, "t", 0)->observed, 12, 1e-9);
  cr_expect_float_eq(cond(&x, "t", 0)->shortfall, 3, 1e-9);
  done(&x);
}

Test(vm, entries_after_the_as_of_date_count_nothing) {
  struct run x;
  char rec[800];
  snprintf(rec, sizeof rec,
           "%straining:\n  - {title: A, date: 2024-01-01, hours: 10}\n  - {title: B, date: "
           "2026-01-01, hours: 40}\n"
           "rsc:\n  - {provider: X, start: 2024-01-01, end: 2024-12-31, hours: 366}\n",
           HEAD);
  run(&x,
      "policy t\nrule t for all require training \"t\": sum(training.hours) >= 30 h\n"
      "rule r for all require rsc \"r\": received(rsc) >= 24 h\n",
      rec, "2024-01-31");
  cr_expect_float_eq(cond(&x, "t", 0)->observed, 10, 1e-9);
  cr_expect_eq(cond(&x, "t", 0)->nleft, 1);
  cr_expect(strstr(left_words(cond(&x, "t", 0), 0), "date 2026-01-01 is after the as-of date"));
  cr_expect_float_eq(cond(&x, "r", 0)->observed, 31, 1e-9); /* January's days only */
  done(&x);
}

/* Readings 30 and 31: about-provision hours are spread over the entry's days like its hours,
 * only days up to the as-of date count, also through an overlap filter; an rsc_provided entry
 * with 0 supervisees provides nothing (left out, saying why), one without the field still
 * provides. */
Test(vm, about_provision_hours_spread_and_zero_supervisees_provide_nothing) {
  struct run x;
  char rec[1200];
  snprintf(rec, sizeof rec,
           "%srsc_provided:\n  - {start: 2023-01-01, end: 2023-12-31, supervisees: 0}\n"
           "  - {start: 2024-01-01}\n"
           "rsc:\n  - {provider: Ann, start: 2023-03-01, end: 2023-06-30, hours: 10, "
           "about_provision_hours: 10}\n"
           "  - {provider: Bo, start: 2024-03-01, end: 2024-12-31, hours: 30.6, "
           "about_provision_hours: 30.6}\n",
           HEAD);
  run(&x,
      "policy t\nlet providing = rsc_provided where supervisees != 0\n"
      "rule p for all require work \"p\": years(providing) >= 1 year\n"
      "rule a for all require rsc \"a\": sum((rsc where "
      "overlaps(providing)).about_provision_hours) >= 12 h\n"
      "rule h for all require rsc \"h\": sum(rsc.hours) >= 30 h\n",
      rec, "2024-06-30");
  const struct imhe_cond_result *p = cond(&x, "p", 0);
  cr_expect_float_eq(p->observed, 182, 1e-9); /* 2024-01-01..2024-06-30 */
  cr_assert_eq(p->nleft, 1);
  cr_expect(strstr(left_words(p, 0), "RSC provided 1 left out: supervisees is 0"), "%s",
            left_words(p, 0));
  const struct imhe_cond_result *a = cond(&x, "a", 0);
  /* Bo's 306 days, 122 of them by 2024-06-30: 12.2 h; Ann overlaps only the entry with no
   * supervisees */
  cr_expect_float_eq(a->observed, 12.2, 1e-9);
  cr_expect_eq(a->status, IMHE_STATUS_PASS);
  cr_assert_eq(a->nleft, 1);
  cr_expect(strstr(left_words(a, 0), "RSC 1 (Ann) left out: does not overlap"), "%s",
            left_words(a, 0));
  cr_expect(strstr(note_words(a), "RSC 2 (Bo) counts 12.2 of its 30.6 h"), "%s", note_words(a));
  /* the hours likewise: 10 + 12.2 */
  cr_expect_float_eq(cond(&x, "h", 0)->observed, 22.2, 1e-9);
  done(&x);
}

/* Reading 32: blank text is absent. A blank membership association fails membership even
 * where any association is accepted; a blank reported_to names no supervisor. */
Test(vm, blank_text_is_absent) {
  struct run x;
  run(&x,
      "policy t\naccepts members of any\n"
      "rule m for all require membership \"m\": membership\n"
      "rule r for all require references \"r\" when names_reported_to: reported_to_referenced\n",
      "id: T\nassociation: WI\ncategory: IFS\napplicant: {name: T, email: ' '}\n"
      "coupon: ''\nmembership: {association: '   ', expires: 2030-01-01}\n"
      "work:\n  - {title: '  ', start: 2020-01-01, reported_to: ' '}\n",
      "2025-01-01");
  cr_expect_eq(cond(&x, "m", 0)->status, IMHE_STATUS_FAIL);
  cr_expect(strstr(note_words(cond(&x, "m", 0)), "membership names no association"), "%s",
            note_words(cond(&x, "m", 0)));
  cr_expect_eq(x.res.rules[1].status, IMHE_STATUS_SKIPPED, "a blank reported_to names nobody");
  cr_expect_null(x.r.coupon.s);
  cr_expect_null(x.r.applicant_email.s);
  cr_expect(!x.r.sec[IMHE_SECTION_WORK].v[0].f[WORK_TITLE].present);
  done(&x);
}

/* Reading 33: provider endorsement codes compare without case and surrounding spaces, `none`
 * in any case is not endorsed; the record's own category stays an exact code. */
Test(vm, provider_endorsement_codes_ignore_case_and_spaces) {
  struct run x;
  run(&x,
      "policy t\nrule q for all require rsc \"q\": count(rsc where provider_endorsement in (ERS, "
      "IMHM-C, ECMHM-C)) >= 3\n",
      "id: T\nassociation: MI\ncategory: IFS\napplicant: {name: T}\nrsc:\n"
      "  - {provider: A, provider_endorsement: ers, start: 2024-01-01, end: 2024-02-01, hours: 1}\n"
      "  - {provider: B, provider_endorsement: ' IMHM-C ', start: 2024-01-01, end: 2024-02-01, "
      "hours: 1}\n"
      "  - {provider: C, provider_endorsement: [None, ecmhm-c], start: 2024-01-01, end: "
      "2024-02-01, hours: 1}\n"
      "  - {provider: D, provider_endorsement: NONE, start: 2024-01-01, end: 2024-02-01, hours: "
      "1}\n"
      "  - {provider: E, provider_endorsement: ' ', start: 2024-01-01, end: 2024-02-01, hours: "
      "1}\n",
      "2025-01-01");
  cr_expect_float_eq(cond(&x, "q", 0)->observed, 3, 1e-9);
  cr_expect_eq(cond(&x, "q", 0)->nleft, 2);
  imhe_record_clear(&x.r); /* the program judges the next record */
  char err[200];
  char path[] = "/tmp/imhe-cat-XXXXXX";
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  const char *rec = "id: T\nassociation: MI\ncategory: ifs\napplicant: {name: T}\n"
                    "endorsements: [{category: ' IFS', earned: 2020-01-01}]\n";
  cr_assert_eq(write(fd, rec, strlen(rec)), (ssize_t)strlen(rec));
  close(fd);
  struct imhe_loader *l = imhe_loader_open(path, NULL, err, sizeof err);
  cr_assert(l, "%s", err);
  cr_assert_eq(imhe_loader_next(l, &x.r), 1);
  cr_expect_eq(x.r.errors.n, 0, "codes are kept as written: the judging program types them");
  struct imhe_result res;
  imhe_evaluate(&x.p, &x.r, &x.r.arena, imhe_days_from_civil(2025, 1, 1), IMHE_AS_OF_SUBMITTED,
                &res);
  cr_expect_eq(res.errors.n, 2, "category and endorsements[].category are exact codes");
  imhe_loader_close(l);
  unlink(path);
  done(&x);
}

/* The report names the latest best window that ends by the as-of date; when none ends on
 * the as-of date itself, the window is named up to it. */
Test(vm, best_window_named_is_the_latest_ending_by_the_as_of_date) {
  struct run x;
  static const char *const policy =
      "policy t\nrule w for all require rsc \"w\": window(rsc, 24 months) >= 24 h\n";
  char rec[600];
  snprintf(rec, sizeof rec,
           "%srsc:\n  - {provider: A, start: 2023-01-01, end: 2023-12-31, hours: 30}\n", HEAD);
  /* every window from 2022-01-01 to 2023-01-01 holds all 30 h: the latest is named */
  run(&x, policy, rec, "2025-06-01");
  cr_expect_str_eq(note_words(cond(&x, "w", 0)),
                   "best 24-month window 2023-01-01..2024-12-31 holds 30 h");
  done(&x);
  snprintf(rec, sizeof rec,
           "%srsc:\n  - {provider: A, start: 2024-02-28, end: 2024-02-28, hours: 30}\n", HEAD);
  run(&x, policy, rec, "2024-02-28");
  cr_expect_str_eq(note_words(cond(&x, "w", 0)),
                   "best 24-month window 2022-03-01..2024-02-28 (to the as-of date) holds 30 h");
  done(&x);
}

/* A record of 300 RSC entries (more candidate days and knots than the window keeps on the stack):
 * 1 h on one day every third day from 2022-01-01; a 24-month window (730 or 731 days) holds at most
 * 244 of them, and the one from the first entry does. */
Test(vm, best_window_over_hundreds_of_entries) {
  struct run x;
  size_t cap = 64 * 1024, n = 0;
  char *rec = malloc(cap);
  cr_assert(rec);
  n += (size_t)snprintf(rec + n, cap - n, "%srsc:\n", HEAD);
  for (int k = 0; k < 300; k++) {
    int y, m, d;
    imhe_civil_from_days(imhe_days_from_civil(2022, 1, 1) + 3 * k, &y, &m, &d);
    n += (size_t)snprintf(
        rec + n, cap - n,
        "  - {provider: A, start: %04d-%02d-%02d, end: %04d-%02d-%02d, hours: 1}\n", y, m, d, y, m,
        d);
  }
  run(&x, "policy t\nrule w for all require rsc \"w\": window(rsc, 24 months) >= 24 h\n", rec,
      "2025-06-01");
  cr_expect_float_eq(cond(&x, "w", 0)->observed, 244, 1e-9);
  done(&x);
  free(rec);
}

Test(vm, effective_dated_bases_pick_the_era_of_the_as_of_date) {
  struct run x;
  const char *rec = "id: T\nassociation: MI\ncategory: ERS\napplicant: {name: T}\n";
  run(&x,
      "policy t extends legacy before 2025-01-01, alliance-2025 from 2025-01-01\noffers IMH, "
      "ECMH\n",
      rec, "2024-12-31");
  cr_expect_str_eq(x.res.base, "legacy");
  cr_expect_eq(x.res.failed_areas, area_bit("category"),
               "ERS is not offered under the legacy base");
  done(&x);
  run(&x,
      "policy t extends legacy before 2025-01-01, alliance-2025 from 2025-01-01\noffers IMH, "
      "ECMH\n",
      rec, "2025-01-01");
  cr_expect_str_eq(x.res.base, "alliance-2025");
  cr_expect_eq(x.res.failed_areas & area_bit("category"), 0);
  done(&x);
}

Test(vm, reported_to_names_compare_without_case_and_spaces) {
  struct run x;
  char rec[800];
  snprintf(rec, sizeof rec,
           "%swork:\n  - {start: 2020-01-01, reported_to: '  MARIA lopez '}\n  - {start: "
           "2010-01-01, end: 2011-01-01, "
           "reported_to: Old Boss}\nreferences:\n  - {name: Maria Lopez, role: supervisor, status: "
           "completed}\n",
           HEAD);
  run(&x,
      "policy t\nrule r for all require references \"r\" when names_reported_to: "
      "reported_to_referenced\n",
      rec, "2024-01-01");
  cr_expect_eq(x.res.rules[0].status, IMHE_STATUS_PASS,
               "only the current job's supervisor is required");
  done(&x);
}

Test(vm, references_are_matched_to_slots_one_to_one) {
  struct run x;
  char rec[800];
  snprintf(rec, sizeof rec,
           "%sreferences:\n  - {name: A, role: teacher, status: completed}\n  - {name: B, role: "
           "program_supervisor, "
           "status: completed}\n  - {name: C, role: rsc_provider, status: requested}\n",
           HEAD);
  run(&x,
      "policy t\nrule r for all require references \"r\":\n  slots(references where status = "
      "completed, "
      "(program_supervisor, teacher), (rsc_provider), (teacher, colleague)) >= 3\n",
      rec, "2024-01-01");
  const struct imhe_cond_result *c = cond(&x, "r", 0);
  cr_expect_float_eq(c->observed, 2, 1e-9);
  cr_expect(strstr(note_words(c), "no completed reference fills the 2nd place, which needs one "
                                  "from an RSC provider"),
            "%s", note_words(c));
  cr_expect(strstr(left_words(c, 0), "references 3 (C) left out: status requested, not completed"),
            "%s", left_words(c, 0));
  done(&x);
}

/* An entry an `or` leaves out is explained by every alternative: unsupervised volunteer work is
 * left out because it was not supervised, not only because it was volunteer. */
Test(vm, an_or_filter_names_each_alternative_that_would_let_an_entry_in) {
  struct run x;
  char rec[800];
  snprintf(rec, sizeof rec,
           "%swork:\n  - {title: Helper, start: 2020-01-01, kind: volunteer}\n"
           "  - {title: Aide, start: 2020-01-01, kind: volunteer, supervised: true}\n",
           HEAD);
  run(&x,
      "policy t\nrule w for all require work \"w\":\n  years(work where (kind = paid or "
      "supervised)) >= 2 years\n",
      rec, "2024-01-01");
  const struct imhe_cond_result *c = cond(&x, "w", 0);
  cr_assert_eq(c->nleft, 1);
  cr_expect_eq(c->left_out[0].why->code, IMHE_REASON_VALUE_NOT_WANTED, "the first reason's code");
  cr_expect(strstr(left_words(c, 0), "work 1 (Helper) left out: kind volunteer, not paid, and "
                                     "supervised is not true"),
            "%s", left_words(c, 0));
  done(&x);
}

/* The VM keeps no global state: one verified program judges records on several threads at
 * once, and each thread's reports (JSON and text) are byte-identical to a single-threaded run's. */
#include "runtime/report/report.h"
#include <pthread.h>

struct worker {
  const struct imhe_program *p;
  char *out;
  size_t len;
};

static void *judge_examples(void *arg) {
  struct worker *w = arg;
  FILE *f = open_memstream(&w->out, &w->len);
  static const char *const files[] = {
      "examples/wi-ifs-eligible.yaml", "examples/wi-ifs-short-rsc.yaml",
      "examples/wi-imhs-pending-exam.yaml", "examples/wi-ifa-coupon.yaml"};
  for (int round = 0; round < 25; round++)
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
      char err[200];
      struct imhe_loader *l = imhe_loader_open(files[i], NULL, err, sizeof err);
      struct imhe_record r;
      while (imhe_loader_next(l, &r) == 1) {
        struct imhe_result res;
        imhe_evaluate(w->p, &r, &r.arena, r.submitted, IMHE_AS_OF_SUBMITTED, &res);
        imhe_report_json(f, &r, &res);
        imhe_report_text(f, &r, &res, NULL);
        imhe_record_clear(&r);
      }
      imhe_loader_close(l);
    }
  fclose(f);
  return NULL;
}

Test(vm, evaluation_is_reentrant_across_threads) {
  struct imhe_program p;
  cr_assert_eq(compile_to("rules/wi.imhe", &p, NULL), 0);
  struct worker w[3] = {{&p, NULL, 0}, {&p, NULL, 0}, {&p, NULL, 0}};
  judge_examples(&w[0]);
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, judge_examples, &w[i + 1]);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  cr_expect_gt(w[0].len, 1000);
  cr_expect(strstr(w[0].out, "\n  verdict: eligible\n"), "no text report: %.300s", w[0].out);
  cr_expect(w[1].len == w[0].len && !memcmp(w[1].out, w[0].out, w[0].len), "thread 1 differs");
  cr_expect(w[2].len == w[0].len && !memcmp(w[2].out, w[0].out, w[0].len), "thread 2 differs");
  for (int i = 0; i < 3; i++)
    free(w[i].out);
  imhe_program_free(&p);
}

/* ---- renewal and reinstatement ---- */

static void run_kind(struct run *x, const char *association, const char *record,
                     const char *as_of) {
  run_named(x, association, NULL, record, as_of, IMHE_AS_OF_DEADLINE);
}

Test(vm, cycle_deadline_must_be_december_31_of_a_cycle_year) {
  struct run x;
  const char *rec =
      "kind: renewal\nid: R\nassociation: MI\napplicant: {name: R}\nrenewal_deadline: 2026-06-30\n"
      "endorsements:\n  - {category: IFS, earned: 2020-01-01}\n";
  run_kind(&x, "mi", rec, "2026-06-30");
  cr_expect_eq(x.res.verdict, IMHE_VERDICT_INVALID);
  cr_expect_eq(x.r.errors.n, 0, "the record itself is not changed by judging");
  cr_expect(x.res.errors.n &&
            strstr(x.res.errors.v[0].text, "is not a 3-year cycle deadline (December 31 of 2024, "
                                           "2027, 2030, ...)"));
  cr_expect_eq(x.res.errors.v[0].line, 5);
  done(&x);
}

Test(vm, nothing_is_due_under_a_year_endorsed) {
  struct run x;
  const char *rec =
      "kind: renewal\nid: R\nassociation: MI\napplicant: {name: R}\nrenewal_deadline: 2027-12-31\n"
      "endorsements:\n  - {category: IFS, earned: 2027-06-30}\n";
  run_kind(&x, "mi", rec, "2027-12-31");
  cr_expect_eq(x.res.verdict, IMHE_VERDICT_ELIGIBLE);
  cr_expect_eq(x.res.nrules, 1);
  cr_expect(strstr(rule_words(&x.res, 0), "no renewal is due: endorsed 2027-06-30"));
  done(&x);
}

Test(vm, years_endorsed_set_what_the_cycle_asks) {
  struct run x;
  /* 2021-01-01 to 2027-12-31: six whole years, so 45 h and 36 h; no RSC-requiring endorsement (IFA)
   */
  const char *rec =
      "kind: renewal\nid: R\nassociation: MI\napplicant: {name: R}\nrenewal_deadline: 2027-12-31\n"
      "endorsements:\n  - {category: IFA, earned: 2021-01-01}\nmembership: {association: MI, "
      "expires: 2028-01-01}\nethics_signed: 2027-01-01\ntraining:\n  - {title: T, date: "
      "2025-01-01, hours: 44}\n";
  run_kind(&x, "mi", rec, "2027-12-31");
  cr_expect_eq(x.res.failed_areas, area_bit("training"), "RSC is not asked of an IFA");
  cr_expect_float_eq(cond(&x, "cycle_training_3", 0)->required, 45, 1e-9);
  done(&x);
}

Test(vm, reinstatement_only_where_and_when_offered) {
  struct run x;
  const char *rec = "kind: reinstatement\nid: R\nassociation: WI\napplicant: {name: R}\n";
  run_kind(&x, "wi", rec, "2026-01-01");
  cr_expect_eq(x.res.failed_areas, area_bit("category"));
  cr_expect(strstr(rule_words(&x.res, 0), "does not offer reinstatement"));
  done(&x);
  run_kind(&x, "mi", rec, "2024-06-01");
  cr_expect(strstr(rule_words(&x.res, 0), "offers reinstatement only from 2025-01-01"));
  done(&x);
  const char *ok =
      "kind: reinstatement\nid: R\nassociation: MI\napplicant: {name: R}\nrsc_attested: false\n"
      "endorsements:\n  - {category: IMHS, earned: 2015-01-01}\nmembership: {association: MI, "
      "expires: 2027-01-01}\nethics_signed: 2026-01-01\ntraining:\n  - {title: T, date: "
      "2025-06-01, hours: 15}\n";
  run_kind(&x, "mi", ok, "2026-05-31");
  cr_expect_eq(x.res.failed_areas, area_bit("rsc"), "an IMHS must attest a current RSC provider");
  done(&x);
}
