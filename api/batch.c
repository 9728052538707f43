/* batch.c — a batch judged on every core: the caller's thread cuts the files into documents (the
 * byte layer), it and N - 1 helpers parse, type, judge and render chunks of them, and it hands the
 * results out in input order, finding repeated ids as it goes (see imhe_batch_run). */
#include "api/internal.h"
#include "runtime/records/idset.h"
#include "runtime/records/pack.h"
#include "runtime/records/stream.h"
#include "runtime/records/yaml.h"
#include "runtime/report/reporter.h"
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/* A chunk: up to CHUNK_DOCS documents or about CHUNK_BYTES of them, of one file. Small enough that
 * the chunks in flight stay a few MiB, large enough that handing them over costs nothing. */
#define CHUNK_DOCS 16
#define CHUNK_BYTES (96 * 1024)
/* A chunk done with is kept for the reader to fill again, its buffers with it, so that no thread
 * allocates, frees and faults in again a chunk's buffers (glibc hands a worker arena's freed top
 * back to the kernel) for every 16 documents; buffers grown past this (a huge document) are
 * freed instead, so that what is kept stays a few MiB whatever the input. */
#define CHUNK_KEEP (1024 * 1024)

/* A notice: on the reading thread, after document `after` of its chunk; on a worker, in order. */
struct note {
  size_t after;
  int severity;
  imhe_error e;
};

/* What a worker made of one record: where its report is in the chunk's output, and what the
 * caller's thread needs to find a repeated id (and, for a repeat, to read the record again). */
struct outrec {
  size_t doc, nth;  /* the nth record (from 0) of document doc */
  uint64_t id_hash; /* 0: no id to check (none, or the record has errors) */
  uint32_t line;
  imhe_verdict verdict;
  char *judge_error; /* imhe_judge refused it: why */
  size_t idx_off, idx_n, body_off, body_n;
};

/* An item of a chunk's output: a record or a notice, in the order reading gave them. The record
 * is held in the item, not allocated apart: an allocation made by a worker and freed by the
 * writing thread locks the worker's malloc arena from the other thread, once a record. */
struct event {
  int is_rec;
  struct outrec rec;
  struct note *note;
};

struct chunk {
  size_t file; /* index into the batch's paths */
  unsigned char *bytes;
  size_t len, cap;
  struct imhe_doc docs[CHUNK_DOCS];
  size_t ndocs;
  struct note *rnotes; /* the reading thread's notices */
  size_t nrnotes;
  int file_end;     /* the last chunk of its file */
  uint32_t lines;   /* with file_end: the lines the file has */
  char *open_error; /* the file could not be opened */
  /* the worker's output */
  struct event *ev;
  size_t nev, capev;
  struct sbuf out;
  int done;
  struct chunk *next; /* in the batch's spares */
};

struct batch {
  const struct imhe_policy_set *set;
  const char *const *paths;
  char **names; /* how messages call each file ("<stdin>" for "-") */
  size_t npaths;
  const struct imhe_reporter_ops *ops;
  imhe_render_options ro;
  imhe_judge_options jo;
  pthread_mutex_t mu;
  /* each waiter has its own condition, so a hand-over wakes only the thread it concerns: the
   * helpers wait for a chunk, the caller for a helper's chunk to be done */
  pthread_cond_t work, ready;
  struct chunk **ring;
  size_t ringcap, produced, taken, consumed;
  struct chunk *spare; /* chunks emitted, kept for the reader (linked by next) */
  unsigned helpers;    /* threads started beside the caller's */
  /* an input is a pipe, FIFO or terminal: a read may wait for its writer, so the caller's thread,
   * which writes the report, leaves reading to the helpers (else a chunk judged meanwhile would
   * wait to be written until more records came) */
  int streams;
  /* reading, by one thread at a time (`reading`), whichever runs short of work: the file read,
   * its loader and the chunk being filled */
  int reading;
  size_t rfile;
  struct imhe_loader *rl;
  struct reader {
    struct batch *b;
    struct chunk *c;
  } rd;
  /* -j 1: no thread at all; the caller's thread reads each chunk, works it with this worker and
   * writes it at once (a process that never starts a thread keeps glibc's single-threaded malloc,
   * which takes no lock, and hands nothing over) */
  struct worker *solo;
  struct emitter *solo_em;
  int reading_done;
  /* ids seen so far, each with where it was first seen as a line of all the files one after
   * another (the first line of file i is base[i] + 1) */
  struct imhe_idset ids;
  uint64_t *base;
};

