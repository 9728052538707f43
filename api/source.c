/* source.c — records read for a policy set from files, a descriptor or memory, one at a time,
 * each typed, located and checked for an id seen before. Reading a list of files runs on a thread
 * of its own a few records ahead, so parsing overlaps judging; memory stays flat. */
#include "api/internal.h"
#include "runtime/core/queue.h"
#include "runtime/records/pack.h"
#include "runtime/records/stream.h"
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A pack the reading thread has read whole and verified (header, checksum, index, names, notes);
 * the caller's thread decodes its records one at a time, each into a recycled record. Its records'
 * texts point into its bytes, so each record out of it holds a reference (records may outlive the
 * source), as the source does while it hands them out: the last one frees it. */
struct imhe_packin {
  atomic_size_t refs;
  uint8_t *data; /* pack_buffer's */
  size_t n, cap;
  struct imhe_pack p;
  uint32_t next, note; /* the next record and the next notice to hand over */
};

/* Records handed out from packs go back here when freed (imhe_record_free), arena and all, so
 * judging a pack allocates nothing per record. Shared by the source and every record out of it
 * (records may outlive the source): refs counts them; the last one frees it. */
#define POOL_KEEP 16
struct imhe_record_pool {
  pthread_mutex_t mu;
  size_t refs;
  int open; /* the source is open: freed records are kept */
  struct imhe_record *v[POOL_KEEP];
  int n;
};

/* What the reading thread hands over: a record, a pack, or a file that could not be opened. */
struct item {
  struct imhe_record *rec;
  struct imhe_packin *pack;
  char *open_error;
};

struct note {
  int severity; /* IMHE_NOTICE_* */
  imhe_error e;
};

/* Ids seen so far, 16 bytes each: a hash of the id and where it was first seen (an index into
 * the source's file names: a pack's records keep the names of the YAML files they came from). */
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
  size_t cur_file;               /* the input of the record handed out last */
  struct imhe_packin *pack;      /* the pack whose records are being handed out, NULL when none */
  struct imhe_record_pool *pool; /* NULL until a pack is met */
  size_t inputs;                 /* files read so far, a pack counting the files it holds */
  char **files; /* the files records came from, in order of first use (for repeated ids) */
  size_t nfiles;
  /* during imhe_source_next_changed: the other set, the skipped count, and the last association
   * asked about with its answer (most records share their neighbours' association) */
  const struct imhe_policy_set *other;
  size_t *skipped;
  const struct imhe_policy_set *cached_for; /* the other set last_* answer for */
  char last_assoc[64];
  int last_len, last_same; /* last_len -1: none asked yet */
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
  imhe_loader_keep_expect(l, s->test_mode);
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

/* Memory for a whole pack. A large one is mapped in huge pages where the system offers them: on
 * the machines measured, a pack of 230 MB in ordinary pages spent more time in page faults and
 * TLB misses, reading it and checking its sum, than judging its records took. */
#define PACK_HUGE (2u << 20)
static uint8_t *pack_buffer(size_t n) {
  if (n < PACK_HUGE)
    return malloc(n);
  void *v = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (v == MAP_FAILED)
    return NULL; /* GCOVR_EXCL_LINE: out of memory */
#ifdef MADV_HUGEPAGE
  madvise(v, n, MADV_HUGEPAGE); /* a hint: without it, ordinary pages */
#endif
  return v;
}
/* Frees a pack_buffer or a pack_map of n bytes (both are mapped from PACK_HUGE bytes up). */
static void pack_buffer_free(uint8_t *v, size_t n) {
  if (n < PACK_HUGE)
    free(v);
  else if (v)
    munmap(v, n);
}

/* A large pack mapped from the page cache rather than copied: no memory to zero and fill (into
 * huge pages, zeroing 230 MB and compacting memory for it cost 0.05 to 0.5 s of system time on the
 * shared machine; mapped, 0.03 s), read-only. imhe never rewrites a file in place (it writes
 * beside it and renames), so a pack it made does not change under a reader; one truncated or
 * rewritten in place by another program while imhe reads it is outside what imhe guards against
 * (docs/pack.md). NULL when small or when the system refuses the mapping: the pack is then read. */
static uint8_t *pack_map(int fd, size_t n) {
  if (n < PACK_HUGE)
    return NULL;
  int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
  flags |= MAP_POPULATE; /* the pages entered in one call, not faulted in one by one */
#endif
  void *v = mmap(NULL, n, PROT_READ, flags, fd, 0);
  return v == MAP_FAILED ? NULL : v;
}

/* The whole of a regular file that starts with the pack magic (*cap bytes of memory, *n of them
 * read), or NULL (not a pack, not a regular file, or unreadable: the YAML loader then says why). */
