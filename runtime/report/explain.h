/* explain.h — the words of results, in one place: a condition as the sentence people read
 * ("sentence: observed; required X (short Y) (what the measure found)"), quantities in their units,
 * and where an as-of date came from, in words. */
#ifndef IMHE_EXPLAIN_H
#define IMHE_EXPLAIN_H

#include "runtime/core/sbuf.h"
#include "runtime/eval/result.h"

/* Where the as-of date came from, in words: "submitted date", "--as-of option", ... */
const char *imhe_as_of_words(imhe_as_of_source source);
/* A quantity in its unit as people read it: "26 h", "4.31 years (1573 days)", "$20", "masters or
 * higher" (display degree). */
void imhe_explain_quantity(struct sbuf *b, double v, int unit, int disp);
/* A condition's sentence: "description: observed; required X (short Y) (what the measure found)",
 * or "description: what the fact found" for yes/no and pass/fail/pending conditions. */
void imhe_explain_condition(struct sbuf *b, const struct imhe_cond_result *c);

#endif
