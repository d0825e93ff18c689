//! Property tests: the laws of short-option margin (`lce::options::{StandardMarginParams,
//! GridParams}`).
//!
//! Standard margin (Deribit's formula, every product rounded up):
//! - `maintenance >= size·(mm_floor·S + mark)` and `initial >= size·(im_floor·S + mark)` (the
//!   floors), and `initial >= maintenance`;
//! - a short call's margins are non-decreasing in the spot, with the model's mark (the call's
//!   price rises with `S`, and so do `im_base·S − max(K − S, 0)` and `im_floor·S`, and every
//!   rounding is monotone); both are non-decreasing in the size and in a given mark.
//!
//! Scenario grid (shorts only, given marks):
//! - `requirement = max(−min P&L, ⌈short_minimum·Σ|q|⌉, 0)`, so it is at least the minimum and
//!   at least every scenario's loss; `worst` is the first least P&L; `4·steps + 4` scenarios;
//! - more volatility never lowers the requirement (the scenario volatilities
//!   `⌈σ·(1 ± vol_scan)⌉` rise with `σ`, every price rises with its volatility, rounding up is
//!   monotone, and a short's P&L falls as the price rises), nor does a wider `vol_scan`
//!   (at a given spot the vol-up scenario is the worse of the pair for a short, and `σ_up`
//!   rises with `vol_scan`);
//! - with the model's mark, `vol_scan = 0` and no look-ahead, the unchanged scenario's P&L is
//!   exactly 0 (the mark and the scenario value are the same rounded-up price);
//! - the same inputs give the same outputs.

use lce::options::{
    BsInputs, BsInputsRaw, GridMarket, GridParams, GridPosition, GridRaw, OptionKind, OptionPosition,
    StandardMarginParams, StandardMarginRaw,
};
use lce::{Rounding, Wad};
use proptest::prelude::*;

const E16: i128 = 10_000_000_000_000_000;

/// A wad `lo..hi` in hundredths.
fn cents(lo: i128, hi: i128) -> impl Strategy<Value = Wad> {
    (lo..hi).prop_map(|c| Wad::from_raw(c * E16))
}

fn kind() -> impl Strategy<Value = OptionKind> {
    prop_oneof![Just(OptionKind::Call), Just(OptionKind::Put)]
}

/// Spot, strike, vol, t, rate.
fn model() -> impl Strategy<Value = (Wad, Wad, Wad, Wad, Wad)> {
    (
        cents(100, 1_000_000),
        50i128..200,
        cents(5, 200),
        cents(1, 200),
        cents(-5, 10),
    )
        .prop_map(|(s, pct, v, t, r)| (s, Wad::from_raw(s.raw() / 100 * pct), v, t, r))
}

