//! The specified seeded generator of lce and its fixed-point samplers.
//!
//! Randomness in lce (trader behaviour, generated accounts, GARCH shock paths) comes only from
//! here, from a seed given as an input: the stream is specified to the bit, so another
//! implementation (TypeScript, Python, Solidity) reproduces it exactly. The specification,
//! with test values, is `vectors/rng/README.md`; `vectors/rng/gen_rng.py` is an independent
//! reference in pure Python.
//!
//! - [`SplitMix64`]: the seeder (Steele, Lea and Flood 2014; constants `0x9E3779B97F4A7C15`,
//!   `0xBF58476D1CE4E5B9`, `0x94D049BB133111EB`).
//! - [`Rng`]: xoshiro256** 1.0 (Blackman and Vigna), its state four consecutive SplitMix64
//!   outputs of the seed; [`Rng::derive`] gives an independent stream per key.
//! - Samplers, exact integer arithmetic: [`Rng::below`] (unbiased integers), [`Rng::unit`]
//!   (`[0, 1)`), [`Rng::open_unit`] (`(0, 1)`), [`Rng::range`], [`Rng::bernoulli`],
//!   [`Rng::normal`] (inverse CDF, correctly rounded), [`Rng::student_t`].
//!
//! # Test values
//!
//! SplitMix64 from seed 0: `E220A8397B1DCDAF 6E789E6AA1B965F4 06C45D188009454F
//! F88BB8A8724C81EC`; from seed 1: `910A2DEC89025CC1 BEEB8DA1658EEC67 F893A2EEFB32555E
//! 71C18690EE42C90B` (seed 0's first value is the published one).
//!
//! xoshiro256** ([`Rng::new`]) from seed 0: `99EC5F36CB75F2B4 BF6E1F784956452A
//! 1A5F849D4933E6E0 6AA594F1262D2D2C`; from seed 1: `B3F2AF6D0FC710C5 853B559647364CEA
//! 92F89756082A4514 642E1C7BC266A3A7`. From the state `[1, 2, 3, 4]` it gives the reference
//! implementation's published `11520, 0, 1509978240, 1215971899390074240, …` (the unit tests
//! check ten of them, and published SplitMix64 streams of the seeds `1234567` and
//! `1477776061723855037`).

mod sample;
mod splitmix;
mod xoshiro;

#[cfg(test)]
mod tests;

pub use sample::MAX_NU;
pub use splitmix::{GOLDEN_GAMMA, SplitMix64, mix64};
pub use xoshiro::{Rng, derive_seed};
