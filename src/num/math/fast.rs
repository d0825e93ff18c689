//! Fast first attempts of `exp` and `ln` in native 128-bit arithmetic.
//!
//! [`exp`] and [`ln`] are the first step of Ziv's strategy for [`Wad::exp`](crate::Wad::exp)
//! and [`Wad::ln`](crate::Wad::ln): they compute an approximation with 128 fractional bits,
//! in `u64`/`u128` registers with table-driven argument reduction, together with a proven
//! error bound, and round it to the 1e-18 grid only when the whole error interval lies
//! strictly between two grid points. Otherwise (probability about `2^-60` for a random
//! argument, more for `exp` near its overflow bound and for arguments within a few thousand
//! ulps of `exp(0)`/`ln(1)`) they return `None` and the caller runs the generic path
//! ([`super::ziv`]), which is unchanged. A `None` therefore only costs time; every `Some` is
//! the correctly rounded result.
//!
//! Notation: `u = 2^-128`. Every operation below truncates (rounds toward zero) and its error
//! is counted in `u` (or in the ulp of the fixed-point scale named), summed generously.
//! The exact result is never a grid point (`e^x` and `ln x` are transcendental for rational
//! `x ≠ 0`, `x ≠ 1`, which the callers exclude), so a strict separation decides.
//!
//! # `exp`, for `-42 <= x <= 40`
//!
//! - Reduction: `v = x·2^12/ln 2 = X·K·2^-239` with `X = x·10^18` exact and
//!   `K = floor(2^251/(ln 2·10^18))` ([`EXP_K`], 192 bits): the product is exact, `K`'s
//!   truncation moves `v` by less than `X·2^-239 < 2^-173`. `N = floor(v)` (to within that)
//!   and `f`, the fraction `v - N`, is kept to 128 bits: `|f - (v - N)| <= u` (for `x < 0`,
//!   `f` is the complement of `|v|`'s fraction and the error is two-sided but still `<= u`).
//!   With `N = 64·64·k + 64·j1 + j2`: `e^x = 2^k · 2^(j1/64) · 2^(j2/4096) · e^r` where
//!   `r = (v - N)·ln 2/2^12` is in `[0, ln 2/4096)`, `r < 2^-12.5`.
//! - `r = f·ln 2/2^12` with `ln 2` truncated to 128 bits, kept at scale `2^-140`: error below
//!   `3·2^-140` (two truncations of `2^-140` plus `f`'s error times `ln 2/2^12`). It moves
//!   `e^r` (`< 1.0002`) by a relative `3.01·2^-140`: below `0.01 u` of the final mantissa.
//! - `e^r - 1 = r + r²/2 + … + r⁹/9!` by Horner. The inner part
//!   `q = 1/120 + r/720 + … + r⁴/9!` is evaluated in `u64` at scale `2^-70` (coefficients and
//!   products truncated, `r` truncated to 64 bits): error below `3·2^-70`, which enters the
//!   result multiplied by `r⁵ < 2^-62.6`: `< 0.13 u`. The outer steps `1/24 + r·q`,
//!   `1/6 + r·h`, `1/2 + r·h`, `g = r·h` (scale `2^-128`, two truncations each) and
//!   `r + r·g` (scale `2^-140`) add at most `2u` each, damped by the powers of `r` they are
//!   later multiplied by: `< 2^-12 u` in total except the last, `< 2^-12 u` too (one ulp of
//!   `2^-140`). The omitted tail `Σ_{i>=10} r^i/i! < 2^-147`. So `e^r - 1` is within `0.2 u`.
//! - Tables ([`EXP_T1`], [`EXP_T2`]): `frac(2^(j/64))` and `frac(2^(j/4096))`, each truncated
//!   (`< 1 u`). Their product `1 + t1 + t2 + t1·t2` (`< 2`) is within
//!   `(1 + t2) u + (1 + t1) u + 1 u < 4.1 u` (the last term is the product's truncation).
//! - Mantissa `m = (1 + t)(1 + e) = 1 + t + e + t·e` in `[1, 2)`: `e` and `t·e` are truncated
//!   from scale `2^-140` to `2^-128` (`1 u` and `2 u`), `e`'s error is multiplied by
//!   `1 + t < 2` (`0.4 u`), `t`'s by `1 + e` (`4.2 u`), the argument error adds `0.01 u`:
//!   in total below `7.7 u`. The decision uses **16 u**.
//! - Decision: `e^x = m·2^k`, `y = m·10^18·2^k` has a 190-bit numerator; with
//!   `k in [-61, 57]` the binary point is at bit `128 - k in [71, 189]`, the interval
//!   `[y - 16u·10^18·2^k, y + 16u·10^18·2^k]` is checked to lie strictly inside one grid
//!   cell ([`decide`]). Near the top (`e^40 ≈ 2^57.7`) that interval is about `2^-6` grid
//!   cells wide, so the generic path runs for about 1 % of the arguments there; above 40 it
//!   is always the generic path.
//!
//! # `ln`, for every positive `x`
//!
//! - Normalisation: `X = x·10^18` is shifted to `Xn` in `[2^127, 2^128)` and multiplied by
//!   `C = floor(2^187/10^18)` ([`LN_C`], relative error below `2^-127`): the 256-bit product
//!   gives `x = m·2^k` with `m` in `[1, 2)` and `m - 1` kept to 128 bits. `m` is below its
//!   true value by a relative `2^-127 + 2^-128`: `ln m` is off by at most `3 u`.
//! - Three reduction levels ([`LN_R1`], [`LN_R2`], [`LN_R3`]): with `j` the next 7 bits of
//!   `t` (initially `t = m - 1`), `1 + t' = (1 + t)·c_j` where `c_j = ceil(2^63/(1 + j·2^-s))
//!   /2^63` (`s = 7, 14, 21`) is an exact 64-bit number, so `t'` is `>= 0` and below
//!   `2^-s`. The product is exact (192 bits) and truncated to 128 bits: `1 u` per level, and
//!   an error in `t` is multiplied by `c_j <= 1`: `t` ends within `3 u` (besides `m`'s error)
//!   and below `2^-21`. Then `ln m = Σ -ln c_j + ln(1 + t)`, with the three `-ln c_j`
//!   truncated (`3 u`).
//! - `ln(1 + t) = t - t²/2 + t³·g`, `g = 1/3 - t/4 + t²/5 - t³/6` (omitted tail
//!   `< t⁴/7 · t³ < 2^-149`): `t²/2` by a full product (`1 u`); `t³` in `u64` from `t`
//!   truncated to scale `2^-85`, within `5` ulps of `2^-127` (`10 u`), times `g < 1/3`:
//!   `3.4 u`; `g` in `u64` at scale `2^-65` within `2.1` ulps, times `t³ < 2^-63`: `2.1 u`;
//!   the product `t³·g` truncated: `1 u`. So `ln(1 + t)` is within `7.5 u`.
//! - `k·ln 2` with `ln 2` to 192 bits, truncated: `1 u`. `ln x = k·ln 2 ± …` is exact
//!   addition or subtraction of 192-bit numbers.
//! - Total: `3 + 3 + 3 + 7.5 + 1 = 17.5 u`; the decision uses **32 u**. `|ln x| < 47`, so the
//!   interval is about `2^-62` grid cells wide away from `x = 1`. Near `x = 1` the result is
//!   tiny and can lie within `2^-120` of a grid point (`ln(1 + 10^-18) = 10^-18 - 5·10^-37`):
//!   there the attempt defers.
//!
//! All tables come from `gen_tables.py` (mpmath); the tests below check them against the
//! generic, independently validated path.
#![allow(clippy::arithmetic_side_effects)] // bounded 64/128-bit arithmetic, see the comments

