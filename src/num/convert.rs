//! Exact conversions between [`Wad`] and integer *native units* with `d` decimals (`0..=36`),
//! as token programs store amounts (an ERC-20 with 6 decimals stores 1.5 as `1_500_000`). The
//! `fixed` crate's types convert in `fixed_point` (feature `fixed`).
//!
//! Maximum error of each direction, for a single conversion rounded in the named direction:
//!
//! | from → to | error |
//! |---|---|
//! | native (`d <= 18`) → `Wad` | exact |
//! | native (`d > 18`) → `Wad` | less than 1e-18 |
//! | `Wad` → native (`d < 18`) | less than 10^-d |
//! | `Wad` → native (`d >= 18`) | exact |
//!
//! "Less than" bounds are strict and the error is zero whenever the value is representable in
//! the target. Values that do not fit the target are [`Error::Overflow`].

use super::Rounding;
use super::Wad;
use super::u256::div_rem;
use super::wad::{pow10, signed_rounded};
use crate::{Error, Result};
use core::num::NonZeroU128;

/// The largest number of decimals a native amount may have.
pub const MAX_NATIVE_DECIMALS: u32 = 36;
// The why of `decimals` states this bound.
const _: () = assert!(MAX_NATIVE_DECIMALS == 36);

fn decimals_scale(decimals: u32) -> Result<u128> {
    if decimals > MAX_NATIVE_DECIMALS {
        return Err(Error::invalid("decimals", "must be at most 36 (MAX_NATIVE_DECIMALS)"));
    }
    let diff = decimals.abs_diff(Wad::DECIMALS);
    pow10(diff).ok_or(Error::invalid("decimals", "must be at most 36 (MAX_NATIVE_DECIMALS)"))
}

impl Wad {
    /// The value of `amount` native units of a token with `decimals` decimals:
    /// `amount / 10^decimals`.
    ///
    /// Exact for `decimals <= 18`; rounded in direction `rounding` for `decimals > 18`.
    /// Errors: [`Error::Invalid`] naming `decimals` above 36, [`Error::Overflow`] out of range.
    pub fn from_native(amount: i128, decimals: u32, rounding: Rounding) -> Result<Self> {
        let scale = decimals_scale(decimals)?;
        if decimals <= Wad::DECIMALS {
            let scale = i128::try_from(scale).map_err(|_| Error::Overflow)?;
            return amount.checked_mul(scale).map(Self::from_raw).ok_or(Error::Overflow);
        }
        let negative = amount < 0;
        let mag = amount.unsigned_abs();
        {
            let (q, r) = div_rem(
                mag,
                NonZeroU128::new(scale)
                    .ok_or(Error::invalid("decimals", "must be at most 36 (MAX_NATIVE_DECIMALS)"))?,
            );
            signed_rounded(negative, q, r != 0, rounding)
        }
        .map(Self::from_raw)
    }

    /// `self` in native units of a token with `decimals` decimals: `self · 10^decimals`.
    ///
    /// Rounded in direction `rounding` for `decimals < 18` (round a payout down, a debt up);
    /// exact for `decimals >= 18`. Errors: [`Error::Invalid`] naming `decimals` above 36,
    /// [`Error::Overflow`] out of range.
    pub fn to_native(self, decimals: u32, rounding: Rounding) -> Result<i128> {
        let scale = decimals_scale(decimals)?;
        if decimals >= Wad::DECIMALS {
            let scale = i128::try_from(scale).map_err(|_| Error::Overflow)?;
            return self.raw().checked_mul(scale).ok_or(Error::Overflow);
        }
        let negative = self.is_negative();
        let mag = self.raw().unsigned_abs();
        {
            let (q, r) = div_rem(
                mag,
                NonZeroU128::new(scale)
                    .ok_or(Error::invalid("decimals", "must be at most 36 (MAX_NATIVE_DECIMALS)"))?,
            );
            signed_rounded(negative, q, r != 0, rounding)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_units() {
        assert_eq!(
            Wad::from_native(1_500_000, 6, Rounding::Floor),
            Ok(Wad::from_raw(1_500_000_000_000_000_000))
        );
        assert_eq!(Wad::from_native(-1, 36, Rounding::Floor), Ok(Wad::from_raw(-1)));
        assert_eq!(Wad::from_native(-1, 36, Rounding::Ceil), Ok(Wad::ZERO));
        assert_eq!(
            Wad::from_native(1, 37, Rounding::Ceil),
            Err(Error::invalid("decimals", "must be at most 36 (MAX_NATIVE_DECIMALS)"))
        );
        let w = Wad::from_raw(1_234_567_890_123_456_789);
        assert_eq!(w.to_native(6, Rounding::Floor), Ok(1_234_567));
        assert_eq!(w.to_native(6, Rounding::Ceil), Ok(1_234_568));
        assert_eq!(w.neg().and_then(|n| n.to_native(6, Rounding::Floor)), Ok(-1_234_568));
        assert_eq!(w.to_native(20, Rounding::Floor), Ok(123_456_789_012_345_678_900));
        assert_eq!(Wad::MAX.to_native(19, Rounding::Floor), Err(Error::Overflow));
    }
}
