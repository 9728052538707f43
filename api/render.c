/* render.c — reports through the reporter table: one record into a caller's buffer, or a stream of
 * records to a FILE * with the format's beginning and end. */
#include "api/internal.h"
#include "runtime/report/reporter.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct imhe_reporter {
  const struct imhe_reporter_ops *ops;
  FILE *f;
  imhe_render_options o;
  struct sbuf b;
  int begun;
  FILE *bodies; /* formats with an index: the records' reports until the index is closed */
};

IMHE_API const char *imhe_reporter_name(size_t i) {
  size_t n = 0;
  while (imhe_reporter_table[n])
    n++;
  return i < n ? imhe_reporter_table[i]->name : NULL;
}

static imhe_code unknown(const char *name, imhe_error *err) {
  struct sbuf known = {0};
  for (size_t i = 0; imhe_reporter_table[i]; i++) {
    sb_puts(&known, i ? ", " : "");
    sb_puts(&known, imhe_reporter_table[i]->name);
  }
  sb_putc(&known, 0);
  imhe_code rc =
      imhe_fail(err, IMHE_NOT_FOUND, "unknown format '%.60s' (%s)", name ? name : "", known.v);
  free(known.v);
  return rc;
}

/* Moves what the reporter wrote to its file. */
static imhe_code flush_to(struct imhe_reporter *rep, imhe_error *err) {
  if (rep->b.n && fwrite(rep->b.v, 1, rep->b.n, rep->f) != rep->b.n)
    return imhe_fail(err, IMHE_IO, "cannot write the report: %s", strerror(errno));
  rep->b.n = 0;
  return IMHE_OK;
}

IMHE_API imhe_code imhe_reporter_open(const char *name, FILE *f, const imhe_render_options *opts,
                                      imhe_reporter **out, imhe_error *err) {
  if (out)
    *out = NULL;
  if (!name || !f || !out)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_reporter_open: NULL argument");
  const struct imhe_reporter_ops *ops = imhe_reporter_find(name);
  if (!ops)
    return unknown(name, err);
  struct imhe_reporter *rep = calloc(1, sizeof *rep);
  if (!rep)
    return imhe_fail(err, IMHE_NO_MEMORY, "out of memory");
  rep->ops = ops;
  rep->f = f;
  if (opts)
    rep->o = *opts;
  *out = rep;
  return imhe_ok(err);
}

static const struct imhe_result *checked(const imhe_result *res) {
  return res && res->record ? res : NULL;
}

/* A record's report for a format with an index: the row goes out now, the report to the
 * temporary file (memory stays flat however long the batch). */
static imhe_code write_indexed(struct imhe_reporter *rep, const imhe_result *res, imhe_error *err) {
  if (!rep->bodies && !(rep->bodies = tmpfile()))
    return imhe_fail(err, IMHE_IO, "cannot make a temporary file for the report: %s",
                     strerror(errno));
  rep->ops->index(&rep->b, res, &rep->o);
  imhe_code rc = flush_to(rep, err);
  if (rc)
    return rc;
  rep->ops->record(&rep->b, res, &rep->o);
  FILE *f = rep->f;
  rep->f = rep->bodies;
  rc = flush_to(rep, err);
  rep->f = f;
  return rc;
}

IMHE_API imhe_code imhe_reporter_write(imhe_reporter *rep, const imhe_result *res,
                                       imhe_error *err) {
  if (!rep || !checked(res))
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_reporter_write: NULL argument");
  if (!rep->begun && rep->ops->begin)
    rep->ops->begin(&rep->b, &rep->o);
  rep->begun = 1;
  if (rep->ops->index) {
    imhe_code rc = write_indexed(rep, res, err);
    return rc ? rc : imhe_ok(err);
  }
  rep->ops->record(&rep->b, res, &rep->o);
  imhe_code rc = flush_to(rep, err);
  return rc ? rc : imhe_ok(err);
}

