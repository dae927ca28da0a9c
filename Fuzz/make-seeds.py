#!/usr/bin/env python3
"""Writes the seed corpora under Fuzz/corpus/<target>/ (run from the repository root:
python3 Fuzz/make-seeds.py). Small valid messages of each wire format, built by hand here (no
dependency on detview's encoders), in the fuzz input layout of Sources/FuzzSupport/FuzzMessages.swift:

    input   = flags:u8 message*
    message = head:u8 part*        head & 0x0F = part count, head & 0x10 = idle() before it
    part    = length:u24 LE, bytes

fuzz-codecs has its own layout (see Sources/FuzzCodecs/main.swift). Real DECTRIS stream v2
messages are wrapped from the repository's Tests/Fixtures/dectris-stream2."""
import json, os, struct, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Tests", "Fixtures", "dectris-stream2")


def container(messages, flags=0):
    out = bytearray([flags])
    for m in messages:
        idle = False
        if isinstance(m, tuple):
            m, idle = m
        assert len(m) <= 15
        out.append(len(m) | (0x10 if idle else 0))
        for part in m:
            assert len(part) < 1 << 24
            out += struct.pack("<I", len(part))[:3] + part
    return bytes(out)


def write(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def js(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


def pixels(count, size, seed=7):
    return bytes((seed + 13 * i) & 0xFF for i in range(count * size))


# --- LZ4 and bitshuffle, literal-only blocks: valid, if not small -------------------------
def lz4_literals(data):
    n = len(data)
    if n < 15:
        return bytes([n << 4]) + data
    out, rest = bytearray([0xF0]), n - 15
    while rest >= 255:
        out.append(255)
        rest -= 255
    out.append(rest)
    return bytes(out) + data


def bitshuffle(block, elem_size):
    n = len(block) // elem_size
    rows = bytearray(len(block))
    row_bytes = n // 8
    for r in range(8 * elem_size):
        byte, bit = divmod(r, 8)
        for k in range(row_bytes):
            v = 0
            for i in range(8):
                v |= ((block[(8 * k + i) * elem_size + byte] >> bit) & 1) << i
            rows[r * row_bytes + k] = v
    return bytes(rows)


def bslz4(data, elem_size, header="present", block_bytes=8192):
    count = len(data) // elem_size
    out = bytearray()
    if header != "missing":
        out += struct.pack(">QI", len(data) if header == "present" else 0, block_bytes if header == "present" else 0)
    block_elems = block_bytes // elem_size
    done = 0
    while count - done >= 8:
        n = min(count - done, block_elems)
        n -= n % 8
        block = lz4_literals(bitshuffle(data[done * elem_size:(done + n) * elem_size], elem_size))
        out += struct.pack(">I", len(block)) + block
        done += n
    return bytes(out + data[done * elem_size:])


def hdf5_lz4(data, block_bytes=8192):
    out = bytearray(struct.pack(">QI", len(data), block_bytes))
    for i in range(0, len(data), block_bytes):
        block = lz4_literals(data[i:i + block_bytes])
        out += struct.pack(">I", len(block)) + block
    return bytes(out)


# --- CBOR ---------------------------------------------------------------------------------
def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, n)


class Tag:
    def __init__(self, tag, value):
        self.tag, self.value = tag, value


def cbor(v):
    if isinstance(v, bool):
        return bytes([0xF5 if v else 0xF4])
    if v is None:
        return b"\xf6"
    if isinstance(v, int):
        return cbor_head(0, v) if v >= 0 else cbor_head(1, -1 - v)
    if isinstance(v, float):
        return b"\xfb" + struct.pack(">d", v)
    if isinstance(v, bytes):
        return cbor_head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode()
        return cbor_head(3, len(b)) + b
    if isinstance(v, list):
        return cbor_head(4, len(v)) + b"".join(cbor(x) for x in v)
    if isinstance(v, dict):
        return cbor_head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())
    if isinstance(v, Tag):
        return cbor_head(6, v.tag) + cbor(v.value)
    raise TypeError(v)


def typed(size):
    return {1: 64, 2: 69, 4: 70}[size]


