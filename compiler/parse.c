/* parse.c — drives the flex scanner and bison parser over one source buffer.
 * The scanner's helpers live here so grammar/ holds only the grammar. */
#include "compiler/lex.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#define YYSTYPE IMHE_YYSTYPE
#define YYLTYPE IMHE_YYLTYPE
#include "lexer.h"

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

int imhe_parse(struct imhe_arena *arena, struct diags *diags, uint32_t file, const char *text,
               size_t len, struct policy_file *out) {
  struct lex_extra extra = {.arena = arena, .diags = diags, .file = file};
  struct parse_ctx ctx = {.arena = arena, .diags = diags, .out = out, .file = file};
  memset(out, 0, sizeof *out);
  out->file = file;
  yyscan_t scanner;
  if (imhe_yylex_init_extra(&extra, &scanner) != 0)
    lex_fatal("cannot start the scanner");
  YY_BUFFER_STATE buf = imhe_yy_scan_bytes(text, (int)len, scanner);
  int rc = imhe_yyparse(scanner, &ctx);
  imhe_yy_delete_buffer(buf, scanner);
  imhe_yylex_destroy(scanner);
  free(extra.buf);
  (void)rc;
  return ctx.errors + extra.errors;
}
