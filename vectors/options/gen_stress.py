"""Vectors of `vega_shock` and `option_pool` (spec: stress.md), from an independent model.

Black-Scholes prices come from mpmath at 80 digits (checked again at 120) and are rounded
once to the 1e-18 grid in the stated direction (`gen_bs.rnd`, via `gen_option_margin.price`);
every other product or quotient is integer arithmetic on raw wads (value · 10^18) with an
explicit floor or ceiling. The standard method's requirement, the maintenance add-on beyond the
mark, is computed here from its own formula (and cross-checked against the full maintenance of
`gen_option_margin.py`); the single-position grid is the model of `gen_option_margin.py`. Errors are written by hand from the spec's check order.

Run: python3 gen_stress.py (writes vega_shock.jsonl and option_pool.jsonl beside it).
"""

import json
import os

from gen_bs import fmt
from gen_option_margin import DERIBIT, E, GRID_DEFAULTS, grid, mul_ceil, mul_floor, price, raw, standard

HERE = os.path.dirname(os.path.abspath(__file__))


def err(what, kind="invalid"):
    return {"error": {"kind": kind, "what": what}}


# ---------------------------------------------------------------- vega_shock


def shocked(inp):
    m = inp["market"]
    S, s = raw(m["spot"]), raw(m["vol"])
    S2 = mul_floor(S, raw(inp["spot_shock"]))
    s2 = s + raw(inp["vol_shock"])
    return S2, s2, raw(m["rate"]), raw(m.get("yield", "0"))


def maintenance_add_on(kind, S, K, size, mark, p):
    """The standard maintenance beyond the mark, ⌈size·(MM − mark)⌉ (raw ints), from its own
    formula: MM − mark = max(⌈mm_base·S⌉ − OTM, ⌈mm_floor·B⌉), B = S (call) or max(S, mark) (put).
    The equity already subtracts the option's value, so this, not MM, is the requirement."""
    otm = max(K - S, 0) if kind == "call" else max(S - K, 0)
    base = S if kind == "call" else max(S, mark)
    return mul_ceil(size, max(mul_ceil(p["mm_base"], S) - otm, mul_ceil(p["mm_floor"], base)))


