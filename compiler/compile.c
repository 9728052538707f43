/* compile.c — policy chain merging, name resolution, unit and type checks, and code generation.
 * Reads parsed files, resolves every name once through hash tables, emits a program; never touches
 * records. */
#include "compile.h"
#include "../runtime/dates.h"
#include "../runtime/schema.h"
#include "build.h"
#include "lex.h"
#include "parser.h"
#include "symtab.h"
#include "vocab.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHAIN 8
#define ALL_CATS IMHE_ALL_CATS

struct merged {
  struct symtab rules, lets, groups, domains, slot; /* slot: rule id -> order index + 1 */
  struct node **order;                              /* rules in definition order (NULL = removed) */
  uint32_t norder, caporder;
  uint32_t defines;
  int has_defines;
  const char *name;
};

struct compiler {
  struct imhe_arena arena;
  struct diags *d;
  char *dir;          /* where the policy and its bases are read, spelled for diagnostics */
  char *shown_dir;    /* the name of the policy's own directory: "rules" */
  char *top_base;     /* the policy file's own name there (through a symlink, the target's) */
  const char **shown; /* per diagnostic file: the source name stored in the program */
  uint32_t nshown;
  struct symtab files; /* policy name -> struct policy_file* */
  struct builder b;
  struct policy_file *top;
  /* per era, during generation */
  struct merged *m;
  uint32_t era, rule;
  int depth, max_depth;
  struct symtab let_busy;
  int nest;  /* recursion depth of the code generator */
  int quiet; /* generating a 'when' guard: comparisons record nothing */
  uint32_t cat_mask_cache;
  uint64_t hash;
};

/* ---------- loading files ---------- */

