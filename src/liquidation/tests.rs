//! Hand-worked liquidations.

use super::*;
use crate::account::{Account, Context, HealthLevel, PerpParams, PerpParamsRaw, TokenParams, TokenParamsRaw, health};
use crate::oracle::OraclePrice;
use crate::{Error, Wad};

use crate::test_support::w;

/// Weights `a` / `l` at every level, bonus `fee`, protocol share `share`.
fn flat(a: &str, l: &str, fee: &str, share: &str) -> TokenParams {
    let mut raw = TokenParamsRaw::new(w(a), w(a), w(l), w(l));
    raw.liquidation_fee = w(fee);
    raw.protocol_fee_share = w(share);
    TokenParams::new(raw).unwrap()
}

fn order(max_repay: Option<&str>) -> TokenOrder {
    TokenOrder {
        liability: 1,
        collateral: 0,
        max_repay: max_repay.map(w),
    }
}

fn account(deposit: &str, borrow: &str) -> Account {
    let mut a = Account::new();
    a.set_token(0, w(deposit)).unwrap();
    a.set_token(1, w(borrow)).unwrap();
    a
}

fn ones() -> [OraclePrice; 2] {
    let p = OraclePrice::exact(Wad::ONE).unwrap();
    [p, p]
}

#[test]
fn bonus_and_protocol_share() {
    // Deposit 10 (w 0.8, bonus 5 %, protocol share 10 %) against a borrow of 9 (w 1.24).
    // H(r) = (10 − 1.05r)·0.8 − (9 − r)·1.24 = −3.16 + 0.4r = 0 at r = 7.9; seize 8.295.
    // One unit less: seize ⌊8.29499999999999999895⌋, deposit 1.705000000000000002·0.8 →
    // 1.364000000000000001 (down) against 1.100000000000000001·1.24 → 1.364000000000000002 (up): −1e-18.
    let tokens = [flat("0.8", "1.24", "0.05", "0.1"), flat("0.8", "1.24", "0", "0")];
    let prices1 = ones();
    let ctx = Context::tokens(&tokens, &prices1).unwrap();
    let mut a = account("10", "-9");
    let r = liquidate_token(&mut a, &ctx, &LiquidationParams::default(), order(None)).unwrap();
    assert_eq!((r.repay, r.repay_value, r.seize), (w("7.9"), w("7.9"), w("8.295")));
    // bonus = 8.295 − 7.9 = 0.395; protocol ⌈0.0395⌉; liquidator 8.2555.
    assert_eq!((r.bonus, r.protocol_fee), (w("0.395"), w("0.0395")));
    assert_eq!(r.liquidator_receives().unwrap(), w("8.2555"));
    assert_eq!(r.liquidator_bonus().unwrap(), w("0.3555"));
    assert_eq!(r.outcome.limit, Limit::Target);
    assert_eq!(
        (r.outcome.target_before, r.outcome.target_after),
        (w("-3.16"), Wad::ZERO)
    );
    assert!(!r.outcome.toxic);
    assert_eq!((a.token_balance(0), a.token_balance(1)), (w("1.705"), w("-1.1")));
    let short = plan_token_liquidation(
        &account("10", "-9"),
        &ctx,
        &LiquidationParams::default(),
        order(Some("7.899999999999999999")),
    )
    .unwrap();
    assert_eq!(short.outcome.limit, Limit::Offer);
    assert_eq!(short.outcome.target_after, w("-0.000000000000000001"));
}

