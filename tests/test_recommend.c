/* test_recommend.c — `imhe recommend`: every category the association offers judged, those met
 * first, the rest closest first, JSON a strict reader accepts; and the wording fixes of the full
 * text view (alternatives not needed, the exam, advisories as information). */
#include "helpers.h"
#include "json.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *imhe(const char *args, int *rc) {
  char cmd[2000], *out;
  snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s %s 2>/dev/null", imhe_bin(), args);
  int r = run_cmd(cmd, &out);
  if (rc)
    *rc = r;
  return out;
}

Test(recommend, eligible_category_first_then_closest) {
  int rc;
  char *out = imhe("recommend examples/wi-ifs-eligible.yaml", &rc);
  cr_assert(out);
  cr_expect_eq(rc, 0);
  cr_expect(strstr(out, "  met now: IFS\n"), "%s", out);
  cr_expect(strstr(out, "    1. IFA: 1 requirement unmet"), "%s", out);
  free(out);
}

/* WI offers the infant track only: six categories, never an early-childhood one. */
Test(recommend, json_ranks_every_offered_category) {
  char *out = imhe("recommend --format json examples/wi-ifs-short-rsc.yaml", NULL);
  cr_assert(out);
  char err[200];
  struct json *v = json_parse(out, strlen(out), err, sizeof err);
  cr_assert(v, "%s: %s", err, out);
  const struct json *cats = json_get(v, "categories");
  cr_assert(cats && cats->type == JSON_ARRAY);
  cr_expect_eq(cats->n, 6);
  double last_unmet = -1, last_short = -1;
  for (size_t i = 0; i < cats->n; i++) {
    const struct json *c = &cats->items[i];
    const struct json *cat = json_get(c, "category"), *unmet = json_get(c, "unmet"),
                      *sh = json_get(c, "shortfall"), *needs = json_get(c, "needs");
    cr_assert(cat && unmet && sh && needs);
    cr_expect_null(strstr(cat->str, "EC"), "WI does not offer %s", cat->str);
    cr_expect(unmet->num > last_unmet || (unmet->num == last_unmet && sh->num >= last_short),
              "%s out of order", cat->str);
    cr_expect_eq(needs->n, (size_t)unmet->num, "one need per unmet requirement");
    last_unmet = unmet->num;
    last_short = sh->num;
  }
  cr_expect_str_eq(json_get(&cats->items[0], "category")->str, "IFA");
  cr_expect_str_eq(json_get(&cats->items[1], "category")->str, "IFS");
  cr_expect_eq(json_get(v, "met")->n, 0);
  json_free(v);
  free(out);
}

Test(recommend, renewals_and_invalid_records_are_not_ranked) {
  int rc;
  char *out = imhe("recommend examples/wi-annual-renewal.yaml", &rc);
  cr_expect_eq(rc, 0);
  cr_expect(out && strstr(out, "not ranked: not an application"), "%s", out);
  free(out);
  out = imhe("recommend examples/ct-invalid-record.yaml", &rc);
  cr_expect_eq(rc, 2);
  cr_expect(out && strstr(out, "not ranked: membership.expires"), "%s", out);
  free(out);
  out = imhe("recommend --format letter examples/wi-ifs-eligible.yaml", &rc);
  cr_expect_eq(rc, 2, "an unknown format is refused");
  free(out);
}

/* An `any of` met by one alternative shows the others as not needed, not as failed. */
Test(wording, an_alternative_not_needed_is_not_a_failure) {
  char *out = imhe("check examples/mi-ifa-legacy-scholarship.yaml", NULL);
  cr_assert(out);
  cr_expect(strstr(out, "– an academic degree: no degree; required an academic degree (associate "
                        "or higher) (not needed: another alternative is met)"),
            "%s", out);
  cr_expect_null(strstr(out, "✗ an academic degree"));
  free(out);
}

Test(wording, advisories_read_as_information) {
  char *out = imhe("check examples/ct-ecfs-eligible.yaml", NULL);
  cr_assert(out);
  cr_expect(strstr(out, "! for information: training at or above"), "%s", out);
  free(out);
}

