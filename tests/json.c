/* json.c — recursive-descent JSON reader that refuses anything RFC 8259 does not allow, so a
 * report that passes it will pass any conforming consumer. Written for the tests, not for speed. */
#include "json.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 512 };

struct parser {
  const unsigned char *s;
  size_t n, i;
  char *err;
  size_t errlen;
  int failed;
};

static void fail(struct parser *p, const char *fmt, ...) {
  if (p->failed)
    return;
  p->failed = 1;
  int k = snprintf(p->err, p->errlen, "byte %zu: ", p->i);
  va_list ap;
  va_start(ap, fmt);
  if (k >= 0 && (size_t)k < p->errlen)
    vsnprintf(p->err + k, p->errlen - (size_t)k, fmt, ap);
  va_end(ap);
}

static void *xrealloc(void *v, size_t n) {
  v = realloc(v, n ? n : 1);
  if (!v)
    abort();
  return v;
}

int json_utf8_len(const unsigned char *s, size_t n) {
  if (!n)
    return 0;
  unsigned c = s[0];
  if (c < 0x80)
    return 1;
  int len;
  unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  if (c >= 0xC2 && c <= 0xDF)
    len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0)
      lo = 0xA0; /* no overlong forms */
    else if (c == 0xED)
      hi = 0x9F; /* no UTF-16 surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F; /* nothing past U+10FFFF */
  } else
    return 0;
  if ((size_t)len > n || s[1] < lo || s[1] > hi)
    return 0;
  for (int k = 2; k < len; k++)
    if ((s[k] & 0xC0) != 0x80)
      return 0;
  return len;
}

