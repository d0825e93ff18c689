//! The standard normal distribution: `Φ` (`norm_cdf`), `φ` (`norm_pdf`) and `Φ⁻¹`
//! (`norm_inv`), correctly rounded.
//!
//! Each result is the exact value rounded once to the 1e-18 grid. Values are in `[0, 1]`
//! (`Φ`, `φ`) or about `[-8.76, 8.76]` (`Φ⁻¹`), so only absolute precision matters. Below,
//! `x = X/10^18` is the exact argument, `u` is one ulp (`2^-F`) of the working format.
//!
//! # Shortcuts (checked with mpmath at 60 digits)
//!
//! - `Φ`: for `|x| >= 9`, `0 < 1 - Φ(|x|) = Φ(-|x|) <= Φ(-9) = 1.1286e-19 < 10^-18`: `Φ(x)`
//!   for `x <= -9` floors to `0` and ceils to `10^-18`; for `x >= 9` it floors to
//!   `1 - 10^-18` and ceils to `1`. `Φ(0) = 1/2` exactly.
//! - `φ`: for `|x| >= 9.03`, `0 < φ(x) <= φ(9.03) = 7.844e-19 < 10^-18` (`φ(x) = 10^-18` at
//!   `x = 9.00307`): floor `0`, ceil `10^-18`.
//! - `Φ⁻¹`: `p = 1/2` gives `0` exactly; `p` outside `(0, 1)` is a domain error. For
//!   `p = 1 - 10^-18`, `Φ⁻¹(p) = 8.75729…`, so every result is in `(-8.76, 8.76)`.
//!
//! Every other value is transcendental (`Φ(x)` and `φ(x)` for rational `x ≠ 0`; `Φ⁻¹(p)`
//! for rational `p ≠ 1/2`), hence never on the grid, which [`round_to_grid`] requires.
//!
//! # The fast path (first attempt, 128 bits)
//!
//! A table holds `Φ(x0)` and `φ(x0)` for `x0 = j/16`, `j = 0..=144`, truncated to 128 bits
//! (error `< 1u` each, `u = 2^-128`). For `0 <= x < 9.03125`, `j = round(16x)` and
//! `h = x - x0`, so `|h| <= 1/32`, `A = x0·h` with `|A| <= 9/32`, `B = h²` with
//! `B <= 2^-10`. With `φ'' = -xφ' - φ`, the Taylor series about `x0` (entire, so
//! convergent) are
//!
//! - `φ(x0 + h) = φ(x0)·Σ_{n>=0} f_n`, `f_0 = 1`, `f_1 = -A`,
//!   `f_(n+1) = -(A·f_n + B·f_(n-1))/(n+1)`;
//! - `Φ(x0 + h) = Φ(x0) + φ(x0)·Σ_{k>=1} d_k`, `d_1 = h`,
//!   `d_(k+2) = -(A·(k+1)·d_(k+1) + B·k·d_k)/((k+1)(k+2))`.
//!
//! Both recurrences give `|t_i| <= (|A| + B)/i · max(|t_(i-1)|, |t_(i-2)|)` with `|A| + B
//! < 0.283`, so `|d_k| <= |h| <= 1/32` and `|f_n| <= |A| < 0.29` (`n >= 1`), and once two
//! consecutive terms are below a bound every later term is below it too.
//!
//! **Tail.** The sums stop at the first index `K >= 2` where the last two computed terms
//! are below `2^τ` ulps. If `M` bounds the last two true terms, the later ones are at most
//! `c·M`, `c·M`, `c²·M`, `c²·M`, … with `c = 0.283/3 < 0.1`: the tail is at most
//! `2Mc/(1-c) < 0.21·M`. `τ = τ0 + s` where `φ(x0) < 2^-s` and `τ0 = 50`: the omitted
//! tail, multiplied by `φ(x0)`, is worth below `0.21·2^τ0 + 2` ulps of the result.
//!
//! **Inputs.** `h` is within `2u` (a multiplication by a two-word `2^128/10^18`), `A =
//! floor(h̃·j/16)` within `19u`, `B = h̃²` within `2u`; products truncate (`< 1u`), integer
//! multiples are exact, divisions by small integers use reciprocals (`< 2u`).
//!
//! **Terms of Φ, 128 bits.** The error `ε_k` of `d_k` obeys `ε_1 < 2` and `ε_(k+2) <=
//! (|A|·ε_(k+1) + |d_(k+1)|·19 + 1 + B·ε_k + |d_k|·2 + 1)/(k+2) + 2 <= (0.283·max ε +
//! 2.7)/2 + 2`, whose fixed point is below 4: `ε_k <= 4`.
//!
//! **Terms of φ, 128 bits.** `ε_1 <= 19`, `ε_2 <= (0.283·19 + 0.29·19 + 1 + 2)/2 + 2 < 10`,
//! and for `n >= 2`, `ε_(n+1) <= (0.283·ε_n + 0.29·19 + 1 + B·ε_(n-1) + 0.29·2 + 1)/3 + 2 <
//! 7`: `ε_n <= 19`.
//!
//! **64-bit tail.** Once the last two terms are below `2^-23` (and `|A| < 1/2`), the
//! recurrences go on in `i64` mantissas of scale `2^-85` (one unit is `2^43 u`): the two
//! terms are truncated into it (`< 1` unit), `A` and `B` are truncated to 64 fractional bits
//! (`< 2^-64`, times a term `< 2^-21`: below 1 unit), each product and each division by a
//! reciprocal `floor(2^64/n)` adds below 1 and 2 units. From index 3 on the divisors are at
//! least 3, so a term's error is at most `(0.284·ε + 4)/3 + 4`, i.e. below 6 units, and the
//! `K_t` tail terms (summed exactly) are within `6·K_t` units; the stopping rule and its
//! bound are the same (the threshold `2^τ` is at least `2^50 u`, many units).
//!
//! **Result.** `Φ̃(x0) ± φ̃(x0)·|Σ|` adds `1u` (table), `|Σ|·1u` (`φ(x0)`'s table error,
//! `|Σ| < 1`) and `1u` (product) to `φ(x0) <= 2^-s <= 1/2` times the sum's error. With
//! `K_h` terms in 128 bits and `K_t` in the tail, that error is at most `4·K_h` (`19·K_h`
//! for `φ`), plus `(6·K_t + 6)·2^43` for the tail terms and the tail bound's slack (halved
//! by `φ(x0)`: below `(K_t + 1)·2^45`), plus the omitted tail (below `0.21·2^τ0 + 2` after
//! scaling). In all: within `4·K_h + 2^τ0 + 8 + (K_t + 1)·2^45` ulps for `Φ` and
//! `20·K_h + 2^τ0 + 8 + (K_t + 1)·2^45` for `φ` (`Sum::err` in `series`).
//!
//! A negative argument uses `Φ(-x) = 1 - Φ(x)` (exact subtraction, same absolute error)
//! and `φ(-x) = φ(x)`. The rounding (`q128::decide`) takes the interval `[v - e, v + e]`
//! and rounds only when it lies inside one grid cell. With `e` near `2^51 u`, an attempt
//! fails to decide with probability about `2·2^(51-128)·10^18 ≈ 2^-16` (about 3 in 10^5
//! were seen on random arguments), and then the direct path takes over.
//!
//! # The direct path (256, 512, 1024 bits)
//!
//! `q = floor(X²·2^(F-3)/10^36)/2^F` is `x²/8` within `1u` (one long division: `X² <
//! 2^127`), so `x²/2` and `y = x²` are within `4u` and `8u`, from below.
//!
//! **φ.** [`exp_fx`](super::exp::exp_fx) gives `e^(-x²/2) = μ·2^k`, `μ ∈ (1/2, 1]`,
//! `k <= 0`, with `m̃` within `e` ulps of `μ`. `M̃ = m̃·c̃` (`c = 1/√(2π)` within `1u`) is
//! within `c·e + μ + 1 <= 0.4e + 2` ulps of `M = μc ∈ (0.19, 0.4]`: `φ(x) = M·2^k`.
//!
//! **Φ.** `Φ(x) = 1/2 + φ(x)·S(x)`, `S(x) = Σ_m x^(2m+1)/(1·3···(2m+1)) = x·r(y)`,
//! `r(y) = Σ_m y^m/(3·5···(2m+1))`. Since `(2m+1)!! >= 2^m·m!`, the terms of `r` are at most
//! `(y/2)^m/m!`; with `a = ceil(x²/2)`, an upper bound `b_m >= a^m/m!` (truncated products
//! plus one ulp) finds the first `m = K + 1` with `b_m <= 3u` and `m + 1 >= 2a`, after which
//! the ratio of consecutive terms is at most `1/2`: the tail beyond term `K` is below `6u`.
//! Horner, `r_n = 1 + ỹ·r_(n+1)/(2n+3)` from `r_K = 1`, keeps `r_n >= 1` and `r_(n+1) <=
//! r_n`, so its absolute errors are relative ones: `a_n <= (y·a_(n+1) + 8·r_(n+1) + 1)/
//! (2n+3) + 1 <= r_n·(a_(n+1)/r_(n+1) + 4)`, i.e. `r̃_0` is within `(4K + 6)·r_0` ulps
//! (with the tail). Then `T = x̃·r̃` is within `x·r·(4K + 6) + r + 1`, `M̃·T̃` within
//! `M·(x·r·(4K+6) + r + 1) + x·r·err_M + 1`, and the shift by `2^k` adds `1u`. Using `P =
//! φ·S = 2^k·M·x·r <= 1/2`, `2^k·M·r = P/x <= φ(0) < 0.4`, `2^k·M <= 0.4` and `2^k·x·r·
//! err_M = P·err_M/M <= 2.7·err_M`: `P` is within `2K + 3 + 0.8 + 2.7·err_M + 2` ulps,
//! bounded by `2K + 3·err_M + 24`. Then `Φ(x) = 1/2 + P` (exact addition).
//!
//! # The inverse
//!
//! For `p > 1/2` (else `Φ⁻¹(p) = -Φ⁻¹(1 - p)`, exact since `1 - p` is on the grid) the
//! result lies in `(Y, Y + 1)` (raw units) for the one grid point `Y >= 0` with `Φ(Y) < p <
//! Φ(Y + 1)` (`Φ` is increasing and `Φ⁻¹(p)` is not on the grid). Each comparison of `Φ` at
//! a grid point with `p` is decided exactly by the correctly rounded `norm_cdf` (see
//! `inv::below`). A fast approximation (the table bracket, then Halley's method on the
//! series of the fast path) proposes `Y`; two comparisons confirm it, or `Y` moves by one
//! (up to four times) and, should that ever fail, a bisection over `[0, 9]` finds it.
//!
//! [`round_to_grid`]: super::fx::round_to_grid

