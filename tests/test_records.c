/* test_records.c — the record loader: every malformed or hostile record names its fault with
 * file:line:col, hostile input meets a named limit, and real-world YAML never crashes it. */
#include "helpers.h"
#include "runtime/core/dates.h"
#include "runtime/eval/result.h"
#include "runtime/records/stream.h"
#include "runtime/records/yaml.h"
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct loaded {
  int records, errors, warnings;
  char first[600];
};

/* The errors of judging a record the loader found sound, under rules/ASSOCIATION.imhe: a record's
 * category codes are typed by the policy that judges it. */
static void judged_errors(struct imhe_record *r, struct loaded *L) {
  char path[64], a[16] = "";
  for (uint32_t i = 0; r->association.s && i < r->association.n && i < 15; i++)
    a[i] = (char)tolower((unsigned char)r->association.s[i]);
  snprintf(path, sizeof path, "rules/%s.imhe", a);
  struct imhe_program p;
  if (!a[0] || compile_to(path, &p, NULL) != 0)
    return;
  struct imhe_result res;
  imhe_evaluate(&p, r, &r->arena, imhe_days_from_civil(2026, 1, 1), IMHE_AS_OF_SUBMITTED, &res);
  L->errors += (int)res.errors.n;
  if (!L->first[0] && res.errors.n)
    snprintf(L->first, sizeof L->first, "%u:%u: %s", res.errors.v[0].line, res.errors.v[0].col,
             res.errors.v[0].text);
  imhe_program_free(&p);
}

/* Loads every record of `path`; the first message of kind `want` ('E' or 'W') goes to first
 * (for errors, judging's too, when loading found none). */
static struct loaded load_all(const char *path, char want) {
  struct loaded L = {0};
  char err[300];
  struct imhe_loader *l = imhe_loader_open(path, NULL, err, sizeof err);
  cr_assert(l, "%s", err);
  struct imhe_record r;
  while (imhe_loader_next(l, &r) == 1) {
    L.records++;
    L.errors += (int)r.errors.n;
    L.warnings += (int)r.warnings.n;
    const struct imhe_msgs *m = want == 'E' ? &r.errors : &r.warnings;
    if (!L.first[0] && m->n)
      snprintf(L.first, sizeof L.first, "%u:%u: %s", m->v[0].line, m->v[0].col, m->v[0].text);
    if (want == 'E' && !r.errors.n)
      judged_errors(&r, &L);
    imhe_record_clear(&r);
  }
  imhe_loader_close(l);
  return L;
}

/* Each file's first line: "# expect error LINE:COL: message" (or warning). */
Test(records, malformed_records_name_their_fault_and_location) {
  char **names;
  int n = list_files("tests/records/bad", ".yaml", &names);
  cr_assert_geq(n, 50, "at least 50 malformed record files (found %d)", n);
  for (int i = 0; i < n; i++) {
    char path[400];
    snprintf(path, sizeof path, "tests/records/bad/%s", names[i]);
    char *text = read_all(path, NULL);
    char kind[16], want[300];
    cr_assert_eq(sscanf(text, "# expect %15s %299[^\n]", kind, want), 2, "%s: no expectation line",
                 path);
    size_t wl = strlen(want);
    while (wl && want[wl - 1] == ' ')
      want[--wl] = 0;
    struct loaded L = load_all(path, kind[0] == 'e' ? 'E' : 'W');
    cr_expect(strstr(L.first, want) == L.first, "%s: got '%s', expected '%s'", path, L.first, want);
    if (kind[0] == 'w')
      cr_expect_eq(L.errors, 0, "%s: a warning-only fault made the record invalid", path);
    free(text);
  }
  free_list(names, n);
}

/* A document that reading stops part way: a syntax error, then an unreadable byte further on
 * that libyaml's read-ahead reached first. Both are reported, in that order, and the fields after
 * them (the applicant's name here) are not called missing: they were never read. */
