/* The 12-byte-header block framing shared by bitshuffle-LZ4 and DECTRIS's HDF5-framed LZ4:
 * 8-byte big-endian decoded size, 4-byte big-endian block size, then per block a 4-byte
 * big-endian compressed length and the block. Senders write the header correctly, as zeros,
 * or not at all; the decoder tells them apart by the first 8 bytes (see frame_start). */
#include "CodecsInternal.h"
#include <lz4.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t be64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
    return v;
}

static uint32_t be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put_be64(uint8_t *p, uint64_t v) {
    for (int i = 7; i >= 0; i--) { p[i] = (uint8_t)v; v >>= 8; }
}

static void put_be32(uint8_t *p, uint32_t v) {
    for (int i = 3; i >= 0; i--) { p[i] = (uint8_t)v; v >>= 8; }
}

static cc_status fail(cc_status status, char *message, size_t cap, const char *format, ...) {
    if (message != NULL && cap > 0) {
        va_list args;
        va_start(args, format);
        vsnprintf(message, cap, format, args);
        va_end(args);
    }
    return status;
}

/* Where the blocks start and how large they are. A header's size field is the decoded size
 * (or 0 when zeroed). Without a header the payload starts with a block length, so the first 8
 * bytes read as a size are >= 2^32 (a nonzero length in the top half); a value below 2^32 that
 * is neither 0 nor the expected size is a header that disagrees. A payload too short for a
 * header is headerless: tiny frames (fewer than 8 elements) are only raw bytes. */
static cc_status frame_start(const char *name, const uint8_t *in, size_t in_size, size_t expected,
                             size_t *pos, size_t *block_bytes, char *message, size_t cap) {
    *pos = 0;
    *block_bytes = CC_DEFAULT_BLOCK_BYTES;
    if (in_size < 8) return CC_OK;
    uint64_t size = be64(in);
    if (size >= ((uint64_t)1 << 32) && size != expected) return CC_OK;
    if (size != 0 && size != expected)
        return fail(CC_SIZE_MISMATCH, message, cap, "%s: header says %llu decoded bytes, expected %zu",
                    name, (unsigned long long)size, expected);
    if (in_size < 12)
        return fail(CC_TRUNCATED, message, cap, "%s: payload of %zu bytes ends inside the 12-byte header",
                    name, in_size);
    uint32_t block = be32(in + 8);
    if (block != 0) *block_bytes = block;
    *pos = 12;
    return CC_OK;
}

/* Reads the next block's length at *pos and checks it fits; advances *pos past the length. */
static cc_status block_length(const char *name, const uint8_t *in, size_t in_size, size_t *pos,
                              size_t index, uint32_t *length, char *message, size_t cap) {
    if (in_size - *pos < 4)
        return fail(CC_TRUNCATED, message, cap, "%s: payload of %zu bytes ends before the length of block %zu",
                    name, in_size, index);
    *length = be32(in + *pos);
    *pos += 4;
    if (*length > in_size - *pos)
        return fail(CC_TRUNCATED, message, cap, "%s: block %zu says %u bytes, only %zu left",
                    name, index, *length, in_size - *pos);
    return CC_OK;
}

static cc_status lz4_block(const char *name, const uint8_t *in, uint32_t length, uint8_t *out,
                           size_t out_size, size_t index, char *message, size_t cap) {
    int got = LZ4_decompress_safe((const char *)in, (char *)out, (int)length, (int)out_size);
    if (got < 0)
        return fail(CC_BAD_VALUE, message, cap, "%s: block %zu (%u bytes) is not valid LZ4 for %zu bytes of output",
                    name, index, length, out_size);
    if ((size_t)got != out_size)
        return fail(CC_SIZE_MISMATCH, message, cap, "%s: block %zu decompresses to %d bytes, expected %zu",
                    name, index, got, out_size);
    return CC_OK;
}

static cc_status finish(const char *name, size_t in_size, size_t pos, char *message, size_t cap) {
    if (pos != in_size)
        return fail(CC_SIZE_MISMATCH, message, cap, "%s: %zu bytes left over after the last block",
                    name, in_size - pos);
    return CC_OK;
}

uint64_t cc_announced_size(const uint8_t *in, size_t in_size) {
    if (in_size < 8) return 0;
    uint64_t size = be64(in);
    return size >= ((uint64_t)1 << 32) ? 0 : size;
}

