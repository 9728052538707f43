/* diff.h — the differences between two compiled policies, without records: rules added, removed
 * or changed (description, area, categories, conditions, thresholds and dates, logic), fees,
 * coupons, deadlines, accepted memberships, bases and the categories offered. The caller frees
 * the list with imhe_pdiff_free. */
#ifndef IMHE_PDIFF_H
#define IMHE_PDIFF_H

#include "runtime/bytecode/program.h"

struct imhe_pdiff_item {
  const char *what;   /* "rule specialist_rsc", "fee KIND for CODE", "deadline", ... */
  const char *change; /* "added", "removed", "changed" */
  char *old, *new_;   /* the old and new text (NULL for added / removed) */
  const char *file;   /* where the new (or removed old) item is, or NULL */
  uint32_t line;
};
struct imhe_pdiff {
  struct imhe_pdiff_item *v;
  size_t n, cap;
  char **owned; /* strings made here */
  size_t nowned, capowned;
};

/* Appends to d what differs from a to b; -1 when out of memory. */
int imhe_pdiff(const struct imhe_program *a, const struct imhe_program *b, struct imhe_pdiff *d);
void imhe_pdiff_free(struct imhe_pdiff *d);

#endif
