/* filters.c — filter instructions over a record's entries: each entry kept or left out, and every
 * left-out entry with the reason a reviewer reads ("kind volunteer, not paid"). */
#include "runtime/eval/filters.h"
#include "runtime/core/dates.h"
#include <stdio.h>
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

/* Why entry `i` fails a filter on field f (for the left-out list). */
static const char *why_not(struct vm *vm, int op, int sec, int f, uint32_t i, uint32_t c,
                           const struct val *arg) {
  if (op == OP_F_CURRENT) /* filters without a field: f is not one */
    return "not a current entry";
  if (op == OP_F_OVERLAP)
    return "does not overlap a period of providing RSC";
  const struct imhe_field_desc *fd = &imhe_sections[sec].fields[f];
  const struct imhe_slot *s = &vm->r->sec[sec].v[i].f[f];
  char d[11];
  switch (op) {
  case OP_F_ENUM:
    if (!s->present && enum_default(sec, f) >= 0)
      return imhe_arena_printf(vm->a, "%s not given (%s by default), not %s", fd->name,
                               imhe_enum_value_name(fd->arg, enum_default(sec, f)),
                               imhe_vm_mask_text(vm, fd->arg, c));
    if (!s->present)
      return imhe_arena_printf(vm->a, "no %s, not %s", fd->name, imhe_vm_mask_text(vm, fd->arg, c));
    return imhe_arena_printf(vm->a, "%s %s, not %s", fd->name,
                             imhe_enum_value_name(fd->arg, s->v.ival),
                             imhe_vm_mask_text(vm, fd->arg, c));
  case OP_F_SET:
    return imhe_arena_printf(vm->a, "%s %s, none of %s", fd->name,
                             s->present && s->v.mask ? imhe_vm_mask_text(vm, fd->arg, s->v.mask)
                                                     : "none",
                             imhe_vm_mask_text(vm, fd->arg, c));
  case OP_F_TRACK:
    return imhe_arena_printf(
        vm->a, "ages %s do not serve the %s track",
        s->present && s->v.mask ? imhe_vm_mask_text(vm, fd->arg, s->v.mask) : "not given",
        imhe_track_name[vm->category >= 0 ? imhe_category_track[vm->category] : 0]);
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
        return imhe_arena_printf(vm->a, "%s is %s", fd->name, imhe_vm_num(vm, s->v.num));
      return imhe_arena_printf(vm->a, "%s is %s, %s %s", fd->name, imhe_vm_num(vm, s->v.num),
                               words[c], imhe_vm_num(vm, arg->num));
    }
    return imhe_arena_printf(vm->a, "%s not given", fd->name);
  }
  return "left out";
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
    int cat = vm->category;
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

struct coll *imhe_filter(struct vm *vm, const struct coll *in, int op, int f, uint32_t c,
                         const struct val *arg) {
  struct coll *out = imhe_coll_copy_ex(vm, in, in->n);
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

struct coll *imhe_section_coll(struct vm *vm, int sec) {
  const struct imhe_list *l = &vm->r->sec[sec];
  struct coll *c = imhe_coll_new(vm, sec, l->n);
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

struct coll *imhe_set_op(struct vm *vm, const struct coll *l, const struct coll *r, int uni) {
  struct coll *out = imhe_coll_new(vm, l->sec, vm->r->sec[l->sec].n + l->nex + r->nex);
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
