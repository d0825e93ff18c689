//! Inputs the optimiser cannot see, and a sink it cannot remove.
//!
//! Every value an entry point uses goes through [`core::hint::black_box`], so no branch of the
//! kernel can be proved dead from constant inputs: a panic path that survives here is one a
//! caller could reach.

use core::hint::black_box;

use lce::account::HealthLevel;
use lce::market::Side;
use lce::{Rounding, Wad};

/// A stream of opaque values derived from the entry point's argument.
pub struct Src(u64);

impl Src {
    /// A stream seeded by `seed` (itself opaque).
    pub fn new(seed: u64) -> Self {
        Self(black_box(seed))
    }

    /// The next raw value (splitmix64 with wrapping arithmetic: it cannot panic).
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        black_box(z ^ (z >> 31))
    }

    /// Any `Wad`, the whole `i128` range.
    pub fn wad(&mut self) -> Wad {
        let hi = u128::from(self.next());
        let lo = u128::from(self.next());
        Wad::from_raw(black_box(((hi << 64) | lo) as i128))
    }

    /// Any `i128`.
    pub fn i128(&mut self) -> i128 {
        self.wad().raw()
    }

    /// Any `u64`.
    pub fn u64(&mut self) -> u64 {
        self.next()
    }

    /// Any `u32`.
    pub fn u32(&mut self) -> u32 {
        black_box(self.next() as u32)
    }

    /// Any `u16`.
    pub fn u16(&mut self) -> u16 {
        black_box(self.next() as u16)
    }

    /// Any `bool`.
    pub fn bool(&mut self) -> bool {
        black_box(self.next() & 1 == 1)
    }

    /// Any `usize` (used as a count; the callee must bound it).
    pub fn usize(&mut self) -> usize {
        black_box(self.next() as usize)
    }

    /// Either rounding.
    pub fn rounding(&mut self) -> Rounding {
        if self.bool() { Rounding::Floor } else { Rounding::Ceil }
    }

    /// Any health level.
    pub fn level(&mut self) -> HealthLevel {
        match self.next() % 3 {
            0 => HealthLevel::Initial,
            1 => HealthLevel::Maintenance,
            _ => HealthLevel::LiquidationEnd,
        }
    }

    /// Either side.
    pub fn side(&mut self) -> Side {
        if self.bool() { Side::Sell } else { Side::Buy }
    }

    /// `Some(wad)` or `None`.
    pub fn opt_wad(&mut self) -> Option<Wad> {
        if self.bool() { Some(self.wad()) } else { None }
    }

    /// `Some(u64)` or `None`.
    pub fn opt_u64(&mut self) -> Option<u64> {
        if self.bool() { Some(self.u64()) } else { None }
    }
}

/// Keeps `value` alive: the optimiser must compute it.
pub fn sink<T>(value: T) -> u64 {
    black_box(&value);
    black_box(0)
}
