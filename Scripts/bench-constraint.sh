#!/usr/bin/env bash
# Decode speed with and without a JSON-schema constraint on Qwen2.5-Coder-0.5B at 2 threads,
# alternating the two in one run (`minnow bench-constraint`). Prints each round and the median
# overhead. Run on a quiet machine: other processes distort the numbers.
# Usage: Scripts/bench-constraint.sh [rounds] [schema.json]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-6}"
schema="${2:-Tests/Fixtures/grammar/schemas/10-book.json}"
model="${MINNOW_MODELS:-$HOME/.cache/minnow/models}/Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf"
swift build -c release --product minnow >/dev/null
for temperature in 0 0.8; do
  for args in "--json-schema $schema" ""; do
    echo "== temperature $temperature, ${args:-JSON mode} =="
    # shellcheck disable=SC2086
    .build/release/minnow bench-constraint --model "$model" --threads 2 --rounds "$rounds" --max-tokens 128 \
      --temperature "$temperature" $args
  done
done
