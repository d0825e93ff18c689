//! Helpers of the math modules' randomised unit tests: draws from the crate's
//! [`SplitMix64`] stream, and how many iterations to run.

pub(crate) use crate::rng::SplitMix64;

/// Wide draws from a [`SplitMix64`] stream.
pub(crate) trait Draw {
    /// A value in `0..n` (for `n > 0`) from two 64-bit outputs, high first (slightly biased,
    /// which the tests do not mind).
    fn below(&mut self, n: u128) -> u128;
}

impl Draw for SplitMix64 {
    fn below(&mut self, n: u128) -> u128 {
        ((u128::from(self.next_u64()) << 64) | u128::from(self.next_u64())) % n
    }
}

/// How many iterations a randomised test runs: `n`, or a few dozen under Miri (which is about
/// a thousand times slower; it checks the code paths for undefined behaviour, not the
/// statistics).
pub(crate) const fn iterations(n: u32) -> u32 {
    if cfg!(miri) {
        if n / 500 > 20 { n / 500 } else { 20 }
    } else {
        n
    }
}
