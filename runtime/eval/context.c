/* context.c — collections of entries and the small wordings every part of evaluation shares:
 * numbers, enumerated values and sets of them, notes joined as a measure finds more. */
#include "runtime/eval/context.h"
#include <stdio.h>
#include <string.h>

struct coll *imhe_coll_new(struct vm *vm, int sec, uint32_t cap) {
  struct coll *c = imhe_arena_alloc(vm->a, sizeof *c);
  c->sec = (uint8_t)sec;
  c->idx = imhe_arena_alloc(vm->a, (cap + 1) * sizeof *c->idx);
  c->ex = imhe_arena_alloc(vm->a, (cap + 1) * sizeof *c->ex);
  return c;
}

struct coll *imhe_coll_copy_ex(struct vm *vm, const struct coll *from, uint32_t extra) {
  uint32_t total = vm->r->sec[from->sec].n;
  struct coll *c = imhe_coll_new(vm, from->sec, total + extra);
  memcpy(c->ex, from->ex, from->nex * sizeof *c->ex);
  c->nex = from->nex;
  return c;
}

const char *imhe_vm_num(struct vm *vm, double v) {
  return imhe_arena_printf(vm->a, "%.10g", round(v * 100) / 100);
}

const char *imhe_enum_value_name(int e, int v) {
  int n;
  const char *const *names = imhe_enum_values((enum imhe_enum)e, &n);
  return v >= 0 && v < n ? names[v] : "?";
}

const char *imhe_vm_mask_text(struct vm *vm, int e, uint32_t mask) {
  int n;
  const char *const *names = imhe_enum_values((enum imhe_enum)e, &n);
  char buf[512];
  size_t k = 0;
  buf[0] = 0;
  for (int i = 0; i < n && k + 40 < sizeof buf; i++)
    if (mask >> i & 1u)
      k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s", k ? "/" : "", names[i]);
  return imhe_arena_strndup(vm->a, buf, k);
}

void imhe_vm_note(struct vm *vm, const char **note, const char *text) {
  *note = *note ? imhe_arena_printf(vm->a, "%s; %s", *note, text) : text;
}
