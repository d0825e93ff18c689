#!/usr/bin/env python3
"""Generates path.jsonl: the golden vectors of the op `path` (a scenario's fundamental price
path, the random kinds `garch` and `gbm` drawn from the seed).

An independent reference written from the spec in vectors/scenarios/README.md (section 1.1),
not from the Rust code: the generator and its samplers are ../rng/gen_rng.py (pure Python
integers, mpmath for the normal quantile); every step of a path is exact integer arithmetic
on raw wads (units 1e-18), with the one transcendental, e^x, computed with mpmath at 50 and
again at 80 significant digits and rounded toward negative infinity (accepted only when both
agree and x*10^18 is farther than 1e-25 from an integer).

Requirements: Python 3.8+ and mpmath (made with 1.3.0). Run from this directory:

    python3 gen_path.py > path.jsonl
"""
import json
import math
import os
import sys

import mpmath
from mpmath import mp, mpf

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rng"))
from gen_rng import Rng, check_references, parse_wad, wad  # noqa: E402

SCALE = 10**18
WAD_MAX = (1 << 127) - 1
PATH_STREAM = 1 << 62


def div_floor(a, b):
    return a // b


def div_ceil(a, b):
    return -((-a) // b)


def mul_floor(a, b):
    return div_floor(a * b, SCALE)


def mul_ceil(a, b):
    return div_ceil(a * b, SCALE)


def checked(x):
    if not -WAD_MAX - 1 <= x <= WAD_MAX:
        raise OverflowError
    return x


def sqrt_floor(x):
    """floor(sqrt(x)) on the grid: isqrt(x * 10^18) raw."""
    assert x >= 0
    return math.isqrt(x * SCALE)


def exp_floor(x):
    """floor(e^(x/10^18) * 10^18), with mpmath at two precisions."""
    if x == 0:
        return SCALE
    results = []
    for dps in (50, 80):
        with mp.workdps(dps):
            v = mpmath.exp(mpf(x) / SCALE) * SCALE
            f = int(mpmath.floor(v))
            if dps == 80 and f > 0:  # 0 < e^x: a value below one raw unit floors to 0
                assert v - f > mpf(10) ** -25 and f + 1 - v > mpf(10) ** -25, x
            results.append(f)
    assert results[0] == results[1], (x, results)
    return checked(results[0])


def garch(spec, rng, blocks):
    price = parse_wad(spec["price"])
    omega, alpha, beta = (parse_wad(spec[k]) for k in ("omega", "alpha", "beta"))
    nu = spec.get("nu")
    jump_prob = parse_wad(spec.get("jump_prob", "0"))
    jump_size = parse_wad(spec.get("jump_size", "0"))
    if nu is not None:
        scale = sqrt_floor(div_floor((nu - 2) * SCALE * SCALE, nu * SCALE))
    var = div_ceil(omega * SCALE, SCALE - alpha - beta)
    log_price = 0
    out = [price]
    for _ in range(blocks):
        if nu is not None:
            z = mul_floor(rng.student_t(nu), scale)
        else:
            z = rng.normal()
        jump = jump_size if rng.bernoulli(jump_prob) else 0
        eps = mul_floor(sqrt_floor(var), z)
        log_price = checked(log_price + eps + jump)
        out.append(max(checked(mul_floor(price, exp_floor(log_price))), 1))
        var = checked(omega + mul_ceil(alpha, mul_ceil(eps, eps)) + mul_ceil(beta, var))
    return out


def gbm(spec, rng, blocks):
    price = parse_wad(spec["price"])
    drift = parse_wad(spec.get("drift", "0"))
    sigma = parse_wad(spec["volatility"])
    m = drift - div_ceil(mul_ceil(sigma, sigma), 2)
    log_price = 0
    out = [price]
    for _ in range(blocks):
        z = rng.normal()
        log_price = checked(log_price + m + mul_floor(sigma, z))
        out.append(max(checked(mul_floor(price, exp_floor(log_price))), 1))
    return out


def deterministic(spec, b):
    kind = spec["kind"]
    if kind == "constant":
        return parse_wad(spec["price"])
    if kind == "instant":
        return parse_wad(spec["from"] if b < spec["at"] else spec["to"])
    if kind == "linear":
        f, t = parse_wad(spec["from"]), parse_wad(spec["to"])
        start, n = spec["start"], spec["blocks"]
        if b <= start:
            return f
        if b >= start + n:
            return t
        # The step rounded toward `from`: down in magnitude.
        step = (abs(t - f) * (b - start)) // n
        return f - step if t < f else f + step
    if kind == "listed":
        prices = spec["prices"]
        return parse_wad(prices[min(b, len(prices) - 1)])
    raise ValueError(kind)


def run(inp):
    spec = inp["path"]
    blocks = inp["blocks"]
    kind = spec["kind"]
    if kind in ("garch", "gbm"):
        rng = Rng.derive(inp.get("seed", 0), PATH_STREAM)
        n = spec["blocks"]
        drawn = (garch if kind == "garch" else gbm)(spec, rng, n)
        prices = [drawn[min(b, n)] for b in range(blocks + 1)]
    else:
        prices = [deterministic(spec, b) for b in range(blocks + 1)]
    return [wad(p) for p in prices]


CASES = []


def ok(inp, note):
    CASES.append({"op": "path", "input": inp, "expect": {"prices": run(inp)}, "note": note})


def err(inp, what, note, kind="invalid"):
    CASES.append({"op": "path", "input": inp, "expect": {"error": {"kind": kind, "what": what}},
                  "note": note})


def garch_spec(**kw):
    spec = {"kind": "garch", "price": "2000", "omega": "0.000002", "alpha": "0.1", "beta": "0.85",
            "blocks": 30}
    spec.update(kw)
    return spec


def cases():
    ok({"path": {"kind": "constant", "price": "1700"}, "blocks": 3}, "constant: one price")
    ok({"path": {"kind": "instant", "from": "100", "to": "70", "at": 2}, "blocks": 4},
       "instant: from before block 2, to from it on")
    ok({"path": {"kind": "linear", "from": "100", "to": "70", "start": 1, "blocks": 7}, "blocks": 10},
       "linear decline: each step (30·k)/7 rounded down, so the price rounds up (toward from)")
    ok({"path": {"kind": "linear", "from": "1", "to": "2", "start": 0, "blocks": 3}, "blocks": 4},
       "linear rise: the step rounds down, so the price rounds down (toward from)")
    ok({"path": {"kind": "listed", "prices": ["5", "4.5", "4.75"]}, "blocks": 5},
       "listed: the last price holds after the list")
    # GARCH, Gaussian innovations (no nu): one normal and one Bernoulli draw a block.
    ok({"seed": 7, "path": garch_spec(), "blocks": 32},
       "garch, Gaussian innovations, no jumps; the price holds after the 30 drawn blocks; "
       "unconditional variance 0.000002/0.05 = 0.00004 (sigma 0.63 % a block)")
    ok({"seed": 0, "path": garch_spec(blocks=12), "blocks": 12}, "garch, Gaussian, seed 0 (the default)")
    # Student t, nu = 3 (the fat-tailed case of the bundled fat_tails study) and nu = 5.
    ok({"seed": 7, "path": garch_spec(nu=3), "blocks": 30},
       "garch, Student-t nu = 3 scaled by sqrt(floor(1/3)) to unit variance")
    ok({"seed": 12345678901234567890, "path": garch_spec(nu=5, jump_prob="0.2", jump_size="-0.03",
                                                      blocks=25), "blocks": 25},
       "garch, Student-t nu = 5 with jumps of log-size -0.03 with probability 0.2 a block")
    ok({"seed": 3, "path": garch_spec(omega="0.0004", alpha="0", beta="0", nu=1000, blocks=4), "blocks": 4},
       "garch with alpha = beta = 0: constant variance omega; nu = 1000 (1001 normals a block)")
    ok({"seed": 9, "path": garch_spec(price="1", omega="0.5", alpha="0.2", beta="0.7", blocks=20), "blocks": 20},
       "garch with a huge variance (sigma 2.2 a block): prices far from the start, floored to the grid")
    ok({"seed": 5, "path": garch_spec(jump_prob="1", jump_size="-50", blocks=3), "blocks": 3},
       "a jump of log-size -50 every block: the price floors to 0 and is raised to 1e-18")
    # GBM.
    ok({"seed": 7, "path": {"kind": "gbm", "price": "2000", "volatility": "0.0063", "blocks": 30}, "blocks": 30},
       "gbm without drift: m = -ceil(ceil(sigma^2)/2) a block")
    ok({"seed": 42, "path": {"kind": "gbm", "price": "1.5", "drift": "0.001", "volatility": "0.02",
                             "blocks": 20}, "blocks": 24},
       "gbm with drift 0.001 and volatility 0.02 per block; the price holds after block 20")
    ok({"seed": 1, "path": {"kind": "gbm", "price": "100", "drift": "-0.01", "volatility": "0", "blocks": 3},
        "blocks": 3}, "gbm without volatility: e^(-0.01 k) floored, still one normal draw a block")
    # Errors.
    err({"path": {"kind": "brownian", "price": "1"}, "blocks": 1}, "path.kind", "an unknown kind")
    err({"path": garch_spec(nu=2), "blocks": 1}, "path.nu", "nu below 3: no finite variance")
    err({"path": garch_spec(nu=1001), "blocks": 1}, "path.nu", "nu above 1000")
    err({"path": garch_spec(alpha="0.15"), "blocks": 1}, "path.beta", "alpha + beta = 1: not stationary")
    err({"path": garch_spec(omega="0"), "blocks": 1}, "path.omega", "omega must be positive")
    err({"path": garch_spec(alpha="-0.1"), "blocks": 1}, "path.alpha", "alpha negative")
    err({"path": garch_spec(price="0"), "blocks": 1}, "path.price", "a price must be positive")
    err({"path": garch_spec(jump_prob="1.5"), "blocks": 1}, "path.jump_prob", "a probability above 1")
    err({"path": garch_spec(blocks=0), "blocks": 1}, "path.blocks", "no stochastic stretch")
    err({"path": garch_spec(nu="3"), "blocks": 1}, "path.nu", "nu is a JSON integer, not a string")
    err({"path": dict(garch_spec(), drift="0"), "blocks": 1}, "path.drift", "garch takes no drift")
    err({"path": {"kind": "gbm", "price": "1", "volatility": "-0.1", "blocks": 2}, "blocks": 1},
        "path.volatility", "a negative volatility")
    err({"path": {"kind": "gbm", "price": "1", "blocks": 2}, "blocks": 1}, "path.volatility",
        "volatility is required")
    err({"path": {"kind": "gbm", "price": "1", "volatility": "0.01", "blocks": 10000001}, "blocks": 1},
        "path.blocks", "a stochastic stretch longer than any run (10,000,000 blocks)")
    err({"path": {"kind": "constant", "price": "1"}, "blocks": 100001}, "blocks", "more than 100,000 blocks asked")
    err({"path": {"kind": "constant", "price": "1"}}, "blocks", "blocks is required")
    err({"seed": -1, "path": {"kind": "constant", "price": "1"}, "blocks": 1}, "seed", "a negative seed")
    err({"path": {"kind": "constant", "price": "1"}, "blocks": 1, "key": "0"}, "key", "an unknown key")


def main():
    check_references()
    cases()
    for case in CASES:
        print(json.dumps(case, separators=(",", ":")))


if __name__ == "__main__":
    main()
