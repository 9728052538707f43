/* measures.c — the handlers of the measures table, over one record as of its as-of date, and what
 * they share: ranges of entries for the calculations of calc.c, sums of fields, competencies. */
#include "runtime/eval/measures.h"
#include "runtime/core/dates.h"
#include "runtime/core/sbuf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The date ranges of c's entries (rsc: with their hours); with post_masters, each starts no
 * earlier than `masters`. */
static struct imhe_range *ranges(struct vm *vm, const struct coll *c, int post_masters,
                                 int32_t masters) {
  struct imhe_range *r = imhe_arena_alloc(vm->a, (c->n + 1) * sizeof *r);
  for (uint32_t k = 0; k < c->n; k++) {
    uint32_t i = c->idx[k];
    r[k].start = entry_start(vm, c->sec, i);
    if (c->sec == IMHE_SECTION_RSC) { /* RSC hours spread over the whole recorded range */
      r[k].end = vm->r->sec[IMHE_SECTION_RSC].v[i].f[RSC_END].v.date;
      r[k].hours = vm->r->sec[IMHE_SECTION_RSC].v[i].f[RSC_HOURS].v.num;
    } else
      r[k].end = entry_end(vm, c->sec, i);
    if (post_masters && r[k].start < masters)
      r[k].start = masters;
  }
  return r;
}

/* An education's degree: its place in the program's declared order (its code as written, which
 * the program types, resolved for every entry when the record's codes were checked, before any
 * rule runs: judge.c's validate_categories), or -1 for none. */
static int degree_of(const struct vm *vm, const struct imhe_entry *e) {
  return vm->codes[CODES_DEGREE][e - vm->r->sec[IMHE_SECTION_EDUCATION].v];
}
/* Whether an education's degree is a graduate one (the program's `for graduate`). */
static int graduate_degree(const struct vm *vm, const struct imhe_entry *e) {
  int d = degree_of(vm, e);
  return d >= 0 && (vm->p->degrees[d].flags & IMHE_DEGREE_GRADUATE);
}

/* The earliest completion of a graduate degree (masters or higher) by the as-of date, or
 * IMHE_NO_DATE. */
static int32_t masters_date(struct vm *vm) {
  int32_t best = IMHE_NO_DATE;
  const struct imhe_list *l = &vm->r->sec[IMHE_SECTION_EDUCATION];
  for (uint32_t i = 0; i < l->n; i++) {
    const struct imhe_entry *e = &l->v[i];
    if (graduate_degree(vm, e) && e->f[EDU_COMPLETED].present &&
        e->f[EDU_COMPLETED].v.date <= vm->as_of &&
        (best == IMHE_NO_DATE || e->f[EDU_COMPLETED].v.date < best))
      best = e->f[EDU_COMPLETED].v.date;
  }
  return best;
}

/* Whether NUL-terminated z is the n bytes at s, compared without measuring z first (most names
 * differ at their first byte); z is read no further than its NUL. */
static inline int same_name(const char *z, const char *s, size_t n) {
  size_t i = 0;
  while (i < n && z[i] && z[i] == s[i])
    i++;
  return i == n && !z[n];
}

const struct imhe_comp_code *imhe_find_competency(struct vm *vm, const struct imhe_comp_code *code,
                                                  int *dom, uint32_t *item) {
  const struct imhe_program *p = vm->p;
  const char *dot = memchr(code->s.s, '.', code->s.n);
  if (!dot)
    return NULL;
  size_t dl = (size_t)(dot - code->s.s), nl = code->s.n - dl - 1;
  for (uint32_t d = 0; d < p->ndomains; d++) {
    if (!same_name(imhe_str(p, p->domains[d].code), code->s.s, dl))
      continue;
    for (uint32_t k = 0; k < p->domains[d].count; k++) {
      if (same_name(imhe_str(p, p->items[p->domains[d].first + k].name), dot + 1, nl)) {
        *dom = (int)d;
        *item = p->domains[d].first + k;
        return code;
      }
    }
  }
  return NULL;
}

/* Distinct competencies of domain dom in the applied category's list, from training and education
 * dated by the as-of date: counted when the codes were checked (judge.c's validate_codes, which
 * runs before any rule), each code looked up once per record. */
