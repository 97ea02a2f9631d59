#!/usr/bin/env bash
# Minnow's Vulkan backend beside llama.cpp's Vulkan backend on the same GPU: prompt processing
# (ppN) and generation (tgN) tokens/s, llama-bench style, for the 1.5B model by default.
#
# usage: Scripts/bench-vulkan-gpu.sh [--model PATH] [--llama-bench PATH | --llama-cpp DIR]
#                                    [-p 512] [-n 128] [-r 3] [--device INDEX]
#
#   --model PATH        GGUF model (default: $MINNOW_MODELS or ~/.cache/minnow/models,
#                       Qwen2.5-Coder-1.5B-Instruct.Q4_K_M.gguf: Scripts/fetch-models.sh qwen2.5-coder-1.5b)
#   --llama-bench PATH  a llama-bench binary built with GGML_VULKAN=ON
#   --llama-cpp DIR     a llama.cpp source tree: llama-bench is built there with -DGGML_VULKAN=ON
#                       (needs cmake, a C++ compiler, glslc and the Vulkan headers; no network)
#   --device INDEX      the Vulkan device for both engines (MINNOW_VULKAN_DEVICE and
#                       GGML_VK_VISIBLE_DEVICES); default: each engine's own choice (the first GPU)
#
# Without llama-bench, only Minnow runs. Both engines offload every layer (llama-bench -ngl 99)
# and use an F16 KV cache. The token ids differ (Minnow's fixed ids, llama-bench's random ones);
# tokens/s does not depend on them. Writes both tables to stdout; run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

models="${MINNOW_MODELS:-$HOME/.cache/minnow/models}"
model="$models/Qwen2.5-Coder-1.5B-Instruct.Q4_K_M.gguf"
llama_bench="" llama_cpp="" prompt=512 generate=128 repetitions=3 device=""
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --llama-bench) llama_bench="$2"; shift 2 ;;
    --llama-cpp) llama_cpp="$2"; shift 2 ;;
    -p) prompt="$2"; shift 2 ;;
    -n) generate="$2"; shift 2 ;;
    -r) repetitions="$2"; shift 2 ;;
    --device) device="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -f "$model" ] || { echo "no model at $model (Scripts/fetch-models.sh, or --model PATH)" >&2; exit 1; }
if [ -n "$device" ]; then
  export MINNOW_VULKAN_DEVICE="$device" GGML_VK_VISIBLE_DEVICES="$device"
fi

echo "## Devices"
if command -v vulkaninfo >/dev/null; then vulkaninfo --summary 2>/dev/null | sed -n '/^Devices:/,$p' || true; fi

echo "## Minnow (vulkan)"
swift build -c release --product minnow >&2
# --backend vulkan fails (non-zero) rather than fall back when no GPU is usable.
.build/release/minnow bench --model "$model" --backend vulkan -p "$prompt" -n "$generate" \
  --repetitions "$repetitions" --batch "$prompt" --markdown

if [ -z "$llama_bench" ] && [ -n "$llama_cpp" ]; then
  cmake -S "$llama_cpp" -B "$llama_cpp/build-vulkan" -DGGML_VULKAN=ON -DCMAKE_BUILD_TYPE=Release >&2
  cmake --build "$llama_cpp/build-vulkan" --target llama-bench -j "$(nproc)" >&2
  llama_bench="$llama_cpp/build-vulkan/bin/llama-bench"
fi
if [ -z "$llama_bench" ]; then
  echo "## llama.cpp: skipped (give --llama-bench PATH or --llama-cpp DIR)"
  exit 0
fi
echo "## llama.cpp (vulkan)"
"$llama_bench" -m "$model" -ngl 99 -p "$prompt" -n "$generate" -r "$repetitions" -b "$prompt" -ub "$prompt" \
  -ctk f16 -ctv f16 -o md
