//! Exact comparisons of a ratio with a fraction, by cross-multiplication in 256 bits.

use crate::Wad;
use crate::num::TEN18_U128;
use crate::num::u256::mul_wide;

/// Whether `num / den > fraction`, decided exactly (no rounding): compares the 256-bit
/// products `num · 10^18` and `fraction_raw · den`, since `fraction = fraction_raw / 10^18`.
///
/// A negative `fraction` is treated as zero (callers validate that it is not negative).
pub(crate) fn exceeds(num: u128, den: u128, fraction: Wad) -> bool {
    let fraction = u128::try_from(fraction.raw()).unwrap_or(0);
    mul_wide(num, TEN18_U128) > mul_wide(fraction, den)
}

/// Whether `to` moved by more than `fraction` relative to `from`:
/// `|to − from| / from > fraction`, decided exactly (see [`exceeds`]). `from` must be positive;
/// a `from` that is not is treated as an infinite move (`true`), the safe answer for a guard.
pub(crate) fn moved_more_than(from: Wad, to: Wad, fraction: Wad) -> bool {
    let Ok(base) = u128::try_from(from.raw()) else {
        return true;
    };
    if base == 0 {
        return true;
    }
    exceeds(to.raw().abs_diff(from.raw()), base, fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::w;

    #[test]
    fn a_move_exactly_at_the_threshold_does_not_exceed_it() {
        // |101 − 100| / 100 = 0.01: not > 0.01; 101.000000000000000001 is 1e-20 more: > 0.01.
        assert!(!moved_more_than(w("100"), w("101"), w("0.01")));
        assert!(moved_more_than(w("100"), w("101.000000000000000001"), w("0.01")));
        assert!(!moved_more_than(w("100"), w("99"), w("0.01")));
        assert!(moved_more_than(w("100"), w("98.999999999999999999"), w("0.01")));
    }

    #[test]
    fn extreme_operands_compare_without_overflow() {
        // (MAX − 1e-18) / 1e-18 is about 1.7e38, far above any fraction in range except MAX.
        assert!(moved_more_than(Wad::EPSILON, Wad::MAX, w("1000000")));
        // |MAX − MAX| = 0 never exceeds 0.
        assert!(!moved_more_than(Wad::MAX, Wad::MAX, Wad::ZERO));
        // A zero or negative base is an infinite move.
        assert!(moved_more_than(Wad::ZERO, Wad::ONE, Wad::MAX));
        assert!(exceeds(1, 1, Wad::from_raw(-5)));
        // 1/3 > 0.333333333333333333 (the fraction is below a third by 1/3·1e-18).
        assert!(exceeds(1, 3, w("0.333333333333333333")));
        assert!(!exceeds(1, 3, w("0.333333333333333334")));
    }
}
