/* test_hostile.c — hostile and empty record files: each refused with its limit's name and its
 * file:line:col, after reading a bounded number of bytes past the one that broke the limit (work,
 * not wall-clock), in bounded memory; a batch goes on past them; empty input is never silent. */
#include "helpers.h"
#include "runtime/records/stream.h"
#include "runtime/records/yinput.h"
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* How far past the breaking byte reading may go: libyaml's look-ahead (a simple key spans at most
 * 1024 characters) plus the 4 KiB bites it is fed, with room to spare. */
#define SLACK (8 * 1024)

/* A growable text to build inputs in. */
struct text {
  char *v;
  size_t n, cap;
};
static void add(struct text *t, const char *s, size_t n) {
  if (t->n + n + 1 > t->cap) {
    t->cap = (t->n + n + 1) * 2;
    t->v = realloc(t->v, t->cap);
  }
  memcpy(t->v + t->n, s, n);
  t->n += n;
  t->v[t->n] = 0;
}
static void adds(struct text *t, const char *s) {
  add(t, s, strlen(s));
}
static void repeat(struct text *t, const char *s, size_t times) {
  for (size_t i = 0; i < times; i++)
    adds(t, s);
}

static char *dir;
static void setup(void) {
  dir = temp_dir();
}
static void teardown(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
}

static const char *save(const char *name, const struct text *t) {
  static char path[400];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  cr_assert_eq(write_all(path, t->v, t->n), 0);
  return path;
}

/* What loading a file gave: its records' first errors and the bytes read at each refusal. */
struct outcome {
  int records, notices;
  char first[8][300]; /* "line:col: message" of each record's first error, or "ok" */
  uint64_t read_at[8];
  char notice[8][300];
};

static void collect(void *ctx, int severity, const struct imhe_msg *m) {
  struct outcome *o = ctx;
  if (o->notices < 8)
    snprintf(o->notice[o->notices], sizeof o->notice[0], "%u:%u: %s: %s", m->line, m->col,
             severity ? "error" : "warning", m->text);
  o->notices++;
}

static struct outcome load(const char *path, const struct imhe_read_limits *lim) {
  struct outcome o;
  memset(&o, 0, sizeof o);
  char err[300];
  struct imhe_loader *l = imhe_loader_open(path, lim, err, sizeof err);
  cr_assert(l, "%s", err);
  imhe_loader_on_notice(l, collect, &o);
  struct imhe_record r;
  while (imhe_loader_read(l, &r) == 1) {
    if (o.records < 8) {
      o.read_at[o.records] = imhe_loader_bytes_read(l); /* before the rest is skipped */
      imhe_record_type(&r);
      if (r.errors.n)
        snprintf(o.first[o.records], sizeof o.first[0], "%u:%u: %s", r.errors.v[0].line,
                 r.errors.v[0].col, r.errors.v[0].text);
      else
        snprintf(o.first[o.records], sizeof o.first[0], "ok");
    }
    o.records++;
    imhe_record_clear(&r);
  }
  imhe_loader_close(l);
  return o;
}

/* The refusal of record i reads `want` and came at most SLACK bytes after `at`. */
static void expect_refused(const struct outcome *o, int i, const char *want, size_t at) {
  cr_expect(strstr(o->first[i], want) == o->first[i], "record %d: got '%s', expected '%s'", i + 1,
            o->first[i], want);
  cr_expect(o->read_at[i] <= at + SLACK,
            "record %d: refused after reading %llu bytes, %llu past the breaking byte", i + 1,
            (unsigned long long)o->read_at[i], (unsigned long long)(o->read_at[i] - at));
}

static const char *valid_record =
    "id: OK\nassociation: WI\ncategory: IFA\napplicant: {name: A}\nsubmitted: 2026-01-01\n";

TestSuite(hostile, .init = setup, .fini = teardown);

/* The 64th nested flow mapping under the record is the 65th level. Each input is followed by a
 * valid record, which is still read: the batch goes on. */
