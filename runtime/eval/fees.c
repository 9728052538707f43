/* fees.c — fees as the policy publishes them for the record's category or kind, and a coupon:
 * found, offered for the category, inside its dates, its condition met (a rule run like any other).
 * Each fee kind is charged as its declared properties say (runtime/bytecode/program.h). */
#include "runtime/eval/fees.h"
#include "runtime/core/dates.h"
#include "runtime/core/names.h"
#include "runtime/eval/settings.h"
#include "runtime/eval/vm.h"
#include <stdio.h>
#include <string.h>

static void fee_note(struct imhe_fee_summary *f, const char *n) {
  if (f->nnotes < 8)
    f->notes[f->nnotes++] = n;
}

/* The day fees and coupons are judged on: the record's submitted date, so judging later (--as-of)
 * neither takes away a coupon the applicant was entitled to nor charges a schedule that began
 * after they applied; the as-of date without one. */
static int32_t fee_day(const struct vm *vm) {
  return vm->r->submitted != IMHE_NO_DATE ? vm->r->submitted : vm->as_of;
}

/* The fee of `kind` for category bits `bits` on the fee day: of the declarations whose dates hold
 * that day, the one that starts latest (an undated one starts first); among equals the last
 * declared, so an override wins. NULL when none holds. */
static const struct imhe_fee *fee_for(const struct vm *vm, int kind, uint32_t bits) {
  const struct imhe_program *p = vm->p;
  int32_t day = fee_day(vm);
  const struct imhe_fee *best = NULL;
  for (uint32_t i = 0; i < p->nfees; i++) {
    const struct imhe_fee *fe = &p->fees[i];
    if (fe->kind != kind || !(fe->cats & bits))
      continue;
    if ((fe->from != IMHE_NO_DATE && day < fe->from) ||
        (fe->until != IMHE_NO_DATE && day > fe->until))
      continue;
    if (!best || fe->from >= best->from)
      best = fe;
  }
  return best;
}

/* The day of month/day in year y, the day clamped to the month's end. */
static int32_t day_in(int y, int month, int day) {
  int dim = imhe_days_in_month(y, month);
  return imhe_days_from_civil(y, month, day > dim ? dim : day);
}

/* The fees of kind k charged on the record, as published: its amount, and its note. */
static void charge(struct vm *vm, struct imhe_fee_summary *f, int k, const struct imhe_fee *fe) {
  f->kinds[k].amount = fe->cents / 100.0;
  if (fe->note != UINT32_MAX)
    fee_note(f, imhe_str(vm->p, fe->note));
}

/* The published fee of kind k for category bits `bits`, or NULL (`fee KIND not published`, an
 * amount of -1, says what a missing fee says). */
static const struct imhe_fee *published(const struct vm *vm, int k, uint32_t bits) {
  const struct imhe_fee *fe = fee_for(vm, k, bits);
  return fe && fe->cents >= 0 ? fe : NULL;
}

/* A renewal submitted after its due day (the scheme's `due` day in the deadline's year): each
 * overdue fee published is charged once beside the yearly total (which it would overstate every
 * later year); submitted on or after the lapse day (the first `lapses` day after the due day), a
 * note says the endorsement lapsed. Fees never change a verdict (requirements.md), so a lapse is
 * reported, not judged. */
static void late_renewal(struct vm *vm, struct imhe_fee_summary *f) {
  const struct imhe_program *p = vm->p;
  const struct imhe_record *r = vm->r;
  if (r->renewal_deadline == IMHE_NO_DATE || r->submitted == IMHE_NO_DATE)
    return;
  const struct imhe_renewal *rn = imhe_renewal_scheme(p, r->renewal_deadline);
  if (!rn || !rn->due_month)
    return;
  int y, m, d;
  imhe_civil_from_days(r->renewal_deadline, &y, &m, &d);
  int32_t due = day_in(y, rn->due_month, rn->due_day);
  if (r->submitted <= due)
    return;
  char sub[11], when[11];
  imhe_format_date(r->submitted, sub);
  imhe_format_date(due, when);
  const char *what = NULL; /* the first overdue kind's name, for the note when none is charged */
  int charged = 0;
  for (int k = 0; k < f->nkinds; k++) {
    if (!(f->kinds[k].flags & FK_OVERDUE))
      continue;
    if (!what)
      what = f->kinds[k].name;
    const struct imhe_fee *due_fee = published(vm, k, UINT32_MAX);
    if (!due_fee)
      continue;
    charged = 1;
    f->kinds[k].amount = due_fee->cents / 100.0;
    fee_note(f, imhe_arena_printf(vm->a, "%s $%s: submitted %s, after the renewal due date %s",
                                  f->kinds[k].name, imhe_vm_num(vm, due_fee->cents / 100.0), sub,
                                  when));
  }
  if (!charged)
    fee_note(f, imhe_arena_printf(vm->a,
                                  "submitted %s, after the renewal due date %s; no %s is "
                                  "published",
                                  sub, when, what ? what : "overdue fee"));
  if (!rn->lapse_month)
    return;
  int32_t lapse = day_in(y, rn->lapse_month, rn->lapse_day);
  if (lapse <= due)
    lapse = day_in(y + 1, rn->lapse_month, rn->lapse_day);
  if (r->submitted >= lapse) {
    char l[11];
    imhe_format_date(lapse, l);
    fee_note(f, imhe_arena_printf(vm->a,
                                  "the endorsement lapsed on %s, before this renewal was "
                                  "submitted: it is removed from the registry and needs "
                                  "reinstatement",
                                  l));
  }
}

