/* options.h — the option parsing every verb of the command line shares, and the table of verbs
 * main.c dispatches to (one file per verb). */
#ifndef IMHE_CLI_OPTIONS_H
#define IMHE_CLI_OPTIONS_H

#include "include/imhe.h"
#include <stddef.h>
#include <stdio.h>

/* "--help" or "-h". */
int imhe_cli_is_help(const char *a);
/* The value after option argv[*i] (advancing *i), or NULL after saying on stderr what is missing
 * ("imhe CMD: OPTION needs WHAT"). A next argument that is itself an option is not taken. */
const char *imhe_cli_option_value(const char *cmd, int argc, char **argv, int *i, const char *what);
/* 0, or -1 after saying why on stderr: out is a directory, a FIFO or socket, in a missing
 * directory, or one of the command's own inputs. A character device is fine. */
int imhe_cli_check_output(const char *cmd, const char *out, const char *const *inputs, int ninputs);

/* Where the policies are: a rules directory (sources in src_dir, compiled ones cached in
 * rules_dir) or one policy file (--policy). */
struct imhe_cli_dirs {
  const char *rules_dir, *src_dir, *policy_file;
};
/* The built-in rules directory (see options.c), written into bin and src (cap bytes each). */
void imhe_cli_default_dirs(struct imhe_cli_dirs *c, char *bin, char *src, size_t cap);
/* Opens the policies d names; NULL after saying why on stderr ("imhe CMD: ..."). */
imhe_policy_set *imhe_cli_open_policies(const char *cmd, const struct imhe_cli_dirs *d,
                                        int check_sum);

/* One verb: its name, its line in `imhe --help`, and the function that runs it (argv[0] is the
 * verb's name); each returns the exit status. */
struct imhe_cli_verb {
  const char *name, *summary;
  int (*run)(int argc, char **argv);
};
int imhe_cli_compile(int argc, char **argv);
int imhe_cli_disasm(int argc, char **argv);
int imhe_cli_check(int argc, char **argv);
int imhe_cli_report(int argc, char **argv);
int imhe_cli_recommend(int argc, char **argv);

/* A verb that reads and judges records as check does (same options, inputs, -o, exit status)
 * but writes what it says of each record itself: its --format values (NULL-ended, the first the
 * default) and the function writing one record to f, returning 0, 1 (not eligible) or 2 (could not
 * be judged). */
struct imhe_cli_writer {
  const char *const *formats;
  int (*record)(const imhe_policy_set *set, const imhe_record *rec, const imhe_judge_options *o,
                const char *format, FILE *f);
  void (*begin)(FILE *f, const char *format); /* before the first record (may be NULL) */
  void (*end)(FILE *f, const char *format);   /* after the last (may be NULL) */
};
/* Runs such a verb (check.c): name and usage as `imhe NAME --help` prints them. */
int imhe_cli_judging(const char *name, const char *usage, const struct imhe_cli_writer *w, int argc,
                     char **argv);
int imhe_cli_fmt(int argc, char **argv);
int imhe_cli_test(int argc, char **argv);
int imhe_cli_diff(int argc, char **argv);
int imhe_cli_pack(int argc, char **argv);

#endif
