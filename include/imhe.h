/* imhe.h — the public face of the imhe engine: the library's version, the enumerations a program
 * shares with it (each defined once as an X-macro list that the compiler, the verifier, the VM and
 * the reports expand too), and the API: open a policy set, read records, judge them, walk the
 * results as data and render them with a reporter chosen by name.
 *
 * Conventions. Every name is prefixed imhe_. Handles are opaque. Functions that can fail return an
 * imhe_code (IMHE_OK is 0) and, when `err` is not NULL, fill it with the code, a message and, when
 * the error is in a file, its location; the library never prints and never exits. A NULL handle
 * is IMHE_INVALID_ARGUMENT, never a crash. Strings returned by accessors belong to the handle they
 * came from and live as long as it. Thread-safety: a policy set is immutable once open and may be
 * shared by any number of threads judging at once; a source, a record, a result and a reporter
 * belong to one thread at a time (different ones may be used on different threads).
 */
#ifndef IMHE_H
#define IMHE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks what the shared library exports (it is built with -fvisibility=hidden). */
#if defined(IMHE_BUILDING) && defined(__GNUC__)
#define IMHE_API __attribute__((visibility("default")))
#else
#define IMHE_API
#endif

/* ---------------------------------------------------------------- version numbers */
#define IMHE_VERSION_MAJOR 0
#define IMHE_VERSION_MINOR 2
#define IMHE_VERSION_PATCH 0

/* ---------------------------------------------------------------- vocabularies */
/* Record sections (the lists of a record). X(NAME, "name as in records") */
#define IMHE_SECTION_LIST(X)                                                                       \
  X(EDUCATION, "education")                                                                        \
  X(WORK, "work")                                                                                  \
  X(LEADERSHIP, "leadership")                                                                      \
  X(TRAINING, "training")                                                                          \
  X(RSC, "rsc")                                                                                    \
  X(RSC_PROVIDED, "rsc_provided")                                                                  \
  X(REFERENCES, "references")                                                                      \
  X(ENDORSEMENTS, "endorsements")
typedef enum imhe_section {
#define X(n, s) IMHE_SECTION_##n,
  IMHE_SECTION_LIST(X)
#undef X
      IMHE_SECTION__COUNT
} imhe_section;

/* Kinds of record. X(NAME, "name") */
#define IMHE_KIND_LIST(X)                                                                          \
  X(APPLICATION, "application") X(RENEWAL, "renewal") X(REINSTATEMENT, "reinstatement")
typedef enum imhe_record_kind {
#define X(n, s) IMHE_KIND_##n,
  IMHE_KIND_LIST(X)
#undef X
      IMHE_KIND__COUNT
} imhe_record_kind;

/* The verdict on a record. X(NAME, "name") */
#define IMHE_VERDICT_LIST(X)                                                                       \
  X(ELIGIBLE, "eligible")                                                                          \
  X(PENDING_EXAM, "eligible_pending_exam")                                                         \
  X(NOT_ELIGIBLE, "not_eligible")                                                                  \
  X(INVALID, "invalid")
typedef enum imhe_verdict {
#define X(n, s) IMHE_VERDICT_##n,
  IMHE_VERDICT_LIST(X)
#undef X
      IMHE_VERDICT__COUNT
} imhe_verdict;

/* Outcome of a rule or condition. ADVICE: an advisory shown because its condition failed;
 * SKIPPED: a rule whose guard did not hold; NOT_NEEDED: an alternative of an `any of` that was not
 * needed because another one passed. X(NAME, "name") */
#define IMHE_STATUS_LIST(X)                                                                        \
  X(PASS, "pass")                                                                                  \
  X(FAIL, "fail")                                                                                  \
  X(PENDING, "pending")                                                                            \
  X(ADVICE, "advice")                                                                              \
  X(SKIPPED, "skipped")                                                                            \
  X(NOT_NEEDED, "not_needed")
typedef enum imhe_status {
#define X(n, s) IMHE_STATUS_##n,
  IMHE_STATUS_LIST(X)
#undef X
      IMHE_STATUS__COUNT
} imhe_status;

/* Where the as-of date came from. X(NAME, "name") */
#define IMHE_AS_OF_LIST(X)                                                                         \
  X(OPTION, "option")                                                                              \
  X(SUBMITTED, "submitted")                                                                        \
  X(DEADLINE, "renewal_deadline")                                                                  \
  X(TODAY, "today")
typedef enum imhe_as_of_source {
#define X(n, s) IMHE_AS_OF_##n,
  IMHE_AS_OF_LIST(X)
#undef X
      IMHE_AS_OF__COUNT
} imhe_as_of_source;

/* Units of quantities. DEGREE: a degree level, the judging policy's degrees in their declared
 * order from 1, its graduate degrees one level ("masters or higher"), shown by its name. X(NAME,
 * "name in JSON", "symbol in prose") */
#define IMHE_UNIT_LIST(X)                                                                          \
  X(NONE, "none", "")                                                                              \
  X(HOURS, "hours", "h")                                                                           \
  X(DAYS, "days", "days")                                                                          \
  X(MONTHS, "months", "months")                                                                    \
  X(DOLLARS, "dollars", "$")                                                                       \
  X(FAMILIES, "families", "families")                                                              \
  X(COUNT, "count", "")                                                                            \
  X(DEGREE, "degree", "")
typedef enum imhe_unit {
#define X(n, j, s) IMHE_UNIT_##n,
  IMHE_UNIT_LIST(X)
#undef X
      IMHE_UNIT__COUNT
} imhe_unit;

