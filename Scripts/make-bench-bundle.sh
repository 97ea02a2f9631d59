#!/usr/bin/env bash
# Builds a benchmark bundle for any Linux x86_64 machine: `minnow` linked with the Swift
# standard library and Foundation statically (--static-swift-stdlib), one GGUF model, and a
# one-line run script, in one small folder (and a .tar.gz of it). The target machine needs
# no Swift toolchain: glibc 2.35+ and libstdc++ of GCC 12+ (as built on Debian 12), libcurl4,
# and for the GPU a Vulkan loader (libvulkan.so.1) and driver. Without Vulkan the bundle still runs and
# benchmarks the CPU (`--backend vulkan` then reports why it is unavailable).
#
# Usage: Scripts/make-bench-bundle.sh [--model FILE.gguf] [--out DIR] [--check]
#   --model  the model to pack (default: Qwen2.5-Coder-0.5B Q4_K_M from ~/.cache/minnow/models)
#   --out    the bundle folder (default: .build-bundle/minnow-bench)
#   --check  then check the bundle as on a bare machine: `ldd` lists no Swift library, and
#            the run script works with an empty environment and PATH=/usr/bin:/bin
#            (env -i), on a short bench (-p 16 -n 4, one repetition).
# On the target machine:  ./minnow-bench/run.sh            (pp512 and tg128, Vulkan then CPU)
#                         ./minnow-bench/run.sh -p 128 -n 32 --markdown
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODELS="${MINNOW_MODELS:-$HOME/.cache/minnow/models}"
MODEL="$MODELS/Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf"
OUT="$ROOT/.build-bundle/minnow-bench"
CHECK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --check) CHECK=1; shift ;;
    *) echo "make-bench-bundle: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -f "$MODEL" ] || { echo "make-bench-bundle: model $MODEL not found (Scripts/fetch-models.sh)" >&2; exit 1; }

# A scratch path of its own: static linking changes every target's flags, so sharing .build
# would rebuild the test build from scratch. `minnow fetch` uses URLSession, whose static
# FoundationNetworking needs libcurl: it is linked dynamically (Debian ships no static
# libcurl), through a libcurl.so link to the runtime library when libcurl4-dev's is absent, so
# the target machine needs libcurl4.
cd "$ROOT"
LIBS="$ROOT/.build-bundle/libs"
mkdir -p "$LIBS"
CURL="$(ls /usr/lib/x86_64-linux-gnu/libcurl.so.4 /usr/lib64/libcurl.so.4 /usr/lib/libcurl.so.4 2>/dev/null | head -1 || true)"
[ -n "$CURL" ] || { echo "make-bench-bundle: libcurl.so.4 not found (apt-get install libcurl4)" >&2; exit 1; }
ln -sf "$CURL" "$LIBS/libcurl.so"
FLAGS=(-c release --product minnow --static-swift-stdlib --scratch-path "$ROOT/.build-bundle/build"
       -Xlinker -L"$LIBS")
swift build "${FLAGS[@]}"
BIN="$(swift build "${FLAGS[@]}" --show-bin-path)/minnow"

rm -rf "$OUT"
mkdir -p "$OUT"
cp "$BIN" "$OUT/minnow"
strip "$OUT/minnow" 2>/dev/null || true
MODEL_NAME="$(basename "$MODEL")"
cp "$MODEL" "$OUT/$MODEL_NAME"
cat > "$OUT/run.sh" <<RUN
#!/bin/sh
exec "\$(dirname "\$0")/minnow" bench --model "\$(dirname "\$0")/$MODEL_NAME" --backend vulkan,cpu "\$@"
RUN
chmod +x "$OUT/run.sh" "$OUT/minnow"
tar -C "$(dirname "$OUT")" -czf "$OUT.tar.gz" "$(basename "$OUT")"
echo "make-bench-bundle: $OUT ($(du -sh "$OUT" | cut -f1); binary $(du -h "$OUT/minnow" | cut -f1)), $OUT.tar.gz ($(du -h "$OUT.tar.gz" | cut -f1))"

if [ "$CHECK" = 1 ]; then
  echo "--- ldd $OUT/minnow"
  ldd "$OUT/minnow"
  if ldd "$OUT/minnow" | grep -Ei 'swift|foundation|dispatch|icu'; then
    echo "make-bench-bundle: the binary still links Swift libraries dynamically" >&2
    exit 1
  fi
  # A bare environment: no Swift on PATH, no LD_LIBRARY_PATH. VK_DRIVER_FILES is passed on
  # when set, to pin a driver (lavapipe here).
  echo "--- env -i PATH=/usr/bin:/bin $OUT/run.sh -p 16 -n 4 --repetitions 1"
  env -i PATH=/usr/bin:/bin HOME="$HOME" ${VK_DRIVER_FILES:+VK_DRIVER_FILES="$VK_DRIVER_FILES"} \
    "$OUT/run.sh" -p 16 -n 4 --repetitions 1 --markdown
fi
