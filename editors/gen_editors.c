/* gen_editors.c — writes the editor grammars (Vim syntax, VS Code TextMate) from the language's own
 * lists, so an editor never highlights a word the compiler does not know or misses one it does.
 *
 *   gen_editors vim|textmate CATALOGUE.imhe     the file on stdout
 *
 * Words come from compiler/keywords.h, the measures table (runtime/bytecode/measure_table.h),
 * compiler/vocab.h, runtime/core/defs.h and runtime/records/schema.h; the groups and competency
 * domains from the catalogue policy (rules/catalogue.imhe). A word in more
 * than one list is highlighted as the first: keywords, measures, facts and named values,
 * collections, fee kinds, categories, groups, domains, values, months. */
#include "compiler/ast.h"
#include "compiler/diag.h"
#include "compiler/keywords.h"
#include "compiler/parse.h"
#include "compiler/vocab.h"
#include "runtime/bytecode/measure_table.h"
#include "runtime/core/defs.h"
#include "runtime/records/schema.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- word classes ---- */

enum cls {
  C_KEYWORD,  /* items and their parts */
  C_OPWORD,   /* and or not in where all any of end */
  C_MEASURE,  /* sum(...) */
  C_BUILTIN,  /* facts, named values, filter words */
  C_SECTION,  /* the record's collections */
  C_FEE,      /* fee kinds */
  C_CATEGORY, /* category codes and tracks */
  C_GROUP,    /* the catalogue's groups */
  C_DOMAIN,   /* competency domains */
  C_VALUE,    /* enumerated record values */
  C_MONTH,    /* deadline months */
  C_AREA,     /* after require/advise only */
  C_UNIT,     /* after a number only */
  C_SCHEME,   /* after renewal only */
  C__COUNT
};

struct word {
  const char *w;
  enum cls c;
};
static struct word words[1024];
static int nwords;

/* Adds `w` to class c unless a class before it (among the free-standing ones) has it. The
 * contextual classes (area, unit, scheme) keep every word: they are matched after their cue. */
static void add(const char *w, enum cls c) {
  int contextual = c >= C_AREA;
  for (int i = 0; i < nwords; i++)
    if (!strcmp(words[i].w, w) && (contextual ? words[i].c == c : words[i].c < C_AREA))
      return;
  if (nwords == (int)(sizeof words / sizeof *words)) {
    fprintf(stderr, "gen_editors: too many words\n");
    exit(1);
  }
  words[nwords].w = w;
  words[nwords++].c = c;
}

static int count(enum cls c) {
  int n = 0;
  for (int i = 0; i < nwords; i++)
    n += words[i].c == c;
  return n;
}

/* The catalogue, parsed with the compiler's own parser; its arena holds the names until the
 * program ends. */
static struct policy_file catalogue_pf;

static void read_catalogue(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(1);
  }
  static char text[1 << 20];
  size_t n = fread(text, 1, sizeof text, f);
  fclose(f);
  if (n == sizeof text) {
    fprintf(stderr, "%s: larger than %zu bytes\n", path, sizeof text - 1);
    exit(1);
  }
  static struct imhe_arena arena;
  imhe_arena_init(&arena, 0);
  struct diags d;
  imhe_diags_init(&d, stderr, 0, 0);
  uint32_t file = imhe_diags_add_file(&d, path, text, (uint32_t)n);
  if (imhe_parse(&arena, &d, file, text, n, &catalogue_pf) != 0) {
    imhe_diags_flush(&d);
    exit(1);
  }
  imhe_diags_free(&d);
}

/* The catalogue's fee kinds (`defines fee`). */
static void add_fee_kinds(void) {
  for (struct node *it = catalogue_pf.items; it; it = it->next)
    if (it->kind == I_VOCAB && !strcmp(it->c->s, "fee"))
      add(it->s, C_FEE);
}

/* The catalogue's areas (`defines area`). */
static void add_areas(void) {
  for (struct node *it = catalogue_pf.items; it; it = it->next)
    if (it->kind == I_VOCAB && !strcmp(it->c->s, "area"))
      add(it->s, C_AREA);
}

