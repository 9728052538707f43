/* record.h — one application, renewal or reinstatement record, typed and located.
 * Everything in a record lives in its arena; the loader owns nothing once it hands a record over.
 */
#ifndef IMHE_RECORD_H
#define IMHE_RECORD_H

#include "runtime/core/arena.h"
#include "runtime/core/export.h"
#include "runtime/records/schema.h"
#include <stdarg.h>
#include <stdint.h>

struct imhe_text {
  const char *s; /* NUL-terminated, in the record's arena or the pack it was read from (pack.h);
                   may contain NULs only if n says so */
  uint32_t n;
};
struct imhe_comp_code {
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
      struct imhe_comp_code *v;
      uint32_t n;
    } codes; /* FT_CODES, and FT_ENUM and FT_SET of categories: kept as written */
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

struct imhe_record_pool;
struct imhe_packin;
struct imhe_record {
  struct imhe_arena arena;
  const char *file;
  uint32_t line; /* where the document starts */
  imhe_record_kind kind;
  struct imhe_text id, association, coupon, applicant_name, applicant_email;
  /* the category applied for, as written: typed against the judging program's categories when
   * judged (s NULL when absent) */
  struct imhe_text category;
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
  struct imhe_list sec[IMHE_SECTION__COUNT];
  struct imhe_msgs errors, warnings;
  /* Test mode (imhe test, imhe_loader_keep_expect): the top-level `expect:` key is kept as its
   * node tree (expect, in the arena) instead of warned about as an unknown field
   * (docs/testing.md). */
  int keep_expect;
  const void *expect;
  uint32_t expect_line;
  const void *owner;             /* the policy set it was read for (the public API checks it) */
  struct imhe_record_pool *pool; /* where freeing it returns it for reuse (api/source.c), or NULL */
  struct imhe_packin *pack; /* the pack its texts point into, held until it is freed, or NULL */
};

IMHE_INTERNAL_API void imhe_record_error(struct imhe_record *r, uint32_t line, uint32_t col,
                                         const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
IMHE_INTERNAL_API void imhe_record_warning(struct imhe_record *r, uint32_t line, uint32_t col,
                                           const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Appends a message located at file:line:col to m, in arena a. */
void imhe_msgs_vadd(struct imhe_arena *a, struct imhe_msgs *m, const char *file, uint32_t line,
                    uint32_t col, const char *fmt, va_list ap);
IMHE_INTERNAL_API void imhe_record_clear(struct imhe_record *r);
/* Readies *r for a document of `file`: an arena of at most arena_limit bytes, every field absent.
 * With `reuse`, *r is a record read before: its arena's first chunk is kept, its content dropped.
 */
void imhe_record_init(struct imhe_record *r, const char *file, size_t arena_limit, int reuse);
/* Drops what typing put in r (fields, entries, messages), keeping its arena and file. */
void imhe_record_drop_content(struct imhe_record *r);

struct sbuf;
/* The title of entry i of section sec (its title, provider, name or role field), or NULL. */
const struct imhe_text *imhe_entry_title(const struct imhe_record *r, int sec, uint32_t i);
/* Its dates (the start, or the date it is dated by, and the end), INT32_MIN when absent. */
void imhe_entry_dates(const struct imhe_record *r, int sec, uint32_t i, int32_t *start,
                      int32_t *end);

#endif
