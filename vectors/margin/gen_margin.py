#!/usr/bin/env python3
"""Generates dynamic_margin.jsonl and ewma_vol.jsonl: the golden vectors of the ops
`dynamic_margin` and `ewma_vol`.

Every expected value comes from the reference model below, written from the wire spec in
vectors/margin/README.md and not from the Rust code: exact rationals (fractions.Fraction) for
every product, sum and clamp, exact integer square roots (math.isqrt) for every square root,
and mpmath at 80 significant digits for the natural logarithm, each rounded to the 1e-18 grid
in the direction the spec states with explicit floor / ceil. Cases that carry `hand` have
their key fields worked by hand (the arithmetic is in the `note`); the script asserts them
against the model. Run: python3 gen_margin.py (writes both files beside this script).
"""
import json
import math
import os
from fractions import Fraction as F

import mpmath

mpmath.mp.dps = 80

SCALE = 10**18
UNIT = F(1, SCALE)
MAX_RAW = 2**127 - 1
MIN_RAW = -(2**127)
MAX = F(MAX_RAW, SCALE)


class Failure(Exception):
    def __init__(self, kind, what):
        super().__init__(kind, what)
        self.kind, self.what = kind, what


def invalid(what):
    return Failure("invalid", what)


OVERFLOW = ("overflow", "result out of range")


def overflow():
    return Failure(*OVERFLOW)


def raw_of(x):
    r = x / UNIT
    assert r.denominator == 1, x
    return r.numerator


def fits(x):
    return MIN_RAW <= raw_of(x) <= MAX_RAW


