/* test_docs.c — the documentation against the code's single lists: docs/records.md describes every
 * record field, section, value, category, area and limit; grammar/README.md every keyword and name.
 */
#include "compiler/keywords.h"
#include "compiler/vocab.h"
#include "helpers.h"
#include "json.h"
#include "runtime/bytecode/measure_table.h"
#include "runtime/core/defs.h"
#include "runtime/records/record.h"
#include "runtime/records/schema.h"
#include "runtime/records/stream.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a Markdown page as lines, each marked inside or outside a fenced code block ---- */

struct page {
  const char *path;
  char *text;
  size_t len;
  char **line;
  int *fenced; /* 1 for a line inside a fence (the fence lines included) */
  int n;
};

static void page_load(struct page *p, const char *path) {
  memset(p, 0, sizeof *p);
  p->path = path;
  p->text = read_all(path, &p->len);
  cr_assert(p->text, "cannot read %s", path);
  int cap = 0, fence = 0;
  for (char *s = p->text; *s;) {
    char *e = strchr(s, '\n');
    if (e)
      *e = 0;
    if (p->n == cap) {
      cap = cap ? 2 * cap : 256;
      p->line = realloc(p->line, (size_t)cap * sizeof *p->line);
      p->fenced = realloc(p->fenced, (size_t)cap * sizeof *p->fenced);
      cr_assert(p->line && p->fenced);
    }
    int is_fence = !strncmp(s, "```", 3);
    p->line[p->n] = s;
    p->fenced[p->n++] = fence || is_fence;
    if (is_fence)
      fence = !fence;
    if (!e)
      break;
    s = e + 1;
  }
}

static void page_free(struct page *p) {
  free(p->text);
  free(p->line);
  free(p->fenced);
}

static int heading_level(const struct page *p, int i) {
  if (p->fenced[i])
    return 0;
  int k = 0;
  while (p->line[i][k] == '#')
    k++;
  return k && p->line[i][k] == ' ' ? k : 0;
}

/* The lines [*from, *to) under the heading written exactly as `heading` ("### `work`"). */
static int page_section(const struct page *p, const char *heading, int *from, int *to) {
  for (int i = 0; i < p->n; i++)
    if (heading_level(p, i) && !strcmp(p->line[i], heading)) {
      int lvl = heading_level(p, i), j = i + 1;
      while (j < p->n && !(heading_level(p, j) && heading_level(p, j) <= lvl))
        j++;
      *from = i + 1;
      *to = j;
      return 1;
    }
  return 0;
}

/* Splits a table row into trimmed cells (a `\|` stays inside its cell); returns their number. */
static int row_cells(const char *line, char cells[][600], int max) {
  if (line[0] != '|')
    return 0;
  int n = 0;
  const char *s = line + 1;
  while (*s && n < max) {
    size_t k = 0;
    while (*s && *s != '|') {
      if (s[0] == '\\' && s[1] == '|')
        s++;
      if (k + 1 < 600)
        cells[n][k++] = *s;
      s++;
    }
    if (!*s)
      break; /* text after the last '|' is no cell */
    while (k && cells[n][k - 1] == ' ')
      k--;
    cells[n][k] = 0;
    size_t lead = strspn(cells[n], " ");
    memmove(cells[n], cells[n] + lead, k - lead + 1);
    n++;
    s++;
  }
  return n;
}

/* The row of lines [from, to) whose first cell is exactly `first`; its cells in `cells`. */
static int page_row(const struct page *p, int from, int to, const char *first, char cells[][600],
                    int max) {
  for (int i = from; i < to; i++)
    if (!p->fenced[i] && row_cells(p->line[i], cells, max) > 0 && !strcmp(cells[0], first))
      return row_cells(p->line[i], cells, max);
  return 0;
}

static int is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

