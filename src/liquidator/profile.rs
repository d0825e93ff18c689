//! Who the liquidator is, and the conditions it acts in.

use crate::{Error, Result, Wad};

/// A liquidator: how much it can repay, what a liquidation costs it, what it demands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "ProfileRaw", into = "ProfileRaw"))]
pub struct Profile {
    raw: ProfileRaw,
}

/// The fields of a [`Profile`], unchecked; every one must be `≥ 0`. On the wire `capital` is
/// required and the other fields default to 0 ([`ProfileRaw::new`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "ProfileWire"))]
pub struct ProfileRaw {
    /// Capital available to repay debt, in the unit of account.
    pub capital: Wad,
    /// Gas one liquidation uses (units of gas).
    pub gas_per_liquidation: Wad,
    /// The least profit, in the unit of account, for which it acts.
    pub min_profit: Wad,
    /// Blocks between deciding and the sale landing.
    pub latency: u32,
    /// Execution-risk factor: how many standard deviations of price move over the latency it
    /// charges itself on the seized value.
    pub risk_factor: Wad,
}

impl ProfileRaw {
    /// A liquidator with `capital` whose liquidations cost nothing, land at once and need no
    /// profit (every other field 0).
    #[must_use]
    pub const fn new(capital: Wad) -> Self {
        Self {
            capital,
            gas_per_liquidation: Wad::ZERO,
            min_profit: Wad::ZERO,
            latency: 0,
            risk_factor: Wad::ZERO,
        }
    }
}

/// A profile object as written on the wire (see [`crate::wire`]): every field `None` when
/// absent.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ProfileWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) capital: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) gas_per_liquidation: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) min_profit: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) latency: Option<u32>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) risk_factor: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<ProfileWire> for ProfileRaw {
    type Error = Error;

    /// `capital` (required), every other field at its default ([`ProfileRaw::new`]) when absent.
    fn try_from(w: ProfileWire) -> Result<Self> {
        let mut raw = Self::new(crate::wire::need(w.capital, "capital")?);
        raw.gas_per_liquidation = w.gas_per_liquidation.unwrap_or(raw.gas_per_liquidation);
        raw.min_profit = w.min_profit.unwrap_or(raw.min_profit);
        raw.latency = w.latency.unwrap_or(raw.latency);
        raw.risk_factor = w.risk_factor.unwrap_or(raw.risk_factor);
        Ok(raw)
    }
}

impl Profile {
    /// Validates and builds a profile.
    ///
    /// Errors: [`Error::Invalid`] naming the first negative field.
    pub fn new(raw: ProfileRaw) -> Result<Self> {
        for (v, what) in [
            (raw.capital, "capital"),
            (raw.gas_per_liquidation, "gas_per_liquidation"),
            (raw.min_profit, "min_profit"),
            (raw.risk_factor, "risk_factor"),
        ] {
            if v.is_negative() {
                return Err(Error::invalid(what, "must be ≥ 0"));
            }
        }
        Ok(Self { raw })
    }

    /// The profile's fields.
    #[must_use]
    pub const fn raw(&self) -> ProfileRaw {
        self.raw
    }
}

impl TryFrom<ProfileRaw> for Profile {
    type Error = Error;

    fn try_from(raw: ProfileRaw) -> Result<Self> {
        Self::new(raw)
    }
}

impl From<Profile> for ProfileRaw {
    fn from(p: Profile) -> Self {
        p.raw
    }
}

/// The conditions of the moment: the gas price and the collateral's volatility.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "EnvironmentRaw", into = "EnvironmentRaw"))]
pub struct Environment {
    raw: EnvironmentRaw,
}

/// The fields of an [`Environment`], unchecked; both must be `≥ 0`. On the wire each defaults
/// to 0 ([`EnvironmentRaw::default`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct EnvironmentRaw {
    /// Price of one unit of gas, in the unit of account.
    pub gas_price: Wad,
    /// The collateral price's volatility per square root of a block (a fraction: 0.001 is
    /// 0.1 % per √block).
    pub volatility: Wad,
}

impl Environment {
    /// Validates and builds an environment.
    ///
    /// Errors: [`Error::Invalid`] naming `gas_price` or `volatility` when negative.
    pub fn new(raw: EnvironmentRaw) -> Result<Self> {
        if raw.gas_price.is_negative() {
            return Err(Error::invalid("gas_price", "must be ≥ 0"));
        }
        if raw.volatility.is_negative() {
            return Err(Error::invalid("volatility", "must be ≥ 0"));
        }
        Ok(Self { raw })
    }

    /// The environment's fields.
    #[must_use]
    pub const fn raw(&self) -> EnvironmentRaw {
        self.raw
    }
}

impl TryFrom<EnvironmentRaw> for Environment {
    type Error = Error;

    fn try_from(raw: EnvironmentRaw) -> Result<Self> {
        Self::new(raw)
    }
}

impl From<Environment> for EnvironmentRaw {
    fn from(e: Environment) -> Self {
        e.raw
    }
}
