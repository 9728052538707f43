/* disasm.c — `imhe disasm`: a compiled policy verified, then listed rule by rule with its
 * instructions and source lines. */
#include "cli/options.h"
#include "runtime/bytecode/program.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const usage_disasm =
    "usage: imhe disasm [--no-checksum] FILE.imhec\n"
    "\n"
    "Verifies a compiled policy and lists each rule (id, kind, area, categories,\n"
    "file:line) and its instructions (offset, source line, opcode, operands).\n"
    "--no-checksum skips only the checksum comparison; the verifier still runs.\n"
    "exit: 0 listed, 2 unreadable or refused\n";

static int load_imhec(const char *path, int check_sum, struct imhe_program *p, char *err,
                      size_t errlen) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    snprintf(err, errlen, "%s: is a directory, not a compiled policy", path);
    return -1;
  }
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return -1;
  }
  size_t cap = 1 << 16, n = 0;
  uint8_t *buf = malloc(cap);
  size_t r;
  while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) {
      if (cap >= (256u << 20))
        break;
      cap *= 2;
      buf = realloc(buf, cap);
    }
  }
  int read_err = ferror(f) ? errno : 0;
  fclose(f);
  if (!buf)
    abort();
  if (read_err) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(read_err));
    free(buf);
    return -1;
  }
  char e2[400];
  int rc = imhe_program_load(buf, n, check_sum, p, e2, sizeof e2);
  free(buf);
  if (rc)
    snprintf(err, errlen, "%s: refused: %s", path, e2);
  return rc;
}

int imhe_cli_disasm(int argc, char **argv) {
  const char *in = NULL;
  int check = 1;
  for (int i = 1; i < argc; i++) {
    if (imhe_cli_is_help(argv[i])) {
      fputs(usage_disasm, stdout);
      return 0;
    } else if (!strcmp(argv[i], "--no-checksum"))
      check = 0;
    else if (argv[i][0] == '-') {
      fprintf(stderr, "imhe disasm: unknown option '%s'\n%s", argv[i], usage_disasm);
      return 2;
    } else if (in) {
      fprintf(stderr, "imhe disasm: one file at a time ('%s' and '%s')\n%s", in, argv[i],
              usage_disasm);
      return 2;
    } else
      in = argv[i];
  }
  if (!in) {
    fputs(usage_disasm, stderr);
    return 2;
  }
  struct imhe_program p;
  char err[600];
  if (load_imhec(in, check, &p, err, sizeof err)) {
    fprintf(stderr, "imhe disasm: %s\n", err);
    return 2;
  }
  imhe_disasm(&p, stdout);
  imhe_program_free(&p);
  return 0;
}

/* ---------- check ---------- */

struct policy_slot {
  char *code;
  struct imhe_program p;
  int ok;
  char *err;
};

struct checker {
  const char *rules_dir, *src_dir, *policy_file;
  int check_sum;
  struct policy_slot slots[64];
  int nslots;
  struct policy_slot single;
  int single_loaded;
};
