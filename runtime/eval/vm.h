/* vm.h — runs one rule's instructions over a record and records each condition's outcome in the
 * rule's result (vm->rr). */
#ifndef IMHE_VM_H
#define IMHE_VM_H

#include "runtime/eval/context.h"

/* Runs rule ri and gives its status: PASS, FAIL, PENDING (an exam not yet taken), ADVICE (an
 * advisory whose condition failed) or SKIPPED (its guard did not hold); a coupon's condition
 * PASS when it holds. */
imhe_status imhe_run_rule(struct vm *vm, uint32_t ri);

#endif
