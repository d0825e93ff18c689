#!/usr/bin/env bash
# Measures the stack used by lce's main entry points on this (x86-64) host, by stack painting:
# each entry point runs on a stack of its own that was filled with a pattern, and the deepest
# overwritten byte gives the bytes used. Prints a Markdown table and fails when an entry point
# uses more than the limit (first argument, default 16384 bytes).
#
# Usage: probes/stack.sh [LIMIT_BYTES]   (CARGO_TARGET_DIR is honoured; default: <repo>/target)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
limit="${1:-16384}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"

if [[ "$(uname -m)" != x86_64 ]]; then
    echo "stack: stack painting is implemented for x86-64 hosts; skipped on $(uname -m)"
    exit 0
fi

cd "$here/stack"
cargo build --release -j "${STACK_JOBS:-1}" --quiet
"$CARGO_TARGET_DIR/release/lce-stack" "$limit"
