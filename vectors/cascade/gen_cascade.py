#!/usr/bin/env python3
"""Writes vectors/cascade/cascade.jsonl: cases of the `cascade` op.

Two small runs worked by hand (the arithmetic is in each case's note, and the expected report
is built here from those hand-worked numbers, not from lce's output), then one case per error
of vectors/scenarios/README.md §3: a valid base scenario with one field broken, and the `what`
that must name it.
"""
import copy
import json
from pathlib import Path

BASE = {
    "name": "tiny",
    "description": "one lending account, a constant price",
    "seed": 1,
    "max_blocks": 5,
    "path": {"kind": "constant", "price": "100"},
    "gas": {"base": "1"},
    "block_gas": "0",
    "market": {"model": "constant_product", "base": "1000", "quote": "100000"},
    "venues": [{
        "name": "L",
        "kind": "lending",
        "collateral": {"init_asset_weight": "0.75", "maint_asset_weight": "0.8",
                       "init_liab_weight": "1", "maint_liab_weight": "1"},
        "debt": {"init_asset_weight": "1", "maint_asset_weight": "1",
                 "init_liab_weight": "1", "maint_liab_weight": "1"},
        "oracle": {"deviation": "0.01", "heartbeat": 10, "latency": 0},
        "waterfall": {},
        "accounts": [{"collateral": "1", "debt": "10"}],
    }],
    "liquidators": [],
}

ZERO_WATERFALL = {"bad_debt": "0", "premium": "0", "insurance": "0", "socialized": "0",
                  "uncovered": "0", "haircut": "0"}


def summary(stop, **over):
    s = {"stop": stop, "blocks": 1, "start_price": "100", "equilibrium_price": "100",
         "low_price": "100", "max_drawdown": "0", "max_oracle_gap": "0", "liquidations": 0,
         "peak_liquidations": 0, "peak_block": 0, "repaid": "0", "liquidation_sold": "0",
         "liquidation_proceeds": "0", "slippage": "1", "trader_sold": "0", "bad_debt": "0",
         "underwater": "0", "liquidator_profit": "0", "skipped_unprofitable": 0,
         "skipped_gas": 0, "max_systemic_debt_ratio": "0", "max_concentration": "0"}
    s.update(over)
    return s


def ledger(collateral, debt):
    return {"collateral_initial": collateral, "collateral_topped_up": "0", "collateral_seized": "0",
            "collateral_protocol_fee": "0", "collateral_sold": "0", "debt_initial": debt,
            "debt_repaid_liquidations": "0", "debt_repaid_traders": "0", "debt_topped_up": "0",
            "debt_written_off": "0", "trader_surplus": "0", "liquidations": 0, "bankruptcies": 0,
            "waterfall": dict(ZERO_WATERFALL), "collateral": collateral, "debt": debt}


def report(scenario, stop, venue_block, **over):
    return {
        "scenario": {"name": scenario["name"], "description": scenario["description"],
                     "seed": scenario["seed"], "max_blocks": scenario["max_blocks"]},
        "summary": summary(stop, **over),
        "venues": [{"name": "L", "kind": "lending", "accounts": 1,
                    "ledger": ledger(scenario["venues"][0]["accounts"][0]["collateral"],
                                     scenario["venues"][0]["accounts"][0]["debt"]),
                    "conservation": {"balanced": True, "collateral": "0", "debt": "0",
                                     "waterfall": "0"}}],
        "liquidators": [],
        "blocks": [{"block": 1, "reference": "100", "market": "100", "gas_price": "1",
                    "arbitrage": "0", "trader_sold": "0", "liquidation_sold": "0",
                    "liquidation_proceeds": "0", "slippage": "1", "liquidator_profit": "0",
                    "drawdown": "0", "oracle_gap": "0",
                    "systemic_debt_ratio": over.get("max_systemic_debt_ratio", "0"),
                    "venues": [venue_block]}],
    }


def vb(oracle, refusal, liquidatable, debt_at_risk, concentration):
    return {"oracle": oracle, "refusal": refusal, "liquidatable": liquidatable, "liquidations": 0,
            "repaid": "0", "seized": "0", "skipped_unprofitable": 0, "skipped_gas": 0,
            "bad_debt": "0", "debt_at_risk": debt_at_risk, "tvl": "100",
            "concentration": concentration}


cases = []

