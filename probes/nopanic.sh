#!/usr/bin/env bash
# Proves at link time that no panic path of lce's kernel survives optimisation.
#
# Builds probes/nopanic (a no_std, no_main binary for thumbv7em-none-eabihf whose panic handler
# calls a function that exists nowhere) with fat LTO, one codegen unit and panic=abort, at
# opt-level 3, "s" and "z", and for riscv32imac-unknown-none-elf at opt-level 3. It links only if no call to the panic machinery is left anywhere in
# the code reachable from the probes, which call every public kernel entry point on opaque
# inputs. Then it checks that every probe is in the binary, and that the test can fail: with a
# deliberate `panic!` or out-of-sight `[i]` in one more probe, the link must fail.
#
# On a failure it relinks with a defined panic handler and lists which functions still call
# into core's panic machinery (probes/locate-panics.sh).
#
# Usage: probes/nopanic.sh        (CARGO_TARGET_DIR is honoured; default: <repo>/target)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
target=thumbv7em-none-eabihf
# (target, profile) pairs that must link.
builds=("$target release" "$target release-s" "$target release-z" "riscv32imac-unknown-none-elf release")
missing_symbol=lce_nopanic_a_panic_path_survived
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
jobs=(-j "${NOPANIC_JOBS:-1}")

for t in "$target" riscv32imac-unknown-none-elf; do
    if ! rustup target list --installed | grep -qx "$t"; then
        rustup target add "$t"
    fi
done

cd "$here/nopanic"

# The probes the binary must contain: every `lce_probe_*` named in PROBES, bar the deliberate ones.
mapfile -t probes < <(grep -oh 'fn lce_probe_[a-z0-9_]*' src/*.rs | sed 's/^fn //' | grep -v deliberate | sort -u)
if (( ${#probes[@]} < 20 )); then
    echo "nopanic: found only ${#probes[@]} probes in probes/nopanic/src" >&2
    exit 1
fi

profile_dir() {
    if [[ "$1" == release ]]; then echo release; else echo "$1"; fi
}

symbols() {
    if command -v llvm-nm >/dev/null; then
        llvm-nm "$1" | awk '{ print $NF }'
    else
        # The symbol table's strings are in the unstripped binary.
        grep -aoh 'lce_probe_[a-z0-9_]*' "$1"
    fi
}

for build in "${builds[@]}"; do
    read -r tgt profile <<<"$build"
    log="$(mktemp)"
    if ! cargo build --profile "$profile" --target "$tgt" "${jobs[@]}" >"$log" 2>&1; then
        cat "$log" >&2
        if grep -q "$missing_symbol" "$log"; then
            echo "nopanic: FAILED on $tgt at profile $profile: a panic path survives. Callers of the panic machinery:" >&2
            cargo build --profile "$profile" --target "$tgt" "${jobs[@]}" --features locate >/dev/null 2>&1 &&
                "$here/locate-panics.sh" "$CARGO_TARGET_DIR/$tgt/$(profile_dir "$profile")/lce-nopanic" >&2 || true
        fi
        rm -f "$log"
        exit 1
    fi
    rm -f "$log"
    bin="$CARGO_TARGET_DIR/$tgt/$(profile_dir "$profile")/lce-nopanic"
    present="$(symbols "$bin" | sort -u)"
    for p in "${probes[@]}"; do
        if ! grep -qx "$p" <<<"$present"; then
            echo "nopanic: probe $p is missing from the $tgt $profile binary: the proof would be vacuous" >&2
            exit 1
        fi
    done
    echo "nopanic: $tgt $profile ($(grep -E '^opt-level' -m1 <(awk -v p="[profile.$profile]" '$0==p{f=1;next} /^\[/{f=0} f' Cargo.toml) || echo 'opt-level = 3')): links, ${#probes[@]} probes, no panic path"
done

# The proof can fail: a deliberate panic in one more probe must break the link.
for feature in deliberate-panic deliberate-index; do
    log="$(mktemp)"
    if cargo build --release --target "$target" "${jobs[@]}" --features "$feature" >"$log" 2>&1; then
        rm -f "$log"
        echo "nopanic: FAILED: the build with '$feature' linked, so the test cannot detect a panic" >&2
        exit 1
    fi
    if ! grep -q "undefined symbol: $missing_symbol" "$log"; then
        cat "$log" >&2
        rm -f "$log"
        echo "nopanic: FAILED: the build with '$feature' failed for another reason than the panic" >&2
        exit 1
    fi
    rm -f "$log"
    echo "nopanic: self-test: with '$feature' the link fails as it must"
done

echo "nopanic: OK (no panic path in lce's public kernel: ${#probes[@]} probes, $target at opt-level 3/s/z, riscv32imac at 3)"
