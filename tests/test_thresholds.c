/* test_thresholds.c — records that sit exactly on a threshold of each measure, and one unit
 * under it, judged by the shipped policies: verdict, failed areas and observed values.
 *
 * Each file in tests/records/thresholds/ is one record; its header says what to expect,
 * worked out by hand from requirements.md:
 *   # expect: not_eligible rsc training      verdict, then the failed areas (any order)
 *   # observe: specialist_rsc 1 24           rule id, condition (from 1), observed value
 * Files come in pairs, NAME-at.yaml and NAME-under.yaml. The policy is the shipped
 * rules/<association>.imhe; the record is judged at its renewal deadline (renewals) or its
 * submitted date. */
#include "helpers.h"
#include "runtime/core/dates.h"
#include "runtime/eval/result.h"
#include "runtime/records/stream.h"
#include "runtime/report/report.h"
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIR "tests/records/thresholds"

struct observe {
  char rule[64];
  unsigned cond;
  double value;
};
struct expect {
  char verdict[32];
  uint32_t areas;
  struct observe obs[8];
  int nobs;
};

/* Reads the "# expect:" and "# observe:" lines; 0 when the expectation is missing or bad. */
static int parse_header(const char *path, const char *text, struct expect *e) {
  memset(e, 0, sizeof *e);
  int have = 0;
  for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
    if (!strncmp(l, "# expect:", 9)) {
      char line[300];
      size_t n = strcspn(l + 9, "\n");
      snprintf(line, sizeof line, "%.*s", (int)n, l + 9);
      char *save = NULL, *w = strtok_r(line, " ", &save);
      cr_assert(w, "%s: '# expect:' names no verdict", path);
      snprintf(e->verdict, sizeof e->verdict, "%s", w);
      while ((w = strtok_r(NULL, " ", &save))) {
        int a = imhe_area_lookup_in(catalogue(), w, strlen(w));
        cr_assert_geq(a, 0, "%s: unknown area '%s'", path, w);
        e->areas |= 1u << a;
      }
      have = 1;
    } else if (!strncmp(l, "# observe:", 10)) {
      cr_assert_lt(e->nobs, 8, "%s: too many observations", path);
      struct observe *o = &e->obs[e->nobs++];
      cr_assert_eq(sscanf(l + 10, " %63s %u %lf", o->rule, &o->cond, &o->value), 3,
                   "%s: '# observe: RULE N VALUE'", path);
    }
  }
  return have;
}

struct policies {
  char assoc[8][16];
  struct imhe_program p[8];
  int n;
};

static const struct imhe_program *policy_for(struct policies *ps, const struct imhe_text *assoc) {
  char name[16];
  size_t k = 0;
  for (; k < assoc->n && k + 1 < sizeof name; k++)
    name[k] = (char)tolower((unsigned char)assoc->s[k]);
  name[k] = 0;
  for (int i = 0; i < ps->n; i++)
    if (!strcmp(ps->assoc[i], name))
      return &ps->p[i];
  cr_assert_lt(ps->n, 8);
  char path[64], *diags;
  snprintf(path, sizeof path, "rules/%s.imhe", name);
  cr_assert_eq(compile_to(path, &ps->p[ps->n], &diags), 0, "%s: %s", path, diags);
  free(diags);
  snprintf(ps->assoc[ps->n], sizeof ps->assoc[0], "%s", name);
  return &ps->p[ps->n++];
}

static void areas_text(uint32_t areas, char *buf, size_t cap) {
  size_t k = 0;
  buf[0] = 0;
  for (int a = 0; a < (int)catalogue()->nareas; a++)
    if (areas >> a & 1u)
      k += (size_t)snprintf(buf + k, cap - k, " %s", imhe_area_word(catalogue(), a));
}

/* Everything the report says about the record, for a failure message. */
static void explain(const struct imhe_result *res, struct imhe_record *r, char *buf, size_t cap) {
  size_t k = 0;
  buf[0] = 0;
  for (uint32_t i = 0; i < r->errors.n && k + 200 < cap; i++)
    k += (size_t)snprintf(buf + k, cap - k, "\n  error %u:%u: %s", r->errors.v[i].line,
                          r->errors.v[i].col, r->errors.v[i].text);
  for (uint32_t i = 0; i < res->nrules && k + 400 < cap; i++) {
    const struct imhe_rule_outcome *rr = &res->rules[i];
    if (rr->status != IMHE_STATUS_FAIL)
      continue;
    k += (size_t)snprintf(buf + k, cap - k, "\n  failed %s", rr->id);
    for (uint32_t c = 0; c < rr->nconds && k + 300 < cap; c++)
      if (rr->conds[c].status == IMHE_STATUS_FAIL)
        k += (size_t)snprintf(buf + k, cap - k, "\n    %.120s: observed %g, required %g",
                              rr->conds[c].desc, rr->conds[c].observed, rr->conds[c].required);
  }
}

