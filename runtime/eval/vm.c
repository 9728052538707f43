/* vm.c — evaluates one record against one verified program and records every condition's outcome.
 * No global state: all memory comes from the record's arena, so records may run on several threads.
 */
#include "runtime/core/dates.h"
#include "runtime/core/names.h"
#include "runtime/core/sbuf.h"
#include "runtime/eval/calc.h"
#include "runtime/eval/result.h"
#include "runtime/records/schema.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

struct excl {
  uint32_t idx;
  const char *why;
};
struct coll {
  uint8_t sec;
  uint32_t n, nex;
  uint32_t *idx;
  struct excl *ex;
};
struct val {
  char t;
  double num;
  int32_t date;
  int b; /* B: 0/1; T: 0 fail, 1 pass, 2 pending */
  struct coll *c;
  const char *note;
  const struct coll *src; /* collection a measure read, for its left-out list */
};

struct vm {
  const struct imhe_program *p;
  struct imhe_record *r;
  struct imhe_arena *a;
  int32_t as_of;
  struct imhe_rule_result *rr;
  uint32_t capconds;
};

static const char *sec_name(int s) {
  return imhe_sections[s].name;
}

static struct coll *coll_new(struct vm *vm, int sec, uint32_t cap) {
  struct coll *c = imhe_arena_alloc(vm->a, sizeof *c);
  c->sec = (uint8_t)sec;
  c->idx = imhe_arena_alloc(vm->a, (cap + 1) * sizeof *c->idx);
  c->ex = imhe_arena_alloc(vm->a, (cap + 1) * sizeof *c->ex);
  return c;
}

static struct coll *coll_copy_ex(struct vm *vm, const struct coll *from, uint32_t extra) {
  uint32_t total = vm->r->sec[from->sec].n;
  struct coll *c = coll_new(vm, from->sec, total + extra);
  memcpy(c->ex, from->ex, from->nex * sizeof *c->ex);
  c->nex = from->nex;
  return c;
}

static const char *fmt_num(struct vm *vm, double v) {
  return imhe_arena_printf(vm->a, "%.10g", round(v * 100) / 100);
}

static const char *enum_value_name(int e, int v) {
  int n;
  const char *const *names = imhe_enum_values((enum imhe_enum)e, &n);
  return v >= 0 && v < n ? names[v] : "?";
}

static const char *mask_text(struct vm *vm, int e, uint32_t mask) {
  int n;
  const char *const *names = imhe_enum_values((enum imhe_enum)e, &n);
  char buf[512];
  size_t k = 0;
  buf[0] = 0;
  for (int i = 0; i < n && k + 40 < sizeof buf; i++)
    if (mask >> i & 1u)
      k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s", k ? "/" : "", names[i]);
  return imhe_arena_strndup(vm->a, buf, k);
}

/* The value an absent enumerated field takes (requirements.md reading 12), or -1. */
static int enum_default(int sec, int f) {
  if (sec == SEC_WORK && f == WORK_KIND)
    return 0; /* paid */
  if (sec == SEC_TRAINING && (f == TRAIN_TYPE || f == TRAIN_FORMAT))
    return 0; /* general, formal */
  if (sec == SEC_REFERENCES && f == REF_STATUS)
    return 1; /* not completed: counted as requested */
  return -1;
}

/* Why entry `i` fails a filter on field f (for the left-out list). */
static const char *why_not(struct vm *vm, int op, int sec, int f, uint32_t i, uint32_t c,
                           const struct val *arg) {
  const struct imhe_field_desc *fd = &imhe_sections[sec].fields[f];
  const struct imhe_slot *s = &vm->r->sec[sec].v[i].f[f];
  char d[11];
  switch (op) {
  case OP_F_ENUM:
    if (!s->present && enum_default(sec, f) >= 0)
      return imhe_arena_printf(vm->a, "%s not given (%s by default), not %s", fd->name,
                               enum_value_name(fd->arg, enum_default(sec, f)),
                               mask_text(vm, fd->arg, c));
    if (!s->present)
      return imhe_arena_printf(vm->a, "no %s, not %s", fd->name, mask_text(vm, fd->arg, c));
    return imhe_arena_printf(vm->a, "%s %s, not %s", fd->name, enum_value_name(fd->arg, s->v.ival),
                             mask_text(vm, fd->arg, c));
  case OP_F_SET:
    return imhe_arena_printf(vm->a, "%s %s, none of %s", fd->name,
                             s->present && s->v.mask ? mask_text(vm, fd->arg, s->v.mask) : "none",
                             mask_text(vm, fd->arg, c));
  case OP_F_TRACK:
    return imhe_arena_printf(
        vm->a, "ages %s do not serve the %s track",
        s->present && s->v.mask ? mask_text(vm, fd->arg, s->v.mask) : "not given",
        imhe_track_name[vm->r->category >= 0 ? imhe_category_track[vm->r->category] : 0]);
  case OP_F_BOOL:
    return imhe_arena_printf(vm->a, "%s is %s", fd->name,
                             s->present && s->v.ival ? "true" : "not true");
  case OP_F_PRESENT:
    return imhe_arena_printf(vm->a, "%s %s", fd->name, s->present ? "given" : "not given");
  case OP_F_CMP:
    if (fd->kind == FT_DATE && s->present && arg) {
      static const char *const words[CMP__COUNT] = {"on or after", "after", "on or before",
                                                    "before",      "on",    "other than"};
      char lim[11];
      imhe_format_date(s->v.date, d);
      imhe_format_date(arg->date, lim);
      return imhe_arena_printf(vm->a, "%s %s is not %s %s", fd->name, d, words[c], lim);
    }
    if (fd->kind == FT_NUM && s->present && arg) {
      static const char *const words[CMP__COUNT] = {"less than",     "not more than", "more than",
                                                    "not less than", "not",           ""};
      if (c == CMP_NE) /* "supervisees is 0" */
        return imhe_arena_printf(vm->a, "%s is %s", fd->name, fmt_num(vm, s->v.num));
      return imhe_arena_printf(vm->a, "%s is %s, %s %s", fd->name, fmt_num(vm, s->v.num), words[c],
                               fmt_num(vm, arg->num));
    }
    return imhe_arena_printf(vm->a, "%s not given", fd->name);
  case OP_F_CURRENT:
    return "not a current entry";
  case OP_F_OVERLAP:
    return "does not overlap a period of providing RSC";
  }
  return "left out";
}

