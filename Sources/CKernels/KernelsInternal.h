#ifndef DETVIEW_CKERNELS_INTERNAL_H
#define DETVIEW_CKERNELS_INTERNAL_H
/* What the variants share: the scratch layout of a binning call and the variant entry
 * points the dispatcher (Dispatch.c) chooses between. */
#include "CKernels.h"

#define CK_CAT_(a, b) a##b
#define CK_CAT(a, b) CK_CAT_(a, b)

/* Scratch of a binning call, carved from the caller's buffer at 64-byte boundaries:
 * per-column maxima (masked pixels count as 0), per-column "only masked so far" flags
 * (all-ones or 0, pixel-sized so SIMD can AND them with comparison results), the first
 * source column of each of the out_width + 1 bin edges, and out_width more indices a
 * variant may use for its own lookups. */
typedef struct ck_bin_scratch {
    void *column_max;
    void *column_all_masked;
    size_t *column_starts;
    size_t *bin_lookup;
} ck_bin_scratch;

/* Whether a call on `path` runs an AVX2 variant: not asked for the scalar twin, and the CPU has
 * it (on other architectures ck_avx2_available() is 0). */
static inline int ck_use_avx2(ck_path path) { return path != CK_PATH_SCALAR && ck_avx2_available(); }

static inline size_t ck_round64(size_t n) { return (n + 63) & ~(size_t)63; }

/* One per-column array; 4 spare bytes let a 32-bit gather read the last column. */
static inline size_t ck_column_bytes(size_t width, size_t pixel_bytes) {
    return ck_round64(width * pixel_bytes + 4);
}

static inline ck_bin_scratch ck_bin_scratch_prepare(void *scratch, size_t width, size_t out_width,
                                                  size_t pixel_bytes) {
    uintptr_t base = ((uintptr_t)scratch + 63) & ~(uintptr_t)63;
    size_t columns = ck_column_bytes(width, pixel_bytes);
    ck_bin_scratch s;
    s.column_max = (void *)base;
    s.column_all_masked = (void *)(base + columns);
    s.column_starts = (size_t *)(base + 2 * columns);
    s.bin_lookup = s.column_starts + out_width + 1;
    for (size_t i = 0; i <= out_width; i++) s.column_starts[i] = i * width / out_width;
    return s;
}

#define CK_DECLARE_VARIANTS(T, SUF, VARIANT)                                                  \
    ck_stats ck_stats_##VARIANT##_##SUF(const T *pixels, size_t count, T mask);               \
    void ck_bin_max_##VARIANT##_##SUF(const T *pixels, size_t width, size_t height, T mask,   \
                                      float *out, size_t out_width, size_t out_height,        \
                                      void *scratch, ck_stats *stats);

CK_DECLARE_VARIANTS(uint8_t, u8, scalar)
CK_DECLARE_VARIANTS(uint16_t, u16, scalar)
CK_DECLARE_VARIANTS(uint32_t, u32, scalar)
CK_DECLARE_VARIANTS(uint8_t, u8, avx2)
CK_DECLARE_VARIANTS(uint16_t, u16, avx2)
CK_DECLARE_VARIANTS(uint32_t, u32, avx2)

#endif
