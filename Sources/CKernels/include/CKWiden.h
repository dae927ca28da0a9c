#ifndef DETVIEW_CKWIDEN_H
#define DETVIEW_CKWIDEN_H
/* Pixels as Float for the processing modes: out[i] = pixels[i] (rounded to nearest for 32-bit
 * values above 2²⁴), or NaN where the pixel is the masked value, and the frame's statistics
 * over the unmasked pixels (equal to ck_stats of the same pixels), in one pass. AVX2 variant
 * and baseline twin, chosen at run time; identical results. */
#include <stddef.h>
#include <stdint.h>
#include "CKernels.h"

ck_stats ck_widen_stats_u8(const uint8_t *pixels, size_t count, uint8_t mask, float *out, ck_path path);
ck_stats ck_widen_stats_u16(const uint16_t *pixels, size_t count, uint16_t mask, float *out, ck_path path);
ck_stats ck_widen_stats_u32(const uint32_t *pixels, size_t count, uint32_t mask, float *out, ck_path path);

#endif
