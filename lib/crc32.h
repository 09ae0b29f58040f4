#ifndef CW_CRC32_H
#define CW_CRC32_H

#include <stddef.h>
#include <stdint.h>

/*
 * The IEEE 802.3 / gzip CRC32 (zlib's crc32()). Start with crc 0 and feed
 * the result back in to cover data given in pieces.
 */
uint32_t cw_crc32(uint32_t crc, const void *data, size_t n);

#endif
