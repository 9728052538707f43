/* compile_inproc.c — compile time of policies without process start or file writes:
 * each file compiled and serialised N times in one process, mean per compile printed. */
#include "compiler/compile.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
  int reps = 200;
  double total = 0;
  for (int i = 1; i < argc; i++) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int k = 0; k < reps; k++) {
      FILE *null = fopen("/dev/null", "w");
      struct diags d;
      imhe_diags_init(&d, null, 0, 0);
      struct imhe_program p;
      if (imhe_compile_file(argv[i], &d, &p) == 0) {
        uint8_t *bytes;
        size_t n;
        imhe_program_write(&p, &bytes, &n);
        free(bytes);
        imhe_program_free(&p);
      }
      imhe_diags_free(&d);
      fclose(null);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ms = ((double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6) / reps;
    total += ms;
    printf("%-28s %7.3f ms per compile (in process)\n", argv[i], ms);
  }
  printf("%-28s %7.3f ms\n", "all of them", total);
  return 0;
}