/* Why an entry was left out, what a measure or fact found, why a record was not judged by its
 * rules: results hold these codes and typed operands, never sentences; the explain module (and
 * imhe_condition_sentence) turns them into words. X(NAME, "name in JSON"). The operands each uses
 * are named after it: field, value(s) and wanted values of an enumeration, dates, amounts with
 * their unit, an entry (section and number), a name (of an association, document, category, ...).
 */
#define IMHE_REASON_LIST(X)                                                                        \
  /* entries left out */                                                                           \
  X(LEFT_OUT, "left_out")                     /* no more precise reason */                         \
  X(AFTER_AS_OF, "after_as_of")               /* field, date */                                    \
  X(NOT_CURRENT, "not_current")               /* (the entry is not current at the as-of date) */   \
  X(NO_RSC_OVERLAP, "no_rsc_overlap")         /* (no period of providing RSC overlaps it) */       \
  X(VALUE_DEFAULT, "value_by_default")        /* field absent; its default value; wanted values */ \
  X(VALUE_MISSING, "value_missing")           /* field absent; wanted values */                    \
  X(VALUE_NOT_WANTED, "value_not_wanted")     /* field, value, wanted values */                    \
  X(VALUES_NOT_WANTED, "values_not_wanted")   /* field, values (maybe none), wanted values */      \
  X(AGES_OUTSIDE_TRACK, "ages_outside_track") /* ages given (maybe none), track name */            \
  X(FLAG_MISMATCH, "flag_mismatch")           /* field, whether it is true */                      \
  X(FIELD_GIVEN, "field_given")               /* field (wanted absent) */                          \
  X(FIELD_MISSING, "field_missing")           /* field */                                          \
  X(DATE_OUT_OF_RANGE, "date_out_of_range")   /* field, date, comparison, limit date */            \
  X(NUMBER_OUT_OF_RANGE, "number_out_of_range") /* field, amount, comparison, limit */             \
  X(EXCLUDED_BY_NOT, "excluded_by_not")         /* (left out by a `not` filter) */                 \
  /* what measures found */                                                                        \
  X(BEST_WINDOW, "best_window") /* months, start, end, hours; clipped to the as-of date */         \
  X(NO_WINDOW, "no_window")     /* (no entry with hours) */                                        \
  X(ENTRIES_MEASURED, "entries_measured") /* count */                                              \
  X(RECEIVED_BETWEEN, "received_between") /* start, end dates */                                   \
  X(PARTIAL_AMOUNT, "partial_amount")     /* entry, amount counted, amount, unit */                \
  X(MORE_PARTIAL, "more_partial")         /* count of further entries counted in part */           \
  X(NO_MASTERS, "no_masters")             /* (no masters-level degree: no post-masters work) */    \
  X(SLOT_EMPTY, "slot_empty")             /* slot number, roles wanted, completed references */    \
  X(HALF_OF_DOMAIN, "half_of_domain")     /* count, domain code, category */                       \
  X(CREDENTIAL_HELD, "credential_held")   /* credential name */                                    \
  X(CREDENTIAL_MISSING, "credential_missing")       /* credential name */                          \
  X(FIRST_ENDORSED, "first_endorsed")               /* date */                                     \
  X(NOT_ENDORSED, "not_endorsed")                   /* (no endorsement earned by then) */          \
  X(TRAINING_OVER_CAP, "training_over_cap")         /* entry, hours, competencies, most allowed */ \
  X(NO_TRANSCRIPT, "no_transcript")                 /* entry, competencies */                      \
  X(TOO_MANY_COMPETENCIES, "too_many_competencies") /* entry, competencies, most allowed */        \
  /* what facts found */                                                                           \
  X(NO_MEMBERSHIP, "no_membership")                                                                \
  X(MEMBERSHIP_UNNAMED, "membership_unnamed")                                                      \
  X(MEMBERSHIP_NO_EXPIRY, "membership_no_expiry")                                                  \
  X(MEMBERSHIP_NOT_ACCEPTED, "membership_not_accepted") /* association, policy's name */           \
  X(MEMBERSHIP_EXPIRED, "membership_expired")           /* association, expiry, as-of date */      \
  X(MEMBER, "member")                                   /* association, expiry */                  \
  X(NOT_SIGNED, "not_signed")                           /* document */                             \
  X(SIGNED_LATE, "signed_late")                         /* document, date signed, as-of date */    \
  X(SIGNED, "signed")                                   /* document, date signed */                \
  X(EXAM_PASSED, "exam_passed")                                                                    \
  X(EXAM_FAILED, "exam_failed") /* date (maybe none) */                                            \
  X(EXAM_NOT_TAKEN, "exam_not_taken")                                                              \
  X(REPORTED_TO_REFERENCE, "reported_to_reference")       /* name, work entry */                   \
  X(REPORTED_TO_NO_REFERENCE, "reported_to_no_reference") /* name, work entry */                   \
  X(ANNUAL_RENEWAL, "annual_renewal")                                                              \
  X(CYCLE_RENEWAL, "cycle_renewal")                                                                \
  X(NO_RENEWAL_SCHEME, "no_renewal_scheme")                                                        \
  X(RSC_ATTESTED, "rsc_attested")                                                                  \
  X(RSC_NOT_ATTESTED, "rsc_not_attested")                                                          \
  /* records not judged by their rules */                                                          \
  X(CATEGORY_NOT_OFFERED, "category_not_offered")   /* policy's name, category (maybe none) */     \
  X(NO_RENEWAL_SCHEME_FOR, "no_renewal_scheme_for") /* policy's name, deadline */                  \
  X(RENEWAL_NOT_DUE, "renewal_not_due")             /* date endorsed, deadline */                  \
  X(NO_REINSTATEMENT, "no_reinstatement")           /* policy's name */                            \
  X(REINSTATEMENT_FROM, "reinstatement_from")       /* policy's name, first date */                \
  X(CONDITION_NOT_MET, "condition_not_met")         /* (a coupon's condition, nothing found) */
