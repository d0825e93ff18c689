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

// An integer literal beyond 2^53 (a 64-bit seed), which JSON.parse rounds: such a case goes
// through Session.evalLine (the text itself) only.
const bigInteger = (line) => /[:[,]\s*-?\d{16,}/.test(line);

for (const path of all) {
  test(`vectors/${relative(vectors, path)}: Session.evalLine`, () => {
    const session = new lce.Session();
    const failures = [];
    readFileSync(path, "utf8").split("\n").filter((l) => l.trim()).forEach((line, i) => {
      const why = check(JSON.parse(session.evalLine(line)), JSON.parse(line).expect);
      if (why) failures.push(`${i + 1}: ${why}`);
    });
    assert.deepEqual(failures.slice(0, 10), []);
  });
  test(`vectors/${relative(vectors, path)}: evalCases`, () => {
    const lines = readFileSync(path, "utf8").split("\n").filter((l) => l.trim() && !bigInteger(l));
    const cases = lines.map((l) => JSON.parse(l));
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
