/* main.c — the `imhe` command line: compile, disasm, check, fmt, each with --help.
 * Parses options, wires the compiler and runtime together, writes outputs atomically; holds no
 * domain logic. */
#include "compiler/compile.h"
#include "compiler/fmt.h"
#include "compiler/symtab.h"
#include "queue.h"
#include "runtime/bytecode/program.h"
#include "runtime/core/atomic.h"
#include "runtime/core/dates.h"
#include "runtime/eval/result.h"
#include "runtime/records/stream.h"
#include "runtime/report/report.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const usage_main =
    "usage: imhe <command> [options]\n"
    "\n"
    "Rules engine for the Infant and Early Childhood Mental Health Endorsement.\n"
    "\n"
    "commands:\n"
    "  check     judge application records against their association's policy\n"
    "  compile   compile a .imhe policy into verified bytecode (.imhec)\n"
    "  disasm    list a compiled policy's rules and instructions\n"
    "  fmt       print a policy in canonical layout (--check: report if it differs,\n"
    "            -w: rewrite it in place)\n"
    "\n"
    "Run 'imhe <command> --help' for a command's options.\n";

static const char *const usage_compile =
    "usage: imhe compile POLICY.imhe [-o OUT.imhec] [--diagnostics=text|json]\n"
    "\n"
    "Compiles a policy and the bases it extends (found beside it as NAME.imhe).\n"
    "Writes OUT atomically (default: POLICY.imhec beside the source); on any\n"
    "error nothing is written and an earlier OUT is left untouched. Sources are\n"
    "recorded as the policy directory's name and the file's (rules/wi.imhe), so\n"
    "the same policy gives the same bytes however its path is spelled.\n"
    "exit: 0 compiled, 1 errors in the policy, 2 usage or I/O error\n";

static const char *const usage_disasm =
    "usage: imhe disasm [--no-checksum] FILE.imhec\n"
    "\n"
    "Verifies a compiled policy and lists each rule (id, kind, area, categories,\n"
    "file:line) and its instructions (offset, source line, opcode, operands).\n"
    "--no-checksum skips only the checksum comparison; the verifier still runs.\n"
    "exit: 0 listed, 2 unreadable or refused\n";

static const char *const usage_check =
    "usage: imhe check [--as-of YYYY-MM-DD] [--format text|json] [--rules DIR | --policy FILE]\n"
    "                  [--no-checksum] [-o OUT] FILE... | -\n"
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
    "  --format F      text (default, for people) or json (JSON Lines)\n"
    "  --rules DIR     directory of NAME.imhe policies (and cached NAME.imhec)\n"
    "  --policy FILE   judge every record with this .imhe or .imhec file\n"
    "  --no-checksum   accept compiled policies whose checksum does not match\n"
    "  -o OUT          write the report to OUT atomically instead of stdout; not\n"
    "                  written if a record file cannot be read\n"
    "exit: 0 all eligible (or pending exam), 1 some not eligible, 2 some record\n"
    "invalid, no record judged, or a usage, I/O or policy error\n";

static const char *const usage_fmt =
    "usage: imhe fmt [--check | -w] FILE.imhe...\n"
    "\n"
    "Prints each policy in canonical layout, comments kept.\n"
    "  --check   print nothing; exit 1 when a file is not in canonical layout\n"
    "  -w        rewrite each file not in canonical layout in place, atomically\n"
    "            (a file with syntax errors, or a failed write, leaves it as it was)\n"
    "exit: 0 formatted (or already canonical), 1 not canonical or syntax errors, 2 usage or\n"
    "I/O error\n";

static int is_help(const char *a) {
  return !strcmp(a, "--help") || !strcmp(a, "-h");
}

/* The value after option argv[*i] (advancing *i), or NULL after saying what is missing. A next
 * argument that is itself an option is not taken as the value. */
static const char *option_value(const char *cmd, int argc, char **argv, int *i, const char *what) {
  if (*i + 1 >= argc || !strncmp(argv[*i + 1], "--", 2)) {
    fprintf(stderr, "imhe %s: %s needs %s\n", cmd, argv[*i], what);
    return NULL;
  }
  return argv[++*i];
}

/* Refuses, before anything is read, an output that cannot be written: a directory, a FIFO or
 * socket, a missing directory, or one of the command's own inputs. A character device
 * (/dev/null, a terminal) is written as it is, since it cannot be replaced. */
