/* test_faults.c — every file imhe writes survives faults: each file-system call of `compile -o`,
 * `check -o` (with the .imhec cache it writes) and `fmt -w` fails in turn with ENOSPC, EIO and
 * EINTR, every write is made short, and a large `check -o` is killed at random moments. */
#include "fault.h"
#include "helpers.h"
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A scratch tree: <root>/src (inputs), <root>/out (outputs), <root>/rules (a rules directory). */
struct tree {
  char *root;
  char src[PATH_MAX], out[PATH_MAX], rules[PATH_MAX];
};

static void tree_make(struct tree *t) {
  t->root = temp_dir();
  cr_assert(t->root);
  snprintf(t->src, sizeof t->src, "%s/src", t->root);
  snprintf(t->out, sizeof t->out, "%s/out", t->root);
  snprintf(t->rules, sizeof t->rules, "%s/rules", t->root);
  mkdir(t->src, 0755);
  mkdir(t->out, 0755);
  mkdir(t->rules, 0755);
}

static void tree_free(struct tree *t) {
  char cmd[PATH_MAX + 10];
  snprintf(cmd, sizeof cmd, "rm -rf %s", t->root);
  run_cmd(cmd, NULL);
  free(t->root);
}

static void copy_policy(const char *name, const char *dir) {
  char from[300], to[PATH_MAX];
  snprintf(from, sizeof from, "rules/%s", name);
  snprintf(to, sizeof to, "%s/%s", dir, name);
  size_t n;
  char *text = read_all(from, &n);
  cr_assert(text, "cannot read %s", from);
  cr_assert_eq(write_all(to, text, n), 0);
  free(text);
}

static void put_file(const char *dir, const char *name, const char *text) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  cr_assert_eq(write_all(path, text, strlen(text)), 0);
}

/* `count` WI records, each an eligible example under its own id, one YAML stream. */
static void generate_records(const char *path, int count) {
  char *one = read_all("examples/wi-ifs-eligible.yaml", NULL);
  cr_assert(one);
  const char *body = strstr(one, "\nassociation:");
  cr_assert(body);
  FILE *f = fopen(path, "w");
  cr_assert(f);
  for (int i = 0; i < count; i++)
    fprintf(f, "---\nid: GEN-%05d%s", i, body);
  fclose(f);
  free(one);
}

static void report(const char *what, const struct fault_stats *st) {
  cr_expect_eq(st->violations, 0, "%s: %d broken guarantee(s):\n%s", what, st->violations,
               st->problems);
  cr_log_info("%s: %d calls failed in turn with ENOSPC, EIO and EINTR, %d writes made short: %d "
              "runs",
              what, st->calls, st->writes, st->runs);
}

Test(faults, compile_output_survives_every_failed_call, .timeout = 300) {
  struct tree t;
  tree_make(&t);
  copy_policy("wi.imhe", t.src);
  copy_policy("legacy.imhe", t.src);
  copy_policy("catalogue.imhe", t.src);
  put_file(t.out, "wi.imhec", "an earlier compiled policy\n");
  char cmd[3 * PATH_MAX];
  snprintf(cmd, sizeof cmd, "%s compile %s/wi.imhe -o %s/wi.imhec", imhe_bin(), t.src, t.out);
  struct fault_case c = {"compile -o", cmd, {{t.out, 0}}, 1};
  struct fault_stats st;
  fault_sweep(&c, &st);
  cr_expect_geq(st.calls, 8, "open, write, fsync, close, open dir, rename, fsync dir, close dir");
  report("compile -o", &st);
  tree_free(&t);
}

Test(faults, pack_output_survives_every_failed_call, .timeout = 300) {
  struct tree t;
  tree_make(&t);
  char records[PATH_MAX];
  snprintf(records, sizeof records, "%s/records.yaml", t.src);
  generate_records(records, 40); /* a pack of several writes */
  put_file(t.out, "corpus.imhepack", "an earlier pack\n");
  char cmd[3 * PATH_MAX];
  snprintf(cmd, sizeof cmd, "%s pack -q %s -o %s/corpus.imhepack", imhe_bin(), records, t.out);
  struct fault_case c = {"pack -o", cmd, {{t.out, 0}}, 1};
  struct fault_stats st;
  fault_sweep(&c, &st);
  report("pack -o", &st);
  tree_free(&t);
}

Test(faults, check_report_and_policy_cache_survive_every_failed_call, .timeout = 600) {
  struct tree t;
  tree_make(&t);
  copy_policy("wi.imhe", t.rules);
  copy_policy("legacy.imhe", t.rules);
  copy_policy("catalogue.imhe", t.rules);
  char records[PATH_MAX];
  snprintf(records, sizeof records, "%s/records.yaml", t.src);
  generate_records(records, 60); /* a report of several 64 KiB writes */
  put_file(t.out, "report.json", "{\"an earlier report\":true}\n");
  char cmd[4 * PATH_MAX];
  snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s check --rules %s --format json -o %s/report.json %s",
           imhe_bin(), t.rules, t.out, records);
  /* the rules directory gets the compiled cache wi.imhec: a failure there is not the user's
   * problem (a read-only rules directory is fine), but must leave no temp file or torn cache */
  struct fault_case c = {"check -o", cmd, {{t.out, 0}, {t.rules, 1}}, 2};
  struct fault_stats st;
  fault_sweep(&c, &st);
  cr_expect_geq(st.writes, 4, "the report should take several writes (%d)", st.writes);
  report("check -o (with the cache)", &st);
  tree_free(&t);
}

