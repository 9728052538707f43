/* events.c — libyaml's events of one document handed to the typing pass one at a time, each
 * counted against the limits on nesting, nodes, entries and scalar size before it is read. */
#include "runtime/records/events.h"
#include <stdarg.h>
#include <stdio.h>

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
  struct ynode *v = &p->view;
  v->type = (uint8_t)type;
  v->line = line;
  v->col = col;
  if (!p->depth && !p->has_root) {
    p->has_root = 1;
    p->root_type = (uint8_t)type;
    p->root_line = line;
    p->root_col = col;
  }
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

const struct ynode *imhe_pull(struct ypull *p) {
  const yaml_event_t *e = next_event(p);
  if (!e)
    return NULL;
  const struct imhe_read_limits *lim = p->lim;
  uint32_t line = p->base + (uint32_t)e->start_mark.line + 1;
  uint32_t col = (uint32_t)e->start_mark.column + 1;
  switch (e->type) {
  case YAML_ALIAS_EVENT:
    return limit(p, line, col, "aliases are not accepted in records (*%s)",
                 (const char *)e->data.alias.anchor);
  case YAML_SCALAR_EVENT: {
    size_t len = e->data.scalar.length;
    if (len > lim->max_scalar)
      return limit(p, line, col, "scalar of %zu bytes exceeds the limit of %zu bytes", len,
                   lim->max_scalar);
    int root = !p->depth && !p->has_root;
    struct ynode *v = (struct ynode *)place(p, N_SCALAR, line, col);
    if (!v)
      return NULL;
    v->s = (const char *)e->data.scalar.value;
    v->n = (uint32_t)len;
    v->plain = e->data.scalar.plain_implicit && e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (root)
      p->root_null = tree_is_null(v);
    return v;
  }
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT: {
    if (p->depth >= lim->max_depth)
      return limit(p, line, col, "nesting deeper than %u levels (limit)", lim->max_depth);
    int map = e->type == YAML_MAPPING_START_EVENT;
    struct ynode *v = (struct ynode *)place(p, map ? N_MAP : N_SEQ, line, col);
    if (!v)
      return NULL;
    v->s = NULL;
    v->n = 0;
    v->plain = 0;
    p->open[p->depth].map = (uint8_t)map;
    p->open[p->depth].count = 0;
    p->depth++;
    return v;
  }
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT:
    if (p->depth)
      p->depth--;
    break;
  default: /* not within a node: the typing pass never reads this far (balanced events) */
    p->doc_event = e->type;
    break;
  }
  p->view.type = N_END;
  p->view.line = line;
  p->view.col = col;
  p->view.s = NULL;
  p->view.n = 0;
  return &p->view;
}

void imhe_pull_done(struct ypull *p) {
  for (int k = 0; k < 2; k++)
    if (p->live[k])
      yaml_event_delete(&p->ev[k]);
  p->live[0] = p->live[1] = 0;
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
}
