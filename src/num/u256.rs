//! 256-bit intermediates for [`Wad`](super::Wad) products and quotients.
//!
//! Only what directed rounding needs: the full 256-bit product of two `u128`, and the quotient
//! and remainder of a 256-bit number by a `u128` when the quotient fits in 128 bits. The
//! division is the classic two-by-one-word schoolbook step (Hacker's Delight, `divlu`) with
//! 64-bit half-words, so it runs in a handful of native divisions.

/// `10^18` as a non-zero divisor.
pub(crate) const TEN18: core::num::NonZeroU128 = match core::num::NonZeroU128::new(1_000_000_000_000_000_000) {
    Some(v) => v,
    None => core::num::NonZeroU128::MIN,
};

/// `(n / d, n % d)` for a divisor known to be non-zero: it cannot fail.
#[inline]
pub(crate) fn div_rem(n: u128, d: core::num::NonZeroU128) -> (u128, u128) {
    (n / d, n % d)
}

/// The full product `a * b` as `(high, low)` 128-bit halves.
#[inline]
pub(crate) const fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & MASK);
    let (b_hi, b_lo) = (b >> 64, b & MASK);
    // Each partial product of two 64-bit halves fits in 128 bits.
    let ll = a_lo.wrapping_mul(b_lo);
    let lh = a_lo.wrapping_mul(b_hi);
    let hl = a_hi.wrapping_mul(b_lo);
    let hh = a_hi.wrapping_mul(b_hi);
    // Sum the middle terms with their carries; no step can exceed 128 bits.
    let mid = (ll >> 64).wrapping_add(lh & MASK).wrapping_add(hl & MASK);
    let lo = (mid << 64) | (ll & MASK);
    let hi = hh
        .wrapping_add(lh >> 64)
        .wrapping_add(hl >> 64)
        .wrapping_add(mid >> 64);
    (hi, lo)
}

/// Divides the 256-bit number `hi·2^128 + lo` by `d`, returning `(quotient, remainder)`.
///
/// Returns `None` when `d == 0` or when the quotient does not fit in 128 bits (`hi >= d`).
#[inline]
pub(crate) fn div_rem_wide(hi: u128, lo: u128, d: u128) -> Option<(u128, u128)> {
    if d == 0 || hi >= d {
        return None;
    }
    if hi == 0 {
        return core::num::NonZeroU128::new(d).map(|d| div_rem(lo, d));
    }
    Some(divlu(hi, lo, d))
}

/// Two-word by one-word division with `u128` words and `u64` digits; requires `hi < d`.
#[allow(clippy::arithmetic_side_effects)] // every step is bounded by the invariants noted
fn divlu(hi: u128, lo: u128, d: u128) -> (u128, u128) {
    const B: u128 = 1 << 64;
    // Normalise so that the divisor's top bit is set.
    let s = d.leading_zeros();
    let d = d << s;
    let (d1, d0) = (d >> 64, d & (B - 1));
    let un32 = if s == 0 { hi } else { (hi << s) | (lo >> (128 - s)) };
    let un10 = lo << s;
    let (un1, un0) = (un10 >> 64, un10 & (B - 1));

    // First digit of the quotient.
    let mut q1 = un32 / d1;
    let mut rhat = un32 - q1 * d1;
    while q1 >= B || q1 * d0 > (rhat << 64) + un1 {
        q1 -= 1;
        rhat += d1;
        if rhat >= B {
            break;
        }
    }
    let un21 = (un32 << 64).wrapping_add(un1).wrapping_sub(q1.wrapping_mul(d));

    // Second digit.
    let mut q0 = un21 / d1;
    rhat = un21 - q0 * d1;
    while q0 >= B || q0 * d0 > (rhat << 64) + un0 {
        q0 -= 1;
        rhat += d1;
        if rhat >= B {
            break;
        }
    }
    let r = (un21 << 64).wrapping_add(un0).wrapping_sub(q0.wrapping_mul(d));
    ((q1 << 64) | q0, r >> s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_of_maxima() {
        // (2^128 - 1)^2 = 2^256 - 2^129 + 1
        assert_eq!(mul_wide(u128::MAX, u128::MAX), (u128::MAX - 1, 1));
        assert_eq!(mul_wide(1 << 64, 1 << 64), (1, 0));
        assert_eq!(mul_wide(3, 5), (0, 15));
    }

    #[test]
    fn division_round_trips() {
        let cases = [
            (u128::MAX, 7u128),
            (10u128.pow(38), 10u128.pow(18)),
            ((1u128 << 127) + 12345, (1u128 << 100) + 99),
            (u128::MAX / 3, u128::MAX - 5),
        ];
        for (a, b) in cases {
            for d in [b, b | 1, (b >> 1) + 1, u128::MAX, 1u128 << 64, (1 << 64) - 1] {
                let (hi, lo) = mul_wide(a, b);
                let Some((q, r)) = div_rem_wide(hi, lo, d) else {
                    assert!(hi >= d);
                    continue;
                };
                assert!(r < d);
                // q * d + r == a * b
                let (qh, ql) = mul_wide(q, d);
                let (sum_lo, carry) = ql.overflowing_add(r);
                assert_eq!((qh + u128::from(carry), sum_lo), (hi, lo));
            }
        }
        assert_eq!(div_rem_wide(0, 5, 0), None);
        assert_eq!(div_rem_wide(5, 0, 5), None);
    }
}