/* The bitshuffle-LZ4 walk. With `untranspose` each block is decompressed into scratch and
 * untransposed into `out`; without it (the benchmark's LZ4-only baseline) it is decompressed
 * straight into `out`, so both move the same bytes into the same buffer. */
static cc_status bslz4_walk(const uint8_t *in, size_t in_size, uint8_t *out, size_t out_size,
                            size_t elem_size, cc_path path, int untranspose, char *message, size_t cap) {
    static const char name[] = "bslz4";
    if (elem_size != 1 && elem_size != 2 && elem_size != 4 && elem_size != 8)
        return fail(CC_BAD_VALUE, message, cap, "bslz4: element size %zu is not 1, 2, 4 or 8", elem_size);
    if (out_size % elem_size != 0)
        return fail(CC_SIZE_MISMATCH, message, cap, "bslz4: %zu output bytes are not whole %zu-byte elements",
                    out_size, elem_size);
    const size_t count = out_size / elem_size;
    const size_t tail_bytes = (count % 8) * elem_size;
    size_t pos = 0, block_bytes = CC_DEFAULT_BLOCK_BYTES;
    if (!(count < 8 && in_size == tail_bytes)) {
        cc_status s = frame_start(name, in, in_size, out_size, &pos, &block_bytes, message, cap);
        if (s != CC_OK) return s;
    }
    if (block_bytes % (8 * elem_size) != 0 || block_bytes > ((size_t)1 << 30))
        return fail(CC_BAD_VALUE, message, cap, "bslz4: block size %zu bytes is not a multiple of %zu (8 elements) up to 1 GiB",
                    block_bytes, 8 * elem_size);
    const size_t block_elems = block_bytes / elem_size;

    uint8_t stack_scratch[CC_STACK_BLOCK_BYTES];
    uint8_t *scratch = stack_scratch;
    const size_t largest = block_elems < count ? block_bytes : (count - count % 8) * elem_size;
    if (untranspose && largest > sizeof stack_scratch) {
        scratch = malloc(largest);
        if (scratch == NULL)
            return fail(CC_BAD_VALUE, message, cap, "bslz4: no memory for a %zu-byte block", largest);
    }
    cc_status status = CC_OK;
    size_t done = 0, index = 0;
    while (count - done >= 8) {
        size_t n = count - done;
        if (n > block_elems) n = block_elems;
        n -= n % 8;
        uint32_t length;
        status = block_length(name, in, in_size, &pos, index, &length, message, cap);
        if (status != CC_OK) break;
        uint8_t *target = untranspose ? scratch : out + done * elem_size;
        status = lz4_block(name, in + pos, length, target, n * elem_size, index, message, cap);
        if (status != CC_OK) break;
        if (untranspose) cc_bitunshuffle_block(scratch, out + done * elem_size, n, elem_size, path);
        pos += length;
        done += n;
        index++;
    }
    if (scratch != stack_scratch) free(scratch);
    if (status != CC_OK) return status;
    if (in_size - pos < tail_bytes)
        return fail(CC_TRUNCATED, message, cap, "bslz4: payload ends %zu bytes into the %zu raw bytes after the blocks",
                    in_size - pos, tail_bytes);
    memcpy(out + done * elem_size, in + pos, tail_bytes);
    return finish(name, in_size, pos + tail_bytes, message, cap);
}

cc_status cc_bslz4_decode(const uint8_t *in, size_t in_size, uint8_t *out, size_t out_size,
                          size_t elem_size, cc_path path, char *message, size_t cap) {
    return bslz4_walk(in, in_size, out, out_size, elem_size, path, 1, message, cap);
}

cc_status cc_bslz4_blocks_only(const uint8_t *in, size_t in_size, uint8_t *out, size_t out_size,
                               size_t elem_size, char *message, size_t cap) {
    return bslz4_walk(in, in_size, out, out_size, elem_size, CC_PATH_SCALAR, 0, message, cap);
}

