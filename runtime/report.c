/* report.c — text and JSON Lines renderings of a result; every explanation comes from the result's data.
 * A condition reads "sentence: observed; required X (short Y)", with what the measure found and what it left out. */
#include "report.h"
#include "dates.h"
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

static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(f, "\\%c", *p);
    else if (*p == '\n')
      fputs("\\n", f);
    else if (*p == '\t')
      fputs("\\t", f);
    else if (*p < 0x20 || *p == 0x7f)
      fprintf(f, "\\u%04x", *p);
    else
      fputc(*p, f);
  }
  fputc('"', f);
}

static void json_text(FILE *f, const struct imhe_text *t) {
  if (!t->s) {
    fputs("null", f);
    return;
  }
  /* Text may hold NULs or invalid UTF-8: escape byte by byte up to its length. */
  fputc('"', f);
  const unsigned char *p = (const unsigned char *)t->s;
  for (uint32_t i = 0; i < t->n; i++) {
    unsigned char c = p[i];
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c < 0x20 || c == 0x7f)
      fprintf(f, "\\u%04x", c);
    else if (c >= 0x80) {
      int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
      int ok = len && i + (uint32_t)len <= t->n;
      for (int k = 1; ok && k < len; k++)
        ok = (p[i + (uint32_t)k] & 0xC0) == 0x80;
      if (ok) {
        fwrite(p + i, 1, (size_t)len, f);
        i += (uint32_t)len - 1;
      } else
        fputs("\\ufffd", f);
    } else
      fputc(c, f);
  }
  fputc('"', f);
}

static void json_num(FILE *f, double v) {
  if (v < 0)
    fputs("null", f);
  else
    fprintf(f, "%.10g", round(v * 100) / 100);
}

static void json_date(FILE *f, int32_t d) {
  if (d == IMHE_NO_DATE) {
    fputs("null", f);
    return;
  }
  char b[11];
  imhe_format_date(d, b);
  fprintf(f, "\"%s\"", b);
}

