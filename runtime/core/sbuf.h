/* sbuf.h — a growable byte buffer for building a report before one write: JSON escaping and
 * number formatting without printf, since reports are the hottest path of a large batch. */
#ifndef IMHE_SBUF_H
#define IMHE_SBUF_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct sbuf {
  char *v;
  size_t n, cap;
};

static inline void sb_grow(struct sbuf *b, size_t extra) {
  if (b->n + extra <= b->cap)
    return;
  size_t cap = b->cap ? b->cap * 2 : 8192;
  while (cap < b->n + extra)
    cap *= 2;
  b->v = realloc(b->v, cap);
  if (!b->v) /* GCOVR_EXCL_BR_LINE: out of memory */
    abort(); /* GCOVR_EXCL_LINE: out of memory */
  b->cap = cap;
}
static inline void sb_put(struct sbuf *b, const char *s, size_t n) {
  if (!n)
    return; /* an empty buffer has no storage yet: NULL + 0 is undefined */
  sb_grow(b, n);
  memcpy(b->v + b->n, s, n);
  b->n += n;
}
static inline void sb_puts(struct sbuf *b, const char *s) {
  sb_put(b, s, strlen(s));
}
static inline void sb_putc(struct sbuf *b, char c) {
  sb_grow(b, 1);
  b->v[b->n++] = c;
}
static inline void sb_uint(struct sbuf *b, unsigned long long v) {
  char d[24];
  int k = 0;
  do {
    d[k++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  sb_grow(b, (size_t)k);
  while (k)
    b->v[b->n++] = d[--k];
}
/* A quantity rounded to hundredths, as "%.10g" would print it for report-sized values. */
static inline void sb_num2(struct sbuf *b, double v) {
  if (!(fabs(v) < 1e13)) {
    sb_puts(b, "0");
    return;
  }
  long long c = llround(v * 100);
  if (c < 0) {
    sb_putc(b, '-');
    c = -c;
  }
  sb_uint(b, (unsigned long long)(c / 100));
  int f = (int)(c % 100);
  if (f) {
    sb_putc(b, '.');
    sb_putc(b, (char)('0' + f / 10));
    if (f % 10)
      sb_putc(b, (char)('0' + f % 10));
  }
}
/* Length of the well-formed UTF-8 sequence at p[0..n) (1 to 4 bytes), or 0 when there is none:
 * no overlong forms, UTF-16 surrogates or code points past U+10FFFF. */
static inline int sb_utf8_len(const unsigned char *p, size_t n) {
  unsigned c = p[0], lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
  int len;
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    lo = c == 0xE0 ? 0xA0 : lo;
    hi = c == 0xED ? 0x9F : hi;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    lo = c == 0xF0 ? 0x90 : lo;
    hi = c == 0xF4 ? 0x8F : hi;
  } else
    return 0;
  if ((size_t)len > n || p[1] < lo || p[1] > hi)
    return 0;
  for (int k = 2; k < len; k++)
    if ((p[k] & 0xC0) != 0x80)
      return 0;
  return len;
}
/* Whether the 8 bytes at p go into a JSON string as they are: printable ASCII, none a quote or a
 * backslash (no byte below 0x20, none at 0x7f or above, no '"', no '\\'). */
static inline int sb_json_plain8(const unsigned char *p) {
  const unsigned long long ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  unsigned long long x, q, k;
  memcpy(&x, p, 8);
  q = x ^ 0x2222222222222222ull; /* a zero byte where a quote was */
  k = x ^ 0x5c5c5c5c5c5c5c5cull; /* a zero byte where a backslash was */
  return !(((x - 0x2020202020202020ull) & ~x & highs) | (((x + ones) | x) & highs) |
           ((q - ones) & ~q & highs) | ((k - ones) & ~k & highs));
}
/* JSON string of `n` bytes: escapes quotes, backslashes and control bytes; invalid UTF-8
 * becomes U+FFFD so the output is always valid JSON. */
static inline void sb_json(struct sbuf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  /* the bytes written as they are: printable ASCII but the quote and the backslash */
  /* clang-format off */
  static const unsigned char plain[256] = {
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  };
  /* clang-format on */
  const unsigned char *p = (const unsigned char *)s;
  sb_grow(b, n + 2);
  b->v[b->n++] = '"';
  size_t i = 0;
  while (i < n) {
    size_t run = i;
    while (run + 8 <= n && sb_json_plain8(p + run)) /* most text: a word at a time */
      run += 8;
    while (run < n && plain[p[run]])
      run++;
    if (run > i) {
      sb_put(b, s + i, run - i);
      i = run;
      continue;
    }
    unsigned char c = p[i];
    if (c == '"' || c == '\\') {
      char e[2] = {'\\', (char)c};
      sb_put(b, e, 2);
      i++;
    } else if (c < 0x20 || c == 0x7f) {
      char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      sb_put(b, e, 6);
      i++;
    } else {
      int len = sb_utf8_len(p + i, n - i);
      if (len) {
        sb_put(b, s + i, (size_t)len);
        i += (size_t)len;
      } else {
        sb_puts(b, "\\ufffd");
        i++;
      }
    }
  }
  sb_putc(b, '"');
}
static inline void sb_jstr(struct sbuf *b, const char *s) {
  sb_json(b, s ? s : "", s ? strlen(s) : 0);
}

#endif
