/* diff.c — two compiled policies compared item by item: rules matched by id and base, their
 * texts (description, area, categories, conditions, the thresholds and dates in their code) and
 * a fingerprint of the rest of their code; settings compared as sets of lines. */
#include "runtime/testing/diff.h"
#include "runtime/core/dates.h"
#include "runtime/core/sbuf.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *keep(struct imhe_pdiff *d, char *s) {
  if (!s)
    return NULL;
  if (d->nowned == d->capowned) {
    size_t cap = d->capowned ? d->capowned * 2 : 32;
    char **v = realloc(d->owned, cap * sizeof *v);
    if (!v) { /* GCOVR_EXCL_START: out of memory */
      free(s);
      return NULL;
    } /* GCOVR_EXCL_STOP */
    d->owned = v;
    d->capowned = cap;
  }
  return d->owned[d->nowned++] = s;
}

static char *fmt(struct imhe_pdiff *d, const char *f, ...) __attribute__((format(printf, 2, 3)));
static char *fmt(struct imhe_pdiff *d, const char *f, ...) {
  va_list ap, ap2;
  va_start(ap, f);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, f, ap);
  va_end(ap);
  char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (s)
    vsnprintf(s, (size_t)n + 1, f, ap2);
  va_end(ap2);
  return keep(d, s);
}

static void add(struct imhe_pdiff *d, const char *what, const char *change, const char *old,
                const char *new_, const char *file, uint32_t line) {
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 32;
    struct imhe_pdiff_item *v = realloc(d->v, cap * sizeof *v);
    if (!v) /* GCOVR_EXCL_LINE: out of memory */
      return;
    d->v = v;
    d->cap = cap;
  }
  d->v[d->n++] = (struct imhe_pdiff_item){what, change, (char *)old, (char *)new_, file, line};
}

static char *sb_keep(struct imhe_pdiff *d, struct sbuf *b) {
  sb_putc(b, 0);
  return keep(d, b->v);
}

/* The categories of a mask by their codes in p's vocabulary: two policies are compared by code,
 * whatever bit each gives a category. */
static void cats_text(struct sbuf *b, const struct imhe_program *p, uint32_t cats) {
  int first = 1;
  for (uint32_t i = 0; i < p->ncats; i++)
    if (cats & (1u << i)) {
      sb_puts(b, first ? "" : ", ");
      sb_puts(b, imhe_cat_code(p, (int)i));
      first = 0;
    }
  if (cats & IMHE_KIND_RENEWAL_BIT)
    sb_puts(b, first ? "renewals" : ", renewals"), first = 0;
  if (cats & IMHE_KIND_REINSTATEMENT_BIT)
    sb_puts(b, first ? "reinstatements" : ", reinstatements"), first = 0;
  if (first)
    sb_puts(b, "none");
}

/* The thresholds and dates in rule i's code, in order: "24 h, 365 days, 2025-01-01". */
static char *thresholds(struct imhe_pdiff *d, const struct imhe_program *p, uint32_t i) {
  const struct imhe_rule *ru = &p->rules[i];
  struct sbuf b = {0};
  for (uint32_t pc = ru->start;
       pc + IMHE_INSN_SIZE <= ru->end && pc + IMHE_INSN_SIZE <= p->code_size;
       pc += IMHE_INSN_SIZE) {
    struct imhe_insn in = imhe_decode(p->code + pc);
    if (in.op == OP_CONST && in.c < p->nconsts) {
      char num[40];
      snprintf(num, sizeof num, "%s%.10g", b.n ? ", " : "", p->consts[in.c]);
      sb_puts(&b, num);
      const char *u = imhe_unit_symbol((imhe_unit)in.a);
      if (*u)
        sb_puts(&b, " "), sb_puts(&b, u);
    } else if (in.op == OP_DATE) {
      char date[16];
      imhe_format_date((int32_t)in.c, date);
      sb_puts(&b, b.n ? ", " : "");
      sb_puts(&b, date);
    }
  }
  if (!b.n)
    sb_puts(&b, "none");
  return sb_keep(d, &b);
}

