//! `Φ(x)`, `Φ(-x)` and `φ(x)` of a [`Ball128`] `x`: table-driven, with a proven bound.
//!
//! As for the generic balls ([`normal`](super::normal)), the functions are evaluated at the
//! exact centre `a = |x̃|` and the balls then widened for the argument's radius `δ` by the same
//! rule (when `a·δ <= 1/2`, `Φ` moves by at most `2φ(a)·δ` and `φ` by `2(a + 1)·φ(a)·δ`).
//!
//! # At the centre, `0 < a < 16`
//!
//! - `φ(a) = e^(-a²/2)/√(2π)`: the ball `a²`, halved and negated, through the table-driven
//!   [`Ball128::exp`], times the ball of `1/√(2π)` (`M·2^-129` within `2^-129`, from the
//!   table's generator).
//! - `Φ(-a) = φ(a)·R(a)` with Mills' ratio `R(x) = Φ(-x)/φ(x)`, and `Φ(a) = 1 - Φ(-a)`, in
//!   ball arithmetic. (`R` varies slowly — `0 < x·R(x) < 1` and `R' = x·R - 1` lies in
//!   `(-1, 0]` — and keeps the tail's relative precision: no `1 - Φ` cancels.)
//!
//! # `R(a)`: a table and a Taylor series
//!
//! Units: `u = 2^-127` for the terms; `A`, `B`, `h` are read at scale `2^-128`.
//!
//! `j = round(32a)` (at most 512), `x0 = j/32`, `h = a - x0` (`|h| <= 1/64`): exact from the
//! centre's bits, except below `a = 1/2` where `a` is truncated to `2^-128`, which moves `R` by
//! at most `2^-128` (`|R'| <= 1`): `1/2 u`. Call `h` what is used. The table holds
//! `ẽ_0 = ⌊R(x0)·2^127⌋` (below by `< 1 u`). Differentiating `R' = xR - 1` gives
//! `R^(n+1) = x·R^(n) + n·R^(n-1)` (`n >= 1`), so the terms `e_n = R^(n)(x0)·h^n/n!` of the
//! Taylor series (`R` is entire: it converges) obey, with `A = x0·h` and `B = h²`,
//!
//! `e_1 = (x0·R(x0) - 1)·h`, `e_(n+1) = (A·e_n + B·e_(n-1))/(n + 1)`.
//!
//! `|A| <= 16/64 + 2^-124 < 0.2503`, `B <= 2^-12 + 2^-133`. `Ã = ⌊j·|h|/32⌋` and `B̃ = ⌊h²⌋` are
//! within `2^-128` (as reals). While a term is `2^62 u` or more, each product is
//! `mul_high_approx` (below the exact one in magnitude by less than `3 u`), and the division by
//! `n + 1` multiplies by `⌊(2^128 - 1)/(n + 1)⌋` the same way (less than `4 u`: the
//! reciprocal is below `2^128/(n+1)` by at most 1, times a sum below `2^127 u`). Then the
//! terms go on in 64-bit words: `A` and `B` truncated to 64 fractional bits (within `2^-64`,
//! times a term below `2^62 u`: `1/4 u`), the two products exact in `i128`, their sum
//! truncated to units `u` (`1 u`, before the division), and divided by `n + 1` through
//! `⌊(2^64 - 1)/(n + 1)⌋` (less than `1.13 u`).
//!
//! - `ẽ_1`: `1 - x0·R(x0)` from `ẽ_0` is above its exact value by at most `x0 + 1 <= 17 u`,
//!   times `|h| <= 2^-6`, plus the product: `ε_1 < 3.27 u`.
//! - `ẽ_(n+1)`, 128 bits: `ε_(n+1) <= (|A|·ε_n + |ẽ_n|·|Ã - A| + 3 + B·ε_(n-1) + |ẽ_(n-1)|·|B̃ - B| + 3)/(n + 1) + 4`.
//!   For `n = 1` (`ε_0 < 1`, `|ẽ_0|·2^-128 < 0.63 u`): `ε_2 < (0.82 + 6.64)/2 + 4 < 7.8 u`;
//!   for `n >= 2` (divisor at least 3, `|ẽ|·2^-128 < 1/64 u`), if the two before are below
//!   `7.8 u`: `(1.96 + 6.04)/3 + 4 < 6.7 u`. 64 bits: `(1.96 + 1/4 + 1/4 + 1)/3 + 1.13 < 2.3 u`.
//!   So every `ε_n < 7.8 u` (`n >= 2`).
//! - Tail: the sum stops at the first `K >= 2` where `|ẽ_(K-1)|` and `|ẽ_K|` are at most
//!   `16 u` ([`STOP`]), so the true ones are below `M = 23.8 u`. From the recurrence every
//!   later true term obeys `|e_(n+1)| <= c·max(|e_n|, |e_(n-1)|)` with `c = 0.2506/3 < 0.0836`:
//!   the terms are at most `cM, cM, c²M, c²M, …`, and the omitted tail below
//!   `2cM/(1 - c) < 4.35 u`.
//!
//! In all `R(a)` is within `1/2 + 1 + 3.27 + 7.8·(K - 1) + 4.35 < 7.8K + 1.4` of the sum,
//! bounded by `8K + 8` ulps of `2^-127` ([`mills`]). The sum takes at most 24 terms for
//! every node (checked by the table's generator); past [`MAX_TERMS`] the attempt defers.
//!
//! # Elsewhere
//!
//! `a = 0`: `Φ(0) = 1/2` exactly. The whole ball at `|x| >= 2^15` (`x² >= 2^30`): `Φ(-|x|)`
//! and `φ(x)` are below `e^(-2^29)`, the ball `0 ± 2^-127` (`Φ(|x|)` is `1 ± 2^-127`), with
//! no widening (the generic path's widening for the argument's radius needs `a·δ <= 1/2`,
//! which a huge `|d|`, from a tiny `σ√t`, does not meet at 128 bits). `a >= 16` (and
//! whatever this path refuses): the generic
//! [`normal`](super::normal) on the same ball as a [`Ball<3>`](super::Ball) (Mills'
//! continued fraction, the far-tail cut), converted back.
#![allow(clippy::arithmetic_side_effects)] // bounded 128/256-bit arithmetic: see the module docs

