//! 256-bit intermediates for [`Wad`](super::Wad) products and quotients.
//!
//! Only what directed rounding and the fast transcendental paths need: the full 256-bit
//! product of two `u128` and its high half from three partial products, and the quotient
//! and remainder of a 256-bit number by a `u128` when the quotient fits in 128 bits. The
//! division is the classic two-by-one-word schoolbook step (Hacker's Delight, `divlu`) with
//! 64-bit half-words, so it runs in a handful of native divisions.

/// The low 64 bits of a `u128`.
pub(crate) const LOW64: u128 = u64::MAX as u128;

/// `(n / d, n % d)` for a divisor known to be non-zero: it cannot fail.
///
/// On 32-bit targets through [`div_rem_digits32`] (no `u128` division libcall); the `(0, 0)`
/// fallback is unreachable there (`0 < d` and a zero high half).
#[inline]
pub(crate) fn div_rem(n: u128, d: core::num::NonZeroU128) -> (u128, u128) {
    #[cfg(not(target_pointer_width = "64"))]
    {
        div_rem_digits32(0, n, d.get()).unwrap_or((0, 0))
    }
    #[cfg(target_pointer_width = "64")]
    {
        (n / d, n % d)
    }
}

/// The full product `a * b` as `(high, low)` 128-bit halves.
#[inline]
pub(crate) const fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    let (a_hi, a_lo) = (a >> 64, a & LOW64);
    let (b_hi, b_lo) = (b >> 64, b & LOW64);
    if a_hi == 0 || b_hi == 0 {
        // One factor below 2^64 (a weight, a price below 18.4, a small balance): two partial
        // products instead of four, `big·small = big_hi·small·2^64 + big_lo·small`.
        let (big, small) = if b_hi == 0 { (a, b_lo) } else { (b, a_lo) };
        let ll = (big & LOW64).wrapping_mul(small);
        let hl = (big >> 64).wrapping_mul(small);
        let (lo, carry) = ll.overflowing_add(hl << 64);
        return ((hl >> 64).wrapping_add(carry as u128), lo);
    }
    // Each partial product of two 64-bit halves fits in 128 bits.
    let ll = a_lo.wrapping_mul(b_lo);
    let lh = a_lo.wrapping_mul(b_hi);
    let hl = a_hi.wrapping_mul(b_lo);
    let hh = a_hi.wrapping_mul(b_hi);
    // Sum the middle terms with their carries; no step can exceed 128 bits.
    let mid = (ll >> 64).wrapping_add(lh & LOW64).wrapping_add(hl & LOW64);
    let lo = (mid << 64) | (ll & LOW64);
    let hi = hh.wrapping_add(lh >> 64).wrapping_add(hl >> 64).wrapping_add(mid >> 64);
    (hi, lo)
}

/// `floor(2^188 / 10^18) - 2^128`: the low 128 bits of the 129-bit reciprocal of `10^18`.
const RECIP_TEN18_LOW: u128 = 0x2725_dd1d_243a_ba0e_75fe_645c_c487_3f9e;

/// `floor(a·b / 2^128)` or up to two less: the high half of the product from its three top
/// partial products, without the low-by-low one and without the carry out of the sum of the
/// two middle ones' low halves (together they add at most 2 to the high half). Three
/// multiplications; it is never above the exact high half, so sums of it with other
/// truncated terms do not overflow where the exact ones do not.
#[inline]
pub(crate) const fn mul_high_approx(a: u128, b: u128) -> u128 {
    let (a_hi, a_lo) = (a >> 64, a & LOW64);
    let (b_hi, b_lo) = (b >> 64, b & LOW64);
    // Each term is at most the exact high half, and so is their sum.
    a_hi.wrapping_mul(b_hi)
        .wrapping_add(a_hi.wrapping_mul(b_lo) >> 64)
        .wrapping_add(a_lo.wrapping_mul(b_hi) >> 64)
}

