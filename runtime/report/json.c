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

/* ---- what is the same in every record's report of a program, written once ---- */

/* A program's rule ids, descriptions, areas and sources and its conditions' descriptions as JSON,
 * escaped once per program instead of once per record: each rule's `{"id":..,"area":..` opening,
 * description and source, and each condition description keyed by its string's offset. Built the
 * first time a report of the program is written, then only read (any thread). */
struct jrule_memo { /* offsets in buf and lengths: the opening, description, source */
  uint32_t head, head_n, desc, desc_n, src, src_n;
};
struct jmemo {
  struct imhe_program_memo base;
  const struct imhe_program *p;
  struct sbuf buf;
  struct jrule_memo *rules;
  uint32_t *slot; /* condition descriptions by string offset, open addressing: 3 words a slot */
  uint32_t mask;
};

static void jmemo_free(struct imhe_program_memo *m) {
  struct jmemo *j = (struct jmemo *)m;
  free(j->buf.v);
  free(j->rules);
  free(j->slot);
  free(j);
}

static uint32_t jmemo_hash(uint32_t off) {
  return (off * 0x9E3779B1u) >> 7;
}

/* Adds the JSON of the string at off to the memo: its slot holds off + 1 (0: empty), the JSON's
 * offset in buf and its length. */
static void jmemo_add(struct jmemo *j, uint32_t off) {
  for (uint32_t i = jmemo_hash(off) & j->mask;; i = (i + 1) & j->mask) {
    uint32_t *s = &j->slot[3 * i];
    if (s[0] == off + 1)
      return;
    if (!s[0]) {
      const char *str = imhe_str(j->p, off);
      s[0] = off + 1;
      s[1] = (uint32_t)j->buf.n;
      sb_json(&j->buf, str, strlen(str));
      s[2] = (uint32_t)(j->buf.n - s[1]);
      return;
    }
  }
}

static struct jmemo *jmemo_build(const struct imhe_program *p) {
  uint32_t cap = 16;
  while (cap < 2 * p->nconds)
    cap *= 2;
  struct jmemo *j = calloc(1, sizeof *j);
  struct jrule_memo *rules = calloc(p->nrules ? p->nrules : 1, sizeof *rules);
  uint32_t *slot = calloc(3 * (size_t)cap, sizeof *slot);
  if (!j || !rules || !slot) /* GCOVR_EXCL_BR_LINE: out of memory */
    abort();                 /* GCOVR_EXCL_LINE: out of memory */
  j->rules = rules;
  j->slot = slot;
  j->base.free = jmemo_free;
  j->p = p;
  j->mask = cap - 1;
  for (uint32_t i = 0; i < p->nrules; i++) {
    const struct imhe_rule *ru = &p->rules[i];
    struct jrule_memo *m = &j->rules[i];
    m->head = (uint32_t)j->buf.n;
    sb_puts(&j->buf, "{\"id\":");
    sb_jstr(&j->buf, imhe_str(p, ru->id));
    sb_puts(&j->buf, ",\"area\":");
    sb_jstr(&j->buf, imhe_area_word(p, ru->area));
    m->head_n = (uint32_t)j->buf.n - m->head;
    m->desc = (uint32_t)j->buf.n;
    sb_jstr(&j->buf, imhe_str(p, ru->desc));
    m->desc_n = (uint32_t)j->buf.n - m->desc;
    m->src = (uint32_t)j->buf.n;
    json_source(&j->buf, imhe_str(p, ru->file), ru->line);
    m->src_n = (uint32_t)j->buf.n - m->src;
  }
  for (uint32_t i = 0; i < p->nconds; i++)
    jmemo_add(j, p->conds[i].desc);
  return j;
}

/* The program's memo, built by the first report that asks (another thread may build one at the
 * same moment: the first stored is kept, the other freed). */