def vega_model(inp):
    S, s, r, y = shocked(inp)
    grid_method = inp["method"] == "grid"
    if grid_method:
        gp = {**GRID_DEFAULTS, **inp["params"]}
        p = {k: (v if isinstance(v, int) else raw(v)) for k, v in gp.items()}
    else:
        p = {k: raw(v) for k, v in {**DERIBIT, **inp.get("params", {})}.items()}
    rows, notes = [], []
    tot = dict(liquidatable=0, shortfall=0, premium_absorbed=0, to_insurance=0)
    for a in inp["accounts"]:
        coll, prem = raw(a["collateral"]), raw(a["premium"])
        liab, mm = 0, 0
        parts = []
        for ps in a["positions"]:
            K, t, q = raw(ps["strike"]), raw(ps["t"]), raw(ps["quantity"])
            if q < 0:
                v = price(ps["kind"], S, K, s, t, r, y, "ceil")
                liab += mul_ceil(-q, v)
                parts.append(f"short {fmt(-q)} {ps['kind']} K={ps['strike']}: ⌈V⌉ = {fmt(v)}, ⌈{fmt(-q)}·V⌉ = {fmt(mul_ceil(-q, v))}")
                if not grid_method:
                    add = maintenance_add_on(ps["kind"], S, K, -q, v, p)
                    # Cross-check with the full maintenance of gen_option_margin: MM·size holds
                    # the mark once more, ⌈size·(a + v)⌉ − ⌈size·a⌉ ∈ [⌊size·v⌋, ⌈size·v⌉].
                    full = standard(ps["kind"], S, K, -q, v, s, t, r, y, p)["maintenance"]
                    assert mul_floor(-q, v) <= full - add <= mul_ceil(-q, v)
                    mm += add
                    parts.append(f"add-on ⌈{fmt(-q)}·(MM − mark)⌉ = {fmt(add)}")
            else:
                v = price(ps["kind"], S, K, s, t, r, y, "floor")
                liab -= mul_floor(q, v)
                parts.append(f"long {fmt(q)} {ps['kind']} K={ps['strike']}: ⌊V⌋ = {fmt(v)}, −⌊{fmt(q)}·V⌋ = {fmt(-mul_floor(q, v))}")
        if grid_method and a["positions"]:
            assert len(a["positions"]) == 1 and raw(a["positions"][0]["quantity"]) < 0
            ps = a["positions"][0]
            g, _, _ = grid(ps["kind"], S, raw(ps["strike"]), -raw(ps["quantity"]), None, s, raw(ps["t"]), r, y, p)
            mm = g["requirement"]
        eq = coll - liab
        short = max(0, liab - coll)
        pa = min(short, prem)
        ti = short - pa
        liq = eq < mm
        rows.append(dict(liability=fmt(liab), equity=fmt(eq), maintenance=fmt(mm), liquidatable=liq,
                         shortfall=fmt(short), premium_absorbed=fmt(pa), to_insurance=fmt(ti)))
        notes.append("; ".join(parts + [
            f"liability {fmt(liab)}, equity {fmt(coll)} − {fmt(liab)} = {fmt(eq)}, maintenance {fmt(mm)}"
            f" → {'liquidatable' if liq else 'safe'}; shortfall max(0, {fmt(liab)} − {fmt(coll)}) = {fmt(short)},"
            f" premium min({fmt(short)}, {fmt(prem)}) = {fmt(pa)}, insurance {fmt(ti)}"]))
        tot["liquidatable"] += int(liq)
        for k in ("shortfall", "premium_absorbed", "to_insurance"):
            tot[k] += raw(rows[-1][k])
    out = dict(spot=fmt(S), vol=fmt(s), liquidatable=tot["liquidatable"], shortfall=fmt(tot["shortfall"]),
               premium_absorbed=fmt(tot["premium_absorbed"]), to_insurance=fmt(tot["to_insurance"]), accounts=rows)
    head = f"S' = ⌊{inp['market']['spot']}·{inp['spot_shock']}⌋ = {fmt(S)}, σ' = {inp['market']['vol']} + {inp['vol_shock']} = {fmt(s)}"
    return out, head + " | " + " | ".join(f"account {i}: {n}" for i, n in enumerate(notes))


def acct(coll, prem, *positions):
    return {"collateral": coll, "premium": prem, "positions": list(positions)}


def pos(kind, strike, t, q):
    return {"kind": kind, "strike": strike, "t": t, "quantity": q}


def vinp(accounts, spot_shock="1", vol_shock="0", method="standard", market=None, params=None):
    d = {"market": market or {"spot": "100", "vol": "0.5", "rate": "0"}, "spot_shock": spot_shock,
         "vol_shock": vol_shock, "method": method}
    if params is not None:
        d["params"] = params
    d["accounts"] = accounts
    return d


def vcase(inp, note="", expect=None):
    if expect is None:
        expect, auto = vega_model(inp)
        note = (note + " — " if note else "") + auto
    return {"op": "vega_shock", "input": inp, "expect": expect, "note": note}


GRIDP = {"price_scan": "0.15", "vol_scan": "0.25", "short_minimum": "0.1"}


