/* diag.c — collects diagnostics, then prints each with its source line and underline.
 * Positions are byte offsets until printing, when the line map turns them into line:col. */
#include "compiler/diag.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void imhe_diags_init(struct diags *d, FILE *out, int json, int color) {
  memset(d, 0, sizeof *d);
  d->out = out;
  d->json = json;
  d->color = color;
}

void imhe_diags_free(struct diags *d) {
  for (uint32_t i = 0; i < d->nfiles; i++) {
    free((char *)d->files[i].text);
    free((char *)d->files[i].path);
    free(d->files[i].line_starts);
  }
  free(d->files);
  for (uint32_t i = 0; i < d->n; i++) {
    free(d->v[i].msg);
    free(d->v[i].hint);
  }
  free(d->v);
}

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) {                                 /* GCOVR_EXCL_BR_LINE: out of memory */
    fputs("imhe: out of memory\n", stderr); /* GCOVR_EXCL_LINE: out of memory */
    abort();                                /* GCOVR_EXCL_LINE: out of memory */
  }
  return q;
}

uint32_t imhe_diags_add_file(struct diags *d, const char *path, const char *text, uint32_t len) {
  d->files = xrealloc(d->files, (d->nfiles + 1) * sizeof *d->files);
  struct source *s = &d->files[d->nfiles];
  char *copy = xrealloc(NULL, (size_t)len + 1);
  if (len)
    memcpy(copy, text, len);
  copy[len] = 0;
  s->text = copy;
  s->len = len;
  s->path = strdup(path);
  uint32_t n = 1;
  for (uint32_t i = 0; i < len; i++)
    if (copy[i] == '\n')
      n++;
  s->line_starts = xrealloc(NULL, n * sizeof *s->line_starts);
  s->nlines = 0;
  s->line_starts[s->nlines++] = 0;
  for (uint32_t i = 0; i < len; i++)
    if (copy[i] == '\n')
      s->line_starts[s->nlines++] = i + 1;
  return d->nfiles++;
}

