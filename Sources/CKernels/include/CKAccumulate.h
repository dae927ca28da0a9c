#ifndef DETVIEW_CKACCUMULATE_H
#define DETVIEW_CKACCUMULATE_H
/* The running sum of the sum, mean and analog modes. AVX2 variant and baseline twin, chosen at
 * run time; identical results (each pixel's sum is one double addition a frame). */
#include <stddef.h>
#include <stdint.h>
#include "CKernels.h"

/* sums[i] += frame[i] where it is not NaN; masked_frames[i] += 1 where it is. Frames are mostly
 * valid, so the masked counts are written only near a masked pixel: a pass reads 12 bytes a
 * pixel and writes 8, where counting valid frames would read and write 4 more. */
void ck_accumulate_sum(const float *frame, size_t count, double *sums, uint32_t *masked_frames,
                       ck_path path);

/* Scratch bytes ck_bin_mean_sums needs for a region `width` pixels wide binned to `out_width`. */
size_t ck_bin_sums_scratch_bytes(size_t width, size_t out_width);

/* Mean binning of a width × height region of the running sum straight to out_width ×
 * out_height floats, without reading the sum image out first. A pixel's value is its sum as a
 * float where it had a valid frame (frames - masked_frames[i] > 0) and none where it had not;
 * a bin is the mean of its pixels' values (NaN with none), over the bins of the display
 * binning (CKernels.h), widened to at least one pixel. The result is, to the bit, that of
 * reading the sum image out as floats (NaN where never valid) and mean-binning the region.
 * `sums` and `masked_frames` point at the region's first pixel; rows are `stride` apart.
 * `scratch`: ck_bin_sums_scratch_bytes(width, out_width) bytes, aligned to 8. */
void ck_bin_mean_sums(const double *sums, const uint32_t *masked_frames, uint32_t frames, size_t stride,
                      size_t width, size_t height, float *out, size_t out_width, size_t out_height,
                      void *scratch, ck_path path);

#endif
