#!/usr/bin/python3
"""Fixtures for test/io: safetensors files written on the PyTorch side, and a check of a file nnzoo wrote.

    /usr/bin/python3 tools/gen_io_fixtures.py        (from the repository root)

The `safetensors` Python package is not installed here (and cannot be), so this script writes
and reads the format from its specification, doing what the reference implementation
(huggingface/safetensors, safetensors/src/tensor.rs, used by `safetensors.torch.save_file`) does:

  * 8 bytes: N, the header length, little-endian u64;
  * N bytes: compact JSON (serde_json: no spaces, non-ASCII kept as UTF-8), `__metadata__` first,
    then the tensors in data order; padded with spaces to a multiple of 8 bytes;
  * the data: tensors sorted by dtype alignment, largest first (the order of the reference `Dtype`
    enum, descending), then by name (bytewise), packed without gaps, little-endian, row-major.

When the real package is present, the script also checks its writer against `save_file`.

Writes into test/fixtures/io/:
  torch_basic.safetensors     F32/F64/I32, 0-d and empty tensors, special values, metadata
  torch_unicode.safetensors   names whose UTF-8 byte order differs from JavaScript's UTF-16 order
  torch_halfs.safetensors     F16, BF16 and I64 (values that fit in int32): read-side upcasts
  torch_i64_big.safetensors   I64 with a value beyond int32: nnzoo must reject it
  expected.json               every tensor's dtype, shape and exact bits, per file; and torch's
                              output of F.linear with torch_basic's linear.* for a given input

Reads test/fixtures/io/nnzoo_written.safetensors (written by test/io/safetensors.test.ts with
NNZOO_UPDATE_FIXTURES=1) and asserts that it parses to the tensors and metadata below, and that
it is byte for byte what this writer (i.e. the reference layout) produces for them.
"""
import json
import math
import os
import struct
import sys

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "io")

# The reference Dtype enum in declaration order; the writer sorts by it, largest first.
DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
TORCH_TO_ST = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL",
}
ST_TO_TORCH = {v: k for k, v in TORCH_TO_ST.items()}
MAX_HEADER = 100_000_000


def tensor_bytes(t):
    t = t.contiguous()
    if t.numel() == 0:
        return b""
    # Through a byte view so that bfloat16 (which numpy lacks) works too; x86 is little-endian.
    return t.reshape(-1).view(torch.uint8).numpy().tobytes()


