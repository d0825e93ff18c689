#!/usr/bin/env python3
"""Generates vectors/options/account_health.jsonl: the op `health` of accounts that hold option
positions (vectors/README.md §8.1, "Option series" and "Option positions").

An independent model written from the spec, not from the Rust code. The token and perp parts are
the model of vectors/risk/gen_risk.py (imported, unchanged); this script adds the option series,
the option positions, their contribution and the `nonlinear` liquidation price. Black-Scholes-Merton
values come from mpmath at 80 digits, re-checked at 120 (gen_option_margin.price), and the standard
margin's add-on from its own formula below.

Run: python3 vectors/options/gen_account_health.py   (writes account_health.jsonl beside it)
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "risk"))
sys.path.insert(0, HERE)

import gen_risk as R  # noqa: E402
from gen_option_margin import price as bs_price  # noqa: E402

S = R.S
MAX_PRICE = 10**36
MAX_VOL = 10 * S
MAX_T = 100 * S
OPTION_KEYS = [
    "kind", "underlying", "strike", "t", "vol", "rate", "yield", "init_long_weight", "maint_long_weight",
    "liq_end_long_weight", "margin", "liquidation_fee", "protocol_fee_share",
]
MARGIN_KEYS = ["im_base", "im_floor", "mm_base", "mm_floor"]
DERIBIT = {"im_base": 15 * S // 100, "im_floor": S // 10, "mm_base": 75 * S // 1000, "mm_floor": 75 * S // 1000}


def read_margin(f):
    if not f.has("margin"):
        return dict(DERIBIT)
    m = f.object("margin")
    m.strict(MARGIN_KEYS)
    p = {k: m.decimal_or(k, DERIBIT[k]) for k in MARGIN_KEYS}
    for key, hi in [("im_base", S), ("im_floor", S), ("mm_base", p["im_base"]), ("mm_floor", p["im_floor"])]:
        if p[key] < 0 or p[key] > hi:
            raise R.invalid(m.name(key))
    return p


def read_option(f, n_tokens):
    f.strict(OPTION_KEYS)
    kind = f.choice("kind", ["call", "put"])
    underlying = R.index(f, "underlying", n_tokens)
    strike = f.decimal("strike")
    t = f.decimal("t")
    iw = f.decimal_or("init_long_weight", S)
    mw = f.decimal_or("maint_long_weight", S)
    lw = f.decimal_or("liq_end_long_weight", iw)
    margin = read_margin(f)
    fee = f.decimal_or("liquidation_fee", 0)
    share = f.decimal_or("protocol_fee_share", 0)
    if strike <= 0 or strike > MAX_PRICE:
        raise R.invalid(f.name("strike"))
    if t <= 0 or t > MAX_T:
        raise R.invalid(f.name("t"))
    R.within(iw, 0, S, f, "init_long_weight")
    R.within(mw, iw, S, f, "maint_long_weight")
    R.within(lw, iw, mw, f, "liq_end_long_weight")
    if fee < 0 or fee >= S:
        raise R.invalid(f.name("liquidation_fee"))
    R.within(share, 0, S, f, "protocol_fee_share")
    vol = f.decimal("vol")
    rate = f.decimal_or("rate", 0)
    yld = f.decimal_or("yield", 0)
    if vol <= 0 or vol > MAX_VOL:
        raise R.invalid(f.name("vol"))
    if rate < -S or rate > S:
        raise R.invalid(f.name("rate"))
    if yld < -S or yld > S:
        raise R.invalid(f.name("yield"))
    return {
        "kind": kind, "underlying": underlying, "strike": strike, "t": t,
        "long": {"initial": iw, "maintenance": mw, "liquidation_end": lw},
        "margin": margin, "fee": fee, "share": share, "vol": vol, "rate": rate, "yield": yld,
    }


def read_world(root):
    tokens = [R.read_token(t) for t in root.objects("tokens")]
    perps = [R.read_perp(p) for p in root.objects("perps")] if root.has("perps") else []
    options = [read_option(o, len(tokens)) for o in root.objects("options")] if root.has("options") else []
    account = []
    for f in root.objects("account"):
        if f.has("token"):
            f.strict(["token", "balance"])
            pos = ["token", R.index(f, "token", len(tokens)), f.decimal("balance")]
        elif f.has("perp"):
            f.strict(["perp", "base", "quote"])
            pos = ["perp", R.index(f, "perp", len(perps)), f.decimal("base"), f.decimal_or("quote", 0)]
        elif f.has("option"):
            f.strict(["option", "quantity"])
            pos = ["option", R.index(f, "option", len(options)), f.decimal("quantity")]
        else:
            raise R.invalid(f.path)
        if any(p[0] == pos[0] and p[1] == pos[1] for p in account):
            raise R.invalid(f.path)
        if len(account) >= R.CAPACITY:
            raise R.OpError("capacity", "positions")
        account.append(pos)
    return {"tokens": tokens, "perps": perps, "options": options, "account": account}


def long_spot(o, token):
    """A long is valued where it is worth less: price - conf for a call, price + conf for a put."""
    price, conf = token["price"]
    return price - conf if o["kind"] == "call" else price + conf


def value(o, spot, direction):
    if spot <= 0 or spot > MAX_PRICE:
        raise R.invalid("spot")
    return bs_price(o["kind"], spot, o["strike"], o["vol"], o["t"], o["rate"], o["yield"], direction)


def add_on(o, spot, size, mark, level):
    """The standard margin beyond the mark: ⌈size · (IM − mark)⌉ or ⌈size · (MM − mark)⌉."""
    p = o["margin"]
    otm = max(o["strike"] - spot, 0) if o["kind"] == "call" else max(spot - o["strike"], 0)
    im_rate = max(R.mul_ceil(p["im_base"], spot) - otm, R.mul_ceil(p["im_floor"], spot))
    floor_base = spot if o["kind"] == "call" else max(spot, mark)
    mm_rate = max(R.mul_ceil(p["mm_base"], spot) - otm, R.mul_ceil(p["mm_floor"], floor_base))
    mm_unit = R.chk(mm_rate + mark)
    im_unit = max(R.chk(im_rate + mark), mm_unit)
    if level == "maintenance":
        return R.mul_ceil(size, mm_rate)
    return R.mul_ceil(size, R.chk(im_unit - mark))


def short_charge(o, spot, size, level):
    v = value(o, spot, "ceil")
    return R.chk(R.mul_ceil(size, v) + add_on(o, spot, size, v, level))


def option_contribution(world, pos, level):
    o = world["options"][pos[1]]
    q = pos[2]
    if q == 0:
        return 0
    token = world["tokens"][o["underlying"]]
    if q > 0:
        v = value(o, long_spot(o, token), "floor")
        return R.mul_floor(R.mul_floor(q, v), o["long"][level])
    price, conf = token["price"]
    if conf == 0:
        return -short_charge(o, price, -q, level)
    # A short is charged at the end of the confidence interval where value + add-on is larger.
    return -max(short_charge(o, price - conf, -q, level), short_charge(o, price + conf, -q, level))


_token_or_perp = R.contribution
_linear_price = R.liquidation_price
_token_or_perp_state = R.bankruptcy_state
_token_or_perp_owed = R.owed
_token_or_perp_zero = R.zero
_token_or_perp_json = R.position_json


def contribution(world, pos, level):
    if pos[0] == "option":
        return option_contribution(world, pos, level)
    return _token_or_perp(world, pos, level)


def liquidation_price(world, pos):
    moving = world["options"][pos[1]]["underlying"] if pos[0] == "option" else (pos[1] if pos[0] == "token" else None)
    if moving is not None and any(
        p[0] == "option" and world["options"][p[1]]["underlying"] == moving for p in world["account"]
    ):
        return {"kind": "nonlinear"}
    return _linear_price(world, pos)


def bankruptcy_state(pos):
    """A long option is an asset; a short one owes."""
    if pos[0] == "option":
        return pos[2] > 0, pos[2] < 0
    return _token_or_perp_state(pos)


def owed(world, pos):
    """A short option owes ⌈|q| · V⌈price⌉⌉ at the oracle's point price (no confidence)."""
    if pos[0] != "option":
        return _token_or_perp_owed(world, pos)
    if pos[2] >= 0:
        return 0
    o = world["options"][pos[1]]
    return R.mul_ceil(-pos[2], value(o, world["tokens"][o["underlying"]]["price"][0], "ceil"))


