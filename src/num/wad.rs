//! [`Wad`]: the signed decimal fixed-point number of lce (18 fractional digits in an `i128`).

use core::cmp::Ordering;
use core::fmt;

use super::Rounding;
use super::u256::{div_rem_wide, div_ten18_wide, mul_wide};
use crate::{Error, Result};
use core::num::NonZeroU128;

/// A signed decimal fixed-point number with 18 fractional digits: an `i128` counting units of
/// 1e-18 (so `1.0` is `10^18`), range about ±1.7e20.
///
/// It is exact for the decimal parameters people write (a 5 % bonus is exactly `0.05`) and
/// bit-compatible with the 1e18 decimals of EVM programs, CosmWasm `Decimal` and Substrate
/// `FixedI128`.
///
/// Arithmetic is checked: overflow is [`Error::Overflow`] and division by zero is
/// [`Error::DivisionByZero`], never a wrap or a panic. Products and quotients go through a
/// 256-bit intermediate and are rounded once, in the direction named by the method
/// (`mul_floor`, `div_ceil`, …; see [`Rounding`]).
///
/// ```
/// use lce::Wad;
/// let bonus: Wad = "0.05".parse()?;
/// let repay: Wad = "1234.5".parse()?;
/// // The bonus on a repayment, rounded down: collateral paid out never rounds up.
/// assert_eq!(repay.mul_floor(bonus)?.to_string(), "61.725");
/// # Ok::<(), lce::Error>(())
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Wad(i128);

/// `10^18`, the number of raw units in one: the scale of the wad grid. This is its one
/// definition; the constants below are the same value in the other integer types the
/// arithmetic needs.
pub(crate) const TEN18: u64 = 1_000_000_000_000_000_000;
/// [`TEN18`] as a `u128`.
pub(crate) const TEN18_U128: u128 = TEN18 as u128;
/// [`TEN18`] as a non-zero divisor.
pub(crate) const TEN18_NZ: NonZeroU128 = match NonZeroU128::new(TEN18_U128) {
    Some(v) => v,
    None => NonZeroU128::MIN,
};
/// [`TEN18`] as an `i128` ([`Wad::SCALE`]).
const SCALE: i128 = TEN18 as i128;

/// `10^k` for `k` in `0..=38`, the powers of ten that fit a `u128`.
pub(crate) const fn pow10(k: u32) -> Option<u128> {
    10u128.checked_pow(k)
}

/// Applies a sign and a rounding decision to a magnitude `q` with a non-negative remainder flag.
///
/// The exact value is `±(q + f)` with `0 <= f < 1` and `f > 0` exactly when `inexact`; the
/// result is that value rounded in direction `rounding`, as an `i128`.
#[inline]
pub(crate) fn signed_rounded(negative: bool, q: u128, inexact: bool, rounding: Rounding) -> Result<i128> {
    // Away from zero when flooring a negative or ceiling a positive inexact value.
    let bump = inexact && (negative == matches!(rounding, Rounding::Floor));
    let magnitude = if bump {
        q.checked_add(1).ok_or(Error::Overflow)?
    } else {
        q
    };
    if negative {
        0i128.checked_sub_unsigned(magnitude).ok_or(Error::Overflow)
    } else {
        i128::try_from(magnitude).map_err(|_| Error::Overflow)
    }
}

/// `±(a·b / d)` rounded once, for magnitudes `a`, `b` and a non-zero divisor `d`.
#[inline]
pub(crate) fn mul_div_magnitudes(negative: bool, a: u128, b: u128, d: u128, rounding: Rounding) -> Result<i128> {
    if d == 0 {
        return Err(Error::DivisionByZero);
    }
    let (hi, lo) = mul_wide(a, b);
    let (q, r) = div_rem_wide(hi, lo, d).ok_or(Error::Overflow)?;
    signed_rounded(negative, q, r != 0, rounding)
}

impl Wad {
    /// Zero.
    pub const ZERO: Self = Self(0);
    /// One (`10^18` raw units).
    pub const ONE: Self = Self(SCALE);
    /// The smallest positive value, `1e-18` (one raw unit).
    pub const EPSILON: Self = Self(1);
    /// The largest value, `170141183460469231731.687303715884105727`.
    pub const MAX: Self = Self(i128::MAX);
    /// The smallest (most negative) value, `-170141183460469231731.687303715884105728`.
    pub const MIN: Self = Self(i128::MIN);
    /// The number of fractional decimal digits, 18.
    pub const DECIMALS: u32 = 18;
    /// The raw value of one, `10^18`.
    pub const SCALE: i128 = SCALE;

    /// The number whose raw value (count of 1e-18 units) is `raw`.
    #[must_use]
    pub const fn from_raw(raw: i128) -> Self {
        Self(raw)
    }

    /// The raw value: the number of 1e-18 units.
    #[must_use]
    pub const fn raw(self) -> i128 {
        self.0
    }

