/* report.h — turns one record's result into text for people or a JSON Lines object.
 * Reports are functions of the result alone: the same result gives the same bytes. */
#ifndef IMHE_REPORT_H
#define IMHE_REPORT_H

#include "runtime/core/export.h"
#include "runtime/eval/result.h"
#include "runtime/report/explain.h"
#include <stdio.h>

struct report_opts {
  int color;
};

IMHE_INTERNAL_API void imhe_report_text(FILE *f, const struct imhe_record *r,
                                        const struct imhe_result *res, const struct report_opts *o);
IMHE_INTERNAL_API void imhe_report_json(FILE *f, const struct imhe_record *r,
                                        const struct imhe_result *res);

#endif
