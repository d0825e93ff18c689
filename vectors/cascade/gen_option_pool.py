#!/usr/bin/env python3
"""Writes vectors/cascade/option_pool.jsonl: `cascade` cases with an option pool
(vectors/README.md §9.6, vectors/scenarios/README.md §1.4.2), built field by field by this
independent model — never lce's output.

Case "option pool vol spike": one AMM pool short 10 puts (K 1900, t 0.1, r = q = 0) backed by
1 stETH, hedging; a constant fundamental of 2,000; a listed vol path 0.5, 0.7, 1.0, 1.2; a
constant-product market 1,000 stETH / 2,000,000 without fee or resilience; no liquidators;
3 blocks (the block limit). Marks are Black-Scholes-Merton put prices at 60 digits (mpmath)
rounded up to the 1e-18 grid; the delta is -N(-d1), rounded toward -inf (|delta| up). The rest
is exact rationals:

  h0 = ceil(q*|D0|)                         the opening hedge, sold outside the pool
  sale_b = min(max(ceil(q*|D_b|) - h, 0), c) into the pool: dy = floor(y*d/(x+d)),
                                            price floor(y/x) (fee 0, anchor = fundamental)
  L = ceil(q*M), E = floor(c*S) + k - L, u = ceil(ceil(q*K) / (floor(c*S) + k))
  D = max(-E, 0); its increases go premium (30), then insurance (10), then uncovered.

The pool judges by its oracle (deviation 0, heartbeat 1, latency 0): the market's price at the
start of the block, before its own sale.

Requirements: Python 3.8+, mpmath. Run: python3 gen_option_pool.py
"""
import copy
import json
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
    assert (x * E).denominator == 1, x
    n = int(x * E)
    sign = "-" if n < 0 else ""
    n = abs(n)
    s = f"{n // E}.{n % E:018d}".rstrip("0").rstrip(".")
    return sign + s


def grid_ceil(v):
    scaled = v * E
    assert abs(scaled - mpmath.nint(scaled)) > mpmath.mpf("1e-30") or scaled == mpmath.nint(scaled)
    return F(int(mpmath.ceil(scaled)), E)


def d1(s, k, t, v):
    mpmath.mp.dps = 60
    s, k, t, v = (mpmath.mpf(x.numerator) / x.denominator if isinstance(x, F) else mpmath.mpf(str(x))
                  for x in (s, k, t, v))
    return (mpmath.log(s / k) + v * v * t / 2) / (v * mpmath.sqrt(t)), s, k, t, v


def put_ceil(s, k, t, v):
    """ceil(BS put) on the 1e-18 grid, r = q = 0."""
    d, s, k, t, v = d1(s, k, t, v)
    d2 = d - v * mpmath.sqrt(t)
    return grid_ceil(k * mpmath.ncdf(-d2) - s * mpmath.ncdf(-d))


def abs_delta_up(s, k, t, v):
    """|delta| of a put, N(-d1), rounded up (delta rounded toward -inf)."""
    d, *_ = d1(s, k, t, v)
    return grid_ceil(mpmath.ncdf(-d))


K, T = F(1900), F("0.1")
Q, C0 = F(10), F(1)
VOLS = ["0.5", "0.7", "1.0", "1.2"]
PREMIUM, INSURANCE = F(30), F(10)


def add_on(s, m):
    """The standard formula's maintenance add-on per unit (mm_base = mm_floor = 0.075)."""
    return max(ce(F("0.075") * s) - max(s - K, 0), ce(F("0.075") * max(s, m)))


def quote(s, vol):
    m = put_ceil(s, K, T, vol)
    return m, {"spot": txt(s), "vol": txt(F(vol)), "mark": txt(m), "maintenance_unit": txt(add_on(s, m))}


