/* pack.c — `imhe pack`: record files read and typed once into a .imhepack (docs/pack.md), which
 * check, report and the other verbs that read records then take in place of the YAML. */
#include "cli/options.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const usage_pack =
    "usage: imhe pack [-q] FILE... -o CORPUS.imhepack\n"
    "\n"
    "Reads the record files (YAML, or packs to join) as check reads them and\n"
    "stores the typed records, with their files, lines, errors and warnings, in\n"
    "one pack, written atomically. 'imhe check CORPUS.imhepack' then judges them\n"
    "without parsing YAML, with the verdicts and reports the YAML gives; a pack is\n"
    "verified whole (checksum, every offset and length) before any record is used.\n"
    "On success prints one line: what was written and how many records it holds;\n"
    "-q, --quiet prints nothing.\n"
    "exit: 0 written, 2 usage or I/O error (nothing is written then)\n";

int imhe_cli_pack(int argc, char **argv) {
  const char *out = NULL;
  int quiet = 0;
  const char **in = calloc((size_t)argc, sizeof *in);
  int nin = 0;
  if (!in)
    return 2;
  for (int i = 1; i < argc; i++) {
    if (imhe_cli_is_help(argv[i])) {
      fputs(usage_pack, stdout);
      free(in);
      return 0;
    } else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
      quiet = 1;
    } else if (!strcmp(argv[i], "-o")) {
      if (!(out = imhe_cli_option_value("pack", argc, argv, &i, "a file name for the pack"))) {
        free(in);
        return 2;
      }
    } else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "imhe pack: unknown option '%s'\n%s", argv[i], usage_pack);
      free(in);
      return 2;
    } else
      in[nin++] = argv[i];
  }
  int rc = 2;
  if (!nin || !out)
    fprintf(stderr, "imhe pack: %s\n%s", !nin ? "no record file given" : "-o OUT is required",
            usage_pack);
  else if (imhe_cli_check_output("pack", out, in, nin) == 0) {
    imhe_error err;
    size_t n;
    if (imhe_pack_paths(in, (size_t)nin, out, &n, &err) != IMHE_OK)
      fprintf(stderr, "imhe pack: %s\n", err.message);
    else {
      if (!quiet)
        printf("%d file%s \u2192 %s: %zu record%s\n", nin, nin == 1 ? "" : "s", out, n,
               n == 1 ? "" : "s");
      rc = 0;
    }
  }
  free(in);
  return rc;
}
