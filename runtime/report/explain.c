/* explain.c — turns a result's data into the words every report uses: quantities with units and
 * shortfalls, conditions as sentences, where an as-of date came from. */
#include "runtime/report/explain.h"
#include "runtime/core/dates.h"
#include "runtime/records/schema.h"
#include <math.h>
#include <string.h>

static const char *const asof_names[] = {"--as-of option", "submitted date", "renewal deadline",
                                         "today (no submitted date)"};
const char *imhe_as_of_words(imhe_as_of_source source) {
  return asof_names[source];
}

void imhe_explain_degree_level(struct sbuf *b, const struct imhe_program *p, double v) {
  int higher;
  const char *w = imhe_degree_class(p, v, &higher);
  sb_puts(b, w ? w : "no degree");
  if (w && higher)
    sb_puts(b, " or higher");
}

/* "a" or "an" before a word, by its first letter. */
static const char *article_of(const char *w) {
  return strchr("aeiouAEIOU", w[0]) && w[0] ? "an " : "a ";
}

void imhe_explain_degree_required(struct sbuf *b, const struct imhe_program *p, double v,
                                  int article) {
  int higher;
  const char *w = imhe_degree_class(p, v < 1 ? 1 : v, &higher);
  if (!w)
    return;
  if (v < 2) { /* the lowest degree: any academic degree */
    sb_puts(b, "an academic degree (");
    sb_puts(b, w);
    sb_puts(b, " or higher)");
    return;
  }
  if (article)
    sb_puts(b, article_of(w));
  sb_puts(b, w);
  sb_puts(b, article ? " degree or higher" : " or higher");
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

void imhe_explain_quantity(struct sbuf *b, const struct imhe_program *p, double v, int unit,
                           int disp) {
  if (disp == DISP_DEGREE) {
    imhe_explain_degree_level(b, p, v);
    return;
  }
  switch (unit) {
  case IMHE_UNIT_HOURS:
    sb_num2(b, v);
    sb_puts(b, " h");
    return;
  case IMHE_UNIT_DAYS:
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
  case IMHE_UNIT_MONTHS:
    sb_num2(b, v);
    sb_puts(b, " months");
    return;
  case IMHE_UNIT_DOLLARS:
    sb_putc(b, '$');
    sb_num2(b, v);
    return;
  case IMHE_UNIT_FAMILIES:
    sb_num2(b, v);
    sb_puts(b, " families");
    return;
  default:
    sb_num2(b, v);
  }
}

static void required_text(struct sbuf *b, const struct imhe_cond_result *c) {
  if (c->display == DISP_DEGREE) {
    imhe_explain_degree_required(b, c->res->prog, c->required, 0);
    return;
  }
  static const char *const words[CMP__COUNT] = {"",           "more than ", "at most ",
                                                "less than ", "exactly ",   "other than "};
  sb_puts(b, words[c->cmp]);
  /* "more than 1 h" missed at exactly 1 h is short of no stated amount: no "(short 0 h)" */
  int shortfall =
      c->status != IMHE_STATUS_PASS && (c->cmp == CMP_GE || (c->cmp == CMP_GT && c->shortfall > 0));
  if (c->unit == IMHE_UNIT_DAYS && c->display == DISP_YEARS) {
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
  imhe_explain_quantity(b, c->res->prog, c->required, c->unit, c->display);
  if (shortfall) {
    sb_puts(b, " (short ");
    imhe_explain_quantity(b, c->res->prog, c->shortfall, c->unit, c->display);
    sb_putc(b, ')');
  }
}

static void sb_date(struct sbuf *b, int32_t d) {
  char s[11];
  imhe_format_date(d, s);
  sb_put(b, s, 10);
}

/* Record text cut to at most n bytes, as the findings quote it. */
static void sb_cut(struct sbuf *b, const char *s, size_t n) {
  sb_put(b, s ? s : "", s ? strnlen(s, n) : 0);
}

void imhe_explain_plain(struct sbuf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!strncmp(s + i, "rsc", 3) && (i == 0 || s[i - 1] == '_' || s[i - 1] == ' ') &&
        (i + 3 == n || s[i + 3] == '_' || s[i + 3] == ' ' || s[i + 3] == '/')) {
      sb_puts(b, "RSC");
      i += 2;
    } else
      sb_putc(b, s[i] == '_' ? ' ' : s[i]);
  }
}

static void sb_plain(struct sbuf *b, const char *s) {
  imhe_explain_plain(b, s, strlen(s));
}

