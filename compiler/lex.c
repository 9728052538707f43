/* lex.c — the helpers the flex scanner's actions call: located errors, strings copied into the
 * compilation's arena, the buffer quoted text is gathered in. */
#include "compiler/lex.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lex_fatal(const char *msg) {
  fprintf(stderr, "imhe: internal scanner error: %s\n", msg);
  abort();
}

void lex_error(struct lex_extra *x, struct loc l, const char *fmt, const char *hint, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, hint);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  x->errors++;
  diag_error(x->diags, l, hint, "%s", buf);
}

const char *lex_strdup(struct lex_extra *x, const char *s, size_t n) {
  return imhe_arena_strndup(x->arena, s, n);
}

void lex_append(struct lex_extra *x, const char *s, size_t n) {
  if (x->buflen + n + 1 > x->bufcap) {
    size_t cap = (x->bufcap ? x->bufcap : 64);
    while (cap < x->buflen + n + 1)
      cap *= 2;
    char *b = realloc(x->buf, cap);
    if (!b)                       /* GCOVR_EXCL_BR_LINE: out of memory */
      lex_fatal("out of memory"); /* GCOVR_EXCL_LINE: out of memory */
    x->buf = b;
    x->bufcap = cap;
  }
  memcpy(x->buf + x->buflen, s, n);
  x->buflen += n;
  x->buf[x->buflen] = 0;
}
