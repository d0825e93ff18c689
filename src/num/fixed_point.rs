//! Exact conversions between [`Wad`] and the `fixed` crate's binary fixed-point types (feature
//! `fixed`): [`I80F48`] (signed, 48 fractional bits: Mango v4, marginfi) and [`U68F60`]
//! (unsigned, 60 fractional bits: Kamino, Solend-style `Decimal` layouts).
//!
//! Maximum error of each direction, for a single conversion rounded in the named direction:
//!
//! | from → to | error |
//! |---|---|
//! | `I80F48` → `Wad` | less than 1e-18 (an `I80F48` is exactly `n·5^48 / 10^48`, 48 decimals) |
//! | `Wad` → `I80F48` | less than 2^-48 ≈ 3.6e-15 |
//! | `U68F60` → `Wad` | less than 1e-18 |
//! | `Wad` → `U68F60` | less than 2^-60 ≈ 8.7e-19 |
//!
//! "Less than" bounds are strict and the error is zero whenever the value is representable in
//! the target. Values that do not fit the target are [`Error::Overflow`]; a negative `Wad`
//! converted to `U68F60` is [`Error::Invalid`].

use fixed::types::{I80F48, U68F60};

use super::Rounding;
use super::Wad;
use super::u256::{div_rem_wide, mul_wide};
use super::wad::{mul_div_magnitudes, signed_rounded};
use crate::{Error, Result};

/// `±(hi·2^128 + lo) / 2^shift` rounded, for `0 < shift < 128`.
fn shift_rounded(negative: bool, hi: u128, lo: u128, shift: u32, rounding: Rounding) -> Result<i128> {
    let inexact = lo & ((1u128 << shift).wrapping_sub(1)) != 0;
    if hi >> shift != 0 {
        return Err(Error::Overflow);
    }
    let q = (hi << (128u32.wrapping_sub(shift))) | (lo >> shift);
    signed_rounded(negative, q, inexact, rounding)
}

impl Wad {
    /// The value of an [`I80F48`], rounded to the 1e-18 grid in direction `rounding`
    /// (error below 1e-18). [`Error::Overflow`] when it exceeds the `Wad` range.
    pub fn from_i80f48(v: I80F48, rounding: Rounding) -> Result<Self> {
        let bits = v.to_bits();
        let (hi, lo) = mul_wide(bits.unsigned_abs(), Wad::SCALE.unsigned_abs());
        shift_rounded(bits < 0, hi, lo, I80F48::FRAC_NBITS, rounding).map(Self::from_raw)
    }

    /// `self` as an [`I80F48`], rounded in direction `rounding` to a multiple of 2^-48
    /// (error below 2^-48). [`Error::Overflow`] when it exceeds the `I80F48` range.
    pub fn to_i80f48(self, rounding: Rounding) -> Result<I80F48> {
        let bits = mul_div_magnitudes(
            self.is_negative(),
            self.raw().unsigned_abs(),
            1u128 << I80F48::FRAC_NBITS,
            Wad::SCALE.unsigned_abs(),
            rounding,
        )?;
        Ok(I80F48::from_bits(bits))
    }

    /// The value of a [`U68F60`], rounded to the 1e-18 grid in direction `rounding`
    /// (error below 1e-18). [`Error::Overflow`] when it exceeds the `Wad` range (a `U68F60`
    /// reaches about 2.95e20, a `Wad` about 1.7e20).
    pub fn from_u68f60(v: U68F60, rounding: Rounding) -> Result<Self> {
        let (hi, lo) = mul_wide(v.to_bits(), Wad::SCALE.unsigned_abs());
        shift_rounded(false, hi, lo, U68F60::FRAC_NBITS, rounding).map(Self::from_raw)
    }

