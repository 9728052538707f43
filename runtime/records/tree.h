/* tree.h — one YAML document as a tree of located nodes (scalars, lists, mappings), built from
 * libyaml's events within the reading limits and read by the typing pass. Nodes live in the
 * record's arena and are dropped with it. */
#ifndef IMHE_TREE_H
#define IMHE_TREE_H

#include "runtime/records/limits.h"
#include <stdint.h>
#include <string.h>

enum ntype { N_SCALAR, N_SEQ, N_MAP };
struct ynode {
  uint8_t type, plain;
  uint32_t line, col;
  const char *s;
  uint32_t n;
  struct ynode *first, *last, *next; /* children; mapping children alternate key, value */
  uint32_t count;
};

/* A document's tree under construction: nodes are made and attached in event order. */
struct tree_builder {
  struct imhe_record *r;
  const struct imhe_read_limits *lim;
  uint32_t base; /* lines before the document: libyaml counts from its start */
  struct ynode *stack[80];
  unsigned depth;
  unsigned nodes;
  struct ynode *root;
  int failed; /* a limit was hit: stop building, keep consuming events */
};

/* A new node at line:col (1-based), counted against max_nodes; NULL, with b->failed set and the
 * record's error given, past the limit. */
struct ynode *imhe_tree_node(struct tree_builder *b, int type, uint32_t line, uint32_t col);
/* Makes n the root, or the next child of the open list or mapping, within max_entries. */
void imhe_tree_attach(struct tree_builder *b, struct ynode *n);
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
