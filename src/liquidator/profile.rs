//! Who the liquidator is, and the conditions it acts in.

use crate::{Error, Result, Wad};

/// A liquidator: how much it can repay, what a liquidation costs it, what it demands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "ProfileRaw", into = "ProfileRaw"))]
pub struct Profile {
    raw: ProfileRaw,
}

/// The fields of a [`Profile`], unchecked; every one must be `≥ 0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
                return Err(Error::Invalid { what });
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

/// The fields of an [`Environment`], unchecked; both must be `≥ 0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
            return Err(Error::Invalid { what: "gas_price" });
        }
        if raw.volatility.is_negative() {
            return Err(Error::Invalid { what: "volatility" });
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
