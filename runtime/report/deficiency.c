/* deficiency.c — the deficiency report's content, shared by its text, Markdown and HTML writers:
 * a summary, only the unmet requirements grouped by the application system's tabs, advisories
 * apart, the exam, fees, the next deadline and next steps, in words an applicant can be sent. */
#include "runtime/report/deficiency.h"
#include "runtime/core/dates.h"
#include "runtime/records/schema.h"
#include "runtime/report/explain.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The tab area `area` of program p is reported under (the catalogue's `defines area ... in TAB`);
 * -1 when p has no such area. */
static int tab_of(const struct imhe_program *p, int area) {
  return p && area >= 0 && (uint32_t)area < p->nareas ? p->areas[area].tab : -1;
}

/* One report being written: the writer, and the block's words gathered in t. */
struct ctx {
  struct sbuf *out, t, s;
  const struct dfc_writer *w;
  const struct imhe_result *res;
  const struct imhe_record *r;
  const struct dfc_options *o;
};

static void emit(struct ctx *x, enum dfc_block kind) {
  x->w->block(x->out, kind, x->t.v ? x->t.v : "", x->t.n);
  x->t.n = 0;
}

/* Record text: callers pass text that is present. */
static void put_text(struct sbuf *b, const struct imhe_text *t) {
  imhe_text_clean(b, t->s, t->n);
}

static void put_date(struct sbuf *b, int32_t d) {
  char s[11];
  imhe_format_date(d, s);
  sb_put(b, s, 10);
}

/* Words of a policy, s[0..n), without the internal notes its authors keep in brackets ("(reading
 * 9)"), its first letter capitalised. */
static void put_words(struct sbuf *b, const char *s, size_t n, int capital) {
  static const char note[] = " (reading ";
  size_t start = b->n, i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && !(n - j >= sizeof note - 1 && !memcmp(s + j, note, sizeof note - 1)))
      j++;
    imhe_text_clean(b, s + i, j - i);
    if (j == n)
      break;
    while (j < n && s[j] != ')')
      j++;
    i = j + 1;
  }
  if (capital && b->n > start && b->v[start] >= 'a' && b->v[start] <= 'z')
    b->v[start] = (char)(b->v[start] - 'a' + 'A');
}

static void put_sentence(struct sbuf *b, const char *s, int capital) {
  put_words(b, s, strlen(s), capital);
}

/* Names as the record and policies write them ("early_childhood", "rsc_provision"), in plain
 * English: "early childhood", "RSC provision". */
static void put_plain(struct sbuf *b, const char *s, size_t n) {
  imhe_explain_plain(b, s, n);
}

static void put_ordinal(struct sbuf *b, uint32_t n) {
  sb_uint(b, n);
  uint32_t t = n % 100, u = n % 10;
  sb_puts(b, t >= 11 && t <= 13 ? "th" : u == 1 ? "st" : u == 2 ? "nd" : u == 3 ? "rd" : "th");
}

/* A degree named as its holder would: ", bachelors in Social Work, UW-Madison" (the credential when
 * no degree is given), without a title of its own. */
static void put_degree(struct sbuf *b, const struct imhe_entry *e) {
  /* a degree or a credential (a record has one): its code as written, which the judging
   * program declares exactly */
  const struct imhe_slot *s = &e->f[e->f[EDU_DEGREE].present ? EDU_DEGREE : EDU_CREDENTIAL];
  const char *name = s->v.codes.n ? s->v.codes.v[0].s.s : "";
  sb_puts(b, ", ");
  put_plain(b, name, strlen(name));
  if (e->f[EDU_FIELD].present) {
    sb_puts(b, " in ");
    put_text(b, &e->f[EDU_FIELD].v.text);
  }
  if (e->f[EDU_INSTITUTION].present) {
    sb_puts(b, ", ");
    put_text(b, &e->f[EDU_INSTITUTION].v.text);
  }
}

/* "3rd work entry, Clinical Social Worker, 2019-03-01 to 2021-06-30": counted from 1, named by
 * its title, provider or name, and dated. */
