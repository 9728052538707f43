/* vocab.h — the names the policy language gives a meaning beyond its keywords and its measures:
 * named values, min and max, filter words, units, renewal schemes and deadline months,
 * each listed once. The measures are the rows of IMHE_MEASURES (runtime/bytecode/measure_table.h),
 * read from imhe_measures[] by the compiler, the reference's check and the editor generator
 * (editors/gen_editors.c) alike; these lists are expanded by the same three, so a new name cannot
 * go unmentioned. */
#ifndef IMHE_VOCAB_H
#define IMHE_VOCAB_H

#include "runtime/bytecode/program.h"
#include "runtime/core/dates.h"

/* Functions of quantities, called like measures (min(a, b)) but computed by the compiler's
 * arithmetic, not by a row of the measures table: X(name). */
#define IMHE_QUANTITY_FUNCTIONS(X) X("min") X("max")

/* Values a condition names without arguments besides the facts (IMHE_FACTS in
 * runtime/core/defs.h) and the measures written without arguments (the rows of IMHE_MEASURES whose
 * argument letters are ""): X(name). */
#define IMHE_NAMED_VALUES(X) X("as_of") X("submitted")

/* Words with a meaning inside a `where` filter only: `current`, `overlaps(C)`, `ages in track`. */
#define IMHE_FILTER_WORDS(X) X("current") X("overlaps") X("track")

/* Units after a number: X(word, unit, scale to the unit, display). N years are N × 365 days.
 * Plurals come first: "did you mean" offers the first of equally near words. */
#define IMHE_UNIT_WORDS(X)                                                                         \
  X("h", HOURS, 1, PLAIN)                                                                          \
  X("hours", HOURS, 1, PLAIN)                                                                      \
  X("hour", HOURS, 1, PLAIN)                                                                       \
  X("days", DAYS, 1, PLAIN)                                                                        \
  X("day", DAYS, 1, PLAIN)                                                                         \
  X("years", DAYS, 365, YEARS)                                                                     \
  X("year", DAYS, 365, YEARS)                                                                      \
  X("months", MONTHS, 1, PLAIN)                                                                    \
  X("month", MONTHS, 1, PLAIN)                                                                     \
  X("families", FAMILIES, 1, PLAIN)                                                                \
  X("family", FAMILIES, 1, PLAIN)

/* Fee kinds are declared by the catalogue (`defines fee`), their properties listed in
 * runtime/bytecode/program.h (IMHE_FEE_PROPERTIES); the months of `deadlines` (IMHE_MONTHS) live
 * in runtime/core/dates.h, so the disassembler names them from the same lists. */
/* Renewal schemes of `renewal SCHEME ...`, as enum imhe_renewal_scheme names them. */
#define IMHE_RENEWAL_SCHEMES(X) X(ANNUAL, "annual") X(CYCLE, "cycle")

#endif