#[path = "fast_tables.rs"]
mod tables;

use tables::{EXP_K, EXP_T1, EXP_T2, LN_C, LN_R1, LN_R2, LN_R3, LN2_HI, LN2_LO};

use crate::num::wad::signed_rounded;
use crate::{Result, Rounding};

/// The low 64 bits of a `u128`.
const M64: u128 = u64::MAX as u128;
/// `10^18`.
const TEN18: u64 = 1_000_000_000_000_000_000;

/// The smallest raw argument of the fast `exp` (`-42`; below it `e^x < 10^-18` is decided
/// by the caller, but the fast path also handles it).
const EXP_MIN_RAW: i128 = -42_000_000_000_000_000_000;
/// The largest raw argument of the fast `exp` (`40`; `e^40 ≈ 2^57.7`).
const EXP_MAX_RAW: i128 = 40_000_000_000_000_000_000;
/// The error bound of the `exp` mantissa, in `u` (see the module docs: `7.7 u`).
const EXP_ERR: u128 = 16;
/// The error bound of `ln`, in `u` (see the module docs: `17.5 u`).
const LN_ERR: u128 = 32;

/// `floor(2^70/i!)` for `i = 5..=9`: the inner Taylor coefficients of `exp`, scale `2^-70`.
const E5: u64 = ((1u128 << 70) / 120) as u64;
/// `floor(2^70/6!)`.
const E6: u64 = ((1u128 << 70) / 720) as u64;
/// `floor(2^70/7!)`.
const E7: u64 = ((1u128 << 70) / 5_040) as u64;
/// `floor(2^70/8!)`.
const E8: u64 = ((1u128 << 70) / 40_320) as u64;
/// `floor(2^70/9!)`.
const E9: u64 = ((1u128 << 70) / 362_880) as u64;
/// `floor(2^128/4!)`.
const E4: u128 = u128::MAX / 24;
/// `floor(2^128/3!)`.
const E3: u128 = u128::MAX / 6;
/// `1/2` at scale `2^-128`.
const E2: u128 = 1 << 127;

