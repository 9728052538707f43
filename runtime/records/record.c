/* record.c — a record's messages (errors make it invalid, warnings do not), its setup for a file,
 * how a reviewer finds one of its entries, and freeing it with its arena. */
#include "runtime/records/record.h"
#include "runtime/core/sbuf.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void imhe_msgs_vadd(struct imhe_arena *a, struct imhe_msgs *m, const char *file, uint32_t line,
                    uint32_t col, const char *fmt, va_list ap) {
  if (m->n == m->cap) {
    uint32_t cap = m->cap ? m->cap * 2 : 8;
    struct imhe_msg *v = imhe_arena_alloc(a, cap * sizeof *v);
    if (!v)
      return;
    if (m->n)
      memcpy(v, m->v, m->n * sizeof *v);
    m->v = v;
    m->cap = cap;
  }
  char buf[512];
  vsnprintf(buf, sizeof buf, fmt, ap);
  struct imhe_msg *x = &m->v[m->n++];
  x->file = file;
  x->line = line;
  x->col = col;
  x->text = imhe_arena_strndup(a, buf, strlen(buf));
}

static void add_msg(struct imhe_record *r, struct imhe_msgs *m, uint32_t line, uint32_t col,
                    const char *fmt, va_list ap) {
  imhe_msgs_vadd(&r->arena, m, r->file, line, col, fmt, ap);
}

void imhe_record_error(struct imhe_record *r, uint32_t line, uint32_t col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add_msg(r, &r->errors, line, col, fmt, ap);
  va_end(ap);
}

void imhe_record_warning(struct imhe_record *r, uint32_t line, uint32_t col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add_msg(r, &r->warnings, line, col, fmt, ap);
  va_end(ap);
}

void imhe_record_clear(struct imhe_record *r) {
  imhe_arena_free(&r->arena);
}

/* Every field absent, no entries, no messages; the arena (and what is in it) and the file kept. */
void imhe_record_drop_content(struct imhe_record *r) {
  struct imhe_arena keep = r->arena;
  const char *file = r->file;
  memset(r, 0, sizeof *r);
  r->arena = keep;
  r->file = file;
  r->submitted = r->agreement_signed = r->ethics_signed = INT32_MIN;
  r->renewal_deadline = r->membership_expires = r->exam_date = INT32_MIN;
  r->exam_passed = -1;
}

/* Readies *r for a document of `file`. With `reuse`, *r is a record read before whose arena's first
 * chunk is kept (no allocation per record); its content is discarded. */
void imhe_record_init(struct imhe_record *r, const char *file, size_t arena_limit, int reuse) {
  if (reuse) /* keep the arena's first chunk: no allocation per record */
    imhe_arena_reset(&r->arena);
  else
    imhe_arena_init(&r->arena, arena_limit);
  r->file = imhe_arena_strndup(&r->arena, file, strlen(file));
  imhe_record_drop_content(r);
}

/* "work[2] (Home Visitor)": an entry as a reviewer finds it in the record. */
const struct imhe_text *imhe_entry_title(const struct imhe_record *r, int sec, uint32_t i) {
  int f = sec == IMHE_SECTION_WORK         ? WORK_TITLE
          : sec == IMHE_SECTION_TRAINING   ? TRAIN_TITLE
          : sec == IMHE_SECTION_RSC        ? RSC_PROVIDER
          : sec == IMHE_SECTION_REFERENCES ? REF_NAME
          : sec == IMHE_SECTION_LEADERSHIP ? LEAD_ROLE
                                           : -1;
  if (f >= 0 && i < r->sec[sec].n && r->sec[sec].v[i].f[f].present)
    return &r->sec[sec].v[i].f[f].v.text;
  return NULL;
}

void imhe_entry_dates(const struct imhe_record *r, int sec, uint32_t i, int32_t *start,
                      int32_t *end) {
  int fs = imhe_sections[sec].start >= 0 ? imhe_sections[sec].start : imhe_sections[sec].dated_by;
  int fe = imhe_sections[sec].end;
  *start = *end = INT32_MIN; /* IMHE_NO_DATE (bytecode/program.h, a room above) */
  if (i >= r->sec[sec].n)
    return;
  const struct imhe_entry *e = &r->sec[sec].v[i];
  if (fs >= 0 && e->f[fs].present)
    *start = e->f[fs].v.date;
  if (fe >= 0 && e->f[fe].present)
    *end = e->f[fe].v.date;
}
