/* disasm.c — the one disassembler, driven by operand kinds: used by `imhe disasm`, the tests and
 * docs. Each rule with its id, area and file:line; each instruction with offset, source line,
 * opcode, decoded operands. It lists verified programs only: operands are not range-checked here,
 * the verifier has bounded every one of them. */
#include "runtime/bytecode/measure_table.h"
#include "runtime/bytecode/program.h"
#include "runtime/core/dates.h"
#include "runtime/records/schema.h"
#include <stdio.h>

/* The line table's entry for pc, or NULL before the first. */
static const struct imhe_line *line_at(const struct imhe_program *p, uint32_t pc) {
  const struct imhe_line *at = NULL;
  for (uint32_t i = 0; i < p->nlines && p->lines[i].pc <= pc; i++)
    at = &p->lines[i];
  return at;
}

static void mask_names(FILE *f, uint32_t mask, const char *const *names, int n) {
  int first = 1;
  fputc('(', f);
  for (int i = 0; i < n; i++) /* an enumeration has fewer than 32 values */
    if (mask >> i & 1u) {
      fprintf(f, "%s%s", first ? "" : ", ", names[i]);
      first = 0;
    }
  fputc(')', f);
}

static void cats(const struct imhe_program *p, FILE *f, uint32_t mask) {
  int first = 1;
  uint32_t all = imhe_all_cats(p);
  if ((mask & all) == all) {
    fputs("all", f);
    first = 0;
    mask &= ~all;
  }
  if (mask & IMHE_KIND_RENEWAL_BIT) {
    fprintf(f, "%srenewal", first ? "" : ",");
    first = 0;
  }
  if (mask & IMHE_KIND_REINSTATEMENT_BIT) {
    fprintf(f, "%sreinstatement", first ? "" : ",");
    first = 0;
  }
  for (uint32_t i = 0; i < p->ncats; i++)
    if (mask >> i & 1u) {
      fprintf(f, "%s%s", first ? "" : ",", imhe_cat_code(p, (int)i));
      first = 0;
    }
}

/* A measure's name and the operand its row gives it: "sum training.hours", "window 24 months",
 * "slots (supervisor, teacher) (rsc_provider)", "competencies TF", "credential cda". */
static void measure(const struct imhe_program *p, FILE *f, struct imhe_insn in) {
  fputs(imhe_measures[in.a].name, f);
  int n;
  switch (imhe_measure_operand((enum imhe_measure)in.a)) {
  case MOP_NONE:
    break;
  case MOP_FIELD:
    fprintf(f, " %s.%s", imhe_sections[in.b].name, imhe_sections[in.b].fields[in.c].name);
    break;
  case MOP_MONTHS:
    fprintf(f, " %u months", in.c);
    break;
  case MOP_SLOTSET: {
    const struct imhe_slotset *s = &p->slotsets[in.c];
    const char *roles[32]; /* the program's own roles */
    n = (int)imhe_declared_count(p, ENUM_ROLE);
    for (int k = 0; k < n && k < 32; k++)
      roles[k] = imhe_declared_word(p, ENUM_ROLE, (uint32_t)k);
    for (uint32_t k = 0; k < s->count; k++) {
      fputc(' ', f);
      mask_names(f, p->slot_masks[s->first + k], roles, n);
    }
    break;
  }
  case MOP_DOMAIN:
    fprintf(f, " %s", imhe_str(p, p->domains[in.c].code));
    break;
  case MOP_CRED:
    fprintf(f, " %s", imhe_declared_word(p, ENUM_CREDENTIAL, in.c));
    break;
  }
}

