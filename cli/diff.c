/* diff.c — `imhe diff OLD NEW`: what differs between two policies or rules directories (for
 * example two `git worktree` checkouts), compared by the library (imhe_policy_diff_open) and
 * printed as text, JSON or Markdown. */
#include "cli/options.h"
#include "include/imhe.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *const usage_diff =
    "usage: imhe diff [--format text|json|markdown] OLD NEW\n"
    "\n"
    "Lists what differs between two policies (.imhe or .imhec files) or two rules\n"
    "directories (policies paired by file name): rules added, removed or changed\n"
    "(description, area, categories, conditions, thresholds and dates, logic), fees,\n"
    "coupons, deadlines, accepted memberships, bases and the categories offered.\n"
    "Nothing is written into either directory.\n"
    "  --format F      text (default), json (one object per difference, JSON Lines)\n"
    "                  or markdown (a table)\n"
    "exit: 0 no difference, 1 some, 2 a usage or policy error\n";

enum dformat { D_TEXT, D_JSON, D_MARKDOWN };

static imhe_policy_set *open_side(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "imhe diff: %s: %s\n", path, strerror(errno));
    return NULL;
  }
  imhe_open_options oo = {.no_cache_write = 1};
  imhe_policy_set *set;
  imhe_error e;
  if (imhe_policy_set_open(path, &oo, &set, &e) != IMHE_OK) {
    fprintf(stderr, "imhe diff: %s\n", e.message);
    return NULL;
  }
  return set;
}

static void json_str(const char *s) {
  if (!s) {
    fputs("null", stdout);
    return;
  }
  putchar('"');
  for (; *s; s++)
    if (*s == '"' || *s == '\\')
      printf("\\%c", *s);
    else if ((unsigned char)*s < 0x20)
      printf("\\u%04x", *s);
    else
      putchar(*s);
  putchar('"');
}

/* Markdown table cells: a | would end the cell, a newline the row. */
static void md_cell(const char *s) {
  for (; s && *s; s++)
    if (*s == '|')
      fputs("\\|", stdout);
    else
      putchar(*s == '\n' ? ' ' : *s);
}

static void print_one(enum dformat f, const imhe_difference *d) {
  if (f == D_JSON) {
    printf("{\"policy\":");
    json_str(d->policy);
    printf(",\"what\":");
    json_str(d->what);
    printf(",\"change\":\"%s\",\"old\":", d->change);
    json_str(d->old_text);
    printf(",\"new\":");
    json_str(d->new_text);
    printf(",\"file\":");
    json_str(d->file);
    printf(",\"line\":%u}\n", d->line);
  } else if (f == D_MARKDOWN) {
    printf("| %s | ", d->policy);
    md_cell(d->what);
    printf(" | %s | ", d->change);
    md_cell(d->old_text ? d->old_text : "");
    printf(" | ");
    md_cell(d->new_text ? d->new_text : "");
    if (d->file)
      printf(" | %s:%u |\n", d->file, d->line);
    else
      printf(" | |\n");
  } else {
    printf("%s: %s %s", d->policy, d->what, d->change);
    if (d->old_text && d->new_text)
      printf(": %s → %s", d->old_text, d->new_text);
    else if (d->old_text || d->new_text)
      printf(": %s", d->old_text ? d->old_text : d->new_text);
    if (d->file)
      printf("  [%s:%u]", d->file, d->line);
    putchar('\n');
  }
}

int imhe_cli_diff(int argc, char **argv) {
  const char *paths[2] = {NULL, NULL};
  int n = 0;
  enum dformat f = D_TEXT;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    if (imhe_cli_is_help(a)) {
      fputs(usage_diff, stdout);
      return 0;
    } else if (!strcmp(a, "--format")) {
      if (!(v = imhe_cli_option_value("diff", argc, argv, &i, "a format (text, json, markdown)")))
        return 2;
      if (!strcmp(v, "text") || !strcmp(v, "json") || !strcmp(v, "markdown"))
        f = v[0] == 't' ? D_TEXT : v[0] == 'j' ? D_JSON : D_MARKDOWN;
      else {
        fprintf(stderr, "imhe diff: unknown format '%s' (text, json, markdown)\n", v);
        return 2;
      }
    } else if (!strcmp(a, "--records")) {
      fprintf(stderr, "imhe diff: --records is not supported yet: this version compares the "
                      "policies themselves\n");
      return 2;
    } else if (a[0] == '-') {
      fprintf(stderr, "imhe diff: unknown option '%s'\n%s", a, usage_diff);
      return 2;
    } else if (n == 2) {
      fprintf(stderr, "imhe diff: give two policies or rules directories, not more\n%s",
              usage_diff);
      return 2;
    } else
      paths[n++] = a;
  }
  if (n != 2) {
    fputs(usage_diff, stderr);
    return 2;
  }
  imhe_policy_set *old = open_side(paths[0]), *new_ = old ? open_side(paths[1]) : NULL;
  imhe_policy_diff *d = NULL;
  imhe_error e;
  if (new_ && imhe_policy_diff_open(old, new_, &d, &e) != IMHE_OK)
    fprintf(stderr, "imhe diff: %s\n", e.message);
  size_t count = imhe_policy_diff_count(d);
  if (d && f == D_MARKDOWN && count)
    printf("| policy | what | change | old | new | source |\n| --- | --- | --- | --- | --- | --- "
           "|\n");
  for (size_t i = 0; i < count; i++) {
    imhe_difference x;
    imhe_policy_diff_at(d, i, &x);
    print_one(f, &x);
  }
  if (d && f != D_JSON)
    printf("%s%zu difference%s between %s and %s\n", f == D_MARKDOWN && count ? "\n" : "", count,
           count == 1 ? "" : "s", paths[0], paths[1]);
  int rc = !d ? 2 : count ? 1 : 0;
  imhe_policy_diff_close(d);
  imhe_policy_set_close(old);
  imhe_policy_set_close(new_);
  return rc;
}
