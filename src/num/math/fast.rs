//! Fast first attempts of `exp`, `ln` and `pow` in native 128-bit arithmetic.
//!
//! [`exp`], [`ln`] and [`pow`] are the first step of Ziv's strategy for
//! [`Wad::exp`](crate::Wad::exp), [`Wad::ln`](crate::Wad::ln) and
//! [`Wad::pow`](crate::Wad::pow): they compute an approximation with 128 fractional bits,
//! in `u64`/`u128` registers with table-driven argument reduction, together with a proven
//! error bound, and round it to the 1e-18 grid only when the whole error interval lies
//! strictly between two grid points. Otherwise (probability about `2^-60` for a random
//! argument, `2^-38` for `ln`, more for `exp` near its overflow bound and for arguments
//! within a few thousand ulps of `exp(0)`/`ln(1)`) they return `None` and the caller runs the
//! generic path ([`super::ziv`]), which is unchanged. A `None` therefore only costs time; every `Some` is
//! the correctly rounded result.
//!
//! Notation: `u = 2^-128`. Every operation below truncates (rounds toward zero) and its error
//! is counted in `u` (or in the ulp of the fixed-point scale named), summed generously. A
//! truncated high product from three partial products ([`mul_high_approx`]: the floor of
//! `a·b/2^128` or up to two less) is `< 3` units below.
//! The exact result is never a grid point (`e^x` and `ln x` are transcendental for rational
//! `x ≠ 0`, `x ≠ 1`, which the callers exclude), so a strict separation decides.
//!
//! # `exp`, for `-42 <= x <= 40`
//!
//! - Reduction: `v = x·2^18/ln 2 = X·K·2^-233` with `X = x·10^18` exact and
//!   `K = floor(2^251/(ln 2·10^18))` ([`EXP_K`], 192 bits): the product is exact (the low
//!   limb of `|X| < 2^65.2` times `K` from three limb products, the high limb `a1 <= 2` times
//!   `K` from [`EXP_KA`]), `K`'s truncation moves `v` by less than `X·2^-233 < 2^-167`.
//!   `N = floor(v)` (to within that) and `f`, the fraction `v - N`, is kept to 128 bits:
//!   `|f - (v - N)| <= u` (for `x < 0`, `f` is the complement of `|v|`'s fraction and the
//!   error is two-sided but still `<= u`).
//!   With `N = 2^18·k + 2^12·j1 + 2^6·j2 + j3`:
//!   `e^x = 2^k · 2^(j1/64) · 2^(j2/4096) · 2^(j3/2^18) · e^r` where `r = c·f`,
//!   `c = ln 2/2^18 < 2^-18.5`, `f` read in `[0, 1)`. `f`'s error moves `r` by `c·u`.
//! - Tables: [`EXP_T1`] holds `2^(j1/64)·10^18` at scale `2^-67` (the grid's `10^18` folded
//!   in; below `2^127.8`), [`EXP_T2`] and [`EXP_T3`] `frac(2^(j/4096))`, `frac(2^(j/2^18))`
//!   at scale `2^-128`; all truncated (`< 1` unit). `t23 = t2 + t3 + t2·t3`, the product
//!   from its three top partial products ([`mul_high_approx`], `< 3 u`), is below
//!   `(1 + t2)(1 + t3) - 1` by less than `1.0002 + 1.011 + 3 < 5.02 u`; `P = T1 + T1·t23`
//!   (again [`mul_high_approx`], `< 3` units) is below `2^(j/2^18)·10^18·2^67` by less than
//!   `1·1.011 + 0.871·5.02 + 3 < 8.39` units `2^-67`.
//! - `e^r - 1 = Σ_{i=1..6} a_i·f^i + tail`, `a_i = c^i/i!`, tail `< a_7·1.001 < 2^-141.9`,
//!   at scale `2^-146` (below `2^127.5`), Estrin's scheme so that the longest chain is three
//!   products: `a1·f + f²·(a2 + a3·f + a4·f²) + f⁴·(a5 + a6·f)·f`. Each coefficient is
//!   truncated at a scale where it has at least 43 bits; every product truncates. Errors,
//!   all making the sum smaller: `a1·f` (the 128-bit `A1`, three partial products)
//!   `< 4·2^-146`;
//!   `f²` to 128 bits `< 3 u` and its top 64 bits `< 3·2^-64`; the inner sum `H` at scale
//!   `2^-166` is dominated by `a4·f²` from 64-bit operands, `< 2^-139.8`; `f²·H` adds
//!   `< 2^-146 + 2^-164`; the `a5, a6` part (64-bit arithmetic) `< 1.01·2^-146`; the
//!   tail `< 2^-141.9`. So `e^r - 1` is below its true value by less than `2^-139`.
//! - Result: `y = P + P·(e^r - 1)`, where `P·(e^r - 1)` is a truncated product (three
//!   partial products, `< 3` units at scale `2^-146·2^-67`) shifted by 18 (`< 1` unit of
//!   `2^-67`). With `P < 2^127.8` units the error of `e^r - 1` costs `< 2^-11` units. In
//!   total `y` is **below** `e^x·10^18·2^(67-k)` by less than `8.39·1.0001 + 1 + 2^-10 < 9.4`
//!   units (`EXP_ERR_HI = 10`), and above it only through `f`'s complement error, by less
//!   than `P·c·u < 2^-18` units (`EXP_ERR_LO = 1`). Also `y` lies in `[2^126.8, 2^127.9)`
//!   (`y >= P >= T1[0]`), so `y - 1` and `y + 10` do not wrap.
//! - Decision: the grid index is `floor(y·2^(k-67))`; with `k in [-61, 57]` the shift is
//!   `s = 67 - k in [10, 128]`. The exact value lies strictly inside `(a, b)`,
//!   `a = y - 1`, `b = y + 10`; when `a` and `b` agree above bit `s` (`(a ^ b) >> s = 0`,
//!   one `u128` shift) the whole interval lies in the cell `[q, q + 1)·2^s`, `q = a >> s`,
//!   and the exact value is not a grid point: floor `q`, ceiling `q + 1` (`q < 2^118`).
//!   Near the top (`e^40 ≈ 2^57.7`) the interval is about `2^-6.5` grid cells wide, so the
//!   generic path runs for about 1 % of the arguments there; above 40 it is always the
//!   generic path.
//!
//! # `ln`, for every positive `x`
//!
//! - Normalisation: `X = x·10^18 = m·2^b` with `b = bit_length(X) - 1` in `[0, 126]` and
//!   `m = Xn·2^-127` in `[1, 2)`, `Xn = X << leading_zeros(X)`: exact, a shift. Then
//!   `ln x = K_b + ln m` with `K_b = b·ln 2 - 18·ln 10` from a table ([`LN_K`] at scale
//!   `2^-128` as floor and fraction, [`LN_K121`] at scale `2^-121`; both truncated, `< 1`
//!   unit).
//! - Reduction levels ([`LN_R1`], [`LN_R2`], [`LN_R3`]): with `j` the next 7 bits of `t`
//!   (initially `t = m - 1`), `1 + t' = (1 + t)·c_j` where `c_j = ceil(2^63/(1 + j·2^-s))
//!   /2^63` (`s = 7, 14, 21`) is an exact 64-bit number, so `t'` is `>= 0` and below
//!   `2^-s`. The product is exact (192 bits) and truncated to 128 bits; as the result lies in
//!   `[0, 1)` it is computed modulo `2^128` (the `-1` and the carries out vanish). Each level
//!   truncates once (`1 u`) and multiplies an earlier error in `t` by `c_j <= 1`, so after
//!   `n` levels `t` is below the exactly reduced argument by less than `n u`, which moves
//!   `ln(1 + t)` by as much (slope `<= 1`). `ln m = Σ -ln c_j + ln(1 + t)`, each `-ln c_j`
//!   truncated (`1 u`).
//!
//! ## The fast `ln` itself: two levels, to about `2^-100`
//!
//! The result's grid is `10^-18 ≈ 2^-59.8`, so an absolute error near `2^-100` leaves the
//! generic path for a fraction `2^-38` of random arguments, and for those within about
//! `2^11` ulps of `x = 1` (`ln(1 + n·10^-18)` lies about `n²·2^-121` from the grid).
//! After [`LN_R1`] and [`LN_R2`], `t < 2^-14`:
//!
//! - `ln(1 + t) = t - t²/2 + t³·g + R`, `g = (1/3 - t/4) + t²·(1/5 - t/6)` (Estrin), the
//!   alternating tail `|R| < t⁷/7 < 2^-100.8`.
//! - `t²` from the two top partial products (`< 2 u` below); `t78 = t` truncated at scale
//!   `2^-78`, `tsq = t78²` at `2^-92` (below `t²` by `< 2^-90.4`), `tcube = tsq·t78` at
//!   `2^-106` (below `t³` by `< 2^-103`); `g` in `u64` at scale `2^-64`, each of its three
//!   truncated products and two truncated constants `< 2^-64`: within `2.1·2^-64`. So
//!   `tcube·g` (high word, scale `2^-106`, truncated) is within `2^-103/3 + 2^-48·2.1·2^-64 +
//!   2^-106 < 2^-103.4` of `t³·g`.
//! - The sum `S = K_b + l1 + l2 + ln(1 + t)` is formed at scale `2^-121` in an `i128`
//!   (`|S| < 47 < 2^5.6`); the five truncations to that scale (`K_b`, `l`, `t`, `t²/2`,
//!   and the two table and level errors at `2^-128`) are below `2^-118`.
//! - Total: `|S - ln x| < 2^-100.8 + 2^-103.4 + 2^-118 < 2^-100.5`; the decision uses
//!   `2^-99` ([`LN_FAST_ERR_BITS`]).
//! - Decision, for either sign: `S·10^18 = hi·2^128 + lo` exactly (a signed and an unsigned
//!   `64×64`-bit product); the grid index `G = floor(S·10^18·2^-121) = hi·2^7 + lo/2^121`
//!   (toward `-∞`) and the position in the cell `pos = lo·2^7 mod 2^128`. The exact
//!   `ln x·10^18` lies in `(G, G + 1)` when `pos >= e` and `pos + e < 2^128`, with
//!   `e = 2^-99·10^18` in those units (one `u128` comparison): then the floor is `G` and the
//!   ceiling `G + 1` (`ln x` is never a grid point for `x ≠ 1`). Otherwise the generic path
//!   runs.
//!
//! ## `ln_approx`, for `pow`: three levels, to `2^-124`
//!
//! After [`LN_R3`], `t < 2^-21`:
//!
//! - `ln(1 + t) = t - t²/2 + t³·g`, `g = (1/3 - t/4) + t²·(1/5 - t/6)` (omitted tail
//!   `< t⁴/7 · t³ < 2^-149`): `t²/2` from the two top partial products (`< 1.5 u`); `t³` in
//!   `u64` from `t` truncated to scale `2^-85`, within `5` ulps of `2^-127` (`10 u`), times
//!   `g < 1/3`: `3.4 u`; `g` in `u64` at scale `2^-65` within `2.1` ulps, times `t³ < 2^-63`:
//!   `2.1 u`; the product `t³·g` truncated: `1 u`. So `ln(1 + t)` is within `8 u`.
//! - `ln x = K_b + ln m` as a floor and a 128-bit fraction; for `ln x < 0` the magnitude is
//!   the one's complement, `|S| - u` (`1 u`).
//! - Total: `1 (K_b) + 3 (the -ln c_j) + 3 (t) + 8 + 1 = 16 u`; `pow` uses **32 u**
//!   ([`LN_ERR`]). The sign of the result is that of `ln x`, because `|ln x| > 0.99·10^-18`
//!   for `x ≠ 1`, far above the error.
//!
//! # `pow`, for `|p| < 2^100·10^-18` and `p·ln x` in `[-42.28, 40.2)`
//!
//! `x^p = e^y` with `y = p·ln x`, and the exponent is reduced as for `exp`:
//! `v = y·2^18/ln 2 = P·|ln x|·K·2^-233` (up to sign), with `P = p·10^18` exact and the same
//! `K` ([`EXP_K`]).
//!
//! - `|ln x| = L ± ε_L` with `ε_L <= 16 u` from `ln_approx` above (an absolute error,
//!   whatever `x`).
//! - `A`: `P` is shifted so that its top bit is set, multiplied exactly by the 192-bit `K`
//!   (320 bits) and truncated to its top 128 bits (top bit set): below `P·K` by a relative
//!   `α < 2^-127`; `K` itself is below `2^251/(ln 2·10^18)` by a relative `κ < 2^-191`.
//! - `L` is normalised to 128 bits with its top bit set: exact when its integer part is zero,
//!   else truncated by a relative `λ < 2^-127`.
//! - `v = A·L·2^-s` is an exact 256-bit product, split into the integer `N` and 128 bits of
//!   fraction `f` (truncated, or complemented for `y < 0`: within `2^-128` as for `exp`, which
//!   the `exp` bound already covers). So the computed exponent is
//!   `y' = p·(L ± ε_L)·(1 - ρ)` with `0 <= ρ <= α + λ + κ < 2^-126·1.0001`, and
//!   `|y' - y| <= |p|·ε_L·(1 + ρ) + |y|·ρ`. With `|y| < (|k| + 1)·ln 2`
//!   (`k = floor(N/2^18)`) the second term is below `2.78·(|k| + 1) u`: the code uses
//!   `D = 32·(⌊|p|⌋ + 1) + 3·(|k| + 1)` units `u` (the `ln` decision's 32 u for `ε_L`). For
//!   `|p| < 1.3·10^12`, `D·u < 2^-82`.
//! - `e^y = e^y'·e^(y - y')` and `|e^δ - 1| <= |δ|·(1 + 2^-80)` for `|δ| < 2^-82`: the
//!   result `y < 2^127.8` units `2^-67` of the `exp` core moves by at most
//!   `0.87·D·(1 + 2^-80) < D` units, on either side. The decision adds `D` to both of the
//!   `exp` bounds: `[y - D - 1, y + D + 10]`.
//! - Range: `k < -61` means `y < -42.28 + 2^-82 < ln 10^-18`, a positive result below the
//!   grid's first point (decided: `0` or `10^-18`); `k >= 68` means `y > 47.13 - 2^-82`, above
//!   `ln(Wad::MAX) = 46.58` (overflow); `|N| >= 2^20` decides either the same way. For
//!   `k` in `[58, 67]` (results above `2^58`, where 128 bits cannot separate the grid) and
//!   whenever the interval is not separated, the attempt defers to the generic path.
//!
//! The caller has excluded exact powers (a grid point `x^p`); any other `x^p` is off the
//! grid (irrational, or rational with a denominator the grid lacks), so a strict separation
//! decides.
//!
//! All tables come from `gen_tables.py` (mpmath); the tests below check them against the
//! generic, independently validated path.
#![allow(clippy::arithmetic_side_effects)] // bounded 64/128-bit arithmetic, see the comments

