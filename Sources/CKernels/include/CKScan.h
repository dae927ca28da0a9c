#ifndef DETVIEW_CKSCAN_H
#define DETVIEW_CKSCAN_H
/* Finding the few bright pixels of a frame: the scan of the hit finder. AVX2 variant and
 * baseline twin, chosen at run time; identical results. */
#include <stddef.h>
#include "CKernels.h"

/* The index of the first of `count` values above `level` (NaN never is), or `count`. */
size_t ck_next_above(const float *values, size_t count, float level, ck_path path);

#endif