/// Divides the 256-bit number `hi·2^128 + lo` by `10^18`, returning the quotient and whether
/// the division was inexact; `None` when the quotient is `2^128` or more.
///
/// Division by an invariant integer, with no division instruction: for `n < 2^188` and
/// `t = floor(n / 2^60)`, the estimate `q̂ = floor(t·R / 2^128)` with
/// `R = floor(2^188 / 10^18)` (129 bits, so `t·R = t·2^128 + t·(R - 2^128)`) is below the true
/// quotient by at most 5: `n mod 2^60` contributes less than `2^60/10^18 < 1.16`, the
/// truncation of `R` less than `t/2^128 < 1`, the partial products [`mul_high_approx`] drops
/// at most 2, and the final truncation less than 1. So the remainder `n - q̂·10^18` lies in
/// `[0, 6·10^18)`, inside `[0, 2^64)`: its low 64 bits are all of it, and a branch-free count
/// of the whole divisors left in it finishes the quotient. Eight 64-bit multiplications in all.
#[inline]
pub(crate) fn div_ten18_wide(hi: u128, lo: u128) -> Option<(u128, bool)> {
    const D: u64 = super::TEN18;
    const D2: u64 = 2 * D;
    const D3: u64 = 3 * D;
    const D4: u64 = 4 * D;
    const D5: u64 = 5 * D;
    if hi >> 60 != 0 {
        // n >= 2^188 > 2^128·10^18: the quotient does not fit.
        return None;
    }
    let t = (hi << 68) | (lo >> 60);
    let q = t.checked_add(mul_high_approx(t, RECIP_TEN18_LOW))?;
    let r = (lo as u64).wrapping_sub((q as u64).wrapping_mul(D));
    let c = u64::from(r >= D)
        .wrapping_add(u64::from(r >= D2))
        .wrapping_add(u64::from(r >= D3))
        .wrapping_add(u64::from(r >= D4))
        .wrapping_add(u64::from(r >= D5));
    let r = r.wrapping_sub(c.wrapping_mul(D));
    let q = q.checked_add(u128::from(c))?;
    Some((q, r != 0))
}

/// Divides the 256-bit number `hi·2^128 + lo` by `d`, returning `(quotient, remainder)`.
///
/// Returns `None` when `d == 0` or when the quotient does not fit in 128 bits (`hi >= d`).
///
/// On 64-bit targets: a native `u128` division when `hi == 0`, else [`divlu`]. On 32-bit
/// targets (wasm32, thumbv7em, riscv32), where a `u128` division is a large and slow libcall,
/// Knuth's algorithm D with 32-bit digits ([`div_rem_digits32`]). Both are exact: the same
/// quotient and remainder on every target.
#[inline]
pub(crate) fn div_rem_wide(hi: u128, lo: u128, d: u128) -> Option<(u128, u128)> {
    if d == 0 || hi >= d {
        return None;
    }
    #[cfg(not(target_pointer_width = "64"))]
    {
        div_rem_digits32(hi, lo, d)
    }
    #[cfg(target_pointer_width = "64")]
    {
        if hi == 0 {
            return core::num::NonZeroU128::new(d).map(|d| div_rem(lo, d));
        }
        divlu(hi, lo, d)
    }
}

/// The 32-bit digits of `x`, least significant first.
#[cfg_attr(target_pointer_width = "64", allow(dead_code))] // tested on 64-bit hosts
const fn digits(x: u128) -> [u32; 4] {
    [x as u32, (x >> 32) as u32, (x >> 64) as u32, (x >> 96) as u32]
}

/// The number of significant digits of a digit string (0 for zero).
#[cfg_attr(target_pointer_width = "64", allow(dead_code))] // tested on 64-bit hosts
fn significant(d: &[u32]) -> usize {
    d.iter().rposition(|&x| x != 0).map_or(0, |i| i.saturating_add(1))
}

