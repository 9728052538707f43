/* test_check.c — `imhe check` end to end: verdicts of the examples, explanations with sources,
 * exit codes, determinism, atomic output, and the bad-input paths a coordinator will meet. */
#include "helpers.h"
#include "runtime/core/crc32.h"
#include <criterion/criterion.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *check(const char *args, int *rc) {
  char cmd[2000], *out;
  snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s check %s 2>/dev/null", imhe_bin(), args);
  int r = run_cmd(cmd, &out);
  if (rc)
    *rc = r;
  return out;
}

/* The line of JSON output for record `id`. */
static char *line_of(const char *text, const char *id) {
  char key[200];
  snprintf(key, sizeof key, "{\"id\":\"%s\"", id);
  const char *start = strstr(text, key);
  if (!start)
    return NULL;
  size_t len = strcspn(start, "\n");
  return strndup(start, len);
}

Test(check, examples_get_the_verdicts_their_readme_promises) {
  static const struct {
    const char *id, *verdict, *areas;
  } want[] = {
      {"WI-2026-0101", "eligible", "[]"},
      {"WI-2026-0102", "not_eligible", "[\"references\",\"rsc\"]"},
      {"WI-2026-0103", "eligible", "[]"},
      {"WI-2026-0104", "not_eligible", "[\"category\"]"},
      {"WI-2026-0105", "eligible_pending_exam", "[]"},
      {"CT-2025-0201", "eligible", "[]"},
      {"CT-2025-0202", "not_eligible", "[\"exam\",\"training\",\"work\"]"},
      {"CT-2025-0205", "invalid", "[]"},
      {"MI-2024-0301", "eligible", "[]"},
      {"MI-2025-0302", "eligible", "[]"},
      {"MI-2026-0303", "not_eligible", "[\"rsc\",\"work\"]"},
      {"MI-2025-0304", "eligible", "[]"},
      {"WI-R-2026-0402", "eligible", "[]"},
      {"MI-R-2027-0401", "not_eligible", "[\"rsc\"]"},
  };
  int rc;
  char *out = check("--format json examples/*.yaml", &rc);
  cr_expect_eq(rc, 2, "an invalid record makes the exit status 2");
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
    char *l = line_of(out, want[i].id);
    cr_assert(l, "no output for %s", want[i].id);
    char v[100], a[200];
    snprintf(v, sizeof v, "\"verdict\":\"%s\"", want[i].verdict);
    snprintf(a, sizeof a, "\"failed_areas\":%s", want[i].areas);
    cr_expect(strstr(l, v), "%s: %s not in %.300s", want[i].id, v, l);
    cr_expect(strstr(l, a), "%s: %s not in output", want[i].id, a);
    free(l);
  }
  free(out);
}

Test(check, every_rule_result_carries_source_observed_required_shortfall) {
  char *out = check("--format json examples/wi-ifs-short-rsc.yaml", NULL);
  cr_expect(strstr(out, "\"id\":\"specialist_rsc\",\"area\":\"rsc\",\"kind\":\"requirement\","
                        "\"status\":\"fail\""),
            "%s", out);
  cr_expect(strstr(out, "\"source\":\"") && strstr(out, "legacy.imhe:"), "no source file:line");
  cr_expect(strstr(out, "RSC period: 153 days; required 365 days (short 212 days)"), "%s", out);
  cr_expect(strstr(out, "no completed reference fills the 2nd place, which needs one from an RSC "
                        "provider"),
            "%s", out);
  cr_expect(strstr(out,
                   "\"type\":\"number\",\"comparison\":\">=\",\"unit\":\"days\",\"observed\":153,"
                   "\"required\":365,\"shortfall\":212"),
            "%s", out);
  /* every unmet condition is at rule level, and the best window has its dates */
  cr_expect(strstr(out, "\"unmet\":[{\"index\":1,\"description\":\"RSC period\""), "%s", out);
  cr_expect(strstr(out, "\"window\":{\"start\":\"2024-05-02\",\"end\":\"2026-05-01\"}"), "%s", out);
  free(out);
}

