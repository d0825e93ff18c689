//! 256-bit intermediates for [`Wad`](super::Wad) products and quotients.
//!
//! Only what directed rounding and the fast transcendental paths need: the full 256-bit
//! product of two `u128` and its high half from three partial products, and the quotient
//! and remainder of a 256-bit number by a `u128` when the quotient fits in 128 bits. The
//! division is schoolbook division with 64-bit words (Knuth's algorithm D with a divisor of one
//! or two words), one hardware division per quotient word, on 64-bit targets, and with 32-bit
//! digits on 32-bit targets.

use core::num::{NonZeroU64, NonZeroU128};

/// The low 64 bits of a `u128`.
pub(crate) const LOW64: u128 = u64::MAX as u128;

/// `(n / d, n % d)` for a divisor known to be non-zero: it cannot fail.
///
/// On 32-bit targets through [`div_rem_digits32`] (no `u128` division libcall); the `(0, 0)`
/// fallback is unreachable there (`0 < d` and a zero high half).
#[inline]
pub(crate) fn div_rem(n: u128, d: NonZeroU128) -> (u128, u128) {
    #[cfg(not(target_pointer_width = "64"))]
    {
        div_rem_digits32(0, n, d.get()).unwrap_or((0, 0))
    }
    #[cfg(target_pointer_width = "64")]
    {
        (n / d, n % d)
    }
}

/// The full product of two `u64` as a `u128`.
///
/// On 64-bit targets the native widening multiplication. On 32-bit targets (wasm32,
/// thumbv7em, riscv32) a `u128` product is the `__multi3` libcall, a full 128×128-bit product
/// returned through memory; there it is [`mul_64_halves`], four 32×32-bit products inline.
/// The same value either way.
///
/// Used by [`mul_high_approx`] (so by every `Wad` product's division by `10^18` and the fast
/// `exp`/`ln` attempts): on wasm32 it saves 9.5 % of the fuel of a 16-position health and
/// 6.5 % of a token liquidation's plan (`probes/wasm.sh`) for 109 bytes. Not in [`mul_wide`],
/// where it made both the code and the count larger.
#[inline(always)]
pub(crate) const fn mul_64(a: u64, b: u64) -> u128 {
    #[cfg(target_pointer_width = "64")]
    {
        (a as u128).wrapping_mul(b as u128)
    }
    #[cfg(not(target_pointer_width = "64"))]
    {
        mul_64_halves(a, b)
    }
}

