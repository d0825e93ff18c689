//! `Ball128`: the ball of the first (128-bit) Ziv level, in registers.
//!
//! A `Ball128` `(m, neg, e, r)` stands for every real `x` with
//! `|x - (±m·2^(e-127))| <= r·2^(e-127)`: `m` is a `u128` read as a binary number with 127
//! fractional bits, in `[1, 2)` (its top bit set) when normalised, and `r` counts its ulps
//! `u = 2^(e-127)`. It is [`Ball<3>`](super::Ball) without limb arrays — one `u128`
//! mantissa, products from [`mul_wide`], quotients from [`div_rem_wide`] — with one bit less
//! (128 significant bits instead of 129) and the same rules: every operation returns a ball
//! that contains every result of the operation applied to members of its operands; the
//! mantissa is normalised after each operation as far as the radius allows (the radius stays
//! below `2^40` after a left shift; an exact value always normalises; a ball centred on zero
//! takes the frame of its radius); radii stay below [`R_LIMIT`], or the operation returns
//! `None` (the caller goes on to the next width).
//!
//! # Error of each operation (ulps of the result before normalisation)
//!
//! With `a = m_a + δ_a`, `b = m_b + δ_b` in ulps, `|δ| <= r`, `r <= 2^62`:
//!
//! - product: the 256-bit product `m_a·m_b` is exact; its top 128 bits are kept (ulp `2^128`
//!   of the product): `|ab - m_a·m_b| <= m_a·r_b + m_b·r_a + r_a·r_b`, in those ulps at most
//!   `⌈r_b·m_a/2^128⌉ + ⌈r_a·m_b/2^128⌉ + 1` (`r_a·r_b < 2^124`), plus 1 for the truncation
//!   ([`scaled`] bounds `r·m/2^128` from above with the top 64 bits of `m`);
//! - quotient (`m_b >= 2^127`): `q = ⌊m_a·2^s/m_b⌋` exactly (`s = 128` when `m_a < m_b`, else
//!   `127`, so that `q` is normalised); `a/b - m_a/m_b = (δ_a - (m_a/m_b)·δ_b)/(m_b + δ_b)`,
//!   in ulps of `q` at most `(2^(s-127)·r_a + q·r_b/2^127)/(1 - r_b·2^-127)`, below
//!   `2^(s-127)·r_a + ⌈q·r_b/2^127⌉ + 1`, plus 1 for the truncation;
//! - sum: the operand with the smaller exponent is shifted right by `d` bits (truncated: its
//!   radius becomes at most `⌊r/2^d⌋ + 2`), the mantissas add or subtract exactly (a carry
//!   out shifts the sum right by one: radius `⌊r/2⌋ + 2`) and the radii add;
//! - square root: `y` from an integer root and one Newton step, bounded a posteriori by the
//!   exact `y²` ([`Ball128::sqrt`]);
//! - conversions: a raw `Wad` through a 128-bit reciprocal of `10^18` (within 2 ulps,
//!   [`Ball128::from_wad`]); `ln` from the fast path's `ln_approx` and its bound; to and from
//!   `Ball<3>` exactly (to) or within one more ulp (from).
#![allow(clippy::arithmetic_side_effects)] // bounded 128/256-bit arithmetic: each step says why

use super::normal128::normal128;
use super::{Ball, Normal, R_LIMIT};
use crate::Result;
use crate::Rounding;
use crate::num::TEN18;
use crate::num::math::fast::{LN_ERR, exp_unit, ln_approx};
use crate::num::math::fx::Fx;
use crate::num::u256::{div_rem_wide, mul_wide};
use crate::num::wad::signed_rounded;

/// The top bit of a mantissa: `1` in its fixed point.
const TOP: u128 = 1 << 127;
/// `⌊2^187/10^18⌋`, in `[2^127, 2^128)`: `X/10^18 = X·RECIP_TEN18·2^-187` up to `X·2^-187`.
const RECIP_TEN18: u128 = 0x9392_ee8e_921d_5d07_3aff_322e_6243_9fcf;

