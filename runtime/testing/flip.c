/* flip.c — what changes for one record between two policies: rules matched by id, compared by
 * status and by each condition's status, observed and required values; fees and deadline. */
#include "runtime/testing/flip.h"
#include <math.h>
#include <string.h>

static const struct imhe_rule_outcome *find(const struct imhe_result *r, const char *id) {
  for (uint32_t i = 0; i < r->nrules; i++)
    if (!strcmp(r->rules[i].id, id))
      return &r->rules[i];
  return NULL;
}

static int same_number(double a, double b) {
  return fabs(a - b) < 1e-9;
}

static int rule_differs(const struct imhe_rule_outcome *a, const struct imhe_rule_outcome *b) {
  if (a->status != b->status || a->nconds != b->nconds)
    return 1;
  for (uint32_t i = 0; i < a->nconds; i++) {
    const struct imhe_cond_result *x = &a->conds[i], *y = &b->conds[i];
    if (x->status != y->status || strcmp(x->desc, y->desc) ||
        !same_number(x->observed, y->observed) || !same_number(x->required, y->required))
      return 1;
  }
  return 0;
}

size_t imhe_flip_rules(const struct imhe_result *a, const struct imhe_result *b,
                       struct imhe_rule_pair *out, size_t cap) {
  size_t n = 0;
  for (uint32_t i = 0; i < a->nrules; i++) {
    const struct imhe_rule_outcome *o = &a->rules[i], *m = find(b, o->id);
    if (!m || rule_differs(o, m)) {
      if (n < cap)
        out[n] = (struct imhe_rule_pair){o, m};
      n++;
    }
  }
  for (uint32_t i = 0; i < b->nrules; i++)
    if (!find(a, b->rules[i].id)) {
      if (n < cap)
        out[n] = (struct imhe_rule_pair){NULL, &b->rules[i]};
      n++;
    }
  return n;
}

int imhe_flip_settings(const struct imhe_result *a, const struct imhe_result *b) {
  const struct imhe_fee_summary *x = &a->fees, *y = &b->fees;
  if (a->next_deadline != b->next_deadline || x->present != y->present)
    return 1;
  if (!x->present)
    return 0;
  if (!same_number(x->total, y->total) || x->coupon_applied != y->coupon_applied)
    return 1;
  /* each fee kind by its word: the two policies may declare different kinds */
  for (int pass = 0; pass < 2; pass++) {
    const struct imhe_fee_summary *u = pass ? y : x, *v = pass ? x : y;
    for (int i = 0; i < u->nkinds; i++) {
      double other = -1;
      for (int j = 0; j < v->nkinds; j++)
        if (!strcmp(u->kinds[i].word, v->kinds[j].word))
          other = v->kinds[j].amount;
      if (!same_number(u->kinds[i].amount, other))
        return 1;
    }
  }
  return 0;
}
