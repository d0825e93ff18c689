//! The Black-Scholes-Merton quantities at one working width, as balls, and the rounding of a
//! ball to the grid.
//!
//! Every input is a `Wad`, read exactly into a ball (2 ulps). Then, in ball arithmetic
//! ([`Ball`]), so that each result is an interval certain to contain the exact value:
//!
//! - `√t` by Newton's iteration with an a-posteriori bound, `v = σ√t`;
//! - `ln(S/K) = ln S - ln K` (`0` exactly when `S = K`) from the crate's `ln` approximations
//!   and their bounds (the fast table path at 128 bits, the generic series wider);
//! - `d1 = (ln(S/K) + (r - q)·t)/v + v/2`, `d2 = d1 - v`;
//! - `A = S·e^(-qt)`, `B = K·e^(-rt)` from the generic `exp` and its bound;
//! - `Φ(±d1)`, `Φ(±d2)`, `φ(d1)` ([`normal`]).

use super::inputs::{BsInputs, OptionKind};
use crate::num::ball::{Ball, Ball128, BallOps, Normal};
use crate::num::math::fx::{Fx, round_to_grid, round_to_grid_last};
use crate::{Result, Rounding};

/// A ball type the model computes with: the generic [`Ball<N>`] (256 and 512 bits) or, at
/// the first width, the register [`Ball128`]; with the rounding of a result ([`decide`]).
pub(crate) trait ModelBall: BallOps {
    /// Rounds to the grid, or defers (see [`decide`]).
    fn decide(&self, bounds: Bounds, rounding: Rounding, last: bool) -> Option<Result<i128>>;
}

impl<const N: usize> ModelBall for Ball<N> {
    fn decide(&self, bounds: Bounds, rounding: Rounding, last: bool) -> Option<Result<i128>> {
        decide(self, bounds, rounding, last)
    }
}

impl ModelBall for Ball128 {
    /// [`Ball128::round`] when the ball lies inside one cell (almost always), else [`decide`]
    /// on the same ball as a [`Ball<3>`] (its bounds, its overflow).
    fn decide(&self, bounds: Bounds, rounding: Rounding, last: bool) -> Option<Result<i128>> {
        self.round(rounding)
            .or_else(|| decide(&self.to_generic()?, bounds, rounding, last))
    }
}

/// The model's quantities in balls of type `B`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Model<B> {
    /// The inputs' raw values `S`, `σ`, `t`, `r`, `q` (balls made on demand: a ball is 100 to
    /// 170 bytes, and the stack is bounded).
    raw: [i128; 5],
    /// `√t`.
    pub(crate) sqrt_t: B,
    /// `v = σ√t`.
    pub(crate) v: B,
    /// `e^(-qt)`.
    pub(crate) disc_q: B,
    /// `A = S·e^(-qt)`.
    pub(crate) a: B,
    /// `B = K·e^(-rt)`.
    pub(crate) b: B,
    /// `d1`.
    pub(crate) d1: B,
    /// `d2`.
    pub(crate) d2: B,
    /// `Φ(±d1)`, `φ(d1)`.
    pub(crate) n1: Normal<B>,
    /// `Φ(±d2)`, `φ(d2)`.
    pub(crate) n2: Normal<B>,
}

/// The discount factors' balls `A = S·e^(-qt)` and `B = K·e^(-rt)`, and `e^(-qt)`.
pub(crate) fn forwards<B: BallOps>(i: &BsInputs) -> Option<(B, B, B)> {
    let t = B::from_wad(i.t().raw())?;
    let r = B::from_wad(i.rate().raw())?;
    let q = B::from_wad(i.yield_().raw())?;
    let disc_q = q.mul(&t)?.neg().exp()?;
    let disc_r = r.mul(&t)?.neg().exp()?;
    let a = B::from_wad(i.spot().raw())?.mul(&disc_q)?;
    let b = B::from_wad(i.strike().raw())?.mul(&disc_r)?;
    Some((a, b, disc_q))
}

/// The model's inputs and arguments, before the normal distribution (the fields are those of
/// [`Model`]).
#[derive(Clone, Copy, Debug)]
struct Args<B> {
    sqrt_t: B,
    v: B,
    d1: B,
    d2: B,
    a: B,
    b: B,
    disc_q: B,
}

