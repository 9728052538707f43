/* pack.c — imhe_pack_paths: YAML files (or packs) read and typed once, their records written to a
 * .imhepack so that judging the population again skips parsing (runtime/records/pack.c). */
#include "runtime/records/pack.h"
#include "api/internal.h"
#include "runtime/core/atomic.h"
#include "runtime/records/stream.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct packing {
  struct imhe_pack_builder *b;
  char io[600]; /* the first read error, empty while none */
};

static void on_notice(void *ctx, int severity, const struct imhe_msg *m) {
  struct packing *pk = ctx;
  if (severity == IMHE_NOTICE_IO && !pk->io[0])
    snprintf(pk->io, sizeof pk->io, "%s: %s", m->file, m->text);
  else
    imhe_pack_add_note(pk->b, severity, m);
}

/* The records of a pack given as input, added again (so packs can be joined). 1 when path is a
 * pack (added, or -1 with err set when damaged), 0 when it is not one. */
static int add_pack(struct packing *pk, const char *path, imhe_error *err) {
  struct stat st;
  char magic[8];
  if (!strcmp(path, "-") || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
    return 0; /* standard input, a FIFO (never opened here: it would block) or a missing file */
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  int is = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && fread(magic, 1, 8, f) == 8 &&
           imhe_pack_is(magic, 8);
  uint8_t *data = is ? malloc((size_t)st.st_size) : NULL;
  size_t n = 0;
  if (data) {
    rewind(f);
    n = fread(data, 1, (size_t)st.st_size, f);
  }
  fclose(f);
  if (!is)
    return 0;
  struct imhe_pack p;
  char msg[512];
  if (!data || imhe_pack_open(&p, data, n, 1, msg, sizeof msg) != 0) {
    free(data);
    imhe_fail_at(err, IMHE_IO, path, 0, 0, "%s: damaged or invalid pack: %s", path,
                 data ? msg : "out of memory");
    return -1;
  }
  struct imhe_record r;
  memset(&r, 0, sizeof r);
  uint32_t note = 0, before;
  int sev, bad = 0;
  struct imhe_msg m;
  for (uint32_t i = 0; i <= p.nrecords && !bad; i++) {
    for (; imhe_pack_note(&p, note, &sev, &before, &m) == 0 && before <= i; note++)
      imhe_pack_add_note(pk->b, sev, &m);
    if (i < p.nrecords && !(bad = imhe_pack_record(&p, i, &r, i > 0, msg, sizeof msg) != 0))
      imhe_pack_add_record(pk->b, &r);
  }
  if (p.nrecords)
    imhe_record_clear(&r);
  imhe_pack_close(&p);
  free(data);
  if (bad) {
    imhe_fail_at(err, IMHE_IO, path, 0, 0, "%s: damaged or invalid pack: %s", path, msg);
    return -1;
  }
  return 1;
}

/* The records of one YAML file, typed; -1 with err set when it cannot be read. */
static int add_yaml(struct packing *pk, const char *path, imhe_error *err) {
  char msg[700];
  struct imhe_loader *l = imhe_loader_open(path, NULL, msg, sizeof msg);
  if (!l) {
    imhe_fail_at(err, IMHE_IO, path, 0, 0, "%s", msg);
    return -1;
  }
  imhe_loader_on_notice(l, on_notice, pk);
  struct imhe_record r;
  memset(&r, 0, sizeof r);
  int reuse = 0;
  while (imhe_loader_read_into(l, &r, reuse) == 1) {
    imhe_record_type(&r);
    imhe_pack_add_record(pk->b, &r);
    reuse = 1;
  }
  imhe_loader_close(l); /* the last record's arena went with the loader's end of stream */
  if (pk->io[0]) {
    imhe_fail_at(err, IMHE_IO, path, 0, 0, "%s", pk->io);
    return -1;
  }
  return 0;
}

IMHE_API imhe_code imhe_pack_paths(const char *const *paths, size_t n, const char *out,
                                   size_t *records, imhe_error *err) {
  if (records)
    *records = 0;
  if (!paths || !n || !out)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_pack_paths: NULL argument or no path");
  for (size_t i = 0; i < n; i++)
    if (!paths[i])
      return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_pack_paths: path %zu is NULL", i + 1);
  struct packing pk = {imhe_pack_builder_new(), ""};
  if (!pk.b)                                                /* GCOVR_EXCL_BR_LINE: out of memory */
    return imhe_fail(err, IMHE_NO_MEMORY, "out of memory"); /* GCOVR_EXCL_LINE: out of memory */
  for (size_t i = 0; i < n; i++) {
    int k = add_pack(&pk, paths[i], err);
    if (k == 0)
      k = add_yaml(&pk, paths[i], err) == 0 ? 1 : -1;
    if (k < 0) {
      imhe_pack_builder_free(pk.b);
      return err ? err->code : IMHE_IO;
    }
  }
  uint32_t count = imhe_pack_builder_records(pk.b);
  uint8_t *bytes;
  size_t len;
  char msg[700];
  if (imhe_pack_finish(pk.b, &bytes, &len, msg, sizeof msg) != 0)
    return imhe_fail_at(err, IMHE_IO, out, 0, 0, "%s: %s", out, msg);
  int rc = imhe_write_atomic(out, bytes, len, msg, sizeof msg);
  free(bytes);
  if (rc != 0)
    return imhe_fail_at(err, IMHE_IO, out, 0, 0, "%s", msg);
  if (records)
    *records = count;
  return imhe_ok(err);
}
