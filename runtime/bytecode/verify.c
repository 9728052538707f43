/* verify.c — proves a loaded program safe to run: indices in range, forward jumps, typed stack.
 * Driven by the opcode X-macro's operand kinds and stack effects; a program it accepts cannot crash
 * or hang the VM. */
#include "runtime/bytecode/measure_table.h"
#include "runtime/bytecode/program.h"
#include "runtime/core/dates.h"
#include "runtime/records/schema.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct state {
  int valid;
  int depth;
  char t[IMHE_MAX_STACK];
  uint8_t sec[IMHE_MAX_STACK];
};

static int str_ok(const struct imhe_program *p, uint32_t s) {
  return s < p->strings_size;
}

/* A string index inside the strings section, else a refusal naming what holds it. */
#define STR(x, what)                                                                               \
  if (!str_ok(p, x)) {                                                                             \
    snprintf(err, errlen, "%s: string index %u out of range (%u bytes of strings)", what,          \
             (unsigned)(x), p->strings_size);                                                      \
    return -1;                                                                                     \
  }

/* The vocabulary: tracks and categories within their bounds, each with a code of its own, each
 * category serving tracks the program declares. */
static int check_vocab(const struct imhe_program *p, char *err, size_t errlen) {
  if (p->ntracks > IMHE_MAX_TRACKS || p->ncats > IMHE_MAX_CATEGORIES) {
    snprintf(err, errlen, "vocabulary: %u tracks and %u categories (at most %d and %d)", p->ntracks,
             p->ncats, IMHE_MAX_TRACKS, IMHE_MAX_CATEGORIES);
    return -1;
  }
  int nages;
  imhe_enum_values(ENUM_AGE, &nages);
  for (uint32_t i = 0; i < p->ntracks; i++) {
    STR(p->tracks[i].code, "track");
    STR(p->tracks[i].name, "track");
    if (p->tracks[i].ages & ~((1u << nages) - 1)) {
      snprintf(err, errlen, "track %u: ages 0x%x beyond the %d values", i, p->tracks[i].ages,
               nages);
      return -1;
    }
    for (uint32_t j = 0; j < i; j++)
      if (!strcmp(imhe_str(p, p->tracks[i].code), imhe_str(p, p->tracks[j].code))) {
        snprintf(err, errlen, "track %u: code '%s' is track %u's too", i,
                 imhe_str(p, p->tracks[i].code), j);
        return -1;
      }
  }
  for (uint32_t i = 0; i < p->ncats; i++) {
    const struct imhe_category_def *k = &p->cats[i];
    STR(k->code, "category");
    STR(k->name, "category");
    if (!*imhe_str(p, k->code) || (k->tracks & ~((1u << p->ntracks) - 1))) {
      snprintf(err, errlen, "category %u: empty code, or tracks 0x%x beyond the %u declared", i,
               k->tracks, p->ntracks);
      return -1;
    }
    for (uint32_t j = 0; j < i; j++)
      if (!strcmp(imhe_str(p, k->code), imhe_str(p, p->cats[j].code))) {
        snprintf(err, errlen, "category %u: code '%s' is category %u's too", i,
                 imhe_str(p, k->code), j);
        return -1;
      }
  }
  return 0;
}

/* The fee kinds: within their bound, each with a word of its own and charged at exactly one time
 * (with an application, a year with a renewal, or once when overdue), only an application's
 * waivable, at most one renewal fee required. */
static int check_fee_kinds(const struct imhe_program *p, char *err, size_t errlen) {
  if (p->nfee_kinds > IMHE_MAX_FEE_KINDS) {
    snprintf(err, errlen, "fee kinds: %u (at most %d)", p->nfee_kinds, IMHE_MAX_FEE_KINDS);
    return -1;
  }
  int required_renewals = 0;
  for (uint32_t i = 0; i < p->nfee_kinds; i++) {
    const struct imhe_fee_kind_def *k = &p->fee_kinds[i];
    STR(k->word, "fee kind");
    STR(k->name, "fee kind");
    unsigned when = k->flags & IMHE_FEE_CHARGED;
    if (!*imhe_str(p, k->word) || (k->flags >> FEE_PROPERTY__COUNT) || !when ||
        (when & (when - 1)) || ((k->flags & FK_WAIVABLE) && when != FK_APPLICATION) ||
        ((k->flags & FK_REQUIRED) && when == FK_OVERDUE)) {
      snprintf(err, errlen,
               "fee kind %u: empty word, or properties 0x%x not one time of charging (waivable "
               "only with an application, required not when overdue)",
               i, k->flags);
      return -1;
    }
    if ((k->flags & FK_REQUIRED) && when == FK_RENEWAL && required_renewals++) {
      snprintf(err, errlen, "fee kind %u: a second required renewal fee", i);
      return -1;
    }
    for (uint32_t j = 0; j < i; j++)
      if (!strcmp(imhe_str(p, k->word), imhe_str(p, p->fee_kinds[j].word))) {
        snprintf(err, errlen, "fee kind %u: word '%s' is fee kind %u's too", i,
                 imhe_str(p, k->word), j);
        return -1;
      }
  }
  return 0;
}

