#!/bin/sh
# Builds the npm package: the wasm module (release) and its JavaScript and TypeScript bindings
# for Node.js (pkg/node, CommonJS) and the web (pkg/web, an ES module with an init function).
# Needs the wasm32-unknown-unknown target and wasm-bindgen-cli of the same version as the
# wasm-bindgen crate (Cargo.toml pins it): cargo install wasm-bindgen-cli --version 0.2.130
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
cargo build --release --target wasm32-unknown-unknown -p lce-wasm --manifest-path "$root/Cargo.toml"
wasm="$target/wasm32-unknown-unknown/release/lce_wasm.wasm"
rm -rf "$here/pkg"
wasm-bindgen --target nodejs --out-dir "$here/pkg/node" "$wasm"
wasm-bindgen --target web --out-dir "$here/pkg/web" "$wasm"
# The web build is an ES module; the package itself is CommonJS (the Node.js build).
printf '{ "type": "module" }\n' > "$here/pkg/web/package.json"
ls -l "$here/pkg/node/lce_wasm_bg.wasm"
