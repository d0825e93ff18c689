//! Helpers shared by the test binaries.
#![allow(dead_code)]

pub mod cascade;
pub mod json;

use lce::Wad;

/// The decimal `s` as a [`Wad`] (a test's literal; it must parse).
pub fn w(s: &str) -> Wad {
    s.parse().unwrap()
}
