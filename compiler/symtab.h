/* symtab.h — a string-keyed hash table for name resolution (lets, groups, rules, strings).
 * Keys are not copied: they must outlive the table (arena strings do). */
#ifndef IMHE_SYMTAB_H
#define IMHE_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

struct symtab {
  const char **keys;
  void **vals;
  uint32_t cap, n;
};

void imhe_symtab_init(struct symtab *t);
void imhe_symtab_free(struct symtab *t);
void *imhe_symtab_get(const struct symtab *t, const char *key);
/* Inserts or replaces; returns the previous value or NULL. */
void *imhe_symtab_put(struct symtab *t, const char *key, void *val);
/* The key within edit distance 2 of `key` closest to it, or NULL ("did you mean"). */
const char *imhe_symtab_nearest(const struct symtab *t, const char *key);

#endif