static int check_output(const char *cmd, const char *out, const char *const *inputs, int ninputs) {
  struct stat st;
  if (stat(out, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      fprintf(stderr, "imhe %s: -o %s: is a directory (give a file name)\n", cmd, out);
      return -1;
    }
    if (S_ISCHR(st.st_mode))
      return 0;
    if (!S_ISREG(st.st_mode)) {
      fprintf(stderr,
              "imhe %s: -o %s: not a regular file or device (it is replaced whole by a new file; "
              "leave out -o to write to standard output)\n",
              cmd, out);
      return -1;
    }
    for (int i = 0; i < ninputs; i++) {
      struct stat in;
      if (strcmp(inputs[i], "-") && stat(inputs[i], &in) == 0 && in.st_dev == st.st_dev &&
          in.st_ino == st.st_ino) {
        fprintf(stderr, "imhe %s: -o %s is also an input: refusing to overwrite it\n", cmd, out);
        return -1;
      }
    }
    return 0;
  }
  if (errno != ENOENT) {
    fprintf(stderr, "imhe %s: -o %s: %s\n", cmd, out, strerror(errno));
    return -1;
  }
  char dir[PATH_MAX];
  const char *sl = strrchr(out, '/');
  snprintf(dir, sizeof dir, "%.*s", sl ? (int)(sl - out) + (sl == out) : 1, sl ? out : ".");
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "imhe %s: -o %s: directory '%s' %s\n", cmd, out, dir,
            stat(dir, &st) != 0 ? "does not exist" : "is not a directory");
    return -1;
  }
  return 0;
}

/* ---------- compile ---------- */

static int write_program(const struct imhe_program *p, const char *out, char *err, size_t errlen) {
  uint8_t *bytes;
  size_t n;
  imhe_program_write(p, &bytes, &n);
  int rc = imhe_write_atomic(out, bytes, n, err, errlen);
  free(bytes);
  return rc;
}

static int cmd_compile(int argc, char **argv) {
  const char *in = NULL, *out = NULL, *v;
  int json = 0;
  for (int i = 1; i < argc; i++) {
    if (is_help(argv[i])) {
      fputs(usage_compile, stdout);
      return 0;
    } else if (!strcmp(argv[i], "-o")) {
      if (!(out = option_value("compile", argc, argv, &i, "a file name for the bytecode")))
        return 2;
    } else if (!strncmp(argv[i], "--diagnostics", 13) && (argv[i][13] == '=' || argv[i][13] == 0)) {
      v = argv[i][13] == '=' ? argv[i] + 14
                             : option_value("compile", argc, argv, &i, "text or json");
      if (!v)
        return 2;
      if (strcmp(v, "text") && strcmp(v, "json")) {
        fprintf(stderr, "imhe compile: --diagnostics is text or json, not '%s'\n", v);
        return 2;
      }
      json = !strcmp(v, "json");
    } else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "imhe compile: unknown option '%s'\n%s", argv[i], usage_compile);
      return 2;
    } else if (!in)
      in = argv[i];
    else {
      fprintf(stderr, "imhe compile: one policy at a time ('%s' and '%s')\n%s", in, argv[i],
              usage_compile);
      return 2;
    }
  }
  if (!in) {
    fputs(usage_compile, stderr);
    return 2;
  }
  struct stat st;
  if (stat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
    fprintf(stderr, "imhe compile: %s: is a directory, not a policy file\n", in);
    return 2;
  }
  char defout[PATH_MAX];
  if (!out) {
    size_t n = strlen(in);
    snprintf(defout, sizeof defout, "%.*s.imhec",
             (int)(n > 5 && !strcmp(in + n - 5, ".imhe") ? n - 5 : n), in);
    out = defout;
  }
  if (check_output("compile", out, &in, 1) != 0)
    return 2;
  struct diags d;
  imhe_diags_init(&d, stderr, json, !json && isatty(2) && !getenv("NO_COLOR"));
  struct imhe_program p;
  int rc = imhe_compile_file(in, &d, &p);
  int had_files = d.nfiles > 0;
  imhe_diags_flush(&d);
  imhe_diags_free(&d);
  if (rc != 0)
    return had_files ? 1 : 2;
  char err[512];
  /* never write a file the loader would refuse: a compiler defect is reported, not shipped */
  if (imhe_verify(&p, err, sizeof err) != 0) {
    fprintf(stderr,
            "imhe compile: %s: internal error: the compiled program fails verification: %s\n", in,
            err);
    imhe_program_free(&p);
    return 2;
  }
  if (write_program(&p, out, err, sizeof err) != 0) {
    fprintf(stderr, "imhe compile: %s\n", err);
    imhe_program_free(&p);
    return 2;
  }
  imhe_program_free(&p);
  return 0;
}