static void json_msgs(FILE *f, const struct imhe_msgs *m) {
  fputc('[', f);
  for (uint32_t i = 0; i < m->n; i++) {
    fputs(i ? ",{\"file\":" : "{\"file\":", f);
    json_str(f, m->v[i].file);
    fprintf(f, ",\"line\":%u,\"column\":%u,\"message\":", m->v[i].line, m->v[i].col);
    json_str(f, m->v[i].text);
    fputc('}', f);
  }
  fputc(']', f);
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

static const struct imhe_cond_result *main_cond(const struct imhe_rule_result *rr) {
  for (uint32_t k = 0; k < rr->nconds; k++)
    if (rr->conds[k].status != ST_PASS)
      return &rr->conds[k];
  return rr->nconds ? &rr->conds[0] : NULL;
}

void imhe_report_json(FILE *f, const struct imhe_record *r, const struct imhe_result *res) {
  struct imhe_arena *a = (struct imhe_arena *)&r->arena;
  fputs("{\"id\":", f);
  json_text(f, &r->id);
  fprintf(f, ",\"kind\":\"%s\",\"association\":", r->kind == 1 ? "renewal" : r->kind == 2 ? "reinstatement" : "application");
  json_text(f, &r->association);
  fputs(",\"category\":", f);
  if (r->category >= 0 && r->kind == 0)
    json_str(f, imhe_category_code[r->category]);
  else
    fputs("null", f);
  fputs(",\"applicant\":", f);
  json_text(f, &r->applicant_name);
  fputs(",\"as_of\":", f);
  json_date(f, res->as_of);
  fputs(",\"as_of_source\":", f);
  json_str(f, asof_names[res->as_of_source]);
  fputs(",\"policy\":", f);
  json_str(f, res->policy);
  fputs(",\"base\":", f);
  json_str(f, res->base);
  fprintf(f, ",\"verdict\":\"%s\",\"failed_areas\":[", verdicts[res->verdict]);
  int first = 1;
  char names[AREA__COUNT][16];
  int order[AREA__COUNT], n = 0;
  for (int i = 0; i < AREA__COUNT; i++)
    if (res->failed_areas >> i & 1u) {
      snprintf(names[n], sizeof names[n], "%s", imhe_area_name[i]);
      order[n++] = i;
    }
  for (int i = 1; i < n; i++) /* sorted by name */
    for (int j = i; j > 0 && strcmp(imhe_area_name[order[j]], imhe_area_name[order[j - 1]]) < 0; j--) {
      int t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  for (int i = 0; i < n; i++) {
    fprintf(f, "%s\"%s\"", first ? "" : ",", imhe_area_name[order[i]]);
    first = 0;
  }
  fputs("],\"rules\":[", f);
  for (uint32_t i = 0; i < res->nrules; i++) {
    const struct imhe_rule_result *rr = &res->rules[i];
    const struct imhe_cond_result *mc = main_cond(rr);
    fputs(i ? ",{\"id\":" : "{\"id\":", f);
    json_str(f, rr->id);
    fprintf(f, ",\"area\":\"%s\",\"kind\":\"%s\",\"status\":\"%s\",\"description\":", imhe_area_name[rr->area],
            rr->kind == RK_ADVISE ? "advisory" : "requirement", status_names[rr->status]);
    json_str(f, rr->desc);
    fputs(",\"message\":", f);
    json_str(f, rr->message ? rr->message : mc ? imhe_explain(a, mc) : rr->desc);
    fputs(",\"observed\":", f);
    if (mc && mc->kind == 'N')
      fprintf(f, "%.10g", round(mc->observed * 100) / 100);
    else if (mc)
      json_str(f, mc->status == ST_PASS ? "yes" : mc->status == ST_PENDING ? "pending" : "no");
    else
      fputs("null", f);
    fputs(",\"required\":", f);
    if (mc && mc->kind == 'N')
      fprintf(f, "%.10g", round(mc->required * 100) / 100);
    else
      fputs(mc ? "\"yes\"" : "null", f);
    fputs(",\"shortfall\":", f);
    if (mc && mc->kind == 'N')
      fprintf(f, "%.10g", round(mc->shortfall * 100) / 100);
    else
      fputs("null", f);
    fputs(",\"unit\":", f);
    if (mc && mc->kind == 'N')
      json_str(f, unit_word(mc));
    else
      fputs("null", f);
    fputs(",\"source\":", f);
    json_str(f, rr->file[0] ? imhe_arena_printf(a, "%s:%u", rr->file, rr->line) : "");
    fputs(",\"conditions\":[", f);
    for (uint32_t k = 0; k < rr->nconds; k++) {
      const struct imhe_cond_result *c = &rr->conds[k];
      fputs(k ? ",{\"description\":" : "{\"description\":", f);
      json_str(f, c->desc);
      fprintf(f, ",\"status\":\"%s\",\"line\":%u,\"message\":", status_names[c->status], c->line);
      json_str(f, imhe_explain(a, c));
      if (c->kind == 'N') {
        fputs(",\"observed\":", f);
        fprintf(f, "%.10g", round(c->observed * 100) / 100);
        fprintf(f, ",\"required\":%.10g,\"shortfall\":%.10g,\"unit\":", round(c->required * 100) / 100,
                round(c->shortfall * 100) / 100);
        json_str(f, unit_word(c));
      }
      if (c->nleft) {
        fputs(",\"left_out\":[", f);
        for (uint32_t j = 0; j < c->nleft; j++) {
          if (j)
            fputc(',', f);
          json_str(f, c->left_out[j]);
        }
        fputc(']', f);
      }
      fputc('}', f);
    }
    fputs("]}", f);
  }
  fputs("],\"fees\":", f);
  if (!res->fees.present)
    fputs("null", f);
  else {
    const struct imhe_fees *fe = &res->fees;
    fputs("{\"registration\":", f);
    json_num(f, fe->registration);
    fputs(",\"processing\":", f);
    json_num(f, fe->processing);
    fputs(",\"total\":", f);
    json_num(f, fe->total);
    fputs(",\"coupon\":", f);
    if (fe->coupon)
      json_str(f, fe->coupon);
    else
      fputs("null", f);
    fprintf(f, ",\"coupon_applied\":%s,\"notes\":[", fe->coupon_applied ? "true" : "false");
    for (int i = 0; i < fe->nnotes; i++) {
      if (i)
        fputc(',', f);
      json_str(f, fe->notes[i]);
    }
    fputs("]}", f);
  }
  fputs(",\"next_deadline\":", f);
  json_date(f, res->next_deadline);
  fputs(",\"errors\":", f);
  json_msgs(f, &r->errors);
  fputs(",\"warnings\":", f);
  json_msgs(f, &r->warnings);
  fputs(",\"source\":", f);
  json_str(f, imhe_arena_printf(a, "%s:%u", r->file, r->line));
  fputs("}\n", f);
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
