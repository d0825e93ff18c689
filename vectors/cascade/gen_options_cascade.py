#!/usr/bin/env python3
"""Writes vectors/cascade/options_cascade.jsonl: `cascade` cases with an options venue
(vectors/scenarios/README.md, "Options venues"), built by hand field by field — never lce's
output.

Case "options vol spike": one options vault, three put writers, a constant price of 2,000, a
listed vol path 0.5, 0.5, 1.5 and no liquidators. The marks are Black-Scholes-Merton put
prices (mpmath at 60 digits) rounded up to the 1e-18 grid, as a short owes; the rest is the
standard margin's arithmetic, done here in exact rationals:

  collateral weighted   W(c)   = floor(floor(c * 2000) * 0.9)            (maint asset weight 0.9)
  per-unit add-on       a      = max(ceil(0.075*2000) - (2000 - 1900), ceil(0.075*max(2000, M)))
                               = max(50, 150) = 150                       (M < 2000 here)
  short charge          C(q)   = ceil(q*M) + ceil(q*a)
  liquidatable                 W(c) < C(q)

Requirements: Python 3.8+, mpmath. Run: python3 gen_options_cascade.py
"""
import json
from decimal import Decimal
from fractions import Fraction as F
from math import ceil, floor
from pathlib import Path

import mpmath

E = 10 ** 18


def fl(x):
    return F(floor(x * E), E)


def ce(x):
    return F(ceil(x * E), E)


