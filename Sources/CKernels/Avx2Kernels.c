/* Instantiates the AVX2 variants (Avx2Body.h) for u8, u16 and u32 pixels. Only these
 * functions are compiled for AVX2 (per-function target attribute); Dispatch.c calls them
 * only when the CPU has it. Each pixel type brings its lane operations and its way of
 * summing lanes without overflow. */
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "KernelsInternal.h"

#define CK_AVX2 __attribute__((target("avx2")))

static inline CK_AVX2 uint64_t ck_sum_u64_lanes(__m256i v) {
    uint64_t lanes[4];
    _mm256_storeu_si256((__m256i *)lanes, v);
    return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

/* u8: sad against zero sums each 8 bytes into a 64-bit lane: no overflow to manage, so the
 * limit comes from the 8-bit masked-pixel counters. */
static inline CK_AVX2 __m256i ck_sum_add_u8(__m256i sum, __m256i z) {
    return _mm256_add_epi64(sum, _mm256_sad_epu8(z, _mm256_setzero_si256()));
}
static inline CK_AVX2 uint64_t ck_sum_flush_u8(__m256i sum, size_t adds) {
    (void)adds;
    return ck_sum_u64_lanes(sum);
}

/* u16: madd sums pairs into 32-bit lanes but is signed, so values are biased by -32768
 * (xor 0x8000) and the bias is added back per pixel at the flush. A lane moves by at most
 * 65536 per addition: 32767 additions stay inside int32. */
static inline CK_AVX2 __m256i ck_sum_add_u16(__m256i sum, __m256i z) {
    __m256i biased = _mm256_xor_si256(z, _mm256_set1_epi16((short)0x8000));
    return _mm256_add_epi32(sum, _mm256_madd_epi16(biased, _mm256_set1_epi16(1)));
}
static inline CK_AVX2 uint64_t ck_sum_flush_u16(__m256i sum, size_t adds) {
    int32_t lanes[8];
    _mm256_storeu_si256((__m256i *)lanes, sum);
    int64_t total = 0;
    for (int i = 0; i < 8; i++) total += lanes[i];
    return (uint64_t)(total + (int64_t)adds * 16 * 32768);
}

/* u32: both halves of each 64-bit lane are added into 64-bit lanes. */
static inline CK_AVX2 __m256i ck_sum_add_u32(__m256i sum, __m256i z) {
    __m256i low = _mm256_and_si256(z, _mm256_set1_epi64x(0xFFFFFFFF));
    return _mm256_add_epi64(sum, _mm256_add_epi64(low, _mm256_srli_epi64(z, 32)));
}
static inline CK_AVX2 uint64_t ck_sum_flush_u32(__m256i sum, size_t adds) {
    (void)adds;
    return ck_sum_u64_lanes(sum);
}

#define PIX uint8_t
#define SUF u8
#define VL 32
#define FLUSH_LIMIT 255
#define V_SET1(x) _mm256_set1_epi8((char)(x))
#define V_EQ _mm256_cmpeq_epi8
#define V_MIN _mm256_min_epu8
#define V_MAX _mm256_max_epu8
#define V_ADD _mm256_add_epi8
#define V_SUB _mm256_sub_epi8
#define V_SUM_ADD ck_sum_add_u8
#define V_SUM_FLUSH ck_sum_flush_u8
#include "Avx2Body.h"
#undef PIX
#undef SUF
#undef VL
#undef FLUSH_LIMIT
#undef V_SET1
#undef V_EQ
#undef V_MIN
#undef V_MAX
#undef V_ADD
#undef V_SUB
#undef V_SUM_ADD
#undef V_SUM_FLUSH

#define PIX uint16_t
#define SUF u16
#define VL 16
#define FLUSH_LIMIT 32767
#define V_SET1(x) _mm256_set1_epi16((short)(x))
#define V_EQ _mm256_cmpeq_epi16
#define V_MIN _mm256_min_epu16
#define V_MAX _mm256_max_epu16
#define V_ADD _mm256_add_epi16
#define V_SUB _mm256_sub_epi16
#define V_SUM_ADD ck_sum_add_u16
#define V_SUM_FLUSH ck_sum_flush_u16
#include "Avx2Body.h"
#undef PIX
#undef SUF
#undef VL
#undef FLUSH_LIMIT
#undef V_SET1
#undef V_EQ
#undef V_MIN
#undef V_MAX
#undef V_ADD
#undef V_SUB
#undef V_SUM_ADD
#undef V_SUM_FLUSH

#define PIX uint32_t
#define SUF u32
#define VL 8
#define FLUSH_LIMIT (1 << 30)
#define V_SET1(x) _mm256_set1_epi32((int)(x))
#define V_EQ _mm256_cmpeq_epi32
#define V_MIN _mm256_min_epu32
#define V_MAX _mm256_max_epu32
#define V_ADD _mm256_add_epi32
#define V_SUB _mm256_sub_epi32
#define V_SUM_ADD ck_sum_add_u32
#define V_SUM_FLUSH ck_sum_flush_u32
#include "Avx2Body.h"

#else
/* Not x86: the dispatcher never picks AVX2; the scalar twins stand in for the symbols. */
#include "KernelsInternal.h"
#define CK_FORWARD(T, SUF)                                                                    \
    ck_stats ck_stats_avx2_##SUF(const T *pixels, size_t count, T mask) {                     \
        return ck_stats_scalar_##SUF(pixels, count, mask);                                    \
    }                                                                                         \
    void ck_bin_max_avx2_##SUF(const T *pixels, size_t width, size_t height, T mask,          \
                               float *out, size_t out_width, size_t out_height,               \
                               void *scratch, ck_stats *stats) {                              \
        ck_bin_max_scalar_##SUF(pixels, width, height, mask, out, out_width, out_height,      \
                                scratch, stats);                                              \
    }
CK_FORWARD(uint8_t, u8)
CK_FORWARD(uint16_t, u16)
CK_FORWARD(uint32_t, u32)
#endif