/* The tabs and areas: within their bounds, each with a word of its own, each area on a declared
 * tab; exactly one area where a record's category is reported, at most one the exam's. */
static int check_areas(const struct imhe_program *p, char *err, size_t errlen) {
  if (p->ntabs > IMHE_MAX_TABS || p->nareas > IMHE_MAX_AREAS) {
    snprintf(err, errlen, "areas: %u tabs and %u areas (at most %d and %d)", p->ntabs, p->nareas,
             IMHE_MAX_TABS, IMHE_MAX_AREAS);
    return -1;
  }
  for (uint32_t i = 0; i < p->ntabs; i++) {
    STR(p->tabs[i].code, "tab");
    STR(p->tabs[i].title, "tab");
    for (uint32_t j = 0; j < i; j++)
      if (!strcmp(imhe_str(p, p->tabs[i].code), imhe_str(p, p->tabs[j].code))) {
        snprintf(err, errlen, "tab %u: code '%s' is tab %u's too", i, imhe_str(p, p->tabs[i].code),
                 j);
        return -1;
      }
  }
  int with[AREA_PROPERTY__COUNT] = {0};
  for (uint32_t i = 0; i < p->nareas; i++) {
    const struct imhe_area_def *a = &p->areas[i];
    STR(a->word, "area");
    STR(a->name, "area");
    if (!*imhe_str(p, a->word) || a->tab >= p->ntabs || (a->flags >> AREA_PROPERTY__COUNT)) {
      snprintf(err, errlen, "area %u: empty word, tab %u of %u, or properties 0x%x", i, a->tab,
               p->ntabs, a->flags);
      return -1;
    }
    for (int k = 0; k < AREA_PROPERTY__COUNT; k++)
      with[k] += a->flags >> k & 1u;
    for (uint32_t j = 0; j < i; j++)
      if (!strcmp(imhe_str(p, a->word), imhe_str(p, p->areas[j].word))) {
        snprintf(err, errlen, "area %u: word '%s' is area %u's too", i, imhe_str(p, a->word), j);
        return -1;
      }
  }
  if (with[AREA_BIT_CATEGORY] != 1 || with[AREA_BIT_EXAM] > 1) {
    snprintf(err, errlen,
             "areas: %d for the category (exactly one) and %d for the exam (at most one)",
             with[AREA_BIT_CATEGORY], with[AREA_BIT_EXAM]);
    return -1;
  }
  return 0;
}

/* The credentials or the reference roles (`what`): within their bound, each with a word of its
 * own. */
static int check_words(const struct imhe_program *p, const struct imhe_credential_def *v,
                       uint32_t n, const char *what, char *err, size_t errlen) {
  if (n > IMHE_MAX_CREDENTIALS) {
    snprintf(err, errlen, "%ss: %u (at most %d)", what, n, IMHE_MAX_CREDENTIALS);
    return -1;
  }
  for (uint32_t i = 0; i < n; i++) {
    STR(v[i].word, what);
    STR(v[i].name, what);
    if (!*imhe_str(p, v[i].word)) {
      snprintf(err, errlen, "%s %u: empty word", what, i);
      return -1;
    }
    for (uint32_t j = 0; j < i; j++)
      if (!strcmp(imhe_str(p, v[i].word), imhe_str(p, v[j].word))) {
        snprintf(err, errlen, "%s %u: word '%s' is %s %u's too", what, i, imhe_str(p, v[i].word),
                 what, j);
        return -1;
      }
  }
  return 0;
}
/* The degrees: words as the credentials' are, only known flags, and every degree above a
 * graduate one graduate too (the engine takes the first graduate degree and those above it as
 * one class). */
