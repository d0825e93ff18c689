#!/usr/bin/env python3
"""Writes vectors/cascade/cascade.jsonl: cases of the `cascade` op (vectors/README.md §9).

Expected reports are never lce's output. They come from:

- `run_model`, an exact-rational model of vectors/README.md §9 kept here (the transient market
  P = ⌊F·P_model/A⌋ around the fundamental, resilience with its recovery trade on a `linear`
  market, the feeds of §8.4, perp liquidations of §8.2 and §8.5 with `whole` sizing, the
  at-rest rule, stop reasons and their counts, the equilibrium snapshot with unrealised and
  insolvency per venue, the recovery), written from the spec and not from lce's code;
- hand-worked arithmetic: every hand-traced case has each block's arithmetic in its note, and
  the numbers worked by hand are asserted against the model here (the two tiny lending runs and
  the three perp longs have their whole report built by hand, field by field, and compared
  with the model's);
- closed forms: the two ladders of the instantaneous model (no resilience, a constant
  fundamental at the market's anchor), whose liquidation count, final price and block count
  follow from the closed form (asserted), the rest of their report from `run_model`;
- one case per error of vectors/scenarios/README.md §3 and of the keys §9 added: a valid base
  scenario with one field broken, and the `what` that must name it.

Readings of the spec where it is silent (each also said in the case notes that depend on it):
a path settles at the first block from which it holds its last price (constant 0, instant
`at`, linear `start + blocks`, listed `len − 1`), gas at the end of its spike; a linear
market's arbitrage toward a target T moves its net sale to ⌈(p0 − T)/λ⌉ (a buy) or
⌊(p0 − T)/λ⌋ (a sell); `stop_detail.liquidatable` counts a venue whose feed is down or refused
at the market price, the others at their oracle price; its `unprofitable` counts the
liquidators that could act (at the block's gas price, within the block's gas, with capital),
whatever the stop; a market without `resilience` has a half-life of 10 blocks and every
`band` defaults to 0.001; `low_price` starts from the market at block 0; with no liquidator
able to send a transaction (none at all included) a liquidatable candidate counts as skipped
for gas.

Requirements: Python 3.8+, mpmath (for 0.5^y rounded up, at 60 digits), and vectors/rng/gen_rng.py
(the independent generator, for the population case). Run: python3 gen_cascade.py
"""
import copy
import importlib.util
import json
from fractions import Fraction as F
from math import ceil as _ceil, floor as _floor
from pathlib import Path

import mpmath

# ---------------------------------------------------------------------------------------------
# The cascade of vectors/README.md §9, modelled in exact rationals with explicit floor/ceil to
# the 1e-18 grid, written from the spec (not from lce's code).
#
# Scope (asserted): venues are lending markets (collateral and debt tokens without size
# factors; the model executes no lending liquidation: a liquidatable lending account offered to
# a liquidator that can send a transaction is outside it) or perp exchanges (size factor 0,
# protocol fee share 0, a close factor whose dust is the Wad maximum, so every liquidation
# closes the whole position, §8.2 Sizing step 4); the market is `linear` (any `sold`), or a
# `constant_product` pool nothing ever trades against; liquidators size `whole`, charge no
# risk, have min_profit 0 and enough capital for every whole offer; every trader holds; the
# oracle guards are at most `max_age` (with latency 0, where §9.2's age b − visible_at and
# §8.4's B − decided_at agree), and no guard refuses a round that exists (§9.4 does not say
# whether a refused round's price or the market's values the TVL).
# ---------------------------------------------------------------------------------------------
E = 10 ** 18
EPS = F(1, E)
WAD_MAX_RAW = 2 ** 127 - 1
WAD_MAX = F(WAD_MAX_RAW, E)
WAD_MAX_TEXT = "170141183460469231731.687303715884105727"


def d(s):
    return F(s)


def fl(x):
    """x rounded down to the 1e-18 grid."""
    return F(_floor(F(x) * E), E)


def ce(x):
    """x rounded up to the 1e-18 grid."""
    return F(_ceil(F(x) * E), E)


def txt(x):
    """The canonical decimal text of a grid value."""
    x = F(x)
    assert (x * E).denominator == 1, x
    raw = int(x * E)
    sign = "-" if raw < 0 else ""
    raw = abs(raw)
    whole, frac = divmod(raw, E)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}." + f"{frac:018d}".rstrip("0")


assert txt(WAD_MAX) == WAD_MAX_TEXT


def decay_from_half_life(h):
    """§9.1: ρ = 1 − ⌈0.5^⌊1/h⌋⌉, the power correctly rounded up (mpmath at 60 digits, with a
    guard that the exact value is not within 1e-30 of a grid point; an integer exponent is
    exact)."""
    assert h >= 1
    y = fl(F(1, h))
    if y.denominator == 1:
        retained = F(1, 2) ** int(y)
    else:
        mpmath.mp.dps = 60
        v = mpmath.power(mpmath.mpf("0.5"), mpmath.mpf(y.numerator) / y.denominator) * E
        assert abs(v - mpmath.nint(v)) > mpmath.mpf("1e-12"), v
        retained = F(int(mpmath.ceil(v)), E)
    return 1 - retained


DEFAULT_BAND = d("0.001")
assert decay_from_half_life(10) == d("0.066967008463192584")   # §9.1's example
assert decay_from_half_life(1) == d("0.5")


# --- Paths and gas (scenarios/README.md §1.1-1.2) ---

def path_price(path, b):
    k = path["kind"]
    if k == "constant":
        return d(path["price"])
    if k == "instant":
        return d(path["from"]) if b < path["at"] else d(path["to"])
    if k == "linear":
        fr, to, st, n = d(path["from"]), d(path["to"]), path["start"], path["blocks"]
        if b <= st:
            return fr
        if b < st + n:
            return fr - fl((fr - to) * (b - st) / n)
        return to
    if k == "listed":
        ps = path["prices"]
        return d(ps[min(b, len(ps) - 1)])
    raise AssertionError(k)


def path_settles(path):
    """The first block from which the path holds its last price (my reading of §9.4's
    'the path's settling block')."""
    k = path["kind"]
    return {"constant": lambda: 0, "instant": lambda: path["at"],
            "linear": lambda: path["start"] + path["blocks"],
            "listed": lambda: len(path["prices"]) - 1}[k]()


def gas_price(gas, b):
    s = gas.get("spike")
    if s and s["start"] <= b < s["start"] + s["blocks"]:
        return d(s["price"])
    return d(gas["base"])


def gas_settles(gas):
    s = gas.get("spike")
    return s["start"] + s["blocks"] if s else 0


# --- The depth models (§8.3) and the transient market around the fundamental (§9.1) ---

class Linear:
    """§8.3 `linear`: p0, λ, Q sold."""

    def __init__(self, p0, lam, sold="0"):
        self.p0, self.lam, self.q = d(p0), d(lam), d(sold)
        self.qmax = fl(self.p0 / self.lam)
        assert self.q <= self.qmax

    def anchor(self):
        return self.p0

    def price(self):
        return max(F(0), self.p0 - ce(self.lam * self.q))

    def quote_sell(self, qty):
        filled = min(qty, max(F(0), self.qmax - self.q))
        proceeds = max(F(0), fl(filled * (self.p0 - ce(self.lam * (2 * self.q + filled) / 2))))
        return filled, proceeds

    def sell(self, qty):
        filled, proceeds = self.quote_sell(qty)
        self.q += filled
        return filled, proceeds

    def buy(self, qty):
        cost = ce(qty * (self.p0 - fl(self.lam * (2 * self.q - qty) / 2)))
        self.q -= qty
        return cost

    def arbitrage(self, target, capacity):
        """Toward `target`, at most `capacity` base (None: no limit). The linear price
        p0 − λQ is the target at Q* = (p0 − target)/λ: a buy takes Q down to ⌈Q*⌉, a sell up
        to ⌊Q*⌋, so the price reaches the target and never passes it (§8.3 gives no paragraph
        for `arbitrage`: this closed form is my reading). Returns the base bought (negative:
        sold)."""
        now = self.price()
        if capacity == 0 or now == target:
            return F(0)
        if now < target:
            qty = max(F(0), self.q - ce((self.p0 - target) / self.lam))
            if capacity is not None:
                qty = min(qty, capacity)
            self.buy(qty)
            assert self.price() <= target
            return qty
        qty = max(F(0), fl((self.p0 - target) / self.lam) - self.q)
        if capacity is not None:
            qty = min(qty, capacity)
        filled, _ = self.sell(qty)
        assert self.price() >= target
        return -filled


class FrozenPool:
    """A `constant_product` pool that nothing trades against: its price ⌊y/x⌋ throughout, its
    anchor the same (§9.1: a pool's anchor is its marginal price at the start)."""

    def __init__(self, base, quote):
        self.p = fl(d(quote) / d(base))

    def anchor(self):
        return self.p

    def price(self):
        return self.p

    def arbitrage(self, target, capacity):
        raise AssertionError("a frozen pool never has impact to recover")

    def quote_sell(self, qty):
        raise AssertionError("nothing trades against a frozen pool")

    sell = quote_sell


class Market:
    """§9.1: P = ⌊F · P_model / A⌋ (P_model itself when F = A); a seller's proceeds scaled
    ⌊· F/A⌋; quantities unchanged."""

    def __init__(self, model, fundamental):
        self.model, self.A, self.F = model, model.anchor(), fundamental
        assert self.A > 0

    def up(self, x):
        return x if self.F == self.A else fl(x * self.F / self.A)

    def price(self):
        return self.up(self.model.price())

    def quote_sell(self, qty):
        filled, proceeds = self.model.quote_sell(qty)
        return filled, self.up(proceeds)

    def sell(self, qty):
        before = self.price()
        filled, proceeds = self.model.sell(qty)
        return filled, self.up(proceeds), before

    def recover(self, rho_b, capacity):
        """§9.1 resilience: the model trades toward P_model ± ⌊ρ_b · |A − P_model|⌋ (no trade
        when that step is 0). Returns the base bought (negative when sold)."""
        now = self.model.price()
        step = fl(rho_b * abs(self.A - now))
        if step == 0:
            return F(0)
        target = now + step if now < self.A else now - step
        return self.model.arbitrage(target, capacity)


# --- The push feed (§8.4) ---

class Feed:
    def __init__(self, o):
        assert set(o) <= {"deviation", "heartbeat", "latency", "max_age", "outage_from"}, o
        self.dev, self.hb, self.lat = d(o["deviation"]), o["heartbeat"], o["latency"]
        self.max_age = o.get("max_age")
        assert self.max_age is None or self.lat == 0
        self.outage = o.get("outage_from")
        self.rounds = []                                   # (price, decided_at, visible_at)

    def down(self, b):
        return self.outage is not None and b >= self.outage

    def observe(self, b, p):
        if self.rounds:
            last, at, _ = self.rounds[-1]
            if not (abs(p - last) > self.dev * last or b - at >= self.hb):
                return
        self.rounds.append((p, b, b + self.lat))

    def visible(self, b):
        seen = [r for r in self.rounds if r[2] <= b]
        return seen[-1] if seen else None

    def in_flight(self, b):
        return bool(self.rounds) and self.rounds[-1][2] > b

    def read(self, b):
        """(oracle price or None, refusal or None): §9.2 step 4, age b − visible_at."""
        r = self.visible(b)
        if r is None:
            return None, "stale"
        if self.max_age is not None and b - r[2] > self.max_age:
            return r[0], "stale"
        return r[0], None


# --- The venues' rules (§8.1, §8.2, §9.1) ---

class Perp:
    """A perp market: margins, liquidation fee (size factor 0, fee share 0). Accounts are
    (base ≥ 0, debt = −quote)."""

    kind = "perp"

    def __init__(self, m):
        assert set(m) <= {"init_margin", "maint_margin", "liquidation_fee"}, m
        self.mm, self.fee = d(m["maint_margin"]), d(m.get("liquidation_fee", "0"))

    def health(self, base, debt, p):
        assert base >= 0
        if base == 0:
            return -debt
        return -debt + fl(fl(base * p) * (1 - self.mm))

    def key(self, base, debt):
        r = -debt
        if base == 0:
            return WAD_MAX if r < 0 else F(0)
        if r >= 0:
            return F(0)
        slope = fl(base * (1 - self.mm))
        if slope == 0:
            return WAD_MAX
        return min(WAD_MAX, ce(-r / slope) + ce(F(2, E) / slope))

    def offer(self, base, p):
        """§9.2 the perp offer: repay_max and the bonus the liquidator prices it with."""
        return ce(ce(base * p) * (1 - self.fee)), fl(self.fee / (1 - self.fee))


class Lending:
    """A lending market: token 0 the debt at price 1, token 1 the collateral (no size
    factors). Accounts are (collateral, debt)."""

    kind = "lending"

    def __init__(self, coll, debt):
        for t in (coll, debt):
            assert d(t.get("size_factor", "0")) == 0 and d(t.get("protocol_fee_share", "0")) == 0
        self.wa, self.wl = d(coll["maint_asset_weight"]), d(debt["maint_liab_weight"])
        self.fee = d(coll.get("liquidation_fee", "0"))

    def health(self, c, debt, p):
        assert c >= 0 and debt >= 0
        return (fl(fl(c * p) * self.wa) if c > 0 else F(0)) - (ce(debt * self.wl) if debt > 0 else F(0))

    def key(self, c, debt):
        r = -ce(debt * self.wl) if debt > 0 else F(0)
        if c == 0 or self.wa == 0:
            return WAD_MAX if r < 0 else F(0)
        if r >= 0:
            return F(0)
        slope = fl(c * self.wa)
        if slope == 0:
            return WAD_MAX
        return min(WAD_MAX, ce(-r / slope) + ce(F(2, E) / slope))