#[path = "mills_table.rs"]
mod table;

use table::{INV_SQRT_2PI_M, MILLS};

use super::normal::{normal, orient};
use super::{Ball128, Normal};
use crate::num::u256::{mul_high_approx, mul_wide};

/// The most terms of `R`'s Taylor series (every node needs at most 24).
const MAX_TERMS: usize = 40;
/// The series stops once two consecutive terms are at most this many ulps `2^-127`.
const STOP: u64 = 16;

/// `⌊(2^128 - 1)/k⌋` for `k = 2..=MAX_TERMS` (`0` at `k = 0, 1`, unused).
#[allow(clippy::indexing_slicing)] // evaluated at compile time: an index out of range is a build error
const RECIP: [u128; MAX_TERMS + 1] = {
    let mut t = [0u128; MAX_TERMS + 1];
    let mut k = 2;
    while k <= MAX_TERMS {
        t[k] = u128::MAX / k as u128;
        k += 1;
    }
    t
};

/// `⌊(2^64 - 1)/k⌋` for `k = 2..=MAX_TERMS` (`0` at `k = 0, 1`, unused).
#[allow(clippy::indexing_slicing)] // evaluated at compile time: an index out of range is a build error
const RECIP64: [u64; MAX_TERMS + 1] = {
    let mut t = [0u64; MAX_TERMS + 1];
    let mut k = 2;
    while k <= MAX_TERMS {
        t[k] = u64::MAX / k as u64;
        k += 1;
    }
    t
};

/// `1/√(2π)` as a ball: `M·2^-129` within one ulp.
const INV_SQRT_2PI: Ball128 = Ball128 {
    m: INV_SQRT_2PI_M,
    neg: false,
    e: -2,
    r: 1,
};