scenario = {
    "name": "option pool vol spike",
    "description": "an AMM pool short 10 puts on 1 stETH, hedging, the vol 0.5 to 1.2, no liquidators",
    "seed": 1,
    "max_blocks": 3,
    "path": {"kind": "constant", "price": "2000"},
    "gas": {"base": "1"},
    "block_gas": "0",
    "risk_band": "0.1",
    "market": {"model": "constant_product", "base": "1000", "quote": "2000000",
               "resilience": {"decay": "0", "band": "0.0001"}},
    "venues": [{
        "name": "P",
        "kind": "option_pool",
        "collateral": {"init_asset_weight": "0.85", "maint_asset_weight": "0.9",
                       "init_liab_weight": "1", "maint_liab_weight": "1"},
        "series": {"kind": "put", "underlying": 0, "strike": "1900", "t": "0.1", "vol": "0.5",
                   "margin": {"im_base": "0.15", "im_floor": "0.1", "mm_base": "0.075", "mm_floor": "0.075"}},
        "vol": {"kind": "listed", "vols": VOLS},
        "sold": "10",
        "capital": "1",
        "oracle": {"deviation": "0", "heartbeat": 1, "latency": 0},
        "waterfall": {"premium_buffer": "30", "insurance_fund": "10"},
    }],
    "liquidators": [],
}

# The market: x stETH, y quote; its price floor(y/x).
x, y = F(1000), F(2000000)
start = F(2000)

# Block 0.
m0, q0 = quote(start, VOLS[0])
h = ce(Q * abs_delta_up(start, K, T, VOLS[0]))
opening = h
c, k = C0, F(0)
e0 = fl(c * start) + k - ce(Q * m0)
notional = ce(Q * K)
u0 = ce(notional / (fl(c * start) + k))
stats = {"equity_low": e0, "low_block": 0, "u_high": u0, "insolvent": 0, "booked": F(0),
         "premium": F(0), "insurance": F(0), "uncovered": F(0), "sold": F(0), "proceeds": F(0),
         "hedge_blocks": 0}
layers = {"premium": PREMIUM, "insurance": INSURANCE}
quotes = [q0]
vol_high, mark_high = F(VOLS[0]), m0
blocks = []
low_price, max_dd, max_gap = start, F(0), F(0)
for b in (1, 2, 3):
    market_before = fl(y / x)
    s = market_before                       # the oracle observes it; the pool judges by it
    vol = VOLS[b]
    m, qj = quote(s, vol)
    quotes.append(qj)
    vol_high, mark_high = max(vol_high, F(vol)), max(mark_high, m)
    delta = abs_delta_up(s, K, T, vol)
    want = min(max(ce(Q * delta) - h, F(0)), c)
    dy = F(0)
    if want > 0:
        dy = fl(y * want / (x + want))
        x, y = x + want, y - dy
        c, k, h = c - want, k + dy, h + want
        stats["sold"] += want
        stats["proceeds"] += dy
        stats["hedge_blocks"] += 1
    liability = ce(Q * m)
    assets = fl(c * s) + k
    eq = assets - liability
    u = ce(notional / assets)
    if eq < stats["equity_low"]:
        stats["equity_low"], stats["low_block"] = eq, b
    stats["u_high"] = max(stats["u_high"], u)
    if eq < 0:
        stats["insolvent"] += 1
    short = max(-eq, F(0))
    absorbed = {"premium": F(0), "insurance": F(0), "uncovered": F(0)}
    if short > stats["booked"]:
        rest = short - stats["booked"]
        for layer in ("premium", "insurance"):
            take = min(rest, layers[layer])
            layers[layer] -= take
            absorbed[layer] = take
            rest -= take
        absorbed["uncovered"] = rest
        for key in absorbed:
            stats[key] += absorbed[key]
        stats["booked"] = short
    market = fl(y / x)
    dd = ce((start - market) / start) if market < start else F(0)
    gap = ce(abs(s - market) / market)
    low_price, max_dd, max_gap = min(low_price, market), max(max_dd, dd), max(max_gap, gap)
    blocks.append({
        "block": b, "fundamental": "2000", "market": txt(market), "gas_price": "1", "arbitrage": "0",
        "trader_sold": "0", "liquidation_sold": "0", "liquidation_proceeds": "0", "slippage": "1",
        "liquidator_profit": "0", "drawdown": txt(dd), "oracle_gap": txt(gap), "systemic_debt_ratio": "0",
        "venues": [{
            "oracle": txt(s), "refusal": None, "liquidatable": 0, "liquidations": 0, "repaid": "0",
            "seized": "0", "skipped_unprofitable": 0, "skipped_gas": 0, "bad_debt": "0",
            "debt_at_risk": "0", "tvl": "0", "concentration": "0", "options": qj,
            "option_pool": {
                "equity": txt(eq), "utilisation": txt(u), "solvent": eq >= 0,
                "hedge_sold": txt(want), "hedge_proceeds": txt(dy),
                "premium_absorbed": txt(absorbed["premium"]), "insurance_absorbed": txt(absorbed["insurance"]),
                "uncovered": txt(absorbed["uncovered"]),
            },
        }],
    })