/// A real interval `±m·2^(e-127) ± r·2^(e-127)`; see the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ball128 {
    /// The mantissa's magnitude, 127 fractional bits: in `[1, 2)` when normalised.
    pub(crate) m: u128,
    /// The sign of the centre.
    pub(crate) neg: bool,
    /// The binary exponent.
    pub(crate) e: i32,
    /// The radius, in ulps of `m` (`2^(e-127)` absolute), at most [`R_LIMIT`] (so a `u64`).
    pub(crate) r: u64,
}

/// [`R_LIMIT`] as a `u64`.
const RLIM: u64 = 1 << 62;
const _: () = assert!(RLIM as u128 == R_LIMIT);

/// The number of significant bits of `x`.
fn bits(x: u128) -> u32 {
    128 - x.leading_zeros()
}

/// The number of significant bits of a radius.
fn rbits(r: u64) -> u32 {
    64 - r.leading_zeros()
}

/// An upper bound of `r·m/2^128` for `r <= 2^62`: `⌊r·(⌊m/2^64⌋ + 1)/2^64⌋ + 1` (the product
/// is at most `2^62·2^64`, the result at most `2^62 + 1`).
#[inline]
fn scaled(r: u64, m: u128) -> u64 {
    let r = u128::from(r);
    (((r * (m >> 64) + r) >> 64) as u64) + 1
}

/// `⌈r/2^d⌉ + 1 <= ⌊r/2^d⌋ + 2`: a radius after a truncating right shift by `d` bits (for
/// `r <= 2^62`; any `d`).
#[inline]
fn shifted_radius(r: u64, d: u32) -> u64 {
    r.checked_shr(d).unwrap_or(0) + 2
}

/// The top 128 bits of the 256-bit `hi·2^128 + lo` shifted left by `s < 256` bits.
#[inline]
fn shl_wide(hi: u128, lo: u128, s: u32) -> u128 {
    if s == 0 {
        hi
    } else if s < 128 {
        (hi << s) | (lo >> (128 - s))
    } else {
        lo.checked_shl(s - 128).unwrap_or(0)
    }
}

/// `⌊x·10^18/2^s⌋` and whether it is exact; `None` when it is `2^127` or more (left to the
/// generic path, which tells an overflow).
fn scaled_floor(x: u128, s: u32) -> Option<(u128, bool)> {
    let (h, l) = mul_wide(x, u128::from(TEN18)); // below 2^188
    let (q, exact) = if s >= 256 {
        (0, h == 0 && l == 0)
    } else if s >= 128 {
        let t = s - 128; // < 128
        (h >> t, l == 0 && h & ((1u128 << t) - 1) == 0)
    } else if s == 0 {
        if h != 0 {
            return None;
        }
        (l, true)
    } else {
        if h >> s != 0 {
            return None;
        }
        ((h << (128 - s)) | (l >> s), l & ((1u128 << s) - 1) == 0)
    };
    (q >> 127 == 0).then_some((q, exact))
}

impl Ball128 {
    /// Exactly zero.
    pub(crate) const ZERO: Self = Self {
        m: 0,
        neg: false,
        e: 0,
        r: 0,
    };
    /// Exactly one.
    pub(crate) const ONE: Self = Self {
        m: TOP,
        neg: false,
        e: 0,
        r: 0,
    };

    /// `true` for the exact zero.
    pub(crate) fn is_exact_zero(&self) -> bool {
        (self.m | u128::from(self.r)) == 0
    }

