/* fmt.c — `imhe fmt`: policies printed in canonical layout, checked (--check) or rewritten in
 * place atomically (-w). */
#include "compiler/fmt.h"
#include "cli/options.h"
#include "runtime/core/atomic.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const usage_fmt =
    "usage: imhe fmt [--check | -w] FILE.imhe...\n"
    "\n"
    "Prints each policy in canonical layout, comments kept.\n"
    "  --check   print nothing; exit 1 when a file is not in canonical layout\n"
    "  -w        rewrite each file not in canonical layout in place, atomically\n"
    "            (a file with syntax errors, or a failed write, leaves it as it was)\n"
    "exit: 0 formatted (or already canonical), 1 not canonical or syntax errors, 2 usage or\n"
    "I/O error\n";

/* The whole file, NUL-terminated (malloc'd), or NULL with "PATH: cannot read: why" in err. */
static char *read_text(const char *path, size_t *len, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, n = 0, r;
  char *b = malloc(cap + 1);
  if (!b)
    abort();
  while ((r = fread(b + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap && !(b = realloc(b, (cap *= 2) + 1)))
      abort();
  }
  int bad = ferror(f);
  int e = errno;
  fclose(f);
  if (bad) {
    free(b);
    snprintf(err, errlen, "%s: cannot read: %s", path,
             e == EISDIR ? "is a directory" : strerror(e));
    return NULL;
  }
  b[n] = 0;
  *len = n;
  return b;
}

int imhe_cli_fmt(int argc, char **argv) {
  int check = 0, write = 0, nfiles = 0;
  for (int i = 1; i < argc; i++) {
    if (imhe_cli_is_help(argv[i])) {
      fputs(usage_fmt, stdout);
      return 0;
    } else if (!strcmp(argv[i], "--check"))
      check = 1;
    else if (!strcmp(argv[i], "-w"))
      write = 1;
    else if (argv[i][0] == '-') {
      fprintf(stderr, "imhe fmt: unknown option '%s'\n%s", argv[i], usage_fmt);
      return 2;
    } else
      nfiles++;
  }
  if (!nfiles || (check && write)) {
    fputs(check && write ? "imhe fmt: --check and -w exclude each other\n" : "", stderr);
    fputs(usage_fmt, stderr);
    return 2;
  }
  int rc = 0;
  for (int i = 1; i < argc; i++) {
    const char *path = argv[i];
    if (path[0] == '-')
      continue;
    char err[700];
    size_t n;
    char *in = read_text(path, &n, err, sizeof err);
    if (!in) {
      fprintf(stderr, "imhe fmt: %s\n", err);
      rc = 2;
      continue;
    }
    char *out = imhe_format(path, in, n);
    if (!out) {
      rc = rc ? rc : 1;
    } else if (check || write) {
      size_t m = strlen(out);
      int same = m == n && !memcmp(out, in, n);
      if (!same && check) {
        fprintf(stderr, "%s: not in canonical layout (run: imhe fmt -w %s)\n", path, path);
        rc = rc ? rc : 1;
      } else if (!same && imhe_write_atomic(path, out, m, err, sizeof err) != 0) {
        fprintf(stderr, "imhe fmt: %s\n", err);
        rc = 2;
      }
    } else
      fputs(out, stdout);
    free(out);
    free(in);
  }
  return rc;
}
