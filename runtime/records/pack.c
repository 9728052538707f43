/* pack.c — the .imhepack format (docs/pack.md): typed records written field by field after the
 * schema's lists, and read back only after every byte has been checked, like bytecode. */
#include "runtime/records/pack.h"
#include "runtime/core/crc32.h"
#include "runtime/core/sbuf.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SEC_FILES, SEC_INDEX, SEC_RECORDS, SEC_NOTES, SEC__COUNT };
#define NO_TEXT 0xFFFFFFFFu
#define CANARY "\r\n\032\n" /* a text-mode copy or a DOS conversion changes it */
#define ENDIAN 0x01020304u

/* ---------- writing ---------- */

struct imhe_pack_builder {
  struct sbuf files, index, records, notes;
  uint32_t nfiles, nrecords, nnotes;
  uint32_t last_file; /* the file of the last record or note: most follow it */
  char *last_name;    /* a copy: the names given live in records that are reused */
};

static void put32(struct sbuf *b, uint32_t v) {
  char c[4] = {(char)v, (char)(v >> 8), (char)(v >> 16), (char)(v >> 24)};
  sb_put(b, c, 4);
}
static void put_f64(struct sbuf *b, double d) {
  uint64_t u;
  memcpy(&u, &d, 8);
  put32(b, (uint32_t)u);
  put32(b, (uint32_t)(u >> 32));
}
/* A text: its length (NO_TEXT for none), its bytes, a NUL so a reader can point into the pack. */
static void put_text(struct sbuf *b, const char *s, uint32_t n) {
  if (!s) {
    put32(b, NO_TEXT);
    return;
  }
  put32(b, n);
  sb_put(b, s, n);
  sb_putc(b, 0);
}
static void put_loc(struct sbuf *b, uint32_t line, uint32_t col) {
  put32(b, line);
  put32(b, col);
}

struct imhe_pack_builder *imhe_pack_builder_new(void) {
  struct imhe_pack_builder *b = calloc(1, sizeof *b);
  if (b)
    b->last_file = NO_TEXT;
  return b;
}

uint32_t imhe_pack_builder_records(const struct imhe_pack_builder *b) {
  return b->nrecords;
}

/* The index of a file's name in the files section, adding it when new. */
static uint32_t file_index(struct imhe_pack_builder *b, const char *name) {
  if (b->last_name && !strcmp(b->last_name, name))
    return b->last_file;
  uint32_t i = 0;
  size_t at = 0, len = strlen(name);
  for (; i < b->nfiles; i++) {
    uint32_t n = (uint32_t)(uint8_t)b->files.v[at] | (uint32_t)(uint8_t)b->files.v[at + 1] << 8 |
                 (uint32_t)(uint8_t)b->files.v[at + 2] << 16 |
                 (uint32_t)(uint8_t)b->files.v[at + 3] << 24;
    if (n == len && !memcmp(b->files.v + at + 4, name, len))
      break;
    at += 4 + n + 1;
  }
  if (i == b->nfiles) {
    put_text(&b->files, name, (uint32_t)len);
    b->nfiles++;
  }
  free(b->last_name);
  b->last_name = strdup(name);
  b->last_file = i;
  return i;
}

static void put_slot(struct sbuf *b, const struct imhe_field_desc *fd, const struct imhe_slot *s) {
  sb_putc(b, (char)(s->present != 0));
  if (!s->present)
    return;
  put_loc(b, s->line, s->col);
  switch (imhe_field_is_declared(fd) ? FT_CODES : fd->kind) {
  case FT_NUM:
    put_f64(b, s->v.num);
    break;
  case FT_DATE:
    put32(b, (uint32_t)s->v.date);
    break;
  case FT_BOOL:
  case FT_ENUM:
    put32(b, (uint32_t)s->v.ival);
    break;
  case FT_SET:
    put32(b, s->v.mask);
    break;
  case FT_TEXT:
    put_text(b, s->v.text.s, s->v.text.n);
    break;
  case FT_CODES:
    put32(b, s->v.codes.n);
    for (uint32_t i = 0; i < s->v.codes.n; i++) {
      put_text(b, s->v.codes.v[i].s.s, s->v.codes.v[i].s.n);
      put_loc(b, s->v.codes.v[i].line, s->v.codes.v[i].col);
    }
    break;
  }
}