Test(check, left_out_entries_are_explained) {
  char *out = check("--format json examples/wi-ifs-short-rsc.yaml", NULL);
  /* the volunteer promotion job does not count toward Family Specialist work */
  cr_expect(strstr(out, "{\"section\":\"work\",\"number\":2,\"title\":\"Parent Educator\""), "%s",
            out);
  cr_expect(strstr(out, "\"reason\":\"value_not_wanted\",\"message\":\"kind volunteer, not paid\""),
            "%s", out);
  /* and every measured condition lists the entries it counted */
  cr_expect(strstr(out, "\"counted\":[{\"section\":\"work\",\"number\":1,\"title\":\"Family "
                        "Advocate\""),
            "%s", out);
  free(out);
}

/* The full view's verdict line is words, never the JSON's code ("eligible_pending_exam"). */
Test(check, verdict_line_in_words) {
  char *out = check("examples/wi-imhs-pending-exam.yaml examples/ct-invalid-record.yaml", NULL);
  cr_assert(out);
  cr_expect(strstr(out, "\n  verdict: eligible once the written exam is passed\n"), "%s", out);
  cr_expect(strstr(out, "\n  verdict: not judged: the record has errors\n"), "%s", out);
  cr_expect_null(strstr(out, "_pending_exam"), "%s", out);
  cr_expect_null(strstr(out, "verdict: invalid"), "%s", out);
  free(out);
}

/* A record of an association no policy is installed for keeps the category it names, in the
 * text and in JSON, beside the error that says why it was not judged. */
Test(check, category_kept_for_a_record_no_policy_judged) {
  int rc;
  char *out = check("tests/policytests/more.yaml", &rc);
  cr_assert(out);
  cr_expect_eq(rc, 2);
  cr_expect(strstr(out, "MORE-NOPE  Pat Nope  (NOPE, IFA)"), "%s", out);
  cr_expect(strstr(out, "unknown association 'NOPE'"), "%s", out);
  free(out);
  out = check("--format json tests/policytests/more.yaml", NULL);
  cr_assert(out);
  cr_expect(strstr(out, "\"association\":\"NOPE\",\"category\":\"IFA\""), "%s", out);
  free(out);
  /* a code no installed policy declares is shown as the record wrote it */
  char *dir = temp_dir(), path[700], args[900];
  snprintf(path, sizeof path, "%s/zz.yaml", dir);
  static const char rec[] = "id: ZZ-1\nassociation: NOPE\ncategory: ZZ-CODE\nsubmitted: "
                            "2025-06-01\napplicant: {name: Zed}\n";
  cr_assert_eq(write_all(path, rec, sizeof rec - 1), 0);
  static const char *const forms[] = {"", "--format json ", "report "};
  static const char *const want[] = {"ZZ-1  Zed  (NOPE, ZZ-CODE)", "\"category\":\"ZZ-CODE\"",
                                     "\nZZ-CODE, NOPE\n"};
  for (int i = 0; i < 3; i++) {
    char cmd[1200];
    snprintf(args, sizeof args, "%s%s", forms[i] + (i == 2 ? 7 : 0), path);
    if (i == 2) {
      snprintf(cmd, sizeof cmd, "%s report %s 2>/dev/null", imhe_bin(), path);
      run_cmd(cmd, &out);
    } else
      out = check(args, NULL);
    cr_expect(out && strstr(out, want[i]), "%s: %s", forms[i], out ? out : "");
    free(out);
  }
  free(dir);
}

/* A code a policy's words quote ("type rsc_provision") reads as words in the full view. */
Test(check, codes_in_policy_words_read_plainly) {
  char *dir = temp_dir(), args[1200];
  snprintf(args, sizeof args, "--policy %s/p.imhe examples/wi-ifs-eligible.yaml", dir);
  char path[700];
  snprintf(path, sizeof path, "%s/p.imhe", dir);
  static const char policy[] =
      "policy p\nrule r for all require training \"training of type rsc_provision\":\n  all of\n"
      "    \"hours of program_supervisor training\": sum(training.hours) >= 300 h\n  end\n";
  cr_assert_eq(write_all(path, policy, sizeof policy - 1), 0);
  char *out = check(args, NULL);
  cr_assert(out);
  cr_expect(strstr(out, "✗ training of type RSC provision  [r, "), "%s", out);
  cr_expect(strstr(out, "✗ hours of program supervisor training: 52 h; required 300 h"), "%s", out);
  free(out);
  free(dir);
}

