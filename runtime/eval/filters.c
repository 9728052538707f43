/* filters.c — filter instructions over a record's entries: each entry kept or left out, and every
 * left-out entry with its reason (VALUE_NOT_WANTED: kind volunteer, wanted paid) and operands. */
#include "runtime/eval/filters.h"
#include "runtime/core/dates.h"
#include "runtime/core/sbuf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value an absent enumerated field takes (requirements.md reading 12), or -1. */
static int enum_default(int sec, int f) {
  if (sec == IMHE_SECTION_WORK && f == WORK_KIND)
    return 0; /* paid */
  if (sec == IMHE_SECTION_TRAINING && (f == TRAIN_TYPE || f == TRAIN_FORMAT))
    return 0; /* general, formal */
  if (sec == IMHE_SECTION_REFERENCES && f == REF_STATUS)
    return 1; /* not completed: counted as requested */
  return -1;
}

/* Reasons without operands, shared by every entry they leave out. */
static const struct imhe_why not_current = {.code = IMHE_REASON_NOT_CURRENT,
                                            .field = IMHE_WHY_NO_FIELD,
                                            .entry = IMHE_WHY_NO_ENTRY,
                                            .date = {IMHE_NO_DATE, IMHE_NO_DATE}};
static const struct imhe_why no_overlap = {.code = IMHE_REASON_NO_RSC_OVERLAP,
                                           .field = IMHE_WHY_NO_FIELD,
                                           .entry = IMHE_WHY_NO_ENTRY,
                                           .date = {IMHE_NO_DATE, IMHE_NO_DATE}};
static const struct imhe_why by_not = {.code = IMHE_REASON_EXCLUDED_BY_NOT,
                                       .field = IMHE_WHY_NO_FIELD,
                                       .entry = IMHE_WHY_NO_ENTRY,
                                       .date = {IMHE_NO_DATE, IMHE_NO_DATE}};

/* The tracks the category judged serves (the first track's when none is). */
static uint32_t judged_tracks(const struct vm *vm) {
  const struct imhe_program *p = vm->p;
  return vm->category >= 0 ? p->cats[vm->category].tracks : 1u;
}

/* The ages the judged category's tracks serve, as the catalogue declares them. */
static uint32_t track_ages(const struct vm *vm) {
  uint32_t tracks = judged_tracks(vm), ages = 0;
  for (uint32_t t = 0; t < vm->p->ntracks; t++)
    if (tracks >> t & 1u)
      ages |= vm->p->tracks[t].ages;
  return ages;
}

/* The track named in a reason: its code, or "either" for a category serving several. */
static const char *track_words(const struct vm *vm) {
  uint32_t tracks = judged_tracks(vm);
  if (tracks & (tracks - 1))
    return "either";
  for (uint32_t t = 0; t < vm->p->ntracks; t++)
    if (tracks >> t & 1u)
      return imhe_track_code(vm->p, (int)t);
  return "?";
}

/* A category field's codes typed against the program: the first one's category for F_ENUM (-1
 * when unknown), the set of them for F_SET. */
static int slot_category(const struct vm *vm, const struct imhe_slot *s) {
  return s->present && s->v.codes.n ? imhe_slot_category(vm->p, &s->v.codes.v[0], 0) : -1;
}
/* A code of another enumeration the program declares (a credential), exactly, or -1. */
static int slot_declared(const struct vm *vm, const struct imhe_slot *s, int e) {
  return s->present && s->v.codes.n
             ? imhe_declared_lookup(vm->p, e, s->v.codes.v[0].s.s, s->v.codes.v[0].s.n)
             : -1;
}
static uint32_t slot_categories(const struct vm *vm, const struct imhe_slot *s) {
  uint32_t mask = 0;
  for (uint32_t i = 0; s->present && i < s->v.codes.n; i++) {
    int k = imhe_slot_category(vm->p, &s->v.codes.v[i], 1);
    if (k >= 0)
      mask |= 1u << k;
  }
  return mask;
}

/* "CODE/CODE": categories of a mask by their codes, as a reason names them. */
static const char *cat_words(struct vm *vm, uint32_t mask) {
  struct sbuf b = {0};
  for (uint32_t i = 0; i < vm->p->ncats; i++)
    if (mask >> i & 1u) {
      if (b.n)
        sb_putc(&b, '/');
      sb_puts(&b, imhe_cat_code(vm->p, (int)i));
    }
  const char *s = imhe_arena_printf(vm->a, "%.*s", (int)b.n, b.n ? b.v : "");
  free(b.v);
  return s;
}