/* The values of enumeration e in mask in plain words, joined by sep: people read "RSC provider",
 * never the record's code rsc_provider. */
static void sb_mask_sep(struct sbuf *b, int e, uint32_t mask, const char *sep) {
  int n, first = 1;
  const char *const *names = imhe_enum_values((enum imhe_enum)e, &n);
  for (int i = 0; i < n; i++)
    if (mask >> i & 1u) {
      if (!first)
        sb_puts(b, sep);
      sb_plain(b, names[i]);
      first = 0;
    }
}

static void sb_mask(struct sbuf *b, int e, uint32_t mask) {
  sb_mask_sep(b, e, mask, "/");
}

static void sb_ordinal(struct sbuf *b, uint32_t n) {
  sb_uint(b, n);
  uint32_t t = n % 100, u = n % 10;
  sb_puts(b, t >= 11 && t <= 13 ? "th" : u == 1 ? "st" : u == 2 ? "nd" : u == 3 ? "rd" : "th");
}

/* "a program supervisor, a teacher or an RSC provider": the roles that would fill a reference's
 * place, as a reviewer writes them. */
static void sb_roles_or(struct sbuf *b, const struct imhe_why *w, uint32_t mask) {
  int n, count = 0, k = 0;
  const char *const *names = w->words ? w->words : imhe_enum_values((enum imhe_enum)w->enm, &n);
  if (w->words)
    n = (int)w->nwords;
  for (int i = 0; i < n && i < 32; i++)
    count += (int)(mask >> i & 1u);
  for (int i = 0; i < n && i < 32; i++)
    if (mask >> i & 1u) {
      sb_puts(b, k == 0 ? "" : k == count - 1 ? " or " : ", ");
      sb_puts(b, strchr("aeiou", names[i][0]) || !strncmp(names[i], "rsc", 3) ? "an " : "a ");
      sb_plain(b, names[i]);
      k++;
    }
}

static const char *value_name(int e, uint32_t v) {
  int n;
  const char *const *names = imhe_enum_values((enum imhe_enum)e, &n);
  return v < (uint32_t)n ? names[v] : "?";
}

static const char *field_name(const struct imhe_why *w) {
  return w->field == IMHE_WHY_NO_FIELD ? "?" : imhe_sections[w->sec].fields[w->field].name;
}

/* "work 3": how findings name an entry without its title, counted from 1 as reviewers count. */
static void entry_index(struct sbuf *b, int sec, uint32_t i) {
  sb_plain(b, imhe_sections[sec].name);
  sb_putc(b, ' ');
  sb_uint(b, (unsigned long long)i + 1);
}

void imhe_explain_entry(struct sbuf *b, const struct imhe_record *r, int sec, uint32_t i) {
  entry_index(b, sec, i);
  const struct imhe_text *t = r && i < r->sec[sec].n ? imhe_entry_title(r, sec, i) : NULL;
  if (t && t->s) {
    sb_puts(b, " (");
    sb_put(b, t->s, t->n > 60 ? 60 : t->n);
    sb_putc(b, ')');
  }
}

/* The values of a filter's reason, the entry's (have) or the filter's: categories, credentials and
 * roles by the words the judging program gave them (in the reason), other values by name. */
static void filter_values(struct sbuf *b, const struct imhe_why *w, int have) {
  if (w->enm == ENUM_CATEGORY || w->enm == ENUM_CREDENTIAL || w->enm == ENUM_ROLE)
    sb_puts(b, have ? w->name : w->name2);
  else
    sb_mask(b, w->enm, have ? w->have : w->want);
}
static const char *filter_value(const struct imhe_why *w) {
  return w->enm == ENUM_CATEGORY || w->enm == ENUM_CREDENTIAL || w->enm == ENUM_ROLE
             ? w->name
             : value_name(w->enm, w->have);
}

