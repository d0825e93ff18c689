//! `pow`: `x^p` for a positive base, correctly rounded.
//!
//! # Exact results
//!
//! `x^p` can be a rational number, and then it may lie exactly on the grid (`4^0.5 = 2`,
//! `0.25^1.5 = 0.125`), where no approximation can decide the rounding. Write `p = a/b` in
//! lowest terms and `x = u/v` in lowest terms. With `gcd(a, b) = 1`, `x^p` is rational exactly
//! when `u` and `v` are perfect `b`-th powers, `x^(1/b) = u'/v'`; then `x^p = (u'/v')^a`.
//! Since `u < 2^127` and `v <= 10^18`, a perfect `b`-th power other than 1 needs `b <= 127`,
//! and a power `(u'/v')^a` that is a grid point inside the `Wad` range needs `|a| <= 67`
//! (`v'^a` must divide `10^18`, or `u'^a <= 1.7e20`). So the exact test is a few integer
//! roots and powers, and every other case is irrational or off the grid, which the
//! approximation below decides.
//!
//! # Approximation (at each working width)
//!
//! `x^p = e^(p·ln x)`: `ln x` from [`ln_fx`](super::ln::ln_fx) within `E` ulps, times `|p|`
//! (an integer part and a fraction, so the product is within `E·(|p| + 1) + 2` ulps), then
//! [`exp_fx`](super::exp::exp_fx) with that input error. Exponents beyond the range
//! (`p·ln x > 47` overflows, `p·ln x < -42` gives a positive value below 1e-18) are decided
//! from the error interval without calling `exp`.

use core::num::NonZeroU128;

use super::exp::exp_fx;
use super::fx::Fx;
use super::ln::ln_fx;
use super::{Attempt, finish, ziv};
use crate::num::u256::div_rem;
use crate::num::{TEN18_NZ, TEN18_U128};
use crate::{Error, Result, Rounding, Wad};

/// `2^12·5^15`: every raw exponent `p` with an exact power is a multiple of it.
const P_EXACT_STEP: u128 = 4_096 * 30_517_578_125;

/// The greatest common divisor; `gcd(a, 0) = a`, and it is non-zero when `b` is.
fn gcd(mut a: u128, b: NonZeroU128) -> NonZeroU128 {
    let mut b = b;
    loop {
        let (_, t) = div_rem(a, b);
        match NonZeroU128::new(t) {
            None => return b,
            Some(t) => {
                a = b.get();
                b = t;
            }
        }
    }
}

/// The exact integer `b`-th root of `n`, if `n` is a perfect `b`-th power (`b >= 1`).
fn exact_root(n: u128, b: u32) -> Option<u128> {
    if b == 1 || n <= 1 {
        return Some(n);
    }
    // Binary search for r with r^b == n; r < 2^(128/b + 1).
    let bound = 128u32.checked_div(b).unwrap_or(128).saturating_add(1);
    let (mut lo, mut hi) = (1u128, 1u128.checked_shl(bound).unwrap_or(u128::MAX));
    while lo <= hi {
        let mid = lo.midpoint(hi);
        match mid.checked_pow(b) {
            Some(v) if v == n => return Some(mid),
            Some(v) if v < n => lo = mid.checked_add(1)?,
            _ => hi = mid.checked_sub(1)?,
        }
    }
    None
}

/// The raw value of `x^p` when it is exactly a grid point, else `None`.
fn exact_power(x_raw: u128, p_raw: i128) -> Option<i128> {
    let p_mag = p_raw.unsigned_abs();
    // `b <= 127` below needs `10^18/b = 2^(18-i)·5^(18-j)` (with `2^i <= 64`, `5^j <= 125`)
    // to divide `p_mag`: a multiple of `2^12·5^15`. A cheap early exit for most `p`.
    if !p_mag.is_multiple_of(P_EXACT_STEP) {
        return None;
    }
    let g = gcd(p_mag, TEN18_NZ);
    let (a, b) = (div_rem(p_mag, g).0, div_rem(TEN18_U128, g).0);
    if b > 127 || a > 130 {
        return None;
    }
    let b = u32::try_from(b).ok()?;
    let a = u32::try_from(a).ok()?;
    let gx = gcd(x_raw, TEN18_NZ);
    let (u, v) = (
        exact_root(div_rem(x_raw, gx).0, b)?,
        exact_root(div_rem(TEN18_U128, gx).0, b)?,
    );
    // x^p = (u/v)^a, or (v/u)^a for negative p.
    let (num, den) = if p_raw >= 0 {
        (u.checked_pow(a)?, v.checked_pow(a)?)
    } else {
        (v.checked_pow(a)?, u.checked_pow(a)?)
    };
    let (per_den, rest) = div_rem(TEN18_U128, NonZeroU128::new(den)?);
    if rest != 0 {
        return None;
    }
    i128::try_from(num.checked_mul(per_den)?).ok()
}

