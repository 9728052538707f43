/* test_vocab.c — the language's name lists (compiler/vocab.h, compiler/keywords.h, the measures
 * table) are the names the compiler accepts: each listed name compiles where it belongs, and a
 * near miss is pointed to it. */
#include "compiler/keywords.h"
#include "compiler/vocab.h"
#include "helpers.h"
#include "runtime/bytecode/measure_table.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Compiles `items` under a small policy header; returns the diagnostics (JSON Lines, malloc'd). */
static char *diagnose(const char *items) {
  char *dir = temp_dir();
  cr_assert(dir);
  char path[300], text[4000];
  snprintf(path, sizeof path, "%s/v.imhe", dir);
  snprintf(text, sizeof text, "policy v\noffers IMH\n%s\n", items);
  cr_assert_eq(write_all(path, text, strlen(text)), 0);
  struct imhe_program p;
  memset(&p, 0, sizeof p);
  char *diags = NULL;
  if (compile_to(path, &p, &diags) == 0)
    imhe_program_free(&p);
  remove(path);
  rmdir(dir);
  free(dir);
  return diags ? diags : strdup("");
}

static void accepted(const char *items, const char *refusal) {
  char *d = diagnose(items);
  cr_expect(!strstr(d, refusal), "'%s' was refused: %s", items, d);
  free(d);
}

/* A measure with arguments is called, one without is named bare (degree); min, max are called. */
Test(vocab, every_measure_is_known_to_the_compiler) {
  char items[300];
  for (int id = 0; id < MEASURE__COUNT; id++) {
    const char *name = imhe_measures[id].name;
    if (imhe_measures[id].args[0]) {
      snprintf(items, sizeof items, "rule r for all require training \"t\": %s(training) >= 1",
               name);
      accepted(items, "unknown measure");
    } else {
      snprintf(items, sizeof items, "rule r for all require training \"t\": %s >= 1", name);
      accepted(items, "unknown name");
    }
  }
#define X(name)                                                                                    \
  snprintf(items, sizeof items, "rule r for all require training \"t\": %s(1, 2) >= 1", name);     \
  accepted(items, "unknown measure");
  IMHE_QUANTITY_FUNCTIONS(X)
#undef X
}

Test(vocab, every_named_value_is_known_to_the_compiler) {
  char items[300];
#define X(name)                                                                                    \
  snprintf(items, sizeof items, "rule r for all require training \"t\": %s >= 1", name);           \
  accepted(items, "unknown name");
  IMHE_NAMED_VALUES(X)
#undef X
}

Test(vocab, the_filter_words_filter) {
  char *d = diagnose("rule r for all require work \"w\":\n"
                     "  count(work where current where ages in track where overlaps(rsc)) >= 1");
  cr_expect_eq(strlen(d), 0, "%s", d);
  free(d);
}

Test(vocab, every_unit_word_is_a_unit) {
  char items[300];
#define X(word, unit, scale, disp)                                                                 \
  snprintf(items, sizeof items, "rule r for all require training \"t\": 2 %s >= 1 %s", word,       \
           word);                                                                                  \
  accepted(items, "unknown unit");
  IMHE_UNIT_WORDS(X)
#undef X
}

/* Fee kinds a policy declares, each with the properties that say what the engine does with it. */
static const char own_fee_kinds[] =
    "defines fee entry \"entry fee\" for application, waivable, required\n"
    "defines fee application \"application fee\" for application\n"
    "defines fee yearly \"yearly fee\" for renewal, required\n"
    "defines fee dues \"dues\" for renewal\n"
    "defines fee overdue \"overdue fee\" for overdue\n";

Test(vocab, every_declared_fee_kind_renewal_scheme_and_month_is_a_setting) {
  char items[600];
  static const struct {
    const char *word;
    int waivable;
  } kinds[] = {{"entry", 1}, {"application", 0}, {"yearly", 0}, {"dues", 0}, {"overdue", 0}};
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
    snprintf(items, sizeof items, "%sfee %s $10 for all", own_fee_kinds, kinds[i].word);
    accepted(items, "unknown fee");
    snprintf(items, sizeof items, "%scoupon \"C\" waives %s for all", own_fee_kinds, kinds[i].word);
    char *d = diagnose(items);
    cr_expect((strstr(d, "unknown fee") == NULL && strstr(d, "cannot waive") == NULL) ==
                  kinds[i].waivable,
              "a coupon %s waive %s: %s", kinds[i].waivable ? "may" : "may not", kinds[i].word, d);
    free(d);
  }
  /* a kind the policy does not declare is unknown, with the declared ones listed */
  snprintf(items, sizeof items, "%sfee registration $10 for all", own_fee_kinds);
  char *d = diagnose(items);
  cr_expect(strstr(d, "unknown fee 'registration'") &&
                strstr(d, "entry, application, yearly, dues, overdue"),
            "%s", d);
  free(d);
  accepted("renewal annual", "unknown renewal scheme");
  accepted("renewal cycle 2 years from 2024-01-01", "unknown renewal scheme");
  d = diagnose("renewal biennial");
  cr_expect(strstr(d, "unknown renewal scheme 'biennial'"), "%s", d);
  free(d);