#[test]
fn toxic_once_liabilities_pass_one_over_one_plus_bonus() {
    // Borrow 9.6 against 10 with a 5 % bonus: 9.6/10 > 1/1.05, so every repay lowers the
    // factor (10 − 1.05r)/(9.6 − r). The target is out of reach: the whole deposit is taken
    // The largest r with ⌊r·1.05⌋ ≤ 10 on the grid: 9.52380952380952381 · 1.05 =
    // 10.0000000000000000005 → seize 10; one unit more gives 10.00000000000000000155 → …001 > 10.
    let tokens = [flat("0.8", "1", "0.05", "0"), flat("0.8", "1", "0", "0")];
    let prices1 = ones();
    let ctx = Context::tokens(&tokens, &prices1).unwrap();
    let r = plan_token_liquidation(&account("10", "-9.6"), &ctx, &LiquidationParams::default(), order(None)).unwrap();
    assert!(r.outcome.toxic);
    assert_eq!(r.outcome.limit, Limit::Collateral);
    assert_eq!(r.repay, w("9.52380952380952381"));
    assert_eq!(r.seize, w("10"));
    // Borrow 9 against 10: 9/10 < 1/1.05, not toxic.
    let r = plan_token_liquidation(&account("10", "-9"), &ctx, &LiquidationParams::default(), order(None)).unwrap();
    assert!(!r.outcome.toxic);
}

#[test]
fn aave_close_factor() {
    // LTV 0.8, liquidation threshold 0.85, bonus 5 %; deposit 10 at 1, borrow 8.9 at 1.
    // HF = 8.5/8.9 = 0.955… ≥ 0.95: at most 50 % = 4.45. The liquidation-end (LTV) target
    // needs (10 − 1.05r)·0.8 − (8.9 − r) = −0.9 + 0.16r ≥ 0, r = 5.625: capped at 4.45.
    let mut raw = TokenParamsRaw::new(w("0.8"), w("0.85"), w("1"), w("1"));
    raw.liquidation_fee = w("0.05");
    let tokens = [TokenParams::new(raw).unwrap(), flat("0", "1", "0", "0")];
    let prices1 = ones();
    let ctx = Context::tokens(&tokens, &prices1).unwrap();
    let params = LiquidationParams {
        close_factor: CloseFactor::aave(Wad::ZERO).unwrap(),
        target: HealthLevel::LiquidationEnd,
    };
    let r = plan_token_liquidation(&account("10", "-8.9"), &ctx, &params, order(None)).unwrap();
    assert_eq!((r.repay, r.outcome.limit), (w("4.45"), Limit::CloseFactor));
    // Borrow 9.6: HF = 8.5/9.6 < 0.95, the whole debt may go; target r = (9.6 − 8)/0.16 = 10 > 9.6,
    // but the deposit only covers ⌊10/1.05⌋: the collateral binds.
    let r = plan_token_liquidation(&account("10", "-9.6"), &ctx, &params, order(None)).unwrap();
    assert_eq!(r.outcome.limit, Limit::Collateral);
    // A dust threshold of 5: the target repay 5.625 on a debt of 8.9 would leave 3.275 < 5,
    // and the debt (8.9 < 5? no) … use debt 8.9 with dust 9: the whole position is dust, so
    // the close factor is 100 % and the leftover rule extends the repay to the whole debt.
    let dusty = LiquidationParams {
        close_factor: CloseFactor::aave(w("9")).unwrap(),
        target: HealthLevel::LiquidationEnd,
    };
    let r = plan_token_liquidation(&account("10", "-8.9"), &ctx, &dusty, order(None)).unwrap();
    assert_eq!((r.repay, r.outcome.limit), (w("8.9"), Limit::Dust));
}

