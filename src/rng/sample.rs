//! Samplers on top of [`Rng::next_u64`]: exact integer arithmetic only, each with its formula,
//! its rounding and the number of 64-bit draws it consumes, so that any implementation with
//! the same generator gives the same values.

use core::num::NonZeroU128;

use super::Rng;
use crate::num::TEN18_U128;
use crate::num::math::sqrt::isqrt_wide;
use crate::num::u256::{div_rem, div_rem_wide, mul_wide};
use crate::{Error, Result, Rounding, Wad};

/// The largest number of degrees of freedom [`Rng::student_t`] accepts.
pub const MAX_NU: u32 = 1000;
// The whys of `nu` (here and in the GARCH parameters) state this bound.
const _: () = assert!(MAX_NU == 1000);

/// `10^36`: the square of one wad in raw units squared.
const SCALE2_U: u128 = TEN18_U128 * TEN18_U128;

impl Rng {
    /// A uniform integer in `[0, n)`, exactly unbiased (Lemire, "Fast random integer
    /// generation in an interval", ACM TOMS 2019).
    ///
    /// With `t = 2^64 mod n`: draw `u = next_u64()`, form the 128-bit product `m = u·n`; if
    /// `m mod 2^64 >= t` return `⌊m / 2^64⌋`, else draw again. Each rejected `u` costs one
    /// more draw; a draw is rejected with probability `t/2^64 < n/2^64` (never when `n` is a
    /// power of two), so the expected number of draws is below 2. (Lemire's lazy computation
    /// of `t` only when `m mod 2^64 < n` rejects exactly the same draws.)
    ///
    /// `Invalid { what: "n" }` when `n = 0`.
    pub fn below(&mut self, n: u64) -> Result<u64> {
        let t = n
            .wrapping_neg()
            .checked_rem(n)
            .ok_or(Error::invalid("n", "must be > 0 ([0, 0) is empty)"))?;
        let n = u128::from(n);
        loop {
            let m = u128::from(self.next_u64()).wrapping_mul(n);
            // Both halves of a 128-bit value: the truncations are the point.
            #[allow(clippy::cast_possible_truncation)]
            let (high, low) = ((m >> 64) as u64, m as u64);
            if low >= t {
                return Ok(high);
            }
        }
    }

    /// A uniform integer in `[0, n)` for `n >= 2^64` (the wide case of [`Rng::range`]):
    /// Lemire's method on 128 bits. `u = next_u64()·2^64 + next_u64()` (the first draw is
    /// the high word), `m = u·n` (256 bits), `t = 2^128 mod n`; accept when `m mod 2^128 >=
    /// t` and return `⌊m / 2^128⌋`, else draw two more words.
    fn below_wide(&mut self, n: NonZeroU128) -> u128 {
        let t = n.get().wrapping_neg() % n;
        loop {
            let high = u128::from(self.next_u64());
            let u = (high << 64) | u128::from(self.next_u64());
            let (m_high, m_low) = mul_wide(u, n.get());
            if m_low >= t {
                return m_high;
            }
        }
    }

    /// A uniform grid point of `[0, 1)`: `⌊u·10^18 / 2^64⌋` (raw units) with `u = next_u64()`,
    /// exact. One draw. The result is below `p` (on the grid, `0 <= p <= 1`) with probability
    /// exactly `⌈p·2^64⌉ / 2^64`, within `2^-64` of `p`.
    pub fn unit(&mut self) -> Wad {
        let raw = u128::from(self.next_u64()).wrapping_mul(TEN18_U128) >> 64;
        // raw < 10^18 fits any integer type.
        Wad::from_raw(i128::try_from(raw).unwrap_or(0))
    }

    /// A grid point of `(0, 1)`: [`Rng::unit`] drawn again while it is `0` (that is, while
    /// `u <= 18`, since `u·10^18 < 2^64` exactly for `u <= 18`: probability `19/2^64` per
    /// draw). Its law is that of `unit` given `unit > 0`; the result lies in
    /// `[1e-18, 1 − 1e-18]`.
    pub fn open_unit(&mut self) -> Wad {
        loop {
            let u = self.unit();
            if !u.is_zero() {
                return u;
            }
        }
    }

    /// A uniform grid point of `[lo, hi)`: `lo + k·1e-18` with `k` uniform in `[0, w)`, `w =
    /// (hi − lo)/1e-18` the width in raw units. `k` is [`Rng::below`]`(w)` when `w < 2^64`
    /// (width below about 18.45), else the 128-bit form of the same method (two draws per
    /// attempt, high word first: see `below_wide` in the source). Exactly uniform.
    ///
    /// `Invalid { what: "hi" }` unless `lo < hi`.
    pub fn range(&mut self, lo: Wad, hi: Wad) -> Result<Wad> {
        if lo >= hi {
            return Err(Error::invalid("hi", "must be > lo"));
        }
        let width = hi.raw().abs_diff(lo.raw());
        let k = match u64::try_from(width) {
            Ok(w) => u128::from(self.below(w)?),
            Err(_) => self.below_wide(NonZeroU128::new(width).ok_or(Error::invalid("hi", "must be > lo"))?),
        };
        // lo + k < hi: it fits.
        lo.raw()
            .checked_add_unsigned(k)
            .map(Wad::from_raw)
            .ok_or(Error::Overflow)
    }

