//! Property tests: the laws of Black-Scholes-Merton as lce computes it.
//!
//! Every output is the exact value rounded once, and the exact price is never on the grid, so:
//!
//! - `ceil - floor = 1e-18` for the price (the value lies strictly between them);
//! - put-call parity `C - P = S·e^(-qt) - K·e^(-rt) = F`: from `C ∈ (C⌊, C⌊ + ε)`,
//!   `P ∈ (P⌊, P⌊ + ε)` and `F ∈ [F⌊, F⌊ + ε)`, the floor of `F` is `C⌊ - P⌊` or one less;
//! - monotonicity of the exact price carries over to its floor (non-strictly): the call
//!   increases with the spot, the volatility, and (for `q = 0`, `r >= 0`) the maturity; the
//!   put decreases with the spot and increases with the volatility;
//! - `0 <= Δ_call <= e^(-qt)` and `-e^(-qt) <= Δ_put <= 0`; gamma and vega are positive;
//! - the implied volatility of a price `p` is the largest grid `σ̂` with `BSM(σ̂) < p`:
//!   `BSM(σ̂) < p <= BSM(σ̂ + 1e-18)`; for `p` the floor of `BSM(σ)` it is below `σ`;
//! - the same inputs give the same outputs.

use lce::options::{BsInputs, BsInputsRaw, OptionKind, forward_difference, greeks, implied_vol, price};
use lce::{Rounding, Wad};
use proptest::prelude::*;

const E18: i128 = 1_000_000_000_000_000_000;

/// A raw value `10^lo_exp..10^hi_exp` roughly log-uniform, with a few significant digits.
fn log_uniform(lo_exp: i32, hi_exp: i32) -> impl Strategy<Value = i128> {
    (lo_exp..hi_exp, 1_000i128..10_000).prop_map(|(e, m)| {
        // m·10^(e - 3) in raw units (10^18 per unit).
        let scale = 18 + e - 3;
        if scale >= 0 {
            m * 10i128.pow(scale as u32)
        } else {
            m / 10i128.pow((-scale) as u32)
        }
        .max(1)
    })
}

/// Market inputs: spot, strike, vol, t, rate, yield (raw).
fn market() -> impl Strategy<Value = (i128, i128, i128, i128, i128, i128)> {
    (
        log_uniform(-3, 7),
        3_000i128..30_000,
        log_uniform(-2, 1),
        log_uniform(-3, 1),
        -100i128..200,
        -100i128..200,
    )
        .prop_map(|(s, kf, v, t, r, q)| {
            // strike = spot · kf/10^4 (0.3 to 3 times the spot); rates in steps of 0.001.
            let k = (s / 10_000 * kf).max(1);
            (s, k, v.min(3 * E18), t, r * E18 / 1000, q * E18 / 1000)
        })
}

fn inputs(m: (i128, i128, i128, i128, i128, i128)) -> BsInputs {
    let w = Wad::from_raw;
    BsInputs::new(BsInputsRaw {
        spot: w(m.0),
        strike: w(m.1),
        vol: w(m.2),
        t: w(m.3),
        rate: w(m.4),
        yield_: w(m.5),
    })
    .unwrap()
}

fn kind_of(call: bool) -> OptionKind {
    if call { OptionKind::Call } else { OptionKind::Put }
}

