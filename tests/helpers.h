/* helpers.h — small utilities shared by the Criterion tests: files, commands, compiling.
 * Test data lives under tests/; the CLI binary under test is $IMHE (default build/imhe). */
#ifndef IMHE_TEST_HELPERS_H
#define IMHE_TEST_HELPERS_H

#include "compiler/compile.h"
#include "runtime/bytecode/program.h"
#include <stddef.h>
#include <stdint.h>

char *read_all(const char *path, size_t *len);
int write_all(const char *path, const void *data, size_t n);
/* Runs a shell command; returns its exit status and its stdout (malloc'd) in *out if given. */
int run_cmd(const char *cmd, char **out);
const char *imhe_bin(void);
/* Compiles `path`; diagnostics as JSON Lines go to a malloc'd buffer in *diags. */
int compile_to(const char *path, struct imhe_program *p, char **diags);
/* rules/catalogue.imhe compiled once per process: its areas are every shipped policy's, in the
 * same order (the built-in copy's too). */
const struct imhe_program *catalogue(void);
/* The bit of the catalogue's area `word` in a result's failed areas (0 and a failed expectation
 * when there is none). */
uint32_t area_bit(const char *word);
/* Compiles and serialises; returns a malloc'd buffer. */
uint8_t *compile_bytes(const char *path, size_t *n);
/* Lists files in dir ending in `ext`, sorted; returns count, names malloc'd. */
int list_files(const char *dir, const char *ext, char ***names);
void free_list(char **names, int n);
/* A new directory under $TMPDIR (or /tmp), removed with what it holds when the test exits. */
char *temp_dir(void);
/* The text report wraps its lines at 78 columns: every line break and the indent after it become
 * one space, in place, so a check can look for a whole sentence wherever it was broken. NULL stays
 * NULL. */
char *unwrap(char *s);

#endif