quiet = copy.deepcopy(BASE)
cases.append({"op": "cascade", "input": quiet,
              "expect": report(quiet, "exhausted", vb("100", None, 0, "0", "0")),
              "note": "Block 1: reference 100 = the pool's price 100000/1000, no arbitrage capacity, so "
                      "nothing trades (arbitrage 0); the feed's round of block 0 (100) is visible at "
                      "latency 0 and equals the market. The account's liquidation price is "
                      "10/(1*0.8) = 12.5 < 100 (not liquidatable, not at risk with risk_band 0: "
                      "debt_at_risk 0, concentration 0); tvl = 1*100 = 100; drawdown 0, gap 0, "
                      "slippage 1 (no sale). A quiet block on a settled path and gas: the run stops "
                      "after 1 block, exhausted (no liquidatable account). Underwater: 10 <= 1*100, 0."})

stale = copy.deepcopy(BASE)
stale["name"] = "tiny stale"
stale["venues"][0]["oracle"]["outage_from"] = 0
stale["venues"][0]["accounts"] = [{"collateral": "1", "debt": "90"}]
cases.append({"op": "cascade", "input": stale,
              "expect": report(stale, "stale", vb(None, "stale", 1, "90", "1"),
                               max_systemic_debt_ratio="0.9", max_concentration="1"),
              "note": "The feed is down from block 0: no round ever, so the venue has no oracle price "
                      "(null) and its guards refuse (stale). The account's liquidation price is "
                      "90/(1*0.8) = 112.5 >= the market 100, and at 100 its maintenance health is "
                      "0.8*100 - 90 = -10 < 0: liquidatable at the market price (1), at risk (debt 90), "
                      "the single at-risk account holds all at-risk collateral (concentration 1). "
                      "tvl at the market price 1*100 = 100, systemic debt ratio 90/100 = 0.9. Nothing "
                      "moves; the down venue is settled, so the run stops after block 1, stale. "
                      "Underwater: 90 <= 100, 0."})


def err(what, note, mutate):
    s = copy.deepcopy(BASE)
    mutate(s)
    cases.append({"op": "cascade", "input": s, "expect": {"error": {"kind": "invalid", "what": what}},
                  "note": note})


def setter(path, value):
    def f(s):
        cur = s
        for p in path[:-1]:
            cur = cur[p]
        cur[path[-1]] = value
    return f


def deleter(path):
    def f(s):
        cur = s
        for p in path[:-1]:
            cur = cur[p]
        del cur[path[-1]]
    return f


V = ["venues", 0]
err("nope", "an unknown top-level key", setter(["nope"], 1))
err("max_blocks", "max_blocks missing", deleter(["max_blocks"]))
err("max_blocks", "max_blocks 0", setter(["max_blocks"], 0))
err("max_blocks", "max_blocks above 10,000,000", setter(["max_blocks"], 10000001))
err("max_blocks", "max_blocks as a string", setter(["max_blocks"], "5"))
err("seed", "a negative seed", setter(["seed"], -1))
err("name", "a name that is not a string", setter(["name"], 3))
err("path.kind", "an unknown path kind", setter(["path", "kind"], "zigzag"))
err("path.price", "a zero constant price", setter(["path", "price"], "0"))
err("path.price", "a price with 19 fractional digits", setter(["path", "price"], "1.0000000000000000001"))
err("path.blocks", "a linear path of 0 blocks",
    setter(["path"], {"kind": "linear", "from": "100", "to": "90", "start": 1, "blocks": 0}))
err("path.at", "an instant path without at", setter(["path"], {"kind": "instant", "from": "100", "to": "90"}))
err("path.prices", "an empty listed path", setter(["path"], {"kind": "listed", "prices": []}))
err("path.prices[1]", "a negative listed price", setter(["path"], {"kind": "listed", "prices": ["100", "-1"]}))
err("path.step", "an unknown key of a path", setter(["path"], {"kind": "constant", "price": "100", "step": "1"}))
err("gas.base", "a zero base gas price", setter(["gas", "base"], "0"))
err("gas.spike.blocks", "a spike of 0 blocks", setter(["gas", "spike"], {"start": 1, "blocks": 0, "price": "2"}))
err("gas.spike.price", "a spike at price 0", setter(["gas", "spike"], {"start": 1, "blocks": 2, "price": "0"}))
err("block_gas", "negative block gas", setter(["block_gas"], "-1"))
err("volatility", "negative volatility", setter(["volatility"], "-0.1"))
err("risk_band", "a risk band above 1", setter(["risk_band"], "1.5"))
err("arbitrage.capacity", "negative arbitrage capacity", setter(["arbitrage"], {"capacity": "-1"}))
err("behaviour.panic", "behaviour shares summing above 1",
    setter(["behaviour"], {"top_up": "0.5", "deleverage": "0.3", "panic": "0.3"}))
