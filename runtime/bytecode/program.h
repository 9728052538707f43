/* program.h — a policy program in memory: what the compiler builds and what the
 * loader rebuilds from a verified .imhec file. Plain arrays; the owner frees with
 * imhe_program_free. */
#ifndef IMHE_PROGRAM_H
#define IMHE_PROGRAM_H

#include "runtime/bytecode/opcodes.h"
#include "runtime/core/crc32.h"
#include "runtime/core/defs.h"
#include "runtime/core/export.h"
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define IMHE_FORMAT_VERSION 3
/* "0.2.0": the version of include/imhe.h, written into every compiled program. */
#define IMHE_STRINGIFY_(x) #x
#define IMHE_STRINGIFY(x) IMHE_STRINGIFY_(x)
#define IMHE_VERSION                                                                               \
  IMHE_STRINGIFY(IMHE_VERSION_MAJOR)                                                               \
  "." IMHE_STRINGIFY(IMHE_VERSION_MINOR) "." IMHE_STRINGIFY(IMHE_VERSION_PATCH)
#define IMHE_NO_DATE INT32_MIN
#define IMHE_MAX_STACK 32
#define IMHE_NO_RULE UINT32_MAX

/* How a condition prints its numbers. */
enum imhe_display { DISP_PLAIN, DISP_YEARS, DISP_MONTHS, DISP_DEGREE };

struct imhe_era {
  uint32_t base;       /* string: base policy name */
  int32_t from, until; /* [from, until) as-of dates; IMHE_NO_DATE = open */
  uint32_t offered;    /* category mask */
};
struct imhe_rule {
  uint32_t id, desc, file; /* strings */
  uint32_t cite;           /* string: the published source the policy cites, "" when none */
  uint32_t line, col, end_line, end_col;
  uint8_t kind, area, era;
  uint32_t cats;       /* category mask */
  uint32_t start, end; /* code byte range [start, end) */
};
struct imhe_cond {
  uint32_t rule, desc, line, col;
  uint8_t display, unit;
};
/* From pc on, the code comes from line `line` of file `file` (a string): an inlined `let` keeps
 * the file that defines it, which may be a base's. */
struct imhe_line {
  uint32_t pc, line, file;
};
struct imhe_slotset {
  uint32_t first, count;
}; /* into slot_masks */
struct imhe_domain {
  uint32_t code, name; /* strings */
  uint8_t core;
  uint32_t first, count; /* into items */
};
struct imhe_item {
  uint32_t name, cats;
};
/* Fee kinds are declared by the catalogue (`defines fee KIND "NAME" for PROPERTIES`), at most
 * IMHE_MAX_FEE_KINDS (a coupon's waived kinds are a byte). What the engine does with a kind is
 * what its properties say, never its word: X(id, word as written, what it means). Exactly one of
 * APPLICATION, RENEWAL and OVERDUE says when it is charged. */
#define IMHE_FEE_PROPERTIES(X)                                                                     \
  X(APPLICATION, "application", "charged with an application, for the categories its fees name")   \
  X(RENEWAL, "renewal", "charged a year with a renewal")                                           \
  X(OVERDUE, "overdue", "charged once with a renewal submitted after its due date")                \
  X(WAIVABLE, "waivable", "a coupon may waive it (an application's fee)")                          \
  X(REQUIRED, "required",                                                                          \
    "an application's: an offered category without it is a warning; a renewal's: its own fee, "    \
    "without which the renewal's fees are not published")

