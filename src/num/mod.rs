//! Numbers: the [`Wad`] fixed-point type, directed rounding, and the correctly rounded
//! transcendental functions.

pub(crate) mod ball;
#[cfg(all(test, not(miri)))]
mod bigint_reference;
mod convert;
mod decimal;
#[cfg(feature = "fixed")]
mod fixed_point;
pub(crate) mod math;
mod rounding;
pub(crate) mod u256;
mod wad;

pub use convert::MAX_NATIVE_DECIMALS;
pub use decimal::MAX_DECIMAL_LEN;
pub use rounding::Rounding;
pub use wad::Wad;
pub(crate) use wad::{TEN18, TEN18_NZ, TEN18_U128};