static void push_note(struct note **v, size_t *n, size_t after, int severity,
                      const struct imhe_msg *m) {
  if ((*n & (*n - 1)) == 0) { /* 0, 1, 2, 4...: grow to the next power of two */
    struct note *w = realloc(*v, (*n ? *n * 2 : 1) * sizeof *w);
    if (!w)    /* GCOVR_EXCL_BR_LINE: out of memory */
      abort(); /* GCOVR_EXCL_LINE: out of memory */
    *v = w;
  }
  struct note *t = &(*v)[(*n)++];
  t->after = after;
  t->severity = severity;
  imhe_fail_at(&t->e, severity == IMHE_NOTICE_IO ? IMHE_IO : IMHE_RECORD, m->file, m->line, m->col,
               "%s", m->text);
}

/* ---- reading (one thread at a time: the caller's, or a helper run short of work) ---- */

static void reader_notice(void *ctx, int severity, const struct imhe_msg *m) {
  struct reader *r = ctx;
  push_note(&r->c->rnotes, &r->c->nrnotes, r->c->ndocs, severity, m);
}

/* A chunk for file: a spare one, emptied, or a new one. */
static struct chunk *new_chunk(struct batch *b, size_t file) {
  pthread_mutex_lock(&b->mu);
  struct chunk *c = b->spare;
  if (c)
    b->spare = c->next;
  pthread_mutex_unlock(&b->mu);
  if (!c && !(c = calloc(1, sizeof *c))) /* GCOVR_EXCL_BR_LINE: out of memory */
    abort();                             /* GCOVR_EXCL_LINE: out of memory */
  c->file = file;
  return c;
}

static void solo_chunk(struct batch *b, struct chunk *c);

/* Hands a chunk to the workers (there is room: a thread reads only then), or with one thread
 * works and writes it at once. */
static void hand_over(struct batch *b, struct chunk *c) {
  if (b->solo) {
    solo_chunk(b, c);
    return;
  }
  pthread_mutex_lock(&b->mu);
  b->ring[b->produced++ % b->ringcap] = c;
  pthread_mutex_unlock(&b->mu);
  /* signalled once the lock is let go, so the thread woken does not wake only to wait for it
   * (here and below); a signal no thread waits for makes no system call */
  pthread_cond_signal(&b->work);
  pthread_cond_signal(&b->ready);
}

/* Reads the next chunk of the batch's files (up to CHUNK_DOCS documents or CHUNK_BYTES of one
 * file, the file's last chunk marked) and hands it over: 0 once every file is read. */
static int read_chunk(struct batch *b) {
  struct reader *r = &b->rd;
  if (!b->rl) {
    if (b->rfile == b->npaths)
      return 0;
    char err[700];
    r->b = b;
    r->c = new_chunk(b, b->rfile);
    if (!(b->rl = imhe_loader_open(b->paths[b->rfile], NULL, err, sizeof err))) {
      r->c->open_error = strdup(err);
      r->c->file_end = 1;
      b->rfile++;
      hand_over(b, r->c);
      return 1;
    }
    imhe_loader_on_notice(b->rl, reader_notice, r);
  }
  struct chunk *c = r->c;
  while (imhe_yaml_capture(b->rl, &c->bytes, &c->len, &c->cap, &c->docs[c->ndocs]))
    if (++c->ndocs == CHUNK_DOCS || c->len >= CHUNK_BYTES) {
      hand_over(b, c);
      r->c = new_chunk(b, b->rfile);
      return 1;
    }
  c->lines = b->rl->in.line;
  imhe_loader_close(b->rl);
  b->rl = NULL;
  c->file_end = 1;
  b->rfile++;
  r->c = NULL;
  hand_over(b, c);
  return 1;
}

/* ---- the workers ---- */

struct worker {
  struct batch *b;
  struct imhe_loader *l;
  struct chunk *c;
  size_t doc, nth;
  size_t last_out; /* the bytes the last chunk's reports took: the next one's room, grown once */
};

