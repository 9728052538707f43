/* fmt.c — re-lays a policy out line by line: items at column 0, their continuation lines indented
 * by nesting of 'all of'/'any of' ... 'end', one space between tokens, comments and blank-line
 * breaks kept. */
#include "compiler/fmt.h"
#include "compiler/diag.h"
#include "compiler/parse.h"
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
    if (!b->v) /* GCOVR_EXCL_BR_LINE: out of memory */
      abort(); /* GCOVR_EXCL_LINE: out of memory */
    b->cap = cap;
  }
  memcpy(b->v + b->n, s, n);
  b->n += n;
  b->v[b->n] = 0;
}

static const char *const item_words[] = {
    "policy", "called", "source",   "defines",   "offers",  "group",         "accepts",
    "fee",    "fees",   "coupon",   "deadlines", "renewal", "reinstatement", "let",
    "domain", "rule",   "override", "remove",    NULL};

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
      while (i < n && !strchr(" \t\r(),:#\"<>!=+", s[i]) &&
             !(s[i] == '.' && i + 1 < n && s[i + 1] >= 'a' && s[i + 1] <= 'z' &&
               !(s[i - 1] >= '0' && s[i - 1] <= '9')))
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

/* Lines as token lists, so a comment can take the indentation of the code it precedes. */
struct line {
  size_t first, count;
  int blank_before;
};

/* The text's non-blank lines, their tokens in t; returns their number. */
static size_t split_lines(const char *text, size_t len, struct tok *t, struct line *lines) {
  size_t ntok = 0, nlines = 0, i = 0;
  int blank = 0;
  while (i < len) {
    size_t e = i;
    while (e < len && text[e] != '\n')
      e++;
    size_t k = tokenize(text + i, e - i, t + ntok, len + 1 - ntok);
    i = e + 1;
    if (k == 0) {
      blank = 1;
      continue;
    }
    lines[nlines].first = ntok;
    lines[nlines].count = k;
    lines[nlines].blank_before = blank;
    nlines++;
    ntok += k;
    blank = 0;
  }
  return nlines;
}

/* Each line's indentation: items at 0, their lines by nesting of all of / any of ... end, under
 * a branch's label, inside parentheses or continuing an expression; a comment as the code after
 * it. */
static void indent_lines(const struct tok *t, const struct line *lines, size_t nlines,
                         int *indent) {
  int depth = 0, after_label = 0, parens = 0;
  for (size_t li = 0; li < nlines; li++) { /* indentation of code lines */
    const struct tok *lt = t + lines[li].first;
    size_t k = lines[li].count;
    if (lt[0].s[0] == '#') {
      indent[li] = -1;
      continue;
    }
    int starts_item = is_item_word(lt[0].s, lt[0].n);
    if (starts_item)
      depth = 0;
    if (tok_is(&lt[0], "end") && depth > 0)
      depth--;
    if (starts_item)
      parens = 0;
    /* inside open parentheses, or a line continuing an expression: one step more */
    int cont = parens > 0 || tok_is(&lt[0], "+") || tok_is(&lt[0], "-") || tok_is(&lt[0], "and") ||
               tok_is(&lt[0], "or");
    indent[li] = starts_item ? 0 : 2 + 2 * depth + 2 * after_label + 2 * cont;
    for (size_t j = 0; j < k; j++)
      parens += tok_is(&lt[j], "(") - tok_is(&lt[j], ")");
    after_label = lt[0].s[0] == '"' && tok_is(&lt[k - 1], ":") && depth > 0;
    for (size_t j = 0; j + 1 < k; j++)
      if ((tok_is(&lt[j], "all") || tok_is(&lt[j], "any")) && tok_is(&lt[j + 1], "of"))
        depth++;
    for (size_t j = 1; j < k; j++)
      if (tok_is(&lt[j], "end") && depth > 0)
        depth--;
  }
  for (size_t li = nlines; li-- > 0;) /* a comment takes the indentation of the code after it */
    if (indent[li] < 0)
      indent[li] = li + 1 < nlines ? indent[li + 1] : 0;
}

/* One line's tokens, one space apart except where they hug: before , ) : . and after ( ., and a
 * call's opening parenthesis after the measure's name. */
static void write_line(struct buf *out, const struct tok *lt, size_t k) {
  for (size_t j = 0; j < k; j++) {
    int tight_before = j == 0 || tok_is(&lt[j], ",") || tok_is(&lt[j], ")") ||
                       tok_is(&lt[j], ":") || tok_is(&lt[j], ".") || tok_is(&lt[j - 1], "(") ||
                       tok_is(&lt[j - 1], ".");
    /* a call's opening parenthesis hugs the measure's name */
    if (tok_is(&lt[j], "(") && j > 0 && !tok_is(&lt[j - 1], "in") && !tok_is(&lt[j - 1], ",") &&
        !tok_is(&lt[j - 1], "(") && !tok_is(&lt[j - 1], "=") && !tok_is(&lt[j - 1], "where") &&
        !tok_is(&lt[j - 1], "not") && !tok_is(&lt[j - 1], "and") && !tok_is(&lt[j - 1], "or") &&
        !tok_is(&lt[j - 1], ":") && !tok_is(&lt[j - 1], "+") && !tok_is(&lt[j - 1], "-") &&
        ((lt[j - 1].s[0] >= 'a' && lt[j - 1].s[0] <= 'z') || lt[j - 1].s[0] == '_'))
      tight_before = 1;
    if (!tight_before)
      put(out, " ", 1);
    put(out, lt[j].s, lt[j].n);
  }
  put(out, "\n", 1);
}

char *imhe_format(const char *path, const char *text, size_t len) {
  struct diags d;
  imhe_diags_init(&d, stderr, 0, 0);
  uint32_t file = imhe_diags_add_file(&d, path, text, (uint32_t)len);
  struct imhe_arena a;
  imhe_arena_init(&a, 0);
  struct policy_file pf;
  int errs = imhe_parse(&a, &d, file, text, len, &pf);
  imhe_diags_flush(&d);
  imhe_diags_free(&d);
  imhe_arena_free(&a);
  if (errs)
    return NULL;
  struct buf out = {0};
  put(&out, "", 0);
  struct tok *t = malloc(sizeof *t * (len + 1));
  struct line *lines = malloc(sizeof *lines * (len + 2));
  int *indent = malloc(sizeof *indent * (len + 2));
  if (!t || !lines || !indent) /* GCOVR_EXCL_BR_LINE: out of memory */
    abort();                   /* GCOVR_EXCL_LINE: out of memory */
  size_t nlines = split_lines(text, len, t, lines);
  indent_lines(t, lines, nlines, indent);
  for (size_t li = 0; li < nlines; li++) {
    if (lines[li].blank_before && out.n)
      put(&out, "\n", 1);
    for (int sp = 0; sp < indent[li]; sp++)
      put(&out, " ", 1);
    write_line(&out, t + lines[li].first, lines[li].count);
  }
  free(indent);
  free(lines);
  free(t);
  return out.v;
}
