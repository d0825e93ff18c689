#!/usr/bin/env python3
"""Generates vol_path.jsonl: the golden vectors of the op `vol_path` (an options venue's implied
volatility by block; vectors/scenarios/README.md §1.1, "Volatility paths").

An independent model written from the spec, not from the Rust code. Price paths are gen_path.py's
model (imported); the vol rules are exact integer arithmetic on raw wads with every rounding up,
and the skew rule's power r^β is exact (a Fraction) for an integer β and otherwise computed with
mpmath at 80 and again at 120 significant digits and rounded up (accepted only when both agree and
the value is farther than 1e-30 from a grid point).

Run from this directory:  python3 gen_vol_path.py   (writes vol_path.jsonl beside it)
"""
import json
import os
import sys
from fractions import Fraction

import mpmath

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_path as P  # noqa: E402

S = 10**18
MAX_VOL = 10 * S


class Err(Exception):
    def __init__(self, what):
        self.what = what


def dec(text):
    r = P.parse_wad(text) if isinstance(text, str) else None
    return r


def ceil_div(a, b):
    return -((-a) // b)


def pow_ceil(r, beta):
    """⌈(r/S)^(beta/S)⌉ on the grid, raw."""
    if r == S or beta == 0:
        return S  # 1^β and r^0 are exactly 1
    if beta % S == 0:
        v = Fraction(r, S) ** (beta // S)
        return ceil_div(v.numerator * S, v.denominator)
    got = []
    for dps in (80, 120):
        mpmath.mp.dps = dps
        x = mpmath.power(mpmath.mpf(r) / S, mpmath.mpf(beta) / S) * S
        c = int(mpmath.ceil(x))
        assert abs(x - mpmath.nint(x)) > mpmath.mpf(10) ** -12, "too close to the grid"
        got.append(c)
    assert got[0] == got[1]
    return got[0]


def vol_at(spec, b, spot):
    k = spec["kind"]
    if k == "constant":
        return spec["v"]
    if k == "linear":
        f, t, start, n = spec["from"], spec["to"], spec["start"], spec["blocks"]
        j = max(b - start, 0)
        if j >= n:
            return t
        return f + ceil_div((t - f) * j, n)
    if k == "listed":
        vs = spec["vols"]
        return vs[min(b, len(vs) - 1)]
    r = ceil_div(spec["anchor"] * S, spot)
    p = pow_ceil(r, spec["beta"])
    v = ceil_div(spec["base"] * p, S)
    return min(v, spec["cap"])


def in_range(v, what):
    if v is None or v <= 0 or v > MAX_VOL:
        raise Err(what)
    return v


def read_vol(v, first_price):
    """Reads the vol object in the spec's order: keys, fields, then the constructor's checks."""
    keys = {"constant": ["kind", "vol"], "linear": ["kind", "from", "to", "start", "blocks"],
            "listed": ["kind", "vols"], "skew": ["kind", "base", "beta", "anchor", "cap"]}
    kind = v.get("kind")
    if kind not in keys:
        raise Err("vol.kind")
    for k in v:
        if k not in keys[kind]:
            raise Err(f"vol.{k}")
    return kind, keys[kind]


def run(inp):
    v = inp["vol"]
    kind, _ = read_vol(v, None)
    fields = {}
    for k in {"constant": ["vol"], "linear": ["from", "to"], "listed": [], "skew": ["base", "beta"]}[kind]:
        fields[k] = dec(v.get(k))
        if fields[k] is None:
            raise Err(f"vol.{k}")
    if kind == "linear":
        for k in ("start", "blocks"):
            if not isinstance(v.get(k), int) or v[k] < 0:
                raise Err(f"vol.{k}")
    if kind == "listed":
        vols = v.get("vols")
        if not isinstance(vols, list) or any(dec(x) is None for x in vols):
            raise Err("vol.vols")
        fields["vols"] = [dec(x) for x in vols]
    for k in ("anchor", "cap"):
        if kind == "skew" and k in v:
            fields[k] = dec(v[k])
            if fields[k] is None:
                raise Err(f"vol.{k}")
    blocks = inp["blocks"]
    prices = [P.parse_wad(p) for p in P.run(inp)] if "path" in inp else None
    if kind == "constant":
        spec = {"kind": kind, "v": in_range(fields["vol"], "vol.vol")}
    elif kind == "linear":
        in_range(fields["from"], "vol.from")
        in_range(fields["to"], "vol.to")
        if v["blocks"] == 0:
            raise Err("vol.blocks")
        spec = {"kind": kind, "from": fields["from"], "to": fields["to"], "start": v["start"], "blocks": v["blocks"]}
    elif kind == "listed":
        if not fields["vols"] or any(x <= 0 or x > MAX_VOL for x in fields["vols"]):
            raise Err("vol.vols")
        spec = {"kind": kind, "vols": fields["vols"]}
    else:
        if prices is None:
            raise Err("path")
        base = in_range(fields["base"], "vol.base")
        anchor = fields.get("anchor", prices[0])
        if anchor <= 0:
            raise Err("vol.anchor")
        if fields["beta"] < 0 or fields["beta"] > 10 * S:
            raise Err("vol.beta")
        cap = fields.get("cap", MAX_VOL)
        if cap < base or cap > MAX_VOL:
            raise Err("vol.cap")
        spec = {"kind": kind, "base": base, "anchor": anchor, "beta": fields["beta"], "cap": cap}
    vols = [vol_at(spec, b, prices[b] if prices else S) for b in range(blocks + 1)]
    out = {"vols": [P.wad(x) for x in vols]}
    if prices is not None:
        out["prices"] = [P.wad(x) for x in prices]
    return out


CASES = []


def case(note, inp, hand=None):
    try:
        expect = run(json.loads(json.dumps(inp)))
    except Err as e:
        expect = {"error": {"kind": "invalid", "what": e.what}}
    if hand is not None:
        assert expect["vols"] == hand, (note, expect["vols"], hand)
    CASES.append({"op": "vol_path", "input": inp, "expect": expect, "note": note})


def main():
    drop = {"kind": "linear", "from": "2000", "to": "1400", "start": 1, "blocks": 4}
    case("constant 0.8", {"vol": {"kind": "constant", "vol": "0.8"}, "blocks": 2}, ["0.8", "0.8", "0.8"])
    case("hand-worked: linear 0.5 -> 1.2 over 3 blocks from block 2: 0.5 + ceil(0.7*k/3): 0.733333333333333334, "
         "0.966666666666666667, then 1.2",
         {"vol": {"kind": "linear", "from": "0.5", "to": "1.2", "start": 2, "blocks": 3}, "blocks": 6},
         ["0.5", "0.5", "0.5", "0.733333333333333334", "0.966666666666666667", "1.2", "1.2"])
    case("hand-worked: a falling ramp 1.2 -> 0.5 rounds up too (toward from): 1.2 - 0.233333333333333333",
         {"vol": {"kind": "linear", "from": "1.2", "to": "0.5", "start": 0, "blocks": 3}, "blocks": 3},
         ["1.2", "0.966666666666666667", "0.733333333333333334", "0.5"])
    case("listed, the last vol after the end", {"vol": {"kind": "listed", "vols": ["0.6", "1.5", "0.9"]}, "blocks": 4},
         ["0.6", "1.5", "0.9", "0.9", "0.9"])
    case("hand-worked: skew beta 1 on a 2000 -> 1400 drop, base 0.6 anchored at the first price: "
         "0.6*2000/1850 = 0.648648648648648649 (r = ceil(2000/1850) = 1.081081081081081082, "
         "then ceil(0.6*r)), ... 0.6*2000/1400 = 0.857142857142857143",
         {"path": drop, "vol": {"kind": "skew", "base": "0.6", "beta": "1"}, "blocks": 5})
    case("skew beta 2, cap 1: the vol rises with the square of the fall, then the cap holds",
         {"path": drop, "vol": {"kind": "skew", "base": "0.6", "beta": "2", "cap": "1"}, "blocks": 5})
    case("skew beta 0.5 (mpmath), anchor 2200 above the start: the vol is above base from block 0 ((2200/2000)^0.5 > 1)",
         {"path": drop, "vol": {"kind": "skew", "base": "0.7", "beta": "0.5", "anchor": "2200"}, "blocks": 5})
    case("skew beta 1.7 on a listed crash with a rebound",
         {"path": {"kind": "listed", "prices": ["3000", "2400", "1500", "1800"]},
          "vol": {"kind": "skew", "base": "0.55", "beta": "1.7"}, "blocks": 4})
    case("skew beta 0: constant at base", {"path": drop, "vol": {"kind": "skew", "base": "0.6", "beta": "0"}, "blocks": 2})
    case("vol zero", {"vol": {"kind": "constant", "vol": "0"}, "blocks": 1})
    case("vol above 10", {"vol": {"kind": "constant", "vol": "10.000000000000000001"}, "blocks": 1})
    case("linear to above 10", {"vol": {"kind": "linear", "from": "0.5", "to": "11", "start": 0, "blocks": 1}, "blocks": 1})
    case("linear blocks 0", {"vol": {"kind": "linear", "from": "0.5", "to": "1", "start": 0, "blocks": 0}, "blocks": 1})
    case("listed empty", {"vol": {"kind": "listed", "vols": []}, "blocks": 1})
    case("listed with a zero", {"vol": {"kind": "listed", "vols": ["0.5", "0"]}, "blocks": 1})
    case("skew without a price path", {"vol": {"kind": "skew", "base": "0.6", "beta": "1"}, "blocks": 1})
    case("skew beta negative", {"path": drop, "vol": {"kind": "skew", "base": "0.6", "beta": "-1"}, "blocks": 1})
    case("skew cap below base", {"path": drop, "vol": {"kind": "skew", "base": "0.6", "beta": "1", "cap": "0.5"}, "blocks": 1})
    case("skew anchor zero", {"path": drop, "vol": {"kind": "skew", "base": "0.6", "beta": "1", "anchor": "0"}, "blocks": 1})
    case("unknown kind", {"vol": {"kind": "garch"}, "blocks": 1})
    case("unknown key in a vol path", {"vol": {"kind": "constant", "vol": "0.5", "beta": "1"}, "blocks": 1})
    with open(os.path.join(HERE, "vol_path.jsonl"), "w") as f:
        for c in CASES:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print("vol_path.jsonl", len(CASES))


if __name__ == "__main__":
    main()