Test(records, a_document_stopped_part_way_names_its_faults_not_the_fields_left_unread) {
  const char *path = "/tmp/imhe-stopped-test.yaml";
  const char *text = "id: S-1\nassociation: WI\ncategory: IFS: x\nnotes: \"a \x01 byte\"\n"
                     "applicant: {name: A}\n";
  write_all(path, text, strlen(text));
  char err[200];
  struct imhe_loader *l = imhe_loader_open(path, NULL, err, sizeof err);
  cr_assert(l, "%s", err);
  struct imhe_record r;
  cr_assert_eq(imhe_loader_next(l, &r), 1);
  cr_assert_eq(r.errors.n, 2, "two faults, nothing else (got %u, first '%s')", r.errors.n,
               r.errors.n ? r.errors.v[0].text : "");
  cr_expect_eq(r.errors.v[0].line, 3);
  cr_expect_eq(r.errors.v[0].col, 14);
  cr_expect(strstr(r.errors.v[0].text, "YAML syntax error: mapping values are not allowed"), "%s",
            r.errors.v[0].text);
  cr_expect_eq(r.errors.v[1].line, 4);
  cr_expect(strstr(r.errors.v[1].text, "control character 0x01"), "%s", r.errors.v[1].text);
  imhe_record_clear(&r);
  imhe_loader_close(l);
  remove(path);
}

Test(records, a_batch_goes_on_past_a_bad_record) {
  const char *path = "/tmp/imhe-batch-test.yaml";
  const char *text =
      "id: A\nassociation: WI\ncategory: IFA\napplicant: {name: A}\n"
      "---\nid: B\nassociation: WI\ncategory: IFA\napplicant: {name: B}\nsubmitted: 2026-13-01\n"
      "---\nid: C\nassociation: WI\ncategory: IFA\napplicant: {name: C}\n";
  write_all(path, text, strlen(text));
  char err[200];
  struct imhe_loader *l = imhe_loader_open(path, NULL, err, sizeof err);
  struct imhe_record r;
  int k = 0, bad = 0;
  while (imhe_loader_next(l, &r) == 1) {
    k++;
    if (r.errors.n) {
      bad++;
      cr_expect_eq(r.errors.v[0].line, 10);
      cr_expect_eq(r.errors.v[0].col, 12);
    }
    imhe_record_clear(&r);
  }
  imhe_loader_close(l);
  cr_expect_eq(k, 3);
  cr_expect_eq(bad, 1);
}

/* Records are typed as their events come: what a record says when reading stops part way must
 * still be what a whole reading would have said. */
Test(records, a_document_stopped_part_way_reads_as_if_typed_after) {
  char path[600], *dir = temp_dir();
  snprintf(path, sizeof path, "%s/partway.yaml", dir);
  free(dir);
  char fields[64 * 16 + 1] = "";
  for (int i = 0; i < 66; i++) /* past an entry's 64 fields */
    snprintf(fields + strlen(fields), sizeof fields - strlen(fields), "f%d: 1, ", i);
  char text[4096];
  snprintf(text, sizeof text,
           /* a limit (an alias) after a warning and an error: the refusal alone, the id kept */
           "id: S1\nassociation: WI\nbogus: 1\nsubmitted: 2026-13-01\nwork:\n"
           "  - &w {title: x}\n  - *w\n"
           /* a syntax error after an error: the syntax error first */
           "---\nid: S2\nassociation: WI\nsubmitted: 2026-13-01\nwork: [\n"
           /* too many fields after a repeated one: the entry refused whole */
           "---\nid: S3\nassociation: WI\ncategory: IFA\napplicant: {name: S}\n"
           "training:\n  - {title: a, title: b, %s}\n",
           fields);
  cr_assert_eq(write_all(path, text, strlen(text)), 0);
  char err[700];
  struct imhe_loader *l = imhe_loader_open(path, NULL, err, sizeof err);
  cr_assert(l, "%s", err);
  struct imhe_record r;
  cr_assert_eq(imhe_loader_next(l, &r), 1);
  cr_expect_eq(r.errors.n, 1);
  cr_expect(strstr(r.errors.v[0].text, "aliases are not accepted"), "%s", r.errors.v[0].text);
  cr_expect_eq(r.warnings.n, 0);
  cr_expect(r.id.s && !strcmp(r.id.s, "S1"));
  cr_expect_null(r.association.s);
  imhe_record_clear(&r);
  cr_assert_eq(imhe_loader_next(l, &r), 1);
  cr_assert_geq(r.errors.n, 2);
  cr_expect(strstr(r.errors.v[0].text, "YAML syntax error"), "%s", r.errors.v[0].text);
  cr_expect(strstr(r.errors.v[1].text, "submitted"), "%s", r.errors.v[1].text);
  imhe_record_clear(&r);
  cr_assert_eq(imhe_loader_next(l, &r), 1);
  cr_expect_eq(r.errors.n, 1);
  cr_expect(strstr(r.errors.v[0].text, "training[0]: too many fields"), "%s",
            r.errors.n ? r.errors.v[0].text : "(none)");
  cr_expect_eq(r.warnings.n, 0);
  imhe_record_clear(&r);
  imhe_loader_close(l);
}

