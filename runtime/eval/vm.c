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

static void record_cond(struct vm *vm, const struct imhe_insn *in, struct val *obs,
                        const struct val *req, imhe_status status) {
  struct imhe_rule_outcome *rr = vm->rr;
  if (rr->nconds == vm->capconds) {
    uint32_t cap = vm->capconds ? vm->capconds * 2 : 4;
    struct imhe_cond_result *v = imhe_arena_alloc(vm->a, cap * sizeof *v);
    if (rr->nconds)
      memcpy(v, rr->conds, rr->nconds * sizeof *v);
    rr->conds = v;
    vm->capconds = cap;
  }
  struct imhe_cond_result *c = &rr->conds[rr->nconds++];
  const struct imhe_cond *cd = &vm->p->conds[in->c];
  c->desc = imhe_str(vm->p, cd->desc);
  c->line = cd->line;
  c->status = status;
  c->kind = in->op == OP_CHECK ? VT_NUM : in->op == OP_CHECKB ? VT_BOOL : VT_TRI;
  c->cmp = in->a;
  c->unit = cd->unit;
  c->display = cd->display;
  c->note = obs->note;
  if (in->op == OP_CHECK) {
    c->observed = obs->num;
    c->required = req->num;
    c->shortfall = status == IMHE_STATUS_PASS ? 0 : fabs(req->num - obs->num);
  }
  c->counted_sec = -1;
  if (obs->src) {
    c->counted_sec = obs->src->sec;
    c->counted = obs->src->idx;
    c->ncounted = obs->src->n;
  }
  if (obs->src && obs->src->nex) {
    c->left_out = imhe_arena_alloc(vm->a, obs->src->nex * sizeof *c->left_out);
    struct sbuf b = {0};
    for (uint32_t k = 0; k < obs->src->nex; k++) {
      b.n = 0;
      imhe_entry_label(&b, vm->r, obs->src->sec, obs->src->ex[k].idx);
      sb_puts(&b, " left out: ");
      sb_puts(&b, obs->src->ex[k].why);
      c->left_out[c->nleft++] = imhe_arena_strndup(vm->a, b.v, b.n);
    }
    free(b.v);
  }
}

/* Runs rule ri; returns IMHE_STATUS_PASS/IMHE_STATUS_FAIL/IMHE_STATUS_PENDING/IMHE_STATUS_SKIPPED
 * (coupons: PASS when accepted). */
