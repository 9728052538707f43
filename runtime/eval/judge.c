/* judge.c — one record against one program: its validity, whether its category or kind is offered,
 * every rule of its era in order, the verdict, fees and the next deadline. */
#include "runtime/core/dates.h"
#include "runtime/eval/fees.h"
#include "runtime/eval/measures.h"
#include "runtime/eval/settings.h"
#include "runtime/eval/vm.h"
#include <stdio.h>
#include <string.h>

/* ---------- around the rules: validity, fees, deadlines ---------- */

static void validate_codes(struct vm *vm) {
  for (int s = 0; s < 2; s++) {
    int sec = s ? IMHE_SECTION_EDUCATION : IMHE_SECTION_TRAINING;
    int fd = s ? EDU_COMPETENCIES : TRAIN_COMPETENCIES;
    const struct imhe_list *l = &vm->r->sec[sec];
    for (uint32_t i = 0; i < l->n; i++) {
      const struct imhe_slot *sl = &l->v[i].f[fd];
      if (!sl->present)
        continue;
      for (uint32_t k = 0; k < sl->v.codes.n; k++) {
        int d;
        uint32_t item;
        const struct imhe_comp_code *c = &sl->v.codes.v[k];
        if (!imhe_find_competency(vm, c, &d, &item))
          imhe_record_error(vm->r, c->line, c->col,
                            "%s[%u].competencies: unknown competency code '%.60s'",
                            imhe_sections[sec].name, i, c->s.s);
      }
    }
  }
}

/* The single result of a record whose category or kind the association does not offer. */
static void not_offered(struct imhe_result *out, struct imhe_arena *a, const char *message) {
  struct imhe_rule_outcome *rr = &out->rules[out->nrules++];
  (void)a;
  rr->id = "category_offered";
  rr->area = AREA_CATEGORY;
  rr->kind = RK_REQUIRE;
  rr->status = IMHE_STATUS_FAIL;
  rr->desc = "the category is offered by the association";
  rr->file = "";
  rr->message = message;
  out->failed_areas |= 1u << AREA_CATEGORY;
  out->verdict = IMHE_VERDICT_NOT_ELIGIBLE;
}

