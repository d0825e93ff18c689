#!/usr/bin/env python3
"""Golden vectors of the drift_v2 preset (vectors/README.md §10.6), from an independent model.

Drift v2 (drift-labs/protocol-v2) computes on integers: quote amounts and prices in 1e6, base
amounts in 1e9, margin ratios and weights in 1e4, fees and the IMF factor in 1e6. Every `/` is
Rust's integer division (truncation toward zero). Modelled here on Python integers from
programs/drift/src/controller/liquidation.rs (liquidate_perp), src/math/liquidation.rs
(calculate_base_asset_amount_to_cover_margin_shortage, calculate_perp_if_fee,
calculate_max_pct_to_liquidate, get_liquidation_fee), src/math/margin.rs
(calculate_size_premium_liability_weight, calculate_perp_position_value_and_pnl),
src/state/perp_market.rs (get_margin_ratio, get_max_liquidation_fee),
src/state/margin_calculation.rs (the liquidation buffer and the margin shortage) and
src/math/orders.rs (standardize_base_asset_amount[_ceil]).

Run: python3 vectors/presets/gen_drift.py (writes drift_v2.jsonl beside it).
"""

import json
import math
import os
from decimal import Decimal
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
WAD = 10**18
U64_MAX = 2**64 - 1


def tdiv(a, b):
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def canon(x):
    x = Fraction(x)
    n = x * WAD
    assert n.denominator == 1, x
    n = n.numerator
    sign = "-" if n < 0 else ""
    n = abs(n)
    i, f = divmod(n, WAD)
    return f"{sign}{i}" if f == 0 else f"{sign}{i}.{str(f).rjust(18, '0').rstrip('0')}"


def to_int(s, digits):
    n = Fraction(Decimal(s)) * 10**digits
    assert n.denominator == 1, s
    return n.numerator


def dec(n, digits):
    return canon(Fraction(n, 10**digits))


class Err(Exception):
    def __init__(self, what, why):
        self.what, self.why = what, why


def market_of(p):
    return dict(
        mri=to_int(p["margin_ratio_initial"], 4), mrm=to_int(p["margin_ratio_maintenance"], 4),
        imf=to_int(p.get("imf_factor", "0"), 6), fee=to_int(p["liquidator_fee"], 6),
        iff=to_int(p["if_liquidation_fee"], 6), step=to_int(p.get("order_step_size", "0.000000001"), 9),
        upnl_w=to_int(p.get("unrealized_pnl_maintenance_asset_weight", "1"), 4),
        buf=to_int(p.get("liquidation_margin_buffer_ratio", "0.02"), 4),
        pct0=to_int(p.get("initial_pct_to_liquidate", "1"), 4), dur=p.get("liquidation_duration", 0))


def margin_ratio(m, size):
    r = m["mrm"]
    if m["imf"] == 0:
        return r
    root = math.isqrt(size * 10 + 1)
    prem = r - r // 5 + root * m["imf"] // (100_000 * 1_000_000 // 10_000)
    return max(r, prem)


