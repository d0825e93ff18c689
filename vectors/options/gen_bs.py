#!/usr/bin/env python3
"""Generates vectors/options/{bs_price,bs_greeks,implied_vol,random}.jsonl.

Every expected value is computed here, independently of lce, with mpmath at 80 significant
digits (mp.dps = 80), then rounded to the 1e-18 grid in the stated direction. A case whose
exact value lies within 1e-60 (relative to its size) of a grid point is refused (it would need more digits).

Formulas (Black-Scholes-Merton with a continuous yield q):
  d1 = (ln(S/K) + (r - q + s^2/2) t) / (s sqrt t),  d2 = d1 - s sqrt t
  call = S e^{-qt} N(d1) - K e^{-rt} N(d2),  put = K e^{-rt} N(-d2) - S e^{-qt} N(-d1)
  delta = e^{-qt} N(d1) | -e^{-qt} N(-d1);  gamma = e^{-qt} n(d1) / (S s sqrt t)
  vega = S e^{-qt} n(d1) sqrt t  (per unit vol);  rho = t K e^{-rt} N(d2) | -t K e^{-rt} N(-d2)
  theta (per year, -dV/dt) = -S e^{-qt} n(d1) s / (2 sqrt t) - r K e^{-rt} N(d2) + q S e^{-qt} N(d1)
                           | -S e^{-qt} n(d1) s / (2 sqrt t) + r K e^{-rt} N(-d2) - q S e^{-qt} N(-d1)
  implied vol: the root s* of price(s) = p (mpmath findroot at 80 digits), rounded down.

Run: python3 vectors/options/gen_bs.py   (writes the three files beside this script)
"""
import json
import os
import random

from mpmath import mp, mpf, log, sqrt, exp, ncdf, npdf, floor, ceil, findroot

mp.dps = 80
E18 = mpf(10) ** 18
HERE = os.path.dirname(os.path.abspath(__file__))


def fmt(raw):
    """The canonical decimal text of a raw wad (an int): shortest, no trailing zeros."""
    sign = "-" if raw < 0 else ""
    raw = abs(raw)
    i, f = divmod(raw, 10**18)
    if f == 0:
        return f"{sign}{i}"
    return f"{sign}{i}.{f:018d}".rstrip("0")


def rnd(v, direction, hints=None):
    """v rounded to the grid (raw units). `hints` maps a grid point (raw) to the known sign of
    v minus that point, for values that the model puts within e^-1000 of a grid point (where
    80 digits cannot tell the side): see `hints_for`."""
    x = v * E18
    for g, sign in (hints or {}).items():
        if abs(x - g) < abs(x) * mpf(10) ** -60 + mpf(10) ** -60:
            lo = g if sign > 0 else g - 1
            return lo if direction == "floor" else lo + 1
    n = floor(x)
    # 80 significant digits: refuse a value whose distance to the grid is below 1e-60 of
    # its magnitude (it could be on either side). Every value is also recomputed at 120 digits
    # and must round the same (see `checked`).
    tol = abs(x) * mpf(10) ** -60
    if min(abs(x - n), abs(n + 1 - x)) < tol:
        raise ValueError(f"too close to the grid: {v}")
    return int(n) if direction == "floor" else int(ceil(x))


def model(kind, S, K, s, t, r, q):
    S, K, s, t, r, q = (mpf(x) for x in (S, K, s, t, r, q))
    v = s * sqrt(t)
    d1 = (log(S / K) + (r - q + s * s / 2) * t) / v
    d2 = d1 - v
    A = S * exp(-q * t)
    B = K * exp(-r * t)
    if kind == "call":
        price = A * ncdf(d1) - B * ncdf(d2)
        delta = exp(-q * t) * ncdf(d1)
        theta = -A * npdf(d1) * s / (2 * sqrt(t)) - r * B * ncdf(d2) + q * A * ncdf(d1)
        rho = t * B * ncdf(d2)
    else:
        price = B * ncdf(-d2) - A * ncdf(-d1)
        delta = -exp(-q * t) * ncdf(-d1)
        theta = -A * npdf(d1) * s / (2 * sqrt(t)) + r * B * ncdf(-d2) - q * A * ncdf(-d1)
        rho = -t * B * ncdf(-d2)
    gamma = exp(-q * t) * npdf(d1) / (S * v)
    vega = A * npdf(d1) * sqrt(t)
    return dict(price=price, delta=delta, gamma=gamma, vega=vega, theta=theta, rho=rho, d1=d1, d2=d2)


