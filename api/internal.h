/* internal.h — what the public API's modules share and a program never sees: the policy set and
 * policy structures, and setting an error value. */
#ifndef IMHE_API_INTERNAL_H
#define IMHE_API_INTERNAL_H

#include "include/imhe.h"
#include "runtime/bytecode/program.h"
#include "runtime/eval/result.h"
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct imhe_test_outcome;

struct imhe_policy {
  char *stem;  /* file name without extension: "wi" */
  char *file;  /* the file it was loaded from */
  char *error; /* NULL when loaded; else why it could not be (the records of it are invalid) */
  struct imhe_program prog;
  int loaded;
  uint8_t *image; /* the program's compiled bytes (imhe_program_write), NULL when not loaded */
  size_t image_len;
  /* this loading's number, unique in the process (0: no image), and the number of a policy of
   * another set whose image was found to be the same (imhe_judge_pair), so that a diff compares
   * the two images once, not once a record */
  uint64_t serial;
  _Atomic uint64_t same_as;
};

struct imhe_policy_set {
  struct imhe_policy *v;
  size_t n;
  /* The names each policy answers to (its file's stem, code, short name and name), policy by
   * policy in order, as imhe_code_key gives them: finding a record's policy compares these
   * (imhe_policy_set_find, once a record) rather than spelling every name again. */
  struct imhe_policy_key {
    const struct imhe_policy *p;
    size_t len;
    char *key;
  } * keys;
  size_t nkeys;
  int single; /* opened on one policy file: it judges every record */
  char *path;
};

/* A result as the API hands it out: the result, its arena and the set that made it. */
struct imhe_judged {
  struct imhe_arena arena;
  const struct imhe_policy_set *set;
  const struct imhe_program *prog; /* the program that judged it, NULL when none could */
  struct imhe_test_outcome *test;  /* imhe_test_run's outcome, in the arena; NULL before */
  struct imhe_result res;
};
/* The judged result behind a public result handle. */
#define IMHE_JUDGED(r) ((struct imhe_judged *)((char *)(r)-offsetof(struct imhe_judged, res)))

/* Sets *err (when not NULL) and returns code. */
imhe_code imhe_fail(imhe_error *err, imhe_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* As imhe_fail, with a location. */
imhe_code imhe_fail_at(imhe_error *err, imhe_code code, const char *file, uint32_t line,
                       uint32_t col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Message i of lists a then b (a's are errors), copied into out; 0 past the end. */
int imhe_msgs_at(const struct imhe_msgs *a, const struct imhe_msgs *b, size_t i, int *is_error,
                 imhe_error *out);
/* 1 when the policy that judges a record of `association` is the same compiled program in a and
 * in b (imhe_judge_pair then finds the record unchanged without judging it). */
int imhe_pair_same(const imhe_policy_set *a, const imhe_policy_set *b, const char *association);
/* Clears *err to IMHE_OK (when not NULL) and returns IMHE_OK. */
imhe_code imhe_ok(imhe_error *err);

#endif
