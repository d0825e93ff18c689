//! # lce — a deterministic fixed-point risk kernel for leveraged DeFi markets
//!
//! lce computes health, margin and liquidations exactly as an on-chain program would, and
//! simulates the liquidation cascade that a price shock sets off until it settles at the
//! *Liquidation Cascade Equilibrium*. The kernel is `no_std`, never allocates, never panics,
//! uses no floating point, and gives the same bits on every machine.
//!
//! Every quantity is a [`Wad`]: a signed decimal fixed point with 18 fractional digits.
//! Every rounding step names its direction ([`Rounding`]) and goes in the protocol's favour.
//!
//! ```
//! use lce::{Rounding, Wad};
//!
//! let collateral: Wad = "1250.75".parse()?;
//! let price: Wad = "0.999".parse()?;
//! // Collateral value rounds down; a debt would round up.
//! let value = collateral.mul(price, Rounding::Floor)?;
//! assert_eq!(value.to_string(), "1249.49925");
//! # Ok::<(), lce::Error>(())
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "std")]
extern crate std;

pub mod account;
pub mod cascade;
pub mod error;
pub mod liquidation;
pub mod liquidator;
pub mod margin;
pub mod market;
pub mod metrics;
pub mod num;
pub mod options;
pub mod oracle;
pub mod rng;
pub mod scenario;

#[cfg(feature = "cli")]
pub mod eval;

pub use error::{Error, Result};
pub use num::{Rounding, Wad};

/// The README's example, run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
