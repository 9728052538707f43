/* source.c — records read for a policy set from files, a descriptor or memory, one at a time,
 * each typed, located and checked for an id seen before. Reading a list of files runs on a thread
 * of its own a few records ahead, so parsing overlaps judging; memory stays flat. */
#include "api/internal.h"
#include "runtime/core/queue.h"
#include "runtime/records/stream.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What the reading thread hands over: a record, or a file that could not be opened. */
struct item {
  struct imhe_record *rec;
  char *open_error;
};

struct note {
  int severity; /* IMHE_NOTICE_* */
  imhe_error e;
};

/* Ids seen so far, 16 bytes each: a hash of the id and where it was first seen. */
struct idslot {
  uint64_t hash; /* 0 = empty */
  uint32_t file, line;
};

struct imhe_source {
  const struct imhe_policy_set *set;
  char **paths;
  size_t npaths;
  int fd;    /* >= 0: one descriptor (not closed) */
  void *mem; /* a copy of the bytes of a memory source */
  size_t memlen;
  char *name;                 /* the input of a descriptor or memory source */
  struct imhe_loader *single; /* the loader of a descriptor or memory source */
  int threaded, done;
  int test_mode;   /* records keep their expect: block (imhe_source_open_tests) */
  atomic_int stop; /* set by close: the reading thread stops early */
  pthread_t th;
  struct imhe_queue q;
  pthread_mutex_t mu; /* notes are added on the reading thread */
  struct note *notes;
  size_t nnotes, capnotes;
  struct idslot *ids;
  size_t idcap, idn;
  size_t cur_file; /* the file of the record handed out last (for repeated ids) */
};

static void on_notice(void *ctx, int severity, const struct imhe_msg *m) {
  struct imhe_source *s = ctx;
  pthread_mutex_lock(&s->mu);
  if (s->nnotes == s->capnotes) {
    size_t cap = s->capnotes ? s->capnotes * 2 : 8;
    struct note *v = realloc(s->notes, cap * sizeof *v);
    if (!v) {
      pthread_mutex_unlock(&s->mu);
      return;
    }
    s->notes = v;
    s->capnotes = cap;
  }
  struct note *n = &s->notes[s->nnotes++];
  n->severity = severity;
  imhe_fail_at(&n->e, severity == IMHE_NOTICE_IO ? IMHE_IO : IMHE_RECORD, m->file, m->line, m->col,
               "%s", m->text);
  pthread_mutex_unlock(&s->mu);
}

/* Reads the next document of l into a new record; NULL at the end of l. */
static struct imhe_record *read_record(struct imhe_source *s, struct imhe_loader *l) {
  struct imhe_record *r = malloc(sizeof *r);
  if (!r)
    return NULL;
  if (imhe_loader_read_into(l, r, 0) != 1) {
    free(r); /* its arena was freed by the loader */
    return NULL;
  }
  r->owner = s->set;
  return r;
}

static void push_record(struct imhe_source *s, struct imhe_record *r, char *open_error) {
  struct item *it = calloc(1, sizeof *it);
  if (!it) { /* GCOVR_EXCL_START: out of memory */
    if (r)
      imhe_record_clear(r);
    free(r);
    free(open_error);
    return;
  } /* GCOVR_EXCL_STOP */
  it->rec = r;
  it->open_error = open_error;
  imhe_queue_push(&s->q, it);
}

static void *reader_main(void *arg) {
  struct imhe_source *s = arg;
  char err[700];
  for (size_t fi = 0; fi < s->npaths && !atomic_load(&s->stop); fi++) {
    struct imhe_loader *l = imhe_loader_open(s->paths[fi], NULL, err, sizeof err);
    if (!l) {
      push_record(s, NULL, strdup(err));
      continue;
    }
    imhe_loader_on_notice(l, on_notice, s);
    for (struct imhe_record *r; !atomic_load(&s->stop) && (r = read_record(s, l));)
      push_record(s, r, NULL);
    imhe_loader_close(l);
    push_record(s, NULL, NULL); /* the end of a file: the next record is the next file's */
  }
  imhe_queue_push(&s->q, NULL);
  return NULL;
}

static struct imhe_source *source_new(const imhe_policy_set *set) {
  struct imhe_source *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->set = set;
  s->fd = -1;
  pthread_mutex_init(&s->mu, NULL);
  return s;
}