def raw(x):
    return int(mpf(x) * E18)


def hints_for(kind, S, K, t, r, q):
    """Strict bounds on grid points, from the model (not from lce):
    - r = q = 0: a call exceeds S - K and a put K - S by the other's price (parity), > 0;
    - q = 0: a call is below S and its delta below 1 (a put's delta above -1);
    - r = 0: a put is below K, a call's rho below t*K (a put's above -t*K)."""
    flat = mpf(r) == 0 and mpf(q) == 0
    h = {"price": {}, "delta": {}, "rho": {}}
    tk = mpf(t) * mpf(K) * E18
    if kind == "call":
        if flat:
            h["price"][raw(S) - raw(K)] = 1
        if mpf(q) == 0:
            h["price"][raw(S)] = -1
            h["delta"][10**18] = -1
        if mpf(r) == 0 and tk == int(tk):
            h["rho"][int(tk)] = -1
    else:
        if flat:
            h["price"][raw(K) - raw(S)] = 1
        if mpf(r) == 0:
            h["price"][raw(K)] = -1
            if tk == int(tk):
                h["rho"][-int(tk)] = 1
        if mpf(q) == 0:
            h["delta"][-10**18] = 1
    return h


def checked(kind, S, K, s, t, r, q, h):
    """The model at 80 digits; every quantity must round the same at 120 digits."""
    m = model(kind, S, K, s, t, r, q)
    with mp.workdps(120):
        m2 = model(kind, S, K, s, t, r, q)
        for g in ["price", "delta", "gamma", "vega", "theta", "rho"]:
            for d in ["floor", "ceil"]:
                assert rnd(m[g], d, h.get(g)) == rnd(m2[g], d, h.get(g)), (kind, S, K, s, t, r, q, g)
    return m


def inputs(kind, S, K, s, t, r, q, rnd_dir=None):
    d = {"kind": kind, "spot": S, "strike": K, "vol": s, "t": t, "rate": r}
    if q is not None:
        d["yield"] = q
    if rnd_dir is not None:
        d["round"] = rnd_dir
    return d


def grid_str(x, digits=18):
    """A decimal string of x rounded to `digits` places (for random inputs)."""
    return fmt(int(floor(mpf(x) * mpf(10) ** digits)) * 10 ** (18 - digits))


# ---- the parameter sets -------------------------------------------------------------------
BASE = []
# Moneyness sweep at S = 100: deep ITM to deep OTM, several maturities and vols.
for K in ["20", "50", "80", "95", "100", "105", "120", "200", "500"]:
    for t, s in [("0.002739726027397260", "0.6"), ("0.25", "0.2"), ("1", "0.35"), ("5", "0.8")]:
        BASE.append((K and "100", K, s, t, "0.05", "0.02"))
# Volatility sweep, 1 % to 300 %, at the money and 10 % out.
for s in ["0.01", "0.05", "0.1", "0.5", "1", "1.5", "2", "3"]:
    for K in ["100", "110"]:
        BASE.append(("100", K, s, "0.5", "0.03", "0"))
# Maturity sweep, one day to 20 years, negative and positive rates and yields.
for t in ["0.002739726027397260", "0.019178082191780821", "0.083333333333333333", "0.5", "2", "7.5", "20"]:
    for r, q in [("-0.01", "0"), ("0.08", "0.03"), ("0", "-0.05")]:
        BASE.append(("2500", "2400", "0.7", t, r, q))