/// `u128` from up to four digits, least significant first.
#[cfg_attr(target_pointer_width = "64", allow(dead_code))] // tested on 64-bit hosts
fn from_digits(d: &[u32]) -> u128 {
    d.iter()
        .rev()
        .take(4)
        .fold(0u128, |acc, &x| (acc << 32) | u128::from(x))
}

/// Knuth's algorithm D (TAOCP vol. 2, 4.3.1; the form of Hacker's Delight's `divmnu`) with
/// 32-bit digits: `(n / d, n % d)` for `n = hi·2^128 + lo` and `0 < d`, `hi < d` (so the
/// quotient fits 128 bits). Each step is one 64-by-32-bit division and a few 32×32-bit
/// products: single instructions on wasm32, where a `u128` division is a libcall of a
/// thousand bytes. Used on 32-bit targets; exact, so its results are those of [`divlu`].
///
/// `None` when `d == 0` or `hi >= d` (and, unreachably, if a digit range left its array).
#[cfg_attr(target_pointer_width = "64", allow(dead_code))] // tested on 64-bit hosts
#[allow(clippy::arithmetic_side_effects)] // each step is bounded as noted
pub(crate) fn div_rem_digits32(hi: u128, lo: u128, d: u128) -> Option<(u128, u128)> {
    const B: u64 = 1 << 32;
    if d == 0 || hi >= d {
        return None;
    }
    if hi == 0 && (lo | d) >> 64 == 0 {
        // Both fit 64 bits: one native division.
        let (n, d) = (lo as u64, core::num::NonZeroU64::new(d as u64)?);
        return Some((u128::from(n / d), u128::from(n % d)));
    }
    // Normalise: shift so that the divisor's top digit has its top bit set (s < 32); the
    // dividend gains a ninth digit for what the shift moves out.
    let s = d.leading_zeros() % 32;
    let v = digits(d << s);
    let n = significant(&v);
    let (nh, nl) = ((hi << s) | lo.checked_shr(128 - s).unwrap_or(0), lo << s);
    let [a, b, c, e] = digits(nl);
    let [f, g, h, i] = digits(nh);
    let mut un = [a, b, c, e, f, g, h, i, hi.checked_shr(128 - s).unwrap_or(0) as u32];
    // The dividend's digits (at least n: n ≥ d's digits and hi·2^128 + lo ≥ 2^64 here).
    let ud = significant(&un).max(n);
    let v = v.get(..n)?;
    let (&vt, rest) = v.split_last()?;
    let (vt, vs) = (u64::from(vt), rest.last().map_or(0, |&x| u64::from(x)));
    let vt_nz = core::num::NonZeroU64::new(vt)?;
    let mut q = [0u32; 9];
    // Quotient digits from the top: digit j divides un[j..=j+n] by v.
    for j in (0..=ud.saturating_sub(n)).rev() {
        let w = un.get_mut(j..=j + n)?;
        let (top, low) = w.split_last_mut()?;
        let (&mut below, lower) = low.split_last_mut()?;
        let next = lower.last().map_or(0, |&x| u64::from(x));
        let num = (u64::from(*top) << 32) | u64::from(below);
        let mut qhat = num / vt_nz;
        let mut rhat = num % vt_nz;
        // At most two corrections; qhat < 2^32 and rhat < 2^32 whenever multiplied.
        while qhat >= B || qhat * vs > ((rhat << 32) | next) {
            qhat -= 1;
            rhat += vt;
            if rhat >= B {
                break;
            }
        }
        // Multiply and subtract: w −= qhat · v.
        let mut k: i64 = 0;
        for (cell, &x) in w.iter_mut().zip(v) {
            let p = qhat * u64::from(x);
            let diff = i64::from(*cell).wrapping_sub(k).wrapping_sub((p & 0xffff_ffff) as i64);
            *cell = diff as u32;
            k = ((p >> 32) as i64).wrapping_sub(diff >> 32);
        }
        let (top, low) = w.split_last_mut()?;
        let diff = i64::from(*top).wrapping_sub(k);
        *top = diff as u32;
        if diff < 0 {
            // qhat was one too large (rare): add the divisor back.
            qhat -= 1;
            let mut carry = 0u64;
            for (cell, &x) in low.iter_mut().zip(v) {
                let sum = u64::from(*cell) + u64::from(x) + carry;
                *cell = sum as u32;
                carry = sum >> 32;
            }
            *top = top.wrapping_add(carry as u32);
        }
        *q.get_mut(j)? = qhat as u32;
    }
    Some((from_digits(q.get(..4)?), from_digits(un.get(..n)?) >> s))
}

