/* fuzz_pack.c — libFuzzer harness: arbitrary bytes as a .imhepack (checksum not required, so the
 * verifier behind it is reached). Whatever it accepts must decode, judge and render without fault.
 */
#include "include/imhe.h"
#include "runtime/records/pack.h"
#include <stdlib.h>
#include <string.h>

static imhe_policy_set *set; /* opened once, closed at exit (the leak checker runs after) */
static void close_set(void) {
  imhe_policy_set_close(set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char buf[1 << 16];
  if (!set) {
    imhe_open_options o = {.no_cache_write = 1};
    if (imhe_policy_set_open("rules", &o, &set, NULL) != IMHE_OK)
      abort(); /* run from the project root */
    atexit(close_set);
  }
  struct imhe_pack p;
  char err[512];
  if (imhe_pack_open(&p, data, size, 0, err, sizeof err) != 0)
    return 0;
  int sev;
  uint32_t before;
  struct imhe_msg m;
  for (uint32_t i = 0; imhe_pack_note(&p, i, &sev, &before, &m) == 0; i++)
    if (strlen(m.file) + strlen(m.text) == (size_t)-1)
      abort();
  for (uint32_t i = 0; i < p.nrecords; i++) {
    struct imhe_record *r = calloc(1, sizeof *r);
    if (!r)
      abort();
    if (imhe_pack_record(&p, i, r, 0, err, sizeof err) != 0) { /* refused at its first bad record */
      if (!strstr(err, "offset"))
        abort(); /* a refusal is located */
      imhe_record_free(r);
      break;
    }
    struct imhe_pack_head first;
    if (imhe_pack_repeats(&p, i, r, &first, err, sizeof err) < 0) { /* the index's repeat */
      if (!strstr(err, "offset"))
        abort();
      imhe_record_free(r);
      break;
    }
    r->owner = set;
    imhe_result *res = NULL;
    if (imhe_judge(set, r, NULL, &res, NULL) == IMHE_OK)
      imhe_render_buffer(res, "json", NULL, buf, sizeof buf, NULL, NULL);
    imhe_result_free(res);
    imhe_record_free(r);
  }
  imhe_pack_close(&p);
  return 0;
}
