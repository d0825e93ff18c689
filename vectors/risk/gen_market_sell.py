#!/usr/bin/env python3
"""Independent generator of vectors/risk/market_sell.jsonl.

Implements the wire spec of vectors/README.md §8.3 with exact rationals
(fractions.Fraction) and integer square roots: every rounding step of the spec is
done here on exact values, so nothing is taken from the Rust code. Run it from
anywhere: python3 gen_market_sell.py > market_sell.jsonl
"""
import json
import math
from fractions import Fraction as F

S = 10**18
EPS = F(1, S)
MAX = F(2**127 - 1, S)
MIN = F(-(2**127), S)


class Err(Exception):
    def __init__(self, kind, what=None):
        self.kind, self.what = kind, what


def D(text):
    return F(text)


def fmt(x):
    raw = x * S
    assert raw.denominator == 1, x
    n = raw.numerator
    sign = "-" if n < 0 else ""
    n = abs(n)
    i, f = divmod(n, S)
    if f == 0:
        return f"{sign}{i}"
    return f"{sign}{i}." + f"{f:018d}".rstrip("0")


def fit(x):
    if x > MAX or x < MIN:
        raise Err("overflow")
    return x


def floor(x):
    return fit(F(math.floor(x * S), S))


def ceil(x):
    return fit(F(math.ceil(x * S), S))


def sqrt_dn(x):
    return F(math.isqrt((x * S * S).numerator), S)  # x on the grid: x·1e36 is an integer


def sqrt_up(x):
    n = (x * S * S).numerator
    r = math.isqrt(n)
    return F(r if r * r == n else r + 1, S)


