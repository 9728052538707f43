/* fault.c — runs a writing command under the fault shim once per file-system call it makes, and
 * under SIGKILL at random moments, comparing its directories with snapshots after every run. */
#include "fault.h"
#include "helpers.h"
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { MAX_FILES = 64, MAX_CALLS = 4096 };

struct file {
  char *name, *data;
  size_t len;
};

/* The regular files of a directory and their contents. */
struct snap {
  struct file f[MAX_FILES];
  int n;
};

static void snap_take(const char *dir, struct snap *s) {
  s->n = 0;
  DIR *d = opendir(dir);
  cr_assert(d, "cannot list %s", dir);
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
      continue;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat st;
    cr_assert(stat(path, &st) == 0 && S_ISREG(st.st_mode), "%s is not a regular file", path);
    cr_assert_lt(s->n, MAX_FILES, "too many files in %s", dir);
    struct file *f = &s->f[s->n++];
    f->name = strdup(e->d_name);
    f->data = read_all(path, &f->len);
    cr_assert(f->data, "cannot read %s", path);
  }
  closedir(d);
}

static void snap_free(struct snap *s) {
  for (int i = 0; i < s->n; i++) {
    free(s->f[i].name);
    free(s->f[i].data);
  }
  s->n = 0;
}

static const struct file *snap_find(const struct snap *s, const char *name) {
  for (int i = 0; i < s->n; i++)
    if (!strcmp(s->f[i].name, name))
      return &s->f[i];
  return NULL;
}

/* Counts a broken guarantee and keeps its description while there is room. */
static void violation(int *count, char *buf, size_t cap, const char *fmt, ...) {
  (*count)++;
  size_t n = strlen(buf);
  if (n + 200 >= cap)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + n, cap - n - 1, fmt, ap);
  va_end(ap);
  n = strlen(buf);
  buf[n] = '\n';
  buf[n + 1] = 0;
}

static int same(const struct file *a, const struct file *b) {
  return a && b && a->len == b->len && !memcmp(a->data, b->data, a->len);
}

static int snaps_equal(const struct snap *a, const struct snap *b) {
  if (a->n != b->n)
    return 0;
  for (int i = 0; i < a->n; i++)
    if (!same(&a->f[i], snap_find(b, a->f[i].name)))
      return 0;
  return 1;
}

/* Puts the directory back as `s` has it: other files removed, its files rewritten. */
static void snap_restore(const char *dir, const struct snap *s) {
  struct snap now;
  snap_take(dir, &now);
  char path[PATH_MAX];
  for (int i = 0; i < now.n; i++)
    if (!snap_find(s, now.f[i].name)) {
      snprintf(path, sizeof path, "%s/%s", dir, now.f[i].name);
      unlink(path);
    }
  for (int i = 0; i < s->n; i++)
    if (!same(&s->f[i], snap_find(&now, s->f[i].name))) {
      snprintf(path, sizeof path, "%s/%s", dir, s->f[i].name);
      cr_assert_eq(write_all(path, s->f[i].data, s->f[i].len), 0, "cannot restore %s", path);
    }
  snap_free(&now);
}

const char *fault_shim(void) {
  static char path[PATH_MAX];
  const char *e = getenv("IMHE_FAULTSHIM");
  char guess[PATH_MAX];
  if (e && *e)
    snprintf(guess, sizeof guess, "%s", e);
  else {
    snprintf(guess, sizeof guess, "%s", imhe_bin());
    char *sl = strrchr(guess, '/');
    size_t at = sl ? (size_t)(sl - guess + 1) : 0;
    snprintf(guess + at, sizeof guess - at, "tests/faultshim.so");
  }
  cr_assert(realpath(guess, path), "no fault shim at %s (make builds it)", guess);
  return path;
}

/* One counted call of the undisturbed run, from the shim's log. */
struct call {
  char what[16];
  char path[PATH_MAX];
  int dir; /* index of the fault_dir it touches */
};

