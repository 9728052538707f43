/* vm.c — the instruction loop of one rule: pushes, filters, measures and facts, comparisons that
 * record a condition, and the terminal instruction that gives the rule's status. */
#include "runtime/eval/vm.h"
#include "runtime/core/dates.h"
#include "runtime/core/sbuf.h"
#include "runtime/eval/facts.h"
#include "runtime/eval/filters.h"
#include "runtime/eval/measures.h"
#include <stdio.h>
#include <string.h>

/* A condition's outcome, every field written (the array it goes in is not zeroed: judge.c's
 * run_rules). Inline where it is called (every condition of every rule comes here, and each caller
 * knows which kind of check it records): 6 M instructions fewer for 20,000 records. */
static inline __attribute__((always_inline)) void
record_cond(struct vm *vm, const struct imhe_insn *in, struct val *obs, const struct val *req,
            imhe_status status) {
  struct imhe_rule_outcome *rr = vm->rr;
  if (rr->nconds == vm->capconds) { /* a coupon's rule, run for the fees: its own array */
    uint32_t cap = vm->capconds ? vm->capconds * 2 : 4;
    struct imhe_cond_result *v = imhe_arena_alloc(vm->a, cap * sizeof *v);
    if (rr->nconds)
      memcpy(v, rr->conds, rr->nconds * sizeof *v);
    rr->conds = v;
    vm->capconds = cap;
  }
  struct imhe_cond_result *c = &rr->conds[rr->nconds++];
  const struct imhe_cond *cd = &vm->p->conds[in->c];
  int num = in->op == OP_CHECK;
  *c = (struct imhe_cond_result){
      .desc = imhe_str(vm->p, cd->desc),
      .line = cd->line,
      .status = status,
      .kind = num                   ? VT_NUM
              : in->op == OP_CHECKB ? VT_BOOL
                                    : VT_TRI,
      .cmp = in->a,
      .unit = cd->unit,
      .display = cd->display,
      .observed = num ? obs->num : 0,
      .required = num ? req->num : 0,
      .shortfall = num && status != IMHE_STATUS_PASS ? fabs(req->num - obs->num) : 0,
      .counted_sec = -1,
      .res = vm->res};
  if (vm->lean) /* verdicts only: the values compared, not how they were found */
    return;
  c->notes = obs->note;
  c->capped = num ? obs->cap : NULL;
  c->placing = num ? obs->placing : NULL;
  if (obs->src) { /* the collection's arrays are never changed once made: shared, not copied */
    c->counted_sec = obs->src->sec;
    c->counted = obs->src->idx;
    c->ncounted = obs->src->n;
    c->left_out = obs->src->ex;
    c->nleft = obs->src->nex;
  }
}

/* The values of one rule's run. */
struct stack {
  struct val v[IMHE_MAX_STACK + 1];
  int sp;
};

static struct val *top(struct stack *s) {
  return &s->v[s->sp - 1];
}
/* The value on top, taken off: read in its slot, not copied (nothing is pushed before it is read).
 */
static const struct val *pop(struct stack *s) {
  return &s->v[--s->sp];
}
static void push(struct stack *s, struct val v) {
  s->v[s->sp++] = v;
}
/* A truth of a pass/fail/pending value (T: 0 fail, 1 pass, 2 pending) or a yes/no one. */
static imhe_status status_of(const struct val *o) {
  if (o->t == VT_TRI)
    return o->b == 1 ? IMHE_STATUS_PASS : o->b == 2 ? IMHE_STATUS_PENDING : IMHE_STATUS_FAIL;
  return o->b ? IMHE_STATUS_PASS : IMHE_STATUS_FAIL;
}

/* CONST, DATE, ASOF, SUBMITTED, SECTION, FACT: a value pushed, written in its place. */
static void load(struct vm *vm, struct imhe_insn in, struct stack *s) {
  struct val *v = &s->v[s->sp++];
  switch (in.op) {
  case OP_CONST:
    *v = (struct val){.t = VT_NUM, .num = vm->p->consts[in.c]};
    break;
  case OP_DATE:
  case OP_ASOF:
    *v = (struct val){.t = VT_DATE, .date = in.op == OP_DATE ? (int32_t)in.c : vm->as_of};
    break;
  case OP_SUBMITTED:
    *v = (struct val){.t = VT_DATE,
                      .date = vm->r->submitted != IMHE_NO_DATE ? vm->r->submitted : vm->as_of};
    break;
  case OP_SECTION:
    *v = (struct val){.t = VT_COLL, .c = imhe_section_coll(vm, in.a)};
    break;
  default: /* OP_FACT */
    *v = (struct val){.t = imhe_fact_type[in.a]};
    v->b = imhe_fact(vm, in.a, &v->note);
  }
}

