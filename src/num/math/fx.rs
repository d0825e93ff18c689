//! `Fx<N>`: the wide internal binary fixed-point format of the transcendental functions.
//!
//! An `Fx<N>` is an unsigned binary fixed-point number of `N` little-endian 64-bit limbs: the
//! top limb is the integer part and the other `N - 1` limbs are the fraction, so the value is
//! `limbs / 2^F` with `F = 64·(N - 1)` fractional bits. The functions use `N = 3, 5, 9, 17`
//! (128, 256, 512 and 1024 fractional bits): a result is first computed at the smallest
//! width, and recomputed at the next one only when it lies too close to a point of the 1e-18
//! grid to be rounded with certainty (Ziv's strategy; see [`round_to_grid`]).
//!
//! Every operation truncates (rounds toward zero) and the doc comment of each says its error
//! in units of the last place (ulp, `2^-F`). Operations that could overflow the integer limb
//! return `None`; the callers bound their arguments so that they never do, and turn a `None`
//! into [`Error::Overflow`](crate::Error::Overflow) rather than panicking.
//!
//! Limb arithmetic is done in `u128`, where the sum of a limb product and two limbs is at most
//! `(2^64-1)^2 + 2·(2^64-1) = 2^128 - 1`: it cannot overflow.
#![allow(clippy::arithmetic_side_effects)] // bounded limb arithmetic, see the module docs

use core::cmp::Ordering;

use crate::Result;
use crate::Rounding;
use crate::num::TEN18;
use crate::num::wad::signed_rounded;

/// The widest format used, in limbs (1024 fractional bits).
pub(crate) const MAX_LIMBS: usize = 17;
/// Scratch space for a product of two of the widest numbers, plus one limb.
const SCRATCH: usize = 2 * MAX_LIMBS + 2;

/// An unsigned binary fixed-point number with one integer limb and `N - 1` fractional limbs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fx<const N: usize> {
    /// Little-endian limbs; `limbs[N - 1]` is the integer part.
    pub(crate) limbs: [u64; N],
}

impl<const N: usize> Fx<N> {
    /// The number of fractional bits.
    pub(crate) const FRAC_BITS: u32 = 64 * (N as u32 - 1);
    /// Zero.
    pub(crate) const ZERO: Self = Self { limbs: [0; N] };
    /// One.
    pub(crate) const ONE: Self = Self::from_int(1);

    /// The integer `n` (exact).
    pub(crate) const fn from_int(n: u64) -> Self {
        let mut limbs = [0; N];
        if let Some(top) = limbs.last_mut() {
            *top = n;
        }
        Self { limbs }
    }

    /// A constant given by its integer part and its fractional limbs, most significant first,
    /// truncated to `N - 1` fractional limbs (error below 1 ulp).
    pub(crate) fn from_const(int: u64, frac_be: &[u64; MAX_LIMBS]) -> Self {
        let mut out = Self::from_int(int);
        // limbs[N-2] is the first fractional limb, limbs[0] the last one kept.
        for (slot, &l) in out.limbs.iter_mut().rev().skip(1).zip(frac_be.iter()) {
            *slot = l;
        }
        out
    }

    /// The integer part.
    pub(crate) fn int_part(&self) -> u64 {
        self.limbs.last().copied().unwrap_or(0)
    }

    /// `true` when zero.
    pub(crate) fn is_zero(&self) -> bool {
        self.limbs.iter().all(|&l| l == 0)
    }

    /// `self + rhs` (exact), `None` on overflow of the integer limb.
    pub(crate) fn add(&self, rhs: &Self) -> Option<Self> {
        let mut out = Self::ZERO;
        let mut carry = false;
        for ((o, &a), &b) in out.limbs.iter_mut().zip(self.limbs.iter()).zip(rhs.limbs.iter()) {
            let (s1, c1) = a.overflowing_add(b);
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            *o = s2;
            carry = c1 || c2;
        }
        (!carry).then_some(out)
    }

