/* test_language.c — valid policies in tests/policies/good/ judged on their own records: each file
 * lists "# expect ID: verdict [areas]" for the records of NAME.yaml beside it (and "# expect text:
 * PHRASE" for phrases of the text report), and compiles to a program the disassembler lists. */
#include "helpers.h"
#include "json.h"
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The failed areas of a JSON record as "a,b" (the report sorts them). */
static void areas_of(const struct json *rec, char *buf, size_t cap) {
  const struct json *a = json_get(rec, "failed_areas");
  size_t k = 0;
  buf[0] = 0;
  for (size_t i = 0; a && i < a->n && k + 1 < cap; i++)
    k += (size_t)snprintf(buf + k, cap - k, "%s%s", i ? "," : "", a->items[i].str);
}

static void check_policy(const char *name) {
  char policy[PATH_MAX], records[PATH_MAX], cmd[3 * PATH_MAX];
  snprintf(policy, sizeof policy, "tests/policies/good/%s", name);
  snprintf(records, sizeof records, "%.*s.yaml", (int)(strlen(policy) - 5), policy);
  char *text = read_all(policy, NULL);
  cr_assert(text, "cannot read %s", policy);
  snprintf(cmd, sizeof cmd, "%s check --policy %s --format json %s 2>&1", imhe_bin(), policy,
           records);
  char *out;
  run_cmd(cmd, &out);
  int expected = 0;
  for (const char *l = text; (l = strstr(l, "# expect ")); l++) {
    char id[100], verdict[40], areas[300] = "";
    if (!strncmp(l, "# expect text: ", 15) || !strncmp(l, "# expect json: ", 15))
      continue; /* a phrase of the text or the JSON report, checked below */
    if (sscanf(l, "# expect %99[^:]: %39s [%299[^]]]", id, verdict, areas) < 2)
      continue;
    expected++;
    char key[140];
    snprintf(key, sizeof key, "{\"id\":\"%s\"", id);
    const char *line = strstr(out, key);
    cr_expect(line, "%s: no output for %s: %s", policy, id, out);
    if (!line)
      continue;
    char err[200];
    struct json *rec = json_parse(line, strcspn(line, "\n"), err, sizeof err);
    cr_assert(rec, "%s: %s", id, err);
    const struct json *v = json_get(rec, "verdict");
    char got[300];
    areas_of(rec, got, sizeof got);
    cr_expect(v && !strcmp(v->str, verdict) && !strcmp(got, areas),
              "%s: %s is %s [%s], expected %s [%s]", policy, id, v ? v->str : "?", got, verdict,
              areas);
    json_free(rec);
  }
  cr_expect_gt(expected, 0, "%s has no '# expect ID: verdict [areas]' line", policy);

  /* each "# expect json: PHRASE" line is a phrase of the JSON report */
  for (const char *l = text; (l = strstr(l, "# expect json: ")); l++) {
    char phrase[400];
    size_t n = strcspn(l + 15, "\n");
    snprintf(phrase, sizeof phrase, "%.*s", (int)n, l + 15);
    cr_expect(strstr(out, phrase), "%s: the JSON report lacks %s: %s", policy, phrase, out);
  }

  /* the text report states no shortfall of nothing ("more than 1 h" missed at 1 h) */
  char *textout;
  snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s check --policy %s %s 2>&1", imhe_bin(), policy, records);
  run_cmd(cmd, &textout);
  cr_expect(!strstr(textout, "(short 0 ") && !strstr(textout, "short 0)"), "%s: %s", policy,
            textout);
  /* each "# expect text: PHRASE" line is a phrase of the text report */
  for (const char *l = text; (l = strstr(l, "# expect text: ")); l++) {
    char phrase[400];
    size_t n = strcspn(l + 15, "\n");
    snprintf(phrase, sizeof phrase, "%.*s", (int)n, l + 15);
    cr_expect(strstr(textout, phrase), "%s: the text report lacks \"%s\": %s", policy, phrase,
              textout);
  }
  /* a long list of counted entries is cut after twelve */
  if (strstr(text, "TOUR-MANY"))
    cr_expect(strstr(textout, "(Session 12), ..."), "%s: a long counted list is not cut: %s",
              policy, textout);
  free(textout);

  /* the compiled program lists every rule it keeps */
  char *dir = temp_dir(), bin[PATH_MAX], *listing;
  snprintf(bin, sizeof bin, "%s/p.imhec", dir);
  snprintf(cmd, sizeof cmd, "%s compile %s -o %s && %s disasm %s", imhe_bin(), policy, bin,
           imhe_bin(), bin);
  cr_expect_eq(run_cmd(cmd, &listing), 0, "%s", cmd);
  cr_expect(strstr(listing, "\nrule "), "%s: no rule listed", policy);
  free(listing);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
  free(out);
  free(text);
}