impl<B: BallOps> Args<B> {
    /// `√t`, `v`, `d1`, `d2`, `A`, `B` (out of line: its temporaries leave the stack before
    /// the normal distribution is evaluated).
    #[inline(never)]
    fn new(i: &BsInputs) -> Option<Self> {
        let sigma = B::from_wad(i.vol().raw())?;
        let t = B::from_wad(i.t().raw())?;
        let sqrt_t = t.sqrt()?;
        let v = sigma.mul(&sqrt_t)?;
        // ln(S/K) = 0 exactly at the money (else the two logarithms' radii would remain).
        let ln_sk = if i.spot() == i.strike() {
            B::ZERO
        } else {
            B::ln_wad(i.spot().raw())?.sub(&B::ln_wad(i.strike().raw())?)?
        };
        // r - q is exact in raw units (|r|, |q| <= 1).
        let rq = B::from_wad(i.rate().raw().checked_sub(i.yield_().raw())?)?;
        let num = ln_sk.add(&rq.mul(&t)?)?;
        let half_v = v.scale2(-1)?;
        let ratio = num.div(&v)?;
        let d1 = ratio.add(&half_v)?;
        let d2 = ratio.sub(&half_v)?;
        let (a, b, disc_q) = forwards::<B>(i)?;
        Some(Self {
            sqrt_t,
            v,
            d1,
            d2,
            a,
            b,
            disc_q,
        })
    }
}

impl<B: BallOps> Model<B> {
    /// The quantities for `i`; `None` when a ball's radius or exponent grows out of range
    /// (the caller recomputes with more bits, or reports an overflow at the last width).
    #[inline(never)]
    pub(crate) fn new(i: &BsInputs) -> Option<Self> {
        let x = Args::<B>::new(i)?;
        let n1 = x.d1.normal()?;
        let n2 = x.d2.normal()?;
        Some(Self {
            raw: [
                i.spot().raw(),
                i.vol().raw(),
                i.t().raw(),
                i.rate().raw(),
                i.yield_().raw(),
            ],
            sqrt_t: x.sqrt_t,
            v: x.v,
            disc_q: x.disc_q,
            a: x.a,
            b: x.b,
            d1: x.d1,
            d2: x.d2,
            n1,
            n2,
        })
    }

    /// The input `k` (0: `S`, 1: `σ`, 2: `t`, 3: `r`, 4: `q`) as a ball.
    fn input(&self, k: usize) -> Option<B> {
        B::from_wad(*self.raw.get(k)?)
    }

    /// The price ball for `i` (out of line: the [`Model`] lives in this frame only).
    #[inline(never)]
    pub(crate) fn price_of(i: &BsInputs, kind: OptionKind) -> Option<B> {
        Self::new(i)?.price(kind)
    }

    /// The price: `C = A·Φ(d1) - B·Φ(d2)`, `P = B·Φ(-d2) - A·Φ(-d1)`.
    pub(crate) fn price(&self, kind: OptionKind) -> Option<B> {
        match kind {
            OptionKind::Call => self.a.mul(&self.n1.cdf)?.sub(&self.b.mul(&self.n2.cdf)?),
            OptionKind::Put => self.b.mul(&self.n2.cdf_neg)?.sub(&self.a.mul(&self.n1.cdf_neg)?),
        }
    }

    /// Delta: `e^(-qt)·Φ(d1)` (call), `-e^(-qt)·Φ(-d1)` (put).
    pub(crate) fn delta(&self, kind: OptionKind) -> Option<B> {
        match kind {
            OptionKind::Call => self.disc_q.mul(&self.n1.cdf),
            OptionKind::Put => Some(self.disc_q.mul(&self.n1.cdf_neg)?.neg()),
        }
    }

    /// Gamma: `e^(-qt)·φ(d1)/(S·σ·√t)`.
    pub(crate) fn gamma(&self) -> Option<B> {
        self.disc_q.mul(&self.n1.pdf)?.div(&self.input(0)?.mul(&self.v)?)
    }