static void operands(const struct imhe_program *p, FILE *f, struct imhe_insn in) {
  const struct imhe_opinfo *oi = &imhe_ops[in.op];
  const struct imhe_field_desc *fd = NULL;
  if (oi->kind == OK_FIELD || oi->kind == OK_FIELD_MASK || oi->kind == OK_FIELD_FLAG ||
      oi->kind == OK_FIELD_CMP) {
    fd = &imhe_sections[in.b].fields[in.a];
    fprintf(f, "%s.%s", imhe_sections[in.b].name, fd->name);
  }
  char d[11];
  switch (oi->kind) {
  case OK_NONE:
    break;
  case OK_CONST:
    fprintf(f, "%g %s", p->consts[in.c], imhe_unit_words((imhe_unit)in.a));
    break;
  case OK_DATE:
    imhe_format_date((int32_t)in.c, d);
    fputs(d, f);
    break;
  case OK_SECTION:
    fputs(imhe_sections[in.a].name, f);
    break;
  case OK_FIELD_MASK: {
    int n = (int)imhe_declared_count(p, fd->arg);
    const char *codes[32]; /* the program's own values: categories, credentials */
    for (uint32_t k = 0; k < (uint32_t)n && k < 32; k++)
      codes[k] = imhe_declared_word(p, fd->arg, k);
    const char *const *v =
        imhe_field_is_declared(fd) ? codes : imhe_enum_values((enum imhe_enum)fd->arg, &n);
    fputc(' ', f);
    mask_names(f, in.c, v, n);
    break;
  }
  case OK_FIELD:
    break;
  case OK_FIELD_FLAG:
    fprintf(f, " %s", in.c ? "true" : "false");
    break;
  case OK_FIELD_CMP:
    fprintf(f, " %s", imhe_cmp_symbol[in.c]);
    break;
  case OK_MONTHS_SIGNED:
    fprintf(f, "%+d months", (int32_t)in.c);
    break;
  case OK_COND_QUIET:
    fputs(imhe_cmp_symbol[in.a], f);
    break;
  case OK_FACT:
    fputs(imhe_fact_name[in.a], f);
    break;
  case OK_MEASURE:
    measure(p, f, in);
    break;
  case OK_COND:
    if (in.op == OP_CHECK)
      fprintf(f, "%s ", imhe_cmp_symbol[in.a]);
    fprintf(f, "#%u \"%s\"", in.c, imhe_str(p, p->conds[in.c].desc));
    break;
  case OK_TARGET:
    fprintf(f, "-> %u", in.c);
    break;
  case OK_RULE:
    fputs(imhe_str(p, p->rules[in.c].id), f);
    break;
  }
}

static const char *date_or(int32_t d, char buf[11], const char *open) {
  if (d == IMHE_NO_DATE)
    return open;
  imhe_format_date(d, buf);
  return buf;
}

/* The settings as the program holds them: names, memberships, fees, coupons, deadlines, renewal
 * schemes, reinstatement; then each condition's unit. Lines start with ';' like the header. */
