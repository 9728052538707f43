/* export.h — which internal functions libimhe.so exports. The library is built with
 * -fvisibility=hidden; the functions the imhe command still calls directly are marked
 * IMHE_INTERNAL_API (default visibility) until it uses only include/imhe.h, when the mark goes and
 * the shared library exports the public API (IMHE_API) alone. */
#ifndef IMHE_EXPORT_H
#define IMHE_EXPORT_H

#include "include/imhe.h"

#define IMHE_INTERNAL_API IMHE_API

#endif