static double comps(struct vm *vm, int dom) {
  int n = 0;
  for (uint64_t seen = vm->comps_seen[dom]; seen; seen &= seen - 1)
    n++;
  return n;
}

static uint32_t distinct_codes(const struct imhe_slot *s) {
  uint32_t n = 0;
  for (uint32_t k = 0; k < s->v.codes.n; k++) {
    int dup = 0;
    for (uint32_t j = 0; j < k && !dup; j++)
      dup = s->v.codes.v[j].s.n == s->v.codes.v[k].s.n &&
            !memcmp(s->v.codes.v[j].s.s, s->v.codes.v[k].s.s, s->v.codes.v[k].s.n);
    n += !dup;
  }
  return n;
}

/* Training entries listing more distinct competencies than whole hours, each named in *note. */
static double capviol(struct vm *vm, const struct imhe_why **note) {
  const struct imhe_list *l = &vm->r->sec[IMHE_SECTION_TRAINING];
  struct imhe_why *tail = NULL;
  double n = 0;
  for (uint32_t i = 0; i < l->n; i++) {
    const struct imhe_entry *e = &l->v[i];
    if (!e->f[TRAIN_COMPETENCIES].present || !e->f[TRAIN_HOURS].present)
      continue;
    uint32_t cnt = distinct_codes(&e->f[TRAIN_COMPETENCIES]);
    double cap = floor(e->f[TRAIN_HOURS].v.num + 1e-9);
    if (cnt > cap) {
      n++;
      struct imhe_why *w = imhe_why_add(vm, IMHE_REASON_TRAINING_OVER_CAP, note, &tail);
      w->sec = IMHE_SECTION_TRAINING;
      w->entry = i;
      w->count = cnt;
      w->amount[0] = e->f[TRAIN_HOURS].v.num;
      w->amount[1] = cap;
      w->unit = IMHE_UNIT_HOURS;
    }
  }
  return n;
}

/* Education entries listing competencies without a transcript, or more than 12, each named. */
static double eduviol(struct vm *vm, const struct imhe_why **note) {
  const struct imhe_list *l = &vm->r->sec[IMHE_SECTION_EDUCATION];
  struct imhe_why *tail = NULL;
  double n = 0;
  for (uint32_t i = 0; i < l->n; i++) {
    const struct imhe_entry *e = &l->v[i];
    if (!e->f[EDU_COMPETENCIES].present || e->f[EDU_COMPETENCIES].v.codes.n == 0)
      continue;
    uint32_t cnt = distinct_codes(&e->f[EDU_COMPETENCIES]);
    int tr = e->f[EDU_TRANSCRIPT].present ? e->f[EDU_TRANSCRIPT].v.ival : 2;
    if (tr == 2 || cnt > 12) {
      n++;
      struct imhe_why *w = imhe_why_add(
          vm, tr == 2 ? IMHE_REASON_NO_TRANSCRIPT : IMHE_REASON_TOO_MANY_COMPETENCIES, note, &tail);
      w->sec = IMHE_SECTION_EDUCATION;
      w->entry = i;
      w->count = cnt;
      w->amount[1] = 12;
    }
  }
  return n;
}

double imhe_years_endorsed(const struct imhe_record *r, int32_t day, int32_t *first_earned) {
  int32_t first = IMHE_NO_DATE;
  const struct imhe_list *l = &r->sec[IMHE_SECTION_ENDORSEMENTS];
  for (uint32_t i = 0; i < l->n; i++)
    if (l->v[i].f[ENDO_EARNED].present &&
        (first == IMHE_NO_DATE || l->v[i].f[ENDO_EARNED].v.date < first))
      first = l->v[i].f[ENDO_EARNED].v.date;
  if (first_earned)
    *first_earned = first != IMHE_NO_DATE && first <= day ? first : IMHE_NO_DATE;
  if (first == IMHE_NO_DATE || first > day)
    return 0;
  int years = 0;
  while (years < 200 && imhe_add_months(first, 12 * (years + 1)) <= day)
    years++;
  return years;
}

/* The share of entry i's days, start to end, that fall on or before the as-of date: what
 * counts of an amount spread over them (FLD_SPREAD; readings 7 and 30). An entry with no end
 * runs to the as-of date. */
