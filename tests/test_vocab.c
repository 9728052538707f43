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

Test(vocab, every_fee_kind_renewal_scheme_and_month_is_a_setting) {
  char items[300];
#define X(id, word, waivable)                                                                      \
  snprintf(items, sizeof items, "fee %s $10 for all", word);                                       \
  accepted(items, "unknown fee");                                                                  \
  snprintf(items, sizeof items, "coupon \"C\" waives %s for all", word);                           \
  {                                                                                                \
    char *d = diagnose(items);                                                                     \
    cr_expect((strstr(d, "unknown fee") == NULL && strstr(d, "cannot waive") == NULL) ==           \
                  (waivable),                                                                      \
              "a coupon %s waive %s: %s", (waivable) ? "may" : "may not", word, d);                \
    free(d);                                                                                       \
  }
  IMHE_FEE_KINDS(X)
#undef X
  accepted("renewal annual", "unknown renewal scheme");
  accepted("renewal cycle 2 years from 2024-01-01", "unknown renewal scheme");
  char *d = diagnose("renewal biennial");
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