/* ---------- loading a compiled policy ---------- */

static int load_imhec(const char *path, int check_sum, struct imhe_program *p, char *err,
                      size_t errlen) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    snprintf(err, errlen, "%s: is a directory, not a compiled policy", path);
    return -1;
  }
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return -1;
  }
  size_t cap = 1 << 16, n = 0;
  uint8_t *buf = malloc(cap);
  size_t r;
  while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) {
      if (cap >= (256u << 20))
        break;
      cap *= 2;
      buf = realloc(buf, cap);
    }
  }
  int read_err = ferror(f) ? errno : 0;
  fclose(f);
  if (!buf)
    abort();
  if (read_err) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(read_err));
    free(buf);
    return -1;
  }
  char e2[400];
  int rc = imhe_program_load(buf, n, check_sum, p, e2, sizeof e2);
  free(buf);
  if (rc)
    snprintf(err, errlen, "%s: refused: %s", path, e2);
  return rc;
}

static int cmd_disasm(int argc, char **argv) {
  const char *in = NULL;
  int check = 1;
  for (int i = 1; i < argc; i++) {
    if (is_help(argv[i])) {
      fputs(usage_disasm, stdout);
      return 0;
    } else if (!strcmp(argv[i], "--no-checksum"))
      check = 0;
    else if (argv[i][0] == '-') {
      fprintf(stderr, "imhe disasm: unknown option '%s'\n%s", argv[i], usage_disasm);
      return 2;
    } else if (in) {
      fprintf(stderr, "imhe disasm: one file at a time ('%s' and '%s')\n%s", in, argv[i],
              usage_disasm);
      return 2;
    } else
      in = argv[i];
  }
  if (!in) {
    fputs(usage_disasm, stderr);
    return 2;
  }
  struct imhe_program p;
  char err[600];
  if (load_imhec(in, check, &p, err, sizeof err)) {
    fprintf(stderr, "imhe disasm: %s\n", err);
    return 2;
  }
  imhe_disasm(&p, stdout);
  imhe_program_free(&p);
  return 0;
}

/* ---------- check ---------- */

struct policy_slot {
  char *code;
  struct imhe_program p;
  int ok;
  char *err;
};

struct checker {
  const char *rules_dir, *src_dir, *policy_file;
  int check_sum;
  struct policy_slot slots[64];
  int nslots;
  struct policy_slot single;
  int single_loaded;
};

static time_t mtime(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? st.st_mtime : 0;
}

/* Any policy source in `dir` newer than `t` (a base may have changed). */
static int newest_source_after(const char *dir, time_t t) {
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  int newer = 0;
  struct dirent *e;
  char path[PATH_MAX];
  while ((e = readdir(d)) && !newer) {
    size_t n = strlen(e->d_name);
    if (n < 6 || strcmp(e->d_name + n - 5, ".imhe"))
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    newer = mtime(path) > t;
  }
  closedir(d);
  return newer;
}

static int load_policy_for(struct checker *c, const char *src_path, const char *bin_path,
                           struct policy_slot *s) {
  char err[700];
  time_t bt = mtime(bin_path), st = mtime(src_path);
  if (bt && (!st || (bt >= st && !newest_source_after(c->src_dir, bt)))) {
    if (load_imhec(bin_path, c->check_sum, &s->p, err, sizeof err) == 0)
      return 0;
    if (!st) {
      s->err = strdup(err);
      return -1;
    }
  }
  if (!st) {
    snprintf(err, sizeof err, "no policy: neither %s nor %s exists", src_path, bin_path);
    s->err = strdup(err);
    return -1;
  }
  struct diags d;
  imhe_diags_init(&d, stderr, 0, 0);
  int rc = imhe_compile_file(src_path, &d, &s->p);
  imhe_diags_flush(&d);
  imhe_diags_free(&d);
  if (rc) {
    snprintf(err, sizeof err, "policy %s has errors (run: imhe compile %s)", src_path, src_path);
    s->err = strdup(err);
    return -1;
  }
  /* Round-trip through the file format so the verifier sees what a cache holds. */
  uint8_t *bytes;
  size_t n;
  imhe_program_write(&s->p, &bytes, &n);
  imhe_program_free(&s->p);
  if (imhe_program_load(bytes, n, 1, &s->p, err, sizeof err)) {
    free(bytes);
    s->err = strdup(err);
    return -1;
  }
  char e2[300];
  if (imhe_write_atomic(bin_path, bytes, n, e2, sizeof e2) != 0) {
    /* a read-only rules directory is fine: the policy is in memory */
  }
  free(bytes);
  return 0;
}