static int check_degrees(const struct imhe_program *p, char *err, size_t errlen) {
  if (p->ndegrees > IMHE_MAX_DEGREES) {
    snprintf(err, errlen, "degrees: %u (at most %d)", p->ndegrees, IMHE_MAX_DEGREES);
    return -1;
  }
  int graduate = 0;
  for (uint32_t i = 0; i < p->ndegrees; i++) {
    const struct imhe_degree_def *d = &p->degrees[i];
    STR(d->word, "degree");
    STR(d->name, "degree");
    if (!*imhe_str(p, d->word) || (d->flags & ~IMHE_DEGREE_GRADUATE) ||
        (graduate && !(d->flags & IMHE_DEGREE_GRADUATE))) {
      snprintf(err, errlen,
               "degree %u: empty word, flags 0x%x, or not graduate above a graduate one", i,
               d->flags);
      return -1;
    }
    graduate = d->flags & IMHE_DEGREE_GRADUATE;
    for (uint32_t j = 0; j < i; j++)
      if (!strcmp(imhe_str(p, d->word), imhe_str(p, p->degrees[j].word))) {
        snprintf(err, errlen, "degree %u: word '%s' is degree %u's too", i, imhe_str(p, d->word),
                 j);
        return -1;
      }
  }
  return 0;
}
static int check_credentials(const struct imhe_program *p, char *err, size_t errlen) {
  return check_words(p, p->creds, p->ncreds, "credential", err, errlen) != 0 ||
                 check_words(p, p->roles, p->nroles, "role", err, errlen) != 0 ||
                 check_degrees(p, err, errlen) != 0
             ? -1
             : 0;
}

/* The header, eras and rules: strings, kinds, areas, categories, code ranges in order. */
static int check_rules(const struct imhe_program *p, char *err, size_t errlen) {
  if (check_vocab(p, err, errlen) != 0 || check_fee_kinds(p, err, errlen) != 0 ||
      check_areas(p, err, errlen) != 0 || check_credentials(p, err, errlen) != 0)
    return -1;
  uint32_t all = imhe_all_cats(p);
  STR(p->policy_name, "header policy name");
  STR(p->settings.code, "settings");
  STR(p->settings.display, "settings");
  STR(p->settings.name, "settings");
  if (p->neras < 1 || p->neras > 8) {
    snprintf(err, errlen, "eras: %u eras (1 to 8 allowed)", p->neras);
    return -1;
  }
  for (uint32_t i = 0; i < p->neras; i++) {
    STR(p->eras[i].base, "era");
    if (p->eras[i].offered & ~all) {
      snprintf(err, errlen, "era %u: unknown categories in mask 0x%x", i, p->eras[i].offered);
      return -1;
    }
  }
  for (uint32_t i = 0; i < p->naccepted; i++)
    STR(p->accepted[i], "membership");
  uint32_t prev_end = 0;
  for (uint32_t i = 0; i < p->nrules; i++) {
    const struct imhe_rule *r = &p->rules[i];
    STR(r->id, "rule id");
    STR(r->desc, "rule description");
    STR(r->file, "rule source file");
    STR(r->cite, "rule citation");
    if (r->kind >= RK__COUNT || r->area >= p->nareas || r->era >= p->neras ||
        (r->cats & ~(all | IMHE_KIND_RENEWAL_BIT | IMHE_KIND_REINSTATEMENT_BIT))) {
      snprintf(err, errlen, "rule %u: kind, area, era or category out of range", i);
      return -1;
    }
    if (r->start % IMHE_INSN_SIZE || r->end % IMHE_INSN_SIZE || r->start >= r->end ||
        r->end > p->code_size || r->start < prev_end) {
      snprintf(err, errlen,
               "rule %u: code range [%u, %u) is not a run of whole instructions after the "
               "previous rule's inside the %u-byte code section",
               i, r->start, r->end, p->code_size);
      return -1;
    }
    prev_end = r->end;
  }
  if (p->code_size % IMHE_INSN_SIZE) {
    snprintf(err, errlen, "code section: %u bytes is not a whole number of instructions",
             p->code_size);
    return -1;
  }
  return 0;
}

/* Conditions, the line table, slot sets. */
static int check_conditions(const struct imhe_program *p, char *err, size_t errlen) {
  for (uint32_t i = 0; i < p->nconds; i++) {
    const struct imhe_cond *c = &p->conds[i];
    STR(c->desc, "condition");
    if (c->rule >= p->nrules || c->display > DISP_DEGREE || c->unit >= IMHE_UNIT__COUNT) {
      snprintf(err, errlen, "condition %u: rule, display or unit out of range", i);
      return -1;
    }
  }
  for (uint32_t i = 0; i < p->nlines; i++) {
    if (p->lines[i].pc >= p->code_size || (i && p->lines[i].pc <= p->lines[i - 1].pc)) {
      snprintf(err, errlen, "line table entry %u: offset %u out of order or range", i,
               p->lines[i].pc);
      return -1;
    }
    STR(p->lines[i].file, "line table file");
  }
  uint32_t nroles = p->nroles;
  for (uint32_t i = 0; i < p->nslotsets; i++) {
    const struct imhe_slotset *s = &p->slotsets[i];
    if (s->count < 1 || s->count > 8 || s->first > p->nslot_masks ||
        s->count > p->nslot_masks - s->first) {
      snprintf(err, errlen, "slot set %u: range out of bounds", i);
      return -1;
    }
    for (uint32_t k = 0; k < s->count; k++)
      if (p->slot_masks[s->first + k] & ~(nroles >= 32 ? 0xffffffffu : (1u << nroles) - 1)) {
        snprintf(err, errlen, "slot set %u: unknown role in mask", i);
        return -1;
      }
  }
  return 0;
}

