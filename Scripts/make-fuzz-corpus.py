#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (Fuzz/Corpus/<target>/seed-*), from the committed
fixtures and from small GGUF files written by gguf-py (an independent writer). Inputs that once
found a bug are kept apart as crash-* files and are not touched here.

Usage: Scripts/make-fuzz-corpus.py   (needs `pip install gguf`)
The formats of the inputs are those documented in Fuzz/Targets/*FuzzTarget.swift.
"""
import json
import pathlib
import struct

import numpy as np
import gguf

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "Fuzz" / "Corpus"
FIXTURES = ROOT / "Tests" / "Fixtures"


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"seed-{name}").write_bytes(data)


def clear_seeds():
    for path in CORPUS.glob("*/seed-*"):
        path.unlink()


def tiny_vocab_gguf(path, *, pre, template, nested, tensors):
    """A small byte-level BPE vocabulary (the 256 byte symbols, a few merges, special tokens),
    a chat template, optional nested arrays, and a few tiny tensors."""
    writer = gguf.GGUFWriter(str(path), "llama")
    extra = 0  # GPT-2's byte-to-symbol map
    table = {}
    for b in range(256):
        if 33 <= b <= 126 or 161 <= b <= 172 or 174 <= b <= 255:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    tokens = [table[b] for b in range(256)]
    merges = ["Ġ t", "h e", "Ġt he", "i n", "Ġ a", "e r", "o n", "Ġ w", "r e", "Ġ s"]
    tokens += ["Ġt", "he", "Ġthe", "in", "Ġa", "er", "on", "Ġw", "re", "Ġs"]
    specials = ["<|im_start|>", "<|im_end|>", "<|endoftext|>", "<think>", "</think>"]
    tokens += specials
    types = [1] * (len(tokens) - len(specials)) + [3, 3, 3, 4, 4]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(pre)
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(len(tokens) - 3)
    writer.add_eos_token_id(len(tokens) - 4)
    writer.add_chat_template(template)
    writer.add_context_length(128)
    if nested:
        writer.add_array("test.nested", [[1, 2, 3], [4, 5]])
        writer.add_array("test.nested_strings", [["a", "b"], ["c"]])
    rng = np.random.default_rng(7)
    for name, kind in tensors:
        values = rng.standard_normal((2, 32)).astype(np.float32)
        if kind == "f32":
            writer.add_tensor(name, values)
        elif kind == "f16":
            writer.add_tensor(name, values.astype(np.float16))
        else:
            qtype = getattr(gguf.GGMLQuantizationType, kind)
            writer.add_tensor(name, gguf.quants.quantize(values, qtype), raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def gguf_seeds(scratch):
    smollm = (FIXTURES / "templates" / "smollm2.jinja").read_text()
    qwen = (FIXTURES / "templates" / "qwen2.5.jinja").read_text()
    cases = [
        ("vocab-smollm", dict(pre="smollm", template=smollm, nested=False, tensors=[("token_embd.weight", "f32")])),
        ("vocab-qwen2-nested", dict(pre="qwen2", template=qwen, nested=True,
                                    tensors=[("a", "Q8_0"), ("b", "Q4_0"), ("c", "f16")])),
        ("quant-types", dict(pre="llama-bpe", template="{{ messages[0].content }}", nested=True,
                             tensors=[("q4_1", "Q4_1"), ("q5_0", "Q5_0"), ("q5_1", "Q5_1"), ("bf16", "BF16")])),
    ]
    for name, kwargs in cases:
        path = scratch / f"{name}.gguf"
        tiny_vocab_gguf(path, **kwargs)
        data = path.read_bytes()
        write("gguf", name, data)
        if name == "vocab-smollm":  # the same file as GGUF version 2 (same layout as v3)
            write("gguf", "version2", data[:4] + struct.pack("<I", 2) + data[8:])
    write("gguf", "empty-v3", b"GGUF" + struct.pack("<IQQ", 3, 0, 0))


def tokenizer_seeds():
    texts = json.loads((FIXTURES / "tokenizer" / "corpus.json").read_text())
    texts += ["<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", "<think>\nok\n</think>\n\nAnswer",
              "<｜User｜>Why?<｜Assistant｜>", "<|endoftext|><|endoftext|>", "   \n\n\t 12345678 3.14159"]
    for index, text in enumerate(texts):
        write("tokenizer", f"text-{index:02d}", bytes([index % 4]) + text.encode())
    for vocab in (0, 1):  # ids to decode: ASCII, a split emoji, specials, and ids past the end
        for name, ids in [("plain", [9707, 1879, 11, 220]), ("specials", [0, 1, 2, 151643, 151644]),
                          ("past-end", [49152, 152064, 0xFFFFFF]), ("bytes", [5, 150, 200, 10, 250])]:
            body = b"".join(i.to_bytes(3, "little") for i in ids)
            write("tokenizer", f"ids-{vocab}-{name}", bytes([4 | vocab]) + body)


HOSTILE = [
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
    "{% set ns = namespace(l=['x']) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l|length }}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = [ns.s, ns.s]|join('') %}{% endfor %}{{ ns.s|length }}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = '%s%s' % (ns.s, ns.s) %}{% endfor %}{{ ns.s|length }}",
]


def template_seeds():
    cases = json.loads((FIXTURES / "templates" / "cases.json").read_text())
    names = ["r1", "qwen2.5", "smollm2", "llama3.1", "qwen3"]
    for index, name in enumerate(names):
        source = (FIXTURES / "templates" / f"{name}.jinja").read_text()
        case = cases[index * 3 % len(cases)]
        write("template", f"real-{name}", source.encode() + b"\0" + json.dumps(case["messages"]).encode())
        write("template", f"real-{name}-plain", source.encode() + b"\0Hi\0Hello!\0Bye")
    for index, source in enumerate(HOSTILE):
        write("template", f"hostile-{index}", source.encode() + b"\0Hi")
    features = json.loads((FIXTURES / "templates" / "features.json").read_text())
    for index, feature in enumerate(features[::3]):
        messages = feature["context"].get("messages", [{"role": "user", "content": "x"}])
        write("template", f"feature-{index:02d}", feature["template"].encode() + b"\0" + json.dumps(messages).encode())


def jsonl_seeds():
    lines = [
        b'{"id": "a", "text": "One document."}\n{"id": 2, "text": "Two."}\n',
        b'{"id": "a", "text": "x"}\n\n   \nnot json\n[1,2]\n{"id": "", "text": "y"}\n{"id": "b"}\n{"id": "a", "text": "dup"}',
        b'{"id": "u", "text": "Gr\xc3\xbc\xc3\x9fe \\u00e9 \\ud83d\\ude00"}\n\xff\xfe\n{"text": "no id", "id": null}\n',
        b'{"id":"long","text":"' + b"word " * 60 + b'"}\n{"id":"s","text":"short"}\n',
    ]
    for index, content in enumerate(lines):
        for settings in ([0, 255], [3, 40], [15, 0]):
            write("jsonl", f"{index}-{settings[0]}-{settings[1]}", bytes(settings) + content)


def main():
    import tempfile
    clear_seeds()
    with tempfile.TemporaryDirectory() as scratch:
        gguf_seeds(pathlib.Path(scratch))
    tokenizer_seeds()
    template_seeds()
    jsonl_seeds()
    for folder in sorted(CORPUS.iterdir()):
        files = list(folder.iterdir())
        print(f"{folder.name}: {len(files)} files, {sum(f.stat().st_size for f in files)} bytes")


if __name__ == "__main__":
    main()
