/* diag.h — compiler diagnostics: file:line:col, the source line, a ^^^ underline, a hint.
 * One module prints them all, as text for people or JSON Lines for editors. */
#ifndef IMHE_DIAG_H
#define IMHE_DIAG_H

#include "compiler/ast.h"
#include "runtime/core/export.h"
#include <stdio.h>

/* Hostile input can yield an error per byte: only so many are kept and shown, so a run stays
 * linear in the input and bounded in memory. */
#define IMHE_DIAG_KEPT 1000
#define IMHE_DIAG_SHOWN 100

struct source {
  const char *path;
  const char *text; /* owned by the diag module */
  uint32_t len;
  uint32_t *line_starts;
  uint32_t nlines;
};

struct diag_entry {
  int error; /* 1 error, 0 warning */
  struct loc loc;
  char *msg, *hint;
};

struct diags {
  struct source *files;
  uint32_t nfiles;
  struct diag_entry *v;
  uint32_t n, cap;
  int errors, warnings; /* counted as printed by imhe_diags_flush */
  uint32_t nerrors;     /* errors recorded so far */
  uint32_t dropped;     /* diagnostics past the limit: counted, neither kept nor printed */
  int json;             /* print JSON Lines */
  int color;
  FILE *out;
};

IMHE_INTERNAL_API void imhe_diags_init(struct diags *d, FILE *out, int json, int color);
IMHE_INTERNAL_API void imhe_diags_free(struct diags *d);
/* Adds a source buffer (copied); returns its file index. */
uint32_t imhe_diags_add_file(struct diags *d, const char *path, const char *text, uint32_t len);
void imhe_diag_error(struct diags *d, struct loc l, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void imhe_diag_warning(struct diags *d, struct loc l, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Line and column (1-based, column in characters) of a byte offset. */
void imhe_diag_linecol(const struct diags *d, uint32_t file, uint32_t off, uint32_t *line,
                       uint32_t *col);
/* Sorts by position, drops exact repeats, prints the first IMHE_DIAG_SHOWN diagnostics and
 * says how many more there were. */
IMHE_INTERNAL_API void imhe_diags_flush(struct diags *d);

#endif
