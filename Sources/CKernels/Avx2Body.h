/* The AVX2 variants, written once for every pixel type: Avx2Kernels.c includes this file
 * with PIX, SUF, VL (pixels per 256-bit vector), FLUSH_LIMIT and the V_* lane operations
 * defined.
 *
 * Masked pixels are handled without branches: e = (v == mask) is all-ones on masked lanes;
 * andnot(e, v) turns them into 0 (neutral for max and sum), or(v, e) into all-ones (neutral
 * for min). Lane counters and partial sums are narrow, so they are flushed into 64-bit
 * totals at least every FLUSH_LIMIT vector additions. */

static inline CK_AVX2 PIX CK_CAT(vmin_lanes_, SUF)(__m256i v) {
    PIX lanes[VL];
    _mm256_storeu_si256((__m256i *)lanes, v);
    PIX m = lanes[0];
    for (int i = 1; i < VL; i++) m = lanes[i] < m ? lanes[i] : m;
    return m;
}

static inline CK_AVX2 PIX CK_CAT(vmax_lanes_, SUF)(__m256i v) {
    PIX lanes[VL];
    _mm256_storeu_si256((__m256i *)lanes, v);
    PIX m = lanes[0];
    for (int i = 1; i < VL; i++) m = lanes[i] > m ? lanes[i] : m;
    return m;
}

CK_AVX2 ck_stats CK_CAT(ck_stats_avx2_, SUF)(const PIX *pixels, size_t count, PIX mask) {
    const __m256i maskv = V_SET1(mask);
    __m256i low0 = _mm256_set1_epi8(-1), low1 = low0;
    __m256i high0 = _mm256_setzero_si256(), high1 = high0;
    __m256i sum0 = high0, sum1 = high0, masked0 = high0, masked1 = high0;
    uint64_t sum = 0, masked = 0;
    size_t i = 0;
    while (count - i >= 2 * VL) {
        /* Half the limit: the two lane counters are added together before they widen. */
        size_t block = (count - i) / (2 * VL);
        if (block > FLUSH_LIMIT / 2) block = FLUSH_LIMIT / 2;
        for (size_t b = 0; b < block; b++, i += 2 * VL) {
            __m256i v0 = _mm256_loadu_si256((const __m256i *)(pixels + i));
            __m256i v1 = _mm256_loadu_si256((const __m256i *)(pixels + i + VL));
            __m256i e0 = V_EQ(v0, maskv), e1 = V_EQ(v1, maskv);
            __m256i z0 = _mm256_andnot_si256(e0, v0), z1 = _mm256_andnot_si256(e1, v1);
            low0 = V_MIN(low0, _mm256_or_si256(v0, e0));
            low1 = V_MIN(low1, _mm256_or_si256(v1, e1));
            high0 = V_MAX(high0, z0);
            high1 = V_MAX(high1, z1);
            sum0 = V_SUM_ADD(sum0, z0);
            sum1 = V_SUM_ADD(sum1, z1);
            masked0 = V_SUB(masked0, e0);
            masked1 = V_SUB(masked1, e1);
        }
        sum += V_SUM_FLUSH(sum0, block) + V_SUM_FLUSH(sum1, block);
        PIX lanes[VL];
        _mm256_storeu_si256((__m256i *)lanes, V_ADD(masked0, masked1));
        for (int k = 0; k < VL; k++) masked += lanes[k];
        sum0 = sum1 = masked0 = masked1 = _mm256_setzero_si256();
    }
    PIX low = CK_CAT(vmin_lanes_, SUF)(V_MIN(low0, low1));
    PIX high = CK_CAT(vmax_lanes_, SUF)(V_MAX(high0, high1));
    for (; i < count; i++) {
        PIX v = pixels[i];
        if (v == mask) {
            masked++;
            continue;
        }
        sum += v;
        low = v < low ? v : low;
        high = v > high ? v : high;
    }
    return (ck_stats){sum, masked, low, high};
}

/* How far ahead of a strip its rows are prefetched: 256 bytes, four 64-byte lines. */
#define PREFETCH_PIXELS (256 / sizeof(PIX))

