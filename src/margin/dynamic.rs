//! Dynamic maintenance margin: a base margin raised by implied volatility and by skew,
//! clamped between a floor and a cap.

use crate::error::ensure;
use crate::{Error, Result, Rounding, Wad};

/// The fields of [`DynamicMarginParams`], unchecked: what is read from the wire and given to
/// [`DynamicMarginParams::new`]. The field names are the names errors use.
///
/// Every margin is a fraction of the position's notional (`0.05` = 5 %). On the wire `k_skew`
/// and `floor` default to 0; the other fields are required.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "DynamicMarginWire"))]
pub struct DynamicMarginRaw {
    /// The margin at zero volatility and zero skew, in `[0, cap]`.
    pub base: Wad,
    /// The weight of the horizon volatility `σ·√horizon`, `≥ 0`.
    pub k_vol: Wad,
    /// The weight of the skew, `≥ 0`.
    pub k_skew: Wad,
    /// The horizon over which volatility is scaled, in years (the liquidation horizon: a
    /// day is `1/365`), `> 0`.
    pub horizon: Wad,
    /// The smallest maintenance margin, in `[0, cap]`. It binds when it is above `base` and
    /// volatility and skew are low (a minimum margin for calm markets).
    pub floor: Wad,
    /// The largest maintenance margin, in `(0, 1]`.
    pub cap: Wad,
    /// The distance of the initial margin above the maintenance margin, `> 0`, with
    /// `cap + init_spread ≤ 1` (so that the initial margin is never above 1).
    pub init_spread: Wad,
}

/// A dynamic-margin object as written on the wire (see [`crate::wire`]): every field `None`
/// when absent.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct DynamicMarginWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) base: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) k_vol: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) k_skew: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) horizon: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) floor: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) cap: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) init_spread: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<DynamicMarginWire> for DynamicMarginRaw {
    type Error = Error;

    /// The required fields (else `Invalid` naming the first missing one in the order of
    /// [`DynamicMarginRaw`]), `k_skew` and `floor` 0 when absent.
    fn try_from(w: DynamicMarginWire) -> Result<Self> {
        use crate::wire::need;
        Ok(Self {
            base: need(w.base, "base")?,
            k_vol: need(w.k_vol, "k_vol")?,
            k_skew: w.k_skew.unwrap_or(Wad::ZERO),
            horizon: need(w.horizon, "horizon")?,
            floor: w.floor.unwrap_or(Wad::ZERO),
            cap: need(w.cap, "cap")?,
            init_spread: need(w.init_spread, "init_spread")?,
        })
    }
}

/// Which bound of the clamp decided a dynamic margin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Bound {
    /// Neither: the margin is `base + vol_term + skew_term`.
    None,
    /// The sum was below the floor: the margin is the floor.
    Floor,
    /// The sum was above the cap: the margin is the cap.
    Cap,
}

impl Bound {
    /// The name on the wire: `"none"`, `"floor"` or `"cap"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Floor => "floor",
            Self::Cap => "cap",
        }
    }
}

/// A dynamic margin: the maintenance and initial margin fractions and how they were made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DynamicMargin {
    /// The maintenance margin, in `[floor, cap]`.
    pub maintenance: Wad,
    /// The initial margin: exactly `maintenance + init_spread`.
    pub initial: Wad,
    /// `⌈vol_coefficient · σ⌉`, saturated at [`Wad::MAX`].
    pub vol_term: Wad,
    /// `⌈k_skew · max(skew, 0)⌉`, saturated at [`Wad::MAX`].
    pub skew_term: Wad,
    /// Which bound of the clamp decided the maintenance margin.
    pub bound: Bound,
}

/// The parameters of a dynamic maintenance margin, validated: a margin that rises with
/// volatility and with skew, clamped between a floor and a cap.
///
/// ```text
/// mm      = clamp(base + ⌈c·σ⌉ + ⌈k_skew·max(skew, 0)⌉, floor, cap)
/// c       = ⌈k_vol · ⌈√horizon⌉⌉                      (the vol coefficient, fixed at construction)
/// initial = mm + init_spread                           (exact; ≤ 1)
/// ```
///
/// `σ` is the annualised (implied, or realised: [`ewma_vol`](super::ewma_vol)) volatility
/// and `skew` the market's price of downside tail risk in volatility points, such as the
/// 25-delta risk reversal (put minus call implied volatility) or the put-wing premium.
///
/// **Rounding**: every product rounds up, since a margin is a requirement; the sum and the
/// clamp are exact. **Negative skew** (calls richer than puts, as in a rally) is a valid
/// observation, not an error: it is floored at zero, so it never lowers the margin below
/// what zero skew gives. **Saturation**: a term that does not fit a [`Wad`] counts as
/// [`Wad::MAX`]; the margin is then the cap, so a valid input never fails.
///
/// **Monotone by construction**: `σ ↦ ⌈c·σ⌉` and `skew ↦ ⌈k_skew·max(skew, 0)⌉` are
/// non-decreasing (the coefficients are `≥ 0`), and so are the sum, the saturation and the
/// clamp; more volatility or more skew never lowers either margin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "DynamicMarginRaw", into = "DynamicMarginRaw"))]
pub struct DynamicMarginParams {
    raw: DynamicMarginRaw,
    vol_coefficient: Wad,
}