static int32_t entry_end(struct vm *vm, int sec, uint32_t i) {
  int fe = imhe_sections[sec].end;
  const struct imhe_slot *s = &vm->r->sec[sec].v[i].f[fe];
  int32_t e = s->present ? s->v.date : vm->as_of;
  return e > vm->as_of ? vm->as_of : e;
}
static int32_t entry_start(struct vm *vm, int sec, uint32_t i) {
  int fs = imhe_sections[sec].start;
  return vm->r->sec[sec].v[i].f[fs].v.date;
}

static int cmp_apply(int cmp, double l, double r) {
  const double eps = 1e-9;
  switch (cmp) {
  case CMP_GE:
    return l >= r - eps;
  case CMP_GT:
    return l > r + eps;
  case CMP_LE:
    return l <= r + eps;
  case CMP_LT:
    return l < r - eps;
  case CMP_EQ:
    return fabs(l - r) <= eps;
  default:
    return fabs(l - r) > eps;
  }
}

static int passes(struct vm *vm, int op, int sec, int f, uint32_t i, uint32_t c,
                  const struct val *arg) {
  const struct imhe_slot *s = &vm->r->sec[sec].v[i].f[f];
  switch (op) {
  case OP_F_ENUM: {
    int v = s->present ? s->v.ival : enum_default(sec, f);
    return v >= 0 && (c >> v & 1u);
  }
  case OP_F_SET:
    return s->present && (s->v.mask & c) != 0;
  case OP_F_TRACK: {
    int cat = vm->r->category;
    uint32_t want = 0;
    int track = cat >= 0 ? imhe_category_track[cat] : TRACK_IMH;
    if (track == TRACK_IMH || track == TRACK_EITHER)
      want |= 3u; /* prenatal, infant */
    if (track == TRACK_ECMH || track == TRACK_EITHER)
      want |= 4u; /* early_childhood */
    return s->present && (s->v.mask & want);
  }
  case OP_F_BOOL:
    return (s->present && s->v.ival) == (int)c;
  case OP_F_PRESENT:
    return s->present == (int)c;
  case OP_F_CMP:
    if (!s->present) /* an absent value equals nothing, so it is != any value */
      return c == CMP_NE;
    if (imhe_sections[sec].fields[f].kind == FT_DATE)
      return cmp_apply((int)c, s->v.date, arg->date);
    return cmp_apply((int)c, s->v.num, arg->num);
  }
  return 0;
}

static struct coll *filter(struct vm *vm, const struct coll *in, int op, int f, uint32_t c,
                           const struct val *arg) {
  struct coll *out = coll_copy_ex(vm, in, in->n);
  for (uint32_t k = 0; k < in->n; k++) {
    uint32_t i = in->idx[k];
    int ok;
    if (op == OP_F_CURRENT) {
      const struct imhe_entry *e = &vm->r->sec[in->sec].v[i];
      int fe = imhe_sections[in->sec].end;
      ok = entry_start(vm, in->sec, i) <= vm->as_of &&
           (!e->f[fe].present || e->f[fe].v.date >= vm->as_of);
    } else if (op == OP_F_OVERLAP) {
      ok = 0;
      int32_t s = entry_start(vm, in->sec, i), e = entry_end(vm, in->sec, i);
      for (uint32_t j = 0; j < arg->c->n && !ok; j++) {
        uint32_t o = arg->c->idx[j];
        int32_t os = entry_start(vm, arg->c->sec, o), oe = entry_end(vm, arg->c->sec, o);
        ok = s <= oe && os <= e;
      }
    } else
      ok = passes(vm, op, in->sec, f, i, c, arg);
    if (ok)
      out->idx[out->n++] = i;
    else {
      out->ex[out->nex].idx = i;
      out->ex[out->nex++].why = why_not(vm, op, in->sec, f, i, c, arg);
    }
  }
  return out;
}

static struct coll *section(struct vm *vm, int sec) {
  const struct imhe_list *l = &vm->r->sec[sec];
  struct coll *c = coll_new(vm, sec, l->n);
  int by = imhe_sections[sec].dated_by;
  for (uint32_t i = 0; i < l->n; i++) {
    const struct imhe_slot *s = by >= 0 ? &l->v[i].f[by] : NULL;
    if (s && s->present && s->v.date > vm->as_of) {
      char d[11];
      imhe_format_date(s->v.date, d);
      c->ex[c->nex].idx = i;
      c->ex[c->nex++].why = imhe_arena_printf(vm->a, "%s %s is after the as-of date",
                                              imhe_sections[sec].fields[by].name, d);
    } else
      c->idx[c->n++] = i;
  }
  return c;
}

static int in_coll(const struct coll *c, uint32_t i) {
  for (uint32_t k = 0; k < c->n; k++)
    if (c->idx[k] == i)
      return 1;
  return 0;
}

static struct coll *set_op(struct vm *vm, const struct coll *l, const struct coll *r, int uni) {
  struct coll *out = coll_new(vm, l->sec, vm->r->sec[l->sec].n + l->nex + r->nex);
  uint32_t total = vm->r->sec[l->sec].n;
  for (uint32_t i = 0; i < total; i++) {
    int a = in_coll(l, i), b = in_coll(r, i);
    int keep = uni ? (a || b) : (a && !b);
    if (keep)
      out->idx[out->n++] = i;
    else {
      const char *why = NULL;
      const struct coll *src = (uni || !a) ? l : r;
      for (uint32_t k = 0; k < src->nex && !why; k++)
        if (src->ex[k].idx == i)
          why = src->ex[k].why;
      if (!uni && a && b)
        why = "excluded by a 'not' filter";
      if (why) {
        out->ex[out->nex].idx = i;
        out->ex[out->nex++].why = why;
      }
    }
  }
  return out;
}

