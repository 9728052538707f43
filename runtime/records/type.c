/* type.c — a document's tree into a typed record, field by field against the schema of records.md.
 * Every fault is located (file:line:col) and makes only its own record invalid; unknown fields are
 * warnings with a "did you mean". */
#include "runtime/core/dates.h"
#include "runtime/core/names.h"
#include "runtime/records/stream.h"
#include "runtime/records/tree.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int get_date(struct imhe_record *r, const struct ynode *v, const char *path, int32_t *out) {
  char b[64];
  if (v->type != N_SCALAR || imhe_parse_date(v->s, v->n, out) != 0) {
    imhe_record_error(r, v->line, v->col, "%s: impossible or malformed date %s", path,
                      imhe_tree_excerpt(v, b, sizeof b));
    return -1;
  }
  return 0;
}

/* Empty, or only spaces (reading 32: blank text is absent). */
static int is_blank(const struct ynode *v) {
  for (uint32_t i = 0; i < v->n; i++)
    if (v->s[i] != ' ' && v->s[i] != '\t' && v->s[i] != '\n' && v->s[i] != '\r')
      return 0;
  return 1;
}

/* 0: *out holds the text; 1: blank, which is absent (*out untouched); -1: an error. */
static int get_text(struct imhe_record *r, const struct ynode *v, const char *path,
                    struct imhe_text *out) {
  if (v->type != N_SCALAR) {
    imhe_record_error(r, v->line, v->col, "%s: expected text, got %s", path,
                      v->type == N_SEQ ? "a list" : "a mapping");
    return -1;
  }
  if (memchr(v->s, 0, v->n)) {
    imhe_record_error(r, v->line, v->col, "%s: text contains a NUL byte", path);
    return -1;
  }
  if (is_blank(v))
    return 1;
  out->s = v->s;
  out->n = v->n;
  return 0;
}

/* A required text field: 1 when a value stands there, even a faulty one (its error is
 * already reported), 0 when it is absent. Blank text is reported where it stands. */
static int required_text(struct imhe_record *r, const struct ynode *v, const char *path,
                         struct imhe_text *out) {
  if (tree_is_null(v))
    return 0;
  if (get_text(r, v, path, out) == 1)
    imhe_record_error(r, v->line, v->col,
                      "%s: blank text (empty or only spaces) is no value, and one is required",
                      path);
  return 1;
}

static int get_bool(struct imhe_record *r, const struct ynode *v, const char *path, int *out) {
  char b[64];
  if (v->type == N_SCALAR) {
    if (tree_key_is(v, "true") || tree_key_is(v, "True") || tree_key_is(v, "TRUE")) {
      *out = 1;
      return 0;
    }
    if (tree_key_is(v, "false") || tree_key_is(v, "False") || tree_key_is(v, "FALSE")) {
      *out = 0;
      return 0;
    }
  }
  imhe_record_error(r, v->line, v->col, "%s: expected true or false, got %s", path,
                    imhe_tree_excerpt(v, b, sizeof b));
  return -1;
}

static int get_num(struct imhe_record *r, const struct ynode *v, const char *path, const char *what,
                   double *out) {
  char b[64];
  if (v->type == N_SCALAR && v->n > 0 && v->n < 40 && memchr(v->s, 0, v->n) == NULL) {
    char tmp[48];
    memcpy(tmp, v->s, v->n);
    tmp[v->n] = 0;
    char *end;
    errno = 0;
    double d = strtod(tmp, &end);
    int hexlike = strchr(tmp, 'x') || strchr(tmp, 'X') || strchr(tmp, 'n') || strchr(tmp, 'N') ||
                  strchr(tmp, 'i') || strchr(tmp, 'I');
    if (*end == 0 && end != tmp && errno == 0 && isfinite(d) && !hexlike) {
      if (d < 0) {
        imhe_record_error(r, v->line, v->col, "%s: %s must not be negative (%s)", path, what, tmp);
        return -1;
      }
      if (d > 1e7) {
        imhe_record_error(r, v->line, v->col, "%s: %s %s is implausibly large", path, what, tmp);
        return -1;
      }
      *out = d;
      return 0;
    }
  }
  imhe_record_error(r, v->line, v->col, "%s: expected a number of %s, got %s", path, what,
                    imhe_tree_excerpt(v, b, sizeof b));
  return -1;
}

