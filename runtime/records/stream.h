/* stream.h — records streamed from one YAML file, one document at a time, each typed against the
 * schema; memory stays flat however many a file holds. Each record handed out is the caller's. */
#ifndef IMHE_STREAM_H
#define IMHE_STREAM_H

#include "runtime/records/record.h"
#include <stddef.h>
#include <stdint.h>

/* Streams records from one YAML file, one document at a time. */
struct imhe_loader;
struct imhe_limits {
  unsigned max_depth;      /* nesting */
  size_t max_scalar;       /* bytes in one scalar */
  size_t max_document;     /* bytes in one document */
  unsigned max_entries;    /* items in one list or mapping */
  unsigned max_nodes;      /* nodes in one document */
  unsigned max_directives; /* %YAML and %TAG lines before one document */
  unsigned fifo_wait_ms;   /* how long a FIFO may stay without a writer */
};
extern const struct imhe_limits imhe_default_limits;

/* path "-" reads standard input. NULL with a message naming the file in err when it cannot be
 * opened, is a directory, or is a FIFO no program writes to. */
struct imhe_loader *imhe_loader_open(const char *path, const struct imhe_limits *lim, char *err,
                                     size_t errlen);
/* Notices about the stream rather than one record: an empty document, a file without records
 * (warnings), the rest of a file left unread after a refused document (errors), a failed read
 * (I/O errors). Called on the thread that reads; without a callback they are dropped. */
enum { IMHE_NOTICE_WARNING, IMHE_NOTICE_ERROR, IMHE_NOTICE_IO };
typedef void imhe_notice_fn(void *ctx, int severity, const struct imhe_msg *m);
void imhe_loader_on_notice(struct imhe_loader *l, imhe_notice_fn *fn, void *ctx);
/* Bytes of the file examined so far (handed to libyaml or passed over). */
uint64_t imhe_loader_bytes_read(const struct imhe_loader *l);
/* 1: *out holds the next record (caller frees with imhe_record_free), possibly
 * with errors; 0: end of the stream. A document refused for a limit or a syntax
 * error is abandoned at that point and reading goes on at the next document. */
int imhe_loader_next(struct imhe_loader *l, struct imhe_record *out);
void imhe_loader_close(struct imhe_loader *l);
/* The two halves of imhe_loader_next, so parsing and typing can run on two
 * threads: read parses one document, type fills the record's fields. */
int imhe_loader_read(struct imhe_loader *l, struct imhe_record *out);
/* As imhe_loader_read; with reuse, `out` is a record read before whose arena
 * is reused instead of allocated anew (on 0 the record is already freed). */
int imhe_loader_read_into(struct imhe_loader *l, struct imhe_record *out, int reuse);
void imhe_record_type(struct imhe_record *r);

#endif
