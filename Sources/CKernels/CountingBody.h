/* The charge-integrating loops, written once: CountingKernels.c includes this file three times,
 * with CK_VARIANT (the name suffix: scalar, avx2 or avx512), CK_TARGET (empty, or the target
 * attribute) and CK_LANES (8, or 16 for AVX-512) defined. The per-pixel parts are either plain
 * element-wise loops the compiler vectorises or CK_LANES-lane code in the compiler's vector
 * extensions (CountingInternal.h), so one text serves every target with the same IEEE
 * operations and identical results. */

/* One pixel's update with a = 1/k1, or its old state when `use` is 0 (selects, no branches: the
 * loops below vectorise). x − x is 0 only for finite x: NaN (masked) and infinities never update.
 * RECIPROCAL(k1) gives a: the division itself, or a constant where k1 is known to be the window. */
#define CK_PEDESTAL_STEP(i, KEEP, RECIPROCAL)                                                     \
    do {                                                                                          \
        float x = frame[i];                                                                       \
        uint32_t k = count[i];                                                                    \
        int use = (x - x == 0.0f) & KEEP(i);                                                       \
        uint32_t k1 = k < window ? k + 1 : window;                                                \
        float a = RECIPROCAL(k1);                                                                 \
        float m = mean[i], v = variance[i];                                                       \
        float d = x - m;                                                                          \
        float m1 = m + a * d;                                                                     \
        float v1 = (1.0f - a) * (v + a * (d * d));                                                \
        mean[i] = use ? m1 : m;                                                                   \
        variance[i] = use ? v1 : v;                                                               \
        count[i] = use ? k1 : k;                                                                  \
    } while (0)

/* Through int32: the vector conversion from signed ints is one instruction. */
#define CK_DIVIDE(k1) (1.0f / (float)(int32_t)(k1))
#define CK_KEEP_ALL(i) 1
#define CK_KEEP_UNEXCLUDED(i) (exclude[i] == 0)

/* CK_PEDESTAL_STEP on CK_LANES pixels from i. Where all of them have taken the whole window (the
 * steady state), k1 is the window: a is the constant a_full (the same float the division gives),
 * 1 − a is a constant too, and the counts stay as they are, so neither divided nor stored. */
CK_TARGET static inline void CK_CAT(ck_pedestal_step_, CK_VARIANT)(
    const float *restrict frame, const uint8_t *restrict exclude, float *restrict mean,
    float *restrict variance, uint32_t *restrict count, size_t i, uint32_t window, float a_full,
    float keep_full) {
    CK_VF x = CK_LOAD(CK_VF, frame + i);
    CK_VU k = CK_LOAD(CK_VU, count + i);
    /* x − x is 0 for finite x; adding the exclusion byte (as a float) keeps it 0 only where
     * the byte is 0: one comparison for both conditions. */
    CK_VF nan_or_zero = x - x;
    if (exclude != NULL)
        nan_or_zero += __builtin_convertvector(__builtin_convertvector(CK_LOAD(CK_VB, exclude + i), CK_VI), CK_VF);
    CK_VI use = nan_or_zero == 0.0f;
    CK_VF m = CK_LOAD(CK_VF, mean + i), v = CK_LOAD(CK_VF, variance + i);
    CK_VF d = x - m;
    CK_VF m1, v1;
    if (__builtin_reduce_and(k == window)) {
        m1 = m + a_full * d;
        v1 = keep_full * (v + a_full * (d * d));
    } else {
        /* min(k + 1, window) is k < window ? k + 1 : window, as counts never exceed the window. */
        CK_VU w = (CK_VU){0} + window;
        CK_VU k1 = CK_SELECT(CK_VU, k + 1 < w, k + 1, w);
        CK_VF a = 1.0f / __builtin_convertvector((CK_VI)k1, CK_VF);
        m1 = m + a * d;
        v1 = (1.0f - a) * (v + a * (d * d));
        CK_STORE(count + i, CK_SELECT(CK_VU, use, k1, k));
    }
    CK_STORE(mean + i, CK_SELECT(CK_VF, use, m1, m));
    CK_STORE(variance + i, CK_SELECT(CK_VF, use, v1, v));
}

