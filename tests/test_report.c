/* test_report.c — the report writers on hostile text: JSON that any strict reader accepts and that
 * gives back the record's text byte for byte, and text that cannot drive or forge a terminal. */
#include "helpers.h"
#include "json.h"
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reader the checks rely on refuses what RFC 8259 refuses. */
Test(report, the_json_reader_is_strict) {
  static const char *const bad[] = {"",
                                    "{",
                                    "{\"a\":1,}",
                                    "[1,]",
                                    "{\"a\" 1}",
                                    "{a:1}",
                                    "'x'",
                                    "\"\x01\"",
                                    "\"\\x41\"",
                                    "\"\\ud800\"",
                                    "\"\\udc00\"",
                                    "01",
                                    "1.",
                                    ".5",
                                    "1e",
                                    "-",
                                    "+1",
                                    "tru",
                                    "nul",
                                    "[1] x",
                                    "\"\xc0\xaf\"",
                                    "\"\xed\xa0\x80\"",
                                    "\"\xf4\x90\x80\x80\"",
                                    "\"\xe2\x82\"",
                                    "{\"a\":1,\"a\":2}",
                                    "\"\\u12\"",
                                    "NaN"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char err[200];
    struct json *v = json_parse(bad[i], strlen(bad[i]), err, sizeof err);
    cr_expect_null(v, "accepted %s", bad[i]);
    json_free(v);
  }
  static const char *const good[] = {"{}",
                                     "[]",
                                     "0",
                                     "-0.5e+3",
                                     "\"\\ud83d\\ude42\\u00e9\\n\"",
                                     " {\"a\":[true,false,null,\"\xf0\x9f\x99\x82\"]} "};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
    char err[200];
    struct json *v = json_parse(good[i], strlen(good[i]), err, sizeof err);
    cr_expect(v, "refused %s: %s", good[i], err);
    json_free(v);
  }
  char err[200];
  struct json *v = json_parse("\"\\ud83d\\ude42\"", 14, err, sizeof err);
  cr_assert(v);
  cr_expect_str_eq(v->str, "\xf0\x9f\x99\x82");
  json_free(v);
}

static const char *const hostile = "fuzz/corpus/fuzz_report/report-control-characters.yaml";

Test(report, json_of_hostile_text_is_strict_and_reads_back) {
  char cmd[400], *out;
  snprintf(cmd, sizeof cmd, "%s check --format json %s 2>/dev/null", imhe_bin(), hostile);
  run_cmd(cmd, &out);
  size_t n = strlen(out);
  cr_assert(n && out[n - 1] == '\n' && !memchr(out, '\n', n - 1), "not one line: %s", out);
  char err[200];
  struct json *v = json_parse(out, n - 1, err, sizeof err);
  cr_assert(v, "%s: %s", err, out);
  const struct json *id = json_get(v, "id"), *name = json_get(v, "applicant");
  cr_assert(id && id->type == JSON_STRING && name && name->type == JSON_STRING);
  cr_expect_str_eq(id->str, "WI-\x1b[31mRED\x1b[0m-1");
  cr_expect_str_eq(name->str, "Jo\nverdict: eligible\xe2\x80\xae\xc2\x85\t\"\\");
  json_free(v);
  free(out);
}

Test(report, text_of_hostile_text_shows_control_characters_escaped) {
  char cmd[400], *out;
  snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s check %s 2>/dev/null", imhe_bin(), hostile);
  run_cmd(cmd, &out);
  for (const unsigned char *p = (const unsigned char *)out; *p; p++)
    cr_assert(*p >= 0x20 || *p == '\n', "a raw control character 0x%02x in: %s", *p, out);
  cr_expect(strstr(out, "WI-\\x1b[31mRED\\x1b[0m-1  Jo\\nverdict: eligible\\u202e\\u0085\\t\"\\"),
            "%s", out);
  cr_expect(!strstr(out, "\xe2\x80\xae") && !strstr(out, "\xc2\x85"), "%s", out);
  cr_expect(strstr(out, "coupon X\\u202dY\\u2066 not applied"), "%s", out);
  int verdicts = 0;
  for (const char *p = out; (p = strstr(p, "\n  verdict: ")); p++)
    verdicts++;
  cr_expect_eq(verdicts, 1, "a record forged a verdict line: %s", out);
  cr_expect(strstr(out, "(Foundations\\x1b]0;title\\x07\\x7f)"),
            "an entry label is not escaped: %s", out);
  free(out);
}