/// `±mul_high_approx(|a|, |b|)` (`⌊|a|·|b|/2^128⌋` or up to two less), the sign of `a·b`
/// (`a` given as a magnitude and a sign): below the exact product in magnitude by less than 3
/// units; for products below `2^127·2^128`.
#[inline]
fn mulhi(a: u128, a_neg: bool, b: i128) -> i128 {
    let p = mul_high_approx(a, b.unsigned_abs()) as i128;
    if a_neg != (b < 0) { -p } else { p }
}

/// `s/k` toward zero within 4 ulps, by [`RECIP`]; `None` for `k` out of its range.
#[inline]
fn div_small(s: i128, k: usize) -> Option<i128> {
    let q = mul_high_approx(s.unsigned_abs(), *RECIP.get(k).filter(|&&r| r != 0)?) as i128;
    Some(if s < 0 { -q } else { q })
}

/// `s/k` toward zero in 64-bit arithmetic, for `|s| < 2^126` (a sum of two products of
/// 64-bit words): `⌊⌊|s|/2^64⌋·⌊(2^64 - 1)/k⌋/2^64⌋` ([`RECIP64`]), below `|s|/(k·2^64)` by less than
/// `1/k + 1.13` (see the module docs); `None` for `k` out of range.
#[inline]
fn div_small64(s: i128, k: usize) -> Option<i64> {
    let r = *RECIP64.get(k).filter(|&&r| r != 0)?;
    let q = ((s.unsigned_abs() >> 64) * u128::from(r)) >> 64; // < 2^61
    let q = q as i64;
    Some(if s < 0 { -q } else { q })
}

/// Mills' ratio `R(a)` for `a = m·2^(e-127) < 16` (`m` normalised): `⌊…⌋` at scale `2^-127`
/// and its error bound in ulps `2^-127` (see the module docs).
fn mills(m: u128, e: i32) -> Option<(u128, u64)> {
    if e > 3 {
        return None;
    }
    // j = round(32a) = (⌊64a⌋ + 1)/2, ⌊64a⌋ = m >> (121 - e); a < 16: j <= 512.
    let j = (m.checked_shr(u32::try_from(121 - e).ok()?).unwrap_or(0) + 1) >> 1;
    // a·2^128 modulo 2^128 (exact for e >= -1; below, a < 1/2 is truncated), minus j·2^123:
    // |h|·2^128 <= 2^122 (+ 1), so the wrapped difference is h·2^128.
    let a128 = if e >= -1 {
        m << (e + 1)
    } else {
        m.checked_shr((-1 - e).unsigned_abs()).unwrap_or(0)
    };
    let h = a128.wrapping_sub(j << 123) as i128;
    let (hs, h_neg) = (h.unsigned_abs(), h < 0);
    // A = x0·h = j·h/32 (floor of the magnitude, exact split: below 2^126), B = h² (below 2^116).
    let a_mag = (hs >> 5) * j + (((hs & 31) * j) >> 5);
    let b_mag = mul_wide(hs, hs).0;
    let e0 = *MILLS.get(usize::try_from(j).ok()?)?;
    // 1 - x0·R(x0) in [0, 1], at scale 2^-127 (x0·R(x0) < 1; its floor from ẽ_0).
    let x0r = (e0 >> 5) * j + (((e0 & 31) * j) >> 5);
    let c1 = (1u128 << 127).checked_sub(x0r)?;
    // e_1 = (x0·R - 1)·h: the sign of -h.
    let e1 = mul_high_approx(c1, hs) as i128;
    let e1 = if h_neg { e1 } else { -e1 };
    // e_2 = (A·e_1 + B·e_0)/2, e_0 = R(x0) > 0 (a u128: below 2^127.33).
    let e2 = div_small(mulhi(a_mag, h_neg, e1) + mul_high_approx(b_mag, e0) as i128, 2)?;
    let (mut prev, mut cur) = (e1, e2);
    let mut sum = e1 + e2; // |sum| < 2^123
    let mut k = 2;
    // 128-bit terms while they are 2^62 ulps or more.
    while prev.unsigned_abs() >> 62 != 0 || cur.unsigned_abs() >> 62 != 0 {
        if k >= MAX_TERMS {
            return None;
        }
        let next = div_small(mulhi(a_mag, h_neg, cur) + mulhi(b_mag, false, prev), k + 1)?;
        sum += next;
        (prev, cur) = (cur, next);
        k += 1;
    }
    // Then 64-bit terms: A and B to 64 fractional bits (A below 2^62 and B below 2^52 at
    // scale 2^-64), the terms below 2^62.
    let a64 = i128::from(u64::try_from(a_mag >> 64).ok()?);
    let a64 = if h_neg { -a64 } else { a64 };
    let b64 = i128::from(u64::try_from(b_mag >> 64).ok()?);
    let (mut prev, mut cur) = (i64::try_from(prev).ok()?, i64::try_from(cur).ok()?);
    while prev.unsigned_abs() > STOP || cur.unsigned_abs() > STOP {
        if k >= MAX_TERMS {
            return None;
        }
        let next = div_small64(a64 * i128::from(cur) + b64 * i128::from(prev), k + 1)?;
        sum += i128::from(next);
        (prev, cur) = (cur, next);
        k += 1;
    }
    Some((e0.checked_add_signed(sum)?, 8 * k as u64 + 8))
}