def s2_start(series=3, dtype="uint16", width=4, height=3):
    return b"\xd9\xd9\xf7" + cbor({"type": "start", "series_id": series, "series_unique_id": "u%d" % series,
                                   "image_size_x": width, "image_size_y": height, "image_dtype": dtype,
                                   "channels": ["threshold_1", "threshold_2"], "count_time": 0.01,
                                   "detector_description": "Dectris EIGER2 Si 500K", "number_of_images": 3})


def s2_image(image_id, series=3, size=2, width=4, height=3, comp=None, chunked=False, dims=True):
    data = pixels(width * height, size, seed=image_id)
    if comp == "bslz4":
        payload = Tag(typed(size), Tag(56500, ["bslz4", size, bslz4(data, size)]))
    elif comp == "lz4":
        payload = Tag(typed(size), Tag(56500, ["lz4", 0, hdf5_lz4(data)]))
    else:
        payload = Tag(typed(size), data)
    array = Tag(40, [[height, width], payload]) if dims else payload
    body = {"type": "image", "series_id": series, "series_unique_id": "u%d" % series, "image_id": image_id,
            "real_time": [10000, 1000000], "data": {"threshold_1": array, "threshold_2": array}}
    encoded = b"\xd9\xd9\xf7" + cbor(body)
    if chunked and comp is None:
        # The same image with its payload as an indefinite-length byte string of two chunks.
        whole = cbor(data)
        chunks = b"\x5f" + cbor(data[:5]) + cbor(data[5:]) + b"\xff"
        encoded = encoded.replace(whole, chunks)
    return encoded


def s2_end(series=3):
    return b"\xd9\xd9\xf7" + cbor({"type": "end", "series_id": series, "series_unique_id": "u%d" % series})


# --- slsDetector ----------------------------------------------------------------------------
def sls_header(frame_index, frame_number=None, bitmode=16, shape=(4, 3), complete=1, version=5, extra=None):
    bpp = {8: 1, 16: 2, 32: 4, 4: 1}[bitmode]
    h = {"jsonversion": version, "bitmode": bitmode, "fileIndex": 0, "detshape": [1, 1], "shape": list(shape),
         "size": shape[0] * shape[1] * bpp if bitmode != 4 else shape[0] * shape[1] // 2,
         "acqIndex": frame_number or frame_index + 1, "frameIndex": frame_index, "progress": 33.3333,
         "fname": "/data/run", "data": 1, "completeImage": complete, "frameNumber": frame_number or frame_index + 1,
         "expLength": 0, "packetNumber": 50, "detSpec1": 0, "timestamp": 0, "modId": 0, "row": 0, "column": 0,
         "detSpec2": 0, "detSpec3": 0, "detSpec4": 0, "detType": 5, "version": 2, "flipRows": 0, "quad": 0}
    if version == 5:
        h["rx_roi"] = [0, shape[0] - 1, 0, shape[1] - 1]
    if extra:
        h.update(extra)
    return js(h) + b"\n", h["size"]


def sls_end(version=5):
    h = {"jsonversion": version, "bitmode": 0, "shape": [0, 0], "size": 0, "data": 0, "fname": "", "frameIndex": 0}
    return js(h) + b"\n"


def sls_frame(frame_index, **kw):
    header, size = sls_header(frame_index, **kw)
    return [header, pixels(1, size, seed=frame_index)]


def make_sls():
    write("fuzz-sls", "multipart-series", container([sls_frame(0), sls_frame(1), sls_frame(2), [sls_end()]]))
    single = []
    for i in (0, 1, 3):
        single += [m for m in ([p] for p in sls_frame(i, complete=0 if i == 3 else 1))]
    write("fuzz-sls", "single-part-with-gap", container(single + [[sls_end()], [sls_end()]]))
    write("fuzz-sls", "bitmodes-and-restart", container([
        sls_frame(0, bitmode=8), sls_frame(1, bitmode=8), sls_frame(0, bitmode=32, shape=(2, 2)),
        (sls_frame(5, bitmode=16, shape=(3, 1)), True), sls_frame(0, bitmode=4, shape=(4, 2))]))
    v4, _ = sls_header(0, version=4, extra={"addJsonHeader": {"detector": "moench", "run": "7"}})
    v4 = v4.replace(b'"data":1', b'"data": 1').replace(b'"progress":33.3333', b'"progress":100.000000')
    write("fuzz-sls", "v4-addjsonheader", container([[v4, pixels(12, 2)], [v4], [sls_end(4)]]))
    big, _ = sls_header(0, shape=(1024, 1024))
    write("fuzz-sls", "too-large-and-orphan-data", container([[big, b"\0" * 16], [pixels(24, 1)], [sls_frame(0)[0]],
                                                              [sls_frame(1)[0]], [pixels(24, 1)]]))


