/* settings.h — what a policy's settings decide for a date: the era (base policy) in force, the
 * renewal scheme of a deadline, the next submission deadline. */
#ifndef IMHE_SETTINGS_H
#define IMHE_SETTINGS_H

#include "runtime/bytecode/program.h"

/* The era in force at as_of: the last whose dates hold it, else the first. */
uint32_t imhe_era_at(const struct imhe_program *p, int32_t as_of);
/* The renewal scheme whose dates hold `deadline`, or NULL. */
const struct imhe_renewal *imhe_renewal_scheme(const struct imhe_program *p, int32_t deadline);
/* The first submission deadline on or after as_of, or IMHE_NO_DATE when the policy has none. */
int32_t imhe_next_deadline(const struct imhe_program *p, int32_t as_of);

#endif
