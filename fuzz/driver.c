/* driver.c — runs a fuzz harness over files named on the command line, without libFuzzer,
 * so the harnesses are exercised by `make fuzz-smoke` on any compiler. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f)
      continue;
    size_t cap = 1 << 16, n = 0, r;
    uint8_t *b = malloc(cap);
    while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
      n += r;
      if (n == cap)
        b = realloc(b, cap *= 2);
    }
    fclose(f);
    if (!b)
      return 1;
    LLVMFuzzerTestOneInput(b, n);
    free(b);
  }
  printf("%d inputs run\n", argc - 1);
  return 0;
}
