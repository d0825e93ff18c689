"""An independent model of the `health` and `liquidate` ops, written from
vectors/README.md §8.1 (health) and §8.2 (liquidate) (not from the Rust code).

Numbers are wads held as Python integers: the raw value `r` means r / 10^18. Every product
and quotient rounds once, in the direction the spec names, with exact integer arithmetic.
"""

import json
import re
from math import isqrt

S = 10**18
MIN = -(2**127)
MAX = 2**127 - 1
U32 = 2**32 - 1
CAPACITY = 16


class OpError(Exception):
    def __init__(self, kind, what=None):
        super().__init__(kind, what)
        self.kind = kind
        self.what = what

    def value(self):
        e = {"kind": self.kind}
        if self.what is not None:
            e["what"] = self.what
        return {"error": e}


def invalid(what):
    return OpError("invalid", what)


def chk(x):
    if x < MIN or x > MAX:
        raise OpError("overflow")
    return x


# ---- numbers ------------------------------------------------------------------------------

DEC = re.compile(r"^(-?)([0-9]+)(?:\.([0-9]{1,18}))?$")


def parse(text):
    """The raw value of a decimal string, or None when it is not an exact wad."""
    if not isinstance(text, str):
        return None
    m = DEC.match(text)
    if not m:
        return None
    frac = (m.group(3) or "").ljust(18, "0")
    raw = int(m.group(2)) * S + int(frac)
    if m.group(1):
        raw = -raw
    if raw < MIN or raw > MAX:
        return None
    return raw


def fmt(raw):
    sign = "-" if raw < 0 else ""
    a = abs(raw)
    whole, frac = divmod(a, S)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{str(frac).rjust(18, '0').rstrip('0')}"


def w(text):
    r = parse(text)
    assert r is not None, text
    return r


def fdiv(a, b):  # floor(a / b), b != 0
    return a // b