void imhe_evaluate(const struct imhe_program *p, struct imhe_record *r, int32_t as_of,
                   imhe_as_of_source as_of_source, struct imhe_result *out) {
  struct vm vm = {.p = p, .r = r, .a = &r->arena, .as_of = as_of};
  memset(out, 0, sizeof *out);
  out->as_of = as_of;
  out->as_of_source = as_of_source;
  out->policy = imhe_str(p, p->policy_name);
  out->next_deadline = IMHE_NO_DATE;
  uint32_t era = imhe_era_at(p, as_of);
  out->base = imhe_str(p, p->eras[era].base);
  if (!r->errors.n)
    validate_codes(&vm);
  if (r->errors.n) {
    out->verdict = IMHE_VERDICT_INVALID;
    return;
  }
  out->rules = imhe_arena_alloc(&r->arena, (p->nrules + 1) * sizeof *out->rules);
  int cat = r->category;
  const char *disp = imhe_str(p, p->settings.display);
  char d1[11], d2[11];
  uint32_t kindbit;
  if (r->kind == IMHE_KIND_APPLICATION) {
    if (cat < 0 || !(p->eras[era].offered >> cat & 1u)) {
      not_offered(out, &r->arena,
                  imhe_arena_printf(&r->arena, "%s does not offer %s", disp,
                                    cat >= 0 ? imhe_category_code[cat] : "this category"));
      return;
    }
    kindbit = 1u << cat;
  } else if (r->kind == IMHE_KIND_RENEWAL) {
    const struct imhe_renewal *rn = imhe_renewal_scheme(p, as_of);
    imhe_format_date(as_of, d1);
    if (!rn) {
      not_offered(
          out, &r->arena,
          imhe_arena_printf(&r->arena, "%s has no renewal scheme for a deadline of %s", disp, d1));
      return;
    }
    if (rn->scheme == RENEW_CYCLE) {
      /* a cycle deadline is December 31 of a cycle year (requirements.md, renewal) */
      int y, m, d, y0 = 0, m0, d0;
      imhe_civil_from_days(as_of, &y, &m, &d);
      if (rn->from != IMHE_NO_DATE)
        imhe_civil_from_days(rn->from, &y0, &m0, &d0);
      if (m != 12 || d != 31 || rn->years == 0 || y < y0 || (y - y0) % (int)rn->years) {
        imhe_record_error(
            r, r->deadline_line, r->deadline_col,
            "renewal_deadline: %s is not a %u-year cycle deadline (December 31 of %d, %d, "
            "%d, ...)",
            d1, rn->years, y0, y0 + (int)rn->years, y0 + 2 * (int)rn->years);
        out->verdict = IMHE_VERDICT_INVALID;
        return;
      }
      if (!r->sec[IMHE_SECTION_ENDORSEMENTS].n) {
        imhe_record_error(
            r, r->line, 1,
            "endorsements: a %u-year renewal needs the endorsements held (none listed)", rn->years);
        out->verdict = IMHE_VERDICT_INVALID;
        return;
      }
      const char *note = NULL;
      if (imhe_years_endorsed(r, as_of, &note, &r->arena) < 1) {
        /* nothing is due the year an endorsement was earned (reading 25) */
        int32_t first = IMHE_NO_DATE;
        for (uint32_t i = 0; i < r->sec[IMHE_SECTION_ENDORSEMENTS].n; i++) {
          const struct imhe_slot *e = &r->sec[IMHE_SECTION_ENDORSEMENTS].v[i].f[ENDO_EARNED];
          if (e->present && (first == IMHE_NO_DATE || e->v.date < first))
            first = e->v.date;
        }
        imhe_format_date(first, d2);
        struct imhe_rule_outcome *rr = &out->rules[out->nrules++];
        rr->id = "renewal_due";
        rr->area = AREA_CATEGORY;
        rr->kind = RK_REQUIRE;
        rr->status = IMHE_STATUS_PASS;
        rr->desc = "a renewal is due";
        rr->file = "";
        rr->message =
            imhe_arena_printf(&r->arena,
                              "no renewal is due: endorsed %s, less than a year before the %s "
                              "deadline",
                              d2, d1);
        out->verdict = IMHE_VERDICT_ELIGIBLE;
        imhe_compute_fees(&vm, &out->fees);
        return;
      }
    }
    kindbit = IMHE_KIND_RENEWAL_BIT;
  } else {
    if (!p->settings.reinstatement || as_of < p->settings.reinstatement_from) {
      const char *why = "does not offer reinstatement after a lapse";
      if (p->settings.reinstatement) {
        imhe_format_date(p->settings.reinstatement_from, d2);
        why = imhe_arena_printf(&r->arena, "offers reinstatement only from %s", d2);
      }
      not_offered(out, &r->arena, imhe_arena_printf(&r->arena, "%s %s", disp, why));
      return;
    }
    kindbit = IMHE_KIND_REINSTATEMENT_BIT;
  }
  int failed = 0, pending = 0;
  for (uint32_t i = 0; i < p->nrules; i++) {
    const struct imhe_rule *ru = &p->rules[i];
    if (ru->era != era || ru->kind == RK_COUPON || !(ru->cats & kindbit))
      continue;
    struct imhe_rule_outcome *rr = &out->rules[out->nrules++];
    rr->rule = i;
    rr->id = imhe_str(p, ru->id);
    rr->desc = imhe_str(p, ru->desc);
    rr->file = imhe_str(p, ru->file);
    rr->line = ru->line;
    rr->area = ru->area;
    rr->kind = ru->kind;
    vm.rr = rr;
    vm.capconds = 0;
    rr->status = imhe_run_rule(&vm, i);
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
  imhe_compute_fees(&vm, &out->fees);
  if (r->kind == IMHE_KIND_APPLICATION) /* submission deadlines concern applications */
    out->next_deadline = imhe_next_deadline(p, as_of);
  out->deadline_label = imhe_str(p, p->settings.display);
}