LAYERS = ("premium", "insurance", "socialized", "uncovered")


class VenueState:
    def __init__(self, v, accounts):
        if v["kind"] == "perp":
            self.rules = Perp(v["market"])
            assert v["liquidation"]["close_factor"]["dust"] == WAD_MAX_TEXT
        else:
            self.rules = Lending(v["collateral"], v["debt"])
        self.name = v["name"]
        self.feed = Feed(v["oracle"])
        self.wf = {k: d(v["waterfall"].get(k, "0"))
                   for k in ("premium_buffer", "insurance_fund", "lender_deposits")}
        self.deposits0 = self.wf["lender_deposits"]  # the base of the run's haircut (§9)
        self.accts = [list(a) for a in accounts]
        n = len(self.accts)
        self.n = n
        top = -(-n // 100)
        self.whale = sorted((a[0] for a in self.accts), reverse=True)[top - 1] if n else WAD_MAX
        self.keys = [self.rules.key(*a) for a in self.accts]
        c0 = sum((a[0] for a in self.accts), F(0))
        d0 = sum((a[1] for a in self.accts), F(0))
        self.led = {"collateral_initial": c0, "collateral_seized": F(0), "debt_initial": d0,
                    "debt_repaid_liquidations": F(0), "debt_written_off": F(0), "liquidations": 0,
                    "bankruptcies": 0, "wf": {k: F(0) for k in ("bad_debt",) + LAYERS + ("haircut",)},
                    "collateral": c0, "debt": d0}

    def liquidatable(self, p):
        return sum(1 for i in range(self.n) if self.rules.health(*self.accts[i], p) < 0)

    def unrealised(self, m):
        return sum((max(F(0), a[1] - fl(a[0] * m)) for a in self.accts), F(0))

    def settle(self, i):
        """§8.2 Bankruptcy of an account with no collateral and positive debt."""
        bad = self.accts[i][1]
        rest, layers = bad, {}
        for layer, pool in (("premium", "premium_buffer"), ("insurance", "insurance_fund"),
                            ("socialized", "lender_deposits")):
            layers[layer] = min(rest, self.wf[pool])
            rest -= layers[layer]
        layers["uncovered"] = rest
        self.wf["premium_buffer"] -= layers["premium"]
        self.wf["insurance_fund"] -= layers["insurance"]
        self.wf["lender_deposits"] -= layers["socialized"]
        self.accts[i][1] = F(0)
        self.led["bankruptcies"] += 1
        self.led["debt_written_off"] += bad
        self.led["debt"] -= bad
        for k in LAYERS:
            self.led["wf"][k] += layers[k]
        self.led["wf"]["bad_debt"] += bad
        # The run's haircut: what the lenders have lost of their deposits at the start.
        soc = self.led["wf"]["socialized"]
        self.led["wf"]["haircut"] = ce(soc / self.deposits0) if soc > 0 else F(0)
        self.keys[i] = self.rules.key(*self.accts[i])
        return bad

    def ledger_out(self):
        led = self.led
        return {
            "collateral_initial": txt(led["collateral_initial"]), "collateral_topped_up": "0",
            "collateral_seized": txt(led["collateral_seized"]), "collateral_protocol_fee": "0",
            "collateral_sold": "0", "debt_initial": txt(led["debt_initial"]),
            "debt_repaid_liquidations": txt(led["debt_repaid_liquidations"]), "debt_repaid_traders": "0",
            "debt_topped_up": "0", "debt_written_off": txt(led["debt_written_off"]), "trader_surplus": "0",
            "liquidations": led["liquidations"], "bankruptcies": led["bankruptcies"],
            "waterfall": {k: txt(x) for k, x in led["wf"].items()},
            "collateral": txt(led["collateral"]), "debt": txt(led["debt"])}

    def conservation(self):
        led = self.led
        tc = sum((a[0] for a in self.accts), F(0))
        td = sum((a[1] for a in self.accts), F(0))
        cons = {"collateral": led["collateral_initial"] - led["collateral_seized"] - tc,
                "debt": led["debt_initial"] - led["debt_repaid_liquidations"] - led["debt_written_off"] - td,
                "waterfall": led["debt_written_off"] - sum((led["wf"][k] for k in LAYERS), F(0))}
        return {"balanced": all(x == 0 for x in cons.values()), **{k: txt(x) for k, x in cons.items()}}


class Bot:
    def __init__(self, i, l):
        assert set(l) <= {"name", "capital", "sizing", "priority_fee", "max_gas_price",
                          "gas_per_liquidation"}, l
        assert l.get("sizing") == "whole"
        self.name = l.get("name", f"liquidators[{i}]")
        self.capital, self.profit, self.liquidations, self.gas_paid = d(l["capital"]), F(0), 0, F(0)
        self.fee = d(l.get("priority_fee", "0"))
        self.max_gas = d(l["max_gas_price"]) if "max_gas_price" in l else None
        self.gpl = d(l.get("gas_per_liquidation", "0"))

    def works_at(self, gas):
        return self.max_gas is None or gas <= self.max_gas

    def decide_whole(self, repay_max, bonus, p, market, gas):
        """§8.5 with sizing `whole`, P_l = 1, P_c = p, fee share 0, no risk, min_profit 0:
        the profit of the whole offer (None when the liquidator does not act)."""
        cap = min(repay_max, fl(max(self.capital, F(0))))
        assert cap == repay_max or cap == 0, "a capital-bound partial take-over is outside this model"
        if repay_max == 0 or cap == 0:
            return None
        seize = fl(fl(cap) * (1 + bonus) / p)               # receives: seize − ⌈bonus·0⌉
        _, proceeds = market.quote_sell(seize)
        profit = proceeds - ce(cap) - ce(self.gpl * (gas + self.fee))
        return profit if profit > 0 else None


def run_model(sc, population=None):
    """The report of `lce eval`'s `cascade` op for scenario `sc` (vectors/README.md §9), and the
    accounts at the end. `population`: per venue index, the accounts drawn for a venue given by
    a `population` object (drawn by the caller)."""
    assert "behaviour" not in sc
    assert set(sc) <= {"name", "description", "seed", "max_blocks", "path", "gas", "block_gas",
                       "risk_band", "arbitrage", "market", "venues", "liquidators"}, set(sc)
    path, gas_s = sc["path"], sc["gas"]
    base_gas, block_gas = d(gas_s["base"]), d(sc["block_gas"])
    risk_band = d(sc.get("risk_band", "0"))
    capacity = d(sc["arbitrage"]["capacity"]) if "arbitrage" in sc else None
    mk = dict(sc["market"])
    res = mk.pop("resilience", None)
    if res is None:
        rho, band = decay_from_half_life(10), DEFAULT_BAND
    else:
        assert set(res) <= {"half_life", "decay", "band"} and ("half_life" in res) != ("decay" in res)
        rho = decay_from_half_life(res["half_life"]) if "half_life" in res else d(res["decay"])
        band = d(res.get("band", "0.001"))
    if mk["model"] == "linear":
        model = Linear(mk["price"], mk["lambda"], mk.get("sold", "0"))
    else:
        assert mk["model"] == "constant_product" and mk.get("fee", "0") == "0"
        model = FrozenPool(mk["base"], mk["quote"])
    P0 = path_price(path, 0)
    market = Market(model, P0)
    venues = []
    for vi, v in enumerate(sc["venues"]):
        if "population" in v:
            accounts = population[vi]
        else:
            accounts = [[d(a["collateral"]), d(a["debt"])] for a in v["accounts"]]
            assert all("behaviour" not in a for a in v["accounts"])
        venues.append(VenueState(v, accounts))
    order = sorted(range(len(venues)), key=lambda i: -venues[i].rules.fee)     # stable: ties as listed
    bots = [Bot(i, l) for i, l in enumerate(sc["liquidators"])]
    bidders = sorted(bots, key=lambda l: -l.fee)
    settle_at = max(path_settles(path), gas_settles(gas_s))

    m = market.price()
    for v in venues:                                        # block 0: every live feed observes
        if not v.feed.down(0) and m > 0:
            v.feed.observe(0, m)

    tot = {"liq": 0, "peak": 0, "peak_block": 0, "repaid": F(0), "sold": F(0), "proceeds": F(0),
           "at_price": F(0), "bad_debt": F(0), "profit": F(0), "skip_u": 0, "skip_g": 0,
           "max_sdr": F(0), "max_conc": F(0), "max_dd": F(0), "max_gap": F(0), "low": m}
    blocks, eq, rec = [], None, {"liq": 0, "bad": F(0)}
    b = 0
    while True:
        b += 1
        fundamental, gas = path_price(path, b), gas_price(gas_s, b)
        market.F = fundamental                              # 1. the market moves with F
        scale = min(F(1), base_gas / gas)
        rho_b = fl(rho * scale)                              # 2. the recovery trade
        cap_b = None if capacity is None else fl(capacity * scale)
        arb = market.recover(rho_b, cap_b)
        m = market.price()
        for v in venues:                                    # 3. the feeds observe m
            if not v.feed.down(b) and m > 0:
                v.feed.observe(b, m)
        moved = False
        sold = proceeds = at_price = profit_b = F(0)
        gas_left = block_gas
        vrec = [None] * len(venues)
        for vi in order:                                    # 4.-7. the venues, by fee
            v = venues[vi]
            oracle, refusal = v.feed.read(b)
            assert refusal is None or oracle is None, "a refused round is outside this model"
            watch = oracle if oracle is not None else market.price()
            vb = {"liquidations": 0, "repaid": F(0), "seized": F(0), "skip_u": 0, "skip_g": 0,
                  "bad_debt": F(0)}
            if refusal is None:
                p = oracle
                cands = sorted((i for i in range(v.n) if v.keys[i] >= p), key=lambda i: (-v.keys[i], i))
                for i in cands:
                    c, debt = v.accts[i]
                    if c == 0 and debt > 0:
                        vb["bad_debt"] += v.settle(i)
                        moved = True
                        continue
                    if v.rules.health(c, debt, p) >= 0:
                        continue
                    able = [l for l in bidders if l.works_at(gas) and gas_left >= l.gpl]
                    taker = None
                    if able:
                        assert v.rules.kind == "perp", "a lending liquidation is outside this model"
                        repay_max, bonus = v.rules.offer(c, p)
                        for l in able:
                            if l.decide_whole(repay_max, bonus, p, market, gas) is not None:
                                taker = l
                                break
                    if taker is None:
                        vb["skip_u" if able else "skip_g"] += 1
                        continue
                    gas_left -= taker.gpl
                    gas_cost = ce(taker.gpl * (gas + taker.fee))
                    notional = fl(c * p)                    # §8.2 perp long, the whole base
                    aq = fl(notional * (1 - v.rules.fee))
                    v.accts[i] = [F(0), debt - aq]
                    filled, got, before = market.sell(c)
                    gain = got - aq - gas_cost
                    taker.capital += gain
                    taker.profit += gain
                    taker.gas_paid += gas_cost
                    taker.liquidations += 1
                    vb["liquidations"] += 1
                    vb["repaid"] += aq
                    vb["seized"] += c
                    v.led["liquidations"] += 1
                    v.led["debt_repaid_liquidations"] += aq
                    v.led["collateral_seized"] += c
                    v.led["collateral"] -= c
                    v.led["debt"] -= aq
                    sold += filled
                    proceeds += got
                    at_price += ce(filled * before)
                    profit_b += gain
                    moved = True
                    v.keys[i] = v.rules.key(*v.accts[i])
                    if v.accts[i][1] > 0:                   # left bankrupt: settled at once
                        vb["bad_debt"] += v.settle(i)
            vrec[vi] = (oracle, refusal, watch, vb)
        m = market.price()                                  # 8. the record
        dar_all = tvl_all = F(0)
        gap = F(0)
        venues_out = []
        for vi, v in enumerate(venues):
            oracle, refusal, watch, vb = vrec[vi]
            at = oracle if refusal is None else m
            risk_from = fl(watch * (1 - risk_band))
            risk = [i for i in range(v.n) if v.keys[i] >= risk_from and v.keys[i] > 0]
            dar = sum((max(v.accts[i][1], F(0)) for i in risk), F(0))
            coll = sum((v.accts[i][0] for i in risk), F(0))
            wcoll = sum((v.accts[i][0] for i in risk if v.accts[i][0] >= v.whale), F(0))
            conc = ce(wcoll / coll) if coll else F(0)
            tvl = fl(v.led["collateral"] * at)
            dar_all += dar
            tvl_all += tvl
            if oracle is not None and m > 0:
                gap = max(gap, ce(abs(oracle - m) / m))
            tot["max_conc"] = max(tot["max_conc"], conc) if eq is None else tot["max_conc"]
            venues_out.append({"oracle": None if oracle is None else txt(oracle), "refusal": refusal,
                               "liquidatable": v.liquidatable(at), "liquidations": vb["liquidations"],
                               "repaid": txt(vb["repaid"]), "seized": txt(vb["seized"]),
                               "skipped_unprofitable": vb["skip_u"], "skipped_gas": vb["skip_g"],
                               "bad_debt": txt(vb["bad_debt"]), "debt_at_risk": txt(dar),
                               "tvl": txt(tvl), "concentration": txt(conc)})
        sdr = ce(dar_all / tvl_all) if tvl_all > 0 else F(0)
        dd = ce((P0 - m) / P0) if m < P0 else F(0)
        blocks.append({
            "block": b, "fundamental": txt(fundamental), "market": txt(m), "gas_price": txt(gas),
            "arbitrage": txt(arb), "trader_sold": "0", "liquidation_sold": txt(sold),
            "liquidation_proceeds": txt(proceeds),
            "slippage": txt(ce(at_price / proceeds)) if proceeds > 0 else "1",
            "liquidator_profit": txt(profit_b), "drawdown": txt(dd), "oracle_gap": txt(gap),
            "systemic_debt_ratio": txt(sdr), "venues": venues_out})
        n_liq = sum(x["liquidations"] for x in venues_out)
        bad_b = sum((d(x["bad_debt"]) for x in venues_out), F(0))
        if eq is None:
            tot["low"] = min(tot["low"], m)
            tot["liq"] += n_liq
            if n_liq > tot["peak"]:
                tot["peak"], tot["peak_block"] = n_liq, b
            tot["repaid"] += sum((d(x["repaid"]) for x in venues_out), F(0))
            tot["sold"] += sold
            tot["proceeds"] += proceeds
            tot["at_price"] += at_price
            tot["bad_debt"] += bad_b
            tot["profit"] += profit_b
            tot["skip_u"] += sum(x["skipped_unprofitable"] for x in venues_out)
            tot["skip_g"] += sum(x["skipped_gas"] for x in venues_out)
            tot["max_sdr"] = max(tot["max_sdr"], sdr)
            tot["max_dd"] = max(tot["max_dd"], dd)
            tot["max_gap"] = max(tot["max_gap"], gap)
            # §9.4 at rest: settled path and gas, nothing moved, every live feed's last round
            # visible and showing a price <= m.
            at_rest = b >= settle_at and not moved and all(
                v.feed.down(b) or (not v.feed.in_flight(b) and v.feed.visible(b) is not None
                                   and v.feed.visible(b)[0] <= m) for v in venues)
            if at_rest or b >= sc["max_blocks"]:
                eq = snapshot(sc, b, m, fundamental, gas, block_gas, P0, venues, vrec, bots, tot,
                              "block_limit" if not at_rest else None)
                eq["recovery"] = None if not at_rest else {}
        else:
            rec["liq"] += n_liq
            rec["bad"] += bad_b
        if eq is not None:
            within = abs(fundamental - m) <= fl(band * fundamental)
            can = rho > 0 and capacity != 0
            if eq["recovery"] is None:
                break
            if within or not can or b >= sc["max_blocks"]:
                eq["recovery"] = {"blocks": b - eq["summary"]["equilibrium_block"] if within else None,
                                  "band": txt(band), "market_price": txt(m),
                                  "fundamental_price": txt(fundamental), "liquidations": rec["liq"],
                                  "bad_debt": txt(rec["bad"])}
                break
    summary = eq["summary"]
    summary["blocks"] = b
    report = {
        "scenario": {"name": sc["name"], "description": sc["description"], "seed": sc["seed"],
                     "max_blocks": sc["max_blocks"]},
        "summary": summary,
        "recovery": eq["recovery"],
        "venues": eq["venues"],
        "liquidators": [{"name": l.name, "priority_fee": txt(l.fee), "liquidations": l.liquidations,
                         "profit": txt(l.profit), "gas_paid": txt(l.gas_paid), "capital": txt(l.capital)}
                        for l in bots],
        "blocks": blocks,
    }
    return report, [v.accts for v in venues]


def snapshot(sc, b, m, fundamental, gas, block_gas, P0, venues, vrec, bots, tot, stop):
    """§9.4: the report's figures at the equilibrium (or at the last block of a run that never
    came to rest), with the stop reason and its counts."""
    liq_count = 0
    stale = False
    for vi, v in enumerate(venues):
        oracle, refusal, _, _ = vrec[vi]
        blind = v.feed.down(b) or refusal is not None
        n_at = v.liquidatable(m if blind else oracle)       # down or refused: at the market price
        liq_count += n_at
        if blind and v.liquidatable(m) > 0:
            stale = True
    priced_out = sum(1 for l in bots if not (l.works_at(gas) and l.gpl <= block_gas))
    out_of_capital = sum(1 for l in bots if l.works_at(gas) and l.gpl <= block_gas and l.capital <= 0)
    able = len(bots) - priced_out - out_of_capital
    if stop is None:
        stop = ("stale" if stale else "exhausted" if liq_count == 0
                else "unprofitable" if able > 0 else "no_liquidators")
    unreal = [v.unrealised(m) for v in venues]
    bad = tot["bad_debt"]
    exo, casc = P0 - fundamental, P0 - m
    summary = {
        "stop": stop, "blocks": b, "start_price": txt(P0), "equilibrium_price": txt(m),
        "equilibrium_block": b, "fundamental_price": txt(fundamental), "exogenous_drop": txt(exo),
        "cascade_drop": txt(casc), "amplification": txt(ce(casc / exo)) if exo > 0 else None,
        "low_price": txt(tot["low"]), "max_drawdown": txt(tot["max_dd"]),
        "max_oracle_gap": txt(tot["max_gap"]), "liquidations": tot["liq"],
        "peak_liquidations": tot["peak"], "peak_block": tot["peak_block"],
        "repaid": txt(tot["repaid"]), "liquidation_sold": txt(tot["sold"]),
        "liquidation_proceeds": txt(tot["proceeds"]),
        "slippage": txt(ce(tot["at_price"] / tot["proceeds"])) if tot["proceeds"] > 0 else "1",
        "trader_sold": "0", "bad_debt": txt(bad), "unrealised": txt(sum(unreal, F(0))),
        "insolvency": txt(bad + sum(unreal, F(0))), "liquidator_profit": txt(tot["profit"]),
        "skipped_unprofitable": tot["skip_u"], "skipped_gas": tot["skip_g"],
        "max_systemic_debt_ratio": txt(tot["max_sdr"]), "max_concentration": txt(tot["max_conc"]),
        "stop_detail": {"liquidatable": liq_count, "liquidators": len(bots), "priced_out": priced_out,
                        "out_of_capital": out_of_capital, "unprofitable": able},
    }
    venues_out = []
    for vi, v in enumerate(venues):
        venues_out.append({"name": v.name, "kind": v.rules.kind, "accounts": v.n,
                           "ledger": v.ledger_out(), "unrealised": txt(unreal[vi]),
                           "insolvency": txt(v.led["debt_written_off"] + unreal[vi]),
                           "conservation": v.conservation()})
    return {"summary": summary, "venues": venues_out}


# =============================================================================================
# The cases
# =============================================================================================

cases = []
H = d

BASE = {
    "name": "tiny",
    "description": "one lending account, a constant price",
    "seed": 1,
    "max_blocks": 5,
    "path": {"kind": "constant", "price": "100"},
    "gas": {"base": "1"},
    "block_gas": "0",
    "market": {"model": "constant_product", "base": "1000", "quote": "100000"},
    "venues": [{
        "name": "L",
        "kind": "lending",
        "collateral": {"init_asset_weight": "0.75", "maint_asset_weight": "0.8",
                       "init_liab_weight": "1", "maint_liab_weight": "1"},
        "debt": {"init_asset_weight": "1", "maint_asset_weight": "1",
                 "init_liab_weight": "1", "maint_liab_weight": "1"},
        "oracle": {"deviation": "0.01", "heartbeat": 10, "latency": 0},
        "waterfall": {},
        "accounts": [{"collateral": "1", "debt": "10"}],
    }],
    "liquidators": [],
}

ZERO_WATERFALL = {"bad_debt": "0", "premium": "0", "insurance": "0", "socialized": "0",
                  "uncovered": "0", "haircut": "0"}
NO_DETAIL = {"liquidatable": 0, "liquidators": 0, "priced_out": 0, "out_of_capital": 0, "unprofitable": 0}


def summary(stop, **over):
    s = {"stop": stop, "blocks": 1, "start_price": "100", "equilibrium_price": "100",
         "equilibrium_block": 1, "fundamental_price": "100", "exogenous_drop": "0", "cascade_drop": "0",
         "amplification": None, "low_price": "100", "max_drawdown": "0", "max_oracle_gap": "0",
         "liquidations": 0, "peak_liquidations": 0, "peak_block": 0, "repaid": "0", "liquidation_sold": "0",
         "liquidation_proceeds": "0", "slippage": "1", "trader_sold": "0", "bad_debt": "0",
         "unrealised": "0", "insolvency": "0", "liquidator_profit": "0", "skipped_unprofitable": 0,
         "skipped_gas": 0, "max_systemic_debt_ratio": "0", "max_concentration": "0",
         "stop_detail": dict(NO_DETAIL)}
    s.update(over)
    return s


def ledger(collateral, debt):
    return {"collateral_initial": collateral, "collateral_topped_up": "0", "collateral_seized": "0",
            "collateral_protocol_fee": "0", "collateral_sold": "0", "debt_initial": debt,
            "debt_repaid_liquidations": "0", "debt_repaid_traders": "0", "debt_topped_up": "0",
            "debt_written_off": "0", "trader_surplus": "0", "liquidations": 0, "bankruptcies": 0,
            "waterfall": dict(ZERO_WATERFALL), "collateral": collateral, "debt": debt}


BALANCED = {"balanced": True, "collateral": "0", "debt": "0", "waterfall": "0"}


def tiny_report(scenario, stop, venue_block, **over):
    """A one-block run of BASE's lending venue, built by hand."""
    return {
        "scenario": {"name": scenario["name"], "description": scenario["description"],
                     "seed": scenario["seed"], "max_blocks": scenario["max_blocks"]},
        "summary": summary(stop, **over),
        "recovery": {"blocks": 0, "band": "0.001", "market_price": "100", "fundamental_price": "100",
                     "liquidations": 0, "bad_debt": "0"},
        "venues": [{"name": "L", "kind": "lending", "accounts": 1,
                    "ledger": ledger(scenario["venues"][0]["accounts"][0]["collateral"],
                                     scenario["venues"][0]["accounts"][0]["debt"]),
                    "unrealised": "0", "insolvency": "0", "conservation": dict(BALANCED)}],
        "liquidators": [],
        "blocks": [{"block": 1, "fundamental": "100", "market": "100", "gas_price": "1",
                    "arbitrage": "0", "trader_sold": "0", "liquidation_sold": "0",
                    "liquidation_proceeds": "0", "slippage": "1", "liquidator_profit": "0",
                    "drawdown": "0", "oracle_gap": "0",
                    "systemic_debt_ratio": over.get("max_systemic_debt_ratio", "0"),
                    "venues": [venue_block]}],
    }


def vb(oracle, refusal, liquidatable, debt_at_risk, concentration):
    return {"oracle": oracle, "refusal": refusal, "liquidatable": liquidatable, "liquidations": 0,
            "repaid": "0", "seized": "0", "skipped_unprofitable": 0, "skipped_gas": 0,
            "bad_debt": "0", "debt_at_risk": debt_at_risk, "tvl": "100",
            "concentration": concentration}


def add(sc, expect, note, population=None):
    """A case whose hand-built or hand-checked report is also the model's."""
    model, _ = run_model(sc, population)
    assert model == expect, json.dumps(model, indent=1)
    cases.append({"op": "cascade", "input": sc, "expect": expect, "note": note})


def modelled(sc, population=None):
    rep, accts = run_model(sc, population)
    assert all(v["conservation"]["balanced"] for v in rep["venues"])
    return rep, accts


quiet = copy.deepcopy(BASE)
add(quiet, tiny_report(quiet, "exhausted", vb("100", None, 0, "0", "0")),
    "Block 0: the fundamental path(0) = 100 is the start price; the pool's anchor is its price "
    "100000/1000 = 100, so the market is floor(100*100/100) = 100 and the feed's first round (100) is "
    "decided and, at latency 0, visible. No `resilience` key: the default half-life of 10 blocks, "
    "band 0.001; no `arbitrage` key: no volume limit. Block 1: F = 100, the pool has no impact (its "
    "price is its anchor) so the recovery step floor(rho*0) = 0: no trade (arbitrage 0); the feed sees "
    "100 (no deviation, heartbeat 10 not due): oracle 100 = market. The account's liquidation price is "
    "10/(1*0.8) = 12.5 < 100 (not liquidatable; risk_band 0 puts nothing at risk: debt_at_risk 0, "
    "concentration 0); tvl = 1*100 = 100; drawdown 0, gap 0, slippage 1 (no sale). At rest at block 1: "
    "the path and gas are settled from block 0, nothing moved, the feed's round is visible at 100 <= "
    "100. Exhausted (nothing liquidatable), no liquidators: stop_detail all 0. Equilibrium block 1, "
    "price 100 = fundamental: exogenous and cascade drops 0, amplification null (no drop); unrealised "
    "max(0, 10 - floor(1*100)) = 0, insolvency 0. Recovery: |100 - 100| = 0 <= floor(0.001*100) = 0.1, "
    "back within the band at the equilibrium: 0 blocks, and the run ends after block 1.")

stale = copy.deepcopy(BASE)
stale["name"] = "tiny stale"
stale["venues"][0]["oracle"]["outage_from"] = 0
stale["venues"][0]["accounts"] = [{"collateral": "1", "debt": "90"}]
add(stale, tiny_report(stale, "stale", vb(None, "stale", 1, "90", "1"), max_systemic_debt_ratio="0.9",
                       max_concentration="1",
                       stop_detail={**NO_DETAIL, "liquidatable": 1}),
    "The feed is down from block 0: no round ever, so the venue has no oracle price (null) and its "
    "guards refuse (stale). Market = fundamental = 100 (pool at its anchor, no recovery trade). The "
    "account's liquidation price is 90/(1*0.8) = 112.5 >= 100, and at 100 its maintenance health is "
    "0.8*100 - 90 = -10 < 0: liquidatable at the market price (1), at risk (the watch price is the "
    "market's, 100, without a round: debt 90), the single at-risk account holds all at-risk collateral "
    "(concentration 1). tvl at the market price 1*100 = 100, systemic debt ratio 90/100 = 0.9. Block 1 "
    "is at rest: settled path and gas, nothing moved, and the only venue's feed is down (no live feed to "
    "wait for). Stale: a venue whose feed is down has an account liquidatable at the market price; "
    "stop_detail counts it (liquidatable 1, at the market price since the feed is down), no "
    "liquidators. Unrealised max(0, 90 - floor(1*100)) = 0, insolvency 0. Recovery: market = "
    "fundamental, 0 blocks.")


def perp_scenario(name, description, price, lam, fee, accounts, max_blocks=1000, sold=None,
                  path=None, resilience=None):
    market = {"model": "linear", "price": price, "lambda": lam}
    if sold is not None:
        market["sold"] = sold
    market["resilience"] = resilience if resilience is not None else {"decay": "0"}
    return {
        "name": name,
        "description": description,
        "seed": 7,
        "max_blocks": max_blocks,
        "path": path or {"kind": "constant", "price": price},
        "gas": {"base": "1"},
        "block_gas": "0",
        "risk_band": "0.05",
        "market": market,
        "venues": [{
            "name": "perp",
            "kind": "perp",
            "market": {"init_margin": "0.1", "maint_margin": "0.05", "liquidation_fee": fee},
            "liquidation": {"close_factor": {"normal": "1", "dust": WAD_MAX_TEXT}},
            "oracle": {"deviation": "0", "heartbeat": 1, "latency": 0},
            "waterfall": {"insurance_fund": "1000", "lender_deposits": "100000"},
            "accounts": [{"collateral": c, "debt": dbt} for c, dbt in accounts],
        }],
        "liquidators": [{"name": "closer", "capital": "1000000000", "sizing": "whole"}],
    }


def long_at(base, liq):
    """A long of `base` whose maintenance liquidation price is `liq`: debt ⌊⌊base·liq⌋·0.95⌋."""
    return (txt(d(base)), txt(fl(fl(d(base) * d(liq)) * d("0.95"))))


# --- Three perp longs traced by hand (tests/cascade.rs `three_perp_longs_traced_by_hand`). ---
# The test's market is LinearImpact anchor 100, λ 0.05 with 60 already sold: on the wire now
# `{"price": "100", "lambda": "0.05", "sold": "60"}`, its impact permanent (`decay` 0), around a
# constant fundamental at the anchor, 100: P = ⌊100·P_model/100⌋ = P_model, 100 − ⌈0.05·60⌉ = 97.
trace = perp_scenario("three perp longs", "the three perp longs of tests/cascade.rs, traced by hand",
                      "100", "0.05", "0.01", [long_at("10", "97.5"), long_at("10", "96.8"), long_at("10", "96")],
                      sold="60")
assert [a["debt"] for a in trace["venues"][0]["accounts"]] == ["926.25", "919.6", "912"]
r1, r2 = H("960.3"), H("955.35")          # 970·0.99, 965·0.99: the account quote received
s1, s2 = H("967.5"), H("962.5")           # 10·(100 − ⌈0.05·130/2⌉), 10·(100 − ⌈0.05·150/2⌉)
bonus = fl(H("0.01") / H("0.99"))
assert bonus == H("0.010101010101010101")
# The liquidator's own view of the whole offer (§8.5 evaluate at repay_max, sizing whole):
# block 1: repay_max ⌈970·0.99⌉ = 960.3, receives ⌊960.3·1.010101010101010101/97⌋ =
# ⌊9.9·1.010101010101010101⌋ = 9.999999999999999999; its quoted sale from Q = 60,
# ⌊9.999999999999999999·(100 − ⌈0.05·129.999999999999999999/2⌉)⌋ = ⌊…·96.75⌋ =
# 967.499999999999999903, profit 7.199999999999999903 > 0: act. Block 2 (Q = 70): repay_max
# 955.35, the same receives, ⌊…·(100 − ⌈0.05·149.999999999999999999/2⌉)⌋ = ⌊…·96.25⌋ =
# 962.499999999999999903, profit 7.149999999999999903 > 0: act.
recv = fl(r1 * (1 + bonus) / 97)
assert recv == H("9.999999999999999999") == fl(r2 * (1 + bonus) / H("96.5"))
assert fl(recv * (100 - ce(H("0.05") * (120 + recv) / 2))) - r1 == H("7.199999999999999903")
assert fl(recv * (100 - ce(H("0.05") * (140 + recv) / 2))) - r2 == H("7.149999999999999903")
assert 10 * (100 - ce(H("0.05") * 130 / 2)) == s1 and 10 * (100 - ce(H("0.05") * 150 / 2)) == s2


def vblock(oracle, liquidations, repaid, seized, dar, tvl, conc):
    return {"oracle": oracle, "refusal": None, "liquidatable": 0, "liquidations": liquidations,
            "repaid": repaid, "seized": seized, "skipped_unprofitable": 0, "skipped_gas": 0,
            "bad_debt": "0", "debt_at_risk": dar, "tvl": tvl, "concentration": conc}


def rblock(b, market, sold, proceeds, slippage, profit, drawdown, gap, sdr, venue):
    return {"block": b, "fundamental": "100", "market": market, "gas_price": "1", "arbitrage": "0",
            "trader_sold": "0", "liquidation_sold": sold, "liquidation_proceeds": proceeds,
            "slippage": slippage, "liquidator_profit": profit, "drawdown": drawdown,
            "oracle_gap": gap, "systemic_debt_ratio": sdr, "venues": [venue]}


trace_blocks = [
    rblock(1, "96.5", "10", "967.5", txt(ce(H(970) / s1)), "7.2", "0.035",
           txt(ce(H("0.5") / H("96.5"))), txt(ce(H("1831.6") / 1940)),
           vblock("97", 1, "960.3", "10", "1831.6", "1940", "1")),
    rblock(2, "96", "10", "962.5", txt(ce(H(965) / s2)), "7.15", "0.04",
           txt(ce(H("0.5") / 96)), txt(ce(H(912) / 965)),
           vblock("96.5", 1, "955.35", "10", "912", "965", "1")),
    rblock(3, "96", "0", "0", "1", "0", "0.04", "0", "0.95",
           vblock("96", 0, "0", "0", "912", "960", "1")),
]
trace_expect = {
    "scenario": {"name": trace["name"], "description": trace["description"], "seed": 7, "max_blocks": 1000},
    "summary": {"stop": "exhausted", "blocks": 3, "start_price": "100", "equilibrium_price": "96",
                "equilibrium_block": 3, "fundamental_price": "100", "exogenous_drop": "0",
                "cascade_drop": "4", "amplification": None,
                "low_price": "96", "max_drawdown": "0.04", "max_oracle_gap": txt(ce(H("0.5") / 96)),
                "liquidations": 2, "peak_liquidations": 1, "peak_block": 1, "repaid": txt(r1 + r2),
                "liquidation_sold": "20", "liquidation_proceeds": txt(s1 + s2),
                "slippage": txt(ce(H(970 + 965) / (s1 + s2))), "trader_sold": "0", "bad_debt": "0",
                "unrealised": "0", "insolvency": "0", "liquidator_profit": "14.35",
                "skipped_unprofitable": 0, "skipped_gas": 0,
                "max_systemic_debt_ratio": "0.95", "max_concentration": "1",
                "stop_detail": {"liquidatable": 0, "liquidators": 1, "priced_out": 0, "out_of_capital": 0,
                                "unprofitable": 1}},
    "recovery": {"blocks": None, "band": "0.001", "market_price": "96", "fundamental_price": "100",
                 "liquidations": 0, "bad_debt": "0"},
    "venues": [{"name": "perp", "kind": "perp", "accounts": 3,
                "ledger": {"collateral_initial": "30", "collateral_topped_up": "0", "collateral_seized": "20",
                           "collateral_protocol_fee": "0", "collateral_sold": "0", "debt_initial": "2757.85",
                           "debt_repaid_liquidations": "1915.65", "debt_repaid_traders": "0",
                           "debt_topped_up": "0", "debt_written_off": "0", "trader_surplus": "0",
                           "liquidations": 2, "bankruptcies": 0, "waterfall": dict(ZERO_WATERFALL),
                           "collateral": "10", "debt": "842.2"},
                "unrealised": "0", "insolvency": "0", "conservation": dict(BALANCED)}],
    "liquidators": [{"name": "closer", "priority_fee": "0", "liquidations": 2, "profit": "14.35",
                     "gas_paid": "0", "capital": "1000000014.35"}],
    "blocks": trace_blocks,
}
assert H("926.25") + H("919.6") + 912 == H("2757.85") and H("2757.85") - r1 - r2 == H("842.2")
assert s1 - r1 + s2 - r2 == H("14.35")
_, after = run_model(trace)
assert after == [[[0, H("-34.05")], [0, H("-35.75")], [10, 912]]]
add(trace, trace_expect, (
    "tests/cascade.rs three_perp_longs_traced_by_hand. Market: linear, price (anchor A) 100, lambda 0.05, "
    "60 already sold (P_model = 100 - ceil(0.05*60) = 97), resilience decay 0 (the instantaneous model: "
    "impact is permanent); constant fundamental F = 100 = A, so the market price floor(F*P_model/A) is "
    "P_model, 97 at block 0, and sale proceeds are the model's. No arbitrage key, everyone holds; perp "
    "margins 0.1/0.05, fee 0.01, close factor {normal 1, dust = Wad MAX} so every liquidation closes the "
    "whole position (the dust rule); feed deviation 0, heartbeat 1, latency 0 (each block's oracle is "
    "the market price at the block's start); one liquidator, sizing whole, capital 1e9, no gas, no "
    "risk. Longs of 10 with liquidation prices 97.5 (A), 96.8 (B), 96 (C): debts floor(10*97.5*0.95) = "
    "926.25, 919.6, 912; keys p* + ceil(2e-18/9.5) = 97.500000000000000001, 96.800000000000000001, "
    "96.000000000000000001. "
    "Block 1: F = 100, market 97, no recovery (decay 0), oracle 97: candidate A (key >= 97), health "
    "-926.25 + 970*0.95 = -4.75 < 0. Offer repay_max ceil(970*0.99) = 960.3, bonus floor(0.01/0.99) = "
    "0.010101010101010101, the liquidator expects floor(960.3*1.010101010101010101/97) = "
    "9.999999999999999999 sold from Q = 60 for floor(9.999999999999999999*(100 - "
    "ceil(0.05*129.999999999999999999/2))) = floor(...*96.75) = 967.499999999999999903: profit "
    "7.199999999999999903 > 0, acts. Take-over of 10 at 97: notional 970, account quote "
    "+floor(970*0.99) = 960.3 (quote -926.25 -> 34.05), fee 9.7. Sale of 10 from Q = 60: "
    "10*(100 - ceil(0.05*130/2)) = 10*96.75 = 967.5, profit 7.2; market 100 - 0.05*70 = 96.5. Block end "
    "at oracle 97: nothing liquidatable; risk band 0.05: keys >= floor(97*0.95) = 92.15 are B and C: debt "
    "at risk 919.6 + 912 = 1831.6, all held by top-1% accounts (ceil(3/100) = 1st largest collateral "
    "10): concentration 1; tvl 20*97 = 1940; systemic ceil(1831.6/1940); slippage ceil(970/967.5); "
    "drawdown (100 - 96.5)/100 = 0.035; gap ceil(0.5/96.5). "
    "Block 2, oracle 96.5: B (96.8). Offer ceil(965*0.99) = 955.35, expected receives again "
    "9.999999999999999999 sold from Q = 70 at 100 - ceil(0.05*149.999999999999999999/2) = 96.25: "
    "962.499999999999999903, profit 7.149999999999999903, acts. Take-over: 965*0.99 = 955.35 (quote "
    "-919.6 -> 35.75). Sale from Q = 70: 10*(100 - 0.05*150/2) = 962.5, profit 7.15; market 100 - "
    "0.05*80 = 96. Block end: C at risk (912), tvl 10*96.5 = 965, systemic ceil(912/965), drawdown 0.04, "
    "gap ceil(0.5/96). "
    "Block 3, oracle 96 = market: C sits exactly at its liquidation price, health -912 + 960*0.95 = 0, "
    "not below: nothing moves; tvl 960, systemic 912/960 = 0.95, gap 0. At rest (settled, quiet, the "
    "round of block 3 visible at 96 <= 96): the equilibrium, block 3, exhausted (nothing liquidatable; "
    "stop_detail: 1 liquidator that could act, counted unprofitable). Equilibrium price 96, "
    "fundamental 100: exogenous drop 100 - 100 = 0, cascade drop 100 - 96 = 4, amplification null (the "
    "shock did not lower the fundamental: the drop is the impact already in the market plus the "
    "cascade's). Totals: repaid 1915.65, sold 20, proceeds 1930, slippage ceil(1935/1930), profit 14.35 "
    "(capital 1000000014.35), ledger debt 2757.85 - 1915.65 = 842.2, collateral 10; unrealised: C "
    "max(0, 912 - floor(10*96)) = 0, A and B have a positive quote: 0; insolvency 0. Recovery: |100 - "
    "96| = 4 > floor(0.001*100) = 0.1 but decay 0 cannot recover: the run ends at block 3, recovery "
    "blocks null, market 96, fundamental 100. The same blocks as when the market was given as anchor "
    "97 with nothing sold and a constant path 97; only the start price (now the fundamental 100) and "
    "so the drawdowns differ."))


def ladder(n, top, step):
    return [long_at("1", txt(d(top) - d(step) * i)) for i in range(n)]


def ladder_case(name, price, lam, n, top, step, expect_n, expect_price, expect_blocks, note):
    sc = perp_scenario(name, f"{n} perp longs of 1 with liquidation prices {top} down by {step}; "
                             f"linear market {price}, lambda {lam}", price, lam, "0.04", ladder(n, top, step))
    rep, _ = modelled(sc)
    s = rep["summary"]
    assert (s["liquidations"], s["equilibrium_price"], s["blocks"], s["stop"], s["equilibrium_block"]) == \
        (expect_n, txt(expect_price), expect_blocks, "exhausted", expect_blocks), s
    assert s["cascade_drop"] == txt(d(price) - expect_price) and s["amplification"] is None
    assert rep["recovery"]["blocks"] is None
    cases.append({"op": "cascade", "input": sc, "expect": rep, "note": note})


# λk < 1: n accounts have gone when every liquidation price above P0 − λqn has: with a = top − P0,
# f(n) = ⌈(a + λqn)/δ⌉ accounts lie strictly above it, and the rounds n ← f(n) from 0 climb to the
# smallest fixed point n* = ⌈a/(δ − λq)⌉ (⌈x⌉ ≤ n ⇔ x ≤ n for an integer n).
P0, LAM, TOP, STEP = d("99.5"), d("0.04"), d("99.9"), d("0.1")
n_star = _ceil((TOP - P0) / (STEP - LAM))
assert n_star == 7
ladder_case(
    "linear ladder, lambda k = 0.4", "99.5", "0.04", 20, "99.9", "0.1", n_star, P0 - LAM * n_star, 4,
    "The instantaneous model's closed form (tests/cascade.rs linear_impact_with_evenly_spread_..., "
    "smaller). 20 perp longs of q = 1 with liquidation prices 99.9, 99.8, ..., 98.0 (delta 0.1, debts "
    "0.95*liq, so health is exactly 0 at the price), k = q/delta = 10 per unit of price; linear market "
    "price 99.5 with resilience decay 0 (impact permanent) around a constant fundamental 99.5 = its "
    "anchor (the shock is in), lambda 0.04: lambda*k = 0.4 < 1. Perp fee 0.04, whole close-out, "
    "instant feed, one whole-sizing liquidator. With n sold the price is 99.5 - 0.04n and the longs "
    "strictly above it number f(n) = ceil((a + 0.04n)/0.1), a = 99.9 - 99.5 = 0.4; each block liquidates "
    "every long above its oracle (the last block's market price), so the counts climb n <- f(n) from 0: "
    "4 (99.9..99.6; 99.5 is at health 0), 6 (price 99.34), 7 (99.26), 7 (99.22): the smallest fixed "
    "point n* = ceil(a/(delta - lambda*q)) = ceil(0.4/0.06) = 7, final price 99.5 - 0.04*7 = 99.22 "
    "(the continuous cascade's P0 - lambda*k*a/(1 - lambda*k) = 99.2333, within lambda*q). Blocks 1-3 "
    "liquidate 4, 2, 1; block 4 is quiet at oracle = market 99.22: at rest, the equilibrium, exhausted; "
    "cascade drop 99.5 - 99.22 = 0.28, no exogenous drop (amplification null); decay 0 cannot recover, "
    "so the run ends there (recovery blocks null). The risk band (0.05) holds every account still open "
    "at every block end: blocks 3 and 4 count all 13 (debt at risk 1217.71), the liquidated ones (key 0) "
    "no longer. Every other field is from the generator's exact model of vectors/README.md section 9 "
    "(gen_cascade.py run_model).")

# λk = 1: f(n) = ⌈a/δ⌉ + n > n for every n: no fixed point below N, each round adds ⌈a/δ⌉.
P0, LAM = d("99.75"), d("0.1")
per_round = _ceil((TOP - P0) / STEP)
assert per_round == 2
ladder_case(
    "linear ladder, lambda k = 1", "99.75", "0.1", 10, "99.9", "0.1", 10, P0 - LAM * 10, 10 // per_round + 1,
    "The runaway of the instantaneous model (tests/cascade.rs linear_impact_runs_away_when_lambda_k_"
    "reaches_one, smaller). 10 perp longs of q = 1 with liquidation prices 99.9 ... 99.0 (delta 0.1), "
    "linear market price 99.75, lambda 0.1, decay 0, constant fundamental 99.75 = the anchor: lambda*k "
    "= 1. With n sold the price is 99.75 - 0.1n and the longs above it are f(n) = ceil((0.15 + 0.1n)/0.1) "
    "= n + 2: no fixed point below N, every round adds ceil(a/delta) = 2: blocks 1-5 at oracles 99.75, "
    "99.55, 99.35, 99.15, 98.95 liquidate 2 each; all 10 go, the price ends at 99.75 - 0.1*10 = 98.75, "
    "block 6 is quiet: at rest, exhausted after 6 blocks (cascade drop 1, amplification null, no "
    "recovery with decay 0). No account goes bankrupt (quote 0.96p - 0.95*liq > 0). Every other field "
    "is from the generator's exact model of vectors/README.md section 9 (gen_cascade.py run_model).")


# --- New cases of §9 (issue 12): the transient market, resilience, rest, equilibrium, recovery ---

LENDING_TOKENS = {
    "collateral": {"init_asset_weight": "0.85", "maint_asset_weight": "0.9", "init_liab_weight": "1",
                   "maint_liab_weight": "1", "liquidation_fee": "0.05"},
    "debt": {"init_asset_weight": "1", "maint_asset_weight": "1", "init_liab_weight": "1",
             "maint_liab_weight": "1"},
}


def lending_venue(name, accounts, oracle=None, fee=None):
    v = {"name": name, "kind": "lending", **copy.deepcopy(LENDING_TOKENS),
         "oracle": oracle or {"deviation": "0.01", "heartbeat": 10, "latency": 0},
         "waterfall": {"insurance_fund": "100"},
         "accounts": [{"collateral": c, "debt": x} for c, x in accounts]}
    if fee is not None:
        v["collateral"]["liquidation_fee"] = fee
    return v


def scenario(name, description, path, market, venues, liquidators=(), max_blocks=100, **extra):
    sc = {"name": name, "description": description, "seed": 3, "max_blocks": max_blocks, "path": path,
          "gas": {"base": "1"}, "block_gas": "0", "market": market, "venues": venues,
          "liquidators": list(liquidators)}
    sc.update(extra)
    return sc


def check(rep, **want):
    """Hand-worked figures of a report: `summary.x`, `recovery_x`, `trace` (a list of
    (market, arbitrage) per block), `stop_detail` (a tuple)."""
    s, r = rep["summary"], rep["recovery"]
    for k, v in want.items():
        if k == "trace":
            got = [(x["market"], x["arbitrage"]) for x in rep["blocks"]]
            assert got == [(txt(H(m)), txt(H(a))) for m, a in v], got
        elif k == "stop_detail":
            sd = s["stop_detail"]
            assert (sd["liquidatable"], sd["liquidators"], sd["priced_out"], sd["out_of_capital"],
                    sd["unprofitable"]) == v, sd
        elif k.startswith("recovery_"):
            key = k[len("recovery_"):]
            assert (r is None and v is None) if key == "none" else r[key] == v, (k, r)
        else:
            assert s[k] == v, (k, s[k], v)


def hand(sc, note, population=None, **want):
    rep, accts = modelled(sc, population)
    check(rep, **want)
    cases.append({"op": "cascade", "input": sc, "expect": rep, "note": note})
    return rep, accts


# (a) The shock reaches the market by itself: no `arbitrage` key, no resilience key, no sale.
shock = scenario(
    "shock alone", "a 10 % drop of the fundamental, no sale, no arbitrage key: the market follows it",
    {"kind": "instant", "from": "100", "to": "90", "at": 2},
    {"model": "linear", "price": "100", "lambda": "0.1"},
    [lending_venue("L", [("1", "50")], oracle={"deviation": "0.01", "heartbeat": 10, "latency": 1})])
rep, _ = hand(
    shock,
    "No arbitrage key (no volume limit) and no resilience key (half-life 10, band 0.001); nothing is ever "
    "sold, so the linear model stays at its anchor: P_model = A = 100 and the market is "
    "floor(F*100/100) = F every block: the fundamental moves the market at once, with nobody trading. "
    "Block 0: F = 100, market 100, the feed decides its first round (100) visible at block 1 (latency 1). "
    "Block 1: F = 100, market 100, no recovery step (floor(rho*0) = 0); no deviation (0 <= 1 %), heartbeat "
    "10 not due: no round; oracle 100 (visible since block 1). The account (collateral 1, debt 50, "
    "maintenance weight 0.9) has liquidation price 50/0.9 = 55.6, key below 100: no candidate; tvl "
    "1*100 = 100. Not at rest: block 1 is before the path settles (instant at block 2). Block 2: F = 90, "
    "market floor(90*100/100) = 90, drawdown (100 - 90)/100 = 0.1; the feed decides a round at 90 "
    "(|90 - 100|/100 = 10 % > 1 %), visible at block 3, so the venue still reads 100: oracle gap "
    "ceil(10/90) = 0.111111111111111112, tvl 100. Not at rest: a round is in flight. Block 3: market 90, "
    "the round of block 2 visible: oracle 90, gap 0, tvl 90. At rest (settled at block 2, quiet, no "
    "round in flight, 90 <= 90): equilibrium block 3, exhausted (health 0.9*90 - 50 > 0); stop_detail all "
    "0 (no liquidator). Equilibrium price 90 = fundamental 90: exogenous drop 10, cascade drop 10, "
    "amplification ceil(10/10) = 1; unrealised max(0, 50 - floor(1*90)) = 0, insolvency 0. Recovery: "
    "|90 - 90| = 0 <= floor(0.001*90): back within the band at the equilibrium, 0 blocks; 3 blocks in all.",
    stop="exhausted", blocks=3, equilibrium_block=3, equilibrium_price="90", fundamental_price="90",
    exogenous_drop="10", cascade_drop="10", amplification="1", max_oracle_gap="0.111111111111111112",
    max_drawdown="0.1", low_price="90", insolvency="0", stop_detail=(0, 0, 0, 0, 0), recovery_blocks=0,
    trace=[("100", "0"), ("90", "0"), ("90", "0")])
assert [b["venues"][0]["oracle"] for b in rep["blocks"]] == ["100", "100", "90"]


# (b) Resilience by hand: impact already in the market, a constant fundamental, no accounts.
def empty_lending():
    return lending_venue("L", [], oracle={"deviation": "0", "heartbeat": 1, "latency": 0})


res_hl = scenario(
    "resilience, half-life 1", "a linear market 10 below its anchor recovers by half each block",
    {"kind": "constant", "price": "100"},
    {"model": "linear", "price": "100", "lambda": "0.1", "sold": "100",
     "resilience": {"half_life": 1, "band": "0.01"}},
    [empty_lending()])
assert decay_from_half_life(1) == H("0.5")      # 1 - ceil(0.5^floor(1/1)) = 1 - 0.5
hand(
    res_hl,
    "Linear market, anchor A = 100, lambda 0.1, 100 already sold: P_model = 100 - ceil(0.1*100) = 90; "
    "constant fundamental F = 100 = A, so the market is P_model (90 at block 0, the start price is the "
    "fundamental 100). Half-life 1: rho = 1 - ceil(0.5^floor(1/1)) = 0.5; no arbitrage key: no volume "
    "cap; gas at its base, so rho_b = rho. Each block the impact A - P_model halves: the step "
    "floor(0.5*gap), the target P_model + step, and the buy to the closed form Q = ceil((100 - "
    "target)/0.1). Block 1: gap 10, step 5, target 95, Q 100 -> 50: bought 50, market 95; the feed "
    "(deviation 0, heartbeat 1, latency 0) sees 95 after the trade. Nothing else moves (the recovery "
    "trade does not count) and the round shows 95 <= 95: at rest, so block 1 is the equilibrium: price "
    "95, fundamental 100, exogenous drop 0, cascade drop 5, amplification null; exhausted (no accounts), "
    "stop_detail all 0; low 90 (block 0), max drawdown (100 - 95)/100 = 0.05. Recovery, band "
    "floor(0.01*100) = 1: |100 - 95| = 5 > 1, rho > 0 and no cap, so the run goes on. Block 2: gap 5, "
    "step 2.5, target 97.5, Q 50 -> 25, bought 25, market 97.5 (2.5 > 1). Block 3: gap 2.5, step 1.25, "
    "target 98.75, Q 25 -> 12.5, bought 12.5 (1.25 > 1). Block 4: gap 1.25, step 0.625, target 99.375, "
    "Q 12.5 -> 6.25, bought 6.25, market 99.375: |100 - 99.375| = 0.625 <= 1, recovered: recovery "
    "blocks 4 - 1 = 3, market 99.375, fundamental 100; 4 blocks in all, drawdowns 0.05, 0.025, 0.0125, "
    "0.00625.",
    stop="exhausted", blocks=4, equilibrium_block=1, equilibrium_price="95", cascade_drop="5",
    exogenous_drop="0", amplification=None, low_price="90", max_drawdown="0.05", stop_detail=(0, 0, 0, 0, 0),
    recovery_blocks=3, recovery_market_price="99.375", recovery_band="0.01",
    trace=[("95", "50"), ("97.5", "25"), ("98.75", "12.5"), ("99.375", "6.25")])

res_cap = scenario(
    "resilience, decay with a capacity and a gas spike",
    "decay 0.5 per block, at most 20 base a block, a 4x gas spike in blocks 2-3",
    {"kind": "constant", "price": "100"},
    {"model": "linear", "price": "100", "lambda": "0.1", "sold": "100",
     "resilience": {"decay": "0.5", "band": "0.005"}},
    [empty_lending()], arbitrage={"capacity": "20"})
res_cap["gas"] = {"base": "1", "spike": {"start": 2, "blocks": 2, "price": "4"}}
hand(
    res_cap,
    "As the half-life case (anchor 100, lambda 0.1, 100 sold: P_model 90, constant F = 100), with "
    "decay rho = 0.5 given directly, arbitrage capacity 20 base a block, band 0.005 (floor(0.005*100) = "
    "0.5), and gas 4 in blocks 2-3 (base 1): there min(1, 1/4) scales both, rho_b = floor(0.5*0.25) = "
    "0.125 and the capacity floor(20*0.25) = 5. Block 1 (gas 1): gap 10, step 5, target 95 wants Q 100 "
    "-> 50, capped at 20 bought: Q 80, market 100 - 0.1*80 = 92. Not at rest: the gas schedule settles "
    "after its spike, at block 4. Block 2 (gas 4): gap 8, step floor(0.125*8) = 1, target 93 wants Q -> "
    "70, capped at 5: Q 75, market 92.5. Block 3 (gas 4): gap 7.5, step floor(0.125*7.5) = 0.9375, "
    "target 93.4375 wants Q -> ceil(6.5625/0.1) = 65.625 (9.375 base), capped at 5: Q 70, market 93. "
    "Block 4 (gas 1): gap 7, step 3.5, target 96.5 wants Q -> 35, capped at 20: Q 50, market 95. Block 4 "
    "is at rest (settled, quiet, the round shows 95 <= 95): the equilibrium, price 95, cascade drop 5, "
    "amplification null, exhausted, low 90, max drawdown 0.08 (block 1's (100 - 92)/100). Recovery: "
    "|100 - 95| = 5 > 0.5. Block 5: gap 5, step 2.5, target 97.5 wants Q -> 25, capped at 20: Q 30, "
    "market 97. Block 6: gap 3, step 1.5, target 98.5, Q -> 15 (15 base, within the cap), market 98.5. "
    "Block 7: gap 1.5, step 0.75, target 99.25, Q -> 7.5, market 99.25 (0.75 > 0.5). Block 8: gap 0.75, "
    "step 0.375, target 99.625, Q -> 3.75, market 99.625: |100 - 99.625| = 0.375 <= 0.5, recovered after "
    "8 - 4 = 4 blocks.",
    stop="exhausted", blocks=8, equilibrium_block=4, equilibrium_price="95", cascade_drop="5",
    max_drawdown="0.08", recovery_blocks=4, recovery_market_price="99.625", recovery_band="0.005",
    trace=[("92", "20"), ("92.5", "5"), ("93", "5"), ("95", "20"), ("97", "20"), ("98.5", "15"),
            ("99.25", "7.5"), ("99.625", "3.75")])

# Above the anchor: net bought (sold < 0), the recovery sells; half-life 2 (rho irrational).
rho2 = decay_from_half_life(2)
assert rho2 == H("0.292893218813452475")        # 1 - ceil(0.5^0.5), 0.5^0.5 = 0.70710678118654752440...
step1 = fl(rho2 * 5)
assert step1 == H("1.464466094067262375")
q1 = fl((100 - (105 - step1)) / H("0.1"))
assert q1 == H("-35.35533905932737625")
res_up = scenario(
    "resilience above the anchor", "a linear market 5 above its anchor (net bought) sells back, half-life 2",
    {"kind": "constant", "price": "100"},
    {"model": "linear", "price": "100", "lambda": "0.1", "sold": "-50",
     "resilience": {"half_life": 2, "band": "0.01"}},
    [empty_lending()])
UP_TRACE = [  # block: (gap, step, target = market after, Q after, sold)
    ("5", "1.464466094067262375", "103.535533905932737625", "-35.35533905932737625", "14.64466094067262375"),
    ("3.535533905932737625", "1.03553390593273762", "102.500000000000000005", "-25.00000000000000005",
     "10.3553390593273762"),
    ("2.500000000000000005", "0.732233047033631188", "101.767766952966368817", "-17.67766952966368817",
     "7.32233047033631188"),
    ("1.767766952966368817", "0.517766952966368811", "101.250000000000000006", "-12.50000000000000006",
     "5.17766952966368811"),
    ("1.250000000000000006", "0.366116523516815595", "100.883883476483184411", "-8.83883476483184411",
     "3.66116523516815595"),
]
q_up = H("-50")
for gap_t, step_t, target_t, q_t, sold_t in UP_TRACE:     # the hand trace, line by line
    assert 100 - ce(H("0.1") * q_up) - 100 == H(gap_t) and fl(rho2 * H(gap_t)) == H(step_t)
    assert 100 + H(gap_t) - H(step_t) == H(target_t) and fl((100 - H(target_t)) / H("0.1")) == H(q_t)
    assert H(q_t) - q_up == H(sold_t) and 100 - ce(H("0.1") * H(q_t)) == H(target_t)
    q_up = H(q_t)
assert abs(H(UP_TRACE[3][2]) - 100) > 1 >= abs(H(UP_TRACE[4][2]) - 100)
rep, _ = hand(
    res_up,
    "Linear market, anchor 100, lambda 0.1, sold -50 (50 net bought): P_model = 100 - ceil(0.1*(-50)) = "
    "105, constant fundamental 100 = A, market 105 at block 0. Half-life 2: rho = 1 - ceil(0.5^floor(1/2)) "
    "= 1 - ceil(0.5^0.5) = 1 - 0.707106781186547525 = 0.292893218813452475 (0.5^0.5 = "
    "0.7071067811865475244..., rounded up; mpmath at 60 digits). Above its anchor the model sells toward "
    "the target P_model - floor(rho*(P_model - A)), its net sale up to the closed form Q = floor((100 - "
    "target)/0.1); the price 100 - ceil(0.1*Q) is then the target exactly. Block 1: gap 5, step "
    "floor(0.292893218813452475*5) = 1.464466094067262375, target 103.535533905932737625, Q -50 -> "
    "floor(-3.535533905932737625/0.1) = -35.35533905932737625: sold 14.64466094067262375 (arbitrage "
    "-14.64466094067262375), market 103.535533905932737625. The feed (deviation 0, heartbeat 1) sees it; "
    "nothing moves, so block 1 is at rest: the equilibrium, price 103.535533905932737625 above the start "
    "100 (drawdown 0, cascade drop -3.535533905932737625, exogenous drop 0, amplification null), "
    "exhausted, low 103.535533905932737625 (the block-0 market 105 is higher). Recovery, band "
    "floor(0.01*100) = 1. Block 2: gap 3.535533905932737625, step floor(rho*gap) = 1.03553390593273762, "
    "target 102.500000000000000005, Q -> floor(-2.500000000000000005/0.1) = -25.00000000000000005, sold "
    "10.3553390593273762. Block 3: gap 2.500000000000000005, step 0.732233047033631188, target "
    "101.767766952966368817, Q -> -17.67766952966368817, sold 7.32233047033631188. Block 4: gap "
    "1.767766952966368817, step 0.517766952966368811, target 101.250000000000000006, Q -> "
    "-12.50000000000000006, sold 5.17766952966368811 (still 1.25 > 1 away). Block 5: gap "
    "1.250000000000000006, step 0.366116523516815595, target 100.883883476483184411, Q -> "
    "-8.83883476483184411, sold 3.66116523516815595: |100 - 100.883883476483184411| <= 1, recovered after "
    "5 - 1 = 4 blocks (each step rounded down, so the market stays a few 1e-18 above the exact "
    "105 - 5*(1 - (1 - rho)^b)).",
    stop="exhausted", blocks=5, equilibrium_block=1, equilibrium_price="103.535533905932737625",
    cascade_drop="-3.535533905932737625", exogenous_drop="0", amplification=None, max_drawdown="0",
    low_price="103.535533905932737625", recovery_blocks=4, recovery_market_price="100.883883476483184411",
    trace=[(t[2], "-" + t[4]) for t in UP_TRACE])


# (c) No liquidators: the insolvency at the equilibrium is the unrealised debt, per venue.
nol = scenario(
    "no liquidators", "a 20 % drop on two lending venues whose only liquidator is priced out by gas",
    {"kind": "instant", "from": "100", "to": "80", "at": 1},
    {"model": "linear", "price": "100", "lambda": "0.1"},
    [lending_venue("L1", [("1", "85"), ("1", "75")]), lending_venue("L2", [("2", "170")], fee="0.1")],
    [{"name": "cheap", "capital": "1000000", "sizing": "whole", "max_gas_price": "0.5"}])
assert ce(H(85) / H("0.9")) + ce(2 * EPS / H("0.9")) == H("94.444444444444444448")
hand(
    nol,
    "Two lending venues (maintenance asset weight 0.9, liability weight 1; L1 fee 0.05, L2 fee 0.1, so "
    "L2 goes first), feeds deviation 0.01, heartbeat 10, latency 0; the fundamental drops 100 -> 80 at "
    "block 1 and the market (linear, nothing sold: P_model = A) follows: 80. One liquidator with "
    "max_gas_price 0.5 < the gas price 1: priced out. Block 0 at 100, everyone is healthy: L1 (1, 85): "
    "0.9*100 - 85 = 5, L1 (1, 75): 15, L2 (2, 170): 180 - 170 = 10. Keys: ceil(85/0.9) + ceil(2e-18/0.9) = "
    "94.444444444444444445 + 3e-18, ceil(75/0.9) + 3e-18 = 83.333333333333333337, ceil(170/1.8) + "
    "ceil(2e-18/1.8) = 94.444444444444444447. Block 1: F = 80, market 80, each feed decides a round at "
    "80 (20 % > 1 %), visible at once: oracle 80. L2: (2, 170) is a candidate (key >= 80), health "
    "floor(160*0.9) - 170 = 144 - 170 = -26 < 0; the liquidator cannot send a transaction (gas 1 > 0.5): "
    "nobody could, so it is skipped for gas (skipped_gas 1). L1: (1, 85): 72 - 85 = -13, (1, 75): 72 - 75 "
    "= -3: both skipped for gas (2). Block end: L1 liquidatable 2, tvl 2*80 = 160, at risk (risk_band 0: "
    "keys >= 80) both, debt 160, concentration 1 (the top ceil(2/100) = 1 account's size is 1, both "
    "hold 1); L2 liquidatable 1, tvl 160, debt at risk 170, concentration 1; systemic ceil(330/320) = "
    "1.03125; drawdown 0.2. At rest at block 1 (the path settles at block 1, nothing moved: skips are "
    "not moves; both rounds show 80 <= 80). No feed is down or refused (not stale), 3 accounts are "
    "liquidatable (not exhausted), and no liquidator could act (priced out; none unprofitable): "
    "no_liquidators, stop_detail {liquidatable 3, liquidators 1, priced_out 1, out_of_capital 0, "
    "unprofitable 0}. Equilibrium at 80: exogenous drop 20, cascade drop 20, amplification 1. No bad "
    "debt, so the insolvency is the unrealised debt: L1 max(0, 85 - 80) + max(0, 75 - 80) = 5, L2 max(0, "
    "170 - floor(2*80)) = 10, total 15; insolvency 0 + 5, 0 + 10, total 15. Recovery: market = "
    "fundamental, 0 blocks.",
    stop="no_liquidators", blocks=1, equilibrium_price="80", exogenous_drop="20", cascade_drop="20",
    amplification="1", unrealised="15", insolvency="15", bad_debt="0", skipped_gas=3, skipped_unprofitable=0,
    max_systemic_debt_ratio="1.03125", stop_detail=(3, 1, 1, 0, 0), recovery_blocks=0)
assert [(v["unrealised"], v["insolvency"]) for v in cases[-1]["expect"]["venues"]] == [("5", "5"), ("10", "10")]


# (d) Amplification: one liquidation deepens the shock.
def amp_scenario(name, description, resilience):
    sc = perp_scenario(name, description, "100", "0.1", "0.01",
                       [long_at("10", "96"), long_at("10", "90")],
                       path={"kind": "instant", "from": "100", "to": "95", "at": 1}, resilience=resilience)
    return sc


amp = amp_scenario("amplification", "a 5 % shock, one perp long liquidated into a linear market", {"decay": "0"})
assert [a["debt"] for a in amp["venues"][0]["accounts"]] == ["912", "855"]
recv = fl(ce(H(950) * H("0.99")) * (1 + bonus) / 95)
assert recv == H("9.999999999999999999")
quoted = fl(fl(recv * (100 - ce(H("0.1") * recv / 2))) * H("0.95"))
assert quoted == H("945.249999999999999905") and quoted - H("940.5") == H("4.749999999999999905")
assert fl(H(995) * H("0.95")) == H("945.25") and fl(H(95) * 99 / 100) == H("94.05")
rep, after = hand(
    amp,
    "The instantaneous model around a falling fundamental: linear market, anchor 100, lambda 0.1, nothing "
    "sold, decay 0 (impact permanent); the fundamental drops 100 -> 95 at block 1, and the market is "
    "floor(95*P_model/100). Perp venue (margins 0.1/0.05, fee 0.01, whole close-out), instant feed "
    "(deviation 0, heartbeat 1, latency 0), one whole-sizing liquidator with capital 1e9. Longs of 10 at "
    "liquidation prices 96 (A: debt floor(960*0.95) = 912, key 96 + ceil(2e-18/9.5) = "
    "96.000000000000000001) and 90 (B: debt 855, key 90.000000000000000001). Block 1: F = 95, market "
    "floor(95*100/100) = 95 (the shock reaches the market directly), oracle 95. A: health -912 + "
    "950*0.95 = -9.5 < 0. Offer repay_max ceil(950*0.99) = 940.5, bonus 0.010101010101010101, receives "
    "floor(940.5*1.010101010101010101/95) = 9.999999999999999999; quoted sale: model proceeds "
    "floor(9.999999999999999999*(100 - ceil(0.1*9.999999999999999999/2))) = floor(...*99.5) = "
    "994.9999999999999999, scaled by F/A: floor(994.9999999999999999*0.95) = 945.249999999999999905; profit "
    "4.749999999999999905 > 0: acts. Take-over of 10 at 95: notional 950, account quote +floor(950*0.99) = "
    "940.5 (-912 -> 28.5, not bankrupt). Sale of 10: model 10*(100 - ceil(0.1*10/2)) = 995, the seller "
    "gets floor(995*0.95) = 945.25, profit 4.75; P_model 100 - 0.1*10 = 99, market floor(95*99/100) = "
    "94.05. Slippage ceil(10*95/945.25), drawdown 0.0595, gap ceil(0.95/94.05). Block 2: F = 95, market "
    "94.05 (no resilience), oracle 94.05; B's key is below it: quiet; at rest (settled at block 1): "
    "equilibrium block 2, exhausted, stop_detail {0, 1, 0, 0, 1}. Equilibrium price 94.05, fundamental "
    "95: exogenous drop 100 - 95 = 5, cascade drop 100 - 94.05 = 5.95, amplification ceil(5.95/5) = "
    "1.19: the liquidation's sale deepened the 5 % shock by 19 %. Unrealised: B max(0, 855 - "
    "floor(10*94.05)) = 0, A (quote 28.5) 0; insolvency 0. Recovery: |95 - 94.05| = 0.95 > "
    "floor(0.001*95) = 0.095 but decay 0 cannot recover: recovery blocks null.",
    stop="exhausted", blocks=2, equilibrium_block=2, equilibrium_price="94.05", fundamental_price="95",
    exogenous_drop="5", cascade_drop="5.95", amplification="1.19", liquidations=1, liquidator_profit="4.75",
    liquidation_proceeds="945.25", insolvency="0", stop_detail=(0, 1, 0, 0, 1), recovery_blocks=None,
    trace=[("94.05", "0"), ("94.05", "0")])
assert after == [[[0, H("-28.5")], [10, 855]]]

amp_r = amp_scenario("amplification, then recovery", "the same shock and liquidation, resilience half-life 1",
                     {"half_life": 1})
hand(
    amp_r,
    "The amplification case with resilience half-life 1 (rho = 1 - ceil(0.5^1) = 0.5), default band "
    "0.001. Block 1 is the same: no impact to recover yet (P_model = A = 100, step 0), market 95, A "
    "liquidated, its 10 sold: P_model 99, market floor(95*99/100) = 94.05. Block 2: the recovery trade "
    "comes before the feeds look: gap 100 - 99 = 1, step floor(0.5*1) = 0.5, target 99.5, the model buys "
    "back Q 10 -> ceil(0.5/0.1) = 5 (arbitrage 5), P_model 99.5, market floor(95*99.5/100) = 94.525; "
    "oracle 94.525, B not a candidate: quiet, at rest. So the equilibrium is block 2 at 94.525 (the "
    "recovery trade does not count as movement): cascade drop 100 - 94.525 = 5.475, amplification "
    "ceil(5.475/5) = 1.095. Recovery, band floor(0.001*95) = 0.095: block 3: gap 0.5, step 0.25, Q 5 -> "
    "2.5, market floor(95*99.75/100) = 94.7625 (gap to F 0.2375); block 4: step 0.125, Q -> 1.25, market "
    "94.88125 (0.11875); block 5: step 0.0625, Q -> 0.625, market floor(95*99.9375/100) = 94.940625: "
    "|95 - 94.940625| = 0.059375 <= 0.095, recovered after 5 - 2 = 3 blocks.",
    stop="exhausted", blocks=5, equilibrium_block=2, equilibrium_price="94.525", cascade_drop="5.475",
    amplification="1.095", recovery_blocks=3, recovery_market_price="94.940625", recovery_fundamental_price="95",
    trace=[("94.05", "0"), ("94.525", "5"), ("94.7625", "2.5"), ("94.88125", "1.25"), ("94.940625", "0.625")])


# (e) Stale under the new rule: a down feed does not hold the cascade back from rest.
stale_new = scenario(
    "stale, feed down before the drop", "the venue's feed goes down at block 2, the fundamental drops 20 % at block 3",
    {"kind": "instant", "from": "100", "to": "80", "at": 3},
    {"model": "linear", "price": "100", "lambda": "0.1"},
    [lending_venue("L", [("1", "85")], oracle={"deviation": "0.01", "heartbeat": 10, "latency": 0,
                                               "outage_from": 2})],
    [{"name": "ready", "capital": "1000000", "sizing": "whole"}])
hand(
    stale_new,
    "Lending venue (maintenance weight 0.9), one account (1, 85): liquidation price 85/0.9 = 94.44, key "
    "94.444444444444444448. Feed deviation 0.01, heartbeat 10, latency 0, down from block 2; no guards. "
    "One liquidator who could act (no gas ceiling, capital 1e6). Block 0: round at 100. Blocks 1, 2: "
    "F = 100, market 100, no new round (block 2: the feed is down), oracle 100 (still usable: no guard "
    "refuses it); not at rest before the path settles (block 3). Block 3: F = 80, market 80 (no sale, "
    "P_model = A). The feed is down: no round at 80; the venue reads the old round, 100, usable: the "
    "candidates are keys >= 100: none, so nothing is liquidated; the record counts liquidatable at the "
    "usable oracle price 100 (0) and values tvl at it (100); gap |100 - 80|/80 = 0.25, drawdown 0.2. At "
    "rest at block 3: settled, quiet, and the only venue's feed is down (a down feed is not waited "
    "for). Stale: a venue whose feed is down has an account liquidatable at the market price (0.9*80 - "
    "85 = -13 < 0). stop_detail: liquidatable 1 (counted at the market price, the feed being down), 1 "
    "liquidator, not priced out, with capital: unprofitable 1. Exogenous and cascade drops 20, "
    "amplification 1; unrealised max(0, 85 - floor(1*80)) = 5 = insolvency (no bad debt). Recovery: "
    "market = fundamental, 0 blocks.",
    stop="stale", blocks=3, equilibrium_block=3, equilibrium_price="80", amplification="1", unrealised="5",
    insolvency="5", max_oracle_gap="0.25", stop_detail=(1, 1, 0, 0, 1), recovery_blocks=0)
assert [b["venues"][0]["oracle"] for b in cases[-1]["expect"]["blocks"]] == ["100", "100", "100"]
assert cases[-1]["expect"]["blocks"][2]["venues"][0]["liquidatable"] == 0


# (f) A population drawn by loan-to-value (vectors/rng: gen_rng.py, the draw order documented on
# cascade::Population).
_spec = importlib.util.spec_from_file_location("gen_rng", Path(__file__).resolve().parent.parent / "rng" / "gen_rng.py")
gen_rng = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_rng)