typedef enum imhe_reason {
#define X(n, s) IMHE_REASON_##n,
  IMHE_REASON_LIST(X)
#undef X
      IMHE_REASON__COUNT
} imhe_reason;

/* ---------------------------------------------------------------- version */
/* The library's version as "MAJOR.MINOR.PATCH"; compare with the IMHE_VERSION_* the program was
 * compiled with to detect a mismatched shared library. */
IMHE_API const char *imhe_version(void);

/* ---------------------------------------------------------------- errors */
/* What went wrong. X(NAME, "name") */
#define IMHE_CODE_LIST(X)                                                                          \
  X(OK, "ok")                                                                                      \
  X(END, "end")                                                                                    \
  X(INVALID_ARGUMENT, "invalid_argument")                                                          \
  X(NO_MEMORY, "no_memory")                                                                        \
  X(IO, "io")                                                                                      \
  X(POLICY, "policy")                                                                              \
  X(BYTECODE, "bytecode")                                                                          \
  X(NOT_FOUND, "not_found")                                                                        \
  X(MISMATCH, "mismatch")                                                                          \
  X(BUFFER_TOO_SMALL, "buffer_too_small")                                                          \
  X(RECORD, "record")
/* OK: done. END: a source has no more records. INVALID_ARGUMENT: a NULL handle, an option out of
 * range. NO_MEMORY: an allocation failed. IO: a file could not be opened, read or written.
 * POLICY: a policy has errors (message and location say which). BYTECODE: a compiled policy was
 * refused by the verifier. NOT_FOUND: no such association, category or reporter. MISMATCH: a
 * record read for one policy set judged with another. BUFFER_TOO_SMALL: see imhe_render_buffer.
 * RECORD: a record that cannot be judged (its own errors say why). */
typedef enum imhe_code {
#define X(n, s) IMHE_##n,
  IMHE_CODE_LIST(X)
#undef X
      IMHE_CODE__COUNT
} imhe_code;

/* An error as a value. file is "" and line, column 0 when the error has no location. */
typedef struct imhe_error {
  imhe_code code;
  char message[512];
  char file[256];
  uint32_t line, column;
} imhe_error;

/* ---------------------------------------------------------------- names */
/* The name of each enumeration value, as the JSON report writes it ("eligible", "pass", "rsc",
 * "hours", "renewal", "submitted"): static strings, NULL when out of range. */
IMHE_API const char *imhe_code_name(imhe_code c);
IMHE_API const char *imhe_section_name(imhe_section s);
IMHE_API const char *imhe_record_kind_name(imhe_record_kind k);
IMHE_API const char *imhe_verdict_name(imhe_verdict v);
IMHE_API const char *imhe_status_name(imhe_status s);
IMHE_API const char *imhe_as_of_source_name(imhe_as_of_source s);
IMHE_API const char *imhe_unit_name(imhe_unit u);
IMHE_API const char *imhe_reason_name(imhe_reason r);

/* A calendar date; year 0 means "no date". */
typedef struct imhe_date {
  int year, month, day;
} imhe_date;

/* ---------------------------------------------------------------- policy set */
typedef struct imhe_policy_set imhe_policy_set;
typedef struct imhe_policy imhe_policy;

typedef struct imhe_open_options {
  int no_checksum;    /* accept compiled policies whose checksum does not match (still verified) */
  int no_cache_write; /* do not write NAME.imhec for a policy compiled on the fly */
  const char
      *cache_dir; /* where compiled policies are read and written; NULL: beside the sources */
} imhe_open_options;

/* Opens `path`: a directory of policies (NAME.imhe sources, NAME.imhec compiled; a compiled file is
 * used when it is newer than every source in the directory, otherwise the source is compiled and,
 * unless opts says no, cached) or one policy file (.imhe or .imhec), which then judges every
 * record whatever its association. Every policy is loaded and verified here. Policies that others
 * extend (bases) are not associations' and are not listed. In a directory, a policy with errors
 * does not stop the others: it is listed, imhe_policy_error says why, and the records of its
 * association are judged invalid with that message. A single file with errors is IMHE_POLICY (or
 * IMHE_BYTECODE when the verifier refuses it) with the compiler's messages. opts may be NULL. On
 * success *out is the caller's, to close with imhe_policy_set_close; it is immutable and may be
 * shared by any number of threads. */
IMHE_API imhe_code imhe_policy_set_open(const char *path, const imhe_open_options *opts,
                                        imhe_policy_set **out, imhe_error *err);
IMHE_API void imhe_policy_set_close(imhe_policy_set *set);
/* The association policies of the set, in the order of their codes. */
IMHE_API size_t imhe_policy_set_count(const imhe_policy_set *set);
IMHE_API const imhe_policy *imhe_policy_set_at(const imhe_policy_set *set, size_t i);
/* The policy of an association, by its code ("XX"), its short name ("XX-AIMH") or its full name,
 * ignoring case and surrounding spaces; NULL when none (or when set or name is NULL). When the set
 * was opened on one policy file, every name finds that policy. */
