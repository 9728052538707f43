/* test.c — `imhe test`: policy tests. Each record of the test files carries an `expect:` block;
 * it is judged through the public API and its expectations checked (imhe_test_run); differences
 * are printed as text, TAP or JUnit XML with the explanation of the rules concerned. */
#include "cli/options.h"
#include "include/imhe.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const usage_test =
    "usage: imhe test [--rules DIR | --policy FILE] [--format text|tap|junit] [--verbose]\n"
    "                 [--coverage[=text|json]] PATH...\n"
    "\n"
    "Runs policy tests: every record of every PATH (a YAML file, or a directory\n"
    "searched for *.yaml and *.yml files) carries an `expect:` block (verdict,\n"
    "failed areas, rules, conditions, fees, errors; see docs/testing.md). Each\n"
    "record is judged against its association's policy and checked; a failure\n"
    "prints the record, the test's file:line, expected against actual, and the\n"
    "explanation of the rules concerned. Ends with `N passed, M failed`.\n"
    "  --rules DIR     directory of NAME.imhe policies (default: the built-in one)\n"
    "  --policy FILE   judge every record with this .imhe or .imhec file\n"
    "  --format F      text (default), tap (TAP version 13) or junit (JUnit XML)\n"
    "  --verbose       text: list passing tests too (with --coverage, every item)\n"
    "  --coverage      after the tests, per policy: each rule, `when` guard,\n"
    "                  condition and alternative, fee line, coupon and deadline, and\n"
    "                  whether the tests exercised it passing and failing\n"
    "  --coverage=json the same as one JSON object on stdout (the tests' report\n"
    "                  then goes to stderr)\n"
    "exit: 0 every test passed, 1 some failed, 2 a test file is malformed (an\n"
    "unknown key, rule or area in an expectation, a file that cannot be read),\n"
    "no test found, or a usage or policy error\n";

enum format { FMT_TEXT, FMT_TAP, FMT_JUNIT };

struct test_opts {
  struct imhe_cli_dirs d;
  int rules_given, verbose;
  enum format format;
  int coverage; /* 0 none, 1 text, 2 json (the tests' own report then goes to stderr) */
  FILE *out;    /* where the tests' report goes */
  char **paths; /* the test files, directories expanded */
  size_t npaths, cap;
};

/* One test's outcome, kept for JUnit (which groups by file) and the summary. */
struct done {
  char *file, *id, *text; /* text: the failure's explanation, NULL when it passed */
  uint32_t line;
};

struct run {
  struct done *v;
  size_t n, cap;
  unsigned long passed, failed;
  int malformed, io_failed;
  size_t notes_seen;
};

static int add_path(struct test_opts *o, const char *p) {
  if (o->npaths == o->cap) {
    size_t cap = o->cap ? o->cap * 2 : 16;
    char **v = realloc(o->paths, cap * sizeof *v);
    if (!v)
      return -1;
    o->paths = v;
    o->cap = cap;
  }
  return (o->paths[o->npaths++] = strdup(p)) ? 0 : -1;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_yaml_name(const char *n) {
  size_t l = strlen(n);
  return (l > 5 && !strcmp(n + l - 5, ".yaml")) || (l > 4 && !strcmp(n + l - 4, ".yml"));
}

/* The YAML files under dir, depth first, each directory's in name order. */
static int add_dir(struct test_opts *o, const char *dir, int depth) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "imhe test: %s: %s\n", dir, strerror(errno));
    return -1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.')
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      char **v = realloc(names, cap * sizeof *v);
      if (!v)
        break;
      names = v;
    }
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, by_name);
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    char p[PATH_MAX];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, names[i] ? names[i] : "");
    if (names[i] && stat(p, &st) == 0) {
      if (S_ISDIR(st.st_mode) && depth < 16)
        rc |= add_dir(o, p, depth + 1);
      else if (S_ISREG(st.st_mode) && is_yaml_name(names[i]))
        rc |= add_path(o, p);
    }
    free(names[i]);
  }
  free(names);
  return rc;
}

