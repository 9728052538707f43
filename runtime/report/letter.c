/* letter.c — the deficiency report as plain text a reviewer can paste into a letter: no marks, no
 * rule ids or file names (unless verbose), one block per applicant; content from deficiency.c. */
#include "runtime/report/deficiency.h"
#include "runtime/report/reporter.h"
#include <string.h>

static void letter_block(struct sbuf *out, enum dfc_block kind, const char *s, size_t n) {
  static const char *const before[] = {
      [DFC_SUMMARY] = "\n", [DFC_SECTION] = "\n", [DFC_TAB] = "\n",    [DFC_REQUIREMENT] = "* ",
      [DFC_PARA] = "",      [DFC_ITEM] = "  - ",  [DFC_SOURCE] = "  ",
  };
  if (kind == DFC_LIST_BEGIN || kind == DFC_LIST_END)
    return;
  sb_puts(out, before[kind]);
  if (kind == DFC_SECTION) /* headings in capitals: ours, never the record's words */
    for (size_t i = 0; i < n; i++)
      sb_putc(out, s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i]);
  else
    sb_put(out, s, n);
  sb_putc(out, '\n');
}

static const struct dfc_writer letter_writer = {letter_block, NULL};

/* Display columns of UTF-8 text, for the rule under the heading. */
static size_t columns(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

static void letter_record(struct sbuf *b, const struct imhe_result *res,
                          const imhe_render_options *o) {
  size_t start = b->n;
  imhe_deficiency_title(b, res);
  size_t width = columns(b->v + start, b->n - start);
  sb_putc(b, '\n');
  start = b->n;
  imhe_deficiency_category(b, res);
  size_t w2 = columns(b->v + start, b->n - start);
  sb_putc(b, '\n');
  for (size_t i = 0; i < (w2 > width ? w2 : width); i++)
    sb_putc(b, '=');
  sb_putc(b, '\n');
  struct dfc_options d = {.verbose = o && o->verbose};
  imhe_deficiency_body(b, &letter_writer, res, &d);
  sb_puts(b, "\n\n");
}

const struct imhe_reporter_ops imhe_letter_reporter = {
    .name = "letter",
    .summary = "deficiency report as plain text (imhe report --format text)",
    .record = letter_record,
};
