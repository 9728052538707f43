/* main.c — the `imhe` command line: a table of verbs, each in its own file (check.c with report,
 * compile.c, diff.c, disasm.c, fmt.c, pack.c, test.c), sharing options.c; this file only dispatches
 * and checks standard output. */
#include "cli/options.h"
#include "runtime/bytecode/program.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

static const char *const usage_main =
    "usage: imhe <command> [options]\n"
    "\n"
    "Rules engine for the Infant and Early Childhood Mental Health Endorsement.\n"
    "\n"
    "commands:\n"
    "  check     judge application records against their association's policy\n"
    "  report    the deficiency report to send each applicant (text, Markdown, HTML)\n"
    "  recommend rank every category an applicant's association offers by closeness\n"
    "  compile   compile a .imhe policy into verified bytecode (.imhec)\n"
    "  diff      what differs between two policies or rules directories\n"
    "  disasm    list a compiled policy's rules and instructions\n"
    "  fmt       print a policy in canonical layout (--check: report if it differs,\n"
    "            -w: rewrite it in place)\n"
    "  pack      store record files, read and typed, in one verified pack (.imhepack)\n"
    "  test      run policy tests: records with expected outcomes\n"
    "\n"
    "Run 'imhe <command> --help' for a command's options.\n";

static const struct imhe_cli_verb verbs[] = {
    {"check", "judge application records against their association's policy", imhe_cli_check},
    {"report", "the deficiency report to send each applicant", imhe_cli_report},
    {"recommend", "rank every category an applicant's association offers by closeness",
     imhe_cli_recommend},
    {"compile", "compile a .imhe policy into verified bytecode (.imhec)", imhe_cli_compile},
    {"diff", "what differs between two policies or rules directories", imhe_cli_diff},
    {"disasm", "list a compiled policy's rules and instructions", imhe_cli_disasm},
    {"fmt", "print a policy in canonical layout", imhe_cli_fmt},
    {"pack", "store record files, read and typed, in one verified pack (.imhepack)", imhe_cli_pack},
    {"test", "run policy tests: records with expected outcomes", imhe_cli_test},
};

static int run(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage_main, stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (imhe_cli_is_help(cmd) || !strcmp(cmd, "help")) {
    fputs(usage_main, stdout);
    return 0;
  }
  if (!strcmp(cmd, "--version")) {
    printf("imhe %s (bytecode format %d)\n", IMHE_VERSION, IMHE_FORMAT_VERSION);
    return 0;
  }
  for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
    if (!strcmp(cmd, verbs[i].name))
      return verbs[i].run(argc - 1, argv + 1);
  fprintf(stderr, "imhe: unknown command '%s'\n\n%s", cmd, usage_main);
  return 2;
}

/* glibc gives the freed top of a heap back to the kernel once it passes 128 KiB, and a batch frees
 * that much after every document (libyaml's parser buffers, a record's and a result's arenas), so
 * each document faulted its memory in again: 3 page faults a record, and twice the CPU, on one
 * thread. imhe keeps up to 64 MiB freed (peak memory is unchanged: it is what was in use) and takes
 * blocks up to 32 MiB from the heap rather than mapping each anew. Set here, by the program, and
 * not in the library, which must not change an embedding program's malloc behind its back. */
static void keep_freed_memory(void) {
#ifdef __GLIBC__
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

/* A batch writes its report in pieces of a few kilobytes a record; with stdio's default buffer
 * for a file or a pipe (4 KiB) that is two system calls a record, which on a virtual machine cost
 * more than writing the JSON. A file or a pipe gets a buffer of 256 KiB; a terminal keeps its line
 * buffering, so a person sees each result as it is judged. */
static void buffer_standard_output(void) {
  static char buf[256 << 10];
  if (!isatty(STDOUT_FILENO))
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
}

/* A report that could not reach standard output (a full disk behind a redirection, a closed
 * pipe) is an error, not a success with nothing written. */
int main(int argc, char **argv) {
  keep_freed_memory();
  buffer_standard_output();
  int rc = run(argc, argv);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "imhe: standard output: %s\n", strerror(errno ? errno : EIO));
    rc = 2;
  }
  return rc;
}
