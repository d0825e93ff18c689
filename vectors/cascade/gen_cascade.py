#!/usr/bin/env python3
"""Writes vectors/cascade/cascade.jsonl: cases of the `cascade` op.

Two small runs worked by hand (the arithmetic is in each case's note, and the expected report
is built here from those hand-worked numbers, not from lce's output); the three perp longs of
tests/cascade.rs traced by hand, their report built field by field from that arithmetic and
checked against `run_model`, an exact-rational model of vectors/README.md §9 kept here; two
ladders of the instantaneous model whose liquidation count, final price and block count follow
from its closed form (asserted), the rest of their report from `run_model`; then one case per
error of vectors/scenarios/README.md §3: a valid base scenario with one field broken, and the
`what` that must name it.
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


# ---------------------------------------------------------------------------------------------
# The instantaneous model on a perp venue (vectors/README.md §9, §8.1-8.5), modelled here in
# exact rationals with explicit floor/ceil to the 1e-18 grid, independently of lce.
#
# Scope (asserted): one perp venue, size factor 0, protocol fee share 0, a close factor whose
# dust is the Wad maximum (every liquidation closes the whole position, §8.2 Sizing step 4), a
# feed with deviation 0, heartbeat 1, latency 0 and no guards (every block's oracle is the
# market price at the block's start); a `linear` market; a constant path; no arbitrage;
# everyone holds; liquidators with sizing `whole`, no gas, no risk charge, min_profit 0.
# ---------------------------------------------------------------------------------------------
from fractions import Fraction as F
from math import ceil as _ceil, floor as _floor

E = 10 ** 18
WAD_MAX_RAW = 2 ** 127 - 1
WAD_MAX = F(WAD_MAX_RAW, E)
WAD_MAX_TEXT = "170141183460469231731.687303715884105727"


def d(s):
    return F(s)


def fl(x):
    """x rounded down to the 1e-18 grid."""
    return F(_floor(F(x) * E), E)


def ce(x):
    """x rounded up to the 1e-18 grid."""
    return F(_ceil(F(x) * E), E)


def txt(x):
    """The canonical decimal text of a grid value."""
    x = F(x)
    assert (x * E).denominator == 1, x
    raw = int(x * E)
    sign = "-" if raw < 0 else ""
    raw = abs(raw)
    whole, frac = divmod(raw, E)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}." + f"{frac:018d}".rstrip("0")


assert txt(WAD_MAX) == WAD_MAX_TEXT


class Linear:
    """§8.3 `linear`: p0, λ, Q sold."""

    def __init__(self, p0, lam):
        self.p0, self.lam, self.q = d(p0), d(lam), F(0)
        self.qmax = fl(self.p0 / self.lam)

    def price(self):
        return max(F(0), self.p0 - ce(self.lam * self.q))

    def quote_sell(self, qty):
        filled = min(qty, max(F(0), self.qmax - self.q))
        proceeds = max(F(0), fl(filled * (self.p0 - ce(self.lam * (2 * self.q + filled) / 2))))
        return filled, proceeds

    def sell(self, qty):
        before = self.price()
        filled, proceeds = self.quote_sell(qty)
        self.q += filled
        return filled, proceeds, before


class Perp:
    """The venue's perp market: margins, liquidation fee (size factor 0, fee share 0)."""

    def __init__(self, init_margin, maint_margin, fee):
        self.im, self.mm, self.fee = d(init_margin), d(maint_margin), d(fee)

    def health(self, base, debt, p):
        """Maintenance health value of a long `base` with quote −debt at oracle p (§8.1)."""
        assert base >= 0
        if base == 0:
            return -debt
        return -debt + fl(fl(base * p) * (1 - self.mm))

    def key(self, base, debt):
        """§9.1: the queue key."""
        r = -debt
        if base == 0:
            return WAD_MAX if r < 0 else F(0)
        if r >= 0:
            return F(0)
        slope = fl(base * (1 - self.mm))
        if slope == 0:
            return WAD_MAX
        p_star = ce(-r / slope)
        return min(WAD_MAX, p_star + ce(F(2, E) / slope))

    def offer(self, base, p):
        """§9.2 the perp offer: repay_max and the bonus the liquidator prices it with."""
        return ce(ce(base * p) * (1 - self.fee)), fl(self.fee / (1 - self.fee))


