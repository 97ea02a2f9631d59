#!/usr/bin/env python3
"""A tiny random Llama model with Llama 3 RoPE scaling, and llama.cpp's logits for it.

Writes, with gguf-py, Tests/Fixtures/engine/llama3-rope.gguf: 2 layers, 32-wide, 2 query heads
of 16 and 1 key/value head (grouped-query attention), F32 weights, a 272-token byte-level
vocabulary, and Llama 3 RoPE scaling as converted Llama 3.1 files carry it: the
`rope_freqs.weight` divisors, computed here by the Llama 3 rule (factor 8, low/high frequency
factors 1 and 4, original context 32, so that the 8 frequency pairs of a head fall in all three
bands), and no `rope.scaling.type` key. Then runs llama.cpp (llama-cpp-python) over 64 token ids (positions past the original
context) and writes Tests/Fixtures/engine/llama3-rope.json: the ids, every position's logits
(little-endian float32, base64) and the divisors.

    python3 Scripts/make-rope-fixture.py     (needs gguf and llama-cpp-python)
"""
import base64
import json
import math
import pathlib

import numpy as np
import gguf

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "engine"
EMBED, HEADS, KV_HEADS, HEAD, FFN, LAYERS = 32, 2, 1, 16, 64, 2
BASE, FACTOR, LOW, HIGH, ORIGINAL = 10000.0, 8.0, 1.0, 4.0, 32
TOKENS = 64


def byte_symbols():
    table, extra = [], 0
    for b in range(256):
        if 33 <= b <= 126 or 161 <= b <= 172 or 174 <= b <= 255:
            table.append(chr(b))
        else:
            table.append(chr(256 + extra))
            extra += 1
    return table


def llama3_divisors():
    """The Llama 3 rule: keep high frequencies, divide low ones by FACTOR, blend in between."""
    low_wavelength, high_wavelength = ORIGINAL / LOW, ORIGINAL / HIGH
    divisors = []
    for i in range(0, HEAD, 2):
        frequency = 1.0 / BASE ** (i / HEAD)
        wavelength = 2 * math.pi / frequency
        if wavelength < high_wavelength:
            divisors.append(1.0)
        elif wavelength > low_wavelength:
            divisors.append(FACTOR)
        else:
            smooth = (ORIGINAL / wavelength - LOW) / (HIGH - LOW)
            divisors.append(1 / ((1 - smooth) / FACTOR + smooth))
    return np.array(divisors, dtype=np.float32)


def write_model(path, divisors):
    rng = np.random.default_rng(31)
    tokens = byte_symbols() + [f"tok{i}" for i in range(16)]
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_context_length(256)
    writer.add_embedding_length(EMBED)
    writer.add_block_count(LAYERS)
    writer.add_feed_forward_length(FFN)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(KV_HEADS)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_freq_base(BASE)
    writer.add_rope_dimension_count(HEAD)
    # As Llama 3.1 files converted from Hugging Face carry it: the divisors as rope_freqs.weight
    # and no rope.scaling.type (llama.cpp's loader refuses "llama3" there).
    writer.add_vocab_size(len(tokens))
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_types([1] * len(tokens))
    writer.add_token_merges(["t o", "to k"])
    writer.add_bos_token_id(256)
    writer.add_eos_token_id(257)

    def add(name, *shape, scale=0.3, offset=0.0):
        writer.add_tensor(name, (rng.standard_normal(shape) * scale + offset).astype(np.float32))

    add("token_embd.weight", len(tokens), EMBED, scale=1.0)
    writer.add_tensor("rope_freqs.weight", divisors)
    for layer in range(LAYERS):
        p = f"blk.{layer}."
        add(p + "attn_norm.weight", EMBED, scale=0.1, offset=1.0)
        add(p + "attn_q.weight", HEADS * HEAD, EMBED)
        add(p + "attn_k.weight", KV_HEADS * HEAD, EMBED)
        add(p + "attn_v.weight", KV_HEADS * HEAD, EMBED)
        add(p + "attn_output.weight", EMBED, HEADS * HEAD)
        add(p + "ffn_norm.weight", EMBED, scale=0.1, offset=1.0)
        add(p + "ffn_gate.weight", FFN, EMBED)
        add(p + "ffn_up.weight", FFN, EMBED)
        add(p + "ffn_down.weight", EMBED, FFN)
    add("output_norm.weight", EMBED, scale=0.1, offset=1.0)
    add("output.weight", len(tokens), EMBED)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return len(tokens)


def main():
    from llama_cpp import Llama
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "llama3-rope.gguf"
    divisors = llama3_divisors()
    vocab = write_model(path, divisors)
    ids = [int(i) for i in np.random.default_rng(5).integers(0, vocab, TOKENS)]
    llm = Llama(model_path=str(path), n_ctx=256, n_batch=TOKENS, n_threads=2, logits_all=True, verbose=False)
    llm.eval(ids)
    logits = np.array(llm.scores[:TOKENS], dtype=np.float32)
    assert logits.shape == (TOKENS, vocab), logits.shape
    (OUT / "llama3-rope.json").write_text(json.dumps({
        "model": path.name, "ids": ids, "vocabulary": vocab,
        "divisors": [float(d) for d in divisors],
        "logits": base64.b64encode(logits.tobytes()).decode("ascii"),
    }) + "\n")
    print(f"{path.name}: {path.stat().st_size} bytes; divisors {np.round(divisors, 4).tolist()}; "
          f"logits {logits.shape}, spread {logits.std():.3f}")


if __name__ == "__main__":
    main()
