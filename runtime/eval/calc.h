/* calc.h — the calculations behind the measures, pure functions over plain arrays, each unit-tested
 * alone. The measure handlers call these; nothing here knows about records or bytecode. */
#ifndef IMHE_CALC_H
#define IMHE_CALC_H

#include <stddef.h>
#include <stdint.h>

struct imhe_range {
  int32_t start, end; /* inclusive days */
  double hours;
};

/* Days in the union of the ranges (both ends included); ranges with end <
 * start count nothing. Sorts `r` in place. */
int32_t imhe_union_days(struct imhe_range *r, size_t n);
/* Hours of the ranges, spread evenly over each range's days, that fall in
 * [lo, hi] and on or before as_of. */
double imhe_spread_hours(const struct imhe_range *r, size_t n, int32_t lo, int32_t hi,
                         int32_t as_of);
/* The most hours any window of `months` calendar months holds, over every start
 * day (a window runs from day d to the day before d plus `months`, clamped to the
 * month's end); each range's hours are spread evenly over its days and days after
 * as_of are dropped. The best window named in *from and *to is the latest of those
 * holding the most that ends on or before as_of (see calc.c for the one case
 * where none does). 0, and *from = *to = 0, when no range has hours by as_of. from and to
 * NULL: the value alone, no window named (judging for verdicts only). */
double imhe_best_window(const struct imhe_range *r, size_t n, int months, int32_t as_of,
                        int32_t *from, int32_t *to);
/* Maximum one-to-one matching of references (roles[i], one bit) to slots
 * (masks of acceptable roles). slot_ref[k] gets the reference index or -1.
 * Returns the number of slots filled. */
int imhe_match_slots(const uint32_t *roles, size_t nrefs, const uint32_t *slots, size_t nslots,
                     int *slot_ref);

#endif
