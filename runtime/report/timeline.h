/* timeline.h — an applicant's entries on a time axis as inline SVG, for the HTML deficiency
 * report (html.c): no script, nothing fetched, every string escaped by the caller's function. */
#ifndef IMHE_TIMELINE_H
#define IMHE_TIMELINE_H

#include "runtime/core/sbuf.h"
#include "runtime/eval/result.h"

/* Escapes s[0..n) for the document the SVG is written into. */
typedef void (*timeline_escape)(struct sbuf *b, const char *s, size_t n);

/* Appends a <figure> holding the SVG timeline of res's work, leadership and RSC entries, or
 * nothing when none is dated or there is no as-of date. id ([A-Za-z0-9-] only) makes the SVG's
 * ids unique in the page. */
void imhe_timeline_svg(struct sbuf *b, const struct imhe_result *res, const char *id,
                       timeline_escape esc);

#endif
