/* schema.c — the record schema's section and field tables, expanded from schema.h's lists,
 * and the lookups the loader and the compiler resolve names with. */
#include "runtime/records/schema.h"
#include <string.h>

#define FD(s, id, name, kind, arg, flags)                                                          \
  {name, kind, arg, ((flags)&FLD_REQ) != 0, ((flags)&FLD_SPREAD) != 0},
static const struct imhe_field_desc edu_f[] = {IMHE_EDU_FIELDS(FD)};
static const struct imhe_field_desc work_f[] = {IMHE_WORK_FIELDS(FD)};
static const struct imhe_field_desc lead_f[] = {IMHE_LEAD_FIELDS(FD)};
static const struct imhe_field_desc train_f[] = {IMHE_TRAIN_FIELDS(FD)};
static const struct imhe_field_desc rsc_f[] = {IMHE_RSC_FIELDS(FD)};
static const struct imhe_field_desc prov_f[] = {IMHE_PROV_FIELDS(FD)};
static const struct imhe_field_desc ref_f[] = {IMHE_REF_FIELDS(FD)};
static const struct imhe_field_desc endo_f[] = {IMHE_ENDO_FIELDS(FD)};
#undef FD
#define NF(a) (int)(sizeof a / sizeof *a)
const struct imhe_section_desc imhe_sections[SEC__COUNT] = {
    {"education", edu_f, NF(edu_f), EDU_COMPLETED, -1, -1},
    {"work", work_f, NF(work_f), WORK_START, WORK_START, WORK_END},
    {"leadership", lead_f, NF(lead_f), LEAD_START, LEAD_START, LEAD_END},
    {"training", train_f, NF(train_f), TRAIN_DATE, -1, -1},
    {"rsc", rsc_f, NF(rsc_f), RSC_START, RSC_START, RSC_END},
    {"rsc_provided", prov_f, NF(prov_f), PROV_START, PROV_START, PROV_END},
    {"references", ref_f, NF(ref_f), -1, -1, -1},
    {"endorsements", endo_f, NF(endo_f), ENDO_EARNED, -1, -1},
};
_Static_assert(SEC__COUNT == 8, "imhe_sections follows IMHE_SECTIONS");

int imhe_section_lookup(const char *s, size_t n) {
  for (int i = 0; i < SEC__COUNT; i++)
    if (strlen(imhe_sections[i].name) == n && memcmp(imhe_sections[i].name, s, n) == 0)
      return i;
  return -1;
}
int imhe_field_lookup(int section, const char *s, size_t n) {
  const struct imhe_section_desc *d = &imhe_sections[section];
  for (int i = 0; i < d->nfields; i++)
    if (strlen(d->fields[i].name) == n && memcmp(d->fields[i].name, s, n) == 0)
      return i;
  return -1;
}