/* The reason of a filter on an enumerated field (F_ENUM, F_SET, F_TRACK) leaving out a slot. */
static void why_enum(struct vm *vm, struct imhe_why *w, int op, int sec, int f,
                     const struct imhe_slot *s, uint32_t c) {
  w->enm = (uint8_t)imhe_sections[sec].fields[f].arg;
  w->want = c;
  if (imhe_field_is_category(&imhe_sections[sec].fields[f])) {
    /* the program's codes, named here: explanations have no program to look them up in */
    int k = slot_category(vm, s);
    w->have = op == OP_F_ENUM ? (uint32_t)(k >= 0 ? k : 0) : slot_categories(vm, s);
    w->code = op == OP_F_SET ? IMHE_REASON_VALUES_NOT_WANTED
              : !s->present  ? IMHE_REASON_VALUE_MISSING
                             : IMHE_REASON_VALUE_NOT_WANTED;
    w->name = cat_words(vm, op == OP_F_ENUM ? (k >= 0 ? 1u << k : 0) : w->have);
    w->name2 = cat_words(vm, c);
    return;
  }
  if (op == OP_F_ENUM && imhe_field_is_declared(&imhe_sections[sec].fields[f])) {
    /* the program's words, named here as categories are */
    int e = imhe_sections[sec].fields[f].arg, k = slot_declared(vm, s, e);
    w->have = (uint32_t)(k >= 0 ? k : 0);
    w->code = !s->present ? IMHE_REASON_VALUE_MISSING : IMHE_REASON_VALUE_NOT_WANTED;
    w->name = k >= 0 ? imhe_declared_word(vm->p, e, (uint32_t)k) : "";
    struct sbuf b = {0};
    for (uint32_t i = 0; i < imhe_declared_count(vm->p, e); i++)
      if (c >> i & 1u) {
        if (b.n)
          sb_putc(&b, '/');
        sb_puts(&b, imhe_declared_word(vm->p, e, i));
      }
    w->name2 = imhe_arena_printf(vm->a, "%.*s", (int)b.n, b.n ? b.v : "");
    free(b.v);
    return;
  }
  if (op == OP_F_ENUM) {
    w->code = !s->present && enum_default(sec, f) >= 0 ? IMHE_REASON_VALUE_DEFAULT
              : !s->present                            ? IMHE_REASON_VALUE_MISSING
                                                       : IMHE_REASON_VALUE_NOT_WANTED;
    w->have = (uint32_t)(s->present ? s->v.ival : enum_default(sec, f));
    return;
  }
  w->have = s->present ? s->v.mask : 0;
  w->code = op == OP_F_SET ? IMHE_REASON_VALUES_NOT_WANTED : IMHE_REASON_AGES_OUTSIDE_TRACK;
  if (op == OP_F_TRACK)
    w->name = track_words(vm);
}

/* Why entry `i` fails a filter on field f (for the left-out list). */
static const struct imhe_why *why_not(struct vm *vm, int op, int sec, int f, uint32_t i, uint32_t c,
                                      const struct val *arg) {
  if (op == OP_F_CURRENT) /* filters without a field: f is not one */
    return &not_current;
  if (op == OP_F_OVERLAP)
    return &no_overlap;
  const struct imhe_slot *s = &vm->r->sec[sec].v[i].f[f];
  int kind = imhe_sections[sec].fields[f].kind;
  struct imhe_why *w = imhe_why_new(vm, IMHE_REASON_LEFT_OUT);
  w->sec = (uint8_t)sec;
  w->field = (uint8_t)f;
  w->cmp = (int8_t)c;
  switch (op) {
  case OP_F_ENUM:
  case OP_F_SET:
  case OP_F_TRACK:
    why_enum(vm, w, op, sec, f, s, c);
    break;
  case OP_F_BOOL:
    w->code = IMHE_REASON_FLAG_MISMATCH;
    w->flag = s->present && s->v.ival;
    break;
  case OP_F_PRESENT:
    w->code = s->present ? IMHE_REASON_FIELD_GIVEN : IMHE_REASON_FIELD_MISSING;
    break;
  case OP_F_CMP:
    w->code = IMHE_REASON_FIELD_MISSING;
    if (kind == FT_DATE && s->present && arg) {
      w->code = IMHE_REASON_DATE_OUT_OF_RANGE;
      w->date[0] = s->v.date;
      w->date[1] = arg->date;
    } else if (kind == FT_NUM && s->present && arg) {
      w->code = IMHE_REASON_NUMBER_OUT_OF_RANGE;
      w->amount[0] = s->v.num;
      w->amount[1] = arg->num;
      w->unit = (uint8_t)imhe_sections[sec].fields[f].arg;
    }
    break;
  }
  return w;
}

/* Whether entry i passes a filter that imhe_filter does not read itself; kept: the field's codes as
 * the record's check resolved them (imhe_codes_index), -1 none. An enumerated value (OP_F_ENUM: a
 * field of the schema's enumerations, or a declared word's whose codes the check resolved for every
 * entry of a non-empty section) and the tracks' ages (OP_F_TRACK) are read by imhe_filter's own
 * loop and never come here. */
