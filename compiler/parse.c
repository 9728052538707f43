/* parse.c — drives the flex scanner and bison parser over one source buffer into a policy_file.
 * grammar/ holds the grammar; the scanner's helpers are in lex.c. */
#include "compiler/parse.h"
#include "compiler/lex.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#define YYSTYPE IMHE_YYSTYPE
#define YYLTYPE IMHE_YYLTYPE
#include "lexer.h"

int imhe_parse(struct imhe_arena *arena, struct diags *diags, uint32_t file, const char *text,
               size_t len, struct policy_file *out) {
  jmp_buf fatal;
  struct lex_extra extra = {.arena = arena, .diags = diags, .file = file, .fatal = &fatal};
  struct parse_ctx ctx = {.arena = arena, .diags = diags, .out = out, .file = file};
  memset(out, 0, sizeof *out);
  out->file = file;
  yyscan_t scanner;
  if (imhe_yylex_init_extra(&extra, &scanner) != 0) {
    imhe_diag_error(diags, (struct loc){file, 0, 0}, NULL,
                    "internal scanner error: cannot start the scanner");
    return 1;
  }
  /* flex's fatal errors come back here. With the whole text in one buffer flex allocates only
     while the scan starts, so no parser state is abandoned; running out of memory for quoted
     text ends the input instead (extra.fatal_msg), and either is reported as an error. */
  if (!setjmp(fatal)) {
    YY_BUFFER_STATE buf = imhe_yy_scan_bytes(text, (int)len, scanner);
    imhe_yyparse(scanner, &ctx);
    imhe_yy_delete_buffer(buf, scanner);
  }
  int errors = ctx.errors + extra.errors;
  if (extra.fatal_msg) {
    imhe_diag_error(diags, (struct loc){file, extra.offset, extra.offset}, NULL,
                    "internal scanner error: %s", extra.fatal_msg);
    errors++;
  }
  imhe_yylex_destroy(scanner);
  free(extra.buf);
  return errors;
}