Test(check, text_report_for_people) {
  int rc;
  char *out = check("examples/mi-ers-prerequisite.yaml", &rc);
  cr_expect_eq(rc, 1);
  cr_expect(strstr(out, "\n  verdict: not eligible\n"), "the verdict in words:\n%s", out);
  cr_expect(strstr(out, "as of 2026-04-01 (submitted date); policy MI, base alliance-2025"));
  cr_expect(strstr(out, "✗ 1 year providing reflective supervision/consultation: 0.75 years (275 "
                        "days); required 1 year (365 days, short 90 days)"),
            "%s", out);
  cr_expect(strstr(out, "MI-AIMH does not publish the ERS processing fee"));
  cr_expect(!strstr(out, "\033["), "colour written with NO_COLOR");
  free(out);
}

Test(check, fees_coupons_and_deadlines) {
  char *out = check(
      "--format json examples/wi-ifa-coupon.yaml examples/mi-ifa-legacy-scholarship.yaml", NULL);
  cr_expect(strstr(out, "\"fees\":{\"registration\":0,\"processing\":25,\"total\":25,\"coupon\":"
                        "\"IT-CREDENTIAL\",\"coupon_applied\":true"),
            "%s", out);
  cr_expect(strstr(out, "\"next_deadline\":\"2026-03-15\""));
  cr_expect(strstr(out, "\"registration\":0,\"processing\":0,\"total\":0,\"coupon\":"
                        "\"SCHOLARSHIP\",\"coupon_applied\":true"));
  free(out);
  /* judged later, the application submitted in 2024 keeps its scholarship (coupons follow the
   * submitted date) */
  out = check("--format json --as-of 2025-03-01 examples/mi-ifa-legacy-scholarship.yaml", NULL);
  cr_expect(strstr(out, "\"coupon\":\"SCHOLARSHIP\",\"coupon_applied\":true"), "%s", out);
  free(out);
  /* submitted after the scholarship lapsed: reported, not silently dropped */
  char cmd[600];
  snprintf(cmd, sizeof cmd,
           "sed 's/^submitted: 2024-10-01/submitted: 2025-02-01/' "
           "examples/mi-ifa-legacy-scholarship.yaml | %s check --format json - 2>/dev/null",
           imhe_bin());
  run_cmd(cmd, &out);
  cr_expect(strstr(out, "coupon SCHOLARSHIP not applied: valid only from 2023-01-01 to 2024-12-31"),
            "%s", out);
  free(out);
}

Test(check, exit_status_follows_the_verdicts) {
  int rc;
  free(check("examples/wi-ifs-eligible.yaml", &rc));
  cr_expect_eq(rc, 0);
  free(check("examples/wi-imhs-pending-exam.yaml", &rc));
  cr_expect_eq(rc, 0);
  free(check("examples/wi-ifs-short-rsc.yaml", &rc));
  cr_expect_eq(rc, 1);
  free(check("examples/ct-invalid-record.yaml", &rc));
  cr_expect_eq(rc, 2);
  free(check("--as-of 2026-02-30 examples/wi-ifs-eligible.yaml", &rc));
  cr_expect_eq(rc, 2);
  free(check("--format xml examples/wi-ifs-eligible.yaml", &rc));
  cr_expect_eq(rc, 2);
  free(check("/nonexistent.yaml", &rc));
  cr_expect_eq(rc, 2);
}

Test(check, output_is_deterministic) {
  char *a = check("--format json examples/*.yaml", NULL);
  char *b = check("--format json examples/*.yaml", NULL);
  cr_expect_str_eq(a, b);
  free(a);
  free(b);
  a = check("examples/*.yaml", NULL);
  b = check("examples/*.yaml", NULL);
  cr_expect_str_eq(a, b);
  free(a);
  free(b);
}

Test(check, as_of_option_overrides_submitted) {
  char *out = check("--format json --as-of 2027-06-01 examples/wi-ifs-eligible.yaml", NULL);
  cr_expect(strstr(out, "\"as_of\":\"2027-06-01\",\"as_of_source\":\"option\""), "%s", out);
  /* the membership expired in March 2027 */
  cr_expect(strstr(out, "\"failed_areas\":[\"membership\"]"), "%s", out);
  free(out);
}

