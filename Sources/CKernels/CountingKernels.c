/* Instantiates the charge-integrating loops (CountingBody.h) twice, as a baseline twin and as an
 * AVX2 variant (per-function target attribute: only these functions use AVX2), and chooses
 * between them at run time. No FMA in either, so both round identically. */
#include "CountingInternal.h"

#define CK_VARIANT scalar
#define CK_TARGET
#include "CountingBody.h"
#undef CK_VARIANT
#undef CK_TARGET

#if defined(__x86_64__) || defined(__i386__)
#define CK_VARIANT avx2
#define CK_TARGET __attribute__((target("avx2")))
#include "CountingBody.h"
#undef CK_VARIANT
#undef CK_TARGET
#define CK_COUNTING_AVX2 1
#else
#define CK_COUNTING_AVX2 0
#endif

static int ck_counting_use_avx2(ck_path path) {
    return CK_COUNTING_AVX2 && path != CK_PATH_SCALAR && ck_avx2_available();
}

/* Without x86, the AVX2 names are never called; these keep the dispatch below uniform. */
#if !CK_COUNTING_AVX2
#define ck_pedestal_add_avx2 ck_pedestal_add_scalar
#define ck_pedestal_subtract_avx2 ck_pedestal_subtract_scalar
#define ck_threshold_count_avx2 ck_threshold_count_scalar
#define ck_find_photons_avx2 ck_find_photons_scalar
#endif

void ck_pedestal_add(const float *frame, const uint8_t *exclude, ck_pedestal pedestal, size_t n,
                     uint32_t window, ck_path path) {
    if (ck_counting_use_avx2(path))
        ck_pedestal_add_avx2(frame, exclude, pedestal, n, window);
    else
        ck_pedestal_add_scalar(frame, exclude, pedestal, n, window);
}

void ck_pedestal_subtract(const float *frame, ck_pedestal pedestal, size_t n, uint32_t min_count,
                          float *out, ck_path path) {
    if (ck_counting_use_avx2(path))
        ck_pedestal_subtract_avx2(frame, pedestal, n, min_count, out);
    else
        ck_pedestal_subtract_scalar(frame, pedestal, n, min_count, out);
}

void ck_threshold_count(const float *subtracted, size_t n, float threshold, uint32_t *counts,
                        ck_path path) {
    if (ck_counting_use_avx2(path))
        ck_threshold_count_avx2(subtracted, n, threshold, counts);
    else
        ck_threshold_count_scalar(subtracted, n, threshold, counts);
}

size_t ck_photon_scratch_bytes(size_t width, size_t height) {
    (void)height;
    return ck_find_scratch_size(width);
}

size_t ck_find_photons(const float *subtracted, const float *variance, size_t width, size_t height,
                       float n_sigma, float min_sigma, uint32_t *count_image, uint8_t *exclusion,
                       ck_photon *list, size_t capacity, void *scratch, ck_path path) {
    if (width == 0 || height == 0) return 0;
    if (ck_counting_use_avx2(path))
        return ck_find_photons_avx2(subtracted, variance, width, height, n_sigma, min_sigma,
                                    count_image, exclusion, list, capacity, scratch);
    return ck_find_photons_scalar(subtracted, variance, width, height, n_sigma, min_sigma,
                                  count_image, exclusion, list, capacity, scratch);
}

