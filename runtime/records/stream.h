/* stream.h — records streamed from one YAML file, one document at a time, each typed against the
 * schema; memory stays flat however many a file holds. Each record handed out is the caller's. */
#ifndef IMHE_STREAM_H
#define IMHE_STREAM_H

#include "runtime/core/export.h"
#include "runtime/records/limits.h"
#include "runtime/records/record.h"
#include <stddef.h>
#include <stdint.h>

/* A record file being read (opaque). */
struct imhe_loader;
/* Depth 64, scalar 64 KiB, document 4 MiB, 10000 entries, 200000 nodes, 16 directives; a FIFO
 * waits 10 s for a writer. */
extern const struct imhe_read_limits imhe_default_limits;

/* path "-" reads standard input. NULL with a message naming the file in err when it cannot be
 * opened, is a directory, or is a FIFO no program writes to. */
IMHE_INTERNAL_API struct imhe_loader *
imhe_loader_open(const char *path, const struct imhe_read_limits *lim, char *err, size_t errlen);
/* The same over an open descriptor (read, not closed) or bytes in memory (not copied: they must
 * outlive the loader); name is how messages call the input. NULL when out of memory. */
struct imhe_loader *imhe_loader_open_fd(int fd, const char *name,
                                        const struct imhe_read_limits *lim);
struct imhe_loader *imhe_loader_open_mem(const void *bytes, size_t len, const char *name,
                                         const struct imhe_read_limits *lim);
/* A loader that reads no file, for parsing documents another loader cut (yaml.h:
 * imhe_yaml_replay); its messages name what its `path` member is set to. */
struct imhe_loader *imhe_loader_replayer(void);
/* Notices go to fn (see limits.h); without one they are dropped. */
IMHE_INTERNAL_API void imhe_loader_on_notice(struct imhe_loader *l, imhe_notice_fn *fn, void *ctx);
/* Bytes of the file examined so far (handed to libyaml or passed over). */
uint64_t imhe_loader_bytes_read(const struct imhe_loader *l);
/* 1: *out holds the next record (caller frees with imhe_record_clear), possibly
 * with errors; 0: end of the stream. A document refused for a limit or a syntax
 * error is abandoned at that point and reading goes on at the next document. */
int imhe_loader_next(struct imhe_loader *l, struct imhe_record *out);
IMHE_INTERNAL_API void imhe_loader_close(struct imhe_loader *l);
/* The next document, parsed and typed (imhe_loader_next without the typing it no longer needs). */
int imhe_loader_read(struct imhe_loader *l, struct imhe_record *out);
/* As imhe_loader_read; with reuse, `out` is a record read before whose arena
 * is reused instead of allocated anew (on 0 the record is already freed). */
IMHE_INTERNAL_API int imhe_loader_read_into(struct imhe_loader *l, struct imhe_record *out,
                                            int reuse);
/* Records are typed as they are read: nothing is left to do (kept for older callers). */
IMHE_INTERNAL_API void imhe_record_type(struct imhe_record *r);
/* Test mode (imhe test): the records read keep their `expect:` block (record.h). */
IMHE_INTERNAL_API void imhe_loader_keep_expect(struct imhe_loader *l, int on);

#endif
