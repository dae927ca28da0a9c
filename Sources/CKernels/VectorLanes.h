#ifndef DETVIEW_CKERNELS_VECTOR_LANES_H
#define DETVIEW_CKERNELS_VECTOR_LANES_H
/* The vector types and helpers of the loops written once for every variant (CountingBody.h,
 * Widen.c) with the compiler's vector extensions. */
#include <stdint.h>
#include <string.h>

#include "KernelsInternal.h"

/* Eight (or, for AVX-512, sixteen) lanes, written once for every variant with the compiler's
 * vector extensions: 256-bit registers under AVX2, 512-bit ones under AVX-512, pairs of 128-bit
 * ones in the baseline twin. Same IEEE operations lane by lane as the scalar code, so the results
 * are identical. A variant sets CK_LANES; CK_VF/CK_VI/CK_VU/CK_VB/CK_VM name its vector types.
 * Loads and stores go through memcpy: any alignment. */
typedef float ck_v8f __attribute__((vector_size(32)));
typedef int32_t ck_v8i __attribute__((vector_size(32)));
typedef uint32_t ck_v8u __attribute__((vector_size(32)));
typedef uint8_t ck_v8b __attribute__((vector_size(8)));
typedef _Bool ck_v8m __attribute__((ext_vector_type(8)));
typedef float ck_v16f __attribute__((vector_size(64)));
typedef int32_t ck_v16i __attribute__((vector_size(64)));
typedef uint32_t ck_v16u __attribute__((vector_size(64)));
typedef uint8_t ck_v16b __attribute__((vector_size(16)));
typedef _Bool ck_v16m __attribute__((ext_vector_type(16)));
#define CK_VF CK_CAT(CK_CAT(ck_v, CK_LANES), f)
#define CK_VI CK_CAT(CK_CAT(ck_v, CK_LANES), i)
#define CK_VU CK_CAT(CK_CAT(ck_v, CK_LANES), u)
#define CK_VB CK_CAT(CK_CAT(ck_v, CK_LANES), b)
#define CK_VM CK_CAT(CK_CAT(ck_v, CK_LANES), m)

/* The lanes of `a` followed by those of `b`, from lane 1 (SHIFT1) or 2 (SHIFT2) on. */
#define CK_SHIFT_8_1 1, 2, 3, 4, 5, 6, 7, 8
#define CK_SHIFT_8_2 2, 3, 4, 5, 6, 7, 8, 9
#define CK_SHIFT_16_1 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
#define CK_SHIFT_16_2 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17
#define CK_SHIFT1(a, b) __builtin_shufflevector(a, b, CK_CAT(CK_CAT(CK_SHIFT_, CK_LANES), _1))
#define CK_SHIFT2(a, b) __builtin_shufflevector(a, b, CK_CAT(CK_CAT(CK_SHIFT_, CK_LANES), _2))

/* Bit i set where lane i of a comparison result (all ones or 0 per lane) is set. */
#define CK_LANE_BITS(mask)                                                                        \
    ({                                                                                            \
        CK_VM ck_m_ = __builtin_convertvector((mask) != 0, CK_VM);                                \
        uint32_t ck_b_ = 0;                                                                       \
        memcpy(&ck_b_, &ck_m_, sizeof ck_m_);                                                     \
        (uint64_t)ck_b_;                                                                          \
    })

#define CK_LOAD(T, p)                                                                             \
    ({                                                                                            \
        T ck_v_;                                                                                  \
        memcpy(&ck_v_, (p), sizeof ck_v_);                                                        \
        ck_v_;                                                                                    \
    })
#define CK_STORE(p, v)                                                                            \
    do {                                                                                          \
        __typeof__(v) ck_v_ = (v);                                                                \
        memcpy((p), &ck_v_, sizeof ck_v_);                                                        \
    } while (0)
/* mask (all ones or 0 per lane) ? a : b, lane by lane. */
#define CK_SELECT(T, mask, a, b) ((T)(((mask) & (CK_VI)(a)) | (~(mask) & (CK_VI)(b))))

#endif