/* A date window: each end a day of years 1..9999 or open, the first not after the last. */
static int dates_ok(int32_t from, int32_t until) {
  const int32_t lo = imhe_days_from_civil(1, 1, 1), hi = imhe_days_from_civil(9999, 12, 31);
  if (from != IMHE_NO_DATE && (from < lo || from > hi))
    return 0;
  if (until != IMHE_NO_DATE && (until < lo || until > hi))
    return 0;
  return from == IMHE_NO_DATE || until == IMHE_NO_DATE || from <= until;
}

/* Competency domains and items, fees, coupons. */
static int check_catalogue(const struct imhe_program *p, char *err, size_t errlen) {
  if (p->ndomains > 16) {
    snprintf(err, errlen, "%u competency domains (at most 16)", p->ndomains);
    return -1;
  }
  for (uint32_t i = 0; i < p->ndomains; i++) {
    const struct imhe_domain *d = &p->domains[i];
    STR(d->code, "domain");
    STR(d->name, "domain");
    if (d->first > p->nitems || d->count > p->nitems - d->first || d->count > 64) {
      snprintf(err, errlen, "domain %u: items out of range", i);
      return -1;
    }
  }
  for (uint32_t i = 0; i < p->nitems; i++)
    STR(p->items[i].name, "competency");
  /* an amount of -1 is a fee the association does not publish */
  for (uint32_t i = 0; i < p->nfees; i++) {
    if (p->fees[i].kind >= p->nfee_kinds || p->fees[i].cents < -1 ||
        (p->fees[i].note != UINT32_MAX && !str_ok(p, p->fees[i].note)) ||
        !dates_ok(p->fees[i].from, p->fees[i].until)) {
      snprintf(err, errlen, "fee %u: kind, amount, note or dates out of range", i);
      return -1;
    }
  }
  uint32_t waivable = 0; /* the kinds a coupon may waive */
  for (uint32_t k = 0; k < p->nfee_kinds; k++)
    if (p->fee_kinds[k].flags & FK_WAIVABLE)
      waivable |= 1u << k;
  for (uint32_t i = 0; i < p->ncoupons; i++) {
    const struct imhe_coupon *c = &p->coupons[i];
    STR(c->code, "coupon");
    if ((c->note != UINT32_MAX && !str_ok(p, c->note)) || (c->waives & ~waivable) ||
        (c->rule != IMHE_NO_RULE &&
         (c->rule >= p->nrules || p->rules[c->rule].kind != RK_COUPON))) {
      snprintf(err, errlen, "coupon %u: note, waived fees or condition out of range", i);
      return -1;
    }
  }
  return 0;
}

/* A month and day of a renewal's due or lapse day: both 0 (none) or a real day of the month. */
static int monthday_ok(uint8_t month, uint8_t day) {
  if (!month && !day)
    return 1;
  return month >= 1 && month <= 12 && day >= 1 && day <= imhe_days_in_month(2000, month);
}

/* Deadlines, renewal schemes, constants. */
static int check_settings(const struct imhe_program *p, char *err, size_t errlen) {
  for (uint32_t i = 0; i < p->ndeadlines; i++)
    if (p->deadlines[i].month < 1 || p->deadlines[i].month > 12 || p->deadlines[i].day < 1 ||
        p->deadlines[i].day > 31) {
      snprintf(err, errlen, "deadline %u: impossible month or day", i);
      return -1;
    }
  for (uint32_t i = 0; i < p->nrenewals; i++)
    if (p->renewals[i].scheme > RENEW_CYCLE || p->renewals[i].years > 10 ||
        !(p->renewals[i].hours >= 0 && p->renewals[i].hours < 1e6) ||
        !monthday_ok(p->renewals[i].due_month, p->renewals[i].due_day) ||
        !monthday_ok(p->renewals[i].lapse_month, p->renewals[i].lapse_day) ||
        (p->renewals[i].lapse_month && !p->renewals[i].due_month)) {
      snprintf(err, errlen, "renewal %u: out of range", i);
      return -1;
    }
  for (uint32_t i = 0; i < p->nconsts; i++)
    if (!(p->consts[i] >= -1e12 && p->consts[i] <= 1e12)) {
      snprintf(err, errlen, "constant %u is not a finite quantity", i);
      return -1;
    }
  return 0;
}

