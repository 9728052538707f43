/* test_deficiency.c — `imhe report`, the deficiency report an applicant is sent: golden files of
 * each format over examples/, record text escaped for each format, CommonMark that renders
 * without leftovers, the HTML's batch index, and what a reviewer relies on in the words. */
#include "helpers.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *report(const char *args, int *rc) {
  char cmd[2000], *out;
  snprintf(cmd, sizeof cmd, "%s report %s 2>/dev/null", imhe_bin(), args);
  int r = run_cmd(cmd, &out);
  if (rc)
    *rc = r;
  return out;
}

/* The letter for example `file` with the text `old` replaced by `new` of the same length, its
 * lines unwrapped (malloc'd). */
static char *report_edited(const char *file, const char *old, const char *new) {
  char *dir = temp_dir(), path[600];
  snprintf(path, sizeof path, "%s/rec.yaml", dir);
  size_t n;
  char *rec = read_all(file, &n);
  cr_assert(rec);
  char *at = strstr(rec, old);
  cr_assert(at, "%s has no '%s'", file, old);
  cr_assert_eq(strlen(old), strlen(new));
  memcpy(at, new, strlen(new));
  cr_assert_eq(write_all(path, rec, n), 0);
  char *out = unwrap(report(path, NULL));
  free(rec);
  free(dir);
  return out;
}

/* The report of every example in `format` is the golden file, byte for byte; with
 * UPDATE_GOLDEN=1 in the environment the golden file is rewritten instead. */
static void golden(const char *format, const char *file) {
  char args[200], path[200];
  snprintf(args, sizeof args, "--format %s examples/*.yaml", format);
  snprintf(path, sizeof path, "tests/golden/report/%s", file);
  char *out = report(args, NULL);
  cr_assert(out && out[0], "no report in %s", format);
  if (getenv("UPDATE_GOLDEN") && !strcmp(getenv("UPDATE_GOLDEN"), "1"))
    cr_assert_eq(write_all(path, out, strlen(out)), 0);
  size_t n;
  char *want = read_all(path, &n);
  cr_assert(want, "missing %s (UPDATE_GOLDEN=1 makes it)", path);
  if (strcmp(out, want)) {
    char *diff;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "%s report %s 2>/dev/null | diff -u %s - | head -40", imhe_bin(),
             args, path);
    run_cmd(cmd, &diff);
    cr_expect(0, "%s differs from the report:\n%s", path, diff ? diff : "");
    free(diff);
  }
  free(out);
  free(want);
}

Test(deficiency, text_is_its_golden_file) {
  golden("text", "examples.txt");
}
Test(deficiency, markdown_is_its_golden_file) {
  golden("markdown", "examples.md");
}
Test(deficiency, html_is_its_golden_file) {
  golden("html", "examples.html");
}

/* A record whose name and entry titles are full of what each format gives a meaning to. */
static char *hostile_record(void) {
  char *dir = temp_dir();
  char path[600];
  snprintf(path, sizeof path, "%s/hostile.yaml", dir);
  static const char yaml[] =
      "id: WI-2026-9001\nassociation: WI\ncategory: IFS\nsubmitted: 2026-05-01\n"
      "applicant: {name: \"<b>&\\\"'*_`# [x](y) Kim\"}\n"
      "membership: {association: WI, expires: 2026-12-31}\n"
      "agreement_signed: 2026-04-01\nethics_signed: 2026-04-01\n"
      "education:\n  - {degree: bachelors, field: Social Work, completed: 2015-05-20}\n"
      "work:\n  - {title: \"*Family* <i>Advocate</i> & co\", employer: X, start: 2022-01-10, "
      "kind: paid, scope: intervention, ages: [infant], families_served: 2}\n"
      "training:\n  - {title: T, date: 2023-03-04, hours: 36}\n"
      "rsc:\n  - {provider: \"1. _R_ <Ng>\", provider_endorsement: IFS, start: 2025-09-01, "
      "end: 2026-01-31, hours: 26}\n"
      "references:\n  - {name: \"- Pat **Rowe**\", role: supervisor, status: completed}\n";
  cr_assert_eq(write_all(path, yaml, sizeof yaml - 1), 0);
  free(dir);
  return strdup(path);
}

