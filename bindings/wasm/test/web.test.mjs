// The web build (an ES module with an init function), loaded in Node.js from its bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, health, evalCases } from "../pkg/web/lce_wasm.js";

test("the web build answers as the Node.js build", () => {
  initSync({ module: readFileSync(new URL("../pkg/web/lce_wasm_bg.wasm", import.meta.url)) });
  const usd = { price: "1", init_asset_weight: "1", maint_asset_weight: "1", init_liab_weight: "1", maint_liab_weight: "1" };
  const h = health({ tokens: [usd], account: [{ token: 0, balance: "-1" }] });
  assert.equal(h.maintenance.value, "-1");
  assert.equal(evalCases([{ op: "sqrt", input: { x: "2" } }])[0].output.y, "1.414213562373095048");
});