#[path = "fast_tables.rs"]
mod tables;

use tables::{
    EXP_A1, EXP_A2, EXP_A3, EXP_A4, EXP_A5, EXP_A6, EXP_INV_LN2_HI, EXP_INV_LN2_LO, EXP_K, EXP_T1, EXP_T2, EXP_T3,
    EXP_U1, LN_K, LN_K121, LN_R1, LN_R2, LN_R3,
};

use crate::num::TEN18;
use crate::num::u256::{LOW64, mul_high_approx, mul_wide};
use crate::num::wad::signed_rounded;
use crate::{Result, Rounding};

/// The smallest raw argument of the fast `exp` (`-42`; below it `e^x < 10^-18` is decided
/// by the caller, but the fast path also handles it).
const EXP_MIN_RAW: i128 = -42_000_000_000_000_000_000;
/// The largest raw argument of the fast `exp` (`40`; `e^40 ≈ 2^57.7`).
const EXP_MAX_RAW: i128 = 40_000_000_000_000_000_000;
/// How far the exact `e^x` may lie above the fast result `y`, in units of `2^-67` (see the
/// module docs: `y` is below the exact value by less than `9.4`).
const EXP_ERR_HI: u128 = 10;
/// How far the exact `e^x` may lie below `y` (only through the argument's complement for
/// `x < 0`, less than `2^-18`), in units of `2^-67`.
const EXP_ERR_LO: u128 = 1;
/// The error bound of `ln_approx`, in `u` (see the module docs: `16 u`).
pub(crate) const LN_ERR: u128 = 32;
/// The fast `pow` takes raw exponents below `2^POW_P_BITS` (`|p| < 1.2·10^12`).
const POW_P_BITS: u32 = 100;