static void skip_ws(struct parser *p) {
  while (p->i < p->n &&
         (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
    p->i++;
}

struct strbuf {
  char *v;
  size_t n, cap;
};

static void put(struct strbuf *b, const void *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->v = xrealloc(b->v, b->cap);
  }
  memcpy(b->v + b->n, s, n);
  b->n += n;
  b->v[b->n] = 0;
}

static void put_code_point(struct strbuf *b, unsigned long c) {
  unsigned char u[4];
  size_t k;
  if (c < 0x80) {
    u[0] = (unsigned char)c;
    k = 1;
  } else if (c < 0x800) {
    u[0] = (unsigned char)(0xC0 | c >> 6);
    u[1] = (unsigned char)(0x80 | (c & 0x3F));
    k = 2;
  } else if (c < 0x10000) {
    u[0] = (unsigned char)(0xE0 | c >> 12);
    u[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    u[2] = (unsigned char)(0x80 | (c & 0x3F));
    k = 3;
  } else {
    u[0] = (unsigned char)(0xF0 | c >> 18);
    u[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
    u[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    u[3] = (unsigned char)(0x80 | (c & 0x3F));
    k = 4;
  }
  put(b, u, k);
}

static int hex4(struct parser *p, unsigned long *out) {
  if (p->n - p->i < 4) {
    fail(p, "\\u needs four hex digits");
    return -1;
  }
  unsigned long v = 0;
  for (int k = 0; k < 4; k++) {
    unsigned c = p->s[p->i + (size_t)k];
    int d = c >= '0' && c <= '9'   ? (int)(c - '0')
            : c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10)
            : c >= 'A' && c <= 'F' ? (int)(c - 'A' + 10)
                                   : -1;
    if (d < 0) {
      fail(p, "\\u needs four hex digits");
      return -1;
    }
    v = v * 16 + (unsigned long)d;
  }
  p->i += 4;
  *out = v;
  return 0;
}

/* A string starting at the opening quote; its decoded text in *b. */
static int parse_string(struct parser *p, struct strbuf *b) {
  p->i++; /* the opening quote */
  put(b, "", 0);
  for (;;) {
    if (p->i >= p->n) {
      fail(p, "unterminated string");
      return -1;
    }
    unsigned char c = p->s[p->i];
    if (c == '"') {
      p->i++;
      return 0;
    }
    if (c < 0x20) {
      fail(p, "raw control character 0x%02x in a string", c);
      return -1;
    }
    if (c != '\\') {
      int len = json_utf8_len(p->s + p->i, p->n - p->i);
      if (!len) {
        fail(p, "invalid UTF-8 in a string");
        return -1;
      }
      put(b, p->s + p->i, (size_t)len);
      p->i += (size_t)len;
      continue;
    }
    if (++p->i >= p->n) {
      fail(p, "unterminated escape");
      return -1;
    }
    char e = (char)p->s[p->i++];
    const char *plain = strchr("\"\\/bfnrt", e);
    if (e && plain) {
      static const char out[] = "\"\\/\b\f\n\r\t";
      put(b, &out[plain - "\"\\/bfnrt"], 1);
      continue;
    }
    if (e != 'u') {
      p->i--;
      fail(p, "unknown escape '\\%c'", e);
      return -1;
    }
    unsigned long cp;
    if (hex4(p, &cp))
      return -1;
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
      fail(p, "\\u escape of a lone low surrogate");
      return -1;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      unsigned long lo;
      if (p->n - p->i < 2 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u') {
        fail(p, "\\u escape of a high surrogate without its low half");
        return -1;
      }
      p->i += 2;
      if (hex4(p, &lo))
        return -1;
      if (lo < 0xDC00 || lo > 0xDFFF) {
        fail(p, "\\u escape of a high surrogate without its low half");
        return -1;
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    put_code_point(b, cp);
  }
}

/* number = [ minus ] int [ frac ] [ exp ] */
static int parse_number(struct parser *p, struct json *v) {
  size_t start = p->i;
  const unsigned char *s = p->s;
  if (p->i < p->n && s[p->i] == '-')
    p->i++;
  if (p->i < p->n && s[p->i] == '0')
    p->i++;
  else if (p->i < p->n && s[p->i] >= '1' && s[p->i] <= '9')
    while (p->i < p->n && s[p->i] >= '0' && s[p->i] <= '9')
      p->i++;
  else {
    fail(p, "not a value");
    return -1;
  }
  if (p->i < p->n && s[p->i] == '.') {
    p->i++;
    if (p->i >= p->n || s[p->i] < '0' || s[p->i] > '9') {
      fail(p, "a digit must follow the decimal point");
      return -1;
    }
    while (p->i < p->n && s[p->i] >= '0' && s[p->i] <= '9')
      p->i++;
  }
  if (p->i < p->n && (s[p->i] == 'e' || s[p->i] == 'E')) {
    p->i++;
    if (p->i < p->n && (s[p->i] == '+' || s[p->i] == '-'))
      p->i++;
    if (p->i >= p->n || s[p->i] < '0' || s[p->i] > '9') {
      fail(p, "an exponent needs digits");
      return -1;
    }
    while (p->i < p->n && s[p->i] >= '0' && s[p->i] <= '9')
      p->i++;
  }
  char buf[64];
  size_t len = p->i - start;
  if (len >= sizeof buf) {
    char *big = xrealloc(NULL, len + 1);
    memcpy(big, s + start, len);
    big[len] = 0;
    v->num = strtod(big, NULL);
    free(big);
  } else {
    memcpy(buf, s + start, len);
    buf[len] = 0;
    v->num = strtod(buf, NULL);
  }
  v->type = JSON_NUMBER;
  return 0;
}

static int parse_value(struct parser *p, struct json *v, int depth);

static int parse_members(struct parser *p, struct json *v, int depth, char close) {
  p->i++; /* the opening bracket */
  size_t cap = 0;
  skip_ws(p);
  if (p->i < p->n && p->s[p->i] == (unsigned char)close) {
    p->i++;
    return 0;
  }
  for (;;) {
    if (v->n == cap) {
      cap = cap ? cap * 2 : 4;
      v->items = xrealloc(v->items, cap * sizeof *v->items);
      if (close == '}')
        v->keys = xrealloc(v->keys, cap * sizeof *v->keys);
    }
    if (close == '}') {
      skip_ws(p);
      if (p->i >= p->n || p->s[p->i] != '"') {
        fail(p, "an object key must be a string");
        return -1;
      }
      struct strbuf key = {0};
      size_t at = p->i;
      if (parse_string(p, &key)) {
        free(key.v);
        return -1;
      }
      for (size_t k = 0; k < v->n; k++)
        if (!strcmp(v->keys[k], key.v)) {
          p->i = at;
          fail(p, "duplicate key \"%s\"", key.v);
          free(key.v);
          return -1;
        }
      v->keys[v->n] = key.v;
      skip_ws(p);
      if (p->i >= p->n || p->s[p->i] != ':') {
        memset(&v->items[v->n], 0, sizeof *v->items);
        v->n++;
        fail(p, "':' expected after an object key");
        return -1;
      }
      p->i++;
    }
    int rc = parse_value(p, &v->items[v->n], depth + 1);
    v->n++;
    if (rc)
      return -1;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == ',') {
      p->i++;
      continue;
    }
    if (p->i < p->n && p->s[p->i] == (unsigned char)close) {
      p->i++;
      return 0;
    }
    fail(p, "',' or '%c' expected", close);
    return -1;
  }
}

static int literal(struct parser *p, const char *word, struct json *v, enum json_type t) {
  size_t k = strlen(word);
  if (p->n - p->i < k || memcmp(p->s + p->i, word, k)) {
    fail(p, "not a value");
    return -1;
  }
  p->i += k;
  v->type = t;
  return 0;
}

static int parse_value(struct parser *p, struct json *v, int depth) {
  memset(v, 0, sizeof *v);
  if (depth > MAX_DEPTH) {
    fail(p, "nested more than %d levels", MAX_DEPTH);
    return -1;
  }
  skip_ws(p);
  if (p->i >= p->n) {
    fail(p, "a value expected, found the end");
    return -1;
  }
  switch (p->s[p->i]) {
  case '{':
    v->type = JSON_OBJECT;
    return parse_members(p, v, depth, '}');
  case '[':
    v->type = JSON_ARRAY;
    return parse_members(p, v, depth, ']');
  case '"': {
    struct strbuf b = {0};
    v->type = JSON_STRING;
    int rc = parse_string(p, &b);
    v->str = b.v;
    v->len = b.n;
    return rc;
  }
  case 't':
    return literal(p, "true", v, JSON_TRUE);
  case 'f':
    return literal(p, "false", v, JSON_FALSE);
  case 'n':
    return literal(p, "null", v, JSON_NULL);
  default:
    return parse_number(p, v);
  }
}

static void free_members(struct json *v) {
  for (size_t k = 0; k < v->n; k++) {
    free_members(&v->items[k]);
    if (v->keys)
      free(v->keys[k]);
  }
  free(v->items);
  free(v->keys);
  free(v->str);
}

struct json *json_parse(const char *text, size_t n, char *err, size_t errlen) {
  struct parser p = {(const unsigned char *)text, n, 0, err, errlen, 0};
  struct json *v = xrealloc(NULL, sizeof *v);
  int rc = parse_value(&p, v, 0);
  if (!rc) {
    skip_ws(&p);
    if (p.i < p.n) {
      fail(&p, "text after the value");
      rc = -1;
    }
  }
  if (rc) {
    free_members(v);
    free(v);
    return NULL;
  }
  return v;
}

void json_free(struct json *v) {
  if (!v)
    return;
  free_members(v);
  free(v);
}

const struct json *json_get(const struct json *obj, const char *key) {
  if (!obj || obj->type != JSON_OBJECT)
    return NULL;
  for (size_t k = 0; k < obj->n; k++)
    if (!strcmp(obj->keys[k], key))
      return &obj->items[k];
  return NULL;
}
