/* crc32.h — the checksum of every binary file imhe writes (.imhec bytecode, .imhepack corpora).
 * Reentrant: its only state, the slicing tables, is built once under pthread_once. */
#ifndef IMHE_CRC32_H
#define IMHE_CRC32_H

#include "runtime/core/export.h"
#include <stddef.h>
#include <stdint.h>

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of n bytes. */
IMHE_INTERNAL_API uint32_t imhe_crc32(const uint8_t *data, size_t n);
/* The CRC of the bytes whose CRC is crc followed by these n: imhe_crc32(a ++ b) is
 * imhe_crc32_more(imhe_crc32(a), b). */
IMHE_INTERNAL_API uint32_t imhe_crc32_more(uint32_t crc, const uint8_t *data, size_t n);

#endif
