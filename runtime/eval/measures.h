/* measures.h — the handlers of the measures table (runtime/bytecode/measure_table.h): each computes
 * its measure over the record, as of its as-of date, and says with reason codes what it found. Also
 * the lookups judging needs beside the rules: competency codes in the catalogue, years endorsed. */
#ifndef IMHE_MEASURES_H
#define IMHE_MEASURES_H

#include "runtime/bytecode/measure_table.h"
#include "runtime/eval/calc.h"
#include "runtime/eval/context.h"

/* A measure's handler: the values the row pops in args (bottom first), the result in *out, whose
 * type and measured entries (src) the VM has set. */
typedef void imhe_measure_fn(struct vm *vm, struct imhe_insn in, const struct val *args,
                             struct val *out);
/* One per row of IMHE_MEASURES: imhe_measure_HANDLER. */
extern imhe_measure_fn *const imhe_measure_handlers[MEASURE__COUNT];

/* The catalogue item a competency code ("TF.1") names: its domain in *dom and item in *item, or
 * NULL when the catalogue has no such code. Searched through the catalogue's names, for a program
 * without a hash of its codes (one compiled in memory); a loaded program's hash is probed inline
 * where the record's codes are checked (judge.c). */
const struct imhe_comp_code *imhe_find_competency(struct vm *vm, const struct imhe_comp_code *code,
                                                  int *dom, uint32_t *item);
/* Whole years from the earliest `earned` date of any listed endorsement to `day`, counted by
 * calendar anniversaries (reading 26); 0 when none was earned by then. *first_earned (when not
 * NULL) is that earliest date, IMHE_NO_DATE when none was earned by `day`. */
double imhe_years_endorsed(const struct imhe_record *r, int32_t day, int32_t *first_earned);

#endif