/* A filter's reason for leaving an entry out: "kind volunteer, not paid". */
static void explain_filter(struct sbuf *b, const struct imhe_why *w) {
  static const char *const date_words[CMP__COUNT] = {"on or after", "after", "on or before",
                                                     "before",      "on",    "other than"};
  static const char *const num_words[CMP__COUNT] = {"less than",     "not more than", "more than",
                                                    "not less than", "not",           ""};
  const char *f = field_name(w);
  int cmp = w->cmp >= 0 && w->cmp < CMP__COUNT ? w->cmp : CMP_NE;
  if (w->code == IMHE_REASON_VALUE_MISSING) {
    sb_puts(b, "no ");
    sb_plain(b, f);
    sb_puts(b, ", not ");
    filter_values(b, w, 0);
    return;
  }
  if (w->code == IMHE_REASON_AGES_OUTSIDE_TRACK) {
    sb_puts(b, "ages ");
    if (w->have)
      sb_mask(b, w->enm, w->have);
    else
      sb_puts(b, "not given");
    sb_puts(b, " do not serve the ");
    sb_puts(b, w->name);
    sb_puts(b, " track");
    return;
  }
  sb_plain(b, f);
  switch (w->code) {
  case IMHE_REASON_AFTER_AS_OF:
    sb_putc(b, ' ');
    sb_date(b, w->date[0]);
    sb_puts(b, " is after the as-of date");
    return;
  case IMHE_REASON_VALUE_DEFAULT:
    sb_puts(b, " not given (");
    sb_puts(b, filter_value(w));
    sb_puts(b, " by default), not ");
    break;
  case IMHE_REASON_VALUE_NOT_WANTED:
    sb_putc(b, ' ');
    sb_puts(b, filter_value(w));
    sb_puts(b, ", not ");
    break;
  case IMHE_REASON_VALUES_NOT_WANTED:
    sb_putc(b, ' ');
    if (w->have)
      filter_values(b, w, 1);
    else
      sb_puts(b, "none");
    sb_puts(b, ", none of ");
    break;
  case IMHE_REASON_FLAG_MISMATCH:
    sb_puts(b, w->flag ? " is true" : " is not true");
    return;
  case IMHE_REASON_FIELD_GIVEN:
    sb_puts(b, " given");
    return;
  case IMHE_REASON_DATE_OUT_OF_RANGE:
    sb_putc(b, ' ');
    sb_date(b, w->date[0]);
    sb_puts(b, " is not ");
    sb_puts(b, date_words[cmp]);
    sb_putc(b, ' ');
    sb_date(b, w->date[1]);
    return;
  case IMHE_REASON_NUMBER_OUT_OF_RANGE:
    sb_puts(b, " is ");
    sb_num2(b, w->amount[0]);
    if (cmp == CMP_NE) /* "supervisees is 0" */
      return;
    sb_puts(b, ", ");
    sb_puts(b, num_words[cmp]);
    sb_putc(b, ' ');
    sb_num2(b, w->amount[1]);
    return;
  default: /* FIELD_MISSING */
    sb_puts(b, " not given");
    return;
  }
  filter_values(b, w, 0);
}

/* Competencies listed against the rules (the fault-finding measures). */
static void explain_competencies(struct sbuf *b, const struct imhe_record *r,
                                 const struct imhe_why *w) {
  entry_index(b, w->sec, w->entry);
  if (w->code == IMHE_REASON_TRAINING_OVER_CAP) {
    sb_puts(b, " (");
    const struct imhe_slot *t =
        r && w->entry < r->sec[w->sec].n ? &r->sec[w->sec].v[w->entry].f[TRAIN_TITLE] : NULL;
    sb_cut(b, t && t->present ? t->v.text.s : "untitled", 60);
    sb_puts(b, ", ");
    sb_num2(b, w->amount[0]);
    sb_puts(b, " h)");
  }
  sb_puts(b, " lists ");
  sb_uint(b, w->count);
  if (w->code == IMHE_REASON_NO_TRANSCRIPT) {
    sb_puts(b, w->count == 1 ? " competency without a transcript (official or unofficial)"
                             : " competencies without a transcript (official or unofficial)");
    return;
  }
  sb_puts(b, w->count == 1 ? " competency; at most " : " competencies; at most ");
  sb_num2(b, w->amount[1]);
  if (w->code == IMHE_REASON_TRAINING_OVER_CAP)
    sb_puts(b, " (one per whole training hour)");
}