enum imhe_fee_property {
#define X(id, word, meaning) FEE_BIT_##id,
  IMHE_FEE_PROPERTIES(X)
#undef X
      FEE_PROPERTY__COUNT
};
#define X(id, word, meaning) FK_##id = 1u << FEE_BIT_##id,
enum imhe_fee_flag { IMHE_FEE_PROPERTIES(X) };
#undef X
#define IMHE_FEE_CHARGED (FK_APPLICATION | FK_RENEWAL | FK_OVERDUE)
#define IMHE_MAX_FEE_KINDS 8
struct imhe_fee_kind_def {
  uint32_t word, name; /* strings: the word a fee line writes ("KIND") and its name in
                        * sentences ("KIND fee") */
  uint8_t flags;       /* enum imhe_fee_flag */
};
struct imhe_fee {
  uint8_t kind; /* index into the program's fee kinds */
  uint32_t cats;
  int32_t cents; /* -1: not published */
  uint32_t note; /* string or UINT32_MAX */
  /* inclusive submitted dates the amount holds for (a schedule that changes on a date);
   * IMHE_NO_DATE = open */
  int32_t from, until;
};
struct imhe_coupon {
  uint32_t code, note;
  uint8_t waives; /* bit per fee kind */
  uint32_t cats;
  int32_t from, until; /* inclusive as-of dates; IMHE_NO_DATE = open */
  uint32_t rule;       /* condition rule, or IMHE_NO_RULE */
};
struct imhe_deadline {
  uint8_t month, day;
};
enum imhe_renewal_scheme { RENEW_NONE, RENEW_ANNUAL, RENEW_CYCLE };
struct imhe_renewal {
  uint8_t scheme;
  int32_t from, until; /* deadlines this scheme applies to */
  uint32_t years;      /* cycle length */
  double hours;        /* annual training hours */
  /* `due MONTH DAY lapses MONTH DAY`: the renewal is due on that day of its deadline's year (a
   * fee after it for the kinds charged when overdue) and lapses on the first lapse day after that;
   * 0 when not declared */
  uint8_t due_month, due_day, lapse_month, lapse_day;
};
/* The Endorsement's vocabulary as the policy's catalogue declares it (`defines track`,
 * `defines category`): a category is a bit of every category mask, so there are at most
 * IMHE_MAX_CATEGORIES (bits 30 and 31 select renewal and reinstatement records), and a track a bit
 * of a category's track mask. */
#define IMHE_MAX_CATEGORIES 30
#define IMHE_MAX_TRACKS 8
#define IMHE_KIND_RENEWAL_BIT (1u << IMHE_MAX_CATEGORIES)
#define IMHE_KIND_REINSTATEMENT_BIT (1u << (IMHE_MAX_CATEGORIES + 1))
struct imhe_track_def {
  uint32_t code, name; /* strings: its code and full name */
  uint32_t ages;       /* the ages it serves (`ages in track`): bit per age value */
};
struct imhe_category_def {
  uint32_t code, name; /* strings: its code and full name */
  uint32_t tracks;     /* the tracks it serves: bit per track; more than one for a category of
                        * either track (the reflective supervisors) */
};
/* The application system's tabs, in its order (`defines tab CODE "TITLE"`), and the areas a rule's
 * `require AREA` names (`defines area WORD "NAME" in TAB [for PROPERTIES]`), in the order a check
 * lists them: an area is a bit of a result's failed areas, so there are at most IMHE_MAX_AREAS.
 * What the engine does with an area is its properties, never its word: X(id, word, meaning). */
#define IMHE_MAX_AREAS 32
#define IMHE_MAX_TABS 32
#define IMHE_AREA_PROPERTIES(X)                                                                    \
  X(CATEGORY, "category", "where a record's category not known or not offered is reported")        \
  X(EXAM, "exam", "the written exam's: the deficiency report says its status apart")
enum imhe_area_property {
#define X(id, word, meaning) AREA_BIT_##id,
  IMHE_AREA_PROPERTIES(X)
#undef X
      AREA_PROPERTY__COUNT
};
#define X(id, word, meaning) AK_##id = 1u << AREA_BIT_##id,
enum imhe_area_flag { IMHE_AREA_PROPERTIES(X) };
#undef X
struct imhe_tab_def {
  uint32_t code, title; /* strings: its code and the title reports print */
};
struct imhe_area_def {
  uint32_t word, name; /* strings: the word rules and reports use, and what it covers */
  uint8_t tab;         /* the tab it maps to */
  uint8_t flags;       /* enum imhe_area_flag */
};
/* The credentials a record's education may name (`defines credential WORD "NAME"`), at most
 * IMHE_MAX_CREDENTIALS (a filter's set of them is a 32-bit mask). */
