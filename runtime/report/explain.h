/* explain.h — the words of results, in one place: reason codes as phrases, a condition as the
 * sentence people read ("sentence: observed; required X (short Y) (what the measure found)"),
 * quantities in their units, and where an as-of date came from, in words. */
#ifndef IMHE_EXPLAIN_H
#define IMHE_EXPLAIN_H

#include "runtime/core/sbuf.h"
#include "runtime/eval/result.h"

/* Where the as-of date came from, in words: "submitted date", "--as-of option", ... */
const char *imhe_as_of_words(imhe_as_of_source source);
/* A quantity in its unit as people read it: "26 h", "4.31 years (1573 days)", "$20", "masters or
 * higher" (display degree). */
void imhe_explain_quantity(struct sbuf *b, const struct imhe_program *p, double v, int unit,
                           int disp);
/* A degree level (the degree measure's value) named from program p's degrees: "no degree", a
 * degree's word, or the first graduate degree's "or higher" (the graduate class). */
void imhe_explain_degree_level(struct sbuf *b, const struct imhe_program *p, double v);
/* A required degree level: "masters or higher", "an academic degree (associate or higher)";
 * `article` puts "a"/"an" before the degree and " degree" after it ("a masters degree or
 * higher"), as the applicant's report says it. */
void imhe_explain_degree_required(struct sbuf *b, const struct imhe_program *p, double v,
                                  int article);
/* How a reviewer finds entry i of section sec, counted from 1: "work 3 (Home Visitor)" (r may be
 * NULL). */
void imhe_explain_entry(struct sbuf *b, const struct imhe_record *r, int sec, uint32_t i);
/* n bytes of a code as words: '_' as a space, "rsc" as "RSC" ("rsc_provision": "RSC provision"). */
void imhe_explain_plain(struct sbuf *b, const char *s, size_t n);
/* A reason in words ("kind volunteer, not paid"); r (may be NULL) gives entries their titles. */
void imhe_explain_reason(struct sbuf *b, const struct imhe_record *r, const struct imhe_why *w);
/* A chain of reasons, joined by "; ". */
void imhe_explain_reasons(struct sbuf *b, const struct imhe_record *r, const struct imhe_why *w);
/* Why an entry was left out, every reason of its chain: each alternative of an `or` that would
 * have let it in ("kind volunteer, not paid, and supervised is not true"). */
void imhe_explain_exclusion(struct sbuf *b, const struct imhe_record *r, const struct imhe_why *w);
/* "work 3 (Home Visitor) left out: kind volunteer, not paid". */
void imhe_explain_left_out(struct sbuf *b, const struct imhe_record *r, int sec,
                           const struct excl *x);
/* Fee note i of res, with the words of the reason it carries (a coupon's condition not met). */
void imhe_explain_fee_note(struct sbuf *b, const struct imhe_result *res, int i);
/* Fee note i of res for people: a coupon refused by its condition names the condition ("coupon X
 * not applied: it needs at least 100 h of RSC, and the record has 14.46 h"), with what its measure
 * found when findings is set; any other note as imhe_explain_fee_note. */
void imhe_explain_fee_note_words(struct sbuf *b, const struct imhe_result *res, int i,
                                 int findings);
/* A condition's sentence: "description: observed; required X (short Y) (what the measure found)",
 * or "description: what the fact found" for yes/no and pass/fail/pending conditions. */
void imhe_explain_condition(struct sbuf *b, const struct imhe_cond_result *c);
/* A policy's words with the codes it quotes in plain words, in place: "type rsc_provision" reads
 * "type RSC provision" (a code: lower-case letters and digits joined by '_'; same length). */
void imhe_explain_codes_plain(char *s, size_t n);
/* A count of faults where none is allowed ("overcapped_training = 0") in words: "1 entry does
 * not", "every entry does"; 0 (nothing written) for any other condition. */
int imhe_explain_none_allowed(struct sbuf *b, const struct imhe_cond_result *c);
/* imhe_explain_condition for people (the text view): a count of faults where none is allowed
 * reads "description: 1 entry does not (what was found)", not "1; required exactly 0". */
void imhe_explain_condition_words(struct sbuf *b, const struct imhe_cond_result *c);
/* The parts of a sum one of which a cap cut: "14 h formal + 4 h informal, of which 2 count"; 0
 * (nothing written) when no cap cut the condition's sum. */
int imhe_explain_capped(struct sbuf *b, const struct imhe_cond_result *c);
/* Whether entry i of section sec is in the part of c's sum a cap cut (counted, up to the cap). */
int imhe_explain_in_capped(const struct imhe_cond_result *c, int sec, uint32_t i);
/* Whether reference i counted by c fills one of the places a `slots` measure asks for (1 when c
 * placed no references). */
int imhe_explain_placed(const struct imhe_cond_result *c, uint32_t i);
/* Why completed reference i fills no place: "a teacher can fill only the 1st place, which Pat Rowe
 * (supervisor) fills", "a parent can fill none of the places". */
void imhe_explain_unplaced(struct sbuf *b, const struct imhe_record *r,
                           const struct imhe_cond_result *c, uint32_t i);
/* A record's error or warning as people read it: its leading field path in words, entries counted
 * from 1 ("training[0].hours: ..." reads "training 1, hours: ..."); the rest as written. */
void imhe_explain_message(struct sbuf *b, const char *s);
/* A verdict in words: "eligible", "not eligible", "eligible once the written exam is passed". */
const char *imhe_explain_verdict(imhe_verdict v);

/* The highest degree the record holds completed by as_of, as its holder would say it: "a masters
 * degree (completed 2012-05-20)"; writes nothing and returns 0 when there is none. */
int imhe_explain_degree_held(struct sbuf *b, const struct imhe_program *p,
                             const struct imhe_record *r, int32_t as_of);

/* What a partly counted entry counts, in the coordinator's and the applicant's sentences alike:
 * " counts 4.67 of its 14 h". */
void imhe_explain_partial_amount(struct sbuf *b, const struct imhe_why *w);

#endif