    /// A ball from the 256-bit centre `(hi·2^128 + lo)·2^(e-255)` and a radius `r` in ulps of
    /// `hi` (`2^(e-127)`), normalised: shifted left while the radius stays below `2^40` (in
    /// full when exact), bits of `lo` moving in; a zero centre takes the frame of its radius.
    fn from_wide(hi: u128, lo: u128, neg: bool, e: i32, r: u64) -> Option<Self> {
        if hi >= TOP {
            return (r <= RLIM).then_some(Self { m: hi, neg, e, r });
        }
        if hi >= TOP >> 1 && r < 1 << 39 {
            // The usual case after a product of normalised mantissas: one bit to the left.
            return Some(Self {
                m: (hi << 1) | (lo >> 127),
                neg,
                e: e.checked_sub(1)?,
                r: r << 1,
            });
        }
        if hi == 0 && lo == 0 {
            // Centred on zero: the frame follows the radius (at most 3 ulps after the shift).
            let s = rbits(r).saturating_sub(1);
            let (e, r) = if s > 0 {
                (e.checked_add(i32::try_from(s).ok()?)?, shifted_radius(r, s))
            } else {
                (e, r)
            };
            return Some(Self { m: 0, neg, e, r });
        }
        let lz = if hi != 0 {
            hi.leading_zeros()
        } else {
            128 + lo.leading_zeros()
        };
        let s = if r == 0 {
            lz
        } else {
            lz.min(40u32.saturating_sub(rbits(r)))
        };
        // r < 2^40 after the shift (or unshifted), so r << s cannot overflow; an exact centre
        // (r = 0) may shift by up to 255 bits, past the radius' 64.
        let r = if r == 0 { 0 } else { r << s };
        let e = e.checked_sub(i32::try_from(s).ok()?)?;
        (r <= RLIM).then_some(Self {
            m: shl_wide(hi, lo, s),
            neg,
            e,
            r,
        })
    }

    /// [`Ball128::from_wide`] of a 128-bit centre.
    #[inline]
    pub(super) fn norm(m: u128, neg: bool, e: i32, r: u64) -> Option<Self> {
        Self::from_wide(m, 0, neg, e, r)
    }

    /// The value of a raw `Wad`, within 2 ulps.
    ///
    /// With `X = |raw| = x_n·2^-z` (`x_n` normalised), `X·2^187/10^18 = x_n·R + θ·x_n` for
    /// `R = ⌊2^187/10^18⌋` and `θ` in `[0, 1)`: the exact value is
    /// `(hi + δ)·2^(-59-z)` with `hi·2^128 + lo = x_n·R` and `δ` in `[0, 2)`.
    pub(crate) fn from_wad(raw: i128) -> Option<Self> {
        if raw == 0 {
            return Some(Self::ZERO);
        }
        let x = raw.unsigned_abs(); // at most 2^127
        let z = x.leading_zeros();
        let (hi, lo) = mul_wide(x << z, RECIP_TEN18); // hi in [2^126.2, 2^127.3)
        Self::from_wide(hi, lo, raw < 0, 68i32.checked_sub(i32::try_from(z).ok()?)?, 2)
    }

    /// `ln` of a positive raw `Wad`, from the fast path's `ln_approx`: `|ln x| = int +
    /// frac·2^-128` within [`LN_ERR`] units `2^-128`.
    pub(crate) fn ln_wad(raw: i128) -> Option<Self> {
        let mag = u128::try_from(raw).ok().filter(|&m| m > 0)?;
        if mag == crate::num::TEN18_U128 {
            return Some(Self::ZERO);
        }
        let (int, frac, negative) = ln_approx(mag)?;
        let err = u64::try_from(LN_ERR).ok()?;
        if int == 0 {
            // frac·2^-128 = frac·2^(e-127) with e = -1, within LN_ERR ulps.
            return Self::norm(frac, negative, -1, err);
        }
        // int < 64 (|ln x| < 47): b = 1..=6 bits. m = (int·2^128 + frac) >> b, whose ulp is
        // 2^(b-128): the error LN_ERR·2^-128 is LN_ERR/2^b of them, plus the truncation.
        let b = 64 - int.leading_zeros();
        let m = (u128::from(int) << (128 - b)) | (frac >> b);
        Self::norm(m, negative, i32::try_from(b).ok()? - 1, shifted_radius(err, b))
    }

    /// `-self` (exact).
    pub(crate) fn neg(self) -> Self {
        Self { neg: !self.neg, ..self }
    }

