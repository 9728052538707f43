/* test_editors.c — the editor support in editors/: the VS Code extension's files are strict JSON
 * that fit together, and Vim loads the syntax file and highlights each kind of word as intended. */
#include "compiler/keywords.h"
#include "helpers.h"
#include "json.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct json *load_json(const char *path) {
  size_t n;
  char *text = read_all(path, &n);
  cr_assert(text, "cannot read %s", path);
  char err[200];
  struct json *v = json_parse(text, n, err, sizeof err);
  cr_assert(v, "%s is not JSON: %s", path, err);
  free(text);
  return v;
}

static const char *str_of(const struct json *obj, const char *key) {
  const struct json *v = obj ? json_get(obj, key) : NULL;
  return v && v->type == JSON_STRING ? v->str : NULL;
}

Test(editors, vscode_extension_files_are_json_that_fit_together) {
  struct json *pkg = load_json("editors/vscode/package.json");
  const struct json *contrib = json_get(pkg, "contributes");
  cr_assert(contrib && contrib->type == JSON_OBJECT, "package.json: no contributes");
  const struct json *langs = json_get(contrib, "languages"), *grams = json_get(contrib, "grammars");
  cr_assert(langs && langs->type == JSON_ARRAY && langs->n == 1, "package.json: one language");
  cr_assert(grams && grams->type == JSON_ARRAY && grams->n == 1, "package.json: one grammar");
  const struct json *lang = &langs->items[0], *gram = &grams->items[0];
  cr_expect_str_eq(str_of(lang, "id"), "imhe");
  const struct json *ext = json_get(lang, "extensions");
  cr_expect(ext && ext->n == 1 && !strcmp(ext->items[0].str, ".imhe"), "*.imhe files");
  cr_expect_str_eq(str_of(gram, "language"), "imhe");
  cr_assert(str_of(lang, "configuration") && str_of(gram, "path"));

  char path[300];
  snprintf(path, sizeof path, "editors/vscode/%s", str_of(lang, "configuration"));
  struct json *conf = load_json(path);
  const struct json *comments = json_get(conf, "comments");
  cr_expect_str_eq(str_of(comments, "lineComment"), "#");
  json_free(conf);

  snprintf(path, sizeof path, "editors/vscode/%s", str_of(gram, "path"));
  struct json *tm = load_json(path);
  cr_expect_str_eq(str_of(tm, "scopeName"), str_of(gram, "scopeName"));
  const struct json *pats = json_get(tm, "patterns"), *repo = json_get(tm, "repository");
  cr_assert(pats && pats->type == JSON_ARRAY && pats->n > 0 && repo && repo->type == JSON_OBJECT);
  /* every include names a repository entry */
  for (size_t i = 0; i < pats->n; i++) {
    const char *inc = str_of(&pats->items[i], "include");
    cr_assert(inc && inc[0] == '#', "patterns[%zu] is not an include", i);
    cr_expect(json_get(repo, inc + 1), "the grammar includes #%s, which it does not define",
              inc + 1);
  }
  /* and every keyword is in a pattern */
  const struct json *words = json_get(repo, "words");
  cr_assert(words);
  char *all = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&all, &len);
  const struct json *wp = json_get(words, "patterns");
  for (size_t i = 0; wp && i < wp->n; i++)
    fprintf(m, "%s\n", str_of(&wp->items[i], "match"));
  fclose(m);
#define K(token, word, cls)                                                                        \
  {                                                                                                \
    char alt[60], first[60], last[60];                                                             \
    snprintf(alt, sizeof alt, "|%s|", word);                                                       \
    snprintf(first, sizeof first, "(?:%s|", word);                                                 \
    snprintf(last, sizeof last, "|%s)", word);                                                     \
    cr_expect(strstr(all, alt) || strstr(all, first) || strstr(all, last),                         \
              "the TextMate grammar does not highlight the keyword '%s'", word);                   \
  }
  IMHE_KEYWORDS(K)
#undef K
  free(all);
  json_free(tm);
  json_free(pkg);
}

Test(editors, vim_loads_the_syntax_and_highlights_each_kind_of_word) {
  if (run_cmd("command -v vim >/dev/null 2>&1", NULL) != 0)
    cr_skip_test("vim is not installed");
  char *dir = temp_dir();
  cr_assert(dir);
  char out[300], cmd[800];
  snprintf(out, sizeof out, "%s/vim-check.txt", dir);
  snprintf(cmd, sizeof cmd,
           "VIM_CHECK_OUT=%s vim -Nu NONE -i NONE -es -S tests/editors/check.vim </dev/null "
           ">/dev/null 2>&1",
           out);
  int rc = run_cmd(cmd, NULL);
  char *fails = read_all(out, NULL);
  cr_expect_eq(rc, 0, "vim: %s", fails ? fails : "(no result written: the check did not run)");
  cr_expect(fails && !*fails, "vim: %s", fails ? fails : "");
  free(fails);
  unlink(out);
  rmdir(dir);
  free(dir);
}