static int dir_of_path(const struct fault_case *c, const char *path) {
  int best = -1;
  size_t bestlen = 0;
  for (int i = 0; i < c->ndirs; i++) {
    size_t n = strlen(c->dirs[i].path);
    if (!strncmp(path, c->dirs[i].path, n) && (path[n] == '/' || !path[n]) && n > bestlen) {
      best = i;
      bestlen = n;
    }
  }
  return best;
}

/* Runs the command under the shim; returns its exit status, stderr in *err (malloc'd). */
static int run_shimmed(const struct fault_case *c, int at, const char *mode, const char *scratch,
                       char **err) {
  char dirs[2048] = "", cmd[8192], log[PATH_MAX], errpath[PATH_MAX];
  for (int i = 0; i < c->ndirs; i++)
    snprintf(dirs + strlen(dirs), sizeof dirs - strlen(dirs), "%s%s", i ? ":" : "",
             c->dirs[i].path);
  snprintf(log, sizeof log, "%s/calls.log", scratch);
  snprintf(errpath, sizeof errpath, "%s/stderr", scratch);
  unlink(log);
  snprintf(cmd, sizeof cmd,
           "IMHE_FAULT_DIRS='%s' IMHE_FAULT_AT=%d IMHE_FAULT_ERRNO=%s IMHE_FAULT_LOG='%s' "
           "LD_PRELOAD='%s' ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}"
           "verify_asan_link_order=0\" %s >/dev/null 2>'%s'",
           dirs, at, mode, log, fault_shim(), c->cmd, errpath);
  int rc = run_cmd(cmd, NULL);
  *err = read_all(errpath, NULL);
  if (!*err)
    *err = strdup("");
  return rc;
}

static int read_calls(const struct fault_case *c, const char *scratch, struct call *calls) {
  char log[PATH_MAX];
  snprintf(log, sizeof log, "%s/calls.log", scratch);
  FILE *f = fopen(log, "r");
  if (!f)
    return 0;
  int n = 0;
  char line[PATH_MAX + 64];
  while (fgets(line, sizeof line, f) && n < MAX_CALLS) {
    int k;
    struct call *cl = &calls[n];
    if (sscanf(line, "%d %15s %4095s", &k, cl->what, cl->path) != 3)
      continue;
    cl->dir = dir_of_path(c, cl->path);
    n++;
  }
  fclose(f);
  return n;
}

static int fault_happened(const char *scratch) {
  char log[PATH_MAX];
  snprintf(log, sizeof log, "%s/calls.log", scratch);
  char *text = read_all(log, NULL);
  int hit = text && strstr(text, " FAULT\n");
  free(text);
  return hit;
}

#define FAULT(st, ...)                                                                             \
  violation(&(st)->violations, (st)->problems, sizeof(st)->problems, __VA_ARGS__)

/* Every file in dir i is its old or its new self, and nothing else is there. Returns 1 when the
 * directory is exactly as the undisturbed run left it. */
static int check_dir(const struct fault_case *c, int i, const struct snap *base,
                     const struct snap *ref, const char *what, struct fault_stats *st) {
  struct snap now;
  snap_take(c->dirs[i].path, &now);
  for (int k = 0; k < now.n; k++) {
    const struct file *f = &now.f[k], *b = snap_find(base, f->name), *r = snap_find(ref, f->name);
    if (!b && !r)
      FAULT(st, "%s: %s/%s left behind", what, c->dirs[i].path, f->name);
    else if (!same(f, b) && !same(f, r))
      FAULT(st, "%s: %s/%s is neither its old nor its new content", what, c->dirs[i].path, f->name);
  }
  for (int k = 0; k < base->n; k++)
    if (!snap_find(&now, base->f[k].name))
      FAULT(st, "%s: %s/%s was lost", what, c->dirs[i].path, base->f[k].name);
  int exact = snaps_equal(&now, ref);
  snap_free(&now);
  return exact;
}

