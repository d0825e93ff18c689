//! SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
//! OOPSLA 2014), as in Vigna's reference `splitmix64.c`: the seeder of [`Rng`](super::Rng).

/// The golden-ratio increment `0x9E3779B97F4A7C15` (`⌊2^64/φ⌋`, made odd).
pub const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 generator: a 64-bit counter advanced by [`GOLDEN_GAMMA`] and a mixing
/// function of the counter.
///
/// Each call of [`next_u64`](Self::next_u64) sets `x ← x + 0x9E3779B97F4A7C15 (mod 2^64)` and
/// returns [`mix64`]`(x)`. From seed `0` the first outputs are `0xE220A8397B1DCDAF`,
/// `0x6E789E6AA1B965F4`, `0x06C45D188009454F`, `0xF88BB8A8724C81EC`.
///
/// ```
/// use lce::rng::SplitMix64;
/// let mut g = SplitMix64::new(0);
/// assert_eq!(g.next_u64(), 0xE220_A839_7B1D_CDAF);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SplitMix64 {
    x: u64,
}

impl SplitMix64 {
    /// The generator whose counter starts at `seed` (every `u64` is a valid seed).
    #[must_use]
    pub const fn new(seed: u64) -> Self {
        Self { x: seed }
    }

    /// The next output: `mix64(x ← x + 0x9E3779B97F4A7C15)`.
    pub const fn next_u64(&mut self) -> u64 {
        self.x = self.x.wrapping_add(GOLDEN_GAMMA);
        mix64(self.x)
    }
}

/// The SplitMix64 output function (a variant of MurmurHash3's finaliser, "Mix13" of Stafford):
/// `z ← (z ⊕ z≫30)·0xBF58476D1CE4E5B9`, `z ← (z ⊕ z≫27)·0x94D049BB133111EB`, `z ⊕ z≫31`, all
/// modulo `2^64`. A bijection of `u64` (each step is invertible: an xorshift, or a product by
/// an odd constant).
#[must_use]
pub const fn mix64(z: u64) -> u64 {
    let z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
