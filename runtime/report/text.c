/* text.c — the report for people: one block per record, requirements grouped by area with a mark,
 * the rule's sentence and its source, each condition explained; colour only when asked. Record
 * text is escaped so no record can forge a line, a colour or a reordered verdict. */
#include "runtime/core/dates.h"
#include "runtime/report/deficiency.h"
#include "runtime/report/explain.h"
#include "runtime/report/report.h"
#include "runtime/report/reporter.h"
#include <string.h>

/* Record text as a person's terminal shows it: control characters (C0, DEL, C1), bidirectional
 * overrides and invalid UTF-8 cannot reach the screen, so no record can forge a line, a colour or
 * a reordered verdict. Control characters appear escaped (\n, \x1b, \u202e); a byte that is not
 * UTF-8 appears as U+FFFD. */
void imhe_text_clean(struct sbuf *b, const char *s, size_t n) {
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
    imhe_text_clean(b, s, strlen(s));
}

/* "file:line:col: message" of a record's error or warning, its field path in words. */
static void text_msg(struct sbuf *b, struct sbuf *scratch, const struct imhe_msg *m) {
  sb_tstr(b, m->file);
  sb_putc(b, ':');
  sb_uint(b, m->line);
  sb_putc(b, ':');
  sb_uint(b, m->col);
  sb_puts(b, ": ");
  scratch->n = 0;
  imhe_explain_message(scratch, m->text);
  imhe_text_clean(b, scratch->v, scratch->n);
}

/* " [id, file:line]" citing a rule. */
static void text_cite(struct sbuf *b, const struct imhe_rule_outcome *rr) {
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
    imhe_explain_quantity(b, NULL, v, IMHE_UNIT_DOLLARS, DISP_PLAIN);
}

/* The length of an author's note starting at s[j] in words of n bytes, 0 when none: " (reading
 * 9)" as a whole, or "; reading 16" closing a parenthesis the description opened for people. */
static size_t reading_note(const char *s, size_t n, size_t j) {
  static const char open[] = " (reading ", inner[] = "; reading ";
  if (n - j >= sizeof open - 1 && !memcmp(s + j, open, sizeof open - 1)) {
    size_t k = j;
    while (k < n && s[k] != ')')
      k++;
    return k - j + (k < n);
  }
  if (n - j >= sizeof inner - 1 && !memcmp(s + j, inner, sizeof inner - 1)) {
    size_t k = j + sizeof inner - 1;
    while (k < n && s[k] >= '0' && s[k] <= '9')
      k++;
    return k < n && s[k] == ')' ? k - j : 0;
  }
  return 0;
}

/* Words for people, without the notes policy authors keep for themselves ("(reading 9)"). */
static void text_words(struct sbuf *b, const char *s, size_t n) {
  size_t i = 0;
  for (size_t j = 0; j < n;) {
    size_t skip = reading_note(s, n, j);
    if (!skip) {
      j++;
      continue;
    }
    imhe_text_clean(b, s + i, j - i);
    j += skip;
    i = j;
  }
  imhe_text_clean(b, s + i, n - i);
}

static void text_explain(struct sbuf *b, struct sbuf *scratch, const struct imhe_cond_result *c) {
  scratch->n = 0;
  imhe_explain_condition_words(scratch, c);
  text_words(b, scratch->v, scratch->n);
}

/* An entry as a reviewer counts it, from 1: "work 3 (Home Visitor)". */
static void text_entry(struct sbuf *b, const struct imhe_record *r, int sec, uint32_t i) {
  const char *name = imhe_sections[sec].name; /* "rsc_provided" reads "RSC provided" */
  imhe_explain_plain(b, name, strlen(name));
  sb_putc(b, ' ');
  sb_uint(b, i + 1);
  const struct imhe_text *t = imhe_entry_title(r, sec, i);
  if (t) {
    sb_puts(b, " (");
    imhe_text_clean(b, t->s, t->n);
    sb_putc(b, ')');
  }
}

