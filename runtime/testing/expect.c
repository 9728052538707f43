/* expect.c — checks a test record's `expect:` block against its result: verdict, failed areas,
 * rules' status, conditions' observed, required and shortfall values (within a tolerance), fees,
 * the next deadline, and the errors and warnings an invalid record must give (docs/testing.md). */
#include "runtime/testing/expect.h"
#include "runtime/core/dates.h"
#include "runtime/core/names.h"
#include "runtime/core/sbuf.h"
#include "runtime/records/tree.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TOLERANCE 0.005

static const char *const verdict_names[] = {
#define X(n, s) s,
    IMHE_VERDICT_LIST(X)
#undef X
};
static const char *const status_names[] = {
#define X(n, s) s,
    IMHE_STATUS_LIST(X)
#undef X
};

/* The checking of one block: where differences go, and what they are checked against. */
struct chk {
  const struct imhe_result *res;
  const struct imhe_program *p;
  struct imhe_arena *a;
  struct imhe_test_outcome *out;
  double tol;
};

static struct imhe_test_diff *add(struct chk *c, const struct ynode *at, int malformed,
                                  const struct imhe_rule_outcome *rule) {
  struct imhe_test_outcome *o = c->out;
  if (o->n == o->cap) {
    uint32_t cap = o->cap ? o->cap * 2 : 8;
    struct imhe_test_diff *v = imhe_arena_alloc(c->a, cap * sizeof *v);
    if (!v) /* GCOVR_EXCL_LINE: out of memory */
      return NULL;
    if (o->n)
      memcpy(v, o->v, o->n * sizeof *v);
    o->v = v;
    o->cap = cap;
  }
  struct imhe_test_diff *d = &o->v[o->n++];
  memset(d, 0, sizeof *d);
  d->line = at ? at->line : o->line;
  d->col = at ? at->col : 1;
  d->malformed = malformed;
  d->rule = rule;
  return d;
}

/* A mistake in the expectation itself. */
static void bad(struct chk *c, const struct ynode *at, const char *msg) {
  struct imhe_test_diff *d = add(c, at, 1, NULL);
  if (d)
    d->what = msg;
}

static void differ(struct chk *c, const struct ynode *at, const struct imhe_rule_outcome *rule,
                   const char *what, const char *expected, const char *actual) {
  struct imhe_test_diff *d = add(c, at, 0, rule);
  if (d) {
    d->what = what;
    d->expected = expected;
    d->actual = actual;
  }
}

/* The scalar's text, NUL-terminated, in the arena ("" for a list or mapping). */
static const char *text(struct chk *c, const struct ynode *n) {
  return n && n->type == N_SCALAR ? imhe_arena_strndup(c->a, n->s, n->n) : "";
}

/* "; did you mean 'X'?" for the nearest of names (count of them, or up to a NULL), or "". */
static const char *suggest(struct chk *c, const struct ynode *k, const char *const *names,
                           size_t count) {
  const char *best = NULL;
  unsigned bd = 4;
  for (size_t i = 0; i < count && names[i]; i++) {
    unsigned d = imhe_edit_distance(k->s, k->n, names[i]);
    if (d < bd) {
      bd = d;
      best = names[i];
    }
  }
  return best ? imhe_arena_printf(c->a, "; did you mean '%s'?", best) : "";
}

/* A number, or a located complaint and -1. */
static int number(struct chk *c, const struct ynode *n, const char *what, double *out) {
  if (n && n->type == N_SCALAR && n->n > 0 && n->n < 40) {
    char buf[48], *end;
    memcpy(buf, n->s, n->n);
    buf[n->n] = 0;
    *out = strtod(buf, &end);
    if (*end == 0 && isfinite(*out))
      return 0;
  }
  bad(c, n, imhe_arena_printf(c->a, "%s must be a number, not '%s'", what, text(c, n)));
  return -1;
}

static const char *num_text(struct chk *c, double v) {
  return imhe_arena_printf(c->a, "%.10g", v);
}