static void put_msgs(struct imhe_pack_builder *b, const struct imhe_msgs *m) {
  put32(&b->records, m->n);
  for (uint32_t i = 0; i < m->n; i++) {
    put32(&b->records, file_index(b, m->v[i].file ? m->v[i].file : ""));
    put_loc(&b->records, m->v[i].line, m->v[i].col);
    put_text(&b->records, m->v[i].text, (uint32_t)strlen(m->v[i].text));
  }
}

#define TEXT(t) put_text(o, (t).s, (t).n)
void imhe_pack_add_record(struct imhe_pack_builder *b, const struct imhe_record *r) {
  struct sbuf *o = &b->records;
  put32(o, file_index(b, r->file ? r->file : ""));
  put32(o, r->line);
  put32(o, (uint32_t)r->kind);
  put32(o, r->errors.n != 0); /* so a reader can tell it from the header alone (imhe_pack_skim) */
  TEXT(r->id);
  TEXT(r->association);
  TEXT(r->coupon);
  TEXT(r->applicant_name);
  TEXT(r->applicant_email);
  TEXT(r->membership_association);
  TEXT(r->category);
  const int32_t ints[] = {r->submitted,        r->agreement_signed,   r->ethics_signed,
                          r->renewal_deadline, r->membership_expires, r->exam_date,
                          r->has_membership,   r->exam_passed,        r->rsc_attested,
                          r->name_given};
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
    put32(o, (uint32_t)ints[i]);
  const uint32_t locs[] = {r->category_line, r->category_col, r->agreement_line, r->agreement_col,
                           r->ethics_line,   r->ethics_col,   r->deadline_line,  r->deadline_col};
  for (size_t i = 0; i < sizeof locs / sizeof locs[0]; i++)
    put32(o, locs[i]);
  for (int s = 0; s < IMHE_SECTION__COUNT; s++) {
    const struct imhe_list *l = &r->sec[s];
    put32(o, l->n);
    put_loc(o, l->line, l->col);
    for (uint32_t e = 0; e < l->n; e++) {
      put_loc(o, l->v[e].line, l->v[e].col);
      for (int f = 0; f < imhe_sections[s].nfields; f++)
        put_slot(o, &imhe_sections[s].fields[f], &l->v[e].f[f]);
    }
  }
  put_msgs(b, &r->errors);
  put_msgs(b, &r->warnings);
  b->nrecords++;
  put32(&b->index, (uint32_t)o->n); /* where the record ends */
}
#undef TEXT

void imhe_pack_add_note(struct imhe_pack_builder *b, int severity, const struct imhe_msg *m) {
  put32(&b->notes, (uint32_t)severity);
  put32(&b->notes, b->nrecords);
  put32(&b->notes, file_index(b, m->file ? m->file : ""));
  put_loc(&b->notes, m->line, m->col);
  put_text(&b->notes, m->text, (uint32_t)strlen(m->text));
  b->nnotes++;
}

static void set32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

int imhe_pack_finish(struct imhe_pack_builder *b, uint8_t **out, size_t *n, char *err,
                     size_t errlen) {
  const struct sbuf *sec[SEC__COUNT] = {&b->files, &b->index, &b->records, &b->notes};
  size_t table = IMHE_PACK_HEADER + SEC__COUNT * 16, total = table;
  for (int i = 0; i < SEC__COUNT; i++)
    total += sec[i]->n;
  *out = NULL;
  *n = 0;
  if (total > 0xFFFFFFFFu) {
    snprintf(err, errlen, "the corpus needs %zu bytes, more than a pack holds (4 GiB)", total);
    imhe_pack_builder_free(b);
    return -1;
  }
  uint8_t *v = calloc(1, total);
  if (!v) { /* GCOVR_EXCL_START: out of memory */
    snprintf(err, errlen, "out of memory");
    imhe_pack_builder_free(b);
    return -1;
  } /* GCOVR_EXCL_STOP */
  memcpy(v, IMHE_PACK_MAGIC, 8);
  set32(v + 8, IMHE_PACK_VERSION);
  set32(v + 12, 0); /* flags: none defined */
  memcpy(v + 16, CANARY, 4);
  set32(v + 20, ENDIAN);
  set32(v + 24, (uint32_t)total);
  set32(v + 28, SEC__COUNT);
  set32(v + 32, b->nrecords);
  set32(v + 36, b->nnotes);
  set32(v + 40, b->nfiles);
  /* 44: checksum, below; 48..63 reserved, zero */
  size_t at = table;
  for (int i = 0; i < SEC__COUNT; i++) {
    uint8_t *t = v + IMHE_PACK_HEADER + i * 16;
    set32(t, (uint32_t)i);
    set32(t + 4, (uint32_t)at);
    set32(t + 8, (uint32_t)sec[i]->n);
    if (sec[i]->n)
      memcpy(v + at, sec[i]->v, sec[i]->n);
    at += sec[i]->n;
  }
  set32(v + 44, imhe_crc32(v, total));
  imhe_pack_builder_free(b);
  *out = v;
  *n = total;
  return 0;
}

