//! The first attempt at `Φ`: a short polynomial about the nearest node `x0 = j/32` of
//! [`CDF_TABLE`], evaluated in units of `u = 2^-64·10^-18` so that the rounding decision is
//! one word. The error analysis is in the parent module's docs.

use super::cdf_table::{CDF_TABLE, Node};
use super::q128::{S128, div_top, frac_of_wad, mul_frac, mul_u64_shr};
use crate::Rounding;
use crate::num::{TEN18, TEN18_U128};

/// The node step, `1/32`, in raw `Wad` units.
const STEP: u64 = 31_250_000_000_000_000;
/// [`inv_approx`] declines from the node `x0 = 4.5` on: the polynomial's absolute error
/// (`2^45 u`) divided by `φ(x0)` is then above a raw unit, and the inverse's series with
/// errors relative to `φ(x0)` (in `inv`) do better.
const TAIL_NODE: usize = 144;
/// Half the node step.
const HALF_STEP: u64 = 15_625_000_000_000_000;
/// `floor(2^133 / 10^18)`: `t·2^63 = 64·h·2^63 = d·2^133/10^18 / 2^64` for `h = d/10^18`.
const T_SCALE: u128 = 10_889_035_741_470_030_830_827;
/// `1` in units `u`: `10^18·2^64`.
const ONE_U: u128 = TEN18_U128 << 64;
/// The shift from units `w` (of the coefficients `r`) to units `u`.
const W_SHIFT: u32 = 46;
/// The error bound of [`cdf_u`], in units `u` (see the parent module's docs).
pub(super) const CDF_ERR: u128 = 1 << 45;
/// The error bound of [`pdf_u`], in units `u` (see the parent module's docs).
pub(super) const PDF_ERR: u128 = 1 << 53;

/// `floor(a·b / 2^63)` for `|a| < 2^63`, `|b| <= 2^63`; `None` if it leaves `i64`.
#[inline]
fn mul63(a: i64, b: i64) -> Option<i64> {
    i64::try_from(i128::from(a).checked_mul(i128::from(b))? >> 63).ok()
}

/// `Φ(x)·10^18·2^64` (units `u`) for `x = X/10^18` in `[0, 9)`, within [`CDF_ERR`].
///
/// With `j = round(32x)`, `h = x - j/32` (`|h| <= 1/64`), `t = 64h`:
/// `Φ(x0 + h) = Φ(x0) + h·(φ(x0) + a_2·h + t²·R(t))`, `R(t) = Σ_{k=3}^{11} r_k·t^(k-3)`
/// (in units `w = 2^46 u`), `a_k = Φ^(k)(x0)/k!`, `r_k = a_k/64^(k-1)`.
#[inline]
pub(super) fn cdf_u(x: u64) -> Option<u128> {
    let (node, h, neg, t) = locate(x)?;
    cdf_at(node, h, neg, t)
}

/// `φ(x)·10^18·2^64` (units `u`) for `x = X/10^18` in `[0, 9.015625)`, within
/// [`PDF_ERR`]: the derivative of the polynomial of [`cdf_u`] (see [`pdf_at`]).
#[inline]
pub(super) fn pdf_u(x: u64) -> Option<u128> {
    let (node, h, neg, t) = locate(x)?;
    pdf_at(node, h, neg, t)
}

/// The nearest node `x0 = j/32` to `x = X/10^18` (`None` past the last node), `|h|·2^128`
/// (within 2 ulps, below), the sign of `h = x - x0` and `t = 64h` as `t·2^63` (within 2
/// units, magnitude below; `|t̃| < 2^63`).
#[inline]
fn locate(x: u64) -> Option<(&'static Node, u128, bool, i64)> {
    let j = x.checked_add(HALF_STEP)? / STEP;
    let base = j.checked_mul(STEP)?;
    let (d, neg) = match x.checked_sub(base) {
        Some(d) => (d, false),
        None => (base.checked_sub(x)?, true),
    };
    let node: &Node = CDF_TABLE.get(usize::try_from(j).ok()?)?;
    let h = frac_of_wad(d)?;
    let tm = i64::try_from(u128::from(d).checked_mul(T_SCALE)? >> 64).ok()?;
    let t = if neg { tm.checked_neg()? } else { tm };
    Some((node, h, neg, t))
}

