/* result.h — what evaluating one record yields: a plain structure every report format reads.
 * Everything in it lives in the record's arena and is freed with the record. */
#ifndef IMHE_RESULT_H
#define IMHE_RESULT_H

#include "runtime/bytecode/program.h"
#include "runtime/core/export.h"
#include "runtime/records/record.h"

/* A reason (include/imhe.h, IMHE_REASON_LIST) with its typed operands; which operands a code uses
 * is said on its line there. Findings of one measure are chained by next. */
struct imhe_why {
  uint8_t code;   /* imhe_reason */
  int8_t cmp;     /* a comparison (enum imhe_cmp) */
  uint8_t sec;    /* the section of field and entry */
  uint8_t field;  /* a field of section sec, NO_FIELD when none */
  uint8_t enm;    /* the enumeration (enum imhe_enum) of have and want */
  uint8_t unit;   /* of amount[] (imhe_unit) */
  uint8_t flag;   /* BEST_WINDOW: clipped to the as-of date; FLAG_MISMATCH: the field is true */
  uint32_t entry; /* an entry of section sec (0-based), NO_ENTRY when none */
  uint32_t count;
  uint32_t have, want; /* a value (VALUE_*) or a set of values (masks), of enumeration enm */
  int32_t date[2];     /* IMHE_NO_DATE when absent */
  double amount[2];
  const char *name;  /* an association, a document, a category, a domain code, a credential */
  const char *name2; /* a second name: the policy's display name */
  const struct imhe_why *next;
};
#define IMHE_WHY_NO_FIELD 0xFF
#define IMHE_WHY_NO_ENTRY UINT32_MAX

/* An entry left out of a collection, and why. */
struct excl {
  uint32_t idx;
  const struct imhe_why *why;
};

/* A part of a sum that `min` capped ("informal counting at most 2 hours"), for the text reports:
 * what the part held and the cap, the words naming it and the rest of the sum (the value their
 * entries were kept by: "informal", "formal"; NULL none), and the part's entries. */
struct imhe_capped {
  double have, limit;
  const char *part, *rest;
  int sec; /* the section of idx */
  const uint32_t *idx;
  uint32_t n;
};

/* How a `slots` measure placed references in the places it asks for, for the text reports: each
 * place's roles (a mask of enum imhe_role) and the reference filling it (an entry of references,
 * -1 none). */
struct imhe_placing {
  uint32_t nslots;
  uint32_t roles[8];
  int32_t entry[8];
};

struct imhe_cond_result {
  const char *desc;
  uint32_t line;
  imhe_status status;
  enum imhe_vtype kind; /* VT_NUM comparison, VT_BOOL yes/no, VT_TRI pass/fail/pending */
  int cmp, unit, display;
  double observed, required, shortfall;
  const struct imhe_why *notes; /* what the measure found (best window, empty slots, ...) */
  const struct excl *left_out;  /* entries of section counted_sec left out, and why */
  uint32_t nleft;
  const uint32_t *counted; /* indices of the entries a measure counted, in section counted_sec */
  uint32_t ncounted;
  int counted_sec;                    /* -1 when the condition measured no collection */
  const struct imhe_result *res;      /* the result it belongs to (for its arena and record) */
  const char *sentence;               /* imhe_condition_sentence's words, made when first asked */
  const struct imhe_capped *capped;   /* a part of the sum observed that a cap cut, NULL none */
  const struct imhe_placing *placing; /* references placed by `slots`, NULL none */
};

struct imhe_rule_outcome {
  uint32_t rule;
  const char *id, *desc, *file;
  const char *cite; /* the published source the policy cites ("" none) */
  uint32_t line;
  int area, kind; /* kind: enum imhe_program_rule_kind */
  imhe_status status;
  struct imhe_cond_result *conds;
  uint32_t nconds;
  const struct imhe_why *reason; /* for results made outside the VM (category, renewal due) */
  const struct imhe_result *res; /* the result it belongs to (for its arena) */
};

