#!/usr/bin/env python3
"""Generates rng.jsonl: the golden vectors of the op `rng` (the seeded generator of lce).

An independent reference written from the spec in vectors/rng/README.md, not from the Rust
code: SplitMix64 and xoshiro256** 1.0 in pure Python integers (masked to 64 bits), every
sampler in exact integer arithmetic, and the normal quantile with mpmath
(Phi^-1(p) = sqrt(2)*erfinv(2p - 1)) at 50 and again at 80 significant digits, rounded toward
negative infinity to the 1e-18 grid; a value is accepted only when both precisions agree and
x*10^18 is farther than 1e-25 from an integer (p = 1/2 gives 0 exactly).

The script first checks its SplitMix64 and xoshiro256** against published reference outputs
(SplitMix64 from seed 0 starts 0xE220A8397B1DCDAF; xoshiro256** from the state [1, 2, 3, 4]
gives 11520, 0, 1509978240, ... as in the reference implementation's test of rand_xoshiro).

Requirements: Python 3.8+ and mpmath (made with 1.3.0). Run from this directory:

    python3 gen_rng.py > rng.jsonl
"""
import json
import math
import sys

import mpmath
from mpmath import mp, mpf

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15
SCALE = 10**18
MAX_NU = 1000
MAX_COUNT = 1000


