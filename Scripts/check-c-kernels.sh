#!/usr/bin/env bash
# Builds the standalone C kernel harness (Tests/CKernelCheck) with every Sources/MinnowCPUKernels/*.c
# and runs it. Arguments go to the harness (--bench: single-thread throughput instead of checks).
# CC (default clang) and CFLAGS_EXTRA may be set in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."

CC=${CC:-clang}

# compile_harness OUTPUT [EXTRA FLAGS...]: one place for the compile step, so other modes
# (cross-compiling, sanitizers) only add flags.
compile_harness() {
    local output=$1
    shift
    # shellcheck disable=SC2086
    "$CC" -O2 -std=c11 -Wall -Wextra -I Sources/MinnowCPUKernels/include "$@" ${CFLAGS_EXTRA:-} \
        Tests/CKernelCheck/check.c Tests/CKernelCheck/reference.c Sources/MinnowCPUKernels/*.c \
        -o "$output" -lm
}

# ---- BEGIN --aarch64 mode (owner: NEON variant; the native part above/below is the harness's) ----
# Scripts/check-c-kernels.sh --aarch64 [--bench]: cross-compiles the harness for aarch64 Linux
# (clang --target=aarch64-linux-gnu, static, against Debian's cross libc) and runs it under
# qemu-aarch64: once with -cpu max (dotprod + i8mm: the NEON variant must be checked and pass) and
# once with a CPU lacking dotprod (default cortex-a53: the harness must report neon skipped, which
# proves run-time detection). Also compiles the NEON sources for arm64-apple-macos14 (-c only).
# Needs the packages Scripts/install-cross-tools.sh installs. AARCH64_CC (default clang),
# AARCH64_QEMU_CPU (default max), AARCH64_QEMU_CPU_NODOT (default cortex-a53) may be set.
aarch64_missing_packages() {
    local cc=$1 missing=()
    command -v "$cc" >/dev/null 2>&1 || missing+=("clang")
    [[ -f /usr/aarch64-linux-gnu/include/stdio.h && -f /usr/aarch64-linux-gnu/lib/libc.a ]] ||
        missing+=("libc6-dev-arm64-cross")
    compgen -G "/usr/lib/gcc-cross/aarch64-linux-gnu/*/libgcc.a" >/dev/null ||
        missing+=("libgcc-12-dev-arm64-cross")
    command -v qemu-aarch64 >/dev/null 2>&1 || missing+=("qemu-user")
    if [[ $(aarch64_linker_flag "$cc") == none ]]; then missing+=("lld"); fi
    echo "${missing[@]:-}"
}

# -fuse-ld=lld when clang can find ld.lld (Swift's toolchain ships one), nothing when the GNU
# cross linker aarch64-linux-gnu-ld is there, "none" when neither is.
aarch64_linker_flag() {
    local cc=$1 lld
    lld=$("$cc" -print-prog-name=ld.lld 2>/dev/null || true)
    if [[ $lld == */* && -x $lld ]] || command -v ld.lld >/dev/null 2>&1; then
        echo "-fuse-ld=lld"
    elif command -v aarch64-linux-gnu-ld >/dev/null 2>&1; then
        echo ""
    else
        echo none
    fi
}

run_aarch64() {
    local cc=${AARCH64_CC:-clang} cpu=${AARCH64_QEMU_CPU:-max} nodot=${AARCH64_QEMU_CPU_NODOT:-cortex-a53}
    local missing
    missing=$(aarch64_missing_packages "$cc")
    if [[ -n ${missing// /} ]]; then
        echo "check-c-kernels --aarch64: missing Debian packages: $missing" >&2
        echo "  install them with: sudo Scripts/install-cross-tools.sh   (or apt-get install -y $missing)" >&2
        return 2
    fi
    local dir linker
    dir=$(mktemp -d)
    # shellcheck disable=SC2064
    trap "rm -rf '$dir'" EXIT
    linker=$(aarch64_linker_flag "$cc")

    echo "== compile NEON sources for arm64-apple-macos14 (-c only)"
    local f
    for f in Sources/MinnowCPUKernels/neon_*.c; do
        [[ -e $f ]] || continue
        "$cc" --target=arm64-apple-macos14 -ffreestanding -O2 -std=c11 -Wall -Wextra -Werror \
            -I Sources/MinnowCPUKernels/include -c "$f" -o "$dir/$(basename "$f").o"
    done

    echo "== cross-compile harness: $cc --target=aarch64-linux-gnu -static $linker"
    # shellcheck disable=SC2086
    CC=$cc compile_harness "$dir/check-c-kernels" --target=aarch64-linux-gnu -static $linker

    if [[ ${1:-} == --bench ]]; then
        echo "== qemu-aarch64 -cpu $cpu (timings under emulation are a sanity check only)"
        qemu-aarch64 -cpu "$cpu" "$dir/check-c-kernels" "$@"
        return
    fi

    local log status=0
    echo "== qemu-aarch64 -cpu $cpu"
    log=$(qemu-aarch64 -cpu "$cpu" "$dir/check-c-kernels" "$@") || status=$?
    echo "$log"
    if [[ $status -ne 0 ]]; then
        echo "FAIL: harness under -cpu $cpu exited $status" >&2
        return 1
    fi
    if ! grep -q '^PASS neon' <<<"$log"; then
        echo "FAIL: under -cpu $cpu no NEON kernel was checked (dotprod not detected?)" >&2
        return 1
    fi

    echo "== qemu-aarch64 -cpu $nodot (no dotprod: the NEON variant must be skipped)"
    status=0
    log=$(qemu-aarch64 -cpu "$nodot" "$dir/check-c-kernels" "$@") || status=$?
    echo "$log"
    if [[ $status -ne 0 ]]; then
        echo "FAIL: harness under -cpu $nodot exited $status" >&2
        return 1
    fi
    if ! grep -q '^skip neon: CPU lacks' <<<"$log"; then
        echo "FAIL: under -cpu $nodot the NEON variant was not reported skipped" >&2
        return 1
    fi
    echo "aarch64: OK (NEON checked under -cpu $cpu, skipped under -cpu $nodot)"
}

if [[ ${1:-} == --aarch64 ]]; then
    shift
    run_aarch64 "$@"
    exit $?
fi
# ---- END --aarch64 mode ----

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT

compile_harness "$workdir/check-c-kernels"
"$workdir/check-c-kernels" "$@"
