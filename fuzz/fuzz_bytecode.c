/* fuzz_bytecode.c — libFuzzer harness: arbitrary bytes as a .imhec file (checksum not required).
 * Whatever the verifier accepts must disassemble and evaluate a record without crashing. */
#include "runtime/bytecode/program.h"
#include "runtime/core/dates.h"
#include "runtime/eval/result.h"
#include "runtime/records/stream.h"
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct imhe_program p;
  char err[400];
  if (imhe_program_load(data, size, 0, &p, err, sizeof err) != 0)
    return 0;
  FILE *null = fopen("/dev/null", "w");
  imhe_disasm(&p, null);
  fclose(null);
  struct imhe_loader *l =
      imhe_loader_open("examples/mi-ifs-2025-competencies.yaml", NULL, err, sizeof err);
  struct imhe_record r;
  if (l && imhe_loader_next(l, &r) == 1) {
    struct imhe_result res;
    for (uint32_t cat = 0; cat < p.ncats; cat++)
      imhe_evaluate_as(&p, &r, &r.arena, imhe_days_from_civil(2025, 8, 1), 0, (int)cat, &res);
    imhe_record_clear(&r);
  }
  imhe_loader_close(l);
  imhe_program_free(&p);
  return 0;
}