static struct policy_slot *policy_of(struct checker *c, const struct imhe_text *assoc) {
  if (c->policy_file) {
    if (!c->single_loaded) {
      c->single_loaded = 1;
      size_t n = strlen(c->policy_file);
      if (n > 6 && !strcmp(c->policy_file + n - 6, ".imhec")) {
        char err[700];
        c->single.ok = load_imhec(c->policy_file, c->check_sum, &c->single.p, err, sizeof err) == 0;
        if (!c->single.ok)
          c->single.err = strdup(err);
      } else {
        char bin[PATH_MAX];
        snprintf(bin, sizeof bin, "%sc", c->policy_file);
        const char *save = c->src_dir;
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s", c->policy_file);
        char *sl = strrchr(dir, '/');
        if (sl)
          *sl = 0;
        else
          snprintf(dir, sizeof dir, ".");
        c->src_dir = dir;
        c->single.ok = load_policy_for(c, c->policy_file, bin, &c->single) == 0;
        c->src_dir = save;
      }
    }
    return &c->single;
  }
  char code[64];
  size_t n = 0;
  for (uint32_t i = 0; i < assoc->n && n < sizeof code - 1; i++) {
    char ch = assoc->s[i];
    if (ch >= 'A' && ch <= 'Z')
      ch = (char)(ch + 32);
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
      return NULL;
    code[n++] = ch;
  }
  code[n] = 0;
  if (n > 5 && !strcmp(code + n - 5, "-aimh"))
    code[n - 5] = 0;
  if (!code[0] || !strcmp(code, "legacy") || !strcmp(code, "alliance-2025") ||
      !strcmp(code, "catalogue"))
    return NULL;
  for (int i = 0; i < c->nslots; i++)
    if (!strcmp(c->slots[i].code, code))
      return &c->slots[i];
  if (c->nslots == 64)
    return NULL;
  char src[PATH_MAX], bin[PATH_MAX];
  snprintf(src, sizeof src, "%s/%s.imhe", c->src_dir, code);
  snprintf(bin, sizeof bin, "%s/%s.imhec", c->rules_dir, code);
  if (!mtime(src) && !mtime(bin))
    return NULL;
  struct policy_slot *s = &c->slots[c->nslots++];
  s->code = strdup(code);
  s->ok = load_policy_for(c, src, bin, s) == 0;
  return s;
}

#ifndef IMHE_RULES_DIR
#define IMHE_RULES_DIR "/usr/local/share/imhe/rules" /* make passes $(PREFIX)/share/imhe/rules */
#endif

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Where the policies are when neither --rules nor --policy says: in a build tree, rules/ beside
 * the build directory holding imhe (compiled into build/rules); installed, share/imhe/rules beside
 * the executable's bin/ (so a copy staged with DESTDIR, or moved whole, finds its own), else where
 * `make install` put them (IMHE_RULES_DIR). The compiled files are cached beside the sources. */
static void default_dirs(struct checker *c, char *bin, char *src, size_t cap) {
  char exe[PATH_MAX - 32];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    char *sl = strrchr(exe, '/');
    if (sl)
      *sl = 0;
    snprintf(src, cap, "%s/../rules", exe);
    snprintf(bin, cap, "%s/rules", exe);
    if (is_dir(src))
      goto found;
    snprintf(src, cap, "%s/../share/imhe/rules", exe);
    snprintf(bin, cap, "%s", src);
    if (is_dir(src))
      goto found;
  }
  if (n <= 0 && !is_dir(IMHE_RULES_DIR)) { /* no /proc: a build tree as the working directory */
    snprintf(bin, cap, "build/rules");
    snprintf(src, cap, "rules");
    goto found;
  }
  snprintf(src, cap, "%s", IMHE_RULES_DIR);
  snprintf(bin, cap, "%s", IMHE_RULES_DIR);
found:
  c->rules_dir = bin;
  c->src_dir = src;
}

/* Ids seen in a batch, 16 bytes each: a 64-bit hash of the id and where it
 * was first seen, so memory grows as little as possible with the batch. */
