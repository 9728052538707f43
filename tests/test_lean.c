/* test_lean.c — judging for verdicts only (imhe_judge_options.verdicts_only) gives what a full
 * judgement gives for every fact a verdict-only run reads or a diff compares; and the VM's direct
 * forms of common rules give what its loop gives. */
#include "helpers.h"
#include "include/imhe.h"
#include "runtime/eval/result.h"
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The two judgements of one record agree: verdict, failed areas, fees and deadline, messages,
 * and every rule's status and condition (status, description, observed and required values: what
 * imhe_result_changes compares), and the lean one carries no explanation. */
static void expect_agree(const imhe_result *full, const imhe_result *lean, const char *id) {
  cr_assert_eq(imhe_result_verdict(full), imhe_result_verdict(lean), "%s: verdict", id);
  cr_assert_eq(full->failed_areas, lean->failed_areas, "%s: failed areas", id);
  cr_assert_eq(imhe_result_settings_differ(full, lean), 0, "%s: fees or deadline", id);
  cr_assert_eq(full->fees.total, lean->fees.total, "%s: total fees", id);
  cr_assert_eq(imhe_result_changes(full, lean, NULL, 0), 0, "%s: rules", id);
  cr_assert_eq(full->nrules, lean->nrules, "%s: rule count", id);
  cr_assert_eq(imhe_result_message_count(full), imhe_result_message_count(lean), "%s: messages",
               id);
  for (uint32_t i = 0; i < lean->nrules; i++) {
    const struct imhe_rule_outcome *a = &full->rules[i], *b = &lean->rules[i];
    cr_assert_str_eq(a->id, b->id, "%s: rule %u", id, i);
    cr_assert_eq(a->status, b->status, "%s: %s", id, a->id);
    for (uint32_t k = 0; k < b->nconds; k++) {
      cr_assert_eq(a->conds[k].shortfall, b->conds[k].shortfall, "%s: %s shortfall", id, a->id);
      cr_assert(!b->conds[k].notes && !b->conds[k].left_out && !b->conds[k].counted,
                "%s: %s: a verdicts-only condition carries an explanation", id, a->id);
    }
  }
  cr_assert_eq(lean->verdicts_only, 1);
  cr_assert_eq(full->verdicts_only, 0);
}

/* A result rendered whole as JSON (malloc'd): every explanation it carries, in words. */
static char *as_json(const imhe_result *res) {
  size_t need = 0;
  imhe_error e;
  imhe_render_buffer(res, "json", NULL, NULL, 0, &need, &e);
  char *buf = malloc(need + 1);
  cr_assert(buf);
  cr_assert_eq(imhe_render_buffer(res, "json", NULL, buf, need + 1, NULL, &e), IMHE_OK, "%s",
               e.message);
  return buf;
}

/* How many of a result's rules the VM runs by their direct form (program.h, plan_straight). */
static size_t straight_rules(const imhe_result *res) {
  size_t n = 0;
  for (uint32_t i = 0; res->prog->plan_straight && i < res->nrules; i++)
    n += res->prog->plan_straight[res->rules[i].rule] && res->rules[i].file[0];
  return n;
}

/* The record judged again with the VM's loop for every rule (the program's direct forms hidden
 * for the call) gives what `a` and `b` gave with them: the full judgement's explanations word for
 * word, and every rule's and condition's status and values when judging for verdicts only. */
static size_t expect_loop_agrees(const imhe_policy_set *set, const imhe_record *rec,
                                 const imhe_judge_options *full, const imhe_result *a,
                                 const imhe_result *b, const char *id) {
  struct imhe_program *p = (struct imhe_program *)a->prog;
  if (!p) /* judged by no program (its association unknown): nothing ran */
    return 0;
  uint8_t *direct = p->plan_straight;
  imhe_judge_options lean = *full;
  lean.verdicts_only = 1;
  imhe_result *la, *lb;
  imhe_error e;
  p->plan_straight = NULL;
  imhe_code ca = imhe_judge(set, rec, full, &la, &e), cb = imhe_judge(set, rec, &lean, &lb, &e);
  p->plan_straight = direct;
  cr_assert(ca == IMHE_OK && cb == IMHE_OK, "%s", e.message);
  char *ja = as_json(a), *jl = as_json(la);
  cr_assert_str_eq(ja, jl, "%s: the direct forms' explanation is not the loop's", id);
  free(ja);
  free(jl);
  cr_assert_eq(b->nrules, lb->nrules, "%s: rule count", id);
  for (uint32_t i = 0; i < b->nrules; i++) {
    const struct imhe_rule_outcome *x = &b->rules[i], *y = &lb->rules[i];
    cr_assert_eq(x->status, y->status, "%s: %s", id, x->id);
    cr_assert_eq(x->nconds, y->nconds, "%s: %s conditions", id, x->id);
    for (uint32_t k = 0; k < x->nconds; k++) {
      const struct imhe_cond_result *c = &x->conds[k], *d = &y->conds[k];
      cr_assert(c->status == d->status && c->kind == d->kind && c->cmp == d->cmp &&
                    c->observed == d->observed && c->required == d->required &&
                    c->shortfall == d->shortfall && c->line == d->line && !strcmp(c->desc, d->desc),
                "%s: %s condition %u differs from the loop's", id, x->id, k);
    }
  }
  size_t n = straight_rules(a);
  imhe_result_free(la);
  imhe_result_free(lb);
  return n;
}

