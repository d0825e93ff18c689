//! Property tests: the laws of the margin module.
//!
//! Dynamic margin `mm = clamp(base + ⌈c·σ⌉ + ⌈k_skew·max(skew, 0)⌉, floor, cap)`:
//! - **monotone**: more volatility or more skew never lowers the maintenance or the initial
//!   margin; a negative skew gives exactly the margin of zero skew;
//! - **bounded**: `floor ≤ mm ≤ cap` for every input, huge ones included (terms saturate);
//! - **initial distance**: `initial = mm + init_spread` exactly, and `initial ≤ 1`.
//!
//! Governor, over random sequences of `(σ, skew)` and random parameters:
//! - **requirement met**: `P_t ≥ R_t ≥ F` and `P_t ≥ floor`, `P_t ≤ cap`;
//! - **rate limit**: `P_t ≥ P_{t−1} − max_decrease`;
//! - **rises only to the requirement**: `P_t > P_{t−1} ⇒ P_t = R_t`, and `P_t ≤ max(R_t, P_{t−1})`;
//! - **calm start**: the first period publishes `T = min(⌈R·(1+buffer)⌉, cap)`;
//! - **monotone**: from the same state, more volatility never lowers the published margin.
//!
//! EWMA variance:
//! - **constant prices** give `v_t = ⌈λ·v_{t−1}⌉` exactly (the seed decays geometrically and
//!   stays at 1e-18 once there; 0 without a seed or with a zero seed);
//! - **scale invariance**: multiplying every price by an integer gives the same answer bit for bit;
//! - **monotone in the seed**; **vol is the rounded-up root**: `(vol − 1e-18)² < v ≤ vol²`;
//! - **determinism**: the slice function equals the running [`Ewma`] fed price by price.
//!
//! Size tiers: `size_scaled_margin(m, f, s) ≥ m`, non-decreasing in `m`, `f` and `|s|`, `m`
//! when `f = 0`, and equal to `PerpParams::margin` for the same base margin.

use lce::Wad;
use lce::account::{HealthLevel, PerpParams, PerpParamsRaw};
use lce::margin::{
    DynamicMarginParams, DynamicMarginRaw, Ewma, EwmaParams, EwmaParamsRaw, GovernorParams, GovernorParamsRaw,
    MarginGovernor, ewma_vol, size_scaled_margin,
};
use proptest::prelude::*;

const SCALE: i128 = 1_000_000_000_000_000_000;

fn wad(raw: i128) -> Wad {
    Wad::from_raw(raw)
}

/// Valid dynamic-margin parameters: `cap ∈ (0, 0.99]`, `base, floor ∈ [0, cap]`,
/// `k_vol, k_skew ∈ [0, 10]`, `horizon ∈ (0, 10]`, `init_spread ∈ (0, 1 − cap]`.
fn params() -> impl Strategy<Value = DynamicMarginParams> {
    (
        1i128..=99 * SCALE / 100,
        0u64..=1_000_000,
        0u64..=1_000_000,
        0i128..=10 * SCALE,
        0i128..=10 * SCALE,
        1i128..=10 * SCALE,
        1u64..=1_000_000,
    )
        .prop_map(|(cap, b, f, k_vol, k_skew, horizon, s)| {
            let frac = |x: i128, p: u64| x * i128::from(p) / 1_000_000;
            let spread = (frac(SCALE - cap, s)).max(1);
            DynamicMarginParams::new(DynamicMarginRaw {
                base: wad(frac(cap, b)),
                k_vol: wad(k_vol),
                k_skew: wad(k_skew),
                horizon: wad(horizon),
                floor: wad(frac(cap, f)),
                cap: wad(cap),
                init_spread: wad(spread),
            })
            .unwrap()
        })
}

/// A volatility: mostly realistic (0 to 500 %), sometimes anything.
fn sigma() -> impl Strategy<Value = Wad> {
    prop_oneof![
        4 => (0i128..=5 * SCALE).prop_map(wad),
        1 => (0i128..=i128::MAX).prop_map(wad),
    ]
}

/// A skew of either sign: mostly within ±1, sometimes anything.
fn skew() -> impl Strategy<Value = Wad> {
    prop_oneof![
        4 => (-SCALE..=SCALE).prop_map(wad),
        1 => any::<i128>().prop_map(wad),
    ]
}

