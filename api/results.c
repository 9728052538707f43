/* results.c — the public "results as data" accessors of include/imhe.h over struct imhe_result:
 * typed values, entries numbered from 1, reasons as codes and, on request, in the explain module's
 * words. Every accessor answers NULL handles and indices out of range with a safe default. */
#include "include/imhe.h"
#include "runtime/core/dates.h"
#include "runtime/eval/result.h"
#include "runtime/report/explain.h"
#include <stdlib.h>
#include <string.h>

static imhe_date to_date(int32_t d) {
  imhe_date out = {0, 0, 0};
  if (d != IMHE_NO_DATE)
    imhe_civil_from_days(d, &out.year, &out.month, &out.day);
  return out;
}

/* The words in b as a string of res's arena (NULL when there is none); b is freed. */
static const char *keep_words(const struct imhe_result *res, struct sbuf *b) {
  const char *s = res && res->arena ? imhe_arena_strndup(res->arena, b->v ? b->v : "", b->n) : NULL;
  free(b->v);
  return s;
}

IMHE_API imhe_verdict imhe_result_verdict(const imhe_result *res) {
  return res ? res->verdict : IMHE_VERDICT_INVALID;
}

IMHE_API const imhe_record *imhe_result_record(const imhe_result *res) {
  return res ? res->record : NULL;
}

IMHE_API imhe_date imhe_result_as_of(const imhe_result *res) {
  return to_date(res ? res->as_of : IMHE_NO_DATE);
}

IMHE_API imhe_as_of_source imhe_result_as_of_source(const imhe_result *res) {
  return res ? res->as_of_source : IMHE_AS_OF_TODAY;
}

IMHE_API const char *imhe_result_policy(const imhe_result *res) {
  return res ? res->policy : NULL;
}

IMHE_API const char *imhe_result_base(const imhe_result *res) {
  return res ? res->base : NULL;
}

/* The four lists of messages in the order the reports print them. */
static const struct imhe_msgs *message_list(const imhe_result *res, int k) {
  static const struct imhe_msgs none = {0};
  const struct imhe_record *r = res->record;
  switch (k) {
  case 0:
    return r ? &r->errors : &none;
  case 1:
    return &res->errors;
  case 2:
    return r ? &r->warnings : &none;
  default:
    return &res->warnings;
  }
}

IMHE_API size_t imhe_result_message_count(const imhe_result *res) {
  size_t n = 0;
  for (int k = 0; res && k < 4; k++)
    n += message_list(res, k)->n;
  return n;
}

IMHE_API int imhe_result_message(const imhe_result *res, size_t i, int *is_error, imhe_error *out) {
  for (int k = 0; res && k < 4; k++) {
    const struct imhe_msgs *m = message_list(res, k);
    if (i >= m->n) {
      i -= m->n;
      continue;
    }
    const struct imhe_msg *g = &m->v[i];
    if (is_error)
      *is_error = k < 2;
    if (out) {
      memset(out, 0, sizeof *out);
      out->code = k < 2 ? IMHE_RECORD : IMHE_OK;
      snprintf(out->message, sizeof out->message, "%s", g->text ? g->text : "");
      snprintf(out->file, sizeof out->file, "%s", g->file ? g->file : "");
      out->line = g->line;
      out->column = g->col;
    }
    return 1;
  }
  return 0;
}

IMHE_API imhe_date imhe_result_next_deadline(const imhe_result *res) {
  return to_date(res ? res->next_deadline : IMHE_NO_DATE);
}

IMHE_API size_t imhe_result_rule_count(const imhe_result *res) {
  return res ? res->nrules : 0;
}

IMHE_API const imhe_rule_result *imhe_result_rule(const imhe_result *res, size_t i) {
  return res && i < res->nrules ? &res->rules[i] : NULL;
}

IMHE_API const char *imhe_rule_id(const imhe_rule_result *r) {
  return r ? r->id : NULL;
}

IMHE_API const char *imhe_rule_description(const imhe_rule_result *r) {
  return r ? r->desc : NULL;
}

IMHE_API const char *imhe_rule_file(const imhe_rule_result *r) {
  return r ? r->file : NULL;
}

IMHE_API const char *imhe_rule_citation(const imhe_rule_result *r) {
  return r && r->cite ? r->cite : "";
}

IMHE_API uint32_t imhe_rule_line(const imhe_rule_result *r) {
  return r ? r->line : 0;
}

IMHE_API imhe_status imhe_rule_status(const imhe_rule_result *r) {
  return r ? r->status : IMHE_STATUS_FAIL;
}

