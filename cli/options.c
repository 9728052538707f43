/* options.c — what every verb shares: recognising --help, taking an option's value, finding and
 * opening the policies, and refusing an output file that cannot be written before anything is read.
 */
#include "cli/options.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int imhe_cli_is_help(const char *a) {
  return !strcmp(a, "--help") || !strcmp(a, "-h");
}

/* The value after option argv[*i] (advancing *i), or NULL after saying what is missing. A next
 * argument that is itself an option is not taken as the value. */
const char *imhe_cli_option_value(const char *cmd, int argc, char **argv, int *i,
                                  const char *what) {
  if (*i + 1 >= argc || !strncmp(argv[*i + 1], "--", 2)) {
    fprintf(stderr, "imhe %s: %s needs %s\n", cmd, argv[*i], what);
    return NULL;
  }
  return argv[++*i];
}

/* Refuses, before anything is read, an output that cannot be written: a directory, a FIFO or
 * socket, a missing directory, or one of the command's own inputs. A character device
 * (/dev/null, a terminal) is written as it is, since it cannot be replaced. */
int imhe_cli_check_output(const char *cmd, const char *out, const char *const *inputs,
                          int ninputs) {
  struct stat st;
  if (stat(out, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      fprintf(stderr, "imhe %s: -o %s: is a directory (give a file name)\n", cmd, out);
      return -1;
    }
    if (S_ISCHR(st.st_mode))
      return 0;
    if (!S_ISREG(st.st_mode)) {
      fprintf(stderr,
              "imhe %s: -o %s: not a regular file or device (it is replaced whole by a new file; "
              "leave out -o to write to standard output)\n",
              cmd, out);
      return -1;
    }
    for (int i = 0; i < ninputs; i++) {
      struct stat in;
      if (strcmp(inputs[i], "-") && stat(inputs[i], &in) == 0 && in.st_dev == st.st_dev &&
          in.st_ino == st.st_ino) {
        fprintf(stderr, "imhe %s: -o %s is also an input: refusing to overwrite it\n", cmd, out);
        return -1;
      }
    }
    return 0;
  }
  if (errno != ENOENT) {
    fprintf(stderr, "imhe %s: -o %s: %s\n", cmd, out, strerror(errno));
    return -1;
  }
  char dir[PATH_MAX];
  const char *sl = strrchr(out, '/');
  snprintf(dir, sizeof dir, "%.*s", sl ? (int)(sl - out) + (sl == out) : 1, sl ? out : ".");
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "imhe %s: -o %s: directory '%s' %s\n", cmd, out, dir,
            stat(dir, &st) != 0 ? "does not exist" : "is not a directory");
    return -1;
  }
  return 0;
}

/* A directory with at least one NAME.imhe source in it. */
static int holds_policies(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  int found = 0;
  for (struct dirent *e; !found && (e = readdir(d));) {
    size_t n = strlen(e->d_name);
    found = n > 5 && !strcmp(e->d_name + n - 5, ".imhe");
  }
  closedir(d);
  return found;
}

#ifndef IMHE_RULES_DIR
#define IMHE_RULES_DIR "/usr/local/share/imhe/rules" /* make passes $(PREFIX)/share/imhe/rules */
#endif

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Where the policies are when neither --rules nor --policy says: in a build tree, rules/ beside
 * the build directory holding imhe (compiled into build/rules); installed, share/imhe/rules beside
 * the executable's bin/ (so a copy staged with DESTDIR, or moved whole, finds its own), else where
 * `make install` put them (IMHE_RULES_DIR). The compiled files are cached beside the sources. */
void imhe_cli_default_dirs(struct imhe_cli_dirs *c, char *bin, char *src, size_t cap) {
  char exe[PATH_MAX - 32];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    char *sl = strrchr(exe, '/');
    if (sl)
      *sl = 0;
    /* build/imhe, or a nested tree such as build/coverage/imhe: the sources are the first rules/
     * above that holds policies (build/rules holds only compiled ones) */
    snprintf(bin, cap, "%s/rules", exe);
    for (const char *up = "/..", *up2 = "/../.."; up; up = up2, up2 = NULL) {
      snprintf(src, cap, "%s%s/rules", exe, up);
      if (holds_policies(src))
        goto found;
    }
    snprintf(src, cap, "%s/../share/imhe/rules", exe);
    snprintf(bin, cap, "%s", src);
    if (is_dir(src))
      goto found;
  }
  if (n <= 0 && !is_dir(IMHE_RULES_DIR)) { /* no /proc: a build tree as the working directory */
    snprintf(bin, cap, "build/rules");
    snprintf(src, cap, "rules");
    goto found;
  }
  snprintf(src, cap, "%s", IMHE_RULES_DIR);
  snprintf(bin, cap, "%s", IMHE_RULES_DIR);
found:
  c->rules_dir = bin;
  c->src_dir = src;
}

/* The policies: one file (--policy), a directory (--rules), or the built-in ones (sources in
 * src_dir, compiled ones cached in rules_dir). */
imhe_policy_set *imhe_cli_open_policies(const char *cmd, const struct imhe_cli_dirs *d,
                                        int check_sum) {
  imhe_open_options oo = {.no_checksum = !check_sum};
  const char *path = d->policy_file ? d->policy_file : d->src_dir;
  if (!d->policy_file && strcmp(d->rules_dir, d->src_dir))
    oo.cache_dir = d->rules_dir;
  imhe_policy_set *set;
  imhe_error e;
  if (imhe_policy_set_open(path, &oo, &set, &e) != IMHE_OK) {
    fprintf(stderr, "imhe %s: %s\n", cmd, e.message);
    return NULL;
  }
  return set;
}
