#!/usr/bin/env bash
# Minnow's Vulkan backend beside llama.cpp's (llama-cpp-python 0.3.8 built with
# -DGGML_VULKAN=ON) on the same device, alternating the engines: pp128 and tg32 on
# Qwen2.5-Coder-0.5B by default. On this project's machines the device is lavapipe (pinned
# below unless VK_DRIVER_FILES is already set); on a GPU machine unset it with
# VK_DRIVER_FILES= and both engines take the first GPU.
#
# usage: Scripts/bench-vulkan-vs-llamacpp.sh [--model PATH] [-p 128] [-n 32] [--reps 2]
#
# The Vulkan llama-cpp-python is installed into its own folder, $LLAMA_VK (default
# /work/llama-vk), so the system-wide CPU build others use stays untouched. Installing it needs
# apt's spirv-headers, glslang-tools, glslc and libvulkan-dev, and `--no-cache-dir` (pip
# otherwise reuses a cached CPU-only wheel); the compile takes a long time on 2 cores.
# 0.3.8 because newer llama.cpp Vulkan code needs headers newer than Debian 12's 1.3.239.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

models="${MINNOW_MODELS:-$HOME/.cache/minnow/models}"
model="$models/Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf"
prompt=128 generate=32 reps=2
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    -p) prompt="$2"; shift 2 ;;
    -n) generate="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -f "$model" ] || { echo "no model at $model (Scripts/fetch-models.sh)" >&2; exit 1; }

LLAMA_VK="${LLAMA_VK:-/work/llama-vk}"
if ! PYTHONPATH="$LLAMA_VK" python3 -c "import llama_cpp" 2>/dev/null; then
  echo "installing llama-cpp-python 0.3.8 with Vulkan into $LLAMA_VK (slow)" >&2
  CMAKE_ARGS="-DGGML_VULKAN=ON" pip install --no-cache-dir --target "$LLAMA_VK" llama-cpp-python==0.3.8 >&2
fi
if [ -z "${VK_DRIVER_FILES+set}" ] && [ -f /usr/share/vulkan/icd.d/lvp_icd.x86_64.json ]; then
  export VK_DRIVER_FILES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json
fi
swift build -c release --product minnow >&2
echo "device: $(vulkaninfo --summary 2>/dev/null | grep -m1 deviceName | sed 's/.*= //' || echo unknown)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
PYTHONPATH="$LLAMA_VK" python3 Scripts/bench-engine-vs-llamacpp.py "$model" --backend vulkan \
  --threads "$(nproc)" -p "$prompt" -n "$generate" --reps "$reps"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
