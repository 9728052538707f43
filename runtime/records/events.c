/* events.c — libyaml's events of one document handed to the typing pass one at a time, each
 * counted against the limits on nesting, nodes, entries and scalar size before it is read. */
#include "runtime/records/events.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* A limit broke at line:col: reading the document stops there (the rest is only skipped). */
static const struct ynode *limit(struct ypull *p, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static const struct ynode *limit(struct ypull *p, uint32_t line, uint32_t col, const char *fmt,
                                 ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->lim_msg, sizeof p->lim_msg, fmt, ap);
  va_end(ap);
  p->lim_line = line;
  p->lim_col = col;
  p->stop = PULL_LIMIT;
  return NULL;
}

/* The event just read as a node of the document, within the limits on nodes, entries and depth
 * (in that order, as a node is counted, then placed in its list or mapping). */
static inline const struct ynode *place(struct ypull *p, int type, uint32_t line, uint32_t col) {
  const struct imhe_read_limits *lim = p->lim;
  if (++p->nodes > lim->max_nodes)
    return limit(p, line, col, "more than %u nodes in one document (limit)", lim->max_nodes);
  if (p->depth) {
    uint32_t *count = &p->open[p->depth - 1].count;
    if (*count >= lim->max_entries * (p->open[p->depth - 1].map ? 2u : 1u))
      return limit(p, line, col, "more than %u entries in one list or mapping (limit)",
                   lim->max_entries);
    ++*count;
  }
  if (!p->depth && !p->has_root) {
    p->has_root = 1;
    p->root_type = (uint8_t)type;
    p->root_line = line;
    p->root_col = col;
  }
  return &p->view;
}

/* The node handed on, its fields stored in their order at once: the typing pass copies each node
 * it keeps as soon as it is handed on, and a load wider than the stores it reads (the compiler
 * merges adjacent fields) waits for them to complete instead of taking their values on the way. */
static inline const struct ynode *view(struct ypull *p, int type, int plain, uint32_t line,
                                       uint32_t col, const char *s, size_t n) {
  struct ynode *v = &p->view;
  v->type = (uint8_t)type;
  v->plain = (uint8_t)plain;
  v->line = line;
  v->col = col;
  v->s = s;
  v->n = (uint32_t)n;
  return v;
}

/* The next raw event, the one before it kept alive (inlined in imhe_pull: one call fewer for each
 * of a record's ~450 events). */
static inline const yaml_event_t *next_event(struct ypull *p) {
  if (p->stop)
    return NULL;
  int k = p->cur ^ 1;
  if (p->live[k])
    yaml_event_delete(&p->ev[k]);
  p->live[k] = 0;
  if (!yaml_parser_parse(p->parser, &p->ev[k])) {
    p->stop = PULL_FAULT;
    return NULL;
  }
  p->live[k] = 1;
  p->cur = k;
  return &p->ev[k];
}

const yaml_event_t *imhe_pull_event(struct ypull *p) {
  return next_event(p);
}

/* An event (its type, mark and, for a scalar, its text) as a node of the document within the
 * limits, or N_END for the end of a list or mapping or for an event around the root; the same for
 * libyaml's events and for the events made from its tokens. */
static inline const struct ynode *deliver(struct ypull *p, yaml_event_type_t type, uint32_t line,
                                          uint32_t col, const char *s, size_t len, int plain) {
  const struct imhe_read_limits *lim = p->lim;
  switch (type) {
  case YAML_SCALAR_EVENT: {
    if (len > lim->max_scalar)
      return limit(p, line, col, "scalar of %zu bytes exceeds the limit of %zu bytes", len,
                   lim->max_scalar);
    int root = !p->depth && !p->has_root;
    if (!place(p, N_SCALAR, line, col))
      return NULL;
    const struct ynode *v = view(p, N_SCALAR, plain, line, col, s, len);
    if (root)
      p->root_null = tree_is_null(v);
    return v;
  }
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT: {
    unsigned deepest = lim->max_depth < IMHE_PULL_DEPTH_MAX ? lim->max_depth : IMHE_PULL_DEPTH_MAX;
    if (p->depth >= deepest)
      return limit(p, line, col, "nesting deeper than %u levels (limit)", deepest);
    int map = type == YAML_MAPPING_START_EVENT;
    if (!place(p, map ? N_MAP : N_SEQ, line, col))
      return NULL;
    p->open[p->depth].map = (uint8_t)map;
    p->open[p->depth].count = 0;
    p->depth++;
    return view(p, map ? N_MAP : N_SEQ, 0, line, col, NULL, 0);
  }
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT:
    if (p->depth)
      p->depth--;
    break;
  default: /* not within a node: the typing pass never reads this far (balanced events) */
    p->doc_event = type;
    break;
  }
  return view(p, N_END, 0, line, col, NULL, 0);
}

