//! Integer arithmetic as the protocols' programs do it: native units, floor division, and the
//! half-up roundings of Aave's `PercentageMath` and `WadRayMath`, through a 256-bit
//! intermediate (the products of an amount, a price and a unit leave `i128`).

use crate::{Error, Result, Wad};

/// `⌊a·b / c⌋` for `a, b ≥ 0`, `c > 0` (Solidity's `a * b / c`), through 256 bits.
///
/// Errors: [`Error::DivisionByZero`] for `c = 0`; [`Error::Overflow`] when the quotient leaves
/// `i128`.
pub(crate) fn mul_div(a: i128, b: i128, c: i128) -> Result<i128> {
    Wad::from_raw(a)
        .mul_div_floor(Wad::from_raw(b), Wad::from_raw(c))
        .map(Wad::raw)
}

/// `⌈a·b / c⌉` for `a, b ≥ 0`, `c > 0` (`MathUtils.mulDivCeil`).
///
/// Errors: as [`mul_div`].
pub(crate) fn mul_div_ceil(a: i128, b: i128, c: i128) -> Result<i128> {
    Wad::from_raw(a)
        .mul_div_ceil(Wad::from_raw(b), Wad::from_raw(c))
        .map(Wad::raw)
}

/// `⌊(a·b + ⌊c/2⌋) / c⌋` for `a, b ≥ 0`, `c > 0`: the product-quotient rounded half up, as
/// Aave's `percentMul` (`c = 10⁴`), `percentDiv` (`b = 10⁴`, `c` the percentage) and `wadDiv`
/// (`b = 10¹⁸`) compute it. With `q = ⌊ab/c⌋` and `t = ⌊2ab/c⌋ = 2q + [2r ≥ c]` (`r` the
/// remainder), the result `q + [r ≥ ⌈c/2⌉]` is `t − q`: `r ≥ ⌈c/2⌉` holds exactly when
/// `2r ≥ c`, for odd `c` too since `r` is an integer.
///
/// Errors: as [`mul_div`].
pub(crate) fn mul_div_half_up(a: i128, b: i128, c: i128) -> Result<i128> {
    let q = mul_div(a, b, c)?;
    let t = mul_div(a, b.checked_mul(2).ok_or(Error::Overflow)?, c)?;
    t.checked_sub(q).ok_or(Error::Overflow)
}

/// The wad's fractional digits.
const WAD_DECIMALS: u8 = 18;

/// Aave's `PERCENTAGE_FACTOR`: 100.00 % in basis points.
pub(crate) const BPS: i128 = 10_000;

/// `value.percentMul(bps)`: `⌊(value·bps + 5000) / 10⁴⌋`.
///
/// Errors: [`Error::Overflow`].
pub(crate) fn percent_mul(value: i128, bps: i128) -> Result<i128> {
    mul_div_half_up(value, bps, BPS)
}

/// `value.percentDiv(bps)`: `⌊(value·10⁴ + ⌊bps/2⌋) / bps⌋`.
///
/// Errors: [`Error::DivisionByZero`] for `bps = 0`; [`Error::Overflow`].
pub(crate) fn percent_div(value: i128, bps: i128) -> Result<i128> {
    mul_div_half_up(value, BPS, bps)
}

/// `10^n` for `n ≤ 36`.
///
/// Errors: [`Error::Overflow`] above.
pub(crate) fn pow10(n: u8) -> Result<i128> {
    10i128.checked_pow(u32::from(n)).ok_or(Error::Overflow)
}

/// `x` as a whole number of `10^-decimals` (`x · 10^decimals`), which it must be.
///
/// Errors: [`Error::Invalid`] naming `what` (with `why`) when `x` has more fractional digits;
/// [`Error::Overflow`].
pub(crate) fn native(x: Wad, decimals: u8, what: &'static str, why: &'static str) -> Result<i128> {
    let unit = pow10(WAD_DECIMALS.checked_sub(decimals).ok_or(Error::invalid(what, why))?)?;
    if x.raw().checked_rem(unit).ok_or(Error::Overflow)? != 0 {
        return Err(Error::invalid(what, why));
    }
    x.raw().checked_div(unit).ok_or(Error::Overflow)
}

/// `n · 10^-decimals` as a wad, exact.
///
/// Errors: [`Error::Overflow`].
pub(crate) fn from_native(n: i128, decimals: u8) -> Result<Wad> {
    let unit = pow10(WAD_DECIMALS.checked_sub(decimals).ok_or(Error::Overflow)?)?;
    n.checked_mul(unit).map(Wad::from_raw).ok_or(Error::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_up_as_solidity() {
        // (7·5000 + 5000)/10000 = 4 (3.5 rounds up); (5·5000 + 5000)/10000 = 3 (2.5 up).
        assert_eq!(percent_mul(7, 5000).unwrap(), 4);
        assert_eq!(percent_mul(5, 5000).unwrap(), 3);
        assert_eq!(percent_mul(3, 3333).unwrap(), 1); // 9999+5000 = 14999 → 1
        // percentDiv(100, 10500) = (1_000_000 + 5250)/10500 = 95 (95.738…)
        assert_eq!(percent_div(100, 10_500).unwrap(), 95);
        // odd divisor: (10·1 + 1)/3 = 3 (3.33 → 3); (11 + 1)/3 = 4 (3.67 → 4)
        assert_eq!(mul_div_half_up(10, 1, 3).unwrap(), 3);
        assert_eq!(mul_div_half_up(11, 1, 3).unwrap(), 4);
        // exactly half with an odd divisor cannot happen; 5/2 with c even: 2.5 → 3
        assert_eq!(mul_div_half_up(5, 1, 2).unwrap(), 3);
        // wadDiv of numbers past i128 once multiplied by 1e18
        let a = 10i128.pow(30);
        assert_eq!(
            mul_div_half_up(a, 10i128.pow(18), 3 * 10i128.pow(29)).unwrap(),
            3_333_333_333_333_333_333
        );
    }

    #[test]
    fn native_units() {
        let x: Wad = "1.5".parse().unwrap();
        assert_eq!(native(x, 6, "x", "why").unwrap(), 1_500_000);
        assert!(native("1.0000001".parse().unwrap(), 6, "x", "why").is_err());
        assert_eq!(from_native(1_500_000, 6).unwrap(), x);
    }
}
