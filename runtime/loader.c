/* loader.c — YAML records into typed records, with libyaml's event API, one document at a time.
 * Every fault is located (file:line:col) and makes only its own record invalid; hostile input meets
 * named limits, and a refused document is abandoned at once, so none costs more than its bytes. */
#include "dates.h"
#include "measure.h"
#include "record.h"
#include "sbuf.h"
#include "yinput.h"
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

const struct imhe_limits imhe_default_limits = {
    .max_depth = 64,
    .max_scalar = 64 * 1024,
    .max_document = 4 * 1024 * 1024,
    .max_entries = 10000,
    .max_nodes = 200000,
    .max_directives = 16,
    .fifo_wait_ms = 10000,
};

enum ntype { N_SCALAR, N_SEQ, N_MAP };
struct ynode {
  uint8_t type, plain;
  uint32_t line, col;
  const char *s;
  uint32_t n;
  struct ynode *first, *last, *next; /* children; mapping children alternate key, value */
  uint32_t count;
};

struct imhe_loader {
  struct imhe_yinput in; /* the file, cut into documents */
  const char *path;
  char *path_copy;
  yaml_parser_t parser;
  int live; /* the parser is reading the current document */
  int skip; /* the rest of a refused document is still to be passed over */
  int done;
  unsigned long records; /* records handed out from this file */
  struct imhe_limits lim;
  imhe_notice_fn *notice;
  void *notice_ctx;
};

static void add_msg(struct imhe_record *r, struct imhe_msgs *m, uint32_t line, uint32_t col,
                    const char *fmt, va_list ap) {
  if (m->n == m->cap) {
    uint32_t cap = m->cap ? m->cap * 2 : 8;
    struct imhe_msg *v = imhe_arena_alloc(&r->arena, cap * sizeof *v);
    if (!v)
      return;
    if (m->n)
      memcpy(v, m->v, m->n * sizeof *v);
    m->v = v;
    m->cap = cap;
  }
  char buf[512];
  vsnprintf(buf, sizeof buf, fmt, ap);
  struct imhe_msg *x = &m->v[m->n++];
  x->file = r->file;
  x->line = line;
  x->col = col;
  x->text = imhe_arena_strndup(&r->arena, buf, strlen(buf));
}

void imhe_record_error(struct imhe_record *r, uint32_t line, uint32_t col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add_msg(r, &r->errors, line, col, fmt, ap);
  va_end(ap);
}
void imhe_record_warning(struct imhe_record *r, uint32_t line, uint32_t col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add_msg(r, &r->warnings, line, col, fmt, ap);
  va_end(ap);
}
void imhe_record_free(struct imhe_record *r) {
  imhe_arena_free(&r->arena);
}

struct imhe_loader *imhe_loader_open(const char *path, const struct imhe_limits *lim, char *err,
                                     size_t errlen) {
  struct imhe_loader *l = calloc(1, sizeof *l);
  if (!l)
    abort();
  l->lim = lim ? *lim : imhe_default_limits;
  if (imhe_yinput_open(&l->in, path, l->lim.max_document, l->lim.max_directives,
                       l->lim.fifo_wait_ms, err, errlen) != 0) {
    free(l);
    return NULL;
  }
  l->path_copy = strdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
  l->path = l->path_copy;
  return l;
}

void imhe_loader_on_notice(struct imhe_loader *l, imhe_notice_fn *fn, void *ctx) {
  l->notice = fn;
  l->notice_ctx = ctx;
}

uint64_t imhe_loader_bytes_read(const struct imhe_loader *l) {
  return l->in.consumed;
}

void imhe_loader_close(struct imhe_loader *l) {
  if (!l)
    return;
  if (l->live)
    yaml_parser_delete(&l->parser);
  imhe_yinput_close(&l->in);
  free(l->path_copy);
  free(l);
}

