/* report.c — text and JSON Lines renderings of a result; every explanation comes from the result's data.
 * A condition reads "sentence: observed; required X (short Y)", with what the measure found and what it left out. */
#include "report.h"
#include "dates.h"
#include "sbuf.h"
#include <math.h>
#include <string.h>

static const char *const verdicts[] = {"eligible", "eligible_pending_exam", "not_eligible", "invalid"};
const char *imhe_verdict_name(int v) { return verdicts[v]; }

static const char *num2(struct imhe_arena *a, double v) {
  return imhe_arena_printf(a, "%.10g", round(v * 100) / 100);
}

static const char *degree_name(double v) {
  int d = (int)v;
  return d <= 0 ? "no degree" : d == 1 ? "associate" : d == 2 ? "bachelors" : "masters or higher";
}

static const char *quantity(struct imhe_arena *a, double v, int unit, int disp) {
  if (disp == DISP_DEGREE)
    return degree_name(v);
  switch (unit) {
  case UNIT_HOURS: return imhe_arena_printf(a, "%s h", num2(a, v));
  case UNIT_DAYS:
    if (disp == DISP_YEARS)
      return imhe_arena_printf(a, "%.2f years (%.0f days)", v / 365.0, v);
    return imhe_arena_printf(a, "%.0f days", v);
  case UNIT_MONTHS: return imhe_arena_printf(a, "%s months", num2(a, v));
  case UNIT_MONEY: return imhe_arena_printf(a, "$%s", num2(a, v));
  case UNIT_FAMILIES: return imhe_arena_printf(a, "%s families", num2(a, v));
  default: return num2(a, v);
  }
}

static const char *required_text(struct imhe_arena *a, const struct imhe_cond_result *c) {
  if (c->display == DISP_DEGREE)
    return c->required >= 3 ? "masters or higher"
           : c->required >= 2 ? "bachelors or higher"
                              : "an academic degree (associate or higher)";
  const char *cmp = c->cmp == CMP_GE ? "" : c->cmp == CMP_EQ ? "exactly " : c->cmp == CMP_LE ? "at most " : "";
  if (c->cmp == CMP_GT)
    cmp = "more than ";
  if (c->cmp == CMP_LT)
    cmp = "less than ";
  if (c->unit == UNIT_DAYS && c->display == DISP_YEARS) {
    double y = c->required / 365.0;
    if (c->status == ST_PASS)
      return imhe_arena_printf(a, "%s%g year%s (%.0f days)", cmp, y, y == 1 ? "" : "s", c->required);
    return imhe_arena_printf(a, "%s%g year%s (%.0f days, short %.0f days)", cmp, y, y == 1 ? "" : "s", c->required, c->shortfall);
  }
  const char *q = quantity(a, c->required, c->unit, c->display);
  if (c->status == ST_PASS || c->cmp == CMP_EQ || c->cmp == CMP_LE || c->cmp == CMP_LT)
    return imhe_arena_printf(a, "%s%s", cmp, q);
  return imhe_arena_printf(a, "%s%s (short %s)", cmp, q, quantity(a, c->shortfall, c->unit, c->display));
}

const char *imhe_explain(struct imhe_arena *a, const struct imhe_cond_result *c) {
  const char *s;
  if (c->kind == 'N')
    s = imhe_arena_printf(a, "%s: %s; required %s", c->desc,
                          quantity(a, c->observed, c->unit, c->display), required_text(a, c));
  else
    s = imhe_arena_printf(a, "%s: %s", c->desc, c->note ? c->note : (c->status == ST_PASS ? "yes" : "no"));
  if (c->kind == 'N' && c->note)
    s = imhe_arena_printf(a, "%s (%s)", s, c->note);
  return s;
}

static void json_text(struct sbuf *b, const struct imhe_text *t) {
  if (!t->s)
    sb_puts(b, "null");
  else
    sb_json(b, t->s, t->n);
}

static void json_num(struct sbuf *b, double v) {
  if (v < 0)
    sb_puts(b, "null");
  else
    sb_num2(b, v);
}

static void json_date(struct sbuf *b, int32_t d) {
  if (d == IMHE_NO_DATE) {
    sb_puts(b, "null");
    return;
  }
  char s[11];
  imhe_format_date(d, s);
  sb_putc(b, '"');
  sb_put(b, s, 10);
  sb_putc(b, '"');
}

