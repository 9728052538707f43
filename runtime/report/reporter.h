/* reporter.h — the interface every report format implements, and the table of formats. A
 * reporter writes into a memory buffer; the caller moves the bytes to a file or a user's buffer. */
#ifndef IMHE_REPORTER_H
#define IMHE_REPORTER_H

#include "runtime/core/sbuf.h"
#include "runtime/eval/result.h"

/* One report format. begin and end may be NULL (nothing before the first record or after the
 * last). record writes one record's report; it reads res (and res->record) only. Functions of their
 * arguments alone: no state, so one format may write on many threads at once. */
struct imhe_reporter_ops {
  const char *name;    /* as --format names it: "text", "json" */
  const char *summary; /* one line for --help: "for people", "JSON Lines for programs" */
  void (*begin)(struct sbuf *out, const imhe_render_options *o);
  void (*record)(struct sbuf *out, const struct imhe_result *res, const imhe_render_options *o);
  void (*end)(struct sbuf *out, const imhe_render_options *o);
  /* Optional, for formats that open with a table of the whole batch (html): index writes the
   * record's row, which goes out as the record is judged; the records' bodies are held in a
   * temporary file until the last row and middle (which closes the table) are written. */
  void (*index)(struct sbuf *out, const struct imhe_result *res, const imhe_render_options *o);
  void (*middle)(struct sbuf *out, const imhe_render_options *o);
};

/* The ops of the built-in formats (text.c, json.c, csv.c; the deficiency report's letter.c,
 * markdown.c, html.c). */
extern const struct imhe_reporter_ops imhe_text_reporter, imhe_json_reporter, imhe_csv_reporter;
extern const struct imhe_reporter_ops imhe_letter_reporter, imhe_markdown_reporter,
    imhe_html_reporter;
/* The formats, in the order help lists them, ended by NULL. Adding a format is one file defining
 * its ops and one line in reporter.c. */
extern const struct imhe_reporter_ops *const imhe_reporter_table[];
/* The format called `name`, or NULL. */
const struct imhe_reporter_ops *imhe_reporter_find(const char *name);

#endif