    /// Vega (per unit of volatility): `S·e^(-qt)·φ(d1)·√t`.
    pub(crate) fn vega(&self) -> Option<B> {
        self.a.mul(&self.n1.pdf)?.mul(&self.sqrt_t)
    }

    /// Theta (per year, the change of value as time passes, `-∂V/∂t`):
    /// `-A·φ(d1)·σ/(2√t) - r·B·Φ(d2) + q·A·Φ(d1)` (call),
    /// `-A·φ(d1)·σ/(2√t) + r·B·Φ(-d2) - q·A·Φ(-d1)` (put).
    pub(crate) fn theta(&self, kind: OptionKind) -> Option<B> {
        let decay = self
            .a
            .mul(&self.n1.pdf)?
            .mul(&self.input(1)?)?
            .div(&self.sqrt_t)?
            .scale2(-1)?
            .neg();
        let (rate_part, yield_part) = match kind {
            OptionKind::Call => (
                self.input(3)?.mul(&self.b)?.mul(&self.n2.cdf)?.neg(),
                self.input(4)?.mul(&self.a)?.mul(&self.n1.cdf)?,
            ),
            OptionKind::Put => (
                self.input(3)?.mul(&self.b)?.mul(&self.n2.cdf_neg)?,
                self.input(4)?.mul(&self.a)?.mul(&self.n1.cdf_neg)?.neg(),
            ),
        };
        decay.add(&rate_part)?.add(&yield_part)
    }

    /// The sign of theta (`true` when negative) when both `d1` and `d2` lie on the tail side
    /// (`d2 < d1 < 0` for a call, `0 < d2 < d1` for a put) and it can be proven; `None`
    /// otherwise.
    ///
    /// There, with `A·φ(d1) = B·φ(d2)` and Mills' ratio `R(a) = Φ(-a)/φ(a)`,
    /// `θ = A·φ(d1)·G` where `G = -σ/(2√t) - r·R(|d2|) + q·R(|d1|)` (call) or
    /// `G = -σ/(2√t) + r·R(d2) - q·R(d1)` (put), and `a/(a² + 1) < R(a) < 1/a` (Gordon's
    /// inequality). A ball for `G` from those bounds that excludes zero gives the sign even
    /// when `θ` itself is far below the grid (`φ(d1)` is then below `e^(-2^29)`).
    pub(crate) fn theta_sign(&self, kind: OptionKind) -> Option<bool> {
        let tail = match kind {
            OptionKind::Call => self.d1.is_neg() && self.d1.lower_exp2().is_some(),
            OptionKind::Put => !self.d2.is_neg() && self.d2.lower_exp2().is_some(),
        };
        if !tail {
            return None;
        }
        let r1 = mills_bounds(&self.d1.abs())?;
        let r2 = mills_bounds(&self.d2.abs())?;
        let decay = self.input(1)?.div(&self.sqrt_t)?.scale2(-1)?.neg();
        let (rate, yield_) = match kind {
            OptionKind::Call => (self.input(3)?.mul(&r2)?.neg(), self.input(4)?.mul(&r1)?),
            OptionKind::Put => (self.input(3)?.mul(&r2)?, self.input(4)?.mul(&r1)?.neg()),
        };
        let g = decay.add(&rate)?.add(&yield_)?;
        g.lower_exp2().map(|_| g.is_neg())
    }

    /// Rho (per unit of rate): `t·B·Φ(d2)` (call), `-t·B·Φ(-d2)` (put).
    pub(crate) fn rho(&self, kind: OptionKind) -> Option<B> {
        match kind {
            OptionKind::Call => self.input(2)?.mul(&self.b)?.mul(&self.n2.cdf),
            OptionKind::Put => Some(self.input(2)?.mul(&self.b)?.mul(&self.n2.cdf_neg)?.neg()),
        }
    }
}

/// A ball containing Mills' ratio `R(a) = Φ(-a)/φ(a)` for a ball `a > 0`, from
/// `a/(a² + 1) < R(a) < 1/a`: their midpoint, widened by half their distance.
fn mills_bounds<B: BallOps>(a: &B) -> Option<B> {
    let hi = B::ONE.div(a)?;
    let lo = a.div(&a.square()?.add(&B::ONE)?)?;
    let half = hi.sub(&lo)?.scale2(-1)?;
    hi.add(&lo)?.scale2(-1)?.widen(half.upper_exp2())
}

