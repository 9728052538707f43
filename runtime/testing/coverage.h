/* coverage.h — requirement coverage of one policy: each rule, its `when` guard, each condition
 * and alternative, each fee line, coupon and deadline, and how often judged records exercised it
 * passing and failing. The owner frees what imhe_cov_init allocates with imhe_cov_free. */
#ifndef IMHE_COVERAGE_H
#define IMHE_COVERAGE_H

#include "runtime/eval/result.h"

#define IMHE_COV_KINDS(X)                                                                          \
  X(RULE, "rule")                                                                                  \
  X(GUARD, "guard")         /* a rule's `when`: passing, it held; failing, the rule was skipped */ \
  X(CONDITION, "condition") /* a condition or an alternative of `all of` / `any of` */             \
  X(FEE, "fee")             /* passing: charged to a record; failing: a record it did not cover */ \
  X(COUPON, "coupon")       /* passing: applied; failing: given but not applied */                 \
  X(DEADLINE, "deadline")   /* passing: reported as the next one; failing: another was */
enum imhe_cov_kind {
#define X(n, s) COV_##n,
  IMHE_COV_KINDS(X)
#undef X
      COV__COUNT
};
extern const char *const imhe_cov_kind_name[COV__COUNT];

struct imhe_cov_item {
  uint8_t kind;
  uint32_t index; /* the rule, condition, fee, coupon or deadline in the program */
  const char *name, *file;
  uint32_t line;
  unsigned long pass, fail;
};

struct imhe_cov_policy {
  const struct imhe_program *p;
  struct imhe_cov_item *v;
  uint32_t n;
  uint32_t *rule_item;  /* per program rule: its item, or UINT32_MAX (coupons' rules) */
  uint32_t *guard_item; /* per program rule: its guard's item, or UINT32_MAX */
  uint32_t *cond_item;  /* per program condition: its item */
  char *names;          /* the names made here (fees, deadlines, guards) */
};

/* The items of program p, none exercised yet; -1 when out of memory. */
int imhe_cov_init(struct imhe_cov_policy *c, const struct imhe_program *p);
/* Counts what res (judged with c's program) exercised. */
void imhe_cov_add(struct imhe_cov_policy *c, const struct imhe_result *res);
void imhe_cov_free(struct imhe_cov_policy *c);

#endif