Test(hostile, deep_flow_nesting_is_refused_at_the_breaking_brace) {
  static const struct {
    const char *open, *close, *name;
    size_t step;
  } kinds[] = {
      {"{a: ", "}", "mappings", 4}, {"[", "]", "sequences", 1}, {"[{a: ", "}]", "mixed", 5}};
  for (size_t k = 0; k < 3; k++) {
    for (size_t depth = 10000; depth <= 50000; depth += 40000) {
      struct text t = {0};
      adds(&t, "id: X\nx: ");
      size_t start = t.n;
      repeat(&t, kinds[k].open, depth);
      adds(&t, "1");
      repeat(&t, kinds[k].close, depth);
      adds(&t, "\n---\n");
      adds(&t, valid_record);
      struct outcome o = load(save("deep.yaml", &t), NULL);
      /* the breaking level: for "[{a: " each step opens two levels */
      size_t level = k == 2 ? 31 : 63, col = 4 + kinds[k].step * level + (k == 2 ? 1 : 0);
      char want[100];
      snprintf(want, sizeof want, "2:%zu: nesting deeper than 64 levels (limit)", col);
      cr_expect_eq(o.records, 2, "%s %zu: %d records", kinds[k].name, depth, o.records);
      expect_refused(&o, 0, want, start + kinds[k].step * level);
      cr_expect_str_eq(o.first[1], "ok", "%s: the record after it: %s", kinds[k].name, o.first[1]);
      free(t.v);
    }
  }
}

Test(hostile, deep_block_nesting_is_refused_at_the_breaking_dash) {
  struct text t = {0};
  adds(&t, "id: X\nx:\n  ");
  size_t start = t.n;
  repeat(&t, "- ", 50000);
  adds(&t, "1\n---\n");
  adds(&t, valid_record);
  struct outcome o = load(save("block.yaml", &t), NULL);
  cr_expect_eq(o.records, 2);
  expect_refused(&o, 0, "3:129: nesting deeper than 64 levels (limit)", start + 2 * 63);
  cr_expect_str_eq(o.first[1], "ok");
  free(t.v);
}

/* Nesting inside quoted and block scalars and comments is text, not structure. */
Test(hostile, brackets_inside_scalars_and_comments_do_not_count) {
  struct text t = {0};
  adds(&t, valid_record);
  adds(&t, "# ");
  repeat(&t, "{[", 5000);
  adds(&t, "\nnotes: \"");
  repeat(&t, "{a: [", 5000);
  adds(&t, "\"\nmore: '");
  repeat(&t, "{{[[", 5000);
  adds(&t, "'\nblock: |\n  ");
  repeat(&t, "{{[[", 5000);
  adds(&t, "\n");
  struct outcome o = load(save("quoted.yaml", &t), NULL);
  cr_expect_eq(o.records, 1);
  cr_expect_str_eq(o.first[0], "ok");
  free(t.v);
}

Test(hostile, huge_scalar_is_refused_at_its_start) {
  struct text t = {0};
  adds(&t, "id: X\nnotes: ");
  size_t start = t.n;
  repeat(&t, "a", 100000);
  adds(&t, "\n---\n");
  adds(&t, valid_record);
  struct outcome o = load(save("scalar.yaml", &t), NULL);
  cr_expect_eq(o.records, 2);
  /* libyaml hands over a scalar whole: the refusal comes at its end, not past it */
  expect_refused(&o, 0, "2:8: scalar of 100000 bytes exceeds the limit of 65536 bytes",
                 start + 100000);
  cr_expect_str_eq(o.first[1], "ok");
  free(t.v);
}

Test(hostile, too_many_entries_on_one_long_line) {
  struct text t = {0};
  adds(&t, "id: X\nx: [");
  size_t start = t.n;
  repeat(&t, "1, ", 30000);
  adds(&t, "1]\ny: {");
  repeat(&t, "k: 1, ", 30000);
  adds(&t, "k: 1}\n");
  struct outcome o = load(save("wide.yaml", &t), NULL);
  cr_expect_eq(o.records, 1);
  expect_refused(&o, 0, "2:30005: more than 10000 entries in one list or mapping (limit)",
                 start + 3 * 10000);
  free(t.v);
}

