/* idset.h — the ids of a batch seen so far, for finding a repeated one: 12 bytes an id (a 64-bit
 * hash and a 32-bit location), so a million records take about 14 MB. The set owns its memory. */
#ifndef IMHE_IDSET_H
#define IMHE_IDSET_H

#include <stddef.h>
#include <stdint.h>

/* One generation: buckets of 4 slots; a hash may sit in either of its two buckets. */
struct imhe_idgen {
  uint64_t *hash; /* 0 = an empty slot */
  uint32_t *loc;
  size_t nb;
};

/* Generations of growing size, never moved once filled: growing copies nothing, so the memory at
 * any moment is the ids held and the last generation's free room (at most a quarter of the rest).
 */
struct imhe_idset {
  struct imhe_idgen g[96];
  int ng;
  size_t slots; /* in all generations */
};

/* hash must not be 0. The location given with the same hash before, or 0 after adding this one
 * with loc (which must not be 0). */
uint32_t imhe_idset_seen(struct imhe_idset *s, uint64_t hash, uint32_t loc);
void imhe_idset_free(struct imhe_idset *s);

#endif