static struct event *add_event(struct chunk *c) {
  if (c->nev == c->capev) {
    size_t cap = c->capev ? c->capev * 2 : 32;
    struct event *v = realloc(c->ev, cap * sizeof *v);
    if (!v)    /* GCOVR_EXCL_BR_LINE: out of memory */
      abort(); /* GCOVR_EXCL_LINE: out of memory */
    c->ev = v;
    c->capev = cap;
  }
  struct event *e = &c->ev[c->nev++];
  memset(e, 0, sizeof *e);
  return e;
}

static void worker_notice(void *ctx, int severity, const struct imhe_msg *m) {
  struct worker *w = ctx;
  struct note *n = NULL;
  size_t one = 0;
  push_note(&n, &one, 0, severity, m);
  add_event(w->c)->note = n;
}

static uint64_t id_hash(const char *s, size_t n) {
  uint64_t h = imhe_fnv1a(s, n, 1469598103934665603ull);
  return h ? h : 1;
}

/* Judges a typed record and renders it into out; the outcome into o. */
static void judge_render(const struct batch *b, struct imhe_record *r, struct sbuf *out,
                         struct outrec *o) {
  imhe_result *res;
  imhe_error e;
  if (imhe_judge(b->set, r, &b->jo, &res, &e) != IMHE_OK) {
    o->judge_error = strdup(e.message);
    return;
  }
  o->verdict = imhe_result_verdict(res);
  o->idx_off = out->n;
  if (b->ops->index)
    b->ops->index(out, res, &b->ro);
  o->idx_n = out->n - o->idx_off;
  o->body_off = out->n;
  b->ops->record(out, res, &b->ro);
  o->body_n = out->n - o->body_off;
  imhe_result_free(res);
}

/* A record read (and typed) for this batch's policy set. */
static void own_record(const struct batch *b, struct imhe_record *r) {
  r->owner = b->set;
}

static void worker_record(void *ctx, struct imhe_record *r) {
  struct worker *w = ctx;
  struct outrec o = {.doc = w->doc, .nth = w->nth++};
  own_record(w->b, r);
  if (r->id.s && !r->errors.n) {
    o.id_hash = id_hash(r->id.s, r->id.n);
    o.line = r->line;
  }
  judge_render(w->b, r, &w->c->out, &o);
  struct event *e = add_event(w->c);
  e->is_rec = 1;
  e->rec = o;
}

static void work_chunk(struct worker *w, struct chunk *c) {
  w->c = c;
  w->l->path = w->b->names[c->file];
  sb_grow(&c->out, w->last_out); /* not doubled up to it, copying, record by record */
  size_t rn = 0;
  for (size_t i = 0; i < c->ndocs; i++) {
    w->doc = i;
    w->nth = 0;
    imhe_yaml_replay(w->l, c->bytes, &c->docs[i], worker_record, w);
    for (; rn < c->nrnotes && c->rnotes[rn].after == i; rn++)
      add_event(c)->note = &c->rnotes[rn];
  }
  for (; rn < c->nrnotes; rn++) /* none expected: notices follow a document */
    add_event(c)->note = &c->rnotes[rn];
  w->last_out = c->out.n + c->out.n / 4;
}

/* With b->mu held: reads the next chunk when no other thread is reading, reading is not done and
 * the ring has room (the lock let go meanwhile); 1 when it read or found the files' end. */
static int try_read(struct batch *b) {
  if (b->reading || b->reading_done || b->produced - b->consumed >= b->ringcap)
    return 0;
  b->reading = 1;
  pthread_mutex_unlock(&b->mu);
  int more = read_chunk(b);
  pthread_mutex_lock(&b->mu);
  b->reading = 0;
  if (!more) {
    b->reading_done = 1;
    pthread_cond_broadcast(&b->work);
    pthread_cond_signal(&b->ready);
  }
  return 1;
}

/* With b->mu held: works the next chunk read (the lock let go meanwhile). */
static void take_work(struct batch *b, struct worker *w) {
  struct chunk *c = b->ring[b->taken++ % b->ringcap];
  pthread_mutex_unlock(&b->mu);
  work_chunk(w, c);
  pthread_mutex_lock(&b->mu);
  c->done = 1;
}