/* The catalogue's categories and tracks, groups and domains. */
static void add_catalogue(void) {
  struct policy_file pf = catalogue_pf;
  for (int track = 0; track < 2; track++) /* the categories, then the tracks */
    for (struct node *it = pf.items; it; it = it->next)
      if (it->kind == I_VOCAB && !strcmp(it->c->s, track ? "track" : "category"))
        add(it->s, C_CATEGORY);
  for (struct node *it = pf.items; it; it = it->next)
    if (it->kind == I_GROUP)
      add(it->s, C_GROUP);
  for (struct node *it = pf.items; it; it = it->next)
    if (it->kind == I_DOMAIN)
      add(it->s, C_DOMAIN);
}

static void collect(const char *catalogue) {
#define KW_STMT C_KEYWORD
#define KW_OP C_OPWORD
#define K(token, word, cls) add(word, KW_##cls);
  IMHE_KEYWORDS(K)
#undef K
#undef KW_STMT
#undef KW_OP
  /* measures called with arguments, and min and max; those written bare are named values */
  for (int id = 0; id < MEASURE__COUNT; id++)
    if (imhe_measures[id].args[0])
      add(imhe_measures[id].name, C_MEASURE);
#define X(name) add(name, C_MEASURE);
  IMHE_QUANTITY_FUNCTIONS(X)
#undef X
#define X(id, name, type, desc) add(name, C_BUILTIN);
  IMHE_FACTS(X)
#undef X
#define X(name) add(name, C_BUILTIN);
  IMHE_NAMED_VALUES(X)
#undef X
  for (int id = 0; id < MEASURE__COUNT; id++)
    if (!imhe_measures[id].args[0])
      add(imhe_measures[id].name, C_BUILTIN);
#define X(name) add(name, C_BUILTIN);
  IMHE_FILTER_WORDS(X)
#undef X
  for (int s = 0; s < IMHE_SECTION__COUNT; s++)
    add(imhe_sections[s].name, C_SECTION);
  read_catalogue(catalogue);
  add_fee_kinds();
  add_catalogue(); /* its categories and tracks, groups and domains */
  for (int e = 0; e < ENUM_CATEGORY; e++) {
    if (e == 0) /* the catalogue's degrees and credentials, first as they were listed */
      for (struct node *it = catalogue_pf.items; it; it = it->next)
        if (it->kind == I_VOCAB && !strcmp(it->c->s, "degree"))
          add(it->s, C_VALUE);
    if (e == 0)
      for (struct node *it = catalogue_pf.items; it; it = it->next)
        if (it->kind == I_VOCAB && !strcmp(it->c->s, "credential"))
          add(it->s, C_VALUE);
    int n;
    const char *const *v = imhe_enum_values((enum imhe_enum)e, &n);
    for (int i = 0; i < n; i++)
      add(v[i], C_VALUE);
    if (e == ENUM_FORMAT) /* the catalogue's roles in place */
      for (struct node *it = catalogue_pf.items; it; it = it->next)
        if (it->kind == I_VOCAB && !strcmp(it->c->s, "role"))
          add(it->s, C_VALUE);
  }
#define X(name) add(name, C_MONTH);
  IMHE_MONTHS(X)
#undef X
  add_areas();
#define X(word, unit, scale, disp) add(word, C_UNIT);
  IMHE_UNIT_WORDS(X)
#undef X
#define X(id, word) add(word, C_SCHEME);
  IMHE_RENEWAL_SCHEMES(X)
#undef X
}

/* Keywords that cue a contextual class or a name after them. */
static int is_cue(const char *w) {
  static const char *const cues[] = {"policy",  "let",    "group",  "rule",
                                     "require", "advise", "renewal"};
  for (size_t i = 0; i < sizeof cues / sizeof *cues; i++)
    if (!strcmp(w, cues[i]))
      return 1;
  return 0;
}

/* ---- Vim ---- */

static const char *const vim_group[C__COUNT] = {
    "imheKeyword", "imheOperatorWord", "imheMeasure", "imheBuiltin", "imheCollection",
    "imheFeeKind", "imheCategory",     "imheGroup",   "imheDomain",  "imheValue",
    "imheMonth",   "imheArea",         "imheUnit",    "imheScheme"};