def draw_ltv_population(seed, venue, count, size_min, size_max, low, high, price):
    """Population::fill with size_min = size_max (the Pareto draw u1 is made but every size is
    size_max: ⌊size_min·u1^(−1/α)⌋ ≥ size_min), whale_share 0 (u2 made, no whale), and the
    loan-to-value f = low + ⌊(high − low)·u3⌋: debt ⌊c·⌊f·price⌋⌋."""
    assert size_min == size_max
    out, us = [], []
    for i in range(count):
        r = gen_rng.Rng.derive(seed, (1 << 63) | (venue << 32) | i)
        r.open_unit()
        r.unit()
        u3 = F(r.unit(), E)
        f = low + fl((high - low) * u3)
        out.append([size_max, fl(size_max * fl(f * price))])
        us.append(u3)
    return out, us


pop = {"count": 5, "size_min": "1", "size_alpha": "1", "size_max": "1", "ltv_low": "0.5", "ltv_high": "0.85"}
ltv = scenario(
    "LTV population", "five borrowers drawn by loan-to-value, a 20 % drop, no liquidators",
    {"kind": "instant", "from": "100", "to": "80", "at": 1},
    {"model": "linear", "price": "100", "lambda": "0.1"},
    [{**lending_venue("L", []), "population": pop}])