/* A helper: works the chunks read, and reads the next itself when none waits (so that it goes on
 * while the caller's thread writes or is not running), until every chunk is taken. */
static void *worker_main(void *arg) {
  struct worker *w = arg;
  struct batch *b = w->b;
  pthread_mutex_lock(&b->mu);
  for (;;) {
    if (b->taken < b->produced) {
      take_work(b, w);
      pthread_mutex_unlock(&b->mu);
      pthread_cond_signal(&b->ready); /* the caller may wait for it */
      pthread_mutex_lock(&b->mu);
    } else if (try_read(b))
      continue;
    else if (b->reading_done)
      break;
    else /* another thread reads, or the ring is full until the caller writes */
      pthread_cond_wait(&b->work, &b->mu);
  }
  pthread_mutex_unlock(&b->mu);
  return NULL;
}

/* ---- the caller's thread: in input order ---- */

/* Where a record with the same id was first seen (file and line), or 0 after noting this one. */
static int id_seen(struct batch *b, uint64_t h, size_t file, uint32_t line, size_t *pf,
                   uint32_t *pl) {
  uint64_t at = b->base[file] + line;
  if (at > UINT32_MAX) /* past 4G lines: repeats are no longer looked for */
    return 0;
  uint32_t prev = imhe_idset_seen(&b->ids, h, (uint32_t)at);
  if (!prev)
    return 0;
  size_t lo = 0, hi = file; /* the last file starting before line prev */
  while (lo < hi) {
    size_t mid = (lo + hi + 1) / 2;
    if (b->base[mid] < prev)
      lo = mid;
    else
      hi = mid - 1;
  }
  *pf = lo;
  *pl = (uint32_t)(prev - b->base[lo]);
  return 1;
}

/* A record whose id repeats an earlier one: read again from its document, given the error a
 * source gives it, judged and rendered anew into out. */
struct again {
  struct batch *b;
  size_t nth, seen;
  size_t prev_file;
  uint32_t prev_line;
  struct sbuf *out;
  struct outrec *o;
};

static void again_record(void *ctx, struct imhe_record *r) {
  struct again *a = ctx;
  if (a->seen++ == a->nth) {
    own_record(a->b, r);
    imhe_record_error(r, r->line, 1, "id '%.60s' repeats the record at %s:%u", r->id.s,
                      a->b->names[a->prev_file], a->prev_line);
    free(a->o->judge_error);
    a->o->judge_error = NULL;
    a->out->n = 0;
    judge_render(a->b, r, a->out, a->o);
  }
}

struct emitter {
  imhe_batch_fn *fn;
  void *ctx;
  struct imhe_loader *l; /* for reading a repeated record again; its notices are dropped */
  struct sbuf again;
  unsigned long file_records;
  /* imhe_batch_run_fd: the reports go out to fd, a chunk's in one writev from the buffer they were
   * made in (no copy into a shared stdio buffer, whose lines the cores would take from each other)
   */
  int fd;
  int werr; /* the first write's errno; nothing more is written after it */
  struct iovec *iov;
  size_t niov, iovcap;
};

/* Writes the reports gathered: all of them, however the kernel splits the writes; CHUNK_DOCS (a
 * chunk's records) at a time, POSIX's least IOV_MAX. */
static void flush_iov(struct emitter *em) {
  struct iovec *v = em->iov;
  size_t n = em->niov;
  em->niov = 0;
  while (n && !em->werr) {
    ssize_t k = writev(em->fd, v, (int)(n < CHUNK_DOCS ? n : CHUNK_DOCS));
    if (k <= 0) { /* nothing written and no error: as atomic.c's sink, EIO, never a loop */
      if (k == 0 || errno != EINTR)
        em->werr = k == 0 ? EIO : errno;
      continue;
    }
    size_t done = (size_t)k;
    for (; n && done >= v->iov_len; v++, n--)
      done -= v->iov_len;
    if (n) { /* a short write: the rest of this report, then the next */
      v->iov_base = (char *)v->iov_base + done;
      v->iov_len -= done;
    }
  }
}

