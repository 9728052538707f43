/* explain.h — the words of results, in one place: a condition as the sentence people read
 * ("sentence: observed; required X (short Y) (what the measure found)"), quantities in their units,
 * the names of verdicts and statuses, and where an as-of date came from. */
#ifndef IMHE_EXPLAIN_H
#define IMHE_EXPLAIN_H

#include "runtime/core/sbuf.h"
#include "runtime/eval/result.h"

/* "eligible", "eligible_pending_exam", "not_eligible", "invalid". */
const char *imhe_verdict_name(int v);
/* "pass", "fail", "pending", "advice", "skipped". */
const char *imhe_status_word(int s);
/* Where the as-of date came from, in words: "submitted date", "--as-of option", ... */
const char *imhe_as_of_words(int source);
/* A quantity in its unit as people read it: "26 h", "4.31 years (1573 days)", "$20", "masters or
 * higher" (display degree). */
void imhe_explain_quantity(struct sbuf *b, double v, int unit, int disp);
/* A condition's sentence: "description: observed; required X (short Y) (what the measure found)",
 * or "description: what the fact found" for yes/no and pass/fail/pending conditions. */
void imhe_explain_condition(struct sbuf *b, const struct imhe_cond_result *c);

#endif
