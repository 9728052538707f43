/* facts.c — the facts of a record as of its as-of date: membership of an accepted association,
 * signatures, the written exam, the supervisor named in current work, the renewal scheme. */
#include "runtime/eval/facts.h"
#include "runtime/core/dates.h"
#include "runtime/core/names.h"
#include "runtime/eval/settings.h"
#include <stdio.h>
#include <string.h>

static int assoc_matches(const char *a, size_t an, const char *b, size_t bn) {
  /* codes compare without case or spaces, with an optional -AIMH suffix (reading 17) */
  while (an && a[an - 1] == ' ')
    an--;
  while (bn && b[bn - 1] == ' ')
    bn--;
  if (an > 5 && imhe_names_equal(a + an - 5, 5, "-AIMH", 5))
    an -= 5;
  if (bn > 5 && imhe_names_equal(b + bn - 5, 5, "-AIMH", 5))
    bn -= 5;
  return imhe_codes_equal(a, an, b, bn);
}

/* Whether s names the policy's own association: its code, short name or full name. */
static int names_own(const struct imhe_program *p, const char *s, size_t n) {
  const uint32_t own[] = {p->settings.code, p->settings.display, p->settings.name};
  for (int i = 0; i < 3; i++) {
    const char *o = imhe_str(p, own[i]);
    if (*o && assoc_matches(s, n, o, strlen(o)))
      return 1;
  }
  return 0;
}

/* An accepted code matches the membership, or both name the policy's own association by any of
 * its names (accepts members of ITMH; a membership of ITMHCA, its short name). */
static int accepted(const struct imhe_program *p, const char *s, size_t n) {
  int own = -1;
  for (uint32_t i = 0; i < p->naccepted; i++) {
    const char *acc = imhe_str(p, p->accepted[i]);
    if (assoc_matches(s, n, acc, strlen(acc)))
      return 1;
    if (own < 0)
      own = names_own(p, s, n);
    if (own && names_own(p, acc, strlen(acc)))
      return 1;
  }
  return 0;
}

/* Membership of an association the policy accepts, unexpired at the as-of date. */
static int membership(struct vm *vm, struct imhe_why *w) {
  const struct imhe_record *r = vm->r;
  const struct imhe_program *p = vm->p;
  if (!r->has_membership || !r->membership_association.s || !r->membership_association.n) {
    w->code = r->has_membership ? IMHE_REASON_MEMBERSHIP_UNNAMED : IMHE_REASON_NO_MEMBERSHIP;
    return 0;
  }
  if (r->membership_expires == IMHE_NO_DATE) {
    w->code = IMHE_REASON_MEMBERSHIP_NO_EXPIRY;
    return 0;
  }
  int ok = p->settings.membership_any ||
           accepted(p, r->membership_association.s, r->membership_association.n);
  w->name = r->membership_association.s;
  w->name2 = imhe_str(p, p->settings.display);
  w->date[0] = r->membership_expires;
  w->date[1] = vm->as_of;
  w->code = !ok                                 ? IMHE_REASON_MEMBERSHIP_NOT_ACCEPTED
            : r->membership_expires < vm->as_of ? IMHE_REASON_MEMBERSHIP_EXPIRED
                                                : IMHE_REASON_MEMBER;
  return w->code == IMHE_REASON_MEMBER;
}

/* The Endorsement Agreement or the Code of Ethics signed by the as-of date. */
static int signed_by(struct vm *vm, int f, struct imhe_why *w) {
  int32_t s = f == FACT_AGREEMENT ? vm->r->agreement_signed : vm->r->ethics_signed;
  w->name = f == FACT_AGREEMENT ? "Endorsement Agreement" : "Code of Ethics";
  w->date[0] = s;
  w->date[1] = vm->as_of;
  w->code = s == IMHE_NO_DATE ? IMHE_REASON_NOT_SIGNED
            : s > vm->as_of   ? IMHE_REASON_SIGNED_LATE
                              : IMHE_REASON_SIGNED;
  return w->code == IMHE_REASON_SIGNED;
}

/* The written exam: 1 passed, 0 failed, 2 not yet taken. */
static int exam(struct vm *vm, struct imhe_why *w) {
  const struct imhe_record *r = vm->r;
  if (r->exam_passed == 1) {
    w->code = IMHE_REASON_EXAM_PASSED;
    return 1;
  }
  if (r->exam_passed == 0) {
    w->code = IMHE_REASON_EXAM_FAILED;
    w->date[0] = r->exam_date;
    return 0;
  }
  w->code = IMHE_REASON_EXAM_NOT_TAKEN;
  return 2;
}

/* Current work naming whom the applicant reports to (FACT_HAS_REPORTED_TO), and each of those
 * a completed reference (FACT_REPORTED_TO). */
static int reported_to(struct vm *vm, int f, const struct imhe_why **note) {
  const struct imhe_record *r = vm->r;
  const struct imhe_list *w = &r->sec[IMHE_SECTION_WORK];
  struct imhe_why *tail = NULL;
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
    struct imhe_why *why = imhe_why_add(
        vm, found ? IMHE_REASON_REPORTED_TO_REFERENCE : IMHE_REASON_REPORTED_TO_NO_REFERENCE, note,
        &tail);
    why->name = name->s;
    why->sec = IMHE_SECTION_WORK;
    why->entry = i;
    all &= found;
  }
  return f == FACT_HAS_REPORTED_TO ? any : (any && all);
}

int imhe_fact(struct vm *vm, int f, const struct imhe_why **note) {
  const struct imhe_record *r = vm->r;
  struct imhe_why *w = imhe_why_new(vm, IMHE_REASON_LEFT_OUT);
  if (f != FACT_HAS_REPORTED_TO && f != FACT_REPORTED_TO)
    *note = w;
  switch (f) {
  case FACT_MEMBERSHIP:
    return membership(vm, w);
  case FACT_AGREEMENT:
  case FACT_ETHICS:
    return signed_by(vm, f, w);
  case FACT_EXAM:
    return exam(vm, w);
  case FACT_HAS_REPORTED_TO:
  case FACT_REPORTED_TO:
    return reported_to(vm, f, note);
  case FACT_ANNUAL_RENEWAL:
  case FACT_CYCLE_RENEWAL: {
    const struct imhe_renewal *rn =
        r->kind == IMHE_KIND_RENEWAL ? imhe_renewal_scheme(vm->p, vm->as_of) : NULL;
    int want = f == FACT_ANNUAL_RENEWAL ? RENEW_ANNUAL : RENEW_CYCLE;
    w->code =
        rn ? (rn->scheme == RENEW_ANNUAL ? IMHE_REASON_ANNUAL_RENEWAL : IMHE_REASON_CYCLE_RENEWAL)
           : IMHE_REASON_NO_RENEWAL_SCHEME;
    return rn && rn->scheme == want;
  }
  case FACT_RSC_ATTESTED:
    w->code = r->rsc_attested ? IMHE_REASON_RSC_ATTESTED : IMHE_REASON_RSC_NOT_ATTESTED;
    return r->rsc_attested == 1;
  }
  return 0;
}
