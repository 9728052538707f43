/* fuzz_report.c — libFuzzer harness for the report writers: every record that arbitrary YAML bytes
 * load into is judged and rendered both ways; the JSON must be one strict JSON object per line
 * whose id and applicant read back byte for byte, and the text must be valid UTF-8 with no
 * control character, C1 control or bidirectional override but its own line breaks. The deficiency
 * report's formats (letter, markdown, html) must be valid UTF-8 without control characters, and
 * the HTML must hold exactly one applicant and no markup from the record. */
#include "compiler/compile.h"
#include "runtime/core/dates.h"
#include "runtime/eval/result.h"
#include "runtime/records/stream.h"
#include "runtime/report/report.h"
#include "runtime/report/reporter.h"
#include "tests/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tempfile.h"

static struct imhe_program policies[3]; /* wi, ct, mi */
static int ready;

static void load_policies(void) {
  static const char *const files[] = {"rules/wi.imhe", "rules/ct.imhe", "rules/mi.imhe"};
  for (int i = 0; i < 3; i++) {
    struct diags d;
    imhe_diags_init(&d, stderr, 0, 0);
    if (imhe_compile_file(files[i], &d, &policies[i]) != 0) {
      fprintf(stderr, "fuzz_report: cannot compile %s (run from the project root)\n", files[i]);
      abort();
    }
    imhe_diags_free(&d);
  }
  ready = 1;
}

static const struct imhe_program *policy_for(const struct imhe_record *r) {
  const char *a = r->association.s;
  if (a && r->association.n >= 2 && (a[0] | 32) == 'c' && (a[1] | 32) == 't')
    return &policies[1];
  if (a && r->association.n >= 2 && (a[0] | 32) == 'm' && (a[1] | 32) == 'i')
    return &policies[2];
  return &policies[0];
}

static void fail(const char *what, const char *out, size_t n) {
  fprintf(stderr, "fuzz_report: %s\n--- output (%zu bytes) ---\n%.*s\n", what, n,
          (int)(n > 4000 ? 4000 : n), out);
  abort();
}

/* The decoded JSON string equals the record's text (or is null when it has none). */
static void same_text(const struct json *v, const struct imhe_text *t, const char *key,
                      const char *out, size_t n) {
  if (!v)
    fail(key, out, n);
  if (!t->s) {
    if (v->type != JSON_NULL)
      fail("a missing text is not null", out, n);
    return;
  }
  if (v->type != JSON_STRING || v->len != t->n || memcmp(v->str, t->s, t->n))
    fail("a text does not read back byte for byte", out, n);
}

static void check_json(const struct imhe_record *r, const char *out, size_t n) {
  if (!n || out[n - 1] != '\n' || memchr(out, '\n', n - 1))
    fail("not exactly one line", out, n);
  char err[200];
  struct json *v = json_parse(out, n - 1, err, sizeof err);
  if (!v) {
    char what[300];
    snprintf(what, sizeof what, "not strict JSON: %s", err);
    fail(what, out, n);
  }
  if (v->type != JSON_OBJECT)
    fail("not an object", out, n);
  const struct json *verdict = json_get(v, "verdict"), *areas = json_get(v, "failed_areas");
  if (!verdict || verdict->type != JSON_STRING || !areas || areas->type != JSON_ARRAY ||
      !json_get(v, "rules") || !json_get(v, "errors"))
    fail("a key is missing", out, n);
  if (strcmp(verdict->str, "eligible") && strcmp(verdict->str, "eligible_pending_exam") &&
      strcmp(verdict->str, "not_eligible") && strcmp(verdict->str, "invalid"))
    fail("an unknown verdict", out, n);
  /* libyaml hands over valid UTF-8 only, so the texts must survive escaping unchanged */
  same_text(json_get(v, "id"), &r->id, "id", out, n);
  same_text(json_get(v, "applicant"), &r->applicant_name, "applicant", out, n);
  json_free(v);
}

