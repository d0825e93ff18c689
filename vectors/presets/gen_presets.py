#!/usr/bin/env python3
"""Golden vectors of the protocol presets (vectors/README.md §10), from an independent model.

Each protocol is modelled here from its own code, on Python integers, as the Solidity does it
(integer division floors; Aave's PercentageMath and WadRayMath round half up):

- Aave v3.3: aave-dao/aave-v3-origin at tag v3.3.0, GenericLogic.calculateUserAccountData,
  LiquidationLogic.executeLiquidationCall, _calculateAvailableCollateralToLiquidate,
  _burnDebtTokens / _burnBadDebt, helpers/LiquidationDataProvider.getLiquidationInfo.
- Morpho Blue: morpho-org/morpho-blue, src/Morpho.sol liquidate and _isHealthy,
  src/libraries/SharesMathLib.sol, MathLib.sol, ConstantsLib.sol.

The liquidator's decision on an Aave opportunity follows vectors/README.md §8.5 (order-book
market only). Run: python3 vectors/presets/gen_presets.py (writes the .jsonl files beside it).
"""

import json
import os
from decimal import Decimal
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
WAD = 10**18


def canon(x):
    """Canonical decimal text of a Fraction on the 1e-18 grid."""
    x = Fraction(x)
    n = x * WAD
    assert n.denominator == 1, x
    n = n.numerator
    sign = "-" if n < 0 else ""
    n = abs(n)
    i, f = divmod(n, WAD)
    if f == 0:
        return f"{sign}{i}"
    return f"{sign}{i}.{str(f).rjust(18, '0').rstrip('0')}"


def F(s):
    return Fraction(Decimal(s))


def floor_div(a, b):
    return a // b


