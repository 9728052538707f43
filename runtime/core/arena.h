/* arena.h — bump allocator: one per compilation and one per evaluated record.
 * Everything allocated from an arena is freed together by imhe_arena_free; nothing is freed alone.
 */
#ifndef IMHE_ARENA_H
#define IMHE_ARENA_H

#include <stddef.h>

struct imhe_arena_chunk;
struct imhe_arena {
  struct imhe_arena_chunk *head;
  size_t total; /* bytes handed out, for limits */
  size_t limit; /* 0 = unlimited; past it allocations fail (return NULL) */
};

void imhe_arena_init(struct imhe_arena *a, size_t limit);
/* Zeroed memory, 8-byte aligned; NULL only when the limit is reached. */
void *imhe_arena_alloc(struct imhe_arena *a, size_t n);
/* As imhe_arena_alloc, without zeroing: the caller sets every byte. */
void *imhe_arena_alloc_raw(struct imhe_arena *a, size_t n);
char *imhe_arena_strndup(struct imhe_arena *a, const char *s, size_t n);
char *imhe_arena_printf(struct imhe_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Keeps the first chunk for reuse, frees the rest. */
void imhe_arena_reset(struct imhe_arena *a);
void imhe_arena_free(struct imhe_arena *a);

#endif