/* "file:line" as one JSON string; "" when there is no file. */
static void json_source(struct sbuf *b, const char *file, uint32_t line) {
  if (!file || !file[0]) {
    sb_puts(b, "\"\"");
    return;
  }
  sb_json(b, file, strlen(file));
  b->n--; /* reopen the string to append ":line" */
  sb_putc(b, ':');
  sb_uint(b, line);
  sb_putc(b, '"');
}

static void json_msgs(struct sbuf *b, const struct imhe_msgs *m) {
  sb_putc(b, '[');
  for (uint32_t i = 0; i < m->n; i++) {
    sb_puts(b, i ? ",{\"file\":" : "{\"file\":");
    sb_jstr(b, m->v[i].file);
    sb_puts(b, ",\"line\":");
    sb_uint(b, m->v[i].line);
    sb_puts(b, ",\"column\":");
    sb_uint(b, m->v[i].col);
    sb_puts(b, ",\"message\":");
    sb_jstr(b, m->v[i].text);
    sb_putc(b, '}');
  }
  sb_putc(b, ']');
}

static const char *const status_names[] = {"pass", "fail", "pending", "advice", "skipped"};
static const char *const asof_names[] = {"--as-of option", "submitted date", "renewal deadline",
                                         "today (no submitted date)"};

static const char *unit_word(const struct imhe_cond_result *c) {
  if (c->display == DISP_DEGREE)
    return "degree level";
  if (c->unit == UNIT_DAYS)
    return "days";
  return imhe_unit_name[c->unit];
}

/* The condition a rule's one-line message stands for: its first that did not pass. */
static uint32_t main_cond(const struct imhe_rule_result *rr) {
  for (uint32_t k = 0; k < rr->nconds; k++)
    if (rr->conds[k].status != ST_PASS)
      return k;
  return 0;
}

static void json_rule(struct sbuf *b, struct imhe_arena *a, const struct imhe_rule_result *rr) {
  const char *msgs[64];
  uint32_t nc = rr->nconds < 64 ? rr->nconds : 64;
  for (uint32_t k = 0; k < nc; k++)
    msgs[k] = imhe_explain(a, &rr->conds[k]);
  uint32_t mi = main_cond(rr);
  const struct imhe_cond_result *mc = nc ? &rr->conds[mi] : NULL;
  sb_puts(b, "{\"id\":");
  sb_jstr(b, rr->id);
  sb_puts(b, ",\"area\":\"");
  sb_puts(b, imhe_area_name[rr->area]);
  sb_puts(b, rr->kind == RK_ADVISE ? "\",\"kind\":\"advisory\",\"status\":\"" : "\",\"kind\":\"requirement\",\"status\":\"");
  sb_puts(b, status_names[rr->status]);
  sb_puts(b, "\",\"description\":");
  sb_jstr(b, rr->desc);
  sb_puts(b, ",\"message\":");
  sb_jstr(b, rr->message ? rr->message : mc ? msgs[mi] : rr->desc);
  if (mc && mc->kind == 'N') {
    sb_puts(b, ",\"observed\":");
    sb_num2(b, mc->observed);
    sb_puts(b, ",\"required\":");
    sb_num2(b, mc->required);
    sb_puts(b, ",\"shortfall\":");
    sb_num2(b, mc->shortfall);
    sb_puts(b, ",\"unit\":");
    sb_jstr(b, unit_word(mc));
  } else if (mc) {
    sb_puts(b, ",\"observed\":");
    sb_jstr(b, mc->status == ST_PASS ? "yes" : mc->status == ST_PENDING ? "pending" : "no");
    sb_puts(b, ",\"required\":\"yes\",\"shortfall\":null,\"unit\":null");
  } else
    sb_puts(b, ",\"observed\":null,\"required\":null,\"shortfall\":null,\"unit\":null");
  sb_puts(b, ",\"source\":");
  json_source(b, rr->file, rr->line);
  sb_puts(b, ",\"conditions\":[");
  for (uint32_t k = 0; k < nc; k++) {
    const struct imhe_cond_result *c = &rr->conds[k];
    sb_puts(b, k ? ",{\"description\":" : "{\"description\":");
    sb_jstr(b, c->desc);
    sb_puts(b, ",\"status\":\"");
    sb_puts(b, status_names[c->status]);
    sb_puts(b, "\",\"line\":");
    sb_uint(b, c->line);
    sb_puts(b, ",\"message\":");
    sb_jstr(b, msgs[k]);
    if (c->kind == 'N') {
      sb_puts(b, ",\"observed\":");
      sb_num2(b, c->observed);
      sb_puts(b, ",\"required\":");
      sb_num2(b, c->required);
      sb_puts(b, ",\"shortfall\":");
      sb_num2(b, c->shortfall);
      sb_puts(b, ",\"unit\":");
      sb_jstr(b, unit_word(c));
    }
    if (c->nleft) {
      sb_puts(b, ",\"left_out\":[");
      for (uint32_t j = 0; j < c->nleft; j++) {
        if (j)
          sb_putc(b, ',');
        sb_jstr(b, c->left_out[j]);
      }
      sb_putc(b, ']');
    }
    sb_putc(b, '}');
  }
  sb_puts(b, "]}");
}

