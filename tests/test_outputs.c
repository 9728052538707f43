/* test_outputs.c — what imhe does with the files it writes: fmt -w in place, permissions and
 * symlinks kept, devices written as they are, and a full disk or a missing directory reported. */
#include "helpers.h"
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char messy[] = "# kept\npolicy   p\n\n\n rule r for all require training \"t\":   "
                            "sum( training.hours )>=30 h\n";
static const char tidy[] =
    "# kept\npolicy p\n\nrule r for all require training \"t\": sum(training.hours) >= 30 h\n";

static int sh(char **out, const char *fmt, const char *a, const char *b) {
  char cmd[3 * PATH_MAX];
  snprintf(cmd, sizeof cmd, fmt, imhe_bin(), a, b);
  return run_cmd(cmd, out);
}

static void rm_rf(char *dir) {
  char cmd[PATH_MAX + 10];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

Test(outputs, fmt_w_rewrites_only_files_out_of_layout_and_keeps_their_mode) {
  char *dir = temp_dir();
  char a[PATH_MAX], b[PATH_MAX];
  snprintf(a, sizeof a, "%s/a.imhe", dir);
  snprintf(b, sizeof b, "%s/b.imhe", dir);
  write_all(a, messy, strlen(messy));
  write_all(b, tidy, strlen(tidy));
  chmod(a, 0640);
  struct stat before;
  stat(b, &before);
  char *out;
  cr_expect_eq(sh(&out, "%s fmt -w %s %s", a, b), 0);
  cr_expect_str_eq(out, "", "fmt -w prints nothing");
  free(out);
  char *got = read_all(a, NULL);
  cr_expect_str_eq(got, tidy);
  free(got);
  struct stat st;
  stat(a, &st);
  cr_expect_eq(st.st_mode & 0777, 0640, "mode %o, expected 640", st.st_mode & 0777);
  stat(b, &st);
  cr_expect_eq(st.st_ino, before.st_ino, "a file already in layout was replaced");
  cr_expect_eq(sh(NULL, "%s fmt --check %s %s", a, b), 0);
  rm_rf(dir);
}

Test(outputs, fmt_w_leaves_a_file_with_syntax_errors_alone) {
  char *dir = temp_dir();
  char a[PATH_MAX];
  snprintf(a, sizeof a, "%s/bad.imhe", dir);
  const char *bad = "policy p\nrule r for all require training \"t\" sum(\n";
  write_all(a, bad, strlen(bad));
  cr_expect_eq(sh(NULL, "%s fmt -w %s 2>/dev/null%s", a, ""), 1);
  char *got = read_all(a, NULL);
  cr_expect_str_eq(got, bad);
  free(got);
  char *out;
  cr_expect_eq(sh(&out, "%s fmt -w %s/missing.imhe 2>&1%s", dir, ""), 2);
  cr_expect(strstr(out, "missing.imhe: cannot open: No such file or directory"), "%s", out);
  free(out);
  cr_expect_eq(sh(&out, "%s fmt --check -w %s 2>&1%s", a, ""), 2);
  cr_expect(strstr(out, "exclude each other"), "%s", out);
  free(out);
  rm_rf(dir);
}

Test(outputs, writes_go_through_a_symlink_to_its_file) {
  char *dir = temp_dir();
  char a[PATH_MAX], link[PATH_MAX];
  snprintf(a, sizeof a, "%s/a.imhe", dir);
  snprintf(link, sizeof link, "%s/link.imhe", dir);
  write_all(a, messy, strlen(messy));
  cr_assert_eq(symlink("a.imhe", link), 0);
  cr_expect_eq(sh(NULL, "%s fmt -w %s%s", link, ""), 0);
  struct stat st;
  cr_expect(lstat(link, &st) == 0 && S_ISLNK(st.st_mode), "the symlink was replaced");
  char *got = read_all(a, NULL);
  cr_expect_str_eq(got, tidy);
  free(got);
  rm_rf(dir);
}

Test(outputs, devices_are_written_as_they_are) {
  char *out;
  cr_expect_eq(sh(&out, "%s check -o /dev/null %s 2>&1%s", "examples/wi-ifs-eligible.yaml", ""), 0);
  cr_expect_str_eq(out, "");
  free(out);
  /* /dev/full: every write fails with ENOSPC */
  cr_expect_eq(sh(&out, "%s check -o /dev/full %s 2>&1%s", "examples/wi-ifs-eligible.yaml", ""), 2);
  cr_expect(strstr(out, "/dev/full: cannot write: No space left on device"), "%s", out);
  free(out);
  cr_expect_eq(sh(&out, "%s compile %s -o /dev/full 2>&1%s", "rules/wi.imhe", ""), 2);
  cr_expect(strstr(out, "/dev/full: cannot write: No space left on device"), "%s", out);
  free(out);
}

/* The compiled policy disasm reads is made here: the binary under test may come from a build tree
 * (build/coverage/) whose rules/ directory is not build/rules/. */
Test(outputs, a_full_standard_output_is_an_error) {
  char *dir = temp_dir();
  char compiled[PATH_MAX];
  snprintf(compiled, sizeof compiled, "%s/wi.imhec", dir);
  cr_assert_eq(sh(NULL, "%s compile rules/wi.imhe -o %s%s", compiled, ""), 0);
  static const char *const cmds[] = {"%s check %s 2>&1 >/dev/full%s", "%s fmt %s 2>&1 >/dev/full%s",
                                     "%s disasm %s 2>&1 >/dev/full%s"};
  const char *const args[] = {"examples/wi-ifs-eligible.yaml", "rules/wi.imhe", compiled};
  for (int i = 0; i < 3; i++) {
    char *out;
    cr_expect_eq(sh(&out, cmds[i], args[i], ""), 2, "%s", cmds[i]);
    cr_expect(strstr(out, "standard output: No space left on device"), "%s: %s", cmds[i], out);
    free(out);
  }
  rm_rf(dir);
}

Test(outputs, an_output_in_a_missing_directory_or_on_a_directory_is_refused) {
  char *dir = temp_dir();
  char *out;
  char target[PATH_MAX];
  snprintf(target, sizeof target, "%s/no/such/dir/report.txt", dir);
  cr_expect_eq(sh(&out, "%s check -o %s %s 2>&1", target, "examples/wi-ifs-eligible.yaml"), 2);
  cr_expect(strstr(out, "no/such/dir") && strstr(out, "does not exist"), "%s", out);
  free(out);
  cr_expect_eq(sh(&out, "%s compile rules/wi.imhe -o %s 2>&1%s", dir, ""), 2);
  cr_expect(strstr(out, "is a directory"), "%s", out);
  free(out);
  rm_rf(dir);
}

Test(outputs, a_new_output_gets_the_usual_permissions) {
  char *dir = temp_dir();
  char target[PATH_MAX];
  snprintf(target, sizeof target, "%s/wi.imhec", dir);
  cr_expect_eq(sh(NULL, "umask 022; %s compile rules/wi.imhe -o %s%s", target, ""), 0);
  struct stat st;
  cr_assert_eq(stat(target, &st), 0);
  cr_expect_eq(st.st_mode & 0777, 0644, "mode %o, expected 644", st.st_mode & 0777);
  /* the umask decides, as for any program's new file */
  snprintf(target, sizeof target, "%s/wi-027.imhec", dir);
  cr_expect_eq(sh(NULL, "umask 027; %s compile -q rules/wi.imhe -o %s%s", target, ""), 0);
  cr_assert_eq(stat(target, &st), 0);
  cr_expect_eq(st.st_mode & 0777, 0640, "mode %o, expected 640", st.st_mode & 0777);
  rm_rf(dir);
}

/* Colour only on a terminal (script(1) gives the command one), and never with NO_COLOR. */
Test(outputs, colour_on_a_terminal_only) {
  static const struct {
    const char *args, *want;
  } runs[] = {
      {"compile tests/policies/bad/unknown-field.imhe -o /dev/null", "\033[1;31merror:"},
      {"compile tests/policies/bad/unreachable-alternative.imhe -o /dev/null",
       "\033[1;35mwarning:"},
      {"check examples/wi-ifs-short-rsc.yaml", "\033[31mnot eligible\033[0m"},
      {"check examples/wi-ifs-eligible.yaml", "\033[32meligible\033[0m"},
      {"check examples/wi-imhs-pending-exam.yaml",
       "\033[33meligible once the written exam is passed\033[0m"},
  };
  for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
    char cmd[1000], *out;
    snprintf(cmd, sizeof cmd, "script -qec '%s %s' /dev/null", imhe_bin(), runs[i].args);
    run_cmd(cmd, &out);
    cr_expect(strstr(out, runs[i].want), "%s: no colour on a terminal: %s", runs[i].args, out);
    free(out);
    snprintf(cmd, sizeof cmd, "NO_COLOR=1 script -qec '%s %s' /dev/null", imhe_bin(), runs[i].args);
    run_cmd(cmd, &out);
    cr_expect(!strstr(out, "\033["), "%s: colour despite NO_COLOR: %s", runs[i].args, out);
    free(out);
  }
}