static int set_format(const char *v, enum format *f) {
  if (!strcmp(v, "text"))
    *f = FMT_TEXT;
  else if (!strcmp(v, "tap"))
    *f = FMT_TAP;
  else if (!strcmp(v, "junit"))
    *f = FMT_JUNIT;
  else {
    fprintf(stderr, "imhe test: unknown format '%s' (text, tap, junit)\n", v);
    return -1;
  }
  return 0;
}

/* Parses the options; 0, 1 after saying what is wrong, 2 for --help (printed). */
static int parse(int argc, char **argv, struct test_opts *o) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    struct stat st;
    if (imhe_cli_is_help(a)) {
      fputs(usage_test, stdout);
      return 2;
    } else if (!strcmp(a, "--rules")) {
      if (!(v = imhe_cli_option_value("test", argc, argv, &i, "a directory of policies")))
        return 1;
      o->d.rules_dir = o->d.src_dir = v;
      o->rules_given = 1;
    } else if (!strcmp(a, "--policy")) {
      if (!(v = imhe_cli_option_value("test", argc, argv, &i, "a policy file (.imhe or .imhec)")))
        return 1;
      o->d.policy_file = v;
    } else if (!strcmp(a, "--format")) {
      if (!(v = imhe_cli_option_value("test", argc, argv, &i, "a format (text, tap or junit)")) ||
          set_format(v, &o->format))
        return 1;
    } else if (!strcmp(a, "--coverage") || !strcmp(a, "--coverage=text")) {
      o->coverage = 1;
    } else if (!strcmp(a, "--coverage=json")) {
      o->coverage = 2;
    } else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
      o->verbose = 1;
    } else if (a[0] == '-') {
      fprintf(stderr, "imhe test: unknown option '%s'\n%s", a, usage_test);
      return 1;
    } else if (stat(a, &st) != 0) {
      fprintf(stderr, "imhe test: %s: cannot open: %s\n", a, strerror(errno));
      return 1;
    } else if (S_ISDIR(st.st_mode) ? add_dir(o, a, 0) : add_path(o, a))
      return 1;
  }
  if (o->rules_given && o->d.policy_file) {
    fprintf(stderr, "imhe test: --rules and --policy exclude each other\n");
    return 1;
  }
  if (!o->npaths) {
    fprintf(stderr, "imhe test: no test files given (or none in the directories given)\n%s",
            usage_test);
    return 1;
  }
  return 0;
}

static const char *mark(imhe_status s) {
  static const char *const marks[] = {"✓", "✗", "?", "!", "-", "·"};
  return (unsigned)s < sizeof marks / sizeof marks[0] ? marks[s] : "?";
}

/* A rule's explanation as the text report gives it: the rule, its source, each condition. */
static void explain_rule(FILE *f, const imhe_rule_result *r) {
  fprintf(f, "      %s %s  [%s, %s:%u]\n", mark(imhe_rule_status(r)), imhe_rule_description(r),
          imhe_rule_id(r), imhe_rule_file(r), imhe_rule_line(r));
  const char *words;
  if (imhe_rule_reason(r, &words) != IMHE_REASON__COUNT && words)
    fprintf(f, "          %s\n", words);
  for (size_t i = 0; i < imhe_rule_condition_count(r); i++) {
    const imhe_condition *c = imhe_rule_condition(r, i);
    fprintf(f, "          %s %s  [%s:%u]\n", mark(imhe_condition_status(c)),
            imhe_condition_sentence(c), imhe_rule_file(r), imhe_condition_line(c));
  }
}

/* Writes what failed in a test into f: each difference located in the test file, then why: the
 * rules the differences name, or (for the verdict or areas) every rule that failed, and the
 * record's own messages. */
