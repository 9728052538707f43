/* context.h — what evaluating one record against one program carries: the program, the record, its
 * arena, the as-of date, and the values on the VM's stack (numbers, dates, truths, collections of
 * entries with what was left out and why, as reason codes). Everything lives in the result's arena.
 */
#ifndef IMHE_CONTEXT_H
#define IMHE_CONTEXT_H

#include "runtime/eval/result.h"
#include "runtime/records/schema.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

/* Entries of one section, as indices into the record's list, and those left out on the way. */
struct coll {
  uint8_t sec;
  uint32_t n, nex;
  uint32_t *idx;
  struct excl *ex;
  const char *kept; /* the one value an enumerated filter kept entries by ("informal"), or NULL */
};
/* A value on the VM's stack, of type t. */
struct val {
  enum imhe_vtype t;
  double num;
  int32_t date;
  int b; /* B: 0/1; T: 0 fail, 1 pass, 2 pending */
  struct coll *c;
  const struct imhe_why *note; /* what a measure or fact found */
  const struct coll *src;      /* collection a measure read, for its left-out list */
  struct imhe_capped *cap;     /* a part of this sum that `min` cut, for the reports' words */
  const struct imhe_placing *placing; /* references placed by `slots`, for the reports' words */
};

/* The fields whose codes a record's check resolves (struct vm, codes), in the order checked. */
enum {
  CODES_ENDO_CATEGORY,
  CODES_RSC_ENDORSEMENTS,
  CODES_DEGREE,
  CODES_CREDENTIAL,
  CODES_ROLE,
  CODES__COUNT
};
static inline int imhe_codes_index(int sec, int f) {
  return sec == IMHE_SECTION_ENDORSEMENTS && f == ENDO_CATEGORY     ? CODES_ENDO_CATEGORY
         : sec == IMHE_SECTION_RSC && f == RSC_PROVIDER_ENDORSEMENT ? CODES_RSC_ENDORSEMENTS
         : sec == IMHE_SECTION_EDUCATION && f == EDU_DEGREE         ? CODES_DEGREE
         : sec == IMHE_SECTION_EDUCATION && f == EDU_CREDENTIAL     ? CODES_CREDENTIAL
         : sec == IMHE_SECTION_REFERENCES && f == REF_ROLE          ? CODES_ROLE
                                                                    : -1;
}

/* One record being judged against one program; rr is the rule result being filled. */
struct vm {
  const struct imhe_program *p;
  const struct imhe_record *r;
  struct imhe_arena *a;
  int32_t as_of;
  int category;            /* the record's, or the one it is judged as (recommend); -1 none */
  struct imhe_result *res; /* the record's result, for errors found while judging */
  struct imhe_rule_outcome *rr;
  uint32_t capconds;
  /* The competencies of each domain the record documents by the as-of date, for the category
   * judged (bit k: the domain's item k), found as its codes are checked (judge.c). */
  uint64_t comps_seen[16];
  /* Verdicts only (imhe_evaluate_mode): while the rules run, no explanation is built — no left-out
   * lists, no reasons (every reason asked for is `scratch`, never chained), no capped parts or
   * placings — only each rule's status and each condition's status and values. */
  int lean;
  struct imhe_why *scratch;
  /* While lean, each section's entries by the as-of date, made the first time a rule asks
   * (imhe_section_coll) and shared by the rules after it: collections are never changed once
   * made, and a lean one holds no reasons. */
  struct coll *sections[IMHE_SECTION__COUNT];
  /* The codes of the record's entries, resolved once a record when they are checked (judge.c,
   * validate_categories) for the filters and measures that read them again: for each field of
   * imhe_codes_index, entry by entry, its first code's value exactly (-1 none or unknown) or, for
   * an RSC provider's endorsements, the mask of its codes' categories matched loosely. NULL until
   * checked. */
  int32_t *codes[CODES__COUNT];
};

/* An empty collection of section sec with room for cap entries and cap left out. Inline, as the
 * next: every filter and section makes one (some nine a record). */