static void text_rule(struct sbuf *b, struct sbuf *scratch, const struct imhe_record *r,
                      const struct imhe_rule_outcome *rr, const char *const *col) {
  const char *G = col[1], *R = col[2], *Y = col[3], *Z = col[4];
  const char *mark = rr->status == IMHE_STATUS_PASS      ? "✓"
                     : rr->status == IMHE_STATUS_PENDING ? "…"
                                                         : "✗";
  sb_puts(b, "    ");
  sb_puts(b, rr->status == IMHE_STATUS_PASS ? G : rr->status == IMHE_STATUS_PENDING ? Y : R);
  sb_puts(b, mark);
  sb_puts(b, Z);
  sb_putc(b, ' ');
  if (rr->reason) {
    scratch->n = 0;
    imhe_explain_reason(scratch, r, rr->reason);
    imhe_text_clean(b, scratch->v, scratch->n);
  } else {
    scratch->n = 0;
    sb_puts(scratch, rr->desc);
    imhe_explain_codes_plain(scratch->v, scratch->n);
    text_words(b, scratch->v, scratch->n);
  }
  if (rr->file[0])
    text_cite(b, rr);
  sb_putc(b, '\n');
  for (uint32_t k = 0; k < rr->nconds; k++) {
    const struct imhe_cond_result *c = &rr->conds[k];
    /* a failed alternative of a met `any of` was not needed: not a ✗ */
    int not_needed = rr->status == IMHE_STATUS_PASS && c->status != IMHE_STATUS_PASS;
    sb_puts(b, "        ");
    sb_puts(b, not_needed                         ? "–"
               : c->status == IMHE_STATUS_PASS    ? "✓"
               : c->status == IMHE_STATUS_PENDING ? "…"
                                                  : "✗");
    sb_putc(b, ' ');
    text_explain(b, scratch, c);
    scratch->n = 0;
    if (imhe_explain_capped(scratch, c)) {
      sb_puts(b, " (");
      imhe_text_clean(b, scratch->v, scratch->n);
      sb_putc(b, ')');
    }
    if (not_needed)
      sb_puts(b, " (not needed: another alternative is met)");
    else if (c->notes && c->notes->code == IMHE_REASON_EXAM_NOT_TAKEN &&
             rr->res->verdict == IMHE_VERDICT_NOT_ELIGIBLE)
      sb_puts(b, ", once the other requirements are met");
    sb_putc(b, '\n');
    if (c->status != IMHE_STATUS_PASS && c->counted_sec >= 0) {
      sb_puts(b, "            ");
      sb_puts(b, "counted: ");
      uint32_t shown = 0;
      for (uint32_t j = 0; j < c->ncounted && j < 12; j++) {
        if (!imhe_explain_placed(c, c->counted[j]))
          continue; /* said below, with why */
        if (shown++)
          sb_puts(b, ", ");
        text_entry(b, r, c->counted_sec, c->counted[j]);
      }
      for (uint32_t j = 0; j < c->nleft; j++) /* the part a cap cut counts too */
        if (imhe_explain_in_capped(c, c->counted_sec, c->left_out[j].idx)) {
          if (shown++)
            sb_puts(b, ", ");
          text_entry(b, r, c->counted_sec, c->left_out[j].idx);
        }
      if (!shown)
        sb_puts(b, "no entry");
      if (c->ncounted > 12)
        sb_puts(b, ", ...");
      sb_putc(b, '\n');
    }
    for (uint32_t j = 0; c->status != IMHE_STATUS_PASS && j < c->ncounted && j < 12; j++)
      if (!imhe_explain_placed(c, c->counted[j])) {
        sb_puts(b, "            ");
        text_entry(b, r, c->counted_sec, c->counted[j]);
        sb_puts(b, " left out: ");
        scratch->n = 0;
        imhe_explain_unplaced(scratch, r, c, c->counted[j]);
        imhe_text_clean(b, scratch->v, scratch->n);
        sb_putc(b, '\n');
      }
    if (c->status != IMHE_STATUS_PASS)
      for (uint32_t j = 0; j < c->nleft && j < 12; j++) {
        if (imhe_explain_in_capped(c, c->counted_sec, c->left_out[j].idx))
          continue;
        sb_puts(b, "            ");
        text_entry(b, r, c->counted_sec, c->left_out[j].idx);
        sb_puts(b, " left out: ");
        scratch->n = 0;
        imhe_explain_exclusion(scratch, r, c->left_out[j].why);
        imhe_text_clean(b, scratch->v, scratch->n);
        sb_putc(b, '\n');
      }
  }
}

/* Colours: bold, green, red, yellow, reset (all empty without colour). */
enum { BOLD, GREEN, RED, YELLOW, RESET };

