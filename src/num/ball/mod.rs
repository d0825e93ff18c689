//! `Ball<N>`: a binary floating-point number with a rigorous error radius (ball arithmetic).
//!
//! A ball `(m, neg, e, r)` stands for every real `x` with `|x - (±m·2^e)| <= r·2^(e-F)`,
//! where `m` is an [`Fx<N>`] read as `limbs / 2^F` (`F = 64·(N - 1)` fractional bits) and `r`
//! is a count of its ulps. Every operation returns a ball that contains every result of the
//! operation applied to members of the operand balls: the true value of a composite formula
//! lies in the ball computed for it, whatever the rounding inside.
//!
//! After each operation the mantissa is normalised below 2 (right shifts truncate: one more
//! ulp) and, when its radius allows (below `2^40` after the shift), to at least 1; a ball
//! centred on zero takes the frame of its radius. Radii are kept below [`R_LIMIT`]: an
//! operation that would exceed it returns `None` (the caller recomputes with more bits).
//!
//! # Error of each operation (ulps of the result before normalisation; `u = 2^-F`)
//!
//! With `a = m_a + δ_a`, `b = m_b + δ_b`, `|δ| <= r·u`, mantissas below 2 and radii at most
//! `2^62` (so `r_a·r_b·u < 2^-4`):
//!
//! - product: `ab - m_a·m_b = m_a·δ_b + m_b·δ_a + δ_a·δ_b`, plus the truncation: at most
//!   `m_a·r_b + m_b·r_a + 2` (each product bounded above with 64-bit mantissas, `scaled`);
//! - quotient (`m_b >= 1`, `q = m_a/m_b` computed with `q̃ >= q - u`):
//!   `a/b - q = (δ_a - q·δ_b)/(m_b + δ_b)`, at most `(r_a + (q̃ + u)·r_b)/(1 - r_b·u) + 1`,
//!   below `r_a + q̃·r_b + 3` (the `1 - r_b·u` and `u·r_b` terms are worth below one ulp since
//!   `r_a + 2r_b < 2^64`);
//! - sum: the operand with the smaller exponent is shifted right by `d` bits (truncated: its
//!   radius becomes `ceil(r/2^d) + 1 <= floor(r/2^d) + 2`), then the mantissas add or
//!   subtract exactly and the radii add;
//! - a right shift by `s` bits (normalisation): `floor(r/2^s) + 2`; a left shift: `r·2^s`.

mod b128;
mod normal;
mod normal128;

pub(crate) use b128::Ball128;
pub(crate) use normal::{Normal, normal};

use crate::num::math::exp::exp_fx;
use crate::num::math::fast::{LN_ERR, ln_approx};
use crate::num::math::fx::Fx;
use crate::num::math::ln::ln_fx;

/// The largest radius a ball may have, in ulps of its mantissa.
pub(crate) const R_LIMIT: u128 = 1 << 62;

/// A real interval `±m·2^e ± r·2^(e-F)`; see the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ball<const N: usize> {
    /// The mantissa's magnitude, below 2 (at least 1 when normalised).
    pub(crate) m: Fx<N>,
    /// The sign of the centre.
    pub(crate) neg: bool,
    /// The binary exponent.
    pub(crate) e: i32,
    /// The radius, in ulps of `m` (`2^(e-F)` absolute).
    pub(crate) r: u128,
}

/// The number of significant bits of a radius.
fn bits(r: u128) -> i32 {
    128i32.saturating_sub(r.leading_zeros() as i32)
}

/// An upper bound of `r·m` (ulps) for a mantissa `m < 4` and `r <= 2^62`: `m` is bounded
/// above by its top bits in units of `2^-62`, plus one unit; the product is rounded up.
fn scaled<const N: usize>(r: u128, m: &Fx<N>) -> Option<u128> {
    let int = u128::from(m.int_part());
    let frac = u128::from(*m.limbs.get(N.checked_sub(2)?)?);
    let up = (int << 62 | frac >> 2).checked_add(1)?; // m < up·2^-62, up <= 2^64
    r.checked_mul(up)?.checked_shr(62)?.checked_add(1)
}

