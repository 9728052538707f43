/* names.c — names compared as people write them: without regard to ASCII case or surrounding
 * spaces, and how far apart two are, for "did you mean". */
#include "runtime/core/names.h"
#include <string.h>

static int lower(int c) {
  return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}
static int space(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int imhe_names_equal(const char *a, size_t an, const char *b, size_t bn) {
  while (an && space((unsigned char)*a))
    a++, an--;
  while (an && space((unsigned char)a[an - 1]))
    an--;
  while (bn && space((unsigned char)*b))
    b++, bn--;
  while (bn && space((unsigned char)b[bn - 1]))
    bn--;
  if (an != bn || an == 0)
    return 0;
  for (size_t i = 0; i < an; i++)
    if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
      return 0;
  return 1;
}

/* Optimal string alignment distance (Levenshtein with a swap of two adjacent letters counted as
 * one edit, as typists make them: "ab" is one edit from "ba"), for "did you mean"; names longer
 * than 60 bytes are never close. Three rows: the swap looks two rows back. */
unsigned imhe_edit_distance(const char *a, size_t la, const char *b) {
  size_t lb = strlen(b);
  if (la > 60 || lb > 60)
    return 99;
  unsigned rows[3][62];
  unsigned *two = rows[0], *prev = rows[1], *cur = rows[2];
  for (size_t j = 0; j <= lb; j++)
    prev[j] = (unsigned)j;
  for (size_t i = 1; i <= la; i++) {
    cur[0] = (unsigned)i;
    for (size_t j = 1; j <= lb; j++) {
      unsigned m = prev[j - 1] + (a[i - 1] != b[j - 1]);
      if (prev[j] + 1 < m)
        m = prev[j] + 1;
      if (cur[j - 1] + 1 < m)
        m = cur[j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && two[j - 2] + 1 < m)
        m = two[j - 2] + 1;
      cur[j] = m;
    }
    unsigned *t = two;
    two = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb];
}

size_t imhe_code_key(const char *s, size_t n, char *out) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!space((unsigned char)s[i]))
      out[k++] = (char)lower((unsigned char)s[i]);
  return k;
}

/* Association codes and names as records spell them: ASCII case and every space ignored
 * ("ITMHCA", "itmhca", "IT MHCA"; "Wisconsin Alliance for  Infant Mental Health"). */
int imhe_codes_equal(const char *a, size_t an, const char *b, size_t bn) {
  size_t i = 0, j = 0, seen = 0;
  for (;;) {
    while (i < an && space((unsigned char)a[i]))
      i++;
    while (j < bn && space((unsigned char)b[j]))
      j++;
    if (i == an || j == bn)
      return i == an && j == bn && seen;
    if (lower((unsigned char)a[i]) != lower((unsigned char)b[j]))
      return 0;
    i++, j++, seen++;
  }
}