mod direct;
mod inv;
mod q128;
mod series;
mod table;

use super::fx::Fx;
use super::{Attempt, finish, ziv};
use crate::{Error, Result, Rounding, Wad};

/// `9` in raw units: from here on `Φ(-|x|) < 10^-18`.
const CDF_TAIL_RAW: u64 = 9_000_000_000_000_000_000;
/// `9.03` in raw units: from here on `φ(x) < 10^-18`.
const PDF_TAIL_RAW: u64 = 9_030_000_000_000_000_000;
/// `1/2` in raw units.
const HALF_RAW: i128 = Wad::SCALE / 2;

/// The floor or ceiling of a positive value below `10^-18`.
fn tiny(rounding: Rounding) -> Wad {
    match rounding {
        Rounding::Floor => Wad::ZERO,
        Rounding::Ceil => Wad::EPSILON,
    }
}

/// `Φ(±X/10^18)` for `0 < X < 9·10^18`.
struct CdfOf {
    x: u64,
    negative: bool,
    rounding: Rounding,
}

impl Attempt for CdfOf {
    fn at<const N: usize>(&self, last: bool) -> Option<Result<i128>> {
        if N == 3 {
            let (v, err) = series::cdf_fast(self.x)?;
            // 1 - v for v in [1/2, 1): 2^128 - v.
            let v = if self.negative { 0u128.wrapping_sub(v) } else { v };
            return q128::decide(v, err, self.rounding).map(Ok);
        }
        let (v, err) = direct::cdf::<N>(self.x)?;
        let v = if self.negative { Fx::<N>::ONE.sub(&v)? } else { v };
        finish(&v, err, 0, false, self.rounding, last)
    }
}

