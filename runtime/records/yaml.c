/* yaml.c — one document at a time through libyaml's event API into a located node tree. A document
 * refused for a limit or a syntax error is abandoned at once and reading goes on at the next, so
 * hostile input costs no more than its bytes; notices report what concerns the file itself. */
#include "runtime/records/yaml.h"
#include "runtime/records/tree.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void notice(struct imhe_loader *l, int severity, uint32_t line, uint32_t col,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void notice(struct imhe_loader *l, int severity, uint32_t line, uint32_t col,
                   const char *fmt, ...) {
  if (!l->notice)
    return;
  char text[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  struct imhe_msg m = {.file = l->path, .line = line, .col = col, .text = text};
  l->notice(l->notice_ctx, severity, &m);
}

static void on_event(struct tree_builder *b, const yaml_event_t *e) {
  if (b->failed)
    return;
  uint32_t line = b->base + (uint32_t)e->start_mark.line + 1;
  uint32_t col = (uint32_t)e->start_mark.column + 1;
  switch (e->type) {
  case YAML_ALIAS_EVENT:
    imhe_record_error(b->r, line, col, "aliases are not accepted in records (*%s)",
                      (const char *)e->data.alias.anchor);
    b->failed = 1;
    return;
  case YAML_SCALAR_EVENT: {
    size_t len = e->data.scalar.length;
    if (len > b->lim->max_scalar) {
      imhe_record_error(b->r, line, col, "scalar of %zu bytes exceeds the limit of %zu bytes", len,
                        b->lim->max_scalar);
      b->failed = 1;
      return;
    }
    struct ynode *n = imhe_tree_node(b, N_SCALAR, line, col);
    if (!n)
      return;
    n->s = imhe_arena_strndup(&b->r->arena, (const char *)e->data.scalar.value, len);
    n->n = (uint32_t)len;
    n->plain = e->data.scalar.plain_implicit && e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    imhe_tree_attach(b, n);
    return;
  }
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT: {
    if (b->depth >= b->lim->max_depth) {
      imhe_record_error(b->r, line, col, "nesting deeper than %u levels (limit)",
                        b->lim->max_depth);
      b->failed = 1;
      return;
    }
    struct ynode *n =
        imhe_tree_node(b, e->type == YAML_SEQUENCE_START_EVENT ? N_SEQ : N_MAP, line, col);
    if (!n)
      return;
    imhe_tree_attach(b, n);
    b->stack[b->depth++] = n;
    return;
  }
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT:
    if (b->depth)
      b->depth--;
    return;
  default:
    return;
  }
}

/* Why libyaml stopped: a refusal of the byte layer (a limit, an unreadable byte, a failed read)
 * or a syntax error, located in the file. */
static void parse_fault(struct imhe_loader *l, struct imhe_record *r, uint32_t base) {
  const struct imhe_yinput *in = &l->in;
  yaml_parser_t *p = &l->parser;
  if (in->refused) {
    imhe_record_error(r, in->ref_line, in->ref_col, "%s", in->msg);
    if (in->io_error)
      notice(l, IMHE_NOTICE_IO, in->ref_line, in->ref_col, "%s", in->msg);
  } else if (p->error == YAML_MEMORY_ERROR) {
    imhe_record_error(r, base + 1, 1, "YAML parser out of memory");
  } else if (p->error == YAML_READER_ERROR) { /* the byte layer checks first: not expected */
    imhe_record_error(r, base + 1, 1, "unreadable YAML: %s", p->problem ? p->problem : "error");
  } else {
    uint32_t line = base + (uint32_t)p->problem_mark.line + 1;
    uint32_t col = (uint32_t)p->problem_mark.column + 1;
    if (p->context)
      imhe_record_error(r, line, col, "YAML syntax error: %s %s (line %zu)",
                        p->problem ? p->problem : "error", p->context,
                        base + p->context_mark.line + 1);
    else
      imhe_record_error(r, line, col, "YAML syntax error: %s", p->problem ? p->problem : "error");
  }
}

/* Ends libyaml's work on the current document; with `abandon`, its unread rest is to be passed
 * over without parsing (on the next read, so the refused record is handed out first). */
static void end_document(struct imhe_loader *l, int abandon) {
  if (!l->live)
    return;
  yaml_parser_delete(&l->parser);
  l->live = 0;
  l->skip = abandon;
}

static void skip_rest(struct imhe_loader *l) {
  l->skip = 0;
  int stopped = l->in.stopped;
  imhe_yinput_skip(&l->in);
  if (l->in.refused && !stopped) /* the rest was too long, or unreadable */
    notice(l, l->in.io_error ? IMHE_NOTICE_IO : IMHE_NOTICE_ERROR, l->in.ref_line, l->in.ref_col,
           "%s", l->in.msg);
}

static int start_document(struct imhe_loader *l) {
  if (!imhe_yinput_next(&l->in))
    return 0;
  yaml_parser_initialize(&l->parser);
  yaml_parser_set_input(&l->parser, imhe_yinput_read, &l->in);
  l->live = 1;
  return 1;
}

/* Parses events of the current document into r: 1 when r holds a record (possibly with errors),
 * 0 when the document was empty or libyaml's stream for it ended. */
static int parse_document(struct imhe_loader *l, struct imhe_record *r) {
  struct tree_builder b = {.r = r, .lim = &l->lim, .base = l->in.doc_line - 1};
  int in_doc = 0;
  uint32_t doc_line = l->in.doc_line, doc_col = 1;
  r->line = doc_line;
  for (;;) {
    yaml_event_t e;
    if (!yaml_parser_parse(&l->parser, &e)) {
      parse_fault(l, r, b.base);
      end_document(l, 1);
      if (b.root && b.root->type == N_MAP && !b.failed)
        r->tree = b.root;
      else
        r->line = r->errors.n ? r->errors.v[0].line : 0;
      return 1;
    }
    yaml_event_type_t t = e.type;
    if (t == YAML_DOCUMENT_START_EVENT) {
      in_doc = 1;
      doc_line = b.base + (uint32_t)e.start_mark.line + 1;
      doc_col = (uint32_t)e.start_mark.column + 1;
      r->line = doc_line;
    } else if (in_doc && t != YAML_DOCUMENT_END_EVENT)
      on_event(&b, &e);
    yaml_event_delete(&e);
    if (b.failed) {
      /* A limit broke: stop parsing here. libyaml's work on this document was bounded by the
       * bytes up to the breaking one and its short look-ahead; the rest is only skipped. */
      end_document(l, 1);
      if (b.root)
        r->line = b.root->line;
      /* Salvage the id for the report when the top level got that far. */
      if (b.root && b.root->type == N_MAP)
        for (const struct ynode *k = b.root->first; k && k->next; k = k->next->next)
          if (tree_key_is(k, "id") && k->next->type == N_SCALAR) {
            r->id.s = k->next->s;
            r->id.n = k->next->n;
          }
      return 1;
    }
    if (t == YAML_STREAM_END_EVENT) {
      end_document(l, 0);
      return 0;
    }
    if (t == YAML_DOCUMENT_END_EVENT) {
      if (!b.root || tree_is_null(b.root)) {
        notice(l, IMHE_NOTICE_WARNING, doc_line, doc_col, "empty document: nothing to judge");
        return 0;
      }
      r->tree = b.root;
      return 1;
    }
  }
}

int imhe_yaml_read(struct imhe_loader *l, struct imhe_record *r, int reuse) {
  while (!l->done) {
    if (l->skip)
      skip_rest(l);
    if (!l->live && !start_document(l)) {
      l->done = 1;
      if (!l->records)
        notice(l, IMHE_NOTICE_WARNING, 1, 1, "no records in file");
      break;
    }
    imhe_record_init(r, l->path, l->lim.max_document * 8 + (1u << 20), reuse);
    reuse = 1;
    if (parse_document(l, r)) {
      l->records++;
      return 1;
    }
  }
  if (reuse) /* a record handed in for reuse is not returned: free it */
    imhe_arena_free(&r->arena);
  return 0;
}

/* ---- a document cut on one thread and parsed on another ---- */

int imhe_yaml_capture(struct imhe_loader *l, unsigned char **buf, size_t *len, size_t *cap,
                      struct imhe_doc *d) {
  if (l->done || !imhe_yinput_next(&l->in)) {
    l->done = 1;
    return 0;
  }
  struct imhe_yinput *in = &l->in;
  d->off = *len;
  d->line = in->doc_line;
  for (;;) {
    if (*cap - *len < 4096) {
      size_t c = *cap ? *cap * 2 : 65536;
      unsigned char *v = realloc(*buf, c);
      if (!v)    /* GCOVR_EXCL_BR_LINE: out of memory */
        abort(); /* GCOVR_EXCL_LINE: out of memory */
      *buf = v;
      *cap = c;
    }
    size_t k = 0;
    int ok = imhe_yinput_read(in, *buf + *len, 4096, &k);
    *len += k;
    if (!ok || !k)
      break;
  }
  d->n = *len - d->off;
  d->refused = in->refused;
  if (in->refused) {
    d->stopped = in->stopped;
    d->io_error = in->io_error;
    d->ref_line = in->ref_line;
    d->ref_col = in->ref_col;
    memcpy(d->msg, in->msg, sizeof d->msg);
    skip_rest(l); /* as imhe_yaml_read does once libyaml has stopped at the refusal */
  }
  return 1;
}

/* libyaml's read handler over a captured document: the bytes in the bites imhe_yinput_read would
 * have handed out (at most 4096, never splitting a character but for a smaller request), and the
 * refusal made known in the same call as the byte layer would have found it, so a syntax error
 * and a refusal close together are told apart as when reading the file. */
static int replay_read(void *data, unsigned char *out, size_t size, size_t *size_read) {
  struct imhe_loader *l = data;
  const unsigned char *p = l->rp_bytes + l->rp_pos;
  if (l->rp_pend) {
    size_t k = l->rp_pend < size ? l->rp_pend : size;
    memcpy(out, p, k);
    l->rp_pos += k;
    l->rp_pend -= k;
    *size_read = k;
    return 1;
  }
  size_t cap = size < 4096 ? size : 4096, avail = l->rp_doc->n - l->rp_pos;
  size_t m = avail < cap ? avail : cap;
  if (m < avail) { /* cut before the end: back to the start of a character cut in two */
    size_t e = m;
    while (e && (p[e] & 0xc0) == 0x80)
      e--;
    if (!e) { /* a character larger than the request: the rest of it comes next */
      size_t k = (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3 : 4;
      l->rp_pend = k - m;
    } else
      m = e;
  } else if (m < cap && l->rp_doc->refused) { /* the byte layer reaches the refusal now */
    struct imhe_yinput *in = &l->in;
    in->refused = 1;
    in->io_error = l->rp_doc->io_error;
    in->ref_line = l->rp_doc->ref_line;
    in->ref_col = l->rp_doc->ref_col;
    memcpy(in->msg, l->rp_doc->msg, sizeof in->msg);
  }
  memcpy(out, p, m);
  l->rp_pos += m;
  *size_read = m;
  return m > 0 || !l->in.refused;
}

void imhe_yaml_replay(struct imhe_loader *l, const unsigned char *bytes, const struct imhe_doc *d,
                      void (*fn)(void *ctx, struct imhe_record *r), void *ctx) {
  l->rp_bytes = bytes + d->off;
  l->rp_doc = d;
  l->rp_pos = l->rp_pend = 0;
  l->in.doc_line = d->line;
  l->in.refused = 0;
  yaml_parser_initialize(&l->parser);
  yaml_parser_set_input(&l->parser, replay_read, l);
  l->live = 1;
  while (l->live) {
    struct imhe_record *r = malloc(sizeof *r);
    if (!r)    /* GCOVR_EXCL_BR_LINE: out of memory */
      abort(); /* GCOVR_EXCL_LINE: out of memory */
    imhe_record_init(r, l->path, l->lim.max_document * 8 + (1u << 20), 0);
    if (parse_document(l, r))
      fn(ctx, r);
    else {
      imhe_arena_free(&r->arena);
      free(r);
    }
  }
  /* libyaml stopped before the refusal: the file's reader passed over the rest and said why it
   * stopped there (a refusal that ends the file; others it passes over, as the capture did) */
  if (d->refused && d->stopped && !l->in.refused)
    notice(l, d->io_error ? IMHE_NOTICE_IO : IMHE_NOTICE_ERROR, d->ref_line, d->ref_col, "%s",
           d->msg);
}
