#!/usr/bin/env bash
# Renders the two DocC catalogs (Minnow.docc, MinnowBackendSDK.docc) with the toolchain's `docc`
# and fails on any warning: a symbol link that no longer resolves, a broken article.
#
#   Scripts/check-docs.sh [-c debug|release] [OUTPUT_DIR]
#
# The symbol graphs come from `swift package dump-symbol-graph` (public symbols only). The SDK's
# module re-exports MinnowEngine's public declarations, so its own symbol graph is empty: the
# SDK catalog is rendered from MinnowEngine's graph under the SDK's module name, which is how an
# app that imports MinnowBackendSDK sees those symbols.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
configuration=release
if [ "${1:-}" = "-c" ]; then configuration="$2"; shift 2; fi
out="${1:-$(mktemp -d /tmp/minnow-docs.XXXXXX)}"
mkdir -p "$out"
docc=$(command -v docc || true)
[ -n "$docc" ] || docc="$(dirname "$(command -v swift)")/docc"
[ -x "$docc" ] || { echo "check-docs: no docc in the toolchain" >&2; exit 1; }

swift package -c "$configuration" dump-symbol-graph --minimum-access-level public >&2
graphs="$(swift build -c "$configuration" --show-bin-path)/../symbolgraph"
[ -d "$graphs" ] || graphs="$(dirname "$(swift build -c "$configuration" --show-bin-path)")/symbolgraph"
rm -rf "$out/minnow-graphs" "$out/sdk-graphs"
mkdir -p "$out/minnow-graphs" "$out/sdk-graphs"
cp "$graphs/Minnow.symbols.json" "$out/minnow-graphs/"
python3 - "$graphs/MinnowEngine.symbols.json" "$out/sdk-graphs/MinnowBackendSDK.symbols.json" <<'PY'
import json, sys
graph = json.load(open(sys.argv[1]))
graph["module"]["name"] = "MinnowBackendSDK"
json.dump(graph, open(sys.argv[2], "w"))
PY

status=0
render() { # catalog, graphs, name
  echo "check-docs: rendering $1" >&2
  "$docc" convert "$1" --additional-symbol-graph-dir "$2" --fallback-display-name "$3" \
    --fallback-bundle-identifier "dev.minnow.$3" --output-path "$out/$3.doccarchive" --warnings-as-errors >&2 || status=1
}
render Sources/Minnow/Minnow.docc "$out/minnow-graphs" Minnow
render Sources/MinnowBackendSDK/MinnowBackendSDK.docc "$out/sdk-graphs" MinnowBackendSDK
[ $status = 0 ] && echo "check-docs: both catalogs render without warnings ($out)" >&2
exit $status
