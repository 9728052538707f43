/* test_roundtrip.c — every policy the project ships or tests, compiled on its own, survives
 * write → load (checksum, verifier) → write and disasm unchanged. Under `make test-sanitize` this
 * runs the whole policy corpus through the compiler and the loader with ASan and UBSan. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "../fuzz/roundtrip.h"
#include "helpers.h"
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tally {
  int files, compiled;
};

/* Compiles `path` alone; a program it yields must round-trip. Returns 1 if it compiled. */
static int compile_and_round_trip(const char *path) {
  struct imhe_program p;
  char *diags;
  int rc = compile_to(path, &p, &diags);
  free(diags);
  if (rc != 0)
    return 0;
  char err[600];
  cr_expect_eq(roundtrip_check(&p, err, sizeof err), 0, "%s: %s", path, err);
  imhe_program_free(&p);
  return 1;
}

static struct tally walked;
static int visit(const char *path, const struct stat *st, int kind, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  size_t n = strlen(path);
  if (kind == FTW_F && n > 5 && !strcmp(path + n - 5, ".imhe")) {
    walked.files++;
    walked.compiled += compile_and_round_trip(path);
  }
  return 0;
}

Test(roundtrip, every_shipped_policy_compiled_alone) {
  char **names;
  int n = list_files("rules", ".imhe", &names);
  cr_assert_geq(n, 6, "rules/ holds the shipped policies (found %d)", n);
  for (int i = 0; i < n; i++) {
    char path[300];
    snprintf(path, sizeof path, "rules/%s", names[i]);
    /* catalogue.imhe too: a policy with empty sections once hit memcpy from NULL */
    cr_expect(compile_and_round_trip(path), "%s does not compile on its own", path);
  }
  free_list(names, n);
}

Test(roundtrip, every_golden_policy) {
  char **names;
  int n = list_files("tests/golden", ".imhe", &names);
  cr_assert_gt(n, 0);
  for (int i = 0; i < n; i++) {
    char path[300];
    snprintf(path, sizeof path, "tests/golden/%s", names[i]);
    cr_expect(compile_and_round_trip(path), "%s does not compile", path);
  }
  free_list(names, n);
}

/* The malformed policies mostly fail to compile; those that compile (warnings only) must
 * round-trip, and none may trip a sanitizer on the way. */
Test(roundtrip, every_test_policy) {
  walked = (struct tally){0, 0};
  cr_assert_eq(nftw("tests/policies", visit, 16, FTW_PHYS), 0);
  cr_expect_geq(walked.files, 40, "tests/policies holds the test policies (found %d)",
                walked.files);
}