/* Whether `word` stands as a whole word (hyphens belong to words) in s[0..n). */
static int has_word(const char *s, size_t n, const char *word) {
  size_t w = strlen(word);
  for (size_t i = 0; i + w <= n; i++)
    if (!memcmp(s + i, word, w) && (i == 0 || !is_word_char(s[i - 1])) &&
        (i + w == n || !is_word_char(s[i + w])))
      return 1;
  return 0;
}

/* The page's code: its fenced blocks and its `code spans` (which may run over line breaks
 * within a paragraph), each span or line ending in a newline. Owned by the caller. */
static char *page_code(const struct page *p) {
  size_t cap = p->len + (size_t)p->n + 2, k = 0;
  char *out = malloc(cap);
  cr_assert(out);
  int span = 0;
  for (int i = 0; i < p->n; i++) {
    const char *l = p->line[i];
    if (p->fenced[i]) {
      k += (size_t)snprintf(out + k, cap - k, "%s\n", l);
      span = 0;
      continue;
    }
    if (!*l) /* a blank line ends a paragraph, and any open span with it */
      span = 0;
    for (; *l; l++) {
      if (*l == '`') {
        span = !span;
        out[k++] = '\n';
      } else if (span)
        out[k++] = *l;
    }
    if (span)
      out[k++] = ' ';
  }
  out[k] = 0;
  return out;
}

/* Whether `word` is written as code on the page, as a whole word. */
static int in_code(const struct page *p, const char *word) {
  char *code = page_code(p);
  int found = has_word(code, strlen(code), word);
  free(code);
  return found;
}

/* Whether `token` (an operator) is written as code, between spaces or span ends. */
static int in_code_token(const struct page *p, const char *token) {
  char *code = page_code(p);
  size_t t = strlen(token);
  int found = 0;
  for (char *c = code; (c = strstr(c, token)) && !found; c++)
    found = (c == code || c[-1] == ' ' || c[-1] == '\n') && (c[t] == ' ' || c[t] == '\n');
  free(code);
  return found;
}

/* Whether a table row describes `name`: its first cell holds a code span that starts with the
 * name, whole (`sum(C.field)`, `years_endorsed`, `credential(cda)`). */
static int described(const struct page *p, const char *name) {
  char cells[12][600];
  size_t n = strlen(name);
  for (int i = 0; i < p->n; i++) {
    if (p->fenced[i] || row_cells(p->line[i], cells, 12) < 2)
      continue;
    for (const char *a = strchr(cells[0], '`'); a; a = strchr(a, '`')) {
      const char *b = strchr(a + 1, '`');
      if (!b)
        break;
      if ((size_t)(b - a - 1) >= n && !memcmp(a + 1, name, n) && !is_word_char(a[1 + n]))
        return 1;
      a = b + 1;
    }
  }
  return 0;
}

/* ---- docs/records.md: the record format ---- */

static const char *type_word(const struct imhe_field_desc *f) {
  switch (f->kind) {
  case FT_TEXT:
    return "text";
  case FT_DATE:
    return "date";
  case FT_NUM:
    return "number";
  case FT_BOOL:
    return "true/false";
  case FT_ENUM:
    return "one of";
  case FT_SET:
    return "one or a list of";
  case FT_CODES:
    return "competency codes";
  }
  return "?";
}

/* Every value of enum e is in the cell as `value`. */
static void expect_values(const char *where, const char *cell, int e) {
  int n;
  const char *const *v = imhe_enum_values((enum imhe_enum)e, &n);
  int declared = e == ENUM_CREDENTIAL || e == ENUM_ROLE || e == ENUM_DEGREE;
  if (declared) /* the catalogue declares them */
    n = (int)imhe_declared_count(catalogue(), e);
  for (int i = 0; i < n; i++) {
    char code[80];
    snprintf(code, sizeof code, "`%s`",
             declared ? imhe_declared_word(catalogue(), e, (uint32_t)i) : v[i]);
    cr_expect(strstr(cell, code), "docs/records.md: %s does not list the value %s", where, code);
  }
}

