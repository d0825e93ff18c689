#!/usr/bin/env bash
# The C binding's tests: the header is what cbindgen generates; tests/test.c and the README's
# example compile with the system cc against liblce_c.a and pass; every golden vector line
# answered through lce_eval is byte for byte what `lce eval` answers.
# Environment: LCE (the lce binary; default target/release/lce, built when missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
build="$target/lce-c-tests"
mkdir -p "$build"

echo "lce.h is up to date"
cbindgen --quiet --config "$here/cbindgen.toml" --output "$build/lce.h" "$here"
diff -u "$here/lce.h" "$build/lce.h"

cargo build --quiet --release -p lce-c --manifest-path "$root/Cargo.toml"
lib="$target/release/liblce_c.a"
flags=(-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -I "$here")
libs=("$lib" -lpthread -ldl -lm)

cc "${flags[@]}" "$here/tests/test.c" "${libs[@]}" -o "$build/test"
"$build/test"

echo "the README example"
awk '/^```c$/{on=1; next} /^```$/{on=0} on' "$here/README.md" > "$build/readme.c"
cc "${flags[@]}" "$build/readme.c" "${libs[@]}" -o "$build/readme"
"$build/readme" | tee "$build/readme.out"
grep -qx "health factor 1.333333333333333333" "$build/readme.out"

echo "every golden vector through lce_eval, as lce eval answers it"
cc "${flags[@]}" "$here/tests/eval_lines.c" "${libs[@]}" -o "$build/eval_lines"
lce=${LCE:-$target/release/lce}
[[ -x $lce ]] || cargo build --quiet --release --features cli --bin lce --manifest-path "$root/Cargo.toml"
mapfile -t files < <(find "$root/vectors" -name '*.jsonl' | sort)
cat "${files[@]}" | "$build/eval_lines" > "$build/c.out"
cat "${files[@]}" | "$lce" eval > "$build/cli.out"
cmp "$build/c.out" "$build/cli.out"
echo "$(wc -l < "$build/c.out") vector lines: the same answers"