def h(x, up):
    """|x|^(3/2) correctly rounded to the grid (down or up)."""
    n = abs((x * S).numerator)  # raw
    num = n**3  # (|x|^(3/2) * 1e18)^2 = n^3 / 1e18
    r = math.isqrt(num // S)
    exact = r * r * S == num
    if up and not exact:
        r += 1
    return fit(F(r, S))


def fill(side, requested, filled, proceeds, before, after):
    if filled == 0:
        avg = F(0)
        slip = F(1)
    else:
        avg = floor(proceeds / filled) if side == "sell" else ceil(proceeds / filled)
        if side == "sell":
            if proceeds == 0:
                raise Err("division_by_zero")
            slip = ceil(filled * before / proceeds)
        else:
            if before == 0:
                raise Err("division_by_zero")
            slip = ceil(avg / before)
    return {
        "filled": fmt(filled),
        "unfilled": fmt(requested - filled),
        "proceeds": fmt(proceeds),
        "avg_price": fmt(avg),
        "price_before": fmt(before),
        "price_after": fmt(after),
        "slippage_multiplier": fmt(slip),
    }


def check_stress(f):
    if f is None:
        return None
    f = D(f)
    if not (0 < f <= 1):
        raise Err("invalid", "stress")
    return f


def check_qty(q):
    q = D(q)
    if q < 0:
        raise Err("invalid", "qty")
    return q


# --- models -----------------------------------------------------------------------------


def constant_product(m, side, qty, stress):
    x, y = D(m["base"]), D(m["quote"])
    fee = D(m.get("fee", "0"))
    if x <= 0:
        raise Err("invalid", "market.base")
    if y <= 0:
        raise Err("invalid", "market.quote")
    if not (0 <= fee < 1):
        raise Err("invalid", "market.fee")
    floor(y / x)
    qty = check_qty(qty)
    f = check_stress(stress)
    if f is not None:
        y2 = floor(y * f)
        if y2 <= 0:
            raise Err("invalid", "stress")
        x = ceil(y2 * x / y)
        y = y2
        floor(y / x)
    g = 1 - fee
    before = floor(y / x)
    if qty == 0:
        return fill(side, qty, F(0), F(0), before, before)
    if side == "sell":
        d = floor(qty * g)
        dy = floor(y * d / (x + d))
        nx, ny, filled = fit(x + qty), y - dy, qty
    else:
        filled = min(qty, x - EPS)
        left = x - filled
        den = floor(left * g)
        if den == 0:
            raise Err("overflow")
        dy = ceil(y * filled / den)
        nx, ny = left, fit(y + dy)
    return fill(side, qty, filled, dy, before, floor(ny / nx))


def mid(bid, ask):
    if bid is not None and ask is not None:
        return bid + floor((ask - bid) / 2)
    if bid is not None:
        return bid
    if ask is not None:
        return ask
    return F(0)


def read_levels(m, key):
    out = []
    for i, lv in enumerate(m[key]):
        p, q = D(lv["price"]), D(lv["qty"])
        if p <= 0:
            raise Err("invalid", f"market.{key}[{i}].price")
        if q <= 0:
            raise Err("invalid", f"market.{key}[{i}].qty")
        out.append([p, q])
    return out


def order_book(m, side, qty, stress):
    bids, asks = read_levels(m, "bids"), read_levels(m, "asks")
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
    qty = check_qty(qty)
    f = check_stress(stress)
    if f is not None:
        bids = [[p, floor(q * f)] for p, q in bids if floor(q * f) > 0]
        asks = [[p, floor(q * f)] for p, q in asks if floor(q * f) > 0]
    best = lambda levels: levels[0][0] if levels else None
    before = mid(best(bids), best(asks))
    levels = bids if side == "sell" else asks
    left, proceeds, i = qty, F(0), 0
    while left > 0 and i < len(levels):
        p, q = levels[i]
        take = min(left, q)
        proceeds += floor(take * p) if side == "sell" else ceil(take * p)
        left -= take
        if take < q:
            levels[i] = [p, q - take]
        else:
            i += 1
    rest = levels[i:]
    after = mid(best(rest), best(asks)) if side == "sell" else mid(best(bids), best(rest))
    return fill(side, qty, qty - left, fit(proceeds), before, after)


def linear(m, side, qty, stress):
    p0, lam = D(m["price"]), D(m["lambda"])
    if p0 <= 0:
        raise Err("invalid", "market.price")
    if lam <= 0:
        raise Err("invalid", "market.lambda")
    qty = check_qty(qty)
    f = check_stress(stress)
    Q = F(0)
    if f is not None:
        lam2 = ceil(lam / f)
        Q = ceil(Q * lam / lam2)
        lam = lam2
    qmax = p0 / lam
    qmax = MAX if qmax > MAX else floor(qmax)
    price = lambda q: max(F(0), p0 - ceil(lam * q))
    before = price(Q)
    if qty == 0:
        return fill(side, qty, F(0), F(0), before, before)
    if side == "sell":
        fl = min(qty, max(F(0), qmax - Q))
        avg = p0 - ceil(lam * (2 * Q + fl) / 2)
        proceeds = max(F(0), floor(fl * avg))
        nq = Q + fl
    else:
        fl = qty
        avg = p0 - floor(lam * (2 * Q - qty) / 2)
        proceeds = ceil(qty * avg)
        nq = Q - qty
    return fill(side, qty, fl, proceeds, before, price(nq))


def square_root(m, side, qty, stress):
    p0 = D(m["price"])
    params = {}
    for k in ("y", "sigma", "volume"):
        params[k] = D(m[k])
    if p0 <= 0:
        raise Err("invalid", "market.price")
    for k in ("y", "sigma", "volume"):
        if params[k] <= 0:
            raise Err("invalid", f"market.{k}")
    y, sg, V = params["y"], params["sigma"], params["volume"]
    qty = check_qty(qty)
    f = check_stress(stress)
    Q = F(0)
    if f is not None:
        V2 = floor(V * f)
        if V2 <= 0:
            raise Err("invalid", "stress")
        Q = ceil(Q * V2 / V)
        V = V2
    ys_up, ys_dn = ceil(y * sg), floor(y * sg)
    r_dn, r_up = sqrt_dn(V), sqrt_up(V)
    k_up = ceil(2 * ys_up / (3 * r_dn))
    k_dn = floor(2 * ys_dn / (3 * r_up))
    c_up = ceil(ys_up / r_dn)
    c_dn = floor(ys_dn / r_up)
    qm = V / ceil(ys_up * ys_up)
    qmax = MAX if qm > MAX else floor(qm)

    def price(q):
        if q < 0:
            return floor(p0 * (1 + floor(c_dn * sqrt_dn(-q))))
        return floor(p0 * max(F(0), 1 - ceil(c_up * sqrt_up(q))))

    before = price(Q)
    if qty == 0:
        return fill(side, qty, F(0), F(0), before, before)
    if side == "sell":
        fl = min(qty, max(F(0), qmax - Q))
        nq = Q + fl
        d = h(nq, True) - h(Q, False)
        k = k_dn if d < 0 else k_up
        bracket = max(F(0), fl - ceil(k * d))
        proceeds = floor(p0 * bracket)
    else:
        fl = qty
        nq = Q - qty
        d = h(Q, False) - h(nq, True)
        k = k_up if d < 0 else k_dn
        bracket = qty - floor(k * d)
        proceeds = ceil(p0 * bracket)
    return fill(side, qty, fl, proceeds, before, price(nq))


MODELS = {
    "constant_product": (constant_product, ["model", "base", "quote", "fee"]),
    "order_book": (order_book, ["model", "bids", "asks"]),
    "linear": (linear, ["model", "price", "lambda"]),
    "square_root": (square_root, ["model", "price", "y", "sigma", "volume"]),
}


def evaluate(inp):
    for k in inp:
        if k not in ("market", "qty", "side", "stress"):
            raise Err("invalid", k)
    m = inp.get("market")
    if not isinstance(m, dict):
        raise Err("invalid", "market")
    if m.get("model") not in MODELS:
        raise Err("invalid", "market.model")
    fn, keys = MODELS[m["model"]]
    for k in m:
        if k not in keys:
            raise Err("invalid", f"market.{k}")
    for k in keys[1:]:
        if k not in m and k != "fee":
            raise Err("invalid", f"market.{k}")
    if "qty" not in inp:
        raise Err("invalid", "qty")
    side = inp.get("side", "sell")
    if side not in ("sell", "buy"):
        raise Err("invalid", "side")
    return fn(m, side, inp["qty"], inp.get("stress"))


CASES = []


def case(inp, note):
    try:
        expect = evaluate(inp)
    except Err as e:
        expect = {"error": {"kind": e.kind}}
        if e.what is not None:
            expect["error"]["what"] = e.what
    CASES.append({"op": "market_sell", "input": inp, "expect": expect, "note": note})


def cp(base, quote, fee=None):
    m = {"model": "constant_product", "base": base, "quote": quote}
    if fee is not None:
        m["fee"] = fee
    return m


def lv(*pairs):
    return [{"price": p, "qty": q} for p, q in pairs]


BOOK = {"model": "order_book", "bids": lv(("99", "1"), ("98", "2"), ("95", "5")), "asks": lv(("101", "1"), ("102", "3"))}
LIN = {"model": "linear", "price": "100", "lambda": "0.5"}
SQ = {"model": "square_root", "price": "100", "y": "1", "sigma": "0.5", "volume": "100"}

# constant product
case({"market": cp("100", "10000", "0.003"), "qty": "10"},
     "d = 10*0.997 = 9.97; dy = 10000*9.97/109.97 = 906.6108938801491315813... down; reserves (110, 9093.389106119850868419), price 82.667173691998644258; avg 90.661089388014913158; slippage 10*100/906.61... = 1.10300902708124373... up")
case({"market": cp("100", "10000"), "qty": "50"},
     "fee defaults to 0: 10000*50/150 = 3333.333... down; price 6666.666666666666666667/150 -> 44.444444444444444444; avg 66.666666666666666666; slippage 5000/3333.333333333333333333 up = 1.5 + 1e-18 up")
case({"market": cp("100", "10000"), "qty": "50", "side": "buy"},
     "buy 50: 10000*50/50 = 10000 exactly; reserves (50, 20000) price 400; avg 200; slippage 200/100 = 2")
case({"market": cp("100", "10000", "0.003"), "qty": "10", "side": "buy"},
     "buy 10 with fee: 10000*10/(90*0.997 = 89.73) = 1114.454474534714142427... up")
case({"market": cp("100", "10000", "0.003"), "qty": "0"}, "zero quantity: empty fill, slippage 1")
case({"market": cp("100", "10000", "0.003"), "qty": "1000"}, "large sell: d = 997, dy = 10000*997/1097")
case({"market": cp("100", "10000"), "qty": "100", "side": "buy"},
     "buying the whole pool fills 100 - 1e-18; its cost 10000*(100-1e-18)/1e-18 does not fit: overflow")
case({"market": cp("0.00000001", "0.000000001"), "qty": "1", "side": "buy"},
     "buy 1 of a pool of 1e-8: fills 0.000000009999999999 (one unit stays), cost 1e-9*0.000000009999999999/1e-18 = 9.999999999; price 10/1e-18 = 1e19; unfilled 0.999999990000000001")
case({"market": cp("100", "10000", "0.003"), "qty": "10", "stress": "0.5"},
     "stress 0.5: y' = 5000, x' = ceil(5000*100/10000) = 50; d = 9.97, dy = 5000*9.97/59.97 = 831.2489578122394530598... down")
case({"market": cp("3", "10", "0.01"), "qty": "1", "stress": "0.3"},
     "stress 0.3: y' = 3, x' = ceil(3*3/10) = 0.9; price 3.333333333333333333; d = 0.99, dy = 3*0.99/1.89 = 1.571428571428571428... down")
case({"market": cp("0.000000000000000001", "0.000000000000000001"), "qty": "1", "stress": "0.5"},
     "stress leaves y' = floor(1e-18*0.5) = 0: invalid stress")
case({"market": cp("1", "1", "0.5"), "qty": "0.000000000000000001"},
     "dust: d = floor(1e-18*0.5) = 0, proceeds 0; the slippage multiplier has no finite value: division_by_zero")
# order book
case({"market": BOOK, "qty": "4"}, "1*99 + 2*98 + 1*95 = 390; avg 97.5; the 95 level keeps 4; mid before (99+101)/2 = 100, after (95+101)/2 = 98; slippage 4*100/390 = 1.025641025641025641... up")
case({"market": BOOK, "qty": "10"}, "depth exhausted: 99 + 196 + 475 = 770 for 8, unfilled 2; no bids left: price = best ask 101")
case({"market": BOOK, "qty": "1.333333333333333333", "side": "buy"},
     "101 + ceil(0.333333333333333333*102 = 33.999999999999999966) = 134.999999999999999966; mid after (99+102)/2 = 100.5")
case({"market": BOOK, "qty": "5", "side": "buy"}, "asks hold 4: 101 + 306 = 407, unfilled 1; no asks left: price = best bid 99")
case({"market": BOOK, "qty": "4", "stress": "0.5"}, "stress 0.5 halves every level: 0.5*99 + 1*98 + 2.5*95 = 385 for 4")
case({"market": {"model": "order_book", "bids": lv(("10", "1")), "asks": []}, "qty": "0.5"},
     "only bids: price = best bid 10; 0.5*10 = 5; the level keeps 0.5")
case({"market": {"model": "order_book", "bids": [], "asks": lv(("10", "1"))}, "qty": "1"},
     "only asks: a sell finds no bids, all unfilled; price stays 10")
case({"market": {"model": "order_book", "bids": lv(("3", "0.000000000000000007")), "asks": lv(("4", "1"))}, "qty": "0.000000000000000007", "stress": "0.3"},
     "stress 0.3 floors 7e-18 to 2e-18; sell 2e-18 of 7e-18 requested: 6e-18, unfilled 5e-18; mid 3.5 then 4 (no bids)")
case({"market": BOOK, "qty": "0"}, "zero quantity: empty fill at the mid 100")
# linear
case({"market": LIN, "qty": "10"}, "10*100 - 0.5*10^2/2 = 975; price 100 - 0.5*10 = 95; avg 97.5; slippage 1000/975 = 1.025641025641025641... up")
case({"market": LIN, "qty": "300"}, "depth: Q_max = 100/0.5 = 200; 200*(100 - 0.5*200/2) = 10000, unfilled 100, price 0")
case({"market": LIN, "qty": "10", "side": "buy"}, "buy 10: 10*(100 + 0.5*10/2) = 1025; price 105; slippage 102.5/100 = 1.025")
case({"market": {"model": "linear", "price": "1", "lambda": "0.000000000000000003"}, "qty": "1"},
     "avg = 1 - ceil(3e-18*1/2 = 1.5e-18) = 0.999999999999999998; proceeds 0.999999999999999998; price 1 - 3e-18")
case({"market": {"model": "linear", "price": "1", "lambda": "0.000000000000000003"}, "qty": "1", "side": "buy"},
     "avg = 1 - floor(-1.5e-18) = 1.000000000000000002; cost 1.000000000000000002")
case({"market": LIN, "qty": "10", "stress": "0.5"}, "stress 0.5: lambda' = 1; 10*100 - 10^2/2 = 950, price 90")
case({"market": {"model": "linear", "price": "7", "lambda": "0.3"}, "qty": "5", "stress": "0.7"},
     "lambda' = ceil(0.3/0.7) = 0.428571428571428572; Q_max = floor(7/0.428571428571428572)")
case({"market": {"model": "linear", "price": "0.5", "lambda": "1"}, "qty": "0.000000000000000001"},
     "avg = 0.5 - ceil(1e-18/2) = 0.499999999999999999; proceeds floor(1e-18*0.499...) = 0: slippage multiplier division_by_zero")
case({"market": {"model": "linear", "price": "2", "lambda": "3"}, "qty": "1"},
     "Q_max = floor(2/3) = 0.666666666666666666; avg = 2 - ceil(3*0.666666666666666666/2 = 0.999999999999999999) = 1.000000000000000001; proceeds floor(0.666...666*1.000...001); price 2 - 1.999999999999999998 = 2e-18")
case({"market": LIN, "qty": "0"}, "zero quantity")
# square root
case({"market": SQ, "qty": "4"},
     "c = 0.5/10 = 0.05, K = 2c/3; I(4) = 0.05*2 = 0.1, price 90; K_up = ceil(1/30) = 0.033333333333333334, *8 = 0.266666666666666672; proceeds 100*(4 - 0.266666666666666672) = 373.3333333333333328")
case({"market": SQ, "qty": "1000"}, "Q_max = 100/0.25 = 400: fills 400 for 100*(400 - K_up*8000), unfilled 600, price 0")
case({"market": SQ, "qty": "4", "side": "buy"},
     "buy 4 from 0: D = 0 - 8, K_up*(-8) floor; cost 100*(4 + 0.266666666666666672) = 426.6666666666666672; price 100*(1 + 0.1) = 110")
case({"market": SQ, "qty": "1"}, "sell 1: H(1) = 1; proceeds 100*(1 - 0.033333333333333334) = 96.6666666666666666; price 100*(1 - 0.05) = 95")
case({"market": SQ, "qty": "2"}, "sell 2: H_up(2) = 2^1.5 = 2.828427124746190098 (up), irrational square roots")
case({"market": SQ, "qty": "4", "stress": "0.5"}, "stress 0.5: V' = 50, sqrt(50) irrational")
case({"market": {"model": "square_root", "price": "2500", "y": "0.8", "sigma": "0.05", "volume": "1000000"}, "qty": "12345.678"},
     "ETH-like: y*sigma = 0.04, sqrt V = 1000")
case({"market": {"model": "square_root", "price": "2500", "y": "0.8", "sigma": "0.05", "volume": "1000000"}, "qty": "12345.678", "side": "buy"}, "the same, bought")
case({"market": SQ, "qty": "0"}, "zero quantity")
# errors
case({"market": cp("0", "10000"), "qty": "1"}, "base must be > 0")
case({"market": cp("100", "-1"), "qty": "1"}, "quote must be > 0")
case({"market": cp("100", "10000", "1"), "qty": "1"}, "fee must be < 1")
case({"market": {"model": "constant_product", "base": "100", "quote": "10000", "lambda": "1"}, "qty": "1"}, "unknown key of the model")
case({"market": {"model": "amm", "base": "100"}, "qty": "1"}, "unknown model")
case({"qty": "1"}, "market missing")
case({"market": cp("100", "10000"), "qty": "-1"}, "negative quantity")
case({"market": cp("100", "10000")}, "qty missing")
case({"market": cp("100", "10000"), "qty": "1", "side": "hold"}, "side must be sell or buy")
case({"market": cp("100", "10000"), "qty": "1", "stress": "0"}, "stress must be in (0, 1]")
case({"market": cp("100", "10000"), "qty": "1", "stress": "1.5"}, "stress must be in (0, 1]")
case({"market": cp("100", "10000"), "qty": "1", "shock": "1"}, "unknown top-level key")
case({"market": {"model": "order_book", "bids": [], "asks": []}, "qty": "1"}, "both sides empty")
case({"market": {"model": "order_book", "bids": lv(("98", "1"), ("99", "1")), "asks": []}, "qty": "1"}, "bids must be strictly descending")
case({"market": {"model": "order_book", "bids": [], "asks": lv(("99", "1"), ("99", "1"))}, "qty": "1"}, "asks must be strictly ascending")
case({"market": {"model": "order_book", "bids": lv(("100", "1")), "asks": lv(("100", "1"))}, "qty": "1"}, "crossed book: best bid must be below best ask")
case({"market": {"model": "order_book", "bids": lv(("99", "1"), ("98", "0")), "asks": []}, "qty": "1"}, "a level's qty must be > 0")
case({"market": {"model": "order_book", "bids": [], "asks": lv(("-1", "1"))}, "qty": "1"}, "a level's price must be > 0")
case({"market": {"model": "order_book", "bids": [], "asks": lv(*[(str(i + 1), "1") for i in range(33)])}, "qty": "1"}, "33 ask levels: over the capacity of 32")
case({"market": {"model": "linear", "price": "100", "lambda": "0"}, "qty": "1"}, "lambda must be > 0")
case({"market": {"model": "linear", "price": "0", "lambda": "1"}, "qty": "1"}, "price must be > 0")
case({"market": {"model": "square_root", "price": "100", "y": "1", "sigma": "0", "volume": "100"}, "qty": "1"}, "sigma must be > 0")
case({"market": {"model": "square_root", "price": "100", "y": "1", "sigma": "0.5"}, "qty": "1"}, "volume missing")

if __name__ == "__main__":
    for c in CASES:
        print(json.dumps(c, separators=(",", ":")))
