/* policy_set.c — a set of association policies opened from a rules directory or one policy file:
 * compiled policies used when current, sources compiled (and cached) otherwise, all verified. */
#include "api/internal.h"
#include "compiler/compile.h"
#include "runtime/core/atomic.h"
#include "runtime/core/defs.h"
#include "runtime/core/names.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* A file's modification time in nanoseconds (0: no such regular file). To the nanosecond, so a
 * source saved in the same second its cache was written is still seen as newer. */
static long long mtime_of(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
    return 0;
  return (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

static int has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), k = strlen(suf);
  return n > k && !strcmp(s + n - k, suf);
}

/* Any policy source in dir newer than t (a base may have changed since a cache was written). */
static int source_newer_than(const char *dir, long long t) {
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  int newer = 0;
  char path[PATH_MAX];
  for (struct dirent *e; !newer && (e = readdir(d));) {
    if (!has_suffix(e->d_name, ".imhe"))
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    newer = mtime_of(path) > t;
  }
  closedir(d);
  return newer;
}

/* The whole file in memory (at most 256 MiB), or NULL with why in err. */
static uint8_t *slurp(const char *path, size_t *len, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, n = 0, r;
  uint8_t *buf = malloc(cap);
  while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) {
      uint8_t *nb = cap >= (256u << 20) ? NULL : realloc(buf, cap * 2);
      if (!nb)
        break;
      buf = nb;
      cap *= 2;
    }
  }
  int read_err = ferror(f) ? errno : 0;
  fclose(f);
  if (!buf || read_err) {
    snprintf(err, errlen, "%s: cannot read: %s", path, buf ? strerror(read_err) : "out of memory");
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

static int load_compiled(const char *path, int check_sum, struct imhe_program *p, char *err,
                         size_t errlen) {
  size_t n;
  uint8_t *buf = slurp(path, &n, err, errlen);
  if (!buf)
    return -1;
  char why[400];
  int rc = imhe_program_load(buf, n, check_sum, p, why, sizeof why);
  free(buf);
  if (rc)
    snprintf(err, errlen, "%s: refused: %s", path, why);
  return rc;
}

/* Compiles src; the compiler's messages (file:line:col, the line, a caret) become the error. The
 * program goes through the file format and the verifier, as a cached one would, and is cached at
 * bin unless told not to (a read-only rules directory is fine: the policy is in memory). */
static int compile_source(const char *src, const char *bin, int write_cache, struct imhe_program *p,
                          char **error) {
  char *text = NULL;
  size_t tlen = 0;
  FILE *mem = open_memstream(&text, &tlen);
  if (!mem)
    return *error = strdup("out of memory"), -1;
  struct diags d;
  imhe_diags_init(&d, mem, 0, 0);
  int rc = imhe_compile_file(src, &d, p);
  imhe_diags_flush(&d);
  imhe_diags_free(&d);
  fclose(mem);
  if (rc) {
    size_t need = tlen + strlen(src) + 64;
    if ((*error = malloc(need)))
      snprintf(*error, need, "policy %s has errors:\n%s", src, text ? text : "");
    free(text);
    return -1;
  }
  free(text);
  uint8_t *bytes;
  size_t n;
  char why[400];
  imhe_program_write(p, &bytes, &n);
  imhe_program_free(p);
  if (imhe_program_load(bytes, n, 1, p, why, sizeof why)) {
    free(bytes);
    *error = strdup(why);
    return -1;
  }
  if (write_cache)
    imhe_write_atomic(bin, bytes, n, why, sizeof why);
  free(bytes);
  return 0;
}

/* Loads policy x from its source src and compiled file bin (either may be missing). */
static void load_policy(struct imhe_policy *x, const char *src, const char *bin,
                        const char *src_dir, const imhe_open_options *o) {
  char err[700];
  long long bt = mtime_of(bin), st = mtime_of(src);
  if (bt && (!st || (bt >= st && !source_newer_than(src_dir, bt)))) {
    if (load_compiled(bin, !o->no_checksum, &x->prog, err, sizeof err) == 0) {
      /* A cache another version of imhe wrote is compiled afresh while its source is at hand:
       * the newer compiler may read the same policy differently. Without a source it is all
       * there is, and the verifier has accepted it. */
      if (!st || !strcmp(x->prog.compiler_version, IMHE_VERSION)) {
        x->file = strdup(bin);
        x->loaded = 1;
        return;
      }
      imhe_program_free(&x->prog);
    }
    if (!st) {
      x->error = strdup(err);
      x->file = strdup(bin);
      return;
    }
  }
  x->file = strdup(src);
  if (compile_source(src, bin, !o->no_cache_write, &x->prog, &x->error) == 0)
    x->loaded = 1;
}

static int add_stem(struct imhe_policy_set *s, size_t *cap, const char *stem) {
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->v[i].stem, stem))
      return 0;
  if (s->n == *cap) {
    size_t nc = *cap ? *cap * 2 : 16;
    struct imhe_policy *v = realloc(s->v, nc * sizeof *v);
    if (!v)
      return -1;
    s->v = v;
    *cap = nc;
  }
  memset(&s->v[s->n], 0, sizeof s->v[0]);
  atomic_init(&s->v[s->n].same_as, 0);
  if (!(s->v[s->n].stem = strdup(stem)))
    return -1;
  s->n++;
  return 0;
}