Test(language, valid_policies_judge_their_records_as_expected, .timeout = 60) {
  char **names;
  int n = list_files("tests/policies/good", ".imhe", &names);
  int checked = 0;
  for (int i = 0; i < n; i++) {
    if (!strncmp(names[i], "base", 4)) /* bases of the others */
      continue;
    check_policy(names[i]);
    checked++;
  }
  cr_expect_geq(checked, 2, "policies checked: %d", checked);
  free_list(names, n);
}

/* tests/policies/fmt/NAME.imhe laid out by hand formats to NAME.fmt, which is a fixed point;
 * fmt -w of a copy writes the same bytes. */
Test(language, hand_laid_policies_format_to_their_golden_layout) {
  char **names;
  int n = list_files("tests/policies/fmt", ".imhe", &names);
  cr_assert_gt(n, 0);
  for (int i = 0; i < n; i++) {
    char src[PATH_MAX], golden[PATH_MAX], cmd[3 * PATH_MAX], *out, *again;
    snprintf(src, sizeof src, "tests/policies/fmt/%s", names[i]);
    snprintf(golden, sizeof golden, "%.*s.fmt", (int)(strlen(src) - 5), src);
    char *want = read_all(golden, NULL);
    cr_assert(want, "no %s", golden);
    snprintf(cmd, sizeof cmd, "%s fmt %s", imhe_bin(), src);
    cr_expect_eq(run_cmd(cmd, &out), 0, "%s", cmd);
    cr_expect_str_eq(out, want, "%s does not format to %s", src, golden);
    snprintf(cmd, sizeof cmd, "%s fmt %s", imhe_bin(), golden);
    run_cmd(cmd, &again);
    cr_expect_str_eq(again, want, "%s is not a fixed point of fmt", golden);
    char *dir = temp_dir(), copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s/x.imhe", dir);
    size_t len;
    char *text = read_all(src, &len);
    write_all(copy, text, len);
    snprintf(cmd, sizeof cmd, "%s fmt -w %s && %s fmt --check %s", imhe_bin(), copy, imhe_bin(),
             copy);
    cr_expect_eq(run_cmd(cmd, NULL), 0, "%s", cmd);
    char *written = read_all(copy, NULL);
    cr_expect_str_eq(written, want);
    free(written);
    free(text);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    run_cmd(cmd, NULL);
    free(dir);
    free(out);
    free(again);
    free(want);
  }
  free_list(names, n);
}