/* Rules the direct forms ran in compare_files, so that a test can see they were tried. */
static size_t straight_seen;

/* Every record of the files judged both ways, as of each date given (year 0: the record's own),
 * and both again by the VM's loop alone; returns how many records were compared. */
static size_t compare_files(const char *const *paths, size_t n, const imhe_date *as_of,
                            size_t ndates) {
  imhe_open_options oo = {.no_cache_write = 1};
  imhe_policy_set *set;
  imhe_error e;
  cr_assert_eq(imhe_policy_set_open("rules", &oo, &set, &e), IMHE_OK, "%s", e.message);
  imhe_source *src;
  cr_assert_eq(imhe_source_open_paths(set, paths, n, &src, &e), IMHE_OK, "%s", e.message);
  size_t count = 0;
  imhe_record *rec;
  for (imhe_code c; (c = imhe_source_next(src, &rec, &e)) != IMHE_END;) {
    if (c != IMHE_OK)
      continue;
    for (size_t d = 0; d < ndates; d++) {
      imhe_judge_options full = {.as_of = as_of[d], .today = {2026, 6, 1}};
      imhe_judge_options lean = full;
      lean.verdicts_only = 1;
      imhe_result *a, *b;
      cr_assert_eq(imhe_judge(set, rec, &full, &a, &e), IMHE_OK, "%s", e.message);
      cr_assert_eq(imhe_judge(set, rec, &lean, &b, &e), IMHE_OK, "%s", e.message);
      const char *id = imhe_record_id(rec);
      expect_agree(a, b, id ? id : "(no id)");
      straight_seen += expect_loop_agrees(set, rec, &full, a, b, id ? id : "(no id)");
      imhe_result_free(a);
      imhe_result_free(b);
      count++;
    }
    imhe_record_free(rec);
  }
  imhe_source_close(src);
  imhe_policy_set_close(set);
  return count;
}

static const imhe_date dates[] = {{0, 0, 0}, {2024, 2, 29}, {2026, 12, 31}};

/* The files of dir ending in .yaml, as paths. */
static size_t yaml_files(const char *dir, char ***paths) {
  char **names;
  int n = list_files(dir, ".yaml", &names);
  cr_assert_gt(n, 0, "%s: no records", dir);
  *paths = calloc((size_t)n, sizeof **paths);
  cr_assert(*paths);
  for (int i = 0; i < n; i++) {
    size_t len = strlen(dir) + strlen(names[i]) + 2;
    (*paths)[i] = malloc(len);
    cr_assert((*paths)[i]);
    snprintf((*paths)[i], len, "%s/%s", dir, names[i]);
  }
  free_list(names, n);
  return (size_t)n;
}

static void compare_dir(const char *dir) {
  char **paths;
  size_t n = yaml_files(dir, &paths);
  cr_assert_gt(compare_files((const char *const *)paths, n, dates, 3), 0);
  cr_assert_gt(straight_seen, 0, "%s: no rule was run by a direct form", dir);
  for (size_t i = 0; i < n; i++)
    free(paths[i]);
  free(paths);
}

Test(lean, examples_give_the_full_verdicts, .timeout = 120) {
  compare_dir("examples");
}

Test(lean, acceptance_records_give_the_full_verdicts, .timeout = 120) {
  compare_dir("tests/acceptance/applications");
  compare_dir("tests/acceptance/renewals");
}

Test(lean, invalid_records_give_the_full_verdicts, .timeout = 120) {
  compare_dir("tests/records/bad");
}

Test(lean, generated_population_gives_the_full_verdicts, .timeout = 300) {
  char *dir = temp_dir(), yaml[PATH_MAX], cmd[PATH_MAX + 64];
  snprintf(yaml, sizeof yaml, "%s/population.yaml", dir);
  snprintf(cmd, sizeof cmd, "python3 bench/gen_records.py 3000 17 > %s", yaml);
  free(dir);
  cr_assert_eq(system(cmd), 0);
  const char *paths[] = {yaml};
  cr_assert_eq(compare_files(paths, 1, dates, 1), 3000);
  cr_assert_gt(straight_seen, 3000, "no rule was run by a direct form");
}
