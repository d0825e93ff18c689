//! Implied volatility: the volatility at which the model's price equals a given price.

use super::inputs::{BsInputs, BsInputsRaw, MAX_VOL, OptionKind};
use super::model::Model;
use super::price::{forward_difference, price};
use crate::num::ball::Ball128;
use crate::wad;
use crate::{Error, Result, Rounding, Wad};

/// The most bisection steps: the bracket `[1e-18, 10]` holds `10^19 < 2^64` grid points.
pub const MAX_STEPS: u32 = 64;
/// The most Newton steps of the first guess (from Manaster and Koehler's start the iteration
/// converges monotonically, but only linearly while far from the root).
pub const MAX_NEWTON_STEPS: u32 = 24;
/// The half-width of the first bracket tried around the guess, in grid steps; it grows 256
/// times at each of up to 4 retries before the whole range `[1e-18, 10]` is bisected.
const BRACKET: i128 = 4;

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
/// To save steps, the bisection starts from a narrow bracket when one can be verified: up to
/// [`MAX_NEWTON_STEPS`] Newton steps on the 128-bit approximations of the price and vega
/// propose `σ0`, and `[σ0 - 4e-18, σ0 + 4e-18]` (then 256 times wider, up to 4 times) is
/// used when the exact comparisons confirm `BSM(lo) < price <= BSM(hi)`; otherwise the whole
/// range. The guess only changes the speed: every bracket is verified, so the result is the
/// same grid point.
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
    let base = BsInputs::new(BsInputsRaw {
        spot,
        strike,
        vol: MAX_VOL,
        t,
        rate,
        yield_,
    })?;
    let domain = Error::domain(
        "price",
        "no vol in (0, 10] gives this price: it must exceed the intrinsic value and not exceed the price at vol 10",
    );
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
    let (mut lo, mut hi) = bracket(kind, &base, target)?;
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

/// A verified bracket `(lo, hi)` with `BSM(lo) < target <= BSM(hi)`, narrow when the Newton
/// guess allows, else `(1e-18, 10)` (whose ends the caller has checked).
fn bracket(kind: OptionKind, base: &BsInputs, target: Wad) -> Result<(i128, i128)> {
    let full = (1i128, MAX_VOL.raw());
    let Some(guess) = newton(kind, base, target) else {
        return Ok(full);
    };
    let mut half = BRACKET;
    for _ in 0..5 {
        let lo = guess.saturating_sub(half).max(full.0);
        let hi = guess.saturating_add(half).min(full.1);
        if below(kind, base, lo, target)? && !below(kind, base, hi, target)? {
            return Ok((lo, hi));
        }
        half = half.saturating_mul(256);
    }
    Ok(full)
}

/// Newton's iteration `σ ← σ - (BSM(σ) - target)/vega(σ)` on the centres of the 128-bit
/// balls, kept in `[1e-18, 10]`, from Manaster and Koehler's start
/// `σ0 = √(2·|ln(S/K) + (r - q)·t| / t)` (where vega is largest, so that the iteration
/// converges monotonically), or `0.3` at the money; `None` when a step cannot be computed.
#[inline(never)]
fn newton(kind: OptionKind, base: &BsInputs, target: Wad) -> Option<i128> {
    let p = Ball128::from_wad(target.raw())?;
    let mut v = start(base).unwrap_or(wad!("0.3").raw());
    for _ in 0..MAX_NEWTON_STEPS {
        let core = Model::<Ball128>::new(&base.with_vol(Wad::from_raw(v)).ok()?)?;
        let step = core.price(kind)?.sub(&p)?.div(&core.vega()?)?;
        let step = step.centre_to_grid(Rounding::Floor)?;
        v = v.saturating_sub(step).clamp(1, MAX_VOL.raw());
        if step.unsigned_abs() <= 1 {
            break;
        }
    }
    Some(v)
}