static uint8_t *slurp_pack(const char *path, size_t *n, size_t *cap) {
  struct stat st;
  if (stat(path, &st) != 0 ||
      !S_ISREG(st.st_mode)) /* a FIFO is never opened here: it would block */
    return NULL;
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char magic[8];
  uint8_t *v = NULL;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 8 &&
      fread(magic, 1, 8, f) == 8 && imhe_pack_is(magic, 8)) {
    *cap = (size_t)st.st_size;
    if ((v = pack_map(fileno(f), *cap)))
      *n = *cap;
    else if ((v = pack_buffer(*cap))) {
      memcpy(v, magic, 8);
      *n = 8 + fread(v + 8, 1, *cap - 8, f);
      if (ferror(f)) /* a read error: reported as a damaged pack (its size will not match) */
        *n = 8;
    }
  }
  fclose(f);
  return v;
}

/* Reads and verifies a pack and hands it over whole; its records are decoded as they are asked
 * for (next_from_pack). 0 when path is no pack. */
static int read_pack(struct imhe_source *s, const char *path) {
  size_t n, cap;
  uint8_t *data = strcmp(path, "-") ? slurp_pack(path, &n, &cap) : NULL;
  if (!data)
    return 0;
  char err[512], msg[700];
  struct imhe_packin *pk = NULL;
  if (s->test_mode) {
    snprintf(msg, sizeof msg,
             "%s: a pack keeps no expect: blocks (it stores what a record says, not what a test "
             "expects of it); give imhe test the YAML files the pack was made from",
             path);
    push_record(s, NULL, strdup(msg));
  } else if (!(pk = calloc(1, sizeof *pk))) { /* GCOVR_EXCL_START: out of memory */
    push_record(s, NULL, strdup("out of memory"));
  } /* GCOVR_EXCL_STOP */
  else if (imhe_pack_open(&pk->p, data, n, 1, err, sizeof err) != 0) {
    snprintf(msg, sizeof msg, "%s: damaged or invalid pack: %s", path, err);
    push_record(s, NULL, strdup(msg));
    free(pk);
    pk = NULL;
  } else {
    atomic_init(&pk->refs, 1);
    pk->data = data;
    pk->n = n;
    pk->cap = cap;
    struct item *it = calloc(1, sizeof *it);
    if (!it) { /* GCOVR_EXCL_START: out of memory */
      imhe_pack_close(&pk->p);
      free(pk);
      pack_buffer_free(data, cap);
      return 1;
    } /* GCOVR_EXCL_STOP */
    it->pack = pk;
    imhe_queue_push(&s->q, it);
    return 1;
  }
  pack_buffer_free(data, cap);
  return 1;
}

/* Drops one reference to a pack (the source's, or a record's); the last frees it. */
static void pack_free(struct imhe_packin *pk) {
  if (!pk || atomic_fetch_sub(&pk->refs, 1) > 1)
    return;
  imhe_pack_close(&pk->p);
  pack_buffer_free(pk->data, pk->cap);
  free(pk);
}

static struct imhe_record_pool *pool_new(void) {
  struct imhe_record_pool *pl = calloc(1, sizeof *pl);
  if (!pl)
    return NULL;
  pthread_mutex_init(&pl->mu, NULL);
  pl->refs = 1;
  pl->open = 1;
  return pl;
}

/* Frees a pool no one holds any more, with the records it kept. */
static void pool_destroy(struct imhe_record_pool *pl) {
  for (int i = 0; i < pl->n; i++) {
    imhe_record_clear(pl->v[i]);
    free(pl->v[i]);
  }
  pthread_mutex_destroy(&pl->mu);
  free(pl);
}

/* Drops one reference (the source's, or a record's); the last frees the pool. */
static void pool_unref(struct imhe_record_pool *pl) {
  pthread_mutex_lock(&pl->mu);
  size_t left = --pl->refs;
  pthread_mutex_unlock(&pl->mu);
  if (!left)
    pool_destroy(pl);
}

/* A record to decode into: a freed one (reuse 1: its arena is kept), or a new one. */
static struct imhe_record *pool_take(struct imhe_record_pool *pl, int *reuse) {
  struct imhe_record *r = NULL;
  pthread_mutex_lock(&pl->mu);
  if (pl->n)
    r = pl->v[--pl->n];
  pl->refs++;
  pthread_mutex_unlock(&pl->mu);
  *reuse = r != NULL;
  if (!r && !(r = calloc(1, sizeof *r))) { /* GCOVR_EXCL_START: out of memory */
    pool_unref(pl);
    return NULL;
  } /* GCOVR_EXCL_STOP */
  return r;
}