IMHE_API const imhe_policy *imhe_policy_set_find(const imhe_policy_set *set, const char *name);
/* A policy's code ("XX"), short name ("XX-AIMH"), full name, and the file it came from. */
IMHE_API const char *imhe_policy_code(const imhe_policy *p);
IMHE_API const char *imhe_policy_short_name(const imhe_policy *p);
IMHE_API const char *imhe_policy_name(const imhe_policy *p);
IMHE_API const char *imhe_policy_file(const imhe_policy *p);
/* Why the policy could not be loaded (the compiler's or the verifier's messages), NULL when it
 * was. */
IMHE_API const char *imhe_policy_error(const imhe_policy *p);
/* The categories the policy offers (their codes as its catalogue declares them). */
IMHE_API size_t imhe_policy_category_count(const imhe_policy *p);
IMHE_API const char *imhe_policy_category(const imhe_policy *p, size_t i);

/* ---------------------------------------------------------------- records */
typedef struct imhe_source imhe_source;
typedef struct imhe_record imhe_record;

/* Opens records for `set` from a file ("-" is standard input), from several files read in turn
 * (on a thread of the library's own, a few records ahead of the caller, so reading overlaps
 * judging; memory stays flat), from an open FILE * (read through its descriptor to the end, not
 * closed; nothing may have been read from it through stdio; `name` is how messages call it) or
 * from memory (the bytes are copied). A path that is a pack (imhe_pack_paths) yields its records,
 * each decoded when asked for into a record the source reuses once freed; a damaged pack is
 * refused whole (IMHE_IO), one made by hand with a matching checksum at its first bad record. A
 * record whose id was seen before in the same source gets an error naming the first one. */
IMHE_API imhe_code imhe_source_open_path(const imhe_policy_set *set, const char *path,
                                         imhe_source **out, imhe_error *err);
IMHE_API imhe_code imhe_source_open_paths(const imhe_policy_set *set, const char *const *paths,
                                          size_t n, imhe_source **out, imhe_error *err);
IMHE_API imhe_code imhe_source_open_file(const imhe_policy_set *set, FILE *f, const char *name,
                                         imhe_source **out, imhe_error *err);
IMHE_API imhe_code imhe_source_open_memory(const imhe_policy_set *set, const void *bytes,
                                           size_t len, const char *name, imhe_source **out,
                                           imhe_error *err);
/* The next record: IMHE_OK with *out (the caller's, to free with imhe_record_free; it may outlive
 * the source), IMHE_END when there are no more. IMHE_IO when a file cannot be opened (a missing
 * file, a directory, a FIFO nobody writes to): err names it, and the next call goes on with the
 * next file. A record with errors (bad YAML, a limit broken, a field of the wrong type) is still
 * returned: its messages say what is wrong and judging it gives the verdict "invalid". */
IMHE_API imhe_code imhe_source_next(imhe_source *src, imhe_record **out, imhe_error *err);
/* As imhe_source_next, but a record whose policy is the same compiled program in the source's set
 * and in `other` (chosen by its association, as imhe_judge_pair chooses: imhe_judge_pair would
 * find it unchanged without judging it) is not handed out: *skipped counts it. From a pack, such a
 * record is read no further than its head (file, line, id, association): a record altered past
 * its head with a matching checksum (made by hand) is then skipped, not refused (docs/pack.md).
 * Ids are checked for repeats as imhe_source_next checks them, skipped records' included. */
IMHE_API imhe_code imhe_source_next_changed(imhe_source *src, const imhe_policy_set *other,
                                            imhe_record **out, size_t *skipped, imhe_error *err);
/* Notices about the files themselves seen so far, located: an empty file or document (severity 0,
 * a warning), the rest of a file left unread after a refused document (1, an error), a read that
 * failed (2, an I/O error). Safe to call while the source reads ahead. */
IMHE_API size_t imhe_source_message_count(const imhe_source *src);
IMHE_API int imhe_source_message(const imhe_source *src, size_t i, int *severity, imhe_error *out);
/* The files read so far (all of them once imhe_source_next gave IMHE_END): each path given counts
 * one, a pack the files it was made from, so that a pack says what its YAML would ("no record
 * judged in 3 files"). 0 for a NULL source. */
IMHE_API size_t imhe_source_file_count(const imhe_source *src);
/* Stops reading and frees the source (records handed out stay valid). src may be NULL. */
IMHE_API void imhe_source_close(imhe_source *src);

/* Packed corpora (docs/pack.md): every record of the YAML files (or packs) in paths, read and typed
 * as a source reads them, with their files, lines, errors and warnings and the files' notices,
 * written to `out` atomically (a temp file beside it, synced, renamed). A source opened on the
 * pack (detected by its magic) hands out the same records without parsing YAML, after verifying
 * the pack (header, version, checksum, sections) and each record as it is decoded (every offset,
 * length and value). *records (may be NULL)
 * receives how many were stored. IMHE_IO when an input cannot be read or the output cannot be
 * written (nothing is written then), err naming the file. No policy set is needed. */
IMHE_API imhe_code imhe_pack_paths(const char *const *paths, size_t n, const char *out,
                                   size_t *records, imhe_error *err);

