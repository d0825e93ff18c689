//! Realised volatility: the exponentially weighted moving average of squared log returns
//! (RiskMetrics, 1996).

use crate::wad;
use crate::{Error, Result, Rounding, Wad};

/// RiskMetrics' decay factor for daily returns, `λ = 0.94`.
pub const RISKMETRICS_LAMBDA: Wad = wad!("0.94");

/// The parameters of an EWMA variance, validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "EwmaParamsRaw", into = "EwmaParamsRaw"))]
pub struct EwmaParams {
    raw: EwmaParamsRaw,
}

/// The fields of [`EwmaParams`], unchecked. The field names are the names errors use.
///
/// On the wire `periods_per_year` is required, `lambda` defaults to [`RISKMETRICS_LAMBDA`] and
/// `seed_variance` is absent when `None` (never `null`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "EwmaParamsWire"))]
pub struct EwmaParamsRaw {
    /// The decay factor `λ`, in `(0, 1)` ([`RISKMETRICS_LAMBDA`] for daily data).
    pub lambda: Wad,
    /// How many periods (the spacing of the prices) make a year: `365` for daily prices of
    /// a market that never closes, `252` for trading days; `≥ 1`.
    pub periods_per_year: u32,
    /// The variance per period before the first return, `≥ 0`; `None` starts the average
    /// at the first squared return.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub seed_variance: Option<Wad>,
}

/// EWMA parameters as written on the wire (see [`crate::wire`]): every field `None` when absent.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct EwmaParamsWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) lambda: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) periods_per_year: Option<u32>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) seed_variance: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<EwmaParamsWire> for EwmaParamsRaw {
    type Error = Error;

    /// `periods_per_year` (required), `lambda` [`RISKMETRICS_LAMBDA`] when absent.
    fn try_from(w: EwmaParamsWire) -> Result<Self> {
        Ok(Self {
            lambda: w.lambda.unwrap_or(RISKMETRICS_LAMBDA),
            periods_per_year: crate::wire::need(w.periods_per_year, "periods_per_year")?,
            seed_variance: w.seed_variance,
        })
    }
}

impl TryFrom<EwmaParamsRaw> for EwmaParams {
    type Error = Error;

    fn try_from(raw: EwmaParamsRaw) -> Result<Self> {
        Self::new(raw)
    }
}

impl From<EwmaParams> for EwmaParamsRaw {
    fn from(p: EwmaParams) -> Self {
        p.raw
    }
}

impl EwmaParams {
    /// Validates the parameters.
    ///
    /// Errors: [`Error::Invalid`] naming `lambda` unless `0 < λ < 1`, `periods_per_year`
    /// when it is 0, `seed_variance` when it is negative.
    pub fn new(raw: EwmaParamsRaw) -> Result<Self> {
        if !raw.lambda.is_positive() || raw.lambda >= Wad::ONE {
            return Err(Error::invalid("lambda", "must be in (0, 1)"));
        }
        if raw.periods_per_year == 0 {
            return Err(Error::invalid("periods_per_year", "must be > 0"));
        }
        if raw.seed_variance.is_some_and(Wad::is_negative) {
            return Err(Error::invalid("seed_variance", "must be ≥ 0"));
        }
        Ok(Self { raw })
    }

    /// RiskMetrics' daily parameters: `λ = 0.94`, 365 periods a year, no seed.
    #[must_use]
    pub const fn riskmetrics_daily() -> Self {
        Self {
            raw: EwmaParamsRaw {
                lambda: RISKMETRICS_LAMBDA,
                periods_per_year: 365,
                seed_variance: None,
            },
        }
    }

    /// The unchecked fields these parameters were built from.
    #[must_use]
    pub const fn raw(&self) -> EwmaParamsRaw {
        self.raw
    }

    /// The decay factor `λ`.
    #[must_use]
    pub const fn lambda(&self) -> Wad {
        self.raw.lambda
    }

    /// The number of periods in a year.
    #[must_use]
    pub const fn periods_per_year(&self) -> u32 {
        self.raw.periods_per_year
    }
}

/// The magnitude of the log return between two positive prices, rounded up:
/// `|r| = ⌈ln(⌈hi / lo⌉)⌉` where `hi = max(a, b)`, `lo = min(a, b)`.
///
/// The quotient is at least 1 and rounds up, and `ln` is increasing and rounds up, so the
/// result is never below the exact `|ln(a/b)|`; it is exactly 0 when `a = b`, and it depends
/// only on the ratio `a/b` when that ratio is represented exactly.
///
/// Errors: [`Error::Invalid`] naming `prices` unless both prices are positive;
/// [`Error::Overflow`] when `hi / lo` exceeds the [`Wad`] range (a move of more than a factor
/// of about `1.7·10^20` in one period).
pub fn abs_log_return(a: Wad, b: Wad) -> Result<Wad> {
    if !a.is_positive() || !b.is_positive() {
        return Err(Error::invalid("prices", "every price must be > 0"));
    }
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    hi.div_ceil(lo)?.ln(Rounding::Ceil)
}

/// A running EWMA variance: feed it one price per period with [`Ewma::observe`].
///
/// For each new price `P_t` with return magnitude `|r_t|` ([`abs_log_return`]):
///
/// ```text
/// s_t = ⌈|r_t|²⌉                                   (squared return, rounded up)
/// v_t = s_t                                        (the first return, when there is no seed)
/// v_t = s_t + ⌈λ · (v_{t−1} − s_t)⌉                 (otherwise: ⌈λ·v_{t−1} + (1−λ)·s_t⌉, one rounding)
/// ```
///
/// with `v_0 = seed_variance` when one is given. Every step rounds up, so by induction the
/// variance is never below the exact EWMA of the exact squared log returns: the estimate is
/// conservative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "EwmaRaw"))]
pub struct Ewma {
    params: EwmaParams,
    variance: Option<Wad>,
    last_price: Option<Wad>,
    returns: u32,
}