/* The filters, UNION and MINUS: the collection on top replaced by the entries kept. */
static void entries(struct vm *vm, struct imhe_insn in, struct stack *s) {
  if (in.op == OP_UNION || in.op == OP_MINUS) {
    const struct val *r = pop(s);
    top(s)->c = imhe_set_op(vm, top(s)->c, r->c, in.op == OP_UNION);
  } else if (in.op == OP_F_CMP || in.op == OP_F_OVERLAP) {
    const struct val *arg = pop(s);
    top(s)->c = imhe_filter(vm, top(s)->c, in.op, in.a, in.c, arg);
  } else
    top(s)->c = imhe_filter(vm, top(s)->c, in.op, in.a, in.c, NULL);
}

/* MEASURE: the row's arguments are popped; its handler gives the result, which keeps the entries
 * measured (src) for the condition's counted and left-out lists. */
static void measure(struct vm *vm, struct imhe_insn in, struct stack *s) {
  char pops[4];
  int n, coll;
  if (vm->p->plan_at) { /* a loaded program: the measures' pops read from its plan */
    n = vm->p->plan_pops[in.a] & 0xf;
    coll = vm->p->plan_pops[in.a] & 0x10;
  } else {
    n = imhe_measure_pops((enum imhe_measure)in.a, pops);
    coll = n && pops[0] == 'C';
  }
  s->sp -= n;
  struct val v = {.t = imhe_measures[in.a].result};
  if (coll)
    v.src = s->v[s->sp].c;
  imhe_measure_handlers[in.a](vm, in, &s->v[s->sp], &v);
  push(s, v);
}

/* A measured part cut by `min` against a constant is remembered with what it held, and a sum
 * keeps it with the words of its other part: the reports say "14 h formal + 4 h informal, of which
 * 2 count" where the number alone reads as a mistake. */
static void capped(struct vm *vm, int op, struct val *l, const struct val *r) {
  if (vm->lean)
    return;
  if (op == OP_ADD) {
    struct imhe_capped *cap = l->cap ? l->cap : r->cap;
    const struct val *rest = l->cap ? r : l;
    if (cap && !rest->cap && rest->src)
      cap->rest = rest->src->kept;
    l->cap = cap;
    return;
  }
  const struct val *m = l->src ? l : r, *k = l->src ? r : l;
  l->cap = NULL;
  if (op != OP_MIN || !m->src || k->src || m->num <= k->num + 1e-9)
    return;
  struct imhe_capped *cap = imhe_arena_alloc(vm->a, sizeof *cap); /* zeroed */
  cap->have = m->num;
  cap->limit = k->num;
  cap->part = m->src->kept;
  cap->sec = m->src->sec;
  cap->idx = m->src->idx;
  cap->n = m->src->n;
  l->cap = cap;
}

/* DMONTHS, CMP, CMPD, ADD, SUB, MIN, MAX, AND, OR, NOT: the top values combined. A sum keeps
 * the notes and the measured entries of its parts. */
static void arithmetic(struct vm *vm, struct imhe_insn in, struct stack *s) {
  if (in.op == OP_DMONTHS) {
    top(s)->date = imhe_add_months(top(s)->date, (int32_t)in.c);
    return;
  }
  if (in.op == OP_NOT) {
    top(s)->b = !top(s)->b;
    return;
  }
  const struct val *r = pop(s);
  struct val *l = top(s);
  if (in.op == OP_CMP || in.op == OP_CMPD) {
    int ok = in.op == OP_CMP ? cmp_apply(in.a, l->num, r->num) : cmp_apply(in.a, l->date, r->date);
    *l = (struct val){.t = VT_BOOL, .b = ok};
  } else if (in.op == OP_AND || in.op == OP_OR)
    l->b = in.op == OP_AND ? (l->b && r->b) : (l->b || r->b);
  else {
    capped(vm, in.op, l, r);
    l->num = in.op == OP_ADD   ? l->num + r->num
             : in.op == OP_SUB ? l->num - r->num
             : in.op == OP_MIN ? fmin(l->num, r->num)
                               : fmax(l->num, r->num);
    l->note = imhe_why_join(vm, l->note, r->note);
    if (!l->src)
      l->src = r->src;
  }
}

/* CHECK, CHECKB, CHECKT: a condition recorded; its outcome stays on the stack. */
static void check(struct vm *vm, const struct imhe_insn *in, struct stack *s) {
  if (in->op != OP_CHECK) {
    record_cond(vm, in, top(s), NULL, status_of(top(s)));
    return;
  }
  const struct val *req = pop(s);
  struct val *obs = top(s);
  int ok = cmp_apply(in->a, obs->num, req->num);
  record_cond(vm, in, obs, req, ok ? IMHE_STATUS_PASS : IMHE_STATUS_FAIL);
  *obs = (struct val){.t = VT_BOOL, .b = ok};
}

/* REQUIRE, ADVISE, ACCEPT, SKIP: the rule's status from the value on top (none for SKIP). */
static inline imhe_status finish(struct imhe_insn in, const struct val *t) {
  switch (in.op) {
  case OP_REQUIRE:
    return status_of(t);
  case OP_ADVISE:
    return t->b ? IMHE_STATUS_PASS : IMHE_STATUS_ADVICE;
  case OP_ACCEPT:
    return t->b ? IMHE_STATUS_PASS : IMHE_STATUS_FAIL;
  case OP_SKIP:
    return IMHE_STATUS_SKIPPED;
  }
  return IMHE_STATUS_FAIL;
}