# --- SIMPLON v1 -----------------------------------------------------------------------------
CONFIG = js({"auto_summation": True, "beam_center_x": 1041.5, "beam_center_y": 1101.25, "count_time": 0.0099,
             "description": "Dectris EIGER2 Si 4M", "detector_number": "E-08-0123", "frame_time": 0.01,
             "nimages": 3, "software_version": "2022.1.2", "x_pixels_in_detector": 4, "y_pixels_in_detector": 3})


def dheader(detail, series=7):
    return js({"htype": "dheader-1.0", "series": series, "header_detail": detail})


def detail_parts():
    mask = struct.pack("<12I", 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0)
    return [js({"htype": "dflatfield-1.0", "shape": [4, 3], "type": "float32"}), struct.pack("<12f", *([1.0] * 12)),
            js({"htype": "dpixelmask-1.0", "shape": [4, 3], "type": "uint32"}), mask,
            js({"htype": "dcountrate_table-1.0", "shape": [2, 4], "type": "float32"}), b"\0" * 32]


DCONFIG = js({"htype": "dconfig-1.0", "start_time": 1000000, "stop_time": 11000000, "real_time": 10000000})


def simplon_image(frame, series=7, encoding="<", type_="uint16", size=2, shape=(4, 3), data=None):
    if data is not None:
        pass   # a header that lies about its data (too large, wrong size)
    elif encoding == "lz4<":
        data = lz4_literals(pixels(shape[0] * shape[1], size, seed=frame))
    elif encoding.startswith("bs"):
        data = bslz4(pixels(shape[0] * shape[1], size, seed=frame), int(encoding[2:encoding.index("-")]) // 8)
    else:
        data = pixels(shape[0] * shape[1], size, seed=frame)
    return [js({"htype": "dimage-1.0", "series": series, "frame": frame, "hash": ""}),
            js({"htype": "dimage_d-1.0", "shape": list(shape), "type": type_, "encoding": encoding, "size": len(data)}),
            data, DCONFIG]


def simplon_end(series=7):
    return [js({"htype": "dseries_end-1.0", "series": series})]


def make_simplon():
    write("fuzz-simplon", "detail-all-raw-series", container(
        [[dheader("all"), CONFIG] + detail_parts(), simplon_image(0), simplon_image(1), simplon_image(3), simplon_end()]))
    write("fuzz-simplon", "detail-basic-compressed", container(
        [[dheader("basic"), CONFIG], simplon_image(0, encoding="lz4<"), simplon_image(1, encoding="bs16-lz4<"),
         simplon_image(2, encoding="bs32-lz4<", type_="uint16", size=4), simplon_image(3, encoding="bs8-lz4<", size=1),
         simplon_end()], flags=0x40))
    singles = [[dheader("all")], [CONFIG]] + [[p] for p in detail_parts()]
    write("fuzz-simplon", "single-part-header-late-join", container(
        singles + [simplon_image(0, series=8) + [b"appendix"], ([dheader("none", series=9)], True),
                   simplon_image(0, series=9, shape=(2, 2)), simplon_end(series=9)]))
    write("fuzz-simplon", "errors-then-good", container(
        [[dheader("basic")], simplon_image(0), [detail_parts()[2]], [dheader("none")],
         simplon_image(0)[:3], [DCONFIG], simplon_image(1, shape=(2048, 2048), data=pixels(24, 1)), simplon_image(2, type_="float32")]))


# --- array-1.0 ------------------------------------------------------------------------------
def make_array():
    def msg(header, size, count, seed=0, data=None):
        return [js(header), data if data is not None else pixels(count, size, seed)]
    write("fuzz-array", "psi-series", container([
        msg({"htype": "array-1.0", "shape": [3, 4], "type": "uint16", "frame": i, "endianness": "little"}, 2, 12, i)
        for i in (0, 1, 3)] + [msg({"htype": "array-1.0", "shape": [2, 2], "type": "uint32", "frame": 4}, 4, 4)]))
    nd = js({"htype": ["array-1.0"], "frame": 12, "shape": [4, 3], "timeStamp": 1.5, "type": "uint8",
             "encoding": "none", "ndattr": {"ColorMode": 0, "DriverFileName": "x"}})
    broken = nd.replace(b'"ndattr":{"ColorMode":0,"DriverFileName":"x"}', b'"ndattr":{"Name":"a"b","I8":\x85}')
    write("fuzz-array", "ndpluginzmq-forms", container([[nd, pixels(12, 1)], [broken, pixels(12, 1)], [nd]], flags=1))
    data = pixels(12, 2)
    write("fuzz-array", "compressed-and-3d", container([
        [js({"htype": "array-1.0", "shape": [1, 3, 4], "type": "uint16", "encoding": "bslz4"}), bslz4(data, 2)],
        [js({"htype": "array-1.0", "shape": [3, 4], "type": "uint16", "encoding": "lz4"}), lz4_literals(data)],
        [js({"htype": "array-1.0", "shape": [12], "type": "uint16"}), data],
        [js({"htype": "array-1.0", "shape": [3, 4], "type": "uint16", "endianness": "big"}), data]], flags=0x80))


# --- stream v2 ------------------------------------------------------------------------------
def make_stream2():
    write("fuzz-stream2", "start-images-end", container(
        [[s2_start()], [s2_image(0)], [s2_image(1, comp="bslz4")], [s2_image(2, comp="lz4")], [s2_end()]]))
    write("fuzz-stream2", "late-join-chunked-u32", container(
        [[s2_image(0, series=4, size=4, chunked=True)], [s2_image(1, series=4, size=4, comp="bslz4")],
         [s2_image(0, series=5, size=1, dims=False)], ([s2_end(5)], True)], flags=2))
    write("fuzz-stream2", "start-without-shape", container(
        [[b"\xd9\xd9\xf7" + cbor({"type": "start", "series_id": 6, "image_dtype": "uint8"})],
         [s2_image(0, series=6, size=1, dims=True)], [s2_image(1, series=6, size=1, width=2, height=2)], [s2_end(6)]], flags=1))
    if not os.path.isfile(os.path.join(FIXTURES, "expected.json")):
        sys.exit("make-seeds: the DECTRIS fixtures are missing from %s" % FIXTURES)
    def fixture(sub, name):
        with open(os.path.join(FIXTURES, sub, name), "rb") as f:
            return f.read()
    # Under the 2 MB budget: the two images of the 8-bit series, one of the 16-bit series,
    # and every series' end message. The 32-bit and lz4 images are 1.1 and 2 MB each.
    write("fuzz-stream2", "dectris-8bit-bslz4", container(
        [[fixture("r500k_bm_bslz4_8bit", "000001.cbor")], [fixture("r500k_bm_bslz4_8bit", "000002.cbor")],
         [fixture("r500k_bm_bslz4_8bit", "000011.cbor")]]))
    write("fuzz-stream2", "dectris-16bit-bslz4", container(
        [[fixture("r500k_bm_bslz4_16bit", "000002.cbor")], [fixture("r500k_bm_bslz4_16bit", "000011.cbor")]], flags=3))
    write("fuzz-stream2", "dectris-end-messages", container(
        [[fixture(sub, "000011.cbor")] for sub in sorted(os.listdir(FIXTURES))
         if os.path.isdir(os.path.join(FIXTURES, sub))]))


# --- payload codecs -------------------------------------------------------------------------
def make_codecs():
    def seed(name, encoding, elem_size, count, payload, extra=0):
        flags = {"raw": 0, "lz4": 1, "bslz4": 2}[encoding] | extra
        write("fuzz-codecs", name, bytes([flags, {1: 0, 2: 1, 4: 2, 8: 3}[elem_size]])
              + struct.pack("<I", count)[:3] + payload)
    data = pixels(100, 1)
    seed("raw-u16", "raw", 2, 50, data)
    seed("lz4-bare-u16", "lz4", 2, 50, lz4_literals(data))
    seed("lz4-hdf5-framed", "lz4", 2, 1500, hdf5_lz4(pixels(3000, 1), block_bytes=1024))
    for size in (1, 2, 4, 8):
        d = pixels(64 + 3, size)
        seed("bslz4-%d" % size, "bslz4", size, 67, bslz4(d, size), extra=0x30)
    seed("bslz4-zeroed-header", "bslz4", 2, 40, bslz4(pixels(40, 2), 2, header="zeroed"), extra=0x04)
    seed("bslz4-missing-header", "bslz4", 4, 40, bslz4(pixels(40, 4), 4, header="missing"), extra=0x08)
    seed("bslz4-small-blocks", "bslz4", 2, 200, bslz4(pixels(200, 2), 2, block_bytes=64), extra=0x40)
    seed("bslz4-tiny-frame", "bslz4", 2, 5, pixels(5, 2))


def make_detect():
    write("fuzz-detect", "sls", container([sls_frame(0)]))
    write("fuzz-detect", "sls-end", container([[sls_end()]]))
    write("fuzz-detect", "simplon", container([simplon_image(0), [dheader("basic"), CONFIG]]))
    write("fuzz-detect", "stream2", container([[s2_start()], [s2_image(0)[3:]]]))
    write("fuzz-detect", "array", container([[js({"htype": ["array-1.0"], "shape": [4, 3], "type": "uint8"}),
                                              pixels(12, 1)]]))


def tiff(width, height, bits, sample_format=1, big=False, data=None, rows_per_strip=None):
    """A baseline TIFF 6.0 image as the DECTRIS monitor serves one: one sample, uncompressed, strips."""
    order = ">" if big else "<"
    data = data if data is not None else pixels(width * height, bits // 8)
    rows = rows_per_strip or height
    strip = rows * width * bits // 8
    offsets = [8 + i for i in range(0, len(data), strip)]
    counts = [min(strip, len(data) - (o - 8)) for o in offsets]
    entries = [(256, 4, [width]), (257, 4, [height]), (258, 3, [bits]), (259, 3, [1]), (262, 3, [1]),
               (273, 4, offsets), (277, 3, [1]), (278, 4, [rows]), (279, 4, counts), (339, 3, [sample_format])]
    directory = 8 + len(data)
    out = (b"MM\0*" if big else b"II*\0") + struct.pack(order + "I", directory) + data
    out += struct.pack(order + "H", len(entries))
    extra = b""
    extra_start = directory + 2 + 12 * len(entries) + 4
    for tag, typ, values in entries:
        fmt = order + ("H" if typ == 3 else "I") * len(values)
        packed = struct.pack(fmt, *values)
        out += struct.pack(order + "HHI", tag, typ, len(values))
        if len(packed) <= 4:
            out += packed + b"\0" * (4 - len(packed))
        else:
            out += struct.pack(order + "I", extra_start + len(extra))
            extra += packed
    return out + b"\0\0\0\0" + extra


def make_monitor():
    write("fuzz-monitor", "u16-same-then-new-shape", container([
        [tiff(4, 3, 16)], [tiff(4, 3, 16)], [tiff(5, 2, 32, big=True, rows_per_strip=1)]]))
    write("fuzz-monitor", "types", container([
        [tiff(2, 2, 8)], [tiff(3, 1, 32, sample_format=3)], [tiff(2, 1, 16, sample_format=2, big=True)],
        [tiff(1, 1, 64, sample_format=3)]]))
    write("fuzz-monitor", "not-tiff-and-broken", container([
        [b"<html>404 Not Found</html>"], [tiff(4, 3, 16)[:40]], [b"II+\0\x08\0\0\0"], [tiff(2, 2, 16)]]))


if __name__ == "__main__":
    for make in (make_sls, make_simplon, make_array, make_stream2, make_codecs, make_detect, make_monitor):
        make()
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(ROOT) for f in fs)
    print("corpus: %d bytes" % total, file=sys.stderr)
