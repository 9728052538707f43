/* flip.h — one record judged under two policies: the rules whose outcome differs (a rule on one
 * side only, another status, a condition with another status or value) and whether the fees or
 * the next deadline differ. Nothing is allocated: pairs are written into the caller's array. */
#ifndef IMHE_FLIP_H
#define IMHE_FLIP_H

#include "runtime/eval/result.h"
#include <stddef.h>

struct imhe_rule_pair {
  const struct imhe_rule_outcome *old_rule, *new_rule; /* NULL on the side without the rule */
};

/* The rules of a and b (matched by id) whose outcome differs, in a's order then b's new ones:
 * the count, of which the first cap are written to out. */
size_t imhe_flip_rules(const struct imhe_result *a, const struct imhe_result *b,
                       struct imhe_rule_pair *out, size_t cap);
/* 1 when the fees or the next deadline differ. */
int imhe_flip_settings(const struct imhe_result *a, const struct imhe_result *b);

#endif