IMHE_API void imhe_record_free(imhe_record *r);
/* Where the record starts, its id, applicant's name, association and kind as written. */
IMHE_API const char *imhe_record_file(const imhe_record *r);
IMHE_API uint32_t imhe_record_line(const imhe_record *r);
IMHE_API const char *imhe_record_id(const imhe_record *r);
IMHE_API const char *imhe_record_applicant(const imhe_record *r);
IMHE_API const char *imhe_record_association(const imhe_record *r);
IMHE_API imhe_record_kind imhe_record_kind_of(const imhe_record *r);
/* Errors (is_error 1) then warnings (0) found reading the record, each with file:line:col. */
IMHE_API size_t imhe_record_message_count(const imhe_record *r);
IMHE_API int imhe_record_message(const imhe_record *r, size_t i, int *is_error, imhe_error *out);

/* ---------------------------------------------------------------- judging */
typedef struct imhe_result imhe_result;

typedef struct imhe_judge_options {
  imhe_date as_of;         /* year 0: the record's own (renewal deadline, submitted date, today) */
  const char *category;    /* NULL: the record's; else judge as if it applied for this one */
  const char *association; /* NULL: the record's; else use this association's policy */
  imhe_date today;         /* year 0: the system's date (for records without a date) */
  /* 1: judge for the verdict only, building no explanation. The verdict, failed areas, fees,
   * next deadline, messages, each rule's status and each condition's status, observed and
   * required values are those of a full judgement; conditions carry no reasons and no counted or
   * left-out entries, so their sentences say less. For runs that print no explanation (a CSV
   * summary, counting verdicts, a first pass finding the records a policy change affects). */
  int verdicts_only;
} imhe_judge_options;

/* Judges `r` against its association's policy in `set` (opts may be NULL). Reentrant: any number
 * of threads may judge with one set at once. The record is not changed; *out is the caller's, to
 * free with imhe_result_free, and must not outlive the record. A record that cannot be judged
 * (errors, unknown association) still gives a result whose verdict is IMHE_VERDICT_INVALID and
 * whose messages say why; the return code is IMHE_OK then. MISMATCH when `r` was read for another
 * set; NOT_FOUND when opts names an association or category the set does not know. */
IMHE_API imhe_code imhe_judge(const imhe_policy_set *set, const imhe_record *r,
                              const imhe_judge_options *opts, imhe_result **out, imhe_error *err);
IMHE_API void imhe_result_free(imhe_result *res);

/* ---------------------------------------------------------------- results as data */
/* Every accessor below gives a safe default for a NULL handle or an index out of range: 0, NULL,
 * an empty value, IMHE_VERDICT_INVALID, IMHE_STATUS_FAIL; none crashes. Strings live as long as the
 * result. */
typedef struct imhe_rule_outcome imhe_rule_result;
typedef struct imhe_cond_result imhe_condition;

/* How a value is typed: a number with a unit, yes/no, a degree (by name), pass/fail/pending. */
#define IMHE_VALUE_LIST(X)                                                                         \
  X(NONE, "none")                                                                                  \
  X(NUMBER, "number") X(BOOLEAN, "boolean") X(DEGREE, "degree") X(OUTCOME, "outcome")
typedef enum imhe_value_type {
#define X(n, s) IMHE_VALUE_##n,
  IMHE_VALUE_LIST(X)
#undef X
      IMHE_VALUE__COUNT
} imhe_value_type;

/* A typed value. NUMBER: number in unit. BOOLEAN: boolean. DEGREE: text is the degree's name
 * ("masters or higher"). OUTCOME: status (pass, fail, pending). NONE: not measured or not
 * published. */
typedef struct imhe_value {
  imhe_value_type type;
  double number;
  imhe_unit unit;
  int boolean;
  const char *text;
  imhe_status status;
} imhe_value;

/* An entry of the record a condition counted or left out. number counts from 1 as a reviewer
 * does ("the 2nd work entry"); title is the entry's title, role, provider or name, or NULL. */
typedef struct imhe_entry_ref {
  imhe_section section;
  uint32_t number;
  const char *title;
  imhe_date start, end;
  uint32_t line; /* where the entry is in the record's file */
} imhe_entry_ref;

IMHE_API imhe_verdict imhe_result_verdict(const imhe_result *res);
IMHE_API const imhe_record *imhe_result_record(const imhe_result *res);
IMHE_API imhe_date imhe_result_as_of(const imhe_result *res);
IMHE_API imhe_as_of_source imhe_result_as_of_source(const imhe_result *res);
/* The policy applied ("XX") and the base in force at the as-of date ("legacy"). */
IMHE_API const char *imhe_result_policy(const imhe_result *res);
IMHE_API const char *imhe_result_base(const imhe_result *res);
/* Errors and warnings of the record and of judging it (an unknown association, a competency code
 * the policy does not know), each located: the record's errors, judging's errors, the record's
 * warnings, judging's warnings. imhe_result_message gives 1 and fills out (when not NULL), or 0
 * when i is out of range. */
IMHE_API size_t imhe_result_message_count(const imhe_result *res);
IMHE_API int imhe_result_message(const imhe_result *res, size_t i, int *is_error, imhe_error *out);
/* The next submission deadline and its label, year 0 when none. */
IMHE_API imhe_date imhe_result_next_deadline(const imhe_result *res);

IMHE_API size_t imhe_result_rule_count(const imhe_result *res);
IMHE_API const imhe_rule_result *imhe_result_rule(const imhe_result *res, size_t i);
IMHE_API const char *imhe_rule_id(const imhe_rule_result *r);
IMHE_API const char *imhe_rule_description(const imhe_rule_result *r);
IMHE_API const char *imhe_rule_file(const imhe_rule_result *r);
/* The published source the policy cites for the rule (its `source` item: "XX-AIMH Endorsement
 * Overview chart"), "" when the policy names none. */
