#!/usr/bin/env python3
"""Speed of the Python bindings: medians of R runs, in wall-clock time (time.perf_counter)
and in CPU time of this process (time.process_time: its speed on one core, whatever else the
machine runs; the binding runs on the calling thread).

  single   one `Market.health(account)` call (a market of three tokens, an account of two
           positions, balances as Decimal), per second;
  oneshot  `lce.health(tokens=..., account=...)`, the market read on each call, per second;
  batch    `Market.health_batch` of 100,000 accounts (three columns): seconds per call, with
           rows of Decimal and with a numpy int64 array of raw units (when numpy is installed);
  many     `Market.health_many` of 100,000 accounts given as lists of (token, Decimal).

Usage: python bindings/python/bench.py [-r 7]
"""

import argparse
import random
import statistics
import time
from decimal import Decimal

import lce

TOKENS = [
    {"price": "2500", "init_asset_weight": "0.8", "maint_asset_weight": "0.825",
     "init_liab_weight": "1.05", "maint_liab_weight": "1.02", "liquidation_fee": "0.05"},
    {"price": "64000", "init_asset_weight": "0.7", "maint_asset_weight": "0.75",
     "init_liab_weight": "1.1", "maint_liab_weight": "1.05", "liquidation_fee": "0.075"},
    {"price": "1", "init_asset_weight": "0.9", "maint_asset_weight": "0.95",
     "init_liab_weight": "1", "maint_liab_weight": "1", "liquidation_fee": "0.04"},
]


def median_of(runs, f):
    """The medians of the wall-clock and the CPU seconds of `f()`."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        f()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def rate(n, t):
    return f"{n / t[0]:>12,.0f} calls/s (wall) {n / t[1]:>12,.0f} calls/s (CPU)"


def secs(t):
    return f"{t[0]:>10.3f} s (wall) {t[1]:>10.3f} s (CPU)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-r", type=int, default=7)
    ap.add_argument("-n", type=int, default=100_000)
    args = ap.parse_args()
    market = lce.Market(TOKENS)
    account = [{"token": 0, "balance": Decimal("3.25")}, {"token": 2, "balance": Decimal("-5000")}]
    calls = 200_000

    def single():
        h = market.health
        for _ in range(calls):
            h(account)

    def oneshot():
        for _ in range(calls // 10):
            lce.health(tokens=TOKENS, account=account)

    t = median_of(args.r, single)
    print(f"single   Market.health            {rate(calls, t)}")
    t = median_of(args.r, oneshot)
    print(f"oneshot  lce.health(tokens=...)   {rate(calls // 10, t)}")

    rng = random.Random(7)
    rows = [[Decimal(rng.randrange(1, 10**6)) / 1000, None if i % 2 else Decimal(rng.randrange(10**4)) / 10**4,
             -Decimal(rng.randrange(1, 10**9)) / 100] for i in range(args.n)]
    t = median_of(args.r, lambda: market.health_batch(rows))
    print(f"batch    {args.n:,} rows of Decimal  {secs(t)}")
    try:
        import numpy as np
    except ImportError:
        np = None
    if np is not None:
        raw = np.array([[int(v * 10**6) if v is not None else 0 for v in r] for r in rows], dtype=np.int64)
        t = median_of(args.r, lambda: market.health_batch(raw=raw, decimals=6))
        print(f"batch    {args.n:,} numpy int64 raw  {secs(t)}")
    accounts = [[(0, r[0]), (2, r[2])] for r in rows]
    t = median_of(args.r, lambda: market.health_many(accounts))
    print(f"many     {args.n:,} accounts         {secs(t)}")


if __name__ == "__main__":
    main()
