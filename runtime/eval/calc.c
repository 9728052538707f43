/* calc.c — union of date ranges, evenly spread hours, best window, slot matching.
 * Quadratic only in the entries of one record's list, which the loader bounds. */
#include "runtime/eval/calc.h"
#include "runtime/core/dates.h"
#include <stdlib.h>
#include <string.h>

/* qsort, but a stable insertion sort for the short arrays one record makes (a best window sorts a
 * few dozen days, tens of thousands of times over a population, and glibc's qsort allocates for
 * its merge sort, which is stable too: both give the same order). */
#define SORT_MAX 32 /* the largest element sort takes (SORT checks it when compiling) */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  if (n > 32) {
    qsort(base, n, size, cmp);
    return;
  }
  unsigned char *v = base, tmp[SORT_MAX];
  for (size_t i = 1; i < n; i++) {
    size_t j = i;
    memcpy(tmp, v + i * size, size);
    for (; j > 0 && cmp(v + (j - 1) * size, tmp) > 0; j--)
      memcpy(v + j * size, v + (j - 1) * size, size);
    if (j != i)
      memcpy(v + j * size, tmp, size);
  }
}

#define SORT(v, n, cmp)                                                                            \
  do {                                                                                             \
    _Static_assert(sizeof *(v) <= SORT_MAX, "sort: element too large");                            \
    sort(v, n, sizeof *(v), cmp);                                                                  \
  } while (0)

static int by_start(const void *pa, const void *pb) {
  const struct imhe_range *a = pa, *b = pb;
  return (a->start > b->start) - (a->start < b->start);
}

