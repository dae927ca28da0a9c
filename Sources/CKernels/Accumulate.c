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