    /// `|centre| ± r` (exact).
    pub(crate) fn abs(self) -> Self {
        Self { neg: false, ..self }
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
        // |x| <= (m + r)·2^(e-127) < 2^(max(bits m, bits r) + 1 + e - 127).
        let b = bits(self.m.max(u128::from(self.r))) as i32; // <= 128
        self.e.saturating_add(b + 1 - 127)
    }

    /// An exponent `E` with `|x| >= 2^E` for every `x` in the ball; `None` when the ball
    /// contains zero.
    pub(crate) fn lower_exp2(&self) -> Option<i32> {
        let low = self.m.checked_sub(u128::from(self.r)).filter(|&l| l != 0)?;
        self.e.checked_add(bits(low) as i32 - 1 - 127)
    }

    /// Adds an absolute error below `2^k` to the radius. When that is more than `2^40` ulps,
    /// the ball first moves to a coarser frame (its mantissa shifted right, truncated).
    pub(crate) fn widen(mut self, k: i32) -> Option<Self> {
        // 2^k in ulps of self: 2^(k - e + 127).
        let mut d = k.checked_sub(self.e)?.checked_add(127)?;
        if d > 40 {
            let s = u32::try_from(d - 40).ok()?;
            self.m = self.m.checked_shr(s).unwrap_or(0);
            self.r = shifted_radius(self.r, s);
            self.e = self.e.checked_add(d - 40)?;
            d = 40;
        }
        let add: u64 = if d < 0 { 1 } else { 1 << d };
        self.r = self.r.checked_add(add)?;
        (self.r <= RLIM).then_some(self)
    }

    /// `self·rhs` (see the module docs).
    pub(crate) fn mul(&self, rhs: &Self) -> Option<Self> {
        if self.is_exact_zero() || rhs.is_exact_zero() {
            return Some(Self::ZERO);
        }
        let (hi, lo) = mul_wide(self.m, rhs.m);
        // m_a·m_b·2^(e_a + e_b - 254) = (hi + lo/2^128)·2^((e_a + e_b + 1) - 127).
        let r = scaled(rhs.r, self.m) + scaled(self.r, rhs.m) + 2;
        let e = self.e.checked_add(rhs.e)?.checked_add(1)?;
        Self::from_wide(hi, lo, self.neg != rhs.neg, e, r)
    }

    /// `self²`.
    pub(crate) fn square(&self) -> Option<Self> {
        self.abs().mul(&self.abs())
    }

    /// `self/rhs`; `None` unless `rhs` is normalised (which keeps its ball away from zero).
    pub(crate) fn div(&self, rhs: &Self) -> Option<Self> {
        if rhs.m < TOP {
            return None;
        }
        if self.is_exact_zero() {
            return Some(Self::ZERO);
        }
        // q = ⌊m_a·2^s/m_b⌋ < 2^128: for s = 128 the dividend's high word m_a is below m_b;
        // for s = 127 it is m_a/2 < 2^127 <= m_b.
        let neg = self.neg != rhs.neg;
        let (q, e, ra) = if self.m < rhs.m {
            let (q, _) = div_rem_wide(self.m, 0, rhs.m)?;
            (q, self.e.checked_sub(rhs.e)?.checked_sub(1)?, self.r << 1)
        } else {
            let (q, _) = div_rem_wide(self.m >> 1, self.m << 127, rhs.m)?;
            (q, self.e.checked_sub(rhs.e)?, self.r)
        };
        // ⌈q·r_b/2^127⌉ <= 2·scaled(r_b, q); then the 1/(1 - r_b·2^-127) factor and the
        // truncation, 1 each.
        let r = ra.checked_add(2 * scaled(rhs.r, q) + 2)?;
        Self::norm(q, neg, e, r)
    }