/// `Φ(x0 + h)` in units `u` from the node `x0`, `|h|·2^128` (`h_mag`, below `2^122`), the
/// sign of `h` and `t = 64h` as `t·2^63`.
#[inline]
fn cdf_at(node: &Node, h_mag: u128, neg: bool, t: i64) -> Option<u128> {
    // R(t) by Horner (units w).
    let (last, rest) = node.r.split_last()?;
    let mut r = *last;
    for &c in rest.iter().rev() {
        r = c.checked_add(mul63(r, t)?)?;
    }
    let q = mul63(mul63(r, t)?, t)?;
    // S = φ(x0) + a_2·h + t²·R (units u); a_2 <= 0, so a_2·h has the sign of -h.
    let a2h = i128::try_from(mul_frac(node.a2, h_mag)).ok()?;
    let a2h = if neg { a2h } else { a2h.checked_neg()? };
    let s = i128::try_from(node.p)
        .ok()?
        .checked_add(a2h)?
        .checked_add(i128::from(q).checked_mul(1 << W_SHIFT)?)?;
    let delta = mul_frac(h_mag, u128::try_from(s).ok()?);
    if neg {
        node.c.checked_sub(delta)
    } else {
        node.c.checked_add(delta)
    }
}

/// `φ(x0 + h)` in units `u` within [`PDF_ERR`], the derivative of the polynomial of
/// [`cdf_at`]: `φ(x0) + 2a_2·h + Σ_{k>=3} k·a_k·h^(k-1)`, the last sum being `t²·(3r_3 +
/// t·Σ_{k>=4} k·r_k·t^(k-4))` in units `w` (`Σ_{k>=4} k|r_k| < 2^57`).
#[inline]
fn pdf_at(node: &Node, h_mag: u128, neg: bool, t: i64) -> Option<u128> {
    let (first, rest) = node.r.split_first()?;
    let mut d: i64 = 0;
    let mut k: i64 = 11;
    for &c in rest.iter().rev() {
        d = c.checked_mul(k)?.checked_add(mul63(d, t)?)?;
        k = k.checked_sub(1)?;
    }
    let dt = i128::from(mul63(d, t)?).checked_add(i128::from(*first).checked_mul(3)?)?;
    // |dt| < 2^64.6 and |t| <= 2^63: the products stay below 2^127.6.
    let dt = dt.checked_mul(i128::from(t))? >> 63;
    let dt = dt.checked_mul(i128::from(t))? >> 63;
    let a2h = i128::try_from(mul_frac(node.a2, h_mag)).ok()?.checked_mul(2)?;
    let a2h = if neg { a2h } else { a2h.checked_neg()? };
    let f = i128::try_from(node.p)
        .ok()?
        .checked_add(a2h)?
        .checked_add(dt.checked_mul(1 << W_SHIFT)?)?;
    u128::try_from(f).ok()
}

/// An approximation of `Φ⁻¹(P/10^18)` in raw units for `P` in `(10^18/2, 10^18)`, usually
/// the grid point just below (no bound claimed: the caller confirms it by exact comparisons).
///
/// The node `x0` below `P` (or the next one, when nearer) gives `δ = (P - Φ(x0))/φ(x0)` and
/// the start `h = δ + x0·δ²/2` (the inverse series to second order, error about `x0²δ³`,
/// below `10^-4`); then Halley steps for `Φ(x0 + h) = P` (with `Φ'' = -xφ`): `δ = (P -
/// Φ(x0 + h))/φ(x0 + h)`, `h += δ + (x0 + h)·δ²/2`, each cubing the error, until `|δ| < 2^-26`
/// (then the error is below `7δ³ < 2^-75`). Quotients are to a relative `2^-63`.
///
/// `None` for results from `4.5` on (see [`TAIL_NODE`]).
pub(super) fn inv_approx(p_raw: u64) -> Option<u64> {
    let pu = u128::from(p_raw).checked_shl(64)?;
    let below = CDF_TABLE.partition_point(|n| n.c <= pu).checked_sub(1)?;
    if below >= TAIL_NODE {
        return None;
    }
    let n0 = CDF_TABLE.get(below)?;
    let mut j = below;
    let mut delta = S128::new(div_top(pu.checked_sub(n0.c)?, n0.p)?, false);
    if delta.mag > 1 << 122 {
        // δ above 1/64: start from the next node, h <= 0.
        j = below.checked_add(1)?;
        let n1 = CDF_TABLE.get(j)?;
        delta = S128::new(div_top(n1.c.checked_sub(pu)?, n1.p)?, true);
    }
    let mut node = CDF_TABLE.get(j)?;
    let mut ju = u64::try_from(j).ok()?;
    let mut h = S128::ZERO;
    for _ in 0..4 {
        // x·δ²/2 with x = x0 + h: j·δ²/64 >= 0, and h·δ²/2.
        let dd = mul_frac(delta.mag, delta.mag);
        let sq = S128::new(mul_u64_shr(dd, ju, 6)?, false);
        let hsq = S128::new(mul_frac(h.mag, dd) >> 1, h.neg);
        h = h.add(delta)?.add(sq)?.add(hsq)?;
        // After a step of δ the error is about (x² + 2)/12·δ³ < 7δ³: below 2^-75 here.
        if delta.mag < 1 << 102 {
            break;
        }
        // Keep |h| < 1/64 (where the polynomial holds): past it, move to the next node.
        if h.mag >= 1 << 122 {
            j = if h.neg { j.checked_sub(1)? } else { j.checked_add(1)? };
            node = CDF_TABLE.get(j)?;
            ju = u64::try_from(j).ok()?;
            h = h.add(S128::new(1 << 123, !h.neg))?;
            h.mag = h.mag.min((1 << 122) - 1);
        }
        let t = i64::try_from(h.mag >> 59).ok()?;
        let t = if h.neg { t.checked_neg()? } else { t };
        let y = cdf_at(node, h.mag, h.neg, t)?;
        let f = pdf_at(node, h.mag, h.neg, t)?;
        delta = if pu >= y {
            S128::new(div_top(pu.checked_sub(y)?, f)?, false)
        } else {
            S128::new(div_top(y.checked_sub(pu)?, f)?, true)
        };
    }
    let base = ju.checked_mul(STEP)?;
    let hy = u64::try_from(mul_frac(h.mag, u128::from(TEN18))).ok()?;
    if h.neg {
        base.checked_sub(hy)?.checked_sub(1)
    } else {
        base.checked_add(hy)
    }
}

