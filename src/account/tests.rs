//! Hand-worked cases of parameters, health and liquidation prices.

use super::*;
use crate::oracle::OraclePrice;
use crate::{Error, Wad};

use crate::test_support::w;

fn token(init_a: &str, maint_a: &str, init_l: &str, maint_l: &str) -> TokenParams {
    TokenParams::new(TokenParamsRaw::new(w(init_a), w(maint_a), w(init_l), w(maint_l))).unwrap()
}

fn invalid(raw: TokenParamsRaw) -> (&'static str, &'static str) {
    match TokenParams::new(raw) {
        Err(Error::Invalid { what, why }) => (what, why),
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[test]
fn token_parameters_name_the_first_bad_field() {
    let ok = TokenParamsRaw::new(w("0.7"), w("0.8"), w("1.3"), w("1.2"));
    assert!(TokenParams::new(ok).is_ok());
    assert_eq!(
        invalid(TokenParamsRaw {
            init_asset_weight: w("-0.1"),
            ..ok
        }),
        ("init_asset_weight", "must be in [0, 1]")
    );
    assert_eq!(
        invalid(TokenParamsRaw {
            maint_asset_weight: w("0.6"),
            ..ok
        }),
        ("maint_asset_weight", "must be in [init_asset_weight, 1]")
    );
    assert_eq!(
        invalid(TokenParamsRaw {
            maint_asset_weight: w("1.01"),
            ..ok
        }),
        ("maint_asset_weight", "must be in [init_asset_weight, 1]")
    );
    assert_eq!(
        invalid(TokenParamsRaw {
            liq_end_asset_weight: w("0.85"),
            ..ok
        }),
        (
            "liq_end_asset_weight",
            "must be in [init_asset_weight, maint_asset_weight]"
        )
    );
    assert_eq!(
        invalid(TokenParamsRaw {
            init_liab_weight: w("0.99"),
            ..ok
        }),
        ("init_liab_weight", "must be in [1, 100]")
    );
    assert_eq!(
        invalid(TokenParamsRaw {
            maint_liab_weight: w("1.31"),
            ..ok
        }),
        ("maint_liab_weight", "must be in [1, init_liab_weight]")
    );
    assert_eq!(
        invalid(TokenParamsRaw {
            liq_end_liab_weight: w("1.1"),
            ..ok
        }),
        (
            "liq_end_liab_weight",
            "must be in [maint_liab_weight, init_liab_weight]"
        )
    );
    assert_eq!(
        invalid(TokenParamsRaw {
            size_factor: w("-1"),
            ..ok
        }),
        ("size_factor", "must be in [0, 100]")
    );
    assert_eq!(
        invalid(TokenParamsRaw {
            liquidation_fee: w("1"),
            ..ok
        }),
        ("liquidation_fee", "must be in [0, 1)")
    );
    // Aave's rule: 0.8 · (1 + 0.25) = 1 is allowed, 0.8 · 1.26 > 1 is not.
    assert!(
        TokenParams::new(TokenParamsRaw {
            liquidation_fee: w("0.25"),
            ..ok
        })
        .is_ok()
    );
    assert_eq!(
        invalid(TokenParamsRaw {
            liquidation_fee: w("0.26"),
            ..ok
        }),
        (
            "liquidation_fee",
            "threshold·(1 + bonus) must be ≤ 1: maint_asset_weight·(1 + liquidation_fee) > 1"
        )
    );
    assert_eq!(
        invalid(TokenParamsRaw {
            protocol_fee_share: w("1.000000000000000001"),
            ..ok
        }),
        ("protocol_fee_share", "must be in [0, 1]")
    );
}

#[test]
fn perp_parameters_name_the_first_bad_field() {
    let ok = PerpParamsRaw::new(w("0.1"), w("0.05"));
    assert!(PerpParams::new(ok).is_ok());
    let what = |raw| match PerpParams::new(raw) {
        Err(Error::Invalid { what, why }) => (what, why),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        what(PerpParamsRaw {
            maint_margin: w("0"),
            ..ok
        }),
        ("maint_margin", "must be in (0, 1)")
    );
    assert_eq!(
        what(PerpParamsRaw {
            init_margin: w("0.04"),
            ..ok
        }),
        ("init_margin", "must be in [maint_margin, 1)")
    );
    assert_eq!(
        what(PerpParamsRaw {
            init_margin: w("1"),
            ..ok
        }),
        ("init_margin", "must be in [maint_margin, 1)")
    );
    assert_eq!(
        what(PerpParamsRaw {
            liq_end_margin: w("0.2"),
            ..ok
        }),
        ("liq_end_margin", "must be in [maint_margin, init_margin]")
    );
    assert_eq!(
        what(PerpParamsRaw {
            liquidation_fee: w("0.05"),
            ..ok
        }),
        (
            "liquidation_fee",
            "must be in [0, maint_margin) (the bonus is paid out of the maintenance margin)"
        )
    );
}

#[test]
fn size_scaling_follows_drift() {
    // f = 0.01, size 10000: √10000 = 100, premium 1.
    // Liability: max(1.2, 0.8·1.2 + 1) = 1.96. Asset: min(0.8, 1.1·0.8 / 2) = 0.44.
    let raw = TokenParamsRaw {
        size_factor: w("0.01"),
        ..TokenParamsRaw::new(w("0.8"), w("0.8"), w("1.2"), w("1.2"))
    };
    let p = TokenParams::new(raw).unwrap();
    assert_eq!(
        p.liability_weight(HealthLevel::Maintenance, w("10000")).unwrap(),
        w("1.96")
    );
    assert_eq!(p.asset_weight(HealthLevel::Maintenance, w("10000")).unwrap(), w("0.44"));
    // Small sizes keep the base weight: 0.96 + 0.01·√4 = 0.98 < 1.2; 0.88 / 1.02 > 0.8.
    assert_eq!(p.liability_weight(HealthLevel::Maintenance, w("4")).unwrap(), w("1.2"));
    assert_eq!(p.asset_weight(HealthLevel::Maintenance, w("4")).unwrap(), w("0.8"));
    // An irrational square root rounds against the account: √2 up in both.
    // Liability 0.96 + 0.5·1.414213562373095049 = 1.667106781186547525 (0.5·…049 = …0245 → up …025).
    let raw = TokenParamsRaw {
        size_factor: w("0.5"),
        ..TokenParamsRaw::new(w("0.8"), w("0.8"), w("1.2"), w("1.2"))
    };
    let p = TokenParams::new(raw).unwrap();
    assert_eq!(
        p.liability_weight(HealthLevel::Maintenance, w("2")).unwrap(),
        w("1.667106781186547525")
    );
}

#[test]
fn health_rounds_assets_down_and_liabilities_up() {
    // Deposit 1e-18 of a token at price 0.5 is worth 0.5e-18: rounds to 0 as an asset.
    // A borrow of 1e-18 at 0.5 is 0.5e-18: rounds to 1e-18 as a liability.
    let p = token("1", "1", "1", "1");
    let tokens = [p, p];
    let prices = [
        OraclePrice::exact(w("0.5")).unwrap(),
        OraclePrice::exact(w("0.5")).unwrap(),
    ];
    let ctx = Context::tokens(&tokens, &prices).unwrap();
    let mut a: Account = Account::new();
    a.set_token(0, Wad::EPSILON).unwrap();
    a.set_token(1, Wad::EPSILON.neg().unwrap()).unwrap();
    let h = health(&a, &ctx, HealthLevel::Maintenance).unwrap();
    assert_eq!((h.assets, h.liabilities), (Wad::ZERO, Wad::EPSILON));
}

#[test]
fn confidence_values_assets_low_and_liabilities_high() {
    // Price 100 ± 2: a deposit of 1 counts 98·0.8 = 78.4, a borrow of 0.5 counts 51·1.2 = 61.2.
    let p = token("0.7", "0.8", "1.3", "1.2");
    let tokens = [p, p];
    let prices = [
        OraclePrice::new(w("100"), w("2")).unwrap(),
        OraclePrice::new(w("100"), w("2")).unwrap(),
    ];
    let ctx = Context::tokens(&tokens, &prices).unwrap();
    let mut a: Account = Account::new();
    a.set_token(0, w("1")).unwrap();
    a.set_token(1, w("-0.5")).unwrap();
    let h = health(&a, &ctx, HealthLevel::Maintenance).unwrap();
    assert_eq!((h.assets, h.liabilities), (w("78.4"), w("61.2")));
    // Initial: 98·0.7 = 68.6 against 51·1.3 = 66.3.
    let h = health(&a, &ctx, HealthLevel::Initial).unwrap();
    assert_eq!((h.assets, h.liabilities), (w("68.6"), w("66.3")));
    assert_eq!(h.factor().unwrap(), Some(w("1.034690799396681749")));
}

#[test]
fn perp_health_and_liquidation_price() {
    // Long 2 at price 100 with quote −150, margins 0.1 / 0.05:
    // maintenance = −150 + 200·0.95 = 40; liquidation price p with −150 + 2p·0.95 = 0: p = 78.947368421052631579 (up).
    let perps = [PerpParams::new(PerpParamsRaw::new(w("0.1"), w("0.05"))).unwrap()];
    let prices = [OraclePrice::exact(w("100")).unwrap()];
    let ctx = Context::new(&[], &[], &perps, &prices).unwrap();
    let mut a: Account = Account::new();
    a.set_perp(0, w("2"), w("-150")).unwrap();
    let h = health(&a, &ctx, HealthLevel::Maintenance).unwrap();
    assert_eq!(h.value().unwrap(), w("40"));
    assert_eq!(
        liquidation_price(&a, &ctx, PriceOf::Perp(0)).unwrap(),
        LiquidationPrice::Below(w("78.947368421052631579"))
    );
    // Short 2 with quote 250: 250 − 200·1.05 = 40; 250 = 2p·1.05 at p = 119.047619047619047619 (down).
    a.set_perp(0, w("-2"), w("250")).unwrap();
    assert_eq!(
        health(&a, &ctx, HealthLevel::Maintenance).unwrap().value().unwrap(),
        w("40")
    );
    assert_eq!(
        liquidation_price(&a, &ctx, PriceOf::Perp(0)).unwrap(),
        LiquidationPrice::Above(w("119.047619047619047619"))
    );
}

#[test]
fn liquidation_price_of_tokens() {
    // Deposit 10 (w 0.8) against a borrow of 600 stable (w 1.2): 10·p·0.8 = 720 at p = 90.
    let p = token("0.7", "0.8", "1.3", "1.2");
    let tokens = [p, p];
    let prices = [
        OraclePrice::exact(w("100")).unwrap(),
        OraclePrice::exact(w("1")).unwrap(),
    ];
    let ctx = Context::tokens(&tokens, &prices).unwrap();
    let mut a: Account = Account::new();
    a.set_token(0, w("10")).unwrap();
    a.set_token(1, w("-600")).unwrap();
    assert_eq!(
        liquidation_price(&a, &ctx, PriceOf::Token(0)).unwrap(),
        LiquidationPrice::Below(w("90"))
    );
    // The borrow: 800 = 600·p·1.2 at p = 1.111111111111111111 (down).
    assert_eq!(
        liquidation_price(&a, &ctx, PriceOf::Token(1)).unwrap(),
        LiquidationPrice::Above(w("1.111111111111111111"))
    );
    // A lone deposit is never liquidatable; a lone borrow always is.
    let mut b: Account = Account::new();
    b.set_token(0, w("1")).unwrap();
    assert_eq!(
        liquidation_price(&b, &ctx, PriceOf::Token(0)).unwrap(),
        LiquidationPrice::Never
    );
    b.set_token(0, Wad::ZERO).unwrap();
    b.set_token(1, w("-1")).unwrap();
    assert_eq!(
        liquidation_price(&b, &ctx, PriceOf::Token(1)).unwrap(),
        LiquidationPrice::Above(Wad::ZERO)
    );
}

#[test]
fn accounts_are_bounded_and_reject_duplicates() {
    let mut a: Account<2> = Account::new();
    a.set_token(0, w("1")).unwrap();
    a.set_perp(0, w("1"), Wad::ZERO).unwrap();
    assert_eq!(
        a.set_token(1, w("1")),
        Err(Error::capacity(
            "positions",
            "the account has no room for another position"
        ))
    );
    assert_eq!(a.positions().len(), 2);
    // Updating an existing position needs no room.
    a.set_token(0, w("5")).unwrap();
    assert_eq!(a.token_balance(0), w("5"));
    let mut b: Account<4> = Account::new();
    b.open(Position::Token {
        token: 3,
        balance: w("1"),
    })
    .unwrap();
    assert_eq!(
        b.open(Position::Token {
            token: 3,
            balance: w("2")
        }),
        Err(Error::invalid(
            "positions",
            "the account already has a position in that token, market or series"
        ))
    );
}

#[test]
fn context_checks_lengths_and_indices() {
    let p = token("0.7", "0.8", "1.3", "1.2");
    let tokens = [p];
    let prices = [OraclePrice::exact(w("1")).unwrap()];
    assert_eq!(
        Context::tokens(&tokens, &[]).err(),
        Some(Error::invalid("token_prices", "must hold one price per token"))
    );
    let ctx = Context::tokens(&tokens, &prices).unwrap();
    let mut a: Account = Account::new();
    a.set_token(5, w("1")).unwrap();
    assert_eq!(
        health(&a, &ctx, HealthLevel::Initial),
        Err(Error::invalid("token", "must be the index of one of the tokens"))
    );
}

#[test]
fn a_long_whose_margin_passed_one_behaves_like_a_short() {
    // maint 0.05, size factor 1: base 100 has margin max(0.05, 0.8·1.05 + √100 − 1) = 9.84, so
    // weight 1 − 9.84 = −8.84. Quote 10 000 at price 10: health 10 000 − 1000·8.84 = 1160 falls
    // as the price rises; zero at p = 10 000/(100·8.84) = 11.312217194570135746 (down).
    let mut raw = PerpParamsRaw::new(w("0.1"), w("0.05"));
    raw.size_factor = w("1");
    let perps = [PerpParams::new(raw).unwrap()];
    let prices = [OraclePrice::exact(w("10")).unwrap()];
    let ctx = Context::new(&[], &[], &perps, &prices).unwrap();
    let mut a: Account = Account::new();
    a.set_perp(0, w("100"), w("10000")).unwrap();
    assert_eq!(
        health(&a, &ctx, HealthLevel::Maintenance).unwrap().value().unwrap(),
        w("1160")
    );
    assert_eq!(
        liquidation_price(&a, &ctx, PriceOf::Perp(0)).unwrap(),
        LiquidationPrice::Above(w("11.312217194570135746"))
    );
    a.set_perp(0, w("100"), w("-1")).unwrap();
    assert_eq!(
        liquidation_price(&a, &ctx, PriceOf::Perp(0)).unwrap(),
        LiquidationPrice::Always
    );
}

/// A context of a unit token (0) and an underlying at 100 (1) with one deep in-the-money call
/// series K = 50, t = 0.01, σ = 0.01, r = 0: its value is 50 plus about e^(-240000), so
/// `⌊V⌋ = 50` and `⌈V⌉ = 50.000000000000000001`.
fn with_deep_call<R>(conf: &str, f: impl FnOnce(&OptionContext<'_>) -> R) -> R {
    let tokens = [token("1", "1", "1", "1"), token("0.7", "0.8", "1.3", "1.2")];
    let prices = [
        OraclePrice::exact(w("1")).unwrap(),
        OraclePrice::new(w("100"), w(conf)).unwrap(),
    ];
    let options = [OptionParams::new(OptionParamsRaw::new(
        crate::options::OptionKind::Call,
        1,
        w("50"),
        w("0.01"),
    ))
    .unwrap()];
    let marks = [OptionMark::new(w("0.01"), w("0"), w("0")).unwrap()];
    let ctx = Context::tokens(&tokens, &prices)
        .unwrap()
        .with_options(&options, &marks)
        .unwrap();
    f(&ctx)
}

#[test]
fn a_short_call_counts_its_value_once_and_its_add_on() {
    with_deep_call("0", |ctx| {
        let mut a: Account = Account::new();
        a.set_token(0, w("200")).unwrap();
        a.set_option(0, w("-2")).unwrap();
        // Liability ⌈2·50.000000000000000001⌉ = 100.000000000000000002. In the money, so
        // OTM = 0: maintenance add-on 2·max(0.075·100, 0.075·100) = 15, initial
        // 2·max(0.15·100, 0.10·100) = 30 (also at the liquidation end).
        let value = |a: &Account, level| health(a, ctx, level).unwrap().value().unwrap();
        assert_eq!(value(&a, HealthLevel::Maintenance), w("84.999999999999999998"));
        assert_eq!(value(&a, HealthLevel::Initial), w("69.999999999999999998"));
        assert_eq!(value(&a, HealthLevel::LiquidationEnd), w("69.999999999999999998"));
        // One more unit of 7.5 + 50.000000000000000001 drops maintenance below zero.
        a.set_option(0, w("-3.5")).unwrap();
        assert!(is_liquidatable(&a, ctx).unwrap());
        // A long is valued at ⌊V⌋ = 50, weight 1: 200 + 2·50.
        a.set_option(0, w("2")).unwrap();
        assert_eq!(value(&a, HealthLevel::Initial), w("300"));
        assert_eq!(
            liquidation_price(&a, ctx, PriceOf::Token(1)).unwrap(),
            LiquidationPrice::Nonlinear
        );
    });
}

#[test]
fn a_short_call_is_charged_at_the_upper_end_of_the_interval() {
    // conf 1: the call at spot 101 is worth 51 and a hair, at 99 49 and a hair; the add-on is
    // 0.075·S, larger at 101 too: charge ⌈51.000000000000000001⌉ + ⌈0.075·101⌉ = 58.575000000000000001.
    with_deep_call("1", |ctx| {
        let mut a: Account = Account::new();
        a.set_option(0, w("-1")).unwrap();
        let h = health(&a, ctx, HealthLevel::Maintenance).unwrap();
        assert_eq!(h.liabilities, w("58.575000000000000001"));
        // A long call is valued at 99: ⌊V⌋ = 49.
        a.set_option(0, w("1")).unwrap();
        assert_eq!(health(&a, ctx, HealthLevel::Maintenance).unwrap().assets, w("49"));
    });
}

#[test]
fn option_series_are_checked_against_the_context() {
    let tokens = [token("1", "1", "1", "1")];
    let prices = [OraclePrice::exact(w("1")).unwrap()];
    let ctx = Context::tokens(&tokens, &prices).unwrap();
    let call = crate::options::OptionKind::Call;
    let on = |u| OptionParams::new(OptionParamsRaw::new(call, u, w("1"), w("1"))).unwrap();
    let mark = OptionMark::new(w("0.5"), w("0"), w("0")).unwrap();
    assert_eq!(
        ctx.with_options(&[on(1)], &[mark]).unwrap_err(),
        Error::invalid("underlying", "must be the index of one of the tokens")
    );
    assert_eq!(
        ctx.with_options(&[on(0)], &[]).unwrap_err(),
        Error::invalid("option_marks", "must hold one mark per option series")
    );
    let options = [on(0)];
    let marks = [mark];
    let ctx = ctx.with_options(&options, &marks).unwrap();
    assert_eq!(
        ctx.option(1).unwrap_err(),
        Error::invalid("series", "must be the index of one of the option series")
    );
    let mut a: Account = Account::new();
    a.set_option(1, w("1")).unwrap();
    assert_eq!(
        health(&a, &ctx, HealthLevel::Maintenance).unwrap_err(),
        Error::invalid("series", "must be the index of one of the option series")
    );
    // One position per series.
    assert_eq!(
        a.open(Position::Option {
            series: 1,
            quantity: w("2")
        }),
        Err(Error::invalid(
            "positions",
            "the account already has a position in that token, market or series"
        ))
    );
    let bad = |raw: OptionParamsRaw| OptionParams::new(raw).unwrap_err();
    let ok = OptionParamsRaw::new(call, 0, w("1"), w("1"));
    assert_eq!(
        bad(OptionParamsRaw { t: w("0"), ..ok }),
        Error::invalid("t", "must be in (0, 100] years")
    );
    assert_eq!(
        bad(OptionParamsRaw {
            init_long_weight: w("0.5"),
            maint_long_weight: w("0.4"),
            ..ok
        }),
        Error::invalid("maint_long_weight", "must be in [init_long_weight, 1]")
    );
    assert_eq!(
        OptionMark::new(w("0"), w("0"), w("0")).unwrap_err(),
        Error::invalid("vol", "must be in (0, 10]")
    );
}

#[test]
fn a_context_without_options_refuses_an_option_position_as_one_without_series() {
    let tokens = [token("1", "1", "1", "1"), token("0.7", "0.8", "1.3", "1.2")];
    let prices = [
        OraclePrice::exact(w("1")).unwrap(),
        OraclePrice::exact(w("100")).unwrap(),
    ];
    let plain = Context::tokens(&tokens, &prices).unwrap();
    let empty = plain.with_options(&[], &[]).unwrap();
    let mut a: Account = Account::new();
    a.set_token(0, w("10")).unwrap();
    a.set_option(0, w("-1")).unwrap();
    let no_series = Error::invalid("series", "must be the index of one of the option series");
    assert_eq!(health(&a, &plain, HealthLevel::Maintenance), Err(no_series));
    assert_eq!(health(&a, &empty, HealthLevel::Maintenance), Err(no_series));
    assert_eq!(liquidation_price(&a, &plain, PriceOf::Token(1)), Err(no_series));
    assert_eq!(plain.option_owed(0, w("-1")), Err(no_series));
    assert_eq!(plain.option_underlying(0), Err(no_series));
    // Without an option position both contexts agree.
    let mut b: Account = Account::new();
    b.set_token(0, w("10")).unwrap();
    b.set_token(1, w("-0.05")).unwrap();
    for level in [
        HealthLevel::Initial,
        HealthLevel::Maintenance,
        HealthLevel::LiquidationEnd,
    ] {
        assert_eq!(health(&b, &plain, level), health(&b, &empty, level));
    }
}

/// A token balance valued once and weighted at a level is [`token_contribution`] at that
/// level: on 20,000 random balances (deposits and borrows from 1e-12 to 1e9 tokens, and
/// zero), prices from 1e-6 to 1e6 with a confidence of up to 5 % (one in seven exactly one),
/// weights in hundredths (one in five all one) and size factors of 0 to 0.003, at every
/// level — the same `Ok` bits or the same error.
#[test]
fn a_token_value_weighted_is_the_token_contribution() {
    let mut rng = crate::rng::SplitMix64::new(0x0070_11e4_a1ce);
    let mut next = move || rng.next_u64();
    let hundredths = |n: u64| Wad::from_raw(i128::from(n) * 10_000_000_000_000_000);
    for i in 0..20_000u32 {
        let ma = 10 + next() % 86;
        let mut raw = TokenParamsRaw::new(
            hundredths(ma - next() % 10),
            hundredths(ma),
            hundredths(150),
            hundredths(100 + next() % 50),
        );
        raw.size_factor = Wad::from_raw(i128::from(next() % 4) * 1_000_000_000_000_000);
        // One in five of the tokens has every weight one (the shortcut of a product by one).
        if i % 5 == 4 {
            raw = TokenParamsRaw::new(Wad::ONE, Wad::ONE, Wad::ONE, Wad::ONE);
            raw.size_factor = Wad::from_raw(i128::from(next() % 2) * 1_000_000_000_000_000);
        }
        let params = TokenParams::new(raw).unwrap();
        let p = crate::test_support::log_uniform(-6, 6, &mut next);
        // One in seven priced exactly one, without a confidence interval (the unit of account).
        let price = if i % 7 == 6 {
            OraclePrice::exact(Wad::ONE).unwrap()
        } else {
            OraclePrice::new(p, p.mul_floor(hundredths(next() % 6)).unwrap()).unwrap()
        };
        let size = crate::test_support::log_uniform(-12, 9, &mut next);
        let balance = match i % 3 {
            0 => size,
            1 => size.neg().unwrap(),
            _ => Wad::ZERO,
        };
        for level in [
            HealthLevel::Initial,
            HealthLevel::Maintenance,
            HealthLevel::LiquidationEnd,
        ] {
            assert_eq!(
                TokenValue::new(price, balance).and_then(|v| v.weighted(&params, level)),
                token_contribution(&params, price, level, balance),
                "{balance} at {price:?}"
            );
        }
    }
}
