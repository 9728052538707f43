/* schema.c — the record schema's section and field tables, expanded from schema.h's lists,
 * and the lookups the loader and the compiler resolve names with. */
#include "runtime/records/schema.h"
#include <string.h>

#define FD(s, id, name, kind, arg, flags)                                                          \
  {name, sizeof(name) - 1, kind, arg, ((flags)&FLD_REQ) != 0, ((flags)&FLD_SPREAD) != 0},
#define X(id, fields, dated, start, end)                                                           \
  static const struct imhe_field_desc fields_##id[] = {fields(FD)};
IMHE_SECTION_SCHEMA(X)
#undef X
#undef FD

/* Names from the public list, the rest from the schema's, each element's members set by name. */
const struct imhe_section_desc imhe_sections[IMHE_SECTION__COUNT] = {
#define X(id, s) [IMHE_SECTION_##id].name = s,
    IMHE_SECTION_LIST(X)
#undef X
#define X(id, f, dated, first, last)                                                               \
  [IMHE_SECTION_##id].fields = fields_##id,                                                        \
  [IMHE_SECTION_##id].nfields = (int)(sizeof fields_##id / sizeof *fields_##id),                   \
  [IMHE_SECTION_##id].dated_by = dated, [IMHE_SECTION_##id].start = first,                         \
  [IMHE_SECTION_##id].end = last,
        IMHE_SECTION_SCHEMA(X)
#undef X
};
#define X(id, f, dated, first, last) +1
_Static_assert(0 IMHE_SECTION_SCHEMA(X) == IMHE_SECTION__COUNT, "a schema for every section");
#undef X

int imhe_section_lookup(const char *s, size_t n) {
  for (int i = 0; i < IMHE_SECTION__COUNT; i++) { /* the first byte first; no strlen of each */
    const char *name = imhe_sections[i].name;
    if (n && name[0] == s[0] && strnlen(name, n + 1) == n && memcmp(name, s, n) == 0)
      return i;
  }
  return -1;
}

int imhe_field_lookup_from(int section, const char *s, size_t n, int from) {
  const struct imhe_section_desc *d = &imhe_sections[section];
  if (from < 0 || from >= d->nfields)
    from = 0;
  for (int k = 0, i = from; k < d->nfields; k++, i = i + 1 < d->nfields ? i + 1 : 0)
    if (d->fields[i].len == n && d->fields[i].name[0] == s[0] &&
        memcmp(d->fields[i].name, s, n) == 0) /* the first byte first: no call for most */
      return i;
  return -1;
}

int imhe_field_lookup(int section, const char *s, size_t n) {
  return imhe_field_lookup_from(section, s, n, 0);
}
