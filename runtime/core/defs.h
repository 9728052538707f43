/* defs.h — the domain's vocabulary (enumerated values, facts, comparisons),
 * each an X-macro list defined once beside include/imhe.h's; the compiler, verifier, VM, loader
 * and disassembler all expand them. */
#ifndef IMHE_DEFS_H
#define IMHE_DEFS_H

#include "include/imhe.h"
#include <stddef.h>
#include <stdint.h>

/* Enumerated record values. X(enum id, spelling). */
#define IMHE_TRANSCRIPTS(X) X(OFFICIAL, "official") X(UNOFFICIAL, "unofficial") X(NONE, "none")
#define IMHE_WORK_KINDS(X) X(PAID, "paid") X(VOLUNTEER, "volunteer")
#define IMHE_SCOPES(X)                                                                             \
  X(PROMOTION, "promotion")                                                                        \
  X(PREVENTION, "prevention")                                                                      \
  X(INTERVENTION, "intervention")                                                                  \
  X(TREATMENT, "treatment")                                                                        \
  X(MACRO, "macro")
#define IMHE_AGES(X)                                                                               \
  X(PRENATAL, "prenatal")                                                                          \
  X(INFANT, "infant")                                                                              \
  X(EARLY_CHILDHOOD, "early_childhood")
#define IMHE_LEAD_TYPES(X)                                                                         \
  X(CLINICAL, "clinical") X(POLICY, "policy") X(RESEARCH_FACULTY, "research_faculty")
#define IMHE_TRAIN_TYPES(X)                                                                        \
  X(GENERAL, "general")                                                                            \
  X(RSC_PROVISION, "rsc_provision")                                                                \
  X(PSYCHOTHERAPY, "psychotherapy")
#define IMHE_FORMATS(X) X(FORMAL, "formal") X(INFORMAL, "informal")
#define IMHE_STATUSES(X) X(COMPLETED, "completed") X(REQUESTED, "requested")
/* Every enumerated type: X(enum id, name, list). Value sets are small
 * (at most 32), so a set of values is a uint32 mask. */
#define IMHE_ENUMS(X)                                                                              \
  X(TRANSCRIPT, "transcript", IMHE_TRANSCRIPTS)                                                    \
  X(WORK_KIND, "work kind", IMHE_WORK_KINDS)                                                       \
  X(SCOPE, "scope", IMHE_SCOPES)                                                                   \
  X(AGE, "age", IMHE_AGES)                                                                         \
  X(LEAD_TYPE, "leadership type", IMHE_LEAD_TYPES)                                                 \
  X(TRAIN_TYPE, "training type", IMHE_TRAIN_TYPES)                                                 \
  X(FORMAT, "format", IMHE_FORMATS)                                                                \
  X(STATUS, "status", IMHE_STATUSES)                                                               \
  X(KIND, "kind", IMHE_KIND_LIST)

enum imhe_enum {
#define X(id, name, list) ENUM_##id,
  IMHE_ENUMS(X)
#undef X
      ENUM_CATEGORY, /* values are the categories a program declares (rules/catalogue.imhe) */
  ENUM_CREDENTIAL,   /* values are the credentials a program declares (rules/catalogue.imhe) */
  ENUM_ROLE,         /* values are the reference roles a program declares (the same) */
  ENUM_DEGREE,       /* values are the degrees a program declares, lowest first (the same) */
  ENUM__COUNT
};

/* Value types on the VM stack, as the verifier tracks them. */
#define IMHE_VTYPES(X)                                                                             \
  X(NUM, 'N', "number")                                                                            \
  X(DATE, 'D', "date")                                                                             \
  X(BOOL, 'B', "yes/no") X(TRI, 'T', "pass/fail/pending") X(COLL, 'C', "collection of entries")
enum imhe_vtype {
#define X(id, ch, name) VT_##id,
  IMHE_VTYPES(X)
#undef X
      VT__COUNT
};

/* Built-in facts (operand of OP_FACT): X(id, name in policies, value type, description). */
#define IMHE_FACTS(X)                                                                              \
  X(MEMBERSHIP, "membership", BOOL, "active membership of an accepted association")                \
  X(AGREEMENT, "agreement_signed", BOOL, "Endorsement Agreement signed")                           \
  X(ETHICS, "ethics_signed", BOOL, "Code of Ethics signed")                                        \
  X(EXAM, "exam", TRI, "written exam passed")                                                      \
  X(REPORTED_TO, "reported_to_referenced", BOOL,                                                   \
    "a completed reference from the supervisor named in current work")                             \
  X(HAS_REPORTED_TO, "names_reported_to", BOOL,                                                    \
    "a current work entry names whom the applicant reports to")                                    \
  X(RSC_ATTESTED, "rsc_attested", BOOL, "a current RSC provider attested")                         \
  X(ANNUAL_RENEWAL, "annual_renewal", BOOL, "the renewal deadline falls under an annual scheme")   \
  X(CYCLE_RENEWAL, "cycle_renewal", BOOL, "the renewal deadline falls under a multi-year cycle")
enum imhe_fact {
#define X(id, name, type, desc) FACT_##id,
  IMHE_FACTS(X)
#undef X
      FACT__COUNT
};

/* Comparison operators, shared by CHECK and FILT_CMP. */
#define IMHE_CMPS(X) X(GE, ">=") X(GT, ">") X(LE, "<=") X(LT, "<") X(EQ, "=") X(NE, "!=")
enum imhe_cmp {
#define X(id, s) CMP_##id,
  IMHE_CMPS(X)
#undef X
      CMP__COUNT
};

/* Rule kinds in the rules table. */
#define IMHE_RULE_KINDS(X) X(REQUIRE, "require") X(ADVISE, "advise") X(COUPON, "coupon")
enum imhe_program_rule_kind {
#define X(id, s) RK_##id,
  IMHE_RULE_KINDS(X)
#undef X
      RK__COUNT
};

/* Names tables, defined once in defs.c. */
extern const char imhe_vtype_char[VT__COUNT];
extern const char *const imhe_vtype_name[VT__COUNT];
extern const char *const imhe_fact_name[FACT__COUNT];
extern const enum imhe_vtype imhe_fact_type[FACT__COUNT];
extern const char *const imhe_fact_desc[FACT__COUNT];
extern const char *const imhe_cmp_symbol[CMP__COUNT];
extern const char *const imhe_rule_kind_name[RK__COUNT];
extern const char *const imhe_enum_name[ENUM__COUNT];

/* Spellings of enum `e`'s values, and their number. */
const char *const *imhe_enum_values(enum imhe_enum e, int *count);
/* Index of `s` (length n) among enum `e`'s values, or -1. */
int imhe_enum_lookup(enum imhe_enum e, const char *s, size_t n);

/* The names of include/imhe.h's enumerations (imhe_verdict_name, ...) are declared there. */
/* A unit's symbol in prose: "h", "$", "days"; "" for counts and plain numbers. */
const char *imhe_unit_symbol(imhe_unit u);
/* A unit as compiler messages, listings and version 1 reports word it: as its name, except plain
 * numbers (nothing) and degree levels ("degree level"). */
const char *imhe_unit_words(imhe_unit u);

#endif