IMHE_API const char *imhe_rule_area(const imhe_rule_result *r) {
  const struct imhe_program *p = r && r->res ? r->res->prog : NULL;
  return p && r->area >= 0 && (uint32_t)r->area < p->nareas ? imhe_area_word(p, r->area) : NULL;
}

IMHE_API size_t imhe_rule_condition_count(const imhe_rule_result *r) {
  return r ? r->nconds : 0;
}

IMHE_API const imhe_condition *imhe_rule_condition(const imhe_rule_result *r, size_t i) {
  return r && i < r->nconds ? &r->conds[i] : NULL;
}

IMHE_API imhe_reason imhe_rule_reason(const imhe_rule_result *r, const char **words) {
  if (words)
    *words = NULL;
  if (!r || !r->reason)
    return IMHE_REASON__COUNT;
  if (words) {
    struct sbuf b = {0};
    imhe_explain_reason(&b, r->res ? r->res->record : NULL, r->reason);
    *words = keep_words(r->res, &b);
  }
  return (imhe_reason)r->reason->code;
}

IMHE_API const char *imhe_condition_description(const imhe_condition *c) {
  return c ? c->desc : NULL;
}

IMHE_API uint32_t imhe_condition_line(const imhe_condition *c) {
  return c ? c->line : 0;
}

IMHE_API imhe_status imhe_condition_status(const imhe_condition *c) {
  return c ? c->status : IMHE_STATUS_FAIL;
}

IMHE_API const char *imhe_condition_comparison(const imhe_condition *c) {
  if (!c || c->kind != VT_NUM || c->cmp < 0 || c->cmp >= CMP__COUNT)
    return "";
  return imhe_cmp_symbol[c->cmp];
}

/* A degree level named from the judging program's degrees, kept in the result's arena. */
static const char *degree_name(const imhe_condition *c, double v) {
  struct sbuf t = {0};
  imhe_explain_degree_level(&t, c->res->prog, v);
  const char *s = imhe_arena_printf(c->res->arena, "%.*s", (int)t.n, t.n ? t.v : "");
  free(t.v);
  return s;
}

/* A condition's observed (which 0), required (1) or shortfall (2) value, typed. */
static imhe_value value_of(const imhe_condition *c, int which) {
  imhe_value v;
  memset(&v, 0, sizeof v);
  if (!c)
    return v;
  double n = which == 0 ? c->observed : which == 1 ? c->required : c->shortfall;
  if (c->kind == VT_NUM && c->display == DISP_DEGREE) {
    if (which == 2)
      return v;
    v.type = IMHE_VALUE_DEGREE;
    v.unit = IMHE_UNIT_DEGREE;
    v.number = n;
    v.text = degree_name(c, n);
  } else if (c->kind == VT_NUM) {
    v.type = IMHE_VALUE_NUMBER;
    v.unit = (imhe_unit)c->unit;
    v.number = n;
  } else if (which == 2) {
    return v;
  } else if (c->kind == VT_BOOL) {
    v.type = IMHE_VALUE_BOOLEAN;
    v.boolean = which == 1 || c->status == IMHE_STATUS_PASS;
  } else {
    v.type = IMHE_VALUE_OUTCOME;
    v.status = which == 1 ? IMHE_STATUS_PASS : c->status;
    v.text = imhe_status_name(v.status);
  }
  return v;
}

IMHE_API imhe_value imhe_condition_observed(const imhe_condition *c) {
  return value_of(c, 0);
}

IMHE_API imhe_value imhe_condition_required(const imhe_condition *c) {
  return value_of(c, 1);
}

IMHE_API imhe_value imhe_condition_shortfall(const imhe_condition *c) {
  return value_of(c, 2);
}

IMHE_API const char *imhe_condition_sentence(const imhe_condition *c) {
  if (!c)
    return NULL;
  if (!c->sentence && c->res && c->res->arena) {
    struct sbuf b = {0};
    imhe_explain_condition(&b, c);
    /* made once, when first asked, in the result's arena (a result belongs to one thread) */
    ((struct imhe_cond_result *)c)->sentence = keep_words(c->res, &b);
  }
  return c->sentence ? c->sentence : c->desc;
}

/* Entry idx of section sec as a reviewer counts it. */
static void entry_ref(const imhe_condition *c, uint32_t idx, imhe_entry_ref *out) {
  const struct imhe_record *r = c->res ? c->res->record : NULL;
  memset(out, 0, sizeof *out);
  out->section = (imhe_section)c->counted_sec;
  out->number = idx + 1;
  if (!r || idx >= r->sec[c->counted_sec].n)
    return;
  const struct imhe_text *t = imhe_entry_title(r, c->counted_sec, idx);
  out->title = t ? t->s : NULL;
  int32_t start, end;
  imhe_entry_dates(r, c->counted_sec, idx, &start, &end);
  out->start = to_date(start);
  out->end = to_date(end);
  out->line = r->sec[c->counted_sec].v[idx].line;
}