/// `floor(2^64/3)`: the coefficients of `g` in the fast `ln`'s `ln(1 + t) = t - t²/2 + t³·g`,
/// scale `2^-64`.
const G3_64: u64 = u64::MAX / 3;
/// `floor(2^64/5)`.
const G5_64: u64 = u64::MAX / 5;
/// `floor(2^64/6)`.
const G6_64: u64 = u64::MAX / 6;
/// The fast `ln` decides with an error bound of `2^LN_FAST_ERR_BITS` units `2^-128` (`2^-99`;
/// the module docs give `2^-100.5`).
const LN_FAST_ERR_BITS: u32 = 29;

/// `floor(2^65/3)`: the coefficients of `g` in `ln(1 + t) = t - t²/2 + t³·g`, scale `2^-65`.
const G3: u64 = ((1u128 << 65) / 3) as u64;
/// `2^65/4`.
const G4: u64 = 1 << 63;
/// `floor(2^65/5)`.
const G5: u64 = ((1u128 << 65) / 5) as u64;
/// `floor(2^65/6)`.
const G6: u64 = ((1u128 << 65) / 6) as u64;

/// `floor(a·b/2^64)` for `a·b < 2^128`, one 64×64-bit product.
#[inline]
fn mul64_shr(a: u64, b: u64, shift: u32) -> u128 {
    (u128::from(a) * u128::from(b)) >> shift
}

/// `floor(y/2^s)` when the exact value `Y` (positive, `y - lo <= Y <= y + hi`, all scaled by
/// `2^s`) lies strictly between the same two consecutive integers as `y`; `None` when the
/// interval contains an integer or reaches one with its upper end (or overflows). The lower
/// end is clamped at zero, sound because `Y > 0`. For `s <= 128`.
#[inline]
fn decide128(y: u128, lo: u128, hi: u128, s: u32) -> Option<u128> {
    let top = y.checked_add(hi)?;
    let q = y.saturating_sub(lo).checked_shr(s).unwrap_or(0);
    (q == top.checked_shr(s).unwrap_or(0) && top.trailing_zeros() < s).then_some(q)
}

/// `j·K` for `j = 0, 1, 2` ([`EXP_K`]), as four 64-bit limbs, least significant first: the
/// high limb `a1 <= 2` of an `exp` argument `|X| < 2^65.2` times `K`, without a product.
const EXP_KA: [[u64; 4]; 3] = {
    let [k0, k1, k2] = EXP_K;
    [
        [0; 4],
        [k0, k1, k2, 0],
        [k0 << 1, (k1 << 1) | (k0 >> 63), (k2 << 1) | (k1 >> 63), k2 >> 63],
    ]
};

/// The fast attempt at `e^x` for a raw `Wad` `raw` (see the module docs); `None` when it
/// cannot decide or `raw` is outside `[-42, 40]` or zero.
#[inline(always)]
pub(crate) fn exp(raw: i128, rounding: Rounding) -> Option<Result<i128>> {
    let (y, k) = exp_approx(raw)?;
    // y lies in [2^126.8, 2^127.9) (module docs), so y - EXP_ERR_LO and y + EXP_ERR_HI do
    // not wrap; the shift 67 - k is in [10, 128].
    let s = u32::try_from(67 - k).ok()?;
    let (a, b) = (y.wrapping_sub(EXP_ERR_LO), y.wrapping_add(EXP_ERR_HI));
    // The exact value lies strictly inside (a, b): when a and b agree above bit s
    // (a ^ b < 2^s), the whole interval lies in the cell [q, q + 1)·2^s of a.
    if (a ^ b).checked_shr(s).unwrap_or(0) != 0 {
        return None;
    }
    let q = a.checked_shr(s).unwrap_or(0); // below 2^118
    Some(Ok((q + u128::from(matches!(rounding, Rounding::Ceil))) as i128))
}