static void put_entry(struct sbuf *b, const struct imhe_record *r, int sec, uint32_t i) {
  static const struct {
    const char *section, *words;
  } names[] = {{"education", "degree"},
               {"work", "work entry"},
               {"leadership", "leadership entry"},
               {"training", "training"},
               {"rsc", "RSC entry"},
               {"rsc_provided", "entry of RSC provided"},
               {"references", "reference"},
               {"endorsements", "endorsement"}};
  const char *sname = imhe_sections[sec].name;
  const char *words = "entry";
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
    if (!strcmp(names[k].section, sname))
      words = names[k].words;
  /* an education entry holds a degree or a credential: one named "the 2nd degree, graduate
   * certificate" would tell the applicant the certificate was read as a degree */
  if (sec == IMHE_SECTION_EDUCATION && i < r->sec[sec].n &&
      !r->sec[sec].v[i].f[EDU_DEGREE].present && r->sec[sec].v[i].f[EDU_CREDENTIAL].present)
    words = "credential";
  put_ordinal(b, i + 1);
  sb_putc(b, ' ');
  sb_puts(b, words);
  if (i >= r->sec[sec].n)
    return;
  const struct imhe_text *t = imhe_entry_title(r, sec, i);
  if (t && t->s) {
    sb_puts(b, ", ");
    put_text(b, t);
  }
  if (sec == IMHE_SECTION_EDUCATION)
    put_degree(b, &r->sec[sec].v[i]);
  const struct imhe_slot *role =
      sec == IMHE_SECTION_REFERENCES ? &r->sec[sec].v[i].f[REF_ROLE] : NULL;
  if (role && role->v.codes.n) { /* "Pat Rowe (supervisor)": a reference's role is required */
    const struct imhe_text *w = &role->v.codes.v[0].s; /* as written: a role the program declares */
    sb_puts(b, " (");
    put_plain(b, w->s, w->n);
    sb_putc(b, ')');
  }
  int32_t start, end;
  imhe_entry_dates(r, sec, i, &start, &end);
  if (start != INT32_MIN) {
    sb_puts(b, ", ");
    put_date(b, start);
  }
  if (end != INT32_MIN) {
    sb_puts(b, start != INT32_MIN ? " to " : ", until ");
    put_date(b, end);
  }
}

/* What a measure found, in the report's words where the shared ones are written for
 * coordinators (slots, windows): one finding; the caller walks the chain. */
static void put_finding(struct sbuf *b, const struct imhe_record *r, const struct imhe_why *w) {
  switch (w->code) {
  case IMHE_REASON_SLOT_EMPTY: {
    int n; /* the judging program's roles, which the reason carries */
    const char *const *names = w->words ? w->words : imhe_enum_values((enum imhe_enum)w->enm, &n);
    if (w->words)
      n = (int)w->nwords;
    sb_puts(b, "no completed reference fills the ");
    put_ordinal(b, w->entry + 1);
    sb_puts(b, " place, which needs one from ");
    int first = 1, count = 0;
    for (int i = 0; i < n; i++)
      count += (int)(w->want >> i & 1u);
    for (int i = 0, k = 0; i < n; i++)
      if (w->want >> i & 1u) {
        sb_puts(b, first ? "" : ++k == count ? " or " : ", ");
        if (first)
          k = 1;
        sb_puts(b, strchr("aeiou", names[i][0]) || !strncmp(names[i], "rsc", 3) ? "an " : "a ");
        put_plain(b, names[i], strlen(names[i]));
        first = 0;
      }
    return;
  }
  case IMHE_REASON_BEST_WINDOW:
    sb_puts(b, "the best ");
    sb_uint(b, w->count);
    sb_puts(b, "-month period, ");
    put_date(b, w->date[0]);
    sb_puts(b, " to ");
    put_date(b, w->date[1]);
    sb_puts(b, ", holds ");
    sb_num2(b, w->amount[0]);
    sb_puts(b, " h");
    return;
  case IMHE_REASON_RECEIVED_BETWEEN:
    sb_puts(b, "counted: RSC received between ");
    put_date(b, w->date[0]);
    sb_puts(b, " and ");
    put_date(b, w->date[1]);
    return;
  case IMHE_REASON_PARTIAL_AMOUNT:
    sb_puts(b, "the ");
    put_entry(b, r, w->sec, w->entry);
    sb_putc(b, ',');
    imhe_explain_partial_amount(b, w);
    sb_puts(b, ": only its days up to the as-of date count");
    return;
  case IMHE_REASON_REPORTED_TO_REFERENCE:
  case IMHE_REASON_REPORTED_TO_NO_REFERENCE:
    sb_puts(b, w->code == IMHE_REASON_REPORTED_TO_REFERENCE ? "a" : "no");
    sb_puts(b, " completed reference from ");
    imhe_text_clean(b, w->name, strnlen(w->name, 60));
    sb_puts(b, ", the supervisor named in the ");
    put_entry(b, r, w->sec, w->entry);
    return;
  case IMHE_REASON_TRAINING_OVER_CAP:
  case IMHE_REASON_NO_TRANSCRIPT:
  case IMHE_REASON_TOO_MANY_COMPETENCIES:
    sb_puts(b, "the ");
    put_entry(b, r, w->sec, w->entry);
    sb_puts(b, " lists ");
    sb_uint(b, w->count);
    if (w->code == IMHE_REASON_NO_TRANSCRIPT) {
      sb_puts(b, w->count == 1 ? " competency without a transcript (official or unofficial)"
                               : " competencies without a transcript (official or unofficial)");
      return;
    }
    sb_puts(b, w->count == 1 ? " competency; at most " : " competencies; at most ");
    sb_num2(b, w->amount[1]);
    sb_puts(b, w->amount[1] == 1 ? " counts" : " count"); /* "at most 1 counts" */
    if (w->code == IMHE_REASON_TRAINING_OVER_CAP)
      sb_puts(b, " (one per whole training hour)");
    return;
  default:
    imhe_explain_reason(b, r, w);
  }
}