/* The rest of rule i's code, with constants, dates, targets, conditions and rules made relative
 * or replaced by what they stand for, as a hash: equal hashes, equal logic. */
static uint64_t logic(const struct imhe_program *p, uint32_t i) {
  const struct imhe_rule *ru = &p->rules[i];
  uint64_t h = 1469598103934665603ull;
  for (uint32_t pc = ru->start;
       pc + IMHE_INSN_SIZE <= ru->end && pc + IMHE_INSN_SIZE <= p->code_size;
       pc += IMHE_INSN_SIZE) {
    struct imhe_insn in = imhe_decode(p->code + pc);
    enum imhe_operand_kind k = in.op < OP__COUNT ? imhe_ops[in.op].kind : OK_NONE;
    uint32_t c = in.c;
    if (k == OK_CONST || k == OK_DATE || k == OK_COND || k == OK_RULE)
      c = 0; /* compared as thresholds, conditions and rule ids */
    else if (k == OK_TARGET)
      c -= ru->start;
    uint8_t bytes[8] = {in.op,
                        in.a,
                        (uint8_t)in.b,
                        (uint8_t)(in.b >> 8),
                        (uint8_t)c,
                        (uint8_t)(c >> 8),
                        (uint8_t)(c >> 16),
                        (uint8_t)(c >> 24)};
    h = imhe_fnv1a(bytes, 8, h);
  }
  return h;
}

static char *conditions(struct imhe_pdiff *d, const struct imhe_program *p, uint32_t i) {
  struct sbuf b = {0};
  for (uint32_t k = 0; k < p->nconds; k++)
    if (p->conds[k].rule == i) {
      sb_puts(&b, b.n ? "; " : "");
      sb_puts(&b, imhe_str(p, p->conds[k].desc));
    }
  if (!b.n)
    sb_puts(&b, "none");
  return sb_keep(d, &b);
}

static const char *base_of(const struct imhe_program *p, uint32_t i) {
  return p->rules[i].era < p->neras ? imhe_str(p, p->eras[p->rules[i].era].base) : "";
}

/* The rule of p with rule q's id and base, or UINT32_MAX. */
static uint32_t find_rule(const struct imhe_program *p, const struct imhe_program *q, uint32_t i) {
  const char *id = imhe_str(q, q->rules[i].id), *base = base_of(q, i);
  for (uint32_t k = 0; k < p->nrules; k++)
    if (!strcmp(imhe_str(p, p->rules[k].id), id) && !strcmp(base_of(p, k), base) &&
        p->rules[k].kind == q->rules[i].kind)
      return k;
  return UINT32_MAX;
}

static const char *rule_name(struct imhe_pdiff *d, const struct imhe_program *p, uint32_t i) {
  return p->neras > 1
             ? fmt(d, "%s %s (base %s)", imhe_rule_kind_name[p->rules[i].kind],
                   imhe_str(p, p->rules[i].id), base_of(p, i))
             : fmt(d, "%s %s", imhe_rule_kind_name[p->rules[i].kind], imhe_str(p, p->rules[i].id));
}

static void changed(struct imhe_pdiff *d, const char *what, const char *aspect, char *o, char *n,
                    const struct imhe_program *b, uint32_t k) {
  if (o && n && strcmp(o, n))
    add(d, fmt(d, "%s: %s", what, aspect), "changed", o, n, imhe_str(b, b->rules[k].file),
        b->rules[k].line);
}