/* A record of a pool freed: kept for the next while its source is open and the pool has room. */
static void pool_give(struct imhe_record *r) {
  struct imhe_record_pool *pl = r->pool;
  pack_free(r->pack); /* its texts are read no more */
  r->pack = NULL;
  pthread_mutex_lock(&pl->mu);
  int kept = pl->open && pl->n < POOL_KEEP;
  if (kept)
    pl->v[pl->n++] = r;
  size_t left = --pl->refs; /* the record's reference, dropped in the same hold of the lock */
  pthread_mutex_unlock(&pl->mu);
  if (!kept) {
    imhe_record_clear(r);
    free(r);
  }
  if (!left) /* never while kept: the open source holds a reference */
    pool_destroy(pl);
}

static const struct idslot *id_seen(struct imhe_source *s, const char *id, size_t idlen,
                                    const char *file, uint32_t line);

/* The error of a record whose id an earlier record of the source has (first seen at file:line). */
static void note_repeat(struct imhe_record *r, const char *file, uint32_t line) {
  imhe_record_error(r, r->line, 1, "id '%.60s' repeats the record at %s:%u", r->id.s, file, line);
}

/* Whether a record of association assoc (n bytes, NULL for none) is judged by the same program in
 * the source's set and the other one: asked once for a run of records of one association. */
static int pair_same(struct imhe_source *s, const char *assoc, size_t n) {
  if (assoc && n < sizeof s->last_assoc && (int)n == s->last_len &&
      !memcmp(s->last_assoc, assoc, n))
    return s->last_same;
  int same = imhe_pair_same(s->set, s->other, assoc);
  s->last_len = assoc && n < sizeof s->last_assoc ? (int)n : -1;
  if (s->last_len >= 0)
    memcpy(s->last_assoc, assoc, n);
  s->last_same = same;
  return same;
}

/* Skips record i of a pack, decoding only its head, when its policy is the same program on both
 * sides (imhe_source_next_changed); its id is still noted, as finish notes a decoded record's. */
static int skip_packed(struct imhe_source *s, const struct imhe_pack *p, uint32_t i) {
  struct imhe_pack_head h;
  if (!s->other || imhe_pack_skim(p, i, &h) != 0 || !pair_same(s, h.association.s, h.association.n))
    return 0;
  if (s->npaths != 1 && h.id.s && !h.has_errors && !s->test_mode)
    id_seen(s, h.id.s, h.id.n, h.file, h.line);
  (*s->skipped)++;
  return 1;
}

/* The next record of the pack being handed out, its notices first; NULL at its end (the pack is
 * then freed). A record that fails to decode (a pack made by hand) ends the pack: *fault says
 * why. */
static struct imhe_record *next_from_pack(struct imhe_source *s, char **fault) {
  struct imhe_packin *pk = s->pack;
  uint32_t before;
  int sev;
  struct imhe_msg m;
  for (;; pk->next++) { /* each record's notices come before it, a skipped record's too */
    for (; imhe_pack_note(&pk->p, pk->note, &sev, &before, &m) == 0 && before <= pk->next;
         pk->note++)
      on_notice(s, sev, &m);
    if (pk->next >= pk->p.nrecords || !skip_packed(s, &pk->p, pk->next))
      break;
  }
  struct imhe_record *r = NULL;
  int reuse;
  if (pk->next < pk->p.nrecords && (s->pool || (s->pool = pool_new())) &&
      (r = pool_take(s->pool, &reuse))) {
    char err[512], msg[700];
    int rc = imhe_pack_record(&pk->p, pk->next, r, reuse, err, sizeof err);
    r->pool = s->pool;               /* decoding readied the record afresh */
    if (rc == 0 && s->npaths == 1) { /* the pack alone: its index says which ids repeat */
      struct imhe_pack_head first;
      int k = imhe_pack_repeats(&pk->p, pk->next, r, &first, err, sizeof err);
      if (k > 0)
        note_repeat(r, first.file, first.line);
      rc = k < 0 ? -1 : 0;
    }
    if (rc == 0) {
      pk->next++;
      atomic_fetch_add(&pk->refs, 1);
      r->pack = pk;
      r->owner = s->set;
      return r;
    }
    snprintf(msg, sizeof msg, "%s: damaged or invalid pack: %s", s->paths[s->cur_file], err);
    *fault = strdup(msg);
    pool_give(r);
  }
  pack_free(pk);
  s->pack = NULL;
  return NULL;
}

