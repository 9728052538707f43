/* measure.c — union of date ranges, evenly spread hours, best window, slot matching, name
 * comparison. Quadratic only in the entries of one record's list, which the loader bounds. */
#include "measure.h"
#include "dates.h"
#include <stdlib.h>
#include <string.h>

static int by_start(const void *pa, const void *pb) {
  const struct imhe_range *a = pa, *b = pb;
  return (a->start > b->start) - (a->start < b->start);
}

int32_t imhe_union_days(struct imhe_range *r, size_t n) {
  qsort(r, n, sizeof *r, by_start);
  int64_t total = 0;
  int32_t cur_s = 0, cur_e = 0;
  int open = 0;
  for (size_t i = 0; i < n; i++) {
    if (r[i].end < r[i].start)
      continue;
    if (open && r[i].start <= cur_e + 1) {
      if (r[i].end > cur_e)
        cur_e = r[i].end;
      continue;
    }
    if (open)
      total += (int64_t)cur_e - cur_s + 1;
    cur_s = r[i].start;
    cur_e = r[i].end;
    open = 1;
  }
  if (open)
    total += (int64_t)cur_e - cur_s + 1;
  return (int32_t)total;
}

double imhe_spread_hours(const struct imhe_range *r, size_t n, int32_t lo, int32_t hi,
                         int32_t as_of) {
  double sum = 0;
  if (hi > as_of)
    hi = as_of;
  for (size_t i = 0; i < n; i++) {
    if (r[i].end < r[i].start || r[i].hours <= 0)
      continue;
    int32_t a = r[i].start > lo ? r[i].start : lo;
    int32_t b = r[i].end < hi ? r[i].end : hi;
    if (b < a)
      continue;
    double days = (double)r[i].end - r[i].start + 1;
    sum += r[i].hours * ((double)b - a + 1) / days;
  }
  return sum;
}

double imhe_best_window(const struct imhe_range *r, size_t n, int months, int32_t as_of,
                        int32_t *from, int32_t *to) {
  double best = -1;
  int32_t best_d = 0;
  *from = *to = 0;
  /* The windowed sum is piecewise linear in the start day: its maximum is at
   * a window starting on an entry's first day or ending on an entry's last.
   * Windows starting on an entry's first day are tried first, earliest
   * first, and a later candidate wins only with strictly more hours. */
  for (int pass = 0; pass < 2; pass++) {
    int32_t prev = INT32_MIN;
    for (;;) {
      int32_t next = INT32_MAX;
      for (size_t i = 0; i < n; i++) /* next distinct start, ascending */
        if (r[i].end >= r[i].start && r[i].start > prev && r[i].start < next)
          next = r[i].start;
      if (next == INT32_MAX)
        break;
      prev = next;
      for (size_t i = 0; i < n; i++) {
        if (r[i].start != next || r[i].end < r[i].start)
          continue;
        int32_t cands[5];
        int nc = 0;
        if (pass == 0)
          cands[nc++] = next;
        else {
          int32_t e = r[i].end < as_of ? r[i].end : as_of;
          int32_t back = imhe_add_months(e + 1, -months);
          for (int k = -2; k <= 2; k++) {
            int32_t d = back + k;
            int32_t end = imhe_add_months(d, months) - 1;
            if (end >= e && end <= e + 3)
              cands[nc++] = d;
          }
        }
        for (int k = 0; k < nc; k++) {
          double h =
              imhe_spread_hours(r, n, cands[k], imhe_add_months(cands[k], months) - 1, as_of);
          if (h > best + 1e-9) {
            best = h;
            best_d = cands[k];
          }
        }
        break;
      }
    }
  }
  if (best < 0)
    return 0;
  *from = best_d;
  *to = imhe_add_months(best_d, months) - 1;
  return best;
}

static int augment(int ref, const uint32_t *roles, const uint32_t *slots, size_t nslots,
                   int *slot_ref, char *seen) {
  for (size_t k = 0; k < nslots; k++) {
    if (!(slots[k] & roles[ref]) || seen[k])
      continue;
    seen[k] = 1;
    if (slot_ref[k] < 0 || augment(slot_ref[k], roles, slots, nslots, slot_ref, seen)) {
      slot_ref[k] = ref;
      return 1;
    }
  }
  return 0;
}

int imhe_match_slots(const uint32_t *roles, size_t nrefs, const uint32_t *slots, size_t nslots,
                     int *slot_ref) {
  char seen[64];
  int filled = 0;
  if (nslots > 64)
    nslots = 64;
  for (size_t k = 0; k < nslots; k++)
    slot_ref[k] = -1;
  for (size_t i = 0; i < nrefs; i++) {
    memset(seen, 0, sizeof seen);
    filled += augment((int)i, roles, slots, nslots, slot_ref, seen);
  }
  return filled;
}

static int lower(int c) {
  return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}
static int space(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int imhe_names_equal(const char *a, size_t an, const char *b, size_t bn) {
  while (an && space((unsigned char)*a))
    a++, an--;
  while (an && space((unsigned char)a[an - 1]))
    an--;
  while (bn && space((unsigned char)*b))
    b++, bn--;
  while (bn && space((unsigned char)b[bn - 1]))
    bn--;
  if (an != bn || an == 0)
    return 0;
  for (size_t i = 0; i < an; i++)
    if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
      return 0;
  return 1;
}
