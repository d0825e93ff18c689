#!/usr/bin/env python3
"""Independent generator of vectors/risk/liquidator_decision.jsonl.

Implements the wire spec vectors/README.md §8.5 (and, for the market, the
shared vectors/README.md §8.3) with exact rationals (fractions.Fraction), explicit
floor/ceil to the 1e-18 grid and integer square roots (math.isqrt on scaled integers).
Nothing is taken from the Rust code: the search for the best repay is a plain bisection
over the integer grid, not the crate's galloping search.

    python3 gen_liquidator_decision.py > liquidator_decision.jsonl
    python3 gen_liquidator_decision.py --explain   # intermediate values, for the notes
"""
import json
import math
import sys
from fractions import Fraction as F

S = 10**18
EPS = F(1, S)
MAX = F(2**127 - 1, S)
MIN = F(-(2**127), S)


class Err(Exception):
    def __init__(self, kind, what=None):
        super().__init__(kind, what)
        self.kind, self.what = kind, what


def fmt(x):
    raw = x * S
    assert raw.denominator == 1, x
    n = raw.numerator
    sign = "-" if n < 0 else ""
    i, f = divmod(abs(n), S)
    return f"{sign}{i}" if f == 0 else f"{sign}{i}." + f"{f:018d}".rstrip("0")


def fit(x):
    if x > MAX or x < MIN:
        raise Err("overflow")
    return x


def floor(x):
    return fit(F(math.floor(x * S), S))


def ceil(x):
    return fit(F(math.ceil(x * S), S))


def sqrt_dn(x):
    """⌊√x⌋ on the grid, x >= 0 on the grid: √(raw·1e18) is the raw root."""
    return F(math.isqrt((x * S).numerator * S), S)


def sqrt_up(x):
    n = (x * S).numerator * S
    r = math.isqrt(n)
    return F(r if r * r == n else r + 1, S)


