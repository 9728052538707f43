/* record.h — one application, renewal or reinstatement record, typed and located.
 * Everything in a record lives in its arena; the loader owns nothing once it hands a record over.
 */
#ifndef IMHE_RECORD_H
#define IMHE_RECORD_H

#include "runtime/core/arena.h"
#include "runtime/records/schema.h"
#include <stdint.h>

struct imhe_text {
  const char *s; /* NUL-terminated copy; may contain NULs only if n says so */
  uint32_t n;
};
struct imhe_code {
  struct imhe_text s;
  uint32_t line, col;
};
struct imhe_slot {
  uint8_t present;
  uint32_t line, col;
  union {
    double num;
    int32_t date;
    int32_t ival;  /* FT_ENUM value, FT_BOOL 0/1 */
    uint32_t mask; /* FT_SET */
    struct imhe_text text;
    struct {
      struct imhe_code *v;
      uint32_t n;
    } codes;
  } v;
};
struct imhe_entry {
  uint32_t line, col;
  struct imhe_slot f[IMHE_MAX_FIELDS];
};
struct imhe_list {
  struct imhe_entry *v;
  uint32_t n;
  uint32_t line, col;
};
struct imhe_msg {
  const char *file;
  uint32_t line, col;
  const char *text;
};
struct imhe_msgs {
  struct imhe_msg *v;
  uint32_t n, cap;
};

struct imhe_record {
  struct imhe_arena arena;
  const char *file;
  uint32_t line; /* where the document starts */
  int kind;      /* enum value of ENUM_KIND */
  struct imhe_text id, association, coupon, applicant_name, applicant_email;
  int category; /* -1 absent */
  uint32_t category_line, category_col;
  int32_t submitted, agreement_signed, ethics_signed, renewal_deadline;
  uint32_t agreement_line, agreement_col, ethics_line, ethics_col, deadline_line, deadline_col;
  int has_membership;
  struct imhe_text membership_association;
  int32_t membership_expires;
  int exam_passed; /* -1 not taken, 0 failed, 1 passed */
  int32_t exam_date;
  int rsc_attested;
  int name_given; /* applicant.name had a value, even a malformed one */
  struct imhe_list sec[SEC__COUNT];
  struct imhe_msgs errors, warnings;
  const void *tree; /* the parsed document until imhe_record_type types it */
};

void imhe_record_error(struct imhe_record *r, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void imhe_record_warning(struct imhe_record *r, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void imhe_record_free(struct imhe_record *r);

struct sbuf;
/* Appends how a reviewer finds entry i of section sec: "work[2] (Home Visitor)". */
void imhe_entry_label(struct sbuf *b, const struct imhe_record *r, int sec, uint32_t i);

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
