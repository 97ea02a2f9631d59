#!/usr/bin/env python3
"""Make the reference fixtures for Minnow's quant formats (Tests/Fixtures/dequant/).

Run once, by hand; CI only reads the committed output.

    python3 Scripts/make-dequant-fixtures.py [--models DIR] [--out Tests/Fixtures/dequant]

Needs numpy and gguf-py (`pip install gguf`). With llama-cpp-python installed, it also records
ggml's own reference quantizers for the activation formats Q8_K and Q8_1, which gguf-py lacks.

Outputs (JSON; byte arrays are base64, float arrays are little-endian float32 in base64):
  real.json      - rows of real tensors of every type in the SmolLM2 Q4_1 and Qwen2.5 0.5B files:
                   the raw block bytes and gguf-py's dequantization of them.
  synthetic.json - types absent from those files (F16, BF16, Q4_0, Q5_1, Q2_K, Q3_K, Q5_K, and
                   the rest again) on random blocks with sane scales, dequantized by gguf-py.
  quantize.json  - random float rows and the bytes gguf-py's (or ggml's) quantizer makes of them.
"""
import argparse
import base64
import ctypes
import glob
import json
import os

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize, quantize

MODELS = ["SmolLM2-135M-Instruct.Q4_1.gguf", "Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf"]
MAX_ELEMENTS = 1024  # elements kept per row: 4 super-blocks, 32 small blocks
SIZES = {t: gguf.GGML_QUANT_SIZES[t] for t in T}


def b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def case(name: str, qtype: T, raw: np.ndarray) -> dict:
    raw = np.ascontiguousarray(raw, dtype=np.uint8)
    values = dequantize(raw, qtype).astype(np.float32, copy=False).ravel()
    return {"name": name, "type": qtype.name, "count": int(values.size), "raw": b64(raw), "values": b64(values.view(np.uint32))}


