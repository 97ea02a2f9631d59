#!/usr/bin/env python3
"""Aggregate generation speed of minnow-serve at --parallel 1 and --parallel 4, in one run.

    python3 Scripts/bench-server.py --binary .build/release/minnow-serve \
        --model ~/.cache/minnow/models/Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf [--rounds 2]

Each round starts a server at each setting (alternating 1, 4, 1, 4, ...), sends the same
requests from 8 concurrent clients through the official openai client (temperature 0,
max_tokens 64, distinct prompts), and reports completion tokens / wall seconds from the first
request to the last answer. The machine's other load distorts the numbers: compare the two
settings within one run, and rerun on a quiet machine for absolute figures.
"""
import argparse
import concurrent.futures
import os
import statistics
import sys
import tempfile
import time

import openai

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ServerTests"))
from server_harness import Server  # noqa: E402


def one_round(binary, model, parallel, prompts, max_tokens, logs, threads):
    args = ["--backend", "cpu", "--context", "1024", "--parallel", str(parallel), "--queue", "64"]
    if threads:
        args += ["--threads", str(threads)]
    server = Server(binary, model, os.path.join(logs, f"bench-p{parallel}.log"), *args)
    try:
        client = openai.OpenAI(base_url=server.base + "/v1", api_key="unused", max_retries=0, timeout=1200)
        # Warm-up: the first request allocates the KV cache.
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "Hi"}], max_tokens=2, temperature=0)

        def ask(prompt):
            reply = client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}],
                                                   max_tokens=max_tokens, temperature=0)
            return reply.usage.completion_tokens

        start = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            tokens = sum(pool.map(ask, prompts))
        seconds = time.monotonic() - start
    finally:
        server.terminate()
        server.stop()
    return tokens, seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--requests", type=int, default=16)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=0, help="--threads for the server (default: one per core)")
    options = parser.parse_args()
    prompts = [f"Write a short story about a robot called Unit {n}." for n in range(options.requests)]
    logs = tempfile.mkdtemp(prefix="minnow-serve-bench-")
    results = {1: [], 4: []}
    for round_index in range(options.rounds):
        for parallel in (1, 4):
            tokens, seconds = one_round(options.binary, options.model, parallel, prompts, options.max_tokens, logs,
                                        options.threads)
            rate = tokens / seconds
            results[parallel].append(rate)
            print(f"round {round_index + 1} --parallel {parallel}: {tokens} tokens in {seconds:.1f} s = {rate:.1f} tokens/s",
                  flush=True)
    for parallel, rates in results.items():
        print(f"--parallel {parallel}: median {statistics.median(rates):.1f} tokens/s over {len(rates)} rounds "
              f"({', '.join(f'{r:.1f}' for r in rates)})")
    print(f"speed-up: {statistics.median(results[4]) / statistics.median(results[1]):.2f}x; logs in {logs}")


if __name__ == "__main__":
    main()
