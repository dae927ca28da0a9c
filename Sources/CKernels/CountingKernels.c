/* Instantiates the charge-integrating loops (CountingBody.h) three times, as a baseline twin, an
 * AVX2 and an AVX-512 variant (per-function target attributes: only these functions use the
 * wider instructions), and chooses between them at run time. AVX-512 brings FMA with it, and
 * the compiler would contract a·b + c into one rounding there only: contraction is off
 * everywhere, so all variants round alike. */
#include "CountingInternal.h"

#pragma clang fp contract(off)

#define CK_VARIANT scalar
#define CK_TARGET
#define CK_LANES 8
#include "CountingBody.h"
#undef CK_VARIANT
#undef CK_TARGET
#undef CK_LANES

#if defined(__x86_64__) || defined(__i386__)
#define CK_VARIANT avx2
#define CK_TARGET __attribute__((target("avx2")))
#define CK_LANES 8
#include "CountingBody.h"
#undef CK_VARIANT
#undef CK_TARGET
#undef CK_LANES
#define CK_VARIANT avx512
#define CK_TARGET __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))
#define CK_LANES 16
#include "CountingBody.h"
#undef CK_VARIANT
#undef CK_TARGET
#undef CK_LANES
#define CK_COUNTING_X86 1
#else
#define CK_COUNTING_X86 0
#endif

/* The variant a call runs: the widest the path allows and the CPU has. */
typedef enum ck_counting_variant { CK_SCALAR, CK_AVX2, CK_AVX512 } ck_counting_variant;

static ck_counting_variant ck_counting_variant_for(ck_path path) {
    if (!CK_COUNTING_X86 || path == CK_PATH_SCALAR) return CK_SCALAR;
    if (path != CK_PATH_AVX2 && ck_avx512_available()) return CK_AVX512;
    return ck_avx2_available() ? CK_AVX2 : CK_SCALAR;
}

/* Without x86, the vector names are never called; these keep the dispatch below uniform. */
#if !CK_COUNTING_X86
#define ck_pedestal_add_avx2 ck_pedestal_add_scalar
#define ck_pedestal_subtract_avx2 ck_pedestal_subtract_scalar
#define ck_threshold_count_avx2 ck_threshold_count_scalar
#define ck_find_photons_avx2 ck_find_photons_scalar
#define ck_pedestal_add_avx512 ck_pedestal_add_scalar
#define ck_pedestal_subtract_avx512 ck_pedestal_subtract_scalar
#define ck_threshold_count_avx512 ck_threshold_count_scalar
#define ck_find_photons_avx512 ck_find_photons_scalar
#endif

/* Calls NAME's variant for `path` with the arguments that follow. */
#define CK_DISPATCH_COUNTING(NAME, path, ...)                                                     \
    (ck_counting_variant_for(path) == CK_AVX512 ? NAME##_avx512(__VA_ARGS__)                      \
     : ck_counting_variant_for(path) == CK_AVX2 ? NAME##_avx2(__VA_ARGS__)                        \
                                                : NAME##_scalar(__VA_ARGS__))

void ck_pedestal_add(const float *frame, const uint8_t *exclude, ck_pedestal pedestal, size_t n,
                     uint32_t window, ck_path path) {
    CK_DISPATCH_COUNTING(ck_pedestal_add, path, frame, exclude, pedestal, n, window);
}

void ck_pedestal_subtract(const float *frame, ck_pedestal pedestal, size_t n, uint32_t min_count,
                          float *out, ck_path path) {
    CK_DISPATCH_COUNTING(ck_pedestal_subtract, path, frame, pedestal, n, min_count, out);
}

void ck_threshold_count(const float *subtracted, size_t n, float threshold, uint32_t *counts,
                        ck_path path) {
    CK_DISPATCH_COUNTING(ck_threshold_count, path, subtracted, n, threshold, counts);
}

size_t ck_photon_scratch_bytes(size_t width, size_t height) {
    (void)height;
    return ck_find_scratch_size(width);
}

size_t ck_find_photons(const float *subtracted, const float *variance, size_t width, size_t height,
                       float n_sigma, float min_sigma, uint32_t *count_image, uint8_t *exclusion,
                       ck_photon *list, size_t capacity, void *scratch, ck_path path) {
    if (width == 0 || height == 0) return 0;
    return CK_DISPATCH_COUNTING(ck_find_photons, path, subtracted, variance, width, height,
                                n_sigma, min_sigma, count_image, exclusion, list, capacity,
                                scratch);
}
