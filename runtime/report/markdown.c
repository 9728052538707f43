/* markdown.c — the deficiency report in CommonMark: a heading per applicant, sections and tabs as
 * headings, details as lists; every string is escaped so a record's `*` or `<b>` prints as itself.
 */
#include "runtime/report/deficiency.h"
#include "runtime/report/reporter.h"
#include <string.h>

/* Text that CommonMark shows as written: ASCII punctuation that could open emphasis, code, links,
 * HTML or entities is backslash-escaped. Blocks that start a line (the category line, paragraphs)
 * open with imhe's own words, never a record's, so no list, quote or heading marker is escaped;
 * record text reaches here cleaned (imhe_text_clean), without NUL bytes. */
static void md_text(struct sbuf *out, const char *s, size_t n) {
  static const char special[] = "\\`*_[]<>&!|~#";
  for (size_t i = 0; i < n; i++) {
    if (memchr(special, s[i], sizeof special - 1))
      sb_putc(out, '\\');
    sb_putc(out, s[i]);
  }
}

static void md_block(struct sbuf *out, enum dfc_block kind, const char *s, size_t n) {
  static const char *const before[] = {
      [DFC_SUMMARY] = "**", [DFC_SECTION] = "### ", [DFC_TAB] = "#### ", [DFC_REQUIREMENT] = "**",
      [DFC_PARA] = "",      [DFC_ITEM] = "- ",      [DFC_SOURCE] = "*",
  };
  static const char *const after[] = {
      [DFC_SUMMARY] = "**\n\n",     [DFC_SECTION] = "\n\n", [DFC_TAB] = "\n\n",
      [DFC_REQUIREMENT] = "**\n\n", [DFC_PARA] = "\n\n",    [DFC_ITEM] = "\n",
      [DFC_SOURCE] = "*\n\n",
  };
  if (kind == DFC_LIST_BEGIN)
    return;
  if (kind == DFC_LIST_END) {
    sb_putc(out, '\n');
    return;
  }
  sb_puts(out, before[kind]);
  md_text(out, s, n);
  sb_puts(out, after[kind]);
}

static const struct dfc_writer md_writer = {md_block, NULL};

static void md_record(struct sbuf *b, const struct imhe_result *res, const imhe_render_options *o) {
  struct sbuf t = {0};
  imhe_deficiency_title(&t, res);
  sb_puts(b, "## ");
  md_text(b, t.v, t.n);
  sb_puts(b, "\n\n");
  t.n = 0;
  imhe_deficiency_category(&t, res);
  md_text(b, t.v, t.n);
  sb_puts(b, "\n\n");
  free(t.v);
  struct dfc_options d = {.verbose = o && o->verbose};
  imhe_deficiency_body(b, &md_writer, res, &d);
  sb_puts(b, "---\n\n");
}

const struct imhe_reporter_ops imhe_markdown_reporter = {
    .name = "markdown",
    .summary = "deficiency report in CommonMark (imhe report --format markdown)",
    .record = md_record,
};