proptest! {
    #[test]
    fn margin_is_monotone_in_sigma(p in params(), a in sigma(), b in sigma(), k in skew()) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (m_lo, m_hi) = (p.margin(lo, k).unwrap(), p.margin(hi, k).unwrap());
        prop_assert!(m_lo.maintenance <= m_hi.maintenance);
        prop_assert!(m_lo.initial <= m_hi.initial);
        prop_assert!(m_lo.vol_term <= m_hi.vol_term);
    }

    #[test]
    fn margin_is_monotone_in_skew(p in params(), s in sigma(), a in skew(), b in skew()) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (m_lo, m_hi) = (p.margin(s, lo).unwrap(), p.margin(s, hi).unwrap());
        prop_assert!(m_lo.maintenance <= m_hi.maintenance);
        prop_assert!(m_lo.initial <= m_hi.initial);
    }

    #[test]
    fn negative_skew_is_zero_skew(p in params(), s in sigma(), k in skew()) {
        let neg = if k.is_negative() { k } else { k.neg().unwrap() };
        prop_assert_eq!(p.margin(s, neg).unwrap(), p.margin(s, Wad::ZERO).unwrap());
    }

    #[test]
    fn margin_stays_within_floor_and_cap(p in params(), s in sigma(), k in skew()) {
        let m = p.margin(s, k).unwrap();
        prop_assert!(p.floor() <= m.maintenance && m.maintenance <= p.cap());
        prop_assert_eq!(m.initial, m.maintenance.add(p.init_spread()).unwrap());
        prop_assert!(m.initial > m.maintenance && m.initial <= Wad::ONE);
        // Unclamped, the margin is base + the two terms (saturating).
        let sum = p.raw().base.raw().saturating_add(m.vol_term.raw()).saturating_add(m.skew_term.raw());
        prop_assert_eq!(m.maintenance, wad(sum).max(p.floor()).min(p.cap()));
    }
}

/// Governor parameters: any mix of rate limit, buffer and stressed volatility.
fn governor_params() -> impl Strategy<Value = GovernorParams> {
    (
        prop::option::of(0i128..=SCALE / 10),
        0i128..=SCALE,
        prop::option::of(0i128..=3 * SCALE),
    )
        .prop_map(|(d, b, s)| {
            GovernorParams::new(GovernorParamsRaw {
                max_decrease: d.map(wad),
                buffer: wad(b),
                stressed_sigma: s.map(wad),
            })
            .unwrap()
        })
}

proptest! {
    #[test]
    fn governor_laws_hold_over_any_sequence(
        p in params(),
        g in governor_params(),
        path in prop::collection::vec((0i128..=3 * SCALE, -SCALE / 5..=SCALE / 5), 1..60),
    ) {
        let mut gov = MarginGovernor::new(p, g);
        let raw = g.raw();
        let mut prev: Option<Wad> = None;
        for (s, k) in path {
            let (s, k) = (wad(s), wad(k));
            let out = gov.update(s, k).unwrap();
            let pt = out.maintenance;
            let dynamic = p.margin(s, k).unwrap().maintenance;
            prop_assert_eq!(out.dynamic.maintenance, dynamic);
            let floor = raw.stressed_sigma.map(|x| p.margin(x, Wad::ZERO).unwrap().maintenance);
            prop_assert_eq!(out.stressed_floor, floor);
            prop_assert_eq!(out.requirement, dynamic.max(floor.unwrap_or(Wad::ZERO)));
            prop_assert!(pt >= out.requirement && pt >= p.floor() && pt <= p.cap());
            prop_assert!(out.target >= out.requirement && out.target <= p.cap());
            prop_assert_eq!(out.initial, pt.add(p.init_spread()).unwrap());
            match prev {
                None => prop_assert_eq!(pt, out.target),
                Some(before) => {
                    if let Some(d) = raw.max_decrease {
                        prop_assert!(pt >= before.sub(d).unwrap(), "rate limit: {pt:?} < {before:?} − {d:?}");
                    }
                    if pt > before {
                        prop_assert_eq!(pt, out.requirement);
                    }
                    prop_assert!(pt <= out.requirement.max(before));
                }
            }
            prop_assert_eq!(gov.published(), Some(pt));
            prev = Some(pt);
        }
    }

    #[test]
    fn governor_is_monotone_in_sigma(
        p in params(),
        g in governor_params(),
        prev in prop::option::of(0u64..=1_000_000),
        a in 0i128..=3 * SCALE,
        b in 0i128..=3 * SCALE,
        k in -SCALE / 5..=SCALE / 5,
    ) {
        let gov = match prev {
            Some(f) => MarginGovernor::resume(p, g, wad(p.cap().raw() * i128::from(f) / 1_000_000)).unwrap(),
            None => MarginGovernor::new(p, g),
        };
        let (lo, hi) = (a.min(b), a.max(b));
        let m_lo = gov.preview(wad(lo), wad(k)).unwrap();
        let m_hi = gov.preview(wad(hi), wad(k)).unwrap();
        prop_assert!(m_lo.maintenance <= m_hi.maintenance);
        prop_assert!(m_lo.initial <= m_hi.initial);
    }
}

fn ewma_params(lambda: i128, n: u32, seed: Option<i128>) -> EwmaParams {
    EwmaParams::new(EwmaParamsRaw {
        lambda: wad(lambda),
        periods_per_year: n,
        seed_variance: seed.map(wad),
    })
    .unwrap()
}

/// Positive prices from 0.01 to 1000, 2 to 40 of them.
fn price_path() -> impl Strategy<Value = Vec<Wad>> {
    prop::collection::vec(SCALE / 100..=1000 * SCALE, 2..40).prop_map(|v| v.into_iter().map(wad).collect())
}

