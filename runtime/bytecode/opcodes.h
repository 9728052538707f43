/* opcodes.h — the instruction set, defined once as an X-macro list.
 * Expanded for the enum, names, the verifier's stack effects, the VM's dispatch and the
 * disassembler. */
#ifndef IMHE_OPCODES_H
#define IMHE_OPCODES_H

#include <stdint.h>

/* Every instruction is 8 bytes: op (u8), a (u8), b (u16), c (u32), little-endian.
 * Operand layouts (what a, b and c mean), used by the verifier and disassembler. */
#define IMHE_OPERAND_KINDS(X)                                                                      \
  X(NONE)          /* no operands */                                                               \
  X(CONST)         /* a unit, c constant index */                                                  \
  X(DATE)          /* c a date (days since 1970-01-01) */                                          \
  X(SECTION)       /* a section */                                                                 \
  X(FIELD_MASK)    /* a field, b section, c value mask */                                          \
  X(FIELD)         /* a field, b section */                                                        \
  X(FIELD_FLAG)    /* a field, b section, c 0 or 1 */                                              \
  X(FIELD_CMP)     /* a field, b section, c comparison */                                          \
  X(FLAG)          /* c 0 or 1 */                                                                  \
  X(MONTHS)        /* c a number of months (1..600) */                                             \
  X(MONTHS_SIGNED) /* c a signed number of months (-1200..1200) */                                 \
  X(COND_QUIET)    /* a a comparison */                                                            \
  X(SLOTSET)       /* c slot-set index */                                                          \
  X(DOMAIN)        /* a catalogue domain index */                                                  \
  X(CRED)          /* a credential */                                                              \
  X(FACT)          /* a fact */                                                                    \
  X(COND)          /* a comparison, c condition index */                                           \
  X(TARGET)        /* c absolute byte offset of a later instruction */                             \
  X(RULE)          /* c rule index */
enum imhe_operand_kind {
#define X(k) OK_##k,
  IMHE_OPERAND_KINDS(X)
#undef X
};

/* OP(name, operands, pops, pushes, synopsis). Type letters: N number, D date,
 * B truth, T pass/fail/pending, C collection, ? any, / alternatives for one
 * slot (the verifier's notation). `!` in pushes marks a terminal instruction. */