    /// `self - rhs` (exact), `None` when `rhs > self`.
    pub(crate) fn sub(&self, rhs: &Self) -> Option<Self> {
        let mut out = Self::ZERO;
        let mut borrow = false;
        for ((o, &a), &b) in out.limbs.iter_mut().zip(self.limbs.iter()).zip(rhs.limbs.iter()) {
            let (d1, b1) = a.overflowing_sub(b);
            let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
            *o = d2;
            borrow = b1 || b2;
        }
        (!borrow).then_some(out)
    }

    /// `k` ulps, `None` when `k` does not fit.
    fn from_ulps(k: u128) -> Option<Self> {
        let mut e = Self::ZERO;
        let mut it = e.limbs.iter_mut();
        if let Some(l) = it.next() {
            *l = k as u64;
        }
        match it.next() {
            Some(l) => *l = (k >> 64) as u64,
            None if k >> 64 != 0 => return None,
            None => {}
        }
        Some(e)
    }

    /// Adds `k` ulps (exact), `None` on overflow.
    pub(crate) fn add_ulps(&self, k: u128) -> Option<Self> {
        self.add(&Self::from_ulps(k)?)
    }

    /// Subtracts `k` ulps, saturating at zero.
    pub(crate) fn sub_ulps_sat(&self, k: u128) -> Self {
        Self::from_ulps(k).and_then(|e| self.sub(&e)).unwrap_or(Self::ZERO)
    }

    /// `self · k` for an integer `k` (exact), `None` on overflow.
    pub(crate) fn mul_u64(&self, k: u64) -> Option<Self> {
        let mut out = Self::ZERO;
        let mut carry: u128 = 0;
        for (o, &a) in out.limbs.iter_mut().zip(self.limbs.iter()) {
            let t = u128::from(a) * u128::from(k) + carry;
            *o = t as u64;
            carry = t >> 64;
        }
        (carry == 0).then_some(out)
    }

    /// `self / k` for an integer `k`, truncated (error below 1 ulp); `None` when `k == 0`.
    pub(crate) fn div_u64(&self, k: u64) -> Option<Self> {
        if k == 0 {
            return None;
        }
        let mut out = Self::ZERO;
        let mut rem: u128 = 0;
        for (o, &a) in out.limbs.iter_mut().zip(self.limbs.iter()).rev() {
            let cur = (rem << 64) | u128::from(a);
            *o = (cur / u128::from(k)) as u64;
            rem = cur % u128::from(k);
        }
        Some(out)
    }

    /// `self · rhs` for three limbs, exact up to the final truncation: the same value as the
    /// generic schoolbook product of [`Fx::mul`] (the full 384-bit product, its limbs 2 to 4
    /// kept, `None` when limb 5 is not zero), with each column summed in registers.
    fn mul3(a: [u64; 3], b: [u64; 3]) -> Option<[u64; 3]> {
        let m = |x: u64, y: u64| u128::from(x) * u128::from(y);
        let [a0, a1, a2] = a;
        let [b0, b1, b2] = b;
        // Row by row, as the generic loop: each step a product plus two limbs, below 2^128.
        // Limb 0 of the product only carries into limb 1.
        let c = m(a0, b0) >> 64;
        let t = m(a0, b1) + c;
        let (p1, c) = (t as u64, t >> 64);
        let t = m(a0, b2) + c;
        let (p2, p3) = (t as u64, (t >> 64) as u64);
        let t = m(a1, b0) + u128::from(p1);
        let c = t >> 64;
        let t = m(a1, b1) + u128::from(p2) + c;
        let (p2, c) = (t as u64, t >> 64);
        let t = m(a1, b2) + u128::from(p3) + c;
        let (p3, p4) = (t as u64, (t >> 64) as u64);
        let t = m(a2, b0) + u128::from(p2);
        let (p2, c) = (t as u64, t >> 64);
        let t = m(a2, b1) + u128::from(p3) + c;
        let (p3, c) = (t as u64, t >> 64);
        let t = m(a2, b2) + u128::from(p4) + c;
        let (p4, p5) = (t as u64, (t >> 64) as u64);
        (p5 == 0).then_some([p2, p3, p4])
    }