/// `ceil(r / 2^d) + 1`, bounded by `floor(r/2^d) + 2`: a radius after a truncating right shift.
fn shifted_radius(r: u128, d: u32) -> u128 {
    r.checked_shr(d).unwrap_or(0).saturating_add(2)
}

impl<const N: usize> Ball<N> {
    /// The fractional bits of the mantissa, as an `i32`.
    pub(crate) const F: i32 = 64 * (N as i32 - 1);
    /// Exactly zero.
    pub(crate) const ZERO: Self = Self {
        m: Fx::ZERO,
        neg: false,
        e: 0,
        r: 0,
    };
    /// Exactly one.
    pub(crate) const ONE: Self = Self {
        m: Fx::ONE,
        neg: false,
        e: 0,
        r: 0,
    };

    /// `true` for the exact zero (centre and radius zero).
    pub(crate) fn is_exact_zero(&self) -> bool {
        self.m.is_zero() && self.r == 0
    }

    /// The ball itself when its radius is within [`R_LIMIT`].
    fn checked(self) -> Option<Self> {
        (self.r <= R_LIMIT).then_some(self)
    }

    /// Normalises the mantissa to `[1, 2)` (or below 1 when a left shift would push the radius
    /// past `2^40`; an exact value always normalises); a zero centre gets the frame of its
    /// radius (at most 2 ulps).
    fn norm(self) -> Option<Self> {
        // Built from locals (not by updating `self` in place, whose partial stores the final
        // copy would read back: a store-forwarding stall on x86-64).
        let Self { m, neg, e, r } = self;
        let int = m.int_part();
        let (m, e, r) = if int == 1 {
            (m, e, r)
        } else if int >= 2 {
            let s = 63u32.saturating_sub(int.leading_zeros());
            (m.shr(s), e.checked_add(i32::try_from(s).ok()?)?, shifted_radius(r, s))
        } else if m.is_zero() {
            // A ball around zero: its frame follows its radius (at most 2 ulps), so that it
            // does not impose a coarse frame on a sum.
            let s = u32::try_from(bits(r).saturating_sub(1).max(0)).ok()?;
            if s > 0 {
                (m, e.checked_add(i32::try_from(s).ok()?)?, shifted_radius(r, s))
            } else {
                (m, e, r)
            }
        } else {
            // int == 0, a non-zero mantissa below 1.
            let want = Fx::<N>::FRAC_BITS.checked_add(1)?.checked_sub(m.bit_length())?;
            // Keep the radius below 2^40 (head room for the operations that follow).
            let s = if r == 0 {
                want
            } else {
                want.min(u32::try_from(40i32.saturating_sub(bits(r)).max(0)).ok()?)
            };
            (m.shl(s)?, e.checked_sub(i32::try_from(s).ok()?)?, r.checked_shl(s)?)
        };
        (r <= R_LIMIT).then_some(Self { m, neg, e, r })
    }

    /// A mantissa `m` (below `2^64`) within `r` ulps, times `2^e`.
    pub(crate) fn from_fx(m: Fx<N>, neg: bool, e: i32, r: u128) -> Option<Self> {
        Self { m, neg, e, r }.norm()
    }

    /// The value of a raw `Wad`, within 2 ulps (one truncation, one normalisation).
    pub(crate) fn from_wad(raw: i128) -> Option<Self> {
        if raw == 0 {
            return Some(Self::ZERO);
        }
        let mag = raw.unsigned_abs();
        // 2^59 < 10^18 < 2^60: mag·2^(60 - bits)/10^18 lies in (0.57, 1.16).
        let shift = 60i32.checked_sub(bits(mag))?;
        let m = Fx::<N>::from_wad_scaled(mag, shift)?;
        Self::from_fx(m, raw < 0, shift.checked_neg()?, 1)
    }

