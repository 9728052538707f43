/* options.c — what every verb shares: recognising --help, taking an option's value, and
 * refusing an output file that cannot be written before anything is read. */
#include "cli/options.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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
