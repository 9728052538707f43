/* reporter.c — the table of report formats and finding one by name.
 * (Transitional: text and JSON are wrapped through a memory stream until they write sbufs.) */
#include "runtime/report/reporter.h"
#include "runtime/report/report.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void via_stream(struct sbuf *out, const struct imhe_result *res, int json,
                       const imhe_render_options *o) {
  char *text = NULL;
  size_t n = 0;
  FILE *m = open_memstream(&text, &n);
  if (!m)
    abort(); /* GCOVR_EXCL_LINE: out of memory */
  struct report_opts ro = {.color = o->color};
  if (json)
    imhe_report_json(m, res->record, res);
  else
    imhe_report_text(m, res->record, res, &ro);
  fclose(m);
  sb_put(out, text, n);
  free(text);
}

static void text_record(struct sbuf *out, const struct imhe_result *res,
                        const imhe_render_options *o) {
  via_stream(out, res, 0, o);
}
static void json_record(struct sbuf *out, const struct imhe_result *res,
                        const imhe_render_options *o) {
  via_stream(out, res, 1, o);
}

static const struct imhe_reporter_ops text_ops = {"text", "for people", NULL, text_record, NULL};
static const struct imhe_reporter_ops json_ops = {"json", "JSON Lines, one object per record", NULL,
                                                  json_record, NULL};

const struct imhe_reporter_ops *const imhe_reporter_table[] = {&text_ops, &json_ops, NULL};

const struct imhe_reporter_ops *imhe_reporter_find(const char *name) {
  for (size_t i = 0; name && imhe_reporter_table[i]; i++)
    if (!strcmp(imhe_reporter_table[i]->name, name))
      return imhe_reporter_table[i];
  return NULL;
}