    /// Aligns `self` to the frame of exponent `e >= self.e`: `(mantissa, radius)`.
    #[inline]
    fn aligned(&self, e: i32) -> Option<(u128, u64)> {
        let d = u32::try_from(e.checked_sub(self.e)?).ok()?;
        if d == 0 {
            return Some((self.m, self.r));
        }
        Some((self.m.checked_shr(d).unwrap_or(0), shifted_radius(self.r, d)))
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
        let r = ra + rb; // each at most 2^62 + 2
        if self.neg == rhs.neg {
            let (s, carry) = ma.overflowing_add(mb);
            if carry {
                // The sum is 2^128 + s: halved, its last bit (half an ulp) truncated.
                let r = r.div_ceil(2) + (s & 1) as u64;
                return Self::norm((s >> 1) | TOP, self.neg, e.checked_add(1)?, r);
            }
            Self::norm(s, self.neg, e, r)
        } else if ma >= mb {
            Self::norm(ma - mb, self.neg, e, r)
        } else {
            Self::norm(mb - ma, rhs.neg, e, r)
        }
    }

    /// `self - rhs`.
    pub(crate) fn sub(&self, rhs: &Self) -> Option<Self> {
        self.add(&rhs.neg())
    }

    /// `√self` for a positive normalised ball.
    ///
    /// With `P = m·2^c` (`c` in `{127, 128}`, so that `e - 127 - c` is even), `P` in
    /// `[2^254, 2^256)` and `√x = √P·2^((e - 127 - c)/2)`. `s = ⌊√⌊P/2^128⌋⌋` (64 bits) and one
    /// Newton step `y = s·2^64 + ⌊⌊(P - s²·2^128)/2⌋/(s·2^64)⌋` give `y` near `√P` (within a
    /// few ulps), at least `2^127`; whatever its accuracy, `|y - √P| = |y² - P|/(y + √P) <= |y² - P|/2^128`, from
    /// the exact 256-bit `y²`. The input radius `δ` (ulps of `m`, so `δ·2^c` of `P`) moves
    /// `√P` by at most `δ·2^c/(2√P) <= δ`.
    pub(crate) fn sqrt(&self) -> Option<Self> {
        if self.neg || self.m < TOP {
            return None;
        }
        let odd = self.e.rem_euclid(2) == 1;
        // P = (ph, pl) = m·2^c.
        let (ph, pl) = if odd { (self.m, 0) } else { (self.m >> 1, self.m << 127) };
        let s = ph.isqrt(); // in [2^63, 2^64)
        // P - s²·2^128 = (ph - s²)·2^128 + pl with ph - s² <= 2s (s is the floor root).
        let d_hi = ph - s * s;
        // Half of it, divided by s·2^64 in [2^127, 2^128) (the high word d_hi/2 <= s is
        // below it).
        let (c, _) = div_rem_wide(d_hi >> 1, ((d_hi & 1) << 127) | (pl >> 1), s << 64)?;
        let y = (s << 64).saturating_add(c);
        let (yh, yl) = mul_wide(y, y);
        // |y² - P| in units of 2^128, rounded up.
        let (dh, dl) = if (yh, yl) >= (ph, pl) {
            let (l, b) = yl.overflowing_sub(pl);
            (yh - ph - u128::from(b), l)
        } else {
            let (l, b) = pl.overflowing_sub(yl);
            (ph - yh - u128::from(b), l)
        };
        let r = u64::try_from(dh)
            .ok()?
            .checked_add(u64::from(dl != 0))?
            .checked_add(self.r)?;
        // √x = y·2^((e - 127 - c)/2) = y·2^(e' - 127): e' = 127 + (e - 127 - c)/2.
        let c = if odd { 128 } else { 127 };
        let half = self.e.checked_sub(127 + c)? / 2; // exact: e - 127 - c is even
        Self::norm(y, false, half.checked_add(127)?, r)
    }

