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
        const struct imhe_comp_slot *e = p->comp_index ? imhe_comp_probe(p, c->s.s, c->s.n) : NULL;
        if (e) { /* a loaded program: its hash probed inline, some fourteen codes a record, each
                  * slot with what the count needs */
          if (dated && (e->cats & catbit))
            vm->comps_seen[e->dom] |= 1ull << e->bit;
          continue;
        }
        if (p->comp_index || !imhe_find_competency(vm, c, &d, &item))
          imhe_result_error(vm->res, c->line, c->col,
                            "%s[%u].competencies: unknown competency code '%.60s'",
                            imhe_sections[sec].name, i, c->s.s);
        else if (dated && (p->items[item].cats & catbit))
          vm->comps_seen[d] |= 1ull << (item - p->domains[d].first);
      }
    }
  }
}

/* 'IFZ' as a message quotes a value from a record: control characters shown as '?', at most 40
 * bytes. */
static const char *excerpt(const struct imhe_text *t, char *buf, size_t cap) {
  size_t k = 0;
  buf[k++] = '\'';
  for (uint32_t i = 0; i < t->n && k + 5 < cap && i < 40; i++) {
    unsigned char c = (unsigned char)t->s[i];
    buf[k++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
  }
  if (t->n > 40 && k + 5 < cap) {
    memcpy(buf + k, "...", 3);
    k += 3;
  }
  buf[k++] = '\'';
  buf[k] = 0;
  return buf;
}

/* A code of the record unknown to the program (a category, a credential: enumeration e), said as
 * the loader says a value outside an enumeration, with the program's codes. */
static void unknown_code(struct vm *vm, int e, const char *path, const struct imhe_text *code,
                         uint32_t line, uint32_t col) {
  const struct imhe_program *p = vm->p;
  char b[64], list[600];
  size_t k = 0;
  list[0] = 0;
  for (uint32_t i = 0; i < imhe_declared_count(p, e) && k + 40 < sizeof list; i++)
    k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "",
                          imhe_declared_word(p, e, i));
  imhe_result_error(vm->res, line, col, "%s: unknown %s %s (expected one of: %s)", path,
                    imhe_enum_name[e], excerpt(code, b, sizeof b), list);
}
static void unknown_category(struct vm *vm, const char *path, const struct imhe_text *code,
                             uint32_t line, uint32_t col) {
  unknown_code(vm, ENUM_CATEGORY, path, code, line, col);
}

/* The codes the record's entries give of enumerations the program declares (an endorsement's
 * category, an RSC provider's endorsements, an education's credential, a reference's role), each
 * one it declares; what they resolve to kept for the rules (vm->codes). */
static void validate_categories(struct vm *vm) {
  static const struct {
    int sec, field, loose;
  } fields[CODES__COUNT] = {
      [CODES_ENDO_CATEGORY] = {IMHE_SECTION_ENDORSEMENTS, ENDO_CATEGORY, 0},
      [CODES_RSC_ENDORSEMENTS] = {IMHE_SECTION_RSC, RSC_PROVIDER_ENDORSEMENT, 1},
      [CODES_DEGREE] = {IMHE_SECTION_EDUCATION, EDU_DEGREE, 0},
      [CODES_CREDENTIAL] = {IMHE_SECTION_EDUCATION, EDU_CREDENTIAL, 0},
      [CODES_ROLE] = {IMHE_SECTION_REFERENCES, REF_ROLE, 0}};
  for (size_t k = 0; k < CODES__COUNT; k++) {
    int sec = fields[k].sec, f = fields[k].field, loose = fields[k].loose;
    int e = imhe_sections[sec].fields[f].arg;
    const struct imhe_list *l = &vm->r->sec[sec];
    if (!l->n)
      continue;
    int32_t *kept = imhe_arena_alloc_raw(vm->a, l->n * sizeof *kept);
    for (uint32_t i = 0; i < l->n; i++) {
      const struct imhe_slot *sl = &l->v[i].f[f];
      uint32_t n = sl->present ? sl->v.codes.n : 0, mask = 0;
      int32_t first = -1;
      for (uint32_t c = 0; c < n; c++) {
        const struct imhe_comp_code *cc = &sl->v.codes.v[c];
        int v = e == ENUM_CATEGORY ? imhe_slot_category(vm->p, cc, loose)
                                   : imhe_declared_lookup(vm->p, e, cc->s.s, cc->s.n);
        if (v >= 0)
          mask |= 1u << v;
        if (c == 0)
          first = v;
        if (v < 0) {
          char path[80];
          snprintf(path, sizeof path, "%s[%u].%s", imhe_sections[sec].name, i,
                   imhe_sections[sec].fields[f].name);
          unknown_code(vm, e, path, &cc->s, cc->line, cc->col);
        }
      }
      kept[i] = loose ? (int32_t)mask : first;
    }
    vm->codes[k] = kept;
  }
}

