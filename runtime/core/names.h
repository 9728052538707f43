/* names.h — comparing names as people write them (associations, references, coupons), and the
 * edit distance behind every "did you mean". Pure functions; nothing is allocated. */
#ifndef IMHE_NAMES_H
#define IMHE_NAMES_H

#include <stddef.h>

/* Equal without regard to ASCII case or surrounding spaces; two blank names are not equal. */
int imhe_names_equal(const char *a, size_t an, const char *b, size_t bn);
/* Equal without regard to ASCII case or any spaces (association codes and names); two blank
 * names are not equal. */
int imhe_codes_equal(const char *a, size_t an, const char *b, size_t bn);
/* s (length n) as imhe_codes_equal compares it: ASCII lower case, every space left out, written to
 * out (n bytes at most); its length. Two texts are imhe_codes_equal when their keys are equal and
 * not empty. */
size_t imhe_code_key(const char *s, size_t n, char *out);
/* Edit distance between `a` (length la) and NUL-terminated `b`, for "did you mean": insertions,
 * deletions, substitutions and swaps of adjacent letters each count one. */
unsigned imhe_edit_distance(const char *a, size_t la, const char *b);

#endif
