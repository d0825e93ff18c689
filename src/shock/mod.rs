//! Shock paths of the exogenous reference price, by block number.
//!
//! A [`Path`] says what the reference price is at every block `b` (a `u64`) and from which
//! block it never changes again ([`Path::settles_at`]), which the cascade engine uses to know
//! that the shock is over. Paths are built by validating constructors (`Path::new_*`); a
//! listed path borrows the caller's slice, so nothing is allocated. [`garch_path`] writes a
//! GARCH(1,1) path with Student-t (or Gaussian) innovations and jumps, and [`gbm_path`] a
//! geometric Brownian motion, from the seeded generator, into such a slice.

mod garch;
mod gbm;
mod path;

#[cfg(test)]
mod tests;

pub use garch::{GarchParams, garch_path};
pub use gbm::{GbmParams, gbm_path};
pub use path::Path;