/* A fact's finding. */
static void explain_fact(struct sbuf *b, const struct imhe_record *r, const struct imhe_why *w) {
  static const char *const fixed[IMHE_REASON__COUNT] = {
      [IMHE_REASON_NO_MEMBERSHIP] = "no association membership given",
      [IMHE_REASON_MEMBERSHIP_UNNAMED] = "membership names no association",
      [IMHE_REASON_MEMBERSHIP_NO_EXPIRY] = "membership has no expiry date",
      [IMHE_REASON_EXAM_PASSED] = "written exam passed",
      [IMHE_REASON_EXAM_NOT_TAKEN] = "not yet taken; the applicant may sit the written exam",
      [IMHE_REASON_ANNUAL_RENEWAL] = "annual renewal",
      [IMHE_REASON_CYCLE_RENEWAL] = "multi-year renewal cycle",
      [IMHE_REASON_NO_RENEWAL_SCHEME] = "no renewal scheme",
      [IMHE_REASON_RSC_ATTESTED] = "RSC provider attested",
      [IMHE_REASON_RSC_NOT_ATTESTED] = "no current RSC provider attested",
      [IMHE_REASON_CONDITION_NOT_MET] = "its condition is not met",
      [IMHE_REASON_LEFT_OUT] = "left out",
      [IMHE_REASON_NOT_CURRENT] = "not a current entry",
      [IMHE_REASON_NO_RSC_OVERLAP] = "does not overlap a period of providing RSC",
      [IMHE_REASON_EXCLUDED_BY_NOT] = "excluded by a 'not' filter",
      [IMHE_REASON_NO_REINSTATEMENT] = " does not offer reinstatement after a lapse",
  };
  switch (w->code) {
  case IMHE_REASON_MEMBERSHIP_NOT_ACCEPTED:
  case IMHE_REASON_MEMBERSHIP_EXPIRED:
    sb_puts(b, "membership of ");
    sb_cut(b, w->name, 40);
    if (w->code == IMHE_REASON_MEMBERSHIP_NOT_ACCEPTED) {
      sb_puts(b, " is not accepted by ");
      sb_puts(b, w->name2);
      return;
    }
    sb_puts(b, " expired ");
    sb_date(b, w->date[0]);
    sb_puts(b, ", before ");
    sb_date(b, w->date[1]);
    return;
  case IMHE_REASON_MEMBER:
    sb_puts(b, "member of ");
    sb_cut(b, w->name, 40);
    sb_puts(b, " until ");
    sb_date(b, w->date[0]);
    return;
  case IMHE_REASON_NOT_SIGNED:
  case IMHE_REASON_SIGNED_LATE:
  case IMHE_REASON_SIGNED:
    sb_puts(b, w->name);
    if (w->code == IMHE_REASON_NOT_SIGNED) {
      sb_puts(b, " not signed");
      return;
    }
    sb_puts(b, " signed ");
    sb_date(b, w->date[0]);
    if (w->code == IMHE_REASON_SIGNED_LATE) {
      sb_puts(b, ", after ");
      sb_date(b, w->date[1]);
    }
    return;
  case IMHE_REASON_EXAM_FAILED:
    sb_puts(b, "written exam failed");
    if (w->date[0] != IMHE_NO_DATE) {
      sb_puts(b, " on ");
      sb_date(b, w->date[0]);
    }
    return;
  case IMHE_REASON_REPORTED_TO_REFERENCE:
  case IMHE_REASON_REPORTED_TO_NO_REFERENCE:
    sb_puts(b, w->code == IMHE_REASON_REPORTED_TO_REFERENCE ? "a" : "no");
    sb_puts(b, " completed reference from ");
    sb_cut(b, w->name, 60);
    sb_puts(b, ", the supervisor named in ");
    imhe_explain_entry(b, r, w->sec, w->entry);
    return;
  case IMHE_REASON_CATEGORY_NOT_OFFERED:
    sb_puts(b, w->name2);
    sb_puts(b, " does not offer ");
    sb_puts(b, w->name ? w->name : "this category");
    return;
  case IMHE_REASON_NO_RENEWAL_SCHEME_FOR:
    sb_puts(b, w->name2);
    sb_puts(b, " has no renewal scheme for a deadline of ");
    sb_date(b, w->date[0]);
    return;
  case IMHE_REASON_RENEWAL_NOT_DUE:
    sb_puts(b, "no renewal is due: endorsed ");
    sb_date(b, w->date[0]);
    sb_puts(b, ", less than a year before the ");
    sb_date(b, w->date[1]);
    sb_puts(b, " deadline");
    return;
  case IMHE_REASON_NO_REINSTATEMENT:
  case IMHE_REASON_REINSTATEMENT_FROM:
    sb_puts(b, w->name2);
    if (w->code == IMHE_REASON_NO_REINSTATEMENT) {
      sb_puts(b, fixed[w->code]);
      return;
    }
    sb_puts(b, " offers reinstatement only from ");
    sb_date(b, w->date[0]);
    return;
  }
  sb_puts(b, w->code < IMHE_REASON__COUNT && fixed[w->code] ? fixed[w->code] : "?");
}

