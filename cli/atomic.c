/* atomic.c — temp file + fsync + rename, so readers never see a half-written file.
 * The temp file lives in the target's directory so the rename stays on one file system. */
#include "atomic.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int imhe_atomic_open(struct imhe_atomic_out *o, const char *path, char *err, size_t errlen) {
  snprintf(o->path, sizeof o->path, "%s", path);
  snprintf(o->tmp, sizeof o->tmp, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(o->tmp);
  if (fd < 0) {
    snprintf(err, errlen, "%s: cannot create a temporary file: %s", path, strerror(errno));
    return -1;
  }
  o->f = fdopen(fd, "wb");
  if (!o->f) {
    close(fd);
    unlink(o->tmp);
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  return 0;
}

void imhe_atomic_abort(struct imhe_atomic_out *o) {
  if (o->f)
    fclose(o->f);
  o->f = NULL;
  unlink(o->tmp);
}

int imhe_atomic_commit(struct imhe_atomic_out *o, char *err, size_t errlen) {
  int bad = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
  int saved = errno;
  if (fclose(o->f) != 0 && !bad) {
    bad = 1;
    saved = errno;
  }
  o->f = NULL;
  if (!bad && rename(o->tmp, o->path) != 0) {
    bad = 1;
    saved = errno;
  }
  if (bad) {
    unlink(o->tmp);
    snprintf(err, errlen, "%s: cannot write: %s", o->path, strerror(saved));
    return -1;
  }
  return 0;
}

int imhe_write_atomic(const char *path, const void *data, size_t n, char *err, size_t errlen) {
  struct imhe_atomic_out o;
  if (imhe_atomic_open(&o, path, err, errlen) != 0)
    return -1;
  if (fwrite(data, 1, n, o.f) != n) {
    snprintf(err, errlen, "%s: write failed: %s", path, strerror(errno));
    imhe_atomic_abort(&o);
    return -1;
  }
  return imhe_atomic_commit(&o, err, errlen);
}
