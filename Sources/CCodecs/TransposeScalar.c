/* The bitshuffle bit transpose, one 8-element group at a time with 64-bit words. */
#include "CodecsInternal.h"

void cc_unshuffle_scalar_groups(const uint8_t *in, uint8_t *out, size_t n, size_t elem_size,
                                size_t first_group) {
    const size_t row_bytes = n / 8;
    for (size_t g = first_group; g < row_bytes; g++) {
        uint8_t *dst = out + g * 8 * elem_size;
        for (size_t j = 0; j < elem_size; j++) {
            const uint8_t *rows = in + j * 8 * row_bytes + g;
            uint64_t x = 0;
            for (size_t b = 0; b < 8; b++) x |= (uint64_t)rows[b * row_bytes] << (8 * b);
            x = cc_transpose8x8(x);
            if (elem_size == 1) {
                memcpy(dst, &x, 8);
            } else {
                for (size_t i = 0; i < 8; i++) dst[i * elem_size + j] = (uint8_t)(x >> (8 * i));
            }
        }
    }
}

void cc_bitshuffle_block(const uint8_t *in, uint8_t *out, size_t n, size_t elem_size) {
    const size_t row_bytes = n / 8;
    for (size_t g = 0; g < row_bytes; g++) {
        const uint8_t *src = in + g * 8 * elem_size;
        for (size_t j = 0; j < elem_size; j++) {
            uint64_t x = 0;
            for (size_t i = 0; i < 8; i++) x |= (uint64_t)src[i * elem_size + j] << (8 * i);
            x = cc_transpose8x8(x);
            uint8_t *rows = out + j * 8 * row_bytes + g;
            for (size_t b = 0; b < 8; b++) rows[b * row_bytes] = (uint8_t)(x >> (8 * b));
        }
    }
}