void imhe_pack_builder_free(struct imhe_pack_builder *b) {
  if (!b)
    return;
  free(b->files.v);
  free(b->index.v);
  free(b->records.v);
  free(b->notes.v);
  free(b->last_name);
  free(b);
}

/* ---------- reading: every read is bounded; the first fault stops the reader ---------- */

struct rd {
  const uint8_t *p;
  size_t n, at;
  const char *bad; /* what was wrong, NULL while all is well */
  size_t bad_at;
};

static void fault(struct rd *d, const char *what) {
  if (!d->bad) {
    d->bad = what;
    d->bad_at = d->at;
  }
  d->at = d->n; /* every later read fails */
}

/* A value read whole but out of range: the fault is located where the value starts. */
static void fault_value(struct rd *d, const char *what, size_t at) {
  if (!d->bad) {
    fault(d, what);
    d->bad_at = at;
  }
}

static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A fault leaves nothing to read (at = n), so the bounds alone stop every read after one. */
static inline uint32_t rd32(struct rd *d) {
  if (__builtin_expect(d->n - d->at < 4, 0)) {
    fault(d, "truncated record");
    return 0;
  }
  uint32_t v = get32(d->p + d->at);
  d->at += 4;
  return v;
}

static inline uint8_t rd8(struct rd *d) {
  if (__builtin_expect(d->at >= d->n, 0)) {
    fault(d, "truncated record");
    return 0;
  }
  return d->p[d->at++];
}

/* A text: NULL for none; else its bytes in the pack, NUL-terminated, *len set. */
static const char *rd_text(struct rd *d, uint32_t *len) {
  uint32_t n = rd32(d);
  *len = 0;
  if (d->bad || n == NO_TEXT)
    return NULL;
  if (n >= d->n - d->at || d->p[d->at + n] != 0) {
    fault(d, "text length past its section or not terminated");
    return NULL;
  }
  const char *s = (const char *)d->p + d->at;
  d->at += (size_t)n + 1;
  *len = n;
  return s;
}

/* A text of the record: left in the pack, where it is NUL-terminated already (rd_text checks),
 * not copied; the pack's bytes outlive the record (pack.h). */
static void rd_text_into(struct rd *d, struct imhe_text *t) {
  uint32_t n;
  t->s = rd_text(d, &n);
  t->n = n;
}

/* The dates imhe_parse_date can produce (pack.h): constants, so reading threads share no state;
 * tests/test_pack.c checks them against the date functions. */
#define DATE_MIN IMHE_PACK_DATE_MIN
#define DATE_MAX IMHE_PACK_DATE_MAX

static int32_t rd_date(struct rd *d, int absent_ok) {
  size_t at = d->at;
  int32_t v = (int32_t)rd32(d);
  if ((absent_ok && v == INT32_MIN) || (v >= DATE_MIN && v <= DATE_MAX))
    return v;
  fault_value(d, "date out of range", at);
  return absent_ok ? INT32_MIN : DATE_MIN;
}

static int32_t rd_range(struct rd *d, int32_t lo, int32_t hi, const char *what) {
  size_t at = d->at;
  int32_t v = (int32_t)rd32(d);
  if (v < lo || v > hi) {
    fault_value(d, what, at);
    return lo;
  }
  return v;
}

/* How a field is read: the kinds of schema.h, with the enumerations each program declares read as
 * codes (kept as written: the judging program types them, as from the YAML). */
enum { HOW_NUM, HOW_DATE, HOW_BOOL, HOW_ENUM, HOW_SET, HOW_TEXT, HOW_CODES };

static void field_how(const struct imhe_field_desc *fd, struct imhe_pack_field *h) {
  h->count = 0;
  if ((fd->kind == FT_ENUM || fd->kind == FT_SET) && !imhe_field_is_declared(fd))
    imhe_enum_values((enum imhe_enum)fd->arg, &h->count);
}

