/* changes.c — the public comparison of two results of one record (runtime/testing/flip.c). */
#include "api/internal.h"
#include "runtime/testing/flip.h"

/* imhe_rule_change and struct imhe_rule_pair are the same two pointers */
_Static_assert(sizeof(imhe_rule_change) == sizeof(struct imhe_rule_pair), "rule change layout");

IMHE_API size_t imhe_result_changes(const imhe_result *a, const imhe_result *b,
                                    imhe_rule_change *out, size_t cap) {
  if (!a || !b)
    return 0;
  return imhe_flip_rules(a, b, (struct imhe_rule_pair *)out, out ? cap : 0);
}

IMHE_API int imhe_result_settings_differ(const imhe_result *a, const imhe_result *b) {
  return a && b && imhe_flip_settings(a, b);
}
