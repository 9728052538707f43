/* schema.h — the record schema of records.md: list sections and their fields.
 * One X-macro list per section feeds the loader, the compiler's name
 * resolution, the VM's field access and the disassembler. */
#ifndef IMHE_SCHEMA_H
#define IMHE_SCHEMA_H

#include "runtime/core/defs.h"
#include <stddef.h>

/* The record's own fields, beside its sections (include/imhe.h's IMHE_SECTION_LIST), and the fields
 * of its three small mappings; docs/records.md describes each. X(name). */
#define IMHE_RECORD_FIELDS(X)                                                                      \
  X("kind")                                                                                        \
  X("id")                                                                                          \
  X("association")                                                                                 \
  X("category")                                                                                    \
  X("submitted")                                                                                   \
  X("applicant")                                                                                   \
  X("coupon")                                                                                      \
  X("membership")                                                                                  \
  X("agreement_signed")                                                                            \
  X("ethics_signed")                                                                               \
  X("exam")                                                                                        \
  X("renewal_deadline")                                                                            \
  X("rsc_attested")
#define IMHE_APPLICANT_FIELDS(X) X("name") X("email") X("credentials")
#define IMHE_MEMBERSHIP_FIELDS(X) X("association") X("expires")
#define IMHE_EXAM_FIELDS(X) X("passed") X("date")

/* Field value kinds. An FT_ENUM or FT_SET of ENUM_CATEGORY keeps its codes as written (in
 * v.codes), since the categories are the judging program's: they are typed when judged. */
enum imhe_ftype { FT_TEXT, FT_DATE, FT_NUM, FT_BOOL, FT_ENUM, FT_SET, FT_CODES };

/* Field flags. FLD_REQ: the loader requires the field. FLD_SPREAD: an amount spread evenly
 * over the entry's days (start to end, both included), like RSC hours: a sum of it counts
 * only the share on days up to the as-of date (requirements.md readings 7 and 30). */
enum { FLD_REQ = 1, FLD_SPREAD = 2 };

/* F(section prefix, id, name, kind, enum-or-unit, flags) */
#define IMHE_EDU_FIELDS(F)                                                                         \
  F(EDU, DEGREE, "degree", FT_ENUM, ENUM_DEGREE, 0)                                                \
  F(EDU, CREDENTIAL, "credential", FT_ENUM, ENUM_CREDENTIAL, 0)                                    \
  F(EDU, FIELD, "field", FT_TEXT, 0, 0)                                                            \
  F(EDU, INSTITUTION, "institution", FT_TEXT, 0, 0)                                                \
  F(EDU, COMPLETED, "completed", FT_DATE, 0, FLD_REQ)                                              \
  F(EDU, TRANSCRIPT, "transcript", FT_ENUM, ENUM_TRANSCRIPT, 0)                                    \
  F(EDU, COMPETENCIES, "competencies", FT_CODES, 0, 0)
#define IMHE_WORK_FIELDS(F)                                                                        \
  F(WORK, TITLE, "title", FT_TEXT, 0, 0)                                                           \
  F(WORK, EMPLOYER, "employer", FT_TEXT, 0, 0)                                                     \
  F(WORK, START, "start", FT_DATE, 0, FLD_REQ)                                                     \
  F(WORK, END, "end", FT_DATE, 0, 0)                                                               \
  F(WORK, KIND, "kind", FT_ENUM, ENUM_WORK_KIND, 0)                                                \
  F(WORK, SUPERVISED, "supervised", FT_BOOL, 0, 0)                                                 \
  F(WORK, SPECIALIZED_TRAINING, "specialized_training", FT_BOOL, 0, 0)                             \
  F(WORK, SCOPE, "scope", FT_ENUM, ENUM_SCOPE, 0)                                                  \
  F(WORK, AGES, "ages", FT_SET, ENUM_AGE, 0)                                                       \
  F(WORK, FAMILIES_SERVED, "families_served", FT_NUM, IMHE_UNIT_FAMILIES, 0)                       \
  F(WORK, PSYCHOTHERAPY, "psychotherapy", FT_BOOL, 0, 0)                                           \
  F(WORK, REPORTED_TO, "reported_to", FT_TEXT, 0, 0)
#define IMHE_LEAD_FIELDS(F)                                                                        \
  F(LEAD, ROLE, "role", FT_TEXT, 0, 0)                                                             \
  F(LEAD, START, "start", FT_DATE, 0, FLD_REQ)                                                     \
  F(LEAD, END, "end", FT_DATE, 0, 0)                                                               \
  F(LEAD, TYPE, "type", FT_ENUM, ENUM_LEAD_TYPE, 0)
#define IMHE_TRAIN_FIELDS(F)                                                                       \
  F(TRAIN, TITLE, "title", FT_TEXT, 0, 0)                                                          \
  F(TRAIN, DATE, "date", FT_DATE, 0, FLD_REQ)                                                      \
  F(TRAIN, HOURS, "hours", FT_NUM, IMHE_UNIT_HOURS, FLD_REQ)                                       \
  F(TRAIN, FACILITATOR, "facilitator", FT_TEXT, 0, 0)                                              \
  F(TRAIN, TYPE, "type", FT_ENUM, ENUM_TRAIN_TYPE, 0)                                              \
  F(TRAIN, FORMAT, "format", FT_ENUM, ENUM_FORMAT, 0)                                              \
  F(TRAIN, COMPETENCIES, "competencies", FT_CODES, 0, 0)
