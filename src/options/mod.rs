//! European options under Black-Scholes-Merton with a continuous yield: prices, greeks,
//! put-call parity and implied volatility, each rounded once to the 1e-18 grid.
//!
//! # Correct rounding
//!
//! [`price`] and every greek of [`greeks`] are the exact value of the formula rounded once in
//! the direction asked for — not "within a few ulp". They are computed in ball arithmetic (a
//! binary floating-point centre with a proven radius, at 128, 256, 512 and 1024 bits) and
//! rounded only when the whole ball lies between two grid points, like the crate's `exp`,
//! `ln` and `norm_cdf`. The building blocks (`exp`, `ln`, `√`, `Φ`, `φ`) and their bounds are
//! in the module docs of `ball` and `normal`.
//!
//! The last width (1024 bits) rounds its centre as if it were exact, the rule of the crate's
//! other functions: it could only matter for a value within `2^-900` or so of a grid point,
//! or exactly on one, which for these transcendental values is not expected to happen.
//!
//! # Speed
//!
//! The ball arithmetic is generic over the width and not tuned: a price takes some
//! microseconds, far more than an `f64` formula (see `benches/options.rs`).

mod ball;
mod core;
mod implied;
mod inputs;
mod normal;
mod price;

pub use implied::{MAX_STEPS, implied_vol};
pub use inputs::{BsInputs, MAX_PRICE, MAX_RATE, MAX_T, MAX_VOL, OptionKind};
pub use price::{Greeks, forward_difference, greeks, price};