/// `φ(X/10^18)` for `X < 9.03·10^18`.
struct PdfOf {
    x: u64,
    rounding: Rounding,
}

impl Attempt for PdfOf {
    fn at<const N: usize>(&self, last: bool) -> Option<Result<i128>> {
        if N == 3 {
            let (v, err) = series::pdf_fast(self.x)?;
            q128::decide(v, err, self.rounding).map(Ok)
        } else {
            let p = direct::pdf::<N>(self.x)?;
            finish(&p.m, p.err, p.k, false, self.rounding, last)
        }
    }
}

impl Wad {
    /// `Φ(self)`, the standard normal cumulative distribution function
    /// `Φ(x) = ∫_{-∞}^x e^(-t²/2) dt / √(2π)`, the exact value rounded once to the 1e-18 grid
    /// in direction `rounding`.
    ///
    /// Defined for every `self`; the result is in `[0, 1]`. `Φ(0) = 0.5` exactly; for
    /// `self <= -9` the result floors to `0` (ceils to `1e-18`), for `self >= 9` it floors to
    /// `0.999999999999999999` (ceils to `1`).
    ///
    /// ```
    /// use lce::{Rounding, Wad};
    /// assert_eq!(Wad::ONE.norm_cdf(Rounding::Floor)?.to_string(), "0.841344746068542948");
    /// assert_eq!(Wad::ONE.norm_cdf(Rounding::Ceil)?.to_string(), "0.841344746068542949");
    /// let x: Wad = "-1.96".parse()?;
    /// assert_eq!(x.norm_cdf(Rounding::Floor)?.to_string(), "0.024997895148220434");
    /// # Ok::<(), lce::Error>(())
    /// ```
    pub fn norm_cdf(self, rounding: Rounding) -> Result<Wad> {
        let raw = self.raw();
        if raw == 0 {
            return Ok(Wad::from_raw(HALF_RAW));
        }
        let negative = raw < 0;
        let mag = raw.unsigned_abs();
        if mag >= u128::from(CDF_TAIL_RAW) {
            return Ok(match (negative, rounding) {
                (true, r) => tiny(r),
                (false, Rounding::Floor) => Wad::from_raw(Wad::SCALE - 1),
                (false, Rounding::Ceil) => Wad::ONE,
            });
        }
        let x = u64::try_from(mag).map_err(|_| Error::Overflow)?;
        ziv(&CdfOf { x, negative, rounding }).map(Wad::from_raw)
    }