# The story this case must tell: the hedge sells (not every block: never buying back), the pool goes under and the
# shortfall reaches past both layers.
assert stats["hedge_blocks"] >= 2 and stats["insolvent"] >= 1 and stats["uncovered"] > 0, stats

ZERO_WATERFALL = {"bad_debt": "0", "premium": "0", "insurance": "0", "socialized": "0",
                  "uncovered": "0", "haircut": "0"}
final = fl(y / x)
# The pool is under water at the equilibrium by its deficit max(-E, 0): its insolvency then,
# counted as unrealised (nobody's debt is written off), the venue's and the run's.
under = max(-eq, F(0))
expect = {
    "scenario": {"name": scenario["name"], "description": scenario["description"], "seed": 1, "max_blocks": 3},
    "summary": {
        "stop": "exhausted", "blocks": 3, "start_price": "2000", "equilibrium_price": txt(final),
        "equilibrium_block": 3, "fundamental_price": "2000", "exogenous_drop": "0",
        "cascade_drop": txt(start - final), "amplification": None, "low_price": txt(low_price),
        "max_drawdown": txt(max_dd), "max_oracle_gap": txt(max_gap),
        "liquidations": 0, "peak_liquidations": 0, "peak_block": 0, "repaid": "0", "liquidation_sold": "0",
        "liquidation_proceeds": "0", "slippage": "1", "trader_sold": "0", "bad_debt": "0",
        "unrealised": txt(under), "insolvency": txt(under), "liquidator_profit": "0",
        "skipped_unprofitable": 0, "skipped_gas": 0, "max_systemic_debt_ratio": "0",
        "max_concentration": "0",
        "stop_detail": {"liquidatable": 0, "liquidators": 0, "priced_out": 0, "out_of_capital": 0,
                        "unprofitable": 0},
    },
    "recovery": {"blocks": None, "band": "0.0001", "market_price": txt(final), "fundamental_price": "2000",
                 "liquidations": 0, "bad_debt": "0"},
    "venues": [{
        "name": "P", "kind": "option_pool", "accounts": 0,
        "ledger": {"collateral_initial": "0", "collateral_topped_up": "0", "collateral_seized": "0",
                   "collateral_protocol_fee": "0", "collateral_sold": "0", "debt_initial": "0",
                   "debt_repaid_liquidations": "0", "debt_repaid_traders": "0", "debt_topped_up": "0",
                   "debt_written_off": "0", "trader_surplus": "0", "liquidations": 0, "bankruptcies": 0,
                   "waterfall": dict(ZERO_WATERFALL), "collateral": "0", "debt": "0"},
        "unrealised": txt(under), "insolvency": txt(under),
        "conservation": {"balanced": True, "collateral": "0", "debt": "0", "waterfall": "0"},
        "option_pool": {
            "sold": "10", "capital_start": "1", "opening_hedge": txt(opening), "capital": txt(c),
            "cash": txt(k), "hedge_sold": txt(stats["sold"]), "hedge_proceeds": txt(stats["proceeds"]),
            "hedge_blocks": stats["hedge_blocks"], "equity_start": txt(e0), "equity": txt(eq),
            "equity_low": txt(stats["equity_low"]), "equity_low_block": stats["low_block"],
            "utilisation_high": txt(stats["u_high"]), "insolvent_blocks": stats["insolvent"],
            "shortfall": txt(stats["booked"]), "premium_absorbed": txt(stats["premium"]),
            "insurance_absorbed": txt(stats["insurance"]), "uncovered": txt(stats["uncovered"]),
            "quotes": {"quotes": 4, "first": q0, "last": quotes[-1], "vol_high": txt(vol_high),
                       "mark_high": txt(mark_high), "margin_low": None, "margin_high": None,
                       "margin_moves": 0, "margin_largest_rise": "0", "margin_largest_fall": "0"},
        },
    }],
    "liquidators": [],
    "blocks": blocks,
}