#undef STR

static int check_tables(const struct imhe_program *p, char *err, size_t errlen) {
  return check_rules(p, err, errlen) || check_conditions(p, err, errlen) ||
                 check_catalogue(p, err, errlen) || check_settings(p, err, errlen)
             ? -1
             : 0;
}

#define REFUSE(...)                                                                                \
  do {                                                                                             \
    snprintf(err, errlen, __VA_ARGS__);                                                            \
    return -1;                                                                                     \
  } while (0)

/* Pops one value of a type in `allowed` (letters); returns its section. */
static int pop(struct state *s, const char *allowed, char *got) {
  if (s->depth == 0)
    return -1;
  s->depth--;
  *got = s->t[s->depth];
  if (allowed[0] != '?' && !strchr(allowed, *got))
    return -2;
  return s->sec[s->depth];
}

static int field_kind_ok(int op, const struct imhe_field_desc *f) {
  switch (op) {
  case OP_F_ENUM:
    return f->kind == FT_ENUM;
  case OP_F_SET:
    return f->kind == FT_SET;
  case OP_F_TRACK:
    return f->kind == FT_SET && f->arg == ENUM_AGE;
  case OP_F_BOOL:
    return f->kind == FT_BOOL;
  case OP_F_PRESENT:
    return 1;
  case OP_F_CMP:
    return f->kind == FT_NUM || f->kind == FT_DATE;
  }
  return 0;
}

/* The operand a measure's row gives it (measure a is in range). */
static int measure_operand_ok(const struct imhe_program *p, uint32_t pc, struct imhe_insn in,
                              char *err, size_t errlen) {
  const char *name = imhe_measures[in.a].name;
  switch (imhe_measure_operand((enum imhe_measure)in.a)) {
  case MOP_NONE:
    break;
  case MOP_FIELD:
    if (in.b >= IMHE_SECTION__COUNT || in.c >= (uint32_t)imhe_sections[in.b].nfields)
      REFUSE("offset %u: MEASURE %s: field %u of section %u out of range", pc, name, in.c, in.b);
    if (imhe_sections[in.b].fields[in.c].kind != FT_NUM)
      REFUSE("offset %u: MEASURE %s: field %s.%s has the wrong kind", pc, name,
             imhe_sections[in.b].name, imhe_sections[in.b].fields[in.c].name);
    break;
  case MOP_MONTHS:
    if (in.c < 1 || in.c > 600)
      REFUSE("offset %u: MEASURE %s: %u months out of range", pc, name, in.c);
    break;
  case MOP_SLOTSET:
    if (in.c >= p->nslotsets)
      REFUSE("offset %u: MEASURE %s: slot set %u out of range", pc, name, in.c);
    break;
  case MOP_DOMAIN:
    if (in.c >= p->ndomains)
      REFUSE("offset %u: MEASURE %s: domain %u out of range", pc, name, in.c);
    break;
  case MOP_CRED:
    if (in.c >= p->ncreds)
      REFUSE("offset %u: MEASURE %s: credential %u out of range", pc, name, in.c);
    break;
  }
  return 0;
}

/* Which of a, b and c each operand kind uses: those its list entry does not mark "-". An
 * unused operand must be 0, so every instruction has one encoding and no handler can read a
 * field index the verifier never checked (a fuzzed F_OVERLAP with a = 200 once did). */
static const struct {
  unsigned char a, b, c;
} used[] = {
#define X(k, a, b, c) {sizeof(a) > 2, sizeof(b) > 2, sizeof(c) > 2},
    IMHE_OPERAND_KINDS(X)
#undef X
};

/* For a measure, what its row does not use must be 0 as well. */
static int measure_unused_ok(uint32_t pc, struct imhe_insn in, char *err, size_t errlen) {
  enum imhe_measure_operand mop = imhe_measure_operand((enum imhe_measure)in.a);
  if ((mop != MOP_FIELD && in.b) || (mop == MOP_NONE && in.c))
    REFUSE("offset %u: MEASURE %s: unused operand is not 0", pc, imhe_measures[in.a].name);
  return 0;
}

