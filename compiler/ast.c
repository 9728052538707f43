/* ast.c — constructors for syntax tree nodes; the parser's actions call only these.
 * Lists grow by doubling inside the arena, so building a file is linear in its size. */
#include "compiler/ast.h"
#include <string.h>

struct node *imhe_ast_new(struct imhe_arena *a, enum node_kind k, struct loc l) {
  struct node *n = imhe_arena_alloc(a, sizeof *n);
  n->kind = k;
  n->loc = l;
  return n;
}

struct node *imhe_ast_push(struct imhe_arena *a, struct node *list, struct node *kid) {
  if (!list || !kid)
    return list;
  if (list->nkids == list->capkids) {
    uint32_t cap = list->capkids ? list->capkids * 2 : 4;
    struct node **v = imhe_arena_alloc(a, cap * sizeof *v);
    if (list->nkids)
      memcpy(v, list->kids, list->nkids * sizeof *v);
    list->kids = v;
    list->capkids = cap;
  }
  list->kids[list->nkids++] = kid;
  if (kid->loc.end > list->loc.end && kid->loc.file == list->loc.file)
    list->loc.end = kid->loc.end;
  return list;
}

struct node *imhe_ast_bin(struct imhe_arena *a, int op, struct node *l, struct node *r,
                          struct loc loc) {
  struct node *n = imhe_ast_new(a, N_BIN, loc);
  n->op = op;
  n->a = l;
  n->b = r;
  return n;
}