IMHE_API imhe_code imhe_reporter_put(imhe_reporter *rep, const imhe_batch_item *it,
                                     imhe_error *err) {
  if (!rep || !it || it->kind != IMHE_BATCH_RECORD)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_reporter_put: NULL argument or no record");
  if (!rep->begun && rep->ops->begin)
    rep->ops->begin(&rep->b, &rep->o);
  rep->begun = 1;
  imhe_code rc;
  if (rep->ops->index) { /* the row now, the report held until the index is closed */
    if (!rep->bodies && !(rep->bodies = tmpfile()))
      return imhe_fail(err, IMHE_IO, "cannot make a temporary file for the report: %s",
                       strerror(errno));
    sb_put(&rep->b, it->index, it->index_len);
    if ((rc = flush_to(rep, err)) != IMHE_OK)
      return rc;
    if (it->report_len && fwrite(it->report, 1, it->report_len, rep->bodies) != it->report_len)
      return imhe_fail(err, IMHE_IO, "cannot write the report: %s", strerror(errno));
    return imhe_ok(err);
  }
  if ((rc = flush_to(rep, err)) != IMHE_OK) /* what begin wrote */
    return rc;
  /* the report as the batch holds it, without a copy into the reporter's buffer first */
  if (it->report_len && fwrite(it->report, 1, it->report_len, rep->f) != it->report_len)
    return imhe_fail(err, IMHE_IO, "cannot write the report: %s", strerror(errno));
  return imhe_ok(err);
}

IMHE_API imhe_code imhe_reporter_begin(imhe_reporter *rep, imhe_error *err) {
  if (!rep)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_reporter_begin: NULL argument");
  if (!rep->begun && rep->ops->begin)
    rep->ops->begin(&rep->b, &rep->o);
  rep->begun = 1;
  imhe_code rc = flush_to(rep, err);
  if (!rc && fflush(rep->f) != 0)
    rc = imhe_fail(err, IMHE_IO, "cannot write the report: %s", strerror(errno));
  return rc ? rc : imhe_ok(err);
}

/* Closes the index and copies the held reports after it. */
static imhe_code copy_bodies(struct imhe_reporter *rep, imhe_error *err) {
  if (rep->ops->middle)
    rep->ops->middle(&rep->b, &rep->o);
  imhe_code rc = flush_to(rep, err);
  if (rc || !rep->bodies)
    return rc;
  char buf[65536];
  size_t n;
  rewind(rep->bodies);
  while ((n = fread(buf, 1, sizeof buf, rep->bodies)) > 0)
    if (fwrite(buf, 1, n, rep->f) != n)
      return imhe_fail(err, IMHE_IO, "cannot write the report: %s", strerror(errno));
  if (ferror(rep->bodies))
    return imhe_fail(err, IMHE_IO, "cannot read back the report: %s", strerror(errno));
  return IMHE_OK;
}

IMHE_API imhe_code imhe_reporter_close(imhe_reporter *rep, imhe_error *err) {
  if (!rep)
    return imhe_ok(err);
  if (rep->ops->begin && !rep->begun)
    rep->ops->begin(&rep->b, &rep->o);
  imhe_code rc = rep->ops->index ? copy_bodies(rep, err) : IMHE_OK;
  if (rep->bodies)
    fclose(rep->bodies);
  if (rep->ops->end)
    rep->ops->end(&rep->b, &rep->o);
  if (!rc)
    rc = flush_to(rep, err);
  if (!rc && fflush(rep->f) != 0)
    rc = imhe_fail(err, IMHE_IO, "cannot write the report: %s", strerror(errno));
  free(rep->b.v);
  free(rep);
  return rc ? rc : imhe_ok(err);
}

IMHE_API imhe_code imhe_render_buffer(const imhe_result *res, const char *format,
                                      const imhe_render_options *opts, char *buf, size_t cap,
                                      size_t *needed, imhe_error *err) {
  static const imhe_render_options defaults = {0};
  if (needed)
    *needed = 0;
  if (!checked(res) || !format || (!buf && cap))
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_render_buffer: NULL argument");
  const struct imhe_reporter_ops *ops = imhe_reporter_find(format);
  if (!ops)
    return unknown(format, err);
  const imhe_render_options *o = opts ? opts : &defaults;
  struct sbuf b = {0};
  if (ops->begin)
    ops->begin(&b, o);
  if (ops->index)
    ops->index(&b, res, o);
  if (ops->middle)
    ops->middle(&b, o);
  ops->record(&b, res, o);
  if (ops->end)
    ops->end(&b, o);
  if (needed)
    *needed = b.n;
  imhe_code rc = IMHE_OK;
  if (b.n + 1 > cap) {
    if (cap)
      buf[0] = 0;
    rc = imhe_fail(err, IMHE_BUFFER_TOO_SMALL, "the report needs %zu bytes, the buffer holds %zu",
                   b.n + 1, cap);
  } else {
    if (b.n)
      memcpy(buf, b.v, b.n);
    buf[b.n] = 0;
  }
  free(b.v);
  return rc ? rc : imhe_ok(err);
}