/* The operands of one instruction, as its operand kind says. */
static int operands_ok(const struct imhe_program *p, uint32_t ri, uint32_t pc, struct imhe_insn in,
                       char *err, size_t errlen) {
  const struct imhe_opinfo *oi = &imhe_ops[in.op];
  const struct imhe_rule *r = &p->rules[ri];
  if ((!used[oi->kind].a && in.a) || (!used[oi->kind].b && in.b) || (!used[oi->kind].c && in.c))
    REFUSE("offset %u: %s: unused operand is not 0 (a %u, b %u, c %u)", pc, oi->name, in.a, in.b,
           in.c);
  switch (oi->kind) {
  case OK_NONE:
    break;
  case OK_CONST:
    if (in.a >= IMHE_UNIT__COUNT || in.c >= p->nconsts)
      REFUSE("offset %u: %s: unit %u or constant %u out of range", pc, oi->name, in.a, in.c);
    break;
  case OK_DATE:
    if ((int32_t)in.c < -200000 || (int32_t)in.c > 200000)
      REFUSE("offset %u: DATE: %d is not a plausible date", pc, (int32_t)in.c);
    break;
  case OK_SECTION:
    if (in.a >= IMHE_SECTION__COUNT)
      REFUSE("offset %u: SECTION: section %u out of range", pc, in.a);
    break;
  case OK_FIELD_MASK:
  case OK_FIELD:
  case OK_FIELD_FLAG:
  case OK_FIELD_CMP:
    if (in.b >= IMHE_SECTION__COUNT || in.a >= imhe_sections[in.b].nfields)
      REFUSE("offset %u: %s: field %u of section %u out of range", pc, oi->name, in.a, in.b);
    if (!field_kind_ok(in.op, &imhe_sections[in.b].fields[in.a]))
      REFUSE("offset %u: %s: field %s.%s has the wrong kind", pc, oi->name,
             imhe_sections[in.b].name, imhe_sections[in.b].fields[in.a].name);
    if (oi->kind == OK_FIELD_MASK) {
      /* a value past the enumeration's (or the program's declared) last names nothing: the
       * explanations of the filter would say it wants no value at all */
      const struct imhe_field_desc *fd = &imhe_sections[in.b].fields[in.a];
      int n = 0;
      if (imhe_field_is_declared(fd))
        n = (int)imhe_declared_count(p, fd->arg);
      else
        (void)imhe_enum_values((enum imhe_enum)fd->arg, &n);
      if (!in.c || (n < 32 && in.c >> n))
        REFUSE("offset %u: %s: mask 0x%x names no value of %s.%s's %d", pc, oi->name, in.c,
               imhe_sections[in.b].name, fd->name, n);
    }
    if (oi->kind == OK_FIELD_FLAG && in.c > 1)
      REFUSE("offset %u: %s: flag %u is not 0 or 1", pc, oi->name, in.c);
    if (oi->kind == OK_FIELD_CMP && in.c >= CMP__COUNT)
      REFUSE("offset %u: %s: comparison %u out of range", pc, oi->name, in.c);
    break;
  case OK_MONTHS_SIGNED:
    if ((int32_t)in.c < -1200 || (int32_t)in.c > 1200)
      REFUSE("offset %u: %s: %d months out of range", pc, oi->name, (int32_t)in.c);
    break;
  case OK_COND_QUIET:
    if (in.a >= CMP__COUNT)
      REFUSE("offset %u: %s: comparison %u out of range", pc, oi->name, in.a);
    break;
  case OK_FACT:
    if (in.a >= FACT__COUNT)
      REFUSE("offset %u: FACT: fact %u out of range", pc, in.a);
    break;
  case OK_MEASURE:
    if (in.a >= MEASURE__COUNT)
      REFUSE("offset %u: MEASURE: measure %u out of range", pc, in.a);
    return measure_unused_ok(pc, in, err, errlen) || measure_operand_ok(p, pc, in, err, errlen);
  case OK_COND:
    if (in.c >= p->nconds || p->conds[in.c].rule != ri || in.a >= CMP__COUNT)
      REFUSE("offset %u: %s: condition %u out of range or of another rule", pc, oi->name, in.c);
    break;
  case OK_TARGET:
    if (in.c <= pc || in.c % IMHE_INSN_SIZE || in.c >= r->end)
      REFUSE("offset %u: JUMPF: target %u is not a later instruction of the rule [%u, %u)", pc,
             in.c, r->start, r->end);
    break;
  case OK_RULE:
    if (in.c != ri)
      REFUSE("offset %u: %s names rule %u inside rule %u", pc, oi->name, in.c, ri);
    break;
  }
  return 0;
}

/* Pops the values a pops string lists (bottom first, so in reverse), checking their types;
 * secs[k] gets the section of the k-th. */