IMHE_API const char *imhe_rule_citation(const imhe_rule_result *r);
IMHE_API uint32_t imhe_rule_line(const imhe_rule_result *r);
IMHE_API imhe_status imhe_rule_status(const imhe_rule_result *r);
/* The application tab the rule concerns ("education", "work", "training", ...). */
IMHE_API const char *imhe_rule_area(const imhe_rule_result *r);
IMHE_API size_t imhe_rule_condition_count(const imhe_rule_result *r);
IMHE_API const imhe_condition *imhe_rule_condition(const imhe_rule_result *r, size_t i);

IMHE_API const char *imhe_condition_description(const imhe_condition *c);
IMHE_API uint32_t imhe_condition_line(const imhe_condition *c);
IMHE_API imhe_status imhe_condition_status(const imhe_condition *c);
/* The comparison as written (">=", "<", "=", ...), "" for yes/no and pass/fail conditions. */
IMHE_API const char *imhe_condition_comparison(const imhe_condition *c);
IMHE_API imhe_value imhe_condition_observed(const imhe_condition *c);
IMHE_API imhe_value imhe_condition_required(const imhe_condition *c);
/* How much is missing (0 when met; NONE type when the condition is not a quantity). */
IMHE_API imhe_value imhe_condition_shortfall(const imhe_condition *c);
/* The condition as the sentence a person reads (the explain module's words). */
IMHE_API const char *imhe_condition_sentence(const imhe_condition *c);
IMHE_API size_t imhe_condition_counted_count(const imhe_condition *c);
IMHE_API int imhe_condition_counted(const imhe_condition *c, size_t i, imhe_entry_ref *out);
IMHE_API size_t imhe_condition_left_out_count(const imhe_condition *c);
/* An entry left out, and why in words ("ends before the window"). */
IMHE_API int imhe_condition_left_out(const imhe_condition *c, size_t i, imhe_entry_ref *out,
                                     const char **why);
/* The window a measure chose (the best 24 months of reflective supervision), 0 when none. */
IMHE_API int imhe_condition_window(const imhe_condition *c, imhe_date *start, imhe_date *end);
/* Why left-out entry i was left out, as a code (its words are imhe_condition_left_out's `why`);
 * IMHE_REASON__COUNT when c is NULL or i out of range. */
IMHE_API imhe_reason imhe_condition_left_out_reason(const imhe_condition *c, size_t i);
/* What the condition's measure or fact found (the best window, an empty slot, a membership's
 * expiry, ...), in order: its code and, when words is not NULL, its words. IMHE_REASON__COUNT (and
 * *words NULL) when c is NULL or i out of range. */
IMHE_API size_t imhe_condition_finding_count(const imhe_condition *c);
IMHE_API imhe_reason imhe_condition_finding(const imhe_condition *c, size_t i, const char **words);
/* Why a rule's result was made without running it (the category not offered, no renewal due), and
 * its words in *words when not NULL; IMHE_REASON__COUNT (and *words NULL) for rules that ran. */
IMHE_API imhe_reason imhe_rule_reason(const imhe_rule_result *r, const char **words);

/* Fees for the record's category (amounts in dollars; a negative amount was not published), by
 * the fee kinds the judging policy's catalogue declares (`defines fee`). */
typedef struct imhe_fees {
  int present;
  int renewal;  /* a renewal's or reinstatement's yearly fees */
  double total; /* an application's fees, or a renewal's a year; an overdue fee is not in it */
  const char *coupon; /* NULL when none was given */
  int coupon_applied;
  size_t note_count;
  const char *const *notes;
  /* the fee kinds charged with the record's kind, in the order declared: an application's, or a
   * renewal's yearly ones and those charged once when it is overdue (amount < 0: not charged) */
  size_t kind_count;
  const char *kinds[8]; /* their words ("KIND"), valid while the policy set is */
  double amounts[8];
  int once[8]; /* 1: charged once (overdue), besides total */
} imhe_fees;
IMHE_API imhe_fees imhe_result_fees(const imhe_result *res);
/* The amount of fee kind `kind` (its word) in f; -1 when f charges no such kind. */
IMHE_API double imhe_fees_amount(const imhe_fees *f, const char *kind);

/* ---------------------------------------------------------------- policy tests */
/* A policy test is an ordinary record with an `expect:` block (docs/testing.md): the verdict, the
 * failed areas, and optionally rules' status, conditions' observed, required and shortfall values
 * (within a tolerance), fees, the next deadline, the errors and warnings of an invalid record. */

/* As imhe_source_open_paths, in test mode: each record keeps its top-level `expect:` block instead
 * of being warned that the field is unknown (a plain source still warns). */
IMHE_API imhe_code imhe_source_open_tests(const imhe_policy_set *set, const char *const *paths,
                                          size_t n, imhe_source **out, imhe_error *err);

/* One difference between a test's expectation and the result, or (malformed 1) a mistake in the
 * expectation itself: an unknown key, value, rule, condition or area, with a "did you mean" where
 * one is near. line and column are in the test file. what names what was compared ("verdict",
 * "rule specialist_rsc: observed") or, when malformed, is the whole message; expected and actual
 * are NULL when malformed. rule is the rule concerned (its explanation shows why), or NULL. */
typedef struct imhe_test_difference {
  uint32_t line, column;
  int malformed;
  const char *what, *expected, *actual;
  const imhe_rule_result *rule;
} imhe_test_difference;

/* Checks the expect: block of the record res was judged from (read with imhe_source_open_tests)
 * against res, and keeps the outcome in res (a second call gives the same). A record without an
 * expect: block has one malformed difference saying so. Strings live as long as res. */
