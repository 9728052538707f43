/* report.c — text and JSON Lines renderings of a result; every explanation comes from the result's
 * data. A condition reads "sentence: observed; required X (short Y)", with what the measure found
 * and what it left out. */
#include "report.h"
#include "dates.h"
#include "sbuf.h"
#include "schema.h"
#include <math.h>
#include <string.h>

static const char *const verdicts[] = {"eligible", "eligible_pending_exam", "not_eligible",
                                       "invalid"};
const char *imhe_verdict_name(int v) {
  return verdicts[v];
}

static const char *degree_name(double v) {
  int d = (int)v;
  return d <= 0 ? "no degree" : d == 1 ? "associate" : d == 2 ? "bachelors" : "masters or higher";
}

/* Two decimals always, as "%.2f" prints report-sized values. */
static void sb_fixed2(struct sbuf *b, double v) {
  long long c = llround(v * 100);
  if (c < 0) {
    sb_putc(b, '-');
    c = -c;
  }
  sb_uint(b, (unsigned long long)(c / 100));
  sb_putc(b, '.');
  sb_putc(b, (char)('0' + c % 100 / 10));
  sb_putc(b, (char)('0' + c % 10));
}

static void quantity(struct sbuf *b, double v, int unit, int disp) {
  if (disp == DISP_DEGREE) {
    sb_puts(b, degree_name(v));
    return;
  }
  switch (unit) {
  case UNIT_HOURS:
    sb_num2(b, v);
    sb_puts(b, " h");
    return;
  case UNIT_DAYS:
    if (disp == DISP_YEARS) {
      sb_fixed2(b, v / 365.0);
      sb_puts(b, " years (");
      sb_num2(b, round(v));
      sb_puts(b, " days)");
    } else {
      sb_num2(b, round(v));
      sb_puts(b, " days");
    }
    return;
  case UNIT_MONTHS:
    sb_num2(b, v);
    sb_puts(b, " months");
    return;
  case UNIT_MONEY:
    sb_putc(b, '$');
    sb_num2(b, v);
    return;
  case UNIT_FAMILIES:
    sb_num2(b, v);
    sb_puts(b, " families");
    return;
  default:
    sb_num2(b, v);
  }
}

static void required_text(struct sbuf *b, const struct imhe_cond_result *c) {
  if (c->display == DISP_DEGREE) {
    sb_puts(b, c->required >= 3   ? "masters or higher"
               : c->required >= 2 ? "bachelors or higher"
                                  : "an academic degree (associate or higher)");
    return;
  }
  static const char *const words[CMP__COUNT] = {"",           "more than ", "at most ",
                                                "less than ", "exactly ",   "other than "};
  sb_puts(b, words[c->cmp]);
  int shortfall = c->status != ST_PASS && (c->cmp == CMP_GE || c->cmp == CMP_GT);
  if (c->unit == UNIT_DAYS && c->display == DISP_YEARS) {
    double y = c->required / 365.0;
    sb_num2(b, y);
    sb_puts(b, y == 1 ? " year (" : " years (");
    sb_num2(b, round(c->required));
    sb_puts(b, " days");
    if (shortfall) {
      sb_puts(b, ", short ");
      sb_num2(b, round(c->shortfall));
      sb_puts(b, " days");
    }
    sb_putc(b, ')');
    return;
  }
  quantity(b, c->required, c->unit, c->display);
  if (shortfall) {
    sb_puts(b, " (short ");
    quantity(b, c->shortfall, c->unit, c->display);
    sb_putc(b, ')');
  }
}

/* "sentence: observed; required X (short Y) (what the measure found)" */
static void explain_into(struct sbuf *b, const struct imhe_cond_result *c) {
  sb_puts(b, c->desc);
  sb_puts(b, ": ");
  if (c->kind == 'N') {
    quantity(b, c->observed, c->unit, c->display);
    sb_puts(b, "; required ");
    required_text(b, c);
    if (c->note) {
      sb_puts(b, " (");
      sb_puts(b, c->note);
      sb_putc(b, ')');
    }
  } else
    sb_puts(b, c->note ? c->note : (c->status == ST_PASS ? "yes" : "no"));
}

