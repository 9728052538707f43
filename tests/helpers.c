/* helpers.c — file, process and compile helpers for the tests.
 * Deliberately plain: the tests should fail on the code under test, not on their helpers. */
/* nftw() is XSI */
#define _XOPEN_SOURCE 700
#include "helpers.h"
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Everything left in `f`, NUL-terminated (malloc'd); its length in *len if given. */
static char *read_stream(FILE *f, size_t *len) {
  size_t cap = 4096, n = 0, r;
  char *b = malloc(cap + 1);
  while ((r = fread(b + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) {
      cap *= 2;
      b = realloc(b, cap + 1);
    }
  }
  b[n] = 0;
  if (len)
    *len = n;
  return b;
}

char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *b = read_stream(f, len);
  fclose(f);
  return b;
}

int write_all(const char *path, const void *data, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  size_t w = fwrite(data, 1, n, f);
  fclose(f);
  return w == n ? 0 : -1;
}

int run_cmd(const char *cmd, char **out) {
  FILE *p = popen(cmd, "r");
  if (!p)
    return -1;
  char *b = read_stream(p, NULL);
  int st = pclose(p);
  if (out)
    *out = b;
  else
    free(b);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

const char *imhe_bin(void) {
  const char *e = getenv("IMHE");
  return e && *e ? e : "build/imhe";
}

int compile_to(const char *path, struct imhe_program *p, char **diags) {
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  struct diags d;
  imhe_diags_init(&d, mem, 1, 0);
  int rc = imhe_compile_file(path, &d, p);
  imhe_diags_flush(&d);
  imhe_diags_free(&d);
  fclose(mem);
  if (diags)
    *diags = buf;
  else
    free(buf);
  return rc;
}

const struct imhe_program *catalogue(void) {
  static struct imhe_program p;
  static int done;
  if (!done++ && compile_to("rules/catalogue.imhe", &p, NULL) != 0)
    memset(&p, 0, sizeof p);
  return &p;
}

uint32_t area_bit(const char *word) {
  int a = imhe_area_lookup_in(catalogue(), word, strlen(word));
  return a >= 0 ? 1u << a : 0;
}

uint8_t *compile_bytes(const char *path, size_t *n) {
  struct imhe_program p;
  if (compile_to(path, &p, NULL) != 0)
    return NULL;
  uint8_t *b;
  imhe_program_write(&p, &b, n);
  imhe_program_free(&p);
  return b;
}

static int cmpstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int list_files(const char *dir, const char *ext, char ***names) {
  DIR *d = opendir(dir);
  int n = 0, cap = 64;
  *names = malloc(sizeof(char *) * (size_t)cap);
  if (!d)
    return 0;
  struct dirent *e;
  size_t el = strlen(ext);
  while ((e = readdir(d))) {
    size_t l = strlen(e->d_name);
    if (l <= el || strcmp(e->d_name + l - el, ext))
      continue;
    if (n == cap) {
      cap *= 2;
      *names = realloc(*names, sizeof(char *) * (size_t)cap);
    }
    (*names)[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(*names, (size_t)n, sizeof(char *), cmpstr);
  return n;
}

void free_list(char **names, int n) {
  for (int i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

/* The directories temp_dir() made in this process (each test runs in its own), removed when it
 * exits, however the test ended, so a run leaves nothing in the temporary directory. */
static char *made_dirs[64];
static int n_made;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  remove(path); /* what cannot be removed is left: cleaning up is best effort */
  return 0;
}

static void remove_made_dirs(void) {
  for (int i = 0; i < n_made; i++)
    nftw(made_dirs[i], remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *temp_dir(void) {
  const char *t = getenv("TMPDIR");
  char tmpl[4096];
  snprintf(tmpl, sizeof tmpl, "%s/imhe-test-XXXXXX", t && *t ? t : "/tmp");
  char *d = mkdtemp(tmpl);
  if (!d)
    return NULL;
  if (n_made < (int)(sizeof made_dirs / sizeof *made_dirs)) {
    if (n_made == 0)
      atexit(remove_made_dirs);
    made_dirs[n_made++] = strdup(d);
  }
  return strdup(d);
}

char *unwrap(char *s) {
  char *w = s;
  for (char *r = s; s && *r;) {
    if (*r == '\n') {
      while (*r == '\n' || *r == ' ')
        r++;
      *w++ = ' ';
    } else
      *w++ = *r++;
  }
  if (s)
    *w = 0;
  return s;
}
