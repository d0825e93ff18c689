//! # lce — a deterministic fixed-point risk kernel for leveraged DeFi markets
//!
//! lce computes health, margin and liquidations exactly as an on-chain program would, and
//! simulates the liquidation cascade that a price shock sets off until it settles at the
//! *Liquidation Cascade Equilibrium*. The kernel is `no_std`, never allocates, never panics,
//! uses no floating point, and gives the same bits on every machine.
//!
//! Every quantity is a [`Wad`]: a signed decimal fixed point with 18 fractional digits, read
//! from its exact decimal text (at compile time with [`wad!`]). Every rounding step names its
//! direction ([`Rounding`]) and goes in the protocol's favour.
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
//!
//! # The layers
//!
//! Data flows down this list; a module uses those above it, never those below.
//!
//! | layer | module | what it holds |
//! |---|---|---|
//! | numbers | [`num`], [`error`] | the [`Wad`], directed rounding, the correctly rounded `exp`, `ln`, `pow`, `sqrt`, `Φ`, `φ`, `Φ⁻¹`; the one [`Error`] |
//! | randomness | [`rng`] | the specified seeded generator and its exact samplers |
//! | the shock | [`shock`] | the exogenous price path: instant, linear, listed, GARCH(1,1) |
//! | the market | [`market`] | depth and price impact: what selling the collateral fetches |
//! | the oracle | [`oracle`] | what a protocol reads of the market: latency, heartbeat, deviation, guards |
//! | the account | [`account`] | positions, weights, health at each level, the liquidation price |
//! | margin | [`margin`], [`options`] | static, size-tiered and dynamic maintenance margin; Black-Scholes and short-option margin |
//! | liquidation | [`liquidation`] | the repay that restores health, close factor, bonus, bankruptcy and the loss waterfall |
//! | the liquidator | [`liquidator`] | whether a liquidation pays after slippage, gas and execution risk, and its best size |
//! | metrics | [`metrics`] | liquidation velocity, systemic debt ratio, slippage multiplier, concentration, drawdown |
//! | the cascade | [`cascade`] | the block-by-block engine over venues sharing one market, its books, and the equilibrium solver |
//!
//! A block of a cascade walks the same path: the shock moves the fundamental price, sales move
//! the market around it, oracles read the market, accounts are judged at the oracle price,
//! liquidators decide, their sales move the market again, and losses go down the waterfall.
//!
//! Beside the kernel, behind features: `serde` (every parameter, state and report type),
//! `std` (conveniences that allocate), `fixed` (conversions to the `fixed` crate's `I80F48`
//! and `U68F60`), `eval` (the JSON protocol of `lce eval` as a library) and `cli` (the `lce`
//! command-line tool).
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

// In the order of the layers (see above).
pub mod num;
pub mod error;
pub mod rng;
pub mod shock;
pub mod market;
pub mod oracle;
pub mod account;
pub mod margin;
pub mod options;
pub mod liquidation;
pub mod liquidator;
pub mod metrics;
pub mod cascade;
pub mod preset;

#[cfg(feature = "eval")]
pub mod eval;

#[cfg(feature = "eval")]
pub mod study;

/// Helpers the unit tests share.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::Wad;

    /// The decimal `s` as a [`Wad`] (a test's literal; it must parse).
    pub(crate) fn w(s: &str) -> Wad {
        s.parse().unwrap()
    }

    /// `10^e · (1 + u)` in raw units, for a decimal exponent `e` drawn in `[lo, hi)` and `u` in
    /// `[0, 1)` on a 10^-9 grid, from `next`'s draws: a log-uniform magnitude.
    pub(crate) fn log_uniform(lo: i32, hi: i32, next: &mut dyn FnMut() -> u64) -> Wad {
        let span = u64::try_from(hi - lo).unwrap();
        let e = lo + i32::try_from(next() % span).unwrap();
        let mantissa = i128::from(next() % 1_000_000_000) + 1_000_000_000;
        let scale = 18 + e - 9;
        Wad::from_raw(if scale >= 0 {
            mantissa * 10_i128.pow(u32::try_from(scale).unwrap())
        } else {
            mantissa / 10_i128.pow(u32::try_from(-scale).unwrap())
        })
    }
}

#[cfg(feature = "serde")]
mod wire;

pub use error::{Error, Result};
pub use num::{Rounding, Wad};

/// The README's example, run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
