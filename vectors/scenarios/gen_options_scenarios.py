#!/usr/bin/env python3
"""Writes the bundled options-venue scenarios: three_venues.json (a lending market, a perp
exchange and an options vault on stETH; a price drop with a volatility spike) and the
dmm_static.json / dmm_dynamic.json pair (the same book under static and dynamic margin).

The options vault's writers are listed, not drawn: writer i deposits c_i stETH and is short
q_i puts of the vault's series, sized so that it uses a share u_i of what the standard
maintenance margin lets it write at the start (S = 2000, sigma = 0.6). The sizing uses an
approximate Black-Scholes in floating point: it only picks the book; the run's figures are the
engine's (regression snapshots, vectors/scenarios/snapshots.md).

Run: python3 vectors/scenarios/gen_options_scenarios.py
"""
import json
from decimal import Decimal
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))

S0, K, T, SIGMA0 = 2000.0, 1900.0, 30 / 365, 0.6
MM, W = 0.075, 0.9


def put(s, k, t, v):
    d1 = (math.log(s / k) + 0.5 * v * v * t) / (v * math.sqrt(t))
    d2 = d1 - v * math.sqrt(t)
    n = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))
    return k * n(-d2) - s * n(-d1)


def lcg(seed):
    x = seed
    while True:
        x = (6364136223846793005 * x + 1442695040888963407) % (1 << 64)
        yield (x >> 11) / float(1 << 53)


def writers(n, seed):
    mark = put(S0, K, T, SIGMA0)
    addon = max(MM * S0 - max(S0 - K, 0), MM * max(S0, mark))
    per_unit = mark + addon
    r = lcg(seed)
    out = []
    for _ in range(n):
        c = round(5 + 195 * next(r) ** 3, 3)
        u = 0.3 + 0.55 * next(r)
        q = math.floor(c * S0 * W * u / per_unit * 1000) / 1000
        out.append({"collateral": f"{c:.3f}", "debt": f"{q:.3f}", "behaviour": "hold"})
    return out


def series():
    return {
        "kind": "put",
        "underlying": 0,
        "strike": "1900",
        "t": "0.082191780821917808",
        "margin": {"im_base": "0.15", "im_floor": "0.1", "mm_base": "0.075", "mm_floor": "0.075"},
        "liquidation_fee": "0.04",
        "protocol_fee_share": "0.25",
        "vol": "0.6",
    }


COLLATERAL = {
    "init_asset_weight": "0.85",
    "maint_asset_weight": "0.9",
    "init_liab_weight": "1",
    "maint_liab_weight": "1",
}

ORACLE = {"deviation": "0.002", "heartbeat": 20, "latency": 0, "max_age": 30}

DYNAMIC = {
    "base": "0.02",
    "k_vol": "0.5",
    "k_skew": "0.1",
    "horizon": "0.019230769230769231",
    "floor": "0.075",
    "cap": "0.3",
    "init_spread": "0.05",
    "governor": {"max_decrease": "0.002", "buffer": "0"},
}


def options_venue(name, accounts, dynamic):
    v = {
        "name": name,
        "kind": "options",
        "collateral": COLLATERAL,
        "series": series(),
        "vol": {"kind": "skew", "base": "0.6", "beta": "4", "cap": "2"},
        "liquidation": {"close_factor": {"normal": "0.5", "full_below": "0.9", "dust": "1"}},
        "oracle": ORACLE,
        "waterfall": {"premium_buffer": "60000", "insurance_fund": "100000", "lender_deposits": "5000000"},
        "accounts": accounts,
    }
    if dynamic:
        v["dynamic_margin"] = DYNAMIC
    return v


BEHAVIOUR = {
    "top_up": "0", "deleverage": "0", "panic": "0", "watch_band": "0", "top_up_fraction": "0",
    "deleverage_fraction": "0", "panic_drawdown": "1",
}

LIQUIDATORS = [
    {"name": "Flashbot", "capital": "5000000", "gas_per_liquidation": "400000", "min_profit": "20",
     "latency": 0, "risk_factor": "1", "priority_fee": "0.00005"},
    {"name": "Keeper", "capital": "1000000", "gas_per_liquidation": "400000", "min_profit": "10",
     "latency": 1, "risk_factor": "1", "priority_fee": "0.00001", "max_gas_price": "0.0001"},
]


def base(name, description, venues, path):
    return {
        "name": name,
        "description": description,
        "seed": 11,
        "max_blocks": 400,
        "path": path,
        "gas": {"base": "0.00002"},
        "block_gas": "15000000",
        "volatility": "0.004",
        "risk_band": "0.1",
        "behaviour": BEHAVIOUR,
        "market": {"model": "constant_product", "base": "30000", "quote": "60000000", "fee": "0.003",
                   "resilience": {"half_life": 10}},
        "venues": venues,
        "liquidators": LIQUIDATORS,
    }


