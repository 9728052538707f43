/* compile.c — policy chain merging, name resolution, unit and type checks, and code generation.
 * Reads parsed files, resolves every name once through hash tables, emits a program; never touches
 * records. */
#include "compiler/compile.h"
#include "compiler/build.h"
#include "compiler/parse.h"
#include "compiler/symtab.h"
#include "compiler/vocab.h"
#include "parser.h"
#include "runtime/bytecode/measure_table.h"
#include "runtime/core/dates.h"
#include "runtime/core/names.h"
#include "runtime/records/schema.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHAIN 8
#define ALL_CATS all_cats(c)

struct merged {
  struct symtab rules, lets, groups, domains, slot; /* slot: rule id -> order index + 1 */
  struct symtab removed;                            /* rule id -> the `remove` item */
  struct node **order;                              /* rules in definition order (NULL = removed) */
  uint32_t norder, caporder;
  uint32_t defines;
  int has_defines;
  const char *name;
};

/* A fee item compiled, with the categories it resolved to: a later one is compared with all. */
struct fee_seen {
  struct fee_seen *next;
  struct node *item;
  uint32_t cats;
  int kind;
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
  int nest;     /* recursion depth of the code generator */
  int quiet;    /* generating a 'when' guard: comparisons record nothing */
  int dates_ok; /* generating a coupon's condition: dates may be compared */
  uint32_t cat_mask_cache;
  uint64_t hash;
  /* per fee kind and category bit (kinds of record included), the fee item that set it last */
  struct node *fee_by[IMHE_MAX_FEE_KINDS][32];
  struct fee_seen *fees_seen; /* every fee item so far, the latest first */
  /* the vocabulary the policy's chain declares (`defines track`, `defines category`), read
   * before anything is merged: every era's chain adds to one table */
  const char *track_code[IMHE_MAX_TRACKS], *track_name[IMHE_MAX_TRACKS];
  uint32_t track_ages[IMHE_MAX_TRACKS];
  uint32_t ntracks;
  const char *cat_code[IMHE_MAX_CATEGORIES], *cat_name[IMHE_MAX_CATEGORIES];
  uint32_t cat_tracks[IMHE_MAX_CATEGORIES];
  uint32_t ncats;
  /* the fee kinds it declares (`defines fee`): word, name, properties, declaring item */
  const char *fee_word[IMHE_MAX_FEE_KINDS], *fee_name[IMHE_MAX_FEE_KINDS];
  uint8_t fee_flags[IMHE_MAX_FEE_KINDS];
  struct node *fee_item[IMHE_MAX_FEE_KINDS];
  uint32_t nfee_kinds;
  /* the tabs (`defines tab`) and areas (`defines area`) it declares, with their items */
  const char *tab_code[IMHE_MAX_TABS], *tab_title[IMHE_MAX_TABS];
  struct node *tab_item[IMHE_MAX_TABS];
  uint32_t ntabs;
  const char *area_word[IMHE_MAX_AREAS], *area_name[IMHE_MAX_AREAS];
  uint8_t area_tab[IMHE_MAX_AREAS], area_flags[IMHE_MAX_AREAS];
  struct node *area_item[IMHE_MAX_AREAS];
  uint32_t nareas;
  /* the credentials (`defines credential`) and reference roles (`defines role`) it declares */
  const char *cred_word[IMHE_MAX_CREDENTIALS], *cred_name[IMHE_MAX_CREDENTIALS];
  struct node *cred_item[IMHE_MAX_CREDENTIALS];
  uint32_t ncreds;
  const char *role_word[IMHE_MAX_ROLES], *role_name[IMHE_MAX_ROLES];
  struct node *role_item[IMHE_MAX_ROLES];
  uint32_t nroles;
  /* the degrees it declares (`defines degree`), lowest first, and which are graduate degrees */
  const char *degree_word[IMHE_MAX_DEGREES], *degree_name[IMHE_MAX_DEGREES];
  struct node *degree_item[IMHE_MAX_DEGREES];
  uint8_t degree_flags[IMHE_MAX_DEGREES];
  uint32_t ndegrees;
  struct symtab vocab;   /* a track's or category's code -> the item declaring it */
  struct symtab missing; /* bases that could not be read: said once */
};

static uint32_t all_cats(const struct compiler *c) {
  return (1u << c->ncats) - 1;
}
/* The category or track whose code is s, or -1. */
static int cat_of(const struct compiler *c, const char *s) {
  for (uint32_t i = 0; i < c->ncats; i++)
    if (!strcmp(c->cat_code[i], s))
      return (int)i;
  return -1;
}
static int fee_kind_of(const struct compiler *c, const char *s) {
  for (uint32_t i = 0; i < c->nfee_kinds; i++)
    if (!strcmp(c->fee_word[i], s))
      return (int)i;
  return -1;
}
static int track_of(const struct compiler *c, const char *s) {
  for (uint32_t i = 0; i < c->ntracks; i++)
    if (!strcmp(c->track_code[i], s))
      return (int)i;
  return -1;
}

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

/* "rules/legacy.imhe:22": where an item stands, for messages that point back to it. */
static const char *where(struct compiler *c, const struct node *n) {
  uint32_t line, col;
  imhe_diag_linecol(c->d, n->loc.file, n->loc.start, &line, &col);
  return imhe_arena_printf(&c->arena, "%s:%u", shown_name(c, n->loc.file), line);
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
      imhe_diag_error(c->d, from,
                      "a base policy is looked for beside the policy that extends it, as NAME.imhe",
                      "cannot read base policy '%s' (%s): %s", name, path, err);
    else {
      fprintf(c->d->out, "%s: error: cannot read: %s\n", path, err);
      *fatal = 1;
    }
    return NULL;
  }
  uint32_t file = imhe_diags_add_file(c->d, path, text, (uint32_t)len);
  const char *slash = strrchr(path, '/');
  remember_shown_name(c, file, c->top || !c->top_base ? (slash ? slash + 1 : path) : c->top_base);
  c->hash = imhe_fnv1a(text, len, c->hash);
  struct policy_file *pf = imhe_arena_alloc(&c->arena, sizeof *pf);
  if (len == 0)
    imhe_diag_error(c->d, (struct loc){file, 0, 0}, "a policy starts with: policy NAME",
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
  imhe_symtab_init(&m->rules);
  imhe_symtab_init(&m->lets);
  imhe_symtab_init(&m->groups);
  imhe_symtab_init(&m->domains);
  imhe_symtab_init(&m->slot);
  imhe_symtab_init(&m->removed);
}
static void merged_free(struct merged *m) {
  imhe_symtab_free(&m->rules);
  imhe_symtab_free(&m->lets);
  imhe_symtab_free(&m->groups);
  imhe_symtab_free(&m->domains);
  imhe_symtab_free(&m->slot);
  imhe_symtab_free(&m->removed);
  free(m->order);
}

static uint32_t resolve_cats(struct compiler *c, struct merged *m, struct node *list);

static struct policy_file *find_policy(struct compiler *c, const char *name, struct loc from) {
  struct policy_file *pf = imhe_symtab_get(&c->files, name);
  if (pf)
    return pf;
  if (imhe_symtab_get(&c->missing, name))
    return NULL;
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
    imhe_symtab_put(&c->files, imhe_arena_strndup(&c->arena, name, strlen(name)), pf);
  else
    imhe_symtab_put(&c->missing, imhe_arena_strndup(&c->arena, name, strlen(name)), c);
  return pf;
}

static void merge_file(struct compiler *c, struct merged *m, struct policy_file *pf, int depth);

static void merge_bases(struct compiler *c, struct merged *m, struct policy_file *pf, int depth) {
  if (!pf->bases)
    return;
  if (pf->bases->nkids != 1 || pf->bases->kids[0]->op) {
    imhe_diag_error(c->d, pf->bases->loc,
                    "only the policy named on the command line may switch bases by date",
                    "a base policy may extend one policy, without dates");
    return;
  }
  struct node *bn = pf->bases->kids[0];
  if (depth >= MAX_CHAIN) {
    imhe_diag_error(c->d, bn->loc, NULL, "policy chain deeper than %d (a cycle?)", MAX_CHAIN);
    return;
  }
  struct policy_file *base = find_policy(c, bn->s, bn->loc);
  if (base)
    merge_file(c, m, base, depth + 1);
}

/* The hint for a rule id that names nothing, given the nearest id: where that rule is defined,
 * or, when a `remove` took it out (its tombstone), where and what follows (`if_removed`), since
 * suggesting a removed rule alone would send the author to the same error. */
static void near_rule_hint(struct compiler *c, struct merged *m, const char *near, char *hint,
                           size_t size, const char *if_removed) {
  struct node *nr = imhe_symtab_get(&m->rules, near);
  if (nr != (void *)m) {
    snprintf(hint, size, "did you mean '%s' (%s)?", near, where(c, nr));
    return;
  }
  /* every tombstone has its `remove` in m->removed (merge_remove puts both) */
  snprintf(hint, size, "did you mean '%s'? it was removed (%s)%s", near,
           where(c, imhe_symtab_get(&m->removed, near)), if_removed);
}

/* A rule: new, or overriding a base's (`override rule`), unique within its file; kept in the
 * order rules were first defined */
static void merge_rule(struct compiler *c, struct merged *m, struct symtab *own, struct node *it) {
  struct node *prev = imhe_symtab_get(&m->rules, it->s);
  if (prev == (void *)m) /* removed by a base: free to define again */
    prev = NULL;
  struct node *here = imhe_symtab_get(own, it->s);
  if (here) {
    imhe_diag_error(c->d, it->loc2, "rule ids are unique within a policy", "duplicate rule id '%s'",
                    it->s);
    return;
  }
  imhe_symtab_put(own, it->s, it);
  if (prev && !(it->op & RF_OVERRIDE)) {
    imhe_diag_error(c->d, it->loc2, "write 'override rule ...' to replace a base rule",
                    "rule '%s' is already defined by a base policy (%s)", it->s, where(c, prev));
    return;
  }
  if (!prev && (it->op & RF_OVERRIDE)) {
    const char *near = imhe_symtab_nearest(&m->rules, it->s);
    char hint[400];
    if (near)
      near_rule_hint(c, m, near, hint, sizeof hint,
                     ": to define it again, write 'rule' without 'override'");
    imhe_diag_error(c->d, it->loc2, near ? hint : "override names a rule of a base policy",
                    "override of rule '%s' overrides nothing", it->s);
    return;
  }
  if (prev) {
    m->order[(uintptr_t)imhe_symtab_get(&m->slot, it->s) - 1] = it;
  } else {
    *(struct node **)imhe_build_push((void **)&m->order, &m->norder, &m->caporder,
                                     sizeof(struct node *)) = it;
    imhe_symtab_put(&m->slot, it->s, (void *)(uintptr_t)m->norder);
  }
  imhe_symtab_put(&m->rules, it->s, it);
}

/* `remove ID`: a base's rule taken out (a tombstone, so a later file may define it again) */
static void merge_remove(struct compiler *c, struct merged *m, struct node *it) {
  struct node *prev = imhe_symtab_get(&m->rules, it->s);
  if (prev == (void *)m) {
    struct node *gone = imhe_symtab_get(&m->removed, it->s);
    imhe_diag_error(c->d, it->loc2, "remove the line: the rule is already gone",
                    "rule '%s' was already removed (%s)", it->s, gone ? where(c, gone) : "");
    return;
  }
  if (!prev) {
    const char *near = imhe_symtab_nearest(&m->rules, it->s);
    char hint[400];
    if (near)
      near_rule_hint(c, m, near, hint, sizeof hint, ", so nothing is left to remove");
    imhe_diag_error(c->d, it->loc2, near ? hint : NULL, "removed rule '%s' does not exist", it->s);
    return;
  }
  imhe_symtab_put(&m->removed, it->s, it);
  m->order[(uintptr_t)imhe_symtab_get(&m->slot, it->s) - 1] = NULL;
  imhe_symtab_put(&m->rules, it->s, (void *)m); /* tombstone */
}