    /// `2^k` exactly.
    pub(crate) fn pow2(k: i32) -> Self {
        Self { e: k, ..Self::ONE }
    }

    /// `-self` (exact).
    pub(crate) fn neg(self) -> Self {
        Self { neg: !self.neg, ..self }
    }

    /// `self·2^k` (exact).
    pub(crate) fn scale2(self, k: i32) -> Option<Self> {
        if self.is_exact_zero() {
            return Some(self);
        }
        Some(Self {
            e: self.e.checked_add(k)?,
            ..self
        })
    }

    /// An exponent `E` with `|x| < 2^E` for every `x` in the ball.
    pub(crate) fn upper_exp2(&self) -> i32 {
        let b = i32::try_from(self.m.bit_length()).unwrap_or(i32::MAX);
        // |x| <= (m + r)·2^(e-F) < 2^(max(bits m, bits r) + 1 + e - F).
        b.max(bits(self.r))
            .saturating_add(1)
            .saturating_add(self.e)
            .saturating_sub(Self::F)
    }

    /// An exponent `E` with `|x| >= 2^E` for every `x` in the ball; `None` when the ball
    /// contains zero.
    pub(crate) fn lower_exp2(&self) -> Option<i32> {
        let low = self.m.sub(&Fx::<N>::ZERO.add_ulps(self.r)?)?;
        if low.is_zero() {
            return None;
        }
        let b = i32::try_from(low.bit_length()).ok()?;
        b.checked_sub(1)?.checked_add(self.e)?.checked_sub(Self::F)
    }

    /// Adds an absolute error below `2^k` to the radius. When that is more than `2^40` ulps,
    /// the ball first moves to a coarser frame (its mantissa shifted right, truncated), so
    /// that the radius stays near `2^40`.
    pub(crate) fn widen(mut self, k: i32) -> Option<Self> {
        // 2^k in ulps of self: 2^(k - e + F).
        let mut d = k.checked_sub(self.e)?.checked_add(Self::F)?;
        if d > 40 {
            let s = u32::try_from(d.checked_sub(40)?).ok()?;
            self.m = self.m.shr(s);
            self.r = shifted_radius(self.r, s);
            self.e = self.e.checked_add(i32::try_from(s).ok()?)?;
            d = 40;
        }
        let add: u128 = if d < 0 {
            1
        } else {
            1u128.checked_shl(u32::try_from(d).ok()?)?
        };
        self.r = self.r.checked_add(add)?;
        self.checked()
    }

    /// `self · rhs`.
    pub(crate) fn mul(&self, rhs: &Self) -> Option<Self> {
        if self.is_exact_zero() || rhs.is_exact_zero() {
            return Some(Self::ZERO);
        }
        let m = self.m.mul(&rhs.m)?;
        let r = scaled(self.r, &rhs.m)?
            .checked_add(scaled(rhs.r, &self.m)?)?
            .checked_add(2)?;
        Self::from_fx(m, self.neg != rhs.neg, self.e.checked_add(rhs.e)?, r)
    }

    /// `self²`.
    pub(crate) fn square(&self) -> Option<Self> {
        Self { neg: false, ..*self }.mul(&Self { neg: false, ..*self })
    }

    /// `self · k` for an integer `k`: the product is exact, the radius scales by `k`.
    pub(crate) fn mul_u64(&self, k: u64) -> Option<Self> {
        if k == 0 {
            return Some(Self::ZERO);
        }
        let m = self.m.mul_u64(k)?;
        Self::from_fx(m, self.neg, self.e, self.r.checked_mul(u128::from(k))?)
    }

    /// `self / k` for a positive integer `k`: truncated (one ulp), the radius divided by `k`.
    pub(crate) fn div_u64(&self, k: u64) -> Option<Self> {
        let m = self.m.div_u64(k)?;
        // The radius's quotient in 64-bit arithmetic when it fits (the same quotient).
        let r = match u64::try_from(self.r) {
            Ok(r64) => u128::from(r64.checked_div(k)?),
            Err(_) => self.r.checked_div(u128::from(k))?,
        }
        .checked_add(2)?;
        Self::from_fx(m, self.neg, self.e, r)
    }

