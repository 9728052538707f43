/* tree.c — builds a document's node tree within the limits on nodes and entries, and quotes
 * scalars safely in messages. The limits are checked as nodes arrive, so no input costs more. */
#include "runtime/records/tree.h"

struct ynode *imhe_tree_node(struct tree_builder *b, int type, uint32_t line, uint32_t col) {
  if (++b->nodes > b->lim->max_nodes) {
    imhe_record_error(b->r, line, col, "more than %u nodes in one document (limit)",
                      b->lim->max_nodes);
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
  n->line = line;
  n->col = col;
  return n;
}

void imhe_tree_attach(struct tree_builder *b, struct ynode *n) {
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

const char *imhe_tree_excerpt(const struct ynode *n, char *buf, size_t cap) {
  if (n->type != N_SCALAR)
    return n->type == N_SEQ ? "a list" : "a mapping";
  size_t k = 0;
  buf[k++] = '\'';
  for (uint32_t i = 0; i < n->n && k + 5 < cap && i < 40; i++) {
    unsigned char c = (unsigned char)n->s[i];
    buf[k++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
  }
  if (n->n > 40 && k + 5 < cap) {
    memcpy(buf + k, "...", 3);
    k += 3;
  }
  buf[k++] = '\'';
  buf[k] = 0;
  return buf;
}
