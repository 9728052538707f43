/* judge.c — one record against one program: its validity, whether its category or kind is offered,
 * every rule of its era in order, the verdict, fees and the next deadline. */
#include "runtime/core/dates.h"
#include "runtime/eval/fees.h"
#include "runtime/eval/measures.h"
#include "runtime/eval/settings.h"
#include "runtime/eval/vm.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---------- around the rules: validity, fees, deadlines ---------- */

/* Every competency code of the record is a code of the policy, else the record is invalid. The
 * codes found are counted on the way for the competency measures (vm->comps_seen: those dated by
 * the as-of date and listed for the category), so each code is looked up once. */
static void validate_codes(struct vm *vm) {
  const struct imhe_program *p = vm->p;
  uint32_t catbit = vm->category >= 0 ? 1u << vm->category : 0;
  for (int s = 0; s < 2; s++) {
    int sec = s ? IMHE_SECTION_EDUCATION : IMHE_SECTION_TRAINING;
    int fd = s ? EDU_COMPETENCIES : TRAIN_COMPETENCIES, fdate = s ? EDU_COMPLETED : TRAIN_DATE;
    const struct imhe_list *l = &vm->r->sec[sec];
    for (uint32_t i = 0; i < l->n; i++) {
      const struct imhe_slot *sl = &l->v[i].f[fd];
      if (!sl->present)
        continue;
      const struct imhe_slot *date = &l->v[i].f[fdate];
      int dated = date->present && date->v.date <= vm->as_of;
      for (uint32_t k = 0; k < sl->v.codes.n; k++) {
        int d;
        uint32_t item;
        const struct imhe_comp_code *c = &sl->v.codes.v[k];
        if (!imhe_find_competency(vm, c, &d, &item))
          imhe_result_error(vm->res, c->line, c->col,
                            "%s[%u].competencies: unknown competency code '%.60s'",
                            imhe_sections[sec].name, i, c->s.s);
        else if (dated && (p->items[item].cats & catbit))
          vm->comps_seen[d] |= 1ull << (item - p->domains[d].first);
      }
    }
  }
}

/* A rule's result made outside the VM: whether the category or kind is offered, whether a
 * renewal is due. */
static void outside_rule(struct imhe_result *out, const char *id, const char *desc,
                         imhe_status status, const struct imhe_why *reason) {
  struct imhe_rule_outcome *rr = &out->rules[out->nrules++];
  rr->id = id;
  rr->area = AREA_CATEGORY;
  rr->kind = RK_REQUIRE;
  rr->status = status;
  rr->desc = desc;
  rr->file = "";
  rr->cite = "";
  rr->reason = reason;
  rr->res = out;
}

/* The single result of a record whose category or kind the association does not offer. */
static void not_offered(struct imhe_result *out, const struct imhe_why *reason) {
  outside_rule(out, "category_offered", "the category is offered by the association",
               IMHE_STATUS_FAIL, reason);
  out->failed_areas |= 1u << AREA_CATEGORY;
  out->verdict = IMHE_VERDICT_NOT_ELIGIBLE;
}

/* How judging goes on once the record's kind is looked at: with the rules selected by `kindbit`,
 * or not at all (the result is complete: not offered, invalid, nothing due). */
enum { JUDGE_RULES, JUDGE_DONE };

static int application(struct vm *vm, struct imhe_result *out, uint32_t era, uint32_t *kindbit) {
  const struct imhe_program *p = vm->p;
  int cat = vm->category;
  if (cat < 0 || !(p->eras[era].offered >> cat & 1u)) {
    struct imhe_why *w = imhe_why_new(vm, IMHE_REASON_CATEGORY_NOT_OFFERED);
    w->name2 = imhe_str(p, p->settings.display);
    w->name = cat >= 0 ? imhe_category_code[cat] : NULL;
    not_offered(out, w);
    return JUDGE_DONE;
  }
  *kindbit = 1u << cat;
  return JUDGE_RULES;
}

/* A multi-year cycle's deadline is December 31 of a cycle year (requirements.md, renewal), and
 * the endorsements held are listed: else the record is invalid. */