#[test]
fn perp_takeover_at_a_discount() {
    // Long 2 at 100, quote −195; margins init 0.1 / maint 0.05; fee 2 %, protocol half of it.
    // Maintenance −195 + 190 = −5. Target (init): −195 + 98s + (2 − s)·90 = −15 + 8s = 0 at s = 1.875.
    let mut raw = PerpParamsRaw::new(w("0.1"), w("0.05"));
    raw.liquidation_fee = w("0.02");
    raw.protocol_fee_share = w("0.5");
    let perps = [PerpParams::new(raw).unwrap()];
    let prices = [OraclePrice::exact(w("100")).unwrap()];
    let ctx = Context::new(&[], &[], &perps, &prices).unwrap();
    let mut a: Account = Account::new();
    a.set_perp(0, w("2"), w("-195")).unwrap();
    let order = PerpOrder {
        market: 0,
        max_base: None,
    };
    let r = liquidate_perp(&mut a, &ctx, &LiquidationParams::default(), order).unwrap();
    // notional 187.5, the account receives 183.75, fee 3.75, protocol 1.875, liquidator pays 185.625.
    assert_eq!(
        (r.base, r.notional, r.account_quote),
        (w("1.875"), w("187.5"), w("183.75"))
    );
    assert_eq!((r.fee, r.protocol_fee), (w("3.75"), w("1.875")));
    assert_eq!(r.liquidator_quote().unwrap(), w("-185.625"));
    assert_eq!(a.perp(0), (w("0.125"), w("-11.25")));
    assert_eq!(r.outcome.target_after, Wad::ZERO);
    // Maintenance after: −11.25 + 12.5·0.95 = 0.625.
    assert_eq!(
        health(&a, &ctx, HealthLevel::Maintenance).unwrap().value().unwrap(),
        w("0.625")
    );

    // The mirror short: −2 with quote 205: maintenance 205 − 210 = −5; target
    // 205 − 102s − (2 − s)·110 = −15 + 8s: s = 1.875, the account pays 191.25 for notional 187.5.
    let mut b: Account = Account::new();
    b.set_perp(0, w("-2"), w("205")).unwrap();
    let r = liquidate_perp(&mut b, &ctx, &LiquidationParams::default(), order).unwrap();
    assert_eq!(
        (r.base, r.notional, r.account_quote),
        (w("-1.875"), w("187.5"), w("-191.25"))
    );
    assert_eq!(r.liquidator_quote().unwrap(), w("189.375"));
    assert_eq!(b.perp(0), (w("-0.125"), w("13.75")));
}

#[test]
fn healthy_accounts_get_an_empty_plan() {
    let tokens = [flat("0.8", "1.2", "0.05", "0"), flat("0.8", "1.2", "0", "0")];
    let prices1 = ones();
    let ctx = Context::tokens(&tokens, &prices1).unwrap();
    let r = plan_token_liquidation(&account("10", "-6"), &ctx, &LiquidationParams::default(), order(None)).unwrap();
    assert_eq!(
        (r.repay, r.seize, r.outcome.limit),
        (Wad::ZERO, Wad::ZERO, Limit::Healthy)
    );
}

#[test]
fn bad_orders_name_the_field() {
    let tokens = [flat("0.8", "1.2", "0.05", "0"), flat("0.8", "1.2", "0", "0")];
    let prices1 = ones();
    let ctx = Context::tokens(&tokens, &prices1).unwrap();
    let a = account("10", "-9");
    let p = LiquidationParams::default();
    let same = TokenOrder {
        liability: 0,
        collateral: 0,
        max_repay: None,
    };
    assert_eq!(
        plan_token_liquidation(&a, &ctx, &p, same).err(),
        Some(Error::invalid(
            "collateral",
            "must be a different token from the liability"
        ))
    );
    let swapped = TokenOrder {
        liability: 0,
        collateral: 1,
        max_repay: None,
    };
    assert_eq!(
        plan_token_liquidation(&a, &ctx, &p, swapped).err(),
        Some(Error::invalid("liability", "the account has no borrow in that token"))
    );
    assert_eq!(
        plan_token_liquidation(&a, &ctx, &p, order(Some("-1"))).err(),
        Some(Error::invalid("max_repay", "must be ≥ 0"))
    );
    let missing = TokenOrder {
        liability: 1,
        collateral: 7,
        max_repay: None,
    };
    assert_eq!(
        plan_token_liquidation(&a, &ctx, &p, missing).err(),
        Some(Error::invalid("token", "must be the index of one of the tokens"))
    );
}