static void enum_error(struct imhe_record *r, const struct ynode *v, const char *path, int e) {
  char b[64], list[400];
  int n;
  const char *const *vals = imhe_enum_values((enum imhe_enum)e, &n);
  size_t k = 0;
  list[0] = 0;
  for (int i = 0; i < n && k + 40 < sizeof list; i++)
    k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", vals[i]);
  if (v->type != N_SCALAR)
    imhe_record_error(r, v->line, v->col, "%s: expected one %s, got %s (one of: %s)", path,
                      imhe_enum_name[e], imhe_tree_excerpt(v, b, sizeof b), list);
  else
    imhe_record_error(r, v->line, v->col, "%s: unknown %s %s (expected one of: %s)", path,
                      imhe_enum_name[e], imhe_tree_excerpt(v, b, sizeof b), list);
}

static int get_enum(struct imhe_record *r, const struct ynode *v, const char *path, int e,
                    int *out) {
  int i = v->type == N_SCALAR ? imhe_enum_lookup((enum imhe_enum)e, v->s, v->n) : -1;
  if (i < 0) {
    enum_error(r, v, path, e);
    return -1;
  }
  *out = i;
  return 0;
}

/* Category codes as written, with their locations: one for an FT_ENUM (an endorsement's
 * category), one or a list for an FT_SET (an RSC provider's endorsements, where `none` or blank is
 * no endorsement, readings 32 and 33). The judging program types them. */
static int get_cat_codes(struct imhe_record *r, const struct ynode *v, const char *path, int set,
                         struct imhe_slot *s) {
  char b[64];
  if (v->type == N_MAP || (!set && v->type != N_SCALAR)) {
    imhe_record_error(r, v->line, v->col, "%s: expected %s, got %s", path,
                      set ? "a category code or a list of them" : "one category code",
                      imhe_tree_excerpt(v, b, sizeof b));
    return -1;
  }
  const struct ynode *one = v->type == N_SCALAR ? v : NULL;
  s->v.codes.v = imhe_arena_alloc(&r->arena, ((one ? 1 : v->count) + 1) * sizeof *s->v.codes.v);
  if (!s->v.codes.v)
    return -1;
  for (const struct ynode *x = one ? one : v->first; x; x = one ? NULL : x->next) {
    if (x->type != N_SCALAR) {
      imhe_record_error(r, x->line, x->col, "%s: expected a category code, got %s", path,
                        imhe_tree_excerpt(x, b, sizeof b));
      return -1;
    }
    if (set && (is_blank(x) || imhe_names_equal(x->s, x->n, "none", 4)))
      continue;
    struct imhe_comp_code *c = &s->v.codes.v[s->v.codes.n++];
    c->s.s = x->s;
    c->s.n = x->n;
    c->line = x->line;
    c->col = x->col;
  }
  return 0;
}

static int get_set(struct imhe_record *r, const struct ynode *v, const char *path, int e,
                   uint32_t *out) {
  *out = 0;
  const struct ynode *one = v->type == N_SCALAR ? v : NULL;
  if (v->type == N_MAP) {
    imhe_record_error(r, v->line, v->col, "%s: expected a value or a list", path);
    return -1;
  }
  for (const struct ynode *x = one ? one : v->first; x; x = one ? NULL : x->next) {
    int i;
    if (get_enum(r, x, path, e, &i) != 0)
      return -1;
    *out |= 1u << i;
  }
  return 0;
}

static void unknown_field(struct imhe_record *r, const struct ynode *k, const char *where,
                          const char *const *known, int nknown) {
  const char *best = NULL;
  unsigned bd = 3;
  for (int i = 0; i < nknown; i++) {
    unsigned d = imhe_edit_distance(k->s, k->n, known[i]);
    if (d < bd) {
      bd = d;
      best = known[i];
    }
  }
  char b[64];
  if (best)
    imhe_record_warning(r, k->line, k->col, "%sunknown field %s ignored; did you mean '%s'?", where,
                        imhe_tree_excerpt(k, b, sizeof b), best);
  else
    imhe_record_warning(r, k->line, k->col, "%sunknown field %s ignored", where,
                        imhe_tree_excerpt(k, b, sizeof b));
}