# Crypto-like and small prices.
BASE += [
    ("65000", "70000", "0.55", "0.0833", "0.045", "0.1"),
    ("0.00002345", "0.00003", "1.2", "0.1", "0.05", "0"),
    ("1.000001", "1", "0.05", "0.01", "0", "0"),
    ("1000000000000", "999999999999", "0.3", "1", "0.02", "0.01"),
    ("1000000000000000000", "1000000000000000000", "0.2", "1", "0.01", "0"),
    ("100", "100", "10", "100", "1", "1"),
    ("100", "100", "0.000000001", "1", "0", "0"),
    ("100", "150", "0.05", "0.01", "0", "0"),
    ("100", "100", "0.2", "0.000000000000000001", "0", "0"),
    ("100", "100.000000000000000001", "0.000000000000000001", "1", "0", "0"),
    ("100", "99.999999999999999999", "0.000000001", "0.5", "0.01", "0.01"),
    ("3", "7", "0.4", "100", "-0.2", "0.1"),
    ("7", "3", "0.4", "100", "0.3", "-0.2"),
]
rng = random.Random(20261124)
for _ in range(40):
    S = grid_str(mpf(10) ** rng.uniform(-2, 5), 6)
    K = grid_str(mpf(S) * mpf(rng.uniform(0.5, 1.6)), 6)
    s = grid_str(rng.uniform(0.01, 3), 4)
    t = grid_str(rng.choice([1 / 365, 7 / 365, 30 / 365, 0.25, 0.5, 1, 2, 5]) * rng.uniform(0.9, 1.1), 8)
    r = grid_str(rng.uniform(-0.02, 0.1), 4) if rng.random() < 0.9 else "0"
    q = grid_str(rng.uniform(-0.05, 0.15), 4) if rng.random() < 0.8 else "0"
    BASE.append((S, K, s, t, r, q))


def note_of(S, K, s, t, r, q, m):
    return f"mpmath 80 digits: d1={mp.nstr(m['d1'], 12)} d2={mp.nstr(m['d2'], 12)}"


def price_cases():
    out = []
    for (S, K, s, t, r, q) in BASE:
        for kind in ["call", "put"]:
            h = hints_for(kind, S, K, t, r, q)
            m = checked(kind, S, K, s, t, r, q, h)
            for d in ["floor", "ceil"]:
                out.append({"op": "bs_price", "input": inputs(kind, S, K, s, t, r, q if q != "0" else None, d),
                            "expect": {"price": fmt(rnd(m["price"], d, h["price"]))},
                            "note": f"{kind} {note_of(S, K, s, t, r, q, m)} price={mp.nstr(m['price'], 25)}"})
    # Round omitted: floor.
    m = model("call", "100", "100", "0.2", "1", "0.05", "0")
    out.append({"op": "bs_price", "input": {"kind": "call", "spot": "100", "strike": "100", "vol": "0.2", "t": "1", "rate": "0.05"},
                "expect": {"price": fmt(rnd(m["price"], "floor"))}, "note": "round omitted: floor; yield omitted: 0"})
    out += error_cases("bs_price")
    out += overflow_cases("bs_price")
    return out


def overflow_cases(op):
    """S e^{-qt} with q = -1, t = 100: e^100 * 10^18 = 2.7e61, beyond the wad range (1.7e20);
    the call is within S*e^{-qt}*(1 - 1e-300) of it, the delta e^100 = 2.7e43."""
    out = []
    for S in ["1000000000000000000", "100"]:
        inp = {"kind": "call", "spot": S, "strike": "1", "vol": "0.2", "t": "100", "rate": "0", "yield": "-1", "round": "floor"}
        out.append({"op": op, "input": inp, "expect": {"error": {"kind": "overflow"}},
                    "note": f"call ~ {S} * e^100 = {mp.nstr(mpf(S) * exp(100), 6)}: beyond the wad range"})
    return out


def greeks_cases():
    out = []
    for i, (S, K, s, t, r, q) in enumerate(BASE):
        if i % 2 and i < len(BASE) - 40:
            continue
        for kind in ["call", "put"]:
            h = hints_for(kind, S, K, t, r, q)
            m = checked(kind, S, K, s, t, r, q, h)
            for d in ["floor", "ceil"]:
                exp_ = {g: fmt(rnd(m[g], d, h.get(g))) for g in ["delta", "gamma", "vega", "theta", "rho"]}
                out.append({"op": "bs_greeks", "input": inputs(kind, S, K, s, t, r, q if q != "0" else None, d),
                            "expect": exp_, "note": f"{kind} {note_of(S, K, s, t, r, q, m)}"})
    out += error_cases("bs_greeks")
    out += overflow_cases("bs_greeks")
    return out


