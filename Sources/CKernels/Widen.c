/* u16 → float with the masked value as NaN: the first pass of every processing mode on
 * MOENCH and JUNGFRAU frames. */
#include <math.h>
#include "CKWiden.h"
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

/* Folds pixels into running totals the way ck_stats does (min starts at the mask value). */
static void ck_widen_stats_scalar_u16(const uint16_t *pixels, size_t count, uint16_t mask, float *out,
                                      ck_stats *s) {
    for (size_t i = 0; i < count; i++) {
        uint16_t v = pixels[i];
        if (v == mask) {
            out[i] = NAN;
            s->masked++;
        } else {
            out[i] = (float)v;
            s->sum += v;
            if (v < s->min) s->min = v;
            if (v > s->max) s->max = v;
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2")))
static void ck_widen_stats_avx2_u16(const uint16_t *pixels, size_t count, uint16_t mask, float *out,
                                    ck_stats *s) {
    const __m256i maskv = _mm256_set1_epi32(mask);
    const __m256 nan = _mm256_set1_ps(NAN);
    __m256i low = _mm256_set1_epi32(0xFFFF), high = _mm256_setzero_si256(), masked = _mm256_setzero_si256();
    size_t i = 0;
    while (i + 8 <= count) {
        /* 32-bit lane sums of at most 4096 × 65535 cannot overflow. */
        __m256i sums = _mm256_setzero_si256();
        size_t end = i + 8 * 4096 < count ? i + 8 * 4096 : count;
        for (; i + 8 <= end; i += 8) {
            __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(pixels + i)));
            __m256i isMasked = _mm256_cmpeq_epi32(wide, maskv);
            _mm256_storeu_ps(out + i, _mm256_blendv_ps(_mm256_cvtepi32_ps(wide), nan, _mm256_castsi256_ps(isMasked)));
            __m256i kept = _mm256_andnot_si256(isMasked, wide);
            sums = _mm256_add_epi32(sums, kept);
            masked = _mm256_sub_epi32(masked, isMasked);
            low = _mm256_min_epu32(low, _mm256_or_si256(wide, isMasked));
            high = _mm256_max_epu32(high, kept);
        }
        uint32_t lanes[8];
        _mm256_storeu_si256((__m256i *)lanes, sums);
        for (int k = 0; k < 8; k++) s->sum += lanes[k];
    }
    uint32_t l[8], h[8], m[8];
    _mm256_storeu_si256((__m256i *)l, low);
    _mm256_storeu_si256((__m256i *)h, high);
    _mm256_storeu_si256((__m256i *)m, masked);
    for (int k = 0; k < 8; k++) {
        if (l[k] < s->min) s->min = l[k];
        if (h[k] > s->max) s->max = h[k];
        s->masked += m[k];
    }
    ck_widen_stats_scalar_u16(pixels + i, count - i, mask, out + i, s);
}
#endif

ck_stats ck_widen_stats_u16(const uint16_t *pixels, size_t count, uint16_t mask, float *out, ck_path path) {
    /* min starts at the mask value: a frame of masked pixels only leaves it there, and the
     * caller reads min/max only when some pixel is unmasked (as for ck_stats). */
    ck_stats s = {0, 0, mask, 0};
#if defined(__x86_64__) || defined(__i386__)
    if (path != CK_PATH_SCALAR && ck_avx2_available()) {
        ck_widen_stats_avx2_u16(pixels, count, mask, out, &s);
        return s;
    }
#endif
    ck_widen_stats_scalar_u16(pixels, count, mask, out, &s);
    return s;
}