static int cycle_deadline_ok(struct vm *vm, struct imhe_result *out,
                             const struct imhe_renewal *rn) {
  const struct imhe_record *r = vm->r;
  int y, m, d, y0 = 0, m0, d0;
  imhe_civil_from_days(vm->as_of, &y, &m, &d);
  if (rn->from != IMHE_NO_DATE)
    imhe_civil_from_days(rn->from, &y0, &m0, &d0);
  if (m != 12 || d != 31 || rn->years == 0 || y < y0 || (y - y0) % (int)rn->years) {
    char d1[11];
    imhe_format_date(vm->as_of, d1);
    imhe_result_error(out, r->deadline_line, r->deadline_col,
                      "renewal_deadline: %s is not a %u-year cycle deadline (December 31 of %d, "
                      "%d, %d, ...)",
                      d1, rn->years, y0, y0 + (int)rn->years, y0 + 2 * (int)rn->years);
    out->verdict = IMHE_VERDICT_INVALID;
    return 0;
  }
  if (!r->sec[IMHE_SECTION_ENDORSEMENTS].n) {
    imhe_result_error(out, r->line, 1,
                      "endorsements: a %u-year renewal needs the endorsements held (none listed)",
                      rn->years);
    out->verdict = IMHE_VERDICT_INVALID;
    return 0;
  }
  return 1;
}

/* Nothing is due the year an endorsement was earned (reading 25): the record passes with fees
 * and no rules. 0 when a renewal is due. */
static int nothing_due(struct vm *vm, struct imhe_result *out) {
  const struct imhe_record *r = vm->r;
  if (imhe_years_endorsed(r, vm->as_of, NULL) >= 1)
    return 0;
  int32_t first = IMHE_NO_DATE;
  for (uint32_t i = 0; i < r->sec[IMHE_SECTION_ENDORSEMENTS].n; i++) {
    const struct imhe_slot *e = &r->sec[IMHE_SECTION_ENDORSEMENTS].v[i].f[ENDO_EARNED];
    if (e->present && (first == IMHE_NO_DATE || e->v.date < first))
      first = e->v.date;
  }
  struct imhe_why *w = imhe_why_new(vm, IMHE_REASON_RENEWAL_NOT_DUE);
  w->date[0] = first;
  w->date[1] = vm->as_of;
  outside_rule(out, "renewal_due", "a renewal is due", IMHE_STATUS_PASS, w);
  out->verdict = IMHE_VERDICT_ELIGIBLE;
  imhe_compute_fees(vm, &out->fees);
  return 1;
}

static int renewal(struct vm *vm, struct imhe_result *out, uint32_t *kindbit) {
  const struct imhe_program *p = vm->p;
  const struct imhe_renewal *rn = imhe_renewal_scheme(p, vm->as_of);
  if (!rn) {
    struct imhe_why *w = imhe_why_new(vm, IMHE_REASON_NO_RENEWAL_SCHEME_FOR);
    w->name2 = imhe_str(p, p->settings.display);
    w->date[0] = vm->as_of;
    not_offered(out, w);
    return JUDGE_DONE;
  }
  if (rn->scheme == RENEW_CYCLE && (!cycle_deadline_ok(vm, out, rn) || nothing_due(vm, out)))
    return JUDGE_DONE;
  *kindbit = IMHE_KIND_RENEWAL_BIT;
  return JUDGE_RULES;
}

static int reinstatement(struct vm *vm, struct imhe_result *out, uint32_t *kindbit) {
  const struct imhe_settings *set = &vm->p->settings;
  if (!set->reinstatement || vm->as_of < set->reinstatement_from) {
    struct imhe_why *w = imhe_why_new(vm, set->reinstatement ? IMHE_REASON_REINSTATEMENT_FROM
                                                             : IMHE_REASON_NO_REINSTATEMENT);
    w->name2 = imhe_str(vm->p, set->display);
    w->date[0] = set->reinstatement ? set->reinstatement_from : IMHE_NO_DATE;
    not_offered(out, w);
    return JUDGE_DONE;
  }
  *kindbit = IMHE_KIND_REINSTATEMENT_BIT;
  return JUDGE_RULES;
}