int32_t imhe_union_days(struct imhe_range *r, size_t n) {
  SORT(r, n, by_start);
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

/* ---- best window ----
 * H(d), the hours a window starting on day d holds, is F(E(d)) - F(d - 1): F(t) is the hours
 * on days up to t (piecewise linear in t, with knots where an entry's counted days begin and
 * end) and E(d) = (d + N months) - 1 is the window's last day. E(d) - d is constant except
 * around month ends (the window is 730 or 731 days for 24 months, depending on Feb 29;
 * clamping makes E skip or repeat days). So H is linear in d between these breakpoints:
 *   - d - 1 at a knot of F:            d = T, T + 1 for every knot T;
 *   - E(d) at a knot of F:             the first d with E(d) >= T, and the day before it;
 *   - E(d) - d changes, where F rises at E(d): a few days around each month end;
 *   - the last window ending by the as-of date, and the one after it (the tie rule below).
 * The maximum over every start day is at one of these points; the work grows with the
 * entries and, for the month ends, with the months their ranges span, never with days. */

struct knot {
  int32_t t;
  double a, b; /* F(t - 1), and F's rise per day from t up to the next knot */
};
struct kevent {
  int32_t t;
  int active; /* +1 an entry's counted days begin at t, -1 they ended the day before */
  double rate;
};

static int kevent_cmp(const void *pa, const void *pb) {
  const struct kevent *a = pa, *b = pb;
  return (a->t > b->t) - (a->t < b->t);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    abort();
  return p;
}

static int32_t window_end(int32_t d, int months) {
  return imhe_add_months(d, months) - 1;
}

/* Days in month m (1-12) of year y: dates.c's, inlined for the window ends and month walks. */
static inline int month_days(int y, int m) {
  static const unsigned char dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && imhe_leap_year(y) ? 29 : dm[m - 1];
}

/* The first start day whose window ends on or after t, i.e. the first d with d + N months >= t + 1,
 * in closed form. With t + 1 = (y, m, dd) and (y', m') the month N months before: a start day x
 * of (y', m') reaches (y, m, min(x, days of m)), so when m' has a day dd, (y', m', dd) reaches
 * t + 1 exactly and the day before it falls short; when it has none, no day of m' reaches t + 1
 * and the 1st of the month after does. */
static int32_t first_ending_by(int32_t t, int months) {
  int y, m, dd;
  imhe_civil_from_days_fast(t + 1, &y, &m, &dd);
  int total = y * 12 + (m - 1) - months;
  int py = total / 12, pm = total % 12 + 1; /* dates stay after year 0: total is positive */
  int dim = month_days(py, pm);
  return dd <= dim ? imhe_days_from_civil_fast(py, pm, dd)
                   : imhe_days_from_civil_fast(py, pm, dim) + 1;
}

/* The arrays of one best window start on the stack (SMALL of each covers the records seen:
 * a few dozen days), and move to the heap only past it: no allocation per record. */
#define SMALL 256
struct days {
  int32_t *v;
  size_t n, cap;
  int heap; /* v was allocated (else it is the caller's array of cap) */
};
static void days_grow(struct days *c) {
  c->cap *= 2;
  int32_t *v = xmalloc(c->cap * sizeof *v);
  if (c->n)
    memcpy(v, c->v, c->n * sizeof *v);
  if (c->heap)
    free(c->v);
  c->v = v;
  c->heap = 1;
}
/* A day appended: inline, the arrays growing (days_grow) only past the records seen. */
static inline void days_add(struct days *c, int32_t d) {
  if (__builtin_expect(c->n == c->cap, 0))
    days_grow(c);
  c->v[c->n++] = d;
}

/* Start days in [lo, hi] around which E(d) - d changes: in a month of dim_s days whose
 * window ends in a month of dim_t days, from day min(dim_s, dim_t) to the first of the
 * next month; nothing when the two months are as long. The months are walked by adding
 * their lengths: one civil conversion for the whole walk. */
/* A month of dim_s days starting on day first whose window ends in a month of dim_t days. */
static void month_changes(struct days *c, int32_t first, int dim_s, int dim_t, int32_t lo,
                          int32_t hi) {
  for (int day = dim_s < dim_t ? dim_s : dim_t; day <= dim_s + 1; day++) {
    int32_t d = first + day - 1; /* day dim_s + 1: the first of the next month */
    if (d >= lo - 1 && d <= hi + 1)
      days_add(c, d);
  }
}

static void offset_changes(struct days *c, int32_t lo, int32_t hi, int months) {
  int y, m, dd;
  imhe_civil_from_days_fast(lo, &y, &m, &dd);
  if (months % 12 == 0) { /* whole years (the 24 months of RSC): only a February can differ */
    /* February 1 of each year from lo's on, a year's days on from the one before */
    for (int32_t feb = imhe_days_from_civil_fast(y, 2, 1); feb <= hi + 1; y++) {
      int dim_s = month_days(y, 2), dim_t = month_days(y + months / 12, 2);
      if (feb + dim_s - 1 >= lo && dim_s != dim_t) /* a February the walk below would reach */
        month_changes(c, feb, dim_s, dim_t, lo, hi);
      feb += 337 + dim_s; /* February 1 to February 1: its February's days and 337 more */
    }
    return;
  }
  int32_t first = lo - (dd - 1);
  int total = y * 12 + (m - 1) + months;
  int ty = total / 12, tm = total % 12 + 1; /* the month the window ends in */
  while (first <= hi + 1) {
    int dim_s = month_days(y, m), dim_t = month_days(ty, tm);
    if (dim_s != dim_t)
      month_changes(c, first, dim_s, dim_t, lo, hi);
    first += dim_s;
    if (++m > 12) {
      m = 1;
      y++;
    }
    if (++tm > 12) {
      tm = 1;
      ty++;
    }
  }
}

/* The cumulative hours F(t) as knots where its slope changes: each range's hours spread evenly
 * over its days, days after as_of dropped. 0 knots (and *out NULL) when no range has hours. */
static size_t knots_of(const struct imhe_range *r, size_t n, int32_t as_of, struct knot *small,
                       struct knot **out) {
  struct kevent evs[SMALL / 4], *ev = 2 * n <= SMALL / 4 ? evs : xmalloc(2 * n * sizeof *ev);
  size_t nev = 0;
  for (size_t i = 0; i < n; i++) {
    int32_t last = r[i].end < as_of ? r[i].end : as_of; /* days after the as-of date dropped */
    if (r[i].end < r[i].start || last < r[i].start || !(r[i].hours > 0))
      continue;
    double rate = r[i].hours / ((double)r[i].end - r[i].start + 1);
    ev[nev++] = (struct kevent){r[i].start, 1, rate};
    ev[nev++] = (struct kevent){last + 1, -1, -rate};
  }
  *out = NULL;
  if (!nev) {
    if (ev != evs)
      free(ev);
    return 0;
  }
  SORT(ev, nev, kevent_cmp);
  struct knot *k = nev <= SMALL / 4 ? small : xmalloc(nev * sizeof *k);
  size_t nk = 0;
  int active = 0;
  double f = 0, b = 0;
  for (size_t i = 0; i < nev;) {
    int32_t t = ev[i].t;
    if (nk)
      f += b * ((double)t - k[nk - 1].t);
    for (; i < nev && ev[i].t == t; i++) {
      active += ev[i].active;
      b += ev[i].rate;
    }
    if (!active)
      b = 0; /* no rounding drift where no entry runs */
    k[nk++] = (struct knot){t, f, b};
  }
  if (ev != evs)
    free(ev);
  *out = k;
  return nk;
}

/* The start days where the best window may start: around each knot, where the window's end
 * meets one, where its length changes while F rises, and around the first window ending after
 * as_of (returned in *after). Two runs, each nearly in order (so that a cursor walks each with
 * few steps, below): first the days around the knots, from *split on the days around the
 * window ends. A day may come twice. */
static void candidates(struct days *c, const struct knot *k, size_t nk, int months, int32_t as_of,
                       int32_t *after, size_t *split) {
  for (size_t i = 0; i < nk; i++) {
    days_add(c, k[i].t);
    days_add(c, k[i].t + 1);
  }
  *split = c->n;
  int32_t e = nk ? first_ending_by(k[0].t, months) : 0;
  for (size_t i = 0; i < nk; i++) {
    int32_t next = i + 1 < nk ? first_ending_by(k[i + 1].t, months) : 0;
    days_add(c, e - 1);
    days_add(c, e);
    if (k[i].b > 0 && i + 1 < nk) /* F rises here: where the window length changes matters */
      offset_changes(c, e, next - 1, months);
    e = next;
  }
  *after = first_ending_by(as_of + 1, months); /* first window ending after as_of */
  days_add(c, *after - 1);
  days_add(c, *after);
}

/* A start day's window end and the hours before and up to it, found by walking from the last
 * day asked rather than from scratch: the month of the start day (its first day f, year and
 * month), the month its window ends in (its first day tf), and, for F, the number of knots on or
 * before the day before the start (kd) and on or before the window's end (ke). The candidate
 * days come nearly in order, so each walk is a step or two; a jump of more than a month or two
 * starts again from a civil conversion. */
struct cursor {
  int32_t f, tf;
  int y, m, ty, tm;
  int32_t end, dim_t; /* f + the days of the start day's month; the days of the end's month */
  size_t kd, ke;
  int months, set;
};

static void cursor_at(struct cursor *u, int32_t d) {
  int dd;
  imhe_civil_from_days_fast(d, &u->y, &u->m, &dd);
  u->f = d - (dd - 1);
  int total = u->y * 12 + (u->m - 1) + u->months;
  u->ty = total / 12; /* dates stay after year 0: total is positive */
  u->tm = total % 12 + 1;
  u->tf = imhe_days_from_civil_fast(u->ty, u->tm, 1);
  u->set = 1;
}

static void month_next(int *y, int *m) {
  if (++*m > 12) {
    *m = 1;
    ++*y;
  }
}
static void month_prev(int *y, int *m) {
  if (--*m < 1) {
    *m = 12;
    --*y;
  }
}

/* d's window end, E(d) = (d + N months) - 1, as imhe_add_months gives it: at once for a day of
 * the month the cursor is in (most of them), else by the walk below. */
static int32_t cursor_end(struct cursor *u, int32_t d) {
  if (u->set && d >= u->f && d < u->end) {
    int32_t dd = d - u->f + 1;
    return u->tf + (dd < u->dim_t ? dd : u->dim_t) - 2;
  }
  if (!u->set || d < u->f - 31 || d > u->f + 62)
    cursor_at(u, d);
  while (d < u->f) {
    month_prev(&u->y, &u->m);
    month_prev(&u->ty, &u->tm);
    u->f -= month_days(u->y, u->m);
    u->tf -= month_days(u->ty, u->tm);
  }
  for (int dim; d >= u->f + (dim = month_days(u->y, u->m));) {
    u->f += dim;
    u->tf += month_days(u->ty, u->tm);
    month_next(&u->y, &u->m);
    month_next(&u->ty, &u->tm);
  }
  u->end = u->f + month_days(u->y, u->m);
  u->dim_t = month_days(u->ty, u->tm);
  int32_t dd = d - u->f + 1;
  return u->tf + (dd < u->dim_t ? dd : u->dim_t) - 2;
}

/* Hours on days up to t, the knots on or before it counted in *at from where it was last. Inline
 * in the candidates' loop since the count is walked in a register (2 M instructions fewer for
 * 20,000 records; forced inline while it was walked in memory, it cost 3 M more). */
static inline __attribute__((always_inline)) double cumulative_at(const struct knot *k, size_t nk,
                                                                  size_t *at, int32_t t) {
  size_t j = *at; /* in a register while it walks */
  while (j < nk && k[j].t <= t)
    ++j;
  while (j > 0 && k[j - 1].t > t)
    --j;
  *at = j;
  if (j == 0)
    return 0;
  const struct knot *p = &k[j - 1];
  return p->a + p->b * ((double)t - p->t + 1);
}

double imhe_best_window(const struct imhe_range *r, size_t n, int months, int32_t as_of,
                        int32_t *from, int32_t *to) {
  if (from)
    *from = *to = 0;
  struct knot ks[SMALL / 4], *k;
  size_t nk = knots_of(r, n, as_of, ks, &k);
  if (!nk)
    return 0;
  int32_t after;
  size_t split;
  int32_t days[SMALL];
  struct days c = {days, 0, SMALL, 0};
  candidates(&c, k, nk, months, as_of, &after, &split);
  /* each candidate's hours, kept to name the window (none kept for the value alone) */
  double hs[SMALL], *h = !from ? NULL : c.n <= SMALL ? hs : xmalloc(c.n * sizeof *h);
  double best = 0;
  int32_t bd = 0; /* the earliest start day holding the most */
  struct cursor u = {.months = months};
  for (size_t i = 0; i < c.n; i++) {
    if (i == split) /* the second run: its own walk */
      u = (struct cursor){.months = months};
    int32_t d = c.v[i];
    int32_t e = cursor_end(&u, d);
    double hd = cumulative_at(k, nk, &u.ke, e) - cumulative_at(k, nk, &u.kd, d - 1);
    if (h)
      h[i] = hd;
    if (hd > best || (hd == best && best > 0 && d < bd)) {
      best = hd;
      bd = d;
    }
  }
  /* Of the windows holding the most hours, the latest one ending on or before the as-of date
   * is named. Restricting to those loses nothing: a window ending later counts its days only
   * up to the as-of date, and the window ending on the as-of date itself holds all of those
   * days and maybe more. The one exception is an as-of date on which no window ends (the
   * window's end skips a day when its length jumps, e.g. no 24-month window ends on
   * 2024-02-28): then the first window ending after it may hold the as-of day's hours that no
   * earlier window holds, and it is named with its end clipped to the as-of date, the last
   * day it counts. */
  double tol = 1e-9 * (best > 1 ? best : 1);
  int found = 0;
  for (size_t i = 0; h && i < c.n; i++)
    if (c.v[i] < after && h[i] >= best - tol && (!found || c.v[i] > *from)) {
      *from = c.v[i];
      found = 1;
    }
  if (h && found)
    *to = window_end(*from, months);
  else if (h) {
    *from = after;
    *to = as_of;
  }
  /* The value is summed entry by entry over the best window, so a window that holds an
   * entry whole holds exactly its hours (no cumulative rounding). */
  double value = best > 0 ? imhe_spread_hours(r, n, bd, window_end(bd, months), as_of) : 0;
  if (h && h != hs)
    free(h);
  if (c.heap)
    free(c.v);
  if (k != ks)
    free(k);
  return value;
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
