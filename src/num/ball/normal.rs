//! `Φ(x)`, `Φ(-x)` and `φ(x)` of a ball `x`, as balls (absolute precision `2^-F`).
//!
//! The functions are evaluated at the centre `a = |x̃|` and the balls are then widened for
//! the argument's radius `δ`: when `a·δ <= 1/2`, `φ(a ± δ) = φ(a)·e^(∓aδ - δ²/2) <= 2φ(a)`,
//! so `Φ` moves by at most `2φ(a)·δ` and `φ` by at most `2(a + 1)·φ(a)·δ` (`|φ'(x)| =
//! |x|·φ(x)`), with `φ(a)` bounded above by its own ball. (A relative bound: a tail value
//! keeps its relative precision.)
//!
//! At the centre (all in ball arithmetic, so every rounding error is accounted for):
//!
//! - `φ(a) = e^(-a²/2)·c`, `c = 1/√(2π)` (the 1088-bit constant, truncated: 1 ulp).
//! - `a < 6`: `Φ(±a) = 1/2 ± φ(a)·a·Σ_m a^(2m)/(1·3···(2m+1))`. The series is summed until
//!   the ratio of consecutive terms `a²/(2m+3)` is at most `1/2` and the last term is below
//!   `2^-(F+3)`: the omitted tail is below twice that.
//! - `a >= 6`: `Φ(-a) = φ(a)·R(a)` with Mills' ratio as Laplace's continued fraction
//!   `R(a) = 1/(a + 1/(a + 2/(a + 3/(a + …))))`, whose convergents `P_k/Q_k`
//!   (`P_k = a·P_(k-1) + (k-1)·P_(k-2)`, the same for `Q`, all terms positive) lie
//!   alternately above and below `R(a)`: `R` lies between two consecutive convergents, so the
//!   last one widened by their difference (a ball: the centres' difference and both radii)
//!   contains it. It stops once that difference is below 4 times the larger radius of the two
//!   (the level of their rounding noise).
//!   `Φ(a) = 1 - Φ(-a)`.
//! - `a² >= 2^30` (so `Φ(-a) <= φ(a)/a < e^(-2^29)`): `Φ(-a)` and `φ(a)` are the ball
//!   `0 ± 2^-F`. Below that cut the tail keeps its relative precision (the exponent of a ball
//!   is an `i32`), so that a sum of tail terms (a deep out-of-the-money theta) keeps its sign.

use super::Ball;
use crate::num::math::consts::INV_SQRT_2PI;
use crate::num::math::fx::Fx;

/// The most terms of the series or the continued fraction (the continued fraction needs
/// about 3700 at `a = 6` with 1024 bits, the series fewer).
const MAX_TERMS: u64 = 8192;
/// From `a² >= 2^30` on, `Φ(-a)` and `φ(a)` (below `e^(-2^29)`) are the ball `0 ± 2^-F`.
const FAR_TAIL_EXP2: i32 = 30;
/// From here on the continued fraction is used.
const CF_FROM: u64 = 6;

/// `Φ(x)`, `Φ(-x)` and `φ(x)` as balls (of type `B`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Normal<B> {
    /// `Φ(x)`.
    pub(crate) cdf: B,
    /// `Φ(-x) = 1 - Φ(x)`.
    pub(crate) cdf_neg: B,
    /// `φ(x)`.
    pub(crate) pdf: B,
}

impl<B> Normal<B> {
    /// The three balls mapped by `f`; `None` when one of them is.
    pub(crate) fn map<C>(self, f: impl Fn(&B) -> Option<C>) -> Option<Normal<C>> {
        Some(Normal {
            cdf: f(&self.cdf)?,
            cdf_neg: f(&self.cdf_neg)?,
            pdf: f(&self.pdf)?,
        })
    }
}

/// `Φ(±x)` and `φ(x)` for a ball `x` (see the module docs).
#[inline(never)]
pub(crate) fn normal<const N: usize>(x: &Ball<N>) -> Option<Normal<Ball<N>>> {
    // The centre, exact: normalised in full even when x is not.
    let a = Ball::from_fx(x.m, false, x.e, 0)?;
    let (pos, neg, pdf) = at_centre(&a)?;
    if x.r == 0 {
        return Some(orient(x.neg, pos, neg, pdf));
    }
    // The argument's radius δ < 2^kd; a < 2^ka. With a·δ <= 1/2, φ <= 2φ(a) on [a - δ, a + δ]
    // (φ(a ± δ) = φ(a)·e^(∓aδ - δ²/2)), and |φ'(x)| = |x|·φ(x) <= 2(a + 1)·φ(a) there.
    let kd = Ball::<N> { m: Fx::ZERO, ..*x }.upper_exp2();
    let ka = a.upper_exp2();
    if kd.checked_add(ka)? > -1 {
        return None;
    }
    let kp = pdf.upper_exp2().checked_add(1)?.checked_add(kd)?;
    let kp1 = kp.checked_add(ka.max(0))?.checked_add(1)?;
    let (pos, neg, pdf) = (pos.widen(kp)?, neg.widen(kp)?, pdf.widen(kp1)?);
    Some(orient(x.neg, pos, neg, pdf))
}

/// `Φ(x)`, `Φ(-x)`, `φ(x)` from the values at `|x|`.
pub(super) fn orient<B>(negative: bool, pos: B, neg: B, pdf: B) -> Normal<B> {
    if negative {
        Normal {
            cdf: neg,
            cdf_neg: pos,
            pdf,
        }
    } else {
        Normal {
            cdf: pos,
            cdf_neg: neg,
            pdf,
        }
    }
}