/* Every NAME of NAME.imhe or NAME.imhec in dir. */
static int list_dir(struct imhe_policy_set *s, size_t *cap, const char *dir, imhe_error *err) {
  DIR *d = opendir(dir);
  if (!d)
    return imhe_fail_at(err, IMHE_IO, dir, 0, 0, "%s: cannot open: %s", dir, strerror(errno));
  for (struct dirent *e; (e = readdir(d));) {
    char stem[256];
    size_t n = strlen(e->d_name);
    if (e->d_name[0] == '.' || n >= sizeof stem)
      continue;
    size_t k = has_suffix(e->d_name, ".imhe") ? 5 : has_suffix(e->d_name, ".imhec") ? 6 : 0;
    if (!k)
      continue;
    memcpy(stem, e->d_name, n - k);
    stem[n - k] = 0;
    if (add_stem(s, cap, stem)) {
      closedir(d);
      return imhe_fail(err, IMHE_NO_MEMORY, "out of memory listing %s", dir);
    }
  }
  closedir(d);
  return IMHE_OK;
}

static void policy_free(struct imhe_policy *x) {
  free(x->image);
  free(x->stem);
  free(x->file);
  free(x->error);
  if (x->loaded)
    imhe_program_free(&x->prog);
}

/* A policy another one extends (in any era) is a base, not an association's policy. */
static int is_base(const struct imhe_policy_set *s, const char *stem) {
  for (size_t i = 0; i < s->n; i++) {
    const struct imhe_program *p = &s->v[i].prog;
    for (uint32_t e = 0; s->v[i].loaded && e < p->neras; e++)
      if (!strcasecmp(imhe_str(p, p->eras[e].base), stem) &&
          strcasecmp(imhe_str(p, p->policy_name), stem))
        return 1;
  }
  return 0;
}

static int by_code(const void *a, const void *b) {
  return strcmp(imhe_policy_code(a), imhe_policy_code(b));
}

static imhe_code open_dir(struct imhe_policy_set *s, const char *dir, const imhe_open_options *o,
                          imhe_error *err) {
  size_t cap = 0;
  imhe_code rc = list_dir(s, &cap, dir, err);
  if (rc)
    return rc;
  if (o->cache_dir && strcmp(o->cache_dir, dir) && (rc = list_dir(s, &cap, o->cache_dir, err)))
    return rc;
  const char *bin_dir = o->cache_dir ? o->cache_dir : dir;
  for (size_t i = 0; i < s->n; i++) {
    char src[PATH_MAX], bin[PATH_MAX];
    snprintf(src, sizeof src, "%s/%s.imhe", dir, s->v[i].stem);
    snprintf(bin, sizeof bin, "%s/%s.imhec", bin_dir, s->v[i].stem);
    load_policy(&s->v[i], src, bin, dir, o);
  }
  size_t k = 0;
  int *base = calloc(s->n + 1, sizeof *base);
  if (!base)
    return imhe_fail(err, IMHE_NO_MEMORY, "out of memory");
  for (size_t i = 0; i < s->n; i++)
    base[i] = is_base(s, s->v[i].stem);
  for (size_t i = 0; i < s->n; i++) {
    if (base[i])
      policy_free(&s->v[i]);
    else
      s->v[k++] = s->v[i];
  }
  free(base);
  s->n = k;
  qsort(s->v, s->n, sizeof *s->v, by_code);
  return IMHE_OK;
}

