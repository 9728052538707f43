/* tree.h — a YAML node as the typing pass sees it: a scalar, or the start (or N_END, the end) of a
 * list or mapping, located; and the trees of located nodes that keep a test's `expect:` block.
 * Nodes live in the record's arena and are dropped with it. */
#ifndef IMHE_TREE_H
#define IMHE_TREE_H

#include <stdint.h>
#include <string.h>

enum ntype { N_SCALAR, N_SEQ, N_MAP, N_END };
struct ynode {
  uint8_t type, plain;
  uint32_t line, col;
  const char *s;
  uint32_t n;
  /* in a tree only: children (a mapping's alternate key, value) */
  struct ynode *first, *last, *next;
  uint32_t count;
};

/* A printable excerpt of a scalar for messages, quoted: at most 40 bytes, control bytes shown as
 * '?'; for a list or mapping, its kind unquoted ("got a list", never "got 'a list'"). Written
 * into buf (cap bytes, at least 8) unless a constant is returned. */
const char *imhe_tree_excerpt(const struct ynode *n, char *buf, size_t cap);

/* A YAML null: no node, or a plain ~, null, Null, NULL or empty scalar. */
static inline int tree_is_null(const struct ynode *n) {
  if (!n)
    return 1;
  if (n->type != N_SCALAR || !n->plain)
    return 0;
  return n->n == 0 || (n->n == 1 && n->s[0] == '~') ||
         (n->n == 4 &&
          (!memcmp(n->s, "null", 4) || !memcmp(n->s, "Null", 4) || !memcmp(n->s, "NULL", 4)));
}

static inline int tree_key_is(const struct ynode *k, const char *s) {
  size_t n = strlen(s);
  return k->type == N_SCALAR && k->n == n && memcmp(k->s, s, n) == 0;
}

#endif
