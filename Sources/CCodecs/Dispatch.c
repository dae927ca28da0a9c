/* Chooses between the AVX2 bit untranspose and its scalar twin at run time. */
#include "CodecsInternal.h"

int cc_avx2_available(void) {
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    return 0;
#endif
}

void cc_bitunshuffle_block(const uint8_t *in, uint8_t *out, size_t n, size_t elem_size, cc_path path) {
    size_t done = 0;
    if (path != CC_PATH_SCALAR && cc_avx2_available()) done = cc_unshuffle_avx2_chunks(in, out, n, elem_size);
    cc_unshuffle_scalar_groups(in, out, n, elem_size, done);
}
