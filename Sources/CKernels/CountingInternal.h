#ifndef DETVIEW_CKERNELS_COUNTING_INTERNAL_H
#define DETVIEW_CKERNELS_COUNTING_INTERNAL_H
/* What the variants of the charge-integrating loops (CountingBody.h) share: the scratch
 * layout of a photon-finding call and the exclusion marking of a found photon. */
#include <string.h>

#include "CKCounting.h"
#include "KernelsInternal.h"
#include "VectorLanes.h"

/* Scratch of a finding or counting call, carved at 64-byte boundaries: a ring of three padded
 * rows (width + 2 floats, NaN as 0, zero border columns), a ring of three rows of 3-wide sums and
 * a ring of two rows of 2×2 maxima (hq: the larger of the two 2×2 sums above-left and above-right
 * of a pixel's corner), and the hit list of one row's candidate loop. */
typedef struct ck_find_scratch {
    float *padded[3];
    float *three[3];
    float *hq[2];
    uint64_t *hit_steps;
} ck_find_scratch;

static inline size_t ck_find_row_bytes(size_t width) { return ck_round64((width + 2) * sizeof(float)); }

/* One entry per eight (or more) columns of a row: the steps of the candidate loop that had a
 * candidate. */
static inline size_t ck_find_steps_bytes(size_t width) { return ck_round64((width / 8 + 1) * sizeof(uint64_t)); }

static inline size_t ck_find_scratch_size(size_t width) {
    return 64 + 8 * ck_find_row_bytes(width) + ck_find_steps_bytes(width);
}

static inline ck_find_scratch ck_find_scratch_prepare(void *scratch, size_t width) {
    uintptr_t base = ((uintptr_t)scratch + 63) & ~(uintptr_t)63;
    size_t row = ck_find_row_bytes(width);
    ck_find_scratch s;
    for (int i = 0; i < 3; i++, base += row) s.padded[i] = (float *)base;
    for (int i = 0; i < 3; i++, base += row) s.three[i] = (float *)base;
    for (int i = 0; i < 2; i++, base += row) s.hq[i] = (float *)base;
    s.hit_steps = (uint64_t *)base;
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
CK_DECLARE_COUNTING(avx512)

#endif
