//! Property tests: the laws of the numeric core.
//!
//! - directed rounding brackets the exact value: `floor <= exact <= ceil`, `ceil - floor` is
//!   0 (exact) or 1e-18, for products, quotients and every transcendental function;
//! - the transcendental functions are monotone where the mathematics is;
//! - text round-trips exactly.

use lce::{Error, Rounding, Wad};
use proptest::prelude::*;

const SCALE: i128 = 1_000_000_000_000_000_000;

/// A signed 256-bit integer as (negative, magnitude hi, magnitude lo): exact products.
fn wide_mul(a: i128, b: i128) -> (bool, u128, u128) {
    let (x, y) = (a.unsigned_abs(), b.unsigned_abs());
    let m = u128::from(u64::MAX);
    let (x1, x0, y1, y0) = (x >> 64, x & m, y >> 64, y & m);
    let (p00, p01, p10, p11) = (x0 * y0, x0 * y1, x1 * y0, x1 * y1);
    let mid = (p00 >> 64) + (p01 & m) + (p10 & m);
    let lo = (mid << 64) | (p00 & m);
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    ((a < 0) != (b < 0) && (hi, lo) != (0, 0), hi, lo)
}

/// Compares two signed 256-bit values.
fn cmp_wide(a: (bool, u128, u128), b: (bool, u128, u128)) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (a.0, b.0) {
        (false, true) => Greater,
        (true, false) => Less,
        (false, false) => (a.1, a.2).cmp(&(b.1, b.2)),
        (true, true) => (b.1, b.2).cmp(&(a.1, a.2)),
    }
}

fn any_wad() -> impl Strategy<Value = Wad> {
    prop_oneof![
        any::<i128>().prop_map(Wad::from_raw),
        (-1_000_000_000_000_000_000_000i128..1_000_000_000_000_000_000_000).prop_map(Wad::from_raw),
        (-1_000_000_000i128..1_000_000_000).prop_map(Wad::from_raw),
    ]
}

fn positive_wad() -> impl Strategy<Value = Wad> {
    prop_oneof![
        (1i128..=i128::MAX).prop_map(Wad::from_raw),
        (1i128..10_000_000_000_000_000_000).prop_map(Wad::from_raw)
    ]
}

/// floor <= ceil <= floor + 1e-18, and both succeed or fail together.
fn bracket(f: impl Fn(Rounding) -> Result<Wad, Error>) -> Result<(), TestCaseError> {
    match (f(Rounding::Floor), f(Rounding::Ceil)) {
        (Ok(lo), Ok(hi)) => {
            prop_assert!(lo <= hi);
            prop_assert!(hi.raw() - lo.raw() <= 1, "floor {lo} ceil {hi}");
        }
        (Err(Error::Overflow), Err(Error::Overflow)) => {}
        // The floor may fit while the ceiling overflows, at the very top of the range.
        (Ok(lo), Err(Error::Overflow)) => prop_assert_eq!(lo, Wad::MAX),
        (Err(Error::Overflow), Ok(hi)) => prop_assert_eq!(hi, Wad::MIN),
        (a, b) => prop_assert_eq!(a.err(), b.err()),
    }
    Ok(())
}

