#!/usr/bin/env bash
# Soak test: many chat turns, with /reset every few turns, through one `minnow-chat` process fed
# from a pipe, sampling its resident memory (VmRSS from /proc/PID/status) as it goes.
# After each message the script sends /stats and waits for its "last answer:" line, so every RSS
# sample is taken between turns, with the process idle. Prints one row per sample (resident
# memory in all, its anonymous and file-backed parts, tokens generated so far, the longest
# conversation so far in tokens, seconds) and the growth from turn 10 to the last turn; exits 1
# when that growth exceeds the limit (default 8 MiB).
#
# Usage: Scripts/soak-chat.sh [--turns N] [--reset-every K] [--max-tokens T] [--threads C]
#                             [--model FILE] [--binary FILE] [--limit-kib KIB]
# Defaults: 1000 turns, reset every 5, 16 tokens per answer, SmolLM2-135M, .build/release/minnow-chat
# (build it with `swift build -c release --product minnow-chat`; --binary skips the build check).
# Linux only (/proc).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

turns=1000
reset_every=5
max_tokens=16
threads=""
limit_kib=8192
model="${MINNOW_MODELS:-$HOME/.cache/minnow/models}/SmolLM2-135M-Instruct.Q4_1.gguf"
binary=".build/release/minnow-chat"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --turns) turns="$2"; shift 2 ;;
    --reset-every) reset_every="$2"; shift 2 ;;
    --max-tokens) max_tokens="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --binary) binary="$2"; shift 2 ;;
    --limit-kib) limit_kib="$2"; shift 2 ;;
    *) echo "soak-chat.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -x "$binary" ]] || { echo "soak-chat.sh: no $binary (swift build -c release --product minnow-chat)" >&2; exit 2; }
[[ -f "$model" ]] || { echo "soak-chat.sh: no model at $model" >&2; exit 2; }
[[ "$turns" =~ ^[0-9]+$ && "$turns" -ge 1 ]] || { echo "soak-chat.sh: --turns must be ≥ 1" >&2; exit 2; }
[[ "$reset_every" =~ ^[0-9]+$ && "$reset_every" -ge 1 ]] || { echo "soak-chat.sh: --reset-every must be ≥ 1" >&2; exit 2; }

prompts=(
  "What is the capital of France?"
  "Name a primary colour."
  "Give me one word that rhymes with cat."
  "How many legs does a spider have?"
  "Say hello in Spanish."
  "What is two plus three?"
  "Name a planet."
  "What do bees make?"
)

args=(--model "$model" --max-tokens "$max_tokens" --temperature 0.6 --seed 1 --backend cpu)
[[ -n "$threads" ]] && args+=(--threads "$threads")
errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT
coproc CHAT { exec "$binary" "${args[@]}" 2>"$errors"; }
pid=$CHAT_PID

# Prints VmRSS, RssAnon and RssFile in KiB.
rss_kib() { awk '/^(VmRSS|RssAnon|RssFile):/ { printf "%s ", $2 }' "/proc/$pid/status"; }
# Reads the chat's output until the /stats reply's first line; sets `count` to its generated
# tokens. (No command substitution: a subshell does not get the coprocess's descriptors.)
wait_for_stats() {
  local line
  while IFS= read -r line <&"${CHAT[0]}"; do
    if [[ "$line" == *"last answer: "* ]]; then
      count="${line##*), }"
      count="${count%% generated*}"
      prompt="${line#*last answer: }"
      prompt="${prompt%% prompt tokens*}"
      return 0
    fi
  done
  echo "soak-chat.sh: minnow-chat ended early; its standard error:" >&2
  cat "$errors" >&2
  exit 1
}
is_sample() {
  case "$1" in 1|10|50|100|200|300|400|500|600|700|800|900|1000) return 0 ;; esac
  [[ "$1" -eq "$turns" ]]
}

printf '%6s %10s %10s %10s %9s %9s %9s\n' turn rss_kib anon_kib file_kib generated longest seconds
start=$SECONDS
generated=0
longest=0
rss10=""
last=""
for ((turn = 1; turn <= turns; turn++)); do
  printf '%s\n/stats\n' "${prompts[$(((turn - 1) % ${#prompts[@]}))]}" >&"${CHAT[1]}"
  wait_for_stats
  generated=$((generated + count))
  ((prompt + count > longest)) && longest=$((prompt + count))
  if is_sample "$turn"; then
    read -r last anon file <<<"$(rss_kib)"
    [[ "$turn" -eq 10 ]] && rss10="$last"
    printf '%6d %10d %10d %10d %9d %9d %9d\n' "$turn" "$last" "$anon" "$file" "$generated" "$longest" \
      "$((SECONDS - start))"
  fi
  if ((turn % reset_every == 0)); then printf '/reset\n' >&"${CHAT[1]}"; fi
done
printf '/quit\n' >&"${CHAT[1]}"
wait "$pid" || true

if [[ -n "$rss10" && "$turns" -gt 10 ]]; then
  growth=$((last - rss10))
  echo "RSS growth from turn 10 to turn $turns: $growth KiB (limit $limit_kib KiB)"
  if ((growth > limit_kib)); then echo "soak-chat.sh: FAIL: RSS grew by more than the limit" >&2; exit 1; fi
fi