/// `e^x·10^18 ≈ y·2^(k-67)` (see the module docs for the error) for a raw `Wad` in
/// `[-42, 40]`, not zero: `(y, k)`.
#[inline(always)]
fn exp_approx(raw: i128) -> Option<(u128, i64)> {
    let (n, f) = exp_reduce(raw)?;
    exp_core(&EXP_T1, n, f)
}

/// The reduced argument of `e^x` for a raw `Wad` in `[-42, 40]`, not zero: `(N, f)` with
/// `x·2^18/ln 2 = N + f·2^-128` (within `2^-128`, see the module docs).
#[inline]
fn exp_reduce(raw: i128) -> Option<(i64, u128)> {
    if raw == 0 || !(EXP_MIN_RAW..=EXP_MAX_RAW).contains(&raw) {
        return None;
    }
    // |X|·K with |X| = a0 + a1·2^64 < 2^65.2 (a1 <= 2) and K three limbs: five exact limbs,
    // a0·K from three limb products (each step a product plus one limb, below 2^128), plus
    // a1·K·2^64 from a table. Each addition is below 2^64 + 2^64 + 1.
    let a = raw.unsigned_abs();
    let a0 = a & LOW64;
    let [k0, k1, k2] = EXP_K.map(u128::from);
    let [m0, m1, m2, m3] = EXP_KA.get((a >> 64) as usize)?.map(u128::from);
    let t = a0 * k0;
    let t = a0 * k1 + (t >> 64);
    let (p1, c) = (t & LOW64, t >> 64);
    let t = a0 * k2 + c;
    let (p2, p3) = (t & LOW64, t >> 64);
    let t = p1 + m0;
    let (p1, c) = (t & LOW64, t >> 64);
    let t = p2 + m1 + c;
    let (p2, c) = (t & LOW64, t >> 64);
    let t = p3 + m2 + c;
    let (p3, p4) = (t & LOW64, m3 + (t >> 64));
    // v = |X|·K·2^-233, |v| < 42·2^18/ln 2 < 2^24: the integer part is bits 233.., the
    // fraction bits 105..233.
    let n_abs = ((p3 >> 41) | (p4 << 23)) as i64;
    let frac = (p1 >> 41) | (p2 << 23) | ((p3 & ((1 << 41) - 1)) << 87);
    Some(if raw > 0 { (n_abs, frac) } else { (-n_abs - 1, !frac) })
}

/// `2^((N + f·2^-128)/2^18)·10^18 ≈ y·2^(k-67)` with `t1` = [`EXP_T1`], or
/// `2^((N + f·2^-128)/2^18) ≈ y·2^(k-126)` with `t1` = [`EXP_U1`]: `y` below it by less than
/// `9.4` and never above (see the module docs): `(y, k)`, for `|N| < 2^26`.
#[inline]
fn exp_core(t1: &[u128; 64], n: i64, f: u128) -> Option<(u128, i64)> {
    let k = n >> 18; // in [-61, 57] for exp
    let t1 = *t1.get(((n >> 12) & 63) as usize)?;
    let t2 = *EXP_T2.get(((n >> 6) & 63) as usize)?;
    let t3 = *EXP_T3.get((n & 63) as usize)?;
    // The table branch: P = T1·(1 + t2)(1 + t3) at scale 2^-67 (< 2^127.8).
    let t23 = t2 + t3 + mul_high_approx(t2, t3);
    let p = t1 + mul_high_approx(t1, t23);
    // e^r - 1 = Σ a_i·f^i (f < 1, a_i = (ln 2/2^18)^i/i!) at scale 2^-146 (< 2^127.5), Estrin:
    // a1·f + f²·(a2 + a3·f + a4·f²) + f⁴·f·(a5 + a6·f).
    let fh = (f >> 64) as u64;
    let e1 = mul_high_approx(f, EXP_A1);
    let fhl = mul64_shr(fh, f as u64, 64); // < 2^64
    let fh2 = u128::from(fh) * u128::from(fh);
    let f2 = fh2 + (fhl << 1); // f², scale 2^-128, below by < 3
    let f2h = (fh2 >> 64) as u64; // f², scale 2^-64, below by < 3
    let h3 = mul_high_approx(f, EXP_A3) >> 20;
    let h4 = mul64_shr(EXP_A4, f2h, 40); // a4·f², scale 2^-166
    let h = EXP_A2 + h3 + h4; // a2 + a3·f + a4·f², scale 2^-166 (< 2^128)
    let g = EXP_A5 + (mul64_shr(EXP_A6, fh, 64) as u64);
    let g = mul64_shr(g, fh, 64) as u64; // (a5 + a6·f)·f, scale 2^-163
    let f4 = mul64_shr(f2h, f2h, 64) as u64; // f⁴, scale 2^-64
    let t56 = mul64_shr(g, f4, 81); // scale 2^-146
    let e = e1 + (mul_high_approx(f2, h) >> 20) + t56;
    // y = P·(1 + e^r - 1): P·e/2^146 = (P·e/2^128)/2^18.
    let y = p + (mul_high_approx(p, e) >> 18);
    Some((y, k))
}

/// `e^x ≈ y·2^(k-126)` for `x = ±m·2^(e-127)` (`m < 2^128`, `e <= 6`: `|x| < 2^7`), the
/// exponential of [`Ball128`](crate::num::ball::Ball128) (see the module docs): `y` in
/// `[2^126, 2^127)` lies below `2^(v'/2^18)·2^(126-k)` by less than `9.4` and never above, for
/// a `v'` within `2.01·2^-128` of `x·2^18/ln 2`; `None` when `e > 6`.
#[inline]
pub(crate) fn exp_unit(negative: bool, m: u128, e: i32) -> Option<(u128, i64)> {
    if e > 6 {
        return None;
    }
    // v = |x|·2^18/ln 2 = m·K·2^(e-300), K = HI·2^64 + LO: in units 2^(e-236),
    // m·K/2^64 = (H·2^128 + L) + m·LO/2^64, the last term truncated (< 1 unit); m_hi·LO plus
    // the high word of m_lo·LO is below 2^128 - 2^65 + 2^64.
    let (h, l) = mul_wide(m, EXP_INV_LN2_HI);
    let t = (m >> 64) * u128::from(EXP_INV_LN2_LO) + (((m & LOW64) * u128::from(EXP_INV_LN2_LO)) >> 64);
    let (l, carry) = l.overflowing_add(t);
    let h = h + u128::from(carry); // m·K < 2^320: no overflow of H
    // v·2^128 = (H·2^128 + L) >> s with s = 108 - e >= 102; v < 2^25.6, so N = H >> s.
    let s = u32::try_from(108 - e).ok()?;
    let n_abs = h.checked_shr(s).unwrap_or(0) as i64;
    let f = if s < 128 {
        (h << (128 - s)) | (l >> s)
    } else {
        h.checked_shr(s - 128).unwrap_or(0)
    };
    let (n, f) = if negative { (-n_abs - 1, !f) } else { (n_abs, f) };
    exp_core(&EXP_U1, n, f)
}

