/* The scalar twins, written once for every pixel type: ScalarKernels.c includes this file
 * with PIX (the pixel type) and SUF (the name suffix) defined. Plain loops: the reference
 * the AVX2 variants must match, and the path on CPUs without AVX2. */

ck_stats CK_CAT(ck_stats_scalar_, SUF)(const PIX *pixels, size_t count, PIX mask) {
    uint64_t sum = 0, masked = 0;
    PIX low = (PIX)~(PIX)0, high = 0;
    for (size_t i = 0; i < count; i++) {
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

void CK_CAT(ck_bin_max_scalar_, SUF)(const PIX *pixels, size_t width, size_t height, PIX mask,
                                     float *out, size_t out_width, size_t out_height,
                                     void *scratch_memory, ck_stats *stats) {
    ck_bin_scratch scratch = ck_bin_scratch_prepare(scratch_memory, width, out_width, sizeof(PIX));
    PIX *column_max = scratch.column_max;
    PIX *all_masked = scratch.column_all_masked;
    const size_t *starts = scratch.column_starts;
    /* Rows are visited more than once when scaling up vertically: stats need their own pass. */
    int stats_in_pass = stats != NULL && out_height <= height;
    if (stats != NULL && !stats_in_pass) *stats = CK_CAT(ck_stats_scalar_, SUF)(pixels, width * height, mask);
    uint64_t sum = 0, masked = 0;
    PIX low = (PIX)~(PIX)0, high = 0;
    for (size_t j = 0; j < out_height; j++) {
        size_t y0 = j * height / out_height;
        size_t y1 = (j + 1) * height / out_height;
        if (y1 < y0 + 1) y1 = y0 + 1;
        for (size_t x = 0; x < width; x++) {
            column_max[x] = 0;
            all_masked[x] = (PIX)~(PIX)0;
        }
        for (size_t y = y0; y < y1; y++) {
            const PIX *row = pixels + y * width;
            for (size_t x = 0; x < width; x++) {
                PIX v = row[x];
                if (v == mask) {
                    masked++;
                    continue;
                }
                all_masked[x] = 0;
                column_max[x] = v > column_max[x] ? v : column_max[x];
                sum += v;
                low = v < low ? v : low;
                high = v > high ? v : high;
            }
        }
        float *out_row = out + j * out_width;
        for (size_t i = 0; i < out_width; i++) {
            size_t x0 = starts[i], x1 = starts[i + 1];
            if (x1 < x0 + 1) x1 = x0 + 1;
            PIX m = 0, all = (PIX)~(PIX)0;
            for (size_t x = x0; x < x1; x++) {
                m = column_max[x] > m ? column_max[x] : m;
                all &= all_masked[x];
            }
            out_row[i] = all ? __builtin_nanf("") : (float)m;
        }
    }
    if (stats_in_pass) *stats = (ck_stats){sum, masked, low, high};
}
