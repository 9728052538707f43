/* fuzz_policy.c — libFuzzer harness: arbitrary bytes as a policy file through the whole compiler.
 * Any input must end in diagnostics or a program that survives write, load (verifier) and disasm
 * unchanged; never a crash or a leak. */
#include "compiler/compile.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "roundtrip.h"
#include "tempfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[] = "/tmp/imhe-fuzz-policy-XXXXXX";
  if (fuzz_tempfile(path, data, size) != 0)
    return 0;
  FILE *null = fopen("/dev/null", "w");
  struct diags d;
  imhe_diags_init(&d, null, 0, 0);
  struct imhe_program p;
  if (imhe_compile_file(path, &d, &p) == 0) {
    char err[500];
    if (imhe_verify(&p, err, sizeof err) != 0)
      abort(); /* the compiler emitted a program its own verifier refuses */
    if (roundtrip_check(&p, err, sizeof err) != 0) {
      fprintf(stderr, "fuzz_policy: %s\n", err);
      abort(); /* what the compiler writes does not load back as the same program */
    }
    imhe_program_free(&p);
  }
  imhe_diags_flush(&d);
  imhe_diags_free(&d);
  fclose(null);
  unlink(path);
  return 0;
}