def error_cases(op):
    good = {"kind": "call", "spot": "100", "strike": "100", "vol": "0.2", "t": "1", "rate": "0.05", "yield": "0", "round": "floor"}
    cases = [
        ("spot", "0", "invalid"), ("spot", "-1", "invalid"), ("spot", "1000000000000000000.000000000000000001", "invalid"),
        ("strike", "0", "invalid"), ("strike", "-100", "invalid"),
        ("vol", "0", "invalid"), ("vol", "-0.2", "invalid"), ("vol", "10.000000000000000001", "invalid"),
        ("t", "0", "invalid"), ("t", "-1", "invalid"), ("t", "100.000000000000000001", "invalid"),
        ("rate", "1.000000000000000001", "invalid"), ("rate", "-1.5", "invalid"),
        ("yield", "1.1", "invalid"), ("yield", "-1.000000000000000001", "invalid"),
        ("kind", "straddle", "invalid"), ("round", "up", "invalid"),
        ("spot", "1e2", "invalid"), ("vol", "0.1234567890123456789", "invalid"),
    ]
    out = []
    for field, value, kind in cases:
        inp = dict(good)
        inp[field] = value
        out.append({"op": op, "input": inp, "expect": {"error": {"kind": kind, "what": field}},
                    "note": f"{field} = {value} is out of range or malformed"})
    for missing in ["kind", "spot", "strike", "vol", "t", "rate"]:
        inp = {k: v for k, v in good.items() if k != missing}
        out.append({"op": op, "input": inp, "expect": {"error": {"kind": "invalid", "what": missing}},
                    "note": f"{missing} missing"})
    inp = dict(good)
    inp["spot"] = 100
    out.append({"op": op, "input": inp, "expect": {"error": {"kind": "invalid", "what": "spot"}},
                "note": "a JSON number is not a decimal string"})
    inp = dict(good)
    inp["dividend"] = "0.01"
    out.append({"op": op, "input": inp, "expect": {"error": {"kind": "invalid", "what": "dividend"}},
                "note": "unknown key"})
    # The order of the checks (README: Errors).
    order = [
        ({"dividend": "0.01", "kind": "swaption"}, "dividend", "an unknown key comes before every field"),
        ({"kind": "swaption", "spot": "x"}, "kind", "kind comes before the decimals"),
        ({"spot": "0", "vol": "abc"}, "vol", "every decimal is parsed before any range is checked"),
        ({"spot": "0", "round": "up"}, "spot", "the ranges come before round"),
        ({"vol": "11", "yield": "-2"}, "vol", "ranges in the order spot, strike, vol, t, rate, yield"),
    ]
    for changes, what, note in order:
        inp = dict(good)
        inp.update(changes)
        out.append({"op": op, "input": inp, "expect": {"error": {"kind": "invalid", "what": what}}, "note": note})
    return out


