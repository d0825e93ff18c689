#!/usr/bin/env python3
"""Golden vectors of the marginfi_v2 preset (vectors/README.md §10.4), from an independent model.

marginfi v2 (mrgnlabs/marginfi-v2) computes in the `fixed` crate's I80F48: a value is
bits / 2^48; a product keeps floor(a*b / 2^48), a quotient floor(a * 2^48 / b) for the
non-negative operands used here; a constant I80F48!(x) is x * 2^48 to the nearest; a Pyth price
p * 10^-k is I80F48::from_num(p) / 10^k, i.e. floor(price * 2^48). Modelled here on Python
integers from programs/marginfi/src/instructions/marginfi_account/liquidate.rs
(lending_account_liquidate) and programs/marginfi/src/state/marginfi_account.rs (calc_value,
calc_amount, the risk engine's pre- and post-liquidation checks). The values of the first case
were also printed by the `fixed` crate 1.30 itself (I80F48 checked_mul / checked_div).

Run: python3 vectors/presets/gen_marginfi.py (writes marginfi_v2.jsonl beside it).
"""

import json
import os
from decimal import Decimal
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
WAD = 10**18
ONE = 1 << 48


def canon(x):
    """Canonical decimal text of a Fraction on the 1e-18 grid (it must be on it)."""
    x = Fraction(x)
    n = x * WAD
    assert n.denominator == 1, x
    n = n.numerator
    sign = "-" if n < 0 else ""
    n = abs(n)
    i, f = divmod(n, WAD)
    return f"{sign}{i}" if f == 0 else f"{sign}{i}.{str(f).rjust(18, '0').rstrip('0')}"