/* Vector accumulators of the frame statistics during a binning pass. */
typedef struct CK_CAT(ck_vstats_, SUF) {
    __m256i low, high, sum, count;
    size_t pending; /* vector additions into each lane of sum and count since the last flush */
    uint64_t total_sum, total_masked;
} CK_CAT(ck_vstats_, SUF);

static inline __attribute__((always_inline)) CK_AVX2 void CK_CAT(vstats_flush_, SUF)(
    CK_CAT(ck_vstats_, SUF) *s) {
    s->total_sum += V_SUM_FLUSH(s->sum, s->pending);
    PIX lanes[VL];
    _mm256_storeu_si256((__m256i *)lanes, s->count);
    for (int i = 0; i < VL; i++) s->total_masked += lanes[i];
    s->sum = _mm256_setzero_si256();
    s->count = _mm256_setzero_si256();
    s->pending = 0;
}

/* Folds `rows` rows of one strip of VECTORS · VL columns into its column maxima and
 * all-masked flags (starting afresh when `first`), and into the frame statistics when
 * `with_stats`. Always inlined with constant arguments, so each use is its own loop and
 * the accumulators stay in registers. */
static inline __attribute__((always_inline)) CK_AVX2 void CK_CAT(column_strip_, SUF)(
    const PIX *p, size_t width, size_t rows, int first, PIX *column_max, PIX *all_masked,
    __m256i maskv, const int vectors, const int with_stats, CK_CAT(ck_vstats_, SUF) *s) {
    __m256i m0, m1, a0, a1;
    if (first) {
        m0 = m1 = _mm256_setzero_si256();
        a0 = a1 = _mm256_set1_epi8(-1);
    } else {
        m0 = _mm256_loadu_si256((const __m256i *)column_max);
        a0 = _mm256_loadu_si256((const __m256i *)all_masked);
        if (vectors == 2) {
            m1 = _mm256_loadu_si256((const __m256i *)(column_max + VL));
            a1 = _mm256_loadu_si256((const __m256i *)(all_masked + VL));
        } else {
            m1 = a1 = _mm256_setzero_si256();
        }
    }
    __m256i low = s->low, sum = s->sum, count = s->count;
    for (size_t r = 0; r < rows; r++, p += width) {
        /* A strip reads one short piece of each of many rows: too many streams for the
         * hardware prefetcher once the frame is out of L2, so fetch a few strips ahead. */
        _mm_prefetch((const char *)(p + PREFETCH_PIXELS), _MM_HINT_T0);
        __m256i v0 = _mm256_loadu_si256((const __m256i *)p);
        __m256i e0 = V_EQ(v0, maskv);
        __m256i z0 = _mm256_andnot_si256(e0, v0);
        m0 = V_MAX(m0, z0);
        a0 = _mm256_and_si256(a0, e0);
        if (with_stats) {
            low = V_MIN(low, _mm256_or_si256(v0, e0));
            sum = V_SUM_ADD(sum, z0);
            count = V_SUB(count, e0);
        }
        if (vectors == 2) {
            __m256i v1 = _mm256_loadu_si256((const __m256i *)(p + VL));
            __m256i e1 = V_EQ(v1, maskv);
            __m256i z1 = _mm256_andnot_si256(e1, v1);
            m1 = V_MAX(m1, z1);
            a1 = _mm256_and_si256(a1, e1);
            if (with_stats) {
                low = V_MIN(low, _mm256_or_si256(v1, e1));
                sum = V_SUM_ADD(sum, z1);
                count = V_SUB(count, e1);
            }
        }
    }
    _mm256_storeu_si256((__m256i *)column_max, m0);
    _mm256_storeu_si256((__m256i *)all_masked, a0);
    if (vectors == 2) {
        _mm256_storeu_si256((__m256i *)(column_max + VL), m1);
        _mm256_storeu_si256((__m256i *)(all_masked + VL), a1);
    }
    if (with_stats) {
        /* Masked lanes hold 0 in m: harmless for the frame maximum. */
        s->high = V_MAX(s->high, vectors == 2 ? V_MAX(m0, m1) : m0);
        s->low = low;
        s->sum = sum;
        s->count = count;
        s->pending += (size_t)vectors * rows;
    }
}

