/* filters.h — collections of a record's entries: a section as of the as-of date, kept or left out
 * by a filter instruction (each left-out entry with why), and their union or difference. */
#ifndef IMHE_FILTERS_H
#define IMHE_FILTERS_H

#include "runtime/eval/context.h"

/* The entries of section sec, less those dated after the as-of date, made (imhe_section_make). */
struct coll *imhe_section_make(struct vm *vm, int sec);
/* The same, while lean the one made for the record when a rule first asked (inline: a third of
 * the sections rules ask for were made before). */
static inline struct coll *imhe_section_coll(struct vm *vm, int sec) {
  return vm->lean && vm->sections[sec] ? vm->sections[sec] : imhe_section_make(vm, sec);
}
/* The entries of `in` that pass filter op (F_ENUM ... F_OVERLAP) on field f with operand c and, for
 * F_CMP and F_OVERLAP, the popped value arg; the others are left out with why. */
struct coll *imhe_filter(struct vm *vm, const struct coll *in, int op, int f, uint32_t c,
                         const struct val *arg);
/* Union (uni) or difference of two collections of one section. */
struct coll *imhe_set_op(struct vm *vm, const struct coll *l, const struct coll *r, int uni);

#endif
