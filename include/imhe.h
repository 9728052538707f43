/* imhe.h — the public face of the imhe engine. For now it holds the library's version and the
 * enumerations a program embedding imhe shares with it (sections, record kinds, verdicts,
 * statuses, as-of sources, units), each defined once as an X-macro list that the compiler, the
 * verifier, the VM and the reports expand too; the functions follow with the library API. */
#ifndef IMHE_H
#define IMHE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks what the shared library exports (it is built with -fvisibility=hidden). */
#if defined(IMHE_BUILDING) && defined(__GNUC__)
#define IMHE_API __attribute__((visibility("default")))
#else
#define IMHE_API
#endif

/* ---------------------------------------------------------------- version */
#define IMHE_VERSION_MAJOR 0
#define IMHE_VERSION_MINOR 2
#define IMHE_VERSION_PATCH 0

/* ---------------------------------------------------------------- vocabularies */
/* Record sections (the lists of a record). X(NAME, "name as in records") */
#define IMHE_SECTION_LIST(X)                                                                       \
  X(EDUCATION, "education")                                                                        \
  X(WORK, "work")                                                                                  \
  X(LEADERSHIP, "leadership")                                                                      \
  X(TRAINING, "training")                                                                          \
  X(RSC, "rsc")                                                                                    \
  X(RSC_PROVIDED, "rsc_provided")                                                                  \
  X(REFERENCES, "references")                                                                      \
  X(ENDORSEMENTS, "endorsements")
typedef enum imhe_section {
#define X(n, s) IMHE_SECTION_##n,
  IMHE_SECTION_LIST(X)
#undef X
      IMHE_SECTION__COUNT
} imhe_section;

/* Kinds of record. X(NAME, "name") */
#define IMHE_KIND_LIST(X)                                                                          \
  X(APPLICATION, "application") X(RENEWAL, "renewal") X(REINSTATEMENT, "reinstatement")
typedef enum imhe_record_kind {
#define X(n, s) IMHE_KIND_##n,
  IMHE_KIND_LIST(X)
#undef X
      IMHE_KIND__COUNT
} imhe_record_kind;

/* The verdict on a record. X(NAME, "name") */
#define IMHE_VERDICT_LIST(X)                                                                       \
  X(ELIGIBLE, "eligible")                                                                          \
  X(PENDING_EXAM, "eligible_pending_exam")                                                         \
  X(NOT_ELIGIBLE, "not_eligible")                                                                  \
  X(INVALID, "invalid")
typedef enum imhe_verdict {
#define X(n, s) IMHE_VERDICT_##n,
  IMHE_VERDICT_LIST(X)
#undef X
      IMHE_VERDICT__COUNT
} imhe_verdict;

/* Outcome of a rule or condition. ADVICE: an advisory shown because its condition failed;
 * SKIPPED: a rule whose guard did not hold; NOT_NEEDED: an alternative of an `any of` that was not
 * needed because another one passed. X(NAME, "name") */
#define IMHE_STATUS_LIST(X)                                                                        \
  X(PASS, "pass")                                                                                  \
  X(FAIL, "fail")                                                                                  \
  X(PENDING, "pending")                                                                            \
  X(ADVICE, "advice")                                                                              \
  X(SKIPPED, "skipped")                                                                            \
  X(NOT_NEEDED, "not_needed")
typedef enum imhe_status {
#define X(n, s) IMHE_STATUS_##n,
  IMHE_STATUS_LIST(X)
#undef X
      IMHE_STATUS__COUNT
} imhe_status;

/* Where the as-of date came from. X(NAME, "name") */
#define IMHE_AS_OF_LIST(X)                                                                         \
  X(OPTION, "option")                                                                              \
  X(SUBMITTED, "submitted")                                                                        \
  X(DEADLINE, "renewal_deadline")                                                                  \
  X(TODAY, "today")
typedef enum imhe_as_of_source {
#define X(n, s) IMHE_AS_OF_##n,
  IMHE_AS_OF_LIST(X)
#undef X
      IMHE_AS_OF__COUNT
} imhe_as_of_source;

/* Units of quantities. DEGREE: a degree level (1 associate, 2 bachelors, 3 masters or higher),
 * shown by its name. X(NAME, "name in JSON", "symbol in prose") */
#define IMHE_UNIT_LIST(X)                                                                          \
  X(NONE, "none", "")                                                                              \
  X(HOURS, "hours", "h")                                                                           \
  X(DAYS, "days", "days")                                                                          \
  X(MONTHS, "months", "months")                                                                    \
  X(DOLLARS, "dollars", "$")                                                                       \
  X(FAMILIES, "families", "families")                                                              \
  X(COUNT, "count", "")                                                                            \
  X(DEGREE, "degree", "")
typedef enum imhe_unit {
#define X(n, j, s) IMHE_UNIT_##n,
  IMHE_UNIT_LIST(X)
#undef X
      IMHE_UNIT__COUNT
} imhe_unit;

#ifdef __cplusplus
}
#endif
#endif
