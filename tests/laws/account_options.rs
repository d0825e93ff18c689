//! Property tests: the laws of option positions in accounts (`lce::account::option_contribution`
//! and health with option series in the [`Context`]).
//!
//! - **The mark is counted once.** An account of a deposit `D` (weight 1, exact price) and one
//!   short option has maintenance value within `[D − MM − 1e-18, D − MM]`, `MM` the standard
//!   maintenance margin of `option_margin` (value plus rate), for any confidence 0.
//! - **No value from a matched pair.** A long and a short of the same series and quantity,
//!   at any confidence and level, contribute at most 0 together: the long is valued at one end
//!   of the interval, rounded down; the short is charged at least its value there, rounded up.
//! - **Volatility.** More implied volatility never raises a short's contribution and never
//!   lowers a long's (every price is non-decreasing in σ, rounded monotonically; the put's
//!   maintenance floor `mm_floor·max(S, mark)` rises with the mark).
//! - **Confidence.** A wider confidence interval never raises a long's contribution (it is
//!   valued where it is worth less) nor a short call's (its value and add-on both rise with
//!   the spot, so the upper end is charged). Short puts are left out: their add-on is not
//!   monotone in the spot (module docs).
//! - **Levels.** `initial ≤ liquidation_end ≤ maintenance` for any account of tokens and options.
//! - **Liquidation price.** It is `Nonlinear` exactly when the moving token underlies an
//!   option position of the account.
//! - **Bankruptcy.** An account of a borrow and short options only is bankrupt; its bad debt
//!   is the borrow plus `⌈|q|·⌈V(price)⌉⌉`; settling it zeroes every position and the waterfall's
//!   layers sum to the bad debt exactly.

use lce::account::{
    Account, Context, HealthLevel, LiquidationPrice, OptionMark, OptionParams, OptionParamsRaw, PriceOf, TokenParams,
    TokenParamsRaw, health, liquidation_price, option_contribution,
};
use lce::liquidation::{Waterfall, WaterfallRaw, bad_debt, is_bankrupt, settle_bankruptcy};
use lce::options::{BsInputs, BsInputsRaw, OptionKind, StandardMarginParams, price};
use lce::oracle::OraclePrice;
use lce::{Rounding, Wad};
use proptest::prelude::*;

const LEVELS: [HealthLevel; 3] = [
    HealthLevel::Initial,
    HealthLevel::LiquidationEnd,
    HealthLevel::Maintenance,
];

fn wad(units: u64, decimals: u32) -> Wad {
    Wad::from_raw(i128::from(units) * 10i128.pow(18 - decimals))
}

fn kind_of(call: bool) -> OptionKind {
    if call { OptionKind::Call } else { OptionKind::Put }
}

/// A series on token 1 with its market data: spot 10..10^5, strike 0.5x..2x of it, t from a
/// day to 3 years, vol 5 %..250 %, rate −2 %..10 %.
#[derive(Clone, Copy, Debug)]
struct Series {
    call: bool,
    spot: Wad,
    strike: Wad,
    t: Wad,
    vol: Wad,
    rate: Wad,
}

fn series() -> impl Strategy<Value = Series> {
    (
        any::<bool>(),
        10u64..100_000,
        50u64..200,
        1u64..1096,
        5u64..250,
        0u64..12,
    )
        .prop_map(|(call, spot, k_pct, days, vol_pct, rate_pct)| {
            let spot = wad(spot, 0);
            Series {
                call,
                spot,
                strike: spot.mul_floor(wad(k_pct, 2)).unwrap(),
                t: wad(days, 0).div_floor(wad(365, 0)).unwrap(),
                vol: wad(vol_pct, 2),
                rate: wad(rate_pct, 2).sub(wad(2, 2)).unwrap(),
            }
        })
}

fn params(s: &Series, underlying: u16) -> OptionParams {
    OptionParams::new(OptionParamsRaw::new(kind_of(s.call), underlying, s.strike, s.t)).unwrap()
}

fn mark(s: &Series, vol: Wad) -> OptionMark {
    OptionMark::new(vol, s.rate, Wad::ZERO).unwrap()
}

fn unit_token() -> TokenParams {
    TokenParams::new(TokenParamsRaw::new(Wad::ONE, Wad::ONE, Wad::ONE, Wad::ONE)).unwrap()
}

fn risky_token() -> TokenParams {
    let w = |s: &str| s.parse::<Wad>().unwrap();
    TokenParams::new(TokenParamsRaw::new(w("0.7"), w("0.8"), w("1.3"), w("1.2"))).unwrap()
}