del ltv["venues"][0]["accounts"]
ltv["seed"] = 5
drawn, us = draw_ltv_population(5, 0, 5, H(1), H(1), H("0.5"), H("0.85"), H(100))
debts = [a[1] for a in drawn]
assert [txt(x) for x in debts] == ["81.2875811847127708", "65.818602569026854", "73.8681064946991525",
                                   "61.899347385265756", "77.4356399758719877"], [txt(x) for x in debts]
liq80 = [x for x in debts if x > 72]
under = sum((x - 80 for x in debts if x > 80), F(0))
assert len(liq80) == 3 and under == H("1.2875811847127708")
hand(
    ltv,
    "A venue's accounts drawn by loan-to-value (population ltv_low 0.5, ltv_high 0.85, 5 accounts, sizes "
    "size_min = size_max = 1, whale_share 0), seed 5, start price path(0) = 100. Account i draws from "
    "Rng::derive(5, 2^63 + 0*2^32 + i) (vectors/rng; the draw order of cascade::Population): u1 = "
    "open_unit() for the size (every size is 1: floor(1*u1^(-1)) >= 1, capped at 1), u2 = unit() for "
    "the whale (none at share 0), u3 = unit() for the loan-to-value f = 0.5 + floor(0.35*u3), debt "
    "floor(1*floor(f*100)). Here u3 = " + ", ".join(txt(u) for u in us) + ", so the debts are "
    + ", ".join(txt(x) for x in debts) + " (independent of the venue's weights). Lending weights 0.85/0.9: "
    "at 100 every account is healthy (0.9*100 = 90 > 85 >= debt). The fundamental drops to 80 at block "
    "1, the market (no sale) with it; the feed (deviation 0.01, latency 0) shows 80; no liquidators. "
    "At 80 an account is liquidatable when its debt exceeds 0.9*80 = 72: the first, third and fifth "
    "(81.29, 73.87, 77.44), each skipped for gas (nobody could send a transaction): skipped_gas 3. At "
    "rest at block 1: no_liquidators, stop_detail {3, 0, 0, 0, 0}. Unrealised: only the first is under "
    "water, 81.2875811847127708 - floor(1*80) = 1.2875811847127708 = the insolvency. Amplification 1 "
    "(drops 20 and 20), recovery 0 blocks.",
    population={0: drawn},
    stop="no_liquidators", blocks=1, unrealised="1.2875811847127708", insolvency="1.2875811847127708",
    skipped_gas=3, stop_detail=(3, 0, 0, 0, 0), recovery_blocks=0)