#define IMHE_MAX_CREDENTIALS 32
struct imhe_credential_def {
  uint32_t word, name; /* strings: the word records write and what it is */
};
/* The roles a reference may have (`defines role WORD "NAME"`), at most IMHE_MAX_ROLES (a slot's
 * roles are a 32-bit mask); the same record as a credential's. */
#define IMHE_MAX_ROLES 32
/* The degrees a record's education may name (`defines degree WORD "NAME"`), in their declared
 * order, lowest first; at most IMHE_MAX_DEGREES (a filter's set of them is a 32-bit mask).
 * GRADUATE marks the degrees the engine takes by meaning: the first graduate degree and those
 * above it are one level of the degree measure ("masters or higher") and count as post-graduate
 * for work done after one. */
#define IMHE_MAX_DEGREES 32
enum imhe_degree_flag { IMHE_DEGREE_GRADUATE = 1 };
struct imhe_degree_def {
  uint32_t word, name; /* strings: the word records write and what it is */
  uint8_t flags;       /* enum imhe_degree_flag */
};
struct imhe_settings {
  uint32_t code, display, name; /* "XX", "XX-AIMH", full name */
  uint8_t membership_any, fees_published, reinstatement;
  int32_t reinstatement_from;
};

/* What a report format renders once per program rather than once per record, hung on the program
 * the first time a report of it is written and freed with it by its own function (json.c: the
 * rules' and conditions' words as JSON). */
struct imhe_program_memo {
  void (*free)(struct imhe_program_memo *m);
};