Test(records_doc, every_section_and_field_with_its_type_and_values) {
  struct page p;
  page_load(&p, "docs/records.md");
  for (int s = 0; s < IMHE_SECTION__COUNT; s++) {
    const struct imhe_section_desc *d = &imhe_sections[s];
    char heading[80];
    snprintf(heading, sizeof heading, "### `%s`", d->name);
    int from, to;
    if (!page_section(&p, heading, &from, &to)) {
      cr_expect(0, "docs/records.md has no heading \"%s\"", heading);
      continue;
    }
    int example = 0;
    for (int i = from; i < to; i++)
      example |= p.fenced[i] && !strncmp(p.line[i], d->name, strlen(d->name));
    cr_expect(example, "docs/records.md: section %s has no example", d->name);
    for (int f = 0; f < d->nfields; f++) {
      const struct imhe_field_desc *fd = &d->fields[f];
      char first[80], cells[8][600], where[120];
      snprintf(first, sizeof first, "`%s`", fd->name);
      snprintf(where, sizeof where, "%s.%s", d->name, fd->name);
      int nc = page_row(&p, from, to, first, cells, 8);
      if (nc < 4) {
        cr_expect(0, "docs/records.md: no row for field %s under %s", where, heading);
        continue;
      }
      const char *t = type_word(fd);
      cr_expect(!strncmp(cells[1], t, strlen(t)), "docs/records.md: %s is %s, not '%s'", where, t,
                cells[1]);
      if (fd->kind == FT_NUM)
        cr_expect(strstr(cells[1], imhe_unit_name((imhe_unit)fd->arg)),
                  "docs/records.md: %s is a number of %s ('%s')", where,
                  imhe_unit_name((imhe_unit)fd->arg), cells[1]);
      if ((fd->kind == FT_ENUM || fd->kind == FT_SET) && fd->arg != ENUM_CATEGORY)
        expect_values(where, cells[2], fd->arg);
      if (fd->kind == FT_ENUM || fd->kind == FT_SET)
        if (fd->arg == ENUM_CATEGORY)
          cr_expect(strstr(cells[2], "category code"),
                    "docs/records.md: %s takes category codes; its values cell says '%s'", where,
                    cells[2]);
      cr_expect((strncmp(cells[3], "yes", 3) == 0) == fd->required,
                "docs/records.md: %s is %srequired, but its row says '%s'", where,
                fd->required ? "" : "not ", cells[3]);
    }
  }
  page_free(&p);
}

Test(records_doc, every_top_level_field_and_mapping_field) {
  struct page p;
  page_load(&p, "docs/records.md");
  int from, to;
  cr_assert(page_section(&p, "## The record's fields", &from, &to),
            "docs/records.md has no heading \"## The record's fields\"");
  char cells[8][600], first[80];
  static const char *const top[] = {
#define X(name) name,
      IMHE_RECORD_FIELDS(X)
#undef X
  };
  for (size_t i = 0; i < sizeof top / sizeof *top; i++) {
    snprintf(first, sizeof first, "`%s`", top[i]);
    cr_expect(page_row(&p, from, to, first, cells, 8) >= 4,
              "docs/records.md: no row for the record field %s", first);
  }
  static const char *const sub[] = {
#define X(name) "applicant." name,
      IMHE_APPLICANT_FIELDS(X)
#undef X
#define X(name) "membership." name,
          IMHE_MEMBERSHIP_FIELDS(X)
#undef X
#define X(name) "exam." name,
              IMHE_EXAM_FIELDS(X)
#undef X
  };
  for (size_t i = 0; i < sizeof sub / sizeof *sub; i++) {
    snprintf(first, sizeof first, "`%s`", sub[i]);
    cr_expect(page_row(&p, from, to, first, cells, 8) >= 4,
              "docs/records.md: no row for the record field %s", first);
  }
  for (int s = 0; s < IMHE_SECTION__COUNT; s++) {
    snprintf(first, sizeof first, "`%s`", imhe_sections[s].name);
    int nc = page_row(&p, from, to, first, cells, 8);
    cr_expect(nc >= 4 && !strcmp(cells[1], "list of entries"),
              "docs/records.md: no row for the section %s as a list of entries", first);
  }
  if (page_row(&p, from, to, "`kind`", cells, 8) >= 4)
    expect_values("kind", cells[2], ENUM_KIND);
  page_free(&p);
}