# ---------------------------------------------------------------------------------------------
# The generators
# ---------------------------------------------------------------------------------------------


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class SplitMix64:
    def __init__(self, seed):
        self.x = seed & MASK

    def next(self):
        self.x = (self.x + GAMMA) & MASK
        return mix64(self.x)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Rng:
    """xoshiro256** 1.0, with every sampler of the spec; `draws` counts next_u64 calls."""

    def __init__(self, state):
        assert len(state) == 4 and any(state)
        self.s = list(state)
        self.draws = 0

    @classmethod
    def new(cls, seed):
        g = SplitMix64(seed)
        return cls([g.next() for _ in range(4)])

    @classmethod
    def derive(cls, seed, key):
        k = SplitMix64(key).next()
        d = SplitMix64(seed ^ k).next()
        return cls.new(d)

    def next_u64(self):
        s0, s1, s2, s3 = self.s
        result = (rotl((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        self.draws += 1
        return result

    def below(self, n):
        assert 1 <= n <= MASK
        t = (1 << 64) % n
        while True:
            m = self.next_u64() * n
            if m & MASK >= t:
                return m >> 64

    def below_wide(self, n):
        assert (1 << 64) <= n < (1 << 128)
        t = (1 << 128) % n
        while True:
            u = (self.next_u64() << 64) | self.next_u64()
            m = u * n
            if m & ((1 << 128) - 1) >= t:
                return m >> 128

    def unit(self):
        return (self.next_u64() * SCALE) >> 64

    def open_unit(self):
        while True:
            u = self.unit()
            if u != 0:
                return u

    def range(self, lo, hi):
        assert lo < hi
        w = hi - lo
        k = self.below(w) if w < (1 << 64) else self.below_wide(w)
        return lo + k

    def bernoulli(self, p):
        assert 0 <= p <= SCALE
        return self.unit() < p

    def normal(self):
        return norm_inv_floor(self.open_unit())

    def student_t(self, nu):
        assert 1 <= nu <= MAX_NU
        z = self.normal()
        while True:
            total = sum(self.normal() ** 2 for _ in range(nu))
            s = total // nu
            if s > 0:
                break
        n = z * z * SCALE * SCALE
        t = math.isqrt(n // s)  # floor(sqrt(n / s)) = isqrt(floor(n / s))
        if z >= 0:
            return t
        exact = t * t * s == n
        return -(t if exact else t + 1)


_NORM_CACHE = {}


def norm_inv_floor(p_raw):
    """floor(Phi^-1(p_raw / 10^18) * 10^18) for 0 < p_raw < 10^18, with mpmath."""
    assert 0 < p_raw < SCALE
    if p_raw * 2 == SCALE:
        return 0
    if p_raw in _NORM_CACHE:
        return _NORM_CACHE[p_raw]
    results = []
    for dps in (50, 80):
        with mp.workdps(dps):
            p = mpf(p_raw) / SCALE
            x = mpmath.sqrt(2) * mpmath.erfinv(2 * p - 1) * SCALE
            f = int(mpmath.floor(x))
            if dps == 80:
                assert x - f > mpf(10) ** -25 and f + 1 - x > mpf(10) ** -25, (p_raw, x)
            results.append(f)
    assert results[0] == results[1], (p_raw, results)
    _NORM_CACHE[p_raw] = results[0]
    return results[0]


# ---------------------------------------------------------------------------------------------
# Published reference outputs
# ---------------------------------------------------------------------------------------------


def check_references():
    g = SplitMix64(0)
    assert [g.next() for _ in range(4)] == [
        0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F, 0xF88BB8A8724C81EC]
    g = SplitMix64(1234567)
    assert [g.next() for _ in range(5)] == [
        6457827717110365317, 3203168211198807973, 9817491932198370423,
        4593380528125082431, 16408922859458223821]
    g = SplitMix64(1477776061723855037)
    assert [g.next() for _ in range(3)] == [
        1985237415132408290, 2979275885539914483, 13511426838097143398]
    r = Rng([1, 2, 3, 4])
    assert [r.next_u64() for _ in range(10)] == [
        11520, 0, 1509978240, 1215971899390074240, 1216172134540287360,
        607988272756665600, 16172922978634559625, 8476171486693032832,
        10595114339597558777, 2904607092377533576]


# ---------------------------------------------------------------------------------------------
# Wire format and the op
# ---------------------------------------------------------------------------------------------


def wad(raw):
    """The canonical decimal text of a raw wad value."""
    sign = "-" if raw < 0 else ""
    whole, frac = divmod(abs(raw), SCALE)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}." + f"{frac:018d}".rstrip("0")


def parse_wad(text):
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("-")
    whole, _, frac = body.partition(".")
    return sign * (int(whole) * SCALE + int((frac + "0" * 18)[:18]))


def run(inp):
    """The op's output for a valid input (errors are written by hand below)."""
    if "state" in inp:
        rng = Rng([int(w) for w in inp["state"]])
    elif "key" in inp:
        rng = Rng.derive(int(inp["seed"]), int(inp["key"]))
    else:
        rng = Rng.new(int(inp["seed"]))
    draw = inp["draw"]
    values = []
    for _ in range(inp["count"]):
        if draw == "u64":
            values.append(str(rng.next_u64()))
        elif draw == "unit":
            values.append(wad(rng.unit()))
        elif draw == "open_unit":
            values.append(wad(rng.open_unit()))
        elif draw == "below":
            values.append(str(rng.below(int(inp["n"]))))
        elif draw == "range":
            values.append(wad(rng.range(parse_wad(inp["lo"]), parse_wad(inp["hi"]))))
        elif draw == "bernoulli":
            values.append(rng.bernoulli(parse_wad(inp["p"])))
        elif draw == "normal":
            values.append(wad(rng.normal()))
        elif draw == "student_t":
            values.append(wad(rng.student_t(inp["nu"])))
        else:
            raise ValueError(draw)
    return {"values": values, "draws": rng.draws}


CASES = []


def ok(inp, note):
    out = run(inp)
    CASES.append({"op": "rng", "input": inp, "expect": {"values": out["values"]},
                  "note": f"{note} ({out['draws']} draws of next_u64)"})


def err(inp, what, note, kind="invalid"):
    CASES.append({"op": "rng", "input": inp, "expect": {"error": {"kind": kind, "what": what}},
                  "note": note})


def cases():
    # The raw stream.
    ok({"seed": "0", "draw": "u64", "count": 8},
       "xoshiro256** seeded with SplitMix64(0): state E220A8397B1DCDAF 6E789E6AA1B965F4 "
       "06C45D188009454F F88BB8A8724C81EC; first output 0x99EC5F36CB75F2B4")
    ok({"seed": "1", "draw": "u64", "count": 8}, "seed 1: first output 0xB3F2AF6D0FC710C5")
    ok({"seed": "123", "draw": "u64", "count": 5}, "seed 123")
    ok({"seed": "18446744073709551615", "draw": "u64", "count": 4}, "the largest seed, 2^64 - 1")
    ok({"seed": "000042", "draw": "u64", "count": 3}, "leading zeros are allowed: seed 42")
    ok({"seed": "42", "draw": "u64", "count": 0}, "count 0: no values")
    ok({"state": ["1", "2", "3", "4"], "draw": "u64", "count": 10},
       "the published reference vector of xoshiro256** 1.0 from the state [1, 2, 3, 4]")
    ok({"seed": "42", "key": "0", "draw": "u64", "count": 4},
       "derive(42, 0): k = mix64(0 + g), d = mix64((42 xor k) + g), Rng::new(d)")
    ok({"seed": "42", "key": "1", "draw": "u64", "count": 4}, "derive(42, 1): unrelated to key 0")
    ok({"seed": "42", "key": "7", "draw": "u64", "count": 4}, "derive(42, 7)")
    ok({"seed": "0", "key": "18446744073709551615", "draw": "u64", "count": 3},
       "derive(0, 2^64 - 1): the key wraps in mix64(key + g)")
    # Uniforms.
    ok({"seed": "0", "draw": "unit", "count": 8}, "unit = floor(u * 10^18 / 2^64)")
    ok({"seed": "2024", "draw": "unit", "count": 6}, "unit, seed 2024")
    ok({"state": ["1", "2", "3", "4"], "draw": "unit", "count": 4},
       "u = 11520 -> floor(11520e18 / 2^64) = 624e-18; u = 0 -> 0 (unit may be 0)")
    ok({"seed": "0", "draw": "open_unit", "count": 8}, "open_unit, seed 0 (no redraw)")
    ok({"state": ["1", "2", "3", "4"], "draw": "open_unit", "count": 3},
       "u = 11520 -> 624e-18; u = 0 is redrawn: the second value comes from u = 1509978240")
    ok({"state": ["1", "0", "0", "0"], "draw": "open_unit", "count": 2},
       "state [1, 0, 0, 0]: the first output rotl(0 * 5, 7) * 9 = 0 gives unit 0, redrawn")
    ok({"seed": "9", "key": "3", "draw": "open_unit", "count": 4}, "open_unit on a derived stream")
    # Integers below n.
    ok({"seed": "0", "draw": "below", "n": "1", "count": 5}, "n = 1: always 0 (t = 0, one draw each)")
    ok({"seed": "0", "draw": "below", "n": "6", "count": 12}, "a die: floor(u * 6 / 2^64), t = 2^64 mod 6 = 4")
    ok({"seed": "5", "draw": "below", "n": "10", "count": 10}, "n = 10")
    ok({"seed": "5", "draw": "below", "n": "4294967296", "count": 4}, "n = 2^32: the high 32 bits of u")
    ok({"seed": "77", "draw": "below", "n": "9223372036854775809", "count": 10},
       "n = 2^63 + 1: t = 2^64 mod n = 2^63 - 1, about half the draws are rejected")
    ok({"seed": "77", "draw": "below", "n": "18446744073709551615", "count": 4},
       "n = 2^64 - 1: t = 1, only u * n mod 2^64 = 0 is rejected")
    ok({"state": ["1", "2", "3", "4"], "draw": "below", "n": "3", "count": 4},
       "u = 11520: 11520 * 3 / 2^64 -> 0; u = 0: low word 0 < t = 1 is rejected; then 1509978240 -> 0")
    # Ranges.
    ok({"seed": "1", "draw": "range", "lo": "-1", "hi": "1", "count": 6},
       "width 2e18 raw < 2^64: lo + below(2000000000000000000)")
    ok({"seed": "1", "draw": "range", "lo": "0.5", "hi": "0.500000000000000003", "count": 8},
       "width 3 raw: three grid points 0.5, 0.5 + 1e-18, 0.5 + 2e-18")
    ok({"seed": "3", "draw": "range", "lo": "-100", "hi": "100", "count": 5},
       "width 2e20 raw >= 2^64: the 128-bit method, two draws per attempt (high word first)")
    ok({"seed": "3", "draw": "range", "lo": "95", "hi": "105.5", "count": 5}, "width 10.5 < 18.44")
    # Bernoulli.
    ok({"seed": "8", "draw": "bernoulli", "p": "0.5", "count": 12}, "unit < 0.5")
    ok({"seed": "8", "draw": "bernoulli", "p": "0", "count": 3}, "p = 0: never (one draw each still)")
    ok({"seed": "8", "draw": "bernoulli", "p": "1", "count": 3}, "p = 1: always")
    ok({"seed": "8", "draw": "bernoulli", "p": "0.05", "count": 20}, "p = 5 %")
    ok({"state": ["1", "2", "3", "4"], "draw": "bernoulli", "p": "0.000000000000000001", "count": 3},
       "p = 1e-18: unit 624e-18 is not below it, unit 0 is, then 81856084e-18 is not")
    # Normals.
    ok({"seed": "0", "draw": "normal", "count": 6},
       "floor(Phi^-1(open_unit) * 10^18) with mpmath at 50 and 80 digits")
    ok({"seed": "1", "draw": "normal", "count": 6}, "normal, seed 1")
    ok({"seed": "31337", "key": "12", "draw": "normal", "count": 5}, "normal on a derived stream")
    ok({"state": ["1", "2", "3", "4"], "draw": "normal", "count": 2},
       "p = 624e-18 (far left tail), then p from u = 1509978240 (u = 0 redrawn)")
    # Student t.
    ok({"seed": "0", "draw": "student_t", "nu": 1, "count": 5},
       "nu = 1 (Cauchy): Z, Z1; S = Z1^2 (raw); T = Z / sqrt(S e-36) floored")
    ok({"seed": "4", "draw": "student_t", "nu": 3, "count": 5}, "nu = 3: four normals per value")
    ok({"seed": "4", "draw": "student_t", "nu": 5, "count": 3}, "nu = 5")
    ok({"seed": "11", "key": "2", "draw": "student_t", "nu": 30, "count": 2}, "nu = 30, derived stream")
    ok({"seed": "6", "draw": "student_t", "nu": 1000, "count": 1}, "nu = 1000 (the maximum): 1001 normals")
    # Errors.
    err({"draw": "u64", "count": 1}, "seed", "seed missing (and no state)")
    err({"seed": 5, "draw": "u64", "count": 1}, "seed", "a JSON number is not a u64 on the wire")
    err({"seed": "-1", "draw": "u64", "count": 1}, "seed", "a sign is not allowed")
    err({"seed": "+1", "draw": "u64", "count": 1}, "seed", "a sign is not allowed")
    err({"seed": "18446744073709551616", "draw": "u64", "count": 1}, "seed", "2^64 does not fit u64")
    err({"seed": "1.5", "draw": "u64", "count": 1}, "seed", "not an integer")
    err({"seed": "", "draw": "u64", "count": 1}, "seed", "empty")
    err({"seed": "1", "key": "x", "draw": "u64", "count": 1}, "key", "key not a decimal integer")
    err({"seed": "1", "draw": "gauss", "count": 1}, "draw", "unknown draw")
    err({"seed": "1", "count": 1}, "draw", "draw missing")
    err({"seed": "1", "draw": "u64"}, "count", "count missing")
    err({"seed": "1", "draw": "u64", "count": 1001}, "count", "count above 1000")
    err({"seed": "1", "draw": "u64", "count": "3"}, "count", "count is a JSON number")
    err({"seed": "1", "draw": "below", "count": 1}, "n", "below without n")
    err({"seed": "1", "draw": "below", "n": "0", "count": 1}, "n", "n = 0: no integer below it")
    err({"seed": "1", "draw": "below", "n": "18446744073709551616", "count": 1}, "n", "n above 2^64 - 1")
    err({"seed": "1", "draw": "unit", "n": "5", "count": 1}, "n", "n is only for below")
    err({"seed": "1", "draw": "range", "lo": "1", "hi": "1", "count": 1}, "hi", "empty range: lo = hi")
    err({"seed": "1", "draw": "range", "lo": "2", "hi": "1", "count": 1}, "hi", "lo > hi")
    err({"seed": "1", "draw": "range", "hi": "1", "count": 1}, "lo", "range without lo")
    err({"seed": "1", "draw": "range", "lo": "0", "hi": "1.0000000000000000001", "count": 1}, "hi",
        "19 fractional digits")
    err({"seed": "1", "draw": "bernoulli", "p": "1.000000000000000001", "count": 1}, "p", "p above 1")
    err({"seed": "1", "draw": "bernoulli", "p": "-0.1", "count": 1}, "p", "p below 0")
    err({"seed": "1", "draw": "student_t", "count": 1}, "nu", "student_t without nu")
    err({"seed": "1", "draw": "student_t", "nu": 0, "count": 1}, "nu", "nu = 0")
    err({"seed": "1", "draw": "student_t", "nu": 1001, "count": 1}, "nu", "nu above 1000")
    err({"seed": "1", "draw": "normal", "nu": 3, "count": 1}, "nu", "nu is only for student_t")
    err({"seed": "1", "draw": "u64", "count": 1, "mean": "0"}, "mean", "unknown key")
    err({"state": ["0", "0", "0", "0"], "draw": "u64", "count": 1}, "state",
        "the all-zero state is a fixed point of xoshiro")
    err({"state": ["1", "2", "3"], "draw": "u64", "count": 1}, "state", "state needs four words")
    err({"state": ["1", "2", "3", "x"], "draw": "u64", "count": 1}, "state[3]", "a word not a u64")
    err({"seed": "1", "state": ["1", "2", "3", "4"], "draw": "u64", "count": 1}, "state",
        "seed and state together")
    err({"state": ["1", "2", "3", "4"], "key": "1", "draw": "u64", "count": 1}, "key",
        "key derives from a seed, not from a state")


def main():
    print(f"mpmath {mpmath.__version__}", file=sys.stderr)
    check_references()
    cases()
    for case in CASES:
        print(json.dumps(case))
    print(f"{len(CASES)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