#[test]
fn waterfall_layers_sum_to_the_bad_debt() {
    let mut wf = Waterfall::new(WaterfallRaw {
        premium_buffer: w("1"),
        insurance_fund: w("2"),
        lender_deposits: w("30"),
    })
    .unwrap();
    let r = wf.absorb(w("9")).unwrap();
    assert_eq!(
        (r.premium, r.insurance, r.socialized, r.uncovered),
        (w("1"), w("2"), w("6"), Wad::ZERO)
    );
    assert_eq!(r.haircut, w("0.2"));
    // The next loss finds the buffers empty: 30 − 6 = 24 deposits left, a loss of 25 leaves 1 uncovered.
    let r = wf.absorb(w("25")).unwrap();
    assert_eq!(
        (r.premium, r.insurance, r.socialized, r.uncovered),
        (Wad::ZERO, Wad::ZERO, w("24"), w("1"))
    );
    assert_eq!(r.haircut, Wad::ONE);
    // A haircut rounds up: 1 over 3 deposits is 0.333333333333333334.
    let mut wf = Waterfall::new(WaterfallRaw {
        lender_deposits: w("3"),
        ..WaterfallRaw::default()
    })
    .unwrap();
    assert_eq!(wf.absorb(w("1")).unwrap().haircut, w("0.333333333333333334"));
    assert_eq!(
        wf.absorb(w("-1")).err(),
        Some(Error::invalid("bad_debt", "must be ≥ 0"))
    );
}

#[test]
fn bankruptcy_writes_off_and_settles() {
    let tokens = [flat("0.8", "1.2", "0.05", "0"), flat("0.8", "1.2", "0", "0")];
    let prices = [
        OraclePrice::exact(w("1")).unwrap(),
        OraclePrice::exact(w("2.5")).unwrap(),
    ];
    let ctx = Context::tokens(&tokens, &prices).unwrap();
    let mut a = account("0", "-3");
    assert!(is_bankrupt(&a));
    // 3 · 2.5 = 7.5 of bad debt.
    let mut wf = Waterfall::new(WaterfallRaw {
        insurance_fund: w("5"),
        lender_deposits: w("100"),
        ..WaterfallRaw::default()
    })
    .unwrap();
    let r = settle_bankruptcy(&mut a, &ctx, &mut wf).unwrap();
    assert_eq!(
        (r.bad_debt, r.insurance, r.socialized, r.haircut),
        (w("7.5"), w("5"), w("2.5"), w("0.025"))
    );
    assert_eq!(a.token_balance(1), Wad::ZERO);
    assert!(!is_bankrupt(&a));
    // An account with collateral left is not bankrupt and is refused.
    let mut b = account("1", "-3");
    assert_eq!(
        settle_bankruptcy(&mut b, &ctx, &mut wf).err(),
        Some(Error::invalid(
            "account",
            "is not bankrupt: it must have no asset left and still owe something"
        ))
    );
}

#[test]
fn price_impact_makes_a_liquidation_toxic_earlier() {
    // Deposit 10 (w 0.85, bonus 5 %) against a borrow of 8.9 (w 1): the factor is
    // 8.5/8.9 = 0.955. Repaying 4 seizes 4.2: without impact (5.8·0.85)/4.9 = 1.006 > 0.955.
    // If the sale leaves the collateral at 0.8: (5.8·0.8·0.85)/4.9 = 0.805 < 0.955: toxic.
    let mut raw = TokenParamsRaw::new(w("0.8"), w("0.85"), w("1"), w("1"));
    raw.liquidation_fee = w("0.05");
    let tokens = [TokenParams::new(raw).unwrap(), flat("0", "1", "0", "0")];
    let prices1 = ones();
    let ctx = Context::tokens(&tokens, &prices1).unwrap();
    let a = account("10", "-8.9");
    let o = order(Some("4"));
    let plan = plan_token_liquidation(&a, &ctx, &LiquidationParams::default(), o).unwrap();
    assert_eq!((plan.repay, plan.seize, plan.outcome.toxic), (w("4"), w("4.2"), false));
    assert!(!toxic_with_impact(&a, &ctx, o, &plan, Wad::ONE).unwrap());
    assert!(!toxic_with_impact(&a, &ctx, o, &plan, w("0.95")).unwrap());
    assert!(toxic_with_impact(&a, &ctx, o, &plan, w("0.8")).unwrap());
    assert_eq!(
        toxic_with_impact(&a, &ctx, o, &plan, Wad::ZERO).err(),
        Some(Error::invalid("price_after", "must be > 0"))
    );
}

