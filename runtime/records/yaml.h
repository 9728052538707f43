/* yaml.h — the loader's state: one record file read through libyaml, a document at a time, over
 * the input guard (yinput). Shared by the stream (open, close, typing) and the document reader. */
#ifndef IMHE_YAML_H
#define IMHE_YAML_H

#include "runtime/records/limits.h"
#include "runtime/records/yinput.h"
#include <yaml.h>

struct imhe_loader {
  struct imhe_yinput in; /* the file, cut into documents */
  const char *path;
  char *path_copy;
  yaml_parser_t parser;
  int live; /* the parser is reading the current document */
  int skip; /* the rest of a refused document is still to be passed over */
  int done;
  unsigned long records; /* records handed out from this file */
  struct imhe_read_limits lim;
  imhe_notice_fn *notice;
  void *notice_ctx;
};

/* The next document of the file into *r: 1 when r holds a record (possibly with errors), 0 at the
 * end of the file. With reuse, r is a record read before whose arena is reused (on 0, freed). */
int imhe_yaml_read(struct imhe_loader *l, struct imhe_record *r, int reuse);

#endif