/* Checks that key k of `where` is one of known; else a malformed diff with a suggestion. */
static int known_key(struct chk *c, const struct ynode *k, const char *where,
                     const char *const *known) {
  for (size_t i = 0; known[i]; i++)
    if (tree_key_is(k, known[i]))
      return 1;
  size_t n = 0;
  while (known[n])
    n++;
  bad(c, k,
      imhe_arena_printf(c->a, "%s: unknown key '%s'%s", where, text(c, k),
                        suggest(c, k, known, n)));
  return 0;
}

static void check_verdict(struct chk *c, const struct ynode *v) {
  const char *want = text(c, v);
  for (int i = 0; i < IMHE_VERDICT__COUNT; i++)
    if (!strcmp(want, verdict_names[i])) {
      if ((int)c->res->verdict != i)
        differ(c, v, NULL, "verdict", want, verdict_names[c->res->verdict]);
      return;
    }
  bad(c, v,
      imhe_arena_printf(c->a, "verdict: unknown verdict '%s'%s", want,
                        suggest(c, v, verdict_names, IMHE_VERDICT__COUNT)));
}

/* "[a, b]" of the areas in mask. */
static const char *areas_text(struct chk *c, uint32_t mask) {
  struct sbuf b = {0};
  sb_putc(&b, '[');
  const struct imhe_program *p = c->res->prog;
  for (uint32_t i = 0, first = 1; p && i < p->nareas; i++)
    if (mask & (1u << i)) {
      sb_puts(&b, first ? "" : ", ");
      sb_puts(&b, imhe_area_word(p, (int)i));
      first = 0;
    }
  sb_putc(&b, ']');
  const char *s = imhe_arena_strndup(c->a, b.v, b.n);
  free(b.v);
  return s;
}

static void check_areas(struct chk *c, const struct ynode *v) {
  if (v->type != N_SEQ) {
    bad(c, v, "failed_areas must be a list of areas ([] for none)");
    return;
  }
  /* the areas of the judging policy's catalogue */
  const struct imhe_program *p = c->res->prog;
  const char *names[IMHE_MAX_AREAS];
  uint32_t nnames = 0;
  for (uint32_t i = 0; p && i < p->nareas && i < IMHE_MAX_AREAS; i++)
    names[nnames++] = imhe_area_word(p, (int)i);
  uint32_t want = 0;
  for (const struct ynode *e = v->first; e; e = e->next) {
    int a = e->type == N_SCALAR ? imhe_area_lookup_in(p, e->s, e->n) : -1;
    if (a < 0) {
      bad(c, e,
          imhe_arena_printf(c->a, "failed_areas: unknown area '%s'%s", text(c, e),
                            suggest(c, e, names, nnames)));
      return;
    }
    want |= 1u << a;
  }
  if (want != c->res->failed_areas)
    differ(c, v, NULL, "failed areas", areas_text(c, want), areas_text(c, c->res->failed_areas));
}

/* The rule of the result with this id, or NULL. */
static const struct imhe_rule_outcome *result_rule(const struct imhe_result *res,
                                                   const struct ynode *k) {
  for (uint32_t i = 0; i < res->nrules; i++)
    if (tree_key_is(k, res->rules[i].id))
      return &res->rules[i];
  return NULL;
}

/* Whether the program has a rule with this id (any era, any category). */
static int program_has_rule(const struct imhe_program *p, const struct ynode *k) {
  for (uint32_t i = 0; p && i < p->nrules; i++)
    if (tree_key_is(k, imhe_str(p, p->rules[i].id)))
      return 1;
  return 0;
}

static const char *rule_suggestion(struct chk *c, const struct ynode *k) {
  const char *best = NULL;
  unsigned bd = 4;
  for (uint32_t i = 0; c->p && i < c->p->nrules; i++) {
    const char *id = imhe_str(c->p, c->p->rules[i].id);
    unsigned d = imhe_edit_distance(k->s, k->n, id);
    if (d < bd) {
      bd = d;
      best = id;
    }
  }
  return best ? imhe_arena_printf(c->a, "; did you mean '%s'?", best) : "";
}