/// `|e| = |ln x|·|p|` where `p` has raw magnitude `p_mag`; `None` when it is `2^64` or more.
fn times_wad<const N: usize>(l: &Fx<N>, p_mag: u128) -> Option<Fx<N>> {
    let int = p_mag / TEN18_U128;
    let frac = Fx::<N>::from_wad_scaled(p_mag % TEN18_U128, 0)?;
    let int_lo = l.mul_u64(int as u64)?;
    let int_hi = l.mul_u64((int >> 64) as u64)?.shl(64)?;
    int_lo.add(&int_hi)?.add(&l.mul(&frac)?)
}

struct PowOf {
    x: u128,
    p: i128,
    rounding: Rounding,
}

/// How an attempt at `e = p·ln x` ended before `exp`.
enum Exponent<const N: usize> {
    /// `e` within `err` ulps, with its sign.
    Value(Fx<N>, bool, u128),
    /// `e` is certainly above the overflow bound.
    TooLarge,
    /// `e` is certainly below the underflow bound.
    TooSmall,
}

impl PowOf {
    fn exponent<const N: usize>(&self) -> Option<Exponent<N>> {
        let l = ln_fx::<N>(self.x)?;
        let negative = l.negative != (self.p < 0);
        let p_mag = self.p.unsigned_abs();
        let Some(e) = times_wad(&l.mag, p_mag) else {
            // |e| >= 2^64: far beyond either bound.
            return Some(if negative {
                Exponent::TooSmall
            } else {
                Exponent::TooLarge
            });
        };
        let p_ceil = (p_mag / TEN18_U128).saturating_add(1);
        let err = l.err.checked_mul(p_ceil)?.checked_add(3)?;
        let lower = e.sub_ulps_sat(err);
        if !negative && lower > Fx::from_int(47) {
            return Some(Exponent::TooLarge);
        }
        if negative && lower > Fx::from_int(42) {
            return Some(Exponent::TooSmall);
        }
        if e.int_part() >= 48 {
            return None; // the error interval is too wide to tell; more bits
        }
        Some(Exponent::Value(e, negative, err))
    }
}

impl Attempt for PowOf {
    fn at<const N: usize>(&self, last: bool) -> Option<Result<i128>> {
        match self.exponent::<N>()? {
            Exponent::TooLarge => Some(Err(Error::Overflow)),
            Exponent::TooSmall => Some(Ok(match self.rounding {
                Rounding::Floor => 0,
                Rounding::Ceil => 1,
            })),
            Exponent::Value(e, negative, err) => {
                let r = exp_fx(negative, &e, err)?;
                finish(&r.m, r.err, r.k, false, self.rounding, last)
            }
        }
    }
}