    /// `φ(self)`, the standard normal probability density `φ(x) = e^(-x²/2) / √(2π)`, the
    /// exact value rounded once to the 1e-18 grid in direction `rounding`.
    ///
    /// Defined for every `self`; the result is in `[0, 0.398942280401432678]`. For
    /// `|self| >= 9.03` it floors to `0` and ceils to `1e-18` (never an overflow).
    ///
    /// ```
    /// use lce::{Rounding, Wad};
    /// assert_eq!(Wad::ZERO.norm_pdf(Rounding::Floor)?.to_string(), "0.398942280401432677");
    /// assert_eq!(Wad::ZERO.norm_pdf(Rounding::Ceil)?.to_string(), "0.398942280401432678");
    /// assert_eq!(Wad::ONE.norm_pdf(Rounding::Floor)?.to_string(), "0.241970724519143349");
    /// # Ok::<(), lce::Error>(())
    /// ```
    pub fn norm_pdf(self, rounding: Rounding) -> Result<Wad> {
        let mag = self.raw().unsigned_abs();
        if mag >= u128::from(PDF_TAIL_RAW) {
            return Ok(tiny(rounding));
        }
        let x = u64::try_from(mag).map_err(|_| Error::Overflow)?;
        ziv(&PdfOf { x, rounding }).map(Wad::from_raw)
    }