fn grid(vol_scan: Wad, minimum: Wad, steps: u32) -> GridParams {
    GridParams::new(GridRaw {
        price_scan: Wad::from_raw(15 * E16),
        vol_scan,
        steps,
        extreme_multiple: 3,
        extreme_fraction: Wad::from_raw(35 * E16),
        horizon: Wad::ZERO,
        short_minimum: minimum,
    })
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn standard_floors_and_order(k in kind(), (s, strike, v, t, r) in model(), size in cents(1, 10_000),
                                 mark in proptest::option::of(cents(0, 100_000))) {
        let p = StandardMarginParams::default();
        let raw = StandardMarginRaw::DERIBIT;
        let i = BsInputs::new(BsInputsRaw { spot: s, strike, vol: v, t, rate: r, ..BsInputsRaw::default() }).unwrap();
        let m = p.margin(k, &i, size, mark).unwrap();
        let floor = |rate: Wad| size.mul_floor(rate.mul_floor(s).unwrap().add(m.mark).unwrap()).unwrap();
        prop_assert!(m.maintenance >= floor(raw.mm_floor));
        prop_assert!(m.initial >= floor(raw.im_floor));
        prop_assert!(m.initial >= m.maintenance);
        if mark.is_none() {
            prop_assert_eq!(m.mark, lce::options::price(k, &i, Rounding::Ceil).unwrap());
        }
        prop_assert_eq!(p.margin(k, &i, size, mark).unwrap(), m);
    }

    #[test]
    fn a_short_calls_standard_margin_rises_with_spot((s, strike, v, t, r) in model(), up in cents(0, 100_000),
                                                     size in cents(1, 1000), extra in cents(0, 1000)) {
        let p = StandardMarginParams::default();
        let lo = BsInputs::new(BsInputsRaw { spot: s, strike, vol: v, t, rate: r, ..BsInputsRaw::default() }).unwrap();
        let hi = BsInputs::new(BsInputsRaw { spot: s.add(up).unwrap(), strike, vol: v, t, rate: r, ..BsInputsRaw::default() }).unwrap();
        let a = p.margin(OptionKind::Call, &lo, size, None).unwrap();
        let b = p.margin(OptionKind::Call, &hi, size, None).unwrap();
        prop_assert!(b.initial >= a.initial && b.maintenance >= a.maintenance);
        // More size or a richer given mark never lowers either margin.
        let c = p.margin(OptionKind::Call, &lo, size.add(extra).unwrap(), None).unwrap();
        prop_assert!(c.initial >= a.initial && c.maintenance >= a.maintenance);
        let d = p.margin(OptionKind::Call, &lo, size, Some(a.mark.add(extra).unwrap())).unwrap();
        prop_assert!(d.initial >= a.initial && d.maintenance >= a.maintenance);
    }

    #[test]
    fn grid_requirement_is_the_worst_loss_or_the_minimum(k in kind(), (s, strike, v, t, r) in model(),
                                                          q in cents(1, 1000), mark in cents(0, 50_000),
                                                          minimum in cents(0, 1000), steps in 1u32..=7) {
        let g = grid(Wad::from_raw(25 * E16), minimum, steps);
        let market = GridMarket { spot: s, vol: v, rate: r, yield_: Wad::ZERO };
        let pos = GridPosition { position: OptionPosition { kind: k, strike, t, quantity: q.neg().unwrap() }, mark: Some(mark) };
        let m = g.margin(&market, &[pos]).unwrap();
        prop_assert_eq!(m.scenarios.len(), 4 * steps as usize + 4);
        let least = *m.scenarios.iter().min().unwrap();
        prop_assert_eq!(m.scenarios[m.worst], least);
        prop_assert!(m.scenarios[..m.worst].iter().all(|x| *x > least));
        prop_assert_eq!(m.short_minimum, minimum.mul_ceil(q).unwrap());
        prop_assert_eq!(m.requirement, least.neg().unwrap().max(m.short_minimum).max(Wad::ZERO));
        prop_assert!(m.scenarios.iter().all(|x| x.neg().unwrap() <= m.requirement));
        prop_assert_eq!(g.margin(&market, &[pos]).unwrap(), m);
    }

    #[test]
    fn more_volatility_never_lowers_a_shorts_grid_requirement(k in kind(), (s, strike, v, t, r) in model(),
                                                             dv in cents(0, 100), q in cents(1, 1000),
                                                             mark in cents(0, 50_000), scan in 0i128..90,
                                                             dscan in 0i128..10) {
        let g = grid(Wad::from_raw(scan * E16), Wad::ZERO, 3);
        let pos = GridPosition { position: OptionPosition { kind: k, strike, t, quantity: q.neg().unwrap() }, mark: Some(mark) };
        let at = |vol: Wad, g: &GridParams| {
            let market = GridMarket { spot: s, vol, rate: r, yield_: Wad::ZERO };
            g.margin(&market, &[pos]).unwrap().requirement
        };
        let base = at(v, &g);
        prop_assert!(at(v.add(dv).unwrap(), &g) >= base);
        let wider = grid(Wad::from_raw((scan + dscan) * E16), Wad::ZERO, 3);
        prop_assert!(at(v, &wider) >= base);
    }

    #[test]
    fn the_unchanged_scenario_costs_nothing_at_the_models_mark(k in kind(), (s, strike, v, t, r) in model(),
                                                               q in cents(1, 1000)) {
        let g = grid(Wad::ZERO, Wad::ZERO, 3);
        let market = GridMarket { spot: s, vol: v, rate: r, yield_: Wad::ZERO };
        let pos = GridPosition { position: OptionPosition { kind: k, strike, t, quantity: q.neg().unwrap() }, mark: None };
        let m = g.margin(&market, &[pos]).unwrap();
        prop_assert_eq!(m.scenarios[0], Wad::ZERO);
        prop_assert_eq!(m.scenarios[1], Wad::ZERO);
    }
}
