/* limits.h — the limits every record file is read within, and the notices reading gives about the
 * file itself rather than one record. Shared by the stream and the document reader below it. */
#ifndef IMHE_LIMITS_H
#define IMHE_LIMITS_H

#include "runtime/records/record.h"
#include <stddef.h>

struct imhe_read_limits {
  unsigned max_depth;      /* nesting */
  size_t max_scalar;       /* bytes in one scalar */
  size_t max_document;     /* bytes in one document */
  unsigned max_entries;    /* items in one list or mapping */
  unsigned max_nodes;      /* nodes in one document */
  unsigned max_directives; /* %YAML and %TAG lines before one document */
  unsigned fifo_wait_ms;   /* how long a FIFO may stay without a writer */
};

/* Notices about the stream rather than one record: an empty document, a file without records
 * (warnings), the rest of a file left unread after a refused document (errors), a failed read
 * (I/O errors). Called on the thread that reads. */
enum { IMHE_NOTICE_WARNING, IMHE_NOTICE_ERROR, IMHE_NOTICE_IO };
typedef void imhe_notice_fn(void *ctx, int severity, const struct imhe_msg *m);

#endif
