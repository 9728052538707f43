/* recommend.c — `imhe recommend`: each applicant judged against every category their association
 * offers, whatever the record applied for; the categories met now, then the others ranked by
 * closeness, each with what it still needs. Built on the public API alone. */
#include "cli/options.h"
#include "runtime/core/sbuf.h"
#include <stdlib.h>
#include <string.h>

static const char *const usage_recommend =
    "usage: imhe recommend [--as-of YYYY-MM-DD] [--format text|json|markdown|html]\n"
    "                      [--rules DIR | --policy FILE]\n"
    "                      [--no-checksum] [-o OUT] FILE... | -\n"
    "\n"
    "Judges each application against every category its association offers (both\n"
    "tracks where offered), ignoring the category it applied for, and lists the\n"
    "categories met now, then the others ranked by closeness: fewest unmet\n"
    "requirements first, then the smallest shortfall (each unmet requirement counts\n"
    "the part of it missing, from 0 to 1), each with what it still needs.\n"
    "Renewals and reinstatements are listed as such and not ranked.\n"
    "  --as-of DATE    judge every record as of DATE (default: its submitted date)\n"
    "  --format F      text (default), json (JSON Lines, one object per record),\n"
    "                  markdown (CommonMark) or html (one self-contained file)\n"
    "  --rules DIR     directory of NAME.imhe policies (and cached NAME.imhec)\n"
    "  --policy FILE   judge every record with this .imhe or .imhec file\n"
    "  --no-checksum   accept compiled policies whose checksum does not match\n"
    "  -o OUT          write to OUT atomically instead of stdout\n"
    "exit: 0 every record ranked, 2 some record invalid, no record judged, or a\n"
    "usage, I/O or policy error\n";

/* One category the applicant was judged against. */
struct candidate {
  const char *category;
  imhe_result *res;
  unsigned unmet;
  double shortfall; /* sum over unmet requirements of the part missing, 0..1 each */
  size_t order;     /* the policy's order, to break ties */
};

static int met(const struct candidate *c) {
  imhe_verdict v = imhe_result_verdict(c->res);
  return v == IMHE_VERDICT_ELIGIBLE || v == IMHE_VERDICT_PENDING_EXAM;
}

/* The part of a failed condition that is missing: shortfall / required for quantities, else all
 * of it. */
