/* ast.h — the syntax tree of a .imhe policy, built by the parser's actions only.
 * Every node lives in the compilation's arena and carries its {file, start, end} byte span. */
#ifndef IMHE_AST_H
#define IMHE_AST_H

#include "runtime/core/arena.h"
#include <stdint.h>

struct loc {
  uint32_t file, start, end;
};

enum node_kind {
  /* expressions */
  N_NUM,   /* num, unit in s (may be NULL) */
  N_MONEY, /* num */
  N_DATE,  /* num = days */
  N_STR,   /* s */
  N_NAME,  /* s */
  N_CALL,  /* s(kids) */
  N_FIELD, /* a.s */
  N_LIST,  /* (kids) */
  N_BIN,   /* a op b */
  N_NOT,   /* not a */
  N_WHERE, /* a where b */
  N_ALLOF, /* kids: N_BRANCH */
  N_ANYOF,
  N_BRANCH, /* s: a */
  /* items */
  I_CALLED,  /* s full name, s2 display code */
  I_SOURCE,  /* s: the published source the rules after it in the file cite */
  I_DEFINES, /* kids: names */
  I_VOCAB,   /* c: N_NAME track or category; s code (loc2), s2 full name, b tracks served (in) or
              * a ages served (for), either NULL */
  I_OFFERS,
  I_GROUP,      /* s = kids */
  I_MEMBERSHIP, /* kids: names, or op=1 for any */
  I_FEE,        /* s kind, num, kids cats, s2 note */
  I_FEES_UNPUBLISHED,
  I_COUPON,        /* s code, kids waives, b cats list, num from, num2 until, a cond, s2 note */
  I_DEADLINES,     /* kids: N_DATE with month/day in num, num2 */
  I_RENEWAL,       /* s scheme, a quantity, num from, num2 until */
  I_REINSTATEMENT, /* num from */
  I_LET,           /* s = a */
  I_DOMAIN, /* s code, s2 name, op core, kids: N_LIST parts (each: kids names, b cats or NULL) */
  I_RULE,   /* s id, op flags, b cats (N_LIST), s2 desc, area (N_NAME) in c, a cond, d guard */
  I_REMOVE, /* s id */
};

enum rule_flags { RF_OVERRIDE = 1, RF_ADVISE = 2 };

struct node {
  enum node_kind kind;
  int op; /* token of the operator for N_BIN; flags for items */
  struct loc loc, loc2;
  double num, num2;
  double num3; /* I_FEE: the last day of a dated fee (its first is num2), 0 when open */
  const char *s, *s2;
  const char *cite; /* I_RULE: the text of the `source` item before it in its file, or NULL */
  struct node *a, *b, *c, *d;
  struct node **kids;
  uint32_t nkids, capkids;
  struct node *next; /* items in file order */
};

/* A parsed file: its policy head and items. */
struct policy_file {
  uint32_t file;
  const char *name;
  struct loc name_loc;
  struct node *bases; /* N_LIST of N_NAME with num = from, num2 = until dates */
  struct node *items, *last;
};

struct node *imhe_ast_new(struct imhe_arena *a, enum node_kind k, struct loc l);
struct node *imhe_ast_push(struct imhe_arena *a, struct node *list, struct node *kid);
struct node *imhe_ast_bin(struct imhe_arena *a, int op, struct node *l, struct node *r,
                          struct loc loc);

#endif
