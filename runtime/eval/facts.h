/* facts.h — the built-in facts a policy tests (membership, signatures, exam, supervisor named,
 * renewal scheme, RSC attested): each a truth or pass/fail/pending, with reason codes saying why.
 */
#ifndef IMHE_FACTS_H
#define IMHE_FACTS_H

#include "runtime/eval/context.h"

/* Fact f (enum imhe_fact) for the record: 1 true (or passed), 0 false (failed), 2 pending. */
int imhe_fact(struct vm *vm, int f, const struct imhe_why **note);

#endif