/// Two-word by one-word division with `u128` words and `u64` digits; requires `hi < d`.
///
/// `None` only when `d == 0`, which the caller excludes: the normalised divisor's top digit
/// `d1` is then at least `2^63`. It is a `NonZeroU128` so that the divisions by it are
/// infallible and no division-by-zero panic path is compiled in.
#[allow(clippy::arithmetic_side_effects)] // every step is bounded by the invariants noted
#[cfg_attr(not(target_pointer_width = "64"), allow(dead_code))] // tested on 32-bit hosts too
fn divlu(hi: u128, lo: u128, d: u128) -> Option<(u128, u128)> {
    const B: u128 = 1 << 64;
    // Normalise so that the divisor's top bit is set.
    let s = d.leading_zeros();
    let d = d << s;
    let (d1, d0) = (core::num::NonZeroU128::new(d >> 64)?, d & (B - 1));
    let un32 = if s == 0 { hi } else { (hi << s) | (lo >> (128 - s)) };
    let un10 = lo << s;
    let (un1, un0) = (un10 >> 64, un10 & (B - 1));

    // First digit of the quotient.
    let mut q1 = un32 / d1;
    let mut rhat = un32 - q1 * d1.get();
    while q1 >= B || q1 * d0 > (rhat << 64) + un1 {
        q1 -= 1;
        rhat += d1.get();
        if rhat >= B {
            break;
        }
    }
    let un21 = (un32 << 64).wrapping_add(un1).wrapping_sub(q1.wrapping_mul(d));

    // Second digit.
    let mut q0 = un21 / d1;
    rhat = un21 - q0 * d1.get();
    while q0 >= B || q0 * d0 > (rhat << 64) + un0 {
        q0 -= 1;
        rhat += d1.get();
        if rhat >= B {
            break;
        }
    }
    let r = (un21 << 64).wrapping_add(un0).wrapping_sub(q0.wrapping_mul(d));
    Some(((q1 << 64) | q0, r >> s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reciprocal_division_agrees_with_long_division() {
        let d = 1_000_000_000_000_000_000u128;
        let mut seed = 0x9e37_79b9_7f4a_7c15_u128;
        let mut next = || {
            seed = seed
                .wrapping_mul(0x2545_f491_4f6c_dd1d_6a09_e667_f3bc_c909)
                .wrapping_add(1442695040888963407);
            seed
        };
        for i in 0..crate::num::math::test_gen::iterations(20_000) {
            let (a, b) = (next() >> (i % 128), next() >> ((i / 128) % 128));
            let (hi, lo) = mul_wide(a, b);
            let expect = div_rem_wide(hi, lo, d).map(|(q, r)| (q, r != 0));
            assert_eq!(div_ten18_wide(hi, lo), expect, "{a} * {b}");
        }
        // Edges: the largest quotient, exact multiples, and just past the limit.
        let (hi, lo) = mul_wide(u128::MAX, d);
        assert_eq!(div_ten18_wide(hi, lo), Some((u128::MAX, false)));
        let (hi, lo) = mul_wide(u128::MAX, d - 1);
        assert_eq!(
            div_ten18_wide(hi, lo),
            div_rem_wide(hi, lo, d).map(|(q, r)| (q, r != 0))
        );
        let (hi2, lo2) = (hi, lo.wrapping_add(d).wrapping_add(d));
        let carry = u128::from(lo2 < lo);
        assert_eq!(
            div_ten18_wide(hi2 + carry, lo2),
            div_rem_wide(hi2 + carry, lo2, d).map(|(q, r)| (q, r != 0))
        );
        assert_eq!(div_ten18_wide(1 << 60, 0), None);
        assert_eq!(div_ten18_wide(0, 0), Some((0, false)));
    }

    #[test]
    fn thirty_two_bit_digits_divide_as_the_wide_words() {
        let mut seed = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210_u128;
        let mut next = || {
            seed = seed
                .wrapping_mul(0x2545_f491_4f6c_dd1d_6a09_e667_f3bc_c909)
                .wrapping_add(1442695040888963407);
            seed
        };
        let reference = |hi: u128, lo: u128, d: u128| -> Option<(u128, u128)> {
            if d == 0 || hi >= d {
                return None;
            }
            if hi == 0 {
                return Some((lo / d, lo % d));
            }
            divlu(hi, lo, d)
        };
        for i in 0..crate::num::math::test_gen::iterations(50_000) {
            // Every width of divisor and dividend, digit boundaries included.
            let d = next() >> (i % 128);
            let hi = if i % 3 == 0 {
                0
            } else {
                next() >> ((i / 7) % 129).min(127)
            };
            let hi = if d == 0 { 0 } else { hi % d };
            let lo = next() >> ((i / 3) % 128);
            assert_eq!(div_rem_digits32(hi, lo, d), reference(hi, lo, d), "{hi} {lo} {d}");
        }
        // Quotient digits that need the correction and the add-back.
        for (hi, lo, d) in [
            (
                0x8000_0000_0000_0000_35bf_992d_c9e9_c616,
                0xd5f4_b3b2_e4b0_6ce6_0741_c7a8_7ce4_2c82,
                0x8000_0000_0000_0001_ffff_ffff_ffff_ffff,
            ),
            (
                0x7fff_ffff_8000_0000_0000_0000_0000_0000,
                0,
                0x8000_0000_0000_0000_0000_0000_0000_0001,
            ),
            (
                0,
                0x0000_7fff_8000_0000_0000_0000_0000_0000,
                0x0000_8000_0000_0000_0000_0000_0000_0001,
            ),
            (u128::MAX - 1, u128::MAX, u128::MAX),
            (0, u128::MAX, 1),
            (0, u128::MAX, 3),
            (2, 5, 3),
            (0, 5, 7),
            (0, 1 << 96, (1 << 96) + 1),
            (1, 0, 1 << 64),
            (0xffff_fffe, u128::MAX, 0xffff_ffff),
            (0, 12345, 1 << 100),
            (0, u128::from(u64::MAX), u128::from(u64::MAX) + 1),
        ] {
            assert_eq!(div_rem_digits32(hi, lo, d), reference(hi, lo, d), "{hi:x} {lo:x} {d:x}");
        }
        assert_eq!(div_rem_digits32(0, 5, 0), None);
        assert_eq!(div_rem_digits32(5, 0, 5), None);
    }

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

    #[test]
    fn a_first_digit_that_needs_two_corrections() {
        // Found by search (Python big integers): the first quotient digit estimate is 2 too
        // large, so Knuth's correction loop runs twice; n = hi·2^128 + lo, q = ⌊n/d⌋, r = n mod d.
        let (hi, lo) = (
            0x8000_0000_0000_0000_35bf_992d_c9e9_c616,
            0xd5f4_b3b2_e4b0_6ce6_0741_c7a8_7ce4_2c82,
        );
        let d = 0x8000_0000_0000_0001_ffff_ffff_ffff_ffff;
        assert_eq!(
            div_rem_wide(hi, lo, d),
            Some((
                0xffff_ffff_ffff_fffc_6b7f_325b_93d3_8c3d,
                0x7ef6_4efb_bd09_5468_72c0_fa04_10b7_b8bf
            ))
        );
    }
}
