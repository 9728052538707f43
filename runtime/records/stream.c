/* stream.c — a record file as a stream: opened with its limits, read a document at a time (each
 * typed as it is parsed), closed. */
#include "runtime/records/stream.h"
#include "runtime/records/yaml.h"
#include <stdlib.h>
#include <string.h>

const struct imhe_read_limits imhe_default_limits = {
    .max_depth = 64,
    .max_scalar = 64 * 1024,
    .max_document = 4 * 1024 * 1024,
    .max_entries = 10000,
    .max_nodes = 200000,
    .max_directives = 16,
    .fifo_wait_ms = 10000,
};

struct imhe_loader *imhe_loader_open(const char *path, const struct imhe_read_limits *lim,
                                     char *err, size_t errlen) {
  struct imhe_loader *l = calloc(1, sizeof *l);
  if (!l)
    abort();
  l->lim = lim ? *lim : imhe_default_limits;
  if (imhe_yinput_open(&l->in, path, l->lim.max_document, l->lim.max_directives,
                       l->lim.fifo_wait_ms, err, errlen) != 0) {
    free(l);
    return NULL;
  }
  l->path_copy = strdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
  l->path = l->path_copy;
  return l;
}

/* A loader over bytes already opened: fd >= 0 reads that descriptor, else `bytes` in memory. */
static struct imhe_loader *open_other(int fd, const void *bytes, size_t len, const char *name,
                                      const struct imhe_read_limits *lim) {
  struct imhe_loader *l = calloc(1, sizeof *l);
  if (!l || !(l->path_copy = strdup(name))) {
    free(l);
    return NULL;
  }
  l->lim = lim ? *lim : imhe_default_limits;
  l->path = l->path_copy;
  if (fd >= 0)
    imhe_yinput_open_fd(&l->in, fd, l->path, l->lim.max_document, l->lim.max_directives);
  else
    imhe_yinput_open_mem(&l->in, bytes, len, l->path, l->lim.max_document, l->lim.max_directives);
  return l;
}

struct imhe_loader *imhe_loader_replayer(void) {
  struct imhe_loader *l = calloc(1, sizeof *l);
  if (!l)    /* GCOVR_EXCL_BR_LINE: out of memory */
    abort(); /* GCOVR_EXCL_LINE: out of memory */
  l->lim = imhe_default_limits;
  l->path = "";
  return l;
}

struct imhe_loader *imhe_loader_open_fd(int fd, const char *name,
                                        const struct imhe_read_limits *lim) {
  return open_other(fd, NULL, 0, name, lim);
}

struct imhe_loader *imhe_loader_open_mem(const void *bytes, size_t len, const char *name,
                                         const struct imhe_read_limits *lim) {
  return open_other(-1, bytes, len, name, lim);
}

void imhe_loader_keep_expect(struct imhe_loader *l, int on) {
  l->keep_expect = on;
}

void imhe_loader_on_notice(struct imhe_loader *l, imhe_notice_fn *fn, void *ctx) {
  l->notice = fn;
  l->notice_ctx = ctx;
}

uint64_t imhe_loader_bytes_read(const struct imhe_loader *l) {
  return l->in.consumed;
}

void imhe_loader_close(struct imhe_loader *l) {
  if (!l)
    return;
  if (l->live || l->kept)
    yaml_parser_delete(&l->parser);
  imhe_yinput_close(&l->in);
  if (l->rp_rec) {
    imhe_record_clear(l->rp_rec);
    free(l->rp_rec);
  }
  free(l->path_copy);
  free(l);
}

int imhe_loader_read_into(struct imhe_loader *l, struct imhe_record *r, int reuse) {
  return imhe_yaml_read(l, r, reuse);
}

int imhe_loader_read(struct imhe_loader *l, struct imhe_record *r) {
  return imhe_loader_read_into(l, r, 0);
}

int imhe_loader_next(struct imhe_loader *l, struct imhe_record *r) {
  return imhe_loader_read(l, r);
}

/* Records are typed as they are read (type.c): nothing is left to do. */
void imhe_record_type(struct imhe_record *r) {
  (void)r;
}