#define IMHE_RSC_FIELDS(F)                                                                         \
  F(RSC, PROVIDER, "provider", FT_TEXT, 0, 0)                                                      \
  F(RSC, PROVIDER_ENDORSEMENT, "provider_endorsement", FT_SET, ENUM_CATEGORY, 0)                   \
  F(RSC, START, "start", FT_DATE, 0, FLD_REQ)                                                      \
  F(RSC, END, "end", FT_DATE, 0, FLD_REQ)                                                          \
  F(RSC, HOURS, "hours", FT_NUM, IMHE_UNIT_HOURS, FLD_REQ | FLD_SPREAD)                            \
  F(RSC, ABOUT_PROVISION_HOURS, "about_provision_hours", FT_NUM, IMHE_UNIT_HOURS, FLD_SPREAD)
#define IMHE_PROV_FIELDS(F)                                                                        \
  F(PROV, START, "start", FT_DATE, 0, FLD_REQ)                                                     \
  F(PROV, END, "end", FT_DATE, 0, 0)                                                               \
  F(PROV, SUPERVISEES, "supervisees", FT_NUM, IMHE_UNIT_COUNT, 0)
#define IMHE_REF_FIELDS(F)                                                                         \
  F(REF, NAME, "name", FT_TEXT, 0, 0)                                                              \
  F(REF, ROLE, "role", FT_ENUM, ENUM_ROLE, FLD_REQ)                                                \
  F(REF, STATUS, "status", FT_ENUM, ENUM_STATUS, 0)
#define IMHE_ENDO_FIELDS(F)                                                                        \
  F(ENDO, CATEGORY, "category", FT_ENUM, ENUM_CATEGORY, FLD_REQ)                                   \
  F(ENDO, EARNED, "earned", FT_DATE, 0, FLD_REQ)                                                   \
  F(ENDO, ASSOCIATION, "association", FT_TEXT, 0, 0)

#define IMHE_FIELD_ENUM_(s, id, name, kind, arg, req) s##_##id,
enum { IMHE_EDU_FIELDS(IMHE_FIELD_ENUM_) EDU__N };
enum { IMHE_WORK_FIELDS(IMHE_FIELD_ENUM_) WORK__N };
enum { IMHE_LEAD_FIELDS(IMHE_FIELD_ENUM_) LEAD__N };
enum { IMHE_TRAIN_FIELDS(IMHE_FIELD_ENUM_) TRAIN__N };
enum { IMHE_RSC_FIELDS(IMHE_FIELD_ENUM_) RSC__N };
enum { IMHE_PROV_FIELDS(IMHE_FIELD_ENUM_) PROV__N };
enum { IMHE_REF_FIELDS(IMHE_FIELD_ENUM_) REF__N };
enum { IMHE_ENDO_FIELDS(IMHE_FIELD_ENUM_) ENDO__N };

/* The schema of each section of include/imhe.h's IMHE_SECTION_LIST (which names them):
 * X(id, field list, field whose date after the as-of date drops an entry or -1, first and last
 *   day of an entry's date range or -1 when it has none) */
#define IMHE_SECTION_SCHEMA(X)                                                                     \
  X(EDUCATION, IMHE_EDU_FIELDS, EDU_COMPLETED, -1, -1)                                             \
  X(WORK, IMHE_WORK_FIELDS, WORK_START, WORK_START, WORK_END)                                      \
  X(LEADERSHIP, IMHE_LEAD_FIELDS, LEAD_START, LEAD_START, LEAD_END)                                \
  X(TRAINING, IMHE_TRAIN_FIELDS, TRAIN_DATE, -1, -1)                                               \
  X(RSC, IMHE_RSC_FIELDS, RSC_START, RSC_START, RSC_END)                                           \
  X(RSC_PROVIDED, IMHE_PROV_FIELDS, PROV_START, PROV_START, PROV_END)                              \
  X(REFERENCES, IMHE_REF_FIELDS, -1, -1, -1)                                                       \
  X(ENDORSEMENTS, IMHE_ENDO_FIELDS, ENDO_EARNED, -1, -1)
#define IMHE_MAX_FIELDS 12

struct imhe_field_desc {
  const char *name;
  unsigned len; /* strlen(name), for the lookups of every field of every entry */
  enum imhe_ftype kind;
  int arg; /* enum for FT_ENUM/FT_SET, unit for FT_NUM */
  int required;
  int spread; /* FLD_SPREAD */
};
/* Whether a field holds category codes (kept as written, typed when judged). */
static inline int imhe_field_is_category(const struct imhe_field_desc *fd) {
  return (fd->kind == FT_ENUM || fd->kind == FT_SET) && fd->arg == ENUM_CATEGORY;
}
/* Whether a field holds values of an enumeration each program declares (categories,
 * credentials, reference roles): kept as written, typed when judged. */
static inline int imhe_field_is_declared(const struct imhe_field_desc *fd) {
  return (fd->kind == FT_ENUM || fd->kind == FT_SET) &&
         (fd->arg == ENUM_CATEGORY || fd->arg == ENUM_CREDENTIAL || fd->arg == ENUM_ROLE ||
          fd->arg == ENUM_DEGREE);
}
struct imhe_section_desc {
  const char *name; /* as in IMHE_SECTION_LIST */
  const struct imhe_field_desc *fields;
  int nfields;
  int dated_by;   /* field whose date after the as-of date drops the entry */
  int start, end; /* the entry's date range fields, or -1 when it has none */
};
extern const struct imhe_section_desc imhe_sections[IMHE_SECTION__COUNT];

int imhe_section_lookup(const char *s, size_t n);
int imhe_field_lookup(int section, const char *s, size_t n);
/* The same, looked for from field `from` on (then from the first): records mostly give an
 * entry's fields in the schema's order, so the field after the last one found is the likely next.
 */
int imhe_field_lookup_from(int section, const char *s, size_t n, int from);

#endif
