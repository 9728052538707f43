/* timeline.c — the applicant's timeline for the HTML deficiency report: work, leadership and RSC
 * entries as bars on a time axis (inline SVG, no script), entries left out shaded with their
 * reason, the part after the as-of date shaded, the best RSC window and the as-of date marked. */
#include "runtime/report/timeline.h"
#include "runtime/core/dates.h"
#include "runtime/report/deficiency.h"
#include "runtime/report/explain.h"
#include <string.h>

enum { WIDTH = 680, LABEL = 210, ROW = 18, TOP = 26, MAX_ROWS = 40 };

/* The sections drawn, their words and colours (dark enough to print). */
static const struct {
  const char *section, *words, *colour;
} drawn[] = {{"work", "Work", "#1f5f8b"},
             {"leadership", "Leadership", "#6b4c9a"},
             {"rsc", "RSC received", "#2e7d32"},
             {"rsc_provided", "RSC provided", "#8d5524"}};

struct axis {
  int32_t t0, t1; /* days shown */
};

static double x_of(const struct axis *a, int32_t d) {
  if (d < a->t0)
    d = a->t0;
  if (d > a->t1)
    d = a->t1;
  return LABEL + (double)(d - a->t0) * (WIDTH - LABEL - 10) / (double)(a->t1 - a->t0);
}

static void num(struct sbuf *b, double v) {
  sb_num2(b, v < 0 ? 0 : v);
}

static int section_index(const char *name) {
  for (int s = 0; s < IMHE_SECTION__COUNT; s++)
    if (!strcmp(imhe_sections[s].name, name))
      return s;
  return -1;
}

/* Why entry i of section sec was left out by a condition of the result (the first that left it
 * out, met or not), or NULL. */
static const struct imhe_why *left_out_why(const struct imhe_result *res, int sec, uint32_t i) {
  for (uint32_t r = 0; r < res->nrules; r++)
    for (uint32_t k = 0; k < res->rules[r].nconds; k++) {
      const struct imhe_cond_result *c = &res->rules[r].conds[k];
      if (c->counted_sec != sec)
        continue;
      for (uint32_t j = 0; j < c->nleft; j++)
        if (c->left_out[j].idx == i)
          return c->left_out[j].why;
    }
  return NULL;
}

/* The best window a failed or passed RSC measure chose, if any. */
static int best_window(const struct imhe_result *res, int32_t *from, int32_t *to) {
  for (uint32_t r = 0; r < res->nrules; r++)
    for (uint32_t k = 0; k < res->rules[r].nconds; k++)
      for (const struct imhe_why *w = res->rules[r].conds[k].notes; w; w = w->next)
        if (w->code == IMHE_REASON_BEST_WINDOW) {
          *from = w->date[0];
          *to = w->date[1];
          return 1;
        }
  return 0;
}

/* The span of the entries drawn, at most 15 years before the as-of date, and the as-of date. */
static int axis_of(const struct imhe_result *res, struct axis *a) {
  const struct imhe_record *r = res->record;
  int32_t asof = res->as_of == IMHE_NO_DATE ? 0 : res->as_of;
  a->t0 = INT32_MAX;
  a->t1 = asof;
  int rows = 0;
  for (size_t d = 0; d < sizeof drawn / sizeof drawn[0]; d++) {
    int sec = section_index(drawn[d].section);
    for (uint32_t i = 0; sec >= 0 && i < r->sec[sec].n; i++) {
      int32_t s, e;
      imhe_entry_dates(r, sec, i, &s, &e);
      if (s == INT32_MIN)
        continue;
      rows++;
      if (s < a->t0)
        a->t0 = s;
      if (e != INT32_MIN && e > a->t1)
        a->t1 = e;
    }
  }
  if (!rows || res->as_of == IMHE_NO_DATE)
    return 0;
  if (a->t0 < asof - 15 * 366)
    a->t0 = asof - 15 * 366;
  int y, m, dd;
  imhe_civil_from_days(a->t0, &y, &m, &dd);
  a->t0 = imhe_days_from_civil(y, 1, 1);
  imhe_civil_from_days(a->t1, &y, &m, &dd);
  a->t1 = imhe_days_from_civil(y + 1, 1, 1);
  return rows;
}

static void rect(struct sbuf *b, double x, double y, double w, double h, const char *fill) {
  sb_puts(b, "<rect x=\"");
  num(b, x);
  sb_puts(b, "\" y=\"");
  num(b, y);
  sb_puts(b, "\" width=\"");
  num(b, w < 1 ? 1 : w);
  sb_puts(b, "\" height=\"");
  num(b, h);
  sb_puts(b, "\" fill=\"");
  sb_puts(b, fill);
  sb_puts(b, "\">");
}

static void years(struct sbuf *b, const struct axis *a, int rows) {
  int y0, y1, m, d;
  imhe_civil_from_days(a->t0, &y0, &m, &d);
  imhe_civil_from_days(a->t1, &y1, &m, &d);
  int step = y1 - y0 > 8 ? 2 : 1;
  for (int y = y0; y <= y1; y += step) {
    double x = x_of(a, imhe_days_from_civil(y, 1, 1));
    sb_puts(b, "<line x1=\"");
    num(b, x);
    sb_puts(b, "\" x2=\"");
    num(b, x);
    sb_puts(b, "\" y1=\"16\" y2=\"");
    sb_uint(b, (unsigned)(TOP + rows * ROW));
    sb_puts(b, "\" stroke=\"#bbb\"/>");
    if (x < WIDTH - 30) { /* the last year's line closes the axis: no room for its label */
      sb_puts(b, "<text x=\"");
      num(b, x + 2);
      sb_puts(b, "\" y=\"12\">");
      sb_uint(b, (unsigned)y);
      sb_puts(b, "</text>");
    }
    sb_putc(b, '\n');
  }
}

