/* report.c — text and JSON Lines renderings of a result; every explanation comes from the result's
 * data. A condition reads "sentence: observed; required X (short Y)", with what the measure found
 * and what it left out. */
#include "runtime/core/dates.h"
#include "runtime/core/sbuf.h"
#include "runtime/records/schema.h"
#include "runtime/report/report.h"
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
  /* "more than 1 h" missed at exactly 1 h is short of no stated amount: no "(short 0 h)" */
  int shortfall =
      c->status != ST_PASS && (c->cmp == CMP_GE || (c->cmp == CMP_GT && c->shortfall > 0));
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

/* Record text as a person's terminal shows it: control characters (C0, DEL, C1), bidirectional
 * overrides and invalid UTF-8 cannot reach the screen, so no record can forge a line, a colour or
 * a reordered verdict. Control characters appear escaped (\n, \x1b, \u202e); a byte that is not
 * UTF-8 appears as U+FFFD. */
static void sb_text(struct sbuf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    size_t run = i;
    while (run < n && p[run] >= 0x20 && p[run] < 0x7f)
      run++;
    if (run > i) {
      sb_put(b, s + i, run - i);
      i = run;
      continue;
    }
    unsigned c = p[i];
    if (c < 0x20 || c == 0x7f) {
      if (c == '\n' || c == '\t' || c == '\r') {
        char e[2] = {'\\', c == '\n' ? 'n' : c == '\t' ? 't' : 'r'};
        sb_put(b, e, 2);
      } else {
        char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        sb_put(b, e, 4);
      }
      i++;
      continue;
    }
    int len = sb_utf8_len(p + i, n - i);
    if (!len) {
      sb_puts(b, "\xef\xbf\xbd"); /* U+FFFD */
      i++;
      continue;
    }
    unsigned cp = len == 2   ? (c & 0x1Fu) << 6 | (p[i + 1] & 0x3Fu)
                  : len == 3 ? (c & 0x0Fu) << 12 | (p[i + 1] & 0x3Fu) << 6 | (p[i + 2] & 0x3Fu)
                             : 0;
    if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2066 && cp <= 0x2069)) {
      char e[6] = {'\\', 'u', hex[cp >> 12], hex[cp >> 8 & 15], hex[cp >> 4 & 15], hex[cp & 15]};
      sb_put(b, e, 6);
    } else
      sb_put(b, s + i, (size_t)len);
    i += (size_t)len;
  }
}

static void sb_tstr(struct sbuf *b, const char *s) {
  if (s)
    sb_text(b, s, strlen(s));
}

/* "file:line:col: message" of a record's error or warning. */
static void text_msg(struct sbuf *b, const struct imhe_msg *m) {
  sb_tstr(b, m->file);
  sb_putc(b, ':');
  sb_uint(b, m->line);
  sb_putc(b, ':');
  sb_uint(b, m->col);
  sb_puts(b, ": ");
  sb_tstr(b, m->text);
}

/* " [id, file:line]" citing a rule. */
static void text_cite(struct sbuf *b, const struct imhe_rule_result *rr) {
  sb_puts(b, "  [");
  sb_tstr(b, rr->id);
  sb_puts(b, ", ");
  sb_tstr(b, rr->file);
  sb_putc(b, ':');
  sb_uint(b, rr->line);
  sb_putc(b, ']');
}

static void text_money(struct sbuf *b, double v) {
  if (v < 0)
    sb_puts(b, "not published");
  else
    quantity(b, v, UNIT_MONEY, DISP_PLAIN);
}

static void text_explain(struct sbuf *b, struct sbuf *scratch, const struct imhe_cond_result *c) {
  scratch->n = 0;
  explain_into(scratch, c);
  sb_text(b, scratch->v, scratch->n);
}

static void text_rule(struct sbuf *b, struct sbuf *scratch, const struct imhe_record *r,
                      const struct imhe_rule_result *rr, const char *const *col) {
  const char *G = col[1], *R = col[2], *Y = col[3], *Z = col[4];
  const char *mark = rr->status == ST_PASS ? "✓" : rr->status == ST_PENDING ? "…" : "✗";
  sb_puts(b, "    ");
  sb_puts(b, rr->status == ST_PASS ? G : rr->status == ST_PENDING ? Y : R);
  sb_puts(b, mark);
  sb_puts(b, Z);
  sb_putc(b, ' ');
  sb_tstr(b, rr->message ? rr->message : rr->desc);
  if (rr->file[0])
    text_cite(b, rr);
  sb_putc(b, '\n');
  for (uint32_t k = 0; k < rr->nconds; k++) {
    const struct imhe_cond_result *c = &rr->conds[k];
    sb_puts(b, "        ");
    sb_puts(b, c->status == ST_PASS ? "✓" : c->status == ST_PENDING ? "…" : "✗");
    sb_putc(b, ' ');
    text_explain(b, scratch, c);
    sb_putc(b, '\n');
    if (c->status != ST_PASS && c->counted_sec >= 0) {
      sb_puts(b, "            ");
      sb_puts(b, c->ncounted ? "counted: " : "counted: no entry");
      for (uint32_t j = 0; j < c->ncounted && j < 12; j++) {
        if (j)
          sb_puts(b, ", ");
        scratch->n = 0;
        imhe_entry_label(scratch, r, c->counted_sec, c->counted[j]);
        sb_text(b, scratch->v, scratch->n);
      }
      if (c->ncounted > 12)
        sb_puts(b, ", ...");
      sb_putc(b, '\n');
    }
    if (c->status != ST_PASS)
      for (uint32_t j = 0; j < c->nleft && j < 12; j++) {
        sb_puts(b, "            ");
        sb_tstr(b, c->left_out[j]);
        sb_putc(b, '\n');
      }
  }
}