static void compare_rule(struct imhe_pdiff *d, const struct imhe_program *a, uint32_t i,
                         const struct imhe_program *b, uint32_t k) {
  const char *what = rule_name(d, b, k);
  changed(d, what, "description", fmt(d, "%s", imhe_str(a, a->rules[i].desc)),
          fmt(d, "%s", imhe_str(b, b->rules[k].desc)), b, k);
  changed(d, what, "area", fmt(d, "%s", imhe_area_word(a, a->rules[i].area)),
          fmt(d, "%s", imhe_area_word(b, b->rules[k].area)), b, k);
  struct sbuf ca = {0}, cb = {0};
  cats_text(&ca, a, a->rules[i].cats);
  cats_text(&cb, b, b->rules[k].cats);
  changed(d, what, "applies to", sb_keep(d, &ca), sb_keep(d, &cb), b, k);
  changed(d, what, "conditions", conditions(d, a, i), conditions(d, b, k), b, k);
  changed(d, what, "thresholds", thresholds(d, a, i), thresholds(d, b, k), b, k);
  if (logic(a, i) != logic(b, k))
    add(d, fmt(d, "%s: logic", what), "changed",
        fmt(d, "%s:%u", imhe_str(a, a->rules[i].file), a->rules[i].line),
        fmt(d, "%s:%u (filters, measures or facts differ)", imhe_str(b, b->rules[k].file),
            b->rules[k].line),
        imhe_str(b, b->rules[k].file), b->rules[k].line);
}

static void compare_rules(struct imhe_pdiff *d, const struct imhe_program *a,
                          const struct imhe_program *b) {
  for (uint32_t i = 0; i < a->nrules; i++)
    if (find_rule(b, a, i) == UINT32_MAX)
      add(d, rule_name(d, a, i), "removed", fmt(d, "%s", imhe_str(a, a->rules[i].desc)), NULL,
          imhe_str(a, a->rules[i].file), a->rules[i].line);
  for (uint32_t k = 0; k < b->nrules; k++) {
    uint32_t i = find_rule(a, b, k);
    if (i == UINT32_MAX)
      add(d, rule_name(d, b, k), "added", NULL, fmt(d, "%s", imhe_str(b, b->rules[k].desc)),
          imhe_str(b, b->rules[k].file), b->rules[k].line);
    else
      compare_rule(d, a, i, b, k);
  }
}

/* One settings line per fee, coupon, deadline, membership, era: "key\tvalue". */
typedef void lines_fn(struct imhe_pdiff *d, const struct imhe_program *p, char ***out, size_t *n);

static void push(char ***v, size_t *n, char *s) {
  char **nv = realloc(*v, (*n + 1) * sizeof **v);
  if (!nv) /* GCOVR_EXCL_LINE: out of memory */
    return;
  *v = nv;
  (*v)[(*n)++] = s;
}

static void fee_lines(struct imhe_pdiff *d, const struct imhe_program *p, char ***v, size_t *n) {
  for (uint32_t i = 0; i < p->nfees; i++) {
    const struct imhe_fee *f = &p->fees[i];
    struct sbuf b = {0};
    cats_text(&b, p, f->cats);
    char *cats = sb_keep(d, &b);
    push(v, n,
         f->cents < 0 ? fmt(d, "fee %s for %s\tnot published", imhe_fee_word(p, f->kind), cats)
                      : fmt(d, "fee %s for %s\t$%d.%02d", imhe_fee_word(p, f->kind), cats,
                            f->cents / 100, f->cents % 100));
  }
}

static void date_or_open(char *buf, int32_t d) {
  if (d == IMHE_NO_DATE)
    strcpy(buf, "open");
  else
    imhe_format_date(d, buf);
}

static void coupon_lines(struct imhe_pdiff *d, const struct imhe_program *p, char ***v, size_t *n) {
  for (uint32_t i = 0; i < p->ncoupons; i++) {
    const struct imhe_coupon *c = &p->coupons[i];
    struct sbuf b = {0};
    cats_text(&b, p, c->cats);
    char from[16], until[16];
    date_or_open(from, c->from);
    date_or_open(until, c->until);
    struct sbuf w = {0}; /* the kinds it waives, by their words */
    for (uint32_t k = 0; k < p->nfee_kinds; k++)
      if (c->waives >> k & 1u) {
        sb_putc(&w, ' ');
        sb_puts(&w, imhe_fee_word(p, k));
      }
    push(v, n,
         fmt(d, "coupon %s\twaives%s for %s, %s..%s%s", imhe_str(p, c->code), sb_keep(d, &w),
             sb_keep(d, &b), from, until, c->rule != IMHE_NO_RULE ? ", with a condition" : ""));
  }
}