/* The catalogue's categories as rules/catalogue.imhe declares them: code, name, and its track
 * ("either" for one serving several). */
static void catalogue_program(struct imhe_program *q) {
  cr_assert_eq(compile_to("rules/catalogue.imhe", q, NULL), 0, "rules/catalogue.imhe compiles");
}
static const char *track_of(const struct imhe_program *q, uint32_t c) {
  uint32_t t = q->cats[c].tracks;
  if (t & (t - 1))
    return "either";
  for (uint32_t k = 0; k < q->ntracks; k++)
    if (t >> k & 1u)
      return imhe_track_code(q, (int)k);
  return "?";
}

Test(records_doc, every_category_with_its_name_and_track) {
  struct page p;
  struct imhe_program q;
  catalogue_program(&q);
  page_load(&p, "docs/records.md");
  int from, to;
  cr_assert(page_section(&p, "## Categories", &from, &to));
  for (uint32_t c = 0; c < q.ncats; c++) {
    char first[40], cells[6][600];
    snprintf(first, sizeof first, "`%s`", imhe_cat_code(&q, (int)c));
    int nc = page_row(&p, from, to, first, cells, 6);
    cr_expect(nc >= 3 && !strcmp(cells[1], imhe_cat_name(&q, (int)c)) &&
                  !strcmp(cells[2], track_of(&q, c)),
              "docs/records.md: category %s should read | %s | %s | %s |",
              imhe_cat_code(&q, (int)c), first, imhe_cat_name(&q, (int)c), track_of(&q, c));
  }
  page_free(&p);
  imhe_program_free(&q);
}

Test(records_doc, every_area) {
  struct page p;
  page_load(&p, "docs/records.md");
  int from, to;
  cr_assert(page_section(&p, "## Areas", &from, &to));
  struct imhe_program q;
  catalogue_program(&q);
  for (int a = 0; a < (int)q.nareas; a++) {
    char first[40], cells[4][600];
    snprintf(first, sizeof first, "`%s`", imhe_area_word(&q, a));
    cr_expect(page_row(&p, from, to, first, cells, 4) >= 2,
              "docs/records.md: no row for the area %s under ## Areas", first);
  }
  imhe_program_free(&q);
  page_free(&p);
}

Test(records_doc, the_limits_as_the_loader_holds_them) {
  struct page p;
  page_load(&p, "docs/records.md");
  int from, to;
  cr_assert(page_section(&p, "## Limits", &from, &to));
  const struct imhe_read_limits *l = &imhe_default_limits;
  char want[6][40];
  snprintf(want[0], 40, "%u", l->max_depth);
  snprintf(want[1], 40, "%zu KiB", l->max_scalar / 1024);
  snprintf(want[2], 40, "%zu MiB", l->max_document / (1024 * 1024));
  snprintf(want[3], 40, "%u", l->max_entries);
  snprintf(want[4], 40, "%u", l->max_nodes);
  snprintf(want[5], 40, "%u", l->max_directives);
  static const char *const names[] = {"nesting depth",         "scalar size",
                                      "document size",         "entries in one list or mapping",
                                      "nodes in one document", "directives before one document"};
  cr_assert_eq(l->max_scalar % 1024, 0);
  cr_assert_eq(l->max_document % (1024 * 1024), 0);
  for (int i = 0; i < 6; i++) {
    char cells[4][600];
    int nc = page_row(&p, from, to, names[i], cells, 4);
    cr_expect(nc >= 2 && !strcmp(cells[1], want[i]), "docs/records.md: the %s limit is %s, not %s",
              names[i], want[i], nc >= 2 ? cells[1] : "(no row)");
  }
  char fifo[40];
  snprintf(fifo, sizeof fifo, "after %u s", l->fifo_wait_ms / 1000);
  int found = 0;
  for (int i = from; i < to; i++)
    found |= strstr(p.line[i], fifo) != NULL;
  cr_expect(found, "docs/records.md: a FIFO is refused %s without a writer", fifo);
  page_free(&p);
}

