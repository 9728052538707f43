/* vm.h — runs one rule's instructions over a record and records each condition's outcome in the
 * rule's result (vm->rr). */
#ifndef IMHE_VM_H
#define IMHE_VM_H

#include "runtime/eval/context.h"

/* Runs rule ri; returns
 * IMHE_STATUS_PASS/IMHE_STATUS_FAIL/IMHE_STATUS_PENDING/IMHE_STATUS_ADVICE/IMHE_STATUS_SKIPPED
 * (coupons: PASS when accepted). */
imhe_status imhe_run_rule(struct vm *vm, uint32_t ri);

#endif