static double missing_part(const imhe_condition *c) {
  imhe_value req = imhe_condition_required(c), sh = imhe_condition_shortfall(c);
  if (req.type != IMHE_VALUE_NUMBER || sh.type != IMHE_VALUE_NUMBER || req.number <= 0)
    return 1;
  double f = sh.number / req.number;
  return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* Unmet requirements and their shortfall; a requirement's is its largest condition's. */
static void measure(struct candidate *c) {
  for (size_t i = 0; i < imhe_result_rule_count(c->res); i++) {
    const imhe_rule_result *r = imhe_result_rule(c->res, i);
    if (imhe_rule_status(r) != IMHE_STATUS_FAIL)
      continue;
    c->unmet++;
    double worst = imhe_rule_condition_count(r) ? 0 : 1;
    for (size_t k = 0; k < imhe_rule_condition_count(r); k++) {
      const imhe_condition *cd = imhe_rule_condition(r, k);
      if (imhe_condition_status(cd) == IMHE_STATUS_FAIL && missing_part(cd) > worst)
        worst = missing_part(cd);
    }
    c->shortfall += worst;
  }
}

static int closer(const void *a, const void *b) {
  const struct candidate *x = a, *y = b;
  if (met(x) != met(y))
    return met(y) - met(x);
  if (x->unmet != y->unmet)
    return x->unmet < y->unmet ? -1 : 1;
  if (x->shortfall != y->shortfall)
    return x->shortfall < y->shortfall ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static void put_str(struct sbuf *b, const char *s) {
  sb_jstr(b, s ? s : "");
}

/* A failed rule's needs: its reason's words, or its failed conditions' sentences. */
static void each_need(const imhe_rule_result *r, void (*put)(void *, const char *), void *arg) {
  const char *words;
  if (imhe_rule_reason(r, &words) != IMHE_REASON__COUNT) {
    put(arg, words);
    return;
  }
  for (size_t k = 0; k < imhe_rule_condition_count(r); k++) {
    const imhe_condition *cd = imhe_rule_condition(r, k);
    if (imhe_condition_status(cd) == IMHE_STATUS_FAIL)
      put(arg, imhe_condition_sentence(cd));
  }
}

/* A need in text: the condition's sentence, without the rule's words it repeats. */
struct text_arg {
  FILE *f;
  const char *rule;
};

static void text_need(void *arg, const char *s) {
  const struct text_arg *a = arg;
  size_t n = strlen(a->rule);
  if (!strncmp(s, a->rule, n) && !strncmp(s + n, ": ", 2))
    s += n + 2;
  fprintf(a->f, "         - %s\n", s);
}

static void text_candidates(FILE *f, const struct candidate *c, size_t n) {
  size_t nmet = 0;
  fputs("  met now:", f);
  for (size_t i = 0; i < n && met(&c[i]); i++, nmet++)
    fprintf(f, "%s %s%s", nmet ? "," : "", c[i].category,
            imhe_result_verdict(c[i].res) == IMHE_VERDICT_PENDING_EXAM
                ? " (once the exam is passed)"
                : "");
  fputs(nmet ? "\n" : " none\n", f);
  if (nmet < n)
    fputs("  closest first:\n", f);
  for (size_t i = nmet; i < n; i++) {
    fprintf(f, "    %zu. %s: %u requirement%s unmet (shortfall %.2f)\n", i - nmet + 1,
            c[i].category, c[i].unmet, c[i].unmet == 1 ? "" : "s", c[i].shortfall);
    for (size_t r = 0; r < imhe_result_rule_count(c[i].res); r++) {
      const imhe_rule_result *rr = imhe_result_rule(c[i].res, r);
      if (imhe_rule_status(rr) != IMHE_STATUS_FAIL)
        continue;
      struct text_arg a = {f, imhe_rule_description(rr)};
      fprintf(f, "       %s: %s\n", imhe_rule_area(rr), a.rule);
      each_need(rr, text_need, &a);
    }
  }
}

static void json_need(void *arg, const char *s) {
  struct sbuf *b = arg;
  if (b->v[b->n - 1] != '[')
    sb_putc(b, ',');
  put_str(b, s);
}

static void json_candidate(struct sbuf *b, const struct candidate *c) {
  sb_puts(b, "{\"category\":");
  put_str(b, c->category);
  sb_puts(b, ",\"verdict\":");
  put_str(b, imhe_verdict_name(imhe_result_verdict(c->res)));
  sb_puts(b, ",\"unmet\":");
  sb_uint(b, c->unmet);
  sb_puts(b, ",\"shortfall\":");
  sb_num2(b, c->shortfall);
  sb_puts(b, ",\"needs\":[");
  int first = 1;
  for (size_t r = 0; r < imhe_result_rule_count(c->res); r++) {
    const imhe_rule_result *rr = imhe_result_rule(c->res, r);
    if (imhe_rule_status(rr) != IMHE_STATUS_FAIL)
      continue;
    sb_puts(b, first ? "{\"rule\":" : ",{\"rule\":");
    first = 0;
    put_str(b, imhe_rule_id(rr));
    sb_puts(b, ",\"area\":");
    put_str(b, imhe_rule_area(rr));
    sb_puts(b, ",\"description\":");
    put_str(b, imhe_rule_description(rr));
    sb_puts(b, ",\"unmet\":[");
    each_need(rr, json_need, b);
    sb_puts(b, "]}");
  }
  sb_puts(b, "]}");
}

static void header_json(struct sbuf *b, const imhe_record *rec, const imhe_result *own) {
  sb_puts(b, "{\"id\":");
  put_str(b, imhe_record_id(rec));
  sb_puts(b, ",\"applicant\":");
  put_str(b, imhe_record_applicant(rec));
  sb_puts(b, ",\"association\":");
  put_str(b, imhe_record_association(rec));
  sb_puts(b, ",\"kind\":");
  put_str(b, imhe_record_kind_name(imhe_record_kind_of(rec)));
  imhe_date d = imhe_result_as_of(own);
  char date[16] = "";
  if (d.year)
    snprintf(date, sizeof date, "%04d-%02d-%02d", d.year, d.month, d.day);
  sb_puts(b, ",\"as_of\":");
  if (d.year)
    put_str(b, date);
  else
    sb_puts(b, "null");
}

static void write_json(FILE *f, const imhe_record *rec, const imhe_result *own,
                       const struct candidate *c, size_t n, const char *problem) {
  struct sbuf b = {0};
  header_json(&b, rec, own);
  sb_puts(&b, ",\"problem\":");
  if (problem)
    put_str(&b, problem);
  else
    sb_puts(&b, "null");
  sb_puts(&b, ",\"met\":[");
  for (size_t i = 0; i < n && met(&c[i]); i++) {
    if (i)
      sb_putc(&b, ',');
    put_str(&b, c[i].category);
  }
  sb_puts(&b, "],\"categories\":[");
  for (size_t i = 0; i < n; i++) {
    if (i)
      sb_putc(&b, ',');
    json_candidate(&b, &c[i]);
  }
  sb_puts(&b, "]}\n");
  fwrite(b.v, 1, b.n, f);
  free(b.v);
}

/* Markdown and HTML. The command line sees only the public API, so it escapes for itself (the
 * library's escaping belongs to its reporters): every string, record text included, shows as
 * written. */
static void md_put(struct sbuf *b, const char *s) {
  for (; s && *s; s++) {
    if (strchr("\\`*_[]<>&!|~#", *s))
      sb_putc(b, '\\');
    sb_putc(b, *s == '\n' || *s == '\r' ? ' ' : *s);
  }
}

static void html_put(struct sbuf *b, const char *s) {
  for (; s && *s; s++)
    switch (*s) {
    case '&':
      sb_puts(b, "&amp;");
      break;
    case '<':
      sb_puts(b, "&lt;");
      break;
    case '>':
      sb_puts(b, "&gt;");
      break;
    case '"':
      sb_puts(b, "&quot;");
      break;
    case '\'':
      sb_puts(b, "&#39;");
      break;
    default:
      sb_putc(b, *s);
    }
}

/* The needs of candidate c as list items: "- area: requirement: what is missing". */
struct rich_arg {
  struct sbuf *b;
  void (*put)(struct sbuf *, const char *);
  const char *rule, *open, *close;
};

static void rich_need(void *arg, const char *s) {
  const struct rich_arg *a = arg;
  size_t n = strlen(a->rule);
  if (!strncmp(s, a->rule, n) && !strncmp(s + n, ": ", 2))
    s += n + 2;
  sb_puts(a->b, a->open);
  a->put(a->b, a->rule);
  sb_puts(a->b, ": ");
  a->put(a->b, s);
  sb_puts(a->b, a->close);
}

static void rich_needs(struct sbuf *b, const struct candidate *c, int html) {
  for (size_t r = 0; r < imhe_result_rule_count(c->res); r++) {
    const imhe_rule_result *rr = imhe_result_rule(c->res, r);
    if (imhe_rule_status(rr) != IMHE_STATUS_FAIL)
      continue;
    struct rich_arg a = {b, html ? html_put : md_put, imhe_rule_description(rr),
                         html ? "<li>" : "   - ", html ? "</li>\n" : "\n"};
    each_need(rr, rich_need, &a);
  }
}

/* One applicant in Markdown (html 0) or HTML: heading, the categories met, the others ranked. */
static void write_rich(FILE *f, const imhe_record *rec, const struct candidate *c, size_t n,
                       const char *problem, int html) {
  void (*put)(struct sbuf *, const char *) = html ? html_put : md_put;
  struct sbuf b = {0};
  const char *id = imhe_record_id(rec), *assoc = imhe_record_association(rec);
  sb_puts(&b, html ? "<section>\n<h2>" : "## ");
  put(&b, imhe_record_applicant(rec) ? imhe_record_applicant(rec) : "Applicant");
  sb_puts(&b, " (");
  put(&b, id ? id : "no id");
  sb_puts(&b, "), ");
  put(&b, assoc ? assoc : "?");
  sb_puts(&b, html ? "</h2>\n<p>" : "\n\n");
  size_t nmet = 0;
  if (problem) {
    sb_puts(&b, "Not ranked: ");
    put(&b, problem);
  } else {
    sb_puts(&b, "Met now: ");
    for (; nmet < n && met(&c[nmet]); nmet++) {
      sb_puts(&b, nmet ? ", " : "");
      put(&b, c[nmet].category);
    }
    sb_puts(&b, nmet ? "" : "none");
  }
  sb_puts(&b, html ? "</p>\n" : "\n\n");
  if (nmet < n && html)
    sb_puts(&b, "<table>\n<thead><tr><th scope=\"col\">Rank</th><th scope=\"col\">Category</th>"
                "<th scope=\"col\">Unmet</th><th scope=\"col\">Shortfall</th>"
                "<th scope=\"col\">Still needed</th></tr></thead>\n<tbody>\n");
  for (size_t i = nmet; i < n; i++) {
    char head[160];
    snprintf(head, sizeof head,
             html ? "<tr><td>%zu</td><td>%s</td><td>%u</td><td>%.2f</td><td><ul>\n"
                  : "%zu. **%s**: %u unmet, shortfall %.2f\n",
             i - nmet + 1, c[i].category, c[i].unmet, c[i].shortfall);
    sb_puts(&b, head);
    rich_needs(&b, &c[i], html);
    sb_puts(&b, html ? "</ul></td></tr>\n" : "");
  }
  if (nmet < n)
    sb_puts(&b, html ? "</tbody>\n</table>\n" : "\n");
  sb_puts(&b, html ? "</section>\n" : "");
  fwrite(b.v, 1, b.n, f);
  free(b.v);
}

static void recommend_begin(FILE *f, const char *format) {
  if (!strcmp(format, "html"))
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<title>Endorsement categories by closeness</title>\n<style>\n"
          "body{font:11pt/1.4 sans-serif;color:#111;max-width:60em;margin:1.5em auto;padding:0 1em}"
          "\ntable{border-collapse:collapse;width:100%}th,td{border:1px solid #555;padding:.2em "
          ".4em;text-align:left;vertical-align:top}th{background:#e8e8e8}ul{margin:0;"
          "padding-left:1.2em}\n@media print{section{break-inside:avoid-page}}\n</style>\n"
          "</head>\n<body>\n<main>\n<h1>Endorsement categories by closeness</h1>\n",
          f);
}

static void recommend_end(FILE *f, const char *format) {
  if (!strcmp(format, "html"))
    fputs("</main>\n</body>\n</html>\n", f);
}

/* Why a record is not ranked: it cannot be judged, or it is not an application. */
static const char *problem_of(const imhe_record *rec, const imhe_result *own, imhe_error *e) {
  if (imhe_result_verdict(own) == IMHE_VERDICT_INVALID) {
    for (size_t i = 0; i < imhe_result_message_count(own); i++) {
      int is_error;
      if (imhe_result_message(own, i, &is_error, e) && is_error)
        return e->message;
    }
    return "the record cannot be judged";
  }
  if (imhe_record_kind_of(rec) != IMHE_KIND_APPLICATION)
    return "not an application: recommend ranks categories for applicants";
  return NULL;
}

/* Judges rec as every category of its association's policy and writes the ranking. */
static int recommend_one(const imhe_policy_set *set, const imhe_record *rec,
                         const imhe_judge_options *o, const char *format, FILE *f) {
  imhe_result *own;
  imhe_error e;
  if (imhe_judge(set, rec, o, &own, &e) != IMHE_OK) {
    fprintf(stderr, "imhe recommend: %s\n", e.message);
    return 2;
  }
  imhe_error why;
  const char *problem = problem_of(rec, own, &why);
  const imhe_policy *p = imhe_policy_set_find(set, imhe_record_association(rec));
  size_t n = problem || !p ? 0 : imhe_policy_category_count(p), k = 0;
  struct candidate *c = calloc(n + 1, sizeof *c);
  for (size_t i = 0; c && i < n; i++) {
    imhe_judge_options as = *o;
    as.category = imhe_policy_category(p, i);
    if (imhe_judge(set, rec, &as, &c[k].res, &e) != IMHE_OK)
      continue;
    c[k].category = as.category;
    c[k].order = i;
    measure(&c[k++]);
  }
  if (c)
    qsort(c, k, sizeof *c, closer);
  if (!strcmp(format, "json"))
    write_json(f, rec, own, c, k, problem);
  else if (strcmp(format, "text"))
    write_rich(f, rec, c, k, problem, !strcmp(format, "html"));
  else {
    const char *id = imhe_record_id(rec), *name = imhe_record_applicant(rec),
               *assoc = imhe_record_association(rec);
    fprintf(f, "%s  %s  (%s)\n", id ? id : "<no id>", name ? name : "", assoc ? assoc : "?");
    if (problem)
      fprintf(f, "  not ranked: %s\n", problem);
    else
      text_candidates(f, c, k);
    fputc('\n', f);
  }
  for (size_t i = 0; i < k; i++)
    imhe_result_free(c[i].res);
  free(c);
  int invalid = imhe_result_verdict(own) == IMHE_VERDICT_INVALID;
  imhe_result_free(own);
  return invalid ? 2 : 0;
}

int imhe_cli_recommend(int argc, char **argv) {
  static const char *const formats[] = {"text", "json", "markdown", "html", NULL};
  static const struct imhe_cli_writer w = {formats, recommend_one, recommend_begin, recommend_end};
  return imhe_cli_judging("recommend", usage_recommend, &w, argc, argv);
}