#define IMHE_PLAN_MEASURES 64 /* room for the measures (measure_table.h, checked there) */
struct imhe_program {
  char *strings;
  uint32_t strings_size; /* NUL-terminated strings */
  uint32_t policy_name;
  uint64_t source_hash;
  char compiler_version[16];
  double *consts;
  uint32_t nconsts;
  struct imhe_era *eras;
  uint32_t neras;
  struct imhe_rule *rules;
  uint32_t nrules;
  struct imhe_cond *conds;
  uint32_t nconds;
  struct imhe_line *lines;
  uint32_t nlines;
  uint8_t *code;
  uint32_t code_size;
  struct imhe_slotset *slotsets;
  uint32_t nslotsets;
  uint32_t *slot_masks;
  uint32_t nslot_masks;
  struct imhe_domain *domains;
  uint32_t ndomains;
  struct imhe_item *items;
  uint32_t nitems;
  struct imhe_fee *fees;
  uint32_t nfees;
  struct imhe_coupon *coupons;
  uint32_t ncoupons;
  struct imhe_deadline *deadlines;
  uint32_t ndeadlines;
  uint32_t *accepted;
  uint32_t naccepted; /* membership association strings */
  struct imhe_renewal *renewals;
  uint32_t nrenewals;
  struct imhe_settings settings;
  struct imhe_track_def *tracks;
  uint32_t ntracks;
  struct imhe_category_def *cats;
  uint32_t ncats;
  /* The competency codes ("DOMAIN.item") hashed to their domain and item, built when a program
   * is loaded (imhe_program_load), so judging looks each code up once in constant time; NULL for
   * a program fresh from the compiler, whose codes are then searched. comp_mask + 1 slots; each
   * code's bytes in comp_keys. */
  struct imhe_comp_slot *comp_index;
  uint32_t comp_mask;
  char *comp_keys;
  struct imhe_fee_kind_def *fee_kinds;
  uint32_t nfee_kinds;
  struct imhe_tab_def *tabs;
  uint32_t ntabs;
  struct imhe_area_def *areas;
  uint32_t nareas;
  struct imhe_credential_def *creds;
  uint32_t ncreds;
  struct imhe_credential_def *roles;
  uint32_t nroles;
  struct imhe_degree_def *degrees;
  uint32_t ndegrees;
  /* a report format's memo (above), NULL until a report of the program is first written; set once
   * by whichever thread stores it first, then only read */
  _Atomic(struct imhe_program_memo *) report_memo;
  /* The words of the enumerations it declares (categories, credentials, roles, degrees, in
   * imhe_declared_slot's order) hashed to their values, built when a program is loaded
   * (imhe_program_load), so that judging looks up each code a record gives in constant time;
   * NULL slots for a program fresh from the compiler, whose words are then searched. */
  struct imhe_word_index {
    struct imhe_word_slot {
      uint32_t hash, value, len; /* value UINT32_MAX: an empty slot; len: the word's */
      const char *word;          /* the word as declared (in the program's strings) */
    } * slot;
    uint32_t mask;
  } words[4];
  /* The category codes again, hashed without regard to ASCII case (imhe_cat_lookup_loose). */
  struct imhe_word_index cats_loose;
  /* The rules a record runs, chosen when a program is loaded (imhe_program_load) rather than
   * tested rule by rule for every record: those of era e for kind slot k (a category's bit, or
   * IMHE_PLAN_RENEWAL, IMHE_PLAN_REINSTATEMENT: the bit of imhe_rule.cats that selects them) are
   * plan_rules[plan_at[i] .. plan_at[i + 1]) for i = e * IMHE_PLAN_KINDS + k, in the program's
   * order, coupons' rules left out; plan_conds[i] the conditions they can record together, and
   * plan_checks[r] those of rule r (its CHECK instructions: jumps go forward, so each runs at most
   * once). NULL for a program fresh from the compiler, whose rules are then chosen as it runs. */
  uint32_t *plan_at, *plan_rules, *plan_conds, *plan_checks;
  /* Each measure's popped values (imhe_measure_pops) for the VM: their count, and 0x10 when the
   * first is a collection; set with the plan. */
  uint8_t plan_pops[IMHE_PLAN_MEASURES];
  /* plan_straight[r] is 1 when rule r's code is of the commonest shapes, which the VM runs by a
   * direct form of its own rather than its loop (vm.c, run_straight): one or more clauses joined
   * by AND and then REQUIRE, ADVISE or ACCEPT, each clause a FACT recorded by CHECKB or CHECKT,
   * or a measure compared to a constant (SECTION and filters without operands from the stack,
   * then a MEASURE of that collection; or a MEASURE of nothing) by CHECK. Set with the plan. */
  uint8_t *plan_straight;
  /* plan_text[r]: rule r's id, description, file and citation, its strings looked up once (every
   * rule a record runs names them in its outcome). Set with the plan. */
  struct imhe_rule_text {
    const char *id, *desc, *file, *cite;
  } * plan_text;
};
#define IMHE_PLAN_KINDS 32
#define IMHE_PLAN_RENEWAL IMHE_MAX_CATEGORIES
#define IMHE_PLAN_REINSTATEMENT (IMHE_MAX_CATEGORIES + 1)
/* The conditions rule ri can record: its CHECK, CHECKB and CHECKT instructions. */
uint32_t imhe_rule_checks(const struct imhe_program *p, uint32_t ri);
struct imhe_comp_slot {
  uint32_t hash, dom, item; /* item UINT32_MAX: an empty slot */
  uint32_t key, len;        /* the code's bytes: comp_keys + key, len of them */
  uint32_t cats, bit;       /* the item's categories, and its place in its domain (item - first) */
};
/* A hash of a competency code's n bytes: its first and last eight bytes and its length (codes
 * differ there), byte by byte when shorter. */
static inline uint32_t imhe_comp_hash(const char *s, size_t n) {
  uint64_t h = n * 0x9E3779B97F4A7C15ull;
  if (n >= 8) {
    uint64_t a, b;
    memcpy(&a, s, 8);
    memcpy(&b, s + n - 8, 8);
    h ^= a * 0xC2B2AE3D27D4EB4Full ^ b * 0x165667B19E3779F9ull;
  } else
    for (size_t i = 0; i < n; i++)
      h = (h ^ (unsigned char)s[i]) * 0x100000001B3ull;
  return (uint32_t)(h ^ h >> 29 ^ h >> 47);
}

/* Whether the n bytes at a and b are the same: eight at a time and the last eight, inline, for the
 * hash probes of codes a record gives (mostly 8 to 32 bytes, which a call of memcmp costs as much
 * as comparing). */
