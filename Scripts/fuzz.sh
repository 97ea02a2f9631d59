#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (Swift's -sanitize=fuzzer) and AddressSanitizer.
#
#   Scripts/fuzz.sh [--seconds N] [--release] [TARGET ...]
#
# Builds the MinnowFuzz executable (only present when MINNOW_FUZZ=1; see Package.swift) in its
# own scratch path (.build-fuzz), then runs each target (default: all of gguf tokenizer template
# jsonl request) for N seconds (default 60). The committed corpus Fuzz/Corpus/<target> seeds each run and
# is only read; new inputs go to .build-fuzz/corpus/<target>, and crashes to
# .build-fuzz/artifacts/<target>. A crash fails the script: minimize it, fix the bug, and commit
# the input as Fuzz/Corpus/<target>/crash-<name> (replayed by Tests/FuzzCorpusTests).
# The tokenizer target needs the test models (Scripts/fetch-models.sh).
# Prints one summary line per target: executions, coverage (edges), features, corpus size.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=60
configuration=debug
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --release) configuration=release; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(gguf tokenizer template jsonl request)

scratch=.build-fuzz
# SwiftPM passes each --sanitize to swiftc as its own -sanitize= flag, in no fixed order, and
# swiftc keeps only the last: one build got coverage and no AddressSanitizer in the Swift code,
# the next AddressSanitizer and no coverage. -Xswiftc -sanitize=fuzzer,address comes last and
# gives both; --sanitize still sets the C flags and the link.
flags=(-c "$configuration" --scratch-path "$scratch" --disable-default-traits
       --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
start=$(date +%s)
MINNOW_FUZZ=1 swift build "${flags[@]}" --product MinnowFuzz 2>&1 | grep -v "ld.gold: warning: Cannot export local symbol" >&2
binary=$(MINNOW_FUZZ=1 swift build "${flags[@]}" --show-bin-path)/MinnowFuzz
echo "fuzz: built $binary in $(( $(date +%s) - start )) s" >&2

# The Swift code must be instrumented: without it libFuzzer sees only the C kernels' few
# thousand counters and fuzzes blind.
counters=$(MINNOW_FUZZ_TARGET=jsonl ASAN_OPTIONS=detect_leaks=0 "$binary" -runs=0 2>&1 | sed -n 's/.*(\([0-9]*\) inline 8-bit counters).*/\1/p' | head -1)
if [ "${counters:-0}" -lt 20000 ]; then
  echo "fuzz: only ${counters:-0} coverage counters in $binary: the Swift code is not instrumented" >&2
  exit 1
fi

status=0
for target in "${targets[@]}"; do
  [ -d "Fuzz/Corpus/$target" ] || { echo "fuzz: no corpus Fuzz/Corpus/$target" >&2; exit 2; }
  work="$scratch/corpus/$target"; artifacts="$scratch/artifacts/$target/"
  mkdir -p "$work" "$artifacts"
  log="$scratch/$target.log"
  # -timeout: one input may take at most 10 s (a hang is a bug); -rss_limit_mb: 2 GiB.
  # Leaks are not checked: the loaded vocabularies live for the whole process.
  set +e
  MINNOW_FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$binary" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$work" "Fuzz/Corpus/$target" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.*corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
  if [ $rc -eq 0 ]; then
    echo "fuzz $target: ok, ${runs:-?} executions in ${seconds} s, coverage ${cov:-?} edges, ${ft:-?} features, corpus ${corp:-?}"
  else
    status=1
    echo "fuzz $target: FAILED (exit $rc) after ${runs:-?} executions; log $log; artifacts $artifacts" >&2
    grep -E 'ERROR|Fatal error|SUMMARY|Test unit written|precondition' "$log" | head -20 >&2 || true
  fi
done
exit $status
