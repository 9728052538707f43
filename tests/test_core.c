/* test_core.c — the arena under its contract (arena.h): long formatted text, a limit past which
 * allocations fail with NULL, zero-byte requests, a reset that keeps one chunk for reuse; CRC-32
 * (crc32.h) on every path, table, slicing and carry-less multiplication, against its definition;
 * and civil dates (dates.h) day by day across the edges of their fast forms. */
#include "runtime/core/arena.h"
#include "runtime/core/crc32.h"
#include "runtime/core/dates.h"
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

/* CRC-32 bit by bit, straight from the definition: what the table, slicing-by-8 and carry-less
 * multiplication paths of crc32.c must all give. */
static uint32_t crc_bits(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++)
      c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
  }
  return ~c;
}

Test(crc32, every_length_and_alignment_matches_the_definition) {
  static uint8_t b[70000];
  uint32_t x = 12345;
  for (size_t i = 0; i < sizeof b; i++) {
    x = x * 1103515245u + 12345u;
    b[i] = (uint8_t)(x >> 16);
  }
  cr_expect_eq(imhe_crc32((const uint8_t *)"123456789", 9), 0xCBF43926u, "the check value");
  for (size_t n = 0; n < 600; n++)
    for (size_t a = 0; a < 16; a += 3)
      cr_assert_eq(imhe_crc32(b + a, n), crc_bits(b + a, n), "%zu bytes at offset %zu", n, a);
  for (size_t n = 65000; n < 65040; n += 7)
    cr_assert_eq(imhe_crc32(b + 5, n), crc_bits(b + 5, n), "%zu bytes", n);
  cr_expect_eq(imhe_crc32_more(imhe_crc32(b, 777), b + 777, 50000), crc_bits(b, 50777),
               "a CRC continued is the CRC of the whole");
}

/* Every day of the years around the fast forms' edges (dates.c: Neri and Schneider's conversions
 * inside, Hinnant's outside) and of the years records use: one day number after another, each
 * converted back to its own date, and February 29 exactly in the leap years of the definition. */
Test(dates, day_numbers_run_one_a_day_and_convert_back_across_the_fast_forms_edges) {
  static const int spans[][2] = {{-33000, -32600}, {-400, 2400}, {999800, 1000200}};
  for (size_t k = 0; k < sizeof spans / sizeof spans[0]; k++) {
    int32_t prev = imhe_days_from_civil(spans[k][0] - 1, 12, 31);
    for (int y = spans[k][0]; y <= spans[k][1]; y++) {
      int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
      cr_assert_eq(imhe_leap_year(y), leap, "year %d", y);
      for (int m = 1; m <= 12; m++)
        for (int d = 1; d <= imhe_days_in_month(y, m); d++) {
          int32_t t = imhe_days_from_civil(y, m, d);
          int yy, mm, dd;
          imhe_civil_from_days(t, &yy, &mm, &dd);
          cr_assert(t == prev + 1 && yy == y && mm == m && dd == d, "%d-%d-%d: day %d after %d", y,
                    m, d, t, prev);
          prev = t;
        }
    }
  }
  cr_expect_eq(imhe_days_from_civil(1970, 1, 1), 0);
  cr_expect_eq(imhe_days_from_civil(2000, 3, 1), 11017);
}
