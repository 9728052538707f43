/* json.c — the report for programs, version 2 (docs/report.md, docs/report.schema.json): one JSON
 * object per record (JSON Lines), every rule with its unmet conditions and every condition typed
 * (numbers with a unit, degrees by name, yes/no as booleans), reason codes beside their words. */
#include "runtime/core/dates.h"
#include "runtime/report/explain.h"
#include "runtime/report/report.h"
#include "runtime/report/reporter.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
static void json_notes(struct sbuf *b, struct sbuf *scratch, const struct imhe_result *res) {
  for (int i = 0; i < res->fees.nnotes; i++) {
    if (i)
      sb_putc(b, ',');
    scratch->n = 0;
    imhe_explain_fee_note(scratch, res, i);
    sb_json(b, scratch->v, scratch->n);
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

/* A degree level named from the judging program's degrees, as a JSON string. */
static void json_degree(struct sbuf *b, const struct imhe_cond_result *c, double v) {
  struct sbuf t = {0};
  imhe_explain_degree_level(&t, c->res->prog, v);
  sb_json(b, t.n ? t.v : "", t.n);
  free(t.v);
}

/* "type", "comparison", "unit", "observed", "required" and "shortfall", typed by what the
 * condition compares: a number in its unit, a degree by name, yes/no, pass/fail/pending. */
static void json_values(struct sbuf *b, const struct imhe_cond_result *c) {
  if (c->kind == VT_NUM && c->display == DISP_DEGREE) {
    sb_puts(b, ",\"type\":\"degree\",\"comparison\":");
    sb_jstr(b, imhe_cmp_symbol[c->cmp]);
    sb_puts(b, ",\"unit\":null,\"observed\":");
    json_degree(b, c, c->observed);
    sb_puts(b, ",\"required\":");
    json_degree(b, c, c->required);
    sb_puts(b, ",\"shortfall\":null");
  } else if (c->kind == VT_NUM) {
    sb_puts(b, ",\"type\":\"number\",\"comparison\":");
    sb_jstr(b, imhe_cmp_symbol[c->cmp]);
    sb_puts(b, ",\"unit\":");
    sb_jstr(b, imhe_unit_name((imhe_unit)c->unit));
    sb_puts(b, ",\"observed\":");
    sb_num2(b, c->observed);
    sb_puts(b, ",\"required\":");
    sb_num2(b, c->required);
    sb_puts(b, ",\"shortfall\":");
    sb_num2(b, c->shortfall);
  } else if (c->kind == VT_BOOL) {
    sb_puts(b, c->status == IMHE_STATUS_PASS
                   ? ",\"type\":\"boolean\",\"comparison\":null,\"unit\":null,\"observed\":true"
                   : ",\"type\":\"boolean\",\"comparison\":null,\"unit\":null,\"observed\":false");
    sb_puts(b, ",\"required\":true,\"shortfall\":null");
  } else {
    sb_puts(b, ",\"type\":\"outcome\",\"comparison\":null,\"unit\":null,\"observed\":\"");
    sb_puts(b, imhe_status_name(c->status));
    sb_puts(b, "\",\"required\":\"pass\",\"shortfall\":null");
  }
}

/* What one record's report is written with: a scratch buffer for sentences, and each entry's
 * JSON as first written, since a record's entries come up again in condition after condition. */
struct jrec {
  const struct imhe_record *r;
  struct sbuf scratch;
  struct sbuf memo;                    /* the entries written so far, one after another */
  uint32_t *seen[IMHE_SECTION__COUNT]; /* per entry: its offset in memo and length, 0: not yet */
  uint32_t *slots;
};

static void jrec_open(struct jrec *j, const struct imhe_record *r) {
  memset(j, 0, sizeof *j);
  j->r = r;
  size_t total = 0;
  for (int s = 0; s < IMHE_SECTION__COUNT; s++)
    total += r->sec[s].n;
  if (!total || !(j->slots = calloc(total * 2, sizeof *j->slots)))
    return; /* written anew each time: the same bytes */
  for (int s = 0, at = 0; s < IMHE_SECTION__COUNT; at += (int)r->sec[s].n * 2, s++)
    j->seen[s] = r->sec[s].n ? j->slots + at : NULL;
}

static void jrec_close(struct jrec *j) {
  free(j->scratch.v);
  free(j->memo.v);
  free(j->slots);
}

/* An entry as {section, number (from 1), title, start, end}, left open for more members. */
static void json_entry(struct sbuf *b, struct jrec *j, int sec, uint32_t i) {
  uint32_t *m = j->seen[sec] && i < j->r->sec[sec].n ? &j->seen[sec][2 * i] : NULL;
  if (m && m[1]) {
    sb_put(b, j->memo.v + m[0], m[1]);
    return;
  }
  size_t at = b->n;
  const struct imhe_record *r = j->r;
  sb_puts(b, "{\"section\":\"");
  sb_puts(b, imhe_section_name((imhe_section)sec));
  sb_puts(b, "\",\"number\":");
  sb_uint(b, (unsigned long long)i + 1);
  sb_puts(b, ",\"title\":");
  const struct imhe_text *t = imhe_entry_title(r, sec, i);
  if (t)
    json_text(b, t);
  else
    sb_puts(b, "null");
  int32_t start, end;
  imhe_entry_dates(r, sec, i, &start, &end);
  sb_puts(b, ",\"start\":");
  json_date(b, start);
  sb_puts(b, ",\"end\":");
  json_date(b, end);
  if (m && b->n - at < UINT32_MAX && j->memo.n < UINT32_MAX) {
    m[0] = (uint32_t)j->memo.n;
    m[1] = (uint32_t)(b->n - at);
    sb_put(&j->memo, b->v + at, b->n - at);
  }
}

/* "findings" (what the measure or fact found, each {reason, message}) and, for the best window of
 * RSC, "window": {start, end}. */
static void json_findings(struct sbuf *b, struct sbuf *scratch, const struct imhe_record *r,
                          const struct imhe_why *notes) {
  const struct imhe_why *win = NULL;
  sb_puts(b, ",\"findings\":[");
  for (const struct imhe_why *w = notes; w; w = w->next) {
    if (w != notes)
      sb_putc(b, ',');
    sb_puts(b, "{\"reason\":\"");
    sb_puts(b, imhe_reason_name((imhe_reason)w->code));
    sb_puts(b, "\",\"message\":");
    scratch->n = 0;
    imhe_explain_reason(scratch, r, w);
    sb_json(b, scratch->v, scratch->n);
    sb_putc(b, '}');
    if (w->code == IMHE_REASON_BEST_WINDOW && !win)
      win = w;
  }
  sb_putc(b, ']');
  if (win) {
    sb_puts(b, ",\"window\":{\"start\":");
    json_date(b, win->date[0]);
    sb_puts(b, ",\"end\":");
    json_date(b, win->date[1]);
    sb_putc(b, '}');
  }
}

/* The entries a condition counted and those it left out, with why. */
static void json_entries(struct sbuf *b, struct jrec *j, const struct imhe_cond_result *c) {
  if (c->counted_sec < 0)
    return;
  sb_puts(b, ",\"counted\":[");
  for (uint32_t k = 0; k < c->ncounted; k++) {
    if (k)
      sb_putc(b, ',');
    json_entry(b, j, c->counted_sec, c->counted[k]);
    sb_putc(b, '}');
  }
  sb_puts(b, "],\"left_out\":[");
  for (uint32_t k = 0; k < c->nleft; k++) {
    if (k)
      sb_putc(b, ',');
    json_entry(b, j, c->counted_sec, c->left_out[k].idx);
    sb_puts(b, ",\"reason\":\"");
    sb_puts(b, imhe_reason_name((imhe_reason)c->left_out[k].why->code));
    sb_puts(b, "\",\"message\":");
    j->scratch.n = 0;
    imhe_explain_exclusion(&j->scratch, j->r, c->left_out[k].why);
    sb_json(b, j->scratch.v, j->scratch.n);
    sb_putc(b, '}');
  }
  sb_putc(b, ']');
}

/* One condition; with entries, its counted and left-out lists too. */
static void json_condition(struct sbuf *b, struct jrec *j, const struct imhe_cond_result *c,
                           uint32_t index, int entries) {
  struct sbuf *scratch = &j->scratch;
  sb_puts(b, "{\"index\":");
  sb_uint(b, index);
  sb_puts(b, ",\"description\":");
  sb_jstr(b, c->desc);
  sb_puts(b, ",\"status\":\"");
  sb_puts(b, imhe_status_name(c->status));
  sb_puts(b, "\",\"line\":");
  sb_uint(b, c->line);
  sb_puts(b, ",\"message\":");
  scratch->n = 0;
  imhe_explain_condition(scratch, c);
  sb_json(b, scratch->v, scratch->n);
  json_values(b, c);
  json_findings(b, scratch, j->r, c->notes);
  if (entries)
    json_entries(b, j, c);
  sb_putc(b, '}');
}

/* The rule's one-line message: why it was not judged by its rules, else its first condition that
 * did not pass, else its description. */
static void json_rule_message(struct sbuf *b, struct sbuf *scratch, const struct imhe_record *r,
                              const struct imhe_rule_outcome *rr) {
  const struct imhe_cond_result *mc = NULL;
  for (uint32_t k = 0; k < rr->nconds && !mc; k++)
    if (rr->conds[k].status != IMHE_STATUS_PASS)
      mc = &rr->conds[k];
  if (!mc && rr->nconds)
    mc = &rr->conds[0];
  scratch->n = 0;
  if (rr->reason)
    imhe_explain_reason(scratch, r, rr->reason);
  else if (mc)
    imhe_explain_condition(scratch, mc);
  else
    sb_puts(scratch, rr->desc ? rr->desc : "");
  sb_json(b, scratch->v, scratch->n);
}

static void json_rule(struct sbuf *b, struct jrec *j, const struct imhe_rule_outcome *rr) {
  sb_puts(b, "{\"id\":");
  sb_jstr(b, rr->id);
  sb_puts(b, ",\"area\":");
  sb_jstr(b, imhe_area_word(rr->res ? rr->res->prog : NULL, rr->area));
  sb_puts(b, rr->kind == RK_ADVISE ? ",\"kind\":\"advisory\",\"status\":\""
                                   : ",\"kind\":\"requirement\",\"status\":\"");
  sb_puts(b, imhe_status_name(rr->status));
  sb_puts(b, "\",\"description\":");
  sb_jstr(b, rr->desc);
  sb_puts(b, ",\"message\":");
  json_rule_message(b, &j->scratch, j->r, rr);
  sb_puts(b, ",\"reason\":");
  if (rr->reason) {
    sb_putc(b, '"');
    sb_puts(b, imhe_reason_name((imhe_reason)rr->reason->code));
    sb_putc(b, '"');
  } else
    sb_puts(b, "null");
  sb_puts(b, ",\"source\":");
  json_source(b, rr->file, rr->line);
  sb_puts(b, ",\"unmet\":[");
  int first = 1;
  for (uint32_t k = 0; k < rr->nconds; k++)
    if (rr->conds[k].status != IMHE_STATUS_PASS) {
      if (!first)
        sb_putc(b, ',');
      first = 0;
      json_condition(b, j, &rr->conds[k], k, 0);
    }
  sb_puts(b, "],\"conditions\":[");
  for (uint32_t k = 0; k < rr->nconds; k++) {
    if (k)
      sb_putc(b, ',');
    json_condition(b, j, &rr->conds[k], k, 1);
  }
  sb_puts(b, "]}");
}

/* "KEY": for fee kind l, its word and a suffix. */
static void json_fee_key(struct sbuf *b, const struct imhe_fee_line *l, const char *suffix) {
  char key[96];
  snprintf(key, sizeof key, "%.60s%s", l->word, suffix);
  sb_jstr(b, key);
  sb_putc(b, ':');
}

/* The fees of a renewal or reinstatement (a year's, and an overdue fee charged once) or of an
 * application, keyed by the declared fee kinds' words: an application's fees by their words; a
 * renewal's own (required) fee by its word, the other yearly ones as WORD_per_year, an overdue
 * fee as WORD_fee only when charged, so on-time renewals read as before; null when the record
 * was not judged. */
static void json_fees(struct sbuf *b, struct sbuf *scratch, const struct imhe_result *res) {
  const struct imhe_fee_summary *fe = &res->fees;
  if (!fe->present) {
    sb_puts(b, "null");
    return;
  }
  sb_putc(b, '{');
  if (fe->renewal) {
    for (int pass = 0; pass < 2; pass++)
      for (int k = 0; k < fe->nkinds; k++)
        if (imhe_fee_listed(fe, k, pass)) {
          json_fee_key(b, &fe->kinds[k], pass ? "_per_year" : "");
          json_num(b, fe->kinds[k].amount);
          sb_putc(b, ',');
        }
    sb_puts(b, "\"total_per_year\":");
    json_num(b, fe->total);
    for (int k = 0; k < fe->nkinds; k++)
      if ((fe->kinds[k].flags & FK_OVERDUE) && fe->kinds[k].amount >= 0) {
        sb_putc(b, ',');
        json_fee_key(b, &fe->kinds[k], "_fee");
        json_num(b, fe->kinds[k].amount);
      }
    sb_puts(b, ",\"notes\":[");
    json_notes(b, scratch, res);
  } else {
    for (int k = 0; k < fe->nkinds; k++)
      if (imhe_fee_listed(fe, k, 1)) {
        json_fee_key(b, &fe->kinds[k], "");
        json_num(b, fe->kinds[k].amount);
        sb_putc(b, ',');
      }
    sb_puts(b, "\"total\":");
    json_num(b, fe->total);
    sb_puts(b, ",\"coupon\":");
    if (fe->coupon)
      sb_jstr(b, fe->coupon);
    else
      sb_puts(b, "null");
    sb_puts(b, fe->coupon_applied ? ",\"coupon_applied\":true,\"notes\":["
                                  : ",\"coupon_applied\":false,\"notes\":[");
    json_notes(b, scratch, res);
  }
}

static void json_record(struct sbuf *b, const struct imhe_result *res,
                        const imhe_render_options *o) {
  (void)o;
  const struct imhe_record *r = res->record;
  struct jrec j;
  jrec_open(&j, r);
  sb_puts(b, "{\"id\":");
  json_text(b, &r->id);
  sb_puts(b, ",\"report_version\":2");
  sb_puts(b, ",\"kind\":\"");
  sb_puts(b, r->kind == IMHE_KIND_RENEWAL         ? "renewal"
             : r->kind == IMHE_KIND_REINSTATEMENT ? "reinstatement"
                                                  : "application");
  sb_puts(b, "\",\"association\":");
  json_text(b, &r->association);
  sb_puts(b, ",\"category\":");
  if (res->category >= 0 && res->prog && r->kind == IMHE_KIND_APPLICATION)
    sb_jstr(b, imhe_cat_code(res->prog, res->category));
  else if (!res->prog && r->category.s && r->kind == IMHE_KIND_APPLICATION)
    json_text(b, &r->category); /* no policy typed it */
  else
    sb_puts(b, "null");
  sb_puts(b, ",\"applicant\":");
  json_text(b, &r->applicant_name);
  sb_puts(b, ",\"as_of\":");
  json_date(b, res->as_of);
  sb_puts(b, ",\"as_of_source\":");
  sb_jstr(b, imhe_as_of_source_name(res->as_of_source));
  sb_puts(b, ",\"policy\":");
  sb_jstr(b, res->policy);
  sb_puts(b, ",\"base\":");
  sb_jstr(b, res->base);
  sb_puts(b, ",\"verdict\":\"");
  sb_puts(b, imhe_verdict_name(res->verdict));
  sb_puts(b, "\",\"failed_areas\":[");
  int order[IMHE_MAX_AREAS], n = imhe_areas_by_word(res->prog, res->failed_areas, order);
  for (int i = 0; i < n; i++) {
    if (i)
      sb_putc(b, ',');
    sb_jstr(b, imhe_area_word(res->prog, order[i]));
  }
  sb_puts(b, "],\"rules\":[");
  for (uint32_t i = 0; i < res->nrules; i++) {
    if (i)
      sb_putc(b, ',');
    json_rule(b, &j, &res->rules[i]);
  }
  sb_puts(b, "],\"fees\":");
  json_fees(b, &j.scratch, res);
  sb_puts(b, ",\"next_deadline\":");
  json_date(b, res->next_deadline);
  sb_puts(b, ",\"errors\":");
  json_msgs(b, &r->errors, &res->errors);
  sb_puts(b, ",\"warnings\":");
  json_msgs(b, &r->warnings, &res->warnings);
  sb_puts(b, ",\"source\":");
  json_source(b, r->file, r->line);
  sb_puts(b, "}\n");
  jrec_close(&j);
}

const struct imhe_reporter_ops imhe_json_reporter = {
    .name = "json",
    .summary = "JSON Lines for programs: one object per record (docs/report.md)",
    .record = json_record,
};

void imhe_report_json(FILE *f, const struct imhe_record *r, const struct imhe_result *res) {
  struct sbuf b = {0};
  struct imhe_result with = *res; /* until every caller sets res->record */
  if (!with.record)
    with.record = r;
  json_record(&b, &with, NULL);
  fwrite(b.v, 1, b.n, f);
  free(b.v);
}
