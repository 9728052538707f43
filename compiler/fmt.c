/* fmt.c — re-lays a policy out line by line: items at column 0, their continuation lines indented
 * by nesting of 'all of'/'any of' ... 'end', one space between tokens, comments and blank-line breaks kept. */
#include "fmt.h"
#include "diag.h"
#include "lex.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
  char *v;
  size_t n, cap;
};
static void put(struct buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 4096;
    while (cap < b->n + n + 1)
      cap *= 2;
    b->v = realloc(b->v, cap);
    if (!b->v)
      abort();
    b->cap = cap;
  }
  memcpy(b->v + b->n, s, n);
  b->n += n;
  b->v[b->n] = 0;
}

static const char *const item_words[] = {"policy", "called", "defines", "offers", "group",
                                         "accepts", "fee", "fees", "coupon", "deadlines",
                                         "renewal", "reinstatement", "let", "domain", "rule",
                                         "override", "remove", NULL};

static int is_item_word(const char *s, size_t n) {
  for (int i = 0; item_words[i]; i++)
    if (strlen(item_words[i]) == n && !memcmp(item_words[i], s, n))
      return 1;
  return 0;
}

/* Splits one line into tokens: strings, comments, words, operators. */
struct tok {
  const char *s;
  size_t n;
};
static size_t tokenize(const char *s, size_t n, struct tok *t, size_t cap) {
  size_t k = 0, i = 0;
  while (i < n && k < cap) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
      i++;
      continue;
    }
    size_t st = i;
    if (s[i] == '#')
      i = n;
    else if (s[i] == '"') {
      i++;
      while (i < n && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < n)
          i++;
        i++;
      }
      if (i < n)
        i++;
    } else if (strchr("(),:.+", s[i]))
      i++;
    else if (strchr("<>!=", s[i])) {
      i++;
      if (i < n && s[i] == '=')
        i++;
    } else if (s[i] == '-' && (i + 1 >= n || s[i + 1] == ' '))
      i++;
    else
      while (i < n && !strchr(" \t\r(),:#\"<>!=+", s[i]) && !(s[i] == '.' && i + 1 < n && s[i + 1] >= 'a' && s[i + 1] <= 'z' && !(s[i - 1] >= '0' && s[i - 1] <= '9')))
        i++;
    if (i == st)
      i++;
    t[k].s = s + st;
    t[k].n = i - st;
    k++;
  }
  return k;
}

static int tok_is(const struct tok *t, const char *w) {
  return t->n == strlen(w) && !memcmp(t->s, w, t->n);
}

char *imhe_format(const char *path, const char *text, size_t len) {
  struct diags d;
  diags_init(&d, stderr, 0, 0);
  uint32_t file = diags_add_file(&d, path, text, (uint32_t)len);
  struct imhe_arena a;
  imhe_arena_init(&a, 0);
  struct policy_file pf;
  int errs = imhe_parse(&a, &d, file, text, len, &pf);
  diags_flush(&d);
  diags_free(&d);
  imhe_arena_free(&a);
  if (errs)
    return NULL;
  struct buf out = {0};
  put(&out, "", 0);
  int depth = 0, blank = 0, in_item = 0;
  struct tok *t = malloc(sizeof *t * (len + 1));
  if (!t)
    abort();
  size_t i = 0;
  while (i < len) {
    size_t e = i;
    while (e < len && text[e] != '\n')
      e++;
    size_t k = tokenize(text + i, e - i, t, len + 1);
    i = e + 1;
    if (k == 0) {
      blank = 1;
      continue;
    }
    int starts_item = is_item_word(t[0].s, t[0].n);
    int closes = tok_is(&t[0], "end");
    if (closes && depth > 0)
      depth--;
    if (blank && out.n)
      put(&out, "\n", 1);
    blank = 0;
    int indent = starts_item ? 0 : t[0].s[0] == '#' && !in_item ? 0 : 2 + 2 * depth;
    if (starts_item)
      depth = 0;
    for (int s = 0; s < indent; s++)
      put(&out, " ", 1);
    for (size_t j = 0; j < k; j++) {
      int tight_before = j == 0 || tok_is(&t[j], ",") || tok_is(&t[j], ")") || tok_is(&t[j], ":") ||
                         tok_is(&t[j], ".") || tok_is(&t[j - 1], "(") || tok_is(&t[j - 1], ".");
      /* a call's or a list's opening parenthesis hugs a preceding name */
      if (tok_is(&t[j], "(") && j > 0 && !tok_is(&t[j - 1], "in") && !tok_is(&t[j - 1], ",") &&
          !tok_is(&t[j - 1], "(") && !tok_is(&t[j - 1], "=") && !tok_is(&t[j - 1], "where") &&
          !tok_is(&t[j - 1], "not") && !tok_is(&t[j - 1], "and") && !tok_is(&t[j - 1], "or") &&
          !tok_is(&t[j - 1], ":") && !tok_is(&t[j - 1], "+") && !tok_is(&t[j - 1], "-") &&
          ((t[j - 1].s[0] >= 'a' && t[j - 1].s[0] <= 'z') || t[j - 1].s[0] == '_'))
        tight_before = 1;
      if (!tight_before)
        put(&out, " ", 1);
      put(&out, t[j].s, t[j].n);
    }
    put(&out, "\n", 1);
    for (size_t j = 0; j + 1 < k; j++)
      if ((tok_is(&t[j], "all") || tok_is(&t[j], "any")) && tok_is(&t[j + 1], "of"))
        depth++;
    for (size_t j = 1; j < k; j++)
      if (tok_is(&t[j], "end") && depth > 0)
        depth--;
    if (starts_item)
      in_item = 1;
  }
  free(t);
  return out.v;
}

int imhe_fmt_main(int argc, char **argv) {
  int check = 0;
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--check"))
      check = 1;
    else if (argv[i][0] == '-') {
      fprintf(stderr, "imhe fmt: unknown option '%s'\n", argv[i]);
      return 2;
    } else
      path = argv[i];
  }
  if (!path) {
    fputs("usage: imhe fmt [--check] FILE.imhe\n", stderr);
    return 2;
  }
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 2;
  }
  struct buf in = {0};
  char chunk[65536];
  size_t r;
  put(&in, "", 0);
  while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
    put(&in, chunk, r);
  fclose(f);
  char *out = imhe_format(path, in.v, in.n);
  if (!out) {
    free(in.v);
    return 1;
  }
  int same = strlen(out) == in.n && !memcmp(out, in.v, in.n);
  if (check) {
    if (!same)
      fprintf(stderr, "%s: not in canonical layout (run: imhe fmt %s)\n", path, path);
  } else
    fputs(out, stdout);
  free(out);
  free(in.v);
  return check && !same ? 1 : 0;
}
