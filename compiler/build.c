/* build.c — growable arrays and string interning behind build.h.
 * Strings are interned so the same text is stored once and output stays deterministic. */
#include "compiler/build.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void imhe_build_init(struct builder *b) {
  memset(b, 0, sizeof *b);
  imhe_symtab_init(&b->strs);
  imhe_symtab_init(&b->consts);
  imhe_arena_init(&b->keys, 0);
  imhe_build_str(b, ""); /* string 0 is the empty string */
}

void imhe_build_free(struct builder *b) {
  imhe_program_free(&b->p);
  imhe_symtab_free(&b->strs);
  imhe_symtab_free(&b->consts);
  imhe_arena_free(&b->keys);
}

void *imhe_build_push(void **arr, uint32_t *n, uint32_t *cap, size_t size) {
  if (*n == *cap) {
    uint32_t nc = *cap ? *cap * 2 : 16;
    void *v = realloc(*arr, nc * size);
    if (!v)    /* GCOVR_EXCL_BR_LINE: out of memory */
      abort(); /* GCOVR_EXCL_LINE: out of memory */
    *arr = v;
    *cap = nc;
  }
  void *p = (char *)*arr + (size_t)(*n) * size;
  memset(p, 0, size);
  (*n)++;
  return p;
}

uint32_t imhe_build_str(struct builder *b, const char *s) {
  if (!s)
    s = "";
  void *v = imhe_symtab_get(&b->strs, s);
  if (v)
    return (uint32_t)(uintptr_t)v - 1;
  size_t n = strlen(s) + 1;
  uint32_t off = b->p.strings_size;
  for (size_t i = 0; i < n; i++)
    *(char *)imhe_build_push((void **)&b->p.strings, &b->p.strings_size, &b->caps[0], 1) = s[i];
  imhe_symtab_put(&b->strs, imhe_arena_strndup(&b->keys, s, n - 1), (void *)(uintptr_t)(off + 1));
  return off;
}

uint32_t imhe_build_const(struct builder *b, double v) {
  /* interned through the string table's hash: the key is the value's exact bits */
  char key[40];
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  snprintf(key, sizeof key, "\x01%016llx", (unsigned long long)bits);
  void *hit = imhe_symtab_get(&b->consts, key);
  if (hit)
    return (uint32_t)(uintptr_t)hit - 1;
  *BUILD_PUSH(b, consts, nconsts, 1) = v;
  imhe_symtab_put(&b->consts, imhe_arena_strndup(&b->keys, key, strlen(key)),
                  (void *)(uintptr_t)b->p.nconsts);
  return b->p.nconsts - 1;
}

uint32_t imhe_build_emit(struct builder *b, uint8_t op, uint8_t a, uint16_t bb, uint32_t c,
                         uint32_t line, uint32_t file) {
  uint32_t pc = b->p.code_size;
  uint8_t bytes[8] = {op,
                      a,
                      (uint8_t)(bb & 0xff),
                      (uint8_t)(bb >> 8),
                      (uint8_t)(c & 0xff),
                      (uint8_t)(c >> 8),
                      (uint8_t)(c >> 16),
                      (uint8_t)(c >> 24)};
  for (int i = 0; i < 8; i++)
    *(uint8_t *)imhe_build_push((void **)&b->p.code, &b->p.code_size, &b->caps[2], 1) = bytes[i];
  if (!b->p.nlines || b->p.lines[b->p.nlines - 1].line != line ||
      b->p.lines[b->p.nlines - 1].file != file) {
    struct imhe_line *l = BUILD_PUSH(b, lines, nlines, 3);
    l->pc = pc;
    l->line = line;
    l->file = file;
  }
  return pc;
}

void imhe_build_patch_c(struct builder *b, uint32_t pc, uint32_t c) {
  uint8_t *p = b->p.code + pc + 4;
  p[0] = (uint8_t)c;
  p[1] = (uint8_t)(c >> 8);
  p[2] = (uint8_t)(c >> 16);
  p[3] = (uint8_t)(c >> 24);
}