proptest! {
    #[test]
    fn constant_prices_decay_the_seed_exactly(
        lambda in 1i128..SCALE,
        seed in prop::option::of(0i128..=100 * SCALE),
        price in 1i128..=1000 * SCALE,
        n in 2usize..80,
    ) {
        let prices = vec![wad(price); n];
        let v = ewma_vol(&prices, ewma_params(lambda, 365, seed)).unwrap();
        // v_t = ⌈λ·v_{t−1}⌉ on the raw integers (λ_raw·v_raw < 1e18·1e20 fits a u128).
        let mut expect: u128 = seed.map_or(0, |s| s as u128);
        for _ in 1..n {
            expect = (lambda as u128 * expect).div_ceil(SCALE as u128);
        }
        prop_assert_eq!(v.variance.raw() as u128, expect);
        prop_assert_eq!(v.variance.is_zero(), seed.is_none_or(|s| s == 0));
        prop_assert_eq!(v.returns as usize, n - 1);
    }

    #[test]
    fn scaling_prices_by_an_integer_changes_nothing(prices in price_path(), k in 1i128..=1000, lambda in 1i128..SCALE) {
        let p = ewma_params(lambda, 365, None);
        let scaled: Vec<Wad> = prices.iter().map(|x| wad(x.raw() * k)).collect();
        prop_assert_eq!(ewma_vol(&prices, p).unwrap(), ewma_vol(&scaled, p).unwrap());
    }

    #[test]
    fn ewma_is_monotone_in_the_seed(prices in price_path(), a in 0i128..=SCALE, b in 0i128..=SCALE, lambda in 1i128..SCALE) {
        let (lo, hi) = (a.min(b), a.max(b));
        let v_lo = ewma_vol(&prices, ewma_params(lambda, 365, Some(lo))).unwrap();
        let v_hi = ewma_vol(&prices, ewma_params(lambda, 365, Some(hi))).unwrap();
        prop_assert!(v_lo.variance <= v_hi.variance);
        prop_assert!(v_lo.annual_vol <= v_hi.annual_vol);
    }

    #[test]
    fn vol_is_the_root_rounded_up(
        prices in prop::collection::vec(50 * SCALE..=200 * SCALE, 2..40),
        n in 1u32..=100,
        seed in prop::option::of(0i128..=SCALE),
    ) {
        // Prices within a factor 4: r² < 2, so v·n·1e18 < 2e38 fits a u128.
        let prices: Vec<Wad> = prices.into_iter().map(wad).collect();
        let v = ewma_vol(&prices, ewma_params(940 * SCALE / 1000, n, seed)).unwrap();
        let check = |root: Wad, x: u128| {
            let r = root.raw() as u128;
            // (r − 1)² < x·1e18 ≤ r² on the raw integers.
            r * r >= x * SCALE as u128 && (r == 0 || (r - 1) * (r - 1) < x * SCALE as u128)
        };
        let var = v.variance.raw() as u128;
        prop_assert!(var < 2 * SCALE as u128);
        prop_assert!(check(v.vol, var));
        prop_assert!(check(v.annual_vol, var * u128::from(n)));
    }

    #[test]
    fn running_ewma_equals_the_slice(prices in price_path(), seed in prop::option::of(0i128..=SCALE), lambda in 1i128..SCALE) {
        let p = ewma_params(lambda, 252, seed);
        let mut running = Ewma::new(p);
        for x in &prices {
            running.observe(*x).unwrap();
        }
        let once = ewma_vol(&prices, p).unwrap();
        prop_assert_eq!(running.vol().unwrap(), Some(once));
        prop_assert_eq!(ewma_vol(&prices, p).unwrap(), once);
    }

    #[test]
    fn size_scaling_composes(
        m in 1i128..SCALE,
        m2 in 1i128..SCALE,
        f in 0i128..=SCALE / 10,
        s in -1_000_000 * SCALE..=1_000_000 * SCALE,
        t in -1_000_000 * SCALE..=1_000_000 * SCALE,
    ) {
        let (m_lo, m_hi) = (wad(m.min(m2)), wad(m.max(m2)));
        let (s_lo, s_hi) = if s.abs() <= t.abs() { (wad(s), wad(t)) } else { (wad(t), wad(s)) };
        let f = wad(f);
        let at = |m, s| size_scaled_margin(m, f, s).unwrap();
        prop_assert!(at(m_lo, s_lo) >= m_lo);
        prop_assert!(at(m_lo, s_lo) <= at(m_hi, s_lo));
        prop_assert!(at(m_lo, s_lo) <= at(m_lo, s_hi));
        prop_assert_eq!(size_scaled_margin(m_lo, Wad::ZERO, s_hi).unwrap(), m_lo);
        let perp = PerpParams::new(PerpParamsRaw { size_factor: f, ..PerpParamsRaw::new(m_lo, m_lo) }).unwrap();
        prop_assert_eq!(at(m_lo, s_lo), perp.margin(HealthLevel::Maintenance, s_lo).unwrap());
    }
}