/// `Φ(±X/10^18)` for `0 < X < 9·10^18`, rounded to the grid, or `None` to defer.
#[inline]
pub(super) fn cdf_fast(x: u64, negative: bool, rounding: Rounding) -> Option<i128> {
    let y = cdf_u(x)?;
    // Φ(-x) = 1 - Φ(x), exact in units u.
    let y = if negative { ONE_U.checked_sub(y)? } else { y };
    let q = decide_u(y, CDF_ERR)?;
    let q = i128::try_from(q).ok()?;
    match rounding {
        Rounding::Floor => Some(q),
        Rounding::Ceil => q.checked_add(1),
    }
}

/// `φ(X/10^18)` for `X < 9.015625·10^18`, rounded to the grid, or `None` to defer.
#[inline]
pub(super) fn pdf_fast(x: u64, rounding: Rounding) -> Option<i128> {
    let q = i128::try_from(decide_u(pdf_u(x)?, PDF_ERR)?).ok()?;
    match rounding {
        Rounding::Floor => Some(q),
        Rounding::Ceil => q.checked_add(1),
    }
}

/// The floor, in grid units, of a value known to lie strictly inside `(y - e, y + e)` (units
/// `u`, a grid cell being `2^64 u`) and not on the grid, when that interval holds no grid
/// point but possibly its upper end; else `None`.
#[inline]
pub(super) fn decide_u(y: u128, e: u128) -> Option<u128> {
    let top = y.checked_add(e)?;
    let q = y.saturating_sub(e) >> 64;
    (q == top >> 64 && top.trailing_zeros() < 64).then_some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The approximation of the inverse lands on the grid point below the exact value (the
    /// one `inv::bracket` finds from any start) for random `p` below `Φ(4.5)`.
    #[test]
    fn inverse_approximation_is_usually_exact() {
        let mut s: u64 = 0x2545_f491_4f6c_dd1d;
        let (mut declined, mut off) = (0, 0);
        for _ in 0..crate::num::math::test_gen::iterations(300) {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let p = s % 499_999_999_999_999_999 + 500_000_000_000_000_001;
            match inv_approx(p) {
                None => declined += 1,
                Some(a) => {
                    if Ok(a) != super::super::inv::bracket(p, 0) {
                        off += 1;
                    }
                }
            }
        }
        assert!(declined <= 3 && off <= 3, "{declined} {off}");
    }

    /// `decide_u` rounds only when no grid point is inside the interval.
    #[test]
    fn decision() {
        let cell = 1u128 << 64;
        assert_eq!(decide_u(5 * cell + cell / 2, 10), Some(5));
        assert_eq!(decide_u(5 * cell + 3, 10), None);
        assert_eq!(decide_u(5 * cell - 10, 10), None); // the upper end is a grid point
        assert_eq!(decide_u(5 * cell - 11, 10), Some(4));
        assert_eq!(decide_u(3, 10), Some(0));
        assert_eq!(decide_u(u128::MAX - 3, 10), None);
    }
}