/* A heading ("  rsc") in bold. */
static void heading(struct sbuf *b, const char *const *col, const char *title) {
  sb_puts(b, "  ");
  sb_puts(b, col[BOLD]);
  sb_puts(b, title);
  sb_puts(b, col[RESET]);
}

/* "ID  Name  (ASSOC, CAT)", the as-of date with where it came from, the policy, the verdict. */
static void text_header(struct sbuf *b, const struct imhe_record *r, const struct imhe_result *res,
                        const char *const *col) {
  sb_puts(b, col[BOLD]);
  if (r->id.s)
    imhe_text_clean(b, r->id.s, r->id.n);
  else
    sb_puts(b, "<no id>");
  sb_puts(b, col[RESET]);
  sb_puts(b, "  ");
  if (r->applicant_name.s)
    imhe_text_clean(b, r->applicant_name.s, r->applicant_name.n);
  sb_puts(b, "  (");
  if (r->association.s)
    imhe_text_clean(b, r->association.s, r->association.n);
  else
    sb_putc(b, '?');
  sb_puts(b, ", ");
  if (r->kind == IMHE_KIND_APPLICATION && res->category >= 0 && res->prog)
    sb_puts(b, imhe_cat_code(res->prog, res->category));
  else if (r->kind == IMHE_KIND_APPLICATION && !res->prog && r->category.s)
    imhe_text_clean(b, r->category.s, r->category.n); /* no policy typed it */
  else
    sb_puts(b, r->kind == IMHE_KIND_RENEWAL         ? "renewal"
               : r->kind == IMHE_KIND_REINSTATEMENT ? "reinstatement"
                                                    : "no category");
  sb_puts(b, ")\n  as of ");
  char d[11] = "?";
  if (res->as_of != IMHE_NO_DATE)
    imhe_format_date(res->as_of, d);
  sb_puts(b, d);
  sb_puts(b, " (");
  sb_puts(b, imhe_as_of_words(res->as_of_source));
  sb_puts(b, "); policy ");
  sb_tstr(b, res->policy ? res->policy : "-");
  sb_puts(b, ", base ");
  sb_tstr(b, res->base ? res->base : "-");
  sb_puts(b, "\n  verdict: ");
  sb_puts(b, res->verdict == IMHE_VERDICT_ELIGIBLE       ? col[GREEN]
             : res->verdict == IMHE_VERDICT_PENDING_EXAM ? col[YELLOW]
                                                         : col[RED]);
  sb_puts(b, imhe_explain_verdict(res->verdict));
  sb_puts(b, col[RESET]);
  sb_putc(b, '\n');
}

/* Requirements grouped by area (skipped ones left out), then advisories that failed. */
static void text_rules(struct sbuf *b, struct sbuf *scratch, const struct imhe_record *r,
                       const struct imhe_result *res, const char *const *col) {
  /* in the order the catalogue declares the areas */
  uint32_t nareas = res->prog ? res->prog->nareas : 0;
  for (int area = 0; area < (int)nareas; area++) {
    int shown = 0;
    for (uint32_t i = 0; i < res->nrules; i++) {
      const struct imhe_rule_outcome *rr = &res->rules[i];
      if (rr->area != area || rr->kind != RK_REQUIRE || rr->status == IMHE_STATUS_SKIPPED)
        continue;
      if (!shown++) {
        heading(b, col, imhe_area_word(res->prog, area));
        sb_putc(b, '\n');
      }
      text_rule(b, scratch, r, rr, col);
    }
  }
  int adv = 0;
  for (uint32_t i = 0; i < res->nrules; i++) {
    const struct imhe_rule_outcome *rr = &res->rules[i];
    if (rr->kind != RK_ADVISE || rr->status != IMHE_STATUS_ADVICE)
      continue;
    if (!adv++) {
      heading(b, col, "advisories");
      sb_putc(b, '\n');
    }
    for (uint32_t k = 0; k < rr->nconds; k++)
      if (rr->conds[k].status != IMHE_STATUS_PASS) {
        sb_puts(b, "    ");
        sb_puts(b, col[YELLOW]);
        sb_puts(b, "! for information: ");
        text_explain(b, scratch, &rr->conds[k]);
        sb_puts(b, col[RESET]);
        text_cite(b, rr);
        sb_putc(b, '\n');
      }
  }
}

