/* fees.h — the fees a record owes under its policy: registration and processing for applications,
 * renewal and membership a year for renewals; coupons, and what is not published, as notes. */
#ifndef IMHE_FEES_H
#define IMHE_FEES_H

#include "runtime/eval/context.h"

void imhe_compute_fees(struct vm *vm, struct imhe_fee_summary *f);

#endif