static void check_status(struct chk *c, const struct ynode *v, const struct imhe_rule_outcome *r,
                         const char *what, imhe_status got) {
  const char *want = text(c, v);
  for (int i = 0; i < IMHE_STATUS__COUNT; i++)
    if (!strcmp(want, status_names[i])) {
      if ((int)got != i)
        differ(c, v, r, what, want, status_names[got]);
      return;
    }
  bad(c, v,
      imhe_arena_printf(c->a, "%s: unknown status '%s'%s", what, want,
                        suggest(c, v, status_names, IMHE_STATUS__COUNT)));
}

/* A degree level named as the reports name it, from the program's degrees: "no degree", a
 * degree's word, or the graduate class ("masters or higher"). */
static const char *level_name(const struct chk *c, int level) {
  int higher;
  const char *w = imhe_degree_class(c->p, level, &higher);
  return !w ? "no degree" : higher ? imhe_arena_printf(c->a, "%s or higher", w) : w;
}

/* A degree level written by name as the reports give it, or a degree of the program by its word
 * (a graduate one meaning the graduate class), or -1. */
static int degree_level(const struct chk *c, const struct ynode *v) {
  if (tree_key_is(v, "no degree"))
    return 0;
  for (uint32_t i = 0; i < imhe_declared_count(c->p, ENUM_DEGREE); i++) {
    int level = imhe_degree_level(c->p, (int)i);
    if (tree_key_is(v, imhe_declared_word(c->p, ENUM_DEGREE, i)) ||
        tree_key_is(v, level_name(c, level)))
      return level;
  }
  return -1;
}

/* An observed, required or shortfall value; a degree may be given by name, and is shown so. */
static void check_number(struct chk *c, const struct ynode *v, const struct imhe_rule_outcome *r,
                         const char *what, double got, double tol, int degree) {
  double want;
  int level = degree ? degree_level(c, v) : -1;
  if (level >= 0) {
    int top = imhe_degree_level(c->p, (int)imhe_declared_count(c->p, ENUM_DEGREE) - 1);
    int g = got <= 0 ? 0 : got >= top ? top : (int)got;
    if (level != g)
      differ(c, v, r, what, level_name(c, level), level_name(c, g));
  } else if (number(c, v, what, &want) == 0 && fabs(want - got) > tol)
    differ(c, v, r, what, num_text(c, want), num_text(c, got));
}

static const char *const cond_keys[] = {"status",    "observed",  "required",
                                        "shortfall", "tolerance", NULL};

/* The keys of one condition's expectation (a mapping, or a status alone). */
static void check_cond(struct chk *c, const struct ynode *m, const struct imhe_rule_outcome *r,
                       const struct imhe_cond_result *cr) {
  const char *where = imhe_arena_printf(c->a, "rule %s, condition '%s'", r->id, cr->desc);
  if (m->type == N_SCALAR) {
    check_status(c, m, r, imhe_arena_printf(c->a, "%s: status", where), cr->status);
    return;
  }
  if (m->type != N_MAP) {
    bad(c, m, imhe_arena_printf(c->a, "%s: expected a status or a mapping", where));
    return;
  }
  double tol = c->tol;
  for (const struct ynode *k = m->first; k && k->next; k = k->next->next)
    if (tree_key_is(k, "tolerance"))
      number(c, k->next, "tolerance", &tol);
  for (const struct ynode *k = m->first; k && k->next; k = k->next->next) {
    const struct ynode *v = k->next;
    if (!known_key(c, k, where, cond_keys) || tree_key_is(k, "tolerance"))
      continue;
    const char *what = imhe_arena_printf(c->a, "%s: %s", where, text(c, k));
    if (tree_key_is(k, "status"))
      check_status(c, v, r, what, cr->status);
    else if (cr->kind != VT_NUM)
      bad(c, k,
          imhe_arena_printf(c->a, "%s: the condition is not a quantity (it has a status only)",
                            what));
    else if (tree_key_is(k, "observed"))
      check_number(c, v, r, what, cr->observed, tol, cr->display == DISP_DEGREE);
    else if (tree_key_is(k, "required"))
      check_number(c, v, r, what, cr->required, tol, cr->display == DISP_DEGREE);
    else
      check_number(c, v, r, what, cr->shortfall, tol, 0);
  }
}