static const struct imhe_cond_result *find_cond(const struct imhe_result *res, const char *rule,
                                                unsigned k) {
  for (uint32_t i = 0; i < res->nrules; i++)
    if (!strcmp(res->rules[i].id, rule))
      return k >= 1 && k <= res->rules[i].nconds ? &res->rules[i].conds[k - 1] : NULL;
  return NULL;
}

static void judge(struct policies *ps, const char *name) {
  char path[300];
  snprintf(path, sizeof path, DIR "/%s", name);
  char *text = read_all(path, NULL);
  cr_assert(text, "cannot read %s", path);
  struct expect e;
  cr_assert(parse_header(path, text, &e), "%s: no '# expect:' line", path);
  free(text);

  char err[300];
  struct imhe_loader *l = imhe_loader_open(path, NULL, err, sizeof err);
  cr_assert(l, "%s", err);
  struct imhe_record r;
  cr_assert_eq(imhe_loader_next(l, &r), 1, "%s: no record", path);
  imhe_loader_close(l);
  cr_assert(r.association.s, "%s: no association", path);
  const struct imhe_program *p = policy_for(ps, &r.association);
  int32_t as_of = r.kind == IMHE_KIND_RENEWAL ? r.renewal_deadline : r.submitted;
  cr_assert_neq(as_of, IMHE_NO_DATE, "%s: no submitted date or renewal deadline", path);
  struct imhe_result res;
  imhe_evaluate(p, &r, &r.arena, as_of,
                r.kind == IMHE_KIND_RENEWAL ? IMHE_AS_OF_DEADLINE : IMHE_AS_OF_SUBMITTED, &res);

  static char why[8192];
  explain(&res, &r, why, sizeof why);
  char want[200], got[200];
  areas_text(e.areas, want, sizeof want);
  areas_text(res.failed_areas, got, sizeof got);
  cr_expect_str_eq(imhe_verdict_name(res.verdict), e.verdict, "%s: verdict %s, expected %s%s", name,
                   imhe_verdict_name(res.verdict), e.verdict, why);
  cr_expect_eq(res.failed_areas, e.areas, "%s: failed areas [%s ], expected [%s ]%s", name, got,
               want, why);
  for (int i = 0; i < e.nobs; i++) {
    const struct imhe_cond_result *c = find_cond(&res, e.obs[i].rule, e.obs[i].cond);
    cr_expect(c, "%s: no condition %u of rule %s", name, e.obs[i].cond, e.obs[i].rule);
    if (c)
      cr_expect_float_eq(c->observed, e.obs[i].value, 1e-6, "%s: %s %u observed %.9g, expected %g",
                         name, e.obs[i].rule, e.obs[i].cond, c->observed, e.obs[i].value);
  }
  imhe_record_clear(&r);
}

Test(thresholds, each_measure_at_and_one_unit_under_its_threshold, .timeout = 120) {
  char **names;
  int n = list_files(DIR, ".yaml", &names);
  cr_assert_geq(n, 50, "at least 25 pairs of threshold records (found %d files)", n);
  struct policies ps = {.n = 0};
  int at = 0;
  for (int i = 0; i < n; i++) {
    size_t len = strlen(names[i]);
    int is_at = len > 8 && !strcmp(names[i] + len - 8, "-at.yaml");
    int is_under = len > 11 && !strcmp(names[i] + len - 11, "-under.yaml");
    cr_expect(is_at || is_under, "%s: name a threshold record NAME-at.yaml or NAME-under.yaml",
              names[i]);
    if (is_at) { /* its pair one unit under */
      char pair[300];
      snprintf(pair, sizeof pair, DIR "/%.*s-under.yaml", (int)(len - 8), names[i]);
      char *t = read_all(pair, NULL);
      cr_expect(t, "%s has no pair %s", names[i], pair);
      free(t);
      at++;
    }
    judge(&ps, names[i]);
  }
  cr_expect_geq(at, 25);
  for (int i = 0; i < ps.n; i++)
    imhe_program_free(&ps.p[i]);
  free_list(names, n);
}
