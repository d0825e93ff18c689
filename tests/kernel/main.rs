//! Worked examples of the kernel: the cascades traced by hand and their closed forms, every
//! output bit of Black-Scholes pinned, and the serde forms.
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

mod cascade;
mod options_bits;
mod serde;