/// `√(2·|ln(S/K) + (r - q)·t| / t)` in raw units, clamped to `[1e-4, 10]`; `None` when it
/// cannot be computed (at the money, where it is `0`).
#[inline(never)]
fn start(base: &BsInputs) -> Option<i128> {
    let t = Ball128::from_wad(base.t().raw())?;
    let ln_sk = Ball128::ln_wad(base.spot().raw())?.sub(&Ball128::ln_wad(base.strike().raw())?)?;
    let rq = Ball128::from_wad(base.rate().raw().checked_sub(base.yield_().raw())?)?;
    let x = ln_sk.add(&rq.mul(&t)?)?;
    let x = x.abs().scale2(1)?.div(&t)?.sqrt()?;
    let v = x.centre_to_grid(Rounding::Floor)?;
    Some(v.clamp(wad!("0.0001").raw(), MAX_VOL.raw()))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::w;

    #[test]
    fn recovers_the_volatility_to_the_grid() {
        // p = floor(BSM(0.2)) lies below BSM(0.2) by less than 1e-18, and vega is about 37.5,
        // so σ* lies within 1e-18/37 below 0.2: it rounds down to 0.2 - 1e-18. The ceiling of
        // BSM(0.2) gives a σ* just above 0.2: 0.2.
        let i = BsInputs::new(BsInputsRaw {
            spot: w("100"),
            strike: w("100"),
            vol: w("0.2"),
            t: w("1"),
            rate: w("0.05"),
            ..BsInputsRaw::default()
        })
        .unwrap();
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
            Err(Error::invalid("spot", "must be in (0, 10^18]"))
        );
        assert_eq!(
            iv(OptionKind::Call, "10", "100", "2"),
            Err(Error::invalid("rate", "must be in [-1, 1]"))
        );
        let domain = Err(Error::domain(
            "price",
            "no vol in (0, 10] gives this price: it must exceed the intrinsic value and not exceed the price at vol 10",
        ));
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

    /// The plain bisection over the whole range, for comparison.
    fn bisect_all(kind: OptionKind, base: &BsInputs, target: Wad) -> i128 {
        let (mut lo, mut hi) = (1i128, MAX_VOL.raw());
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if below(kind, base, mid, target).unwrap() {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    }

    #[test]
    fn the_newton_bracket_changes_nothing_but_the_speed() {
        // The last set is 76 standard deviations in the money: its price is the intrinsic
        // value plus e^-2900, and a grid price above that needs a far higher σ*, which Newton
        // approaches too slowly; the whole range is bisected, to the same answer.
        for (n, (k, vol, t, r, q)) in [
            ("100", "0.2", "1", "0.05", "0"),
            ("60", "0.9", "0.02", "0.01", "0.03"),
            ("180", "0.15", "3", "-0.01", "0.02"),
            ("100.5", "4", "0.5", "0", "0"),
            ("30", "0.05", "0.1", "0.1", "0"),
        ]
        .into_iter()
        .enumerate()
        {
            let base = BsInputs::new(BsInputsRaw {
                spot: w("100"),
                strike: w(k),
                vol: w(vol),
                t: w(t),
                rate: w(r),
                yield_: w(q),
            })
            .unwrap();
            for kind in [OptionKind::Call, OptionKind::Put] {
                let p = price(kind, &base, Rounding::Ceil).unwrap();
                let Ok(v) = implied_vol(
                    kind,
                    p,
                    base.spot(),
                    base.strike(),
                    base.t(),
                    base.rate(),
                    base.yield_(),
                ) else {
                    continue;
                };
                if v.is_positive() {
                    assert_eq!(
                        v.raw(),
                        bisect_all(kind, &base.with_vol(MAX_VOL).unwrap(), p),
                        "{k} {vol}"
                    );
                }
                // The guess lands within the first bracket for the ordinary options.
                let (lo, hi) = bracket(kind, &base, p).unwrap();
                assert!(n == 4 || hi - lo <= 2 * BRACKET, "{k} {vol} {kind:?}: {lo} {hi}");
            }
        }
    }
}