/* A requirement's amount: "at least 15 h", "a bachelors degree or higher". */
static void put_required(struct sbuf *b, const struct imhe_cond_result *c) {
  if (c->display == DISP_DEGREE) {
    imhe_explain_degree_required(b, c->res->prog, c->required, 1);
    return;
  }
  static const char *const words[CMP__COUNT] = {"at least ",  "more than ", "at most ",
                                                "less than ", "exactly ",   "other than "};
  sb_puts(b, words[c->cmp]);
  if (c->unit == IMHE_UNIT_DAYS && c->display == DISP_YEARS) {
    double y = c->required / 365.0;
    sb_num2(b, y);
    sb_puts(b, y == 1 ? " year (" : " years (");
    sb_num2(b, round(c->required));
    sb_puts(b, " days)");
  } else
    imhe_explain_quantity(b, c->res->prog, c->required, c->unit, c->display);
}

/* "Has 10 h; needs at least 15 h: add 5 h." with the period the hours must fall in. */
static void put_numbers(struct ctx *x, const struct imhe_cond_result *c) {
  struct sbuf *b = &x->t;
  sb_puts(b, b->n ? "has " : "Has ");
  if (c->display == DISP_DEGREE) {
    if (c->observed < 1 || !imhe_explain_degree_held(b, x->res->prog, x->r, x->res->as_of))
      sb_puts(b, "no degree");
  } else
    imhe_explain_quantity(b, c->res->prog, c->observed, c->unit, c->display);
  size_t at = b->n;
  sb_puts(b, " (");
  if (imhe_explain_capped(b, c))
    sb_putc(b, ')');
  else
    b->n = at;
  sb_puts(b, "; needs ");
  put_required(b, c);
  if ((c->cmp == CMP_GE || c->cmp == CMP_GT) && c->shortfall > 0 && c->display != DISP_DEGREE) {
    sb_puts(b, c->unit == IMHE_UNIT_HOURS ? ": add " : ": ");
    if (c->unit == IMHE_UNIT_DAYS)
      sb_num2(b, round(c->shortfall));
    else
      sb_num2(b, c->shortfall);
    const char *sym = imhe_unit_symbol((imhe_unit)c->unit);
    if (sym[0]) {
      sb_putc(b, ' ');
      sb_puts(b, sym);
    }
    if (c->unit != IMHE_UNIT_HOURS)
      sb_puts(b, " more");
    for (const struct imhe_why *w = c->notes; w; w = w->next)
      if (w->code == IMHE_REASON_RECEIVED_BETWEEN) {
        sb_puts(b, " received between ");
        put_date(b, w->date[0]);
        sb_puts(b, " and ");
        put_date(b, w->date[1]);
      }
  }
  sb_putc(b, '.');
}