/// `floor(2^65/3)`: the coefficients of `g` in `ln(1 + t) = t - t²/2 + t³·g`, scale `2^-65`.
const G3: u64 = ((1u128 << 65) / 3) as u64;
/// `2^65/4`.
const G4: u64 = 1 << 63;
/// `floor(2^65/5)`.
const G5: u64 = ((1u128 << 65) / 5) as u64;
/// `floor(2^65/6)`.
const G6: u64 = ((1u128 << 65) / 6) as u64;

/// `floor(a·b/2^128)`, exact. Partial products are below `2^128`, the middle sum below
/// `3·2^64`, and the result below `2^128`.
#[inline]
fn mulhi(a: u128, b: u128) -> u128 {
    mul_wide(a, b).0
}

/// The 256-bit product `a·b` as `(high, low)` 128-bit halves.
#[inline]
fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    let (a1, a0) = (a >> 64, a & M64);
    let (b1, b0) = (b >> 64, b & M64);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let mid = (p00 >> 64) + (p01 & M64) + (p10 & M64);
    let lo = (mid << 64) | (p00 & M64);
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (hi, lo)
}

/// `floor(a·b/2^64)` for `a·b < 2^128`, one 64×64-bit product.
#[inline]
fn mul64_shr(a: u64, b: u64, shift: u32) -> u128 {
    (u128::from(a) * u128::from(b)) >> shift
}

/// A 192-bit unsigned integer `hi·2^128 + lo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Wide {
    /// Bits 128 to 191.
    hi: u64,
    /// Bits 0 to 127.
    lo: u128,
}

impl Wide {
    /// `(int·2^128 + frac)·10^18`, for `int <= 1`: below `2^189`, no overflow.
    fn times_ten18(int: u64, frac: u128) -> Self {
        let t = u128::from(TEN18);
        let a = (frac & M64) * t; // < 2^124
        let b = (frac >> 64) * t; // < 2^124
        let (lo, carry) = a.overflowing_add(b << 64);
        let hi = (b >> 64) as u64 + u64::from(carry) + int * TEN18;
        Self { hi, lo }
    }

    /// `self + e`, `None` on overflow of 192 bits.
    fn add(self, e: u128) -> Option<Self> {
        let (lo, carry) = self.lo.overflowing_add(e);
        Some(Self {
            hi: self.hi.checked_add(u64::from(carry))?,
            lo,
        })
    }

