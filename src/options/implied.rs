//! Implied volatility: the volatility at which the model's price equals a given price.

use super::inputs::{BsInputs, MAX_VOL, OptionKind};
use super::price::{forward_difference, price};
use crate::{Error, Result, Rounding, Wad};

/// The most bisection steps: the bracket `[1e-18, 10]` holds `10^19 < 2^64` grid points.
pub const MAX_STEPS: u32 = 64;

/// Whether the exact model price at volatility `vol` (raw units) is below `target`.
///
/// The price is never on the grid, so `price < target` exactly when its floor is below
/// `target`.
fn below(kind: OptionKind, base: &BsInputs, vol: i128, target: Wad) -> Result<bool> {
    Ok(price(kind, &base.with_vol(Wad::from_raw(vol))?, Rounding::Floor)? < target)
}

/// The implied volatility of a European option's `price`: the exact volatility `σ*` with
/// `BSM(σ*) = price`, rounded **down** to the 1e-18 grid.
///
/// The model price increases strictly with `σ` (vega is positive), from the discounted
/// intrinsic value `max(0, S·e^(-qt) - K·e^(-rt))` (call; `max(0, K·e^(-rt) - S·e^(-qt))` for
/// a put) as `σ → 0`. So `σ* = floor(σ*)` on the grid is the largest grid volatility `σ` in
/// `[0, 10]` whose price is below `price`, found by bisection: each step compares the exact
/// price at the midpoint with `price` (through the correctly rounded [`price`]), keeping
/// `BSM(lo) < price <= BSM(hi)`; it stops when `hi - lo` is one grid step, after at most
/// [`MAX_STEPS`] steps. The result is `0` when `σ*` is below `1e-18`.
///
/// Errors: [`Error::Invalid`] naming `spot`, `strike`, `t`, `rate` or `yield` as for
/// [`BsInputs::new`]; [`Error::Domain`] naming `price` when no `σ*` in `(0, 10]` exists: when
/// `price` is at or below the discounted intrinsic value (or not positive), or above the price
/// at `σ = 10` (which is below the no-arbitrage upper bound `S·e^(-qt)`, or `K·e^(-rt)` for a
/// put).
pub fn implied_vol(
    kind: OptionKind,
    target: Wad,
    spot: Wad,
    strike: Wad,
    t: Wad,
    rate: Wad,
    yield_: Wad,
) -> Result<Wad> {
    let base = BsInputs::new(spot, strike, MAX_VOL, t, rate, yield_)?;
    let domain = Error::Domain { what: "price" };
    if !target.is_positive() || below(kind, &base, MAX_VOL.raw(), target)? {
        return Err(domain);
    }
    if !below(kind, &base, 1, target)? {
        // σ* < 1e-18, if the price is above the intrinsic value at all: intrinsic < price
        // exactly when floor(intrinsic) < price (the intrinsic value is on the grid or never).
        let forward = match kind {
            OptionKind::Call => forward_difference(&base, Rounding::Floor)?,
            OptionKind::Put => forward_difference(&base, Rounding::Ceil)?.neg()?,
        };
        return if forward < target { Ok(Wad::ZERO) } else { Err(domain) };
    }
    let (mut lo, mut hi) = (1i128, MAX_VOL.raw());
    for _ in 0..MAX_STEPS {
        let Some(gap) = hi.checked_sub(lo).filter(|&g| g > 1) else {
            break;
        };
        let mid = lo.checked_add(gap / 2).ok_or(Error::Overflow)?;
        if below(kind, &base, mid, target)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(Wad::from_raw(lo))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Wad {
        s.parse().unwrap()
    }

    #[test]
    fn recovers_the_volatility_to_the_grid() {
        // p = floor(BSM(0.2)) lies below BSM(0.2) by less than 1e-18, and vega is about 37.5,
        // so σ* lies within 1e-18/37 below 0.2: it rounds down to 0.2 - 1e-18. The ceiling of
        // BSM(0.2) gives a σ* just above 0.2: 0.2.
        let i = BsInputs::new(w("100"), w("100"), w("0.2"), w("1"), w("0.05"), w("0")).unwrap();
        for kind in [OptionKind::Call, OptionKind::Put] {
            let iv = |r| {
                let p = price(kind, &i, r).unwrap();
                implied_vol(kind, p, i.spot(), i.strike(), i.t(), i.rate(), i.yield_()).unwrap()
            };
            assert_eq!(iv(Rounding::Floor), w("0.199999999999999999"));
            assert_eq!(iv(Rounding::Ceil), w("0.2"));
        }
    }

    #[test]
    fn errors_name_the_field_or_the_price() {
        let iv = |k, p: &str, s: &str, r: &str| implied_vol(k, w(p), w(s), w("100"), w("1"), w(r), Wad::ZERO);
        assert_eq!(
            iv(OptionKind::Call, "10", "0", "0"),
            Err(Error::Invalid { what: "spot" })
        );
        assert_eq!(
            iv(OptionKind::Call, "10", "100", "2"),
            Err(Error::Invalid { what: "rate" })
        );
        let domain = Err(Error::Domain { what: "price" });
        // Not positive; at the intrinsic value S - K = 20 (r = q = 0); at the bound S.
        assert_eq!(iv(OptionKind::Call, "0", "100", "0"), domain);
        assert_eq!(iv(OptionKind::Call, "20", "120", "0"), domain);
        assert_eq!(iv(OptionKind::Call, "120", "120", "0"), domain);
        assert_eq!(iv(OptionKind::Put, "100", "120", "0"), domain);
        // Just above the intrinsic value: σ* is tiny but positive (time value 1e-18 at
        // S = 120, K = 100 needs d2 near -9.6, i.e. σ* about 0.019).
        let v = iv(OptionKind::Call, "20.000000000000000001", "120", "0").unwrap();
        assert!(v.is_positive() && v < w("0.03"), "{v}");
    }
}
