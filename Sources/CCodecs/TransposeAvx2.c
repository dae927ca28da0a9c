/* The bit untranspose with AVX2, 256 elements (32 groups of 8) per step: per byte plane, the 8
 * rows are byte-transposed with unpacks so that each 64-bit lane holds one group's 8 row
 * bytes, each lane is bit-transposed (cc_transpose8x8 on vectors), then the planes are
 * interleaved into elements. Unpacks stay within 128-bit lanes, so lane 0 carries groups
 * 0-15 and lane 1 groups 16-31 through the same network. Element sizes 1, 2, 4; 8 is rare
 * in detector data and stays scalar. */
#include "CodecsInternal.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

static inline AVX2 __m256i transpose8x8_lanes(__m256i x) {
    __m256i t;
    t = _mm256_and_si256(_mm256_xor_si256(x, _mm256_srli_epi64(x, 7)), _mm256_set1_epi64x(0x00AA00AA00AA00AAll));
    x = _mm256_xor_si256(x, _mm256_xor_si256(t, _mm256_slli_epi64(t, 7)));
    t = _mm256_and_si256(_mm256_xor_si256(x, _mm256_srli_epi64(x, 14)), _mm256_set1_epi64x(0x0000CCCC0000CCCCll));
    x = _mm256_xor_si256(x, _mm256_xor_si256(t, _mm256_slli_epi64(t, 14)));
    t = _mm256_and_si256(_mm256_xor_si256(x, _mm256_srli_epi64(x, 28)), _mm256_set1_epi64x(0x00000000F0F0F0F0ll));
    x = _mm256_xor_si256(x, _mm256_xor_si256(t, _mm256_slli_epi64(t, 28)));
    return x;
}

/* Byte plane of 32 groups from 8 rows starting at `rows`: p[k] holds, per 128-bit lane L,
 * that byte of elements 128 L + 16 k .. 128 L + 16 k + 15. */
static inline AVX2 void plane(const uint8_t *rows, size_t row_bytes, __m256i p[8]) {
    __m256i r[8];
    for (int b = 0; b < 8; b++) r[b] = _mm256_loadu_si256((const __m256i *)(rows + b * row_bytes));
    __m256i a0 = _mm256_unpacklo_epi8(r[0], r[1]), a1 = _mm256_unpackhi_epi8(r[0], r[1]);
    __m256i a2 = _mm256_unpacklo_epi8(r[2], r[3]), a3 = _mm256_unpackhi_epi8(r[2], r[3]);
    __m256i a4 = _mm256_unpacklo_epi8(r[4], r[5]), a5 = _mm256_unpackhi_epi8(r[4], r[5]);
    __m256i a6 = _mm256_unpacklo_epi8(r[6], r[7]), a7 = _mm256_unpackhi_epi8(r[6], r[7]);
    __m256i b0 = _mm256_unpacklo_epi16(a0, a2), b1 = _mm256_unpackhi_epi16(a0, a2);
    __m256i b2 = _mm256_unpacklo_epi16(a1, a3), b3 = _mm256_unpackhi_epi16(a1, a3);
    __m256i b4 = _mm256_unpacklo_epi16(a4, a6), b5 = _mm256_unpackhi_epi16(a4, a6);
    __m256i b6 = _mm256_unpacklo_epi16(a5, a7), b7 = _mm256_unpackhi_epi16(a5, a7);
    p[0] = transpose8x8_lanes(_mm256_unpacklo_epi32(b0, b4));
    p[1] = transpose8x8_lanes(_mm256_unpackhi_epi32(b0, b4));
    p[2] = transpose8x8_lanes(_mm256_unpacklo_epi32(b1, b5));
    p[3] = transpose8x8_lanes(_mm256_unpackhi_epi32(b1, b5));
    p[4] = transpose8x8_lanes(_mm256_unpacklo_epi32(b2, b6));
    p[5] = transpose8x8_lanes(_mm256_unpackhi_epi32(b2, b6));
    p[6] = transpose8x8_lanes(_mm256_unpacklo_epi32(b3, b7));
    p[7] = transpose8x8_lanes(_mm256_unpackhi_epi32(b3, b7));
}

/* Stores lane 0 of x and y as 32 contiguous bytes at lo, lane 1 of both at hi. */
static inline AVX2 void store_lanes(uint8_t *lo, uint8_t *hi, __m256i x, __m256i y) {
    _mm256_storeu_si256((__m256i *)lo, _mm256_permute2x128_si256(x, y, 0x20));
    _mm256_storeu_si256((__m256i *)hi, _mm256_permute2x128_si256(x, y, 0x31));
}

AVX2 size_t cc_unshuffle_avx2_chunks(const uint8_t *in, uint8_t *out, size_t n, size_t elem_size) {
    const size_t row_bytes = n / 8;
    const size_t chunks = n / 256;
    if (elem_size != 1 && elem_size != 2 && elem_size != 4) return 0;
    for (size_t c = 0; c < chunks; c++) {
        const uint8_t *src = in + c * 32;
        uint8_t *dst = out + c * 256 * elem_size;
        __m256i p0[8], p1[8], p2[8], p3[8];
        plane(src, row_bytes, p0);
        if (elem_size == 1) {
            for (int k = 0; k < 8; k += 2) store_lanes(dst + 16 * k, dst + 128 + 16 * k, p0[k], p0[k + 1]);
            continue;
        }
        plane(src + 8 * row_bytes, row_bytes, p1);
        if (elem_size == 2) {
            for (int k = 0; k < 8; k++) {
                __m256i lo = _mm256_unpacklo_epi8(p0[k], p1[k]), hi = _mm256_unpackhi_epi8(p0[k], p1[k]);
                store_lanes(dst + 32 * k, dst + 256 + 32 * k, lo, hi);
            }
            continue;
        }
        plane(src + 16 * row_bytes, row_bytes, p2);
        plane(src + 24 * row_bytes, row_bytes, p3);
        for (int k = 0; k < 8; k++) {
            __m256i x01lo = _mm256_unpacklo_epi8(p0[k], p1[k]), x01hi = _mm256_unpackhi_epi8(p0[k], p1[k]);
            __m256i x23lo = _mm256_unpacklo_epi8(p2[k], p3[k]), x23hi = _mm256_unpackhi_epi8(p2[k], p3[k]);
            uint8_t *d = dst + 64 * k;
            store_lanes(d, d + 512, _mm256_unpacklo_epi16(x01lo, x23lo), _mm256_unpackhi_epi16(x01lo, x23lo));
            store_lanes(d + 32, d + 512 + 32, _mm256_unpacklo_epi16(x01hi, x23hi), _mm256_unpackhi_epi16(x01hi, x23hi));
        }
    }
    return chunks * 32;
}

#else
size_t cc_unshuffle_avx2_chunks(const uint8_t *in, uint8_t *out, size_t n, size_t elem_size) {
    (void)in; (void)out; (void)n; (void)elem_size;
    return 0;
}
#endif