static int pop_all(struct state *s, const char *pops, const char *name, uint32_t pc, int secs[8],
                   int *np, char *err, size_t errlen) {
  char want[8][4];
  int n = 0;
  for (const char *q = pops; *q && n < 8;) {
    int k = 0;
    for (; *q && *q != ' '; q++)
      if (*q != '/' && k < 3)
        want[n][k++] = *q;
    want[n++][k] = 0;
    while (*q == ' ')
      q++;
  }
  for (int k = n - 1; k >= 0; k--) {
    char got;
    secs[k] = pop(s, want[k], &got);
    if (secs[k] == -1)
      REFUSE("offset %u: %s pops from an empty stack", pc, name);
    if (secs[k] == -2)
      REFUSE("offset %u: %s expects %s, found %c", pc, name, want[k], got);
  }
  *np = n;
  return 0;
}

static int push(struct state *s, char t, int sec, uint32_t pc, char *err, size_t errlen) {
  if (s->depth >= IMHE_MAX_STACK)
    REFUSE("offset %u: stack deeper than %d", pc, IMHE_MAX_STACK);
  s->t[s->depth] = t;
  s->sec[s->depth] = (uint8_t)(t == 'C' ? sec : 0);
  s->depth++;
  return 0;
}

/* A measure: its arguments as its row says, the entries of a section it accepts (for a field,
 * the field's section), its result. */
static int measure_effect(struct imhe_insn in, struct state *s, uint32_t pc, char *err,
                          size_t errlen) {
  const struct imhe_measure_info *m = &imhe_measures[in.a];
  char pops[4], list[8], name[40];
  int n = imhe_measure_pops((enum imhe_measure)in.a, pops), secs[8], np;
  for (int k = 0; k < n; k++) {
    list[2 * k] = pops[k];
    list[2 * k + 1] = k + 1 < n ? ' ' : 0;
  }
  list[n ? 2 * n - 1 : 0] = 0;
  snprintf(name, sizeof name, "MEASURE %s", m->name);
  if (pop_all(s, list, name, pc, secs, &np, err, errlen) != 0)
    return -1;
  if (n && !imhe_measure_section_ok((enum imhe_measure)in.a, secs[0]))
    REFUSE("offset %u: MEASURE %s needs entries of %s, not of %s", pc, m->name,
           imhe_measure_section_words[m->sections], imhe_sections[secs[0]].name);
  if (imhe_measure_operand((enum imhe_measure)in.a) == MOP_FIELD && secs[0] != in.b)
    REFUSE("offset %u: MEASURE %s reads a field of %s from a collection of %s", pc, m->name,
           imhe_sections[in.b].name, imhe_sections[secs[0]].name);
  return push(s, imhe_vtype_char[m->result], 0, pc, err, errlen);
}

/* The stack effect of one instruction on state s; the rule's kind for a terminal one. */
static int stack_effect(const struct imhe_rule *r, struct imhe_insn in, struct state *s,
                        uint32_t pc, char *err, size_t errlen) {
  const struct imhe_opinfo *oi = &imhe_ops[in.op];
  if (in.op == OP_DUP) {
    if (s->depth < 1)
      REFUSE("offset %u: DUP on an empty stack", pc);
    return push(s, s->t[s->depth - 1], s->sec[s->depth - 1], pc, err, errlen);
  }
  if (in.op == OP_SWAP) {
    if (s->depth < 2)
      REFUSE("offset %u: SWAP needs two values", pc);
    char t = s->t[s->depth - 1];
    uint8_t x = s->sec[s->depth - 1];
    s->t[s->depth - 1] = s->t[s->depth - 2];
    s->sec[s->depth - 1] = s->sec[s->depth - 2];
    s->t[s->depth - 2] = t;
    s->sec[s->depth - 2] = x;
    return 0;
  }
  if (in.op == OP_MEASURE)
    return measure_effect(in, s, pc, err, errlen);
  int secs[8], np;
  if (pop_all(s, oi->pops, oi->name, pc, secs, &np, err, errlen) != 0)
    return -1;
  int sec = np > 0 ? secs[0] : 0, sec2 = np > 1 ? secs[1] : 0;
  if ((oi->kind == OK_FIELD_MASK || oi->kind == OK_FIELD || oi->kind == OK_FIELD_FLAG ||
       oi->kind == OK_FIELD_CMP) &&
      sec != in.b)
    REFUSE("offset %u: %s reads a field of %s from a collection of %s", pc, oi->name,
           imhe_sections[in.b].name, imhe_sections[sec].name);
  if (in.op == OP_F_CMP) {
    int want_date = imhe_sections[in.b].fields[in.a].kind == FT_DATE;
    if ((s->t[s->depth + 1] == 'D') != want_date)
      REFUSE("offset %u: F_CMP compares field %s with a %s", pc,
             imhe_sections[in.b].fields[in.a].name, want_date ? "number" : "date");
  }
  if ((in.op == OP_UNION || in.op == OP_MINUS) && sec != sec2)
    REFUSE("offset %u: %s of collections of different sections", pc, oi->name);
  if (in.op == OP_F_CURRENT && imhe_sections[sec].start < 0)
    REFUSE("offset %u: %s needs entries with date ranges", pc, oi->name);
  if (in.op == OP_F_OVERLAP && (imhe_sections[sec].start < 0 || imhe_sections[sec2].start < 0))
    REFUSE("offset %u: F_OVERLAP needs entries with date ranges", pc);
  if (oi->pushes[0] == '!') {
    if (s->depth != 0)
      REFUSE("offset %u: %s leaves %d value(s) on the stack", pc, oi->name, s->depth);
    if ((in.op == OP_REQUIRE && r->kind != RK_REQUIRE) ||
        (in.op == OP_ADVISE && r->kind != RK_ADVISE) ||
        (in.op == OP_ACCEPT && r->kind != RK_COUPON))
      REFUSE("offset %u: %s ends a rule of kind %s", pc, oi->name, imhe_rule_kind_name[r->kind]);
    return 0;
  }
  if (!oi->pushes[0])
    return 0;
  char t = in.op == OP_FACT ? imhe_vtype_char[imhe_fact_type[in.a]] : oi->pushes[0];
  return push(s, t, in.op == OP_SECTION ? in.a : sec, pc, err, errlen);
}

