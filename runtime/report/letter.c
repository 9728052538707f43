/* letter.c — the deficiency report as plain text a reviewer can paste into a letter: no marks, no
 * rule ids or file names (unless verbose), lines wrapped at 78 columns; content from deficiency.c.
 */
#include "runtime/report/deficiency.h"
#include "runtime/report/reporter.h"
#include <string.h>

enum { WIDTH = 78 }; /* a letter's line */

/* Display columns of UTF-8 text. */
static size_t columns(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

/* Whether s[0..n) starts with a unit that must stay on its number's line ("22 h", "5 days"). */
static int unit_next(const char *s, size_t n) {
  static const char *const units[] = {"h", "days", "months", "years", "year", "families"};
  for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
    size_t k = strlen(units[u]);
    if (n >= k && !memcmp(s, units[u], k) && (n == k || !(s[k] >= 'a' && s[k] <= 'z')))
      return 1;
  }
  return 0;
}

/* s[0..n) after `prefix`, wrapped at spaces to WIDTH columns, continuation lines indented as far
 * as the prefix; a word longer than a line stays whole, a number keeps its unit. */
static void wrapped(struct sbuf *out, const char *prefix, const char *s, size_t n) {
  size_t indent = columns(prefix, strlen(prefix)), col = indent;
  sb_puts(out, prefix);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && s[j] != ' ')
      j++;
    if (j > i && j + 1 < n && s[j - 1] >= '0' && s[j - 1] <= '9' && unit_next(s + j + 1, n - j - 1))
      for (j++; j < n && s[j] != ' ';)
        j++;
    size_t w = columns(s + i, j - i);
    if (col > indent && col + 1 + w > WIDTH) {
      sb_putc(out, '\n');
      for (size_t k = 0; k < indent; k++)
        sb_putc(out, ' ');
      col = indent;
    } else if (col > indent) {
      sb_putc(out, ' ');
      col++;
    }
    sb_put(out, s + i, j - i);
    col += w;
    for (i = j; i < n && s[i] == ' ';)
      i++;
  }
  sb_putc(out, '\n');
}

static void letter_block(struct sbuf *out, enum dfc_block kind, const char *s, size_t n) {
  static const char *const before[] = {
      [DFC_SUMMARY] = "\n", [DFC_SECTION] = "\n", [DFC_TAB] = "\n",    [DFC_REQUIREMENT] = "* ",
      [DFC_PARA] = "",      [DFC_ITEM] = "  - ",  [DFC_SOURCE] = "  ",
  };
  if (kind == DFC_LIST_BEGIN || kind == DFC_LIST_END)
    return;
  if (kind == DFC_SECTION) { /* headings in capitals: ours, never the record's words */
    sb_puts(out, before[kind]);
    for (size_t i = 0; i < n; i++)
      sb_putc(out, s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i]);
    sb_putc(out, '\n');
    return;
  }
  if (kind == DFC_SUMMARY || kind == DFC_TAB) /* a blank line, then the text */
    sb_putc(out, '\n');
  wrapped(out, kind == DFC_SUMMARY || kind == DFC_TAB ? "" : before[kind], s, n);
}

static const struct dfc_writer letter_writer = {letter_block, NULL};

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