    /// `self / rhs`; `None` unless `rhs`'s mantissa is normalised to `[1, 2)` (which also
    /// keeps its ball away from zero).
    pub(crate) fn div(&self, rhs: &Self) -> Option<Self> {
        if rhs.m.int_part() != 1 {
            return None;
        }
        if self.is_exact_zero() {
            return Some(Self::ZERO);
        }
        let m = self.m.div(&rhs.m)?;
        let r = scaled(rhs.r, &m)?.checked_add(self.r)?.checked_add(3)?;
        Self::from_fx(m, self.neg != rhs.neg, self.e.checked_sub(rhs.e)?, r)
    }

    /// The mantissa and radius of `self` in the frame of exponent `e >= self.e`.
    fn aligned(&self, e: i32) -> Option<(Fx<N>, u128)> {
        let d = u32::try_from(e.checked_sub(self.e)?).ok()?;
        if d == 0 {
            return Some((self.m, self.r));
        }
        Some((self.m.shr(d), shifted_radius(self.r, d)))
    }

    /// `self + rhs`.
    pub(crate) fn add(&self, rhs: &Self) -> Option<Self> {
        if rhs.is_exact_zero() {
            return Some(*self);
        }
        if self.is_exact_zero() {
            return Some(*rhs);
        }
        let e = self.e.max(rhs.e);
        let (ma, ra) = self.aligned(e)?;
        let (mb, rb) = rhs.aligned(e)?;
        let r = ra.checked_add(rb)?;
        let (m, neg) = if self.neg == rhs.neg {
            (ma.add(&mb)?, self.neg)
        } else if ma >= mb {
            (ma.sub(&mb)?, self.neg)
        } else {
            (mb.sub(&ma)?, rhs.neg)
        };
        Self::from_fx(m, neg, e, r)
    }

    /// `self - rhs`.
    pub(crate) fn sub(&self, rhs: &Self) -> Option<Self> {
        self.add(&rhs.neg())
    }

    /// The mantissa as a fixed-point `Fx` (the value `|centre|`) and its radius in its ulps;
    /// `None` when the value is `2^63` or more.
    fn to_fixed(self) -> Option<(Fx<N>, u128)> {
        if self.e >= 0 {
            let s = u32::try_from(self.e).ok()?;
            if s >= 63 {
                return None;
            }
            Some((self.m.shl(s)?, self.r.checked_shl(s)?))
        } else {
            let d = u32::try_from(self.e.checked_neg()?).ok()?;
            Some((self.m.shr(d), shifted_radius(self.r, d)))
        }
    }

    /// The integer part of `|centre|`, or `u64::MAX` when it is `2^63` or more.
    pub(crate) fn int_part(&self) -> u64 {
        self.to_fixed().map_or(u64::MAX, |(m, _)| m.int_part())
    }

    /// `e^self`. Arguments of magnitude 32 or more are halved `h` times and the result
    /// squared `h` times.
    pub(crate) fn exp(&self) -> Option<Self> {
        if self.is_exact_zero() {
            return Some(Self::ONE);
        }
        // Halve until below 2^5.
        let h = self.upper_exp2().saturating_sub(5).max(0);
        let x = Self {
            e: self.e.checked_sub(h)?,
            ..*self
        };
        let (fx, r) = x.to_fixed()?;
        let approx = exp_fx(self.neg, &fx, r)?;
        let mut y = Self::from_fx(approx.m, false, approx.k, approx.err)?;
        for _ in 0..h {
            y = y.square()?;
        }
        Some(y)
    }

