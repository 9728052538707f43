/* facts.c — the facts of a record as of its as-of date: membership of an accepted association,
 * signatures, the written exam, the supervisor named in current work, the renewal scheme. */
#include "runtime/eval/facts.h"
#include "runtime/core/dates.h"
#include "runtime/core/names.h"
#include "runtime/eval/settings.h"
#include <stdio.h>
#include <string.h>

static int assoc_matches(const char *a, size_t an, const char *b, size_t bn) {
  /* codes compare without case, with an optional -AIMH suffix (reading 17) */
  if (an > 5 && imhe_names_equal(a + an - 5, 5, "-AIMH", 5))
    an -= 5;
  if (bn > 5 && imhe_names_equal(b + bn - 5, 5, "-AIMH", 5))
    bn -= 5;
  return imhe_names_equal(a, an, b, bn);
}

/* Membership of an association the policy accepts, unexpired at the as-of date. */
static int membership(struct vm *vm, const char **note) {
  const struct imhe_record *r = vm->r;
  const struct imhe_program *p = vm->p;
  if (!r->has_membership || !r->membership_association.s || !r->membership_association.n) {
    *note =
        r->has_membership ? "membership names no association" : "no association membership given";
    return 0;
  }
  if (r->membership_expires == IMHE_NO_DATE) {
    *note = "membership has no expiry date";
    return 0;
  }
  int ok = p->settings.membership_any;
  for (uint32_t i = 0; i < p->naccepted && !ok; i++) {
    const char *acc = imhe_str(p, p->accepted[i]);
    ok = assoc_matches(r->membership_association.s, r->membership_association.n, acc, strlen(acc));
  }
  char d[11], d2[11];
  imhe_format_date(r->membership_expires, d);
  imhe_format_date(vm->as_of, d2);
  if (!ok) {
    *note = imhe_arena_printf(vm->a, "membership of %.40s is not accepted by %s",
                              r->membership_association.s, imhe_str(p, p->settings.display));
    return 0;
  }
  if (r->membership_expires < vm->as_of) {
    *note = imhe_arena_printf(vm->a, "membership of %.40s expired %s, before %s",
                              r->membership_association.s, d, d2);
    return 0;
  }
  *note = imhe_arena_printf(vm->a, "member of %.40s until %s", r->membership_association.s, d);
  return 1;
}

/* The Endorsement Agreement or the Code of Ethics signed by the as-of date. */
static int signed_by(struct vm *vm, int f, const char **note) {
  int32_t s = f == FACT_AGREEMENT ? vm->r->agreement_signed : vm->r->ethics_signed;
  const char *what = f == FACT_AGREEMENT ? "Endorsement Agreement" : "Code of Ethics";
  if (s == IMHE_NO_DATE) {
    *note = imhe_arena_printf(vm->a, "%s not signed", what);
    return 0;
  }
  char d[11], d2[11];
  imhe_format_date(s, d);
  imhe_format_date(vm->as_of, d2);
  if (s > vm->as_of) {
    *note = imhe_arena_printf(vm->a, "%s signed %s, after %s", what, d, d2);
    return 0;
  }
  *note = imhe_arena_printf(vm->a, "%s signed %s", what, d);
  return 1;
}

/* The written exam: 1 passed, 0 failed, 2 not yet taken. */
static int exam(struct vm *vm, const char **note) {
  const struct imhe_record *r = vm->r;
  if (r->exam_passed == 1) {
    *note = "written exam passed";
    return 1;
  }
  if (r->exam_passed == 0) {
    if (r->exam_date != IMHE_NO_DATE) {
      char d[11];
      imhe_format_date(r->exam_date, d);
      *note = imhe_arena_printf(vm->a, "written exam failed on %s", d);
    } else
      *note = "written exam failed";
    return 0;
  }
  *note = "not yet taken; the applicant may sit the written exam";
  return 2;
}

/* Current work naming whom the applicant reports to (FACT_HAS_REPORTED_TO), and each of those
 * a completed reference (FACT_REPORTED_TO). */
static int reported_to(struct vm *vm, int f, const char **note) {
  const struct imhe_record *r = vm->r;
  const struct imhe_list *w = &r->sec[IMHE_SECTION_WORK];
  int any = 0, all = 1;
  for (uint32_t i = 0; i < w->n; i++) {
    const struct imhe_entry *e = &w->v[i];
    if (!e->f[WORK_REPORTED_TO].present || !e->f[WORK_START].present ||
        e->f[WORK_START].v.date > vm->as_of ||
        (e->f[WORK_END].present && e->f[WORK_END].v.date < vm->as_of))
      continue;
    any = 1;
    const struct imhe_text *name = &e->f[WORK_REPORTED_TO].v.text;
    int found = 0;
    const struct imhe_list *refs = &r->sec[IMHE_SECTION_REFERENCES];
    for (uint32_t k = 0; k < refs->n && !found; k++) {
      const struct imhe_entry *x = &refs->v[k];
      found = x->f[REF_STATUS].present && x->f[REF_STATUS].v.ival == 0 && x->f[REF_NAME].present &&
              imhe_names_equal(x->f[REF_NAME].v.text.s, x->f[REF_NAME].v.text.n, name->s, name->n);
    }
    imhe_vm_note(vm, note,
                 imhe_arena_printf(vm->a,
                                   "%s completed reference from %.60s, named as reported_to in "
                                   "work[%u]",
                                   found ? "a" : "no", name->s, i));
    all &= found;
  }
  return f == FACT_HAS_REPORTED_TO ? any : (any && all);
}

int imhe_fact(struct vm *vm, int f, const char **note) {
  const struct imhe_record *r = vm->r;
  switch (f) {
  case FACT_MEMBERSHIP:
    return membership(vm, note);
  case FACT_AGREEMENT:
  case FACT_ETHICS:
    return signed_by(vm, f, note);
  case FACT_EXAM:
    return exam(vm, note);
  case FACT_HAS_REPORTED_TO:
  case FACT_REPORTED_TO:
    return reported_to(vm, f, note);
  case FACT_ANNUAL_RENEWAL:
  case FACT_CYCLE_RENEWAL: {
    const struct imhe_renewal *rn =
        r->kind == IMHE_KIND_RENEWAL ? imhe_renewal_scheme(vm->p, vm->as_of) : NULL;
    int want = f == FACT_ANNUAL_RENEWAL ? RENEW_ANNUAL : RENEW_CYCLE;
    *note = rn ? (rn->scheme == RENEW_ANNUAL ? "annual renewal" : "multi-year renewal cycle")
               : "no renewal scheme";
    return rn && rn->scheme == want;
  }
  case FACT_RSC_ATTESTED:
    *note = r->rsc_attested ? "RSC provider attested" : "no current RSC provider attested";
    return r->rsc_attested == 1;
  }
  return 0;
}