static void describe(FILE *f, const imhe_result *res, const char *file) {
  int want_failed_rules = 0;
  const imhe_rule_result *shown[64];
  size_t nshown = 0;
  for (size_t i = 0; i < imhe_test_difference_count(res); i++) {
    imhe_test_difference d;
    imhe_test_difference_at(res, i, &d);
    if (d.malformed)
      fprintf(f, "  %s:%u:%u: error: %s\n", file, d.line, d.column, d.what);
    else
      fprintf(f, "  %s:%u:%u: %s: expected %s, got %s\n", file, d.line, d.column, d.what,
              d.expected, d.actual);
    want_failed_rules |= !d.malformed && !d.rule;
    int seen = 0;
    for (size_t k = 0; k < nshown; k++)
      seen |= shown[k] == d.rule;
    if (d.rule && !seen && nshown < 64)
      shown[nshown++] = d.rule;
  }
  for (size_t i = 0; want_failed_rules && i < imhe_result_rule_count(res); i++) {
    const imhe_rule_result *r = imhe_result_rule(res, i);
    int seen = 0;
    for (size_t k = 0; k < nshown; k++)
      seen |= shown[k] == r;
    imhe_status st = imhe_rule_status(r);
    if (!seen && nshown < 64 && (st == IMHE_STATUS_FAIL || st == IMHE_STATUS_PENDING))
      shown[nshown++] = r;
  }
  if (nshown)
    fprintf(f, "    why (verdict %s):\n", imhe_verdict_name(imhe_result_verdict(res)));
  for (size_t k = 0; k < nshown; k++)
    explain_rule(f, shown[k]);
  for (size_t i = 0; i < imhe_result_message_count(res); i++) {
    imhe_error e;
    int is_error;
    imhe_result_message(res, i, &is_error, &e);
    fprintf(f, "    %s:%u:%u: %s: %s\n", e.file, e.line, e.column, is_error ? "error" : "warning",
            e.message);
  }
}

static void xml(FILE *f, const char *s) {
  for (; *s; s++)
    switch (*s) {
    case '<':
      fputs("&lt;", f);
      break;
    case '>':
      fputs("&gt;", f);
      break;
    case '&':
      fputs("&amp;", f);
      break;
    case '"':
      fputs("&quot;", f);
      break;
    default:
      if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
        fputc('?', f);
      else
        fputc(*s, f);
    }
}

/* One test's outcome, printed now (text, TAP) or kept for the end (JUnit). */
static void report(const struct test_opts *o, struct run *run, const imhe_result *res,
                   const imhe_record *rec) {
  const char *id = imhe_record_id(rec) ? imhe_record_id(rec) : "(no id)";
  const char *file = imhe_record_file(rec);
  uint32_t line = imhe_test_line(res);
  int ok = imhe_test_difference_count(res) == 0;
  for (size_t i = 0; i < imhe_test_difference_count(res); i++) {
    imhe_test_difference d;
    imhe_test_difference_at(res, i, &d);
    run->malformed |= d.malformed;
  }
  ok ? run->passed++ : run->failed++;
  unsigned long n = run->passed + run->failed;
  char *text = NULL;
  size_t len = 0;
  if (!ok) {
    FILE *m = open_memstream(&text, &len);
    if (m) {
      describe(m, res, file);
      fclose(m);
    }
  }
  if (o->format == FMT_TEXT) {
    if (!ok)
      fprintf(o->out, "FAIL %s  %s:%u\n%s", id, file, line, text ? text : "");
    else if (o->verbose)
      fprintf(o->out, "ok   %s  %s:%u\n", id, file, line);
  } else if (o->format == FMT_TAP) {
    fprintf(o->out, "%s %lu - %s (%s:%u)\n", ok ? "ok" : "not ok", n, id, file, line);
    for (char *p = text, *nl; p && *p; p = nl + 1) {
      nl = strchr(p, '\n');
      fprintf(o->out, "#%.*s\n", (int)(nl ? nl - p : (ptrdiff_t)strlen(p)), p);
      if (!nl)
        break;
    }
  }
  if (o->format == FMT_JUNIT) {
    if (run->n == run->cap) {
      size_t cap = run->cap ? run->cap * 2 : 64;
      struct done *v = realloc(run->v, cap * sizeof *v);
      if (!v) {
        free(text);
        return;
      }
      run->v = v;
      run->cap = cap;
    }
    run->v[run->n++] = (struct done){strdup(file), strdup(id), text, line};
  } else
    free(text);
}