static char *read_file(const char *path, size_t *len, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s", strerror(errno));
    return NULL;
  }
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (!buf)
      abort();
    size_t r = fread(buf + n, 1, cap - n, f);
    n += r;
    if (r == 0)
      break;
    if (n == cap) {
      if (cap >= (64u << 20)) {
        snprintf(err, errlen, "file larger than 64 MiB");
        fclose(f);
        free(buf);
        return NULL;
      }
      cap *= 2;
      buf = realloc(buf, cap);
    }
  }
  int bad = ferror(f) ? errno : 0;
  fclose(f);
  if (bad) {
    snprintf(err, errlen, "%s", bad == EISDIR ? "is a directory" : strerror(bad));
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

/* The program cites each source as the policy directory's own name and the file's name in it
 * ("rules/legacy.imhe"), never as the path was spelled: the same policy compiles to the same
 * bytes from any working directory, through any symlink, and reports stay readable. */
static void remember_shown_name(struct compiler *c, uint32_t file, const char *base) {
  if (file >= c->nshown) {
    uint32_t n = file + 8;
    const char **v = imhe_arena_alloc(&c->arena, n * sizeof *v);
    if (!v)
      abort();
    if (c->nshown)
      memcpy(v, c->shown, c->nshown * sizeof *v);
    c->shown = v;
    c->nshown = n;
  }
  c->shown[file] = c->shown_dir[0] ? imhe_arena_printf(&c->arena, "%s/%s", c->shown_dir, base)
                                   : imhe_arena_strndup(&c->arena, base, strlen(base));
}

static const char *shown_name(const struct compiler *c, uint32_t file) {
  return file < c->nshown && c->shown[file] ? c->shown[file] : "";
}

/* Sets c->dir (where bases are read: the directory as spelled, unless the policy is reached
 * through a symlinked file, then its real directory) and c->shown_dir (that directory's own
 * name). */
static void policy_dirs(struct compiler *c, const char *path) {
  const char *slash = strrchr(path, '/');
  c->dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
  char *real = realpath(path, NULL);
  if (!real) { /* unreadable: load_policy reports it; show the spelled name */
    c->shown_dir = strdup("");
    return;
  }
  char *rslash = strrchr(real, '/');
  *rslash = 0;
  char *spelled = realpath(c->dir, NULL);
  if (!spelled || strcmp(spelled, real[0] ? real : "/") != 0) {
    free(c->dir); /* a symlink to the file: its bases are beside the real file */
    c->dir = strdup(real[0] ? real : "/");
  }
  free(spelled);
  const char *name = strrchr(real, '/');
  c->shown_dir = strdup(name ? name + 1 : "");
  c->top_base = strdup(rslash + 1);
  free(real);
}

static struct policy_file *load_policy(struct compiler *c, const char *path, const char *name,
                                       struct loc from, int *fatal) {
  char err[256];
  size_t len;
  char *text = read_file(path, &len, err, sizeof err);
  if (!text) {
    if (from.end)
      diag_error(c->d, from,
                 "a base policy is looked for beside the policy that extends it, as NAME.imhe",
                 "cannot read base policy '%s' (%s): %s", name, path, err);
    else {
      fprintf(c->d->out, "%s: error: cannot read: %s\n", path, err);
      *fatal = 1;
    }
    return NULL;
  }
  uint32_t file = diags_add_file(c->d, path, text, (uint32_t)len);
  const char *slash = strrchr(path, '/');
  remember_shown_name(c, file, c->top || !c->top_base ? (slash ? slash + 1 : path) : c->top_base);
  c->hash = imhe_fnv1a(text, len, c->hash);
  struct policy_file *pf = imhe_arena_alloc(&c->arena, sizeof *pf);
  if (len == 0)
    diag_error(c->d, (struct loc){file, 0, 0}, "a policy starts with: policy NAME",
               "empty policy file");
  else
    imhe_parse(&c->arena, c->d, file, text, len, pf);
  free(text);
  return pf;
}

/* Asked before and after every rule, so it is a counter, not a scan. */
static int diags_errors(const struct diags *d) {
  return d->nerrors > 0;
}

/* ---------- merging a policy chain ---------- */

static void merged_init(struct merged *m) {
  memset(m, 0, sizeof *m);
  symtab_init(&m->rules);
  symtab_init(&m->lets);
  symtab_init(&m->groups);
  symtab_init(&m->domains);
  symtab_init(&m->slot);
}
static void merged_free(struct merged *m) {
  symtab_free(&m->rules);
  symtab_free(&m->lets);
  symtab_free(&m->groups);
  symtab_free(&m->domains);
  symtab_free(&m->slot);
  free(m->order);
}

static uint32_t resolve_cats(struct compiler *c, struct merged *m, struct node *list);

static struct policy_file *find_policy(struct compiler *c, const char *name, struct loc from) {
  struct policy_file *pf = symtab_get(&c->files, name);
  if (pf)
    return pf;
  char path[4096];
  if (!strcmp(c->dir, "."))
    snprintf(path, sizeof path, "%s.imhe", name);
  else if (!strcmp(c->dir, "/"))
    snprintf(path, sizeof path, "/%s.imhe", name);
  else
    snprintf(path, sizeof path, "%s/%s.imhe", c->dir, name);
  int fatal = 0;
  pf = load_policy(c, path, name, from, &fatal);
  if (pf)
    symtab_put(&c->files, imhe_arena_strndup(&c->arena, name, strlen(name)), pf);
  return pf;
}

static void merge_file(struct compiler *c, struct merged *m, struct policy_file *pf, int depth);

static void merge_bases(struct compiler *c, struct merged *m, struct policy_file *pf, int depth) {
  if (!pf->bases)
    return;
  if (pf->bases->nkids != 1 || pf->bases->kids[0]->op) {
    diag_error(c->d, pf->bases->loc,
               "only the policy named on the command line may switch bases by date",
               "a base policy may extend one policy, without dates");
    return;
  }
  struct node *bn = pf->bases->kids[0];
  if (depth >= MAX_CHAIN) {
    diag_error(c->d, bn->loc, NULL, "policy chain deeper than %d (a cycle?)", MAX_CHAIN);
    return;
  }
  struct policy_file *base = find_policy(c, bn->s, bn->loc);
  if (base)
    merge_file(c, m, base, depth + 1);
}

static void merge_file(struct compiler *c, struct merged *m, struct policy_file *pf, int depth) {
  merge_bases(c, m, pf, depth);
  struct symtab own;
  symtab_init(&own);
  for (struct node *it = pf->items; it; it = it->next) {
    switch (it->kind) {
    case I_RULE: {
      struct node *prev = symtab_get(&m->rules, it->s);
      if (prev == (void *)m) /* removed by a base: free to define again */
        prev = NULL;
      struct node *here = symtab_get(&own, it->s);
      if (here) {
        diag_error(c->d, it->loc2, "rule ids are unique within a policy", "duplicate rule id '%s'",
                   it->s);
        break;
      }
      symtab_put(&own, it->s, it);
      if (prev && !(it->op & RF_OVERRIDE)) {
        diag_error(c->d, it->loc2, "write 'override rule ...' to replace a base rule",
                   "rule '%s' is already defined by a base policy", it->s);
        break;
      }
      if (!prev && (it->op & RF_OVERRIDE)) {
        const char *near = symtab_nearest(&m->rules, it->s);
        char hint[300];
        if (near)
          snprintf(hint, sizeof hint, "did you mean '%s'?", near);
        diag_error(c->d, it->loc2, near ? hint : "override names a rule of a base policy",
                   "override of rule '%s' overrides nothing", it->s);
        break;
      }
      if (prev) {
        m->order[(uintptr_t)symtab_get(&m->slot, it->s) - 1] = it;
      } else {
        *(struct node **)build_push((void **)&m->order, &m->norder, &m->caporder,
                                    sizeof(struct node *)) = it;
        symtab_put(&m->slot, it->s, (void *)(uintptr_t)m->norder);
      }
      symtab_put(&m->rules, it->s, it);
      break;
    }
    case I_REMOVE: {
      struct node *prev = symtab_get(&m->rules, it->s);
      if (!prev || prev == (void *)m) {
        const char *near = symtab_nearest(&m->rules, it->s);
        char hint[300];
        if (near)
          snprintf(hint, sizeof hint, "did you mean '%s'?", near);
        diag_error(c->d, it->loc2, near ? hint : NULL, "removed rule '%s' does not exist", it->s);
        break;
      }
      m->order[(uintptr_t)symtab_get(&m->slot, it->s) - 1] = NULL;
      symtab_put(&m->rules, it->s, (void *)m); /* tombstone */
      break;
    }
    case I_LET: {
      char key[256];
      snprintf(key, sizeof key, "let %s", it->s);
      if (symtab_get(&own, imhe_arena_strndup(&c->arena, key, strlen(key)))) {
        diag_error(c->d, it->loc2, NULL, "'%s' is defined twice in this file", it->s);
        break;
      }
      symtab_put(&own, imhe_arena_strndup(&c->arena, key, strlen(key)), it);
      symtab_put(&m->lets, it->s, it);
      break;
    }
    case I_GROUP:
      if (imhe_category_lookup(it->s, strlen(it->s)) >= 0) {
        diag_error(c->d, it->loc2, NULL, "group '%s' has the name of a category", it->s);
        break;
      }
      if (!strcmp(it->s, "none")) { /* `for none` in a catalogue part means no category */
        diag_error(c->d, it->loc2, NULL, "a group may not be named 'none'");
        break;
      }
      if (symtab_get(&m->groups, it->s)) {
        diag_error(c->d, it->loc2, NULL, "group '%s' is defined twice", it->s);
        break;
      }
      symtab_put(&m->groups, it->s, it);
      resolve_cats(c, m, it->b); /* checks the names now, in order */
      break;
    case I_DOMAIN:
      if (symtab_get(&m->domains, it->s)) {
        diag_error(c->d, it->loc2, NULL, "domain '%s' is defined twice", it->s);
        break;
      }
      symtab_put(&m->domains, it->s, it);
      break;
    case I_DEFINES:
      m->has_defines = 1;
      m->defines |= resolve_cats(c, m, it->b);
      break;
    default:
      break;
    }
  }
  symtab_free(&own);
  m->name = pf->name;
}

/* ---------- names ---------- */

static void unknown(struct compiler *c, struct loc l, const char *what, const char *name,
                    const char *near) {
  char hint[300];
  if (near)
    snprintf(hint, sizeof hint, "did you mean '%s'?", near);
  diag_error(c->d, l, near ? hint : NULL, "unknown %s '%s'", what, name);
}

static const char *nearest_in(const char *const *names, int n, const char *s) {
  const char *best = NULL;
  unsigned bd = 3;
  for (int i = 0; i < n; i++) {
    unsigned d = imhe_edit_distance(s, strlen(s), names[i]);
    if (d < bd) {
      bd = d;
      best = names[i];
    }
  }
  return best;
}

static uint32_t group_mask(struct compiler *c, struct merged *m, struct node *g, int depth) {
  uint32_t mask = 0;
  if (depth > 16) {
    /* groups name only earlier groups, so this is depth, not a cycle: refuse it rather than
     * drop categories silently */
    diag_error(c->d, g->loc2, "name some categories directly", "groups nested more than 16 deep");
    return 0;
  }
  for (uint32_t i = 0; g->b && i < g->b->nkids; i++) {
    struct node *n = g->b->kids[i];
    int cat = imhe_category_lookup(n->s, strlen(n->s));
    if (cat >= 0)
      mask |= 1u << cat;
    else if (!strcmp(n->s, "all"))
      mask |= ALL_CATS;
    else {
      struct node *sub = symtab_get(&m->groups, n->s);
      if (sub && sub != g)
        mask |= group_mask(c, m, sub, depth + 1);
    }
  }
  return mask;
}

static uint32_t resolve_cats(struct compiler *c, struct merged *m, struct node *list) {
  uint32_t mask = 0;
  for (uint32_t i = 0; list && i < list->nkids; i++) {
    struct node *n = list->kids[i];
    int cat = imhe_category_lookup(n->s, strlen(n->s));
    if (cat >= 0) {
      mask |= 1u << cat;
      continue;
    }
    if (!strcmp(n->s, "all")) {
      mask |= ALL_CATS;
      continue;
    }
    if (!strcmp(n->s, "renewal") || !strcmp(n->s, "reinstatement")) {
      mask |= n->s[2] == 'n' ? IMHE_KIND_RENEWAL_BIT : IMHE_KIND_REINSTATEMENT_BIT;
      continue;
    }
    struct node *g = symtab_get(&m->groups, n->s);
    if (g) {
      mask |= group_mask(c, m, g, 0);
      continue;
    }
    const char *near = symtab_nearest(&m->groups, n->s);
    if (!near)
      near = nearest_in(imhe_category_code, CAT__COUNT, n->s);
    unknown(c, n->loc, "category or group", n->s, near);
  }
  return mask;
}

/* ---------- code generation ---------- */

enum { T_ERR, T_NUM, T_DATE, T_BOOL, T_TRI, T_COLL, T_PROJ };
struct ty {
  int t, unit, disp, sec, field;
};
static const struct ty TERR = {T_ERR, 0, 0, 0, 0};

static const char *ty_name(const struct ty *t) {
  switch (t->t) {
  case T_NUM:
    return "a quantity";
  case T_DATE:
    return "a date";
  case T_BOOL:
    return "a yes/no fact";
  case T_TRI:
    return "a pass/fail/pending fact";
  case T_COLL:
    return "a list of entries";
  case T_PROJ:
    return "a field of a list of entries";
  }
  return "this";
}

static uint32_t line_of(struct compiler *c, struct loc l) {
  uint32_t line, col;
  diag_linecol(c->d, l.file, l.start, &line, &col);
  return line;
}

static void emit(struct compiler *c, struct loc l, int op, int a, int b, uint32_t cc) {
  const struct imhe_opinfo *oi = &imhe_ops[op];
  int pops = 0, pushes = 0;
  for (const char *s = oi->pops; *s; s++)
    pops += (*s != ' ' && *s != '/' && (s == oi->pops || s[-1] == ' '));
  for (const char *s = oi->pushes; *s; s++)
    pushes += (*s != ' ' && *s != '/' && *s != '!' && (s == oi->pushes || s[-1] == ' '));
  c->depth += pushes - pops;
  if (c->depth > c->max_depth)
    c->max_depth = c->depth;
  build_emit(&c->b, (uint8_t)op, (uint8_t)a, (uint16_t)b, cc, line_of(c, l));
}

static const struct {
  const char *word;
  int unit, disp;
  double scale;
} unit_words[] = {
#define X(w, unit, scale, disp) {w, UNIT_##unit, DISP_##disp, scale},
    IMHE_UNIT_WORDS(X)
#undef X
};
#define NUNIT_WORDS ((int)(sizeof unit_words / sizeof *unit_words))

static int unit_of_word(const char *w, double *scale, int *disp) {
  *scale = 1;
  *disp = DISP_PLAIN;
  if (!w)
    return UNIT_NONE;
  for (int i = 0; i < NUNIT_WORDS; i++)
    if (!strcmp(w, unit_words[i].word)) {
      *scale = unit_words[i].scale;
      *disp = unit_words[i].disp;
      return unit_words[i].unit;
    }
  return -1;
}

static int degree_value(const char *s) {
  int d = imhe_enum_lookup(ENUM_DEGREE, s, strlen(s));
  return d < 0 ? -1 : d >= 2 ? 3 : d + 1;
}

static int has_range(int sec) {
  return imhe_sections[sec].start >= 0;
}

static struct ty gen_value(struct compiler *c, struct node *n);
static struct ty gen_cond(struct compiler *c, struct node *n, const char *label, int top);

static struct ty want_coll(struct compiler *c, struct node *n, const char *fn) {
  struct ty t = gen_value(c, n);
  if (t.t == T_PROJ) {
    diag_error(c->d, n->loc, "drop the '.field' part", "%s takes entries, not one field of them",
               fn);
    return TERR;
  }
  if (t.t != T_COLL && t.t != T_ERR) {
    diag_error(c->d, n->loc, "for example: work where kind = paid",
               "%s needs a list of record entries", fn);
    return TERR;
  }
  return t;
}

static const char *field_names(int sec, char *buf, size_t cap) {
  size_t k = 0;
  buf[0] = 0;
  for (int i = 0; i < imhe_sections[sec].nfields && k + 30 < cap; i++)
    k += (size_t)snprintf(buf + k, cap - k, "%s%s", i ? ", " : "",
                          imhe_sections[sec].fields[i].name);
  return buf;
}

static int field_of(struct compiler *c, struct node *n, int sec) {
  if (n->kind != N_NAME) {
    diag_error(c->d, n->loc, "compare a field of the entries, e.g. kind = paid",
               "expected a field name of %s", imhe_sections[sec].name);
    return -1;
  }
  int f = imhe_field_lookup(sec, n->s, strlen(n->s));
  if (f < 0) {
    const char *names[IMHE_MAX_FIELDS];
    for (int i = 0; i < imhe_sections[sec].nfields; i++)
      names[i] = imhe_sections[sec].fields[i].name;
    const char *near = nearest_in(names, imhe_sections[sec].nfields, n->s);
    char hint[400], list[300];
    if (near)
      snprintf(hint, sizeof hint, "did you mean '%s'?", near);
    else
      snprintf(hint, sizeof hint, "%s entries have: %s", imhe_sections[sec].name,
               field_names(sec, list, sizeof list));
    diag_error(c->d, n->loc, hint, "unknown field '%s' of %s", n->s, imhe_sections[sec].name);
  }
  return f;
}

/* A set of enum values written as `v` or `(v1, v2, ...)`. */
static int enum_mask(struct compiler *c, struct node *n, int e, uint32_t *mask) {
  *mask = 0;
  struct node *one[1] = {n};
  struct node **v = n->kind == N_LIST ? n->kids : one;
  uint32_t cnt = n->kind == N_LIST ? n->nkids : 1;
  int ok = 1;
  for (uint32_t i = 0; i < cnt; i++) {
    if (v[i]->kind != N_NAME) {
      diag_error(c->d, v[i]->loc, NULL, "expected a %s value", imhe_enum_name[e]);
      ok = 0;
      continue;
    }
    int x = imhe_enum_lookup((enum imhe_enum)e, v[i]->s, strlen(v[i]->s));
    if (x < 0) {
      int nv;
      const char *const *vals = imhe_enum_values((enum imhe_enum)e, &nv);
      unknown(c, v[i]->loc, imhe_enum_name[e], v[i]->s, nearest_in(vals, nv, v[i]->s));
      ok = 0;
      continue;
    }
    *mask |= 1u << x;
  }
  return ok;
}

static int cmp_of(int tok) {
  switch (tok) {
  case GE:
    return CMP_GE;
  case GT:
    return CMP_GT;
  case LE:
    return CMP_LE;
  case LT:
    return CMP_LT;
  case EQ:
    return CMP_EQ;
  case NE:
    return CMP_NE;
  }
  return -1;
}

/* Emits filters for predicate `n` over a collection of `sec` on the stack. */
static void gen_pred_inner(struct compiler *c, struct node *n, int sec);
static void gen_pred(struct compiler *c, struct node *n, int sec) {
  if (c->nest > 200) {
    diag_error(c->d, n->loc, NULL, "filter nested too deeply");
    return;
  }
  c->nest++;
  gen_pred_inner(c, n, sec);
  c->nest--;
}

static void gen_pred_inner(struct compiler *c, struct node *n, int sec) {
  if (n->kind == N_BIN && n->op == AND) {
    gen_pred(c, n->a, sec);
    gen_pred(c, n->b, sec);
    return;
  }
  if (n->kind == N_BIN && n->op == OR) {
    emit(c, n->loc, OP_DUP, 0, 0, 0);
    gen_pred(c, n->a, sec);
    emit(c, n->loc, OP_SWAP, 0, 0, 0);
    gen_pred(c, n->b, sec);
    emit(c, n->loc, OP_UNION, 0, 0, 0);
    return;
  }
  if (n->kind == N_NOT) {
    emit(c, n->loc, OP_DUP, 0, 0, 0);
    gen_pred(c, n->a, sec);
    emit(c, n->loc, OP_MINUS, 0, 0, 0);
    return;
  }
  if (n->kind == N_NAME && !strcmp(n->s, "current")) {
    if (!has_range(sec))
      diag_error(c->d, n->loc, NULL, "%s entries have no date range", imhe_sections[sec].name);
    emit(c, n->loc, OP_F_CURRENT, 0, 0, 0);
    return;
  }
  if (n->kind == N_CALL && !strcmp(n->s, "overlaps")) {
    if (n->nkids != 1) {
      diag_error(c->d, n->loc, NULL, "overlaps takes one list of entries");
      return;
    }
    struct ty t = want_coll(c, n->kids[0], "overlaps");
    if (t.t == T_COLL && (!has_range(t.sec) || !has_range(sec)))
      diag_error(c->d, n->loc, NULL, "overlaps compares entries with date ranges");
    emit(c, n->loc, OP_F_OVERLAP, 0, 0, 0);
    return;
  }
  if (n->kind == N_NAME) {
    int f = field_of(c, n, sec);
    if (f < 0)
      return;
    const struct imhe_field_desc *fd = &imhe_sections[sec].fields[f];
    if (fd->kind == FT_BOOL)
      emit(c, n->loc, OP_F_BOOL, f, sec, 1);
    else if (fd->kind == FT_TEXT || fd->kind == FT_DATE)
      emit(c, n->loc, OP_F_PRESENT, f, sec, 1);
    else
      diag_error(c->d, n->loc, "compare it, e.g. kind = paid", "field '%s' is not a yes/no field",
                 n->s);
    return;
  }
  if (n->kind == N_BIN && (n->op == IN || cmp_of(n->op) >= 0)) {
    int f = field_of(c, n->a, sec);
    if (f < 0)
      return;
    const struct imhe_field_desc *fd = &imhe_sections[sec].fields[f];
    if (n->op == IN && fd->kind == FT_SET && n->b->kind == N_NAME && !strcmp(n->b->s, "track")) {
      if (fd->arg != ENUM_AGE)
        diag_error(c->d, n->b->loc, NULL, "only ages can serve a track");
      emit(c, n->loc, OP_F_TRACK, f, sec, 0);
      return;
    }
    if (fd->kind == FT_ENUM || fd->kind == FT_SET) {
      uint32_t mask;
      if (n->op != IN && n->op != EQ && n->op != NE) {
        diag_error(c->d, n->loc, "use =, != or in", "%s values have no order",
                   imhe_enum_name[fd->arg]);
        return;
      }
      if (n->op != IN && n->b->kind == N_LIST) {
        diag_error(c->d, n->b->loc, "write: field in (a, b)", "a list needs 'in'");
        return;
      }
      if (!enum_mask(c, n->b, fd->arg, &mask))
        return;
      if (n->op == NE) {
        int nv;
        imhe_enum_values((enum imhe_enum)fd->arg, &nv);
        mask = ~mask & ((nv >= 32) ? 0xffffffffu : ((1u << nv) - 1));
      }
      emit(c, n->loc, fd->kind == FT_SET ? OP_F_SET : OP_F_ENUM, f, sec, mask);
      return;
    }
    if (n->op == IN) {
      diag_error(c->d, n->loc, NULL, "'in' needs a field with listed values");
      return;
    }
    if (fd->kind == FT_NUM || fd->kind == FT_DATE) {
      struct ty t = gen_value(c, n->b);
      if (t.t == T_ERR)
        return;
      if (fd->kind == FT_DATE && t.t != T_DATE)
        diag_error(c->d, n->b->loc, "e.g. start <= as_of",
                   "field '%s' is a date; compare it with a date", fd->name);
      else if (fd->kind == FT_NUM && (t.t != T_NUM || (t.unit != fd->arg && t.unit != UNIT_NONE)))
        diag_error(c->d, n->b->loc, NULL, "field '%s' is in %s; compare it with %s", fd->name,
                   imhe_unit_name[fd->arg], imhe_unit_name[fd->arg]);
      emit(c, n->loc, OP_F_CMP, f, sec, (uint32_t)cmp_of(n->op));
      return;
    }
    diag_error(c->d, n->loc, NULL, "field '%s' cannot be compared", fd->name);
    return;
  }
  diag_error(c->d, n->loc,
             "a filter is a field comparison, e.g. kind = paid, or several in parentheses joined "
             "by and/or",
             "not a filter condition");
}

static int domain_index(struct compiler *c, struct node *n) {
  if (n->kind == N_NAME) {
    struct node *d = symtab_get(&c->m->domains, n->s);
    if (d) {
      for (uint32_t i = 0; i < c->b.p.ndomains; i++)
        if (!strcmp(imhe_str(&c->b.p, c->b.p.domains[i].code), n->s))
          return (int)i;
    }
    unknown(c, n->loc, "competency domain", n->s, symtab_nearest(&c->m->domains, n->s));
    return -1;
  }
  diag_error(c->d, n->loc, NULL, "expected a competency domain code, e.g. TF");
  return -1;
}

static struct ty num(int unit, int disp) {
  struct ty t = {T_NUM, unit, disp, 0, 0};
  return t;
}

static struct ty gen_call(struct compiler *c, struct node *n) {
  const char *f = n->s;
  uint32_t k = n->nkids;
  struct node **a = n->kids;
#define ARGS(want)                                                                                 \
  if (k != (want)) {                                                                               \
    diag_error(c->d, n->loc, NULL, "%s takes %d argument%s, not %u", f, want,                      \
               (want) == 1 ? "" : "s", k);                                                         \
    return TERR;                                                                                   \
  }
  if (!strcmp(f, "sum")) {
    ARGS(1);
    struct ty t = gen_value(c, a[0]);
    if (t.t == T_ERR)
      return TERR;
    if (t.t != T_PROJ || imhe_sections[t.sec].fields[t.field].kind != FT_NUM) {
      diag_error(c->d, a[0]->loc, "e.g. sum(training.hours)",
                 "sum needs a numeric field of entries");
      return TERR;
    }
    emit(c, n->loc, OP_SUM, t.field, t.sec, 0);
    return num(imhe_sections[t.sec].fields[t.field].arg, DISP_PLAIN);
  }
  if (!strcmp(f, "count")) {
    ARGS(1);
    if (want_coll(c, a[0], f).t != T_COLL)
      return TERR;
    emit(c, n->loc, OP_COUNT, 0, 0, 0);
    return num(UNIT_COUNT, DISP_PLAIN);
  }
  if (!strcmp(f, "received") && k == 2) {
    struct ty t = want_coll(c, a[0], f);
    if (t.t != T_COLL)
      return TERR;
    if (t.sec != SEC_RSC)
      diag_error(c->d, a[0]->loc, NULL, "received spreads RSC hours: it needs rsc entries");
    struct ty d = gen_value(c, a[1]);
    if (d.t != T_DATE) {
      if (d.t != T_ERR)
        diag_error(c->d, a[1]->loc, "e.g. received(qualified_rsc, as_of - 3 years)",
                   "the second argument of received is the date the period starts after");
      return TERR;
    }
    emit(c, n->loc, OP_RECEIVED_SINCE, 0, 0, 0);
    return num(UNIT_HOURS, DISP_PLAIN);
  }
  if (!strcmp(f, "years") || !strcmp(f, "years_post_masters") || !strcmp(f, "coverage") ||
      !strcmp(f, "received")) {
    ARGS(1);
    struct ty t = want_coll(c, a[0], f);
    if (t.t != T_COLL)
      return TERR;
    if (!has_range(t.sec) || (!strcmp(f, "received") && t.sec != SEC_RSC)) {
      diag_error(c->d, a[0]->loc, NULL, "%s needs entries with date ranges%s", f,
                 !strcmp(f, "received") ? " of rsc" : "");
      return TERR;
    }
    if (!strcmp(f, "coverage"))
      emit(c, n->loc, OP_COVER, 0, 0, 0);
    else if (!strcmp(f, "received")) {
      emit(c, n->loc, OP_RECEIVED, 0, 0, 0);
      return num(UNIT_HOURS, DISP_PLAIN);
    } else
      emit(c, n->loc, OP_YEARS, 0, 0, f[5] == '_');
    return num(UNIT_DAYS, f[0] == 'y' ? DISP_YEARS : DISP_PLAIN);
  }
  if (!strcmp(f, "window")) {
    ARGS(2);
    struct ty t = want_coll(c, a[0], f);
    if (t.t != T_COLL)
      return TERR;
    if (t.sec != SEC_RSC)
      diag_error(c->d, a[0]->loc, NULL, "window spreads RSC hours: it needs rsc entries");
    double scale;
    int disp;
    if (a[1]->kind != N_NUM || unit_of_word(a[1]->s, &scale, &disp) != UNIT_MONTHS ||
        a[1]->num < 1 || a[1]->num > 600 || a[1]->num != (int)a[1]->num) {
      diag_error(c->d, a[1]->loc, "e.g. window(qualified_rsc, 24 months)",
                 "the window's length is a whole number of months");
      return TERR;
    }
    emit(c, n->loc, OP_WINDOW, 0, 0, (uint32_t)a[1]->num);
    return num(UNIT_HOURS, DISP_PLAIN);
  }
  if (!strcmp(f, "slots")) {
    if (k < 2 || k > 9) {
      diag_error(c->d, n->loc,
                 "e.g. slots(completed_references, (supervisor, teacher), (rsc_provider))",
                 "slots takes references and 1 to 8 sets of roles");
      return TERR;
    }
    struct ty t = want_coll(c, a[0], f);
    if (t.t != T_COLL)
      return TERR;
    if (t.sec != SEC_REFERENCES)
      diag_error(c->d, a[0]->loc, NULL, "slots matches references to roles");
    struct imhe_slotset *ss = BUILD_PUSH(&c->b, slotsets, nslotsets, 5);
    ss->first = c->b.p.nslot_masks;
    ss->count = k - 1;
    for (uint32_t i = 1; i < k; i++) {
      uint32_t mask = 0;
      enum_mask(c, a[i], ENUM_ROLE, &mask);
      *BUILD_PUSH(&c->b, slot_masks, nslot_masks, 6) = mask;
    }
    emit(c, n->loc, OP_SLOTS, 0, 0, c->b.p.nslotsets - 1);
    return num(UNIT_COUNT, DISP_PLAIN);
  }
  if (!strcmp(f, "competencies") || !strcmp(f, "half")) {
    ARGS(1);
    int d = domain_index(c, a[0]);
    if (d < 0)
      return TERR;
    emit(c, n->loc, f[0] == 'c' ? OP_COMPS : OP_HALF, d, 0, 0);
    return num(UNIT_COUNT, DISP_PLAIN);
  }
  if (!strcmp(f, "credential")) {
    ARGS(1);
    uint32_t mask;
    if (a[0]->kind != N_NAME) {
      diag_error(c->d, a[0]->loc,
                 "one credential each: credential(cda) or credential(infant_toddler_credential)",
                 "credential names one credential");
      return TERR;
    }
    if (!enum_mask(c, a[0], ENUM_CREDENTIAL, &mask))
      return TERR;
    emit(c, n->loc, OP_CRED, imhe_enum_lookup(ENUM_CREDENTIAL, a[0]->s, strlen(a[0]->s)), 0, 0);
    return (struct ty){T_BOOL, 0, 0, 0, 0};
  }
  if (!strcmp(f, "min") || !strcmp(f, "max")) {
    ARGS(2);
    struct ty l = gen_value(c, a[0]), r = gen_value(c, a[1]);
    if (l.t != T_NUM || r.t != T_NUM) {
      if (l.t != T_ERR && r.t != T_ERR)
        diag_error(c->d, n->loc, NULL, "%s compares two quantities", f);
      return TERR;
    }
    if (l.unit != r.unit && l.unit != UNIT_NONE && r.unit != UNIT_NONE) {
      diag_error(c->d, n->loc, NULL, "%s of %s and %s: units differ", f, imhe_unit_name[l.unit],
                 imhe_unit_name[r.unit]);
      return TERR;
    }
    emit(c, n->loc, f[1] == 'i' ? OP_MIN : OP_MAX, 0, 0, 0);
    return num(l.unit ? l.unit : r.unit, l.disp);
  }
  /* The measures, and `overlaps` so that a filter written as a measure is named as one. */
  static const char *const known[] = {
#define X(name) name,
      IMHE_MEASURES(X) "overlaps"
#undef X
  };
  if (!strcmp(f, "overlaps"))
    diag_error(c->d, n->loc, "use it in a filter: rsc where overlaps(rsc_provided)",
               "overlaps is a filter condition");
  else
    unknown(c, n->loc2, "measure", f, nearest_in(known, (int)(sizeof known / sizeof *known), f));
  return TERR;
#undef ARGS
}

static struct ty gen_name(struct compiler *c, struct node *n) {
  const char *s = n->s;
  int sec = imhe_section_lookup(s, strlen(s));
  if (sec >= 0) {
    emit(c, n->loc, OP_SECTION, sec, 0, 0);
    return (struct ty){T_COLL, 0, 0, sec, 0};
  }
  struct node *let = symtab_get(&c->m->lets, s);
  if (let) {
    if (symtab_get(&c->let_busy, s)) {
      diag_error(c->d, n->loc, "a definition may use only other definitions",
                 "'%s' refers to itself", s);
      return TERR;
    }
    symtab_put(&c->let_busy, s, let);
    struct ty t = gen_value(c, let->a);
    symtab_put(&c->let_busy, s, NULL);
    return t;
  }
  if (!strcmp(s, "as_of")) {
    emit(c, n->loc, OP_ASOF, 0, 0, 0);
    return (struct ty){T_DATE, 0, 0, 0, 0};
  }
  if (!strcmp(s, "degree")) {
    emit(c, n->loc, OP_DEGREE, 0, 0, 0);
    return num(UNIT_DEGREE, DISP_DEGREE);
  }
  if (!strcmp(s, "years_endorsed")) {
    emit(c, n->loc, OP_ENDORSED, 0, 0, 0);
    return num(UNIT_COUNT, DISP_PLAIN);
  }
  if (!strcmp(s, "overcapped_training")) {
    emit(c, n->loc, OP_CAPVIOL, 0, 0, 0);
    return num(UNIT_COUNT, DISP_PLAIN);
  }
  if (!strcmp(s, "education_competency_faults")) {
    emit(c, n->loc, OP_EDUVIOL, 0, 0, 0);
    return num(UNIT_COUNT, DISP_PLAIN);
  }
  int dv = degree_value(s);
  if (dv >= 0) {
    emit(c, n->loc, OP_CONST, UNIT_DEGREE, 0, build_const(&c->b, dv));
    return num(UNIT_DEGREE, DISP_DEGREE);
  }
  for (int i = 0; i < FACT__COUNT; i++)
    if (!strcmp(s, imhe_fact_name[i])) {
      emit(c, n->loc, OP_FACT, i, 0, 0);
      return (struct ty){imhe_fact_type[i] == 'T' ? T_TRI : T_BOOL, 0, 0, 0, 0};
    }
  /* Did you mean: definitions, facts, named values, sections. */
  const char *near = symtab_nearest(&c->m->lets, s);
  if (!near)
    near = nearest_in(imhe_fact_name, FACT__COUNT, s);
  if (!near) {
    static const char *const values[] = {
#define X(name) name,
        IMHE_NAMED_VALUES(X)
#undef X
    };
    near = nearest_in(values, (int)(sizeof values / sizeof *values), s);
  }
  if (!near) {
    const char *secs[SEC__COUNT];
    for (int i = 0; i < SEC__COUNT; i++)
      secs[i] = imhe_sections[i].name;
    near = nearest_in(secs, SEC__COUNT, s);
  }
  unknown(c, n->loc, "name", s, near);
  return TERR;
}

static struct ty gen_value_inner(struct compiler *c, struct node *n);

/* Every recursive descent passes here, so no policy can exhaust the stack. */
static struct ty gen_value(struct compiler *c, struct node *n) {
  if (c->nest > 200) {
    diag_error(c->d, n->loc, "split it into named definitions with 'let'",
               "expression nested too deeply");
    return TERR;
  }
  c->nest++;
  struct ty t = gen_value_inner(c, n);
  c->nest--;
  return t;
}

static struct ty gen_value_inner(struct compiler *c, struct node *n) {
  switch (n->kind) {
  case N_NUM: {
    double scale;
    int disp;
    int unit = unit_of_word(n->s, &scale, &disp);
    if (unit < 0) {
      const char *units[NUNIT_WORDS];
      for (int i = 0; i < NUNIT_WORDS; i++)
        units[i] = unit_words[i].word;
      unknown(c, n->loc2, "unit", n->s, nearest_in(units, NUNIT_WORDS, n->s));
      return TERR;
    }
    emit(c, n->loc, OP_CONST, unit, 0, build_const(&c->b, n->num * scale));
    return num(unit, disp);
  }
  case N_MONEY:
    emit(c, n->loc, OP_CONST, UNIT_MONEY, 0, build_const(&c->b, n->num));
    return num(UNIT_MONEY, DISP_PLAIN);
  case N_DATE:
    emit(c, n->loc, OP_DATE, 0, 0, (uint32_t)(int32_t)n->num);
    return (struct ty){T_DATE, 0, 0, 0, 0};
  case N_NAME:
    return gen_name(c, n);
  case N_CALL:
    return gen_call(c, n);
  case N_FIELD: {
    struct ty t = gen_value(c, n->a);
    if (t.t == T_ERR)
      return TERR;
    if (t.t != T_COLL) {
      diag_error(c->d, n->loc, NULL, "'.%s' needs a list of entries on its left", n->s);
      return TERR;
    }
    struct node fn = *n;
    fn.kind = N_NAME;
    fn.loc = n->loc2;
    int f = field_of(c, &fn, t.sec);
    if (f < 0)
      return TERR;
    t.t = T_PROJ;
    t.field = f;
    return t;
  }
  case N_WHERE: {
    struct ty t = gen_value(c, n->a);
    if (t.t == T_ERR)
      return TERR;
    if (t.t != T_COLL && t.t != T_PROJ) {
      diag_error(c->d, n->a->loc, NULL, "'where' filters a list of record entries");
      return TERR;
    }
    gen_pred(c, n->b, t.sec);
    return t;
  }
  case N_BIN:
    if ((n->op == PLUS || n->op == MINUS) && n->b->kind == N_NUM && n->b->s &&
        (!strcmp(n->b->s, "month") || !strcmp(n->b->s, "months") || !strcmp(n->b->s, "year") ||
         !strcmp(n->b->s, "years"))) {
      /* a date moved by calendar months: as_of - 12 months */
      struct ty l = gen_value(c, n->a);
      if (l.t == T_DATE) {
        double months = n->b->num * (n->b->s[0] == 'y' ? 12 : 1);
        if (months != (int)months || months > 1200) {
          diag_error(c->d, n->b->loc, NULL,
                     "a date moves by a whole number of months (at most 100 years)");
          return TERR;
        }
        emit(c, n->loc, OP_DMONTHS, 0, 0, (uint32_t)(int32_t)(n->op == MINUS ? -months : months));
        return (struct ty){T_DATE, 0, 0, 0, 0};
      }
      if (l.t == T_ERR)
        return TERR;
      struct ty r = gen_value(c, n->b);
      if (r.t == T_ERR)
        return TERR;
      if (l.t != T_NUM || l.unit != r.unit) {
        diag_error(c->d, n->loc, "both sides need the same kind of unit", "cannot %s %s and %s",
                   n->op == PLUS ? "add" : "subtract", ty_name(&l), imhe_unit_name[r.unit]);
        return TERR;
      }
      emit(c, n->loc, n->op == PLUS ? OP_ADD : OP_SUB, 0, 0, 0);
      return num(l.unit, l.disp);
    }
    if (n->op == PLUS || n->op == MINUS) {
      struct ty l = gen_value(c, n->a), r = gen_value(c, n->b);
      if (l.t == T_ERR || r.t == T_ERR)
        return TERR;
      if (l.t != T_NUM || r.t != T_NUM) {
        diag_error(c->d, n->loc, NULL, "'%s' adds or subtracts quantities",
                   n->op == PLUS ? "+" : "-");
        return TERR;
      }
      if (l.unit != r.unit && l.unit != UNIT_NONE && r.unit != UNIT_NONE) {
        diag_error(c->d, n->loc, "both sides need the same kind of unit", "cannot %s %s and %s",
                   n->op == PLUS ? "add" : "subtract", imhe_unit_name[l.unit],
                   imhe_unit_name[r.unit]);
        return TERR;
      }
      emit(c, n->loc, n->op == PLUS ? OP_ADD : OP_SUB, 0, 0, 0);
      return num(l.unit ? l.unit : r.unit, l.disp);
    }
    return gen_cond(c, n, NULL, 0);
  case N_NOT:
  case N_ALLOF:
  case N_ANYOF:
    return gen_cond(c, n, NULL, 0);
  case N_STR:
    diag_error(c->d, n->loc, "text is used only for sentences and labels", "unexpected text here");
    return TERR;
  default:
    diag_error(c->d, n->loc, NULL, "unexpected expression");
    return TERR;
  }
}

static uint32_t add_cond(struct compiler *c, struct node *n, const char *label, int disp,
                         int unit) {
  struct imhe_cond *cd = BUILD_PUSH(&c->b, conds, nconds, 7);
  cd->rule = c->rule;
  cd->desc = build_str(&c->b, label ? label : "");
  uint32_t line, col;
  diag_linecol(c->d, n->loc.file, n->loc.start, &line, &col);
  cd->line = line;
  cd->col = col;
  cd->display = (uint8_t)disp;
  cd->unit = (uint8_t)unit;
  return c->b.p.nconds - 1;
}

static int units_compatible(int a, int b) {
  if (a == b)
    return 1;
  int an = a == UNIT_NONE || a == UNIT_COUNT, bn = b == UNIT_NONE || b == UNIT_COUNT;
  return an && bn;
}

static struct ty gen_cond_inner(struct compiler *c, struct node *n, const char *label, int top);
static struct ty gen_cond(struct compiler *c, struct node *n, const char *label, int top) {
  if (c->nest > 200) {
    diag_error(c->d, n->loc, "split it into named definitions with 'let'",
               "condition nested too deeply");
    return TERR;
  }
  c->nest++;
  struct ty t = gen_cond_inner(c, n, label, top);
  c->nest--;
  return t;
}

static struct ty gen_cond_inner(struct compiler *c, struct node *n, const char *label, int top) {
  const struct ty tb = {T_BOOL, 0, 0, 0, 0};
  if (n->kind == N_BIN && n->op == IN) {
    diag_error(c->d, n->loc, "e.g. work where scope in (prevention, intervention)",
               "'in' compares a field of entries: use it after 'where'");
    return TERR;
  }
  if (n->kind == N_BIN && (n->op == AND || n->op == OR)) {
    struct ty l = gen_cond(c, n->a, label, 0), r = gen_cond(c, n->b, label, 0);
    if (l.t == T_ERR || r.t == T_ERR)
      return TERR;
    emit(c, n->loc, n->op == AND ? OP_AND : OP_OR, 0, 0, 0);
    return tb;
  }
  if (n->kind == N_NOT) {
    if (gen_cond(c, n->a, label, 0).t == T_ERR)
      return TERR;
    emit(c, n->loc, OP_NOT, 0, 0, 0);
    return tb;
  }
  if ((n->kind == N_ALLOF || n->kind == N_ANYOF) && c->quiet) {
    diag_error(c->d, n->loc, "a guard is a plain yes/no test; put alternatives in the condition",
               "'all of' and 'any of' are not allowed in a 'when' guard");
    return TERR;
  }
  if (n->kind == N_ALLOF || n->kind == N_ANYOF) {
    for (uint32_t i = 0; i < n->nkids; i++) {
      struct node *br = n->kids[i];
      for (uint32_t j = 0; j < i; j++) {
        struct node *prev = n->kids[j];
        const struct source *src = &c->d->files[br->a->loc.file];
        uint32_t l1 = br->a->loc.end - br->a->loc.start, l2 = prev->a->loc.end - prev->a->loc.start;
        if (l1 == l2 && br->a->loc.file == prev->a->loc.file &&
            !memcmp(src->text + br->a->loc.start, src->text + prev->a->loc.start, l1))
          diag_warning(c->d, br->loc, "remove it, or change its condition",
                       "unreachable alternative: branch %u repeats branch %u", i + 1, j + 1);
      }
      if (gen_cond(c, br->a, br->s, 0).t == T_ERR)
        return TERR;
      if (i)
        emit(c, br->loc, n->kind == N_ALLOF ? OP_AND : OP_OR, 0, 0, 0);
    }
    return tb;
  }
  if (n->kind == N_BIN && cmp_of(n->op) >= 0) {
    struct ty l = gen_value(c, n->a), r = gen_value(c, n->b);
    if (l.t == T_ERR || r.t == T_ERR)
      return TERR;
    if (l.t == T_DATE && r.t == T_DATE) {
      if (!c->quiet) {
        diag_error(c->d, n->loc, "e.g. when as_of < 2024-01-01",
                   "dates are compared only in a 'when' guard");
        return TERR;
      }
      emit(c, n->loc, OP_CMPD, cmp_of(n->op), 0, 0);
      return tb;
    }
    if (c->quiet && l.t == T_NUM && r.t == T_NUM && units_compatible(l.unit, r.unit)) {
      emit(c, n->loc, OP_CMP, cmp_of(n->op), 0, 0);
      return tb;
    }
    if (l.t != T_NUM || r.t != T_NUM) {
      diag_error(
          c->d, n->loc,
          "a requirement compares a measure with a quantity, e.g. sum(training.hours) >= 30 h",
          "cannot compare %s with %s", ty_name(&l), ty_name(&r));
      return TERR;
    }
    if (!units_compatible(l.unit, r.unit)) {
      char hint[200];
      snprintf(hint, sizeof hint, "the left side is in %s; write the right side in %s too",
               imhe_unit_name[l.unit], imhe_unit_name[l.unit]);
      diag_error(c->d, n->loc, hint, "unit mismatch: %s compared with %s", imhe_unit_name[l.unit],
                 imhe_unit_name[r.unit]);
      return TERR;
    }
    int disp = r.disp ? r.disp : l.disp;
    uint32_t cd = add_cond(c, n, label, disp, l.unit ? l.unit : r.unit);
    emit(c, n->loc, OP_CHECK, cmp_of(n->op), 0, cd);
    return tb;
  }
  struct ty t = gen_value(c, n);
  if (t.t == T_BOOL && c->quiet)
    return tb;
  if (t.t == T_BOOL) {
    emit(c, n->loc, OP_CHECKB, 0, 0, add_cond(c, n, label, 0, 0));
    return tb;
  }
  if (t.t == T_TRI) {
    if (!top) {
      diag_error(c->d, n->loc, "give the exam a rule of its own",
                 "a pass/fail/pending fact cannot be combined with other conditions");
      return TERR;
    }
    emit(c, n->loc, OP_CHECKT, 0, 0, add_cond(c, n, label, 0, 0));
    return t;
  }
  if (t.t != T_ERR && c->quiet)
    diag_error(c->d, n->loc, "e.g. when names_reported_to, or when years_endorsed >= 3",
               "a 'when' guard must be a yes/no fact or a comparison");
  else if (t.t != T_ERR)
    diag_error(c->d, n->loc, "e.g. sum(training.hours) >= 30 h",
               "a condition must be a comparison or a yes/no fact");
  return TERR;
}

static uint32_t gen_rule(struct compiler *c, struct node *r, uint32_t era, uint32_t cats) {
  int area = -1;
  int kind = (r->op & RF_ADVISE) ? RK_ADVISE : RK_REQUIRE;
  area = imhe_area_lookup(r->c->s, strlen(r->c->s));
  if (area < 0)
    unknown(c, r->c->loc, "area", r->c->s, nearest_in(imhe_area_name, AREA__COUNT, r->c->s));
  struct imhe_rule *ru = BUILD_PUSH(&c->b, rules, nrules, 4);
  uint32_t idx = c->b.p.nrules - 1;
  ru->id = build_str(&c->b, r->s);
  ru->desc = build_str(&c->b, r->s2);
  ru->file = build_str(&c->b, shown_name(c, r->loc.file));
  diag_linecol(c->d, r->loc.file, r->loc.start, &ru->line, &ru->col);
  diag_linecol(c->d, r->loc.file, r->loc.end, &ru->end_line, &ru->end_col);
  ru->kind = (uint8_t)kind;
  ru->area = (uint8_t)(area < 0 ? 0 : area);
  ru->era = (uint8_t)era;
  ru->cats = cats;
  ru->start = c->b.p.code_size;
  c->rule = idx;
  c->depth = 0;
  c->max_depth = 0;
  int errors_before = diags_errors(c->d);
  uint32_t jump = UINT32_MAX;
  if (r->d) {
    c->quiet = 1;
    struct ty g = gen_cond(c, r->d, NULL, 0);
    c->quiet = 0;
    if (g.t != T_BOOL && g.t != T_ERR)
      diag_error(c->d, r->d->loc, "e.g. when names_reported_to",
                 "a 'when' guard must be a yes/no fact");
    jump = c->b.p.code_size;
    emit(c, r->d->loc, OP_JUMPF, 0, 0, 0);
  }
  struct ty t = gen_cond(c, r->a, r->s2, kind == RK_REQUIRE);
  if (t.t == T_TRI && kind != RK_REQUIRE)
    diag_error(c->d, r->a->loc, NULL, "an advisory needs a yes/no condition");
  emit(c, r->loc, kind == RK_REQUIRE ? OP_REQUIRE : OP_ADVISE, 0, 0, idx);
  c->depth = 0;
  if (jump != UINT32_MAX) {
    build_patch_c(&c->b, jump, c->b.p.code_size);
    emit(c, r->loc, OP_SKIP, 0, 0, idx);
  }
  c->b.p.rules[idx].end = c->b.p.code_size;
  if (c->max_depth > IMHE_MAX_STACK && !errors_before && !diags_errors(c->d))
    diag_error(c->d, r->loc2, "split the condition into several rules or named definitions",
               "rule '%s' needs %d stack slots; the limit is %d", r->s, c->max_depth,
               IMHE_MAX_STACK);
  return idx;
}

/* ---------- settings ---------- */

/* Fee kinds by enum imhe_fee_kind, whether a coupon may waive each, and renewal schemes by enum
 * imhe_renewal_scheme: the words from compiler/vocab.h, placed by their enum values. */
static const char *const fee_kinds[] = {
#define X(id, word, waivable) [FEE_##id] = word,
    IMHE_FEE_KINDS(X)
#undef X
};
static const uint8_t fee_waivable[] = {
#define X(id, word, waivable) [FEE_##id] = waivable,
    IMHE_FEE_KINDS(X)
#undef X
};
#define NFEE_KINDS ((int)(sizeof fee_kinds / sizeof *fee_kinds))
static const char *const renewal_schemes[] = {
#define X(id, word) [RENEW_##id] = word,
    IMHE_RENEWAL_SCHEMES(X)
#undef X
};

static int month_of(const char *s) {
  static const char *const m[12] = {
#define X(name) name,
      IMHE_MONTHS(X)
#undef X
  };
  for (int i = 0; i < 12; i++)
    if (!strncmp(s, m[i], 3))
      return i + 1;
  return 0;
}

static void gen_settings(struct compiler *c, struct merged *m, struct policy_file *pf, int depth) {
  if (pf->bases && pf->bases->nkids == 1 && !pf->bases->kids[0]->op && depth < MAX_CHAIN) {
    struct policy_file *base = symtab_get(&c->files, pf->bases->kids[0]->s);
    if (base)
      gen_settings(c, m, base, depth + 1);
  }
  struct imhe_program *p = &c->b.p;
  for (struct node *it = pf->items; it; it = it->next) {
    switch (it->kind) {
    case I_CALLED:
      p->settings.name = build_str(&c->b, it->s);
      p->settings.display = build_str(&c->b, it->s2);
      break;
    case I_MEMBERSHIP:
      p->settings.membership_any = it->op == 1;
      for (uint32_t i = 0; it->b && i < it->b->nkids; i++)
        *BUILD_PUSH(&c->b, accepted, naccepted, 8) = build_str(&c->b, it->b->kids[i]->s);
      break;
    case I_FEE: {
      int k = -1;
      for (int i = 0; i < NFEE_KINDS; i++)
        if (!strcmp(it->s, fee_kinds[i]))
          k = i;
      if (k < 0) {
        unknown(c, it->loc2, "fee", it->s, nearest_in(fee_kinds, NFEE_KINDS, it->s));
        break;
      }
      struct imhe_fee *f = BUILD_PUSH(&c->b, fees, nfees, 9);
      f->kind = (uint8_t)k;
      f->cats = resolve_cats(c, m, it->b);
      f->cents = (int32_t)(it->num * 100 + 0.5);
      f->note = it->s2 ? build_str(&c->b, it->s2) : UINT32_MAX;
      p->settings.fees_published = 1;
      break;
    }
    case I_FEES_UNPUBLISHED:
      p->settings.fees_published = 0;
      break;
    case I_COUPON: {
      struct imhe_coupon *cp = BUILD_PUSH(&c->b, coupons, ncoupons, 10);
      uint32_t ci = p->ncoupons - 1;
      cp->code = build_str(&c->b, it->s);
      cp->note = it->s2 ? build_str(&c->b, it->s2) : UINT32_MAX;
      for (uint32_t i = 0; it->c && i < it->c->nkids; i++) {
        const char *w = it->c->kids[i]->s;
        int k = -1;
        for (int j = 0; j < NFEE_KINDS; j++)
          if (fee_waivable[j] && !strcmp(w, fee_kinds[j]))
            k = j;
        if (k >= 0)
          cp->waives |= (uint8_t)(1u << k);
        else
          unknown(c, it->c->kids[i]->loc, "fee", w, NULL);
      }
      cp->cats = resolve_cats(c, m, it->b);
      cp->from = it->num ? (int32_t)it->num : IMHE_NO_DATE;
      cp->until = it->num2 ? (int32_t)it->num2 : IMHE_NO_DATE;
      cp->rule = IMHE_NO_RULE;
      if (it->a) {
        struct imhe_rule *ru = BUILD_PUSH(&c->b, rules, nrules, 4);
        uint32_t idx = p->nrules - 1;
        ru->id = build_str(&c->b, it->s);
        ru->desc = build_str(&c->b, "coupon condition");
        ru->file = build_str(&c->b, shown_name(c, it->loc.file));
        diag_linecol(c->d, it->loc.file, it->loc.start, &ru->line, &ru->col);
        diag_linecol(c->d, it->loc.file, it->loc.end, &ru->end_line, &ru->end_col);
        ru->kind = RK_COUPON;
        ru->cats = ALL_CATS;
        ru->start = p->code_size;
        c->rule = idx;
        c->depth = 0;
        struct ty t = gen_value(c, it->a);
        if (t.t != T_BOOL && t.t != T_ERR)
          diag_error(c->d, it->a->loc, NULL, "a coupon's condition must be yes/no");
        emit(c, it->loc, OP_ACCEPT, 0, 0, idx);
        p->rules[idx].end = p->code_size;
        p->coupons[ci].rule = idx;
      }
      break;
    }
    case I_DEADLINES:
      for (uint32_t i = 0; i < it->b->nkids; i++) {
        struct node *d = it->b->kids[i];
        int mo = month_of(d->s);
        if (!mo || strlen(d->s) > 9 || d->num < 1 || d->num > imhe_days_in_month(2001, mo) ||
            d->num != (int)d->num) {
          diag_error(c->d, d->loc, "write a month and day, e.g. Mar 15", "invalid deadline '%s %g'",
                     d->s, d->num);
          continue;
        }
        struct imhe_deadline *dl = BUILD_PUSH(&c->b, deadlines, ndeadlines, 11);
        dl->month = (uint8_t)mo;
        dl->day = (uint8_t)d->num;
      }
      break;
    case I_RENEWAL: {
      struct imhe_renewal *rn = BUILD_PUSH(&c->b, renewals, nrenewals, 12);
      rn->from = it->num ? (int32_t)it->num : IMHE_NO_DATE;
      rn->until = it->num2 ? (int32_t)it->num2 : IMHE_NO_DATE;
      double scale = 1;
      int disp = DISP_PLAIN;
      int unit = it->a && it->a->kind == N_NUM ? unit_of_word(it->a->s, &scale, &disp) : -1;
      if (!strcmp(it->s, renewal_schemes[RENEW_ANNUAL])) {
        rn->scheme = RENEW_ANNUAL;
        if (it->a)
          diag_error(c->d, it->a->loc, "the hours due are stated by the renewal rules",
                     "an annual renewal takes no quantity");
      } else if (!strcmp(it->s, renewal_schemes[RENEW_CYCLE])) {
        rn->scheme = RENEW_CYCLE;
        if (!it->a || unit != UNIT_DAYS || disp != DISP_YEARS || it->a->num < 1 ||
            it->a->num > 10 || it->a->num != (int)it->a->num || !it->num)
          diag_error(
              c->d, it->a ? it->a->loc : it->loc2, "e.g. renewal cycle 3 years from 2024-01-01",
              "a renewal cycle is a whole number of years (1 to 10) from a first cycle year");
        else
          rn->years = (uint32_t)it->a->num;
      } else
        unknown(c, it->loc2, "renewal scheme", it->s, NULL);
      break;
    }
    case I_REINSTATEMENT:
      p->settings.reinstatement = 1;
      p->settings.reinstatement_from = (int32_t)it->num;
      break;
    default:
      break;
    }
  }
}

/* The categories whose lists a catalogue part joins. `for none` puts names in no
 * category's list: they stay valid codes in records but count toward no threshold
 * (requirements.md: research_evaluation). */
static uint32_t part_cats(struct compiler *c, struct merged *m, struct node *list) {
  for (uint32_t i = 0; i < list->nkids; i++)
    if (!strcmp(list->kids[i]->s, "none")) {
      if (list->nkids > 1)
        diag_error(c->d, list->kids[i]->loc,
                   "write the names in no list as a part of their own: + NAMES for none",
                   "'none' cannot be combined with categories");
      return 0;
    }
  return resolve_cats(c, m, list);
}

static void gen_domains(struct compiler *c, struct merged *m) {
  /* Domains in definition order of the chain: walk the symtab deterministically
   * by sorting on source position. */
  struct node *list[64];
  uint32_t n = 0;
  for (uint32_t i = 0; i < m->domains.cap && n < 64; i++)
    if (m->domains.keys[i])
      list[n++] = m->domains.vals[i];
  for (uint32_t i = 1; i < n; i++)
    for (uint32_t j = i; j > 0 && (list[j]->loc.file < list[j - 1]->loc.file ||
                                   (list[j]->loc.file == list[j - 1]->loc.file &&
                                    list[j]->loc.start < list[j - 1]->loc.start));
         j--) {
      struct node *t = list[j];
      list[j] = list[j - 1];
      list[j - 1] = t;
    }
  for (uint32_t i = 0; i < n; i++) {
    struct node *d = list[i];
    struct imhe_domain *dom = BUILD_PUSH(&c->b, domains, ndomains, 13);
    dom->code = build_str(&c->b, d->s);
    dom->name = build_str(&c->b, d->s2);
    dom->core = (uint8_t)d->op;
    dom->first = c->b.p.nitems;
    for (uint32_t k = 0; k < d->b->nkids; k++) {
      struct node *part = d->b->kids[k];
      uint32_t cats = part->b ? part_cats(c, m, part->b) : ALL_CATS;
      for (uint32_t j = 0; j < part->a->nkids; j++) {
        struct imhe_item *item = BUILD_PUSH(&c->b, items, nitems, 14);
        item->name = build_str(&c->b, part->a->kids[j]->s);
        item->cats = cats;
      }
    }
    dom->count = c->b.p.nitems - dom->first;
  }
}

/* ---------- driver ---------- */

int imhe_compile_file(const char *path, struct diags *d, struct imhe_program *out) {
  struct compiler c;
  memset(&c, 0, sizeof c);
  imhe_arena_init(&c.arena, 0);
  symtab_init(&c.files);
  symtab_init(&c.let_busy);
  build_init(&c.b);
  c.d = d;
  c.hash = 1469598103934665603ull;
  policy_dirs(&c, path);
  int fatal = 0;
  struct policy_file *top = load_policy(&c, path, path, (struct loc){0, 0, 0}, &fatal);
  int rc = -1;
  if (!top)
    goto done;
  c.top = top;
  if (top->name && *top->name)
    symtab_put(&c.files, top->name, top);
  if (diags_errors(d))
    goto done; /* syntax errors: nothing further is trustworthy */

  struct imhe_program *p = &c.b.p;
  p->policy_name = build_str(&c.b, top->name);
  p->settings.code = build_str(&c.b, top->name);
  p->settings.display = build_str(&c.b, top->name);
  p->settings.name = build_str(&c.b, top->name);

  /* Eras: one per dated base, or one for the whole policy. */
  uint32_t neras = top->bases && top->bases->nkids > 1 ? top->bases->nkids : 1;
  int dated = top->bases && (top->bases->nkids > 1 || top->bases->kids[0]->op);
  struct merged first;
  int have_first = 0;
  for (uint32_t e = 0; e < neras && e < 8; e++) {
    struct merged m;
    merged_init(&m);
    c.m = &m;
    c.era = e;
    struct policy_file *base = NULL;
    struct node *bn = top->bases ? top->bases->kids[e] : NULL;
    if (bn) {
      base = find_policy(&c, bn->s, bn->loc);
      if (base)
        merge_file(&c, &m, base, 1);
    }
    /* Merge the top file's own items on top of this era's base. */
    struct policy_file own = *top;
    own.bases = NULL;
    merge_file(&c, &m, &own, 1);
    struct imhe_era *era = BUILD_PUSH(&c.b, eras, neras, 15);
    era->base = build_str(&c.b, bn ? bn->s : top->name);
    era->from = (bn && bn->op == 1) ? (int32_t)bn->num : IMHE_NO_DATE;
    era->until = (bn && bn->op == 2) ? (int32_t)bn->num2 : IMHE_NO_DATE;
    if (dated && !bn->op)
      diag_error(d, bn->loc, "e.g. extends legacy before 2025-01-01, alliance-2025 from 2025-01-01",
                 "when a policy has several bases each needs 'before' or 'from' a date");
    uint32_t offered = m.has_defines ? m.defines : ALL_CATS;
    int has_offers = 0;
    uint32_t tracks = 0;
    for (struct node *it = top->items; it; it = it->next)
      if (it->kind == I_OFFERS) {
        has_offers = 1;
        for (uint32_t i = 0; i < it->b->nkids; i++) {
          struct node *tn = it->b->kids[i];
          int t = -1;
          for (int k = 0; k < TRACK__COUNT; k++)
            if (!strcmp(tn->s, imhe_track_name[k]))
              t = k;
          if (t < 0 || t == TRACK_EITHER)
            unknown(&c, tn->loc, "track", tn->s, nearest_in(imhe_track_name, 2, tn->s));
          else
            tracks |= 1u << t;
        }
      }
    if (has_offers) {
      uint32_t mask = 0;
      for (int k = 0; k < CAT__COUNT; k++)
        if (imhe_category_track[k] == TRACK_EITHER ? tracks != 0
                                                   : (tracks >> imhe_category_track[k]) & 1u)
          mask |= 1u << k;
      offered &= mask;
    }
    era->offered = offered;
    if (e == 0)
      gen_domains(&c, &m);
    for (uint32_t i = 0; i < m.norder; i++) {
      struct node *r = m.order[i];
      if (!r)
        continue;
      uint32_t cats = resolve_cats(&c, &m, r->b);
      gen_rule(&c, r, e, cats);
    }
    if (e == 0) {
      first = m;
      have_first = 1;
    } else
      merged_free(&m);
  }
  if (have_first) {
    c.m = &first;
    c.era = 0;
    gen_settings(&c, &first, top, 0);
    merged_free(&first);
  }
  p->source_hash = c.hash;
  snprintf(p->compiler_version, sizeof p->compiler_version, "%s", IMHE_VERSION);
  if (!diags_errors(d)) {
    *out = c.b.p;
    memset(&c.b.p, 0, sizeof c.b.p);
    rc = 0;
  }
done:
  build_free(&c.b);
  symtab_free(&c.files);
  symtab_free(&c.let_busy);
  imhe_arena_free(&c.arena);
  free(c.dir);
  free(c.shown_dir);
  free(c.top_base);
  (void)fatal;
  return rc;
}