const char *imhe_explain(struct imhe_arena *a, const struct imhe_cond_result *c) {
  struct sbuf b = {0};
  explain_into(&b, c);
  const char *s = imhe_arena_strndup(a, b.v, b.n);
  free(b.v);
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

/* The fee notes and the closing of the fees object. */
static void json_notes(struct sbuf *b, const struct imhe_fees *fe) {
  for (int i = 0; i < fe->nnotes; i++) {
    if (i)
      sb_putc(b, ',');
    sb_jstr(b, fe->notes[i]);
  }
  sb_puts(b, "]}");
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

/* "observed", "required", "shortfall" and "unit" of a comparison. */
static void json_quantities(struct sbuf *b, const struct imhe_cond_result *c) {
  sb_puts(b, ",\"observed\":");
  sb_num2(b, c->observed);
  sb_puts(b, ",\"required\":");
  sb_num2(b, c->required);
  sb_puts(b, ",\"shortfall\":");
  sb_num2(b, c->shortfall);
  sb_puts(b, ",\"unit\":");
  sb_jstr(b, unit_word(c));
}

/* The condition a rule's one-line message stands for: its first that did not pass. */
static uint32_t main_cond(const struct imhe_rule_result *rr) {
  for (uint32_t k = 0; k < rr->nconds; k++)
    if (rr->conds[k].status != ST_PASS)
      return k;
  return 0;
}

static void json_explain(struct sbuf *b, struct sbuf *scratch, const struct imhe_cond_result *c) {
  scratch->n = 0;
  explain_into(scratch, c);
  sb_json(b, scratch->v, scratch->n);
}

static void json_rule(struct sbuf *b, struct sbuf *scratch, const struct imhe_record *r,
                      const struct imhe_rule_result *rr) {
  uint32_t nc = rr->nconds;
  uint32_t mi = main_cond(rr);
  const struct imhe_cond_result *mc = nc ? &rr->conds[mi] : NULL;
  sb_puts(b, "{\"id\":");
  sb_jstr(b, rr->id);
  sb_puts(b, ",\"area\":\"");
  sb_puts(b, imhe_area_name[rr->area]);
  sb_puts(b, rr->kind == RK_ADVISE ? "\",\"kind\":\"advisory\",\"status\":\""
                                   : "\",\"kind\":\"requirement\",\"status\":\"");
  sb_puts(b, status_names[rr->status]);
  sb_puts(b, "\",\"description\":");
  sb_jstr(b, rr->desc);
  sb_puts(b, ",\"message\":");
  if (rr->message || !mc)
    sb_jstr(b, rr->message ? rr->message : rr->desc);
  else
    json_explain(b, scratch, mc);
  if (mc && mc->kind == 'N') {
    json_quantities(b, mc);
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
    json_explain(b, scratch, c);
    if (c->kind == 'N') {
      json_quantities(b, c);
    }
    if (c->counted_sec >= 0) {
      sb_puts(b, ",\"counted\":[");
      for (uint32_t j = 0; j < c->ncounted; j++) {
        if (j)
          sb_putc(b, ',');
        scratch->n = 0;
        imhe_entry_label(scratch, r, c->counted_sec, c->counted[j]);
        sb_json(b, scratch->v, scratch->n);
      }
      sb_putc(b, ']');
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
  struct sbuf sb = {0}, scratch = {0}, *b = &sb;
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
    for (int j = i; j > 0 && strcmp(imhe_area_name[order[j]], imhe_area_name[order[j - 1]]) < 0;
         j--) {
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
    json_rule(b, &scratch, r, &res->rules[i]);
  }
  sb_puts(b, "],\"fees\":");
  if (!res->fees.present)
    sb_puts(b, "null");
  else if (res->fees.renewal) {
    const struct imhe_fees *fe = &res->fees;
    sb_puts(b, "{\"renewal\":");
    json_num(b, fe->renewal_fee);
    sb_puts(b, ",\"membership_per_year\":");
    json_num(b, fe->membership_fee);
    sb_puts(b, ",\"total_per_year\":");
    json_num(b, fe->total);
    sb_puts(b, ",\"notes\":[");
    json_notes(b, fe);
  } else {
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
    sb_puts(b, fe->coupon_applied ? ",\"coupon_applied\":true,\"notes\":["
                                  : ",\"coupon_applied\":false,\"notes\":[");
    json_notes(b, fe);
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
  free(scratch.v);
}

static const char *money(struct imhe_arena *a, double v) {
  if (v < 0)
    return "not published";
  struct sbuf b = {0};
  quantity(&b, v, UNIT_MONEY, DISP_PLAIN);
  const char *s = imhe_arena_strndup(a, b.v, b.n);
  free(b.v);
  return s;
}

void imhe_report_text(FILE *f, const struct imhe_record *r, const struct imhe_result *res,
                      const struct report_opts *o) {
  struct imhe_arena *a = (struct imhe_arena *)&r->arena;
  const char *B = o->color ? "\033[1m" : "", *G = o->color ? "\033[32m" : "",
             *R = o->color ? "\033[31m" : "", *Y = o->color ? "\033[33m" : "",
             *Z = o->color ? "\033[0m" : "";
  char d[11] = "?";
  if (res->as_of != IMHE_NO_DATE)
    imhe_format_date(res->as_of, d);
  const char *vc = res->verdict == V_ELIGIBLE ? G : res->verdict == V_PENDING_EXAM ? Y : R;
  fprintf(f, "%s%.*s%s  %.*s  (%.*s, %s)\n", B, (int)r->id.n, r->id.s ? r->id.s : "<no id>", Z,
          (int)r->applicant_name.n, r->applicant_name.s ? r->applicant_name.s : "",
          (int)r->association.n, r->association.s ? r->association.s : "?",
          r->kind == 1       ? "renewal"
          : r->kind == 2     ? "reinstatement"
          : r->category >= 0 ? imhe_category_code[r->category]
                             : "no category");
  fprintf(f, "  as of %s (%s); policy %s, base %s\n", d, asof_names[res->as_of_source],
          res->policy ? res->policy : "-", res->base ? res->base : "-");
  fprintf(f, "  verdict: %s%s%s\n", vc, verdicts[res->verdict], Z);
  for (uint32_t i = 0; i < r->errors.n; i++)
    fprintf(f, "  %s✗ %s:%u:%u: %s%s\n", R, r->errors.v[i].file, r->errors.v[i].line,
            r->errors.v[i].col, r->errors.v[i].text, Z);
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
        if (c->status != ST_PASS && c->counted_sec >= 0) {
          struct sbuf lb = {0};
          sb_puts(&lb, c->ncounted ? "counted: " : "counted: no entry");
          for (uint32_t j = 0; j < c->ncounted && j < 12; j++) {
            if (j)
              sb_puts(&lb, ", ");
            imhe_entry_label(&lb, r, c->counted_sec, c->counted[j]);
          }
          if (c->ncounted > 12)
            sb_puts(&lb, ", ...");
          fprintf(f, "            %.*s\n", (int)lb.n, lb.v);
          free(lb.v);
        }
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
        fprintf(f, "    %s! %s%s  [%s, %s:%u]\n", Y, imhe_explain(a, &rr->conds[k]), Z, rr->id,
                rr->file, rr->line);
  }
  if (res->fees.present) {
    const struct imhe_fees *fe = &res->fees;
    fprintf(f, "  %sfees%s\n", B, Z);
    if (fe->renewal)
      fprintf(f, "    renewal %s, membership %s a year, total %s a year\n",
              money(a, fe->renewal_fee), money(a, fe->membership_fee), money(a, fe->total));
    else
      fprintf(f, "    registration %s, processing %s, total %s\n", money(a, fe->registration),
              money(a, fe->processing), money(a, fe->total));
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
