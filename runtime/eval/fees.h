/* fees.h — the fees a record owes under its policy, by the fee kinds its catalogue declares: an
 * application's, a renewal's a year and when overdue; coupons, and what is not published, as notes.
 */
#ifndef IMHE_FEES_H
#define IMHE_FEES_H

#include "runtime/eval/context.h"

void imhe_compute_fees(struct vm *vm, struct imhe_fee_summary *f);

#endif