static struct imhe_range *ranges(struct vm *vm, const struct coll *c, int post_masters,
                                 int32_t masters) {
  struct imhe_range *r = imhe_arena_alloc(vm->a, (c->n + 1) * sizeof *r);
  for (uint32_t k = 0; k < c->n; k++) {
    uint32_t i = c->idx[k];
    r[k].start = entry_start(vm, c->sec, i);
    if (c->sec == SEC_RSC) { /* RSC hours spread over the whole recorded range */
      r[k].end = vm->r->sec[SEC_RSC].v[i].f[RSC_END].v.date;
      r[k].hours = vm->r->sec[SEC_RSC].v[i].f[RSC_HOURS].v.num;
    } else
      r[k].end = entry_end(vm, c->sec, i);
    if (post_masters && r[k].start < masters)
      r[k].start = masters;
  }
  return r;
}

static int32_t masters_date(struct vm *vm) {
  int32_t best = IMHE_NO_DATE;
  const struct imhe_list *l = &vm->r->sec[SEC_EDUCATION];
  for (uint32_t i = 0; i < l->n; i++) {
    const struct imhe_entry *e = &l->v[i];
    if (e->f[EDU_DEGREE].present && e->f[EDU_DEGREE].v.ival >= 2 && e->f[EDU_COMPLETED].present &&
        e->f[EDU_COMPLETED].v.date <= vm->as_of &&
        (best == IMHE_NO_DATE || e->f[EDU_COMPLETED].v.date < best))
      best = e->f[EDU_COMPLETED].v.date;
  }
  return best;
}

static const struct imhe_code *find_item(struct vm *vm, const struct imhe_code *code, int *dom,
                                         uint32_t *item) {
  const struct imhe_program *p = vm->p;
  const char *dot = memchr(code->s.s, '.', code->s.n);
  if (!dot)
    return NULL;
  size_t dl = (size_t)(dot - code->s.s), nl = code->s.n - dl - 1;
  for (uint32_t d = 0; d < p->ndomains; d++) {
    const char *dc = imhe_str(p, p->domains[d].code);
    if (strlen(dc) != dl || memcmp(dc, code->s.s, dl))
      continue;
    for (uint32_t k = 0; k < p->domains[d].count; k++) {
      const char *nm = imhe_str(p, p->items[p->domains[d].first + k].name);
      if (strlen(nm) == nl && !memcmp(nm, dot + 1, nl)) {
        *dom = (int)d;
        *item = p->domains[d].first + k;
        return code;
      }
    }
  }
  return NULL;
}

