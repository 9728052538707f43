/* lex.h — the state the flex scanner keeps beside its own (yyextra), and its helpers.
 * Strings the scanner returns live in the compilation's arena. */
#ifndef IMHE_LEX_H
#define IMHE_LEX_H

#include "compiler/ast.h"
#include "compiler/diag.h"
#include <setjmp.h>
#include <stddef.h>

struct lex_extra {
  struct imhe_arena *arena;
  struct diags *diags;
  uint32_t file, offset, str_start;
  char *buf;
  size_t buflen, bufcap;
  int errors;
  jmp_buf *fatal;        /* where flex's fatal errors return to (imhe_parse) */
  const char *fatal_msg; /* a fatal error, once one happened: the input then ends */
};

void imhe_lex_error(struct lex_extra *x, struct loc l, const char *fmt, const char *hint, ...);
const char *imhe_lex_strdup(struct lex_extra *x, const char *s, size_t n);
void imhe_lex_append(struct lex_extra *x, const char *s, size_t n);
/* flex's YY_FATAL_ERROR (out of memory for its buffers): records msg and returns to x->fatal, never
 * to the caller; imhe_parse then reports it as an error. Nothing exits. */
void imhe_lex_fatal(struct lex_extra *x, const char *msg) __attribute__((noreturn));

#endif