static void notice(struct imhe_loader *l, int severity, uint32_t line, uint32_t col,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void notice(struct imhe_loader *l, int severity, uint32_t line, uint32_t col,
                   const char *fmt, ...) {
  if (!l->notice)
    return;
  char text[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  struct imhe_msg m = {.file = l->path, .line = line, .col = col, .text = text};
  l->notice(l->notice_ctx, severity, &m);
}

/* ---- building the document tree ---- */

struct builder {
  struct imhe_record *r;
  const struct imhe_limits *lim;
  uint32_t base; /* lines before the document: libyaml counts from its start */
  struct ynode *stack[80];
  unsigned depth;
  unsigned nodes;
  struct ynode *root;
  int failed; /* a limit was hit: stop building, keep consuming events */
};

static void attach(struct builder *b, struct ynode *n) {
  if (b->depth == 0) {
    b->root = n;
    return;
  }
  struct ynode *p = b->stack[b->depth - 1];
  if (p->count >= b->lim->max_entries * (p->type == N_MAP ? 2u : 1u)) {
    imhe_record_error(b->r, n->line, n->col, "more than %u entries in one list or mapping (limit)",
                      b->lim->max_entries);
    b->failed = 1;
    return;
  }
  if (p->last)
    p->last->next = n;
  else
    p->first = n;
  p->last = n;
  p->count++;
}

static struct ynode *new_node(struct builder *b, int type, const yaml_event_t *e) {
  if (++b->nodes > b->lim->max_nodes) {
    imhe_record_error(b->r, b->base + (uint32_t)e->start_mark.line + 1,
                      (uint32_t)e->start_mark.column + 1,
                      "more than %u nodes in one document (limit)", b->lim->max_nodes);
    b->failed = 1;
    return NULL;
  }
  struct ynode *n = imhe_arena_alloc_raw(&b->r->arena, sizeof *n);
  if (!n) {
    b->failed = 1;
    return NULL;
  }
  /* every field is set here: a node is made per YAML event, so no memset */
  n->plain = 0;
  n->s = NULL;
  n->n = 0;
  n->first = n->last = n->next = NULL;
  n->count = 0;
  n->type = (uint8_t)type;
  n->line = b->base + (uint32_t)e->start_mark.line + 1;
  n->col = (uint32_t)e->start_mark.column + 1;
  return n;
}

static void on_event(struct builder *b, const yaml_event_t *e) {
  if (b->failed)
    return;
  uint32_t line = b->base + (uint32_t)e->start_mark.line + 1;
  uint32_t col = (uint32_t)e->start_mark.column + 1;
  switch (e->type) {
  case YAML_ALIAS_EVENT:
    imhe_record_error(b->r, line, col, "aliases are not accepted in records (*%s)",
                      (const char *)e->data.alias.anchor);
    b->failed = 1;
    return;
  case YAML_SCALAR_EVENT: {
    size_t len = e->data.scalar.length;
    if (len > b->lim->max_scalar) {
      imhe_record_error(b->r, line, col, "scalar of %zu bytes exceeds the limit of %zu bytes", len,
                        b->lim->max_scalar);
      b->failed = 1;
      return;
    }
    struct ynode *n = new_node(b, N_SCALAR, e);
    if (!n)
      return;
    n->s = imhe_arena_strndup(&b->r->arena, (const char *)e->data.scalar.value, len);
    n->n = (uint32_t)len;
    n->plain = e->data.scalar.plain_implicit && e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    attach(b, n);
    return;
  }
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT: {
    if (b->depth >= b->lim->max_depth) {
      imhe_record_error(b->r, line, col, "nesting deeper than %u levels (limit)",
                        b->lim->max_depth);
      b->failed = 1;
      return;
    }
    struct ynode *n = new_node(b, e->type == YAML_SEQUENCE_START_EVENT ? N_SEQ : N_MAP, e);
    if (!n)
      return;
    attach(b, n);
    b->stack[b->depth++] = n;
    return;
  }
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT:
    if (b->depth)
      b->depth--;
    return;
  default:
    return;
  }
}

/* ---- typing the tree into a record ---- */

static int is_null(const struct ynode *n) {
  if (!n)
    return 1;
  if (n->type != N_SCALAR || !n->plain)
    return 0;
  return n->n == 0 || (n->n == 1 && n->s[0] == '~') ||
         (n->n == 4 &&
          (!memcmp(n->s, "null", 4) || !memcmp(n->s, "Null", 4) || !memcmp(n->s, "NULL", 4)));
}

static int key_is(const struct ynode *k, const char *s) {
  size_t n = strlen(s);
  return k->type == N_SCALAR && k->n == n && memcmp(k->s, s, n) == 0;
}

/* A printable excerpt of a scalar for messages: at most 40 bytes, control
 * bytes shown as '?'. */
static const char *excerpt(const struct ynode *n, char *buf, size_t cap) {
  if (n->type != N_SCALAR)
    return n->type == N_SEQ ? "a list" : "a mapping";
  size_t k = 0;
  for (uint32_t i = 0; i < n->n && k + 4 < cap && i < 40; i++) {
    unsigned char c = (unsigned char)n->s[i];
    buf[k++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
  }
  if (n->n > 40 && k + 4 < cap) {
    memcpy(buf + k, "...", 3);
    k += 3;
  }
  buf[k] = 0;
  return buf;
}

static int get_date(struct imhe_record *r, const struct ynode *v, const char *path, int32_t *out) {
  char b[64];
  if (v->type != N_SCALAR || imhe_parse_date(v->s, v->n, out) != 0) {
    imhe_record_error(r, v->line, v->col, "%s: impossible or malformed date '%s'", path,
                      excerpt(v, b, sizeof b));
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
  if (is_null(v))
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
    if (key_is(v, "true") || key_is(v, "True") || key_is(v, "TRUE")) {
      *out = 1;
      return 0;
    }
    if (key_is(v, "false") || key_is(v, "False") || key_is(v, "FALSE")) {
      *out = 0;
      return 0;
    }
  }
  imhe_record_error(r, v->line, v->col, "%s: expected true or false, got '%s'", path,
                    excerpt(v, b, sizeof b));
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
  imhe_record_error(r, v->line, v->col, "%s: expected a number of %s, got '%s'", path, what,
                    excerpt(v, b, sizeof b));
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
  imhe_record_error(r, v->line, v->col, "%s: unknown %s '%s' (expected one of: %s)", path,
                    imhe_enum_name[e], excerpt(v, b, sizeof b), list);
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
    if (e == ENUM_CATEGORY) {
      /* provider endorsement codes: without case or surrounding spaces; `none` or blank is
       * no endorsement (readings 32, 33) */
      if (x->type == N_SCALAR && (is_blank(x) || imhe_names_equal(x->s, x->n, "none", 4)))
        continue;
      if (x->type != N_SCALAR || (i = imhe_category_lookup_loose(x->s, x->n)) < 0) {
        enum_error(r, x, path, e);
        return -1;
      }
    } else if (get_enum(r, x, path, e, &i) != 0)
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
    imhe_record_warning(r, k->line, k->col, "%sunknown field '%s' ignored; did you mean '%s'?",
                        where, excerpt(k, b, sizeof b), best);
  else
    imhe_record_warning(r, k->line, k->col, "%sunknown field '%s' ignored", where,
                        excerpt(k, b, sizeof b));
}

/* Warns about a key seen earlier in the same mapping; returns 1 if repeated. */
static int repeated_key(struct imhe_record *r, const struct ynode *map, const struct ynode *key,
                        const char *where) {
  for (const struct ynode *k = map->first; k && k != key; k = k->next->next)
    if (k->type == N_SCALAR && key->type == N_SCALAR && k->n == key->n &&
        memcmp(k->s, key->s, k->n) == 0) {
      char b[64];
      imhe_record_warning(r, key->line, key->col,
                          "%sduplicate key '%s' (first at line %u); the later "
                          "value is used",
                          where, excerpt(key, b, sizeof b), k->line);
      return 1;
    }
  return 0;
}

static const char *num_word(int unit) {
  return unit == UNIT_HOURS ? "hours" : unit == UNIT_FAMILIES ? "families" : "units";
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
  for (const struct ynode *k = m->first; k && k->next; k = k->next->next) {
    const struct ynode *v = k->next;
    int f = k->type == N_SCALAR ? imhe_field_lookup(sec, k->s, k->n) : -1;
    if (f < 0) {
      unknown_field(r, k, where, known, d->nfields);
      continue;
    }
    repeated_key(r, m, k, where);
    char tail[48] = ".";
    strncat(tail, d->fields[f].name, sizeof tail - 2);
    entry_path(path, sizeof path, d->name, idx, tail);
    struct imhe_slot *s = &e->f[f];
    s->present = 0;
    s->line = v->line;
    s->col = v->col;
    if (is_null(v))
      continue;
    given[f] = 1;
    int ok = -1;
    switch (d->fields[f].kind) {
    case FT_TEXT:
      ok = get_text(r, v, path, &s->v.text);
      if (ok == 1) /* blank: absent (reading 32) */
        given[f] = 0;
      break;
    case FT_DATE:
      ok = get_date(r, v, path, &s->v.date);
      break;
    case FT_NUM:
      ok = get_num(r, v, path, num_word(d->fields[f].arg), &s->v.num);
      break;
    case FT_BOOL:
      ok = get_bool(r, v, path, &s->v.ival);
      break;
    case FT_ENUM:
      ok = get_enum(r, v, path, d->fields[f].arg, &s->v.ival);
      break;
    case FT_SET:
      ok = get_set(r, v, path, d->fields[f].arg, &s->v.mask);
      break;
    case FT_CODES: {
      if (v->type != N_SEQ) {
        imhe_record_error(r, v->line, v->col, "%s: expected a list of codes", path);
        break;
      }
      s->v.codes.v = imhe_arena_alloc(&r->arena, (v->count + 1) * sizeof(struct imhe_code));
      if (!s->v.codes.v)
        break;
      ok = 0;
      for (const struct ynode *x = v->first; x; x = x->next) {
        if (x->type != N_SCALAR) {
          imhe_record_error(r, x->line, x->col, "%s: expected a competency code", path);
          ok = -1;
          continue;
        }
        struct imhe_code *c = &s->v.codes.v[s->v.codes.n++];
        c->s.s = x->s;
        c->s.n = x->n;
        c->line = x->line;
        c->col = x->col;
      }
      break;
    }
    }
    if (ok == 0)
      s->present = 1;
  }
  /* Requirements on the entry as a whole (reading 20). */
  for (int f = 0; f < d->nfields; f++)
    if (d->fields[f].required && !given[f]) {
      imhe_record_error(r, m->line, m->col, "%s[%u]: missing required field '%s'", d->name, idx,
                        d->fields[f].name);
    }
  if (sec == SEC_EDUCATION) {
    int deg = given[EDU_DEGREE], cred = given[EDU_CREDENTIAL];
    if (deg == cred)
      imhe_record_error(r, m->line, m->col,
                        "education[%u]: an entry needs exactly one of 'degree' "
                        "and 'credential' (has %s)",
                        idx, deg ? "both" : "neither");
  }
  int fs = imhe_sections[sec].start, fe = imhe_sections[sec].end;
  if (fs >= 0 && fe >= 0 && e->f[fs].present && e->f[fe].present &&
      e->f[fe].v.date < e->f[fs].v.date) {
    char a[11], b[11];
    imhe_format_date(e->f[fe].v.date, a);
    imhe_format_date(e->f[fs].v.date, b);
    imhe_record_error(r, e->f[fe].line, e->f[fe].col, "%s[%u].end: end %s is before start %s",
                      d->name, idx, a, b);
  }
  if (sec == SEC_RSC && e->f[RSC_ABOUT_PROVISION_HOURS].present && e->f[RSC_HOURS].present &&
      e->f[RSC_ABOUT_PROVISION_HOURS].v.num > e->f[RSC_HOURS].v.num)
    imhe_record_error(r, e->f[RSC_ABOUT_PROVISION_HOURS].line, e->f[RSC_ABOUT_PROVISION_HOURS].col,
                      "rsc[%u].about_provision_hours: %g h is more than the "
                      "entry's %g hours",
                      idx, e->f[RSC_ABOUT_PROVISION_HOURS].v.num, e->f[RSC_HOURS].v.num);
}

static void load_section(struct imhe_record *r, int sec, const struct ynode *v) {
  struct imhe_list *l = &r->sec[sec];
  l->line = v->line;
  l->col = v->col;
  if (is_null(v))
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
#define X(id, name, fields, dated, sing) name,
        IMHE_SECTIONS(X)
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
      if (key_is(k, "name")) {
        r->applicant_name.s = NULL;
        r->name_given = required_text(r, x, path, &r->applicant_name);
      } else if (key_is(k, "email")) {
        if (!is_null(x))
          get_text(r, x, path, &r->applicant_email);
      } else if (key_is(k, "credentials")) {
        if (!is_null(x) && x->type == N_MAP)
          imhe_record_error(r, x->line, x->col, "%s: expected a list", path);
      } else
        unknown_field(r, k, where, applicant_fields, NKNOWN(applicant_fields));
    } else if (!strcmp(name, "membership")) {
      if (key_is(k, "association")) {
        if (!is_null(x))
          get_text(r, x, path, &r->membership_association);
      } else if (key_is(k, "expires")) {
        if (!is_null(x))
          get_date(r, x, path, &r->membership_expires);
      } else
        unknown_field(r, k, where, membership_fields, NKNOWN(membership_fields));
    } else {
      if (key_is(k, "passed")) {
        int b;
        if (!is_null(x) && get_bool(r, x, path, &b) == 0)
          r->exam_passed = b;
      } else if (key_is(k, "date")) {
        if (!is_null(x))
          get_date(r, x, path, &r->exam_date);
      } else
        unknown_field(r, k, where, exam_fields, NKNOWN(exam_fields));
    }
  }
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
    if (key_is(k, "kind")) {
      kind_line = v->line;
      kind_col = v->col;
      if (!is_null(v))
        get_enum(r, v, "kind", ENUM_KIND, &r->kind);
    } else if (key_is(k, "id")) {
      r->id.s = NULL;
      has_id = required_text(r, v, "id", &r->id);
    } else if (key_is(k, "association")) {
      r->association.s = NULL;
      has_association = required_text(r, v, "association", &r->association);
    } else if (key_is(k, "category")) {
      cat = is_null(v) ? NULL : v;
      r->category = -1;
    } else if (key_is(k, "submitted")) {
      if (!is_null(v))
        get_date(r, v, "submitted", &r->submitted);
    } else if (key_is(k, "coupon")) {
      if (!is_null(v))
        get_text(r, v, "coupon", &r->coupon);
    } else if (key_is(k, "agreement_signed")) {
      r->agreement_line = v->line;
      r->agreement_col = v->col;
      if (!is_null(v))
        get_date(r, v, "agreement_signed", &r->agreement_signed);
    } else if (key_is(k, "ethics_signed")) {
      r->ethics_line = v->line;
      r->ethics_col = v->col;
      if (!is_null(v))
        get_date(r, v, "ethics_signed", &r->ethics_signed);
    } else if (key_is(k, "renewal_deadline")) {
      deadline = is_null(v) ? NULL : v;
      r->deadline_line = v->line;
      r->deadline_col = v->col;
      if (deadline)
        get_date(r, v, "renewal_deadline", &r->renewal_deadline);
    } else if (key_is(k, "rsc_attested")) {
      if (!is_null(v))
        get_bool(r, v, "rsc_attested", &r->rsc_attested);
    } else if (key_is(k, "applicant") || key_is(k, "membership") || key_is(k, "exam")) {
      if (key_is(k, "membership"))
        r->has_membership = !is_null(v);
      if (!is_null(v))
        load_sub(r, v, k->s);
    } else {
      unknown_field(r, k, "", top_fields, NKNOWN(top_fields));
    }
  }
  if (cat) {
    if (cat->type != N_SCALAR || (r->category = imhe_category_lookup(cat->s, cat->n)) < 0) {
      enum_error(r, cat, "category", ENUM_CATEGORY);
      r->category = -1;
    }
    r->category_line = cat->line;
    r->category_col = cat->col;
  }
  if (!r->id.s && !has_id)
    imhe_record_error(r, doc->line, doc->col, "missing required field 'id'");
  if (!r->association.s && !has_association)
    imhe_record_error(r, doc->line, doc->col, "missing required field 'association'");
  if (!r->name_given && (!r->applicant_name.s || r->applicant_name.n == 0))
    imhe_record_error(r, doc->line, doc->col, "missing required field 'applicant.name'");
  if (r->kind == 0 && !cat)
    imhe_record_error(r, doc->line, doc->col,
                      "missing required field 'category' (an application "
                      "names the category applied for)");
  if (r->kind == 1 && !deadline)
    imhe_record_error(r, kind_line, kind_col,
                      "missing required field 'renewal_deadline' (a renewal "
                      "is judged at its deadline)");
}

