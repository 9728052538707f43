/* report.h — turns one record's result into text for people or a JSON Lines object.
 * Reports are functions of the result alone: the same result gives the same bytes. */
#ifndef IMHE_REPORT_H
#define IMHE_REPORT_H

#include "result.h"
#include <stdio.h>

struct report_opts {
  int color;
};

void imhe_report_text(FILE *f, const struct imhe_record *r, const struct imhe_result *res,
                      const struct report_opts *o);
void imhe_report_json(FILE *f, const struct imhe_record *r, const struct imhe_result *res);
/* The one-line explanation of a condition ("... : 32 h; required 30 h"). Arena-allocated. */
const char *imhe_explain(struct imhe_arena *a, const struct imhe_cond_result *c);
const char *imhe_verdict_name(int v);

#endif
