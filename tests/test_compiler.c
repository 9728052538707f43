/* test_compiler.c — the compiler's contract: diagnostics with locations, bytes that never change
 * for the same sources, atomic output, and policies in rules/ that compile cleanly. */
#include "compiler/parse.h"
#include "helpers.h"
#include "runtime/eval/measures.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every malformed policy names its expected diagnostic on its first line:
 * "# expect error line N col C: message", and may name a part of its hint on the second:
 * "# hint: text" (without double quotes, which the JSON form escapes). */
Test(policies, malformed_policies_report_message_line_and_column) {
  char **names;
  int n = list_files("tests/policies/bad", ".imhe", &names);
  int checked = 0;
  for (int i = 0; i < n; i++) {
    if (!strncmp(names[i], "base", 4)) /* bases the malformed policies extend */
      continue;
    char path[512];
    snprintf(path, sizeof path, "tests/policies/bad/%s", names[i]);
    size_t len;
    char *text = read_all(path, &len);
    cr_assert(text, "cannot read %s", path);
    char sev[16], msg[256];
    unsigned line, col;
    cr_assert_eq(sscanf(text, "# expect %15s line %u col %u: %255[^\n]", sev, &line, &col, msg), 4,
                 "%s: first line must be '# expect error line N col C: message'", path);
    char hint[256] = "";
    const char *second = strchr(text, '\n');
    if (second && sscanf(second + 1, "# hint: %255[^\n]", hint) == 1)
      cr_assert(!strchr(hint, '"'), "%s: a hint to expect has no double quotes", path);
    struct imhe_program p;
    char *diags;
    int rc = compile_to(path, &p, &diags);
    if (!strcmp(sev, "error"))
      cr_expect_neq(rc, 0, "%s: compiled, but an error was expected", path);
    else if (rc == 0)
      imhe_program_free(&p);
    char want[128];
    snprintf(want, sizeof want, "\"line\":%u,\"column\":%u,", line, col);
    int found = 0;
    for (char *l = diags; l && *l;) {
      char *nl = strchr(l, '\n');
      if (nl)
        *nl = 0;
      const char *h = strstr(l, "\"hint\":");
      if (strstr(l, want) && strstr(l, msg) && strstr(l, sev) &&
          (!hint[0] || (h && strstr(h, hint))))
        found = 1;
      l = nl ? nl + 1 : l + strlen(l);
    }
    cr_expect(found, "%s: no %s at line %u col %u containing '%s'%s%s", path, sev, line, col, msg,
              hint[0] ? " with a hint containing " : "", hint);
    free(diags);
    free(text);
    checked++;
  }
  cr_expect_geq(checked, 40, "at least 40 malformed policies (found %d)", checked);
  free_list(names, n);
}

Test(policies, every_shipped_policy_compiles_without_warnings) {
  static const char *const files[] = {"rules/wi.imhe", "rules/ct.imhe", "rules/mi.imhe",
                                      "rules/legacy.imhe", "rules/alliance-2025.imhe"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    struct imhe_program p;
    char *diags;
    cr_assert_eq(compile_to(files[i], &p, &diags), 0, "%s: %s", files[i], diags);
    cr_expect_eq(strlen(diags), 0, "%s printed diagnostics: %s", files[i], diags);
    cr_expect_gt(p.nrules, 10);
    char err[300];
    cr_expect_eq(imhe_verify(&p, err, sizeof err), 0, "%s: %s", files[i], err);
    free(diags);
    imhe_program_free(&p);
  }
}

