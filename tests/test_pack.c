/* test_pack.c — packed corpora (docs/pack.md): a pack judges byte for byte as the YAML it came
 * from, and a damaged pack (any bit flipped, any truncation) is refused or harmless. */
#include "helpers.h"
#include "include/imhe.h"
#include "runtime/core/crc32.h"
#include "runtime/core/dates.h"
#include "runtime/records/pack.h"
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Runs `imhe ARGS INPUTS` and returns its output (stdout then stderr) and exit status. */
static char *run_imhe(const char *args, const char *inputs, int *status) {
  size_t cap = strlen(args) + strlen(inputs) + 256;
  char *cmd = malloc(cap);
  cr_assert(cmd);
  snprintf(cmd, cap, "NO_COLOR=1 %s %s %s 2>&1", imhe_bin(), args, inputs);
  char *out = NULL;
  *status = run_cmd(cmd, &out);
  free(cmd);
  cr_assert(out);
  return out;
}

/* Packs the inputs, then checks that every verb and format gives from the pack exactly what it
 * gives from the YAML: output, messages and exit status. */
static void expect_same(const char *what, const char *inputs) {
  char *dir = temp_dir(), pack[PATH_MAX], *cmd;
  snprintf(pack, sizeof pack, "%s/corpus.imhepack", dir);
  size_t cap = strlen(inputs) + 2 * PATH_MAX;
  cmd = malloc(cap);
  cr_assert(cmd);
  snprintf(cmd, cap, "%s pack -q %s -o %s 2>&1", imhe_bin(), inputs, pack);
  char *out = NULL;
  cr_assert_eq(run_cmd(cmd, &out), 0, "%s: imhe pack failed: %s", what, out);
  free(out);
  free(cmd);
  static const char *const verbs[] = {"check",
                                      "check --format json",
                                      "check --as-of 2026-01-15 --format json",
                                      "report",
                                      "report --format markdown --verbose",
                                      "recommend"};
  for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++) {
    int sy, sp;
    char *y = run_imhe(verbs[v], inputs, &sy), *p = run_imhe(verbs[v], pack, &sp);
    cr_expect_eq(sy, sp, "%s: imhe %s exits %d from YAML, %d from the pack", what, verbs[v], sy,
                 sp);
    cr_expect_str_eq(p, y, "%s: imhe %s differs between the YAML and the pack", what, verbs[v]);
    free(y);
    free(p);
  }
  snprintf(pack, sizeof pack, "rm -rf %s", dir);
  run_cmd(pack, NULL);
  free(dir);
}

Test(pack, examples_judge_as_their_yaml, .timeout = 120) {
  expect_same("examples", "examples/*.yaml");
}

Test(pack, acceptance_records_judge_as_their_yaml, .timeout = 120) {
  expect_same("acceptance",
              "tests/acceptance/applications/*.yaml tests/acceptance/renewals/*.yaml");
}

/* A file given twice, with another between, is stored once and named for both: the repeated ids
 * cite it as the YAML does. */
Test(pack, a_file_given_twice_judges_as_its_yaml, .timeout = 120) {
  expect_same("a file twice", "examples/wi-ifs-eligible.yaml examples/wi-ifa-coupon.yaml "
                              "examples/wi-ifs-eligible.yaml");
}

/* The compact record's escapes: texts longer than 254 bytes, a list of 300 competency codes, a
 * field 300 lines below its entry's start and fields past column 254 come back as written. */
Test(pack, long_texts_lists_and_far_fields_judge_as_their_yaml, .timeout = 120) {
  expect_same("escapes", "tests/data/pack-escapes.yaml");
}

/* Invalid records keep every error and warning, with its file:line:col; the files' own notices
 * (empty documents, a file of comments) come back in their places. */
Test(pack, invalid_records_keep_their_messages, .timeout = 120) {
  expect_same("bad records", "tests/records/bad/*.yaml");
}

/* A file of comments and a file of empty documents keep their notices from a pack, file:line and
 * words as from the YAML, and a run that judged no record says so either way. */