/* The vertical half of one chunk of rows [y0, y0 + rows): SIMD strips, then scalar columns
 * (whose statistics go to the tail_* totals). */
static inline __attribute__((always_inline)) CK_AVX2 void CK_CAT(fold_rows_, SUF)(
    const PIX *pixels, size_t width, size_t y0, size_t rows, int first, PIX mask, PIX *column_max,
    PIX *all_masked, const int with_stats, CK_CAT(ck_vstats_, SUF) *s, ck_stats *tail) {
    const __m256i maskv = V_SET1(mask);
    const PIX *base = pixels + y0 * width;
    size_t x = 0;
    for (; x + 2 * VL <= width; x += 2 * VL) {
        if (with_stats && s->pending + 2 * rows > FLUSH_LIMIT) CK_CAT(vstats_flush_, SUF)(s);
        CK_CAT(column_strip_, SUF)(base + x, width, rows, first, column_max + x, all_masked + x,
                                   maskv, 2, with_stats, s);
    }
    if (x + VL <= width) {
        if (with_stats && s->pending + rows > FLUSH_LIMIT) CK_CAT(vstats_flush_, SUF)(s);
        CK_CAT(column_strip_, SUF)(base + x, width, rows, first, column_max + x, all_masked + x,
                                   maskv, 1, with_stats, s);
        x += VL;
    }
    for (; x < width; x++) {
        PIX m = first ? 0 : column_max[x];
        PIX a = first ? (PIX)~(PIX)0 : all_masked[x];
        const PIX *p = base + x;
        for (size_t r = 0; r < rows; r++, p += width) {
            PIX v = *p;
            if (v == mask) {
                tail->masked += 1;
                continue;
            }
            a = 0;
            m = v > m ? v : m;
            tail->sum += v;
            tail->min = v < tail->min ? v : tail->min;
            tail->max = v > tail->max ? v : tail->max;
        }
        column_max[x] = m;
        all_masked[x] = a;
    }
}

/* The horizontal half with separate max and all-masked tables (any mask value): a sparse
 * table of `levels` levels over both, then two scalar lookups per bin. */
static inline __attribute__((always_inline)) CK_AVX2 void CK_CAT(bin_row_flagged_, SUF)(
    PIX *column_max, PIX *all_masked, size_t width, unsigned levels, const int32_t *first_column,
    const int32_t *second_column, float *out_row, size_t out_width) {
    for (unsigned level = 0; level < levels; level++) {
        size_t shift = (size_t)1 << level;
        size_t n = width - 2 * shift + 1; /* where the next level is defined */
        size_t x = 0;
        for (; x + VL <= n; x += VL) {
            __m256i m0 = _mm256_loadu_si256((const __m256i *)(column_max + x));
            __m256i m1 = _mm256_loadu_si256((const __m256i *)(column_max + x + shift));
            __m256i a0 = _mm256_loadu_si256((const __m256i *)(all_masked + x));
            __m256i a1 = _mm256_loadu_si256((const __m256i *)(all_masked + x + shift));
            _mm256_storeu_si256((__m256i *)(column_max + x), V_MAX(m0, m1));
            _mm256_storeu_si256((__m256i *)(all_masked + x), _mm256_and_si256(a0, a1));
        }
        for (; x < n; x++) {
            PIX m1 = column_max[x + shift];
            column_max[x] = m1 > column_max[x] ? m1 : column_max[x];
            all_masked[x] &= all_masked[x + shift];
        }
    }
#pragma clang loop vectorize(disable)
    for (size_t i = 0; i < out_width; i++) {
        size_t x0 = (size_t)first_column[i], x2 = (size_t)second_column[i];
        PIX m = column_max[x0] > column_max[x2] ? column_max[x0] : column_max[x2];
        out_row[i] = (all_masked[x0] & all_masked[x2]) ? __builtin_nanf("") : (float)m;
    }
}