impl Wad {
    /// `self^p`, the exact power rounded once to the 1e-18 grid in direction `rounding`.
    ///
    /// Domain: `self > 0` with any `p`, or `self = 0` with `p > 0` (giving 0). A negative
    /// base is [`Error::Domain`] naming `x`; a zero base with `p <= 0` names `p`. Results
    /// above [`Wad::MAX`] are [`Error::Overflow`]; a positive result below `1e-18` rounds to
    /// `0` (floor) or `1e-18` (ceil). Exact powers (`4^0.5 = 2`) are returned exactly.
    ///
    /// ```
    /// use lce::{Rounding, Wad};
    /// let x = Wad::from_i64(2);
    /// let half: Wad = "0.5".parse()?;
    /// assert_eq!(x.pow(half, Rounding::Floor)?.to_string(), "1.414213562373095048");
    /// assert_eq!(Wad::from_i64(4).pow(half, Rounding::Ceil)?, Wad::from_i64(2));
    /// # Ok::<(), lce::Error>(())
    /// ```
    pub fn pow(self, p: Wad, rounding: Rounding) -> Result<Wad> {
        if self.is_negative() {
            return Err(Error::domain("x", "pow needs x ≥ 0"));
        }
        if self.is_zero() {
            return if p.is_positive() {
                Ok(Wad::ZERO)
            } else {
                Err(Error::domain("p", "0^p needs p > 0"))
            };
        }
        if p.is_zero() || self == Wad::ONE {
            return Ok(Wad::ONE);
        }
        let x = self.raw().unsigned_abs();
        if let Some(raw) = exact_power(x, p.raw()) {
            return Ok(Wad::from_raw(raw));
        }
        if let Some(fast) = super::fast::pow(x, p.raw(), rounding) {
            return fast.map(Wad::from_raw);
        }
        ziv(&PowOf {
            x,
            p: p.raw(),
            rounding,
        })
        .map(Wad::from_raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::num::math::test_gen::{Draw, SplitMix64};

    #[test]
    fn fast_path_agrees_with_generic_path() {
        let mut g = SplitMix64::new(3);
        let (mut decided, mut ordinary, mut ordinary_decided) = (0u32, 0u32, 0u32);
        for i in 0..crate::num::math::test_gen::iterations(9_000) {
            // x: anywhere, near 1, or in [1e-6, 1e6]; p: small with many digits, near an
            // integer, or large.
            let x = match i % 3 {
                0 => g.below(1 << 127).max(1) >> g.below(127),
                1 => TEN18_U128 + g.below(2_000_000_000) - 1_000_000_000,
                _ => (g.below(TEN18_U128 * 1_000_000) >> g.below(40)).max(1),
            };
            let p = match i % 5 {
                0 | 1 => g.below(20 * TEN18_U128) as i128 - 10 * TEN18_U128 as i128,
                2 => (g.below(81) as i128 - 40) * TEN18_U128 as i128 + g.below(7) as i128 - 3,
                3 => (g.below(1 << 100) >> g.below(100)) as i128,
                _ => -((g.below(1 << 90) >> g.below(90)) as i128),
            };
            if x == TEN18_U128 || p == 0 || exact_power(x, p).is_some() {
                continue;
            }
            let rounding = if i % 2 == 0 { Rounding::Floor } else { Rounding::Ceil };
            let generic = ziv(&PowOf { x, p, rounding });
            let fast = super::super::fast::pow(x, p, rounding);
            if let Some(f) = fast {
                assert_eq!(f, generic, "{x} {p}");
                decided += 1;
            }
            if i % 3 == 2 && i % 5 < 2 {
                ordinary += 1;
                ordinary_decided += u32::from(fast.is_some());
            }
        }
        // Away from results above 2^58 the fast path nearly always decides.
        assert!(
            decided * 9 > crate::num::math::test_gen::iterations(9_000) * 8 && ordinary_decided * 100 > ordinary * 90,
            "{decided} {ordinary_decided}/{ordinary}"
        );
    }

    #[test]
    fn exact_powers() {
        let w = |s: &str| s.parse::<Wad>().unwrap_or(Wad::ZERO);
        assert_eq!(
            exact_power(4 * TEN18_U128, 500_000_000_000_000_000),
            Some(2 * TEN18_U128 as i128)
        );
        assert_eq!(
            exact_power(250_000_000_000_000_000, 1_500_000_000_000_000_000),
            Some(125_000_000_000_000_000)
        );
        assert_eq!(
            exact_power(2 * TEN18_U128, 3 * TEN18_U128 as i128),
            Some(8 * TEN18_U128 as i128)
        );
        assert_eq!(
            exact_power(2 * TEN18_U128, -(TEN18_U128 as i128)),
            Some(500_000_000_000_000_000)
        );
        assert_eq!(exact_power(3 * TEN18_U128, -(TEN18_U128 as i128)), None); // 1/3 is off the grid
        assert_eq!(exact_power(2 * TEN18_U128, 500_000_000_000_000_000), None); // irrational
        assert_eq!(w("1.5").pow(w("2"), Rounding::Floor), Ok(w("2.25")));
        assert_eq!(
            w("0").pow(w("0"), Rounding::Floor),
            Err(Error::domain("p", "0^p needs p > 0"))
        );
        assert_eq!(
            w("-1").pow(w("2"), Rounding::Floor),
            Err(Error::domain("x", "pow needs x ≥ 0"))
        );
        assert_eq!(w("3").pow(w("-1"), Rounding::Floor), Ok(w("0.333333333333333333")));
        assert_eq!(w("3").pow(w("-1"), Rounding::Ceil), Ok(w("0.333333333333333334")));
        assert_eq!(w("10").pow(w("100"), Rounding::Ceil), Err(Error::Overflow));
        assert_eq!(w("10").pow(w("-100"), Rounding::Ceil), Ok(Wad::EPSILON));
        assert_eq!(exact_root(1 << 120, 8), Some(1 << 15));
        assert_eq!(exact_root((1 << 120) + 1, 8), None);
    }
}