#[test]
fn close_factor_thresholds_are_strict() {
    // Aave: full below a health factor of 0.95, or when the debt or the collateral is worth
    // less than the dust threshold; exactly at a threshold the normal share applies.
    let cf = CloseFactor::aave(w("50")).unwrap();
    let (half, full) = (w("0.5"), Wad::ONE);
    assert_eq!(cf.share(Some(w("0.95")), w("100"), w("100")), half);
    assert_eq!(cf.share(Some(w("0.949999999999999999")), w("100"), w("100")), full);
    assert_eq!(cf.share(None, w("100"), w("100")), half);
    assert_eq!(cf.share(Some(Wad::ONE), w("50"), w("100")), half);
    assert_eq!(cf.share(Some(Wad::ONE), w("49.999999999999999999"), w("100")), full);
    assert_eq!(cf.share(Some(Wad::ONE), w("100"), w("50")), half);
    assert_eq!(cf.share(Some(Wad::ONE), w("100"), w("49.999999999999999999")), full);
    // Dust is a positive value below the threshold.
    assert!(cf.is_dust(w("49.999999999999999999")) && !cf.is_dust(w("50")) && !cf.is_dust(Wad::ZERO));
}

#[test]
fn a_target_repay_that_is_the_cap_is_not_extended_for_dust() {
    // The bonus case above (target repay 7.9) with an offer of exactly 7.9 and a dust
    // threshold of 2: the 1.1 left is dust, but the repay already is the cap, so the limit
    // stays `target`. An offer of 8 extends to 8: the limit is `dust`.
    let tokens = [flat("0.8", "1.24", "0.05", "0.1"), flat("0.8", "1.24", "0", "0")];
    let prices1 = ones();
    let ctx = Context::tokens(&tokens, &prices1).unwrap();
    let params = LiquidationParams {
        close_factor: CloseFactor::new(CloseFactorRaw {
            normal: Wad::ONE,
            full_below: Wad::ZERO,
            dust: w("2"),
        })
        .unwrap(),
        target: HealthLevel::LiquidationEnd,
    };
    let r = plan_token_liquidation(&account("10", "-9"), &ctx, &params, order(Some("7.9"))).unwrap();
    assert_eq!((r.repay, r.outcome.limit), (w("7.9"), Limit::Target));
    let r = plan_token_liquidation(&account("10", "-9"), &ctx, &params, order(Some("8"))).unwrap();
    assert_eq!((r.repay, r.outcome.limit), (w("8"), Limit::Dust));

    // The perp case above (target take-over 1.875 of 2) with max_base 1.875 and dust 20: the
    // 0.125 left (12.5) is dust but the take-over is the cap: `target`; with max_base 2: `dust`.
    let mut raw = PerpParamsRaw::new(w("0.1"), w("0.05"));
    raw.liquidation_fee = w("0.02");
    raw.protocol_fee_share = w("0.5");
    let perps = [PerpParams::new(raw).unwrap()];
    let perp_prices = [OraclePrice::exact(w("100")).unwrap()];
    let ctx = Context::new(&[], &[], &perps, &perp_prices).unwrap();
    let params = LiquidationParams {
        close_factor: CloseFactor::new(CloseFactorRaw {
            normal: Wad::ONE,
            full_below: Wad::ZERO,
            dust: w("20"),
        })
        .unwrap(),
        target: HealthLevel::LiquidationEnd,
    };
    let mut a: Account = Account::new();
    a.set_perp(0, w("2"), w("-195")).unwrap();
    let at = |max: &str| {
        let o = PerpOrder {
            market: 0,
            max_base: Some(w(max)),
        };
        let r = plan_perp_liquidation(&a, &ctx, &params, o).unwrap();
        (r.base, r.outcome.limit)
    };
    assert_eq!(at("1.875"), (w("1.875"), Limit::Target));
    assert_eq!(at("2"), (w("2"), Limit::Dust));
}

#[test]
fn waterfall_fields_round_trip() {
    let raw = WaterfallRaw {
        premium_buffer: w("1"),
        insurance_fund: w("2"),
        lender_deposits: w("3"),
    };
    let wf = Waterfall::new(raw).unwrap();
    assert_eq!(WaterfallRaw::from(wf), raw);
    assert_eq!(CloseFactorRaw::from(CloseFactor::aave(w("7")).unwrap()).dust, w("7"));
}
