/* measure_table.h — the measures a policy can name, defined once. Each row drives the compiler's
 * resolution and checks of the measure, the verifier (operand, stack effect, sections), the VM
 * (OP_MEASURE dispatches to the row's handler), the disassembler and docs/opcodes.md.
 * A new measure is one row here and one handler, imhe_measure_HANDLER, in runtime/eval/measures.c.
 */
#ifndef IMHE_MEASURE_TABLE_H
#define IMHE_MEASURE_TABLE_H

#include "runtime/core/defs.h"
#include <stdint.h>

/* Arguments, one letter each, the entries first (letters that pop are C, F and D):
 *   C  entries: a section, a definition or a filtered list       popped (a collection)
 *   F  a numeric field of entries, as training.hours              popped (its collection); the
 *                                                                 field is operand c, its section b
 *   D  a date                                                     popped
 *   M  a whole number of months, 1 to 600, as 24 months           operand c
 *   R  1 to 8 sets of reference roles, as (supervisor, teacher)    operand c (a slot set)
 *   O  a competency domain of the catalogue, as TF                 operand c (a domain)
 *   K  one credential, as cda                                      operand c (a credential)
 * A measure without arguments is written as a bare name (degree), with them as a call.
 *
 * Sections its entries may come from: X(ID, "words") */
#define IMHE_MEASURE_SECTIONS(X)                                                                   \
  X(ANY, "any section")                                                                            \
  X(RANGED, "a section with date ranges")                                                          \
  X(RSC, "rsc")                                                                                    \
  X(REFERENCES, "references")
enum imhe_measure_sections {
#define X(id, words) MSEC_##id,
  IMHE_MEASURE_SECTIONS(X)
#undef X
      MSEC__COUNT
};

/* M(ID, "name", "arguments", sections, "refusal when the entries are of another section",
 *   result (NUM a number, BOOL yes/no), unit (FIELD: the field's), display, handler,
 *   "refusal when the argument after the entries is wrong (R: when their number is)", "its hint",
 *   "what it measures")
 * Rows with one name and different arguments are one measure of several forms (received). */
