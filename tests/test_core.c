/* test_core.c — the arena under its contract (arena.h): long formatted text, a limit past which
 * allocations fail with NULL, zero-byte requests, and a reset that keeps one chunk for reuse. */
#include "runtime/core/arena.h"
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

Test(arena, formatted_text_longer_than_the_first_try_is_whole) {
  struct imhe_arena a;
  imhe_arena_init(&a, 0);
  char want[1001];
  memset(want, 'x', 1000);
  want[1000] = 0;
  char *p = imhe_arena_printf(&a, "%s%d", want, 7);
  cr_assert_not_null(p);
  cr_expect_eq(strlen(p), 1001);
  cr_expect(p[999] == 'x' && p[1000] == '7');
  imhe_arena_free(&a);
}

Test(arena, a_limit_fails_allocations_past_it_with_null) {
  struct imhe_arena a;
  imhe_arena_init(&a, 600);
  cr_expect_not_null(imhe_arena_alloc(&a, 500));
  cr_expect_null(imhe_arena_alloc(&a, 200), "past the limit");
  cr_expect_null(imhe_arena_alloc(&a, 601), "larger than the limit");
  char big[400];
  memset(big, 'y', sizeof big - 1);
  big[sizeof big - 1] = 0;
  cr_expect_null(imhe_arena_printf(&a, "%s", big), "long text past the limit");
  cr_expect_not_null(imhe_arena_printf(&a, "%s", "short"), "short text within the limit");
  imhe_arena_free(&a);
}

Test(arena, zero_bytes_give_distinct_pointers) {
  struct imhe_arena a;
  imhe_arena_init(&a, 0);
  void *p = imhe_arena_alloc(&a, 0), *q = imhe_arena_alloc(&a, 0);
  cr_expect(p && q && p != q);
  imhe_arena_free(&a);
}

Test(arena, reset_frees_all_chunks_but_one_and_reuses_it) {
  struct imhe_arena a;
  imhe_arena_init(&a, 0);
  imhe_arena_reset(&a);         /* an arena that never allocated */
  for (int i = 0; i < 4; i++) { /* each larger than a chunk: a chunk of its own */
    unsigned char *p = imhe_arena_alloc(&a, 70000);
    cr_assert_not_null(p);
    p[69999] = (unsigned char)i;
  }
  cr_expect_geq(a.total, 4 * 70000);
  imhe_arena_reset(&a);
  cr_expect_eq(a.total, 0);
  unsigned char *again = imhe_arena_alloc(&a, 16);
  cr_expect_not_null(again);
  cr_expect_eq(a.total, 16);
  imhe_arena_free(&a);
}
