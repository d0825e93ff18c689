//! Unit tests of the margin module: hand-worked values (the arithmetic is in the comments).

use super::*;
use crate::account::{HealthLevel, PerpParams, PerpParamsRaw};
use crate::{Error, Wad};

use crate::test_support::w;

fn raw() -> DynamicMarginRaw {
    DynamicMarginRaw {
        base: w("0.05"),
        k_vol: w("0.1"),
        k_skew: w("0.2"),
        horizon: w("1"),
        floor: w("0.05"),
        cap: w("0.5"),
        init_spread: w("0.05"),
    }
}

fn params() -> DynamicMarginParams {
    DynamicMarginParams::new(raw()).unwrap()
}

fn invalid(what: &'static str, why: &'static str) -> Error {
    Error::Invalid { what, why }
}

#[test]
fn margin_adds_vol_and_skew_terms() {
    // c = 0.1 · √1 = 0.1; 0.05 + 0.1·0.8 + 0.2·0.1 = 0.05 + 0.08 + 0.02 = 0.15.
    let m = params().margin(w("0.8"), w("0.1")).unwrap();
    assert_eq!(m.vol_term, w("0.08"));
    assert_eq!(m.skew_term, w("0.02"));
    assert_eq!(m.maintenance, w("0.15"));
    assert_eq!(m.initial, w("0.2"));
    assert_eq!(m.bound, Bound::None);
}

#[test]
fn products_round_up() {
    // horizon 2: ⌈√2⌉ = 1.414213562373095049, c = ⌈1 · that⌉ = the same;
    // σ = 0.5: c·σ = 0.7071067811865475245 → ⌈⌉ = 0.707106781186547525.
    // k_skew = 0.3, skew = 0.000000000000000001: 0.3e-18 → ⌈⌉ = 1e-18.
    let p = DynamicMarginParams::new(DynamicMarginRaw {
        base: Wad::ZERO,
        k_vol: Wad::ONE,
        k_skew: w("0.3"),
        horizon: w("2"),
        floor: Wad::ZERO,
        cap: w("0.9"),
        init_spread: w("0.1"),
    })
    .unwrap();
    assert_eq!(p.vol_coefficient(), w("1.414213562373095049"));
    let m = p.margin(w("0.5"), w("0.000000000000000001")).unwrap();
    assert_eq!(m.vol_term, w("0.707106781186547525"));
    assert_eq!(m.skew_term, w("0.000000000000000001"));
    assert_eq!(m.maintenance, w("0.707106781186547526"));
    assert_eq!(m.initial, w("0.807106781186547526"));
}

#[test]
fn floor_and_cap_bind() {
    // floor 0.08 > base 0.05: at σ = 0.1, 0.05 + 0.01 = 0.06 < 0.08 → the floor.
    let mut r = raw();
    r.floor = w("0.08");
    let m = DynamicMarginParams::new(r)
        .unwrap()
        .margin(w("0.1"), Wad::ZERO)
        .unwrap();
    assert_eq!((m.maintenance, m.bound), (w("0.08"), Bound::Floor));
    assert_eq!(m.initial, w("0.13"));
    // σ = 5: 0.05 + 0.5 = 0.55 > cap 0.5 → the cap.
    let m = params().margin(w("5"), Wad::ZERO).unwrap();
    assert_eq!((m.maintenance, m.bound), (w("0.5"), Bound::Cap));
    assert_eq!(m.initial, w("0.55"));
    // Exactly at the cap is not "bound": 0.05 + 0.45 = 0.5.
    let m = params().margin(w("4.5"), Wad::ZERO).unwrap();
    assert_eq!((m.maintenance, m.bound), (w("0.5"), Bound::None));
}

#[test]
fn negative_skew_counts_as_zero() {
    // skew −0.3 → max(−0.3, 0) = 0: 0.05 + 0.1·0.5 = 0.1, the same as skew 0.
    let neg = params().margin(w("0.5"), w("-0.3")).unwrap();
    let zero = params().margin(w("0.5"), Wad::ZERO).unwrap();
    assert_eq!(neg, zero);
    assert_eq!(neg.maintenance, w("0.1"));
    assert_eq!(neg.skew_term, Wad::ZERO);
}

