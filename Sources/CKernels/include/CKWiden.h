#ifndef DETVIEW_CKWIDEN_H
#define DETVIEW_CKWIDEN_H
/* Pixels as Float for the processing modes: out[i] = pixels[i], or NaN where the pixel is
 * the masked value, and the frame's statistics over the unmasked pixels (equal to
 * ck_stats_u16 of the same pixels), in one pass. AVX2 variant and scalar twin, chosen at
 * run time; identical results (the conversion of a 16-bit integer to float is exact). */
#include <stddef.h>
#include <stdint.h>
#include "CKernels.h"

ck_stats ck_widen_stats_u16(const uint16_t *pixels, size_t count, uint16_t mask, float *out, ck_path path);

#endif