/* JUnit XML: one testsuite per test file, one testcase per record. */
static void write_junit(const struct test_opts *o, const struct run *run) {
  fprintf(o->out,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"imhe test\" "
          "tests=\"%lu\" failures=\"%lu\">\n",
          run->passed + run->failed, run->failed);
  for (size_t i = 0; i < run->n;) {
    size_t j = i, fails = 0;
    for (; j < run->n && !strcmp(run->v[j].file, run->v[i].file); j++)
      fails += run->v[j].text != NULL;
    fprintf(o->out, "  <testsuite name=\"");
    xml(o->out, run->v[i].file);
    fprintf(o->out, "\" tests=\"%zu\" failures=\"%zu\">\n", j - i, fails);
    for (; i < j; i++) {
      const struct done *d = &run->v[i];
      fprintf(o->out, "    <testcase name=\"");
      xml(o->out, d->id);
      fprintf(o->out, "\" classname=\"");
      xml(o->out, d->file);
      fprintf(o->out, "\" file=\"");
      xml(o->out, d->file);
      fprintf(o->out, "\" line=\"%u\"", d->line);
      if (!d->text) {
        fprintf(o->out, "/>\n");
        continue;
      }
      const char *nl = strchr(d->text, '\n');
      char first[512];
      snprintf(first, sizeof first, "%.*s", (int)(nl ? nl - d->text - 2 : 500), d->text + 2);
      fprintf(o->out, ">\n      <failure message=\"");
      xml(o->out, first);
      fprintf(o->out, "\">");
      xml(o->out, d->text);
      fprintf(o->out, "</failure>\n    </testcase>\n");
    }
    fprintf(o->out, "  </testsuite>\n");
  }
  fprintf(o->out, "</testsuites>\n");
}

/* Notices about the files themselves (an empty file, a document refused) go to stderr. */
static void print_notices(const imhe_source *src, struct run *run) {
  imhe_error e;
  int severity;
  for (; imhe_source_message(src, run->notes_seen, &severity, &e); run->notes_seen++) {
    fprintf(stderr, "%s:%u:%u: %s: %s\n", e.file, e.line, e.column, severity ? "error" : "warning",
            e.message);
    if (severity)
      run->io_failed = 1;
  }
}

static void run_tests(const imhe_policy_set *set, const struct test_opts *o, struct run *run,
                      imhe_coverage *cov) {
  imhe_source *src;
  imhe_error e;
  if (imhe_source_open_tests(set, (const char *const *)o->paths, o->npaths, &src, &e) != IMHE_OK) {
    fprintf(stderr, "imhe test: %s\n", e.message);
    run->io_failed = 1;
    return;
  }
  if (o->format == FMT_TAP)
    fprintf(o->out, "TAP version 13\n");
  for (;;) {
    imhe_record *rec;
    imhe_code rc = imhe_source_next(src, &rec, &e);
    print_notices(src, run);
    if (rc == IMHE_END)
      break;
    if (rc != IMHE_OK) {
      fprintf(stderr, "imhe test: %s\n", e.message);
      run->io_failed = 1;
      continue;
    }
    imhe_result *res;
    if (imhe_judge(set, rec, NULL, &res, &e) == IMHE_OK) {
      if (imhe_test_run(res, &e) == IMHE_OK)
        report(o, run, res, rec);
      imhe_coverage_add(cov, res);
      imhe_result_free(res);
    } else {
      fprintf(stderr, "imhe test: %s\n", e.message);
      run->io_failed = 1;
    }
    imhe_record_free(rec);
  }
  imhe_source_close(src);
}

/* Per policy: how many items were exercised both ways, and (all with --verbose) those that were
 * not, each with what it lacks. */
