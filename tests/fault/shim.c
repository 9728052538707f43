/* shim.c — an LD_PRELOAD library that makes the N-th file-system call of a command fail, so the
 * tests can show every writer survives ENOSPC, EIO, EINTR and short writes at every step.
 *
 * Only calls on files under the directories in IMHE_FAULT_DIRS are counted: open/openat of such a
 * path (or of the directory itself), write/fsync/fdatasync/close of a descriptor so opened, and
 * rename/renameat with either path there; a descriptor duplicated with dup/dup2/dup3 stays
 * tracked (not counted). stdio reaches write(2) through the writer's own stream,
 * so fwrite/fflush/fclose failures are covered by write and close. Environment:
 *   IMHE_FAULT_DIRS   colon-separated absolute directories (required; nothing is counted without)
 *   IMHE_FAULT_AT     the counted call to fail, from 1 (unset or 0: none, just count)
 *   IMHE_FAULT_ERRNO  ENOSPC, EIO or EINTR (the call fails with it; a close still releases the
 *                     descriptor, as Linux does), or SHORT (a write writes half and says so)
 *   IMHE_FAULT_LOG    file to which each counted call is appended: "N call path[ FAULT]" */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_FD = 4096, MAX_DIRS = 8 };

static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_close)(int);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_dup)(int);
static int (*real_dup2)(int, int);
static int (*real_dup3)(int, int, int);

static char dirs[MAX_DIRS][1024];
static int ndirs, fail_at, fail_errno, short_write, log_fd = -1, ready;
static unsigned long calls;
static char *fd_path[MAX_FD]; /* the counted path each tracked descriptor was opened on */