/* The observed degree is the one the applicant holds, with its date, not a class of degrees. */
Test(wording, the_degree_observed_is_the_one_held) {
  char *out = imhe("check examples/*.yaml", NULL);
  cr_assert(out);
  cr_expect(strstr(out, "a masters degree or higher: a masters degree (completed 2019-05-01); "
                        "required masters or higher"),
            "%s", out);
  cr_expect(strstr(out, ": a doctorate degree (completed 2010-06-01); required masters"), "%s",
            out);
  cr_expect(!strstr(out, ": masters or higher; required"), "%s", out);
  free(out);
}

/* A record not eligible on other grounds may sit the exam only once they are met. */
Test(wording, the_exam_waits_for_the_other_requirements) {
  char *dir = temp_dir(), path[600], args[800];
  snprintf(path, sizeof path, "%s/rec.yaml", dir);
  size_t n;
  char *rec = read_all("examples/wi-imhs-pending-exam.yaml", &n);
  cr_assert(rec);
  char *ag = strstr(rec, "agreement_signed:");
  cr_assert(ag);
  memcpy(ag, "#greement_signed:", 17); /* the agreement no longer signed */
  cr_assert_eq(write_all(path, rec, n), 0);
  snprintf(args, sizeof args, "check %s", path);
  char *out = imhe(args, NULL);
  cr_expect(out && strstr(out, "may sit the written exam, once the other requirements are met"),
            "%s", out);
  free(out);
  snprintf(args, sizeof args, "report %s", path);
  out = unwrap(imhe(args, NULL));
  cr_expect(out && strstr(out, "may sit the written exam once the other requirements are met"),
            "%s", out);
  free(out);
  out = imhe("check examples/wi-imhs-pending-exam.yaml", NULL);
  cr_expect(out && !strstr(out, "once the other requirements"), "eligible but for the exam");
  free(out);
  free(rec);
  free(dir);
}

/* Markdown that CommonMark renders as written, HTML with every string escaped. */
Test(recommend, markdown_and_html_escape_the_record) {
  char *dir = temp_dir(), path[600], cmd[1200];
  snprintf(path, sizeof path, "%s/rec.yaml", dir);
  size_t n;
  char *rec = read_all("examples/wi-ifs-short-rsc.yaml", &n);
  cr_assert(rec);
  char *name = strstr(rec, "{name: Casey Moreno}");
  cr_assert(name);
  static const char hostile[] = "{name: '<b>*C*'}      ";
  memcpy(name, hostile, strlen("{name: Casey Moreno}"));
  cr_assert_eq(write_all(path, rec, n), 0);
  snprintf(cmd, sizeof cmd, "%s recommend --format markdown %s | cmark", imhe_bin(), path);
  char *out;
  int rc = run_cmd(cmd, &out);
  if (rc != 127) {
    cr_expect(out && strstr(out, "<h2>&lt;b&gt;*C* (WI-2026-0102), WI</h2>"), "%s", out);
    cr_expect(out && strstr(out, "<li><strong>IFA</strong>: 1 unmet, shortfall 0.33"), "%s", out);
    free(out);
  }
  snprintf(cmd, sizeof cmd, "%s recommend --format html %s", imhe_bin(), path);
  run_cmd(cmd, &out);
  cr_assert(out);
  cr_expect(!strncmp(out, "<!DOCTYPE html>\n<html lang=\"en\">", 31));
  cr_expect(strstr(out, "<h2>&lt;b&gt;*C* (WI-2026-0102), WI</h2>"), "%s", out);
  cr_expect(strstr(out, "<th scope=\"col\">Still needed</th>"));
  cr_expect_null(strstr(out, "<b>"));
  cr_expect(strstr(out, "</html>\n"));
  free(out);
  free(rec);
  free(dir);
}

/* The full text view counts entries from 1 and keeps the policy authors' notes to themselves. */
Test(wording, entries_from_1_and_no_reading_notes) {
  char *out = imhe("check examples/mi-ers-prerequisite.yaml examples/mi-renewal-cycle.yaml", NULL);
  cr_assert(out);
  cr_expect(strstr(out, "counted: RSC 1 (Dr. Kay Ott)"), "%s", out);
  cr_expect(strstr(out, "RSC 2 (Peer group) left out: "), "%s", out);
  cr_expect_null(strstr(out, "rsc[0]"));
  cr_expect_null(strstr(out, "(reading"));
  cr_expect_null(strstr(out, "reading 16"));
  free(out);
}
