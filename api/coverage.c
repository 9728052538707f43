/* coverage.c — the public requirement-coverage calls of include/imhe.h: one counter per policy
 * of a set (runtime/testing/coverage.c), fed the results judged with it. */
#include "runtime/testing/coverage.h"
#include "api/internal.h"
#include <stdlib.h>

struct imhe_coverage {
  const struct imhe_policy_set *set;
  struct imhe_cov_policy *v; /* one per policy of the set, in its order (unloaded ones empty) */
  size_t n;
};

IMHE_API imhe_code imhe_coverage_open(const imhe_policy_set *set, imhe_coverage **out,
                                      imhe_error *err) {
  if (out)
    *out = NULL;
  if (!set || !out)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_coverage_open: NULL argument");
  struct imhe_coverage *c = calloc(1, sizeof *c);
  if (!c || !(c->v = calloc(set->n + 1, sizeof *c->v))) {
    free(c);                                                /* GCOVR_EXCL_LINE: out of memory */
    return imhe_fail(err, IMHE_NO_MEMORY, "out of memory"); /* GCOVR_EXCL_LINE: out of memory */
  }
  c->set = set;
  c->n = set->n;
  for (size_t i = 0; i < set->n; i++)
    if (set->v[i].loaded && imhe_cov_init(&c->v[i], &set->v[i].prog) != 0) {
      imhe_coverage_close(c);                                 /* GCOVR_EXCL_LINE: out of memory */
      return imhe_fail(err, IMHE_NO_MEMORY, "out of memory"); /* GCOVR_EXCL_LINE: out of memory */
    }
  *out = c;
  return imhe_ok(err);
}

IMHE_API void imhe_coverage_add(imhe_coverage *c, const imhe_result *res) {
  if (!c || !res)
    return;
  const struct imhe_program *p = IMHE_JUDGED(res)->prog;
  for (size_t i = 0; p && i < c->n; i++)
    if (c->v[i].p == p)
      imhe_cov_add(&c->v[i], res);
}

IMHE_API size_t imhe_coverage_count(const imhe_coverage *c) {
  size_t n = 0;
  for (size_t i = 0; c && i < c->n; i++)
    n += c->v[i].n;
  return n;
}

IMHE_API int imhe_coverage_at(const imhe_coverage *c, size_t i, imhe_coverage_item *out) {
  for (size_t k = 0; c && out && k < c->n; k++) {
    if (i >= c->v[k].n) {
      i -= c->v[k].n;
      continue;
    }
    const struct imhe_cov_item *it = &c->v[k].v[i];
    *out = (imhe_coverage_item){
        c->set->v[k].stem, imhe_cov_kind_name[it->kind], it->name, it->file, it->line, it->pass,
        it->fail};
    return 1;
  }
  return 0;
}

IMHE_API void imhe_coverage_close(imhe_coverage *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->n; i++)
    imhe_cov_free(&c->v[i]);
  free(c->v);
  free(c);
}