# (g) Bad debt and unrealised together: insolvency = bad debt + unrealised, an unprofitable stop.
deep = perp_scenario("insolvency", "a 10 % shock: one long goes bankrupt in its liquidation, a large one "
                                   "is not worth liquidating", "100", "0.2", "0.01",
                     [("1", "95"), long_at("20", "95")],
                     path={"kind": "instant", "from": "100", "to": "90", "at": 1})
assert deep["venues"][0]["accounts"][1]["debt"] == "1805"
rq = fl(H("89.1") * (1 + bonus) / 90)
assert rq == H("0.999999999999999999")
assert fl(fl(rq * (100 - ce(H("0.2") * rq / 2))) * H("0.9")) - H("89.1") == H("0.80999999999999991")
rb = fl(H(1782) * (1 + bonus) / 90)
assert rb == H("19.999999999999999999") == fl(H("1778.436") * (1 + bonus) / H("89.82"))
qb = fl(fl(rb * (100 - ce(H("0.2") * (2 + rb) / 2))) * H("0.9"))
assert qb == H("1760.399999999999999911") and qb < 1782 and qb < H("1778.436")
hand(
    deep,
    "Linear market anchor 100, lambda 0.2, decay 0; the fundamental drops 100 -> 90 at block 1 (market "
    "floor(90*P_model/100)). Perp (margins 0.1/0.05, fee 0.01), instant feed, one whole-sizing liquidator, "
    "waterfall: insurance 1000. A: long 1, debt 95 (at 100 health floor(100*0.95) - 95 = 0; key 100 + "
    "ceil(2e-18/0.95) = 100.000000000000000003); B: long 20, debt floor(1900*0.95) = 1805 (key "
    "95.000000000000000001). Block 1: market 90, oracle 90. A first: health 85.5 - 95 < 0; offer "
    "ceil(90*0.99) = 89.1, receives floor(89.1*1.010101010101010101/90) = 0.999999999999999999, quoted "
    "floor(floor(0.999999999999999999*(100 - ceil(0.2*0.999999999999999999/2)))*0.9) = "
    "floor(99.8999999999999999*0.9) = 89.90999999999999991: profit 0.80999999999999991, acts. Take-over "
    "at 90: quote -95 + floor(90*0.99) = -5.9 with no base: bankrupt, settled at once, bad debt 5.9 to "
    "the insurance fund. Sale of 1: model 99.9, the seller gets floor(99.9*0.9) = 89.91; P_model 99.8, "
    "market floor(90*99.8/100) = 89.82. B: health floor(1800*0.95) - 1805 = -95 < 0; offer "
    "ceil(1800*0.99) = 1782, receives 19.999999999999999999, its sale from Q = 1 quoted "
    "floor(floor(19.999999999999999999*(100 - ceil(0.2*21.999999999999999999/2)))*0.9) = "
    "floor(1955.999999999999999902*0.9) = 1760.399999999999999911 < 1782: unprofitable, skipped "
    "(skipped_unprofitable 1). Block 2: oracle 89.82, B: offer ceil(1796.4*0.99) = 1778.436, the same "
    "receives and quote 1760.399999999999999911 < 1778.436: skipped again; nothing moved: at rest, the "
    "equilibrium at block 2, unprofitable (B liquidatable, the liquidator could act): stop_detail {1, 1, "
    "0, 0, 1}. Exogenous drop 10, cascade drop 100 - 89.82 = 10.18, amplification ceil(10.18/10) = "
    "1.018. Bad debt 5.9; unrealised B: 1805 - floor(20*89.82) = 1805 - 1796.4 = 8.6; insolvency 5.9 + "
    "8.6 = 14.5 (per venue and in total). Recovery: decay 0, blocks null.",
    stop="unprofitable", blocks=2, equilibrium_price="89.82", amplification="1.018", bad_debt="5.9",
    unrealised="8.6", insolvency="14.5", skipped_unprofitable=2, liquidations=1,
    stop_detail=(1, 1, 0, 0, 1), recovery_blocks=None)