    /// `ln` of a positive raw `Wad`: at 128 bits the fast path's `ln_approx` (three table
    /// reduction levels, within [`LN_ERR`] units of `2^-128`, proven in `num::math::fast` and
    /// tested there against the generic path), at wider widths the generic [`ln_fx`] and its
    /// bound.
    pub(crate) fn ln_wad(raw: i128) -> Option<Self> {
        let mag = u128::try_from(raw).ok().filter(|&m| m > 0)?;
        if mag == crate::num::TEN18_U128 {
            return Some(Self::ZERO);
        }
        if N == 3 {
            let (int, frac, negative) = ln_approx(mag)?;
            let mut m = Fx::<N>::from_int(int);
            for (slot, limb) in m.limbs.iter_mut().zip([frac as u64, (frac >> 64) as u64]) {
                *slot = limb;
            }
            return Self::from_fx(m, negative, 0, LN_ERR);
        }
        let l = ln_fx::<N>(mag)?;
        Self::from_fx(l.mag, l.negative, 0, l.err)
    }

    /// `√self` for a positive ball normalised to `[1, 2)·2^e`.
    ///
    /// With `e` made even (`m' = 2m` in `[1, 4)` when `e` is odd), `y ≈ √m'` by Newton's
    /// iteration from a 64-bit integer root. Then, with `sq = y²` truncated (`y² - sq < 1`
    /// ulp), `|y - √m'| = |y² - m'|/(y + √m') <= |sq - m'| + 1` ulps (as `y + √m' > 1`),
    /// and the input radius `δ` moves `√m'` by at most `δ/(2√m')`, below `δ` ulps.
    pub(crate) fn sqrt(&self) -> Option<Self> {
        if self.neg || self.m.int_part() != 1 {
            return None;
        }
        let (m2, r2, e2) = if self.e % 2 != 0 {
            (self.m.shl(1)?, self.r.checked_mul(2)?, self.e.checked_sub(1)?)
        } else {
            (self.m, self.r, self.e)
        };
        // A start within about 2^-31: the root of the top 64 fractional bits and the integer
        // part, m'·2^64 < 2^66.
        let top = u128::from(m2.int_part()) << 64 | u128::from(*m2.limbs.get(N.checked_sub(2)?)?);
        let root = top.isqrt(); // √m'·2^32, below 2^33
        let mut y = Fx::<N>::from_int(u64::try_from(root >> 32).ok()?);
        if let Some(l) = y.limbs.get_mut(N.checked_sub(2)?) {
            *l = u64::try_from(root & 0xffff_ffff).ok()? << 32;
        }
        // Newton: the error squares at each step (2^-31, 2^-62, ..., past 2^-F).
        let mut good = 31u32;
        while good < Fx::<N>::FRAC_BITS.checked_add(8)? {
            y = y.add(&m2.div(&y)?)?.shr(1);
            good = good.checked_mul(2)?;
        }
        let sq = y.square()?;
        let diff = if sq >= m2 { sq.sub(&m2)? } else { m2.sub(&sq)? };
        if diff.bit_length() > 62 {
            return None;
        }
        let d = u128::from(*diff.limbs.first()?);
        let r = d.checked_add(1)?.checked_add(r2)?.checked_add(1)?;
        Self::from_fx(y, false, e2.checked_div(2)?, r)
    }
}

