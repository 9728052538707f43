/* test_verify.c — the loader and verifier refuse every malformed .imhec with a reason, and every
 * file they accept (any bit flipped, any truncation) disassembles and runs without crashing. */
#include "helpers.h"
#include "runtime/bytecode/measure_table.h"
#include "runtime/core/dates.h"
#include "runtime/eval/result.h"
#include "runtime/records/stream.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put32(uint8_t *b, uint32_t v) {
  b[0] = (uint8_t)v;
  b[1] = (uint8_t)(v >> 8);
  b[2] = (uint8_t)(v >> 16);
  b[3] = (uint8_t)(v >> 24);
}
static void set_insn(struct imhe_program *p, uint32_t pc, uint8_t op, uint8_t a, uint16_t b,
                     uint32_t c) {
  uint8_t *x = p->code + pc;
  x[0] = op;
  x[1] = a;
  x[2] = (uint8_t)b;
  x[3] = (uint8_t)(b >> 8);
  put32(x + 4, c);
}

/* Loads the golden snippet, lets `mutate` break it, and expects refusal naming `want`. */
static void expect_refused(const char *snippet, void (*mutate)(struct imhe_program *),
                           const char *want) {
  struct imhe_program p;
  char path[200];
  snprintf(path, sizeof path, "tests/golden/%s.imhe", snippet);
  cr_assert_eq(compile_to(path, &p, NULL), 0);
  mutate(&p);
  uint8_t *bytes;
  size_t n;
  imhe_program_write(&p, &bytes, &n);
  struct imhe_program q;
  char err[400] = "";
  cr_expect_neq(imhe_program_load(bytes, n, 1, &q, err, sizeof err), 0,
                "accepted a file that should be refused (%s)", want);
  cr_expect(strstr(err, want), "refusal '%s' does not mention '%s'", err, want);
  free(bytes);
  imhe_program_free(&p);
}

