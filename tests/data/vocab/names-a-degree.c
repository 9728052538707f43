/* names-a-degree.c — a source that names one of the catalogue's degrees, which tests/vocab-in-c.sh
 * must refuse (make test checks that it does). */
static const char *const top = "doctorate";
