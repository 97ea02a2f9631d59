#!/usr/bin/env python3
"""ggml's own K-quant quantizers (quantize_row_q{2,3,4,5,6}_K_ref, from llama-cpp-python's
libggml) on random rows, for Tests/Fixtures/dequant/quantize-k.json.

Minnow's K-quant quantizers are simpler than ggml's (no iterative scale search), so their bytes
differ; the test checks instead that ggml's blocks decode in Minnow (the format) and that
Minnow's round-trip error stays within a stated factor of ggml's on the same rows (the quality).

    python3 Scripts/make-kquant-reference.py    (needs gguf, numpy and llama-cpp-python)
"""
import importlib.util
import json
import os

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("dequant_fixtures", os.path.join(HERE, "make-dequant-fixtures.py"))
dequant_fixtures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dequant_fixtures)


def main():
    import ctypes
    ggml = dequant_fixtures.load_ggml()
    if ggml is None:
        raise SystemExit("llama-cpp-python (libggml) is needed")
    rng = np.random.default_rng(20261202)
    n = 512
    rows = {
        "gaussian": rng.standard_normal(n).astype(np.float32),
        "gaussian with outliers": rng.standard_normal(n).astype(np.float32),
        "spread changing every 16": (rng.standard_normal(n) * np.repeat(rng.uniform(0.05, 3, n // 16), 16)).astype(np.float32),
        "all positive": np.abs(rng.standard_normal(n)).astype(np.float32),
    }
    rows["gaussian with outliers"][rng.integers(0, n, 12)] *= np.float32(25)
    cases = []
    for name, x in rows.items():
        for qtype in (T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K):
            block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
            out = np.zeros(n // block_size * type_size, dtype=np.uint8)
            symbol = f"quantize_row_{qtype.name.lower()}_ref".replace("_k_ref", "_K_ref")
            fn = getattr(ggml, symbol)
            fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
            fn.restype = None
            fn(x.ctypes.data, out.ctypes.data, n)
            cases.append({"name": f"{name} {qtype.name} (ggml {symbol})", "type": qtype.name, "count": n,
                          "input": dequant_fixtures.b64(x.view(np.uint32)), "bytes": dequant_fixtures.b64(out)})
    path = os.path.join(HERE, "..", "Tests", "Fixtures", "dequant", "quantize-k.json")
    with open(path, "w") as f:
        json.dump({"generator": "Scripts/make-kquant-reference.py", "cases": cases}, f, indent=0)
        f.write("\n")
    print(f"{path}: {len(cases)} cases, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