    /// `true` with probability `⌈p·2^64⌉ / 2^64` (within `2^-64` of `p`): [`Rng::unit`]`() < p`.
    /// Always one draw, also for `p = 0` (never) and `p = 1` (always).
    ///
    /// `Invalid { what: "p" }` unless `0 <= p <= 1`.
    pub fn bernoulli(&mut self, p: Wad) -> Result<bool> {
        if p.is_negative() || p > Wad::ONE {
            return Err(Error::invalid("p", "must be in [0, 1]"));
        }
        Ok(self.unit() < p)
    }

    /// A standard normal variate by the inverse-CDF method: `Φ⁻¹(`[`Rng::open_unit`]`())`,
    /// the exact quantile rounded toward negative infinity ([`Wad::norm_inv`] with
    /// [`Rounding::Floor`], correctly rounded). One draw (but for `open_unit`'s rare redraw).
    /// The result lies in `[-8.757290348782315064, 8.757290348782315063]`; its smallest non-zero
    /// magnitude is `2e-18` (from `p = 0.5 + 1e-18`), and it is `0` only for `p = 0.5`.
    ///
    /// The errors of `norm_inv` cannot occur (`open_unit` is inside its domain); the `Result`
    /// is kept so that a caller never needs to unwrap.
    pub fn normal(&mut self) -> Result<Wad> {
        self.open_unit().norm_inv(Rounding::Floor)
    }

    /// A Student-t variate with `ν = nu` degrees of freedom (fat tails for shock
    /// innovations): `T = Z / √(V/ν)`, `V = Z_1² + … + Z_ν²`, exactly as follows (raw values
    /// are integers, units `1e-18`):
    ///
    /// 1. `Z` = [`Rng::normal`]`()` first, then `Z_1, …, Z_ν` = `ν` further `normal()` draws;
    /// 2. `S = ⌊(Z_1² + … + Z_ν²) / ν⌋` on the raw values (the mean square in units `1e-36`;
    ///    the sum is exact, the division floors). If `S = 0` (every `|Z_i|` tiny: probability
    ///    below `10^-17`), the `ν` draws `Z_1, …, Z_ν` are made again (`Z` is kept);
    /// 3. `T = Z / √(S·10^-36)`, the exact value rounded once toward negative infinity: its
    ///    magnitude `⌊√(Z²·10^36 / S)⌋` raw (exact integer square root of the exact quotient)
    ///    when `Z >= 0`, and `-⌈√(Z²·10^36 / S)⌉` when `Z < 0`.
    ///
    /// So `T` has the sign of `Z` (or is `0` with it), and `|T| <= 8.76·10^18` (since `S >=
    /// 1`): no overflow. Draws: `ν + 1` normals (more only on a redraw).
    ///
    /// `Invalid { what: "nu" }` unless `1 <= nu <= `[`MAX_NU`]` = 1000`.
    pub fn student_t(&mut self, nu: u32) -> Result<Wad> {
        if nu == 0 || nu > MAX_NU {
            return Err(Error::invalid("nu", "must be in [1, 1000] (MAX_NU)"));
        }
        let z = self.normal()?;
        let s = loop {
            let s = self.mean_square(nu)?;
            if let Some(s) = NonZeroU128::new(s) {
                break s;
            }
        };
        // N = Z²·10^36 < (8.76·10^18)²·10^36 < 2^246 (|Z| < 8.76).
        let z_abs = z.raw().unsigned_abs();
        let (n_high, n_low) = mul_wide(z_abs.checked_mul(z_abs).ok_or(Error::Overflow)?, SCALE2_U);
        // q = ⌊N / S⌋ as a 256-bit number (long division by a 128-bit divisor).
        let (q_high, r) = div_rem(n_high, s);
        let (q_low, r) = div_rem_wide(r, n_low, s.get()).ok_or(Error::Overflow)?;
        // ⌊√(N/S)⌋ = ⌊√q⌋ (for an integer t, t² <= N/S iff t² <= q); q < 2^246.
        let t = isqrt_wide(q_high, q_low);
        let exact = r == 0 && mul_wide(t, t) == (q_high, q_low);
        let t = i128::try_from(t).map_err(|_| Error::Overflow)?;
        if z.is_negative() {
            let t = if exact {
                t
            } else {
                t.checked_add(1).ok_or(Error::Overflow)?
            };
            t.checked_neg().map(Wad::from_raw).ok_or(Error::Overflow)
        } else {
            Ok(Wad::from_raw(t))
        }
    }

    /// `⌊(Z_1² + … + Z_ν²) / ν⌋` on raw values for `ν` fresh normals (the sum in 256 bits).
    fn mean_square(&mut self, nu: u32) -> Result<u128> {
        let (mut high, mut low) = (0u128, 0u128);
        for _ in 0..nu {
            let z = self.normal()?.raw().unsigned_abs();
            // |Z| < 8.76·10^18 < 2^63.3: the square fits.
            let (sum, carry) = low.overflowing_add(z.checked_mul(z).ok_or(Error::Overflow)?);
            low = sum;
            high = high.checked_add(u128::from(carry)).ok_or(Error::Overflow)?;
        }
        // The mean of squares below 2^127 fits: the quotient is below 2^128.
        div_rem_wide(high, low, u128::from(nu))
            .map(|(q, _)| q)
            .ok_or(Error::invalid("nu", "must be in [1, 1000] (MAX_NU)"))
    }
}