def h_up(x):
    """|x|^(3/2) rounded up to the grid: (raw_result)^2 = raw^3 / 1e18."""
    n = abs((x * S).numerator)
    num = n**3
    r = math.isqrt(num // S)
    if r * r * S != num:
        r += 1
    return fit(F(r, S))


# --- reading the input (order of checks as in the spec) ------------------------------------


def parse_decimal(v, what):
    """A JSON string with an exact decimal, at most 18 fractional digits, in range."""
    if not isinstance(v, str):
        raise Err("invalid", what)
    t = v
    neg = t.startswith("-")
    if neg:
        t = t[1:]
    ip, dot, fp = t.partition(".")
    if not ip.isdigit() or (dot and not fp.isdigit()) or len(fp) > 18:
        raise Err("invalid", what)
    x = F(int(ip + fp.ljust(18, "0")), S)
    x = -x if neg else x
    if x > MAX or x < MIN:
        raise Err("invalid", what)
    return x


class Obj:
    def __init__(self, m, path):
        self.m, self.path = m, path

    def name(self, k):
        return f"{self.path}.{k}" if self.path else k

    def strict(self, keys):
        for k in self.m:
            if k not in keys:
                raise Err("invalid", self.name(k))

    def dec(self, k, default=None):
        if k not in self.m:
            if default is None:
                raise Err("invalid", self.name(k))
            return default
        return parse_decimal(self.m[k], self.name(k))

    def count(self, k, default):
        if k not in self.m:
            return default
        v = self.m[k]
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 2**32 - 1:
            raise Err("invalid", self.name(k))
        return v

    def obj(self, k, optional=False):
        if k not in self.m and optional:
            return None
        v = self.m.get(k)
        if not isinstance(v, dict):
            raise Err("invalid", self.name(k))
        return Obj(v, self.name(k))


def read_opportunity(o):
    o.strict(["repay_max", "liab_price", "coll_price", "bonus", "protocol_fee_share"])
    r = {
        "repay_max": o.dec("repay_max"),
        "liab_price": o.dec("liab_price"),
        "coll_price": o.dec("coll_price"),
        "bonus": o.dec("bonus", F(0)),
        "protocol_fee_share": o.dec("protocol_fee_share", F(0)),
    }
    if r["repay_max"] < 0:
        raise Err("invalid", o.name("repay_max"))
    if r["liab_price"] <= 0:
        raise Err("invalid", o.name("liab_price"))
    if r["coll_price"] <= 0:
        raise Err("invalid", o.name("coll_price"))
    if not 0 <= r["bonus"] < 1:
        raise Err("invalid", o.name("bonus"))
    if not 0 <= r["protocol_fee_share"] <= 1:
        raise Err("invalid", o.name("protocol_fee_share"))
    return r


def read_profile(o):
    o.strict(["capital", "gas_per_liquidation", "min_profit", "latency", "risk_factor"])
    r = {
        "capital": o.dec("capital"),
        "gas_per_liquidation": o.dec("gas_per_liquidation", F(0)),
        "min_profit": o.dec("min_profit", F(0)),
        "latency": o.count("latency", 0),
        "risk_factor": o.dec("risk_factor", F(0)),
    }
    for k in ("capital", "gas_per_liquidation", "min_profit", "risk_factor"):
        if r[k] < 0:
            raise Err("invalid", o.name(k))
    return r


def read_environment(root):
    o = root.obj("environment", optional=True)
    if o is None:
        return {"gas_price": F(0), "volatility": F(0)}
    o.strict(["gas_price", "volatility"])
    r = {"gas_price": o.dec("gas_price", F(0)), "volatility": o.dec("volatility", F(0))}
    for k in ("gas_price", "volatility"):
        if r[k] < 0:
            raise Err("invalid", o.name(k))
    return r


# --- markets: price, sell from the initial state (Q = 0), sellable_above -------------------


class ConstantProduct:
    def __init__(self, o):
        o.strict(["model", "base", "quote", "fee"])
        self.x, self.y, self.fee = o.dec("base"), o.dec("quote"), o.dec("fee", F(0))
        if self.x <= 0:
            raise Err("invalid", "market.base")
        if self.y <= 0:
            raise Err("invalid", "market.quote")
        if not 0 <= self.fee < 1:
            raise Err("invalid", "market.fee")
        self.g = 1 - self.fee
        self.price()

    def price(self):
        return floor(self.y / self.x)

    def sell(self, q):
        if q == 0:
            return q, F(0), self.price()
        d = floor(q * self.g)
        dy = floor(self.y * d / (self.x + d))
        return q, dy, floor((self.y - dy) / fit(self.x + q))

    def sellable_above(self, p):
        ratio = floor(self.g * self.price() / p)
        if ratio > MAX:
            # past the Wad range: floor(sqrt(floor(g*P))) / ceil(sqrt(p)), rounded down
            root = floor(sqrt_dn(floor(self.g * self.price())) / sqrt_up(p))
        else:
            root = sqrt_dn(ratio)
        if root <= 1:
            return F(0)
        q = floor(floor(self.x * (root - 1)) / self.g)
        return MAX if floor(self.x * (root - 1)) > MAX or q > MAX else q


class OrderBook:
    def __init__(self, o):
        o.strict(["model", "bids", "asks"])
        sides = {}
        for key in ("bids", "asks"):
            items = o.m.get(key)
            if not isinstance(items, list):
                raise Err("invalid", f"market.{key}")
            levels = []
            for i, lv in enumerate(items):
                if not isinstance(lv, dict):
                    raise Err("invalid", f"market.{key}[{i}]")
                lo = Obj(lv, f"market.{key}[{i}]")
                lo.strict(["price", "qty"])
                p, q = lo.dec("price"), lo.dec("qty")
                if p <= 0:
                    raise Err("invalid", lo.name("price"))
                if q <= 0:
                    raise Err("invalid", lo.name("qty"))
                levels.append((p, q))
            sides[key] = levels
        bids, asks = sides["bids"], sides["asks"]
        if not bids and not asks:
            raise Err("invalid", "market.bids")
        if any(a[0] <= b[0] for a, b in zip(bids, bids[1:])):
            raise Err("invalid", "market.bids")
        if any(a[0] >= b[0] for a, b in zip(asks, asks[1:])):
            raise Err("invalid", "market.asks")
        if bids and asks and bids[0][0] >= asks[0][0]:
            raise Err("invalid", "market.asks")
        if len(bids) > 32:
            raise Err("capacity", "market.bids")
        if len(asks) > 32:
            raise Err("capacity", "market.asks")
        self.bids, self.asks = bids, asks

    @staticmethod
    def mid(bid, ask):
        if bid is not None and ask is not None:
            return bid + floor((ask - bid) / 2)
        if bid is not None:
            return bid
        return ask if ask is not None else F(0)

    def price(self):
        best = lambda s: s[0][0] if s else None
        return self.mid(best(self.bids), best(self.asks))

    def sell(self, q):
        left, proceeds, i = q, F(0), 0
        while left > 0 and i < len(self.bids):
            p, lq = self.bids[i]
            take = min(left, lq)
            proceeds = fit(proceeds + floor(take * p))
            left -= take
            if take == lq:
                i += 1
        nb = self.bids[i][0] if i < len(self.bids) else None
        return q - left, proceeds, self.mid(nb, self.asks[0][0] if self.asks else None)

    def sellable_above(self, p):
        return fit(sum((q for lp, q in self.bids if lp >= p), F(0)))


class Linear:
    def __init__(self, o):
        o.strict(["model", "price", "lambda"])
        self.p0, self.lam = o.dec("price"), o.dec("lambda")
        if self.p0 <= 0:
            raise Err("invalid", "market.price")
        if self.lam <= 0:
            raise Err("invalid", "market.lambda")
        qm = self.p0 / self.lam
        self.qmax = MAX if qm > MAX else floor(qm)

    def price(self):
        return self.p0

    def sell(self, q):
        if q == 0:
            return q, F(0), self.p0
        f = min(q, self.qmax)
        proceeds = max(F(0), floor(f * (self.p0 - ceil(self.lam * f / 2))))
        return f, proceeds, max(F(0), self.p0 - ceil(self.lam * f))

    def sellable_above(self, p):
        level = (self.p0 - p) / self.lam  # Q* = (p0 - p)/λ, minus Q = 0 sold
        if level > MAX:
            return self.qmax
        if level < MIN:
            return F(0)
        return min(max(floor(level), F(0)), self.qmax)


class SquareRoot:
    def __init__(self, o):
        o.strict(["model", "price", "y", "sigma", "volume"])
        self.p0 = o.dec("price")
        y, sg, V = o.dec("y"), o.dec("sigma"), o.dec("volume")
        for v, k in ((self.p0, "price"), (y, "y"), (sg, "sigma"), (V, "volume")):
            if v <= 0:
                raise Err("invalid", f"market.{k}")
        ys_up = ceil(y * sg)
        r_dn = sqrt_dn(V)
        self.k_up = ceil(2 * ys_up / (3 * r_dn))
        self.c_up = ceil(ys_up / r_dn)
        qm = V / ceil(ys_up * ys_up)
        self.qmax = MAX if qm > MAX else floor(qm)

    def price(self):
        return self.p0

    def sell(self, q):
        if q == 0:
            return q, F(0), self.p0
        f = min(q, self.qmax)
        b = max(F(0), f - ceil(self.k_up * h_up(f)))
        after = floor(self.p0 * max(F(0), 1 - ceil(self.c_up * sqrt_up(f))))
        return f, floor(self.p0 * b), after

    def sellable_above(self, p):
        ratio = ceil(p / self.p0)
        if ratio > 1:
            return F(0)  # nothing was bought (Q = 0): the price is already below p
        reach = floor((1 - ratio) / self.c_up)
        t = reach * reach
        q = MAX if t > MAX else floor(t)
        return min(q, self.qmax)


MODELS = {"constant_product": ConstantProduct, "order_book": OrderBook, "linear": Linear,
          "square_root": SquareRoot}


def read_market(root):
    o = root.obj("market")
    model = o.m.get("model")
    if not isinstance(model, str) or model not in MODELS:
        raise Err("invalid", "market.model")
    return MODELS[model](o)


# --- the decision -----------------------------------------------------------------------------


def decide(inp, explain=None):
    for k in inp:
        if k not in ("opportunity", "profile", "environment", "market"):
            raise Err("invalid", k)
    root = Obj(inp, "")
    opp = read_opportunity(root.obj("opportunity"))
    prof = read_profile(root.obj("profile"))
    env = read_environment(root)
    market = read_market(root)
    pl, pc, b, s = opp["liab_price"], opp["coll_price"], opp["bonus"], opp["protocol_fee_share"]

    def receives(r):
        rv = floor(r * pl)
        seize = floor(rv * (1 + b) / pc)
        bonus = seize - floor(rv / pc)
        return seize - ceil(bonus * s)

    rho = ceil(ceil(prof["risk_factor"] * env["volatility"]) * sqrt_up(F(prof["latency"])))
    gas = ceil(prof["gas_per_liquidation"] * env["gas_price"])

    def evaluate(r):
        rec = receives(r)
        sold, proceeds, after = market.sell(rec)
        cost = ceil(r * pl)
        risk = ceil(ceil(rec * pc) * rho)
        profit = fit(fit(fit(proceeds - cost) - gas) - risk)
        return {"repay": r, "receives": rec, "sold": sold, "unsold": rec - sold,
                "proceeds": proceeds, "price_after": after, "cost": cost, "risk": risk,
                "profit": profit}

    affordable = prof["capital"] / pl
    affordable = MAX if affordable > MAX else floor(affordable)
    cap = min(opp["repay_max"], affordable)
    info = {"rho": rho, "gas": gas, "cap": cap}
    if opp["repay_max"] == 0 or cap == 0:
        reason = "nothing_to_liquidate" if opp["repay_max"] == 0 else "no_capital"
        chosen = evaluate(F(0))
    else:
        per_unit = 1 + floor(b * (1 - s))
        p_stop = ceil(pc / per_unit) + ceil(pc * rho)
        absorbable = market.sellable_above(p_stop)
        info.update(per_unit=per_unit, p_stop=p_stop, absorbable=absorbable)
        if receives(cap) <= absorbable:
            best = cap
        else:
            lo, hi = 0, (cap * S).numerator  # receives(lo) <= A < receives(hi), raw units
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if receives(F(mid, S)) <= absorbable:
                    lo = mid
                else:
                    hi = mid
            best = F(lo, S)
        if best != 0 and receives(best) == 0:
            best = F(0)  # a repay whose collateral rounds to nothing buys nothing
        chosen = evaluate(best)
        if best < cap:
            at_cap = evaluate(cap)
            info["profit_at_cap"] = at_cap["profit"]
            if at_cap["profit"] > chosen["profit"]:
                chosen = at_cap
        if chosen["profit"] <= 0:
            reason = "unprofitable"
        elif chosen["profit"] < prof["min_profit"]:
            reason = "below_min_profit"
        else:
            reason = "act"
    if explain is not None:
        explain.update({k: fmt(v) for k, v in info.items()})
    out = {"act": reason == "act", "reason": reason}
    for k in ("repay", "receives", "sold", "unsold", "proceeds", "price_after", "cost"):
        out[k] = fmt(chosen[k])
    out["gas"] = fmt(gas)
    out["risk"] = fmt(chosen["risk"])
    out["profit"] = fmt(chosen["profit"])
    return out


# --- the cases --------------------------------------------------------------------------------

CASES = []


def case(inp, note):
    try:
        expect = decide(inp)
    except Err as e:
        expect = {"error": {"kind": e.kind}}
        if e.what is not None:
            expect["error"]["what"] = e.what
    CASES.append({"op": "liquidator_decision", "input": inp, "expect": expect, "note": note})


def opp(repay_max="5000", liab_price="1", coll_price="100", bonus="0.1", share=None, **extra):
    o = {"repay_max": repay_max, "liab_price": liab_price, "coll_price": coll_price}
    if bonus is not None:
        o["bonus"] = bonus
    if share is not None:
        o["protocol_fee_share"] = share
    o.update(extra)
    return o


def prof(capital="1000000", **extra):
    p = {"capital": capital}
    p.update(extra)
    return p


def cp(base="1000", quote="100000", fee=None):
    m = {"model": "constant_product", "base": base, "quote": quote}
    if fee is not None:
        m["fee"] = fee
    return m


def lv(*pairs):
    return [{"price": p, "qty": q} for p, q in pairs]


def inp(o=None, p=None, m=None, env=None):
    d = {"opportunity": o if o is not None else opp(), "profile": p if p is not None else prof()}
    if env is not None:
        d["environment"] = env
    d["market"] = m if m is not None else cp()
    return d


BOOK = {"model": "order_book", "bids": lv(("99", "1"), ("98", "2"), ("95", "5"), ("90", "10")),
        "asks": lv(("101", "1"))}
LIN = {"model": "linear", "price": "100", "lambda": "0.5"}
SQ = {"model": "square_root", "price": "100", "y": "1", "sigma": "0.5", "volume": "10000"}
STOP = "p_stop = ceil(100/1.1) = 90.909090909090909091"

# --- constant product ---
case(inp(), "CP x=1000 y=100000 (price 100), Pl=1 Pc=100 b=0.1: " + STOP + "; closed form q* = x(sqrt(gP/p_stop)-1)/g "
     "with g=1: ratio floor(100/90.909090909090909091) = 1.099999999999999999, floor sqrt = 1.048808848170151546, "
     "q* = 48.808848170151546 (exact sqrt(1.1)-1 = 0.0488088481701515469...); receives(5000)=55 > q*: the largest r with "
     "floor(r*1.1/100) <= q* is floor((q*+1e-18)*100/1.1) = 4437.168015468322363727; proceeds floor(100000*q*/(1000+q*)) "
     "= 4653.74107544076836519; profit 4653.74107544076836519 - 4437.168015468322363727 = 216.573059972446001463 (at the "
     "cap 5000: 100000*55/1055 - 5000 = 213.27 < 216.57); act")
case(inp(p=prof("500")), "capital binds: cap = min(5000, floor(500/1)) = 500, receives floor(500*1.1/100) = 5.5 <= q* 48.8: "
     "repay the cap; proceeds floor(100000*5.5/1005.5) = 546.991546494281452...; profit 46.99...")
case(inp(o=opp("1000")), "offer binds: repay_max 1000 -> receives 11 <= 48.8 absorbable: repay 1000; proceeds "
     "floor(100000*11/1011) = 1088.031651829871414441, cost 1000, profit 88.031651829871414441")
case(inp(o=opp(liab_price="2"), p=prof("3000")), "Pl=2: cap = min(5000, floor(3000/2) = 1500); receives(1500) = "
     "floor(3000*1.1/100) = 33 <= 48.8: repay 1500, cost ceil(1500*2) = 3000, proceeds floor(100000*33/1033) = 3194.578896..., profit 194.578...")
case(inp(o=opp(liab_price="2"), p=prof("0.000000000000000001")), "capital 1e-18 at Pl 2: floor(5e-19) = 0 tokens: no_capital, "
     "repay 0, an empty fill at the pool price 100, profit = -gas = 0")
case(inp(p=prof("0")), "no capital: cap 0 -> no_capital; the zero size: profit 0 - 0 - gas(0) - 0 = 0")
case(inp(o=opp("0")), "repay_max 0: nothing_to_liquidate (checked before the capital)")
case(inp(o=opp("0"), p=prof("0", gas_per_liquidation="1000"), env={"gas_price": "0.3"}),
     "repay_max 0 and capital 0: nothing_to_liquidate wins; the zero size still pays gas ceil(1000*0.3) = 300: profit -300")
case(inp(m=cp(fee="0.003")), "fee 0.3%: g = 0.997, ratio = floor(0.997*100/90.909090909090909091) = floor(1.09669999999999999989) "
     "= 1.096699999999999999, q* = floor(floor(1000*(floor sqrt - 1))/0.997) ~ 1000*(sqrt(1.0967)-1)/0.997 = 47.34...")
case(inp(p=prof(gas_per_liquidation="1000"), env={"gas_price": "0.3"}),
     "gas 1000*0.3 = 300 > the best profit 216.573059972446001463 (gas does not move the size): profit -83.426940027553998537, unprofitable")
case(inp(p=prof(gas_per_liquidation="100"), env={"gas_price": "1"}),
     "gas 100: 216.573059972446001463 - 100 = 116.573059972446001463 > 0: act")
case(inp(o=opp("100"), p=prof(gas_per_liquidation="10"), env={"gas_price": "1"}),
     "gas crowds out a small liquidation: repay 100 -> receives 1.1, proceeds floor(100000*1.1/1001.1) = 109.879132953751,"
     " cost 100, before gas 9.879132953750874038; gas 10: profit -0.120867046249125962, unprofitable (the same gas on the 5000 offer acts)")
case(inp(p=prof(min_profit="300")), "min_profit 300 > 216.57 > 0: below_min_profit, act false")
case(inp(p=prof(min_profit="216.573059972446001463")), "min_profit equal to the profit: act (profit >= min_profit)")
case(inp(p=prof(min_profit="216.573059972446001464")), "min_profit one unit above the profit: below_min_profit")
case(inp(o=opp(share="0.5")), "protocol_fee_share 0.5: kept bonus floor(0.1*0.5) = 0.05, p_stop = ceil(100/1.05) = "
     "95.238095238095238096, ratio floor(100/95.238095238095238096) = 1.049999999999999999, q* = 1000*(sqrt(1.05)-1) "
     "~ 24.695; receives(r) = seize - ceil(0.5*bonus) with seize = floor(r*1.1/100): the liquidator keeps less per repay")
case(inp(o=opp(share="1")), "protocol_fee_share 1: kept bonus 0, p_stop = 100 = the pool price, ratio 1, nothing absorbable; "
     "receives(r) = floor(r/100) = 0 up to r = 0.000000000000000099: such a dust repay buys nothing, so repay 0, profit 0: unprofitable")
case(inp(o=opp(bonus=None)), "bonus absent (0): p_stop = 100: as with the whole bonus to the protocol; repay 0 (a dust repay would buy nothing)")
case(inp(p=prof(latency=4, risk_factor="1"), env={"volatility": "0.01"}),
     "execution risk: rho = ceil(ceil(1*0.01)*sqrt(4)) = 0.02; p_stop = 90.909090909090909091 + ceil(100*0.02) = "
     "92.909090909090909091; q* = 1000*(sqrt(100/92.909...)-1) ~ 37.45 (< 48.8): a smaller size; risk = ceil(ceil(receives*100)*0.02)")
case(inp(p=prof(latency=2, risk_factor="1"), env={"volatility": "0.01"}),
     "latency 2: sqrt(2) rounded up = 1.414213562373095049, rho = ceil(0.01*1.414213562373095049) = 0.014142135623730951, "
     "p_stop = 90.909090909090909091 + ceil(100*0.014142135623730951) = 92.323304471464004191")
case(inp(p=prof(latency=9, risk_factor="1"), env={"volatility": "0.01"}),
     "latency 9: rho = 0.01*3 = 0.03, p_stop = 93.909090909090909091: more latency, a smaller repay than latency 4")
case(inp(p=prof(latency=0, risk_factor="1"), env={"volatility": "0.5"}),
     "latency 0: sqrt(0) = 0, no execution risk whatever the volatility: the same as the first case")
case(inp(p=prof(latency=16), env={"volatility": "0.5"}), "risk_factor 0 (default): no risk whatever latency and volatility")
case(inp(p=prof(latency=9, risk_factor="3"), env={"volatility": "0.05"}),
     "rho = ceil(3*0.05)*3 = 0.45: p_stop = 90.909090909090909091 + 45 = 135.909090909090909091 > pool 100: nothing absorbable, "
     "the largest repay absorbed, 0.00000000000000009, receives floor(r*1.1/100) = 0: repay 0, profit 0: unprofitable")
case(inp(m=cp("10", "1000")), "thin pool x=10: q* = 10*(sqrt(1.099999999999999999)-1) = floor(10*0.048808848170151546) = "
     "0.48808848170151546; repay floor((q*+1e-18)*100/1.1) = floor(44.37168015468322363636... + 9.09e-17) = 44.371680154683223727; profit ~ 2.1657")
case(inp(m=cp("10", "1000"), p=prof(gas_per_liquidation="5"), env={"gas_price": "1"}),
     "thin pool with gas 5 > the best profit 2.1657: unprofitable")
case(inp(m=cp("1000", "80000")), "pool priced at 80, below p_stop 90.909: ratio floor(80/90.909...) < 1: nothing absorbable; repay 0 (a dust repay would buy nothing), unprofitable")
case(inp(m=cp("1000", "150000")), "pool at 150: q* = 1000*(sqrt(150/90.909...)-1) ~ 284.5 > receives(5000) = 55: the offer binds, repay 5000")

# --- linear ---
case(inp(m=LIN, o=opp("50000")), "linear p0=100 lambda=0.5: q* = floor((100 - 90.909090909090909091)/0.5) = "
     "floor(18.181818181818181818) = 18.181818181818181818; repay floor((q*+1e-18)*100/1.1) = 1652.892561983471074454; "
     "proceeds floor(q*(100 - ceil(0.5*q*/2))) = floor(18.181818181818181818*95.454545454545454545) = 1735.537190082644628073, profit 82.644628099173553619, price after "
     "100 - ceil(0.5*q*) = 90.909090909090909091")
case(inp(m=LIN, o=opp("1000")), "linear, the offer binds: receives 11 <= 18.18: repay 1000, proceeds 11*(100 - 2.75) = 1069.75, profit 69.75, price after 94.5")
case(inp(m={"model": "linear", "price": "100", "lambda": "5"}),
     "steep linear lambda=5: q* = floor(9.090909090909090909/5) = 1.818181818181818181; depth 20 is far below: the liquidator stops at q*")
case(inp(m={"model": "linear", "price": "1000", "lambda": "0.000000000000000001"}),
     "deep linear lambda=1e-18: (1000 - 90.9)/1e-18 and the depth 1000/1e-18 pass the Wad range: everything is sellable "
     "(the depth left, MAX); receives(5000) = 55 fits: repay 5000, proceeds floor(55*(1000 - ceil(55e-18/2))) = 55000 - 55*2.8e-17 = 54999.99999999999999846")
case(inp(m={"model": "linear", "price": "95", "lambda": "0.01"}, o=opp("5000", share="0.5")),
     "linear with the protocol fee: p_stop 95.238095238095238096 > p0 95: floor of a negative level -> 0 absorbable; repay 0, unprofitable")

# --- square root ---
case(inp(m=SQ, o=opp("50000")), "square root p0=100 y=1 sigma=0.5 V=10000: c_up = ceil(0.5/100) = 0.005; ratio = ceil(p_stop/100) = "
     "0.909090909090909091; reach = floor(0.090909090909090909/0.005) = 18.1818181818181818; q* = floor(reach^2) = "
     "330.578512396694214214 (18.1818181818181818^2 = 330.5785123966942142148...); receives(50000) = 550 > q*: repay floor((q*+1e-18)*100/1.1)")
case(inp(m=SQ), "square root, the offer binds: receives(5000) = 55 <= 330.58: repay 5000; B = 55 - ceil(K_up*ceil(55^1.5)), "
     "K_up = ceil(1/300) = 0.003333333333333334")
case(inp(m={"model": "square_root", "price": "90", "y": "1", "sigma": "0.000000001", "volume": "100000000000000000000"}),
     "deep square-root market priced at 90 below p_stop 90.909: nothing sells above p_stop (c_dn = floor(1e-9/1e10) = 0 "
     "is no division by zero): repay 0, unprofitable")
case(inp(m={"model": "square_root", "price": "100", "y": "1", "sigma": "0.5", "volume": "100"}, o=opp("50000")),
     "shallow square root V=100: c_up = 0.05, reach = floor(0.090909090909090909/0.05) = 1.81818181818181818, q* = floor(reach^2) "
     "= floor(3.30578512396694214214...) = 3.305785123966942142, Q_max = 400")

# --- order book ---
case(inp(m=BOOK), "book bids 99x1, 98x2, 95x5, 90x10: levels at or above p_stop 90.909 hold 1+2+5 = 8; receives(5000) = 55 > 8: "
     "repay = floor((8+1e-18)*100/1.1) = 727.272727272727272818, receives floor(727.272727272727272818*0.011) = 8; "
     "proceeds 99 + 196 + 475 = 770; cost 727.272727272727272818; profit 42.727272727272727182; price after mid(90, 101) = 95.5")
case(inp(m={"model": "order_book", "bids": lv(("99", "1"), ("90.909090909090909091", "2"), ("80", "10")), "asks": []}),
     "a level priced exactly at p_stop is taken (>=): absorbable 3, repay floor((3+1e-18)*100/1.1) = 272.727272727272727363")
case(inp(m={"model": "order_book", "bids": lv(("99", "1"), ("90.90909090909090909", "2"), ("80", "10")), "asks": []}),
     "a level one unit below p_stop is left: absorbable 1, repay floor((1+1e-18)*100/1.1) = 90.909090909090909181")
case(inp(m={"model": "order_book", "bids": lv(("99", "1"), ("98", "2")), "asks": lv(("101", "1"))}),
     "depth exhausted: every bid is above p_stop but the book holds 3 < receives(5000) = 55: the liquidator sizes down to the "
     "depth (repay 272.727272727272727363, receives 3, unsold 0) rather than dump 52 unsold units")
case(inp(m={"model": "order_book", "bids": lv(("1", "8.00000000000000005")), "asks": []},
         o=opp("0.080000000000000001", coll_price="0.01", bonus=None)),
     "depth exhausted at the cap (unsold > 0): Pc=0.01, b=0: receives(r) = floor(r/0.01) = 100r; p_stop = 0.01, the book "
     "absorbs 8.00000000000000005; best = 0.08 (receives 8, proceeds 8, profit 7.92); the cap 0.080000000000000001 receives "
     "8.0000000000000001 of which 8.00000000000000005 sell: proceeds 8.00000000000000005, cost 0.080000000000000001, profit "
     "7.920000000000000049 > 7.92: the cap wins, unsold 5e-17")
case(inp(m={"model": "order_book", "bids": lv(("1", "60000000000000000000")), "asks": []},
         o=opp("170000000000000000000", liab_price="0.3", coll_price="1", bonus="0.5"),
         p=prof("100000000000000000000")),
     "huge offer: capital 1e20/0.3 passes the Wad range (no limit); p_stop = ceil(1/1.5) = 0.666666666666666667, the bid at 1 "
     "absorbs 6e19; largest r with floor(floor(0.3r)*1.5) <= 6e19: r = 133333333333333333333.333333333333333336 "
     "(0.3r = 4e19 + 8e-19), cost ceil(0.3r) = 40000000000000000000.000000000000000001")

# --- errors ---
case({"opportunity": opp(), "profile": prof(), "market": cp(), "gas": "1"}, "unknown top-level key")
case({"profile": prof(), "market": cp()}, "opportunity missing")
case(inp(o="5000"), "opportunity is not an object")
case(inp(o={"liab_price": "1", "coll_price": "100"}), "repay_max missing")
case(inp(o=opp(price="1")), "unknown key in opportunity")
case(inp(o=opp("-1")), "repay_max < 0")
case(inp(o=opp(liab_price="0")), "liab_price must be > 0")
case(inp(o=opp(coll_price="-100")), "coll_price must be > 0")
case(inp(o=opp(bonus="1")), "bonus must be < 1")
case(inp(o=opp(bonus="-0.1")), "bonus must be >= 0")
case(inp(o=opp(share="1.000000000000000001")), "protocol_fee_share must be <= 1")
case(inp(o=opp(5000)), "repay_max as a JSON number: not exact, invalid")
case(inp(o=opp("1.0000000000000000001")), "19 fractional digits: invalid")
case(inp(o=opp("-1", liab_price="x")), "every field is read before any range is checked: the malformed liab_price is named")
case({"opportunity": opp(), "market": cp()}, "profile missing")
case(inp(p={"gas_per_liquidation": "1"}), "capital missing")
case(inp(p=prof("-1")), "capital < 0")
case(inp(p=prof(gas_per_liquidation="-1")), "gas_per_liquidation < 0")
case(inp(p=prof(min_profit="-0.000000000000000001")), "min_profit < 0")
case(inp(p=prof(risk_factor="-1")), "risk_factor < 0")
case(inp(p=prof(latency="4")), "latency is a JSON integer, not a string")
case(inp(p=prof(latency=-1)), "latency < 0")
case(inp(p=prof(latency=4294967296)), "latency past u32")
case(inp(p=prof(speed="1")), "unknown key in profile")
case(inp(env="0.3"), "environment is not an object")
case(inp(env={"gas_price": "-1"}), "gas_price < 0")
case(inp(env={"volatility": "-0.01"}), "volatility < 0")
case(inp(env={"gas": "1"}), "unknown key in environment")
case({"opportunity": opp(), "profile": prof()}, "market missing")
case(inp(m={"model": "amm", "base": "1"}), "unknown model")
case(inp(m=cp(fee="1")), "market.fee must be < 1")
case(inp(m={"model": "order_book", "bids": lv(("100", "1")), "asks": lv(("100", "1"))}), "crossed book")
case(inp(m={"model": "linear", "price": "100", "lambda": "0"}), "market.lambda must be > 0")
case(inp(o=opp(bonus="2"), m={"model": "amm"}), "the opportunity is checked before the market")
case(inp(p=prof(gas_per_liquidation="100000000000000000000"), env={"gas_price": "100"}),
     "gas ceil(1e20*100) does not fit: overflow")
case(inp(o=opp("170000000000000000000", coll_price="1", bonus="0.9"), p=prof("170000000000000000000")),
     "the collateral seized at the cap, floor(1.7e20*1.9/1), does not fit: overflow")


if __name__ == "__main__":
    if "--explain" in sys.argv:
        for c in CASES:
            info = {}
            try:
                decide(c["input"], info)
            except Err:
                pass
            print(c["note"][:60], json.dumps(info), json.dumps(c["expect"]))
    else:
        for c in CASES:
            print(json.dumps(c, separators=(",", ":"), ensure_ascii=False))