    /// `e^self`: for `|x| < 2^7` from the table-driven [`exp_unit`], else through
    /// [`Ball<3>`] (whose `exp` halves large arguments and squares).
    ///
    /// With `c` the centre and `δ = r·2^(e-127)` the radius, `exp_unit` gives `y` with
    /// `Y - 9.4 < y <= Y` for `Y = 2^(v'/2^18)` (scaled by `2^(126-k)`) and
    /// `|v' - c·2^18/ln 2| < 2.01·2^-128`. The centre is `m = 2y` (ulps of `2^(k-127)`):
    /// `Y` lies within 19 ulps above it. Every `e^x` of the ball is `Y·e^θ` with
    /// `|θ| <= η = δ + 2.01·2^-128·ln 2/2^18`, and `|e^θ - 1| <= η·(1 + 2^-39)` for
    /// `η <= 2^-40`: within `Y·η·(1 + 2^-39) < 2^128·η·(1 + 2^-39)` ulps, where
    /// `2^128·η <= R1 + 2^-18` with `R1 = r·2^(e+1)` rounded up. The radius is
    /// `19 + R1 + R1/64 + 2`.
    pub(crate) fn exp(&self) -> Option<Self> {
        if self.is_exact_zero() {
            return Some(Self::ONE);
        }
        let Some((y, k)) = exp_unit(self.neg, self.m, self.e) else {
            return Self::from_generic(&self.to_generic()?.exp()?);
        };
        // R1 = ⌈r·2^(e+1)⌉, below 2^61 (else η is too large for the bound: next width).
        let s = self.e.checked_add(1)?;
        let r1 = if s >= 0 {
            let s = u32::try_from(s).ok()?;
            if rbits(self.r) + s > 61 {
                return None;
            }
            self.r << s
        } else {
            shifted_radius(self.r, s.unsigned_abs())
        };
        let r = 21 + r1 + (r1 >> 6);
        // m = 2y in [2^127, 2^128): the value y·2^(k-126) = m·2^(k-127).
        Self::norm(y << 1, false, i32::try_from(k).ok()?, r)
    }

    /// `Φ(±self)` and `φ(self)`: table-driven below `16`, else through [`Ball<3>`] (see
    /// [`normal128`](super::normal128)).
    pub(crate) fn normal(&self) -> Option<Normal<Self>> {
        normal128(self)
    }

    /// The same ball as a [`Ball<3>`] (exact: the mantissa gains one fractional bit).
    pub(crate) fn to_generic(self) -> Option<Ball<3>> {
        let frac = self.m << 1;
        let m = Fx::<3> {
            limbs: [frac as u64, (frac >> 64) as u64, (self.m >> 127) as u64],
        };
        Ball::from_fx(m, self.neg, self.e, u128::from(self.r) * 2)
    }

    /// A [`Ball<3>`] as a `Ball128` (its mantissa below 2 loses its last bit: one more ulp).
    pub(crate) fn from_generic(b: &Ball<3>) -> Option<Self> {
        let [l0, l1, int] = b.m.limbs;
        if int > 1 {
            return None;
        }
        let frac = (u128::from(l1) << 64) | u128::from(l0);
        let m = (u128::from(int) << 127) | (frac >> 1);
        Self::norm(m, b.neg, b.e, shifted_radius(u64::try_from(b.r).ok()?, 1))
    }

    /// The centre's magnitude rounded to the grid in direction `rounding` when the whole ball
    /// lies strictly inside one cell of the grid, away from zero (its upper end not on a grid
    /// point: the exact value, never on the grid, is then strictly inside): what
    /// [`round_to_grid`](crate::num::math::fx::round_to_grid) decides. `None` otherwise, and
    /// for magnitudes of `2^127·10^-18` or more (left to the generic path).
    pub(crate) fn round(&self, rounding: Rounding) -> Option<Result<i128>> {
        let lo = self.m.checked_sub(u128::from(self.r)).filter(|&l| l > 0)?;
        let hi = self.m.checked_add(u128::from(self.r))?;
        // |x|·10^18 = (m ± r)·10^18·2^(e - 127).
        let s = u32::try_from(127i32.checked_sub(self.e)?).ok()?;
        let (q_lo, _) = scaled_floor(lo, s)?;
        let (q_hi, exact) = scaled_floor(hi, s)?;
        (q_lo == q_hi && !exact).then(|| signed_rounded(self.neg, q_lo, true, rounding))
    }