static void text_fees(struct sbuf *b, struct sbuf *scratch, const struct imhe_result *res,
                      const char *const *col) {
  const struct imhe_fee_summary *fe = &res->fees;
  heading(b, col, "fees");
  /* "KIND $20, KIND $50, total $70" by the declared kinds; a renewal's own fee named by the
   * record's kind, the other yearly ones "a year" when published */
  const char *sep = "\n    ";
  for (int pass = fe->renewal ? 0 : 1; pass < 2; pass++)
    for (int k = 0; k < fe->nkinds; k++) {
      const struct imhe_fee_line *l = &fe->kinds[k];
      if (!imhe_fee_listed(fe, k, pass))
        continue;
      if (fe->renewal && !pass) {
        sb_puts(b, sep);
        sb_puts(b, res->record->kind == IMHE_KIND_REINSTATEMENT ? "reinstatement " : "renewal ");
        text_money(b, l->amount);
      } else {
        sb_puts(b, sep);
        sb_puts(b, l->word);
        sb_putc(b, ' ');
        text_money(b, l->amount);
        /* "a year" follows amounts only: "not published a year" says nothing */
        if (fe->renewal && l->amount >= 0)
          sb_puts(b, " a year");
      }
      sep = ", ";
    }
  sb_puts(b, sep);
  sb_puts(b, "total ");
  text_money(b, fe->total);
  sb_puts(b, fe->renewal && fe->total >= 0 ? " a year\n" : "\n");
  for (int i = 0; i < fe->nnotes; i++) {
    sb_puts(b, "    - ");
    scratch->n = 0;
    imhe_explain_fee_note_words(scratch, res, i, 1);
    imhe_text_clean(b, scratch->v, scratch->n);
    sb_putc(b, '\n');
  }
}

/* The record's errors ("  ✗ file:line:col: message") or warnings. */
static void text_msgs(struct sbuf *b, struct sbuf *scratch, const struct imhe_msgs *m, int errors,
                      const char *const *col) {
  for (uint32_t i = 0; i < m->n; i++) {
    sb_puts(b, "  ");
    sb_puts(b, errors ? col[RED] : col[YELLOW]);
    sb_puts(b, errors ? "✗ " : "warning");
    if (!errors) {
      sb_puts(b, col[RESET]);
      sb_putc(b, ' ');
    }
    text_msg(b, scratch, &m->v[i]);
    if (errors)
      sb_puts(b, col[RESET]);
    sb_putc(b, '\n');
  }
}

static void text_record(struct sbuf *b, const struct imhe_result *res,
                        const imhe_render_options *o) {
  struct sbuf scratch = {0};
  static const char *const ansi[] = {"\033[1m", "\033[32m", "\033[31m", "\033[33m", "\033[0m"};
  static const char *const plain[] = {"", "", "", "", ""};
  const char *const *col = o && o->color ? ansi : plain;
  const struct imhe_record *r = res->record;
  text_header(b, r, res, col);
  text_msgs(b, &scratch, &r->errors, 1, col);
  text_msgs(b, &scratch, &res->errors, 1, col);
  text_rules(b, &scratch, r, res, col);
  if (res->fees.present)
    text_fees(b, &scratch, res, col);
  if (res->next_deadline != IMHE_NO_DATE) {
    char d[11];
    imhe_format_date(res->next_deadline, d);
    sb_puts(b, "  next ");
    sb_tstr(b, res->deadline_label);
    sb_puts(b, " submission deadline: ");
    sb_puts(b, d);
    sb_putc(b, '\n');
  }
  text_msgs(b, &scratch, &r->warnings, 0, col);
  text_msgs(b, &scratch, &res->warnings, 0, col);
  sb_putc(b, '\n');
  free(scratch.v);
}

const struct imhe_reporter_ops imhe_text_reporter = {
    .name = "text",
    .summary = "for people: each rule with its conditions explained",
    .record = text_record,
};

void imhe_report_text(FILE *f, const struct imhe_record *r, const struct imhe_result *res,
                      const struct report_opts *o) {
  struct sbuf b = {0};
  struct imhe_result with = *res; /* until every caller sets res->record */
  if (!with.record)
    with.record = r;
  imhe_render_options ro = {.color = o && o->color};
  text_record(&b, &with, &ro);
  fwrite(b.v, 1, b.n, f);
  free(b.v);
}
