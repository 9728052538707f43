/* lex.c — the helpers the flex scanner's actions call: located errors, strings copied into the
 * compilation's arena, the buffer quoted text is gathered in, and the way out of a fatal error. */
#include "compiler/lex.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void imhe_lex_fatal(struct lex_extra *x, const char *msg) {
  x->fatal_msg = msg;
  longjmp(*x->fatal, 1);
}

void imhe_lex_error(struct lex_extra *x, struct loc l, const char *fmt, const char *hint, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, hint);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  x->errors++;
  imhe_diag_error(x->diags, l, hint, "%s", buf);
}

const char *imhe_lex_strdup(struct lex_extra *x, const char *s, size_t n) {
  return imhe_arena_strndup(x->arena, s, n);
}

void imhe_lex_append(struct lex_extra *x, const char *s, size_t n) {
  if (x->buflen + n + 1 > x->bufcap) {
    size_t cap = (x->bufcap ? x->bufcap : 64);
    while (cap < x->buflen + n + 1)
      cap *= 2;
    char *b = realloc(x->buf, cap);
    if (!b) { /* the scan ends at the next token; imhe_parse reports it */
      x->fatal_msg = "out of memory";
      return;
    }
    x->buf = b;
    x->bufcap = cap;
  }
  memcpy(x->buf + x->buflen, s, n);
  x->buflen += n;
  x->buf[x->buflen] = 0;
}
