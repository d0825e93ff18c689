//! The laws of the domain, as property tests: one module per layer of the crate. Each module's
//! documentation lists the laws it states.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

#[path = "../common/mod.rs"]
mod common;

mod wad;
mod rng;
mod shock;
mod market;
mod oracle;
mod risk;
mod account_options;
mod option_liquidation;
mod margin;
mod options;
mod option_margin;
mod options_stress;
mod liquidator;
mod cascade;
mod cascade_option_pool;
mod cascade_options;
mod runs;
mod study;
mod presets;
mod presets_mango_drift;
mod token_plan;