struct idslot {
  uint64_t hash; /* 0 = empty */
  uint32_t file, line;
};
struct idtab {
  struct idslot *v;
  size_t cap, n;
};

static uint64_t id_hash(const char *s, size_t n) {
  uint64_t h = imhe_fnv1a(s, n, 1469598103934665603ull);
  return h ? h : 1;
}

/* Returns the slot of an earlier record with the same id, or NULL after adding it. */
static const struct idslot *id_seen(struct idtab *t, const char *s, size_t n, uint32_t file,
                                    uint32_t line) {
  if ((t->n + 1) * 2 > t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 1024;
    struct idslot *v = calloc(cap, sizeof *v);
    if (!v)
      abort();
    for (size_t i = 0; i < t->cap; i++)
      if (t->v[i].hash) {
        size_t j = t->v[i].hash & (cap - 1);
        while (v[j].hash)
          j = (j + 1) & (cap - 1);
        v[j] = t->v[i];
      }
    free(t->v);
    t->v = v;
    t->cap = cap;
  }
  uint64_t h = id_hash(s, n);
  size_t j = h & (t->cap - 1);
  for (; t->v[j].hash; j = (j + 1) & (t->cap - 1))
    if (t->v[j].hash == h)
      return &t->v[j];
  t->v[j].hash = h;
  t->v[j].file = file;
  t->v[j].line = line;
  t->n++;
  return NULL;
}

/* One record on its way from the reader thread to the judging thread. */
struct job {
  struct imhe_record r;
  int32_t as_of;
  int src;
  uint32_t file; /* index into the command line's files */
};

struct reader {
  const char **files;
  int nfiles;
  int32_t as_of, today;
  struct imhe_queue q;
  struct imhe_queue spare; /* judged jobs handed back, so their arenas are reused */
  struct idtab ids;        /* ids seen so far (judging thread only) */
  int open_failed;         /* a file could not be opened or read */
  int stream_error;        /* a file's rest was left unread after a refused document */
};

/* Notices about the streams themselves go to stderr as file:line:col diagnostics. */
static void on_notice(void *ctx, int severity, const struct imhe_msg *m) {
  struct reader *rd = ctx;
  fprintf(stderr, "%s:%u:%u: %s: %s\n", m->file, m->line, m->col, severity ? "error" : "warning",
          m->text);
  if (severity == IMHE_NOTICE_IO)
    rd->open_failed = 1;
  else if (severity)
    rd->stream_error = 1;
}

/* Parses every document into its record's arena and queues it; pushes NULL
 * at the end. Typing and judging happen on the other thread. */
static void *reader_main(void *arg) {
  struct reader *rd = arg;
  char err[700];
  for (int fi = 0; fi < rd->nfiles; fi++) {
    struct imhe_loader *l = imhe_loader_open(rd->files[fi], NULL, err, sizeof err);
    if (!l) {
      fprintf(stderr, "imhe check: %s\n", err);
      rd->open_failed = 1;
      continue;
    }
    imhe_loader_on_notice(l, on_notice, rd);
    for (;;) {
      struct job *jb = imhe_queue_try_pop(&rd->spare);
      int reuse = jb != NULL;
      if (!jb && !(jb = malloc(sizeof *jb)))
        abort();
      if (imhe_loader_read_into(l, &jb->r, reuse) != 1) {
        free(jb); /* its record was freed by the loader */
        break;
      }
      jb->file = (uint32_t)fi;
      imhe_queue_push(&rd->q, jb);
    }
    imhe_loader_close(l);
  }
  imhe_queue_push(&rd->q, NULL);
  return NULL;
}

/* Types a parsed record, marks a repeated id, settles the as-of date. */
static void prepare(struct reader *rd, struct job *jb) {
  struct imhe_record *r = &jb->r;
  imhe_record_type(r);
  if (r->id.s && !r->errors.n) {
    const struct idslot *prev = id_seen(&rd->ids, r->id.s, r->id.n, jb->file, r->line);
    if (prev)
      imhe_record_error(r, r->line, 1, "id '%.60s' repeats the record at %s:%u", r->id.s,
                        rd->files[prev->file], prev->line);
  }
  jb->src = IMHE_AS_OF_OPTION;
  jb->as_of = rd->as_of;
  if (r->kind == IMHE_KIND_RENEWAL &&
      r->renewal_deadline != IMHE_NO_DATE) { /* reading 23: judged at the deadline */
    jb->as_of = r->renewal_deadline;
    jb->src = IMHE_AS_OF_DEADLINE;
  } else if (jb->as_of == IMHE_NO_DATE && r->submitted != IMHE_NO_DATE) {
    jb->as_of = r->submitted;
    jb->src = IMHE_AS_OF_SUBMITTED;
  } else if (jb->as_of == IMHE_NO_DATE) {
    jb->as_of = rd->today;
    jb->src = IMHE_AS_OF_TODAY;
    imhe_record_warning(r, r->line, 1,
                        "no 'submitted' date and no --as-of: judged as of today, so the "
                        "verdict depends on the day it is run");
  }
}

