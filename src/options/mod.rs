//! European options under Black-Scholes-Merton with a continuous yield: prices, greeks,
//! put-call parity and implied volatility, each rounded once to the 1e-18 grid.
//!
//! # Correct rounding
//!
//! [`price`] and every greek of [`greeks`] are the exact value of the formula rounded once in
//! the direction asked for — not "within a few ulp". They are computed in ball arithmetic (a
//! binary floating-point centre with a proven radius, at 128, 256 and 512 bits) and
//! rounded only when the whole ball lies between two grid points, like the crate's `exp`,
//! `ln` and `norm_cdf`. The building blocks (`exp`, `ln`, `√`, `Φ`, `φ`) and their bounds are
//! in the module docs of `num::ball` and `num::ball::normal`.
//!
//! The last width (512 bits) rounds its centre as if it were exact, the rule of the crate's
//! other functions (whose last width is 1024 bits: 512 keeps a price's worst-case stack
//! within the kernel's 16 KiB): it could only matter for a value within about `2^-440` of a
//! grid point, or exactly on one, which for these transcendental values is not expected to
//! happen. Values that the model itself puts extremely close to a grid point (a deep
//! in-the-money price just above its intrinsic value, a delta just below 1, a tiny positive
//! gamma) are decided by strict bounds the model proves, not by precision.
//!
//! # Speed
//!
//! The ball arithmetic is generic over the width; at 128 bits `ln` comes from the crate's
//! fast table-driven path, the rest (`exp`, `√`, `Φ`, `φ`) from generic multi-limb code (at
//! 128 bits its product and shifts run in registers). On a shared x86-64 machine
//! (`benches/options.rs`, 32 options) a price takes about 5 µs and a price with all five
//! greeks about 6 µs: some 120 times an `f64` formula with `libm` (which is not correctly
//! rounded), and about a quarter of `rust_decimal`'s 28-digit formula (not correctly rounded
//! either). Where a price's time goes (perf): `Φ`/`φ` about 70 % (the power series of `Φ`
//! alone 35 %, Mills' continued fraction in the tails 12 %), the four `exp` (two discount
//! factors, two `φ`) about 28 %, with `ln`, `√` and the divisions the rest; about half of all
//! cycles are in the generic ball and limb primitives (`norm`, `add`, `mul`, the long
//! divisions). Every option of the benchmark, and 99.15 % of
//! a random set spanning the whole input domain, is decided at 128 bits (the others, mostly
//! extreme spots, at 256). An implied volatility costs up to 24 Newton steps and a handful
//! of prices (a bisection of up to 64 when no narrow bracket is confirmed).

mod expiry;
mod implied;
mod inputs;
mod margin;
mod model;
mod pool;
mod position;
mod price;
mod stress;

pub use expiry::Settlement;
pub use implied::{MAX_NEWTON_STEPS, MAX_STEPS, implied_vol};
pub use inputs::{BsInputs, BsInputsRaw, MAX_PRICE, MAX_RATE, MAX_T, MAX_VOL, OptionKind};
pub use margin::{
    GridMargin, GridMarket, GridParams, GridPosition, GridRaw, MAX_GRID_POSITIONS, MAX_GRID_SCENARIOS, MAX_GRID_STEPS,
    StandardMargin, StandardMarginParams, StandardMarginRaw,
};
pub use pool::{MAX_POOL_OPTIONS, OptionPool, PoolParams, PoolRaw, PoolStress, Quote};
pub use position::OptionPosition;
pub use price::{Greeks, forward_difference, greeks, price};
pub use stress::{
    AccountStress, BookStress, MAX_ACCOUNT_OPTIONS, MarginMethod, OptionAccount, Shock, stress_account, vega_shock,
};
#[cfg(feature = "eval")]
pub(crate) use {margin::GridWire, pool::PoolWire};
