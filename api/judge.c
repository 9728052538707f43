/* judge.c — one record against its association's policy: which policy, which as-of date (the
 * renewal deadline, the --as-of date, the submitted date, today) and which category. */
#include "api/internal.h"
#include "runtime/core/dates.h"
#include "runtime/core/defs.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static int32_t day_of(imhe_date d) {
  return d.year ? imhe_days_from_civil(d.year, d.month, d.day) : IMHE_NO_DATE;
}

static int valid_date(imhe_date d) {
  if (!d.year)
    return 1;
  int y, m, dd;
  if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31)
    return 0;
  imhe_civil_from_days(imhe_days_from_civil(d.year, d.month, d.day), &y, &m, &dd);
  return y == d.year && m == d.month && dd == d.day;
}

/* The as-of date: a renewal is judged at its deadline (reading 23); else the option, the submitted
 * date, or today with a warning (the verdict then depends on the day it is run). */
static int32_t as_of_for(const struct imhe_record *r, const imhe_judge_options *o,
                         imhe_as_of_source *src, int *today_used) {
  int32_t as_of = day_of(o->as_of);
  *src = IMHE_AS_OF_OPTION;
  *today_used = 0;
  if (r->kind == IMHE_KIND_RENEWAL && r->renewal_deadline != IMHE_NO_DATE) {
    *src = IMHE_AS_OF_DEADLINE;
    return r->renewal_deadline;
  }
  if (as_of != IMHE_NO_DATE)
    return as_of;
  if (r->submitted != IMHE_NO_DATE) {
    *src = IMHE_AS_OF_SUBMITTED;
    return r->submitted;
  }
  *src = IMHE_AS_OF_TODAY;
  *today_used = 1;
  return o->today.year ? day_of(o->today) : imhe_today();
}

/* The record's category typed by the first policy of the set that declares it (-1 when none
 * does), for a result no policy judged: its reports still name the category. */
static int set_category(const struct imhe_policy_set *set, const struct imhe_record *r,
                        const struct imhe_program **prog) {
  for (size_t i = 0; r->category.s && i < set->n; i++) {
    int k = set->v[i].loaded ? imhe_cat_lookup(&set->v[i].prog, r->category.s, r->category.n) : -1;
    if (k >= 0) {
      *prog = &set->v[i].prog;
      return k;
    }
  }
  return -1;
}

/* A result that judged nothing: the record is invalid for the reason its messages give. */
static void invalid(struct imhe_judged *j, const struct imhe_record *r, int32_t as_of,
                    imhe_as_of_source src) {
  struct imhe_result *res = &j->res;
  res->record = r;
  res->arena = &j->arena;
  res->verdict = IMHE_VERDICT_INVALID;
  res->category = set_category(j->set, r, &res->prog);
  res->as_of = as_of;
  res->as_of_source = src;
  res->next_deadline = IMHE_NO_DATE;
}

static imhe_code check_args(const imhe_policy_set *set, const imhe_record *r,
                            const imhe_judge_options *o, int *category, imhe_error *err) {
  if (!set || !r)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_judge: NULL %s", set ? "record" : "set");
  if (r->owner != set)
    return imhe_fail(err, IMHE_MISMATCH, "imhe_judge: the record was read for another policy set");
  if (!valid_date(o->as_of) || !valid_date(o->today))
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_judge: as_of or today is not a real date");
  *category = -1;
  if (o->association && !imhe_policy_set_find(set, o->association))
    return imhe_fail(err, IMHE_NOT_FOUND, "no policy for association '%.60s' in %s", o->association,
                     set->path);
  /* a category asked for is one of the judging policy's (each declares its own) */
  if (!o->category)
    return IMHE_OK;
  const char *assoc = o->association ? o->association : r->association.s;
  const struct imhe_policy *p = set->single ? &set->v[0] : imhe_policy_set_find(set, assoc);
  if ((!p || !p->loaded ||
       (*category = imhe_cat_lookup_loose(&p->prog, o->category, strlen(o->category))) < 0))
    return imhe_fail(err, IMHE_NOT_FOUND, "no category '%.60s'", o->category);
  return IMHE_OK;
}

/* Whether a and b are the same compiled program, byte for byte: compared once for a pair of
 * loaded policies, then remembered in a (threads judging pairs at once may each compare it). */
static int same_program(const struct imhe_policy *a, const struct imhe_policy *b) {
  if (!a || !b || !a->image || !b->image || a->image_len != b->image_len)
    return 0;
  if (atomic_load_explicit(&a->same_as, memory_order_relaxed) == b->serial)
    return 1;
  if (memcmp(a->image, b->image, a->image_len))
    return 0;
  /* a is the set's, allocated writable: the remembered pair is no part of its value */
  atomic_store_explicit(&((struct imhe_policy *)a)->same_as, b->serial, memory_order_relaxed);
  return 1;
}

int imhe_pair_same(const imhe_policy_set *a, const imhe_policy_set *b, const char *association) {
  return same_program(a->single ? &a->v[0] : imhe_policy_set_find(a, association),
                      b->single ? &b->v[0] : imhe_policy_set_find(b, association));
}

static const imhe_judge_options defaults = {{0, 0, 0}, NULL, NULL, {0, 0, 0}, 0};

