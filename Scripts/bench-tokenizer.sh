#!/usr/bin/env bash
# Tokenizer benchmark: Minnow (release build) beside llama.cpp (llama-cpp-python) on the same
# machine. For each vocabulary: the vocabulary load time (tokens + merges) and the throughput on
# 1 MB of mixed text, best of N runs, wall-clock and CPU time (CPU time is steadier on a busy
# machine). Usage: Scripts/bench-tokenizer.sh [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-5}"
models="${MINNOW_MODELS:-$HOME/.cache/minnow/models}"
text="$(mktemp --suffix=.txt)"
trap 'rm -f "$text"' EXIT
python3 Scripts/bench-tokenizer-text.py "$text"
swift build -c release --product minnow >/dev/null
for model in DeepSeek-R1-Distill-Qwen-7B.header.gguf Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf SmolLM2-135M-Instruct.Q4_1.gguf; do
    [ -f "$models/$model" ] || { echo "skip $model (missing)"; continue; }
    echo "== $model"
    echo "-- minnow"
    .build/release/minnow tokenize --model "$models/$model" --bench --repeats "$repeats" < "$text"
    echo "-- llama.cpp"
    python3 Scripts/bench-tokenizer-llamacpp.py "$models/$model" "$text" --repeats "$repeats"
done