static inline int imhe_same_bytes(const char *a, const char *b, size_t n) {
  uint64_t x, y;
  if (n < 8) {
    for (size_t i = 0; i < n; i++)
      if (a[i] != b[i])
        return 0;
    return 1;
  }
  for (size_t i = 0; i + 8 < n; i += 8) {
    memcpy(&x, a + i, 8);
    memcpy(&y, b + i, 8);
    if (x != y)
      return 0;
  }
  memcpy(&x, a + n - 8, 8);
  memcpy(&y, b + n - 8, 8);
  return x == y;
}

/* The slot of a loaded program's competency code s (n bytes), probed to the first match, or NULL
 * (p->comp_index must be set: a program fresh from the compiler searches its codes instead). */
static inline const struct imhe_comp_slot *imhe_comp_probe(const struct imhe_program *p,
                                                           const char *s, size_t n) {
  uint32_t h = imhe_comp_hash(s, n);
  for (uint32_t at = h & p->comp_mask; p->comp_index[at].item != UINT32_MAX;
       at = (at + 1) & p->comp_mask) {
    const struct imhe_comp_slot *e = &p->comp_index[at];
    if (e->hash == h && e->len == n && imhe_same_bytes(p->comp_keys + e->key, s, n))
      return e;
  }
  return NULL;
}

static inline const char *imhe_str(const struct imhe_program *p, uint32_t i) {
  return (i < p->strings_size) ? p->strings + i : "";
}
/* Every category of the program, as a mask. */
static inline uint32_t imhe_all_cats(const struct imhe_program *p) {
  return p->ncats >= 32 ? 0xffffffffu : (1u << p->ncats) - 1;
}
/* Category i's code and full name; "?" when i is not one (-1: none given). */
static inline const char *imhe_cat_code(const struct imhe_program *p, int i) {
  return i >= 0 && (uint32_t)i < p->ncats ? imhe_str(p, p->cats[i].code) : "?";
}
static inline const char *imhe_cat_name(const struct imhe_program *p, int i) {
  return i >= 0 && (uint32_t)i < p->ncats ? imhe_str(p, p->cats[i].name) : "?";
}
static inline const char *imhe_track_code(const struct imhe_program *p, int t) {
  return t >= 0 && (uint32_t)t < p->ntracks ? imhe_str(p, p->tracks[t].code) : "?";
}
/* Fee kind k's word and name; "?" when k is not one. */
static inline const char *imhe_fee_word(const struct imhe_program *p, uint32_t k) {
  return k < p->nfee_kinds ? imhe_str(p, p->fee_kinds[k].word) : "?";
}
static inline const char *imhe_fee_name(const struct imhe_program *p, uint32_t k) {
  return k < p->nfee_kinds ? imhe_str(p, p->fee_kinds[k].name) : "?";
}
/* Area a's word ("?" when a is not one), its tab's title, and the area with property `flag`
 * (-1 none). A NULL program has none. */
static inline const char *imhe_area_word(const struct imhe_program *p, int a) {
  return p && a >= 0 && (uint32_t)a < p->nareas ? imhe_str(p, p->areas[a].word) : "?";
}
static inline int imhe_area_with(const struct imhe_program *p, unsigned flag) {
  for (uint32_t a = 0; p && a < p->nareas; a++)
    if (p->areas[a].flags & flag)
      return (int)a;
  return -1;
}
/* The area whose word is s (length n), or -1. */
IMHE_INTERNAL_API int imhe_area_lookup_in(const struct imhe_program *p, const char *s, size_t n);
/* The areas of mask `failed` in order of their words (as JSON and CSV list them); the count. */
IMHE_INTERNAL_API int imhe_areas_by_word(const struct imhe_program *p, uint32_t failed,
                                         int order[IMHE_MAX_AREAS]);
/* The values of an enumeration the program declares (ENUM_CATEGORY, ENUM_CREDENTIAL): how many,
 * value i's word ("?" out of range), and the value whose word is s (length n) exactly, or -1. */