/* Whether a YAML example sets `key` at its top level (a line starting "key:"). */
static int sets_key(const char *yaml, const char *key) {
  size_t k = strlen(key);
  for (const char *l = yaml; l; l = strchr(l, '\n')) {
    if (*l == '\n')
      l++;
    if (!strncmp(l, key, k) && l[k] == ':')
      return 1;
  }
  return 0;
}

/* Every YAML example loads and is judged without a fault or a warning. An example of a section
 * alone is judged inside a record that supplies what it lacks (MI's policy, whose catalogue
 * validates competency codes). */
Test(records_doc, every_example_is_a_faultless_record) {
  struct page p;
  page_load(&p, "docs/records.md");
  char *dir = temp_dir();
  cr_assert(dir);
  int examples = 0;
  for (int i = 0; i < p.n; i++) {
    if (strcmp(p.line[i], "```yaml"))
      continue;
    char body[8192] = "";
    size_t k = 0;
    int start = i + 1;
    for (i++; i < p.n && strcmp(p.line[i], "```"); i++)
      k += (size_t)snprintf(body + k, sizeof body - k, "%s\n", p.line[i]);
    cr_assert_lt(k, sizeof body - 1);
    char yaml[9000] = "";
    if (!sets_key(body, "id"))
      snprintf(yaml, sizeof yaml,
               "id: EXAMPLE\nassociation: MI\ncategory: IFS\nsubmitted: 2026-01-01\n"
               "applicant: {name: Example}\n%s",
               body);
    else
      snprintf(yaml, sizeof yaml, "%s", body);
    char path[600], cmd[1400], *out = NULL;
    snprintf(path, sizeof path, "%s/example-%d.yaml", dir, start);
    cr_assert_eq(write_all(path, yaml, strlen(yaml)), 0);
    snprintf(cmd, sizeof cmd, "%s check --format json %s 2>&1", imhe_bin(), path);
    run_cmd(cmd, &out);
    examples++;
    int records = 0;
    for (char *l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
      char err[200];
      struct json *rec = json_parse(l, strcspn(l, "\n"), err, sizeof err);
      cr_expect(rec, "docs/records.md:%d: the example's report is not JSON: %s", start, out);
      if (!rec)
        break;
      records++;
      const struct json *e = json_get(rec, "errors"), *w = json_get(rec, "warnings");
      cr_expect(e && e->n == 0 && w && w->n == 0,
                "docs/records.md:%d: the example has faults or warnings: %.*s", start,
                (int)strcspn(l, "\n"), l);
      json_free(rec);
    }
    cr_expect_gt(records, 0, "docs/records.md:%d: no record judged: %s", start, out);
    free(out);
  }
  cr_expect_geq(examples, IMHE_SECTION__COUNT + 3, "docs/records.md has %d YAML examples",
                examples);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
  page_free(&p);
}

/* ---- grammar/README.md: the language reference ---- */

Test(reference, cites_the_record_format) {
  struct page p;
  page_load(&p, "grammar/README.md");
  int cites = 0;
  for (int i = 0; i < p.n; i++)
    cites |= !p.fenced[i] && strstr(p.line[i], "](../docs/records.md") != NULL;
  cr_expect(cites, "grammar/README.md does not link ../docs/records.md");
  page_free(&p);
  size_t n;
  char *r = read_all("docs/records.md", &n);
  cr_expect(r && n > 0, "docs/records.md is missing");
  free(r);
}

