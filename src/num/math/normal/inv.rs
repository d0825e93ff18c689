//! `Φ⁻¹`: a fast approximation (table bracket, then Halley's method on the Taylor series of
//! the fast path), then a rigorous decision of the grid point by monotonicity, with
//! correctly rounded `Φ` at grid points. Only the decision needs to be right; the
//! approximation only makes it short.

use super::q128::{S128, div_frac, frac_div, mul_frac, mul_u64_shr};
use super::series::{STEP, Shift, cdf_sum, pdf_sum};
use super::table::TABLE;
use crate::num::TEN18;
use crate::{Result, Rounding, Wad};

/// The series of the approximation stop at terms below `2^(56-128) = 2^-72`.
const TAU_APPROX: u32 = 56;
/// The first step's series stop at `2^-40`.
const TAU_START: u32 = 88;
/// `9·10^18` raw: `Φ(9) > 1 - 10^-18`, above every argument of [`inv_upper`].
const UPPER_RAW: u64 = 9_000_000_000_000_000_000;

/// `Φ(Y/10^18) < P/10^18`, decided exactly: `Φ` at a grid point `Y > 0` is transcendental
/// and so never equals a grid value, and `Φ(0) = 1/2 < P/10^18`; so `Φ(Y) < P/10^18` if and
/// only if `floor(10^18·Φ(Y)) < P`, which the correctly rounded `norm_cdf` gives.
fn below(y: u64, p: u64) -> Result<bool> {
    let c = Wad::from_raw(i128::from(y)).norm_cdf(Rounding::Floor)?;
    Ok(c.raw() < i128::from(p))
}

/// For `P` in `(10^18/2, 10^18)`: the grid point `Y >= 0` with `Φ(Y/10^18) < P/10^18 <
/// Φ((Y+1)/10^18)`, so that `Φ⁻¹(P/10^18)` lies strictly between `Y` and `Y + 1` (raw).
pub(super) fn inv_upper(p: u64) -> Result<u64> {
    let guess = super::poly::inv_approx(p).or_else(|| approx(p));
    bracket(p, guess.unwrap_or(0))
}

/// [`inv_upper`] from a guess `y`.
pub(super) fn bracket(p: u64, guess: u64) -> Result<u64> {
    let mut y = guess.min(UPPER_RAW);
    // Usually the approximation is the answer: two comparisons confirm it.
    for _ in 0..4 {
        if !below(y, p)? {
            // Φ(y) > p: y is too high (never at y = 0).
            match y.checked_sub(1) {
                Some(v) => y = v,
                None => break,
            }
            continue;
        }
        let next = y.checked_add(1).ok_or(crate::Error::Overflow)?;
        if below(next, p)? {
            y = next;
            continue;
        }
        return Ok(y);
    }
    // Fallback, never needed in practice: bisection keeping Φ(lo) < p < Φ(hi).
    let (mut lo, mut hi) = (0u64, UPPER_RAW);
    while let Some(gap) = hi.checked_sub(lo).filter(|&g| g > 1) {
        let mid = lo.checked_add(gap / 2).ok_or(crate::Error::Overflow)?;
        if below(mid, p)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(lo)
}

/// An approximation of `Φ⁻¹(P/10^18)` in raw units (usually exact to the grid point below).
///
/// The table bracket `Φ(x0) <= p < Φ(x0 + 1/16)`, moved to the upper end when that one is
/// nearer, gives `δ0 = (p - Φ(x0))/φ(x0)`, the target of `G(h) = (Φ(x0 + h) - Φ(x0))/φ(x0)`;
/// the start is the inverse series to second order, `h = δ0 + x0·δ0²/2`, and each Halley
/// step (`G'' = -(x0 + h)·G'`) `h -= g / (G' + (x0 + h)·g/2)`, `g = G(h) - δ0`, cubes the
/// error: from below `10^-3` to below `10^-8` (series to `2^-40`), then below `10^-22`
/// (series to `2^-72`), which the last step confirms.
fn approx(p_raw: u64) -> Option<u64> {
    let p = frac_div(p_raw, TEN18)?;
    let below = TABLE.partition_point(|&(c, _)| c <= p).checked_sub(1)?.min(143);
    let (c, f) = *TABLE.get(below)?;
    let mut delta0 = S128::new(div_frac(p.checked_sub(c)?, f)?, false);
    let mut j = below;
    if delta0.mag > 1 << 123 {
        // h is above 1/32: start from the next table point, h <= 0.
        j = below.checked_add(1)?;
        let (c, f) = *TABLE.get(j)?;
        delta0 = S128::new(div_frac(c.checked_sub(p)?, f)?, true);
    }
    let j = u64::try_from(j).ok()?;
    let sq = S128::new(mul_u64_shr(mul_frac(delta0.mag, delta0.mag), j, 5)?, false);
    let mut h = delta0.add(sq)?;
    for (i, tau) in [TAU_START, TAU_APPROX, TAU_APPROX, TAU_APPROX].into_iter().enumerate() {
        let s = Shift::new(j, h)?;
        let g = cdf_sum(&s, tau)?.sum;
        let fs = pdf_sum(&s, tau)?.sum;
        let g = g.add(delta0.neg())?;
        // y·g = (j/16)·g + h·g
        let yg = S128::new(mul_u64_shr(g.mag, j, 4)?, g.neg).add(h.mul(g))?;
        // g / (1 + e) = (g/2) / ((1 + e)/2), e = G' - 1 + y·g/2 in (-1/2, 1).
        let e = fs.add(S128::new(mul_u64_shr(yg.mag, 1, 1)?, yg.neg))?;
        let half_e = mul_u64_shr(e.mag, 1, 1)?;
        let den = if e.neg {
            (1u128 << 127).checked_sub(half_e)?
        } else {
            (1u128 << 127).checked_add(half_e)?
        };
        let step = div_frac(mul_u64_shr(g.mag, 1, 1)?, den)?;
        h = h.add(S128::new(step, !g.neg))?;
        // After a step of e the error is about (y² + 2)/12 · e³ < 7e³: below 2^-70 here.
        if i > 0 && step < 1 << 104 {
            break;
        }
    }
    let base = j.checked_mul(STEP)?;
    let hy = u64::try_from(mul_frac(h.mag, u128::from(TEN18))).ok()?;
    if h.neg {
        base.checked_sub(hy)?.checked_sub(1)
    } else {
        base.checked_add(hy)
    }
}