def zero(pos):
    if pos[0] == "option":
        pos[2] = 0
    else:
        _token_or_perp_zero(pos)


def position_json(pos):
    if pos[0] == "option":
        return {"option": pos[1], "quantity": R.fmt(pos[2])}
    return _token_or_perp_json(pos)


# The model of §8.1–8.2 (gen_risk) with option series and positions added.
R.read_world = read_world
R.contribution = contribution
R.liquidation_price = liquidation_price
R.bankruptcy_state = bankruptcy_state
R.owed = owed
R.zero = zero
R.position_json = position_json
R.HEALTH_KEYS = ["tokens", "perps", "options", "account"]
R.LIQUIDATE_KEYS = ["tokens", "perps", "options", "account", "liquidation", "close_factor", "target", "waterfall",
                    "market"]


def run_health(inp):
    return R.run_health(inp)


def expect(inp, op="health"):
    return R.expect(op, inp)


# ---- cases --------------------------------------------------------------------------------

USD = {"price": "1", "init_asset_weight": "1", "maint_asset_weight": "1", "init_liab_weight": "1",
       "maint_liab_weight": "1"}
ETH = {"price": "2000", "init_asset_weight": "0.8", "maint_asset_weight": "0.85", "init_liab_weight": "1.2",
       "maint_liab_weight": "1.15"}
