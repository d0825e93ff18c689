//! Anti-procyclicality: how a published margin follows the dynamic requirement without
//! itself setting off a cascade (EMIR Art. 41 and RTS 153/2013 Art. 28).

use super::{DynamicMargin, DynamicMarginParams};
use crate::{Error, Result, Wad};

/// The fields of [`GovernorParams`], unchecked. The field names are the names errors use.
///
/// On the wire every field is optional, with the defaults of [`GovernorParamsRaw::default`]
/// (no rate limit, no buffer, no stressed floor); a `None` field is absent (never `null`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct GovernorParamsRaw {
    /// The most the published maintenance margin may fall in one period, as an absolute
    /// margin fraction (`0.005` = half a percentage point of notional per period), `≥ 0`.
    /// `None`: it may fall at once; `0`: it never falls (a ratchet).
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::wire::some", skip_serializing_if = "Option::is_none")
    )]
    pub max_decrease: Option<Wad>,
    /// The buffer, in `[0, 1]` (RTS 153/2013 Art. 28(1)(a): at least `0.25`): in calm the
    /// published margin is `⌈requirement · (1 + buffer)⌉` (at most the cap), and a rising
    /// requirement consumes the buffer before the published margin rises. `0`: no buffer.
    pub buffer: Wad,
    /// The volatility of a long or stressed look-back period (RTS 153/2013 Art. 28(1)(c):
    /// margin not lower than with the volatility of a 10-year look-back), `≥ 0`: the
    /// requirement is never below the dynamic margin at this volatility and zero skew.
    /// `None`: no such floor.
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::wire::some", skip_serializing_if = "Option::is_none")
    )]
    pub stressed_sigma: Option<Wad>,
}

/// The parameters of a [`MarginGovernor`], validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "GovernorParamsRaw", into = "GovernorParamsRaw"))]
pub struct GovernorParams {
    raw: GovernorParamsRaw,
}

impl TryFrom<GovernorParamsRaw> for GovernorParams {
    type Error = Error;

    fn try_from(raw: GovernorParamsRaw) -> Result<Self> {
        Self::new(raw)
    }
}

impl From<GovernorParams> for GovernorParamsRaw {
    fn from(p: GovernorParams) -> Self {
        p.raw
    }
}

impl GovernorParams {
    /// No rate limit, no buffer, no stressed floor: the published margin is the dynamic one.
    pub const OFF: Self = Self {
        raw: GovernorParamsRaw {
            max_decrease: None,
            buffer: Wad::ZERO,
            stressed_sigma: None,
        },
    };

    /// Validates the parameters.
    ///
    /// Errors: [`Error::Invalid`] naming `max_decrease` when negative, `buffer` unless in
    /// `[0, 1]`, `stressed_sigma` when negative.
    pub fn new(raw: GovernorParamsRaw) -> Result<Self> {
        if raw.max_decrease.is_some_and(Wad::is_negative) {
            return Err(Error::invalid("max_decrease", "must be ≥ 0"));
        }
        if raw.buffer.is_negative() || raw.buffer > Wad::ONE {
            return Err(Error::invalid("buffer", "must be in [0, 1]"));
        }
        if raw.stressed_sigma.is_some_and(Wad::is_negative) {
            return Err(Error::invalid("stressed_sigma", "must be ≥ 0"));
        }
        Ok(Self { raw })
    }

    /// The unchecked fields these parameters were built from.
    #[must_use]
    pub const fn raw(&self) -> GovernorParamsRaw {
        self.raw
    }
}

/// One period of a [`MarginGovernor`]: the published margin and how it was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GovernedMargin {
    /// The dynamic margin at this period's volatility and skew.
    pub dynamic: DynamicMargin,
    /// The stressed floor `F`: the dynamic maintenance margin at the stressed volatility and
    /// zero skew; `None` without a stressed volatility.
    pub stressed_floor: Option<Wad>,
    /// The requirement `R = max(dynamic maintenance, F)`.
    pub requirement: Wad,
    /// The calm target `T = min(⌈R · (1 + buffer)⌉, cap)`.
    pub target: Wad,
    /// The published maintenance margin `P_t`.
    pub maintenance: Wad,
    /// The published initial margin, exactly `P_t + init_spread`.
    pub initial: Wad,
    /// Whether the rate limit held the published margin up (`P_t = P_{t−1} − max_decrease`
    /// above what it would otherwise be).
    pub rate_limited: bool,
}

