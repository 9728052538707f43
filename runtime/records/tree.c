/* tree.c — scalars quoted safely in messages: at most 40 bytes, control bytes shown as '?', so no
 * input can stretch or garble a message. */
#include "runtime/records/tree.h"

const char *imhe_tree_excerpt(const struct ynode *n, char *buf, size_t cap) {
  if (n->type != N_SCALAR)
    return n->type == N_SEQ ? "a list" : "a mapping";
  size_t k = 0;
  buf[k++] = '\'';
  for (uint32_t i = 0; i < n->n && k + 5 < cap && i < 40; i++) {
    unsigned char c = (unsigned char)n->s[i];
    buf[k++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
  }
  if (n->n > 40 && k + 5 < cap) {
    memcpy(buf + k, "...", 3);
    k += 3;
  }
  buf[k++] = '\'';
  buf[k] = 0;
  return buf;
}