def floor_wad(x):
    """x floored to the 1e-18 grid (toward -infinity)."""
    x = Fraction(x)
    return Fraction((x.numerator * WAD) // x.denominator, WAD)


def ceil_wad(x):
    x = Fraction(x)
    return Fraction(-((-x.numerator * WAD) // x.denominator), WAD)


def fx_floor(s):
    """A decimal string floored to I80F48 bits."""
    x = Fraction(Decimal(s))
    return (x.numerator * ONE) // x.denominator


def fx_nearest(s):
    x = Fraction(Decimal(s))
    q, r = divmod(x.numerator * ONE, x.denominator)
    return q + (1 if 2 * r >= x.denominator else 0)


def mul(a, b):
    return (a * b) // ONE


def div(a, b):
    return (a * ONE) // b


def exp10(d):
    return (10**d) * ONE


def calc_value(q, p, d, w):
    if q == 0:
        return 0
    return div(mul(mul(q, w), p), exp10(d))


def calc_amount(v, p, d):
    return div(mul(v, exp10(d)), p)


def bits_value(b):
    return canon(floor_wad(Fraction(b, ONE)))


def tokens_value(b, d):
    return canon(floor_wad(Fraction(b, ONE * 10**d)))


def token(price, iaw, maw, ilw="1", mlw="1", conf=None):
    t = {"price": price, "init_asset_weight": iaw, "maint_asset_weight": maw,
         "init_liab_weight": ilw, "maint_liab_weight": mlw}
    if conf is not None:
        t["conf"] = conf
    return t


class Err(Exception):
    def __init__(self, what, why):
        self.what, self.why = what, why


def banks(tokens, decimals, level):
    out = []
    for t, d in zip(tokens, decimals):
        p = fx_floor(t["price"])
        c = fx_floor(t.get("conf", "0"))
        aw = t["init_asset_weight"] if level == "init" else t["maint_asset_weight"]
        lw = t["init_liab_weight"] if level == "init" else t["maint_liab_weight"]
        out.append(dict(d=d, low=max(p - c, 0), high=p + c, aw=fx_nearest(aw), lw=fx_nearest(lw)))
    return out


def native_bits(balance, d):
    n = abs(Fraction(Decimal(balance))) * 10**d
    assert n.denominator == 1
    return n.numerator * ONE


def health(tokens, decimals, account, level, override=None):
    bs = banks(tokens, decimals, level)
    assets = liabs = 0
    for pos in account:
        i, bal = pos["token"], Fraction(Decimal(pos["balance"]))
        b = bs[i]
        q = override[i] if override and i in override else native_bits(pos["balance"], b["d"])
        if bal > 0:
            assets += calc_value(q, b["low"], b["d"], b["aw"])
        elif bal < 0:
            liabs += calc_value(q, b["high"], b["d"], b["lw"])
    return assets, liabs


def health_obj(h):
    a, l = h
    return {"assets": bits_value(a), "liabilities": bits_value(l), "health": bits_value(a - l),
            "health_bits": str(a - l)}


def protocol(decimals, **over):
    p = {"name": "marginfi_v2", "decimals": decimals}
    p.update(over)
    return p


def liquidate(tokens, decimals, account, asset, liability, amount, fl="0.025", fi="0.025"):
    bal = {p["token"]: Fraction(Decimal(p["balance"])) for p in account}
    bal_s = {p["token"]: p["balance"] for p in account}
    before = health(tokens, decimals, account, "maint")
    if before[0] - before[1] > 0:
        raise Err("account", "its maintenance health is above 0: it cannot be liquidated (HealthyAccount)")
    bs = banks(tokens, decimals, "maint")
    a, l = bs[asset], bs[liability]
    da, dl = decimals[asset], decimals[liability]
    q_a = (Fraction(Decimal(amount)) * 10**da)
    assert q_a.denominator == 1
    q_a = q_a.numerator * ONE
    f_l, f_i = fx_nearest(fl), fx_nearest(fi)
    q_ll = calc_amount(calc_value(q_a, a["low"], da, ONE - f_l), l["high"], dl)
    q_lf = calc_amount(calc_value(q_a, a["low"], da, ONE - (f_i + f_l)), l["high"], dl)
    ins = q_ll - q_lf
    dep = native_bits(bal_s[asset], da)
    if q_a > dep:
        raise Err("liquidation.asset_amount", "exceeds the account's deposit of the asset (OverliquidationAttempt)")
    debt = native_bits(bal_s[liability], dl)
    if q_lf > debt:
        raise Err("liquidation.asset_amount", "would repay more than the liability (the repay-only balance change fails): take less")
    debt_after = debt - q_lf
    if debt_after < ONE:
        raise Err("liquidation.asset_amount", "would leave less than one native unit of the liability (ExhaustedLiability): take less")
    after = health(tokens, decimals, account, "maint", {asset: dep - q_a, liability: debt_after})
    if after[0] - after[1] > 0:
        raise Err("liquidation.asset_amount", "would leave the account's maintenance health above 0 (TooSevereLiquidation): take less")
    if after[0] - after[1] <= before[0] - before[1]:
        raise Err("liquidation.asset_amount", "would not raise the account's maintenance health (WorseHealthPostLiquidation)")
    acct = []
    for p in account:
        i = p["token"]
        if i == asset:
            acct.append({"token": i, "balance": canon(bal[i] - Fraction(Decimal(amount)))})
        elif i == liability:
            acct.append({"token": i, "balance": canon(-ceil_wad(Fraction(debt_after, ONE * 10**dl)))})
        else:
            acct.append(p)
    out = {"protocol": "marginfi_v2", "asset_amount": canon(Fraction(Decimal(amount)))}
    for k, b in [("liquidator_liability", q_ll), ("repaid", q_lf), ("insurance_fee", ins)]:
        out[k] = tokens_value(b, dl)
        out[k + "_bits"] = str(b)
    out["debt_after_bits"] = str(debt_after)
    out["insurance_transfer"] = canon(Fraction(ins // ONE, 10**dl))
    out["health_before"] = health_obj(before)
    out["health_after"] = health_obj(after)
    out["account"] = acct
    return out, (q_ll, q_lf, ins)


CASES = []


def liq_case(tokens, decimals, account, asset, liability, amount, note, fl=None, fi=None):
    over = {}
    if fl is not None:
        over["liquidator_fee"] = fl
    if fi is not None:
        over["insurance_fee"] = fi
    inp = {"protocol": protocol(decimals, **over), "tokens": tokens, "account": account,
           "liquidation": {"asset": asset, "liability": liability, "asset_amount": amount}}
    try:
        out, amounts = liquidate(tokens, decimals, account, asset, liability, amount,
                                 fl or "0.025", fi or "0.025")
        expect = out
    except Err as e:
        expect, amounts = {"error": {"kind": "invalid", "what": e.what, "why": e.why}}, None
    CASES.append({"op": "liquidate", "input": inp, "expect": expect, "note": note(amounts) if callable(note) else note})
    return amounts


def health_case(tokens, decimals, account, note):
    m = health(tokens, decimals, account, "maint")
    i = health(tokens, decimals, account, "init")
    CASES.append({"op": "health", "input": {"protocol": protocol(decimals), "tokens": tokens, "account": account},
                  "expect": {"protocol": "marginfi_v2", "maintenance": health_obj(m), "initial": health_obj(i),
                             "liquidatable": m[0] - m[1] <= 0},
                  "note": note})


def error_case(op, inp, what, why, note):
    CASES.append({"op": op, "input": inp, "expect": {"error": {"kind": "invalid", "what": what, "why": why}}, "note": note})


# marginfi's test bank fixtures: USDC (6 decimals) at 1, SOL (9 decimals) at 10.
USDC = token("1", "1", "1")
SOL_SHOCKED = token("10", "0.25", "0.5")
SOL_FULL = token("10", "1", "1")
SRC = "mrgnlabs/marginfi-v2 programs/marginfi/tests/user_actions/liquidate.rs"

acct = [{"token": 0, "balance": "-999"}, {"token": 1, "balance": "100"}]
health_case([USDC, SOL_SHOCKED], [6, 9], acct,
            f"{SRC} marginfi_account_liquidation_success, the borrower after its SOL bank's weights are cut to "
            "0.25 (init) / 0.5 (maint): 100 SOL at 10 and 999 USDC borrowed. Maintenance: 100·10·0.5 = 500 "
            "against 999·1·1 = 999, health −499 ≤ 0: liquidatable; initial: 250 − 999 = −749. Every factor is "
            "exact in I80F48 (0.25, 0.5, 10, 1): health_bits = −499·2^48.")
liq_case([USDC, SOL_SHOCKED], [6, 9], acct, 1, 0, "1",
         lambda a: f"{SRC} marginfi_account_liquidation_success: the lender liquidates 1 SOL of the borrower. "
         "The test asserts (within 0.00001 USDC, the insurance vault within 1 native unit) that the liquidator "
         "takes on 9.75 USDC (1·10·0.975), the borrower owes 989.50 (999 − 1·10·0.95), keeps 99 SOL, and the "
         "insurance fund gets 0.25. In I80F48: 1 − I80F48!(0.025) = 274438102292890/2^48 (0.975 + 1.4e-17), "
         f"so q_ll = ⌊⌊⌊10^9·2^48·0.975⌋·10⌋/10^9⌋·10^6/1 = {a[0]} bits = 9750000.0000000142… native; "
         f"q_lf = {a[1]} bits (9500000.0000000284…); the fee {a[2]} bits = 249999.99999998578… native, of "
         "which 249999 native units (0.249999 USDC) are transferred and the fraction booked as outstanding: "
         "the test's 0.25 within 1 unit. The `fixed` crate 1.30 prints the same bits for marginfi's "
         "expressions. Health after: 99·10·0.5 = 495 against 989.4999…: −494.4999… ≤ 0, above −499.")

acct2 = [{"token": 0, "balance": "100"}, {"token": 1, "balance": "-9.9"}]
USDC_SHOCKED = token("1", "0.25", "0.5")
SOL = token("10", "1", "1")
liq_case([USDC_SHOCKED, SOL], [6, 9], acct2, 0, 1, "2",
         lambda a: f"{SRC} marginfi_account_liquidation_success, test_case(100., 9.9, …, 2., Usdc, Sol): 100 USDC "
         "deposited (weights cut to 0.25/0.5), 9.9 SOL borrowed, 2 USDC liquidated. The test asserts within 1 "
         "native unit: the liquidator's debt 2·0.975·1/10 = 0.195 SOL, the liquidatee's 9.9 − 2·0.95/10 = 9.71 "
         f"SOL, the insurance vault 2·0.025/10 = 0.005 SOL. Here q_ll = {a[0]} bits, q_lf = {a[1]} bits, the "
         f"fee {a[2]} bits ({a[2] // ONE} native units transferred). Health before 100·0.5 − 9.9·10 = −49; after "
         "98·0.5 − 9.71·10 = −48.1.")

# Confidence intervals: the asset at P − conf, the liability at P + conf.
t_conf = [token("1", "1", "1", conf="0.01"), token("10", "0.25", "0.5", conf="0.1")]
liq_case(t_conf, [6, 9], acct, 1, 0, "1",
         lambda a: "Hand-worked: the first account with SOL at 10 ± 0.1 and USDC at 1 ± 0.01. marginfi prices "
         "the asset low (9.9) and the liability high (1.01) in both the health and the liquidation: "
         "maintenance 100·9.9·0.5 = 495 against 999·1.01 = 1008.99. q_ll = 1·9.9·0.975/1.01 = 9.556930… USDC "
         f"({a[0]} bits), q_lf = 1·9.9·0.95/1.01 = 9.311881… ({a[1]} bits), each step floored in I80F48 "
         "(0.01, 0.1, 1.01 and 9.9 are not binary fractions: each price floored to 2^-48 first).")

# Fee overrides.
liq_case([USDC, SOL_SHOCKED], [6, 9], acct, 1, 0, "1",
         lambda a: "Hand-worked: the first liquidation with the fees overridden (liquidator_fee 0.05, "
         "insurance_fee 0): q_ll = q_lf = 1·10·0.95 = 9.5 USDC less I80F48's floor "
         f"({a[0]} bits both), no insurance fee.", fl="0.05", fi="0")

# Refusals.
acct_h = [{"token": 0, "balance": "-100"}, {"token": 1, "balance": "100"}]
liq_case([USDC, SOL_FULL], [6, 9], acct_h, 1, 0, "1",
         f"{SRC} marginfi_account_liquidation_failure_liquidatee_not_unhealthy: 100 SOL at 10 (weights 1) "
         "against 100 USDC: maintenance health 1000 − 100 > 0, the liquidation is refused (HealthyAccount).")
liq_case([USDC, SOL_SHOCKED], [6, 9], acct, 1, 0, "101",
         "Hand-worked: 101 SOL asked of a 100 SOL deposit (OverliquidationAttempt).")
acct_small = [{"token": 0, "balance": "-9.5"}, {"token": 1, "balance": "1.5"}]
liq_case([USDC, SOL_SHOCKED], [6, 9], acct_small, 1, 0, "1",
         "Hand-worked: 1.5 SOL at 10 (maint weight 0.5: 7.5) against 9.5 USDC; 1 SOL repays 9.5000000000000284 "
         "USDC (the floor of 0.95 in I80F48 sits above 0.95), more than the 9.5 owed: the repay-only balance "
         "change fails.")
acct_ex = [{"token": 0, "balance": "-9.500001"}, {"token": 1, "balance": "1.5"}]
liq_case([USDC, SOL_SHOCKED], [6, 9], acct_ex, 1, 0, "1",
         "Hand-worked: 9.500001 USDC owed: 1 SOL repays 9500000.0000000284 native units and leaves "
         "0.99999997 of one native unit, below EMPTY_BALANCE_THRESHOLD = 1 (ExhaustedLiability).")
acct_sev = [{"token": 0, "balance": "-600"}, {"token": 1, "balance": "100"}]
liq_case([USDC, SOL_SHOCKED], [6, 9], acct_sev, 1, 0, "30",
         "Hand-worked: 100 SOL (maint 500) against 600 USDC, health −100. Taking 30 SOL repays 285 USDC: "
         "70·10·0.5 = 350 against 315, health +35 > 0 (TooSevereLiquidation); marginfi lets a liquidation "
         "bring the account back to 0 at most.")
acct_worse = [{"token": 0, "balance": "-1000"}, {"token": 1, "balance": "100"}]
liq_case([USDC, token("10", "0.96", "0.97")], [6, 9], acct_worse, 1, 0, "1",
         "Hand-worked: SOL's maint weight 0.97 above the 0.95 that the liquidatee is paid at: taking 1 SOL "
         "removes 10·0.97 = 9.7 of weighted assets and repays 9.5: health falls from 970 − 1000 = −30 to "
         "−30.2 (WorseHealthPostLiquidation).")
base = {"protocol": protocol([6, 9]), "tokens": [USDC, SOL_SHOCKED], "account": acct}
error_case("liquidate", dict(base, liquidation={"asset": 1, "liability": 0, "asset_amount": "0"}),
           "liquidation.asset_amount", "must be > 0 (ZeroLiquidationAmount)",
           "marginfi's check!(asset_amount > 0, ZeroLiquidationAmount).")
error_case("liquidate", dict(base, liquidation={"asset": 1, "liability": 0, "asset_amount": "0.0000000001"}),
           "liquidation.asset_amount", "must be whole native units of the asset (its decimals)",
           "asset_amount is a u64 of native units: 1e-10 SOL is not a whole lamport (9 decimals).")
error_case("liquidate", dict(base, liquidation={"asset": 1, "liability": 1, "asset_amount": "1"}),
           "liquidation.asset", "must be another bank than the liability (SameAssetAndLiabilityBanks)",
           "marginfi's SameAssetAndLiabilityBanks.")
error_case("liquidate", dict(base, protocol=protocol([6, 9], liquidator_fee="0.5", insurance_fee="0.5"),
                             liquidation={"asset": 1, "liability": 0, "asset_amount": "1"}),
           "protocol.insurance_fee", "the liquidator's and the insurance fund's fees must sum to less than 1",
           "Overrides must leave the liquidatee some repayment: 1 − (f_l + f_i) > 0.")
error_case("health", {"protocol": protocol([6, 18]), "tokens": [USDC, SOL_SHOCKED], "account": acct},
           "protocol.decimals[1]", "must be an integer in [0, 14] (marginfi's EXP_10_I80F48)",
           "marginfi scales by EXP_10_I80F48, which holds 10^0 … 10^14.")
error_case("health", {"protocol": protocol([6, 9]), "tokens": [USDC, SOL_SHOCKED],
                      "account": [{"token": 0, "balance": "-999.0000001"}, {"token": 1, "balance": "100"}]},
           "account", "must be whole native units of its token (its decimals)",
           "A balance of 999.0000001 USDC is not whole micro-USDC (6 decimals).")

# --- liquidator_decision: what may a keeper take under marginfi v2, and what pays best? ---------
import gen_presets as GP  # noqa: E402 (the independent model of vectors/README.md §8.5's decision)

GP.ASK = Fraction(Decimal("10.1"))
acct_k = [{"token": 0, "balance": "-600"}, {"token": 1, "balance": "100"}]


def too_much(q):
    try:
        liquidate([USDC, SOL_SHOCKED], [6, 9], acct_k, 1, 0, canon(Fraction(q, 10**9)))
        return False
    except Err as e:
        return e.why.endswith("take less")


lo, hi = 0, 100 * 10**9 + 1
while hi - lo > 1:
    mid = (lo + hi) // 2
    if too_much(mid):
        hi = mid
    else:
        lo = mid
q_max = canon(Fraction(lo, 10**9))
out_k, (q_ll_k, _, _) = liquidate([USDC, SOL_SHOCKED], [6, 9], acct_k, 1, 0, q_max)
allowed_k = floor_wad(Fraction(q_ll_k, ONE * 10**6))
fl_ = Fraction(Decimal("0.025"))
opp_k = {"repay_max": allowed_k, "liab_price": Fraction(1), "coll_price": Fraction(10),
         "bonus": floor_wad(fl_ / (1 - fl_)), "fee": Fraction(0)}
BIDS_K = [(Fraction(Decimal("9.9")), Fraction(10)), (Fraction(9), Fraction(1000))]
for sizing in ["best", "whole"]:
    d = GP.decision(opp_k, {"capital": Fraction(10**6), "gas": Fraction(0)}, {}, BIDS_K, sizing)
    CASES.append({"op": "liquidator_decision",
                  "input": {"protocol": protocol([6, 9]), "tokens": [USDC, SOL_SHOCKED], "account": acct_k,
                            "liquidation": {"asset": 1, "liability": 0}, "profile": {"capital": "1000000"},
                            "market": {"model": "order_book", "bids": [{"price": "9.9", "qty": "10"},
                                                                        {"price": "9", "qty": "1000"}],
                                       "asks": [{"price": "10.1", "qty": "1"}]},
                            "sizing": sizing},
                  "expect": {"protocol": "marginfi_v2", "allowed": canon(allowed_k), "limit": "target",
                             "asset_amount": q_max, "allowed_bits": str(q_ll_k), **d},
                  "note": "A keeper's question under marginfi v2 in one case: the account of "
                          f"{SRC}'s fixture with 600 USDC borrowed (maintenance health 100·10·0.5 − 600 = −100). "
                          "lending_account_liquidate lets the liquidator take at most the SOL that leaves the health ≤ 0 "
                          "(TooSevereLiquidation): each SOL raises it by 10·0.95 − 10·0.5 = 4.5, so 22.22… SOL (the "
                          "largest whole native amount not refused, by bisection), for which the liquidator takes on "
                          "q_ll = 22.22…·10·0.975 USDC. Its terms: SOL at 10·(1 − 0.025) against USDC at 1, a bonus "
                          "0.025/0.975 (rounded down), none to the protocol. §8.5's decision sizes within it against a "
                          "book of 10 SOL at 9.9 then 9 (stop price 10·0.975 = 9.75: only the first level pays). "
                          + ("best: the repay whose receipt fills the 10 at 9.9." if sizing == "best" else
                             "whole: all 22.22 SOL through the book, 12.22 of them at 9: a loss.")})

with open(os.path.join(HERE, "marginfi_v2.jsonl"), "w") as f:
    for c in CASES:
        f.write(json.dumps(c, ensure_ascii=False) + "\n")
print(len(CASES), "cases")