static void gather(struct emitter *em, const char *p, size_t n) {
  if (!n || em->werr)
    return;
  if (em->niov == em->iovcap) {
    em->iovcap = em->iovcap ? 2 * em->iovcap : 2 * CHUNK_DOCS;
    if (!(em->iov = realloc(em->iov, em->iovcap * sizeof *em->iov))) /* GCOVR_EXCL_BR_LINE */
      abort(); /* GCOVR_EXCL_LINE: out of memory */
  }
  em->iov[em->niov++] = (struct iovec){(void *)p, n};
}

static void emit_note(struct emitter *em, const struct note *n) {
  imhe_batch_item it = {.kind = IMHE_BATCH_NOTICE, .severity = n->severity, .error = &n->e};
  em->fn(em->ctx, &it);
}

static void emit_record(struct batch *b, struct emitter *em, struct chunk *c, struct outrec *o) {
  em->file_records++;
  const char *base = c->out.v;
  size_t pf;
  uint32_t pl;
  if (o->id_hash && id_seen(b, o->id_hash, c->file, o->line, &pf, &pl)) {
    struct again a = {b, o->nth, 0, pf, pl, &em->again, o};
    em->l->path = b->names[c->file];
    imhe_yaml_replay(em->l, c->bytes, &c->docs[o->doc], again_record, &a);
    base = em->again.v;
  }
  if (o->judge_error) {
    imhe_error e;
    imhe_fail(&e, IMHE_INVALID_ARGUMENT, "%s", o->judge_error);
    imhe_batch_item it = {.kind = IMHE_BATCH_JUDGE_ERROR, .error = &e};
    em->fn(em->ctx, &it);
    return;
  }
  imhe_batch_item it = {.kind = IMHE_BATCH_RECORD,
                        .verdict = o->verdict,
                        .report = base + o->body_off,
                        .report_len = o->body_n,
                        .index = b->ops->index ? base + o->idx_off : NULL,
                        .index_len = o->idx_n};
  if (em->fd >= 0)
    gather(em, it.report, it.report_len);
  em->fn(em->ctx, &it); /* before the report goes out: fn may write what precedes it */
  if (em->fd >= 0 && base == em->again.v) /* the next repeated id renders into the same buffer */
    flush_iov(em);
}

/* Frees what a chunk's records and notices hold and empties it for reuse: its buffers are kept
 * unless a huge document grew them past CHUNK_KEEP. */
static void empty_chunk(struct chunk *c) {
  for (size_t i = 0; i < c->nev; i++) {
    if (c->ev[i].is_rec)
      free(c->ev[i].rec.judge_error);
    else if (c->ev[i].note < c->rnotes || c->ev[i].note >= c->rnotes + c->nrnotes)
      free(c->ev[i].note); /* a worker's own */
  }
  free(c->open_error);
  c->open_error = NULL;
  c->nev = c->nrnotes = c->ndocs = c->len = c->out.n = 0;
  c->file_end = c->done = 0;
  c->lines = 0;
  if (c->cap > CHUNK_KEEP) {
    free(c->bytes);
    c->bytes = NULL;
    c->cap = 0;
  }
  if (c->out.cap > CHUNK_KEEP) {
    free(c->out.v);
    c->out.v = NULL;
    c->out.cap = 0;
  }
}

static void free_chunk(struct chunk *c) {
  empty_chunk(c);
  free(c->ev);
  free(c->rnotes);
  free(c->out.v);
  free(c->bytes);
  free(c);
}

static void emit_chunk(struct batch *b, struct emitter *em, struct chunk *c) {
  if (c->open_error) {
    imhe_error e;
    imhe_fail_at(&e, IMHE_IO, b->paths[c->file], 0, 0, "%s", c->open_error);
    imhe_batch_item it = {.kind = IMHE_BATCH_OPEN_ERROR, .error = &e};
    em->fn(em->ctx, &it);
    em->file_records = 0;
    return;
  }
  for (size_t i = 0; i < c->nev; i++)
    if (c->ev[i].is_rec)
      emit_record(b, em, c, &c->ev[i].rec);
    else
      emit_note(em, c->ev[i].note);
  if (em->fd >= 0)
    flush_iov(em);
  if (c->file_end) {
    if (c->file + 1 < b->npaths)
      b->base[c->file + 1] = b->base[c->file] + c->lines;
    if (!em->file_records) {
      struct imhe_msg m = {
          .file = b->names[c->file], .line = 1, .col = 1, .text = "no records in file"};
      struct note *n = NULL;
      size_t one = 0;
      push_note(&n, &one, 0, IMHE_NOTICE_WARNING, &m);
      emit_note(em, n);
      free(n);
    }
    em->file_records = 0;
  }
}