    /// `self - e`, saturating at zero.
    fn sub_sat(self, e: u128) -> Self {
        let (lo, borrow) = self.lo.overflowing_sub(e);
        match self.hi.checked_sub(u64::from(borrow)) {
            Some(hi) => Self { hi, lo },
            None => Self { hi: 0, lo: 0 },
        }
    }

    /// `floor(self/2^s)` for `64 <= s <= 191` (the result is below `2^128`).
    fn shr(self, s: u32) -> u128 {
        if s >= 128 {
            u128::from(self.hi >> (s - 128))
        } else {
            (u128::from(self.hi) << (128 - s)) | (self.lo >> s)
        }
    }

    /// `true` when `self` is a multiple of `2^s`, for `64 <= s <= 191`.
    fn divisible(self, s: u32) -> bool {
        if s >= 128 {
            self.lo == 0 && self.hi & ((1u64 << (s - 128)) - 1) == 0
        } else {
            self.lo & ((1u128 << s) - 1) == 0
        }
    }
}

/// `floor(y/2^s)` when the exact value, known to be positive and within `e` of `y`
/// (`|exact - y| <= e`, both scaled by `2^s`), lies strictly between the same two
/// consecutive integers as `y`; `None` when the interval `[y - e, y + e]` contains an
/// integer or reaches one with its upper end. The lower end is clamped at zero, which is
/// sound because the exact value is positive. Requires `64 <= s <= 191`.
fn decide(y: Wide, e: u128, s: u32) -> Option<u128> {
    if !(64..=191).contains(&s) {
        return None;
    }
    let lo = y.sub_sat(e);
    let hi = y.add(e)?;
    let q = lo.shr(s);
    (q == hi.shr(s) && !hi.divisible(s)).then_some(q)
}

/// The fast attempt at `e^x` for a raw `Wad` `raw` (see the module docs); `None` when it
/// cannot decide or `raw` is outside `[-42, 40]` or zero.
pub(crate) fn exp(raw: i128, rounding: Rounding) -> Option<Result<i128>> {
    let (mf, k) = exp_approx(raw)?;
    let y = Wide::times_ten18(1, mf);
    let s = u32::try_from(128 - k).ok()?;
    let q = decide(y, EXP_ERR * u128::from(TEN18), s)?;
    Some(signed_rounded(false, q, true, rounding))
}

/// `e^x ≈ (1 + mf·2^-128)·2^k` within `EXP_ERR` units of `2^(k-128)` for a raw `Wad`
/// in `[-42, 40]`, not zero: `(mf, k)`.
fn exp_approx(raw: i128) -> Option<(u128, i64)> {
    if raw == 0 || !(EXP_MIN_RAW..=EXP_MAX_RAW).contains(&raw) {
        return None;
    }
    // v = |X|·K·2^-239 with |X| < 2^66 (two limbs) and K three limbs: five exact limbs. Each
    // step is a limb product plus at most two limbs, below 2^128.
    let a = raw.unsigned_abs();
    let (a0, a1) = (u128::from(a as u64), a >> 64);
    let [k0, k1, k2] = EXP_K.map(u128::from);
    let t = a0 * k0;
    let p0 = t >> 64;
    let t = a0 * k1 + p0;
    let (p1, c) = (t & M64, t >> 64);
    let t = a0 * k2 + c;
    let (p2, p3) = (t & M64, t >> 64);
    let t = a1 * k0 + p1;
    let (p1, c) = (t & M64, t >> 64);
    let t = a1 * k1 + p2 + c;
    let (p2, c) = (t & M64, t >> 64);
    let t = a1 * k2 + p3 + c;
    let (p3, p4) = (t & M64, t >> 64);
    // |v| < 42·4096/ln 2 < 2^18: the integer part is bits 239.., the fraction bits 111..239.
    let n_abs = ((p3 >> 47) | (p4 << 17)) as i64;
    let frac = (p1 >> 47) | (p2 << 17) | ((p3 & ((1 << 47) - 1)) << 81);
    let (n, f) = if raw > 0 { (n_abs, frac) } else { (-n_abs - 1, !frac) };
    let k = n >> 12; // in [-61, 57]
    let j = (n & 4095) as usize;
    // r = f·ln2/2^12 at scale 2^-140 (r < 2^127.5).
    let r = mulhi(f, LN2_HI);
    // q = 1/120 + r/720 + … + r⁴/9! in u64 at scale 2^-70 (q < 2^63.1); r64 at scale 2^-76.
    let r64 = (r >> 64) as u64;
    let step = |c: u64, q: u64| c + (mul64_shr(r64, q, 76) as u64);
    let q = step(E5, step(E6, step(E7, step(E8, E9))));
    // h4 = 1/24 + r·q at scale 2^-128: r·q has scale 2^-210, shifted by 82.
    let rq = (((r >> 64) * u128::from(q)) + (((r & M64) * u128::from(q)) >> 64)) >> 18;
    let h4 = E4 + rq;
    let h3 = E3 + (mulhi(r, h4) >> 12);
    let h2 = E2 + (mulhi(r, h3) >> 12);
    let g = mulhi(r, h2) >> 12; // (e^r - 1 - r)/r, scale 2^-128, < 2^-13
    let em1 = r.checked_add(mulhi(r, g))?; // e^r - 1 at scale 2^-140, < 2^127.5
    let t1 = *EXP_T1.get(j >> 6)?;
    let t2 = *EXP_T2.get(j & 63)?;
    // (1 + t1)(1 + t2) - 1 < 2^(4095/4096) - 1 < 1: no overflow.
    let tf = t1 + t2 + mulhi(t1, t2);
    let mf = tf.checked_add(em1 >> 12)?.checked_add(mulhi(tf, em1) >> 12)?;
    Some((mf, k))
}