/* The category the record applies for, in the program's table: -1 when it names none, and an
 * error when the program does not declare it. */
static int record_category(struct vm *vm) {
  const struct imhe_record *r = vm->r;
  if (!r->category.s)
    return -1;
  int k = imhe_cat_lookup(vm->p, r->category.s, r->category.n);
  if (k < 0)
    unknown_category(vm, "category", &r->category, r->category_line, r->category_col);
  return k;
}

/* A rule's result made outside the VM: whether the category or kind is offered, whether a
 * renewal is due. */
static void outside_rule(struct imhe_result *out, const char *id, const char *desc,
                         imhe_status status, const struct imhe_why *reason) {
  struct imhe_rule_outcome *rr = &out->rules[out->nrules++];
  memset(rr, 0, sizeof *rr);
  rr->id = id;
  rr->area = imhe_area_with(out->prog, AK_CATEGORY); /* the verifier asks for exactly one */
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
  out->failed_areas |= 1u << imhe_area_with(out->prog, AK_CATEGORY);
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
    w->name = cat >= 0 ? imhe_cat_code(p, cat) : NULL;
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

/* The rules of the era for the record's kind (a bit of imhe_rule.cats), in order: the program's
 * plan when it was loaded, else chosen here (a program fresh from the compiler). *conds: the
 * conditions they can record together. */
static const uint32_t *rules_for(struct vm *vm, uint32_t era, uint32_t kindbit, uint32_t *n,
                                 uint32_t *conds) {
  const struct imhe_program *p = vm->p;
  if (p->plan_at) {
    uint32_t k = era * IMHE_PLAN_KINDS + (uint32_t)__builtin_ctz(kindbit);
    *n = p->plan_at[k + 1] - p->plan_at[k];
    *conds = p->plan_conds[k];
    return p->plan_rules + p->plan_at[k];
  }
  uint32_t *v = imhe_arena_alloc_raw(vm->a, (p->nrules + 1) * sizeof *v);
  *n = *conds = 0;
  for (uint32_t i = 0; i < p->nrules; i++) {
    const struct imhe_rule *ru = &p->rules[i];
    if (ru->era == era && ru->kind != RK_COUPON && (ru->cats & kindbit)) {
      v[(*n)++] = i;
      *conds += imhe_rule_checks(p, i);
    }
  }
  return v;
}

/* Every rule of the era for the record's category or kind, in order, and the verdict they give.
 * Their conditions are one array, each rule's part of it as long as the conditions it can record,
 * and written whole as they are recorded (record_cond): not zeroed, never grown. */
static void run_rules(struct vm *vm, struct imhe_result *out, uint32_t era, uint32_t kindbit) {
  const struct imhe_program *p = vm->p;
  int failed = 0, pending = 0;
  uint32_t n, nconds;
  const uint32_t *list = rules_for(vm, era, kindbit, &n, &nconds);
  struct imhe_cond_result *conds = imhe_arena_alloc_raw(vm->a, nconds * sizeof *conds);
  for (uint32_t k = 0; k < n; k++) {
    uint32_t i = list[k];
    const struct imhe_rule *ru = &p->rules[i];
    uint32_t checks = p->plan_checks ? p->plan_checks[i] : imhe_rule_checks(p, i);
    const struct imhe_rule_text t =
        p->plan_text ? p->plan_text[i]
                     : (struct imhe_rule_text){imhe_str(p, ru->id), imhe_str(p, ru->desc),
                                               imhe_str(p, ru->file), imhe_str(p, ru->cite)};
    struct imhe_rule_outcome *rr = &out->rules[out->nrules++];
    *rr = (struct imhe_rule_outcome){.rule = i,
                                     .id = t.id,
                                     .desc = t.desc,
                                     .file = t.file,
                                     .cite = t.cite,
                                     .line = ru->line,
                                     .area = ru->area,
                                     .kind = ru->kind,
                                     .conds = conds,
                                     .res = out};
    conds += checks;
    vm->rr = rr;
    vm->capconds = checks;
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

/* The codes are checked field by field (every degree, then every credential…): a reader fixing
 * the record goes down it, so its messages are put in the record's order, stably. */
static void sort_messages(struct imhe_msgs *m) {
  for (uint32_t i = 1; i < m->n; i++) {
    struct imhe_msg x = m->v[i];
    uint32_t j = i;
    for (; j > 0 &&
           (m->v[j - 1].line > x.line || (m->v[j - 1].line == x.line && m->v[j - 1].col > x.col));
         j--)
      m->v[j] = m->v[j - 1];
    m->v[j] = x;
  }
}

void imhe_evaluate_as(const struct imhe_program *p, const struct imhe_record *r,
                      struct imhe_arena *a, int32_t as_of, imhe_as_of_source as_of_source,
                      int category, struct imhe_result *out) {
  imhe_evaluate_mode(p, r, a, as_of, as_of_source, category, 0, out);
}

void imhe_evaluate_mode(const struct imhe_program *p, const struct imhe_record *r,
                        struct imhe_arena *a, int32_t as_of, imhe_as_of_source as_of_source,
                        int category, int verdicts_only, struct imhe_result *out) {
  struct vm vm = {.p = p, .r = r, .a = a, .res = out, .as_of = as_of};
  memset(out, 0, sizeof *out);
  out->verdicts_only = verdicts_only;
  out->record = r;
  out->arena = a;
  vm.category = category >= 0 ? category : record_category(&vm);
  out->category = vm.category;
  out->prog = p;
  out->record = r;
  out->arena = a;
  out->as_of = as_of;
  out->as_of_source = as_of_source;
  out->policy = imhe_str(p, p->policy_name);
  out->next_deadline = IMHE_NO_DATE;
  uint32_t era = imhe_era_at(p, as_of);
  out->base = imhe_str(p, p->eras[era].base);
  validate_categories(&vm);
  if (!r->errors.n)
    validate_codes(&vm);
  sort_messages(&out->errors);
  if (r->errors.n || out->errors.n) {
    out->verdict = IMHE_VERDICT_INVALID;
    return;
  }
  /* room for every rule of the program, most of them another era's or category's: each one
   * used is zeroed as it is filled (outside_rule, run_rules), not the whole array */
  out->rules = imhe_arena_alloc_raw(a, (p->nrules + 1) * sizeof *out->rules);
  uint32_t kindbit = 0;
  int next = r->kind == IMHE_KIND_APPLICATION ? application(&vm, out, era, &kindbit)
             : r->kind == IMHE_KIND_RENEWAL   ? renewal(&vm, out, &kindbit)
                                              : reinstatement(&vm, out, &kindbit);
  if (next == JUDGE_DONE)
    return;
  /* Lean only while the rules run: the few reasons made around them (not offered, nothing due)
   * and the fees' notes are kept whole, so every result says why it was not judged. */
  if (verdicts_only) {
    vm.scratch = imhe_arena_alloc(a, sizeof *vm.scratch);
    vm.lean = 1;
  }
  run_rules(&vm, out, era, kindbit);
  vm.lean = 0;
  imhe_compute_fees(&vm, &out->fees);
  if (r->kind == IMHE_KIND_APPLICATION) /* submission deadlines concern applications */
    out->next_deadline = imhe_next_deadline(p, as_of);
  out->deadline_label = imhe_str(p, p->settings.display);
}
