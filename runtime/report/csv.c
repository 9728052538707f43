/* csv.c — the batch summary for coordinators' spreadsheets: a header row, then one row per record
 * (id, applicant, association, category, verdict, failed areas, total fees, next deadline), quoted
 * as RFC 4180 says (CRLF line ends; a field with a comma, quote or line break in double quotes). */
#include "runtime/core/dates.h"
#include "runtime/report/report.h"
#include "runtime/report/reporter.h"
#include <string.h>

/* A field as RFC 4180 writes it: as it is, or in double quotes with each quote doubled when it
 * holds a comma, a quote or a line break. The bytes are the record's (UTF-8) unchanged. */
static void csv_field(struct sbuf *b, const char *s, size_t n) {
  if (!s)
    return;
  size_t i = 0;
  while (i < n && s[i] != ',' && s[i] != '"' && s[i] != '\r' && s[i] != '\n')
    i++;
  if (i == n) {
    sb_put(b, s, n);
    return;
  }
  sb_putc(b, '"');
  for (const char *p = s, *end = s + n; p < end;) {
    const char *q = memchr(p, '"', (size_t)(end - p));
    size_t k = q ? (size_t)(q - p) + 1 : (size_t)(end - p);
    sb_put(b, p, k);
    if (q)
      sb_putc(b, '"');
    p += k;
  }
  sb_putc(b, '"');
}

static void csv_text(struct sbuf *b, const struct imhe_text *t) {
  csv_field(b, t->s, t->s ? t->n : 0);
}

static void csv_begin(struct sbuf *b, const imhe_render_options *o) {
  (void)o;
  sb_puts(b, "id,applicant,association,category,verdict,failed_areas,total_fees,next_deadline\r\n");
}

/* The failed areas by name, in name order, joined by ';'. */
static void csv_areas(struct sbuf *b, const struct imhe_result *res) {
  int order[IMHE_MAX_AREAS], n = imhe_areas_by_word(res->prog, res->failed_areas, order);
  for (int i = 0; i < n; i++) {
    if (i)
      sb_putc(b, ';');
    sb_puts(b, imhe_area_word(res->prog, order[i]));
  }
}

static void csv_record(struct sbuf *b, const struct imhe_result *res,
                       const imhe_render_options *o) {
  (void)o;
  const struct imhe_record *r = res->record;
  csv_text(b, &r->id);
  sb_putc(b, ',');
  csv_text(b, &r->applicant_name);
  sb_putc(b, ',');
  csv_text(b, &r->association);
  sb_putc(b, ',');
  if (res->category >= 0 && r->kind == IMHE_KIND_APPLICATION)
    sb_puts(b, imhe_cat_code(res->prog, res->category));
  sb_putc(b, ',');
  sb_puts(b, imhe_verdict_name(res->verdict));
  sb_putc(b, ',');
  csv_areas(b, res);
  sb_putc(b, ',');
  if (res->fees.present && res->fees.total >= 0) /* a renewal's: its total per year */
    sb_num2(b, res->fees.total);
  sb_putc(b, ',');
  if (res->next_deadline != IMHE_NO_DATE) {
    char s[11];
    imhe_format_date(res->next_deadline, s);
    sb_put(b, s, 10);
  }
  sb_puts(b, "\r\n");
}

const struct imhe_reporter_ops imhe_csv_reporter = {
    .name = "csv",
    .summary = "one row per record for spreadsheets (RFC 4180)",
    .begin = csv_begin,
    .record = csv_record,
};