Test(deficiency, html_escapes_every_string_of_the_record) {
  char *path = hostile_record(), args[700];
  snprintf(args, sizeof args, "--format html %s", path);
  char *out = report(args, NULL);
  cr_assert(out);
  cr_expect(strstr(out, "&lt;b&gt;&amp;&quot;&#39;*_`# [x](y) Kim"), "name not escaped:\n%s", out);
  cr_expect(strstr(out, "*Family* &lt;i&gt;Advocate&lt;/i&gt; &amp; co"));
  cr_expect(strstr(out, "1. _R_ &lt;Ng&gt;"));
  cr_expect_null(strstr(out, "<b>"));
  cr_expect_null(strstr(out, "<i>"));
  cr_expect_null(strstr(out, "<script"));
  cr_expect_null(strstr(out, "http"), "the page fetches nothing");
  free(out);
  free(path);
}

/* Markdown rendered by a CommonMark parser (Debian's cmark) shows the record's text as written. */
Test(deficiency, markdown_prints_the_record_text_as_itself) {
  char *path = hostile_record(), cmd[900];
  snprintf(cmd, sizeof cmd, "%s report --format markdown %s | cmark", imhe_bin(), path);
  char *html;
  int rc = run_cmd(cmd, &html);
  if (rc == 127)
    cr_skip_test("cmark is not installed");
  cr_assert(html);
  cr_expect(strstr(html, "&lt;b&gt;&amp;&quot;'*_`# [x](y) Kim"), "name changed:\n%s", html);
  cr_expect(strstr(html, "*Family* &lt;i&gt;Advocate&lt;/i&gt; &amp; co"), "title:\n%s", html);
  cr_expect(strstr(html, "1. _R_ &lt;Ng&gt;"), "provider:\n%s", html);
  cr_expect(strstr(html, "- Pat **Rowe**"), "reference:\n%s", html);
  cr_expect_null(strstr(html, "<em>Family"), "no emphasis from the record:\n%s", html);
  cr_expect_null(strstr(html, "<em>R"));
  cr_expect_null(strstr(html, "<strong>Rowe"));
  cr_expect_null(strstr(html, "<code>"));
  cr_expect_null(strstr(html, "<a href"));
  free(html);
  free(path);
}

/* The golden Markdown renders without leftovers: no stray markers, no backslashes shown. */
Test(deficiency, markdown_renders_without_leftovers) {
  char cmd[600], *html;
  snprintf(cmd, sizeof cmd, "%s report --format markdown examples/*.yaml 2>/dev/null | cmark",
           imhe_bin());
  int rc = run_cmd(cmd, &html);
  if (rc == 127)
    cr_skip_test("cmark is not installed");
  cr_assert(html && html[0]);
  cr_expect_null(strstr(html, "**"), "an unclosed strong marker");
  cr_expect_null(strstr(html, "\\"), "a backslash shown");
  cr_expect(strstr(html, "<h2>Casey Moreno (WI-2026-0102)</h2>"));
  cr_expect(strstr(html, "<h4>Reflective Supervision/Consultation</h4>"));
  free(html);
}

Test(deficiency, text_has_no_marks_ids_or_paths) {
  char *out = report("examples/*.yaml", NULL);
  cr_assert(out);
  cr_expect_null(strstr(out, "✓"));
  cr_expect_null(strstr(out, "✗"));
  cr_expect_null(strstr(out, ".imhe"), "no policy file named without --verbose");
  cr_expect_null(strstr(out, "specialist_rsc"), "no rule id");
  cr_expect_null(strstr(out, "rsc[0]"), "no 0-based index");
  cr_expect_null(strstr(out, "(reading"), "no internal reading notes");
  free(out);
  out = report("--verbose examples/wi-ifs-short-rsc.yaml", NULL);
  cr_expect(strstr(out, "(rule specialist_rsc, rules/legacy.imhe:"), "verbose cites the rule");
  free(out);
}