Test(hostile, too_many_nodes) {
  struct text t = {0};
  adds(&t, "id: X\n");
  for (int i = 0; i < 30; i++) {
    char key[32];
    snprintf(key, sizeof key, "k%d: [", i);
    adds(&t, key);
    repeat(&t, "1,", 9000);
    adds(&t, "1]\n");
  }
  struct outcome o = load(save("nodes.yaml", &t), NULL);
  cr_expect_eq(o.records, 1);
  /* 200000 nodes: the root, 1 key, then 23 keys and lists of 9001 numbers */
  cr_expect(strstr(o.first[0], "more than 200000 nodes in one document (limit)"), "%s", o.first[0]);
  free(t.v);
}

/* The document limit is met at the exact byte; the rest of the file is not read (an endless
 * input must not be read forever), and the message says so. */
Test(hostile, huge_document_is_refused_at_the_limit) {
  struct text t = {0};
  adds(&t, "id: X\nnotes: |\n");
  while (t.n < 4300000)
    adds(&t, "  the quick brown fox jumps over the lazy dog, the quick brown fox\n");
  adds(&t, "---\n");
  adds(&t, valid_record);
  struct outcome o = load(save("huge.yaml", &t), NULL);
  cr_expect_eq(o.records, 1, "nothing after the refused document is read");
  /* byte 4194304 (0-based) is the first past the limit: line and column of it */
  size_t line = 1, col = 1;
  for (size_t i = 0; i < 4194304; i++) {
    col++;
    if (t.v[i] == '\n') {
      line++;
      col = 1;
    }
  }
  char want[200];
  snprintf(want, sizeof want,
           "%zu:%zu: document larger than 4194304 bytes (limit): the rest of the file is not read",
           line, col);
  cr_expect_str_eq(o.first[0], want);
  cr_expect_eq(o.read_at[0], 4194304);
  /* the same with a small limit, and comments count: an endless comment is refused too */
  struct imhe_read_limits lim = imhe_default_limits;
  lim.max_document = 1000;
  struct text c = {0};
  repeat(&c, "# a comment line of forty bytes, or so\n", 100);
  o = load(save("comments.yaml", &c), &lim);
  cr_expect_eq(o.records, 1);
  cr_expect(strstr(o.first[0], "26:26: document larger than 1000 bytes (limit)"), "%s", o.first[0]);
  free(t.v);
  free(c.v);
}

/* %TAG directives are matched against each other quadratically by libyaml. */
Test(hostile, too_many_directives) {
  struct text t = {0};
  for (int i = 0; i < 20000; i++) {
    char line[64];
    snprintf(line, sizeof line, "%%TAG !t%d! tag:example.org,2026:%d\n", i, i);
    adds(&t, line);
  }
  adds(&t, "---\n");
  adds(&t, valid_record);
  struct outcome o = load(save("tags.yaml", &t), NULL);
  cr_expect_eq(o.records, 1);
  cr_expect_str_eq(o.first[0], "17:1: more than 16 directives before one document (limit)");
  free(t.v);
}

/* After a syntax error or an unreadable byte the next document is still read. */
Test(hostile, a_batch_goes_on_past_syntax_and_encoding_errors) {
  struct text t = {0};
  adds(&t, "id: A\nassociation: [WI\n---\nid: B\nnotes: \"bad \xff byte\"\n---\n");
  adds(&t, valid_record);
  struct outcome o = load(save("broken.yaml", &t), NULL);
  cr_expect_eq(o.records, 3);
  cr_expect(strstr(o.first[0], "3:1: YAML syntax error"), "%s", o.first[0]);
  cr_expect(strstr(o.first[1], "5:13: unreadable YAML at byte 45: invalid UTF-8 (byte 0xFF)"), "%s",
            o.first[1]);
  cr_expect_str_eq(o.first[2], "ok");
  free(t.v);
}