/// The ball operations of the options' model: the generic [`Ball<N>`] and, at the first
/// width, the register [`Ball128`]. Each method is the type's own (see them for the bounds).
pub(crate) trait BallOps: Copy + core::fmt::Debug {
    /// Exactly zero.
    const ZERO: Self;
    /// Exactly one.
    const ONE: Self;
    /// The value of a raw `Wad`.
    fn from_wad(raw: i128) -> Option<Self>;
    /// `ln` of a positive raw `Wad`.
    fn ln_wad(raw: i128) -> Option<Self>;
    /// `-self`.
    #[must_use]
    fn neg(self) -> Self;
    /// The ball with the centre's sign dropped (`|centre| ± r`).
    #[must_use]
    fn abs(self) -> Self;
    /// Whether the centre is negative.
    fn is_neg(&self) -> bool;
    /// `self·2^k`.
    fn scale2(self, k: i32) -> Option<Self>;
    /// The radius widened by `2^k`.
    fn widen(self, k: i32) -> Option<Self>;
    /// `E` with `|x| < 2^E` on the ball.
    fn upper_exp2(&self) -> i32;
    /// `E` with `|x| >= 2^E` on the ball, `None` when it contains zero.
    fn lower_exp2(&self) -> Option<i32>;
    /// `self·rhs`.
    fn mul(&self, rhs: &Self) -> Option<Self>;
    /// `self/rhs`.
    fn div(&self, rhs: &Self) -> Option<Self>;
    /// `self + rhs`.
    fn add(&self, rhs: &Self) -> Option<Self>;
    /// `self - rhs`.
    fn sub(&self, rhs: &Self) -> Option<Self> {
        self.add(&rhs.neg())
    }
    /// `self²`.
    fn square(&self) -> Option<Self>;
    /// `√self`.
    fn sqrt(&self) -> Option<Self>;
    /// `e^self`.
    fn exp(&self) -> Option<Self>;
    /// `Φ(±self)`, `φ(self)`.
    fn normal(&self) -> Option<Normal<Self>>;
}

impl<const N: usize> BallOps for Ball<N> {
    const ZERO: Self = Self::ZERO;
    const ONE: Self = Self::ONE;
    fn from_wad(raw: i128) -> Option<Self> {
        Self::from_wad(raw)
    }
    fn ln_wad(raw: i128) -> Option<Self> {
        Self::ln_wad(raw)
    }
    fn neg(self) -> Self {
        Self::neg(self)
    }
    fn abs(self) -> Self {
        Self { neg: false, ..self }
    }
    fn is_neg(&self) -> bool {
        self.neg
    }
    fn scale2(self, k: i32) -> Option<Self> {
        Self::scale2(self, k)
    }
    fn widen(self, k: i32) -> Option<Self> {
        Self::widen(self, k)
    }
    fn upper_exp2(&self) -> i32 {
        Self::upper_exp2(self)
    }
    fn lower_exp2(&self) -> Option<i32> {
        Self::lower_exp2(self)
    }
    fn mul(&self, rhs: &Self) -> Option<Self> {
        Self::mul(self, rhs)
    }
    fn div(&self, rhs: &Self) -> Option<Self> {
        Self::div(self, rhs)
    }
    fn add(&self, rhs: &Self) -> Option<Self> {
        Self::add(self, rhs)
    }
    fn sub(&self, rhs: &Self) -> Option<Self> {
        Self::sub(self, rhs)
    }
    fn square(&self) -> Option<Self> {
        Self::square(self)
    }
    fn sqrt(&self) -> Option<Self> {
        Self::sqrt(self)
    }
    fn exp(&self) -> Option<Self> {
        Self::exp(self)
    }
    fn normal(&self) -> Option<Normal<Self>> {
        normal(self)
    }
}

