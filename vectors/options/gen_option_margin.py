#!/usr/bin/env python3
"""Generates vectors/options/option_margin.jsonl: the op `option_margin` (vectors/options/margin.md).

An independent model of the spec: the wad arithmetic on exact integers (raw units of 1e-18, every
product and quotient rounded in the direction the spec names), the Black-Scholes-Merton prices
with mpmath at 80 significant digits, each re-computed at 120 digits and required to round the same
way, and refused when within 1e-60 (relative) of a grid point (see gen_bs.py's `rnd`).

Run: python3 vectors/options/gen_option_margin.py   (writes option_margin.jsonl beside this script)
"""
import json
import os

from mpmath import mp, mpf, log, sqrt, exp, ncdf

from gen_bs import fmt, rnd

mp.dps = 80
E = 10**18
HERE = os.path.dirname(os.path.abspath(__file__))
MAX = (2**127 - 1)
MAX_PRICE = 10**36
MAX_VOL = 10 * E


def raw(s):
    """The raw wad (int) of a decimal string (exact)."""
    neg = s.startswith("-")
    s = s.lstrip("-")
    i, _, f = s.partition(".")
    assert len(f) <= 18, s
    v = int(i or "0") * E + int((f + "0" * 18)[:18] or "0")
    return -v if neg else v


