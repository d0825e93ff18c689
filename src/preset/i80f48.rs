//! `I80F48` arithmetic as the `fixed` crate does it (Mango v4 and marginfi v2 compute in it), on
//! the raw bits (`value = bits / 2^48`) so that the kernel needs no `fixed` dependency.
//!
//! The operations the presets use, each rounding as `fixed` 1.x does (`mul_signed` and
//! `div_signed` for any signs: a product floors toward −∞, a quotient truncates toward zero);
//! for non-negative operands: a product keeps the top bits of the 256-bit product (`⌊a·b / 2^48⌋`,
//! `fixed` floors a product), a quotient is `⌊a·2^48 / b⌋` (`fixed` truncates a quotient toward
//! zero, the floor for non-negative operands). A decimal (a wad) enters the grid floored
//! (`I80F48::from_num(p) / 10^k`, how marginfi reads a Pyth price `p·10^k` with exponent `-k`,
//! floors it whatever `k`) or to the nearest (`I80F48!("0.025")`, how a constant is written;
//! a wad is never exactly half-way between two multiples of 2^-48, since `10^18 = 2^18·5^18`).

use super::int::{mul_div, mul_div_half_up, pow10};
use crate::{Error, Result, Wad};

/// The fractional bits.
const FRAC: u32 = 48;

/// `1.0`: `2^48`.
pub(crate) const ONE: i128 = 1 << FRAC;

/// The wad scale, `10^18`.
const WAD: i128 = 1_000_000_000_000_000_000;

/// `a·b` for `a, b ≥ 0`, floored to the grid (`I80F48::checked_mul`).
///
/// Errors: [`Error::Overflow`] when the product leaves `I80F48`.
pub(crate) fn mul(a: i128, b: i128) -> Result<i128> {
    mul_div(a, b, ONE)
}

/// `a / b` for `a ≥ 0`, `b > 0`, floored to the grid (`I80F48::checked_div`).
///
/// Errors: [`Error::DivisionByZero`] for `b = 0`; [`Error::Overflow`].
pub(crate) fn div(a: i128, b: i128) -> Result<i128> {
    mul_div(a, ONE, b)
}

/// `a·b` of any signs, floored toward −∞ (`I80F48`'s `*`: the 256-bit product shifted right
/// arithmetically; `fixed` 1.30 gives `−3·2⁻⁴⁸ × 0.5 = −2·2⁻⁴⁸`).
///
/// Errors: [`Error::Overflow`] when the product leaves `I80F48`.
pub(crate) fn mul_signed(a: i128, b: i128) -> Result<i128> {
    let (ua, ub) = (
        a.checked_abs().ok_or(Error::Overflow)?,
        b.checked_abs().ok_or(Error::Overflow)?,
    );
    if (a < 0) == (b < 0) {
        mul_div(ua, ub, ONE)
    } else {
        super::int::mul_div_ceil(ua, ub, ONE)?
            .checked_neg()
            .ok_or(Error::Overflow)
    }
}

/// `a / b` of any signs, truncated toward zero (`I80F48`'s `/`: `fixed` 1.30 gives
/// `−1/3 = −93824992236885·2⁻⁴⁸`, the magnitude of `1/3`).
///
/// Errors: [`Error::DivisionByZero`] for `b = 0`; [`Error::Overflow`].
pub(crate) fn div_signed(a: i128, b: i128) -> Result<i128> {
    let (ua, ub) = (
        a.checked_abs().ok_or(Error::Overflow)?,
        b.checked_abs().ok_or(Error::Overflow)?,
    );
    let q = mul_div(ua, ONE, ub)?;
    if (a < 0) == (b < 0) {
        Ok(q)
    } else {
        q.checked_neg().ok_or(Error::Overflow)
    }
}

/// A wad of any sign floored toward −∞ to the grid (`⌊w·2⁴⁸⌋`).
///
/// Errors: [`Error::Overflow`].
pub(crate) fn from_wad_floor_signed(w: Wad) -> Result<i128> {
    if w.is_negative() {
        super::int::mul_div_ceil(w.raw().checked_neg().ok_or(Error::Overflow)?, ONE, WAD)?
            .checked_neg()
            .ok_or(Error::Overflow)
    } else {
        from_wad_floor(w)
    }
}

/// The integer `n` (`I80F48::from_num(n)`), exact.
///
/// Errors: [`Error::Overflow`] for `|n| ≥ 2^79`.
pub(crate) fn from_int(n: i128) -> Result<i128> {
    n.checked_mul(ONE).ok_or(Error::Overflow)
}

/// `10^n` (`EXP_10_I80F48[n]`), exact.
///
/// Errors: [`Error::Overflow`] for `n > 23`.
pub(crate) fn exp10(n: u8) -> Result<i128> {
    from_int(pow10(n)?)
}

/// A non-negative wad floored to the grid (a Pyth price read as marginfi reads it).
///
/// Errors: [`Error::Overflow`].
pub(crate) fn from_wad_floor(w: Wad) -> Result<i128> {
    mul_div(w.raw(), ONE, WAD)
}

