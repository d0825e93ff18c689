//! The `lce eval` protocol and the scenario files: every golden vector, every malformed input
//! of every op, and the bundled scenarios' reviewed figures.
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

mod vectors;
mod bad_inputs;
mod scenarios;
mod studies;
