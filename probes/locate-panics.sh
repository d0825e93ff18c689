#!/usr/bin/env bash
# Lists the functions of a linked probe binary that call into core's panic machinery, with the
# panic function each calls. Usage: locate-panics.sh BINARY
set -euo pipefail
bin="$1"
objdump="$(command -v llvm-objdump || true)"
if [[ -z "$objdump" ]]; then
    objdump="$(find "$(rustc --print sysroot)" -name 'llvm-objdump' -type f | head -n 1)"
fi
if [[ -z "$objdump" ]]; then
    echo "locate-panics: llvm-objdump not found (apt-get install llvm, or rustup component add llvm-tools)" >&2
    exit 2
fi
"$objdump" -d --no-show-raw-insn -C "$bin" | awk '
    /^[0-9a-f]+ <.*>:$/ { fn = $0; sub(/^[0-9a-f]+ </, "", fn); sub(/>:$/, "", fn); next }
    /<core::panicking::|<core::slice::index::|<core::str::slice_error|<core::option::unwrap_failed|<core::result::unwrap_failed|<core::option::expect_failed|<core::cell::panic/ {
        callee = $0; sub(/.*</, "", callee); sub(/>.*/, "", callee); sub(/\+0x[0-9a-f]+$/, "", callee)
        if (fn !~ /^core::/ ) print fn "  ->  " callee
    }' | sort | uniq -c | sort -rn