/// A non-negative wad to the nearest multiple of 2^-48 (a constant `I80F48!(w)`).
///
/// Errors: [`Error::Overflow`].
pub(crate) fn from_wad_nearest(w: Wad) -> Result<i128> {
    mul_div_half_up(w.raw(), ONE, WAD)
}

/// The value of `bits` on the wad grid, floored toward −∞ (`⌊bits·10^18 / 2^48⌋`; the error is below
/// 1e-18, and zero when the value has at most 18 decimals).
///
/// Errors: [`Error::Overflow`] beyond the wad range.
pub(crate) fn to_wad_floor(bits: i128) -> Result<Wad> {
    Wad::from_raw(bits).mul_div_floor(Wad::from_raw(WAD), Wad::from_raw(ONE))
}

/// `⌊bits⌋`: the whole part (`I80F48::checked_to_num::<u64>()` for a non-negative value).
pub(crate) const fn whole(bits: i128) -> i128 {
    bits >> FRAC
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values printed by the `fixed` crate 1.30 (`I80F48::from_bits(…)`, `lit`, `checked_*`).
    #[test]
    fn as_the_fixed_crate() {
        // 3 ulp × 0.5 = 1 ulp (1.5 floored).
        assert_eq!(mul(3, 1 << 47).unwrap(), 1);
        // 1/3 and 2/3 (187649984473770.67 floored).
        assert_eq!(div(ONE, from_int(3).unwrap()).unwrap(), 93_824_992_236_885);
        assert_eq!(div(2 * ONE, from_int(3).unwrap()).unwrap(), 187_649_984_473_770);
        // I80F48!(0.025): 0.025·2^48 = 7036874417766.4 → 7036874417766.
        assert_eq!(from_wad_nearest(crate::wad!("0.025")).unwrap(), 7_036_874_417_766);
        // 0.8·2^48 = 225179981368524.8: nearest 225179981368525, floor 225179981368524.
        assert_eq!(from_wad_nearest(crate::wad!("0.8")).unwrap(), 225_179_981_368_525);
        assert_eq!(from_wad_floor(crate::wad!("0.8")).unwrap(), 225_179_981_368_524);
        assert_eq!(to_wad_floor(ONE / 2).unwrap(), crate::wad!("0.5"));
        assert_eq!(whole(3 * ONE - 1), 2);
        // Signed, as `fixed` 1.30 prints them: −1.5 ulp floors to −2; −1/3 and 1/−3 truncate.
        assert_eq!(mul_signed(-3, 1 << 47).unwrap(), -2);
        assert_eq!(mul_signed(-3, -(1 << 47)).unwrap(), 1);
        assert_eq!(div_signed(-ONE, from_int(3).unwrap()).unwrap(), -93_824_992_236_885);
        assert_eq!(div_signed(ONE, -from_int(3).unwrap()).unwrap(), -93_824_992_236_885);
        assert_eq!(
            from_wad_floor_signed(crate::wad!("-0.8")).unwrap(),
            -225_179_981_368_525
        );
    }

    /// Against the `fixed` crate itself over a spread of non-negative operands (every product
    /// and quotient that fits): the same bits.
    #[cfg(feature = "fixed")]
    #[test]
    fn bit_for_bit_with_fixed() {
        use fixed::types::I80F48;
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            // xorshift64*: operands of every magnitude, 2^-48 … 2^60.
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
            i128::from(r) >> (r % 50)
        };
        let (mut products, mut quotients) = (0u32, 0u32);
        for _ in 0..20_000 {
            let (a, b) = (next().wrapping_shl(40) >> 20, next().max(1));
            let (fa, fb) = (I80F48::from_bits(a), I80F48::from_bits(b));
            if let Some(p) = fa.checked_mul(fb) {
                assert_eq!(mul(a, b).unwrap(), p.to_bits(), "{a} * {b}");
                products += 1;
            }
            if let Some(q) = fa.checked_div(fb) {
                assert_eq!(div(a, b).unwrap(), q.to_bits(), "{a} / {b}");
                quotients += 1;
            }
        }
        assert!(
            products > 5_000 && quotients > 5_000,
            "{products} products, {quotients} quotients"
        );
    }

    /// The signed operations (Mango's health and liquidation) against the `fixed` crate: the
    /// same bits for every sign.
    #[cfg(feature = "fixed")]
    #[test]
    fn signed_bit_for_bit_with_fixed() {
        use fixed::types::I80F48;
        let mut x: u64 = 0x0123_4567_89AB_CDEF;
        let mut next = || {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
            let m = i128::from(r >> 1) >> (r % 50);
            if r & 1 == 0 { m } else { -m }
        };
        let mut n = 0u32;
        for _ in 0..20_000 {
            let (a, b) = (next().wrapping_shl(40) >> 20, next());
            let (fa, fb) = (I80F48::from_bits(a), I80F48::from_bits(b));
            if let Some(p) = fa.checked_mul(fb) {
                assert_eq!(mul_signed(a, b).unwrap(), p.to_bits(), "{a} * {b}");
                n += 1;
            }
            if let Some(q) = fa.checked_div(fb) {
                assert_eq!(div_signed(a, b).unwrap(), q.to_bits(), "{a} / {b}");
                n += 1;
            }
        }
        assert!(n > 10_000, "{n} operations");
    }
}