/* The entries a condition counted and those it left out, each with its reason. */
/* The best window a measure of c chose, if any. */
static const struct imhe_why *window_of(const struct imhe_cond_result *c) {
  for (const struct imhe_why *w = c->notes; w; w = w->next)
    if (w->code == IMHE_REASON_BEST_WINDOW)
      return w;
  return NULL;
}

/* Whether counted entry i contributed: with a best window, only entries overlapping it did. */
static int contributed(const struct ctx *x, const struct imhe_cond_result *c, uint32_t i) {
  if (!imhe_explain_placed(c, i))
    return 0; /* a reference in no place is said apart, with why */
  const struct imhe_why *w = window_of(c);
  if (!w)
    return 1;
  int32_t s, e;
  imhe_entry_dates(x->r, c->counted_sec, i, &s, &e);
  return !(s != INT32_MIN && s > w->date[1]) && !(e != INT32_MIN && e < w->date[0]);
}

/* RSC spread evenly over an entry longer than the window or reaching past it says so: "the 1st
 * RSC entry, ... spreads 99 h over 62 months: about 1.6 h a month". */
static void put_spread(struct ctx *x, const struct imhe_cond_result *c) {
  const struct imhe_why *w = window_of(c);
  if (!w || c->counted_sec != IMHE_SECTION_RSC)
    return;
  for (uint32_t j = 0; j < c->ncounted && j < 12; j++) {
    uint32_t i = c->counted[j];
    int32_t s, e;
    imhe_entry_dates(x->r, c->counted_sec, i, &s, &e);
    const struct imhe_slot *h = &x->r->sec[c->counted_sec].v[i].f[RSC_HOURS];
    /* an entry wholly inside the period counts whole; one wholly outside it counts nothing
     * (it is not among the entries counted either), so neither is spread */
    if (s == INT32_MIN || e == INT32_MIN || e <= s || !h->present ||
        (s >= w->date[0] && e <= w->date[1]) || !contributed(x, c, i))
      continue;
    double months = (e - s + 1) / 30.4375;
    sb_puts(&x->t, "Found: the ");
    put_entry(&x->t, x->r, c->counted_sec, i);
    sb_puts(&x->t, ", spreads ");
    sb_num2(&x->t, h->v.num);
    sb_puts(&x->t, " h over ");
    sb_uint(&x->t, (unsigned)(months + 0.5));
    sb_puts(&x->t, " months: about ");
    sb_num2(&x->t, round(h->v.num / months * 10) / 10);
    sb_puts(&x->t, " h a month, and only its months inside the period count.");
    emit(x, DFC_ITEM);
  }
}

static void put_entries(struct ctx *x, const struct imhe_cond_result *c) {
  if (c->counted_sec < 0)
    return;
  put_spread(x, c);
  uint32_t shown = 0;
  for (uint32_t j = 0; j < c->ncounted && shown < 12; j++) {
    if (!contributed(x, c, c->counted[j]))
      continue;
    sb_puts(&x->t, shown++ ? "; " : "Counted: ");
    put_entry(&x->t, x->r, c->counted_sec, c->counted[j]);
  }
  for (uint32_t j = 0; j < c->nleft && shown < 12; j++) /* the part a cap cut counts too */
    if (imhe_explain_in_capped(c, c->counted_sec, c->left_out[j].idx)) {
      sb_puts(&x->t, shown++ ? "; " : "Counted: ");
      put_entry(&x->t, x->r, c->counted_sec, c->left_out[j].idx);
    }
  if (shown) {
    if (shown == 12 && c->ncounted > 12)
      sb_puts(&x->t, "; and more");
    sb_putc(&x->t, '.');
    emit(x, DFC_ITEM);
  }
  for (uint32_t j = 0; j < c->ncounted && j < 12; j++)
    if (!imhe_explain_placed(c, c->counted[j])) {
      sb_puts(&x->t, "Not counted: ");
      put_entry(&x->t, x->r, c->counted_sec, c->counted[j]);
      sb_puts(&x->t, ": ");
      x->s.n = 0;
      imhe_explain_unplaced(&x->s, x->r, c, c->counted[j]);
      imhe_text_clean(&x->t, x->s.v, x->s.n);
      sb_putc(&x->t, '.');
      emit(x, DFC_ITEM);
    }
  for (uint32_t j = 0; j < c->nleft && j < 12; j++) {
    if (imhe_explain_in_capped(c, c->counted_sec, c->left_out[j].idx))
      continue;
    sb_puts(&x->t, "Not counted: ");
    put_entry(&x->t, x->r, c->counted_sec, c->left_out[j].idx);
    sb_puts(&x->t, ": ");
    x->s.n = 0;
    imhe_explain_exclusion(&x->s, x->r, c->left_out[j].why);
    put_plain(&x->t, x->s.v, x->s.n);
    sb_puts(&x->t, ".");
    emit(x, DFC_ITEM);
  }
}