/* A file name is not UTF-8 text: the reports must still be valid UTF-8 and valid JSON. */
Test(report, file_names_that_are_not_utf8_stay_out_of_the_output) {
  char *dir = temp_dir();
  char path[PATH_MAX];
  /* an encoded UTF-16 surrogate, a byte that is never UTF-8, and an escape */
  snprintf(path, sizeof path, "%s/rec-\xed\xa0\x80-\xff-\xe4\x41-\x1b.yaml", dir);
  const char *rec = "id: X\nassociation: WI\ncategory: IFS\napplicant: {name: N}\nsubmitted: 2026-"
                    "13-01\n";
  cr_assert_eq(write_all(path, rec, strlen(rec)), 0);
  char cmd[PATH_MAX + 200], *out;
  snprintf(cmd, sizeof cmd, "%s check --format json '%s' 2>/dev/null", imhe_bin(), path);
  run_cmd(cmd, &out);
  size_t n = strlen(out);
  char err[200];
  struct json *v = json_parse(out, n ? n - 1 : 0, err, sizeof err);
  cr_expect(v, "%s: %s", err, out);
  const struct json *source = json_get(v, "source");
  cr_expect(source && source->type == JSON_STRING && strstr(source->str, "\xef\xbf\xbd"), "%s",
            out);
  json_free(v);
  free(out);
  snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s check '%s' 2>/dev/null", imhe_bin(), path);
  run_cmd(cmd, &out);
  for (const unsigned char *p = (const unsigned char *)out; *p;) {
    cr_assert(*p >= 0x20 || *p == '\n', "a raw control character 0x%02x in: %s", *p, out);
    int len = json_utf8_len(p, strlen((const char *)p));
    cr_assert(len, "invalid UTF-8 in: %s", out);
    p += len;
  }
  cr_expect(strstr(out, "\\x1b.yaml:5:"), "the file name is not shown escaped: %s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* Text in many scripts, astral characters and Unicode separators pass through both reports. */
Test(report, text_in_every_script_passes_through_unchanged) {
  static const char *const path = "fuzz/corpus/fuzz_report/report-unicode.yaml";
  char cmd[400], *out;
  snprintf(cmd, sizeof cmd, "%s check --format json %s 2>/dev/null", imhe_bin(), path);
  run_cmd(cmd, &out);
  int records = 0;
  for (char *save, *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char err[200];
    struct json *v = json_parse(line, strlen(line), err, sizeof err);
    cr_assert(v, "%s: %s", err, line);
    const struct json *name = json_get(v, "applicant");
    cr_assert(name && name->type == JSON_STRING);
    cr_expect(!strcmp(name->str, "Zoë Ñandú 王小明 محمد 🙂") ||
                  !strcmp(name->str, "\xc2\xa0nbsp\xe2\x80\xa8line\xe2\x80\xa9para"),
              "%s", name->str);
    records++;
    json_free(v);
  }
  cr_expect_eq(records, 2);
  free(out);
  snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s check %s 2>/dev/null", imhe_bin(), path);
  run_cmd(cmd, &out);
  cr_expect(strstr(out, "MI-Ünïcødé-𝔘-1  Zoë Ñandú 王小明 محمد 🙂  (MI, IFA)"),
            "%s", out);
  free(out);
}

/* A record without an id or an association is still named in the text report. */
Test(report, records_without_id_or_association_are_named) {
  char cmd[400], *out;
  snprintf(cmd, sizeof cmd,
           "NO_COLOR=1 %s check tests/records/bad/missing-id.yaml "
           "tests/records/bad/missing-association.yaml 2>/dev/null",
           imhe_bin());
  run_cmd(cmd, &out);
  cr_expect(strstr(out, "<no id>  "), "%s", out);
  cr_expect(strstr(out, "  (?, "), "%s", out);
  free(out);
}
