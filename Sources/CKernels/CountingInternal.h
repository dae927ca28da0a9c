#ifndef DETVIEW_CKERNELS_COUNTING_INTERNAL_H
#define DETVIEW_CKERNELS_COUNTING_INTERNAL_H
/* What the two variants of the charge-integrating loops (CountingBody.h) share: the scratch
 * layout of a photon-finding call and the exclusion marking of a found photon. */
#include <string.h>

#include "CKCounting.h"
#include "KernelsInternal.h"

/* Scratch of a finding call, carved at 64-byte boundaries: the frame with a zero border
 * ((width + 2) × (height + 2) floats, NaN as 0), a ring of three rows of 3-wide sums, a ring of
 * two rows of 2×2 sums, one row of vertical pairs, and one row of candidate flags whose bytes past
 * `width` stay 0 so the flags can be tested eight at a time. */
typedef struct ck_find_scratch {
    float *padded;
    float *three[3];
    float *block[2];
    float *pair;
    uint8_t *flags;
} ck_find_scratch;

static inline size_t ck_find_row_bytes(size_t width) { return ck_round64((width + 2) * sizeof(float)); }

static inline size_t ck_find_flag_bytes(size_t width) { return ck_round64(width + 8); }

static inline size_t ck_find_scratch_size(size_t width, size_t height) {
    return 64 + ck_round64((width + 2) * (height + 2) * sizeof(float)) + 6 * ck_find_row_bytes(width) +
           ck_find_flag_bytes(width);
}

static inline ck_find_scratch ck_find_scratch_prepare(void *scratch, size_t width, size_t height) {
    uintptr_t base = ((uintptr_t)scratch + 63) & ~(uintptr_t)63;
    size_t row = ck_find_row_bytes(width);
    ck_find_scratch s;
    s.padded = (float *)base;
    base += ck_round64((width + 2) * (height + 2) * sizeof(float));
    for (int i = 0; i < 3; i++, base += row) s.three[i] = (float *)base;
    for (int i = 0; i < 2; i++, base += row) s.block[i] = (float *)base;
    s.pair = (float *)base;
    base += row;
    s.flags = (uint8_t *)base;
    memset(s.flags + width, 0, ck_find_flag_bytes(width) - width);
    return s;
}

/* Marks the 3×3 around (x, y), clipped at the edges. */
static inline void ck_mark_neighbourhood(uint8_t *exclusion, size_t width, size_t height, size_t x,
                                         size_t y) {
    size_t x0 = x > 0 ? x - 1 : 0, x1 = x + 1 < width ? x + 1 : width - 1;
    size_t y0 = y > 0 ? y - 1 : 0, y1 = y + 1 < height ? y + 1 : height - 1;
    for (size_t j = y0; j <= y1; j++)
        for (size_t i = x0; i <= x1; i++) exclusion[j * width + i] = 1;
}

#define CK_DECLARE_COUNTING(VARIANT)                                                              \
    void ck_pedestal_add_##VARIANT(const float *frame, const uint8_t *exclude, ck_pedestal p,     \
                                   size_t n, uint32_t window);                                    \
    void ck_pedestal_subtract_##VARIANT(const float *frame, ck_pedestal p, size_t n,              \
                                        uint32_t min_count, float *out);                          \
    void ck_threshold_count_##VARIANT(const float *subtracted, size_t n, float threshold,         \
                                      uint32_t *counts);                                          \
    size_t ck_find_photons_##VARIANT(const float *subtracted, const float *variance, size_t width, \
                                     size_t height, float n_sigma, float min_sigma,               \
                                     uint32_t *count_image, uint8_t *exclusion, ck_photon *list,  \
                                     size_t capacity, void *scratch);

CK_DECLARE_COUNTING(scalar)
CK_DECLARE_COUNTING(avx2)

#endif
