/* measures.h — the measures a policy names, computed over a record: date ranges of entries, sums,
 * competencies of the catalogue, violations of the competency rules, years endorsed. Each returns
 * its number and adds what it found to a note. */
#ifndef IMHE_MEASURES_H
#define IMHE_MEASURES_H

#include "runtime/eval/calc.h"
#include "runtime/eval/context.h"

/* The date ranges of c's entries (rsc: with their hours); with post_masters, each starts no
 * earlier than `masters`. */
struct imhe_range *imhe_ranges(struct vm *vm, const struct coll *c, int post_masters,
                               int32_t masters);
/* The earliest completion of a masters-level degree by the as-of date, or IMHE_NO_DATE. */
int32_t imhe_masters_date(struct vm *vm);
/* The catalogue item a competency code ("TF.1") names: its domain in *dom and item in *item, or
 * NULL when the catalogue has no such code. */
const struct imhe_code *imhe_find_competency(struct vm *vm, const struct imhe_code *code, int *dom,
                                             uint32_t *item);
/* Distinct competencies of domain dom in the applied category's list, from training and education
 * dated by the as-of date. */
double imhe_comps(struct vm *vm, int dom);
/* Training entries listing more distinct competencies than whole hours, each named in *note. */
double imhe_capviol(struct vm *vm, const char **note);
/* Education entries listing competencies without a transcript, or more than 12, each named. */
double imhe_eduviol(struct vm *vm, const char **note);
/* Whole years from the earliest `earned` date of any listed endorsement to `day`, counted by
 * calendar anniversaries (reading 26); 0 when none was earned by then. */
double imhe_years_endorsed(const struct imhe_record *r, int32_t day, const char **note,
                           struct imhe_arena *a);
/* sum(C.field). A field spread over its entry's days counts only its days up to the as-of
 * date; each entry cut short that way is named with what it brings. */
double imhe_sum_field(struct vm *vm, const struct coll *c, int f, const char **note);

#endif
