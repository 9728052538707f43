/* testing.c — the public policy-test calls of include/imhe.h: a result's record checked against
 * its expect: block (runtime/testing), the outcome kept in the result's arena. */
#include "api/internal.h"
#include "runtime/testing/expect.h"

IMHE_API imhe_code imhe_test_run(imhe_result *res, imhe_error *err) {
  if (!res)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_test_run: NULL result");
  struct imhe_judged *j = IMHE_JUDGED(res);
  if (!j->test) {
    struct imhe_test_outcome *o = imhe_arena_alloc(&j->arena, sizeof *o);
    if (!o) /* GCOVR_EXCL_LINE: out of memory */
      return imhe_fail(err, IMHE_NO_MEMORY, "out of memory");
    imhe_expect_check(res, j->prog, o);
    j->test = o;
  }
  return imhe_ok(err);
}

static const struct imhe_test_outcome *outcome(const imhe_result *res) {
  return res ? IMHE_JUDGED(res)->test : NULL;
}

IMHE_API uint32_t imhe_test_line(const imhe_result *res) {
  const struct imhe_test_outcome *o = outcome(res);
  return o ? o->line : 0;
}

IMHE_API size_t imhe_test_difference_count(const imhe_result *res) {
  const struct imhe_test_outcome *o = outcome(res);
  return o ? o->n : 0;
}

IMHE_API int imhe_test_difference_at(const imhe_result *res, size_t i, imhe_test_difference *out) {
  const struct imhe_test_outcome *o = outcome(res);
  if (!o || i >= o->n || !out)
    return 0;
  const struct imhe_test_diff *d = &o->v[i];
  *out = (imhe_test_difference){d->line,     d->col,    d->malformed, d->what,
                                d->expected, d->actual, d->rule};
  return 1;
}