cc_status cc_lz4_decode(const uint8_t *in, size_t in_size, uint8_t *out, size_t out_size,
                        char *message, size_t cap) {
    static const char name[] = "lz4";
    if (out_size > (size_t)LZ4_MAX_INPUT_SIZE || in_size > (size_t)INT32_MAX)
        return fail(CC_BAD_VALUE, message, cap, "lz4: %zu bytes are beyond what one LZ4 block holds", out_size);
    if (out_size == 0 && in_size == 0) return CC_OK;
    if (in_size == 0)
        return fail(CC_TRUNCATED, message, cap, "lz4: empty payload, expected %zu decoded bytes", out_size);
    if (in[0] != 0 || out_size == 0) {
        int got = LZ4_decompress_safe((const char *)in, (char *)out, (int)in_size, (int)out_size);
        if (got < 0)
            return fail(CC_BAD_VALUE, message, cap, "lz4: %zu bytes are not valid LZ4 for %zu bytes of output",
                        in_size, out_size);
        if ((size_t)got != out_size)
            return fail(CC_SIZE_MISMATCH, message, cap, "lz4: decompresses to %d bytes, expected %zu", got, out_size);
        return CC_OK;
    }
    size_t pos, block_bytes;
    cc_status status = frame_start(name, in, in_size, out_size, &pos, &block_bytes, message, cap);
    if (status != CC_OK) return status;
    size_t done = 0, index = 0;
    while (done < out_size) {
        size_t n = out_size - done < block_bytes ? out_size - done : block_bytes;
        uint32_t length;
        status = block_length(name, in, in_size, &pos, index, &length, message, cap);
        if (status != CC_OK) return status;
        /* HDF5's LZ4 filter stores a block raw when compressing did not shrink it. */
        if (length == n) memcpy(out + done, in + pos, n);
        else if ((status = lz4_block(name, in + pos, length, out + done, n, index, message, cap)) != CC_OK) return status;
        pos += length;
        done += n;
        index++;
    }
    return finish(name, in_size, pos, message, cap);
}

static size_t resolved_block_bytes(size_t elem_size, size_t block_bytes) {
    if (elem_size != 1 && elem_size != 2 && elem_size != 4 && elem_size != 8) return 0;
    if (block_bytes == 0) block_bytes = CC_DEFAULT_BLOCK_BYTES;
    if (block_bytes % (8 * elem_size) != 0 || block_bytes > ((size_t)1 << 30)) return 0;
    return block_bytes;
}

size_t cc_bslz4_bound(size_t elem_count, size_t elem_size, size_t block_bytes) {
    block_bytes = resolved_block_bytes(elem_size, block_bytes);
    if (block_bytes == 0) return 0;
    const size_t bytes = elem_count * elem_size;
    const size_t blocks = bytes / block_bytes + 1;
    return 12 + blocks * (4 + (size_t)LZ4_compressBound((int)block_bytes)) + bytes;
}

size_t cc_bslz4_encode(const uint8_t *in, size_t elem_count, size_t elem_size, size_t block_bytes,
                       cc_header header, uint8_t *out, size_t out_cap) {
    block_bytes = resolved_block_bytes(elem_size, block_bytes);
    if (block_bytes == 0 || out_cap < cc_bslz4_bound(elem_count, elem_size, block_bytes)) return 0;
    const size_t block_elems = block_bytes / elem_size;
    size_t pos = 0;
    if (header != CC_HEADER_MISSING) {
        put_be64(out, header == CC_HEADER_PRESENT ? elem_count * elem_size : 0);
        put_be32(out + 8, header == CC_HEADER_PRESENT ? (uint32_t)block_bytes : 0);
        pos = 12;
    }
    uint8_t *scratch = malloc(block_bytes);
    if (scratch == NULL) return 0;
    size_t done = 0;
    while (elem_count - done >= 8) {
        size_t n = elem_count - done;
        if (n > block_elems) n = block_elems;
        n -= n % 8;
        cc_bitshuffle_block(in + done * elem_size, scratch, n, elem_size);
        int length = LZ4_compress_default((const char *)scratch, (char *)out + pos + 4, (int)(n * elem_size),
                                          (int)(out_cap - pos - 4 > INT32_MAX ? INT32_MAX : out_cap - pos - 4));
        if (length <= 0) { free(scratch); return 0; }
        put_be32(out + pos, (uint32_t)length);
        pos += 4 + (size_t)length;
        done += n;
    }
    free(scratch);
    const size_t tail = (elem_count - done) * elem_size;
    memcpy(out + pos, in + done * elem_size, tail);
    return pos + tail;
}