static imhe_code open_paths(const imhe_policy_set *set, const char *const *paths, size_t n,
                            int test_mode, imhe_source **out, imhe_error *err) {
  if (out)
    *out = NULL;
  if (!set || !paths || !out || !n)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT,
                     "imhe_source_open_paths: NULL argument or no path");
  for (size_t i = 0; i < n; i++)
    if (!paths[i])
      return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_source_open_paths: path %zu is NULL",
                       i + 1);
  struct imhe_source *s = source_new(set);
  if (!s || !(s->paths = calloc(n, sizeof *s->paths))) {
    free(s);
    return imhe_fail(err, IMHE_NO_MEMORY, "out of memory");
  }
  s->npaths = n;
  s->test_mode = test_mode;
  for (size_t i = 0; i < n; i++)
    if (!(s->paths[i] = strdup(paths[i]))) {
      imhe_source_close(s);
      return imhe_fail(err, IMHE_NO_MEMORY, "out of memory");
    }
  imhe_queue_init(&s->q);
  s->threaded = pthread_create(&s->th, NULL, reader_main, s) == 0;
  if (!s->threaded) {
    imhe_queue_destroy(&s->q);
    imhe_source_close(s);
    return imhe_fail(err, IMHE_NO_MEMORY, "cannot start the reading thread");
  }
  *out = s;
  return imhe_ok(err);
}

IMHE_API imhe_code imhe_source_open_paths(const imhe_policy_set *set, const char *const *paths,
                                          size_t n, imhe_source **out, imhe_error *err) {
  return open_paths(set, paths, n, 0, out, err);
}

IMHE_API imhe_code imhe_source_open_tests(const imhe_policy_set *set, const char *const *paths,
                                          size_t n, imhe_source **out, imhe_error *err) {
  return open_paths(set, paths, n, 1, out, err);
}

IMHE_API imhe_code imhe_source_open_path(const imhe_policy_set *set, const char *path,
                                         imhe_source **out, imhe_error *err) {
  if (!path) {
    if (out)
      *out = NULL;
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_source_open_path: NULL path");
  }
  return imhe_source_open_paths(set, &path, 1, out, err);
}

static imhe_code open_single(const imhe_policy_set *set, int fd, const void *bytes, size_t len,
                             const char *name, imhe_source **out, imhe_error *err) {
  if (out)
    *out = NULL;
  if (!set || !out || (fd < 0 && !bytes && len))
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_source_open: NULL argument");
  struct imhe_source *s = source_new(set);
  if (!s)
    return imhe_fail(err, IMHE_NO_MEMORY, "out of memory");
  s->name = strdup(name ? name : fd >= 0 ? "<stream>" : "<memory>");
  if (fd < 0 && len && (s->mem = malloc(len)))
    memcpy(s->mem, bytes, len);
  s->memlen = len;
  if (!s->name || (fd < 0 && len && !s->mem) ||
      !(s->single = fd >= 0 ? imhe_loader_open_fd(fd, s->name, NULL)
                            : imhe_loader_open_mem(s->mem, len, s->name, NULL))) {
    imhe_source_close(s);
    return imhe_fail(err, IMHE_NO_MEMORY, "out of memory");
  }
  imhe_loader_on_notice(s->single, on_notice, s);
  *out = s;
  return imhe_ok(err);
}

IMHE_API imhe_code imhe_source_open_file(const imhe_policy_set *set, FILE *f, const char *name,
                                         imhe_source **out, imhe_error *err) {
  if (!f) {
    if (out)
      *out = NULL;
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_source_open_file: NULL file");
  }
  return open_single(set, fileno(f), NULL, 0, name, out, err);
}

IMHE_API imhe_code imhe_source_open_memory(const imhe_policy_set *set, const void *bytes,
                                           size_t len, const char *name, imhe_source **out,
                                           imhe_error *err) {
  return open_single(set, -1, bytes, len, name, out, err);
}

static uint64_t id_hash(const char *s, size_t n) {
  uint64_t h = imhe_fnv1a(s, n, 1469598103934665603ull);
  return h ? h : 1;
}