    /// `self · rhs`, truncated (error below 1 ulp); `None` on overflow of the integer limb.
    pub(crate) fn mul(&self, rhs: &Self) -> Option<Self> {
        if N == 3 {
            let l = |x: &Self| -> Option<[u64; 3]> { Some([*x.limbs.first()?, *x.limbs.get(1)?, *x.limbs.get(2)?]) };
            let p = Self::mul3(l(self)?, l(rhs)?)?;
            let mut out = Self::ZERO;
            for (o, v) in out.limbs.iter_mut().zip(p) {
                *o = v;
            }
            return Some(out);
        }
        let mut prod = [0u64; SCRATCH];
        for (i, &a) in self.limbs.iter().enumerate() {
            if a == 0 {
                continue;
            }
            let mut carry: u128 = 0;
            let row = prod.get_mut(i..)?;
            for (p, &b) in row.iter_mut().zip(rhs.limbs.iter()) {
                let t = u128::from(a) * u128::from(b) + u128::from(*p) + carry;
                *p = t as u64;
                carry = t >> 64;
            }
            if let Some(p) = row.get_mut(N) {
                *p = carry as u64;
            }
        }
        // The product has 2(N-1) fractional limbs; keep the top N-1 of them.
        if prod.get(2 * N - 1..)?.iter().any(|&l| l != 0) {
            return None;
        }
        let mut out = Self::ZERO;
        out.limbs.copy_from_slice(prod.get(N - 1..2 * N - 1)?);
        Some(out)
    }

    /// `self²`, truncated (error below 1 ulp).
    pub(crate) fn square(&self) -> Option<Self> {
        self.mul(self)
    }

    /// `self / rhs`, truncated (error below 1 ulp); `None` when `rhs` is zero or the quotient
    /// overflows. Knuth's algorithm D on 64-bit digits.
    pub(crate) fn div(&self, rhs: &Self) -> Option<Self> {
        // Numerator: self · 2^F, i.e. the limbs moved up by N-1 places: 2N-1 limbs.
        let mut u = [0u64; SCRATCH];
        u.get_mut(N - 1..2 * N - 1)?.copy_from_slice(&self.limbs);
        let m_len = 2 * N - 1;
        let n_len = rhs.limbs.iter().rposition(|&l| l != 0)? + 1;
        let v = rhs.limbs.get(..n_len)?;
        let mut q = [0u64; SCRATCH];
        if n_len == 1 {
            // Non-zero (the last non-zero limb); `NonZeroU128` makes the divisions
            // infallible, so no division-by-zero panic path is compiled in at any opt-level.
            let d = core::num::NonZeroU128::new(u128::from(*v.first()?))?;
            let mut rem: u128 = 0;
            for (qi, &ui) in q.iter_mut().zip(u.iter()).take(m_len).rev() {
                let cur = (rem << 64) | u128::from(ui);
                *qi = (cur / d) as u64;
                rem = cur % d;
            }
        } else {
            knuth_d(&mut u, m_len, v, &mut q)?;
        }
        if q.get(N..)?.iter().any(|&l| l != 0) {
            return None;
        }
        let mut out = Self::ZERO;
        out.limbs.copy_from_slice(q.get(..N)?);
        Some(out)
    }

    /// Three limbs as `(integer part, fraction·2^128)`; `None` unless `N = 3`.
    #[inline]
    fn split3(&self) -> Option<(u64, u128)> {
        if N != 3 {
            return None;
        }
        let lo = u128::from(*self.limbs.first()?);
        let hi = u128::from(*self.limbs.get(1)?);
        Some((*self.limbs.get(2)?, (hi << 64) | lo))
    }

    /// The inverse of [`Fx::split3`] (for `N = 3`).
    #[inline]
    fn join3(int: u64, frac: u128) -> Self {
        let mut out = Self::ZERO;
        for (o, v) in out.limbs.iter_mut().zip([frac as u64, (frac >> 64) as u64, int]) {
            *o = v;
        }
        out
    }

