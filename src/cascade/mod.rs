//! The liquidation cascade: from a price shock to the *Liquidation Cascade Equilibrium*.
//!
//! A [`Cascade`] plays a shock out block by block over one or several [`Venue`]s (lending
//! markets, perpetuals exchanges, options vaults whose writers' series is marked once a block
//! at a [`VolPath`](crate::shock::VolPath): [`Book`]; AMM option pools whose LPs sold a series
//! and delta-hedge into the shared market: [`PoolStats`]) whose accounts hold one shared collateral
//! asset, traded in one shared [`market`](crate::market): arbitrage, oracle rounds, trader behaviour,
//! liquidations by [`decide`](crate::liquidator::decide)-driven liquidators, their sales, and bad
//! debt down each venue's waterfall — every decision through the same kernel functions an
//! on-chain program runs. It stops, and says why ([`Stop`]): **exhausted**, **unprofitable**
//! (the equilibrium), **stale**, or the block limit.
//!
//! [`equilibrium`] solves the instantaneous model (no latency, gas or behaviour; one market)
//! directly in `O(N log N)`.
//!
//! # Memory
//!
//! Nothing allocates: accounts live in the caller's slices ([`Borrower`]), each venue's
//! liquidation queue in a caller's scratch slice of [`Slot`]s (one per account), and block
//! records go to the caller's [`Sink`].

mod auction;
mod behaviour;
mod borrower;
mod engine;
pub mod equilibrium;
mod exposure;
mod heap;
mod ledger;
mod option_pool;
mod options_venue;
mod liquidators;
mod population;
mod queue;
mod record;
mod settings;
mod venue;
mod window;

pub use behaviour::draw as draw_behaviour;
pub use borrower::{Behaviour, Borrower};
pub use engine::Cascade;
pub use ledger::{Conservation, Ledger, Liquidated, totals};
pub use liquidators::{Liquidator, MAX_LIQUIDATORS, Sizing};
pub use option_pool::{PoolBlock, PoolStats, PoolTerms, value as pool_value};
pub use options_venue::{Book, OptionsMargin, OptionsStats, SeriesQuote, short_charge};
pub use population::{Leverage, Population, PopulationRaw};
pub use queue::Slot;
pub use record::{BlockRecord, MAX_VENUES, Recovery, Report, Sink, Stop, StopDetail, VenueBlock, VenueSummary};
pub use settings::{Arbitrage, BehaviourMix, BehaviourMixRaw, GasSchedule, GasSpike, MAX_BLOCKS, Resilience, Settings};
pub use venue::{Venue, VenueKind, VenueParams};
