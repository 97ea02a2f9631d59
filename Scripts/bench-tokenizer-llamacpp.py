#!/usr/bin/env python3
"""llama.cpp's side of the tokenizer benchmark (llama-cpp-python's low-level API).

    python3 Scripts/bench-tokenizer-llamacpp.py MODEL.gguf TEXT [--repeats N] [--special]

Prints the vocabulary load time (vocab-only model load) and the tokenization time and
throughput of TEXT, best of N runs, as wall-clock and CPU time, in the format of
`minnow tokenize --bench`.
"""
import argparse
import importlib.util
import os
import time

import llama_cpp


def best(function, repeats):
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeats):
        w, c = time.perf_counter(), time.thread_time()
        result = function()
        wall, cpu = min(wall, time.perf_counter() - w), min(cpu, time.thread_time() - c)
    return wall, cpu, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("text")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--special", action="store_true")
    args = parser.parse_args()
    path = args.model
    if "header" in os.path.basename(path):
        spec = importlib.util.spec_from_file_location(
            "fixtures", os.path.join(os.path.dirname(__file__), "make-tokenizer-fixtures.py"))
        fixtures = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(fixtures)
        path = fixtures.metadata_only_copy(path)

    llama_cpp.llama_backend_init()
    quiet = llama_cpp.llama_log_callback(lambda level, text, data: None)  # kept alive for ctypes
    llama_cpp.llama_log_set(quiet, None)
    params = llama_cpp.llama_model_default_params()
    params.vocab_only = True
    models = []

    def load():
        model = llama_cpp.llama_model_load_from_file(path.encode(), params)
        models.append(model)
        return model

    load_wall, load_cpu, model = best(load, args.repeats)
    if path != args.model:
        os.remove(path)
    vocab = llama_cpp.llama_model_get_vocab(model)
    data = open(args.text, "rb").read()
    capacity = len(data) + 16
    buffer = (llama_cpp.llama_token * capacity)()

    def tokenize():
        return llama_cpp.llama_tokenize(vocab, data, len(data), buffer, capacity, False, args.special)

    wall, cpu, count = best(tokenize, args.repeats)
    megabytes = len(data) / 1_000_000
    print(f"load_ms {load_wall * 1000:.1f} (cpu {load_cpu * 1000:.1f})")
    print(f"encode_ms {wall * 1000:.1f} (cpu {cpu * 1000:.1f})")
    print(f"throughput_mb_s {megabytes / wall:.2f} (cpu {megabytes / cpu:.2f})")
    print(f"tokens {count}")
    print(f"bytes {len(data)}")
    for model in models:
        llama_cpp.llama_model_free(model)


if __name__ == "__main__":
    main()
