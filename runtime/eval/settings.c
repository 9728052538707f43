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

int32_t imhe_next_deadline(const struct imhe_program *p, int32_t as_of) {
  int y, m, d;
  imhe_civil_from_days(as_of, &y, &m, &d);
  int32_t best = IMHE_NO_DATE;
  for (int yy = y; yy <= y + 1; yy++)
    for (uint32_t i = 0; i < p->ndeadlines; i++) {
      int mo = p->deadlines[i].month, dd = p->deadlines[i].day;
      int dim = imhe_days_in_month(yy, mo);
      int32_t t = imhe_days_from_civil(yy, mo, dd > dim ? dim : dd);
      if (t >= as_of && (best == IMHE_NO_DATE || t < best))
        best = t;
    }
  return best;
}