/* The tabs by code (their titles and order) and the areas by word (what each covers, its tab and
 * properties), as the policy's catalogue declares them. */
static void area_lines(struct imhe_pdiff *d, const struct imhe_program *p, char ***v, size_t *n) {
  static const char *const props[] = {
#define X(id, word, meaning) word,
      IMHE_AREA_PROPERTIES(X)
#undef X
  };
  for (uint32_t k = 0; k < p->ncreds; k++) /* the credentials, by word */
    push(v, n,
         fmt(d, "credential %s\t\"%s\"", imhe_declared_word(p, ENUM_CREDENTIAL, k),
             imhe_str(p, p->creds[k].name)));
  for (uint32_t k = 0; k < p->nroles; k++) /* the reference roles, by word */
    push(v, n,
         fmt(d, "role %s\t\"%s\"", imhe_declared_word(p, ENUM_ROLE, k),
             imhe_str(p, p->roles[k].name)));
  for (uint32_t k = 0; k < p->ndegrees; k++) /* the degrees, by word: their place and meaning */
    push(v, n,
         fmt(d, "degree %s\t\"%s\", degree %u of %u%s", imhe_declared_word(p, ENUM_DEGREE, k),
             imhe_str(p, p->degrees[k].name), k + 1, p->ndegrees,
             p->degrees[k].flags & IMHE_DEGREE_GRADUATE ? ", graduate" : ""));
  for (uint32_t t = 0; t < p->ntabs; t++)
    push(v, n,
         fmt(d, "tab %s\t\"%s\", tab %u of %u", imhe_str(p, p->tabs[t].code),
             imhe_str(p, p->tabs[t].title), t + 1, p->ntabs));
  for (uint32_t a = 0; a < p->nareas; a++) {
    const struct imhe_area_def *ar = &p->areas[a];
    struct sbuf b = {0};
    for (int i = 0; i < AREA_PROPERTY__COUNT; i++)
      if (ar->flags >> i & 1u) {
        sb_puts(&b, b.n ? ", " : " for ");
        sb_puts(&b, props[i]);
      }
    push(v, n,
         fmt(d, "area %s\t\"%s\" in %s%s", imhe_area_word(p, (int)a), imhe_str(p, ar->name),
             ar->tab < p->ntabs ? imhe_str(p, p->tabs[ar->tab].code) : "?", sb_keep(d, &b)));
  }
}

