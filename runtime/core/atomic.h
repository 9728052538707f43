/* atomic.h — outputs that appear whole or not at all: a temp file beside the target, fsync, rename,
 * then fsync of the directory. A failed run leaves any earlier output untouched and no temp file.
 */
#ifndef IMHE_ATOMIC_H
#define IMHE_ATOMIC_H

#include "runtime/core/export.h"
#include <limits.h>
#include <stddef.h>
#include <stdio.h>

struct imhe_atomic_out {
  FILE *f;    /* the stream to write; owned by the writer until commit or abort */
  char *buf;  /* the stream's buffer */
  int fd;     /* the temp file (or the device itself when `direct`) */
  int err;    /* errno of the first failed write, 0 while none failed */
  int direct; /* the target is a device or a FIFO: written in place, not replaced */
  char tmp[PATH_MAX], path[PATH_MAX];
};

/* Creates a temp file beside `path` (following a symlink to its target, keeping an existing file's
 * permissions) and opens a stream on it whose writes are retried on EINTR and short counts.
 * On failure, returns -1 with "PATH: what failed: why" in err and leaves nothing behind. */
IMHE_INTERNAL_API int imhe_atomic_open(struct imhe_atomic_out *o, const char *path, char *err,
                                       size_t errlen);
/* Flushes, fsyncs and closes the temp file, renames it over the target and fsyncs the directory,
 * so a completed output survives a power cut. On failure removes the temp file, returns -1 with
 * the message in err; the target then holds its earlier content, or (when only the directory sync
 * failed) the complete new one. */
IMHE_INTERNAL_API int imhe_atomic_commit(struct imhe_atomic_out *o, char *err, size_t errlen);
/* Drops the output: closes and removes the temp file. */
IMHE_INTERNAL_API void imhe_atomic_abort(struct imhe_atomic_out *o);
IMHE_INTERNAL_API int imhe_write_atomic(const char *path, const void *data, size_t n, char *err,
                                        size_t errlen);

#endif
