#!/usr/bin/env python3
"""Throughput of `lce eval` on `health` cases: cases per second, median of runs.

Three streams of N health cases each:
  keeper   a keeper's stream: one market of three tokens (ETH, WBTC, USDC) given inline in
           every case, and a different account in each (1 to 3 positions, seeded random
           balances);
  named    the same cases after one `define` of the market, which they name ("tokens":
           "mainnet", vectors/README.md §6);
  vectors  the non-error cases of vectors/risk/health.jsonl, cycled (25 different token
           sets, inline).
Each stream is answered R times by `lce eval FILE > /dev/null` and, through a pipe, by
`lce eval < FILE`; keeper and named are checked once to give the same outputs.

Reports, per stream and input, the median over the runs of cases per wall-clock second and of
cases per CPU second (user + system time of the lce process: its speed on one core, whatever
else the machine runs).

Usage: python3 benches/eval_throughput.py [--lce target/release/lce] [-n 200000] [-r 7]
Build first: cargo build --release --features cli
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MARKET = [
    {"price": "2500", "init_asset_weight": "0.8", "maint_asset_weight": "0.825",
     "init_liab_weight": "1.05", "maint_liab_weight": "1.02", "liquidation_fee": "0.05"},
    {"price": "64000", "init_asset_weight": "0.7", "maint_asset_weight": "0.75",
     "init_liab_weight": "1.1", "maint_liab_weight": "1.05", "liquidation_fee": "0.075"},
    {"price": "1", "init_asset_weight": "0.9", "maint_asset_weight": "0.95",
     "init_liab_weight": "1", "maint_liab_weight": "1", "liquidation_fee": "0.04"},
]


def keeper_accounts(n, seed=17):
    rng = random.Random(seed)
    accounts = []
    for _ in range(n):
        eth = rng.randrange(1, 10**22)  # raw units of 1e-18
        positions = [{"token": 0, "balance": f"{eth // 10**18}.{eth % 10**18:018d}".rstrip("0").rstrip(".")}]
        if rng.random() < 0.5:
            positions.append({"token": 1, "balance": f"{rng.randrange(1, 10**6)}.{rng.randrange(10**6):06d}"})
        debt = rng.randrange(1, 25_000_000)
        positions.append({"token": 2, "balance": f"-{debt // 1000}.{debt % 1000:03d}"})
        accounts.append(positions)
    return accounts


def streams(n):
    accounts = keeper_accounts(n)
    keeper = [{"op": "health", "input": {"tokens": MARKET, "account": a}} for a in accounts]
    named = [{"op": "define", "input": {"name": "mainnet", "tokens": MARKET}}]
    named += [{"op": "health", "input": {"tokens": "mainnet", "account": a}} for a in accounts]
    with open(os.path.join(ROOT, "vectors/risk/health.jsonl")) as f:
        cases = [json.loads(line) for line in f if line.strip()]
    cases = [c for c in cases if "error" not in c["expect"]]
    vectors = [{"op": "health", "input": cases[i % len(cases)]["input"]} for i in range(n)]
    return {"keeper": keeper, "named": named, "vectors": vectors}


def run(lce, path, piped):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        if piped:
            with open(path, "rb") as f:
                subprocess.run([lce, "eval"], stdin=f, stdout=devnull, check=True)
        else:
            subprocess.run([lce, "eval", path], stdout=devnull, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lce", default=os.path.join(ROOT, "target/release/lce"))
    ap.add_argument("-n", type=int, default=200_000)
    ap.add_argument("-r", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, cases in streams(args.n).items():
            paths[name] = os.path.join(tmp, f"{name}.jsonl")
            with open(paths[name], "w") as f:
                for c in cases:
                    f.write(json.dumps(c, separators=(",", ":")) + "\n")
        outs = {}
        for name in ("keeper", "named"):
            out = subprocess.run([args.lce, "eval", paths[name]], capture_output=True, check=True).stdout
            outs[name] = [json.loads(line)["output"] for line in out.splitlines()]
        assert outs["keeper"] == outs["named"][1:], "named and inline answers differ"
        print(f"lce eval: {args.n:,} health cases per run, median of {args.r} runs")
        print(f"{'stream':<8} {'input':<5} {'bytes/case':>10} {'cases/s (wall)':>15} {'cases/s (CPU)':>14}")
        for name, path in paths.items():
            size = os.path.getsize(path) / args.n
            for piped in (False, True):
                walls, cpus = zip(*(run(args.lce, path, piped) for _ in range(args.r)))
                print(f"{name:<8} {'pipe' if piped else 'file':<5} {size:>10.0f} "
                      f"{args.n / statistics.median(walls):>15,.0f} {args.n / statistics.median(cpus):>14,.0f}")


if __name__ == "__main__":
    main()