IMHE_API imhe_code imhe_test_run(imhe_result *res, imhe_error *err);
/* After imhe_test_run: the line of the expect: key (of the record when it has none), the number of
 * differences (0: the test passed) and difference i (1 and *out filled, or 0 out of range). */
IMHE_API uint32_t imhe_test_line(const imhe_result *res);
IMHE_API size_t imhe_test_difference_count(const imhe_result *res);
IMHE_API int imhe_test_difference_at(const imhe_result *res, size_t i, imhe_test_difference *out);

/* ---------------------------------------------------------------- requirement coverage */
/* Which parts of each policy of a set the judged records exercised, passing and failing: each
 * rule; its `when` guard (passing: it held; failing: the rule was skipped); each condition and
 * alternative of `all of` / `any of` (an alternative not needed is neither); each fee line
 * (passing: charged to a record; failing: a record it did not cover); coupon (applied; given
 * but not applied); deadline (reported as the next one; another was). One coverage belongs to
 * one thread; the set must outlive it. */
typedef struct imhe_coverage imhe_coverage;
typedef struct imhe_coverage_item {
  const char *policy; /* the policy's file name without extension ("wi") */
  const char *kind;   /* "rule", "guard", "condition", "fee", "coupon", "deadline" */
  const char *name;   /* rule id, condition's description, "KIND fee $20.00", ... */
  const char *file;
  uint32_t line; /* 0 for settings (fees, coupons, deadlines) */
  unsigned long passed, failed;
} imhe_coverage_item;
IMHE_API imhe_code imhe_coverage_open(const imhe_policy_set *set, imhe_coverage **out,
                                      imhe_error *err);
/* Counts what res exercised (results of other sets, or not judged by a policy, count nothing). */
IMHE_API void imhe_coverage_add(imhe_coverage *cov, const imhe_result *res);
/* The items of every policy, policy by policy in the set's order; 1 and *out filled, or 0. */
IMHE_API size_t imhe_coverage_count(const imhe_coverage *cov);
IMHE_API int imhe_coverage_at(const imhe_coverage *cov, size_t i, imhe_coverage_item *out);
IMHE_API void imhe_coverage_close(imhe_coverage *cov);

/* ---------------------------------------------------------------- comparing policies */
/* The differences between two sets' policies themselves, without records (imhe diff OLD NEW):
 * policies paired by file name (or the one policy of each when either set was opened on a file);
 * per pair, rules added, removed or changed (description, area, categories, conditions,
 * thresholds and dates, logic), fees, coupons, deadlines, accepted memberships, bases and the
 * categories offered. Both sets must outlive the comparison. */
typedef struct imhe_policy_diff imhe_policy_diff;
typedef struct imhe_difference {
  const char *policy; /* the policy's file name without extension ("wi") */
  const char *what;   /* "require specialist_rsc: thresholds", "fee KIND for CODE", ... */
  const char *change; /* "added", "removed" or "changed" */
  const char *old_text, *new_text; /* NULL on the side where it is absent */
  const char *file;                /* the rule's source (the new one's), NULL for settings */
  uint32_t line;
} imhe_difference;
IMHE_API imhe_code imhe_policy_diff_open(const imhe_policy_set *old_set,
                                         const imhe_policy_set *new_set, imhe_policy_diff **out,
                                         imhe_error *err);
IMHE_API size_t imhe_policy_diff_count(const imhe_policy_diff *d);
/* Difference i: 1 and *out filled (strings live as long as d), or 0 out of range. */
IMHE_API int imhe_policy_diff_at(const imhe_policy_diff *d, size_t i, imhe_difference *out);
IMHE_API void imhe_policy_diff_close(imhe_policy_diff *d);

/* One record judged under two policy sets (imhe diff OLD NEW --records): the rules whose outcome
 * differs — on one side only, another status, a condition with another status, observed or
 * required value — matched by id. Returns their count; the first cap are written to out, each
 * with the old and new rule (NULL on the side without it). */
typedef struct imhe_rule_change {
  const imhe_rule_result *old_rule, *new_rule;
} imhe_rule_change;
IMHE_API size_t imhe_result_changes(const imhe_result *old_res, const imhe_result *new_res,
                                    imhe_rule_change *out, size_t cap);
/* 1 when the fees or the next deadline of the two results differ, else 0. */
IMHE_API int imhe_result_settings_differ(const imhe_result *old_res, const imhe_result *new_res);
/* One record judged under two sets in one call (opts as imhe_judge's, may be NULL): *old_res under
 * old_set and *new_res under new_set, each the caller's to free. The record may have been read
 * for either set. When the record's policy is the same compiled program in both (byte for byte,
 * as a diff of a change to another association finds most records), it is not judged at all:
 * IMHE_OK with both results NULL, for its two results would be the same. Otherwise as imhe_judge
 * (MISMATCH when the record was read for neither set). */
IMHE_API imhe_code imhe_judge_pair(const imhe_policy_set *old_set, const imhe_policy_set *new_set,
                                   const imhe_record *r, const imhe_judge_options *opts,
                                   imhe_result **old_res, imhe_result **new_res, imhe_error *err);

/* ---------------------------------------------------------------- reporters */
typedef struct imhe_reporter imhe_reporter;

typedef struct imhe_render_options {
  int color;   /* text reporter: ANSI colours */
  int verbose; /* letter, markdown, html: each unmet rule's id and file:line beside its source */
} imhe_render_options;

