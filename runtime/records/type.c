/* type.c — a document's events typed into a record as they come, field by field against the
 * schema of records.md: no tree of the document is built. Every fault is located (file:line:col)
 * and makes only its own record invalid; unknown fields are warnings with a "did you mean". */
#include "runtime/records/type.h"
#include "runtime/core/dates.h"
#include "runtime/core/names.h"
#include "runtime/records/events.h"
#include "runtime/records/record.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Passes over the rest of v when it opens a list or mapping (nothing else read since v). */
static void skip(struct ypull *p, const struct ynode *v) {
  if (v->type != N_SEQ && v->type != N_MAP)
    return;
  unsigned d = imhe_pull_depth(p);
  while (imhe_pull_depth(p) >= d && imhe_pull(p))
    ;
}

/* The next item of the list or mapping open at depth d, copied (the pull's view is overwritten by
 * the next read): 1, or 0 at its end or once reading stopped. */
static int item(struct ypull *p, struct ynode *out) {
  const struct ynode *x = imhe_pull(p);
  if (!x || x->type == N_END)
    return 0;
  /* field by field, each load as wide as the store imhe_pull has just made of it (volatile: not
   * merged into wider loads): a load spanning several such stores cannot take their values from
   * the store queue and waits for them to complete, a stall on every key and value read */
  const volatile struct ynode *v = x;
  out->type = v->type;
  out->plain = v->plain;
  out->line = v->line;
  out->col = v->col;
  out->s = v->s;
  out->n = v->n;
  return 1;
}

/* Room for one more of n items of `size` bytes at v (capacity *cap), in the arena, as a list's
 * length is not known before its end: v, or a larger copy of it; NULL when the arena is full. */
static void *grow(struct imhe_arena *a, void *v, uint32_t n, uint32_t *cap, size_t size) {
  if (n < *cap)
    return v;
  uint32_t c = *cap ? *cap * 2 : 4;
  void *w = imhe_arena_alloc_raw(a, c * size);
  if (!w)
    return NULL;
  if (n)
    memcpy(w, v, n * size);
  *cap = c;
  return w;
}

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
  out->s = imhe_arena_strndup(&r->arena, v->s, v->n); /* the event's text goes with the event */
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

/* Plain decimal digits with at most one inner point and 15 digits in all ("12", "2.5"), read
 * exactly as strtod reads them: the digits as an integer below 2^53 divided by a power of ten
 * that is exact, one correctly rounded division. 0 when v is not so simple (strtod reads it). */
