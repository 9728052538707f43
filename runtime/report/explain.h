/* explain.h — the words of results, in one place: reason codes as phrases, a condition as the
 * sentence people read ("sentence: observed; required X (short Y) (what the measure found)"),
 * quantities in their units, and where an as-of date came from, in words. */
#ifndef IMHE_EXPLAIN_H
#define IMHE_EXPLAIN_H

#include "runtime/core/sbuf.h"
#include "runtime/eval/result.h"

/* Where the as-of date came from, in words: "submitted date", "--as-of option", ... */
const char *imhe_as_of_words(imhe_as_of_source source);
/* A quantity in its unit as people read it: "26 h", "4.31 years (1573 days)", "$20", "masters or
 * higher" (display degree). */
void imhe_explain_quantity(struct sbuf *b, double v, int unit, int disp);
/* How a reviewer finds entry i of section sec, counted from 1: "work 3 (Home Visitor)" (r may be
 * NULL). */
void imhe_explain_entry(struct sbuf *b, const struct imhe_record *r, int sec, uint32_t i);
/* n bytes of a code as words: '_' as a space, "rsc" as "RSC" ("rsc_provider": "RSC provider"). */
void imhe_explain_plain(struct sbuf *b, const char *s, size_t n);
/* A reason in words ("kind volunteer, not paid"); r (may be NULL) gives entries their titles. */
void imhe_explain_reason(struct sbuf *b, const struct imhe_record *r, const struct imhe_why *w);
/* A chain of reasons, joined by "; ". */
void imhe_explain_reasons(struct sbuf *b, const struct imhe_record *r, const struct imhe_why *w);
/* Why an entry was left out, every reason of its chain: each alternative of an `or` that would
 * have let it in ("kind volunteer, not paid, and supervised is not true"). */
void imhe_explain_exclusion(struct sbuf *b, const struct imhe_record *r, const struct imhe_why *w);
/* "work 3 (Home Visitor) left out: kind volunteer, not paid". */
void imhe_explain_left_out(struct sbuf *b, const struct imhe_record *r, int sec,
                           const struct excl *x);
/* Fee note i of res, with the words of the reason it carries (a coupon's condition not met). */
void imhe_explain_fee_note(struct sbuf *b, const struct imhe_result *res, int i);
/* A condition's sentence: "description: observed; required X (short Y) (what the measure found)",
 * or "description: what the fact found" for yes/no and pass/fail/pending conditions. */
void imhe_explain_condition(struct sbuf *b, const struct imhe_cond_result *c);

#endif
