/* arena.h — bump allocator: one per compilation and one per evaluated record.
 * Everything allocated from an arena is freed together by imhe_arena_free; nothing is freed alone.
 */
#ifndef IMHE_ARENA_H
#define IMHE_ARENA_H

#include <stddef.h>
#include <string.h>

struct imhe_arena_chunk;
struct imhe_arena {
  struct imhe_arena_chunk *head;
  unsigned char *cur, *end; /* the head chunk's free bytes (both NULL before the first chunk) */
  size_t total;             /* bytes handed out, for limits */
  size_t limit;             /* 0 = unlimited; past it allocations fail (return NULL) */
};

void imhe_arena_init(struct imhe_arena *a, size_t limit);
/* An arena without a limit whose first bytes are the caller's `size` at buf (8-byte aligned, kept
 * by the caller and never freed by the arena), chunks following as it fills: one allocation for an
 * object and its arena (a judged result). */
static inline void imhe_arena_init_in(struct imhe_arena *a, void *buf, size_t size) {
  a->head = NULL;
  a->cur = buf;
  a->end = (unsigned char *)buf + size;
  a->total = 0;
  a->limit = 0;
}
/* The slow path of the two below: a new chunk, or the limit. */
void *imhe_arena_alloc_chunk(struct imhe_arena *a, size_t n);
/* As imhe_arena_alloc, without zeroing: the caller sets every byte. Inline, since a judgement
 * makes some forty small allocations a record and most fit the chunk at hand. */
static inline void *imhe_arena_alloc_raw(struct imhe_arena *a, size_t n) {
  n = n ? (n + 7) & ~(size_t)7 : 8;
  if (__builtin_expect(n > (size_t)(a->end - a->cur) || a->limit, 0))
    return imhe_arena_alloc_chunk(a, n);
  void *p = a->cur;
  a->cur += n;
  a->total += n;
  return p;
}
/* Zeroed memory, 8-byte aligned; NULL only when the limit is reached. */
static inline void *imhe_arena_alloc(struct imhe_arena *a, size_t n) {
  void *p = imhe_arena_alloc_raw(a, n);
  if (p)
    memset(p, 0, n);
  return p;
}
char *imhe_arena_strndup(struct imhe_arena *a, const char *s, size_t n);
/* The n texts of parts one after another: what imhe_arena_printf makes of a format of %s alone,
 * without formatting (notes a judgement writes for most records). */
char *imhe_arena_join(struct imhe_arena *a, const char *const *parts, size_t n);
char *imhe_arena_printf(struct imhe_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Keeps the first chunk for reuse, frees the rest. */
void imhe_arena_reset(struct imhe_arena *a);
void imhe_arena_free(struct imhe_arena *a);

#endif
