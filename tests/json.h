/* json.h — a small strict JSON reader (RFC 8259) for checking what the report writers emit.
 * Used by the tests and the report fuzz harness; the caller owns the tree json_parse returns. */
#ifndef IMHE_TEST_JSON_H
#define IMHE_TEST_JSON_H

#include <stddef.h>

enum json_type {
  JSON_NULL,
  JSON_FALSE,
  JSON_TRUE,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT
};

struct json {
  enum json_type type;
  double num;         /* JSON_NUMBER */
  char *str;          /* JSON_STRING: the decoded UTF-8 text, NUL-terminated */
  size_t len;         /* its length in bytes (it may hold a NUL from \u0000) */
  struct json *items; /* JSON_ARRAY, JSON_OBJECT: the n members, in order */
  char **keys;        /* JSON_OBJECT: the decoded key of each member */
  size_t n;
};

/* Parses exactly one value from text[0..n), whitespace allowed around it. Strict: valid UTF-8
 * only (no overlong forms, surrogates or code points past U+10FFFF), no raw control characters
 * in strings, \u escapes with paired surrogates, RFC number syntax, no duplicate keys, at most
 * 512 levels of nesting. Returns NULL with "byte N: reason" in err when the text is not JSON. */
struct json *json_parse(const char *text, size_t n, char *err, size_t errlen);
void json_free(struct json *v);
/* The member `key` of an object, or NULL. */
const struct json *json_get(const struct json *obj, const char *key);
/* Length of the valid UTF-8 sequence at s[0..n) (1..4), or 0 when it is not one. */
int json_utf8_len(const unsigned char *s, size_t n);

#endif