IMHE_API size_t imhe_condition_counted_count(const imhe_condition *c) {
  return c && c->counted_sec >= 0 ? c->ncounted : 0;
}

IMHE_API int imhe_condition_counted(const imhe_condition *c, size_t i, imhe_entry_ref *out) {
  if (!c || c->counted_sec < 0 || i >= c->ncounted || !out)
    return 0;
  entry_ref(c, c->counted[i], out);
  return 1;
}

IMHE_API size_t imhe_condition_left_out_count(const imhe_condition *c) {
  return c && c->counted_sec >= 0 ? c->nleft : 0;
}

IMHE_API int imhe_condition_left_out(const imhe_condition *c, size_t i, imhe_entry_ref *out,
                                     const char **why) {
  if (why)
    *why = NULL;
  if (!c || c->counted_sec < 0 || i >= c->nleft)
    return 0;
  if (out)
    entry_ref(c, c->left_out[i].idx, out);
  if (why) {
    struct sbuf b = {0};
    imhe_explain_exclusion(&b, c->res ? c->res->record : NULL, c->left_out[i].why);
    *why = keep_words(c->res, &b);
  }
  return 1;
}

IMHE_API imhe_reason imhe_condition_left_out_reason(const imhe_condition *c, size_t i) {
  if (!c || c->counted_sec < 0 || i >= c->nleft)
    return IMHE_REASON__COUNT;
  return (imhe_reason)c->left_out[i].why->code;
}

IMHE_API size_t imhe_condition_finding_count(const imhe_condition *c) {
  size_t n = 0;
  for (const struct imhe_why *w = c ? c->notes : NULL; w; w = w->next)
    n++;
  return n;
}

IMHE_API imhe_reason imhe_condition_finding(const imhe_condition *c, size_t i, const char **words) {
  const struct imhe_why *w = c ? c->notes : NULL;
  for (; w && i; i--)
    w = w->next;
  if (words)
    *words = NULL;
  if (!w)
    return IMHE_REASON__COUNT;
  if (words) {
    struct sbuf b = {0};
    imhe_explain_reason(&b, c->res ? c->res->record : NULL, w);
    *words = keep_words(c->res, &b);
  }
  return (imhe_reason)w->code;
}

IMHE_API int imhe_condition_window(const imhe_condition *c, imhe_date *start, imhe_date *end) {
  for (const struct imhe_why *w = c ? c->notes : NULL; w; w = w->next)
    if (w->code == IMHE_REASON_BEST_WINDOW) {
      if (start)
        *start = to_date(w->date[0]);
      if (end)
        *end = to_date(w->date[1]);
      return 1;
    }
  return 0;
}

IMHE_API imhe_fees imhe_result_fees(const imhe_result *res) {
  imhe_fees f;
  memset(&f, 0, sizeof f);
  if (!res || !res->fees.present)
    return f;
  const struct imhe_fee_summary *s = &res->fees;
  f.present = 1;
  f.renewal = s->renewal;
  f.total = s->total;
  unsigned charged = s->renewal ? FK_RENEWAL | FK_OVERDUE : FK_APPLICATION;
  for (int k = 0; k < s->nkinds && f.kind_count < 8; k++)
    if (s->kinds[k].flags & charged) {
      f.kinds[f.kind_count] = s->kinds[k].word;
      f.amounts[f.kind_count] = s->kinds[k].amount;
      f.once[f.kind_count++] = !!(s->kinds[k].flags & FK_OVERDUE);
    }
  f.coupon = s->coupon;
  f.coupon_applied = s->coupon_applied;
  f.note_count = (size_t)s->nnotes;
  f.notes = s->notes;
  int worded = 0;
  for (int i = 0; i < s->nnotes; i++)
    worded |= s->note_why[i] != NULL;
  if (worded && res->arena) { /* a note with a reason gets its words, in the result's arena */
    const char **notes = imhe_arena_alloc(res->arena, (size_t)s->nnotes * sizeof *notes);
    for (int i = 0; i < s->nnotes; i++) {
      struct sbuf b = {0};
      imhe_explain_fee_note(&b, res, i);
      notes[i] = keep_words(res, &b);
    }
    f.notes = notes;
  }
  return f;
}

IMHE_API double imhe_fees_amount(const imhe_fees *f, const char *kind) {
  for (size_t k = 0; f && kind && k < f->kind_count && k < 8; k++)
    if (f->kinds[k] && !strcmp(f->kinds[k], kind))
      return f->amounts[k];
  return -1;
}