static void m_unknown_op(struct imhe_program *p) {
  p->code[0] = 200;
}
static void m_const_range(struct imhe_program *p) {
  set_insn(p, 16, OP_CONST, IMHE_UNIT_HOURS, 0, 999);
}
static void m_underflow(struct imhe_program *p) {
  set_insn(p, 0, OP_MEASURE, MEASURE_COUNT, 0, 0);
}
static void m_type(struct imhe_program *p) {
  set_insn(p, 0, OP_CONST, IMHE_UNIT_HOURS, 0, 0);
}
static void m_no_terminal(struct imhe_program *p) {
  p->rules[0].end -= 8;
}
static void m_leftover(struct imhe_program *p) {
  set_insn(p, 0, OP_FACT, FACT_MEMBERSHIP, 0, 0);
  set_insn(p, 8, OP_FACT, FACT_AGREEMENT, 0, 0);
  set_insn(p, 16, OP_CHECKB, 0, 0, 0);
  set_insn(p, 24, OP_NOT, 0, 0, 0);
}
static void m_field_section(struct imhe_program *p) {
  set_insn(p, 8, OP_MEASURE, MEASURE_SUM, IMHE_SECTION_RSC, RSC_HOURS);
}
static void m_field_kind(struct imhe_program *p) {
  set_insn(p, 8, OP_MEASURE, MEASURE_SUM, IMHE_SECTION_TRAINING, TRAIN_TITLE);
}
static void m_rule_range(struct imhe_program *p) {
  p->rules[0].end = p->code_size + 8;
}
static void m_misaligned(struct imhe_program *p) {
  p->rules[0].start = 4;
}
static void m_string(struct imhe_program *p) {
  p->rules[0].id = p->strings_size + 10;
}
static void m_cond_rule(struct imhe_program *p) {
  p->conds[0].rule = 7;
}
static void m_area(struct imhe_program *p) {
  p->rules[0].area = 99;
}
static void m_wrong_terminal(struct imhe_program *p) {
  set_insn(p, 32, OP_ADVISE, 0, 0, 0);
}
static void m_rule_operand(struct imhe_program *p) {
  set_insn(p, 32, OP_REQUIRE, 0, 0, 5);
}
static void m_unknown_fact(struct imhe_program *p) {
  set_insn(p, 48, OP_FACT, 77, 0, 0);
}
static void m_jump_back(struct imhe_program *p) {
  set_insn(p, 56, OP_JUMPF, 0, 0, 48);
}
static void m_jump_misaligned(struct imhe_program *p) {
  set_insn(p, 56, OP_JUMPF, 0, 0, 85);
}
static void m_jump_out(struct imhe_program *p) {
  set_insn(p, 56, OP_JUMPF, 0, 0, 4096);
}
static void m_join_differs(struct imhe_program *p) {
  /* at the jump target the stack is empty on one path, holds a truth on the other */
  set_insn(p, 80, OP_CHECKB, 0, 0, 1);
}
static void m_slotset(struct imhe_program *p) {
  set_insn(p, 16, OP_MEASURE, MEASURE_SLOTS, 0, 9);
}
static void m_unknown_measure(struct imhe_program *p) {
  set_insn(p, 8, OP_MEASURE, MEASURE__COUNT, 0, 0);
}
static void m_measure_section(struct imhe_program *p) {
  /* the training entries of sum-compare measured by a measure of rsc entries */
  set_insn(p, 8, OP_MEASURE, MEASURE_WINDOW, 0, 24);
}
static void m_measure_operand(struct imhe_program *p) {
  set_insn(p, 8, OP_MEASURE, MEASURE_WINDOW, 0, 601);
}
static void m_slot_bounds(struct imhe_program *p) {
  p->slotsets[0].count = 50;
}
static void m_line_order(struct imhe_program *p) {
  if (p->nlines > 1)
    p->lines[1].pc = 0;
}
static void m_line_file(struct imhe_program *p) {
  p->lines[0].file = p->strings_size + 7;
}
static void m_unreachable(struct imhe_program *p) {
  set_insn(p, 0, OP_SKIP, 0, 0, 0);
}
static void m_deadline(struct imhe_program *p) {
  p->deadlines[0].month = 13;
}
static void m_coupon(struct imhe_program *p) {
  p->coupons[0].rule = 0;
}
static void m_fee_dates(struct imhe_program *p) {
  p->fees[0].from = 20000;
  p->fees[0].until = 19999;
}
static void m_fee_date_range(struct imhe_program *p) {
  p->fees[0].from = INT32_MAX;
}
static void m_renewal_due(struct imhe_program *p) {
  p->renewals[0].due_month = 2;
  p->renewals[0].due_day = 30;
}
static void m_renewal_lapse_alone(struct imhe_program *p) {
  p->renewals[0].due_month = 0;
  p->renewals[0].due_day = 0;
  p->renewals[0].lapse_month = 2;
  p->renewals[0].lapse_day = 1;
}
static void m_eras(struct imhe_program *p) {
  p->neras = 0;
}
static void m_const_nan(struct imhe_program *p) {
  p->consts[0] = 0.0 / 0.0;
}
static void m_deep(struct imhe_program *p) {
  /* 33 pushes exceed the stack limit: rebuild the code of rule 0 */
  uint8_t *code = calloc(40, 8);
  p->code = realloc(p->code, 40 * 8);
  memcpy(p->code, code, 40 * 8);
  free(code);
  p->code_size = 40 * 8;
  for (uint32_t i = 0; i < 34; i++)
    set_insn(p, i * 8, OP_ASOF, 0, 0, 0);
  set_insn(p, 34 * 8, OP_REQUIRE, 0, 0, 0);
  p->rules[0].start = 0;
  p->rules[0].end = 35 * 8;
  p->nrules = 1;
  p->nlines = 0;
}

/* Code whose stack types are consistent up to one refused instruction: the verifier walks in
 * order, so what follows it does not matter. */