def floor_wad(x):
    n = x * SCALE
    return F(n.numerator // n.denominator, SCALE)


def ceil_wad(x):
    n = x * SCALE
    return F(-((-n.numerator) // n.denominator), SCALE)


def checked(x):
    if not fits(x):
        raise overflow()
    return x


def canon(x):
    raw = raw_of(x)
    sign = "-" if raw < 0 else ""
    whole, frac = divmod(abs(raw), SCALE)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}." + f"{frac:018d}".rstrip("0")


# ---------------------------------------------------------------- wire grammar (a subset)

def parse_dec(v, what):
    """A wire decimal: a JSON string, optional '-', digits, optional '.' and 1-18 digits."""
    if not isinstance(v, str):
        raise invalid(what)
    s = v
    neg = s.startswith("-")
    if neg:
        s = s[1:]
    whole, dot, frac = s.partition(".")
    if not whole.isdigit() or not whole.isascii() or (dot and (not frac.isdigit() or len(frac) > 18)):
        raise invalid(what)
    x = F(int(whole)) + (F(int(frac), 10 ** len(frac)) if dot else 0)
    x = -x if neg else x
    if not fits(x):
        raise invalid(what)
    return x


def parse_count(v, what):
    if isinstance(v, bool) or not isinstance(v, int) or v < 0 or v > 2**32 - 1:
        raise invalid(what)
    return v


def obj(parent, key, path, required=True):
    if key not in parent:
        if required:
            raise invalid(path)
        return None
    v = parent[key]
    if not isinstance(v, dict):
        raise invalid(path)
    return v


def strict(o, keys, prefix):
    for k in o:
        if k not in keys:
            raise invalid(prefix + k)


def dec(o, key, prefix, default=None, required=True):
    if key not in o:
        if required and default is None:
            raise invalid(prefix + key)
        return default
    return parse_dec(o[key], prefix + key)


def opt_dec(o, key, prefix):
    return parse_dec(o[key], prefix + key) if key in o else None


# ---------------------------------------------------------------- square roots and ln

def sqrt_ceil(x):
    """⌈√x⌉ on the grid, x ≥ 0: √(raw·1e-18) = √(raw·1e18)·1e-18."""
    n = raw_of(x) * SCALE
    r = math.isqrt(n)
    if r * r != n:
        r += 1
    return F(r, SCALE)


def ln_ceil(q):
    """⌈ln q⌉ on the grid, q ≥ 1 a grid value."""
    if q == 1:
        return F(0)
    for dps in (80, 160):
        mpmath.mp.dps = dps
        v = mpmath.log(mpmath.mpf(q.numerator) / q.denominator) * SCALE
        c = int(mpmath.ceil(v))
        if abs(v - mpmath.mpf(c)) > mpmath.mpf(10) ** (-(dps // 2)) and abs(v - (c - 1)) > mpmath.mpf(10) ** (-(dps // 2)):
            mpmath.mp.dps = 80
            return F(c, SCALE)
    raise AssertionError(f"ln too close to the grid: {q}")


# ---------------------------------------------------------------- dynamic_margin

def sat_product_up(a, b):
    """⌈a·b⌉ for a, b ≥ 0, or MAX when it does not fit."""
    p = ceil_wad(a * b)
    return p if raw_of(p) <= MAX_RAW else MAX


def dyn_params(inp):
    p = obj(inp, "params", "params")
    strict(p, ["base", "k_vol", "k_skew", "horizon", "floor", "cap", "init_spread"], "params.")
    pre = "params."
    base = dec(p, "base", pre)
    k_vol = dec(p, "k_vol", pre)
    k_skew = dec(p, "k_skew", pre, default=F(0))
    horizon = dec(p, "horizon", pre)
    floor = dec(p, "floor", pre, default=F(0))
    cap = dec(p, "cap", pre)
    spread = dec(p, "init_spread", pre)
    if cap <= 0 or cap > 1:
        raise invalid("params.cap")
    if base < 0 or base > cap:
        raise invalid("params.base")
    if k_vol < 0:
        raise invalid("params.k_vol")
    if k_skew < 0:
        raise invalid("params.k_skew")
    if horizon <= 0:
        raise invalid("params.horizon")
    if floor < 0 or floor > cap:
        raise invalid("params.floor")
    if spread <= 0 or cap + spread > 1:
        raise invalid("params.init_spread")
    c = sat_product_up(k_vol, sqrt_ceil(horizon))
    return dict(base=base, k_skew=k_skew, floor=floor, cap=cap, spread=spread, c=c)


def dyn_margin(P, sigma, skew):
    vol_term = sat_product_up(P["c"], sigma)
    skew_term = sat_product_up(P["k_skew"], max(skew, F(0)))
    total = min(P["base"] + vol_term + skew_term, MAX)  # saturating sum
    if total > P["cap"]:
        return P["cap"], vol_term, skew_term, "cap"
    if total < P["floor"]:
        return P["floor"], vol_term, skew_term, "floor"
    return total, vol_term, skew_term, "none"


def size_margin(m, f, s):
    """max(m, ⌈0.8·(1+m)⌉ + ⌈f·⌈√|s|⌉⌉ − 1); m when f = 0 or s = 0."""
    if f == 0 or s == 0:
        return m
    premium = checked(ceil_wad(f * sqrt_ceil(checked(abs(s)))))
    scaled = checked(ceil_wad(F(4, 5) * (1 + m)) + premium)
    return max(1 + m, scaled) - 1


def model_dynamic(inp):
    for k in inp:
        if k not in ["params", "sigma", "skew", "governor", "size"]:
            raise invalid(k)
    P = dyn_params(inp)
    sigma = dec(inp, "sigma", "")
    if sigma < 0:
        raise invalid("sigma")
    skew = dec(inp, "skew", "", default=F(0))
    g = obj(inp, "governor", "governor", required=False)
    if g is not None:
        strict(g, ["previous", "max_decrease", "buffer", "stressed_sigma"], "governor.")
        prev = opt_dec(g, "previous", "governor.")
        dmax = opt_dec(g, "max_decrease", "governor.")
        buffer = dec(g, "buffer", "governor.", default=F(0))
        stressed = opt_dec(g, "stressed_sigma", "governor.")
        if dmax is not None and dmax < 0:
            raise invalid("governor.max_decrease")
        if buffer < 0 or buffer > 1:
            raise invalid("governor.buffer")
        if stressed is not None and stressed < 0:
            raise invalid("governor.stressed_sigma")
        if prev is not None and (prev < 0 or prev > P["cap"]):
            raise invalid("governor.previous")
    sz = obj(inp, "size", "size", required=False)
    if sz is not None:
        strict(sz, ["size_factor", "size"], "size.")
        f = dec(sz, "size_factor", "size.")
        if f < 0:
            raise invalid("size.size_factor")
        s = dec(sz, "size", "size.")

    mm, vol_term, skew_term, bound = dyn_margin(P, sigma, skew)
    out_gov = dict(stressed_floor=None, requirement=None, target=None, rate_limited=None)
    maint = mm
    if g is not None:
        F_ = dyn_margin(P, stressed, F(0))[0] if stressed is not None else None
        R = max(mm, F_) if F_ is not None else mm
        T = min(ceil_wad(R * (1 + buffer)), P["cap"])
        limited = False
        if prev is None:
            maint = T
        else:
            cand = max(R, min(T, prev))
            if dmax is not None:
                lowest = prev - dmax
                limited = lowest > cand
                maint = max(cand, lowest)
            else:
                maint = cand
        out_gov = dict(stressed_floor=F_, requirement=R, target=T, rate_limited=limited)
    initial = maint + P["spread"]
    sized = (None, None)
    if sz is not None:
        sized = (size_margin(maint, f, s), size_margin(initial, f, s))
    w = lambda x: None if x is None else canon(x)
    return {
        "maintenance": w(maint),
        "initial": w(initial),
        "dynamic": w(mm),
        "vol_term": w(vol_term),
        "skew_term": w(skew_term),
        "bound": bound,
        "stressed_floor": w(out_gov["stressed_floor"]),
        "requirement": w(out_gov["requirement"]),
        "target": w(out_gov["target"]),
        "rate_limited": out_gov["rate_limited"],
        "sized_maintenance": w(sized[0]),
        "sized_initial": w(sized[1]),
    }


# ---------------------------------------------------------------- ewma_vol

def model_ewma(inp):
    for k in inp:
        if k not in ["prices", "lambda", "periods_per_year", "seed_variance"]:
            raise invalid(k)
    if "prices" not in inp or not isinstance(inp["prices"], list):
        raise invalid("prices")
    prices = [parse_dec(p, f"prices[{i}]") for i, p in enumerate(inp["prices"])]
    if len(prices) < 2:
        raise invalid("prices")
    for i, p in enumerate(prices):
        if p <= 0:
            raise invalid(f"prices[{i}]")
    lam = dec(inp, "lambda", "", default=F(94, 100))
    if "periods_per_year" not in inp:
        raise invalid("periods_per_year")
    n = parse_count(inp["periods_per_year"], "periods_per_year")
    seed = opt_dec(inp, "seed_variance", "")
    if lam <= 0 or lam >= 1:
        raise invalid("lambda")
    if n == 0:
        raise invalid("periods_per_year")
    if seed is not None and seed < 0:
        raise invalid("seed_variance")
    v = seed
    for a, b in zip(prices, prices[1:]):
        hi, lo = max(a, b), min(a, b)
        q = checked(ceil_wad(hi / lo))
        r = ln_ceil(q)
        s = ceil_wad(r * r)
        v = s if v is None else s + ceil_wad(lam * (v - s))
    annual = checked(v * n)
    return {
        "variance": canon(v),
        "vol": canon(sqrt_ceil(v)),
        "annual_vol": canon(sqrt_ceil(annual)),
        "returns": len(prices) - 1,
    }


# ---------------------------------------------------------------- cases

def case(op, model, inp, note, hand=None):
    try:
        expect = model(inp)
    except Failure as e:
        expect = {"error": {"kind": e.kind, "what": e.what}}
    if hand:
        for k, v in hand.items():
            got = expect["error"] if k == "error" else expect[k]
            assert got == v, (op, inp, k, got, v)
    return {"op": op, "input": inp, "expect": expect, "note": note}


P0 = {"base": "0.05", "k_vol": "0.1", "k_skew": "0.2", "horizon": "1", "floor": "0.05", "cap": "0.5", "init_spread": "0.05"}


def with_(d, **kw):
    out = dict(d)
    for k, v in kw.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def dynamic_cases():
    c = []
    D = lambda inp, note, hand=None: c.append(case("dynamic_margin", model_dynamic, inp, note, hand))
    D({"params": P0, "sigma": "0.8", "skew": "0.1"},
      "c = ⌈0.1·√1⌉ = 0.1; mm = 0.05 + 0.1·0.8 + 0.2·0.1 = 0.05 + 0.08 + 0.02 = 0.15; initial = 0.15 + 0.05 = 0.2",
      {"maintenance": "0.15", "initial": "0.2", "vol_term": "0.08", "skew_term": "0.02", "bound": "none"})
    D({"params": P0, "sigma": "0"},
      "σ 0, skew absent (0): sum = base = 0.05 = floor, not below it: bound none",
      {"maintenance": "0.05", "initial": "0.1", "bound": "none"})
    D({"params": with_(P0, floor="0.08"), "sigma": "0.1"},
      "0.05 + 0.01 + 0 = 0.06 < floor 0.08: mm = 0.08, initial 0.13",
      {"maintenance": "0.08", "initial": "0.13", "bound": "floor"})
    D({"params": P0, "sigma": "5"},
      "0.05 + 0.5 = 0.55 > cap 0.5: mm = 0.5, initial 0.55",
      {"maintenance": "0.5", "initial": "0.55", "bound": "cap"})
    D({"params": P0, "sigma": "4.5"},
      "0.05 + 0.45 = 0.5 = cap exactly: bound none",
      {"maintenance": "0.5", "bound": "none"})
    D({"params": P0, "sigma": "0.5", "skew": "-0.3"},
      "negative skew counts as 0: 0.05 + 0.05 + ⌈0.2·max(−0.3, 0)⌉ = 0.1",
      {"maintenance": "0.1", "skew_term": "0"})
    D({"params": P0, "sigma": "0.5", "skew": "0"},
      "the same as skew −0.3: 0.1",
      {"maintenance": "0.1"})
    D({"params": P0, "sigma": "0.5", "skew": "0.000000000000000001"},
      "skew 1e-18: ⌈0.2e-18⌉ = 1e-18: mm = 0.100000000000000001 (the product rounds up)",
      {"maintenance": "0.100000000000000001", "skew_term": "0.000000000000000001"})
    D({"params": with_(P0, k_vol="1", base="0", floor="0", cap="0.9", init_spread="0.1", horizon="2", k_skew="0"), "sigma": "0.5"},
      "c = ⌈1·⌈√2⌉⌉ = 1.414213562373095049; ⌈c·0.5⌉ = ⌈0.7071067811865475245⌉ = 0.707106781186547525",
      {"vol_term": "0.707106781186547525", "maintenance": "0.707106781186547525", "initial": "0.807106781186547525"})
    D({"params": with_(P0, k_vol="3", horizon="0.00273972602739726", base="0.02", floor="0.02", k_skew="0.5"), "sigma": "0.8", "skew": "0.05"},
      "a 3-sigma one-day move: horizon ≈ 1/365, ⌈√h⌉ then ⌈3·⌈√h⌉⌉ = c; mm = 0.02 + ⌈c·0.8⌉ + ⌈0.5·0.05⌉ (≈ 0.02 + 0.1256 + 0.025)")
    D({"params": with_(P0, k_vol="2.33", horizon="0.019178082191780822", base="0.01", floor="0.03", k_skew="1", cap="0.9", init_spread="0.1"), "sigma": "1.2", "skew": "0.08"},
      "99 % one-week horizon (7/365): c = ⌈2.33·⌈√(7/365)⌉⌉; mm = 0.01 + ⌈c·1.2⌉ + 0.08")
    D({"params": with_(P0, k_vol="2.33", horizon="0.019178082191780822", base="0.01", floor="0.03", k_skew="1", cap="0.9", init_spread="0.1"), "sigma": "0.05", "skew": "0"},
      "the same parameters at σ 5 %: 0.01 + ⌈c·0.05⌉ ≈ 0.0261 < floor 0.03: the floor")
    D({"params": with_(P0, k_skew=None, floor=None), "sigma": "0.3", "skew": "0.5"},
      "k_skew and floor absent default to 0: mm = 0.05 + 0.03 + 0 = 0.08",
      {"maintenance": "0.08", "skew_term": "0"})
    D({"params": with_(P0, k_skew="2"), "sigma": "170141183460469231731.687303715884105727", "skew": "170141183460469231731.687303715884105727"},
      "σ = skew = MAX: ⌈0.1·MAX⌉ = 17014118346046923173.168730371588410573 fits, ⌈2·MAX⌉ does not: saturated at MAX; mm = cap",
      {"vol_term": "17014118346046923173.168730371588410573", "skew_term": "170141183460469231731.687303715884105727", "maintenance": "0.5", "bound": "cap"})
    D({"params": with_(P0, k_vol="170141183460469231731.687303715884105727", horizon="4"), "sigma": "0.000000000000000001"},
      "c = ⌈MAX·2⌉ saturates at MAX; ⌈MAX·1e-18⌉ = 170.141183460469231732 > cap: mm = cap",
      {"maintenance": "0.5", "vol_term": "170.141183460469231732"})
    D({"params": with_(P0, k_vol="170141183460469231731.687303715884105727", horizon="4"), "sigma": "0"},
      "saturated c with σ 0: vol_term 0, mm = base 0.05",
      {"maintenance": "0.05", "vol_term": "0"})
    D({"params": with_(P0, cap="0.95"), "sigma": "100"},
      "cap 0.95 + init_spread 0.05 = 1 is allowed: mm 0.95, initial 1",
      {"maintenance": "0.95", "initial": "1"})
    D({"params": with_(P0, cap="1", init_spread="0.000000000000000001", base="1", floor="1"), "sigma": "0"},
      "cap 1 leaves no room for an initial spread: 1 + 0.000000000000000001 > 1 → params.init_spread",
      {"error": {"kind": "invalid", "what": "params.init_spread"}})
    # the governor
    G = lambda **kw: kw
    D({"params": P0, "sigma": "0.5", "governor": {}},
      "governor with no parameters and no previous: R = dynamic = 0.1, T = ⌈0.1·(1+0)⌉ = 0.1, published T",
      {"maintenance": "0.1", "requirement": "0.1", "target": "0.1", "rate_limited": False, "stressed_floor": None})
    D({"params": P0, "sigma": "0.5", "governor": G(buffer="0.25", max_decrease="0.01")},
      "first period with a 25 % buffer: R = 0.1, T = 0.125 published; initial 0.175",
      {"maintenance": "0.125", "initial": "0.175", "target": "0.125"})
    D({"params": P0, "sigma": "0.7", "governor": G(previous="0.125", buffer="0.25", max_decrease="0.01")},
      "R = 0.12 ≤ previous 0.125: C = max(0.12, min(0.15, 0.125)) = 0.125 — the buffer absorbs the rise",
      {"maintenance": "0.125", "requirement": "0.12", "target": "0.15", "rate_limited": False})
    D({"params": P0, "sigma": "1.5", "governor": G(previous="0.125", buffer="0.25", max_decrease="0.01")},
      "R = 0.2 > previous 0.125: the margin rises at once, to R = 0.2 only (T = 0.25 is not published)",
      {"maintenance": "0.2", "target": "0.25"})
    D({"params": P0, "sigma": "0.5", "governor": G(previous="0.2", buffer="0.25", max_decrease="0.01")},
      "R falls to 0.1: C = max(0.1, min(0.125, 0.2)) = 0.125 but 0.2 − 0.01 = 0.19 > C: rate-limited to 0.19",
      {"maintenance": "0.19", "rate_limited": True, "initial": "0.24"})
    D({"params": P0, "sigma": "0.5", "governor": G(previous="0.13", buffer="0.25", max_decrease="0.01")},
      "0.13 − 0.01 = 0.12 < C = 0.125: the fall ends at the buffered target 0.125",
      {"maintenance": "0.125", "rate_limited": False})
    D({"params": P0, "sigma": "0.5", "governor": G(previous="0.2", buffer="0.25")},
      "no max_decrease: falls at once to C = max(0.1, min(0.125, 0.2)) = 0.125",
      {"maintenance": "0.125", "rate_limited": False})
    D({"params": P0, "sigma": "0.5", "governor": G(previous="0.3", max_decrease="0")},
      "max_decrease 0 is a ratchet: R = 0.1, C = max(0.1, min(0.1, 0.3)) = 0.1, 0.3 − 0 = 0.3 holds",
      {"maintenance": "0.3", "rate_limited": True})
    D({"params": P0, "sigma": "0.1", "governor": G(stressed_sigma="1")},
      "stressed σ 1: F = 0.05 + 0.1·1 = 0.15 > dynamic 0.06: R = 0.15, published 0.15",
      {"stressed_floor": "0.15", "requirement": "0.15", "maintenance": "0.15", "dynamic": "0.06"})
    D({"params": P0, "sigma": "2", "skew": "0.1", "governor": G(stressed_sigma="1")},
      "dynamic 0.05 + 0.2 + 0.02 = 0.27 > F = 0.15: R = 0.27 (F uses zero skew)",
      {"stressed_floor": "0.15", "requirement": "0.27", "maintenance": "0.27"})
    D({"params": P0, "sigma": "0.1", "governor": G(stressed_sigma="0")},
      "stressed σ 0: F = base 0.05, below dynamic 0.06",
      {"stressed_floor": "0.05", "requirement": "0.06"})
    D({"params": P0, "sigma": "4", "governor": G(buffer="0.25")},
      "R = 0.45, ⌈0.45·1.25⌉ = 0.5625 > cap: T = cap 0.5",
      {"target": "0.5", "maintenance": "0.5", "initial": "0.55"})
    D({"params": P0, "sigma": "0.5", "governor": G(buffer="1")},
      "buffer 100 %: T = 0.2",
      {"target": "0.2", "maintenance": "0.2"})
    D({"params": with_(P0, k_vol="0.3", horizon="0.5"), "sigma": "0.7", "governor": G(buffer="0.25")},
      "T = ⌈R·1.25⌉ with R = 0.05 + ⌈⌈0.3·⌈√0.5⌉⌉·0.7⌉: both products round up")
    D({"params": P0, "sigma": "0.5", "governor": G(previous="0", buffer="0.25", max_decrease="0.01")},
      "previous 0 (allowed): R = 0.1 > 0 so the margin rises to R = 0.1 (not to T)",
      {"maintenance": "0.1"})
    D({"params": P0, "sigma": "0", "governor": G(previous="0.5", max_decrease="0.1")},
      "previous = cap 0.5: R = 0.05, 0.5 − 0.1 = 0.4 holds",
      {"maintenance": "0.4", "rate_limited": True})
    D({"params": P0, "sigma": "0", "governor": G(previous="0.5", max_decrease="170141183460469231731.687303715884105727")},
      "a huge max_decrease is no limit: published R = 0.05",
      {"maintenance": "0.05", "rate_limited": False})
    D({"params": P0, "sigma": "0.7", "governor": G(previous="0.125", buffer="0.25", max_decrease="0.01", stressed_sigma="0.8")},
      "F = 0.13 > dynamic 0.12: R = 0.13 > previous 0.125 → rises to 0.13",
      {"requirement": "0.13", "maintenance": "0.13"})
    # size tiers
    D({"params": P0, "sigma": "0.5", "size": {"size_factor": "0.01", "size": "10000"}},
      "mm 0.1, initial 0.15; √10000 = 100, premium 0.01·100 = 1; maint: max(1.1, 0.88 + 1) − 1 = 0.88; initial: 0.92 + 1 − 1 = 0.92",
      {"sized_maintenance": "0.88", "sized_initial": "0.92"})
    D({"params": P0, "sigma": "0.5", "size": {"size_factor": "0.01", "size": "-1"}},
      "short of 1: premium 0.01: 0.88 + 0.01 = 0.89 < 1.1: unchanged 0.1 / 0.15",
      {"sized_maintenance": "0.1", "sized_initial": "0.15"})
    D({"params": P0, "sigma": "0.5", "size": {"size_factor": "0.01", "size": "0"}},
      "size 0: unchanged",
      {"sized_maintenance": "0.1", "sized_initial": "0.15"})
    D({"params": P0, "sigma": "0.5", "size": {"size_factor": "0", "size": "1000000"}},
      "factor 0: unchanged",
      {"sized_maintenance": "0.1"})
    D({"params": P0, "sigma": "0.5", "size": {"size_factor": "0.5", "size": "2"}},
      "⌈√2⌉ = 1.414213562373095049; ⌈0.5·that⌉ = 0.707106781186547525; 0.88 + 0.707106781186547525 − 1 = 0.587106781186547525",
      {"sized_maintenance": "0.587106781186547525"})
    D({"params": P0, "sigma": "0.5", "size": {"size_factor": "0.001", "size": "90000"}},
      "√90000 = 300, premium 0.3: 0.88 + 0.3 = 1.18 > 1.1 → 0.18; initial 0.92 + 0.3 − 1 = 0.22",
      {"sized_maintenance": "0.18", "sized_initial": "0.22"})
    D({"params": P0, "sigma": "0.5", "governor": G(previous="0.2", max_decrease="0.01"), "size": {"size_factor": "0.001", "size": "90000"}},
      "governed 0.19 then sized: 0.8·1.19 = 0.952 + 0.3 = 1.252 → 0.252; initial 0.8·1.24 = 0.992 + 0.3 → 0.292",
      {"maintenance": "0.19", "sized_maintenance": "0.252", "sized_initial": "0.292"})
    D({"params": P0, "sigma": "0.5", "size": {"size_factor": "170141183460469231731.687303715884105727", "size": "170141183460469231731.687303715884105727"}},
      "premium MAX·√MAX does not fit: overflow",
      {"error": {"kind": "overflow", "what": "result out of range"}})
    # errors
    E = lambda inp, what, note: D(inp, note, {"error": {"kind": "invalid", "what": what}})
    E({"sigma": "0.5"}, "params", "params missing")
    E({"params": "x", "sigma": "0.5"}, "params", "params not an object")
    E({"params": with_(P0, extra="1"), "sigma": "0.5"}, "params.extra", "unknown key in params")
    E({"params": with_(P0, base=None), "sigma": "0.5"}, "params.base", "base missing")
    E({"params": with_(P0, k_vol=0.1), "sigma": "0.5"}, "params.k_vol", "k_vol a JSON number")
    E({"params": with_(P0, horizon=None), "sigma": "0.5"}, "params.horizon", "horizon missing")
    E({"params": with_(P0, cap="0"), "sigma": "0.5"}, "params.cap", "cap 0 (must be > 0)")
    E({"params": with_(P0, cap="1.000000000000000001"), "sigma": "0.5"}, "params.cap", "cap above 1")
    E({"params": with_(P0, base="-0.01"), "sigma": "0.5"}, "params.base", "base negative")
    E({"params": with_(P0, base="0.51"), "sigma": "0.5"}, "params.base", "base 0.51 > cap 0.5")
    E({"params": with_(P0, cap="0.04"), "sigma": "0.5"}, "params.base", "cap 0.04 is valid, base 0.05 above it")
    E({"params": with_(P0, k_vol="-0.1"), "sigma": "0.5"}, "params.k_vol", "k_vol negative")
    E({"params": with_(P0, k_skew="-0.1"), "sigma": "0.5"}, "params.k_skew", "k_skew negative")
    E({"params": with_(P0, horizon="0"), "sigma": "0.5"}, "params.horizon", "horizon 0")
    E({"params": with_(P0, floor="-0.01"), "sigma": "0.5"}, "params.floor", "floor negative")
    E({"params": with_(P0, floor="0.500000000000000001"), "sigma": "0.5"}, "params.floor", "floor above cap")
    E({"params": with_(P0, init_spread="0"), "sigma": "0.5"}, "params.init_spread", "init_spread 0 (must be > 0)")
    E({"params": with_(P0, init_spread="0.500000000000000001"), "sigma": "0.5"}, "params.init_spread", "cap + init_spread = 1.000000000000000001 > 1")
    E({"params": with_(P0, cap="2", base="-1"), "sigma": "0.5"}, "params.cap", "ranges are checked cap first")
    E({"params": P0}, "sigma", "sigma missing")
    E({"params": P0, "sigma": 0.5}, "sigma", "sigma a JSON number")
    E({"params": P0, "sigma": "-0.000000000000000001"}, "sigma", "sigma negative")
    E({"params": P0, "sigma": "0.5", "skew": "1e-2"}, "skew", "skew with an exponent")
    E({"params": P0, "sigma": "0.5", "governor": []}, "governor", "governor not an object")
    E({"params": P0, "sigma": "0.5", "governor": {"rate": "0.1"}}, "governor.rate", "unknown key in governor")
    E({"params": P0, "sigma": "0.5", "governor": {"previous": "0.500000000000000001"}}, "governor.previous", "previous above cap")
    E({"params": P0, "sigma": "0.5", "governor": {"previous": "-0.1"}}, "governor.previous", "previous negative")
    E({"params": P0, "sigma": "0.5", "governor": {"max_decrease": "-0.01"}}, "governor.max_decrease", "max_decrease negative")
    E({"params": P0, "sigma": "0.5", "governor": {"buffer": "1.000000000000000001"}}, "governor.buffer", "buffer above 1")
    E({"params": P0, "sigma": "0.5", "governor": {"buffer": "-0.25"}}, "governor.buffer", "buffer negative")
    E({"params": P0, "sigma": "0.5", "governor": {"stressed_sigma": "-1"}}, "governor.stressed_sigma", "stressed_sigma negative")
    E({"params": P0, "sigma": "0.5", "governor": {"previous": "0.9", "buffer": "2"}}, "governor.buffer", "governor ranges before previous")
    E({"params": P0, "sigma": "0.5", "size": {"size": "1"}}, "size.size_factor", "size_factor missing")
    E({"params": P0, "sigma": "0.5", "size": {"size_factor": "-0.01", "size": "1"}}, "size.size_factor", "size_factor negative")
    E({"params": P0, "sigma": "0.5", "size": {"size_factor": "0.01"}}, "size.size", "size missing")
    E({"params": P0, "sigma": "0.5", "size": {"size_factor": "0.01", "size": "1", "tier": 2}}, "size.tier", "unknown key in size")
    E({"params": P0, "sigma": "0.5", "vol": "0.5"}, "vol", "unknown top-level key")
    return c


def ewma_cases():
    c = []
    D = lambda inp, note, hand=None: c.append(case("ewma_vol", model_ewma, inp, note, hand))
    D({"prices": ["1", "2"], "lambda": "0.94", "periods_per_year": 365, "seed_variance": "0.0004"},
      "|r| = ⌈ln⌈2/1⌉⌉ = 0.69314718055994531; s = ⌈r²⌉ = 0.480453013918201426; v = s + ⌈0.94·(0.0004 − s)⌉ = ⌈0.000376 + 0.06·s⌉ = 0.029203180835092086; vol ⌈√v⌉ = 0.170889381867604888; annual ⌈√(365v)⌉ = 3.264837056394792177",
      {"variance": "0.029203180835092086", "vol": "0.170889381867604888", "annual_vol": "3.264837056394792177", "returns": 1})
    D({"prices": ["2", "1"], "lambda": "0.94", "periods_per_year": 365, "seed_variance": "0.0004"},
      "a fall by half is the same |r| as a doubling: the same answer",
      {"variance": "0.029203180835092086"})
    D({"prices": ["1", "2", "2"], "periods_per_year": 365},
      "no seed: v1 = s1 = 0.480453013918201426; r2 = 0: v2 = 0 + ⌈0.94·s1⌉ = ⌈0.45162583308310934044⌉ = 0.451625833083109341 (λ default 0.94)",
      {"variance": "0.451625833083109341", "returns": 2})
    D({"prices": ["3", "3", "3", "3"], "periods_per_year": 1, "seed_variance": "0.0004"},
      "constant prices decay the seed: 0.0004 → 0.000376 → 0.00035344 → 0.0003322336; vol = ⌈√⌉, annual (N = 1) the same",
      {"variance": "0.0003322336"})
    D({"prices": ["3", "3", "3", "3", "3", "3"], "periods_per_year": 365},
      "constant prices, no seed: every squared return is 0: v = 0, vol 0",
      {"variance": "0", "vol": "0", "annual_vol": "0", "returns": 5})
    D({"prices": ["5"] * 8, "periods_per_year": 365, "seed_variance": "0.000000000000000001"},
      "a seed of 1e-18 never decays: ⌈0.94e-18⌉ = 1e-18; vol ⌈√1e-18⌉ = 1e-9; annual ⌈√365e-18⌉ = 0.000000019104973175",
      {"variance": "0.000000000000000001", "vol": "0.000000001"})
    D({"prices": ["3", "3"], "periods_per_year": 365, "seed_variance": "0"},
      "seed 0 and a zero return: v = 0",
      {"variance": "0"})
    D({"prices": ["100", "101"], "periods_per_year": 365},
      "one return, no seed: v = ⌈⌈ln⌈1.01⌉⌉²⌉ (ln 1.01 = 0.00995033085316808284…)")
    D({"prices": ["100", "99"], "periods_per_year": 365},
      "a fall: |r| = ⌈ln⌈100/99⌉⌉, the quotient 1.010101… rounds up first")
    D({"prices": ["100", "110", "99"], "periods_per_year": 365, "seed_variance": "0.0004"},
      "scale law: the same answer as [1, 1.1, 0.99] and [100000, 110000, 99000]: the quotients are the same exact grid values")
    D({"prices": ["1", "1.1", "0.99"], "periods_per_year": 365, "seed_variance": "0.0004"},
      "scale law: see [100, 110, 99]")
    D({"prices": ["100000", "110000", "99000"], "periods_per_year": 365, "seed_variance": "0.0004"},
      "scale law: see [100, 110, 99]")
    D({"prices": ["0.000000000000000001", "0.000000000000000002"], "lambda": "0.94", "periods_per_year": 365, "seed_variance": "0.0004"},
      "the smallest prices: the ratio is exactly 2, the same answer as [1, 2]",
      {"variance": "0.029203180835092086"})
    btc = ["37000", "37450.5", "36890.25", "38120", "37999.99", "36500", "35210.75", "36000", "36990.1", "37500"]
    for n, lam in ((365, "0.94"), (252, "0.94"), (52, "0.97"), (12, "0.97")):
        D({"prices": btc, "lambda": lam, "periods_per_year": n},
          f"ten daily-like prices, λ {lam}, {n} periods a year; no seed")
    D({"prices": btc, "lambda": "0.94", "periods_per_year": 365, "seed_variance": "0.0016"},
      "the same ten prices seeded with a daily variance of 0.0016 (4 % daily vol)")
    for lam in ("0.5", "0.000000000000000001", "0.999999999999999999"):
        D({"prices": ["100", "104", "97", "101"], "lambda": lam, "periods_per_year": 365, "seed_variance": "0.0001"},
          f"λ {lam}: the extremes of (0, 1)")
    x = 123456789
    series = []
    p = F(1000)
    for _ in range(64):
        x = (1103515245 * x + 12345) % 2**31
        step = F(x % 2001 - 1000, 20000)  # ±5 %
        p = floor_wad(p * (1 + step))
        series.append(canon(p))
    D({"prices": series, "periods_per_year": 365},
      "64 prices from an LCG walk (x ← 1103515245x + 12345 mod 2^31, step (x mod 2001 − 1000)/20000, each price floored to the grid)")
    D({"prices": ["1", "10000000000"], "periods_per_year": 365},
      "a move by 1e10: |r| = ⌈ln 1e10⌉ = 23.025850929940456841; s = ⌈r²⌉")
    D({"prices": ["0.000000000000000001", "170141183460469231731"], "periods_per_year": 365},
      "ratio 1.7e38 exceeds the Wad range: overflow",
      {"error": {"kind": "overflow", "what": "result out of range"}})
    D({"prices": ["0.000000000000000001", "170141183460469231"], "periods_per_year": 365},
      "ratio 170141183460469231 / 1e-18 = 1.7e35, still above MAX ≈ 1.7e20: overflow",
      {"error": {"kind": "overflow", "what": "result out of range"}})
    D({"prices": ["0.001", "100000000000000000"], "periods_per_year": 365},
      "ratio 1e20 fits (< 1.7e20): |r| = ⌈ln 1e20⌉ = 46.051701859880913681")
    D({"prices": ["1", "2"], "periods_per_year": 4294967295, "seed_variance": "0.0004"},
      "periods_per_year u32::MAX: v·N ≈ 1.25e8 fits")
    D({"prices": ["1", "1"], "periods_per_year": 365, "seed_variance": "1000000000000000000"},
      "seed 1e18, constant prices: v = ⌈0.94e18⌉ = 9.4e17; v·365 = 3.431e20 exceeds the range: overflow",
      {"error": {"kind": "overflow", "what": "result out of range"}})
    # errors
    E = lambda inp, what, note: D(inp, note, {"error": {"kind": "invalid", "what": what}})
    E({"periods_per_year": 365}, "prices", "prices missing")
    E({"prices": "1,2", "periods_per_year": 365}, "prices", "prices not an array")
    E({"prices": [], "periods_per_year": 365}, "prices", "no price")
    E({"prices": ["1"], "periods_per_year": 365, "seed_variance": "0.0004"}, "prices", "one price: no return, even with a seed")
    E({"prices": ["1", "0"], "periods_per_year": 365}, "prices[1]", "a zero price")
    E({"prices": ["1", "2", "-3", "0"], "periods_per_year": 365}, "prices[2]", "the first non-positive price is named")
    E({"prices": ["1", 2], "periods_per_year": 365}, "prices[1]", "a JSON number")
    E({"prices": ["1", "2.0000000000000000001"], "periods_per_year": 365}, "prices[1]", "19 fractional digits")
    E({"prices": ["0", "x"], "periods_per_year": 365}, "prices[1]", "syntax of every price before positivity")
    E({"prices": ["1", "2"], "lambda": "0", "periods_per_year": 365}, "lambda", "λ 0")
    E({"prices": ["1", "2"], "lambda": "1", "periods_per_year": 365}, "lambda", "λ 1")
    E({"prices": ["1", "2"], "lambda": "-0.94", "periods_per_year": 365}, "lambda", "λ negative")
    E({"prices": ["1", "2"], "lambda": 0.94, "periods_per_year": 365}, "lambda", "λ a JSON number")
    E({"prices": ["1", "2"]}, "periods_per_year", "periods_per_year missing")
    E({"prices": ["1", "2"], "periods_per_year": 0}, "periods_per_year", "periods_per_year 0")
    E({"prices": ["1", "2"], "periods_per_year": "365"}, "periods_per_year", "periods_per_year a string")
    E({"prices": ["1", "2"], "periods_per_year": 365.5}, "periods_per_year", "periods_per_year a fraction")
    E({"prices": ["1", "2"], "periods_per_year": 4294967296}, "periods_per_year", "periods_per_year above u32::MAX")
    E({"prices": ["1", "2"], "periods_per_year": 365, "seed_variance": "-0.0001"}, "seed_variance", "seed negative")
    E({"prices": ["1", "2"], "periods_per_year": 365, "seed_variance": None}, "seed_variance", "seed null")
    E({"prices": ["1", "2"], "lambda": "1", "periods_per_year": "x"}, "periods_per_year", "syntax of every field before the ranges")
    E({"prices": ["1", "2"], "periods_per_year": 365, "window": 10}, "window", "unknown key")
    return c


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for name, cases in (("dynamic_margin", dynamic_cases()), ("ewma_vol", ewma_cases())):
        with open(os.path.join(here, f"{name}.jsonl"), "w") as out:
            for c in cases:
                out.write(json.dumps(c, ensure_ascii=False) + "\n")
        print(f"{name}: {len(cases)} cases")


if __name__ == "__main__":
    main()