/* "; its conditions: 'a', 'b'" for a name with no near match. */
static const char *condition_list(struct chk *c, const char *const *names, uint32_t n) {
  struct sbuf b = {0};
  sb_puts(&b, n ? "; its conditions: " : "; it has no condition");
  for (uint32_t i = 0; i < n; i++) {
    sb_puts(&b, i ? ", '" : "'");
    sb_puts(&b, names[i]);
    sb_putc(&b, '\'');
  }
  const char *out = imhe_arena_strndup(c->a, b.v, b.n);
  free(b.v);
  return out;
}

static void check_conditions(struct chk *c, const struct ynode *m,
                             const struct imhe_rule_outcome *r) {
  if (m->type != N_MAP) {
    bad(c, m, "conditions: expected a mapping of condition descriptions");
    return;
  }
  for (const struct ynode *k = m->first; k && k->next; k = k->next->next) {
    const struct imhe_cond_result *found = NULL;
    const char *names[64];
    uint32_t nn = 0;
    for (uint32_t i = 0; i < r->nconds; i++) {
      if (tree_key_is(k, r->conds[i].desc))
        found = found ? found : &r->conds[i];
      if (nn < 64)
        names[nn++] = r->conds[i].desc;
    }
    if (found)
      check_cond(c, k->next, r, found);
    else
      bad(c, k,
          imhe_arena_printf(c->a, "rule %s has no condition '%s'%s", r->id, text(c, k),
                            *suggest(c, k, names, nn) ? suggest(c, k, names, nn)
                                                      : condition_list(c, names, nn)));
  }
}

static const char *const rule_keys[] = {"status",    "conditions", "observed", "required",
                                        "shortfall", "tolerance",  NULL};

/* One rule's expectation: a status alone, or a mapping (status; conditions by description; the
 * values of its only condition). */
static void check_rule(struct chk *c, const struct ynode *k, const struct ynode *v) {
  const struct imhe_rule_outcome *r = result_rule(c->res, k);
  if (!r) {
    if (c->p && !program_has_rule(c->p, k))
      bad(c, k,
          imhe_arena_printf(c->a, "rules: the policy has no rule '%s'%s", text(c, k),
                            rule_suggestion(c, k)));
    else
      differ(c, k, NULL, imhe_arena_printf(c->a, "rule %s", text(c, k)), "judged",
             "not judged for this record (another category, kind or base, or the record was "
             "not judged)");
    return;
  }
  const char *what = imhe_arena_printf(c->a, "rule %s", r->id);
  if (v->type != N_MAP) {
    check_status(c, v, r, what, r->status);
    return;
  }
  int values = 0;
  for (const struct ynode *kk = v->first; kk && kk->next; kk = kk->next->next) {
    if (!known_key(c, kk, what, rule_keys))
      continue;
    if (tree_key_is(kk, "status"))
      check_status(c, kk->next, r, what, r->status);
    else if (tree_key_is(kk, "conditions"))
      check_conditions(c, kk->next, r);
    else if (!tree_key_is(kk, "tolerance"))
      values = 1;
  }
  if (!values)
    return;
  if (r->nconds != 1) {
    bad(c, v,
        imhe_arena_printf(c->a, "rule %s has %u conditions: name the one meant under 'conditions:'",
                          r->id, r->nconds));
    return;
  }
  /* the rule's only condition: its values (and tolerance) are given on the rule itself */
  const struct imhe_cond_result *cr = &r->conds[0];
  double tol = c->tol;
  for (const struct ynode *kk = v->first; kk && kk->next; kk = kk->next->next)
    if (tree_key_is(kk, "tolerance"))
      number(c, kk->next, "tolerance", &tol);
  for (const struct ynode *kk = v->first; kk && kk->next; kk = kk->next->next) {
    int obs = tree_key_is(kk, "observed"), req = tree_key_is(kk, "required");
    if (!obs && !req && !tree_key_is(kk, "shortfall"))
      continue;
    const char *w = imhe_arena_printf(c->a, "%s: %s", what, text(c, kk));
    if (cr->kind != VT_NUM)
      bad(c, kk, imhe_arena_printf(c->a, "%s: the condition is not a quantity", w));
    else
      check_number(c, kk->next, r, w,
                   obs   ? cr->observed
                   : req ? cr->required
                         : cr->shortfall,
                   tol, (obs || req) && cr->display == DISP_DEGREE);
  }
}