/* One entry's bar: whole and hatched when left out (its reason as the bar's title), the part
 * after the as-of date hatched. */
static void bar(struct sbuf *b, const struct imhe_result *res, const struct axis *a, int sec,
                uint32_t i, int row, size_t d, const char *pat, timeline_escape esc) {
  const struct imhe_record *r = res->record;
  int32_t s, e;
  imhe_entry_dates(r, sec, i, &s, &e);
  if (e == INT32_MIN || e > a->t1)
    e = res->as_of > s ? res->as_of : s;
  double y = TOP + row * ROW;
  struct sbuf t = {0};
  sb_puts(&t, drawn[d].words);
  sb_putc(&t, ' ');
  sb_uint(&t, i + 1);
  const struct imhe_text *title = imhe_entry_title(r, sec, i);
  if (title && title->s) {
    sb_puts(&t, ": ");
    imhe_text_clean(&t, title->s, title->n);
  }
  sb_puts(b, "<text x=\"4\" y=\"");
  num(b, y + 12);
  sb_puts(b, "\">");
  size_t cut = t.n; /* the label column holds about 34 characters: cut at a character's start */
  if (cut > 34)
    for (cut = 33; cut && ((unsigned char)t.v[cut] & 0xC0) == 0x80;)
      cut--;
  esc(b, t.v, cut);
  sb_puts(b, cut < t.n ? "…</text>" : "</text>");
  const struct imhe_why *why = left_out_why(res, sec, i);
  double x0 = x_of(a, s), x1 = x_of(a, e);
  rect(b, x0, y + 3, x1 - x0, ROW - 6, drawn[d].colour);
  sb_puts(b, "<title>");
  esc(b, t.v, t.n);
  sb_puts(b, "</title></rect>\n");
  if (why || (res->as_of != IMHE_NO_DATE && e > res->as_of)) {
    double h0 = why ? x0 : x_of(a, res->as_of);
    t.n = 0;
    if (why) {
      sb_puts(&t, "not counted: ");
      imhe_explain_exclusion(&t, r, why);
    } else
      sb_puts(&t, "after the as-of date: not counted");
    rect(b, h0, y + 3, x1 - h0, ROW - 6, pat);
    sb_puts(b, "<title>");
    esc(b, t.v, t.n);
    sb_puts(b, "</title></rect>\n");
  }
  free(t.v);
}

void imhe_timeline_svg(struct sbuf *b, const struct imhe_result *res, const char *id,
                       timeline_escape esc) {
  struct axis a;
  int rows = axis_of(res, &a);
  if (!rows)
    return;
  if (rows > MAX_ROWS)
    rows = MAX_ROWS;
  int height = TOP + rows * ROW + 22;
  char pat[80];
  snprintf(pat, sizeof pat, "url(#h-%.60s)", id);
  sb_puts(b, "<figure class=\"timeline\">\n<svg role=\"img\" aria-labelledby=\"t-");
  sb_puts(b, id);
  sb_puts(b, "\" viewBox=\"0 0 ");
  sb_uint(b, WIDTH);
  sb_putc(b, ' ');
  sb_uint(b, (unsigned)height);
  sb_puts(b, "\" font-size=\"11\" font-family=\"sans-serif\"><title id=\"t-");
  sb_puts(b, id);
  sb_puts(b, "\">Timeline of work, leadership and RSC entries</title>\n<defs><pattern id=\"h-");
  sb_puts(b, id);
  sb_puts(b, "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
             "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/>"
             "<rect width=\"3\" height=\"6\" fill=\"#c62828\"/></pattern></defs>\n");
  years(b, &a, rows);
  int32_t w0, w1;
  if (best_window(res, &w0, &w1)) {
    rect(b, x_of(&a, w0), 16, x_of(&a, w1) - x_of(&a, w0), rows * ROW + TOP - 16, "#fff3c4");
    sb_puts(b, "<title>best RSC window</title></rect>\n");
  }
  int row = 0;
  for (size_t d = 0; d < sizeof drawn / sizeof drawn[0]; d++) {
    int sec = section_index(drawn[d].section);
    for (uint32_t i = 0; sec >= 0 && i < res->record->sec[sec].n && row < rows; i++) {
      int32_t s, e;
      imhe_entry_dates(res->record, sec, i, &s, &e);
      if (s != INT32_MIN)
        bar(b, res, &a, sec, i, row++, d, pat, esc);
    }
  }
  double xa = x_of(&a, res->as_of);
  sb_puts(b, "<line x1=\"");
  num(b, xa);
  sb_puts(b, "\" x2=\"");
  num(b, xa);
  sb_puts(b, "\" y1=\"16\" y2=\"");
  sb_uint(b, (unsigned)(TOP + rows * ROW));
  sb_puts(b, "\" stroke=\"#111\" stroke-width=\"2\"/><text x=\"");
  num(b, xa - 4);
  sb_puts(b, "\" y=\"");
  sb_uint(b, (unsigned)(TOP + rows * ROW + 14));
  sb_puts(b, "\" text-anchor=\"end\">as of ");
  char ds[11];
  imhe_format_date(res->as_of, ds);
  sb_puts(b, ds);
  sb_puts(b, "</text>\n</svg>\n<figcaption>Bars: entries by their dates. Hatched: not counted "
             "(hover for the reason). Shaded band: the best RSC window. Line: the as-of "
             "date.</figcaption>\n</figure>\n");
}
