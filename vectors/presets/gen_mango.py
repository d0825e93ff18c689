#!/usr/bin/env python3
"""Golden vectors of the mango_v4 preset (vectors/README.md §10.5), from an independent model.

Mango v4 (blockworks-foundation/mango-v4) computes in the `fixed` crate's I80F48: a value is
bits / 2^48; a product is floor(a*b / 2^48) (toward -infinity, any signs), a quotient
a * 2^48 / b truncated toward zero (the `fixed` crate 1.30 prints -3ulp*0.5 = -2ulp and
-1/3 = -93824992236885 ulp). Modelled here on Python integers from
programs/mango-v4/src/instructions/token_liq_with_token.rs (liquidation_action),
src/health/cache.rs (Prices::asset/liab, TokenInfo::health_contribution, HealthType),
src/state/mango_account.rs (check_liquidatable, maybe_recover_from_being_liquidated) and
src/state/bank.rs (deposit_with_dusting, withdraw_without_fee_with_dusting), at bank index 1.

Inputs: a weight or fee x enters as round(x * 2^48) (nearest); a price, stable price or balance
as floor(x * 2^48) (toward -infinity).

Run: python3 vectors/presets/gen_mango.py (writes mango_v4.jsonl beside it).
"""

import json
import os
from decimal import Decimal
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
WAD = 10**18
ONE = 1 << 48


def canon(x):
    x = Fraction(x)
    n = x * WAD
    assert n.denominator == 1, x
    n = n.numerator
    sign = "-" if n < 0 else ""
    n = abs(n)
    i, f = divmod(n, WAD)
    return f"{sign}{i}" if f == 0 else f"{sign}{i}.{str(f).rjust(18, '0').rstrip('0')}"