static void coverage_text(const imhe_coverage *cov, int verbose) {
  size_t n = imhe_coverage_count(cov);
  if (!n)
    printf("coverage: the policies hold no rule, fee, coupon or deadline to exercise\n");
  for (size_t i = 0; i < n;) {
    imhe_coverage_item it;
    imhe_coverage_at(cov, i, &it);
    const char *policy = it.policy;
    size_t both = 0, total = 0, first = i;
    for (; i < n && imhe_coverage_at(cov, i, &it) && !strcmp(it.policy, policy); i++, total++)
      both += it.passed && it.failed;
    printf("coverage of %s: %zu of %zu exercised passing and failing (%.1f%%)\n", policy, both,
           total, total ? 100.0 * (double)both / (double)total : 100.0);
    for (size_t k = first; k < i; k++) {
      imhe_coverage_at(cov, k, &it);
      if (it.passed && it.failed && !verbose)
        continue;
      printf("  %-9s %-50.50s  passed %lu, failed %lu%s  [%s:%u]\n", it.kind, it.name, it.passed,
             it.failed,
             it.passed && it.failed ? ""
             : it.passed            ? "  (never failing)"
             : it.failed            ? "  (never passing)"
                                    : "  (never exercised)",
             it.file, it.line);
    }
  }
}

static void json_str(const char *s) {
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

/* One JSON object: {"policies": [{"policy", "items": [{kind, name, file, line, passed, failed}],
 * "total", "both_ways"}]}. */
static void coverage_json(const imhe_coverage *cov) {
  size_t n = imhe_coverage_count(cov);
  printf("{\"policies\":[");
  for (size_t i = 0; i < n;) {
    imhe_coverage_item it;
    imhe_coverage_at(cov, i, &it);
    const char *policy = it.policy;
    size_t both = 0, total = 0;
    printf("%s{\"policy\":", i ? "," : "");
    json_str(policy);
    printf(",\"items\":[");
    for (; i < n && imhe_coverage_at(cov, i, &it) && !strcmp(it.policy, policy); i++, total++) {
      both += it.passed && it.failed;
      printf("%s{\"kind\":\"%s\",\"name\":", total ? "," : "", it.kind);
      json_str(it.name);
      printf(",\"file\":");
      json_str(it.file);
      printf(",\"line\":%u,\"passed\":%lu,\"failed\":%lu}", it.line, it.passed, it.failed);
    }
    printf("],\"total\":%zu,\"both_ways\":%zu}", total, both);
  }
  printf("]}\n");
}

int imhe_cli_test(int argc, char **argv) {
  struct test_opts o = {.format = FMT_TEXT};
  char bin[PATH_MAX], src[PATH_MAX];
  imhe_cli_default_dirs(&o.d, bin, src, sizeof bin);
  int bad = parse(argc, argv, &o);
  imhe_policy_set *set = bad ? NULL : imhe_cli_open_policies("test", &o.d, 1);
  struct run run = {0};
  o.out = o.coverage == 2 ? stderr : stdout;
  imhe_coverage *cov = NULL;
  if (set && o.coverage && imhe_coverage_open(set, &cov, NULL) != IMHE_OK) {
    fprintf(stderr, "imhe test: out of memory\n"); /* GCOVR_EXCL_LINE: out of memory */
    imhe_policy_set_close(set);                    /* GCOVR_EXCL_LINE: out of memory */
    set = NULL;                                    /* GCOVR_EXCL_LINE: out of memory */
  }
  if (set) {
    run_tests(set, &o, &run, cov);
    unsigned long n = run.passed + run.failed;
    if (o.format == FMT_JUNIT)
      write_junit(&o, &run);
    else if (o.format == FMT_TAP)
      fprintf(o.out, "1..%lu\n# %lu passed, %lu failed\n", n, run.passed, run.failed);
    else
      fprintf(o.out, "%lu passed, %lu failed\n", run.passed, run.failed);
    if (cov)
      o.coverage == 2 ? coverage_json(cov) : coverage_text(cov, o.verbose);
    imhe_coverage_close(cov);
    imhe_policy_set_close(set);
    if (!n)
      fprintf(stderr, "imhe test: no test record found in %zu file%s\n", o.npaths,
              o.npaths == 1 ? "" : "s");
    bad = run.malformed || run.io_failed || !n ? 2 : run.failed ? 1 : 0;
  } else
    bad = bad == 2 ? 0 : 2;
  for (size_t i = 0; i < run.n; i++) {
    free(run.v[i].file);
    free(run.v[i].id);
    free(run.v[i].text);
  }
  free(run.v);
  for (size_t i = 0; i < o.npaths; i++)
    free(o.paths[i]);
  free(o.paths);
  return bad;
}
