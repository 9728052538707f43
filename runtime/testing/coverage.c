/* coverage.c — which parts of a policy the judged records exercised, each way: the items are
 * read from the program (rules, guards found as SKIP instructions in a rule's code, conditions,
 * fee lines, coupons, deadlines) and counted from each result. */
#include "runtime/testing/coverage.h"
#include "runtime/core/dates.h"
#include "runtime/core/names.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const imhe_cov_kind_name[COV__COUNT] = {
#define X(n, s) s,
    IMHE_COV_KINDS(X)
#undef X
};

/* Whether rule i's code can skip the rule (a `when` guard). */
static int has_guard(const struct imhe_program *p, uint32_t i) {
  const struct imhe_rule *ru = &p->rules[i];
  for (uint32_t pc = ru->start;
       pc + IMHE_INSN_SIZE <= ru->end && pc + IMHE_INSN_SIZE <= p->code_size; pc += IMHE_INSN_SIZE)
    if (p->code[pc] == OP_SKIP)
      return 1;
  return 0;
}

static uint32_t add(struct imhe_cov_policy *c, int kind, uint32_t index, const char *name,
                    const char *file, uint32_t line) {
  c->v[c->n] = (struct imhe_cov_item){(uint8_t)kind, index, name, file, line, 0, 0};
  return c->n++;
}

#define NAME_MAX_LEN 96
/* A name of NAME_MAX_LEN bytes at most in c's name store, slot k. */
static char *slot(struct imhe_cov_policy *c, uint32_t k) {
  return c->names + (size_t)k * NAME_MAX_LEN;
}

/* The codes of the categories in cats, comma-separated, into buf. */
static void cats_text(const struct imhe_program *p, char *buf, size_t cap, uint32_t cats) {
  size_t n = 0;
  buf[0] = 0;
  if ((cats & imhe_all_cats(p)) == imhe_all_cats(p)) {
    snprintf(buf, cap, "every category");
    return;
  }
  for (uint32_t i = 0; i < p->ncats && n < cap; i++)
    if (cats & (1u << i))
      n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", imhe_cat_code(p, (int)i));
}

int imhe_cov_init(struct imhe_cov_policy *c, const struct imhe_program *p) {
  memset(c, 0, sizeof *c);
  c->p = p;
  size_t items = (size_t)p->nrules * 2 + p->nconds + p->nfees + p->ncoupons + p->ndeadlines;
  size_t nnames = (size_t)p->nfees + p->ndeadlines + p->nrules;
  c->v = calloc(items + 1, sizeof *c->v);
  c->rule_item = calloc(p->nrules + 1, sizeof *c->rule_item);
  c->guard_item = calloc(p->nrules + 1, sizeof *c->guard_item);
  c->cond_item = calloc(p->nconds + 1, sizeof *c->cond_item);
  c->names = calloc(nnames + 1, NAME_MAX_LEN);
  if (!c->v || !c->rule_item || !c->guard_item || !c->cond_item || !c->names) {
    imhe_cov_free(c); /* GCOVR_EXCL_LINE: out of memory */
    return -1;        /* GCOVR_EXCL_LINE: out of memory */
  }
  uint32_t nn = 0;
  for (uint32_t i = 0; i < p->nrules; i++) {
    const struct imhe_rule *ru = &p->rules[i];
    const char *file = imhe_str(p, ru->file);
    c->rule_item[i] = c->guard_item[i] = UINT32_MAX;
    if (ru->kind == RK_COUPON)
      continue;
    c->rule_item[i] = add(c, COV_RULE, i, imhe_str(p, ru->id), file, ru->line);
    if (has_guard(p, i)) {
      snprintf(slot(c, nn), NAME_MAX_LEN, "when of %.80s", imhe_str(p, ru->id));
      c->guard_item[i] = add(c, COV_GUARD, i, slot(c, nn++), file, ru->line);
    }
    for (uint32_t k = 0; k < p->nconds; k++)
      if (p->conds[k].rule == i)
        c->cond_item[k] =
            add(c, COV_CONDITION, k, imhe_str(p, p->conds[k].desc), file, p->conds[k].line);
  }
  const char *own = p->nrules ? imhe_str(p, p->rules[p->nrules - 1].file) : "";
  for (uint32_t k = 0; k < p->nfees; k++) {
    const struct imhe_fee *f = &p->fees[k];
    char cats[64];
    cats_text(p, cats, sizeof cats, f->cats);
    if (f->cents < 0)
      snprintf(slot(c, nn), NAME_MAX_LEN, "%s not published for %s", imhe_fee_name(p, f->kind),
               cats);
    else
      snprintf(slot(c, nn), NAME_MAX_LEN, "%s $%d.%02d for %s", imhe_fee_name(p, f->kind),
               f->cents / 100, f->cents % 100, cats);
    add(c, COV_FEE, k, slot(c, nn++), own, 0);
  }
  for (uint32_t k = 0; k < p->ncoupons; k++)
    add(c, COV_COUPON, k, imhe_str(p, p->coupons[k].code), own, 0);
  for (uint32_t k = 0; k < p->ndeadlines; k++) {
    snprintf(slot(c, nn), NAME_MAX_LEN, "deadline %02u-%02u", p->deadlines[k].month,
             p->deadlines[k].day);
    add(c, COV_DEADLINE, k, slot(c, nn++), own, 0);
  }
  return 0;
}