#[test]
fn huge_inputs_saturate_to_the_cap() {
    // ⌈0.1·MAX⌉ = ⌈17014118346046923173.1687303715884105727⌉ fits; ⌈2·MAX⌉ does not → MAX.
    let mut r = raw();
    r.k_skew = w("2");
    let m = DynamicMarginParams::new(r).unwrap().margin(Wad::MAX, Wad::MAX).unwrap();
    assert_eq!(m.vol_term, w("17014118346046923173.168730371588410573"));
    assert_eq!(m.skew_term, Wad::MAX);
    assert_eq!((m.maintenance, m.bound), (w("0.5"), Bound::Cap));
    // A vol coefficient that saturates: k_vol = MAX, horizon 4 (√ = 2).
    let mut r = raw();
    r.k_vol = Wad::MAX;
    r.horizon = w("4");
    let p = DynamicMarginParams::new(r).unwrap();
    assert_eq!(p.vol_coefficient(), Wad::MAX);
    assert_eq!(p.margin(Wad::ZERO, Wad::ZERO).unwrap().maintenance, w("0.05"));
    assert_eq!(p.margin(Wad::EPSILON, Wad::ZERO).unwrap().maintenance, w("0.5"));
}

#[test]
fn negative_sigma_is_invalid() {
    assert_eq!(
        params().margin(w("-0.000000000000000001"), Wad::ZERO),
        Err(invalid("sigma", "must be ≥ 0"))
    );
}

/// A change to the raw parameters.
type Edit = fn(&mut DynamicMarginRaw);

#[test]
fn params_name_the_bad_field() {
    let cases: [(Edit, &str, &str); 12] = [
        (|r| r.cap = Wad::ZERO, "cap", "must be in (0, 1]"),
        (|r| r.cap = w("1.000000000000000001"), "cap", "must be in (0, 1]"),
        (|r| r.base = w("-0.01"), "base", "must be in [0, cap]"),
        (|r| r.base = w("0.6"), "base", "must be in [0, cap]"),
        (|r| r.k_vol = w("-1"), "k_vol", "must be ≥ 0"),
        (|r| r.k_skew = w("-1"), "k_skew", "must be ≥ 0"),
        (|r| r.horizon = Wad::ZERO, "horizon", "must be > 0"),
        (|r| r.floor = w("-0.01"), "floor", "must be in [0, cap]"),
        (|r| r.floor = w("0.51"), "floor", "must be in [0, cap]"),
        (|r| r.init_spread = Wad::ZERO, "init_spread", "must be > 0"),
        (
            |r| r.init_spread = w("0.500000000000000001"),
            "init_spread",
            "cap + init_spread must be ≤ 1",
        ),
        (
            |r| r.init_spread = Wad::MAX,
            "init_spread",
            "cap + init_spread must be ≤ 1",
        ),
    ];
    for (edit, what, why) in cases {
        let mut r = raw();
        edit(&mut r);
        assert_eq!(DynamicMarginParams::new(r), Err(invalid(what, why)), "{what}");
    }
    // The edge is valid: cap 0.95 + init_spread 0.05 = 1.
    let mut r = raw();
    r.cap = w("0.95");
    assert!(DynamicMarginParams::new(r).is_ok());
    assert_eq!(
        params().initial(w("0.51")),
        Err(invalid("maintenance", "must be in [0, cap]"))
    );
}

#[test]
fn abs_log_return_rounds_away_from_zero() {
    // ln 2 = 0.6931471805599453094… → ⌈⌉ = 0.69314718055994531, both directions of the move.
    assert_eq!(abs_log_return(w("2"), w("1")).unwrap(), w("0.69314718055994531"));
    assert_eq!(abs_log_return(w("1"), w("2")).unwrap(), w("0.69314718055994531"));
    assert_eq!(abs_log_return(w("7.5"), w("7.5")).unwrap(), Wad::ZERO);
    assert_eq!(
        abs_log_return(w("0"), w("1")),
        Err(invalid("prices", "every price must be > 0"))
    );
    assert_eq!(abs_log_return(Wad::MAX, Wad::EPSILON), Err(Error::Overflow));
}