/* Only the unmet requirements, under the application system's tabs in its order. */
Test(deficiency, unmet_requirements_grouped_by_tab_in_order) {
  int rc;
  char *out = report("examples/ct-imhmc-deficient.yaml", &rc);
  cr_assert(out);
  cr_expect_eq(rc, 1);
  cr_expect(strstr(out, "Not yet eligible as of 2025-11-01: 3 requirements unmet."), "%s", out);
  const char *work = strstr(out, "\nWork\n"), *train = strstr(out, "\nTrainings\n"),
             *exam = strstr(out, "\nExam\n");
  cr_assert(work && train && exam, "%s", out);
  cr_expect(work < train && train < exam);
  cr_expect_null(strstr(out, "\nEducation\n"), "a met tab is not listed");
  cr_expect(strstr(out, "Has 10 h; needs at least 15 h: add 5 h."));
  cr_expect(strstr(out, "Counted: 1st training, Reflective Supervision Seminar, 2024-02-04."));
  cr_expect(strstr(out, "FOR INFORMATION"));
  cr_expect(strstr(out, "Source: Endorsement Overview, pathways chart (legacy Alliance "
                        "requirements)."),
            "the policy's `source` is cited");
  free(out);
}

Test(deficiency, pending_exam_and_not_eligible_exam_wording) {
  char *out = report("examples/wi-imhs-pending-exam.yaml", NULL);
  cr_assert(out);
  cr_expect(strstr(out, "Eligible once the written exam is passed as of 2026-06-01"));
  cr_expect(strstr(out, "The applicant may now sit the written exam."));
  free(out);
}

/* The HTML is one page with an index row per applicant linking to an anchor that exists. */
Test(deficiency, html_index_links_to_each_applicant) {
  char *out =
      report("--format html examples/wi-ifs-short-rsc.yaml examples/wi-ifs-eligible.yaml", NULL);
  cr_assert(out);
  cr_expect(!strncmp(out, "<!DOCTYPE html>\n<html lang=\"en\">", 31));
  cr_expect(strstr(out, "@media print"));
  cr_expect(strstr(out, "break-before:page"));
  int rows = 0;
  for (const char *p = out; (p = strstr(p, "<tr><td><a href=\"#")); p++) {
    rows++;
    const char *id = p + 18;
    size_t n = strcspn(id, "\"");
    char anchor[200];
    snprintf(anchor, sizeof anchor, "id=\"%.*s\"", (int)n, id);
    cr_expect(strstr(out, anchor), "no %s", anchor);
  }
  cr_expect_eq(rows, 2);
  const char *index_end = strstr(out, "</table>"),
             *first = strstr(out, "<section class=\"applicant\"");
  cr_expect(index_end && first && index_end < first, "the index comes first");
  free(out);
}

/* A rule without a `source` in its policy is cited as the association's requirements. */
Test(deficiency, a_rule_without_a_source_cites_the_association) {
  char *out = report("examples/wi-ecfa-not-offered.yaml", NULL);
  cr_assert(out);
  cr_expect(strstr(out, "* WI-AIMH does not offer ECFA."), "%s", out);
  free(out);
  char *dir = temp_dir(), cmd[1200];
  snprintf(cmd, sizeof cmd,
           "printf 'policy p\\nrule r for all require training \"training\":\\n"
           "  sum(training.hours) >= 300 h\\n' > %s/p.imhe && %s report --policy %s/p.imhe "
           "examples/wi-ifs-eligible.yaml",
           dir, imhe_bin(), dir);
  run_cmd(cmd, &out);
  cr_expect(out && strstr(out, "Source: p endorsement requirements."), "%s", out ? out : "");
  free(out);
  free(dir);
}

/* The HTML shows each applicant's entries on a time axis: inline SVG, the entries left out hatched
 * with their reason, the best RSC window and the as-of date marked. */
Test(deficiency, html_timeline_marks_what_was_left_out) {
  char *out = report("--format html examples/wi-ifs-short-rsc.yaml", NULL);
  cr_assert(out);
  cr_expect(strstr(out, "<svg role=\"img\" aria-labelledby=\"t-a-WI-2026-0102-3\""), "%s", out);
  cr_expect(strstr(out, "<title>Work 2: Parent Educator</title>"));
  cr_expect(strstr(out, "fill=\"url(#h-a-WI-2026-0102-3)\"><title>not counted: kind volunteer, "
                        "not paid</title>"));
  cr_expect(strstr(out, "<title>best RSC window</title>"));
  cr_expect(strstr(out, ">as of 2026-05-01</text>"));
  cr_expect_null(strstr(out, "<script"));
  free(out);
}

/* RSC spread over an entry longer than the period says how much a month counts. */
Test(deficiency, rsc_spread_over_a_long_entry_says_so) {
  char *out = report_edited("examples/wi-ifs-short-rsc.yaml",
                            "start: 2025-09-01, end: 2026-01-31, hours: 26}",
                            "start: 2020-05-01, end: 2026-01-31, hours: 40}");
  cr_expect(out && strstr(out, "Found: the 1st RSC entry, R. Ng, 2020-05-01 to 2026-01-31, spreads "
                               "40 h over 69 months: about 0.6 h a month"),
            "%s", out);
  free(out);
}

