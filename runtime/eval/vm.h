/* vm.h — runs one rule's instructions over a record and records each condition's outcome in the
 * rule's result (vm->rr). */
#ifndef IMHE_VM_H
#define IMHE_VM_H

#include "runtime/eval/context.h"

/* Runs rule ri; returns ST_PASS/ST_FAIL/ST_PENDING/ST_ADVICE/ST_SKIPPED (coupons: PASS when
 * accepted). */
int imhe_run_rule(struct vm *vm, uint32_t ri);

#endif