BTC = {"price": "60000", "conf": "30", "init_asset_weight": "0.75", "maint_asset_weight": "0.8",
       "init_liab_weight": "1.25", "maint_liab_weight": "1.2"}


def series(kind, underlying, strike, t, vol, **extra):
    return {"kind": kind, "underlying": underlying, "strike": strike, "t": t, "vol": vol, **extra}


def world(options, account, tokens=None, perps=None):
    inp = {"tokens": tokens or [USD, ETH, BTC]}
    if perps is not None:
        inp["perps"] = perps
    inp["options"] = options
    inp["account"] = account
    return inp


def tok(i, b):
    return {"token": i, "balance": b}


def opt(i, q):
    return {"option": i, "quantity": q}


CASES = []


def case(note, inp, op="health"):
    CASES.append({"op": op, "input": inp, "expect": expect(inp, op), "note": note})


def hand_checked_short_call():
    """The worked example, with its arithmetic checked here before it is written."""
    call = series("call", 1, "2000", "0.25", "0.8", rate="0.05")
    inp = world([call], [tok(0, "1000"), opt(0, "-2")])
    S2000, K, s, t, r = 2000 * S, 2000 * S, 8 * S // 10, S // 4, 5 * S // 100
    v = bs_price("call", S2000, K, s, t, r, 0, "ceil")
    # Deribit ATM: MM/unit = max(0.075·2000 − 0, 0.075·2000) + mark = 150 + V; IM/unit = 300 + V.
    mm_add, im_add = 2 * 150 * S, 2 * 300 * S
    liab = R.mul_ceil(2 * S, v)
    got = run_health(inp)
    assert got["maintenance"]["value"] == R.fmt(1000 * S - liab - mm_add), got
    assert got["initial"]["value"] == R.fmt(1000 * S - liab - im_add), got
    case(f"1000 USD collateral, short 2 ETH calls K=2000 t=0.25 vol=0.8 r=0.05 at spot 2000 (conf 0): "
         f"V = ceil(BS) = {R.fmt(v)}; liability ceil(2*V) = {R.fmt(liab)}; maintenance add-on "
         f"2*(0.075*2000) = 300, initial add-on 2*(0.15*2000) = 600 (ATM, OTM 0); maintenance value "
         f"1000 - {R.fmt(liab)} - 300, which is 1000 minus Deribit's MM ceil(2*(150 + V)) with the mark counted "
         f"once; liquidation prices: USD linear, the option nonlinear", inp)