/* Warns about a key seen earlier in the same mapping; returns 1 if repeated. */
static int repeated_key(struct imhe_record *r, const struct ynode *map, const struct ynode *key,
                        const char *where) {
  for (const struct ynode *k = map->first; k && k != key; k = k->next->next)
    if (k->type == N_SCALAR && key->type == N_SCALAR && k->n == key->n &&
        memcmp(k->s, key->s, k->n) == 0) {
      char b[64];
      imhe_record_warning(r, key->line, key->col,
                          "%sduplicate key %s (first at line %u); the later "
                          "value is used",
                          where, imhe_tree_excerpt(key, b, sizeof b), k->line);
      return 1;
    }
  return 0;
}

static const char *num_word(int unit) {
  return unit == IMHE_UNIT_HOURS ? "hours" : unit == IMHE_UNIT_FAMILIES ? "families" : "units";
}

/* "name[idx]" then `tail`, without printf: this runs for every field of every entry. */
static void entry_path(char *buf, size_t cap, const char *name, uint32_t idx, const char *tail) {
  size_t k = 0, n = strlen(name);
  char digits[12];
  int nd = 0;
  do {
    digits[nd++] = (char)('0' + idx % 10);
    idx /= 10;
  } while (idx && nd < 11);
  if (n + (size_t)nd + 3 + strlen(tail) >= cap) {
    buf[0] = 0;
    return;
  }
  memcpy(buf, name, n);
  k = n;
  buf[k++] = '[';
  while (nd)
    buf[k++] = digits[--nd];
  buf[k++] = ']';
  strcpy(buf + k, tail);
}

/* A list of competency codes, each kept with its location. */
static int get_codes(struct imhe_record *r, const struct ynode *v, const char *path,
                     struct imhe_slot *s) {
  if (v->type != N_SEQ) {
    imhe_record_error(r, v->line, v->col, "%s: expected a list of codes", path);
    return -1;
  }
  s->v.codes.v = imhe_arena_alloc(&r->arena, (v->count + 1) * sizeof(struct imhe_comp_code));
  if (!s->v.codes.v)
    return -1;
  int ok = 0;
  for (const struct ynode *x = v->first; x; x = x->next) {
    if (x->type != N_SCALAR) {
      imhe_record_error(r, x->line, x->col, "%s: expected a competency code", path);
      ok = -1;
      continue;
    }
    struct imhe_comp_code *c = &s->v.codes.v[s->v.codes.n++];
    c->s.s = x->s;
    c->s.n = x->n;
    c->line = x->line;
    c->col = x->col;
  }
  return ok;
}

/* The value v of a field, typed as the schema says: 0 when it is sound, 1 when blank text (which
 * is absent, reading 32), -1 after an error. */
static int get_field(struct imhe_record *r, const struct imhe_field_desc *fd, const struct ynode *v,
                     const char *path, struct imhe_slot *s) {
  switch (fd->kind) {
  case FT_TEXT:
    return get_text(r, v, path, &s->v.text);
  case FT_DATE:
    return get_date(r, v, path, &s->v.date);
  case FT_NUM:
    return get_num(r, v, path, num_word(fd->arg), &s->v.num);
  case FT_BOOL:
    return get_bool(r, v, path, &s->v.ival);
  case FT_ENUM:
    if (fd->arg == ENUM_CATEGORY)
      return get_cat_codes(r, v, path, 0, s);
    return get_enum(r, v, path, fd->arg, &s->v.ival);
  case FT_SET:
    if (fd->arg == ENUM_CATEGORY)
      return get_cat_codes(r, v, path, 1, s);
    return get_set(r, v, path, fd->arg, &s->v.mask);
  case FT_CODES:
    return get_codes(r, v, path, s);
  }
  return -1;
}

/* Requirements on an entry as a whole (reading 20): required fields, one of degree and
 * credential, an end not before the start, RSC about provision within the entry's hours. */