static void other_lines(struct imhe_pdiff *d, const struct imhe_program *p, char ***v, size_t *n) {
  for (uint32_t i = 0; i < p->ndeadlines; i++)
    push(v, n,
         fmt(d, "deadline %02u-%02u\tsubmission deadline", p->deadlines[i].month,
             p->deadlines[i].day));
  for (uint32_t i = 0; i < p->naccepted; i++)
    push(v, n, fmt(d, "membership %s\taccepted", imhe_str(p, p->accepted[i])));
  if (p->settings.membership_any)
    push(v, n, fmt(d, "membership of any association\taccepted"));
  for (uint32_t i = 0; i < p->neras; i++) {
    const struct imhe_era *e = &p->eras[i];
    char from[16], until[16];
    date_or_open(from, e->from);
    date_or_open(until, e->until);
    struct sbuf b = {0};
    cats_text(&b, p, e->offered);
    push(v, n, fmt(d, "base %s\tfrom %s until %s", imhe_str(p, e->base), from, until));
    push(v, n,
         fmt(d, "categories offered under base %s\t%s", imhe_str(p, e->base), sb_keep(d, &b)));
  }
  for (uint32_t i = 0; i < p->ncats; i++) { /* the vocabulary, by code: declared, renamed */
    struct sbuf b = {0};
    for (uint32_t t = 0; t < p->ntracks; t++)
      if (p->cats[i].tracks >> t & 1u) {
        sb_puts(&b, b.n ? ", " : "");
        sb_puts(&b, imhe_track_code(p, (int)t));
      }
    push(v, n,
         fmt(d, "category %s	\"%s\" in %s", imhe_cat_code(p, (int)i), imhe_cat_name(p, (int)i),
             sb_keep(d, &b)));
  }
  static const char *const props[] = {
#define X(id, word, meaning) word,
      IMHE_FEE_PROPERTIES(X)
#undef X
  };
  for (uint32_t k = 0; k < p->nfee_kinds; k++) { /* fee kinds, by word: declared, renamed */
    struct sbuf b = {0};
    for (int i = 0; i < FEE_PROPERTY__COUNT; i++)
      if (p->fee_kinds[k].flags >> i & 1u) {
        sb_puts(&b, b.n ? ", " : "");
        sb_puts(&b, props[i]);
      }
    push(v, n,
         fmt(d, "fee kind %s\t\"%s\" for %s", imhe_fee_word(p, k), imhe_fee_name(p, k),
             sb_keep(d, &b)));
  }
  area_lines(d, p, v, n);
  for (uint32_t i = 0; i < p->nrenewals; i++) {
    const struct imhe_renewal *r = &p->renewals[i];
    char from[16], until[16];
    date_or_open(from, r->from);
    date_or_open(until, r->until);
    push(v, n,
         fmt(d, "renewal scheme for deadlines %s..%s\t%s", from, until,
             r->scheme == RENEW_ANNUAL  ? fmt(d, "annual, %.10g h of training", r->hours)
             : r->scheme == RENEW_CYCLE ? fmt(d, "a %u-year cycle", r->years)
                                        : "none"));
  }
}

/* Settings lines matched by key (before the tab): changed values, and lines on one side only. */
static void compare_lines(struct imhe_pdiff *d, const struct imhe_program *a,
                          const struct imhe_program *b, lines_fn *fn) {
  char **la = NULL, **lb = NULL;
  size_t na = 0, nb = 0;
  fn(d, a, &la, &na);
  fn(d, b, &lb, &nb);
  for (size_t i = 0; i < na; i++) {
    size_t ka = strcspn(la[i], "\t"), k;
    for (k = 0; k < nb && (strcspn(lb[k], "\t") != ka || strncmp(la[i], lb[k], ka)); k++)
      ;
    const char *key = fmt(d, "%.*s", (int)ka, la[i]);
    if (k == nb)
      add(d, key, "removed", la[i] + ka + 1, NULL, NULL, 0);
    else if (strcmp(la[i] + ka + 1, lb[k] + ka + 1))
      add(d, key, "changed", la[i] + ka + 1, lb[k] + ka + 1, NULL, 0);
  }
  for (size_t k = 0; k < nb; k++) {
    size_t kb = strcspn(lb[k], "\t"), i;
    for (i = 0; i < na && (strcspn(la[i], "\t") != kb || strncmp(la[i], lb[k], kb)); i++)
      ;
    if (i == na)
      add(d, fmt(d, "%.*s", (int)kb, lb[k]), "added", NULL, lb[k] + kb + 1, NULL, 0);
  }
  free(la);
  free(lb);
}

int imhe_pdiff(const struct imhe_program *a, const struct imhe_program *b, struct imhe_pdiff *d) {
  compare_rules(d, a, b);
  compare_lines(d, a, b, fee_lines);
  compare_lines(d, a, b, coupon_lines);
  compare_lines(d, a, b, other_lines);
  return 0;
}

void imhe_pdiff_free(struct imhe_pdiff *d) {
  for (size_t i = 0; i < d->nowned; i++)
    free(d->owned[i]);
  free(d->owned);
  free(d->v);
  memset(d, 0, sizeof *d);
}
