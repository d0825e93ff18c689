#!/usr/bin/env python3
"""Golden vectors for the math functions of lce, from an independent reference.

Regenerates, deterministically, every file of ``vectors/math``:

* ``vectors/math/<op>.jsonl``        -- curated edge cases plus some random cases (~300 each);
* ``vectors/math/random/<op>.jsonl`` -- 1000 seeded random inputs x both rounding directions.

Requirements: Python 3.11 and ``pip install mpmath==1.3.0`` (nothing else).
Run from the repository root::

    python3 vectors/math/generate.py

The expected values never come from lce. Every result is the exact mathematical value rounded
once to the 1e-18 grid ("floor": toward -inf, "ceil": toward +inf):

* ``mul``, ``div``, ``sqrt`` and the rational cases of ``pow`` are computed with exact integer
  and rational arithmetic (Python ints, ``fractions.Fraction``, exact integer roots);
* ``exp``, ``ln``, ``pow``, ``norm_cdf``, ``norm_pdf``, ``norm_inv`` are computed with mpmath at
  100 and again at 160 significant digits. A case is kept only if both precisions give the
  same rounded result and the scaled value y*10^18 is farther than 1e-40 from an integer (or is
  a known-positive value below 1e-40, whose floor is 0 and ceiling 1). Exactly representable
  results (exp(0), ln(1), norm_cdf(0), norm_inv(0.5), pow with a rational result) are
  special-cased with exact arithmetic. A case that cannot be made certain is dropped with a
  warning on stderr (none is dropped with the current seeds).

Only integer arithmetic and mpmath (pure Python, deterministic) decide any output value; the
random inputs come from ``random.Random(seed)`` using integer draws only, so the files are
byte-for-byte reproducible on any platform.
"""

import json
import os
import random
import re
import sys
import time
from fractions import Fraction

import mpmath
from mpmath import mp, mpf

if mpmath.__version__ != "1.3.0":
    print(f"warning: mpmath {mpmath.__version__}, the vectors were made with 1.3.0", file=sys.stderr)

S = 10**18                 # one wad in raw units
MAX = 2**127 - 1           # largest raw value
MIN = -(2**127)            # smallest raw value
DPS = (100, 160)           # the two working precisions (decimal digits)
BIG = 2**140               # |y*10^18| above this is certainly out of range

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------------------------
# Number format
# ---------------------------------------------------------------------------------------------


def fmt(raw: int) -> str:
    """The canonical decimal text of the wad with raw value `raw` (shortest exact form)."""
    sign = "-" if raw < 0 else ""
    ip, fp = divmod(abs(raw), S)
    if fp == 0:
        return f"{sign}{ip}"
    return f"{sign}{ip}." + f"{fp:018d}".rstrip("0")


def parse(text: str) -> int:
    """Raw value of a decimal text in the input grammar (used for the literals of this script)."""
    m = re.fullmatch(r"(-?)([0-9]+)(?:\.([0-9]{1,18}))?", text)
    assert m, text
    raw = int(m.group(2)) * S + (int(m.group(3).ljust(18, "0")) if m.group(3) else 0)
    raw = -raw if m.group(1) else raw
    assert MIN <= raw <= MAX, text
    return raw


def W(v) -> int:
    """Raw value of a literal: an int is a raw value already, a str is decimal text."""
    return v if isinstance(v, int) else parse(v)


# self-test of the format
assert fmt(0) == "0" and fmt(-0) == "0" and fmt(S) == "1" and fmt(1) == "0.000000000000000001"
assert fmt(-12 * S - 1) == "-12.000000000000000001" and fmt(5 * 10**16) == "0.05"
assert fmt(MAX) == "170141183460469231731.687303715884105727"
assert fmt(MIN) == "-170141183460469231731.687303715884105728"
for _t in ("0.05", "-12.000000000000000001", "1", "0.000000000000000001", "-3.5"):
    assert fmt(parse(_t)) == _t

# ---------------------------------------------------------------------------------------------
# Exact helpers
# ---------------------------------------------------------------------------------------------


class Uncertain(Exception):
    """The rounding of a case could not be made certain; the case is dropped."""


