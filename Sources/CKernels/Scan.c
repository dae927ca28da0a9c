/* The hit finder's scan for bright pixels: eight values a step in the compiler's vector
 * extensions (VectorLanes.h), compiled for AVX2 and as a baseline twin. */
#include "CKScan.h"
#include "VectorLanes.h"

#define CK_LANES 8

#define CK_NEXT_ABOVE(VARIANT, TARGET)                                                            \
    TARGET static size_t ck_next_above_##VARIANT(const float *values, size_t count, float level) { \
        const CK_VF limit = (CK_VF){0} + level;                                                   \
        size_t i = 0;                                                                             \
        for (; i + 8 <= count; i += 8) {                                                          \
            uint64_t bits = CK_LANE_BITS(CK_LOAD(CK_VF, values + i) > limit);                     \
            if (bits != 0) return i + (size_t)__builtin_ctzll(bits);                              \
        }                                                                                         \
        for (; i < count; i++)                                                                    \
            if (values[i] > level) return i;                                                      \
        return count;                                                                             \
    }

CK_NEXT_ABOVE(scalar, )
#if defined(__x86_64__) || defined(__i386__)
CK_NEXT_ABOVE(avx2, __attribute__((target("avx2"))))
#endif

size_t ck_next_above(const float *values, size_t count, float level, ck_path path) {
#if defined(__x86_64__) || defined(__i386__)
    if (ck_use_avx2(path)) return ck_next_above_avx2(values, count, level);
#endif
    return ck_next_above_scalar(values, count, level);
}
