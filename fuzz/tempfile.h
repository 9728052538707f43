/* tempfile.h — the fuzz harnesses hand their input to file-reading code through a temp file.
 * Header-only so each harness stays one translation unit for libFuzzer. */
#ifndef IMHE_FUZZ_TEMPFILE_H
#define IMHE_FUZZ_TEMPFILE_H

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* Writes data to a new file named from tmpl (which mkstemp rewrites); 0 on success. */
static inline int fuzz_tempfile(char *tmpl, const uint8_t *data, size_t size) {
  int fd = mkstemp(tmpl);
  if (fd < 0)
    return -1;
  int ok = write(fd, data, size) == (ssize_t)size;
  close(fd);
  if (!ok) {
    unlink(tmpl);
    return -1;
  }
  return 0;
}

#endif