/// `a · b` from the 32-bit halves: `a1·b1·2^64 + (a0·b1 + a1·b0)·2^32 + a0·b0`, each partial
/// product a 64-bit one (a single instruction on wasm32, which has 64-bit multiplication).
///
/// The middle sum and the low half are added with their carries (`overflowing_add`), not as
/// the "ladder" of 32-bit column sums: LLVM recognises the ladder as a widening multiplication
/// and turns it back into the `__multi3` call this avoids.
#[inline(always)]
#[cfg_attr(target_pointer_width = "64", allow(dead_code))] // tested on 64-bit hosts
pub(crate) const fn mul_64_halves(a: u64, b: u64) -> u128 {
    const M: u64 = 0xffff_ffff;
    let (a1, a0) = (a >> 32, a & M);
    let (b1, b0) = (b >> 32, b & M);
    // Each partial product of two 32-bit halves fits in 64 bits.
    let ll = a0.wrapping_mul(b0);
    let lh = a0.wrapping_mul(b1);
    let hl = a1.wrapping_mul(b0);
    let hh = a1.wrapping_mul(b1);
    // mid = lh + hl, a 65-bit sum: its carry is worth 2^96 in the product.
    let (mid, mid_carry) = lh.overflowing_add(hl);
    let (lo, lo_carry) = ll.overflowing_add(mid << 32);
    // The exact high half: hh + mid's top 32 bits + its carry at 2^32 + the low half's carry.
    let hi = hh
        .wrapping_add(mid >> 32)
        .wrapping_add((mid_carry as u64) << 32)
        .wrapping_add(lo_carry as u64);
    ((hi as u128) << 64) | (lo as u128)
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
    let (a_hi, a_lo) = ((a >> 64) as u64, a as u64);
    let (b_hi, b_lo) = ((b >> 64) as u64, b as u64);
    // Each term is at most the exact high half, and so is their sum.
    mul_64(a_hi, b_hi)
        .wrapping_add(mul_64(a_hi, b_lo) >> 64)
        .wrapping_add(mul_64(a_lo, b_hi) >> 64)
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
/// `[0, 6·10^18)`, inside `[0, 2^64)`: its low 64 bits are all of it, and the whole divisors
/// left in it ([`ten18s_left`]) finish the quotient.
#[inline]
pub(crate) fn div_ten18_wide(hi: u128, lo: u128) -> Option<(u128, bool)> {
    if hi >> 60 != 0 {
        // n >= 2^188 > 2^128·10^18: the quotient does not fit.
        return None;
    }
    let t = (hi << 68) | (lo >> 60);
    let q = t.checked_add(mul_high_approx(t, RECIP_TEN18_LOW))?;
    let r = (lo as u64).wrapping_sub((q as u64).wrapping_mul(super::TEN18));
    let (c, inexact) = ten18s_left(r);
    let q = q.checked_add(u128::from(c))?;
    Some((q, inexact))
}

/// `(r / 10^18, r % 10^18 != 0)` for `r < 6·10^18`: the last step of [`div_ten18_wide`].
///
/// On 64-bit targets a `u64` division by the constant, which the compiler turns into a
/// multiplication by its reciprocal and a shift ([`ten18s_left_divide`]). On 32-bit targets,
/// where that multiplication is a 64×64-bit product of four partial ones, or a libcall, five
/// branch-free comparisons ([`ten18s_left_count`]). The same pair either way.
#[inline(always)]
fn ten18s_left(r: u64) -> (u64, bool) {
    #[cfg(target_pointer_width = "64")]
    {
        ten18s_left_divide(r)
    }
    #[cfg(not(target_pointer_width = "64"))]
    {
        ten18s_left_count(r)
    }
}

/// [`ten18s_left`] by a division by the constant `10^18`, for any `r`.
#[inline(always)]
#[cfg_attr(not(target_pointer_width = "64"), allow(dead_code))] // tested on 32-bit hosts too
fn ten18s_left_divide(r: u64) -> (u64, bool) {
    const D: NonZeroU64 = match NonZeroU64::new(super::TEN18) {
        Some(d) => d,
        None => NonZeroU64::MIN,
    };
    (r / D, r % D != 0)
}

/// [`ten18s_left`] by counting the multiples of `10^18` up to `5·10^18` that `r` reaches: right
/// for `r < 6·10^18`.
#[inline(always)]
#[cfg_attr(target_pointer_width = "64", allow(dead_code))] // tested on 64-bit hosts
fn ten18s_left_count(r: u64) -> (u64, bool) {
    const D: u64 = super::TEN18;
    const D2: u64 = 2 * D;
    const D3: u64 = 3 * D;
    const D4: u64 = 4 * D;
    const D5: u64 = 5 * D;
    let c = u64::from(r >= D)
        .wrapping_add(u64::from(r >= D2))
        .wrapping_add(u64::from(r >= D3))
        .wrapping_add(u64::from(r >= D4))
        .wrapping_add(u64::from(r >= D5));
    (c, r.wrapping_sub(c.wrapping_mul(D)) != 0)
}

/// Divides the 256-bit number `hi·2^128 + lo` by `d`, returning `(quotient, remainder)`.
///
/// Returns `None` when `d == 0` or when the quotient does not fit in 128 bits (`hi >= d`).
///
/// On 64-bit targets [`div_rem_words`]: schoolbook division with 64-bit words, each quotient
/// word one hardware two-by-one division. On 32-bit targets (wasm32, thumbv7em, riscv32),
/// where a `u128` division is a large and slow libcall, Knuth's algorithm D with 32-bit digits
/// ([`div_rem_digits32`]). Both are exact: the same quotient and remainder on every target.
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
        div_rem_words(hi, lo, d)
    }
}