assert cases[-1]["expect"]["venues"][0]["insolvency"] == "14.5"

# (g2) Two losses socialised: the run's haircut is what the lenders lost of their deposits at
# the start (Σ socialized / lender_deposits, rounded up), not the largest single haircut.
twice = perp_scenario("socialised twice", "a 10 % shock: two longs go bankrupt in their liquidations, "
                                          "no insurance: both losses socialised", "100", "0.2", "0.01",
                      [("1", "95"), ("1", "95")],
                      path={"kind": "instant", "from": "100", "to": "90", "at": 1})
twice["venues"][0]["waterfall"] = {"lender_deposits": "100"}
rq2 = fl(H("89.1") * (1 + bonus) / 90)                   # the second offer receives the same
assert fl(fl(rq2 * (100 - ce(H("0.2") * (2 + rq2) / 2))) * H("0.9")) - H("89.1") > 0
rep2, _ = hand(
    twice,
    "Linear market anchor 100, lambda 0.2, decay 0; the fundamental drops 100 -> 90 at block 1. Perp "
    "(margins 0.1/0.05, fee 0.01), instant feed, one whole-sizing liquidator; waterfall: no insurance, "
    "lender deposits 100. A and B: long 1, debt 95. Block 1, oracle 90: A as in the insolvency case "
    "(offer 89.1, receives 0.999999999999999999, quoted 89.90999999999999991: acts; quote -95 + "
    "floor(90*0.99) = -5.9 with no base: bankrupt, 5.9 socialised over the 100 deposited, that "
    "bankruptcy's own haircut ceil(5.9/100) = 0.059; deposits left 94.1). B: its sale from Q = 1 quoted "
    "floor(floor(0.999999999999999999*(100 - ceil(0.2*2.999999999999999999/2)))*0.9) = "
    "floor(99.6999999999999999*0.9) = 89.72999999999999991 > 89.1: acts; bankrupt, 5.9 socialised, its "
    "own haircut ceil(5.9/94.1) = 0.062699256110520723. The venue's (the run's) haircut: the lenders "
    "lost 11.8 of the 100 they deposited, ceil(11.8/100) = 0.118 (the largest single haircut, "
    "0.062699256110520723, would say they lost 6.3 %).",
    bad_debt="11.8", liquidations=2)