def real_cases(model_dir: str) -> list:
    cases = []
    for model in MODELS:
        reader = gguf.GGUFReader(os.path.join(model_dir, model))
        by_type: dict = {}
        for tensor in reader.tensors:
            by_type.setdefault(tensor.tensor_type, []).append(tensor)
        for qtype, tensors in sorted(by_type.items(), key=lambda kv: kv[0].value):
            block_size, type_size = SIZES[qtype]
            # The first tensor of the type and the one with most elements (often the embedding).
            picks = [tensors[0], max(tensors, key=lambda t: int(t.n_elements))]
            seen = set()
            for tensor in picks:
                if tensor.name in seen:
                    continue
                seen.add(tensor.name)
                row_elements = int(tensor.shape[0])
                rows = int(tensor.n_elements) // row_elements
                data = np.asarray(tensor.data).view(np.uint8).reshape(rows, -1)
                keep = min(row_elements, MAX_ELEMENTS) // block_size * type_size
                for row in sorted({0, rows // 2 + 1, rows - 1}):
                    if row >= rows:
                        continue
                    cases.append(case(f"{model} {tensor.name} row {row}", qtype, data[row, :keep]))
    return cases


def half_bits(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    """Random positive half-precision scales in [low, high) (log-uniform), as raw uint16."""
    values = np.exp(rng.uniform(np.log(low), np.log(high), n)).astype(np.float16)
    return values.view(np.uint16)


def synthetic_blocks(rng: np.random.Generator, qtype: T, n_blocks: int) -> np.ndarray:
    """Random block bytes, with the float fields replaced by sane values (no NaN/inf scales)."""
    _, type_size = SIZES[qtype]
    raw = rng.integers(0, 256, size=(n_blocks, type_size), dtype=np.uint8)
    def put_half(offset: int, low: float, high: float, signed: bool = False):
        h = half_bits(rng, n_blocks, low, high)
        if signed:
            h = h | (rng.integers(0, 2, n_blocks, dtype=np.uint16) << 15)
        raw[:, offset:offset + 2] = h.view(np.uint8).reshape(n_blocks, 2)
    if qtype in (T.Q4_0, T.Q5_0, T.Q8_0):
        put_half(0, 1e-4, 0.5, signed=True)
    elif qtype in (T.Q4_1, T.Q5_1):
        put_half(0, 1e-4, 0.5)
        put_half(2, 1e-3, 2.0, signed=True)
    elif qtype == T.Q2_K:
        put_half(80, 1e-4, 0.1)
        put_half(82, 1e-4, 0.1)
    elif qtype == T.Q3_K:
        put_half(108, 1e-4, 0.1, signed=True)
    elif qtype in (T.Q4_K, T.Q5_K):
        put_half(0, 1e-4, 0.1)
        put_half(2, 1e-4, 0.1)
    elif qtype == T.Q6_K:
        put_half(208, 1e-4, 0.1, signed=True)
    return raw.reshape(-1)


def synthetic_cases(rng: np.random.Generator) -> list:
    cases = []
    # F16: every exponent, subnormals, zeros, infinities and NaNs, plus random patterns.
    special = np.array([0x0000, 0x8000, 0x0001, 0x8001, 0x03ff, 0x0400, 0x7bff, 0xfbff, 0x7c00, 0xfc00,
                        0x7e00, 0xfe00, 0x7c01, 0x7fff, 0x3c00, 0xbc00, 0x3555], dtype=np.uint16)
    f16 = np.concatenate([special, rng.integers(0, 65536, 1007, dtype=np.uint16)])
    cases.append(case("synthetic F16: specials and random bit patterns", T.F16, f16.view(np.uint8)))
    # BF16: random patterns avoiding NaN (numpy shifts them as raw bits, which is also exact).
    bf16 = rng.integers(0, 65536, 1024, dtype=np.uint16)
    cases.append(case("synthetic BF16: random bit patterns", T.BF16, bf16.view(np.uint8)))
    for qtype in (T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q8_0, T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K):
        block_size, _ = SIZES[qtype]
        raw = synthetic_blocks(rng, qtype, MAX_ELEMENTS // block_size)
        cases.append(case(f"synthetic {qtype.name}: random blocks with sane scales", qtype, raw))
    return cases


def load_ggml():
    """ggml's shared library from llama-cpp-python, if installed (for Q8_K / Q8_1 quantizers)."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        return None
    lib_dir = os.path.join(os.path.dirname(llama_cpp.__file__), "lib")
    for path in sorted(glob.glob(os.path.join(lib_dir, "libggml-base*.so*"))) + sorted(glob.glob(os.path.join(lib_dir, "libggml*.so*"))):
        try:
            lib = ctypes.CDLL(path)
            lib.quantize_row_q8_K_ref  # noqa: B018 - probe
            return lib
        except (OSError, AttributeError):
            continue
    return None


def quantize_cases(rng: np.random.Generator) -> list:
    cases = []
    n = 1024
    # Gaussian activations with a few outliers, and a row with exact ties and zero blocks.
    rows = [rng.standard_normal(n).astype(np.float32) * np.float32(0.7)]
    rows[0][rng.integers(0, n, 8)] *= np.float32(20)
    tie = (rng.integers(-40, 40, n).astype(np.float32) / np.float32(4))
    tie[:64] = 0
    rows.append(tie)
    for index, x in enumerate(rows):
        for qtype in (T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1):
            out = np.asarray(quantize(x.reshape(1, -1), qtype)).view(np.uint8).ravel()
            cases.append({"name": f"row {index} {qtype.name} (gguf-py)", "type": qtype.name, "count": n,
                          "input": b64(x.view(np.uint32)), "bytes": b64(out)})
    ggml = load_ggml()
    if ggml is None:
        print("note: llama-cpp-python not found; skipping the ggml Q8_K/Q8_1 quantizer references")
        return cases
    for index, x in enumerate(rows):
        for qtype, symbol in ((T.Q8_K, "quantize_row_q8_K_ref"), (T.Q8_1, "quantize_row_q8_1_ref")):
            block_size, type_size = SIZES[qtype]
            if qtype == T.Q8_1:
                type_size = 36  # ggml's block_q8_1 holds two F16s (d, s); gguf-py's table still says 40
            out = np.zeros(n // block_size * type_size, dtype=np.uint8)
            fn = getattr(ggml, symbol)
            fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
            fn.restype = None
            fn(x.ctypes.data, out.ctypes.data, n)
            cases.append({"name": f"row {index} {qtype.name} (ggml {symbol})", "type": qtype.name, "count": n,
                          "input": b64(x.view(np.uint32)), "bytes": b64(out)})
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default=os.environ.get("MINNOW_MODELS", os.path.expanduser("~/.cache/minnow/models")))
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "dequant"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(20261129)
    outputs = {
        "real.json": real_cases(args.models),
        "synthetic.json": synthetic_cases(rng),
        "quantize.json": quantize_cases(rng),
    }
    for name, cases in outputs.items():
        path = os.path.join(args.out, name)
        with open(path, "w") as f:
            json.dump({"generator": "Scripts/make-dequant-fixtures.py", "gguf": getattr(gguf, "__version__", "?"), "cases": cases}, f, indent=0)
            f.write("\n")
        print(f"{path}: {len(cases)} cases, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
