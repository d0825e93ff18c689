// Runs a wasm32-wasip1 program (a test binary) under Node.js's WASI, as cargo's runner:
//   CARGO_TARGET_WASM32_WASIP1_RUNNER="node --no-warnings .ci/wasi-run.mjs" cargo test --target wasm32-wasip1
// cargo calls it as `wasi-run.mjs <program.wasm> <args...>`.
//
// The repository is preopened at its own absolute path, so the tests' paths built from
// env!("CARGO_MANIFEST_DIR") (e.g. `<repo>/vectors/...`) resolve unchanged inside the guest;
// the system's temporary directory is preopened too (as itself and as /tmp). The guest's
// environment is the host's, and its exit code is this process's.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';

const [program, ...args] = process.argv.slice(2);
if (!program) {
  console.error('usage: wasi-run.mjs <program.wasm> [args...]');
  process.exit(2);
}

// The repository: LCE_WASI_ROOT if given, else the parent of this script's folder.
const root = resolve(process.env.LCE_WASI_ROOT ?? dirname(dirname(fileURLToPath(import.meta.url))));
// The guest's working directory is always `/` (WASI has none of its own): the repository is
// preopened as `/` too, so that relative paths, and proptest's search for the test's source
// file (to replay tests/*.proptest-regressions), resolve in the repository as they do on the host.
const preopens = { '/': root, [root]: root, [tmpdir()]: tmpdir(), '/tmp': tmpdir() };

const wasi = new WASI({
  version: 'preview1',
  args: [program, ...args],
  env: { ...process.env, PWD: '/' },
  preopens,
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(program));
// (`wasiImport` rather than `getImportObject()`, which older Node versions lack.)
const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
try {
  process.exitCode = wasi.start(instance);
} catch (e) {
  // A Rust panic on wasm32-wasip1 aborts (panic = "abort"): the guest traps at `unreachable`.
  if (!(e instanceof WebAssembly.RuntimeError)) throw e;
  console.error(`wasi-run: ${program} trapped (${e.message}): a panic aborts on wasm32-wasip1`);
  process.exitCode = 134;
}