/* A coupon not applied is said once, with why. */
Test(deficiency, a_coupon_not_applied_says_why_once) {
  char *out = report_edited("examples/wi-ifa-coupon.yaml", "coupon: IT-CREDENTIAL",
                            "coupon: SCHOLARSHIP  ");
  cr_expect(out && strstr(out, "Coupon SCHOLARSHIP not applied: WI-AIMH has no such coupon."), "%s",
            out);
  cr_expect(out && !strstr(out, "SCHOLARSHIP: not applied"), "%s", out);
  free(out);
}

/* A coupon whose condition is a yes/no measure (WI's IT-CREDENTIAL: `credential(...)`) says what
 * the record lacks, in plain words, not only that "its condition is not met". */
Test(deficiency, a_coupon_refused_by_a_yes_no_condition_says_what_is_missing) {
  char *out = report_edited("examples/wi-ifa-coupon.yaml", "credential: infant_toddler_credential,",
                            "credential: cda,                      "); /* another credential */
  cr_expect(out && strstr(out, "Coupon IT-CREDENTIAL not applied: no infant toddler credential."),
            "%s", out);
  cr_expect(out && !strstr(out, "condition is not met"), "%s", out);
  free(out);
}

/* What the examples do not reach, in the words an applicant is sent (tests/report/findings.yaml):
 * the supervisor a job names who gave no reference, the degree held against the one required,
 * RSC counted only up to the as-of date, competencies without a transcript or over 12, a long
 * list of counted entries cut short, a passed exam, a reinstatement, a record with no id, name
 * or category, and one with no degree and RSC years before the best period. */
Test(deficiency, findings_are_worded_for_the_applicant) {
  int rc;
  /* the letter wraps its lines at 78 columns: compare the words, not where the lines break */
  char *out = unwrap(report("tests/report/findings.yaml", &rc));
  cr_assert(out);
  cr_expect_eq(rc, 2, "the last record is invalid: exit %d", rc);
  static const char *const want[] = {
      "  - No completed reference from Maria Lopez, the supervisor named in the 1st work entry, "
      "Home Visitor, 2022-03-01.\n",
      "  - Has an associate degree (completed 2015-05-20); needs a bachelors degree or higher.\n",
      "  - Found: the 1st RSC entry, Dr. Kay Ott, 2023-10-01 to 2026-09-30, counts 20.89 of its 30 "
      "h: only its days up to the as-of date count.\n",
      "  - Found: the 1st degree, associate in Early Childhood Education, Lansing Community "
      "College, 2016-05-20 lists 2 competencies without a transcript (official or unofficial).\n",
      "  - Found: the 4th training, Home Visiting Basics, 2024-11-05 lists 2 competencies; at most "
      "1 counts (one per whole training hour).\n",
      /* a credential is named as one, and one competency is one */
      "  - Found: the 2nd credential, graduate certificate, 2020-05-20 lists 1 competency without "
      "a "
      "transcript (official or unofficial).\n",
      "  - Found: the 1st degree, associate in Early Childhood Education, 2016-05-20 lists 13 "
      "competencies; at most 12 count.\n",
      "; 12th training, Session 12, 2024-12-10; and more.\n",
      "WRITTEN EXAM\nThe written exam is passed.\n",
      "Kofi Nguyen (REP-REINSTATE)\nReinstatement, MI-AIMH\n",
      "Applicant (no id)\nNo category, WI\n",
      "  - Has no degree; needs a bachelors degree or higher.\n",
      "holds 10 h.\n  - Counted: 1st RSC entry, R. Ng, 2025-09-01 to 2026-01-31.\n  Source:",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    char *w = unwrap(strdup(want[i])), *b = w, *e = w + strlen(w);
    while (*b == ' ')
      b++;
    while (e > b && e[-1] == ' ')
      *--e = 0;
    cr_expect(strstr(out, b), "missing '%s' in:\n%s", b, out);
    free(w);
  }
  cr_expect_null(strstr(out, "Session 13"), "only 12 counted entries are named:\n%s", out);
  /* an RSC entry wholly before the best period is neither counted nor said to spread into it */
  cr_expect_null(strstr(out, "A. Old, 2010-01-01 to 2010-12-31, spreads"), "%s", out);
  free(out);
  out = report("--format html tests/report/findings.yaml", NULL);
  cr_expect(out && strstr(out, "id=\"a-rep-no-degree-2-"), "the anchor keeps letters and digits");
  free(out);
}

