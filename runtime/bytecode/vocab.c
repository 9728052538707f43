/* vocab.c — names in a program's own vocabulary: the categories, tracks and areas its catalogue
 * declares, looked up by code for the compiler's checks, the record loader and the API's options.
 */
#include "runtime/bytecode/program.h"
#include <string.h>

static int is_space(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}
static char upper(char ch) {
  return ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch;
}
/* Whether the word w is s (length n) exactly: a walk that leaves at the first byte that differs,
 * which for most words of a list is the first (judging looks codes up a few times a record). */
static int word_is(const char *w, const char *s, size_t n) {
  size_t k = 0;
  while (k < n && w[k] && w[k] == s[k])
    k++;
  return k == n && !w[k];
}

int imhe_cat_lookup(const struct imhe_program *p, const char *s, size_t n) {
  return imhe_declared_lookup(p, ENUM_CATEGORY, s, n);
}

int imhe_cat_lookup_loose(const struct imhe_program *p, const char *s, size_t n) {
  while (n && is_space(*s))
    s++, n--;
  while (n && is_space(s[n - 1]))
    n--;
  if (p->cats_loose.slot && n <= 64) { /* a loaded program: its hash of the codes in capitals */
    char key[64];
    for (size_t k = 0; k < n; k++)
      key[k] = upper(s[k]);
    const struct imhe_word_index *x = &p->cats_loose;
    uint32_t h = imhe_comp_hash(key, n);
    for (uint32_t at = h & x->mask; x->slot[at].value != UINT32_MAX; at = (at + 1) & x->mask) {
      const char *code = x->slot[at].word;
      size_t k = 0;
      if (x->slot[at].hash != h || x->slot[at].len != n)
        continue;
      while (k < n && upper(code[k]) == key[k])
        k++;
      if (k == n)
        return (int)x->slot[at].value;
    }
    return -1;
  }
  for (uint32_t i = 0; i < p->ncats; i++) {
    const char *code = imhe_str(p, p->cats[i].code);
    size_t k = 0;
    while (k < n && code[k] && upper(s[k]) == upper(code[k]))
      k++;
    if (k == n && !code[k])
      return (int)i;
  }
  return -1;
}

int imhe_area_lookup_in(const struct imhe_program *p, const char *s, size_t n) {
  for (uint32_t i = 0; p && i < p->nareas; i++) {
    if (word_is(imhe_str(p, p->areas[i].word), s, n))
      return (int)i;
  }
  return -1;
}

int imhe_areas_by_word(const struct imhe_program *p, uint32_t failed, int order[IMHE_MAX_AREAS]) {
  int n = 0;
  for (uint32_t i = 0; p && i < p->nareas && i < IMHE_MAX_AREAS; i++)
    if (failed >> i & 1u) {
      int j = n++;
      for (; j > 0 && strcmp(imhe_area_word(p, (int)i), imhe_area_word(p, order[j - 1])) < 0; j--)
        order[j] = order[j - 1];
      order[j] = (int)i;
    }
  return n;
}

int imhe_declared_lookup(const struct imhe_program *p, int e, const char *s, size_t n) {
  int w = imhe_declared_slot(e);
  if (p && w >= 0 && p->words[w].slot) { /* a loaded program: its hash, probed to a match */
    const struct imhe_word_index *x = &p->words[w];
    uint32_t h = imhe_comp_hash(s, n);
    for (uint32_t at = h & x->mask; x->slot[at].value != UINT32_MAX; at = (at + 1) & x->mask)
      if (x->slot[at].hash == h && x->slot[at].len == n && imhe_same_bytes(x->slot[at].word, s, n))
        return (int)x->slot[at].value;
    return -1;
  }
  /* a program fresh from the compiler: its words searched */
  for (uint32_t i = 0; i < imhe_declared_count(p, e); i++)
    if (word_is(imhe_declared_word(p, e, i), s, n))
      return (int)i;
  return -1;
}

/* The first graduate degree, or the count when none is. */
static int first_graduate(const struct imhe_program *p) {
  uint32_t g = 0;
  while (g < p->ndegrees && !(p->degrees[g].flags & IMHE_DEGREE_GRADUATE))
    g++;
  return (int)g;
}

int imhe_degree_level(const struct imhe_program *p, int i) {
  int g = first_graduate(p);
  return i < 0 ? 0 : i >= g ? g + 1 : i + 1;
}

const char *imhe_degree_class(const struct imhe_program *p, double v, int *higher) {
  int g = first_graduate(p), l = (int)v;
  *higher = 0;
  if (l <= 0 || !p->ndegrees)
    return NULL;
  if (l > g) { /* the graduate class: its first degree "or higher" */
    *higher = 1;
    return imhe_declared_word(p, ENUM_DEGREE, (uint32_t)(g < (int)p->ndegrees ? g : g - 1));
  }
  return imhe_declared_word(p, ENUM_DEGREE, (uint32_t)(l - 1));
}