def cases():
    hand_checked_short_call()
    call = series("call", 1, "2000", "0.25", "0.8", rate="0.05")
    put = series("put", 1, "1800", "0.5", "0.9", rate="0.05", **{"yield": "0.03"})
    btc_call = series("call", 2, "70000", "1", "0.6", rate="0.04")
    btc_put = series("put", 2, "50000", "0.0027397260273972", "1.2")
    case("short ETH put K=1800 t=0.5 vol=0.9 r=0.05 q=0.03, 500 USD: liability ceil(3*ceil(V)), "
         "add-ons from max(0.075*2000 - OTM 200, 0.075*max(2000, V)) per unit", world([call, put], [tok(0, "500"), opt(1, "-3")]))
    case("long ETH call, 10 units: asset floor(10*floor(V)) at weight 1 at every level; no liabilities (factor null)",
         world([call], [opt(0, "10")]))
    case("long ETH call weighted 0.5 / 0.8 / 0.6 (init / maint / liq_end): floor(floor(10*floor(V))*w) per level",
         world([series("call", 1, "2000", "0.25", "0.8", rate="0.05", init_long_weight="0.5", maint_long_weight="0.8",
                       liq_end_long_weight="0.6")], [opt(0, "10")]))
    case("long ETH put, 4 units, long weight 0 at the initial level (no margin credit), 1 at maintenance",
         world([series("put", 1, "2200", "1", "0.7", init_long_weight="0", liq_end_long_weight="0.5")],
               [tok(0, "100"), opt(0, "4")]))
    # The confidence interval: BTC has conf 30, so the spot is 59970 or 60030 by kind and side.
    case("BTC conf 30: a short call is charged at the larger of its charges at 59970 and 60030 (here 60030: "
         "value and add-on both rise with the spot)",
         world([btc_call], [tok(0, "20000"), opt(0, "-1.5")]))
    case("BTC conf 30: a long call at price - conf = 59970", world([btc_call], [opt(0, "1.5")]))
    case("BTC conf 30: a short 1-day far-OTM put is charged at 60030, where V + 0.075*S is larger, not at 59970 "
         "where its value alone is; a long one is valued at 60030 (two series, same terms)",
         world([btc_put, btc_put], [tok(0, "3000"), opt(0, "-2"), opt(1, "2")]))
    case("a straddle sold on ETH (short call and short put) against ETH and USD collateral: the ETH deposit's "
         "and both options' liquidation prices are nonlinear, the USD one linear",
         world([call, series("put", 1, "2000", "0.25", "0.8", rate="0.05")],
               [tok(0, "2000"), tok(1, "1"), opt(0, "-1"), opt(1, "-1")]))
    case("an option on BTC does not make the ETH borrow nonlinear: the ETH borrow's price is the linear one "
         "with the option's contribution in the rest",
         world([btc_call], [tok(0, "30000"), tok(1, "-5"), opt(0, "-0.5")]))
    case("a zero-quantity option position: worth 0, still makes its underlying's price nonlinear",
         world([call], [tok(0, "10"), tok(1, "1"), opt(0, "0")]))
    case("custom rates: im_base 0.2, im_floor 0.12, mm_base 0.1, mm_floor 0.05, short OTM call K=2600",
         world([series("call", 1, "2600", "0.1", "0.65", margin={"im_base": "0.2", "im_floor": "0.12",
                                                                   "mm_base": "0.1", "mm_floor": "0.05"})],
               [tok(0, "400"), opt(0, "-2")]))
    case("margin object with only mm_floor given: the other rates are Deribit's",
         world([series("call", 1, "2000", "0.25", "0.8", margin={"mm_floor": "0.05"})], [tok(0, "400"), opt(0, "-1")]))
    case("deep ITM short put (K=4000, spot 2000): the put's maintenance floor is 0.075*max(S, mark)",
         world([series("put", 1, "4000", "0.05", "0.5")], [tok(0, "5000"), opt(0, "-2")]))
    case("liquidatable: a short call too large for its collateral at maintenance",
         world([call], [tok(0, "200"), opt(0, "-2")]))
    case("between the levels: healthy at maintenance, negative at the initial level",
         world([call], [tok(0, "1100"), opt(0, "-2")]))
    case("long 3-year call, vol 300 %: nearly the spot; long weight 1",
         world([series("call", 1, "2000", "3", "3")], [opt(0, "1")]))
    case("short 1-day far OTM call (K=4000): value of order 1e-18; add-on max(0.075*2000 - 2000, 0.075*2000) = 150",
         world([series("call", 1, "4000", "0.0027397260273972", "0.5")], [tok(0, "200"), opt(0, "-1")]))
    case("an option with a perp and tokens: every kind of position in one account",
         world([call], [tok(0, "3000"), {"perp": 0, "base": "-1", "quote": "2100"}, opt(0, "1")],
               perps=[{"price": "2000", "init_margin": "0.1", "maint_margin": "0.05"}]))
    case("a negative rate and a yield: r = -0.01, q = 0.04 on a short put",
         world([series("put", 1, "2100", "2", "0.45", rate="-0.01", **{"yield": "0.04"})], [tok(0, "900"), opt(0, "-1")]))
    case("sixteen positions: 8 tokens and 8 option series (capacity reached, not exceeded)",
         world([series("call", 1, str(1500 + 100 * i), "0.5", "0.7") for i in range(8)],
               [tok(0, "10000")] + [opt(i, "-0.25" if i % 2 else "0.25") for i in range(8)]
               + [tok(1, "1"), tok(2, "0.01")] + [tok(3 + i, "1") for i in range(5)],
               tokens=[USD, ETH, BTC] + [USD] * 5))
    liquidations()
    errors()