/* The timeline at its limits (tests/report/timeline.yaml): the axis starts 15 years before the
 * as-of date however old a job is, a job's days after the as-of date are hatched as not counted,
 * a label is cut before a UTF-8 character rather than inside it, a job starting past the axis sits
 * at its end, and at most 40 rows are drawn. */
Test(deficiency, html_timeline_at_its_limits) {
  char *out = report("--format html tests/report/timeline.yaml", NULL);
  cr_assert(out);
  cr_expect(strstr(out, "<text x=\"212\" y=\"12\">2011</text>"), "the axis starts in 2011:\n%s",
            out);
  cr_expect(strstr(out, "<rect x=\"210\" y=\"29\" width=\"439.55\" height=\"12\" "
                        "fill=\"#1f5f8b\"><title>Work 1: Home visitor and coach, équipe mobile "
                        "de Québec</title></rect>"),
            "%s", out);
  cr_expect(strstr(out, "fill=\"url(#h-a-TL-1-4)\"><title>after the as-of date: not "
                        "counted</title>"),
            "%s", out);
  cr_expect(strstr(out, ">Work 1: Home visitor and coach, …</text>"), "cut before 'é':\n%s", out);
  cr_expect(strstr(out, "<rect x=\"670\" y=\"47\" width=\"1\" height=\"12\" "
                        "fill=\"#1f5f8b\"><title>Work 2: Future job"),
            "%s", out);
  cr_expect(strstr(out, "<title>Leadership 38: Board seat 38</title>"), "%s", out);
  cr_expect_null(strstr(out, "<title>Leadership 39:"), "40 rows at most:\n%s", out);
  cr_expect_null(strstr(out, "<title>RSC received 1"), "40 rows at most:\n%s", out);
  free(out);
}

Test(deficiency, report_refuses_check_formats) {
  int rc;
  char *out = report("--format json examples/wi-ifs-eligible.yaml", &rc);
  cr_expect_eq(rc, 2);
  free(out);
}

/* --verbose cites each unmet rule's id and file:line in Markdown and HTML as in text; an advisory
 * of several conditions lists only those not met, and an `any of` alternative not needed is not
 * reported missing. */
Test(deficiency, verbose_cites_rules_in_every_format) {
  static const char *const formats[] = {"text", "markdown", "html"};
  for (int f = 0; f < 3; f++) {
    char args[300];
    snprintf(args, sizeof args,
             "--verbose --format %s --policy tests/policies/good/advice.imhe "
             "tests/policies/good/advice.yaml",
             formats[f]);
    int rc;
    char *out = unwrap(report(args, &rc));
    cr_assert(out, "%s", formats[f]);
    cr_expect_eq(rc, 1, "%s", formats[f]);
    cr_expect(strstr(out, "(rule hours, good/advice.imhe:10)"), "%s:\n%s", formats[f], out);
    cr_expect(strstr(out, "Some RSC: the record shows 0, 1 below it."), "%s:\n%s", formats[f], out);
    cr_expect_null(strstr(out, "Some training"), "a passing condition of an advisory is left out");
    cr_expect_null(strstr(out, "much training"), "an alternative not needed is not missing");
    free(out);
  }
}

/* A policy's own tabs, areas and fee kinds (tests/policies/good/own-fees-areas.imhe): what is
 * missing is grouped under its own tab's title, and its fees are listed by their own words. */
Test(deficiency, own_tabs_areas_and_fee_kinds) {
  int rc;
  char *out = report("--policy tests/policies/good/own-fees-areas.imhe "
                     "tests/policies/good/own-fees-areas.yaml",
                     &rc);
  cr_assert(out);
  cr_expect_eq(rc, 1, "%s", out);
  cr_expect(strstr(out, "WHAT IS MISSING\n\nPortfolio\n* 30 hours of training\n"), "%s", out);
  cr_expect(strstr(out, "  - Entry: $40\n  - Review: $15\n  - Total: $55\n"), "%s", out);
  cr_expect(strstr(out, "  - Renewal: $50 a year\n  - Levy: $10 a year\n  - Total: $60 a year\n"),
            "%s", out);
  free(out);
}