static int passes(struct vm *vm, int op, int sec, int f, uint32_t i, uint32_t c,
                  const struct val *arg, int kept) {
  const struct imhe_slot *s = &vm->r->sec[sec].v[i].f[f];
  switch (op) {
  case OP_F_SET:
    if (kept == CODES_RSC_ENDORSEMENTS) /* a mask, matched loosely */
      return ((uint32_t)vm->codes[kept][i] & c) != 0;
    if (imhe_field_is_category(&imhe_sections[sec].fields[f]))
      return (slot_categories(vm, s) & c) != 0;
    return s->present && (s->v.mask & c) != 0;
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

struct coll *imhe_filter(struct vm *vm, const struct coll *in, int op, int f, uint32_t c,
                         const struct val *arg) {
  struct coll *out = imhe_coll_copy_ex(vm, in, in->n);
  int kept = op == OP_F_ENUM || op == OP_F_SET ? imhe_codes_index(in->sec, f) : -1;
  if (kept >= 0 && !vm->codes[kept])
    kept = -1;
  out->kept = in->kept;
  if (op == OP_F_ENUM && c && !(c & (c - 1))) /* one value kept: its name says what is left */
    out->kept = imhe_enum_value_name(imhe_sections[in->sec].fields[f].arg, __builtin_ctz(c));
  /* What the commonest filters read of each entry, worked out once a call rather than once an
   * entry as passes() does: an enumerated value's code resolved when the record was checked, or
   * its value (its default when absent) for an enumeration of the schema's; the ages the judged
   * category's tracks serve. */
  enum { BY_PASSES, BY_CODES, BY_VALUE, BY_AGES } how = BY_PASSES;
  int def = -1;
  uint32_t ages = 0;
  const struct imhe_entry *ev = vm->r->sec[in->sec].v;
  if (op == OP_F_ENUM && kept >= 0 && kept != CODES_RSC_ENDORSEMENTS)
    how = BY_CODES;
  else if (op == OP_F_ENUM && !imhe_field_is_declared(&imhe_sections[in->sec].fields[f])) {
    how = BY_VALUE; /* imhe_field_is_declared covers the categories too */
    def = enum_default(in->sec, f);
  } else if (op == OP_F_TRACK) {
    how = BY_AGES;
    ages = track_ages(vm);
  }
  for (uint32_t k = 0; k < in->n; k++) {
    uint32_t i = in->idx[k];
    int ok;
    if (how == BY_CODES) {
      int v = vm->codes[kept][i];
      ok = v >= 0 && (c >> v & 1u);
    } else if (how == BY_VALUE) {
      const struct imhe_slot *sl = &ev[i].f[f];
      int v = sl->present ? sl->v.ival : def;
      ok = v >= 0 && (c >> v & 1u);
    } else if (how == BY_AGES) {
      const struct imhe_slot *sl = &ev[i].f[f];
      ok = sl->present && (sl->v.mask & ages);
    } else if (op == OP_F_CURRENT) {
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
      ok = passes(vm, op, in->sec, f, i, c, arg, kept);
    if (ok)
      out->idx[out->n++] = i;
    else if (!vm->lean) {
      out->ex[out->nex].idx = i;
      out->ex[out->nex++].why = why_not(vm, op, in->sec, f, i, c, arg);
    }
  }
  return out;
}

struct coll *imhe_section_make(struct vm *vm, int sec) {
  const struct imhe_list *l = &vm->r->sec[sec];
  struct coll *c = imhe_coll_new(vm, sec, l->n);
  if (vm->lean)
    vm->sections[sec] = c;
  int by = imhe_sections[sec].dated_by;
  if (by < 0) { /* a section not dated: every entry */
    for (uint32_t i = 0; i < l->n; i++)
      c->idx[i] = i;
    c->n = l->n;
    return c;
  }
  for (uint32_t i = 0; i < l->n; i++) {
    const struct imhe_slot *s = &l->v[i].f[by];
    if (s->present && s->v.date > vm->as_of) {
      if (vm->lean)
        continue;
      struct imhe_why *w = imhe_why_new(vm, IMHE_REASON_AFTER_AS_OF);
      w->sec = (uint8_t)sec;
      w->field = (uint8_t)by;
      w->date[0] = s->v.date;
      c->ex[c->nex].idx = i;
      c->ex[c->nex++].why = w;
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

static const struct imhe_why *excl_why(const struct coll *c, uint32_t i) {
  for (uint32_t k = 0; k < c->nex; k++)
    if (c->ex[k].idx == i)
      return c->ex[k].why;
  return NULL;
}

struct coll *imhe_set_op(struct vm *vm, const struct coll *l, const struct coll *r, int uni) {
  struct coll *out = imhe_coll_new(vm, l->sec, vm->r->sec[l->sec].n + l->nex + r->nex);
  uint32_t total = vm->r->sec[l->sec].n;
  for (uint32_t i = 0; i < total; i++) {
    int a = in_coll(l, i), b = in_coll(r, i);
    int keep = uni ? (a || b) : (a && !b);
    if (keep)
      out->idx[out->n++] = i;
    else if (!vm->lean) {
      const struct imhe_why *why = excl_why((uni || !a) ? l : r, i);
      /* an `or` left it out on both sides: its reason names the alternative that would have let
       * it in too ("kind volunteer, not paid, and supervised is not true"); the first keeps the
       * code */
      if (uni && why)
        why = imhe_why_join(vm, why, excl_why(r, i));
      if (!uni && a && b)
        why = &by_not;
      if (why) {
        out->ex[out->nex].idx = i;
        out->ex[out->nex++].why = why;
      }
    }
  }
  return out;
}
