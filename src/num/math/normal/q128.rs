//! `S128`: signed binary fractions of 128 bits, the working format of the fast path.
//!
//! A value is `±mag / 2^128` with `mag: u128`, so its magnitude is below 1. The operations
//! truncate the magnitude (round toward zero) and each doc comment states its error in units
//! of the last place (ulp, `2^-128`). Operations whose result could reach 1 return `None`.
//!
//! This is the 128-bit counterpart of [`Fx<3>`](super::super::fx::Fx) without its integer
//! limb, written directly on `u128` because the series of the fast path spend nearly all
//! their time in these few operations.
#![allow(clippy::arithmetic_side_effects)] // bounded limb arithmetic: each fn says why it cannot overflow

use crate::num::TEN18;
use crate::num::u256::{LOW64, mul_wide};

/// `floor(a · b / 2^128)`: the product of two fractions, truncated (error below 1 ulp).
///
/// The exact high half of the 256-bit product ([`mul_wide`]), itself below `2^128`.
#[inline]
pub(super) const fn mul_frac(a: u128, b: u128) -> u128 {
    mul_wide(a, b).0
}

/// `floor(a · k / 2^s)` for `s <= 64` (error below 1 ulp, none when exact), `None` when the
/// result is 1 or more.
///
/// `a·k = a1·k·2^64 + a0·k` with `a1·k, a0·k < 2^128`, and `2^s` divides `2^64`, so the
/// floor is `a1·k·2^(64-s) + floor(a0·k / 2^s)`; the first term is checked before shifting.
pub(super) fn mul_u64_shr(a: u128, k: u64, s: u32) -> Option<u128> {
    if s > 64 {
        return None;
    }
    let (a1, a0) = (a >> 64, a & LOW64);
    let hi = a1 * u128::from(k);
    let up = 64 - s;
    if up > 0 && hi >> (128 - up) != 0 {
        return None;
    }
    let lo = (a0 * u128::from(k)) >> s;
    (hi << up).checked_add(lo)
}

/// `2^128 / 10^18 = I + F / 2^64 + ε / 2^64` with `0 <= ε < 1`.
const WAD_I: u128 = 340_282_366_920_938_463_463;
/// See [`WAD_I`].
const WAD_F: u128 = 6_910_287_421_937_809_894;

/// The fraction `d / 10^18` for `d < 2^55` raw units, truncated, with error below 2 ulps
/// (and never above the exact value).
///
/// The exact value is `d·I + d·F/2^64 + d·ε/2^64` (`d·I < 2^55·2^69 = 2^124`); the result
/// drops the last term (below `d/2^64 < 1`) and the fraction of the middle one (below 1).
pub(super) fn frac_of_wad(d: u64) -> Option<u128> {
    if d >= 1 << 55 {
        return None;
    }
    let d = u128::from(d);
    Some(d * WAD_I + ((d * WAD_F) >> 64))
}

/// `floor(num · 2^128 / den)` for `num < den`: the fraction `num/den`, truncated once (error
/// below 1 ulp). Two long-division steps of 64 bits; each quotient is below `2^64` since the
/// running remainder is below `den`.
pub(super) fn frac_div(num: u64, den: u64) -> Option<u128> {
    if num >= den {
        return None;
    }
    let d = u128::from(den);
    let t1 = u128::from(num) << 64;
    let (q1, r1) = (t1 / d, t1 % d);
    let q0 = (r1 << 64) / d;
    Some((q1 << 64) | q0)
}

/// `n / d` for fractions `n < d`, about `floor(n · 2^128 / d)`: within a few ulps, for the
/// approximations of the inverse (which the exact comparisons then check, so no bound is
/// claimed here).
///
/// A first quotient divides by the top 64 bits `d1` of the normalised `d` (two 128-by-64
/// divisions; relative error below `2^-63`), and a second one corrects it by the same
/// division of the residual `n - q·d`.
pub(super) fn div_frac(n: u128, d: u128) -> Option<u128> {
    if n >= d {
        return None;
    }
    // Normalised (the quotient is unchanged), so that the residual keeps full precision.
    let lz = d.leading_zeros();
    let (d, n) = (d << lz, n << lz);
    let q = div_top(n, d)?;
    let back = mul_frac(q, d);
    if back <= n {
        q.checked_add(div_top(n - back, d)?)
    } else {
        q.checked_sub(div_top(back - n, d)?)
    }
}