/// Strict bounds on the grid known before a value is computed: `lo < x < hi` (raw units).
///
/// They decide the values that lie extremely close to a grid point that the model itself
/// names: a deep in-the-money price just above its intrinsic value `K - S` (when `r = q = 0`),
/// a delta just below `1`, a tiny positive price or gamma just above `0`. There no ball is
/// narrow enough (the distance can be `e^(-1000)` or less), but the bound says on which side
/// of the grid point the value lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct Bounds {
    /// A grid point strictly below the value.
    pub(crate) lo: Option<i128>,
    /// A grid point strictly above the value.
    pub(crate) hi: Option<i128>,
}

impl Bounds {
    /// No bound.
    pub(crate) const NONE: Self = Self { lo: None, hi: None };
    /// `x > 0`.
    pub(crate) const POSITIVE: Self = Self { lo: Some(0), hi: None };
    /// `x < 0`.
    pub(crate) const NEGATIVE: Self = Self { lo: None, hi: Some(0) };

    /// Puts a result of the last width inside the bounds: a floor in `[lo, hi - 1]`, a
    /// ceiling in `[lo + 1, hi]`.
    fn clamp(&self, v: i128, rounding: Rounding) -> i128 {
        let (lo, hi) = match rounding {
            Rounding::Floor => (self.lo, self.hi.map(|h| h.saturating_sub(1))),
            Rounding::Ceil => (self.lo.map(|l| l.saturating_add(1)), self.hi),
        };
        let v = lo.map_or(v, |l| v.max(l));
        hi.map_or(v, |h| v.min(h))
    }
}

/// The two ends of a ball as signed `(magnitude, negative)` pairs: `(lower, upper)`.
fn ends<const N: usize>(b: &Ball<N>) -> Option<((Fx<N>, bool), (Fx<N>, bool))> {
    let far = b.m.add_ulps(b.r)?; // |centre| + r, on the centre's side
    let near = if b.m >= Fx::<N>::ZERO.add_ulps(b.r)? {
        (b.m.sub_ulps_sat(b.r), b.neg)
    } else {
        (Fx::<N>::ZERO.add_ulps(b.r)?.sub(&b.m)?, !b.neg)
    };
    Some(if b.neg {
        ((far, true), near)
    } else {
        (near, (far, false))
    })
}

/// Rounds a ball to the grid in direction `rounding`, or defers (`None`) when the ball
/// contains a grid point; at the last width, rounds its centre as if it were exact
/// ([`round_to_grid_last`]), clamped into the bounds.
///
/// A ball that contains a grid point still decides when a bound settles it: when its upper
/// end is below `lo + 1e-18` the value lies in `(lo, lo + 1e-18)`; when its lower end is
/// above `hi - 1e-18`, in `(hi - 1e-18, hi)`.
pub(crate) fn decide<const N: usize>(
    b: &Ball<N>,
    bounds: Bounds,
    rounding: Rounding,
    last: bool,
) -> Option<Result<i128>> {
    let signed = !b.m.sub_ulps_sat(b.r).is_zero();
    if signed && let Some(done) = round_to_grid(&b.m, b.r, b.e, b.neg, rounding) {
        return Some(done);
    }
    let cell = |q: i128| match rounding {
        Rounding::Floor => q,
        Rounding::Ceil => q.saturating_add(1),
    };
    if let Some(((lo_m, lo_neg), (hi_m, hi_neg))) = ends(b) {
        if let Some(lo) = bounds.lo
            && round_to_grid_last(&hi_m, b.e, hi_neg, Rounding::Floor).is_ok_and(|f| f <= lo)
        {
            return Some(Ok(cell(lo)));
        }
        if let Some(hi) = bounds.hi
            && round_to_grid_last(&lo_m, b.e, lo_neg, Rounding::Ceil).is_ok_and(|c| c >= hi)
        {
            return Some(Ok(cell(hi.saturating_sub(1))));
        }
    }
    last.then(|| round_to_grid_last(&b.m, b.e, b.neg, rounding).map(|v| bounds.clamp(v, rounding)))
}