Test(hostile, utf16_files_are_read_like_utf8) {
  const char *rec = valid_record;
  struct text le = {0}, be = {0};
  add(&le, "\xff\xfe", 2);
  add(&be, "\xfe\xff", 2);
  for (const char *p = rec; *p; p++) {
    char a[2] = {*p, 0}, b[2] = {0, *p};
    add(&le, a, 2);
    add(&be, b, 2);
  }
  struct outcome o = load(save("le.yaml", &le), NULL);
  cr_expect_eq(o.records, 1);
  cr_expect_str_eq(o.first[0], "ok");
  o = load(save("be.yaml", &be), NULL);
  cr_expect_str_eq(o.first[0], "ok");
  add(&le, "-\0-\0-\0\n\0i\0d\0:\0 \0\x00\xd8\n\0", 20); /* a lone high surrogate */
  add(&le, "-\0-\0-\0\n\0", 8);
  o = load(save("bad16.yaml", &le), NULL);
  cr_expect_eq(o.records, 2, "the broken unit ends the file");
  cr_expect_str_eq(o.first[0], "ok");
  cr_expect_str_eq(o.first[1], "7:5: unreadable YAML at byte 178: an unpaired UTF-16 surrogate "
                               "(the rest of the file is not read)");
  free(le.v);
  free(be.v);
}

/* NEL, LS and PS break lines for libyaml, so they do for the document splitter too: after a
 * `---` or `...` marker and on a blank line between documents. */
Test(hostile, unicode_line_breaks_end_markers_and_blank_lines) {
  static const char *const breaks[] = {"\xc2\x85", "\xe2\x80\xa8", "\xe2\x80\xa9"};
  for (size_t i = 0; i < 3; i++) {
    struct text t = {0};
    adds(&t, "---");
    adds(&t, breaks[i]);
    adds(&t, valid_record);
    adds(&t, "...");
    adds(&t, breaks[i]);
    adds(&t, "  ");
    adds(&t, breaks[i]);
    adds(&t, "# between\n---");
    adds(&t, breaks[i]);
    adds(&t, valid_record);
    struct outcome o = load(save("breaks.yaml", &t), NULL);
    cr_expect_eq(o.records, 2, "break %zu: %d records", i, o.records);
    cr_expect_str_eq(o.first[0], "ok", "break %zu", i);
    cr_expect_str_eq(o.first[1], "ok", "break %zu", i);
    cr_expect_eq(o.notices, 0, "break %zu: %s", i, o.notice[0]);
    free(t.v);
  }
}