/// One `ln` reduction step: `(1 + t·2^-128)·c/2^63 - 1` at scale `2^-128`, truncated, for
/// `t` in the bucket of `c`, where the result lies in `[0, 2^128)`: it is
/// `floor(t·c/2^63) + c·2^65 - 2^128`, and modulo `2^128` the sum is exact. With
/// `t = th·2^64 + tl`, `floor(t·c/2^63) = 2·th·c + floor(tl·c/2^63)`.
#[inline]
fn reduce(t: u128, c: u64) -> u128 {
    let c128 = u128::from(c);
    (((t >> 64) * c128) << 1)
        .wrapping_add(((t & LOW64) * c128) >> 63)
        .wrapping_add(c128 << 65)
}

/// The fast attempt at `ln x` for a positive raw `Wad` `raw ≠ 10^18` (see the module docs);
/// `None` when it cannot decide.
#[inline]
pub(crate) fn ln(raw: u128, rounding: Rounding) -> Option<Result<i128>> {
    let s = ln_fast_s(raw)?;
    // S·10^18 = hi·2^128 + lo exactly, lo in [0, 2^128): with S = sh·2^64 + sl (sh signed),
    // sh·10^18 is a signed product below 2^123 in magnitude and sl·10^18 below 2^124.
    let ten18 = u128::from(TEN18);
    let ph = i128::from((s >> 64) as i64) * i128::from(TEN18 as i64);
    let pl = u128::from(s as u64) * ten18;
    let (lo, carry) = pl.overflowing_add((ph as u128) << 64);
    let hi = (ph >> 64) + i128::from(carry);
    // The grid index is G = floor(S·10^18/2^121) = hi·2^7 + floor(lo/2^121) (toward -inf, for
    // either sign), and the position in the cell, scaled to 2^128, is pos = lo·2^7 mod 2^128.
    // The exact ln x·10^18 lies within e = 2^LN_FAST_ERR_BITS·10^18 units 2^-128 of it: it
    // is in (G, G + 1) when pos >= e and pos + e < 2^128 (it is never a grid point). With
    // P = floor(pos/2^64) and f = ceil(e/2^64), P in [f, 2^64 - 1 - f] is sufficient:
    // pos >= P·2^64 >= e and pos + e < (P + 1 + f)·2^64 <= 2^128.
    let top = (lo >> 57) as u64;
    let f = (TEN18 >> (64 - LN_FAST_ERR_BITS)) + 1; // 10^18 is not a multiple of 2^35
    if top.wrapping_sub(f) >= (2 * f).wrapping_neg() {
        return None;
    }
    let g = (hi << 7) + (lo >> 121) as i128; // |G| < 47·10^18
    Some(Ok(g + i128::from(matches!(rounding, Rounding::Ceil))))
}

/// `S ≈ ln(raw/10^18)·2^121` within `2^-100.5` (see the module docs), for a positive raw
/// `Wad` below `2^127`.
#[inline]
fn ln_fast_s(raw: u128) -> Option<i128> {
    let (b, l12, t) = ln_reduce(raw)?; // t < 2^-14
    // ln(1 + t) = t - t²/2 + t³·g, g = (1/3 - t/4) + t²·(1/5 - t/6), to about 2^-100.
    let (th, tl) = (t >> 64, t & LOW64); // th < 2^50
    let sq = th * th + ((th * tl) >> 63); // t², scale 2^-128, below by < 2
    let t78 = (t >> 50) as u64; // scale 2^-78
    let tsq = mul64_shr(t78, t78, 64) as u64; // t², scale 2^-92
    let tcube = mul64_shr(tsq, t78, 64) as u64; // scale 2^-106
    let a = G3_64 - (t78 >> 16); // 1/3 - t/4, scale 2^-64
    let b5 = G5_64 - mul64_shr(t78, G6_64, 78) as u64; // 1/5 - t/6
    let g = a + mul64_shr(tsq, b5, 92) as u64; // scale 2^-64, below 2^62
    // ln m = l + ln(1 + t) at scale 2^-121, each part truncated: t³·g = tcube·g/2^64 at
    // scale 2^-106.
    let ln_m = (l12 >> 7) + ((t >> 7) - (sq >> 8)) + (mul64_shr(tcube, g, 64) << 15);
    // S = K_b + ln m at scale 2^-121 (|S| < 47: below 2^126.6 in magnitude), signed.
    Some(*LN_K121.get(b)? + ln_m as i128)
}

/// The first two `ln` reduction levels for a positive raw `Wad` below `2^127`: `(b, l, t)`
/// with `ln(raw/10^18) = K_b + l·2^-128 + ln(1 + t·2^-128)` (`K_b` from [`LN_K`] or
/// [`LN_K121`]), `t < 2^114`, where `l` is below its exact value by less than `2` units and
/// `t` below the exactly reduced argument by less than `2` units (see the module docs).
#[inline]
fn ln_reduce(raw: u128) -> Option<(usize, u128, u128)> {
    if raw == 0 || raw >> 127 != 0 {
        return None;
    }
    // raw = m·2^b with m = xn·2^-127 in [1, 2), b = 127 - z in 0..=126.
    let z = raw.leading_zeros(); // 1..=127
    let xn = raw << z;
    let b = ((z ^ 127) & 127) as usize;
    let (c1, l1) = *LN_R1.get(((xn >> 120) & 127) as usize)?;
    // t = m·c1/2^63 - 1 = floor(xn·c1/2^62) - 2^128 (exact value in [0, 2^121)), modulo 2^128.
    let c = u128::from(c1);
    let t = (((xn >> 64) * c) << 2).wrapping_add(((xn & LOW64) * c) >> 62);
    let (c2, l2) = *LN_R2.get(((t >> 114) & 127) as usize)?;
    let t = reduce(t, c2);
    Some((b, l1 + l2, t))
}