/* The horizontal half with one key per column (all-ones mask): keys, a sparse table of
 * `levels` levels, then eight bins per step from two gathers. The gathers read 32 bits at
 * a pixel's address (up to 3 bytes past the last column: still inside the scratch). */
static inline __attribute__((always_inline)) CK_AVX2 void CK_CAT(bin_row_keyed_, SUF)(
    PIX *keys, const PIX *all_masked, size_t width, unsigned levels, const int32_t *first_column,
    const int32_t *second_column, float *out_row, size_t out_width) {
    const __m256i one = V_SET1(1);
    size_t x = 0;
    for (; x + VL <= width; x += VL) {
        __m256i m = _mm256_loadu_si256((const __m256i *)(keys + x));
        __m256i a = _mm256_loadu_si256((const __m256i *)(all_masked + x));
        _mm256_storeu_si256((__m256i *)(keys + x), _mm256_andnot_si256(a, V_ADD(m, one)));
    }
    for (; x < width; x++) keys[x] = (PIX)((PIX)(keys[x] + 1) & (PIX)~all_masked[x]);
    for (unsigned level = 0; level < levels; level++) {
        size_t shift = (size_t)1 << level;
        size_t n = width - 2 * shift + 1;
        x = 0;
        for (; x + VL <= n; x += VL) {
            __m256i k0 = _mm256_loadu_si256((const __m256i *)(keys + x));
            __m256i k1 = _mm256_loadu_si256((const __m256i *)(keys + x + shift));
            _mm256_storeu_si256((__m256i *)(keys + x), V_MAX(k0, k1));
        }
        for (; x < n; x++) keys[x] = keys[x + shift] > keys[x] ? keys[x + shift] : keys[x];
    }
    const __m256i key_bits = _mm256_set1_epi32((int)(uint32_t)(PIX)~(PIX)0);
    const __m256i low16 = _mm256_set1_epi32(0xFFFF);
    const __m256 nan = _mm256_set1_ps(__builtin_nanf(""));
    size_t i = 0;
    for (; i + 8 <= out_width; i += 8) {
        __m256i i0 = _mm256_loadu_si256((const __m256i *)(first_column + i));
        __m256i i2 = _mm256_loadu_si256((const __m256i *)(second_column + i));
        __m256i k0 = _mm256_and_si256(_mm256_i32gather_epi32((const int *)keys, i0, sizeof(PIX)), key_bits);
        __m256i k2 = _mm256_and_si256(_mm256_i32gather_epi32((const int *)keys, i2, sizeof(PIX)), key_bits);
        __m256i key = _mm256_max_epu32(k0, k2);
        __m256i m = _mm256_sub_epi32(key, _mm256_set1_epi32(1));
        /* Unsigned 32-bit to float: both 16-bit halves convert exactly; the sum rounds once,
         * as (float)m does. */
        __m256 high = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(m, 16)), _mm256_set1_ps(65536.0f));
        __m256 value = _mm256_add_ps(high, _mm256_cvtepi32_ps(_mm256_and_si256(m, low16)));
        __m256 none = _mm256_castsi256_ps(_mm256_cmpeq_epi32(key, _mm256_setzero_si256()));
        _mm256_storeu_ps(out_row + i, _mm256_blendv_ps(value, nan, none));
    }
    for (; i < out_width; i++) {
        PIX k0 = keys[first_column[i]], k2 = keys[second_column[i]];
        PIX key = k0 > k2 ? k0 : k2;
        out_row[i] = key == 0 ? __builtin_nanf("") : (float)(PIX)(key - 1);
    }
}