err("behaviour.watch_band", "a watch band above 1", setter(["behaviour"], {"watch_band": "2"}))
err("market.base", "a pool without base", setter(["market"], {"model": "constant_product", "base": "0", "quote": "1"}))
err("venues", "no venue", setter(["venues"], []))
err("venues", "five venues", lambda s: s.__setitem__("venues", [copy.deepcopy(s["venues"][0]) for _ in range(5)]))
err("venues[0].kind", "an unknown venue kind", setter(V + ["kind"], "options"))
err("venues[0].market", "a lending venue with a perp market", setter(V + ["market"], {}))
err("venues[0].collateral.price", "a venue token with a price (venues take none)",
    setter(V + ["collateral", "price"], "100"))
err("venues[0].collateral.maint_asset_weight", "a maintenance asset weight above 1",
    setter(V + ["collateral", "maint_asset_weight"], "1.1"))
err("venues[0].liquidation.target", "an unknown target", setter(V + ["liquidation"], {"target": "best"}))
err("venues[0].liquidation.close_factor.normal", "a close factor of 0",
    setter(V + ["liquidation"], {"close_factor": {"normal": "0"}}))
err("venues[0].oracle.latency", "a latency as a string", setter(V + ["oracle", "latency"], "1"))
err("venues[0].oracle.heartbeat", "a heartbeat of 0", setter(V + ["oracle", "heartbeat"], 0))
err("venues[0].oracle.deviation", "a negative deviation", setter(V + ["oracle", "deviation"], "-0.01"))
err("venues[0].oracle.twap_window", "a guard the venue oracle does not take", setter(V + ["oracle", "twap_window"], 2))
err("venues[0].waterfall.insurance_fund", "a negative insurance fund",
    setter(V + ["waterfall"], {"insurance_fund": "-1"}))
err("venues[0].accounts", "neither accounts nor population", deleter(V + ["accounts"]))
err("venues[0].accounts", "both accounts and population",
    setter(V + ["population"], {"count": 1, "size_min": "1", "size_alpha": "1", "size_max": "1",
                                "liq_low": "0.5", "liq_high": "0.6"}))
err("venues[0].accounts[0].debt", "a negative debt", setter(V + ["accounts"], [{"collateral": "1", "debt": "-1"}]))
err("venues[0].accounts[0].behaviour", "an unknown behaviour",
    setter(V + ["accounts"], [{"collateral": "1", "debt": "1", "behaviour": "yolo"}]))


def population(**over):
    p = {"count": 10, "size_min": "1", "size_alpha": "1.5", "size_max": "10", "liq_low": "0.5", "liq_high": "0.9"}
    p.update(over)

    def f(s):
        del s["venues"][0]["accounts"]
        s["venues"][0]["population"] = p
    return f


err("venues[0].population.count", "more than 10,000,000 accounts", population(count=10000001))
err("venues[0].population.liq_high", "liq_high of 1", population(liq_high="1"))
err("venues[0].population.size_max", "size_max below size_min", population(size_max="0.5"))
err("venues[0].population.whale_factor", "a whale factor below 1", population(whale_factor="0.5"))
err("liquidators[0].capital", "a liquidator without capital", setter(["liquidators"], [{"name": "a"}]))
err("liquidators[0].priority_fee", "a negative priority fee",
    setter(["liquidators"], [{"capital": "1", "priority_fee": "-1"}]))
err("liquidators[0].max_gas_price", "a zero gas ceiling",
    setter(["liquidators"], [{"capital": "1", "max_gas_price": "0"}]))
err("liquidators[0].bribe", "an unknown liquidator key", setter(["liquidators"], [{"capital": "1", "bribe": "1"}]))
err("liquidators", "65 liquidators", setter(["liquidators"], [{"capital": "1"}] * 65))

out = Path(__file__).with_name("cascade.jsonl")
with out.open("w") as fh:
    for c in cases:
        fh.write(json.dumps(c, separators=(",", ":")) + "\n")
print(f"{len(cases)} cases -> {out}")