static imhe_code open_file(struct imhe_policy_set *s, const char *path, const imhe_open_options *o,
                           imhe_error *err) {
  size_t cap = 0;
  const char *slash = strrchr(path, '/');
  if (add_stem(s, &cap, slash ? slash + 1 : path))
    return imhe_fail(err, IMHE_NO_MEMORY, "out of memory");
  struct imhe_policy *x = &s->v[0];
  s->single = 1;
  if (has_suffix(path, ".imhec")) {
    char why[700];
    x->file = strdup(path);
    if (load_compiled(path, !o->no_checksum, &x->prog, why, sizeof why))
      return imhe_fail_at(err, IMHE_BYTECODE, path, 0, 0, "%s", why);
    x->loaded = 1;
    return IMHE_OK;
  }
  char bin[PATH_MAX], dir[PATH_MAX];
  snprintf(bin, sizeof bin, "%sc", path);
  snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
  load_policy(x, path, bin, dir, o);
  if (!x->loaded)
    return imhe_fail_at(err, IMHE_POLICY, path, 0, 0, "%s", x->error);
  return IMHE_OK;
}

/* The names of every policy of s, in the order imhe_policy_set_find tries them (policy_set_find's
 * keys); empty keys are left out, as a blank name equals none. 0, or -1 out of memory. */
static int policy_keys(struct imhe_policy_set *s) {
  s->keys = calloc(4 * s->n + 1, sizeof *s->keys);
  if (!s->keys)
    return -1;
  for (size_t i = 0; i < s->n; i++) {
    const struct imhe_policy *x = &s->v[i];
    const char *names[4] = {x->stem, NULL, NULL, NULL};
    if (x->loaded) {
      names[1] = imhe_policy_code(x);
      names[2] = imhe_policy_short_name(x);
      names[3] = imhe_policy_name(x);
    }
    for (int k = 0; k < 4; k++) {
      if (!names[k])
        continue;
      size_t n = strlen(names[k]);
      char *key = malloc(n + 1);
      if (!key)
        return -1;
      size_t len = imhe_code_key(names[k], n, key);
      if (!len) {
        free(key);
        continue;
      }
      s->keys[s->nkeys++] = (struct imhe_policy_key){x, len, key};
    }
  }
  return 0;
}

IMHE_API imhe_code imhe_policy_set_open(const char *path, const imhe_open_options *opts,
                                        imhe_policy_set **out, imhe_error *err) {
  static const imhe_open_options defaults = {0};
  if (out)
    *out = NULL;
  if (!path || !out)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_policy_set_open: NULL %s",
                     path ? "out" : "path");
  struct stat st;
  if (stat(path, &st) != 0)
    return imhe_fail_at(err, IMHE_IO, path, 0, 0, "%s: cannot open: %s", path, strerror(errno));
  struct imhe_policy_set *s = calloc(1, sizeof *s);
  if (!s || !(s->path = strdup(path))) {
    free(s);
    return imhe_fail(err, IMHE_NO_MEMORY, "out of memory");
  }
  const imhe_open_options *o = opts ? opts : &defaults;
  imhe_code rc = S_ISDIR(st.st_mode) ? open_dir(s, path, o, err)
                 : S_ISREG(st.st_mode)
                     ? open_file(s, path, o, err)
                     : imhe_fail_at(err, IMHE_IO, path, 0, 0,
                                    "%s: not a directory of policies nor a policy file", path);
  if (rc) {
    imhe_policy_set_close(s);
    return rc;
  }
  if (policy_keys(s)) { /* GCOVR_EXCL_START: out of memory */
    imhe_policy_set_close(s);
    return imhe_fail(err, IMHE_NO_MEMORY, "out of memory");
  } /* GCOVR_EXCL_STOP */
  /* each program's bytes, so that two sets can tell a policy they share (imhe_judge_pair) */
  static _Atomic uint64_t serials;
  for (size_t i = 0; i < s->n; i++) {
    if (s->v[i].loaded && imhe_program_write(&s->v[i].prog, &s->v[i].image, &s->v[i].image_len))
      s->v[i].image = NULL; /* GCOVR_EXCL_LINE: out of memory (the policy is then never shared) */
    s->v[i].serial = s->v[i].image ? atomic_fetch_add(&serials, 1) + 1 : 0;
  }
  *out = s;
  return imhe_ok(err);
}

