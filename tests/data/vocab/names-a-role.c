/* names-a-role.c — a source that names one of the catalogue's reference roles, which
 * tests/vocab-in-c.sh must refuse (make test checks that it does). */
static const char *const place = "supervisee";