static void init(void) {
  if (ready)
    return;
  real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
  real_openat = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
  real_write = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
  real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
  real_rename = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
  real_renameat = (int (*)(int, const char *, int, const char *))dlsym(RTLD_NEXT, "renameat");
  real_dup = (int (*)(int))dlsym(RTLD_NEXT, "dup");
  real_dup2 = (int (*)(int, int))dlsym(RTLD_NEXT, "dup2");
  real_dup3 = (int (*)(int, int, int))dlsym(RTLD_NEXT, "dup3");
  const char *d = getenv("IMHE_FAULT_DIRS");
  while (d && *d && ndirs < MAX_DIRS) {
    size_t n = strcspn(d, ":");
    if (n && n < sizeof dirs[0]) {
      memcpy(dirs[ndirs], d, n);
      dirs[ndirs][n] = 0;
      while (n > 1 && dirs[ndirs][n - 1] == '/')
        dirs[ndirs][--n] = 0;
      ndirs++;
    }
    d += n + (d[n] == ':');
  }
  const char *at = getenv("IMHE_FAULT_AT");
  fail_at = at ? atoi(at) : 0;
  const char *e = getenv("IMHE_FAULT_ERRNO");
  fail_errno = !e || !strcmp(e, "EIO") ? EIO : !strcmp(e, "ENOSPC") ? ENOSPC : EINTR;
  short_write = e && !strcmp(e, "SHORT");
  const char *lg = getenv("IMHE_FAULT_LOG");
  if (lg)
    log_fd = real_open(lg, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  ready = 1;
}

__attribute__((constructor)) static void shim_start(void) {
  init();
}

/* Whether `path` (made absolute against the working directory) lies in a watched directory. */
static int watched(const char *path) {
  if (!path)
    return 0;
  char abs[4096];
  if (path[0] != '/') {
    if (!getcwd(abs, sizeof abs))
      return 0;
    size_t n = strlen(abs);
    snprintf(abs + n, sizeof abs - n, "/%s", path);
    path = abs;
  }
  for (int i = 0; i < ndirs; i++) {
    size_t n = strlen(dirs[i]);
    if (!strncmp(path, dirs[i], n) && (path[n] == '/' || path[n] == 0))
      return 1;
  }
  return 0;
}

/* Counts a call; returns 1 when this one is to fail. */
static int count(const char *name, const char *path) {
  unsigned long n = __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
  int hit = fail_at > 0 && n == (unsigned long)fail_at;
  if (log_fd >= 0) {
    char line[4300];
    int k = snprintf(line, sizeof line, "%lu %s %s%s\n", n, name, path ? path : "?",
                     hit ? " FAULT" : "");
    if (k > 0)
      real_write(log_fd, line, (size_t)k < sizeof line ? (size_t)k : sizeof line - 1);
  }
  return hit;
}

static const char *tracked(int fd) {
  return fd >= 0 && fd < MAX_FD ? fd_path[fd] : NULL;
}

static void track(int fd, const char *path) {
  if (fd >= 0 && fd < MAX_FD) {
    free(fd_path[fd]);
    fd_path[fd] = strdup(path);
  }
}

static int do_open(int dirfd, const char *path, int flags, mode_t mode, int at) {
  init();
  int counted = watched(path) || (at && path && path[0] != '/' && tracked(dirfd));
  if (counted && count(at ? "openat" : "open", path) && !short_write) {
    errno = fail_errno;
    return -1;
  }
  int fd = at ? real_openat(dirfd, path, flags, mode) : real_open(path, flags, mode);
  if (counted && fd >= 0)
    track(fd, path);
  return fd;
}

static mode_t mode_arg(int flags, va_list ap) {
  return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  return do_open(AT_FDCWD, path, flags, mode, 0);
}

int open64(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  return do_open(AT_FDCWD, path, flags, mode, 0);
}

int openat(int dirfd, const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  return do_open(dirfd, path, flags, mode, 1);
}

int openat64(int dirfd, const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  return do_open(dirfd, path, flags, mode, 1);
}

ssize_t write(int fd, const void *buf, size_t n) {
  init();
  const char *p = tracked(fd);
  if (p && count("write", p)) {
    if (short_write && n > 1)
      return real_write(fd, buf, n / 2);
    if (!short_write) {
      errno = fail_errno;
      return -1;
    }
  }
  return real_write(fd, buf, n);
}

static int sync_call(int fd, const char *name, int (*real)(int)) {
  init();
  const char *p = tracked(fd);
  if (p && count(name, p) && !short_write) {
    errno = fail_errno;
    return -1;
  }
  return real(fd);
}

int fsync(int fd) {
  return sync_call(fd, "fsync", real_fsync);
}

int fdatasync(int fd) {
  return sync_call(fd, "fdatasync", real_fdatasync);
}

int close(int fd) {
  init();
  const char *p = tracked(fd);
  int hit = p && count("close", p) && !short_write;
  if (p) {
    free(fd_path[fd]);
    fd_path[fd] = NULL;
  }
  int rc = real_close(fd); /* the descriptor is released whatever is reported, as on Linux */
  if (hit) {
    errno = fail_errno;
    return -1;
  }
  return rc;
}

int rename(const char *from, const char *to) {
  init();
  if ((watched(from) || watched(to)) && count("rename", to) && !short_write) {
    errno = fail_errno;
    return -1;
  }
  return real_rename(from, to);
}

int renameat(int fromfd, const char *from, int tofd, const char *to) {
  init();
  int w = (fromfd == AT_FDCWD && watched(from)) || (tofd == AT_FDCWD && watched(to)) ||
          tracked(fromfd) || tracked(tofd);
  if (w && count("renameat", to) && !short_write) {
    errno = fail_errno;
    return -1;
  }
  return real_renameat(fromfd, from, tofd, to);
}

/* Duplicates follow their original, so a program that moves its output to fd 1 is still seen. */
static int duplicated(int from, int to) {
  const char *p = tracked(from);
  if (to >= 0 && to < MAX_FD && to != from) {
    free(fd_path[to]);
    fd_path[to] = p ? strdup(p) : NULL;
  }
  return to;
}

int dup(int fd) {
  init();
  return duplicated(fd, real_dup(fd));
}

int dup2(int fd, int to) {
  init();
  return duplicated(fd, real_dup2(fd, to));
}

int dup3(int fd, int to, int flags) {
  init();
  return duplicated(fd, real_dup3(fd, to, flags));
}