/* Where the state after instruction i flows: to a jump's target and to the next instruction. A
 * state arriving where another did must agree with it in depth and types; the one falling through
 * is the one kept. */
static int flow(const struct imhe_rule *r, struct state *st, uint32_t n, uint32_t i,
                struct imhe_insn in, const struct state *s, char *err, size_t errlen) {
  uint32_t pc = r->start + i * IMHE_INSN_SIZE;
  uint32_t to[2];
  int nto = 0;
  if (in.op == OP_JUMPF)
    to[nto++] = (in.c - r->start) / IMHE_INSN_SIZE;
  if (imhe_ops[in.op].pushes[0] != '!' && i + 1 < n)
    to[nto++] = i + 1;
  for (int k = 0; k < nto; k++) {
    struct state *d = &st[to[k]];
    if (d->valid && (d->depth != s->depth || memcmp(d->t, s->t, (size_t)s->depth)))
      REFUSE("offset %u: the stack differs on the paths joining at offset %u", pc,
             r->start + to[k] * IMHE_INSN_SIZE);
    if (!d->valid || to[k] == i + 1) {
      *d = *s;
      d->valid = 1;
    }
  }
  return 0;
}

static int verify_rule(const struct imhe_program *p, uint32_t ri, char *err, size_t errlen) {
  const struct imhe_rule *r = &p->rules[ri];
  uint32_t n = (r->end - r->start) / IMHE_INSN_SIZE;
  struct state *st = calloc(n + 1, sizeof *st);
  if (!st)   /* GCOVR_EXCL_BR_LINE: out of memory */
    abort(); /* GCOVR_EXCL_LINE: out of memory */
  st[0].valid = 1;
  int last_terminal = 0, rc = 0;
  for (uint32_t i = 0; i < n && !rc; i++) {
    uint32_t pc = r->start + i * IMHE_INSN_SIZE;
    struct imhe_insn in = imhe_decode(p->code + pc);
    struct state s = st[i];
    if (!s.valid) {
      snprintf(err, errlen, "offset %u (rule %u): unreachable instruction", pc, ri);
      rc = -1;
    } else if (in.op >= OP__COUNT) {
      snprintf(err, errlen, "offset %u: unknown opcode %u", pc, in.op);
      rc = -1;
    } else
      rc = operands_ok(p, ri, pc, in, err, errlen) || stack_effect(r, in, &s, pc, err, errlen) ||
                   flow(r, st, n, i, in, &s, err, errlen)
               ? -1
               : 0;
    last_terminal = !rc && imhe_ops[in.op].pushes[0] == '!';
  }
  if (!rc && !last_terminal) {
    snprintf(err, errlen, "rule %u: code ends at offset %u without a terminal instruction", ri,
             r->end);
    rc = -1;
  }
  free(st);
  return rc;
}

int imhe_verify(const struct imhe_program *p, char *err, size_t errlen) {
  if (check_tables(p, err, errlen) != 0)
    return -1;
  for (uint32_t i = 0; i < p->nrules; i++)
    if (verify_rule(p, i, err, errlen) != 0)
      return -1;
  return 0;
}
