#!/usr/bin/env bash
# Builds the `minnow` command and the `Minnow` library with the package's default traits off
# (no `Vulkan` trait), with the Vulkan headers hidden: the check that a CPU-only app needs no
# libvulkan-dev. Runs the build in a private mount namespace where /usr/include/vulkan is an
# empty folder (needs root or user namespaces), then answers one prompt on the CPU.
#
#   Scripts/check-cpu-only-build.sh [MODEL.gguf]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scratch=.build-cpu-only
empty=$(mktemp -d /tmp/minnow-no-vulkan.XXXXXX)
unshare -m bash -c "
  set -e
  if [ -d /usr/include/vulkan ]; then mount --bind '$empty' /usr/include/vulkan; fi
  test ! -e /usr/include/vulkan/vulkan.h
  swift build -c release --scratch-path $scratch --disable-default-traits --product minnow
"
bin="$scratch/release/minnow"
if [ -n "${1:-}" ]; then
  "$bin" complete --model "$1" --prompt "The capital of France is" --max-tokens 4
  echo
  if "$bin" complete --model "$1" --backend vulkan --prompt "x" --max-tokens 1 2>/dev/null; then
    echo "check-cpu-only-build: --backend vulkan ran in a build without the Vulkan trait" >&2
    exit 1
  fi
fi
echo "check-cpu-only-build: built without the Vulkan trait or headers" >&2
