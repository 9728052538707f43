/* parse.h — one policy file's text parsed into its syntax tree (ast.h), syntax errors reported
 * through the diagnostics. The tree lives in the arena given. */
#ifndef IMHE_PARSE_H
#define IMHE_PARSE_H

#include "compiler/ast.h"
#include "compiler/diag.h"
#include <stddef.h>

/* Parses one file's text into `out`; returns the number of syntax errors. */
int imhe_parse(struct imhe_arena *arena, struct diags *diags, uint32_t file, const char *text,
               size_t len, struct policy_file *out);

#endif