/* A UTF-8 sequence libyaml would refuse is refused at its byte, saying what is wrong with it. */
Test(hostile, unreadable_utf8_sequences_are_named) {
  static const struct {
    const char *bytes, *want;
  } cases[] = {
      {"\xed\xa0\x80", "character U+D800 is not allowed"},
      {"\xef\xbf\xbe", "character U+FFFE is not allowed"},
      {"\xf4\x90\x80\x80", "character U+110000 is not allowed"},
      {"\xe0\x80\xaf", "invalid UTF-8 (an overlong form of U+002F)"},
      {"\xf0\x80\x80\xaf", "invalid UTF-8 (an overlong form of U+002F)"},
      {"\xe2\x82", "invalid UTF-8 (a truncated character)"},
      {"\xe2\x82z", "invalid UTF-8 (a lead byte without its continuation bytes)"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct text t = {0};
    adds(&t, "id: A\nnotes: \"x");
    adds(&t, cases[i].bytes);
    struct outcome o = load(save("utf8.yaml", &t), NULL);
    char want[200];
    snprintf(want, sizeof want, "2:10: unreadable YAML at byte 15: %s", cases[i].want);
    cr_expect_eq(o.records, 1);
    cr_expect_str_eq(o.first[0], want, "case %zu", i);
    free(t.v);
  }
}

/* Each way a UTF-16 unit can be unreadable is refused at its byte, and ends the file: a lone low
 * surrogate, a high one without its low half, a control character, an odd last byte. */
Test(hostile, broken_utf16_units_are_refused_where_they_are) {
  static const struct {
    const char *units; /* little-endian, after "---\nid: " */
    size_t n;
    const char *want;
  } cases[] = {
      {"\x00\xdc\n\0", 4, "an unpaired UTF-16 surrogate"},
      {"\x00\xd8\x41\x00\n\0", 6, "an unpaired UTF-16 surrogate"},
      {"\x01\x00\n\0", 4, "control character U+0001 is not allowed"},
      {"B", 1, "a UTF-16 file with an odd number of bytes"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct text t = {0};
    add(&t, "\xff\xfe", 2);
    for (const char *p = "id: A\n---\nid: "; *p; p++)
      add(&t, (char[2]){*p, 0}, 2);
    add(&t, cases[i].units, cases[i].n);
    struct outcome o = load(save("broken16.yaml", &t), NULL);
    char want[300];
    snprintf(want, sizeof want,
             "3:5: unreadable YAML at byte 30: %s (the rest of the file is not read)",
             cases[i].want);
    cr_expect_eq(o.records, 2, "case %zu", i);
    cr_expect_str_eq(o.first[1], want, "case %zu", i);
    free(t.v);
  }
}

/* Empty input is never silent: each empty document and each file without records is a located
 * warning. */
Test(hostile, empty_inputs_are_located_warnings) {
  static const struct {
    const char *text, *notices;
  } cases[] = {
      {"", "1:1: warning: no records in file"},
      {"# only a comment\n\n   # and another\n", "1:1: warning: no records in file"},
      {"\xEF\xBB\xBF", "1:1: warning: no records in file"},
      {"   \n\t\n", "1:1: warning: no records in file"},
      {"...\n...\n", "1:1: warning: no records in file"},
      {"---\n", "1:1: warning: empty document: nothing to judge|1:1: warning: no records in file"},
      {"# c\n--- ~\n", "2:1: warning: empty document: nothing to judge|1:1: warning: no records "
                       "in file"},
      {"---\n---\nnull\n", "1:1: warning: empty document: nothing to judge|2:1: warning: empty "
                           "document: nothing to judge|1:1: warning: no records in file"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct text t = {0};
    add(&t, cases[i].text, strlen(cases[i].text));
    if (!t.v)
      add(&t, "", 0);
    struct outcome o = load(save("empty.yaml", &t), NULL);
    cr_expect_eq(o.records, 0, "case %zu", i);
    char got[1000] = "";
    for (int k = 0; k < o.notices && k < 8; k++)
      snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? "|" : "", o.notice[k]);
    cr_expect_str_eq(got, cases[i].notices, "case %zu", i);
    free(t.v);
  }
  /* a record after an empty document: only the document is warned about */
  struct text t = {0};
  adds(&t, "---\n---\n");
  adds(&t, valid_record);
  struct outcome o = load(save("some.yaml", &t), NULL);
  cr_expect_eq(o.records, 1);
  cr_expect_eq(o.notices, 1);
  cr_expect_str_eq(o.notice[0], "1:1: warning: empty document: nothing to judge");
  free(t.v);
}

/* Peak RSS of a command run by the shell, in KiB, and its exit status. */
static long peak_kib(const char *cmd, int *status) {
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open("/dev/null", O_WRONLY);
    dup2(fd, 1);
    dup2(fd, 2);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  int st;
  struct rusage ru;
  wait4(pid, &st, 0, &ru);
  *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
  return ru.ru_maxrss;
}

/* The whole command line, refusing each hostile file, stays under 64 MiB (with the sanitizers'
 * shadow memory and quarantine, under 4 times that). */
Test(hostile, refusals_stay_in_bounded_memory) {
  struct text t = {0};
  adds(&t, "id: X\nx: ");
  repeat(&t, "{a: ", 50000);
  adds(&t, "\n---\nid: Y\nnotes: ");
  repeat(&t, "b", 3000000);
  adds(&t, "\n---\nid: Z\nnotes: |\n");
  while (t.n < 12000000)
    adds(&t, "  the quick brown fox jumps over the lazy dog, the quick brown fox\n");
  const char *path = save("all.yaml", &t);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "exec %s check --as-of 2026-01-01 %s", imhe_bin(), path);
  int status;
  long kib = peak_kib(cmd, &status);
  int sanitized = strstr(imhe_bin(), "sanitize") != NULL;
  cr_expect_eq(status, 2);
  cr_expect_lt(kib, (sanitized ? 4 : 1) * 64 * 1024, "peak RSS %ld KiB", kib);
  free(t.v);
}

/* A FIFO is read as a stream once a program writes to it; one nobody writes to is refused after
 * the wait instead of hanging the run. */
Test(hostile, fifo_with_and_without_a_writer) {
  char fifo[400], cmd[1200];
  snprintf(fifo, sizeof fifo, "%s/records.fifo", dir);
  cr_assert_eq(mkfifo(fifo, 0600), 0);
  struct imhe_read_limits lim = imhe_default_limits;
  lim.fifo_wait_ms = 200;
  char err[300];
  cr_expect_null(imhe_loader_open(fifo, &lim, err, sizeof err));
  cr_expect(strstr(err, "records.fifo: a FIFO that no program wrote to within 0.2 s"), "%s", err);
  /* with a writer, through the command line */
  snprintf(cmd, sizeof cmd,
           "(printf '%s' > %s &) ; NO_COLOR=1 %s check --format json %s; echo rc=$?", valid_record,
           fifo, imhe_bin(), fifo);
  char *out;
  run_cmd(cmd, &out);
  cr_expect(strstr(out, "{\"id\":\"OK\"") && strstr(out, "records.fifo:1\"}") && strstr(out, "rc="),
            "%s", out);
  free(out);
}

/* The byte layer hands libyaml exactly each document's bytes — split at `---`, after `...`,
 * before the directives of the next document, comments before a document left out — whatever
 * size libyaml asks for, even characters split across requests. */
Test(hostile, documents_are_cut_at_their_markers_whatever_the_request_size) {
  const char *text = "# lead\n\nid: \xc3\xa9t\xc3\xa9\n--- # x\n\xe2\x80\xa8k: \xf0\x9f\x98\x80\n"
                     "...\n# between\n%YAML 1.1\n---\nlast: 1\r\n";
  const char *want[] = {"id: \xc3\xa9t\xc3\xa9\n",
                        "--- # x\n\xe2\x80\xa8k: \xf0\x9f\x98\x80\n...\n",
                        "%YAML 1.1\n---\nlast: 1\r\n"};
  const uint32_t lines[] = {3, 4, 9};
  struct text t = {0};
  adds(&t, text);
  const char *path = save("cut.yaml", &t);
  for (size_t bite = 1; bite <= 7; bite += 2) {
    struct imhe_yinput *in = malloc(sizeof *in);
    char err[300];
    cr_assert_eq(imhe_yinput_open(in, path, 1 << 20, 16, 0, err, sizeof err), 0, "%s", err);
    int docs = 0;
    while (imhe_yinput_next(in)) {
      char got[200];
      size_t n = 0, k;
      unsigned char b[8];
      while (imhe_yinput_read(in, b, bite, &k) && k) {
        cr_assert_lt(n + k, sizeof got);
        memcpy(got + n, b, k);
        n += k;
      }
      got[n] = 0;
      cr_assert_lt(docs, 3);
      cr_expect_str_eq(got, want[docs], "bite %zu, document %d", bite, docs + 1);
      cr_expect_eq(in->doc_line, lines[docs], "bite %zu, document %d", bite, docs + 1);
      docs++;
    }
    cr_expect_eq(docs, 3);
    imhe_yinput_close(in);
    free(in);
  }
  free(t.v);
}
