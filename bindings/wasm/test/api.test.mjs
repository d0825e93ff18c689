// The typed API on Node.js: exact strings, bigint raw units, errors with kind, what and why,
// sessions, markets and batches, the cascade, the generated TypeScript declarations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const lce = createRequire(import.meta.url)("../pkg/node/lce_wasm.js");
const vectors = new URL("../../../vectors/", import.meta.url);
const cases = (rel) => readFileSync(new URL(rel, vectors), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));

const ETH = { price: "2500", init_asset_weight: "0.75", maint_asset_weight: "0.8", init_liab_weight: "1", maint_liab_weight: "1" };
const USD = { price: "1", init_asset_weight: "1", maint_asset_weight: "1", init_liab_weight: "1", maint_liab_weight: "1" };

function throwsLce(f, kind, what) {
  assert.throws(f, (e) => {
    assert.equal(e.name, "LceError");
    assert.equal(e.kind, kind);
    if (what !== undefined) assert.equal(e.what, what);
    return true;
  });
}

test("health is exact, amounts as strings or bigint raw units", () => {
  const h = lce.health({ tokens: [ETH, USD], account: [{ token: 0, balance: "4" }, { token: 1, balance: -6000n * 10n ** 18n }] });
  assert.equal(h.maintenance.factor, "1.333333333333333333");
  assert.equal(h.liquidatable, false);
  assert.deepEqual(h.liquidation_prices[0], { kind: "below", price: "1875" });
  assert.equal(lce.toRaw(h.maintenance.factor), 1333333333333333333n);
  assert.equal(lce.fromRaw(-1n), "-0.000000000000000001");
});

test("every health and liquidate vector through the typed functions", () => {
  for (const [rel, f] of [["risk/health.jsonl", lce.health], ["risk/liquidate.jsonl", lce.liquidate],
    ["options/bs_greeks.jsonl", lce.bsGreeks], ["margin/dynamic_margin.jsonl", lce.dynamicMargin],
    ["risk/liquidator_decision.jsonl", lce.liquidatorDecision]]) {
    for (const c of cases(rel)) {
      let out;
      try {
        out = f(c.input);
      } catch (e) {
        if (e instanceof TypeError) continue; // a number where the kernel takes an exact decimal
        assert.ok(c.expect.error, `${rel}: ${JSON.stringify(c.input)} threw ${e}`);
        assert.equal(e.kind, c.expect.error.kind);
        if (c.expect.error.what) assert.equal(e.what, c.expect.error.what);
        if (c.expect.error.why) assert.equal(e.why, c.expect.error.why);
        continue;
      }
      assert.deepEqual(out, c.expect, `${rel}: ${JSON.stringify(c.input)}`);
    }
  }
  const price = cases("options/bs_price.jsonl").find((c) => !c.expect.error);
  assert.equal(lce.bsPrice(price.input), price.expect.price);
});

test("errors are LceErrors with kind, what and why; fractions are refused", () => {
  throwsLce(() => lce.health({ tokens: [ETH, { ...USD, price: "0" }], account: [] }), "invalid", "tokens[1].price");
  throwsLce(() => lce.op("ln", { x: "0" }), "domain", "x");
  throwsLce(() => lce.op("div", { a: "1", b: "0" }), "division_by_zero");
  throwsLce(() => lce.op("mul", { a: "170141183460469231731", b: "2" }), "overflow");
  assert.throws(() => lce.health({ tokens: [ETH], account: [{ token: 0, balance: 1.5 }] }), TypeError);
  const [a] = lce.evalCases([{ op: "health", input: { tokens: "nowhere", account: [] } }]);
  assert.equal(a.error.what, "tokens");
  assert.match(a.error.why, /nowhere/);
});

test("a session keeps its definitions; evalCases answers as lce eval", () => {
  const s = new lce.Session();
  s.define("mainnet", [ETH, USD]);
  const [a] = s.eval([{ op: "health", input: { tokens: "mainnet", account: [{ token: 0, balance: "1" }] } }]);
  assert.equal(a.output.maintenance.assets, "2000");
  assert.deepEqual(lce.evalCases([{ op: "mul", input: { a: "1.5", b: "2" } }]),
    [{ op: "mul", input: { a: "1.5", b: "2" }, output: { y: "3" } }]);
  assert.deepEqual(lce.evalCases([{ op: "exp", input: { x: 1.5 } }])[0].error,
    { kind: "invalid", what: "x", why: "must be a decimal string, not a JSON number" });
});

test("a market: health, healthMany and healthBatch agree", () => {
  const m = new lce.Market([ETH, USD]);
  const rows = Array.from({ length: 50 }, (_, i) => [`${1 + (i % 7)}.5`, `-${1000 + 37 * i}`]);
  const many = m.healthMany(rows.map((r) => [{ token: 0, balance: r[0] }, { token: 1, balance: r[1] }]));
  const batch = m.healthBatch(rows);
  assert.deepEqual(batch.liquidatable, many.map((h) => h.liquidatable));
  assert.deepEqual(batch.maintenance.factor, many.map((h) => h.maintenance.factor));
  assert.deepEqual(m.health([{ token: 0, balance: rows[3][0] }, { token: 1, balance: rows[3][1] }]), many[3]);
  throwsLce(() => m.healthMany([[], [{ token: 5, balance: "1" }]]), "invalid", "accounts[1].account[0].token");
  const liq = m.liquidate({ account: [{ token: 0, balance: "1" }, { token: 1, balance: "-2400" }],
    liquidation: { kind: "token", liability: 1, collateral: 0 } });
  assert.equal(typeof liq.repay, "string");
});

test("run plays the bundled scenario", () => {
  const report = lce.run();
  for (const key of ["scenario", "summary", "venues", "liquidators", "blocks"]) assert.ok(key in report, key);
  assert.equal(typeof report.blocks[0].market, "string");
});

test("the TypeScript declarations are typed", () => {
  const dts = readFileSync(new URL("../pkg/node/lce_wasm.d.ts", import.meta.url), "utf8");
  for (const line of [
    "export function health(input: HealthInput): HealthOutput;",
    "export function bsPrice(input: BsInput): Decimal;",
    "export function evalCases(cases: Case[]): Answer[];",
    "export interface LceError extends Error",
    "health(account: Position[]): HealthOutput;",
  ]) assert.ok(dts.includes(line), line);
});

test("a study: the outcome of lce study --json, and errors with field", () => {
  const scenario = JSON.parse(readFileSync(new URL("studies/depeg_small.json", vectors), "utf8"));
  const outcome = lce.study({ scenario, paths: 2, variants: { calm: { "behaviour.panic": "0" } } });
  assert.deepEqual(outcome.cells.map((c) => c.variant), [null, "calm"]);
  assert.equal(outcome.paths, 2);
  assert.equal(typeof outcome.cells[0].metrics.insolvency.es99, "string");
  assert.throws(() => lce.study({ scenario, paths: 0 }), (e) => {
    assert.deepEqual([e.name, e.kind, e.what, e.why, e.field], ["LceError", "invalid", "paths", "a study runs at least one path", undefined]);
    return true;
  });
  assert.throws(() => lce.study({ scenario: "depeg_small.json", paths: 1 }), (e) => {
    assert.deepEqual([e.kind, e.what, e.field], ["invalid", "scenario", "depeg_small.json"]);
    return true;
  });
});