/* A present field's value whose bytes are all there (rd_slot checks): read unchecked, its range
 * checked. 0 when it is a text or codes, left to the general reading. */
static inline __attribute__((always_inline)) int
rd_fixed(struct rd *d, int how, const struct imhe_pack_field *h, struct imhe_slot *s) {
  const uint8_t *q = d->p + d->at;
  uint32_t v = get32(q);
  switch (how) {
  case HOW_NUM: {
    uint64_t u = v | (uint64_t)get32(q + 4) << 32;
    memcpy(&s->v.num, &u, 8);
    d->at += 8;
    if (!isfinite(s->v.num) || s->v.num < 0 || s->v.num > 1e7) { /* as the loader allows */
      fault_value(d, "number out of range", d->at - 8);
      s->v.num = 0;
    }
    return 1;
  }
  case HOW_DATE:
    d->at += 4;
    s->v.date = (int32_t)v;
    if (s->v.date < DATE_MIN || s->v.date > DATE_MAX) {
      fault_value(d, "date out of range", d->at - 4);
      s->v.date = DATE_MIN;
    }
    return 1;
  case HOW_BOOL:
  case HOW_ENUM:
    d->at += 4;
    s->v.ival = (int32_t)v;
    if (s->v.ival < 0 || s->v.ival > (how == HOW_BOOL ? 1 : h->count - 1)) {
      fault_value(
          d, how == HOW_BOOL ? "yes/no value neither 0 nor 1" : "enumerated value out of range",
          d->at - 4);
      s->v.ival = 0;
    }
    return 1;
  case HOW_SET:
    d->at += 4;
    s->v.mask = v;
    if (h->count < 32 && v >> h->count) {
      fault_value(d, "set of values out of range", d->at - 4);
      s->v.mask = 0;
    }
    return 1;
  }
  return 0;
}

/* how is a constant at each call (rd_entry_*), so that each field's reading is its own code. */
static inline __attribute__((always_inline)) void rd_slot(struct rd *d, struct imhe_record *r,
                                                          int how, const struct imhe_pack_field *h,
                                                          struct imhe_slot *s) {
  const uint8_t *q = d->p + d->at;
  size_t left = d->n - d->at;
  if (left >= 9u + (how == HOW_NUM ? 8u : 4u) &&
      q[0] == 1) { /* present, its location and value whole */
    s->present = 1;
    s->line = get32(q + 1);
    s->col = get32(q + 5);
    d->at += 9;
    if (rd_fixed(d, how, h, s))
      return;
  } else if (left && q[0] == 0) { /* the entry's memory is not zeroed: absent is said so whole */
    memset(s, 0, sizeof *s);
    d->at++;
    return;
  } else { /* a fault, or the record's last bytes: read with every bound checked */
    uint8_t present = rd8(d);
    if (present > 1)
      fault(d, "field presence neither 0 nor 1");
    if (present != 1) {
      memset(s, 0, sizeof *s);
      return;
    }
    s->line = rd32(d);
    s->col = rd32(d);
    s->present = 1;
  }
  size_t at = d->at; /* where the value starts */
  switch (how) {
  case HOW_NUM: {
    uint64_t u = rd32(d);
    u |= (uint64_t)rd32(d) << 32;
    memcpy(&s->v.num, &u, 8);
    if (!isfinite(s->v.num) || s->v.num < 0 || s->v.num > 1e7) {
      fault_value(d, "number out of range", at);
      s->v.num = 0;
    }
    break;
  }
  case HOW_DATE:
    s->v.date = rd_date(d, 0);
    break;
  case HOW_BOOL:
    s->v.ival = rd_range(d, 0, 1, "yes/no value neither 0 nor 1");
    break;
  case HOW_ENUM:
    s->v.ival = rd_range(d, 0, h->count - 1, "enumerated value out of range");
    break;
  case HOW_SET:
    s->v.mask = rd32(d);
    if (h->count < 32 && s->v.mask >> h->count) {
      fault_value(d, "set of values out of range", at);
      s->v.mask = 0;
    }
    break;
  case HOW_TEXT:
    rd_text_into(d, &s->v.text);
    if (!s->v.text.s)
      fault(d, "a present text field without text");
    break;
  case HOW_CODES: {
    uint32_t n = rd32(d);
    if (n > (d->n - d->at) / 12) { /* each takes 12 bytes at least */
      fault(d, "code count past the record");
      n = 0;
    }
    s->v.codes.v = n ? imhe_arena_alloc(&r->arena, n * sizeof *s->v.codes.v) : NULL;
    if (n && !s->v.codes.v) { /* GCOVR_EXCL_START: out of memory */
      fault(d, "out of memory");
      return;
    } /* GCOVR_EXCL_STOP */
    s->v.codes.n = n;
    for (uint32_t i = 0; i < n; i++) {
      rd_text_into(d, &s->v.codes.v[i].s);
      s->v.codes.v[i].line = rd32(d);
      s->v.codes.v[i].col = rd32(d);
      if (!s->v.codes.v[i].s.s && !d->bad)
        fault(d, "a code without text");
    }
    break;
  }
  }
}