def decide_whole(repay_max, bonus, p, market, capital):
    """§8.5 with sizing `whole`, P_l = 1, P_c = p, fee share 0, no gas, no risk, min_profit 0:
    evaluate the whole offer (capped by the capital); act iff its profit is positive."""
    cap = min(repay_max, fl(max(capital, F(0))))
    assert cap == repay_max or cap == 0, "a capital-bound partial take-over is outside this model"
    if repay_max == 0 or cap == 0:
        return None
    seize = fl(fl(cap) * (1 + bonus) / p)          # receives: seize − ⌈bonus·0⌉
    _, proceeds = market.quote_sell(seize)
    profit = proceeds - ce(cap)
    return profit if profit > 0 else None


def run_model(sc):
    assert len(sc["venues"]) == 1 and sc["path"]["kind"] == "constant"
    assert sc["market"]["model"] == "linear" and "arbitrage" not in sc and "behaviour" not in sc
    v = sc["venues"][0]
    assert v["kind"] == "perp" and v["oracle"] == {"deviation": "0", "heartbeat": 1, "latency": 0}
    assert v["liquidation"]["close_factor"]["dust"] == WAD_MAX_TEXT
    assert set(v["market"]) <= {"init_margin", "maint_margin", "liquidation_fee"}
    for l in sc["liquidators"]:
        assert l["sizing"] == "whole" and set(l) <= {"name", "capital", "sizing"}
    perp = Perp(v["market"]["init_margin"], v["market"]["maint_margin"], v["market"]["liquidation_fee"])
    market = Linear(sc["market"]["price"], sc["market"]["lambda"])
    wf = {k: d(v["waterfall"].get(k, "0")) for k in ("premium_buffer", "insurance_fund", "lender_deposits")}
    risk_band = d(sc.get("risk_band", "0"))
    start = d(sc["path"]["price"])
    accts = [[d(a["collateral"]), d(a["debt"])] for a in v["accounts"]]
    n = len(accts)
    top = -(-n // 100)
    whale = sorted((a[0] for a in accts), reverse=True)[top - 1] if n else WAD_MAX
    liqs = [{"name": l.get("name", f"liquidators[{i}]"), "capital": d(l["capital"]), "profit": F(0),
             "liquidations": 0} for i, l in enumerate(sc["liquidators"])]
    led = {"collateral_initial": sum((a[0] for a in accts), F(0)), "collateral_seized": F(0),
           "debt_initial": sum((a[1] for a in accts), F(0)), "debt_repaid_liquidations": F(0),
           "debt_written_off": F(0), "liquidations": 0, "bankruptcies": 0,
           "wf": {k: F(0) for k in ("bad_debt", "premium", "insurance", "socialized", "uncovered", "haircut")}}
    led["collateral"], led["debt"] = led["collateral_initial"], led["debt_initial"]
    keys = [perp.key(*a) for a in accts]
    blocks = []
    low = market.price()
    tot = {"liq": 0, "peak": 0, "peak_block": 0, "repaid": F(0), "sold": F(0), "proceeds": F(0),
           "at_price": F(0), "bad_debt": F(0), "profit": F(0), "skip": 0, "max_sdr": F(0),
           "max_conc": F(0), "max_dd": F(0), "max_gap": F(0)}

    def settle(i):
        """§8.2 Bankruptcy of a long with no base and a negative quote."""
        bad = accts[i][1]
        rest = bad
        layers = {}
        for layer, pool in (("premium", "premium_buffer"), ("insurance", "insurance_fund"),
                            ("socialized", "lender_deposits")):
            take = min(rest, wf[pool])
            layers[layer] = take
            rest -= take
        layers["uncovered"] = rest
        haircut = ce(layers["socialized"] / wf["lender_deposits"]) if layers["socialized"] > 0 else F(0)
        wf["premium_buffer"] -= layers["premium"]
        wf["insurance_fund"] -= layers["insurance"]
        wf["lender_deposits"] -= layers["socialized"]
        accts[i][1] = F(0)
        led["bankruptcies"] += 1
        led["debt_written_off"] += bad
        led["debt"] -= bad
        for k in ("premium", "insurance", "socialized", "uncovered"):
            led["wf"][k] += layers[k]
        led["wf"]["bad_debt"] += bad
        led["wf"]["haircut"] = max(led["wf"]["haircut"], haircut)
        keys[i] = perp.key(*accts[i])
        return bad

    b = 0
    stop = None
    while stop is None:
        b += 1
        oracle = market.price()          # observed at step 3, visible at once
        p = oracle
        vb = {"liquidations": 0, "repaid": F(0), "seized": F(0), "skip": 0, "bad_debt": F(0)}
        sold = proceeds = at_price = profit_b = F(0)
        activity = False
        order = sorted((i for i in range(n) if keys[i] >= p), key=lambda i: (-keys[i], i))
        for i in order:
            base, debt = accts[i]
            if base == 0 and debt > 0:
                vb["bad_debt"] += settle(i)
                activity = True
                continue
            if perp.health(base, debt, p) >= 0:
                continue
            repay_max, bonus = perp.offer(base, p)
            taker = None
            for l in liqs:
                if decide_whole(repay_max, bonus, p, market, l["capital"]) is not None:
                    taker = l
                    break
            if taker is None:
                vb["skip"] += 1
                continue
            notional = fl(base * p)                          # §8.2 perp long, the whole base
            aq = fl(notional * (1 - perp.fee))
            accts[i] = [F(0), debt - aq]
            filled, got, before = market.sell(base)
            gain = got - aq
            taker["capital"] += gain
            taker["profit"] += gain
            taker["liquidations"] += 1
            vb["liquidations"] += 1
            vb["repaid"] += aq
            vb["seized"] += base
            led["liquidations"] += 1
            led["debt_repaid_liquidations"] += aq
            led["collateral_seized"] += base
            led["collateral"] -= base
            led["debt"] -= aq
            sold += filled
            proceeds += got
            at_price += ce(filled * before)
            profit_b += gain
            activity = True
            keys[i] = perp.key(*accts[i])
            if accts[i][1] > 0:                              # bankrupt: settled at once
                vb["bad_debt"] += settle(i)
        m = market.price()
        risk_from = fl(p * (1 - risk_band))
        liquidatable = sum(1 for i in range(n) if keys[i] >= p and perp.health(*accts[i], p) < 0)
        risk = [i for i in range(n) if keys[i] >= risk_from and keys[i] > 0]
        dar = sum((max(accts[i][1], F(0)) for i in risk), F(0))
        coll = sum((accts[i][0] for i in risk), F(0))
        wcoll = sum((accts[i][0] for i in risk if accts[i][0] >= whale), F(0))
        conc = ce(wcoll / coll) if coll else F(0)
        tvl = fl(led["collateral"] * p)
        sdr = ce(dar / tvl) if tvl > 0 else F(0)
        dd = ce((start - m) / start) if m < start else F(0)
        gap = ce(abs(p - m) / m) if m > 0 else F(0)
        blocks.append({
            "block": b, "reference": txt(start), "market": txt(m), "gas_price": sc["gas"]["base"],
            "arbitrage": "0", "trader_sold": "0", "liquidation_sold": txt(sold),
            "liquidation_proceeds": txt(proceeds),
            "slippage": txt(ce(at_price / proceeds)) if proceeds > 0 else "1",
            "liquidator_profit": txt(profit_b), "drawdown": txt(dd), "oracle_gap": txt(gap),
            "systemic_debt_ratio": txt(sdr),
            "venues": [{"oracle": txt(p), "refusal": None, "liquidatable": liquidatable,
                        "liquidations": vb["liquidations"], "repaid": txt(vb["repaid"]),
                        "seized": txt(vb["seized"]), "skipped_unprofitable": vb["skip"],
                        "skipped_gas": 0, "bad_debt": txt(vb["bad_debt"]), "debt_at_risk": txt(dar),
                        "tvl": txt(tvl), "concentration": txt(conc)}]})
        low = min(low, m)
        tot["liq"] += vb["liquidations"]
        if vb["liquidations"] > tot["peak"]:
            tot["peak"], tot["peak_block"] = vb["liquidations"], b
        tot["repaid"] += vb["repaid"]
        tot["sold"] += sold
        tot["proceeds"] += proceeds
        tot["at_price"] += at_price
        tot["bad_debt"] += vb["bad_debt"]
        tot["profit"] += profit_b
        tot["skip"] += vb["skip"]
        tot["max_sdr"] = max(tot["max_sdr"], sdr)
        tot["max_conc"] = max(tot["max_conc"], conc)
        tot["max_dd"] = max(tot["max_dd"], dd)
        tot["max_gap"] = max(tot["max_gap"], gap)
        if not activity and p == m:                          # quiet and settled
            stop = "unprofitable" if liquidatable else "exhausted"
        elif b >= sc["max_blocks"]:
            stop = "block_limit"
    underwater = sum((a[1] - fl(a[0] * m) for a in accts if a[1] > fl(a[0] * m)), F(0))
    tc = sum((a[0] for a in accts), F(0))
    td = sum((a[1] for a in accts), F(0))
    cons = {"collateral": led["collateral_initial"] - led["collateral_seized"] - tc,
            "debt": led["debt_initial"] - led["debt_repaid_liquidations"] - led["debt_written_off"] - td,
            "waterfall": led["debt_written_off"] - sum((led["wf"][k] for k in
                                                         ("premium", "insurance", "socialized", "uncovered")), F(0))}
    summary = {
        "stop": stop, "blocks": b, "start_price": txt(start), "equilibrium_price": txt(m),
        "low_price": txt(low), "max_drawdown": txt(tot["max_dd"]), "max_oracle_gap": txt(tot["max_gap"]),
        "liquidations": tot["liq"], "peak_liquidations": tot["peak"], "peak_block": tot["peak_block"],
        "repaid": txt(tot["repaid"]), "liquidation_sold": txt(tot["sold"]),
        "liquidation_proceeds": txt(tot["proceeds"]),
        "slippage": txt(ce(tot["at_price"] / tot["proceeds"])) if tot["proceeds"] > 0 else "1",
        "trader_sold": "0", "bad_debt": txt(tot["bad_debt"]), "underwater": txt(underwater),
        "liquidator_profit": txt(tot["profit"]), "skipped_unprofitable": tot["skip"], "skipped_gas": 0,
        "max_systemic_debt_ratio": txt(tot["max_sdr"]), "max_concentration": txt(tot["max_conc"])}
    ledger_out = {
        "collateral_initial": txt(led["collateral_initial"]), "collateral_topped_up": "0",
        "collateral_seized": txt(led["collateral_seized"]), "collateral_protocol_fee": "0",
        "collateral_sold": "0", "debt_initial": txt(led["debt_initial"]),
        "debt_repaid_liquidations": txt(led["debt_repaid_liquidations"]), "debt_repaid_traders": "0",
        "debt_topped_up": "0", "debt_written_off": txt(led["debt_written_off"]), "trader_surplus": "0",
        "liquidations": led["liquidations"], "bankruptcies": led["bankruptcies"],
        "waterfall": {k: txt(x) for k, x in led["wf"].items()},
        "collateral": txt(led["collateral"]), "debt": txt(led["debt"])}
    report_out = {
        "scenario": {"name": sc["name"], "description": sc["description"], "seed": sc["seed"],
                     "max_blocks": sc["max_blocks"]},
        "summary": summary,
        "venues": [{"name": v["name"], "kind": "perp", "accounts": n, "ledger": ledger_out,
                    "conservation": {"balanced": all(x == 0 for x in cons.values()),
                                     **{k: txt(x) for k, x in cons.items()}}}],
        "liquidators": [{"name": l["name"], "priority_fee": "0", "liquidations": l["liquidations"],
                         "profit": txt(l["profit"]), "gas_paid": "0", "capital": txt(l["capital"])}
                        for l in liqs],
        "blocks": blocks,
    }
    return report_out, accts


def perp_scenario(name, description, price, lam, fee, accounts, max_blocks=1000):
    return {
        "name": name,
        "description": description,
        "seed": 7,
        "max_blocks": max_blocks,
        "path": {"kind": "constant", "price": price},
        "gas": {"base": "1"},
        "block_gas": "0",
        "risk_band": "0.05",
        "market": {"model": "linear", "price": price, "lambda": lam},
        "venues": [{
            "name": "perp",
            "kind": "perp",
            "market": {"init_margin": "0.1", "maint_margin": "0.05", "liquidation_fee": fee},
            "liquidation": {"close_factor": {"normal": "1", "dust": WAD_MAX_TEXT}},
            "oracle": {"deviation": "0", "heartbeat": 1, "latency": 0},
            "waterfall": {"insurance_fund": "1000", "lender_deposits": "100000"},
            "accounts": [{"collateral": c, "debt": dbt} for c, dbt in accounts],
        }],
        "liquidators": [{"name": "closer", "capital": "1000000000", "sizing": "whole"}],
    }


def long_at(base, liq):
    """A long of `base` whose maintenance liquidation price is `liq`: debt ⌊⌊base·liq⌋·0.95⌋."""
    return (txt(d(base)), txt(fl(fl(d(base) * d(liq)) * d("0.95"))))


# --- Three perp longs traced by hand (tests/cascade.rs `three_perp_longs_traced_by_hand`). ---
# The test's market is LinearImpact anchor 100, λ 0.05 with 60 already sold; the wire's `linear`
# market starts with nothing sold, so it is given as anchor 97 = 100 − 0.05·60, λ 0.05: the same
# market to the bit (100 − ⌈0.05·(60 + Q)⌉ = 97 − ⌈0.05·Q⌉ and 100 − ⌈0.05·(120 + 2Q + q)/2⌉ =
# 97 − ⌈0.05·(2Q + q)/2⌉ since 3 = 0.05·60 is on the grid; Q_max = ⌊97/0.05⌋ = 1940 = 2000 − 60).
trace = perp_scenario("three perp longs", "the three perp longs of tests/cascade.rs, traced by hand",
                      "97", "0.05", "0.01", [long_at("10", "97.5"), long_at("10", "96.8"), long_at("10", "96")])
assert [a["debt"] for a in trace["venues"][0]["accounts"]] == ["926.25", "919.6", "912"]
# Hand-worked values (exact rationals; each ratio rounded up, as the report's ratios are).
H = d
r1, r2 = H("960.3"), H("955.35")          # 970·0.99, 965·0.99: the account quote received
s1, s2 = H("967.5"), H("962.5")           # 10·96.75, 10·96.25: sale proceeds
bonus = fl(H("0.01") / H("0.99"))
assert bonus == H("0.010101010101010101")
# The liquidator's own view of the whole offer (§8.5 evaluate at repay_max, sizing whole):
# block 1: repay_max ⌈970·0.99⌉ = 960.3, receives ⌊960.3·1.010101010101010101/97⌋ =
# ⌊9.9·1.010101010101010101⌋ = ⌊9.9999999999999999999⌋ = 9.999999999999999999; its quoted sale
# ⌊9.999999999999999999·(97 − ⌈0.05·9.999999999999999999/2⌉)⌋ = ⌊…·96.75⌋ = 967.499999999999999903,
# profit 7.199999999999999903 > 0: act. Block 2 (Q = 10): repay_max 955.35, the same receives,
# ⌊9.999999999999999999·(97 − ⌈0.05·29.999999999999999999/2⌉)⌋ = ⌊…·96.25⌋ = 962.499999999999999903,
# profit 7.149999999999999903 > 0: act.
recv = fl(r1 * (1 + bonus) / 97)
assert recv == H("9.999999999999999999") == fl(r2 * (1 + bonus) / H("96.5"))
assert fl(recv * (97 - ce(H("0.05") * recv / 2))) - r1 == H("7.199999999999999903")
assert fl(recv * (97 - ce(H("0.05") * (20 + recv) / 2))) - r2 == H("7.149999999999999903")


def vblock(oracle, liquidations, repaid, seized, dar, tvl, conc):
    return {"oracle": oracle, "refusal": None, "liquidatable": 0, "liquidations": liquidations,
            "repaid": repaid, "seized": seized, "skipped_unprofitable": 0, "skipped_gas": 0,
            "bad_debt": "0", "debt_at_risk": dar, "tvl": tvl, "concentration": conc}


def rblock(b, market, sold, proceeds, slippage, profit, drawdown, gap, sdr, venue):
    return {"block": b, "reference": "97", "market": market, "gas_price": "1", "arbitrage": "0",
            "trader_sold": "0", "liquidation_sold": sold, "liquidation_proceeds": proceeds,
            "slippage": slippage, "liquidator_profit": profit, "drawdown": drawdown,
            "oracle_gap": gap, "systemic_debt_ratio": sdr, "venues": [venue]}


trace_blocks = [
    rblock(1, "96.5", "10", "967.5", txt(ce(H(970) / s1)), "7.2", txt(ce(H("0.5") / 97)),
           txt(ce(H("0.5") / H("96.5"))), txt(ce(H("1831.6") / 1940)),
           vblock("97", 1, "960.3", "10", "1831.6", "1940", "1")),
    rblock(2, "96", "10", "962.5", txt(ce(H(965) / s2)), "7.15", txt(ce(H(1) / 97)),
           txt(ce(H("0.5") / 96)), txt(ce(H(912) / 965)),
           vblock("96.5", 1, "955.35", "10", "912", "965", "1")),
    rblock(3, "96", "0", "0", "1", "0", txt(ce(H(1) / 97)), "0", "0.95",
           vblock("96", 0, "0", "0", "912", "960", "1")),
]
trace_expect = {
    "scenario": {"name": trace["name"], "description": trace["description"], "seed": 7, "max_blocks": 1000},
    "summary": {"stop": "exhausted", "blocks": 3, "start_price": "97", "equilibrium_price": "96",
                "low_price": "96", "max_drawdown": txt(ce(H(1) / 97)), "max_oracle_gap": txt(ce(H("0.5") / 96)),
                "liquidations": 2, "peak_liquidations": 1, "peak_block": 1, "repaid": txt(r1 + r2),
                "liquidation_sold": "20", "liquidation_proceeds": txt(s1 + s2),
                "slippage": txt(ce(H(970 + 965) / (s1 + s2))), "trader_sold": "0", "bad_debt": "0",
                "underwater": "0", "liquidator_profit": "14.35", "skipped_unprofitable": 0, "skipped_gas": 0,
                "max_systemic_debt_ratio": "0.95", "max_concentration": "1"},
    "venues": [{"name": "perp", "kind": "perp", "accounts": 3,
                "ledger": {"collateral_initial": "30", "collateral_topped_up": "0", "collateral_seized": "20",
                           "collateral_protocol_fee": "0", "collateral_sold": "0", "debt_initial": "2757.85",
                           "debt_repaid_liquidations": "1915.65", "debt_repaid_traders": "0",
                           "debt_topped_up": "0", "debt_written_off": "0", "trader_surplus": "0",
                           "liquidations": 2, "bankruptcies": 0, "waterfall": dict(ZERO_WATERFALL),
                           "collateral": "10", "debt": "842.2"},
                "conservation": {"balanced": True, "collateral": "0", "debt": "0", "waterfall": "0"}}],
    "liquidators": [{"name": "closer", "priority_fee": "0", "liquidations": 2, "profit": "14.35",
                     "gas_paid": "0", "capital": "1000000014.35"}],
    "blocks": trace_blocks,
}
assert H("926.25") + H("919.6") + 912 == H("2757.85") and H("2757.85") - r1 - r2 == H("842.2")
assert s1 - r1 + s2 - r2 == H("14.35")
model, after = run_model(trace)
assert model == trace_expect, json.dumps(model)
assert after == [[0, H("-34.05")], [0, H("-35.75")], [10, 912]]
cases.append({"op": "cascade", "input": trace, "expect": trace_expect, "note": (
    "tests/cascade.rs three_perp_longs_traced_by_hand. Market: linear anchor 100, lambda 0.05, 60 already "
    "sold = anchor 97 with nothing sold (the same market to the bit: 0.05*60 = 3 on the grid), price 97; "
    "constant path 97, no arbitrage, everyone holds; perp margins 0.1/0.05, fee 0.01, close factor "
    "{normal 1, dust = Wad MAX} so every liquidation closes the whole position (the dust rule); feed "
    "deviation 0, heartbeat 1, latency 0 (the oracle of block b is the market price after block b-1); one "
    "liquidator, sizing whole, capital 1e9, no gas, no risk. Longs of 10 with liquidation prices 97.5 (A), "
    "96.8 (B), 96 (C): debts floor(10*97.5*0.95) = 926.25, 919.6, 912; keys p* + ceil(2e-18/9.5) = "
    "97.500000000000000001, 96.800000000000000001, 96.000000000000000001. "
    "Block 1, oracle 97: candidate A (key >= 97), health -926.25 + 970*0.95 = -4.75 < 0. Offer "
    "repay_max ceil(970*0.99) = 960.3, bonus floor(0.01/0.99) = 0.010101010101010101, the liquidator "
    "expects floor(960.3*1.010101010101010101/97) = 9.999999999999999999 sold for "
    "floor(9.999999999999999999*96.75) = 967.499999999999999903: profit 7.199999999999999903 > 0, acts. "
    "Take-over of 10 at 97: notional 970, account quote +floor(970*0.99) = 960.3 (quote -926.25 -> 34.05), "
    "fee 9.7. Sale of 10 from Q = 0: 10*(97 - ceil(0.05*10/2)) = 10*96.75 = 967.5, profit 7.2; price "
    "97 - 0.05*10 = 96.5. Block end at 97: nothing liquidatable; risk band 0.05: keys >= floor(97*0.95) = "
    "92.15 are B and C: debt at risk 919.6 + 912 = 1831.6, all of it held by top-1% accounts (ceil(3/100) "
    "= 1st largest collateral 10): concentration 1; tvl 20*97 = 1940; systemic ceil(1831.6/1940); "
    "slippage ceil(970/967.5); drawdown ceil(0.5/97); gap ceil(0.5/96.5). "
    "Block 2, oracle 96.5: B (96.8). Offer ceil(965*0.99) = 955.35, expected receives again "
    "9.999999999999999999 sold from Q = 10 at 97 - ceil(0.05*29.999999999999999999/2) = 96.25: "
    "962.499999999999999903, profit 7.149999999999999903, acts. Take-over: 965*0.99 = 955.35 (quote "
    "-919.6 -> 35.75). Sale from Q = 10: 10*(97 - 0.05*30/2) = 962.5, profit 7.15; price 97 - 0.05*20 = 96. "
    "Block end: C at risk (912), tvl 10*96.5 = 965, systemic ceil(912/965), gap ceil(0.5/96). "
    "Block 3, oracle 96 = market: C sits exactly at its liquidation price, health -912 + 960*0.95 = 0, not "
    "below: nothing moves; tvl 960, systemic 912/960 = 0.95. Quiet, oracle = market, nothing liquidatable: "
    "exhausted after 3 blocks at 96. Totals: repaid 1915.65, sold 20, proceeds 1930, slippage "
    "ceil(1935/1930), profit 14.35 (capital 1000000014.35), ledger debt 2757.85 - 1915.65 = 842.2, "
    "collateral 10; underwater 0 (912 <= 10*96).")})


def ladder(n, top, step):
    return [long_at("1", txt(d(top) - d(step) * i)) for i in range(n)]


def ladder_case(name, price, lam, n, top, step, expect_n, expect_price, expect_blocks, note):
    sc = perp_scenario(name, f"{n} perp longs of 1 with liquidation prices {top} down by {step}; "
                             f"linear market {price}, lambda {lam}", price, lam, "0.04", ladder(n, top, step))
    rep, _ = run_model(sc)
    s = rep["summary"]
    assert (s["liquidations"], s["equilibrium_price"], s["blocks"], s["stop"]) == \
        (expect_n, txt(expect_price), expect_blocks, "exhausted"), s
    assert all(v["conservation"]["balanced"] for v in rep["venues"])
    cases.append({"op": "cascade", "input": sc, "expect": rep, "note": note})


# λk < 1: n accounts have gone when every liquidation price above P0 − λqn has: with a = top − P0,
# f(n) = ⌈(a + λqn)/δ⌉ accounts lie strictly above it, and the rounds n ← f(n) from 0 climb to the
# smallest fixed point n* = ⌈a/(δ − λq)⌉ (⌈x⌉ ≤ n ⇔ x ≤ n for an integer n).
P0, LAM, TOP, STEP = d("99.5"), d("0.04"), d("99.9"), d("0.1")
n_star = _ceil((TOP - P0) / (STEP - LAM))
assert n_star == 7
ladder_case(
    "linear ladder, lambda k = 0.4", "99.5", "0.04", 20, "99.9", "0.1", n_star, P0 - LAM * n_star, 4,
    "The instantaneous model's closed form (tests/cascade.rs linear_impact_with_evenly_spread_..., "
    "smaller). 20 perp longs of q = 1 with liquidation prices 99.9, 99.8, ..., 98.0 (delta 0.1, debts "
    "0.95*liq, so health is exactly 0 at the price), k = q/delta = 10 per unit of price; linear market "
    "price 99.5 (the shock is in), lambda 0.04: lambda*k = 0.4 < 1. Perp fee 0.04, whole close-out, "
    "instant feed, one whole-sizing liquidator. With n sold the price is 99.5 - 0.04n and the longs "
    "strictly above it number f(n) = ceil((a + 0.04n)/0.1), a = 99.9 - 99.5 = 0.4; each block liquidates "
    "every long above its oracle (the last block's market price), so the counts climb n <- f(n) from 0: "
    "4 (99.9..99.6; 99.5 is at health 0), 6 (price 99.34), 7 (99.26), 7 (99.22): the smallest fixed "
    "point n* = ceil(a/(delta - lambda*q)) = ceil(0.4/0.06) = 7, final price 99.5 - 0.04*7 = 99.22 "
    "(the continuous cascade's P0 - lambda*k*a/(1 - lambda*k) = 99.2333, within lambda*q). Blocks 1-3 "
    "liquidate 4, 2, 1; block 4 is quiet at oracle = market 99.22: exhausted. The risk band (0.05) "
    "holds every account still open at every block end: blocks 3 and 4 count all 13 (debt at risk "
    "1217.71), the liquidated ones (key 0) no longer. Every other field is from "
    "the generator's exact model of vectors/README.md section 9 (gen_cascade.py run_model).")

# λk = 1: f(n) = ⌈a/δ⌉ + n > n for every n: no fixed point below N, each round adds ⌈a/δ⌉.
P0, LAM = d("99.75"), d("0.1")
per_round = _ceil((TOP - P0) / STEP)
assert per_round == 2
ladder_case(
    "linear ladder, lambda k = 1", "99.75", "0.1", 10, "99.9", "0.1", 10, P0 - LAM * 10, 10 // per_round + 1,
    "The runaway of the instantaneous model (tests/cascade.rs linear_impact_runs_away_when_lambda_k_"
    "reaches_one, smaller). 10 perp longs of q = 1 with liquidation prices 99.9 ... 99.0 (delta 0.1), "
    "linear market price 99.75, lambda 0.1: lambda*k = 1. With n sold the price is 99.75 - 0.1n and the "
    "longs above it are f(n) = ceil((0.15 + 0.1n)/0.1) = n + 2: no fixed point below N, every round "
    "adds ceil(a/delta) = 2: blocks 1-5 at oracles 99.75, 99.55, 99.35, 99.15, 98.95 liquidate 2 each; "
    "all 10 go, the price ends at 99.75 - 0.1*10 = 98.75, block 6 is quiet: exhausted after 6 blocks. "
    "No account goes bankrupt (quote 0.96p - 0.95*liq > 0). Every other field is from the generator's "
    "exact model of vectors/README.md section 9 (gen_cascade.py run_model).")


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
err("liquidators[0].sizing", "an unknown sizing", setter(["liquidators"], [{"capital": "1", "sizing": "greedy"}]))
err("liquidators[0].sizing", "a sizing that is not a string", setter(["liquidators"], [{"capital": "1", "sizing": 1}]))
err("liquidators", "65 liquidators", setter(["liquidators"], [{"capital": "1"}] * 65))

out = Path(__file__).with_name("cascade.jsonl")
with out.open("w") as fh:
    for c in cases:
        fh.write(json.dumps(c, separators=(",", ":")) + "\n")
print(f"{len(cases)} cases -> {out}")
