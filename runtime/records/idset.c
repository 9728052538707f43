/* idset.c — generations of two-choice cuckoo tables of 4-slot buckets (see idset.h). A generation
 * takes ids until one finds no room after a bounded walk of moves; the next is a quarter of all
 * before it, so the free room stays small and an id is looked for in a few dozen buckets however
 * large the batch. */
#include "runtime/records/idset.h"
#include <stdint.h>
#include <stdlib.h>

#define SLOTS 4
#define MAX_KICKS 500

/* The hash spread (splitmix64's finisher): its two halves choose the two buckets. */
static uint64_t spread(uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

static size_t bucket(const struct imhe_idgen *g, uint64_t m, int which) {
  uint32_t half = which ? (uint32_t)(m >> 32) : (uint32_t)m;
  return (size_t)(((uint64_t)half * g->nb) >> 32) * SLOTS;
}

static uint32_t find(const struct imhe_idgen *g, uint64_t h, uint64_t m) {
  for (int w = 0; w < 2; w++) {
    size_t b = bucket(g, m, w);
    for (int i = 0; i < SLOTS && g->hash[b + i]; i++)
      if (g->hash[b + i] == h)
        return g->loc[b + i];
  }
  return 0;
}

/* Puts *h in a free slot of one of its buckets, moving others to their other bucket as cuckoo
 * hashing does: 1; or 0 when no room turned up, with *h and *loc the id left without a slot. */
static int place(struct imhe_idgen *g, uint64_t *h, uint32_t *loc) {
  size_t from = SIZE_MAX; /* the bucket the id in hand was just moved out of */
  for (int k = 0; k < MAX_KICKS; k++) {
    uint64_t m = spread(*h);
    size_t b[2] = {bucket(g, m, 0), bucket(g, m, 1)};
    for (int w = 0; w < 2; w++)
      for (int i = 0; i < SLOTS; i++)
        if (!g->hash[b[w] + i]) {
          g->hash[b[w] + i] = *h;
          g->loc[b[w] + i] = *loc;
          return 1;
        }
    /* both full: move an id out of the bucket the one in hand did not come from */
    size_t into = b[0] == from ? b[1] : b[1] == from ? b[0] : b[m >> 63];
    size_t at = into + (size_t)(m >> 20 ^ (uint64_t)k) % SLOTS;
    uint64_t th = g->hash[at];
    uint32_t tl = g->loc[at];
    g->hash[at] = *h;
    g->loc[at] = *loc;
    *h = th;
    *loc = tl;
    from = into;
  }
  return 0;
}

static void open_generation(struct imhe_idset *s) {
  if (s->ng == (int)(sizeof s->g / sizeof s->g[0])) /* GCOVR_EXCL_BR_LINE: past 2^64 ids */
    abort();                                        /* GCOVR_EXCL_LINE */
  size_t nb = s->slots / SLOTS / 4;
  if (nb < 256)
    nb = 256;
  struct imhe_idgen *g = &s->g[s->ng++];
  g->nb = nb;
  g->hash = calloc(nb * SLOTS, sizeof *g->hash);
  g->loc = calloc(nb * SLOTS, sizeof *g->loc);
  if (!g->hash || !g->loc) /* GCOVR_EXCL_BR_LINE: out of memory */
    abort();               /* GCOVR_EXCL_LINE: out of memory */
  s->slots += nb * SLOTS;
}

uint32_t imhe_idset_seen(struct imhe_idset *s, uint64_t h, uint32_t loc) {
  uint64_t m = spread(h);
  for (int i = s->ng - 1; i >= 0; i--) {
    uint32_t at = find(&s->g[i], h, m);
    if (at)
      return at;
  }
  if (!s->ng)
    open_generation(s);
  while (!place(&s->g[s->ng - 1], &h, &loc))
    open_generation(s); /* the id left over goes to a new generation */
  return 0;
}

void imhe_idset_free(struct imhe_idset *s) {
  for (int i = 0; i < s->ng; i++) {
    free(s->g[i].hash);
    free(s->g[i].loc);
  }
  s->ng = 0;
  s->slots = 0;
}