static void check_text(const char *out, size_t n) {
  const unsigned char *p = (const unsigned char *)out;
  int verdicts = 0;
  for (size_t i = 0; i < n;) {
    if (p[i] == '\n') {
      if (n - i > 12 && !memcmp(out + i, "\n  verdict: ", 12))
        verdicts++;
      i++;
      continue;
    }
    if (p[i] < 0x20 || p[i] == 0x7f)
      fail("a raw control character in the text report", out, n);
    int len = json_utf8_len(p + i, n - i);
    if (!len)
      fail("invalid UTF-8 in the text report", out, n);
    if (len == 2 && p[i] == 0xC2 && p[i + 1] < 0xA0)
      fail("a C1 control character in the text report", out, n);
    if (len == 3 && p[i] == 0xE2 &&
        ((p[i + 1] == 0x80 && p[i + 2] >= 0xAA && p[i + 2] <= 0xAE) ||
         (p[i + 1] == 0x81 && p[i + 2] >= 0xA6 && p[i + 2] <= 0xA9)))
      fail("a bidirectional override in the text report", out, n);
    i += (size_t)len;
  }
  if (verdicts != 1)
    fail("not exactly one verdict line: a record forged a line", out, n);
}

/* Occurrences of s in out[0..n). */
static int count(const char *out, size_t n, const char *s) {
  int k = 0;
  size_t m = strlen(s);
  for (size_t i = 0; i + m <= n; i++)
    k += !memcmp(out + i, s, m);
  return k;
}

/* The deficiency report in each of its formats, begin to end as for a batch of one. */
static void check_deficiency(const struct imhe_result *res) {
  static const char *const formats[] = {"letter", "markdown", "html"};
  for (int f = 0; f < 3; f++) {
    const struct imhe_reporter_ops *ops = imhe_reporter_find(formats[f]);
    imhe_render_options o = {.verbose = 1};
    struct sbuf b = {0};
    if (ops->begin)
      ops->begin(&b, &o);
    if (ops->index)
      ops->index(&b, res, &o);
    if (ops->middle)
      ops->middle(&b, &o);
    ops->record(&b, res, &o);
    if (ops->end)
      ops->end(&b, &o);
    const unsigned char *p = (const unsigned char *)b.v;
    for (size_t i = 0; i < b.n;) {
      if ((p[i] < 0x20 && p[i] != '\n') || p[i] == 0x7f)
        fail("a raw control character in the deficiency report", b.v, b.n);
      int len = json_utf8_len(p + i, b.n - i);
      if (!len)
        fail("invalid UTF-8 in the deficiency report", b.v, b.n);
      i += (size_t)len;
    }
    if (f == 2 && (count(b.v, b.n, "<section class=\"applicant\"") != 1 ||
                   count(b.v, b.n, "<script") || count(b.v, b.n, "<h2>") != 1))
      fail("the HTML report's markup does not hold one applicant", b.v, b.n);
    free(b.v);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!ready)
    load_policies();
  char path[] = "/tmp/imhe-fuzz-report-XXXXXX";
  if (fuzz_tempfile(path, data, size) != 0)
    return 0;
  char err[300];
  struct imhe_loader *l = imhe_loader_open(path, NULL, err, sizeof err);
  struct imhe_record r;
  int k = 0;
  while (l && k++ < 50 && imhe_loader_next(l, &r) == 1) {
    struct imhe_result res;
    imhe_evaluate(policy_for(&r), &r, &r.arena, imhe_days_from_civil(2026, 1, 1), 0, &res);
    char *out = NULL;
    size_t n = 0;
    FILE *mem = open_memstream(&out, &n);
    imhe_report_json(mem, &r, &res);
    fclose(mem);
    check_json(&r, out, n);
    free(out);
    struct report_opts ro = {0};
    mem = open_memstream(&out, &n);
    imhe_report_text(mem, &r, &res, &ro);
    fclose(mem);
    check_text(out, n);
    free(out);
    res.record = &r;
    check_deficiency(&res);
    imhe_record_clear(&r);
  }
  imhe_loader_close(l);
  unlink(path);
  return 0;
}