static void check_rules(struct chk *c, const struct ynode *m) {
  if (m->type != N_MAP) {
    bad(c, m, "rules: expected a mapping of rule ids to a status or a mapping");
    return;
  }
  for (const struct ynode *k = m->first; k && k->next; k = k->next->next)
    check_rule(c, k, k->next);
}

static const char *money(struct chk *c, double v) {
  return v < 0 ? "not published" : imhe_arena_printf(c->a, "%.2f", v);
}

/* The keys of an expected `fees:` mapping besides the fee kinds the judging policy declares. */
static const char *const fee_keys[] = {"total", "coupon_applied", "published", NULL};

static void check_fee(struct chk *c, const struct ynode *k, const struct ynode *v) {
  const struct imhe_fee_summary *f = &c->res->fees;
  if (tree_key_is(k, "coupon_applied") || tree_key_is(k, "published")) {
    int want = tree_key_is(v, "true") ? 1 : tree_key_is(v, "false") ? 0 : -1;
    int got = tree_key_is(k, "published") ? f->present && f->total >= 0 : f->coupon_applied;
    if (want < 0)
      bad(c, v, imhe_arena_printf(c->a, "fees: %s must be true or false", text(c, k)));
    else if (want != got)
      differ(c, v, NULL, imhe_arena_printf(c->a, "fees: %s", text(c, k)), want ? "true" : "false",
             got ? "true" : "false");
    return;
  }
  double got = f->total;
  for (int i = 0; i < f->nkinds; i++)
    if (tree_key_is(k, f->kinds[i].word))
      got = f->kinds[i].amount;
  if (!f->present)
    got = -1;
  const char *what = imhe_arena_printf(c->a, "fees: %s", text(c, k));
  if (tree_is_null(v)) { /* null: not published */
    if (got >= 0)
      differ(c, v, NULL, what, "not published", money(c, got));
    return;
  }
  double want;
  if (number(c, v, what, &want) == 0 && (got < 0 || fabs(want - got) > 0.005))
    differ(c, v, NULL, what, money(c, want), money(c, got));
}

static void check_fees(struct chk *c, const struct ynode *m) {
  if (m->type != N_MAP) {
    bad(c, m, "fees: expected a mapping (a fee kind's amount, total, coupon_applied, published)");
    return;
  }
  /* the fee kinds the judging policy declares, then the other keys; a record no policy judged
   * has no kinds, and every amount expected of it is not published */
  const struct imhe_fee_summary *f = &c->res->fees;
  const char *known[IMHE_MAX_FEE_KINDS + sizeof fee_keys / sizeof *fee_keys];
  size_t n = 0;
  for (int i = 0; i < f->nkinds; i++)
    known[n++] = f->kinds[i].word;
  for (size_t i = 0; fee_keys[i]; i++)
    known[n++] = fee_keys[i];
  known[n] = NULL;
  for (const struct ynode *k = m->first; k && k->next; k = k->next->next)
    if (!f->nkinds || known_key(c, k, "fees", known))
      check_fee(c, k, k->next);
}

static void check_deadline(struct chk *c, const struct ynode *v) {
  int32_t got = c->res->next_deadline, want = IMHE_NO_DATE;
  if (!tree_is_null(v) && (v->type != N_SCALAR || imhe_parse_date(v->s, v->n, &want) != 0)) {
    bad(c, v,
        imhe_arena_printf(c->a, "next_deadline must be a date (YYYY-MM-DD) or null, not '%s'",
                          text(c, v)));
    return;
  }
  if (want != got) {
    char a[16] = "none", b[16] = "none";
    if (want != IMHE_NO_DATE)
      imhe_format_date(want, a);
    if (got != IMHE_NO_DATE)
      imhe_format_date(got, b);
    differ(c, v, NULL, "next deadline", imhe_arena_strndup(c->a, a, strlen(a)),
           imhe_arena_strndup(c->a, b, strlen(b)));
  }
}