Test(records, billion_laughs_is_refused_fast) {
  const char *path = "/tmp/imhe-laughs.yaml";
  FILE *f = fopen(path, "w");
  fputs("id: L\nassociation: WI\ncategory: IFA\napplicant: {name: L}\n", f);
  fputs("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n", f);
  for (char c = 'b'; c <= 'j'; c++)
    fprintf(f, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c, c - 1, c - 1, c - 1,
            c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
  fclose(f);
  clock_t t0 = clock();
  struct loaded L = load_all(path, 'E');
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  cr_expect_eq(L.records, 1);
  cr_expect(strstr(L.first, "aliases are not accepted"), "%s", L.first);
  cr_expect_lt(secs, 2.0, "took %.2f s", secs);
}

Test(records, limits_on_entries_and_document_size) {
  const char *path = "/tmp/imhe-wide.yaml";
  FILE *f = fopen(path, "w");
  fputs("id: W\nassociation: WI\ncategory: IFA\napplicant: {name: W}\ntraining:\n", f);
  for (int i = 0; i < 10050; i++)
    fputs("  - {title: t, date: 2020-01-01, hours: 1}\n", f);
  fclose(f);
  struct loaded L = load_all(path, 'E');
  cr_expect(strstr(L.first, "more than 10000 entries"), "%s", L.first);
  struct imhe_read_limits lim = imhe_default_limits;
  lim.max_document = 1000;
  char err[200];
  struct imhe_loader *l = imhe_loader_open(path, &lim, err, sizeof err);
  struct imhe_record r;
  cr_assert_eq(imhe_loader_next(l, &r), 1);
  cr_expect(r.errors.n && strstr(r.errors.v[0].text, "document larger than 1000 bytes"), "%s",
            r.errors.n ? r.errors.v[0].text : "(no error)");
  imhe_record_clear(&r);
  imhe_loader_close(l);
}

/* Limits a caller raises past what the reader's stack of open nodes holds (events.h,
 * IMHE_PULL_DEPTH_MAX) are held at it: a document nested 100 deep is refused at 80 levels, located,
 * rather than read past the stack. */
Test(records, nesting_past_the_readers_stack_is_refused_whatever_the_limits) {
  const char *path = "/tmp/imhe-deep-limits.yaml";
  char text[400];
  int n = snprintf(text, sizeof text, "id: D-1\nassociation: WI\ntraining: ");
  for (int i = 0; i < 100; i++)
    text[n++] = '[';
  for (int i = 0; i < 100; i++)
    text[n++] = ']';
  text[n++] = '\n';
  write_all(path, text, (size_t)n);
  struct imhe_read_limits lim = imhe_default_limits;
  lim.max_depth = 6000;
  char err[200];
  struct imhe_loader *l = imhe_loader_open(path, &lim, err, sizeof err);
  cr_assert(l, "%s", err);
  struct imhe_record r;
  cr_assert_eq(imhe_loader_next(l, &r), 1);
  cr_expect(r.errors.n && strstr(r.errors.v[0].text, "nesting deeper than 80 levels (limit)") &&
                r.errors.v[0].line == 3,
            "%s", r.errors.n ? r.errors.v[0].text : "(no error)");
  imhe_record_clear(&r);
  imhe_loader_close(l);
}

Test(records, bom_quoted_dates_numbers_as_text_and_nulls_are_accepted) {
  const char *path = "/tmp/imhe-lenient.yaml";
  const char *text = "\xEF\xBB\xBFid: 42\nassociation: WI\ncategory: IFA\napplicant: {name: 7}\n"
                     "submitted: '2026-01-15'\ncoupon: null\nexam: ~\n";
  write_all(path, text, strlen(text));
  char err[200];
  struct imhe_loader *l = imhe_loader_open(path, NULL, err, sizeof err);
  struct imhe_record r;
  cr_assert_eq(imhe_loader_next(l, &r), 1);
  cr_expect_eq(r.errors.n, 0, "%s", r.errors.n ? r.errors.v[0].text : "");
  cr_expect_str_eq(r.id.s, "42");
  cr_expect_str_eq(r.applicant_name.s, "7");
  cr_expect_eq(r.coupon.s, NULL);
  imhe_record_clear(&r);
  imhe_loader_close(l);
}

/* Numbers in a form the plain-decimal reading does not take (an exponent, a plus sign) are still
 * numbers: hours of 3e1, +5 and 0.5e0 are counted as 30, 5 and 0.5. */
Test(records, numbers_with_an_exponent_or_a_sign_are_counted) {
  char *dir = temp_dir(), path[600], cmd[1400], *out;
  snprintf(path, sizeof path, "%s/numbers.yaml", dir);
  const char *text = "id: N-1\nassociation: WI\ncategory: IFS\nsubmitted: 2026-01-01\n"
                     "applicant: {name: Test Person}\n"
                     "membership: {association: WI, expires: 2027-01-01}\n"
                     "agreement_signed: 2025-12-01\nethics_signed: 2025-12-01\ntraining:\n"
                     "  - {title: A, date: 2024-01-01, hours: 3e1}\n"
                     "  - {title: B, date: 2024-02-01, hours: +5}\n"
                     "  - {title: C, date: 2024-03-01, hours: 0.5e0}\n";
  cr_assert_eq(write_all(path, text, strlen(text)), 0);
  snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s check %s 2>&1", imhe_bin(), path);
  run_cmd(cmd, &out);
  cr_expect(strstr(out, "training hours: 35.5 h; required 30 h"), "%s", out);
  cr_expect(!strstr(out, "expected a number"), "%s", out);
  free(out);
  free(dir);
}

Test(records, missing_file_is_reported) {
  char err[300];
  cr_expect_null(imhe_loader_open("/nonexistent/records.yaml", NULL, err, sizeof err));
  cr_expect(strstr(err, "cannot open"), "%s", err);
}

/* The 402 inputs of the YAML test suite: read and rejected as records, or
 * rejected as YAML, always with a location; never a crash. */
Test(records, yaml_test_suite_inputs_never_crash_the_loader, .timeout = 120) {
  char **names;
  int n = list_files("tests/data/yaml-test-suite/in", ".yaml", &names);
  cr_assert_eq(n, 402, "tests/data/yaml-test-suite/in: 402 inputs expected, found %d", n);
  int with_location = 0, without = 0;
  for (int i = 0; i < n; i++) {
    char path[400], err[300];
    snprintf(path, sizeof path, "tests/data/yaml-test-suite/in/%s", names[i]);
    struct imhe_loader *l = imhe_loader_open(path, NULL, err, sizeof err);
    cr_assert(l, "%s", err);
    struct imhe_record r;
    int guard = 0;
    while (imhe_loader_next(l, &r) == 1 && guard++ < 1000) {
      /* none is an application record: each must carry at least one error */
      cr_expect_gt(r.errors.n, 0, "%s: read as a valid record", path);
      for (uint32_t k = 0; k < r.errors.n; k++) {
        if (r.errors.v[k].line > 0)
          with_location++;
        else
          without++;
      }
      imhe_record_clear(&r);
    }
    imhe_loader_close(l);
  }
  cr_expect_eq(without, 0, "%d messages without a line", without);
  cr_expect_gt(with_location, n / 2);
  free_list(names, n);
}

/* What a user sees of a record: where it starts, its id, every error and warning located. */
static void describe(FILE *out, const struct imhe_record *r) {
  fprintf(out, "record at %u id %.*s\n", r->line, r->id.s ? (int)r->id.n : 6,
          r->id.s ? r->id.s : "(none)");
  const struct imhe_msgs *m[2] = {&r->errors, &r->warnings};
  for (int k = 0; k < 2; k++)
    for (uint32_t i = 0; i < m[k]->n; i++)
      fprintf(out, "  %s %s:%u:%u: %s\n", k ? "warning" : "error", m[k]->v[i].file, m[k]->v[i].line,
              m[k]->v[i].col, m[k]->v[i].text);
}

static void describe_cb(void *ctx, struct imhe_record *r) {
  describe(ctx, r);
}

/* Every record of path as the loader reads it from the file (libyaml's events), or (replay) as a
 * batch reads it: each document cut, then read from libyaml's tokens where its shape allows. */
static char *read_as(const char *path, int replay) {
  char *text = NULL, err[300];
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  struct imhe_loader *l = imhe_loader_open(path, NULL, err, sizeof err);
  cr_assert(l, "%s", err);
  if (!replay) {
    struct imhe_record r;
    while (imhe_loader_next(l, &r) == 1) {
      describe(out, &r);
      imhe_record_clear(&r);
    }
  } else {
    struct imhe_loader *rp = imhe_loader_replayer();
    rp->path = path;
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;
    struct imhe_doc d;
    while ((n = 0, imhe_yaml_capture(l, &buf, &n, &cap, &d)))
      imhe_yaml_replay(rp, buf, &d, describe_cb, out);
    free(buf);
    imhe_loader_close(rp);
  }
  imhe_loader_close(l);
  fclose(out);
  return text;
}

/* Batches read a document of the common shapes from libyaml's tokens and any other through its
 * events (runtime/records/events.c): records, messages and locations are the same either way. */
Test(records, documents_read_from_tokens_read_as_from_events, .timeout = 120) {
  const char *dirs[] = {"tests/data/yaml-test-suite/in", "tests/records/bad", "examples",
                        "tests/acceptance/applications"};
  int files = 0;
  for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
    char **names;
    int n = list_files(dirs[k], ".yaml", &names);
    cr_assert_gt(n, 0, "%s: no inputs", dirs[k]);
    for (int i = 0; i < n; i++, files++) {
      char path[400];
      snprintf(path, sizeof path, "%s/%s", dirs[k], names[i]);
      char *events = read_as(path, 0), *tokens = read_as(path, 1);
      cr_expect_str_eq(tokens, events, "%s", path);
      free(events);
      free(tokens);
    }
    free_list(names, n);
  }
  char *events = read_as("tests/data/token-shapes.yaml", 0);
  char *tokens = read_as("tests/data/token-shapes.yaml", 1);
  cr_expect_str_eq(tokens, events);
  cr_expect(strstr(events, "error tests/data/token-shapes.yaml:14:14: education[1].completed"),
            "%s", events);
  free(events);
  free(tokens);
  cr_expect_gt(files, 500);
}
