/* names-a-code.c — a source that names a category code, which tests/vocab-in-c.sh must refuse
 * (make test checks that it does). */
static const char *const applied = "IFS";