#define IMHE_MEASURES(M)                                                                           \
  M(SUM, "sum", "F", ANY, "", NUM, FIELD, PLAIN, sum, "sum needs a numeric field of entries",      \
    "e.g. sum(training.hours)",                                                                    \
    "sum of the field over the entries; a field spread over each entry's days counts only its "    \
    "days up to the as-of date")                                                                   \
  M(COUNT, "count", "C", ANY, "", NUM, COUNT, PLAIN, count, "", "", "number of entries")           \
  M(YEARS, "years", "C", RANGED, "needs entries with date ranges", NUM, DAYS, YEARS, years, "",    \
    "", "days in the union of the entries' ranges clipped to the as-of date (shown in years)")     \
  M(YEARS_POST_MASTERS, "years_post_masters", "C", RANGED, "needs entries with date ranges", NUM,  \
    DAYS, YEARS, years_post_masters, "", "",                                                       \
    "as years, each range clipped to start after the earliest masters-level degree")               \
  M(COVERAGE, "coverage", "C", RANGED, "needs entries with date ranges", NUM, DAYS, PLAIN,         \
    coverage, "", "", "days covered by the union of the entries' ranges up to the as-of date")     \
  M(RECEIVED, "received", "C", RSC, "needs entries with date ranges of rsc", NUM, HOURS, PLAIN,    \
    received, "", "",                                                                              \
    "RSC hours spread over each entry's days, days after the as-of date dropped")                  \
  M(RECEIVED_SINCE, "received", "CD", RSC, "spreads RSC hours: it needs rsc entries", NUM, HOURS,  \
    PLAIN, received_since, "the second argument of received is the date the period starts after",  \
    "e.g. received(qualified_rsc, as_of - 3 years)",                                               \
    "RSC hours spread over each entry's days that fall after the date and on or before the as-of " \
    "date")                                                                                        \
  M(WINDOW, "window", "CM", RSC, "spreads RSC hours: it needs rsc entries", NUM, HOURS, PLAIN,     \
    window, "the window's length is a whole number of months",                                     \
    "e.g. window(qualified_rsc, 24 months)",                                                       \
    "most RSC hours, spread evenly over each entry's days, in a window of that many months")       \
  M(SLOTS, "slots", "CR", REFERENCES, "matches references to roles", NUM, COUNT, PLAIN, slots,     \
    "slots takes references and 1 to 8 sets of roles",                                             \
    "e.g. slots(completed_references, (supervisor, teacher), (rsc_provider))",                     \
    "number of the role slots filled by a one-to-one matching of references to slots")             \
  M(COMPETENCIES, "competencies", "O", ANY, "", NUM, COUNT, PLAIN, competencies, "", "",           \
    "distinct competencies of the domain in the category's list, from training and education "     \
    "dated by the as-of date")                                                                     \
  M(HALF, "half", "O", ANY, "", NUM, COUNT, PLAIN, half, "", "",                                   \
    "half the number of the domain's competencies for the category, rounded up")                   \
  M(CREDENTIAL, "credential", "K", ANY, "", BOOL, NONE, PLAIN, credential,                         \
    "credential names one credential",                                                             \
    "one credential each: credential(cda) or credential(infant_toddler_credential)",               \
    "whether an education entry completed by the as-of date is the credential")                    \
  M(DEGREE, "degree", "", ANY, "", NUM, DEGREE, DEGREE, degree, "", "",                            \
    "highest degree level completed by the as-of date (0 none, 1 associate, 2 bachelors, 3 "       \
    "masters or higher)")                                                                          \
  M(YEARS_ENDORSED, "years_endorsed", "", ANY, "", NUM, COUNT, PLAIN, years_endorsed, "", "",      \
    "whole years from the earliest endorsement's earned date to the as-of date")                   \
  M(OVERCAPPED_TRAINING, "overcapped_training", "", ANY, "", NUM, COUNT, PLAIN,                    \
    overcapped_training, "", "", "training entries listing more competencies than whole hours")    \
  M(COMPETENCY_FAULTS, "education_competency_faults", "", ANY, "", NUM, COUNT, PLAIN,              \
    competency_faults, "", "",                                                                     \
    "education entries listing competencies without a transcript, or more than 12")

enum imhe_measure {
#define M(id, name, args, secs, secmsg, res, unit, disp, fn, argmsg, arghint, doc) MEASURE_##id,
  IMHE_MEASURES(M)
#undef M
      MEASURE__COUNT
};

/* What an argument letter carries as the instruction's operand. */
enum imhe_measure_operand { MOP_NONE, MOP_FIELD, MOP_MONTHS, MOP_SLOTSET, MOP_DOMAIN, MOP_CRED };

/* A row of the table, as the compiler, the verifier, the disassembler and the docs read it. */
struct imhe_measure_info {
  const char *name, *args;
  enum imhe_measure_sections sections;
  const char *section_refusal;
  enum imhe_vtype result; /* VT_NUM or VT_BOOL */
  int unit;               /* enum imhe_unit, or IMHE_MEASURE_FIELD_UNIT */
  int display;            /* enum imhe_display */
  const char *argument_refusal, *argument_hint;
  const char *doc;
};
#define IMHE_MEASURE_FIELD_UNIT (-1)
extern const struct imhe_measure_info imhe_measures[MEASURE__COUNT];
extern const char *const imhe_measure_section_words[MSEC__COUNT];

/* The values the measure pops (its C, F and D arguments), bottom first, as the type letters C and
 * D in out (NUL-terminated); returns their number. */
int imhe_measure_pops(enum imhe_measure m, char out[4]);
/* The operand its arguments give the instruction. */
enum imhe_measure_operand imhe_measure_operand(enum imhe_measure m);
/* Whether entries of section sec (enum imhe_section) may be measured by m. */
int imhe_measure_section_ok(enum imhe_measure m, int sec);

#endif
