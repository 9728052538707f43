/* symtab.c — open-addressing hash table (FNV-1a, linear probing, doubling at 50% load).
 * Lookups are O(1), so resolving a policy's names stays linear in its size. */
#include "compiler/symtab.h"
#include "runtime/core/names.h"
#include <stdlib.h>
#include <string.h>

static uint32_t hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

void imhe_symtab_init(struct symtab *t) {
  memset(t, 0, sizeof *t);
}
void imhe_symtab_free(struct symtab *t) {
  free(t->keys);
  free(t->vals);
  memset(t, 0, sizeof *t);
}

static void grow(struct symtab *t) {
  uint32_t cap = t->cap ? t->cap * 2 : 64;
  const char **keys = calloc(cap, sizeof *keys);
  void **vals = calloc(cap, sizeof *vals);
  if (!keys || !vals) /* GCOVR_EXCL_BR_LINE: out of memory */
    abort();          /* GCOVR_EXCL_LINE: out of memory */
  for (uint32_t i = 0; i < t->cap; i++)
    if (t->keys[i]) {
      uint32_t j = hash(t->keys[i]) & (cap - 1);
      while (keys[j])
        j = (j + 1) & (cap - 1);
      keys[j] = t->keys[i];
      vals[j] = t->vals[i];
    }
  free(t->keys);
  free(t->vals);
  t->keys = keys;
  t->vals = vals;
  t->cap = cap;
}

void *imhe_symtab_get(const struct symtab *t, const char *key) {
  if (!t->cap)
    return NULL;
  for (uint32_t j = hash(key) & (t->cap - 1); t->keys[j]; j = (j + 1) & (t->cap - 1))
    if (strcmp(t->keys[j], key) == 0)
      return t->vals[j];
  return NULL;
}

void *imhe_symtab_put(struct symtab *t, const char *key, void *val) {
  if ((t->n + 1) * 2 > t->cap)
    grow(t);
  uint32_t j = hash(key) & (t->cap - 1);
  for (; t->keys[j]; j = (j + 1) & (t->cap - 1))
    if (strcmp(t->keys[j], key) == 0) {
      void *old = t->vals[j];
      t->vals[j] = val;
      return old;
    }
  t->keys[j] = key;
  t->vals[j] = val;
  t->n++;
  return NULL;
}

const char *imhe_symtab_nearest(const struct symtab *t, const char *key) {
  const char *best = NULL;
  unsigned bd = 3;
  for (uint32_t i = 0; i < t->cap; i++)
    if (t->keys[i]) {
      unsigned d = imhe_edit_distance(key, strlen(key), t->keys[i]);
      if (d < bd || (d == bd && best && strcmp(t->keys[i], best) < 0 && d < 3)) {
        bd = d;
        best = t->keys[i];
      }
    }
  return best;
}
