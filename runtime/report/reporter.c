/* reporter.c — the table of report formats and the lookup by name: adding a format is one file
 * defining its ops and one line here. */
#include "runtime/report/reporter.h"
#include <string.h>

const struct imhe_reporter_ops *const imhe_reporter_table[] = {
    &imhe_text_reporter,
    &imhe_json_reporter,
    &imhe_csv_reporter,
    &imhe_letter_reporter,
    &imhe_markdown_reporter,
    &imhe_html_reporter,
    NULL,
};

const struct imhe_reporter_ops *imhe_reporter_find(const char *name) {
  for (size_t i = 0; name && imhe_reporter_table[i]; i++)
    if (!strcmp(imhe_reporter_table[i]->name, name))
      return imhe_reporter_table[i];
  return NULL;
}