/* Renewal and reinstatement: the fees charged a year, when published; without the required one
 * (the renewal's own fee), a renewal's fees are not published. A reinstatement's never are. */
static void renewal_fees(struct vm *vm, struct imhe_fee_summary *f) {
  const struct imhe_program *p = vm->p;
  const char *disp = imhe_str(p, p->settings.display);
  f->present = 1;
  f->renewal = 1;
  f->total = -1;
  int unpublished = vm->r->kind != IMHE_KIND_RENEWAL;
  for (int k = 0; k < f->nkinds && !unpublished; k++)
    if ((f->kinds[k].flags & (FK_RENEWAL | FK_REQUIRED)) == (FK_RENEWAL | FK_REQUIRED) &&
        !published(vm, k, UINT32_MAX))
      unpublished = 1;
  if (unpublished) {
    fee_note(f, imhe_arena_printf(vm->a, "%s %s fees are not published", disp,
                                  vm->r->kind == IMHE_KIND_RENEWAL ? "renewal" : "reinstatement"));
    return;
  }
  double total = 0;
  int every = 1; /* the total is published only when every yearly fee is */
  for (int k = 0; k < f->nkinds; k++) {
    if (!(f->kinds[k].flags & FK_RENEWAL))
      continue;
    const struct imhe_fee *fe = published(vm, k, UINT32_MAX);
    if (fe) {
      charge(vm, f, k, fe);
      total += fe->cents / 100.0;
    } else
      every = 0;
  }
  f->total = every ? total : -1;
  late_renewal(vm, f);
}

/* An application's fees for its category, as published, each kind charged with an application
 * in the order the catalogue declares them. */
static void application_fees(struct vm *vm, struct imhe_fee_summary *f) {
  const struct imhe_program *p = vm->p;
  int cat = vm->category;
  uint32_t bit = 1u << cat;
  const char *disp = imhe_str(p, p->settings.display);
  for (int k = 0; k < f->nkinds; k++) {
    if (!(f->kinds[k].flags & FK_APPLICATION))
      continue;
    const struct imhe_fee *fe = published(vm, k, bit);
    if (fe)
      charge(vm, f, k, fe);
    else
      fee_note(f, imhe_arena_join(vm->a,
                                  (const char *[]){disp, " does not publish the ",
                                                   imhe_cat_code(p, cat), " ", f->kinds[k].name},
                                  5));
  }
}

/* A coupon is judged on the fee day too. */
static int32_t coupon_day(const struct vm *vm) {
  return fee_day(vm);
}

/* Whether coupon cp's condition (a coupon rule) holds on the coupon's day; its first finding in
 * *why when not. The rule runs with a scratch result, so the record's results are untouched. */
static int coupon_condition(struct vm *vm, const struct imhe_coupon *cp,
                            const struct imhe_why **why, const struct imhe_cond_result **failed) {
  int32_t as_of = vm->as_of;
  vm->as_of = coupon_day(vm);
  struct imhe_rule_outcome scratch;
  memset(&scratch, 0, sizeof scratch);
  struct imhe_rule_outcome *save = vm->rr;
  uint32_t savecap = vm->capconds;
  vm->rr = &scratch;
  vm->capconds = 0;
  int ok = imhe_run_rule(vm, cp->rule) == IMHE_STATUS_PASS;
  for (uint32_t k = 0; !ok && k < scratch.nconds && !*failed; k++)
    if (scratch.conds[k].status != IMHE_STATUS_PASS && scratch.conds[k].kind == VT_NUM)
      *failed = &scratch.conds[k]; /* in the arena: it outlives the scratch outcome */
  if (!ok)
    *why = scratch.nconds && scratch.conds[0].notes
               ? scratch.conds[0].notes
               : imhe_why_new(vm, IMHE_REASON_CONDITION_NOT_MET);
  vm->rr = save;
  vm->capconds = savecap;
  vm->as_of = as_of;
  return ok;
}