/* The base name of a file the undisturbed run created or changed in dir i. */
static const char *changed_name(const struct snap *base, const struct snap *ref) {
  for (int k = 0; k < ref->n; k++)
    if (!same(&ref->f[k], snap_find(base, ref->f[k].name)))
      return ref->f[k].name;
  return NULL;
}

void fault_sweep(const struct fault_case *c, struct fault_stats *st) {
  memset(st, 0, sizeof *st);
  char *scratch = temp_dir();
  struct snap base[4], ref[4];
  for (int i = 0; i < c->ndirs; i++)
    snap_take(c->dirs[i].path, &base[i]);

  /* the undisturbed run: its outcome, its outputs and its calls */
  char *err;
  int ok = run_shimmed(c, 0, "EIO", scratch, &err);
  cr_assert(ok == 0 || ok == 1, "%s: exits %d undisturbed: %s", c->name, ok, err);
  free(err);
  int hard_changes = 0;
  for (int i = 0; i < c->ndirs; i++) {
    snap_take(c->dirs[i].path, &ref[i]);
    hard_changes += !c->dirs[i].soft && changed_name(&base[i], &ref[i]);
  }
  cr_assert(hard_changes, "%s: the command changed no file", c->name);
  struct call *calls = calloc(MAX_CALLS, sizeof *calls);
  int ncalls = read_calls(c, scratch, calls);
  cr_assert_gt(ncalls, 0, "%s: no file-system call was seen in the directories", c->name);
  st->calls = ncalls;
  st->runs = 1;

  static const char *const modes[] = {"ENOSPC", "EIO", "EINTR", "SHORT"};
  static const int errnos[] = {ENOSPC, EIO, EINTR, 0};
  for (int m = 0; m < 4; m++)
    for (int at = 1; at <= ncalls; at++) {
      const struct call *cl = &calls[at - 1];
      int short_write = errnos[m] == 0;
      if (short_write && strcmp(cl->what, "write"))
        continue;
      st->writes += short_write;
      for (int i = 0; i < c->ndirs; i++)
        snap_restore(c->dirs[i].path, &base[i]);
      int rc = run_shimmed(c, at, modes[m], scratch, &err);
      st->runs++;
      char what[PATH_MAX + 200];
      snprintf(what, sizeof what, "%s: call %d (%s %s) failing with %s", c->name, at, cl->what,
               cl->path, modes[m]);
      if (!fault_happened(scratch))
        FAULT(st, "%s: the call was not reached", what);
      int all_exact = 1;
      for (int i = 0; i < c->ndirs; i++) {
        int exact = check_dir(c, i, &base[i], &ref[i], what, st);
        all_exact &= exact || c->dirs[i].soft;
        if ((errnos[m] == EINTR || short_write) && !exact)
          FAULT(st, "%s: the outputs in %s differ from an undisturbed run's", what,
                c->dirs[i].path);
      }
      int hard = cl->dir >= 0 && !c->dirs[cl->dir].soft;
      if (errnos[m] == EINTR || short_write || !hard) {
        if (rc != ok)
          FAULT(st, "%s: exit %d, undisturbed %d; stderr: %s", what, rc, ok, err);
        if (!all_exact)
          FAULT(st, "%s: the outputs differ from an undisturbed run's", what);
      } else {
        if (rc != 2)
          FAULT(st, "%s: exit %d, expected 2; stderr: %s", what, rc, err);
        const char *name = changed_name(&base[cl->dir], &ref[cl->dir]);
        if (!name || !strstr(err, name))
          FAULT(st, "%s: the message does not name %s: %s", what, name ? name : "?", err);
        if (!strstr(err, strerror(errnos[m])))
          FAULT(st, "%s: the message does not say '%s': %s", what, strerror(errnos[m]), err);
      }
      free(err);
    }
  for (int i = 0; i < c->ndirs; i++) {
    snap_restore(c->dirs[i].path, &base[i]);
    snap_free(&base[i]);
    snap_free(&ref[i]);
  }
  free(calls);
  char rm[PATH_MAX + 10];
  snprintf(rm, sizeof rm, "rm -rf %s", scratch);
  run_cmd(rm, NULL);
  free(scratch);
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void kill_sweep(const struct fault_case *c, int runs, struct kill_stats *st) {
  memset(st, 0, sizeof *st);
  struct snap base[4], ref[4];
  for (int i = 0; i < c->ndirs; i++)
    snap_take(c->dirs[i].path, &base[i]);
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "%s >/dev/null 2>&1", c->cmd);
  double t0 = now_seconds();
  int ok = run_cmd(cmd, NULL);
  double took = now_seconds() - t0;
  cr_assert(ok == 0 || ok == 1, "%s: exits %d undisturbed", c->name, ok);
  for (int i = 0; i < c->ndirs; i++)
    snap_take(c->dirs[i].path, &ref[i]);
  unsigned seed = 20260101;
  for (int r = 0; r < runs; r++) {
    for (int i = 0; i < c->ndirs; i++)
      snap_restore(c->dirs[i].path, &base[i]);
    /* anywhere from the start to half again the undisturbed run time: most kills land while the
     * output is being written, some after it is complete */
    long delay_us = (long)((double)rand_r(&seed) / RAND_MAX * took * 1.5e6);
    pid_t pid = fork();
    cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
    if (pid == 0) {
      setpgid(0, 0);
      execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
      _exit(127);
    }
    setpgid(pid, pid);
    struct timespec ts = {delay_us / 1000000, delay_us % 1000000 * 1000};
    nanosleep(&ts, NULL);
    kill(-pid, SIGKILL); /* the shell and the command it started */
    waitpid(pid, NULL, 0);
    st->runs++;
    int all_old = 1, all_new = 1, temps = 0;
    char what[300];
    snprintf(what, sizeof what, "%s: run %d killed after %ld us", c->name, r + 1, delay_us);
    for (int i = 0; i < c->ndirs; i++) {
      struct snap now;
      snap_take(c->dirs[i].path, &now);
      for (int k = 0; k < now.n; k++) {
        const struct file *f = &now.f[k], *b = snap_find(&base[i], f->name),
                          *n = snap_find(&ref[i], f->name);
        if (!b && !n) {
          /* a temp file: only beside a file the command writes */
          int beside = 0;
          for (int j = 0; j < ref[i].n; j++) {
            size_t l = strlen(ref[i].f[j].name);
            beside |= !strncmp(f->name, ref[i].f[j].name, l) && !strncmp(f->name + l, ".tmp.", 5);
          }
          if (!beside)
            FAULT(st, "%s: unexpected file %s/%s", what, c->dirs[i].path, f->name);
          temps = 1;
          continue;
        }
        if (!same(f, b) && !same(f, n))
          FAULT(st, "%s: %s/%s is a mix of old and new (%zu bytes)", what, c->dirs[i].path, f->name,
                f->len);
        if (!c->dirs[i].soft) {
          all_old &= b ? same(f, b) : 0;
          all_new &= same(f, n);
        }
      }
      for (int k = 0; k < base[i].n; k++)
        if (!snap_find(&now, base[i].f[k].name))
          FAULT(st, "%s: %s/%s was lost", what, c->dirs[i].path, base[i].f[k].name);
      if (!c->dirs[i].soft)
        for (int k = 0; k < ref[i].n; k++)
          if (!snap_find(&now, ref[i].f[k].name))
            all_new = 0;
      snap_free(&now);
    }
    st->old += all_old && !all_new;
    st->updated += all_new;
    st->temps += temps;
  }
  for (int i = 0; i < c->ndirs; i++) {
    snap_restore(c->dirs[i].path, &base[i]);
    snap_free(&base[i]);
    snap_free(&ref[i]);
  }
}