/// `(Φ(a), Φ(-a), φ(a))` for an exact `a >= 0`.
#[inline(never)]
fn at_centre<const N: usize>(a: &Ball<N>) -> Option<(Ball<N>, Ball<N>, Ball<N>)> {
    let c = Ball::from_fx(Fx::<N>::from_const(INV_SQRT_2PI.0, &INV_SQRT_2PI.1), false, 0, 1)?;
    let half = Ball::<N>::pow2(-1);
    if a.is_exact_zero() {
        return Some((half, half, c));
    }
    let y = a.square()?;
    // Far tail: y >= 2^30 (the mantissa is below 2 and y's radius a few ulps).
    if y.lower_exp2().is_some_and(|k| k >= FAR_TAIL_EXP2) {
        let tiny = Ball::<N>::ZERO.widen(Ball::<N>::F.checked_neg()?)?;
        return Some((Ball::ONE.sub(&tiny)?, tiny, tiny));
    }
    let pdf = y.scale2(-1)?.neg().exp()?.mul(&c)?;
    if a.int_part() >= CF_FROM {
        let tail = pdf.mul(&mills(a)?)?;
        return Some((Ball::ONE.sub(&tail)?, tail, pdf));
    }
    let p = pdf.mul(a)?.mul(&series(&y)?)?;
    Some((half.add(&p)?, half.sub(&p)?, pdf))
}

/// `Σ_m y^m/(3·5···(2m+1))` for `y = a² < 36` (see the module docs).
#[inline(never)]
fn series<const N: usize>(y: &Ball<N>) -> Option<Ball<N>> {
    let y_up = y.int_part().checked_add(1)?;
    let mut sum = Ball::<N>::ONE;
    let mut term = Ball::<N>::ONE;
    let mut m: u64 = 0;
    while m < MAX_TERMS {
        let d = m.checked_mul(2)?.checked_add(3)?;
        term = term.mul(y)?.div_u64(d)?;
        sum = sum.add(&term)?;
        m = m.checked_add(1)?;
        // From here each later term is at most half the previous one (2m + 3 >= 2y): the
        // tail is below the last term, itself below 2^-(F+3).
        let halving = m.checked_mul(2)?.checked_add(3)? >= y_up.checked_mul(2)?;
        if halving && term.upper_exp2() <= Ball::<N>::F.checked_add(3)?.checked_neg()? {
            return sum.widen(Ball::<N>::F.checked_add(2)?.checked_neg()?);
        }
    }
    None
}

/// Mills' ratio `R(a) = Φ(-a)/φ(a)` for `a >= 6` by Laplace's continued fraction (see the
/// module docs).
#[inline(never)]
fn mills<const N: usize>(a: &Ball<N>) -> Option<Ball<N>> {
    let (mut p0, mut q0) = (Ball::<N>::ZERO, Ball::<N>::ONE);
    let (mut p1, mut q1) = (Ball::<N>::ONE, *a);
    let mut prev = p1.div(&q1)?;
    let mut k: u64 = 2;
    while k < MAX_TERMS {
        let p2 = a.mul(&p1)?.add(&p0.mul_u64(k.checked_sub(1)?)?)?;
        let q2 = a.mul(&q1)?.add(&q0.mul_u64(k.checked_sub(1)?)?)?;
        let cur = p2.div(&q2)?;
        let diff = cur.sub(&prev)?;
        // Stop once the difference is at the level of the convergents' own radii (their
        // rounding noise); R lies between the last two convergents, so within the whole
        // difference ball of the last one.
        let noise = 130i32.saturating_sub(cur.r.max(prev.r).leading_zeros() as i32);
        let bound = diff.upper_exp2();
        if bound <= cur.e.checked_sub(Ball::<N>::F)?.checked_add(noise)? {
            return cur.widen(bound);
        }
        (p0, q0, p1, q1, prev) = (p1, q1, p2, q2, cur);
        k = k.checked_add(1)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ball's centre as a raw `Wad` (floor), for comparisons with the crate's correctly
    /// rounded `norm_cdf`.
    fn floor_raw<const N: usize>(b: &Ball<N>) -> i128 {
        crate::num::math::fx::round_to_grid_last(&b.m, b.e, b.neg, crate::Rounding::Floor).unwrap()
    }

    #[test]
    fn matches_the_crates_norm_cdf() {
        use crate::{Rounding, Wad};
        for raw in [
            1i128,
            250_000_000_000_000_000,
            1_000_000_000_000_000_000,
            -1_960_000_000_000_000_000,
            5_999_999_999_999_999_999,
            -6_000_000_000_000_000_000,
            -8_500_000_000_000_000_000,
            8_999_000_000_000_000_000,
        ] {
            let x = Ball::<3>::from_wad(raw).unwrap();
            let n = normal(&x).unwrap_or_else(|| panic!("{raw}"));
            let lo = Wad::from_raw(raw).norm_cdf(Rounding::Floor).unwrap().raw();
            // The ball's width is far below the grid: its centre floors to the same point
            // (or, within a few ulps of a grid point, one below).
            let got = floor_raw(&n.cdf);
            assert!(got == lo || got + 1 == lo, "{raw}: {got} {lo}");
            // Absolute radii far below the grid (2^-59.8).
            for b in [n.cdf, n.cdf_neg, n.pdf] {
                assert!(Ball { m: Fx::ZERO, ..b }.upper_exp2() < -100, "{raw}: {n:?}");
            }
            let pdf = Wad::from_raw(raw).norm_pdf(Rounding::Floor).unwrap().raw();
            let got = floor_raw(&n.pdf);
            assert!(got == pdf || got + 1 == pdf, "{raw}: {got} {pdf}");
        }
    }
}
