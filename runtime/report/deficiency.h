/* deficiency.h — the deficiency report's content, written once for every format: what a reviewer
 * sends an applicant (only what is missing, by how much, what would meet it), as a sequence of
 * blocks a thin writer per format (letter.c, markdown.c, html.c) turns into text, Markdown or HTML.
 */
#ifndef IMHE_DEFICIENCY_H
#define IMHE_DEFICIENCY_H

#include "runtime/core/sbuf.h"
#include "runtime/eval/result.h"

/* What a block is; the writer decides how it looks. Text arrives as words with every string from
 * the record already cleaned of control characters; the writer escapes it for its format. */
enum dfc_block {
  DFC_SUMMARY,     /* the one-line verdict */
  DFC_SECTION,     /* a section heading: "What is missing", "For information", "Fees", ... */
  DFC_TAB,         /* a tab's heading under "What is missing" */
  DFC_REQUIREMENT, /* an unmet requirement's sentence */
  DFC_PARA,        /* a paragraph */
  DFC_LIST_BEGIN,  /* the items that follow form a list (no text) */
  DFC_ITEM,        /* one item of the list */
  DFC_LIST_END,    /* (no text) */
  DFC_SOURCE       /* where a requirement is published */
};

/* A format's writer: block writes one block of text s[0..n) into out; figure (may be NULL) writes
 * what the format shows after the summary (html: the timeline). */
struct dfc_writer {
  void (*block)(struct sbuf *out, enum dfc_block kind, const char *s, size_t n);
  void (*figure)(struct sbuf *out, const struct imhe_result *res);
};

/* Options that change the content: verbose adds each rule's id and file:line to its source. */
struct dfc_options {
  int verbose;
};

/* Writes one applicant's report body (everything after the applicant's heading) with w. */
void imhe_deficiency_body(struct sbuf *out, const struct dfc_writer *w,
                          const struct imhe_result *res, const struct dfc_options *o);
/* The applicant's heading: "Casey Moreno (XX-2026-0102)". */
void imhe_deficiency_title(struct sbuf *b, const struct imhe_result *res);
/* "FULL NAME (CODE), XX-AIMH" of the category, or "renewal, XX-AIMH". */
void imhe_deficiency_category(struct sbuf *b, const struct imhe_result *res);
/* The verdict in plain words: "not yet eligible", "eligible", "eligible once the exam is passed",
 * "could not be judged". */
const char *imhe_deficiency_verdict_words(const struct imhe_result *res);
/* How many requirements are unmet (failed requirement rules). */
unsigned imhe_deficiency_unmet(const struct imhe_result *res);
/* A stable anchor for the applicant made of [A-Za-z0-9-] only: "a-WI-2026-0102-3". */
void imhe_deficiency_anchor(struct sbuf *b, const struct imhe_result *res);

/* Record text as it may be shown: control characters, bidirectional overrides and invalid UTF-8
 * escaped as the text report does (text.c). */
void imhe_text_clean(struct sbuf *b, const char *s, size_t n);

#endif