    /// `self` as a [`U68F60`], rounded in direction `rounding` to a multiple of 2^-60
    /// (error below 2^-60). [`Error::Invalid`] for a negative value.
    pub fn to_u68f60(self, rounding: Rounding) -> Result<U68F60> {
        if self.is_negative() {
            return Err(Error::invalid(
                "U68F60: negative value",
                "a U68F60 is unsigned: the value must be ≥ 0",
            ));
        }
        // bits = raw·2^60/10^18 = raw·2^42/5^18 < 2^127·2^42/5^18 < 2^128: the quotient always
        // fits a u128 (but not always an i128, so this path stays unsigned).
        let (hi, lo) = mul_wide(self.raw().unsigned_abs(), 1u128 << U68F60::FRAC_NBITS);
        let (q, r) = div_rem_wide(hi, lo, Wad::SCALE.unsigned_abs()).ok_or(Error::Overflow)?;
        let bits = match rounding {
            Rounding::Ceil if r != 0 => q.checked_add(1).ok_or(Error::Overflow)?,
            _ => q,
        };
        Ok(U68F60::from_bits(bits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_adapters() {
        // 1.5 is exact in both representations.
        let x = I80F48::from_bits(3 << 47);
        assert_eq!(
            Wad::from_i80f48(x, Rounding::Floor),
            Ok(Wad::from_raw(1_500_000_000_000_000_000))
        );
        assert_eq!(
            Wad::from_raw(1_500_000_000_000_000_000).to_i80f48(Rounding::Ceil),
            Ok(x)
        );
        // 2^-48 = 3.552713678800500929355621337890625e-15
        let ulp = I80F48::from_bits(1);
        assert_eq!(Wad::from_i80f48(ulp, Rounding::Floor), Ok(Wad::from_raw(3_552)));
        assert_eq!(Wad::from_i80f48(ulp, Rounding::Ceil), Ok(Wad::from_raw(3_553)));
        assert_eq!(Wad::from_i80f48(-ulp, Rounding::Floor), Ok(Wad::from_raw(-3_553)));
        // 1e-18 is between 0 and one I80F48 ulp.
        assert_eq!(Wad::EPSILON.to_i80f48(Rounding::Floor), Ok(I80F48::ZERO));
        assert_eq!(Wad::EPSILON.to_i80f48(Rounding::Ceil), Ok(ulp));
        // 2^-60 = 8.67361737988403547205962240695953369140625e-19
        let u = U68F60::from_bits(1);
        assert_eq!(Wad::from_u68f60(u, Rounding::Floor), Ok(Wad::ZERO));
        assert_eq!(Wad::from_u68f60(u, Rounding::Ceil), Ok(Wad::EPSILON));
        assert_eq!(Wad::from_u68f60(U68F60::MAX, Rounding::Floor), Err(Error::Overflow));
        assert_eq!(Wad::EPSILON.to_u68f60(Rounding::Floor), Ok(U68F60::from_bits(1)));
        assert_eq!(Wad::EPSILON.to_u68f60(Rounding::Ceil), Ok(U68F60::from_bits(2)));
        assert!(matches!(
            Wad::from_raw(-1).to_u68f60(Rounding::Floor),
            Err(Error::Invalid { .. })
        ));
        assert_eq!(
            Wad::MAX.to_i80f48(Rounding::Floor).map(I80F48::to_bits).map(|b| b > 0),
            Ok(true)
        );
        // 2^67 = 147573952589676412928 is 2^127 in U68F60 bits: above i128, inside u128.
        let big = Wad::from_int(1 << 67).unwrap_or(Wad::ZERO);
        assert_eq!(big.to_u68f60(Rounding::Ceil), Ok(U68F60::from_bits(1 << 127)));
        assert_eq!(Wad::MAX.to_u68f60(Rounding::Floor).map(|u| u.to_bits() >> 127), Ok(1));
    }

    #[test]
    fn exact_fixed_values_are_not_rounded() {
        // 1.5, −0.25 and 5 are exact in I80F48 and on the 1e-18 grid: both directions give them.
        // 2^-48 has 48 decimals: it rounds, and the two directions are one unit apart.
        for (bits, text) in [(3i128 << 47, "1.5"), (-(1i128 << 46), "-0.25"), (5i128 << 48, "5")] {
            let v = I80F48::from_bits(bits);
            let want: Wad = text.parse().unwrap();
            assert_eq!(Wad::from_i80f48(v, Rounding::Floor).unwrap(), want);
            assert_eq!(Wad::from_i80f48(v, Rounding::Ceil).unwrap(), want);
        }
        let tiny = I80F48::from_bits(1);
        let (lo, hi) = (
            Wad::from_i80f48(tiny, Rounding::Floor).unwrap(),
            Wad::from_i80f48(tiny, Rounding::Ceil).unwrap(),
        );
        // 2^-48 = 0.000000000000003552713678800500929355621337890625.
        assert_eq!((lo, hi), (Wad::from_raw(3552), Wad::from_raw(3553)));
    }
}