def vega_cases():
    c = []
    put = pos("put", "100", "0.25", "-10")
    call = pos("call", "110", "0.5", "-5")
    # Hand-worked structure.
    c.append(vcase(vinp([acct("250", "4")]),
                   "an account with no positions: liability 0, equity = collateral 250, maintenance 0, safe, no shortfall"))
    c.append(vcase(vinp([]), "an empty book: every total is 0"))
    c.append(vcase(vinp([acct("0", "3", put)], "0.8", "0.2"),
                   "short puts with no collateral: the whole liability is the shortfall; the premium 3 absorbs 3"))
    c.append(vcase(vinp([acct("1000", "3", put)], "0.8", "0.2"), "well collateralised: no shortfall, nothing absorbed"))
    c.append(vcase(vinp([acct("150", "500", put)], "0.7", "0.3"),
                   "the premium exceeds the shortfall: it absorbs all of it, nothing for the insurance fund"))
    c.append(vcase(vinp([acct("0", "0", pos("put", "100", "0.25", "1"))], "0.8", "0.2"),
                   "a long put only: the liability is negative (an asset, rounded down), equity positive, no requirement"))
    c.append(vcase(vinp([acct("20", "1", pos("put", "100", "0.25", "-10"), pos("put", "90", "0.25", "10"))], "0.7", "0.2"),
                   "a put spread: the long put offsets the short one's liability; standard maintenance counts only the short"))
    # Down-shocks of increasing size on the same put book.
    for m in ("1", "0.95", "0.9", "0.8", "0.7", "0.5", "0.3"):
        c.append(vcase(vinp([acct("60", "5", put), acct("200", "10", put)], m, "0"), f"put book, spot × {m}"))
    # Vol shocks on a call book.
    for dv in ("-0.2", "0", "0.1", "0.25", "0.5", "1", "2"):
        c.append(vcase(vinp([acct("30", "2", call)], "1.05", dv), f"short calls, spot up 5 %, vol {dv}"))
    # Mixed book with rate and yield.
    mk = {"spot": "2000", "vol": "0.8", "rate": "0.05", "yield": "0.02"}
    book = [acct("500", "40", pos("call", "2400", "0.1", "-1"), pos("put", "1800", "0.1", "-1")),
            acct("50", "10", pos("put", "1900", "0.05", "-0.5")),
            acct("3000", "0", pos("call", "2000", "1", "-2"), pos("call", "2500", "1", "2"))]
    for m, dv in (("1", "0"), ("0.75", "0.4"), ("1.3", "0.3"), ("0.5", "1.2")):
        c.append(vcase(vinp(book, m, dv, market=mk), f"mixed book (r 5 %, yield 2 %), spot × {m}, vol + {dv}"))
    c.append(vcase(vinp(book, "0.75", "0.4", market=mk, params={"mm_base": "0.1", "mm_floor": "0.1", "im_base": "0.2", "im_floor": "0.15"}),
                   "the same under custom standard rates"))
    # Grid method, one short position per account.
    for m, dv in (("1", "0"), ("0.85", "0.2"), ("0.6", "0.5")):
        c.append(vcase(vinp([acct("40", "2", pos("put", "100", "0.25", "-2")), acct("5", "1", pos("call", "105", "0.25", "-1")), acct("9", "0")],
                            m, dv, method="grid", params=GRIDP), f"grid method, spot × {m}, vol + {dv}"))
    # Errors.
    E_ = lambda inp, what, note, kind="invalid": c.append(vcase(inp, note, err(what, kind)))
    ok = [acct("1", "1", put)]
    E_({k: v for k, v in vinp(ok).items() if k != "market"}, "market", "market missing")
    E_(vinp(ok, market={"spot": "100", "vol": "0.5", "rate": "0", "x": "1"}), "market.x", "unknown market key")
    E_(vinp(ok, market={"spot": "0", "vol": "0.5", "rate": "0"}), "market.spot", "spot must be > 0")
    E_(vinp(ok, market={"spot": "100", "vol": "0", "rate": "0"}), "market.vol", "vol must be > 0")
    E_(vinp(ok, market={"spot": "100", "vol": "0.5", "rate": "1.5"}), "market.rate", "rate beyond 1")
    E_(vinp(ok, market={"spot": "100", "vol": "0.5", "rate": "0", "yield": "-2"}), "market.yield", "yield below −1")
    E_(vinp(ok, market={"spot": 100, "vol": "0.5", "rate": "0"}), "market.spot", "a number, not a decimal string")
    E_(vinp(ok, "0"), "spot_shock", "the multiplier must be > 0")
    E_(vinp(ok, "-0.5"), "spot_shock", "a negative multiplier")
    E_(vinp(ok, "0.000000000000000001", market={"spot": "0.5", "vol": "0.5", "rate": "0"}), "spot_shock",
       "S' = ⌊0.5·1e-18⌋ = 0: not a valid spot")
    E_(vinp(ok, "1", "-0.5"), "vol_shock", "σ' = 0.5 − 0.5 = 0")
    E_(vinp(ok, "1", "9.6"), "vol_shock", "σ' = 10.1 > 10")
    E_(vinp(ok, "1", "x"), "vol_shock", "not a decimal")
    E_(vinp(ok, method="span"), "method", "unknown method")
    E_(vinp(ok, method="grid"), "params", "the grid needs params")
    E_(vinp(ok, method="grid", params={"price_scan": "0.15"}), "params.vol_scan", "vol_scan has no default")
    E_(vinp(ok, params={"im_base": "2"}), "params.im_base", "a rate above 1")
    E_(vinp(ok, params={"foo": "1"}), "params.foo", "unknown params key")
    E_(vinp(ok, method="grid", params={**GRIDP, "horizon": "0.25"}), "params.horizon", "horizon 0.25 ≥ t 0.25")
    E_(vinp(ok, market={"spot": "1000000000000000000", "vol": "0.5", "rate": "0"}, method="grid", params=GRIDP),
       "spot_shock", "S' = 10^18 is valid, but the grid's scenario S' + ⌈10^18·0.15/3⌉ = 1.05e18 > 10^18")
    E_(vinp(ok, market={"spot": "0.000000000000000001", "vol": "0.5", "rate": "0"}, method="grid", params=GRIDP),
       "spot_shock", "S' = 1e-18 is valid, but the grid's scenario S' − ⌈1e-18·0.05⌉ = 0")
    E_({**vinp(ok), "accounts": {}}, "accounts", "accounts must be an array")
    E_(vinp([acct("1", "1"), 5]), "accounts[1]", "an account must be an object")
    E_(vinp([{"collateral": "1", "premium": "1", "positions": [], "x": 1}]), "accounts[0].x", "unknown account key")
    E_(vinp([acct("-1", "1")]), "accounts[0].collateral", "negative collateral")
    E_(vinp([acct("1", "-1")]), "accounts[0].premium", "negative premium")
    E_(vinp([{"collateral": "1", "premium": "1"}]), "accounts[0].positions", "positions missing")
    E_(vinp([acct("1", "1", pos("straddle", "100", "1", "-1"))]), "accounts[0].positions[0].kind", "unknown kind")
    E_(vinp([acct("1", "1", put, pos("put", "0", "1", "-1"))]), "accounts[0].positions[1].strike", "strike must be > 0")
    E_(vinp([acct("1", "1", pos("put", "100", "0", "-1"))]), "accounts[0].positions[0].t", "t must be > 0")
    E_(vinp([acct("1", "1", pos("put", "100", "101", "-1"))]), "accounts[0].positions[0].t", "t beyond 100 years")
    E_(vinp([acct("1", "1", pos("put", "100", "1", "0"))]), "accounts[0].positions[0].quantity", "zero quantity")
    E_(vinp([acct("1", "1", *([put] * 9))]), "accounts[0].positions", "nine positions: beyond the capacity of 8", "capacity")
    return c


