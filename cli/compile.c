/* compile.c — `imhe compile`: a policy and its bases into verified bytecode, written atomically;
 * the compiler's messages as text or JSON. */
#include "compiler/compile.h"
#include "cli/options.h"
#include "runtime/bytecode/program.h"
#include "runtime/core/atomic.h"
#include "runtime/core/dates.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const usage_compile =
    "usage: imhe compile [-q] POLICY.imhe [-o OUT.imhec] [--diagnostics=text|json]\n"
    "\n"
    "Compiles a policy and the bases it extends (found beside it as NAME.imhe).\n"
    "Writes OUT atomically (default: POLICY.imhec beside the source); on any\n"
    "error nothing is written and an earlier OUT is left untouched. Sources are\n"
    "recorded as the policy directory's name and the file's (rules/wi.imhe), so\n"
    "the same policy gives the same bytes however its path is spelled.\n"
    "On success prints one line: what was written and what it holds\n"
    "(wi.imhe → wi.imhec: 26 rules, 5 fees, 1 coupon; base legacy); -q, --quiet\n"
    "prints nothing.\n"
    "exit: 0 compiled, 1 errors in the policy, 2 usage or I/O error\n";

static int write_program(const struct imhe_program *p, const char *out, char *err, size_t errlen) {
  uint8_t *bytes;
  size_t n;
  imhe_program_write(p, &bytes, &n);
  int rc = imhe_write_atomic(out, bytes, n, err, errlen);
  free(bytes);
  return rc;
}

/* One line on success: the files, the rules (coupon conditions are not counted), fees and coupons,
 * and the base of each era. */
static void summary(const struct imhe_program *p, const char *in, const char *out) {
  uint32_t rules = 0;
  for (uint32_t i = 0; i < p->nrules; i++)
    rules += p->rules[i].kind != RK_COUPON;
  printf("%s \u2192 %s: %u rule%s", in, out, rules, rules == 1 ? "" : "s");
  if (p->neras > 1) /* each era holds its base's rules and the policy's own */
    printf(" in %u eras", p->neras);
  printf(", %u fee%s, %u coupon%s; ", p->nfees, p->nfees == 1 ? "" : "s", p->ncoupons,
         p->ncoupons == 1 ? "" : "s");
  if (p->neras == 1 && !strcmp(imhe_str(p, p->eras[0].base), imhe_str(p, p->policy_name))) {
    puts("no base");
    return;
  }
  fputs(p->neras == 1 ? "base" : "bases", stdout);
  for (uint32_t e = 0; e < p->neras; e++) {
    char d[11];
    printf("%s %s", e ? "," : "", imhe_str(p, p->eras[e].base));
    if (p->eras[e].from != IMHE_NO_DATE) {
      imhe_format_date(p->eras[e].from, d);
      printf(" from %s", d);
    }
    if (p->eras[e].until != IMHE_NO_DATE) {
      imhe_format_date(p->eras[e].until, d);
      printf(" before %s", d);
    }
  }
  putchar('\n');
}

int imhe_cli_compile(int argc, char **argv) {
  const char *in = NULL, *out = NULL, *v;
  int json = 0, quiet = 0;
  for (int i = 1; i < argc; i++) {
    if (imhe_cli_is_help(argv[i])) {
      fputs(usage_compile, stdout);
      return 0;
    } else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
      quiet = 1;
    } else if (!strcmp(argv[i], "-o")) {
      if (!(out = imhe_cli_option_value("compile", argc, argv, &i, "a file name for the bytecode")))
        return 2;
    } else if (!strncmp(argv[i], "--diagnostics", 13) && (argv[i][13] == '=' || argv[i][13] == 0)) {
      v = argv[i][13] == '=' ? argv[i] + 14
                             : imhe_cli_option_value("compile", argc, argv, &i, "text or json");
      if (!v)
        return 2;
      if (strcmp(v, "text") && strcmp(v, "json")) {
        fprintf(stderr, "imhe compile: --diagnostics is text or json, not '%s'\n", v);
        return 2;
      }
      json = !strcmp(v, "json");
    } else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "imhe compile: unknown option '%s'\n%s", argv[i], usage_compile);
      return 2;
    } else if (!in)
      in = argv[i];
    else {
      fprintf(stderr, "imhe compile: one policy at a time ('%s' and '%s')\n%s", in, argv[i],
              usage_compile);
      return 2;
    }
  }
  if (!in) {
    fputs(usage_compile, stderr);
    return 2;
  }
  struct stat st;
  if (stat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
    fprintf(stderr, "imhe compile: %s: is a directory, not a policy file\n", in);
    return 2;
  }
  char defout[PATH_MAX];
  if (!out) {
    size_t n = strlen(in);
    snprintf(defout, sizeof defout, "%.*s.imhec",
             (int)(n > 5 && !strcmp(in + n - 5, ".imhe") ? n - 5 : n), in);
    out = defout;
  }
  if (imhe_cli_check_output("compile", out, &in, 1) != 0)
    return 2;
  struct diags d;
  imhe_diags_init(&d, stderr, json, !json && isatty(2) && !getenv("NO_COLOR"));
  struct imhe_program p;
  int rc = imhe_compile_file(in, &d, &p);
  int had_files = d.nfiles > 0;
  imhe_diags_flush(&d);
  imhe_diags_free(&d);
  if (rc != 0)
    return had_files ? 1 : 2;
  char err[512];
  /* never write a file the loader would refuse: a compiler defect is reported, not shipped */
  if (imhe_verify(&p, err, sizeof err) != 0) {
    fprintf(stderr,
            "imhe compile: %s: internal error: the compiled program fails verification: %s\n", in,
            err);
    imhe_program_free(&p);
    return 2;
  }
  if (write_program(&p, out, err, sizeof err) != 0) {
    fprintf(stderr, "imhe compile: %s\n", err);
    imhe_program_free(&p);
    return 2;
  }
  if (!quiet)
    summary(&p, in, out);
  imhe_program_free(&p);
  return 0;
}

/* ---------- loading a compiled policy ---------- */
