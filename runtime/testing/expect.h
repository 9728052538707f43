/* expect.h — a policy test: the `expect:` block a test record carries, checked against the result
 * of judging it; every difference and every mistake in the block, located in the test file.
 * Everything an outcome holds lives in the arena given (the result's) and goes with it. */
#ifndef IMHE_EXPECT_H
#define IMHE_EXPECT_H

#include "runtime/eval/result.h"

/* One difference between what a test expects and what judging gave, or (malformed) a mistake in
 * the expectation itself: a key not known, a rule or area the policy does not have. */
struct imhe_test_diff {
  uint32_t line, col; /* in the test file */
  int malformed;
  const char *what;     /* "verdict", "rule specialist_rsc", ...; the message when malformed */
  const char *expected; /* NULL when malformed */
  const char *actual;
  const struct imhe_rule_outcome *rule; /* the rule concerned, or NULL */
};

struct imhe_test_outcome {
  uint32_t line; /* of the expect: key (or of the record, when it has none) */
  struct imhe_test_diff *v;
  uint32_t n, cap;
};

/* Checks the record's expect: block (r->expect, kept when it was read in test mode) against res,
 * judged with program p (NULL when the record could not be judged by a policy: its rule names are
 * then not checked against one). Fills *out from res's arena. */
void imhe_expect_check(const struct imhe_result *res, const struct imhe_program *p,
                       struct imhe_test_outcome *out);

#endif