static inline __attribute__((always_inline)) CK_AVX2 void CK_CAT(bin_max_avx2_, SUF)(
    const PIX *pixels, size_t width, size_t height, PIX mask, float *out, size_t out_width,
    size_t out_height, void *scratch_memory, ck_stats *stats, const int with_stats) {
    ck_bin_scratch scratch = ck_bin_scratch_prepare(scratch_memory, width, out_width, sizeof(PIX));
    PIX *column_max = scratch.column_max;
    PIX *all_masked = scratch.column_all_masked;
    /* Bins are q or q+1 columns wide (q = width / out_width, or 1 when scaling up). A bin's
     * max is then max(M[x0], M[x1 - 2^k]) where M[x] is the max of 2^k columns from x and
     * 2^k <= q < 2^(k+1): a sparse table built in place with k vector passes, so the
     * horizontal half costs a few vector passes plus two lookups per bin, not W scalar steps. */
    size_t q = out_width <= width ? width / out_width : 1;
    unsigned levels = 0;
    while (((size_t)2 << levels) <= q) levels++;
    const size_t span = (size_t)1 << levels;
    /* Two lookups per bin, as 32-bit indices so whole rows of bins can be gathered. */
    int32_t *first_column = (int32_t *)scratch.bin_lookup;
    int32_t *second_column = first_column + out_width;
    for (size_t i = 0; i < out_width; i++) {
        size_t x0 = scratch.column_starts[i], x1 = scratch.column_starts[i + 1];
        first_column[i] = (int32_t)x0;
        second_column[i] = (int32_t)((x1 < x0 + 1 ? x0 + 1 : x1) - span);
    }
    /* With the all-ones mask no unmasked value is all-ones, so max + 1 fits a pixel and a
     * column folds into one key: 0 = only masked pixels, else max + 1. One table, and bins
     * come out eight at a time by gathers. Another mask keeps the two tables. */
    const int keyed = mask == (PIX)~(PIX)0;
    const size_t chunk_rows = FLUSH_LIMIT / 2;
    CK_CAT(ck_vstats_, SUF) s;
    s.low = _mm256_set1_epi8(-1);
    s.high = s.sum = s.count = _mm256_setzero_si256();
    s.pending = 0;
    s.total_sum = s.total_masked = 0;
    ck_stats tail = {0, 0, (PIX)~(PIX)0, 0};
    for (size_t j = 0; j < out_height; j++) {
        size_t y0 = j * height / out_height;
        size_t y1 = (j + 1) * height / out_height;
        if (y1 < y0 + 1) y1 = y0 + 1;
        for (size_t y = y0; y < y1; y += chunk_rows) {
            size_t rows = y1 - y < chunk_rows ? y1 - y : chunk_rows;
            CK_CAT(fold_rows_, SUF)(pixels, width, y, rows, y == y0, mask, column_max, all_masked,
                                    with_stats, &s, &tail);
        }
        float *out_row = out + j * out_width;
        if (keyed) {
            CK_CAT(bin_row_keyed_, SUF)(column_max, all_masked, width, levels, first_column,
                                        second_column, out_row, out_width);
        } else {
            CK_CAT(bin_row_flagged_, SUF)(column_max, all_masked, width, levels, first_column,
                                          second_column, out_row, out_width);
        }
    }
    if (with_stats) {
        CK_CAT(vstats_flush_, SUF)(&s);
        PIX low = CK_CAT(vmin_lanes_, SUF)(s.low), high = CK_CAT(vmax_lanes_, SUF)(s.high);
        *stats = (ck_stats){s.total_sum + tail.sum, s.total_masked + tail.masked,
                            tail.min < low ? tail.min : low, tail.max > high ? tail.max : high};
    }
}

CK_AVX2 void CK_CAT(ck_bin_max_avx2_, SUF)(const PIX *pixels, size_t width, size_t height, PIX mask,
                                           float *out, size_t out_width, size_t out_height,
                                           void *scratch, ck_stats *stats) {
    /* Rows are visited more than once when scaling up vertically: stats need their own pass. */
    if (stats != NULL && out_height <= height) {
        CK_CAT(bin_max_avx2_, SUF)(pixels, width, height, mask, out, out_width, out_height, scratch,
                                   stats, 1);
        return;
    }
    if (stats != NULL) *stats = CK_CAT(ck_stats_avx2_, SUF)(pixels, width * height, mask);
    CK_CAT(bin_max_avx2_, SUF)(pixels, width, height, mask, out, out_width, out_height, scratch,
                               NULL, 0);
}
