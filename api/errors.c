/* errors.c — errors as values: the code names, filling an imhe_error, and the version. The
 * library reports through these alone; it never prints and never exits. */
#include "api/internal.h"
#include <stdio.h>
#include <string.h>

static const char *const code_names[] = {
#define X(n, s) s,
    IMHE_CODE_LIST(X)
#undef X
};

IMHE_API const char *imhe_code_name(imhe_code c) {
  return (unsigned)c < IMHE_CODE__COUNT ? code_names[c] : NULL;
}

#define STR2(x) #x
#define STR(x) STR2(x)
IMHE_API const char *imhe_version(void) {
  return STR(IMHE_VERSION_MAJOR) "." STR(IMHE_VERSION_MINOR) "." STR(IMHE_VERSION_PATCH);
}

static imhe_code vfail(imhe_error *err, imhe_code code, const char *file, uint32_t line,
                       uint32_t col, const char *fmt, va_list ap) {
  if (!err)
    return code;
  err->code = code;
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  snprintf(err->file, sizeof err->file, "%s", file ? file : "");
  err->line = line;
  err->column = col;
  return code;
}

imhe_code imhe_fail(imhe_error *err, imhe_code code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(err, code, NULL, 0, 0, fmt, ap);
  va_end(ap);
  return code;
}

imhe_code imhe_fail_at(imhe_error *err, imhe_code code, const char *file, uint32_t line,
                       uint32_t col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(err, code, file, line, col, fmt, ap);
  va_end(ap);
  return code;
}

/* The error's value cleared: its code, empty texts, no location (not every byte of its buffers,
 * twice a record when judging a population). */
imhe_code imhe_ok(imhe_error *err) {
  if (err) {
    err->code = IMHE_OK;
    err->message[0] = err->file[0] = 0;
    err->line = err->column = 0;
  }
  return IMHE_OK;
}
