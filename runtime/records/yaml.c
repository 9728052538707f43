/* yaml.c — one document at a time through libyaml's events (a batch's documents of the common
 * shapes through its tokens, events.c), each event checked against the limits and typed as it
 * comes (type.c). A document refused for a limit or a syntax error is abandoned at once and reading
 * goes on at the next, so hostile input costs no more than its bytes (one read from tokens that
 * meets a fault is read again through the events: at most twice); notices report what concerns
 * the file itself. */
#include "runtime/records/yaml.h"
#include "runtime/records/events.h"
#include "runtime/records/type.h"
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

static void syntax_error(struct imhe_record *r, const yaml_parser_t *p, uint32_t base) {
  uint32_t line = base + (uint32_t)p->problem_mark.line + 1;
  uint32_t col = (uint32_t)p->problem_mark.column + 1;
  if (p->context)
    imhe_record_error(r, line, col, "YAML syntax error: %s %s (line %zu)",
                      p->problem ? p->problem : "error", p->context,
                      base + p->context_mark.line + 1);
  else
    imhe_record_error(r, line, col, "YAML syntax error: %s", p->problem ? p->problem : "error");
}

/* Why libyaml stopped: a refusal of the byte layer (a limit, an unreadable byte, a failed read)
 * or a syntax error, located in the file. */
static void parse_fault(struct imhe_loader *l, struct imhe_record *r, uint32_t base) {
  const struct imhe_yinput *in = &l->in;
  yaml_parser_t *p = &l->parser;
  /* The byte layer refused bytes libyaml had not reached when it stopped on a syntax error in
   * those before (its read-ahead passed the refusal): both are faults to mend, the syntax error
   * first. libyaml stopped by the refusal itself says so as a reader error. */
  if (in->refused && (p->error == YAML_SCANNER_ERROR || p->error == YAML_PARSER_ERROR))
    syntax_error(r, p, base);
  if (in->refused) {
    imhe_record_error(r, in->ref_line, in->ref_col, "%s", in->msg);
    if (in->io_error)
      notice(l, IMHE_NOTICE_IO, in->ref_line, in->ref_col, "%s", in->msg);
  } else if (p->error == YAML_MEMORY_ERROR) {
    imhe_record_error(r, base + 1, 1, "YAML parser out of memory");
  } else if (p->error == YAML_READER_ERROR) { /* the byte layer checks first: not expected */
    imhe_record_error(r, base + 1, 1, "unreadable YAML: %s", p->problem ? p->problem : "error");
  } else {
    syntax_error(r, p, base);
  }
}

/* A parser whose queue or stacks a document grew past this many entries is freed rather than kept
 * (memory stays what an ordinary record needs). */
#define KEEP_MAX 4096

/* Ends libyaml's work on the current document; with `abandon`, its unread rest is to be passed
 * over without parsing (on the next read, so the refused record is handed out first). The
 * parser's buffers, token queue and stacks are kept for the next document (parser_start): what
 * libyaml holds for one document alone, its pending tokens and tag directives, is freed now. */
static void end_document(struct imhe_loader *l, int abandon) {
  if (!l->live)
    return;
  yaml_parser_t *p = &l->parser;
  l->live = 0;
  l->skip = abandon;
  if (p->tokens.end - p->tokens.start > KEEP_MAX || p->indents.end - p->indents.start > KEEP_MAX ||
      p->simple_keys.end - p->simple_keys.start > KEEP_MAX ||
      p->states.end - p->states.start > KEEP_MAX || p->marks.end - p->marks.start > KEEP_MAX ||
      p->tag_directives.end - p->tag_directives.start > KEEP_MAX) {
    yaml_parser_delete(p);
    l->kept = 0;
    return;
  }
  while (p->tokens.head != p->tokens.tail)
    yaml_token_delete(p->tokens.head++);
  while (p->tag_directives.top != p->tag_directives.start) {
    yaml_tag_directive_t *t = --p->tag_directives.top;
    free(t->handle);
    free(t->prefix);
  }
  l->kept = 1;
}