/* `syn keyword GROUP [contained] words...` in lines of at most about 100 columns. */
static void vim_keywords(enum cls c, const char *extra, int skip_cues) {
  const char *g = vim_group[c];
  int col = 0;
  for (int i = 0; i < nwords; i++) {
    if (words[i].c != c || (skip_cues && is_cue(words[i].w)))
      continue;
    size_t len = strlen(words[i].w);
    if (col == 0 || col + (int)len + 1 > 100) {
      if (col)
        putchar('\n');
      col = printf("syn keyword %s%s", g, extra);
    }
    col += printf(" %s", words[i].w);
  }
  if (col)
    putchar('\n');
}

static void gen_vim(void) {
  puts("\" Vim syntax file");
  puts("\" Language:   imhe policies (*.imhe), the Endorsement rules language");
  puts("\" Generated by editors/gen_editors.c from the compiler's word lists and");
  puts("\" rules/catalogue.imhe: do not edit; run `make editors`.");
  puts("");
  puts("if exists('b:current_syntax')");
  puts("  finish");
  puts("endif");
  puts("let s:cpo_save = &cpo");
  puts("set cpo&vim");
  puts("");
  puts("syn case match");
  puts("\" names may hold single hyphens between parts: IMHM-C, alliance-2025");
  puts("syn iskeyword @,48-57,_,192-255,-");
  puts("");
  puts("\" comments, text");
  puts("syn keyword imheTodo contained TODO FIXME XXX");
  puts("syn match imheComment \"#.*$\" contains=imheTodo,@Spell");
  puts("syn match imheEscape contained +\\\\[\\\\\"]+");
  puts("syn region imheString start=+\"+ skip=+\\\\\\\\\\|\\\\\"+ end=+\"+ end=+$+ oneline "
       "contains=imheEscape");
  puts("");
  puts("\" numbers, quantities (a number and its unit), money, dates");
  puts("syn match imheNumber \"\\<\\d\\+\\%(\\.\\d\\+\\)\\=\\>\" nextgroup=imheUnit skipwhite");
  puts("syn match imheMoney \"\\$\\d\\+\\%(\\.\\d\\+\\)\\=\\>\"");
  puts("syn match imheDate \"\\<\\d\\{4}-\\d\\d-\\d\\d\\>\"");
  vim_keywords(C_UNIT, " contained", 0);
  puts("");
  puts("\" operators; a minus between spaces (a hyphen inside a name is part of it)");
  puts("syn match imheOperator \"[<>!]=\\|[<>=+:]\"");
  puts("syn match imheOperator \"\\s\\zs-\\ze\\s\"");
  puts("");
  puts("\" keywords, and the names their cue words introduce");
  vim_keywords(C_KEYWORD, "", 1);
  puts("syn keyword imheKeyword policy nextgroup=imhePolicyName skipwhite");
  puts("syn keyword imheKeyword let nextgroup=imheDefName skipwhite");
  puts("syn keyword imheKeyword group nextgroup=imheGroupDef skipwhite");
  puts("syn keyword imheKeyword rule nextgroup=imheRuleName skipwhite");
  puts("syn keyword imheKeyword require advise nextgroup=imheArea skipwhite");
  puts("syn keyword imheKeyword renewal nextgroup=imheScheme skipwhite");
  puts("syn match imhePolicyName contained \"\\k\\+\"");
  puts("syn match imheDefName contained \"\\k\\+\"");
  puts("syn match imheGroupDef contained \"\\k\\+\"");
  puts("syn match imheRuleName contained \"\\k\\+\"");
  vim_keywords(C_AREA, " contained", 0);
  vim_keywords(C_SCHEME, " contained", 0);
  vim_keywords(C_OPWORD, "", 0);
  puts("");
  puts("\" measures, facts and named values, the record's collections");
  vim_keywords(C_MEASURE, "", 0);
  vim_keywords(C_BUILTIN, "", 0);
  vim_keywords(C_SECTION, "", 0);
  puts("");
  puts("\" fee kinds, categories and tracks, the catalogue's groups and domains, record values");
  vim_keywords(C_FEE, "", 0);
  vim_keywords(C_CATEGORY, "", 0);
  vim_keywords(C_GROUP, "", 0);
  vim_keywords(C_DOMAIN, "", 0);
  vim_keywords(C_VALUE, "", 0);
  vim_keywords(C_MONTH, "", 0);
  puts("");
  static const char *const links[][2] = {
      {"imheComment", "Comment"},    {"imheTodo", "Todo"},
      {"imheString", "String"},      {"imheEscape", "SpecialChar"},
      {"imheNumber", "Number"},      {"imheMoney", "Number"},
      {"imheDate", "Constant"},      {"imheUnit", "Type"},
      {"imheOperator", "Operator"},  {"imheOperatorWord", "Operator"},
      {"imheKeyword", "Statement"},  {"imhePolicyName", "Title"},
      {"imheDefName", "Identifier"}, {"imheGroupDef", "Type"},
      {"imheRuleName", "Function"},  {"imheArea", "Label"},
      {"imheScheme", "Constant"},    {"imheMeasure", "Function"},
      {"imheBuiltin", "Identifier"}, {"imheCollection", "Type"},
      {"imheFeeKind", "Constant"},   {"imheCategory", "Constant"},
      {"imheGroup", "Type"},         {"imheDomain", "Constant"},
      {"imheValue", "Constant"},     {"imheMonth", "Constant"},
  };
  for (size_t i = 0; i < sizeof links / sizeof *links; i++)
    printf("hi def link %-17s %s\n", links[i][0], links[i][1]);
  puts("");
  puts("let b:current_syntax = 'imhe'");
  puts("let &cpo = s:cpo_save");
  puts("unlet s:cpo_save");
  /* the cue keywords above must stay keywords of the language */
  for (int i = 0; i < nwords; i++)
    if (is_cue(words[i].w) && words[i].c != C_KEYWORD) {
      fprintf(stderr, "gen_editors: '%s' is no longer a keyword\n", words[i].w);
      exit(1);
    }
}