static double counted_share(struct vm *vm, int sec, uint32_t i) {
  int fe = imhe_sections[sec].end;
  const struct imhe_slot *e = &vm->r->sec[sec].v[i].f[fe];
  int32_t start = entry_start(vm, sec, i);
  if (start > vm->as_of)
    return 0;
  if (!e->present || e->v.date <= vm->as_of)
    return 1;
  return ((double)vm->as_of - start + 1) / ((double)e->v.date - start + 1);
}

/* sum(C.field). A field spread over its entry's days counts only its days up to the as-of
 * date; each entry cut short that way is named with what it brings. */
static double sum_field(struct vm *vm, const struct coll *c, int f, const struct imhe_why **note) {
  const struct imhe_field_desc *fd = &imhe_sections[c->sec].fields[f];
  int spread = fd->spread && imhe_sections[c->sec].start >= 0 && imhe_sections[c->sec].end >= 0;
  double total = 0;
  uint32_t cut = 0;
  struct imhe_why *tail = NULL;
  for (uint32_t k = 0; k < c->n; k++) {
    const struct imhe_slot *s = &vm->r->sec[c->sec].v[c->idx[k]].f[f];
    if (!s->present)
      continue;
    double share = spread ? counted_share(vm, c->sec, c->idx[k]) : 1;
    total += s->v.num * share;
    if (share < 1 && s->v.num > 0 && cut++ < 3) {
      struct imhe_why *w = imhe_why_add(vm, IMHE_REASON_PARTIAL_AMOUNT, note, &tail);
      w->sec = c->sec;
      w->entry = c->idx[k];
      w->amount[0] = s->v.num * share;
      w->amount[1] = s->v.num;
      w->unit = (uint8_t)fd->arg;
    }
  }
  if (cut > 3)
    imhe_why_add(vm, IMHE_REASON_MORE_PARTIAL, note, &tail)->count = cut - 3;
  return total;
}

/* ---------- the handlers of the measures table (measure_table.h), one per row ---------- */

#define M(id, name, args, secs, secmsg, res, unit, disp, fn, argmsg, arghint, doc)                 \
  static imhe_measure_fn imhe_measure_##fn;
IMHE_MEASURES(M)
#undef M

/* Days in the union of c's ranges up to the as-of date; with post_masters, each range starts
 * after the earliest masters-level degree. */
static double union_days(struct vm *vm, const struct coll *c, int post_masters,
                         const struct imhe_why **note) {
  int32_t m = post_masters ? masters_date(vm) : 0;
  if (post_masters && m == IMHE_NO_DATE) {
    struct imhe_why *w = imhe_why_new(vm, IMHE_REASON_NO_MASTERS);
    int higher; /* named by the program's first graduate degree */
    const char *g =
        imhe_degree_class(vm->p, imhe_degree_level(vm->p, (int)vm->p->ndegrees - 1), &higher);
    w->name = g && higher ? g : "graduate";
    *note = w;
    return 0;
  }
  struct imhe_range *r = ranges(vm, c, post_masters, m);
  for (uint32_t k = 0; k < c->n; k++)
    if (r[k].end > vm->as_of)
      r[k].end = vm->as_of;
  return imhe_union_days(r, c->n);
}

static void imhe_measure_sum(struct vm *vm, struct imhe_insn in, const struct val *args,
                             struct val *out) {
  out->num = sum_field(vm, args[0].c, (int)in.c, &out->note);
}

static void imhe_measure_count(struct vm *vm, struct imhe_insn in, const struct val *args,
                               struct val *out) {
  (void)vm, (void)in;
  out->num = args[0].c->n;
}

static void imhe_measure_years(struct vm *vm, struct imhe_insn in, const struct val *args,
                               struct val *out) {
  (void)in;
  out->num = union_days(vm, args[0].c, 0, &out->note);
}

static void imhe_measure_years_post_masters(struct vm *vm, struct imhe_insn in,
                                            const struct val *args, struct val *out) {
  (void)in;
  out->num = union_days(vm, args[0].c, 1, &out->note);
}

