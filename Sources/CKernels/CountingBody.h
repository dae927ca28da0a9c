/* The charge-integrating loops, written once: CountingKernels.c includes this file twice, with
 * CK_VARIANT (the name suffix: scalar or avx2) and CK_TARGET (empty, or the AVX2 target
 * attribute) defined. The loops are plain element-wise code without branches in the per-pixel
 * part, so the compiler vectorises them for whichever target it compiles them for. */

/* One pixel's update, or its old state when `use` is 0 (selects, no branches: the loops below
 * vectorise). x − x is 0 only for finite x: NaN (masked) and infinities never update. */
#define CK_PEDESTAL_STEP(i, keep)                                                                 \
    do {                                                                                          \
        float x = frame[i];                                                                       \
        uint32_t k = count[i];                                                                    \
        int use = (x - x == 0.0f) & (keep);                                                       \
        uint32_t k1 = k < window ? k + 1 : window;                                                \
        /* Through int32: the vector conversion from signed ints is one instruction. */           \
        float a = 1.0f / (float)(int32_t)k1;                                                      \
        float m = mean[i], v = variance[i];                                                       \
        float d = x - m;                                                                          \
        float m1 = m + a * d;                                                                     \
        float v1 = (1.0f - a) * (v + a * (d * d));                                                \
        mean[i] = use ? m1 : m;                                                                   \
        variance[i] = use ? v1 : v;                                                               \
        count[i] = use ? k1 : k;                                                                  \
    } while (0)

CK_TARGET void CK_CAT(ck_pedestal_add_, CK_VARIANT)(const float *restrict frame,
                                                    const uint8_t *restrict exclude,
                                                    ck_pedestal p, size_t n, uint32_t window) {
    float *restrict mean = p.mean;
    float *restrict variance = p.variance;
    uint32_t *restrict count = p.count;
    if (exclude == NULL) {
        for (size_t i = 0; i < n; i++) CK_PEDESTAL_STEP(i, 1);
    } else {
        for (size_t i = 0; i < n; i++) CK_PEDESTAL_STEP(i, exclude[i] == 0);
    }
}

CK_TARGET void CK_CAT(ck_pedestal_subtract_, CK_VARIANT)(const float *restrict frame,
                                                         ck_pedestal p, size_t n,
                                                         uint32_t min_count,
                                                         float *restrict out) {
    const float *restrict mean = p.mean;
    const uint32_t *restrict count = p.count;
    for (size_t i = 0; i < n; i++) {
        float s = frame[i] - mean[i];
        out[i] = count[i] >= min_count ? s : __builtin_nanf("");
    }
}

CK_TARGET void CK_CAT(ck_threshold_count_, CK_VARIANT)(const float *restrict subtracted, size_t n,
                                                       float threshold,
                                                       uint32_t *restrict counts) {
    for (size_t i = 0; i < n; i++) counts[i] += subtracted[i] > threshold ? 1u : 0u;
}

/* Copies image row `y` into padded row y + 1 of `padded` (width + 2 wide), NaN as 0. */
CK_TARGET static void CK_CAT(ck_pad_row_, CK_VARIANT)(const float *restrict row, size_t width,
                                                      float *restrict padded_row) {
    padded_row[0] = 0;
    for (size_t x = 0; x < width; x++) {
        float v = row[x];
        padded_row[x + 1] = v == v ? v : 0.0f;
    }
    padded_row[width + 1] = 0;
}

/* Marks the candidates of one image row: the pixels whose window passes an nσ test (before
 * the local-maximum check, which only the few candidates get). All inputs are padded rows:
 * `c` the pixel's row, `t0 t1 t2` the 3-wide row sums of the rows above, at and below, `q0 q1`
 * the 2×2 sums whose top-left corner is in the row above and in this row. */
CK_TARGET static void CK_CAT(ck_mark_candidates_, CK_VARIANT)(
    const float *restrict c, const float *restrict t0, const float *restrict t1,
    const float *restrict t2, const float *restrict q0, const float *restrict q1,
    const float *restrict variance_row, size_t width, float n2, float min_variance,
    uint8_t *restrict flags) {
    for (size_t x = 1; x <= width; x++) {
        float v = c[x];
        float var = variance_row[x - 1];
        float t = n2 * (var > min_variance ? var : min_variance);
        float s = (t0[x] + t1[x]) + t2[x];
        float qa = q0[x - 1] > q0[x] ? q0[x - 1] : q0[x];
        float qb = q1[x - 1] > q1[x] ? q1[x - 1] : q1[x];
        float q = qa > qb ? qa : qb;
        int pass = ((v > 0.0f) & (v * v > t)) | ((s > 0.0f) & (s * s > 9.0f * t)) |
                   ((q > 0.0f) & (q * q > 4.0f * t));
        flags[x - 1] = (uint8_t)pass;
    }
}