def serialize(tensors, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-DTYPE_ORDER.index(TORCH_TO_ST[kv[1].dtype]), kv[0].encode("utf-8")))
    header = {}
    if metadata is not None:
        header["__metadata__"] = dict(sorted(metadata.items(), key=lambda kv: kv[0].encode("utf-8")))
    offset = 0
    blobs = []
    for name, t in items:
        b = tensor_bytes(t)
        header[name] = {"dtype": TORCH_TO_ST[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def parse(data):
    """A strict reader: the checks of the reference parser (tensor.rs, read_metadata + validate)."""
    assert len(data) >= 8, "shorter than the 8-byte header length"
    (n,) = struct.unpack("<Q", data[:8])
    assert n <= MAX_HEADER, "header too large"
    assert 8 + n <= len(data), "header runs past the end"
    header = json.loads(data[8:8 + n].decode("utf-8"))
    assert isinstance(header, dict), "header is not an object"
    metadata = header.pop("__metadata__", None) or {}
    assert all(isinstance(v, str) for v in metadata.values()), "metadata values must be strings"
    body = data[8 + n:]
    entries = sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"]))
    end = 0
    out = {}
    for name, info in entries:
        b, e = info["data_offsets"]
        assert b == end and e >= b, f"invalid offsets for {name}"
        end = e
        dtype = ST_TO_TORCH[info["dtype"]]
        shape = info["shape"]
        size = torch.empty((), dtype=dtype).element_size()
        assert e - b == math.prod(shape) * size, f"size mismatch for {name}"
        if e == b:
            out[name] = torch.empty(shape, dtype=dtype)
        else:
            out[name] = torch.frombuffer(bytearray(body[b:e]), dtype=dtype).reshape(shape).clone()
    assert end == len(body), "the tensors do not cover the data section"
    return out, metadata


def bits(t):
    """Exact contents for expected.json: float32 as uint32 bit patterns, float64 as 16-digit hex, ints as ints."""
    flat = t.reshape(-1)
    if t.dtype == torch.float32:
        return [int(x) for x in flat.view(torch.int32).tolist()]  # signed; the test compares as int32
    if t.dtype == torch.float64:
        return ["%016x" % (x & 0xFFFFFFFFFFFFFFFF) for x in flat.view(torch.int64).tolist()]
    return [int(x) for x in flat.tolist()]


def nnzoo_view(t):
    """The tensor nnzoo should produce when it reads t: F16/BF16 upcast to float32, I64 to int32."""
    if t.dtype in (torch.float16, torch.bfloat16):
        return t.float(), "float32"
    if t.dtype == torch.int64:
        return t.int(), "int32"
    return t, {torch.float32: "float32", torch.float64: "float64", torch.int32: "int32"}[t.dtype]


def special_f32():
    # NaN, ±inf, -0, the smallest subnormal, the largest finite, and a value that rounds.
    raw = [0x7FC00000, 0x7F800000, 0xFF800000, 0x80000000, 0x00000001, 0x7F7FFFFF, 0x3DCCCCCD, 0x3F800000]
    return torch.tensor([x - (1 << 32) if x >= 1 << 31 else x for x in raw], dtype=torch.int32).view(torch.float32)


def fixtures():
    g = torch.Generator().manual_seed(1234)
    basic = {
        "linear.weight": torch.randn(3, 4, generator=g),
        "linear.bias": torch.randn(3, generator=g),
        "double": torch.randn(2, 2, generator=g, dtype=torch.float64),
        "labels": torch.tensor([0, -1, 2147483647, -2147483648, 7], dtype=torch.int32),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
        "special": special_f32(),
    }
    unicode = {
        "\uff21": torch.tensor([1.0]),  # U+FF21: after U+1F600 in UTF-16 order, before it in UTF-8
        "\U0001f600": torch.tensor([2.0]),
        "caf\u00e9": torch.tensor([3.0]),
        "cafe": torch.tensor([4.0]),
    }
    halfs = {
        "half": torch.tensor([0.0, -0.0, 1.0, -2.5, 65504.0, 6e-8, float("inf"), float("nan"), 0.1], dtype=torch.float16),
        "bf16": torch.tensor([1.0, -3.140625, 1e30, -1e-30, float("-inf"), 0.1], dtype=torch.bfloat16),
        "long": torch.tensor([[0, 1, -1], [2147483647, -2147483648, 12345]], dtype=torch.int64),
        "w32": torch.randn(2, generator=g),
    }
    big = {"long": torch.tensor([1, 2**40, 3], dtype=torch.int64)}
    return [
        ("torch_basic.safetensors", basic, {"format": "pt", "note": "written by tools/gen_io_fixtures.py"}),
        ("torch_unicode.safetensors", unicode, {"\u00e9t\u00e9": "\u00e0 la plage \U0001f3d6", "zzz": "last", "a\"b\\c\n": "escapes"}),
        ("torch_halfs.safetensors", halfs, None),
        ("torch_i64_big.safetensors", big, None),
    ]


def nnzoo_expected():
    """The dict test/io/safetensors.test.ts serializes into nnzoo_written.safetensors (keep in sync)."""
    w = torch.tensor([(i - 5) * 0.1 for i in range(12)], dtype=torch.float32).reshape(3, 4)
    b = torch.tensor([1e-40, -0.0, 3.5], dtype=torch.float32)
    d = torch.tensor([(i + 1) / 3 for i in range(6)], dtype=torch.float64).reshape(2, 1, 3)
    idx = torch.tensor([3, -7, 2147483647, -2147483648], dtype=torch.int32)
    return (
        {"fc.weight": w, "fc.bias": b, "double.table": d, "tokens": idx, "zero_d": torch.tensor(-4.0), "nothing": torch.zeros(2, 0, dtype=torch.int32)},
        {"framework": "nnzoo", "note": "round trip \u2713"},
    )


def check_nnzoo_file():
    path = os.path.join(OUT, "nnzoo_written.safetensors")
    if not os.path.exists(path):
        print("no nnzoo_written.safetensors yet: run NNZOO_UPDATE_FIXTURES=1 npx vitest run test/io/safetensors.test.ts first")
        return False
    data = open(path, "rb").read()
    tensors, metadata = parse(data)
    want, want_meta = nnzoo_expected()
    assert metadata == want_meta, (metadata, want_meta)
    assert set(tensors) == set(want), (sorted(tensors), sorted(want))
    for name, t in want.items():
        got = tensors[name]
        assert got.dtype == t.dtype and list(got.shape) == list(t.shape), (name, got.dtype, got.shape)
        assert bits(got) == bits(t), (name, got, t)
    assert data == serialize(want, want_meta), "nnzoo's bytes differ from the reference layout"
    print("nnzoo_written.safetensors: parsed by the Python side, values and bytes as expected")
    return True


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    for filename, tensors, metadata in fixtures():
        data = serialize(tensors, metadata)
        with open(os.path.join(OUT, filename), "wb") as f:
            f.write(data)
        back, meta = parse(data)
        assert meta == (metadata or {})
        entry = {"metadata": metadata or {}, "tensors": {}}
        for name, t in tensors.items():
            assert back[name].dtype == t.dtype and back[name].shape == t.shape and tensor_bytes(back[name]) == tensor_bytes(t), name
            if filename == "torch_i64_big.safetensors":
                entry["tensors"][name] = {"dtype": "int64", "shape": list(t.shape)}
                continue
            view, dtype = nnzoo_view(t)
            entry["tensors"][name] = {"dtype": dtype, "shape": list(t.shape), "bits": bits(view)}
        if filename == "torch_basic.safetensors":
            # Interop: nnzoo's nn.Linear loaded from this file must give torch's outputs.
            x = torch.randn(2, 4, generator=torch.Generator().manual_seed(99))
            y = torch.nn.functional.linear(x, tensors["linear.weight"], tensors["linear.bias"])
            entry["linear_interop"] = {"x": bits(x), "y": bits(y)}
        expected[filename] = entry
        print(f"wrote {filename} ({len(data)} bytes)")
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")
    try:
        from safetensors.torch import save as st_save  # optional cross-check with the real writer
    except ImportError:
        print("(the safetensors package is absent: the writer follows the specification, see the docstring)")
    else:
        for filename, tensors, metadata in fixtures():
            if metadata is None or len(metadata) <= 1:  # the reference orders metadata keys by hash
                assert st_save(tensors, metadata) == serialize(tensors, metadata), filename
        print("the writer matches safetensors.torch.save byte for byte")
    ok = check_nnzoo_file()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