/* One unmet condition: what it asks, what the record has, what would meet it, what was found. */
static void put_condition(struct ctx *x, const struct imhe_rule_outcome *rr,
                          const struct imhe_cond_result *c) {
  if (strcmp(c->desc, rr->desc)) {
    put_sentence(&x->t, c->desc, 1);
    sb_puts(&x->t, ": ");
  }
  if (imhe_explain_none_allowed(&x->t, c))
    sb_putc(&x->t, '.');
  else if (c->kind == VT_NUM)
    put_numbers(x, c);
  else if (c->notes) {
    x->s.n = 0;
    put_finding(&x->s, x->r, c->notes);
    put_words(&x->t, x->s.v, x->s.n, !x->t.n);
    sb_putc(&x->t, '.');
  } else
    sb_puts(&x->t, x->t.n ? "not met." : "Not met.");
  emit(x, DFC_ITEM);
  for (const struct imhe_why *w = c->kind == VT_NUM ? c->notes
                                  : c->notes        ? c->notes->next
                                                    : NULL;
       w; w = w->next) {
    if (w->code == IMHE_REASON_ENTRIES_MEASURED || w->code == IMHE_REASON_RECEIVED_BETWEEN)
      continue;
    x->s.n = 0;
    put_finding(&x->s, x->r, w);
    sb_puts(&x->t, "Found: ");
    sb_put(&x->t, x->s.v, x->s.n);
    sb_putc(&x->t, '.');
    emit(x, DFC_ITEM);
  }
  put_entries(x, c);
}

/* Where the requirement is published (the policy's `source` for the rule, else the association's
 * requirements); with verbose, the rule's id and file:line too. */
static void put_source(struct ctx *x, const struct imhe_rule_outcome *rr) {
  sb_puts(&x->t, "Source: ");
  if (rr->cite[0])
    imhe_text_clean(&x->t, rr->cite, strlen(rr->cite));
  else if (x->res->deadline_label && x->res->deadline_label[0]) {
    imhe_text_clean(&x->t, x->res->deadline_label, strlen(x->res->deadline_label));
    sb_puts(&x->t, " endorsement requirements");
  } else
    sb_puts(&x->t, "the association's endorsement requirements");
  if (x->o->verbose && rr->file[0]) {
    sb_puts(&x->t, " (rule ");
    imhe_text_clean(&x->t, rr->id, strlen(rr->id));
    sb_puts(&x->t, ", ");
    imhe_text_clean(&x->t, rr->file, strlen(rr->file));
    sb_putc(&x->t, ':');
    sb_uint(&x->t, rr->line);
    sb_putc(&x->t, ')');
  }
  sb_putc(&x->t, '.');
  emit(x, DFC_SOURCE);
}

static void put_requirement(struct ctx *x, const struct imhe_rule_outcome *rr) {
  if (rr->reason) {
    x->s.n = 0;
    imhe_explain_reason(&x->s, x->r, rr->reason);
    put_words(&x->t, x->s.v, x->s.n, 1);
    sb_putc(&x->t, '.');
    emit(x, DFC_REQUIREMENT);
    return;
  }
  put_sentence(&x->t, rr->desc, 1);
  emit(x, DFC_REQUIREMENT);
  emit(x, DFC_LIST_BEGIN);
  for (uint32_t k = 0; k < rr->nconds; k++)
    if (rr->conds[k].status == IMHE_STATUS_FAIL)
      put_condition(x, rr, &rr->conds[k]);
  emit(x, DFC_LIST_END);
  put_source(x, rr);
}