/* A record naming nothing still gets a heading, a category line and (in HTML) an anchor. */
Test(deficiency, record_without_id_name_or_category_in_every_format) {
  static const char *const formats[] = {"text", "markdown", "html"};
  for (int f = 0; f < 3; f++) {
    char args[300];
    snprintf(args, sizeof args,
             "--format %s --policy tests/policies/good/advice.imhe tests/report/anonymous.yaml",
             formats[f]);
    int rc;
    char *out = report(args, &rc);
    cr_assert(out, "%s", formats[f]);
    cr_expect_eq(rc, 2, "%s", formats[f]);
    cr_expect(strstr(out, "Applicant (no id)"), "%s:\n%s", formats[f], out);
    cr_expect(strstr(out, "No category\n") || strstr(out, "No category<"), "%s:\n%s", formats[f],
              out);
    cr_expect(strstr(out, f == 2 ? "missing required field &#39;association&#39;"
                                 : "missing required field 'association'"),
              "%s:\n%s", formats[f], out);
    if (f == 2)
      cr_expect(strstr(out, "<a href=\"#a--2\">") && strstr(out, "id=\"a--2\""), "%s", out);
    free(out);
  }
}

/* Entries counted are named by ordinal (11th and 12th, not 11st and 12nd), at most 12 of them. */
Test(deficiency, counted_entries_ordinals_and_cut_at_twelve) {
  char *out =
      unwrap(report("--policy tests/policies/good/advice.imhe tests/report/many.yaml", NULL));
  cr_assert(out);
  cr_expect(strstr(out, "2nd training, T2, 2024-01-02; 3rd training, T3"), "%s", out);
  cr_expect(
      strstr(out, "11th training, T11, 2024-01-11; 12th training, T12, 2024-01-12; and more."),
      "%s", out);
  cr_expect_null(strstr(out, "T13"), "%s", out);
  free(out);
}

/* A title longer than its category line is underlined to its own length; a word longer than a
 * line is kept whole on a line of its own. */
Test(deficiency, long_words_stay_whole_in_the_letter) {
  char *out = report("--policy tests/policies/good/advice.imhe tests/report/long.yaml", NULL);
  cr_assert(out);
  const char *nl = strchr(out, '\n'), *cat = nl ? strchr(nl + 1, '\n') : NULL;
  cr_assert(cat, "%s", out);
  size_t title = (size_t)(nl - out), rule = strspn(cat + 1, "=");
  cr_expect_eq(rule, title, "underline of %zu for a title of %zu:\n%s", rule, title, out);
  cr_expect(strstr(out, "1st training,\n    MaximilianaMaximilianaMaximilianaMaximiliana"
                        "MaximilianaMaximilianaMaximilianaMaximiliana,\n    2024-01-01."),
            "%s", out);
  free(out);
}

/* The output of `verb` (report or check) over `args` in `format`, its lines unwrapped. */
static char *words(const char *verb, const char *format, const char *args) {
  char cmd[1200], *out;
  snprintf(cmd, sizeof cmd, "%s %s --format %s %s 2>/dev/null", imhe_bin(), verb, format, args);
  run_cmd(cmd, &out);
  return unwrap(out);
}

/* Each phrase is in the letter, the Markdown and the HTML of `imhe report`, and (when given) the
 * full view's phrase in `imhe check`'s text. */
static void said_everywhere(const char *args, const char *const *phrases, size_t n,
                            const char *full, const char *not_full) {
  static const char *const formats[] = {"text", "markdown", "html"};
  for (size_t f = 0; f < 3; f++) {
    char *out = words("report", formats[f], args);
    cr_assert(out, "%s", formats[f]);
    for (size_t i = 0; i < n; i++)
      cr_expect(strstr(out, phrases[i]), "%s lacks '%s':\n%s", formats[f], phrases[i], out);
    free(out);
  }
  char cmd[1200], *out; /* the full view is not wrapped: its lines as they are */
  snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s check %s 2>/dev/null", imhe_bin(), args);
  run_cmd(cmd, &out);
  cr_assert(out);
  if (full)
    cr_expect(strstr(out, full), "the full view lacks '%s':\n%s", full, out);
  if (not_full)
    cr_expect_null(strstr(out, not_full), "the full view says '%s':\n%s", not_full, out);
  free(out);
}