    /// `self · 2^-s`, truncated (error below 1 ulp).
    pub(crate) fn shr(&self, s: u32) -> Self {
        if let Some((int, frac)) = self.split3() {
            // The 192-bit value int·2^128 + frac shifted right by s, in two registers: the
            // same bits as the generic limb loop.
            let (int2, frac2) = if s == 0 {
                (int, frac)
            } else if s < 128 {
                let from_int = u128::from(int).checked_shl(128 - s).unwrap_or(0);
                (int.checked_shr(s).unwrap_or(0), (frac >> s) | from_int)
            } else {
                (0, u128::from(int.checked_shr(s - 128).unwrap_or(0)))
            };
            return Self::join3(int2, frac2);
        }
        self.shr_generic(s)
    }

    /// [`Fx::shr`] by limbs, for every `N`.
    fn shr_generic(&self, s: u32) -> Self {
        let mut out = Self::ZERO;
        let (ls, bs) = ((s / 64) as usize, s % 64);
        for (i, o) in out.limbs.iter_mut().enumerate() {
            let lo = self.limbs.get(i + ls).copied().unwrap_or(0);
            let hi = self.limbs.get(i + ls + 1).copied().unwrap_or(0);
            *o = if bs == 0 { lo } else { (lo >> bs) | (hi << (64 - bs)) };
        }
        out
    }

    /// `self · 2^s` (exact), `None` on overflow.
    pub(crate) fn shl(&self, s: u32) -> Option<Self> {
        if s == 0 {
            return Some(*self);
        }
        if s >= 64 * N as u32 {
            return self.is_zero().then_some(Self::ZERO);
        }
        let (ls, bs) = ((s / 64) as usize, s % 64);
        // The bits shifted out of the top must be zero.
        if self.bit_length() + s > 64 * N as u32 {
            return None;
        }
        if let Some((int, frac)) = self.split3() {
            // 0 < s < 192 and the result fits 192 bits: the same bits as the limb loop.
            let (int2, frac2) = if s < 128 {
                // s > 0. The bit-length check keeps every shifted bit: int << s loses none
                // (int is 0 when s >= 64) and frac >> (128 - s) has at most 64 bits.
                let up = (frac >> (128 - s)) as u64;
                (int.checked_shl(s).unwrap_or(0) | up, frac << s)
            } else {
                // s >= 128: int is 0 and frac·2^(s - 128) is below 2^64.
                ((frac << (s - 128)) as u64, 0)
            };
            return Some(Self::join3(int2, frac2));
        }
        let mut out = Self::ZERO;
        for (i, o) in out.limbs.iter_mut().enumerate() {
            let Some(src) = i.checked_sub(ls) else { continue };
            let lo = self.limbs.get(src).copied().unwrap_or(0);
            let below = src.checked_sub(1).and_then(|j| self.limbs.get(j)).copied().unwrap_or(0);
            *o = if bs == 0 { lo } else { (lo << bs) | (below >> (64 - bs)) };
        }
        Some(out)
    }

    /// The number of significant bits of the raw limbs (0 for zero).
    pub(crate) fn bit_length(&self) -> u32 {
        match self.limbs.iter().rposition(|&l| l != 0) {
            Some(i) => 64 * i as u32 + (64 - self.limbs.get(i).copied().unwrap_or(0).leading_zeros()),
            None => 0,
        }
    }