impl Ewma {
    /// A running average with no price yet; its variance is the seed, if any.
    #[must_use]
    pub const fn new(params: EwmaParams) -> Self {
        Self {
            params,
            variance: params.raw.seed_variance,
            last_price: None,
            returns: 0,
        }
    }

    /// A running average resumed from its state: the `variance` so far (`None` only before
    /// the first return when there is no seed), the `last_price` observed (`None` before the
    /// first price) and the number of `returns` averaged.
    ///
    /// Errors: [`Error::Invalid`] naming `variance` when it is negative, or `None` after a
    /// return; `prices` when `last_price` is not positive; `returns` when there are returns
    /// but no last price.
    pub fn resume(params: EwmaParams, variance: Option<Wad>, last_price: Option<Wad>, returns: u32) -> Result<Self> {
        if variance.is_some_and(Wad::is_negative) {
            return Err(Error::invalid("variance", "must be ≥ 0"));
        }
        if variance.is_none() && returns > 0 {
            return Err(Error::invalid("variance", "is required once there are returns"));
        }
        if last_price.is_some_and(|p| !p.is_positive()) {
            return Err(Error::invalid("prices", "the last price must be > 0"));
        }
        if last_price.is_none() && returns > 0 {
            return Err(Error::invalid("returns", "must be 0 when there is no last price"));
        }
        Ok(Self {
            params,
            variance,
            last_price,
            returns,
        })
    }

    /// The parameters.
    #[must_use]
    pub const fn params(&self) -> EwmaParams {
        self.params
    }

    /// The variance per period: the seed before the first return, `None` with no seed and
    /// no return yet.
    #[must_use]
    pub const fn variance(&self) -> Option<Wad> {
        self.variance
    }

    /// The last price observed.
    #[must_use]
    pub const fn last_price(&self) -> Option<Wad> {
        self.last_price
    }

    /// How many returns have entered the average (saturating at `u32::MAX`).
    #[must_use]
    pub const fn returns(&self) -> u32 {
        self.returns
    }

    /// Takes the next period's price and updates the variance (see the type's formulas).
    ///
    /// Errors: [`Error::Invalid`] naming `prices` unless `price > 0`; [`Error::Overflow`]
    /// as [`abs_log_return`]. On error the state is unchanged.
    pub fn observe(&mut self, price: Wad) -> Result<()> {
        if !price.is_positive() {
            return Err(Error::invalid("prices", "every price must be > 0"));
        }
        let Some(last) = self.last_price else {
            self.last_price = Some(price);
            return Ok(());
        };
        let r = abs_log_return(price, last)?;
        let s = r.mul_ceil(r)?;
        let v = match self.variance {
            None => s,
            Some(prev) => s.add(self.params.raw.lambda.mul_ceil(prev.sub(s)?)?)?,
        };
        self.variance = Some(v);
        self.last_price = Some(price);
        self.returns = self.returns.saturating_add(1);
        Ok(())
    }

    /// The volatility figures of the current variance, `None` before there is one.
    ///
    /// Errors: [`Error::Overflow`] when `v · periods_per_year` does not fit.
    pub fn vol(&self) -> Result<Option<EwmaVol>> {
        let Some(variance) = self.variance else {
            return Ok(None);
        };
        let annual_variance = variance.mul_floor(Wad::from(self.params.raw.periods_per_year))?;
        Ok(Some(EwmaVol {
            variance,
            vol: variance.sqrt(Rounding::Ceil)?,
            annual_vol: annual_variance.sqrt(Rounding::Ceil)?,
            returns: self.returns,
        }))
    }
}

/// The unchecked wire form of an [`Ewma`]; deserializing goes through [`Ewma::resume`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct EwmaRaw {
    params: EwmaParams,
    variance: Option<Wad>,
    last_price: Option<Wad>,
    returns: u32,
}

#[cfg(feature = "serde")]
impl TryFrom<EwmaRaw> for Ewma {
    type Error = Error;

    fn try_from(raw: EwmaRaw) -> Result<Self> {
        Self::resume(raw.params, raw.variance, raw.last_price, raw.returns)
    }
}

/// The result of [`ewma_vol`]: an EWMA variance and the volatilities it gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EwmaVol {
    /// The variance per period `v`.
    pub variance: Wad,
    /// The volatility per period `⌈√v⌉`.
    pub vol: Wad,
    /// The annualised volatility `⌈√(v · periods_per_year)⌉` (the product is exact).
    pub annual_vol: Wad,
    /// The number of returns averaged (one less than the number of prices).
    pub returns: u32,
}

/// The EWMA volatility of a price history, oldest first, one price per period (see [`Ewma`]
/// for each step's formula and rounding). Reads the slice only; never allocates.
///
/// Errors: [`Error::Invalid`] naming `prices` when there are fewer than 2 prices or a price
/// is not positive (the first such price); [`Error::Overflow`] as [`Ewma::observe`] and
/// [`Ewma::vol`].
pub fn ewma_vol(prices: &[Wad], params: EwmaParams) -> Result<EwmaVol> {
    if prices.len() < 2 {
        return Err(Error::invalid("prices", "must hold at least 2 prices"));
    }
    let mut ewma = Ewma::new(params);
    for price in prices {
        ewma.observe(*price)?;
    }
    ewma.vol()?
        .ok_or(Error::invalid("prices", "must hold at least 2 prices"))
}