static const struct ynode *tok_pull(struct ypull *p);

const struct ynode *imhe_pull(struct ypull *p) {
  if (p->tok)
    return tok_pull(p);
  const yaml_event_t *e = next_event(p);
  if (!e)
    return NULL;
  uint32_t line = p->base + (uint32_t)e->start_mark.line + 1;
  uint32_t col = (uint32_t)e->start_mark.column + 1;
  if (e->type == YAML_ALIAS_EVENT)
    return limit(p, line, col, "aliases are not accepted in records (*%s)",
                 (const char *)e->data.alias.anchor);
  if (e->type == YAML_SCALAR_EVENT)
    return deliver(p, e->type, line, col, (const char *)e->data.scalar.value, e->data.scalar.length,
                   e->data.scalar.plain_implicit &&
                       e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE);
  return deliver(p, e->type, line, col, NULL, 0, 0);
}

/* ---- the same events made from libyaml's tokens (imhe_pull_tokens) ----
 * Each step below follows the state of libyaml's parser (parser.c) it stands for, making the event
 * that state makes with the mark it gives it; where that state would make anything the common
 * shapes do not need (an empty node but in a block mapping's value, a single-pair mapping in a
 * flow sequence) or report an error, reading stops (bail) and the document is read again through
 * libyaml's events. */

/* The steps are inlined into tok_pull, one function per event: a call or two fewer for each of a
 * record's thousand tokens (1.4 % fewer instructions, 2 to 3 % less CPU on bench/gen_records.py's
 * records, for 2.5 to 4 % more L1 instruction misses in callgrind's simulation). */
enum { K_BMAP, K_BSEQ, K_ISEQ, K_FSEQ, K_FMAP }; /* block, indentless (a key's), flow */
enum { S_FIRST, S_KEY, S_VALUE };                /* within a collection: what comes next */

static const struct ynode *bail(struct ypull *p) {
  p->stop = PULL_FAULT;
  return NULL;
}

/* The next token looked at, scanned once: 0 when libyaml's scanner stopped. */
static inline int peek(struct ypull *p) {
  if (p->has_tk)
    return 1;
  if (!yaml_parser_scan(p->parser, &p->tk))
    return 0;
  p->has_tk = 1;
  return 1;
}

/* Passes the token looked at: one that holds no text (a scalar's is taken by scalar()). */
static inline int take(struct ypull *p) {
  p->has_tk = 0;
  return peek(p);
}

#define LINE(m) (p->base + (uint32_t)(m).line + 1)
#define COL(m) ((uint32_t)(m).column + 1)

static inline __attribute__((always_inline)) const struct ynode *scalar(struct ypull *p) {
  char *s = (char *)p->tk.data.scalar.value;
  size_t n = p->tk.data.scalar.length;
  int plain = p->tk.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
  yaml_mark_t m = p->tk.start_mark;
  p->has_tk = 0;
  int k = p->svk ^= 1; /* the older of the two texts kept goes */
  free(p->sv[k]);
  p->sv[k] = s;
  return deliver(p, YAML_SCALAR_EVENT, LINE(m), COL(m), s, n, plain);
}

/* libyaml's empty scalar (a key's missing value): plain, no text, at mark m */
static inline __attribute__((always_inline)) const struct ynode *empty(struct ypull *p,
                                                                       yaml_mark_t m) {
  return deliver(p, YAML_SCALAR_EVENT, LINE(m), COL(m), "", 0, 1);
}