CK_TARGET void CK_CAT(ck_pedestal_add_, CK_VARIANT)(const float *restrict frame,
                                                    const uint8_t *restrict exclude,
                                                    ck_pedestal p, size_t n, uint32_t window) {
    float *restrict mean = p.mean;
    float *restrict variance = p.variance;
    uint32_t *restrict count = p.count;
    const float a_full = CK_DIVIDE(window), keep_full = 1.0f - a_full;
    size_t i = 0;
    /* Two loops, so the inlined step knows whether there is an exclusion map. */
    if (exclude == NULL) {
        for (; i + CK_LANES <= n; i += CK_LANES)
            CK_CAT(ck_pedestal_step_, CK_VARIANT)(frame, NULL, mean, variance, count, i, window,
                                                   a_full, keep_full);
    } else {
        for (; i + CK_LANES <= n; i += CK_LANES)
            CK_CAT(ck_pedestal_step_, CK_VARIANT)(frame, exclude, mean, variance, count, i,
                                                   window, a_full, keep_full);
    }
    if (exclude == NULL) {
        for (; i < n; i++) CK_PEDESTAL_STEP(i, CK_KEEP_ALL, CK_DIVIDE);
    } else {
        for (; i < n; i++) CK_PEDESTAL_STEP(i, CK_KEEP_UNEXCLUDED, CK_DIVIDE);
    }
}