fn contribution(s: &Series, conf: Wad, vol: Wad, level: HealthLevel, q: Wad) -> Wad {
    let spot = OraclePrice::new(s.spot, conf).unwrap();
    option_contribution(&params(s, 1), &mark(s, vol), spot, level, q).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_mark_is_counted_once(s in series(), q in 1u64..10_000, deposit in 0u64..1_000_000) {
        let q = wad(q, 2);
        let deposit = wad(deposit, 0);
        let tokens = [unit_token(), risky_token()];
        let prices = [OraclePrice::exact(Wad::ONE).unwrap(), OraclePrice::exact(s.spot).unwrap()];
        let options = [params(&s, 1)];
        let marks = [mark(&s, s.vol)];
        let ctx = Context::tokens(&tokens, &prices).unwrap().with_options(&options, &marks).unwrap();
        let mut account: Account = Account::new();
        account.set_token(0, deposit).unwrap();
        account.set_option(0, q.neg().unwrap()).unwrap();
        let value = health(&account, &ctx, HealthLevel::Maintenance).unwrap().value().unwrap();
        let inputs = BsInputs::new(BsInputsRaw { spot: s.spot, strike: s.strike, vol: s.vol, t: s.t, rate: s.rate, ..BsInputsRaw::default() }).unwrap();
        let mm = StandardMarginParams::default().margin(kind_of(s.call), &inputs, q, None).unwrap().maintenance;
        let exchange = deposit.sub(mm).unwrap();
        prop_assert!(value <= exchange, "{value} > {exchange}");
        prop_assert!(value >= exchange.sub(Wad::from_raw(1)).unwrap(), "{value} < {exchange} − 1e-18");
    }

    #[test]
    fn a_matched_pair_creates_no_value(s in series(), q in 1u64..10_000, conf_bp in 0u64..500) {
        let q = wad(q, 2);
        let conf = s.spot.mul_floor(wad(conf_bp, 4)).unwrap();
        for level in LEVELS {
            let long = contribution(&s, conf, s.vol, level, q);
            let short = contribution(&s, conf, s.vol, level, q.neg().unwrap());
            prop_assert!(long.add(short).unwrap() <= Wad::ZERO, "{level:?}: {long} + {short} > 0");
        }
    }

    #[test]
    fn volatility_never_helps_a_short_nor_hurts_a_long(s in series(), q in 1u64..10_000, up in 0u64..100) {
        let q = wad(q, 2);
        let higher = s.vol.add(wad(up, 2)).unwrap();
        for level in LEVELS {
            let (short_lo, short_hi) = (
                contribution(&s, Wad::ZERO, s.vol, level, q.neg().unwrap()),
                contribution(&s, Wad::ZERO, higher, level, q.neg().unwrap()),
            );
            prop_assert!(short_hi <= short_lo, "{level:?}: short {short_lo} → {short_hi}");
            let (long_lo, long_hi) = (
                contribution(&s, Wad::ZERO, s.vol, level, q),
                contribution(&s, Wad::ZERO, higher, level, q),
            );
            prop_assert!(long_hi >= long_lo, "{level:?}: long {long_lo} → {long_hi}");
        }
    }

    #[test]
    fn a_wider_interval_never_helps_a_long_or_a_short_call(s in series(), q in 1u64..10_000, c1 in 0u64..300, extra in 0u64..300) {
        let q = wad(q, 2);
        let narrow = s.spot.mul_floor(wad(c1, 4)).unwrap();
        let wide = s.spot.mul_floor(wad(c1 + extra, 4)).unwrap();
        for level in LEVELS {
            let (a, b) = (contribution(&s, narrow, s.vol, level, q), contribution(&s, wide, s.vol, level, q));
            prop_assert!(b <= a, "{level:?}: long {a} → {b}");
            if s.call {
                let short = q.neg().unwrap();
                let (a, b) = (contribution(&s, narrow, s.vol, level, short), contribution(&s, wide, s.vol, level, short));
                prop_assert!(b <= a, "{level:?}: short call {a} → {b}");
            }
        }
    }

    #[test]
    fn levels_are_ordered(
        s in series(), q in -10_000i64..10_000, deposit in 0u64..100_000, held in 0u64..1000,
        init in 0u64..=100, spread in 0u64..=100,
    ) {
        let (init, maint) = (wad(init, 2), wad((init + spread).min(100), 2));
        let mut raw = OptionParamsRaw::new(kind_of(s.call), 1, s.strike, s.t);
        raw.init_long_weight = init;
        raw.maint_long_weight = maint;
        raw.liq_end_long_weight = init;
        let options = [OptionParams::new(raw).unwrap()];
        let marks = [mark(&s, s.vol)];
        let tokens = [unit_token(), risky_token()];
        let prices = [OraclePrice::exact(Wad::ONE).unwrap(), OraclePrice::exact(s.spot).unwrap()];
        let ctx = Context::tokens(&tokens, &prices).unwrap().with_options(&options, &marks).unwrap();
        let mut account: Account = Account::new();
        account.set_token(0, wad(deposit, 0)).unwrap();
        account.set_token(1, wad(held, 1)).unwrap();
        account.set_option(0, Wad::from_raw(i128::from(q) * 10i128.pow(16))).unwrap();
        let [i, l, m] = LEVELS.map(|level| health(&account, &ctx, level).unwrap().value().unwrap());
        prop_assert!(i <= l && l <= m, "initial {i}, liquidation end {l}, maintenance {m}");
    }

    #[test]
    fn nonlinear_exactly_over_an_underlying(s in series(), on_moving in any::<bool>(), q in 1u64..1000) {
        let tokens = [unit_token(), risky_token(), risky_token()];
        let prices = [
            OraclePrice::exact(Wad::ONE).unwrap(),
            OraclePrice::exact(s.spot).unwrap(),
            OraclePrice::exact(s.spot).unwrap(),
        ];
        let options = [params(&s, if on_moving { 1 } else { 2 })];
        let marks = [mark(&s, s.vol)];
        let ctx = Context::tokens(&tokens, &prices).unwrap().with_options(&options, &marks).unwrap();
        let mut account: Account = Account::new();
        account.set_token(0, wad(1_000_000, 0)).unwrap();
        account.set_token(1, wad(q, 0).neg().unwrap()).unwrap();
        account.set_option(0, wad(q, 0).neg().unwrap()).unwrap();
        let lp = liquidation_price(&account, &ctx, PriceOf::Token(1)).unwrap();
        prop_assert_eq!(lp == LiquidationPrice::Nonlinear, on_moving, "{:?}", lp);
    }

    #[test]
    fn bankrupt_short_options_settle_exactly(s in series(), q in 1u64..10_000, borrow in 0u64..100_000, buffers in (0u64..50_000, 0u64..50_000, 0u64..50_000)) {
        let q = wad(q, 2);
        let tokens = [unit_token(), risky_token()];
        let prices = [OraclePrice::exact(Wad::ONE).unwrap(), OraclePrice::new(s.spot, s.spot.mul_floor(wad(1, 3)).unwrap()).unwrap()];
        let options = [params(&s, 1)];
        let marks = [mark(&s, s.vol)];
        let ctx = Context::tokens(&tokens, &prices).unwrap().with_options(&options, &marks).unwrap();
        let mut account: Account = Account::new();
        account.set_token(0, wad(borrow, 0).neg().unwrap()).unwrap();
        account.set_option(0, q.neg().unwrap()).unwrap();
        prop_assert!(is_bankrupt(&account));
        let inputs = BsInputs::new(BsInputsRaw { spot: s.spot, strike: s.strike, vol: s.vol, t: s.t, rate: s.rate, ..BsInputsRaw::default() }).unwrap();
        let owed = q.mul_ceil(price(kind_of(s.call), &inputs, Rounding::Ceil).unwrap()).unwrap();
        let debt = bad_debt(&account, &ctx).unwrap();
        prop_assert_eq!(debt, wad(borrow, 0).add(owed).unwrap());
        let mut waterfall = Waterfall::new(WaterfallRaw {
            premium_buffer: wad(buffers.0, 0),
            insurance_fund: wad(buffers.1, 0),
            lender_deposits: wad(buffers.2, 0),
        }).unwrap();
        let report = settle_bankruptcy(&mut account, &ctx, &mut waterfall).unwrap();
        let layers = report.premium.add(report.insurance).unwrap().add(report.socialized).unwrap().add(report.uncovered).unwrap();
        prop_assert_eq!(layers, debt);
        prop_assert!(report.premium <= wad(buffers.0, 0));
        prop_assert_eq!(account.option(0), Wad::ZERO);
        prop_assert_eq!(account.token_balance(0), Wad::ZERO);
        // A long option is an asset: the same account with it long is not bankrupt.
        account.set_option(0, q).unwrap();
        prop_assert!(!is_bankrupt(&account));
    }
}