    /// The integer `n` as a `Wad`; [`Error::Overflow`] when `|n|` exceeds about 1.7e20.
    pub const fn from_int(n: i128) -> Result<Self> {
        match n.checked_mul(SCALE) {
            Some(raw) => Ok(Self(raw)),
            None => Err(Error::Overflow),
        }
    }

    /// The integer `n` as a `Wad`; every `i64` fits, so this cannot fail.
    #[must_use]
    #[allow(clippy::arithmetic_side_effects)] // |n| < 2^63 and 10^18 < 2^60: the product fits
    pub const fn from_i64(n: i64) -> Self {
        Self(n as i128 * SCALE)
    }

    /// `true` when the value is zero.
    #[must_use]
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `true` when the value is strictly negative.
    #[must_use]
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `true` when the value is strictly positive.
    #[must_use]
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// `-1`, `0` or `1` as the value is negative, zero or positive.
    #[must_use]
    pub const fn signum(self) -> i32 {
        if self.0 < 0 {
            -1
        } else if self.0 > 0 {
            1
        } else {
            0
        }
    }

    /// `self + rhs`, exact; [`Error::Overflow`] out of range.
    pub const fn add(self, rhs: Self) -> Result<Self> {
        match self.0.checked_add(rhs.0) {
            Some(v) => Ok(Self(v)),
            None => Err(Error::Overflow),
        }
    }

    /// `self - rhs`, exact; [`Error::Overflow`] out of range.
    pub const fn sub(self, rhs: Self) -> Result<Self> {
        match self.0.checked_sub(rhs.0) {
            Some(v) => Ok(Self(v)),
            None => Err(Error::Overflow),
        }
    }

    /// `-self`, exact; [`Error::Overflow`] for [`Wad::MIN`].
    pub const fn neg(self) -> Result<Self> {
        match self.0.checked_neg() {
            Some(v) => Ok(Self(v)),
            None => Err(Error::Overflow),
        }
    }

    /// `|self|`, exact; [`Error::Overflow`] for [`Wad::MIN`].
    pub const fn abs(self) -> Result<Self> {
        match self.0.checked_abs() {
            Some(v) => Ok(Self(v)),
            None => Err(Error::Overflow),
        }
    }

    /// The smaller of two values.
    #[must_use]
    pub fn min(self, rhs: Self) -> Self {
        Ord::min(self, rhs)
    }

    /// The larger of two values.
    #[must_use]
    pub fn max(self, rhs: Self) -> Self {
        Ord::max(self, rhs)
    }

    /// `self · rhs` rounded in direction `rounding`: `round(a·b / 10^18)` on the raw values,
    /// through a 256-bit product, rounded once.
    pub fn mul(self, rhs: Self, rounding: Rounding) -> Result<Self> {
        let negative = (self.0 < 0) != (rhs.0 < 0);
        let (a, b) = (self.0.unsigned_abs(), rhs.0.unsigned_abs());
        let (hi, lo) = mul_wide(a, b);
        let (q, inexact) = div_ten18_wide(hi, lo).ok_or(Error::Overflow)?;
        signed_rounded(negative, q, inexact, rounding).map(Self)
    }

    /// `self · rhs` rounded toward negative infinity.
    pub fn mul_floor(self, rhs: Self) -> Result<Self> {
        self.mul(rhs, Rounding::Floor)
    }

    /// `self · rhs` rounded toward positive infinity.
    pub fn mul_ceil(self, rhs: Self) -> Result<Self> {
        self.mul(rhs, Rounding::Ceil)
    }

    /// `self / rhs` rounded in direction `rounding`: `round(a·10^18 / b)` on the raw values,
    /// through a 256-bit numerator, rounded once. [`Error::DivisionByZero`] when `rhs` is zero.
    pub fn div(self, rhs: Self, rounding: Rounding) -> Result<Self> {
        if rhs.0 == 0 {
            return Err(Error::DivisionByZero);
        }
        let negative = (self.0 < 0) != (rhs.0 < 0);
        let (a, b) = (self.0.unsigned_abs(), rhs.0.unsigned_abs());
        // One path whether or not a·10^18 fits 128 bits: the division of a 256-bit numerator
        // with a zero high half is as quick as a `u128` one (`div_rem_wide`).
        mul_div_magnitudes(negative, a, TEN18_U128, b, rounding).map(Self)
    }

    /// `self / rhs` rounded toward negative infinity.
    pub fn div_floor(self, rhs: Self) -> Result<Self> {
        self.div(rhs, Rounding::Floor)
    }

    /// `self / rhs` rounded toward positive infinity.
    pub fn div_ceil(self, rhs: Self) -> Result<Self> {
        self.div(rhs, Rounding::Ceil)
    }