CK_TARGET void CK_CAT(ck_pedestal_subtract_, CK_VARIANT)(const float *restrict frame,
                                                         ck_pedestal p, size_t n,
                                                         uint32_t min_count,
                                                         float *restrict out) {
    const float *restrict mean = p.mean;
    const uint32_t *restrict count = p.count;
    /* Signed, as the signed vector comparison is one instruction: counts stay below 2³¹ (the
     * window is an Int32), so a min_count of 2³¹ or more is never reached. */
    int32_t below = min_count > (uint32_t)INT32_MAX ? INT32_MAX : (int32_t)min_count - 1;
    const CK_VF nan = (CK_VF){0} + __builtin_nanf("");
    size_t i = 0;
    for (; i + CK_LANES <= n; i += CK_LANES) {
        CK_VF s = CK_LOAD(CK_VF, frame + i) - CK_LOAD(CK_VF, mean + i);
        CK_STORE(out + i, CK_SELECT(CK_VF, CK_LOAD(CK_VI, count + i) > below, s, nan));
    }
    for (; i < n; i++) {
        float s = frame[i] - mean[i];
        out[i] = (int32_t)count[i] > below ? s : __builtin_nanf("");
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

/* The sums of padded row r (`p`, with `prev` = row r − 1 above it) at padded column x:
 *   three[x] = p[x−1] + p[x] + p[x+1]                (its 3-wide row sum)
 *   hq[x]    = max of the 2×2 sums with top-left corner (x−1, r−1) and (x, r−1)
 * so that a pixel's best 2×2 quadrant is max(hq of the row above at x, hq of its row at x). The
 * vector loop (eight columns a step) and the scalar tail round identically. */
#define CK_SUMS_AT(x)                                                                             \
    do {                                                                                          \
        three[x] = (p[(x) - 1] + p[x]) + p[(x) + 1];                                              \
        float pa = prev[(x) - 1] + p[(x) - 1], pb = prev[x] + p[x], pc = prev[(x) + 1] + p[(x) + 1]; \
        float ba = pa + pb, bb = pb + pc;                                                         \
        hq[x] = ba > bb ? ba : bb;                                                                \
    } while (0)

/* The nσ tests of the pixel at padded column x, with T = n²·max(σ², min σ²):
 *   v > 0 and v² > T,   S > 0 and S² > 9T,   Q > 0 and Q² > 4T
 * written as (max(u, 0))² > kT, which is the same for every u because T ≥ 0 or NaN. */
#define CK_PASS_AT(x)                                                                             \
    ({                                                                                            \
        float var_ = variance_row[(x) - 1];                                                       \
        float t_ = n2 * (var_ > min_variance ? var_ : min_variance);                              \
        float v_ = c[x], s_ = (t0[x] + t1[x]) + t2[x];                                            \
        float q_ = q0[x] > q1[x] ? q0[x] : q1[x];                                                 \
        v_ = v_ > 0.0f ? v_ : 0.0f;                                                               \
        s_ = s_ > 0.0f ? s_ : 0.0f;                                                               \
        q_ = q_ > 0.0f ? q_ : 0.0f;                                                               \
        (v_ * v_ > t_) | (s_ * s_ > 9.0f * t_) | (q_ * q_ > 4.0f * t_);                           \
    })

/* One step of the row ring, CK_LANES columns at a time: the sums of the entering padded row `p`
 * (below `c`), and, when `variance_row` is given, the candidate test of row `c`, whose rows
 * above are `t0`/`q0` (sums of the row above it) and `t1` (its own 3-wide sums). The test is
 * CK_PASS_AT, lane by lane with the same operations; the steps with a candidate are listed in
 * `hit_steps` as (column << 16) | lane bits, for the local-maximum check. Keeping that rare work
 * out of this loop, and the loop out of the caller (noinline: inlined, its pointers and the hit
 * counter went through the stack, ~15% slower), keeps it in registers. Returns the column where
 * the scalar tail starts; `*hits` receives the number of listed steps. */
CK_TARGET __attribute__((noinline)) static size_t CK_CAT(ck_row_step_, CK_VARIANT)(
    const float *restrict c, const float *restrict p, size_t width, float *restrict three,
    float *restrict hq, const float *restrict t0, const float *restrict t1,
    const float *restrict q0, const float *restrict variance_row, float n2, float min_variance,
    uint64_t *restrict hit_steps, size_t *hits) {
    const float *prev = c;
    const CK_VF floor = (CK_VF){0} + min_variance, zero = (CK_VF){0};
    size_t x = 1, listed = 0;
    /* Each row is read once, a vector a step: the columns one and two to the right of a
     * vector are it shifted by lanes of the next one (rows are whole 64-byte blocks long, so the
     * next vector is inside the row's buffer; only its first two lanes are used). */
    CK_VF p_here = CK_LOAD(CK_VF, p), c_here = CK_LOAD(CK_VF, prev);
    for (; x + CK_LANES <= width + 1; x += CK_LANES) {
        CK_VF p_next = CK_LOAD(CK_VF, p + x - 1 + CK_LANES), c_next = CK_LOAD(CK_VF, prev + x - 1 + CK_LANES);
        CK_VF l = p_here, m = CK_SHIFT1(p_here, p_next), r = CK_SHIFT2(p_here, p_next);
        CK_VF t2 = (l + m) + r;
        CK_STORE(three + x, t2);
        CK_VF v = CK_SHIFT1(c_here, c_next);
        CK_VF pa = c_here + l, pb = v + m;
        CK_VF pc = CK_SHIFT2(c_here, c_next) + r;
        p_here = p_next;
        c_here = c_next;
        CK_VF ba = pa + pb, bb = pb + pc;
        CK_VF q1 = CK_SELECT(CK_VF, ba > bb, ba, bb);
        CK_STORE(hq + x, q1);
        if (variance_row == NULL) continue;
        CK_VF var = CK_LOAD(CK_VF, variance_row + x - 1);
        CK_VF t = n2 * CK_SELECT(CK_VF, var > floor, var, floor);
        CK_VF sum = (CK_LOAD(CK_VF, t0 + x) + CK_LOAD(CK_VF, t1 + x)) + t2;
        CK_VF qa = CK_LOAD(CK_VF, q0 + x);
        CK_VF q = CK_SELECT(CK_VF, qa > q1, qa, q1);
        v = CK_SELECT(CK_VF, v > zero, v, zero);
        sum = CK_SELECT(CK_VF, sum > zero, sum, zero);
        q = CK_SELECT(CK_VF, q > zero, q, zero);
        CK_VI pass = (v * v > t) | (sum * sum > 9.0f * t) | (q * q > 4.0f * t);
        uint64_t bits = CK_LANE_BITS(pass);
        hit_steps[listed] = ((uint64_t)x << 16) | bits;
        listed += bits != 0;
    }
    for (size_t x1 = x; x1 <= width; x1++) CK_SUMS_AT(x1);
    *hits = listed;
    return x;
}

/* Confirms a candidate at image column x of image row y (padded rows u, c, d around it) and
 * books it. */
#define CK_CONFIRM(x)                                                                             \
    do {                                                                                          \
        float value_ = subtracted[y * width + (x)];                                               \
        if (value_ == value_ && CK_CAT(ck_is_window_max_, CK_VARIANT)(u, c, d, (x) + 1)) {        \
            if (count_image != NULL) count_image[y * width + (x)] += 1;                           \
            if (exclusion != NULL) ck_mark_neighbourhood(exclusion, width, height, (x), y);       \
            if (found < capacity) list[found] = (ck_photon){(int32_t)(x), (int32_t)y, c[(x) + 1]}; \
            found++;                                                                              \
        }                                                                                         \
    } while (0)

/* The local-maximum check of a candidate at column x (padded) of row `c`, between the rows `u`
 * above and `d` below: the tie rule makes a flat pair of equal maxima count once (at the first
 * in row-major order). */
CK_TARGET static int CK_CAT(ck_is_window_max_, CK_VARIANT)(const float *restrict u,
                                                           const float *restrict c,
                                                           const float *restrict d, size_t x) {
    float v = c[x];
    return v > u[x - 1] && v > u[x] && v > u[x + 1] && v > c[x - 1] && v >= c[x + 1] &&
           v >= d[x - 1] && v >= d[x] && v >= d[x + 1];
}

/* The rows of a frame go through a ring, top to bottom, so every row buffer stays in L1: at
 * step r (padded rows: image row r − 1; rows 0 and height + 1 are the zero border), image row
 * r − 1 enters (its exclusion row cleared, padded with NaN as 0 into ring slot r % 3, its sums
 * computed), and the candidates of image row r − 2, which now has both neighbours, are tested
 * and confirmed. */
CK_TARGET size_t CK_CAT(ck_find_photons_, CK_VARIANT)(
    const float *restrict subtracted, const float *restrict variance, size_t width, size_t height,
    float n_sigma, float min_sigma, uint32_t *restrict count_image, uint8_t *restrict exclusion,
    ck_photon *restrict list, size_t capacity, void *scratch) {
    ck_find_scratch s = ck_find_scratch_prepare(scratch, width);
    size_t wp = width + 2;
    float n2 = n_sigma * n_sigma;
    float min_variance = min_sigma * min_sigma;

    /* Padded row r lives in ring slot r % 3, its sums in three[r % 3] and hq[r % 2] (hq[r % 2]
     * belongs to the 2×2 sums with top-left corner in row r − 1). Row 0 is the zero border. */
    memset(s.padded[0], 0, wp * sizeof(float));
    memset(s.three[0], 0, wp * sizeof(float));
    size_t found = 0;
    for (size_t r = 1; r <= height + 1; r++) {
        float *row = s.padded[r % 3];
        if (r <= height) {
            size_t at = (r - 1) * width;
            if (exclusion != NULL) memset(exclusion + at, 0, width);
            CK_CAT(ck_pad_row_, CK_VARIANT)(subtracted + at, width, row);
        } else {
            memset(row, 0, wp * sizeof(float));
        }
        /* Padded row r − 1 (image row y = r − 2) gets its last neighbour: test its candidates
         * (from r = 2 on) while the sums of row r are computed. */
        const float *u = s.padded[(r + 1) % 3], *c = s.padded[(r - 1) % 3], *d = row;
        const float *t0 = s.three[(r + 1) % 3], *t1 = s.three[(r - 1) % 3], *t2 = s.three[r % 3];
        const float *q0 = s.hq[(r - 1) % 2], *q1 = s.hq[r % 2];
        size_t y = r - 2, hits;
        const float *variance_row = r >= 2 ? variance + y * width : NULL;
        size_t x = CK_CAT(ck_row_step_, CK_VARIANT)(c, row, width, s.three[r % 3], s.hq[r % 2], t0,
                                                    t1, q0, variance_row, n2, min_variance,
                                                    s.hit_steps, &hits);
        if (r < 2) continue;
        for (size_t h = 0; h < hits; h++) {
            size_t at = (size_t)(s.hit_steps[h] >> 16);
            for (uint32_t bits = (uint32_t)(s.hit_steps[h] & 0xffff); bits != 0; bits &= bits - 1)
                CK_CONFIRM(at + (size_t)__builtin_ctz(bits) - 1);
        }
        for (; x <= width; x++)
            if (CK_PASS_AT(x)) CK_CONFIRM(x - 1);
    }
    return found;
}
