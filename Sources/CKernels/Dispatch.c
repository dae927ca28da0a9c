/* Chooses between the AVX2 variants and their scalar twins at run time. */
#include "KernelsInternal.h"

int ck_avx2_available(void) {
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    return 0;
#endif
}

int ck_avx512_available(void) {
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                   __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")
               ? 1
               : 0;
#else
    return 0;
#endif
}

size_t ck_bin_scratch_bytes(size_t width, size_t out_width, size_t pixel_bytes) {
    return 64 + 2 * ck_column_bytes(width, pixel_bytes) + (2 * out_width + 1) * sizeof(size_t);
}

#define CK_DISPATCH(T, SUF)                                                                     \
    ck_stats ck_stats_##SUF(const T *pixels, size_t count, T mask, ck_path path) {              \
        if (count == 0) return (ck_stats){0, 0, 0, 0};                                          \
        return ck_use_avx2(path) ? ck_stats_avx2_##SUF(pixels, count, mask)                     \
                                 : ck_stats_scalar_##SUF(pixels, count, mask);                  \
    }                                                                                           \
    void ck_bin_max_##SUF(const T *pixels, size_t width, size_t height, T mask, float *out,     \
                          size_t out_width, size_t out_height, void *scratch, ck_stats *stats,  \
                          ck_path path) {                                                       \
        if (ck_use_avx2(path))                                                                  \
            ck_bin_max_avx2_##SUF(pixels, width, height, mask, out, out_width, out_height,      \
                                  scratch, stats);                                              \
        else                                                                                    \
            ck_bin_max_scalar_##SUF(pixels, width, height, mask, out, out_width, out_height,    \
                                    scratch, stats);                                            \
    }

CK_DISPATCH(uint8_t, u8)
CK_DISPATCH(uint16_t, u16)
CK_DISPATCH(uint32_t, u32)
