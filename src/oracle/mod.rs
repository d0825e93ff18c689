//! Oracle prices: what a protocol reads, and the guards it applies before trusting it.
//!
//! - [`OraclePrice`]: a price with its confidence half-width.
//! - [`PushFeed`]: a Chainlink-style push feed (deviation threshold, heartbeat, latency) with
//!   a bounded history of its [`Round`]s and a [`twap`](PushFeed::twap) of its on-chain price.
//! - [`Guards`]: staleness, confidence and deviation checks giving a [`Verdict`], and the
//!   [`Refusal`] that says why a price may not be used.
//! - [`StablePrice`]: a price that follows the oracle by at most a set fraction per block
//!   (Mango v4), a reference for the deviation guard.
//!
//! ```
//! use lce::oracle::{FeedParams, Guards, OraclePrice, PushFeed, Refusal};
//! use lce::{Rounding, Wad};
//!
//! // 1 % deviation, heartbeat 100 blocks, 1 block of latency.
//! let mut feed: PushFeed = PushFeed::new(FeedParams::new("0.01".parse()?, 100, 1)?);
//! feed.observe(0, "100".parse()?)?;
//! feed.observe(1, "101".parse()?)?; // exactly 1 %: not published
//! feed.observe(2, "98".parse()?)?; // -2 %: published, visible from block 3
//! let round = feed.latest(2).unwrap();
//! assert_eq!((round.price(), round.decided_at(), feed.age(2)), ("100".parse()?, 0, Some(2)));
//!
//! // A liquidation needs a price at most 1 block old: this one is refused as stale.
//! let guards = Guards::new(Some(1), None, None)?;
//! let twap = feed.twap(2, 3, Rounding::Floor)?; // blocks 1, 2 show 100: 100
//! let verdict = guards.check(OraclePrice::exact(round.price())?, 2, Some(twap));
//! assert_eq!(verdict.refusal(), Some(Refusal::Stale));
//! # Ok::<(), lce::Error>(())
//! ```
#![deny(clippy::float_arithmetic)]

mod feed;
mod guard;
mod params;
mod price;
mod ratio;
mod round;
mod stable;
mod twap;

pub use feed::PushFeed;
pub use guard::{Guards, Refusal, Verdict};
pub use params::FeedParams;
pub use price::OraclePrice;
pub use round::{Round, Trigger};
pub use stable::StablePrice;
#[cfg(feature = "eval")]
pub(crate) use {guard::GuardsWire, params::FeedParamsWire, price::OraclePriceWire};