def implied_vol_cases():
    out = []
    sets = [
        ("call", "100", "100", "0.2", "1", "0.05", "0"),
        ("put", "100", "100", "0.2", "1", "0.05", "0"),
        ("call", "100", "80", "0.35", "0.25", "0.03", "0.01"),
        ("put", "100", "80", "0.35", "0.25", "0.03", "0.01"),
        ("call", "100", "130", "0.6", "2", "0.01", "0.02"),
        ("put", "100", "130", "0.6", "2", "0.01", "0.02"),
        ("call", "2500", "2400", "0.7", "0.019178082191780821", "0.08", "0.03"),
        ("put", "65000", "60000", "0.55", "0.0833", "0.045", "0.1"),
        ("call", "100", "100", "0.01", "0.5", "0", "0"),
        ("call", "100", "100", "3", "1", "0", "0"),
        ("put", "1", "1.2", "1.5", "5", "-0.01", "0"),
        ("call", "100", "100", "9.5", "1", "0", "0"),
    ]
    for (kind, S, K, s, t, r, q) in sets:
        m = model(kind, S, K, s, t, r, q)
        for p_raw in [rnd(m["price"], "floor"), rnd(m["price"], "ceil") + 12345]:
            p = mpf(p_raw) / E18
            root = findroot(lambda x: model(kind, S, K, x, t, r, q)["price"] - p, mpf(s), tol=mpf(10) ** -70)
            out.append({"op": "implied_vol",
                        "input": {"kind": kind, "price": fmt(p_raw), "spot": S, "strike": K, "t": t, "rate": r, "yield": q},
                        "expect": {"vol": fmt(rnd(root, "floor"))},
                        "note": f"mpmath root of price(s) = {fmt(p_raw)}: s* = {mp.nstr(root, 30)}, rounded down (near {s})"})
    # Below the smallest grid volatility: S = K, r = q = 0, t = 1: price(1e-18) = 100e-18/sqrt(2 pi) ~ 4e-17.
    out.append({"op": "implied_vol",
                "input": {"kind": "call", "price": "0.00000000000000001", "spot": "100", "strike": "100", "t": "1", "rate": "0"},
                "expect": {"vol": "0"},
                "note": "s* = 1e-17 * sqrt(2 pi)/100 ~ 2.5e-19 < 1e-18: rounds down to 0 (the price is above the intrinsic 0)"})
    # Domain errors.
    dom = [
        ({"kind": "call", "price": "0", "spot": "100", "strike": "100", "t": "1", "rate": "0.05"}, "price 0 is not above the intrinsic value"),
        ({"kind": "call", "price": "-1", "spot": "100", "strike": "100", "t": "1", "rate": "0.05"}, "negative price"),
        ({"kind": "call", "price": "100", "spot": "100", "strike": "100", "t": "1", "rate": "0.05"}, "price = S: at the no-arbitrage upper bound S e^{-qt}"),
        ({"kind": "call", "price": "120", "spot": "100", "strike": "100", "t": "1", "rate": "0.05"}, "above S"),
        ({"kind": "call", "price": "20", "spot": "120", "strike": "100", "t": "1", "rate": "0"}, "price = S - K = intrinsic (r = q = 0), not above it"),
        ({"kind": "call", "price": "19.999999999999999999", "spot": "120", "strike": "100", "t": "1", "rate": "0"}, "below the intrinsic value 20"),
        ({"kind": "put", "price": "4.8", "spot": "100", "strike": "110", "t": "1", "rate": "0.05"}, "above the discounted intrinsic 110 e^-0.05 - 100 = 4.6353...: a solution"),
        ({"kind": "put", "price": "4.6", "spot": "100", "strike": "110", "t": "1", "rate": "0.05"}, "below the discounted intrinsic 110 e^{-0.05} - 100 = 4.6354..."),
        ({"kind": "put", "price": "104.6", "spot": "100", "strike": "110", "t": "1", "rate": "0.05"}, "above the put's bound K e^{-rt} = 104.635..."),
        ({"kind": "call", "price": "99.9", "spot": "100", "strike": "100", "t": "1", "rate": "0"}, "below the price at vol 10 (99.99994...): a solution"),
    ]
    # The notes above say what each case probes; the written note says what mpmath found.
    for inp, _probe in dom:
        kind = inp["kind"]
        S, K, t, r = inp["spot"], inp["strike"], inp["t"], inp["rate"]
        q = inp.get("yield", "0")
        p = mpf(inp["price"])
        A = mpf(S) * exp(-mpf(q) * mpf(t))
        B = mpf(K) * exp(-mpf(r) * mpf(t))
        intrinsic = max(mpf(0), A - B if kind == "call" else B - A)
        top = model(kind, S, K, "10", t, r, q)["price"]
        if intrinsic < p <= top:
            # Has a solution: not a domain error; record the root instead.
            root = findroot(lambda x: model(kind, S, K, x, t, r, q)["price"] - p, mpf("0.5"), tol=mpf(10) ** -70)
            out.append({"op": "implied_vol", "input": inp, "expect": {"vol": fmt(rnd(root, "floor"))},
                        "note": f"inside the bounds: intrinsic {mp.nstr(intrinsic, 20)} < p <= price(10) {mp.nstr(top, 20)}; s* = {mp.nstr(root, 30)}"})
        else:
            out.append({"op": "implied_vol", "input": inp, "expect": {"error": {"kind": "domain", "what": "price"}},
                        "note": f"no vol in (0, 10]: intrinsic {mp.nstr(intrinsic, 20)}, price(10) {mp.nstr(top, 20)}, p {inp['price']}"})
    good = {"kind": "call", "price": "10", "spot": "100", "strike": "100", "t": "1", "rate": "0.05", "yield": "0"}
    for field, value in [("spot", "0"), ("strike", "-1"), ("t", "0"), ("rate", "2"), ("yield", "-2"), ("kind", "binary"), ("price", "ten")]:
        inp = dict(good)
        inp[field] = value
        out.append({"op": "implied_vol", "input": inp, "expect": {"error": {"kind": "invalid", "what": field}},
                    "note": f"{field} = {value} is out of range or malformed"})
    inp = dict(good)
    inp["vol"] = "0.2"
    out.append({"op": "implied_vol", "input": inp, "expect": {"error": {"kind": "invalid", "what": "vol"}},
                "note": "vol is not an input of implied_vol"})
    inp = dict(good)
    inp.update({"price": "-1", "spot": "0"})
    out.append({"op": "implied_vol", "input": inp, "expect": {"error": {"kind": "invalid", "what": "spot"}},
                "note": "the ranges come before the price's domain"})
    inp = dict(good)
    inp.update({"price": "x", "spot": "0"})
    out.append({"op": "implied_vol", "input": inp, "expect": {"error": {"kind": "invalid", "what": "price"}},
                "note": "price is parsed first of the decimals"})
    return out


