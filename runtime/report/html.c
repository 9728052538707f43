/* html.c — the deficiency report as one self-contained HTML file: inline CSS, no script, nothing
 * fetched; an index table of the batch linking to each applicant, a page per applicant in print
 * (A4 or Letter), semantic headings. Rows and applicants stream; every string is escaped. */
#include "runtime/report/deficiency.h"
#include "runtime/report/reporter.h"
#include "runtime/report/timeline.h"
#include <string.h>

static void html_text(struct sbuf *out, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    size_t run = i;
    while (run < n && !strchr("&<>\"'", s[run]))
      run++;
    sb_put(out, s + i, run - i);
    if (run == n)
      break;
    i = run;
    switch (s[i]) {
    case '&':
      sb_puts(out, "&amp;");
      break;
    case '<':
      sb_puts(out, "&lt;");
      break;
    case '>':
      sb_puts(out, "&gt;");
      break;
    case '"':
      sb_puts(out, "&quot;");
      break;
    default:
      sb_puts(out, "&#39;");
    }
  }
}

static void html_block(struct sbuf *out, enum dfc_block kind, const char *s, size_t n) {
  static const char *const open[] = {
      [DFC_SUMMARY] = "<p class=\"summary\">",
      [DFC_SECTION] = "<h3>",
      [DFC_TAB] = "<h4>",
      [DFC_REQUIREMENT] = "<p class=\"req\">",
      [DFC_PARA] = "<p>",
      [DFC_LIST_BEGIN] = "<ul>",
      [DFC_ITEM] = "<li>",
      [DFC_LIST_END] = "</ul>",
      [DFC_SOURCE] = "<p class=\"source\">",
  };
  static const char *const close[] = {
      [DFC_SUMMARY] = "</p>",     [DFC_SECTION] = "</h3>", [DFC_TAB] = "</h4>",
      [DFC_REQUIREMENT] = "</p>", [DFC_PARA] = "</p>",     [DFC_LIST_BEGIN] = "",
      [DFC_ITEM] = "</li>",       [DFC_LIST_END] = "",     [DFC_SOURCE] = "</p>",
  };
  sb_puts(out, open[kind]);
  html_text(out, s, n);
  sb_puts(out, close[kind]);
  sb_putc(out, '\n');
}

/* The timeline, after the summary; its SVG ids are the applicant's anchor. */
static void html_figure(struct sbuf *out, const struct imhe_result *res) {
  struct sbuf id = {0};
  imhe_deficiency_anchor(&id, res);
  sb_putc(&id, 0);
  imhe_timeline_svg(out, res, id.v, html_text);
  free(id.v);
}

static const struct dfc_writer html_writer = {html_block, html_figure};

static const char style[] =
    "body{font:11pt/1.45 \"DejaVu Sans\",Arial,sans-serif;color:#111;background:#fff;"
    "max-width:46em;margin:1.5em auto;padding:0 1em}\n"
    "h1{font-size:1.5em}h2{font-size:1.3em;margin:.2em 0}h3{font-size:1.1em;margin:1.2em 0 .3em;"
    "border-bottom:1px solid #555}h4{font-size:1em;margin:.8em 0 .2em}\n"
    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #555;padding:.2em .4em;"
    "text-align:left;vertical-align:top}th{background:#e8e8e8}\n"
    ".assoc{font-size:.9em;color:#333;border-bottom:2px solid #111;padding-bottom:.2em}\n"
    ".category{margin:0 0 .6em}.summary{font-weight:bold;font-size:1.05em}\n"
    ".req{font-weight:bold;margin:.5em 0 .1em}.source{font-size:.9em;color:#333;margin:.1em 0 .6em}"
    "\nul{margin:.2em 0 .4em;padding-left:1.4em}a{color:#0645ad}\n"
    ".applicant{margin-top:2.5em}.timeline{margin:.6em 0}.timeline svg{width:100%;height:auto}"
    "figcaption{font-size:.85em;color:#333}\n"
    "@page{margin:12mm 14mm}\n"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:9pt}a{color:#111;"
    "text-decoration:none}.applicant{break-before:page;page-break-before:always;margin-top:0}"
    "h3,h4,.req{break-after:avoid;page-break-after:avoid}li{break-inside:avoid}"
    ".timeline svg{max-height:42mm}h3{margin-top:.8em}}\n";

static void html_begin(struct sbuf *b, const imhe_render_options *o) {
  (void)o;
  sb_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             "<title>Endorsement deficiency reports</title>\n<style>\n");
  sb_puts(b, style);
  sb_puts(b, "</style>\n</head>\n<body>\n<main>\n<section class=\"index\" "
             "aria-labelledby=\"index-title\">\n<h1 id=\"index-title\">Endorsement deficiency "
             "reports</h1>\n<table>\n<thead><tr><th scope=\"col\">Applicant</th>"
             "<th scope=\"col\">Category</th><th scope=\"col\">Verdict</th>"
             "<th scope=\"col\">Requirements unmet</th></tr></thead>\n<tbody>\n");
}

/* One row of the index: the applicant (a link to their report), category, verdict, unmet. */
static void html_index(struct sbuf *b, const struct imhe_result *res,
                       const imhe_render_options *o) {
  (void)o;
  struct sbuf t = {0};
  sb_puts(b, "<tr><td><a href=\"#");
  imhe_deficiency_anchor(b, res);
  sb_puts(b, "\">");
  imhe_deficiency_title(&t, res);
  html_text(b, t.v, t.n);
  sb_puts(b, "</a></td><td>");
  t.n = 0;
  imhe_deficiency_category(&t, res);
  html_text(b, t.v, t.n);
  sb_puts(b, "</td><td>");
  sb_puts(b, imhe_deficiency_verdict_words(res));
  sb_puts(b, "</td><td>");
  if (res->verdict == IMHE_VERDICT_INVALID)
    sb_puts(b, "–");
  else
    sb_uint(b, imhe_deficiency_unmet(res));
  sb_puts(b, "</td></tr>\n");
  free(t.v);
}

static void html_middle(struct sbuf *b, const imhe_render_options *o) {
  (void)o;
  sb_puts(b, "</tbody>\n</table>\n</section>\n");
}

static void html_record(struct sbuf *b, const struct imhe_result *res,
                        const imhe_render_options *o) {
  struct sbuf t = {0};
  sb_puts(b, "<section class=\"applicant\" id=\"");
  imhe_deficiency_anchor(b, res);
  sb_puts(b, "\">\n<header class=\"assoc\">");
  if (res->deadline_label && res->deadline_label[0])
    html_text(b, res->deadline_label, strlen(res->deadline_label));
  else
    sb_puts(b, "Endorsement review");
  sb_puts(b, "</header>\n<h2>");
  imhe_deficiency_title(&t, res);
  html_text(b, t.v, t.n);
  sb_puts(b, "</h2>\n<p class=\"category\">");
  t.n = 0;
  imhe_deficiency_category(&t, res);
  html_text(b, t.v, t.n);
  sb_puts(b, "</p>\n");
  free(t.v);
  struct dfc_options d = {.verbose = o && o->verbose};
  imhe_deficiency_body(b, &html_writer, res, &d);
  sb_puts(b, "</section>\n");
}

static void html_end(struct sbuf *b, const imhe_render_options *o) {
  (void)o;
  sb_puts(b, "</main>\n</body>\n</html>\n");
}

const struct imhe_reporter_ops imhe_html_reporter = {
    .name = "html",
    .summary = "deficiency report as one printable HTML file (imhe report --format html)",
    .begin = html_begin,
    .index = html_index,
    .middle = html_middle,
    .record = html_record,
    .end = html_end,
};
