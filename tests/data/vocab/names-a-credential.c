/* names-a-credential.c — a source that names one of the catalogue's credentials, which
 * tests/vocab-in-c.sh must refuse (make test checks that it does). */
static const char *const held = "infant_toddler_credential";