static inline uint32_t imhe_declared_count(const struct imhe_program *p, int e) {
  return !p                     ? 0
         : e == ENUM_CATEGORY   ? p->ncats
         : e == ENUM_CREDENTIAL ? p->ncreds
         : e == ENUM_ROLE       ? p->nroles
         : e == ENUM_DEGREE     ? p->ndegrees
                                : 0;
}
static inline const char *imhe_declared_word(const struct imhe_program *p, int e, uint32_t i) {
  if (i >= imhe_declared_count(p, e))
    return "?";
  return imhe_str(p, e == ENUM_CATEGORY     ? p->cats[i].code
                     : e == ENUM_CREDENTIAL ? p->creds[i].word
                     : e == ENUM_ROLE       ? p->roles[i].word
                                            : p->degrees[i].word);
}
IMHE_INTERNAL_API int imhe_declared_lookup(const struct imhe_program *p, int e, const char *s,
                                           size_t n);
/* Which of a program's word indexes (words[]) holds enumeration e's, or -1 for one it does not
 * declare. */
static inline int imhe_declared_slot(int e) {
  return e == ENUM_CATEGORY     ? 0
         : e == ENUM_CREDENTIAL ? 1
         : e == ENUM_ROLE       ? 2
         : e == ENUM_DEGREE     ? 3
                                : -1;
}
/* Degree i's level, the degree measure's value: its place in the declared order, lowest 1, with
 * the first graduate degree and every one above it one level (the class "masters or higher");
 * 0 for no degree (i < 0). */
IMHE_INTERNAL_API int imhe_degree_level(const struct imhe_program *p, int i);
/* The degree naming level v's class (NULL for no degree), *higher set when the class is that
 * degree or higher (the graduate level). */
IMHE_INTERNAL_API const char *imhe_degree_class(const struct imhe_program *p, double v,
                                                int *higher);
/* The category whose code is s (length n) exactly, or -1. */
IMHE_INTERNAL_API int imhe_cat_lookup(const struct imhe_program *p, const char *s, size_t n);
/* The same without regard to ASCII case or surrounding spaces, as a record's codes compare
 * (requirements.md reading 33). */
IMHE_INTERNAL_API int imhe_cat_lookup_loose(const struct imhe_program *p, const char *s, size_t n);

static inline struct imhe_insn imhe_decode(const uint8_t *b) {
  struct imhe_insn in;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  /* the file's byte order is the machine's: one load of the eight bytes */
  uint64_t w;
  memcpy(&w, b, 8);
  in.op = (uint8_t)w;
  in.a = (uint8_t)(w >> 8);
  in.b = (uint16_t)(w >> 16);
  in.c = (uint32_t)(w >> 32);
  return in;
#endif
  in.op = b[0];
  in.a = b[1];
  in.b = (uint16_t)(b[2] | (b[3] << 8));
  in.c = (uint32_t)b[4] | ((uint32_t)b[5] << 8) | ((uint32_t)b[6] << 16) | ((uint32_t)b[7] << 24);
  return in;
}

IMHE_INTERNAL_API void imhe_program_free(struct imhe_program *p);

/* Serialise to a freshly malloc'd buffer (caller frees). */
IMHE_INTERNAL_API int imhe_program_write(const struct imhe_program *p, uint8_t **out, size_t *n);
/* Parse and verify `data`; on failure returns -1 and writes a message naming
 * the offset into err. `check_sum` 0 skips only the checksum comparison. */
IMHE_INTERNAL_API int imhe_program_load(const uint8_t *data, size_t n, int check_sum,
                                        struct imhe_program *out, char *err, size_t errlen);
/* The verifier proper (called by load); exposed for tests. */
IMHE_INTERNAL_API int imhe_verify(const struct imhe_program *p, char *err, size_t errlen);
/* Listing used by `imhe disasm`, the tests and the compiler's own listing. p is a program that
 * imhe_program_load verified, or one fresh from the compiler: its operands are not checked again.
 */
IMHE_INTERNAL_API void imhe_disasm(const struct imhe_program *p, FILE *out);
IMHE_INTERNAL_API uint64_t imhe_fnv1a(const void *data, size_t n, uint64_t h);

#endif