def margin(m, u, po, pq):
    base, quote, dep = u
    ratio = margin_ratio(m, abs(base))
    pnl = tdiv(base * po, 10**9) + quote
    liab = (abs(base) * po // 10**9) * pq // 10**6
    req = liab * ratio // 10**4
    buf = liab * m["buf"] // 10**4
    if pnl > 0 and m["upnl_w"] != 10**4:
        pnl = tdiv(pnl * m["upnl_w"], 10**4)
    if pq != 10**6:
        pnl = tdiv(pnl * pq, 10**6)
    coll = dep * pq // 10**6 + pnl
    cbuf = tdiv(pnl * m["buf"], 10**4) if pnl < 0 and m["buf"] > 0 else 0
    return dict(ratio=ratio, liab=liab, req=req, reqb=req + buf, coll=coll, cbuf=cbuf,
                short=max(req + buf - (coll + cbuf), 0))


def margin_obj(mc):
    return {"margin_ratio": dec(mc["ratio"], 4), "liability_value": dec(mc["liab"], 6),
            "requirement": dec(mc["req"], 6), "requirement_plus_buffer": dec(mc["reqb"], 6),
            "total_collateral": dec(mc["coll"], 6), "collateral_buffer": dec(mc["cbuf"], 6),
            "margin_shortage": dec(mc["short"], 6)}


def liquidate(p, u, po, pq, order):
    m = market_of(p)
    being = order.get("being_liquidated", False)
    slots = order.get("slots_elapsed", 0)
    freed = to_int(order.get("margin_freed", "0"), 6)
    mc = margin(m, u, po, pq)
    if being:
        if mc["coll"] + mc["cbuf"] >= mc["reqb"]:
            raise Err("account", "its collateral meets the requirement plus the buffer: it leaves liquidation without a transfer")
    elif mc["coll"] >= mc["req"]:
        raise Err("account", "its collateral meets the maintenance requirement (SufficientCollateral)")
    if m["buf"] == 0:
        raise Err("protocol.liquidation_margin_buffer_ratio", "must be > 0 in a liquidation: Drift's margin shortage needs the buffer (InvalidMarginCalculation)")
    base, quote, dep = u
    if base == 0:
        raise Err("account", "its perp position holds no base")
    step = m["step"]
    mx = to_int(order["max_base"], 9)
    lmax = mx - mx % step
    if lmax == 0:
        raise Err("liquidation.max_base", "must be at least the market's order step size")
    size = abs(base)
    ratio = mc["ratio"] + m["buf"]
    short = mc["short"]
    fee = m["fee"] if slots < 1500 else min(m["fee"] + slots, min(m["fee"] * 3, m["mrm"] * 100))
    # calculate_perp_if_fee
    r100 = ratio * 100
    tracked = short if mc["req"] != 0 else 0
    if r100 <= fee or size == 0:
        iff = 0
    else:
        price = po * pq // 10**6
        implied_short = min(tracked * 10**9 // size * 10**6 // price, 2**32 - 1)
        implied = max(max(r100 - fee, 0) - implied_short, 0)
        iff = min(m["iff"], implied * 19 // 20)
    # calculate_base_asset_amount_to_cover_margin_shortage
    if r100 <= fee:
        cover = U64_MAX
    else:
        price = po * pq // 10**6
        den = price * (r100 - fee) // 10**6 - po * iff // 10**6
        if den <= 0:
            raise Err("protocol.if_liquidation_fee", "the fees leave nothing of the margin ratio to free: Drift divides by zero")
        cover = short * 10**9 // den
    if cover != U64_MAX:
        cover = cover if cover % step == 0 else cover + step - cover % step
    # calculate_max_pct_to_liquidate
    if short < 50 * 10**6:
        pct = 10**4
    else:
        freeable = 10**4 if m["dur"] == 0 else slots * 10**4 // m["dur"]
        pct = min(freeable + m["pct0"], 10**4)
        mfreed = (short + freed) * pct // 10**4
        pct = max(mfreed - freed, 0) * 10**4 // short
    allowed = cover * pct // 10**4
    if allowed == 0:
        raise Err("account", "the elapsed slots allow no liquidation yet")
    min_base = 0 if size * po // 10**9 > 50 * 10**6 else size
    b = min(size, lmax, max(allowed, min_base))
    b = b if b % step == 0 else b + step - b % step
    value = b * po // 10**9
    fee_amt = value * fee // 10**6
    if_amt = value * iff // 10**6
    sign = 1 if base > 0 else -1
    u2 = (base - sign * b, quote + sign * value - fee_amt - if_amt, dep)
    after = margin(m, u2, po, pq)
    return {"protocol": "drift_v2", "before": margin_obj(mc), "margin_ratio_with_buffer": dec(ratio, 4),
            "liquidator_fee": dec(fee, 6), "if_fee": dec(iff, 6), "base_to_cover": dec(cover, 9),
            "max_pct": dec(pct, 4), "base_transferred": dec(b, 9), "base_value": dec(value, 6),
            "liquidator_fee_amount": dec(fee_amt, 6), "if_fee_amount": dec(if_amt, 6),
            "user": {"deposit": dec(dep, 6), "base": dec(u2[0], 9), "quote": dec(u2[1], 6)},
            "liquidator": {"base": dec(sign * b, 9), "quote": dec(-sign * value + fee_amt, 6)},
            "after": margin_obj(after), "being_liquidated": b < cover}


CASES = []


def inputs(p, user, oracle, quote_price=None):
    inp = {"protocol": p, "oracle_price": oracle}
    if quote_price is not None:
        inp["quote_price"] = quote_price
    inp["user"] = user
    return inp


def user_tuple(user):
    return (to_int(user["base"], 9), to_int(user["quote"], 6), to_int(user.get("deposit", "0"), 6))


def liq_case(p, user, oracle, order, note, quote_price=None):
    inp = inputs(p, user, oracle, quote_price)
    inp["liquidation"] = order
    try:
        expect = liquidate(p, user_tuple(user), to_int(oracle, 6), to_int(quote_price or "1", 6), order)
    except Err as e:
        expect = {"error": {"kind": "invalid", "what": e.what, "why": e.why}}
    CASES.append({"op": "liquidate", "input": inp, "expect": expect, "note": note})
    return expect


def health_case(p, user, oracle, note, quote_price=None):
    m = market_of(p)
    mc = margin(m, user_tuple(user), to_int(oracle, 6), to_int(quote_price or "1", 6))
    CASES.append({"op": "health", "input": inputs(p, user, oracle, quote_price),
                  "expect": {"protocol": "drift_v2", "margin": margin_obj(mc), "liquidatable": mc["coll"] < mc["req"]},
                  "note": note})
    return mc


def market(**over):
    p = {"name": "drift_v2", "margin_ratio_initial": "0.1", "margin_ratio_maintenance": "0.05",
         "liquidator_fee": "0.01", "if_liquidation_fee": "0.01", "order_step_size": "0.01",
         "liquidation_duration": 150}
    p.update(over)
    return p


CTL = "drift-labs/protocol-v2 programs/drift/src/controller/liquidation/tests.rs liquidate_perp::"
MATH = "drift-labs/protocol-v2 programs/drift/src/math/liquidation/tests.rs "
SETUP = ("Drift's fixture: oracle 100, margin ratios 1000/500 (10 %/5 %), liquidator_fee and if_liquidation_fee "
         "LIQUIDATION_FEE_PRECISION/100 (1 %), order_step_size 1e7 (0.01 base), initial_pct_to_liquidate 100 %, "
         "liquidation_duration 150, slot 0. The test's user has an open bid that liquidate_perp cancels first (the "
         "preset's account has none).")

liq_case(market(liquidation_margin_buffer_ratio="0.001"), {"base": "1", "quote": "-150"}, "100", {"max_base": "1"},
         f"{CTL}successful_liquidation_long_perp: {SETUP} Buffer 10 (0.1 %); the user holds 1 base bought for 150 and "
         "no deposit: collateral −50, deep under water; the insurance fee is 0 (the implied fee saturates to 0) and "
         "the liquidator takes the whole base at 100 less 1 %: the test asserts the user's base 0, quote −51, the "
         "liquidator's base 1, quote −99, and total_liquidation_fee 0.")
liq_case(market(), {"base": "1", "quote": "-150"}, "100", {"max_base": "0.5"},
         f"{CTL}successful_liquidation_up_to_max_liquidator_base_asset_amount: {SETUP} Buffer 200 (2 %); the "
         "liquidator takes at most 0.5 base: the test asserts the user's base 0.5, quote −100500000 (−150 + 50 − "
         "0.5), the liquidator's quote −49500000, total_liquidation_fee 0.")
liq_case(market(), {"deposit": "5", "base": "2", "quote": "-200"}, "100", {"max_base": "10"},
         f"{CTL}successful_liquidation_to_cover_margin_shortage: {SETUP} Buffer 200; 5 USDC deposited, 2 base at "
         "200: collateral 5 < requirement 10; shortage 200·7 % − 5 = 9; insurance fee min(1 %, (70000 − 10000 − "
         "45000)·19/20) = 1 %; base to cover 9e6·1e9 / (100e6·60000/1e6 − 1e6) = 1.8 base. The test asserts the "
         "user's base 200000000, quote −23600000, the liquidator's base 1800000000, quote −178200000, "
         "total_liquidation_fee 1800000, and after: total collateral 1.4 = requirement plus buffer 1.4, ratio 700.")
liq_case(market(imf_factor="0.01", liquidation_margin_buffer_ratio="0.001"),
         {"deposit": "1500000", "base": "10000", "quote": "-1500000"}, "100", {"max_base": "1"},
         f"{CTL}successful_liquidation_long_perp_whale_imf_factor: {SETUP} Buffer 10, imf_factor 10000 (after the "
         "test's ×10); 10,000 base against 1.5M quote and 1.5M deposited: collateral 1e12, the size premium lifts the "
         "maintenance ratio to 400 + ⌊√(1e14+1)⌋·10000/1e7 = 10400: requirement 1.04e12 > 1e12. The shortage "
         "(41,500 USD) needs 406 base; the liquidator takes its maximum, 1 base: the test asserts the user's base "
         "9999000000000, quote −1499902000000, the liquidator's quote −99000000, total_liquidation_fee 1000000.")
health_case(market(imf_factor="0.001", liquidation_margin_buffer_ratio="0.001"),
            {"deposit": "1500000", "base": "10001", "quote": "-1500000"}, "100",
            f"{CTL}successful_liquidation_long_perp_whale_imf_factor, before the liquidation: 10,000 base and an open "
            "bid of 1 (worst case 10,001 base) at imf_factor 1000: the ratio is 400 + ⌊√(100010000000001)⌋·1000/1e7 = "
            "1400 and the requirement 1,000,100·0.14 = 140014000000 (quote units); the test asserts 140014010000, "
            "which adds the open order's 10000 charge (margin_requirement_for_open_orders), not modelled: here the "
            "account holds the 10,001 base.")
health_case(market(imf_factor="0.01", liquidation_margin_buffer_ratio="0.001"),
            {"deposit": "1500000", "base": "10001", "quote": "-1500000"}, "100",
            f"{CTL}successful_liquidation_long_perp_whale_imf_factor, after the IMF factor ×10: ratio 10400, the "
            "requirement 1040104000000; the test asserts 1040104010000 (plus the open order's 10000).")
liq_case(market(liquidation_margin_buffer_ratio="0.001"), {"deposit": "0.545454", "base": "0.01", "quote": "-1.5"},
         "100", {"max_base": "0.01"},
         f"{CTL}liquidate_user_with_step_size_position: {SETUP} Buffer 10; scaled_balance 6e9/11 is 545454 native "
         "USDC (get_token_amount: 545454545·1e10/1e13); a position of 0.01 base worth 1 USD (≤ 50 USD: the "
         "liquidator may take it whole); the test asserts the user's base 0, quote −520000, the liquidator's base "
         "0.01, quote −990000, total_liquidation_fee 10000.")

# --- math/liquidation/tests.rs, through a constructed account ------------------------------------
FN = market(margin_ratio_maintenance="0.08", liquidation_margin_buffer_ratio="0.02", order_step_size="0.000000001",
            liquidator_fee="0", if_liquidation_fee="0")
acct = {"deposit": "90", "base": "10", "quote": "-1000"}
liq_case(FN, acct, "100", {"max_base": "100", "being_liquidated": True},
         f"{MATH}calculate_base_asset_amount_to_cover_margin_shortage::zero_percent_liquidation_fee: margin shortage "
         "$10, margin ratio 1000 (here maintenance 800 + buffer 200), fee 0, oracle 100: the test asserts the base "
         "to cover is BASE_PRECISION (1 base). The account: 10 base at 100 bought for 1000 and 90 deposited "
         "(requirement plus buffer 100, collateral 90), flagged being liquidated (its collateral meets the bare "
         "maintenance requirement 80).")
liq_case(dict(FN, liquidator_fee="0.01"), acct, "100", {"max_base": "100", "being_liquidated": True},
         f"{MATH}calculate_base_asset_amount_to_cover_margin_shortage::one_percent_liquidation_fee: the same with a 1 "
         "% liquidator fee: the test asserts BASE_PRECISION·10/9 = 1111111111.")
liq_case(dict(FN, liquidator_fee="0.01", if_liquidation_fee="0.01"), acct, "100",
         {"max_base": "100", "being_liquidated": True},
         f"{MATH}calculate_base_asset_amount_to_cover_margin_shortage::one_percent_liquidation_fee_and_one_percent_"
         "if_liquidation_fee: with the insurance fund's 1 % too (calculate_perp_if_fee gives min(1 %, (100000 − "
         "10000 − 10000)·19/20) = 1 %): the test asserts 1250000000.")
IFM = market(margin_ratio_maintenance="0.03", liquidation_margin_buffer_ratio="0.02", order_step_size="0.000000001",
             liquidator_fee="0.01", if_liquidation_fee="0.05")
liq_case(IFM, {"deposit": "30", "base": "10", "quote": "-1000"}, "100", {"max_base": "100", "being_liquidated": True},
         f"{MATH}calculate_perp_if_fee::test: margin shortage $20, 10 base at 100, margin ratio 500 (here "
         "maintenance 300 + buffer 200), liquidator fee 1 %, max insurance fee 5 %: the test asserts 19000 (2 % · "
         "0.95). The account: requirement plus buffer 50, collateral 30.")
liq_case(IFM, {"deposit": "49", "base": "10", "quote": "-1000"}, "100", {"max_base": "100", "being_liquidated": True},
         f"{MATH}calculate_perp_if_fee::test, the tiny shortage of $1: the test asserts 37050 (3.9 % · 0.95).")

# --- get_margin_ratio's size premium ------------------------------------------------------------
HLM = market(margin_ratio_initial="0.05", margin_ratio_maintenance="0.05", imf_factor="0.00005")
for b, r in [("40000", "0.05"), ("41000", "0.0501")]:
    health_case(HLM, {"base": b, "quote": "0"}, "1",
                "drift-labs/protocol-v2 programs/drift/src/state/perp_market/tests.rs get_margin_ratio::"
                "new_hlm_imf_size_loop: ratio 500 with imf_factor 50: the bounded size premium "
                "500 − 100 + ⌊√(10·size + 1)⌋·50/1e7 first exceeds 500 at 41,000 base (the test counts 959 sizes "
                f"above among 1,000 … 999,000 base: the first is 41,000). Here {b} base: ratio {r}.")

# --- hand-worked --------------------------------------------------------------------------------
liq_case(market(order_step_size="0.000000001"), {"deposit": "15", "base": "-2", "quote": "190"}, "100",
         {"max_base": "5"},
         "Hand-worked, a short: 2 base sold at 95 (quote +190), 15 deposited, oracle 100: pnl −10, collateral 5 < "
         "requirement 10; the negative pnl's buffer −0.2; shortage 14 − 4.8 = 9.2; insurance fee min(1 %, (70000 − "
         "10000 − 46000)·19/20 = 13300) = 1 %; cover 9.2e6·1e9/(100e6·60000/1e6 − 1e6) = 1.84 base; the account buys "
         "back 1.84 at 100 and pays 1.84 + 1.84: quote 190 − 184 − 3.68 = 2.32, base −0.16.")
liq_case(market(order_step_size="0.000000001"), {"deposit": "15", "base": "-2", "quote": "190"}, "100",
         {"max_base": "5", "slots_elapsed": 3000},
         "Hand-worked, the same 3000 slots after the account's last activity: get_liquidation_fee raises the "
         "liquidator's fee by 1e-6 a slot past the 1500-slot grace period: 10000 + 3000 = 13000, capped at "
         "min(3·10000, 500·100); the cover grows (the fee eats more of the freed margin).")
liq_case(market(order_step_size="0.000000001", initial_pct_to_liquidate="0.1"),
         {"deposit": "100", "base": "30", "quote": "-3000"}, "100", {"max_base": "30", "slots_elapsed": 15},
         "Hand-worked, a shortage of at least $50 (requirement plus buffer 210 against 100 deposited: 110) "
         "liquidated over time: initial_pct_to_liquidate 10 % plus 15 of liquidation_duration's 150 slots (10 %): "
         "20 % of the cover may go now.")
liq_case(market(), {"deposit": "20", "base": "1", "quote": "-100"}, "100", {"max_base": "1"},
         "Hand-worked: collateral 20 meets the maintenance requirement 5: Drift refuses (SufficientCollateral).")
liq_case(market(), {"deposit": "5", "base": "2", "quote": "-200"}, "100", {"max_base": "0.001"},
         "Hand-worked: a liquidator maximum below the step size (0.01) standardizes to 0: Drift requires it to be at "
         "least the step.")
liq_case(market(liquidation_margin_buffer_ratio="0"), {"deposit": "5", "base": "2", "quote": "-200"}, "100",
         {"max_base": "1"},
         "Hand-worked: a zero liquidation buffer: Drift's margin shortage refuses to run without one "
         "(InvalidMarginCalculation).")
CASES.append({"op": "health", "input": inputs(market(margin_ratio_maintenance="0.00005"), {"base": "1", "quote": "0"}, "1"),
              "expect": {"error": {"kind": "invalid", "what": "protocol.margin_ratio_maintenance",
                                   "why": "must be a multiple of 0.0001 (Drift's MARGIN_PRECISION, 1e4)"}},
              "note": "Hand-worked: a margin ratio finer than Drift's 1e-4 precision is refused, not rounded."})
CASES.append({"op": "health", "input": {"protocol": "drift_v2", "oracle_price": "1", "user": {"base": "1", "quote": "0"}},
              "expect": {"error": {"kind": "invalid", "what": "protocol",
                                   "why": "drift_v2 needs its market: an object with margin_ratio_initial, margin_ratio_maintenance, liquidator_fee and if_liquidation_fee"}},
              "note": "Hand-worked: Drift's margin ratios and fees are per market; the preset has no default for them."})

# --- liquidator_decision: what may a keeper take under Drift v2, and what pays best? -------------
import gen_presets as GP  # noqa: E402 (the independent model of vectors/README.md §8.5's decision)

GP.ASK = Fraction(Decimal("100.5"))
P3 = market()
U3 = {"deposit": "5", "base": "2", "quote": "-200"}
plan = liquidate(P3, user_tuple(U3), to_int("100", 6), 10**6, {"max_base": "10"})
pays = Fraction(Decimal(plan["base_value"])) - Fraction(Decimal(plan["liquidator_fee_amount"]))
fee = Fraction(Decimal(plan["liquidator_fee"]))
bonus = Fraction((fee.numerator * WAD * (1 - fee).denominator) // (fee.denominator * (1 - fee).numerator), WAD)
opp = {"repay_max": pays, "liab_price": Fraction(1), "coll_price": Fraction(100), "bonus": bonus, "fee": Fraction(0)}
BIDS = [(Fraction(Decimal("99.5")), Fraction(1)), (Fraction(95), Fraction(100))]
for sizing in ["best", "whole"]:
    d = GP.decision(opp, {"capital": Fraction(10**6), "gas": Fraction(0)}, {}, BIDS, sizing)
    inp = inputs(P3, U3, "100")
    inp.update({"liquidation": {"max_base": "10"}, "profile": {"capital": "1000000"},
                "market": {"model": "order_book", "bids": [{"price": "99.5", "qty": "1"}, {"price": "95", "qty": "100"}],
                           "asks": [{"price": "100.5", "qty": "1"}]}, "sizing": sizing})
    CASES.append({"op": "liquidator_decision", "input": inp,
                  "expect": {"protocol": "drift_v2", "allowed": canon(pays), "limit": "target",
                             "base_transferred": plan["base_transferred"], "liquidator_fee": plan["liquidator_fee"], **d},
                  "note": f"A keeper's question under Drift v2 in one case: {CTL}successful_liquidation_to_cover_margin_"
                          "shortage's account; liquidate_perp transfers 1.8 base (the cover) worth 180 for 180 − 1.8 = "
                          "178.2 of quote: an offer in quote units (quote priced 1, base at the oracle's 100) with the "
                          "bonus 0.01/0.99 (rounded down), none to the protocol. §8.5's decision sizes within it against "
                          "a book of 1 base at 99.5 then 95 (stop price 100·0.99 = 99: only the first level pays). "
                          + ("best: the repay whose receipt fills the 1 at 99.5." if sizing == "best" else
                             "whole: all 1.8 base, 0.8 of it at 95: a loss.")})
inp = inputs(market(order_step_size="0.000000001"), {"deposit": "15", "base": "-2", "quote": "190"}, "100")
inp.update({"liquidation": {"max_base": "5"}, "profile": {"capital": "1000000"},
            "market": {"model": "order_book", "bids": [{"price": "99.5", "qty": "1"}], "asks": [{"price": "100.5", "qty": "1"}]}})
CASES.append({"op": "liquidator_decision", "input": inp,
              "expect": {"error": {"kind": "invalid", "what": "user.base",
                                   "why": "a short's liquidator buys base: liquidator_decision sells what the liquidator receives into bids (a long only)"}},
              "note": "Hand-worked: the liquidator of a short takes on a short it must buy back: the decision, which sells "
                      "what the liquidator receives into the bids, does not model it."})

with open(os.path.join(HERE, "drift_v2.jsonl"), "w") as f:
    for c in CASES:
        f.write(json.dumps(c, ensure_ascii=False) + "\n")
print(len(CASES), "cases")