    /// `mag · 2^shift / 10^18` for a magnitude of raw `Wad` units, truncated (error below
    /// 1 ulp); `None` when it is `2^64` or more. With `shift = 0` this is the `Wad`'s value.
    pub(crate) fn from_wad_scaled(mag: u128, shift: i32) -> Option<Self> {
        // Big integer mag · 2^(F + shift), then one long division by 10^18.
        let total = i64::from(Self::FRAC_BITS) + i64::from(shift);
        let mut big = [0u64; MAX_LIMBS + 4];
        let (lo, hi) = (mag as u64, (mag >> 64) as u64);
        if total >= 0 {
            let t = u32::try_from(total).ok()?;
            let (ls, bs) = ((t / 64) as usize, t % 64);
            let parts = [lo, hi];
            for (k, &p) in parts.iter().enumerate() {
                let idx = ls + k;
                let cur = big.get_mut(idx)?;
                *cur |= p << bs;
                if bs != 0 {
                    let next = big.get_mut(idx + 1)?;
                    *next |= p >> (64 - bs);
                }
            }
        } else {
            let t = u32::try_from(-total).ok()?;
            let v = if t >= 128 { 0 } else { mag >> t };
            *big.get_mut(0)? = v as u64;
            *big.get_mut(1)? = (v >> 64) as u64;
        }
        // Long division by 10^18, from the highest non-zero limb down (the zero limbs above
        // it give zero digits and leave the remainder zero: the same quotient as dividing all
        // of them). Each step divides a u128 below 10^18·2^64 by 10^18.
        let top = big.iter().rposition(|&l| l != 0).map_or(0, |i| i + 1);
        let mut rem: u128 = 0;
        for l in big.get_mut(..top)?.iter_mut().rev() {
            let cur = (rem << 64) | u128::from(*l);
            *l = (cur / u128::from(TEN18)) as u64;
            rem = cur % u128::from(TEN18);
        }
        if big.get(N..)?.iter().any(|&l| l != 0) {
            return None;
        }
        let mut out = Self::ZERO;
        out.limbs.copy_from_slice(big.get(..N)?);
        Some(out)
    }
}

impl<const N: usize> PartialOrd for Fx<N> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<const N: usize> Ord for Fx<N> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.limbs.iter().rev().cmp(other.limbs.iter().rev())
    }
}

/// Knuth's algorithm D: `q = u / v` for `u` of `m_len` limbs and `v` of at least two limbs
/// with a non-zero top limb. `u` is used as scratch (it needs one spare limb at `m_len`).
fn knuth_d(u: &mut [u64; SCRATCH], m_len: usize, v: &[u64], q: &mut [u64; SCRATCH]) -> Option<()> {
    let n = v.len();
    if m_len < n {
        return Some(());
    }
    let s = v.last()?.leading_zeros();
    // Normalised divisor.
    let mut vn = [0u64; MAX_LIMBS];
    for i in (0..n).rev() {
        let hi = v.get(i).copied()?;
        let lo = if i > 0 { v.get(i - 1).copied()? } else { 0 };
        *vn.get_mut(i)? = if s == 0 { hi } else { (hi << s) | (lo >> (64 - s)) };
    }
    // Normalised dividend, one limb longer.
    let mut un = [0u64; SCRATCH];
    *un.get_mut(m_len)? = if s == 0 {
        0
    } else {
        u.get(m_len - 1).copied()? >> (64 - s)
    };
    for i in (0..m_len).rev() {
        let hi = u.get(i).copied()?;
        let lo = if i > 0 { u.get(i - 1).copied()? } else { 0 };
        *un.get_mut(i)? = if s == 0 { hi } else { (hi << s) | (lo >> (64 - s)) };
    }
    let b: u128 = 1 << 64;
    // Non-zero (the top limb of `v` is, and normalising keeps it so); `NonZeroU128` makes the
    // divisions below infallible, so no division-by-zero panic path is compiled in.
    let vtop = core::num::NonZeroU128::new(u128::from(*vn.get(n - 1)?))?;
    let vnext = u128::from(*vn.get(n - 2)?);
    for j in (0..=m_len - n).rev() {
        let num = (u128::from(*un.get(j + n)?) << 64) | u128::from(*un.get(j + n - 1)?);
        let mut qhat = num / vtop;
        let mut rhat = num % vtop;
        while qhat >= b || qhat * vnext > ((rhat << 64) | u128::from(*un.get(j + n - 2)?)) {
            qhat -= 1;
            rhat += vtop.get();
            if rhat >= b {
                break;
            }
        }
        // Multiply and subtract.
        let mut borrow: i128 = 0;
        let mut carry: u128 = 0;
        for i in 0..n {
            let p = qhat * u128::from(*vn.get(i)?) + carry;
            carry = p >> 64;
            let t = i128::from(*un.get(i + j)?) - borrow - i128::from(p as u64);
            *un.get_mut(i + j)? = t as u64;
            borrow = -(t >> 64);
        }
        let t = i128::from(*un.get(j + n)?) - borrow - carry as i128;
        *un.get_mut(j + n)? = t as u64;
        if t < 0 {
            // Add back: qhat was one too large.
            qhat -= 1;
            let mut c: u128 = 0;
            for i in 0..n {
                let t2 = u128::from(*un.get(i + j)?) + u128::from(*vn.get(i)?) + c;
                *un.get_mut(i + j)? = t2 as u64;
                c = t2 >> 64;
            }
            let top = un.get_mut(j + n)?;
            *top = top.wrapping_add(c as u64);
        }
        *q.get_mut(j)? = qhat as u64;
    }
    Some(())
}