static void count(struct imhe_cov_item *it, int pass) {
  pass ? it->pass++ : it->fail++;
}

static void add_rule(struct imhe_cov_policy *c, const struct imhe_rule_outcome *rr) {
  const struct imhe_program *p = c->p;
  if (rr->rule >= p->nrules || c->rule_item[rr->rule] == UINT32_MAX)
    return;
  struct imhe_cov_item *rule = &c->v[c->rule_item[rr->rule]];
  if (c->guard_item[rr->rule] != UINT32_MAX)
    count(&c->v[c->guard_item[rr->rule]], rr->status != IMHE_STATUS_SKIPPED);
  if (rr->status == IMHE_STATUS_PASS)
    rule->pass++;
  else if (rr->status == IMHE_STATUS_FAIL || rr->status == IMHE_STATUS_ADVICE ||
           rr->status == IMHE_STATUS_PENDING)
    rule->fail++;
  for (uint32_t i = 0; i < rr->nconds; i++) {
    const struct imhe_cond_result *cr = &rr->conds[i];
    if (cr->status == IMHE_STATUS_NOT_NEEDED)
      continue;
    for (uint32_t k = 0; k < p->nconds; k++)
      if (p->conds[k].rule == rr->rule && p->conds[k].line == cr->line &&
          !strcmp(imhe_str(p, p->conds[k].desc), cr->desc)) {
        count(&c->v[c->cond_item[k]], cr->status == IMHE_STATUS_PASS);
        break;
      }
  }
}

void imhe_cov_add(struct imhe_cov_policy *c, const struct imhe_result *res) {
  const struct imhe_program *p = c->p;
  for (uint32_t i = 0; i < res->nrules; i++)
    add_rule(c, &res->rules[i]);
  const struct imhe_fee_summary *f = &res->fees;
  for (uint32_t i = 0; i < c->n; i++) {
    struct imhe_cov_item *it = &c->v[i];
    if (it->kind == COV_FEE && f->present) {
      /* an application's fee passes on an application of its categories; a yearly one on a
       * renewal; an overdue one is counted on renewals, passing when charged */
      const struct imhe_fee *fee = &p->fees[it->index];
      unsigned flags = fee->kind < p->nfee_kinds ? p->fee_kinds[fee->kind].flags : 0;
      int cat = res->category >= 0 && (fee->cats & (1u << res->category));
      if (flags & FK_OVERDUE) {
        if (f->renewal)
          count(it, fee->kind < (uint32_t)f->nkinds && f->kinds[fee->kind].amount >= 0);
      } else if (flags & FK_RENEWAL)
        count(it, f->renewal);
      else
        count(it, !f->renewal && cat);
    } else if (it->kind == COV_COUPON && res->record && res->record->coupon.s) {
      const char *code = imhe_str(p, p->coupons[it->index].code);
      if (imhe_names_equal(res->record->coupon.s, res->record->coupon.n, code, strlen(code)))
        count(it, f->coupon_applied);
    } else if (it->kind == COV_DEADLINE && res->next_deadline != IMHE_NO_DATE) {
      int y, m, d;
      imhe_civil_from_days(res->next_deadline, &y, &m, &d);
      const struct imhe_deadline *dl = &p->deadlines[it->index];
      count(it, dl->month == m && dl->day == d);
    }
  }
}

void imhe_cov_free(struct imhe_cov_policy *c) {
  free(c->v);
  free(c->rule_item);
  free(c->guard_item);
  free(c->cond_item);
  free(c->names);
  memset(c, 0, sizeof *c);
}