Test(faults, html_report_survives_every_failed_call, .timeout = 600) {
  struct tree t;
  tree_make(&t);
  copy_policy("wi.imhe", t.rules);
  copy_policy("legacy.imhe", t.rules);
  copy_policy("catalogue.imhe", t.rules);
  char records[PATH_MAX];
  snprintf(records, sizeof records, "%s/records.yaml", t.src);
  generate_records(records, 20);
  put_file(t.out, "report.html", "<p>an earlier report</p>\n");
  char cmd[4 * PATH_MAX];
  snprintf(cmd, sizeof cmd, "%s report --rules %s --format html -o %s/report.html %s", imhe_bin(),
           t.rules, t.out, records);
  struct fault_case c = {"report -o", cmd, {{t.out, 0}, {t.rules, 1}}, 2};
  struct fault_stats st;
  fault_sweep(&c, &st);
  report("report --format html -o", &st);
  tree_free(&t);
}

Test(faults, fmt_in_place_survives_every_failed_call, .timeout = 300) {
  struct tree t;
  tree_make(&t);
  put_file(t.out, "messy.imhe",
           "# a policy laid out by hand\npolicy   p\n\n\n rule r for all require training \"t\":"
           "   sum( training.hours )>=30 h\n");
  char cmd[2 * PATH_MAX];
  snprintf(cmd, sizeof cmd, "%s fmt -w %s/messy.imhe", imhe_bin(), t.out);
  struct fault_case c = {"fmt -w", cmd, {{t.out, 0}}, 1};
  struct fault_stats st;
  fault_sweep(&c, &st);
  report("fmt -w", &st);
  tree_free(&t);
}

Test(faults, a_killed_check_leaves_the_old_report_or_the_new_one, .timeout = 600) {
  struct tree t;
  tree_make(&t);
  char records[PATH_MAX];
  snprintf(records, sizeof records, "%s/records.yaml", t.src);
  generate_records(records, 1500);
  /* an earlier report as large as the new one, so a torn file cannot pass for either */
  char old[PATH_MAX];
  snprintf(old, sizeof old, "%s/report.txt", t.out);
  FILE *f = fopen(old, "w");
  for (int i = 0; i < 40000; i++)
    fprintf(f, "an earlier report, line %d\n", i);
  fclose(f);
  char cmd[3 * PATH_MAX];
  snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s check -o %s/report.txt %s", imhe_bin(), t.out, records);
  struct fault_case c = {"check -o killed", cmd, {{t.out, 0}}, 1};
  struct kill_stats st;
  kill_sweep(&c, 100, &st);
  cr_expect_eq(st.violations, 0, "%d broken guarantee(s):\n%s", st.violations, st.problems);
  cr_log_info("check -o killed 100 times: %d left the old report, %d the new one, %d a temp file",
              st.old, st.updated, st.temps);
  cr_expect_eq(st.old + st.updated, 100, "every run left the old report or the new one");
  cr_expect_gt(st.temps, 0, "no kill landed while the report was being written");
  tree_free(&t);
}

/* The helpers catch what they are meant to: dd, which truncates its target and rewrites it in
 * place, tears the file when killed and loses it when a write fails. */
Test(faults, the_sweeps_catch_a_writer_that_is_not_atomic, .timeout = 300) {
  struct tree t;
  tree_make(&t);
  char big[PATH_MAX];
  snprintf(big, sizeof big, "%s/big", t.src);
  FILE *f = fopen(big, "w");
  for (int i = 0; i < 1000000; i++)
    fprintf(f, "new line %d\n", i);
  fclose(f);
  put_file(t.out, "target", "old\n");
  char cmd[3 * PATH_MAX];
  snprintf(cmd, sizeof cmd, "dd if=%s of=%s/target bs=65536 status=none", big, t.out);
  struct fault_case c = {"dd", cmd, {{t.out, 0}}, 1};
  struct kill_stats ks;
  kill_sweep(&c, 30, &ks);
  cr_expect_gt(ks.violations, 0, "30 kills of an in-place copy never tore the file");
  cr_expect(strstr(ks.problems, "a mix of old and new"), "%s", ks.problems);
  char small[PATH_MAX];
  snprintf(small, sizeof small, "%s/small", t.src);
  f = fopen(small, "w");
  for (int i = 0; i < 20000; i++)
    fprintf(f, "new line %d\n", i);
  fclose(f);
  snprintf(cmd, sizeof cmd, "dd if=%s of=%s/target bs=65536 status=none", small, t.out);
  struct fault_stats fs;
  fault_sweep(&c, &fs);
  cr_expect_gt(fs.violations, 0, "failed writes of an in-place copy went unnoticed");
  cr_expect(strstr(fs.problems, "neither its old nor its new content"), "%s", fs.problems);
  tree_free(&t);
}