static int unmet(const struct imhe_rule_outcome *rr) {
  return rr->kind == RK_REQUIRE && rr->status == IMHE_STATUS_FAIL;
}

unsigned imhe_deficiency_unmet(const struct imhe_result *res) {
  unsigned n = 0;
  for (uint32_t i = 0; i < res->nrules; i++)
    n += (unsigned)unmet(&res->rules[i]);
  return n;
}

/* "What is missing": the unmet requirements under their tabs, in the tabs' order. */
static void put_missing(struct ctx *x) {
  sb_puts(&x->t, "What is missing");
  emit(x, DFC_SECTION);
  const struct imhe_program *p = x->res->prog;
  for (uint32_t tab = 0; p && tab < p->ntabs; tab++) {
    int shown = 0;
    for (uint32_t i = 0; i < x->res->nrules; i++) {
      const struct imhe_rule_outcome *rr = &x->res->rules[i];
      if (!unmet(rr) || tab_of(p, rr->area) != (int)tab)
        continue;
      if (!shown++) {
        sb_puts(&x->t, imhe_str(p, p->tabs[tab].title));
        emit(x, DFC_TAB);
      }
      put_requirement(x, rr);
    }
  }
}

/* Advisories: never a requirement, so worded as information. */
static void put_advisories(struct ctx *x) {
  int shown = 0;
  for (uint32_t i = 0; i < x->res->nrules; i++) {
    const struct imhe_rule_outcome *rr = &x->res->rules[i];
    if (rr->kind != RK_ADVISE || rr->status != IMHE_STATUS_ADVICE)
      continue;
    for (uint32_t k = 0; k < rr->nconds; k++) {
      const struct imhe_cond_result *c = &rr->conds[k];
      if (c->status == IMHE_STATUS_PASS)
        continue;
      if (!shown++) {
        sb_puts(&x->t, "For information");
        emit(x, DFC_SECTION);
        sb_puts(&x->t, "These do not affect the verdict.");
        emit(x, DFC_PARA);
        emit(x, DFC_LIST_BEGIN);
      }
      put_sentence(&x->t, c->desc, 1);
      if (c->kind == VT_NUM) {
        sb_puts(&x->t, ": the record shows ");
        imhe_explain_quantity(&x->t, c->res->prog, c->observed, c->unit, c->display);
        if (c->shortfall > 0) {
          sb_puts(&x->t, ", ");
          imhe_explain_quantity(&x->t, c->res->prog, c->shortfall, c->unit, c->display);
          sb_puts(&x->t, " below it");
        }
      }
      sb_putc(&x->t, '.');
      emit(x, DFC_ITEM);
    }
  }
  if (shown)
    emit(x, DFC_LIST_END);
}

/* The written exam's status, and when it may be sat. */
static void put_exam(struct ctx *x) {
  for (uint32_t i = 0; i < x->res->nrules; i++) {
    const struct imhe_rule_outcome *rr = &x->res->rules[i];
    if (rr->area != imhe_area_with(x->res->prog, AK_EXAM) || rr->kind != RK_REQUIRE ||
        rr->status == IMHE_STATUS_SKIPPED || rr->status == IMHE_STATUS_FAIL || rr->reason)
      continue; /* a failed exam is under "What is missing" already */
    sb_puts(&x->t, "Written exam");
    emit(x, DFC_SECTION);
    if (rr->status == IMHE_STATUS_PASS)
      sb_puts(&x->t, "The written exam is passed.");
    else
      sb_puts(&x->t, x->res->verdict == IMHE_VERDICT_NOT_ELIGIBLE
                         ? "Not yet taken. The applicant may sit the written exam once the other "
                           "requirements are met."
                         : "Not yet taken. The applicant may now sit the written exam.");
    emit(x, DFC_PARA);
    return;
  }
}

static void put_money(struct sbuf *b, const char *label, double v, const char *tail) {
  sb_puts(b, label);
  if (v < 0) {
    sb_puts(b, "not published");
    return;
  }
  imhe_explain_quantity(b, NULL, v, IMHE_UNIT_DOLLARS, DISP_PLAIN);
  sb_puts(b, tail);
}

