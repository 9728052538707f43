/* explain.c — turns a result's data into the words every report uses: quantities with units and
 * shortfalls, conditions as sentences, where an as-of date came from. */
#include "runtime/report/explain.h"
#include <math.h>
#include <string.h>

static const char *const asof_names[] = {"--as-of option", "submitted date", "renewal deadline",
                                         "today (no submitted date)"};
const char *imhe_as_of_words(imhe_as_of_source source) {
  return asof_names[source];
}

static const char *degree_name(double v) {
  int d = (int)v;
  return d <= 0 ? "no degree" : d == 1 ? "associate" : d == 2 ? "bachelors" : "masters or higher";
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

void imhe_explain_quantity(struct sbuf *b, double v, int unit, int disp) {
  if (disp == DISP_DEGREE) {
    sb_puts(b, degree_name(v));
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
    sb_puts(b, c->required >= 3   ? "masters or higher"
               : c->required >= 2 ? "bachelors or higher"
                                  : "an academic degree (associate or higher)");
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
  imhe_explain_quantity(b, c->required, c->unit, c->display);
  if (shortfall) {
    sb_puts(b, " (short ");
    imhe_explain_quantity(b, c->shortfall, c->unit, c->display);
    sb_putc(b, ')');
  }
}

/* "sentence: observed; required X (short Y) (what the measure found)" */
void imhe_explain_condition(struct sbuf *b, const struct imhe_cond_result *c) {
  sb_puts(b, c->desc);
  sb_puts(b, ": ");
  if (c->kind == VT_NUM) {
    imhe_explain_quantity(b, c->observed, c->unit, c->display);
    sb_puts(b, "; required ");
    required_text(b, c);
    if (c->note) {
      sb_puts(b, " (");
      sb_puts(b, c->note);
      sb_putc(b, ')');
    }
  } else
    sb_puts(b, c->note ? c->note : (c->status == IMHE_STATUS_PASS ? "yes" : "no"));
}
