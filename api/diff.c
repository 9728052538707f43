/* diff.c — the public policy comparison of include/imhe.h: the policies of two sets paired by
 * file name (or the one policy of each), each pair compared by runtime/testing/diff.c. */
#include "runtime/testing/diff.h"
#include "api/internal.h"
#include <stdlib.h>
#include <string.h>

struct imhe_policy_diff {
  struct imhe_pdiff d;
  const char **policy; /* per item: the policy it concerns */
  size_t cap;
};

static void note(struct imhe_policy_diff *pd, size_t from, const char *stem) {
  if (pd->d.n > pd->cap) {
    size_t cap = pd->d.n * 2;
    const char **v = realloc(pd->policy, cap * sizeof *v);
    if (!v) /* GCOVR_EXCL_LINE: out of memory */
      return;
    pd->policy = v;
    pd->cap = cap;
  }
  for (size_t i = from; i < pd->d.n && i < pd->cap; i++)
    pd->policy[i] = stem;
}

static const struct imhe_policy *find_stem(const imhe_policy_set *s, const char *stem) {
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->v[i].stem, stem))
      return &s->v[i];
  return NULL;
}

/* Compares one pair, or says a policy is on one side only or could not be loaded. */
static void pair(struct imhe_policy_diff *pd, const struct imhe_policy *a,
                 const struct imhe_policy *b) {
  size_t from = pd->d.n;
  if (a && b && a->loaded && b->loaded)
    imhe_pdiff(&a->prog, &b->prog, &pd->d);
  else {
    const struct imhe_policy *p = a ? a : b;
    if (pd->d.n == pd->d.cap) {
      size_t cap = pd->d.cap ? pd->d.cap * 2 : 32;
      struct imhe_pdiff_item *v = realloc(pd->d.v, cap * sizeof *v);
      if (!v) /* GCOVR_EXCL_LINE: out of memory */
        return;
      pd->d.v = v;
      pd->d.cap = cap;
    }
    pd->d.v[pd->d.n++] =
        (struct imhe_pdiff_item){"policy",
                                 !b   ? "removed"
                                 : !a ? "added"
                                      : "changed",
                                 (char *)(a ? (a->error ? a->error : a->file) : NULL),
                                 (char *)(b ? (b->error ? b->error : b->file) : NULL),
                                 p->file,
                                 0};
  }
  note(pd, from, (a ? a : b)->stem);
}

IMHE_API imhe_code imhe_policy_diff_open(const imhe_policy_set *old, const imhe_policy_set *new_,
                                         imhe_policy_diff **out, imhe_error *err) {
  if (out)
    *out = NULL;
  if (!old || !new_ || !out)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_policy_diff_open: NULL argument");
  struct imhe_policy_diff *pd = calloc(1, sizeof *pd);
  if (!pd)
    return imhe_fail(err, IMHE_NO_MEMORY, "out of memory"); /* GCOVR_EXCL_LINE: out of memory */
  if ((old->single || new_->single) && old->n && new_->n)
    pair(pd, &old->v[0], &new_->v[0]);
  else {
    for (size_t i = 0; i < old->n; i++)
      pair(pd, &old->v[i], find_stem(new_, old->v[i].stem));
    for (size_t i = 0; i < new_->n; i++)
      if (!find_stem(old, new_->v[i].stem))
        pair(pd, NULL, &new_->v[i]);
  }
  *out = pd;
  return imhe_ok(err);
}

IMHE_API size_t imhe_policy_diff_count(const imhe_policy_diff *pd) {
  return pd ? pd->d.n : 0;
}

IMHE_API int imhe_policy_diff_at(const imhe_policy_diff *pd, size_t i, imhe_difference *out) {
  if (!pd || !out || i >= pd->d.n)
    return 0;
  const struct imhe_pdiff_item *it = &pd->d.v[i];
  *out = (imhe_difference){i < pd->cap ? pd->policy[i] : "",
                           it->what,
                           it->change,
                           it->old,
                           it->new_,
                           it->file,
                           it->line};
  return 1;
}

IMHE_API void imhe_policy_diff_close(imhe_policy_diff *pd) {
  if (!pd)
    return;
  imhe_pdiff_free(&pd->d);
  free(pd->policy);
  free(pd);
}