static void put_fees(struct ctx *x) {
  const struct imhe_fee_summary *fe = &x->res->fees;
  if (!fe->present)
    return;
  sb_puts(&x->t, "Fees");
  emit(x, DFC_SECTION);
  emit(x, DFC_LIST_BEGIN);
  /* each fee kind charged with the record's kind, capitalised ("Processing: $50"); a renewal's
   * own (required) fee first, named by the record's kind, the others "a year" */
  for (int pass = fe->renewal ? 0 : 1; pass < 2; pass++)
    for (int k = 0; k < fe->nkinds; k++) {
      const struct imhe_fee_line *l = &fe->kinds[k];
      if (!imhe_fee_listed(fe, k, pass))
        continue;
      char label[80];
      if (fe->renewal && !pass)
        snprintf(label, sizeof label,
                 "%s: ", x->r->kind == IMHE_KIND_REINSTATEMENT ? "Reinstatement" : "Renewal");
      else
        snprintf(label, sizeof label,
                 "%c%.60s: ", l->word[0] >= 'a' && l->word[0] <= 'z' ? l->word[0] - 32 : l->word[0],
                 l->word[0] ? l->word + 1 : "");
      put_money(&x->t, label, l->amount, fe->renewal ? " a year" : "");
      emit(x, DFC_ITEM);
    }
  put_money(&x->t, "Total: ", fe->total, fe->renewal ? " a year" : "");
  emit(x, DFC_ITEM);
  if (fe->coupon && fe->coupon_applied) { /* one not applied has a note saying why */
    sb_puts(&x->t, "Coupon ");
    imhe_text_clean(&x->t, fe->coupon, strlen(fe->coupon));
    sb_puts(&x->t, ": applied.");
    emit(x, DFC_ITEM);
  }
  for (int i = 0; i < fe->nnotes; i++) {
    x->s.n = 0;
    imhe_explain_fee_note_words(&x->s, x->res, i, 0);
    put_words(&x->t, x->s.v, x->s.n, 1);
    sb_putc(&x->t, '.');
    emit(x, DFC_ITEM);
  }
  emit(x, DFC_LIST_END);
}

/* What the applicant does next, by verdict, with the next deadline. */
static void put_next_steps(struct ctx *x) {
  const struct imhe_result *res = x->res;
  sb_puts(&x->t, "Next steps");
  emit(x, DFC_SECTION);
  switch (res->verdict) {
  case IMHE_VERDICT_ELIGIBLE:
    sb_puts(&x->t, "Nothing is missing: the endorsement can be awarded.");
    break;
  case IMHE_VERDICT_PENDING_EXAM:
    sb_puts(&x->t, "Every other requirement is met: the endorsement is awarded once the written "
                   "exam is passed.");
    break;
  case IMHE_VERDICT_NOT_ELIGIBLE:
    sb_puts(&x->t, "Add what is listed under \"What is missing\" to the application, each under "
                   "its tab, and submit it again.");
    break;
  default:
    sb_puts(&x->t, "Correct the errors listed above and submit the record again.");
  }
  if (res->next_deadline != IMHE_NO_DATE) {
    sb_puts(&x->t, " The next ");
    if (res->deadline_label)
      imhe_text_clean(&x->t, res->deadline_label, strlen(res->deadline_label));
    sb_puts(&x->t, " submission deadline is ");
    put_date(&x->t, res->next_deadline);
    sb_putc(&x->t, '.');
  }
  emit(x, DFC_PARA);
}

const char *imhe_deficiency_verdict_words(const struct imhe_result *res) {
  switch (res->verdict) {
  case IMHE_VERDICT_ELIGIBLE:
    return "Eligible";
  case IMHE_VERDICT_PENDING_EXAM:
    return "Eligible once the written exam is passed";
  case IMHE_VERDICT_NOT_ELIGIBLE:
    return "Not yet eligible";
  default:
    return "Could not be judged";
  }
}

