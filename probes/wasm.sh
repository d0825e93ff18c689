#!/usr/bin/env bash
# What an on-chain program pays for lce: code size and metered cost of its main entry points.
#
# Builds each program of probes/wasm (one entry point each, lce with default features off; the
# same formulas in fixed::I80F48 beside them) for wasm32-unknown-unknown with opt-level "z",
# fat LTO, panic = "abort", one codegen unit, stripped — a user's on-chain build — then measures
# each (probes/wasm/meter): bytes raw, gzip -9 and brotli 11, and the wasmi fuel of one call.
#
# Fails when health of a token account is above 8 KiB, when a token liquidation (health, plan
# and apply) is above 24 KiB brotli-compressed (Arbitrum Stylus's limit), or when a count rises
# more than 10 % above the one held in probes/wasm/costs.txt. `--bless` rewrites costs.txt.
#
# Usage: probes/wasm.sh [--bless]   (CARGO_TARGET_DIR is honoured; default: <repo>/target)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}/wasm-probes"
jobs="${WASM_JOBS:-1}"
target=wasm32-unknown-unknown
out="$CARGO_TARGET_DIR/programs"

rustup target list --installed | grep -qx "$target" || rustup target add "$target"
mkdir -p "$out"
cd "$here/wasm"

build() { # package feature name export-prefix
    cargo build --quiet --locked -j "$jobs" --profile wasm --target "$target" -p "$1" --features "$2"
    cp "$CARGO_TARGET_DIR/$target/wasm/${1//-/_}.wasm" "$out/$3.wasm"
}
for feature in setup health liquidation health-options decide exp ln norm-cdf black-scholes; do
    build lce-wasm "$feature" "$feature"
done
for feature in health liquidation; do
    build lce-wasm-i80f48 "$feature" "i80f48-$feature"
done

cargo build --quiet --locked -j "$jobs" --release -p lce-wasm-meter
"$CARGO_TARGET_DIR/release/lce-wasm-meter" "$out" "$here/wasm/costs.txt" "$@"