static void check_entry(struct imhe_record *r, int sec, uint32_t idx, const struct ynode *m,
                        const struct imhe_entry *e, const int *given) {
  const struct imhe_section_desc *d = &imhe_sections[sec];
  for (int f = 0; f < d->nfields; f++)
    if (d->fields[f].required && !given[f]) {
      imhe_record_error(r, m->line, m->col, "%s[%u]: missing required field '%s'", d->name, idx,
                        d->fields[f].name);
    }
  if (sec == IMHE_SECTION_EDUCATION) {
    int deg = given[EDU_DEGREE], cred = given[EDU_CREDENTIAL];
    if (deg == cred)
      imhe_record_error(r, m->line, m->col,
                        "education[%u]: an entry needs exactly one of 'degree' "
                        "and 'credential' (has %s)",
                        idx, deg ? "both" : "neither");
  }
  int fs = d->start, fe = d->end;
  if (fs >= 0 && fe >= 0 && e->f[fs].present && e->f[fe].present &&
      e->f[fe].v.date < e->f[fs].v.date) {
    char a[11], b[11];
    imhe_format_date(e->f[fe].v.date, a);
    imhe_format_date(e->f[fs].v.date, b);
    imhe_record_error(r, e->f[fe].line, e->f[fe].col, "%s[%u].end: end %s is before start %s",
                      d->name, idx, a, b);
  }
  if (sec == IMHE_SECTION_RSC && e->f[RSC_ABOUT_PROVISION_HOURS].present &&
      e->f[RSC_HOURS].present && e->f[RSC_ABOUT_PROVISION_HOURS].v.num > e->f[RSC_HOURS].v.num)
    imhe_record_error(r, e->f[RSC_ABOUT_PROVISION_HOURS].line, e->f[RSC_ABOUT_PROVISION_HOURS].col,
                      "rsc[%u].about_provision_hours: %g h is more than the "
                      "entry's %g hours",
                      idx, e->f[RSC_ABOUT_PROVISION_HOURS].v.num, e->f[RSC_HOURS].v.num);
}

static void load_entry(struct imhe_record *r, int sec, uint32_t idx, const struct ynode *m,
                       struct imhe_entry *e) {
  const struct imhe_section_desc *d = &imhe_sections[sec];
  char path[96];
  e->line = m->line;
  e->col = m->col;
  if (m->type != N_MAP) {
    imhe_record_error(r, m->line, m->col, "%s[%u]: expected a mapping of fields", d->name, idx);
    return;
  }
  if (m->count > 2 * 64) {
    imhe_record_error(r, m->line, m->col, "%s[%u]: too many fields", d->name, idx);
    return;
  }
  const char *known[IMHE_MAX_FIELDS];
  int given[IMHE_MAX_FIELDS] = {0};
  for (int i = 0; i < d->nfields; i++)
    known[i] = d->fields[i].name;
  char where[64];
  entry_path(where, sizeof where, d->name, idx, ": ");
  /* "name[idx]" once; each field's path is it and ".field" (no printf: every field of every
   * entry goes through here) */
  size_t stem = where[0] ? strlen(where) - 2 : 0;
  memcpy(path, where, stem);
  unsigned seen = 0; /* the fields met so far: only a field met again can be a repeated key */
  for (const struct ynode *k = m->first; k && k->next; k = k->next->next) {
    const struct ynode *v = k->next;
    int f = k->type == N_SCALAR ? imhe_field_lookup(sec, k->s, k->n) : -1;
    if (f < 0) {
      unknown_field(r, k, where, known, d->nfields);
      continue;
    }
    if (seen >> f & 1u)
      repeated_key(r, m, k, where);
    seen |= 1u << f;
    size_t fl = d->fields[f].len;
    if (stem && stem + fl + 2 < sizeof path) {
      path[stem] = '.';
      memcpy(path + stem + 1, d->fields[f].name, fl + 1);
    } else
      path[0] = 0;
    struct imhe_slot *s = &e->f[f];
    s->present = 0;
    s->line = v->line;
    s->col = v->col;
    if (tree_is_null(v))
      continue;
    int ok = get_field(r, &d->fields[f], v, path, s);
    given[f] = ok != 1; /* blank text is absent (reading 32) */
    if (ok == 0)
      s->present = 1;
  }
  check_entry(r, sec, idx, m, e, given);
}