/// `(n / d, n % d)` for the two-word `n = n1·2^64 + n0` and a one-word `d` with `n1 < d`, so
/// that the quotient fits one word.
///
/// Written as a `u128` division, the only way to reach the hardware's two-by-one division
/// without `unsafe`: on x86-64 it is the `__udivti3` libcall, which for a divisor below `2^64`
/// and `n1 < d` goes straight to one `div` instruction, with no normalisation and no
/// correction step. The remainder is below `d < 2^64`, so the low word of `n - q·d` is all of it.
#[inline(always)]
#[cfg_attr(not(target_pointer_width = "64"), allow(dead_code))] // tested on 32-bit hosts too
fn div_2by1(n1: u64, n0: u64, d: NonZeroU64) -> (u64, u64) {
    let n = (u128::from(n1) << 64) | u128::from(n0);
    // n1 < d: n < d·2^64, so the quotient is below 2^64 and the cast keeps all of it.
    let q = (n / NonZeroU128::from(d)) as u64;
    (q, n0.wrapping_sub(q.wrapping_mul(d.get())))
}

/// One quotient word of a division by the normalised two-word divisor `v = v1·2^64 + v0`
/// (`v1 >= 2^63`): `(u / v, u % v)` for the three-word `u = u2·2^128 + u1·2^64 + u0` with
/// `u2·2^64 + u1 < v`, so that the quotient fits one word.
///
/// Knuth's algorithm D, step D3 (TAOCP vol. 2, 4.3.1), with a two-word divisor: the estimate
/// `q̂ = min(⌊(u2·2^64 + u1) / v1⌋, 2^64 - 1)` is never below the quotient, and the test
/// `q̂·v0 > r̂·2^64 + u0` (with `r̂ = u2·2^64 + u1 - q̂·v1`) is exactly `q̂·v > u`, so the loop
/// ends on the quotient itself (after at most two steps, as `v1 >= 2^63`) and no add-back
/// step follows. When `r̂ >= 2^64` the test is false (`q̂·v0 < 2^128 <= r̂·2^64`) and the loop
/// stops without forming `r̂·2^64`.
#[inline(always)]
#[cfg_attr(not(target_pointer_width = "64"), allow(dead_code))] // tested on 32-bit hosts too
fn div_3by2(u2: u64, u1: u64, u0: u64, v1: NonZeroU64, v0: u64) -> (u64, u128) {
    // u2·2^64 + u1 < v gives u2 <= v1; `big` is r̂'s 65th bit.
    let (mut q, mut rhat, mut big) = if u2 < v1.get() {
        let (q, r) = div_2by1(u2, u1, v1);
        (q, r, false)
    } else {
        // u2 = v1: the estimate would be 2^64 or more; start at 2^64 - 1, whose r̂ is
        // v1·2^64 + u1 - (2^64 - 1)·v1 = u1 + v1.
        let (r, carry) = u1.overflowing_add(v1.get());
        (u64::MAX, r, carry)
    };
    // Each step runs only while q̂·v > u, so q̂ is above the quotient and q̂ - 1 cannot wrap.
    while !big && mul_64(q, v0) > ((u128::from(rhat) << 64) | u128::from(u0)) {
        q = q.wrapping_sub(1);
        (rhat, big) = rhat.overflowing_add(v1.get());
    }
    // The remainder u - q·v is below v < 2^128: its low 128 bits are all of it.
    let v = (u128::from(v1.get()) << 64) | u128::from(v0);
    let u = (u128::from(u1) << 64) | u128::from(u0);
    (q, u.wrapping_sub(u128::from(q).wrapping_mul(v)))
}