#[test]
fn ewma_of_one_return_with_a_seed() {
    // |r| = 0.69314718055994531, s = ⌈r²⌉ = 0.480453013918201426 (0.48045301391820142466…);
    // v = s + ⌈0.94·(0.0004 − s)⌉
    //   = ⌈0.94·0.0004 + 0.06·0.480453013918201426⌉ = ⌈0.000376 + 0.02882718083509208556⌉
    //   = 0.029203180835092086; √v = 0.17088938186760488… → ⌈⌉ 0.170889381867604888;
    // √(365·v) = √10.65916100480861139 → ⌈⌉ 3.264837056394792177.
    let p = EwmaParams::new(EwmaParamsRaw {
        lambda: RISKMETRICS_LAMBDA,
        periods_per_year: 365,
        seed_variance: Some(w("0.0004")),
    })
    .unwrap();
    let v = ewma_vol(&[w("1"), w("2")], p).unwrap();
    assert_eq!(v.variance, w("0.029203180835092086"));
    assert_eq!(v.vol, w("0.170889381867604888"));
    assert_eq!(v.annual_vol, w("3.264837056394792177"));
    assert_eq!(v.returns, 1);
}

#[test]
fn ewma_without_seed_starts_at_the_first_squared_return() {
    // [1, 2, 2]: v1 = s1 = 0.480453013918201426; the second return is 0:
    // v2 = 0 + ⌈0.94 · 0.480453013918201426⌉ = ⌈0.45162583308310934044⌉ = 0.451625833083109341.
    let v = ewma_vol(&[w("1"), w("2"), w("2")], EwmaParams::riskmetrics_daily()).unwrap();
    assert_eq!(v.variance, w("0.451625833083109341"));
    assert_eq!(v.returns, 2);
}

#[test]
fn ewma_constant_prices_decay_the_seed() {
    // s = 0 each period: v_t = ⌈0.94·v_{t−1}⌉: 0.0004 → 0.000376 → 0.00035344 → 0.0003322336.
    let p = EwmaParams::new(EwmaParamsRaw {
        lambda: RISKMETRICS_LAMBDA,
        periods_per_year: 1,
        seed_variance: Some(w("0.0004")),
    })
    .unwrap();
    let v = ewma_vol(&[w("3"); 4], p).unwrap();
    assert_eq!(v.variance, w("0.0003322336"));
    // A variance of 1e-18 never decays below 1e-18: ⌈0.94e-18⌉ = 1e-18.
    let mut e = Ewma::new(
        EwmaParams::new(EwmaParamsRaw {
            lambda: RISKMETRICS_LAMBDA,
            periods_per_year: 1,
            seed_variance: Some(Wad::EPSILON),
        })
        .unwrap(),
    );
    for _ in 0..5 {
        e.observe(w("3")).unwrap();
    }
    assert_eq!(e.variance(), Some(Wad::EPSILON));
    assert_eq!(e.returns(), 4);
}

#[test]
fn ewma_errors() {
    let p = EwmaParams::riskmetrics_daily();
    assert_eq!(
        ewma_vol(&[w("1")], p),
        Err(invalid("prices", "must hold at least 2 prices"))
    );
    assert_eq!(ewma_vol(&[], p), Err(invalid("prices", "must hold at least 2 prices")));
    assert_eq!(
        ewma_vol(&[w("1"), w("-1")], p),
        Err(invalid("prices", "every price must be > 0"))
    );
    let bad = |lambda: &str, n: u32, seed: Option<&str>| {
        EwmaParams::new(EwmaParamsRaw {
            lambda: w(lambda),
            periods_per_year: n,
            seed_variance: seed.map(w),
        })
    };
    assert_eq!(bad("0", 365, None), Err(invalid("lambda", "must be in (0, 1)")));
    assert_eq!(bad("1", 365, None), Err(invalid("lambda", "must be in (0, 1)")));
    assert_eq!(bad("0.94", 0, None), Err(invalid("periods_per_year", "must be > 0")));
    assert_eq!(
        bad("0.94", 365, Some("-0.1")),
        Err(invalid("seed_variance", "must be ≥ 0"))
    );
    // An observation error leaves the state as it was.
    let mut e = Ewma::new(p);
    e.observe(w("1")).unwrap();
    assert_eq!(e.observe(Wad::ZERO), Err(invalid("prices", "every price must be > 0")));
    assert_eq!((e.last_price(), e.variance(), e.vol()), (Some(w("1")), None, Ok(None)));
}

