#!/usr/bin/env python3
"""Decode and prompt tokens/s of `minnow complete` beside llama.cpp (llama-cpp-python), same run.

Usage: python3 Scripts/bench-engine-vs-llamacpp.py MODEL.gguf [--threads 1,2] [-p 128] [-n 32] [--reps 2]
                                                 [--backend cpu|vulkan]
Runs the two engines alternately on the same token ids (prompt of -p tokens, then -n greedy
tokens decoded one at a time) and prints a table. Build minnow first: swift build -c release.

--backend vulkan runs both on the Vulkan device: `minnow complete --backend vulkan`, and
llama.cpp with every layer offloaded (n_gpu_layers=-1). That needs a llama-cpp-python built
with -DGGML_VULKAN=ON on PYTHONPATH; Scripts/bench-vulkan-vs-llamacpp.sh builds and uses one
(0.3.8: newer llama.cpp Vulkan code needs headers newer than Debian 12's).
"""
import argparse
import json
import os
import subprocess
import time

import numpy as np
from llama_cpp import Llama

parser = argparse.ArgumentParser()
parser.add_argument("model")
parser.add_argument("--threads", default="1,2")
parser.add_argument("-p", type=int, default=128)
parser.add_argument("-n", type=int, default=32)
parser.add_argument("--reps", type=int, default=2)
parser.add_argument("--backend", choices=["cpu", "vulkan"], default="cpu")
parser.add_argument("--minnow", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".build/release/minnow"))
args = parser.parse_args()

ids = [(i * 7919) % 5000 + 100 for i in range(args.p)]


def llama_run(llm):
    llm.reset()
    t0 = time.perf_counter()
    llm.eval(ids)
    t1 = time.perf_counter()
    tok = int(np.argmax(llm.scores[llm.n_tokens - 1]))
    t2 = time.perf_counter()
    for _ in range(args.n):
        llm.eval([tok])
        tok = int(np.argmax(llm.scores[llm.n_tokens - 1]))
    t3 = time.perf_counter()
    return args.p / (t1 - t0), args.n / (t3 - t2)


def minnow_run(threads):
    out = subprocess.run([args.minnow, "complete", "--model", args.model, "--ids", ",".join(map(str, ids)),
                          "--max-tokens", str(args.n + 1), "--threads", str(threads), "--backend", args.backend,
                          "--json"],
                         capture_output=True, text=True, check=True)
    t = json.loads(out.stdout)["timings"]
    return t["promptTokensPerSecond"], t["decodeTokensPerSecond"]


print(f"backend: {args.backend}; best of {args.reps} alternating runs")
print(f"| threads | engine | pp{args.p} tok/s | tg{args.n} tok/s |")
print("|---|---|---|---|")
for threads in [int(t) for t in args.threads.split(",")]:
    llm = Llama(model_path=args.model, n_ctx=args.p + args.n + 8, n_batch=512, n_threads=threads,
                n_threads_batch=threads, logits_all=False, verbose=False,
                n_gpu_layers=-1 if args.backend == "vulkan" else 0)
    results = {"llama.cpp": [], "minnow": []}
    for _ in range(args.reps):
        results["llama.cpp"].append(llama_run(llm))
        results["minnow"].append(minnow_run(threads))
    del llm
    for engine, rows in results.items():
        pp = max(r[0] for r in rows)
        tg = max(r[1] for r in rows)
        print(f"| {threads} | {engine} | {pp:.1f} | {tg:.1f} |", flush=True)