/* three[x] = row[x−1] + row[x] + row[x+1], for the image columns of a padded row. */
CK_TARGET static void CK_CAT(ck_three_sums_, CK_VARIANT)(const float *restrict row, size_t width,
                                                         float *restrict three) {
    for (size_t x = 1; x <= width; x++) three[x] = (row[x - 1] + row[x]) + row[x + 1];
}

/* block[x] = the 2×2 sum whose top-left pixel is (x, row), for padded columns 0…width. */
CK_TARGET static void CK_CAT(ck_block_sums_, CK_VARIANT)(const float *restrict row,
                                                         const float *restrict below, size_t width,
                                                         float *restrict pair,
                                                         float *restrict block) {
    for (size_t x = 0; x < width + 2; x++) pair[x] = row[x] + below[x];
    for (size_t x = 0; x <= width; x++) block[x] = pair[x] + pair[x + 1];
}

/* The local-maximum check and the bookkeeping of one confirmed candidate: the tie rule makes a
 * flat pair of equal maxima count once (at the first in row-major order). */
CK_TARGET static int CK_CAT(ck_is_window_max_, CK_VARIANT)(const float *restrict p, size_t wp) {
    float v = *p;
    const float *up = p - wp, *down = p + wp;
    return v > up[-1] && v > up[0] && v > up[1] && v > p[-1] && v >= p[1] && v >= down[-1] &&
           v >= down[0] && v >= down[1];
}

CK_TARGET size_t CK_CAT(ck_find_photons_, CK_VARIANT)(
    const float *restrict subtracted, const float *restrict variance, size_t width, size_t height,
    float n_sigma, float min_sigma, uint32_t *restrict count_image, uint8_t *restrict exclusion,
    ck_photon *restrict list, size_t capacity, void *scratch) {
    size_t wp = width + 2;
    ck_find_scratch s = ck_find_scratch_prepare(scratch, width, height);
    float *padded = s.padded;

    for (size_t x = 0; x < wp; x++) padded[x] = 0, padded[(height + 1) * wp + x] = 0;
    for (size_t y = 0; y < height; y++)
        CK_CAT(ck_pad_row_, CK_VARIANT)(subtracted + y * width, width, padded + (y + 1) * wp);
    if (exclusion != NULL) memset(exclusion, 0, width * height);

    float n2 = n_sigma * n_sigma;
    float min_variance = min_sigma * min_sigma;
    /* Padded row r: three[r % 3] holds its 3-wide sums, block[r % 2] the 2×2 sums of rows r and
     * r + 1. The zero border rows give zero sums through the same code. */
    CK_CAT(ck_three_sums_, CK_VARIANT)(padded, width, s.three[0]);
    CK_CAT(ck_three_sums_, CK_VARIANT)(padded + wp, width, s.three[1]);
    CK_CAT(ck_block_sums_, CK_VARIANT)(padded, padded + wp, width, s.pair, s.block[0]);
    size_t found = 0;
    for (size_t r = 1; r <= height; r++) {
        const float *row = padded + r * wp;
        CK_CAT(ck_three_sums_, CK_VARIANT)(row + wp, width, s.three[(r + 1) % 3]);
        CK_CAT(ck_block_sums_, CK_VARIANT)(row, row + wp, width, s.pair, s.block[r % 2]);
        size_t y = r - 1;
        CK_CAT(ck_mark_candidates_, CK_VARIANT)(row, s.three[(r - 1) % 3], s.three[r % 3],
                                                s.three[(r + 1) % 3], s.block[(r - 1) % 2],
                                                s.block[r % 2], variance + y * width, width, n2,
                                                min_variance, s.flags);
        /* Few pixels are candidates: skip the flags eight at a time. */
        for (size_t x0 = 0; x0 < width; x0 += 8) {
            uint64_t word;
            memcpy(&word, s.flags + x0, 8);
            if (word == 0) continue;
            size_t end = x0 + 8 < width ? x0 + 8 : width;
            for (size_t x = x0; x < end; x++) {
                if (!s.flags[x]) continue;
                const float *p = row + x + 1;
                if (subtracted[y * width + x] != subtracted[y * width + x]) continue;
                if (!CK_CAT(ck_is_window_max_, CK_VARIANT)(p, wp)) continue;
                if (count_image != NULL) count_image[y * width + x] += 1;
                if (exclusion != NULL) ck_mark_neighbourhood(exclusion, width, height, x, y);
                if (found < capacity) list[found] = (ck_photon){(int32_t)x, (int32_t)y, *p};
                found++;
            }
        }
    }
    return found;
}
