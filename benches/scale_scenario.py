#!/usr/bin/env python3
"""Scales a cascade scenario by an integer factor k, keeping its shape.

Multiplies every venue's population count, the market's base and quote, every venue's
waterfall funds (premium buffer, insurance fund, lender deposits) and the block gas by k;
everything else (path, prices, behaviour, liquidators) is unchanged. Decimal strings are
scaled exactly (fractions.Fraction), never through floats.

    python3 benches/scale_scenario.py vectors/scenarios/default.json 100 > scaled_100.json

k = 1, 10, 100, 200 gives 5k, 50k, 500k and 1M accounts from the default scenario (the
engine's scaling figures in issue 19 and in benches/cascade.rs).
"""
import json
import sys
from fractions import Fraction


def scale_decimal(s: str, k: int) -> str:
    """`s · k` as an exact decimal string with no more fractional digits than `s`."""
    v = Fraction(s) * k
    if v.denominator == 1:
        return str(v.numerator)
    frac = len(s.split(".", 1)[1]) if "." in s else 0
    q = v * 10**frac
    assert q.denominator == 1, (s, k)
    sign = "-" if q < 0 else ""
    digits = str(abs(q.numerator)).rjust(frac + 1, "0")
    return (sign + digits[:-frac] + "." + digits[-frac:]).rstrip("0").rstrip(".")


def scale(scenario: dict, k: int) -> dict:
    out = json.loads(json.dumps(scenario))
    m = out["market"]
    for field in ("base", "quote"):
        m[field] = scale_decimal(m[field], k)
    out["block_gas"] = scale_decimal(out["block_gas"], k)
    for v in out["venues"]:
        v["population"]["count"] = v["population"]["count"] * k
        for field, val in list(v["waterfall"].items()):
            v["waterfall"][field] = scale_decimal(val, k)
    return out


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: scale_scenario.py SCENARIO.json K")
    with open(sys.argv[1]) as f:
        scenario = json.load(f)
    k = int(sys.argv[2])
    if k < 1:
        sys.exit("K must be a positive integer")
    json.dump(scale(scenario, k), sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