void imhe_report_json(FILE *f, const struct imhe_record *r, const struct imhe_result *res) {
  struct imhe_arena *a = (struct imhe_arena *)&r->arena;
  struct sbuf sb = {0}, *b = &sb;
  sb_puts(b, "{\"id\":");
  json_text(b, &r->id);
  sb_puts(b, ",\"kind\":\"");
  sb_puts(b, r->kind == 1 ? "renewal" : r->kind == 2 ? "reinstatement" : "application");
  sb_puts(b, "\",\"association\":");
  json_text(b, &r->association);
  sb_puts(b, ",\"category\":");
  if (r->category >= 0 && r->kind == 0)
    sb_jstr(b, imhe_category_code[r->category]);
  else
    sb_puts(b, "null");
  sb_puts(b, ",\"applicant\":");
  json_text(b, &r->applicant_name);
  sb_puts(b, ",\"as_of\":");
  json_date(b, res->as_of);
  sb_puts(b, ",\"as_of_source\":");
  sb_jstr(b, asof_names[res->as_of_source]);
  sb_puts(b, ",\"policy\":");
  sb_jstr(b, res->policy);
  sb_puts(b, ",\"base\":");
  sb_jstr(b, res->base);
  sb_puts(b, ",\"verdict\":\"");
  sb_puts(b, verdicts[res->verdict]);
  sb_puts(b, "\",\"failed_areas\":[");
  int order[AREA__COUNT], n = 0;
  for (int i = 0; i < AREA__COUNT; i++)
    if (res->failed_areas >> i & 1u)
      order[n++] = i;
  for (int i = 1; i < n; i++) /* sorted by name */
    for (int j = i; j > 0 && strcmp(imhe_area_name[order[j]], imhe_area_name[order[j - 1]]) < 0; j--) {
      int t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  for (int i = 0; i < n; i++) {
    if (i)
      sb_putc(b, ',');
    sb_jstr(b, imhe_area_name[order[i]]);
  }
  sb_puts(b, "],\"rules\":[");
  for (uint32_t i = 0; i < res->nrules; i++) {
    if (i)
      sb_putc(b, ',');
    json_rule(b, a, &res->rules[i]);
  }
  sb_puts(b, "],\"fees\":");
  if (!res->fees.present)
    sb_puts(b, "null");
  else {
    const struct imhe_fees *fe = &res->fees;
    sb_puts(b, "{\"registration\":");
    json_num(b, fe->registration);
    sb_puts(b, ",\"processing\":");
    json_num(b, fe->processing);
    sb_puts(b, ",\"total\":");
    json_num(b, fe->total);
    sb_puts(b, ",\"coupon\":");
    if (fe->coupon)
      sb_jstr(b, fe->coupon);
    else
      sb_puts(b, "null");
    sb_puts(b, fe->coupon_applied ? ",\"coupon_applied\":true,\"notes\":[" : ",\"coupon_applied\":false,\"notes\":[");
    for (int i = 0; i < fe->nnotes; i++) {
      if (i)
        sb_putc(b, ',');
      sb_jstr(b, fe->notes[i]);
    }
    sb_puts(b, "]}");
  }
  sb_puts(b, ",\"next_deadline\":");
  json_date(b, res->next_deadline);
  sb_puts(b, ",\"errors\":");
  json_msgs(b, &r->errors);
  sb_puts(b, ",\"warnings\":");
  json_msgs(b, &r->warnings);
  sb_puts(b, ",\"source\":");
  json_source(b, r->file, r->line);
  sb_puts(b, "}\n");
  fwrite(b->v, 1, b->n, f);
  free(b->v);
}

void imhe_report_text(FILE *f, const struct imhe_record *r, const struct imhe_result *res,
                      const struct report_opts *o) {
  struct imhe_arena *a = (struct imhe_arena *)&r->arena;
  const char *B = o->color ? "\033[1m" : "", *G = o->color ? "\033[32m" : "",
             *R = o->color ? "\033[31m" : "", *Y = o->color ? "\033[33m" : "", *Z = o->color ? "\033[0m" : "";
  char d[11] = "?";
  if (res->as_of != IMHE_NO_DATE)
    imhe_format_date(res->as_of, d);
  const char *vc = res->verdict == V_ELIGIBLE ? G : res->verdict == V_PENDING_EXAM ? Y : R;
  fprintf(f, "%s%.*s%s  %.*s  (%.*s, %s)\n", B, (int)r->id.n, r->id.s ? r->id.s : "<no id>", Z,
          (int)r->applicant_name.n, r->applicant_name.s ? r->applicant_name.s : "",
          (int)r->association.n, r->association.s ? r->association.s : "?",
          r->category >= 0 ? imhe_category_code[r->category] : "no category");
  fprintf(f, "  as of %s (%s); policy %s, base %s\n", d, asof_names[res->as_of_source],
          res->policy ? res->policy : "-", res->base ? res->base : "-");
  fprintf(f, "  verdict: %s%s%s\n", vc, verdicts[res->verdict], Z);
  for (uint32_t i = 0; i < r->errors.n; i++)
    fprintf(f, "  %s✗ %s:%u:%u: %s%s\n", R, r->errors.v[i].file, r->errors.v[i].line, r->errors.v[i].col,
            r->errors.v[i].text, Z);
  for (int area = 0; area < AREA__COUNT; area++) {
    int shown = 0;
    for (uint32_t i = 0; i < res->nrules; i++) {
      const struct imhe_rule_result *rr = &res->rules[i];
      if (rr->area != area || rr->kind != RK_REQUIRE || rr->status == ST_SKIPPED)
        continue;
      if (!shown++)
        fprintf(f, "  %s%s%s\n", B, imhe_area_name[area], Z);
      const char *mark = rr->status == ST_PASS ? "✓" : rr->status == ST_PENDING ? "…" : "✗";
      const char *col = rr->status == ST_PASS ? G : rr->status == ST_PENDING ? Y : R;
      fprintf(f, "    %s%s%s %s", col, mark, Z, rr->message ? rr->message : rr->desc);
      if (rr->file[0])
        fprintf(f, "  [%s, %s:%u]", rr->id, rr->file, rr->line);
      fputc('\n', f);
      for (uint32_t k = 0; k < rr->nconds; k++) {
        const struct imhe_cond_result *c = &rr->conds[k];
        const char *cm = c->status == ST_PASS ? "✓" : c->status == ST_PENDING ? "…" : "✗";
        fprintf(f, "        %s %s\n", cm, imhe_explain(a, c));
        if (c->status != ST_PASS)
          for (uint32_t j = 0; j < c->nleft && j < 12; j++)
            fprintf(f, "            %s\n", c->left_out[j]);
      }
    }
  }
  int adv = 0;
  for (uint32_t i = 0; i < res->nrules; i++) {
    const struct imhe_rule_result *rr = &res->rules[i];
    if (rr->kind != RK_ADVISE || rr->status != ST_ADVICE)
      continue;
    if (!adv++)
      fprintf(f, "  %sadvisories%s\n", B, Z);
    for (uint32_t k = 0; k < rr->nconds; k++)
      if (rr->conds[k].status != ST_PASS)
        fprintf(f, "    %s! %s%s  [%s, %s:%u]\n", Y, imhe_explain(a, &rr->conds[k]), Z, rr->id, rr->file, rr->line);
  }
  if (res->fees.present) {
    const struct imhe_fees *fe = &res->fees;
    fprintf(f, "  %sfees%s\n", B, Z);
    const char *reg = fe->registration < 0 ? "not published" : imhe_arena_printf(a, "$%s", num2(a, fe->registration));
    const char *proc = fe->processing < 0 ? "not published" : imhe_arena_printf(a, "$%s", num2(a, fe->processing));
    const char *tot = fe->total < 0 ? "not published" : imhe_arena_printf(a, "$%s", num2(a, fe->total));
    fprintf(f, "    registration %s, processing %s, total %s\n", reg, proc, tot);
    for (int i = 0; i < fe->nnotes; i++)
      fprintf(f, "    - %s\n", fe->notes[i]);
  }
  if (res->next_deadline != IMHE_NO_DATE) {
    imhe_format_date(res->next_deadline, d);
    fprintf(f, "  next %s submission deadline: %s\n", res->deadline_label, d);
  }
  for (uint32_t i = 0; i < r->warnings.n; i++)
    fprintf(f, "  %swarning%s %s:%u:%u: %s\n", Y, Z, r->warnings.v[i].file, r->warnings.v[i].line,
            r->warnings.v[i].col, r->warnings.v[i].text);
  fputc('\n', f);
}
