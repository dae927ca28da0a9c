#ifndef DETVIEW_CKERNELS_H
#define DETVIEW_CKERNELS_H
/* The per-frame pixel loops of the workers: statistics over unmasked pixels and max
 * binning to the display size. Each kernel has an AVX2 variant (compiled with
 * __attribute__((target("avx2"))), no global flags) and a scalar twin; the CPU is asked at
 * run time which one to use. Both give identical results on every input.
 *
 * Masked pixels are those equal to `mask`; they enter no statistic and no bin.
 * The callers (Processing.FrameKernels) validate sizes: these functions trust them. */
#include <stddef.h>
#include <stdint.h>

/* Which variant a call runs. AVX2 on a CPU without it runs the scalar twin; AVX-512 (which only
 * the charge-integrating loops of CKCounting.h have) on a CPU without it runs AVX2, and any other
 * kernel asked for AVX-512 runs AVX2. BEST is the widest the CPU has. */
typedef enum ck_path {
    CK_PATH_BEST = 0,
    CK_PATH_SCALAR = 1,
    CK_PATH_AVX2 = 2,
    CK_PATH_AVX512 = 3,
} ck_path;

/* 1 when this CPU (and OS) can run the AVX2 variants. */
int ck_avx2_available(void);

/* 1 when this CPU (and OS) can run the AVX-512 variants (F, BW, DQ and VL). */
int ck_avx512_available(void);

/* Exact totals over the unmasked pixels. `min` and `max` are meaningless when every pixel
 * is masked (unmasked count = pixels − masked = 0). */
typedef struct ck_stats {
    uint64_t sum;
    uint64_t masked;
    uint64_t min;
    uint64_t max;
} ck_stats;

/* Statistics of `count` pixels. `pixels` may be NULL when count is 0. The sum is exact
 * while it fits in 64 bits (always for u8/u16; below 2^32 pixels for u32). */
ck_stats ck_stats_u8(const uint8_t *pixels, size_t count, uint8_t mask, ck_path path);
ck_stats ck_stats_u16(const uint16_t *pixels, size_t count, uint16_t mask, ck_path path);
ck_stats ck_stats_u32(const uint32_t *pixels, size_t count, uint32_t mask, ck_path path);

/* Bytes of scratch memory a binning call needs: per-column accumulators for a frame
 * `width` pixels wide and the column bounds of `out_width` bins. */
size_t ck_bin_scratch_bytes(size_t width, size_t out_width, size_t pixel_bytes);

/* Max binning of a width × height frame into out_width × out_height floats (row-major).
 * Output pixel (i, j) covers source columns [floor(i·W/outW), floor((i+1)·W/outW)) and rows
 * [floor(j·H/outH), floor((j+1)·H/outH)), each widened to at least one pixel; a bin with
 * only masked pixels is NaN. When `stats` is not NULL it also receives the frame's
 * statistics (in the same pass when out_height <= height).
 * `scratch` must hold ck_bin_scratch_bytes(width, out_width, sizeof pixel) bytes; any alignment. */
void ck_bin_max_u8(const uint8_t *pixels, size_t width, size_t height, uint8_t mask,
                   float *out, size_t out_width, size_t out_height,
                   void *scratch, ck_stats *stats, ck_path path);
void ck_bin_max_u16(const uint16_t *pixels, size_t width, size_t height, uint16_t mask,
                    float *out, size_t out_width, size_t out_height,
                    void *scratch, ck_stats *stats, ck_path path);
void ck_bin_max_u32(const uint32_t *pixels, size_t width, size_t height, uint32_t mask,
                    float *out, size_t out_width, size_t out_height,
                    void *scratch, ck_stats *stats, ck_path path);

/* Charge-integrating processing: pedestal, threshold, photon finding. */
#include "CKCounting.h"
#include "CKWiden.h"
#include "CKScan.h"
#include "CKAccumulate.h"

#endif