/* A coupon refused by its condition names the condition, in every format (good/explain.imhe's
 * RSC-RICH: `sum(rsc.hours) >= 100 h`); the full view adds what the measure found. */
Test(deficiency, a_refused_coupon_names_its_condition_in_every_format) {
  static const char *const want[] = {
      "Coupon RSC-RICH not applied: it needs at least 100 h of RSC, and the record has 14.39 h."};
  said_everywhere("--policy tests/policies/good/explain.imhe tests/policies/good/explain.yaml",
                  want, 1,
                  "coupon RSC-RICH not applied: it needs at least 100 h of RSC, and the record has "
                  "14.39 h (RSC 1 (A) counts 4.16 of its 10 h",
                  NULL);
}

/* Informal training over its cap shows both parts, and the informal entry is counted, not left
 * out as "format informal, not formal" (tests/report/capped.yaml: 2 h formal, 3.5 h informal). */
/* An education entry counted for a credential (not a degree) is named by the credential it holds,
 * in words, with its institution and date. */
Test(deficiency, a_counted_credential_is_named_by_its_credential) {
  char *out = report("--policy tests/report/credential.imhe tests/report/credential.yaml", NULL);
  cr_expect(strstr(out, "  - Has 1; needs at least 2: 1 more.\n"), "%s", out);
  cr_expect(strstr(out, ", peer mentor, Lakeshore College, 2024-05-01."), "%s", out);
  cr_expect(!strstr(out, "peer_mentor"), "%s", out);
  free(out);
}

Test(deficiency, capped_informal_training_shows_both_parts) {
  static const char *const want[] = {
      "Has 4 h (2 h formal + 3.5 h informal, of which 2 count); needs at least 15 h: add 11 h.",
      "Counted: 1st training, Reflective Supervision Seminar, 2025-09-01; 2nd training, Book "
      "study, 2025-11-01."};
  said_everywhere(
      "tests/report/capped.yaml", want, 2,
      "4 h; required 15 h (short 11 h) (2 h formal + 3.5 h informal, of which 2 count)\n"
      "            counted: training 1 (Reflective Supervision Seminar), training 2 "
      "(Book study)\n",
      "format informal, not formal");
}

/* A completed reference that fills no place is named, with its role in plain English and why;
 * the empty place names the roles that would fill it; only references placed are counted. */
Test(deficiency, references_not_placed_are_named_with_why) {
  static const char *const want[] = {
      "Found: no completed reference fills the 2nd place, which needs one from an RSC provider.",
      "Counted: 1st reference, Pat Rowe (supervisor); 2nd reference, Lee Park (teacher).",
      "Not counted: 3rd reference, Sam Ortiz (colleague): a colleague can fill only the 3rd place, "
      "which Pat Rowe (supervisor) fills."};
  said_everywhere(
      "examples/wi-ifs-short-rsc.yaml", want, 3,
      "counted: references 1 (Pat Rowe), references 2 (Lee Park)\n"
      "            references 3 (Sam Ortiz) left out: a colleague can fill only the 3rd "
      "place, which Pat Rowe (supervisor) fills\n",
      "fills place 2");
}

/* A record's errors name their field in words, entries counted from 1: no "training[0].hours". */
Test(deficiency, record_errors_name_fields_in_words) {
  static const char *const want[] = {"Line 8: membership expires: impossible or malformed date",
                                     "Line 12: training 1, hours: expected a number of hours, got"};
  said_everywhere("examples/ct-invalid-record.yaml", want, 2,
                  "ct-invalid-record.yaml:12:51: training 1, hours: expected a number of hours",
                  "training[0]");
}

/* A count of faults where none is allowed reads as how many entries break the rule, not "has 1;
 * needs exactly 0"; a degree is named by what it is and where it was earned. */
Test(deficiency, faults_where_none_is_allowed_read_plainly) {
  static const char *const want[] = {
      "Training lists at most one competency per whole training hour: 1 entry does not.",
      "the 1st degree, associate in Early Childhood Education, Lansing Community College, "
      "2016-05-20 lists 2 competencies without a transcript"};
  said_everywhere("tests/report/findings.yaml", want, 2,
                  "training lists at most one competency per whole training hour: 1 entry does "
                  "not (training 3 (Infant Observation, 3.5 h) lists 4 competencies",
                  "required exactly 0");
}