def txt(x):
    x = F(x)
    assert (x * E).denominator == 1
    d = Decimal(x.numerator) / Decimal(x.denominator) if x.denominator != 1 else Decimal(x.numerator)
    s = format(Decimal(int(x * E)) / Decimal(E), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s if s != "-0" else "0"


def put_ceil(s, k, t, v):
    """ceil(BS put) on the 1e-18 grid, r = q = 0, at 60 digits."""
    mpmath.mp.dps = 60
    s, k, t, v = (mpmath.mpf(str(x)) for x in (s, k, t, v))
    sq = v * mpmath.sqrt(t)
    d1 = (mpmath.log(s / k) + v * v * t / 2) / sq
    d2 = d1 - sq
    p = k * mpmath.ncdf(-d2) - s * mpmath.ncdf(-d1)
    scaled = p * E
    c = int(mpmath.ceil(scaled))
    # Not within 1e-40 of a grid point: the ceiling is safe at this precision.
    assert abs(scaled - mpmath.nint(scaled)) > mpmath.mpf("1e-30") or scaled == mpmath.nint(scaled)
    return F(c, E)


S, K, T = F(2000), F(1900), F("0.1")
W_MAINT = F("0.9")
VOLS = ["0.5", "0.5", "1.5"]
ACCOUNTS = [("1", "1"), ("1", "8"), ("2", "10")]   # (collateral, short units)


def quote(vol, s=S):
    m = put_ceil(s, K, T, vol)
    a = max(ce(F("0.075") * s) - max(s - K, F(0)), ce(F("0.075") * max(s, m)))
    return m, a


def weighted(c, s=S):
    return fl(fl(F(c) * s) * W_MAINT)


EDGE = fl(S * (1 - F("0.1")))                           # the risk band's low edge, 1800


def in_band(vol):
    """A put writer is in the risk band when liquidatable at the band's edge, at the block's vol."""
    m, a = quote(vol, EDGE)
    return [weighted(c, EDGE) < charge(q, m, a) for c, q in ACCOUNTS]


def charge(q, m, a):
    return ce(F(q) * m) + ce(F(q) * a)


def liquidatable(vol):
    m, a = quote(vol)
    return [weighted(c) < charge(q, m, a) for c, q in ACCOUNTS]


def q_json(vol):
    m, a = quote(vol)
    return {"spot": "2000", "vol": vol, "mark": txt(m), "maintenance_unit": txt(a)}


scenario = {
    "name": "options vol spike",
    "description": "three put writers, a constant price, the vol 0.5 then 1.5, no liquidators",
    "seed": 1,
    "max_blocks": 10,
    "path": {"kind": "constant", "price": "2000"},
    "gas": {"base": "1"},
    "block_gas": "0",
    "risk_band": "0.1",
    "market": {"model": "constant_product", "base": "1000", "quote": "2000000"},
    "venues": [{
        "name": "V",
        "kind": "options",
        "collateral": {"init_asset_weight": "0.85", "maint_asset_weight": "0.9",
                       "init_liab_weight": "1", "maint_liab_weight": "1"},
        "series": {"kind": "put", "underlying": 0, "strike": "1900", "t": "0.1", "vol": "0.5",
                   "margin": {"im_base": "0.15", "im_floor": "0.1", "mm_base": "0.075", "mm_floor": "0.075"}},
        "vol": {"kind": "listed", "vols": VOLS},
        "oracle": {"deviation": "0", "heartbeat": 1, "latency": 0},
        "waterfall": {"premium_buffer": "100"},
        "accounts": [{"collateral": c, "debt": q} for c, q in ACCOUNTS],
    }],
    "liquidators": [],
}

# Block by block (see the note): block 1 at vol 0.5, block 2 at vol 1.5 (the list settles at
# block 2, so block 1 is not at rest although nothing moves).
liq1, liq2 = liquidatable("0.5"), liquidatable("1.5")
assert liq1 == [False, True, False] and liq2 == [False, True, True], (liq1, liq2)
m2, a2 = quote("1.5")
m1, a1 = quote("0.5")
units = sum(F(q) for _, q in ACCOUNTS)                  # 19 option units short
coll = sum(F(c) for c, _ in ACCOUNTS)                   # 4 stETH
tvl = fl(coll * S)                                      # 8000
band1, band2 = in_band("0.5"), in_band("1.5")
assert band1 == [False, True, False] and band2 == [False, True, True], (band1, band2)
me1, ae1 = quote("0.5", EDGE)
me2, ae2 = quote("1.5", EDGE)
assert ae1 == ae2 == 135                               # max(ceil(0.075*1800) - 0, ceil(0.075*1800))


def band_units(band):
    return sum((F(q) for (c, q), b in zip(ACCOUNTS, band) if b), F(0))


def band_conc(band):
    # the top 1 % (ceil(3/100) = 1 account): collateral at least 2, C's
    held = [F(c) for (c, q), b in zip(ACCOUNTS, band) if b]
    return ce(sum((c for c in held if c >= 2), F(0)) / sum(held, F(0))) if held else F(0)


dar1, dar2 = ce(band_units(band1) * m1), ce(band_units(band2) * m2)  # the in-band shorts at the mark
sdr1, sdr2 = ce(dar1 / tvl), ce(dar2 / tvl)
conc1, conc2 = band_conc(band1), band_conc(band2)
conc = max(conc1, conc2)
under = sum(max(F(0), ce(F(q) * m2) - fl(F(c) * S)) for c, q in ACCOUNTS)
assert under == ce(8 * m2) - 2000

ZERO_WATERFALL = {"bad_debt": "0", "premium": "0", "insurance": "0", "socialized": "0",
                  "uncovered": "0", "haircut": "0"}


def venue_block(liq, q, dar, cc):
    n = sum(liq)
    return {"oracle": "2000", "refusal": None, "liquidatable": n, "liquidations": 0, "repaid": "0",
            "seized": "0", "skipped_unprofitable": 0, "skipped_gas": n, "bad_debt": "0",
            "debt_at_risk": txt(dar), "tvl": txt(tvl), "concentration": txt(cc), "options": q}


def block(b, liq, q, dar, sdr, cc):
    return {"block": b, "fundamental": "2000", "market": "2000", "gas_price": "1", "arbitrage": "0",
            "trader_sold": "0", "liquidation_sold": "0", "liquidation_proceeds": "0", "slippage": "1",
            "liquidator_profit": "0", "drawdown": "0", "oracle_gap": "0",
            "systemic_debt_ratio": txt(sdr), "venues": [venue_block(liq, q, dar, cc)]}


first = q_json("0.5")
last = q_json("1.5")
expect = {
    "scenario": {"name": scenario["name"], "description": scenario["description"], "seed": 1, "max_blocks": 10},
    "summary": {
        "stop": "no_liquidators", "blocks": 2, "start_price": "2000", "equilibrium_price": "2000",
        "equilibrium_block": 2, "fundamental_price": "2000", "exogenous_drop": "0", "cascade_drop": "0",
        "amplification": None, "low_price": "2000", "max_drawdown": "0", "max_oracle_gap": "0",
        "liquidations": 0, "peak_liquidations": 0, "peak_block": 0, "repaid": "0", "liquidation_sold": "0",
        "liquidation_proceeds": "0", "slippage": "1", "trader_sold": "0", "bad_debt": "0",
        "unrealised": txt(under), "insolvency": txt(under), "liquidator_profit": "0",
        "skipped_unprofitable": 0, "skipped_gas": 3, "max_systemic_debt_ratio": txt(max(sdr1, sdr2)),
        "max_concentration": txt(conc),
        "stop_detail": {"liquidatable": 2, "liquidators": 0, "priced_out": 0, "out_of_capital": 0,
                        "unprofitable": 0},
    },
    "recovery": {"blocks": 0, "band": "0.001", "market_price": "2000", "fundamental_price": "2000",
                 "liquidations": 0, "bad_debt": "0"},
    "venues": [{
        "name": "V", "kind": "options", "accounts": 3,
        "ledger": {"collateral_initial": "4", "collateral_topped_up": "0", "collateral_seized": "0",
                   "collateral_protocol_fee": "0", "collateral_sold": "0", "debt_initial": "19",
                   "debt_repaid_liquidations": "0", "debt_repaid_traders": "0", "debt_topped_up": "0",
                   "debt_written_off": "0", "trader_surplus": "0", "liquidations": 0, "bankruptcies": 0,
                   "waterfall": dict(ZERO_WATERFALL), "collateral": "4", "debt": "19"},
        "unrealised": txt(under), "insolvency": txt(under),
        "conservation": {"balanced": True, "collateral": "0", "debt": "0", "waterfall": "0"},
        "options": {"quotes": 3, "first": first, "last": last, "vol_high": "1.5", "mark_high": txt(m2),
                    "margin_low": None, "margin_high": None, "margin_moves": 0,
                    "margin_largest_rise": "0", "margin_largest_fall": "0",
                    "positions_liquidated": "0", "liquidations": 0, "units_written_off": "0",
                    "value_written_off": "0", "premium_absorbed": "0"},
    }],
    "liquidators": [],
    "blocks": [block(1, liq1, first, dar1, sdr1, conc1), block(2, liq2, last, dar2, sdr2, conc2)],
}

note = (
    f"Options venue, hand-worked. Price 2000 throughout (oracle deviation 0, heartbeat 1, latency 0: "
    f"2000 every block); put K 1900, t 0.1, r = q = 0; Deribit's rates. Marks ceil(BS) at 60 digits: "
    f"M(0.5) = {txt(m1)}, M(1.5) = {txt(m2)}. Add-on per unit a = max(ceil(0.075*2000) - (2000 - 1900), "
    f"ceil(0.075*max(2000, M))) = max(50, 150) = 150. Writers (c, q): A (1, 1), B (1, 8), C (2, 10); "
    f"weighted collateral floor(floor(c*2000)*0.9) = 1800, 1800, 3600; charge ceil(q*M) + ceil(q*150). "
    f"Block 1 (vol 0.5): A {txt(charge(1, m1, a1))}, B {txt(charge(8, m1, a1))} > 1800 (liquidatable), "
    f"C {txt(charge(10, m1, a1))} < 3600. Block 2 (vol 1.5): A {txt(charge(1, m2, a2))}, B "
    f"{txt(charge(8, m2, a2))}, C {txt(charge(10, m2, a2))} > 3600: B and C liquidatable. No liquidators: "
    f"each liquidatable account is skipped for gas (1 + 2 = 3). Block 1 is not at rest (the listed vol "
    f"settles at block 2); block 2 is: stop no_liquidators, stop_detail liquidatable 2. An options "
    f"account's key is the top of the queue (checked every block); it is in the risk band (0.1) when "
    f"liquidatable at the band's edge floor(2000*0.9) = 1800 at the block's vol: M_e(0.5) = {txt(me1)}, "
    f"M_e(1.5) = {txt(me2)}, a_e = max(ceil(0.075*1800) - 0, ceil(0.075*1800)) = 135, weighted "
    f"floor(floor(c*1800)*0.9) = 1620, 1620, 3240. Block 1: A {txt(charge(1, me1, ae1))}, B "
    f"{txt(charge(8, me1, ae1))} > 1620 (in the band), C {txt(charge(10, me1, ae1))} < 3240; block 2: A "
    f"{txt(charge(1, me2, ae2))} < 1620, B {txt(charge(8, me2, ae2))} > 1620, C {txt(charge(10, me2, ae2))} "
    f"> 3240: B and C. Debt at risk: the in-band shorts at the block's mark, ceil(8*M(0.5)) = {txt(dar1)} then "
    f"ceil(18*M(1.5)) = {txt(dar2)}; TVL floor(4*2000) = 8000, systemic ratio ceil(dar/8000) = {txt(sdr1)} "
    f"then {txt(sdr2)}; the top 1 % is ceil(3/100) = 1 account, the largest collateral 2 (C): "
    f"concentration of the in-band collateral {txt(conc1)} (B alone) then ceil(2/3) = {txt(conc2)}. "
    f"Unrealised at the equilibrium: the shorts owe "
    f"ceil(q*M(1.5)) against floor(c*2000): only B is under water, ceil(8*M) - 2000 = {txt(under)}. "
    f"Quotes at blocks 0, 1, 2: 3; no dynamic margin (nulls). The market equals the fundamental: "
    f"recovered at once (0 blocks)."
)

cases = [{"op": "cascade", "input": scenario, "expect": expect, "note": note}]

# Bad inputs: the base scenario with one field of the options venue broken, and the path of
# the field that must be named (vectors/scenarios/README.md, §3).
import copy


def err(what, note, mutate):
    sc = copy.deepcopy(scenario)
    mutate(sc["venues"][0])
    cases.append({"op": "cascade", "input": sc, "expect": {"error": {"kind": "invalid", "what": what}},
                  "note": note})


def put(path, value):
    def f(v):
        o = v
        for k in path[:-1]:
            o = o[k]
        o[path[-1]] = value
    return f


err("venues[0].series", "an options venue without its series", lambda v: v.pop("series"))
err("venues[0].collateral", "an options venue without its collateral", lambda v: v.pop("collateral"))
err("venues[0].series.underlying", "the series' underlying must be token 0, the venue's one token",
    put(["series", "underlying"], 1))
err("venues[0].series.nope", "an unknown key in the series", put(["series", "nope"], "1"))
err("venues[0].series.strike", "a series strike of 0", put(["series", "strike"], "0"))
err("venues[0].series.vol", "the series' vol (its mark without a vol path) of 0", put(["series", "vol"], "0"))
err("venues[0].vol.kind", "a vol path of an unknown kind", put(["vol"], {"kind": "nope"}))
err("venues[0].vol.vol", "a constant vol path of 0", put(["vol"], {"kind": "constant", "vol": "0"}))
err("venues[0].vol.vols", "a listed vol path with an empty list", put(["vol"], {"kind": "listed", "vols": []}))
err("venues[0].vol.cap", "a skew vol path capped below its base",
    put(["vol"], {"kind": "skew", "base": "0.5", "beta": "1", "cap": "0.4"}))
DYN = {"base": "0.02", "k_vol": "0.5", "horizon": "0.02", "cap": "0.3", "init_spread": "0.05"}
err("venues[0].dynamic_margin.cap", "a dynamic margin capped at 0", put(["dynamic_margin"], dict(DYN, cap="0")))
err("venues[0].dynamic_margin.k_vol", "a dynamic margin without k_vol",
    put(["dynamic_margin"], {k: x for k, x in DYN.items() if k != "k_vol"}))
err("venues[0].dynamic_margin.governor.max_decrease", "a governor whose max_decrease is negative",
    put(["dynamic_margin"], dict(DYN, governor={"max_decrease": "-0.001"})))
err("venues[0].dynamic_margin.governor.pace", "an unknown governor key",
    put(["dynamic_margin"], dict(DYN, governor={"pace": "1"})))
err("venues[0].series.margin.mm_base", "dynamic margin scales the series' floor by m / mm_base: mm_base 0 is refused",
    lambda v: (v["series"].__setitem__("margin", {"im_base": "0.15", "im_floor": "0.1", "mm_base": "0",
                                                   "mm_floor": "0"}), v.__setitem__("dynamic_margin", DYN)))
err("venues[0].accounts[1].behaviour", "an option writer with a trader behaviour (writers hold)",
    lambda v: v["accounts"][1].__setitem__("behaviour", "panic"))
err("venues[0].population", "an options venue lists its writers: a population is refused",
    lambda v: (v.pop("accounts"), v.__setitem__("population", {
        "count": 3, "size_min": "1", "size_alpha": "1.5", "size_max": "10", "ltv_low": "0.5", "ltv_high": "0.6"})))

out = Path(__file__).with_name("options_cascade.jsonl")
with out.open("w") as fh:
    for c in cases:
        fh.write(json.dumps(c, separators=(",", ":"), ensure_ascii=False) + "\n")
print(f"{len(cases)} cases -> {out}")
