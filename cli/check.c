/* check.c — `imhe check` and `imhe report`: every record of the files judged against its
 * association's policy through the public API, reported in the chosen format (report: the
 * deficiency report's text, Markdown or HTML), written atomically with -o. */
#include "cli/options.h"
#include "include/imhe.h"
#include "runtime/core/atomic.h"
#include "runtime/core/dates.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The verb running ("check" or "report"), for messages: the command line runs one verb a process.
 */
static const char *verb = "check";

static const char *const usage_check =
    "usage: imhe check [--as-of YYYY-MM-DD] [--format text|json|csv] [--rules DIR | --policy "
    "FILE]\n"
    "                  [--no-checksum] [-j N] [-o OUT] FILE... | -\n"
    "\n"
    "Judges every record of every FILE (YAML, several documents per file; - reads\n"
    "standard input) and explains each requirement: rule, source line, observed,\n"
    "required and shortfall. The policy of each record is chosen by its\n"
    "association from the rules directory (default: the built-in one).\n"
    "An empty file or document is a warning on stderr (file:line:col); a run that\n"
    "judges no record at all exits 2. A document over a limit (depth 64, scalar\n"
    "64 KiB, document 4 MiB, 10000 entries, 200000 nodes, 16 directives) is\n"
    "refused where the limit breaks and reading goes on at the next document (past\n"
    "4 MiB, the rest of the file is not read). A FIFO is read as a stream once a\n"
    "program writes to it (refused after 10 s without a writer).\n"
    "  --as-of DATE    judge every record as of DATE (default: its submitted date)\n"
    "  --format F      text (default, for people), json (JSON Lines) or csv (one\n"
    "                  row per record for spreadsheets, RFC 4180)\n"
    "  --rules DIR     directory of NAME.imhe policies (and cached NAME.imhec)\n"
    "  --policy FILE   judge every record with this .imhe or .imhec file\n"
    "  --no-checksum   accept compiled policies whose checksum does not match\n"
    "  -j N            parse, judge and render on N threads (default: one a core);\n"
    "                  the output is the same for every N\n"
    "  -o OUT          write the report to OUT atomically instead of stdout; not\n"
    "                  written if a record file cannot be read\n"
    "exit: 0 all eligible (or pending exam), 1 some not eligible, 2 some record\n"
    "invalid, no record judged, or a usage, I/O or policy error\n";

/* Every input must be there before anything is read or written: the policy options name what
 * exists, and each record file exists and is not a directory. */
static int check_inputs(const struct imhe_cli_dirs *c, const char *rules, const char *const *files,
                        int nfiles) {
  struct stat st;
  if (rules && c->policy_file) {
    fprintf(stderr, "imhe %s: --rules and --policy exclude each other\n", verb);
    return 1;
  }
  if (rules && (stat(rules, &st) != 0 || !S_ISDIR(st.st_mode))) {
    fprintf(stderr, "imhe %s: --rules %s: %s\n", verb, rules,
            stat(rules, &st) != 0 ? strerror(errno) : "not a directory");
    return 1;
  }
  if (c->policy_file && (stat(c->policy_file, &st) != 0 || !S_ISREG(st.st_mode))) {
    fprintf(stderr, "imhe %s: --policy %s: %s\n", verb, c->policy_file,
            stat(c->policy_file, &st) != 0 ? strerror(errno) : "not a regular file");
    return 1;
  }
  int stdin_seen = 0, stream = 0;
  for (int i = 0; i < nfiles; i++) {
    if (!strcmp(files[i], "-")) {
      if (stdin_seen++) {
        fprintf(stderr, "imhe %s: standard input (-) given twice\n", verb);
        return 1;
      }
      stream |= fstat(STDIN_FILENO, &st) != 0 || !S_ISREG(st.st_mode);
      continue;
    }
    if (stat(files[i], &st) != 0) {
      fprintf(stderr, "imhe %s: %s: cannot open: %s\n", verb, files[i], strerror(errno));
      return 1;
    }
    if (S_ISDIR(st.st_mode)) {
      fprintf(stderr, "imhe %s: %s: is a directory, not a file of records\n", verb, files[i]);
      return 1;
    }
    stream |= !S_ISREG(st.st_mode);
  }
  /* Records arriving through a pipe or a FIFO may come slowly, and whoever reads the report is
   * waiting for each one: standard output then goes out a line at a time rather than in the
   * large blocks main.c gives a file or a pipe (nothing has been written to it yet). */
  if (stream && !isatty(STDOUT_FILENO))
    setvbuf(stdout, NULL, _IOLBF, 0);
  return 0;
}

