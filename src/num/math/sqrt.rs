//! `sqrt`: the square root, exactly rounded by integer arithmetic.
//!
//! For `x = X / 10^18` the result's raw value is `sqrt(X · 10^18)`, so the floor is the
//! integer square root of the 256-bit integer `X · 10^18` (Newton's iteration from above,
//! which decreases monotonically to `floor(sqrt(n))`), and the ceiling is one more unless the
//! root is exact. No approximation is involved.

use crate::num::u256::{div_rem_wide, mul_wide};
use crate::{Error, Result, Rounding, Wad};

/// `floor(sqrt(hi·2^128 + lo))` for a number below `2^254`.
pub(crate) fn isqrt_wide(hi: u128, lo: u128) -> u128 {
    // Newton's iteration for every width (not `u128::isqrt` when `hi == 0`: the same root, in
    // a fraction of the code, which an on-chain program pays for by the byte).
    let bits = if hi == 0 {
        if lo == 0 {
            return 0;
        }
        128u32.saturating_sub(lo.leading_zeros())
    } else {
        256u32.saturating_sub(hi.leading_zeros())
    };
    // x0 = 2^ceil(bits/2) >= sqrt(n); it fits as bits <= 254.
    let mut x: u128 = 1u128.wrapping_shl(bits.div_ceil(2));
    loop {
        // n / x fits in 128 bits because x >= sqrt(n).
        let Some((q, _)) = div_rem_wide(hi, lo, x) else {
            return x;
        };
        // (x + q) / 2 without overflow.
        let next = (x >> 1).wrapping_add(q >> 1).wrapping_add(x & q & 1);
        if next >= x {
            return x;
        }
        x = next;
    }
}

impl Wad {
    /// `sqrt(self)`, the exact square root rounded to the 1e-18 grid in direction `rounding`.
    ///
    /// Domain `self >= 0`, else [`Error::Domain`] naming `x`. Every result fits.
    ///
    /// ```
    /// use lce::{Rounding, Wad};
    /// let two = Wad::from_i64(2);
    /// assert_eq!(two.sqrt(Rounding::Floor)?.to_string(), "1.414213562373095048");
    /// assert_eq!(two.sqrt(Rounding::Ceil)?.to_string(), "1.414213562373095049");
    /// assert_eq!(Wad::from_i64(4).sqrt(Rounding::Ceil)?, Wad::from_i64(2));
    /// # Ok::<(), lce::Error>(())
    /// ```
    pub fn sqrt(self, rounding: Rounding) -> Result<Wad> {
        if self.is_negative() {
            return Err(Error::domain("x", "sqrt needs x ≥ 0"));
        }
        let (hi, lo) = mul_wide(self.raw().unsigned_abs(), Wad::SCALE.unsigned_abs());
        let root = isqrt_wide(hi, lo);
        let (sh, sl) = mul_wide(root, root);
        let exact = (sh, sl) == (hi, lo);
        let raw = match rounding {
            Rounding::Floor => root,
            Rounding::Ceil if exact => root,
            Rounding::Ceil => root.saturating_add(1),
        };
        // sqrt(2^127 · 10^18) < 2^94: always fits.
        i128::try_from(raw).map(Wad::from_raw).map_err(|_| Error::Overflow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_roots() {
        assert_eq!(isqrt_wide(0, 0), 0);
        assert_eq!(isqrt_wide(1, 0), 1 << 64);
        assert_eq!(isqrt_wide(0, u128::MAX), u64::MAX as u128);
        // (2^100 + 7)^2 and one less.
        let r = (1u128 << 100) + 7;
        let (h, l) = mul_wide(r, r);
        assert_eq!(isqrt_wide(h, l), r);
        let (h2, l2) = if l == 0 { (h - 1, u128::MAX) } else { (h, l - 1) };
        assert_eq!(isqrt_wide(h2, l2), r - 1);
    }

    #[test]
    fn extremes() {
        // sqrt(MAX) = 13043817825.332782212349571806252...
        assert_eq!(
            Wad::MAX.sqrt(Rounding::Floor),
            Ok(Wad::from_raw(13_043_817_825_332_782_212_349_571_806))
        );
        assert_eq!(
            Wad::MAX.sqrt(Rounding::Ceil),
            Ok(Wad::from_raw(13_043_817_825_332_782_212_349_571_807))
        );
        assert_eq!(Wad::EPSILON.sqrt(Rounding::Floor), Ok(Wad::from_raw(1_000_000_000)));
        assert_eq!(
            Wad::from_raw(-1).sqrt(Rounding::Floor),
            Err(Error::domain("x", "sqrt needs x ≥ 0"))
        );
        assert_eq!(Wad::ZERO.sqrt(Rounding::Ceil), Ok(Wad::ZERO));
    }
}