static double comps(struct vm *vm, int dom) {
  const struct imhe_program *p = vm->p;
  uint64_t seen = 0;
  uint32_t catbit = vm->r->category >= 0 ? 1u << vm->r->category : 0;
  for (int s = 0; s < 2; s++) {
    int sec = s ? SEC_EDUCATION : SEC_TRAINING;
    int fd = s ? EDU_COMPETENCIES : TRAIN_COMPETENCIES, fdate = s ? EDU_COMPLETED : TRAIN_DATE;
    const struct imhe_list *l = &vm->r->sec[sec];
    for (uint32_t i = 0; i < l->n; i++) {
      const struct imhe_entry *e = &l->v[i];
      if (!e->f[fd].present || !e->f[fdate].present || e->f[fdate].v.date > vm->as_of)
        continue;
      for (uint32_t k = 0; k < e->f[fd].v.codes.n; k++) {
        int d;
        uint32_t item;
        if (find_item(vm, &e->f[fd].v.codes.v[k], &d, &item) && d == dom &&
            (p->items[item].cats & catbit))
          seen |= 1ull << (item - p->domains[dom].first);
      }
    }
  }
  int n = 0;
  for (; seen; seen &= seen - 1)
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

static void add_note(struct vm *vm, const char **note, const char *text) {
  *note = *note ? imhe_arena_printf(vm->a, "%s; %s", *note, text) : text;
}

static double capviol(struct vm *vm, const char **note) {
  const struct imhe_list *l = &vm->r->sec[SEC_TRAINING];
  double n = 0;
  for (uint32_t i = 0; i < l->n; i++) {
    const struct imhe_entry *e = &l->v[i];
    if (!e->f[TRAIN_COMPETENCIES].present || !e->f[TRAIN_HOURS].present)
      continue;
    uint32_t cnt = distinct_codes(&e->f[TRAIN_COMPETENCIES]);
    double cap = floor(e->f[TRAIN_HOURS].v.num + 1e-9);
    if (cnt > cap) {
      n++;
      add_note(
          vm, note,
          imhe_arena_printf(vm->a,
                            "training[%u] (%.60s, %s h) lists %u competencies; at "
                            "most %.0f (one per whole training hour)",
                            i, e->f[TRAIN_TITLE].present ? e->f[TRAIN_TITLE].v.text.s : "untitled",
                            fmt_num(vm, e->f[TRAIN_HOURS].v.num), cnt, cap));
    }
  }
  return n;
}

static double eduviol(struct vm *vm, const char **note) {
  const struct imhe_list *l = &vm->r->sec[SEC_EDUCATION];
  double n = 0;
  for (uint32_t i = 0; i < l->n; i++) {
    const struct imhe_entry *e = &l->v[i];
    if (!e->f[EDU_COMPETENCIES].present || e->f[EDU_COMPETENCIES].v.codes.n == 0)
      continue;
    uint32_t cnt = distinct_codes(&e->f[EDU_COMPETENCIES]);
    int tr = e->f[EDU_TRANSCRIPT].present ? e->f[EDU_TRANSCRIPT].v.ival : 2;
    if (tr == 2) {
      n++;
      add_note(vm, note,
               imhe_arena_printf(vm->a,
                                 "education[%u] lists %u competencies without a "
                                 "transcript (official or unofficial)",
                                 i, cnt));
    } else if (cnt > 12) {
      n++;
      add_note(vm, note,
               imhe_arena_printf(vm->a, "education[%u] lists %u competencies; at most 12", i, cnt));
    }
  }
  return n;
}

/* Whole years from the earliest `earned` date of any listed endorsement to `day`,
 * counted by calendar anniversaries (reading 26); -1 when none is listed. */
static double years_endorsed(const struct imhe_record *r, int32_t day, const char **note,
                             struct imhe_arena *a) {
  int32_t first = IMHE_NO_DATE;
  const struct imhe_list *l = &r->sec[SEC_ENDORSEMENTS];
  for (uint32_t i = 0; i < l->n; i++)
    if (l->v[i].f[ENDO_EARNED].present &&
        (first == IMHE_NO_DATE || l->v[i].f[ENDO_EARNED].v.date < first))
      first = l->v[i].f[ENDO_EARNED].v.date;
  if (first == IMHE_NO_DATE || first > day) {
    if (note)
      *note = "no endorsement earned by then";
    return 0;
  }
  int years = 0;
  while (years < 200 && imhe_add_months(first, 12 * (years + 1)) <= day)
    years++;
  if (note) {
    char d[11];
    imhe_format_date(first, d);
    *note = imhe_arena_printf(a, "first endorsement earned %s", d);
  }
  return years;
}

/* The renewal scheme whose dates hold `deadline`, or NULL. */
static const struct imhe_renewal *renewal_scheme(const struct imhe_program *p, int32_t deadline) {
  for (uint32_t i = 0; i < p->nrenewals; i++) {
    const struct imhe_renewal *rn = &p->renewals[i];
    if ((rn->from == IMHE_NO_DATE || deadline >= rn->from) &&
        (rn->until == IMHE_NO_DATE || deadline <= rn->until))
      return rn;
  }
  return NULL;
}

static int assoc_matches(const char *a, size_t an, const char *b, size_t bn) {
  /* codes compare without case, with an optional -AIMH suffix (reading 17) */
  if (an > 5 && imhe_names_equal(a + an - 5, 5, "-AIMH", 5))
    an -= 5;
  if (bn > 5 && imhe_names_equal(b + bn - 5, 5, "-AIMH", 5))
    bn -= 5;
  return imhe_names_equal(a, an, b, bn);
}

static int fact(struct vm *vm, int f, const char **note) {
  struct imhe_record *r = vm->r;
  const struct imhe_program *p = vm->p;
  char d[11], d2[11];
  imhe_format_date(vm->as_of, d2);
  switch (f) {
  case FACT_MEMBERSHIP: {
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
      ok =
          assoc_matches(r->membership_association.s, r->membership_association.n, acc, strlen(acc));
    }
    imhe_format_date(r->membership_expires, d);
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
  case FACT_AGREEMENT:
  case FACT_ETHICS: {
    int32_t s = f == FACT_AGREEMENT ? r->agreement_signed : r->ethics_signed;
    const char *what = f == FACT_AGREEMENT ? "Endorsement Agreement" : "Code of Ethics";
    if (s == IMHE_NO_DATE) {
      *note = imhe_arena_printf(vm->a, "%s not signed", what);
      return 0;
    }
    imhe_format_date(s, d);
    if (s > vm->as_of) {
      *note = imhe_arena_printf(vm->a, "%s signed %s, after %s", what, d, d2);
      return 0;
    }
    *note = imhe_arena_printf(vm->a, "%s signed %s", what, d);
    return 1;
  }
  case FACT_EXAM:
    if (r->exam_passed == 1) {
      *note = "written exam passed";
      return 1;
    }
    if (r->exam_passed == 0) {
      if (r->exam_date != IMHE_NO_DATE) {
        imhe_format_date(r->exam_date, d);
        *note = imhe_arena_printf(vm->a, "written exam failed on %s", d);
      } else
        *note = "written exam failed";
      return 0;
    }
    *note = "not yet taken; the applicant may sit the written exam";
    return 2;
  case FACT_HAS_REPORTED_TO:
  case FACT_REPORTED_TO: {
    const struct imhe_list *w = &r->sec[SEC_WORK];
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
      const struct imhe_list *refs = &r->sec[SEC_REFERENCES];
      for (uint32_t k = 0; k < refs->n && !found; k++) {
        const struct imhe_entry *x = &refs->v[k];
        found =
            x->f[REF_STATUS].present && x->f[REF_STATUS].v.ival == 0 && x->f[REF_NAME].present &&
            imhe_names_equal(x->f[REF_NAME].v.text.s, x->f[REF_NAME].v.text.n, name->s, name->n);
      }
      add_note(vm, note,
               imhe_arena_printf(
                   vm->a, "%s completed reference from %.60s, named as reported_to in work[%u]",
                   found ? "a" : "no", name->s, i));
      all &= found;
    }
    return f == FACT_HAS_REPORTED_TO ? any : (any && all);
  }
  case FACT_ANNUAL_RENEWAL:
  case FACT_CYCLE_RENEWAL: {
    const struct imhe_renewal *rn = r->kind == 1 ? renewal_scheme(p, vm->as_of) : NULL;
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

static void record_cond(struct vm *vm, const struct imhe_insn *in, struct val *obs,
                        const struct val *req, int status) {
  struct imhe_rule_result *rr = vm->rr;
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
  c->kind = in->op == OP_CHECK ? 'N' : in->op == OP_CHECKB ? 'B' : 'T';
  c->cmp = in->a;
  c->unit = cd->unit;
  c->display = cd->display;
  c->note = obs->note;
  if (in->op == OP_CHECK) {
    c->observed = obs->num;
    c->required = req->num;
    c->shortfall = status == ST_PASS ? 0 : fabs(req->num - obs->num);
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
static double sum_field(struct vm *vm, const struct coll *c, int f, const char **note) {
  const struct imhe_field_desc *fd = &imhe_sections[c->sec].fields[f];
  int spread = fd->spread && imhe_sections[c->sec].start >= 0 && imhe_sections[c->sec].end >= 0;
  double total = 0;
  uint32_t cut = 0;
  for (uint32_t k = 0; k < c->n; k++) {
    const struct imhe_slot *s = &vm->r->sec[c->sec].v[c->idx[k]].f[f];
    if (!s->present)
      continue;
    double share = spread ? counted_share(vm, c->sec, c->idx[k]) : 1;
    total += s->v.num * share;
    if (share < 1 && s->v.num > 0 && cut++ < 3) {
      struct sbuf b = {0};
      imhe_entry_label(&b, vm->r, c->sec, c->idx[k]);
      add_note(vm, note,
               imhe_arena_printf(vm->a,
                                 "%.*s counts %s of its %s %s, those on days up to the as-of date",
                                 (int)b.n, b.v, fmt_num(vm, s->v.num * share),
                                 fmt_num(vm, s->v.num), imhe_unit_symbol[fd->arg]));
      free(b.v);
    }
  }
  if (cut > 3)
    add_note(vm, note,
             imhe_arena_printf(vm->a, "%u more entries count only their days up to the as-of date",
                               cut - 3));
  return total;
}

/* Runs rule ri; returns ST_PASS/ST_FAIL/ST_PENDING/ST_SKIPPED (coupons: PASS when accepted). */
static int run_rule(struct vm *vm, uint32_t ri) {
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
      v.t = 'N';
      v.num = p->consts[in.c];
      st[sp++] = v;
      break;
    case OP_DATE:
      v.t = 'D';
      v.date = (int32_t)in.c;
      st[sp++] = v;
      break;
    case OP_ASOF:
      v.t = 'D';
      v.date = vm->as_of;
      st[sp++] = v;
      break;
    case OP_SECTION:
      v.t = 'C';
      v.c = section(vm, in.a);
      st[sp++] = v;
      break;
    case OP_F_ENUM:
    case OP_F_SET:
    case OP_F_TRACK:
    case OP_F_BOOL:
    case OP_F_PRESENT:
    case OP_F_CURRENT:
      st[sp - 1].c = filter(vm, st[sp - 1].c, in.op, in.a, in.c, NULL);
      break;
    case OP_F_CMP:
    case OP_F_OVERLAP: {
      struct val arg = st[--sp];
      st[sp - 1].c = filter(vm, st[sp - 1].c, in.op, in.a, in.c, &arg);
      break;
    }
    case OP_UNION:
    case OP_MINUS: {
      struct val r = st[--sp];
      st[sp - 1].c = set_op(vm, st[sp - 1].c, r.c, in.op == OP_UNION);
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
    case OP_SUM:
    case OP_COUNT:
    case OP_YEARS:
    case OP_WINDOW:
    case OP_COVER:
    case OP_RECEIVED:
    case OP_SLOTS: {
      const struct coll *c = st[sp - 1].c;
      v.t = 'N';
      v.src = c;
      if (in.op == OP_SUM) {
        v.num = sum_field(vm, c, in.a, &v.note);
      } else if (in.op == OP_COUNT) {
        v.num = c->n;
      } else if (in.op == OP_YEARS || in.op == OP_COVER) {
        int32_t m = in.op == OP_YEARS && in.c ? masters_date(vm) : 0;
        if (in.op == OP_YEARS && in.c && m == IMHE_NO_DATE) {
          v.num = 0;
          v.note = "no masters-level degree, so no post-masters work";
        } else {
          struct imhe_range *r = ranges(vm, c, in.op == OP_YEARS && in.c, m);
          for (uint32_t k = 0; k < c->n; k++)
            if (r[k].end > vm->as_of)
              r[k].end = vm->as_of;
          v.num = imhe_union_days(r, c->n);
          if (in.op == OP_COVER)
            v.note = imhe_arena_printf(vm->a, "%u entr%s", c->n, c->n == 1 ? "y" : "ies");
        }
      } else if (in.op == OP_WINDOW) {
        struct imhe_range *r = ranges(vm, c, 0, 0);
        int32_t from, to;
        v.num = imhe_best_window(r, c->n, (int)in.c, vm->as_of, &from, &to);
        if (c->n && v.num > 0) {
          char a[11], b[11];
          imhe_format_date(from, a);
          imhe_format_date(to, b);
          /* clipped only when no window ends on the as-of date itself (calc.c) */
          int clipped = to != imhe_add_months(from, (int)in.c) - 1;
          v.note = imhe_arena_printf(vm->a, "best %u-month window %s..%s%s holds %s h", in.c, a, b,
                                     clipped ? " (to the as-of date)" : "", fmt_num(vm, v.num));
        } else
          v.note = "no entry with hours, so no window holds any";
      } else if (in.op == OP_RECEIVED) {
        struct imhe_range *r = ranges(vm, c, 0, 0);
        v.num = imhe_spread_hours(r, c->n, INT32_MIN / 2, vm->as_of, vm->as_of);
      } else {
        const struct imhe_slotset *ss = &p->slotsets[in.c];
        uint32_t *roles = imhe_arena_alloc(vm->a, (c->n + 1) * sizeof *roles);
        for (uint32_t k = 0; k < c->n; k++) {
          const struct imhe_slot *s = &vm->r->sec[SEC_REFERENCES].v[c->idx[k]].f[REF_ROLE];
          roles[k] = s->present ? 1u << s->v.ival : 0;
        }
        int slot_ref[8];
        v.num = imhe_match_slots(roles, c->n, p->slot_masks + ss->first, ss->count, slot_ref);
        for (uint32_t k = 0; k < ss->count; k++)
          if (slot_ref[k] < 0)
            add_note(vm, &v.note,
                     imhe_arena_printf(vm->a,
                                       "slot (%u) left empty: needs a completed reference from %s "
                                       "(%u completed reference%s in all)",
                                       k + 1,
                                       mask_text(vm, ENUM_ROLE, p->slot_masks[ss->first + k]), c->n,
                                       c->n == 1 ? "" : "s"));
      }
      st[sp - 1] = v;
      break;
    }
    case OP_RECEIVED_SINCE: {
      struct val since = st[--sp];
      const struct coll *c = st[sp - 1].c;
      v.t = 'N';
      v.src = c;
      struct imhe_range *r = ranges(vm, c, 0, 0);
      v.num = imhe_spread_hours(r, c->n, since.date + 1, vm->as_of, vm->as_of);
      char a[11], b[11];
      imhe_format_date(since.date + 1, a);
      imhe_format_date(vm->as_of, b);
      v.note = imhe_arena_printf(vm->a, "received %s..%s", a, b);
      st[sp - 1] = v;
      break;
    }
    case OP_ENDORSED:
      v.t = 'N';
      v.num = years_endorsed(vm->r, vm->as_of, &v.note, vm->a);
      st[sp++] = v;
      break;
    case OP_DMONTHS:
      st[sp - 1].date = imhe_add_months(st[sp - 1].date, (int32_t)in.c);
      break;
    case OP_CMP:
    case OP_CMPD: {
      struct val r = st[--sp];
      struct val *l = &st[sp - 1];
      int ok = in.op == OP_CMP ? cmp_apply(in.a, l->num, r.num) : cmp_apply(in.a, l->date, r.date);
      memset(l, 0, sizeof *l);
      l->t = 'B';
      l->b = ok;
      break;
    }
    case OP_COMPS:
    case OP_HALF: {
      v.t = 'N';
      if (in.op == OP_COMPS)
        v.num = comps(vm, in.a);
      else {
        uint32_t catbit = vm->r->category >= 0 ? 1u << vm->r->category : 0, n = 0;
        const struct imhe_domain *d = &p->domains[in.a];
        for (uint32_t k = 0; k < d->count; k++)
          n += (p->items[d->first + k].cats & catbit) != 0;
        v.num = (n + 1) / 2;
        v.note = imhe_arena_printf(
            vm->a, "half of the %u %s competencies for %s, rounded up", n, imhe_str(p, d->code),
            vm->r->category >= 0 ? imhe_category_code[vm->r->category] : "?");
      }
      st[sp++] = v;
      break;
    }
    case OP_CAPVIOL:
    case OP_EDUVIOL:
      v.t = 'N';
      v.num = in.op == OP_CAPVIOL ? capviol(vm, &v.note) : eduviol(vm, &v.note);
      st[sp++] = v;
      break;
    case OP_DEGREE: {
      v.t = 'N';
      const struct imhe_list *l = &vm->r->sec[SEC_EDUCATION];
      for (uint32_t i = 0; i < l->n; i++) {
        const struct imhe_entry *e = &l->v[i];
        if (e->f[EDU_DEGREE].present && e->f[EDU_COMPLETED].present &&
            e->f[EDU_COMPLETED].v.date <= vm->as_of) {
          int lv = e->f[EDU_DEGREE].v.ival >= 2 ? 3 : e->f[EDU_DEGREE].v.ival + 1;
          if (lv > v.num)
            v.num = lv;
        }
      }
      st[sp++] = v;
      break;
    }
    case OP_CRED: {
      v.t = 'B';
      const struct imhe_list *l = &vm->r->sec[SEC_EDUCATION];
      for (uint32_t i = 0; i < l->n && !v.b; i++) {
        const struct imhe_entry *e = &l->v[i];
        v.b = e->f[EDU_CREDENTIAL].present && e->f[EDU_CREDENTIAL].v.ival == in.a &&
              e->f[EDU_COMPLETED].present && e->f[EDU_COMPLETED].v.date <= vm->as_of;
      }
      v.note = imhe_arena_printf(vm->a, "%s %s credential", v.b ? "holds a" : "no",
                                 enum_value_name(ENUM_CREDENTIAL, in.a));
      st[sp++] = v;
      break;
    }
    case OP_FACT:
      v.t = imhe_fact_type[in.a];
      v.b = fact(vm, in.a, &v.note);
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
        add_note(vm, &l->note, r.note);
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
      record_cond(vm, &in, &obs, &req, ok ? ST_PASS : ST_FAIL);
      memset(&st[sp - 1], 0, sizeof st[0]);
      st[sp - 1].t = 'B';
      st[sp - 1].b = ok;
      break;
    }
    case OP_CHECKB:
    case OP_CHECKT: {
      struct val *o = &st[sp - 1];
      int status = o->t == 'T' ? (o->b == 1   ? ST_PASS
                                  : o->b == 2 ? ST_PENDING
                                              : ST_FAIL)
                               : (o->b ? ST_PASS : ST_FAIL);
      record_cond(vm, &in, o, NULL, status);
      break;
    }
    case OP_JUMPF:
      if (!st[--sp].b)
        pc = in.c;
      break;
    case OP_REQUIRE: {
      struct val o = st[--sp];
      if (o.t == 'T')
        return o.b == 1 ? ST_PASS : o.b == 2 ? ST_PENDING : ST_FAIL;
      return o.b ? ST_PASS : ST_FAIL;
    }
    case OP_ADVISE:
      return st[--sp].b ? ST_PASS : ST_ADVICE;
    case OP_ACCEPT:
      return st[--sp].b ? ST_PASS : ST_FAIL;
    case OP_SKIP:
      return ST_SKIPPED;
    case OP__COUNT:
      return ST_FAIL;
    }
  }
  return ST_FAIL; /* unreachable for verified programs */
}

/* ---------- around the rules: validity, fees, deadlines ---------- */

static void validate_codes(struct vm *vm) {
  for (int s = 0; s < 2; s++) {
    int sec = s ? SEC_EDUCATION : SEC_TRAINING;
    int fd = s ? EDU_COMPETENCIES : TRAIN_COMPETENCIES;
    const struct imhe_list *l = &vm->r->sec[sec];
    for (uint32_t i = 0; i < l->n; i++) {
      const struct imhe_slot *sl = &l->v[i].f[fd];
      if (!sl->present)
        continue;
      for (uint32_t k = 0; k < sl->v.codes.n; k++) {
        int d;
        uint32_t item;
        const struct imhe_code *c = &sl->v.codes.v[k];
        if (!find_item(vm, c, &d, &item))
          imhe_record_error(vm->r, c->line, c->col,
                            "%s[%u].competencies: unknown competency code '%.60s'", sec_name(sec),
                            i, c->s.s);
      }
    }
  }
}

static void fee_note(struct imhe_fees *f, const char *n) {
  if (f->nnotes < 8)
    f->notes[f->nnotes++] = n;
}

/* Renewal and reinstatement: the renewal fee and the yearly membership, when published. */
static void renewal_fees(struct vm *vm, struct imhe_fees *f) {
  const struct imhe_program *p = vm->p;
  const char *disp = imhe_str(p, p->settings.display);
  f->present = 1;
  f->renewal = 1;
  f->registration = f->processing = f->total = f->renewal_fee = f->membership_fee = -1;
  const struct imhe_fee *ren = NULL, *mem = NULL;
  for (uint32_t i = 0; i < p->nfees; i++) {
    if (p->fees[i].kind == FEE_RENEWAL)
      ren = &p->fees[i];
    else if (p->fees[i].kind == FEE_MEMBERSHIP)
      mem = &p->fees[i];
  }
  if (!ren || vm->r->kind != 1) {
    fee_note(f, imhe_arena_printf(vm->a, "%s %s fees are not published", disp,
                                  vm->r->kind == 1 ? "renewal" : "reinstatement"));
    return;
  }
  f->renewal_fee = ren->cents / 100.0;
  if (ren->note != UINT32_MAX)
    fee_note(f, imhe_str(p, ren->note));
  if (mem) {
    f->membership_fee = mem->cents / 100.0;
    f->total = f->renewal_fee + f->membership_fee;
  }
}

static void fees(struct vm *vm, struct imhe_fees *f) {
  const struct imhe_program *p = vm->p;
  int cat = vm->r->category;
  if (vm->r->kind != 0) {
    renewal_fees(vm, f);
    return;
  }
  uint32_t bit = 1u << cat;
  const char *disp = imhe_str(p, p->settings.display);
  f->present = 1;
  f->registration = f->processing = f->total = -1;
  if (vm->r->coupon.s)
    f->coupon = vm->r->coupon.s;
  if (!p->settings.fees_published) {
    fee_note(f, imhe_arena_printf(vm->a, "%s fees are not published", disp));
    if (f->coupon)
      fee_note(f, imhe_arena_printf(vm->a, "coupon %.40s not applied: %s publishes no fees",
                                    f->coupon, disp));
    return;
  }
  const struct imhe_fee *reg = NULL, *proc = NULL;
  for (uint32_t i = 0; i < p->nfees; i++)
    if (p->fees[i].cats & bit) {
      if (p->fees[i].kind == FEE_REGISTRATION)
        reg = &p->fees[i];
      else if (p->fees[i].kind == FEE_PROCESSING)
        proc = &p->fees[i];
    }
  if (reg) {
    f->registration = reg->cents / 100.0;
    if (reg->note != UINT32_MAX)
      fee_note(f, imhe_str(p, reg->note));
  } else
    fee_note(f, imhe_arena_printf(vm->a, "%s does not publish the %s registration fee", disp,
                                  imhe_category_code[cat]));
  if (proc) {
    f->processing = proc->cents / 100.0;
    if (proc->note != UINT32_MAX)
      fee_note(f, imhe_str(p, proc->note));
  } else
    fee_note(f, imhe_arena_printf(vm->a, "%s does not publish the %s processing fee", disp,
                                  imhe_category_code[cat]));
  if (f->coupon) {
    const struct imhe_coupon *cp = NULL;
    for (uint32_t i = 0; i < p->ncoupons && !cp; i++) {
      const char *code = imhe_str(p, p->coupons[i].code);
      if (imhe_names_equal(code, strlen(code), vm->r->coupon.s, vm->r->coupon.n))
        cp = &p->coupons[i];
    }
    const char *why = NULL;
    if (!cp)
      why = imhe_arena_printf(vm->a, "%s has no such coupon", disp);
    else if (!(cp->cats & bit))
      why = imhe_arena_printf(vm->a, "it is not offered for %s", imhe_category_code[cat]);
    else if ((cp->from != IMHE_NO_DATE && vm->as_of < cp->from) ||
             (cp->until != IMHE_NO_DATE && vm->as_of > cp->until)) {
      char a[11] = "", b[11] = "";
      if (cp->from != IMHE_NO_DATE)
        imhe_format_date(cp->from, a);
      if (cp->until != IMHE_NO_DATE)
        imhe_format_date(cp->until, b);
      why = imhe_arena_printf(vm->a, "valid only from %s to %s", *a ? a : "the start",
                              *b ? b : "now");
    } else if (cp->rule != IMHE_NO_RULE) {
      struct imhe_rule_result scratch;
      memset(&scratch, 0, sizeof scratch);
      struct imhe_rule_result *save = vm->rr;
      uint32_t savecap = vm->capconds;
      vm->rr = &scratch;
      vm->capconds = 0;
      if (run_rule(vm, cp->rule) != ST_PASS)
        why = scratch.nconds && scratch.conds[0].note ? scratch.conds[0].note
                                                      : "its condition is not met";
      vm->rr = save;
      vm->capconds = savecap;
    }
    if (why)
      fee_note(f, imhe_arena_printf(vm->a, "coupon %.40s not applied: %s", f->coupon, why));
    else {
      f->coupon_applied = 1;
      double waived = 0;
      if ((cp->waives & 1u << FEE_REGISTRATION) && f->registration > 0) {
        waived += f->registration;
        f->registration = 0;
      }
      if ((cp->waives & 1u << FEE_PROCESSING) && f->processing > 0) {
        waived += f->processing;
        f->processing = 0;
      }
      const char *code = imhe_str(p, cp->code);
      fee_note(f, cp->note != UINT32_MAX ? imhe_str(p, cp->note)
                                         : imhe_arena_printf(vm->a, "%s waives $%s of fees", code,
                                                             fmt_num(vm, waived)));
    }
  }
  if (f->registration >= 0 && f->processing >= 0)
    f->total = f->registration + f->processing;
}

static int32_t next_deadline(const struct imhe_program *p, int32_t as_of) {
  int y, m, d;
  imhe_civil_from_days(as_of, &y, &m, &d);
  int32_t best = IMHE_NO_DATE;
  for (int yy = y; yy <= y + 1; yy++)
    for (uint32_t i = 0; i < p->ndeadlines; i++) {
      int mo = p->deadlines[i].month, dd = p->deadlines[i].day;
      int dim = imhe_days_in_month(yy, mo);
      int32_t t = imhe_days_from_civil(yy, mo, dd > dim ? dim : dd);
      if (t >= as_of && (best == IMHE_NO_DATE || t < best))
        best = t;
    }
  return best;
}

/* The single result of a record whose category or kind the association does not offer. */
static void not_offered(struct imhe_result *out, struct imhe_arena *a, const char *message) {
  struct imhe_rule_result *rr = &out->rules[out->nrules++];
  (void)a;
  rr->id = "category_offered";
  rr->area = AREA_CATEGORY;
  rr->kind = RK_REQUIRE;
  rr->status = ST_FAIL;
  rr->desc = "the category is offered by the association";
  rr->file = "";
  rr->message = message;
  out->failed_areas |= 1u << AREA_CATEGORY;
  out->verdict = V_NOT_ELIGIBLE;
}

void imhe_evaluate(const struct imhe_program *p, struct imhe_record *r, int32_t as_of,
                   int as_of_source, struct imhe_result *out) {
  struct vm vm = {.p = p, .r = r, .a = &r->arena, .as_of = as_of};
  memset(out, 0, sizeof *out);
  out->as_of = as_of;
  out->as_of_source = as_of_source;
  out->policy = imhe_str(p, p->policy_name);
  out->next_deadline = IMHE_NO_DATE;
  uint32_t era = 0;
  for (uint32_t e = 0; e < p->neras; e++)
    if ((p->eras[e].from == IMHE_NO_DATE || as_of >= p->eras[e].from) &&
        (p->eras[e].until == IMHE_NO_DATE || as_of < p->eras[e].until))
      era = e;
  out->base = imhe_str(p, p->eras[era].base);
  if (!r->errors.n)
    validate_codes(&vm);
  if (r->errors.n) {
    out->verdict = V_INVALID;
    return;
  }
  out->rules = imhe_arena_alloc(&r->arena, (p->nrules + 1) * sizeof *out->rules);
  int cat = r->category;
  const char *disp = imhe_str(p, p->settings.display);
  char d1[11], d2[11];
  uint32_t kindbit;
  if (r->kind == 0) {
    if (cat < 0 || !(p->eras[era].offered >> cat & 1u)) {
      not_offered(out, &r->arena,
                  imhe_arena_printf(&r->arena, "%s does not offer %s", disp,
                                    cat >= 0 ? imhe_category_code[cat] : "this category"));
      return;
    }
    kindbit = 1u << cat;
  } else if (r->kind == 1) {
    const struct imhe_renewal *rn = renewal_scheme(p, as_of);
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
        out->verdict = V_INVALID;
        return;
      }
      if (!r->sec[SEC_ENDORSEMENTS].n) {
        imhe_record_error(
            r, r->line, 1,
            "endorsements: a %u-year renewal needs the endorsements held (none listed)", rn->years);
        out->verdict = V_INVALID;
        return;
      }
      const char *note = NULL;
      if (years_endorsed(r, as_of, &note, &r->arena) < 1) {
        /* nothing is due the year an endorsement was earned (reading 25) */
        int32_t first = IMHE_NO_DATE;
        for (uint32_t i = 0; i < r->sec[SEC_ENDORSEMENTS].n; i++) {
          const struct imhe_slot *e = &r->sec[SEC_ENDORSEMENTS].v[i].f[ENDO_EARNED];
          if (e->present && (first == IMHE_NO_DATE || e->v.date < first))
            first = e->v.date;
        }
        imhe_format_date(first, d2);
        struct imhe_rule_result *rr = &out->rules[out->nrules++];
        rr->id = "renewal_due";
        rr->area = AREA_CATEGORY;
        rr->kind = RK_REQUIRE;
        rr->status = ST_PASS;
        rr->desc = "a renewal is due";
        rr->file = "";
        rr->message =
            imhe_arena_printf(&r->arena,
                              "no renewal is due: endorsed %s, less than a year before the %s "
                              "deadline",
                              d2, d1);
        out->verdict = V_ELIGIBLE;
        fees(&vm, &out->fees);
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
    struct imhe_rule_result *rr = &out->rules[out->nrules++];
    rr->rule = i;
    rr->id = imhe_str(p, ru->id);
    rr->desc = imhe_str(p, ru->desc);
    rr->file = imhe_str(p, ru->file);
    rr->line = ru->line;
    rr->area = ru->area;
    rr->kind = ru->kind;
    vm.rr = rr;
    vm.capconds = 0;
    rr->status = run_rule(&vm, i);
    if (ru->kind == RK_REQUIRE && rr->status == ST_FAIL) {
      failed = 1;
      out->failed_areas |= 1u << ru->area;
    }
    if (ru->kind == RK_REQUIRE && rr->status == ST_PENDING)
      pending = 1;
  }
  out->verdict = failed ? V_NOT_ELIGIBLE : pending ? V_PENDING_EXAM : V_ELIGIBLE;
  fees(&vm, &out->fees);
  if (r->kind == 0) /* submission deadlines concern applications */
    out->next_deadline = next_deadline(p, as_of);
  out->deadline_label = imhe_str(p, p->settings.display);
}
