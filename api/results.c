/* results.c — results as data: the verdict (transitional: the walk over rules and conditions comes
 * with the reason codes). */
#include "api/internal.h"

IMHE_API imhe_verdict imhe_result_verdict(const imhe_result *res) {
  return res ? res->verdict : IMHE_VERDICT_INVALID;
}