/* Why the record's coupon does not apply (NULL when it does): none of that code, not for the
 * category, outside its dates, or its condition not met (then *cond says what its condition
 * found, and the words are the reports'). */
static const char *coupon_refusal(struct vm *vm, const struct imhe_coupon *cp,
                                  const struct imhe_why **cond,
                                  const struct imhe_cond_result **failed) {
  const struct imhe_program *p = vm->p;
  int cat = vm->category;
  if (!cp)
    return imhe_arena_printf(vm->a, "%s has no such coupon", imhe_str(p, p->settings.display));
  if (!(cp->cats & 1u << cat))
    return imhe_arena_printf(vm->a, "it is not offered for %s", imhe_cat_code(p, cat));
  int32_t day = coupon_day(vm);
  if ((cp->from != IMHE_NO_DATE && day < cp->from) ||
      (cp->until != IMHE_NO_DATE && day > cp->until)) {
    char a[11] = "", b[11] = "";
    if (cp->from != IMHE_NO_DATE)
      imhe_format_date(cp->from, a);
    if (cp->until != IMHE_NO_DATE)
      imhe_format_date(cp->until, b);
    return imhe_arena_printf(vm->a, "valid only from %s to %s", *a ? a : "the start",
                             *b ? b : "now");
  }
  if (cp->rule != IMHE_NO_RULE && !coupon_condition(vm, cp, cond, failed))
    return "";
  return NULL;
}

/* The record's coupon: found by its code (as names compare), applied when nothing refuses it,
 * waiving the fees it names. */
static void coupon(struct vm *vm, struct imhe_fee_summary *f) {
  const struct imhe_program *p = vm->p;
  const struct imhe_coupon *cp = NULL;
  for (uint32_t i = 0; i < p->ncoupons && !cp; i++) {
    const char *code = imhe_str(p, p->coupons[i].code);
    if (imhe_names_equal(code, strlen(code), vm->r->coupon.s, vm->r->coupon.n))
      cp = &p->coupons[i];
  }
  const struct imhe_why *cond = NULL;
  const struct imhe_cond_result *failed = NULL;
  const char *why = coupon_refusal(vm, cp, &cond, &failed);
  if (why) {
    int at = f->nnotes;
    if (failed && f->nnotes < 8) {
      f->coupon_cond = failed;
      f->coupon_note = at;
    }
    fee_note(f, imhe_arena_printf(vm->a, "coupon %.40s not applied%s%s", f->coupon,
                                  cond ? "" : ": ", why));
    if (cond && f->nnotes > at)
      f->note_why[at] = cond;
    return;
  }
  f->coupon_applied = 1;
  double waived = 0;
  for (int k = 0; k < f->nkinds; k++)
    if ((cp->waives & 1u << k) && f->kinds[k].amount > 0) {
      waived += f->kinds[k].amount;
      f->kinds[k].amount = 0;
    }
  fee_note(f, cp->note != UINT32_MAX
                  ? imhe_str(p, cp->note)
                  : imhe_arena_printf(vm->a, "%s waives $%s of fees", imhe_str(p, cp->code),
                                      imhe_vm_num(vm, waived)));
}

void imhe_compute_fees(struct vm *vm, struct imhe_fee_summary *f) {
  const struct imhe_program *p = vm->p;
  for (uint32_t k = 0; k < p->nfee_kinds && k < IMHE_MAX_FEE_KINDS; k++)
    f->kinds[f->nkinds++] =
        (struct imhe_fee_line){imhe_fee_word(p, k), imhe_fee_name(p, k), p->fee_kinds[k].flags, -1};
  if (vm->r->kind != IMHE_KIND_APPLICATION) {
    renewal_fees(vm, f);
    return;
  }
  const char *disp = imhe_str(p, p->settings.display);
  f->present = 1;
  f->total = -1;
  if (vm->r->coupon.s)
    f->coupon = vm->r->coupon.s;
  if (!p->settings.fees_published) {
    fee_note(f, imhe_arena_join(vm->a, (const char *[]){disp, " fees are not published"}, 2));
    if (f->coupon)
      fee_note(f, imhe_arena_printf(vm->a, "coupon %.40s not applied: %s publishes no fees",
                                    f->coupon, disp));
    return;
  }
  application_fees(vm, f);
  if (f->coupon)
    coupon(vm, f);
  double total = 0;
  for (int k = 0; k < f->nkinds && total >= 0; k++)
    if (f->kinds[k].flags & FK_APPLICATION)
      total = f->kinds[k].amount >= 0 ? total + f->kinds[k].amount : -1;
  f->total = total;
}