wf2 = rep2["venues"][0]["ledger"]["waterfall"]
assert (wf2["socialized"], wf2["haircut"], wf2["insurance"]) == ("11.8", "0.118", "0"), wf2


# The block limit: the λk = 1 ladder stopped after 3 blocks.
lim = perp_scenario("block limit", "the lambda k = 1 ladder, stopped at 3 blocks", "99.75", "0.1", "0.04",
                    ladder(10, "99.9", "0.1"), max_blocks=3)
hand(
    lim,
    "The runaway ladder (10 longs of 1 at 99.9 ... 99.0, linear market 99.75, lambda 0.1, decay 0) with "
    "max_blocks 3: blocks 1-3 liquidate 2 each at oracles 99.75, 99.55, 99.35, the market ends at 99.75 - "
    "0.1*6 = 99.15; it never came to rest: block_limit, every figure at block 3 (equilibrium_block 3, "
    "price 99.15, cascade drop 0.6). stop_detail counted at block 3: at the oracle price 99.35 the four "
    "longs left (liquidation prices 99.3 ... 99.0) are not liquidatable: 0; 1 liquidator that could act. "
    "Recovery: null (no equilibrium).",
    stop="block_limit", blocks=3, equilibrium_block=3, equilibrium_price="99.15", liquidations=6,
    stop_detail=(0, 1, 0, 0, 1), recovery_none=None)