static void load_section(struct imhe_record *r, int sec, const struct ynode *v) {
  struct imhe_list *l = &r->sec[sec];
  l->line = v->line;
  l->col = v->col;
  if (tree_is_null(v))
    return;
  if (v->type != N_SEQ) {
    imhe_record_error(r, v->line, v->col, "%s: expected a list of entries",
                      imhe_sections[sec].name);
    return;
  }
  l->v = imhe_arena_alloc(&r->arena, (v->count + 1) * sizeof *l->v);
  if (!l->v)
    return;
  for (const struct ynode *x = v->first; x; x = x->next) {
    load_entry(r, sec, l->n, x, &l->v[l->n]);
    l->n++;
  }
}

/* Known names for "did you mean": the record's fields and sections, and each small mapping's. */
static const char *const top_fields[] = {
#define X(name) name,
    IMHE_RECORD_FIELDS(X)
#undef X
#define X(id, name) name,
        IMHE_SECTION_LIST(X)
#undef X
};
#define X(name) name,
static const char *const applicant_fields[] = {IMHE_APPLICANT_FIELDS(X)};
static const char *const membership_fields[] = {IMHE_MEMBERSHIP_FIELDS(X)};
static const char *const exam_fields[] = {IMHE_EXAM_FIELDS(X)};
#undef X
#define NKNOWN(a) ((int)(sizeof(a) / sizeof *(a)))

static void load_sub(struct imhe_record *r, const struct ynode *v, const char *name) {
  /* applicant, membership and exam: small fixed mappings */
  if (v->type != N_MAP) {
    imhe_record_error(r, v->line, v->col, "%s: expected a mapping", name);
    return;
  }
  char where[40], path[64];
  snprintf(where, sizeof where, "%s: ", name);
  for (const struct ynode *k = v->first; k && k->next; k = k->next->next) {
    const struct ynode *x = k->next;
    repeated_key(r, v, k, where);
    snprintf(path, sizeof path, "%s.%.*s", name, (int)(k->n > 30 ? 30 : k->n), k->s);
    if (!strcmp(name, "applicant")) {
      if (tree_key_is(k, "name")) {
        r->applicant_name.s = NULL;
        r->name_given = required_text(r, x, path, &r->applicant_name);
      } else if (tree_key_is(k, "email")) {
        if (!tree_is_null(x))
          get_text(r, x, path, &r->applicant_email);
      } else if (tree_key_is(k, "credentials")) {
        if (!tree_is_null(x) && x->type == N_MAP)
          imhe_record_error(r, x->line, x->col, "%s: expected a list", path);
      } else
        unknown_field(r, k, where, applicant_fields, NKNOWN(applicant_fields));
    } else if (!strcmp(name, "membership")) {
      if (tree_key_is(k, "association")) {
        if (!tree_is_null(x))
          get_text(r, x, path, &r->membership_association);
      } else if (tree_key_is(k, "expires")) {
        if (!tree_is_null(x))
          get_date(r, x, path, &r->membership_expires);
      } else
        unknown_field(r, k, where, membership_fields, NKNOWN(membership_fields));
    } else {
      if (tree_key_is(k, "passed")) {
        int b;
        if (!tree_is_null(x) && get_bool(r, x, path, &b) == 0)
          r->exam_passed = b;
      } else if (tree_key_is(k, "date")) {
        if (!tree_is_null(x))
          get_date(r, x, path, &r->exam_date);
      } else
        unknown_field(r, k, where, exam_fields, NKNOWN(exam_fields));
    }
  }
}

/* The category applied for, kept as written: the judging program types it. */
static void keep_category(struct imhe_record *r, const struct ynode *cat) {
  char b[64];
  if (cat->type != N_SCALAR)
    imhe_record_error(r, cat->line, cat->col, "category: expected one category code, got %s",
                      imhe_tree_excerpt(cat, b, sizeof b));
  else {
    r->category.s = cat->s;
    r->category.n = cat->n;
  }
  r->category_line = cat->line;
  r->category_col = cat->col;
}

