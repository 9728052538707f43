/* names-a-fee-kind.c — a source that names one of the catalogue's fee kinds, which
 * tests/vocab-in-c.sh must refuse (make test checks that it does). */
static const char *const charged = "processing";