/* What a measure found. */
static void explain_measure(struct sbuf *b, const struct imhe_record *r, const struct imhe_why *w) {
  switch (w->code) {
  case IMHE_REASON_BEST_WINDOW:
    sb_puts(b, "best ");
    sb_uint(b, w->count);
    sb_puts(b, "-month window ");
    sb_date(b, w->date[0]);
    sb_puts(b, "..");
    sb_date(b, w->date[1]);
    sb_puts(b, w->flag ? " (to the as-of date) holds " : " holds ");
    sb_num2(b, w->amount[0]);
    sb_puts(b, " h");
    return;
  case IMHE_REASON_NO_WINDOW:
    sb_puts(b, "no entry with hours, so no window holds any");
    return;
  case IMHE_REASON_ENTRIES_MEASURED:
    sb_uint(b, w->count);
    sb_puts(b, w->count == 1 ? " entry" : " entries");
    return;
  case IMHE_REASON_RECEIVED_BETWEEN:
    sb_puts(b, "received ");
    sb_date(b, w->date[0]);
    sb_puts(b, "..");
    sb_date(b, w->date[1]);
    return;
  case IMHE_REASON_PARTIAL_AMOUNT:
    imhe_explain_entry(b, r, w->sec, w->entry);
    imhe_explain_partial_amount(b, w);
    sb_puts(b, ", those on days up to the as-of date");
    return;
  case IMHE_REASON_MORE_PARTIAL:
    sb_uint(b, w->count);
    sb_puts(b, " more entries count only their days up to the as-of date");
    return;
  case IMHE_REASON_NO_MASTERS:
    sb_puts(b, "no ");
    sb_puts(b, w->name);
    sb_puts(b, "-level degree, so no post-");
    sb_puts(b, w->name);
    sb_puts(b, " work");
    return;
  case IMHE_REASON_SLOT_EMPTY:
    sb_puts(b, "no completed reference fills the ");
    sb_ordinal(b, w->entry + 1);
    sb_puts(b, " place, which needs one from ");
    sb_roles_or(b, w, w->want);
    sb_puts(b, " (");
    sb_uint(b, w->count);
    sb_puts(b, w->count == 1 ? " completed reference in all)" : " completed references in all)");
    return;
  case IMHE_REASON_HALF_OF_DOMAIN:
    sb_puts(b, "half of the ");
    sb_uint(b, w->count);
    sb_putc(b, ' ');
    sb_puts(b, w->name);
    sb_puts(b, " competencies for ");
    sb_puts(b, w->name2);
    sb_puts(b, ", rounded up");
    return;
  case IMHE_REASON_CREDENTIAL_HELD:
  case IMHE_REASON_CREDENTIAL_MISSING: {
    sb_puts(b, w->code != IMHE_REASON_CREDENTIAL_HELD           ? "no "
               : strchr("aeiou", w->name[0] ? w->name[0] : 'x') ? "holds an "
                                                                : "holds a ");
    sb_plain(b, w->name); /* "infant toddler credential", "CODE credential" */
    size_t n = strlen(w->name);
    if (n < 10 || strcmp(w->name + n - 10, "credential"))
      sb_puts(b, " credential");
    return;
  }
  case IMHE_REASON_FIRST_ENDORSED:
    sb_puts(b, "first endorsement earned ");
    sb_date(b, w->date[0]);
    return;
  case IMHE_REASON_NOT_ENDORSED:
    sb_puts(b, "no endorsement earned by then");
    return;
  }
  explain_competencies(b, r, w);
}
void imhe_explain_reason(struct sbuf *b, const struct imhe_record *r, const struct imhe_why *w) {
  switch (w->code) {
  case IMHE_REASON_AFTER_AS_OF:
  case IMHE_REASON_VALUE_DEFAULT:
  case IMHE_REASON_VALUE_MISSING:
  case IMHE_REASON_VALUE_NOT_WANTED:
  case IMHE_REASON_VALUES_NOT_WANTED:
  case IMHE_REASON_AGES_OUTSIDE_TRACK:
  case IMHE_REASON_FLAG_MISMATCH:
  case IMHE_REASON_FIELD_GIVEN:
  case IMHE_REASON_FIELD_MISSING:
  case IMHE_REASON_DATE_OUT_OF_RANGE:
  case IMHE_REASON_NUMBER_OUT_OF_RANGE:
    explain_filter(b, w);
    return;
  }
  if (w->code >= IMHE_REASON_BEST_WINDOW && w->code <= IMHE_REASON_TOO_MANY_COMPETENCIES)
    explain_measure(b, r, w);
  else
    explain_fact(b, r, w);
}

