#!/usr/bin/env bash
# The CosmWasm example (examples/cosmwasm): lce inside a real runtime's contract.
#
# 1. Runs clippy on it, and its tests: the contract in cw-multi-test's simulated chain
#    (instantiate a market, open an account, query health, plan and apply liquidations,
#    figures worked by hand).
# 2. Builds it for wasm32-unknown-unknown with its release profile (opt-level "z", fat LTO,
#    panic = "abort", one codegen unit, stripped), checks that the module has the interface a
#    CosmWasm VM requires (probes/wasm/meter --cosmwasm: the entry points, allocate/deallocate,
#    interface_version_8, imports from `env` only), and optimises it with binaryen's
#    `wasm-opt -Oz` when installed.
# 3. Prints its size raw, gzip -9 and brotli 11, and fails above 800 KiB (wasmd's MaxWasmSize).
#
# The example is its own workspace with its own Cargo.lock; cargo fetches its crates.
# Usage: probes/cosmwasm.sh   (CARGO_TARGET_DIR is honoured; default: <repo>/target)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
base="${CARGO_TARGET_DIR:-$repo/target}"
jobs="${COSMWASM_JOBS:-2}"
target=wasm32-unknown-unknown
limit=$((800 * 1024))

rustup target list --installed | grep -qx "$target" || rustup target add "$target"

cd "$repo/examples/cosmwasm"
echo "## clippy and the tests (cw-multi-test)"
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
CARGO_TARGET_DIR="$base/cosmwasm" cargo clippy --locked -j "$jobs" --quiet --all-targets -- -D warnings
if ! tests=$(CARGO_TARGET_DIR="$base/cosmwasm" cargo test --locked -j "$jobs" 2>&1); then
    echo "$tests"
    echo "cosmwasm: the contract's tests failed" >&2
    exit 1
fi
grep -E "^test [a-z_]+ \.\.\. |^test result: ok\. [1-9]" <<<"$tests"

echo
echo "## the contract, built for $target"
CARGO_TARGET_DIR="$base/cosmwasm" cargo build --locked -j "$jobs" --quiet --release --lib --target "$target"
wasm="$base/cosmwasm/$target/release/lce_cosmwasm.wasm"

# The meter of probes/wasm checks the interface and measures the sizes.
(cd "$here/wasm" && CARGO_TARGET_DIR="$base/wasm-probes" cargo build --locked -j "$jobs" --quiet --release -p lce-wasm-meter)
meter="$base/wasm-probes/release/lce-wasm-meter"
"$meter" --cosmwasm "$wasm"

files=("$wasm")
if command -v wasm-opt >/dev/null; then
    optimised="$base/cosmwasm/lce_cosmwasm.opt.wasm"
    # The operators rustc emits for wasm32 (sign extension, bulk memory, …) are kept, not lowered.
    wasm-opt -Oz --enable-sign-ext --enable-bulk-memory --enable-mutable-globals \
        --enable-nontrapping-float-to-int --enable-multivalue --enable-reference-types \
        "$wasm" -o "$optimised"
    "$meter" --cosmwasm "$optimised" >/dev/null
    files+=("$optimised")
    echo "(optimised with $(wasm-opt --version))"
else
    echo "(wasm-opt not installed: the contract is not optimised further)"
fi

echo
echo "| contract | bytes | gzip -9 | brotli 11 |"
echo "|---|---:|---:|---:|"
"$meter" --sizes "${files[@]}"
for f in "${files[@]}"; do
    size=$(stat -c %s "$f")
    if ((size > limit)); then
        echo "cosmwasm: $f is $size bytes, above wasmd's MaxWasmSize of $limit" >&2
        exit 1
    fi
done
echo
echo "cosmwasm: OK (tests pass; the contract has CosmWasm's interface and is under $limit bytes)"