static void m_swap_short(struct imhe_program *p) {
  set_insn(p, 0, OP_ASOF, 0, 0, 0);
  set_insn(p, 8, OP_SWAP, 0, 0, 0);
}
static void m_union_sections(struct imhe_program *p) {
  set_insn(p, 0, OP_SECTION, IMHE_SECTION_TRAINING, 0, 0);
  set_insn(p, 8, OP_SECTION, IMHE_SECTION_RSC, 0, 0);
  set_insn(p, 16, OP_UNION, 0, 0, 0);
}
static void m_minus_sections(struct imhe_program *p) {
  set_insn(p, 0, OP_SECTION, IMHE_SECTION_WORK, 0, 0);
  set_insn(p, 8, OP_SECTION, IMHE_SECTION_RSC, 0, 0);
  set_insn(p, 16, OP_MINUS, 0, 0, 0);
}
static void m_overlap_undated(struct imhe_program *p) {
  set_insn(p, 0, OP_SECTION, IMHE_SECTION_TRAINING, 0, 0);
  set_insn(p, 8, OP_SECTION, IMHE_SECTION_RSC, 0, 0);
  set_insn(p, 16, OP_F_OVERLAP, 0, 0, 0);
}
static void m_current_undated(struct imhe_program *p) {
  set_insn(p, 0, OP_SECTION, IMHE_SECTION_TRAINING, 0, 0);
  set_insn(p, 8, OP_F_CURRENT, 0, 0, 0);
}
static void m_fcmp_date(struct imhe_program *p) {
  set_insn(p, 0, OP_SECTION, IMHE_SECTION_TRAINING, 0, 0);
  set_insn(p, 8, OP_DATE, 0, 0, 0);
  set_insn(p, 16, OP_F_CMP, TRAIN_HOURS, IMHE_SECTION_TRAINING, CMP_GE);
}
static void m_fcmp_number(struct imhe_program *p) {
  set_insn(p, 0, OP_SECTION, IMHE_SECTION_TRAINING, 0, 0);
  set_insn(p, 8, OP_CONST, IMHE_UNIT_HOURS, 0, 0);
  set_insn(p, 16, OP_F_CMP, TRAIN_DATE, IMHE_SECTION_TRAINING, CMP_GE);
}
static void m_mask_past_enum(struct imhe_program *p) { /* work kinds are few, not 21 */
  set_insn(p, 0, OP_SECTION, IMHE_SECTION_WORK, 0, 0);
  set_insn(p, 8, OP_F_ENUM, WORK_KIND, IMHE_SECTION_WORK, 1u << 20);
}
static void m_mask_past_declared(struct imhe_program *p) { /* a role the program never declared */
  set_insn(p, 0, OP_SECTION, IMHE_SECTION_REFERENCES, 0, 0);
  set_insn(p, 8, OP_F_ENUM, REF_ROLE, IMHE_SECTION_REFERENCES, 1u << 31);
}
static void m_mask_empty(struct imhe_program *p) {
  set_insn(p, 0, OP_SECTION, IMHE_SECTION_WORK, 0, 0);
  set_insn(p, 8, OP_F_SET, WORK_AGES, IMHE_SECTION_WORK, 0);
}
static void m_domains(struct imhe_program *p) {
  p->domains = realloc(p->domains, 17 * sizeof *p->domains);
  memset(p->domains, 0, 17 * sizeof *p->domains);
  p->ndomains = 17;
}

/* The vocabulary's bounds: a category serving an undeclared track, two categories of one code,
 * more categories than a mask holds, a track serving ages that do not exist, an era offering a
 * category beyond the table. */
static void m_cat_tracks(struct imhe_program *p) {
  p->cats[0].tracks = 1u << 5;
}
static void m_cat_twice(struct imhe_program *p) {
  p->cats[1].code = p->cats[0].code;
}
static void m_cats_too_many(struct imhe_program *p) {
  p->cats = realloc(p->cats, 31 * sizeof *p->cats);
  for (uint32_t i = p->ncats; i < 31; i++)
    p->cats[i] = p->cats[0];
  p->ncats = 31;
}
static void m_track_ages(struct imhe_program *p) {
  p->tracks[0].ages = 1u << 7;
}
static void m_track_twice(struct imhe_program *p) {
  p->tracks[1].code = p->tracks[0].code;
}
static void m_era_beyond(struct imhe_program *p) {
  p->eras[0].offered |= 1u << p->ncats;
}
Test(verifier, vocabulary_bounds) {
  expect_refused("sum-compare", m_cat_tracks, "category 0: empty code, or tracks 0x20 beyond");
  expect_refused("sum-compare", m_cat_twice, "category 1: code 'IFA' is category 0's too");
  expect_refused("sum-compare", m_cats_too_many, "31 categories (at most 8 and 30)");
  expect_refused("sum-compare", m_track_ages, "track 0: ages 0x80 beyond the 3 values");
  expect_refused("sum-compare", m_track_twice, "track 1: code 'IMH' is track 0's too");
  expect_refused("sum-compare", m_era_beyond, "era 0: unknown categories in mask");
}