/* Every input must be there before anything is read or written: the policy options name what
 * exists, and each record file exists and is not a directory. */
static int check_inputs(const struct checker *c, const char *rules, const char *const *files,
                        int nfiles) {
  struct stat st;
  if (rules && c->policy_file) {
    fprintf(stderr, "imhe check: --rules and --policy exclude each other\n");
    return 1;
  }
  if (rules && (stat(rules, &st) != 0 || !S_ISDIR(st.st_mode))) {
    fprintf(stderr, "imhe check: --rules %s: %s\n", rules,
            stat(rules, &st) != 0 ? strerror(errno) : "not a directory");
    return 1;
  }
  if (c->policy_file && (stat(c->policy_file, &st) != 0 || !S_ISREG(st.st_mode))) {
    fprintf(stderr, "imhe check: --policy %s: %s\n", c->policy_file,
            stat(c->policy_file, &st) != 0 ? strerror(errno) : "not a regular file");
    return 1;
  }
  int stdin_seen = 0;
  for (int i = 0; i < nfiles; i++) {
    if (!strcmp(files[i], "-")) {
      if (stdin_seen++) {
        fprintf(stderr, "imhe check: standard input (-) given twice\n");
        return 1;
      }
      continue;
    }
    if (stat(files[i], &st) != 0) {
      fprintf(stderr, "imhe check: %s: cannot open: %s\n", files[i], strerror(errno));
      return 1;
    }
    if (S_ISDIR(st.st_mode)) {
      fprintf(stderr, "imhe check: %s: is a directory, not a file of records\n", files[i]);
      return 1;
    }
  }
  return 0;
}