/* The reporters built in, by index; NULL past the last: "text" (every rule explained, for
 * coordinators), "json" (JSON Lines, docs/report.md), and the deficiency report an applicant can
 * be sent: "letter" (plain text), "markdown" (CommonMark), "html" (one printable file; its batch
 * index streams, the applicants' reports wait in a temporary file until the last row). */
IMHE_API const char *imhe_reporter_name(size_t i);
/* Opens reporter `name` writing to f (not closed by the reporter); NOT_FOUND for an unknown name
 * (the message lists the known ones). opts may be NULL. */
IMHE_API imhe_code imhe_reporter_open(const char *name, FILE *f, const imhe_render_options *opts,
                                      imhe_reporter **out, imhe_error *err);
/* Writes one record's report. IO when f fails. */
IMHE_API imhe_code imhe_reporter_write(imhe_reporter *rep, const imhe_result *res, imhe_error *err);
/* Writes the report's end, flushes and frees the reporter (rep may be NULL). */
IMHE_API imhe_code imhe_reporter_close(imhe_reporter *rep, imhe_error *err);
/* One record's whole report (begin, record, end) with reporter `format` into buf of cap bytes,
 * NUL-terminated; *needed (when not NULL) is the length without the NUL. BUFFER_TOO_SMALL when it
 * does not fit (buf then holds nothing usable): call again with *needed + 1 bytes. */
IMHE_API imhe_code imhe_render_buffer(const imhe_result *res, const char *format,
                                      const imhe_render_options *opts, char *buf, size_t cap,
                                      size_t *needed, imhe_error *err);

/* ---------------------------------------------------------------- batches on every core */
/* What imhe_batch_run hands its callback, one item at a time and in the order of the input: a
 * record judged and rendered, a notice about a file (as imhe_source_message gives them), a file
 * that could not be opened (as imhe_source_next's IO), or a record imhe_judge refused. */
typedef enum {
  IMHE_BATCH_RECORD,
  IMHE_BATCH_NOTICE,
  IMHE_BATCH_OPEN_ERROR,
  IMHE_BATCH_JUDGE_ERROR
} imhe_batch_kind;
typedef struct imhe_batch_item {
  imhe_batch_kind kind;
  imhe_verdict verdict; /* RECORD */
  const char *report;   /* RECORD: its report in the batch's format (not NUL-terminated) */
  size_t report_len;
  const char *index; /* RECORD: its row of the batch's index (html), else NULL */
  size_t index_len;
  int severity;            /* NOTICE: 0 warning, 1 error, 2 I/O error */
  const imhe_error *error; /* NOTICE, OPEN_ERROR, JUDGE_ERROR */
} imhe_batch_item;
typedef struct imhe_batch_options {
  unsigned threads;                  /* threads parsing, judging and rendering; 0: one a core */
  const char *format;                /* a reporter's name (imhe_reporter_name) */
  const imhe_render_options *render; /* may be NULL */
  const imhe_judge_options *judge;   /* may be NULL */
} imhe_batch_options;
typedef void imhe_batch_fn(void *ctx, const imhe_batch_item *item);
/* Reads, types, judges and renders every record of the YAML files in paths ("-" is standard
 * input) on opts->threads threads at once, and hands each item to fn on the calling thread, in
 * input order: the items, the reports' bytes and the repeated ids found are those of reading the
 * files with imhe_source_open_paths and judging and rendering one record at a time, whatever the
 * number of threads. With one thread, all of it runs on the calling thread and no thread is
 * started (a single-threaded process keeps glibc's lock-free malloc; such a program may want
 * mallopt(M_TRIM_THRESHOLD) raised, as imhe's command line does, or glibc returns and refaults
 * the memory each document frees). Memory stays flat however many records. Items live during the
 * call only. NOT_FOUND for an unknown format; INVALID_ARGUMENT when a path is a pack (read packs
 * with imhe_source_open_paths). */
IMHE_API imhe_code imhe_batch_run(const imhe_policy_set *set, const char *const *paths, size_t n,
                                  const imhe_batch_options *opts, imhe_batch_fn *fn, void *ctx,
                                  imhe_error *err);
/* As imhe_batch_run, but the batch writes the records' reports to fd itself, in input order, from
 * the calling thread: each chunk's reports in one writev from the buffer a thread made them in,
 * not copied into a stdio buffer first. fn still gets every item, RECORD items with their report
 * (written after fn returns: not to be written again). What precedes a report on fd (a stdio
 * stream's beginning, written by fn at the first record) must have been flushed by then. After a
 * failed write nothing more is written, the batch runs on to the end and IO is returned, errno the
 * failed write's. INVALID_ARGUMENT for a format with an index (html: write it with
 * imhe_reporter_put). */
IMHE_API imhe_code imhe_batch_run_fd(const imhe_policy_set *set, const char *const *paths, size_t n,
                                     const imhe_batch_options *opts, int fd, imhe_batch_fn *fn,
                                     void *ctx, imhe_error *err);
/* Writes the format's beginning now (imhe_reporter_put and imhe_reporter_close write it when it
 * has not been) and flushes the stream, so that reports can follow on its file descriptor
 * (imhe_batch_run_fd). IO when the stream fails. */
IMHE_API imhe_code imhe_reporter_begin(imhe_reporter *rep, imhe_error *err);
/* Writes a batch item's report (its index row, if any, and its report) as imhe_reporter_write
 * would have written the record. IO when f fails. */
IMHE_API imhe_code imhe_reporter_put(imhe_reporter *rep, const imhe_batch_item *item,
                                     imhe_error *err);

#ifdef __cplusplus
}
#endif
#endif
