/* arena.c — chunked bump allocator behind arena.h.
 * Allocation failure of the system allocator aborts: callers never see a half-built object. */
#include "runtime/core/arena.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct imhe_arena_chunk {
  struct imhe_arena_chunk *next;
  size_t size;
  _Alignas(16) unsigned char data[];
};

void imhe_arena_init(struct imhe_arena *a, size_t limit) {
  a->head = NULL;
  a->cur = a->end = NULL;
  a->total = 0;
  a->limit = limit;
}

/* n is rounded already (arena.h). With a limit, every allocation comes here to be counted. */
void *imhe_arena_alloc_chunk(struct imhe_arena *a, size_t n) {
  if (a->limit && (n > a->limit || a->total > a->limit - n))
    return NULL;
  if ((size_t)(a->end - a->cur) < n) {
    size_t size = n > 65536 ? n : 65536;
    struct imhe_arena_chunk *c = malloc(sizeof *c + size);
    if (!c) {                                 /* GCOVR_EXCL_BR_LINE: out of memory */
      fputs("imhe: out of memory\n", stderr); /* GCOVR_EXCL_LINE: out of memory */
      abort();                                /* GCOVR_EXCL_LINE: out of memory */
    }
    c->size = size;
    c->next = a->head;
    a->head = c;
    a->cur = c->data;
    a->end = c->data + size;
  }
  void *p = a->cur;
  a->cur += n;
  a->total += n;
  return p;
}

char *imhe_arena_strndup(struct imhe_arena *a, const char *s, size_t n) {
  char *p = imhe_arena_alloc_raw(a, n + 1); /* every byte is written below */
  if (p) {
    if (n)
      memcpy(p, s, n);
    p[n] = 0;
  }
  return p;
}

char *imhe_arena_join(struct imhe_arena *a, const char *const *parts, size_t n) {
  size_t len[8], total = 0;
  for (size_t i = 0; i < n && i < 8; i++)
    total += len[i] = strlen(parts[i]);
  char *p = imhe_arena_alloc_raw(a, total + 1); /* every byte is written below */
  if (!p)
    return NULL;
  for (size_t i = 0, at = 0; i < n && i < 8; at += len[i], i++)
    memcpy(p + at, parts[i], len[i]);
  p[total] = 0;
  return p;
}

char *imhe_arena_printf(struct imhe_arena *a, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return NULL;
  if ((size_t)n < sizeof small) /* the common case formats once */
    return imhe_arena_strndup(a, small, (size_t)n);
  char *p = imhe_arena_alloc(a, (size_t)n + 1);
  if (!p)
    return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void imhe_arena_reset(struct imhe_arena *a) {
  struct imhe_arena_chunk *c = a->head;
  if (!c)
    return;
  struct imhe_arena_chunk *rest = c->next;
  while (rest) {
    struct imhe_arena_chunk *n = rest->next;
    free(rest);
    rest = n;
  }
  c->next = NULL;
  a->cur = c->data;
  a->end = c->data + c->size;
  a->total = 0;
}

void imhe_arena_free(struct imhe_arena *a) {
  while (a->head) {
    struct imhe_arena_chunk *n = a->head->next;
    free(a->head);
    a->head = n;
  }
  a->cur = a->end = NULL;
  a->total = 0;
}