static int simple_decimal(const struct ynode *v, double *out) {
  static const double pow10[] = {1,   1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  uint64_t m = 0;
  int digits = 0, frac = -1;
  for (uint32_t i = 0; i < v->n; i++) {
    unsigned char c = (unsigned char)v->s[i];
    if (c >= '0' && c <= '9') {
      m = m * 10 + (c - '0');
      digits++;
      if (frac >= 0)
        frac++;
    } else if (c == '.' && frac < 0 && i > 0 && i + 1 < v->n)
      frac = 0;
    else
      return 0;
  }
  if (!digits || digits > 15)
    return 0;
  *out = frac > 0 ? (double)m / pow10[frac] : (double)m;
  return 1;
}

static int get_num(struct imhe_record *r, const struct ynode *v, const char *path, const char *what,
                   double *out) {
  char b[64];
  double quick;
  if (v->type == N_SCALAR && simple_decimal(v, &quick) && quick <= 1e7) { /* most numbers */
    *out = quick;
    return 0;
  }
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

/* A code as written, with its location, copied into the arena. */
static int push_code(struct imhe_record *r, struct imhe_slot *s, uint32_t *cap,
                     const struct ynode *x) {
  struct imhe_comp_code *v = grow(&r->arena, s->v.codes.v, s->v.codes.n, cap, sizeof *v);
  if (!v)
    return -1;
  s->v.codes.v = v;
  struct imhe_comp_code *c = &s->v.codes.v[s->v.codes.n++];
  c->s.s = imhe_arena_strndup(&r->arena, x->s, x->n);
  c->s.n = x->n;
  c->line = x->line;
  c->col = x->col;
  return 0;
}

/* Passes over the rest of the list open at depth d (its item x included). */
static void skip_rest(struct ypull *p, const struct ynode *x, unsigned d) {
  skip(p, x);
  while (imhe_pull_depth(p) >= d && imhe_pull(p))
    ;
}

/* Codes of an enumeration each program declares, as written, with their locations (`what`:
 * "category code", "credential"): one for an FT_ENUM (an endorsement's category, an education's
 * credential), one or a list for an FT_SET (an RSC provider's endorsements, where `none` or blank
 * is no endorsement, readings 32 and 33). The judging program types them. */
static int get_cat_codes(struct imhe_record *r, struct ypull *p, const struct ynode *v,
                         const char *path, int set, const char *what, struct imhe_slot *s) {
  char b[64];
  if (v->type == N_MAP || (!set && v->type != N_SCALAR)) {
    imhe_record_error(r, v->line, v->col, "%s: expected %s %s%s, got %s", path, set ? "a" : "one",
                      what, set ? " or a list of them" : "", imhe_tree_excerpt(v, b, sizeof b));
    skip(p, v);
    return -1;
  }
  uint32_t cap = 0;
  s->v.codes.n = 0;
  if (!(s->v.codes.v = grow(&r->arena, NULL, 0, &cap, sizeof *s->v.codes.v)))
    return -1;
  if (v->type == N_SCALAR) {
    if (set && (is_blank(v) || imhe_names_equal(v->s, v->n, "none", 4)))
      return 0;
    return push_code(r, s, &cap, v);
  }
  unsigned d = imhe_pull_depth(p);
  for (struct ynode x; item(p, &x);) {
    if (x.type != N_SCALAR) {
      imhe_record_error(r, x.line, x.col, "%s: expected a category code, got %s", path,
                        imhe_tree_excerpt(&x, b, sizeof b));
      skip_rest(p, &x, d);
      return -1;
    }
    if (set && (is_blank(&x) || imhe_names_equal(x.s, x.n, "none", 4)))
      continue;
    if (push_code(r, s, &cap, &x) != 0)
      return -1;
  }
  return 0;
}

static int get_set(struct imhe_record *r, struct ypull *p, const struct ynode *v, const char *path,
                   int e, uint32_t *out) {
  *out = 0;
  if (v->type == N_MAP) {
    imhe_record_error(r, v->line, v->col, "%s: expected a value or a list", path);
    skip(p, v);
    return -1;
  }
  int i;
  if (v->type == N_SCALAR) {
    if (get_enum(r, v, path, e, &i) != 0)
      return -1;
    *out |= 1u << i;
    return 0;
  }
  unsigned d = imhe_pull_depth(p);
  for (struct ynode x; item(p, &x);) {
    if (get_enum(r, &x, path, e, &i) != 0) {
      skip_rest(p, &x, d);
      return -1;
    }
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
  if (k->type != N_SCALAR) { /* `? [a, b]`: no field is named so; say what was written instead */
    imhe_record_warning(r, k->line, k->col, "%s%s used as a field name: ignored", where,
                        imhe_tree_excerpt(k, b, sizeof b));
    return;
  }
  if (best)
    imhe_record_warning(r, k->line, k->col, "%sunknown field %s ignored; did you mean '%s'?", where,
                        imhe_tree_excerpt(k, b, sizeof b), best);
  else
    imhe_record_warning(r, k->line, k->col, "%sunknown field %s ignored", where,
                        imhe_tree_excerpt(k, b, sizeof b));
}

/* The keys met so far in a mapping of the record's top level or of its small mappings, to find a
 * repeated one (copied: an event's text goes with it). */
struct keylog {
  struct ynode *v;
  uint32_t n, cap;
};

/* Warns about a key seen earlier in the same mapping, else notes it; returns 1 if repeated. */
static int repeated_key(struct imhe_record *r, struct keylog *log, const struct ynode *key,
                        const char *where) {
  if (key->type != N_SCALAR)
    return 0;
  for (uint32_t i = 0; i < log->n; i++) {
    const struct ynode *k = &log->v[i];
    if (k->n == key->n && memcmp(k->s, key->s, k->n) == 0) {
      char b[64];
      imhe_record_warning(r, key->line, key->col,
                          "%sduplicate key %s (first at line %u); the later "
                          "value is used",
                          where, imhe_tree_excerpt(key, b, sizeof b), k->line);
      return 1;
    }
  }
  struct ynode *v = grow(&r->arena, log->v, log->n, &log->cap, sizeof *v);
  if (v) {
    log->v = v;
    struct ynode *k = &v[log->n++];
    *k = *key;
    k->s = imhe_arena_strndup(&r->arena, key->s, key->n);
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
static int get_codes(struct imhe_record *r, struct ypull *p, const struct ynode *v,
                     const char *path, struct imhe_slot *s) {
  if (v->type != N_SEQ) {
    imhe_record_error(r, v->line, v->col, "%s: expected a list of codes", path);
    skip(p, v);
    return -1;
  }
  uint32_t cap = 0;
  s->v.codes.n = 0;
  if (!(s->v.codes.v = grow(&r->arena, NULL, 0, &cap, sizeof *s->v.codes.v)))
    return -1;
  int ok = 0;
  for (struct ynode x; item(p, &x);) {
    if (x.type != N_SCALAR) {
      imhe_record_error(r, x.line, x.col, "%s: expected a competency code", path);
      skip(p, &x);
      ok = -1;
      continue;
    }
    if (push_code(r, s, &cap, &x) != 0)
      ok = -1;
  }
  return ok;
}

/* The value v of a field, typed as the schema says (and read to its end): 0 when it is sound, 1
 * when blank text (which is absent, reading 32), -1 after an error. */
static int get_field(struct imhe_record *r, struct ypull *p, const struct imhe_field_desc *fd,
                     const struct ynode *v, const char *path, struct imhe_slot *s) {
  int ok = -1;
  switch (fd->kind) {
  case FT_TEXT:
    ok = get_text(r, v, path, &s->v.text);
    break;
  case FT_DATE:
    ok = get_date(r, v, path, &s->v.date);
    break;
  case FT_NUM:
    ok = get_num(r, v, path, num_word(fd->arg), &s->v.num);
    break;
  case FT_BOOL:
    ok = get_bool(r, v, path, &s->v.ival);
    break;
  case FT_ENUM:
    if (imhe_field_is_declared(fd))
      return get_cat_codes(r, p, v, path, 0,
                           fd->arg == ENUM_CATEGORY ? "category code" : imhe_enum_name[fd->arg], s);
    ok = get_enum(r, v, path, fd->arg, &s->v.ival);
    break;
  case FT_SET:
    if (fd->arg == ENUM_CATEGORY)
      return get_cat_codes(r, p, v, path, 1, "category code", s);
    return get_set(r, p, v, path, fd->arg, &s->v.mask);
  case FT_CODES:
    return get_codes(r, p, v, path, s);
  }
  skip(p, v); /* a list or mapping where a single value belongs: reported above */
  return ok;
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

/* An entry of more than this many fields is refused whole, unread. */
#define MAX_ENTRY_FIELDS 64

/* An entry met with too many fields: what its fields gave so far is dropped (messages and
 * values), as though none had been read, and the rest of it is passed over. */
static void too_many_fields(struct imhe_record *r, struct ypull *p, int sec, uint32_t idx,
                            const struct ynode *m, struct imhe_entry *e, uint32_t errors,
                            uint32_t warnings, const struct ynode *k, unsigned d) {
  r->errors.n = errors;
  r->warnings.n = warnings;
  memset(e->f, 0, sizeof e->f);
  imhe_record_error(r, m->line, m->col, "%s[%u]: too many fields", imhe_sections[sec].name, idx);
  skip_rest(p, k, d);
}

static void load_entry(struct imhe_record *r, struct ypull *p, int sec, uint32_t idx,
                       const struct ynode *m, struct imhe_entry *e) {
  const struct imhe_section_desc *d = &imhe_sections[sec];
  char path[96];
  e->line = m->line;
  e->col = m->col;
  if (m->type != N_MAP) {
    imhe_record_error(r, m->line, m->col, "%s[%u]: expected a mapping of fields", d->name, idx);
    skip(p, m);
    return;
  }
  unsigned depth = imhe_pull_depth(p);
  uint32_t errors = r->errors.n, warnings = r->warnings.n, nkeys = 0;
  const char *known[IMHE_MAX_FIELDS];
  int given[IMHE_MAX_FIELDS] = {0};
  uint32_t first[IMHE_MAX_FIELDS]; /* the line each field was first met on */
  for (int i = 0; i < d->nfields; i++)
    known[i] = d->fields[i].name;
  char where[64];
  entry_path(where, sizeof where, d->name, idx, ": ");
  /* "name[idx]" once; each field's path is it and ".field" (no printf: every field of every
   * entry goes through here) */
  size_t stem = where[0] ? strlen(where) - 2 : 0;
  memcpy(path, where, stem);
  unsigned seen = 0; /* the fields met so far: only a field met again can be a repeated key */
  int next = 0;      /* where to look for the next key: after the last one found */
  for (struct ynode k, v; item(p, &k);) {
    if (++nkeys > MAX_ENTRY_FIELDS) {
      too_many_fields(r, p, sec, idx, m, e, errors, warnings, &k, depth);
      return;
    }
    skip(p, &k); /* a list or mapping as a key: an unknown field */
    if (!item(p, &v))
      break;
    int f = k.type == N_SCALAR ? imhe_field_lookup_from(sec, k.s, k.n, next) : -1;
    if (f < 0) {
      unknown_field(r, &k, where, known, d->nfields);
      skip(p, &v);
      continue;
    }
    if (seen >> f & 1u) {
      char b[64];
      imhe_record_warning(r, k.line, k.col,
                          "%sduplicate key %s (first at line %u); the later value is used", where,
                          imhe_tree_excerpt(&k, b, sizeof b), first[f]);
    } else
      first[f] = k.line;
    seen |= 1u << f;
    next = f + 1;
    size_t fl = d->fields[f].len;
    if (stem && stem + fl + 2 < sizeof path) {
      path[stem] = '.';
      memcpy(path + stem + 1, d->fields[f].name, fl + 1);
    } else
      path[0] = 0;
    struct imhe_slot *s = &e->f[f];
    s->present = 0;
    s->line = v.line;
    s->col = v.col;
    if (tree_is_null(&v))
      continue;
    int ok = get_field(r, p, &d->fields[f], &v, path, s);
    given[f] = ok != 1; /* blank text is absent (reading 32) */
    if (ok == 0)
      s->present = 1;
  }
  check_entry(r, sec, idx, m, e, given);
}

static void load_section(struct imhe_record *r, struct ypull *p, int sec, const struct ynode *v) {
  struct imhe_list *l = &r->sec[sec];
  l->line = v->line;
  l->col = v->col;
  if (tree_is_null(v))
    return;
  if (v->type != N_SEQ) {
    imhe_record_error(r, v->line, v->col, "%s: expected a list of entries",
                      imhe_sections[sec].name);
    skip(p, v);
    return;
  }
  uint32_t cap = 0;
  if (!(l->v = grow(&r->arena, NULL, 0, &cap, sizeof *l->v))) {
    skip(p, v);
    return;
  }
  for (struct ynode x; item(p, &x);) {
    struct imhe_entry *e = grow(&r->arena, l->v, l->n, &cap, sizeof *e);
    if (!e) {
      skip(p, &x);
      continue;
    }
    l->v = e;
    memset(&e[l->n], 0, sizeof *e);
    load_entry(r, p, sec, l->n, &x, &e[l->n]);
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

/* One of the record's small mappings (applicant, membership, exam), named `name`. */
static void load_sub(struct imhe_record *r, struct ypull *p, const struct ynode *v,
                     const char *name) {
  if (v->type != N_MAP) {
    imhe_record_error(r, v->line, v->col, "%s: expected a mapping", name);
    skip(p, v);
    return;
  }
  char where[40], path[64];
  snprintf(where, sizeof where, "%s: ", name);
  struct keylog keys = {0};
  for (struct ynode k, x; item(p, &k);) {
    skip(p, &k);
    if (!item(p, &x))
      break;
    repeated_key(r, &keys, &k, where);
    /* "name.key", the key cut at 30 bytes or a NUL, as "%s.%.*s" would write it (no printf:
     * every key of these mappings comes through here) */
    size_t nl = strlen(name), kl = k.s ? strnlen(k.s, k.n > 30 ? 30 : k.n) : 0;
    memcpy(path, name, nl);
    path[nl] = '.';
    if (kl)
      memcpy(path + nl + 1, k.s, kl);
    path[nl + 1 + kl] = 0;
    if (!strcmp(name, "applicant")) {
      if (tree_key_is(&k, "name")) {
        r->applicant_name.s = NULL;
        r->name_given = required_text(r, &x, path, &r->applicant_name);
      } else if (tree_key_is(&k, "email")) {
        if (!tree_is_null(&x))
          get_text(r, &x, path, &r->applicant_email);
      } else if (tree_key_is(&k, "credentials")) {
        if (!tree_is_null(&x) && x.type == N_MAP)
          imhe_record_error(r, x.line, x.col, "%s: expected a list", path);
      } else
        unknown_field(r, &k, where, applicant_fields, NKNOWN(applicant_fields));
    } else if (!strcmp(name, "membership")) {
      if (tree_key_is(&k, "association")) {
        if (!tree_is_null(&x))
          get_text(r, &x, path, &r->membership_association);
      } else if (tree_key_is(&k, "expires")) {
        if (!tree_is_null(&x))
          get_date(r, &x, path, &r->membership_expires);
      } else
        unknown_field(r, &k, where, membership_fields, NKNOWN(membership_fields));
    } else {
      if (tree_key_is(&k, "passed")) {
        int b;
        if (!tree_is_null(&x) && get_bool(r, &x, path, &b) == 0)
          r->exam_passed = b;
      } else if (tree_key_is(&k, "date")) {
        if (!tree_is_null(&x))
          get_date(r, &x, path, &r->exam_date);
      } else
        unknown_field(r, &k, where, exam_fields, NKNOWN(exam_fields));
    }
    skip(p, &x);
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

/* The node tree of v (a test's expect: block), read to its end: nodes in the record's arena. */
static struct ynode *build_tree(struct imhe_record *r, struct ypull *p, const struct ynode *v) {
  struct ynode *n = imhe_arena_alloc(&r->arena, sizeof *n);
  if (!n) {
    skip(p, v);
    return NULL;
  }
  n->type = v->type;
  n->plain = v->plain;
  n->line = v->line;
  n->col = v->col;
  if (v->type == N_SCALAR) {
    n->s = imhe_arena_strndup(&r->arena, v->s, v->n);
    n->n = v->n;
    return n;
  }
  for (struct ynode x; item(p, &x);) {
    struct ynode *c = build_tree(r, p, &x);
    if (!c)
      continue;
    if (n->last)
      n->last->next = c;
    else
      n->first = c;
    n->last = c;
    n->count++;
  }
  return n;
}

/* A value of the top level met as a key's value. The small fields are typed at once; the category
 * is kept (copied) to be typed once the whole mapping is read. */
struct top {
  uint32_t kind_line, kind_col;
  int has_cat, has_deadline, has_id, has_association;
  struct ynode cat;
};

static void top_field(struct imhe_record *r, struct ypull *p, struct top *t, const struct ynode *k,
                      const struct ynode *v) {
  if (tree_key_is(k, "id") && v->type == N_SCALAR) /* kept for a record refused part way */
    p->salvage_id = (struct imhe_text){imhe_arena_strndup(&r->arena, v->s, v->n), v->n};
  if (tree_key_is(k, "kind")) {
    t->kind_line = v->line;
    t->kind_col = v->col;
    int kind;
    if (!tree_is_null(v) && get_enum(r, v, "kind", ENUM_KIND, &kind) == 0)
      r->kind = (imhe_record_kind)kind;
  } else if (tree_key_is(k, "id")) {
    r->id.s = NULL;
    t->has_id = required_text(r, v, "id", &r->id);
  } else if (tree_key_is(k, "association")) {
    r->association.s = NULL;
    t->has_association = required_text(r, v, "association", &r->association);
  } else if (tree_key_is(k, "category")) {
    t->has_cat = !tree_is_null(v);
    t->cat = *v;
    if (v->type == N_SCALAR)
      t->cat.s = imhe_arena_strndup(&r->arena, v->s, v->n);
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
    t->has_deadline = !tree_is_null(v);
    r->deadline_line = v->line;
    r->deadline_col = v->col;
    if (t->has_deadline)
      get_date(r, v, "renewal_deadline", &r->renewal_deadline);
  } else if (tree_key_is(k, "rsc_attested")) {
    if (!tree_is_null(v))
      get_bool(r, v, "rsc_attested", &r->rsc_attested);
  } else if (tree_key_is(k, "applicant") || tree_key_is(k, "membership") ||
             tree_key_is(k, "exam")) {
    const char *name = tree_key_is(k, "applicant")    ? "applicant"
                       : tree_key_is(k, "membership") ? "membership"
                                                      : "exam";
    if (!strcmp(name, "membership"))
      r->has_membership = !tree_is_null(v);
    if (!tree_is_null(v))
      load_sub(r, p, v, name);
    return;
  } else if (r->keep_expect && tree_key_is(k, "expect")) {
    r->expect_line = k->line;
    r->expect = build_tree(r, p, v);
    return;
  } else
    unknown_field(r, k, "", top_fields, NKNOWN(top_fields));
  skip(p, v);
}

static void load_record(struct imhe_record *r, struct ypull *p, const struct ynode *doc) {
  r->line = doc->line;
  struct top t = {.kind_line = doc->line, .kind_col = doc->col};
  struct keylog keys = {0};
  for (struct ynode k, v; item(p, &k);) {
    skip(p, &k);
    if (!item(p, &v))
      break;
    if (k.type != N_SCALAR) {
      imhe_record_error(r, k.line, k.col, "a field name must be text");
      skip(p, &v);
      continue;
    }
    repeated_key(r, &keys, &k, "");
    int sec = imhe_section_lookup(k.s, k.n);
    if (sec >= 0) {
      r->sec[sec].n = 0;
      load_section(r, p, sec, &v);
      continue;
    }
    top_field(r, p, &t, &k, &v);
  }
  if (t.has_cat)
    keep_category(r, &t.cat);
  /* Reading stopped part way (a syntax error, an unreadable byte): the fields after it were not
   * read, not left out, and saying them missing would bury the one fault to mend. */
  if (p->stop == PULL_FAULT)
    return;
  if (!r->id.s && !t.has_id)
    imhe_record_error(r, doc->line, doc->col, "missing required field 'id'");
  if (!r->association.s && !t.has_association)
    imhe_record_error(r, doc->line, doc->col, "missing required field 'association'");
  if (!r->name_given && (!r->applicant_name.s || r->applicant_name.n == 0))
    imhe_record_error(r, doc->line, doc->col, "missing required field 'applicant.name'");
  if (r->kind == IMHE_KIND_APPLICATION && !t.has_cat)
    imhe_record_error(r, doc->line, doc->col,
                      "missing required field 'category' (an application "
                      "names the category applied for)");
  if (r->kind == IMHE_KIND_RENEWAL && !t.has_deadline)
    imhe_record_error(r, t.kind_line, t.kind_col,
                      "missing required field 'renewal_deadline' (a renewal "
                      "is judged at its deadline)");
}

void imhe_type_document(struct imhe_record *r, struct ypull *p) {
  struct ynode root;
  if (!item(p, &root))
    return;
  if (root.type == N_MAP)
    load_record(r, p, &root);
  else
    skip(p, &root);
}