/// The fast attempt at `x^p` for a positive raw `Wad` `x ≠ 10^18` and a non-zero raw `p`
/// for which `x^p` is not a grid point (see the module docs); `None` when it cannot decide,
/// when `|p| >= 2^100·10^-18` or when `p·ln x` lies in `[40.2, 47.1)`.
pub(crate) fn pow(x: u128, p: i128, rounding: Rounding) -> Option<Result<i128>> {
    let pm = p.unsigned_abs();
    if pm == 0 || pm >> POW_P_BITS != 0 {
        return None;
    }
    let (int, frac, ln_negative) = ln_approx(x)?;
    // A = P·K normalised to [2^127, 2^128): P·K = A·2^sa up to a relative 2^-127 (module
    // docs). P normalised has two limbs and K three: the 320-bit product is exact, each step
    // a limb product plus at most two limbs (below 2^128).
    let zp = pm.leading_zeros();
    let pn = pm << zp;
    let (a0, a1) = (pn & LOW64, pn >> 64);
    let [k0, k1, k2] = EXP_K.map(u128::from);
    let t = a0 * k0;
    let t = a0 * k1 + (t >> 64);
    let (p1, c) = (t & LOW64, t >> 64);
    let t = a0 * k2 + c;
    let (p2, p3) = (t & LOW64, t >> 64);
    let t = a1 * k0 + p1;
    let c = t >> 64;
    let t = a1 * k1 + p2 + c;
    let (p2, c) = (t & LOW64, t >> 64);
    let t = a1 * k2 + p3 + c;
    let (p3, p4) = (t & LOW64, t >> 64);
    // The product is pn·K in [2^318, 2^320): bits 192..320 are (p4, p3), bit 191 is p2's top.
    let top = (p4 << 64) | p3;
    let (a, sa) = if top >> 127 != 0 {
        (top, 192)
    } else {
        ((top << 1) | (p2 >> 63), 191)
    };
    // |ln x| = lm·2^-ls up to a relative 2^-127 (exact when the integer part is zero).
    let (lm, ls) = if int != 0 {
        let b = 64 - int.leading_zeros(); // 1..=6: |ln x| < 47
        ((u128::from(int) << (128 - b)) | (frac >> b), 128 - b)
    } else if frac != 0 {
        let z = frac.leading_zeros();
        (frac << z, 128 + z)
    } else {
        return None;
    };
    // v = p·ln x·2^18/ln 2 = pm·K·|ln x|·2^-233 = A·lm·2^-s, with s = 233 + zp + ls - sa:
    // s >= 233 + 28 + 122 - 192 = 191, and W = A·lm < 2^256.
    let (wh, wl) = mul_wide(a, lm);
    let s = 233 + zp + ls - sa;
    // The integer part of v (below 2^65 since s >= 191) and 128 bits of its fraction.
    let n_abs = if s >= 256 { 0 } else { wh >> (s - 128) };
    let t = s - 128;
    let f = if t >= 256 {
        0
    } else if t >= 128 {
        wh >> (t - 128)
    } else if t == 0 {
        wl
    } else {
        (wl >> t) | (wh << (128 - t))
    };
    let negative = ln_negative != (p < 0);
    // |v| >= 2^26 means |y| > 177: certainly beyond either bound.
    if n_abs >> 26 != 0 {
        return Some(if negative {
            underflow(rounding)
        } else {
            Err(crate::Error::Overflow)
        });
    }
    let n_abs = n_abs as i64;
    let (n, f) = if negative { (-n_abs - 1, !f) } else { (n_abs, f) };
    let k = n >> 18;
    if k < -61 {
        // y < -61·ln 2 + 2^-82 < ln(10^-18): 0 < x^p < 10^-18.
        return Some(underflow(rounding));
    }
    if k >= 68 {
        // y > 68·ln 2 - 2^-82 > ln(Wad::MAX).
        return Some(Err(crate::Error::Overflow));
    }
    if k > 57 {
        return None;
    }
    let (y, k) = exp_core(&EXP_T1, n, f)?;
    // Error of the exponent in u: 16·|p| from ln x (32·pc used), at most 2.78·(|k| + 1)
    // from the relative 2^-126 of the two normalisations (|y| < (|k| + 1)·ln 2). It moves
    // y < 2^127.8 by a relative D·u: at most 0.87·D units of 2^-67; the exp core adds its
    // own bound.
    let pc = (pm / u128::from(TEN18)) + 1;
    let d = LN_ERR * pc + 3 * u128::from(k.unsigned_abs() + 1);
    let q = decide128(y, d + EXP_ERR_LO, d + EXP_ERR_HI, u32::try_from(67 - k).ok()?)?;
    Some(signed_rounded(false, q, true, rounding))
}

/// A positive result below `10^-18`, rounded.
fn underflow(rounding: Rounding) -> Result<i128> {
    Ok(match rounding {
        Rounding::Floor => 0,
        Rounding::Ceil => 1,
    })
}

