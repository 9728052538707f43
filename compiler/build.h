/* build.h — a growable imhe_program under construction: interned strings, arrays, code.
 * The compiler's code generator writes through it and takes the finished program from b->p. */
#ifndef IMHE_BUILD_H
#define IMHE_BUILD_H

#include "compiler/symtab.h"
#include "runtime/bytecode/program.h"
#include "runtime/core/arena.h"

struct builder {
  struct imhe_program p;
  uint32_t caps[16];
  struct symtab strs, consts;
  struct imhe_arena keys;
};

void imhe_build_init(struct builder *b);
void imhe_build_free(struct builder *b); /* frees everything, including p */
uint32_t imhe_build_str(struct builder *b, const char *s);
uint32_t imhe_build_const(struct builder *b, double v);
/* Appends one element of `size` bytes to array *arr with count *n; returns its index. */
void *imhe_build_push(void **arr, uint32_t *n, uint32_t *cap, size_t size);
#define BUILD_PUSH(b, field, nfield, slot)                                                         \
  ((__typeof__((b)->p.field))imhe_build_push((void **)&(b)->p.field, &(b)->p.nfield,               \
                                             &(b)->caps[slot], sizeof *(b)->p.field))
/* Appends an instruction from line `line` of file `file` (a string); returns its offset. */
uint32_t imhe_build_emit(struct builder *b, uint8_t op, uint8_t a, uint16_t bb, uint32_t c,
                         uint32_t line, uint32_t file);
void imhe_build_patch_c(struct builder *b, uint32_t pc, uint32_t c);

#endif