static void record_init(struct imhe_loader *l, struct imhe_record *r, int reuse) {
  struct imhe_arena keep = r->arena;
  memset(r, 0, sizeof *r);
  if (reuse) { /* keep the arena's first chunk: no allocation per record */
    r->arena = keep;
    imhe_arena_reset(&r->arena);
  } else
    imhe_arena_init(&r->arena, l->lim.max_document * 8 + (1u << 20));
  r->file = imhe_arena_strndup(&r->arena, l->path, strlen(l->path));
  r->category = -1;
  r->submitted = r->agreement_signed = r->ethics_signed = INT32_MIN;
  r->renewal_deadline = r->membership_expires = r->exam_date = INT32_MIN;
  r->exam_passed = -1;
}

/* Why libyaml stopped: a refusal of the byte layer (a limit, an unreadable byte, a failed read)
 * or a syntax error, located in the file. */
static void parse_fault(struct imhe_loader *l, struct imhe_record *r, uint32_t base) {
  const struct imhe_yinput *in = &l->in;
  yaml_parser_t *p = &l->parser;
  if (in->refused) {
    imhe_record_error(r, in->ref_line, in->ref_col, "%s", in->msg);
    if (in->io_error)
      notice(l, IMHE_NOTICE_IO, in->ref_line, in->ref_col, "%s", in->msg);
  } else if (p->error == YAML_MEMORY_ERROR) {
    imhe_record_error(r, base + 1, 1, "YAML parser out of memory");
  } else if (p->error == YAML_READER_ERROR) { /* the byte layer checks first: not expected */
    imhe_record_error(r, base + 1, 1, "unreadable YAML: %s", p->problem ? p->problem : "error");
  } else {
    uint32_t line = base + (uint32_t)p->problem_mark.line + 1;
    uint32_t col = (uint32_t)p->problem_mark.column + 1;
    if (p->context)
      imhe_record_error(r, line, col, "YAML syntax error: %s %s (line %zu)",
                        p->problem ? p->problem : "error", p->context,
                        base + p->context_mark.line + 1);
    else
      imhe_record_error(r, line, col, "YAML syntax error: %s", p->problem ? p->problem : "error");
  }
}