/* The fee kinds' bounds (the golden settings policy has the catalogue's five and fees of them): a
 * kind charged at two times or none, a waivable renewal fee, a required overdue fee, two required
 * renewal fees, two kinds of one word, more kinds than a coupon's byte holds, a fee line or a
 * coupon naming a kind beyond the table or one it may not waive. */
static void m_fee_two_times(struct imhe_program *p) {
  p->fee_kinds[0].flags |= FK_RENEWAL;
}
static void m_fee_no_time(struct imhe_program *p) {
  p->fee_kinds[0].flags = FK_WAIVABLE;
}
static void m_fee_waivable_renewal(struct imhe_program *p) {
  p->fee_kinds[3].flags |= FK_WAIVABLE;
}
static void m_fee_required_overdue(struct imhe_program *p) {
  p->fee_kinds[4].flags |= FK_REQUIRED;
}
static void m_fee_two_required(struct imhe_program *p) {
  p->fee_kinds[3].flags |= FK_REQUIRED;
}
static void m_fee_unknown_property(struct imhe_program *p) {
  p->fee_kinds[0].flags |= 1u << FEE_PROPERTY__COUNT;
}
static void m_fee_word_twice(struct imhe_program *p) {
  p->fee_kinds[1].word = p->fee_kinds[0].word;
}
static void m_fee_kinds_too_many(struct imhe_program *p) {
  p->fee_kinds = realloc(p->fee_kinds, 9 * sizeof *p->fee_kinds);
  for (uint32_t i = p->nfee_kinds; i < 9; i++)
    p->fee_kinds[i] = p->fee_kinds[0];
  p->nfee_kinds = 9;
}
static void m_fee_kind_beyond(struct imhe_program *p) {
  p->fees[0].kind = (uint8_t)p->nfee_kinds;
}
static void m_coupon_waives_unwaivable(struct imhe_program *p) {
  p->coupons[0].waives |= 1u << 2;
}
Test(verifier, fee_kind_bounds) {
  const char *when = "not one time of charging";
  expect_refused("settings", m_fee_two_times, when);
  expect_refused("settings", m_fee_no_time, when);
  expect_refused("settings", m_fee_waivable_renewal, "fee kind 3: empty word, or properties");
  expect_refused("settings", m_fee_required_overdue, "fee kind 4: empty word, or properties");
  expect_refused("settings", m_fee_unknown_property, "fee kind 0: empty word, or properties");
  expect_refused("settings", m_fee_two_required, "fee kind 3: a second required renewal fee");
  expect_refused("settings", m_fee_word_twice,
                 "fee kind 1: word 'registration' is fee kind 0's too");
  expect_refused("settings", m_fee_kinds_too_many, "fee kinds: 9 (at most 8)");
  expect_refused("settings", m_fee_kind_beyond, "fee 0: kind, amount, note or dates out of range");
  expect_refused("settings", m_coupon_waives_unwaivable,
                 "coupon 0: note, waived fees or condition out of range");
}

/* The areas' and tabs' bounds: an area on a tab beyond the table, two areas or tabs of one word,
 * no area for the category or two, two for the exam, an unknown property, more areas than a
 * result's failed areas hold, a rule of an area beyond the table. */
static void m_area_tab_beyond(struct imhe_program *p) {
  p->areas[0].tab = (uint8_t)p->ntabs;
}
static void m_area_twice(struct imhe_program *p) {
  p->areas[1].word = p->areas[0].word;
}
static void m_tab_twice(struct imhe_program *p) {
  p->tabs[1].code = p->tabs[0].code;
}
static void m_area_no_category(struct imhe_program *p) {
  p->areas[0].flags = 0;
}
static void m_area_two_exams(struct imhe_program *p) {
  p->areas[1].flags = AK_EXAM;
}
static void m_area_unknown_property(struct imhe_program *p) {
  p->areas[1].flags = 1u << AREA_PROPERTY__COUNT;
}
static void m_areas_too_many(struct imhe_program *p) {
  p->areas = realloc(p->areas, 33 * sizeof *p->areas);
  for (uint32_t i = p->nareas; i < 33; i++)
    p->areas[i] = p->areas[1];
  p->nareas = 33;
}
static void m_rule_area_beyond(struct imhe_program *p) {
  p->rules[0].area = (uint8_t)p->nareas;
}
Test(verifier, area_bounds) {
  expect_refused("sum-compare", m_area_tab_beyond, "area 0: empty word, tab 11 of 11");
  expect_refused("sum-compare", m_area_twice, "area 1: word 'category' is area 0's too");
  expect_refused("sum-compare", m_tab_twice, "tab 1: code 'details' is tab 0's too");
  expect_refused("sum-compare", m_area_no_category,
                 "areas: 0 for the category (exactly one) and 1 for the exam");
  expect_refused("sum-compare", m_area_two_exams, "and 2 for the exam (at most one)");
  expect_refused("sum-compare", m_area_unknown_property, "area 1: empty word, tab 0 of 11, or");
  expect_refused("sum-compare", m_areas_too_many, "11 tabs and 33 areas (at most 32 and 32)");
  expect_refused("sum-compare", m_rule_area_beyond, "rule 0: kind, area, era or category");
}