proptest! {
    #[test]
    fn text_round_trips(w in any_wad()) {
        let s = w.to_string();
        prop_assert_eq!(s.parse::<Wad>(), Ok(w));
    }

    #[test]
    fn mul_brackets_the_exact_product(a in any_wad(), b in any_wad()) {
        // floor·10^18 <= a·b < (floor + 1)·10^18, and ceil is floor or floor + 1e-18.
        let exact = wide_mul(a.raw(), b.raw());
        match a.mul_floor(b) {
            Ok(lo) => {
                prop_assert_ne!(cmp_wide(wide_mul(lo.raw(), SCALE), exact), std::cmp::Ordering::Greater);
                if let Some(next) = lo.raw().checked_add(1) {
                    prop_assert_eq!(cmp_wide(wide_mul(next, SCALE), exact), std::cmp::Ordering::Greater);
                }
                let hi = a.mul_ceil(b);
                let on_grid = cmp_wide(wide_mul(lo.raw(), SCALE), exact) == std::cmp::Ordering::Equal;
                if on_grid { prop_assert_eq!(hi, Ok(lo)); } else if lo != Wad::MAX { prop_assert_eq!(hi.map(Wad::raw), Ok(lo.raw() + 1)); }
            }
            Err(e) => prop_assert_eq!(e, Error::Overflow),
        }
    }

    #[test]
    fn div_brackets_the_exact_quotient(a in any_wad(), b in any_wad()) {
        prop_assume!(!b.is_zero());
        // With q = floor(a/b): q·b <= a·10^18 < (q+1)·b for b > 0 (reversed for b < 0).
        let target = wide_mul(a.raw(), SCALE);
        match a.div_floor(b) {
            Ok(q) => {
                let (lo, hi) = (wide_mul(q.raw(), b.raw()), q.raw().checked_add(1).map(|n| wide_mul(n, b.raw())));
                if b.is_positive() {
                    prop_assert_ne!(cmp_wide(lo, target), std::cmp::Ordering::Greater);
                    if let Some(hi) = hi { prop_assert_eq!(cmp_wide(hi, target), std::cmp::Ordering::Greater); }
                } else {
                    prop_assert_ne!(cmp_wide(lo, target), std::cmp::Ordering::Less);
                    if let Some(hi) = hi { prop_assert_eq!(cmp_wide(hi, target), std::cmp::Ordering::Less); }
                }
                bracket(|r| a.div(b, r))?;
            }
            Err(e) => prop_assert_eq!(e, Error::Overflow),
        }
    }

    #[test]
    fn mul_div_rounds_once(a in any_wad(), b in any_wad(), c in any_wad()) {
        prop_assume!(!c.is_zero());
        bracket(|r| a.mul_div(b, c, r))?;
        // With c = 1 it is the plain product.
        prop_assert_eq!(a.mul_div(b, Wad::ONE, Rounding::Floor), a.mul_floor(b));
    }

    #[test]
    fn exp_brackets_and_is_monotone(x in -50_000_000_000_000_000_000i128..50_000_000_000_000_000_000, d in 1i128..1_000_000_000_000_000_000) {
        let (x, y) = (Wad::from_raw(x), Wad::from_raw(x + d));
        bracket(|r| x.exp(r))?;
        for r in [Rounding::Floor, Rounding::Ceil] {
            if let (Ok(fx), Ok(fy)) = (x.exp(r), y.exp(r)) { prop_assert!(fx <= fy); }
        }
    }

    #[test]
    fn ln_brackets_and_is_monotone(x in positive_wad(), d in 1i128..1_000_000_000_000) {
        let y = Wad::from_raw(x.raw().saturating_add(d));
        bracket(|r| x.ln(r))?;
        for r in [Rounding::Floor, Rounding::Ceil] {
            prop_assert!(x.ln(r)? <= y.ln(r)?);
        }
    }

    #[test]
    fn ln_inverts_exp(x in -40_000_000_000_000_000_000i128..46_000_000_000_000_000_000) {
        // ln(floor(e^x)) <= x <= ln(ceil(e^x)), each side rounded outward.
        let x = Wad::from_raw(x);
        let (lo, hi) = (x.exp(Rounding::Floor)?, x.exp(Rounding::Ceil)?);
        if lo.is_positive() { prop_assert!(lo.ln(Rounding::Floor)? <= x); }
        prop_assert!(hi.ln(Rounding::Ceil)? >= x);
    }

    #[test]
    fn sqrt_brackets_and_is_monotone(x in any_wad().prop_map(|w| Wad::from_raw(w.raw().saturating_abs())), d in 0i128..1_000_000) {
        let y = Wad::from_raw(x.raw().saturating_add(d));
        bracket(|r| x.sqrt(r))?;
        let (lo, hi) = (x.sqrt(Rounding::Floor)?, x.sqrt(Rounding::Ceil)?);
        // floor² <= x <= ceil²
        prop_assert!(lo.mul_floor(lo)? <= x);
        prop_assert!(hi.mul_ceil(hi)? >= x);
        prop_assert!(lo <= y.sqrt(Rounding::Floor)?);
    }

    #[test]
    fn pow_brackets(x in positive_wad(), p in -50_000_000_000_000_000_000i128..50_000_000_000_000_000_000) {
        bracket(|r| x.pow(Wad::from_raw(p), r))?;
    }

    #[test]
    fn pow_is_monotone_in_the_base(x in 1i128..100_000_000_000_000_000_000, d in 1i128..1_000_000_000_000_000, p in 1i128..5_000_000_000_000_000_000) {
        let (x, y, p) = (Wad::from_raw(x), Wad::from_raw(x + d), Wad::from_raw(p));
        for r in [Rounding::Floor, Rounding::Ceil] {
            if let (Ok(a), Ok(b)) = (x.pow(p, r), y.pow(p, r)) { prop_assert!(a <= b); }
        }
    }

    #[test]
    fn norm_cdf_brackets_and_is_monotone(x in -10_000_000_000_000_000_000i128..10_000_000_000_000_000_000, d in 1i128..1_000_000_000_000_000_000) {
        let (x, y) = (Wad::from_raw(x), Wad::from_raw(x + d));
        bracket(|r| x.norm_cdf(r))?;
        for r in [Rounding::Floor, Rounding::Ceil] {
            let (a, b) = (x.norm_cdf(r)?, y.norm_cdf(r)?);
            prop_assert!(a <= b);
            prop_assert!(Wad::ZERO <= a && b <= Wad::ONE);
        }
        // Symmetry: Φ(x) + Φ(-x) = 1, so floor(Φ(x)) + ceil(Φ(-x)) = 1 exactly.
        prop_assert_eq!(x.norm_cdf(Rounding::Floor)?.add(x.neg()?.norm_cdf(Rounding::Ceil)?)?, Wad::ONE);
    }

    #[test]
    fn norm_pdf_brackets_and_is_even(x in any_wad()) {
        bracket(|r| x.norm_pdf(r))?;
        if let Ok(nx) = x.neg() {
            prop_assert_eq!(x.norm_pdf(Rounding::Floor)?, nx.norm_pdf(Rounding::Floor)?);
        }
    }

    #[test]
    fn norm_inv_brackets_and_inverts_the_cdf(p in 1i128..SCALE) {
        let p = Wad::from_raw(p);
        bracket(|r| p.norm_inv(r))?;
        // Φ(floor(Φ⁻¹(p))) <= p <= Φ(ceil(Φ⁻¹(p))), each rounded outward.
        let (lo, hi) = (p.norm_inv(Rounding::Floor)?, p.norm_inv(Rounding::Ceil)?);
        prop_assert!(lo.norm_cdf(Rounding::Floor)? <= p);
        prop_assert!(hi.norm_cdf(Rounding::Ceil)? >= p);
    }

    #[test]
    fn native_units_round_trip(w in any_wad(), d in 0u32..=36) {
        // Converting out and back never gains value when both steps round down.
        if let Ok(n) = w.to_native(d, Rounding::Floor) {
            let back = Wad::from_native(n, d, Rounding::Floor)?;
            prop_assert!(back <= w);
            if d >= 18 { prop_assert_eq!(back, w); }
        }
    }

    #[test]
    fn fixed_adapters_round_outward(w in any_wad()) {
        // Converting back may leave the Wad range only at its very edges (the rounded-out
        // value is one binary ulp beyond it); everywhere else it brackets the original.
        let back_ok = |r: Result<Wad, Error>, ok: &dyn Fn(Wad) -> bool| match r {
            Ok(v) => ok(v),
            Err(e) => e == Error::Overflow && w.cmp_abs(Wad::from_i64(170_141_183_460_469_231)).is_gt(),
        };
        let (lo, hi) = (w.to_i80f48(Rounding::Floor)?, w.to_i80f48(Rounding::Ceil)?);
        prop_assert!(back_ok(Wad::from_i80f48(lo, Rounding::Floor), &|v| v <= w));
        prop_assert!(back_ok(Wad::from_i80f48(hi, Rounding::Ceil), &|v| v >= w));
        prop_assert!(hi.to_bits() - lo.to_bits() <= 1);
        if !w.is_negative() {
            let (lo, hi) = (w.to_u68f60(Rounding::Floor)?, w.to_u68f60(Rounding::Ceil)?);
            prop_assert!(back_ok(Wad::from_u68f60(lo, Rounding::Floor), &|v| v <= w));
            prop_assert!(back_ok(Wad::from_u68f60(hi, Rounding::Ceil), &|v| v >= w));
        }
    }
}