static void settings(const struct imhe_program *p, FILE *f) {
  static const char *const months[] = {
#define X(name) name,
      IMHE_MONTHS(X)
#undef X
  };
  const struct imhe_settings *s = &p->settings;
  char a[11], b[11];
  fprintf(f, "; called \"%s\" (\"%s\"), code %s\n", imhe_str(p, s->name), imhe_str(p, s->display),
          imhe_str(p, s->code));
  fputs("; accepts members of", f);
  if (s->membership_any)
    fputs(" any", f);
  for (uint32_t i = 0; i < p->naccepted; i++)
    fprintf(f, "%s %s", i ? "," : "", imhe_str(p, p->accepted[i]));
  if (!s->membership_any && !p->naccepted)
    fputs(" none", f);
  fputc('\n', f);
  if (!s->fees_published)
    fputs("; fees not published\n", f);
  for (uint32_t i = 0; i < p->nfees; i++) {
    const struct imhe_fee *fe = &p->fees[i];
    fprintf(f, "; fee %s ", imhe_fee_word(p, fe->kind));
    if (fe->cents < 0)
      fputs("not published for ", f);
    else
      fprintf(f, "$%d.%02d for ", fe->cents / 100, fe->cents % 100);
    cats(p, f, fe->cats);
    char day[11];
    if (fe->from != IMHE_NO_DATE) {
      imhe_format_date(fe->from, day);
      fprintf(f, " from %s", day);
    }
    if (fe->until != IMHE_NO_DATE) {
      imhe_format_date(fe->until, day);
      fprintf(f, " until %s", day);
    }
    if (fe->note != UINT32_MAX)
      fprintf(f, " note \"%s\"", imhe_str(p, fe->note));
    fputc('\n', f);
  }
  for (uint32_t i = 0; i < p->ncoupons; i++) {
    const struct imhe_coupon *c = &p->coupons[i];
    fprintf(f, "; coupon \"%s\" waives", imhe_str(p, c->code));
    for (uint32_t k = 0, n = 0; k < p->nfee_kinds; k++)
      if (c->waives >> k & 1u)
        fprintf(f, "%s %s", n++ ? "," : "", imhe_fee_word(p, k));
    fputs(" for ", f);
    cats(p, f, c->cats);
    fprintf(f, " from %s until %s", date_or(c->from, a, "open"), date_or(c->until, b, "open"));
    if (c->rule < p->nrules)
      fprintf(f, " when rule %s", imhe_str(p, p->rules[c->rule].id));
    if (c->note != UINT32_MAX)
      fprintf(f, " note \"%s\"", imhe_str(p, c->note));
    fputc('\n', f);
  }
  if (p->ndeadlines) {
    fputs("; deadlines every year on", f);
    for (uint32_t i = 0; i < p->ndeadlines; i++)
      fprintf(f, "%s %s %u", i ? "," : "",
              p->deadlines[i].month >= 1 && p->deadlines[i].month <= 12
                  ? months[p->deadlines[i].month - 1]
                  : "?",
              p->deadlines[i].day);
    fputc('\n', f);
  }
  for (uint32_t i = 0; i < p->nrenewals; i++) {
    const struct imhe_renewal *r = &p->renewals[i];
    if (r->scheme == RENEW_CYCLE)
      fprintf(f, "; renewal cycle %u years", r->years);
    else
      fputs(r->scheme == RENEW_ANNUAL ? "; renewal annual" : "; renewal none", f);
    /* the verifier has checked the months */
    if (r->due_month >= 1 && r->due_month <= 12)
      fprintf(f, " due %s %u", months[r->due_month - 1], r->due_day);
    if (r->lapse_month >= 1 && r->lapse_month <= 12)
      fprintf(f, " lapses %s %u", months[r->lapse_month - 1], r->lapse_day);
    fprintf(f, " for deadlines from %s until %s\n", date_or(r->from, a, "open"),
            date_or(r->until, b, "open"));
  }
  if (s->reinstatement)
    fprintf(f, "; reinstatement from %s\n", date_or(s->reinstatement_from, a, "open"));
  for (uint32_t i = 0; i < p->nconds; i++) {
    const struct imhe_cond *c = &p->conds[i];
    const char *unit = c->unit < IMHE_UNIT__COUNT ? imhe_unit_words((imhe_unit)c->unit) : "?";
    fprintf(f, "; condition #%u \"%s\" %s:%u: %s%s\n", i, imhe_str(p, c->desc),
            c->rule < p->nrules ? imhe_str(p, p->rules[c->rule].file) : "?", c->line,
            unit[0] ? unit : "no unit",
            c->display == DISP_YEARS    ? ", shown in years"
            : c->display == DISP_MONTHS ? ", shown in months"
                                        : "");
  }
}

