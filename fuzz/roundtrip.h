/* roundtrip.h — a compiled program written out, loaded back through the verifier and compared: the
 * same bytes and the same disassembly. Header-only, shared by fuzz_policy.c and the test suite. */
#ifndef IMHE_FUZZ_ROUNDTRIP_H
#define IMHE_FUZZ_ROUNDTRIP_H

#include "runtime/bytecode/program.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The disassembly of p as a malloc'd string. */
static inline char *roundtrip_disasm(const struct imhe_program *p, size_t *len) {
  char *text = NULL;
  FILE *f = open_memstream(&text, len);
  if (!f)
    abort();
  imhe_disasm(p, f);
  fclose(f);
  return text;
}

/* 0 when p survives write → load (checksum and verifier) → write with identical bytes and an
 * identical disassembly; otherwise -1 and what differed in err. */
static inline int roundtrip_check(const struct imhe_program *p, char *err, size_t errlen) {
  uint8_t *bytes, *again;
  size_t n, n2;
  imhe_program_write(p, &bytes, &n);
  struct imhe_program q;
  char lerr[400];
  if (imhe_program_load(bytes, n, 1, &q, lerr, sizeof lerr) != 0) {
    snprintf(err, errlen, "the written program is refused on loading: %s", lerr);
    free(bytes);
    return -1;
  }
  int rc = 0;
  imhe_program_write(&q, &again, &n2);
  if (n2 != n || memcmp(bytes, again, n) != 0) {
    size_t at = 0;
    while (at < n && at < n2 && bytes[at] == again[at])
      at++;
    snprintf(err, errlen,
             "rewriting the loaded program changes its bytes (%zu vs %zu, from offset %zu)", n, n2,
             at);
    rc = -1;
  }
  size_t la, lb;
  char *a = roundtrip_disasm(p, &la), *b = roundtrip_disasm(&q, &lb);
  if (rc == 0 && (la != lb || memcmp(a, b, la) != 0)) {
    size_t at = 0;
    while (at < la && at < lb && a[at] == b[at])
      at++;
    snprintf(err, errlen, "the loaded program disassembles differently from character %zu", at);
    rc = -1;
  }
  free(a);
  free(b);
  free(again);
  free(bytes);
  imhe_program_free(&q);
  return rc;
}

#endif
