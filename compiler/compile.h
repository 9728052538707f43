/* compile.h — the compiler's public interface: policy source files in, a program out.
 * The returned program is the caller's (imhe_program_free); diagnostics go to the diags given. */
#ifndef IMHE_COMPILE_H
#define IMHE_COMPILE_H

#include "compiler/diag.h"
#include "runtime/bytecode/program.h"
#include "runtime/core/export.h"

/* Compiles `path` (bases are found beside it as NAME.imhe). Returns 0 and
 * fills *out when there was no error; warnings do not fail. */
IMHE_INTERNAL_API int imhe_compile_file(const char *path, struct diags *d,
                                        struct imhe_program *out);

#endif