/* ---- TextMate (VS Code) ---- */

/* A JSON string holding `s`. */
static void json_str(const char *s) {
  putchar('"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      putchar('\\');
    putchar(*s);
  }
  putchar('"');
}

/* "(?:w1|w2|...)" of a class, to be wrapped in name boundaries. */
static char *alternation(enum cls c) {
  static char buf[8][8192];
  static int k;
  char *b = buf[k++ % 8];
  size_t n = 0;
  n += (size_t)snprintf(b + n, 8192 - n, "(?:");
  int first = 1;
  for (int i = 0; i < nwords; i++)
    if (words[i].c == c) {
      n += (size_t)snprintf(b + n, 8192 - n, "%s%s", first ? "" : "|", words[i].w);
      first = 0;
    }
  snprintf(b + n, 8192 - n, ")");
  return b;
}

#define NB "(?<![\\w-])" /* no name character before */
#define NA "(?![\\w-])"  /* no name character after */

static int first_rule;

static void tm_begin(const char *key) {
  printf("%s\n    ", first_rule ? "" : ",");
  first_rule = 0;
  json_str(key);
  printf(": {\n      \"patterns\": [");
}

static int first_pattern;
static void tm_match(const char *scope, const char *re) {
  printf("%s\n        { \"name\": ", first_pattern ? "" : ",");
  first_pattern = 0;
  json_str(scope);
  printf(", \"match\": ");
  json_str(re);
  printf(" }");
}
/* A match whose groups 1 and 2 have their own scopes. */
static void tm_match2(const char *re, const char *s1, const char *s2) {
  printf("%s\n        { \"match\": ", first_pattern ? "" : ",");
  first_pattern = 0;
  json_str(re);
  printf(", \"captures\": { \"1\": { \"name\": ");
  json_str(s1);
  printf(" }, \"2\": { \"name\": ");
  json_str(s2);
  printf(" } } }");
}
static void tm_words(const char *scope, enum cls c) {
  char re[9000];
  snprintf(re, sizeof re, NB "%s" NA, alternation(c));
  tm_match(scope, re);
}
static void tm_end(void) {
  printf("\n      ]\n    }");
  first_pattern = 1;
}

