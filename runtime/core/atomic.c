/* atomic.c — temp file + fsync + rename + directory fsync, so readers never see a half-written
 * file and a power cut cannot lose a completed one. The temp file lives in the target's directory
 * so the rename stays on one file system; every system call is retried on EINTR. */
#define _GNU_SOURCE /* fopencookie */
#include "runtime/core/atomic.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { STREAM_BUFFER = 1 << 16 };

/* The stream's sink: the whole buffer goes out, through short writes and interruptions; the first
 * failure sticks, so a report that lost a block can never be committed. */
static ssize_t sink_write(void *cookie, const char *buf, size_t n) {
  struct imhe_atomic_out *o = cookie;
  if (o->err) {
    errno = o->err;
    return -1;
  }
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(o->fd, buf + done, n - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      o->err = w < 0 ? errno : EIO;
      errno = o->err;
      return -1;
    }
    done += (size_t)w;
  }
  return (ssize_t)n;
}

static int open_retry(const char *path, int flags, mode_t mode) {
  int fd;
  do
    fd = open(path, flags, mode);
  while (fd < 0 && errno == EINTR);
  return fd;
}

static int fsync_retry(int fd) {
  int rc;
  do
    rc = fsync(fd);
  while (rc != 0 && errno == EINTR);
  return rc;
}

/* close(2) releases the descriptor even when it reports EINTR (Linux), so it is never retried;
 * an interrupted close of a file already synced has lost nothing. */
static int close_checked(int fd) {
  return close(fd) == 0 || errno == EINTR ? 0 : -1;
}

static void dir_of(const char *path, char *dir, size_t cap) {
  const char *sl = strrchr(path, '/');
  if (!sl)
    snprintf(dir, cap, ".");
  else if (sl == path)
    snprintf(dir, cap, "/");
  else
    snprintf(dir, cap, "%.*s", (int)(sl - path), path);
}

/* A fresh name beside the target, created exclusively: "<path>.tmp.XXXXXX". */
static int create_temp(struct imhe_atomic_out *o, mode_t mode) {
  static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  static unsigned counter;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t x = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 30 ^ (uint64_t)getpid() << 12 ^
               (uint64_t)(uintptr_t)o;
  for (int attempt = 0; attempt < 100; attempt++) {
    x += 0x9E3779B97F4A7C15ull * (++counter);
    uint64_t y = x;
    char suffix[7];
    for (int k = 0; k < 6; k++, y /= 36)
      suffix[k] = digits[y % 36];
    suffix[6] = 0;
    int n = snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%s", o->path, suffix);
    if (n < 0 || (size_t)n >= sizeof o->tmp) {
      errno = ENAMETOOLONG;
      return -1;
    }
    int fd = open_retry(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd >= 0 || errno != EEXIST)
      return fd;
  }
  errno = EEXIST;
  return -1;
}

int imhe_atomic_open(struct imhe_atomic_out *o, const char *path, char *err, size_t errlen) {
  memset(o, 0, sizeof *o);
  o->fd = -1;
  struct stat st;
  int exists = lstat(path, &st) == 0;
  /* follow a symlink: the file it names is replaced, the link stays */
  if (exists && S_ISLNK(st.st_mode) && realpath(path, o->path))
    exists = stat(o->path, &st) == 0;
  else if (strlen(path) >= sizeof o->path) {
    snprintf(err, errlen, "%.200s...: %s", path, strerror(ENAMETOOLONG));
    return -1;
  } else
    snprintf(o->path, sizeof o->path, "%s", path);
  if (exists && S_ISDIR(st.st_mode)) {
    snprintf(err, errlen, "%s: %s", path, strerror(EISDIR));
    return -1;
  }
  int fd;
  if (exists && !S_ISREG(st.st_mode)) {
    /* a device or a FIFO (-o /dev/null) cannot be replaced: write to it as it is */
    o->direct = 1;
    fd = open_retry(o->path, O_WRONLY | O_CLOEXEC, 0);
    if (fd < 0) {
      snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
      return -1;
    }
  } else {
    fd = create_temp(o, 0666);
    if (fd < 0) {
      char dir[PATH_MAX];
      dir_of(o->path, dir, sizeof dir);
      snprintf(err, errlen, "%s: cannot create a temporary file in %s: %s", path, dir,
               strerror(errno));
      return -1;
    }
    /* the new file keeps the permissions of the one it replaces */
    if (exists)
      (void)fchmod(fd, st.st_mode & 07777);
  }
  o->fd = fd;
  cookie_io_functions_t io = {.write = sink_write};
  o->f = fopencookie(o, "w", io);
  /* glibc ignores the size asked for unless it is given the buffer: large reports go out in
   * 64 KiB writes rather than 8 KiB ones */
  o->buf = malloc(STREAM_BUFFER);
  if (!o->f || !o->buf || setvbuf(o->f, o->buf, _IOFBF, STREAM_BUFFER) != 0) {
    int e = errno;
    imhe_atomic_abort(o);
    snprintf(err, errlen, "%s: %s", path, strerror(e));
    return -1;
  }
  return 0;
}

