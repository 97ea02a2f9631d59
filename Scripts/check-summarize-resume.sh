#!/usr/bin/env bash
# Crash-and-resume and scale-out checks of minnow-summarize (issue 13, item 6).
#
#   Scripts/check-summarize-resume.sh [--kills N] [--docs D] [--model PATH] [--seed S]
#
# 1. An uninterrupted run over D short JSONL documents (default 40) gives the reference output.
# 2. A run killed with SIGKILL at N random moments (default 20), started again after each kill,
#    then run to the end: its output must hold every document exactly once, every line whole,
#    with the reference's summaries.
# 3. Three shards chosen by --shard auto (JOB_COMPLETION_INDEX / JOB_COMPLETIONS), shard 1 killed
#    mid-way and resumed, shard 2 through Slurm's variables (an array 1-3): the union of the three
#    outputs must equal the reference, each document once.
# Greedy decoding, --parallel 1, SmolLM2-135M by default. Needs a release build
# (swift build -c release) and python3. Exits non-zero on any difference.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

kills=20; docs=40; seed=1
model="${MINNOW_MODELS:-$HOME/.cache/minnow/models}/SmolLM2-135M-Instruct.Q4_1.gguf"
while [ $# -gt 0 ]; do
  case $1 in
    --kills) kills=$2; shift 2 ;;
    --docs) docs=$2; shift 2 ;;
    --model) model=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
binary="$(swift build -c release --show-bin-path)/minnow-summarize"
[ -x "$binary" ] || { echo "build first: swift build -c release --product minnow-summarize" >&2; exit 2; }
[ -f "$model" ] || { echo "no model at $model (Scripts/fetch-models.sh)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$docs" "$work/in.jsonl" <<'PY'
import json, random, sys
count, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(13)
topics = ["rivers", "bread", "trains", "owls", "glass", "tides", "maps", "bees", "clocks", "salt"]
with open(path, "w") as out:
    for i in range(count):
        a, b = rng.sample(topics, 2)
        text = (f"Document {i}. This note is about {a} and {b}. The {a} in the valley changed in year {1900 + i}; "
                f"people who studied {b} wrote {i % 7 + 2} reports about it.")
        out.write(json.dumps({"id": f"doc-{i:03d}", "text": text}) + "\n")
PY
# `exec`, so that a run started with `&` is the summarizer itself and `kill -9 $!` reaches it.
summarize() { exec "$binary" --model "$model" --input "$work/in.jsonl" --max-tokens 12 --temperature 0 --parallel 1 "$@"; }
run() { (summarize "$@"); }

# The output's records by id; fails on a torn line or a duplicated id.
check() {
  python3 - "$@" <<'PY'
import json, sys
reference, outputs = sys.argv[1], sys.argv[2:]
def records(path):
    found = {}
    with open(path, "rb") as f:
        data = f.read()
    assert data == b"" or data.endswith(b"\n"), f"{path}: the last line is torn"
    for number, line in enumerate(data.split(b"\n")[:-1], 1):
        record = json.loads(line)  # a torn line fails here
        assert record["id"] not in found, f"{path}:{number}: {record['id']} duplicated"
        found[record["id"]] = (record["summary"], record["generatedTokens"])
    return found
want = records(reference)
got = {}
for path in outputs:
    for key, value in records(path).items():
        assert key not in got, f"{key} is in more than one output"
        got[key] = value
missing = sorted(set(want) - set(got)); extra = sorted(set(got) - set(want))
assert not missing and not extra, f"missing {missing}, extra {extra}"
differ = [k for k in want if want[k] != got[k]]
assert not differ, f"summaries differ for {differ}"
print(f"  {len(got)} documents, each once, every line whole, summaries equal to the reference")
PY
}

start=$(date +%s)
echo "reference: uninterrupted run over $docs documents"
run --output "$work/reference.jsonl" 2>"$work/reference.log"
lines=$(wc -l <"$work/reference.jsonl")
[ "$lines" -eq "$docs" ] || { echo "the reference run wrote $lines of $docs documents" >&2; cat "$work/reference.log" >&2; exit 1; }
reference_seconds=$(( $(date +%s) - start ))
echo "  $docs documents in $reference_seconds s"

# Random kill moments between 0.2 s and twice the reference run's time per document plus 1 s
# (the model's load): about one document per start, so that the kills spread over the run.
RANDOM=$seed
span_ms=$(( (reference_seconds * 1000 * 2) / docs + 1000 ))
echo "crash and resume: SIGKILL at $kills random moments (0.2-$(( span_ms / 1000 )).$(( span_ms % 1000 / 100 )) s after each start)"
mid=0
for ((k = 1; k <= kills; k++)); do
  summarize --output "$work/crash.jsonl" 2>>"$work/crash.log" &
  pid=$!
  delay_ms=$(( 200 + RANDOM % span_ms ))
  sleep "$(( delay_ms / 1000 )).$(printf '%03d' $(( delay_ms % 1000 )))"
  kill -9 "$pid" 2>/dev/null || true
  rc=0; wait "$pid" 2>/dev/null || rc=$?
  # 137: ended by SIGKILL (a run that had already finished exits 0).
  if [ "$rc" -eq 137 ]; then state=killed; mid=$((mid + 1)); else state="had finished (exit $rc)"; fi
  if pgrep -f "$work/crash" >/dev/null; then echo "a killed run is still alive" >&2; exit 1; fi
  printf '  kill %2d at %5d ms: %s, %d documents written so far\n' "$k" "$delay_ms" "$state" "$(wc -l <"$work/crash.jsonl" 2>/dev/null || echo 0)"
done
echo "  $mid of $kills kills stopped a running summarizer; resuming to the end"
run --output "$work/crash.jsonl" 2>>"$work/crash.log"
check "$work/reference.jsonl" "$work/crash.jsonl"

echo "shards: 3 by --shard auto; shard 1 killed mid-way and resumed; shard 2 through Slurm variables"
JOB_COMPLETION_INDEX=0 JOB_COMPLETIONS=3 run --shard auto --output "$work/part-0.jsonl" 2>"$work/shard.log"
JOB_COMPLETION_INDEX=1 JOB_COMPLETIONS=3 summarize --shard auto --output "$work/part-1.jsonl" 2>>"$work/shard.log" &
pid=$!
sleep "$(( span_ms / 1000 )).$(( span_ms % 1000 / 100 ))"
kill -9 "$pid" 2>/dev/null && echo "  shard 1 killed after $(wc -l <"$work/part-1.jsonl" 2>/dev/null || echo 0) documents" || echo "  shard 1 had finished before the kill"
wait "$pid" 2>/dev/null || true
JOB_COMPLETION_INDEX=1 JOB_COMPLETIONS=3 run --shard auto --output "$work/part-1.jsonl" 2>>"$work/shard.log"
SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_STEP=1 \
  run --shard auto --output "$work/part-2.jsonl" 2>>"$work/shard.log"
grep -o 'shard [0-9]/3 (from the environment)' "$work/shard.log" | sort | uniq -c | sed 's/^/  /'
check "$work/reference.jsonl" "$work/part-0.jsonl" "$work/part-1.jsonl" "$work/part-2.jsonl"
echo "all checks passed in $(( $(date +%s) - start )) s"
