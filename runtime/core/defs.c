/* defs.c — name tables of the domain's vocabulary, expanded from the X-macro lists of defs.h.
 * Nothing here is written by hand twice: every table comes from its list. */
#include "runtime/core/defs.h"
#include <string.h>

const char imhe_vtype_char[VT__COUNT] = {
#define X(id, ch, name) ch,
    IMHE_VTYPES(X)
#undef X
};
const char *const imhe_vtype_name[VT__COUNT] = {
#define X(id, ch, name) name,
    IMHE_VTYPES(X)
#undef X
};
const char *const imhe_fact_name[FACT__COUNT] = {
#define X(id, name, type, desc) name,
    IMHE_FACTS(X)
#undef X
};
const enum imhe_vtype imhe_fact_type[FACT__COUNT] = {
#define X(id, name, type, desc) VT_##type,
    IMHE_FACTS(X)
#undef X
};
const char *const imhe_fact_desc[FACT__COUNT] = {
#define X(id, name, type, desc) desc,
    IMHE_FACTS(X)
#undef X
};
const char *const imhe_cmp_symbol[CMP__COUNT] = {
#define X(id, s) s,
    IMHE_CMPS(X)
#undef X
};
const char *const imhe_rule_kind_name[RK__COUNT] = {
#define X(id, s) s,
    IMHE_RULE_KINDS(X)
#undef X
};
const char *const imhe_enum_name[ENUM__COUNT] = {
#define X(id, name, list) name,
    IMHE_ENUMS(X)
#undef X
        "category",
    "credential",
    "role",
    "degree",
};

#define V(id, s) s,
#define X(id, name, list) static const char *const values_##id[] = {list(V)};
IMHE_ENUMS(X)
#undef X
#undef V
static const char *const *const enum_values[ENUM__COUNT] = {
#define X(id, name, list) values_##id,
    IMHE_ENUMS(X)
#undef X
        NULL, /* categories: each program's own (runtime/bytecode/program.h) */
    NULL,     /* credentials: the same */
    NULL,     /* roles: the same */
    NULL,     /* degrees: the same */
};
static const int enum_counts[ENUM__COUNT] = {
#define X(id, name, list) (int)(sizeof values_##id / sizeof *values_##id),
    IMHE_ENUMS(X)
#undef X
        0,
    0,
    0,
    0,
};

const char *const *imhe_enum_values(enum imhe_enum e, int *count) {
  *count = enum_counts[e];
  return enum_values[e];
}

static int lookup(const char *const *names, int count, const char *s, size_t n) {
  for (int i = 0; i < count; i++)
    if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
      return i;
  return -1;
}

int imhe_enum_lookup(enum imhe_enum e, const char *s, size_t n) {
  return lookup(enum_values[e], enum_counts[e], s, n);
}

/* ---------- names of the public enumerations (include/imhe.h) ---------- */

#define NAME_OF(fn, type, list, count)                                                             \
  const char *fn(type v) {                                                                         \
    static const char *const names[] = {list(NAME_X)};                                             \
    return (unsigned)v < (unsigned)(count) ? names[v] : NULL;                                      \
  }
#define NAME_X(id, s) s,
NAME_OF(imhe_verdict_name, imhe_verdict, IMHE_VERDICT_LIST, IMHE_VERDICT__COUNT)
NAME_OF(imhe_status_name, imhe_status, IMHE_STATUS_LIST, IMHE_STATUS__COUNT)
NAME_OF(imhe_section_name, imhe_section, IMHE_SECTION_LIST, IMHE_SECTION__COUNT)
NAME_OF(imhe_record_kind_name, imhe_record_kind, IMHE_KIND_LIST, IMHE_KIND__COUNT)
NAME_OF(imhe_as_of_source_name, imhe_as_of_source, IMHE_AS_OF_LIST, IMHE_AS_OF__COUNT)
NAME_OF(imhe_reason_name, imhe_reason, IMHE_REASON_LIST, IMHE_REASON__COUNT)
#undef NAME_X
#define NAME_X(id, name, symbol) name,
NAME_OF(imhe_unit_name, imhe_unit, IMHE_UNIT_LIST, IMHE_UNIT__COUNT)
#undef NAME_X
#define NAME_X(id, name, symbol) symbol,
NAME_OF(imhe_unit_symbol, imhe_unit, IMHE_UNIT_LIST, IMHE_UNIT__COUNT)
#undef NAME_X
#undef NAME_OF

const char *imhe_unit_words(imhe_unit u) {
  if (u == IMHE_UNIT_NONE)
    return "";
  if (u == IMHE_UNIT_DEGREE)
    return "degree level";
  const char *n = imhe_unit_name(u);
  return n ? n : "?";
}