impl TryFrom<DynamicMarginRaw> for DynamicMarginParams {
    type Error = Error;

    fn try_from(raw: DynamicMarginRaw) -> Result<Self> {
        Self::new(raw)
    }
}

impl From<DynamicMarginParams> for DynamicMarginRaw {
    fn from(p: DynamicMarginParams) -> Self {
        p.raw
    }
}

/// A non-negative product rounded up, or [`Wad::MAX`] when it does not fit.
fn product_up(a: Wad, b: Wad) -> Result<Wad> {
    match a.mul_ceil(b) {
        Err(Error::Overflow) => Ok(Wad::MAX),
        other => other,
    }
}

impl DynamicMarginParams {
    /// Validates and builds the parameters, and fixes the vol coefficient
    /// `c = ⌈k_vol · ⌈√horizon⌉⌉` (saturated at [`Wad::MAX`]).
    ///
    /// Errors: [`Error::Invalid`] naming the first field found out of range, checked in the
    /// order `cap`, `base`, `k_vol`, `k_skew`, `horizon`, `floor`, `init_spread` (ranges in
    /// [`DynamicMarginRaw`]).
    pub fn new(raw: DynamicMarginRaw) -> Result<Self> {
        ensure(raw.cap.is_positive() && raw.cap <= Wad::ONE, "cap", "must be in (0, 1]")?;
        ensure((Wad::ZERO..=raw.cap).contains(&raw.base), "base", "must be in [0, cap]")?;
        ensure(!raw.k_vol.is_negative(), "k_vol", "must be ≥ 0")?;
        ensure(!raw.k_skew.is_negative(), "k_skew", "must be ≥ 0")?;
        ensure(raw.horizon.is_positive(), "horizon", "must be > 0")?;
        ensure(
            (Wad::ZERO..=raw.cap).contains(&raw.floor),
            "floor",
            "must be in [0, cap]",
        )?;
        ensure(raw.init_spread.is_positive(), "init_spread", "must be > 0")?;
        // cap ≤ 1 and init_spread ≤ MAX, so the sum only fails for a spread above 1 anyway.
        let top = raw
            .cap
            .add(raw.init_spread)
            .map_err(|_| Error::invalid("init_spread", "cap + init_spread must be ≤ 1"))?;
        ensure(top <= Wad::ONE, "init_spread", "cap + init_spread must be ≤ 1")?;
        let vol_coefficient = product_up(raw.k_vol, raw.horizon.sqrt(Rounding::Ceil)?)?;
        Ok(Self { raw, vol_coefficient })
    }

    /// The unchecked fields these parameters were built from.
    #[must_use]
    pub const fn raw(&self) -> DynamicMarginRaw {
        self.raw
    }

    /// The vol coefficient `c = ⌈k_vol · ⌈√horizon⌉⌉`: the margin added per unit of
    /// annualised volatility.
    #[must_use]
    pub const fn vol_coefficient(&self) -> Wad {
        self.vol_coefficient
    }

    /// The smallest maintenance margin.
    #[must_use]
    pub const fn floor(&self) -> Wad {
        self.raw.floor
    }

    /// The largest maintenance margin.
    #[must_use]
    pub const fn cap(&self) -> Wad {
        self.raw.cap
    }

    /// The distance of the initial margin above the maintenance margin.
    #[must_use]
    pub const fn init_spread(&self) -> Wad {
        self.raw.init_spread
    }

    /// The margin at volatility `sigma` and skew `skew`:
    /// `mm = clamp(base + ⌈c·σ⌉ + ⌈k_skew·max(skew, 0)⌉, floor, cap)`, `initial = mm + init_spread`.
    ///
    /// Errors: [`Error::Invalid`] naming `sigma` when `sigma < 0`. Nothing else fails.
    pub fn margin(&self, sigma: Wad, skew: Wad) -> Result<DynamicMargin> {
        ensure(!sigma.is_negative(), "sigma", "must be ≥ 0")?;
        let vol_term = product_up(self.vol_coefficient, sigma)?;
        let skew_term = product_up(self.raw.k_skew, skew.max(Wad::ZERO))?;
        let sum = self
            .raw
            .base
            .raw()
            .saturating_add(vol_term.raw())
            .saturating_add(skew_term.raw());
        let sum = Wad::from_raw(sum);
        let (maintenance, bound) = if sum > self.raw.cap {
            (self.raw.cap, Bound::Cap)
        } else if sum < self.raw.floor {
            (self.raw.floor, Bound::Floor)
        } else {
            (sum, Bound::None)
        };
        Ok(DynamicMargin {
            maintenance,
            initial: self.initial(maintenance)?,
            vol_term,
            skew_term,
            bound,
        })
    }

    /// The initial margin that goes with a maintenance margin `mm`: `mm + init_spread`, exact.
    ///
    /// Errors: [`Error::Invalid`] naming `maintenance` unless `0 ≤ mm ≤ cap`.
    pub fn initial(&self, mm: Wad) -> Result<Wad> {
        ensure(
            (Wad::ZERO..=self.raw.cap).contains(&mm),
            "maintenance",
            "must be in [0, cap]",
        )?;
        mm.add(self.raw.init_spread)
    }
}
