/* json.c — the report for programs: one JSON object per record (JSON Lines), with every rule and
 * condition, observed, required and shortfall with their unit, counted and left-out entries, fees,
 * errors and warnings located in their files. */
#include "runtime/core/dates.h"
#include "runtime/report/explain.h"
#include "runtime/report/report.h"
#include <string.h>

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
static void json_notes(struct sbuf *b, const struct imhe_fee_summary *fe) {
  for (int i = 0; i < fe->nnotes; i++) {
    if (i)
      sb_putc(b, ',');
    sb_jstr(b, fe->notes[i]);
  }
  sb_puts(b, "]}");
}

/* The messages of the record, then those of judging it, as one array. */
static void json_msgs(struct sbuf *b, const struct imhe_msgs *m, const struct imhe_msgs *more) {
  sb_putc(b, '[');
  for (uint32_t i = 0, k = 0; i < m->n + more->n; i++) {
    const struct imhe_msgs *from = i < m->n ? m : more;
    k = i < m->n ? i : i - m->n;
    sb_puts(b, i ? ",{\"file\":" : "{\"file\":");
    sb_jstr(b, from->v[k].file);
    sb_puts(b, ",\"line\":");
    sb_uint(b, from->v[k].line);
    sb_puts(b, ",\"column\":");
    sb_uint(b, from->v[k].col);
    sb_puts(b, ",\"message\":");
    sb_jstr(b, from->v[k].text);
    sb_putc(b, '}');
  }
  sb_putc(b, ']');
}

static const char *unit_word(const struct imhe_cond_result *c) {
  if (c->display == DISP_DEGREE)
    return "degree level";
  if (c->unit == IMHE_UNIT_DAYS)
    return "days";
  return imhe_unit_words((imhe_unit)c->unit);
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
static uint32_t main_cond(const struct imhe_rule_outcome *rr) {
  for (uint32_t k = 0; k < rr->nconds; k++)
    if (rr->conds[k].status != IMHE_STATUS_PASS)
      return k;
  return 0;
}

static void json_explain(struct sbuf *b, struct sbuf *scratch, const struct imhe_cond_result *c) {
  scratch->n = 0;
  imhe_explain_condition(scratch, c);
  sb_json(b, scratch->v, scratch->n);
}

static void json_rule(struct sbuf *b, struct sbuf *scratch, const struct imhe_record *r,
                      const struct imhe_rule_outcome *rr) {
  uint32_t nc = rr->nconds;
  uint32_t mi = main_cond(rr);
  const struct imhe_cond_result *mc = nc ? &rr->conds[mi] : NULL;
  sb_puts(b, "{\"id\":");
  sb_jstr(b, rr->id);
  sb_puts(b, ",\"area\":\"");
  sb_puts(b, imhe_area_name[rr->area]);
  sb_puts(b, rr->kind == RK_ADVISE ? "\",\"kind\":\"advisory\",\"status\":\""
                                   : "\",\"kind\":\"requirement\",\"status\":\"");
  sb_puts(b, imhe_status_name(rr->status));
  sb_puts(b, "\",\"description\":");
  sb_jstr(b, rr->desc);
  sb_puts(b, ",\"message\":");
  if (rr->message || !mc)
    sb_jstr(b, rr->message ? rr->message : rr->desc);
  else
    json_explain(b, scratch, mc);
  if (mc && mc->kind == VT_NUM) {
    json_quantities(b, mc);
  } else if (mc) {
    sb_puts(b, ",\"observed\":");
    sb_jstr(b, mc->status == IMHE_STATUS_PASS      ? "yes"
               : mc->status == IMHE_STATUS_PENDING ? "pending"
                                                   : "no");
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
    sb_puts(b, imhe_status_name(c->status));
    sb_puts(b, "\",\"line\":");
    sb_uint(b, c->line);
    sb_puts(b, ",\"message\":");
    json_explain(b, scratch, c);
    if (c->kind == VT_NUM) {
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
  sb_puts(b, r->kind == IMHE_KIND_RENEWAL         ? "renewal"
             : r->kind == IMHE_KIND_REINSTATEMENT ? "reinstatement"
                                                  : "application");
  sb_puts(b, "\",\"association\":");
  json_text(b, &r->association);
  sb_puts(b, ",\"category\":");
  if (r->category >= 0 && r->kind == IMHE_KIND_APPLICATION)
    sb_jstr(b, imhe_category_code[r->category]);
  else
    sb_puts(b, "null");
  sb_puts(b, ",\"applicant\":");
  json_text(b, &r->applicant_name);
  sb_puts(b, ",\"as_of\":");
  json_date(b, res->as_of);
  sb_puts(b, ",\"as_of_source\":");
  sb_jstr(b, imhe_as_of_words(res->as_of_source));
  sb_puts(b, ",\"policy\":");
  sb_jstr(b, res->policy);
  sb_puts(b, ",\"base\":");
  sb_jstr(b, res->base);
  sb_puts(b, ",\"verdict\":\"");
  sb_puts(b, imhe_verdict_name(res->verdict));
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
    const struct imhe_fee_summary *fe = &res->fees;
    sb_puts(b, "{\"renewal\":");
    json_num(b, fe->renewal_fee);
    sb_puts(b, ",\"membership_per_year\":");
    json_num(b, fe->membership_fee);
    sb_puts(b, ",\"total_per_year\":");
    json_num(b, fe->total);
    sb_puts(b, ",\"notes\":[");
    json_notes(b, fe);
  } else {
    const struct imhe_fee_summary *fe = &res->fees;
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
  json_msgs(b, &r->errors, &res->errors);
  sb_puts(b, ",\"warnings\":");
  json_msgs(b, &r->warnings, &res->warnings);
  sb_puts(b, ",\"source\":");
  json_source(b, r->file, r->line);
  sb_puts(b, "}\n");
  fwrite(b->v, 1, b->n, f);
  free(b->v);
  free(scratch.v);
}