/* How a field of kind and enumeration arg is read, a constant: the enumerations each program
 * declares (imhe_field_is_declared) are read as codes. */
#define HOW_OF(kind, arg)                                                                          \
  (((kind) == FT_ENUM || (kind) == FT_SET) &&                                                      \
           ((int)(arg) == ENUM_CATEGORY || (int)(arg) == ENUM_CREDENTIAL ||                        \
            (int)(arg) == ENUM_ROLE || (int)(arg) == ENUM_DEGREE)                                  \
       ? HOW_CODES                                                                                 \
   : (kind) == FT_NUM  ? HOW_NUM                                                                   \
   : (kind) == FT_DATE ? HOW_DATE                                                                  \
   : (kind) == FT_BOOL ? HOW_BOOL                                                                  \
   : (kind) == FT_ENUM ? HOW_ENUM                                                                  \
   : (kind) == FT_SET  ? HOW_SET                                                                   \
   : (kind) == FT_TEXT ? HOW_TEXT                                                                  \
                       : HOW_CODES)
/* An entry of each section, its fields read in the schema's order, each by its own code. */
#define SLOT(sec, id, name, kind, arg, flags)                                                      \
  rd_slot(d, r, HOW_OF(kind, arg), &how[sec##_##id], &en->f[sec##_##id]);
#define ENTRY(sec, fields, dated, start, end)                                                      \
  static void rd_entry_##sec(struct rd *d, struct imhe_record *r,                                  \
                             const struct imhe_pack_field *how, struct imhe_entry *en) {           \
    fields(SLOT)                                                                                   \
  }
IMHE_SECTION_SCHEMA(ENTRY)
#undef ENTRY
#undef SLOT

static const char *file_name(const struct imhe_pack *p, uint32_t i, uint32_t *len) {
  *len = get32(p->files + p->file_off[i]);
  return (const char *)p->files + p->file_off[i] + 4;
}

static void rd_msgs(struct rd *d, const struct imhe_pack *p, struct imhe_record *r, uint32_t rfile,
                    struct imhe_msgs *m) {
  uint32_t n = rd32(d);
  if (n > (d->n - d->at) / 17) { /* file, line, col, text length and its NUL at least */
    fault(d, "message count past the record");
    return;
  }
  m->v = n ? imhe_arena_alloc(&r->arena, n * sizeof *m->v) : NULL;
  if (n && !m->v) { /* GCOVR_EXCL_START: out of memory */
    fault(d, "out of memory");
    return;
  } /* GCOVR_EXCL_STOP */
  m->cap = n;
  for (uint32_t i = 0; i < n && !d->bad; i++) {
    struct imhe_msg *x = &m->v[i];
    uint32_t f = rd32(d), len;
    x->line = rd32(d);
    x->col = rd32(d);
    const char *t = rd_text(d, &len);
    if (d->bad)
      break;
    if (f >= p->nfiles || !t) {
      fault(d, "message without a file or a text");
      break;
    }
    const char *name = file_name(p, f, &len);
    x->file = f == rfile ? r->file : imhe_arena_strndup(&r->arena, name, len);
    x->text = imhe_arena_strndup(&r->arena, t, strlen(t));
    m->n = i + 1;
  }
}

static void rd_record(struct rd *d, const struct imhe_pack *p, struct imhe_record *r, int reuse) {
  uint32_t f = rd32(d), len;
  if (f >= p->nfiles) {
    fault(d, "file index out of range");
    f = 0;
    imhe_record_init(r, "", 0, reuse);
  } else
    imhe_record_init(r, file_name(p, f, &len), 0, reuse);
  r->line = rd32(d);
  r->kind = (imhe_record_kind)rd_range(d, 0, IMHE_KIND__COUNT - 1, "record kind out of range");
  size_t flag_at = d->at;
  int has_errors = rd_range(d, 0, 1, "errors flag neither 0 nor 1");
  rd_text_into(d, &r->id);
  rd_text_into(d, &r->association);
  rd_text_into(d, &r->coupon);
  rd_text_into(d, &r->applicant_name);
  rd_text_into(d, &r->applicant_email);
  rd_text_into(d, &r->membership_association);
  rd_text_into(d, &r->category);
  r->submitted = rd_date(d, 1);
  r->agreement_signed = rd_date(d, 1);
  r->ethics_signed = rd_date(d, 1);
  r->renewal_deadline = rd_date(d, 1);
  r->membership_expires = rd_date(d, 1);
  r->exam_date = rd_date(d, 1);
  r->has_membership = rd_range(d, 0, 1, "membership flag neither 0 nor 1");
  r->exam_passed = rd_range(d, -1, 1, "exam result out of range");
  r->rsc_attested = rd_range(d, 0, 1, "attestation neither 0 nor 1");
  r->name_given = rd_range(d, 0, 1, "name flag neither 0 nor 1");
  uint32_t *locs[] = {&r->category_line, &r->category_col, &r->agreement_line, &r->agreement_col,
                      &r->ethics_line,   &r->ethics_col,   &r->deadline_line,  &r->deadline_col};
  for (size_t i = 0; i < sizeof locs / sizeof locs[0]; i++)
    *locs[i] = rd32(d);
  for (int s = 0; s < IMHE_SECTION__COUNT && !d->bad; s++) {
    struct imhe_list *l = &r->sec[s];
    uint32_t n = rd32(d);
    l->line = rd32(d);
    l->col = rd32(d);
    int nf = imhe_sections[s].nfields;
    if (n > (d->n - d->at) / (8 + (size_t)nf)) { /* a location and a byte per field at least */
      fault(d, "entry count past the record");
      break;
    }
    /* not zeroed: every slot of the section's fields is written below, the rest never read */
    l->v = n ? imhe_arena_alloc_raw(&r->arena, n * sizeof *l->v) : NULL;
    if (n && !l->v) { /* GCOVR_EXCL_START: out of memory */
      fault(d, "out of memory");
      break;
    } /* GCOVR_EXCL_STOP */
    l->n = n;
    for (uint32_t e = 0; e < n; e++) {
      l->v[e].line = rd32(d);
      l->v[e].col = rd32(d);
      switch (s) {
#define ENTRY(sec, fields, dated, start, end)                                                      \
  case IMHE_SECTION_##sec:                                                                         \
    rd_entry_##sec(d, r, p->how[s], &l->v[e]);                                                     \
    break;
        IMHE_SECTION_SCHEMA(ENTRY)
#undef ENTRY
      }
    }
  }
  rd_msgs(d, p, r, f, &r->errors);
  if (!d->bad && has_errors != (r->errors.n != 0))
    fault_value(d, "errors flag other than the record's errors", flag_at);
  rd_msgs(d, p, r, f, &r->warnings);
  if (!d->bad && d->at != d->n)
    fault(d, "bytes after the record's last field");
}

/* The bytes of record i: from the end of the one before to its own end. */
static void record_span(const struct imhe_pack *p, uint32_t i, size_t *from, size_t *to) {
  *from = i ? get32(p->index + 4 * (size_t)(i - 1)) : 0;
  *to = get32(p->index + 4 * (size_t)i);
}

int imhe_pack_record(const struct imhe_pack *p, uint32_t i, struct imhe_record *r, int reuse,
                     char *err, size_t errlen) {
  if (i >= p->nrecords) {
    snprintf(err, errlen, "record %u: past the last record, %u", i + 1, p->nrecords);
    return -1;
  }
  size_t from, to;
  record_span(p, i, &from, &to);
  struct rd d = {p->records + from, to - from, 0, NULL, 0};
  rd_record(&d, p, r, reuse);
  if (!d.bad)
    return 0;
  snprintf(err, errlen, "record %u: %s (offset %zu)", i + 1, d.bad,
           (size_t)(p->records - p->data) + from + d.bad_at);
  return -1;
}

int imhe_pack_skim(const struct imhe_pack *p, uint32_t i, struct imhe_pack_head *h) {
  if (i >= p->nrecords)
    return -1;
  size_t from, to;
  record_span(p, i, &from, &to);
  struct rd d = {p->records + from, to - from, 0, NULL, 0};
  uint32_t f = rd32(&d), len;
  h->line = rd32(&d);
  rd_range(&d, 0, IMHE_KIND__COUNT - 1, "record kind out of range");
  h->has_errors = rd_range(&d, 0, 1, "errors flag neither 0 nor 1");
  rd_text_into(&d, &h->id);
  rd_text_into(&d, &h->association);
  if (d.bad || f >= p->nfiles)
    return -1;
  h->file = file_name(p, f, &len);
  return 0;
}

int imhe_pack_note(const struct imhe_pack *p, uint32_t i, int *severity, uint32_t *before,
                   struct imhe_msg *m) {
  if (i >= p->nnotes)
    return -1;
  struct rd d = {p->notes, p->notes_len, 0, NULL, 0};
  for (uint32_t k = 0;; k++) { /* notes are few: a walk from the start is cheap */
    uint32_t sev = rd32(&d), bef = rd32(&d), f = rd32(&d), len;
    m->line = rd32(&d);
    m->col = rd32(&d);
    m->text = rd_text(&d, &len);
    if (d.bad)
      return -1;
    if (k == i) {
      *severity = (int)sev;
      *before = bef;
      m->file = file_name(p, f, &len);
      return 0;
    }
  }
}

int imhe_pack_is(const void *data, size_t n) {
  return n >= 8 && !memcmp(data, IMHE_PACK_MAGIC, 8);
}

#define FAIL(...)                                                                                  \
  do {                                                                                             \
    snprintf(err, errlen, __VA_ARGS__);                                                            \
    imhe_pack_close(p);                                                                            \
    return -1;                                                                                     \
  } while (0)

/* The file names: nfiles texts filling the section exactly. */
static int check_files(struct imhe_pack *p, char *err, size_t errlen) {
  size_t base = (size_t)(p->files - p->data);
  if (p->nfiles > p->files_len / 5)
    FAIL("%u file names cannot fit a section of %u bytes (offset 40)", p->nfiles, p->files_len);
  p->file_off = malloc(((size_t)p->nfiles + 1) * sizeof *p->file_off);
  if (!p->file_off)        /* GCOVR_EXCL_BR_LINE: out of memory */
    FAIL("out of memory"); /* GCOVR_EXCL_LINE: out of memory */
  struct rd d = {p->files, p->files_len, 0, NULL, 0};
  for (uint32_t i = 0; i < p->nfiles; i++) {
    p->file_off[i] = (uint32_t)d.at;
    uint32_t len;
    const char *s = rd_text(&d, &len);
    if (!d.bad && (!s || memchr(s, 0, len)))
      fault(&d, "a file name with no text or a NUL byte");
    if (d.bad)
      FAIL("file name %u: %s (offset %zu)", i + 1, d.bad, base + d.bad_at);
  }
  if (d.at != d.n)
    FAIL("bytes after the last file name (offset %zu)", base + d.at);
  return 0;
}

/* The index (each record's end, in order, the last ending the section) and every note. The
 * records themselves are checked as they are decoded, once each (imhe_pack_record): the checksum
 * has already refused any damage a disk or a copy can do, so what is left to catch there is a
 * pack made by hand, and it is refused at its first bad record. */
static int check_contents(struct imhe_pack *p, char *err, size_t errlen) {
  size_t prev = 0;
  for (uint32_t i = 0; i < p->nrecords; i++) {
    uint32_t end = get32(p->index + 4 * (size_t)i);
    if (end < prev || end > p->records_len)
      FAIL("record %u: its end %u is before its start or past the records section (offset %zu)",
           i + 1, end, (size_t)(p->index - p->data) + 4 * (size_t)i);
    prev = end;
  }
  if (prev != p->records_len)
    FAIL("bytes after the last record (offset %zu)", (size_t)(p->records - p->data) + prev);
  struct rd d = {p->notes, p->notes_len, 0, NULL, 0};
  uint32_t last = 0;
  for (uint32_t i = 0; i < p->nnotes; i++) {
    uint32_t sev = rd32(&d), before = rd32(&d), f = rd32(&d), len;
    rd32(&d);
    rd32(&d);
    const char *t = rd_text(&d, &len);
    if (!d.bad &&
        (sev > IMHE_NOTICE_IO || before < last || before > p->nrecords || f >= p->nfiles || !t))
      fault(&d, "a notice out of order or without a file or a text");
    if (d.bad)
      FAIL("notice %u: %s (offset %zu)", i + 1, d.bad, (size_t)(p->notes - p->data) + d.bad_at);
    last = before;
  }
  if (d.at != d.n)
    FAIL("bytes after the last notice (offset %zu)", (size_t)(p->notes - p->data) + d.at);
  return 0;
}

int imhe_pack_open(struct imhe_pack *p, const uint8_t *data, size_t n, int check_sum, char *err,
                   size_t errlen) {
  memset(p, 0, sizeof *p);
  size_t table = IMHE_PACK_HEADER + SEC__COUNT * 16;
  if (n < 8 || memcmp(data, IMHE_PACK_MAGIC, 8))
    FAIL("not a pack: no IMHEPACK magic (offset 0)");
  if (n < table)
    FAIL("truncated: %zu bytes, the header and section table need %zu", n, table);
  if (get32(data + 8) != IMHE_PACK_VERSION)
    FAIL("pack format version %u, this imhe reads version %d (offset 8)", get32(data + 8),
         IMHE_PACK_VERSION);
  if (get32(data + 12) != 0)
    FAIL("unknown flags 0x%x (offset 12)", get32(data + 12));
  if (memcmp(data + 16, CANARY, 4))
    FAIL("line-ending canary altered: the file was copied as text (offset 16)");
  if (get32(data + 20) != ENDIAN)
    FAIL("byte-order sentinel wrong (offset 20)");
  if (get32(data + 24) != n)
    FAIL("size mismatch: the header says %u bytes, the file has %zu (truncated or extended)",
         get32(data + 24), n);
  if (get32(data + 28) != SEC__COUNT)
    FAIL("%u sections, a version %d pack has %d (offset 28)", get32(data + 28), IMHE_PACK_VERSION,
         SEC__COUNT);
  for (size_t i = 48; i < IMHE_PACK_HEADER; i++)
    if (data[i])
      FAIL("reserved header byte not zero (offset %zu)", i);
  if (check_sum) {
    /* the checksum covers the file with its own field zeroed: three spans, no copy */
    const uint8_t zero[4] = {0, 0, 0, 0};
    uint32_t crc =
        imhe_crc32_more(imhe_crc32_more(imhe_crc32(data, 44), zero, 4), data + 48, n - 48);
    if (crc != get32(data + 44))
      FAIL("checksum mismatch (offset 44): the file is damaged");
  }
  p->data = data;
  p->n = n;
  for (int s = 0; s < IMHE_SECTION__COUNT; s++)
    for (int f = 0; f < imhe_sections[s].nfields; f++)
      field_how(&imhe_sections[s].fields[f], &p->how[s][f]);
  p->nrecords = get32(data + 32);
  p->nnotes = get32(data + 36);
  p->nfiles = get32(data + 40);
  const uint8_t **where[SEC__COUNT] = {&p->files, &p->index, &p->records, &p->notes};
  uint32_t lens[SEC__COUNT];
  size_t at = table;
  for (int i = 0; i < SEC__COUNT; i++) { /* in order, back to back, the last ending the file */
    const uint8_t *t = data + IMHE_PACK_HEADER + i * 16;
    if (get32(t) != (uint32_t)i || get32(t + 4) != at || get32(t + 12) != 0)
      FAIL("section %d: kind, offset or reserved word wrong (offset %d)", i + 1,
           IMHE_PACK_HEADER + i * 16);
    lens[i] = get32(t + 8);
    if (lens[i] > n - at)
      FAIL("section %d: %u bytes at offset %zu run past the end of the file", i + 1, lens[i], at);
    *where[i] = data + at;
    at += lens[i];
  }
  if (at != n)
    FAIL("bytes after the last section (offset %zu)", at);
  p->files_len = lens[SEC_FILES];
  p->records_len = lens[SEC_RECORDS];
  p->notes_len = lens[SEC_NOTES];
  if (lens[SEC_INDEX] / 4 != p->nrecords || lens[SEC_INDEX] % 4)
    FAIL("the index holds %u bytes for %u records (offset 32)", lens[SEC_INDEX], p->nrecords);
  if (p->nnotes > p->notes_len / 25)
    FAIL("%u notices cannot fit a section of %u bytes (offset 36)", p->nnotes, p->notes_len);
  if (check_files(p, err, errlen) != 0 || check_contents(p, err, errlen) != 0)
    return -1;
  return 0;
}

void imhe_pack_close(struct imhe_pack *p) {
  free(p->file_off);
  p->file_off = NULL;
}