/// `n · 2^128 / d` to a relative `2^-63`, `None` unless `n < d`. With `d` normalised to
/// `dn` in `[2^127, 2^128)` (and `n` shifted alike, still below `dn`), `d1 = dn >> 64` and
/// `n·2^64 / d1` taken by long division of 64-bit digits: the first digit `n >> 64` is at
/// most `d1`, equality meaning a quotient near 1, refused.
pub(super) fn div_top(n: u128, d: u128) -> Option<u128> {
    if n >= d {
        return None;
    }
    let lz = d.leading_zeros();
    let (dn, nn) = (d << lz, n << lz);
    let d1 = dn >> 64;
    let (a, b) = (nn >> 64, nn & LOW64);
    if a >= d1 {
        return None;
    }
    let t1 = (a << 64) | b;
    let (q1, r1) = (t1 / d1, t1 % d1);
    let q0 = (r1 << 64) / d1;
    Some((q1 << 64) | q0)
}

/// Rounds a fraction `v` known within `e` ulps to the 1e-18 grid, or defers.
///
/// The exact value is positive, below 1, and known not to be a grid point. Returns the raw
/// `Wad` of the floor (or ceiling) when the whole interval `[v - e, v + e]` (cut at 0) lies
/// in one grid cell `[q, q + 1)·10^-18` with its upper end strictly inside: then the exact
/// value is in `(q, q + 1)·10^-18`. `None` when a grid point is inside or `v + e >= 1`.
///
/// With `w = w1·2^64 + w0`, `p1 = w1·10^18` and `p0 = w0·10^18` are below `2^124`, and
/// `floor(w·10^18 / 2^128) = floor((p1 + floor(p0 / 2^64)) / 2^64)` (the sum is below
/// `2^125`); `w·10^18` is a multiple of `2^128` exactly when its low 128 bits,
/// `p1·2^64 + p0 mod 2^128`, are zero.
pub(super) fn decide(v: u128, e: u128, rounding: crate::Rounding) -> Option<i128> {
    let lo = v.saturating_sub(e);
    let hi = v.checked_add(e)?;
    let scaled = |w: u128| -> (u128, bool) {
        let (w1, w0) = (w >> 64, w & LOW64);
        let p1 = w1 * u128::from(TEN18); // < 2^124
        let p0 = w0 * u128::from(TEN18); // < 2^124
        let top = (p1 + (p0 >> 64)) >> 64; // p1 + p0/2^64 < 2^125
        let low_zero = (p1 << 64).wrapping_add(p0) == 0;
        (top, low_zero)
    };
    let (q_lo, _) = scaled(lo);
    let (q_hi, hi_on_grid) = scaled(hi);
    if q_lo != q_hi || hi_on_grid {
        return None;
    }
    let q = i128::try_from(q_lo).ok()?;
    match rounding {
        crate::Rounding::Floor => Some(q),
        crate::Rounding::Ceil => q.checked_add(1),
    }
}

/// Reciprocals: `RECIP[n] = floor((2^128 - 1) / n)` for `1 <= n <= 64` (entry 0 unused).
///
/// Multiplying by such a reciprocal divides by `n` with an error below 2 ulps, never above
/// the exact quotient: `RECIP[n] >= 2^128/n - 1`, so `mul_frac(w, RECIP[n]) > w/n - w/2^128
/// - 1 > w/n - 2` for `w < 2^128`.
#[allow(clippy::indexing_slicing)] // evaluated at compile time: a bad index is a build error
pub(super) static RECIP: [u128; 65] = {
    let mut t = [0u128; 65];
    let mut n = 1;
    while n < 65 {
        t[n] = u128::MAX / n as u128;
        n += 1;
    }
    t
};

/// `RECIP_PAIR[k] = floor((2^128 - 1) / ((k+1)(k+2)))` for `k < 64`: division by
/// `(k+1)(k+2)` with an error below 2 ulps, as for [`RECIP`].
#[allow(clippy::indexing_slicing)] // evaluated at compile time: a bad index is a build error
pub(super) static RECIP_PAIR: [u128; 64] = {
    let mut t = [0u128; 64];
    let mut k = 0;
    while k < 64 {
        t[k] = u128::MAX / ((k as u128 + 1) * (k as u128 + 2));
        k += 1;
    }
    t
};