void imhe_disasm(const struct imhe_program *p, FILE *f) {
  fprintf(f, "; policy %s (compiler %s, source hash %016llx)\n", imhe_str(p, p->policy_name),
          p->compiler_version, (unsigned long long)p->source_hash);
  int nages;
  const char *const *ages = imhe_enum_values(ENUM_AGE, &nages);
  for (uint32_t t = 0; t < p->ntracks; t++) {
    fprintf(f, "; track %s \"%s\" for ", imhe_track_code(p, (int)t),
            imhe_str(p, p->tracks[t].name));
    mask_names(f, p->tracks[t].ages, ages, nages);
    fputc('\n', f);
  }
  for (uint32_t k = 0; k < p->ncats; k++) {
    fprintf(f, "; category %s \"%s\" in ", imhe_cat_code(p, (int)k), imhe_cat_name(p, (int)k));
    for (uint32_t t = 0, first = 1; t < p->ntracks; t++)
      if (p->cats[k].tracks >> t & 1u) {
        fprintf(f, "%s%s", first ? "" : ", ", imhe_track_code(p, (int)t));
        first = 0;
      }
    fputc('\n', f);
  }
  static const char *const props[] = {
#define X(id, word, meaning) word,
      IMHE_FEE_PROPERTIES(X)
#undef X
  };
  for (uint32_t k = 0; k < p->nfee_kinds; k++) {
    fprintf(f, "; fee kind %s \"%s\" for ", imhe_fee_word(p, k), imhe_fee_name(p, k));
    mask_names(f, p->fee_kinds[k].flags, props, FEE_PROPERTY__COUNT);
    fputc('\n', f);
  }
  static const char *const area_props[] = {
#define X(id, word, meaning) word,
      IMHE_AREA_PROPERTIES(X)
#undef X
  };
  for (uint32_t k = 0; k < p->ncreds; k++)
    fprintf(f, "; credential %s \"%s\"\n", imhe_declared_word(p, ENUM_CREDENTIAL, k),
            imhe_str(p, p->creds[k].name));
  for (uint32_t k = 0; k < p->nroles; k++)
    fprintf(f, "; role %s \"%s\"\n", imhe_declared_word(p, ENUM_ROLE, k),
            imhe_str(p, p->roles[k].name));
  for (uint32_t k = 0; k < p->ndegrees; k++) /* lowest first */
    fprintf(f, "; degree %s \"%s\"%s\n", imhe_declared_word(p, ENUM_DEGREE, k),
            imhe_str(p, p->degrees[k].name),
            p->degrees[k].flags & IMHE_DEGREE_GRADUATE ? " for graduate" : "");
  for (uint32_t t = 0; t < p->ntabs; t++)
    fprintf(f, "; tab %s \"%s\"\n", imhe_str(p, p->tabs[t].code), imhe_str(p, p->tabs[t].title));
  for (uint32_t a = 0; a < p->nareas; a++) {
    fprintf(f, "; area %s \"%s\" in %s", imhe_area_word(p, (int)a), imhe_str(p, p->areas[a].name),
            p->areas[a].tab < p->ntabs ? imhe_str(p, p->tabs[p->areas[a].tab].code) : "?");
    if (p->areas[a].flags) {
      fputs(" for ", f);
      mask_names(f, p->areas[a].flags, area_props, AREA_PROPERTY__COUNT);
    }
    fputc('\n', f);
  }
  for (uint32_t e = 0; e < p->neras; e++) {
    char a[11] = "open", b[11] = "open";
    if (p->eras[e].from != IMHE_NO_DATE)
      imhe_format_date(p->eras[e].from, a);
    if (p->eras[e].until != IMHE_NO_DATE)
      imhe_format_date(p->eras[e].until, b);
    fprintf(f, "; era %u: base %s, as-of from %s until %s, offers ", e,
            imhe_str(p, p->eras[e].base), a, b);
    cats(p, f, p->eras[e].offered);
    fputc('\n', f);
  }
  settings(p, f);
  for (uint32_t i = 0; i < p->nrules; i++) {
    const struct imhe_rule *r = &p->rules[i];
    fprintf(f, "\nrule %s  %s %s era %u for ", imhe_str(p, r->id), imhe_rule_kind_name[r->kind],
            imhe_area_word(p, r->area), r->era);
    cats(p, f, r->cats);
    fprintf(f, "  ; %s:%u\n", imhe_str(p, r->file), r->line);
    if (imhe_str(p, r->cite)[0])
      fprintf(f, "  ; source \"%s\"\n", imhe_str(p, r->cite));
    for (uint32_t pc = r->start; pc + IMHE_INSN_SIZE <= r->end; pc += IMHE_INSN_SIZE) {
      struct imhe_insn in = imhe_decode(p->code + pc);
      char at[300];
      const struct imhe_line *l = line_at(p, pc);
      snprintf(at, sizeof at, "%s:%u", imhe_str(p, l ? l->file : r->file), l ? l->line : 0);
      fprintf(f, "  %5u  %-24s  %-10s ", pc, at, imhe_ops[in.op].name);
      operands(p, f, in);
      fputc('\n', f);
    }
  }
}
