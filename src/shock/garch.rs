//! GARCH(1,1) shock paths with Student-t innovations and optional jumps, generated from the
//! seeded [`Rng`] into a caller's buffer (then read with [`Path::new_listed`](super::Path::new_listed)).

use crate::rng::{MAX_NU, Rng};
use crate::{Error, Result, Rounding, Wad};

/// The parameters of a GARCH(1,1) log-price path (per block).
///
/// Log-returns `r_t = ε_t + J_t`, `ε_t = σ_t·z_t`, variance `σ²_(t+1) = ω + α·ε_t² + β·σ²_t`
/// from the unconditional `σ²_1 = ω/(1 − α − β)`; `z_t` is a Student-t variate with `ν`
/// degrees of freedom scaled to unit variance ([`GarchParams::new`]) or a standard normal
/// ([`GarchParams::gaussian`]), `J_t` a jump of size `jump_size` (a log-return) with
/// probability `jump_prob` per block. See [`garch_path`] for every rounding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GarchParams {
    price: Wad,
    omega: Wad,
    alpha: Wad,
    beta: Wad,
    /// `0` for Gaussian innovations.
    nu: u32,
    jump_prob: Wad,
    jump_size: Wad,
}

impl GarchParams {
    /// The parameters without jumps. `Invalid` naming the field: `price` and `omega` must be
    /// positive, `alpha` and `beta` non-negative with `alpha + beta < 1` (else `beta`:
    /// stationarity), `nu` in `3..=1000` (a finite variance).
    pub fn new(price: Wad, omega: Wad, alpha: Wad, beta: Wad, nu: u32) -> Result<Self> {
        if !(3..=MAX_NU).contains(&nu) {
            // The other fields first, as before.
            Self::gaussian(price, omega, alpha, beta)?;
            return Err(Error::invalid("nu", "must be in [3, 1000] (a finite variance)"));
        }
        Ok(Self {
            nu,
            ..Self::gaussian(price, omega, alpha, beta)?
        })
    }

    /// The parameters with standard normal innovations (`z_t` = [`Rng::normal`]), without
    /// jumps. `Invalid` naming the field as [`new`](Self::new) (without `nu`).
    pub fn gaussian(price: Wad, omega: Wad, alpha: Wad, beta: Wad) -> Result<Self> {
        let bad = |what, why| Err(Error::invalid(what, why));
        if !price.is_positive() {
            return bad("price", "must be > 0");
        }
        if !omega.is_positive() {
            return bad("omega", "must be > 0");
        }
        if alpha.is_negative() {
            return bad("alpha", "must be ≥ 0");
        }
        if beta.is_negative() {
            return bad("beta", "must be ≥ 0");
        }
        if alpha.add(beta)? >= Wad::ONE {
            return bad("beta", "alpha + beta must be < 1 (a stationary variance)");
        }
        Ok(Self {
            price,
            omega,
            alpha,
            beta,
            nu: 0,
            jump_prob: Wad::ZERO,
            jump_size: Wad::ZERO,
        })
    }

    /// The same parameters with jumps of log-size `size` (for example `-0.2`) with
    /// probability `prob` per block; `Invalid { what: "jump_prob" }` unless `0 <= prob <= 1`.
    pub fn with_jumps(self, prob: Wad, size: Wad) -> Result<Self> {
        if prob.is_negative() || prob > Wad::ONE {
            return Err(Error::invalid("jump_prob", "must be in [0, 1]"));
        }
        Ok(Self {
            jump_prob: prob,
            jump_size: size,
            ..self
        })
    }

    /// The price at block 0.
    #[must_use]
    pub const fn price(&self) -> Wad {
        self.price
    }

    /// `ω`, the constant of the variance.
    #[must_use]
    pub const fn omega(&self) -> Wad {
        self.omega
    }

    /// `α`, the weight of the last squared shock.
    #[must_use]
    pub const fn alpha(&self) -> Wad {
        self.alpha
    }

    /// `β`, the weight of the last variance.
    #[must_use]
    pub const fn beta(&self) -> Wad {
        self.beta
    }

    /// `ν`, the degrees of freedom of Student-t innovations; `None` for Gaussian ones.
    #[must_use]
    pub const fn nu(&self) -> Option<u32> {
        if self.nu == 0 { None } else { Some(self.nu) }
    }

    /// The probability of a jump per block.
    #[must_use]
    pub const fn jump_prob(&self) -> Wad {
        self.jump_prob
    }

    /// The log-size of a jump.
    #[must_use]
    pub const fn jump_size(&self) -> Wad {
        self.jump_size
    }
}

/// Fills `out[b]` with the price at block `b`: `out[0] = price`, then for `t = 1, 2, …`, in
/// this order and with these roundings:
///
/// 1. `z_t = T·c`, `T = rng.student_t(ν)`, `c = √(⌊(ν − 2)/ν⌋)` (quotient and root floored,
///    once per call), the product floored: unit variance up to rounding; with Gaussian
///    innovations `z_t = rng.normal()` (as drawn, no scaling);
/// 2. the jump: `rng.bernoulli(jump_prob)` (always one draw, also without jumps); `J_t =
///    jump_size` when it is true, else `0`;
/// 3. `σ_t = √σ²_t` floored, `ε_t = σ_t·z_t` floored;
/// 4. the log-price `L_t = L_(t−1) + ε_t + J_t` (exact; `L_0 = 0`) and the price `price·e^(L_t)`
///    (`exp` and product floored), raised to `1e-18` if it floors to `0` (prices stay positive);
/// 5. `σ²_(t+1) = ω + α·ε_t² + β·σ²_t`, every product rounded up (the variance is never
///    understated); `σ²_1 = ω/(1 − α − β)` rounded up.
///
/// Errors: [`Error::Overflow`] when a price or the variance leaves the `Wad` range (an
/// explosive path); nothing else for valid parameters. An empty `out` is left as it is.
pub fn garch_path(params: &GarchParams, rng: &mut Rng, out: &mut [Wad]) -> Result<()> {
    let scale = match params.nu() {
        Some(nu) => {
            let nu = i128::from(nu);
            Wad::from_int(nu.saturating_sub(2))?
                .div_floor(Wad::from_int(nu)?)?
                .sqrt(Rounding::Floor)?
        }
        None => Wad::ONE,
    };
    let mut var = params
        .omega
        .div(Wad::ONE.sub(params.alpha)?.sub(params.beta)?, Rounding::Ceil)?;
    let mut log_price = Wad::ZERO;
    let mut slots = out.iter_mut();
    if let Some(first) = slots.next() {
        *first = params.price;
    }
    for slot in slots {
        let z = match params.nu() {
            Some(nu) => rng.student_t(nu)?.mul_floor(scale)?,
            None => rng.normal()?,
        };
        let jump = if rng.bernoulli(params.jump_prob)? {
            params.jump_size
        } else {
            Wad::ZERO
        };
        let eps = var.sqrt(Rounding::Floor)?.mul_floor(z)?;
        log_price = log_price.add(eps)?.add(jump)?;
        let price = params.price.mul_floor(log_price.exp(Rounding::Floor)?)?;
        *slot = price.max(Wad::EPSILON);
        let shock = params.alpha.mul_ceil(eps.mul_ceil(eps)?)?;
        var = params.omega.add(shock)?.add(params.beta.mul_ceil(var)?)?;
    }
    Ok(())
}