/// Rounds an approximation to the 1e-18 grid, or says that it cannot yet.
///
/// `approx` approximates a non-negative magnitude `M = approx·2^(exp2)` (as a real number,
/// with `approx` read as `limbs / 2^F`), within `err_ulps` units of its last place, i.e.
/// `|M - approx·2^exp2| <= err_ulps · 2^(exp2 - F)`. The exact value is `±M` (negative when
/// `negative`) and is known **not** to lie on the grid (the callers handle exact cases first).
///
/// Returns `Some(result)` with the raw `Wad` of `±M` rounded in direction `rounding` when the
/// whole error interval lies strictly between the same two grid points, `None` when it
/// straddles one (the caller recomputes with more precision).
pub(crate) fn round_to_grid<const N: usize>(
    approx: &Fx<N>,
    err_ulps: u128,
    exp2: i32,
    negative: bool,
    rounding: Rounding,
) -> Option<Result<i128>> {
    let lo = approx.sub_ulps_sat(err_ulps);
    let hi = approx.add_ulps(err_ulps)?;
    match (scaled_floor(&lo, exp2)?, scaled_floor(&hi, exp2)?) {
        // The upper end must not sit exactly on the next grid point either.
        (ScaledFloor::Fits(q_lo, _), ScaledFloor::Fits(q_hi, hi_exact)) if q_lo == q_hi && !hi_exact => {
            Some(signed_rounded(negative, q_lo, true, rounding))
        }
        (ScaledFloor::TooLarge, ScaledFloor::TooLarge) => Some(Err(crate::Error::Overflow)),
        _ => None,
    }
}

/// Rounds an approximation to the grid as if it were exact: the last resort when even the
/// widest format cannot separate the error interval from a grid point (which, for the
/// transcendental values computed here, has probability below `2^-900` per call).
pub(crate) fn round_to_grid_last<const N: usize>(
    approx: &Fx<N>,
    exp2: i32,
    negative: bool,
    rounding: Rounding,
) -> Result<i128> {
    match scaled_floor(approx, exp2) {
        Some(ScaledFloor::Fits(q, exact)) => signed_rounded(negative, q, !exact, rounding),
        Some(ScaledFloor::TooLarge) | None => Err(crate::Error::Overflow),
    }
}

/// The integer part of a scaled approximation.
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum ScaledFloor {
    /// `floor(x·10^18·2^exp2)` and whether `x·10^18·2^exp2` is an integer.
    Fits(u128, bool),
    /// At least `2^128`.
    TooLarge,
}