/* yaml_parser_parse_node without anchors, tags and aliases, at the token looked at. */
static inline __attribute__((always_inline)) const struct ynode *node(struct ypull *p, int block,
                                                                      int indentless) {
  yaml_mark_t m = p->tk.start_mark;
  uint8_t kind;
  switch (p->tk.type) {
  case YAML_SCALAR_TOKEN:
    return scalar(p);
  case YAML_FLOW_SEQUENCE_START_TOKEN:
    kind = K_FSEQ;
    break;
  case YAML_FLOW_MAPPING_START_TOKEN:
    kind = K_FMAP;
    break;
  case YAML_BLOCK_SEQUENCE_START_TOKEN:
    kind = K_BSEQ;
    break;
  case YAML_BLOCK_MAPPING_START_TOKEN:
    kind = K_BMAP;
    break;
  case YAML_BLOCK_ENTRY_TOKEN:
    kind = K_ISEQ;
    break;
  default:
    return bail(p);
  }
  if ((!block && (kind == K_BSEQ || kind == K_BMAP)) || (!indentless && kind == K_ISEQ))
    return bail(p);
  if (kind != K_ISEQ) /* an indentless list's first entry is read as its entry */
    p->has_tk = 0;
  unsigned d = p->depth;
  int map = kind == K_BMAP || kind == K_FMAP;
  const struct ynode *v = deliver(p, map ? YAML_MAPPING_START_EVENT : YAML_SEQUENCE_START_EVENT,
                                  LINE(m), COL(m), NULL, 0, 0);
  if (v) {
    p->open[d].kind = kind;
    p->open[d].state = S_FIRST;
  }
  return v;
}

static inline __attribute__((always_inline)) const struct ynode *end(struct ypull *p, int map,
                                                                     yaml_mark_t m) {
  return deliver(p, map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT, LINE(m), COL(m), NULL,
                 0, 0);
}

/* yaml_parser_parse_block_mapping_key and _value */
static inline __attribute__((always_inline)) const struct ynode *block_map(struct ypull *p,
                                                                           uint8_t *state) {
  yaml_token_type_t t = p->tk.type;
  if (*state != S_VALUE) {
    if (t == YAML_BLOCK_END_TOKEN) {
      yaml_mark_t m = p->tk.start_mark;
      p->has_tk = 0;
      return end(p, 1, m);
    }
    if (t != YAML_KEY_TOKEN || !take(p))
      return bail(p);
    t = p->tk.type;
    if (t == YAML_KEY_TOKEN || t == YAML_VALUE_TOKEN || t == YAML_BLOCK_END_TOKEN)
      return bail(p);
    *state = S_VALUE;
    return node(p, 1, 1);
  }
  if (t != YAML_VALUE_TOKEN)
    return bail(p);
  yaml_mark_t e = p->tk.end_mark;
  if (!take(p))
    return bail(p);
  *state = S_KEY;
  t = p->tk.type;
  if (t == YAML_KEY_TOKEN || t == YAML_VALUE_TOKEN || t == YAML_BLOCK_END_TOKEN)
    return empty(p, e);
  return node(p, 1, 1);
}

/* yaml_parser_parse_block_sequence_entry and _indentless_sequence_entry */
static inline __attribute__((always_inline)) const struct ynode *block_seq(struct ypull *p,
                                                                           int indentless) {
  yaml_token_type_t t = p->tk.type;
  if (t == YAML_BLOCK_ENTRY_TOKEN) {
    yaml_mark_t e = p->tk.end_mark;
    if (!take(p))
      return bail(p);
    t = p->tk.type;
    if (t == YAML_BLOCK_ENTRY_TOKEN || t == YAML_BLOCK_END_TOKEN ||
        (indentless && (t == YAML_KEY_TOKEN || t == YAML_VALUE_TOKEN)))
      return empty(p, e);
    return node(p, 1, 0);
  }
  yaml_mark_t m = p->tk.start_mark;
  if (indentless) /* ends before the token, which is the mapping's */
    return end(p, 0, m);
  if (t != YAML_BLOCK_END_TOKEN)
    return bail(p);
  p->has_tk = 0;
  return end(p, 0, m);
}

