//! `exp`: the exponential function, correctly rounded.
//!
//! # Algorithm (at each working width of `F` fractional bits)
//!
//! For `s >= 0`: `k = floor(s / ln 2)`, `r = s - k·ln 2` in `[0, ln 2]`, `t = r / 2^H`
//! (`H = 8`), `e^t` by its Taylor series summed until a term vanishes, then squared `H`
//! times: `e^s = 2^k · (e^t)^(2^H)`. For `s < 0`, `e^s = 1 / e^|s|`.
//!
//! # Error bound (in ulps `2^-F` of the mantissa `m` in `[1/2, 4)`)
//!
//! - input `s` off by `δ` ulps, and `k·ln 2` off by at most `k` ulps (the constant is
//!   truncated): `r` is off by at most `δ + k + 1` ulps, which moves `e^r < 2.1` by at most
//!   `2.1·(δ + k + 1)` ulps;
//! - `t = r / 2^H` truncates: 1 ulp of `t`, i.e. `2^H` ulps of `r` after squaring;
//! - each Taylor term `t^i/i!` is computed from the previous one with two truncations and its
//!   inherited error shrinks by `t/i < 1/2`, so each term is off by at most 4 ulps; with
//!   `n` terms and the vanished tail (below 2 ulps) the sum is off by at most `4n + 2`;
//! - each squaring doubles the relative error and adds one ulp: after `H` squarings
//!   `2^H·(4n + 4)` ulps (relative to a value `>= 1`), i.e. at most twice that in ulps of
//!   `m < 2.1`;
//! - the reciprocal for `s < 0` keeps the relative error and adds one ulp.
//!
//! The code adds these bounds up (rounded up generously) and hands them to
//! [`round_to_grid`](super::fx::round_to_grid), which rounds only when the whole error
//! interval lies between two grid points.

use super::consts::LN2;
use super::fx::Fx;

/// Argument halvings before the Taylor series.
const HALVINGS: u32 = 8;

/// `e^(±x) ≈ m · 2^k` with `m` within `err` ulps.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExpApprox<const N: usize> {
    /// The mantissa, in `[1/2, 4)`.
    pub(crate) m: Fx<N>,
    /// The binary exponent.
    pub(crate) k: i32,
    /// The error bound of `m`, in ulps.
    pub(crate) err: u128,
}

/// `e^(-x)` when `negative`, else `e^x`, for `0 <= x < 64` known to within `x_err` ulps.
///
/// Returns `None` only when an internal bound is exceeded (an argument of 64 or more).
pub(crate) fn exp_fx<const N: usize>(negative: bool, x: &Fx<N>, x_err: u128) -> Option<ExpApprox<N>> {
    let ln2 = Fx::<N>::from_const(LN2.0, &LN2.1);
    let k = x.div(&ln2)?.int_part();
    if k > 128 {
        return None;
    }
    // r = x - k·ln2 >= 0: the quotient is truncated, so k·ln2 <= x up to the constant's error,
    // which is below x's ulp; clamp at zero.
    let r = x.sub(&ln2.mul_u64(k)?).unwrap_or(Fx::ZERO);
    let t = r.shr(HALVINGS);
    // Taylor series of e^t.
    let mut sum = Fx::<N>::ONE;
    let mut term = Fx::<N>::ONE;
    let mut n: u64 = 0;
    for i in 1..=u64::from(Fx::<N>::FRAC_BITS) {
        term = term.mul(&t)?.div_u64(i)?;
        if term.is_zero() {
            break;
        }
        sum = sum.add(&term)?;
        n = i;
    }
    let mut m = sum;
    for _ in 0..HALVINGS {
        m = m.square()?;
    }
    let alg_err = (1u128 << HALVINGS).saturating_mul(u128::from(n).saturating_mul(4).saturating_add(8));
    let arg_err = x_err.saturating_add(u128::from(k)).saturating_add(1).saturating_mul(3);
    let mut err = alg_err.saturating_add(arg_err).saturating_mul(2);
    let mut k = i32::try_from(k).ok()?;
    if negative {
        // e^-x = 2^-k / m; 1/m in (1/4, 1], scaled back to [1/2, 2): relative error kept.
        m = Fx::<N>::ONE.div(&m)?;
        k = k.checked_neg()?;
        err = err.saturating_add(2);
    }
    Some(ExpApprox { m, k, err })
}

use super::{Attempt, finish, ziv};
use crate::{Error, Result, Rounding, Wad};

/// Above this many raw units `e^x` exceeds the `Wad` range (e^47 ≈ 2.6e20).
const EXP_OVERFLOW_RAW: i128 = 47_000_000_000_000_000_000;
/// Below this many raw units `0 < e^x < 1e-18` (e^-42 ≈ 5.7e-19).
const EXP_UNDERFLOW_RAW: i128 = -42_000_000_000_000_000_000;

struct ExpOf(Wad, Rounding);

impl Attempt for ExpOf {
    fn at<const N: usize>(&self, last: bool) -> Option<Result<i128>> {
        let x = Fx::<N>::from_wad_scaled(self.0.raw().unsigned_abs(), 0)?;
        let e = exp_fx(self.0.is_negative(), &x, 1)?;
        finish(&e.m, e.err, e.k, false, self.1, last)
    }
}

impl Wad {
    /// `e^self`, the exact value rounded once to the 1e-18 grid in direction `rounding`.
    ///
    /// Defined for every `self`. [`Error::Overflow`] when the rounded result exceeds
    /// [`Wad::MAX`] (`self` above about 46.58); a positive result below `1e-18` rounds to `0`
    /// (floor) or `1e-18` (ceil).
    ///
    /// ```
    /// use lce::{Rounding, Wad};
    /// assert_eq!(Wad::ONE.exp(Rounding::Floor)?.to_string(), "2.718281828459045235");
    /// assert_eq!(Wad::ONE.exp(Rounding::Ceil)?.to_string(), "2.718281828459045236");
    /// # Ok::<(), lce::Error>(())
    /// ```
    pub fn exp(self, rounding: Rounding) -> Result<Wad> {
        let raw = self.raw();
        if raw == 0 {
            return Ok(Wad::ONE);
        }
        if raw > EXP_OVERFLOW_RAW {
            return Err(Error::Overflow);
        }
        if raw < EXP_UNDERFLOW_RAW {
            return Ok(match rounding {
                Rounding::Floor => Wad::ZERO,
                Rounding::Ceil => Wad::EPSILON,
            });
        }
        if let Some(fast) = super::fast::exp(raw, rounding) {
            return fast.map(Wad::from_raw);
        }
        ziv(&ExpOf(self, rounding)).map(Wad::from_raw)
    }
}
