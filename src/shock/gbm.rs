//! Geometric Brownian motion shock paths (the Gaussian baseline), generated from the seeded
//! [`Rng`] into a caller's buffer (then read with [`Path::new_listed`](super::Path::new_listed)).

use crate::rng::Rng;
use crate::{Error, Result, Rounding, Wad};

/// The parameters of a geometric Brownian motion of the price, per block: the log-price
/// moves by `μ − σ²/2 + σ·z_t` each block, `z_t` standard normal, so that the expected price
/// grows by `e^μ` a block and the log-returns have standard deviation `σ` (a volatility per
/// √block). See [`gbm_path`] for every rounding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GbmParams {
    price: Wad,
    drift: Wad,
    volatility: Wad,
}

impl GbmParams {
    /// `Invalid` naming the field: `price` must be positive, `volatility` non-negative (the
    /// drift `μ` may have either sign).
    pub fn new(price: Wad, drift: Wad, volatility: Wad) -> Result<Self> {
        if !price.is_positive() {
            return Err(Error::invalid("price", "must be > 0"));
        }
        if volatility.is_negative() {
            return Err(Error::invalid("volatility", "must be ≥ 0"));
        }
        Ok(Self {
            price,
            drift,
            volatility,
        })
    }

    /// The price at block 0.
    #[must_use]
    pub const fn price(&self) -> Wad {
        self.price
    }

    /// `μ`, the drift of the log-price per block plus `σ²/2`.
    #[must_use]
    pub const fn drift(&self) -> Wad {
        self.drift
    }

    /// `σ`, the volatility per √block.
    #[must_use]
    pub const fn volatility(&self) -> Wad {
        self.volatility
    }
}

/// Fills `out[b]` with the price at block `b`: `out[0] = price`, then for `t = 1, 2, …`, in
/// this order and with these roundings:
///
/// 1. `m = μ − ⌈⌈σ·σ⌉/2⌉` once per call (the Itô correction rounded up: the drift is never
///    overstated);
/// 2. `z_t = rng.normal()` (one draw, but for `open_unit`'s rare redraw);
/// 3. the log-price `L_t = L_(t−1) + m + ⌊σ·z_t⌋` (the sum exact; `L_0 = 0`);
/// 4. the price `⌊price · ⌊e^(L_t)⌋⌋`, raised to `1e-18` if it floors to `0`.
///
/// Errors: [`Error::Overflow`] when a price leaves the `Wad` range. An empty `out` is left
/// as it is.
pub fn gbm_path(params: &GbmParams, rng: &mut Rng, out: &mut [Wad]) -> Result<()> {
    let sigma = params.volatility;
    let half_var = sigma.mul_ceil(sigma)?.div(Wad::from_i64(2), Rounding::Ceil)?;
    let m = params.drift.sub(half_var)?;
    let mut log_price = Wad::ZERO;
    let mut slots = out.iter_mut();
    if let Some(first) = slots.next() {
        *first = params.price;
    }
    for slot in slots {
        let z = rng.normal()?;
        log_price = log_price.add(m)?.add(sigma.mul_floor(z)?)?;
        let price = params.price.mul_floor(log_price.exp(Rounding::Floor)?)?;
        *slot = price.max(Wad::EPSILON);
    }
    Ok(())
}
