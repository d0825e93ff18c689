//! The fast path: Taylor series of `Φ` and `φ` about the table points `x0 = j/16`, in 128-bit
//! fractions ([`S128`]). The error analysis is in the parent module's docs.

use super::q128::{
    RECIP, RECIP_PAIR, RECIP64, RECIP64_PAIR, S128, TAIL_SHIFT, TAIL_SWITCH_BITS, coef64, frac_of_wad, from_tail,
    mul_frac, mul_u64_shr, mul64, to_tail,
};
use super::table::TABLE;

/// The table step, `1/16`, in raw `Wad` units.
pub(super) const STEP: u64 = 62_500_000_000_000_000;
/// Half the table step.
const HALF_STEP: u64 = 31_250_000_000_000_000;
/// The most terms a series may take before giving up (it never needs more than about 30).
const MAX_TERMS: usize = 60;

/// A point `x0 + h` near the table point `x0 = j/16`, with `A = x0·h` and `B = h²`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Shift {
    /// The table index.
    pub(super) j: u64,
    /// `h`.
    pub(super) h: S128,
    /// `A = x0·h`.
    a: S128,
    /// `B = h²`.
    b: S128,
}

impl Shift {
    /// The shift to `x = X / 10^18` from the nearest table point: `j = round(16x)`, so
    /// `|h| <= 1/32`. Requires `X < 9.03125e18` (`j <= 144`). `h` is within 2 ulps, `A`
    /// within 19 and `B` within 2.
    pub(super) fn from_raw(x: u64) -> Option<Self> {
        let j = x.checked_add(HALF_STEP)?.checked_div(STEP)?;
        let base = j.checked_mul(STEP)?;
        let (d, neg) = match x.checked_sub(base) {
            Some(d) => (d, false),
            None => (base.checked_sub(x)?, true),
        };
        Self::new(j, S128::new(frac_of_wad(d)?, neg))
    }

    /// The shift `h` from `x0 = j/16`, computing `A = floor(h·j/16)` (within `j/16` times the
    /// error of `h`, plus 1 ulp) and `B = h²` (within `2|h|` times the error of `h`, plus 1).
    pub(super) fn new(j: u64, h: S128) -> Option<Self> {
        let a = S128::new(mul_u64_shr(h.mag, j, 4)?, h.neg);
        let b = S128::new(mul_frac(h.mag, h.mag), false);
        Some(Self { j, h, a, b })
    }

    /// `(Φ(x0), φ(x0))` from the table.
    pub(super) fn table(&self) -> Option<(u128, u128)> {
        TABLE.get(usize::try_from(self.j).ok()?).copied()
    }
}

/// A series sum: `sum` within the bound of the parent module's docs, after `head` terms in
/// 128-bit fractions and `tail` terms in the 64-bit tail format.
#[derive(Clone, Copy, Debug)]
pub(super) struct Sum {
    /// The sum.
    pub(super) sum: S128,
    /// Terms computed in 128-bit fractions.
    pub(super) head: u64,
    /// Terms computed in the tail format.
    pub(super) tail: u64,
}

impl Sum {
    /// The error bound of the result `v0 ± v0·|Σ|` (`v0 = φ(x0)` from the table), in ulps,
    /// for terms within `per_head` ulps (see the parent module's docs).
    fn err(&self, per_head: u64) -> u128 {
        u128::from(self.head.saturating_mul(per_head))
            .saturating_add(1 << TAU0)
            .saturating_add(8)
            .saturating_add(u128::from(self.tail.saturating_add(1)) << (TAIL_SHIFT + 2))
    }
}

/// Whether both of the last two terms are below `2^(tau - 128)`.
fn small(prev: S128, cur: S128, tau: u32) -> bool {
    prev.bits() <= tau && cur.bits() <= tau
}

/// Whether both of the last two tail mantissas are below `2^(tau - 128)`.
fn small_tail(prev: i64, cur: i64, tau: u32) -> bool {
    let lim = 1u64.checked_shl(tau.saturating_sub(TAIL_SHIFT)).unwrap_or(u64::MAX);
    prev.unsigned_abs() < lim && cur.unsigned_abs() < lim
}