Test(check, unknown_association_duplicate_ids_and_unknown_codes_are_invalid) {
  const char *path = "/tmp/imhe-check-batch.yaml";
  const char *text =
      "id: X-1\nassociation: ZZ\ncategory: IFA\napplicant: {name: A}\nsubmitted: 2025-01-01\n---\n"
      "id: X-2\nassociation: mi-aimh\ncategory: IFA\napplicant: {name: B}\nsubmitted: 2025-06-01\n"
      "training:\n  - {title: T, date: 2025-01-01, hours: 3, competencies: [RF.reflection]}\n---\n"
      "id: X-2\nassociation: WI\ncategory: IFA\napplicant: {name: C}\nsubmitted: 2025-06-01\n";
  write_all(path, text, strlen(text));
  int rc;
  char *out = check("--format json /tmp/imhe-check-batch.yaml", &rc);
  cr_expect_eq(rc, 2);
  cr_expect(strstr(out, "unknown association 'ZZ'"), "%s", out);
  cr_expect(strstr(out, "\"line\":13,\"column\":59,\"message\":\"training[0].competencies: unknown "
                        "competency code 'RF.reflection'\""),
            "%s", out);
  cr_expect(strstr(out, "id 'X-2' repeats the record at /tmp/imhe-check-batch.yaml:7"), "%s", out);
  free(out);
}

Test(check, report_file_is_written_atomically) {
  char *dir = temp_dir();
  char args[600], path[300];
  snprintf(path, sizeof path, "%s/report.jsonl", dir);
  write_all(path, "previous\n", 9);
  snprintf(args, sizeof args, "--format json -o %s examples/wi-ifs-eligible.yaml", path);
  int rc;
  free(check(args, &rc));
  cr_expect_eq(rc, 0);
  char *got = read_all(path, NULL);
  cr_expect(got && !strncmp(got, "{\"id\":\"WI-2026-0101\"", 20), "%s", got);
  free(got);
  /* a report into a directory that does not exist fails without a partial file */
  snprintf(args, sizeof args, "-o %s/missing/report.txt examples/wi-ifs-eligible.yaml", dir);
  free(check(args, &rc));
  cr_expect_eq(rc, 2);
  snprintf(args, sizeof args, "rm -rf %s", dir);
  run_cmd(args, NULL);
  free(dir);
}

Test(check, policy_from_a_rules_directory_is_compiled_and_verified) {
  char *dir = temp_dir();
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "cp rules/*.imhe %s/ && sed -i 's/>= 30 h/>= 60 h/' %s/legacy.imhe",
           dir, dir);
  run_cmd(cmd, NULL);
  char args[600];
  snprintf(args, sizeof args, "--format json --rules %s examples/wi-ifs-eligible.yaml", dir);
  int rc;
  char *out = check(args, &rc);
  cr_expect_eq(rc, 1, "the stricter local policy must apply");
  cr_expect(strstr(out, "\"failed_areas\":[\"training\"]"), "%s", out);
  free(out);
  /* a tampered cached .imhec is refused, then rebuilt from its source */
  snprintf(cmd, sizeof cmd, "printf 'garbage' > %s/wi.imhec && touch -d '2000-01-01' %s/*.imhe",
           dir, dir);
  run_cmd(cmd, NULL);
  out = check(args, &rc);
  cr_expect_eq(rc, 1);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* Every .imhe (or .imhec) in dir modified at second `sec`, nanosecond `nsec`. */
static void set_mtimes(const char *dir, const char *ext, long nsec) {
  char pat[600];
  snprintf(pat, sizeof pat, "%s/*%s", dir, ext);
  glob_t g;
  cr_assert_eq(glob(pat, 0, NULL, &g), 0, "%s", pat);
  struct timespec t[2] = {{.tv_sec = 1800000000, .tv_nsec = nsec},
                          {.tv_sec = 1800000000, .tv_nsec = nsec}};
  for (size_t i = 0; i < g.gl_pathc; i++)
    cr_assert_eq(utimensat(AT_FDCWD, g.gl_pathv[i], t, 0), 0, "%s", g.gl_pathv[i]);
  globfree(&g);
}

