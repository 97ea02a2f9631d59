#!/usr/bin/env python3
"""Writes GGUF files with gguf-py (an independent writer) and records what gguf-py's own reader
finds in them, so that Minnow's reader is checked against files it did not write.

Run once, by hand; CI only reads the committed output (Tests/Fixtures/gguf/):
  gguf-py-v3.gguf  every scalar type, arrays of each, nested arrays (two and three deep, of
                   numbers and of strings), non-default alignment, tensors of F32, F16, BF16,
                   Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 and of raw K-quant blocks
  gguf-py-v2.gguf  the same file as GGUF version 2 (little-endian v2 and v3 share one layout)
  gguf-py.json     per file: version, alignment, metadata (type and value, nested arrays as
                   nested lists: gguf-py's reader flattens them, so their structure is the one
                   written, checked against the reader's flat contents), tensors (name, type, shape, offset, and gguf-py's dequantized values)

    python3 Scripts/make-gguf-fixtures.py      (needs `pip install gguf`)
"""
import base64
import json
import pathlib
import struct

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf import GGUFValueType as V

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "gguf"


NESTED = {
    "t.nested": [[1, 2, 3], [4], [5, 6]],
    "t.nested_strings": [["x", "y"], ["z"]],
    "t.deep": [[[1, 2], [3]], [[4]]],
    "t.mixed_nested": [["a"], ["b", "c", ""]],
}


def flatten(value):
    return [leaf for item in value for leaf in flatten(item)] if isinstance(value, list) else [value]


def write_v3(path):
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_custom_alignment(64)
    writer.add_uint8("t.u8", 200)
    writer.add_int8("t.i8", -100)
    writer.add_uint16("t.u16", 60000)
    writer.add_int16("t.i16", -30000)
    writer.add_uint32("t.u32", 4_000_000_000)
    writer.add_int32("t.i32", -2_000_000_000)
    writer.add_float32("t.f32", 1.5e-5)
    writer.add_uint64("t.u64", 2**63 + 5)
    writer.add_int64("t.i64", -(2**62))
    writer.add_float64("t.f64", -1e300)
    writer.add_bool("t.bool", True)
    writer.add_string("t.string", "héllo, 世界 🐟")
    writer.add_string("t.empty", "")
    writer.add_array("t.strings", ["a", "", "Ġthe", "<|im_end|>"])
    writer.add_array("t.ints", [1, -2, 3])
    writer.add_array("t.floats", [0.5, -0.25, 3.0e38])
    writer.add_array("t.bools", [True, False, True])
    for key, value in NESTED.items():
        writer.add_array(key, value)
    rng = np.random.default_rng(2024)
    for name, qtype in [("f32", T.F32), ("f16", T.F16), ("bf16", T.BF16), ("q4_0", T.Q4_0), ("q4_1", T.Q4_1),
                        ("q5_0", T.Q5_0), ("q5_1", T.Q5_1), ("q8_0", T.Q8_0)]:
        values = (rng.standard_normal((3, 64)) * 2).astype(np.float32)
        if qtype == T.F32:
            writer.add_tensor(name, values)
        elif qtype == T.F16:
            writer.add_tensor(name, values.astype(np.float16))
        else:
            writer.add_tensor(name, gguf.quants.quantize(values, qtype), raw_dtype=qtype)
    # K-quant blocks gguf-py cannot make: random bytes with sane F16 scales, as raw blocks.
    for name, qtype in [("q2_k", T.Q2_K), ("q3_k", T.Q3_K), ("q4_k", T.Q4_K), ("q5_k", T.Q5_K), ("q6_k", T.Q6_K)]:
        block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
        raw = rng.integers(0, 256, (2, type_size), dtype=np.uint8)
        scale_offsets = {T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208]}[qtype]
        for offset in scale_offsets:
            raw[:, offset:offset + 2] = np.frombuffer(np.float16(0.01).tobytes(), dtype=np.uint8)
        writer.add_tensor(name, raw, raw_shape=(2 * type_size,), raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def value_json(name, field):
    """Type and value of a field, as gguf-py's reader decodes it. gguf-py's reader flattens nested
    arrays, so their structure is the one written, checked against the reader's flat contents."""
    kind = field.types[0]
    if kind != V.ARRAY:
        return {"type": kind.name, "value": plain(field.contents())}
    value = plain(field.contents())
    if name in NESTED:
        assert flatten(NESTED[name]) == value, f"{name}: gguf-py read {value}"
        value = NESTED[name]
    return {"type": "ARRAY", "element": [t.name for t in field.types[1:]], "value": value}


def plain(value):
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


def describe(path):
    reader = gguf.GGUFReader(str(path))
    version = int(reader.fields["GGUF.version"].parts[-1][0])
    metadata = {}
    for name, field in reader.fields.items():
        if name.startswith("GGUF."):
            continue
        metadata[name] = value_json(name, field)
    tensors = []
    for tensor in reader.tensors:
        values = gguf.quants.dequantize(tensor.data, tensor.tensor_type).astype(np.float32).ravel()
        tensors.append({
            "name": tensor.name, "type": tensor.tensor_type.name,
            "shape": [int(d) for d in tensor.shape],
            "offset": int(tensor.data_offset) - int(reader.data_offset),
            "values": base64.b64encode(values.tobytes()).decode("ascii"),
        })
    return {"version": version, "alignment": int(reader.alignment), "keys": list(metadata),
            "metadata": metadata, "tensors": tensors}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    v3 = OUT / "gguf-py-v3.gguf"
    write_v3(v3)
    data = v3.read_bytes()
    v2 = OUT / "gguf-py-v2.gguf"
    v2.write_bytes(data[:4] + struct.pack("<I", 2) + data[8:])
    expected = {path.name: describe(path) for path in (v3, v2)}
    (OUT / "gguf-py.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    for path in (v3, v2):
        print(f"{path.name}: {path.stat().st_size} bytes, version {expected[path.name]['version']}, "
              f"{len(expected[path.name]['metadata'])} keys, {len(expected[path.name]['tensors'])} tensors")


if __name__ == "__main__":
    main()