static int cmd_check(int argc, char **argv) {
  int32_t as_of = IMHE_NO_DATE;
  int json = 0;
  const char *out = NULL;
  struct checker c;
  memset(&c, 0, sizeof c);
  c.check_sum = 1;
  char bin[PATH_MAX], src[PATH_MAX];
  default_dirs(&c, bin, src, sizeof bin);
  const char **files = calloc((size_t)argc + 1, sizeof *files);
  int nfiles = 0;
  const char *rules_opt = NULL;
  int bad = 0;
  for (int i = 1; i < argc && !bad; i++) {
    const char *a = argv[i], *v;
    if (is_help(a)) {
      fputs(usage_check, stdout);
      free(files);
      return 0;
    } else if (!strcmp(a, "--as-of")) {
      if (!(v = option_value("check", argc, argv, &i, "a date as YYYY-MM-DD")))
        bad = 1;
      else if (imhe_parse_date(v, strlen(v), &as_of) != 0) {
        fprintf(stderr, "imhe check: --as-of needs a real date as YYYY-MM-DD, not '%s'\n", v);
        bad = 1;
      }
    } else if (!strcmp(a, "--format")) {
      if (!(v = option_value("check", argc, argv, &i, "text or json")))
        bad = 1;
      else if (!strcmp(v, "json") || !strcmp(v, "text"))
        json = !strcmp(v, "json");
      else {
        fprintf(stderr, "imhe check: unknown format '%s' (text or json)\n", v);
        bad = 1;
      }
    } else if (!strcmp(a, "--rules")) {
      if (!(v = option_value("check", argc, argv, &i, "a directory of policies")))
        bad = 1;
      else
        rules_opt = c.rules_dir = c.src_dir = v;
    } else if (!strcmp(a, "--policy")) {
      if (!(v = option_value("check", argc, argv, &i, "a policy file (.imhe or .imhec)")))
        bad = 1;
      else
        c.policy_file = v;
    } else if (!strcmp(a, "--no-checksum")) {
      c.check_sum = 0;
    } else if (!strcmp(a, "-o")) {
      if (!(out = option_value("check", argc, argv, &i, "a file name for the report")))
        bad = 1;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "imhe check: unknown option '%s'\n%s", a, usage_check);
      bad = 1;
    } else
      files[nfiles++] = a;
  }
  if (!bad && !nfiles) {
    fputs(usage_check, stderr);
    bad = 1;
  }
  if (!bad)
    bad = check_inputs(&c, rules_opt, files, nfiles) ||
          (out && check_output("check", out, files, nfiles));
  if (bad) {
    free(files);
    return 2;
  }
  struct imhe_atomic_out ao;
  FILE *f = stdout;
  char err[700];
  if (out) {
    if (imhe_atomic_open(&ao, out, err, sizeof err) != 0) {
      fprintf(stderr, "imhe check: %s\n", err);
      free(files);
      return 2;
    }
    f = ao.f;
  }
  struct report_opts ro = {.color = !out && !json && isatty(1) && !getenv("NO_COLOR")};
  int progress = isatty(2) && !getenv("NO_PROGRESS");
  int any_invalid = 0, any_fail = 0, usage_err = 0;
  unsigned long count = 0;
  /* Reading and judging overlap: a reader thread parses records into a
   * bounded queue while this thread evaluates and reports them in order. */
  struct reader rd = {.files = files, .nfiles = nfiles, .as_of = as_of, .today = imhe_today()};
  imhe_queue_init(&rd.q);
  imhe_queue_init(&rd.spare);

  pthread_t th;
  int threaded = pthread_create(&th, NULL, reader_main, &rd) == 0;
  if (!threaded)
    reader_main(&rd); /* cannot happen in practice; kept correct anyway */
  for (;;) {
    struct job *jb = imhe_queue_pop(&rd.q);
    if (!jb)
      break;
    struct imhe_record *rp = &jb->r;
    if (out && ferror(f)) {
      /* the report can no longer be written (a full disk): the rest is only drained */
      if (!imhe_queue_try_push(&rd.spare, jb)) {
        imhe_record_clear(rp);
        free(jb);
      }
      continue;
    }
    prepare(&rd, jb);
    count++;
    if (progress && count % 1000 == 0)
      fprintf(stderr, "\r  %lu records", count);
    struct imhe_result res;
    struct policy_slot *ps = rp->association.s ? policy_of(&c, &rp->association) : NULL;
    if (!rp->errors.n && !ps && rp->association.s)
      imhe_record_error(rp, rp->line, 1, "unknown association '%.40s': no policy for it in %s",
                        rp->association.s, c.src_dir);
    if (ps && !ps->ok && !rp->errors.n)
      imhe_record_error(rp, rp->line, 1, "%s", ps->err ? ps->err : "policy unavailable");
    if (ps && ps->ok) {
      imhe_evaluate(&ps->p, rp, &rp->arena, jb->as_of, jb->src, &res);
    } else {
      memset(&res, 0, sizeof res);
      res.record = rp;
      res.verdict = IMHE_VERDICT_INVALID;
      res.as_of = jb->as_of;
      res.as_of_source = jb->src;
      res.next_deadline = IMHE_NO_DATE;
    }
    if (res.verdict == IMHE_VERDICT_INVALID)
      any_invalid = 1;
    else if (res.verdict == IMHE_VERDICT_NOT_ELIGIBLE)
      any_fail = 1;
    if (json)
      imhe_report_json(f, rp, &res);
    else
      imhe_report_text(f, rp, &res, &ro);
    if (!imhe_queue_try_push(&rd.spare, jb)) {
      imhe_record_clear(rp);
      free(jb);
    }
  }
  if (threaded)
    pthread_join(th, NULL);
  usage_err |= rd.open_failed | rd.stream_error;
  if (count == 0) /* the wrong file, an empty export: never a silent success */
    fprintf(stderr, "imhe check: no record judged in %d file%s\n", nfiles, nfiles == 1 ? "" : "s");
  if (out && rd.open_failed) {
    imhe_atomic_abort(&ao);
    fprintf(stderr, "imhe check: %s not written: a record file could not be read\n", out);
    out = NULL;
  }
  for (struct job *jb; (jb = imhe_queue_try_pop(&rd.spare));) {
    imhe_record_clear(&jb->r);
    free(jb);
  }
  imhe_queue_destroy(&rd.q);
  imhe_queue_destroy(&rd.spare);
  free(rd.ids.v);
  if (progress && count >= 1000)
    fprintf(stderr, "\r  %lu records\n", count);
  if (out && imhe_atomic_commit(&ao, err, sizeof err) != 0) {
    fprintf(stderr, "imhe check: %s\n", err);
    usage_err = 1;
  }
  for (int i = 0; i < c.nslots; i++) {
    free(c.slots[i].code);
    free(c.slots[i].err);
    if (c.slots[i].ok)
      imhe_program_free(&c.slots[i].p);
  }
  if (c.single_loaded) {
    free(c.single.err);
    if (c.single.ok)
      imhe_program_free(&c.single.p);
  }
  free(files);
  return usage_err || any_invalid || count == 0 ? 2 : any_fail ? 1 : 0;
}