void imhe_explain_reasons(struct sbuf *b, const struct imhe_record *r, const struct imhe_why *w) {
  for (const struct imhe_why *k = w; k; k = k->next) {
    if (k != w)
      sb_puts(b, "; ");
    imhe_explain_reason(b, r, k);
  }
}

void imhe_explain_exclusion(struct sbuf *b, const struct imhe_record *r, const struct imhe_why *w) {
  for (const struct imhe_why *k = w; k; k = k->next) {
    if (k != w)
      sb_puts(b, ", and ");
    imhe_explain_reason(b, r, k);
  }
}

void imhe_explain_left_out(struct sbuf *b, const struct imhe_record *r, int sec,
                           const struct excl *x) {
  imhe_explain_entry(b, r, sec, x->idx);
  sb_puts(b, " left out: ");
  imhe_explain_exclusion(b, r, x->why);
}

int imhe_explain_degree_held(struct sbuf *b, const struct imhe_program *p,
                             const struct imhe_record *r, int32_t as_of) {
  const struct imhe_list *edu = &r->sec[IMHE_SECTION_EDUCATION];
  int best = -1;
  int32_t when = IMHE_NO_DATE;
  for (uint32_t i = 0; i < edu->n; i++) { /* as the degree measure counts: completed by as_of */
    const struct imhe_slot *d = &edu->v[i].f[EDU_DEGREE], *c = &edu->v[i].f[EDU_COMPLETED];
    int k = d->present && d->v.codes.n /* as written: the program's word */
                ? imhe_declared_lookup(p, ENUM_DEGREE, d->v.codes.v[0].s.s, d->v.codes.v[0].s.n)
                : -1;
    if (k >= 0 && c->present && c->v.date <= as_of && k > best) {
      best = k;
      when = c->v.date;
    }
  }
  if (best < 0)
    return 0;
  const char *name = imhe_declared_word(p, ENUM_DEGREE, (uint32_t)best);
  sb_puts(b, article_of(name));
  imhe_explain_plain(b, name, strlen(name));
  sb_puts(b, " degree (completed ");
  char s[11];
  imhe_format_date(when, s);
  sb_put(b, s, 10);
  sb_putc(b, ')');
  return 1;
}

void imhe_explain_partial_amount(struct sbuf *b, const struct imhe_why *w) {
  sb_puts(b, " counts ");
  sb_num2(b, w->amount[0]);
  sb_puts(b, " of its ");
  sb_num2(b, w->amount[1]);
  sb_putc(b, ' ');
  sb_puts(b, imhe_unit_symbol((imhe_unit)w->unit));
}

/* "sentence: observed; required X (short Y) (what the measure found)" */
void imhe_explain_condition(struct sbuf *b, const struct imhe_cond_result *c) {
  const struct imhe_record *r = c->res->record; /* every condition carries its result */
  sb_puts(b, c->desc);
  sb_puts(b, ": ");
  if (c->kind == VT_NUM) {
    /* a degree is what the applicant holds, not its class ("masters or higher") */
    if (c->display != DISP_DEGREE || c->observed < 1 ||
        !imhe_explain_degree_held(b, c->res->prog, r, c->res->as_of))
      imhe_explain_quantity(b, c->res->prog, c->observed, c->unit, c->display);
    sb_puts(b, "; required ");
    required_text(b, c);
    if (c->notes) {
      sb_puts(b, " (");
      imhe_explain_reasons(b, r, c->notes);
      sb_putc(b, ')');
    }
  } else if (c->notes)
    imhe_explain_reasons(b, r, c->notes);
  else
    sb_puts(b, c->status == IMHE_STATUS_PASS ? "yes" : "no");
}

int imhe_explain_none_allowed(struct sbuf *b, const struct imhe_cond_result *c) {
  if (c->kind != VT_NUM || c->unit != IMHE_UNIT_COUNT || c->required != 0 ||
      (c->cmp != CMP_EQ && c->cmp != CMP_LE))
    return 0;
  if (c->observed < 1) {
    sb_puts(b, "every entry does");
    return 1;
  }
  sb_num2(b, c->observed);
  sb_puts(b, c->observed == 1 ? " entry does not" : " entries do not");
  return 1;
}

static int code_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
}

