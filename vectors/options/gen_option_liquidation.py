#!/usr/bin/env python3
"""Generates vectors/options/option_liquidation.jsonl (the op `liquidate` with an option order:
a short bought back, a long seized; vectors/README.md §8.2, "Option liquidation") and
vectors/options/option_expiry.jsonl (the op `option_expiry`, §8.6).

An independent model written from the spec, not from the Rust code. The world, health, the
search, the close factor and the waterfall are the models of vectors/risk/gen_risk.py and
vectors/options/gen_account_health.py (imported, unchanged); this script adds the option order.
Black-Scholes-Merton values come from mpmath (gen_option_margin.price: 80 digits, re-checked at
120); everything else is exact integer arithmetic with explicit floor and ceil. Hand-worked cases
are checked against the arithmetic written in their notes before the file is written.

Run: python3 vectors/options/gen_option_liquidation.py   (writes both files beside it)
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "risk"))
sys.path.insert(0, HERE)

import gen_account_health as A  # noqa: E402  (patches gen_risk with the option series)

R = A.R
S = R.S
fmt = R.fmt


def seize_amounts(size, cleared, taken, fee, share):
    """The token liquidation's exchange (§8.2): value ⌊size·cleared⌋, seize ⌊value·(1+fee)/taken⌋,
    bonus seize − ⌊value/taken⌋, protocol fee ⌈bonus·share⌉."""
    value = R.mul_floor(size, cleared)
    seize = R.mul_div_floor(value, S + fee, taken)
    bonus = seize - R.div_floor(value, taken)
    return value, seize, bonus, R.mul_ceil(bonus, share)


def option_liquidation(world, cf, level, series, token, max_size, out):
    if max_size is not None and max_size < 0:
        raise R.invalid("liquidation.max_size")
    o = world["options"][series]
    opos = R.balance(world, "option", series)
    q = opos[2] if opos else 0
    if q == 0:
        raise R.invalid("liquidation.series")
    t = world["tokens"][token]
    tpos = R.balance(world, "token", token)
    bal = tpos[2] if tpos else 0
    spot = world["tokens"][o["underlying"]]["price"][0]
    short = q < 0
    if short:
        # the mark is computed before the side's checks (its spot is checked first)
        mark = A.value(o, spot, "ceil")
        if bal <= 0:
            raise R.invalid("liquidation.token")
        cleared, taken = mark, t["price"][0]
        position, held = -q, bal
    else:
        mark = A.value(o, spot, "floor")
        if bal >= 0:
            raise R.invalid("liquidation.token")
        if mark <= 0:
            raise R.invalid("liquidation.mark")
        cleared, taken = t["price"][0], mark
        position, held = -bal, q
    fee, share = o["fee"], o["share"]
    bf = S + fee

    def seize(x):
        return R.mul_div_floor(R.mul_floor(x, cleared), bf, taken)

    def after(x):
        sz = seize(x)
        return (q + x, bal - sz) if short else (q - sz, bal + x)

    def pair(level_, x):
        nq, nb = after(x)
        return R.chk(A.option_contribution(world, ["option", series, nq], level_)
                     + R.token_contribution(t, level_, nb))

    skip = lambda p: (p[0] == "token" and p[1] == token) or (p[0] == "option" and p[1] == series)
    before = R.health(world, "maintenance")
    rest = R.health(world, level, skip).value()
    target = lambda x: R.chk(rest + pair(level, x))
    tb = target(0)
    if before.value() >= 0:
        size, limit, aft = 0, "healthy", before
    else:
        share_cf = R.share_of(cf, before.factor(), R.mul_ceil(position, cleared), R.mul_floor(held, taken))
        # The collateral cap: the largest size whose seize fits in what is held (by scan of the
        # monotone seize: bisection for the first size over).
        if seize(position) <= held:
            coll_cap = position
        else:
            lo, hi = 0, position
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if seize(mid) > held:
                    hi = mid
                else:
                    lo = mid
            coll_cap = lo
        cap, cap_limit = R.tightest([
            (position, "position"),
            (coll_cap, "collateral"),
            (R.mul_floor(position, share_cf), "close_factor"),
            (R.MAX if max_size is None else max_size, "offer"),
        ])
        if tb >= 0:
            size, limit = 0, "target"
        elif cap == 0 or target(cap) < 0:
            size, limit = cap, cap_limit
        else:
            own = A.option_contribution(world, ["option", series, q], level)
            if short:
                freed = R.div_floor(-own, -q)
                wc = R.asset_weight(t, level, bal)
                cost = R.chk(R.cdiv(R.mul_ceil(mark, bf) * R.mul_ceil(t["price"][0] - t["price"][1], wc), t["price"][0]))
                slope = freed - cost
            else:
                wl = R.liab_weight(t, level, -bal)
                gain = R.mul_floor(t["price"][0] + t["price"][1], wl)
                unit = R.div_ceil(own, q)
                loss = R.chk(R.cdiv(R.mul_ceil(t["price"][0], bf) * unit, mark))
                slope = gain - loss
            guess = position if slope <= 0 else R.div_ceil(-tb, slope)
            size, limit = R.searched(cap, guess, lambda x: target(x) >= 0), "target"
        if limit == "target" and cap > size and R.is_dust(cf, R.mul_ceil(position - size, cleared)):
            size, limit = cap, "dust"
        aft = R.health(world, "maintenance", skip)
        aft.add(pair("maintenance", size))
    ta = target(size)
    value, sz, bonus, pfee = seize_amounts(size, cleared, taken, fee, share)
    assert sz == seize(size)
    out["kind"] = "option"
    out["side"] = "short" if short else "long"
    out["size"] = fmt(size)
    out["mark"] = fmt(mark)
    out["value"] = fmt(value)
    out["seize"] = fmt(sz)
    out["bonus"] = fmt(bonus)
    out["protocol_fee"] = fmt(pfee)
    out["liquidator_receives"] = fmt(sz - pfee)
    R.outcome(out, limit, before, aft, tb, ta)
    nq, nb = after(size)
    opos[2] = nq
    tpos[2] = nb


def run_liquidate(inp):
    """gen_risk.run_liquidate with the option order added (the rest is its code path)."""
    root = R.Obj(inp, "")
    order = inp.get("liquidation")
    if not (isinstance(order, dict) and order.get("kind") == "option"):
        return R.run_liquidate(inp)
    root.strict(R.LIQUIDATE_KEYS)
    world = R.read_world(root)
    cf = {"normal": S, "full_below": 0, "dust": 0}
    if root.has("close_factor"):
        f = root.object("close_factor")
        f.strict(["normal", "full_below", "dust"])
        cf = {"normal": f.decimal("normal"), "full_below": f.decimal_or("full_below", 0),
              "dust": f.decimal_or("dust", 0)}
        if cf["normal"] <= 0 or cf["normal"] > S:
            raise R.invalid("close_factor.normal")
        if cf["full_below"] < 0:
            raise R.invalid("close_factor.full_below")
        if cf["dust"] < 0:
            raise R.invalid("close_factor.dust")
    level = root.choice("target", R.LEVELS) if root.has("target") else "liquidation_end"
    wf = None
    if root.has("waterfall"):
        f = root.object("waterfall")
        f.strict(["premium_buffer", "insurance_fund", "lender_deposits"])
        wf = [f.decimal_or(k, 0) for k in ["premium_buffer", "insurance_fund", "lender_deposits"]]
        for k, v in zip(["premium_buffer", "insurance_fund", "lender_deposits"], wf):
            if v < 0:
                raise R.invalid(f.name(k))
    o = root.object("liquidation")
    if root.has("market"):
        raise R.invalid("market")
    o.strict(["kind", "series", "token", "max_size"])
    series = R.index(o, "series", len(world["options"]))
    token = R.index(o, "token", len(world["tokens"]))
    max_size = o.decimal("max_size") if o.has("max_size") else None
    out = {}
    option_liquidation(world, cf, level, series, token, max_size, out)
    report = None
    if wf is not None and R.is_bankrupt(world):
        bad = 0
        for pos in world["account"]:
            bad = R.chk(bad + R.owed(world, pos))
        premium = min(bad, wf[0])
        rest = bad - premium
        insurance = min(rest, wf[1])
        rest -= insurance
        socialized = min(rest, wf[2])
        uncovered = rest - socialized
        haircut = 0 if socialized == 0 else R.div_ceil(socialized, wf[2])
        wf = [wf[0] - premium, wf[1] - insurance, wf[2] - socialized]
        report = {"bad_debt": fmt(bad), "premium": fmt(premium), "insurance": fmt(insurance),
                  "socialized": fmt(socialized), "uncovered": fmt(uncovered), "haircut": fmt(haircut)}
        for pos in world["account"]:
            R.zero(pos)
    out["account"] = [R.position_json(pos) for pos in world["account"]]
    out["bankruptcy"] = report
    if wf is not None:
        out["waterfall"] = {"premium_buffer": fmt(wf[0]), "insurance_fund": fmt(wf[1]), "lender_deposits": fmt(wf[2])}
    return out


def expect_liquidate(inp):
    try:
        return run_liquidate(json.loads(json.dumps(inp)))
    except R.OpError as e:
        return e.value()


# ---- option_expiry (§8.6) -------------------------------------------------------------------

def run_expiry(inp):
    root = R.Obj(inp, "")
    root.strict(["kind", "strike", "spot", "quantity", "price"])
    kind = root.choice("kind", ["call", "put"])
    strike = root.decimal("strike")
    spot = root.decimal("spot")
    q = root.decimal("quantity")
    price = root.decimal_or("price", spot)
    if strike <= 0 or strike > A.MAX_PRICE:
        raise R.invalid("strike")
    if spot <= 0 or spot > A.MAX_PRICE:
        raise R.invalid("spot")
    if price <= 0:
        raise R.invalid("price")
    intrinsic = max(spot - strike, 0) if kind == "call" else max(strike - spot, 0)
    if q < 0:
        owed = R.mul_ceil(-q, intrinsic)
        value, tokens = -owed, -R.div_ceil(owed, price)
    else:
        value = R.mul_floor(q, intrinsic)
        tokens = R.div_floor(value, price)
    return {"intrinsic": fmt(intrinsic), "value": fmt(value), "tokens": fmt(tokens)}


def expect_expiry(inp):
    try:
        return run_expiry(json.loads(json.dumps(inp)))
    except R.OpError as e:
        return e.value()


# ---- cases ----------------------------------------------------------------------------------

LIQ, EXP = [], []


def liq(note, inp, hand=None):
    got = expect_liquidate(inp)
    if hand:
        for k, v in hand.items():
            assert got.get(k) == v, (note, k, got.get(k), v)
    LIQ.append({"op": "liquidate", "input": inp, "expect": got, "note": note})
    return got


def exp(note, inp, hand=None):
    got = expect_expiry(inp)
    if hand:
        assert got == hand, (note, got, hand)
    EXP.append({"op": "option_expiry", "input": inp, "expect": got, "note": note})


USD = {"price": "1", "init_asset_weight": "1", "maint_asset_weight": "1", "init_liab_weight": "1",
       "maint_liab_weight": "1"}
# stETH, the shared collateral of the seed's story: weights 0.8 / 0.85, liq_end 0.8
STETH = {"price": "2000", "init_asset_weight": "0.8", "maint_asset_weight": "0.85", "init_liab_weight": "1.2",
         "maint_liab_weight": "1.15"}


def series(kind, strike, t, vol, underlying=1, **extra):
    return {"kind": kind, "underlying": underlying, "strike": strike, "t": t, "vol": vol, **extra}


def world(options, account, tokens=None, **extra):
    return {"tokens": tokens or [USD, STETH], "options": options, "account": account, **extra}


def tok(i, b):
    return {"token": i, "balance": b}


def opt(i, q):
    return {"option": i, "quantity": q}


def order(series_, token, **kw):
    return {"kind": "option", "series": series_, "token": token, **kw}


def hand_worked():
    # A put worth nothing at the grid is the simplest hand case: the mark is V⌈S⌉ = 1e-18 (an
    # option far out of the money has a positive value below 1e-18), so the short's charge is its
    # add-on alone. Instead, the hand case uses a series whose margin rates are zero except
    # mm_floor / im_floor, with USD collateral (weight 1, price 1), so the arithmetic is linear:
    # deep ITM put K=4000 at S=2000, t tiny, r 5 %: V ≈ 4000·e^(−rt) − 2000 ≈ 1999.98 (its mark is
    # computed, not assumed).
    put = series("put", "4000", "0.0001", "0.5", rate="0.05", liquidation_fee="0.01", protocol_fee_share="0.2",
                 margin={"im_base": "0", "im_floor": "0.1", "mm_base": "0", "mm_floor": "0.05"})
    inp = world([put], [tok(0, "4150"), opt(0, "-2")]) | {"liquidation": order(0, 0)}
    o = A.read_option(R.Obj(put, "options[0]"), 2)
    m = A.value(o, 2000 * S, "ceil")
    assert 1999 * S < m <= 2000 * S + S // 10, m
    # Per unit: maintenance charge M + mm_rate with mm_rate = 0.05·max(S, M) (put floor) = 100;
    # the liquidation end charges M + (IM − M) with IM = max(0.1·2000 + M, MM) = 200 + M.
    # Health at maintenance: 4150 − ⌈2·M⌉ − 200 < 0 (2·M ≈ 3999.96).
    # Target (liq_end): T(x) = (4150 − seize(x)) − ⌈(2 − x)·M⌉ − ⌈(2 − x)·200⌉, seize(x) = ⌊⌊x·M⌋·1.01⌋;
    # each unit bought back frees M + 200 and costs 1.01·M ≈ M + 20: k ≈ 180, T₀ = 4150 − 2M − 400.
    tb = 4150 * S - R.mul_ceil(2 * S, m) - 400 * S
    k = (m + 200 * S) - R.mul_ceil(m, 101 * S // 100)
    x = R.div_ceil(-tb, k)
    got = liq(f"hand-worked: 4150 USD, short 2 deep-ITM puts K=4000 at S=2000 (t=0.0001, vol 0.5, r 0.05, mark "
              f"M = ceil(V) = {fmt(m)}), fee 1 %, protocol share 20 %, rates im_floor 0.1 / mm_floor 0.05 only: "
              f"T0 = 4150 - ceil(2M) - 2*200 = {fmt(tb)}; each unit bought back frees M + 200 of liq-end charge and "
              f"costs 1.01*M: k = {fmt(k)}, size ceil(-T0/k) = {fmt(x)} (the search confirms it on the grid); "
              f"seize = floor(floor(x*M)*1.01), bonus = seize - floor(x*M), protocol fee = ceil(0.2*bonus)",
              inp)
    assert got["size"] == fmt(x), (got["size"], fmt(x))
    v = R.mul_floor(x, m)
    sz = R.mul_floor(v, 101 * S // 100)
    assert got["seize"] == fmt(sz) and got["bonus"] == fmt(sz - v) and got["protocol_fee"] == fmt(R.mul_ceil(sz - v, S // 5))

    # Long seized, hand-worked: a long call deep in the money as the only collateral of a USD borrow.
    call = series("call", "1000", "0.0001", "0.5", rate="0.05", liquidation_fee="0.1")
    o = A.read_option(R.Obj(call, "options[0]"), 2)
    v = A.value(o, 2000 * S, "floor")
    assert 1000 * S - S // 10 < v <= 1000 * S + S // 10, v
    inp = world([call], [opt(0, "3"), tok(0, "-3001")]) | {"liquidation": order(0, 0)}
    # Health (weights 1): 3·V − 3001 < 0 (V ≈ 1000.005). Each USD repaid frees 1 and takes
    # 1.1 USD of option value: k = 1 − 1.1 < 0, so the liquidation cannot restore health: the estimate
    # is the whole debt and the cap binds: the collateral (seize ≤ 3 units) at r ≈ 3V/1.1.
    got = liq(f"hand-worked: long 3 deep-ITM calls K=1000 at S=2000 (t=0.0001, r 0.05, V = floor = {fmt(v)}) against a 3001 USD "
              f"borrow, fee 10 %: every USD repaid takes 1.1 USD of options, so health cannot be restored; the "
              f"liquidation runs to the collateral cap: the largest repay r with floor(r*1.1/V) <= 3 "
              f"(limit collateral, toxic)", inp)
    assert got["limit"] == "collateral" and got["toxic"] is True, got
    r = R.parse(got["size"])
    assert R.mul_div_floor(r, 11 * S // 10, v) <= 3 * S < R.mul_div_floor(r + 1, 11 * S // 10, v)


def cases():
    hand_worked()
    call = series("call", "2000", "0.25", "0.8", rate="0.05", liquidation_fee="0.03", protocol_fee_share="0.5")
    put = series("put", "1800", "0.5", "0.9", rate="0.05", liquidation_fee="0.02")
    usdc = {"price": "1", "init_asset_weight": "0.9", "maint_asset_weight": "0.95", "init_liab_weight": "1.1",
            "maint_liab_weight": "1.05"}
    toks3 = [USD, STETH, usdc]
    liq("short ETH call bought back against stETH collateral (the underlying itself): 0.25 stETH, short 1 call "
        "K=2000 t=0.25 vol 0.8, fee 3 %, protocol share 50 %: maintenance 425 - (V + 150) < 0; the target "
        "(liq_end: stETH weight 0.8, initial add-on 300) is met at the size found",
        world([call], [tok(1, "0.25"), opt(0, "-1")]) | {"liquidation": order(0, 1)})
    liq("the same account at the maintenance target: a smaller buy-back",
        world([call], [tok(1, "0.25"), opt(0, "-1")]) | {"liquidation": order(0, 1), "target": "maintenance"})
    liq("close factor 0.5: at most half the short is bought back in one liquidation (limit close_factor)",
        world([call], [tok(1, "0.25"), opt(0, "-1")]) | {"liquidation": order(0, 1), "close_factor": {"normal": "0.5"}})
    liq("the liquidator's offer: at most 0.1 units (limit offer)",
        world([call], [tok(1, "0.25"), opt(0, "-1")]) | {"liquidation": order(0, 1, max_size="0.1")})
    liq("short put against USD: 1000 USD, short 2 puts K=1800 t=0.5 vol 0.9 r 0.05, fee 2 %",
        world([put], [tok(0, "1000"), opt(0, "-2")]) | {"liquidation": order(0, 0)})
    liq("collateral cap: 50 USD cannot pay for the buy-back of a short worth more: the deposit goes, all but the "
        "residue that the rounded-down seize leaves",
        world([put], [tok(0, "50"), opt(0, "-2")]) | {"liquidation": order(0, 0)})
    liq("dust: the rest of the short would be worth less than 600 USD, so the whole short is bought back "
        "(limit dust)",
        world([put], [tok(0, "1000"), opt(0, "-2")]) | {"liquidation": order(0, 0),
                                                        "close_factor": {"normal": "1", "dust": "600"}})
    liq("healthy: nothing happens (limit healthy)",
        world([call], [tok(1, "5"), opt(0, "-1")]) | {"liquidation": order(0, 1)})
    liq("a short with a USD borrow and a stETH deposit: the option is bought back with stETH, the borrow stays",
        world([call], [tok(1, "1"), tok(0, "-1300"), opt(0, "-1")]) | {"liquidation": order(0, 1)})
    liq("a long put seized for a USDC borrow (liability weight 1.1 at the liquidation end, fee 2 %): each USDC "
        "repaid frees 1.1 and takes 1.02 of options; the target is met",
        world([put], [opt(0, "10"), tok(2, "-3600"), tok(1, "0.1")], tokens=toks3) | {"liquidation": order(0, 2)})
    liq("a long seized with weight-1 USD debt: every USD repaid frees 1 and takes 1.02 of options, so health "
        "cannot be restored; it runs to the collateral cap (toxic)",
        world([put], [opt(0, "5"), tok(0, "-2200"), tok(1, "0.1")]) | {"liquidation": order(0, 0)})
    liq("a long call seized for a USDC borrow with a close factor 0.5 and an offer of 50 USDC (limit offer)",
        world([call], [opt(0, "2"), tok(2, "-800")], tokens=toks3) | {"liquidation": order(0, 2, max_size="50"),
                                                                      "close_factor": {"normal": "0.5"}})
    liq("confidence: stETH conf 10, the short call is charged at the worse end; bought back at the point price",
        world([call], [tok(1, "0.25"), opt(0, "-1")],
              tokens=[USD, dict(STETH, conf="10")]) | {"liquidation": order(0, 1)})
    liq("a waterfall after the liquidation: the residue of the deposit keeps the account from bankruptcy, so the "
        "waterfall is not touched",
        world([put], [tok(0, "50"), opt(0, "-2")]) | {"liquidation": order(0, 0),
                                                      "waterfall": {"premium_buffer": "30", "insurance_fund": "1000"}})
    # errors
    base = world([call, put], [tok(1, "0.75"), tok(0, "-10"), opt(0, "-1")])
    liq("max_size negative", base | {"liquidation": order(0, 1, max_size="-1")})
    liq("series out of range", base | {"liquidation": order(2, 1)})
    liq("no position in that series", base | {"liquidation": order(1, 1)})
    liq("token out of range", base | {"liquidation": order(0, 2)})
    liq("a short paid from a token the account has no deposit of (it borrows it)", base | {"liquidation": order(0, 0)})
    liq("unknown key in an option order", base | {"liquidation": order(0, 1, max_repay="1")})
    liq("series not an integer", base | {"liquidation": order("0", 1)})
    liq("market is for token orders only", base | {"liquidation": order(0, 1), "market": {"kind": "linear"}})
    liq("a long seized for a token the account does not borrow",
        world([put], [opt(0, "5"), tok(0, "-1100"), tok(1, "0.1")]) | {"liquidation": order(0, 1)})
    liq("a long worth nothing at the mark (far OTM call, 1 day): nothing to seize",
        world([series("call", "100000", "0.0027", "0.2")], [opt(0, "5"), tok(0, "-1")]) | {"liquidation": order(0, 0)})
    liq("liquidation_fee 1 is out of range for a series",
        world([series("call", "2000", "1", "0.5", liquidation_fee="1")], [opt(0, "-1"), tok(0, "1")])
        | {"liquidation": order(0, 0)})
    liq("protocol_fee_share above 1",
        world([series("call", "2000", "1", "0.5", protocol_fee_share="1.5")], [opt(0, "-1"), tok(0, "1")])
        | {"liquidation": order(0, 0)})

    exp("hand-worked: short 1.5 calls K=2000 settle at S=2100: intrinsic 100, owes 150 = 0.075 stETH at 2000",
        {"kind": "call", "strike": "2000", "spot": "2100", "quantity": "-1.5", "price": "2000"},
        {"intrinsic": "100", "value": "-150", "tokens": "-0.075"})
    exp("hand-worked: long 1 put K=1000 at S=997, paid in a token of price 7: 3/7 rounded down",
        {"kind": "put", "strike": "1000", "spot": "997", "quantity": "1", "price": "7"},
        {"intrinsic": "3", "value": "3", "tokens": "0.428571428571428571"})
    exp("hand-worked: the writer of that put pays 3/7 rounded up",
        {"kind": "put", "strike": "1000", "spot": "997", "quantity": "-1", "price": "7"},
        {"intrinsic": "3", "value": "-3", "tokens": "-0.428571428571428572"})
    exp("out of the money: nothing either way",
        {"kind": "call", "strike": "2000", "spot": "1999.999999999999999999", "quantity": "-3"},
        {"intrinsic": "0", "value": "0", "tokens": "0"})
    exp("price defaults to the spot (settled in the underlying): long 2 calls K=1500 at 2000 receive 1000 = 0.5",
        {"kind": "call", "strike": "1500", "spot": "2000", "quantity": "2"},
        {"intrinsic": "500", "value": "1000", "tokens": "0.5"})
    exp("a quantity with 18 digits: floor and ceil differ by one unit",
        {"kind": "call", "strike": "1", "spot": "1.5", "quantity": "0.000000000000000001"},
        {"intrinsic": "0.5", "value": "0", "tokens": "0"})
    exp("the same short: owes one unit (ceil)",
        {"kind": "call", "strike": "1", "spot": "1.5", "quantity": "-0.000000000000000001"},
        {"intrinsic": "0.5", "value": "-0.000000000000000001", "tokens": "-0.000000000000000001"})
    exp("strike zero", {"kind": "call", "strike": "0", "spot": "1", "quantity": "1"})
    exp("spot above 10^18", {"kind": "call", "strike": "1", "spot": "1000000000000000001", "quantity": "1"})
    exp("price zero", {"kind": "call", "strike": "1", "spot": "2", "quantity": "1", "price": "0"})
    exp("kind neither call nor put", {"kind": "straddle", "strike": "1", "spot": "2", "quantity": "1"})
    exp("unknown key", {"kind": "call", "strike": "1", "spot": "2", "quantity": "1", "t": "0"})
    exp("quantity missing", {"kind": "call", "strike": "1", "spot": "2"})


if __name__ == "__main__":
    cases()
    for name, rows in [("option_liquidation.jsonl", LIQ), ("option_expiry.jsonl", EXP)]:
        with open(os.path.join(HERE, name), "w") as f:
            for c in rows:
                f.write(json.dumps(c, ensure_ascii=False) + "\n")
        print(name, len(rows))
