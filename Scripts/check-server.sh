#!/usr/bin/env bash
# The end-to-end tests of minnow-serve (Examples/Server): builds it in release mode and runs
# Tests/ServerTests/test_server.py, which starts it on Qwen2.5-Coder-0.5B and talks to it with the
# official `openai` Python client (pip install openai jsonschema).
#
#   Scripts/check-server.sh [--skip-build]
#
# Models come from $MINNOW_MODELS (default ~/.cache/minnow/models): Qwen2.5-Coder-0.5B and the
# R1 7B header (its chat template). Missing models skip the check, unless MINNOW_REQUIRE_MODELS=1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
models="${MINNOW_MODELS:-$HOME/.cache/minnow/models}"
model="$models/Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf"
header="$models/DeepSeek-R1-Distill-Qwen-7B.header.gguf"
for file in "$model" "$header"; do
  if [ ! -f "$file" ]; then
    if [ "${MINNOW_REQUIRE_MODELS:-0}" = 1 ]; then echo "check-server: missing $file" >&2; exit 1; fi
    echo "check-server: skipped (missing $file; Scripts/fetch-models.sh fetches it)" >&2
    exit 0
  fi
done
python3 -c "import openai, jsonschema" 2>/dev/null || { echo "check-server: the openai or jsonschema package is missing: python3 -m pip install openai jsonschema" >&2; exit 1; }
if [ "${1:-}" != "--skip-build" ]; then
  swift build -c release --product minnow-serve
fi
binary="$(swift build -c release --show-bin-path)/minnow-serve"
exec python3 Tests/ServerTests/test_server.py --binary "$binary" --model "$model" --r1-header "$header"