imhe_status imhe_run_rule(struct vm *vm, uint32_t ri) {
  const struct imhe_program *p = vm->p;
  const struct imhe_rule *rule = &p->rules[ri];
  struct val st[IMHE_MAX_STACK + 1];
  int sp = 0;
  uint32_t pc = rule->start;
  while (pc < rule->end) {
    struct imhe_insn in = imhe_decode(p->code + pc);
    pc += IMHE_INSN_SIZE;
    struct val v;
    memset(&v, 0, sizeof v);
    switch ((enum imhe_opcode)in.op) {
    case OP_CONST:
      v.t = VT_NUM;
      v.num = p->consts[in.c];
      st[sp++] = v;
      break;
    case OP_DATE:
      v.t = VT_DATE;
      v.date = (int32_t)in.c;
      st[sp++] = v;
      break;
    case OP_ASOF:
      v.t = VT_DATE;
      v.date = vm->as_of;
      st[sp++] = v;
      break;
    case OP_SECTION:
      v.t = VT_COLL;
      v.c = imhe_section_coll(vm, in.a);
      st[sp++] = v;
      break;
    case OP_F_ENUM:
    case OP_F_SET:
    case OP_F_TRACK:
    case OP_F_BOOL:
    case OP_F_PRESENT:
    case OP_F_CURRENT:
      st[sp - 1].c = imhe_filter(vm, st[sp - 1].c, in.op, in.a, in.c, NULL);
      break;
    case OP_F_CMP:
    case OP_F_OVERLAP: {
      struct val arg = st[--sp];
      st[sp - 1].c = imhe_filter(vm, st[sp - 1].c, in.op, in.a, in.c, &arg);
      break;
    }
    case OP_UNION:
    case OP_MINUS: {
      struct val r = st[--sp];
      st[sp - 1].c = imhe_set_op(vm, st[sp - 1].c, r.c, in.op == OP_UNION);
      break;
    }
    case OP_DUP:
      st[sp] = st[sp - 1];
      sp++;
      break;
    case OP_SWAP: {
      struct val t = st[sp - 1];
      st[sp - 1] = st[sp - 2];
      st[sp - 2] = t;
      break;
    }
    case OP_MEASURE: {
      /* the row's arguments are popped; its handler gives the result, which keeps the entries
         measured (src) for the condition's counted and left-out lists */
      char pops[4];
      int n = imhe_measure_pops((enum imhe_measure)in.a, pops);
      sp -= n;
      v.t = imhe_measures[in.a].result;
      if (n && pops[0] == 'C')
        v.src = st[sp].c;
      imhe_measure_handlers[in.a](vm, in, &st[sp], &v);
      st[sp++] = v;
      break;
    }
    case OP_DMONTHS:
      st[sp - 1].date = imhe_add_months(st[sp - 1].date, (int32_t)in.c);
      break;
    case OP_CMP:
    case OP_CMPD: {
      struct val r = st[--sp];
      struct val *l = &st[sp - 1];
      int ok = in.op == OP_CMP ? cmp_apply(in.a, l->num, r.num) : cmp_apply(in.a, l->date, r.date);
      memset(l, 0, sizeof *l);
      l->t = VT_BOOL;
      l->b = ok;
      break;
    }
    case OP_FACT:
      v.t = imhe_fact_type[in.a];
      v.b = imhe_fact(vm, in.a, &v.note);
      st[sp++] = v;
      break;
    case OP_ADD:
    case OP_SUB:
    case OP_MIN:
    case OP_MAX: {
      struct val r = st[--sp];
      struct val *l = &st[sp - 1];
      l->num = in.op == OP_ADD   ? l->num + r.num
               : in.op == OP_SUB ? l->num - r.num
               : in.op == OP_MIN ? fmin(l->num, r.num)
                                 : fmax(l->num, r.num);
      if (r.note)
        imhe_vm_note(vm, &l->note, r.note);
      if (!l->src)
        l->src = r.src;
      break;
    }
    case OP_AND:
    case OP_OR: {
      struct val r = st[--sp];
      st[sp - 1].b = in.op == OP_AND ? (st[sp - 1].b && r.b) : (st[sp - 1].b || r.b);
      break;
    }
    case OP_NOT:
      st[sp - 1].b = !st[sp - 1].b;
      break;
    case OP_CHECK: {
      struct val req = st[--sp];
      struct val obs = st[sp - 1];
      int ok = cmp_apply(in.a, obs.num, req.num);
      record_cond(vm, &in, &obs, &req, ok ? IMHE_STATUS_PASS : IMHE_STATUS_FAIL);
      memset(&st[sp - 1], 0, sizeof st[0]);
      st[sp - 1].t = VT_BOOL;
      st[sp - 1].b = ok;
      break;
    }
    case OP_CHECKB:
    case OP_CHECKT: {
      struct val *o = &st[sp - 1];
      imhe_status status = o->t == VT_TRI ? (o->b == 1   ? IMHE_STATUS_PASS
                                             : o->b == 2 ? IMHE_STATUS_PENDING
                                                         : IMHE_STATUS_FAIL)
                                          : (o->b ? IMHE_STATUS_PASS : IMHE_STATUS_FAIL);
      record_cond(vm, &in, o, NULL, status);
      break;
    }
    case OP_JUMPF:
      if (!st[--sp].b)
        pc = in.c;
      break;
    case OP_REQUIRE: {
      struct val o = st[--sp];
      if (o.t == VT_TRI)
        return o.b == 1 ? IMHE_STATUS_PASS : o.b == 2 ? IMHE_STATUS_PENDING : IMHE_STATUS_FAIL;
      return o.b ? IMHE_STATUS_PASS : IMHE_STATUS_FAIL;
    }
    case OP_ADVISE:
      return st[--sp].b ? IMHE_STATUS_PASS : IMHE_STATUS_ADVICE;
    case OP_ACCEPT:
      return st[--sp].b ? IMHE_STATUS_PASS : IMHE_STATUS_FAIL;
    case OP_SKIP:
      return IMHE_STATUS_SKIPPED;
    case OP__COUNT:
      return IMHE_STATUS_FAIL;
    }
  }
  return IMHE_STATUS_FAIL; /* unreachable for verified programs */
}