Test(pack, notices_of_empty_inputs_come_back_from_a_pack) {
  char *dir = temp_dir(), files[2 * PATH_MAX], cmd[4 * PATH_MAX];
  char comments[PATH_MAX], empty[PATH_MAX];
  snprintf(comments, sizeof comments, "%s/comments.yaml", dir);
  snprintf(empty, sizeof empty, "%s/empty.yaml", dir);
  cr_assert_eq(write_all(comments, "# only a comment\n", 17), 0);
  cr_assert_eq(write_all(empty, "---\n---\n", 8), 0);
  snprintf(files, sizeof files, "%s %s", comments, empty);
  snprintf(cmd, sizeof cmd, "%s pack -q %s -o %s/e.imhepack 2>/dev/null", imhe_bin(), files, dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
  int st_yaml, st_pack;
  char *from_yaml = run_imhe("check", files, &st_yaml);
  snprintf(cmd, sizeof cmd, "%s/e.imhepack", dir);
  char *from_pack = run_imhe("check", cmd, &st_pack);
  cr_expect_eq(st_pack, 2, "no record judged: exit %d", st_pack);
  cr_expect_eq(st_yaml, st_pack);
  char want[2 * PATH_MAX];
  snprintf(want, sizeof want, "%s:1:1: warning: no records in file\n", comments);
  cr_expect(strstr(from_pack, want), "%s", from_pack);
  snprintf(want, sizeof want, "%s:1:1: warning: empty document: nothing to judge\n", empty);
  cr_expect(strstr(from_pack, want), "%s", from_pack);
  cr_expect(strstr(from_pack, "no record judged"), "%s", from_pack);
  cr_expect(strstr(from_yaml, want), "%s", from_yaml);
  free(from_yaml);
  free(from_pack);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* The new side of the CT 2025 example as a checkout of another revision: rules/ copied, with
 * examples/policies/ct-2025.imhe as its ct.imhe (the other policies compile to the same programs,
 * so their records are skipped unread; the CT records are judged under both). */
static void ct2025_rules(const char *dir) {
  char cmd[3 * PATH_MAX];
  snprintf(cmd, sizeof cmd,
           "mkdir -p %s/rules && cp rules/*.imhe %s/rules/ && "
           "cp examples/policies/ct-2025.imhe %s/rules/ct.imhe",
           dir, dir, dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
}

/* Packs the inputs, then checks that `imhe diff --records` gives from the pack, where a record of
 * an unchanged policy is read no further than its head, exactly what it gives from the YAML, where
 * every record is read whole: counts, flips, explanations, messages and exit status, in every
 * format, with and without --summary. */
static void expect_same_diff(const char *what, const char *inputs) {
  char *dir = temp_dir(), pack[PATH_MAX], *cmd, *args;
  ct2025_rules(dir);
  snprintf(pack, sizeof pack, "%s/corpus.imhepack", dir);
  size_t cap = strlen(inputs) + 4 * PATH_MAX;
  cmd = malloc(cap);
  args = malloc(cap);
  cr_assert(cmd && args);
  snprintf(cmd, cap, "%s pack -q %s -o %s 2>&1", imhe_bin(), inputs, pack);
  char *out = NULL;
  cr_assert_eq(run_cmd(cmd, &out), 0, "%s: imhe pack failed: %s", what, out);
  free(out);
  static const char *const forms[] = {"",
                                      "--summary",
                                      "--format json",
                                      "--format json --summary",
                                      "--format markdown",
                                      "--format markdown --summary"};
  for (size_t v = 0; v < sizeof forms / sizeof forms[0]; v++) {
    int sy, sp;
    snprintf(args, cap, "diff %s rules %s/rules --records", forms[v], dir);
    char *y = run_imhe(args, inputs, &sy), *p = run_imhe(args, pack, &sp);
    cr_expect_eq(sy, sp, "%s: imhe %s exits %d from YAML, %d from the pack", what, args, sy, sp);
    cr_expect_str_eq(p, y, "%s: imhe %s differs between the YAML and the pack", what, args);
    if (!strstr(forms[v], "summary"))
      cr_expect(strstr(y, "CT-"), "%s: imhe %s shows no changed CT record: %s", what, args, y);
    free(y);
    free(p);
  }
  snprintf(cmd, cap, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(cmd);
  free(args);
  free(dir);
}

/* The diff over a pack, where records of unchanged policies are skipped unread, as over its YAML:
 * the examples, malformed records, a generated population (1000 records: a pack over 2 MiB, so
 * mapped rather than read), and ids shared between a skipped
 * record and a judged one (a skipped record's id still makes a later one a repeat, unless it has
 * errors of its own, as when it is read whole). */
Test(pack, diff_skipping_unchanged_policies_is_the_diff_of_the_yaml, .timeout = 300) {
  char *dir = temp_dir(), cmd[4 * PATH_MAX], inputs[4 * PATH_MAX];
  snprintf(cmd, sizeof cmd,
           "python3 bench/gen_records.py 1000 11 > %s/population.yaml && "
           "{ sed 's/^id: .*/id: SHARED-1/' examples/wi-ifs-eligible.yaml; echo ---; "
           "sed 's/^id: .*/id: SHARED-1/' examples/ct-imhmc-deficient.yaml; echo ---; "
           "sed 's/^id: .*/id: SHARED-2/; s/^submitted: .*/submitted: 2026-13-40/' "
           "examples/wi-ifs-eligible.yaml; echo ---; "
           "sed 's/^id: .*/id: SHARED-2/' examples/ct-ecfs-eligible.yaml; } > %s/shared.yaml",
           dir, dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
  snprintf(inputs, sizeof inputs,
           "examples/*.yaml %s/shared.yaml tests/records/bad/*.yaml %s/population.yaml "
           "examples/ct-imhmc-deficient.yaml",
           dir, dir);
  expect_same_diff("examples, shared ids, malformed records, a population", inputs);
  snprintf(cmd, sizeof cmd, "%s/shared.yaml", dir);
  int st;
  char *out = run_imhe("diff rules rules --records", cmd, &st);
  cr_expect_eq(st, 0, "the same rules on both sides: every record unchanged: %s", out);
  cr_expect(strstr(out, "records                   4\n  unchanged                 4\n"), "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

Test(pack, generated_population_judges_as_its_yaml, .timeout = 300) {
  char *dir = temp_dir(), cmd[2 * PATH_MAX], yaml[PATH_MAX];
  snprintf(yaml, sizeof yaml, "%s/population.yaml", dir);
  snprintf(cmd, sizeof cmd, "python3 bench/gen_records.py 3000 11 > %s", yaml);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
  expect_same("population", yaml);
  expect_same_diff("population", yaml);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* Files without a record (empty, comments only, an empty document): from their pack as from the
 * YAML, the same report on stdout and "no record judged in 3 files" (the pack counts the files it
 * was made from, not itself), exit 2. stdout and that line only: the notices on stderr come from
 * the reading thread, whose timing against the judging thread decides their order. */
Test(pack, no_record_counts_the_files_packed, .timeout = 60) {
  char *dir = temp_dir(), cmd[6 * PATH_MAX];
  snprintf(
      cmd, sizeof cmd,
      ": > %s/a.yaml && printf '# nothing\\n' > %s/b.yaml && printf -- '---\\n' > %s/c.yaml && "
      "%s pack -q %s/a.yaml %s/b.yaml %s/c.yaml -o %s/p.imhepack",
      dir, dir, dir, imhe_bin(), dir, dir, dir, dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
  const char *inputs[2] = {"%s/a.yaml %s/b.yaml %s/c.yaml", "%s/p.imhepack"};
  char *outs[2];
  for (int i = 0; i < 2; i++) {
    char in[4 * PATH_MAX];
    snprintf(in, sizeof in, inputs[i], dir, dir, dir);
    snprintf(cmd, sizeof cmd,
             "NO_COLOR=1 %s check %s 2>%s/err >%s/out; echo \"exit $?\"; cat %s/out; "
             "grep -c 'imhe check: no record judged in 3 files$' %s/err",
             imhe_bin(), in, dir, dir, dir, dir);
    outs[i] = NULL;
    run_cmd(cmd, &outs[i]);
    cr_assert(outs[i]);
    cr_expect(strstr(outs[i], "exit 2\n") && strstr(outs[i], "\n1\n"),
              "%s: not exit 2 with 'no record judged in 3 files': %s", i ? "pack" : "YAML",
              outs[i]);
  }
  cr_expect_str_eq(outs[1], outs[0], "the pack's stdout differs from the YAML's");
  free(outs[0]);
  free(outs[1]);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* The pack's index of ids grows (twice, past 512 and 1,024 ids) while records are packed: an id
 * repeated after it grew is still found, from the pack as from the YAML, citing the first. */
Test(pack, an_id_repeated_after_the_index_grew_is_found, .timeout = 60) {
  char *dir = temp_dir(), cmd[4 * PATH_MAX];
  const char *rest = "association: WI\\ncategory: IFA\\nsubmitted: 2025-01-01\\n"
                     "applicant: {name: A}\\n";
  snprintf(cmd, sizeof cmd,
           "for i in $(seq 1 1500); do printf -- '---\\nid: G-%%d\\n%s' $i; "
           "done > %s/g.yaml && printf -- '---\\nid: G-7\\n%s' >> %s/g.yaml && "
           "%s pack -q %s/g.yaml -o %s/g.imhepack",
           rest, dir, rest, dir, imhe_bin(), dir, dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
  const char *ins[2] = {"g.yaml", "g.imhepack"};
  for (int i = 0; i < 2; i++) {
    snprintf(cmd, sizeof cmd, "%s/%s", dir, ins[i]);
    int st;
    char *out = run_imhe("check", cmd, &st), want[PATH_MAX + 64];
    snprintf(want, sizeof want, "id 'G-7' repeats the record at %s/g.yaml:38\n", dir);
    cr_expect(strstr(out, want), "%s: %s", ins[i], out);
    cr_expect_eq(st, 2, "%s", ins[i]);
    free(out);
  }
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* A repeated id is found across a pack and YAML given after it, and cites the YAML file the
 * first record came from, not the pack. */
Test(pack, repeated_ids_cite_the_original_file) {
  char *dir = temp_dir(), cmd[3 * PATH_MAX];
  snprintf(cmd, sizeof cmd, "%s pack -q examples/wi-ifs-eligible.yaml -o %s/a.imhepack", imhe_bin(),
           dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
  snprintf(cmd, sizeof cmd, "%s/a.imhepack examples/wi-ifs-eligible.yaml", dir);
  int st;
  char *out = run_imhe("check", cmd, &st);
  cr_expect_eq(st, 2);
  cr_expect(strstr(out, "repeats the record at examples/wi-ifs-eligible.yaml:"), "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

Test(pack, packs_join_and_usage_errors_are_refused) {
  char *dir = temp_dir(), cmd[4 * PATH_MAX];
  int st;
  snprintf(cmd, sizeof cmd, "%s pack examples/wi-ifs-eligible.yaml -o %s/a.imhepack", imhe_bin(),
           dir);
  char *out = NULL;
  cr_assert_eq(run_cmd(cmd, &out), 0);
  cr_expect(strstr(out, "1 file \u2192 ") && strstr(out, ": 1 record\n"), "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd,
           "%s pack -q %s/a.imhepack examples/ct-ecfs-eligible.yaml -o %s/b.imhepack", imhe_bin(),
           dir, dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
  snprintf(cmd, sizeof cmd, "%s/b.imhepack", dir);
  out = run_imhe("check", cmd, &st);
  cr_expect(strstr(out, "WI-") && strstr(out, "CT-"), "the joined pack holds both: %s", out);
  free(out);
  out = run_imhe("pack", "examples/wi-ifs-eligible.yaml", &st);
  cr_expect_eq(st, 2);
  cr_expect(strstr(out, "-o OUT is required"), "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "examples/no-such.yaml -o %s/c.imhepack", dir);
  out = run_imhe("pack", cmd, &st);
  cr_expect_eq(st, 2);
  cr_expect(strstr(out, "no-such.yaml"), "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "test -e %s/c.imhepack", dir);
  cr_expect_neq(run_cmd(cmd, NULL), 0, "a failed pack leaves no file");
  /* a damaged pack is refused whole, located, exit 2 */
  snprintf(cmd, sizeof cmd,
           "printf 'X' | dd of=%s/b.imhepack bs=1 seek=200 conv=notrunc 2>/dev/null", dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
  snprintf(cmd, sizeof cmd, "%s/b.imhepack", dir);
  out = run_imhe("check", cmd, &st);
  cr_expect_eq(st, 2);
  cr_expect(strstr(out, "damaged or invalid pack: checksum mismatch"), "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* ---- damaged packs, in process ---- */

static uint8_t *good_pack(size_t *n) {
  char *dir = temp_dir(), path[PATH_MAX], rm[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/p.imhepack", dir);
  const char *in[] = {"examples/wi-ifs-short-rsc.yaml", "examples/ct-invalid-record.yaml"};
  imhe_error e;
  cr_assert_eq(imhe_pack_paths(in, 2, path, NULL, &e), IMHE_OK, "%s", e.message);
  uint8_t *b = (uint8_t *)read_all(path, n);
  cr_assert(b);
  snprintf(rm, sizeof rm, "rm -rf %s", dir);
  run_cmd(rm, NULL);
  free(dir);
  return b;
}

static void set32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

/* Opens the bytes; when accepted, every record is decoded, judged and rendered (under ASan/UBSan
 * in `make test-sanitize`) up to the first the decoder refuses, with its offset: harmless. Returns
 * whether the whole pack was accepted. */
static int open_and_judge(imhe_policy_set *set, const uint8_t *b, size_t n, int check_sum) {
  struct imhe_pack p;
  char err[512];
  if (imhe_pack_open(&p, b, n, check_sum, err, sizeof err) != 0) {
    cr_expect(strstr(err, "offset") || strstr(err, "truncated") || strstr(err, "size"),
              "refusal '%s' is not located", err);
    return 0;
  }
  static char buf[1 << 16];
  for (uint32_t i = 0; i < p.nrecords; i++) {
    struct imhe_record *r = calloc(1, sizeof *r);
    cr_assert(r);
    if (imhe_pack_record(&p, i, r, 0, err, sizeof err) != 0) {
      cr_expect(strstr(err, "offset") && strstr(err, "record "), "refusal '%s' is not located",
                err);
      imhe_record_free(r);
      imhe_pack_close(&p);
      return 0;
    }
    struct imhe_pack_head first;
    if (imhe_pack_repeats(&p, i, r, &first, err, sizeof err) < 0) {
      cr_expect(strstr(err, "offset") && strstr(err, "record "), "refusal '%s' is not located",
                err);
      imhe_record_free(r);
      imhe_pack_close(&p);
      return 0;
    }
    r->owner = set;
    imhe_result *res = NULL;
    imhe_error e;
    if (imhe_judge(set, r, NULL, &res, &e) == IMHE_OK)
      imhe_render_buffer(res, "json", NULL, buf, sizeof buf, NULL, &e);
    imhe_result_free(res);
    imhe_record_free(r);
  }
  imhe_pack_close(&p);
  return 1;
}

static imhe_policy_set *open_rules(void) {
  imhe_open_options o = {.no_cache_write = 1};
  imhe_policy_set *set;
  imhe_error e;
  cr_assert_eq(imhe_policy_set_open("rules", &o, &set, &e), IMHE_OK, "%s", e.message);
  return set;
}

Test(pack, good_pack_opens_and_checksum_is_zlibs) {
  size_t n;
  uint8_t *b = good_pack(&n);
  imhe_policy_set *set = open_rules();
  cr_expect(open_and_judge(set, b, n, 1));
  cr_expect_eq(imhe_crc32((const uint8_t *)"123456789", 9), 0xCBF43926u, "CRC-32 check value");
  cr_expect_eq(imhe_days_from_civil(1800, 1, 1), IMHE_PACK_DATE_MIN);
  cr_expect_eq(imhe_days_from_civil(2200, 12, 31), IMHE_PACK_DATE_MAX);
  imhe_policy_set_close(set);
  free(b);
}

/* A pack's records keep its texts in its bytes: records still held when their source closes
 * keep the pack alive, and read and judge as before (under ASan in make test-sanitize). */
Test(pack, records_outlive_their_source, .timeout = 120) {
  char *dir = temp_dir(), pack[PATH_MAX], cmd[2 * PATH_MAX];
  snprintf(pack, sizeof pack, "%s/examples.imhepack", dir);
  snprintf(cmd, sizeof cmd, "%s pack -q examples/*.yaml -o %s", imhe_bin(), pack);
  free(dir);
  cr_assert_eq(system(cmd), 0);
  imhe_policy_set *set = open_rules();
  imhe_source *src;
  imhe_error e;
  const char *paths[] = {pack};
  cr_assert_eq(imhe_source_open_paths(set, paths, 1, &src, &e), IMHE_OK, "%s", e.message);
  imhe_record *v[64];
  char ids[64][80];
  size_t n = 0;
  for (imhe_code c; n < 64 && (c = imhe_source_next(src, &v[n], &e)) != IMHE_END;)
    if (c == IMHE_OK) {
      snprintf(ids[n], sizeof ids[n], "%s", imhe_record_id(v[n]) ? imhe_record_id(v[n]) : "");
      n++;
    }
  imhe_source_close(src);
  cr_assert_gt(n, 10);
  for (size_t i = 0; i < n; i++) {
    cr_expect_str_eq(imhe_record_id(v[i]) ? imhe_record_id(v[i]) : "", ids[i]);
    imhe_result *res;
    cr_expect_eq(imhe_judge(set, v[i], NULL, &res, &e), IMHE_OK, "%s", e.message);
    cr_expect_neq(imhe_result_verdict(res), IMHE_VERDICT__COUNT);
    imhe_result_free(res);
    imhe_record_free(v[i]);
  }
  imhe_policy_set_close(set);
}

/* Every bit flipped: the checksum refuses each; past the checksum, the verifier refuses each or
 * the records it lets through judge without fault. */
Test(pack, every_bit_flip_is_refused_or_harmless, .timeout = 600) {
  size_t n;
  uint8_t *b = good_pack(&n);
  imhe_policy_set *set = open_rules();
  int accepted = 0;
  for (size_t i = 0; i < n * 8; i++) {
    b[i / 8] ^= (uint8_t)(1u << (i % 8));
    cr_expect_eq(open_and_judge(set, b, n, 1), 0, "bit %zu flipped passes the checksum", i);
    accepted += open_and_judge(set, b, n, 0);
    b[i / 8] ^= (uint8_t)(1u << (i % 8));
  }
  cr_log_info("pack of %zu bytes: %d of %zu bit flips pass the verifier without the checksum "
              "(locations, texts), all judged without fault",
              n, accepted, n * 8);
  imhe_policy_set_close(set);
  free(b);
}

/* Every truncation, with the header's size left as it was and made to match. */
Test(pack, every_truncation_is_refused, .timeout = 300) {
  size_t n;
  uint8_t *b = good_pack(&n);
  imhe_policy_set *set = open_rules();
  for (size_t k = 0; k < n; k++) {
    uint8_t *c = malloc(k ? k : 1);
    cr_assert(c);
    memcpy(c, b, k);
    cr_expect_eq(open_and_judge(set, c, k, 1), 0, "truncated to %zu bytes: accepted", k);
    if (k >= 28)
      set32(c + 24, (uint32_t)k);
    cr_expect_eq(open_and_judge(set, c, k, 0), 0, "truncated to %zu bytes, size refitted: accepted",
                 k);
    free(c);
  }
  imhe_policy_set_close(set);
  free(b);
}

static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
/* The bytes of the head of the record at r (docs/pack.md, since version 10: a u16 at 14). */
static uint32_t head_bytes(const uint8_t *r) {
  return (uint32_t)r[14] | (uint32_t)r[15] << 8;
}
/* Where the pack's section of this kind starts (1: the index, each record's end; 2: the records),
 * from its section table: kind, offset, length, 0. */
static uint32_t section_at(const uint8_t *b, uint32_t kind) {
  for (int i = 0; i < 4; i++)
    if (get32(b + 64 + 16 * i) == kind)
      return get32(b + 68 + 16 * i);
  return 0;
}

/* Makes the pack's checksum match its altered bytes and writes it to dir/bad.imhepack (path). */
static void save_altered(uint8_t *b, size_t n, const char *dir, char path[PATH_MAX]) {
  set32(b + 44, 0);
  set32(b + 44, imhe_crc32(b, n));
  snprintf(path, PATH_MAX, "%s/bad.imhepack", dir);
  FILE *f = fopen(path, "wb");
  cr_assert(f && fwrite(b, 1, n, f) == n && fclose(f) == 0);
}

/* A pack altered by hand, its checksum made to match: the decoder refuses it at the bad record.
 * check judges the records before it, then names the record and its offset and exits 2 (with -o,
 * nothing is written); diff and pack refuse it the same way. */
Test(pack, a_bad_record_behind_a_good_checksum_is_refused_at_it, .timeout = 60) {
  size_t n;
  uint8_t *b = good_pack(&n);
  uint32_t idx = section_at(b, 1), rec = section_at(b, 2);
  uint32_t end0 = get32(b + idx); /* where the first record ends */
  b[rec + end0 + 8] = 9;          /* the second record's kind */
  char *dir = temp_dir(), path[PATH_MAX], cmd[4 * PATH_MAX];
  save_altered(b, n, dir, path);
  int st;
  char *out = run_imhe("check", path, &st);
  cr_expect_eq(st, 2, "%s", out);
  cr_expect(strstr(out, "WI-2026-0102"), "the record before the bad one is judged: %s", out);
  cr_expect(strstr(out, "damaged or invalid pack: record 2: record kind out of range (offset "),
            "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "-o %s/out.txt %s", dir, path);
  out = run_imhe("check", cmd, &st);
  cr_expect_eq(st, 2, "%s", out);
  cr_expect(strstr(out, "not written"), "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "%s/out.txt", dir);
  cr_expect_eq(access(cmd, F_OK), -1, "check -o wrote its output");
  snprintf(cmd, sizeof cmd, "rules rules --records %s", path);
  out = run_imhe("diff", cmd, &st);
  cr_expect_eq(st, 2, "%s", out);
  cr_expect(strstr(out, "record 2: record kind out of range"), "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "%s -o %s/joined.imhepack", path, dir);
  out = run_imhe("pack", cmd, &st);
  cr_expect_eq(st, 2, "%s", out);
  cr_expect(strstr(out, "record 2: record kind out of range"), "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
  free(b);
}

/* The index says which records repeat an id of the pack (docs/pack.md, version 9), so that a
 * source reading one pack keeps no index of ids: a pack altered by hand, its checksum made to
 * match, whose index names a later record or one whose id differs is refused, located. */
Test(pack, an_index_naming_the_wrong_repeat_is_refused, .timeout = 60) {
  size_t n;
  uint8_t *b = good_pack(&n);
  uint32_t idx = section_at(b, 1);
  struct imhe_pack p;
  char err[512];
  set32(b + idx + 12, 2); /* the second record said to repeat itself */
  cr_expect_neq(imhe_pack_open(&p, b, n, 0, err, sizeof err), 0);
  cr_expect(strstr(err, "record 2: repeats record 2, not one before it (offset "), "%s", err);
  set32(b + idx + 12, 1); /* the second record said to repeat the first, another id */
  char *dir = temp_dir(), path[PATH_MAX], rm[PATH_MAX + 16];
  save_altered(b, n, dir, path);
  int st;
  char *out = run_imhe("check", path, &st);
  cr_expect_eq(st, 2, "%s", out);
  cr_expect(strstr(out, "WI-2026-0102"), "the record before the bad one is judged: %s", out);
  cr_expect(strstr(out, "damaged or invalid pack: record 2: a record with errors or without an id "
                        "said to repeat an id (offset "),
            "%s", out);
  free(out);
  /* the same record, its errors gone and an id of its own, still repeats no record */
  cr_assert_eq(imhe_pack_open(&p, b, n, 1, err, sizeof err), 0, "%s", err);
  struct imhe_record *r = calloc(1, sizeof *r);
  cr_assert(r);
  cr_assert_eq(imhe_pack_record(&p, 1, r, 0, err, sizeof err), 0, "%s", err);
  r->errors.n = 0;
  r->id = (struct imhe_text){"CT-0001", 7};
  struct imhe_pack_head first;
  cr_expect_eq(imhe_pack_repeats(&p, 1, r, &first, err, sizeof err), -1);
  cr_expect(strstr(err, "record 2: said to repeat the id of a record whose id differs, that has "
                        "errors or that repeats one itself (offset "),
            "%s", err);
  /* the first record's id: a repeat, cited at that record's file and line */
  r->id = (struct imhe_text){"WI-2026-0102", 12};
  cr_expect_eq(imhe_pack_repeats(&p, 1, r, &first, err, sizeof err), 1, "%s", err);
  cr_expect(first.line == 3 && strstr(first.file, "wi-ifs-short-rsc.yaml"), "%s:%u", first.file,
            first.line);
  imhe_record_free(r);
  imhe_pack_close(&p);
  snprintf(rm, sizeof rm, "rm -rf %s", dir);
  run_cmd(rm, NULL);
  free(dir);
  free(b);
}

/* A pack of one record three times over (ids 'X' without errors): its index says the second and
 * the third repeat the first. */
static uint8_t *thrice_pack(size_t *n, char *dir) {
  char cmd[3 * PATH_MAX], path[PATH_MAX];
  snprintf(cmd, sizeof cmd,
           "for i in 1 2 3; do printf -- '---\\nid: X\\nassociation: WI\\ncategory: IFA\\n"
           "submitted: 2025-01-01\\napplicant: {name: A}\\n'; done > %s/x.yaml && "
           "%s pack -q %s/x.yaml -o %s/x.imhepack",
           dir, imhe_bin(), dir, dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
  snprintf(path, sizeof path, "%s/x.imhepack", dir);
  uint8_t *b = (uint8_t *)read_all(path, n);
  cr_assert(b);
  uint32_t idx = section_at(b, 1);
  cr_assert(get32(b + idx + 4) == 0 && get32(b + idx + 12) == 1 && get32(b + idx + 20) == 1);
  return b;
}

/* The index must name every repeat, and name the first record of the id, as the YAML's message
 * cites it: a pack altered by hand, its checksum made to match, whose index says a repeated id is
 * new is refused on opening, and one naming a record that itself repeats the id is refused at the
 * record, rather than judging a record the YAML makes invalid, or citing the wrong record. */
Test(pack, an_index_hiding_a_repeat_or_naming_a_repeat_is_refused, .timeout = 60) {
  char *dir = temp_dir(), path[PATH_MAX], rm[PATH_MAX + 16];
  size_t n;
  uint8_t *b = thrice_pack(&n, dir);
  uint32_t idx = section_at(b, 1);
  set32(b + idx + 20, 0); /* the third record said to repeat nothing */
  save_altered(b, n, dir, path);
  int st;
  char *out = run_imhe("check", path, &st);
  cr_expect_eq(st, 2, "%s", out);
  cr_expect(strstr(out, "damaged or invalid pack: record 3: repeats the id of record 1, which the "
                        "index does not say (offset "),
            "%s", out);
  free(out);
  set32(b + idx + 20, 2); /* the third record said to repeat the second, itself a repeat */
  save_altered(b, n, dir, path);
  out = run_imhe("check", path, &st);
  cr_expect_eq(st, 2, "%s", out);
  cr_expect(strstr(out,
                   "damaged or invalid pack: record 3: said to repeat the id of a record whose "
                   "id differs, that has errors or that repeats one itself (offset "),
            "%s", out);
  free(out);
  snprintf(rm, sizeof rm, "rm -rf %s", dir);
  run_cmd(rm, NULL);
  free(dir);
  free(b);
}

/* Records name their texts by number (docs/pack.md, version 11): each text of the texts section
 * is checked once, when the pack is opened, so one not terminated is refused there, located,
 * behind a matching checksum. */
Test(pack, a_text_not_terminated_is_refused_on_opening) {
  size_t n;
  uint8_t *b = good_pack(&n);
  uint32_t texts = get32(b + IMHE_PACK_HEADER + 4 * 16 + 4), len = get32(b + texts);
  b[texts + 4 + len] = 'x'; /* the first text's NUL */
  set32(b + 44, 0);
  set32(b + 44, imhe_crc32(b, n));
  struct imhe_pack p;
  char err[512] = "";
  cr_expect_neq(imhe_pack_open(&p, b, n, 1, err, sizeof err), 0, "accepted");
  cr_expect(strstr(err, "text 1: text length past its section or not terminated (offset "), "%s",
            err);
  free(b);
}

/* A record cut short at every byte, its checksum made to match: the decoder refuses the record at
 * the field it ends in, whatever kind of field that is (the checked reading a record's last bytes
 * take), and never reads past it (under ASan/UBSan in make test-sanitize). */
Test(pack, a_record_cut_at_every_byte_is_refused_at_it, .timeout = 120) {
  size_t n;
  uint8_t *b = good_pack(&n);
  uint32_t idx = section_at(b, 1);
  uint32_t end0 = get32(b + idx); /* where the first record ends */
  uint8_t *c = malloc(n);
  cr_assert(c);
  for (uint32_t k = 0; k < end0; k++) {
    memcpy(c, b, n);
    set32(c + idx, k);
    set32(c + 44, 0);
    set32(c + 44, imhe_crc32(c, n));
    struct imhe_pack p;
    char err[512] = "";
    if (imhe_pack_open(&p, c, n, 1, err, sizeof err) != 0) {
      cr_expect(strstr(err, "offset"), "cut at %u: refusal '%s' is not located", k, err);
      continue;
    }
    struct imhe_record *r = calloc(1, sizeof *r);
    cr_assert(r);
    cr_expect_neq(imhe_pack_record(&p, 0, r, 0, err, sizeof err), 0,
                  "the first record cut to %u of its %u bytes is accepted", k, end0);
    cr_expect(strstr(err, "record 1") && strstr(err, "offset"), "cut at %u: '%s'", k, err);
    imhe_record_free(r);
    imhe_pack_close(&p);
  }
  free(c);
  free(b);
}

/* What the skip of `imhe diff --records` gives up (docs/pack.md): a record altered by hand past
 * its head, behind a matching checksum, is refused by check but counted unchanged by a diff whose
 * policy for it did not change; altered in its head, it is refused by the diff too; and a flipped
 * bit is the checksum's to refuse, before any record is read. */
Test(pack, a_skipped_record_is_read_no_further_than_its_head, .timeout = 60) {
  size_t n;
  uint8_t *b = good_pack(&n); /* a WI record, then a CT record */
  uint32_t rec = section_at(b, 2);
  cr_assert_eq(get32(b + rec + 36), 0, "the WI record's head counts its warnings, 0");
  char *dir = temp_dir(), path[PATH_MAX], cmd[4 * PATH_MAX];
  ct2025_rules(dir);
  snprintf(path, sizeof path, "%s/bad.imhepack", dir);
  for (int head = 0; head < 2; head++) {
    uint8_t *c = malloc(n);
    cr_assert(c);
    memcpy(c, b, n);
    if (head)
      c[rec + 9] = 2; /* the WI record's errors flag */
    else
      set32(c + rec + 36, 5); /* its count of warnings, past the record */
    set32(c + 44, 0);
    set32(c + 44, imhe_crc32(c, n));
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(c, 1, n, f) == n && fclose(f) == 0);
    int st;
    char *out = run_imhe("check", path, &st);
    cr_expect_eq(st, 2, "%s", out);
    cr_expect(strstr(out, head ? "record 1: errors flag neither 0 nor 1"
                               : "record 1: message count past the record"),
              "%s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "--summary rules %s/rules --records %s", dir, path);
    out = run_imhe("diff", cmd, &st);
    if (head) {
      cr_expect_eq(st, 2, "%s", out);
      cr_expect(strstr(out, "record 1: errors flag neither 0 nor 1"), "%s", out);
    } else {
      cr_expect_eq(st, 0, "%s", out); /* the CT record is invalid under both: unchanged too */
      cr_expect(strstr(out, "records                   2\n  unchanged                 2\n"), "%s",
                out);
    }
    free(out);
    c[rec + 248] ^= 1; /* a bit flipped behind the checksum */
    f = fopen(path, "wb");
    cr_assert(f && fwrite(c, 1, n, f) == n && fclose(f) == 0);
    out = run_imhe("diff", cmd, &st);
    cr_expect_eq(st, 2, "%s", out);
    cr_expect(strstr(out, "checksum mismatch"), "%s", out);
    free(out);
    free(c);
  }
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
  free(b);
}

Test(pack, header_faults_are_named) {
  size_t n;
  uint8_t *b = good_pack(&n);
  struct imhe_pack p;
  char err[512];
  struct {
    size_t at;
    uint8_t v;
    const char *want;
  } cases[] = {{0, 1, "magic"},     {8, 7, "version 11"},  {12, 1, "flags"},
               {17, 7, "canary"},   {20, 4, "byte-order"}, {28, 3, "sections"},
               {50, 1, "reserved"}, {45, 0xFF, "checksum"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    b[cases[i].at] ^= cases[i].v;
    cr_expect_neq(imhe_pack_open(&p, b, n, 1, err, sizeof err), 0, "%s accepted", cases[i].want);
    cr_expect(strstr(err, cases[i].want), "'%s' does not say '%s'", err, cases[i].want);
    b[cases[i].at] ^= cases[i].v;
  }
  free(b);
}

/* A FIFO is read as YAML (never opened to look for the magic: that would block or eat its first
 * bytes), both by pack and by check; imhe test refuses a pack, which keeps no expect: blocks. */
Test(pack, fifos_are_yaml_and_tests_refuse_packs, .timeout = 60) {
  char *dir = temp_dir(), cmd[4 * PATH_MAX];
  int st;
  snprintf(cmd, sizeof cmd,
           "mkfifo %s/in.fifo && { cat examples/wi-ifs-eligible.yaml > %s/in.fifo & } && "
           "%s pack -q %s/in.fifo -o %s/p.imhepack && NO_COLOR=1 %s check %s/p.imhepack",
           dir, dir, imhe_bin(), dir, dir, imhe_bin(), dir);
  char *out = NULL;
  cr_expect_eq(run_cmd(cmd, &out), 0, "%s", out);
  cr_expect(strstr(out, "verdict: eligible"), "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "%s/p.imhepack", dir);
  out = run_imhe("test --rules rules", cmd, &st);
  cr_expect_eq(st, 2, "%s", out);
  cr_expect(strstr(out, "a pack keeps no expect: blocks") &&
                strstr(out, "give imhe test the YAML files"),
            "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* The checks the compact layout adds (docs/pack.md, version 8), each behind a matching checksum
 * and located: a presence mask naming a field the section does not have, a field holding more
 * codes than the record's list has left, a text reference past the texts section, and counts that
 * do not add up to the record's length. The first record (examples/wi-ifs-short-rsc.yaml) has an
 * education entry first, whose first field, the degree, holds codes: the entry's location (two
 * bytes), its mask (two), the degree's location (one, on the entry's line since version 12), then
 * its count of codes. */
Test(pack, the_compact_layout_is_checked_field_by_field) {
  size_t n;
  uint8_t *b = good_pack(&n);
  uint32_t rec = section_at(b, 2), entry = rec + head_bytes(b + rec); /* after the record's head */
  cr_assert(b[rec + 11] & 1 << IMHE_SECTION_EDUCATION, "the first record has an education section");
  cr_assert_lt(b[entry], 0xFF, "the entry's location is near its section's");
  cr_assert(b[entry + 2] & 1, "the degree is present");
  cr_assert_lt(b[entry + 4], 0xC0, "the degree's location is a byte: columns on the entry's line");
  struct {
    uint32_t at, v, bytes;
    const char *want;
  } cases[] = {
      {entry + 3, 0x80, 1, "field presence mask names no field"},
      {entry + 5, 0xFE, 1, "codes out of the record's list or out of order"},
      {rec + 16, 0x7FFFFFFF, 4, "text number past the pack's texts"},
      {rec + 28, 0, 4, "bytes after the record's last field"},
      {rec + 13, 0x80, 1, "head part mask names no part"},
      {rec + 10, 0xE0, 1, "flags naming no flag"},
      {rec + 10, 0x18, 1, "exam result out of range"},
      {rec + 14, 1, 1, "head length other than its parts' or past the record"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint8_t *c = malloc(n);
    cr_assert(c);
    memcpy(c, b, n);
    if (cases[i].bytes == 1)
      c[cases[i].at] |= (uint8_t)cases[i].v; /* the fields present stay present */
    else
      set32(c + cases[i].at, cases[i].v);
    set32(c + 44, 0);
    set32(c + 44, imhe_crc32(c, n));
    struct imhe_pack p;
    char err[512] = "";
    cr_assert_eq(imhe_pack_open(&p, c, n, 1, err, sizeof err), 0, "%s", err);
    struct imhe_record *r = calloc(1, sizeof *r);
    cr_assert(r);
    cr_expect_neq(imhe_pack_record(&p, 0, r, 0, err, sizeof err), 0, "'%s' accepted",
                  cases[i].want);
    cr_expect(strstr(err, cases[i].want) && strstr(err, "record 1") && strstr(err, "offset"),
              "'%s' does not say '%s'", err, cases[i].want);
    imhe_record_free(r);
    imhe_pack_close(&p);
    free(c);
  }
  free(b);
}

/* A record with nothing after it in the pack (no texts, no notices) is read from a copy padded
 * with zeros, as it would be read anywhere else: its locations near and far (past 255 lines or
 * columns), its dates and its numbers, exact in hundredths or not, come back bit for bit; cut
 * anywhere behind a matching checksum it is refused, located; and any byte of its entries made an
 * escape, it is refused or read, never past the pack's bytes (under ASan in make test-sanitize). */
Test(pack, a_record_at_the_packs_very_end_reads_whole) {
  struct imhe_record *r = calloc(1, sizeof *r);
  cr_assert(r);
  imhe_record_init(r, "x.yaml", 0, 0);
  struct imhe_list *l = &r->sec[IMHE_SECTION_TRAINING];
  const double hours[] = {1.5, 0.1 + 0.2, 655.34, 655.35};
  l->n = 4;
  l->line = 3;
  l->col = 1;
  l->v = imhe_arena_alloc(&r->arena, l->n * sizeof *l->v);
  cr_assert(l->v);
  for (uint32_t e = 0; e < l->n; e++) {
    struct imhe_entry *en = &l->v[e];
    memset(en, 0, sizeof *en);
    en->line = 4 + 400 * e;
    en->col = e == 1 ? 300 : 3;
    en->f[TRAIN_DATE] = (struct imhe_slot){.present = 1, .line = en->line + 1, .col = 5};
    en->f[TRAIN_DATE].v.date = e == 3 ? IMHE_PACK_DATE_MAX : IMHE_PACK_DATE_MIN + (int32_t)e;
    en->f[TRAIN_HOURS] =
        (struct imhe_slot){.present = 1, .line = en->line + 300 * (e & 1), .col = e == 2 ? 256 : 7};
    en->f[TRAIN_HOURS].v.num = hours[e];
  }
  struct imhe_pack_builder *pb = imhe_pack_builder_new();
  cr_assert(pb);
  imhe_pack_add_record(pb, r);
  uint8_t *b;
  size_t n;
  char err[512] = "";
  cr_assert_eq(imhe_pack_finish(pb, &b, &n, err, sizeof err), 0, "%s", err);
  uint32_t end = section_at(b, 2) + get32(b + IMHE_PACK_HEADER + 2 * 16 + 8);
  cr_assert_eq(end, n, "the record ends the pack");
  struct imhe_pack p;
  cr_assert_eq(imhe_pack_open(&p, b, n, 1, err, sizeof err), 0, "%s", err);
  struct imhe_record *back = calloc(1, sizeof *back);
  cr_assert(back);
  cr_assert_eq(imhe_pack_record(&p, 0, back, 0, err, sizeof err), 0, "%s", err);
  const struct imhe_list *m = &back->sec[IMHE_SECTION_TRAINING];
  cr_assert_eq(m->n, l->n);
  for (uint32_t e = 0; e < l->n; e++) {
    cr_expect_eq(m->v[e].line, l->v[e].line);
    cr_expect_eq(m->v[e].col, l->v[e].col);
    for (int f = 0; f < TRAIN__N; f++) {
      const struct imhe_slot *a = &l->v[e].f[f], *c = &m->v[e].f[f];
      cr_expect_eq(c->present, a->present, "entry %u field %d", e, f);
      if (!a->present)
        continue;
      cr_expect_eq(c->line, a->line, "entry %u field %d", e, f);
      cr_expect_eq(c->col, a->col, "entry %u field %d", e, f);
    }
    cr_expect_eq(m->v[e].f[TRAIN_DATE].v.date, l->v[e].f[TRAIN_DATE].v.date);
    cr_expect(!memcmp(&m->v[e].f[TRAIN_HOURS].v.num, &hours[e], sizeof hours[e]),
              "hours of entry %u not bit for bit", e);
  }
  imhe_record_free(back);
  imhe_pack_close(&p);
  uint32_t idx = section_at(b, 1), rec = section_at(b, 2);
  for (uint32_t k = 0; k < end - rec; k++) { /* the head and the entries cut at every byte */
    uint8_t *c = malloc(n);
    cr_assert(c);
    memcpy(c, b, n);
    set32(c + idx, k);
    set32(c + IMHE_PACK_HEADER + 2 * 16 + 8, k);
    set32(c + IMHE_PACK_HEADER + 3 * 16 + 4, rec + k); /* the notices and texts, empty, follow */
    set32(c + IMHE_PACK_HEADER + 4 * 16 + 4, rec + k);
    set32(c + 24, rec + k);
    set32(c + 44, 0);
    set32(c + 44, imhe_crc32(c, rec + k));
    back = calloc(1, sizeof *back);
    cr_assert(back);
    if (imhe_pack_open(&p, c, rec + k, 1, err, sizeof err) == 0) {
      cr_expect_neq(imhe_pack_record(&p, 0, back, 0, err, sizeof err), 0, "cut at %u accepted", k);
      cr_expect(strstr(err, "record 1") && strstr(err, "offset"), "cut at %u: '%s'", k, err);
      imhe_pack_close(&p);
    }
    imhe_record_free(back);
    free(c);
  }
  for (uint32_t k = rec + 16; k < end; k++) { /* each byte of its parts made an escape */
    uint8_t *c = malloc(n);
    cr_assert(c);
    memcpy(c, b, n);
    c[k] = 0xFF;
    set32(c + 44, 0);
    set32(c + 44, imhe_crc32(c, n));
    back = calloc(1, sizeof *back);
    cr_assert(back);
    cr_assert_eq(imhe_pack_open(&p, c, n, 1, err, sizeof err), 0, "%s", err);
    if (imhe_pack_record(&p, 0, back, 0, err, sizeof err) != 0)
      cr_expect(strstr(err, "record 1") && strstr(err, "offset"), "0xFF at %u: '%s'", k, err);
    imhe_pack_close(&p);
    imhe_record_free(back);
    free(c);
  }
  imhe_record_free(r);
  free(b);
}