struct check_opts {
  imhe_judge_options judge;
  const char *format, *out;
  int check_sum;
  struct imhe_cli_dirs d;
  const char *rules_opt;
  const char **files;
  int nfiles;
  int verbose;
  const char *usage;
  const struct imhe_cli_writer *w; /* a verb writing each record itself (recommend), else NULL */
  FILE *f;                         /* where it writes */
  unsigned jobs;                   /* -j: threads judging (0: one a core) */
};

/* -j N: a whole number of threads from 1 to 256. */
static int parse_jobs(const char *v, unsigned *jobs) {
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (errno || end == v || *end || n < 1 || n > 256) {
    fprintf(stderr, "imhe %s: -j needs a number of threads from 1 to 256, not '%s'\n", verb, v);
    return 1;
  }
  *jobs = (unsigned)n;
  return 0;
}

/* Parses the options into o; 0, or 1 after saying what is wrong (2 for --help, printed). */
static int parse(int argc, char **argv, struct check_opts *o) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    if (imhe_cli_is_help(a)) {
      fputs(o->usage, stdout);
      return 2;
    } else if (!strcmp(a, "--as-of")) {
      int32_t d;
      if (!(v = imhe_cli_option_value(verb, argc, argv, &i, "a date as YYYY-MM-DD")))
        return 1;
      if (imhe_parse_date(v, strlen(v), &d) != 0) {
        fprintf(stderr, "imhe %s: --as-of needs a real date as YYYY-MM-DD, not '%s'\n", verb, v);
        return 1;
      }
      imhe_civil_from_days(d, &o->judge.as_of.year, &o->judge.as_of.month, &o->judge.as_of.day);
    } else if (!strcmp(a, "--format")) {
      if (!(v = imhe_cli_option_value(verb, argc, argv, &i,
                                      !strcmp(verb, "report")
                                          ? "a report format (text, markdown or html)"
                                          : "a report format (text, json or csv)")))
        return 1;
      o->format = v;
    } else if (!strcmp(a, "--rules")) {
      if (!(v = imhe_cli_option_value(verb, argc, argv, &i, "a directory of policies")))
        return 1;
      o->rules_opt = o->d.rules_dir = o->d.src_dir = v;
    } else if (!strcmp(a, "--policy")) {
      if (!(v = imhe_cli_option_value(verb, argc, argv, &i, "a policy file (.imhe or .imhec)")))
        return 1;
      o->d.policy_file = v;
    } else if (!strcmp(a, "--verbose") && !strcmp(verb, "report")) {
      o->verbose = 1;
    } else if (!strcmp(a, "--no-checksum")) {
      o->check_sum = 0;
    } else if (!o->w && (!strcmp(a, "-j") || !strcmp(a, "--jobs"))) {
      if (!(v = imhe_cli_option_value(verb, argc, argv, &i, "a number of threads")) ||
          parse_jobs(v, &o->jobs))
        return 1;
    } else if (!o->w && !strncmp(a, "-j", 2)) {
      if (parse_jobs(a + 2, &o->jobs))
        return 1;
    } else if (!strcmp(a, "-o")) {
      if (!(o->out = imhe_cli_option_value(verb, argc, argv, &i, "a file name for the report")))
        return 1;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "imhe %s: unknown option '%s'\n%s", verb, a, o->usage);
      return 1;
    } else
      o->files[o->nfiles++] = a;
  }
  if (!o->nfiles) {
    fputs(o->usage, stderr);
    return 1;
  }
  return 0;
}

/* What a batch found, for the exit status. */
struct tally {
  unsigned long count;
  int any_invalid, any_fail, open_failed, stream_error, write_failed;
  int write_errno; /* a write by imhe_batch_run_fd failed: the stream's error flag does not say */
  size_t notes_seen;
  size_t files; /* the files the source read (a pack counts those it was made from) */
};

/* Notices about the files themselves go to stderr as file:line:col diagnostics. */
static void print_notices(const imhe_source *src, struct tally *t) {
  imhe_error e;
  int severity;
  for (; imhe_source_message(src, t->notes_seen, &severity, &e); t->notes_seen++) {
    fprintf(stderr, "%s:%u:%u: %s: %s\n", e.file, e.line, e.column, severity ? "error" : "warning",
            e.message);
    if (severity == 2)
      t->open_failed = 1;
    else if (severity)
      t->stream_error = 1;
  }
}

