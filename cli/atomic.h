/* atomic.h — outputs that appear whole or not at all: a temp file beside the target, fsync, rename.
 * A failed run leaves any earlier output untouched. */
#ifndef IMHE_ATOMIC_H
#define IMHE_ATOMIC_H

#include <stddef.h>
#include <stdio.h>

struct imhe_atomic_out {
  FILE *f;
  char tmp[4096], path[4096];
};

int imhe_atomic_open(struct imhe_atomic_out *o, const char *path, char *err, size_t errlen);
/* Flushes, fsyncs and renames into place; on failure removes the temp file. */
int imhe_atomic_commit(struct imhe_atomic_out *o, char *err, size_t errlen);
void imhe_atomic_abort(struct imhe_atomic_out *o);
int imhe_write_atomic(const char *path, const void *data, size_t n, char *err, size_t errlen);

#endif