    /// `self · b / c` with a single rounding in direction `rounding` (a 256-bit product divided
    /// by `c`). [`Error::DivisionByZero`] when `c` is zero.
    pub fn mul_div(self, b: Self, c: Self, rounding: Rounding) -> Result<Self> {
        let negative = ((self.0 < 0) != (b.0 < 0)) != (c.0 < 0);
        mul_div_magnitudes(
            negative,
            self.0.unsigned_abs(),
            b.0.unsigned_abs(),
            c.0.unsigned_abs(),
            rounding,
        )
        .map(Self)
    }

    /// `self · b / c` rounded once toward negative infinity.
    pub fn mul_div_floor(self, b: Self, c: Self) -> Result<Self> {
        self.mul_div(b, c, Rounding::Floor)
    }

    /// `self · b / c` rounded once toward positive infinity.
    pub fn mul_div_ceil(self, b: Self, c: Self) -> Result<Self> {
        self.mul_div(b, c, Rounding::Ceil)
    }

    /// The largest integer not above `self` (toward negative infinity), as a `Wad`.
    pub fn floor(self) -> Result<Self> {
        let r = self.0.rem_euclid(SCALE);
        self.sub(Self(r))
    }

    /// The smallest integer not below `self` (toward positive infinity), as a `Wad`.
    pub fn ceil(self) -> Result<Self> {
        let r = self.0.rem_euclid(SCALE);
        if r == 0 {
            Ok(self)
        } else {
            self.sub(Self(r))?.add(Self::ONE)
        }
    }

    /// Compares the magnitudes `|self|` and `|rhs|` without overflow.
    #[must_use]
    pub fn cmp_abs(self, rhs: Self) -> Ordering {
        self.0.unsigned_abs().cmp(&rhs.0.unsigned_abs())
    }
}

impl fmt::Debug for Wad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Wad({self})")
    }
}

impl From<i64> for Wad {
    fn from(n: i64) -> Self {
        Self::from_i64(n)
    }
}

impl From<i32> for Wad {
    fn from(n: i32) -> Self {
        Self::from_i64(i64::from(n))
    }
}

impl From<u32> for Wad {
    fn from(n: u32) -> Self {
        Self::from_i64(i64::from(n))
    }
}

#[cfg(test)]
mod tests {
    use core::fmt::Write as _;

    use super::*;

    use crate::test_support::w;

    #[test]
    fn signum_and_conversions() {
        assert_eq!((w("-2").signum(), Wad::ZERO.signum(), w("3").signum()), (-1, 0, 1));
        assert_eq!((Wad::EPSILON.signum(), Wad::EPSILON.neg().unwrap().signum()), (1, -1));
        assert_eq!(Wad::from(3i64), w("3"));
        assert_eq!(Wad::from(-2i32), w("-2"));
        assert_eq!(Wad::from(7u32), w("7"));
        let mut s = heapless::String::<64>::new();
        write!(s, "{:?}", w("-1.5")).unwrap();
        assert_eq!(s.as_str(), "Wad(-1.5)");
    }

    #[test]
    fn floor_and_ceil_go_to_the_integers_around() {
        assert_eq!((w("2.5").floor().unwrap(), w("2.5").ceil().unwrap()), (w("2"), w("3")));
        assert_eq!(
            (w("-2.5").floor().unwrap(), w("-2.5").ceil().unwrap()),
            (w("-3"), w("-2"))
        );
        assert_eq!((w("3").floor().unwrap(), w("3").ceil().unwrap()), (w("3"), w("3")));
        assert_eq!(
            (
                w("-0.000000000000000001").floor().unwrap(),
                w("0.000000000000000001").ceil().unwrap()
            ),
            (w("-1"), w("1"))
        );
        assert_eq!(Wad::MAX.ceil(), Err(Error::Overflow));
        assert_eq!(Wad::MIN.floor(), Err(Error::Overflow));
    }

    #[test]
    fn the_sign_of_a_quotient_follows_every_operand() {
        // 2·3/(−4) = −1.5 exactly; 1·1/(−3) = −0.333…, floor one unit further from zero.
        assert_eq!(w("2").mul_div_floor(w("3"), w("-4")).unwrap(), w("-1.5"));
        assert_eq!(
            w("1").mul_div_floor(w("1"), w("-3")).unwrap(),
            w("-0.333333333333333334")
        );
        assert_eq!(
            w("1").mul_div_ceil(w("1"), w("-3")).unwrap(),
            w("-0.333333333333333333")
        );
        assert_eq!(
            w("-1").mul_div_floor(w("-1"), w("-3")).unwrap(),
            w("-0.333333333333333334")
        );
        assert_eq!(
            w("-1").mul_div_floor(w("1"), w("-3")).unwrap(),
            w("0.333333333333333333")
        );
        assert_eq!(w("1").div_floor(w("-3")).unwrap(), w("-0.333333333333333334"));
        assert_eq!(
            w("-1").mul_floor(w("0.333333333333333333")).unwrap(),
            w("-0.333333333333333333")
        );
    }
}
