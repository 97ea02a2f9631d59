#!/usr/bin/env python3
"""Generates the tokenizer reference fixtures under Tests/Fixtures/tokenizer/.

For each vocabulary (the R1 header file, Qwen2.5-Coder 0.5B, SmolLM2 135M) and each text of the
corpus below, records the token ids llama.cpp gives (llama-cpp-python, vocab-only loading) with
and without special-token parsing, the text llama.cpp renders back from the special-parsed ids
with special=False, and the text it renders back from the plain ids with special=True.

    pip install llama-cpp-python==0.3.36
    python3 Scripts/make-tokenizer-fixtures.py [--models DIR]

Output: corpus.json (the texts) and one <vocab>.json per vocabulary.
"""
import argparse
import ctypes
import json
import os
import struct
import sys
import tempfile

import llama_cpp

CORPUS = [
    "Hello world",
    " Hello world",
    "Grüße aus München! Die Bäckerei öffnet um 7 Uhr – „Frühstück“ gibt’s bis 11.",
    "»Das ist ›wunderbar‹«, sagte sie. Äpfel, Öl und Übermut — „Anführungszeichen“ ‚einfach‘.",
    "我们今天去公园散步，天气非常好。人工智能正在改变世界。",
    "こんにちは、世界！東京は日本の首都です。カタカナとひらがなを混ぜて書きます。",
    "안녕하세요, 반갑습니다. 한국어 문장입니다.",
    "Family: 👨\u200d👩\u200d👧\u200d👦, flags 🇩🇪🇯🇵, skin 👍🏽, rainbow 🏳️\u200d🌈, 🧑🏿\u200d💻",
    "I ❤️ Swift 🚀🚀🚀!!! 😀😃😄😁😆😅😂🤣",
    "func main() {\n\tlet x = 42\n\tif x > 0 {\n\t\tprint(\"positive\")\n\t}\n}\n",
    "def f(a, b):\n    return a ** 2 + b // 3  # comment\n\n\nclass A:\n    pass\n",
    "a" + " " * 40 + "b",
    "x" + " " * 30 + "\n" + " " * 10 + "y",
    "line1\n\n\n\nline2\n \n \nline3",
    "first line\r\nsecond line\r\n\r\nthird\r\n",
    "1234567890 3.14159 -42 1e10 0x1F 1,000,000 and 3141592653589793238462643383279502884197",
    "I'm sure you'll see they've done it, isn't it? He'd say we're fine. DON'T STOP, I'LL GO, YOU'RE",
    "’s 's 'S 'Ll it’s o'clock rock'n'roll",
    "Visit https://example.com/path?query=1&lang=de#frag or http://localhost:8080/api/v1/users",
    "contact: someone@example.org; (see [ref]) {braces} <tags> ... --flag=value",
    "<｜User｜>What is 2+2?<｜Assistant｜><think>\nLet me think.\n</think>\n\nIt is 4.<｜end▁of▁sentence｜>",
    "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n",
    "<|endoftext|>text after eos<|endoftext|>",
    "Near misses: <|im_start| <think </think > <｜User｜ <|im_end|x <<think>> <|im_start|><|im_start|>",
    " \t \n\t  x  \t",
    "     ",
    "",
    "\n",
    "\t\t\t",
    "مرحبا بالعالم، كيف حالك؟",
    "नमस्ते दुनिया, आप कैसे हैं?",
    "Привет, мир! Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "∀x ∈ ℝ: x² ≥ 0, ∑ᵢ aᵢ = ∞ and α+β=γ; ½ + ¼ = ¾, Ⅻ, ①②③",
    "e\u0301 vs é, n\u0303 vs ñ, Å vs A\u030a",
    "a\u00a0b\u3000c\u2009d\u202fe\u0085f",
    "!!!???...---***%%%$$$^^^",
    "# Title\n\n- item 1\n- item 2\n\n```swift\nlet a = [1, 2, 3]\n```\n",
    '{"key": "value", "n": [1, 2.5, null, true], "nested": {"a": "ü"}}',
    "Donaudampfschifffahrtsgesellschaftskapitänsmütze",
    "2024年1月15日，价格为￥1,299元。第3季度增长了12.5%。",
    "Swift是一种编程语言 (programming language) と言います. Ελληνικά κείμενα.",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "<div class=\"a\">Hello&nbsp;<b>world</b></div>",
    "สวัสดีครับ ภาษาไทย",
    "a\u200bb\u200dc\ufeffd\u2060e",
    "bell\u0007 esc\u001b[0m sep\u001c\u001f end",
    "QWxhZGRpbjpvcGVuIHNlc2FtZQ==SGVsbG9Xb3JsZEhlbGxvV29ybGRIZWxsb1dvcmxkSGVsbG9Xb3JsZA==",
    "Hello<|im_end|>World<think>inner</think>done",
    "naïve café résumé coöperate façade jalapeño",
    "   leading and trailing spaces   ",
    "tab\tseparated\tvalues\n1\t2\t3\n",
    "$HOME/.cache/minnow && echo \"done\" | grep -v 'x' > /dev/null 2>&1",
    "ctrl\u0006\u001d\u0001\u0002 bytes\u007f\u0080\u009f",
    "\U000e007e ᇿ🞞𰇫🛰 \n\U0001f8dd 𝝴⑱｛ᆷ𰫙🜵 Ⅻ ꙮ 𓀀 ﷽ \U0010fffd\ue000",
]