#define X(name)                                                                                    \
  snprintf(items, sizeof items, "deadlines every year on %s 1, %s 28", name, name);                \
  accepted(items, "invalid deadline");
  IMHE_MONTHS(X)
#undef X
}

Test(vocab, near_misses_are_pointed_to_the_listed_name) {
  struct {
    const char *items, *hint;
  } cases[] = {
      {"rule r for all require training \"t\": as_off >= 2020-01-01", "did you mean 'as_of'?"},
      {"rule r for all require training \"t\": years_endorsd >= 1",
       "did you mean 'years_endorsed'?"},
      {"rule r for all require training \"t\": sum(training.hours) >= 1 hourz",
       "did you mean 'hours'?"},
      {"rule r for all require training \"t\": coverag(rsc) >= 1 days", "did you mean 'coverage'?"},
      {"fee membrship $10 for all", "did you mean 'membership'?"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *d = diagnose(cases[i].items);
    cr_expect(strstr(d, cases[i].hint), "'%s': expected %s, got %s", cases[i].items, cases[i].hint,
              d);
    free(d);
  }
}

/* Each keyword is reserved: it cannot name a definition. */
Test(vocab, every_keyword_is_reserved) {
  char items[300];
#define K(token, word, cls)                                                                        \
  snprintf(items, sizeof items, "let %s = training", word);                                        \
  {                                                                                                \
    char *d = diagnose(items);                                                                     \
    cr_expect(strstr(d, "syntax error"), "'%s' was not refused as a keyword: %s", word, d);        \
    free(d);                                                                                       \
  }
  IMHE_KEYWORDS(K)
#undef K
}

/* A policy without a catalogue is compiled with the catalogue's vocabulary, read from its text as
 * built into imhe (build/gen/catalogue.h, made from rules/catalogue.imhe): fee kind, category, tab
 * and area alike are the catalogue's. */
Test(vocab, the_built_in_vocabulary_is_the_catalogues) {
  struct imhe_program cat, own;
  char *diags = NULL;
  cr_assert_eq(compile_to("rules/catalogue.imhe", &cat, &diags), 0, "%s", diags);
  free(diags);
  char *dir = temp_dir();
  char path[300];
  snprintf(path, sizeof path, "%s/v.imhe", dir);
  cr_assert_eq(write_all(path, "policy v\n", 9), 0);
  cr_assert_eq(compile_to(path, &own, &diags), 0, "%s", diags);
  free(diags);
  cr_assert_eq(own.nfee_kinds, cat.nfee_kinds);
  for (uint32_t k = 0; k < cat.nfee_kinds; k++) {
    cr_expect_str_eq(imhe_fee_word(&own, k), imhe_fee_word(&cat, k));
    cr_expect_str_eq(imhe_fee_name(&own, k), imhe_fee_name(&cat, k));
    cr_expect_eq(own.fee_kinds[k].flags, cat.fee_kinds[k].flags, "fee kind %s",
                 imhe_fee_word(&cat, k));
  }
  cr_assert_eq(own.ncats, cat.ncats);
  for (uint32_t k = 0; k < cat.ncats; k++) {
    cr_expect_str_eq(imhe_cat_code(&own, (int)k), imhe_cat_code(&cat, (int)k));
    cr_expect_str_eq(imhe_cat_name(&own, (int)k), imhe_cat_name(&cat, (int)k));
    cr_expect_eq(own.cats[k].tracks, cat.cats[k].tracks);
  }
  cr_assert_eq(own.ntabs, cat.ntabs);
  for (uint32_t t = 0; t < cat.ntabs; t++) {
    cr_expect_str_eq(imhe_str(&own, own.tabs[t].code), imhe_str(&cat, cat.tabs[t].code));
    cr_expect_str_eq(imhe_str(&own, own.tabs[t].title), imhe_str(&cat, cat.tabs[t].title));
  }
  cr_assert_eq(own.nareas, cat.nareas);
  for (uint32_t a = 0; a < cat.nareas; a++) {
    cr_expect_str_eq(imhe_area_word(&own, (int)a), imhe_area_word(&cat, (int)a));
    cr_expect_str_eq(imhe_str(&own, own.areas[a].name), imhe_str(&cat, cat.areas[a].name));
    cr_expect_eq(own.areas[a].tab, cat.areas[a].tab, "area %s", imhe_area_word(&cat, (int)a));
    cr_expect_eq(own.areas[a].flags, cat.areas[a].flags, "area %s", imhe_area_word(&cat, (int)a));
  }
  imhe_program_free(&cat);
  imhe_program_free(&own);
  remove(path);
  rmdir(dir);
  free(dir);
}
