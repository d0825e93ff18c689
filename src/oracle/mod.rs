//! Oracle prices: what a protocol reads, and the guards it applies before trusting it.
//!
//! - [`OraclePrice`]: a price with its confidence half-width.
//! - [`PushFeed`]: a Chainlink-style push feed (deviation threshold, heartbeat, latency) with
//!   a bounded history of its [`Round`]s and a [`twap`](PushFeed::twap) of its on-chain price.
//! - [`Guards`]: staleness, confidence and deviation checks giving a [`Verdict`], and the
//!   [`Refusal`] that says why a price may not be used.
//! - [`StablePrice`]: a price that follows the oracle by at most a set fraction per block
//!   (Mango v4), a reference for the deviation guard.
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