/* libyaml's parser ready for a new stream from handler, as yaml_parser_initialize leaves one, but
 * in the memory the last document's parser had when there is one (end_document): no allocation
 * per document, and buffers still in cache rather than 64 KiB taken anew from malloc each time. */
static void parser_start(struct imhe_loader *l, yaml_read_handler_t *handler, void *data) {
  yaml_parser_t *p = &l->parser;
  if (!l->kept) {
    yaml_parser_initialize(p);
  } else {
    yaml_parser_t k = *p;
    memset(p, 0, sizeof *p);
    p->raw_buffer.start = p->raw_buffer.pointer = p->raw_buffer.last = k.raw_buffer.start;
    p->raw_buffer.end = k.raw_buffer.end;
    p->buffer.start = p->buffer.pointer = p->buffer.last = k.buffer.start;
    p->buffer.end = k.buffer.end;
    p->tokens.start = p->tokens.head = p->tokens.tail = k.tokens.start;
    p->tokens.end = k.tokens.end;
    p->indents.start = p->indents.top = k.indents.start;
    p->indents.end = k.indents.end;
    p->simple_keys.start = p->simple_keys.top = k.simple_keys.start;
    p->simple_keys.end = k.simple_keys.end;
    p->states.start = p->states.top = k.states.start;
    p->states.end = k.states.end;
    p->marks.start = p->marks.top = k.marks.start;
    p->marks.end = k.marks.end;
    p->tag_directives.start = p->tag_directives.top = k.tag_directives.start;
    p->tag_directives.end = k.tag_directives.end;
    l->kept = 0;
  }
  yaml_parser_set_input(p, handler, data);
  l->live = 1;
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
  parser_start(l, imhe_yinput_read, &l->in);
  return 1;
}

/* libyaml stopped within the document: its error comes first, before what typing the part read
 * found (as if the part had been typed after it). */
static int fault_stop(struct imhe_loader *l, struct imhe_record *r, struct ypull *p) {
  uint32_t n0 = r->errors.n;
  parse_fault(l, r, p->base);
  uint32_t k = r->errors.n - n0; /* one or two: a syntax error, a refusal or both */
  if (n0 && k && k <= 2) {
    struct imhe_msg m[2];
    memcpy(m, r->errors.v + n0, k * sizeof m[0]);
    memmove(r->errors.v + k, r->errors.v, n0 * sizeof m[0]);
    memcpy(r->errors.v, m, k * sizeof m[0]);
  }
  end_document(l, 1);
  if (!p->has_root || p->root_type != N_MAP)
    r->line = r->errors.n ? r->errors.v[0].line : 0;
  imhe_pull_done(p);
  return 1;
}

/* A limit broke: the record is its refusal alone (what typing found so far is dropped), with the
 * id when the top level got that far. libyaml's work on this document was bounded by the bytes up
 * to the breaking one and its short look-ahead; the rest is only skipped. */
static int limit_stop(struct imhe_loader *l, struct imhe_record *r, struct ypull *p,
                      uint32_t doc_line) {
  end_document(l, 1);
  imhe_record_drop_content(r);
  imhe_record_error(r, p->lim_line, p->lim_col, "%s", p->lim_msg);
  r->line = p->has_root ? p->root_line : doc_line;
  if (p->salvage_id.s)
    r->id = p->salvage_id;
  imhe_pull_done(p);
  return 1;
}

/* Reads the current document into r, typing it as its events come: 1 when r holds a record
 * (possibly with errors), 0 when the document was empty or libyaml's stream for it ended. */