def three_venues():
    lending = {
        "name": "Lending", "kind": "lending",
        "collateral": {"init_asset_weight": "0.8", "maint_asset_weight": "0.86", "init_liab_weight": "1",
                       "maint_liab_weight": "1", "liquidation_fee": "0.05", "protocol_fee_share": "0.1"},
        "debt": {"init_liab_weight": "1", "maint_liab_weight": "1", "init_asset_weight": "1",
                 "maint_asset_weight": "1"},
        "liquidation": {"close_factor": {"normal": "0.5", "full_below": "0.95", "dust": "100"}},
        "oracle": {"deviation": "0.005", "heartbeat": 50, "latency": 1, "max_age": 60},
        "waterfall": {"premium_buffer": "0", "insurance_fund": "40000", "lender_deposits": "50000000"},
        "population": {"count": 800, "size_min": "2", "size_alpha": "1.4", "size_max": "800",
                       "liq_low": "0.75", "liq_high": "0.95", "whale_share": "0.01", "whale_factor": "10"},
    }
    perp = {
        "name": "Perp", "kind": "perp",
        "market": {"init_margin": "0.1", "maint_margin": "0.05", "liquidation_fee": "0.02",
                   "protocol_fee_share": "0.5"},
        "oracle": ORACLE,
        "waterfall": {"premium_buffer": "0", "insurance_fund": "50000", "lender_deposits": "10000000"},
        "population": {"count": 800, "size_min": "1", "size_alpha": "1.5", "size_max": "400",
                       "ltv_low": "0.75", "ltv_high": "0.93", "whale_share": "0.01", "whale_factor": "20"},
    }
    vault = options_venue("Vault", writers(60, 3), False)
    return base(
        "Three venues",
        "The seed's liquid-staking story: stETH is collateral on a lending market, a perp exchange and an "
        "options vault whose writers are short 30-day 1,900 puts. stETH falls from 2,000 to 1,750 over 20 "
        "blocks while the vault's implied vol, tied to the price (0.6 at 2,000, (2000/S)^4), spikes past 1.0: "
        "the puts' marks and margins rise as the collateral behind them falls, writers are bought back, and "
        "their collateral is sold into the pool the other two venues' liquidations sell into.",
        [lending, perp, vault],
        {"kind": "linear", "from": "2000", "to": "1750", "start": 5, "blocks": 20},
    )


def amm_options():
    """three_venues with its vault's exposure held by an AMM pool: the pool sold the writers'
    puts (Σ debt units) and its providers locked the writers' collateral (Σ collateral)."""
    d = three_venues()
    accounts = writers(60, 3)
    sold = sum(Decimal(a["debt"]) for a in accounts)
    capital = sum(Decimal(a["collateral"]) for a in accounts)
    pool = {
        "name": "AMM pool",
        "kind": "option_pool",
        "collateral": COLLATERAL,
        "series": series(),
        "vol": {"kind": "skew", "base": "0.6", "beta": "4", "cap": "2"},
        "sold": str(sold),
        "capital": str(capital),
        "hedge": True,
        "oracle": ORACLE,
        "waterfall": {"premium_buffer": "60000", "insurance_fund": "100000", "lender_deposits": "0"},
    }
    d["venues"][2] = pool
    d["name"] = "AMM options"
    d["description"] = (
        "three_venues with the vault's exposure held by an AMM option pool: the pool sold the writers' 30-day "
        "1,900 puts and its providers locked their stETH. The same fall from 2,000 to 1,750 with the vol tied "
        "to the price: nobody is liquidated in the pool; it delta-hedges by selling stETH into the pool the "
        "other venues' liquidations sell into, and its losses go down its own waterfall (premium, insurance, "
        "then the providers)."
    )
    return d


def dmm(dynamic):
    tag = "dynamic" if dynamic else "static"
    vault = options_venue("Vault", writers(80, 5), dynamic)
    text = (
        "The same options vault of 80 put writers under a slow fall from 2,000 to 1,700 over 60 blocks "
        "with the vol tied to the price; "
        + ("margin is dynamic: the governor publishes a maintenance fraction rising with the vol and the skew "
           "(the vol's rise since block 0), falling at most 0.002 a block, and the series' standard rates "
           "move with it." if dynamic else "margin is the standard formula (Deribit's rates), fixed for the run.")
    )
    return base(
        f"DMM vs static ({tag})",
        text,
        [vault],
        {"kind": "linear", "from": "2000", "to": "1700", "start": 5, "blocks": 60},
    )


def write(name, obj):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    write("three_venues.json", three_venues())
    write("dmm_static.json", dmm(False))
    write("dmm_dynamic.json", dmm(True))
    write("amm_options.json", amm_options())