static void load_record(struct imhe_record *r, const struct ynode *doc) {
  r->line = doc->line;
  if (doc->type != N_MAP) {
    imhe_record_error(r, doc->line, doc->col, "a record must be a mapping of fields, not %s",
                      doc->type == N_SEQ ? "a list" : "a single value");
    return;
  }
  uint32_t kind_line = doc->line, kind_col = doc->col;
  const struct ynode *cat = NULL, *deadline = NULL;
  int has_id = 0, has_association = 0;
  for (const struct ynode *k = doc->first; k && k->next; k = k->next->next) {
    const struct ynode *v = k->next;
    if (k->type != N_SCALAR) {
      imhe_record_error(r, k->line, k->col, "a field name must be text");
      continue;
    }
    repeated_key(r, doc, k, "");
    int sec = imhe_section_lookup(k->s, k->n);
    if (sec >= 0) {
      r->sec[sec].n = 0;
      load_section(r, sec, v);
      continue;
    }
    if (tree_key_is(k, "kind")) {
      kind_line = v->line;
      kind_col = v->col;
      int kind;
      if (!tree_is_null(v) && get_enum(r, v, "kind", ENUM_KIND, &kind) == 0)
        r->kind = (imhe_record_kind)kind;
    } else if (tree_key_is(k, "id")) {
      r->id.s = NULL;
      has_id = required_text(r, v, "id", &r->id);
    } else if (tree_key_is(k, "association")) {
      r->association.s = NULL;
      has_association = required_text(r, v, "association", &r->association);
    } else if (tree_key_is(k, "category")) {
      cat = tree_is_null(v) ? NULL : v;
      r->category.s = NULL;
    } else if (tree_key_is(k, "submitted")) {
      if (!tree_is_null(v))
        get_date(r, v, "submitted", &r->submitted);
    } else if (tree_key_is(k, "coupon")) {
      if (!tree_is_null(v))
        get_text(r, v, "coupon", &r->coupon);
    } else if (tree_key_is(k, "agreement_signed")) {
      r->agreement_line = v->line;
      r->agreement_col = v->col;
      if (!tree_is_null(v))
        get_date(r, v, "agreement_signed", &r->agreement_signed);
    } else if (tree_key_is(k, "ethics_signed")) {
      r->ethics_line = v->line;
      r->ethics_col = v->col;
      if (!tree_is_null(v))
        get_date(r, v, "ethics_signed", &r->ethics_signed);
    } else if (tree_key_is(k, "renewal_deadline")) {
      deadline = tree_is_null(v) ? NULL : v;
      r->deadline_line = v->line;
      r->deadline_col = v->col;
      if (deadline)
        get_date(r, v, "renewal_deadline", &r->renewal_deadline);
    } else if (tree_key_is(k, "rsc_attested")) {
      if (!tree_is_null(v))
        get_bool(r, v, "rsc_attested", &r->rsc_attested);
    } else if (tree_key_is(k, "applicant") || tree_key_is(k, "membership") ||
               tree_key_is(k, "exam")) {
      if (tree_key_is(k, "membership"))
        r->has_membership = !tree_is_null(v);
      if (!tree_is_null(v))
        load_sub(r, v, k->s);
    } else if (r->keep_expect && tree_key_is(k, "expect")) {
      r->expect = v;
      r->expect_line = k->line;
    } else {
      unknown_field(r, k, "", top_fields, NKNOWN(top_fields));
    }
  }
  if (cat)
    keep_category(r, cat);
  if (!r->id.s && !has_id)
    imhe_record_error(r, doc->line, doc->col, "missing required field 'id'");
  if (!r->association.s && !has_association)
    imhe_record_error(r, doc->line, doc->col, "missing required field 'association'");
  if (!r->name_given && (!r->applicant_name.s || r->applicant_name.n == 0))
    imhe_record_error(r, doc->line, doc->col, "missing required field 'applicant.name'");
  if (r->kind == IMHE_KIND_APPLICATION && !cat)
    imhe_record_error(r, doc->line, doc->col,
                      "missing required field 'category' (an application "
                      "names the category applied for)");
  if (r->kind == IMHE_KIND_RENEWAL && !deadline)
    imhe_record_error(r, kind_line, kind_col,
                      "missing required field 'renewal_deadline' (a renewal "
                      "is judged at its deadline)");
}

void imhe_record_type(struct imhe_record *r) {
  const struct ynode *root = r->tree;
  r->tree = NULL;
  if (root) {
    uint32_t line = r->line;
    load_record(r, root);
    if (r->errors.n && !r->id.s && line == 0)
      r->line = r->errors.v[0].line;
  }
}
