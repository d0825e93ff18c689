//! Shock paths of the exogenous reference price, by block number.
//!
//! A [`Path`] says what the reference price is at every block `b` (a `u64`) and from which
//! block it never changes again ([`Path::settles_at`]), which the cascade engine uses to know
//! that the shock is over. Paths are built by validating constructors (`Path::new_*`); a
//! listed path borrows the caller's slice, so nothing is allocated.

mod path;

#[cfg(test)]
mod tests;

pub use path::Path;
