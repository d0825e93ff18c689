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
        0xb17217f7d1cf79ab, 0xc9e3b39803f2f6af, 0x40f343267298b62d, 0x8a0d175b8baafa2b, 0xe7b876206debac98,
        0x559552fb4afa1b10, 0xed2eae35c1382144, 0x27573b291169b825, 0x3e96ca16224ae8c5, 0x1acbda11317c387e,
        0xb9ea9bc3b136603b, 0x256fa0ec7657f74b, 0x72ce87b19d6548ca, 0xf5dfa6bd38303248, 0x655fa1872f20e3a2,
        0xda2d97c50f3fd5c6, 0x07f4ca11fb5bfb90,
    ],
);

/// 1/sqrt(2π) = 0.398942280401432677939946059934381868…
pub(crate) const INV_SQRT_2PI: Const = (
    0,
    [
        0x662114cf50d94234, 0x3f2cf1402eae38bf, 0xd3829f30512706d8, 0xc0471b4802639d2e, 0x9df8ac55447d3db7,
        0x23f5d3abb374e88d, 0xeb14277970be1513, 0x278e993445f08cff, 0x98282e1fd947ce4b, 0x4ecdbd6e65c23395,
        0xcacb544de69eea32, 0xc276937b1bc56769, 0x1c1cec4882c77aac, 0xefe1f6708329ab3f, 0xc8d2ab2435ee45c9,
        0x150c426bbb49487e, 0x480d8928e623122d,
    ],
);

/// sqrt(2π) = 2.506628274631000502415765284811045253…
pub(crate) const SQRT_2PI: Const = (
    2,
    [
        0x81b263fec4e0b2ca, 0xf9483f5ce459dc5f, 0x19f3ea6416000b50, 0xdc2f412ddeeb948b, 0x5068337b65698726,
        0x847d560b8818fb98, 0x307f0f37d42a17c1, 0xc2b86baec9ffa598, 0xc96223241bdcb90c, 0x5ace95432c9127f5,
        0x6a2b5e6a81d1a75f, 0xd018a7a7c39c67ec, 0xc26230c19bee42a4, 0x89c7d131409cf7fa, 0x051d5b42ef8f4a5b,
        0x7356a8f0f8dbbd28, 0x30b60c9f266c0ea9,
    ],
);

/// sqrt(2) = 1.414213562373095048801688724209698078…
pub(crate) const SQRT2: Const = (
    1,
    [
        0x6a09e667f3bcc908, 0xb2fb1366ea957d3e, 0x3adec17512775099, 0xda2f590b0667322a, 0x95f9060875714587,
        0x5163fcdfb907b672, 0x1ee950bc8738f694, 0xf0090e6c7bf44ed1, 0xa4405d0e855e3e9c, 0xa60b38c0237866f7,
        0x956379222d108b14, 0x8c1578e45ef89c67, 0x8dab5147176fd3b9, 0x9654c68663e7909b, 0xea5e241f06dcb05d,
        0xd549411320819495, 0x0272956db1fa1dfb,
    ],
);
