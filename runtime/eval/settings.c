/* settings.c — a policy's settings read for a date: eras, renewal schemes, submission deadlines.
 * Pure functions of the program and the date. */
#include "runtime/eval/settings.h"
#include "runtime/core/dates.h"

uint32_t imhe_era_at(const struct imhe_program *p, int32_t as_of) {
  uint32_t era = 0;
  for (uint32_t e = 0; e < p->neras; e++)
    if ((p->eras[e].from == IMHE_NO_DATE || as_of >= p->eras[e].from) &&
        (p->eras[e].until == IMHE_NO_DATE || as_of < p->eras[e].until))
      era = e;
  return era;
}

/* The renewal scheme whose dates hold `deadline`, or NULL. */
const struct imhe_renewal *imhe_renewal_scheme(const struct imhe_program *p, int32_t deadline) {
  for (uint32_t i = 0; i < p->nrenewals; i++) {
    const struct imhe_renewal *rn = &p->renewals[i];
    if ((rn->from == IMHE_NO_DATE || deadline >= rn->from) &&
        (rn->until == IMHE_NO_DATE || deadline <= rn->until))
      return rn;
  }
  return NULL;
}

/* The first deadline on or after as_of: compared as (month, day) pairs, a day past its month's
 * end taken as that end (February 29 of a year without one is the 28th), within the as-of date's
 * year, else the first of the next year; one conversion to a day number, for the one found. */
int32_t imhe_next_deadline(const struct imhe_program *p, int32_t as_of) {
  int y, m, d;
  imhe_civil_from_days(as_of, &y, &m, &d);
  for (int yy = y; yy <= y + 1; yy++) {
    int bm = 0, bd = 0; /* the earliest (month, day) found on or after the as-of date, 0 none */
    for (uint32_t i = 0; i < p->ndeadlines; i++) {
      int mo = p->deadlines[i].month, dd = p->deadlines[i].day;
      int dim = imhe_days_in_month(yy, mo);
      if (dd > dim)
        dd = dim;
      if (yy == y && (mo < m || (mo == m && dd < d)))
        continue;
      if (!bm || mo < bm || (mo == bm && dd < bd))
        bm = mo, bd = dd;
    }
    if (bm)
      return imhe_days_from_civil(yy, bm, bd);
  }
  return IMHE_NO_DATE;
}