Test(reference, mentions_every_keyword) {
  struct page p;
  page_load(&p, "grammar/README.md");
#define K(token, word, cls)                                                                        \
  cr_expect(in_code(&p, word), "grammar/README.md never writes the keyword `%s` as code", word);
  IMHE_KEYWORDS(K)
#undef K
  page_free(&p);
}

Test(reference, describes_every_measure_value_fact_and_filter_word) {
  struct page p;
  page_load(&p, "grammar/README.md");
  /* the measures, one row each form of a name; min and max beside them */
  for (int id = 0; id < MEASURE__COUNT; id++) {
    const char *name = imhe_measures[id].name;
    cr_expect(described(&p, name), "grammar/README.md has no table row for the measure `%s%s`",
              name, imhe_measures[id].args[0] ? "(...)" : "");
  }
#define X(name)                                                                                    \
  cr_expect(described(&p, name), "grammar/README.md has no table row for `%s(...)`", name);
  IMHE_QUANTITY_FUNCTIONS(X)
#undef X
#define X(name)                                                                                    \
  cr_expect(described(&p, name), "grammar/README.md has no table row for the name `%s`", name);
  IMHE_NAMED_VALUES(X)
  IMHE_FILTER_WORDS(X)
#undef X
#define X(id, name, type, desc)                                                                    \
  cr_expect(described(&p, name), "grammar/README.md has no table row for the fact `%s`", name);
  IMHE_FACTS(X)
#undef X
  page_free(&p);
}

Test(reference, describes_every_fee_kind_renewal_scheme_and_unit) {
  struct page p;
  page_load(&p, "grammar/README.md");
  struct imhe_program q;
  catalogue_program(&q);
  for (uint32_t k = 0; k < q.nfee_kinds; k++)
    cr_expect(described(&p, imhe_fee_word(&q, k)),
              "grammar/README.md has no table row for the fee kind `%s`", imhe_fee_word(&q, k));
  imhe_program_free(&q);
#define X(id, word)                                                                                \
  cr_expect(in_code(&p, "renewal " word),                                                          \
            "grammar/README.md never shows the renewal scheme `renewal %s`", word);
  IMHE_RENEWAL_SCHEMES(X)
#undef X
#define X(word, unit, scale, disp)                                                                 \
  cr_expect(in_code(&p, word), "grammar/README.md never writes the unit `%s` as code", word);
  IMHE_UNIT_WORDS(X)
#undef X
  page_free(&p);
}

Test(reference, mentions_every_area_category_section_and_comparison) {
  struct page p;
  page_load(&p, "grammar/README.md");
  struct imhe_program q;
  catalogue_program(&q);
  for (int a = 0; a < (int)q.nareas; a++)
    cr_expect(in_code(&p, imhe_area_word(&q, a)), "grammar/README.md never names the area `%s`",
              imhe_area_word(&q, a));
  for (uint32_t c = 0; c < q.ncats; c++)
    cr_expect(in_code(&p, imhe_cat_code(&q, (int)c)),
              "grammar/README.md never names the category `%s`", imhe_cat_code(&q, (int)c));
  imhe_program_free(&q);
  for (int s = 0; s < IMHE_SECTION__COUNT; s++)
    cr_expect(in_code(&p, imhe_sections[s].name),
              "grammar/README.md never names the collection `%s`", imhe_sections[s].name);
  for (int c = 0; c < CMP__COUNT; c++)
    cr_expect(in_code_token(&p, imhe_cmp_symbol[c]),
              "grammar/README.md never writes the comparison `%s` as code", imhe_cmp_symbol[c]);
  page_free(&p);
}