/* Judges one record and writes its report (unless the report can no longer be written). */
static void judge_one(const imhe_policy_set *set, imhe_record *rec, const struct check_opts *o,
                      imhe_reporter *rep, struct tally *t) {
  imhe_result *res;
  imhe_error e;
  if (imhe_judge(set, rec, &o->judge, &res, &e) != IMHE_OK) {
    fprintf(stderr, "imhe %s: %s\n", verb, e.message);
    t->any_invalid = 1;
    return;
  }
  imhe_verdict v = imhe_result_verdict(res);
  t->any_invalid |= v == IMHE_VERDICT_INVALID;
  t->any_fail |= v == IMHE_VERDICT_NOT_ELIGIBLE;
  if (!t->write_failed && imhe_reporter_write(rep, res, &e) != IMHE_OK)
    t->write_failed = 1; /* a full disk: the rest is only read, and the run fails */
  imhe_result_free(res);
}

/* Reads every record of the files and judges it in order; the reading runs ahead on the
 * library's own thread. */
static void run_batch(const imhe_policy_set *set, const struct check_opts *o, imhe_reporter *rep,
                      struct tally *t) {
  imhe_source *src;
  imhe_error e;
  int progress = isatty(2) && !getenv("NO_PROGRESS");
  if (imhe_source_open_paths(set, o->files, (size_t)o->nfiles, &src, &e) != IMHE_OK) {
    fprintf(stderr, "imhe %s: %s\n", verb, e.message);
    t->open_failed = 1;
    return;
  }
  for (;;) {
    imhe_record *rec;
    imhe_code rc = imhe_source_next(src, &rec, &e);
    print_notices(src, t);
    if (rc == IMHE_END)
      break;
    if (rc != IMHE_OK) {
      fprintf(stderr, "imhe %s: %s\n", verb, e.message);
      t->open_failed = 1;
      continue;
    }
    if (++t->count % 1000 == 0 && progress)
      fprintf(stderr, "\r  %lu records", t->count);
    if (o->w) {
      int r = o->w->record(set, rec, &o->judge, o->format, o->f);
      t->any_invalid |= r == 2;
      t->any_fail |= r == 1;
      t->write_failed |= ferror(o->f) != 0;
    } else
      judge_one(set, rec, o, rep, t);
    imhe_record_free(rec);
  }
  t->files = imhe_source_file_count(src); /* a pack counts the files it was made from */
  imhe_source_close(src);
  if (progress && t->count >= 1000)
    fprintf(stderr, "\r  %lu records\n", t->count);
}

/* A batch on every core (imhe_batch_run): each item as run_batch would have met it. */
struct batch_ctx {
  const struct check_opts *o;
  imhe_reporter *rep;
  struct tally *t;
  int progress;
  int direct; /* imhe_batch_run_fd writes the reports itself */
  int begun;  /* ... after the format's beginning, written at the first record */
};

static void on_item(void *ctx, const imhe_batch_item *it) {
  struct batch_ctx *b = ctx;
  struct tally *t = b->t;
  imhe_error e;
  switch (it->kind) {
  case IMHE_BATCH_NOTICE:
    fprintf(stderr, "%s:%u:%u: %s: %s\n", it->error->file, it->error->line, it->error->column,
            it->severity ? "error" : "warning", it->error->message);
    if (it->severity == 2)
      t->open_failed = 1;
    else if (it->severity)
      t->stream_error = 1;
    return;
  case IMHE_BATCH_OPEN_ERROR:
    fprintf(stderr, "imhe %s: %s\n", verb, it->error->message);
    t->open_failed = 1;
    return;
  case IMHE_BATCH_JUDGE_ERROR:
  case IMHE_BATCH_RECORD:
    if (++t->count % 1000 == 0 && b->progress)
      fprintf(stderr, "\r  %lu records", t->count);
    if (it->kind == IMHE_BATCH_JUDGE_ERROR) {
      fprintf(stderr, "imhe %s: %s\n", verb, it->error->message);
      t->any_invalid = 1;
      return;
    }
    t->any_invalid |= it->verdict == IMHE_VERDICT_INVALID;
    t->any_fail |= it->verdict == IMHE_VERDICT_NOT_ELIGIBLE;
    if (b->direct && !b->begun++) { /* the format's beginning, before the batch writes this */
      if (imhe_reporter_begin(b->rep, &e) != IMHE_OK)
        t->write_failed = 1; /* the stream's error flag says it */
    } else if (!b->direct && !t->write_failed && imhe_reporter_put(b->rep, it, &e) != IMHE_OK)
      t->write_failed = 1;
  }
}