static void gen_textmate(void) {
  char re[9000];
  first_rule = first_pattern = 1;
  puts("{");
  puts("  \"$schema\": \"https://raw.githubusercontent.com/martinring/tmlanguage/master/"
       "tmlanguage.json\",");
  puts("  \"name\": \"imhe\",");
  puts("  \"scopeName\": \"source.imhe\",");
  puts("  \"fileTypes\": [\"imhe\"],");
  puts("  \"comment\": \"Generated by editors/gen_editors.c from the compiler's word lists and "
       "rules/catalogue.imhe: do not edit; run make editors.\",");
  puts("  \"patterns\": [");
  static const char *const order[] = {"comment", "string", "date",  "money",   "quantity",
                                      "number",  "names",  "words", "operator"};
  for (size_t i = 0; i < sizeof order / sizeof *order; i++)
    printf("    { \"include\": \"#%s\" }%s\n", order[i],
           i + 1 < sizeof order / sizeof *order ? "," : "");
  puts("  ],");
  printf("  \"repository\": {");

  tm_begin("comment");
  tm_match("comment.line.number-sign.imhe", "#.*$");
  tm_end();

  printf(",\n    \"string\": {\n");
  printf("      \"name\": \"string.quoted.double.imhe\",\n");
  printf("      \"begin\": \"\\\"\",\n      \"end\": \"\\\"|$\",\n");
  printf("      \"patterns\": [\n        { \"name\": \"constant.character.escape.imhe\", "
         "\"match\": \"\\\\\\\\[\\\\\\\\\\\"]\" }\n      ]\n    }");

  tm_begin("date");
  tm_match("constant.other.date.imhe", NB "\\d{4}-\\d{2}-\\d{2}" NA);
  tm_end();

  tm_begin("money");
  tm_match("constant.numeric.money.imhe", "\\$\\d+(?:\\.\\d+)?" NA);
  tm_end();

  tm_begin("quantity");
  snprintf(re, sizeof re, NB "(\\d+(?:\\.\\d+)?)\\s+(%s)" NA, alternation(C_UNIT));
  tm_match2(re, "constant.numeric.imhe", "keyword.other.unit.imhe");
  tm_end();

  tm_begin("number");
  tm_match("constant.numeric.imhe", NB "\\d+(?:\\.\\d+)?" NA);
  tm_end();

  /* the names a cue word introduces */
  tm_begin("names");
  tm_match2(NB "(policy|let|group)\\s+([A-Za-z_][\\w]*(?:-[\\w]+)*)", "keyword.control.imhe",
            "entity.name.type.imhe");
  tm_match2(NB "(rule)\\s+([A-Za-z_][\\w]*(?:-[\\w]+)*)", "keyword.control.imhe",
            "entity.name.function.imhe");
  snprintf(re, sizeof re, NB "(require|advise)\\s+(%s)" NA, alternation(C_AREA));
  tm_match2(re, "keyword.control.imhe", "entity.name.tag.area.imhe");
  snprintf(re, sizeof re, NB "(renewal)\\s+(%s)" NA, alternation(C_SCHEME));
  tm_match2(re, "keyword.control.imhe", "constant.language.scheme.imhe");
  tm_end();

  tm_begin("words");
  tm_words("keyword.control.imhe", C_KEYWORD);
  tm_words("keyword.operator.word.imhe", C_OPWORD);
  tm_words("support.function.measure.imhe", C_MEASURE);
  tm_words("variable.language.imhe", C_BUILTIN);
  tm_words("support.type.collection.imhe", C_SECTION);
  tm_words("constant.language.fee.imhe", C_FEE);
  tm_words("constant.language.category.imhe", C_CATEGORY);
  tm_words("support.type.group.imhe", C_GROUP);
  tm_words("constant.language.domain.imhe", C_DOMAIN);
  tm_words("constant.language.value.imhe", C_VALUE);
  tm_words("constant.language.month.imhe", C_MONTH);
  tm_end();

  tm_begin("operator");
  tm_match("keyword.operator.comparison.imhe", "[<>!]=|[<>=]");
  tm_match("keyword.operator.arithmetic.imhe", "\\+|(?<=\\s)-(?=\\s)");
  tm_match("punctuation.separator.imhe", "[:,.]");
  tm_end();
  printf("\n  }\n}\n");
}

int main(int argc, char **argv) {
  if (argc != 3 || (strcmp(argv[1], "vim") && strcmp(argv[1], "textmate"))) {
    fprintf(stderr, "usage: gen_editors vim|textmate CATALOGUE.imhe\n");
    return 2;
  }
  collect(argv[2]);
  for (enum cls c = 0; c < C__COUNT; c++)
    if (!count(c)) {
      fprintf(stderr, "gen_editors: no words of class %d\n", (int)c);
      return 1;
    }
  if (!strcmp(argv[1], "vim"))
    gen_vim();
  else
    gen_textmate();
  return ferror(stdout) ? 1 : 0;
}