void imhe_diag_linecol(const struct diags *d, uint32_t file, uint32_t off, uint32_t *line,
                       uint32_t *col) {
  *line = *col = 1;
  if (file >= d->nfiles)
    return;
  const struct source *s = &d->files[file];
  if (off > s->len)
    off = s->len;
  uint32_t lo = 0, hi = s->nlines;
  while (hi - lo > 1) { /* last line start <= off */
    uint32_t mid = (lo + hi) / 2;
    if (s->line_starts[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  *line = lo + 1;
  uint32_t c = 1;
  for (uint32_t i = s->line_starts[lo]; i < off; i++)
    if (((unsigned char)s->text[i] & 0xC0) != 0x80)
      c++;
  *col = c;
}

static void add(struct diags *d, int error, struct loc l, const char *hint, const char *fmt,
                va_list ap) {
  d->nerrors += error != 0;
  if (d->n >= IMHE_DIAG_KEPT) {
    d->dropped++;
    return;
  }
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 16;
    d->v = xrealloc(d->v, d->cap * sizeof *d->v);
  }
  char buf[1024];
  vsnprintf(buf, sizeof buf, fmt, ap);
  struct diag_entry *e = &d->v[d->n++];
  e->error = error;
  e->loc = l;
  e->msg = strdup(buf);
  e->hint = hint ? strdup(hint) : NULL;
}

void imhe_diag_error(struct diags *d, struct loc l, const char *hint, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add(d, 1, l, hint, fmt, ap);
  va_end(ap);
}
void imhe_diag_warning(struct diags *d, struct loc l, const char *hint, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add(d, 0, l, hint, fmt, ap);
  va_end(ap);
}

static int cmp_entry(const void *pa, const void *pb) {
  const struct diag_entry *a = pa, *b = pb;
  if (a->loc.file != b->loc.file)
    return a->loc.file < b->loc.file ? -1 : 1;
  if (a->loc.start != b->loc.start)
    return a->loc.start < b->loc.start ? -1 : 1;
  return strcmp(a->msg, b->msg);
}

static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c == '\n')
      fputs("\\n", f);
    else if (c < 0x20)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

static void print_one(struct diags *d, const struct diag_entry *e) {
  FILE *f = d->out;
  const struct source *s = e->loc.file < d->nfiles ? &d->files[e->loc.file] : NULL;
  uint32_t line, col, eline, ecol;
  imhe_diag_linecol(d, e->loc.file, e->loc.start, &line, &col);
  imhe_diag_linecol(d, e->loc.file, e->loc.end > e->loc.start ? e->loc.end : e->loc.start, &eline,
                    &ecol);
  const char *path = s ? s->path : "<unknown>";
  if (d->json) {
    fputs("{\"file\":", f);
    json_str(f, path);
    fprintf(f,
            ",\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u,"
            "\"severity\":\"%s\",\"message\":",
            line, col, eline, ecol, e->error ? "error" : "warning");
    json_str(f, e->msg);
    if (e->hint) {
      fputs(",\"hint\":", f);
      json_str(f, e->hint);
    }
    fputs("}\n", f);
    return;
  }
  const char *bold = d->color ? "\033[1m" : "", *red = d->color ? "\033[1;31m" : "",
             *mag = d->color ? "\033[1;35m" : "", *grn = d->color ? "\033[1;32m" : "",
             *off = d->color ? "\033[0m" : "";
  fprintf(f, "%s%s:%u:%u:%s %s%s:%s %s\n", bold, path, line, col, off, e->error ? red : mag,
          e->error ? "error" : "warning", off, e->msg);
  if (s && line <= s->nlines) {
    uint32_t ls = s->line_starts[line - 1], le = ls;
    /* the end of the line, looked for no further than the window can show: a megabyte-long
     * line costs no more to cite than a short one */
    uint32_t stop = e->loc.start > ls ? e->loc.start : ls;
    stop = s->len - stop > 200 ? stop + 200 : s->len;
    while (le < stop && s->text[le] != '\n')
      le++;
    if (le > ls && s->text[le - 1] == '\r')
      le--;
    /* A long line is shown as a window of at most 120 bytes around the column. */
    uint32_t at = e->loc.start > le ? le : e->loc.start < ls ? ls : e->loc.start;
    uint32_t from = ls, to = le;
    if (le - ls > 120) {
      from = at > ls + 40 ? at - 40 : ls;
      to = from + 120 < le ? from + 120 : le;
    }
    fprintf(f, "%5u | %s", line, from > ls ? "..." : "");
    for (uint32_t i = from; i < to; i++) {
      unsigned char c = (unsigned char)s->text[i];
      fputc(c == '\t' ? ' ' : (c < 0x20 || c == 0x7f) ? '?' : (char)c, f);
    }
    fprintf(f, "%s\n      | %s", to < le ? "..." : "", from > ls ? "   " : "");
    uint32_t lead = 0;
    for (uint32_t i = from; i < at; i++)
      lead += ((unsigned char)s->text[i] & 0xC0) != 0x80;
    for (uint32_t i = 0; i < lead; i++)
      fputc(' ', f);
    uint32_t width = (eline == line && ecol > col) ? ecol - col : 1;
    if (to >= at && width > to - at + 1)
      width = to - at > 0 ? to - at : 1;
    fputs(grn, f);
    for (uint32_t i = 0; i < width; i++)
      fputc('^', f);
    fprintf(f, "%s\n", off);
  }
  if (e->hint)
    fprintf(f, "      = hint: %s\n", e->hint);
}

void imhe_diags_flush(struct diags *d) {
  if (d->n)
    qsort(d->v, d->n, sizeof *d->v, cmp_entry);
  uint32_t shown = 0, more = d->dropped;
  for (uint32_t i = 0; i < d->n; i++) {
    if (i && cmp_entry(&d->v[i], &d->v[i - 1]) == 0 && d->v[i].error == d->v[i - 1].error)
      continue;
    if (d->v[i].error)
      d->errors++;
    else
      d->warnings++;
    if (shown < IMHE_DIAG_SHOWN) {
      print_one(d, &d->v[i]);
      shown++;
    } else
      more++;
  }
  if (more && !d->json)
    fprintf(d->out, "imhe: %u more diagnostic%s not shown\n", more, more == 1 ? "" : "s");
}