void imhe_report_text(FILE *f, const struct imhe_record *r, const struct imhe_result *res,
                      const struct report_opts *o) {
  struct sbuf sb = {0}, scratch = {0}, *b = &sb;
  /* bold, green, red, yellow, reset */
  static const char *const ansi[] = {"\033[1m", "\033[32m", "\033[31m", "\033[33m", "\033[0m"};
  static const char *const plain[] = {"", "", "", "", ""};
  const char *const *col = o->color ? ansi : plain;
  const char *B = col[0], *G = col[1], *R = col[2], *Y = col[3], *Z = col[4];
  sb_puts(b, B);
  if (r->id.s)
    sb_text(b, r->id.s, r->id.n);
  else
    sb_puts(b, "<no id>");
  sb_puts(b, Z);
  sb_puts(b, "  ");
  if (r->applicant_name.s)
    sb_text(b, r->applicant_name.s, r->applicant_name.n);
  sb_puts(b, "  (");
  if (r->association.s)
    sb_text(b, r->association.s, r->association.n);
  else
    sb_putc(b, '?');
  sb_puts(b, ", ");
  sb_puts(b, r->kind == 1       ? "renewal"
             : r->kind == 2     ? "reinstatement"
             : r->category >= 0 ? imhe_category_code[r->category]
                                : "no category");
  sb_puts(b, ")\n  as of ");
  char d[11] = "?";
  if (res->as_of != IMHE_NO_DATE)
    imhe_format_date(res->as_of, d);
  sb_puts(b, d);
  sb_puts(b, " (");
  sb_puts(b, asof_names[res->as_of_source]);
  sb_puts(b, "); policy ");
  sb_tstr(b, res->policy ? res->policy : "-");
  sb_puts(b, ", base ");
  sb_tstr(b, res->base ? res->base : "-");
  sb_puts(b, "\n  verdict: ");
  sb_puts(b, res->verdict == V_ELIGIBLE ? G : res->verdict == V_PENDING_EXAM ? Y : R);
  sb_puts(b, verdicts[res->verdict]);
  sb_puts(b, Z);
  sb_putc(b, '\n');
  for (uint32_t i = 0; i < r->errors.n; i++) {
    sb_puts(b, "  ");
    sb_puts(b, R);
    sb_puts(b, "✗ ");
    text_msg(b, &r->errors.v[i]);
    sb_puts(b, Z);
    sb_putc(b, '\n');
  }
  for (int area = 0; area < AREA__COUNT; area++) {
    int shown = 0;
    for (uint32_t i = 0; i < res->nrules; i++) {
      const struct imhe_rule_result *rr = &res->rules[i];
      if (rr->area != area || rr->kind != RK_REQUIRE || rr->status == ST_SKIPPED)
        continue;
      if (!shown++) {
        sb_puts(b, "  ");
        sb_puts(b, B);
        sb_puts(b, imhe_area_name[area]);
        sb_puts(b, Z);
        sb_putc(b, '\n');
      }
      text_rule(b, &scratch, r, rr, col);
    }
  }
  int adv = 0;
  for (uint32_t i = 0; i < res->nrules; i++) {
    const struct imhe_rule_result *rr = &res->rules[i];
    if (rr->kind != RK_ADVISE || rr->status != ST_ADVICE)
      continue;
    if (!adv++) {
      sb_puts(b, "  ");
      sb_puts(b, B);
      sb_puts(b, "advisories");
      sb_puts(b, Z);
      sb_putc(b, '\n');
    }
    for (uint32_t k = 0; k < rr->nconds; k++)
      if (rr->conds[k].status != ST_PASS) {
        sb_puts(b, "    ");
        sb_puts(b, Y);
        sb_puts(b, "! ");
        text_explain(b, &scratch, &rr->conds[k]);
        sb_puts(b, Z);
        text_cite(b, rr);
        sb_putc(b, '\n');
      }
  }
  if (res->fees.present) {
    const struct imhe_fees *fe = &res->fees;
    sb_puts(b, "  ");
    sb_puts(b, B);
    sb_puts(b, "fees");
    sb_puts(b, Z);
    if (fe->renewal) {
      sb_puts(b, "\n    renewal ");
      text_money(b, fe->renewal_fee);
      sb_puts(b, ", membership ");
      text_money(b, fe->membership_fee);
      sb_puts(b, " a year, total ");
      text_money(b, fe->total);
      sb_puts(b, " a year\n");
    } else {
      sb_puts(b, "\n    registration ");
      text_money(b, fe->registration);
      sb_puts(b, ", processing ");
      text_money(b, fe->processing);
      sb_puts(b, ", total ");
      text_money(b, fe->total);
      sb_putc(b, '\n');
    }
    for (int i = 0; i < fe->nnotes; i++) {
      sb_puts(b, "    - ");
      sb_tstr(b, fe->notes[i]);
      sb_putc(b, '\n');
    }
  }
  if (res->next_deadline != IMHE_NO_DATE) {
    imhe_format_date(res->next_deadline, d);
    sb_puts(b, "  next ");
    sb_tstr(b, res->deadline_label);
    sb_puts(b, " submission deadline: ");
    sb_puts(b, d);
    sb_putc(b, '\n');
  }
  for (uint32_t i = 0; i < r->warnings.n; i++) {
    sb_puts(b, "  ");
    sb_puts(b, Y);
    sb_puts(b, "warning");
    sb_puts(b, Z);
    sb_putc(b, ' ');
    text_msg(b, &r->warnings.v[i]);
    sb_putc(b, '\n');
  }
  sb_putc(b, '\n');
  fwrite(b->v, 1, b->n, f);
  free(b->v);
  free(scratch.v);
}