void imhe_explain_codes_plain(char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    size_t j = i;
    while (j < n && code_char(s[j]))
      j++;
    if (!memchr(s + i, '_', j - i)) { /* a word, not a code */
      i = j;
      continue;
    }
    for (size_t p = i; p < j; p++) { /* each part of the code, "rsc" as "RSC" */
      size_t q = p;
      while (q < j && s[q] != '_')
        q++;
      if (q - p == 3 && !memcmp(s + p, "rsc", 3))
        memcpy(s + p, "RSC", 3);
      if (q < j)
        s[q] = ' ';
      p = q;
    }
    i = j;
  }
}

void imhe_explain_condition_words(struct sbuf *b, const struct imhe_cond_result *c) {
  size_t at = b->n;
  sb_puts(b, c->desc);
  sb_puts(b, ": ");
  if (!imhe_explain_none_allowed(b, c)) {
    b->n = at;
    imhe_explain_condition(b, c);
    imhe_explain_codes_plain(b->v + at, strlen(c->desc));
    return;
  }
  imhe_explain_codes_plain(b->v + at, strlen(c->desc));
  if (c->notes) {
    sb_puts(b, " (");
    imhe_explain_reasons(b, c->res->record, c->notes);
    sb_putc(b, ')');
  }
}

void imhe_explain_fee_note(struct sbuf *b, const struct imhe_result *res, int i) {
  sb_puts(b, res->fees.notes[i]);
  if (res->fees.note_why[i]) {
    sb_puts(b, ": ");
    imhe_explain_reasons(b, res->record, res->fees.note_why[i]);
  }
}

/* The length of the field path opening s ("training[0].hours" before ": "), 0 when there is none:
 * names of lower-case letters, digits and '_', each with an optional [index], joined by '.'. */
static size_t path_length(const char *s) {
  size_t i = 0;
  for (;;) {
    size_t name = i;
    while ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_')
      i++;
    if (i == name)
      return 0;
    if (s[i] == '[') {
      for (i++; s[i] >= '0' && s[i] <= '9'; i++)
        ;
      i += s[i] == ']'; /* the loader's paths close every index */
    }
    if (s[i] == ':' && s[i + 1] == ' ')
      return i;
    if (s[i] != '.')
      return 0;
    i++;
  }
}

void imhe_explain_message(struct sbuf *b, const char *s) {
  size_t n = path_length(s);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && s[j] != '[' && s[j] != '.')
      j++;
    imhe_explain_plain(b, s + i, j - i);
    if (j < n && s[j] == '[') { /* "[0]" is the 1st entry: " 1" */
      unsigned long long k = 0;
      for (j++; s[j] != ']'; j++)
        k = k * 10 + (unsigned)(s[j] - '0');
      sb_putc(b, ' ');
      sb_uint(b, k + 1);
      j++;
      if (j < n)
        sb_putc(b, ',');
    }
    if (j < n)
      sb_putc(b, ' ');
    i = j + (j < n && s[j] == '.');
  }
  sb_puts(b, s + n);
}

const char *imhe_explain_verdict(imhe_verdict v) {
  switch (v) {
  case IMHE_VERDICT_ELIGIBLE:
    return "eligible";
  case IMHE_VERDICT_PENDING_EXAM:
    return "eligible once the written exam is passed";
  case IMHE_VERDICT_NOT_ELIGIBLE:
    return "not eligible";
  default:
    return "not judged: the record has errors";
  }
}

/* "100 h of RSC", "5 references": a quantity with what it counts, from the section measured. */
static void counted_quantity(struct sbuf *b, const struct imhe_cond_result *c, double v) {
  imhe_explain_quantity(b, c->res->prog, v, c->unit, c->display);
  if (c->counted_sec >= 0) {
    sb_puts(b, c->unit == IMHE_UNIT_COUNT ? " " : " of ");
    sb_plain(b, imhe_sections[c->counted_sec].name);
  }
}

void imhe_explain_fee_note_words(struct sbuf *b, const struct imhe_result *res, int i,
                                 int findings) {
  const struct imhe_cond_result *c = res->fees.coupon_cond;
  if (!c || i != res->fees.coupon_note) {
    imhe_explain_fee_note(b, res, i);
    return;
  }
  static const char *const words[CMP__COUNT] = {"at least ",  "more than ", "at most ",
                                                "less than ", "exactly ",   "other than "};
  sb_puts(b, res->fees.notes[i]);
  sb_puts(b, ": it needs ");
  sb_puts(b, words[c->cmp]);
  counted_quantity(b, c, c->required);
  sb_puts(b, ", and the record has ");
  imhe_explain_quantity(b, c->res->prog, c->observed, c->unit, c->display);
  if (c->notes && findings) {
    sb_puts(b, " (");
    imhe_explain_reasons(b, res->record, c->notes);
    sb_putc(b, ')');
  }
}