note = (
    f"Option pool, hand-worked (gen_option_pool.py). q = 10 puts K 1900 t 0.1 sold, c0 = 1 stETH, "
    f"hedging. Block 0 at 2000, vol 0.5: M0 = {txt(m0)}, |D0| up, h0 = ceil(10*|D0|) = {txt(opening)} "
    f"(sold outside the pool), E0 = 2000 - ceil(10*M0) = {txt(e0)}. Each block b = 1..3 the oracle "
    f"shows the market's price at the block's start, the vol is {', '.join(VOLS[1:])}; the pool sells "
    f"ceil(10*|D_b|) - h into the 1000/2,000,000 pool (dy = floor(y*d/(x+d))) and is valued "
    f"E = floor(c*S) + k - ceil(10*M). Its equity goes {txt(e0)} -> "
    f"{', '.join(b['venues'][0]['option_pool']['equity'] for b in blocks)}; the shortfall's increases "
    f"go premium 30, insurance 10, then uncovered {txt(stats['uncovered'])} (booked {txt(stats['booked'])}). "
    f"The hedge sells in blocks 1 and 2 (its delta falls in block 3: no buy-back), so block 3 is the first "
    f"at rest: stop exhausted (no account is liquidatable); no resilience: the market never recovers. "
    f"At the equilibrium the pool is under water by max(-E, 0) = {txt(under)}: the venue's and the "
    f"run's unrealised and insolvency (no debt is written off)."
)

cases = [{"op": "cascade", "input": scenario, "expect": expect, "note": note}]


def err(what, note, mutate):
    sc = copy.deepcopy(scenario)
    mutate(sc["venues"][0])
    cases.append({"op": "cascade", "input": sc, "expect": {"error": {"kind": "invalid", "what": what}},
                  "note": note})


def setter(key, value):
    return lambda v: v.__setitem__(key, value)


err("venues[0].sold", "an option pool without sold", lambda v: v.pop("sold"))
err("venues[0].sold", "an option pool that sold 0 units", setter("sold", "0"))
err("venues[0].sold", "an option pool that sold a negative quantity", setter("sold", "-1"))
err("venues[0].capital", "an option pool without capital", lambda v: v.pop("capital"))
err("venues[0].capital", "an option pool with no capital", setter("capital", "0"))
err("venues[0].hedge", "hedge must be a bool", setter("hedge", "yes"))
err("venues[0].hedge", "a call pool's hedge would buy: refused",
    lambda v: v["series"].__setitem__("kind", "call"))
err("venues[0].accounts", "an option pool has no accounts",
    setter("accounts", [{"collateral": "1", "debt": "1"}]))
err("venues[0].population", "an option pool draws no population",
    setter("population", {"count": 3, "size_min": "1", "size_alpha": "1.5", "size_max": "10",
                          "ltv_low": "0.5", "ltv_high": "0.6"}))
err("venues[0].waterfall.lender_deposits", "past premium and insurance the loss is the LPs': no lender deposits",
    lambda v: v["waterfall"].__setitem__("lender_deposits", "1"))
err("venues[0].series", "an option pool without its series", lambda v: v.pop("series"))
err("venues[0].series.strike", "a series strike of 0", lambda v: v["series"].__setitem__("strike", "0"))
err("venues[0].vol.vol", "a constant vol path of 0", setter("vol", {"kind": "constant", "vol": "0"}))
err("venues[0].dynamic_margin", "an option pool margins nobody: dynamic_margin is an unknown key",
    setter("dynamic_margin", {"base": "0.02"}))

out = Path(__file__).with_name("option_pool.jsonl")
with out.open("w") as f:
    for c_ in cases:
        f.write(json.dumps(c_, ensure_ascii=False, separators=(",", ":")) + "\n")
print(f"wrote {len(cases)} cases to {out}")