static int parse_document(struct imhe_loader *l, struct imhe_record *r) {
  struct ypull p;
  imhe_pull_init(&p, &l->parser, &l->lim, l->in.doc_line - 1);
  uint32_t doc_line = l->in.doc_line, doc_col = 1;
  r->line = doc_line;
  r->keep_expect = l->keep_expect;
  for (;;) {
    const yaml_event_t *e = imhe_pull_event(&p);
    if (!e)
      return fault_stop(l, r, &p);
    if (e->type == YAML_STREAM_END_EVENT) {
      imhe_pull_done(&p);
      end_document(l, 0);
      return 0;
    }
    if (e->type == YAML_DOCUMENT_START_EVENT) {
      doc_line = p.base + (uint32_t)e->start_mark.line + 1;
      doc_col = (uint32_t)e->start_mark.column + 1;
      r->line = doc_line;
      break;
    }
  }
  imhe_type_document(r, &p);
  if (p.stop == PULL_LIMIT)
    return limit_stop(l, r, &p, doc_line);
  if (!p.doc_event && !imhe_pull_event(&p))
    return p.stop == PULL_LIMIT ? limit_stop(l, r, &p, doc_line) : fault_stop(l, r, &p);
  imhe_pull_done(&p);
  if (!p.has_root || p.root_null) {
    notice(l, IMHE_NOTICE_WARNING, doc_line, doc_col, "empty document: nothing to judge");
    return 0;
  }
  if (p.root_type != N_MAP) {
    r->line = p.root_line;
    imhe_record_error(r, p.root_line, p.root_col, "a record must be a mapping of fields, not %s",
                      p.root_type == N_SEQ ? "a list" : "a single value");
  }
  return 1;
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

/* The captured document d handed to a parser from its first byte. */
static void replay_start(struct imhe_loader *l, const struct imhe_doc *d) {
  l->rp_pos = l->rp_pend = 0;
  l->in.doc_line = d->line;
  l->in.refused = 0;
  parser_start(l, replay_read, l);
}

/* The loader's record, emptied for the next document (allocated for the first). */
static struct imhe_record *replay_record(struct imhe_loader *l) {
  int reuse = l->rp_rec != NULL;
  if (!reuse)
    l->rp_rec = malloc(sizeof *l->rp_rec);
  if (!l->rp_rec) /* GCOVR_EXCL_BR_LINE: out of memory */
    abort();      /* GCOVR_EXCL_LINE: out of memory */
  imhe_record_init(l->rp_rec, l->path, l->lim.max_document * 8 + (1u << 20), reuse);
  return l->rp_rec;
}

/* Reads a document of the common shapes from libyaml's tokens (events.h: imhe_pull_tokens), as
 * parse_document reads it from the events: 1 when r holds its record and the stream ended with
 * it; 0 when it is to be read again through the events (r and the parser are then to be reset). */
static int token_document(struct imhe_loader *l, struct imhe_record *r) {
  struct ypull p;
  imhe_pull_init(&p, &l->parser, &l->lim, l->in.doc_line - 1);
  uint32_t line, col;
  r->keep_expect = l->keep_expect;
  int ok = imhe_pull_tokens(&p, &line, &col);
  if (ok) {
    r->line = line;
    imhe_type_document(r, &p);
    ok = imhe_pull_tokens_end(&p);
  }
  imhe_pull_done(&p);
  return ok;
}

void imhe_yaml_replay(struct imhe_loader *l, const unsigned char *bytes, const struct imhe_doc *d,
                      void (*fn)(void *ctx, struct imhe_record *r), void *ctx) {
  l->rp_bytes = bytes + d->off;
  l->rp_doc = d;
  replay_start(l, d);
  if (!d->refused) {
    struct imhe_record *r = replay_record(l);
    int ok = token_document(l, r);
    end_document(l, 0);
    if (ok) {
      fn(ctx, r);
      return;
    }
    replay_start(l, d); /* read again through the events: every message as libyaml gives it */
  }
  while (l->live)
    if (parse_document(l, replay_record(l)))
      fn(ctx, l->rp_rec);
  /* libyaml stopped before the refusal: the file's reader passed over the rest and said why it
   * stopped there (a refusal that ends the file; others it passes over, as the capture did) */
  if (d->refused && d->stopped && !l->in.refused)
    notice(l, d->io_error ? IMHE_NOTICE_IO : IMHE_NOTICE_ERROR, d->ref_line, d->ref_col, "%s",
           d->msg);
}
