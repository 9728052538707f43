/* flip.c — what changes for one record between two policies: rules matched by id, compared by
 * status and by each condition's status, observed and required values; fees and deadline. */
#include "runtime/testing/flip.h"
#include "runtime/bytecode/program.h"
#include <math.h>
#include <string.h>

static const struct imhe_rule_outcome *find(const struct imhe_result *r, const char *id) {
  for (uint32_t i = 0; i < r->nrules; i++)
    if (!strcmp(r->rules[i].id, id))
      return &r->rules[i];
  return NULL;
}

/* A result's rules by id, for matching two results in time linear in their rules (a diff matches
 * every changed record's): an open-addressing table of indices, the first rule of an id kept, as
 * find() finds it. A result of more rules than it holds is searched instead. */
#define BY_ID_SLOTS 512
struct by_id {
  const struct imhe_result *r;
  uint16_t slot[BY_ID_SLOTS]; /* a rule's index + 1; 0 empty */
};

/* Rule ids hash as competency codes do: they too differ in their first and last bytes. */
static uint32_t id_hash(const char *s) {
  return imhe_comp_hash(s, strlen(s));
}

static void index_ids(struct by_id *t, const struct imhe_result *r) {
  t->r = r;
  if (r->nrules > BY_ID_SLOTS / 2)
    return;
  memset(t->slot, 0, sizeof t->slot);
  for (uint32_t i = 0; i < r->nrules; i++) {
    uint32_t at = id_hash(r->rules[i].id) % BY_ID_SLOTS;
    while (t->slot[at] && strcmp(r->rules[t->slot[at] - 1].id, r->rules[i].id))
      at = (at + 1) % BY_ID_SLOTS;
    if (!t->slot[at])
      t->slot[at] = (uint16_t)(i + 1);
  }
}

static const struct imhe_rule_outcome *lookup(const struct by_id *t, const char *id) {
  const struct imhe_result *r = t->r;
  if (r->nrules > BY_ID_SLOTS / 2)
    return find(r, id);
  for (uint32_t at = id_hash(id) % BY_ID_SLOTS; t->slot[at]; at = (at + 1) % BY_ID_SLOTS)
    if (!strcmp(r->rules[t->slot[at] - 1].id, id))
      return &r->rules[t->slot[at] - 1];
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
  struct by_id ia, ib;
  index_ids(&ia, a);
  index_ids(&ib, b);
  for (uint32_t i = 0; i < a->nrules; i++) {
    const struct imhe_rule_outcome *o = &a->rules[i], *m = lookup(&ib, o->id);
    if (!m || rule_differs(o, m)) {
      if (n < cap)
        out[n] = (struct imhe_rule_pair){o, m};
      n++;
    }
  }
  for (uint32_t i = 0; i < b->nrules; i++)
    if (!lookup(&ia, b->rules[i].id)) {
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