static int caller_may_read(const struct batch *b) {
  return !b->streams || !b->helpers;
}

/* -j N (N > 1), on the caller's thread: it writes each chunk once done, in order; reads the next
 * while the helpers have too little waiting; else works a chunk itself; and waits only when every
 * chunk read is being worked or read by a helper. No thread of its own reads or writes, so none
 * is woken for each chunk. */
static void drive(struct batch *b, struct worker *self, struct emitter *em) {
  pthread_mutex_lock(&b->mu);
  for (;;) {
    if (b->consumed < b->produced && b->ring[b->consumed % b->ringcap]->done) {
      struct chunk *c = b->ring[b->consumed % b->ringcap];
      pthread_mutex_unlock(&b->mu);
      emit_chunk(b, em, c);
      empty_chunk(c);
      pthread_mutex_lock(&b->mu);
      c->next = b->spare;
      b->spare = c;
      if (b->produced - b->consumed++ == b->ringcap) { /* a helper may wait for room */
        pthread_mutex_unlock(&b->mu);
        pthread_cond_signal(&b->work);
        pthread_mutex_lock(&b->mu);
      }
    } else if (b->produced - b->taken <= b->helpers && caller_may_read(b) && try_read(b))
      continue;
    else if (b->taken < b->produced)
      take_work(b, self);
    else if (caller_may_read(b) && try_read(b))
      continue;
    else if (b->reading_done && b->consumed == b->produced)
      break;
    else
      pthread_cond_wait(&b->ready, &b->mu);
  }
  pthread_mutex_unlock(&b->mu);
}

/* -j 1: the chunk just read, worked, written and kept for the next, on the caller's thread. */
static void solo_chunk(struct batch *b, struct chunk *c) {
  work_chunk(b->solo, c);
  emit_chunk(b, b->solo_em, c);
  empty_chunk(c);
  c->next = b->spare;
  b->spare = c;
}