/// `|ln x| ≈ int + frac·2^-128` within `LN_ERR` units of `2^-128`, and whether `ln x < 0`,
/// for a positive raw `Wad` below `2^127`, not `10^18` (three reduction levels).
#[inline]
pub(crate) fn ln_approx(raw: u128) -> Option<(u64, u128, bool)> {
    let (b, l12, t) = ln_reduce(raw)?;
    let (k_int, k_frac) = *LN_K.get(b)?;
    let (c3, l3) = *LN_R3.get(((t >> 107) & 127) as usize)?;
    let t = reduce(t, c3); // < 2^-21
    // ln(1 + t) = t - t²/2 + t³·g, g = (1/3 - t/4) + t²·(1/5 - t/6) (Estrin).
    // t²/2: with t = th·2^64 + tl (th < 2^43), t²·2^-128 = th² + 2·th·tl·2^-64 + tl²·2^-128.
    let (th, tl) = (t >> 64, t & LOW64);
    let half_sq = (th * th + ((th * tl) >> 63)) >> 1;
    let t64 = u64::try_from(t >> 43).ok()?; // scale 2^-85
    let tsq = mul64_shr(t64, t64, 64) as u64; // scale 2^-106
    let tcube = mul64_shr(tsq, t64, 64) as u64; // scale 2^-127
    let a = G3.checked_sub(mul64_shr(t64, G4, 85) as u64)?;
    let b = G5.checked_sub(mul64_shr(t64, G6, 85) as u64)?;
    let g = a.checked_add(mul64_shr(tsq, b, 106) as u64)?; // scale 2^-65
    let ln1p = t.checked_sub(half_sq)?.checked_add(mul64_shr(tcube, g, 64))?;
    let ln_m = l12.checked_add(l3)?.checked_add(ln1p)?; // < ln 2
    // S = K_b + ln m = s_int + s_frac·2^-128; for S < 0 the one's complement is |S| - 2^-128.
    let (s_frac, carry) = k_frac.overflowing_add(ln_m);
    let s_int = k_int + i64::from(carry);
    let mask = s_int >> 63;
    Some(((s_int ^ mask) as u64, s_frac ^ (mask as u128), mask != 0))
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::super::consts::LN2;
    use super::super::exp::exp_fx;
    use super::super::fx::Fx;
    use super::super::ln::ln_fx;
    use super::*;

    type F5 = Fx<5>;

    /// `int + frac·2^-128` as an `Fx<5>`.
    fn fx_of(int: u64, frac: u128) -> F5 {
        F5 {
            limbs: [0, 0, frac as u64, (frac >> 64) as u64, int],
        }
    }

    /// `|a - b|` in units of `2^-192` (`u/2^64`), saturating.
    fn diff_192(a: &F5, b: &F5) -> u128 {
        let d = a.sub(b).or_else(|| b.sub(a)).unwrap();
        let [_, l1, l2, l3, l4] = d.limbs;
        if l3 != 0 || l4 != 0 {
            u128::MAX
        } else {
            (u128::from(l2) << 64) | u128::from(l1)
        }
    }

    use crate::num::math::test_gen::{Draw, SplitMix64};

    /// The generic `e^x·10^18·2^(67-k)`, scaled by `2^-128`, as an `Fx<5>`: compared with
    /// `y·2^-128`.
    fn exp_ref(raw: i128, k: i64) -> F5 {
        let x = F5::from_wad_scaled(raw.unsigned_abs(), 0).unwrap();
        let e = exp_fx(raw < 0, &x, 1).unwrap();
        let m = e.m.mul_u64(TEN18).unwrap();
        let shift = i64::from(e.k) - k + 67 - 128;
        if shift >= 0 {
            m.shl(shift as u32).unwrap()
        } else {
            m.shr((-shift) as u32)
        }
    }

    /// `y·2^-128` as an `Fx<5>`.
    fn fx_y(y: u128) -> F5 {
        fx_of(0, y)
    }

    #[test]
    fn exp_error_within_bound() {
        let mut g = SplitMix64::new(7);
        let (mut below, mut above) = (0u128, 0u128);
        let span = (EXP_MAX_RAW - EXP_MIN_RAW) as u128;
        for i in 0..crate::num::math::test_gen::iterations(20_000) {
            let raw = match i % 4 {
                0 | 1 => EXP_MIN_RAW + g.below(span) as i128,
                2 => g.below(2_000_000_000) as i128 - 1_000_000_000,
                _ => g.below(1 << 70) as i128 * if i % 8 == 3 { 1 } else { -1 } / 1_000,
            };
            let Some((y, k)) = exp_approx(raw) else {
                assert_eq!(raw, 0);
                continue;
            };
            // Differences in units of 2^-64 of y's last place.
            let (a, r) = (fx_y(y), exp_ref(raw, k));
            if a <= r {
                below = below.max(diff_192(&a, &r))
            } else {
                above = above.max(diff_192(&a, &r))
            }
        }
        std::println!(
            "worst exp error: below {} above {} units/1024",
            below >> 54,
            above >> 54
        );
        // y is below the exact value by less than 9.4 units (EXP_ERR_HI) and above it by
        // less than 2^-18 (EXP_ERR_LO).
        assert!(
            below < (EXP_ERR_HI << 64) && above < (EXP_ERR_LO << 64),
            "{below} {above}"
        );
    }

    #[test]
    fn exp_unit_error_within_bound() {
        // x = ±m·2^(e-127) with |x| < 64 (the generic exp_fx's range) and tiny ones: y·2^(k-126)
        // against the generic e^x at 256 bits, in units of 2^-64 of y's last place. The
        // reduction's error (below 2.01·2^-128 of v, a relative 2^-145.5 of the result: 2^-19.5
        // units) is inside the margin.
        let mut g = SplitMix64::new(17);
        let (mut below, mut above) = (0u128, 0u128);
        for i in 0..crate::num::math::test_gen::iterations(20_000) {
            let m = (u128::from(g.next_u64()) << 64 | u128::from(g.next_u64())) | 1 << 127;
            let e = 5 - g.below(if i % 4 == 0 { 140 } else { 12 }) as i32;
            let negative = i % 2 == 1;
            let (y, k) = exp_unit(negative, m, e).unwrap();
            assert!(y >> 126 == 1, "{m} {e}");
            // x as an Fx<5> (exact: m's 128 bits shifted into 256 fractional bits).
            let x = fx_of(0, m).shl(1).unwrap();
            let x = if e >= 0 {
                x.shl(e as u32).unwrap()
            } else {
                x.shr((-e) as u32)
            };
            let r = exp_fx(negative, &x, 1).unwrap();
            let shift = i64::from(r.k) - k - 2;
            let reference = if shift >= 0 {
                r.m.shl(shift as u32).unwrap()
            } else {
                r.m.shr((-shift) as u32)
            };
            let a = fx_y(y);
            if a <= reference {
                below = below.max(diff_192(&a, &reference));
            } else {
                above = above.max(diff_192(&a, &reference));
            }
        }
        std::println!(
            "worst exp_unit error: below {} above {} units/1024",
            below >> 54,
            above >> 54
        );
        // Below by less than 9.4 units (plus the reduction's 2^-19.5), never above but for it.
        assert!(below < (19 << 63) && above < 1 << 46, "{below} {above}");
    }

    #[test]
    fn ln_error_within_bound() {
        let mut g = SplitMix64::new(11);
        let mut worst = 0u128;
        for i in 0..crate::num::math::test_gen::iterations(20_000) {
            let raw = match i % 4 {
                0 | 1 => g.below(1 << 127).max(1) >> g.below(127),
                2 => 1_000_000_000_000_000_000 + g.below(2_000_000) - 1_000_000,
                _ => g.below(1 << 127).max(1),
            }
            .max(1);
            if raw == 1_000_000_000_000_000_000 {
                continue;
            }
            let (int, frac, negative) = ln_approx(raw).unwrap();
            let r = ln_fx::<5>(raw).unwrap();
            assert_eq!(negative, r.negative, "{raw}");
            worst = worst.max(diff_192(&fx_of(int, frac), &r.mag));
        }
        // The analysis gives 16 u; pow uses 32 u.
        assert!(worst < 16 << 64, "worst ln error {} u/2^64", worst);
        std::println!("worst ln error: {} u/1024", worst >> 54);
    }

    #[test]
    #[cfg_attr(
        miri,
        ignore = "checks every table entry with wide arithmetic: hours under Miri; the other tests run the same code paths"
    )]
    fn exp_tables_match_generic_path() {
        let ln2 = F5::from_const(LN2.0, &LN2.1);
        for (table, div) in [(&EXP_T2, 4096u64), (&EXP_T3, 262_144)] {
            for (j, &t) in table.iter().enumerate() {
                let x = ln2.mul_u64(j as u64).unwrap().div_u64(div).unwrap();
                let e = exp_fx(false, &x, 2).unwrap();
                let reference = e.m.shl(e.k as u32).unwrap();
                // Truncated entry: below the true value by less than 1 u.
                let d = diff_192(&fx_of(1, t), &reference);
                assert!(
                    d < 1 << 64 && fx_of(1, t) <= reference.add_ulps(1 << 8).unwrap(),
                    "{div} {j}"
                );
            }
        }
        for (j, &t) in EXP_U1.iter().enumerate() {
            // 2^(j/64)·2^126, compared at scale 2^-128: below by less than 1 unit.
            let x = ln2.mul_u64(j as u64).unwrap().div_u64(64).unwrap();
            let e = exp_fx(false, &x, 2).unwrap();
            let reference = e.m.shl(e.k as u32).unwrap().shr(2);
            let d = diff_192(&fx_of(0, t), &reference);
            assert!(
                d < 1 << 64 && fx_of(0, t) <= reference.add_ulps(1 << 8).unwrap(),
                "U1 {j}"
            );
        }
        // K = floor(2^191/ln 2): K·ln 2 <= 2^191 < (K + 1)·ln 2, at 256 bits (ln 2 within an
        // ulp of 2^-256, times K < 2^192: 2^-64).
        let k = F5 {
            limbs: [
                0,
                EXP_INV_LN2_LO,
                EXP_INV_LN2_HI as u64,
                (EXP_INV_LN2_HI >> 64) as u64,
                0,
            ],
        };
        let p = k.mul(&ln2).unwrap(); // K·ln 2·2^-192
        let half = F5::ONE.shr(1); // 2^191·2^-192
        assert!(p < half && p.add(&ln2.shr(192)).unwrap().add_ulps(2).unwrap() >= half);
        for (j, &t) in EXP_T1.iter().enumerate() {
            // 2^(j/64)·10^18·2^67, compared at scale 2^-128: below by less than 1 unit.
            let x = ln2.mul_u64(j as u64).unwrap().div_u64(64).unwrap();
            let e = exp_fx(false, &x, 2).unwrap();
            let reference = e.m.mul_u64(TEN18).unwrap().shr((61 - e.k) as u32);
            let d = diff_192(&fx_of(0, t), &reference);
            assert!(
                d < 1 << 64 && fx_of(0, t) <= reference.add_ulps(1 << 8).unwrap(),
                "T1 {j}"
            );
        }
    }

    #[test]
    fn decide128_is_asymmetric() {
        // y = 5.5·2^10: exact in [y - lo, y + hi].
        let y = 11 << 9;
        assert_eq!(decide128(y, 1, 6, 10), Some(5));
        assert_eq!(decide128(y, 1, 512, 10), None); // reaches 6·2^10
        assert_eq!(decide128(y, 513, 1, 10), None); // crosses 5·2^10
        assert_eq!(decide128(y, 512, 1, 10), Some(5)); // down to 5·2^10 exactly: still 5
        assert_eq!(decide128(7, 100, 1, 128), Some(0));
        assert_eq!(decide128(u128::MAX, 0, 1, 64), None);
    }

    #[test]
    fn fast_ln_error_within_bound() {
        let mut g = SplitMix64::new(13);
        let mut worst = 0u128;
        for i in 0..crate::num::math::test_gen::iterations(20_000) {
            let raw = match i % 3 {
                0 => g.below(1 << 127).max(1) >> g.below(127),
                1 => 1_000_000_000_000_000_000 + g.below(2_000_000) - 1_000_000,
                _ => g.below(1 << 127),
            }
            .max(1);
            if raw == 1_000_000_000_000_000_000 {
                continue;
            }
            let s = ln_fast_s(raw).unwrap();
            let r = ln_fx::<5>(raw).unwrap();
            assert_eq!(s < 0, r.negative, "{raw}");
            let m = s.unsigned_abs();
            let d = diff_192(&fx_of((m >> 121) as u64, m << 7), &r.mag);
            worst = worst.max(d);
        }
        // The analysis gives 2^-100.5 (2^91.5 units of 2^-192); the decision uses 2^-99.
        std::println!("worst fast ln error: below 2^-{}", 192 - (128 - worst.leading_zeros()));
        assert!(worst < 1 << 92, "{worst}");
    }

    #[test]
    fn ln_constants_match_generic_path() {
        for (b, (&(int, frac), &k121)) in LN_K.iter().zip(LN_K121.iter()).enumerate() {
            // K_b = b·ln 2 - 18·ln 10 = ln(2^b/10^18), the generic ln of the raw value 2^b.
            let r = ln_fx::<5>(1u128 << b).unwrap();
            // |K_b| as an integer part and a fraction at scale 2^-128.
            let (mi, mf) = if int < 0 {
                // -(int + frac·2^-128) = (-int - 1) + (2^128 - frac)·2^-128.
                ((-int - 1) as u64, frac.wrapping_neg())
            } else {
                (int as u64, frac)
            };
            assert_eq!(r.negative, int < 0, "{b}");
            let d = diff_192(&fx_of(mi, mf), &r.mag);
            assert!(d < 2 << 64, "K {b}");
            // The 2^-121 entry is the floor of the 2^-128 one.
            let full = (i128::from(int) << 121) + (frac >> 7) as i128;
            assert_eq!(k121, full, "K121 {b}");
        }
    }

    #[test]
    #[cfg_attr(
        miri,
        ignore = "checks every table entry with wide arithmetic: hours under Miri; the other tests run the same code paths"
    )]
    fn ln_tables_are_consistent() {
        for (level, shift) in [(&LN_R1, 7u32), (&LN_R2, 14), (&LN_R3, 21)] {
            for (j, &(c, l)) in level.iter().enumerate() {
                // c = ceil(2^63 / (1 + j·2^-shift)).
                let den = (1u128 << shift) + j as u128;
                let num = 1u128 << (63 + shift);
                assert!(
                    u128::from(c) * den >= num && (u128::from(c) - 1) * den < num,
                    "{shift} {j}"
                );
                // e^l · c / 2^63 = 1 within about 1 u (l is truncated).
                let e = exp_fx(false, &fx_of(0, l), 2).unwrap();
                let p = e.m.mul_u64(c).unwrap().shr(63).shl(e.k as u32).unwrap();
                assert!(diff_192(&p, &F5::ONE) < 2 << 64, "{shift} {j}");
            }
        }
    }
}
