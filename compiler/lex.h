/* lex.h — the state the flex scanner keeps beside its own (yyextra), and its helpers.
 * Strings the scanner returns live in the compilation's arena. */
#ifndef IMHE_LEX_H
#define IMHE_LEX_H

#include "compiler/ast.h"
#include "compiler/diag.h"
#include <stddef.h>

struct lex_extra {
  struct imhe_arena *arena;
  struct diags *diags;
  uint32_t file, offset, str_start;
  char *buf;
  size_t buflen, bufcap;
  int errors;
};

void lex_error(struct lex_extra *x, struct loc l, const char *fmt, const char *hint, ...);
const char *lex_strdup(struct lex_extra *x, const char *s, size_t n);
void lex_append(struct lex_extra *x, const char *s, size_t n);
void lex_fatal(const char *msg) __attribute__((noreturn));

#endif