/* Whether path is a regular file that starts with the pack magic. */
static int is_pack(const char *path) {
  struct stat st;
  char magic[8];
  if (!strcmp(path, "-") || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
    return 0;
  FILE *f = fopen(path, "rb");
  int yes = f && fread(magic, 1, 8, f) == 8 && imhe_pack_is(magic, 8);
  if (f)
    fclose(f);
  return yes;
}

static unsigned cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

static imhe_code check_args(const imhe_policy_set *set, const char *const *paths, size_t n,
                            const imhe_batch_options *o, imhe_batch_fn *fn, imhe_error *err) {
  if (!set || !paths || !n || !o || !o->format || !fn)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_batch_run: NULL argument or no path");
  for (size_t i = 0; i < n; i++) {
    if (!paths[i])
      return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_batch_run: path %zu is NULL", i + 1);
    if (is_pack(paths[i]))
      return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_batch_run: %s is a pack", paths[i]);
  }
  if (!imhe_reporter_find(o->format))
    return imhe_fail(err, IMHE_NOT_FOUND, "unknown format '%.60s'", o->format);
  return IMHE_OK;
}

/* -j N (N > 1): N - 1 helpers started (as many as can be: the caller's thread alone can do all
 * of it), and the caller's thread reading, working and writing in order. */
static void run_threads(struct batch *b, struct worker *w, pthread_t *th, unsigned nt,
                        struct emitter *em) {
  for (unsigned i = 0; i < nt; i++) {
    w[i].b = b;
    w[i].l = imhe_loader_replayer();
    imhe_loader_on_notice(w[i].l, worker_notice, &w[i]);
  }
  for (unsigned i = 1; i < nt; i++) /* a thread not to be had: the caller's does its share */
    b->helpers += pthread_create(&th[b->helpers], NULL, worker_main, &w[i]) == 0;
  drive(b, &w[0], em);
  for (unsigned i = 0; i < b->helpers; i++)
    pthread_join(th[i], NULL);
}

static imhe_code run(const imhe_policy_set *set, const char *const *paths, size_t n,
                     const imhe_batch_options *o, int fd, imhe_batch_fn *fn, void *ctx,
                     imhe_error *err) {
  imhe_code rc = check_args(set, paths, n, o, fn, err);
  if (rc)
    return rc;
  if (fd >= 0 && imhe_reporter_find(o->format)->index)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT,
                     "imhe_batch_run_fd: format '%.60s' has an index: write it with a reporter",
                     o->format);
  unsigned nt = o->threads ? o->threads : cores();
  struct batch b = {.set = set, .paths = paths, .npaths = n, .ops = imhe_reporter_find(o->format)};
  if (o->render)
    b.ro = *o->render;
  if (o->judge)
    b.jo = *o->judge;
  b.ringcap = 2 * (size_t)nt + 2;
  b.ring = calloc(b.ringcap, sizeof *b.ring);
  b.names = calloc(n, sizeof *b.names);
  b.base = calloc(n, sizeof *b.base);
  struct worker *w = calloc(nt, sizeof *w);
  pthread_t *th = calloc(nt, sizeof *th);
  if (!b.ring || !b.names || !b.base || !w || !th) /* GCOVR_EXCL_BR_LINE: out of memory */
    abort();                                       /* GCOVR_EXCL_LINE: out of memory */
  for (size_t i = 0; i < n; i++) {
    if (!(b.names[i] = strdup(strcmp(paths[i], "-") ? paths[i] : "<stdin>")))
      abort(); /* GCOVR_EXCL_LINE: out of memory */
    struct stat st;
    int known = strcmp(paths[i], "-") ? stat(paths[i], &st) == 0 : fstat(STDIN_FILENO, &st) == 0;
    b.streams |= known && !S_ISREG(st.st_mode);
  }
  pthread_mutex_init(&b.mu, NULL);
  pthread_cond_init(&b.work, NULL);
  pthread_cond_init(&b.ready, NULL);
  struct emitter em = {.fn = fn, .ctx = ctx, .l = imhe_loader_replayer(), .fd = fd};
  if (nt == 1) {
    w[0].b = &b;
    w[0].l = imhe_loader_replayer();
    imhe_loader_on_notice(w[0].l, worker_notice, &w[0]);
    b.solo = &w[0];
    b.solo_em = &em;
    while (read_chunk(&b))
      ;
  } else
    run_threads(&b, w, th, nt, &em);
  for (unsigned i = 0; i < nt; i++)
    imhe_loader_close(w[i].l);
  imhe_loader_close(em.l);
  free(em.again.v);
  free(em.iov);
  if (em.werr) {
    rc = imhe_fail(err, IMHE_IO, "cannot write the report: %s", strerror(em.werr));
    errno = em.werr;
  }
  pthread_cond_destroy(&b.work);
  pthread_cond_destroy(&b.ready);
  pthread_mutex_destroy(&b.mu);
  for (size_t i = 0; i < n; i++)
    free(b.names[i]);
  free(b.names);
  free(b.ring);
  while (b.spare) {
    struct chunk *c = b.spare;
    b.spare = c->next;
    free_chunk(c);
  }
  imhe_idset_free(&b.ids);
  free(b.base);
  free(w);
  free(th);
  return rc;
}

IMHE_API imhe_code imhe_batch_run(const imhe_policy_set *set, const char *const *paths, size_t n,
                                  const imhe_batch_options *o, imhe_batch_fn *fn, void *ctx,
                                  imhe_error *err) {
  return run(set, paths, n, o, -1, fn, ctx, err);
}

IMHE_API imhe_code imhe_batch_run_fd(const imhe_policy_set *set, const char *const *paths, size_t n,
                                     const imhe_batch_options *o, int fd, imhe_batch_fn *fn,
                                     void *ctx, imhe_error *err) {
  if (fd < 0)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_batch_run_fd: no file descriptor");
  return run(set, paths, n, o, fd, fn, ctx, err);
}
