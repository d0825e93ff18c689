//! A deterministic generator for the math modules' randomised unit tests (SplitMix64).

/// SplitMix64: a seeded, portable stream of 64-bit values.
pub(crate) struct Gen(pub(crate) u64);

impl Gen {
    /// The next 64-bit value.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (for `n > 0`; slightly biased, which the tests do not mind).
    pub(crate) fn below(&mut self, n: u128) -> u128 {
        ((u128::from(self.next()) << 64) | u128::from(self.next())) % n
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