def liquidations():
    eth = dict(ETH, liquidation_fee="0.05")
    toks = [USD, eth, BTC]
    call = series("call", 1, "2000", "0.25", "0.8", rate="0.05")
    put = series("put", 1, "1800", "0.5", "0.9", rate="0.05")
    liq = {"kind": "token", "liability": 0, "collateral": 1}
    case("liquidate: ETH deposit 2, USD borrow 3600 and a short ETH call (the option at its initial add-on at the "
         "liquidation end): the whole borrow is repaid against ETH (limit position) and the account is still below "
         "its target, because a token liquidation cannot reduce the short call; the option is left as it is",
         world([call], [tok(1, "2"), tok(0, "-3600"), opt(0, "-0.5")], tokens=toks) | {"liquidation": liq},
         op="liquidate")
    case("liquidate: the same with a long put that protects the deposit: a smaller repay",
         world([call, put], [tok(1, "2"), tok(0, "-3600"), opt(0, "-0.5"), opt(1, "1")], tokens=toks)
         | {"liquidation": liq}, op="liquidate")
    case("bankruptcy: no asset, a USD borrow of 100 and a short put of 2: bad debt 100 + ceil(2*ceil(V(2000))) "
         "goes down the waterfall, the premium buffer first; both positions are written off",
         world([put], [tok(0, "-100"), opt(0, "-2")], tokens=toks)
         | {"waterfall": {"premium_buffer": "50", "insurance_fund": "80", "lender_deposits": "1000"}}, op="liquidate")
    case("not bankrupt: a long option is an asset, so the waterfall is not touched",
         world([put], [tok(0, "-100"), opt(0, "1")], tokens=toks)
         | {"waterfall": {"premium_buffer": "50", "insurance_fund": "80"}}, op="liquidate")


def errors():
    call = series("call", 1, "2000", "0.25", "0.8")
    acct = [tok(0, "100"), opt(0, "-1")]

    def bad(note, options, account=acct, **kw):
        case(note, world(options, account, **kw))

    def with_(note, **changes):
        bad(note, [{k: v for k, v in {**call, **changes}.items() if v is not None}])

    with_("unknown key in a series", foo="1")
    with_("kind neither call nor put", kind="straddle")
    with_("underlying out of range (3 tokens)", underlying=3)
    with_("underlying not an integer", underlying="1")
    with_("strike not a decimal", strike=2000)
    with_("strike zero", strike="0")
    with_("strike above 10^18", strike="1000000000000000001")
    with_("t zero", t="0")
    with_("t above 100 years", t="100.000000000000000001")
    with_("init_long_weight above 1", init_long_weight="1.1")
    with_("maint_long_weight below init_long_weight", init_long_weight="0.9", maint_long_weight="0.8")
    with_("liq_end_long_weight above maint_long_weight", init_long_weight="0.5", maint_long_weight="0.8",
          liq_end_long_weight="0.9")
    with_("liq_end_long_weight defaults to init_long_weight: init 0.5, maint 0.8 is valid",
          init_long_weight="0.5", maint_long_weight="0.8")
    with_("margin.im_base above 1", margin={"im_base": "1.5"})
    with_("margin.mm_base above im_base", margin={"im_base": "0.1", "mm_base": "0.2"})
    with_("margin unknown key", margin={"alpha": "0.1"})
    with_("margin is read before the strike's range: margin.im_base, not strike", strike="0", margin={"im_base": "2"})
    with_("vol zero", vol="0")
    with_("vol above 10", vol="10.000000000000000001")
    with_("vol missing", vol=None)
    with_("rate above 1", rate="1.5")
    with_("yield below -1", **{"yield": "-1.01"})
    with_("the strike's range is checked before vol is read: strike, not vol", strike="0", vol="x")
    bad("account position in an option series that does not exist", [call], [opt(1, "-1")])
    bad("a second position in the same series", [call], [opt(0, "-1"), opt(0, "1")])
    bad("option position with an unknown key", [call], [{"option": 0, "quantity": "1", "strike": "1"}])
    bad("option position without quantity", [call], [{"option": 0}])
    bad("options not an array", {"kind": "call"})
    bad("a 17th position is a capacity error",
        [series("call", 1, str(1000 + 100 * i), "0.5", "0.7") for i in range(17)],
        [opt(i, "1") for i in range(17)])
    # The spot used must be a model spot: price + conf above 10^18 for a short call.
    big = {"price": "1000000000000000000", "conf": "1", "init_asset_weight": "0.5", "maint_asset_weight": "0.5",
           "init_liab_weight": "1", "maint_liab_weight": "1"}
    case("a short call on an underlying whose price + conf is above 10^18: its charge at price - conf is "
         "computed, the one at price + conf is not: invalid spot",
         world([series("call", 1, "500000000000000000", "1", "0.5")], [tok(0, "1"), opt(0, "-1")],
               tokens=[USD, big]))


if __name__ == "__main__":
    cases()
    with open(os.path.join(HERE, "account_health.jsonl"), "w") as f:
        for c in CASES:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print("account_health.jsonl", len(CASES))
