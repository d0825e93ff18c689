#!/usr/bin/env bash
# The stack used by lce's main entry points, two ways:
#
# 1. Measured on this x86-64 host by stack painting (probes/stack): each entry point runs, over
#    every input of its case, on a stack of its own that was filled with a pattern; the
#    deepest overwritten byte gives the bytes used.
# 2. A static worst case on thumbv7em-none-eabihf, over every path whatever the input (the
#    deepest Ziv level included): probes/nopanic built with nightly's -Z emit-stack-sizes,
#    frames summed along the call graph of its disassembly (probes/callgraph.py), one root per
#    kernel entry point (probes/nopanic/src/kernel.rs).
#
# 3. Frames: the largest stack frame of any kernel function on thumbv7em and riscv32imac
#    (probes/frames.py, from the same -Z emit-stack-sizes builds).
#
# Prints Markdown tables and fails when an entry point needs more than the limit (first
# argument, default 16384 bytes), when the static bound is incomplete (an indirect call or a
# recursion in the kernel), or when a kernel function's frame is above 4 KiB (FRAME_LIMIT;
# the simulation's own frames aside). A part whose tools are missing is reported as SKIPPED.
#
# Usage: probes/stack.sh [LIMIT_BYTES]   (CARGO_TARGET_DIR is honoured; default: <repo>/target)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
limit="${1:-16384}"
frame_limit="${FRAME_LIMIT:-4096}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
jobs="${STACK_JOBS:-1}"
target=thumbv7em-none-eabihf
status=0

echo "## Host (x86-64), measured by stack painting"
echo
if [[ "$(uname -m)" == x86_64 ]]; then
    (cd "$here/stack" && cargo build --release -j "$jobs" --quiet)
    "$CARGO_TARGET_DIR/release/lce-stack" "$limit" || status=1
else
    echo "SKIPPED: stack painting is implemented for x86-64 hosts only (this is $(uname -m))"
fi

echo
echo "## $target, static worst case"
echo
missing=()
for tool in llvm-readelf llvm-objdump llvm-cxxfilt python3; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if ! rustup toolchain list | grep -q '^nightly'; then
    missing+=("a nightly toolchain (for -Z emit-stack-sizes)")
fi
if (( ${#missing[@]} )); then
    echo "SKIPPED: missing ${missing[*]}"
else
    if ! rustup +nightly target list --installed | grep -qx "$target"; then
        rustup +nightly target add "$target" || true
    fi
fi
if (( ${#missing[@]} )); then
    :
elif ! rustup +nightly target list --installed | grep -qx "$target"; then
    echo "SKIPPED: this nightly has no $target standard library to download"
else
    dir="$CARGO_TARGET_DIR/stack-sizes"
    (cd "$here/nopanic" &&
        RUSTFLAGS="-Z emit-stack-sizes" CARGO_TARGET_DIR="$dir" \
            cargo +nightly build --release --target "$target" -j "$jobs" --quiet)
    python3 "$here/callgraph.py" "$dir/$target/release/lce-nopanic" "$limit" || status=1

    # 3. Frames: no kernel function's own frame above Solana's 4 KiB, on thumbv7em and on
    #    riscv32imac (the same probes, each function's .stack_sizes entry).
    echo
    echo "## Frames (a kernel function's own stack frame; Solana allows 4 KiB)"
    echo
    python3 "$here/frames.py" "$dir/$target/release/lce-nopanic" "$target" "$frame_limit" || status=1
    riscv=riscv32imac-unknown-none-elf
    rustup +nightly target list --installed | grep -qx "$riscv" || rustup +nightly target add "$riscv" || true
    if rustup +nightly target list --installed | grep -qx "$riscv"; then
        (cd "$here/nopanic" &&
            RUSTFLAGS="-Z emit-stack-sizes" CARGO_TARGET_DIR="$dir" \
                cargo +nightly build --release --target "$riscv" -j "$jobs" --quiet)
        echo
        python3 "$here/frames.py" "$dir/$riscv/release/lce-nopanic" "$riscv" "$frame_limit" || status=1
    else
        echo "SKIPPED: this nightly has no $riscv standard library to download"
    fi
fi
exit "$status"