def mul_ceil(a, b):
    return -((-(a * b)) // E)


def mul_floor(a, b):
    return (a * b) // E


def mul_div_ceil(a, b, c):
    return -((-(a * b)) // c)


def chk(v):
    if not -MAX - 1 <= v <= MAX:
        raise OverflowError
    return v


def bs(kind, S, K, s, t, r, q):
    """The exact model price (mpmath) from raw inputs."""
    S, K, s, t, r, q = (mpf(x) / E for x in (S, K, s, t, r, q))
    v = s * sqrt(t)
    d1 = (log(S / K) + (r - q + s * s / 2) * t) / v
    d2 = d1 - v
    A, B = S * exp(-q * t), K * exp(-r * t)
    return A * ncdf(d1) - B * ncdf(d2) if kind == "call" else B * ncdf(-d2) - A * ncdf(-d1)


def price(kind, S, K, s, t, r, q, direction):
    """The model price rounded to the grid (raw), identical at 80 and 120 digits."""
    a = rnd(bs(kind, S, K, s, t, r, q), direction)
    with mp.workdps(120):
        b = rnd(bs(kind, S, K, s, t, r, q), direction)
    assert a == b
    return a


def check_bs(S, K, s, t, r, q):
    """The field named by the ranges of BsInputs, in their order, or None."""
    for name, x, lo, lo_open, hi in [
        ("spot", S, 0, True, MAX_PRICE),
        ("strike", K, 0, True, MAX_PRICE),
        ("vol", s, 0, True, MAX_VOL),
        ("t", t, 0, True, 100 * E),
        ("rate", r, -E, False, E),
        ("yield", q, -E, False, E),
    ]:
        ok = (x > lo if lo_open else x >= lo) and x <= hi
        if not ok:
            return name
    return None


class Invalid(Exception):
    pass


def standard(kind, S, K, size, mark, s, t, r, q, p):
    """The standard margin (raw ints) or raises Invalid(what) / OverflowError."""
    if mark is None:
        mark = price(kind, S, K, s, t, r, q, "ceil")
    otm = max(K - S, 0) if kind == "call" else max(S - K, 0)
    im = max(mul_ceil(p["im_base"], S) - otm, mul_ceil(p["im_floor"], S))
    fb = S if kind == "call" else max(S, mark)
    mm = max(mul_ceil(p["mm_base"], S) - otm, mul_ceil(p["mm_floor"], fb))
    mmu = chk(mm + mark)
    imu = max(chk(im + mark), mmu)
    return dict(initial=chk(mul_ceil(size, imu)), maintenance=chk(mul_ceil(size, mmu)), mark=mark, otm=otm)


def grid(kind, S, K, size, mark, s, t, r, q, p):
    """The grid margin (raw ints): scenarios, worst, scan_risk, short_minimum, requirement,
    and the scenario table for notes."""
    qty = -size
    if mark is None:
        mark = price(kind, S, K, s, t, r, q, "ceil")
    up = min(mul_ceil(s, E + p["vol_scan"]), MAX_VOL)
    down = mul_ceil(s, E - p["vol_scan"])
    n = p["steps"]
    tt = t - p["horizon"]
    table = []

    def pnl(spot, sig):
        bad = check_bs(spot, K, sig, tt, r, q)
        if bad:
            raise Invalid(bad)
        v = price(kind, spot, K, sig, tt, r, q, "ceil")
        table.append((spot, sig, v))
        return mul_floor(qty, v - mark)

    out = []
    for j in range(n + 1):
        d = mul_div_ceil(S, p["price_scan"] * j, n * E)
        for spot in ([S] if j == 0 else [S + d, S - d]):
            for sig in (up, down):
                out.append(pnl(spot, sig))
    d = mul_ceil(S, p["price_scan"] * p["extreme_multiple"])
    for spot in (S + d, S - d):
        out.append(mul_floor(p["extreme_fraction"], pnl(spot, s)))
    least = min(out)
    worst = out.index(least)
    scan = max(-least, 0)
    smin = mul_ceil(p["short_minimum"], size)
    return dict(scenarios=out, worst=worst, scan_risk=scan, short_minimum=smin, requirement=max(scan, smin)), table, mark


DERIBIT = dict(im_base="0.15", im_floor="0.1", mm_base="0.075", mm_floor="0.075")
GRID_DEFAULTS = dict(steps=3, extreme_multiple=3, extreme_fraction="0.35", horizon="0", short_minimum="0")


def case(inp, note, expect=None):
    """Evaluates `inp` with the model (unless `expect` is given: an error)."""
    if expect is None:
        expect = evaluate(inp)
    return {"op": "option_margin", "input": inp, "expect": expect, "note": note}


def err(what, kind="invalid"):
    return {"error": {"kind": kind, "what": what}}


def evaluate(inp):
    kind = inp["kind"]
    S, K, s, t, r = (raw(inp[k]) for k in ("spot", "strike", "vol", "t", "rate"))
    q = raw(inp.get("yield", "0"))
    size = raw(inp["size"])
    mark = raw(inp["mark"]) if "mark" in inp else None
    if inp["method"] == "standard":
        p = {k: raw(v) for k, v in {**DERIBIT, **inp.get("params", {})}.items()}
        m = standard(kind, S, K, size, mark, s, t, r, q, p)
        return {k: fmt(m[k]) for k in ("initial", "maintenance", "mark", "otm")}
    gp = {**GRID_DEFAULTS, **inp["params"]}
    p = {k: (v if isinstance(v, int) else raw(v)) for k, v in gp.items()}
    try:
        g, _, _ = grid(kind, S, K, size, mark, s, t, r, q, p)
    except Invalid as e:
        return err(str(e))
    return {
        "scenarios": [fmt(v) for v in g["scenarios"]],
        "worst": g["worst"],
        "scan_risk": fmt(g["scan_risk"]),
        "short_minimum": fmt(g["short_minimum"]),
        "requirement": fmt(g["requirement"]),
    }


def pos(method, kind, strike, t, size, spot, vol, rate, **extra):
    d = {"method": method, "kind": kind, "strike": strike, "t": t, "size": size, "spot": spot, "vol": vol, "rate": rate}
    d.update(extra)
    return d


def standard_cases():
    c = []
    st = lambda *a, **k: pos("standard", *a, **k)
    # Worked by hand (Deribit's rates).
    c.append(case(st("call", "55000", "0.25", "2", "50000", "0.8", "0", mark="1500"),
                  "Deribit short call 10% OTM: OTM = 55000 − 50000 = 5000; IM/unit = max(0.15·50000 − 5000, 0.1·50000) + 1500 = max(2500, 5000) + 1500 = 6500; MM/unit = max(3750 − 5000, 0.075·50000) + 1500 = 5250; ×2: initial 13000, maintenance 10500"))
    c.append(case(st("call", "50000", "0.25", "1", "50000", "0.8", "0", mark="1500"),
                  "ATM short call: OTM 0; IM = 0.15·50000 + 1500 = 9000; MM = 3750 + 1500 = 5250"))
    c.append(case(st("call", "52000", "0.25", "1", "50000", "0.8", "0", mark="2000"),
                  "OTM 2000: IM = max(7500 − 2000, 5000) + 2000 = 7500; MM = max(3750 − 2000, 3750) + 2000 = 5750"))
    c.append(case(st("call", "40000", "0.25", "1", "50000", "0.8", "0", mark="11000"),
                  "ITM call: OTM = max(40000 − 50000, 0) = 0; IM = 7500 + 11000 = 18500; MM = 3750 + 11000 = 14750"))
    c.append(case(st("put", "45000", "0.25", "0.5", "50000", "0.8", "0", mark="800"),
                  "OTM put: OTM = 50000 − 45000 = 5000; IM/unit = max(max(2500, 5000) + 800, MM) = 5800; MM/unit = max(3750 − 5000, 0.075·max(50000, 800)) + 800 = 4550; ×0.5: initial 2900, maintenance 2275"))
    c.append(case(st("put", "5000", "0.25", "1", "1000", "0.8", "0", mark="4000"),
                  "deep ITM put: MM = 0.075·max(1000, 4000) + 4000 = 300 + 4000 = 4300; IM = max(max(150, 100) + 4000, 4300) = max(4150, 4300) = 4300: the maintenance decides (Deribit's max(…, Maintenance Margin))"))
    c.append(case(st("put", "50000", "0.25", "3", "50000", "0.8", "0", mark="7000"),
                  "ATM put: IM = max(7500 + 7000, MM) = 14500; MM = 0.075·50000 + 7000 = 10750; ×3: 43500, 32250"))
    c.append(case(st("call", "100", "0.25", "0.333333333333333333", "100", "0.8", "0", mark="5"),
                  "size rounds up: IM/unit = 15 + 5 = 20, ⌈0.333333333333333333·20⌉ = 6.66666666666666666; MM/unit = 7.5 + 5 = 12.5, 0.333333333333333333·12.5 = 4.1666666666666666625 → 4.166666666666666663"))
    c.append(case(st("call", "0.00000000000000001", "1", "1", "0.000000000000000007", "0.8", "0", mark="0"),
                  "rates round up: S = 7e-18, K = 1e-17: OTM 3e-18; ⌈0.15·7e-18⌉ = ⌈1.05e-18⌉ = 2e-18, 2e-18 − 3e-18 = −1e-18; ⌈0.1·7e-18⌉ = 1e-18: IM = 1e-18; MM: ⌈0.075·7e-18⌉ = 1e-18"))
    c.append(case(st("call", "110", "0.5", "1", "100", "0.6", "0.03", mark="0", params={"im_base": "0.2", "im_floor": "0.05", "mm_base": "0.1", "mm_floor": "0.02"}),
                  "custom rates, mark 0: OTM 10; IM = max(20 − 10, 5) = 10; MM = max(10 − 10, 2) = 2"))
    c.append(case(st("put", "90", "0.5", "1", "100", "0.6", "0.03", mark="0", params={"mm_base": "0.1", "mm_floor": "0.1"}),
                  "Aevo-like maintenance 0.1 (im defaults 0.15/0.1): OTM 10; IM = max(max(15 − 10, 10) + 0, MM) = 10; MM = max(10 − 10, 0.1·max(100, 0)) = 10"))
    c.append(case(st("put", "90", "0.5", "1", "100", "0.6", "0.03", mark="0", params={}),
                  "params {} = Deribit's: IM = max(max(15 − 10, 10), 7.5) = 10; MM = max(7.5 − 10, 7.5) = 7.5"))
    # The model's mark (BS price rounded up): the mark is the independent mpmath value.
    for kind, K, T, size, S, vol, r, q in [
        ("call", "100", "0.25", "1", "100", "0.8", "0", None),
        ("call", "120", "0.00273972602739726", "10", "100", "0.5", "0.05", None),
        ("call", "80", "1", "0.5", "100", "0.3", "0.02", "0.01"),
        ("call", "3000", "0.5", "7", "2500", "1.2", "0", "0"),
        ("put", "100", "0.25", "1", "100", "0.8", "0", None),
        ("put", "70", "0.1", "4", "100", "0.9", "0.04", "0.02"),
        ("put", "130", "2", "1.5", "100", "0.4", "-0.01", None),
        ("put", "0.5", "0.75", "1000", "0.45", "2", "0.1", "0.3"),
        ("call", "65000", "0.08", "0.1", "61234.56", "0.65", "0.05", "0"),
        ("put", "58000", "0.08", "0.1", "61234.56", "0.65", "0.05", "0"),
    ]:
        extra = {} if q is None else {"yield": q}
        inp = st(kind, K, T, size, S, vol, r, **extra)
        m = evaluate(inp)
        c.append(case(inp, f"mark = ⌈BS⌉ = {m['mark']} (mpmath); OTM = {m['otm']}; initial and maintenance from the formula with that mark", m))
    return c


def grid_cases():
    c = []
    gp = {"price_scan": "0.15", "vol_scan": "0.25"}
    # The worked position: a short ATM call, given mark.
    inp = pos("grid", "call", "100", "0.5", "1", "100", "0.5", "0", mark="10", params=gp)
    g, table, _ = grid("call", raw("100"), raw("100"), raw("1"), raw("10"), raw("0.5"), raw("0.5"), 0, 0,
                       {k: (v if isinstance(v, int) else raw(v)) for k, v in {**GRID_DEFAULTS, **gp}.items()})
    rows = "; ".join(f"#{i + 1} S={fmt(sp)} σ={fmt(sg)} ⌈C⌉={fmt(v)} P&L={fmt(g['scenarios'][i])}" for i, (sp, sg, v) in enumerate(table))
    c.append(case(inp, "worked grid (SPAN's 16 scenarios): short 1 ATM call, S = K = 100, σ = 0.5, t = 0.5, mark 10; R = 0.15·100 = 15, moves 0, ±5, ±10, ±15, extremes ±3·15 = ±45 at σ = 0.5 counted at 0.35; σ_up = ⌈0.5·1.25⌉ = 0.625, σ_down = 0.375; P&L = ⌊−1·(⌈C⌉ − 10)⌋ = 10 − ⌈C⌉, extremes ⌊0.35·(10 − ⌈C⌉)⌋: " + rows + f"; worst #{g['worst'] + 1} (index {g['worst']}), requirement = {fmt(g['requirement'])}"))
    inp = pos("grid", "put", "100", "0.5", "2", "100", "0.5", "0", mark="9", params={**gp, "short_minimum": "1"})
    g, table, _ = grid("put", raw("100"), raw("100"), raw("2"), raw("9"), raw("0.5"), raw("0.5"), 0, 0,
                       {k: (v if isinstance(v, int) else raw(v)) for k, v in {**GRID_DEFAULTS, **gp, "short_minimum": "1"}.items()})
    rows = "; ".join(f"#{i + 1} S={fmt(sp)} σ={fmt(sg)} ⌈P⌉={fmt(v)}" for i, (sp, sg, v) in enumerate(table))
    c.append(case(inp, "worked grid, short 2 ATM puts, mark 9: P&L = ⌊−2·(⌈P⌉ − 9)⌋; " + rows + f"; worst index {g['worst']} (down a whole range, vol up), requirement {fmt(g['requirement'])} > minimum 2·1 = 2"))
    # The short minimum binds: a far OTM call with a rich mark gains everywhere.
    c.append(case(pos("grid", "call", "1000", "0.5", "2", "100", "0.5", "0", mark="50", params={**gp, "short_minimum": "3"}),
                  "far OTM short call, mark 50: every scenario a gain (⌈C⌉ < 50): scan risk 0; requirement = short minimum ⌈3·2⌉ = 6; worst = the least gain"))
    for kind, K, T, size, S, vol, r, q, mark, params, note in [
        ("call", "110", "0.25", "1", "100", "0.8", "0.03", None, None, gp, "model mark (⌈BS⌉ now), OTM call"),
        ("put", "90", "0.25", "1", "100", "0.8", "0.03", "0.01", None, gp, "model mark, OTM put with yield"),
        ("call", "100", "0.5", "1", "100", "0.5", "0", None, "10", {**gp, "steps": 1}, "steps 1: 8 scenarios (0, ±R, extremes)"),
        ("call", "100", "0.5", "1", "100", "0.5", "0", None, "10", {**gp, "steps": 2}, "steps 2: 12 scenarios"),
        ("call", "100", "0.5", "1", "100", "0.5", "0", None, "10", {**gp, "steps": 7, "extreme_multiple": 2}, "steps 7 (the cap): 32 scenarios, moves j/7 of R rounded up; extremes 2·R"),
        ("put", "100", "0.5", "1", "100", "0.5", "0", None, "9", {**gp, "extreme_multiple": 2, "extreme_fraction": "0.35"}, "NSCCL/McMillan extremes: 2·R at 35 %"),
        ("put", "100", "0.5", "1", "100", "0.5", "0", None, "9", {**gp, "extreme_fraction": "1"}, "extremes counted in full: the down extreme (−45) is the worst"),
        ("put", "100", "0.5", "1", "100", "0.5", "0", None, "9", {**gp, "extreme_fraction": "0"}, "extremes not counted: their P&L is 0"),
        ("call", "100", "0.1", "1", "100", "0.5", "0", None, "2.5", {**gp, "horizon": "0.00273972602739726"}, "look-ahead about one day (0.00273972602739726 ≈ 1/365): every scenario priced at t − horizon"),
        ("call", "100", "0.5", "1", "100", "0.5", "0", None, "10", {"price_scan": "0.15", "vol_scan": "0"}, "vol_scan 0: σ_up = σ_down = σ; scenarios come in equal pairs"),
        ("call", "100", "0.5", "1", "100", "9", "0", None, None, {"price_scan": "0.1", "vol_scan": "0.5"}, "σ_up = ⌈9·1.5⌉ = 13.5 is capped at 10; σ_down = 4.5"),
        ("call", "3000", "0.25", "0.37", "2500", "1.1", "0.05", "0.02", None, {"price_scan": "0.2", "vol_scan": "0.3", "short_minimum": "25"}, "fractional size, rate and yield"),
        ("put", "0.8", "0.1", "12345.678", "1", "1.5", "0", None, None, {"price_scan": "0.3", "vol_scan": "0.2", "extreme_multiple": 2}, "an altcoin-like put: S = 1, range 30 %, extremes ±60 %"),
        ("call", "61234.56", "0.02", "0.25", "61234.56", "0.7", "0.05", None, None, {"price_scan": "0.12", "vol_scan": "0.33", "steps": 4, "horizon": "0.00273972602739726"}, "BTC-like: moves ⌈61234.56·0.12·j/4⌉"),
    ]:
        extra = {}
        if q is not None:
            extra["yield"] = q
        if mark is not None:
            extra["mark"] = mark
        inp = pos("grid", kind, K, T, size, S, vol, r, params=params, **extra)
        c.append(case(inp, note))
    return c


def error_cases():
    base_s = pos("standard", "call", "100", "0.5", "1", "100", "0.5", "0")
    base_g = pos("grid", "call", "100", "0.5", "1", "100", "0.5", "0", params={"price_scan": "0.15", "vol_scan": "0.25"})
    c = []

    def with_(base, note, what, ekind="invalid", drop=(), **kv):
        d = {k: v for k, v in base.items() if k not in drop}
        for k, v in kv.items():
            d[k] = v
        c.append(case(d, note, err(what, ekind)))

    def gparams(note, what, **kv):
        p = dict(base_g["params"])
        for k, v in kv.items():
            if v is None:
                p.pop(k)
            else:
                p[k] = v
        with_(base_g, note, what, params=p)

    with_(base_s, "an unknown key", "premium", premium="1")
    with_(base_s, "method missing", "method", drop=("method",))
    with_(base_s, "method not a choice", "method", method="span")
    with_(base_s, "kind not a choice", "kind", kind="straddle")
    with_(base_s, "strike missing", "strike", drop=("strike",))
    with_(base_s, "t a JSON number", "t", t=0.5)
    with_(base_s, "size missing", "size", drop=("size",))
    with_(base_s, "mark not a decimal", "mark", mark="1e2")
    with_(base_s, "spot missing", "spot", drop=("spot",))
    with_(base_s, "vol with 19 fractional digits", "vol", vol="0.5000000000000000001")
    with_(base_s, "rate missing", "rate", drop=("rate",))
    with_(base_s, "yield garbage", "yield", **{"yield": "x"})
    with_(base_s, "params not an object", "params", params="deribit")
    with_(base_s, "a grid key under the standard method", "params.price_scan", params={"price_scan": "0.1"})
    with_(base_s, "params.im_base above 1", "params.im_base", params={"im_base": "1.5"})
    with_(base_s, "params.im_floor negative", "params.im_floor", params={"im_floor": "-0.1"})
    with_(base_s, "params.mm_base above im_base", "params.mm_base", params={"im_base": "0.1", "mm_base": "0.2"})
    with_(base_s, "params.mm_floor above im_floor (0.1)", "params.mm_floor", params={"mm_floor": "0.11"})
    with_(base_s, "params.im_base not a decimal", "params.im_base", params={"im_base": 0.15})
    with_(base_s, "spot 0", "spot", spot="0")
    with_(base_s, "strike above 10^18", "strike", strike="1000000000000000000.000000000000000001")
    with_(base_s, "vol 0", "vol", vol="0")
    with_(base_s, "t above 100", "t", t="100.5")
    with_(base_s, "rate below −1", "rate", rate="-1.1")
    with_(base_s, "yield above 1", "yield", **{"yield": "2"})
    with_(base_s, "size 0: a short of nothing", "size", size="0")
    with_(base_s, "size negative", "size", size="-1")
    with_(base_s, "mark negative", "mark", mark="-0.01")
    with_(base_s, "params are checked before the model's ranges: params.im_base, not spot", "params.im_base", spot="0", params={"im_base": "2"})
    with_(base_s, "size is checked after the model's ranges: spot, not size", "spot", spot="0", size="0")
    with_(base_s, "overflow: 1.7e20 · (15 + 10) is beyond the wad range", None, size="170000000000000000000", mark="10")
    c[-1]["expect"] = {"error": {"kind": "overflow"}}
    with_(base_g, "grid without params", "params", drop=("params",))
    gparams("price_scan missing", "params.price_scan", price_scan=None)
    gparams("vol_scan missing", "params.vol_scan", vol_scan=None)
    gparams("price_scan 0", "params.price_scan", price_scan="0")
    gparams("price_scan 1", "params.price_scan", price_scan="1")
    gparams("vol_scan 1", "params.vol_scan", vol_scan="1")
    gparams("vol_scan negative", "params.vol_scan", vol_scan="-0.1")
    gparams("steps 0", "params.steps", steps=0)
    gparams("steps 8 (cap 7)", "params.steps", steps=8)
    gparams("steps a string", "params.steps", steps="3")
    gparams("extreme_multiple 0", "params.extreme_multiple", extreme_multiple=0)
    gparams("extreme_multiple 7: 7·0.15 = 1.05 ≥ 1", "params.extreme_multiple", extreme_multiple=7)
    gparams("extreme_fraction above 1", "params.extreme_fraction", extreme_fraction="1.01")
    gparams("horizon negative", "params.horizon", horizon="-0.01")
    gparams("horizon = t", "params.horizon", horizon="0.5")
    gparams("short_minimum negative", "params.short_minimum", short_minimum="-1")
    gparams("a standard key under the grid method", "params.im_base", im_base="0.15")
    with_(base_g, "grid: size 0", "size", size="0")
    with_(base_g, "grid: mark negative", "mark", mark="-1")
    with_(base_g, "grid: vol out of range", "vol", vol="10.5")
    with_(base_g, "a scenario spot above 10^18: 10^18 + ⌈10^18·0.15/3⌉", "spot", spot="1000000000000000000", strike="1000000000000000000")
    return c


def write(name, cases):
    with open(os.path.join(HERE, name), "w") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(name, len(cases))


if __name__ == "__main__":
    write("option_margin.jsonl", standard_cases() + grid_cases() + error_cases())
