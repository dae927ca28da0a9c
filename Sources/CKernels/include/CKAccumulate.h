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

#endif