fn floor_raw(kind: OptionKind, i: &BsInputs) -> i128 {
    price(kind, i, Rounding::Floor).unwrap().raw()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn ceil_is_floor_plus_one_and_deterministic(m in market(), call in any::<bool>()) {
        let i = inputs(m);
        let k = kind_of(call);
        let f = price(k, &i, Rounding::Floor).unwrap();
        let c = price(k, &i, Rounding::Ceil).unwrap();
        prop_assert_eq!(c.raw() - f.raw(), 1);
        prop_assert!(!f.is_negative());
        prop_assert_eq!(price(k, &i, Rounding::Floor).unwrap(), f);
        prop_assert_eq!(greeks(k, &i, Rounding::Ceil).unwrap(), greeks(k, &i, Rounding::Ceil).unwrap());
    }

    #[test]
    fn put_call_parity_within_the_rounding(m in market()) {
        let i = inputs(m);
        let c = floor_raw(OptionKind::Call, &i);
        let p = floor_raw(OptionKind::Put, &i);
        let f = forward_difference(&i, Rounding::Floor).unwrap().raw();
        prop_assert!(f == c - p || f == c - p - 1, "C {c} P {p} F {f}");
        // The ceiling of F is one more than its floor unless F is exact (r = q = 0, or q = r
        // and S = K).
        let fc = forward_difference(&i, Rounding::Ceil).unwrap().raw();
        let exact = (m.4 == 0 && m.5 == 0) || (m.4 == m.5 && m.0 == m.1);
        prop_assert_eq!(fc - f, if exact { 0 } else { 1 });
    }

    #[test]
    fn monotone_in_spot(m in market(), bump in 1i128..1_000_000_000_000_000) {
        let lo = inputs(m);
        let s2 = (m.0 + bump).min(1_000_000_000 * E18);
        let hi = inputs((s2, m.1, m.2, m.3, m.4, m.5));
        prop_assert!(floor_raw(OptionKind::Call, &lo) <= floor_raw(OptionKind::Call, &hi));
        prop_assert!(floor_raw(OptionKind::Put, &lo) >= floor_raw(OptionKind::Put, &hi));
    }

    #[test]
    fn monotone_in_vol(m in market(), bump in 1i128..100_000_000_000_000_000, call in any::<bool>()) {
        let k = kind_of(call);
        let lo = inputs(m);
        let hi = inputs((m.0, m.1, m.2 + bump, m.3, m.4, m.5));
        prop_assert!(floor_raw(k, &lo) <= floor_raw(k, &hi));
    }

    #[test]
    fn call_monotone_in_maturity(m in market(), bump in 1i128..1_000_000_000_000_000_000) {
        // q = 0 and r >= 0: the call's theta is negative, its value grows with t.
        let r = m.4.abs();
        let lo = inputs((m.0, m.1, m.2, m.3, r, 0));
        let hi = inputs((m.0, m.1, m.2, m.3 + bump, r, 0));
        prop_assert!(floor_raw(OptionKind::Call, &lo) <= floor_raw(OptionKind::Call, &hi));
    }

    #[test]
    fn delta_bounds_and_positive_gamma_vega(m in market()) {
        let i = inputs(m);
        let qt = Wad::from_raw(m.5).mul(Wad::from_raw(m.3), Rounding::Floor).unwrap();
        let disc = qt.neg().unwrap().exp(Rounding::Ceil).unwrap(); // >= e^(-qt)
        let call = greeks(OptionKind::Call, &i, Rounding::Floor).unwrap();
        let call_up = greeks(OptionKind::Call, &i, Rounding::Ceil).unwrap();
        prop_assert!(!call.delta.is_negative() && call_up.delta <= disc);
        let put = greeks(OptionKind::Put, &i, Rounding::Floor).unwrap();
        let put_up = greeks(OptionKind::Put, &i, Rounding::Ceil).unwrap();
        prop_assert!(put.delta >= disc.neg().unwrap() && !put_up.delta.is_positive());
        // Gamma and vega are the same for both kinds.
        prop_assert_eq!((call.gamma, call.vega), (put.gamma, put.vega));
        prop_assert!(!call.gamma.is_negative() && call_up.gamma.is_positive());
        prop_assert!(!call.vega.is_negative() && call_up.vega.is_positive());
        // Call delta - put delta = e^(-qt) (within the rounding of both).
        let diff = call.delta.raw() - put_up.delta.raw();
        let diff_up = call_up.delta.raw() - put.delta.raw();
        prop_assert!(diff <= disc.raw() && disc.raw() - 2 <= diff_up, "{diff} {diff_up} {disc}");
    }
}

proptest! {
    // Each implied volatility is a bisection of up to 64 prices: few cases.
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn implied_vol_brackets_the_price(m in market(), call in any::<bool>()) {
        let k = kind_of(call);
        let i = inputs(m);
        let p = price(k, &i, Rounding::Floor).unwrap();
        match implied_vol(k, p, i.spot(), i.strike(), i.t(), i.rate(), i.yield_()) {
            Ok(v) => {
                // p is below the exact price at σ, so σ̂ < σ.
                prop_assert!(v < i.vol());
                if v.is_positive() {
                    prop_assert!(price(k, &i.with_vol(v).unwrap(), Rounding::Floor).unwrap() < p);
                }
                let up = i.with_vol(Wad::from_raw(v.raw() + 1)).unwrap();
                prop_assert!(price(k, &up, Rounding::Floor).unwrap() >= p);
            }
            // p (a floor) can be at or below the intrinsic value when the time value is
            // below the grid: then there is no σ*.
            Err(e) => prop_assert_eq!(e, lce::Error::domain("price", "no vol in (0, 10] gives this price: it must exceed the intrinsic value and not exceed the price at vol 10")),
        }
    }
}