IMHE_API void imhe_policy_set_close(imhe_policy_set *s) {
  if (!s)
    return;
  for (size_t i = 0; i < s->n; i++)
    policy_free(&s->v[i]);
  for (size_t i = 0; i < s->nkeys; i++)
    free(s->keys[i].key);
  free(s->keys);
  free(s->v);
  free(s->path);
  free(s);
}

IMHE_API size_t imhe_policy_set_count(const imhe_policy_set *s) {
  return s ? s->n : 0;
}

IMHE_API const imhe_policy *imhe_policy_set_at(const imhe_policy_set *s, size_t i) {
  return s && i < s->n ? &s->v[i] : NULL;
}

/* name equals s, ignoring case and spaces (association codes and names as records spell them). */
static int same_name(const char *name, size_t n, const char *s) {
  return s && imhe_codes_equal(name, n, s, strlen(s));
}

IMHE_API const imhe_policy *imhe_policy_set_find(const imhe_policy_set *s, const char *name) {
  if (!s || !name || !s->n)
    return NULL;
  if (s->single)
    return &s->v[0];
  while (isspace((unsigned char)*name))
    name++;
  size_t n = strlen(name);
  while (n && isspace((unsigned char)name[n - 1]))
    n--;
  for (int pass = 0; pass < 2; pass++) {
    char key[256];
    if (n <= sizeof key) { /* as below, by the names' keys: the same policy, found sooner */
      size_t len = imhe_code_key(name, n, key);
      for (size_t i = 0; len && i < s->nkeys; i++) /* the first byte, then the rest */
        if (s->keys[i].len == len && s->keys[i].key[0] == key[0] &&
            !memcmp(s->keys[i].key + 1, key + 1, len - 1))
          return s->keys[i].p;
    } else
      for (size_t i = 0; i < s->n; i++) {
        const struct imhe_policy *x = &s->v[i];
        if (same_name(name, n, x->stem) ||
            (x->loaded && (same_name(name, n, imhe_policy_code(x)) ||
                           same_name(name, n, imhe_policy_short_name(x)) ||
                           same_name(name, n, imhe_policy_name(x)))))
          return x;
      }
    /* "wi-aimh" names the association whose policy file is wi.imhe */
    if (n > 5 && !strncasecmp(name + n - 5, "-aimh", 5))
      n -= 5;
    else
      break;
  }
  return NULL;
}

IMHE_API const char *imhe_policy_code(const imhe_policy *p) {
  return !p ? NULL : p->loaded ? imhe_str(&p->prog, p->prog.settings.code) : p->stem;
}
IMHE_API const char *imhe_policy_short_name(const imhe_policy *p) {
  return !p ? NULL : p->loaded ? imhe_str(&p->prog, p->prog.settings.display) : p->stem;
}
IMHE_API const char *imhe_policy_name(const imhe_policy *p) {
  return !p ? NULL : p->loaded ? imhe_str(&p->prog, p->prog.settings.name) : p->stem;
}
IMHE_API const char *imhe_policy_file(const imhe_policy *p) {
  return p ? p->file : NULL;
}
IMHE_API const char *imhe_policy_error(const imhe_policy *p) {
  return p ? p->error : NULL;
}

/* The categories offered in any era, as a mask. */
static uint32_t offered(const imhe_policy *p) {
  uint32_t m = 0;
  for (uint32_t e = 0; p && p->loaded && e < p->prog.neras; e++)
    m |= p->prog.eras[e].offered;
  return m;
}

IMHE_API size_t imhe_policy_category_count(const imhe_policy *p) {
  uint32_t m = offered(p);
  size_t n = 0;
  for (uint32_t c = 0; p && p->loaded && c < p->prog.ncats; c++)
    n += (m >> c) & 1;
  return n;
}

IMHE_API const char *imhe_policy_category(const imhe_policy *p, size_t i) {
  uint32_t m = offered(p);
  for (uint32_t c = 0; p && p->loaded && c < p->prog.ncats; c++)
    if (((m >> c) & 1) && i-- == 0)
      return imhe_cat_code(&p->prog, (int)c); /* as documented: the code, not its full name */
  return NULL;
}