void imhe_atomic_abort(struct imhe_atomic_out *o) {
  if (o->f) {
    o->err = o->err ? o->err : ECANCELED; /* nothing buffered goes out */
    fclose(o->f);
  }
  o->f = NULL;
  free(o->buf);
  o->buf = NULL;
  if (o->fd >= 0)
    close(o->fd);
  o->fd = -1;
  if (!o->direct)
    unlink(o->tmp);
}

/* Records the first failure as "PATH: what: why" and returns -1. */
static int failed(struct imhe_atomic_out *o, char *err, size_t errlen, const char *what, int e) {
  snprintf(err, errlen, "%s: %s: %s", o->path, what, strerror(e));
  if (o->fd >= 0)
    close(o->fd);
  o->fd = -1;
  if (!o->direct)
    unlink(o->tmp);
  return -1;
}

int imhe_atomic_commit(struct imhe_atomic_out *o, char *err, size_t errlen) {
  int flushed = fflush(o->f) == 0 && !ferror(o->f) && !o->err;
  int e = o->err ? o->err : errno;
  if (!flushed)
    o->err = e;
  fclose(o->f); /* the sink writes nothing more: any failure is already in o->err */
  o->f = NULL;
  free(o->buf);
  o->buf = NULL;
  if (!flushed)
    return failed(o, err, errlen, "cannot write", e);
  if (o->direct) {
    int rc = close_checked(o->fd);
    o->fd = -1;
    return rc ? failed(o, err, errlen, "cannot write", errno) : 0;
  }
  if (fsync_retry(o->fd) != 0)
    return failed(o, err, errlen, "cannot write", errno);
  int rc = close_checked(o->fd);
  o->fd = -1;
  if (rc)
    return failed(o, err, errlen, "cannot write", errno);

  char dir[PATH_MAX];
  dir_of(o->path, dir, sizeof dir);
  int dfd = open_retry(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (dfd < 0)
    return failed(o, err, errlen, "cannot open its directory to sync it", errno);
  do
    rc = rename(o->tmp, o->path);
  while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    e = errno;
    close(dfd);
    return failed(o, err, errlen, "cannot replace", e);
  }
  /* The new file is in place; without this sync a power cut could still bring back the old one.
   * A file system that cannot sync a directory (EINVAL) has nothing to make durable. */
  rc = fsync_retry(dfd);
  e = errno;
  if (rc != 0 && e != EINVAL && e != ENOTSUP) {
    close(dfd);
    snprintf(err, errlen, "%s: written, but its directory %s could not be synced: %s", o->path, dir,
             strerror(e));
    return -1;
  }
  if (close_checked(dfd) != 0) {
    snprintf(err, errlen, "%s: written, but its directory %s could not be synced: %s", o->path, dir,
             strerror(errno));
    return -1;
  }
  return 0;
}

int imhe_write_atomic(const char *path, const void *data, size_t n, char *err, size_t errlen) {
  struct imhe_atomic_out o;
  if (imhe_atomic_open(&o, path, err, errlen) != 0)
    return -1;
  /* straight to the file in one write, past the stream's buffer; a failure sticks in o.err */
  if (n)
    sink_write(&o, data, n);
  return imhe_atomic_commit(&o, err, errlen);
}
