//! `ln`: the natural logarithm, correctly rounded.
//!
//! # Algorithm (at each working width of `F` fractional bits)
//!
//! `x = 2^k · m` with `m` in `[1, 2)`, where `m` is computed directly from the raw value
//! (`m = X · 2^-k / 10^18`, one truncation). Then `ln m = 2·atanh(z)` with
//! `z = (m - 1)/(m + 1)` in `[0, 1/3)`, summed as `2·Σ z^(2i+1)/(2i+1)` until a term
//! vanishes, and `ln x = k·ln 2 + ln m`.
//!
//! # Error bound (in ulps `2^-F`)
//!
//! - `m` is truncated once: 1 ulp, which moves `ln m` by at most 1 ulp (`d ln m/dm <= 1`);
//! - `z` is a truncated quotient of exact operands: 1 ulp, moving `2·atanh z` by at most
//!   `2·(9/8)` ulps (`d atanh z/dz = 1/(1-z²) <= 9/8`);
//! - `z²` is off by at most 1 ulp; each power `z^(2i+1)` inherits the previous power's error
//!   times `z² < 1/9` plus one truncation (at most 2 ulps), each term one more truncation
//!   (3 ulps); with `n` terms and the vanished tail (< 1 ulp) the series is off by at most
//!   `3n + 1` ulps, doubled: `6n + 2`;
//! - `k·ln 2` with the truncated constant: at most `|k|` ulps.
//!
//! The total, `6n + 8 + |k|`, is what the attempt hands to
//! [`round_to_grid`](super::fx::round_to_grid).

use super::consts::LN2;
use super::fx::Fx;
use super::{Attempt, finish, ziv};
use crate::num::TEN18_U128;
use crate::{Error, Result, Rounding, Wad};

/// `ln x ≈ ±mag` within `err` ulps.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LnApprox<const N: usize> {
    /// `|ln x|`, below 48.
    pub(crate) mag: Fx<N>,
    /// `true` when `ln x < 0` (`x < 1`).
    pub(crate) negative: bool,
    /// The error bound of `mag`, in ulps.
    pub(crate) err: u128,
}

/// The binary exponent `k` with `2^k <= raw/10^18 < 2^(k+1)`, for `raw > 0`.
fn binary_exponent(raw: u128) -> i32 {
    // 2^59 < 10^18 < 2^60, so k is bit_length(raw) - 60 or one less. Both shifts below keep
    // the shifted value within 128 bits (bit lengths 60 + k <= 128 and bits - k = 60).
    let bits = 128i32.saturating_sub(raw.leading_zeros() as i32);
    let k = bits.saturating_sub(60);
    let below = if k >= 0 {
        raw < TEN18_U128.wrapping_shl(k.unsigned_abs())
    } else {
        raw.wrapping_shl(k.unsigned_abs()) < TEN18_U128
    };
    if below { k.saturating_sub(1) } else { k }
}

/// `ln` of a positive raw `Wad` magnitude, at width `N`.
pub(crate) fn ln_fx<const N: usize>(raw: u128) -> Option<LnApprox<N>> {
    let k = binary_exponent(raw);
    let m = Fx::<N>::from_wad_scaled(raw, k.checked_neg()?)?;
    // m in [1, 2) up to truncation; z = (m - 1)/(m + 1).
    let num = m.sub(&Fx::ONE).unwrap_or(Fx::ZERO);
    let den = m.add(&Fx::ONE)?;
    let z = num.div(&den)?;
    let z2 = z.square()?;
    let mut power = z;
    let mut sum = z;
    let mut n: u64 = 1;
    for i in 1..=u64::from(Fx::<N>::FRAC_BITS) {
        power = power.mul(&z2)?;
        let term = power.div_u64(2u64.saturating_mul(i).saturating_add(1))?;
        if term.is_zero() {
            break;
        }
        sum = sum.add(&term)?;
        n = i.saturating_add(1);
    }
    let ln_m = sum.shl(1)?;
    let ln2 = Fx::<N>::from_const(LN2.0, &LN2.1);
    let k_abs = u64::from(k.unsigned_abs());
    let k_ln2 = ln2.mul_u64(k_abs)?;
    let (mag, negative) = if k >= 0 {
        (k_ln2.add(&ln_m)?, false)
    } else {
        // |k|·ln 2 >= ln 2 > ln m: the result is negative.
        (k_ln2.sub(&ln_m)?, true)
    };
    let err = u128::from(6u64.saturating_mul(n).saturating_add(8).saturating_add(k_abs));
    Some(LnApprox { mag, negative, err })
}

struct LnOf(u128, Rounding);

impl Attempt for LnOf {
    fn at<const N: usize>(&self, last: bool) -> Option<Result<i128>> {
        let l = ln_fx::<N>(self.0)?;
        finish(&l.mag, l.err, 0, l.negative, self.1, last)
    }
}

impl Wad {
    /// `ln(self)`, the natural logarithm, rounded once to the 1e-18 grid in direction
    /// `rounding`.
    ///
    /// Domain `self > 0`, else [`Error::Domain`] naming `x`. `ln 1 = 0` exactly; every
    /// result fits (`|ln x| < 47`).
    ///
    /// ```
    /// use lce::{Rounding, Wad};
    /// let two = Wad::from_i64(2);
    /// assert_eq!(two.ln(Rounding::Floor)?.to_string(), "0.693147180559945309");
    /// assert_eq!(two.ln(Rounding::Ceil)?.to_string(), "0.69314718055994531");
    /// # Ok::<(), lce::Error>(())
    /// ```
    pub fn ln(self, rounding: Rounding) -> Result<Wad> {
        if self.raw() <= 0 {
            return Err(Error::domain("x", "ln needs x > 0"));
        }
        if self == Wad::ONE {
            return Ok(Wad::ZERO);
        }
        let raw = self.raw().unsigned_abs();
        match super::fast::ln(raw, rounding) {
            Some(fast) => fast.map(Wad::from_raw),
            None => ln_generic(raw, rounding),
        }
    }
}

/// The generic path ([`ziv`]), out of line: the fast attempt decides almost always.
#[cold]
#[inline(never)]
fn ln_generic(raw: u128, rounding: Rounding) -> Result<Wad> {
    ziv(&LnOf(raw, rounding)).map(Wad::from_raw)
}
