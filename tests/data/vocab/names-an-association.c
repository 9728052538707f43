/* names-an-association.c — a source that names an association a shipped policy declares, which
 * tests/vocab-in-c.sh must refuse (make test checks that it does). */
static const char *const home = "MI-AIMH";