/// The tail format: a series term `t` is carried as an `i64` mantissa `m ≈ t · 2^85`.
///
/// Once two consecutive terms are below `2^-23` (so every later term is too, up to a few
/// units), the series go on in 64-bit arithmetic at the fixed scale `2^-85`, one unit being
/// `2^TAIL_SHIFT` ulps of `2^-128`: mantissas stay below `2^62` plus a few units.
pub(super) const TAIL_SHIFT: u32 = 43;
/// Terms of at most this many bits (below `2^-23`) may switch to the tail format.
pub(super) const TAIL_SWITCH_BITS: u32 = 105;

/// A term below `2^-23` in the tail format, truncated (error below 1 unit).
pub(super) fn to_tail(t: S128) -> Option<i64> {
    let m = i64::try_from(t.mag >> TAIL_SHIFT).ok()?;
    Some(if t.neg { -m } else { m })
}

/// A coefficient below `1/2` (`A`, `B`) as `i64` of scale `2^-64`, truncated (error below
/// `2^-64`); `None` when it is `1/2` or more.
pub(super) fn coef64(c: S128) -> Option<i64> {
    let m = i64::try_from(c.mag >> 64).ok()?;
    Some(if c.neg { -m } else { m })
}

/// `floor(a · b / 2^64)` for `i64` operands: the product is below `2^126` in magnitude, the
/// result below `2^62` when one operand is a coefficient or reciprocal below `2^63` and
/// the other a tail mantissa below `2^63`. Error below 1 unit (toward `-∞`).
pub(super) const fn mul64(a: i64, b: i64) -> i64 {
    ((a as i128 * b as i128) >> 64) as i64
}

/// A sum of tail mantissas (exact `i128`) back in 128-bit fractions: `sum · 2^TAIL_SHIFT`,
/// `None` when its magnitude reaches 1.
pub(super) fn from_tail(sum: i128) -> Option<S128> {
    let mag = sum.unsigned_abs();
    if mag >> (128 - TAIL_SHIFT) != 0 {
        return None;
    }
    Some(S128::new(mag << TAIL_SHIFT, sum < 0))
}

/// `RECIP64[n] = floor(2^64 / n)` for `3 <= n <= 64` (smaller entries unused, 0): multiplying
/// a mantissa `|t| < 2^63` by it and keeping the high part divides by `n` with an error below
/// 2 units (`RECIP64[n] > 2^64/n - 1`, so `t·RECIP64[n]/2^64` is within `|t|/2^64 < 1` of
/// `t/n`, and the floor adds below 1).
#[allow(clippy::indexing_slicing)] // evaluated at compile time: a bad index is a build error
pub(super) static RECIP64: [i64; 65] = {
    let mut t = [0i64; 65];
    let mut n = 3;
    while n < 65 {
        t[n] = ((1u128 << 64) / n as u128) as i64;
        n += 1;
    }
    t
};

/// `RECIP64_PAIR[k] = floor(2^64 · k / ((k+1)(k+2)))` for `1 <= k < 64` (entry 0 unused,
/// 0): at most `2^64/6 < 2^63`, error as for [`RECIP64`].
#[allow(clippy::indexing_slicing)] // evaluated at compile time: a bad index is a build error
pub(super) static RECIP64_PAIR: [i64; 64] = {
    let mut t = [0i64; 64];
    let mut k = 1;
    while k < 64 {
        t[k] = ((k as u128) * (1u128 << 64) / ((k as u128 + 1) * (k as u128 + 2))) as i64;
        k += 1;
    }
    t
};

/// A signed fraction `±mag / 2^128`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct S128 {
    /// The magnitude, in units of `2^-128`.
    pub(super) mag: u128,
    /// `true` when negative.
    pub(super) neg: bool,
}

impl S128 {
    /// Zero.
    pub(super) const ZERO: Self = Self { mag: 0, neg: false };

    /// A value from its magnitude and sign.
    pub(super) const fn new(mag: u128, neg: bool) -> Self {
        Self { mag, neg }
    }

    /// `-self` (exact).
    pub(super) const fn neg(self) -> Self {
        Self {
            mag: self.mag,
            neg: !self.neg,
        }
    }

    /// `self · rhs`, magnitude truncated (error below 1 ulp).
    pub(super) const fn mul(self, rhs: Self) -> Self {
        Self {
            mag: mul_frac(self.mag, rhs.mag),
            neg: self.neg != rhs.neg,
        }
    }

    /// `self · k` (exact), `None` when the magnitude reaches 1.
    pub(super) fn mul_u64(self, k: u64) -> Option<Self> {
        Some(Self {
            mag: mul_u64_shr(self.mag, k, 0)?,
            neg: self.neg,
        })
    }