/// `Σ_{k>=1} d_k`, with `Φ(x0 + h) = Φ(x0) + φ(x0) · Σ d_k`.
///
/// `d_1 = h`, `d_(k+2) = -(A·(k+1)·d_(k+1) + B·k·d_k) / ((k+1)(k+2))`: the Taylor terms
/// `Φ^(k)(x0)·h^k / (k!·φ(x0))`, from `φ'' = -x·φ' - φ`. Stops once two consecutive terms
/// are below `2^(tau - 128)` in magnitude.
pub(super) fn cdf_sum(s: &Shift, tau: u32) -> Option<Sum> {
    let mut prev = S128::ZERO; // d_k (d_0 has coefficient 0)
    let mut cur = s.h; // d_(k+1)
    let mut sum = s.h;
    let a64 = coef64(s.a);
    let mut k = 0;
    while k < MAX_TERMS {
        let kk = u64::try_from(k).ok()?;
        let u = s.a.mul(cur).mul_u64(kk.checked_add(1)?)?;
        let v = s.b.mul(prev).mul_u64(kk)?;
        let next = u.add(v)?.neg().div_recip(*RECIP_PAIR.get(k)?);
        sum = sum.add(next)?;
        prev = cur;
        cur = next;
        k = k.checked_add(1)?;
        // The last two terms are d_k and d_(k+1): the last index is at least 2.
        if small(prev, cur, tau) {
            return Some(Sum {
                sum,
                head: kk.checked_add(2)?,
                tail: 0,
            });
        }
        if a64.is_some() && small(prev, cur, TAIL_SWITCH_BITS) {
            break;
        }
    }
    let a64 = a64?;
    let b64 = coef64(s.b)?;
    let head = u64::try_from(k).ok()?.checked_add(1)?;
    let (mut prev, mut cur) = (to_tail(prev)?, to_tail(cur)?);
    let mut tsum: i128 = 0;
    let mut tail: u64 = 0;
    // Here k >= 1: d_(k+2) = -(A·d_(k+1)/(k+2) + B·d_k·k/((k+1)(k+2))).
    while k < MAX_TERMS {
        let t1 = mul64(mul64(a64, cur), *RECIP64.get(k.checked_add(2)?)?);
        let t2 = mul64(mul64(b64, prev), *RECIP64_PAIR.get(k)?);
        let next = t1.checked_add(t2)?.checked_neg()?;
        tsum = tsum.checked_add(i128::from(next))?;
        tail = tail.checked_add(1)?;
        prev = cur;
        cur = next;
        k = k.checked_add(1)?;
        if small_tail(prev, cur, tau) {
            return Some(Sum {
                sum: sum.add(from_tail(tsum)?)?,
                head,
                tail,
            });
        }
    }
    None
}

/// `Σ_{n>=1} f_n`, with `φ(x0 + h) = φ(x0) · (1 + Σ f_n)`.
///
/// `f_0 = 1`, `f_1 = -A`, `f_(n+1) = -(A·f_n + B·f_(n-1)) / (n+1)`: the Taylor terms
/// `φ^(n)(x0)·h^n / (n!·φ(x0))`, from `φ^(n+1) = -x·φ^(n) - n·φ^(n-1)`. Stops once two
/// consecutive terms are below `2^(tau - 128)` in magnitude.
pub(super) fn pdf_sum(s: &Shift, tau: u32) -> Option<Sum> {
    let mut prev = s.a.neg(); // f_1
    // f_2 = -(A·f_1 + B·f_0) / 2
    let mut cur = s.a.mul(prev).add(s.b)?.neg().div_recip(*RECIP.get(2)?);
    let mut sum = prev.add(cur)?;
    let a64 = coef64(s.a);
    // cur = f_n, prev = f_(n-1)
    let mut n = 2;
    loop {
        if small(prev, cur, tau) {
            return Some(Sum {
                sum,
                head: u64::try_from(n).ok()?,
                tail: 0,
            });
        }
        if a64.is_some() && small(prev, cur, TAIL_SWITCH_BITS) {
            break;
        }
        if n >= MAX_TERMS {
            return None;
        }
        let next =
            s.a.mul(cur)
                .add(s.b.mul(prev))?
                .neg()
                .div_recip(*RECIP.get(n.checked_add(1)?)?);
        sum = sum.add(next)?;
        prev = cur;
        cur = next;
        n = n.checked_add(1)?;
    }
    let a64 = a64?;
    let b64 = coef64(s.b)?;
    let head = u64::try_from(n).ok()?;
    let (mut prev, mut cur) = (to_tail(prev)?, to_tail(cur)?);
    let mut tsum: i128 = 0;
    let mut tail: u64 = 0;
    while n < MAX_TERMS {
        let w = mul64(a64, cur).checked_add(mul64(b64, prev))?;
        let next = mul64(w, *RECIP64.get(n.checked_add(1)?)?).checked_neg()?;
        tsum = tsum.checked_add(i128::from(next))?;
        tail = tail.checked_add(1)?;
        prev = cur;
        cur = next;
        n = n.checked_add(1)?;
        if small_tail(prev, cur, tau) {
            return Some(Sum {
                sum: sum.add(from_tail(tsum)?)?,
                head,
                tail,
            });
        }
    }
    None
}

/// The slack of the fast path: the series stop once their tail is worth `2^TAU0` ulps of the
/// result (`2^-78`), so an attempt fails to decide with probability about `2^-17`.
pub(super) const TAU0: u32 = 50;

/// `tau` for a result scaled by `φ(x0)` (the table value `p`): `TAU0` plus the number of
/// leading zero bits of `φ(x0)`, since `φ(x0) < 2^(bits(p) - 128)`.
fn tau_for(p: u128) -> u32 {
    TAU0.saturating_add(p.leading_zeros()).min(127)
}

/// `φ(x)` for `x = X/10^18` in `[0, 9.03125)`, as a fraction `< 1` and its error in ulps.
pub(super) fn pdf_fast(x: u64) -> Option<(u128, u128)> {
    let s = Shift::from_raw(x)?;
    let (_, p) = s.table()?;
    let sum = pdf_sum(&s, tau_for(p))?;
    let delta = mul_frac(p, sum.sum.mag);
    let v = if sum.sum.neg {
        p.checked_sub(delta)?
    } else {
        p.checked_add(delta)?
    };
    Some((v, sum.err(20)))
}