/* The credentials' bounds (the golden settings policy's coupon asks credential(...)): two of one
 * word, more than a filter's mask holds, credential(...) of one beyond the table. */
static void m_cred_twice(struct imhe_program *p) {
  p->creds[1].word = p->creds[0].word;
}
static void m_creds_too_many(struct imhe_program *p) {
  p->creds = realloc(p->creds, 33 * sizeof *p->creds);
  for (uint32_t i = p->ncreds; i < 33; i++)
    p->creds[i] = p->creds[0];
  p->ncreds = 33;
}
static void m_cred_beyond(struct imhe_program *p) {
  p->ncreds = 2; /* the coupon's condition asks for the third */
}
Test(verifier, credential_bounds) {
  expect_refused("settings", m_cred_twice, "credential 1: word 'cda' is credential 0's too");
  expect_refused("settings", m_creds_too_many, "credentials: 33 (at most 32)");
  expect_refused("settings", m_cred_beyond, "MEASURE credential: credential 2 out of range");
}

/* The degrees' bounds: two of one word, more than a filter's mask holds, a flag the engine does not
 * know, and a degree that is not graduate above a graduate one (the engine takes the first
 * graduate degree and those above it as one level). */
static void m_degree_twice(struct imhe_program *p) {
  p->degrees[1].word = p->degrees[0].word;
}
static void m_degrees_too_many(struct imhe_program *p) {
  p->degrees = realloc(p->degrees, 33 * sizeof *p->degrees);
  for (uint32_t i = p->ndegrees; i < 33; i++)
    p->degrees[i] = p->degrees[p->ndegrees - 1];
  p->ndegrees = 33;
}
static void m_degree_flag(struct imhe_program *p) {
  p->degrees[0].flags = 0x80;
}
static void m_degree_order(struct imhe_program *p) {
  p->degrees[p->ndegrees - 1].flags = 0; /* the highest, not graduate, above graduate ones */
}
Test(verifier, degree_bounds) {
  expect_refused("settings", m_degree_twice, "degree 1: word 'associate' is degree 0's too");
  expect_refused("settings", m_degrees_too_many, "degrees: 33 (at most 32)");
  expect_refused("settings", m_degree_flag, "degree 0: empty word, flags 0x80");
  expect_refused("settings", m_degree_order, "degree 4: empty word, flags 0x0, or not graduate");
}

/* Each refusal of ill-typed code and oversized catalogues, by the verifier's own message. */
Test(verifier, swap_needs_two_values) {
  expect_refused("sum-compare", m_swap_short, "SWAP needs two values");
}
Test(verifier, union_and_minus_of_different_sections) {
  expect_refused("sum-compare", m_union_sections, "UNION of collections of different sections");
  expect_refused("sum-compare", m_minus_sections, "MINUS of collections of different sections");
}
Test(verifier, overlap_needs_date_ranges) {
  expect_refused("sum-compare", m_overlap_undated, "F_OVERLAP needs entries with date ranges");
  expect_refused("sum-compare", m_current_undated, "F_CURRENT needs entries with date ranges");
}
Test(verifier, field_compared_with_the_wrong_type) {
  expect_refused("sum-compare", m_fcmp_date, "F_CMP compares field hours with a date");
  expect_refused("sum-compare", m_fcmp_number, "F_CMP compares field date with a number");
}
/* A filter's mask names values of its field's enumeration (or of the program's declared words):
 * one naming none would be explained as wanting nothing at all. */