Test(policies, empty_file_and_missing_file) {
  char *dir = temp_dir();
  char path[256];
  snprintf(path, sizeof path, "%s/empty.imhe", dir);
  write_all(path, "", 0);
  struct imhe_program p;
  char *diags;
  cr_expect_neq(compile_to(path, &p, &diags), 0);
  cr_expect(strstr(diags, "\"line\":1,\"column\":1,") && strstr(diags, "empty policy file"), "%s",
            diags);
  free(diags);
  snprintf(path, sizeof path, "%s/absent.imhe", dir);
  char cmd[512];
  snprintf(cmd, sizeof cmd, "%s compile %s 2>&1", imhe_bin(), path);
  char *out;
  cr_expect_eq(run_cmd(cmd, &out), 2, "a missing file is an I/O error (exit 2)");
  cr_expect(strstr(out, "cannot read"), "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

Test(policies, hostile_policy_text_gives_diagnostics_never_a_crash) {
  char *dir = temp_dir();
  char path[256], cmd[600];
  snprintf(path, sizeof path, "%s/hostile.imhe", dir);
  /* a 1 MB identifier, 10,000 nested parentheses, binary garbage, invalid UTF-8 */
  size_t n = 1 << 20;
  char *big = malloc(n + 64);
  strcpy(big, "policy p\nrule r for all require training \"t\":\n  ");
  size_t k = strlen(big);
  for (size_t i = 0; i < n; i++)
    big[k++] = 'a';
  big[k++] = '\n';
  write_all(path, big, k);
  struct imhe_program p;
  char *diags;
  cr_expect_neq(compile_to(path, &p, &diags), 0);
  cr_expect(strstr(diags, "\"line\":3"), "%.200s", diags);
  free(diags);
  k = strlen("policy p\nrule r for all require training \"t\":\n  ");
  for (size_t i = 0; i < 10000; i++)
    big[k++] = '(';
  big[k++] = '1';
  for (size_t i = 0; i < 10000; i++)
    big[k++] = ')';
  write_all(path, big, k);
  cr_expect_neq(compile_to(path, &p, &diags), 0);
  cr_expect(strstr(diags, "\"line\":3") || strstr(diags, "exhausted"), "%.300s", diags);
  free(diags);
  unsigned char garbage[4096];
  unsigned s = 12345;
  for (size_t i = 0; i < sizeof garbage; i++) {
    s = s * 1103515245u + 12345u;
    garbage[i] = (unsigned char)(s >> 16);
  }
  write_all(path, garbage, sizeof garbage);
  cr_expect_neq(compile_to(path, &p, &diags), 0);
  cr_expect(strstr(diags, "\"line\":"), "%.300s", diags);
  free(diags);
  /* no output file is created by a failed compile */
  snprintf(cmd, sizeof cmd, "%s compile %s -o %s/out.imhec 2>/dev/null; test ! -e %s/out.imhec",
           imhe_bin(), path, dir, dir);
  cr_expect_eq(run_cmd(cmd, NULL), 0, "a failed compile created an output file");
  free(big);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

Test(policies, failed_compile_leaves_previous_output_untouched) {
  char *dir = temp_dir();
  char cmd[4000], out[300];
  snprintf(out, sizeof out, "%s/p.imhec", dir);
  snprintf(cmd, sizeof cmd,
           "cp rules/*.imhe %s/ && %s compile %s/wi.imhe -o %s && cp %s %s.before && "
           "printf 'rule broken for all require training \"x\": nonsense(\\n' >> %s/wi.imhe && "
           "%s compile %s/wi.imhe -o %s 2>/dev/null; test $? -eq 1 && cmp %s %s.before && "
           "test -z \"$(ls %s | grep tmp)\"",
           dir, imhe_bin(), dir, out, out, out, dir, imhe_bin(), dir, out, out, out, dir);
  cr_expect_eq(run_cmd(cmd, NULL), 0, "%s", cmd);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

Test(policies, output_is_deterministic_across_directory_timezone_and_locale) {
  char *dir = temp_dir();
  char cmd[1600];
  /* A copy in another directory also named "rules", compiled from there under another time
   * zone and locale, gives the same bytes: sources are recorded as "rules/NAME.imhe". */
  snprintf(
      cmd, sizeof cmd,
      "mkdir %s/rules && cp rules/*.imhe %s/rules/ && %s compile rules/mi.imhe -o %s/a.imhec && "
      "(cd %s/rules && TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 %s/%s compile mi.imhe -o ../b.imhec) "
      "&& "
      "TZ=America/Anchorage LC_ALL=POSIX %s compile rules/mi.imhe -o %s/c.imhec && "
      "cmp %s/a.imhec %s/c.imhec && cmp %s/a.imhec %s/b.imhec",
      dir, dir, imhe_bin(), dir, dir, getcwd((char[512]){0}, 512), imhe_bin(), imhe_bin(), dir, dir,
      dir, dir, dir);
  cr_expect_eq(run_cmd(cmd, NULL), 0, "%s", cmd);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* However the policy's path is spelled — relative, absolute, with ./ and .., from another working
 * directory, through a symlinked directory or a symlinked file — the bytes are the same, and the
 * program cites its sources as "rules/NAME.imhe". */
Test(policies, same_bytes_however_the_path_is_spelled) {
  char *dir = temp_dir();
  char cwd[512], cmd[3000];
  cr_assert(getcwd(cwd, sizeof cwd));
  const char *bin = imhe_bin();
  char abs_bin[700];
  snprintf(abs_bin, sizeof abs_bin, "%s%s%s", bin[0] == '/' ? "" : cwd, bin[0] == '/' ? "" : "/",
           bin);
  snprintf(cmd, sizeof cmd,
           "ln -s %s/rules %s/linked && ln -s %s/rules/wi.imhe %s/alias.imhe && "
           "%s compile rules/wi.imhe -o %s/1.imhec && "
           "%s compile %s/rules/wi.imhe -o %s/2.imhec && "
           "%s compile ./rules/../rules/wi.imhe -o %s/3.imhec && "
           "(cd / && %s compile %s/rules/wi.imhe -o %s/4.imhec) && "
           "(cd %s/rules && %s compile wi.imhe -o %s/5.imhec) && "
           "(cd %s && %s compile linked/wi.imhe -o %s/6.imhec) && "
           "(cd %s && %s compile alias.imhe -o %s/7.imhec) && "
           "for i in 2 3 4 5 6 7; do cmp %s/1.imhec %s/$i.imhec || exit 1; done",
           cwd, dir, cwd, dir, abs_bin, dir, abs_bin, cwd, dir, abs_bin, dir, abs_bin, cwd, dir,
           cwd, abs_bin, dir, dir, abs_bin, dir, dir, abs_bin, dir, dir, dir);
  cr_expect_eq(run_cmd(cmd, NULL), 0, "%s", cmd);
  char *out;
  snprintf(cmd, sizeof cmd, "%s disasm %s/7.imhec", abs_bin, dir);
  cr_expect_eq(run_cmd(cmd, &out), 0);
  cr_expect(strstr(out, "; rules/legacy.imhe:") && strstr(out, "; rules/wi.imhe:") &&
                !strstr(out, cwd) && !strstr(out, "alias"),
            "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* compile -> write -> load -> verify -> disassemble equals the compiler's own listing */
Test(bytecode, round_trip_listing_matches) {
  static const char *const files[] = {"rules/wi.imhe", "rules/ct.imhe", "rules/mi.imhe"};
  for (size_t i = 0; i < 3; i++) {
    struct imhe_program p, q;
    cr_assert_eq(compile_to(files[i], &p, NULL), 0);
    char *a = NULL, *b = NULL;
    size_t al, bl;
    FILE *fa = open_memstream(&a, &al);
    imhe_disasm(&p, fa);
    fclose(fa);
    uint8_t *bytes;
    size_t n;
    imhe_program_write(&p, &bytes, &n);
    char err[300];
    cr_assert_eq(imhe_program_load(bytes, n, 1, &q, err, sizeof err), 0, "%s", err);
    FILE *fb = open_memstream(&b, &bl);
    imhe_disasm(&q, fb);
    fclose(fb);
    cr_expect_str_eq(a, b);
    uint8_t *bytes2;
    size_t n2;
    imhe_program_write(&q, &bytes2, &n2);
    cr_expect(n == n2 && !memcmp(bytes, bytes2, n), "re-serialised bytes differ");
    free(a);
    free(b);
    free(bytes);
    free(bytes2);
    imhe_program_free(&p);
    imhe_program_free(&q);
  }
}

/* The listing `imhe disasm` gives of policy `path`, compiled (malloc'd). */
static char *disassembly(const char *path) {
  struct imhe_program p;
  char *diags;
  cr_assert_eq(compile_to(path, &p, &diags), 0, "%s: %s", path, diags);
  free(diags);
  char *got = NULL;
  size_t gl;
  FILE *f = open_memstream(&got, &gl);
  imhe_disasm(&p, f);
  fclose(f);
  imhe_program_free(&p);
  return got;
}

/* Golden tests: tests/golden/NAME.imhe with its expected listing NAME.disasm. */
Test(bytecode, golden_disassembly) {
  char **names;
  int n = list_files("tests/golden", ".imhe", &names);
  cr_assert_geq(n, 5, "golden snippets missing");
  for (int i = 0; i < n; i++) {
    char path[300], gold[300];
    snprintf(path, sizeof path, "tests/golden/%s", names[i]);
    snprintf(gold, sizeof gold, "tests/golden/%.*s.disasm", (int)(strlen(names[i]) - 5), names[i]);
    char *got = disassembly(path);
    char *want = read_all(gold, NULL);
    cr_assert(want, "missing %s (generate with: imhe compile + imhe disasm)", gold);
    /* the source hash line depends on the file bytes only; compare everything */
    cr_expect_str_eq(got, want, "%s differs from %s", path, gold);
    free(got);
    free(want);
  }
  free_list(names, n);
}

/* Line `line` (from 1) of file `path`, malloc'd, or NULL when the file is shorter. */
static char *source_line(const char *path, unsigned line) {
  char *text = read_all(path, NULL);
  if (!text)
    return NULL;
  char *s = text;
  for (unsigned i = 1; i < line && s; i++)
    if ((s = strchr(s, '\n')))
      s++;
  char *out = s && *s ? strndup(s, strcspn(s, "\n")) : NULL;
  free(text);
  return out;
}

/* Every instruction of every shipped policy cites the file and line it was compiled from: a `let`
 * a base defines, used in a local rule, cites the base's file, not the rule's. */
Test(bytecode, each_instruction_cites_the_file_it_came_from) {
  static const char *const files[] = {"rules/wi.imhe", "rules/mi.imhe", "rules/ct.imhe",
                                      "rules/alliance-2025.imhe"};
  int foreign = 0;
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    char *got = disassembly(files[i]);
    /* instruction lines: "  OFFSET  FILE:LINE  OPCODE ..." */
    for (char *l = got; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
      unsigned pc, line;
      char file[256];
      if (sscanf(l, " %u %255[^: ]:%u ", &pc, file, &line) != 3)
        continue;
      char *src = source_line(file, line);
      cr_assert(src, "%s: instruction %u cites %s:%u, past the end of that file", files[i], pc,
                file, line);
      size_t lead = strspn(src, " ");
      cr_expect(src[lead] && src[lead] != '#', "%s: instruction %u cites %s:%u, which is '%s'",
                files[i], pc, file, line, src);
      foreign += strcmp(file, files[i]) != 0;
      free(src);
    }
    free(got);
  }
  cr_expect_gt(foreign, 0, "no instruction cites a base's file: the shipped policies use its lets");
}

Test(fmt, formatting_is_idempotent_and_keeps_comments) {
  static const char *const files[] = {"rules/wi.imhe", "rules/legacy.imhe",
                                      "rules/alliance-2025.imhe", "rules/mi.imhe",
                                      "rules/catalogue.imhe"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    char cmd[600], *once, *twice;
    snprintf(cmd, sizeof cmd, "%s fmt %s", imhe_bin(), files[i]);
    cr_assert_eq(run_cmd(cmd, &once), 0, "%s", cmd);
    char *dir = temp_dir();
    char path[300];
    snprintf(path, sizeof path, "%s/x.imhe", dir);
    write_all(path, once, strlen(once));
    snprintf(cmd, sizeof cmd, "%s fmt %s", imhe_bin(), path);
    cr_assert_eq(run_cmd(cmd, &twice), 0);
    cr_expect_str_eq(once, twice, "fmt is not idempotent on %s", files[i]);
    snprintf(cmd, sizeof cmd, "%s fmt --check %s", imhe_bin(), path);
    cr_expect_eq(run_cmd(cmd, NULL), 0);
    char *orig = read_all(files[i], NULL);
    int comments = 0, kept = 0;
    for (char *l = orig; (l = strchr(l, '#')); l++) {
      char *e = strchr(l, '\n');
      char line[2048];
      snprintf(line, sizeof line, "%.*s", (int)(e ? e - l : (long)strlen(l)), l);
      comments++;
      kept += strstr(once, line) != NULL;
    }
    cr_expect_eq(comments, kept, "fmt dropped comments of %s", files[i]);
    free(orig);
    free(once);
    free(twice);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    run_cmd(cmd, NULL);
    free(dir);
  }
}

Test(fmt, shipped_policies_are_in_canonical_layout) {
  static const char *const files[] = {"rules/wi.imhe",
                                      "rules/ct.imhe",
                                      "rules/mi.imhe",
                                      "rules/legacy.imhe",
                                      "rules/alliance-2025.imhe",
                                      "rules/catalogue.imhe"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "%s fmt --check %s", imhe_bin(), files[i]);
    cr_expect_eq(run_cmd(cmd, NULL), 0, "%s is not in canonical layout", files[i]);
  }
}

Test(fmt, check_flags_a_file_out_of_layout) {
  char *dir = temp_dir();
  char path[300], cmd[600];
  snprintf(path, sizeof path, "%s/x.imhe", dir);
  const char *messy =
      "policy   p\n\n\n rule r for all require training \"t\":   sum( training.hours )>=30 h\n";
  write_all(path, messy, strlen(messy));
  snprintf(cmd, sizeof cmd, "%s fmt --check %s 2>/dev/null", imhe_bin(), path);
  cr_expect_eq(run_cmd(cmd, NULL), 1);
  char *out;
  snprintf(cmd, sizeof cmd, "%s fmt %s", imhe_bin(), path);
  run_cmd(cmd, &out);
  cr_expect_str_eq(
      out, "policy p\n\nrule r for all require training \"t\": sum(training.hours) >= 30 h\n");
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

Test(cli, help_on_every_subcommand) {
  static const char *const cmds[] = {"--help", "compile --help", "disasm --help", "check --help",
                                     "fmt --help"};
  for (size_t i = 0; i < 5; i++) {
    char cmd[200], *out;
    snprintf(cmd, sizeof cmd, "%s %s", imhe_bin(), cmds[i]);
    cr_expect_eq(run_cmd(cmd, &out), 0, "%s", cmd);
    cr_expect(strstr(out, "usage:"), "%s printed no usage", cmd);
    free(out);
  }
  char cmd[200];
  snprintf(cmd, sizeof cmd, "%s frobnicate 2>/dev/null", imhe_bin());
  cr_expect_eq(run_cmd(cmd, NULL), 2);
}

Test(policies, one_run_reports_several_syntax_errors) {
  struct imhe_program p;
  char *diags;
  cr_expect_neq(compile_to("tests/policies/bad/two-syntax-errors.imhe", &p, &diags), 0);
  cr_expect(strstr(diags, "\"line\":4,") && strstr(diags, "\"line\":6,"),
            "recovery lost an error: %s", diags);
  free(diags);
}

/* The test binary links with -Wl,--wrap=realloc: every realloc of the library comes here, and the
 * next one fails when a test asks. */
static int fail_next_realloc;
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n) {
  if (fail_next_realloc) {
    fail_next_realloc = 0;
    return NULL;
  }
  return __real_realloc(p, n);
}

/* A scanner that runs out of memory (here, gathering quoted text) ends the parse with an error the
 * compile returns; the process goes on. */
Test(compiler, scanner_out_of_memory_is_an_error_not_an_exit) {
  struct imhe_arena a;
  imhe_arena_init(&a, 0);
  char *out = NULL;
  size_t outn = 0;
  FILE *f = open_memstream(&out, &outn);
  cr_assert(f);
  struct diags d;
  imhe_diags_init(&d, f, 1, 0);
  static const char text[] = "\"quoted text\"\npolicy x\n";
  uint32_t file = imhe_diags_add_file(&d, "oom.imhe", text, sizeof text - 1);
  struct policy_file pf;
  fail_next_realloc = 1;
  int errors = imhe_parse(&a, &d, file, text, sizeof text - 1, &pf);
  fail_next_realloc = 0;
  imhe_diags_flush(&d);
  imhe_diags_free(&d);
  fclose(f);
  cr_expect_geq(errors, 1);
  cr_expect(strstr(out, "internal scanner error: out of memory"), "diagnostics: %s", out);
  free(out);
  imhe_arena_free(&a);
}

/* The measures table is the only place a measure is defined: every row must be one the compiler,
 * the verifier and the VM can all read. */
Test(measures, every_row_is_well_formed) {
  for (int m = 0; m < MEASURE__COUNT; m++) {
    const struct imhe_measure_info *r = &imhe_measures[m];
    const char *a = r->args;
    size_t n = strlen(a);
    int operands = 0;
    for (size_t i = 0; i < n; i++) {
      cr_expect(strchr("CFDMROK", a[i]), "%s: unknown argument letter %c", r->name, a[i]);
      cr_expect(!(a[i] == 'C' || a[i] == 'F') || i == 0, "%s: entries come first", r->name);
      cr_expect(a[i] != 'R' || i == n - 1, "%s: role sets come last", r->name);
      operands += a[i] != 'C' && a[i] != 'D';
    }
    cr_expect_leq(operands, 1, "%s: one operand at most", r->name);
    cr_expect(r->result == VT_NUM || r->result == VT_BOOL, "%s: result %d", r->name, r->result);
    cr_expect(r->unit != IMHE_MEASURE_FIELD_UNIT || a[0] == 'F', "%s: the field's unit needs F",
              r->name);
    cr_expect(r->sections == MSEC_ANY || a[0] == 'C' || a[0] == 'F',
              "%s: a section requirement needs entries", r->name);
    cr_expect(r->sections == MSEC_ANY || r->section_refusal[0], "%s: says nothing when refusing",
              r->name);
    cr_expect(!strpbrk(a, "FDMRK") || r->argument_refusal[0], "%s: says nothing when refusing",
              r->name);
    cr_expect(r->doc[0], "%s: undocumented", r->name);
    cr_expect(imhe_measure_handlers[m], "%s: no handler", r->name);
  }
}

/* `imhe compile` says in one line what it wrote and what the program holds; -q says nothing. */
Test(cli, compile_prints_a_one_line_summary_unless_quiet) {
  char *dir = temp_dir(), cmd[1200], *out;
  snprintf(cmd, sizeof cmd, "%s compile rules/wi.imhe -o %s/wi.imhec 2>/dev/null", imhe_bin(), dir);
  cr_assert_eq(run_cmd(cmd, &out), 0);
  char want[600];
  snprintf(want, sizeof want,
           "rules/wi.imhe \u2192 %s/wi.imhec: 26 rules, 5 fees, 1 coupon; base legacy\n", dir);
  cr_expect_str_eq(out, want);
  free(out);
  snprintf(cmd, sizeof cmd, "%s compile rules/mi.imhe -o %s/mi.imhec 2>/dev/null", imhe_bin(), dir);
  cr_assert_eq(run_cmd(cmd, &out), 0);
  cr_expect(strstr(out, ": 64 rules in 2 eras, 5 fees, 1 coupon; bases legacy before 2025-01-01, "
                        "alliance-2025 from 2025-01-01\n"),
            "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "%s compile rules/catalogue.imhe -o %s/c.imhec 2>/dev/null", imhe_bin(),
           dir);
  cr_assert_eq(run_cmd(cmd, &out), 0);
  cr_expect(strstr(out, ": 0 rules, 0 fees, 0 coupons; no base\n"), "%s", out);
  free(out);
  for (int q = 0; q < 2; q++) {
    snprintf(cmd, sizeof cmd, "%s compile %s rules/wi.imhe -o %s/q.imhec 2>&1", imhe_bin(),
             q ? "--quiet" : "-q", dir);
    cr_assert_eq(run_cmd(cmd, &out), 0);
    cr_expect_str_eq(out, "", "%s printed: %s", q ? "--quiet" : "-q", out);
    free(out);
  }
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

/* `imhe disasm` lists the settings, each condition's unit, and every instruction's file:line. */
Test(cli, disasm_lists_settings_units_and_source_files) {
  char *dir = temp_dir(), cmd[1200], *out;
  snprintf(cmd, sizeof cmd, "%s compile -q rules/wi.imhe -o %s/wi.imhec && %s disasm %s/wi.imhec",
           imhe_bin(), dir, imhe_bin(), dir);
  cr_assert_eq(run_cmd(cmd, &out), 0);
  static const char *const lines[] = {
      "; era 0: base legacy, as-of from open until open, offers "
      "IFA,IFS,IMHS,IMHM-C,IMHM-P,IMHM-RF\n",
      "; called \"Wisconsin Alliance for Infant Mental Health\" (\"WI-AIMH\"), code WI\n",
      "; accepts members of any\n",
      "; fee registration $20.00 for all\n",
      "; fee processing $50.00 for IFS\n",
      "; coupon \"IT-CREDENTIAL\" waives registration for all from open until open when rule "
      "IT-CREDENTIAL note \"IT-CREDENTIAL waives the $20 registration fee\"\n",
      "; deadlines every year on Mar 15, Jun 15, Sep 15, Dec 15\n",
      "; renewal annual for deadlines from open until open\n",
      "\"training hours\" rules/legacy.imhe:32: hours\n",
      "\"paid prevention/intervention work serving the track's ages\" rules/legacy.imhe:62: days, "
      "shown in years\n",
      "  rules/wi.imhe:33 ",
      "  rules/legacy.imhe:22 ",
  };
  for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
    cr_expect(strstr(out, lines[i]), "disasm lacks: %s", lines[i]);
  free(out);
  snprintf(cmd, sizeof cmd, "%s compile -q rules/mi.imhe -o %s/mi.imhec && %s disasm %s/mi.imhec",
           imhe_bin(), dir, imhe_bin(), dir);
  cr_assert_eq(run_cmd(cmd, &out), 0);
  cr_expect(strstr(out, "; accepts members of MI\n") &&
                strstr(out, "; renewal annual for deadlines "
                            "from open until 2023-12-31\n") &&
                strstr(out, "; renewal cycle 3 years for deadlines from 2024-01-01 until open\n") &&
                strstr(out, "; reinstatement from 2025-01-01\n") &&
                strstr(out, "; coupon \"SCHOLARSHIP\" waives registration, processing for IFA,ECFA "
                            "from 2023-01-01 until 2024-12-31"),
            "%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}
