#ifndef DETVIEW_CCODECS_INTERNAL_H
#define DETVIEW_CCODECS_INTERNAL_H
#include "CCodecs.h"
#include <string.h>

/* Transposes the 8x8 bit matrix in x (byte r, bit c) <-> (byte c, bit r): three delta swaps
 * (Hacker's Delight, transpose8). Its own inverse. */
static inline uint64_t cc_transpose8x8(uint64_t x) {
    uint64_t t;
    t = (x ^ (x >> 7)) & 0x00AA00AA00AA00AAull;
    x = x ^ t ^ (t << 7);
    t = (x ^ (x >> 14)) & 0x0000CCCC0000CCCCull;
    x = x ^ t ^ (t << 14);
    t = (x ^ (x >> 28)) & 0x00000000F0F0F0F0ull;
    x = x ^ t ^ (t << 28);
    return x;
}

/* Untransposes groups [first_group, n / 8) of a block; the AVX2 variant calls it for the tail. */
void cc_unshuffle_scalar_groups(const uint8_t *in, uint8_t *out, size_t n, size_t elem_size,
                                size_t first_group);
/* Untransposes whole 256-element chunks; returns the number of 8-element groups it did. */
size_t cc_unshuffle_avx2_chunks(const uint8_t *in, uint8_t *out, size_t n, size_t elem_size);

#endif