/// One `ln` reduction step: `(1 + t)·c/2^63 - 1` at scale `2^-128`, truncated; `None` if
/// negative (impossible for `t` in the bucket of `c`).
#[inline]
fn reduce(t: u128, c: u64) -> Option<u128> {
    let c128 = u128::from(c);
    // t·c = hp·2^64 + lp exactly, hp < 2^127; floor(t·c/2^63) = 2·hp + floor(lp/2^63).
    let hp = (t >> 64) * c128;
    let lp = (t & M64) * c128;
    let prod = (hp << 1).checked_add(lp >> 63)?;
    let d = u128::from((1u64 << 63).checked_sub(c)?) << 65;
    prod.checked_sub(d)
}

/// The fast attempt at `ln x` for a positive raw `Wad` `raw ≠ 10^18` (see the module docs);
/// `None` when it cannot decide.
pub(crate) fn ln(raw: u128, rounding: Rounding) -> Option<Result<i128>> {
    let (int, frac, negative) = ln_approx(raw)?;
    let e = LN_ERR * u128::from(TEN18);
    let y = Wide::times_ten18(0, frac);
    // With an integer part, the lower end must not cross it (the clamp in `decide` is only
    // sound at zero).
    if int != 0 && y.hi == 0 && y.lo < e {
        return None;
    }
    let q = decide(y, e, 128)? + u128::from(int) * u128::from(TEN18);
    Some(signed_rounded(negative, q, true, rounding))
}