Test(verifier, filter_masks_name_known_values) {
  expect_refused("sum-compare", m_mask_past_enum,
                 "F_ENUM: mask 0x100000 names no value of work.kind");
  expect_refused("sum-compare", m_mask_past_declared, "names no value of references.role");
  expect_refused("sum-compare", m_mask_empty, "F_SET: mask 0x0 names no value of work.ages");
}
Test(verifier, at_most_16_competency_domains) {
  expect_refused("sum-compare", m_domains, "17 competency domains (at most 16)");
}

Test(verifier, unknown_opcode) {
  expect_refused("sum-compare", m_unknown_op, "unknown opcode");
}
Test(verifier, constant_out_of_range) {
  expect_refused("sum-compare", m_const_range, "constant 999 out of range");
}
Test(verifier, stack_underflow) {
  expect_refused("sum-compare", m_underflow, "empty stack");
}
Test(verifier, operand_type) {
  expect_refused("sum-compare", m_type, "expects C");
}
Test(verifier, missing_terminal) {
  expect_refused("sum-compare", m_no_terminal, "without a terminal");
}
Test(verifier, values_left_on_stack) {
  expect_refused("sum-compare", m_leftover, "leaves");
}
Test(verifier, field_of_other_section) {
  expect_refused("sum-compare", m_field_section, "reads a field of rsc");
}
Test(verifier, field_of_wrong_kind) {
  expect_refused("sum-compare", m_field_kind, "wrong kind");
}
Test(verifier, rule_range_past_code) {
  expect_refused("sum-compare", m_rule_range, "code range");
}
Test(verifier, rule_range_misaligned) {
  expect_refused("sum-compare", m_misaligned, "whole instructions");
}
Test(verifier, string_index) {
  expect_refused("sum-compare", m_string, "string index");
}
Test(verifier, condition_of_other_rule) {
  expect_refused("sum-compare", m_cond_rule, "condition 0");
}
Test(verifier, area_out_of_range) {
  expect_refused("sum-compare", m_area, "out of range");
}
Test(verifier, terminal_of_wrong_kind) {
  expect_refused("sum-compare", m_wrong_terminal, "ends a rule of kind");
}
Test(verifier, terminal_names_other_rule) {
  expect_refused("sum-compare", m_rule_operand, "names rule 5");
}
Test(verifier, unknown_fact) {
  expect_refused("slots-guard", m_unknown_fact, "fact 77");
}
Test(verifier, backward_jump) {
  expect_refused("slots-guard", m_jump_back, "not a later instruction");
}
Test(verifier, jump_off_boundary) {
  expect_refused("slots-guard", m_jump_misaligned, "not a later instruction");
}
Test(verifier, jump_outside_rule) {
  expect_refused("slots-guard", m_jump_out, "not a later instruction");
}
Test(verifier, stack_differs_at_join) {
  expect_refused("slots-guard", m_join_differs, "differs");
}
Test(verifier, slot_set_index) {
  expect_refused("slots-guard", m_slotset, "slot set 9");
}
Test(verifier, unknown_measure) {
  expect_refused("sum-compare", m_unknown_measure, "MEASURE: measure");
}
Test(verifier, measure_of_a_section_it_refuses) {
  expect_refused("sum-compare", m_measure_section, "MEASURE window needs entries of rsc");
}
Test(verifier, measure_operand_out_of_range) {
  expect_refused("sum-compare", m_measure_operand, "601 months out of range");
}
Test(verifier, slot_set_bounds) {
  expect_refused("slots-guard", m_slot_bounds, "slot set 0");
}
Test(verifier, line_table_order) {
  expect_refused("slots-guard", m_line_order, "line table");
}
Test(verifier, line_table_file_out_of_range) {
  expect_refused("slots-guard", m_line_file, "line table file: string index");
}
Test(verifier, unreachable_code) {
  expect_refused("sum-compare", m_unreachable, "unreachable");
}
Test(verifier, impossible_deadline) {
  expect_refused("settings", m_deadline, "deadline");
}
Test(verifier, coupon_condition_not_a_coupon_rule) {
  expect_refused("settings", m_coupon, "coupon 0");
}
Test(verifier, fee_ending_before_it_starts) {
  expect_refused("settings", m_fee_dates, "fee 0");
}
Test(verifier, fee_date_out_of_range) {
  expect_refused("settings", m_fee_date_range, "fee 0");
}
Test(verifier, renewal_due_day_impossible) {
  expect_refused("settings", m_renewal_due, "renewal 0");
}
Test(verifier, renewal_lapse_without_due_day) {
  expect_refused("settings", m_renewal_lapse_alone, "renewal 0");
}
Test(verifier, no_era) {
  expect_refused("sum-compare", m_eras, "eras");
}
Test(verifier, constant_not_finite) {
  expect_refused("sum-compare", m_const_nan, "not a finite");
}
Test(verifier, stack_too_deep) {
  expect_refused("sum-compare", m_deep, "deeper than");
}