    /// `Φ⁻¹(self)`, the inverse of the standard normal cumulative distribution function
    /// (the probit, or normal quantile), the exact value rounded once to the 1e-18 grid in
    /// direction `rounding`.
    ///
    /// Defined for `0 < self < 1`, else [`Error::Domain`] (`what: "x"`). `Φ⁻¹(0.5) = 0`
    /// exactly; results lie in `(-8.7573, 8.7573)`. `Φ(Φ⁻¹(p))` brackets `p`: the floor `y`
    /// satisfies `Φ(y) < p < Φ(y + 1e-18)`.
    ///
    /// ```
    /// use lce::{Rounding, Wad};
    /// let p: Wad = "0.975".parse()?;
    /// assert_eq!(p.norm_inv(Rounding::Floor)?.to_string(), "1.959963984540054235");
    /// assert_eq!(p.norm_inv(Rounding::Ceil)?.to_string(), "1.959963984540054236");
    /// let q: Wad = "0.025".parse()?;
    /// assert_eq!(q.norm_inv(Rounding::Floor)?.to_string(), "-1.959963984540054236");
    /// assert!(Wad::ONE.norm_inv(Rounding::Floor).is_err());
    /// # Ok::<(), lce::Error>(())
    /// ```
    pub fn norm_inv(self, rounding: Rounding) -> Result<Wad> {
        let p = self.raw();
        if p <= 0 || p >= Wad::SCALE {
            return Err(Error::Domain { what: "x" });
        }
        if p == HALF_RAW {
            return Ok(Wad::ZERO);
        }
        let upper = p > HALF_RAW;
        let q = if upper {
            p
        } else {
            Wad::SCALE.checked_sub(p).ok_or(Error::Overflow)?
        };
        let y = i128::from(inv::inv_upper(u64::try_from(q).map_err(|_| Error::Overflow)?)?);
        let y1 = y.checked_add(1).ok_or(Error::Overflow)?;
        let (lo, hi) = if upper {
            (y, y1)
        } else {
            (
                y1.checked_neg().ok_or(Error::Overflow)?,
                y.checked_neg().ok_or(Error::Overflow)?,
            )
        };
        Ok(Wad::from_raw(match rounding {
            Rounding::Floor => lo,
            Rounding::Ceil => hi,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rounding::{Ceil, Floor};

    const E18: i128 = 1_000_000_000_000_000_000;

    fn w(raw: i128) -> Wad {
        Wad::from_raw(raw)
    }

    /// `(x, floor, ceil)` of the exact value times 10^18, from mpmath at 80 digits:
    ///
    /// ```text
    /// from mpmath import mp, mpf, ncdf, npdf, erfinv, sqrt, floor, ceil; mp.dps = 80
    /// y = f(mpf(x) / 10**18) * 10**18; print(x, int(floor(y)), int(ceil(y)))
    /// # f = ncdf, npdf, or lambda p: sqrt(2) * erfinv(2*p - 1)
    /// ```
    const CDF: [(i128, i128, i128); 15] = [
        (1, 500000000000000000, 500000000000000001),
        (-1, 499999999999999999, 500000000000000000),
        (1000000000000000000, 841344746068542948, 841344746068542949),
        (-1000000000000000000, 158655253931457051, 158655253931457052),
        (8999999999999999999, 999999999999999999, 1000000000000000000),
        (-8999999999999999999, 0, 1),
        (5000000000000000000, 999999713348428120, 999999713348428121),
        (-5000000000000000000, 286651571879, 286651571880),
        (1960000000000000000, 975002104851779565, 975002104851779566),
        (-1960000000000000000, 24997895148220434, 24997895148220435),
        (62500000000000000, 524917669029247221, 524917669029247222),
        (8937500000000000000, 999999999999999999, 1000000000000000000),
        (-123456789012345678, 450872694916970089, 450872694916970090),
        (-8757290348782315063, 1, 2),
        (3141592653589793238, 999159841831736625, 999159841831736626),
    ];
    const PDF: [(i128, i128, i128); 12] = [
        (0, 398942280401432677, 398942280401432678),
        (1, 398942280401432677, 398942280401432678),
        (1000000000000000000, 241970724519143349, 241970724519143350),
        (-1000000000000000000, 241970724519143349, 241970724519143350),
        (9029999999999999999, 0, 1),
        (-9029999999999999999, 0, 1),
        (9003065382489249652, 1, 2),
        (9003065382489249653, 0, 1),
        (8000000000000000000, 5052, 5053),
        (62500000000000000, 398163856686886585, 398163856686886586),
        (-123456789012345678, 395913580509040007, 395913580509040008),
        (9223372036854775808, 0, 1),
    ];
    const INV: [(i128, i128, i128); 11] = [
        (1, -8757290348782315064, -8757290348782315063),
        (999999999999999999, 8757290348782315063, 8757290348782315064),
        (499999999999999999, -3, -2),
        (500000000000000001, 2, 3),
        (975000000000000000, 1959963984540054235, 1959963984540054236),
        (25000000000000000, -1959963984540054236, -1959963984540054235),
        (2, -8678790422677741351, -8678790422677741350),
        (1000000000, -5997807015007686872, -5997807015007686871),
        (999999999000000000, 5997807015007686871, 5997807015007686872),
        (841344746068542948, 999999999999999997, 999999999999999998),
        (841344746068542949, 1000000000000000001, 1000000000000000002),
    ];

    fn check(f: fn(Wad, Rounding) -> Result<Wad>, cases: &[(i128, i128, i128)]) {
        for &(x, lo, hi) in cases {
            assert_eq!(f(w(x), Floor), Ok(w(lo)), "floor at {x}");
            assert_eq!(f(w(x), Ceil), Ok(w(hi)), "ceil at {x}");
        }
    }

    #[test]
    fn values_from_mpmath() {
        check(Wad::norm_cdf, &CDF);
        check(Wad::norm_pdf, &PDF);
        check(Wad::norm_inv, &INV);
    }

    #[test]
    fn exact_cases() {
        for r in [Floor, Ceil] {
            assert_eq!(Wad::ZERO.norm_cdf(r), Ok(w(E18 / 2)));
            assert_eq!(w(E18 / 2).norm_inv(r), Ok(Wad::ZERO));
        }
    }

    #[test]
    fn shortcuts_on_both_sides_of_the_thresholds() {
        // Φ: ±9 and beyond are shortcuts; ±(9 - 1e-18) are computed (CDF above).
        for x in [9 * E18, 9 * E18 + 1, 100 * E18, i128::MAX] {
            assert_eq!(w(x).norm_cdf(Floor), Ok(w(E18 - 1)));
            assert_eq!(w(x).norm_cdf(Ceil), Ok(Wad::ONE));
            assert_eq!(w(-x).norm_cdf(Floor), Ok(Wad::ZERO));
            assert_eq!(w(-x).norm_cdf(Ceil), Ok(Wad::EPSILON));
        }
        assert_eq!(Wad::MIN.norm_cdf(Floor), Ok(Wad::ZERO));
        // φ: ±9.03 and beyond; 9.03 - 1e-18 is computed (PDF above).
        for x in [9_030_000_000_000_000_000, 20 * E18, i128::MAX] {
            for x in [x, -x] {
                assert_eq!(w(x).norm_pdf(Floor), Ok(Wad::ZERO));
                assert_eq!(w(x).norm_pdf(Ceil), Ok(Wad::EPSILON));
            }
        }
        assert_eq!(Wad::MIN.norm_pdf(Ceil), Ok(Wad::EPSILON));
        // Φ⁻¹: the domain is the open interval (0, 1).
        for p in [0, -1, E18, E18 + 1, i128::MIN, i128::MAX] {
            assert_eq!(w(p).norm_inv(Floor), Err(Error::Domain { what: "x" }));
        }
    }

    #[test]
    fn inverse_brackets_the_argument() {
        // floor(Φ⁻¹(p)) = y with Φ(y) < p < Φ(y + 1e-18), decided by the correctly rounded Φ.
        let mut s: u64 = 0x1234_5678_9abc_def1;
        for _ in 0..200 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let p = i128::from(s % 999_999_999_999_999_999 + 1);
            let y = w(p).norm_inv(Floor).unwrap();
            assert_eq!(w(p).norm_inv(Ceil).unwrap().raw(), y.raw() + 1);
            assert!(y.norm_cdf(Floor).unwrap().raw() < p, "{p}");
            assert!(w(y.raw() + 1).norm_cdf(Floor).unwrap().raw() >= p, "{p}");
        }
    }

    #[test]
    fn inverse_fallback_finds_the_same_point() {
        // A wrong guess far away still ends at the right point (bisection).
        for &(p, lo, _) in &INV {
            if p > E18 / 2 {
                let q = u64::try_from(p).unwrap();
                assert_eq!(inv::bracket(q, 0).map(i128::from), Ok(lo), "{p}");
                assert_eq!(
                    inv::bracket(q, 8_000_000_000_000_000_000).map(i128::from),
                    Ok(lo),
                    "{p}"
                );
            }
        }
    }

    /// The table against the direct path at 256 bits: each entry is the truncation to 128
    /// bits of a value the direct path brackets.
    #[test]
    fn table_matches_direct_path() {
        for (j, &(c, p)) in table::TABLE.iter().enumerate() {
            let x = u64::try_from(j).unwrap() * series::STEP;
            let phi = direct::pdf::<5>(x).unwrap();
            let k = u32::try_from(-phi.k).unwrap();
            // φ = m·2^k within err ulps of 2^-256·2^k: compare at 128 bits.
            let m = phi.m.shr(k);
            let approx = (u128::from(m.limbs[3]) << 64) | u128::from(m.limbs[2]);
            // The errors are far below one ulp of 2^-128 (err < 2^64 ulps of 2^-256).
            assert!(phi.err < 1 << 64);
            let slack = 2;
            assert!(approx.abs_diff(p) <= slack, "pdf {j}: {approx:x} {p:x}");
            if j > 0 {
                let (v, err) = direct::cdf::<5>(x).unwrap();
                assert_eq!(v.limbs[4], 0);
                let approx = (u128::from(v.limbs[3]) << 64) | u128::from(v.limbs[2]);
                assert!(err < 1 << 64);
                assert!(approx.abs_diff(c) <= 1, "cdf {j}: {approx:x} {c:x}");
            } else {
                assert_eq!(c, 1 << 127);
            }
        }
    }

    /// The fast path (128 bits) and the direct path (256 bits) are independent algorithms:
    /// wherever both decide, they agree.
    #[test]
    fn fast_and_direct_paths_agree() {
        let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut decided = 0;
        for i in 0..400 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let x = if i % 4 == 0 {
                s % 1_000_000_000_000_000 + 1
            } else {
                s % 9_029_999_999_999_999_999 + 1
            };
            for rounding in [Floor, Ceil] {
                let pdf = PdfOf { x, rounding };
                let (a, b) = (pdf.at::<3>(false), pdf.at::<5>(false));
                if let (Some(a), Some(b)) = (a, b) {
                    assert_eq!(a, b, "pdf {x}");
                    decided += 1;
                }
                if x < CDF_TAIL_RAW {
                    for negative in [false, true] {
                        let cdf = CdfOf { x, negative, rounding };
                        let (a, b) = (cdf.at::<3>(false), cdf.at::<5>(false));
                        if let (Some(a), Some(b)) = (a, b) {
                            assert_eq!(a, b, "cdf {x} {negative}");
                            decided += 1;
                        }
                    }
                }
            }
        }
        assert!(decided > 2000, "{decided}");
    }

    /// The widest attempts decide the same values (a few, they are slow in debug builds).
    #[test]
    fn wide_attempts_agree() {
        for &(x, lo, hi) in &CDF[2..5] {
            let c = CdfOf {
                x: u64::try_from(x.unsigned_abs()).unwrap(),
                negative: x < 0,
                rounding: Floor,
            };
            assert_eq!(c.at::<9>(false), Some(Ok(lo)));
            assert_eq!(c.at::<17>(true), Some(Ok(lo)));
            let c = CdfOf { rounding: Ceil, ..c };
            assert_eq!(c.at::<17>(true), Some(Ok(hi)));
        }
        let p = PdfOf {
            x: 1_000_000_000_000_000_000,
            rounding: Floor,
        };
        assert_eq!(p.at::<17>(true), Some(Ok(241970724519143349)));
    }
}
