#ifndef DETVIEW_CCODECS_H
#define DETVIEW_CCODECS_H
/* Payload decoders run by detview's worker processes (never by the receive thread): one bare
 * LZ4 block, the HDF5-framed LZ4 of DECTRIS stream v2, and bitshuffle-LZ4 (PROTOCOLS.md §2).
 * LZ4 is liblz4's bounds-checked LZ4_decompress_safe; the bit untranspose has an AVX2 variant
 * (__attribute__((target("avx2"))), no global flags) and a scalar twin giving identical bytes.
 *
 * Decoders never read past `in + in_size` nor write past `out + out_size`, whatever the input.
 * On failure they return a status and write a one-line reason ("bslz4: block 3 says ...") into
 * `message` (NUL-terminated, truncated to `message_cap`). No heap allocation per call unless a
 * stream announces blocks larger than CC_STACK_BLOCK_BYTES. */
#include <stddef.h>
#include <stdint.h>

typedef enum cc_status {
    CC_OK = 0,
    /* The payload ends before the framing says it does. */
    CC_TRUNCATED = 1,
    /* Sizes disagree: header vs expected size, decompressed vs expected block size, bytes left over. */
    CC_SIZE_MISMATCH = 2,
    /* A value no sender may write: corrupt LZ4 data, element size not 1/2/4/8, bad block size. */
    CC_BAD_VALUE = 3,
} cc_status;

/* Which bit-untranspose variant a call runs. AVX2 on a CPU without it runs the scalar twin. */
typedef enum cc_path {
    CC_PATH_BEST = 0,
    CC_PATH_SCALAR = 1,
    CC_PATH_AVX2 = 2,
} cc_path;

/* How an encoder writes the 12-byte bitshuffle/HDF5 header; every form is accepted on decode. */
typedef enum cc_header {
    CC_HEADER_PRESENT = 0,
    CC_HEADER_ZEROED = 1,
    CC_HEADER_MISSING = 2,
} cc_header;

/* Block size the senders use when they do not say (bytes). */
#define CC_DEFAULT_BLOCK_BYTES 8192u
/* Blocks up to this size are decompressed into a stack buffer. */
#define CC_STACK_BLOCK_BYTES 65536u

/* 1 when this CPU (and OS) can run the AVX2 variants. */
int cc_avx2_available(void);

/* Bitshuffle-LZ4: `out` receives elem_count * elem_size bytes (out_size must equal that). */
cc_status cc_bslz4_decode(const uint8_t *in, size_t in_size, uint8_t *out, size_t out_size,
                          size_t elem_size, cc_path path, char *message, size_t message_cap);

/* The LZ4 share of cc_bslz4_decode: the same framing, checks and LZ4 blocks, each block
 * decompressed straight into its place in `out`, without the bit untranspose (so `out` holds
 * the still-shuffled bits). Only `detview bench decode` calls it, as its baseline. */
cc_status cc_bslz4_blocks_only(const uint8_t *in, size_t in_size, uint8_t *out, size_t out_size,
                               size_t elem_size, char *message, size_t message_cap);

/* The decoded size a payload's 12-byte header announces; 0 when it has no header (the first 8
 * bytes then read as 2^32 or more, see frame_start) or the header is zeroed. */
uint64_t cc_announced_size(const uint8_t *in, size_t in_size);

/* LZ4 into exactly out_size bytes: one bare LZ4 block (SIMPLON `lz4<`), or, when the payload
 * starts with a zero byte (never valid for a bare block with output), the HDF5 framing of
 * DECTRIS stream v2 (12-byte header, present/zeroed/missing; blocks stored raw when their
 * length equals the block size). */
cc_status cc_lz4_decode(const uint8_t *in, size_t in_size, uint8_t *out, size_t out_size,
                        char *message, size_t message_cap);

/* Largest output of cc_bslz4_encode; 0 when the arguments are invalid. */
size_t cc_bslz4_bound(size_t elem_count, size_t elem_size, size_t block_bytes);

/* Bitshuffle-LZ4 encoder (simulator, tests). block_bytes 0 means CC_DEFAULT_BLOCK_BYTES; it
 * must be a multiple of 8 * elem_size. Returns the bytes written, or 0 on invalid arguments. */
size_t cc_bslz4_encode(const uint8_t *in, size_t elem_count, size_t elem_size, size_t block_bytes,
                       cc_header header, uint8_t *out, size_t out_cap);

/* One block's bit transpose in the bitshuffle layout: n elements (a multiple of 8) of
 * elem_size bytes (1, 2, 4, 8) become 8 * elem_size rows of n / 8 bytes, row r holding bit
 * r % 8 of byte r / 8 of each element (element 8k + i at bit i of the row's byte k). */
void cc_bitshuffle_block(const uint8_t *in, uint8_t *out, size_t n, size_t elem_size);
/* Its inverse. `in` and `out` must not overlap. */
void cc_bitunshuffle_block(const uint8_t *in, uint8_t *out, size_t n, size_t elem_size, cc_path path);

#endif