/* Ends libyaml's work on the current document; with `abandon`, its unread rest is to be passed
 * over without parsing (on the next read, so the refused record is handed out first). */
static void end_document(struct imhe_loader *l, int abandon) {
  if (!l->live)
    return;
  yaml_parser_delete(&l->parser);
  l->live = 0;
  l->skip = abandon;
}

static void skip_rest(struct imhe_loader *l) {
  l->skip = 0;
  int stopped = l->in.stopped;
  imhe_yinput_skip(&l->in);
  if (l->in.refused && !stopped) /* the rest was too long, or unreadable */
    notice(l, l->in.io_error ? IMHE_NOTICE_IO : IMHE_NOTICE_ERROR, l->in.ref_line, l->in.ref_col,
           "%s", l->in.msg);
}

static int start_document(struct imhe_loader *l) {
  if (!imhe_yinput_next(&l->in))
    return 0;
  yaml_parser_initialize(&l->parser);
  yaml_parser_set_input(&l->parser, imhe_yinput_read, &l->in);
  l->live = 1;
  return 1;
}

/* Parses events of the current document into r: 1 when r holds a record (possibly with errors),
 * 0 when the document was empty or libyaml's stream for it ended. */
static int parse_document(struct imhe_loader *l, struct imhe_record *r) {
  struct builder b = {.r = r, .lim = &l->lim, .base = l->in.doc_line - 1};
  int in_doc = 0;
  uint32_t doc_line = l->in.doc_line, doc_col = 1;
  r->line = doc_line;
  for (;;) {
    yaml_event_t e;
    if (!yaml_parser_parse(&l->parser, &e)) {
      parse_fault(l, r, b.base);
      end_document(l, 1);
      if (b.root && b.root->type == N_MAP && !b.failed)
        r->tree = b.root;
      else
        r->line = r->errors.n ? r->errors.v[0].line : 0;
      return 1;
    }
    yaml_event_type_t t = e.type;
    if (t == YAML_DOCUMENT_START_EVENT) {
      in_doc = 1;
      doc_line = b.base + (uint32_t)e.start_mark.line + 1;
      doc_col = (uint32_t)e.start_mark.column + 1;
      r->line = doc_line;
    } else if (in_doc && t != YAML_DOCUMENT_END_EVENT)
      on_event(&b, &e);
    yaml_event_delete(&e);
    if (b.failed) {
      /* A limit broke: stop parsing here. libyaml's work on this document was bounded by the
       * bytes up to the breaking one and its short look-ahead; the rest is only skipped. */
      end_document(l, 1);
      if (b.root)
        r->line = b.root->line;
      /* Salvage the id for the report when the top level got that far. */
      if (b.root && b.root->type == N_MAP)
        for (const struct ynode *k = b.root->first; k && k->next; k = k->next->next)
          if (key_is(k, "id") && k->next->type == N_SCALAR) {
            r->id.s = k->next->s;
            r->id.n = k->next->n;
          }
      return 1;
    }
    if (t == YAML_STREAM_END_EVENT) {
      end_document(l, 0);
      return 0;
    }
    if (t == YAML_DOCUMENT_END_EVENT) {
      if (!b.root || is_null(b.root)) {
        notice(l, IMHE_NOTICE_WARNING, doc_line, doc_col, "empty document: nothing to judge");
        return 0;
      }
      r->tree = b.root;
      return 1;
    }
  }
}

