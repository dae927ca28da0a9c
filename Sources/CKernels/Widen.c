/* uint8/16/32 → float with the masked value as NaN, and the frame's statistics, in one pass:
 * the first pass of every processing mode. Written once per pixel type in the compiler's vector
 * extensions (VectorLanes.h), compiled as an AVX2 variant and a baseline twin; a scalar loop
 * takes the last pixels. The integer → float conversion is the C one lane by lane (correctly
 * rounded, exact below 2²⁴), so every variant gives the same floats and the same totals. */
#include <math.h>

#include "CKWiden.h"
#include "VectorLanes.h"

#define CK_LANES 8

/* Folds pixels into running totals the way ck_stats does (min starts at the mask value). */
#define CK_WIDEN_TAIL(T, SUF)                                                                     \
    static void ck_widen_tail_##SUF(const T *pixels, size_t count, T mask, float *out,            \
                                    ck_stats *s) {                                                \
        for (size_t i = 0; i < count; i++) {                                                      \
            T v = pixels[i];                                                                      \
            if (v == mask) {                                                                      \
                out[i] = NAN;                                                                     \
                s->masked++;                                                                      \
            } else {                                                                              \
                out[i] = (float)v;                                                                \
                s->sum += v;                                                                      \
                if (v < s->min) s->min = v;                                                       \
                if (v > s->max) s->max = v;                                                       \
            }                                                                                     \
        }                                                                                         \
    }

/* Eight pixels a step. Sums go into lanes of SUMS (32-bit for 8- and 16-bit pixels, 64-bit for
 * 32-bit ones) for a block of steps that cannot overflow them, then into the 64-bit total. */
typedef uint64_t ck_v8q __attribute__((vector_size(64)));
#define CK_WIDEN_VECTOR(T, SUF, VARIANT, TARGET, SUMS, BLOCK)                                     \
    typedef T ck_vpix_##SUF##_##VARIANT __attribute__((vector_size(8 * sizeof(T))));             \
    TARGET static void ck_widen_##VARIANT##_##SUF(const T *pixels, size_t count, T mask,          \
                                                  float *out, ck_stats *s) {                      \
        const CK_VU maskv = (CK_VU){0} + (uint32_t)mask;                                          \
        const CK_VF nan = (CK_VF){0} + NAN;                                                       \
        CK_VU low = (CK_VU){0} + (uint32_t)mask, high = (CK_VU){0};                               \
        CK_VI masked = (CK_VI){0};                                                                \
        uint64_t total = 0;                                                                       \
        size_t i = 0;                                                                             \
        while (i + 8 <= count) {                                                                  \
            SUMS sums = (SUMS){0};                                                                \
            size_t end = i + 8 * (BLOCK) < count ? i + 8 * (BLOCK) : count;                       \
            for (; i + 8 <= end; i += 8) {                                                        \
                CK_VU wide = __builtin_convertvector(CK_LOAD(ck_vpix_##SUF##_##VARIANT, pixels + i), \
                                                     CK_VU);                                      \
                CK_VI is_masked = wide == maskv;                                                  \
                CK_STORE(out + i, CK_SELECT(CK_VF, is_masked, nan, __builtin_convertvector(wide, CK_VF))); \
                CK_VU kept = wide & ~(CK_VU)is_masked;                                            \
                sums += __builtin_convertvector(kept, SUMS);                                      \
                masked -= is_masked;                                                              \
                CK_VU floor = wide | (CK_VU)is_masked;                                            \
                low = CK_SELECT(CK_VU, floor < low, floor, low);                                  \
                high = CK_SELECT(CK_VU, kept > high, kept, high);                                 \
            }                                                                                     \
            for (int k = 0; k < 8; k++) total += sums[k];                                         \
        }                                                                                         \
        s->sum += total;                                                                          \
        for (int k = 0; k < 8; k++) {                                                             \
            if (low[k] < s->min) s->min = low[k];                                                 \
            if (high[k] > s->max) s->max = high[k];                                               \
            s->masked += (uint32_t)masked[k];                                                     \
        }                                                                                         \
        ck_widen_tail_##SUF(pixels + i, count - i, mask, out + i, s);                             \
    }

#if defined(__x86_64__) || defined(__i386__)
#define CK_AVX2_TARGET __attribute__((target("avx2")))
#define CK_HAS_AVX2 1
#else
#define CK_AVX2_TARGET
#define CK_HAS_AVX2 0
#endif

#define CK_WIDEN(T, SUF, SUMS, BLOCK)                                                             \
    CK_WIDEN_TAIL(T, SUF)                                                                         \
    CK_WIDEN_VECTOR(T, SUF, scalar, , SUMS, BLOCK)                                                \
    CK_WIDEN_VECTOR(T, SUF, avx2, CK_AVX2_TARGET, SUMS, BLOCK)                                    \
    ck_stats ck_widen_stats_##SUF(const T *pixels, size_t count, T mask, float *out,              \
                                  ck_path path) {                                                 \
        /* min starts at the mask value: a frame of masked pixels only leaves it there, and the   \
         * caller reads min/max only when some pixel is unmasked (as for ck_stats). */            \
        ck_stats s = {0, 0, mask, 0};                                                             \
        if (CK_HAS_AVX2 && ck_use_avx2(path))                                                      \
            ck_widen_avx2_##SUF(pixels, count, mask, out, &s);                                    \
        else                                                                                      \
            ck_widen_scalar_##SUF(pixels, count, mask, out, &s);                                  \
        return s;                                                                                 \
    }

/* 32-bit lanes hold 2^24 steps of 8-bit pixels and 2^16 of 16-bit ones; 64-bit lanes 2^32 steps
 * of 32-bit ones. */
CK_WIDEN(uint8_t, u8, CK_VU, 1 << 24)
CK_WIDEN(uint16_t, u16, CK_VU, 1 << 16)
CK_WIDEN(uint32_t, u32, ck_v8q, (size_t)1 << 32)