VOCABULARIES = {
    "r1-header": ("DeepSeek-R1-Distill-Qwen-7B.header.gguf", None),
    "qwen2.5-0.5b": ("Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf", None),
    "smollm2-135m": ("SmolLM2-135M-Instruct.Q4_1.gguf", None),
    # The GPT-2 and Llama 3 pre-tokenizers on the Qwen2.5 vocabulary with tokenizer.ggml.pre
    # replaced. That vocabulary cannot show Llama 3's digit groups or ignore_merges: the real
    # Llama 3.2 vocabulary is checked by Scripts/make-llama3-vocab.py (llama3.2-vocab.json).
    "qwen2.5-as-llama-bpe": ("Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf", "llama-bpe"),
    "qwen2.5-as-gpt-2": ("Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf", "gpt-2"),
}


SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}


def metadata_only_copy(path: str, pre: str = None) -> str:
    """Writes a copy of the GGUF file at `path` with its metadata and no tensors.

    llama.cpp refuses files whose tensor data is cut (the R1 header file) even with vocab_only,
    so the header's key-value section is copied byte for byte and the tensor count set to zero.
    With `pre`, the value of `tokenizer.ggml.pre` is replaced (to test other pre-tokenizers on a
    real vocabulary).
    """
    with open(path, "rb") as f:
        data = f.read(256 * 1024 * 1024)
    magic, version, _n_tensors, n_kv = struct.unpack_from("<4sIQQ", data, 0)
    assert magic == b"GGUF" and version in (2, 3)
    offset = 24

    def skip_value(kind: int, offset: int) -> int:
        if kind in SCALAR_SIZES:
            return offset + SCALAR_SIZES[kind]
        if kind == 8:
            (length,) = struct.unpack_from("<Q", data, offset)
            return offset + 8 + length
        if kind == 9:
            element, count = struct.unpack_from("<IQ", data, offset)
            offset += 12
            if element in SCALAR_SIZES:
                return offset + SCALAR_SIZES[element] * count
            for _ in range(count):
                offset = skip_value(element, offset)
            return offset
        raise ValueError(f"unknown GGUF type {kind}")

    chunks = []
    for _ in range(n_kv):
        start = offset
        (key_length,) = struct.unpack_from("<Q", data, offset)
        key = data[offset + 8:offset + 8 + key_length]
        offset += 8 + key_length
        (kind,) = struct.unpack_from("<I", data, offset)
        offset = skip_value(kind, offset + 4)
        if pre is not None and key == b"tokenizer.ggml.pre":
            value = pre.encode()
            chunks.append(data[start:start + 8 + key_length] + struct.pack("<IQ", 8, len(value)) + value)
        else:
            chunks.append(data[start:offset])
    handle, copy = tempfile.mkstemp(suffix=".gguf")
    with os.fdopen(handle, "wb") as out:
        out.write(struct.pack("<4sIQQ", magic, version, 0, n_kv))
        out.write(b"".join(chunks))
    return copy


def tokenize(vocab, data: bytes, add_special: bool, parse_special: bool):
    capacity = len(data) + 16
    buffer = (llama_cpp.llama_token * capacity)()
    count = llama_cpp.llama_tokenize(vocab, data, len(data), buffer, capacity, add_special, parse_special)
    if count < 0:
        raise RuntimeError(f"tokenize failed: {count}")
    return list(buffer[:count])


def detokenize(vocab, ids, special: bool) -> bytes:
    out = b""
    buffer = ctypes.create_string_buffer(256)
    for token in ids:
        n = llama_cpp.llama_token_to_piece(vocab, token, buffer, 256, 0, special)
        if n < 0:
            raise RuntimeError("piece too long")
        out += buffer.raw[:n]
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default=os.environ.get("MINNOW_MODELS", os.path.expanduser("~/.cache/minnow/models")))
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "tokenizer"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    assert len(CORPUS) >= 40

    with open(os.path.join(args.out, "corpus.json"), "w", encoding="utf-8") as f:
        json.dump(CORPUS, f, ensure_ascii=False, indent=0)
        f.write("\n")

    llama_cpp.llama_backend_init()
    for name, (filename, pre) in VOCABULARIES.items():
        path = os.path.join(args.models, filename)
        if "header" in filename or pre is not None:
            path = metadata_only_copy(path, pre)
        params = llama_cpp.llama_model_default_params()
        params.vocab_only = True
        model = llama_cpp.llama_model_load_from_file(path.encode(), params)
        if path.startswith(tempfile.gettempdir()):
            os.remove(path)
        if not model:
            sys.exit(f"cannot load {path}")
        vocab = llama_cpp.llama_model_get_vocab(model)
        cases = []
        for text in CORPUS:
            data = text.encode("utf-8")
            plain = tokenize(vocab, data, False, False)
            special = tokenize(vocab, data, False, True)
            cases.append({
                "plain": plain,
                "special": special,
                # llama.cpp's rendering of the special-parsed ids with control tokens hidden.
                "hidden": detokenize(vocab, special, False).decode("utf-8", errors="replace"),
                # llama.cpp's rendering of the plain ids: the text itself unless the vocabulary
                # lacks a token for some byte (SmolLM2 has none for a few control bytes).
                "rendered": detokenize(vocab, plain, True).decode("utf-8", errors="replace"),
            })
        fixture = {
            "model": filename,
            "pre": pre,
            "llama_cpp_python": llama_cpp.__version__,
            "bos_first_text": tokenize(vocab, CORPUS[0].encode(), True, False),
            "cases": cases,
        }
        with open(os.path.join(args.out, f"{name}.json"), "w", encoding="utf-8") as f:
            json.dump(fixture, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        llama_cpp.llama_model_free(model)
        print(f"{name}: {len(cases)} texts")


if __name__ == "__main__":
    main()
