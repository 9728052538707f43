/* yaml.h — the loader's state: one record file read through libyaml, a document at a time, over
 * the input guard (yinput). Shared by the stream (open, close, typing) and the document reader. */
#ifndef IMHE_YAML_H
#define IMHE_YAML_H

#include "runtime/records/limits.h"
#include "runtime/records/yinput.h"
#include <yaml.h>

struct imhe_loader {
  struct imhe_yinput in; /* the file, cut into documents */
  int keep_expect; /* records keep their `expect:` block (test mode, imhe_loader_keep_expect) */
  const char *path;
  char *path_copy;
  yaml_parser_t parser;
  int live; /* the parser is reading the current document */
  int kept; /* the parser is not reading but holds its buffers for the next document */
  int skip; /* the rest of a refused document is still to be passed over */
  int done;
  unsigned long records; /* records handed out from this file */
  struct imhe_read_limits lim;
  imhe_notice_fn *notice;
  void *notice_ctx;
  /* replaying a captured document (imhe_yaml_replay): its bytes and how far libyaml has them */
  const unsigned char *rp_bytes;
  const struct imhe_doc *rp_doc;
  size_t rp_pos, rp_pend;
  /* the record each replayed document is read into, its arena's first chunk kept from one to the
   * next (no allocation per record); NULL until the first */
  struct imhe_record *rp_rec;
};

/* A document as the byte layer hands it to libyaml, cut on the reading thread so that libyaml
 * may parse it on another: its bytes (at off in the caller's buffer) up to its end or to a
 * refusal, and the refusal as the byte layer said it. */
struct imhe_doc {
  size_t off, n;
  uint32_t line; /* the line it starts on */
  int refused, stopped, io_error;
  uint32_t ref_line, ref_col;
  char msg[320];
};

/* Cuts the next document of the file into *d, its bytes appended to *buf (realloc'd; cap in
 * *cap): 1, or 0 at the end of the file. Notices about what lies after a refused document are
 * given at once, as imhe_yaml_read gives them. */
int imhe_yaml_capture(struct imhe_loader *l, unsigned char **buf, size_t *len, size_t *cap,
                      struct imhe_doc *d);
/* Parses a captured document (bytes = the capture's buffer) exactly as imhe_yaml_read would have
 * parsed it from the file, on a loader made by imhe_loader_replayer (stream.h): each record read
 * goes to fn, notices to the loader's notice function. The record stays the loader's: it is valid
 * until fn returns, then read over by the next document (freed by imhe_loader_close). */
void imhe_yaml_replay(struct imhe_loader *l, const unsigned char *bytes, const struct imhe_doc *d,
                      void (*fn)(void *ctx, struct imhe_record *r), void *ctx);

/* The next document of the file into *r: 1 when r holds a record (possibly with errors), 0 at the
 * end of the file. With reuse, r is a record read before whose arena is reused (on 0, freed). */
int imhe_yaml_read(struct imhe_loader *l, struct imhe_record *r, int reuse);

#endif