/// `(n / d, n % d)` for `n = hi·2^128 + lo`, by schoolbook division with 64-bit words; `None`
/// when `d == 0` or `hi >= d` (the quotient would not fit 128 bits).
///
/// Each quotient word is one hardware two-by-one division ([`div_2by1`]): two in all, one when
/// the quotient's high word is zero.
///
/// - A one-word divisor (`d < 2^64`) divides `n` word by word, the remainder carried down:
///   no normalisation, no correction.
/// - A two-word divisor is normalised (shifted so that its top bit is set; the dividend,
///   below `d·2^128`, still fits four words after the same shift) and each quotient word is
///   one [`div_3by2`] step; the high word is zero, and its step skipped, exactly when the top
///   three words of the shifted dividend are below the divisor.
///
/// Used on 64-bit targets (compiled, and tested, on every host).
#[inline(always)]
#[allow(clippy::arithmetic_side_effects)] // each step is bounded as noted
#[cfg_attr(not(target_pointer_width = "64"), allow(dead_code))] // tested on 32-bit hosts too
pub(crate) fn div_rem_words(hi: u128, lo: u128, d: u128) -> Option<(u128, u128)> {
    if d == 0 || hi >= d {
        return None;
    }
    let (n1, n0) = ((lo >> 64) as u64, lo as u64);
    if d >> 64 == 0 {
        // hi < d < 2^64: hi is one word, below d.
        let d = NonZeroU64::new(d as u64)?;
        let (q1, r) = if hi == 0 {
            // A one-word division: native, and no libcall.
            (n1 / d, n1 % d)
        } else {
            div_2by1(hi as u64, n1, d)
        };
        let (q0, r) = div_2by1(r, n0, d);
        return Some(((u128::from(q1) << 64) | u128::from(q0), u128::from(r)));
    }
    // d >= 2^64: normalise by s < 64, so that v's top word has its top bit set. The shifts
    // are of 64-bit words; `x >> 1 >> (63 - s)` is x's top s bits (none when s = 0).
    let (d1, d0) = ((d >> 64) as u64, d as u64);
    let s = d1.leading_zeros();
    let back = 63 - s;
    let v1 = NonZeroU64::new((d1 << s) | (d0 >> 1 >> back))?;
    let v0 = d0 << s;
    // n·2^s in four words u3..u0: n < d·2^128, so nothing is shifted out of the top, and
    // u3·2^64 + u2 < v.
    let (n3, n2) = ((hi >> 64) as u64, hi as u64);
    let u3 = (n3 << s) | (n2 >> 1 >> back);
    let u2 = (n2 << s) | (n1 >> 1 >> back);
    let u1 = (n1 << s) | (n0 >> 1 >> back);
    let u0 = n0 << s;
    // The high quotient word: u3·2^128 + u2·2^64 + u1 divided by v, or zero when that is
    // below v.
    let (q1, r) =
        if u3 == 0 && ((u128::from(u2) << 64) | u128::from(u1)) < ((u128::from(v1.get()) << 64) | u128::from(v0)) {
            (0, (u128::from(u2) << 64) | u128::from(u1))
        } else {
            div_3by2(u3, u2, u1, v1, v0)
        };
    let (q0, r) = div_3by2((r >> 64) as u64, r as u64, u0, v1, v0);
    // The remainder, shifted back.
    let (r1, r0) = ((r >> 64) as u64, r as u64);
    let r = (u128::from(r1 >> s) << 64) | u128::from((r0 >> s) | (r1 << 1 << back));
    Some(((u128::from(q1) << 64) | u128::from(q0), r))
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
/// thousand bytes. Used on 32-bit targets; exact, so its results are those of
/// [`div_rem_words`].
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
        let (n, d) = (lo as u64, NonZeroU64::new(d as u64)?);
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
    let vt_nz = NonZeroU64::new(vt)?;
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
    fn the_divisors_left_are_divided_or_counted_alike() {
        // Both ways of finishing div_ten18_wide's quotient, on their whole domain [0, 6·10^18):
        // each multiple of 10^18 and its neighbours, then a stride through the range.
        const D: u64 = crate::num::TEN18;
        for k in 0..6 {
            for off in [0, 1, 2, D / 2, D - 2, D - 1] {
                let r = k * D + off;
                let expect = (r / D, !r.is_multiple_of(D));
                assert_eq!(ten18s_left_divide(r), expect, "{r}");
                assert_eq!(ten18s_left_count(r), expect, "{r}");
                assert_eq!(ten18s_left(r), expect, "{r}");
            }
        }
        let n = crate::num::math::test_gen::iterations(200_000);
        for i in 0..u64::from(n) {
            let r = i.wrapping_mul(6 * D / u64::from(n)).wrapping_add(i % 7);
            let expect = (r / D, r % D != 0);
            assert_eq!(ten18s_left_divide(r), expect, "{r}");
            assert_eq!(ten18s_left_count(r), expect, "{r}");
        }
    }

    #[test]
    fn one_word_steps_and_estimates_at_the_edges() {
        // div_2by1 at its edges: n1 = d - 1 (the largest quotient word), d = 1 and 2^64 - 1.
        for d in [1, 2, 3, 0xffff_ffff, 1 << 32, 1 << 63, u64::MAX - 1, u64::MAX] {
            let nz = NonZeroU64::new(d).unwrap();
            for n1 in [0, 1, d / 2, d - 1] {
                for n0 in [0, 1, u64::MAX] {
                    let n = (u128::from(n1) << 64) | u128::from(n0);
                    let expect = ((n / u128::from(d)) as u64, (n % u128::from(d)) as u64);
                    assert_eq!(div_2by1(n1, n0, nz), expect, "{n1} {n0} {d}");
                }
            }
        }
        // div_3by2 with u2 = v1 (the estimate starts at 2^64 - 1), with r̂ = u1 + v1 below 2^64
        // (u1 < 2) and not, and quotient words of 2^64 - 1 and just below.
        let v = 0xffff_ffff_ffff_fffe_ffff_ffff_ffff_fff0_u128;
        let (v1, v0) = (NonZeroU64::new((v >> 64) as u64).unwrap(), v as u64);
        for (u1, u0) in [(0, 0), (1, 5), (2, 0), (v0 / 2, 1), (v0 - 1, 0), (v0 - 1, u64::MAX)] {
            // u2·2^64 + u1 < v: the quotient fits one word.
            assert!((u128::from(v1.get()) << 64) | u128::from(u1) < v);
            let lo = (u128::from(u1) << 64) | u128::from(u0);
            let expect = div_rem_digits32(u128::from(v1.get()), lo, v).map(|(q, r)| (u64::try_from(q).unwrap(), r));
            assert_eq!(Some(div_3by2(v1.get(), u1, u0, v1, v0)), expect, "{u1:x} {u0:x}");
        }
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
            div_rem_words(hi, lo, d)
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
    fn products_from_32_bit_halves_are_exact() {
        let mut seed = 0x243f_6a88_85a3_08d3_1319_8a2e_0370_7344_u128;
        let mut next = || {
            seed = seed
                .wrapping_mul(0x2545_f491_4f6c_dd1d_6a09_e667_f3bc_c909)
                .wrapping_add(1442695040888963407);
            (seed >> 64) as u64
        };
        let edges = [
            0,
            1,
            2,
            0xffff_ffff,
            0x1_0000_0000,
            0x8000_0000_0000_0000,
            u64::MAX - 1,
            u64::MAX,
        ];
        for &a in &edges {
            for &b in &edges {
                assert_eq!(mul_64_halves(a, b), u128::from(a) * u128::from(b), "{a} {b}");
            }
        }
        for i in 0..crate::num::math::test_gen::iterations(100_000) {
            // Every width of each factor, the carries of the middle sum included.
            let (a, b) = (next() >> (i % 64), next() >> ((i / 64) % 64));
            assert_eq!(mul_64_halves(a, b), u128::from(a) * u128::from(b), "{a} {b}");
            assert_eq!(mul_64(a, b), u128::from(a) * u128::from(b));
        }
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