/// `|ln x| ≈ int + frac·2^-128` within `LN_ERR` units of `2^-128`, and whether `ln x < 0`,
/// for a positive raw `Wad` below `2^127`.
fn ln_approx(raw: u128) -> Option<(u64, u128, bool)> {
    if raw == 0 || raw >> 127 != 0 {
        return None;
    }
    let bits = 128 - raw.leading_zeros(); // 1..=127
    let xn = raw << (128 - bits);
    // Xn·C/2^255 is x·2^(60 - bits), in [1/2, 1.16).
    let (hi, lo) = mul_wide(xn, LN_C);
    let (mf, k) = if hi >> 127 != 0 {
        ((hi << 1) | (lo >> 127), i64::from(bits) - 60)
    } else {
        ((hi << 2) | (lo >> 126), i64::from(bits) - 61)
    };
    let (c1, l1) = *LN_R1.get((mf >> 121) as usize)?;
    let t = reduce(mf, c1)?;
    let (c2, l2) = *LN_R2.get((t >> 114) as usize)?;
    let t = reduce(t, c2)?;
    let (c3, l3) = *LN_R3.get((t >> 107) as usize)?;
    let t = reduce(t, c3)?; // < 2^-21
    // ln(1 + t) = t - t²/2 + t³·g.
    let half_sq = mulhi(t, t) >> 1;
    let t64 = u64::try_from(t >> 43).ok()?; // scale 2^-85
    let tsq = mul64_shr(t64, t64, 64) as u64; // scale 2^-106
    let tcube = mul64_shr(tsq, t64, 64) as u64; // scale 2^-127
    let a = G5.checked_sub(mul64_shr(t64, G6, 85) as u64)?;
    let a = G4.checked_sub(mul64_shr(t64, a, 85) as u64)?;
    let g = G3.checked_sub(mul64_shr(t64, a, 85) as u64)?;
    let ln1p = t.checked_sub(half_sq)?.checked_add(mul64_shr(tcube, g, 64))?;
    let ln_m = l1.checked_add(l2)?.checked_add(l3)?.checked_add(ln1p)?; // < ln 2
    // |k|·ln 2 at scale 2^-192, truncated to 2^-128: integer part and fraction.
    let ka = u128::from(k.unsigned_abs()); // <= 68
    let w0 = ka * u128::from(LN2_LO);
    let w1 = ka * (LN2_HI & M64) + (w0 >> 64);
    let w2 = ka * (LN2_HI >> 64) + (w1 >> 64);
    let (int, frac) = ((w2 >> 64) as u64, (w2 << 64) | (w1 & M64));
    let (int, frac, negative) = if k >= 0 {
        let (f, carry) = frac.overflowing_add(ln_m);
        (int + u64::from(carry), f, false)
    } else {
        let (f, borrow) = frac.overflowing_sub(ln_m);
        (int.checked_sub(u64::from(borrow))?, f, true)
    };
    Some((int, frac, negative))
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::super::consts::LN2;
    use super::super::exp::exp_fx;
    use super::super::fx::Fx;
    use super::super::ln::ln_fx;
    use super::*;

    type F5 = Fx<5>;

    /// `int + frac·2^-128` as an `Fx<5>`.
    fn fx_of(int: u64, frac: u128) -> F5 {
        F5 {
            limbs: [0, 0, frac as u64, (frac >> 64) as u64, int],
        }
    }

    /// `|a - b|` in units of `2^-192` (`u/2^64`), saturating.
    fn diff_192(a: &F5, b: &F5) -> u128 {
        let d = a.sub(b).or_else(|| b.sub(a)).unwrap();
        let [_, l1, l2, l3, l4] = d.limbs;
        if l3 != 0 || l4 != 0 {
            u128::MAX
        } else {
            (u128::from(l2) << 64) | u128::from(l1)
        }
    }

    /// A deterministic generator (SplitMix64).
    struct Gen(u64);
    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: u128) -> u128 {
            ((u128::from(self.next()) << 64) | u128::from(self.next())) % n
        }
    }

    /// The generic `e^x` scaled by `2^-k`, for comparison with the fast mantissa.
    fn exp_ref(raw: i128, k: i64) -> F5 {
        let x = F5::from_wad_scaled(raw.unsigned_abs(), 0).unwrap();
        let e = exp_fx(raw < 0, &x, 1).unwrap();
        let shift = i64::from(e.k) - k;
        if shift >= 0 {
            e.m.shl(shift as u32).unwrap()
        } else {
            e.m.shr((-shift) as u32)
        }
    }

    #[test]
    fn exp_error_within_bound() {
        let mut g = Gen(7);
        let mut worst = 0u128;
        let span = (EXP_MAX_RAW - EXP_MIN_RAW) as u128;
        for i in 0..20_000u32 {
            let raw = match i % 4 {
                0 | 1 => EXP_MIN_RAW + g.below(span) as i128,
                2 => g.below(2_000_000_000) as i128 - 1_000_000_000,
                _ => g.below(1 << 70) as i128 * if i % 8 == 3 { 1 } else { -1 } / 1_000,
            };
            let Some((mf, k)) = exp_approx(raw) else {
                assert_eq!(raw, 0);
                continue;
            };
            worst = worst.max(diff_192(&fx_of(1, mf), &exp_ref(raw, k)));
        }
        // The analysis gives 7.7 u; the decision uses 16 u.
        assert!(worst < 8 << 64, "worst exp error {} u/2^64", worst);
        std::println!("worst exp error: {} u/1024", worst >> 54);
    }

    #[test]
    fn ln_error_within_bound() {
        let mut g = Gen(11);
        let mut worst = 0u128;
        for i in 0..20_000u32 {
            let raw = match i % 4 {
                0 | 1 => g.below(1 << 127).max(1) >> g.below(127),
                2 => 1_000_000_000_000_000_000 + g.below(2_000_000) - 1_000_000,
                _ => g.below(1 << 127).max(1),
            }
            .max(1);
            if raw == 1_000_000_000_000_000_000 {
                continue;
            }
            let (int, frac, negative) = ln_approx(raw).unwrap();
            let r = ln_fx::<5>(raw).unwrap();
            assert_eq!(negative, r.negative, "{raw}");
            worst = worst.max(diff_192(&fx_of(int, frac), &r.mag));
        }
        // The analysis gives 17.5 u; the decision uses 32 u.
        assert!(worst < 18 << 64, "worst ln error {} u/2^64", worst);
        std::println!("worst ln error: {} u/1024", worst >> 54);
    }

    #[test]
    fn exp_tables_match_generic_path() {
        let ln2 = F5::from_const(LN2.0, &LN2.1);
        for (table, div) in [(&EXP_T1, 64u64), (&EXP_T2, 4096)] {
            for (j, &t) in table.iter().enumerate() {
                let x = ln2.mul_u64(j as u64).unwrap().div_u64(div).unwrap();
                let e = exp_fx(false, &x, 2).unwrap();
                let reference = e.m.shl(e.k as u32).unwrap();
                // Truncated entry: below the true value by less than 1 u.
                let d = diff_192(&fx_of(1, t), &reference);
                assert!(
                    d < 1 << 64 && fx_of(1, t) <= reference.add_ulps(1 << 8).unwrap(),
                    "{div} {j}"
                );
            }
        }
    }

    #[test]
    fn ln_tables_are_consistent() {
        for (level, shift) in [(&LN_R1, 7u32), (&LN_R2, 14), (&LN_R3, 21)] {
            for (j, &(c, l)) in level.iter().enumerate() {
                // c = ceil(2^63 / (1 + j·2^-shift)).
                let den = (1u128 << shift) + j as u128;
                let num = 1u128 << (63 + shift);
                assert!(
                    u128::from(c) * den >= num && (u128::from(c) - 1) * den < num,
                    "{shift} {j}"
                );
                // e^l · c / 2^63 = 1 within about 1 u (l is truncated).
                let e = exp_fx(false, &fx_of(0, l), 2).unwrap();
                let p = e.m.mul_u64(c).unwrap().shr(63).shl(e.k as u32).unwrap();
                assert!(diff_192(&p, &F5::ONE) < 2 << 64, "{shift} {j}");
            }
        }
    }

    #[test]
    fn decide_separates_or_defers() {
        let w = |hi: u64, lo: u128| Wide { hi, lo };
        // 5.5 · 2^128 ± 0.25 · 2^128 → 5.
        assert_eq!(decide(w(5, 1 << 127), 1 << 126, 128), Some(5));
        // The upper end reaching 6 exactly defers, as does crossing it.
        assert_eq!(decide(w(5, 1 << 127), 1 << 127, 128), None);
        assert_eq!(decide(w(5, 3 << 126), 1 << 127, 128), None);
        // Near zero the lower end is clamped.
        assert_eq!(decide(w(0, 5), 10, 128), Some(0));
        assert_eq!(decide(w(0, 5), 10, 200), None);
        assert_eq!(decide(w(3, 0), 0, 64), None);
        assert_eq!(decide(w(3, 1), 0, 64), Some(3 << 64));
    }
}