def random_cases(seed, n):
    """Seeded random inputs over the whole allowed ranges (log-uniform spot 1e-6..1e18, strike
    within a factor 30 of it, vol 1e-4..10, t 1e-6..100, rate and yield -1..1 in steps of 1e-6,
    with zeros mixed in): a bs_price case and, when every greek fits, a bs_greeks case each."""
    rng = random.Random(seed)
    out = []

    def dec(x, d):
        n_ = int(mpf(x) * 10**d)
        return fmt(n_ * 10 ** (18 - d)) if n_ > 0 else None

    while len(out) < n:
        S = dec(mpf(10) ** rng.uniform(-6, 18), rng.randint(0, 18))
        K = dec(mpf(S or 1) * mpf(10) ** rng.uniform(-1.5, 1.5), rng.randint(0, 18)) if rng.random() < 0.9 else S
        s = dec(mpf(10) ** rng.uniform(-4, 1), rng.randint(2, 18))
        t = dec(mpf(10) ** rng.uniform(-6, 2), rng.randint(3, 18))
        if None in (S, K, s, t) or mpf(S) > 10**18 or mpf(K) > 10**18 or mpf(s) > 10 or mpf(t) > 100:
            continue
        r = fmt(rng.randint(-10**6, 10**6) * 10**12) if rng.random() < 0.8 else "0"
        q = fmt(rng.randint(-10**6, 10**6) * 10**12) if rng.random() < 0.7 else "0"
        kind = rng.choice(["call", "put"])
        d = rng.choice(["floor", "ceil"])
        h = hints_for(kind, S, K, t, r, q)
        try:
            m = checked(kind, S, K, s, t, r, q, h)
        except (ValueError, AssertionError):
            continue  # too close to the grid for 80 digits: not a vector
        vals = {k: rnd(m[k], d, h.get(k)) for k in ["price", "delta", "gamma", "vega", "theta", "rho"]}
        inp = inputs(kind, S, K, s, t, r, q, d)
        note = f"random {kind}: d1={mp.nstr(m['d1'], 8)} d2={mp.nstr(m['d2'], 8)}"
        if abs(vals["price"]) < 2**127:
            out.append({"op": "bs_price", "input": inp, "expect": {"price": fmt(vals["price"])}, "note": note})
        else:
            out.append({"op": "bs_price", "input": inp, "expect": {"error": {"kind": "overflow"}}, "note": note + ": beyond the wad range"})
        greek_names = ["delta", "gamma", "vega", "theta", "rho"]
        if all(abs(vals[k]) < 2**127 for k in greek_names):
            out.append({"op": "bs_greeks", "input": inp, "expect": {k: fmt(vals[k]) for k in greek_names}, "note": note})
    return out


def write(name, cases):
    with open(os.path.join(HERE, name), "w") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(name, len(cases))


if __name__ == "__main__":
    write("bs_price.jsonl", price_cases())
    write("bs_greeks.jsonl", greeks_cases())
    write("implied_vol.jsonl", implied_vol_cases())
    write("random.jsonl", random_cases(20261124, 800))