/* Every rule of the era for the record's category or kind, in order, and the verdict they give. */
static void run_rules(struct vm *vm, struct imhe_result *out, uint32_t era, uint32_t kindbit) {
  const struct imhe_program *p = vm->p;
  int failed = 0, pending = 0;
  for (uint32_t i = 0; i < p->nrules; i++) {
    const struct imhe_rule *ru = &p->rules[i];
    if (ru->era != era || ru->kind == RK_COUPON || !(ru->cats & kindbit))
      continue;
    struct imhe_rule_outcome *rr = &out->rules[out->nrules++];
    rr->rule = i;
    rr->res = out;
    rr->id = imhe_str(p, ru->id);
    rr->desc = imhe_str(p, ru->desc);
    rr->file = imhe_str(p, ru->file);
    rr->cite = imhe_str(p, ru->cite);
    rr->line = ru->line;
    rr->area = ru->area;
    rr->kind = ru->kind;
    vm->rr = rr;
    vm->capconds = 0;
    rr->status = imhe_run_rule(vm, i);
    if (ru->kind == RK_REQUIRE && rr->status == IMHE_STATUS_FAIL) {
      failed = 1;
      out->failed_areas |= 1u << ru->area;
    }
    if (ru->kind == RK_REQUIRE && rr->status == IMHE_STATUS_PENDING)
      pending = 1;
  }
  out->verdict = failed    ? IMHE_VERDICT_NOT_ELIGIBLE
                 : pending ? IMHE_VERDICT_PENDING_EXAM
                           : IMHE_VERDICT_ELIGIBLE;
}

void imhe_result_error(struct imhe_result *res, uint32_t line, uint32_t col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  imhe_msgs_vadd(res->arena, &res->errors, res->record->file, line, col, fmt, ap);
  va_end(ap);
}

void imhe_result_warning(struct imhe_result *res, uint32_t line, uint32_t col, const char *fmt,
                         ...) {
  va_list ap;
  va_start(ap, fmt);
  imhe_msgs_vadd(res->arena, &res->warnings, res->record->file, line, col, fmt, ap);
  va_end(ap);
}

void imhe_evaluate(const struct imhe_program *p, const struct imhe_record *r, struct imhe_arena *a,
                   int32_t as_of, imhe_as_of_source as_of_source, struct imhe_result *out) {
  imhe_evaluate_as(p, r, a, as_of, as_of_source, -1, out);
}

void imhe_evaluate_as(const struct imhe_program *p, const struct imhe_record *r,
                      struct imhe_arena *a, int32_t as_of, imhe_as_of_source as_of_source,
                      int category, struct imhe_result *out) {
  struct vm vm = {.p = p, .r = r, .a = a, .res = out, .as_of = as_of};
  vm.category = category >= 0 ? category : r->category;
  memset(out, 0, sizeof *out);
  out->category = vm.category;
  out->record = r;
  out->arena = a;
  out->as_of = as_of;
  out->as_of_source = as_of_source;
  out->policy = imhe_str(p, p->policy_name);
  out->next_deadline = IMHE_NO_DATE;
  uint32_t era = imhe_era_at(p, as_of);
  out->base = imhe_str(p, p->eras[era].base);
  if (!r->errors.n)
    validate_codes(&vm);
  if (r->errors.n || out->errors.n) {
    out->verdict = IMHE_VERDICT_INVALID;
    return;
  }
  out->rules = imhe_arena_alloc(a, (p->nrules + 1) * sizeof *out->rules);
  uint32_t kindbit = 0;
  int next = r->kind == IMHE_KIND_APPLICATION ? application(&vm, out, era, &kindbit)
             : r->kind == IMHE_KIND_RENEWAL   ? renewal(&vm, out, &kindbit)
                                              : reinstatement(&vm, out, &kindbit);
  if (next == JUDGE_DONE)
    return;
  run_rules(&vm, out, era, kindbit);
  imhe_compute_fees(&vm, &out->fees);
  if (r->kind == IMHE_KIND_APPLICATION) /* submission deadlines concern applications */
    out->next_deadline = imhe_next_deadline(p, as_of);
  out->deadline_label = imhe_str(p, p->settings.display);
}
