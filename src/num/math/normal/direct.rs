//! The direct path, at any width: `φ(x) = e^(-x²/2) / √(2π)` through [`exp_fx`] and
//! `Φ(x) = 1/2 + φ(x)·x·r(x²)` with `r(y) = Σ_m y^m / (3·5···(2m+1))` summed backwards
//! (Horner). The error analysis is in the parent module's docs.

use super::super::consts::INV_SQRT_2PI;
use super::super::exp::exp_fx;
use super::super::fx::Fx;
use crate::num::TEN18;

/// `2·10^36`.
const TWO_E36: u128 = 2_000_000_000_000_000_000_000_000_000_000_000_000;
/// The most series terms (far more than the about 500 that 1024 bits need at `x = 9.03`).
const MAX_TERMS: u64 = 2048;

/// `φ(x) = M · 2^k`, with `M` within `err` ulps.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pdf<const N: usize> {
    /// The mantissa, in `(0.19, 0.4]`.
    pub(super) m: Fx<N>,
    /// The binary exponent, `<= 0`.
    pub(super) k: i32,
    /// The error bound of `m`, in ulps.
    pub(super) err: u128,
}

/// `x²/8` for `x = X/10^18`, `X < 9.1e18`, truncated once (error below 1 ulp; from it `x²/2`
/// and `x²` are within 4 and 8 ulps, and never above the exact values).
fn eighth_square<const N: usize>(x: u64) -> Option<Fx<N>> {
    // X² < 2^127; X²·2^-3 / 10^18 < 2^64 fits the integer limb. floor(floor(a/b)/c) equals
    // floor(a/(bc)), so the two truncating divisions by 10^18 make one.
    let xx = u128::from(x).checked_mul(u128::from(x))?;
    Fx::<N>::from_wad_scaled(xx, -3)?.div_u64(TEN18)
}

/// `φ(x)` for `x = X/10^18 < 9.1`.
pub(super) fn pdf<const N: usize>(x: u64) -> Option<Pdf<N>> {
    let half_square = eighth_square::<N>(x)?.shl(2)?;
    let e = exp_fx(true, &half_square, 4)?;
    let c = Fx::<N>::from_const(INV_SQRT_2PI.0, &INV_SQRT_2PI.1);
    let m = e.m.mul(&c)?;
    // |m̃c̃ - μc| <= c·err_e + μ·1 + 1 <= 0.4·err_e + 2.
    Some(Pdf {
        m,
        k: e.k,
        err: e.err.saturating_add(3),
    })
}

/// `Φ(x)` for `x = X/10^18` in `(0, 9.03)`, and its error in ulps.
pub(super) fn cdf<const N: usize>(x: u64) -> Option<(Fx<N>, u128)> {
    let q = eighth_square::<N>(x)?;
    let y = q.shl(3)?;
    let phi = pdf::<N>(x)?;
    // Number of terms: with a = ceil(x²/2), b_m >= a^m/m! >= (x²/2)^m/m! >= y^m/(2m+1)!!.
    let a = u64::try_from(u128::from(x).checked_mul(u128::from(x))?.div_ceil(TWO_E36)).ok()?;
    let mut b = Fx::<N>::ONE;
    let mut m: u64 = 0;
    loop {
        m = m.checked_add(1)?;
        if m > MAX_TERMS {
            return None;
        }
        b = b.mul_u64(a)?.div_u64(m)?.add_ulps(1)?;
        // Ratio of later terms <= a/(m+1) <= 1/2, so the tail from term m is <= 2·b_m <= 6 ulps.
        if m.checked_add(1)? >= a.checked_mul(2)? && b.bit_length() <= 2 {
            break;
        }
    }
    let terms = m.checked_sub(1)?;
    // r = 1 + y/3·(1 + y/5·(1 + ...)), terms 0..=terms.
    let mut r = Fx::<N>::ONE;
    for n in (0..terms).rev() {
        let d = n.checked_mul(2)?.checked_add(3)?;
        r = r.mul(&y)?.div_u64(d)?.add(&Fx::ONE)?;
    }
    let xf = Fx::<N>::from_wad_scaled(u128::from(x), 0)?;
    let t = xf.mul(&r)?;
    let shift = u32::try_from(phi.k.checked_neg()?).ok()?;
    let p = phi.m.mul(&t)?.shr(shift);
    let v = Fx::<N>::ONE.shr(1).add(&p)?;
    let err = u128::from(terms)
        .saturating_mul(2)
        .saturating_add(phi.err.saturating_mul(3))
        .saturating_add(24);
    Some((v, err))
}