static void merge_file(struct compiler *c, struct merged *m, struct policy_file *pf, int depth) {
  merge_bases(c, m, pf, depth);
  struct symtab own;
  imhe_symtab_init(&own);
  for (struct node *it = pf->items; it; it = it->next) {
    switch (it->kind) {
    case I_RULE:
      merge_rule(c, m, &own, it);
      break;
    case I_REMOVE:
      merge_remove(c, m, it);
      break;
    case I_LET: {
      char key[256];
      snprintf(key, sizeof key, "let %s", it->s);
      if (imhe_symtab_get(&own, imhe_arena_strndup(&c->arena, key, strlen(key)))) {
        imhe_diag_error(c->d, it->loc2, NULL, "'%s' is defined twice in this file", it->s);
        break;
      }
      imhe_symtab_put(&own, imhe_arena_strndup(&c->arena, key, strlen(key)), it);
      imhe_symtab_put(&m->lets, it->s, it);
      break;
    }
    case I_GROUP:
      if (cat_of(c, it->s) >= 0) {
        imhe_diag_error(c->d, it->loc2, NULL, "group '%s' has the name of a category", it->s);
        break;
      }
      if (!strcmp(it->s, "none")) { /* `for none` in a catalogue part means no category */
        imhe_diag_error(c->d, it->loc2, NULL, "a group may not be named 'none'");
        break;
      }
      if (imhe_symtab_get(&m->groups, it->s)) {
        imhe_diag_error(c->d, it->loc2, NULL, "group '%s' is defined twice", it->s);
        break;
      }
      imhe_symtab_put(&m->groups, it->s, it);
      resolve_cats(c, m, it->b); /* checks the names now, in order */
      break;
    case I_DOMAIN:
      if (imhe_symtab_get(&m->domains, it->s)) {
        imhe_diag_error(c->d, it->loc2, NULL, "domain '%s' is defined twice", it->s);
        break;
      }
      imhe_symtab_put(&m->domains, it->s, it);
      break;
    case I_DEFINES:
      m->has_defines = 1;
      m->defines |= resolve_cats(c, m, it->b);
      break;
    default:
      break;
    }
  }
  imhe_symtab_free(&own);
  m->name = pf->name;
}

/* ---------- names ---------- */

