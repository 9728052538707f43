/* fuzz_records.c — libFuzzer harness: arbitrary bytes as a YAML batch through the record loader
 * in test mode and an evaluation of every record it yields against the compiled WI policy; each
 * record's `expect:` block is checked against its result and counted for coverage, and its
 * result compared with itself as imhe diff --records does. */
#include "compiler/compile.h"
#include "runtime/core/dates.h"
#include "runtime/eval/result.h"
#include "runtime/records/stream.h"
#include "runtime/report/report.h"
#include "runtime/testing/coverage.h"
#include "runtime/testing/expect.h"
#include "runtime/testing/flip.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tempfile.h"

static struct imhe_program policy;
static int have_policy;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!have_policy) {
    struct diags d;
    imhe_diags_init(&d, stderr, 0, 0);
    if (imhe_compile_file("rules/wi.imhe", &d, &policy) != 0)
      abort();
    imhe_diags_free(&d);
    have_policy = 1;
  }
  char path[] = "/tmp/imhe-fuzz-records-XXXXXX";
  if (fuzz_tempfile(path, data, size) != 0)
    return 0;
  char err[300];
  struct imhe_loader *l = imhe_loader_open(path, NULL, err, sizeof err);
  if (l)
    imhe_loader_keep_expect(l, 1);
  FILE *null = fopen("/dev/null", "w");
  struct imhe_record r;
  int n = 0;
  struct imhe_cov_policy cov;
  int have_cov = imhe_cov_init(&cov, &policy) == 0;
  while (l && n++ < 100 && imhe_loader_read_into(l, &r, 0) == 1) {
    struct imhe_result res;
    imhe_evaluate(&policy, &r, &r.arena, imhe_days_from_civil(2026, 1, 1), 0, &res);
    imhe_report_json(null, &r, &res);
    struct imhe_test_outcome out;
    imhe_expect_check(&res, &policy, &out);
    struct imhe_rule_pair pairs[8];
    if (imhe_flip_rules(&res, &res, pairs, 8) || imhe_flip_settings(&res, &res))
      abort(); /* a result differs from itself */
    if (have_cov)
      imhe_cov_add(&cov, &res);
    imhe_record_clear(&r);
  }
  if (have_cov)
    imhe_cov_free(&cov);
  imhe_loader_close(l);
  fclose(null);
  unlink(path);
  return 0;
}
