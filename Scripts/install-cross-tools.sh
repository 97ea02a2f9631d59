#!/usr/bin/env bash
# Installs (as root, non-interactively; idempotent) the Debian/Ubuntu packages that
# `Scripts/check-c-kernels.sh --aarch64` needs to cross-compile the C kernel harness for aarch64
# Linux and run it under QEMU user-mode emulation:
#   libc6-dev-arm64-cross      aarch64 glibc headers, crt files and libc.a (/usr/aarch64-linux-gnu)
#   libgcc-N-dev-arm64-cross   crtbeginT.o, libgcc.a, libgcc_eh.a for static linking (N = 12 on Debian 12)
#   qemu-user                  qemu-aarch64
#   lld                        ld.lld (clang -fuse-ld=lld); Swift's toolchain also ships one
#   clang                      only when no clang is on PATH (Swift's toolchain has one)
# Set LIBGCC_CROSS to force the libgcc package name.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then exec sudo -E "$0" "$@"; fi
    echo "install-cross-tools: run as root" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq

libgcc=${LIBGCC_CROSS:-}
if [[ -z $libgcc ]]; then
    if apt-cache show libgcc-12-dev-arm64-cross >/dev/null 2>&1; then
        libgcc=libgcc-12-dev-arm64-cross
    else
        # Other releases: the newest libgcc-N-dev-arm64-cross the archive has.
        libgcc=$(apt-cache pkgnames libgcc- | grep -E '^libgcc-[0-9]+-dev-arm64-cross$' | sort -t- -k2,2n | tail -n 1 || true)
        if [[ -z $libgcc ]]; then
            echo "install-cross-tools: no libgcc-N-dev-arm64-cross package found" >&2
            exit 1
        fi
    fi
fi

packages=(libc6-dev-arm64-cross "$libgcc" qemu-user lld)
command -v clang >/dev/null 2>&1 || packages+=(clang)

apt-get install -y -qq --no-install-recommends "${packages[@]}"
echo "install-cross-tools: installed ${packages[*]}"
