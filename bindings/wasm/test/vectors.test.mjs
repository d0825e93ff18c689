// Every golden vector file through evalCases (one call per file: one stream), each answer
// compared with the case's `expect` as src/eval/check.rs does.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createRequire } from "node:module";
import { check } from "./check.mjs";

const lce = createRequire(import.meta.url)("../pkg/node/lce_wasm.js");
const vectors = new URL("../../../vectors", import.meta.url).pathname;

function files(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return name.endsWith(".jsonl") ? [path] : [];
  });
}

const all = files(vectors);
test("there are vector files", () => assert.ok(all.length >= 30, `${all.length}`));

for (const path of all) {
  test(`vectors/${relative(vectors, path)}`, () => {
    const cases = readFileSync(path, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
    const answers = lce.evalCases(cases);
    assert.equal(answers.length, cases.length);
    const failures = [];
    cases.forEach((c, i) => {
      assert.deepEqual(answers[i].input, c.input);
      const why = check(answers[i], c.expect);
      if (why) failures.push(`${i + 1}: ${why}`);
    });
    assert.deepEqual(failures.slice(0, 10), []);
  });
}
