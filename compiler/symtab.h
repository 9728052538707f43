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

void symtab_init(struct symtab *t);
void symtab_free(struct symtab *t);
void *symtab_get(const struct symtab *t, const char *key);
/* Inserts or replaces; returns the previous value or NULL. */
void *symtab_put(struct symtab *t, const char *key, void *val);
/* The key within edit distance 2 of `key` closest to it, or NULL ("did you mean"). */
const char *symtab_nearest(const struct symtab *t, const char *key);

#endif