fn governor(max_decrease: Option<&str>, buffer: &str, stressed: Option<&str>) -> MarginGovernor {
    let g = GovernorParams::new(GovernorParamsRaw {
        max_decrease: max_decrease.map(w),
        buffer: w(buffer),
        stressed_sigma: stressed.map(w),
    })
    .unwrap();
    MarginGovernor::new(params(), g)
}

#[test]
fn governor_buffer_absorbs_a_rise_and_the_rate_limit_slows_the_fall() {
    // dynamic mm = 0.05 + 0.1·σ; buffer 0.25, max_decrease 0.01.
    let mut g = governor(Some("0.01"), "0.25", None);
    // σ 0.5: R = 0.1, T = 0.125; the first period publishes T.
    let m = g.update(w("0.5"), Wad::ZERO).unwrap();
    assert_eq!(
        (m.requirement, m.target, m.maintenance),
        (w("0.1"), w("0.125"), w("0.125"))
    );
    assert_eq!(m.initial, w("0.175"));
    // σ 0.7: R = 0.12 ≤ 0.125: C = max(0.12, min(0.15, 0.125)) = 0.125 — the buffer absorbs it.
    let m = g.update(w("0.7"), Wad::ZERO).unwrap();
    assert_eq!(
        (m.requirement, m.maintenance, m.rate_limited),
        (w("0.12"), w("0.125"), false)
    );
    // σ 1.5: R = 0.2 > 0.125: the margin rises at once, to R only.
    let m = g.update(w("1.5"), Wad::ZERO).unwrap();
    assert_eq!(m.maintenance, w("0.2"));
    // σ 0.5: C = max(0.1, min(0.125, 0.2)) = 0.125, but 0.2 − 0.01 = 0.19 holds it up.
    let m = g.update(w("0.5"), Wad::ZERO).unwrap();
    assert_eq!((m.maintenance, m.rate_limited), (w("0.19"), true));
    for expect in ["0.18", "0.17", "0.16", "0.15", "0.14", "0.13"] {
        assert_eq!(g.update(w("0.5"), Wad::ZERO).unwrap().maintenance, w(expect));
    }
    // 0.13 − 0.01 = 0.12 < T = 0.125: the fall ends at the buffered target.
    let m = g.update(w("0.5"), Wad::ZERO).unwrap();
    assert_eq!((m.maintenance, m.rate_limited), (w("0.125"), false));
    assert_eq!(g.published(), Some(w("0.125")));
}

#[test]
fn governor_stressed_floor_and_cap() {
    // stressed σ 1: F = 0.05 + 0.1 = 0.15 > dynamic 0.06 at σ 0.1; no buffer: P = 0.15.
    let mut g = governor(None, "0", Some("1"));
    let m = g.update(w("0.1"), Wad::ZERO).unwrap();
    assert_eq!(
        (m.stressed_floor, m.requirement, m.maintenance),
        (Some(w("0.15")), w("0.15"), w("0.15"))
    );
    // The buffered target never passes the cap: R = 0.45 (σ 4), ⌈0.45·1.25⌉ = 0.5625 → 0.5.
    let mut g = governor(None, "0.25", None);
    assert_eq!(g.update(w("4"), Wad::ZERO).unwrap().maintenance, w("0.5"));
    // Without max_decrease the margin falls at once to the target: R 0.1 → T 0.125.
    assert_eq!(g.update(w("0.5"), Wad::ZERO).unwrap().maintenance, w("0.125"));
}

#[test]
fn governor_ratchet_and_resume() {
    let g = GovernorParams::new(GovernorParamsRaw {
        max_decrease: Some(Wad::ZERO),
        buffer: Wad::ZERO,
        stressed_sigma: None,
    })
    .unwrap();
    let mut gov = MarginGovernor::resume(params(), g, w("0.3")).unwrap();
    // A max_decrease of 0 never lets the margin fall: R = 0.1, P stays 0.3.
    let m = gov.update(w("0.5"), Wad::ZERO).unwrap();
    assert_eq!((m.maintenance, m.rate_limited), (w("0.3"), true));
    assert_eq!(
        MarginGovernor::resume(params(), g, w("0.51")),
        Err(invalid("previous", "must be in [0, cap] (the dynamic margin's cap)"))
    );
    assert_eq!(
        MarginGovernor::resume(params(), g, w("-0.01")),
        Err(invalid("previous", "must be in [0, cap] (the dynamic margin's cap)"))
    );
    // A failed update changes nothing.
    assert_eq!(gov.update(w("-1"), Wad::ZERO), Err(invalid("sigma", "must be ≥ 0")));
    assert_eq!(gov.published(), Some(w("0.3")));
}

