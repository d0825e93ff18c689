// The README's example runs (against the Node.js build).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

test("the README example runs", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const block = readme.match(/```js\n([\s\S]*?)```/);
  assert.ok(block, "no js example");
  assert.ok(block[1].trim().split("\n").length <= 12);
  const pkg = fileURLToPath(new URL("../pkg/node/lce_wasm.js", import.meta.url));
  const code = block[1].replace('require("lce-kernel")', `require(${JSON.stringify(pkg)})`);
  execFileSync(process.execPath, ["-e", code], { stdio: "inherit" });
});