/* The slot of an earlier record with the same id, or NULL after adding this one. */
static const struct idslot *id_seen(struct imhe_source *s, const struct imhe_record *r) {
  if ((s->idn + 1) * 2 > s->idcap) {
    size_t cap = s->idcap ? s->idcap * 2 : 1024;
    struct idslot *v = calloc(cap, sizeof *v);
    if (!v)
      return NULL;
    for (size_t i = 0; i < s->idcap; i++) {
      if (!s->ids[i].hash)
        continue;
      size_t k = s->ids[i].hash & (cap - 1);
      while (v[k].hash)
        k = (k + 1) & (cap - 1);
      v[k] = s->ids[i];
    }
    free(s->ids);
    s->ids = v;
    s->idcap = cap;
  }
  uint64_t h = id_hash(r->id.s, r->id.n);
  size_t k = h & (s->idcap - 1);
  for (; s->ids[k].hash; k = (k + 1) & (s->idcap - 1))
    if (s->ids[k].hash == h)
      return &s->ids[k];
  s->ids[k] = (struct idslot){h, (uint32_t)s->cur_file, r->line};
  s->idn++;
  return NULL;
}

/* Types a record read on the other thread and marks an id seen before in this source. */
static void finish(struct imhe_source *s, struct imhe_record *r) {
  r->keep_expect = s->test_mode;
  imhe_record_type(r);
  if (r->id.s && !r->errors.n && !s->test_mode) { /* tests may reuse an applicant's id */
    const struct idslot *prev = id_seen(s, r);
    if (prev)
      imhe_record_error(r, r->line, 1, "id '%.60s' repeats the record at %s:%u", r->id.s,
                        s->paths ? s->paths[prev->file] : s->name, prev->line);
  }
}

IMHE_API imhe_code imhe_source_next(imhe_source *s, imhe_record **out, imhe_error *err) {
  if (out)
    *out = NULL;
  if (!s || !out)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_source_next: NULL argument");
  if (s->done)
    return imhe_fail(err, IMHE_END, "no more records");
  if (s->single) {
    struct imhe_record *r = read_record(s, s->single);
    if (!r) {
      s->done = 1;
      return imhe_fail(err, IMHE_END, "no more records");
    }
    finish(s, r);
    *out = r;
    return imhe_ok(err);
  }
  for (;;) {
    struct item *it = imhe_queue_pop(&s->q);
    if (!it) {
      s->done = 1;
      return imhe_fail(err, IMHE_END, "no more records");
    }
    if (!it->rec && !it->open_error) { /* the end of a file (or an allocation that failed) */
      s->cur_file++;
      free(it);
      continue;
    }
    if (it->open_error) {
      imhe_code rc = imhe_fail_at(err, IMHE_IO, s->paths[s->cur_file], 0, 0, "%s", it->open_error);
      s->cur_file++;
      free(it->open_error);
      free(it);
      return rc;
    }
    struct imhe_record *r = it->rec;
    free(it);
    finish(s, r);
    *out = r;
    return imhe_ok(err);
  }
}

IMHE_API size_t imhe_source_message_count(const imhe_source *s) {
  if (!s)
    return 0;
  pthread_mutex_lock((pthread_mutex_t *)&s->mu);
  size_t n = s->nnotes;
  pthread_mutex_unlock((pthread_mutex_t *)&s->mu);
  return n;
}

IMHE_API int imhe_source_message(const imhe_source *s, size_t i, int *severity, imhe_error *out) {
  if (!s || !out)
    return 0;
  pthread_mutex_lock((pthread_mutex_t *)&s->mu);
  int ok = i < s->nnotes;
  if (ok) {
    *out = s->notes[i].e;
    if (severity)
      *severity = s->notes[i].severity;
  }
  pthread_mutex_unlock((pthread_mutex_t *)&s->mu);
  return ok;
}

IMHE_API void imhe_source_close(imhe_source *s) {
  if (!s)
    return;
  if (s->threaded) {
    atomic_store(&s->stop, 1); /* the reader stops after its next push; the rest is drained */
    for (struct item *it; !s->done && (it = imhe_queue_pop(&s->q));) {
      if (it->rec) {
        imhe_record_clear(it->rec);
        free(it->rec);
      }
      free(it->open_error);
      free(it);
    }
    pthread_join(s->th, NULL);
    imhe_queue_destroy(&s->q);
  }
  imhe_loader_close(s->single);
  for (size_t i = 0; s->paths && i < s->npaths; i++)
    free(s->paths[i]);
  free(s->paths);
  free(s->mem);
  free(s->name);
  free(s->notes);
  free(s->ids);
  pthread_mutex_destroy(&s->mu);
  free(s);
}

IMHE_API void imhe_record_free(imhe_record *r) {
  if (!r)
    return;
  imhe_record_clear(r);
  free(r);
}