def floor_wad(x):
    x = Fraction(x)
    return Fraction((x.numerator * WAD) // x.denominator, WAD)


def fx_floor(s):
    x = Fraction(Decimal(s))
    return (x.numerator * ONE) // x.denominator


def fx_nearest(s):
    x = Fraction(Decimal(s))
    q, r = divmod(x.numerator * ONE, x.denominator)
    return q + (1 if 2 * r >= x.denominator else 0)


def mul(a, b):
    return (a * b) // ONE  # Python's // floors toward -infinity


def div(a, b):
    n, d = a * ONE, b
    q = abs(n) // abs(d)
    return q if (n < 0) == (d < 0) else -q


def bits_value(b):
    return canon(floor_wad(Fraction(b, ONE)))


def wad_of_bits(b):
    return floor_wad(Fraction(b, ONE))


def token(price, iaw, maw, ilw, mlw):
    return {"price": price, "init_asset_weight": iaw, "maint_asset_weight": maw,
            "init_liab_weight": ilw, "maint_liab_weight": mlw}


class Err(Exception):
    def __init__(self, what, why):
        self.what, self.why = what, why


def infos(tokens, proto):
    out = []
    n = len(tokens)
    stable = proto.get("stable_prices", [None] * n)
    for i, t in enumerate(tokens):
        o = fx_floor(t["price"])
        s = fx_floor(stable[i]) if stable[i] is not None else o
        out.append(dict(o=o, s=s, ia=fx_nearest(t["init_asset_weight"]), ma=fx_nearest(t["maint_asset_weight"]),
                        il=fx_nearest(t["init_liab_weight"]), ml=fx_nearest(t["maint_liab_weight"])))
    return out


def weighted(info, level, asset):
    if level == "maint":
        w, p = (info["ma"], info["o"]) if asset else (info["ml"], info["o"])
    elif level == "end":
        w, p = (info["ia"], info["o"]) if asset else (info["il"], info["o"])
    else:
        w, p = (info["ia"], min(info["o"], info["s"])) if asset else (info["il"], max(info["o"], info["s"]))
    return mul(w, p)


def balances(account):
    return {p["token"]: fx_floor(p["balance"]) for p in account}


def health(tokens, proto, bal, level):
    inf = infos(tokens, proto)
    h = 0
    for i, q in bal.items():
        h += mul(q, weighted(inf[i], level, q >= 0))
    return h


def protocol(**over):
    p = {"name": "mango_v4"}
    p.update(over)
    return p


def liquidate(tokens, proto, account, asset, liab, max_liab, being):
    bal = balances(account)
    if asset == liab:
        raise Err("liquidation.asset", "must be another token than the liability")
    ml = fx_floor(max_liab)
    if ml <= 0:
        raise Err("liquidation.max_liab_transfer", "must be > 0")
    h = health(tokens, proto, bal, "end")
    if being:
        if h > -ONE:
            raise Err("account", "its liquidation-end health is above -1: it recovers from being liquidated (Mango returns without a transfer)")
    elif health(tokens, proto, bal, "maint") >= 0:
        raise Err("account", "its maint health is >= 0: it is not liquidatable (Mango returns without a transfer)")
    a_nat, l_nat = bal.get(asset, 0), bal.get(liab, 0)
    if a_nat <= 0:
        raise Err("liquidation.asset", "the account has no deposit in that token")
    if l_nat >= 0:
        raise Err("liquidation.liability", "the account has no borrow in that token")
    inf = infos(tokens, proto)
    a, l = inf[asset], inf[liab]
    n = len(tokens)
    lf = [fx_nearest(x) for x in proto.get("liquidation_fees", ["0"] * n)]
    pf = [fx_nearest(x) for x in proto.get("platform_liquidation_fees", ["0"] * n)]
    ff_liqor = mul(ONE + lf[liab], ONE + lf[asset])
    ff_total = mul(ONE + lf[liab] + pf[liab], ONE + lf[asset] + pf[asset])
    lpa = mul(l["o"], ff_total)
    max_liab_liq = min(ml, -l_nat)
    den = mul(l["o"], l["il"]) - mul(lpa, a["ia"])
    needed = div(-h, den)
    possible = div(mul(a_nat, a["o"]), lpa)
    transfer = max(min(needed, possible, max_liab_liq), 0)
    base = div(mul(transfer, l["o"]), a["o"])
    to_liqor = mul(base, ff_liqor)
    from_liqee = mul(base, ff_total)
    dust = lambda x: 0 if 0 <= x < ONE else x
    l_after = dust(l_nat + transfer)
    a_after = dust(a_nat - from_liqee)
    bal2 = dict(bal)
    bal2[asset], bal2[liab] = a_after, l_after
    h2 = health(tokens, proto, bal2, "end")
    out = {"protocol": "mango_v4"}
    for k, b in [("liab_needed", needed), ("liab_possible", possible), ("liab_transfer", transfer),
                 ("asset_from_liqee", from_liqee), ("asset_to_liqor", to_liqor),
                 ("platform_fee", from_liqee - to_liqor), ("asset_after", a_after), ("liab_after", l_after),
                 ("health_before", h), ("health_after", h2)]:
        out[k] = bits_value(b)
        out[k + "_bits"] = str(b)
    out["being_liquidated"] = h2 <= -ONE
    acct = []
    for p in account:
        i = p["token"]
        if i == asset:
            acct.append({"token": i, "balance": canon(wad_of_bits(a_after))})
        elif i == liab:
            acct.append({"token": i, "balance": canon(wad_of_bits(l_after))})
        else:
            acct.append(p)
    out["account"] = acct
    return out


CASES = []


def liq_case(tokens, proto, account, asset, liab, max_liab, note, being=False):
    order = {"asset": asset, "liability": liab, "max_liab_transfer": max_liab}
    if being:
        order["being_liquidated"] = True
    inp = {"protocol": proto, "tokens": tokens, "account": account, "liquidation": order}
    try:
        expect = liquidate(tokens, proto, account, asset, liab, max_liab, being)
    except Err as e:
        expect = {"error": {"kind": "invalid", "what": e.what, "why": e.why}}
    CASES.append({"op": "liquidate", "input": inp, "expect": expect, "note": note})
    return expect


def health_case(tokens, proto, account, note):
    bal = balances(account)
    out = {"protocol": "mango_v4"}
    for k, lvl in [("init", "init"), ("maint", "maint"), ("liquidation_end", "end")]:
        h = health(tokens, proto, bal, lvl)
        out[k] = bits_value(h)
        out[k + "_bits"] = str(h)
    out["liquidatable"] = health(tokens, proto, bal, "maint") < 0
    CASES.append({"op": "health", "input": {"protocol": proto, "tokens": tokens, "account": account},
                  "expect": out, "note": note})
    return out


UNIT = "blockworks-foundation/mango-v4 programs/mango-v4/src/instructions/token_liq_with_token.rs"
INTEG = "blockworks-foundation/mango-v4 programs/mango-v4/tests/cases/test_liq_tokens.rs test_liq_tokens_with_token"

# --- Mango's unit test test_liq_with_token_stable_price -------------------------------------
PLAIN = token("1", "1", "1", "1", "1")  # mock_bank_and_oracle(.., 1.0, 0.0, 0.0)
LIAB_SP = token("1", "1", "1", "1.4", "1.2")
acct = [{"token": 0, "balance": "10"}, {"token": 1, "balance": "-9"}]
sp = protocol(stable_prices=["0.5", "1.25"])
health_case([PLAIN, LIAB_SP], sp, acct,
            f"{UNIT} test_liq_with_token_stable_price: asset bank stable price 0.5, liability bank stable price "
            "1.25, init_liab_weight 1.4, maint_liab_weight 1.2, oracle prices 1; 10 deposited, 9 borrowed. The test "
            "asserts liquidation-end health 10 − 9·1.4 = −2.6 (oracle prices, unscaled init weights) and maint "
            "10 − 9·1.2 = 0.8 below zero: −0.8. Init health values the asset at min(1, 0.5) and the liability at "
            "max(1, 1.25): 10·0.5 − 9·1.25·1.4 = −10.75 (the test's init figure also scales the weights by the "
            "banks' deposit/borrow totals, deposit_weight_scale_start_quote, which the preset does not model). "
            "1.4, 1.2 are not binary fractions: each weighted price floors to 2^-48, a liability's contribution "
            "floors toward −∞ (the health is a few 2^-48 below the decimal figure).")
liq_case([PLAIN, LIAB_SP], sp, acct, 0, 1, "100",
         f"{UNIT} test_liq_with_token_stable_price: liquidation to liquidation-end health 0 ignores the stable "
         "price: liab_needed = 2.6 / (1·1.4 − 1·1·1) = 6.5; the test asserts (within 0.01) the account keeps 3.5 "
         "of the asset and owes 2.5, and liquidation-end health 0 after. The unit test calls liquidation_action "
         "directly (no liquidatable check): being_liquidated reproduces that path (its liquidation-end health "
         "−2.6 ≤ −1). In I80F48 the quotient truncates: 6.4999… and the account is left a few 2^-48 below 0.",
         being=True)

# --- Mango's unit test test_liq_with_token_while_perp, the token-only cases ----------------------
def perp_case(name, w, start, exp, max_liab):
    asset_t = liab_t = token("1", w, "1", canon(2 - Fraction(Decimal(w))), "1")
    other = token("1", "1", "1", "1", "1")
    a0, l0, o0 = start
    account = [{"token": 0, "balance": a0}, {"token": 1, "balance": l0}]
    if o0 != "0":
        account.append({"token": 2, "balance": o0})
    tokens = [asset_t, liab_t, other]
    liq_case(tokens, protocol(), account, 0, 1, max_liab,
             f"{UNIT} test_liq_with_token_while_perp, case \"{name}\": init asset weight {w}, init liab weight "
             f"{canon(2 - Fraction(Decimal(w)))} on both banks (maint weights 1), prices 1, no fees; the account holds "
             f"{a0} of the asset, {l0} of the liability" + (f" and {o0} of a third token" if o0 != "0" else "") +
             f", max_liab_transfer {max_liab}. The test asserts (within 0.01) the asset {exp[0]} and the liability "
             f"{exp[1]} after. liquidation_action is called directly: being_liquidated reproduces that path.",
             being=True)


perp_case("no perps1", "0.9", ("10", "-11", "0"), ("0", "-1"), "100")
perp_case("no perps1, limited", "0.9", ("10", "-11", "0"), ("8", "-9"), "2")
perp_case("no perps2", "0.8", ("10", "-9", "0"), ("3", "-2"), "100")
perp_case("no perps2, other health1", "0.8", ("10", "-9", "0.4"), ("4", "-3"), "100")
perp_case("no perps2, other health2", "0.8", ("10", "-9", "-0.4"), ("2", "-1"), "100")

# --- Mango's integration test test_liq_tokens_with_token ---------------------------------------
# Tokens: 0 borrow1 (price 2 after the shock), 1 borrow2, 2 collateral1, 3 collateral2 (price 1);
# every bank init/maint asset 0.6/0.8, maint/init liab 1.2/1.4, liquidation_fee 0.01 and
# platform_liquidation_fee 0.01 (mango_setup.rs, TokenEdit); borrows carry the 0.0005 loan
# origination fee (350 → 350.175, 50 → 50.025).
G = lambda p: token(p, "0.6", "0.8", "1.4", "1.2")
TOK = [G("2"), G("1"), G("1"), G("1")]
FEES = protocol(liquidation_fees=["0.01"] * 4, platform_liquidation_fees=["0.01"] * 4)
acct = [{"token": 2, "balance": "1000"}, {"token": 3, "balance": "20"},
        {"token": 0, "balance": "-350.175"}, {"token": 1, "balance": "-50.025"}]
health_case(TOK, FEES, acct,
            f"{INTEG}: after the borrow1 oracle moves to 2: collateral 1000 + 20 at 1, borrows 350.175 at 2 and "
            "50.025 at 1 (350 and 50 plus the 0.0005 loan origination fee). Maint: 1020·0.8 − 750.375·1.2 = "
            "−84.45 < 0: liquidatable; liquidation end and init (stable = oracle): 1020·0.6 − 750.375·1.4 = "
            "−438.525. 0.6, 0.8, 1.2, 1.4 floored through I80F48: a few 2^-48 below.")
step1 = liq_case(TOK, FEES, acct, 3, 1, "10000",
                 f"{INTEG}, 'liquidate borrow2 against too little collateral2': liab_possible = 20·1 / (1·1.02·1.02) "
                 "= 19.2233… (fee_factor_total = (1 + 0.01 + 0.01)²); the test asserts the borrow2 position rounds to "
                 "−50 + 19 (here −30.8016…), collateral2 closed (20 − 19.2233·1.0404 leaves less than one native "
                 "unit: dusted), and the platform fee 20·(1 − 1.01·1.01/(1.02·1.02)) = 0.39019… (within 0.001). "
                 "Mango's banks hold the f32 0.01; the preset the decimal 0.01.")
acct2 = step1["account"]
step2 = liq_case(TOK, FEES, acct2, 2, 1, "10000",
                 f"{INTEG}, 'liquidate the remaining borrow2 against collateral1': the account (being liquidated) "
                 "repays all 30.80 of borrow2 (dusted to 0: position closed) for 30.80·1.0404 = 32.05 of "
                 "collateral1; the test asserts collateral1 rounds to 1000 − 32 and the account is still being "
                 "liquidated.", being=True)
acct3 = step2["account"]
step3 = liq_case(TOK, FEES, acct3, 2, 0, "10",
                 f"{INTEG}, 'liquidate borrow1 with collateral1, but place a limit': max_liab_transfer 10, the asset "
                 "cost 10·2·1.02·1.02 = 20.808; the test asserts borrow1 rounds to −350 + 10 and collateral1 to "
                 "1000 − 32 − 21.", being=True)
acct4 = step3["account"]
liq_case(TOK, FEES, acct4, 2, 0, "10000",
         f"{INTEG}, 'liquidate borrow1 with collateral1, making the account healthy again': liquidation-end "
         "health 947.14·0.6 − 340.175·2·1.4 = −384.2; liab_needed = 384.2 / (2·1.4 − 2·1.0404·0.6) = 247.65; the "
         "test asserts borrow1 rounds to −350 + 257, collateral1 to 1000 − 32 − 535 − 1 = 432 (947.14 − "
         "247.65·2.0808), and the account no longer being liquidated (health after > −1). The test's comment "
         "figures (399.2, 257.30, 535.39) are those before step 3; its asserted positions are these.",
         being=True)

# --- hand-worked ---------------------------------------------------------------------------------
HW = [token("1", "0.8", "0.9", "1.2", "1.1"), token("4", "0.5", "0.75", "1.5", "1.25")]
acct = [{"token": 0, "balance": "-300"}, {"token": 1, "balance": "100"}]
proto = protocol(liquidation_fees=["0.02", "0.05"], platform_liquidation_fees=["0.01", "0"], stable_prices=["1", "5"])
health_case(HW, proto, acct,
            "Hand-worked: 100 of token 1 (oracle 4, stable 5) against 300 of token 0 (price 1). Maint: 100·4·0.75 − "
            "300·1.1 = 300 − 330 = −30; liquidation end: 100·4·0.5 − 300·1.2 = 200 − 360 = −160; init values the "
            "asset at min(4, 5) = 4: −160 as well (the stable price above the oracle does not lift an asset).")
liq_case(HW, proto, acct, 1, 0, "1000",
         "Hand-worked: both banks' fees. ff_total = (1 + 0.02 + 0.01)·(1 + 0.05) = 1.0815, ff_liqor = 1.02·1.05 = "
         "1.071; lpa = 1·1.0815; liab_needed = 160 / (1·1.2 − 1.0815·0.5) = 160/0.65925 = 242.70…; liab_possible = "
         "100·4/1.0815 = 369.86; transfer 242.70 (below 300 and 1000); the account gives 242.70·1/4·1.0815 = "
         "65.62 of the asset, the liquidator gets 242.70·1.071/4 = 64.98, the asset bank 0.64; liquidation-end "
         "health after ≈ 0 (34.38·4·0.5 − 57.30·1.2), truncated just below.")
liq_case(HW, proto, acct, 1, 0, "50",
         "Hand-worked: the same capped by max_liab_transfer 50: the account gives 50·1.0815/4 = 13.51875 and stays "
         "being liquidated (liquidation-end health −160 + 50·1.2 − 13.51875·4·0.5 = −127.04 ≤ −1).")
acct_small = [{"token": 0, "balance": "-300"}, {"token": 1, "balance": "30"}]
liq_case(HW, proto, acct_small, 1, 0, "1000",
         "Hand-worked: too little collateral: 30 of token 1 pay for liab_possible = 30·4/1.0815 = 110.957… of the "
         "debt; the account gives up its 30 (the 2^-48 floors leave less than one native unit: dusted to 0), owes "
         "189.04 and stays being liquidated (bankrupt: only a borrow left).")
liq_case([PLAIN, LIAB_SP], protocol(), [{"token": 0, "balance": "10"}, {"token": 1, "balance": "-8"}], 0, 1, "100",
         "Hand-worked: maint health 10 − 8·1.2 = 0.4 ≥ 0: not liquidatable; Mango's check_liquidatable returns "
         "without a transfer (NotLiquidatable), the preset says so as an error naming the account.")
liq_case([PLAIN, LIAB_SP], protocol(), [{"token": 0, "balance": "10"}, {"token": 1, "balance": "-7.5"}], 0, 1, "100",
         "Hand-worked: flagged being_liquidated with liquidation-end health 10 − 7.5·1.4 = −0.5 > −1: "
         "maybe_recover_from_being_liquidated clears the flag and Mango returns without a transfer.", being=True)
liq_case([PLAIN, LIAB_SP], protocol(), [{"token": 0, "balance": "10"}, {"token": 1, "balance": "-9"}], 0, 1, "0",
         "Hand-worked: max_liab_transfer 0: Mango's require_gt!(max_liab_liquidation, 0) fails.", being=True)
liq_case([PLAIN, LIAB_SP], protocol(), [{"token": 0, "balance": "10"}, {"token": 1, "balance": "-9"}], 1, 1, "5",
         "Hand-worked: the same token as asset and liability: require!(asset_token_index != liab_token_index).",
         being=True)
CASES.append({"op": "health", "input": {"protocol": protocol(liquidation_fees=["0.01"]), "tokens": [PLAIN, LIAB_SP],
                                         "account": [{"token": 0, "balance": "1"}]},
              "expect": {"error": {"kind": "invalid", "what": "protocol.liquidation_fees",
                                   "why": "must give one decimal per token"}},
              "note": "Hand-worked: a per-bank list must have one entry per token."})

# --- liquidator_decision: what may a keeper repay under Mango v4, and what pays best? -----------
import gen_presets as GP  # noqa: E402 (the independent model of §8.5's decision)

GP.ASK = Fraction(Decimal("4.05"))
BIDS = [(Fraction(Decimal("3.95")), Fraction(30)), (Fraction(Decimal("3.5")), Fraction(1000))]
MARKET = {"model": "order_book", "bids": [{"price": "3.95", "qty": "30"}, {"price": "3.5", "qty": "1000"}],
          "asks": [{"price": "4.05", "qty": "1"}]}
acct = [{"token": 0, "balance": "-300"}, {"token": 1, "balance": "100"}]
plan = liquidate(HW, proto, acct, 1, 0, "300", False)
allowed = wad_of_bits(int(plan["liab_transfer_bits"]))
ff_total = (1 + Fraction(Decimal("0.02")) + Fraction(Decimal("0.01"))) * (1 + Fraction(Decimal("0.05")))
ff_liqor = (1 + Fraction(Decimal("0.02"))) * (1 + Fraction(Decimal("0.05")))
bonus = ff_total - 1
share = -floor_wad(-(ff_total - ff_liqor) / bonus)  # rounded up to the 1e-18 grid
opp = {"repay_max": allowed, "liab_price": Fraction(1), "coll_price": Fraction(4), "bonus": bonus, "fee": share}
for sizing in ["best", "whole"]:
    d = GP.decision(opp, {"capital": Fraction(10**6), "gas": Fraction(0)}, {}, BIDS, sizing)
    CASES.append({"op": "liquidator_decision",
                  "input": {"protocol": proto, "tokens": HW, "account": acct,
                            "liquidation": {"asset": 1, "liability": 0},
                            "profile": {"capital": "1000000"}, "market": MARKET, "sizing": sizing},
                  "expect": {"protocol": "mango_v4", "allowed": canon(allowed), "limit": "target",
                             "allowed_bits": plan["liab_transfer_bits"], **d},
                  "note": "A keeper's question under Mango v4 in one case: token_liq_with_token (max_liab_transfer the "
                          "whole borrow) allows repaying liab_needed = 242.70… of token 0 (the hand-worked liquidation "
                          "above: liquidation-end health to 0), at Mango's terms: the account gives ff_total = 1.03·1.05 = "
                          "1.0815 of the value in token 1, the liquidator gets ff_liqor = 1.02·1.05 = 1.071 (bonus 0.0815, "
                          "the protocol's share ⌈0.0105/0.0815⌉ on the 1e-18 grid). §8.5's decision sizes within it "
                          "against a book of 30 at 3.95 then 3.5 (stop price 4/1.071 = 3.73: only the first level "
                          "pays). " + ("best: the repay whose receipt fills the 30 at 3.95." if sizing == "best" else
                          "whole: taking all 242.70 sells 64.98 through the book, the rest at 3.5: a loss."),
                  })

with open(os.path.join(HERE, "mango_v4.jsonl"), "w") as f:
    for c in CASES:
        f.write(json.dumps(c, ensure_ascii=False) + "\n")
print(len(CASES), "cases")