int imhe_explain_capped(struct sbuf *b, const struct imhe_cond_result *c) {
  const struct imhe_capped *cap = c->capped;
  if (!cap)
    return 0;
  imhe_explain_quantity(b, c->res->prog, c->observed - cap->limit, c->unit, c->display);
  if (cap->rest) {
    sb_putc(b, ' ');
    sb_plain(b, cap->rest);
  }
  sb_puts(b, " + ");
  imhe_explain_quantity(b, c->res->prog, cap->have, c->unit, c->display);
  if (cap->part) {
    sb_putc(b, ' ');
    sb_plain(b, cap->part);
  }
  sb_puts(b, ", of which ");
  sb_num2(b, cap->limit);
  sb_puts(b, " count");
  return 1;
}

int imhe_explain_in_capped(const struct imhe_cond_result *c, int sec, uint32_t i) {
  const struct imhe_capped *cap = c->capped;
  for (uint32_t k = 0; cap && cap->sec == sec && k < cap->n; k++)
    if (cap->idx[k] == i)
      return 1;
  return 0;
}

int imhe_explain_placed(const struct imhe_cond_result *c, uint32_t i) {
  const struct imhe_placing *pl = c->placing;
  if (!pl)
    return 1;
  for (uint32_t k = 0; k < pl->nslots; k++)
    if (pl->entry[k] == (int32_t)i)
      return 1;
  return 0;
}

/* "Pat Rowe (supervisor)", or "the 2nd reference (supervisor)" without a name. */
static void reference_name(struct sbuf *b, const struct imhe_record *r, uint32_t i) {
  const struct imhe_entry *e = &r->sec[IMHE_SECTION_REFERENCES].v[i];
  if (e->f[REF_NAME].present)
    sb_put(b, e->f[REF_NAME].v.text.s, e->f[REF_NAME].v.text.n);
  else {
    sb_puts(b, "the ");
    sb_ordinal(b, i + 1);
    sb_puts(b, " reference");
  }
  sb_puts(b, " ("); /* a reference's role is required: a record without one is not judged */
  const struct imhe_slot *role = &e->f[REF_ROLE]; /* as written, a word the program declares */
  if (role->v.codes.n)
    sb_plain(b, role->v.codes.v[0].s.s);
  sb_putc(b, ')');
}

void imhe_explain_unplaced(struct sbuf *b, const struct imhe_record *r,
                           const struct imhe_cond_result *c, uint32_t i) {
  const struct imhe_placing *pl = c->placing;
  /* a reference's role is required, and the program declares it: its word and index */
  const struct imhe_slot *rs = &r->sec[IMHE_SECTION_REFERENCES].v[i].f[REF_ROLE];
  const char *name = rs->v.codes.n ? rs->v.codes.v[0].s.s : "?";
  uint32_t bit = 0, fits = 0;
  for (uint32_t k = 0; k < pl->nwords; k++)
    if (!strcmp(pl->words[k], name))
      bit = 1u << k;
  for (uint32_t k = 0; k < pl->nslots; k++)
    fits += (pl->roles[k] & bit) != 0;
  sb_puts(b, strchr("aeiou", name[0]) || !strncmp(name, "rsc", 3) ? "an " : "a ");
  sb_plain(b, name);
  if (!fits) {
    sb_puts(b, " can fill none of the places");
    return;
  }
  sb_puts(b, " can fill only the ");
  /* a maximum matching leaves a reference out only when every place it fits is filled */
  for (uint32_t k = 0, n = 0; k < pl->nslots; k++)
    if (pl->roles[k] & bit) {
      sb_puts(b, !n++ ? "" : n == fits ? " and " : ", ");
      sb_ordinal(b, k + 1);
    }
  sb_puts(b, fits == 1 ? " place, which " : " places, which ");
  for (uint32_t k = 0, n = 0; k < pl->nslots; k++)
    if (pl->roles[k] & bit) {
      sb_puts(b, !n++ ? "" : n == fits ? " and " : ", ");
      reference_name(b, r, (uint32_t)pl->entry[k]);
    }
  sb_puts(b, fits == 1 ? " fills" : " fill");
}