def err(what, note, mutate):
    s = copy.deepcopy(BASE)
    mutate(s)
    cases.append({"op": "cascade", "input": s, "expect": {"error": {"kind": "invalid", "what": what}},
                  "note": note})


def setter(path, value):
    def f(s):
        cur = s
        for p in path[:-1]:
            cur = cur[p]
        cur[path[-1]] = value
    return f


def deleter(path):
    def f(s):
        cur = s
        for p in path[:-1]:
            cur = cur[p]
        del cur[path[-1]]
    return f


V = ["venues", 0]
err("nope", "an unknown top-level key", setter(["nope"], 1))
err("max_blocks", "max_blocks missing", deleter(["max_blocks"]))
err("max_blocks", "max_blocks 0", setter(["max_blocks"], 0))
err("max_blocks", "max_blocks above 10,000,000", setter(["max_blocks"], 10000001))
err("max_blocks", "max_blocks as a string", setter(["max_blocks"], "5"))
err("seed", "a negative seed", setter(["seed"], -1))
err("name", "a name that is not a string", setter(["name"], 3))
err("path.kind", "an unknown path kind", setter(["path", "kind"], "zigzag"))
err("path.price", "a zero constant price", setter(["path", "price"], "0"))
err("path.price", "a price with 19 fractional digits", setter(["path", "price"], "1.0000000000000000001"))
err("path.blocks", "a linear path of 0 blocks",
    setter(["path"], {"kind": "linear", "from": "100", "to": "90", "start": 1, "blocks": 0}))
err("path.at", "an instant path without at", setter(["path"], {"kind": "instant", "from": "100", "to": "90"}))
err("path.prices", "an empty listed path", setter(["path"], {"kind": "listed", "prices": []}))
err("path.prices[1]", "a negative listed price", setter(["path"], {"kind": "listed", "prices": ["100", "-1"]}))
err("path.step", "an unknown key of a path", setter(["path"], {"kind": "constant", "price": "100", "step": "1"}))
err("gas.base", "a zero base gas price", setter(["gas", "base"], "0"))
err("gas.spike.blocks", "a spike of 0 blocks", setter(["gas", "spike"], {"start": 1, "blocks": 0, "price": "2"}))
err("gas.spike.price", "a spike at price 0", setter(["gas", "spike"], {"start": 1, "blocks": 2, "price": "0"}))
err("block_gas", "negative block gas", setter(["block_gas"], "-1"))
err("volatility", "negative volatility", setter(["volatility"], "-0.1"))
err("risk_band", "a risk band above 1", setter(["risk_band"], "1.5"))
err("arbitrage.capacity", "negative arbitrage capacity", setter(["arbitrage"], {"capacity": "-1"}))
err("arbitrage.volume", "an unknown arbitrage key", setter(["arbitrage"], {"capacity": "1", "volume": "1"}))
err("behaviour.panic", "behaviour shares summing above 1",
    setter(["behaviour"], {"top_up": "0.5", "deleverage": "0.3", "panic": "0.3"}))
err("behaviour.watch_band", "a watch band above 1", setter(["behaviour"], {"watch_band": "2"}))
err("market.base", "a pool without base", setter(["market"], {"model": "constant_product", "base": "0", "quote": "1"}))
err("market.sold", "a linear market sold past its depth (Q_max = floor(100/0.1) = 1000)",
    setter(["market"], {"model": "linear", "price": "100", "lambda": "0.1", "sold": "1000.000000000000000001"}))
R = ["market", "resilience"]
err("market.resilience", "a resilience that is not an object", setter(R, 10))
err("market.resilience.decay", "both half_life and decay (exactly one of the two; both name decay)",
    setter(R, {"half_life": 10, "decay": "0.1"}))
err("market.resilience.decay", "neither half_life nor decay (names decay)", setter(R, {"band": "0.01"}))
err("market.resilience.half_life", "a half-life of 0 blocks", setter(R, {"half_life": 0}))
err("market.resilience.half_life", "a half-life as a string", setter(R, {"half_life": "10"}))
err("market.resilience.decay", "a decay above 1", setter(R, {"decay": "1.5"}))
err("market.resilience.decay", "a negative decay", setter(R, {"decay": "-0.1"}))
err("market.resilience.band", "a negative band", setter(R, {"decay": "0.1", "band": "-0.1"}))
err("market.resilience.band", "a band above 1", setter(R, {"half_life": 5, "band": "1.5"}))
err("market.resilience.speed", "an unknown resilience key", setter(R, {"half_life": 5, "speed": "1"}))
err("venues", "no venue", setter(["venues"], []))
err("venues", "five venues", lambda s: s.__setitem__("venues", [copy.deepcopy(s["venues"][0]) for _ in range(5)]))
err("venues[0].kind", "an unknown venue kind", setter(V + ["kind"], "auction_house"))
err("venues[0].market", "a lending venue with a perp market", setter(V + ["market"], {}))
err("venues[0].collateral.price", "a venue token with a price (venues take none)",
    setter(V + ["collateral", "price"], "100"))
err("venues[0].collateral.maint_asset_weight", "a maintenance asset weight above 1",
    setter(V + ["collateral", "maint_asset_weight"], "1.1"))
err("venues[0].liquidation.target", "an unknown target", setter(V + ["liquidation"], {"target": "best"}))
err("venues[0].liquidation.close_factor.normal", "a close factor of 0",
    setter(V + ["liquidation"], {"close_factor": {"normal": "0"}}))
err("venues[0].oracle.latency", "a latency as a string", setter(V + ["oracle", "latency"], "1"))
err("venues[0].oracle.heartbeat", "a heartbeat of 0", setter(V + ["oracle", "heartbeat"], 0))
err("venues[0].oracle.deviation", "a negative deviation", setter(V + ["oracle", "deviation"], "-0.01"))
err("venues[0].oracle.twap_window", "a guard the venue oracle does not take", setter(V + ["oracle", "twap_window"], 2))
err("venues[0].waterfall.insurance_fund", "a negative insurance fund",
    setter(V + ["waterfall"], {"insurance_fund": "-1"}))
err("venues[0].accounts", "neither accounts nor population", deleter(V + ["accounts"]))
err("venues[0].accounts", "both accounts and population",
    setter(V + ["population"], {"count": 1, "size_min": "1", "size_alpha": "1", "size_max": "1",
                                "liq_low": "0.5", "liq_high": "0.6"}))
err("venues[0].accounts[0].debt", "a negative debt", setter(V + ["accounts"], [{"collateral": "1", "debt": "-1"}]))
err("venues[0].accounts[0].behaviour", "an unknown behaviour",
    setter(V + ["accounts"], [{"collateral": "1", "debt": "1", "behaviour": "yolo"}]))


def population(**over):
    p = {"count": 10, "size_min": "1", "size_alpha": "1.5", "size_max": "10", "liq_low": "0.5", "liq_high": "0.9"}
    p.update(over)
    p = {k: v for k, v in p.items() if v is not None}

    def f(s):
        del s["venues"][0]["accounts"]
        s["venues"][0]["population"] = p
    return f


def population_ltv(**over):
    base = {"liq_low": None, "liq_high": None, "ltv_low": "0.5", "ltv_high": "0.8"}
    base.update(over)
    return population(**base)


err("venues[0].population.count", "more than 10,000,000 accounts", population(count=10000001))
err("venues[0].population.liq_high", "liq_high of 1", population(liq_high="1"))
err("venues[0].population.size_max", "size_max below size_min", population(size_max="0.5"))
err("venues[0].population.whale_factor", "a whale factor below 1", population(whale_factor="0.5"))
err("venues[0].population.ltv_low", "both leverage pairs (liq_low/liq_high and ltv_low/ltv_high)",
    population(ltv_low="0.5", ltv_high="0.8"))
err("venues[0].population.ltv_high", "ltv_low without ltv_high", population_ltv(ltv_high=None))
err("venues[0].population.ltv_low", "ltv_high without ltv_low", population_ltv(ltv_low=None))
err("venues[0].population.ltv_low", "a loan-to-value of 1", population_ltv(ltv_low="1"))
err("venues[0].population.ltv_low", "a loan-to-value of 0", population_ltv(ltv_low="0"))
err("venues[0].population.ltv_high", "ltv_high below ltv_low", population_ltv(ltv_low="0.6", ltv_high="0.5"))
err("venues[0].population.ltv_high", "ltv_high of 1", population_ltv(ltv_high="1"))
err("venues[0].population.liq_high", "liq_low without liq_high", population(liq_high=None))
err("liquidators[0].capital", "a liquidator without capital", setter(["liquidators"], [{"name": "a"}]))
err("liquidators[0].priority_fee", "a negative priority fee",
    setter(["liquidators"], [{"capital": "1", "priority_fee": "-1"}]))
err("liquidators[0].max_gas_price", "a zero gas ceiling",
    setter(["liquidators"], [{"capital": "1", "max_gas_price": "0"}]))
err("liquidators[0].bribe", "an unknown liquidator key", setter(["liquidators"], [{"capital": "1", "bribe": "1"}]))
err("liquidators[0].sizing", "an unknown sizing", setter(["liquidators"], [{"capital": "1", "sizing": "greedy"}]))
err("liquidators[0].sizing", "a sizing that is not a string", setter(["liquidators"], [{"capital": "1", "sizing": 1}]))
err("liquidators", "65 liquidators", setter(["liquidators"], [{"capital": "1"}] * 65))

out = Path(__file__).with_name("cascade.jsonl")
with out.open("w") as fh:
    for c in cases:
        fh.write(json.dumps(c, separators=(",", ":")) + "\n")
print(f"{len(cases)} cases -> {out}")
