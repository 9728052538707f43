/* context.c — the reasons every part of evaluation makes: a reason with its operands, chains of
 * them as a measure finds more, joined when values add up (collections are made in context.h). */
#include "runtime/eval/context.h"
#include <stdio.h>
#include <string.h>

const char *imhe_vm_num(struct vm *vm, double v) {
  return imhe_arena_printf(vm->a, "%.10g", round(v * 100) / 100);
}

const char *imhe_enum_value_name(int e, int v) {
  int n;
  const char *const *names = imhe_enum_values((enum imhe_enum)e, &n);
  return v >= 0 && v < n ? names[v] : "?";
}

struct imhe_why *imhe_why_add(struct vm *vm, imhe_reason code, const struct imhe_why **head,
                              struct imhe_why **tail) {
  struct imhe_why *w = imhe_why_new(vm, code);
  if (vm->lean) /* never chained: the scratch reason would point at itself */
    return w;
  if (*tail)
    (*tail)->next = w;
  else
    *head = w;
  *tail = w;
  return w;
}

const struct imhe_why *imhe_why_join(struct vm *vm, const struct imhe_why *a,
                                     const struct imhe_why *b) {
  if (vm->lean)
    return NULL;
  if (!a || !b)
    return a ? a : b;
  const struct imhe_why *head = NULL;
  struct imhe_why *tail = NULL;
  for (; a; a = a->next) { /* a's links are shared with other values: copied, not changed */
    struct imhe_why *w = imhe_why_add(vm, IMHE_REASON_LEFT_OUT, &head, &tail);
    *w = *a;
    w->next = NULL;
  }
  tail->next = b;
  return head;
}