#[test]
fn governor_params_name_the_bad_field() {
    let make = |d: Option<&str>, b: &str, s: Option<&str>| {
        GovernorParams::new(GovernorParamsRaw {
            max_decrease: d.map(w),
            buffer: w(b),
            stressed_sigma: s.map(w),
        })
    };
    assert_eq!(
        make(Some("-0.01"), "0", None),
        Err(invalid("max_decrease", "must be ≥ 0"))
    );
    assert_eq!(make(None, "-0.01", None), Err(invalid("buffer", "must be in [0, 1]")));
    assert_eq!(make(None, "1.01", None), Err(invalid("buffer", "must be in [0, 1]")));
    assert_eq!(
        make(None, "0", Some("-1")),
        Err(invalid("stressed_sigma", "must be ≥ 0"))
    );
    assert_eq!(make(None, "0", None), Ok(GovernorParams::OFF));
}

#[test]
fn size_scaling_uses_the_dynamic_margin_as_base() {
    // f = 0.01, size 10000: √ = 100, premium 1; 0.8·(1 + 0.1) = 0.88; 0.88 + 1 − 1 = 0.88.
    assert_eq!(size_scaled_margin(w("0.1"), w("0.01"), w("10000")).unwrap(), w("0.88"));
    // Size 1: premium 0.01, 0.88 + 0.01 − 1 < 0.1 → 0.1.
    assert_eq!(size_scaled_margin(w("0.1"), w("0.01"), w("-1")).unwrap(), w("0.1"));
    assert_eq!(size_scaled_margin(w("0.1"), Wad::ZERO, w("1000000")).unwrap(), w("0.1"));
    // The same as PerpParams::margin with that base margin.
    let perp = PerpParams::new(PerpParamsRaw {
        size_factor: w("0.003"),
        ..PerpParamsRaw::new(w("0.2"), w("0.1"))
    })
    .unwrap();
    for size in ["0", "1", "250", "40000", "123456.789"] {
        assert_eq!(
            size_scaled_margin(w("0.1"), w("0.003"), w(size)).unwrap(),
            perp.margin(HealthLevel::Maintenance, w(size)).unwrap(),
            "{size}"
        );
    }
    let s = size_scaled(w("0.1"), w("0.15"), w("0.01"), w("10000")).unwrap();
    // initial: 0.8·1.15 = 0.92, + 1 − 1 = 0.92.
    assert_eq!((s.maintenance, s.initial), (w("0.88"), w("0.92")));
    assert_eq!(
        size_scaled_margin(w("-0.1"), Wad::ZERO, Wad::ONE),
        Err(invalid("margin", "must be ≥ 0"))
    );
    assert_eq!(
        size_scaled_margin(w("0.1"), w("-1"), Wad::ONE),
        Err(invalid("size_factor", "must be ≥ 0"))
    );
}

#[test]
fn ewma_resumes_only_a_consistent_state() {
    let p = EwmaParams::riskmetrics_daily();
    // Resumed after [1, 2] with no seed: v = 0.480453013918201426; then 2 → 2: ⌈0.94·v⌉.
    let mut e = Ewma::resume(p, Some(w("0.480453013918201426")), Some(w("2")), 1).unwrap();
    e.observe(w("2")).unwrap();
    assert_eq!(e.variance(), Some(w("0.451625833083109341")));
    assert_eq!(e.returns(), 2);
    assert_eq!(
        Ewma::resume(p, Some(w("-1")), Some(w("2")), 1),
        Err(invalid("variance", "must be ≥ 0"))
    );
    assert_eq!(
        Ewma::resume(p, None, Some(w("2")), 1),
        Err(invalid("variance", "is required once there are returns"))
    );
    assert_eq!(
        Ewma::resume(p, Some(w("1")), Some(Wad::ZERO), 1),
        Err(invalid("prices", "the last price must be > 0"))
    );
    assert_eq!(
        Ewma::resume(p, Some(w("1")), None, 1),
        Err(invalid("returns", "must be 0 when there is no last price"))
    );
    assert_eq!(Ewma::resume(p, None, None, 0), Ok(Ewma::new(p)));
}