def cdiv(a, b):  # ceil(a / b)
    return -((-a) // b)


def mul_floor(a, b):
    return chk(fdiv(a * b, S))


def mul_ceil(a, b):
    return chk(cdiv(a * b, S))


def div_floor(a, b):
    return chk(fdiv(a * S, b))


def div_ceil(a, b):
    return chk(cdiv(a * S, b))


def mul_div_floor(a, b, c):
    return chk(fdiv(a * b, c))


def sqrt_ceil(x):
    v = x * S
    r = isqrt(v)
    return r if r * r == v else r + 1


# ---- parameters ---------------------------------------------------------------------------

MAX_WEIGHT = 100 * S
TOKEN_KEYS = [
    "price", "conf", "init_asset_weight", "maint_asset_weight", "liq_end_asset_weight",
    "init_liab_weight", "maint_liab_weight", "liq_end_liab_weight", "size_factor",
    "liquidation_fee", "protocol_fee_share",
]
PERP_KEYS = [
    "price", "conf", "init_margin", "maint_margin", "liq_end_margin", "size_factor",
    "liquidation_fee", "protocol_fee_share",
]
LEVELS = ["initial", "maintenance", "liquidation_end"]
HEALTH_KEYS = ["tokens", "perps", "account"]
LIQUIDATE_KEYS = ["tokens", "perps", "account", "liquidation", "close_factor", "target", "waterfall", "market"]


class Obj:
    """A JSON object with its path, reading fields as the spec says."""

    def __init__(self, m, path):
        self.m = m
        self.path = path

    def name(self, key):
        return f"{self.path}.{key}" if self.path else key

    def strict(self, keys):
        for k in self.m:
            if k not in keys:
                raise invalid(self.name(k))

    def has(self, key):
        return key in self.m

    def decimal(self, key):
        r = parse(self.m.get(key)) if key in self.m else None
        if r is None:
            raise invalid(self.name(key))
        return r

    def decimal_or(self, key, default):
        return self.decimal(key) if key in self.m else default

    def count(self, key):
        v = self.m.get(key)
        if isinstance(v, bool) or not isinstance(v, int) or v < 0 or v > U32:
            raise invalid(self.name(key))
        return v

    def choice(self, key, choices):
        v = self.m.get(key)
        if not isinstance(v, str) or v not in choices:
            raise invalid(self.name(key))
        return v

    def object(self, key):
        v = self.m.get(key)
        if not isinstance(v, dict):
            raise invalid(self.name(key))
        return Obj(v, self.name(key))

    def objects(self, key):
        v = self.m.get(key)
        if not isinstance(v, list):
            raise invalid(self.name(key))
        out = []
        for i, item in enumerate(v):
            if not isinstance(item, dict):
                raise invalid(f"{self.name(key)}[{i}]")
            out.append(Obj(item, f"{self.name(key)}[{i}]"))
        return out


def within(x, lo, hi, obj, what):
    if x < lo or x > hi:
        raise invalid(obj.name(what))


def oracle(f):
    price = f.decimal("price")
    conf = f.decimal_or("conf", 0)
    if price <= 0:
        raise invalid(f.name("price"))
    if conf < 0 or conf >= price:
        raise invalid(f.name("conf"))
    chk(price + conf)
    return (price, conf)


def read_token(f):
    f.strict(TOKEN_KEYS)
    price = oracle(f)
    ia = f.decimal("init_asset_weight")
    ma = f.decimal("maint_asset_weight")
    il = f.decimal("init_liab_weight")
    ml = f.decimal("maint_liab_weight")
    la = f.decimal_or("liq_end_asset_weight", ia)
    ll = f.decimal_or("liq_end_liab_weight", il)
    sf = f.decimal_or("size_factor", 0)
    fee = f.decimal_or("liquidation_fee", 0)
    share = f.decimal_or("protocol_fee_share", 0)
    within(ia, 0, S, f, "init_asset_weight")
    within(ma, ia, S, f, "maint_asset_weight")
    within(la, ia, ma, f, "liq_end_asset_weight")
    within(il, S, MAX_WEIGHT, f, "init_liab_weight")
    within(ml, S, il, f, "maint_liab_weight")
    within(ll, ml, il, f, "liq_end_liab_weight")
    within(sf, 0, MAX_WEIGHT, f, "size_factor")
    if fee < 0 or fee >= S or mul_ceil(ma, S + fee) > S:
        raise invalid(f.name("liquidation_fee"))
    within(share, 0, S, f, "protocol_fee_share")
    return {
        "price": price,
        "asset": {"initial": ia, "maintenance": ma, "liquidation_end": la},
        "liab": {"initial": il, "maintenance": ml, "liquidation_end": ll},
        "f": sf, "fee": fee, "share": share,
    }


def read_perp(f):
    f.strict(PERP_KEYS)
    price = oracle(f)
    im = f.decimal("init_margin")
    mm = f.decimal("maint_margin")
    lm = f.decimal_or("liq_end_margin", im)
    sf = f.decimal_or("size_factor", 0)
    fee = f.decimal_or("liquidation_fee", 0)
    share = f.decimal_or("protocol_fee_share", 0)
    if mm <= 0 or mm >= S:
        raise invalid(f.name("maint_margin"))
    if im < mm or im >= S:
        raise invalid(f.name("init_margin"))
    within(lm, mm, im, f, "liq_end_margin")
    within(sf, 0, MAX_WEIGHT, f, "size_factor")
    if fee < 0 or fee >= mm:
        raise invalid(f.name("liquidation_fee"))
    within(share, 0, S, f, "protocol_fee_share")
    return {
        "price": price,
        "margin": {"initial": im, "maintenance": mm, "liquidation_end": lm},
        "f": sf, "fee": fee, "share": share,
    }


def index(f, key, n):
    i = f.count(key)
    if i >= n or i > 0xFFFF:
        raise invalid(f.name(key))
    return i


def read_world(root):
    tokens = [read_token(t) for t in root.objects("tokens")]
    perps = [read_perp(p) for p in root.objects("perps")] if root.has("perps") else []
    account = []  # list of ["token", i, balance] / ["perp", i, base, quote]
    for f in root.objects("account"):
        if f.has("token"):
            f.strict(["token", "balance"])
            pos = ["token", index(f, "token", len(tokens)), f.decimal("balance")]
        elif f.has("perp"):
            f.strict(["perp", "base", "quote"])
            pos = ["perp", index(f, "perp", len(perps)), f.decimal("base"), f.decimal_or("quote", 0)]
        else:
            raise invalid(f.path)
        if any(p[0] == pos[0] and p[1] == pos[1] for p in account):
            raise invalid(f.path)
        if len(account) >= CAPACITY:
            raise OpError("capacity", "positions")
        account.append(pos)
    return {"tokens": tokens, "perps": perps, "account": account}


# ---- health -------------------------------------------------------------------------------


def asset_weight(t, level, size):
    wt = t["asset"][level]
    if t["f"] == 0 or size == 0:
        return wt
    premium = mul_ceil(t["f"], sqrt_ceil(abs(size)))
    scaled = div_floor(mul_floor(wt, 11 * S // 10), chk(S + premium))
    return min(wt, scaled)


def scaled_liab(wt, f, size):
    if f == 0 or size == 0:
        return wt
    premium = mul_ceil(f, sqrt_ceil(abs(size)))
    return max(wt, chk(mul_ceil(wt, 8 * S // 10) + premium))


def liab_weight(t, level, size):
    return scaled_liab(t["liab"][level], t["f"], size)


def margin(p, level, size):
    return chk(scaled_liab(chk(S + p["margin"][level]), p["f"], size) - S)


def token_contribution(t, level, b):
    price, conf = t["price"]
    if b > 0:
        return mul_floor(mul_floor(b, price - conf), asset_weight(t, level, b))
    if b < 0:
        return -mul_ceil(mul_ceil(-b, price + conf), liab_weight(t, level, -b))
    return 0


def perp_contribution(p, level, base, quote):
    price, conf = p["price"]
    if base > 0:
        notional = mul_floor(base, price - conf)
        return chk(quote + mul_floor(notional, chk(S - margin(p, level, base))))
    if base < 0:
        notional = mul_ceil(-base, price + conf)
        return chk(quote - mul_ceil(notional, chk(S + margin(p, level, -base))))
    return quote


def contribution(world, pos, level):
    if pos[0] == "token":
        return token_contribution(world["tokens"][pos[1]], level, pos[2])
    return perp_contribution(world["perps"][pos[1]], level, pos[2], pos[3])


class Health:
    def __init__(self):
        self.assets = 0
        self.liabilities = 0

    def add(self, c):
        if c < 0:
            self.liabilities = chk(self.liabilities - c)
        else:
            self.assets = chk(self.assets + c)
        return self

    def value(self):
        return chk(self.assets - self.liabilities)

    def factor(self):
        if self.liabilities == 0:
            return None
        return div_floor(self.assets, self.liabilities)

    def json(self):
        f = self.factor()
        return {
            "assets": fmt(self.assets),
            "liabilities": fmt(self.liabilities),
            "value": fmt(self.value()),
            "factor": None if f is None else fmt(f),
        }


def health(world, level, skip=lambda pos: False):
    h = Health()
    for pos in world["account"]:
        if not skip(pos):
            h.add(contribution(world, pos, level))
    return h


def liquidation_price(world, pos):
    level = "maintenance"
    rest = health(world, level, lambda q: q[0] == pos[0] and q[1] == pos[1]).value()
    if pos[0] == "token":
        t = world["tokens"][pos[1]]
        size = pos[2]
        wt = liab_weight(t, level, -size) if size < 0 else asset_weight(t, level, size)
        extra = 0
    else:
        p = world["perps"][pos[1]]
        size = pos[2]
        m = margin(p, level, abs(size))
        wt = S + m if size < 0 else S - m
        extra = pos[3]
    r = chk(rest + extra)
    # health = r + p*c with c = size*wt; a perp long whose margin passed 1 has wt < 0.
    if size > 0 and wt > 0:
        slope = mul_floor(size, wt)
        if r >= 0:
            return {"kind": "never"}
        if slope == 0:
            return {"kind": "always"}
        return {"kind": "below", "price": fmt(div_ceil(-r, slope))}
    if size < 0 or (size > 0 and wt < 0):
        if r < 0:
            return {"kind": "always"}
        slope = mul_ceil(abs(size), abs(wt))
        return {"kind": "above", "price": fmt(div_floor(r, slope))}
    return {"kind": "always" if r < 0 else "never"}


def run_health(inp):
    root = Obj(inp, "")
    root.strict(HEALTH_KEYS)
    world = read_world(root)
    out = {}
    for level in LEVELS:
        out[level] = health(world, level).json()
    out["liquidatable"] = health(world, "maintenance").value() < 0
    out["liquidation_prices"] = [liquidation_price(world, pos) for pos in world["account"]]
    return out


# ---- liquidation --------------------------------------------------------------------------


def share_of(cf, factor, debt_value, coll_value):
    deep = factor is not None and factor < cf["full_below"]
    dust = debt_value < cf["dust"] or coll_value < cf["dust"]
    return S if deep or dust else cf["normal"]


def is_dust(cf, value):
    return 0 < value < cf["dust"]


def tightest(caps):
    best = (MAX, "position")
    for cap, limit in caps:
        if cap < best[0]:
            best = (cap, limit)
    return best


def smallest(lo, hi, pred, window=20000):
    """The smallest x in (lo, hi] with pred(x), given pred(hi): a bisection for a boundary,
    then a scan of `window` units below it for any smaller x that meets pred."""
    a, b = lo, hi
    while b - a > 1:
        mid = (a + b) // 2
        if pred(mid):
            b = mid
        else:
            a = mid
    best = b
    x = b - 1
    while x > lo and x >= b - window:
        if pred(x):
            best = x
        x -= 1
    return best


def boundary(lo, hi, guess, pred):
    """The grid search of §8.2 (the search): from the estimate `guess`, gallop to a bracket
    [lo, hi] with pred(lo) false and pred(hi) true one unit apart, then bisect."""
    g = min(max(guess, lo + 1), hi)
    if g == hi or pred(g):
        hi, step = g, 1
        while hi - lo > 1:
            at = hi - step
            if at <= lo:
                break
            if pred(at):
                hi, step = at, step * 2
            else:
                lo = at
                break
    else:
        lo, step = g, 1
        while hi - lo > 1:
            at = lo + step
            if at >= hi:
                break
            if pred(at):
                hi = at
                break
            lo, step = at, step * 2
    while hi - lo > 1:
        mid = lo + (hi - lo) // 2
        if pred(mid):
            hi = mid
        else:
            lo = mid
    return hi


# (note of the case being generated) -> the smallest grid size meeting the target, when the
# search returns another boundary
SMALLEST = {}


def searched(cap, guess, pred):
    got = boundary(0, cap, guess, pred)
    least = smallest(0, cap, pred)
    if least != got:
        SMALLEST["current"] = (least, got)
    return got


def toxic(before, after):
    fb, fa = before.factor(), after.factor()
    if fa is None:
        return False
    if fb is None:
        return True
    return fa < fb


def outcome(out, limit, before, after, tb, ta):
    out["limit"] = limit
    out["toxic"] = toxic(before, after)
    out["health_before"] = before.json()
    out["health_after"] = after.json()
    out["target_before"] = fmt(tb)
    out["target_after"] = fmt(ta)


def balance(world, kind, i):
    for pos in world["account"]:
        if pos[0] == kind and pos[1] == i:
            return pos
    return None


def token_liquidation(world, cf, level, liab_i, coll_i, max_repay, out, market=None):
    if coll_i == liab_i:
        raise invalid("liquidation.collateral")
    if max_repay is not None and max_repay < 0:
        raise invalid("liquidation.max_repay")
    lt, ct = world["tokens"][liab_i], world["tokens"][coll_i]
    lpos, cpos = balance(world, "token", liab_i), balance(world, "token", coll_i)
    borrow = lpos[2] if lpos else 0
    deposit = cpos[2] if cpos else 0
    if borrow >= 0:
        raise invalid("liquidation.liability")
    if deposit <= 0:
        raise invalid("liquidation.collateral")
    debt = -borrow
    pl, pc = lt["price"][0], ct["price"][0]
    bf = S + ct["fee"]

    def repay_value(r):
        return mul_floor(r, pl)

    def seize(r):
        return mul_div_floor(repay_value(r), bf, pc)

    def pair(level_, r):
        return chk(token_contribution(lt, level_, -(debt - r)) + token_contribution(ct, level_, deposit - seize(r)))

    skip = lambda q: q[0] == "token" and q[1] in (liab_i, coll_i)
    before = health(world, "maintenance")
    rest = health(world, level, skip).value()
    target = lambda r: chk(rest + pair(level, r))
    tb = target(0)
    if before.value() >= 0:
        repay, limit, after = 0, "healthy", before
    else:
        debt_value = mul_ceil(debt, pl)
        coll_value = mul_floor(deposit, pc)
        share = share_of(cf, before.factor(), debt_value, coll_value)
        # The largest r with seize(r) <= deposit, in closed form:
        # seize(r) <= D  <=>  rv·bf < (D + 1)·pc  <=>  rv <= X := floor(((D+1)·pc − 1)/bf),
        # rv = floor(r·pl/S) <= X  <=>  r <= floor(((X+1)·S − 1)/pl).
        x = ((deposit + 1) * pc - 1) // bf
        coll_cap = min(debt, ((x + 1) * S - 1) // pl)
        cap, cap_limit = tightest([
            (debt, "position"),
            (coll_cap, "collateral"),
            (mul_floor(debt, share), "close_factor"),
            (MAX if max_repay is None else max_repay, "offer"),
        ])
        if tb >= 0:
            repay, limit = 0, "target"
        elif cap == 0 or target(cap) < 0:
            repay, limit = cap, cap_limit
        else:
            wl = liab_weight(lt, level, debt)
            wc = asset_weight(ct, level, deposit)
            gain = mul_floor(lt["price"][0] + lt["price"][1], wl)
            loss = chk(cdiv(mul_ceil(pl, bf) * mul_ceil(ct["price"][0] - ct["price"][1], wc), pc))
            slope = gain - loss
            guess = debt if slope <= 0 else div_ceil(-tb, slope)
            repay, limit = searched(cap, guess, lambda r: target(r) >= 0), "target"
        if limit == "target" and cap > repay and is_dust(cf, mul_ceil(debt - repay, pl)):
            repay, limit = cap, "dust"
        after = health(world, "maintenance", skip)
        after.add(token_contribution(lt, "maintenance", -(debt - repay)))
        after.add(token_contribution(ct, "maintenance", deposit - seize(repay)))
    ta = target(repay)
    rv = repay_value(repay)
    sz = seize(repay)
    fair = div_floor(rv, pc)
    bonus = sz - fair
    pfee = mul_ceil(bonus, ct["share"])
    out["kind"] = "token"
    out["repay"] = fmt(repay)
    out["repay_value"] = fmt(rv)
    out["seize"] = fmt(sz)
    out["bonus"] = fmt(bonus)
    out["protocol_fee"] = fmt(pfee)
    out["liquidator_receives"] = fmt(sz - pfee)
    outcome(out, limit, before, after, tb, ta)
    if market is not None:
        # The sale of what the liquidator receives, through the independent market model of
        # gen_market_sell.py; toxicity with impact values the collateral at
        # min(price − conf, price after the sale) in the maintenance health after.
        import gen_market_sell
        try:
            fill = gen_market_sell.evaluate({"market": market, "qty": fmt(sz - pfee)})
        except gen_market_sell.Err as e:
            raise OpError(e.kind, e.what)
        p_after = parse(fill["price_after"])
        impacted = dict(ct)
        impacted["price"] = (min(ct["price"][0] - ct["price"][1], p_after), 0)
        imp = health(world, "maintenance", skip)
        imp.add(token_contribution(lt, "maintenance", -(debt - repay)))
        imp.add(token_contribution(impacted, "maintenance", deposit - sz))
        out["impact"] = {
            "sold": fill["filled"], "unsold": fill["unfilled"], "proceeds": fill["proceeds"],
            "price_after": fill["price_after"], "toxic": toxic(before, imp),
        }
    lpos[2] = chk(borrow + repay)
    cpos[2] = chk(deposit - sz)


def perp_liquidation(world, cf, level, market, max_base, out):
    if max_base is not None and max_base < 0:
        raise invalid("liquidation.max_base")
    if market >= len(world["perps"]):
        raise invalid("liquidation.market")
    p = world["perps"][market]
    pos = balance(world, "perp", market)
    base, quote = (pos[2], pos[3]) if pos else (0, 0)
    if base == 0:
        raise invalid("liquidation.market")
    price = p["price"][0]
    size = abs(base)
    long = base > 0

    def transfer(s):
        if long:
            notional = mul_floor(s, price)
            paid = mul_floor(notional, S - p["fee"])
            return notional, paid, notional - paid
        notional = mul_ceil(s, price)
        cost = mul_ceil(notional, S + p["fee"])
        return notional, -cost, cost - notional

    def contrib(level_, s):
        _, dq, _ = transfer(s)
        nb = base - s if long else base + s
        return perp_contribution(p, level_, nb, chk(quote + dq))

    skip = lambda q: q[0] == "perp" and q[1] == market
    before = health(world, "maintenance")
    rest = health(world, level, skip).value()
    target = lambda s: chk(rest + contrib(level, s))
    tb = target(0)
    if before.value() >= 0:
        take, limit, after = 0, "healthy", before
    else:
        notional = mul_ceil(size, price)
        share = share_of(cf, before.factor(), notional, notional)
        cap, cap_limit = tightest([
            (size, "position"),
            (mul_floor(size, share), "close_factor"),
            (MAX if max_base is None else max_base, "offer"),
        ])
        if tb >= 0:
            take, limit = 0, "target"
        elif cap == 0 or target(cap) < 0:
            take, limit = cap, cap_limit
        else:
            m = margin(p, level, size)
            if long:
                slope = mul_floor(price, S - p["fee"]) - mul_ceil(price - p["price"][1], S - m)
            else:
                slope = mul_floor(price + p["price"][1], S + m) - mul_ceil(price, S + p["fee"])
            guess = size if slope <= 0 else div_ceil(-tb, slope)
            take, limit = searched(cap, guess, lambda s: target(s) >= 0), "target"
        if limit == "target" and cap > take and is_dust(cf, mul_ceil(size - take, price)):
            take, limit = cap, "dust"
        after = health(world, "maintenance", skip)
        after.add(contrib("maintenance", take))
    ta = target(take)
    notional, dq, fee = transfer(take)
    pfee = mul_ceil(fee, p["share"])
    out["kind"] = "perp"
    out["base"] = fmt(take if long else -take)
    out["notional"] = fmt(notional)
    out["account_quote"] = fmt(dq)
    out["fee"] = fmt(fee)
    out["protocol_fee"] = fmt(pfee)
    out["liquidator_quote"] = fmt(-(dq + pfee))
    outcome(out, limit, before, after, tb, ta)
    pos[2] = base - take if long else base + take
    pos[3] = chk(quote + dq)


def bankruptcy_state(pos):
    """(whether the position is an asset, whether it owes something)."""
    if pos[0] == "token":
        return pos[2] > 0, pos[2] < 0
    return pos[2] != 0 or pos[3] > 0, pos[3] < 0


def owed(world, pos):
    """What a bankrupt account's position adds to its bad debt (rounded up)."""
    if pos[0] == "token":
        return mul_ceil(abs(pos[2]), world["tokens"][pos[1]]["price"][0])
    return abs(pos[3])


def zero(pos):
    """Writes a position off (it stays in the list)."""
    pos[2] = 0
    if pos[0] == "perp":
        pos[3] = 0


def position_json(pos):
    if pos[0] == "token":
        return {"token": pos[1], "balance": fmt(pos[2])}
    return {"perp": pos[1], "base": fmt(pos[2]), "quote": fmt(pos[3])}


def is_bankrupt(world):
    owes = False
    for pos in world["account"]:
        asset, debt = bankruptcy_state(pos)
        if asset:
            return False
        owes |= debt
    return owes


def run_liquidate(inp):
    root = Obj(inp, "")
    root.strict(LIQUIDATE_KEYS)
    world = read_world(root)
    cf = {"normal": S, "full_below": 0, "dust": 0}
    if root.has("close_factor"):
        f = root.object("close_factor")
        f.strict(["normal", "full_below", "dust"])
        cf = {
            "normal": f.decimal("normal"),
            "full_below": f.decimal_or("full_below", 0),
            "dust": f.decimal_or("dust", 0),
        }
        if cf["normal"] <= 0 or cf["normal"] > S:
            raise invalid("close_factor.normal")
        if cf["full_below"] < 0:
            raise invalid("close_factor.full_below")
        if cf["dust"] < 0:
            raise invalid("close_factor.dust")
    level = root.choice("target", LEVELS) if root.has("target") else "liquidation_end"
    wf = None
    if root.has("waterfall"):
        f = root.object("waterfall")
        f.strict(["premium_buffer", "insurance_fund", "lender_deposits"])
        wf = [f.decimal_or(k, 0) for k in ["premium_buffer", "insurance_fund", "lender_deposits"]]
        for k, v in zip(["premium_buffer", "insurance_fund", "lender_deposits"], wf):
            if v < 0:
                raise invalid(f.name(k))
    order = root.object("liquidation") if root.has("liquidation") else None
    if order is None and wf is None:
        raise invalid("liquidation")
    if order is None and root.has("market"):
        raise invalid("market")
    out = {}
    if order is not None:
        kind = order.choice("kind", ["token", "perp"])
        if kind == "token":
            order.strict(["kind", "liability", "collateral", "max_repay"])
            li = index(order, "liability", len(world["tokens"]))
            ci = index(order, "collateral", len(world["tokens"]))
            mr = order.decimal("max_repay") if order.has("max_repay") else None
            market = root.object("market").m if root.has("market") else None
            token_liquidation(world, cf, level, li, ci, mr, out, market)
        else:
            order.strict(["kind", "market", "max_base"])
            mi = order.count("market")
            if mi > 0xFFFF:
                raise invalid("liquidation.market")
            mb = order.decimal("max_base") if order.has("max_base") else None
            perp_liquidation(world, cf, level, mi, mb, out)
            if root.has("market"):
                raise invalid("market")
    report = None
    if wf is not None and is_bankrupt(world):
        bad = 0
        for pos in world["account"]:
            bad = chk(bad + owed(world, pos))
        premium = min(bad, wf[0])
        rest = bad - premium
        insurance = min(rest, wf[1])
        rest -= insurance
        socialized = min(rest, wf[2])
        uncovered = rest - socialized
        haircut = 0 if socialized == 0 else div_ceil(socialized, wf[2])
        wf = [wf[0] - premium, wf[1] - insurance, wf[2] - socialized]
        report = {
            "bad_debt": fmt(bad), "premium": fmt(premium), "insurance": fmt(insurance),
            "socialized": fmt(socialized), "uncovered": fmt(uncovered), "haircut": fmt(haircut),
        }
        for pos in world["account"]:
            zero(pos)
    acct = [position_json(pos) for pos in world["account"]]
    out["account"] = acct
    out["bankruptcy"] = report
    if wf is not None:
        out["waterfall"] = {
            "premium_buffer": fmt(wf[0]), "insurance_fund": fmt(wf[1]), "lender_deposits": fmt(wf[2]),
        }
    return out


def expect(op, inp):
    try:
        if op == "health":
            return run_health(json.loads(json.dumps(inp)))
        return run_liquidate(json.loads(json.dumps(inp)))
    except OpError as e:
        return e.value()


# ---- the cases ----------------------------------------------------------------------------
# Run `python3 gen_risk.py` from this directory to rewrite health.jsonl and liquidate.jsonl.
# Where a case's `hand` is given, the model's answer is also checked against the hand-worked
# values written in its note.


def tok(price, ia, ma, il="1", ml="1", **kw):
    t = {"price": price}
    t.update({"init_asset_weight": ia, "maint_asset_weight": ma, "init_liab_weight": il, "maint_liab_weight": ml})
    t.update(kw)
    return t


def perp(price, im, mm, **kw):
    p = {"price": price, "init_margin": im, "maint_margin": mm}
    p.update(kw)
    return p


def T(i, b):
    return {"token": i, "balance": b}


def P(i, base, quote=None):
    p = {"perp": i, "base": base}
    if quote is not None:
        p["quote"] = quote
    return p


# weights 0.8 / 1.2 at every level (init = maint = liq_end), no fee
FLAT = tok("1", "0.8", "0.8", "1.2", "1.2")
# Mango-style: init 0.6/1.4, maint 0.8/1.2, liq_end defaults to init
MANGO = tok("1", "0.6", "0.8", "1.4", "1.2")
USD = tok("1", "1", "1", "1", "1")

HEALTH = []
LIQ = []


def H(inp, note, hand=None):
    HEALTH.append(("health", inp, note, hand))


def L(inp, note, hand=None):
    LIQ.append(("liquidate", inp, note, hand))


def sub(d, path):
    for k in path:
        d = d[k]
    return d


# ---------- health: values ----------
H({"tokens": [FLAT, FLAT], "account": [T(0, "10"), T(1, "-9")]},
  "prices 1, weights 0.8/1.2 at every level: assets 10*0.8 = 8, liabilities 9*1.2 = 10.8, value -2.8, "
  "factor floor(8/10.8) = 0.740740740740740740; liquidation price of the deposit: R = -10.8, slope 10*0.8 = 8, "
  "below ceil(10.8/8) = 1.35; of the borrow: R = 8, slope 9*1.2 = 10.8, above floor(8/10.8) = 0.74074074074074074",
  {("maintenance", "value"): "-2.8", ("maintenance", "factor"): "0.74074074074074074",
   ("liquidation_prices", 0, "price"): "1.35", ("liquidation_prices", 1, "price"): "0.74074074074074074"})
H({"tokens": [MANGO, MANGO], "account": [T(0, "10"), T(1, "-7")]},
  "init 0.6/1.4, maint 0.8/1.2, liq_end = init: initial 6 - 9.8 = -3.8; maintenance 8 - 8.4 = -0.4 (liquidatable); "
  "liquidation_end as initial",
  {("initial", "value"): "-3.8", ("maintenance", "value"): "-0.4", ("liquidatable",): True})
H({"tokens": [MANGO, MANGO], "account": [T(0, "10"), T(1, "-6")]},
  "maintenance 8 - 7.2 = 0.8 >= 0: not liquidatable; factor floor(8/7.2) = 1.111111111111111111; "
  "deposit liquidation price: R = -7.2, below ceil(7.2/8) = 0.9; borrow: R = 8, above floor(8/7.2) = 1.111111111111111111",
  {("maintenance", "value"): "0.8", ("liquidatable",): False, ("liquidation_prices", 0, "price"): "0.9"})
H({"tokens": [tok("2500", "0.75", "0.8"), USD], "account": [T(0, "4"), T(1, "-6000")]},
  "Aave docs (aave.com/docs/developers/liquidations): supply 10,000 USD of ETH with an 80% liquidation threshold, "
  "borrow 6,000 GHO -> health factor 1.333: here 4 ETH at 2500, maint weight 0.8 -> 8000; factor floor(8000/6000) = "
  "1.333333333333333333; LTV 0.75 (our choice) -> initial 7500 - 6000 = 1500; ETH liquidation price ceil(6000/(4*0.8)) = 1875",
  {("maintenance", "factor"): "1.333333333333333333", ("initial", "value"): "1500",
   ("liquidation_prices", 0, "price"): "1875"})
H({"tokens": [tok("100", "0.8", "0.85"), USD], "account": [T(0, "10"), T(1, "-880")]},
  "Aave-style LTV 0.8 / threshold 0.85: maintenance 1000*0.85 = 850 vs 880: factor floor(850/880) = 0.965909090909090909; "
  "initial 800 - 880 = -80",
  {("maintenance", "factor"): "0.965909090909090909", ("initial", "value"): "-80"})
H({"tokens": [FLAT], "account": []},
  "empty account: every level 0/0, factor null, not liquidatable, no liquidation prices",
  {("maintenance", "factor"): None, ("liquidatable",): False})
H({"tokens": [FLAT, FLAT], "account": [T(0, "5"), T(1, "3")]},
  "deposits only: assets 8*... = (5+3)*0.8 = 6.4, no liabilities, factor null; each liquidation price never (R >= 0)",
  {("maintenance", "assets"): "6.4", ("maintenance", "factor"): None})
H({"tokens": [FLAT], "account": [T(0, "-2")]},
  "a borrow alone: assets 0, liabilities 2.4, factor 0, liquidatable; liquidation price above floor(0/2.4) = 0",
  {("maintenance", "factor"): "0", ("liquidation_prices", 0, "kind"): "above", ("liquidation_prices", 0, "price"): "0"})
H({"tokens": [FLAT, FLAT], "account": [T(0, "0"), T(1, "-1")]},
  "a zero balance is a position: contributes 0; its liquidation price is always (R = -1.2 < 0)",
  {("liquidation_prices", 0, "kind"): "always"})
H({"tokens": [FLAT, FLAT], "account": [T(0, "0"), T(1, "1")]},
  "a zero balance with R >= 0: never", {("liquidation_prices", 0, "kind"): "never"})
H({"tokens": [tok("0.5", "0.8", "0.8", "1.2", "1.2"), tok("0.5", "0.8", "0.8", "1.2", "1.2")],
   "account": [T(0, "0.000000000000000001"), T(1, "-0.000000000000000001")]},
  "rounding against the account: deposit 1e-18 at 0.5 -> floor(0.5e-18) = 0; borrow 1e-18 at 0.5 -> ceil = 1e-18, "
  "times 1.2 -> ceil(1.2e-18) = 2e-18",
  {("maintenance", "assets"): "0", ("maintenance", "liabilities"): "0.000000000000000002"})
H({"tokens": [tok("3", "0.7", "0.9", "1.1", "1.05"), tok("7", "0.5", "0.5", "1.3", "1.3")],
   "account": [T(0, "1.000000000000000001"), T(1, "-0.333333333333333333")]},
  "deposit 1.000000000000000001*3 = 3.000000000000000003, *0.9 = 2.7000000000000000027 -> floor 2.700000000000000002; "
  "borrow 0.333333333333333333*7 = 2.333333333333333331, *1.3 = 3.0333333333333333303 -> ceil 3.033333333333333331",
  {("maintenance", "assets"): "2.700000000000000002", ("maintenance", "liabilities"): "3.033333333333333331"})
# confidence intervals
H({"tokens": [tok("100", "0.8", "0.8", "1.2", "1.2", conf="2"), tok("10", "0.8", "0.8", "1.2", "1.2", conf="0.5")],
   "account": [T(0, "1"), T(1, "-5")]},
  "conf: deposit valued at 100 - 2 = 98, *0.8 = 78.4; borrow at 10 + 0.5 = 10.5, 5*10.5 = 52.5, *1.2 = 63; value 15.4; "
  "liquidation prices use the moving price without conf: deposit R = -63, below ceil(63/0.8) = 78.75; borrow R = 78.4, "
  "above floor(78.4/6) = 13.066666666666666666",
  {("maintenance", "assets"): "78.4", ("maintenance", "liabilities"): "63",
   ("liquidation_prices", 0, "price"): "78.75", ("liquidation_prices", 1, "price"): "13.066666666666666666"})
H({"tokens": [tok("1", "0.9", "0.9", conf="0.999999999999999999")], "account": [T(0, "1000")]},
  "conf just below price: deposit valued at 1e-18 each: 1000*1e-18 = 1e-15, *0.9 = 9e-16")
# size scaling
H({"tokens": [tok("1", "0.8", "0.8", "1.2", "1.2", size_factor="0.01"), tok("1", "0.8", "0.8", "1.2", "1.2", size_factor="0.01")],
   "account": [T(0, "10000"), T(1, "-100")]},
  "size_factor 0.01: deposit 10000: premium 0.01*sqrt(10000) = 1, weight min(0.8, 1.1*0.8/(1+1)) = 0.44 -> 4400; "
  "borrow 100: premium 0.01*10 = 0.1, weight max(1.2, 0.8*1.2 + 0.1 = 1.06) = 1.2 -> 120",
  {("maintenance", "assets"): "4400", ("maintenance", "liabilities"): "120"})
H({"tokens": [tok("1", "0.8", "0.8", "1.2", "1.2", size_factor="0.1")], "account": [T(0, "-400")]},
  "size_factor 0.1, borrow 400: premium 0.1*20 = 2, weight max(1.2, 0.96 + 2) = 2.96 -> liabilities 1184",
  {("maintenance", "liabilities"): "1184"})
H({"tokens": [tok("1", "0.8", "0.8", "1.2", "1.2", size_factor="0.001")], "account": [T(0, "2")]},
  "size_factor 0.001, deposit 2: sqrt(2) rounded up = 1.414213562373095049, premium ceil(0.001*that) = "
  "0.001414213562373096, weight min(0.8, floor(0.88/1.001414213562373096)) = 0.8 (the scaled weight exceeds 0.8): 1.6",
  {("maintenance", "assets"): "1.6"})
H({"tokens": [tok("1", "0.8", "0.8", "1.2", "1.2", size_factor="0.1")], "account": [T(0, "3")]},
  "size_factor 0.1, deposit 3: sqrt(3) up = 1.732050807568877294, premium 0.173205080756887730 (ceil), weight "
  "floor(0.88/1.17320508075688773) = 0.750081223260232855 -> 3*that = 2.250243669780698565")
# perps
PERP = perp("100", "0.1", "0.05")
H({"tokens": [USD], "perps": [PERP], "account": [T(0, "50"), P(0, "10", "-1000")]},
  "perp long 10 at 100, quote -1000, margins init 0.1 / maint 0.05: maintenance -1000 + 1000*0.95 = -50, plus deposit 50 "
  "-> 0 (not liquidatable); initial -1000 + 900 + 50 = -50; the perp contributes -50 < 0 so it is a liability; "
  "liquidation price of the perp: R = 50 - 1000 = -950, slope 10*0.95 = 9.5, below ceil(950/9.5) = 100",
  {("maintenance", "value"): "0", ("maintenance", "liabilities"): "50", ("liquidation_prices", 1, "price"): "100"})
H({"tokens": [USD], "perps": [PERP], "account": [P(0, "-10", "1100")]},
  "perp short -10 at 100, quote 1100: maintenance 1100 - 1000*1.05 = 50, initial 1100 - 1100 = 0; "
  "liquidation price: R = 1100, slope 10*1.05 = 10.5, above floor(1100/10.5) = 104.761904761904761904",
  {("maintenance", "value"): "50", ("initial", "value"): "0", ("liquidation_prices", 0, "price"): "104.761904761904761904"})
H({"tokens": [USD], "perps": [perp("100", "0.1", "0.05", conf="1")], "account": [P(0, "10", "-900"), T(0, "-10")]},
  "perp conf 1: long valued at 99: -900 + 990*0.95 = 40.5; borrow 10 USD: -10; value 30.5")
H({"tokens": [USD], "perps": [perp("100", "0.1", "0.05", conf="1")], "account": [P(0, "-1", "200")]},
  "perp short with conf: valued at 101: 200 - 101*1.05 = 93.95")
H({"tokens": [USD], "perps": [perp("100", "0.1", "0.05")], "account": [P(0, "0", "-5")]},
  "perp with no base and a negative quote: -5 everywhere; liquidation price always (R = -5)",
  {("maintenance", "value"): "-5", ("liquidation_prices", 0, "kind"): "always"})
H({"tokens": [USD], "perps": [perp("1", "0.1", "0.05", size_factor="0.01")], "account": [P(0, "-10000", "20000")]},
  "perp size_factor 0.01, short 10000 at 1: premium 0.01*100 = 1; maint margin max(0.05, 0.8*1.05 + 1 - 1 = 0.84) = 0.84, "
  "so 20000 - 10000*1.84 = 1600; initial max(0.1, 0.88 + 1 - 1) = 0.88 -> 20000 - 18800 = 1200",
  {("maintenance", "value"): "1600", ("initial", "value"): "1200"})
H({"tokens": [USD], "perps": [perp("10", "0.1", "0.05", size_factor="1")], "account": [P(0, "100", "10000")]},
  "perp long 100 at 10 with size_factor 1: maint margin max(0.05, 0.8*1.05 + 1*sqrt(100) - 1) = 9.84, so the long's "
  "weight is 1 - 9.84 = -8.84: maintenance 10000 + 1000*(-8.84) = 1160, and health FALLS as the price rises; "
  "liquidation price above floor(10000/(100*8.84)) = floor(11.31221719457013574...) = 11.312217194570135746",
  {("maintenance", "value"): "1160", ("liquidation_prices", 0, "kind"): "above",
   ("liquidation_prices", 0, "price"): "11.312217194570135746"})
H({"tokens": [USD], "perps": [perp("2", "0.2", "0.1", liq_end_margin="0.15")], "account": [P(0, "3", "-4"), T(0, "1")]},
  "liq_end margin 0.15: long 3 at 2 = 6; initial -4 + 6*0.8 + 1 = 1.8, maintenance -4 + 5.4 + 1 = 2.4, liq_end -4 + 5.1 + 1 = 2.1",
  {("initial", "value"): "1.8", ("maintenance", "value"): "2.4", ("liquidation_end", "value"): "2.1"})
H({"tokens": [tok("1", "0", "0"), FLAT], "account": [T(0, "100"), T(1, "-1")]},
  "an asset weight of 0: the deposit counts for nothing; its liquidation price is always (R = -1.2, slope 0)",
  {("liquidation_prices", 0, "kind"): "always"})
H({"tokens": [tok("1", "0.5", "0.9", "1.5", "1.1", liq_end_asset_weight="0.7", liq_end_liab_weight="1.3")],
   "account": [T(0, "10")]},
  "three distinct levels: initial 5, maintenance 9, liquidation_end 7",
  {("initial", "value"): "5", ("maintenance", "value"): "9", ("liquidation_end", "value"): "7"})
H({"tokens": [FLAT] * 16, "account": [T(i, "1") for i in range(16)]},
  "16 positions: the capacity is exactly full: 16*0.8 = 12.8", {("maintenance", "assets"): "12.8"})

# ---------- health: errors ----------
def bad_token(note, i=1, **change):
    t = dict(FLAT)
    for k, v in change.items():
        if v is None:
            t.pop(k, None)
        else:
            t[k] = v
    toks = [FLAT, FLAT]
    toks[i] = t
    H({"tokens": toks, "account": [T(0, "1")]}, note)


bad_token("maint_asset_weight 1.01 > 1", maint_asset_weight="1.01")
bad_token("maint_asset_weight 0.7 below init_asset_weight 0.8", maint_asset_weight="0.7")
bad_token("init_asset_weight negative", init_asset_weight="-0.1")
bad_token("init_asset_weight above 1 (first check)", i=0, init_asset_weight="1.5", maint_asset_weight="1.5")
bad_token("liq_end_asset_weight 0.9 above maint 0.8", liq_end_asset_weight="0.9")
bad_token("init_liab_weight 0.9 below 1", init_liab_weight="0.9", maint_liab_weight="0.9")
bad_token("init_liab_weight 100.000000000000000001 above 100", init_liab_weight="100.000000000000000001")
bad_token("maint_liab_weight 1.3 above init 1.2", maint_liab_weight="1.3")
bad_token("liq_end_liab_weight 1.1 below maint 1.2", liq_end_liab_weight="1.1")
bad_token("size_factor negative", size_factor="-0.000000000000000001")
bad_token("size_factor above 100", size_factor="100.1")
bad_token("liquidation_fee 1", liquidation_fee="1")
bad_token("liquidation_fee negative", liquidation_fee="-0.01")
bad_token("liquidation_fee 0.3: 0.8*1.3 = 1.04 > 1 (Aave's rule)", liquidation_fee="0.3")
bad_token("protocol_fee_share 1.000000000000000001", protocol_fee_share="1.000000000000000001")
bad_token("price 0", price="0")
bad_token("price negative", price="-1")
bad_token("conf equal to the price", conf="1")
bad_token("conf negative", conf="-0.1")
bad_token("price missing", price=None)
bad_token("init_liab_weight missing", init_liab_weight=None)
bad_token("19 fractional digits are never rounded", maint_asset_weight="0.8000000000000000001")
bad_token("a JSON number is not an exact decimal", price=1)
bad_token("unknown key in a token", i=0, weight="1")
H({"tokens": [tok("100000000000000000000", "0.8", "0.8", conf="99999999999999999999")], "account": []},
  "price + conf = 1.99e20 exceeds the wad range: overflow")
H({"tokens": [FLAT], "perps": [perp("1", "0.1", "0")], "account": []}, "maint_margin 0")
H({"tokens": [FLAT], "perps": [perp("1", "0.1", "1")], "account": []}, "maint_margin 1")
H({"tokens": [FLAT], "perps": [perp("1", "0.04", "0.05")], "account": []}, "init_margin below maint_margin")
H({"tokens": [FLAT], "perps": [perp("1", "1", "0.05")], "account": []}, "init_margin 1")
H({"tokens": [FLAT], "perps": [perp("1", "0.1", "0.05", liq_end_margin="0.2")], "account": []}, "liq_end_margin above init")
H({"tokens": [FLAT], "perps": [perp("1", "0.1", "0.05", liquidation_fee="0.05")], "account": []},
  "perp liquidation_fee must be below maint_margin")
H({"tokens": [FLAT], "perps": [perp("1", "0.1", "0.05", protocol_fee_share="2")], "account": []}, "perp protocol_fee_share 2")
H({"tokens": [FLAT], "perps": [perp("1", "0.1", "0.05", size_factor="-1")], "account": []}, "perp size_factor negative")
H({"tokens": [FLAT], "perps": [perp("1", "0.1", "0.05", conf="2")], "account": []}, "perp conf above price")
H({"tokens": [FLAT], "account": [T(1, "1")]}, "token index 1 with one token")
H({"tokens": [FLAT], "account": [T(0, "1"), P(0, "1")]}, "perp index 0 with no perps")
H({"tokens": [FLAT], "account": [{"balance": "1"}]}, "a position with neither token nor perp")
H({"tokens": [FLAT], "account": [T(0, "1"), T(0, "2")]}, "a second position in the same token")
H({"tokens": [FLAT], "perps": [PERP], "account": [P(0, "1"), P(0, "2")]}, "a second position in the same perp market")
H({"tokens": [FLAT], "account": [{"token": 0, "balance": "1", "quote": "1"}]}, "a token position has no quote")
H({"tokens": [FLAT], "account": [{"token": "0", "balance": "1"}]}, "an index is a JSON number, not a string")
H({"tokens": [FLAT], "account": [{"token": -1, "balance": "1"}]}, "a negative index")
H({"tokens": [FLAT], "account": [{"token": 0}]}, "balance missing")
H({"tokens": [FLAT], "perps": [PERP], "account": [{"perp": 0, "quote": "1"}]}, "perp base missing")
H({"tokens": [FLAT] * 17, "account": [T(i, "1") for i in range(17)]}, "17 positions: capacity of 16")
H({"tokens": [FLAT], "perps": [PERP] * 9, "account": [T(0, "1")] + [P(i, "1", "-100") for i in range(9)] + [P(0, "2")]},
  "a duplicate perp after 10 positions is invalid, not capacity")
H({"account": []}, "tokens missing")
H({"tokens": [FLAT]}, "account missing")
H({"tokens": FLAT, "account": []}, "tokens is not an array")
H({"tokens": [FLAT, "x"], "account": []}, "a token that is not an object")
H({"tokens": [FLAT], "account": [], "target": "initial"}, "health takes no target")
H({"tokens": [FLAT], "perps": {}, "account": []}, "perps is not an array")

# ---------- liquidate: token ----------
BASE = {"tokens": [FLAT, FLAT], "account": [T(0, "10"), T(1, "-9")]}
ORDER = {"kind": "token", "liability": 1, "collateral": 0}


def liq(base=BASE, **kw):
    d = json.loads(json.dumps(base))
    d.update(kw)
    return d


L(liq(liquidation=ORDER),
  "weights 0.8/1.2, prices 1, deposit 10, borrow 9: health 8 - 10.8 = -2.8; repaying r and seizing r gives "
  "(10 - r)*0.8 - (9 - r)*1.2 = -2.8 + 0.4r = 0 at r = 7; at r - 1e-18 it is -4e-19 -> rounds below 0. "
  "seize 7, balances after 3 / -2, health 2.4 - 2.4 = 0",
  {("repay",): "7", ("seize",): "7", ("limit",): "target", ("account", 0, "balance"): "3", ("account", 1, "balance"): "-2",
   ("health_after", "value"): "0"})
FEE = tok("1", "0.8", "0.8", "1.2", "1.2", liquidation_fee="0.05", protocol_fee_share="0.1")
L(liq({"tokens": [FEE, FLAT], "account": [T(0, "10"), T(1, "-9")]}, liquidation=ORDER),
  "bonus 5% (on the collateral token), protocol share 10%: (10 - 1.05r)*0.8 - (9 - r)*1.2 = -2.8 + 0.36r, root "
  "7.7777...; on the grid at r = 7.777777777777777777: seize floor(8.16666666666666666585) = 8.166666666666666665, "
  "deposit 1.833333333333333335*0.8 = 1.466666666666666668; debt 1.222222222222222223*1.2 = 1.4666666666666666676 -> "
  "ceil 1.466666666666666668: target 0; at r - 1e-18 (…776): seize …664, assets floor(1.4666666666666666688) = "
  "…668, liabilities ceil(1.4666666666666666688) = …669: -1e-18. So repay 7.777777777777777777, fair "
  "7.777777777777777777, bonus 0.388888888888888888, protocol ceil(0.0388888888888888888) = 0.038888888888888889, "
  "liquidator 8.127777777777777776",
  {("repay",): "7.777777777777777777", ("seize",): "8.166666666666666665", ("bonus",): "0.388888888888888888",
   ("protocol_fee",): "0.038888888888888889", ("liquidator_receives",): "8.127777777777777776", ("target_after",): "0"})
L(liq(liquidation=dict(ORDER, max_repay="3")),
  "offer 3 < 7: repay 3, seize 3, limit offer; health -2.8 + 0.4*3 = -1.6",
  {("repay",): "3", ("limit",): "offer", ("target_after",): "-1.6"})
L(liq(liquidation=dict(ORDER, max_repay="0")), "offer 0: nothing, limit offer", {("repay",): "0", ("limit",): "offer"})
L(liq(liquidation=dict(ORDER, max_repay="7")), "offer exactly the target repay: the target wins (it is found inside the cap)",
  {("repay",): "7", ("limit",): "target"})
L(liq(liquidation=dict(ORDER, max_repay="6.999999999999999999")), "offer one unit short of 7: limit offer",
  {("limit",): "offer"})
L(liq(liquidation=ORDER, close_factor={"normal": "0.5"}),
  "close factor 0.5, full_below 0: cap 4.5 < 7: repay 4.5, limit close_factor; health -2.8 + 1.8 = -1",
  {("repay",): "4.5", ("limit",): "close_factor", ("target_after",): "-1"})
L(liq(liquidation=ORDER, close_factor={"normal": "0.5", "full_below": "0.95"}),
  "factor 0.74074… < 0.95: the whole debt may go, target 7 binds", {("repay",): "7", ("limit",): "target"})
L(liq(liquidation=ORDER, close_factor={"normal": "0.5", "dust": "9.5"}),
  "debt worth 9 < dust 9.5: the close factor is full, target 7 binds... then 2 left < dust: extends to the cap 9, limit dust",
  {("repay",): "9", ("limit",): "dust"})
L(liq(liquidation=ORDER, close_factor={"normal": "1", "dust": "2.5"}),
  "dust 2.5: the target repay 7 would leave 2 worth 2 < 2.5: repay the cap 9 (the whole debt), limit dust; "
  "balances 1 / 0, health 0.8",
  {("repay",): "9", ("limit",): "dust", ("account", 1, "balance"): "0"})
L(liq(liquidation=ORDER, close_factor={"normal": "1", "dust": "2"}),
  "dust 2: leaving exactly 2 is not dust (strictly below): target 7", {("repay",): "7", ("limit",): "target"})
L(liq(liquidation=ORDER, target="maintenance"),
  "target maintenance with flat weights: the same r = 7", {("repay",): "7"})
L(liq({"tokens": [MANGO, MANGO], "account": [T(0, "10"), T(1, "-7")]}, liquidation=ORDER),
  "Mango weights, target liq_end = init 0.6/1.4: maintenance -0.4; liq_end 6 - 9.8 = -3.8 + (1.4 - 0.6)r = 0 at "
  "r = 4.75; seize 4.75; after maintenance 5.25*0.8 - 2.25*1.2 = 4.2 - 2.7 = 1.5",
  {("repay",): "4.75", ("health_after", "value"): "1.5"})
L(liq({"tokens": [MANGO, MANGO], "account": [T(0, "10"), T(1, "-7")]}, liquidation=ORDER, target="maintenance"),
  "Mango weights, target maintenance: -0.4 + 0.4r = 0 at r = 1", {("repay",): "1"})
L(liq({"tokens": [MANGO, MANGO], "account": [T(0, "10"), T(1, "-7")]}, liquidation=ORDER, target="initial"),
  "target initial = liq_end here: r = 4.75", {("repay",): "4.75"})
L(liq({"tokens": [MANGO, MANGO], "account": [T(0, "10"), T(1, "-6")]}, liquidation=ORDER),
  "healthy (maintenance 0.8): nothing happens, limit healthy, before = after",
  {("repay",): "0", ("limit",): "healthy", ("toxic",): False})
L(liq({"tokens": [FLAT, FLAT, FLAT], "account": [T(0, "10"), T(1, "-1"), T(2, "-8")]}, liquidation=ORDER),
  "borrow of token 1 only 1: repaying all of it (health -2.8 + 0.4) still leaves -2.4: limit position",
  {("repay",): "1", ("limit",): "position", ("target_after",): "-2.4"})
L(liq({"tokens": [FLAT, FLAT, USD], "account": [T(0, "2"), T(1, "-9"), T(2, "100")]}, liquidation=ORDER),
  "deposit of token 0 only 2 while 100 USD elsewhere keeps ... health 1.6 + 100 - 10.8 = 90.8: healthy",
  {("limit",): "healthy"})
L(liq({"tokens": [FLAT, FLAT, FLAT], "account": [T(0, "2"), T(1, "-9"), T(2, "3")]}, liquidation=ORDER),
  "deposit 2 of the seized token, 3 of another: health 1.6 + 2.4 - 10.8 = -6.8; seize <= 2 caps r at 2: limit "
  "collateral, health -6.8 + 0.4*2 = -6",
  {("repay",): "2", ("limit",): "collateral", ("target_after",): "-6"})
L(liq({"tokens": [tok("3", "0.8", "0.8", "1.2", "1.2"), tok("7", "0.8", "0.8", "1.2", "1.2")],
       "account": [T(0, "1"), T(1, "-1")]}, liquidation=ORDER),
  "collateral cap off the grid: seize(r) = floor(7r/3) <= 1 holds up to r = 0.428571428571428571 (7r = "
  "2.999999999999999997 -> 0.999999999999999999) and r = 0.428571428571428572 seizes 1.000000000000000001",
  {("repay",): "0.428571428571428571", ("limit",): "collateral"})
# Aave-style
AAVE_ETH = tok("100", "0.8", "0.85", liquidation_fee="0.05", protocol_fee_share="0.1")
AAVE_CF = {"normal": "0.5", "full_below": "0.95"}
L({"tokens": [AAVE_ETH, USD], "account": [T(0, "10"), T(1, "-880")], "liquidation": ORDER, "close_factor": AAVE_CF,
   "target": "maintenance"},
  "Aave-style: LTV 0.8, threshold 0.85, bonus 5%, close factor 0.5 (full below 0.95): 10 ETH at 100, debt 880: factor "
  "850/880 = 0.9659 >= 0.95 -> cap 440; target maintenance: (1000 - 1.05r)*0.85 - (880 - r) = -30 + 0.1075r = 0 at "
  "r = 279.069767441860465116.. -> smallest grid r 279.069767441860465117; seize floor(r*1.05/100)",
  {("limit",): "target"})
L({"tokens": [AAVE_ETH, USD], "account": [T(0, "10"), T(1, "-880")], "liquidation": ORDER, "close_factor": AAVE_CF},
  "Aave-style, target liq_end (= LTV 0.8): -80 + (1 - 1.05*0.8)r = -80 + 0.16r = 0 at r = 500 > 440: close factor: "
  "repay 440, seize 440*1.05/100 = 4.62, fair 4.4, bonus 0.22, protocol 0.022, liquidator 4.598",
  {("repay",): "440", ("seize",): "4.62", ("bonus",): "0.22", ("protocol_fee",): "0.022", ("limit",): "close_factor"})
L({"tokens": [AAVE_ETH, USD], "account": [T(0, "10"), T(1, "-900")], "liquidation": ORDER, "close_factor": AAVE_CF},
  "Aave-style, debt 900: factor floor(850/900) = 0.944444444444444444 < 0.95 -> full close; -100 + 0.16r = 0 at "
  "r = 625, but the seize rounds down in the account's favour, so the grid meets the target earlier. The search "
  "(§8.2 (the search)) stops at r = 624.99999999999999976: seize floor(r*1.05/100 = 6.56249999999999999748) = "
  "6.562499999999999997, deposit left 3.437500000000000003 -> 343.7500000000000003*0.8 = 275.00000000000000024 = debt "
  "left 900 - r: target 0; at r - 1e-18 the seize is the same and the debt 1e-18 more: -1e-18. fair floor(r/100) = "
  "6.249999999999999997, bonus 0.3125, protocol 0.03125; not toxic (850/900 > 0.85*1.05 = 0.8925): after "
  "292.187500000000000255 / 275.00000000000000024 = 1.0625 exactly",
  {("repay",): "624.99999999999999976", ("seize",): "6.562499999999999997", ("bonus",): "0.3125",
   ("protocol_fee",): "0.03125", ("toxic",): False, ("health_after", "factor"): "1.0625"})
L({"tokens": [AAVE_ETH, USD], "account": [T(0, "10"), T(1, "-960")], "liquidation": ORDER, "close_factor": AAVE_CF},
  "Aave-style toxic: debt/collateral 0.96 > 1/1.05: factor 850/960 = 0.885 < 0.8925; the target needs r = 1000 > 960 "
  "and seize <= 10 caps r: floor(r*1.05/100) <= 10 <=> r*1.05 < 1000.0000000000000001 <=> r <= 952.380952380952381047 "
  "(r*1.05/100 = 10.0000000000000000009935 seizes exactly 10, the whole deposit): "
  "limit collateral, factor after < before: toxic",
  {("limit",): "collateral", ("toxic",): True, ("repay",): "952.380952380952381047", ("seize",): "10"})
L({"tokens": [AAVE_ETH, USD], "account": [T(0, "10"), T(1, "-893")], "liquidation": dict(ORDER, max_repay="100"),
   "close_factor": AAVE_CF},
  "Aave-style at the toxicity edge from above: factor 850/893 = 0.951847... > 0.8925: repaying 100 (offer) raises it: "
  "(1000 - 105)*0.85 = 760.75 / 793 = 0.959331651954602774", {("toxic",): False, ("limit",): "offer"})
L({"tokens": [AAVE_ETH, USD], "account": [T(0, "10"), T(1, "-893")], "liquidation": dict(ORDER, max_repay="100"),
   "close_factor": AAVE_CF, "market": {"model": "linear", "price": "100", "lambda": "1"}},
  "price impact makes it toxic: as the case above (not toxic at the oracle price), seize 1.05, protocol "
  "ceil(0.05*0.1) = 0.005, the liquidator sells 1.045 into a linear market (lambda 1): price after 100 - 1.045 = "
  "98.955, proceeds 1.045*(100 - 1.045/2) = 103.9539875; valued at 98.955 the 8.95 ETH left give "
  "885.64725*0.85 = 752.8001625 against 793: factor 0.9493066… < 850/893 = 0.9518477…: toxic",
  {("toxic",): False, ("impact", "sold"): "1.045", ("impact", "price_after"): "98.955",
   ("impact", "proceeds"): "103.9539875", ("impact", "toxic"): True})
L({"tokens": [AAVE_ETH, USD], "account": [T(0, "10"), T(1, "-893")], "liquidation": dict(ORDER, max_repay="100"),
  "close_factor": AAVE_CF, "market": {"model": "linear", "price": "100", "lambda": "0.1"}},
  "a deeper market (lambda 0.1): price after 100 - 0.1045 = 99.8955, proceeds 1.045*(100 - 0.05225) = 1.045*99.94775 = "
  "104.44539875; 8.95*99.8955*0.85 = 759.95501625 / 793 = 0.9583291… > 0.9518477…: not toxic",
  {("impact", "price_after"): "99.8955", ("impact", "proceeds"): "104.44539875", ("impact", "toxic"): False})
L({"tokens": [AAVE_ETH, USD], "account": [T(0, "10"), T(1, "-893")], "liquidation": dict(ORDER, max_repay="100"),
   "close_factor": AAVE_CF, "market": {"model": "constant_product", "base": "2", "quote": "200"}},
  "a thin pool: selling 1.045 ETH into 2 ETH / 200: proceeds floor(200*1.045/3.045) = 68.637110016420361247, "
  "price after floor(131.362889983579638753/3.045) = 43.140522162095119459: toxic",
  {("impact", "proceeds"): "68.637110016420361247", ("impact", "price_after"): "43.140522162095119459",
   ("impact", "toxic"): True})
L({"tokens": [AAVE_ETH, USD], "account": [T(0, "10"), T(1, "-893")], "liquidation": dict(ORDER, max_repay="100"),
   "close_factor": AAVE_CF, "market": {"model": "linear", "price": "100"}},
  "the market is read after the liquidation: a missing field is invalid naming market.lambda")
L({"tokens": [AAVE_ETH, USD], "account": [T(0, "0"), T(1, "-5")],
   "waterfall": {"insurance_fund": "10"}, "market": {"model": "linear", "price": "100", "lambda": "1"}},
  "a market without a liquidation is invalid naming market")
L({"tokens": [AAVE_ETH, USD], "account": [T(0, "10"), T(1, "-951")], "liquidation": dict(ORDER, max_repay="100"),
   "close_factor": AAVE_CF},
  "Aave-style toxic, partial: factor 850/951 = 0.893796... > 0.8925? yes, so a partial liquidation still raises it: "
  "(895*0.85 = 760.75) / 851 = 0.893948296122209165", {("toxic",): False})
L({"tokens": [AAVE_ETH, USD], "account": [T(0, "10"), T(1, "-955")], "liquidation": dict(ORDER, max_repay="100"),
   "close_factor": AAVE_CF},
  "Aave-style toxic: 850/955 = 0.890052... < 0.8925: repaying 100 lowers it to 760.75/855 = 0.889766081871345029",
  {("toxic",): True})
# conf and size scaling in liquidations
L({"tokens": [tok("10", "0.8", "0.8", "1.2", "1.2", conf="0.1", liquidation_fee="0.02", protocol_fee_share="0.5"),
              tok("2", "0.8", "0.8", "1.2", "1.2", conf="0.01")],
   "account": [T(0, "10"), T(1, "-40")], "liquidation": ORDER},
  "conf: health values the deposit at 9.9 and the borrow at 2.01, trades at 10 and 2: 79.2 - 96.48 = -17.28; "
  "per unit repaid the debt gains 2.01*1.2 = 2.412 and the deposit loses 2*1.02/10*9.9*0.8 = 1.61568: r ~ 21.69")
L({"tokens": [tok("1", "0.8", "0.8", "1.2", "1.2", size_factor="0.01"), tok("1", "0.8", "0.8", "1.2", "1.2", size_factor="0.01")],
   "account": [T(0, "10000"), T(1, "-4000")], "liquidation": ORDER},
  "size scaling: deposit 10000 weight 0.44 -> 4400, borrow 4000: premium 0.01*sqrt(4000), weight max(1.2, 0.96 + "
  "0.632455532033675867) = 1.592455532033675867 -> 6369.82...; the weights change with the sizes as r moves")
L({"tokens": [FEE, FLAT, USD], "account": [T(0, "10"), T(1, "-9"), T(2, "-1")], "liquidation": ORDER},
  "another borrow (1 USD) stays in the health: -2.8 - 1 + 0.36r = 0 at r = 10.555... > 9: seize(9) = 9.45 <= 10, "
  "so the whole debt: limit position")
L({"tokens": [FLAT, FLAT], "account": [T(0, "10"), T(1, "-9")], "liquidation": ORDER, "waterfall": {"insurance_fund": "5"}},
  "a waterfall given but the account is not bankrupt after the liquidation: bankruptcy null, waterfall unchanged",
  {("bankruptcy",): None})
# bankruptcy
BK = {"tokens": [FLAT, tok("2", "0.8", "0.8", "1.2", "1.2")], "account": [T(0, "0"), T(1, "-5")]}
L(liq(BK, waterfall={"premium_buffer": "20", "insurance_fund": "5", "lender_deposits": "100"}),
  "bankrupt (no asset, borrow 5 at 2): bad debt 10, all from the premium buffer (20 -> 10); balances written off",
  {("bankruptcy", "premium"): "10", ("waterfall", "premium_buffer"): "10", ("account", 1, "balance"): "0"})
L(liq(BK, waterfall={"premium_buffer": "4", "insurance_fund": "10", "lender_deposits": "100"}),
  "bad debt 10: premium 4, insurance 6 (10 -> 4)",
  {("bankruptcy", "premium"): "4", ("bankruptcy", "insurance"): "6", ("waterfall", "insurance_fund"): "4"})
L(liq(BK, waterfall={"premium_buffer": "2", "insurance_fund": "3", "lender_deposits": "300"}),
  "bad debt 10: premium 2, insurance 3, socialised 5 over 300 of deposits: haircut ceil(5/300) = 0.016666666666666667",
  {("bankruptcy", "socialized"): "5", ("bankruptcy", "haircut"): "0.016666666666666667"})
L(liq(BK, waterfall={"premium_buffer": "1", "insurance_fund": "1", "lender_deposits": "3"}),
  "bad debt 10: premium 1, insurance 1, socialised 3 (haircut 1), uncovered 5",
  {("bankruptcy", "uncovered"): "5", ("bankruptcy", "haircut"): "1"})
L(liq(BK, waterfall={}),
  "an empty waterfall: everything uncovered", {("bankruptcy", "uncovered"): "10"})
L({"tokens": [FLAT, tok("0.3", "0.8", "0.8", "1.2", "1.2")], "account": [T(1, "-0.000000000000000001")], "waterfall": {"insurance_fund": "1"}},
  "bad debt rounds up: 1e-18 at 0.3 -> ceil(0.3e-18) = 1e-18", {("bankruptcy", "bad_debt"): "0.000000000000000001"})
L({"tokens": [USD], "perps": [PERP], "account": [T(0, "-1"), P(0, "0", "-5")], "waterfall": {"insurance_fund": "10"}},
  "a perp with no base and quote -5 plus a borrow of 1 USD: bad debt 6 from insurance; perp written off to 0/0",
  {("bankruptcy", "bad_debt"): "6", ("account", 1, "quote"): "0"})
L({"tokens": [USD], "perps": [PERP], "account": [T(0, "-1"), P(0, "0", "5")], "waterfall": {"insurance_fund": "10"}},
  "a positive perp quote is an asset: not bankrupt, bankruptcy null", {("bankruptcy",): None})
L({"tokens": [FLAT, FLAT], "account": [T(0, "10"), T(1, "-12")], "liquidation": ORDER,
   "waterfall": {"premium_buffer": "0.5", "insurance_fund": "1", "lender_deposits": "1000"}},
  "liquidation then bankruptcy: seize <= 10 caps r at 10 (limit collateral), the deposit is gone and 2 is still owed: "
  "bad debt 2 = premium 0.5 + insurance 1 + socialised 0.5 (haircut 0.0005)",
  {("repay",): "10", ("limit",): "collateral", ("bankruptcy", "socialized"): "0.5", ("bankruptcy", "haircut"): "0.0005"})

# ---------- liquidate: perp ----------
PF = perp("100", "0.1", "0.05", liquidation_fee="0.02", protocol_fee_share="0.5")
PORDER = {"kind": "perp", "market": 0}
L({"tokens": [USD], "perps": [PF], "account": [P(0, "10", "-960")], "liquidation": PORDER},
  "perp long 10 at 100, quote -960, fee 2%, share 50%: maintenance -960 + 950 = -10; liq_end margin 0.1: taking s "
  "pays 98s: -960 + 98s + (10 - s)*90 = -60 + 8s = 0 at s = 7.5: notional 750, account quote +735, fee 15, protocol "
  "7.5, liquidator quote -742.5; after base 2.5, quote -225, maintenance -225 + 237.5 = 12.5",
  {("base",): "7.5", ("notional",): "750", ("account_quote",): "735", ("fee",): "15", ("protocol_fee",): "7.5",
   ("liquidator_quote",): "-742.5", ("health_after", "value"): "12.5", ("account", 0, "quote"): "-225"})
L({"tokens": [USD], "perps": [PF], "account": [P(0, "-10", "1040")], "liquidation": PORDER},
  "perp short -10 at 100, quote 1040: maintenance 1040 - 1050 = -10; buying back s costs 102s: 1040 - 102s - "
  "(10 - s)*110 = -60 + 8s = 0 at s = 7.5: base -7.5, notional 750, account quote -765, fee 15, protocol 7.5, "
  "liquidator quote 757.5; after -2.5 / 275",
  {("base",): "-7.5", ("account_quote",): "-765", ("liquidator_quote",): "757.5", ("account", 0, "quote"): "275"})
L({"tokens": [USD], "perps": [PF], "account": [P(0, "10", "-960")], "liquidation": dict(PORDER, max_base="2")},
  "perp offer 2: base 2, notional 200, account quote 196, fee 4, protocol 2; target -60 + 16 = -44",
  {("base",): "2", ("limit",): "offer", ("target_after",): "-44"})
L({"tokens": [USD], "perps": [PF], "account": [P(0, "10", "-960")], "liquidation": PORDER,
   "close_factor": {"normal": "0.5"}},
  "perp close factor 0.5 of the position: 5 < 7.5: base 5, limit close_factor", {("base",): "5", ("limit",): "close_factor"})
L({"tokens": [USD], "perps": [PF], "account": [P(0, "10", "-960")], "liquidation": PORDER,
   "close_factor": {"normal": "1", "dust": "300"}},
  "perp dust 300: 7.5 leaves 2.5*100 = 250 < 300: the whole position, limit dust", {("base",): "10", ("limit",): "dust"})
L({"tokens": [USD], "perps": [PF], "account": [P(0, "10", "-960")], "liquidation": PORDER, "target": "maintenance"},
  "perp target maintenance: -10 + (98 - 95)s = 0 at s = 3.333...; the grid gives 3.333333333333333334",
  {("base",): "3.333333333333333334"})
L({"tokens": [USD], "perps": [PF], "account": [P(0, "10", "-1200")], "liquidation": PORDER},
  "perp long deep underwater: -1200 + 98s + (10 - s)*90 = -300 + 8s needs s = 37.5 > 10: the whole position, "
  "limit position; afterwards base 0, quote -220",
  {("base",): "10", ("limit",): "position", ("account", 0, "quote"): "-220"})
L({"tokens": [USD], "perps": [PF], "account": [P(0, "10", "-1200")], "liquidation": PORDER,
   "waterfall": {"insurance_fund": "100"}},
  "then bankrupt: the quote -220 goes to the insurance fund (100) and 120 is uncovered",
  {("bankruptcy", "bad_debt"): "220", ("bankruptcy", "uncovered"): "120"})
L({"tokens": [USD], "perps": [PF], "account": [P(0, "10", "-900")], "liquidation": PORDER},
  "perp healthy: -900 + 950 = 50: limit healthy, zeros", {("limit",): "healthy", ("base",): "0"})
L({"tokens": [USD], "perps": [perp("100", "0.1", "0.05", liquidation_fee="0.02", protocol_fee_share="0.3", conf="1")],
   "account": [P(0, "10", "-930")], "liquidation": PORDER},
  "perp with conf 1: health values the long at 99 (-930 + 940.5 = 10.5? no: 990*0.95 = 940.5 -> maintenance 10.5 >= 0)",
  {("limit",): "healthy"})
L({"tokens": [USD], "perps": [perp("100", "0.1", "0.05", liquidation_fee="0.02", protocol_fee_share="0.3", conf="1")],
   "account": [P(0, "10", "-945")], "liquidation": PORDER},
  "perp with conf 1: maintenance -945 + 940.5 = -4.5; trades at 100: -945 + 98s + (10 - s)*99*0.9 = -53.9 + 8.9s "
  "-> s = 6.0561797752808988764…; protocol share 0.3")
L({"tokens": [USD], "perps": [perp("100", "0.1", "0.05", liquidation_fee="0.01", protocol_fee_share="1", size_factor="0.1")],
   "account": [P(0, "-16", "1800")], "liquidation": PORDER},
  "perp size scaled: short 16: premium 0.1*4 = 0.4, maint margin max(0.05, 0.84 + 0.4 - 1 = 0.24) = 0.24: "
  "1800 - 1600*1.24 = -184; the margin falls as the position shrinks")
L({"tokens": [USD, FLAT], "perps": [PF], "account": [T(0, "-100"), P(0, "10", "-860"), T(1, "5")], "liquidation": PORDER},
  "perp beside tokens: the rest (borrow 100, deposit 5*0.8 = 4) is held fixed: -100 + 4 - 860 + 950 = -6")

# ---------- liquidate: errors ----------
L(liq(), "neither liquidation nor waterfall")
L(liq(liquidation={"kind": "swap"}), "unknown liquidation kind")
L(liq(liquidation={"liability": 1, "collateral": 0}), "kind missing")
L(liq(liquidation=dict(ORDER, liability=0)), "liability == collateral: the collateral is named")
L(liq(liquidation=dict(ORDER, liability=2)), "liability index 2 with two tokens")
L(liq(liquidation=dict(ORDER, collateral=7)), "collateral index 7 with two tokens")
L(liq(liquidation=dict(ORDER, liability=70000)), "liability index beyond u16")
L(liq(liquidation=dict(ORDER, liability=0, collateral=1)), "token 0 is a deposit, not a borrow: liability")
L(liq({"tokens": [FLAT, FLAT, FLAT], "account": [T(0, "10"), T(1, "-9")]}, liquidation=dict(ORDER, collateral=2)),
  "no deposit of token 2: collateral")
L(liq(liquidation=dict(ORDER, max_repay="-1")), "max_repay negative")
L(liq(liquidation=dict(ORDER, max_repay="abc")), "max_repay not a decimal")
L(liq(liquidation=dict(ORDER, max_base="1")), "a token order has no max_base")
L(liq(liquidation=PORDER), "perp market 0 with no perps")
L({"tokens": [USD], "perps": [PF], "account": [T(0, "1")], "liquidation": PORDER}, "no base in perp market 0")
L({"tokens": [USD], "perps": [PF], "account": [P(0, "0", "-5")], "liquidation": PORDER}, "a quote but no base: market")
L({"tokens": [USD], "perps": [PF], "account": [P(0, "1", "-500")], "liquidation": dict(PORDER, max_base="-0.5")},
  "max_base negative")
L({"tokens": [USD], "perps": [PF], "account": [P(0, "1", "-500")], "liquidation": dict(PORDER, liability=0)},
  "a perp order has no liability")
L(liq(liquidation=ORDER, close_factor={"normal": "0"}), "close_factor.normal 0")
L(liq(liquidation=ORDER, close_factor={"normal": "1.5"}), "close_factor.normal above 1")
L(liq(liquidation=ORDER, close_factor={"full_below": "1"}), "close_factor.normal missing")
L(liq(liquidation=ORDER, close_factor={"normal": "0.5", "full_below": "-1"}), "close_factor.full_below negative")
L(liq(liquidation=ORDER, close_factor={"normal": "0.5", "dust": "-1"}), "close_factor.dust negative")
L(liq(liquidation=ORDER, close_factor={"normal": "0.5", "max": "1"}), "unknown key in close_factor")
L(liq(liquidation=ORDER, target="init"), "target must be initial, maintenance or liquidation_end")
L(liq(liquidation=ORDER, waterfall={"premium_buffer": "-1"}), "waterfall.premium_buffer negative")
L(liq(liquidation=ORDER, waterfall={"insurance_fund": "-1"}), "waterfall.insurance_fund negative")
L(liq(liquidation=ORDER, waterfall={"lender_deposits": "-1"}), "waterfall.lender_deposits negative")
L(liq(liquidation=ORDER, waterfall={"fund": "1"}), "unknown key in waterfall")
L(liq(liquidation="token"), "liquidation is not an object")
L(liq({"tokens": [FLAT, dict(FLAT, maint_asset_weight="0.5")], "account": [T(0, "10"), T(1, "-9")]}, liquidation=ORDER),
  "nested parameter errors name their path")
L(liq({"tokens": [FLAT, FLAT], "account": [T(0, "10"), T(2, "-9")]}, liquidation=ORDER), "account token index out of range")
L(liq(liquidation=ORDER, seed=1), "unknown top-level key")


def check_hand(out, hand, note):
    for path, want in hand.items():
        got = sub(out, path)
        assert got == want, f"{note[:60]}: {path} = {got!r}, hand-worked {want!r}"


def main():
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    for name, cases in [("health", HEALTH), ("liquidate", LIQ)]:
        with open(os.path.join(here, f"{name}.jsonl"), "w") as f:
            for op, inp, note, hand in cases:
                SMALLEST.clear()
                out = expect(op, inp)
                if "current" in SMALLEST:
                    least, got = SMALLEST["current"]
                    note += (f" [the target is not monotone on the grid here: the smallest size meeting it is "
                             f"{fmt(least)}, the search of §8.2 (the search) stops at the boundary {fmt(got)}]")
                    print("non-monotone:", note[:70], fmt(least), fmt(got))
                if hand:
                    assert "error" not in out, (note, out)
                    check_hand(out, hand, note)
                line = {"op": op, "input": inp, "expect": out, "note": note}
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
        print(name, len(cases))


if __name__ == "__main__":
    main()