int imhe_loader_read_into(struct imhe_loader *l, struct imhe_record *r, int reuse) {
  while (!l->done) {
    if (l->skip)
      skip_rest(l);
    if (!l->live && !start_document(l)) {
      l->done = 1;
      if (!l->records)
        notice(l, IMHE_NOTICE_WARNING, 1, 1, "no records in file");
      break;
    }
    record_init(l, r, reuse);
    reuse = 1;
    if (parse_document(l, r)) {
      l->records++;
      return 1;
    }
  }
  if (reuse) /* a record handed in for reuse is not returned: free it */
    imhe_arena_free(&r->arena);
  return 0;
}

int imhe_loader_read(struct imhe_loader *l, struct imhe_record *r) {
  return imhe_loader_read_into(l, r, 0);
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

int imhe_loader_next(struct imhe_loader *l, struct imhe_record *r) {
  int k = imhe_loader_read(l, r);
  if (k == 1)
    imhe_record_type(r);
  return k;
}

/* "work[2] (Home Visitor)": an entry as a reviewer finds it in the record. */
void imhe_entry_label(struct sbuf *b, const struct imhe_record *r, int sec, uint32_t i) {
  sb_puts(b, imhe_sections[sec].name);
  sb_putc(b, '[');
  sb_uint(b, i);
  sb_putc(b, ']');
  int f = sec == SEC_WORK         ? WORK_TITLE
          : sec == SEC_TRAINING   ? TRAIN_TITLE
          : sec == SEC_RSC        ? RSC_PROVIDER
          : sec == SEC_REFERENCES ? REF_NAME
          : sec == SEC_LEADERSHIP ? LEAD_ROLE
                                  : -1;
  if (f >= 0 && i < r->sec[sec].n && r->sec[sec].v[i].f[f].present) {
    const struct imhe_text *t = &r->sec[sec].v[i].f[f].v.text;
    sb_puts(b, " (");
    sb_put(b, t->s, t->n > 60 ? 60 : t->n);
    sb_putc(b, ')');
  }
}