impl BallOps for Ball128 {
    const ZERO: Self = Self::ZERO;
    const ONE: Self = Self::ONE;
    fn from_wad(raw: i128) -> Option<Self> {
        Self::from_wad(raw)
    }
    fn ln_wad(raw: i128) -> Option<Self> {
        Self::ln_wad(raw)
    }
    fn neg(self) -> Self {
        Self::neg(self)
    }
    fn abs(self) -> Self {
        Self::abs(self)
    }
    fn is_neg(&self) -> bool {
        self.neg
    }
    fn scale2(self, k: i32) -> Option<Self> {
        Self::scale2(self, k)
    }
    fn widen(self, k: i32) -> Option<Self> {
        Self::widen(self, k)
    }
    fn upper_exp2(&self) -> i32 {
        Self::upper_exp2(self)
    }
    fn lower_exp2(&self) -> Option<i32> {
        Self::lower_exp2(self)
    }
    fn mul(&self, rhs: &Self) -> Option<Self> {
        Self::mul(self, rhs)
    }
    fn div(&self, rhs: &Self) -> Option<Self> {
        Self::div(self, rhs)
    }
    fn add(&self, rhs: &Self) -> Option<Self> {
        Self::add(self, rhs)
    }
    fn sub(&self, rhs: &Self) -> Option<Self> {
        Self::sub(self, rhs)
    }
    fn square(&self) -> Option<Self> {
        Self::square(self)
    }
    fn sqrt(&self) -> Option<Self> {
        Self::sqrt(self)
    }
    fn exp(&self) -> Option<Self> {
        Self::exp(self)
    }
    fn normal(&self) -> Option<Normal<Self>> {
        Self::normal(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type B = Ball<3>;

    /// The ball as an interval of f64-free rationals: (centre·2^F, radius) compared at a
    /// common scale, checked against exact integers.
    fn contains_int(b: &B, n: u64) -> bool {
        // n in [m - r, m + r]·2^e
        let Some(exact) = B::from_fx(Fx::from_int(n), false, 0, 0) else {
            return false;
        };
        let d = b.sub(&exact).unwrap();
        d.m.bit_length() as u128 <= 128 && {
            let (m, r) = (d.m, d.r);
            // |centre difference| <= radius, in ulps of d
            m.limbs.iter().skip(2).all(|&l| l == 0) && (u128::from(m.limbs[1]) << 64 | u128::from(m.limbs[0])) <= r
        }
    }

    #[test]
    fn arithmetic_contains_exact_results() {
        let three = B::from_wad(3_000_000_000_000_000_000).unwrap();
        let seven = B::from_wad(7_000_000_000_000_000_000).unwrap();
        // 3·7 = 21, 21/7 = 3, 3 + 7 = 10, 3 - 7 = -4 (checked as 7 - 3 = 4), √(3·3) = 3.
        assert!(contains_int(&three.mul(&seven).unwrap(), 21));
        assert!(contains_int(&three.mul(&seven).unwrap().div(&seven).unwrap(), 3));
        assert!(contains_int(&three.add(&seven).unwrap(), 10));
        assert!(contains_int(&seven.sub(&three).unwrap(), 4));
        assert!(contains_int(&three.square().unwrap().sqrt().unwrap(), 3));
        assert!(contains_int(
            &B::from_wad(16_000_000_000_000_000_000).unwrap().sqrt().unwrap(),
            4
        ));
        assert!(contains_int(&B::ZERO.exp().unwrap(), 1));
        assert!(three.sub(&seven).unwrap().neg);
        // Radii stay a few ulps.
        assert!(three.mul(&seven).unwrap().div(&seven).unwrap().r < 64);
        // The long division by a 64-bit integer.
        let x = Fx::<3> {
            limbs: [0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210, 0x1357_9bdf],
        };
        let long_division = |k: u64| {
            let mut out = Fx::<3>::ZERO;
            let mut rem: u128 = 0;
            for i in (0..3).rev() {
                let cur = (rem << 64) | u128::from(x.limbs[i]);
                out.limbs[i] = (cur / u128::from(k)) as u64;
                rem = cur % u128::from(k);
            }
            out
        };
        for k in [1u32, 3, 7, 1_000_003, u32::MAX] {
            assert_eq!(x.div_u64(u64::from(k)), Some(long_division(u64::from(k))), "{k}");
        }
        assert_eq!(x.div_u64(1 << 40), Some(long_division(1 << 40)));
        assert_eq!(x.div_u64(0), None);
    }

    #[test]
    fn exp_of_large_arguments_squares() {
        // e^-100 = 3.720075976020835962959695803863118337...e-44: in [2^-145, 2^-144).
        let x = B::from_wad(-100_000_000_000_000_000_000).unwrap();
        let y = x.exp().unwrap();
        assert_eq!(y.e, -145);
        assert!(y.r < 1 << 20);
        // ln(e^1) = 1: ln of the raw e (2.718281828459045235) is below 1 by about 1.3e-19.
        let l = B::ln_wad(2_718_281_828_459_045_235).unwrap();
        assert_eq!((l.e, l.neg), (-1, false));
    }

    /// The ball's ends in raw `Wad` units: `(floor(lower end), ceil(upper end))`.
    fn raw_ends<const N: usize>(b: &Ball<N>) -> (i128, i128) {
        use crate::Rounding::{Ceil, Floor};
        use crate::num::math::fx::round_to_grid_last;
        let r = Fx::<N>::ZERO.add_ulps(b.r).unwrap();
        let (lo, hi) = if b.neg {
            let far = b.m.add(&r).unwrap();
            let lo = round_to_grid_last(&far, b.e, true, Floor).unwrap();
            let hi = if b.m >= r {
                round_to_grid_last(&b.m.sub(&r).unwrap(), b.e, true, Ceil)
            } else {
                round_to_grid_last(&r.sub(&b.m).unwrap(), b.e, false, Ceil)
            };
            (lo, hi.unwrap())
        } else {
            let far = b.m.add(&r).unwrap();
            let hi = round_to_grid_last(&far, b.e, false, Ceil).unwrap();
            let lo = if b.m >= r {
                round_to_grid_last(&b.m.sub(&r).unwrap(), b.e, false, Floor)
            } else {
                round_to_grid_last(&r.sub(&b.m).unwrap(), b.e, true, Floor)
            };
            (lo.unwrap(), hi)
        };
        (lo, hi)
    }

    /// Whether the function's value is never on the grid (for arguments not 0 or 1).
    fn exact_or_inexact(what: &str) -> bool {
        what.starts_with("exp") || what.starts_with("ln")
    }

    /// Soundness against the crate's correctly rounded functions: the exact value is `f`, its
    /// floor, or lies in `(f, f + 1e-18)`, so the ball, rounded outward to the grid, must reach
    /// `f` from below and (for a value off the grid) `f + 1e-18` from above.
    fn check<const N: usize>(b: Option<Ball<N>>, floor: crate::Result<crate::Wad>, what: &str) {
        let (Some(b), Ok(f)) = (b, floor) else {
            return;
        };
        let (lo, hi) = raw_ends(&b);
        let f = f.raw();
        // The exact value is f, or lies in (f, f + 1e-18): the ball reaches both.
        assert!(lo <= f && hi >= f, "{what}: [{lo}, {hi}] vs {f}");
        if exact_or_inexact(what) {
            assert!(hi > f, "{what}: [{lo}, {hi}] vs {f}");
        }
    }

    #[test]
    fn balls_contain_the_correctly_rounded_values() {
        use crate::num::math::test_gen::{Draw, SplitMix64, iterations};
        use crate::{Rounding::Floor, Wad};
        let mut g = SplitMix64::new(0x0b5e_55ed);
        for i in 0..iterations(3000) {
            // Magnitudes from 1e-18 to 1e6, both signs.
            let mag = (g.below(1 << 80) >> g.below(80)).max(2) as i128;
            let x = if i % 3 == 0 { -mag } else { mag };
            let y = (g.below(1 << 70) >> g.below(60)).max(1) as i128;
            let (wx, wy) = (Wad::from_raw(x), Wad::from_raw(y));
            let bx = B::from_wad(x).unwrap();
            let by = B::from_wad(y).unwrap();
            let b9x = Ball::<9>::from_wad(x).unwrap();
            check(bx.mul(&by), wx.mul(wy, Floor), "mul");
            check(bx.div(&by), wx.div(wy, Floor), "div");
            check(bx.add(&by), wx.add(wy), "add");
            check(bx.sub(&by), wx.sub(wy), "sub");
            check(bx.exp(), wx.exp(Floor), "exp");
            check(b9x.exp(), wx.exp(Floor), "exp 512");
            if x > 0 && x != Wad::SCALE {
                check(B::ln_wad(x), wx.ln(Floor), "ln");
                check(Ball::<5>::ln_wad(x), wx.ln(Floor), "ln 256");
                check(bx.sqrt(), wx.sqrt(Floor), "sqrt");
            }
        }
    }
}
