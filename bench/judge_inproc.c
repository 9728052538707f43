/* judge_inproc.c — records/s of the library judging a record source (YAML or a pack) on one
 * thread, reading only the verdict and the failed areas of each result: no report is written.
 * usage: judge_inproc [--full] RULES_DIR FILE... ; prints "records seconds checksum cpu-seconds"
 * (wall time, then the process's CPU time, both threads: on a shared machine the CPU time is what
 * other jobs do not stretch). Judged for
 * verdicts only (imhe_judge_options.verdicts_only), or with --full building every explanation. */
#include "include/imhe.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
  imhe_judge_options jo = {.verdicts_only = 1};
  if (argc > 1 && !strcmp(argv[1], "--full")) {
    jo.verdicts_only = 0;
    argv++, argc--;
  }
  if (argc < 3) {
    fputs("usage: judge_inproc [--full] RULES_DIR FILE...\n", stderr);
    return 2;
  }
  imhe_open_options o = {.no_cache_write = 1};
  imhe_policy_set *set;
  imhe_error e;
  if (imhe_policy_set_open(argv[1], &o, &set, &e) != IMHE_OK) {
    fprintf(stderr, "%s\n", e.message);
    return 2;
  }
  struct timespec a, b, ca, cb;
  clock_gettime(CLOCK_MONOTONIC, &a);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
  imhe_source *src;
  if (imhe_source_open_paths(set, (const char *const *)argv + 2, (size_t)argc - 2, &src, &e) !=
      IMHE_OK) {
    fprintf(stderr, "%s\n", e.message);
    return 2;
  }
  unsigned long n = 0, sum = 0; /* a checksum of verdicts and failed areas, so none is skipped */
  imhe_record *rec;
  for (imhe_code c; (c = imhe_source_next(src, &rec, &e)) != IMHE_END;) {
    if (c != IMHE_OK)
      continue;
    imhe_result *res;
    if (imhe_judge(set, rec, &jo, &res, &e) == IMHE_OK) {
      sum += (unsigned)imhe_result_verdict(res);
      for (size_t i = 0; i < imhe_result_rule_count(res); i++) {
        const imhe_rule_result *r = imhe_result_rule(res, i);
        if (imhe_rule_status(r) == IMHE_STATUS_FAIL)
          sum += strlen(imhe_rule_area(r));
      }
      imhe_result_free(res);
    }
    imhe_record_free(rec);
    n++;
  }
  imhe_source_close(src);
  clock_gettime(CLOCK_MONOTONIC, &b);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
  printf("%lu %.4f %lu %.4f\n", n,
         (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9, sum,
         (double)(cb.tv_sec - ca.tv_sec) + (double)(cb.tv_nsec - ca.tv_nsec) / 1e9);
  imhe_policy_set_close(set);
  return 0;
}