#[test]
fn domain_errors_name_the_argument() {
    let neg = Wad::from_i64(-1);
    assert_eq!(neg.ln(Rounding::Floor), Err(Error::domain("x", "ln needs x > 0")));
    assert_eq!(Wad::ZERO.ln(Rounding::Floor), Err(Error::domain("x", "ln needs x > 0")));
    assert_eq!(neg.sqrt(Rounding::Floor), Err(Error::domain("x", "sqrt needs x ≥ 0")));
    assert_eq!(
        neg.pow(Wad::ONE, Rounding::Floor),
        Err(Error::domain("x", "pow needs x ≥ 0"))
    );
    assert_eq!(
        Wad::ZERO.pow(Wad::ZERO, Rounding::Floor),
        Err(Error::domain("p", "0^p needs p > 0"))
    );
    assert_eq!(
        Wad::ZERO.norm_inv(Rounding::Floor),
        Err(Error::domain("x", "Φ⁻¹ needs 0 < x < 1"))
    );
    assert_eq!(
        Wad::ONE.norm_inv(Rounding::Floor),
        Err(Error::domain("x", "Φ⁻¹ needs 0 < x < 1"))
    );
    assert_eq!(Wad::ONE.div_floor(Wad::ZERO), Err(Error::DivisionByZero));
    assert_eq!(Wad::MAX.mul_floor(Wad::from_i64(2)), Err(Error::Overflow));
}