/* A rule of the shapes program.h's plan_straight names, run without the loop's stack: the
 * collection measured, the value measured or the fact, and the truths of the clauses (the first
 * one's and the one AND joins to it) are each in a place of its own. Every value is the one the
 * loop would have on its stack, made by the same calls in the same order, so the rule's status
 * and its conditions are the loop's (tests/test_vm.c runs both over the same records). */
static imhe_status run_straight(struct vm *vm, const struct imhe_rule *rule) {
  const struct imhe_program *p = vm->p;
  struct val coll = {.t = VT_COLL}, got, truth[2];
  int n = 0;
  for (uint32_t pc = rule->start;; pc += IMHE_INSN_SIZE) {
    struct imhe_insn in = imhe_decode(p->code + pc);
    switch ((enum imhe_opcode)in.op) {
    case OP_SECTION:
      coll.c = imhe_section_coll(vm, in.a);
      break;
    case OP_MEASURE:
      got = (struct val){.t = imhe_measures[in.a].result};
      if (p->plan_pops[in.a]) /* the collection, the measure's one value popped */
        got.src = coll.c;
      imhe_measure_handlers[in.a](vm, in, &coll, &got);
      break;
    case OP_FACT:
      got = (struct val){.t = imhe_fact_type[in.a]};
      got.b = imhe_fact(vm, in.a, &got.note);
      break;
    case OP_CONST: {
      pc += IMHE_INSN_SIZE; /* CHECK follows: the value measured against the constant */
      const struct val req = {.t = VT_NUM, .num = p->consts[in.c]};
      struct imhe_insn ck = imhe_decode(p->code + pc);
      int ok = cmp_apply(ck.a, got.num, req.num);
      record_cond(vm, &ck, &got, &req, ok ? IMHE_STATUS_PASS : IMHE_STATUS_FAIL);
      truth[n].t = VT_BOOL;
      truth[n++].b = ok;
      break;
    }
    case OP_CHECKB:
    case OP_CHECKT:
      record_cond(vm, &in, &got, NULL, status_of(&got));
      truth[n].t = got.t;
      truth[n++].b = got.b;
      break;
    case OP_AND:
      truth[0].b = truth[0].b && truth[1].b;
      n = 1;
      break;
    case OP_REQUIRE:
    case OP_ADVISE:
    case OP_ACCEPT:
      return finish(in, &truth[0]);
    default: /* the filters that take nothing from the stack */
      coll.c = imhe_filter(vm, coll.c, in.op, in.a, in.c, NULL);
    }
  }
}

imhe_status imhe_run_rule(struct vm *vm, uint32_t ri) {
  const struct imhe_rule *rule = &vm->p->rules[ri];
  if (vm->p->plan_straight && vm->p->plan_straight[ri])
    return run_straight(vm, rule);
  struct stack s;
  s.sp = 0;
  uint32_t pc = rule->start;
  while (pc < rule->end) {
    struct imhe_insn in = imhe_decode(vm->p->code + pc);
    pc += IMHE_INSN_SIZE;
    switch ((enum imhe_opcode)in.op) {
    case OP_CONST:
    case OP_DATE:
    case OP_ASOF:
    case OP_SUBMITTED:
    case OP_SECTION:
    case OP_FACT:
      load(vm, in, &s);
      break;
    case OP_F_ENUM:
    case OP_F_SET:
    case OP_F_TRACK:
    case OP_F_BOOL:
    case OP_F_PRESENT:
    case OP_F_CMP:
    case OP_F_CURRENT:
    case OP_F_OVERLAP:
    case OP_UNION:
    case OP_MINUS:
      entries(vm, in, &s);
      break;
    case OP_DUP:
      push(&s, *top(&s));
      break;
    case OP_SWAP: {
      struct val t = s.v[s.sp - 1];
      s.v[s.sp - 1] = s.v[s.sp - 2];
      s.v[s.sp - 2] = t;
      break;
    }
    case OP_MEASURE:
      measure(vm, in, &s);
      break;
    case OP_DMONTHS:
    case OP_CMP:
    case OP_CMPD:
    case OP_ADD:
    case OP_SUB:
    case OP_MIN:
    case OP_MAX:
    case OP_AND:
    case OP_OR:
    case OP_NOT:
      arithmetic(vm, in, &s);
      break;
    case OP_CHECK:
    case OP_CHECKB:
    case OP_CHECKT:
      check(vm, &in, &s);
      break;
    case OP_JUMPF:
      if (!pop(&s)->b)
        pc = in.c;
      break;
    case OP_REQUIRE:
    case OP_ADVISE:
    case OP_ACCEPT:
    case OP_SKIP:
    case OP__COUNT:
      return finish(in, s.sp ? top(&s) : NULL); /* SKIP reads nothing */
    }
  }
  return IMHE_STATUS_FAIL; /* unreachable for verified programs */
}