static void unknown(struct compiler *c, struct loc l, const char *what, const char *name,
                    const char *near) {
  char hint[300];
  if (near)
    snprintf(hint, sizeof hint, "did you mean '%s'?", near);
  imhe_diag_error(c->d, l, near ? hint : NULL, "unknown %s '%s'", what, name);
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

/* The vocabulary. */

static int enum_mask(struct compiler *c, struct node *n, int e, uint32_t *mask);

/* Tracks a category serves, from `in TRACKS`: each a track declared before it. */
static uint32_t served_tracks(struct compiler *c, struct node *list) {
  uint32_t mask = 0;
  for (uint32_t i = 0; i < list->nkids; i++) {
    const char *s = list->kids[i]->s;
    int t = track_of(c, s);
    if (t >= 0)
      mask |= 1u << t;
    else
      unknown(c, list->kids[i]->loc, "track", s, nearest_in(c->track_code, (int)c->ntracks, s));
  }
  return mask;
}

/* An unknown property of a fee kind or an area (`what`): the nearest, and every one of the list
 * (IMHE_FEE_PROPERTIES or IMHE_AREA_PROPERTIES). */
static void unknown_property(struct compiler *c, struct loc l, const char *what,
                             const char *const *props, int n, const char *w) {
  char hint[300];
  const char *near = nearest_in(props, n, w);
  size_t k = near ? (size_t)snprintf(hint, sizeof hint, "did you mean '%s'? ", near) : 0;
  k += (size_t)snprintf(hint + k, sizeof hint - k,
                        "the properties of %s %s are:", what[0] == 'a' ? "an" : "a", what);
  for (int i = 0; i < n && k < sizeof hint; i++)
    k += (size_t)snprintf(hint + k, sizeof hint - k, "%s %s", i ? "," : "", props[i]);
  imhe_diag_error(c->d, l, hint, "unknown %s property '%s'", what, w);
}

/* The properties a fee kind may have (enum imhe_fee_property), by their words. */
static const char *const fee_properties[] = {
#define X(id, word, meaning) [FEE_BIT_##id] = word,
    IMHE_FEE_PROPERTIES(X)
#undef X
};

/* `defines fee KIND "NAME" for PROPERTIES`: one fee kind of the program's table, in the order
 * declared; charged at exactly one time, only an application's waivable. */
static void declare_fee_kind(struct compiler *c, struct node *it) {
  for (uint32_t i = 0; i < c->nfee_kinds; i++)
    if (!strcmp(c->fee_word[i], it->s)) {
      if (c->fee_item[i] != it) /* else the same file, reached again by another era */
        imhe_diag_error(c->d, it->loc2, "a word names one fee kind in a policy and its bases",
                        "fee kind '%s' is already declared (%s)", it->s, where(c, c->fee_item[i]));
      return;
    }
  const char *form = "write: defines fee KIND \"NAME\" for application, renewal or overdue, and "
                     "optionally waivable, required";
  if (it->b) {
    imhe_diag_error(c->d, it->b->loc, form, "a fee kind serves no track: write 'for PROPERTIES'");
    return;
  }
  if (!it->a) {
    imhe_diag_error(c->d, it->loc2, form,
                    "fee kind '%s' needs its properties: add 'for application', 'for renewal' or "
                    "'for overdue'",
                    it->s);
    return;
  }
  unsigned flags = 0;
  for (uint32_t i = 0; i < it->a->nkids; i++) {
    const char *w = it->a->kids[i]->s;
    int k = -1;
    for (int j = 0; j < FEE_PROPERTY__COUNT; j++)
      if (!strcmp(w, fee_properties[j]))
        k = j;
    if (k >= 0) {
      flags |= 1u << k;
      continue;
    }
    unknown_property(c, it->a->kids[i]->loc, "fee kind", fee_properties, FEE_PROPERTY__COUNT, w);
    return;
  }
  unsigned when = flags & IMHE_FEE_CHARGED;
  if (!when || (when & (when - 1))) {
    imhe_diag_error(c->d, it->a->loc,
                    "application: with an application; renewal: a year with a renewal; overdue: "
                    "once with a renewal submitted after its due date",
                    "fee kind '%s' is charged at one time: give one of application, renewal and "
                    "overdue",
                    it->s);
    return;
  }
  if ((flags & FK_WAIVABLE) && when != FK_APPLICATION) {
    imhe_diag_error(c->d, it->a->loc, "a coupon waives an application's fees",
                    "fee kind '%s' cannot be waivable: only an application's fee is", it->s);
    return;
  }
  if ((flags & FK_REQUIRED) && when == FK_OVERDUE) {
    imhe_diag_error(c->d, it->a->loc, "an overdue fee is charged only after a renewal's due date",
                    "fee kind '%s' cannot be required: it is charged only when overdue", it->s);
    return;
  }
  if ((flags & FK_REQUIRED) && when == FK_RENEWAL)
    for (uint32_t i = 0; i < c->nfee_kinds; i++)
      if ((c->fee_flags[i] & (FK_RENEWAL | FK_REQUIRED)) == (FK_RENEWAL | FK_REQUIRED)) {
        imhe_diag_error(c->d, it->a->loc,
                        "the required renewal fee is the renewal's own; make the others yearly "
                        "(for renewal)",
                        "a renewal has one required fee: '%s' is already (%s)", c->fee_word[i],
                        where(c, c->fee_item[i]));
        return;
      }
  if (c->nfee_kinds == IMHE_MAX_FEE_KINDS) {
    imhe_diag_error(c->d, it->loc2, "a coupon's waived kinds are a byte: combine fee kinds",
                    "more than %d fee kinds: '%s' is one too many", IMHE_MAX_FEE_KINDS, it->s);
    return;
  }
  c->fee_word[c->nfee_kinds] = it->s;
  c->fee_name[c->nfee_kinds] = it->s2;
  c->fee_flags[c->nfee_kinds] = (uint8_t)flags;
  c->fee_item[c->nfee_kinds++] = it;
}

/* Index of s among the n words of v, or -1. */
static int word_in(const char *const *v, uint32_t n, const char *s) {
  for (uint32_t i = 0; i < n; i++)
    if (!strcmp(v[i], s))
      return (int)i;
  return -1;
}

/* `defines tab CODE "TITLE"`: one of the application system's tabs, in its order. */
static void declare_tab(struct compiler *c, struct node *it) {
  int k = word_in(c->tab_code, c->ntabs, it->s);
  if (k >= 0) {
    if (c->tab_item[k] != it) /* else the same file, reached again by another era */
      imhe_diag_error(c->d, it->loc2, "a code names one tab in a policy and its bases",
                      "tab '%s' is already declared (%s)", it->s, where(c, c->tab_item[k]));
    return;
  }
  if (it->a || it->b) {
    imhe_diag_error(c->d, (it->a ? it->a : it->b)->loc, "write: defines tab CODE \"TITLE\"",
                    "a tab has only its title: areas name their tab ('defines area ... in TAB')");
    return;
  }
  if (c->ntabs == IMHE_MAX_TABS) {
    imhe_diag_error(c->d, it->loc2, "declare the application system's tabs, no more",
                    "more than %d tabs: '%s' is one too many", IMHE_MAX_TABS, it->s);
    return;
  }
  c->tab_code[c->ntabs] = it->s;
  c->tab_title[c->ntabs] = it->s2;
  c->tab_item[c->ntabs++] = it;
}

/* `defines area WORD "NAME" in TAB [for PROPERTIES]`: an area rules name (`require AREA`), on
 * the tab its requirements are reported under, in the order a check lists them. */
static void declare_area(struct compiler *c, struct node *it) {
  static const char *const props[] = {
#define X(id, word, meaning) [AREA_BIT_##id] = word,
      IMHE_AREA_PROPERTIES(X)
#undef X
  };
  int k = word_in(c->area_word, c->nareas, it->s);
  if (k >= 0) {
    if (c->area_item[k] != it)
      imhe_diag_error(c->d, it->loc2, "a word names one area in a policy and its bases",
                      "area '%s' is already declared (%s)", it->s, where(c, c->area_item[k]));
    return;
  }
  if (!it->b || it->b->nkids != 1) {
    imhe_diag_error(c->d, it->b ? it->b->loc : it->loc2,
                    "write: defines area WORD \"NAME\" in TAB [for category | exam]",
                    "area '%s' needs the one tab it is reported under: add 'in TAB'", it->s);
    return;
  }
  int tab = word_in(c->tab_code, c->ntabs, it->b->kids[0]->s);
  if (tab < 0) {
    unknown(c, it->b->kids[0]->loc, "tab", it->b->kids[0]->s,
            nearest_in(c->tab_code, (int)c->ntabs, it->b->kids[0]->s));
    return;
  }
  unsigned flags = 0;
  for (uint32_t i = 0; it->a && i < it->a->nkids; i++) {
    int p = word_in(props, AREA_PROPERTY__COUNT, it->a->kids[i]->s);
    if (p < 0) {
      unknown_property(c, it->a->kids[i]->loc, "area", props, AREA_PROPERTY__COUNT,
                       it->a->kids[i]->s);
      return;
    }
    for (uint32_t j = 0; j < c->nareas; j++)
      if (c->area_flags[j] & (1u << p)) {
        imhe_diag_error(c->d, it->a->kids[i]->loc, "one area has each property",
                        "area '%s' already has the property '%s' (%s)", c->area_word[j], props[p],
                        where(c, c->area_item[j]));
        return;
      }
    flags |= 1u << p;
  }
  if (c->nareas == IMHE_MAX_AREAS) {
    imhe_diag_error(c->d, it->loc2, "an area is one bit of a result's failed areas",
                    "more than %d areas: '%s' is one too many", IMHE_MAX_AREAS, it->s);
    return;
  }
  c->area_word[c->nareas] = it->s;
  c->area_name[c->nareas] = it->s2;
  c->area_tab[c->nareas] = (uint8_t)tab;
  c->area_flags[c->nareas] = (uint8_t)flags;
  c->area_item[c->nareas++] = it;
}

/* `defines credential WORD "NAME"` (a credential a record's education may name) or `defines role
 * WORD "NAME"` (a role a reference may have): one word of the program's list `what`. */
static void declare_word(struct compiler *c, struct node *it, const char *what, const char **words,
                         const char **names, struct node **items, uint32_t *n) {
  int k = word_in(words, *n, it->s);
  if (k >= 0) {
    if (items[k] != it) { /* else the same file, reached again by another era */
      char hint[100];
      snprintf(hint, sizeof hint, "a word names one %s in a policy and its bases", what);
      imhe_diag_error(c->d, it->loc2, hint, "%s '%s' is already declared (%s)", what, it->s,
                      where(c, items[k]));
    }
    return;
  }
  if ((it->a && strcmp(what, "degree")) || it->b) { /* a degree's properties: declare_degree */
    char hint[100];
    snprintf(hint, sizeof hint, "write: defines %s WORD \"NAME\"", what);
    imhe_diag_error(c->d, (it->a ? it->a : it->b)->loc, hint, "a %s has only its name", what);
    return;
  }
  if (*n == IMHE_MAX_CREDENTIALS) {
    imhe_diag_error(c->d, it->loc2, "a set of them is a 32-bit mask",
                    "more than %d %ss: '%s' is one too many", IMHE_MAX_CREDENTIALS, what, it->s);
    return;
  }
  words[*n] = it->s;
  names[*n] = it->s2;
  items[(*n)++] = it;
}

static const char *const degree_properties[] = {"graduate"};

/* `defines degree WORD "NAME"`, optionally `for graduate`: the next degree up, the order of the
 * declarations being the order of the degrees. Once one is a graduate degree every later one is
 * (the engine takes the first graduate degree and those above it as one class). */
static void declare_degree(struct compiler *c, struct node *it) {
  uint32_t n = c->ndegrees;
  if (word_in(c->degree_word, n, it->s) >= 0 &&
      c->degree_item[word_in(c->degree_word, n, it->s)] == it)
    return; /* the same file, reached again by another era */
  if (it->b) {
    imhe_diag_error(c->d, it->b->loc, "write: defines degree WORD \"NAME\", or with 'for graduate'",
                    "a degree serves no track: write 'for graduate' or nothing");
    return;
  }
  unsigned flags = 0;
  for (uint32_t i = 0; it->a && i < it->a->nkids; i++) {
    if (strcmp(it->a->kids[i]->s, "graduate")) {
      unknown_property(c, it->a->kids[i]->loc, "degree", degree_properties, 1, it->a->kids[i]->s);
      return;
    }
    flags |= IMHE_DEGREE_GRADUATE;
  }
  if (n && (c->degree_flags[n - 1] & IMHE_DEGREE_GRADUATE) && !flags &&
      word_in(c->degree_word, n, it->s) < 0) {
    imhe_diag_error(c->d, it->loc2,
                    "degrees are declared lowest first: declare it before them, "
                    "or add 'for graduate'",
                    "degree '%s' comes after the graduate degree '%s' but is not one", it->s,
                    c->degree_word[n - 1]);
    return;
  }
  declare_word(c, it, "degree", c->degree_word, c->degree_name, c->degree_item, &c->ndegrees);
  if (c->ndegrees > n)
    c->degree_flags[n] = (uint8_t)flags;
}

/* `defines track CODE "NAME"` or `defines category CODE "NAME" in TRACKS`: one entry of the
 * program's table, in the order declared. */
static void declare(struct compiler *c, struct node *it) {
  const char *what = it->c->s;
  int is_track = !strcmp(what, "track");
  if (!strcmp(what, "fee")) {
    declare_fee_kind(c, it);
    return;
  }
  if (!strcmp(what, "tab")) {
    declare_tab(c, it);
    return;
  }
  if (!strcmp(what, "area")) {
    declare_area(c, it);
    return;
  }
  if (!strcmp(what, "credential")) {
    declare_word(c, it, what, c->cred_word, c->cred_name, c->cred_item, &c->ncreds);
    return;
  }
  if (!strcmp(what, "role")) {
    declare_word(c, it, what, c->role_word, c->role_name, c->role_item, &c->nroles);
    return;
  }
  if (!strcmp(what, "degree")) {
    declare_degree(c, it);
    return;
  }
  if (!is_track && strcmp(what, "category")) {
    imhe_diag_error(
        c->d, it->c->loc,
        "write: defines track CODE \"NAME\", or defines category CODE \"NAME\" in "
        "TRACKS, or defines fee KIND \"NAME\" for PROPERTIES, or defines tab CODE "
        "\"TITLE\", or defines area WORD \"NAME\" in TAB, or defines credential WORD \"NAME\", "
        "or defines role WORD \"NAME\", or defines degree WORD \"NAME\" (for graduate)",
        "'defines' declares a track, a category, a fee kind, a tab, an area, a credential, a "
        "role or a degree, not '%s'",
        what);
    return;
  }
  struct node *prev = imhe_symtab_get(&c->vocab, it->s);
  if (prev == it) /* the same file, reached again by another era */
    return;
  if (prev) {
    imhe_diag_error(c->d, it->loc2, "a code names one track or category in a policy and its bases",
                    "%s '%s' is already declared as a %s (%s)", what, it->s, prev->c->s,
                    where(c, prev));
    return;
  }
  uint32_t ages = 0;
  if (is_track) {
    if (it->b)
      imhe_diag_error(c->d, it->b->loc, "write: defines track CODE \"NAME\" for AGES",
                      "a track serves no track: only a category takes 'in'");
    else if (!it->a)
      imhe_diag_error(c->d, it->loc2, "e.g. defines track CODE \"NAME\" for prenatal, infant",
                      "track '%s' needs the ages it serves (ages in track): add 'for AGES'", it->s);
    else if (c->ntracks == IMHE_MAX_TRACKS)
      imhe_diag_error(c->d, it->loc2, "a track is one bit of a category's small set of tracks",
                      "more than %d tracks: '%s' is one too many", IMHE_MAX_TRACKS, it->s);
    else if (enum_mask(c, it->a, ENUM_AGE, &ages)) {
      c->track_code[c->ntracks] = it->s;
      c->track_ages[c->ntracks] = ages;
      c->track_name[c->ntracks++] = it->s2;
    }
  } else if (it->a) {
    imhe_diag_error(c->d, it->a->loc, "write: defines category CODE \"NAME\" in TRACKS",
                    "a category serves tracks: write 'in TRACKS', not 'for'");
  } else if (!it->b) {
    imhe_diag_error(c->d, it->loc2, "write: defines category CODE \"NAME\" in TRACKS",
                    "category '%s' needs the tracks it serves: add 'in TRACKS'", it->s);
  } else if (c->ncats == IMHE_MAX_CATEGORIES) {
    imhe_diag_error(c->d, it->loc2,
                    "a category is one bit of a 32-bit set, and renewal and reinstatement take "
                    "two: combine categories, or drop ones no policy offers",
                    "more than %d categories: '%s' is one too many", IMHE_MAX_CATEGORIES, it->s);
  } else {
    uint32_t tracks = served_tracks(c, it->b);
    c->cat_code[c->ncats] = it->s;
    c->cat_name[c->ncats] = it->s2;
    c->cat_tracks[c->ncats++] = tracks;
  }
  imhe_symtab_put(&c->vocab, it->s, it);
}

/* The vocabulary of the whole chain, read before anything is merged (groups, rules and offers
 * name its codes): the bases' first, deepest first, so a catalogue's categories keep their bits
 * in every policy that extends it; every era's chain adds to one table. */
static void collect_vocab(struct compiler *c, struct policy_file *pf, int depth) {
  if (depth > MAX_CHAIN)
    return; /* a cycle: merging says so */
  for (uint32_t i = 0; pf->bases && i < pf->bases->nkids; i++) {
    struct node *bn = pf->bases->kids[i];
    struct policy_file *base = find_policy(c, bn->s, bn->loc);
    if (base)
      collect_vocab(c, base, depth + 1);
  }
  for (struct node *it = pf->items; it; it = it->next)
    if (it->kind == I_VOCAB)
      declare(c, it);
}

/* rules/catalogue.imhe's text, embedded when imhe is built (build/gen/catalogue.h, written by the
 * Makefile from the file itself): the vocabulary has one source, the catalogue. */
static const char builtin_catalogue[] =
#include "catalogue.h"
    ;

/* A chain that declares no vocabulary of a kind (a policy written without a catalogue: the test
 * policies) is compiled with the catalogue's of that kind — its tracks and categories, its fee
 * kinds, its tabs and areas — read from the catalogue's text built into imhe. Its groups, domains
 * and definitions are not taken: a policy that wants them extends the catalogue. */
static void builtin_vocab(struct compiler *c) {
  int cats = !c->ncats && !c->ntracks, fees = !c->nfee_kinds, areas = !c->nareas && !c->ntabs,
      creds = !c->ncreds, roles = !c->nroles, degrees = !c->ndegrees;
  if (!cats && !fees && !areas && !creds && !roles && !degrees)
    return;
  uint32_t len = (uint32_t)(sizeof builtin_catalogue - 1);
  uint32_t file = imhe_diags_add_file(c->d, "catalogue.imhe (built in)", builtin_catalogue, len);
  struct policy_file pf;
  memset(&pf, 0, sizeof pf);
  if (imhe_parse(&c->arena, c->d, file, builtin_catalogue, len, &pf) != 0)
    return; /* GCOVR_EXCL_LINE: the build embeds a catalogue that make test compiles */
  for (struct node *it = pf.items; it; it = it->next) {
    if (it->kind != I_VOCAB)
      continue;
    const char *w = it->c->s;
    if ((cats && (!strcmp(w, "track") || !strcmp(w, "category"))) || (fees && !strcmp(w, "fee")) ||
        (areas && (!strcmp(w, "tab") || !strcmp(w, "area"))) ||
        (creds && !strcmp(w, "credential")) || (roles && !strcmp(w, "role")) ||
        (degrees && !strcmp(w, "degree")))
      declare(c, it);
  }
}

/* A declared list of words with their names (credentials, roles) as the program holds it. */
static struct imhe_credential_def *word_defs(struct compiler *c, const char *const *words,
                                             const char *const *names, uint32_t n) {
  struct imhe_credential_def *d = calloc(n ? n : 1, sizeof *d);
  if (!d)
    abort(); /* GCOVR_EXCL_LINE: out of memory */
  for (uint32_t k = 0; k < n; k++) {
    d[k].word = imhe_build_str(&c->b, words[k]);
    d[k].name = imhe_build_str(&c->b, names[k]);
  }
  return d;
}

static void emit_vocab(struct compiler *c) {
  struct imhe_program *p = &c->b.p;
  p->tracks = calloc(c->ntracks ? c->ntracks : 1, sizeof *p->tracks);
  p->cats = calloc(c->ncats ? c->ncats : 1, sizeof *p->cats);
  if (!p->tracks || !p->cats)
    abort(); /* GCOVR_EXCL_LINE: out of memory */
  for (uint32_t t = 0; t < c->ntracks; t++) {
    p->tracks[t].code = imhe_build_str(&c->b, c->track_code[t]);
    p->tracks[t].name = imhe_build_str(&c->b, c->track_name[t]);
    p->tracks[t].ages = c->track_ages[t];
  }
  for (uint32_t k = 0; k < c->ncats; k++) {
    p->cats[k].code = imhe_build_str(&c->b, c->cat_code[k]);
    p->cats[k].name = imhe_build_str(&c->b, c->cat_name[k]);
    p->cats[k].tracks = c->cat_tracks[k];
  }
  p->ntracks = c->ntracks;
  p->ncats = c->ncats;
  p->fee_kinds = calloc(c->nfee_kinds ? c->nfee_kinds : 1, sizeof *p->fee_kinds);
  if (!p->fee_kinds)
    abort(); /* GCOVR_EXCL_LINE: out of memory */
  for (uint32_t k = 0; k < c->nfee_kinds; k++) {
    p->fee_kinds[k].word = imhe_build_str(&c->b, c->fee_word[k]);
    p->fee_kinds[k].name = imhe_build_str(&c->b, c->fee_name[k]);
    p->fee_kinds[k].flags = c->fee_flags[k];
  }
  p->nfee_kinds = c->nfee_kinds;
  p->tabs = calloc(c->ntabs ? c->ntabs : 1, sizeof *p->tabs);
  p->areas = calloc(c->nareas ? c->nareas : 1, sizeof *p->areas);
  if (!p->tabs || !p->areas)
    abort(); /* GCOVR_EXCL_LINE: out of memory */
  for (uint32_t t = 0; t < c->ntabs; t++) {
    p->tabs[t].code = imhe_build_str(&c->b, c->tab_code[t]);
    p->tabs[t].title = imhe_build_str(&c->b, c->tab_title[t]);
  }
  for (uint32_t k = 0; k < c->nareas; k++) {
    p->areas[k].word = imhe_build_str(&c->b, c->area_word[k]);
    p->areas[k].name = imhe_build_str(&c->b, c->area_name[k]);
    p->areas[k].tab = c->area_tab[k];
    p->areas[k].flags = c->area_flags[k];
  }
  p->ntabs = c->ntabs;
  p->nareas = c->nareas;
  p->creds = word_defs(c, c->cred_word, c->cred_name, c->ncreds);
  p->ncreds = c->ncreds;
  p->roles = word_defs(c, c->role_word, c->role_name, c->nroles);
  p->nroles = c->nroles;
  p->degrees = calloc(c->ndegrees ? c->ndegrees : 1, sizeof *p->degrees);
  if (!p->degrees)
    abort(); /* GCOVR_EXCL_LINE: out of memory */
  for (uint32_t k = 0; k < c->ndegrees; k++) {
    p->degrees[k].word = imhe_build_str(&c->b, c->degree_word[k]);
    p->degrees[k].name = imhe_build_str(&c->b, c->degree_name[k]);
    p->degrees[k].flags = c->degree_flags[k];
  }
  p->ndegrees = c->ndegrees;
}

/* The vocabulary of the policy's chain into the compiler's tables and the program's. */
static void read_vocab(struct compiler *c, struct policy_file *top) {
  collect_vocab(c, top, 0);
  builtin_vocab(c);
  int category_area = 0;
  for (uint32_t k = 0; k < c->nareas; k++)
    category_area |= c->area_flags[k] & AK_CATEGORY;
  if (!category_area && !diags_errors(c->d))
    imhe_diag_error(c->d, top->name_loc,
                    "e.g. defines area category \"the category applied for\" in TAB for category",
                    "no area is declared 'for category': a record whose category is unknown or "
                    "not offered is reported under it");
  emit_vocab(c);
}

static uint32_t group_mask(struct compiler *c, struct merged *m, struct node *g, int depth) {
  uint32_t mask = 0;
  if (depth > 16) {
    /* groups name only earlier groups, so this is depth, not a cycle: refuse it rather than
     * drop categories silently */
    imhe_diag_error(c->d, g->loc2, "name some categories directly",
                    "groups nested more than 16 deep");
    return 0;
  }
  for (uint32_t i = 0; g->b && i < g->b->nkids; i++) {
    struct node *n = g->b->kids[i];
    int cat = cat_of(c, n->s);
    if (cat >= 0)
      mask |= 1u << cat;
    else if (!strcmp(n->s, "all"))
      mask |= ALL_CATS;
    else {
      struct node *sub = imhe_symtab_get(&m->groups, n->s);
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
    int cat = cat_of(c, n->s);
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
    struct node *g = imhe_symtab_get(&m->groups, n->s);
    if (g) {
      mask |= group_mask(c, m, g, 0);
      continue;
    }
    /* the nearer of the groups' and the categories' names (a category on a tie) */
    const char *group = imhe_symtab_nearest(&m->groups, n->s);
    const char *near = nearest_in(c->cat_code, (int)c->ncats, n->s);
    if (group && (!near || imhe_edit_distance(n->s, strlen(n->s), group) <
                               imhe_edit_distance(n->s, strlen(n->s), near)))
      near = group;
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
  imhe_diag_linecol(c->d, l.file, l.start, &line, &col);
  return line;
}

static void emit(struct compiler *c, struct loc l, int op, int a, int b, uint32_t cc) {
  const struct imhe_opinfo *oi = &imhe_ops[op];
  int pops = 0, pushes = 0;
  if (op == OP_MEASURE) {
    char types[4];
    pops = imhe_measure_pops((enum imhe_measure)a, types);
    pushes = 1;
  }
  for (const char *s = oi->pops; *s && op != OP_MEASURE; s++)
    pops += (*s != ' ' && *s != '/' && (s == oi->pops || s[-1] == ' '));
  for (const char *s = oi->pushes; *s && op != OP_MEASURE; s++)
    pushes += (*s != ' ' && *s != '/' && *s != '!' && (s == oi->pushes || s[-1] == ' '));
  c->depth += pushes - pops;
  if (c->depth > c->max_depth)
    c->max_depth = c->depth;
  imhe_build_emit(&c->b, (uint8_t)op, (uint8_t)a, (uint16_t)b, cc, line_of(c, l),
                  imhe_build_str(&c->b, shown_name(c, l.file)));
}

static const struct {
  const char *word;
  int unit, disp;
  double scale;
} unit_words[] = {
#define X(w, unit, scale, disp) {w, IMHE_UNIT_##unit, DISP_##disp, scale},
    IMHE_UNIT_WORDS(X)
#undef X
};
#define NUNIT_WORDS ((int)(sizeof unit_words / sizeof *unit_words))

static int unit_of_word(const char *w, double *scale, int *disp) {
  *scale = 1;
  *disp = DISP_PLAIN;
  if (!w)
    return IMHE_UNIT_NONE;
  for (int i = 0; i < NUNIT_WORDS; i++)
    if (!strcmp(w, unit_words[i].word)) {
      *scale = unit_words[i].scale;
      *disp = unit_words[i].disp;
      return unit_words[i].unit;
    }
  return -1;
}

/* A degree named in a comparison: its level, as the degree measure counts it (the first graduate
 * degree and those above it are one level), or -1. */
static int degree_value(const struct compiler *c, const char *s) {
  int d = word_in(c->degree_word, c->ndegrees, s);
  if (d < 0)
    return -1;
  int g = 0;
  while ((uint32_t)g < c->ndegrees && !(c->degree_flags[g] & IMHE_DEGREE_GRADUATE))
    g++;
  return d >= g ? g + 1 : d + 1;
}

static int has_range(int sec) {
  return imhe_sections[sec].start >= 0;
}

/* A degree to name in a hint: the first graduate one (the level most rules ask for), else the
 * highest. */
static const char *degree_example(const struct compiler *c) {
  for (uint32_t i = 0; i < c->ndegrees; i++)
    if (c->degree_flags[i] & IMHE_DEGREE_GRADUATE)
      return c->degree_word[i];
  /* a chain always has degrees: its own or the built-in catalogue's */
  return c->ndegrees ? c->degree_word[c->ndegrees - 1] : "?";
}

static struct ty gen_value(struct compiler *c, struct node *n);
static struct ty gen_cond(struct compiler *c, struct node *n, const char *label, int top);

static struct ty want_coll(struct compiler *c, struct node *n, const char *fn) {
  struct ty t = gen_value(c, n);
  if (t.t == T_PROJ) {
    imhe_diag_error(c->d, n->loc, "drop the '.field' part",
                    "%s takes entries, not one field of them", fn);
    return TERR;
  }
  if (t.t != T_COLL && t.t != T_ERR) {
    imhe_diag_error(c->d, n->loc, "for example: work where kind = paid",
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
    imhe_diag_error(c->d, n->loc, "compare a field of the entries, e.g. kind = paid",
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
    imhe_diag_error(c->d, n->loc, hint, "unknown field '%s' of %s", n->s, imhe_sections[sec].name);
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
      imhe_diag_error(c->d, v[i]->loc, NULL, "expected a %s value", imhe_enum_name[e]);
      ok = 0;
      continue;
    }
    int x = e == ENUM_CATEGORY     ? cat_of(c, v[i]->s)
            : e == ENUM_CREDENTIAL ? word_in(c->cred_word, c->ncreds, v[i]->s)
            : e == ENUM_ROLE       ? word_in(c->role_word, c->nroles, v[i]->s)
            : e == ENUM_DEGREE     ? word_in(c->degree_word, c->ndegrees, v[i]->s)
                                   : imhe_enum_lookup((enum imhe_enum)e, v[i]->s, strlen(v[i]->s));
    if (x < 0) {
      int nv = (int)(e == ENUM_CATEGORY ? c->ncats
                     : e == ENUM_ROLE   ? c->nroles
                     : e == ENUM_DEGREE ? c->ndegrees
                                        : c->ncreds);
      const char *const *vals = e == ENUM_CATEGORY     ? c->cat_code
                                : e == ENUM_CREDENTIAL ? c->cred_word
                                : e == ENUM_ROLE       ? c->role_word
                                : e == ENUM_DEGREE     ? c->degree_word
                                                       : imhe_enum_values((enum imhe_enum)e, &nv);
      const char *near = nearest_in(vals, nv, v[i]->s);
      if ((e == ENUM_CREDENTIAL || e == ENUM_ROLE) && !near) { /* the policy's own: say which */
        char hint[400];
        size_t k = (size_t)snprintf(hint, sizeof hint, "the %ss declared are:", imhe_enum_name[e]);
        for (int j = 0; j < nv && k < sizeof hint; j++)
          k += (size_t)snprintf(hint + k, sizeof hint - k, "%s %s", j ? "," : "", vals[j]);
        imhe_diag_error(c->d, v[i]->loc, nv ? hint : "declare one: defines WORD \"NAME\"",
                        "unknown %s '%s'", imhe_enum_name[e], v[i]->s);
      } else
        unknown(c, v[i]->loc, imhe_enum_name[e], v[i]->s, near);
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
    imhe_diag_error(c->d, n->loc, NULL, "filter nested too deeply");
    return;
  }
  c->nest++;
  gen_pred_inner(c, n, sec);
  c->nest--;
}

/* A field compared in a filter: FIELD in (VALUES), FIELD = VALUE, FIELD >= QUANTITY or DATE, ages
 * in track. */
static void gen_field_pred(struct compiler *c, struct node *n, int sec) {
  int f = field_of(c, n->a, sec);
  if (f < 0)
    return;
  const struct imhe_field_desc *fd = &imhe_sections[sec].fields[f];
  if (n->op == IN && fd->kind == FT_SET && n->b->kind == N_NAME && !strcmp(n->b->s, "track")) {
    if (fd->arg != ENUM_AGE)
      imhe_diag_error(c->d, n->b->loc, NULL, "only ages can serve a track");
    emit(c, n->loc, OP_F_TRACK, f, sec, 0);
    return;
  }
  if (fd->kind == FT_ENUM || fd->kind == FT_SET) {
    uint32_t mask;
    if (n->op != IN && n->op != EQ && n->op != NE) {
      imhe_diag_error(c->d, n->loc, "use =, != or in", "%s values have no order",
                      imhe_enum_name[fd->arg]);
      return;
    }
    if (n->op != IN && n->b->kind == N_LIST) {
      imhe_diag_error(c->d, n->b->loc, "write: field in (a, b)", "a list needs 'in'");
      return;
    }
    if (!enum_mask(c, n->b, fd->arg, &mask))
      return;
    if (n->op == NE) {
      int nv = (int)(fd->arg == ENUM_CATEGORY ? c->ncats
                     : fd->arg == ENUM_ROLE   ? c->nroles
                     : fd->arg == ENUM_DEGREE ? c->ndegrees
                                              : c->ncreds);
      if (!imhe_field_is_declared(fd))
        imhe_enum_values((enum imhe_enum)fd->arg, &nv);
      mask = ~mask & ((nv >= 32) ? 0xffffffffu : ((1u << nv) - 1));
    }
    emit(c, n->loc, fd->kind == FT_SET ? OP_F_SET : OP_F_ENUM, f, sec, mask);
    return;
  }
  if (n->op == IN) {
    imhe_diag_error(c->d, n->loc, NULL, "'in' needs a field with listed values");
    return;
  }
  if (fd->kind == FT_NUM || fd->kind == FT_DATE) {
    struct ty t = gen_value(c, n->b);
    if (t.t == T_ERR)
      return;
    if (fd->kind == FT_DATE && t.t != T_DATE)
      imhe_diag_error(c->d, n->b->loc, "e.g. start <= as_of",
                      "field '%s' is a date; compare it with a date", fd->name);
    else if (fd->kind == FT_NUM &&
             (t.t != T_NUM || (t.unit != fd->arg && t.unit != IMHE_UNIT_NONE)))
      imhe_diag_error(c->d, n->b->loc, NULL, "field '%s' is in %s; compare it with %s", fd->name,
                      imhe_unit_words((imhe_unit)fd->arg), imhe_unit_words((imhe_unit)fd->arg));
    emit(c, n->loc, OP_F_CMP, f, sec, (uint32_t)cmp_of(n->op));
    return;
  }
  imhe_diag_error(c->d, n->loc, NULL, "field '%s' cannot be compared", fd->name);
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
      imhe_diag_error(c->d, n->loc, NULL, "%s entries have no date range", imhe_sections[sec].name);
    emit(c, n->loc, OP_F_CURRENT, 0, 0, 0);
    return;
  }
  if (n->kind == N_CALL && !strcmp(n->s, "overlaps")) {
    if (n->nkids != 1) {
      imhe_diag_error(c->d, n->loc, NULL, "overlaps takes one list of entries");
      return;
    }
    struct ty t = want_coll(c, n->kids[0], "overlaps");
    if (t.t == T_COLL && (!has_range(t.sec) || !has_range(sec)))
      imhe_diag_error(c->d, n->loc, NULL, "overlaps compares entries with date ranges");
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
      imhe_diag_error(c->d, n->loc, "compare it, e.g. kind = paid",
                      "field '%s' is not a yes/no field", n->s);
    return;
  }
  if (n->kind == N_BIN && (n->op == IN || cmp_of(n->op) >= 0)) {
    gen_field_pred(c, n, sec);
    return;
  }
  imhe_diag_error(
      c->d, n->loc,
      "a filter is a field comparison, e.g. kind = paid, or several in parentheses joined "
      "by and/or",
      "not a filter condition");
}

static int domain_index(struct compiler *c, struct node *n) {
  if (n->kind == N_NAME) {
    struct node *d = imhe_symtab_get(&c->m->domains, n->s);
    if (d) {
      for (uint32_t i = 0; i < c->b.p.ndomains; i++)
        if (!strcmp(imhe_str(&c->b.p, c->b.p.domains[i].code), n->s))
          return (int)i;
    }
    unknown(c, n->loc, "competency domain", n->s, imhe_symtab_nearest(&c->m->domains, n->s));
    return -1;
  }
  imhe_diag_error(c->d, n->loc, NULL, "expected a competency domain code, e.g. TF");
  return -1;
}

static struct ty num(int unit, int disp) {
  struct ty t = {T_NUM, unit, disp, 0, 0};
  return t;
}

/* The argument of measure m after its entries (a[i], letter `kind`): its checks and the operand it
 * gives the instruction in *operand. 0 when it is sound. */
static int measure_argument(struct compiler *c, const struct imhe_measure_info *m, char kind,
                            struct node **a, uint32_t i, uint32_t k, uint32_t *operand) {
  switch (kind) {
  case 'D': {
    struct ty d = gen_value(c, a[i]);
    if (d.t == T_DATE)
      return 0;
    if (d.t != T_ERR)
      imhe_diag_error(c->d, a[i]->loc, m->argument_hint, "%s", m->argument_refusal);
    return -1;
  }
  case 'M': {
    double scale;
    int disp;
    if (a[i]->kind != N_NUM || unit_of_word(a[i]->s, &scale, &disp) != IMHE_UNIT_MONTHS ||
        a[i]->num < 1 || a[i]->num > 600 || a[i]->num != (int)a[i]->num) {
      imhe_diag_error(c->d, a[i]->loc, m->argument_hint, "%s", m->argument_refusal);
      return -1;
    }
    *operand = (uint32_t)a[i]->num;
    return 0;
  }
  case 'R': { /* the rest of the arguments: one slot set */
    struct imhe_slotset *ss = BUILD_PUSH(&c->b, slotsets, nslotsets, 5);
    ss->first = c->b.p.nslot_masks;
    ss->count = k - i;
    int ok = 1;
    for (; i < k; i++) {
      uint32_t mask = 0;
      ok &= enum_mask(c, a[i], ENUM_ROLE, &mask);
      *BUILD_PUSH(&c->b, slot_masks, nslot_masks, 6) = mask;
    }
    *operand = c->b.p.nslotsets - 1;
    return ok ? 0 : -1;
  }
  case 'O': {
    int d = domain_index(c, a[i]);
    *operand = (uint32_t)d;
    return d < 0 ? -1 : 0;
  }
  case 'K': {
    uint32_t mask;
    if (a[i]->kind != N_NAME) {
      imhe_diag_error(c->d, a[i]->loc, m->argument_hint, "%s", m->argument_refusal);
      return -1;
    }
    if (!enum_mask(c, a[i], ENUM_CREDENTIAL, &mask))
      return -1;
    *operand = (uint32_t)word_in(c->cred_word, c->ncreds, a[i]->s);
    return 0;
  }
  }
  return -1;
}

/* The entries a measure reads (its first argument, C or F): -1 when they are not entries (or, for
 * F, not a numeric field of them), 1 when of a section the measure refuses, else 0. */
static int measure_entries(struct compiler *c, int id, struct node *arg, int *section,
                           uint32_t *field, int *unit) {
  const struct imhe_measure_info *m = &imhe_measures[id];
  struct ty t = m->args[0] == 'C' ? want_coll(c, arg, m->name) : gen_value(c, arg);
  if (t.t == T_ERR || (m->args[0] == 'C' && t.t != T_COLL))
    return -1;
  if (m->args[0] == 'F') {
    if (t.t != T_PROJ || imhe_sections[t.sec].fields[t.field].kind != FT_NUM) {
      imhe_diag_error(c->d, arg->loc, m->argument_hint, "%s", m->argument_refusal);
      return -1;
    }
    *field = (uint32_t)t.field;
    *unit = imhe_sections[t.sec].fields[t.field].arg;
  }
  *section = t.sec;
  if (imhe_measure_section_ok((enum imhe_measure)id, t.sec))
    return 0;
  imhe_diag_error(c->d, arg->loc, NULL, "%s %s", m->name, m->section_refusal);
  return 1;
}

/* A call of measure `id` with a fitting number of arguments, or its bare name: each argument
 * checked as its row says, then one MEASURE instruction. Entries of a section the measure refuses
 * are reported and the arguments after them still checked; the call keeps its type (so the
 * comparison around it is checked too) unless the entries were its only argument or another one
 * is wrong, role sets excepted — as the compiler always reported these. */
static struct ty gen_measure(struct compiler *c, struct node *n, int id) {
  const struct imhe_measure_info *m = &imhe_measures[id];
  uint32_t i = 0, operand = 0;
  int section = 0, unit = m->unit, valueless = 0;
  if (m->args[0] == 'C' || m->args[0] == 'F') {
    int r = measure_entries(c, id, n->kids[0], &section, &operand, &unit);
    if (r < 0)
      return TERR;
    valueless = r > 0 && !m->args[1];
    i = 1;
  }
  if (m->args[i] && measure_argument(c, m, m->args[i], n->kids, i, n->nkids, &operand) != 0 &&
      m->args[i] != 'R')
    valueless = 1;
  if (valueless)
    return TERR;
  int field = imhe_measure_operand((enum imhe_measure)id) == MOP_FIELD;
  emit(c, n->loc, OP_MEASURE, id, field ? section : 0, operand);
  if (m->result == VT_BOOL)
    return (struct ty){T_BOOL, 0, 0, 0, 0};
  return num(unit, m->display);
}

/* Whether k arguments fit measure m: one each, or for role sets (R) 1 to 8 of them. */
static int measure_arity_fits(const struct imhe_measure_info *m, uint32_t k) {
  size_t n = strlen(m->args);
  if (n && m->args[n - 1] == 'R')
    return k >= n && k <= n + 7;
  return k == n;
}

static struct ty gen_call(struct compiler *c, struct node *n) {
  const char *f = n->s;
  uint32_t k = n->nkids;
  struct node **a = n->kids;
  int first = -1;
  for (int id = 0; id < MEASURE__COUNT; id++) {
    const struct imhe_measure_info *m = &imhe_measures[id];
    if (!m->args[0] || strcmp(m->name, f))
      continue; /* measures without arguments are names, not calls */
    if (measure_arity_fits(m, k))
      return gen_measure(c, n, id);
    if (first < 0)
      first = id;
  }
  if (first >= 0) {
    const struct imhe_measure_info *m = &imhe_measures[first];
    size_t want = strlen(m->args);
    if (m->args[want - 1] == 'R')
      imhe_diag_error(c->d, n->loc, m->argument_hint, "%s", m->argument_refusal);
    else
      imhe_diag_error(c->d, n->loc, NULL, "%s takes %zu argument%s, not %u", f, want,
                      want == 1 ? "" : "s", k);
    return TERR;
  }
  if (!strcmp(f, "min") || !strcmp(f, "max")) {
    if (k != 2) {
      imhe_diag_error(c->d, n->loc, NULL, "%s takes 2 arguments, not %u", f, k);
      return TERR;
    }
    struct ty l = gen_value(c, a[0]), r = gen_value(c, a[1]);
    if (l.t != T_NUM || r.t != T_NUM) {
      if (l.t != T_ERR && r.t != T_ERR)
        imhe_diag_error(c->d, n->loc, NULL, "%s compares two quantities", f);
      return TERR;
    }
    if (l.unit != r.unit && l.unit != IMHE_UNIT_NONE && r.unit != IMHE_UNIT_NONE) {
      imhe_diag_error(c->d, n->loc, NULL, "%s of %s and %s: units differ", f,
                      imhe_unit_words((imhe_unit)l.unit), imhe_unit_words((imhe_unit)r.unit));
      return TERR;
    }
    emit(c, n->loc, f[1] == 'i' ? OP_MIN : OP_MAX, 0, 0, 0);
    return num(l.unit ? l.unit : r.unit, l.disp);
  }
  if (!strcmp(f, "overlaps")) {
    imhe_diag_error(c->d, n->loc, "use it in a filter: rsc where overlaps(rsc_provided)",
                    "overlaps is a filter condition");
    return TERR;
  }
  /* did you mean: the measures called with arguments, then min, max and overlaps (named so that a
   * filter written as a measure is told it is one) */
  static const char *const functions[] = {
#define X(name) name,
      IMHE_QUANTITY_FUNCTIONS(X)
#undef X
  };
  enum { NFUNCTIONS = sizeof functions / sizeof *functions };
  const char *known[MEASURE__COUNT + NFUNCTIONS + 1];
  int nknown = 0;
  for (int id = 0; id < MEASURE__COUNT; id++)
    if (imhe_measures[id].args[0] && (!nknown || strcmp(known[nknown - 1], imhe_measures[id].name)))
      known[nknown++] = imhe_measures[id].name;
  for (int i = 0; i < NFUNCTIONS; i++)
    known[nknown++] = functions[i];
  known[nknown++] = "overlaps";
  unknown(c, n->loc2, "measure", f, nearest_in(known, nknown, f));
  return TERR;
}

/* Did you mean, for an unknown bare name: definitions, facts, named values (as_of and the measures
 * written without arguments), sections. */
static const char *nearest_name(struct compiler *c, const char *s) {
  const char *near = imhe_symtab_nearest(&c->m->lets, s);
  if (!near)
    near = nearest_in(imhe_fact_name, FACT__COUNT, s);
  if (!near) {
    static const char *const named[] = {
#define X(name) name,
        IMHE_NAMED_VALUES(X)
#undef X
    };
    enum { NNAMED = sizeof named / sizeof *named };
    const char *values[NNAMED + MEASURE__COUNT];
    int nvalues = 0;
    for (int i = 0; i < NNAMED; i++)
      values[nvalues++] = named[i];
    for (int id = 0; id < MEASURE__COUNT; id++)
      if (!imhe_measures[id].args[0])
        values[nvalues++] = imhe_measures[id].name;
    near = nearest_in(values, nvalues, s);
  }
  if (!near) {
    const char *secs[IMHE_SECTION__COUNT];
    for (int i = 0; i < IMHE_SECTION__COUNT; i++)
      secs[i] = imhe_sections[i].name;
    near = nearest_in(secs, IMHE_SECTION__COUNT, s);
  }
  if (!near) /* a misspelt degree: `degree >= mastres` */
    near = nearest_in(c->degree_word, (int)c->ndegrees, s);
  return near;
}

static struct ty gen_name(struct compiler *c, struct node *n) {
  const char *s = n->s;
  int sec = imhe_section_lookup(s, strlen(s));
  if (sec >= 0) {
    emit(c, n->loc, OP_SECTION, sec, 0, 0);
    return (struct ty){T_COLL, 0, 0, sec, 0};
  }
  struct node *let = imhe_symtab_get(&c->m->lets, s);
  if (let) {
    if (imhe_symtab_get(&c->let_busy, s)) {
      imhe_diag_error(c->d, n->loc, "a definition may use only other definitions",
                      "'%s' refers to itself", s);
      return TERR;
    }
    imhe_symtab_put(&c->let_busy, s, let);
    struct ty t = gen_value(c, let->a);
    imhe_symtab_put(&c->let_busy, s, NULL);
    return t;
  }
  if (!strcmp(s, "as_of") || !strcmp(s, "submitted")) {
    emit(c, n->loc, s[0] == 'a' ? OP_ASOF : OP_SUBMITTED, 0, 0, 0);
    return (struct ty){T_DATE, 0, 0, 0, 0};
  }
  for (int id = 0; id < MEASURE__COUNT; id++)
    if (!imhe_measures[id].args[0] && !strcmp(s, imhe_measures[id].name))
      return gen_measure(c, n, id);
  int dv = degree_value(c, s);
  if (dv >= 0) {
    emit(c, n->loc, OP_CONST, IMHE_UNIT_DEGREE, 0, imhe_build_const(&c->b, dv));
    return num(IMHE_UNIT_DEGREE, DISP_DEGREE);
  }
  for (int i = 0; i < FACT__COUNT; i++)
    if (!strcmp(s, imhe_fact_name[i])) {
      emit(c, n->loc, OP_FACT, i, 0, 0);
      return (struct ty){imhe_fact_type[i] == VT_TRI ? T_TRI : T_BOOL, 0, 0, 0, 0};
    }
  unknown(c, n->loc, "name", s, nearest_name(c, s));
  return TERR;
}

static struct ty gen_value_inner(struct compiler *c, struct node *n);

/* Every recursive descent passes here, so no policy can exhaust the stack. */
static struct ty gen_value(struct compiler *c, struct node *n) {
  if (c->nest > 200) {
    imhe_diag_error(c->d, n->loc, "split it into named definitions with 'let'",
                    "expression nested too deeply");
    return TERR;
  }
  c->nest++;
  struct ty t = gen_value_inner(c, n);
  c->nest--;
  return t;
}

/* l + r and l - r: a date moved by calendar months (as_of - 12 months), or quantities of one
 * unit. */
static struct ty gen_arith(struct compiler *c, struct node *n) {
  if ((n->op == PLUS || n->op == MINUS) && n->b->kind == N_NUM && n->b->s &&
      (!strcmp(n->b->s, "month") || !strcmp(n->b->s, "months") || !strcmp(n->b->s, "year") ||
       !strcmp(n->b->s, "years"))) {
    /* a date moved by calendar months: as_of - 12 months */
    struct ty l = gen_value(c, n->a);
    if (l.t == T_DATE) {
      double months = n->b->num * (n->b->s[0] == 'y' ? 12 : 1);
      if (months != (int)months || months > 1200) {
        imhe_diag_error(c->d, n->b->loc, NULL,
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
      imhe_diag_error(c->d, n->loc, "both sides need the same kind of unit", "cannot %s %s and %s",
                      n->op == PLUS ? "add" : "subtract", ty_name(&l),
                      imhe_unit_words((imhe_unit)r.unit));
      return TERR;
    }
    emit(c, n->loc, n->op == PLUS ? OP_ADD : OP_SUB, 0, 0, 0);
    return num(l.unit, l.disp);
  }
  struct ty l = gen_value(c, n->a), r = gen_value(c, n->b);
  if (l.t == T_ERR || r.t == T_ERR)
    return TERR;
  if (l.t != T_NUM || r.t != T_NUM) {
    imhe_diag_error(c->d, n->loc, NULL, "'%s' adds or subtracts quantities",
                    n->op == PLUS ? "+" : "-");
    return TERR;
  }
  if (l.unit != r.unit && l.unit != IMHE_UNIT_NONE && r.unit != IMHE_UNIT_NONE) {
    imhe_diag_error(c->d, n->loc, "both sides need the same kind of unit", "cannot %s %s and %s",
                    n->op == PLUS ? "add" : "subtract", imhe_unit_words((imhe_unit)l.unit),
                    imhe_unit_words((imhe_unit)r.unit));
    return TERR;
  }
  emit(c, n->loc, n->op == PLUS ? OP_ADD : OP_SUB, 0, 0, 0);
  return num(l.unit ? l.unit : r.unit, l.disp);
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
    emit(c, n->loc, OP_CONST, unit, 0, imhe_build_const(&c->b, n->num * scale));
    return num(unit, disp);
  }
  case N_MONEY:
    emit(c, n->loc, OP_CONST, IMHE_UNIT_DOLLARS, 0, imhe_build_const(&c->b, n->num));
    return num(IMHE_UNIT_DOLLARS, DISP_PLAIN);
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
      imhe_diag_error(c->d, n->loc, NULL, "'.%s' needs a list of entries on its left", n->s);
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
      imhe_diag_error(c->d, n->a->loc, NULL, "'where' filters a list of record entries");
      return TERR;
    }
    gen_pred(c, n->b, t.sec);
    return t;
  }
  case N_BIN:
    if (n->op == PLUS || n->op == MINUS)
      return gen_arith(c, n);
    return gen_cond(c, n, NULL, 0);
  case N_NOT:
  case N_ALLOF:
  case N_ANYOF:
    return gen_cond(c, n, NULL, 0);
  case N_STR:
    imhe_diag_error(c->d, n->loc, "text is used only for sentences and labels",
                    "unexpected text here");
    return TERR;
  default:
    imhe_diag_error(c->d, n->loc, NULL, "unexpected expression");
    return TERR;
  }
}

static uint32_t add_cond(struct compiler *c, struct node *n, const char *label, int disp,
                         int unit) {
  struct imhe_cond *cd = BUILD_PUSH(&c->b, conds, nconds, 7);
  cd->rule = c->rule;
  cd->desc = imhe_build_str(&c->b, label ? label : "");
  uint32_t line, col;
  imhe_diag_linecol(c->d, n->loc.file, n->loc.start, &line, &col);
  cd->line = line;
  cd->col = col;
  cd->display = (uint8_t)disp;
  cd->unit = (uint8_t)unit;
  return c->b.p.nconds - 1;
}

/* A unit as a message names it: a number without one is "a plain number", never an empty word. */
static const char *unit_phrase(int unit) {
  return unit == IMHE_UNIT_NONE ? "a plain number" : imhe_unit_words((imhe_unit)unit);
}

static int units_compatible(int a, int b) {
  if (a == b)
    return 1;
  int an = a == IMHE_UNIT_NONE || a == IMHE_UNIT_COUNT,
      bn = b == IMHE_UNIT_NONE || b == IMHE_UNIT_COUNT;
  return an && bn;
}

static struct ty gen_cond_inner(struct compiler *c, struct node *n, const char *label, int top);
static struct ty gen_cond(struct compiler *c, struct node *n, const char *label, int top) {
  if (c->nest > 200) {
    imhe_diag_error(c->d, n->loc, "split it into named definitions with 'let'",
                    "condition nested too deeply");
    return TERR;
  }
  c->nest++;
  struct ty t = gen_cond_inner(c, n, label, top);
  c->nest--;
  return t;
}

/* all of / any of: each branch a condition labelled with its sentence, joined by AND or OR; a
 * branch that repeats an earlier one is unreachable (a warning). */
static struct ty gen_branches(struct compiler *c, struct node *n) {
  for (uint32_t i = 0; i < n->nkids; i++) {
    struct node *br = n->kids[i];
    for (uint32_t j = 0; j < i; j++) {
      struct node *prev = n->kids[j];
      const struct source *src = &c->d->files[br->a->loc.file];
      uint32_t l1 = br->a->loc.end - br->a->loc.start, l2 = prev->a->loc.end - prev->a->loc.start;
      if (l1 == l2 && br->a->loc.file == prev->a->loc.file &&
          !memcmp(src->text + br->a->loc.start, src->text + prev->a->loc.start, l1))
        imhe_diag_warning(c->d, br->loc, "remove it, or change its condition",
                          "unreachable alternative: branch %u repeats branch %u", i + 1, j + 1);
    }
    if (gen_cond(c, br->a, br->s, 0).t == T_ERR)
      return TERR;
    if (i)
      emit(c, br->loc, n->kind == N_ALLOF ? OP_AND : OP_OR, 0, 0, 0);
  }
  return (struct ty){T_BOOL, 0, 0, 0, 0};
}

/* A comparison: of dates or quantities in a guard (recording nothing), else of a measure with a
 * quantity of a compatible unit, recorded as a condition with observed, required and shortfall. */
static struct ty gen_compare(struct compiler *c, struct node *n, const char *label) {
  struct ty l = gen_value(c, n->a), r = gen_value(c, n->b);
  if (l.t == T_ERR || r.t == T_ERR)
    return TERR;
  if (l.t == T_DATE && r.t == T_DATE) {
    if (!c->quiet && !c->dates_ok) {
      imhe_diag_error(c->d, n->loc,
                      "to judge a rule only from or until a date, give it a guard: rule ID for "
                      "CATEGORIES require AREA \"...\" when as_of >= DATE: CONDITION",
                      "dates are compared only in a 'when' guard, not in a requirement's "
                      "condition");
      return TERR;
    }
    emit(c, n->loc, OP_CMPD, cmp_of(n->op), 0, 0);
    return (struct ty){T_BOOL, 0, 0, 0, 0};
  }
  if (c->quiet && l.t == T_NUM && r.t == T_NUM && units_compatible(l.unit, r.unit)) {
    emit(c, n->loc, OP_CMP, cmp_of(n->op), 0, 0);
    return (struct ty){T_BOOL, 0, 0, 0, 0};
  }
  if (l.t != T_NUM || r.t != T_NUM) {
    imhe_diag_error(
        c->d, n->loc,
        l.t == T_DATE || r.t == T_DATE
            ? "compare a date with a date, in a guard: when submitted >= 2027-01-01"
            : "a requirement compares a measure with a quantity, e.g. sum(training.hours) >= 30 h",
        "cannot compare %s with %s", ty_name(&l), ty_name(&r));
    return TERR;
  }
  if (!units_compatible(l.unit, r.unit) && (l.unit == IMHE_UNIT_NONE || r.unit == IMHE_UNIT_NONE)) {
    /* a bare number against a quantity with a unit: the unit was left out */
    const struct ty *u = l.unit == IMHE_UNIT_NONE ? &r : &l;
    const struct node *bare = l.unit == IMHE_UNIT_NONE ? n->a : n->b;
    char hint[200];
    if (bare->kind == N_NUM && u->unit == IMHE_UNIT_DOLLARS)
      snprintf(hint, sizeof hint, "write an amount: $%g", bare->num);
    else if (bare->kind == N_NUM && u->unit == IMHE_UNIT_DEGREE)
      snprintf(hint, sizeof hint, "compare it with a degree, e.g. %s", degree_example(c));
    else if (bare->kind == N_NUM)
      snprintf(hint, sizeof hint, "write the unit after the number: %g %s", bare->num,
               u->unit == IMHE_UNIT_HOURS ? "h"
               : u->disp == DISP_YEARS    ? "years"
                                          : imhe_unit_words((imhe_unit)u->unit));
    else
      snprintf(hint, sizeof hint, "write the other side in %s too",
               imhe_unit_words((imhe_unit)u->unit));
    /* the two sides named in the order they are written */
    imhe_diag_error(c->d, n->loc, hint, "unit mismatch: %s compared with %s", unit_phrase(l.unit),
                    unit_phrase(r.unit));
    return TERR;
  }
  if (!units_compatible(l.unit,
                        r.unit)) { /* both sides have units: the check above took a bare side */
    char hint[200];
    snprintf(hint, sizeof hint, "the left side is in %s; write the right side in %s too",
             imhe_unit_words((imhe_unit)l.unit), imhe_unit_words((imhe_unit)l.unit));
    imhe_diag_error(c->d, n->loc, hint, "unit mismatch: %s compared with %s", unit_phrase(l.unit),
                    unit_phrase(r.unit));
    return TERR;
  }
  int disp = r.disp ? r.disp : l.disp;
  uint32_t cd = add_cond(c, n, label, disp, l.unit ? l.unit : r.unit);
  emit(c, n->loc, OP_CHECK, cmp_of(n->op), 0, cd);
  return (struct ty){T_BOOL, 0, 0, 0, 0};
}

static struct ty gen_cond_inner(struct compiler *c, struct node *n, const char *label, int top) {
  const struct ty tb = {T_BOOL, 0, 0, 0, 0};
  if (n->kind == N_BIN && n->op == IN) {
    imhe_diag_error(c->d, n->loc, "e.g. work where scope in (prevention, intervention)",
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
    imhe_diag_error(c->d, n->loc,
                    "a guard is a plain yes/no test; put alternatives in the condition",
                    "'all of' and 'any of' are not allowed in a 'when' guard");
    return TERR;
  }
  if (n->kind == N_ALLOF || n->kind == N_ANYOF)
    return gen_branches(c, n);
  if (n->kind == N_BIN && cmp_of(n->op) >= 0)
    return gen_compare(c, n, label);
  struct ty t = gen_value(c, n);
  if (t.t == T_BOOL && c->quiet)
    return tb;
  if (t.t == T_BOOL) {
    emit(c, n->loc, OP_CHECKB, 0, 0, add_cond(c, n, label, 0, 0));
    return tb;
  }
  if (t.t == T_TRI) {
    if (!top) {
      imhe_diag_error(c->d, n->loc, "give the exam a rule of its own",
                      "a pass/fail/pending fact cannot be combined with other conditions");
      return TERR;
    }
    emit(c, n->loc, OP_CHECKT, 0, 0, add_cond(c, n, label, 0, 0));
    return t;
  }
  if (t.t != T_ERR && c->quiet)
    imhe_diag_error(c->d, n->loc, "e.g. when names_reported_to, or when years_endorsed >= 3",
                    "a 'when' guard must be a yes/no fact or a comparison");
  else if (t.t != T_ERR)
    imhe_diag_error(c->d, n->loc, "e.g. sum(training.hours) >= 30 h",
                    "a condition must be a comparison or a yes/no fact");
  return TERR;
}

static uint32_t gen_rule(struct compiler *c, struct node *r, uint32_t era, uint32_t cats) {
  int area = -1;
  int kind = (r->op & RF_ADVISE) ? RK_ADVISE : RK_REQUIRE;
  area = word_in(c->area_word, c->nareas, r->c->s);
  if (area < 0)
    unknown(c, r->c->loc, "area", r->c->s, nearest_in(c->area_word, (int)c->nareas, r->c->s));
  struct imhe_rule *ru = BUILD_PUSH(&c->b, rules, nrules, 4);
  uint32_t idx = c->b.p.nrules - 1;
  ru->id = imhe_build_str(&c->b, r->s);
  ru->desc = imhe_build_str(&c->b, r->s2);
  ru->file = imhe_build_str(&c->b, shown_name(c, r->loc.file));
  ru->cite = imhe_build_str(&c->b, r->cite ? r->cite : "");
  imhe_diag_linecol(c->d, r->loc.file, r->loc.start, &ru->line, &ru->col);
  imhe_diag_linecol(c->d, r->loc.file, r->loc.end, &ru->end_line, &ru->end_col);
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
    gen_cond(c, r->d, NULL, 0); /* yes/no or an error: gen_cond refuses every other kind */
    c->quiet = 0;
    jump = c->b.p.code_size;
    emit(c, r->d->loc, OP_JUMPF, 0, 0, 0);
  }
  /* a pass/fail/pending fact stands alone only at the top of a requirement (top = 1): gen_cond
   * refuses it anywhere else, in an advisory too */
  gen_cond(c, r->a, r->s2, kind == RK_REQUIRE);
  emit(c, r->loc, kind == RK_REQUIRE ? OP_REQUIRE : OP_ADVISE, 0, 0, idx);
  c->depth = 0;
  if (jump != UINT32_MAX) {
    imhe_build_patch_c(&c->b, jump, c->b.p.code_size);
    emit(c, r->loc, OP_SKIP, 0, 0, idx);
  }
  c->b.p.rules[idx].end = c->b.p.code_size;
  if (c->max_depth > IMHE_MAX_STACK && !errors_before && !diags_errors(c->d))
    imhe_diag_error(c->d, r->loc2, "split the condition into several rules or named definitions",
                    "rule '%s' needs %d stack slots; the limit is %d", r->s, c->max_depth,
                    IMHE_MAX_STACK);
  return idx;
}

/* ---------- settings ---------- */

/* Renewal schemes by enum imhe_renewal_scheme: the words from compiler/vocab.h, placed by their
 * enum values. */
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

/* An unknown fee kind: the nearest of the kinds the catalogue declares, and the list of them (of
 * those a coupon may waive, for a coupon). A kind a coupon may not waive is said so. */
static void unknown_fee(struct compiler *c, struct loc l, const char *s, int waived) {
  const char *kinds[IMHE_MAX_FEE_KINDS];
  char list[400] = "", waivable[400] = "", hint[600];
  int n = 0;
  size_t k = 0, w = 0;
  for (uint32_t i = 0; i < c->nfee_kinds; i++)
    if (c->fee_flags[i] & FK_WAIVABLE)
      w += (size_t)snprintf(waivable + w, w < sizeof waivable ? sizeof waivable - w : 0, "%s%s",
                            w ? ", " : "", c->fee_word[i]);
  for (uint32_t i = 0; i < c->nfee_kinds; i++) {
    if (!strcmp(s, c->fee_word[i])) {
      snprintf(hint, sizeof hint, "a coupon waives the fee kinds declared waivable: %s",
               w ? waivable : "none");
      imhe_diag_error(c->d, l, hint, "a coupon cannot waive the %s", c->fee_name[i]);
      return;
    }
    if (waived && !(c->fee_flags[i] & FK_WAIVABLE))
      continue;
    kinds[n++] = c->fee_word[i];
    k += (size_t)snprintf(list + k, k < sizeof list ? sizeof list - k : 0, "%s%s", k ? ", " : "",
                          c->fee_word[i]);
  }
  const char *near = nearest_in(kinds, n, s);
  if (near)
    snprintf(hint, sizeof hint, "did you mean '%s'? the fee kinds%s are: %s", near,
             waived ? " a coupon waives" : "", n ? list : "none");
  else
    snprintf(hint, sizeof hint, "the fee kinds%s are: %s (declared by 'defines fee')",
             waived ? " a coupon waives" : "", n ? list : "none");
  imhe_diag_error(c->d, l, hint, "unknown fee '%s'", s);
}

static const char *cat_bit_name(const struct compiler *c, int bit) {
  return bit < (int)c->ncats                    ? c->cat_code[bit]
         : (1u << bit) == IMHE_KIND_RENEWAL_BIT ? "renewal"
                                                : "reinstatement";
}

/* A fee of one kind is declared once per category and starting day: a second is an error unless
 * written `override fee`, and an override must replace something. The last declaration wins; a
 * fee `from DATE` is a new schedule, not a second declaration, unless it starts on the same day. */
static void fee_declared_once(struct compiler *c, struct node *it, int k, uint32_t cats) {
  /* every earlier fee of the kind starting the same day, not only the latest per category: with
   * dated schedules between them, the latest may start another day */
  struct node *prev = NULL;
  uint32_t clash = 0;
  for (const struct fee_seen *s = c->fees_seen; s; s = s->next)
    if (s->item != it && s->kind == k && s->item->num2 == it->num2 && (s->cats & cats)) {
      if (!prev)
        prev = s->item;
      clash |= s->cats & cats;
    }
  char names[300] = "";
  size_t n = 0;
  for (int bit = 0; bit < 32; bit++)
    if ((clash >> bit & 1u) && n + 20 < sizeof names)
      n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", n ? ", " : "",
                            cat_bit_name(c, bit));
  if (prev && !(it->op & RF_OVERRIDE)) {
    char hint[400];
    snprintf(hint, sizeof hint, "write 'override fee %s ...' to replace the fee of %s", it->s,
             where(c, prev));
    imhe_diag_error(c->d, it->b->loc, hint, "the %s fee for %s is already declared (%s)", it->s,
                    names, where(c, prev));
  } else if (!prev && (it->op & RF_OVERRIDE))
    imhe_diag_error(c->d, it->loc2, "drop 'override': this is the first such fee",
                    "override fee %s replaces no earlier %s fee for these categories", it->s,
                    it->s);
  for (int bit = 0; bit < 32; bit++)
    if (cats >> bit & 1u)
      c->fee_by[k][bit] = it;
  struct fee_seen *s = imhe_arena_alloc(&c->arena, sizeof *s);
  *s = (struct fee_seen){c->fees_seen, it, cats, k};
  c->fees_seen = s;
}

/* fee KIND $AMOUNT for CATEGORIES [note "..."]; fee KIND not published for CATEGORIES */
static void setting_fee(struct compiler *c, struct merged *m, struct node *it) {
  struct imhe_program *p = &c->b.p;
  int k = fee_kind_of(c, it->s);
  if (k < 0) {
    unknown_fee(c, it->loc2, it->s, 0);
    return;
  }
  uint32_t cats = resolve_cats(c, m, it->b);
  fee_declared_once(c, it, k, cats);
  struct imhe_fee *f = BUILD_PUSH(&c->b, fees, nfees, 9);
  f->kind = (uint8_t)k;
  f->cats = cats;
  f->cents = it->num < 0 ? -1 : (int32_t)(it->num * 100 + 0.5);
  f->note = it->s2 ? imhe_build_str(&c->b, it->s2) : UINT32_MAX;
  f->from = it->num2 ? (int32_t)it->num2 : IMHE_NO_DATE;
  f->until = it->num3 ? (int32_t)it->num3 : IMHE_NO_DATE;
  if (it->num2 && it->num3 && it->num3 < it->num2)
    imhe_diag_error(c->d, it->loc, "write the first day before the last: from DATE until DATE",
                    "the %s fee ends before it starts", it->s);
  p->settings.fees_published = 1;
}

/* coupon CODE waives FEES for CATEGORIES [from/until DATES] [when CONDITION]: its
 * condition compiles to a coupon rule */
static void setting_coupon(struct compiler *c, struct merged *m, struct node *it) {
  struct imhe_program *p = &c->b.p;
  struct imhe_coupon *cp = BUILD_PUSH(&c->b, coupons, ncoupons, 10);
  uint32_t ci = p->ncoupons - 1;
  cp->code = imhe_build_str(&c->b, it->s);
  cp->note = it->s2 ? imhe_build_str(&c->b, it->s2) : UINT32_MAX;
  for (uint32_t i = 0; it->c && i < it->c->nkids; i++) {
    const char *w = it->c->kids[i]->s;
    int k = fee_kind_of(c, w);
    if (k >= 0 && !(c->fee_flags[k] & FK_WAIVABLE))
      k = -1;
    if (k >= 0)
      cp->waives |= (uint8_t)(1u << k);
    else
      unknown_fee(c, it->c->kids[i]->loc, w, 1);
  }
  cp->cats = resolve_cats(c, m, it->b);
  cp->from = it->num ? (int32_t)it->num : IMHE_NO_DATE;
  cp->until = it->num2 ? (int32_t)it->num2 : IMHE_NO_DATE;
  cp->rule = IMHE_NO_RULE;
  if (it->a) {
    struct imhe_rule *ru = BUILD_PUSH(&c->b, rules, nrules, 4);
    uint32_t idx = p->nrules - 1;
    ru->id = imhe_build_str(&c->b, it->s);
    ru->desc = imhe_build_str(&c->b, "coupon condition");
    ru->file = imhe_build_str(&c->b, shown_name(c, it->loc.file));
    ru->cite = imhe_build_str(&c->b, "");
    imhe_diag_linecol(c->d, it->loc.file, it->loc.start, &ru->line, &ru->col);
    imhe_diag_linecol(c->d, it->loc.file, it->loc.end, &ru->end_line, &ru->end_col);
    ru->kind = RK_COUPON;
    ru->cats = ALL_CATS;
    ru->start = p->code_size;
    c->rule = idx;
    c->depth = 0;
    /* a guard, so dates may be compared as in a rule's 'when'; its conditions are still
     * recorded, yes/no facts and measures among them, so a coupon refused says what its
     * condition found ("no infant toddler credential"), not only that it was not met */
    c->dates_ok = 1;
    struct ty t = gen_cond(c, it->a, NULL, 1); /* at the top: the exam's pass/fail/pending too */
    c->dates_ok = 0;
    if (t.t != T_BOOL && t.t != T_ERR)
      imhe_diag_error(c->d, it->a->loc, NULL, "a coupon's condition must be yes/no");
    emit(c, it->loc, OP_ACCEPT, 0, 0, idx);
    p->rules[idx].end = p->code_size;
    p->coupons[ci].rule = idx;
  }
}

/* deadlines every year on MONTH DAY, ... */
static void setting_deadlines(struct compiler *c, struct node *it) {
  for (uint32_t i = 0; i < it->b->nkids; i++) {
    struct node *d = it->b->kids[i];
    int mo = month_of(d->s);
    if (!mo || strlen(d->s) > 9 || d->num < 1 || d->num > imhe_days_in_month(2001, mo) ||
        d->num != (int)d->num) {
      imhe_diag_error(c->d, d->loc, "write a month and day, e.g. Mar 15",
                      "invalid deadline '%s %g'", d->s, d->num);
      continue;
    }
    struct imhe_deadline *dl = BUILD_PUSH(&c->b, deadlines, ndeadlines, 11);
    dl->month = (uint8_t)mo;
    dl->day = (uint8_t)d->num;
  }
}

/* renewal annual | cycle N years from DATE [from/until DATES] */
static void setting_renewal(struct compiler *c, struct node *it) {
  struct imhe_renewal *rn = BUILD_PUSH(&c->b, renewals, nrenewals, 12);
  rn->from = it->num ? (int32_t)it->num : IMHE_NO_DATE;
  rn->until = it->num2 ? (int32_t)it->num2 : IMHE_NO_DATE;
  double scale = 1;
  int disp = DISP_PLAIN;
  int unit = it->a && it->a->kind == N_NUM ? unit_of_word(it->a->s, &scale, &disp) : -1;
  if (!strcmp(it->s, renewal_schemes[RENEW_ANNUAL])) {
    rn->scheme = RENEW_ANNUAL;
    if (it->a)
      imhe_diag_error(c->d, it->a->loc, "the hours due are stated by the renewal rules",
                      "an annual renewal takes no quantity");
  } else if (!strcmp(it->s, renewal_schemes[RENEW_CYCLE])) {
    rn->scheme = RENEW_CYCLE;
    if (!it->a || unit != IMHE_UNIT_DAYS || disp != DISP_YEARS || it->a->num < 1 ||
        it->a->num > 10 || it->a->num != (int)it->a->num || !it->num)
      imhe_diag_error(
          c->d, it->a ? it->a->loc : it->loc2, "e.g. renewal cycle 3 years from 2024-01-01",
          "a renewal cycle is a whole number of years (1 to 10) from a first cycle year");
    else
      rn->years = (uint32_t)it->a->num;
  } else
    unknown(c, it->loc2, "renewal scheme", it->s, NULL);
  /* due MONTH DAY [lapses MONTH DAY] */
  for (uint32_t i = 0; it->b && i < it->b->nkids; i++) {
    struct node *d = it->b->kids[i];
    int mo = month_of(d->s);
    if (!mo || strlen(d->s) > 9 || d->num < 1 || d->num > imhe_days_in_month(2000, mo) ||
        d->num != (int)d->num) {
      imhe_diag_error(c->d, d->loc, "write a month and day, e.g. due Dec 15 lapses Feb 1",
                      "'%s %g' is not a day of the year", d->s, d->num);
      continue;
    }
    if (i == 0) {
      rn->due_month = (uint8_t)mo;
      rn->due_day = (uint8_t)d->num;
    } else {
      rn->lapse_month = (uint8_t)mo;
      rn->lapse_day = (uint8_t)d->num;
    }
  }
}

static void gen_settings(struct compiler *c, struct merged *m, struct policy_file *pf, int depth) {
  if (pf->bases && pf->bases->nkids == 1 && !pf->bases->kids[0]->op && depth < MAX_CHAIN) {
    struct policy_file *base = imhe_symtab_get(&c->files, pf->bases->kids[0]->s);
    if (base)
      gen_settings(c, m, base, depth + 1);
  }
  struct imhe_program *p = &c->b.p;
  for (struct node *it = pf->items; it; it = it->next) {
    switch (it->kind) {
    case I_CALLED:
      p->settings.name = imhe_build_str(&c->b, it->s);
      p->settings.display = imhe_build_str(&c->b, it->s2);
      break;
    case I_MEMBERSHIP:
      p->settings.membership_any = it->op == 1;
      for (uint32_t i = 0; it->b && i < it->b->nkids; i++)
        *BUILD_PUSH(&c->b, accepted, naccepted, 8) = imhe_build_str(&c->b, it->b->kids[i]->s);
      break;
    case I_FEE:
      setting_fee(c, m, it);
      break;
    case I_FEES_UNPUBLISHED:
      p->settings.fees_published = 0;
      break;
    case I_COUPON:
      setting_coupon(c, m, it);
      break;
    case I_DEADLINES:
      setting_deadlines(c, it);
      break;
    case I_RENEWAL:
      setting_renewal(c, it);
      break;
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
        imhe_diag_error(c->d, list->kids[i]->loc,
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
    dom->code = imhe_build_str(&c->b, d->s);
    dom->name = imhe_build_str(&c->b, d->s2);
    dom->core = (uint8_t)d->op;
    dom->first = c->b.p.nitems;
    for (uint32_t k = 0; k < d->b->nkids; k++) {
      struct node *part = d->b->kids[k];
      uint32_t cats = part->b ? part_cats(c, m, part->b) : ALL_CATS;
      for (uint32_t j = 0; j < part->a->nkids; j++) {
        struct imhe_item *item = BUILD_PUSH(&c->b, items, nitems, 14);
        item->name = imhe_build_str(&c->b, part->a->kids[j]->s);
        item->cats = cats;
      }
    }
    dom->count = c->b.p.nitems - dom->first;
  }
}

/* ---------- driver ---------- */

/* The tracks are the catalogue's (`defines track`); a name that is not one is reported once per
 * `offers` item, with the tracks to write when the names are categories (their tracks). */
static void offers_not_tracks(struct compiler *c, struct node *list) {
  char names[300] = "", hint[400], all[200] = "", either[200] = "", write[200] = "";
  size_t k = 0, ka = 0, ke = 0, kw = 0;
  uint32_t bad = 0, cats = 1, tracks = 0;
  struct loc l = {0, 0, 0};
  const char *first = NULL;
  for (uint32_t i = 0; i < list->nkids; i++) {
    struct node *tn = list->kids[i];
    if (track_of(c, tn->s) >= 0)
      continue;
    if (!bad++) {
      l = tn->loc;
      first = tn->s;
    }
    l.end = tn->loc.end;
    if (k + 40 < sizeof names)
      k += (size_t)snprintf(names + k, sizeof names - k, "%s'%s'", k ? ", " : "", tn->s);
    int cat = cat_of(c, tn->s);
    if (cat < 0)
      cats = 0;
    else if (!(c->cat_tracks[cat] & (c->cat_tracks[cat] - 1))) /* serves one track */
      tracks |= c->cat_tracks[cat];
  }
  if (!bad)
    return;
  for (uint32_t t = 0; t < c->ntracks; t++) {
    ka += (size_t)snprintf(all + ka, sizeof all - ka, "%s%s", ka ? ", " : "", c->track_code[t]);
    ke += (size_t)snprintf(either + ke, sizeof either - ke, "%s%s",
                           !ke                   ? ""
                           : t + 1 == c->ntracks ? " or "
                                                 : ", ",
                           c->track_code[t]);
    if (tracks >> t & 1u)
      kw +=
          (size_t)snprintf(write + kw, sizeof write - kw, "%s%s", kw ? ", " : "", c->track_code[t]);
  }
  const char *near = bad == 1 && !cats ? nearest_in(c->track_code, (int)c->ntracks, first) : NULL;
  if (cats && kw)
    snprintf(hint, sizeof hint, "%s: write offers %s",
             bad == 1 ? "that is a category" : "those are categories", write);
  else if (cats)
    snprintf(hint, sizeof hint, "a category of either track is offered with either track");
  else if (near)
    snprintf(hint, sizeof hint, "did you mean '%s'?", near);
  else {
    size_t kh = 0;
    for (uint32_t t = 0; t < c->ntracks && kh + 80 < sizeof hint; t++)
      kh += (size_t)snprintf(hint + kh, sizeof hint - kh, "%s%s is %s", kh ? ", " : "",
                             c->track_code[t], c->track_name[t]);
    snprintf(hint + kh, sizeof hint - kh, "%sa base lists its categories with 'defines'",
             kh ? "; " : "");
  }
  if (cats)
    imhe_diag_error(c->d, l, hint, "'offers' takes a track (%s), not the categor%s %s", all,
                    bad == 1 ? "y" : "ies", names);
  else
    imhe_diag_error(c->d, l, hint, "unknown track%s %s: 'offers' takes %s", bad == 1 ? "" : "s",
                    names, either);
}

/* The categories of the tracks the policy's `offers` items name (every category without one). */
static uint32_t offered_tracks(struct compiler *c, struct policy_file *top) {
  int has_offers = 0;
  uint32_t tracks = 0;
  for (struct node *it = top->items; it; it = it->next)
    if (it->kind == I_OFFERS) {
      has_offers = 1;
      offers_not_tracks(c, it->b);
      for (uint32_t i = 0; i < it->b->nkids; i++)
        if (track_of(c, it->b->kids[i]->s) >= 0)
          tracks |= 1u << track_of(c, it->b->kids[i]->s);
    }
  if (!has_offers)
    return ALL_CATS;
  uint32_t mask = 0;
  for (uint32_t k = 0; k < c->ncats; k++)
    if (c->cat_tracks[k] & tracks)
      mask |= 1u << k;
  return mask;
}

/* Warnings about what is offered: an offered category without a fee of each kind declared
 * required for an application (when the policy publishes fees), and a rule of the policy's own
 * for categories none of its eras offers. */
static void offered_checks(struct compiler *c, struct merged *m, struct policy_file *top) {
  const struct imhe_program *p = &c->b.p;
  uint32_t offered = 0;
  for (uint32_t e = 0; e < p->neras; e++)
    offered |= p->eras[e].offered;
  char names[400] = "";
  size_t n = 0;
  for (uint32_t f = 0; f < c->nfee_kinds && p->settings.fees_published; f++) {
    if ((c->fee_flags[f] & (FK_APPLICATION | FK_REQUIRED)) != (FK_APPLICATION | FK_REQUIRED))
      continue;
    n = 0;
    for (uint32_t k = 0; k < c->ncats; k++)
      if ((offered >> k & 1u) && !c->fee_by[f][k] && n + 20 < sizeof names)
        n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", n ? ", " : "", c->cat_code[k]);
    if (!n)
      continue;
    char hint[300];
    snprintf(hint, sizeof hint,
             "declare one (fee %s $N for ...) or say it is not published (fee %s not published "
             "for ...)",
             c->fee_word[f], c->fee_word[f]);
    imhe_diag_warning(c->d, top->name_loc, hint, "offered categor%s without a %s: %s",
                      strchr(names, ',') ? "ies" : "y", c->fee_name[f], names);
  }
  for (struct node *it = top->items; it; it = it->next) {
    if (it->kind != I_RULE)
      continue;
    uint32_t cats = resolve_cats(c, m, it->b) & ALL_CATS;
    if (!cats || (cats & offered))
      continue;
    char list[400] = "";
    n = 0;
    for (uint32_t k = 0; k < c->ncats; k++)
      if ((cats >> k & 1u) && n + 20 < sizeof list)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", c->cat_code[k]);
    imhe_diag_warning(c->d, it->b->loc,
                      "the policy's 'offers' (and its base's 'defines') decide "
                      "what is offered; the rule is never judged",
                      "rule '%s' is for %s, which the policy does not offer", it->s, list);
  }
}

static void compiler_init(struct compiler *c, struct diags *d, const char *path) {
  memset(c, 0, sizeof *c);
  imhe_arena_init(&c->arena, 0);
  imhe_symtab_init(&c->files);
  imhe_symtab_init(&c->let_busy);
  imhe_symtab_init(&c->vocab);
  imhe_symtab_init(&c->missing);
  imhe_build_init(&c->b);
  c->d = d;
  c->hash = 1469598103934665603ull;
  policy_dirs(c, path);
}

static void compiler_free(struct compiler *c) {
  imhe_build_free(&c->b);
  imhe_symtab_free(&c->files);
  imhe_symtab_free(&c->let_busy);
  imhe_symtab_free(&c->vocab);
  imhe_symtab_free(&c->missing);
  imhe_arena_free(&c->arena);
  free(c->dir);
  free(c->shown_dir);
  free(c->top_base);
}

int imhe_compile_file(const char *path, struct diags *d, struct imhe_program *out) {
  struct compiler c;
  compiler_init(&c, d, path);
  int fatal = 0;
  struct policy_file *top = load_policy(&c, path, path, (struct loc){0, 0, 0}, &fatal);
  int rc = -1;
  if (!top)
    goto done;
  c.top = top;
  if (top->name && *top->name)
    imhe_symtab_put(&c.files, top->name, top);
  if (diags_errors(d))
    goto done; /* syntax errors: nothing further is trustworthy */

  struct imhe_program *p = &c.b.p;
  p->policy_name = imhe_build_str(&c.b, top->name);
  p->settings.code = imhe_build_str(&c.b, top->name);
  p->settings.display = imhe_build_str(&c.b, top->name);
  p->settings.name = imhe_build_str(&c.b, top->name);

  /* Eras: one per dated base, or one for the whole policy. */
  uint32_t neras = top->bases && top->bases->nkids > 1 ? top->bases->nkids : 1;
  int dated = top->bases && (top->bases->nkids > 1 || top->bases->kids[0]->op);
  struct merged first;
  int have_first = 0;
  read_vocab(&c, top);
  uint32_t offered = offered_tracks(&c, top); /* read once: its errors are said once */
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
    era->base = imhe_build_str(&c.b, bn ? bn->s : top->name);
    era->from = (bn && bn->op == 1) ? (int32_t)bn->num : IMHE_NO_DATE;
    era->until = (bn && bn->op == 2) ? (int32_t)bn->num2 : IMHE_NO_DATE;
    if (dated && !bn->op)
      imhe_diag_error(d, bn->loc,
                      "e.g. extends legacy before 2025-01-01, alliance-2025 from 2025-01-01",
                      "when a policy has several bases each needs 'before' or 'from' a date");
    era->offered = (m.has_defines ? m.defines : all_cats(&c)) & offered;
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
    if (!diags_errors(d))
      offered_checks(&c, &first, top);
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
  compiler_free(&c);
  (void)fatal;
  return rc;
}