/// `floor(x · 10^18 · 2^exp2)` for an `Fx`, and whether it is exact; `None` when the binary
/// point would fall to the left of the limbs (no fractional bits left to decide with).
fn scaled_floor<const N: usize>(x: &Fx<N>, exp2: i32) -> Option<ScaledFloor> {
    // B = limbs · 10^18, an integer of N+1 limbs; value = B · 2^(exp2 - F).
    let mut b = [0u64; MAX_LIMBS + 1];
    let mut carry: u128 = 0;
    for (o, &a) in b.iter_mut().zip(x.limbs.iter()) {
        let t = u128::from(a) * u128::from(TEN18) + carry;
        *o = t as u64;
        carry = t >> 64;
    }
    *b.get_mut(N)? = carry as u64;
    let point = i64::from(Fx::<N>::FRAC_BITS) - i64::from(exp2);
    if point <= 0 {
        return None;
    }
    let point = u32::try_from(point).ok()?;
    let total_bits = 64 * (N as u32 + 1);
    if point >= total_bits {
        let exact = b.iter().all(|&l| l == 0);
        return Some(ScaledFloor::Fits(0, exact));
    }
    // Fractional bits: the low `point` bits.
    let (ls, bs) = ((point / 64) as usize, point % 64);
    let mut frac_nonzero = b.iter().take(ls).any(|&l| l != 0);
    if bs != 0 {
        frac_nonzero |= b.get(ls).copied().unwrap_or(0) & ((1u64 << bs) - 1) != 0;
    }
    // Integer part: bits from `point` upward; it must fit in 128 bits.
    let mut q: u128 = 0;
    let bit_len = b.iter().rposition(|&l| l != 0).map_or(0, |i| {
        64 * i as u32 + 64 - b.get(i).copied().unwrap_or(0).leading_zeros()
    });
    if bit_len > point + 128 {
        return Some(ScaledFloor::TooLarge);
    }
    for k in 0..2usize {
        let lo = b.get(ls + k).copied().unwrap_or(0);
        let hi = b.get(ls + k + 1).copied().unwrap_or(0);
        let limb = if bs == 0 { lo } else { (lo >> bs) | (hi << (64 - bs)) };
        q |= u128::from(limb) << (64 * k);
    }
    Some(ScaledFloor::Fits(q, !frac_nonzero))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::math::test_gen::{Draw, SplitMix64};

    type F3 = Fx<3>;

    #[test]
    fn mul_div_round_trip() {
        let a = F3::from_wad_scaled(1_234_567_890_123_456_789_000, 0).unwrap();
        let b = F3::from_wad_scaled(987_654_321_000_000_000, 0).unwrap();
        let p = a.mul(&b).unwrap();
        let back = p.div(&b).unwrap();
        let d = if back > a { back.sub(&a) } else { a.sub(&back) }.unwrap();
        assert!(d.bit_length() <= 3, "{d:?}");
        assert_eq!(F3::from_int(6).div(&F3::from_int(3)), Some(F3::from_int(2)));
        assert_eq!(F3::from_int(1).div(&F3::ZERO), None);
        assert_eq!(F3::from_int(1).shr(1).shl(1), Some(F3::ONE));
        assert_eq!(F3::from_int(u64::MAX).add(&F3::ONE), None);
    }

    #[test]
    fn three_limb_product_is_the_generic_one() {
        // An Fx<3> is an Fx<5> with two more zero limbs below: there the product of two of
        // them is exact (256 fractional bits), and its limbs 2 to 4 are the truncated Fx<3>
        // product.
        let mut g = SplitMix64::new(11);
        for i in 0..crate::num::math::test_gen::iterations(4000) {
            let mut a = F3::ZERO;
            let mut b = F3::ZERO;
            for l in a.limbs.iter_mut().chain(b.limbs.iter_mut()) {
                *l = g.next_u64();
            }
            // Mostly small integer parts (no overflow), sometimes large ones (overflow).
            if i % 8 != 0 {
                a.limbs[2] >>= g.below(64);
                b.limbs[2] >>= 32 + g.below(32);
            }
            let wide = |x: &F3| Fx::<5> {
                limbs: [0, 0, x.limbs[0], x.limbs[1], x.limbs[2]],
            };
            let want = wide(&a).mul(&wide(&b)).map(|p| F3 {
                limbs: [p.limbs[2], p.limbs[3], p.limbs[4]],
            });
            assert_eq!(a.mul(&b), want, "{a:?} {b:?}");
        }
    }

    #[test]
    fn three_limb_shifts_are_the_generic_ones() {
        // Embedded in an Fx<5> (two zero limbs below), a right shift's truncated bits fall
        // into the extra limbs and a left shift overflows exactly when the Fx<3> one does.
        let mut g = SplitMix64::new(12);
        let wide = |x: &F3| Fx::<5> {
            limbs: [0, 0, x.limbs[0], x.limbs[1], x.limbs[2]],
        };
        let narrow = |p: Fx<5>| F3 {
            limbs: [p.limbs[2], p.limbs[3], p.limbs[4]],
        };
        for _ in 0..crate::num::math::test_gen::iterations(4000) {
            let mut a = F3::ZERO;
            for l in a.limbs.iter_mut() {
                *l = g.next_u64();
            }
            let k = g.below(192) as u32;
            a = a.shr_generic(k); // of every bit length
            for s in [0, 1, 63, 64, 65, 127, 128, 129, 191, 192, g.below(200) as u32] {
                assert_eq!(a.shr(s), narrow(wide(&a).shr(s)), "{a:?} >> {s}");
                assert_eq!(a.shr(s), a.shr_generic(s), "{a:?} >> {s}");
                assert_eq!(a.shl(s), wide(&a).shl(s).map(narrow), "{a:?} << {s}");
            }
        }
    }

    #[test]
    fn knuth_division_inverts_multiplication() {
        // For random a and multi-limb b in [1/2, 2^32): (a·b)/b is within 3 ulps of a,
        // and x/x is exactly 1 (both truncations are exact there).
        let mut g = SplitMix64::new(7);
        for _ in 0..crate::num::math::test_gen::iterations(2000) {
            let mut a = Fx::<5>::ZERO;
            let mut b = Fx::<5>::ZERO;
            for l in a.limbs.iter_mut().chain(b.limbs.iter_mut()) {
                *l = g.next_u64();
            }
            a.limbs[4] >>= 40;
            b.limbs[4] >>= 32;
            b.limbs[3] |= 1 << 63;
            let back = a.mul(&b).unwrap().div(&b).unwrap();
            let d = if back > a { back.sub(&a) } else { a.sub(&back) }.unwrap();
            assert!(d.bit_length() <= 2, "{a:?} {b:?}");
            assert_eq!(b.div(&b), Some(Fx::<5>::ONE));
        }
        assert_eq!(Fx::<5>::from_int(7).div(&Fx::<5>::from_int(7)), Some(Fx::<5>::ONE));
        assert_eq!(Fx::<5>::from_int(u64::MAX).div(&Fx::<5>::ONE.shr(1)), None);
    }

    #[test]
    fn grid_rounding_decides_or_defers() {
        // 1/3 within 2 ulps: 333333333333333333.33... is decided either way.
        let third = F3::ONE.div_u64(3).unwrap();
        assert_eq!(
            round_to_grid(&third, 2, 0, false, Rounding::Floor),
            Some(Ok(333_333_333_333_333_333))
        );
        assert_eq!(
            round_to_grid(&third, 2, 0, false, Rounding::Ceil),
            Some(Ok(333_333_333_333_333_334))
        );
        assert_eq!(
            round_to_grid(&third, 2, 0, true, Rounding::Floor),
            Some(Ok(-333_333_333_333_333_334))
        );
        // Scaled by 2^3: 8/3.
        assert_eq!(
            round_to_grid(&third, 2, 3, false, Rounding::Floor),
            Some(Ok(2_666_666_666_666_666_666))
        );
        assert_eq!(round_to_grid(&third, 2, -70, false, Rounding::Floor), Some(Ok(0)));
        assert_eq!(round_to_grid(&third, 2, -70, false, Rounding::Ceil), Some(Ok(1)));
        assert_eq!(
            round_to_grid(&third, 2, 70, false, Rounding::Ceil),
            Some(Err(crate::Error::Overflow))
        );
        assert_eq!(round_to_grid(&third, 2, 66, false, Rounding::Ceil), None);
        assert_eq!(round_to_grid(&third, 0, 200, false, Rounding::Ceil), None);
        // An interval around 1/2 (a grid point) is undecided.
        assert_eq!(round_to_grid(&F3::ONE.shr(1), 1, 0, false, Rounding::Floor), None);
    }
}