    /// The centre rounded to the grid in direction `rounding` as if it were exact; `None`
    /// when it does not fit.
    pub(crate) fn centre_to_grid(&self, rounding: Rounding) -> Option<i128> {
        let s = u32::try_from(127i32.checked_sub(self.e)?).ok()?;
        let (q, exact) = scaled_floor(self.m, s)?;
        signed_rounded(self.neg, q, !exact, rounding).ok()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_exact_centre_far_below_the_top_normalises_without_shifting_its_radius_out() {
        // r = 0 and a centre of one bit in `lo`: the shift is 255 bits (a radius shifted that
        // far overflowed a 64-bit shift under overflow checks; CI's wasm32 run found it).
        let b = Ball128::from_wide(0, 1, false, 0, 0).unwrap();
        assert_eq!((b.m, b.r, b.e), (TOP, 0, -255));
        let b = Ball128::from_wide(0, 1 << 100, true, 7, 0).unwrap();
        assert_eq!((b.m, b.r, b.e, b.neg), (TOP, 0, 7 - 155, true));
    }
    use super::*;
    use crate::num::math::test_gen::{Draw, SplitMix64, iterations};

    /// Whether `b` and the generic ball `g` intersect: both contain the exact value, so they
    /// must.
    fn overlap(b: &Ball128, g: &Ball<3>) -> bool {
        let d = b.to_generic().unwrap().sub(g).unwrap();
        // |centre difference| <= r_d (the difference's radius holds both radii).
        d.m.sub_ulps_sat(d.r).is_zero()
    }

    /// A 256-bit ball cut to 128 bits: its two lowest limbs dropped (truncated), its radius
    /// (far below the 128-bit ulp) counted as 2 ulps. Within 2^-126 relative of the exact
    /// value: intersecting it is nearly containing the exact value.
    fn narrow(g: &Ball<5>) -> Ball<3> {
        assert!(g.r < 1 << 64, "{g:?}");
        let [_, _, l2, l3, l4] = g.m.limbs;
        Ball::from_fx(Fx { limbs: [l2, l3, l4] }, g.neg, g.e, 2).unwrap()
    }

    #[test]
    fn operations_contain_the_exact_results() {
        let mut g = SplitMix64::new(0x0b12_8000);
        for i in 0..iterations(20_000) {
            let mag = |g: &mut SplitMix64| (g.below(1 << 100) >> g.below(100)).max(1) as i128;
            let x = if i % 3 == 0 { -mag(&mut g) } else { mag(&mut g) };
            let y = if i % 5 == 0 { -mag(&mut g) } else { mag(&mut g) };
            let (bx, by) = (Ball128::from_wad(x).unwrap(), Ball128::from_wad(y).unwrap());
            let (gx, gy) = (Ball::<5>::from_wad(x).unwrap(), Ball::<5>::from_wad(y).unwrap());
            assert!(overlap(&bx, &narrow(&gx)), "{x}");
            assert!(bx.r <= 4, "{x} {bx:?}");
            // Some operations on results, not only on exact wads.
            let (bz, gz) = (bx.mul(&by).unwrap(), gx.mul(&gy).unwrap());
            let pairs = [
                (bx.mul(&by), gx.mul(&gy)),
                (bx.add(&by), gx.add(&gy)),
                (bx.sub(&by), gx.sub(&gy)),
                (bx.div(&by), gx.div(&gy)),
                (bx.square(), gx.square()),
                (bz.add(&bx), gz.add(&gx)),
                (bz.sub(&by), gz.sub(&gy)),
                (bz.div(&by), gz.div(&gy)),
                (bx.abs().sqrt(), Ball { neg: false, ..gx }.sqrt()),
                (bz.abs().sqrt(), Ball { neg: false, ..gz }.sqrt()),
                (Ball128::ln_wad(x), Ball::<5>::ln_wad(x)),
                (bx.exp(), gx.exp()),
            ];
            for (k, (b, r)) in pairs.into_iter().enumerate() {
                if let (Some(b), Some(r)) = (b, r) {
                    if r.r >= 1 << 64 {
                        continue; // a wide 256-bit ball (exp of a large argument)
                    }
                    assert!(overlap(&b, &narrow(&r)), "{k}: {x} {y}: {b:?} {r:?}");
                    // Radii of a few ulps for products, quotients and roots (sums may cancel,
                    // ln near 1 and exp far out are wider).
                    assert!(![0, 3, 4, 8, 9].contains(&k) || b.r < 1 << 6, "{k}: {x} {y}: {b:?}");
                }
            }
            // Round trips through the generic ball.
            let back = Ball128::from_generic(&bx.to_generic().unwrap()).unwrap();
            assert_eq!((back.m, back.e, back.neg), (bx.m, bx.e, bx.neg));
            assert!(back.r <= bx.r + 2);
        }
    }

    #[test]
    fn exp_contains_the_exact_results() {
        // Arguments in (-2^7, 2^7) (the table path), exact and with radii (products), and
        // tiny ones; the 256-bit ball is the reference.
        let mut g = SplitMix64::new(0x0e8b_1280);
        for i in 0..iterations(20_000) {
            let raw = (g.below(1 << 67) >> g.below(67)) as i128 * if i % 2 == 0 { 1 } else { -1 };
            let scale = g.below(1 << 62) as i128 + (1 << 59);
            let (bx, gx) = (Ball128::from_wad(raw).unwrap(), Ball::<5>::from_wad(raw).unwrap());
            let (bs, gs) = (Ball128::from_wad(scale).unwrap(), Ball::<5>::from_wad(scale).unwrap());
            for (k, (b, r)) in [(bx, gx), (bx.mul(&bs).unwrap(), gx.mul(&gs).unwrap())]
                .into_iter()
                .enumerate()
            {
                let (Some(e), Some(er)) = (b.exp(), r.exp()) else {
                    continue;
                };
                if er.r >= 1 << 64 {
                    continue;
                }
                assert!(overlap(&e, &narrow(&er)), "{k}: {raw} {scale}: {e:?} {er:?}");
                if b.upper_exp2() <= 7 {
                    assert!(e.r < 1 << 12, "{k}: {raw} {scale}: {b:?} {e:?}");
                }
            }
        }
    }

    #[test]
    fn exact_values_and_rounding() {
        let three = Ball128::from_wad(3_000_000_000_000_000_000).unwrap();
        assert_eq!(three.sub(&three).unwrap().m, 0);
        assert_eq!(
            Ball128::ONE.add(&Ball128::ONE).unwrap(),
            Ball128::ONE.scale2(1).unwrap()
        );
        assert_eq!(
            Ball128::ONE.scale2(2).unwrap().sqrt().unwrap(),
            Ball128::ONE.scale2(1).unwrap()
        );
        // 1/3 rounds both ways; 1 is on the grid, never decided.
        let third = Ball128::ONE.div(&three).unwrap();
        assert_eq!(third.round(Rounding::Floor), Some(Ok(333_333_333_333_333_333)));
        assert_eq!(third.round(Rounding::Ceil), Some(Ok(333_333_333_333_333_334)));
        assert_eq!(third.neg().round(Rounding::Floor), Some(Ok(-333_333_333_333_333_334)));
        assert_eq!(Ball128::ONE.round(Rounding::Floor), None);
        assert_eq!(third.centre_to_grid(Rounding::Floor), Some(333_333_333_333_333_333));
        // The reciprocal of 10^18: R·10^18 <= 2^187 < (R + 1)·10^18.
        let (h, l) = mul_wide(RECIP_TEN18, u128::from(TEN18));
        assert!(h < 1 << 59 || (h == 1 << 59 && l == 0));
        let (h, _) = mul_wide(RECIP_TEN18 + 1, u128::from(TEN18));
        assert!(h >= 1 << 59);
    }
}