# ---------------------------------------------------------------- option_pool


def pool_model(inp):
    p = inp["pool"]
    L, s, k, r, y = raw(p["liquidity"]), raw(p["vol"]), raw(p["markup"]), raw(p["rate"]), raw(p.get("yield", "0"))
    S = raw(inp["spot"])
    N, prem = 0, 0
    sales, notes, sold = [], [], []
    for i, sl in enumerate(inp["sales"]):
        K, t, q = raw(sl["strike"]), raw(sl["t"]), raw(sl["quantity"])
        after = N + mul_ceil(q, K)
        u = -((-(after * E)) // L)
        if u > E:
            return err(f"sales[{i}].quantity"), f"sale {i}: u = ⌈{fmt(after)}/{fmt(L)}⌉ = {fmt(u)} > 1, refused"
        sq = mul_ceil(s, E + mul_ceil(k, u))
        unit = price(sl["kind"], S, K, sq, t, r, y, "ceil")
        pr = mul_ceil(q, unit)
        notes.append(f"sale {i}: N = {fmt(N)} + ⌈{fmt(q)}·{fmt(K)}⌉ = {fmt(after)}, u = ⌈{fmt(after)}/{fmt(L)}⌉ = {fmt(u)}, "
                     f"σ_q = ⌈{fmt(s)}·(1 + ⌈{fmt(k)}·{fmt(u)}⌉)⌉ = {fmt(sq)}, ⌈V⌉ = {fmt(unit)}, premium ⌈{fmt(q)}·{fmt(unit)}⌉ = {fmt(pr)}")
        N, prem = after, prem + pr
        sold.append((sl["kind"], K, t, q))
        sales.append(dict(utilisation=fmt(u), vol=fmt(sq), unit_price=fmt(unit), premium=fmt(pr)))
    S2 = mul_floor(S, raw(inp["spot_shock"]))
    s2 = s + raw(inp["vol_shock"])
    value = sum(mul_ceil(q, price(kd, S2, K, s2, t, r, y, "ceil")) for kd, K, t, q in sold)
    eq = L + prem - value
    notes.append(f"S' = ⌊{inp['spot']}·{inp['spot_shock']}⌋ = {fmt(S2)}, σ' = {fmt(s)} + {inp['vol_shock']} = {fmt(s2)}, "
                 f"value Σ⌈q·⌈V⌉⌉ = {fmt(value)}, equity {fmt(L)} + {fmt(prem)} − {fmt(value)} = {fmt(eq)}"
                 f" → {'solvent' if eq >= 0 else 'insolvent'}")
    out = dict(sales=sales, premiums=fmt(prem), notional=fmt(N), spot=fmt(S2), vol=fmt(s2), value=fmt(value),
               equity=fmt(eq), solvent=eq >= 0)
    return out, "; ".join(notes)


def pinp(sales, spot_shock="1", vol_shock="0", pool=None, spot="100"):
    return {"pool": pool or {"vol": "0.5", "markup": "1", "rate": "0", "liquidity": "1000"}, "spot": spot,
            "sales": sales, "spot_shock": spot_shock, "vol_shock": vol_shock}


def pcase(inp, note="", expect=None):
    if expect is None:
        expect, auto = pool_model(inp)
        note = (note + " — " if note else "") + auto
    return {"op": "option_pool", "input": inp, "expect": expect, "note": note}


def sale(kind, strike, t, q):
    return {"kind": kind, "strike": strike, "t": t, "quantity": q}


def pool_cases():
    c = []
    c.append(pcase(pinp([]), "no sales: equity = liquidity 1000, value 0, solvent"))
    c.append(pcase(pinp([sale("put", "100", "0.5", "2")]), "u = 200/1000 = 0.2, σ_q = 0.5·1.2 = 0.6; unshocked value at σ = 0.5 is below the premium"))
    c.append(pcase(pinp([sale("call", "100", "1", "1")], pool={"vol": "0.5", "markup": "1", "rate": "0", "liquidity": "300"}),
                   "u = ⌈100/300⌉ = 0.333333333333333334, σ_q = ⌈0.5·1.333333333333333334⌉ = 0.666666666666666667"))
    c.append(pcase(pinp([sale("put", "100", "0.5", "10")]), "u = 1 exactly: allowed, σ_q = 0.5·2 = 1"))
    c.append(pcase(pinp([sale("put", "100", "0.5", "2"), sale("put", "100", "0.5", "8.01")]), expect=err("sales[1].quantity"),
                   note="N = 200 + 801 = 1001 > L = 1000: u > 1, the second sale is refused"))
    c.append(pcase(pinp([sale("put", "100", "0.5", "1")], pool={"vol": "0.5", "markup": "0", "rate": "0", "liquidity": "1000"}),
                   "markup 0: σ_q = σ whatever the utilisation"))
    seq = [sale("put", "90", "0.25", "2"), sale("call", "110", "0.25", "2"), sale("put", "100", "0.1", "1"), sale("call", "100", "0.5", "1")]
    for m, dv in (("1", "0"), ("1", "0.2"), ("1", "1"), ("0.7", "0"), ("0.7", "0.5"), ("1.4", "0.3"), ("0.3", "1.5"), ("3", "0"), ("1", "-0.3")):
        c.append(pcase(pinp(seq, m, dv), f"four sales, utilisation climbing; shock spot × {m}, vol + {dv}"))
    thin = {"vol": "0.8", "markup": "0.5", "rate": "0.03", "yield": "0.01", "liquidity": "250"}
    for m, dv in (("1", "0"), ("1.5", "0.4"), ("2", "0"), ("3", "0.5"), ("0.5", "0.5")):
        c.append(pcase(pinp([sale("call", "100", "0.25", "1"), sale("call", "120", "0.25", "1")], m, dv, pool=thin),
                       f"thin call pool (r 3 %, yield 1 %), spot × {m}, vol + {dv}"))
    E_ = lambda inp, what, note, kind="invalid": c.append(pcase(inp, note, err(what, kind)))
    ok = [sale("put", "100", "0.5", "1")]
    base = {"vol": "0.5", "markup": "1", "rate": "0", "liquidity": "1000"}
    E_({k: v for k, v in pinp(ok).items() if k != "pool"}, "pool", "pool missing")
    E_(pinp(ok, pool={**base, "x": "1"}), "pool.x", "unknown pool key")
    E_(pinp(ok, pool={**base, "vol": "0"}), "pool.vol", "vol must be > 0")
    E_(pinp(ok, pool={**base, "rate": "-1.01"}), "pool.rate", "rate below −1")
    E_(pinp(ok, pool={**base, "yield": "1.01"}), "pool.yield", "yield above 1")
    E_(pinp(ok, pool={**base, "markup": "-0.1"}), "pool.markup", "negative mark-up")
    E_(pinp(ok, pool={**base, "vol": "5", "markup": "1.000000000000000001"}), "pool.markup",
       "⌈5·2.000000000000000001⌉ = 10.000000000000000005 > 10")
    E_(pinp(ok, pool={**base, "liquidity": "0"}), "pool.liquidity", "liquidity must be > 0")
    E_(pinp(ok, spot="0"), "spot", "spot must be > 0")
    E_(pinp(ok, "0"), "spot_shock", "multiplier 0")
    E_(pinp(ok, "1", "-0.5"), "vol_shock", "σ' = 0")
    E_({**pinp(ok), "sales": "x"}, "sales", "sales must be an array")
    E_(pinp([sale("put", "100", "0.5", "1"), 3]), "sales[1]", "a sale must be an object")
    E_(pinp([{**sale("put", "100", "0.5", "1"), "y": "1"}]), "sales[0].y", "unknown sale key")
    E_(pinp([sale("cap", "100", "0.5", "1")]), "sales[0].kind", "unknown kind")
    E_(pinp([sale("put", "-1", "0.5", "1")]), "sales[0].strike", "negative strike")
    E_(pinp([sale("put", "100", "0", "1")]), "sales[0].t", "t must be > 0")
    E_(pinp([sale("put", "100", "0.5", "0")]), "sales[0].quantity", "zero quantity")
    E_(pinp([sale("put", "100", "0.5", "-1")]), "sales[0].quantity", "a trader buys: quantity > 0")
    E_(pinp([sale("put", "1", "0.5", "1")] * 17, pool={**base, "markup": "0"}), "sales", "17 sales: beyond the capacity of 16", "capacity")
    return c


def write(name, cases):
    with open(os.path.join(HERE, name), "w") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(name, len(cases))


if __name__ == "__main__":
    write("vega_shock.jsonl", vega_cases())
    write("option_pool.jsonl", pool_cases())