Test(check, a_cache_is_used_only_while_it_is_current) {
  char *dir = temp_dir();
  char cmd[1200], args[600];
  int rc;
  snprintf(args, sizeof args, "--format json --rules %s examples/wi-ifs-eligible.yaml", dir);
  /* the stricter policy compiled and cached */
  snprintf(cmd, sizeof cmd, "cp rules/*.imhe %s/ && sed -i 's/>= 30 h/>= 60 h/' %s/legacy.imhe",
           dir, dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
  free(check(args, &rc));
  cr_assert_eq(rc, 1, "the stricter local policy must apply");
  char cache[700];
  snprintf(cache, sizeof cache, "%s/wi.imhec", dir);
  size_t n;
  uint8_t *bytes = (uint8_t *)read_all(cache, &n);
  cr_assert(bytes && n > 64, "no cache written at %s", cache);
  /* the source put back; a cache newer than every source is what the source compiles to */
  snprintf(cmd, sizeof cmd, "cp rules/legacy.imhe %s/", dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
  set_mtimes(dir, ".imhe", 100);
  set_mtimes(dir, ".imhec", 500);
  free(check(args, &rc));
  cr_expect_eq(rc, 1, "a cache newer than its sources is used");
  /* the source saved in the same second as its cache, a little later: it is newer */
  set_mtimes(dir, ".imhe", 900);
  free(check(args, &rc));
  cr_expect_eq(rc, 0, "a source edited after its cache, in the same second, must be compiled");
  /* the stricter cache again, as another version of imhe wrote it: compiled afresh from the
   * source at hand */
  memset(bytes + 16, 0, 16);
  memcpy(bytes + 16, "0.1.0", 5);
  memset(bytes + 52, 0, 4);
  uint32_t crc = imhe_crc32(bytes, n);
  for (int i = 0; i < 4; i++)
    bytes[52 + i] = (uint8_t)(crc >> (8 * i));
  cr_assert_eq(write_all(cache, bytes, n), 0);
  set_mtimes(dir, ".imhe", 100);
  set_mtimes(dir, ".imhec", 500);
  free(check(args, &rc));
  cr_expect_eq(rc, 0, "a cache another version wrote must not be used beside its source");
  free(bytes);
  free(dir);
}

Test(check, stdin_and_hostile_input) {
  char cmd[600], *out;
  snprintf(cmd, sizeof cmd,
           "head -c 20000 /dev/urandom | %s check --format json - 2>&1; echo rc=$?", imhe_bin());
  run_cmd(cmd, &out);
  cr_expect(strstr(out, "rc=2") || strstr(out, "rc=0"), "%s", out);
  cr_expect(!strstr(out, "rc=1") && !strstr(out, "Segmentation"), "%s", out);
  free(out);
}

Test(check, one_policy_for_every_record_with_policy_option) {
  char dir_cmd[600];
  char *dir = temp_dir();
  snprintf(dir_cmd, sizeof dir_cmd, "cp rules/*.imhe %s/ && %s compile %s/ct.imhe -o %s/ct.imhec",
           dir, imhe_bin(), dir, dir);
  cr_assert_eq(run_cmd(dir_cmd, NULL), 0);
  char args[600];
  int rc;
  /* the WI applicant judged by CT's policy: CT accepts only CT membership */
  snprintf(args, sizeof args, "--format json --policy %s/ct.imhe examples/wi-ifs-eligible.yaml",
           dir);
  char *out = check(args, &rc);
  cr_expect(strstr(out, "\"policy\":\"CT\"") && strstr(out, "\"failed_areas\":[\"membership\"]"),
            "%s", out);
  free(out);
  snprintf(args, sizeof args, "--format json --policy %s/ct.imhec examples/wi-ifs-eligible.yaml",
           dir);
  out = check(args, &rc);
  cr_expect(strstr(out, "\"policy\":\"CT\""), "%s", out);
  free(out);
  /* a damaged compiled policy is refused, never run; --no-checksum lets the verifier alone decide
   */
  snprintf(dir_cmd, sizeof dir_cmd,
           "f=%s/ct.imhec; b=$(dd if=$f bs=1 skip=200 count=1 2>/dev/null); "
           "[ \"$b\" = X ] && c=Y || c=X; "
           "printf $c | dd of=$f bs=1 seek=200 conv=notrunc 2>/dev/null",
           dir);
  run_cmd(dir_cmd, NULL);
  snprintf(args, sizeof args,
           "%s check --format json --policy %s/ct.imhec examples/wi-ifs-eligible.yaml 2>&1",
           imhe_bin(), dir);
  rc = run_cmd(args, &out);
  cr_expect_eq(rc, 2);
  cr_expect(strstr(out, "checksum mismatch") && !strstr(out, "\"verdict\""),
            "refused before any record is judged: %s", out);
  free(out);
  snprintf(dir_cmd, sizeof dir_cmd, "rm -rf %s", dir);
  run_cmd(dir_cmd, NULL);
  free(dir);
}

Test(check, renewals_are_judged_at_their_deadline) {
  char *out = check("--format json --as-of 2020-01-01 examples/mi-renewal-cycle.yaml", NULL);
  cr_expect(strstr(out, "\"kind\":\"renewal\",\"association\":\"MI\",\"category\":null"), "%s",
            out);
  cr_expect(strstr(out, "\"as_of\":\"2027-12-31\",\"as_of_source\":\"renewal_deadline\""), "%s",
            out);
  cr_expect(strstr(out, "15.5 h") == NULL);
  cr_expect(strstr(out, "18 h; required 24 h (short 6 h) (received 2025-01-01..2027-12-31)"), "%s",
            out);
  cr_expect(
      strstr(out, "\"fees\":{\"renewal\":30,\"membership_per_year\":70,\"total_per_year\":100"),
      "%s", out);
  cr_expect(strstr(out, "\"next_deadline\":null"), "%s", out);
  free(out);
}

/* An association is found by the names its policy declares (called "..." ("ITMHCA")) as well as
 * by its code, in any case and spacing; a membership under its short name is its own. */
Test(check, association_found_by_the_names_its_policy_declares) {
  char *dir = temp_dir(), cmd[1500];
  snprintf(cmd, sizeof cmd, "cp tests/policies/good/identity.imhe %s/itmh.imhe", dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
  static const char *const spellings[] = {"ITMHCA",    "itmhca",
                                          " It Mhca ", "ITMH",
                                          "itmh-aimh", "Italian Infant Mental Health  Coalition"};
  char path[600];
  snprintf(path, sizeof path, "%s/records.yaml", dir);
  FILE *f = fopen(path, "w");
  cr_assert(f);
  for (size_t i = 0; i < sizeof spellings / sizeof *spellings; i++)
    fprintf(f,
            "---\nid: R%zu\nassociation: \"%s\"\ncategory: IFA\nsubmitted: 2026-03-01\n"
            "applicant: {name: N}\nmembership: {association: ITMHCA, expires: 2027-12-31}\n",
            i, spellings[i]);
  fclose(f);
  char args[1400];
  int rc;
  snprintf(args, sizeof args, "--format json --rules %s %s", dir, path);
  char *out = check(args, &rc);
  cr_expect_eq(rc, 0, "%s", out);
  for (size_t i = 0; i < sizeof spellings / sizeof *spellings; i++) {
    char id[20];
    snprintf(id, sizeof id, "R%zu", i);
    char *line = line_of(out, id);
    cr_expect(line && strstr(line, "\"policy\":\"ITMH\"") &&
                  strstr(line, "\"verdict\":\"eligible\""),
              "association '%s': %s", spellings[i], line ? line : out);
    free(line);
  }
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* A coupon is judged on the submitted date: judging the record later (--as-of) keeps the coupon
 * the applicant was entitled to; a guard on `submitted` follows the record, not the option. */
Test(check, coupons_and_submitted_guards_follow_the_submitted_date) {
  int rc;
  char *out = check("--as-of 2028-06-01 --format json --policy tests/policies/good/submitted.imhe "
                    "tests/policies/good/submitted.yaml",
                    &rc);
  char *early = line_of(out, "SUB-EARLY"), *late = line_of(out, "SUB-LATE");
  cr_assert(early && late, "%s", out);
  cr_expect(strstr(early, "\"registration\":0,") && strstr(early, "\"coupon_applied\":true") &&
                strstr(early, "\"verdict\":\"eligible\""),
            "%s", early);
  cr_expect(strstr(late, "\"coupon_applied\":false") &&
                strstr(late, "valid only from the start to "
                             "2026-12-31") &&
                strstr(late, "\"failed_areas\":[\"training\"]"),
            "%s", late);
  free(early);
  free(late);
  free(out);
}

/* A file whose read fails (reading /proc/self/mem from its start gives EIO) is an I/O error named
 * with the file and the error, exit 2, and the records before it in the batch are still judged. */
Test(check, a_read_that_fails_is_an_io_error) {
  char cmd[600], *out;
  snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s check examples/wi-ifs-eligible.yaml /proc/self/mem 2>&1",
           imhe_bin());
  cr_expect_eq(run_cmd(cmd, &out), 2);
  cr_expect(strstr(out, "/proc/self/mem:1:1: error: cannot read the file: Input/output error"),
            "%s", out);
  cr_expect(strstr(out, "verdict: eligible"), "%s", out);
  free(out);
}

/* -j N: the batch parsed, judged and rendered on N threads gives byte for byte what one thread
 * gives (reports, messages, exit status) over the examples and generated batches with repeated
 * ids, syntax errors, unreadable bytes and empty documents in every chunk, and each message of a
 * parallel run is located where its trouble is (tests/jobs.py). */
static void script_passes(const char *script) {
  char cmd[1024], *out = NULL;
  snprintf(cmd, sizeof cmd, "python3 %s %s 2>&1", script, imhe_bin());
  int rc = run_cmd(cmd, &out);
  cr_expect_eq(rc, 0, "%s", out ? out : "");
  free(out);
}

Test(check, jobs_give_what_one_thread_gives, .timeout = 600) {
  script_passes("tests/jobs.py");
}

/* Records that come through a pipe are reported while the writer still holds the input open, a
 * chunk at a time, at -j 1 and -j 2 (tests/streaming.py). */
Test(check, records_through_a_pipe_are_reported_as_they_are_judged, .timeout = 120) {
  script_passes("tests/streaming.py");
}

/* -j takes a number of threads from 1 to 256, and check and report only. */
Test(check, jobs_option_is_checked) {
  static const char *const bad[] = {"-j 0", "-j x", "-j 257", "-j", "-j2x", "--jobs -1"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int rc;
    char args[200];
    snprintf(args, sizeof args, "%s examples/wi-ifs-eligible.yaml", bad[i]);
    char *out = check(args, &rc);
    cr_expect_eq(rc, 2, "imhe check %s exits %d", bad[i], rc);
    free(out);
  }
  int rc;
  char *out = check("-j2 --format json examples/wi-ifs-eligible.yaml", &rc);
  cr_expect_eq(rc, 0);
  cr_expect(strstr(out, "\"verdict\":\"eligible\""), "%s", out);
  free(out);
}

/* --format csv: a header, then one row per record with CRLF line ends; a field holding a comma, a
 * quote or a line break is quoted with its quotes doubled (RFC 4180); UTF-8 passes unchanged; an
 * invalid record's row has its id and verdict and empty fields for what it lacks. */
Test(check, csv_rows_are_quoted_as_rfc_4180_says) {
  char *dir = temp_dir(), path[600], cmd[1400], *out = NULL;
  snprintf(path, sizeof path, "%s/names.yaml", dir);
  static const char yaml[] =
      "id: WI-2026-0901\nassociation: WI\ncategory: IFA\nsubmitted: 2026-02-15\n"
      "applicant: {name: \"Lind, Avery \\\"Ave\\\"\\nJr\"}\n"
      "---\nid: \"WI,0902\"\nassociation: WI\ncategory: IFA\nsubmitted: 2026-02-15\n"
      "applicant: {name: Zoë Ñúñez}\n"
      "---\nid: WI-2026-0903\nassociation: WI\ncategory: [IFA]\n";
  cr_assert_eq(write_all(path, yaml, sizeof yaml - 1), 0);
  snprintf(cmd, sizeof cmd, "%s check --format csv -j 2 %s 2>/dev/null", imhe_bin(), path);
  int rc = run_cmd(cmd, &out);
  cr_expect_eq(rc, 2);
  static const char want[] =
      "id,applicant,association,category,verdict,failed_areas,total_fees,next_deadline\r\n"
      "WI-2026-0901,\"Lind, Avery \"\"Ave\"\"\nJr\",WI,IFA,not_eligible,";
  cr_expect(out && !strncmp(out, want, sizeof want - 1), "%s", out ? out : "");
  cr_expect(out && strstr(out, "\r\n\"WI,0902\",Zoë Ñúñez,WI,IFA,not_eligible,"), "%s", out);
  cr_expect(out && strstr(out, "\r\nWI-2026-0903,,WI,,invalid,,,\r\n"), "%s", out);
  size_t rows = 0;
  for (const char *p = out; p && (p = strstr(p, "\r\n")); p += 2)
    rows++;
  cr_expect_eq(rows, 4, "a header and 3 rows, not %zu lines:\n%s", rows, out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}
