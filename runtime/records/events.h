/* events.h — one YAML document's events as the typing pass reads them (runtime/records/type.c),
 * each checked against the reading limits before it is handed on. Owns the events it holds. */
#ifndef IMHE_EVENTS_H
#define IMHE_EVENTS_H

#include "runtime/records/limits.h"
#include "runtime/records/tree.h"
#include <yaml.h>

/* The deepest nesting a reader follows, whatever limits it is given: the stack of open nodes is
 * this deep (imhe's own limit is 64). */
#define IMHE_PULL_DEPTH_MAX 80

/* One document's events as the typing pass reads them (type.c), each checked against the reading
 * limits first. The two latest events stay alive, so a key's text is still there while its
 * value's first event is looked at. */
struct ypull {
  yaml_parser_t *parser;
  const struct imhe_read_limits *lim;
  yaml_event_t ev[2];
  int live[2], cur;
  struct ynode view; /* what imhe_pull returned last */
  uint32_t base;     /* lines before the document: libyaml counts from its start */
  unsigned depth, nodes;
  struct {
    uint8_t map;
    uint8_t kind, state; /* read from tokens: the collection's style and where within it */
    uint32_t count;      /* children so far (a mapping's keys and values) */
  } open[IMHE_PULL_DEPTH_MAX];
  int stop; /* PULL_FAULT: libyaml stopped (a syntax error or a refusal); PULL_LIMIT: a limit */
  int doc_event; /* a document or stream event met where a node was expected */
  uint32_t lim_line, lim_col;
  char lim_msg[160];
  int has_root, root_null;
  uint8_t root_type;
  uint32_t root_line, root_col;
  struct imhe_text salvage_id; /* the last top-level id seen, for a record refused part way */
  /* read from libyaml's tokens (imhe_pull_tokens): the token looked at next, and the text of the
   * two latest scalars, kept alive as the two latest events are */
  int tok, has_tk, svk;
  yaml_token_t tk;
  char *sv[2];
};
enum { PULL_FAULT = 1, PULL_LIMIT = 2 };

/* The next event of the document: a scalar (s, n: libyaml's text, alive until two more events
 * are read), the start of a list or mapping, or N_END for the end of one; NULL once reading
 * stopped (p->stop says why) — every later call is NULL too. */
const struct ynode *imhe_pull(struct ypull *p);
/* The lists and mappings open after the last event (a list or mapping it starts included). */
static inline unsigned imhe_pull_depth(const struct ypull *p) {
  return p->depth;
}
/* Readies p to read a document from parser (lines counted after `base` lines), within lim. */
void imhe_pull_init(struct ypull *p, yaml_parser_t *parser, const struct imhe_read_limits *lim,
                    uint32_t base);
/* The next raw event (the one before it stays alive), for what lies around the root node (the
 * document's start and end); NULL when libyaml stopped (p->stop is PULL_FAULT). */
const yaml_event_t *imhe_pull_event(struct ypull *p);
/* Frees the events (or tokens) still held. */
void imhe_pull_done(struct ypull *p);

/* Reads the document from libyaml's tokens (yaml_parser_scan) rather than its events, for the
 * common shapes only: a mapping at the root, block and flow collections, plain and quoted
 * scalars, empty values in block mappings. imhe_pull then hands on the events libyaml's parser
 * would have made, with the same marks, without running its state machine or copying events.
 * Anything else (directives, anchors, tags, aliases, explicit keys, other empty nodes, several
 * documents, any error of libyaml's, any limit) stops reading (PULL_FAULT): the document is then to
 * be read again through the events, so that every message is libyaml's own. 1 when the root
 * mapping is next, with the document's start in *line, *col; 0 to read it through the events. */
int imhe_pull_tokens(struct ypull *p, uint32_t *line, uint32_t *col);
/* After the typing pass over a document read from tokens: 1 when the stream ends with it as
 * libyaml's parser would have accepted it, else 0 (to be read again through the events). */
int imhe_pull_tokens_end(struct ypull *p);

#endif