/* One fee kind the judging program declares, and what the record owes of it. */
struct imhe_fee_line {
  const char *word, *name; /* as declared: "KIND", "KIND fee" */
  uint8_t flags;           /* enum imhe_fee_flag: when it is charged, waivable, required */
  double amount;           /* < 0: not published, or (overdue) not charged */
};
struct imhe_fee_summary {
  int present;
  int renewal; /* renewal or reinstatement: the fees below are a year's */
  /* every fee kind the program declares, in its order; only those charged with the record's kind
   * (an application's, or a renewal's yearly and overdue ones) are reported */
  struct imhe_fee_line kinds[IMHE_MAX_FEE_KINDS];
  int nkinds;
  double total; /* the sum of the record's application or yearly fees; < 0 when one is not
                   published (an overdue fee is charged once, not in it) */
  const char *coupon;
  int coupon_applied;
  const char *notes[8];
  const struct imhe_why *note_why[8]; /* when set, note i is followed by ": " and these words */
  int nnotes;
  /* the coupon's condition that failed (NULL none), and when set the note saying so: the text
   * reports name the condition ("it needs at least 100 h of RSC") where JSON keeps its notes */
  const struct imhe_cond_result *coupon_cond;
  int coupon_note;
};

/* Whether fee kind k of f is listed in pass `pass` of the record's fees, as every report lists
 * them: an application's fees in pass 1, in the order declared; a renewal's own (required) fee in
 * pass 0 and its other yearly fees in pass 1. Overdue fees are charged apart. */
static inline int imhe_fee_listed(const struct imhe_fee_summary *f, int k, int pass) {
  unsigned fl = f->kinds[k].flags;
  if (!f->renewal)
    return pass == 1 && (fl & FK_APPLICATION);
  return (fl & FK_RENEWAL) && ((fl & FK_REQUIRED) ? 0 : 1) == pass;
}

struct imhe_result {
  const struct imhe_record *record;  /* the record judged: it must outlive the result */
  struct imhe_arena *arena;          /* where everything below lives */
  struct imhe_msgs errors, warnings; /* found while judging: the record itself is not changed */
  imhe_verdict verdict;
  int category; /* the category judged (in prog's table): the record's, or the one asked for; -1
                   none */
  /* the program whose categories `category` indexes: the one that judged it, or for a record no
   * policy could judge the first of the set that declares its category; NULL when none */
  const struct imhe_program *prog;
  int32_t as_of;
  imhe_as_of_source as_of_source;
  const char *policy, *base;
  struct imhe_rule_outcome *rules;
  uint32_t nrules;
  uint32_t failed_areas; /* mask of areas */
  struct imhe_fee_summary fees;
  int32_t next_deadline; /* IMHE_NO_DATE when none */
  const char *deadline_label;
  /* judged for verdicts only (imhe_evaluate_mode): each rule's status, each condition's status,
   * observed and required values, but no reasons, counted or left-out entries */
  int verdicts_only;
};

/* Evaluates `r` against verified program `p` at the as-of date. Reentrant: no global state; the
 * record is only read, so many threads may judge it at once; all memory of the result comes from
 * arena a (the record's own arena is fine when one thread owns both). */
IMHE_INTERNAL_API void imhe_evaluate(const struct imhe_program *p, const struct imhe_record *r,
                                     struct imhe_arena *a, int32_t as_of,
                                     imhe_as_of_source as_of_source, struct imhe_result *out);
/* The same, judging the record as if it applied for `category` (-1: its own): what recommend
 * asks of each category. */
IMHE_INTERNAL_API void imhe_evaluate_as(const struct imhe_program *p, const struct imhe_record *r,
                                        struct imhe_arena *a, int32_t as_of,
                                        imhe_as_of_source as_of_source, int category,
                                        struct imhe_result *out);
/* The same; with verdicts_only, the rules build no explanation (result.verdicts_only): the
 * verdict, failed areas, fees, deadline, messages, each rule's status and each condition's status,
 * observed and required values are those a full evaluation gives (tests/test_lean.c), for runs
 * that report no more (imhe check --format csv, the first pass of imhe diff --records). */
IMHE_INTERNAL_API void imhe_evaluate_mode(const struct imhe_program *p, const struct imhe_record *r,
                                          struct imhe_arena *a, int32_t as_of,
                                          imhe_as_of_source as_of_source, int category,
                                          int verdicts_only, struct imhe_result *out);
/* Appends a warning of judging, located in the record's file, to res. */
void imhe_result_warning(struct imhe_result *res, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Appends an error of judging, located in the record's file, to res (its verdict stays as set). */
void imhe_result_error(struct imhe_result *res, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