/* Each message expected (an excerpt of one message each, in any order) must be found, and no
 * message of that kind may be left unexpected. */
static void check_messages(struct chk *c, const struct ynode *v, int errors) {
  const char *kind = errors ? "errors" : "warnings";
  if (v->type != N_SEQ) {
    bad(c, v,
        imhe_arena_printf(c->a, "%s: expected a list of message excerpts ([] for none)", kind));
    return;
  }
  const struct imhe_msgs *lists[2] = {errors ? &c->res->record->errors : &c->res->record->warnings,
                                      errors ? &c->res->errors : &c->res->warnings};
  uint32_t total = lists[0]->n + lists[1]->n;
  char *used = imhe_arena_alloc(c->a, total + 1);
  for (const struct ynode *e = v->first; e; e = e->next) {
    const char *want = text(c, e);
    int found = 0;
    for (uint32_t i = 0; i < total && !found; i++) {
      const struct imhe_msg *m = i < lists[0]->n ? &lists[0]->v[i] : &lists[1]->v[i - lists[0]->n];
      if (!used[i] && strstr(m->text, want))
        found = used[i] = 1;
    }
    if (!found)
      differ(c, e, NULL, imhe_arena_printf(c->a, "%s", errors ? "error" : "warning"), want,
             total ? "no such message" : "none");
  }
  for (uint32_t i = 0; i < total; i++)
    if (!used[i]) {
      const struct imhe_msg *m = i < lists[0]->n ? &lists[0]->v[i] : &lists[1]->v[i - lists[0]->n];
      differ(c, v, NULL, imhe_arena_printf(c->a, "%s", errors ? "error" : "warning"), "not listed",
             imhe_arena_printf(c->a, "%u:%u: %s", m->line, m->col, m->text));
    }
}

static const char *const top_keys[] = {
    "verdict", "failed_areas", "rules",     "fees",        "next_deadline",
    "errors",  "warnings",     "tolerance", "description", NULL};

void imhe_expect_check(const struct imhe_result *res, const struct imhe_program *p,
                       struct imhe_test_outcome *out) {
  const struct imhe_record *r = res->record;
  memset(out, 0, sizeof *out);
  out->line = r->expect ? r->expect_line : r->line;
  struct chk c = {res, p, res->arena, out, DEFAULT_TOLERANCE};
  const struct ynode *m = r->expect;
  if (!m) {
    bad(&c, NULL, "a test record needs an 'expect:' block (docs/testing.md)");
    return;
  }
  if (m->type != N_MAP) {
    bad(&c, m, "expect: must be a mapping (verdict, failed_areas, rules, fees, ...)");
    return;
  }
  for (const struct ynode *k = m->first; k && k->next; k = k->next->next)
    if (tree_key_is(k, "tolerance"))
      number(&c, k->next, "tolerance", &c.tol);
  int has_verdict = 0;
  for (const struct ynode *k = m->first; k && k->next; k = k->next->next) {
    const struct ynode *v = k->next;
    if (!known_key(&c, k, "expect", top_keys))
      continue;
    if (tree_key_is(k, "verdict")) {
      has_verdict = 1;
      check_verdict(&c, v);
    } else if (tree_key_is(k, "failed_areas"))
      check_areas(&c, v);
    else if (tree_key_is(k, "rules"))
      check_rules(&c, v);
    else if (tree_key_is(k, "fees"))
      check_fees(&c, v);
    else if (tree_key_is(k, "next_deadline"))
      check_deadline(&c, v);
    else if (tree_key_is(k, "errors") || tree_key_is(k, "warnings"))
      check_messages(&c, v, tree_key_is(k, "errors"));
  }
  if (!has_verdict)
    bad(&c, m,
        "expect: needs a 'verdict' (eligible, eligible_pending_exam, not_eligible, invalid)");
}
