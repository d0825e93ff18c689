//! The liquidators taking part in a cascade: who they are, and what they have done so far.

use crate::liquidator::{Decision, Environment, Opportunity, Profile, ProfileRaw, decide, decide_whole};
use crate::market::Depth;
use crate::{Error, Result, Wad};

/// How a liquidator sizes a liquidation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Sizing {
    /// The profit-maximising size ([`decide`]): the professional bot.
    #[default]
    Best,
    /// All the protocol offers, or nothing ([`decide_whole`]): the close-out liquidator of the
    /// instantaneous model.
    Whole,
}

/// The most liquidators one cascade simulates.
pub const MAX_LIQUIDATORS: usize = 64;
// The why of `liquidators` states this bound.
const _: () = assert!(MAX_LIQUIDATORS == 64);

/// A liquidator bot: its [`Profile`] (the liquidator's dilemma), the priority fee it bids per
/// unit of gas (the block serves the highest bid first), and the highest gas price at which it
/// still works (a gas spike above it sends it home).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Liquidator {
    profile: Profile,
    priority_fee: Wad,
    max_gas_price: Option<Wad>,
    sizing: Sizing,
    capital: Wad,
    profit: Wad,
    gas_paid: Wad,
    liquidations: u64,
}

impl Liquidator {
    /// A liquidator starting with `profile.capital`.
    ///
    /// Errors: as [`Profile::new`]; [`Error::Invalid`] naming `priority_fee` when negative,
    /// `max_gas_price` unless positive.
    pub fn new(profile: ProfileRaw, priority_fee: Wad, max_gas_price: Option<Wad>) -> Result<Self> {
        let profile = Profile::new(profile)?;
        if priority_fee.is_negative() {
            return Err(Error::invalid("priority_fee", "must be ≥ 0"));
        }
        if max_gas_price.is_some_and(|g| !g.is_positive()) {
            return Err(Error::invalid("max_gas_price", "must be > 0"));
        }
        Ok(Self {
            profile,
            priority_fee,
            max_gas_price,
            sizing: Sizing::Best,
            capital: profile.raw().capital,
            profit: Wad::ZERO,
            gas_paid: Wad::ZERO,
            liquidations: 0,
        })
    }

    /// The same liquidator sizing its liquidations by `sizing`.
    #[must_use]
    pub const fn with_sizing(mut self, sizing: Sizing) -> Self {
        self.sizing = sizing;
        self
    }

    /// How it sizes a liquidation.
    #[must_use]
    pub const fn sizing(&self) -> Sizing {
        self.sizing
    }

    /// Its decision on `opp` in `env`, with the capital it has now, by its sizing.
    ///
    /// Errors: as [`decide`].
    pub fn decide<M: Depth>(&self, env: &Environment, market: &M, opp: &Opportunity) -> Result<Decision> {
        let profile = self.current()?;
        match self.sizing {
            Sizing::Best => decide(&profile, env, market, opp),
            Sizing::Whole => decide_whole(&profile, env, market, opp),
        }
    }

    /// Its profile as given (with its starting capital).
    #[must_use]
    pub const fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Its profile now: the same, with the capital it has left (none when a loss took it
    /// below zero: it has nothing to repay with).
    ///
    /// Errors: never in practice; as [`Profile::new`].
    pub fn current(&self) -> Result<Profile> {
        Profile::new(ProfileRaw {
            capital: self.capital.max(Wad::ZERO),
            ..self.profile.raw()
        })
    }

    /// The priority fee it bids per unit of gas.
    #[must_use]
    pub const fn priority_fee(&self) -> Wad {
        self.priority_fee
    }

    /// Whether it works at gas price `gas`.
    #[must_use]
    pub fn works_at(&self, gas: Wad) -> bool {
        self.max_gas_price.is_none_or(|m| gas <= m)
    }

    /// Gas one liquidation uses.
    #[must_use]
    pub const fn gas_per_liquidation(&self) -> Wad {
        self.profile.raw().gas_per_liquidation
    }

    /// Capital it has now (negative after losses beyond its capital).
    #[must_use]
    pub const fn capital(&self) -> Wad {
        self.capital
    }

    /// Its profit so far (sale proceeds − what it paid − gas).
    #[must_use]
    pub const fn profit(&self) -> Wad {
        self.profit
    }

    /// Gas fees it has paid.
    #[must_use]
    pub const fn gas_paid(&self) -> Wad {
        self.gas_paid
    }

    /// Liquidations it has executed.
    #[must_use]
    pub const fn liquidations(&self) -> u64 {
        self.liquidations
    }

    /// Books one liquidation: it paid `paid` and `gas`, and sold for `proceeds`.
    ///
    /// Errors: [`Error::Overflow`].
    pub(super) fn book(&mut self, paid: Wad, gas: Wad, proceeds: Wad) -> Result<Wad> {
        let profit = proceeds.sub(paid)?.sub(gas)?;
        self.capital = self.capital.add(profit)?;
        self.profit = self.profit.add(profit)?;
        self.gas_paid = self.gas_paid.add(gas)?;
        self.liquidations = self.liquidations.saturating_add(1);
        Ok(profit)
    }
}
