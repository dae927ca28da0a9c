/* The running sum (CKAccumulate.h): eight pixels a step in the compiler's vector extensions
 * (VectorLanes.h), compiled for AVX2 and as a baseline twin. */
#include "CKAccumulate.h"
#include "VectorLanes.h"

#define CK_LANES 8

typedef double ck_v8d __attribute__((vector_size(64)));

#define CK_ACCUMULATE_SUM(VARIANT, TARGET)                                                        \
    TARGET static void ck_accumulate_sum_##VARIANT(const float *frame, size_t count,              \
                                                   double *sums, uint32_t *masked_frames) {       \
        size_t i = 0;                                                                             \
        for (; i + 8 <= count; i += 8) {                                                          \
            CK_VF v = CK_LOAD(CK_VF, frame + i);                                                  \
            CK_VI valid = v == v;                                                                 \
            CK_VF kept = (CK_VF)(valid & (CK_VI)v);                                               \
            CK_STORE(sums + i, CK_LOAD(ck_v8d, sums + i) + __builtin_convertvector(kept, ck_v8d)); \
            uint64_t masked = CK_LANE_BITS(~valid);                                               \
            for (; masked != 0; masked &= masked - 1) masked_frames[i + __builtin_ctzll(masked)]++; \
        }                                                                                         \
        for (; i < count; i++) {                                                                  \
            float v = frame[i];                                                                   \
            if (v == v)                                                                           \
                sums[i] += (double)v;                                                             \
            else                                                                                  \
                masked_frames[i]++;                                                               \
        }                                                                                         \
    }

CK_ACCUMULATE_SUM(scalar, )
#if defined(__x86_64__) || defined(__i386__)
CK_ACCUMULATE_SUM(avx2, __attribute__((target("avx2"))))
#endif

void ck_accumulate_sum(const float *frame, size_t count, double *sums, uint32_t *masked_frames,
                       ck_path path) {
#if defined(__x86_64__) || defined(__i386__)
    if (ck_use_avx2(path)) {
        ck_accumulate_sum_avx2(frame, count, sums, masked_frames);
        return;
    }
#endif
    ck_accumulate_sum_scalar(frame, count, sums, masked_frames);
}

/* Mean binning of a region of the running sum (CKAccumulate.h). The band loop of the display
 * binning: per band of rows, per column, the sum of the pixels' values and how many there
 * were; then per bin, its columns summed in order. The value of a pixel is the float its sum
 * reads out as, widened back to double, exactly as a float image would hold it. */
#define CK_BIN_MEAN_SUMS(VARIANT, TARGET)                                                          \
    TARGET static void ck_bin_mean_sums_##VARIANT(                                                 \
        const double *sums, const uint32_t *masked_frames, uint32_t frames, size_t stride,        \
        size_t width, size_t height, float *out, size_t out_width, size_t out_height,             \
        double *column_sums, uint64_t *column_counts, size_t *column_starts) {                    \
        for (size_t i = 0; i <= out_width; i++) column_starts[i] = i * width / out_width;         \
        for (size_t j = 0; j < out_height; j++) {                                                 \
            size_t y0 = j * height / out_height;                                                  \
            size_t y1 = (j + 1) * height / out_height;                                            \
            if (y1 < y0 + 1) y1 = y0 + 1;                                                         \
            for (size_t x = 0; x < width; x++) {                                                  \
                column_sums[x] = 0;                                                               \
                column_counts[x] = 0;                                                             \
            }                                                                                     \
            for (size_t y = y0; y < y1; y++) {                                                    \
                const double *s = sums + y * stride;                                              \
                const uint32_t *m = masked_frames + y * stride;                                   \
                for (size_t x = 0; x < width; x++) {                                              \
                    int valid = frames - m[x] != 0;                                               \
                    double v = (double)(float)s[x];                                               \
                    column_sums[x] += valid ? v : 0.0;                                            \
                    column_counts[x] += (uint64_t)valid;                                          \
                }                                                                                 \
            }                                                                                     \
            float *row = out + j * out_width;                                                     \
            for (size_t i = 0; i < out_width; i++) {                                              \
                size_t x0 = column_starts[i], x1 = column_starts[i + 1];                          \
                if (x1 < x0 + 1) x1 = x0 + 1;                                                     \
                double sum = 0;                                                                   \
                uint64_t count = 0;                                                               \
                for (size_t x = x0; x < x1; x++) {                                                \
                    sum += column_sums[x];                                                        \
                    count += column_counts[x];                                                    \
                }                                                                                 \
                row[i] = count == 0 ? __builtin_nanf("") : (float)(sum / (double)count);          \
            }                                                                                     \
        }                                                                                         \
    }

CK_BIN_MEAN_SUMS(scalar, )
#if defined(__x86_64__) || defined(__i386__)
CK_BIN_MEAN_SUMS(avx2, __attribute__((target("avx2"))))
#endif

size_t ck_bin_sums_scratch_bytes(size_t width, size_t out_width) {
    return width * (sizeof(double) + sizeof(uint64_t)) + (out_width + 1) * sizeof(size_t);
}

void ck_bin_mean_sums(const double *sums, const uint32_t *masked_frames, uint32_t frames, size_t stride,
                      size_t width, size_t height, float *out, size_t out_width, size_t out_height,
                      void *scratch, ck_path path) {
    /* Doubles first, then the 8-byte counts and starts: each part stays aligned to 8 bytes
     * as long as the scratch is (the caller's allocation is). */
    double *column_sums = (double *)scratch;
    uint64_t *column_counts = (uint64_t *)(column_sums + width);
    size_t *column_starts = (size_t *)(column_counts + width);
#if defined(__x86_64__) || defined(__i386__)
    if (ck_use_avx2(path)) {
        ck_bin_mean_sums_avx2(sums, masked_frames, frames, stride, width, height, out, out_width, out_height,
                              column_sums, column_counts, column_starts);
        return;
    }
#endif
    ck_bin_mean_sums_scalar(sums, masked_frames, frames, stride, width, height, out, out_width, out_height,
                            column_sums, column_counts, column_starts);
}
