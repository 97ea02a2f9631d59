#!/usr/bin/env python3
"""Reference outputs of llama.cpp (llama-cpp-python 0.3.36) for the engine tests.

For each test model it records, with llama.cpp's own tokenization (BOS as the model's metadata
says):
  * for 8 prompts: the prompt ids, llama.cpp's greedy 32-token continuation (argmax, decoded one
    token at a time), and the top-8 raw logits at every position of prompt + continuation,
    evaluated teacher-forced in one pass with logits_all=True;
  * the ids of Tests/Fixtures/engine/perplexity.txt and its perplexity at ctx 256, computed the
    way llama-perplexity does: non-overlapping windows of ctx tokens (BOS over the first token of
    each window when the model adds BOS), each evaluated from an empty cache, scoring the
    negative log-likelihood of the tokens after position ctx/2.

Run once:  python3 Scripts/make-engine-fixtures.py [KEY…]  (models from $MINNOW_MODELS or
~/.cache/minnow/models). Writes Tests/Fixtures/engine/<model>.json.
"""
import json
import math
import os
import sys

import numpy as np
from llama_cpp import Llama, __version__ as llama_cpp_version

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures", "engine")
MODELS = os.environ.get("MINNOW_MODELS") or os.path.expanduser("~/.cache/minnow/models")

MODEL_FILES = {
    "smollm2-135m-q4_1": "SmolLM2-135M-Instruct.Q4_1.gguf",
    "qwen2.5-coder-0.5b-q4_k_m": "Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf",
}

PROMPTS = [
    "The capital of France is",
    "Once upon a time, in a small village by the sea,",
    "def fibonacci(n):\n    \"\"\"Return the n-th Fibonacci number.\"\"\"\n",
    "Water boils at a temperature of",
    "The three primary colors are",
    "Q: What is 12 times 7?\nA:",
    "In 1969, the first humans landed on",
    "A list of fruits: apple, banana,",
    "import numpy as np\n\n# Compute the mean of an array\n",
]

CONTINUATION = 32
TOP = 8
CTX = 256


def top_logits(row, k):
    idx = np.argpartition(-row, k)[:k]
    idx = idx[np.argsort(-row[idx], kind="stable")]
    return [[int(i), round(float(row[i]), 4)] for i in idx]


def greedy(llm, ids, steps):
    llm.reset()
    llm.eval(ids)
    out = []
    for _ in range(steps):
        row = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32)
        tok = int(np.argmax(row))
        out.append(tok)
        llm.eval([tok])
    return out


def teacher_forced(llm, ids):
    llm.reset()
    llm.eval(ids)
    scores = np.array(llm.scores[: len(ids)], dtype=np.float32)
    return [top_logits(scores[i], TOP) for i in range(len(ids))]


def perplexity(llm, tokens, ctx, bos):
    chunks = len(tokens) // ctx
    first = ctx // 2
    nll, count = 0.0, 0
    for c in range(chunks):
        window = list(tokens[c * ctx:(c + 1) * ctx])
        if bos is not None:
            window[0] = bos
        llm.reset()
        llm.eval(window)
        scores = np.array(llm.scores[:ctx], dtype=np.float64)
        for j in range(first, ctx - 1):
            row = scores[j]
            m = row.max()
            lse = m + math.log(np.exp(row - m).sum())
            nll += lse - row[window[j + 1]]
            count += 1
    return math.exp(nll / count), chunks, count


def main():
    text = open(os.path.join(FIXTURES, "perplexity.txt"), encoding="utf-8").read()
    only = sys.argv[1:]  # optional fixture keys to (re)make
    for key, filename in MODEL_FILES.items():
        if only and key not in only:
            continue
        path = os.path.join(MODELS, filename)
        if not os.path.exists(path):
            sys.exit(f"missing model {path}")
        llm = Llama(model_path=path, n_ctx=512, n_batch=512, logits_all=True, n_threads=1, seed=0, verbose=False)
        probe = llm.tokenize(b"x", add_bos=True, special=False)
        plain = llm.tokenize(b"x", add_bos=False, special=False)
        adds_bos = len(probe) > len(plain)
        bos = llm.token_bos() if adds_bos else None
        prompts = []
        for prompt in PROMPTS:
            ids = llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=False)
            cont = greedy(llm, ids, CONTINUATION)
            prompts.append({
                "text": prompt,
                "ids": ids,
                "greedy": cont,
                "top": teacher_forced(llm, ids + cont),
            })
            print(f"{key}: {prompt[:30]!r}: {len(ids)} prompt ids", file=sys.stderr)
        tokens = llm.tokenize(text.encode("utf-8"), add_bos=True, special=False)
        ppl, chunks, scored = perplexity(llm, tokens, CTX, bos)
        print(f"{key}: PPL {ppl:.4f} over {chunks} chunks ({scored} tokens)", file=sys.stderr)
        fixture = {
            "model": filename,
            "llamaCppPython": llama_cpp_version,
            "addsBOS": adds_bos,
            "top": TOP,
            "prompts": prompts,
            "perplexity": {"ctx": CTX, "ids": tokens, "ppl": round(ppl, 6), "chunks": chunks, "scored": scored},
        }
        with open(os.path.join(FIXTURES, f"{key}.json"), "w") as f:
            json.dump(fixture, f, separators=(",", ":"))
        del llm


if __name__ == "__main__":
    main()
