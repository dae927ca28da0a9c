#ifndef DETVIEW_CKCOUNTING_H
#define DETVIEW_CKCOUNTING_H
/* The per-frame loops of charge-integrating processing (MOENCH, JUNGFRAU): pedestal tracking,
 * pedestal subtraction, threshold counting and single-photon cluster finding. Frames are floats,
 * NaN = masked pixel. Each loop is written once (CountingBody.h) and compiled three times: for
 * AVX-512, for AVX2 (per-function target attributes, no global flags) and for the baseline; the
 * CPU is asked at run time. Element-wise float arithmetic with no contraction: all variants give
 * identical results.
 *
 * The callers (Processing: PedestalTracker, PhotonFinder, ThresholdCounter, CountingPipeline)
 * validate sizes and own the buffers: these functions trust them and never allocate. */
#include <stddef.h>
#include <stdint.h>

#include "CKernels.h"

/* Per-pixel pedestal state: running mean and variance of the dark level, and how many frames
 * entered them (saturating at the window). */
typedef struct ck_pedestal {
    float *mean;
    float *variance;
    uint32_t *count;
} ck_pedestal;

/* Folds a frame into the pedestal of `n` pixels. NaN pixels never update. When `exclude` is
 * not NULL, pixels whose byte is non-zero do not update either. With k = the pixel's count
 * after this frame (at most `window`) and a = 1/k:
 *   d = x − mean;  mean += a·d;  variance = (1 − a)·(variance + a·d²)
 * which is Welford's running mean and population variance while k grows, and an exponential
 * window of `window` frames once it saturates (slsDetector's moving average). */
void ck_pedestal_add(const float *frame, const uint8_t *exclude, ck_pedestal pedestal, size_t n,
                     uint32_t window, ck_path path);

/* out = frame − mean, and NaN where the frame is NaN or the pixel's count is below
 * `min_count` (a pixel without a usable pedestal has no subtracted value). */
void ck_pedestal_subtract(const float *frame, ck_pedestal pedestal, size_t n, uint32_t min_count,
                          float *out, ck_path path);

/* counts[i] += 1 where subtracted[i] > threshold (NaN never counts). */
void ck_threshold_count(const float *subtracted, size_t n, float threshold, uint32_t *counts,
                        ck_path path);

/* A photon found in a frame: its pixel (the maximum of its 3×3 window) and that pixel's value. */
typedef struct ck_photon {
    int32_t x;
    int32_t y;
    float value;
} ck_photon;

/* Bytes of scratch memory ck_find_photons needs for a frame `width` pixels
 * wide and `height` high (a few row buffers: it grows with the width only). */
size_t ck_photon_scratch_bytes(size_t width, size_t height);

/* Single-photon cluster finding on a pedestal-subtracted frame (NaN = masked or no pedestal).
 * Pixel p is a photon when it is not NaN, it is the maximum of its 3×3 window (strictly greater
 * than the neighbours before it in row-major order, ≥ the ones after it), and, with
 * T = n_sigma² · max(variance_p, min_sigma²), one of
 *   v_p > 0 and v_p² > T;  S > 0 and S² > 9T (S = 3×3 sum);  Q > 0 and Q² > 4T
 * (Q = the largest 2×2 sum containing p). Windows are clipped at the edges; NaN pixels count as 0.
 * For each photon: count_image[p] += 1 (when count_image is not NULL), its 3×3 is marked in
 * `exclusion` (cleared first, when not NULL), and it is appended to `list` while fewer than
 * `capacity` are stored. Returns the number of photons found (even beyond capacity).
 * `scratch` holds ck_photon_scratch_bytes(width, height) bytes, any alignment. */
size_t ck_find_photons(const float *subtracted, const float *variance, size_t width, size_t height,
                       float n_sigma, float min_sigma, uint32_t *count_image, uint8_t *exclusion,
                       ck_photon *list, size_t capacity, void *scratch, ck_path path);

#endif
