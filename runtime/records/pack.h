/* pack.h — packed corpora (.imhepack, docs/pack.md): typed records stored as they came out of the
 * YAML loader, with their files, lines, errors and warnings, so judging them again skips parsing.
 */
#ifndef IMHE_PACK_H
#define IMHE_PACK_H

#include "runtime/core/export.h"
#include "runtime/records/limits.h"
#include "runtime/records/record.h"
#include "runtime/records/schema.h"
#include <stddef.h>
#include <stdint.h>

#define IMHE_PACK_MAGIC "IMHEPACK"
#define IMHE_PACK_VERSION 12
#define IMHE_PACK_HEADER 64         /* bytes before the section table */
#define IMHE_PACK_DATE_MIN (-62091) /* 1800-01-01: the dates the YAML loader accepts */
#define IMHE_PACK_DATE_MAX 84370    /* 2200-12-31 */

/* A pack being built (opaque); the builder owns everything added to it (copied). */
struct imhe_pack_builder;
IMHE_INTERNAL_API struct imhe_pack_builder *imhe_pack_builder_new(void);
/* Appends a typed record (after imhe_record_type; its expect block is not kept). */
IMHE_INTERNAL_API void imhe_pack_add_record(struct imhe_pack_builder *b,
                                            const struct imhe_record *r);
/* Appends a notice of the loader (limits.h), replayed before the next record added. */
IMHE_INTERNAL_API void imhe_pack_add_note(struct imhe_pack_builder *b, int severity,
                                          const struct imhe_msg *m);
IMHE_INTERNAL_API uint32_t imhe_pack_builder_records(const struct imhe_pack_builder *b);
/* The file's bytes (the caller frees them) and frees the builder. -1 with a message when the
 * corpus does not fit the format (4 GiB). */
IMHE_INTERNAL_API int imhe_pack_finish(struct imhe_pack_builder *b, uint8_t **out, size_t *n,
                                       char *err, size_t errlen);
IMHE_INTERNAL_API void imhe_pack_builder_free(struct imhe_pack_builder *b);

/* A verified pack over bytes it does not own (they must outlive it). */
struct imhe_pack {
  const uint8_t *data;
  size_t n;
  uint32_t nrecords, nnotes, nfiles;
  const uint8_t *files, *index, *records, *notes, *texts; /* the sections */
  uint32_t files_len, records_len, notes_len, texts_len;
  uint32_t *file_off;         /* each file name's offset in the files section (malloc'd) */
  struct imhe_text *text_tab; /* each text of the texts section, by number (malloc'd) */
  uint32_t ntexts;
  /* For each field of each section, what reading it needs beyond its kind (which pack.c's
   * reading of each section's entries has as a constant): for an enumerated value or a set, how
   * many values the enumeration has, worked out once on opening rather than for each of the few
   * hundred fields of every record. */
  struct imhe_pack_field {
    int32_t count;
  } how[IMHE_SECTION__COUNT][IMHE_MAX_FIELDS];
};

/* 1 when the bytes start with the pack magic. */
IMHE_INTERNAL_API int imhe_pack_is(const void *data, size_t n);
/* Verifies the pack: header, version, flags, sizes, checksum (unless check_sum is 0, for the tests
 * and fuzzers that reach past it), the section table, the index, the file names and every note.
 * Records are verified as each is decoded (imhe_pack_record). 0, or -1 with "what is wrong
 * (offset N)" in err. Free with imhe_pack_close. */
IMHE_INTERNAL_API int imhe_pack_open(struct imhe_pack *p, const uint8_t *data, size_t n,
                                     int check_sum, char *err, size_t errlen);
IMHE_INTERNAL_API void imhe_pack_close(struct imhe_pack *p);
/* Record i, decoded and checked field by field, into *r as imhe_record_init would ready it (reuse:
 * *r was read before and its arena is kept). Its texts point into the pack's bytes, which must
 * outlive the record (api/source.c holds a pack for each record out of it); the rest is in its
 * arena. 0, or -1 with
 * "record N: what is wrong (offset N)" in err: a pack made or altered by hand with a matching
 * checksum (or opened without one); *r is then fit only for imhe_record_clear or reuse. */
IMHE_INTERNAL_API int imhe_pack_record(const struct imhe_pack *p, uint32_t i, struct imhe_record *r,
                                       int reuse, char *err, size_t errlen);
/* What a record's first bytes say: where it came from, its id and association (pointing into the
 * pack), and whether it has errors; enough to tell which policy judges it without decoding the
 * rest (imhe diff --records: a record whose policy is the same program on both sides). */
struct imhe_pack_head {
  const char *file;
  uint32_t line;
  int has_errors;
  struct imhe_text id, association;
};
/* Record i's head, its fields bounded and checked as imhe_pack_record checks them; the rest of the
 * record is not read, so not verified. 0, or -1 when the head is damaged (imhe_pack_record then
 * says how). */
IMHE_INTERNAL_API int imhe_pack_skim(const struct imhe_pack *p, uint32_t i,
                                     struct imhe_pack_head *h);
/* Whether record i, decoded into r (before any error the source adds), repeats the id of a
 * record before it in the pack: 1 with that record's head in *first, 0 when not (the pack's
 * index says which, worked out when it was made, so a source reading one pack keeps no index of
 * ids), -1 with "record N: what is wrong (offset N)" in err when the index names a record whose id
 * differs. A pack altered by hand to name none where one repeats is not caught: the checksum
 * guards against damage, and a missed repeat judges nothing a YAML file could not. */
IMHE_INTERNAL_API int imhe_pack_repeats(const struct imhe_pack *p, uint32_t i,
                                        const struct imhe_record *r, struct imhe_pack_head *first,
                                        char *err, size_t errlen);
/* Note i: its severity, the number of records before it, and its message (pointing into the
 * pack). 0, or -1 when i is out of range. */
IMHE_INTERNAL_API int imhe_pack_note(const struct imhe_pack *p, uint32_t i, int *severity,
                                     uint32_t *before, struct imhe_msg *m);

#endif