static void imhe_measure_coverage(struct vm *vm, struct imhe_insn in, const struct val *args,
                                  struct val *out) {
  (void)in;
  const struct coll *c = args[0].c;
  out->num = union_days(vm, c, 0, &out->note);
  struct imhe_why *w = imhe_why_new(vm, IMHE_REASON_ENTRIES_MEASURED);
  w->count = c->n;
  out->note = w;
}

static void imhe_measure_received(struct vm *vm, struct imhe_insn in, const struct val *args,
                                  struct val *out) {
  (void)in;
  const struct coll *c = args[0].c;
  struct imhe_range *r = ranges(vm, c, 0, 0);
  out->num = imhe_spread_hours(r, c->n, INT32_MIN / 2, vm->as_of, vm->as_of);
}

static void imhe_measure_received_since(struct vm *vm, struct imhe_insn in, const struct val *args,
                                        struct val *out) {
  (void)in;
  const struct coll *c = args[0].c;
  int32_t since = args[1].date;
  struct imhe_range *r = ranges(vm, c, 0, 0);
  out->num = imhe_spread_hours(r, c->n, since + 1, vm->as_of, vm->as_of);
  struct imhe_why *w = imhe_why_new(vm, IMHE_REASON_RECEIVED_BETWEEN);
  w->date[0] = since + 1;
  w->date[1] = vm->as_of;
  out->note = w;
}

static void imhe_measure_window(struct vm *vm, struct imhe_insn in, const struct val *args,
                                struct val *out) {
  const struct coll *c = args[0].c;
  struct imhe_range *r = ranges(vm, c, 0, 0);
  int32_t from, to;
  if (vm->lean) { /* verdicts only: the hours, not the window that holds them */
    out->num = imhe_best_window(r, c->n, (int)in.c, vm->as_of, NULL, NULL);
    return;
  }
  out->num = imhe_best_window(r, c->n, (int)in.c, vm->as_of, &from, &to);
  if (!c->n || out->num <= 0) {
    out->note = imhe_why_new(vm, IMHE_REASON_NO_WINDOW);
    return;
  }
  struct imhe_why *w = imhe_why_new(vm, IMHE_REASON_BEST_WINDOW);
  w->count = in.c; /* months */
  w->date[0] = from;
  w->date[1] = to;
  /* clipped only when no window ends on the as-of date itself (calc.c) */
  w->flag = to != imhe_add_months(from, (int)in.c) - 1;
  w->amount[0] = out->num;
  w->unit = IMHE_UNIT_HOURS;
  out->note = w;
}

static void imhe_measure_slots(struct vm *vm, struct imhe_insn in, const struct val *args,
                               struct val *out) {
  const struct imhe_program *p = vm->p;
  const struct coll *c = args[0].c;
  const struct imhe_slotset *ss = &p->slotsets[in.c];
  uint32_t *roles = imhe_arena_alloc(vm->a, (c->n + 1) * sizeof *roles);
  for (uint32_t k = 0; k < c->n; k++) {
    int role = vm->codes[CODES_ROLE][c->idx[k]]; /* its code as written, resolved once */
    roles[k] = role >= 0 ? 1u << role : 0;
  }
  int slot_ref[8];
  out->num = imhe_match_slots(roles, c->n, p->slot_masks + ss->first, ss->count, slot_ref);
  if (vm->lean) /* verdicts only: how the places were filled is not told */
    return;
  struct imhe_placing *pl = imhe_arena_alloc(vm->a, sizeof *pl);
  const char **words = imhe_arena_alloc(vm->a, (p->nroles + 1) * sizeof *words);
  for (uint32_t i = 0; i < p->nroles; i++)
    words[i] = imhe_declared_word(p, ENUM_ROLE, i);
  pl->words = words;
  pl->nwords = p->nroles;
  pl->nslots = ss->count;
  for (uint32_t k = 0; k < ss->count; k++) {
    pl->roles[k] = p->slot_masks[ss->first + k];
    pl->entry[k] = slot_ref[k] < 0 ? -1 : (int32_t)c->idx[slot_ref[k]];
  }
  out->placing = pl;
  struct imhe_why *tail = NULL;
  for (uint32_t k = 0; k < ss->count; k++)
    if (slot_ref[k] < 0) {
      struct imhe_why *w = imhe_why_add(vm, IMHE_REASON_SLOT_EMPTY, &out->note, &tail);
      w->entry = k; /* the slot, from 0 */
      w->enm = ENUM_ROLE;
      w->words = words;
      w->nwords = p->nroles;
      w->want = p->slot_masks[ss->first + k];
      w->count = c->n;
    }
}