static const struct jmemo *jmemo_of(const struct imhe_program *p) {
  if (!p)
    return NULL;
  struct imhe_program_memo *m = atomic_load_explicit(&p->report_memo, memory_order_acquire);
  if (m)
    return m->free == jmemo_free ? (const struct jmemo *)m : NULL;
  struct jmemo *j = jmemo_build(p);
  struct imhe_program_memo *none = NULL;
  if (atomic_compare_exchange_strong_explicit(
          (_Atomic(struct imhe_program_memo *) *)&p->report_memo, &none, &j->base,
          memory_order_acq_rel, memory_order_acquire))
    return j;
  jmemo_free(&j->base);
  return none->free == jmemo_free ? (const struct jmemo *)none : NULL;
}

/* The string s as JSON: from the memo when it is a condition description of the program. */
static void json_cond_desc(struct sbuf *b, const struct jmemo *j, const char *s) {
  if (j && s >= j->p->strings && s < j->p->strings + j->p->strings_size) {
    uint32_t off = (uint32_t)(s - j->p->strings);
    for (uint32_t i = jmemo_hash(off) & j->mask;; i = (i + 1) & j->mask) {
      const uint32_t *sl = &j->slot[3 * i];
      if (sl[0] == off + 1) {
        sb_put(b, j->buf.v + sl[1], sl[2]);
        return;
      }
      if (!sl[0])
        break;
    }
  }
  sb_jstr(b, s);
}