/* "Not yet eligible as of 2026-05-01: 2 requirements unmet." */
static void put_summary(struct ctx *x) {
  unsigned n = imhe_deficiency_unmet(x->res);
  sb_puts(&x->t, imhe_deficiency_verdict_words(x->res));
  if (x->res->as_of != IMHE_NO_DATE) {
    sb_puts(&x->t, " as of ");
    put_date(&x->t, x->res->as_of);
  }
  if (x->res->verdict == IMHE_VERDICT_INVALID)
    sb_puts(&x->t, ": the record has errors.");
  else if (!n)
    sb_puts(&x->t, x->res->verdict == IMHE_VERDICT_PENDING_EXAM
                       ? ": every other requirement is met."
                       : ": every requirement is met.");
  else {
    sb_puts(&x->t, ": ");
    sb_uint(&x->t, n);
    sb_puts(&x->t, n == 1 ? " requirement unmet." : " requirements unmet.");
  }
  emit(x, DFC_SUMMARY);
}

/* The record's errors (why it could not be judged), located by line in its file. */
static void put_errors(struct ctx *x) {
  const struct imhe_msgs *lists[2] = {&x->r->errors, &x->res->errors};
  if (!lists[0]->n && !lists[1]->n)
    return;
  sb_puts(&x->t, "Errors in the record");
  emit(x, DFC_SECTION);
  emit(x, DFC_LIST_BEGIN);
  for (int l = 0; l < 2; l++)
    for (uint32_t i = 0; i < lists[l]->n; i++) {
      const struct imhe_msg *m = &lists[l]->v[i];
      sb_puts(&x->t, "Line ");
      sb_uint(&x->t, m->line);
      sb_puts(&x->t, ": ");
      x->s.n = 0;
      imhe_explain_message(&x->s, m->text);
      imhe_text_clean(&x->t, x->s.v, x->s.n);
      emit(x, DFC_ITEM);
    }
  emit(x, DFC_LIST_END);
}

void imhe_deficiency_body(struct sbuf *out, const struct dfc_writer *w,
                          const struct imhe_result *res, const struct dfc_options *o) {
  struct ctx x = {.out = out, .w = w, .res = res, .r = res->record, .o = o};
  put_summary(&x);
  if (w->figure && res->verdict != IMHE_VERDICT_INVALID)
    w->figure(out, res);
  put_errors(&x);
  if (res->verdict != IMHE_VERDICT_INVALID) {
    if (imhe_deficiency_unmet(res))
      put_missing(&x);
    put_exam(&x);
    put_advisories(&x);
    put_fees(&x);
  }
  put_next_steps(&x);
  free(x.t.v);
  free(x.s.v);
}

void imhe_deficiency_title(struct sbuf *b, const struct imhe_result *res) {
  const struct imhe_record *r = res->record;
  if (r->applicant_name.s)
    put_text(b, &r->applicant_name);
  else
    sb_puts(b, "Applicant");
  sb_puts(b, " (");
  if (r->id.s)
    put_text(b, &r->id);
  else
    sb_puts(b, "no id");
  sb_putc(b, ')');
}

void imhe_deficiency_category(struct sbuf *b, const struct imhe_result *res) {
  const struct imhe_record *r = res->record;
  if (r->kind == IMHE_KIND_RENEWAL)
    sb_puts(b, "Renewal");
  else if (r->kind == IMHE_KIND_REINSTATEMENT)
    sb_puts(b, "Reinstatement");
  else if (res->category >= 0 && res->prog) {
    sb_puts(b, imhe_cat_name(res->prog, res->category));
    sb_puts(b, " (");
    sb_puts(b, imhe_cat_code(res->prog, res->category));
    sb_putc(b, ')');
  } else if (!res->prog && r->category.s)
    imhe_text_clean(b, r->category.s, r->category.n); /* no policy typed it */
  else
    sb_puts(b, "No category");
  if (res->deadline_label && res->deadline_label[0]) {
    sb_puts(b, ", ");
    imhe_text_clean(b, res->deadline_label, strlen(res->deadline_label));
  } else if (r->association.s) {
    sb_puts(b, ", ");
    put_text(b, &r->association);
  }
}

void imhe_deficiency_anchor(struct sbuf *b, const struct imhe_result *res) {
  const struct imhe_record *r = res->record;
  sb_puts(b, "a-");
  for (uint32_t i = 0; r->id.s && i < r->id.n && i < 60; i++) {
    char c = r->id.s[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    sb_putc(b, ok ? c : '-');
  }
  sb_putc(b, '-');
  sb_uint(b, r->line);
}
