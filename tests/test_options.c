/* test_options.c — bad option values and bad inputs on the command line: a clear message naming
 * the file or option and the cause, exit status 2, and nothing written; empty input is never a
 * silent success. Runs the binary under test ($IMHE). */
#include "helpers.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir;
static void setup(void) {
  dir = temp_dir();
}
static void teardown(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}
TestSuite(options, .init = setup, .fini = teardown);

struct result {
  int rc;
  char *out, *err;
};

/* Runs `imhe ARGS` from the project root with stdout and stderr kept apart. */
static struct result imhe(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static struct result imhe(const char *fmt, ...) {
  char args[2000], cmd[2600], errpath[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  snprintf(errpath, sizeof errpath, "%s/stderr.txt", dir);
  snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s %s 2>%s", imhe_bin(), args, errpath);
  struct result r;
  r.rc = run_cmd(cmd, &r.out);
  r.err = read_all(errpath, NULL);
  return r;
}
static void done(struct result *r) {
  free(r->out);
  free(r->err);
}

/* A refusal: exit 2, nothing on stdout, and stderr says `want`. */
static void refused(const char *what, struct result r, const char *want) {
  cr_expect_eq(r.rc, 2, "%s: exit %d", what, r.rc);
  cr_expect_str_empty(r.out, "%s: wrote to stdout: %s", what, r.out);
  cr_expect(r.err && strstr(r.err, want), "%s: stderr '%s' lacks '%s'", what, r.err, want);
  done(&r);
}

static const char *record = "examples/wi-ifs-eligible.yaml";

Test(options, check_refuses_bad_option_values) {
  refused("--as-of Feb 30", imhe("check --as-of 2025-02-30 %s", record),
          "imhe check: --as-of needs a real date as YYYY-MM-DD, not '2025-02-30'");
  refused("--as-of last", imhe("check %s --as-of", record),
          "imhe check: --as-of needs a date as YYYY-MM-DD");
  refused("--as-of then option", imhe("check --as-of --format json %s", record),
          "imhe check: --as-of needs a date as YYYY-MM-DD");
  refused("--format nope", imhe("check --format nope %s", record),
          "imhe check: unknown format 'nope' (text, json, csv)");
  refused("--format last", imhe("check %s --format", record),
          "imhe check: --format needs a report format (text, json or csv)");
  refused("--rules last", imhe("check %s --rules", record),
          "imhe check: --rules needs a directory of policies");
  refused("--policy last", imhe("check %s --policy", record),
          "imhe check: --policy needs a policy file");
  refused("-o last", imhe("check %s -o", record), "imhe check: -o needs a file name");
  refused("unknown", imhe("check --bogus %s", record), "imhe check: unknown option '--bogus'");
  refused("no files", imhe("check --format json"), "usage: imhe check");
  refused("--rules missing", imhe("check --rules %s/none %s", dir, record),
          "/none: No such file or directory");
  refused("--rules a file", imhe("check --rules %s %s", record, record), ": not a directory");
  refused("--policy missing", imhe("check --policy %s/none.imhe %s", dir, record),
          "imhe check: --policy ");
  refused("--policy a directory", imhe("check --policy rules %s", record), ": not a regular file");
  refused("both", imhe("check --rules rules --policy rules/wi.imhe %s", record),
          "--rules and --policy exclude each other");
  refused("stdin twice", imhe("check - - < %s", record), "standard input (-) given twice");
}

/* The binary under test as an absolute path, for commands run in another directory. */
static const char *abs_bin(void) {
  static char bin[700];
  char cwd[512];
  if (imhe_bin()[0] == '/' || !getcwd(cwd, sizeof cwd))
    snprintf(bin, sizeof bin, "%s", imhe_bin());
  else
    snprintf(bin, sizeof bin, "%s/%s", cwd, imhe_bin());
  return bin;
}

/* -o into a directory that does not exist: refused before a record file is even opened. The
 * record file is a FIFO whose writer finishes only if imhe opens it. */
Test(options, check_output_into_a_missing_directory_reads_nothing) {
  char cmd[2000], *out;
  snprintf(cmd, sizeof cmd,
           "cd %s || exit 1; mkfifo in.fifo && { (printf 'id: X\\n' > in.fifo; touch opened) & "
           "w=$!; } && "
           "NO_COLOR=1 %s check -o missing/report.txt in.fifo 2>err.txt; echo rc=$?; "
           "kill -9 $w 2>/dev/null; cat err.txt; test -e opened && echo OPENED; "
           "test -e missing && echo CREATED; ls -A | grep -q tmp && echo TEMPFILE; true",
           dir, abs_bin());
  run_cmd(cmd, &out);
  cr_expect(strstr(out, "rc=2\n"), "%s", out);
  cr_expect(strstr(out, "imhe check: -o missing/report.txt: directory 'missing' does not exist"),
            "%s", out);
  cr_expect(!strstr(out, "OPENED") && !strstr(out, "CREATED") && !strstr(out, "TEMPFILE"), "%s",
            out);
  free(out);
}

Test(options, check_output_onto_a_directory_or_an_input) {
  char sub[400];
  snprintf(sub, sizeof sub, "%s/out", dir);
  cr_assert_eq(mkdir(sub, 0755), 0);
  refused("-o dir", imhe("check -o %s %s", sub, record), "is a directory (give a file name)");
  char cmd[600], *out;
  snprintf(cmd, sizeof cmd, "ls -A %s %s", sub, dir);
  run_cmd(cmd, &out);
  cr_expect(!strstr(out, ".tmp."), "a temporary file was left: %s", out);
  free(out);
  /* the report over its own input would destroy the records */
  char copy[400];
  snprintf(copy, sizeof copy, "%s/records.yaml", dir);
  snprintf(cmd, sizeof cmd, "cp %s %s", record, copy);
  run_cmd(cmd, NULL);
  refused("-o input", imhe("check -o %s %s", copy, copy),
          "is also an input: refusing to overwrite");
  char *kept = read_all(copy, NULL), *orig = read_all(record, NULL);
  cr_expect_str_eq(kept, orig);
  free(kept);
  free(orig);
  /* a FIFO cannot be replaced atomically and would block: refused before anything is read */
  char fifo[400];
  snprintf(fifo, sizeof fifo, "%s/fifo", dir);
  cr_assert_eq(mkfifo(fifo, 0600), 0);
  refused("-o fifo", imhe("check -o %s %s", fifo, record), "not a regular file or device");
  unlink(fifo);
}

Test(options, check_refuses_a_directory_as_records) {
  refused("dir", imhe("check %s", dir), ": is a directory, not a file of records");
  refused("missing", imhe("check %s %s/none.yaml", record, dir),
          "/none.yaml: cannot open: No such file or directory");
}

/* A file that vanishes after the run checked it: named, exit 2, and the report is not written
 * (the previous one stays). The first record file is a FIFO, so the run is held between checking
 * its inputs and reading the second file, while the second one is removed. */
Test(options, check_record_file_vanishing_between_listing_and_reading) {
  char cmd[3000], *out;
  snprintf(
      cmd, sizeof cmd,
      "cd %s || exit 1; mkfifo first.fifo && cp %s/%s second.yaml && printf 'previous\\n' > report "
      "|| exit 1; { NO_COLOR=1 %s check --format json -o report first.fifo second.yaml 2>err.txt; "
      "echo $? > rc.txt; } & "
      "exec 3>first.fifo; rm second.yaml; "
      "printf 'id: F\\nassociation: WI\\ncategory: IFA\\napplicant: {name: F}\\n' >&3; "
      "exec 3>&-; wait; cat rc.txt err.txt report; ls -A",
      dir, getcwd((char[512]){0}, 512), record, abs_bin());
  run_cmd(cmd, &out);
  cr_expect(!strncmp(out, "2\n", 2), "%s", out);
  cr_expect(strstr(out, "imhe check: second.yaml: cannot open: No such file or directory"), "%s",
            out);
  cr_expect(strstr(out, "report not written: a record file could not be read"), "%s", out);
  cr_expect(strstr(out, "previous\n"), "the previous report was replaced: %s", out);
  cr_expect(!strstr(out, ".tmp."), "a temporary file was left: %s", out);
  free(out);
}

/* Permissions do not stop root, so an unreadable file is made for another user, who runs it. */
Test(options, check_unreadable_file) {
  char path[400], cmd[1600], *out;
  snprintf(path, sizeof path, "%s/locked.yaml", dir);
  snprintf(cmd, sizeof cmd, "cp %s %s && chmod 000 %s && chmod 755 %s", record, path, path, dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
  const char *as = "";
  if (geteuid() == 0) {
    if (run_cmd("command -v setpriv >/dev/null", NULL) != 0) {
      cr_skip_test("running as root without setpriv: no user for whom the file is unreadable");
      return;
    }
    as = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
  }
  const char *bin = abs_bin();
  snprintf(cmd, sizeof cmd, "%s%s check %s 2>&1; echo rc=$?", as, bin, path);
  run_cmd(cmd, &out);
  /* in a checkout under a private directory (mktemp -d is 0700), the other user cannot reach the
   * binary or its libimhe.so: it never ran, so there is nothing to judge */
  if (strstr(out, bin) && !strstr(out, path) &&
      (strstr(out, "Permission denied") || strstr(out, "error while loading shared libraries"))) {
    cr_skip_test("the binary under test is not runnable as another user");
    free(out);
    return;
  }
  cr_expect(strstr(out, "locked.yaml: cannot open: Permission denied") && strstr(out, "rc=2"), "%s",
            out);
  free(out);
}

Test(options, compile_refuses_bad_arguments) {
  refused("no policy", imhe("compile"), "usage: imhe compile");
  refused("-o last", imhe("compile rules/wi.imhe -o"), "imhe compile: -o needs a file name");
  refused("unknown", imhe("compile --fast rules/wi.imhe"), "imhe compile: unknown option '--fast'");
  refused("two", imhe("compile rules/wi.imhe rules/ct.imhe"),
          "imhe compile: one policy at a time ('rules/wi.imhe' and 'rules/ct.imhe')");
  refused("diagnostics", imhe("compile --diagnostics=xml rules/wi.imhe"),
          "--diagnostics is text or json, not 'xml'");
  refused("diagnostics last", imhe("compile rules/wi.imhe --diagnostics"),
          "--diagnostics needs text or json");
  refused("a directory", imhe("compile rules"), "imhe compile: rules: is a directory");
  refused("missing", imhe("compile %s/none.imhe", dir), "none.imhe: error: cannot read");
  refused("-o missing dir", imhe("compile rules/wi.imhe -o %s/no/wi.imhec", dir),
          "/no' does not exist");
  refused("-o dir", imhe("compile rules/wi.imhe -o %s", dir), "is a directory (give a file name)");
  refused("-o source", imhe("compile rules/wi.imhe -o rules/wi.imhe"),
          "-o rules/wi.imhe is also an input: refusing to overwrite it");
  struct result r = imhe("compile --diagnostics json rules/wi.imhe -o %s/wi.imhec", dir);
  cr_expect_eq(r.rc, 0, "%s", r.err);
  done(&r);
}

Test(options, disasm_and_fmt_refuse_bad_arguments) {
  refused("disasm none", imhe("disasm"), "usage: imhe disasm");
  refused("disasm unknown", imhe("disasm --all build/rules/wi.imhec"),
          "imhe disasm: unknown option '--all'");
  refused("disasm two", imhe("disasm build/rules/wi.imhec build/rules/ct.imhec"),
          "imhe disasm: one file at a time");
  refused("disasm dir", imhe("disasm %s", dir), ": is a directory, not a compiled policy");
  refused("disasm missing", imhe("disasm %s/none.imhec", dir), "none.imhec: cannot open");
  refused("fmt none", imhe("fmt"), "usage: imhe fmt");
  refused("fmt unknown", imhe("fmt --write rules/wi.imhe"), "imhe fmt: unknown option '--write'");
  refused("fmt dir", imhe("fmt rules"), "imhe fmt: rules: cannot read: is a directory");
  refused("fmt missing", imhe("fmt %s/none.imhe", dir), "none.imhe: cannot open");
}

/* The wrong file — empty, comments only, empty documents — never reads as "all eligible". */
Test(options, empty_input_is_a_warning_and_a_failed_run) {
  static const struct {
    const char *name, *text, *warning;
  } cases[] = {
      {"empty.yaml", "", "empty.yaml:1:1: warning: no records in file"},
      {"comments.yaml", "# records go here\n", "comments.yaml:1:1: warning: no records in file"},
      {"dashes.yaml", "---\n---\n", "dashes.yaml:2:1: warning: empty document: nothing to judge"},
      {"dots.yaml", "...\n", "dots.yaml:1:1: warning: no records in file"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, cases[i].name);
    cr_assert_eq(write_all(path, cases[i].text, strlen(cases[i].text)), 0);
    struct result r = imhe("check --format json %s/%s", dir, cases[i].name);
    cr_expect_eq(r.rc, 2, "%s: exit %d", cases[i].name, r.rc);
    cr_expect_str_empty(r.out);
    cr_expect(strstr(r.err, cases[i].warning), "%s: %s", cases[i].name, r.err);
    cr_expect(strstr(r.err, "imhe check: no record judged in 1 file"), "%s", r.err);
    done(&r);
  }
  /* stdin too, and an empty document beside a record is only a warning */
  struct result r = imhe("check - < /dev/null");
  cr_expect_eq(r.rc, 2);
  cr_expect(strstr(r.err, "<stdin>:1:1: warning: no records in file"), "%s", r.err);
  done(&r);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "(cat %s; echo ---) > %s/trailing.yaml", record, dir);
  run_cmd(cmd, NULL);
  struct result alone = imhe("check --format json %s", record);
  r = imhe("check --format json %s/trailing.yaml", dir);
  cr_expect_eq(r.rc, alone.rc, "judged as before: %s", r.err);
  done(&alone);
  cr_expect(strstr(r.out, "\"id\":\"WI-2026-0101\""));
  cr_expect(strstr(r.err, "warning: empty document: nothing to judge") &&
                !strstr(r.err, "no record"),
            "%s", r.err);
  done(&r);
}