static inline struct coll *imhe_coll_new(struct vm *vm, int sec, uint32_t cap) {
  /* the collection and its indices in one allocation; the indices are read only below n and
   * nex: left unzeroed; a lean run leaves nothing out by name */
  struct coll *c = imhe_arena_alloc_raw(vm->a, sizeof *c + (cap + 1) * sizeof *c->idx);
  *c = (struct coll){.sec = (uint8_t)sec, .idx = (uint32_t *)(c + 1)};
  if (!vm->lean)
    c->ex = imhe_arena_alloc_raw(vm->a, (cap + 1) * sizeof *c->ex);
  return c;
}
/* An empty collection of from's section that keeps from's left-out entries, with room for extra
 * more. */
static inline struct coll *imhe_coll_copy_ex(struct vm *vm, const struct coll *from,
                                             uint32_t extra) {
  uint32_t total = vm->r->sec[from->sec].n;
  struct coll *c = imhe_coll_new(vm, from->sec, total + extra);
  if (vm->lean)
    return c;
  memcpy(c->ex, from->ex, from->nex * sizeof *c->ex);
  c->nex = from->nex;
  return c;
}
/* A number as fee notes write it: rounded to hundredths, no trailing zeros. */
const char *imhe_vm_num(struct vm *vm, double v);
/* The spelling of value v of enumeration e, or "?". */
const char *imhe_enum_value_name(int e, int v);
/* A new reason of code `code`, no operands set (no field, no entry, no dates). */
static inline struct imhe_why *imhe_why_new(struct vm *vm, imhe_reason code) {
  /* while lean, filled and dropped: the caller's writes land here and nothing reads them but the
   * caller, after writing (a fact's code), so it is not cleared; it was zeroed when made, and its
   * link is never set (imhe_why_add and imhe_why_join chain nothing while lean). Inline: every
   * fact and most measures ask for one. */
  struct imhe_why *w = vm->lean ? vm->scratch : imhe_arena_alloc(vm->a, sizeof *w);
  w->code = (uint8_t)code;
  w->field = IMHE_WHY_NO_FIELD;
  w->entry = IMHE_WHY_NO_ENTRY;
  w->date[0] = w->date[1] = IMHE_NO_DATE;
  return w;
}
/* A new reason appended to the chain *head whose last link is *tail (both NULL when empty). */
struct imhe_why *imhe_why_add(struct vm *vm, imhe_reason code, const struct imhe_why **head,
                              struct imhe_why **tail);
/* Chain a followed by chain b (a's links copied, b shared). */
const struct imhe_why *imhe_why_join(struct vm *vm, const struct imhe_why *a,
                                     const struct imhe_why *b);

/* The first day of entry i of section sec (a section with a date range). */
/* The category a record's code names in p's table, or -1: an endorsement's category exactly, an
 * RSC provider's endorsement without regard to case or surrounding spaces (reading 33). */
static inline int imhe_slot_category(const struct imhe_program *p, const struct imhe_comp_code *c,
                                     int loose) {
  return loose ? imhe_cat_lookup_loose(p, c->s.s, c->s.n) : imhe_cat_lookup(p, c->s.s, c->s.n);
}

static inline int32_t entry_start(struct vm *vm, int sec, uint32_t i) {
  int fs = imhe_sections[sec].start;
  return vm->r->sec[sec].v[i].f[fs].v.date;
}
/* Its last day, an open end or one after the as-of date taken as the as-of date. */
static inline int32_t entry_end(struct vm *vm, int sec, uint32_t i) {
  int fe = imhe_sections[sec].end;
  const struct imhe_slot *s = &vm->r->sec[sec].v[i].f[fe];
  int32_t e = s->present ? s->v.date : vm->as_of;
  return e > vm->as_of ? vm->as_of : e;
}
/* l (cmp) r, with a tolerance for sums of hundredths. */
static inline int cmp_apply(int cmp, double l, double r) {
  const double eps = 1e-9;
  switch (cmp) {
  case CMP_GE:
    return l >= r - eps;
  case CMP_GT:
    return l > r + eps;
  case CMP_LE:
    return l <= r + eps;
  case CMP_LT:
    return l < r - eps;
  case CMP_EQ:
    return fabs(l - r) <= eps;
  default:
    return fabs(l - r) > eps;
  }
}

#endif