#define IMHE_OPCODES(OP)                                                                           \
  OP(CONST, CONST, "", "N", "push K[c], a quantity in unit a")                                     \
  OP(DATE, DATE, "", "D", "push the date c")                                                       \
  OP(ASOF, NONE, "", "D", "push the record's as-of date")                                          \
  OP(SECTION, SECTION, "", "C",                                                                    \
     "push the entries of section a, less those dated after the as-of date")                       \
  OP(F_ENUM, FIELD_MASK, "C", "C",                                                                 \
     "keep entries whose field a (enum) is one of the values in mask c")                           \
  OP(F_SET, FIELD_MASK, "C", "C", "keep entries whose field a (a set) shares a value with mask c") \
  OP(F_TRACK, FIELD, "C", "C",                                                                     \
     "keep entries whose ages (field a) serve the applied category's track")                       \
  OP(F_BOOL, FIELD_FLAG, "C", "C", "keep entries whose field a (absent = false) equals c")         \
  OP(F_PRESENT, FIELD_FLAG, "C", "C",                                                              \
     "keep entries where field a is present (c=1) or absent (c=0)")                                \
  OP(F_CMP, FIELD_CMP, "C N/D", "C", "pop v; keep entries whose field a compares (c) true with v") \
  OP(F_CURRENT, NONE, "C", "C",                                                                    \
     "keep entries started by the as-of date that have no end or end on or "                       \
     "after it")                                                                                   \
  OP(F_OVERLAP, NONE, "C C", "C",                                                                  \
     "pop r; keep entries of the collection below that overlap a range of r "                      \
     "by at least one day")                                                                        \
  OP(UNION, NONE, "C C", "C", "pop two collections of one section, push both")                     \
  OP(MINUS, NONE, "C C", "C", "pop r, pop l; push the entries of l not in r")                      \
  OP(DUP, NONE, "?", "? ?", "duplicate the top of the stack")                                      \
  OP(SWAP, NONE, "? ?", "? ?", "swap the two top values")                                          \
  OP(SUM, FIELD, "C", "N",                                                                         \
     "sum of numeric field a over the collection; a field spread over each entry's days "          \
     "counts only its days up to the as-of date")                                                  \
  OP(COUNT, NONE, "C", "N", "number of entries")                                                   \
  OP(YEARS, FLAG, "C", "N",                                                                        \
     "days in the union of the entries' ranges clipped to the as-of date; "                        \
     "c=1 also clips each to start after the earliest masters-level degree")                       \
  OP(WINDOW, MONTHS, "C", "N",                                                                     \
     "most RSC hours, spread evenly over each entry's days, in a window of "                       \
     "c months")                                                                                   \
  OP(COVER, NONE, "C", "N",                                                                        \
     "days covered by the union of the entries' ranges up to the as-of date")                      \
  OP(RECEIVED, NONE, "C", "N",                                                                     \
     "RSC hours spread over each entry's days, days after the as-of date "                         \
     "dropped")                                                                                    \
  OP(SLOTS, SLOTSET, "C", "N",                                                                     \
     "number of role slots of slot set c filled by a one-to-one matching")                         \
  OP(COMPS, DOMAIN, "", "N",                                                                       \
     "distinct competencies of domain a in the category's list, from "                             \
     "training and education dated by the as-of date")                                             \
  OP(HALF, DOMAIN, "", "N",                                                                        \
     "half the number of domain a's competencies for the category, rounded "                       \
     "up")                                                                                         \
  OP(CAPVIOL, NONE, "", "N", "training entries listing more competencies than whole hours")        \
  OP(EDUVIOL, NONE, "", "N",                                                                       \
     "education entries listing competencies without a transcript, or more "                       \
     "than 12")                                                                                    \
  OP(DEGREE, NONE, "", "N",                                                                        \
     "highest degree level completed by the as-of date (0 none, 1 associate, "                     \
     "2 bachelors, 3 masters or higher)")                                                          \
  OP(CRED, CRED, "", "B",                                                                          \
     "true when an education entry completed by the as-of date is credential "                     \
     "a")                                                                                          \
  OP(RECEIVED_SINCE, NONE, "C D", "N",                                                             \
     "pop d; RSC hours spread over each entry's days that fall after d and on or before the "      \
     "as-of date")                                                                                 \
  OP(ENDORSED, NONE, "", "N",                                                                      \
     "whole years from the earliest endorsement's earned date to the as-of date")                  \
  OP(DMONTHS, MONTHS_SIGNED, "D", "D",                                                             \
     "move the date c months (signed) along the calendar, clamped to the month's end")             \
  OP(CMP, COND_QUIET, "N N", "B",                                                                  \
     "pop r, pop l; push l (compare a) r, recording nothing (guards)")                             \
  OP(CMPD, COND_QUIET, "D D", "B", "pop r, pop l; push the date comparison l (a) r (guards)")      \
  OP(FACT, FACT, "", "B/T", "push fact a (membership, signatures, exam, ...)")                     \
  OP(ADD, NONE, "N N", "N", "pop r, pop l; push l + r")                                            \
  OP(SUB, NONE, "N N", "N", "pop r, pop l; push l - r")                                            \
  OP(MIN, NONE, "N N", "N", "push the smaller of the two top numbers")                             \
  OP(MAX, NONE, "N N", "N", "push the larger of the two top numbers")                              \
  OP(AND, NONE, "B B", "B", "logical and")                                                         \
  OP(OR, NONE, "B B", "B", "logical or")                                                           \
  OP(NOT, NONE, "B", "B", "logical not")                                                           \
  OP(CHECK, COND, "N N", "B",                                                                      \
     "pop required, pop observed; record condition c (compare a) with "                            \
     "observed, required and shortfall; push the outcome")                                         \
  OP(CHECKB, COND, "B", "B", "record truth condition c; push it back")                             \
  OP(CHECKT, COND, "T", "T", "record pass/fail/pending condition c")                               \
  OP(JUMPF, TARGET, "B", "", "pop; jump forward to c when false")                                  \
  OP(REQUIRE, RULE, "B/T", "!", "pop the outcome of requirement rule c; end")                      \
  OP(ADVISE, RULE, "B", "!", "pop; advisory rule c is shown when false; end")                      \
  OP(ACCEPT, RULE, "B", "!", "pop; coupon rule c's condition holds; end")                          \
  OP(SKIP, RULE, "", "!", "rule c does not apply to this record; end")

enum imhe_opcode {
#define OP(name, kind, pops, pushes, syn) OP_##name,
  IMHE_OPCODES(OP)
#undef OP
      OP__COUNT
};

struct imhe_opinfo {
  const char *name;
  enum imhe_operand_kind kind;
  const char *pops;
  const char *pushes;
  const char *synopsis;
};
extern const struct imhe_opinfo imhe_ops[OP__COUNT];

#define IMHE_INSN_SIZE 8
struct imhe_insn {
  uint8_t op, a;
  uint16_t b;
  uint32_t c;
};

#endif