def ceil_div(a, b):
    return -((-a) // b)


# ---------------------------------------------------------------- Aave v3.3
PCT = 10_000


def percent_mul(v, p):
    return (v * p + PCT // 2) // PCT


def percent_div(v, p):
    return (v * PCT + p // 2) // p


def wad_div(a, b):
    return (a * WAD + b // 2) // b


def token(price, ltv, lt, bonus="0", fee="0"):
    t = {
        "price": price,
        "init_asset_weight": ltv,
        "maint_asset_weight": lt,
        "init_liab_weight": "1",
        "maint_liab_weight": "1",
    }
    if bonus != "0":
        t["liquidation_fee"] = bonus
    if fee != "0":
        t["protocol_fee_share"] = fee
    return t


class Aave:
    def __init__(self, tokens, decimals, emode=None, base=8):
        self.tokens = tokens
        self.decimals = decimals
        self.emode = emode  # (ltv, lt, bonus, set of indices) as strings / set
        self.base = base

    def reserve(self, i):
        t = self.tokens[i]
        d = self.decimals[i]
        bps = lambda s: int(F(s) * PCT)
        ltv, lt = bps(t["init_asset_weight"]), bps(t["maint_asset_weight"])
        bonus = PCT + bps(t.get("liquidation_fee", "0"))
        if self.emode and i in self.emode[3]:
            ltv, lt, bonus = bps(self.emode[0]), bps(self.emode[1]), PCT + bps(self.emode[2])
        price = int(F(t["price"]) * 10**self.base)
        return dict(unit=10**d, d=d, price=price, ltv=ltv, lt=lt, bonus=bonus,
                    fee=bps(t.get("protocol_fee_share", "0")))

    def native(self, i, amount):
        n = F(amount) * 10**self.decimals[i]
        assert n.denominator == 1
        return int(n)

    def account_data(self, balances):
        coll = debt = ltv_sum = lt_sum = 0
        for i, b in balances.items():
            r = self.reserve(i)
            if b > 0 and r["lt"] != 0:
                v = b * r["price"] // r["unit"]
                coll += v
                ltv_sum += v * r["ltv"]
                lt_sum += v * r["lt"]
            elif b < 0:
                debt += (-b) * r["price"] // r["unit"]
        avg_ltv = ltv_sum // coll if coll else 0
        avg_lt = lt_sum // coll if coll else 0
        hf = None if debt == 0 else wad_div(percent_mul(coll, avg_lt), debt)
        return dict(coll=coll, debt=debt, avg_ltv=avg_ltv, avg_lt=avg_lt, hf=hf)

    def data_value(self, a):
        return {
            "total_collateral": canon(Fraction(a["coll"], 10**self.base)),
            "total_debt": canon(Fraction(a["debt"], 10**self.base)),
            "avg_ltv": canon(Fraction(a["avg_ltv"], PCT)),
            "avg_liquidation_threshold": canon(Fraction(a["avg_lt"], PCT)),
            "health_factor": None if a["hf"] is None else canon(Fraction(a["hf"], WAD)),
            "liquidatable": a["hf"] is not None and a["hf"] < WAD,
        }

    @staticmethod
    def available(d, c, debt_to_cover, balance):
        base = (d["price"] * debt_to_cover * c["unit"]) // (c["price"] * d["unit"])
        max_coll = percent_mul(base, c["bonus"])
        if max_coll > balance:
            coll = balance
            debt = percent_div((c["price"] * coll * d["unit"]) // (d["price"] * c["unit"]), c["bonus"])
        else:
            coll, debt = max_coll, debt_to_cover
        coll_base = coll * c["price"] // c["unit"]
        fee = 0
        if c["fee"]:
            bonus = coll - percent_div(coll, c["bonus"])
            fee = percent_mul(bonus, c["fee"])
            coll -= fee
        return coll, debt, fee, coll_base

    def liquidate(self, balances, liab, collat, debt_to_cover=None, cf=5000, full_below=95 * WAD // 100,
                  min_base=2000, min_left=1000):
        """Returns (output dict, balances after) or ('error', what, why)."""
        min_base *= 10**self.base
        min_left *= 10**self.base
        before = self.account_data(balances)
        d, c = self.reserve(liab), self.reserve(collat)
        if not (before["hf"] is not None and before["hf"] < WAD):
            raise NotImplementedError
        debt_n, coll_n = -balances[liab], balances[collat]
        debt_base = debt_n * d["price"] // d["unit"]
        coll_base = coll_n * c["price"] // c["unit"]
        max_debt, share = debt_n, 1
        if coll_base >= min_base and debt_base >= min_base and before["hf"] > full_below:
            tdl = percent_mul(before["debt"], cf)
            if debt_base > tdl:
                max_debt = tdl * d["unit"] // d["price"]
                share = Fraction(cf, PCT)
        max_limit = "close_factor" if max_debt < debt_n else "position"
        # LiquidationDataProvider
        mc, md, mf, _ = self.available(d, c, max_debt, coll_n)
        max_repay = md
        if mc + mf < coll_n and md < debt_n:
            cl = (coll_n - mc - mf) * c["price"] // c["unit"]
            dl = (debt_n - md) * d["price"] // d["unit"]
            if cl < min_left or dl < min_left:
                cs = min_left - cl if cl < min_left else 0
                ds = min_left - dl if dl < min_left else 0
                if cs > ds:
                    mc2 = mc - cs * c["unit"] // c["price"]
                    max_repay = percent_div((c["price"] * mc2 * d["unit"]) // (d["price"] * c["unit"]), c["bonus"])
                else:
                    max_repay = md - ds * d["unit"] // d["price"]
        if debt_to_cover is not None and debt_to_cover < max_debt:
            wanted, limit = debt_to_cover, "offer"
        else:
            wanted, limit = max_debt, max_limit
        seize, repay, fee, seized_base = self.available(d, c, wanted, coll_n)
        if repay < wanted:
            limit = "collateral"
        if repay < debt_n and seize + fee < coll_n:
            dl = (debt_n - repay) * d["price"] // d["unit"]
            cl = (coll_n - seize - fee) * c["price"] // c["unit"]
            if not (dl >= min_left and cl >= min_left):
                return ("error", "liquidation.max_repay",
                        "would leave less than min_leftover_base of debt or collateral (MUST_NOT_LEAVE_DUST): repay all, seize all, or leave more")
        deficit = before["coll"] == seized_base
        after_b = dict(balances)
        after_b[collat] = coll_n - seize - fee
        after_b[liab] = balances[liab] + repay
        deficits = []
        if deficit:
            for i, b in balances.items():
                if b < 0:
                    owed = -b - (repay if i == liab else 0)
                    deficits.append({"token": i, "amount": canon(Fraction(owed, 10**self.decimals[i]))})
            for i in list(after_b):
                if after_b[i] < 0:
                    after_b[i] = 0
        after = self.account_data(after_b)
        out = {
            "protocol": "aave_v3.3",
            "kind": "token",
            "repay": canon(Fraction(repay, d["unit"])),
            "seize": canon(Fraction(seize, c["unit"])),
            "protocol_fee": canon(Fraction(fee, c["unit"])),
            "max_repay": canon(Fraction(max_repay, d["unit"])),
            "close_factor": canon(share),
            "limit": limit,
            "deficit": deficits,
            "before": self.data_value(before),
            "after": self.data_value(after),
            "account": None,
        }
        return out, after_b, dict(repay=repay, d=d, c=c)


def account_json(order, balances, decimals):
    return [{"token": i, "balance": canon(Fraction(balances[i], 10**decimals[i]))} for i in order]


# ------------------------------------------ liquidator decision (§8.5, order book only)
def fl(x):
    x = Fraction(x)
    return Fraction((x.numerator * WAD) // x.denominator, WAD)


def cl(x):
    x = Fraction(x)
    return Fraction(-((-x.numerator * WAD) // x.denominator), WAD)


def decision(opp, profile, env, bids, sizing="best"):
    Pl, Pc, b, s = opp["liab_price"], opp["coll_price"], opp["bonus"], opp["fee"]

    def receives(r):
        rv = fl(r * Pl)
        seize = fl(rv * (1 + b) / Pc)
        bonus = seize - fl(rv / Pc)
        return seize - cl(bonus * s)

    rho = cl(cl(profile.get("risk_factor", 0) * env.get("volatility", 0)) * 0)  # latency 0 here
    gas = cl(profile.get("gas", 0) * env.get("gas_price", 0))
    cap = min(opp["repay_max"], fl(profile["capital"] / Pl))

    def sell(q):
        left, proceeds = q, Fraction(0)
        for price, qty in bids:
            take = min(left, qty)
            proceeds += fl(take * price)
            left -= take
        filled = q - left
        # price after: the best level not exhausted
        rem = q
        price_after = Fraction(0)
        for price, qty in bids:
            if rem < qty:
                price_after = price + fl((ASK - price) / 2)  # the mid of the best bid and ask
                break
            rem -= qty
        return filled, left, proceeds, price_after

    def evaluate(r):
        rec = receives(r)
        filled, unfilled, proceeds, price_after = sell(rec)
        cost = cl(r * Pl)
        risk = cl(cl(rec * Pc) * rho)
        return dict(repay=r, receives=rec, sold=filled, unsold=unfilled, proceeds=proceeds,
                    price_after=price_after, cost=cost, gas=gas, risk=risk,
                    profit=proceeds - cost - gas - risk)

    if sizing == "whole":
        chosen = evaluate(cap)
    else:
        kept = fl(b * (1 - s))
        p_stop = cl(Pc / (1 + kept)) + cl(Pc * rho)
        A = sum(q for p, q in bids if p >= p_stop)
        if receives(cap) <= A:
            best = cap
        else:
            lo, hi = 0, int(cap * WAD)  # receives(lo) <= A < receives(hi)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if receives(Fraction(mid, WAD)) <= A:
                    lo = mid
                else:
                    hi = mid
            best = Fraction(lo, WAD)
        chosen = evaluate(best)
        if best < cap:
            at_cap = evaluate(cap)
            if at_cap["profit"] > chosen["profit"]:
                chosen = at_cap
    if chosen["profit"] <= 0:
        reason = "unprofitable"
    elif chosen["profit"] < profile.get("min_profit", 0):
        reason = "below_min_profit"
    else:
        reason = "act"
    out = {"act": reason == "act", "reason": reason}
    for k in ["repay", "receives", "sold", "unsold", "proceeds", "price_after", "cost", "gas", "risk", "profit"]:
        out[k] = canon(chosen[k])
    return out


# ---------------------------------------------------------------- Morpho Blue
VS, VA = 10**6, 1
SCALE = 10**36


def mul_div_down(a, b, c):
    return a * b // c


def mul_div_up(a, b, c):
    return (a * b + c - 1) // c


class Morpho:
    def __init__(self, lltv, price, tsa, tba, tbs):
        self.lltv = int(F(lltv) * WAD)
        self.price, self.tsa, self.tba, self.tbs = price, tsa, tba, tbs

    def to_assets_up(self, s):
        return mul_div_up(s, self.tba + VA, self.tbs + VS)

    def to_assets_down(self, s):
        return mul_div_down(s, self.tba + VA, self.tbs + VS)

    def to_shares_up(self, a):
        return mul_div_up(a, self.tbs + VS, self.tba + VA)

    def lif(self):
        t = (3 * WAD // 10) * (WAD - self.lltv) // WAD
        return min(115 * WAD // 100, WAD * WAD // (WAD - t))

    def health(self, coll, shares):
        borrowed = self.to_assets_up(shares)
        max_borrow = mul_div_down(coll, self.price, SCALE) * self.lltv // WAD
        return {"borrowed": str(borrowed), "max_borrow": str(max_borrow), "healthy": max_borrow >= borrowed}

    def pool(self):
        return {"total_supply_assets": str(self.tsa), "total_borrow_assets": str(self.tba),
                "total_borrow_shares": str(self.tbs)}

    def liquidate(self, coll, shares, seized=None, repaid_shares=None):
        before = self.health(coll, shares)
        lif = self.lif()
        out = {"protocol": "morpho_blue", "lif": canon(Fraction(lif, WAD))}
        if before["healthy"]:
            out.update(healthy=True, seized_assets="0", repaid_shares="0", repaid_assets="0",
                       bad_debt_assets="0", bad_debt_shares="0", before=before, after=before,
                       pool=self.pool(), position={"collateral": str(coll), "borrow_shares": str(shares)})
            return out
        if seized is not None:
            quoted = mul_div_up(seized, self.price, SCALE)
            repaid_shares = self.to_shares_up(mul_div_up(quoted, WAD, lif))
        else:
            seized = mul_div_down(self.to_assets_down(repaid_shares) * lif // WAD, SCALE, self.price)
        repaid_assets = self.to_assets_up(repaid_shares)
        shares -= repaid_shares
        self.tbs -= repaid_shares
        self.tba = max(0, self.tba - repaid_assets)
        coll -= seized
        bad_a = bad_s = 0
        if coll == 0:
            bad_s = shares
            bad_a = min(self.tba, self.to_assets_up(bad_s))
            self.tba -= bad_a
            self.tsa -= bad_a
            self.tbs -= bad_s
            shares = 0
        out.update(healthy=False, seized_assets=str(seized), repaid_shares=str(repaid_shares),
                   repaid_assets=str(repaid_assets), bad_debt_assets=str(bad_a), bad_debt_shares=str(bad_s),
                   before=before, after=self.health(coll, shares), pool=self.pool(),
                   position={"collateral": str(coll), "borrow_shares": str(shares)})
        return out


def morpho_keeper_cases():
    """What may I repay under Morpho Blue, and what pays best? — in one case."""
    global ASK
    cases = []
    # WETH (18 decimals) collateral at 2,000 USDC (6 decimals): price = 2000e6·1e36/1e18.
    lltv, price = "0.86", 2 * 10**27
    tsa, tba, tbs = 10_000 * 10**6, 1_800 * 10**6, 1_800 * 10**12
    coll, shares = 10**18, 1_800 * 10**12
    m = Morpho(lltv, price, tsa, tba, tbs)
    lif = m.lif()
    seized_all = mul_div_down(m.to_assets_down(shares) * lif // WAD, SCALE, price)
    assert seized_all <= coll
    allowed = m.to_assets_up(shares)
    opp = {"repay_max": Fraction(allowed, 10**6), "liab_price": F("1"),
           "coll_price": Fraction(price * 10**18 // 10**24, WAD), "bonus": Fraction(lif - WAD, WAD), "fee": F("0")}
    saved, ASK = ASK, F("2010")
    bids = [(F("1990"), F("0.5")), (F("1900"), F("100"))]
    for sizing in ["best", "whole"]:
        d = decision(opp, {"capital": F("1000000"), "gas": F("0")}, {}, bids, sizing)
        exp = {"protocol": "morpho_blue", "allowed": canon(opp["repay_max"]), "limit": "position",
               "allowed_assets": str(allowed), "lif": canon(Fraction(lif, WAD)), **d}
        inp = {"protocol": "morpho_blue",
               "pool": {"lltv": lltv, "price": str(price), "total_supply_assets": str(tsa),
                        "total_borrow_assets": str(tba), "total_borrow_shares": str(tbs)},
               "position": {"collateral": str(coll), "borrow_shares": str(shares)},
               "liquidation": {"loan_decimals": 6, "collateral_decimals": 18},
               "profile": {"capital": "1000000"},
               "market": {"model": "order_book", "bids": [{"price": "1990", "qty": "0.5"}, {"price": "1900", "qty": "100"}],
                          "asks": [{"price": "2010", "qty": "1"}]},
               "sizing": sizing}
        cases.append({"op": "liquidator_decision", "input": inp, "expect": exp,
                      "note": "A keeper's question under Morpho Blue in one case: 1 WETH against 1,800 USDC borrowed at "
                              "LLTV 0.86 (maxBorrow ⌊2,000·0.86⌋ = 1,720 < 1,800: liquidatable). Morpho has no close "
                              "factor: repaying every share seizes ⌊1,800·LIF⌋/2,000 = 0.9396 WETH ≤ 1, so the whole "
                              "1,800 USDC is allowed (limit position), at LIF = 1/(1 − 0.3·0.14) = 1.04384… (bonus LIF − 1, "
                              "nothing to the protocol). §8.5's decision sizes within it against a book of 0.5 WETH at "
                              "1,990 then 1,900; the stop price is 2,000/1.0438… = 1,916. "
                              + ("best: the repay whose receipt fills the 0.5 at 1,990 (the 1,900 level is below the stop)."
                                 if sizing == "best" else
                                 "whole: all 0.9395 WETH through the book, 0.4395 of it at 1,900, below the stop: a "
                                 "smaller profit than best's.")})
    ASK = saved
    return cases


def compound_keeper_cases():
    """What may I buy under Compound III after an absorb, and what pays best? — in one case."""
    global ASK
    cases = []
    usdc, weth = comet_token("1"), comet_token("2000", "0.85", "0.9", "0.95")
    tokens, decimals = [usdc, weth], [6, 18]
    account = [{"token": 0, "balance": "-1900"}, {"token": 1, "balance": "1"}]
    absorbed = comet_case("", tokens, decimals, account, {"kind": "absorb"})["expect"]
    assert absorbed["liquidatable"]
    held = 10**18  # the absorbed 1 WETH (no reserves before)
    sfpf, lf = 5 * FACTOR // 10, 95 * FACTOR // 100
    discount = sfpf * (FACTOR - lf) // FACTOR
    discounted = 2000 * 10**8 * (FACTOR - discount) // FACTOR

    def quote(n):
        return 10**8 * n * 10**18 // discounted // 10**6

    lo, hi = 0, 1
    while quote(hi) <= held:
        hi *= 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if quote(mid) <= held else (lo, mid)
    d = Fraction(discount, FACTOR)
    opp = {"repay_max": Fraction(lo, 10**6), "liab_price": F("1"), "coll_price": F("2000"),
           "bonus": fl(d / (1 - d)), "fee": F("0")}
    saved, ASK = ASK, F("2010")
    bids = [(F("1990"), F("0.5")), (F("1900"), F("100"))]
    for sizing in ["best", "whole"]:
        dec_ = decision(opp, {"capital": F("1000000"), "gas": F("0")}, {}, bids, sizing)
        exp = {"protocol": "compound_v3", "allowed": canon(opp["repay_max"]), "limit": "reserves",
               "collateral_for_sale": "1", **dec_}
        inp = {"protocol": {"name": "compound_v3", "decimals": decimals}, "tokens": tokens, "account": account,
               "liquidation": {"kind": "buy_collateral", "collateral": 1},
               "profile": {"capital": "1000000"},
               "market": {"model": "order_book", "bids": [{"price": "1990", "qty": "0.5"}, {"price": "1900", "qty": "100"}],
                          "asks": [{"price": "2010", "qty": "1"}]},
               "sizing": sizing}
        cases.append({"op": "liquidator_decision", "input": inp, "expect": exp,
                      "note": "A keeper's question under Compound III in one case: −1,900 USDC against 1 WETH "
                              "(liquidateCollateralFactor 0.9: liquidity −1,900 + 1,800 = −100 < 0) is absorbed, the "
                              "reserves pay the 1,900 and are below the target: the protocol sells its 1 WETH at the "
                              "store-front discount 0.5·(1 − 0.95) = 2.5 % (quoteCollateral: 2,000·0.975 = 1,950 USDC "
                              "for it; the most base whose quote fits is 1,950 USDC). Terms: bonus 0.025/0.975 "
                              "(rounded down), nothing to the protocol. §8.5's decision against a book of 0.5 WETH at "
                              "1,990 then 1,900 (stop price 1,950). "
                              + ("best: the 0.5 at 1,990." if sizing == "best" else
                                 "whole: the whole 1 WETH, half of it at 1,900 below the stop: a loss.")})
    ASK = saved
    return cases


def write(name, cases):
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"{name}: {len(cases)} cases")


ASK = F("61000")
SRC_AAVE = "aave-dao/aave-v3-origin v3.3.0"


def aave_cases():
    cases = []
    usdc = token("1", "0.75", "0.78")
    wbtc = token("60000", "0.73", "0.78", "0.05", "0.1")
    world = {"tokens": [usdc, wbtc], "account": [{"token": 0, "balance": "-100000"}, {"token": 1, "balance": "2"}]}
    dec = [6, 8]
    a = Aave([usdc, wbtc], dec)
    bal = {0: -100000 * 10**6, 1: 2 * 10**8}
    hd = a.account_data(bal)
    assert hd["hf"] == 936 * WAD // 1000
    out = {"protocol": "aave_v3.3", **a.data_value(hd)}
    cases.append({"op": "health", "input": {"protocol": {"name": "aave_v3.3", "decimals": dec}, **world}, "expect": out,
                  "note": f"Issue 16's account: 2 WBTC at 60,000 (LT 78 %) against 100,000 USDC. {SRC_AAVE} "
                          "GenericLogic.calculateUserAccountData: collateral ⌊2e8·60000e8/1e8⌋ = 120,000e8, debt "
                          "100,000e8, avgLT ⌊120000e8·7800/120000e8⌋ = 7800, HF = wadDiv(percentMul(120000e8, 7800), "
                          "100000e8) = 93,600e8·1e18/100,000e8 = 0.936."})

    def liq(note, balances, order, req=None, **kw):
        o = {"kind": "token", "liability": order[0], "collateral": order[1]}
        if req is not None:
            o["max_repay"] = req
        inp = {"protocol": {"name": "aave_v3.3", "decimals": a.decimals, **kw.pop("proto", {})},
               "tokens": a.tokens, "account": account_json(sorted(balances), balances, a.decimals), "liquidation": o}
        r = a.liquidate(balances, order[0], order[1],
                        None if req is None else a.native(order[0], req), **kw)
        if r[0] == "error":
            exp = {"error": {"kind": "invalid", "what": r[1], "why": r[2]}}
        else:
            out, after, _ = r
            out["account"] = account_json(sorted(balances), after, a.decimals)
            exp = out
        cases.append({"op": "liquidate", "input": inp, "expect": exp, "note": note})
        return exp

    e = liq("Issue 16: HF 0.936 ≤ CLOSE_FACTOR_HF_THRESHOLD 0.95, so the whole reserve debt may be repaid "
            "(LiquidationLogic.executeLiquidationCall, v3.3.0); debtToCover = uint max → 100,000 USDC. "
            "_calculateAvailableCollateralToLiquidate: baseCollateral = ⌊1e8·1e11·1e8/(60000e8·1e6)⌋ = 166,666,666; "
            "percentMul(·, 10500) = ⌊(1,749,999,993,000 + 5,000)/10⁴⌋ = 174,999,999; bonus = 174,999,999 − "
            "percentDiv(174,999,999, 10500) = 174,999,999 − 166,666,666 = 8,333,333; fee = percentMul(8,333,333, 1000) = "
            "833,333; to the liquidator 174,166,666 = 1.74166666 WBTC; 0.25000001 WBTC left.", bal, (0, 1))
    assert e["repay"] == "100000" and e["seize"] == "1.74166666"
    liq("The same account, the liquidator asks 40,000 (debtToCover): Aave lets it choose any amount up to the "
        "close factor; limit offer. baseCollateral ⌊4e10·1e16/6e18·…⌋ = 66,666,666, ×1.05 half up 69,999,999, "
        "bonus 3,333,333, fee 333,333.", bal, (0, 1), "40000")
    bal2 = {0: -95000 * 10**6, 1: 2 * 10**8}
    liq("HF = 93,600/95,000 = 0.985263157894736842 (wadDiv half up) > 0.95 and both sides ≥ 2,000 USD: the close "
        "factor is 50 % of the total debt in base, percentMul(95,000e8, 5000) = 47,500e8 < 95,000e8, so at most "
        "⌊47,500e8·1e6/1e8⌋ = 47,500 USDC (LiquidationLogic v3.3.0).", bal2, (0, 1))
    liq("As above with a request of 60,000: cut to the close factor's 47,500.", bal2, (0, 1), "60000")
    # dust: 1.5 WETH at 2000 (LT 0.75), 2,300 USDC
    weth = token("2000", "0.7", "0.75", "0.05")
    a2 = Aave([usdc, weth], [6, 18])
    global_a = a
    a = a2
    b3 = {0: -2300 * 10**6, 1: 15 * 10**17}
    liq("Issue 16's dust case: 2,300 USDC against 1.5 WETH at 2,000 (LT 75 %): HF = 2,250/2,300 = 0.978… > 0.95, "
        "both sides ≥ 2,000: close factor 50 %, at most 1,150. A request of 875 leaves 1,425 of debt and "
        "(1.5 − ⌊875e8·1e18/2000e8/1e6⌋·1.05) WETH = 1.040625 WETH = 2,081.25 of collateral, both ≥ MIN_LEFTOVER_BASE "
        "1,000: allowed as asked (the general rule with dust 2,000 would extend it to 1,150).", b3, (0, 1), "875")
    liq("The same account, uint max: the close factor's 1,150; LiquidationDataProvider's max is 1,150 too.", b3, (0, 1))
    b4 = {0: -2300 * 10**6, 1: 15 * 10**17}
    a.tokens = [usdc, token("1900", "0.7", "0.75", "0.05")]
    liq("WETH at 1,900: HF = ⌊2,850e8·7500 half up⌋/2,300e8 = 2,137.5/2,300 = 0.929347826086956522 ≤ 0.95: the whole "
        "debt may go. A request of 1,500 leaves 800 < MIN_LEFTOVER_BASE 1,000 of debt while collateral remains: Aave "
        "reverts MUST_NOT_LEAVE_DUST (LiquidationLogic v3.3.0).", b4, (0, 1), "1500")
    liq("The same account, request 1,300: leaves exactly 1,000 of debt (≥ MIN_LEFTOVER_BASE) and 2,850 − "
        "⌊1,300e8·1e18/1,900e8⌋·1.05 … ≥ 1,000 of collateral: allowed.", b4, (0, 1), "1300")
    liq("The same account, uint max: the whole 2,300 (HF ≤ 0.95); seize ⌊2,300/1,900 WETH⌋·1.05 half up.", b4, (0, 1))
    # deficit: 1 WETH at 1000 against 1,200 USDC (and 50 DAI)
    dai = token("1", "0.63", "0.77")
    a = Aave([usdc, token("1000", "0.8", "0.825", "0.05", "0.1"), dai], [6, 18, 18])
    b5 = {0: -1200 * 10**6, 1: 10**18, 2: -50 * 10**18}
    liq("Bad debt (v3.3's deficit): 1 WETH at 1,000 against 1,200 USDC and 50 DAI, HF = 825/1,250 = 0.66. The whole "
        "USDC debt may go but the collateral runs out first: collateral = the balance, debt needed = "
        "percentDiv(⌊1000e8·1e18·1e6/(1e8·1e18)⌋, 10500) = percentDiv(1,000e6, 10500) = 952,380,952 (952.380952 USDC); "
        "fee on the bonus ⌊…⌋; the seized collateral is all the account's collateral in base "
        "(hasNoCollateralLeft), so _burnDebtTokens burns the USDC left (247.619048) and _burnBadDebt the 50 DAI, "
        "both booked as the reserves' deficit.", b5, (0, 1))
    # eMode: WETH/wstETH-like category
    eth = token("2000", "0.8", "0.825", "0.05")
    lst = token("2200", "0.75", "0.79", "0.06", "0.1")
    a = Aave([eth, lst], [18, 18], emode=("0.93", "0.95", "0.01", {1}))
    b6 = {0: -(10 * 10**18), 1: 10 * 10**18}
    a.tokens = [eth, token("2000", "0.75", "0.79", "0.06", "0.1")]
    liq("eMode: 10 LST at 2,000 against 10 ETH at 2,000 (category LT 95 %, bonus 1 %, the LST's own 79 % / 6 % "
        "do not apply): HF = wadDiv(percentMul(20,000e8, 9500), 20,000e8) = 0.95 ≤ 0.95, so the whole debt may go; "
        "seize percentMul(10e18, 10100) = 10.1 > 10 → the collateral bounds it: debt = percentDiv(10e18, 10100) = "
        "9.900990099009900990; the protocol fee is 10 % of the bonus 10 − percentDiv(10e18, 10100) half up.",
        b6, (0, 1), proto={"emode": {"ltv": "0.93", "liquidation_threshold": "0.95", "liquidation_bonus": "0.01",
                                     "collateral": [1]}})
    return cases, global_a


def keeper_cases(a):
    """What may I repay under Aave v3.3, and what pays best? — in one case."""
    cases = []
    bal = {0: -100000 * 10**6, 1: 2 * 10**8}
    out, _, _ = a.liquidate(bal, 0, 1)
    allowed = F(out["max_repay"])
    bids = [(F("59000"), F("1")), (F("50000"), F("100"))]
    opp = {"repay_max": allowed, "liab_price": F("1"), "coll_price": F("60000"), "bonus": F("0.05"), "fee": F("0.1")}
    profile = {"capital": F("1000000"), "gas": F("300000"), "min_profit": F("0")}
    env = {"gas_price": F("0.00001")}
    for sizing in ["best", "whole"]:
        d = decision(opp, profile, env, bids, sizing)
        exp = {"protocol": "aave_v3.3", "allowed": canon(allowed), "limit": out["limit"], **d}
        inp = {"protocol": {"name": "aave_v3.3", "decimals": [6, 8]}, "tokens": a.tokens,
               "account": account_json([0, 1], bal, [6, 8]),
               "liquidation": {"kind": "token", "liability": 0, "collateral": 1},
               "profile": {"capital": "1000000", "gas_per_liquidation": "300000"},
               "environment": {"gas_price": "0.00001"},
               "market": {"model": "order_book", "bids": [{"price": "59000", "qty": "1"}, {"price": "50000", "qty": "100"}],
                          "asks": [{"price": "61000", "qty": "1"}]},
               "sizing": sizing}
        cases.append({"op": "liquidator_decision", "input": inp, "expect": exp,
                      "note": "A keeper's question in one case: Aave v3.3 allows repaying the whole 100,000 (HF 0.936 ≤ 0.95; "
                              "LiquidationDataProvider.getLiquidationInfo's maxDebtToLiquidate), and the decision of "
                              "vectors/README.md §8.5 sizes within it. "
                              + ("best: only the 59,000 bid (1 WBTC) is above the stop price ⌈60,000/1.045⌉, so the best "
                                 "repay is the largest whose receipt (seize − ⌈bonus·0.1⌉ on the 1e-18 grid) is ≤ 1 WBTC, "
                                 "about 57,416 USDC." if sizing == "best" else
                                 "whole: a flash-loan bot that must take the whole 100,000 sells 1.7416… WBTC through the "
                                 "book, the second level at 50,000: a loss.")})
    return cases


def morpho_cases():
    cases = []
    src = "morpho-org/morpho-blue test/integration/LiquidateIntegrationTest.sol"

    def case(note, lltv, price, tsa, tba, tbs, coll, shares, **req):
        m = Morpho(lltv, price, tsa, tba, tbs)
        inp = {"protocol": "morpho_blue",
               "pool": {"lltv": lltv, "price": str(price), "total_supply_assets": str(tsa),
                        "total_borrow_assets": str(tba), "total_borrow_shares": str(tbs)},
               "position": {"collateral": str(coll), "borrow_shares": str(shares)},
               "liquidation": {k: str(v) for k, v in req.items()}}
        exp = m.liquidate(coll, shares, req.get("seized_assets"), req.get("repaid_shares"))
        cases.append({"op": "liquidate", "input": inp, "expect": exp, "note": note})
        return exp

    e = case(f"{src} testSeizedAssetsRoundUp: LLTV 0.75, 400 collateral, 300 borrowed (300e6 shares: toSharesUp(300, 0, 0) "
             "= 300·1e6/1), price 1e36 − 0.01e18; maxBorrow = ⌊⌊400·(1e36 − 1e16)/1e36⌋·0.75⌋ = ⌊399·0.75⌋ = 299 < 300: "
             "liquidatable. repaidShares = 1: seizedAssets = ⌊⌊⌊1·301/301e6⌋·LIF⌋·1e36/price⌋ = 0 and repaidAssets = "
             "⌈1·301/301e6⌉ = 1, as the test asserts (seizedAssets 0, repaidAssets 1).",
             "0.75", SCALE - 10**16, 100 * 10**18, 300, 300 * 10**6, 400, 300 * 10**6, repaid_shares=1)
    assert e["seized_assets"] == "0" and e["repaid_assets"] == "1"
    e = case(f"{src} testBadDebtOverTotalBorrowAssets: 10e18 collateral, 1e18 borrowed (1e24 shares) plus 1 share "
             "borrowed for 0 assets (toAssetsDown(1) = 0), price 1e36/100, LLTV 0.8 (BaseTest's DEFAULT_TEST_LLTV). "
             "Seizing all 10e18: quoted ⌈10e18·1e34/1e36⌉ = 1e17, LIF ⌊1/(1 − ⌊0.3·0.2⌋)⌋ = 1.063829787234042553, "
             "repaid assets ⌈1e17·1e18/LIF⌉ → shares up; the collateral is gone so the remaining shares' "
             "toAssetsUp exceeds totalBorrowAssets and the bad debt is capped at it (min), which is the test's point "
             "(no underflow); the loss leaves totalSupplyAssets.",
             "0.8", SCALE // 100, 10**18, 10**18, 10**24 + 1, 10 * 10**18, 10**24 + 1, seized_assets=10 * 10**18)
    assert e["bad_debt_assets"] != "0"
    case("Hand-worked: LLTV 0.86, price 2,000 USDC per WETH (oracle 2000·1e6/1e18·1e36 = 2e27), 1 WETH against "
         "1,750 USDC (1,750e6 assets, 1,750e12 shares): maxBorrow = ⌊2,000e6·0.86⌋ = 1,720e6 < 1,750e6. Seize 0.5 WETH: "
         "quoted 1,000e6, LIF = ⌊1/0.958⌋ = 1.043841336116910229, repaid assets ⌈1,000e6/LIF⌉ = 958,000,001 → shares "
         "⌈958,000,001·(1,750e12 + 1e6)/(1,750e6 + 1)⌉; no close factor.",
         "0.86", 2 * 10**27, 10**13, 1750 * 10**6, 1750 * 10**12, 10**18, 1750 * 10**12, seized_assets=5 * 10**17)
    case("Hand-worked: the same position, repaidShares = all 1,750e12: toAssetsDown = 1,749,999,999 (virtual "
         "offsets), ×LIF down, ×1e36/price down = 0.913… WETH seized; the position keeps collateral so no bad debt.",
         "0.86", 2 * 10**27, 10**13, 1750 * 10**6, 1750 * 10**12, 10**18, 1750 * 10**12, repaid_shares=1750 * 10**12)
    case("Hand-worked: a healthy position (1 WETH at 2,000, 1,000 USDC, LLTV 0.86): nothing done, healthy true "
         "(Morpho reverts HEALTHY_POSITION).",
         "0.86", 2 * 10**27, 10**13, 1000 * 10**6, 1000 * 10**12, 10**18, 1000 * 10**12, seized_assets=10**17)
    # health
    m = Morpho("0.945", 10**36, 10**20, 10**19, 10**25)
    h = m.health(10**19, 10**25)
    cases.append({"op": "health", "input": {"protocol": "morpho_blue",
                                            "pool": {"lltv": "0.945", "price": str(10**36), "total_supply_assets": str(10**20),
                                                     "total_borrow_assets": str(10**19), "total_borrow_shares": str(10**25)},
                                            "position": {"collateral": str(10**19), "borrow_shares": str(10**25)}},
                  "expect": {"protocol": "morpho_blue", **h, "lif": canon(Fraction(m.lif(), WAD))},
                  "note": "Hand-worked _isHealthy: 10e18 collateral at price 1 (1e36), all 10e18 of the market's debt: "
                          "borrowed = ⌈1e25·(1e19 + 1)/(1e25 + 1e6)⌉ = 1e19 (the virtual shares round it up to it), "
                          "maxBorrow = ⌊1e19·0.945⌋ = 9.45e18 < 1e19: unhealthy; LIF(0.945) = ⌊1/0.9835⌋ = "
                          "1.016776817488561260."})
    cases.append({"op": "liquidate", "input": {"protocol": "morpho_blue",
                  "pool": {"lltv": "0.86", "price": "2000000000000000000000000000", "total_supply_assets": "10000000000000",
                           "total_borrow_assets": "1750000000", "total_borrow_shares": "1750000000000000"},
                  "position": {"collateral": "1000000000000000000", "borrow_shares": "1750000000000000"},
                  "liquidation": {"seized_assets": "1", "repaid_shares": "1"}},
                  "expect": {"error": {"kind": "invalid", "what": "liquidation",
                                       "why": "must give exactly one of seized_assets and repaid_shares (Morpho's INCONSISTENT_INPUT)"}},
                  "note": f"{src} testLiquidateInconsistentInput: exactly one of seizedAssets and repaidShares is non-zero."})
    return cases


# ---------------------------------------------------------------- Compound III
FACTOR = 10**18


def comet_token(price, borrow_cf="1", liquidate_cf="1", liquidation_factor="1"):
    t = {"price": price, "init_asset_weight": borrow_cf, "maint_asset_weight": liquidate_cf,
         "init_liab_weight": "1", "maint_liab_weight": "1"}
    fee = 1 - F(liquidation_factor)
    if fee:
        t["liquidation_fee"] = canon(fee)
    return t


def comet_case(note, tokens, decimals, account, order, proto=None, base=0):
    """Model of contracts/Comet.sol: isLiquidatable, absorbInternal, quoteCollateral, buyCollateral."""
    proto = dict(proto or {})
    base = proto.get("base", base)
    sfpf = int(F(proto.get("store_front_price_factor", "0.5")) * FACTOR)
    bd = decimals[base]
    reserves = int(F(proto.get("reserves", "0")) * 10**bd)
    target = int(F(proto.get("target_reserves", "5000000")) * 10**bd)
    coll_res = [int(F(x) * 10**decimals[i]) for i, x in enumerate(proto.get("collateral_reserves", ["0"] * len(tokens)))]
    price = [int(F(t["price"]) * 10**8) for t in tokens]
    scale = [10**d for d in decimals]
    lcf = [int(F(t["maint_asset_weight"]) * FACTOR) for t in tokens]
    lf = [FACTOR - int(F(t.get("liquidation_fee", "0")) * FACTOR) for t in tokens]
    bal = {a["token"]: int(F(a["balance"]) * 10**decimals[a["token"]]) for a in account}
    b = bal.get(base, 0)
    mag = abs(b) * price[base] // scale[base]
    liq = -mag if b < 0 else mag
    for i, n in bal.items():
        if i != base:
            liq += (n * price[i] // scale[i]) * lcf[i] // FACTOR
    liquidatable = b < 0 and liq < 0
    delta_value = delta_balance = paid = 0
    new_bal = dict(bal)
    absorbed = []
    if liquidatable:
        for i, n in bal.items():
            if i != base:
                delta_value += (n * price[i] // scale[i]) * lf[i] // FACTOR
        delta_balance = delta_value * scale[base] // price[base]
        nb = max(b + delta_balance, 0)
        paid = nb - b
        reserves -= paid
        new_bal[base] = nb
        for a in account:
            i = a["token"]
            if i != base:
                coll_res[i] += bal[i]
                new_bal[i] = 0
                absorbed.append({"token": i, "amount": canon(Fraction(bal[i], scale[i]))})
    buy = None
    if order["kind"] == "buy_collateral":
        i = order["collateral"]
        amount = int(F(order["base_amount"]) * scale[base])
        if not (reserves < 0 or reserves < target):
            exp = {"error": {"kind": "invalid", "what": "protocol.reserves",
                             "why": "are at or above target_reserves: the protocol does not sell collateral (NotForSale)"}}
            return {"op": "liquidate", "input": None, "expect": exp, "note": note}
        discount = sfpf * (FACTOR - lf[i]) // FACTOR
        discounted = price[i] * (FACTOR - discount) // FACTOR
        quote = price[base] * amount * scale[i] // discounted // scale[base]
        if quote > coll_res[i]:
            exp = {"error": {"kind": "invalid", "what": "liquidation.base_amount",
                             "why": "buys more than the protocol's reserves of that collateral (InsufficientReserves)"}}
            return {"op": "liquidate", "input": None, "expect": exp, "note": note}
        reserves += amount
        buy = {"collateral": i, "base_amount": canon(Fraction(amount, scale[base])), "quote": canon(Fraction(quote, scale[i]))}
    exp = {"protocol": "compound_v3", "liquidatable": liquidatable,
           "delta_value": canon(Fraction(delta_value, 10**8)), "delta_balance": canon(Fraction(delta_balance, scale[base])),
           "base_paid_out": canon(Fraction(paid, scale[base])), "absorbed": absorbed,
           "reserves": canon(Fraction(reserves, scale[base])), "buy": buy,
           "account": [{"token": a["token"], "balance": canon(Fraction(new_bal[a["token"]], scale[a["token"]]))} for a in account]}
    return {"op": "liquidate", "input": None, "expect": exp, "note": note}


def compound_cases():
    cases = []
    src = "compound-finance/comet"

    def add(note, tokens, decimals, account, order, proto=None):
        c = comet_case(note, tokens, decimals, account, order, proto)
        pobj = {"name": "compound_v3", "decimals": decimals, **(proto or {})}
        c["input"] = {"protocol": pobj, "tokens": tokens, "account": account, "liquidation": order}
        note = c.pop("note")
        c["note"] = note
        cases.append(c)
        return c["expect"]

    usdc = comet_token("1")
    comp = comet_token("200", "0.5", "0.6", "0.6")
    e = add(f"{src} test/quote-collateral-test.ts 'quotes the collateral correctly for a positive base amount': "
            "storeFrontPriceFactor 0.5, COMP at 200 with liquidationFactor 0.6: discount = 0.5·(1 − 0.6) = 20 %, "
            "discounted price 160, 200 USDC buy ⌊1e8·200e6·1e18/160e8⌋/1e6 = 1.25 COMP (the test asserts exp(1.25, 18)). "
            "The account (a USDC deposit) is healthy, so absorb does nothing; the protocol holds 10 COMP.",
            [usdc, comp], [6, 18], [{"token": 0, "balance": "1"}],
            {"kind": "buy_collateral", "collateral": 1, "base_amount": "200"},
            {"store_front_price_factor": "0.5", "target_reserves": "0.0001", "collateral_reserves": ["0", "10"]})
    assert e["buy"]["quote"] == "1.25"
    tokens = [comet_token("175", "0.5", "0.666666666666666667"), comet_token("1"),
              comet_token("3000", "0.5", "0.666666666666666667"), comet_token("41000", "0.5", "0.666666666666666667")]
    dec = [18, 6, 18, 8]
    start = Fraction(1, 10**6) - (41000 + 3000 + 175)
    add(f"{src} test/absorb-test.ts 'absorbs an account with more than enough collateral to still cover debt': "
        "COMP 175, WETH 3000, WBTC 41000 (liquidationFactor 1, the default), 1 of each collateral against a debt of "
        "41,000 + 3,000 + 175 USDC less one unit: deltaValue = 44,175e8, deltaBalance = 44,175e6, the account ends "
        "with 1 unit (0.000001 USDC) as the test asserts (pU1 USDC 1n), and the reserves go from −startingDebt to "
        "−finalDebt (r1 = −1 unit).",
        tokens, dec, [{"token": 0, "balance": "1"}, {"token": 1, "balance": canon(start)}, {"token": 2, "balance": "1"},
                      {"token": 3, "balance": "1"}], {"kind": "absorb"},
        {"base": 1, "reserves": canon(-start)})
    add(f"{src} test/absorb-test.ts 'absorbs 1 account and pays out the absorber': a debt of 100 units "
        "(principal −100) and no collateral: liquidity ⌊−100·1e8/1e6⌋ < 0, deltaValue 0, the new balance is "
        "max(−100, 0) = 0, and the reserves pay the 100 (r0 = 100, r1 = 0).",
        [comet_token("1"), comp], [6, 18], [{"token": 0, "balance": "-0.0001"}], {"kind": "absorb"},
        {"reserves": "0.0001"})
    weth = comet_token("2000", "0.825", "0.895", "0.95")
    add("Hand-worked with cUSDCv3's mainnet parameters (comet deployments/mainnet/usdc/configuration.json: WETH "
        "borrowCF 0.825, liquidateCF 0.895, liquidationFactor 0.95, storeFrontPriceFactor 0.5): 1 WETH at 2,000 "
        "against 1,800 USDC: liquidity = −1,800 + ⌊2,000·0.895⌋ = −10 < 0, liquidatable. absorb: deltaValue = "
        "2,000·0.95 = 1,900, the account ends with 100 USDC and the reserves pay 1,900. Then a liquidator buys "
        "with 1,000 USDC: discount 0.5·0.05 = 2.5 %, price 1,950, ⌊1,000/1,950 WETH⌋ = 0.512820512820512820.",
        [usdc, weth], [6, 18], [{"token": 0, "balance": "-1800"}, {"token": 1, "balance": "1"}],
        {"kind": "buy_collateral", "collateral": 1, "base_amount": "1000"}, {"reserves": "10000"})
    add("The same account while the reserves are at the target (5,000,000 by default): buyCollateral reverts "
        "NotForSale.",
        [usdc, weth], [6, 18], [{"token": 0, "balance": "-1800"}, {"token": 1, "balance": "1"}],
        {"kind": "buy_collateral", "collateral": 1, "base_amount": "1000"}, {"reserves": "5001900"})
    add("The same account, buying with 3,000 USDC: 1.538… WETH is more than the 1 WETH the protocol absorbed: "
        "InsufficientReserves.",
        [usdc, weth], [6, 18], [{"token": 0, "balance": "-1800"}, {"token": 1, "balance": "1"}],
        {"kind": "buy_collateral", "collateral": 1, "base_amount": "3000"}, {"reserves": "10000"})
    add("A healthy account (1 WETH at 2,000 against 1,700 USDC: liquidity −1,700 + 1,790 = 90 ≥ 0): absorb does "
        "nothing (Comet reverts NotLiquidatable).",
        [usdc, weth], [6, 18], [{"token": 0, "balance": "-1700"}, {"token": 1, "balance": "1"}], {"kind": "absorb"})
    cases.append({"op": "health", "input": {"protocol": {"name": "compound_v3", "decimals": [6, 18]}, "tokens": [usdc, weth],
                  "account": [{"token": 0, "balance": "-1800"}, {"token": 1, "balance": "1"}]},
                  "expect": {"protocol": "compound_v3", "liquidity": "-10", "liquidatable": True,
                             "borrow_liquidity": "-150", "borrow_collateralized": False},
                  "note": "Comet.isLiquidatable: −1,800 + ⌊2,000e8·0.895⌋/1e8 = −10 < 0; isBorrowCollateralized: "
                          "−1,800 + 2,000·0.825 = −150 < 0."})
    return cases


if __name__ == "__main__":
    aave, a = aave_cases()
    write("aave_v3.3.jsonl", aave + keeper_cases(a))
    write("morpho_blue.jsonl", morpho_cases() + morpho_keeper_cases())
    write("compound_v3.jsonl", compound_cases() + compound_keeper_cases())