static void imhe_measure_competencies(struct vm *vm, struct imhe_insn in, const struct val *args,
                                      struct val *out) {
  (void)args;
  out->num = comps(vm, (int)in.c);
}

static void imhe_measure_half(struct vm *vm, struct imhe_insn in, const struct val *args,
                              struct val *out) {
  (void)args;
  const struct imhe_program *p = vm->p;
  uint32_t catbit = vm->category >= 0 ? 1u << vm->category : 0, n = 0;
  const struct imhe_domain *d = &p->domains[in.c];
  for (uint32_t k = 0; k < d->count; k++)
    n += (p->items[d->first + k].cats & catbit) != 0;
  out->num = (n + 1) / 2;
  struct imhe_why *w = imhe_why_new(vm, IMHE_REASON_HALF_OF_DOMAIN);
  w->count = n;
  w->name = imhe_str(p, d->code);
  w->name2 = imhe_cat_code(p, vm->category);
  out->note = w;
}

static void imhe_measure_credential(struct vm *vm, struct imhe_insn in, const struct val *args,
                                    struct val *out) {
  (void)args;
  const struct imhe_list *l = &vm->r->sec[IMHE_SECTION_EDUCATION];
  for (uint32_t i = 0; i < l->n && !out->b; i++) {
    const struct imhe_entry *e = &l->v[i];
    int cred = vm->codes[CODES_CREDENTIAL][i]; /* its code as written, resolved once */
    out->b =
        cred == (int)in.c && e->f[EDU_COMPLETED].present && e->f[EDU_COMPLETED].v.date <= vm->as_of;
  }
  struct imhe_why *w =
      imhe_why_new(vm, out->b ? IMHE_REASON_CREDENTIAL_HELD : IMHE_REASON_CREDENTIAL_MISSING);
  w->name = imhe_declared_word(vm->p, ENUM_CREDENTIAL, in.c);
  out->note = w;
}

static void imhe_measure_degree(struct vm *vm, struct imhe_insn in, const struct val *args,
                                struct val *out) {
  (void)in, (void)args;
  const struct imhe_list *l = &vm->r->sec[IMHE_SECTION_EDUCATION];
  for (uint32_t i = 0; i < l->n; i++) {
    const struct imhe_entry *e = &l->v[i];
    if (e->f[EDU_DEGREE].present && e->f[EDU_COMPLETED].present &&
        e->f[EDU_COMPLETED].v.date <= vm->as_of) {
      int lv = imhe_degree_level(vm->p, degree_of(vm, e));
      if (lv > out->num)
        out->num = lv;
    }
  }
}

static void imhe_measure_years_endorsed(struct vm *vm, struct imhe_insn in, const struct val *args,
                                        struct val *out) {
  (void)in, (void)args;
  int32_t first;
  out->num = imhe_years_endorsed(vm->r, vm->as_of, &first);
  struct imhe_why *w = imhe_why_new(vm, first == IMHE_NO_DATE ? IMHE_REASON_NOT_ENDORSED
                                                              : IMHE_REASON_FIRST_ENDORSED);
  w->date[0] = first;
  out->note = w;
}

static void imhe_measure_overcapped_training(struct vm *vm, struct imhe_insn in,
                                             const struct val *args, struct val *out) {
  (void)in, (void)args;
  out->num = capviol(vm, &out->note);
}

static void imhe_measure_competency_faults(struct vm *vm, struct imhe_insn in,
                                           const struct val *args, struct val *out) {
  (void)in, (void)args;
  out->num = eduviol(vm, &out->note);
}

imhe_measure_fn *const imhe_measure_handlers[MEASURE__COUNT] = {
#define M(id, name, args, secs, secmsg, res, unit, disp, fn, argmsg, arghint, doc)                 \
  imhe_measure_##fn,
    IMHE_MEASURES(M)
#undef M
};