/* Judges the batch on o->jobs threads; 0 when it cannot be (a pack among the files: run_batch
 * reads those). */
static int run_parallel(const imhe_policy_set *set, const struct check_opts *o,
                        const imhe_render_options *ro, imhe_reporter *rep, struct tally *t) {
  struct batch_ctx b = {o, rep, t, isatty(2) && !getenv("NO_PROGRESS"), 1, 0};
  imhe_batch_options bo = {
      .threads = o->jobs, .format = o->format, .render = ro, .judge = &o->judge};
  imhe_error e;
  /* the reports straight from the batch to the output's descriptor (see imhe_batch_run_fd): each
   * a copy fewer, and at -j N no stdio buffer taken back and forth between cores */
  imhe_code rc =
      imhe_batch_run_fd(set, o->files, (size_t)o->nfiles, &bo, fileno(o->f), on_item, &b, &e);
  if (rc == IMHE_IO) /* a full disk: the rest was only read, and the run fails */
    t->write_failed = 1, t->write_errno = errno, rc = IMHE_OK;
  if (rc == IMHE_INVALID_ARGUMENT) { /* a format with an index, or a pack: nothing handed out */
    b.direct = 0;
    rc = imhe_batch_run(set, o->files, (size_t)o->nfiles, &bo, on_item, &b, &e);
  }
  if (rc != IMHE_OK)
    return 0;
  if (b.progress && t->count >= 1000)
    fprintf(stderr, "\r  %lu records\n", t->count);
  return 1;
}

/* Whether f is one of check's formats: the coordinator's full view, JSON and the CSV summary. The
 * library's other reporters are the deficiency report's, which `imhe report` writes. */
static int known_format(const char *f) {
  static const char *const formats[] = {"text", "json", "csv"};
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
    if (!strcmp(formats[i], f))
      return 1;
  fprintf(stderr, "imhe %s: unknown format '%s' (text, json, csv)\n", verb, f);
  return 0;
}

