/* pack.c — the .imhepack format (docs/pack.md): typed records written field by field after the
 * schema's lists, and read back only after every byte has been checked, like bytecode. */
#include "runtime/records/pack.h"
#include "runtime/core/crc32.h"
#include "runtime/core/sbuf.h"
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The dates imhe_parse_date can produce (pack.h): constants, so reading threads share no state;
 * tests/test_pack.c checks them against the date functions. */
#define DATE_MIN IMHE_PACK_DATE_MIN
#define DATE_MAX IMHE_PACK_DATE_MAX
enum { SEC_FILES, SEC_INDEX, SEC_RECORDS, SEC_NOTES, SEC_TEXTS, SEC__COUNT };
#define NO_TEXT 0xFFFFFFFFu
#define CANARY "\r\n\032\n" /* a text-mode copy or a DOS conversion changes it */
#define ENDIAN 0x01020304u

/* ---------- writing ---------- */

/* The parts of a record being written, kept by the builder so no record allocates. */
struct rec_parts {
  struct sbuf head, ent, codes, msgs;
  uint32_t ncodes, code_line; /* codes written, the last one's line */
};

struct imhe_pack_builder {
  struct sbuf files, index, records, notes;
  uint32_t nfiles, nrecords, nnotes;
  uint32_t last_file;     /* the file of the last record or note: most follow it */
  struct rec_parts parts; /* the record being written */
  struct sbuf texts;      /* every record's texts, each once (SEC_TEXTS) */
  uint32_t *text_slot;    /* open addressing: number + 1 of a text in texts, 0 for a free slot */
  uint32_t text_cap, text_n;
  uint32_t *text_off; /* each text's offset in texts, by its number (text_n of them) */
  int failed;         /* out of memory or past 4 GiB of texts */
  char *last_name;    /* a copy: the names given live in records that are reused */
  /* The ids of the records without errors, each once: an id's text is stored once, so its offset
   * names it; each slot holds that offset + 1 (0 for a free slot) and the first record with it. */
  struct id_first {
    uint32_t key, rec;
  } * ids;
  uint32_t id_cap, id_n;
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
/* A file's name or a notice's text (always some text, perhaps empty): its length, its bytes, a
 * NUL so a reader can point into the pack. */
static void put_text(struct sbuf *b, const char *s, uint32_t n) {
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

/* ---------- a record's layout (docs/pack.md, version 12) ----------
 * A head of fixed places and the parts present; each section's entries, each its location (after
 * the entry's before, or its section's), a mask of the fields present and then only the fields
 * present, in order, each in as few bytes as its value allows (a location one byte after the field
 * before it where it can, a date in three bytes, a number of hundredths in two when exact); the
 * codes of every codes field, in order; the errors and warnings. Texts are named by their number
 * in the pack's texts section. A reader walks the parts in order, each checked to end within its
 * part once read. */
enum {
  H_FILE = 0,
  H_LINE = 4,
  H_KIND = 8,        /* a byte */
  H_HAS_ERRORS = 9,  /* a byte */
  H_FLAGS = 10,      /* a byte: membership, attestation, name given, exam (FL_*) */
  H_SECTIONS = 11,   /* a byte: the sections the head gives a count and a location */
  H_PARTS = 12,      /* u16: the head's other parts present (PART_*) */
  H_HEAD_BYTES = 14, /* u16: bytes of the head, its parts included */
  H_ID = 16,         /* the id's text (its number), then */
  H_ASSOC = 20,      /* the association's */
  H_ENTRIES = 24,    /* bytes of every section's entries */
  H_NCODES = 28,     /* codes in the record's list */
  H_NERRORS = 32,    /* errors, then */
  H_NWARNINGS = 36,  /* warnings */
  HEAD_FIXED = 40,   /* bytes of the head at fixed places; its parts follow */
  MSG_BYTES = 16,    /* a message: file index, line, column, its text's number */
  ESC = 0xFF,        /* a byte saying the value follows in full */
  NEXT_LINE = 0xC0,  /* a field's location from here: the line after the field's before */
  /* The most an entry can take: location, mask, and every field at its widest (a location
   * escaped, 1 + 9; a number as a double, 10), more than a code can (5 + 9). */
  ENTRY_MAX = 9 + 2 + IMHE_MAX_FIELDS * (1 + 9 + 10)
};
/* The head's parts after its fixed places, each there only when its bit of H_PARTS is set: five
 * texts (a number, small), six dates (three bytes), four locations (near the
 * record's line); then each section of H_SECTIONS, its count (small) and location (near). */
enum { PART_TEXTS = 0, PART_DATES = 5, PART_LOCS = 11, PART__END = 15 };
enum { FL_MEMBERSHIP = 1, FL_ATTESTED = 2, FL_NAME = 4, FL_EXAM_SHIFT = 3, FL__ALL = 31 };
#define HEAD_MAX (HEAD_FIXED + 5 * 5 + 6 * 3 + 4 * 9 + IMHE_SECTION__COUNT * (5 + 9))
/* The most bytes a part of a record is read over with no bound of its own, an entry or a head: so
 * many bytes after a record let its parts be read so (imhe_pack_record). */
#define READ_MAX (HEAD_MAX > ENTRY_MAX ? HEAD_MAX : ENTRY_MAX)
_Static_assert(IMHE_SECTION__COUNT <= 8, "the head's sections are a byte's bits");

/* The head's texts that are its parts (PART_TEXTS on), in order; the id and the association are
 * at fixed places (H_ID, H_ASSOC), so the head alone says which policy judges a record. */
static const size_t head_texts[] = {
    offsetof(struct imhe_record, coupon), offsetof(struct imhe_record, applicant_name),
    offsetof(struct imhe_record, applicant_email),
    offsetof(struct imhe_record, membership_association), offsetof(struct imhe_record, category)};
#define NHEAD_TEXTS (sizeof head_texts / sizeof head_texts[0])
_Static_assert(PART_TEXTS + NHEAD_TEXTS == PART_DATES, "the head's texts come before its dates");
/* Its dates and its locations (each a line, its column following), in order. */
static const size_t head_dates[] = {offsetof(struct imhe_record, submitted),
                                    offsetof(struct imhe_record, agreement_signed),
                                    offsetof(struct imhe_record, ethics_signed),
                                    offsetof(struct imhe_record, renewal_deadline),
                                    offsetof(struct imhe_record, membership_expires),
                                    offsetof(struct imhe_record, exam_date)};
static const size_t head_locs[] = {
    offsetof(struct imhe_record, category_line), offsetof(struct imhe_record, agreement_line),
    offsetof(struct imhe_record, ethics_line), offsetof(struct imhe_record, deadline_line)};
_Static_assert(PART_DATES + 6 == PART_LOCS && PART_LOCS + 4 == PART__END, "the head's parts");
_Static_assert(offsetof(struct imhe_record, category_col) ==
                       offsetof(struct imhe_record, category_line) + 4 &&
                   offsetof(struct imhe_record, agreement_col) ==
                       offsetof(struct imhe_record, agreement_line) + 4 &&
                   offsetof(struct imhe_record, ethics_col) ==
                       offsetof(struct imhe_record, ethics_line) + 4 &&
                   offsetof(struct imhe_record, deadline_col) ==
                       offsetof(struct imhe_record, deadline_line) + 4,
               "a head location's column follows its line");

/* How a field is read: the kinds of schema.h, with the enumerations each program declares read as
 * codes (kept as written: the judging program types them, as from the YAML). */
enum { HOW_NUM, HOW_DATE, HOW_BOOL, HOW_ENUM, HOW_SET, HOW_TEXT, HOW_CODES };
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
_Static_assert(IMHE_MAX_FIELDS <= 16, "an entry's presence mask is 16 bits");

static void set32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32le(const char *p) {
  const uint8_t *u = (const uint8_t *)p;
  return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

static uint32_t text_hash(const char *s, uint32_t n) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (uint32_t i = 0; i < n; i++)
    h = (h ^ (uint8_t)s[i]) * 16777619u;
  return h;
}

/* The number of a text in the texts section (its place in order), added when new: the same words
 * recur in every record (a training's title, a provider, a competency code), so each is stored
 * once and named by a number, small for the words that recur since they come first. NO_TEXT when
 * memory runs out (the pack is then refused as too large by imhe_pack_finish). */
static uint32_t text_at(struct imhe_pack_builder *b, const char *s, uint32_t n) {
  if (b->text_n * 2 >= b->text_cap) { /* kept at most half full */
    uint32_t cap = b->text_cap ? b->text_cap * 2 : 1024;
    uint32_t *t = calloc(cap, sizeof *t), *off = realloc(b->text_off, cap / 2 * sizeof *off);
    if (off)
      b->text_off = off;
    if (!t || !off) { /* GCOVR_EXCL_START: out of memory */
      free(t);
      b->failed = 1;
      return NO_TEXT;
    } /* GCOVR_EXCL_STOP */
    for (uint32_t i = 0; i < b->text_cap; i++)
      if (b->text_slot[i]) {
        uint32_t at = b->text_off[b->text_slot[i] - 1], len = get32le(b->texts.v + at - 4);
        uint32_t k = text_hash(b->texts.v + at, len) & (cap - 1);
        while (t[k])
          k = (k + 1) & (cap - 1);
        t[k] = b->text_slot[i];
      }
    free(b->text_slot);
    b->text_slot = t;
    b->text_cap = cap;
  }
  uint32_t k = text_hash(s, n) & (b->text_cap - 1);
  for (; b->text_slot[k]; k = (k + 1) & (b->text_cap - 1)) {
    uint32_t at = b->text_off[b->text_slot[k] - 1];
    if (get32le(b->texts.v + at - 4) == n && !memcmp(b->texts.v + at, s, n))
      return b->text_slot[k] - 1;
  }
  if (b->texts.n + 4 + (size_t)n + 1 >= 0xFFFFFFFFu) { /* past what a pack holds */
    b->failed = 1;
    return NO_TEXT;
  }
  put32(&b->texts, n);
  uint32_t at = (uint32_t)b->texts.n;
  sb_put(&b->texts, s, n);
  sb_putc(&b->texts, 0);
  b->text_off[b->text_n] = at;
  b->text_slot[k] = ++b->text_n;
  return b->text_n - 1;
}

/* A text's number, written at o (NO_TEXT for none). */
static void text_ref(struct imhe_pack_builder *b, uint8_t *o, const char *s, uint32_t n) {
  set32(o, s ? text_at(b, s, n) : NO_TEXT);
}
static void put_text_ref(struct imhe_pack_builder *b, struct sbuf *out, const char *s, uint32_t n) {
  uint8_t o[4];
  text_ref(b, o, s, n);
  sb_put(out, (const char *)o, 4);
}

static void put_byte(struct sbuf *b, uint32_t v) {
  sb_putc(b, (char)(uint8_t)v);
}
/* A count or a length: a byte under ESC, else ESC and the value in full. */
static void put_small(struct sbuf *b, uint32_t v) {
  put_byte(b, v < ESC ? v : ESC);
  if (v >= ESC)
    put32(b, v);
}
/* A location after a line base: its line as a byte past base and its column as a byte, or ESC
 * and both in full. */
static void put_near(struct sbuf *b, uint32_t base, uint32_t line, uint32_t col) {
  if (line >= base && line - base < ESC && col <= 0xFF) {
    put_byte(b, line - base);
    put_byte(b, col);
    return;
  }
  put_byte(b, ESC);
  put_loc(b, line, col);
}
/* A number in hundredths when that is exact (the decoded value bit for bit), else in full. */
static void put_num(struct sbuf *b, double d) {
  double k = nearbyint(d * 100);
  if (k >= 0 && k < 0xFFFF) {
    double back = (double)(uint32_t)k / 100;
    if (!memcmp(&back, &d, sizeof d)) {
      put_byte(b, (uint32_t)k);
      put_byte(b, (uint32_t)k >> 8);
      return;
    }
  }
  put_byte(b, ESC);
  put_byte(b, ESC);
  put_f64(b, d);
}

/* A field's location after the field's before it in its entry (prev, its line and column; the
 * entry's own for the first): one byte, under NEXT_LINE the columns it moved right on the same
 * line (a flow mapping's values), from NEXT_LINE the next line at a column NEXT_LINE less past the
 * entry's (a block mapping's); else ESC and the location near the entry's line (put_near). */
static void put_field_loc(struct sbuf *b, uint32_t eline, uint32_t ecol, uint32_t prev[2],
                          uint32_t line, uint32_t col) {
  if (line == prev[0] && col >= prev[1] && col - prev[1] < NEXT_LINE)
    put_byte(b, col - prev[1]);
  else if (line == prev[0] + 1 && col >= ecol && col - ecol < ESC - NEXT_LINE)
    put_byte(b, NEXT_LINE + col - ecol);
  else {
    put_byte(b, ESC);
    put_near(b, eline, line, col);
  }
  prev[0] = line;
  prev[1] = col;
}

/* A field present, after its entry's line and the field before it: its location and its value. */
static void put_field(struct imhe_pack_builder *pb, int how, const struct imhe_entry *en,
                      uint32_t prev[2], const struct imhe_slot *s) {
  struct rec_parts *w = &pb->parts;
  struct sbuf *b = &w->ent;
  put_field_loc(b, en->line, en->col, prev, s->line, s->col);
  switch (how) {
  case HOW_NUM:
    put_num(b, s->v.num);
    break;
  case HOW_DATE: { /* the loader's dates fit three bytes past the first */
    uint32_t v = (uint32_t)(s->v.date - DATE_MIN);
    put_byte(b, v);
    put_byte(b, v >> 8);
    put_byte(b, v >> 16);
    break;
  }
  case HOW_BOOL:
  case HOW_ENUM:
    put_byte(b, (uint32_t)s->v.ival);
    break;
  case HOW_SET:
    put32(b, s->v.mask);
    break;
  case HOW_TEXT:
    put_small(b, text_at(pb, s->v.text.s, s->v.text.n));
    break;
  case HOW_CODES: /* the next codes in the record's list are its own */
    put_small(b, s->v.codes.n);
    for (uint32_t i = 0; i < s->v.codes.n; i++) {
      const struct imhe_comp_code *c = &s->v.codes.v[i];
      put_small(&w->codes, text_at(pb, c->s.s, c->s.n));
      put_near(&w->codes, w->code_line, c->line, c->col);
      w->code_line = c->line;
      w->ncodes++;
    }
    break;
  }
}

/* 1 + the first record of the pack with the id whose text is at off, or 0 after noting record
 * rec as the first (the index's second word, docs/pack.md): a source reading one pack then needs
 * no index of its own. Memory running out fails the pack (imhe_pack_finish). */
static uint32_t id_repeats(struct imhe_pack_builder *b, uint32_t off, uint32_t rec) {
  if (b->id_n * 2 >= b->id_cap) { /* kept at most half full */
    uint32_t cap = b->id_cap ? b->id_cap * 2 : 1024;
    struct id_first *t = calloc(cap, sizeof *t);
    if (!t) { /* GCOVR_EXCL_START: out of memory */
      b->failed = 1;
      return 0;
    } /* GCOVR_EXCL_STOP */
    for (uint32_t i = 0; i < b->id_cap; i++)
      if (b->ids[i].key) {
        uint32_t k = (b->ids[i].key * 2654435761u) & (cap - 1);
        while (t[k].key)
          k = (k + 1) & (cap - 1);
        t[k] = b->ids[i];
      }
    free(b->ids);
    b->ids = t;
    b->id_cap = cap;
  }
  uint32_t key = off + 1, k = (key * 2654435761u) & (b->id_cap - 1);
  for (; b->ids[k].key; k = (k + 1) & (b->id_cap - 1))
    if (b->ids[k].key == key)
      return b->ids[k].rec + 1;
  b->ids[k] = (struct id_first){key, rec};
  b->id_n++;
  return 0;
}

static void put_msgs(struct imhe_pack_builder *b, const struct imhe_msgs *m) {
  for (uint32_t i = 0; i < m->n; i++) {
    put32(&b->parts.msgs, file_index(b, m->v[i].file ? m->v[i].file : ""));
    put_loc(&b->parts.msgs, m->v[i].line, m->v[i].col);
    put_text_ref(b, &b->parts.msgs, m->v[i].text, (uint32_t)strlen(m->v[i].text));
  }
}

#define HOW_FIELD(sec, id, name, kind, arg, flags) HOW_OF(kind, arg),
#define HOWS(sec, fields, dated, start, end) {fields(HOW_FIELD)},
/* How each field of each section is read. */
static const int8_t field_how_of[IMHE_SECTION__COUNT][IMHE_MAX_FIELDS] = {
    IMHE_SECTION_SCHEMA(HOWS)};
#undef HOWS
#undef HOW_FIELD

/* The head's parts after its fixed places (docs/pack.md), into w->head; the mask of those
 * present in *parts, of the sections given in *secs. */
static void put_head_parts(struct imhe_pack_builder *b, const struct imhe_record *r,
                           uint32_t *parts, uint32_t *secs) {
  struct sbuf *o = &b->parts.head;
  *parts = *secs = 0;
  for (size_t i = 0; i < NHEAD_TEXTS; i++) {
    const struct imhe_text *t = (const struct imhe_text *)((const char *)r + head_texts[i]);
    if (!t->s)
      continue;
    *parts |= 1u << (PART_TEXTS + i);
    put_small(o, text_at(b, t->s, t->n));
  }
  for (size_t i = 0; i < sizeof head_dates / sizeof head_dates[0]; i++) {
    int32_t v;
    memcpy(&v, (const char *)r + head_dates[i], sizeof v);
    if (v == INT32_MIN)
      continue;
    *parts |= 1u << (PART_DATES + i); /* the loader's dates fit three bytes past the first */
    uint32_t k = (uint32_t)(v - DATE_MIN);
    put_byte(o, k);
    put_byte(o, k >> 8);
    put_byte(o, k >> 16);
  }
  for (size_t i = 0; i < sizeof head_locs / sizeof head_locs[0]; i++) {
    uint32_t loc[2];
    memcpy(loc, (const char *)r + head_locs[i], sizeof loc);
    if (!loc[0] && !loc[1])
      continue;
    *parts |= 1u << (PART_LOCS + i);
    put_near(o, r->line, loc[0], loc[1]);
  }
  for (int s = 0; s < IMHE_SECTION__COUNT; s++) {
    const struct imhe_list *l = &r->sec[s];
    if (!l->n && !l->line && !l->col)
      continue;
    *secs |= 1u << s;
    put_small(o, l->n);
    put_near(o, r->line, l->line, l->col);
  }
}

void imhe_pack_add_record(struct imhe_pack_builder *b, const struct imhe_record *r) {
  struct rec_parts *w = &b->parts;
  w->head.n = w->ent.n = w->codes.n = w->msgs.n = 0;
  w->ncodes = w->code_line = 0;
  uint8_t h[HEAD_FIXED] = {0};
  set32(h + H_FILE, file_index(b, r->file ? r->file : ""));
  set32(h + H_LINE, r->line);
  h[H_KIND] = (uint8_t)r->kind;
  h[H_HAS_ERRORS] = r->errors.n != 0; /* so a reader can tell it from the head alone */
  h[H_FLAGS] =
      (uint8_t)((r->has_membership ? FL_MEMBERSHIP : 0) | (r->rsc_attested ? FL_ATTESTED : 0) |
                (r->name_given ? FL_NAME : 0) | (uint32_t)(r->exam_passed + 1) << FL_EXAM_SHIFT);
  text_ref(b, h + H_ID, r->id.s, r->id.n);
  text_ref(b, h + H_ASSOC, r->association.s, r->association.n);
  uint32_t parts, secs;
  put_head_parts(b, r, &parts, &secs);
  h[H_SECTIONS] = (uint8_t)secs;
  h[H_PARTS] = (uint8_t)parts;
  h[H_PARTS + 1] = (uint8_t)(parts >> 8);
  h[H_HEAD_BYTES] = (uint8_t)(HEAD_FIXED + w->head.n);
  h[H_HEAD_BYTES + 1] = (uint8_t)((HEAD_FIXED + w->head.n) >> 8);
  for (int s = 0; s < IMHE_SECTION__COUNT; s++) {
    const struct imhe_list *l = &r->sec[s];
    for (uint32_t e = 0; e < l->n; e++) {
      uint32_t mask = 0;
      for (int f = 0; f < imhe_sections[s].nfields; f++)
        mask |= (uint32_t)(l->v[e].f[f].present != 0) << f;
      put_near(&w->ent, e ? l->v[e - 1].line : l->line, l->v[e].line, l->v[e].col);
      put_byte(&w->ent, mask);
      put_byte(&w->ent, mask >> 8);
      uint32_t prev[2] = {l->v[e].line, l->v[e].col};
      for (int f = 0; f < imhe_sections[s].nfields; f++)
        if (l->v[e].f[f].present)
          put_field(b, field_how_of[s][f], &l->v[e], prev, &l->v[e].f[f]);
    }
  }
  put_msgs(b, &r->errors);
  put_msgs(b, &r->warnings);
  set32(h + H_NCODES, w->ncodes);
  set32(h + H_ENTRIES, (uint32_t)w->ent.n);
  set32(h + H_NERRORS, r->errors.n);
  set32(h + H_NWARNINGS, r->warnings.n);
  struct sbuf *o = &b->records;
  sb_put(o, (const char *)h, HEAD_FIXED);
  sb_put(o, w->head.v, w->head.n);
  sb_put(o, w->ent.v, w->ent.n);
  sb_put(o, w->codes.v, w->codes.n);
  sb_put(o, w->msgs.v, w->msgs.n);
  uint32_t off = get32le((const char *)h + H_ID), repeats = 0;
  if (r->id.s && !r->errors.n && off != NO_TEXT) /* as the source notes ids (api/source.c) */
    repeats = id_repeats(b, off, b->nrecords);
  b->nrecords++;
  put32(&b->index, (uint32_t)o->n); /* where the record ends */
  put32(&b->index, repeats);
}

void imhe_pack_add_note(struct imhe_pack_builder *b, int severity, const struct imhe_msg *m) {
  put32(&b->notes, (uint32_t)severity);
  put32(&b->notes, b->nrecords);
  put32(&b->notes, file_index(b, m->file ? m->file : ""));
  put_loc(&b->notes, m->line, m->col);
  put_text(&b->notes, m->text, (uint32_t)strlen(m->text));
  b->nnotes++;
}

int imhe_pack_finish(struct imhe_pack_builder *b, uint8_t **out, size_t *n, char *err,
                     size_t errlen) {
  const struct sbuf *sec[SEC__COUNT] = {&b->files, &b->index, &b->records, &b->notes, &b->texts};
  size_t table = IMHE_PACK_HEADER + SEC__COUNT * 16, total = table;
  for (int i = 0; i < SEC__COUNT; i++)
    total += sec[i]->n;
  *out = NULL;
  *n = 0;
  if (total > 0xFFFFFFFFu || b->failed) {
    snprintf(err, errlen, "the corpus needs %s bytes, more than a pack holds (4 GiB)",
             b->failed ? "more texts than 4 GiB or more memory than there is: too many"
                       : "too many");
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
  free(b->parts.head.v);
  free(b->parts.ent.v);
  free(b->parts.codes.v);
  free(b->parts.msgs.v);
  free(b->texts.v);
  free(b->text_slot);
  free(b->text_off);
  free(b->last_name);
  free(b->ids);
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

static void field_how(const struct imhe_field_desc *fd, struct imhe_pack_field *h) {
  h->count = 0;
  if ((fd->kind == FT_ENUM || fd->kind == FT_SET) && !imhe_field_is_declared(fd))
    imhe_enum_values((enum imhe_enum)fd->arg, &h->count);
}

static const char *file_name(const struct imhe_pack *p, uint32_t i, uint32_t *len) {
  *len = get32(p->files + p->file_off[i]);
  return (const char *)p->files + p->file_off[i] + 4;
}

/* A record being decoded: its bytes, where its parts start (laid out from its counts, checked
 * before any is read) and the first fault, located in the record. */
struct dec {
  const uint8_t *p; /* the record */
  size_t n;
  const struct imhe_text *tb;          /* the pack's texts, by number (checked on opening) */
  size_t tlen;                         /* how many */
  const uint8_t *ents;                 /* the record's entries, after its head */
  const uint8_t *ents_end;             /* their end */
  uint32_t sec_n[IMHE_SECTION__COUNT]; /* each section's count of entries, from the head */
  const uint8_t *codes, *codes_end;    /* its list of codes */
  uint32_t ncodes, code_next;
  struct imhe_comp_code *cv; /* the codes decoded, in the record's arena */
  const char *bad;           /* what was wrong, NULL while all is well */
  size_t bad_at;
};

static void dfault(struct dec *d, const char *what, const uint8_t *at) {
  if (!d->bad) {
    d->bad = what;
    d->bad_at = (size_t)(at - d->p);
  }
}

static inline uint64_t get64(const uint8_t *p) {
  return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* Text number k (named at q): NULL for none; else the pack's text of that number from the table tb
 * of tlen (passed by value so the reading of an entry keeps them in registers), each checked on
 * opening to be NUL-terminated inside the texts section; not copied: the pack's bytes outlive the
 * record (pack.h). */
static inline __attribute__((always_inline)) void rd_txt_of(struct dec *d,
                                                            const struct imhe_text *tb, size_t tlen,
                                                            uint32_t k, const uint8_t *q,
                                                            struct imhe_text *t) {
  if (__builtin_expect(k < tlen, 1)) {
    *t = tb[k];
    return;
  }
  t->s = NULL;
  t->n = 0;
  if (k != NO_TEXT)
    dfault(d, "text number past the pack's texts", q);
}
/* The text whose number is at q (the head's fixed texts and the messages'). */
static inline __attribute__((always_inline)) void rd_txt(struct dec *d, const uint8_t *q,
                                                         struct imhe_text *t) {
  rd_txt_of(d, d->tb, d->tlen, get32(q), q, t);
}

/* A line and column from the location at q into the struct at base, whose column follows its
 * line at offset at: one copy of both where the host's order is the pack's. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define RD_LOC(base, type, line, col, q) memcpy((char *)(base) + offsetof(type, line), (q), 8)
#else
#define RD_LOC(base, type, line, col, q) ((base)->line = get32(q), (base)->col = get32((q) + 4))
#endif
_Static_assert(offsetof(struct imhe_slot, col) == offsetof(struct imhe_slot, line) + 4,
               "a slot's column follows its line");
_Static_assert(offsetof(struct imhe_entry, col) == offsetof(struct imhe_entry, line) + 4,
               "an entry's column follows its line");
_Static_assert(offsetof(struct imhe_comp_code, col) == offsetof(struct imhe_comp_code, line) + 4,
               "a code's column follows its line");
_Static_assert(offsetof(struct imhe_list, col) == offsetof(struct imhe_list, line) + 4,
               "a section's column follows its line");

/* A location after line base (put_near): two bytes, or ESC and both in full. Where it ends. */
#define RD_NEAR(base, type, line_, col_, q, base_line)                                             \
  do {                                                                                             \
    if (__builtin_expect((q)[0] != ESC, 1)) {                                                      \
      (base)->line_ = (base_line) + (q)[0];                                                        \
      (base)->col_ = (q)[1];                                                                       \
      (q) += 2;                                                                                    \
    } else {                                                                                       \
      RD_LOC(base, type, line_, col_, (q) + 1);                                                    \
      (q) += 9;                                                                                    \
    }                                                                                              \
  } while (0)

/* A count or a length (put_small) at q; q moved past it. */
static inline __attribute__((always_inline)) uint32_t rd_small(const uint8_t **q) {
  const uint8_t *p = *q;
  if (__builtin_expect(p[0] != ESC, 1)) {
    *q = p + 1;
    return p[0];
  }
  *q = p + 5;
  return get32(p + 1);
}

/* A field at q, present or not, how a constant at each call (rd_entry_*), so that each field's
 * reading is its own code; its range checked as the loader would have allowed it. Where it ends. */
static inline __attribute__((always_inline)) const uint8_t *
rd_field(struct dec *d, const struct imhe_text *tb, size_t tlen, int how, int32_t count,
         const uint8_t *q, uint32_t eline, uint32_t ecol, uint32_t *pline, uint32_t *pcol,
         int present, struct imhe_slot *s) {
  if (!present) { /* the entry's memory is not zeroed: absent is said so whole */
    memset(s, 0, sizeof *s);
    return q;
  }
  s->present = 1;
  if (__builtin_expect(q[0] < NEXT_LINE, 1)) { /* put_field_loc */
    s->line = *pline;
    s->col = *pcol + q[0];
    q++;
  } else if (q[0] != ESC) {
    s->line = *pline + 1;
    s->col = ecol + (uint32_t)(q[0] - NEXT_LINE);
    q++;
  } else {
    q++;
    RD_NEAR(s, struct imhe_slot, line, col, q, eline);
  }
  *pline = s->line;
  *pcol = s->col;
  const uint8_t *v = q;
  switch (how) {
  case HOW_NUM: {
    uint32_t k = (uint32_t)v[0] | (uint32_t)v[1] << 8;
    if (__builtin_expect(k != 0xFFFF, 1)) { /* hundredths, exact (put_num) */
      s->v.num = (double)k / 100;
      return q + 2;
    }
    uint64_t u = get64(v + 2);
    memcpy(&s->v.num, &u, 8);
    if (__builtin_expect(!(s->v.num >= 0 && s->v.num <= 1e7), 0)) { /* NaN fails too */
      dfault(d, "number out of range", v);
      s->v.num = 0;
    }
    return q + 10;
  }
  case HOW_DATE: {
    uint32_t k = (uint32_t)v[0] | (uint32_t)v[1] << 8 | (uint32_t)v[2] << 16;
    s->v.date = (int32_t)k + DATE_MIN;
    if (__builtin_expect(k > (uint32_t)(DATE_MAX - DATE_MIN), 0)) {
      dfault(d, "date out of range", v);
      s->v.date = DATE_MIN;
    }
    return q + 3;
  }
  case HOW_BOOL:
  case HOW_ENUM:
    s->v.ival = v[0];
    if (__builtin_expect((uint32_t)s->v.ival > (how == HOW_BOOL ? 1u : (uint32_t)count - 1), 0)) {
      dfault(d, how == HOW_BOOL ? "yes/no value neither 0 nor 1" : "enumerated value out of range",
             v);
      s->v.ival = 0;
    }
    return q + 1;
  case HOW_SET:
    s->v.mask = get32(v);
    if (__builtin_expect(count < 32 && s->v.mask >> count, 0)) {
      dfault(d, "set of values out of range", v);
      s->v.mask = 0;
    }
    return q + 4;
  case HOW_TEXT: {
    rd_txt_of(d, tb, tlen, rd_small(&q), v, &s->v.text);
    if (__builtin_expect(!s->v.text.s, 0))
      dfault(d, "a present text field without text", v);
    return q;
  }
  default: { /* HOW_CODES: the next n of the record's list, so each code belongs to one field */
    uint32_t n = rd_small(&q);
    if (__builtin_expect(n > d->ncodes - d->code_next, 0)) {
      dfault(d, "codes out of the record's list or out of order", v);
      n = 0;
    }
    s->v.codes.v = n ? d->cv + d->code_next : NULL;
    s->v.codes.n = n;
    d->code_next += n;
    return q;
  }
  }
}

/* An entry of each section after its head: the fields present, in order, each read by its own
 * code. Where it ends. */
#define FIELD(sec, id, name, kind, arg, flags)                                                     \
  q = rd_field(d, tb, tlen, HOW_OF(kind, arg), how[sec##_##id].count, q, eline, en->col, &pline,   \
               &pcol, mask >> sec##_##id & 1, &en->f[sec##_##id]);
#define ENTRY(sec, fields, dated, start, end)                                                      \
  static inline __attribute__((always_inline)) const uint8_t *rd_entry_##sec(                      \
      struct dec *d, const struct imhe_pack_field *how, const uint8_t *q, uint32_t eline,          \
      uint32_t mask, struct imhe_entry *en) {                                                      \
    const struct imhe_text *tb = d->tb;                                                            \
    size_t tlen = d->tlen;                                                                         \
    uint32_t pline = en->line, pcol = en->col;                                                     \
    fields(FIELD) return q;                                                                        \
  }
IMHE_SECTION_SCHEMA(ENTRY)
#undef ENTRY
#undef FIELD

static void rd_msgs(struct dec *d, const struct imhe_pack *p, struct imhe_record *r, uint32_t rfile,
                    const uint8_t *q, uint32_t n, struct imhe_msgs *m) {
  m->v = n ? imhe_arena_alloc(&r->arena, n * sizeof *m->v) : NULL;
  if (n && !m->v) { /* GCOVR_EXCL_START: out of memory */
    dfault(d, "out of memory", q);
    return;
  } /* GCOVR_EXCL_STOP */
  m->cap = n;
  for (uint32_t i = 0; i < n; i++, q += MSG_BYTES) {
    struct imhe_msg *x = &m->v[i];
    uint32_t f = get32(q), len;
    x->line = get32(q + 4);
    x->col = get32(q + 8);
    struct imhe_text t;
    rd_txt(d, q + 12, &t);
    if (d->bad)
      return;
    if (f >= p->nfiles || !t.s) {
      dfault(d, "message without a file or a text", q);
      return;
    }
    const char *name = file_name(p, f, &len);
    x->file = f == rfile ? r->file : imhe_arena_strndup(&r->arena, name, len);
    x->text = imhe_arena_strndup(&r->arena, t.s, strlen(t.s));
    m->n = i + 1;
  }
}

/* Lays out the record from its head (read by rd_head): its entries, its codes and its messages,
 * which must fill it exactly; every count is checked against the bytes it needs at the least
 * before any part is read. 0, or -1 with the fault in d. */
static int layout(struct dec *d, const uint8_t **msgs) {
  const uint8_t *p = d->p;
  uint64_t ents = get32(p + H_ENTRIES), end = d->n, at = (uint64_t)(d->ents - p) + ents, least = 0;
  if (at > end) {
    dfault(d, "entries past the record", p + H_ENTRIES);
    return -1;
  }
  for (int s = 0; s < IMHE_SECTION__COUNT; s++)
    least += (uint64_t)d->sec_n[s] * 4; /* location, mask */
  if (least > ents) {
    dfault(d, "entry count past the record", p + H_SECTIONS);
    return -1;
  }
  d->ents_end = p + at;
  uint64_t msg = ((uint64_t)get32(p + H_NERRORS) + get32(p + H_NWARNINGS)) * MSG_BYTES;
  if (msg > end - at) {
    dfault(d, "message count past the record", p + H_NERRORS);
    return -1;
  }
  d->codes = p + at;
  d->codes_end = p + (end - msg);
  d->ncodes = get32(p + H_NCODES);
  d->code_next = 0;
  if ((uint64_t)d->ncodes * 3 > (uint64_t)(d->codes_end - d->codes)) { /* number, location */
    dfault(d, "code count past the record", p + H_NCODES);
    return -1;
  }
  *msgs = d->codes_end;
  return 0;
}

/* The byte at q, refused when over hi. */
static uint32_t check_byte(struct dec *d, const uint8_t *q, uint32_t hi, const char *what) {
  if (*q > hi) {
    dfault(d, what, q);
    return 0;
  }
  return *q;
}

/* The head's flags and parts: its texts, dates and locations, each section's count and
 * location. Read with no bound of their own (a head takes at most HEAD_MAX bytes, which the
 * bytes after any record cover: imhe_pack_record), then checked to end where the head says it
 * does, inside the record. */
static void rd_head(struct dec *d, struct imhe_record *r) {
  const uint8_t *p = d->p, *q = p + HEAD_FIXED;
  uint32_t fl = check_byte(d, p + H_FLAGS, FL__ALL, "flags naming no flag");
  if ((fl >> FL_EXAM_SHIFT) > 2) {
    dfault(d, "exam result out of range", p + H_FLAGS);
    fl = 0;
  }
  r->has_membership = (fl & FL_MEMBERSHIP) != 0;
  r->rsc_attested = (fl & FL_ATTESTED) != 0;
  r->name_given = (fl & FL_NAME) != 0;
  r->exam_passed = (int)(fl >> FL_EXAM_SHIFT) - 1;
  uint32_t parts = (uint32_t)p[H_PARTS] | (uint32_t)p[H_PARTS + 1] << 8;
  if (parts >> PART__END) {
    dfault(d, "head part mask names no part", p + H_PARTS);
    parts = 0;
  }
#pragma GCC unroll 8
  for (size_t i = 0; i < NHEAD_TEXTS; i++) {
    struct imhe_text *t = (struct imhe_text *)((char *)r + head_texts[i]);
    t->s = NULL;
    t->n = 0;
    if (!(parts >> (PART_TEXTS + i) & 1))
      continue;
    const uint8_t *at = q;
    rd_txt_of(d, d->tb, d->tlen, rd_small(&q), at, t);
    if (!t->s)
      dfault(d, "a present text field without text", at);
  }
#pragma GCC unroll 8
  for (size_t i = 0; i < sizeof head_dates / sizeof head_dates[0]; i++) {
    int32_t v = INT32_MIN;
    if (parts >> (PART_DATES + i) & 1) {
      uint32_t k = (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16;
      v = (int32_t)k + DATE_MIN;
      if (k > (uint32_t)(DATE_MAX - DATE_MIN)) {
        dfault(d, "date out of range", q);
        v = INT32_MIN;
      }
      q += 3;
    }
    memcpy((char *)r + head_dates[i], &v, sizeof v);
  }
#pragma GCC unroll 8
  for (size_t i = 0; i < sizeof head_locs / sizeof head_locs[0]; i++) {
    uint32_t loc[2] = {0, 0};
    if (parts >> (PART_LOCS + i) & 1) {
      if (q[0] != ESC) {
        loc[0] = r->line + q[0];
        loc[1] = q[1];
        q += 2;
      } else {
        loc[0] = get32(q + 1);
        loc[1] = get32(q + 5);
        q += 9;
      }
    }
    memcpy((char *)r + head_locs[i], loc, sizeof loc);
  }
  uint32_t secs = p[H_SECTIONS];
#pragma GCC unroll 8
  for (int s = 0; s < IMHE_SECTION__COUNT; s++) {
    struct imhe_list *l = &r->sec[s];
    d->sec_n[s] = l->line = l->col = 0;
    if (secs >> s & 1) {
      d->sec_n[s] = rd_small(&q);
      RD_NEAR(l, struct imhe_list, line, col, q, r->line);
    }
  }
  uint32_t bytes = (uint32_t)p[H_HEAD_BYTES] | (uint32_t)p[H_HEAD_BYTES + 1] << 8;
  d->ents = q;
  if ((size_t)(q - p) != bytes || bytes > d->n)
    dfault(d, "head length other than its parts' or past the record", p + H_HEAD_BYTES);
}

/* Section s's entries, from ent on; where the next section's start. s is a constant at each call,
 * so that the entry reader is too. */
static inline __attribute__((always_inline)) const uint8_t *rd_section(struct dec *d,
                                                                       struct imhe_record *r,
                                                                       const struct imhe_pack *p,
                                                                       int s, const uint8_t *ent) {
  struct imhe_list *l = &r->sec[s]; /* its location read with the head */
  uint32_t n = d->sec_n[s];
  /* not zeroed: every slot of the section's fields is written below, the rest never read */
  l->v = n ? imhe_arena_alloc_raw(&r->arena, n * sizeof *l->v) : NULL;
  if (n && !l->v) { /* GCOVR_EXCL_START: out of memory */
    dfault(d, "out of memory", ent);
    return ent;
  } /* GCOVR_EXCL_STOP */
  l->n = n;
  uint32_t unknown = ~0u << imhe_sections[s].nfields, eline = l->line;
  for (uint32_t e = 0; e < n && !d->bad; e++) {
    struct imhe_entry *en = &l->v[e];
    const uint8_t *q = ent;
    RD_NEAR(en, struct imhe_entry, line, col, q, eline);
    eline = en->line;
    uint32_t mask = (uint32_t)q[0] | (uint32_t)q[1] << 8;
    if (__builtin_expect(mask & unknown, 0)) {
      dfault(d, "field presence mask names no field", q);
      mask &= ~unknown;
    }
    q += 2;
    switch (s) {
#define ENTRY(sec, fields, dated, start, end)                                                      \
  case IMHE_SECTION_##sec:                                                                         \
    q = rd_entry_##sec(d, p->how[s], q, en->line, mask, en);                                       \
    break;
      IMHE_SECTION_SCHEMA(ENTRY)
#undef ENTRY
    }
    if (__builtin_expect(q > d->ents_end, 0)) {
      dfault(d, "an entry past the record's entries", ent);
      return ent;
    }
    ent = q;
  }
  return ent;
}

/* The record's codes, decoded once into one array that the codes fields share out in order. */
static void rd_codes(struct dec *d, struct imhe_record *r) {
  d->cv = d->ncodes ? imhe_arena_alloc_raw(&r->arena, d->ncodes * sizeof *d->cv) : NULL;
  if (d->ncodes && !d->cv) { /* GCOVR_EXCL_START: out of memory */
    dfault(d, "out of memory", d->codes);
    return;
  } /* GCOVR_EXCL_STOP */
  const uint8_t *c = d->codes;
  const struct imhe_text *tb = d->tb;
  size_t tlen = d->tlen;
  uint32_t line = 0;
  for (uint32_t i = 0; i < d->ncodes && !d->bad; i++) {
    const uint8_t *q0 = c, *q = c;
    struct imhe_comp_code *x = &d->cv[i];
    rd_txt_of(d, tb, tlen, rd_small(&q), q0, &x->s);
    RD_NEAR(x, struct imhe_comp_code, line, col, q, line);
    line = x->line;
    if (__builtin_expect(!x->s.s, 0))
      dfault(d, "a code without text", q0);
    if (__builtin_expect(q > d->codes_end, 0)) {
      dfault(d, "a code past the record's codes", c);
      return;
    }
    c = q;
  }
  if (!d->bad && c != d->codes_end)
    dfault(d, "bytes after the record's last field", c);
}

static void rd_record(struct dec *d, const struct imhe_pack *p, struct imhe_record *r, int reuse) {
  const uint8_t *q = d->p, *ent, *msgs;
  uint32_t f = 0, len;
  if (d->n >= 4 && (f = get32(q)) < p->nfiles)
    imhe_record_init(r, file_name(p, f, &len), 0, reuse);
  else {
    imhe_record_init(r, "", 0, reuse);
    dfault(d, d->n < 4 ? "truncated record" : "file index out of range", q + (d->n < 4 ? d->n : 0));
    return;
  }
  if (d->n < HEAD_FIXED) {
    dfault(d, "truncated record", q + d->n);
    return;
  }
  r->line = get32(q + H_LINE);
  r->kind =
      (imhe_record_kind)check_byte(d, q + H_KIND, IMHE_KIND__COUNT - 1, "record kind out of range");
  int has_errors = (int)check_byte(d, q + H_HAS_ERRORS, 1, "errors flag neither 0 nor 1");
  rd_txt(d, q + H_ID, &r->id);
  rd_txt(d, q + H_ASSOC, &r->association);
  rd_head(d, r);
  if (d->bad || layout(d, &msgs) != 0)
    return;
  ent = d->ents;
  rd_codes(d, r);
  /* each section by its own code: its field count and reading constants */
#define SECTION(sec, fields, dated, start, end)                                                    \
  if (!d->bad)                                                                                     \
    ent = rd_section(d, r, p, IMHE_SECTION_##sec, ent);
  IMHE_SECTION_SCHEMA(SECTION)
#undef SECTION
  if (d->bad)
    return;
  if (ent != d->ents_end) {
    dfault(d, "bytes after the record's last entry", ent);
    return;
  }
  if (d->code_next != d->ncodes) {
    dfault(d, "codes in the record's list that no field holds", q + H_NCODES);
    return;
  }
  uint32_t nerr = get32(q + H_NERRORS);
  rd_msgs(d, p, r, f, msgs, nerr, &r->errors);
  if (!d->bad && has_errors != (r->errors.n != 0))
    dfault(d, "errors flag other than the record's errors", q + H_HAS_ERRORS);
  if (!d->bad)
    rd_msgs(d, p, r, f, msgs + (size_t)nerr * MSG_BYTES, get32(q + H_NWARNINGS), &r->warnings);
}

/* The bytes of record i: from the end of the one before to its own end. */
static void record_span(const struct imhe_pack *p, uint32_t i, size_t *from, size_t *to) {
  *from = i ? get32(p->index + 8 * (size_t)(i - 1)) : 0;
  *to = get32(p->index + 8 * (size_t)i);
}

int imhe_pack_record(const struct imhe_pack *p, uint32_t i, struct imhe_record *r, int reuse,
                     char *err, size_t errlen) {
  if (i >= p->nrecords) {
    snprintf(err, errlen, "record %u: past the last record, %u", i + 1, p->nrecords);
    return -1;
  }
  size_t from, to;
  record_span(p, i, &from, &to);
  struct dec d = {.p = p->records + from, .n = to - from, .tb = p->text_tab, .tlen = p->ntexts};
  /* An entry, a code or the head's parts are read with no bound of their own: where the pack's
   * bytes after the record are fewer than the most one can take, the record is read from a copy
   * padded with zeros (the decoded record points into the texts section, never into the record's
   * bytes). */
  uint8_t *copy = NULL;
  if ((size_t)(p->data + p->n - (d.p + d.n)) < READ_MAX) {
    copy = calloc(1, d.n + READ_MAX);
    if (!copy) { /* GCOVR_EXCL_START: out of memory */
      imhe_record_init(r, "", 0, reuse);
      snprintf(err, errlen, "record %u: out of memory", i + 1);
      return -1;
    } /* GCOVR_EXCL_STOP */
    memcpy(copy, d.p, d.n);
    d.p = copy;
  }
  rd_record(&d, p, r, reuse);
  free(copy);
  /* The next record's bytes asked of memory now, while this one is judged: a pack is read in
   * order, and one past the caches (the checksum's pass over it done) would otherwise stall its
   * decoding on each line. */
  if (i + 1 < p->nrecords) {
    size_t nfrom, nto;
    record_span(p, i + 1, &nfrom, &nto);
    uintptr_t at = (uintptr_t)(p->records + nfrom) & ~(uintptr_t)63,
              end = (uintptr_t)(p->records + nto);
    for (; at < end; at += 64)
      __builtin_prefetch((const void *)at);
  }
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
  struct dec d = {.p = p->records + from, .n = to - from, .tb = p->text_tab, .tlen = p->ntexts};
  if (d.n < HEAD_FIXED)
    return -1;
  uint32_t f = get32(d.p + H_FILE), len;
  h->line = get32(d.p + H_LINE);
  check_byte(&d, d.p + H_KIND, IMHE_KIND__COUNT - 1, "record kind out of range");
  h->has_errors = (int)check_byte(&d, d.p + H_HAS_ERRORS, 1, "errors flag neither 0 nor 1");
  rd_txt(&d, d.p + H_ID, &h->id);
  rd_txt(&d, d.p + H_ASSOC, &h->association);
  if (d.bad || f >= p->nfiles)
    return -1;
  h->file = file_name(p, f, &len);
  return 0;
}

int imhe_pack_repeats(const struct imhe_pack *p, uint32_t i, const struct imhe_record *r,
                      struct imhe_pack_head *first, char *err, size_t errlen) {
  uint32_t rep = i < p->nrecords ? get32(p->index + 8 * (size_t)i + 4) : 0;
  if (!rep) /* checked on opening to name a record before this one */
    return 0;
  const char *why = "a record with errors or without an id said to repeat an id";
  if (r->id.s && !r->errors.n) {
    why = "said to repeat the id of a record whose id differs, that has errors or that repeats "
          "one itself";
    /* the first record with the id, which the YAML's repeats cite: one that repeats none */
    if (!get32(p->index + 8 * (size_t)(rep - 1) + 4) && imhe_pack_skim(p, rep - 1, first) == 0 &&
        !first->has_errors && first->id.s && first->id.n == r->id.n &&
        !memcmp(first->id.s, r->id.s, r->id.n))
      return 1;
  }
  snprintf(err, errlen, "record %u: %s (offset %zu)", i + 1, why,
           (size_t)(p->index - p->data) + 8 * (size_t)i + 4);
  return -1;
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
    uint32_t end = get32(p->index + 8 * (size_t)i), rep = get32(p->index + 8 * (size_t)i + 4);
    if (end < prev || end > p->records_len)
      FAIL("record %u: its end %u is before its start or past the records section (offset %zu)",
           i + 1, end, (size_t)(p->index - p->data) + 8 * (size_t)i);
    if (rep > i)
      FAIL("record %u: repeats record %u, not one before it (offset %zu)", i + 1, rep,
           (size_t)(p->index - p->data) + 8 * (size_t)i + 4);
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

/* The texts: each a u32 length, its bytes and a NUL, filling the section exactly; each entered in
 * the table records name them by (its number), so a text is checked once, not at every use. */
static int check_texts(struct imhe_pack *p, char *err, size_t errlen) {
  const uint8_t *t = p->texts;
  size_t n = p->texts_len, at = 0, base = (size_t)(p->texts - p->data);
  /* each text takes 5 bytes at the least: room for all at once, the pages never used never
   * touched */
  p->text_tab = malloc((n / 5 + 1) * sizeof *p->text_tab);
  if (!p->text_tab)        /* GCOVR_EXCL_BR_LINE: out of memory */
    FAIL("out of memory"); /* GCOVR_EXCL_LINE: out of memory */
  while (at < n) {
    if (n - at < 5)
      FAIL("text %u: truncated (offset %zu)", p->ntexts + 1, base + at);
    uint32_t len = get32(t + at);
    if (len >= n - at - 4 || t[at + 4 + len] != 0)
      FAIL("text %u: text length past its section or not terminated (offset %zu)", p->ntexts + 1,
           base + at + 4);
    p->text_tab[p->ntexts++] = (struct imhe_text){(const char *)t + at + 4, len};
    at += (size_t)len + 5;
  }
  return 0;
}

/* The index names every repeat (imhe_pack_repeats checks those it names when they are handed
 * out): a record the index says repeats nothing, with an id and no errors, has an id no such record
 * before it has, or the source, which no longer looks ids up within one pack (api/source.c), would
 * judge a repeat that its YAML makes invalid. The ids are compared as bytes, since a pack made by
 * hand may hold a text twice. A record too short for its head is left to its decoding. */
static int check_repeats(struct imhe_pack *p, char *err, size_t errlen) {
  size_t size = 2;
  while (size < 2 * (size_t)p->nrecords)
    size *= 2;
  uint32_t *seen = calloc(size, sizeof *seen); /* 1 + a record's number; 0 an empty slot */
  if (!seen)                                   /* GCOVR_EXCL_BR_LINE: out of memory */
    FAIL("out of memory");                     /* GCOVR_EXCL_LINE: out of memory */
  for (uint32_t i = 0; i < p->nrecords; i++) {
    size_t from, to;
    record_span(p, i, &from, &to);
    const uint8_t *r = p->records + from;
    if (get32(p->index + 8 * (size_t)i + 4) || to - from < HEAD_FIXED || r[H_HAS_ERRORS] != 0 ||
        get32(r + H_ID) >= p->ntexts)
      continue;
    const struct imhe_text *id = &p->text_tab[get32(r + H_ID)];
    size_t at = text_hash(id->s, id->n) & (size - 1);
    for (; seen[at]; at = (at + 1) & (size - 1)) {
      uint32_t first = seen[at];
      size_t ffrom, fto;
      record_span(p, first - 1, &ffrom, &fto);
      const struct imhe_text *fid = &p->text_tab[get32(p->records + ffrom + H_ID)];
      if (fid->n == id->n && !memcmp(fid->s, id->s, id->n)) {
        free(seen);
        FAIL("record %u: repeats the id of record %u, which the index does not say (offset %zu)",
             i + 1, first, (size_t)(p->index - p->data) + 8 * (size_t)i + 4);
      }
    }
    seen[at] = i + 1;
  }
  free(seen);
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
  const uint8_t **where[SEC__COUNT] = {&p->files, &p->index, &p->records, &p->notes, &p->texts};
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
  p->texts_len = lens[SEC_TEXTS];
  if (lens[SEC_INDEX] / 8 != p->nrecords || lens[SEC_INDEX] % 8)
    FAIL("the index holds %u bytes for %u records (offset 32)", lens[SEC_INDEX], p->nrecords);
  if (p->nnotes > p->notes_len / 25)
    FAIL("%u notices cannot fit a section of %u bytes (offset 36)", p->nnotes, p->notes_len);
  if (check_files(p, err, errlen) != 0 || check_contents(p, err, errlen) != 0 ||
      check_texts(p, err, errlen) != 0 || check_repeats(p, err, errlen) != 0)
    return -1;
  return 0;
}

void imhe_pack_close(struct imhe_pack *p) {
  free(p->file_off);
  p->file_off = NULL;
  free(p->text_tab);
  p->text_tab = NULL;
}
