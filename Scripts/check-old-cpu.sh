#!/usr/bin/env bash
# Shows that a default build never executes an instruction its CPU lacks: runs the `minnow`
# binary under qemu-x86_64 with a CPU model without AVX (Nehalem: SSE4.2 at most), where the
# run-time dispatch must pick the portable kernels, and checks that it answers exactly as the
# host does with the portable kernels forced (same generated ids and text).
#
# Usage: Scripts/check-old-cpu.sh [MINNOW_BINARY] [MODEL.gguf]
# Needs qemu-user (Debian: apt-get install qemu-user) and a release build of minnow.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MINNOW="${1:-.build/release/minnow}"
MODEL="${2:-${MINNOW_MODELS:-$HOME/.cache/minnow/models}/SmolLM2-135M-Instruct.Q4_1.gguf}"
CPU_MODEL="${QEMU_CPU_MODEL:-Nehalem}"

command -v qemu-x86_64 >/dev/null || { echo "check-old-cpu: qemu-x86_64 missing (apt-get install qemu-user)" >&2; exit 2; }
[ -x "$MINNOW" ] || { echo "check-old-cpu: $MINNOW is not built (swift build -c release)" >&2; exit 2; }
[ -f "$MODEL" ] || { echo "check-old-cpu: model $MODEL missing (Scripts/fetch-models.sh)" >&2; exit 2; }

args=(complete --model "$MODEL" --prompt "The primary colors are" --max-tokens 4 --temperature 0 --threads 1 --json)
ids() { python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["ids"], repr(o["text"]))'; }

host=$(MINNOW_CPU_KERNELS=portable "$MINNOW" "${args[@]}" 2>/dev/null | ids)
echo "host, portable kernels:    $host"
# No variant is forced under qemu: the dispatch itself must find no AVX and choose portable.
emulated=$(env -u MINNOW_CPU_KERNELS qemu-x86_64 -cpu "$CPU_MODEL" "$MINNOW" "${args[@]}" 2>/dev/null | ids)
echo "qemu -cpu $CPU_MODEL (auto): $emulated"
info=$(env -u MINNOW_CPU_KERNELS qemu-x86_64 -cpu "$CPU_MODEL" "$MINNOW" info "$MODEL" | grep '^cpu kernels:')
echo "qemu -cpu $CPU_MODEL: $info"
case "$info" in
  *"portable on this CPU"*) ;;
  *) echo "check-old-cpu: FAIL: under $CPU_MODEL the dispatch did not choose the portable kernels" >&2; exit 1;;
esac
if [ "$host" != "$emulated" ]; then
  echo "check-old-cpu: FAIL: the emulated $CPU_MODEL run answered differently" >&2
  exit 1
fi
echo "check-old-cpu: OK ($CPU_MODEL answers as the host)"

# The same on an AVX2 CPU without AVX-512 (Haswell): the dispatch must choose the AVX2 kernels,
# which answer as the host's AVX2 kernels do.
host2=$(MINNOW_CPU_KERNELS=avx2 "$MINNOW" "${args[@]}" 2>/dev/null | ids) || host2="host lacks AVX2"
emulated2=$(env -u MINNOW_CPU_KERNELS qemu-x86_64 -cpu Haswell "$MINNOW" "${args[@]}" 2>/dev/null | ids)
info2=$(env -u MINNOW_CPU_KERNELS qemu-x86_64 -cpu Haswell "$MINNOW" info "$MODEL" | grep '^cpu kernels:')
echo "host, avx2 kernels:         $host2"
echo "qemu -cpu Haswell (auto):   $emulated2"
echo "qemu -cpu Haswell: $info2"
case "$info2" in
  *"avx2 on this CPU"*) ;;
  *) echo "check-old-cpu: FAIL: under Haswell the dispatch did not choose the AVX2 kernels" >&2; exit 1;;
esac
if [ "$host2" != "host lacks AVX2" ] && [ "$host2" != "$emulated2" ]; then
  echo "check-old-cpu: FAIL: the emulated Haswell run answered differently from the host's AVX2 kernels" >&2
  exit 1
fi
echo "check-old-cpu: OK (Haswell chose avx2)"