/* report's formats are the deficiency report's reporters: text is "letter". */
static int report_format(struct check_opts *o) {
  static const char *const map[][2] = {
      {"text", "letter"}, {"markdown", "markdown"}, {"html", "html"}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (!strcmp(o->format, map[i][0])) {
      o->format = map[i][1];
      return 1;
    }
  fprintf(stderr, "imhe report: unknown format '%s' (text, markdown, html)\n", o->format);
  return 0;
}

/* A writing verb's formats: the value given must be one of them. */
static int writer_format(const struct check_opts *o) {
  for (size_t i = 0; o->w->formats[i]; i++)
    if (!strcmp(o->format, o->w->formats[i]))
      return 1;
  fprintf(stderr, "imhe %s: unknown format '%s' (", verb, o->format);
  for (size_t i = 0; o->w->formats[i]; i++)
    fprintf(stderr, "%s%s", i ? ", " : "", o->w->formats[i]);
  fprintf(stderr, ")\n");
  return 0;
}

static int format_ok(struct check_opts *o) {
  return o->w                      ? writer_format(o)
         : !strcmp(verb, "report") ? report_format(o)
                                   : known_format(o->format);
}

static int judge_verb(const char *name, const char *usage, const struct imhe_cli_writer *w,
                      int argc, char **argv) {
  verb = name;
  struct check_opts o = {
      .format = w ? w->formats[0] : "text", .check_sum = 1, .usage = usage, .w = w};
  char bin[PATH_MAX], src[PATH_MAX], err[700];
  imhe_cli_default_dirs(&o.d, bin, src, sizeof bin);
  o.files = calloc((size_t)argc + 1, sizeof *o.files);
  if (!o.files)
    return 2;
  int bad = parse(argc, argv, &o);
  if (!bad && !format_ok(&o))
    bad = 1;
  if (!bad)
    bad = check_inputs(&o.d, o.rules_opt, o.files, o.nfiles) ||
          (o.out && imhe_cli_check_output(verb, o.out, o.files, o.nfiles));
  imhe_policy_set *set = bad ? NULL : imhe_cli_open_policies(verb, &o.d, o.check_sum);
  struct imhe_atomic_out ao;
  FILE *f = stdout;
  if (set && o.out) {
    if (imhe_atomic_open(&ao, o.out, err, sizeof err) != 0) {
      fprintf(stderr, "imhe %s: %s\n", verb, err);
      imhe_policy_set_close(set);
      set = NULL;
    } else
      f = ao.f;
  }
  if (!set) {
    free(o.files);
    return bad == 2 ? 0 : 2;
  }
  /* the CSV summary prints the verdict, failed areas, fees and deadline: no explanation */
  o.judge.verdicts_only = !w && !strcmp(verb, "check") && !strcmp(o.format, "csv");
  imhe_render_options ro = {.color = !o.out && !strcmp(o.format, "text") && isatty(1) &&
                                     !getenv("NO_COLOR"),
                            .verbose = o.verbose};
  imhe_reporter *rep = NULL;
  imhe_error e;
  o.f = f;
  if (!w)
    imhe_reporter_open(o.format, f, &ro, &rep, &e);
  struct tally t = {0};
  if (w && w->begin)
    w->begin(f, o.format);
  if (w || !run_parallel(set, &o, &ro, rep, &t))
    run_batch(set, &o, rep, &t);
  if (w && w->end)
    w->end(f, o.format);
  if (!w && imhe_reporter_close(rep, &e) != IMHE_OK)
    t.write_failed = 1;
  if (w && (fflush(f) != 0 || ferror(f)))
    t.write_failed = 1;
  if (t.count == 0) { /* the wrong file, an empty export: never a silent success */
    size_t files = t.files ? t.files : (size_t)o.nfiles;
    fprintf(stderr, "imhe %s: no record judged in %zu file%s\n", verb, files,
            files == 1 ? "" : "s");
  }
  int failed = t.open_failed | t.stream_error;
  if (t.write_errno && o.out && !ao.err)
    ao.err = t.write_errno;                         /* the output is then not committed */
  else if (t.write_errno && !o.out && !ferror(f)) { /* as main() says of a stream's failure */
    fprintf(stderr, "imhe: standard output: %s\n", strerror(t.write_errno));
    failed = 1;
  }
  if (o.out && t.open_failed) {
    imhe_atomic_abort(&ao);
    fprintf(stderr, "imhe %s: %s not written: a record file could not be read\n", verb, o.out);
  } else if (o.out && imhe_atomic_commit(&ao, err, sizeof err) != 0) {
    fprintf(stderr, "imhe %s: %s\n", verb, err);
    failed = 1;
  }
  imhe_policy_set_close(set);
  free(o.files);
  return failed || t.any_invalid || t.count == 0 ? 2 : t.any_fail ? 1 : 0;
}

int imhe_cli_check(int argc, char **argv) {
  return judge_verb("check", usage_check, NULL, argc, argv);
}

static const char *const usage_report =
    "usage: imhe report [--as-of YYYY-MM-DD] [--format text|markdown|html] [--verbose]\n"
    "                   [--rules DIR | --policy FILE] [--no-checksum] [-j N] [-o OUT]\n"
    "                   FILE... | -\n"
    "\n"
    "Writes the deficiency report a reviewer sends each applicant: a one-line\n"
    "summary, only the unmet requirements grouped under the application system's\n"
    "tabs (what is missing, by how much, what would meet it, the entries counted\n"
    "and left out, the published source), advisories for information, the exam,\n"
    "fees, the next deadline and next steps. Records are read and judged as by\n"
    "'imhe check'.\n"
    "  --as-of DATE    judge every record as of DATE (default: its submitted date)\n"
    "  --format F      text (default, plain for a letter), markdown (CommonMark) or\n"
    "                  html (one self-contained printable file with an index)\n"
    "  --verbose       add each unmet rule's id and policy file:line to its source\n"
    "  --rules DIR     directory of NAME.imhe policies (and cached NAME.imhec)\n"
    "  --policy FILE   judge every record with this .imhe or .imhec file\n"
    "  --no-checksum   accept compiled policies whose checksum does not match\n"
    "  -j N            parse, judge and render on N threads (default: one a core)\n"
    "  -o OUT          write the report to OUT atomically instead of stdout\n"
    "exit: as 'imhe check': 0 all eligible (or pending exam), 1 some not eligible,\n"
    "2 some record invalid, no record judged, or a usage, I/O or policy error\n";

int imhe_cli_report(int argc, char **argv) {
  return judge_verb("report", usage_report, NULL, argc, argv);
}

int imhe_cli_judging(const char *name, const char *usage, const struct imhe_cli_writer *w, int argc,
                     char **argv) {
  return judge_verb(name, usage, w, argc, argv);
}
