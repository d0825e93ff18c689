//! Mathematical constants to 1088 bits (an integer part and 17 fractional 64-bit limbs, most
//! significant first), truncated. Generated with mpmath at 1200 bits of precision:
//!
//! ```text
//! from mpmath import mp, log, sqrt, pi, floor; mp.prec = 1200
//! frac = v - floor(v); limbs = floor(frac * 2**(64*17)) split into 17 limbs, big-endian
//! ```
//!
//! [`Fx::from_const`](super::fx::Fx::from_const) truncates them to the working width, so each
//! is below its true value by less than one ulp of that width.

use super::fx::MAX_LIMBS;

/// A constant: integer part and fractional limbs, most significant first.
pub(crate) type Const = (u64, [u64; MAX_LIMBS]);

/// ln 2 = 0.693147180559945309417232121458176568…
pub(crate) const LN2: Const = (
    0,
    [
        0xb17217f7d1cf79ab,
        0xc9e3b39803f2f6af,
        0x40f343267298b62d,
        0x8a0d175b8baafa2b,
        0xe7b876206debac98,
        0x559552fb4afa1b10,
        0xed2eae35c1382144,
        0x27573b291169b825,
        0x3e96ca16224ae8c5,
        0x1acbda11317c387e,
        0xb9ea9bc3b136603b,
        0x256fa0ec7657f74b,
        0x72ce87b19d6548ca,
        0xf5dfa6bd38303248,
        0x655fa1872f20e3a2,
        0xda2d97c50f3fd5c6,
        0x07f4ca11fb5bfb90,
    ],
);

/// 1/sqrt(2π) = 0.398942280401432677939946059934381868…
pub(crate) const INV_SQRT_2PI: Const = (
    0,
    [
        0x662114cf50d94234,
        0x3f2cf1402eae38bf,
        0xd3829f30512706d8,
        0xc0471b4802639d2e,
        0x9df8ac55447d3db7,
        0x23f5d3abb374e88d,
        0xeb14277970be1513,
        0x278e993445f08cff,
        0x98282e1fd947ce4b,
        0x4ecdbd6e65c23395,
        0xcacb544de69eea32,
        0xc276937b1bc56769,
        0x1c1cec4882c77aac,
        0xefe1f6708329ab3f,
        0xc8d2ab2435ee45c9,
        0x150c426bbb49487e,
        0x480d8928e623122d,
    ],
);