/* ---------- fmt ---------- */

/* The whole file, NUL-terminated (malloc'd), or NULL with "PATH: cannot read: why" in err. */
static char *read_text(const char *path, size_t *len, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, n = 0, r;
  char *b = malloc(cap + 1);
  if (!b)
    abort();
  while ((r = fread(b + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap && !(b = realloc(b, (cap *= 2) + 1)))
      abort();
  }
  int bad = ferror(f);
  int e = errno;
  fclose(f);
  if (bad) {
    free(b);
    snprintf(err, errlen, "%s: cannot read: %s", path,
             e == EISDIR ? "is a directory" : strerror(e));
    return NULL;
  }
  b[n] = 0;
  *len = n;
  return b;
}

static int cmd_fmt(int argc, char **argv) {
  int check = 0, write = 0, nfiles = 0;
  for (int i = 1; i < argc; i++) {
    if (is_help(argv[i])) {
      fputs(usage_fmt, stdout);
      return 0;
    } else if (!strcmp(argv[i], "--check"))
      check = 1;
    else if (!strcmp(argv[i], "-w"))
      write = 1;
    else if (argv[i][0] == '-') {
      fprintf(stderr, "imhe fmt: unknown option '%s'\n%s", argv[i], usage_fmt);
      return 2;
    } else
      nfiles++;
  }
  if (!nfiles || (check && write)) {
    fputs(check && write ? "imhe fmt: --check and -w exclude each other\n" : "", stderr);
    fputs(usage_fmt, stderr);
    return 2;
  }
  int rc = 0;
  for (int i = 1; i < argc; i++) {
    const char *path = argv[i];
    if (path[0] == '-')
      continue;
    char err[700];
    size_t n;
    char *in = read_text(path, &n, err, sizeof err);
    if (!in) {
      fprintf(stderr, "imhe fmt: %s\n", err);
      rc = 2;
      continue;
    }
    char *out = imhe_format(path, in, n);
    if (!out) {
      rc = rc ? rc : 1;
    } else if (check || write) {
      size_t m = strlen(out);
      int same = m == n && !memcmp(out, in, n);
      if (!same && check) {
        fprintf(stderr, "%s: not in canonical layout (run: imhe fmt -w %s)\n", path, path);
        rc = rc ? rc : 1;
      } else if (!same && imhe_write_atomic(path, out, m, err, sizeof err) != 0) {
        fprintf(stderr, "imhe fmt: %s\n", err);
        rc = 2;
      }
    } else
      fputs(out, stdout);
    free(out);
    free(in);
  }
  return rc;
}

static int run(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage_main, stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (is_help(cmd) || !strcmp(cmd, "help")) {
    fputs(usage_main, stdout);
    return 0;
  }
  if (!strcmp(cmd, "--version")) {
    printf("imhe %s (bytecode format %d)\n", IMHE_VERSION, IMHE_FORMAT_VERSION);
    return 0;
  }
  if (!strcmp(cmd, "compile"))
    return cmd_compile(argc - 1, argv + 1);
  if (!strcmp(cmd, "disasm"))
    return cmd_disasm(argc - 1, argv + 1);
  if (!strcmp(cmd, "check"))
    return cmd_check(argc - 1, argv + 1);
  if (!strcmp(cmd, "fmt"))
    return cmd_fmt(argc - 1, argv + 1);
  fprintf(stderr, "imhe: unknown command '%s'\n\n%s", cmd, usage_main);
  return 2;
}

/* A report that could not reach standard output (a full disk behind a redirection, a closed
 * pipe) is an error, not a success with nothing written. */
int main(int argc, char **argv) {
  int rc = run(argc, argv);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "imhe: standard output: %s\n", strerror(errno ? errno : EIO));
    rc = 2;
  }
  return rc;
}
