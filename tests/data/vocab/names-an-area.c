/* names-an-area.c — a source that names one of the catalogue's areas, which tests/vocab-in-c.sh
 * must refuse (make test checks that it does). */
static const char *const area = "ethics";