/* The memo of rule rr when rr is the program's rule as the memo wrote it, else NULL. */
static const struct jrule_memo *jrule_of(const struct jmemo *j,
                                         const struct imhe_rule_outcome *rr) {
  if (!j || rr->rule >= j->p->nrules || !rr->res || rr->res->prog != j->p)
    return NULL;
  const struct imhe_rule *ru = &j->p->rules[rr->rule];
  const struct imhe_program *p = j->p;
  if (rr->id != imhe_str(p, ru->id) || rr->desc != imhe_str(p, ru->desc) ||
      rr->file != imhe_str(p, ru->file) || rr->line != ru->line || rr->area != ru->area)
    return NULL;
  return &j->rules[rr->rule];
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

/* Where a condition's JSON up to its entries, and its "message" string in it, lie in jrec.heads. */
struct jhead {
  size_t head, head_n, msg, msg_n;
};

/* What one record's report is written with: a scratch buffer for sentences, and each entry's
 * JSON as first written, since a record's entries come up again in condition after condition. */
struct jrec {
  const struct imhe_record *r;
  const struct jmemo *prog; /* the judging program's words as JSON, NULL: escaped here */
  struct sbuf scratch;
  struct sbuf memo;                    /* the entries written so far, one after another */
  uint32_t *seen[IMHE_SECTION__COUNT]; /* per entry: its offset in memo and length, 0: not yet */
  uint32_t *slots;
  /* A rule's conditions as first written: an unmet one comes up again in "conditions" and the
   * first one's message is the rule's, so each is explained and escaped once, not up to 3 times */
  struct sbuf heads;
  struct jhead *at; /* per condition of the rule being written */
  uint32_t nat;
};

static void jrec_open(struct jrec *j, const struct imhe_result *res) {
  const struct imhe_record *r = res->record;
  memset(j, 0, sizeof *j);
  j->r = r;
  j->prog = jmemo_of(res->prog);
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
  free(j->heads.v);
  free(j->at);
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

/* One condition up to its entries, left open; where its "message" string went in *at. */
static void json_cond_head(struct sbuf *b, struct jrec *j, const struct imhe_cond_result *c,
                           uint32_t index, struct jhead *at) {
  struct sbuf *scratch = &j->scratch;
  at->head = b->n;
  sb_puts(b, "{\"index\":");
  sb_uint(b, index);
  sb_puts(b, ",\"description\":");
  json_cond_desc(b, j->prog, c->desc);
  sb_puts(b, ",\"status\":\"");
  sb_puts(b, imhe_status_name(c->status));
  sb_puts(b, "\",\"line\":");
  sb_uint(b, c->line);
  sb_puts(b, ",\"message\":");
  scratch->n = 0;
  imhe_explain_condition(scratch, c);
  at->msg = b->n;
  sb_json(b, scratch->v, scratch->n);
  at->msg_n = b->n - at->msg;
  json_values(b, c);
  json_findings(b, scratch, j->r, c->notes);
  at->head_n = b->n - at->head;
}

/* The bytes at `from` in j->heads, appended to b. */
static void json_reuse(struct sbuf *b, const struct jrec *j, size_t from, size_t n) {
  sb_put(b, j->heads.v + from, n);
}

/* The rule's one-line message: why it was not judged by its rules, else its first condition that
 * did not pass, else its description. */
static void json_rule_message(struct sbuf *b, struct jrec *j, const struct imhe_rule_outcome *rr) {
  uint32_t mc = rr->nconds;
  for (uint32_t k = 0; k < rr->nconds && mc == rr->nconds; k++)
    if (rr->conds[k].status != IMHE_STATUS_PASS)
      mc = k;
  if (mc == rr->nconds && rr->nconds)
    mc = 0;
  if (!rr->reason && mc < rr->nconds) { /* the condition's message, as its JSON has it */
    json_reuse(b, j, j->at[mc].msg, j->at[mc].msg_n);
    return;
  }
  j->scratch.n = 0;
  if (rr->reason)
    imhe_explain_reason(&j->scratch, j->r, rr->reason);
  else
    sb_puts(&j->scratch, rr->desc ? rr->desc : "");
  sb_json(b, j->scratch.v, j->scratch.n);
}

static void json_rule(struct sbuf *b, struct jrec *j, const struct imhe_rule_outcome *rr) {
  if (rr->nconds > j->nat) {
    free(j->at);
    if (!(j->at = malloc(rr->nconds * sizeof *j->at))) /* GCOVR_EXCL_BR_LINE: out of memory */
      abort();                                         /* GCOVR_EXCL_LINE: out of memory */
    j->nat = rr->nconds;
  }
  j->heads.n = 0;
  for (uint32_t k = 0; k < rr->nconds; k++)
    json_cond_head(&j->heads, j, &rr->conds[k], k, &j->at[k]);
  const struct jrule_memo *m = jrule_of(j->prog, rr);
  const char *mv = m ? j->prog->buf.v : NULL;
  if (m)
    sb_put(b, mv + m->head, m->head_n);
  else {
    sb_puts(b, "{\"id\":");
    sb_jstr(b, rr->id);
    sb_puts(b, ",\"area\":");
    sb_jstr(b, imhe_area_word(rr->res ? rr->res->prog : NULL, rr->area));
  }
  sb_puts(b, rr->kind == RK_ADVISE ? ",\"kind\":\"advisory\",\"status\":\""
                                   : ",\"kind\":\"requirement\",\"status\":\"");
  sb_puts(b, imhe_status_name(rr->status));
  sb_puts(b, "\",\"description\":");
  if (m)
    sb_put(b, mv + m->desc, m->desc_n);
  else
    sb_jstr(b, rr->desc);
  sb_puts(b, ",\"message\":");
  json_rule_message(b, j, rr);
  sb_puts(b, ",\"reason\":");
  if (rr->reason) {
    sb_putc(b, '"');
    sb_puts(b, imhe_reason_name((imhe_reason)rr->reason->code));
    sb_putc(b, '"');
  } else
    sb_puts(b, "null");
  sb_puts(b, ",\"source\":");
  if (m)
    sb_put(b, mv + m->src, m->src_n);
  else
    json_source(b, rr->file, rr->line);
  sb_puts(b, ",\"unmet\":[");
  int first = 1;
  for (uint32_t k = 0; k < rr->nconds; k++)
    if (rr->conds[k].status != IMHE_STATUS_PASS) {
      if (!first)
        sb_putc(b, ',');
      first = 0;
      json_reuse(b, j, j->at[k].head, j->at[k].head_n);
      sb_putc(b, '}');
    }
  sb_puts(b, "],\"conditions\":[");
  for (uint32_t k = 0; k < rr->nconds; k++) {
    if (k)
      sb_putc(b, ',');
    json_reuse(b, j, j->at[k].head, j->at[k].head_n);
    json_entries(b, j, &rr->conds[k]);
    sb_putc(b, '}');
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
  jrec_open(&j, res);
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