/// `(Φ(a), Φ(-a), φ(a))` for an exact, normalised `0 < a < 16`.
fn at_centre(a: &Ball128) -> Option<(Ball128, Ball128, Ball128)> {
    let (r, err) = mills(a.m, a.e)?;
    let r = Ball128::norm(r, false, 0, err)?;
    let pdf = a.square()?.scale2(-1)?.neg().exp()?.mul(&INV_SQRT_2PI)?;
    let tail = pdf.mul(&r)?;
    Some((Ball128::ONE.sub(&tail)?, tail, pdf))
}

/// `Φ(±x)` and `φ(x)` for a ball `x` (see the module docs).
pub(super) fn normal128(x: &Ball128) -> Option<Normal<Ball128>> {
    if x.lower_exp2().is_some_and(|k| k >= 15) {
        // The far tail, on the whole ball: x² >= 2^30, so φ(x) <= e^(-2^29) and
        // Φ(-|x|) < φ(x)/|x|, both far below 2^-127.
        let tiny = Ball128 {
            m: 0,
            neg: false,
            e: 0,
            r: 1,
        };
        return Some(orient(x.neg, Ball128::ONE.sub(&tiny)?, tiny, tiny));
    }
    // The centre, exact: normalised in full even when x is not.
    let a = Ball128::norm(x.m, false, x.e, 0)?;
    let centre = if a.is_exact_zero() {
        let half = Ball128::ONE.scale2(-1)?;
        Some((half, half, INV_SQRT_2PI))
    } else {
        at_centre(&a)
    };
    let Some((pos, neg, pdf)) = centre else {
        return normal(&x.to_generic()?)?.map(Ball128::from_generic);
    };
    if x.r == 0 {
        return Some(orient(x.neg, pos, neg, pdf));
    }
    // The argument's radius δ < 2^kd; a < 2^ka. With a·δ <= 1/2, φ <= 2φ(a) on [a - δ, a + δ],
    // and |φ'(x)| = |x|·φ(x) <= 2(a + 1)·φ(a) there.
    let kd = Ball128 { m: 0, ..*x }.upper_exp2();
    let ka = a.upper_exp2();
    if kd.checked_add(ka)? > -1 {
        return None;
    }
    let kp = pdf.upper_exp2().checked_add(1)?.checked_add(kd)?;
    let kp1 = kp.checked_add(ka.max(0))?.checked_add(1)?;
    let (pos, neg, pdf) = (pos.widen(kp)?, neg.widen(kp)?, pdf.widen(kp1)?);
    Some(orient(x.neg, pos, neg, pdf))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::ball::Ball;
    use crate::num::math::fx::Fx;
    use crate::num::math::test_gen::{Draw, SplitMix64, iterations};

    /// Whether `b` and the 256-bit `g` (cut to 128 bits: its radius counted as 2 ulps)
    /// intersect: both contain the exact value.
    fn overlap(b: &Ball128, g: &Ball<5>) -> bool {
        assert!(g.r < 1 << 64, "{g:?}");
        let [_, _, l2, l3, l4] = g.m.limbs;
        let g = Ball::from_fx(Fx { limbs: [l2, l3, l4] }, g.neg, g.e, 2).unwrap();
        let d = b.to_generic().unwrap().sub(&g).unwrap();
        d.m.sub_ulps_sat(d.r).is_zero()
    }

    #[test]
    fn table_matches_the_generic_path() {
        // R(x0) = Φ(-x0)/φ(x0) at 256 bits, against the entry: below by less than 1 ulp (the
        // 256-bit balls are narrower than 2^-200).
        // Under Miri (interpreted, ~1,000x slower) every 64th entry, the first and the last.
        let stride = if cfg!(miri) { 64 } else { 1 };
        let checked = MILLS
            .iter()
            .enumerate()
            .filter(|(j, _)| j % stride == 0 || *j == MILLS.len() - 1);
        for (j, &v) in checked {
            let x = Ball::<5>::from_fx(Fx::from_int(j as u64), false, -5, 0).unwrap();
            let n = normal(&x).unwrap();
            let r = n.cdf_neg.div(&n.pdf).unwrap();
            // The exact value lies in [v, v + 1) ulps of 2^-127.
            let b = Ball128 {
                m: v,
                neg: false,
                e: 0,
                r: 1,
            };
            assert!(overlap(&b, &r), "{j}");
        }
        let c = Ball::<5>::from_wad(0).unwrap();
        let n = normal(&c).unwrap();
        assert!(overlap(&INV_SQRT_2PI, &n.pdf));
    }

    #[test]
    fn contains_the_exact_values() {
        extern crate std;
        // Arguments across [0, 16) and beyond (the generic path), exact and with a radius,
        // both signs; the 256-bit balls are the reference.
        let mut g = SplitMix64::new(0x0b12_8ca1);
        let mut terms = [0u32; MAX_TERMS + 1];
        for i in 0..iterations(6_000) {
            let raw = match i % 4 {
                0 => g.below(16_000_000_000_000_000_000) as i128,
                1 => (g.below(1 << 66) >> g.below(66)) as i128,
                2 => g.below(40_000_000_000_000_000_000) as i128,
                _ => (g.below(1 << 20) * 31_250_000_000_000_000) as i128, // near the nodes
            };
            let raw = if i % 3 == 0 { -raw } else { raw };
            let (x, xg) = (Ball128::from_wad(raw).unwrap(), Ball::<5>::from_wad(raw).unwrap());
            let (s, sg) = (
                Ball128::from_wad(1_000_000_000_000_000_001).unwrap(),
                Ball::<5>::from_wad(1_000_000_000_000_000_001).unwrap(),
            );
            for (b, r) in [(x, xg), (x.mul(&s).unwrap(), xg.mul(&sg).unwrap())] {
                let Some(n) = normal128(&b) else { continue };
                let nr = normal(&r).unwrap();
                assert!(overlap(&n.cdf, &nr.cdf), "{raw}: {n:?}");
                assert!(overlap(&n.cdf_neg, &nr.cdf_neg), "{raw}: {n:?}");
                assert!(overlap(&n.pdf, &nr.pdf), "{raw}: {n:?}");
                // Relative radii far below the grid's needs (2^-107 of the value) on the table
                // path.
                for v in [n.cdf, n.cdf_neg, n.pdf] {
                    if v.m != 0 && b.upper_exp2() <= 4 {
                        assert!(v.r < 1 << 20, "{raw}: {n:?}");
                    }
                }
            }
            let a = Ball128::norm(x.m, false, x.e, 0).unwrap();
            if !a.is_exact_zero() && a.e <= 3 {
                let (_, err) = mills(a.m, a.e).unwrap();
                terms[((err - 8) / 8) as usize] += 1;
            }
        }
        // The series' lengths (the generator bounds them by 24).
        std::println!("terms: {terms:?}");
        assert!(terms.iter().rposition(|&c| c != 0).unwrap() <= 24, "{terms:?}");
    }
}