static void m_date(struct imhe_program *p) {
  set_insn(p, 16, OP_DATE, 0, 0, 300000);
}
static void m_dup_empty(struct imhe_program *p) {
  set_insn(p, 0, OP_DUP, 0, 0, 0);
}
static void m_deadline_day(struct imhe_program *p) {
  p->deadlines[0].day = 0;
}
static void m_code_tail(struct imhe_program *p) {
  p->code = realloc(p->code, p->code_size + 4);
  memset(p->code + p->code_size, 0, 4);
  p->code_size += 4;
}
Test(verifier, implausible_date) {
  expect_refused("sum-compare", m_date, "not a plausible date");
}
Test(verifier, dup_on_empty_stack) {
  expect_refused("sum-compare", m_dup_empty, "DUP on an empty stack");
}
Test(verifier, deadline_on_day_zero) {
  expect_refused("settings", m_deadline_day, "deadline 0: impossible month or day");
}
Test(verifier, code_of_partial_instructions) {
  expect_refused("sum-compare", m_code_tail, "not a whole number of instructions");
}

/* ---- file-level faults ---- */

static uint8_t *good_file(size_t *n) {
  uint8_t *b = compile_bytes("rules/wi.imhe", n);
  cr_assert(b);
  return b;
}
static void refit_checksum(uint8_t *b, size_t n) {
  memset(b + 52, 0, 4);
  put32(b + 52, imhe_crc32(b, n));
}
static void expect_file_refused(uint8_t *b, size_t n, int check, const char *want) {
  struct imhe_program q;
  char err[400] = "";
  cr_expect_neq(imhe_program_load(b, n, check, &q, err, sizeof err), 0, "accepted (%s)", want);
  cr_expect(strstr(err, want), "refusal '%s' does not mention '%s'", err, want);
  cr_expect(strstr(err, "offset") || strstr(err, "section"), "refusal '%s' names no offset", err);
}

Test(loader, truncated_header) {
  size_t n;
  uint8_t *b = good_file(&n);
  expect_file_refused(b, 20, 1, "truncated");
  free(b);
}
Test(loader, wrong_magic) {
  size_t n;
  uint8_t *b = good_file(&n);
  b[0] = 'X';
  expect_file_refused(b, n, 1, "magic");
  free(b);
}
Test(loader, line_endings_converted) {
  size_t n;
  uint8_t *b = good_file(&n);
  b[6] = '\n';
  expect_file_refused(b, n, 1, "line endings");
  free(b);
}
Test(loader, other_format_version) {
  size_t n;
  uint8_t *b = good_file(&n);
  b[8] = 9;
  refit_checksum(b, n);
  expect_file_refused(b, n, 1, "format version 9");
  free(b);
}
Test(loader, checksum_mismatch) {
  size_t n;
  uint8_t *b = good_file(&n);
  b[n - 3] ^= 1;
  expect_file_refused(b, n, 1, "checksum");
  free(b);
}
Test(loader, truncated_body) {
  size_t n;
  uint8_t *b = good_file(&n);
  expect_file_refused(b, n - 10, 1, "truncated");
  free(b);
}
Test(loader, section_past_end) {
  size_t n;
  uint8_t *b = good_file(&n);
  put32(b + 64 + 8, 0x7fffff); /* size of the first section */
  refit_checksum(b, n);
  expect_file_refused(b, n, 1, "past the end");
  free(b);
}
Test(loader, sections_overlap) {
  size_t n;
  uint8_t *b = good_file(&n);
  uint32_t off1 = (uint32_t)b[64 + 4] | (uint32_t)b[64 + 5] << 8 | (uint32_t)b[64 + 6] << 16;
  put32(b + 64 + 12 + 4, off1); /* second section starts where the first does */
  refit_checksum(b, n);
  expect_file_refused(b, n, 1, "overlaps");
  free(b);
}

/* ---- sweeps: every bit flipped, every length ---- */

