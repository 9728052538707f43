/* test_acceptance.c — the acceptance records shipped under tests/acceptance/: `imhe check --format
 * json` must give each record the expected verdict and set of failed areas (expected.tsv). */
#include "helpers.h"
#include "json.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct expect {
  char id[128], verdict[32], areas[512];
  int seen;
};

/* expected.tsv: "id<TAB>verdict<TAB>area,area" per line, '#' comments; returns the count. */
static int read_expected(const char *path, struct expect **out) {
  char *text = read_all(path, NULL);
  cr_assert(text, "%s is missing: the acceptance set must ship with the project", path);
  int n = 0, cap = 256;
  struct expect *v = calloc((size_t)cap, sizeof *v);
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] == '#')
      continue;
    if (n == cap) {
      cap *= 2;
      v = realloc(v, (size_t)cap * sizeof *v);
    }
    memset(&v[n], 0, sizeof v[n]);
    int k = sscanf(line, "%127[^\t]\t%31[^\t]\t%511[^\n]", v[n].id, v[n].verdict, v[n].areas);
    cr_assert_geq(k, 2, "%s: malformed line '%s'", path, line);
    n++;
  }
  free(text);
  *out = v;
  return n;
}

/* The failed areas of one output record, sorted and comma-joined as in expected.tsv. */
static void areas_of(const struct json *rec, char *buf, size_t cap) {
  const struct json *a = json_get(rec, "failed_areas");
  buf[0] = 0;
  cr_assert(a && a->type == JSON_ARRAY, "a record without failed_areas");
  const char *names[64];
  size_t n = 0;
  for (size_t i = 0; i < a->n && n < 64; i++) {
    cr_assert_eq(a->items[i].type, JSON_STRING, "a failed area that is not a string");
    names[n++] = a->items[i].str;
  }
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && strcmp(names[j], names[j - 1]) < 0; j--) {
      const char *t = names[j];
      names[j] = names[j - 1];
      names[j - 1] = t;
    }
  size_t len = 0;
  for (size_t i = 0; i < n; i++)
    len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? "," : "", names[i]);
}

static void check_set(const char *set, int want_count) {
  char path[300], cmd[600];
  snprintf(path, sizeof path, "tests/acceptance/%s/expected.tsv", set);
  struct expect *exp;
  int n = read_expected(path, &exp);
  cr_assert_eq(n, want_count, "%s: %d records expected, found %d", path, want_count, n);

  char *out;
  snprintf(cmd, sizeof cmd, "%s check --format json tests/acceptance/%s/*.yaml 2>/dev/null",
           imhe_bin(), set);
  int rc = run_cmd(cmd, &out);
  cr_assert(rc >= 0 && rc <= 2, "imhe check exited %d (a crash?)", rc);

  /* every disagreement is listed by id before the test fails */
  size_t cap = 8192, len = 0;
  char *problems = calloc(cap, 1);
  int bad = 0, lineno = 0;
#define PROBLEM(...)                                                                               \
  do {                                                                                             \
    bad++;                                                                                         \
    if (len < cap - 400)                                                                           \
      len += (size_t)snprintf(problems + len, cap - len, __VA_ARGS__);                             \
  } while (0)
  for (char *save, *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    lineno++;
    char err[200];
    struct json *rec = json_parse(line, strlen(line), err, sizeof err);
    if (!rec) {
      PROBLEM("  output line %d is not JSON: %s\n", lineno, err);
      continue;
    }
    const struct json *id = json_get(rec, "id"), *verdict = json_get(rec, "verdict");
    if (!id || id->type != JSON_STRING || !verdict || verdict->type != JSON_STRING) {
      PROBLEM("  output line %d has no id or verdict\n", lineno);
      json_free(rec);
      continue;
    }
    struct expect *e = NULL;
    for (int i = 0; i < n && !e; i++)
      if (!exp[i].seen && !strcmp(exp[i].id, id->str))
        e = &exp[i];
    if (!e) {
      PROBLEM("  %s: in the output only\n", id->str);
      json_free(rec);
      continue;
    }
    e->seen = 1;
    char areas[512];
    areas_of(rec, areas, sizeof areas);
    int same_verdict = !strcmp(verdict->str, e->verdict);
    int same_areas = !strcmp(areas, e->areas) || (same_verdict && !strcmp(e->verdict, "invalid"));
    if (!same_verdict || !same_areas)
      PROBLEM("  %s: verdict %s [%s], expected %s [%s]\n", e->id, verdict->str, areas, e->verdict,
              e->areas);
    json_free(rec);
  }
  for (int i = 0; i < n; i++)
    if (!exp[i].seen)
      PROBLEM("  %s: missing from the output (expected %s [%s])\n", exp[i].id, exp[i].verdict,
              exp[i].areas);
#undef PROBLEM
  cr_expect_eq(bad, 0, "acceptance %s: %d disagreement(s) (details in expected.jsonl):\n%s", set,
               bad, problems);
  free(problems);
  free(out);
  free(exp);
}

Test(acceptance, applications_get_their_expected_verdicts_and_failed_areas, .timeout = 120) {
  check_set("applications", 201);
}

Test(acceptance, renewals_get_their_expected_verdicts_and_failed_areas, .timeout = 120) {
  check_set("renewals", 54);
}