def iroot(n: int, k: int) -> int:
    """floor(n ** (1/k)) for n >= 0, exactly (mpmath guess, then exact correction)."""
    assert n >= 0 and k >= 1
    if k == 1 or n < 2:
        return n
    digits = (n.bit_length() * 30103 // 100000 + 1) // k + 30
    with mp.workdps(max(digits, 30)):
        r = int(mp.floor(mp.root(mpf(n), k)))
    r = max(r, 0)
    while r**k > n:
        r -= 1
    while (r + 1) ** k <= n:
        r += 1
    return r


def floor_div(n: int, d: int) -> int:
    return n // d


def ceil_div(n: int, d: int) -> int:
    return -((-n) // d)


# ---------------------------------------------------------------------------------------------
# Certain rounding of an mpmath computation
# ---------------------------------------------------------------------------------------------


def certain(compute):
    """Directed roundings (floor, ceil) of y*10^18 computed by `compute`.

    `compute()` runs under the current mp precision and returns (off, coef, Z, zpos) with
    y*10^18 = off + coef*Z (coef = +1 or -1); zpos says Z is known to be > 0 mathematically
    (so that a Z below 1e-40 still floors to 0 and ceils to 1 with certainty). The computation
    is done at two precisions and must agree; Z must not be within 1e-40 of a nonzero integer.
    """
    outs = []
    for dps in DPS:
        with mp.workdps(dps):
            off, coef, Z, zpos = compute()
            if abs(Z) > BIG:
                s = 1 if Z > 0 else -1
                fl = ce = off + coef * s * BIG * 2
            else:
                n = int(mp.nint(Z))
                d = abs(Z - n)
                if d > mpf(10) ** -40:
                    fz = int(mp.floor(Z))
                elif n == 0 and zpos and Z > 0:
                    fz = 0
                else:
                    raise Uncertain(f"value {mp.nstr(Z, 50)} too close to an integer")
                cz = fz + 1
                if coef == 1:
                    fl, ce = off + fz, off + cz
                else:
                    fl, ce = off - cz, off - fz
            outs.append((fl, ce))
    if outs[0] != outs[1]:
        raise Uncertain(f"precisions disagree: {outs}")
    return outs[0]


def X(raw):
    """The wad `raw` as an mpf at the current precision."""
    return mpf(raw) / S


# ---------------------------------------------------------------------------------------------
# The operations. Each returns ("err", kind, what) or ("ok", floor_raw, ceil_raw) with the
# unbounded rounded values; the range check (overflow) is applied per direction by `outcome`.
# ---------------------------------------------------------------------------------------------


def op_exp(x):
    if x == 0:
        return ("ok", S, S)
    return ("ok",) + certain(lambda: (0, 1, mp.exp(X(x)) * S, True))


def op_ln(x):
    if x <= 0:
        return ("err", "domain", "x")
    if x == S:
        return ("ok", 0, 0)
    return ("ok",) + certain(lambda: (0, 1, mp.log(X(x)) * S, False))


def op_sqrt(x):
    if x < 0:
        return ("err", "domain", "x")
    n = x * S
    r = iroot(n, 2)
    return ("ok", r, r if r * r == n else r + 1)


POW_MAX_A = 5000
POW_MAX_B = 1000


def pow_exact(x, p):
    """Exact floor/ceil of (x/S)^(p/S)*S for x > 0 when p = a/b has small a and b, else None."""
    fp = Fraction(p, S)
    a, b = fp.numerator, fp.denominator
    if abs(a) > POW_MAX_A or b > POW_MAX_B:
        return None
    # (y*S)^b = (x/S)^a * S^b = num/den
    if a >= 0:
        num, den = x**a * S**b, S**a
    else:
        num, den = S ** (-a) * S**b, x ** (-a)
    t = num // den
    r = iroot(t, b)
    exact = r**b * den == num
    return (r, r if exact else r + 1)


def op_pow(x, p):
    if x < 0:
        return ("err", "domain", "x")
    if x == 0:
        if p > 0:
            return ("ok", 0, 0)
        return ("err", "domain", "p")
    if p == 0 or x == S:
        return ("ok", S, S)
    ex = pow_exact(x, p)
    if ex is not None:
        # cross-check the exact path against mpmath where the latter is decisive
        try:
            ref = certain(lambda: (0, 1, mp.power(X(x), X(p)) * S, True))
            if abs(ref[0]) < BIG:
                assert ref == ex, (x, p, ref, ex)
        except Uncertain:
            pass
        return ("ok",) + ex
    return ("ok",) + certain(lambda: (0, 1, mp.power(X(x), X(p)) * S, True))


def op_norm_cdf(x):
    if x == 0:
        return ("ok", S // 2, S // 2)
    if x < 0:
        return ("ok",) + certain(lambda: (0, 1, mp.erfc(-X(x) / mp.sqrt(2)) / 2 * S, True))
    # Phi(x) = 1 - Q with the upper tail Q = erfc(x/sqrt2)/2 computed to full relative precision
    return ("ok",) + certain(lambda: (S, -1, mp.erfc(X(x) / mp.sqrt(2)) / 2 * S, True))


def op_norm_pdf(x):
    return ("ok",) + certain(lambda: (0, 1, mp.exp(-X(x) ** 2 / 2) / mp.sqrt(2 * mp.pi) * S, True))


def _inv_lower(u_raw):
    """Phi^-1(u) for 0 < u < 1/2 at the current precision (Newton on Phi via erfc)."""
    wp = mp.dps
    with mp.workdps(wp + 20):
        u = X(u_raw)
        y = -mp.sqrt(2) * mp.erfinv(1 - 2 * u)
        tol = mpf(10) ** -(wp + 10)
        for _ in range(100):
            f = mp.erfc(-y / mp.sqrt(2)) / 2 - u
            dy = f / (mp.exp(-y * y / 2) / mp.sqrt(2 * mp.pi))
            y -= dy
            if abs(dy) < tol:
                break
        else:
            raise Uncertain("Newton did not converge")
    return +y


def op_norm_inv(x):
    if x <= 0 or x >= S:
        return ("err", "domain", "x")
    if x * 2 == S:
        return ("ok", 0, 0)
    if x * 2 < S:
        return ("ok",) + certain(lambda: (0, 1, _inv_lower(x) * S, False))
    return ("ok",) + certain(lambda: (0, -1, _inv_lower(S - x) * S, False))


def op_mul(a, b):
    n = a * b
    return ("ok", floor_div(n, S), ceil_div(n, S))


def op_div(a, b):
    if b == 0:
        return ("err", "division_by_zero", None)
    n = a * S
    return ("ok", floor_div(n, b), ceil_div(n, b))


OPS = {
    "exp": (("x",), op_exp),
    "ln": (("x",), op_ln),
    "sqrt": (("x",), op_sqrt),
    "pow": (("x", "p"), op_pow),
    "norm_cdf": (("x",), op_norm_cdf),
    "norm_pdf": (("x",), op_norm_pdf),
    "norm_inv": (("x",), op_norm_inv),
    "mul": (("a", "b"), op_mul),
    "div": (("a", "b"), op_div),
}

_memo = {}


def evaluate(op, args):
    key = (op, args)
    if key not in _memo:
        _memo[key] = OPS[op][1](*args)
    return _memo[key]


def outcome(op, args, rnd):
    """The `expect` object of op(args) rounded in direction rnd ("floor"/"ceil")."""
    r = evaluate(op, args)
    if r[0] == "err":
        _, kind, what = r
        return {"error": {"kind": kind}} if what is None else {"error": {"kind": kind, "what": what}}
    v = r[1] if rnd == "floor" else r[2]
    if v > MAX or v < MIN:
        return {"error": {"kind": "overflow"}}
    return {"y": fmt(v)}


def value(op, args, rnd):
    """The rounded raw value, or None for an error (used by the threshold searches)."""
    e = outcome(op, args, rnd)
    return parse(e["y"]) if "y" in e else None


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------


def case_line(op, args, rnd, note=None, texts=None):
    """One JSON line; rnd None means the "round" field is omitted (it then means floor)."""
    names = OPS[op][0]
    inp = {}
    for i, (name, raw) in enumerate(zip(names, args)):
        inp[name] = texts[i] if texts and texts[i] is not None else fmt(raw)
    if rnd is not None:
        inp["round"] = rnd
    obj = {"op": op, "input": inp, "expect": outcome(op, args, rnd or "floor")}
    if note:
        obj["note"] = note
    return json.dumps(obj)


def raw_line(op, inp, expect, note=None):
    obj = {"op": op, "input": inp, "expect": expect}
    if note:
        obj["note"] = note
    return json.dumps(obj)


def bisect_last(pred, lo, hi):
    """Largest v in [lo, hi) with pred(v), given pred(lo) and not pred(hi), pred monotone."""
    assert pred(lo) and not pred(hi), (lo, hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if pred(mid):
            lo = mid
        else:
            hi = mid
    return lo


THRESHOLDS = []  # (description, value text) collected for the summary


def threshold(desc, raw):
    THRESHOLDS.append((desc, fmt(raw)))
    return raw


def invalid_lines(op):
    """Malformed inputs: expected error kind "invalid" naming the field."""
    names = OPS[op][0]
    good = {"x": "2", "p": "0.5", "a": "1.5", "b": "2"}
    out = []

    def base(rnd="floor"):
        d = {n: good[n] for n in names}
        if rnd is not None:
            d["round"] = rnd
        return d

    def inv(what):
        return {"error": {"kind": "invalid", "what": what}}

    bad_texts = [
        ("1.0000000000000000001", "19 fractional digits"),
        ("1e5", "exponent"),
        ("abc", "garbage"),
        ("+1", "plus sign"),
        (" 1", "leading white space"),
        ("1.", "point without fractional digits"),
        (".5", "point without integer digits"),
        ("", "empty string"),
        ("170141183460469231731.687303715884105728", "one unit above the largest wad"),
        ("-170141183460469231731.687303715884105729", "one unit below the smallest wad"),
    ]
    for i, name in enumerate(names):
        texts = bad_texts if i == 0 else bad_texts[:3]
        for t, why in texts:
            d = base()
            d[name] = t
            out.append(raw_line(op, d, inv(name), f"invalid {name}: {why}"))
        d = base()
        del d[name]
        out.append(raw_line(op, d, inv(name), f"invalid: missing field {name}"))
        d = base()
        d[name] = 1.5
        out.append(raw_line(op, d, inv(name), f"invalid {name}: a JSON number, not a string"))
    for r, why in (("nearest", "unknown direction"), ("Floor", "directions are lower case"), (1, "not a string")):
        d = base(r)
        out.append(raw_line(op, d, inv("round"), f"invalid round: {why}"))
    return out


SEEN = set()  # (op, args, texts, both) already emitted into the current curated file


def emit(lines, op, args, note=None, both=True, texts=None):
    """Append the cases of op(args): floor and ceil (both=True) or one with "round" omitted.
    An input already emitted into the file is skipped."""
    args = tuple(W(a) for a in args)
    key = (op, args, tuple(texts) if texts else None, both)
    if key in SEEN:
        return
    SEEN.add(key)
    try:
        if both:
            lines.append(case_line(op, args, "floor", note, texts))
            lines.append(case_line(op, args, "ceil", note, texts))
        else:
            lines.append(case_line(op, args, None, (note + "; " if note else "") + "round omitted: floor", texts))
    except Uncertain as e:
        print(f"warning: dropped {op}{args}: {e}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Random inputs (integer draws only)
# ---------------------------------------------------------------------------------------------


def rand_raw(rng, klo, khi, signed=False):
    """A random wad: raw magnitude in a decade 10^k..10^(k+1) with k uniform in [klo, khi]
    (log-uniform across decades), truncated to a random number (0..18) of fractional digits."""
    while True:
        k = rng.randint(klo, khi)
        raw = rng.randrange(10**k, 10 ** (k + 1))
        d = rng.randint(0, 18)
        raw -= raw % 10 ** (18 - d)
        if raw == 0 or raw > MAX:
            continue
        if signed and rng.random() < 0.5:
            raw = -raw
        return raw


def quantize(rng, raw):
    d = rng.randint(0, 18)
    q = 10 ** (18 - d)
    return (raw // q) * q


def rand_args(op, rng):
    if op == "exp":
        if rng.random() < 0.75:
            return (rand_raw(rng, 0, 19, True),)
        return (rand_raw(rng, 0, 38, True),)
    if op in ("ln", "sqrt"):
        if rng.random() < 0.1:
            return (S + rand_raw(rng, 0, 17, True),)  # near 1
        return (rand_raw(rng, 0, 38),)
    if op in ("norm_cdf", "norm_pdf"):
        u = rng.random()
        if u < 0.5:
            return (rand_raw(rng, 15, 19, True),)  # 0.001 .. 100
        if u < 0.85:
            return (rand_raw(rng, 0, 19, True),)
        return (rand_raw(rng, 0, 38, True),)
    if op == "norm_inv":
        while True:
            v = rand_raw(rng, 0, 17)
            if 2 * v <= S:
                break
        if rng.random() < 0.5:
            v = S - v
        return (v,)
    if op == "pow":
        u = rng.random()
        if u < 0.15:
            x = S + rand_raw(rng, 0, 17, True)
        elif u < 0.3:
            x = rng.randint(2, 100) * S
            if rng.random() < 0.3:
                x = S * S // x  # 1/n truncated to the grid
        else:
            x = rand_raw(rng, 0, 38)
        v = rng.random()
        if v < 0.4 and x != S:
            # aim at a result e^t with t uniform in [-44, 46]: p = t / ln x
            t = rng.randint(-44 * 10**6, 46 * 10**6)
            with mp.workdps(60):
                p = int(mp.floor(mpf(t) / 10**6 / mp.log(X(x)) * S))
            p = quantize(rng, p)
            if p == 0:
                p = S
            p = max(min(p, MAX), MIN)
        elif v < 0.7:
            p = rand_raw(rng, 0, 22, True)
        elif v < 0.85:
            p = rng.randint(-20 * 1000, 20 * 1000) * 10**15  # three decimals: the exact path
        else:
            p = rand_raw(rng, 0, 38, True)
        return (x, p)
    if op == "mul":
        a = rand_raw(rng, 0, 38, True)
        ka = len(str(abs(a))) - 1
        if rng.random() < 0.6:
            b = rand_raw(rng, 0, min(38, 56 - ka), True)
        else:
            b = rand_raw(rng, 0, 38, True)
        return (a, b)
    if op == "div":
        a = rand_raw(rng, 0, 38, True)
        ka = len(str(abs(a))) - 1
        if rng.random() < 0.01:
            return (a, 0)
        if rng.random() < 0.6:
            b = rand_raw(rng, max(0, ka - 20), 38, True)
        else:
            b = rand_raw(rng, 0, 38, True)
        return (a, b)
    raise ValueError(op)


def random_lines(op, seed, n_inputs, notes=False):
    """Cases for n_inputs distinct random inputs, both directions; in the curated file
    (notes=True) inputs already present among the edge cases are skipped too."""
    rng = random.Random(seed)
    lines = []
    seen = set()
    count = 0
    while count < n_inputs:
        args = rand_args(op, rng)
        if args in seen or (notes and (op, args, None, True) in SEEN):
            continue
        seen.add(args)
        try:
            evaluate(op, args)
        except Uncertain as e:
            print(f"warning: dropped random {op}{args}: {e}", file=sys.stderr)
            continue
        for rnd in ("floor", "ceil"):
            lines.append(case_line(op, args, rnd, "random" if notes else None))
        count += 1
    return lines


# ---------------------------------------------------------------------------------------------
# Curated edge cases per op
# ---------------------------------------------------------------------------------------------

ONE = S
E_MAX = "170141183460469231731.687303715884105727"
E_MIN = "-170141183460469231731.687303715884105728"


def edges_exp():
    L = []
    emit(L, "exp", [0], "exact: exp(0) = 1")
    emit(L, "exp", [1], "smallest positive input")
    emit(L, "exp", [-1], "largest negative input")
    emit(L, "exp", [2], "two units")
    emit(L, "exp", [-2], "minus two units")
    emit(L, "exp", ["1"], "e")
    emit(L, "exp", ["-1"], "1/e")
    for v in ("0.5", "-0.5", "1.5", "2", "-2", "0.1", "-0.1", "0.000000001", "-0.000000001", "3", "10",
              "-10", "20", "-20", "30", "40", "45", "46", "46.5", "-30", "-40", "-41", "-41.4", "0.05",
              "2.302585092994045684", "2.302585092994045685", "0.693147180559945309",
              "0.693147180559945310", "-0.693147180559945309", "12.345678901234567891", "-7.25",
              "0.999999999999999999", "1.000000000000000001", "-0.999999999999999999"):
        emit(L, "exp", [v])
    # overflow threshold (the same input for both directions unless exp lands in (max, max+1))
    tf = bisect_last(lambda v: value("exp", (v,), "floor") is not None, 46 * S, 47 * S)
    tc = bisect_last(lambda v: value("exp", (v,), "ceil") is not None, 46 * S, 47 * S)
    for t, which in ((tf, "floor"), (tc, "ceil")) if tf != tc else ((tf, "floor and ceil"),):
        threshold(f"exp: largest x that does not overflow ({which})", t)
        emit(L, "exp", [t], f"overflow threshold ({which}): last input that does not overflow")
        emit(L, "exp", [t + 1], f"overflow threshold ({which}): first input that overflows")
        emit(L, "exp", [t - 1], f"overflow threshold ({which}): one below the last input")
    # underflow threshold: where floor turns 0
    t = bisect_last(lambda v: value("exp", (v,), "floor") == 0, -42 * S, -41 * S)
    threshold("exp: largest x whose floor is 0", t)
    emit(L, "exp", [t], "underflow threshold: last input whose floor is 0")
    emit(L, "exp", [t + 1], "underflow threshold: first input whose floor is 1e-18")
    emit(L, "exp", [t - 1], "underflow threshold: one below")
    t = bisect_last(lambda v: value("exp", (v,), "floor") <= 1, -41 * S, -40 * S)
    emit(L, "exp", [t], "last input whose floor is 1e-18")
    emit(L, "exp", [t + 1], "first input whose floor is 2e-18")
    for v, n in (("47", "overflow"), ("100", "overflow"), ("1000000", "overflow"), (E_MAX, "largest wad: overflow"),
                 ("-42", "tiny"), ("-100", "tiny"), ("-1000000", "tiny"), (E_MIN, "smallest wad: tiny")):
        emit(L, "exp", [v], n)
    emit(L, "exp", [MAX - 1], "one below the largest wad")
    emit(L, "exp", ["1.5"], both=False)
    emit(L, "exp", ["-3.25"], both=False)
    emit(L, "exp", ["50"], "overflow", both=False)
    emit(L, "exp", [E_MIN], "tiny", both=False)
    emit(L, "exp", ["0"], "exact", both=False)
    emit(L, "exp", ["1"], both=False)
    return L


def edges_ln():
    L = []
    emit(L, "ln", ["1"], "exact: ln(1) = 0")
    emit(L, "ln", [S + 1], "1 + 1e-18: just above 0")
    emit(L, "ln", [S - 1], "1 - 1e-18: just below 0")
    emit(L, "ln", [S + 2], "near 1")
    emit(L, "ln", [S - 2], "near 1")
    for v in ("1.000000001", "0.999999999", "1.000000000000001", "0.999999999999999"):
        emit(L, "ln", [v], "near 1")
    emit(L, "ln", [1], "smallest positive input")
    emit(L, "ln", [2], "two units")
    emit(L, "ln", [E_MAX], "largest wad")
    emit(L, "ln", [MAX - 1], "one below the largest wad")
    for v in ("2", "0.5", "10", "0.1", "100", "0.01", "3", "1.5", "0.05", "2.718281828459045235",
              "2.718281828459045236", "7.389056098930650227", "1000000", "0.000001", "0.000000001",
              "1000000000", "100000000000000000000", "170141183460469231731", "4", "0.25", "1.1",
              "0.9", "1.01", "0.99", "12.345678901234567891", "0.000000000000001", "99.999999999999999999",
              "170000000000000000000", "0.3", "0.7", "1.999999999999999999", "2.000000000000000001",
              "0.367879441171442321", "0.367879441171442322", "22026.465794806716516957", "6"):
        emit(L, "ln", [v])
    for v in ("0", "-0.000000000000000001", "-1", E_MIN):
        emit(L, "ln", [v], "domain: x <= 0")
    emit(L, "ln", ["0"], "domain: x <= 0", both=False)
    emit(L, "ln", ["2"], both=False)
    emit(L, "ln", ["0.5"], both=False)
    emit(L, "ln", ["1"], "exact", both=False)
    emit(L, "ln", [S + 1], both=False)
    return L


def edges_sqrt():
    L = []
    emit(L, "sqrt", ["0"], "exact: sqrt(0) = 0")
    emit(L, "sqrt", [1], "smallest positive input: exactly 1e-9")
    emit(L, "sqrt", [2], "two units")
    emit(L, "sqrt", [4], "exact: 2e-9")
    emit(L, "sqrt", [3], None)
    emit(L, "sqrt", ["1"], "exact: 1")
    emit(L, "sqrt", [E_MAX], "largest wad")
    emit(L, "sqrt", [MAX - 1], "one below the largest wad")
    r = (iroot(MAX * S, 2) // 10**9) * 10**9
    emit(L, "sqrt", [r * r // S], "largest perfect square on the grid")
    emit(L, "sqrt", [r * r // S - 1], "just below the largest perfect square")
    emit(L, "sqrt", [r * r // S + 1], "just above the largest perfect square")
    for v, n in (("4", "exact: 2"), ("0.25", "exact: 0.5"), ("2.25", "exact: 1.5"), ("1.21", "exact: 1.1"),
                 ("0.01", "exact: 0.1"), ("0.0001", "exact: 0.01"), ("0.0000000000000001", "exact: 1e-8"),
                 ("1000000000000000000", "exact: 1e9"), ("100000000000000000000", "exact: 1e10"),
                 ("9", "exact: 3"), ("16", "exact: 4"), ("144", "exact: 12")):
        emit(L, "sqrt", [v], n)
    for v in ("2", "3", "0.5", "10", "0.1", "5", "1.000000000000000001", "0.999999999999999999",
              "1.000000000000000002", "0.999999999999999998", "1000000", "0.000001", "123456789.123456789",
              "170141183460469231731", "0.000000000000000002", "0.000000000000000003", "99999999999999999999",
              "1.5", "7", "0.2", "12345.678901234567890123", "3.999999999999999999", "4.000000000000000001"):
        emit(L, "sqrt", [v])
    for v in ("-0.000000000000000001", "-1", "-4", E_MIN):
        emit(L, "sqrt", [v], "domain: x < 0")
    emit(L, "sqrt", ["2"], both=False)
    emit(L, "sqrt", ["4"], "exact", both=False)
    emit(L, "sqrt", ["-1"], "domain", both=False)
    emit(L, "sqrt", ["0.5"], both=False)
    emit(L, "sqrt", ["10"], both=False)
    # inputs in the grammar but not in canonical form
    emit(L, "sqrt", [parse("2.25")], "non-canonical input text: trailing zeros", texts=["2.2500"])
    emit(L, "sqrt", [parse("4")], "non-canonical input text: leading zeros", texts=["004.000000000000000000"])
    emit(L, "sqrt", [0], "non-canonical input text: -0 is zero", texts=["-0"])
    return L


def edges_pow():
    L = []
    P = "pow"
    # domain
    for x, p, n in (("-1", "2", "domain: x < 0"), (-1, "0.5", "domain: x < 0"), ("-4", "0", "domain: x < 0"),
                    (E_MIN, "1", "domain: x < 0"), ("-2", "-1", "domain: x < 0"),
                    ("0", "0", "domain: x = 0 and p <= 0"), ("0", "-1", "domain: x = 0 and p <= 0"),
                    ("0", -1, "domain: x = 0 and p <= 0"), ("0", E_MIN, "domain: x = 0 and p <= 0")):
        emit(L, P, [x, p], n)
    for p in ("1", "0.5", 1, E_MAX, "2"):
        emit(L, P, ["0", p], "x = 0 and p > 0: 0")
    # p = 0 and x = 1
    for x in (1, "1", "2", E_MAX, "0.5"):
        emit(L, P, [x, "0"], "exact: p = 0 gives 1")
    for p in (E_MAX, E_MIN, "1.5", "-2.5", 1):
        emit(L, P, ["1", p], "exact: x = 1 gives 1")
    # p = 1
    for x in (1, "1.5", E_MAX, "3.141592653589793238", "0.000000000000000123"):
        emit(L, P, [x, "1"], "exact: p = 1 gives x")
    # p = 0.5
    for x, n in (("4", "exact: 2"), ("2", None), (1, "exact: 1e-9"), (E_MAX, None), ("0.25", "exact: 0.5"),
                 ("1.44", "exact: 1.2"), (2, None), ("10", None)):
        emit(L, P, [x, "0.5"], n)
    # p = -1
    for x, n in (("2", "exact: 0.5"), ("3", None), (1, "exact: 1e18"), (E_MAX, "tiny"), ("0.5", "exact: 2"),
                 ("7", None), ("0.3", None), (2, "exact: 5e17")):
        emit(L, P, [x, "-1"], n)
    # other exact rational results
    for x, p, n in (("2", "3", "exact: 2^3"), ("0.25", "1.5", "exact: 0.125"), ("16", "0.25", "exact: 2"),
                    ("16", "0.75", "exact: 8"), ("100", "1.5", "exact: 1000"), ("0.000001", "0.5", "exact: 0.001"),
                    ("0.000000001", "2", "exact: 1e-18"), ("0.0000000001", "2", "1e-20: floor 0"),
                    ("8", "-2", "exact: 1/64"), ("0.5", "59", "2^-59"), ("0.5", "60", "2^-60: below 1e-18"),
                    ("10", "20", "exact: 1e20"), ("10", "-18", "exact: 1e-18"), ("10", "-19", "1e-19: floor 0"),
                    ("3", "2", "exact: 9"), ("1.5", "2", "exact: 2.25"), ("1.1", "3", "exact: 1.331"),
                    ("0.9", "10", "exact: 0.3486784401"), ("2", "-0.5", None), ("1024", "0.1", "exact: 2"),
                    ("1000000", "0.333", None), ("27", "0.5", None), ("0.000000000000000004", "0.5", "exact: 2e-9"),
                    ("2", "66", "exact: 2^66"), ("2", "67", "exact: 2^67"), ("2", "68", "2^68 overflows"),
                    ("1.000000001", "2", "exact"), ("0.999999999", "3", "exact"), ("2", "10.5", None),
                    ("1.000000000000000001", "2", "exact: 1.000000000000000002000000000000000001")):
        emit(L, P, [x, p], n)
    # huge and small exponents
    for x, p, n in (("2", "100", "overflow"), ("2", "-100", "tiny"), ("1.000000000000000001", E_MAX, "exp(170.14): overflow"),
                    ("1.000000000000000001", "10000000000000000000", "about e^10"),
                    ("0.999999999999999999", "10000000000000000000", "about e^-10"),
                    ("1.000000000000000001", "-10000000000000000000", "about e^-10"),
                    (E_MAX, "2", "overflow"), (E_MAX, "-1", "tiny"), (E_MAX, 1, "x^(1e-18)"), (E_MAX, -1, "x^(-1e-18)"),
                    (1, "-1", "exact: 1e18"), (1, "-2", "overflow"), (1, "-1.1", "about 1e19.8"),
                    (1, "-1.15", "overflow"), (1, E_MAX, "tiny"), (1, E_MIN, "overflow"), (1, 1, "1e-18^(1e-18)"),
                    ("2", E_MIN, "tiny"), (E_MAX, E_MAX, "overflow"), (E_MAX, E_MIN, "tiny"),
                    ("0.5", E_MIN, "overflow"), ("0.5", E_MAX, "tiny"), (E_MAX, "1.000000000000000001", "overflow"),
                    (E_MAX, "0.999999999999999999", None), ("2", 1, "2^(1e-18)"), ("2", -1, "2^(-1e-18)"),
                    ("0.5", 1, None), ("1.5", "-0.000000000000000001", None), ("100", "10.1", None),
                    ("3", "40.5", None), ("1.01", "1000", None), ("0.99", "-1000", None),
                    ("1.000000000000000001", "1000000000000000000", "about e"),
                    ("2.718281828459045235", "2.5", None), ("1.5", "2.5", None), ("2", "0.333333333333333333", None),
                    ("8", "0.333333333333333333", None), ("8", "0.333333333333333334", None), ("0.1", "0.1", None),
                    ("12.5", "-3.75", None), ("123456.789", "3.21", None), ("0.000000000000000001", "0.000000000000000001", None)):
        emit(L, P, [x, p], n)
    # thresholds
    t = bisect_last(lambda v: value(P, (v, 2 * S), "ceil") is not None, S, MAX)
    threshold("pow: largest x with x^2 not overflowing (ceil)", t)
    emit(L, P, [t, "2"], "overflow threshold of x^2: last x that does not overflow (ceil)")
    emit(L, P, [t + 1, "2"], "overflow threshold of x^2: first x that overflows")
    t = bisect_last(lambda v: value(P, (2 * S, v), "ceil") is not None, 67 * S, 68 * S)
    threshold("pow: largest p with 2^p not overflowing (ceil)", t)
    emit(L, P, ["2", t], "overflow threshold of 2^p: last p that does not overflow")
    emit(L, P, ["2", t + 1], "overflow threshold of 2^p: first p that overflows")
    t = bisect_last(lambda v: value(P, (10 * S, v), "ceil") is not None, 20 * S, 21 * S)
    threshold("pow: largest p with 10^p not overflowing (ceil)", t)
    emit(L, P, ["10", t], "overflow threshold of 10^p: last p that does not overflow")
    emit(L, P, ["10", t + 1], "overflow threshold of 10^p: first p that overflows")
    t = bisect_last(lambda v: value(P, (S // 2, v), "floor") != 0, 59 * S, 60 * S)
    threshold("pow: largest p with floor(0.5^p) > 0", t)
    emit(L, P, ["0.5", t], "underflow threshold of 0.5^p: last p whose floor is 1e-18")
    emit(L, P, ["0.5", t + 1], "underflow threshold of 0.5^p: first p whose floor is 0")
    t = bisect_last(lambda v: value(P, (1, -v), "ceil") is not None, S, 2 * S)
    threshold("pow: largest q with (1e-18)^(-q) not overflowing (ceil)", t)
    emit(L, P, [1, -t], "overflow threshold of (1e-18)^p: last p that does not overflow")
    emit(L, P, [1, -t - 1], "overflow threshold of (1e-18)^p: first p that overflows")
    emit(L, P, ["2", "0.5"], both=False)
    emit(L, P, ["4", "0.5"], "exact", both=False)
    emit(L, P, ["0", "0"], "domain", both=False)
    emit(L, P, ["10", "-2"], "exact", both=False)
    emit(L, P, ["1.5", "3.7"], both=False)
    return L


def edges_norm_cdf():
    L = []
    C = "norm_cdf"
    emit(L, C, ["0"], "exact: 0.5")
    emit(L, C, [1], "smallest positive input")
    emit(L, C, [-1], "largest negative input")
    for v in ("0.5", "1", "1.5", "2", "2.5", "3", "4", "5", "6", "7", "1.959963984540054", "1.644853626951472",
              "2.326347874040841", "0.000000001", "0.1", "0.25", "0.674489750196081743", "1.281551565544600466",
              "3.090232306167813541", "0.000000000000000123"):
        emit(L, C, [v])
        emit(L, C, ["-" + v])
    for v in ("8", "8.5", "8.7", "8.75", "8.8", "9", "9.5", "10", "12", "15", "20", "25", "30", "35", "37.5",
              "38", "38.5", "39", "40", "100", "1000", "1000000", "10000000000"):
        emit(L, C, [v], "upper tail: floor 0.999999999999999999, ceil 1" if parse(v) > 9 * S else None)
        emit(L, C, ["-" + v], "lower tail")
    emit(L, C, [E_MAX], "largest wad")
    emit(L, C, [E_MIN], "smallest wad")
    # thresholds
    t = bisect_last(lambda v: value(C, (v,), "ceil") < S, 8 * S, 9 * S)
    threshold("norm_cdf: largest x whose ceil is below 1", t)
    emit(L, C, [t], "last x whose ceil is below 1")
    emit(L, C, [t + 1], "first x whose ceil is 1")
    t = bisect_last(lambda v: value(C, (v,), "floor") < S - 1, 8 * S, 9 * S)
    threshold("norm_cdf: largest x whose floor is below 0.999999999999999999", t)
    emit(L, C, [t], "last x whose floor is below 0.999999999999999999")
    emit(L, C, [t + 1], "first x whose floor is 0.999999999999999999")
    t = bisect_last(lambda v: value(C, (v,), "floor") == 0, -9 * S, -8 * S)
    threshold("norm_cdf: largest x whose floor is 0", t)
    emit(L, C, [t], "last x whose floor is 0")
    emit(L, C, [t + 1], "first x whose floor is 1e-18")
    t = bisect_last(lambda v: value(C, (v,), "ceil") <= 1, -9 * S, -8 * S)
    emit(L, C, [t], "last x whose ceil is 1e-18")
    emit(L, C, [t + 1], "first x whose ceil is 2e-18")
    emit(L, C, ["1"], both=False)
    emit(L, C, ["-1"], both=False)
    emit(L, C, ["0"], "exact", both=False)
    emit(L, C, ["40"], both=False)
    emit(L, C, ["-40"], both=False)
    return L


def edges_norm_pdf():
    L = []
    D = "norm_pdf"
    emit(L, D, ["0"], "1/sqrt(2 pi)")
    emit(L, D, [1], "smallest positive input")
    emit(L, D, [-1], "largest negative input")
    for v in ("0.5", "1", "1.5", "2", "3", "4", "5", "6", "7", "8", "8.5", "8.8", "9", "10", "12", "20",
              "38", "40", "100", "10000000000", "0.1", "0.000000001", "1.959963984540054", "2.5", "0.25",
              "0.000000000000000123", "1.234567890123456789", "3.3", "6.66"):
        emit(L, D, [v])
        emit(L, D, ["-" + v])
    emit(L, D, [E_MAX], "largest wad: tiny, no overflow")
    emit(L, D, [E_MIN], "smallest wad: tiny, no overflow")
    # threshold where floor turns 0 (pdf decreasing in |x|)
    t = bisect_last(lambda v: value(D, (v,), "floor") != 0, 8 * S, 10 * S)
    threshold("norm_pdf: largest |x| whose floor is not 0", t)
    emit(L, D, [t], "last x whose floor is 1e-18")
    emit(L, D, [t + 1], "first x whose floor is 0")
    emit(L, D, [-t], "last x whose floor is 1e-18 (negative side)")
    emit(L, D, [-t - 1], "first x whose floor is 0 (negative side)")
    t = bisect_last(lambda v: value(D, (v,), "floor") > 1, 8 * S, 10 * S)
    emit(L, D, [t], "last x whose floor is 2e-18")
    emit(L, D, [t + 1], "first x whose floor is 1e-18")
    emit(L, D, ["0"], both=False)
    emit(L, D, ["1"], both=False)
    emit(L, D, ["-2"], both=False)
    emit(L, D, ["40"], both=False)
    emit(L, D, [E_MAX], both=False)
    return L


def edges_norm_inv():
    L = []
    I = "norm_inv"
    emit(L, I, ["0.5"], "exact: 0")
    emit(L, I, [S // 2 + 1], "0.5 + 1e-18")
    emit(L, I, [S // 2 - 1], "0.5 - 1e-18")
    emit(L, I, [1], "smallest input")
    emit(L, I, [S - 1], "largest input")
    for k in (2, 3, 10, 1000, 10**6, 10**9, 10**12, 10**15):
        emit(L, I, [k], "lower tail")
        emit(L, I, [S - k], "upper tail")
    for v in ("0.025", "0.05", "0.01", "0.001", "0.1", "0.2", "0.3", "0.4", "0.45", "0.49", "0.499999999",
              "0.158655253931457051", "0.022750131948179207", "0.00135", "0.25", "0.123456789012345678",
              "0.000000000000000123", "0.000000001", "0.333333333333333333", "0.0001", "0.499999999999999999"):
        lo = parse(v)
        emit(L, I, [lo])
        emit(L, I, [S - lo])
    for v, n in (("0", "domain: x = 0"), ("1", "domain: x = 1"), ("-0.000000000000000001", "domain: x < 0"),
                 ("1.000000000000000001", "domain: x > 1"), ("2", "domain"), ("-1", "domain"), (E_MAX, "domain"),
                 (E_MIN, "domain")):
        emit(L, I, [v], n)
    emit(L, I, ["0.975"], both=False)
    emit(L, I, ["0.5"], "exact", both=False)
    emit(L, I, ["0"], "domain", both=False)
    emit(L, I, [1], both=False)
    emit(L, I, ["0.3"], both=False)
    return L


def edges_mul():
    L = []
    M = "mul"
    for a, b, n in (("0", "0", None), ("0", E_MAX, None), (E_MIN, "0", None), ("1", "1", None),
                    (1, 1, "1e-36: floor 0, ceil 1e-18"), (-1, 1, "-1e-36: floor -1e-18, ceil 0"),
                    (1, -1, "-1e-36"), (-1, -1, "1e-36"), ("1", 1, None), ("-1", 1, None),
                    ("0.000000001", "0.000000001", "exact: 1e-18"), ("0.05", "100", "exact: 5"),
                    ("1.5", "1.5", "exact: 2.25"), ("0.1", "0.1", "exact: 0.01"), ("-0.5", "0.5", None),
                    ("0.333333333333333333", "3", None), ("0.333333333333333333", "0.333333333333333333", None),
                    ("-0.333333333333333333", "0.333333333333333333", None),
                    ("-1.000000000000000001", "0.5", "-0.5000000000000000005"),
                    ("1.000000000000000001", "0.5", "0.5000000000000000005"),
                    ("1.000000000000000001", "1.000000000000000001", None),
                    ("-1.000000000000000001", "-1.000000000000000001", None),
                    (E_MAX, "1", "largest wad"), (E_MAX, "-1", None), (E_MIN, "1", "smallest wad"),
                    (E_MIN, "-1", "overflow: 2^127 raw"), ("-1", E_MIN, "overflow: 2^127 raw"),
                    (E_MAX, "1.000000000000000001", "overflow"), (E_MIN, "1.000000000000000001", "overflow"),
                    (E_MAX, "0.999999999999999999", None), (E_MIN, "0.999999999999999999", None),
                    (E_MAX, E_MAX, "overflow"), (E_MIN, E_MIN, "overflow"), (E_MAX, E_MIN, "overflow"),
                    (E_MAX, 1, "x * 1e-18"), (E_MIN, 1, None), (E_MAX, -1, None), (E_MAX, "0.5", None),
                    (E_MIN, "0.5", "exact"), (E_MIN, "-0.5", "exact"), ("2", 2**126 - 1, "exact: largest wad - 1e-18"),
                    ("2", 2**126, "exact: 2^127 raw, overflow"),
                    ("-2", 2**126, "exact: smallest wad"),
                    ("123.456", "-789.012", None), ("12345678901.123456789", "9876543210.987654321", None),
                    ("0.000000000000000007", "0.142857142857142857", None), ("-7", "0.142857142857142857", None),
                    ("3.141592653589793238", "2.718281828459045235", None)):
        emit(L, M, [a, b], n)
    # x*x overflow threshold
    t = iroot(MAX * S, 2)
    threshold("mul: largest a with a*a not overflowing", t)
    emit(L, M, [t, t], "overflow threshold of a*a: last a that does not overflow")
    emit(L, M, [t + 1, t + 1], "overflow threshold of a*a: first a that overflows")
    emit(L, M, [-t - 1, t + 1], "negative product just below the range")
    # products strictly between MAX and MAX+1: floor fits, ceil overflows; and the negative mirror
    found = 0
    for a in range(2 * S - 1, S, -1):
        b = MAX * S // a + 1
        if b <= MAX and a * b < (MAX + 1) * S:
            emit(L, M, [a, b], "exact product in (max, max + 1e-18): floor fits, ceil overflows")
            emit(L, M, [-a, b], "exact product in (min, min + 1e-18): both fit")
            found += 1
            if found == 2:
                break
    found = 0
    for a in range(2 * S - 1, S, -1):
        b = (-MIN) * S // a + 1
        if b <= MAX and a * b < (-MIN + 1) * S:
            emit(L, M, [-a, b], "exact product in (min - 1e-18, min): ceil fits, floor overflows")
            found += 1
            if found == 2:
                break
    emit(L, M, ["2", "3"], both=False)
    emit(L, M, ["-0.1", "0.3"], both=False)
    emit(L, M, [1, 1], both=False)
    emit(L, M, [E_MAX, "2"], "overflow", both=False)
    emit(L, M, ["0.5", "0.5"], both=False)
    emit(L, M, [0, parse("5")], "non-canonical input text: -0 is zero", texts=["-0", None])
    emit(L, M, [parse("1.5"), parse("2")], "non-canonical input text", texts=["1.50", "02.000"])
    return L


def edges_div():
    L = []
    D = "div"
    for a, b in (("1", "0"), ("0", "0"), ("-1", "0"), (E_MAX, "0"), (E_MIN, "0"), (1, "0")):
        emit(L, D, [a, b], "division by zero")
    for a, b, n in (("0", "1", None), ("0", E_MIN, None), ("1", "3", None), ("2", "3", None), ("-1", "3", None),
                    ("1", "-3", None), ("-1", "-3", None), ("1", "7", None), ("22", "7", None), ("1", "1", None),
                    (E_MAX, "1", "largest wad"), (E_MAX, "-1", None), (E_MIN, "1", "smallest wad"),
                    (E_MIN, "-1", "overflow: 2^127 raw"), (E_MAX, "0.5", "overflow"), (E_MIN, "2", "exact"),
                    (E_MAX, E_MAX, "exact: 1"), (E_MIN, E_MIN, "exact: 1"), (E_MIN, E_MAX, None), (E_MAX, E_MIN, None),
                    ("1", E_MAX, "tiny: floor 0, ceil 1e-18"), ("-1", E_MAX, "tiny negative"), (1, E_MAX, "tiny"),
                    (-1, E_MAX, "tiny negative"), (1, "2", "5e-19"), (-1, "2", "-5e-19"), (1, 1, "exact: 1"),
                    ("1", 1, "exact: 1e18"), ("1000", 1, "overflow"), ("170", 1, "1.7e20"),
                    ("0.05", "100", "exact: 0.0005"), ("10", "4", "exact: 2.5"), ("1", "0.999999999999999999", None),
                    ("1", "1.000000000000000001", None), ("-1", "1.000000000000000001", None),
                    (E_MAX, "0.999999999999999999", "overflow"), (E_MAX, "1.000000000000000001", None),
                    (E_MIN, "1.000000000000000001", None), (E_MIN, "0.999999999999999999", "overflow"),
                    ("3.141592653589793238", "2.718281828459045235", None), ("123.456", "-0.789", None),
                    ("0.000000000000000001", "0.000000000000000003", "1/3"),
                    ("12345678901.123456789", "0.000000009876543210", None), ("100000000000000000000", "0.5", None)):
        emit(L, D, [a, b], n)
    t = MAX // S
    threshold("div: largest a with a / 1e-18 not overflowing", t)
    emit(L, D, [t, 1], "overflow threshold of a / 1e-18: last a that does not overflow")
    emit(L, D, [t + 1, 1], "overflow threshold of a / 1e-18: first a that overflows")
    emit(L, D, [-t - 1, 1], "a / 1e-18: smallest a that does not overflow")
    emit(L, D, [-t - 2, 1], "a / 1e-18: overflow below")
    # quotients strictly between MAX and MAX+1 (floor fits, ceil overflows) and the negative mirror
    found = 0
    for b in range(S - 1, S // 2, -1):
        a = MAX * b // S + 1
        if a <= MAX and a * S < (MAX + 1) * b:
            emit(L, D, [a, b], "exact quotient in (max, max + 1e-18): floor fits, ceil overflows")
            found += 1
            if found == 2:
                break
    found = 0
    for b in range(S - 1, S // 2, -1):
        a = (-MIN) * b // S + 1
        if a <= MAX and a * S < (-MIN + 1) * b:
            emit(L, D, [-a, b], "exact quotient in (min - 1e-18, min): ceil fits, floor overflows")
            found += 1
            if found == 2:
                break
    emit(L, D, ["1", "3"], both=False)
    emit(L, D, ["-1", "3"], both=False)
    emit(L, D, ["1", "0"], "division by zero", both=False)
    emit(L, D, [E_MAX, "0.5"], "overflow", both=False)
    emit(L, D, ["7", "2"], both=False)
    return L


EDGES = {
    "exp": edges_exp,
    "ln": edges_ln,
    "sqrt": edges_sqrt,
    "pow": edges_pow,
    "norm_cdf": edges_norm_cdf,
    "norm_pdf": edges_norm_pdf,
    "norm_inv": edges_norm_inv,
    "mul": edges_mul,
    "div": edges_div,
}

# fixed seeds: curated files and the large random files
SEEDS = {op: 1000 + i for i, op in enumerate(OPS)}          # curated: 1000..1008
RANDOM_SEEDS = {op: 20240 + i for i, op in enumerate(OPS)}  # random/: 20240..20248
CURATED_RANDOM_INPUTS = 100
RANDOM_INPUTS = 1000


def spot_checks():
    """Hand-checked values; the script refuses to write files if any fails."""
    def y(op, args, rnd):
        return outcome(op, tuple(W(a) for a in args), rnd).get("y")
    checks = [
        ("exp", ["1"], "floor", "2.718281828459045235"), ("exp", ["1"], "ceil", "2.718281828459045236"),
        ("sqrt", ["2"], "floor", "1.414213562373095048"), ("sqrt", ["2"], "ceil", "1.414213562373095049"),
        ("norm_cdf", ["0"], "floor", "0.5"), ("norm_cdf", ["0"], "ceil", "0.5"),
        ("ln", ["2"], "floor", "0.693147180559945309"), ("ln", ["2"], "ceil", "0.69314718055994531"),
        ("exp", ["1.5"], "floor", "4.481689070338064822"),
        ("exp", ["-100"], "floor", "0"), ("exp", ["-100"], "ceil", "0.000000000000000001"),
        ("norm_cdf", ["40"], "floor", "0.999999999999999999"), ("norm_cdf", ["40"], "ceil", "1"),
        ("norm_cdf", ["-40"], "floor", "0"), ("norm_cdf", ["-40"], "ceil", "0.000000000000000001"),
        ("norm_pdf", ["0"], "floor", "0.398942280401432677"), ("norm_pdf", ["0"], "ceil", "0.398942280401432678"),
        ("norm_inv", ["0.975"], "floor", "1.959963984540054235"),
        ("norm_inv", ["0.025"], "ceil", "-1.959963984540054235"),
        ("pow", ["4", "0.5"], "floor", "2"), ("pow", ["4", "0.5"], "ceil", "2"),
        ("pow", ["0.25", "1.5"], "ceil", "0.125"), ("pow", ["2", "3"], "ceil", "8"),
        ("mul", ["-0.000000000000000001", "0.000000000000000001"], "ceil", "0"),
        ("div", ["-1", "3"], "floor", "-0.333333333333333334"),
        ("div", ["-1", "3"], "ceil", "-0.333333333333333333"),
    ]
    ok = True
    for op, args, rnd, want in checks:
        got = y(op, args, rnd)
        if got != want:
            print(f"SPOT CHECK FAILED: {op}{tuple(args)} {rnd}: got {got}, want {want}", file=sys.stderr)
            ok = False
    if not ok:
        sys.exit(1)


def write(path, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(line + "\n")


def build(op):
    t0 = time.time()
    THRESHOLDS.clear()
    SEEN.clear()
    lines = EDGES[op]()
    lines += random_lines(op, SEEDS[op], CURATED_RANDOM_INPUTS, notes=True)
    lines += invalid_lines(op)
    write(os.path.join(HERE, f"{op}.jsonl"), lines)
    rlines = random_lines(op, RANDOM_SEEDS[op], RANDOM_INPUTS)
    write(os.path.join(HERE, "random", f"{op}.jsonl"), rlines)
    return op, len(lines), len(rlines), time.time() - t0, list(THRESHOLDS)


def main():
    t0 = time.time()
    spot_checks()
    os.makedirs(os.path.join(HERE, "random"), exist_ok=True)
    ops = list(OPS)
    if len(sys.argv) > 1:
        ops = [o for o in ops if o in sys.argv[1:]]
    jobs = int(os.environ.get("JOBS", "2"))
    if jobs > 1:
        import multiprocessing
        with multiprocessing.Pool(jobs) as pool:
            results = pool.map(build, ops, chunksize=1)
    else:
        results = [build(op) for op in ops]
    for op, n, nr, dt, th in results:
        print(f"{op:9s} {n:5d} cases in {op}.jsonl, {nr:5d} in random/{op}.jsonl  ({dt:.1f} s)")
        for desc, v in th:
            print(f"    {desc}: {v}")
    print(f"total {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
