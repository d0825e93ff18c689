//! xoshiro256** 1.0 (Blackman and Vigna, "Scrambled linear pseudorandom number generators",
//! ACM TOMS 2021; reference `xoshiro256starstar.c`), seeded by SplitMix64.

use super::splitmix::{SplitMix64, mix64};
use crate::{Error, Result};

/// The seeded generator of lce: xoshiro256** 1.0 on 256 bits of state.
///
/// - [`Rng::new`]`(seed)`: the state `(s0, s1, s2, s3)` is four consecutive outputs of
///   [`SplitMix64::new`]`(seed)`, in that order (the authors' recommended seeding). The four
///   outputs are `mix64` of four distinct counters and `mix64` is a bijection, so at most one
///   of them is zero: the state is never all zero.
/// - [`Rng::derive`]`(seed, key)`: an independent stream per key, without per-key state:
///   `Rng::new(d)` with `k = mix64(key + γ)` and `d = mix64((seed ⊕ k) + γ)`
///   (`γ = 0x9E3779B97F4A7C15`, sums mod `2^64`), i.e. `k` is the first output of
///   `SplitMix64::new(key)` and `d` the first output of `SplitMix64::new(seed ⊕ k)`.
/// - [`Rng::next_u64`]: one step of xoshiro256**, `rotl(s1·5, 7)·9` (mod `2^64`), then
///   `t = s1≪17; s2 ⊕= s0; s3 ⊕= s1; s1 ⊕= s2; s0 ⊕= s3; s2 ⊕= t; s3 = rotl(s3, 45)`.
///
/// `derive` is sound in the sense the cascade needs: for a fixed seed, `key ↦ d` is a
/// bijection (a composition of `mix64`, `⊕ seed` and `+ γ`), so distinct keys give distinct
/// SplitMix64 seeds, scattered by two rounds of mixing (keys `0, 1, 2, …` do not give
/// neighbouring counters, whose four-output windows would overlap); each stream then starts at
/// an unrelated point of the xoshiro period `2^256 − 1`.
///
/// First outputs of `next_u64`:
///
/// | seed | state from SplitMix64 | first outputs |
/// |---|---|---|
/// | 0 | `E220A8397B1DCDAF 6E789E6AA1B965F4 06C45D188009454F F88BB8A8724C81EC` | `99EC5F36CB75F2B4 BF6E1F784956452A 1A5F849D4933E6E0 6AA594F1262D2D2C` |
/// | 1 | `910A2DEC89025CC1 BEEB8DA1658EEC67 F893A2EEFB32555E 71C18690EE42C90B` | `B3F2AF6D0FC710C5 853B559647364CEA 92F89756082A4514 642E1C7BC266A3A7` |
///
/// ```
/// use lce::rng::Rng;
/// let mut rng = Rng::new(0);
/// assert_eq!(rng.next_u64(), 0x99EC_5F36_CB75_F2B4);
/// let mut account_7 = Rng::derive(42, 7); // the same stream every time, for account 7
/// assert_eq!(account_7.next_u64(), Rng::derive(42, 7).next_u64());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rng {
    s0: u64,
    s1: u64,
    s2: u64,
    s3: u64,
}

impl Rng {
    /// The generator for `seed`: its state is the first four outputs of
    /// `SplitMix64::new(seed)`.
    #[must_use]
    pub const fn new(seed: u64) -> Self {
        let mut g = SplitMix64::new(seed);
        let s0 = g.next_u64();
        let s1 = g.next_u64();
        let s2 = g.next_u64();
        let s3 = g.next_u64();
        Self { s0, s1, s2, s3 }
    }

    /// The stream of `key` under `seed` (for example one stream per account index):
    /// `Rng::new(mix64((seed ⊕ mix64(key + γ)) + γ))`, `γ = 0x9E3779B97F4A7C15`.
    #[must_use]
    pub const fn derive(seed: u64, key: u64) -> Self {
        Self::new(derive_seed(seed, key))
    }

    /// The generator with the given state `[s0, s1, s2, s3]` (to reproduce published
    /// reference outputs, or to resume from [`Rng::state`]); `Invalid { what: "state" }`
    /// when all four words are zero (a fixed point of xoshiro).
    pub const fn from_state(state: [u64; 4]) -> Result<Self> {
        let [s0, s1, s2, s3] = state;
        if s0 == 0 && s1 == 0 && s2 == 0 && s3 == 0 {
            return Err(Error::invalid(
                "state",
                "must not be all zeros (a fixed point of xoshiro256**)",
            ));
        }
        Ok(Self { s0, s1, s2, s3 })
    }

    /// The current state `[s0, s1, s2, s3]`.
    #[must_use]
    pub const fn state(&self) -> [u64; 4] {
        [self.s0, self.s1, self.s2, self.s3]
    }

    /// The next 64 random bits: one step of xoshiro256** 1.0.
    pub const fn next_u64(&mut self) -> u64 {
        let result = self.s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s1 << 17;
        self.s2 ^= self.s0;
        self.s3 ^= self.s1;
        self.s1 ^= self.s2;
        self.s0 ^= self.s3;
        self.s2 ^= t;
        self.s3 = self.s3.rotate_left(45);
        result
    }
}

/// The SplitMix64 seed of [`Rng::derive`]: `mix64((seed ⊕ mix64(key + γ)) + γ)`.
#[must_use]
pub const fn derive_seed(seed: u64, key: u64) -> u64 {
    let k = mix64(key.wrapping_add(super::GOLDEN_GAMMA));
    mix64((seed ^ k).wrapping_add(super::GOLDEN_GAMMA))
}
