/* fmt.h — `imhe fmt`: canonical layout of a policy file, comments kept, idempotent.
 * Formatting refuses a file with syntax errors rather than guess at its structure. */
#ifndef IMHE_FMT_H
#define IMHE_FMT_H

#include "runtime/core/export.h"
#include <stddef.h>

/* Returns a malloc'd canonical rendering of `text`, or NULL on syntax errors
 * (reported to stderr under `path`). */
IMHE_INTERNAL_API char *imhe_format(const char *path, const char *text, size_t len);

#endif