static void *reader_main(void *arg) {
  struct imhe_source *s = arg;
  char err[700];
  for (size_t fi = 0; fi < s->npaths && !atomic_load(&s->stop); fi++) {
    if (read_pack(s, s->paths[fi]))
      continue;
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

/* The slot of an earlier record with the same id, or NULL after adding this one (first seen in
 * file at line). */
static const struct idslot *id_seen(struct imhe_source *s, const char *id, size_t idlen,
                                    const char *file, uint32_t line) {
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
  uint64_t h = id_hash(id, idlen);
  size_t k = h & (s->idcap - 1);
  for (; s->ids[k].hash; k = (k + 1) & (s->idcap - 1))
    if (s->ids[k].hash == h)
      return &s->ids[k];
  if (!s->nfiles || strcmp(s->files[s->nfiles - 1], file)) {
    char **v = realloc(s->files, (s->nfiles + 1) * sizeof *v);
    if (!v || !(v[s->nfiles] = strdup(file))) {
      if (v)
        s->files = v;
      return NULL;
    }
    s->files = v;
    s->nfiles++;
  }
  s->ids[k] = (struct idslot){h, (uint32_t)(s->nfiles - 1), line};
  s->idn++;
  return NULL;
}

/* Marks in a record read on the other thread an id seen before in this source. */
static void finish(struct imhe_source *s, struct imhe_record *r) {
  if (r->id.s && !r->errors.n && !s->test_mode) { /* tests may reuse an applicant's id */
    const struct idslot *prev = id_seen(s, r->id.s, r->id.n, r->file, r->line);
    if (prev)
      note_repeat(r, s->files[prev->file], prev->line);
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
    if (s->pack) {
      char *fault = NULL;
      uint32_t files = s->pack->p.nfiles;
      struct imhe_record *r = next_from_pack(s, &fault);
      if (r) {
        if (s->npaths != 1) /* across inputs; one pack's own repeats are in its index */
          finish(s, r);
        *out = r;
        return imhe_ok(err);
      }
      s->inputs += files ? files : 1;
      if (fault) {
        imhe_code rc = imhe_fail_at(err, IMHE_IO, s->paths[s->cur_file], 0, 0, "%s", fault);
        s->cur_file++;
        free(fault);
        return rc;
      }
      s->cur_file++;
      continue;
    }
    struct item *it = imhe_queue_pop(&s->q);
    if (!it) {
      s->done = 1;
      return imhe_fail(err, IMHE_END, "no more records");
    }
    if (it->pack) { /* its records are decoded here, one per call */
      s->pack = it->pack;
      free(it);
      continue;
    }
    if (!it->rec && !it->open_error) { /* the end of a file (or an allocation that failed) */
      s->cur_file++;
      s->inputs++;
      free(it);
      continue;
    }
    if (it->open_error) {
      imhe_code rc = imhe_fail_at(err, IMHE_IO, s->paths[s->cur_file], 0, 0, "%s", it->open_error);
      s->cur_file++;
      s->inputs++;
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

IMHE_API imhe_code imhe_source_next_changed(imhe_source *s, const imhe_policy_set *other,
                                            imhe_record **out, size_t *skipped, imhe_error *err) {
  if (out)
    *out = NULL;
  if (!s || !other || !out || !skipped)
    return imhe_fail(err, IMHE_INVALID_ARGUMENT, "imhe_source_next_changed: NULL argument");
  s->other = other;
  s->skipped = skipped;
  if (s->cached_for != other) {
    s->cached_for = other;
    s->last_len = -1;
  }
  imhe_code rc;
  /* a record read whole (from YAML, or a pack's that the skim could not place) is skipped too */
  while ((rc = imhe_source_next(s, out, err)) == IMHE_OK &&
         pair_same(s, (*out)->association.s, (*out)->association.n)) {
    imhe_record_free(*out);
    *out = NULL;
    (*skipped)++;
  }
  s->other = NULL;
  s->skipped = NULL;
  return rc;
}

IMHE_API size_t imhe_source_file_count(const imhe_source *s) {
  if (!s)
    return 0;
  return s->single ? 1 : s->inputs;
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
      pack_free(it->pack);
      free(it->open_error);
      free(it);
    }
    pthread_join(s->th, NULL);
    imhe_queue_destroy(&s->q);
  }
  pack_free(s->pack);
  if (s->pool) { /* records still out keep it; those kept for reuse go now */
    pthread_mutex_lock(&s->pool->mu);
    s->pool->open = 0;
    int n = s->pool->n;
    struct imhe_record *v[POOL_KEEP];
    memcpy(v, s->pool->v, sizeof v);
    s->pool->n = 0;
    pthread_mutex_unlock(&s->pool->mu);
    for (int i = 0; i < n; i++) {
      imhe_record_clear(v[i]);
      free(v[i]);
    }
    pool_unref(s->pool);
  }
  imhe_loader_close(s->single);
  for (size_t i = 0; s->paths && i < s->npaths; i++)
    free(s->paths[i]);
  free(s->paths);
  free(s->mem);
  free(s->name);
  free(s->notes);
  free(s->ids);
  for (size_t i = 0; i < s->nfiles; i++)
    free(s->files[i]);
  free(s->files);
  pthread_mutex_destroy(&s->mu);
  free(s);
}

IMHE_API void imhe_record_free(imhe_record *r) {
  if (!r)
    return;
  if (r->pool) {
    pool_give(r);
    return;
  }
  imhe_record_clear(r);
  free(r);
}
