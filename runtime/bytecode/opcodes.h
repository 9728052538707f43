/* opcodes.h — the instruction set, defined once as an X-macro list.
 * Expanded for the enum, names, the verifier's stack effects, the VM's dispatch and the
 * disassembler. */
#ifndef IMHE_OPCODES_H
#define IMHE_OPCODES_H

#include <stdint.h>

/* Every instruction is 8 bytes: op (u8), a (u8), b (u16), c (u32), little-endian.
 * Operand layouts, used by the verifier, the disassembler and the docs: X(kind, a, b, c). */
#define IMHE_OPERAND_KINDS(X)                                                                      \
  X(NONE, "-", "-", "-")                                                                           \
  X(CONST, "unit", "-", "constant index")                                                          \
  X(DATE, "-", "-", "days since 1970-01-01")                                                       \
  X(SECTION, "section", "-", "-")                                                                  \
  X(FIELD_MASK, "field", "section", "value mask")                                                  \
  X(FIELD, "field", "section", "-")                                                                \
  X(FIELD_FLAG, "field", "section", "0 or 1")                                                      \
  X(FIELD_CMP, "field", "section", "comparison")                                                   \
  X(MONTHS_SIGNED, "-", "-", "signed months (-1200..1200)")                                        \
  X(COND_QUIET, "comparison", "-", "-")                                                            \
  X(FACT, "fact", "-", "-")                                                                        \
  X(MEASURE, "measure", "the field's section (F)",                                                 \
    "field (F), months, slot set, domain or "                                                      \
    "credential, as the measure's arguments say")                                                  \
  X(COND, "comparison", "-", "condition index")                                                    \
  X(TARGET, "-", "-", "absolute offset of a later instruction")                                    \
  X(RULE, "-", "-", "rule index")
enum imhe_operand_kind {
#define X(k, a, b, c) OK_##k,
  IMHE_OPERAND_KINDS(X)
#undef X
};

/* OP(name, operands, pops, pushes, synopsis). Type letters: N number, D date,
 * B truth, T pass/fail/pending, C collection, ? any, / alternatives for one
 * slot (the verifier's notation). `!` in pushes marks a terminal instruction; `*` stands for what
 * the measure's row says. */
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
  OP(MEASURE, MEASURE, "*", "*",                                                                   \
     "measure a of the measures table (below): pops its arguments, pushes its number or truth")    \
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
  OP(SKIP, RULE, "", "!", "rule c does not apply to this record; end")                             \
  OP(SUBMITTED, NONE, "", "D", "push the record's submitted date (its as-of date when it has none)")

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