static struct imhe_record sample_record(void) {
  char err[200];
  struct imhe_loader *l = imhe_loader_open("examples/wi-ifs-eligible.yaml", NULL, err, sizeof err);
  cr_assert(l, "%s", err);
  struct imhe_record r;
  cr_assert_eq(imhe_loader_next(l, &r), 1);
  imhe_loader_close(l);
  return r;
}

static void exercise(const uint8_t *b, size_t n, int check, unsigned *accepted) {
  struct imhe_program q;
  char err[400];
  if (imhe_program_load(b, n, check, &q, err, sizeof err) != 0)
    return;
  (*accepted)++;
  FILE *null = fopen("/dev/null", "w");
  imhe_disasm(&q, null);
  fclose(null);
  struct imhe_record r = sample_record();
  struct imhe_result res;
  for (uint32_t cat = 0; cat < q.ncats; cat += 3)
    imhe_evaluate_as(&q, &r, &r.arena, imhe_days_from_civil(2025, 6, 1), 0, (int)cat, &res);
  imhe_record_clear(&r);
  imhe_program_free(&q);
}

Test(loader, every_bit_flip_is_refused_or_runs_cleanly, .timeout = 600) {
  size_t n;
  uint8_t *b = compile_bytes("tests/golden/settings.imhe", &n);
  cr_assert(b);
  unsigned accepted = 0;
  for (size_t i = 0; i < n * 8; i++) {
    b[i / 8] ^= (uint8_t)(1u << (i % 8));
    exercise(b, n, 0, &accepted);
    b[i / 8] ^= (uint8_t)(1u << (i % 8));
  }
  /* With the checksum on, no flipped file gets through at all. */
  unsigned with_sum = 0;
  for (size_t i = 0; i < n * 8; i += 7) {
    b[i / 8] ^= (uint8_t)(1u << (i % 8));
    struct imhe_program q;
    char err[300];
    if (imhe_program_load(b, n, 1, &q, err, sizeof err) == 0) {
      with_sum++;
      imhe_program_free(&q);
    }
    b[i / 8] ^= (uint8_t)(1u << (i % 8));
  }
  cr_expect_eq(with_sum, 0);
  cr_log_info("%u of %zu single-bit mutants verified and ran", accepted, n * 8);
  free(b);
}

Test(loader, every_truncation_is_refused, .timeout = 300) {
  size_t n;
  uint8_t *b = compile_bytes("rules/mi.imhe", &n);
  cr_assert(b);
  for (size_t len = 0; len < n; len++) {
    struct imhe_program q;
    char err[300];
    cr_expect_neq(imhe_program_load(b, len, 0, &q, err, sizeof err), 0,
                  "accepted a file cut at %zu", len);
  }
  free(b);
}

Test(loader, bit_flips_in_a_full_policy, .timeout = 600) {
  size_t n;
  uint8_t *b = compile_bytes("rules/wi.imhe", &n);
  cr_assert(b);
  unsigned accepted = 0;
  for (size_t i = 0; i < n * 8; i += 3) {
    b[i / 8] ^= (uint8_t)(1u << (i % 8));
    exercise(b, n, 0, &accepted);
    b[i / 8] ^= (uint8_t)(1u << (i % 8));
  }
  free(b);
}

/* A fuzzed program once gave F_OVERLAP (no field operand) a field index of 200, which the VM
 * then used: every operand an instruction does not use must be 0. */
static void m_unused_operand(struct imhe_program *p) {
  for (uint32_t pc = 0; pc < p->code_size; pc += IMHE_INSN_SIZE)
    if (p->code[pc] == OP_REQUIRE) {
      p->code[pc + 1] = 200;
      return;
    }
}
static void m_unused_measure_operand(struct imhe_program *p) {
  for (uint32_t pc = 0; pc < p->code_size; pc += IMHE_INSN_SIZE)
    if (p->code[pc] == OP_MEASURE && p->code[pc + 1] == MEASURE_DEGREE) {
      p->code[pc + 4] = 7;
      return;
    }
  cr_assert_fail("the snippet has no degree");
}
Test(verifier, unused_operand_not_zero) {
  expect_refused("sum-compare", m_unused_operand, "unused operand is not 0");
}
Test(verifier, unused_measure_operand_not_zero) {
  expect_refused("any-of", m_unused_measure_operand, "unused operand is not 0");
}
