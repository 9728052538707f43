/* measure_table.c — the measures table expanded from IMHE_MEASURES, and what follows from a row:
 * the values it pops, the operand it carries, the sections it accepts. */
#include "runtime/bytecode/measure_table.h"
#include "runtime/bytecode/program.h"
#include "runtime/records/schema.h"

#define IMHE_UNIT_FIELD IMHE_MEASURE_FIELD_UNIT /* in the rows: the field's unit */
const struct imhe_measure_info imhe_measures[MEASURE__COUNT] = {
#define M(id, name, args, secs, secmsg, res, unit, disp, fn, argmsg, arghint, doc)                 \
  {name, args, MSEC_##secs, secmsg, VT_##res, IMHE_UNIT_##unit, DISP_##disp, argmsg, arghint, doc},
    IMHE_MEASURES(M)
#undef M
};
#undef IMHE_UNIT_FIELD

const char *const imhe_measure_section_words[MSEC__COUNT] = {
#define X(id, words) words,
    IMHE_MEASURE_SECTIONS(X)
#undef X
};

int imhe_measure_pops(enum imhe_measure m, char out[4]) {
  int n = 0;
  for (const char *a = imhe_measures[m].args; *a && n < 3; a++)
    if (*a == 'C' || *a == 'F' || *a == 'D')
      out[n++] = *a == 'D' ? 'D' : 'C';
  out[n] = 0;
  return n;
}

enum imhe_measure_operand imhe_measure_operand(enum imhe_measure m) {
  for (const char *a = imhe_measures[m].args; *a; a++)
    switch (*a) {
    case 'F':
      return MOP_FIELD;
    case 'M':
      return MOP_MONTHS;
    case 'R':
      return MOP_SLOTSET;
    case 'O':
      return MOP_DOMAIN;
    case 'K':
      return MOP_CRED;
    }
  return MOP_NONE;
}

int imhe_measure_section_ok(enum imhe_measure m, int sec) {
  switch (imhe_measures[m].sections) {
  case MSEC_RANGED:
    return imhe_sections[sec].start >= 0;
  case MSEC_RSC:
    return sec == IMHE_SECTION_RSC;
  case MSEC_REFERENCES:
    return sec == IMHE_SECTION_REFERENCES;
  default:
    return 1;
  }
}