/* The policy that judges r in set (o's association, else the record's), NULL when none. */
static const struct imhe_policy *policy_for(const imhe_policy_set *set, const struct imhe_record *r,
                                            const imhe_judge_options *o) {
  const char *assoc = o->association ? o->association : r->association.s;
  return set->single ? &set->v[0] : imhe_policy_set_find(set, assoc);
}

/* The bytes of a result's arena allocated with the result (a chunk's worth, as arena.c makes). */
#define JUDGED_ROOM 65536
_Static_assert(sizeof(struct imhe_judged) % 8 == 0, "a judged result's arena starts 8-aligned");

/* imhe_judge once the arguments are checked, by p (policy_for's). */
static imhe_code judge(const imhe_policy_set *set, const imhe_record *r,
                       const imhe_judge_options *o, int category, const struct imhe_policy *p,
                       imhe_result **out, imhe_error *err) {
  /* not zeroed whole: a judged result is all written by imhe_evaluate_mode, and the rest here;
   * its arena's first bytes allocated with it (JUDGED_ROOM: a record's judgement, most of the
   * time), so that a result is one allocation and one free */
  struct imhe_judged *j = malloc(sizeof *j + JUDGED_ROOM);
  if (!j)
    return imhe_fail(err, IMHE_NO_MEMORY, "out of memory");
  imhe_arena_init_in(&j->arena, j + 1, JUDGED_ROOM);
  j->set = set;
  j->prog = NULL;
  j->test = NULL;
  imhe_as_of_source src;
  int today_used;
  int32_t as_of = as_of_for(r, o, &src, &today_used);
  const char *assoc = o->association ? o->association : r->association.s;
  if (p && p->loaded) {
    j->prog = &p->prog;
    imhe_evaluate_mode(&p->prog, r, &j->arena, as_of, src, category, o->verdicts_only != 0,
                       &j->res);
  } else {
    memset(&j->res, 0, sizeof j->res);
    invalid(j, r, as_of, src);
    if (!r->errors.n && !p && assoc)
      imhe_result_error(&j->res, r->line, 1, "unknown association '%.40s': no policy for it in %s",
                        assoc, set->path);
    else if (!r->errors.n && p)
      imhe_result_error(&j->res, r->line, 1, "%s", p->error ? p->error : "policy unavailable");
  }
  j->res.verdicts_only = o->verdicts_only != 0; /* also when no policy judged it */
  if (today_used)
    imhe_result_warning(&j->res, r->line, 1,
                        "no 'submitted' date and no --as-of: judged as of today, so the verdict "
                        "depends on the day it is run");
  *out = &j->res;
  return imhe_ok(err);
}

IMHE_API imhe_code imhe_judge(const imhe_policy_set *set, const imhe_record *r,
                              const imhe_judge_options *opts, imhe_result **out, imhe_error *err) {
  const imhe_judge_options *o = opts ? opts : &defaults;
  int category = -1;
  if (out)
    *out = NULL;
  imhe_code rc = out ? check_args(set, r, o, &category, err)
                     : imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_judge: NULL out");
  return rc ? rc : judge(set, r, o, category, policy_for(set, r, o), out, err);
}

IMHE_API imhe_code imhe_judge_pair(const imhe_policy_set *old_set, const imhe_policy_set *new_set,
                                   const imhe_record *r, const imhe_judge_options *opts,
                                   imhe_result **old_res, imhe_result **new_res, imhe_error *err) {
  const imhe_judge_options *o = opts ? opts : &defaults;
  int category = -1;
  if (old_res)
    *old_res = NULL;
  if (new_res)
    *new_res = NULL;
  if (!old_res || !new_res || !old_set || !new_set || !r)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_judge_pair: NULL argument");
  /* the record may be either set's: the checks are made against the set it was read for */
  const imhe_policy_set *own = r->owner == new_set ? new_set : old_set;
  imhe_code rc = check_args(own, r, o, &category, err);
  if (!rc && own == new_set && o->association && !imhe_policy_set_find(old_set, o->association))
    rc = imhe_fail(err, IMHE_NOT_FOUND, "no policy for association '%.60s' in %s", o->association,
                   old_set->path);
  else if (!rc && own == old_set && o->association &&
           !imhe_policy_set_find(new_set, o->association))
    rc = imhe_fail(err, IMHE_NOT_FOUND, "no policy for association '%.60s' in %s", o->association,
                   new_set->path);
  if (rc)
    return rc;
  const struct imhe_policy *a = policy_for(old_set, r, o), *b = policy_for(new_set, r, o);
  if (same_program(a, b))
    return imhe_ok(err);
  if ((rc = judge(old_set, r, o, category, a, old_res, err)) != IMHE_OK)
    return rc;
  if ((rc = judge(new_set, r, o, category, b, new_res, err)) != IMHE_OK) {
    imhe_result_free(*old_res);
    *old_res = NULL;
  }
  return rc;
}

IMHE_API void imhe_result_free(imhe_result *res) {
  if (!res)
    return;
  struct imhe_judged *j = (struct imhe_judged *)((char *)res - offsetof(struct imhe_judged, res));
  imhe_arena_free(&j->arena);
  free(j);
}