/* A definition used by several rules is compiled once per use, but its error is reported once. */
Test(language, an_error_in_a_definition_is_reported_once) {
  char *dir = temp_dir(), path[PATH_MAX], cmd[2 * PATH_MAX], *out;
  snprintf(path, sizeof path, "%s/p.imhe", dir);
  const char *src = "policy p\nlet broken = training where nosuch = 1\n"
                    "rule a for all require training \"a\": count(broken) >= 1\n"
                    "rule b for all require training \"b\": count(broken) >= 2\n";
  write_all(path, src, strlen(src));
  snprintf(cmd, sizeof cmd, "%s compile --diagnostics=json %s -o %s/p.imhec 2>&1", imhe_bin(), path,
           dir);
  cr_expect_eq(run_cmd(cmd, &out), 1);
  int n = 0;
  for (const char *p = out; (p = strstr(p, "unknown field 'nosuch'")); p++)
    n++;
  cr_expect_eq(n, 1, "reported %d times: %s", n, out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* A source that cannot be read whole is refused with its name, not compiled in part. */
Test(language, unreadable_sources_are_refused) {
  char *dir = temp_dir(), cmd[2 * PATH_MAX], *out;
  snprintf(cmd, sizeof cmd, "%s compile %s -o %s/x.imhec 2>&1", imhe_bin(), dir, dir);
  cr_expect_eq(run_cmd(cmd, &out), 2, "%s", out);
  cr_expect(strstr(out, dir), "the message does not name the directory: %s", out);
  free(out);
  /* a sparse file just over 64 MiB: read quickly, refused by size */
  snprintf(cmd, sizeof cmd,
           "truncate -s 65M %s/big.imhe && %s compile %s/big.imhe -o %s/x.imhec 2>&1", dir,
           imhe_bin(), dir, dir);
  cr_expect_eq(run_cmd(cmd, &out), 2, "%s", out);
  cr_expect(strstr(out, "larger than 64 MiB"), "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* Garbage yields an error per byte: the first 100 are shown, the rest counted, and the file is
 * not read past 1000 errors, so a megabyte of it is refused as fast as a line of it. */
Test(language, garbage_policies_get_a_bounded_report, .timeout = 30) {
  char *dir = temp_dir(), path[PATH_MAX], cmd[2 * PATH_MAX], *out;
  snprintf(path, sizeof path, "%s/garbage.imhe", dir);
  FILE *f = fopen(path, "w");
  for (int i = 0; i < 4000000; i++)
    fputc(i % 3 ? '@' : '\0', f);
  fclose(f);
  snprintf(cmd, sizeof cmd, "%s compile %s -o %s/x.imhec 2>&1", imhe_bin(), path, dir);
  cr_expect_eq(run_cmd(cmd, &out), 1);
  int shown = 0;
  for (const char *p = out; (p = strstr(p, ": error: ")); p++)
    shown++;
  cr_expect_eq(shown, 100, "%d errors shown", shown);
  cr_expect(strstr(out, "imhe: 900 more diagnostics not shown"), "%.300s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* A source with CRLF line endings is cited without the carriage return. */
Test(language, crlf_sources_are_cited_without_carriage_returns) {
  char cmd[400], *out;
  snprintf(cmd, sizeof cmd,
           "NO_COLOR=1 %s compile tests/policies/bad/crlf-line-endings.imhe -o "
           "/dev/null 2>&1",
           imhe_bin());
  cr_expect_eq(run_cmd(cmd, &out), 1);
  cr_expect(strstr(out, "    4 |   sum(training.hourz) >= 30 h\n"), "%s", out);
  cr_expect(!strchr(out, '\r'), "a carriage return reached the terminal: %s", out);
  free(out);
}

/* A policy with two dated bases, each a chain of four files: nine files in one compilation (past
 * the eight the table of shown names first holds), every era and the deepest rules kept. */
Test(language, nine_files_in_one_compilation) {
  char *dir = temp_dir(), path[PATH_MAX], cmd[3 * PATH_MAX], *out;
  for (int s = 0; s < 2; s++)
    for (int k = 1; k <= 4; k++) {
      char text[200];
      if (k < 4)
        snprintf(text, sizeof text, "policy %c%d extends %c%d\n", 'a' + s, k, 'a' + s, k + 1);
      else
        snprintf(text, sizeof text,
                 "policy %c4\noffers IMH\nrule deep_%c for all require ethics \"ethics\": "
                 "ethics_signed\n",
                 'a' + s, 'a' + s);
      snprintf(path, sizeof path, "%s/%c%d.imhe", dir, 'a' + s, k);
      cr_assert_eq(write_all(path, text, strlen(text)), 0);
    }
  const char *top = "policy p extends a1 before 2020-01-01, b1 from 2020-01-01\n";
  snprintf(path, sizeof path, "%s/p.imhe", dir);
  cr_assert_eq(write_all(path, top, strlen(top)), 0);
  snprintf(cmd, sizeof cmd, "%s compile %s -o %s/p.imhec 2>&1 && %s disasm %s/p.imhec", imhe_bin(),
           path, dir, imhe_bin(), dir);
  cr_expect_eq(run_cmd(cmd, &out), 0, "%s", out);
  cr_expect(strstr(out, "; era 0: base a1, as-of from open until 2020-01-01"), "%s", out);
  cr_expect(strstr(out, "; era 1: base b1, as-of from 2020-01-01 until open"), "%s", out);
  cr_expect(strstr(out, "rule deep_a  require ethics era 0") && strstr(out, "/a4.imhe:3"), "%s",
            out);
  cr_expect(strstr(out, "rule deep_b  require ethics era 1") && strstr(out, "/b4.imhe:3"), "%s",
            out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}