    /// `self / n` given `recip = floor((2^128 - 1) / n)` (an entry of [`RECIP`] or
    /// [`RECIP_PAIR`]): error below 2 ulps.
    pub(super) const fn div_recip(self, recip: u128) -> Self {
        Self {
            mag: mul_frac(self.mag, recip),
            neg: self.neg,
        }
    }

    /// `self + rhs` (exact), `None` when the magnitude reaches 1.
    pub(super) fn add(self, rhs: Self) -> Option<Self> {
        if self.neg == rhs.neg {
            Some(Self {
                mag: self.mag.checked_add(rhs.mag)?,
                neg: self.neg,
            })
        } else if self.mag >= rhs.mag {
            Some(Self {
                mag: self.mag - rhs.mag,
                neg: self.neg,
            })
        } else {
            Some(Self {
                mag: rhs.mag - self.mag,
                neg: rhs.neg,
            })
        }
    }

    /// The number of significant bits of the magnitude: `|self| < 2^(bits - 128)`.
    pub(super) const fn bits(self) -> u32 {
        128 - self.mag.leading_zeros()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul_frac_is_the_exact_high_half() {
        let m = u128::MAX;
        assert_eq!(mul_frac(m, m), m - 1);
        assert_eq!(mul_frac(1 << 127, 1 << 127), 1 << 126);
        assert_eq!(mul_frac(m, 1), 0);
        assert_eq!(mul_frac(3 << 126, 3 << 126), 9 << 124);
        // (2^128 - 1)(2^64 + 1) / 2^128 = 2^64 + 1 - (2^64+1)/2^128  -> 2^64
        assert_eq!(mul_frac(m, (1 << 64) + 1), 1 << 64);
    }

    #[test]
    fn helpers() {
        assert_eq!(mul_u64_shr(1 << 120, 144, 4), Some(9 << 120));
        assert_eq!(mul_u64_shr(1 << 127, 2, 0), None);
        assert_eq!(mul_u64_shr(u128::MAX, 16, 4), Some(u128::MAX));
        // 1/32 exactly: 2^123.
        let q = frac_of_wad(31_250_000_000_000_000).unwrap_or(0);
        assert!(q <= 1 << 123 && (1u128 << 123) - q < 2, "{q}");
        assert_eq!(frac_of_wad(1 << 55), None);
        assert_eq!(S128::new(5, false).add(S128::new(7, true)), Some(S128::new(2, true)));
        assert_eq!(S128::new(1 << 127, false).mul_u64(2), None);
        assert!((1u128 << 101) - S128::new(6 << 100, false).div_recip(RECIP[3]).mag < 2);
        assert_eq!(RECIP_PAIR[1], RECIP[6]);
        assert_eq!(frac_div(1, 4), Some(1 << 126));
        let q = div_frac(1 << 100, 3 << 100).unwrap_or(0);
        assert!(q.abs_diff(u128::MAX / 3) < 4, "{q:x}");
        let q = div_frac(12_345 << 60, 0x662114cf50d942343f2cf1402eae38bf).unwrap_or(0);
        let back = mul_frac(q, 0x662114cf50d942343f2cf1402eae38bf);
        assert!(back.abs_diff(12_345 << 60) < 4, "{q:x}");
        assert_eq!(div_frac(5, 5), None);
        use crate::Rounding::{Ceil, Floor};
        let third = u128::MAX / 3;
        assert_eq!(decide(third, 4, Floor), Some(333_333_333_333_333_333));
        assert_eq!(decide(third, 4, Ceil), Some(333_333_333_333_333_334));
        assert_eq!(decide(1 << 127, 1, Floor), None); // 1/2 is a grid point
        assert_eq!(decide((1 << 127) - 2, 1, Floor), Some(499_999_999_999_999_999));
        assert_eq!(decide(1 << 60, 1 << 59, Floor), Some(0)); // 2^-68 < 1e-18
        assert_eq!(decide(1 << 60, 1 << 59, Ceil), Some(1));
        assert_eq!(decide(u128::MAX - 1, 2, Floor), None);
        assert_eq!(decide(u128::MAX - 2, 1, Floor), Some(999_999_999_999_999_999));
        assert_eq!(frac_div(1, 3), Some(u128::MAX / 3));
        assert_eq!(frac_div(3, 3), None);
    }
}