/// The state of a published margin that may rise at once but falls slowly.
///
/// Each period, with `R`, `T` as in [`GovernedMargin`] and `P_{t−1}` the last published
/// maintenance margin:
///
/// ```text
/// first period:   P_t = T                                   (the governor starts in calm)
/// then:           C   = max(R, min(T, P_{t−1}))
///                 P_t = max(C, P_{t−1} − max_decrease)      (no lower bound without max_decrease)
/// ```
///
/// What each parameter gives (all laws hold for every sequence of inputs):
/// - the requirement is always met: `P_t ≥ R ≥ F` and `P_t ≥ floor`;
/// - `max_decrease = d`: `P_t ≥ P_{t−1} − d` (the rate limit); `d = 0` never lowers it;
/// - the margin rises only to meet the requirement: `P_t > P_{t−1}` implies `P_t = R`, so a
///   rise is never larger than what the requirement forces — in particular the buffer is
///   rebuilt only as the requirement falls, never by a step up;
/// - `buffer = b`: in a calm start or once the requirement has fallen back, `P_t = T =
///   ⌈R·(1+b)⌉`; a requirement rising below `P_{t−1}` leaves `P_t = P_{t−1}` (the buffer
///   is consumed);
/// - `P_t ≤ cap`, and the initial margin is `P_t + init_spread ≤ 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "MarginGovernorRaw"))]
pub struct MarginGovernor {
    margin: DynamicMarginParams,
    params: GovernorParams,
    published: Option<Wad>,
}

impl MarginGovernor {
    /// A governor with nothing published yet.
    #[must_use]
    pub const fn new(margin: DynamicMarginParams, params: GovernorParams) -> Self {
        Self {
            margin,
            params,
            published: None,
        }
    }

    /// A governor resumed from the maintenance margin it published last period.
    ///
    /// Errors: [`Error::Invalid`] naming `previous` unless `0 ≤ previous ≤ cap`.
    pub fn resume(margin: DynamicMarginParams, params: GovernorParams, previous: Wad) -> Result<Self> {
        if previous.is_negative() || previous > margin.cap() {
            return Err(Error::invalid(
                "previous",
                "must be in [0, cap] (the dynamic margin's cap)",
            ));
        }
        Ok(Self {
            margin,
            params,
            published: Some(previous),
        })
    }

    /// The maintenance margin published last, `None` before the first period.
    #[must_use]
    pub const fn published(&self) -> Option<Wad> {
        self.published
    }

    /// The dynamic-margin parameters.
    #[must_use]
    pub const fn margin_params(&self) -> DynamicMarginParams {
        self.margin
    }

    /// The governor's parameters.
    #[must_use]
    pub const fn params(&self) -> GovernorParams {
        self.params
    }

    /// The margin this period would publish at volatility `sigma` and skew `skew`, without
    /// changing the state.
    ///
    /// Errors: [`Error::Invalid`] naming `sigma` when `sigma < 0`; nothing else fails.
    pub fn preview(&self, sigma: Wad, skew: Wad) -> Result<GovernedMargin> {
        let dynamic = self.margin.margin(sigma, skew)?;
        let stressed_floor = match self.params.raw.stressed_sigma {
            Some(s) => Some(self.margin.margin(s, Wad::ZERO)?.maintenance),
            None => None,
        };
        let requirement = dynamic.maintenance.max(stressed_floor.unwrap_or(Wad::ZERO));
        let cap = self.margin.cap();
        // R ≤ cap ≤ 1 and buffer ≤ 1: the product fits.
        let target = requirement.mul_ceil(Wad::ONE.add(self.params.raw.buffer)?)?.min(cap);
        let (maintenance, rate_limited) = match self.published {
            None => (target, false),
            Some(prev) => {
                let candidate = requirement.max(target.min(prev));
                match self.params.raw.max_decrease {
                    Some(d) => {
                        let lowest = prev.sub(d)?;
                        (candidate.max(lowest), lowest > candidate)
                    }
                    None => (candidate, false),
                }
            }
        };
        Ok(GovernedMargin {
            dynamic,
            stressed_floor,
            requirement,
            target,
            maintenance,
            initial: self.margin.initial(maintenance)?,
            rate_limited,
        })
    }

    /// Runs one period: computes the margin as [`preview`](Self::preview) and publishes it.
    ///
    /// Errors: as [`preview`](Self::preview); on error the state is unchanged.
    pub fn update(&mut self, sigma: Wad, skew: Wad) -> Result<GovernedMargin> {
        let out = self.preview(sigma, skew)?;
        self.published = Some(out.maintenance);
        Ok(out)
    }
}

/// The unchecked wire form of a [`MarginGovernor`]; deserializing goes through
/// [`MarginGovernor::resume`] (or [`MarginGovernor::new`] when nothing is published).
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct MarginGovernorRaw {
    margin: DynamicMarginParams,
    params: GovernorParams,
    published: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<MarginGovernorRaw> for MarginGovernor {
    type Error = Error;

    fn try_from(raw: MarginGovernorRaw) -> Result<Self> {
        match raw.published {
            Some(p) => Self::resume(raw.margin, raw.params, p),
            None => Ok(Self::new(raw.margin, raw.params)),
        }
    }
}