/* yaml_parser_parse_flow_sequence_entry and yaml_parser_parse_flow_mapping_key and _value */
static inline __attribute__((always_inline)) const struct ynode *flow(struct ypull *p, int map,
                                                                      uint8_t *state) {
  yaml_token_type_t close = map ? YAML_FLOW_MAPPING_END_TOKEN : YAML_FLOW_SEQUENCE_END_TOKEN;
  if (*state == S_VALUE) {
    if (p->tk.type != YAML_VALUE_TOKEN || !take(p))
      return bail(p);
    if (p->tk.type == YAML_FLOW_ENTRY_TOKEN || p->tk.type == close)
      return bail(p);
    *state = S_KEY;
    return node(p, 0, 0);
  }
  if (p->tk.type != close) {
    if (*state != S_FIRST && (p->tk.type != YAML_FLOW_ENTRY_TOKEN || !take(p)))
      return bail(p);
    *state = S_KEY;
    yaml_token_type_t t = p->tk.type;
    if (map && t == YAML_KEY_TOKEN) {
      if (!take(p))
        return bail(p);
      t = p->tk.type;
      if (t == YAML_VALUE_TOKEN || t == YAML_FLOW_ENTRY_TOKEN || t == close)
        return bail(p);
      *state = S_VALUE;
      return node(p, 0, 0);
    }
    if (t == YAML_KEY_TOKEN || (map && t != close))
      return bail(p);
    if (t != close)
      return node(p, 0, 0);
  }
  yaml_mark_t m = p->tk.start_mark;
  p->has_tk = 0;
  return end(p, map, m);
}

static const struct ynode *tok_pull(struct ypull *p) {
  if (p->stop)
    return NULL;
  if (p->doc_event || !peek(p))
    return bail(p);
  if (!p->depth) {
    if (!p->has_root)
      return node(p, 1, 0);
    /* yaml_parser_parse_document_end: at the next token, which it passes if a document end */
    yaml_mark_t m = p->tk.start_mark;
    if (p->tk.type == YAML_DOCUMENT_END_TOKEN)
      p->has_tk = 0;
    return deliver(p, YAML_DOCUMENT_END_EVENT, LINE(m), COL(m), NULL, 0, 0);
  }
  uint8_t *state = &p->open[p->depth - 1].state;
  switch (p->open[p->depth - 1].kind) {
  case K_BMAP:
    return block_map(p, state);
  case K_BSEQ:
    return block_seq(p, 0);
  case K_ISEQ:
    return block_seq(p, 1);
  case K_FSEQ:
    return flow(p, 0, state);
  default:
    return flow(p, 1, state);
  }
}

int imhe_pull_tokens(struct ypull *p, uint32_t *line, uint32_t *col) {
  p->tok = 1;
  if (!peek(p) || p->tk.type != YAML_STREAM_START_TOKEN || !take(p))
    return 0;
  /* yaml_parser_parse_document_start: an explicit document starts at its marker, an implicit one
   * at its first token */
  yaml_mark_t m = p->tk.start_mark;
  if (p->tk.type == YAML_DOCUMENT_START_TOKEN && !take(p))
    return 0;
  if (p->tk.type != YAML_BLOCK_MAPPING_START_TOKEN && p->tk.type != YAML_FLOW_MAPPING_START_TOKEN)
    return 0;
  *line = LINE(m);
  *col = COL(m);
  return 1;
}

int imhe_pull_tokens_end(struct ypull *p) {
  if (p->stop || p->depth || !p->has_root || (!p->doc_event && !tok_pull(p)))
    return 0;
  /* yaml_parser_parse_document_start after a document: further document ends, then the stream's */
  while (peek(p) && p->tk.type == YAML_DOCUMENT_END_TOKEN)
    p->has_tk = 0;
  return p->has_tk && p->tk.type == YAML_STREAM_END_TOKEN;
}

void imhe_pull_done(struct ypull *p) {
  for (int k = 0; k < 2; k++) {
    if (p->live[k])
      yaml_event_delete(&p->ev[k]);
    free(p->sv[k]);
    p->sv[k] = NULL;
  }
  p->live[0] = p->live[1] = 0;
  if (p->has_tk)
    yaml_token_delete(&p->tk);
  p->has_tk = 0;
}

void imhe_pull_init(struct ypull *p, yaml_parser_t *parser, const struct imhe_read_limits *lim,
                    uint32_t base) {
  p->parser = parser;
  p->lim = lim;
  p->live[0] = p->live[1] = p->cur = 0;
  p->base = base;
  p->depth = p->nodes = 0;
  p->stop = p->doc_event = 0;
  p->has_root = p->root_null = 0;
  p->salvage_id.s = NULL;
  p->salvage_id.n = 0;
  p->tok = p->has_tk = p->svk = 0;
  p->sv[0] = p->sv[1] = NULL;
}
