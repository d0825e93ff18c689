//! The compact account a cascade simulates: a long exposure to the shared collateral financed
//! by debt in the unit of account, and how its owner behaves.

use crate::{Error, Result, Wad};

/// How a trader behaves while its account nears liquidation (the behavioural finance the
/// cascade models; see [`BehaviourMix`](super::BehaviourMix) for the parameters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Behaviour {
    /// Holds the losing position and does nothing (the disposition effect): most traders.
    #[default]
    Hold,
    /// Tops up once when its health factor falls under the mix's `top_up_below`.
    TopUp,
    /// Sells part of its collateral each block to repay debt while its account is watched and
    /// not yet liquidatable.
    Deleverage,
    /// Sells everything once the market's drawdown passes the mix's `panic_drawdown`
    /// (herding).
    Panic,
}

impl Behaviour {
    /// The name on the wire.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Hold => "hold",
            Self::TopUp => "top_up",
            Self::Deleverage => "deleverage",
            Self::Panic => "panic",
        }
    }
}

/// One account of a cascade venue: `collateral` units of the shared asset (for a perpetuals
/// venue, the long position's base size) against `debt` in the unit of account (for a perp,
/// minus its quote balance). Its owner's [`Behaviour`] is fixed for the run: given, or drawn
/// from the seed when the run starts (`None`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Borrower {
    /// Units of the shared collateral asset (`≥ 0`).
    pub collateral: Wad,
    /// Debt in the unit of account (`≥ 0`).
    pub debt: Wad,
    /// The owner's behaviour; `None` is drawn from the scenario's mix and seed.
    pub behaviour: Option<Behaviour>,
    /// Whether a [`Behaviour::TopUp`] owner has used its one top-up.
    pub topped_up: bool,
}

impl Borrower {
    /// An account of `collateral` against `debt`, behaviour drawn from the seed.
    ///
    /// Errors: [`Error::Invalid`] naming `collateral` or `debt` when negative.
    pub fn new(collateral: Wad, debt: Wad) -> Result<Self> {
        if collateral.is_negative() {
            return Err(Error::invalid("collateral", "must be ≥ 0"));
        }
        if debt.is_negative() {
            return Err(Error::invalid("debt", "must be ≥ 0"));
        }
        Ok(Self {
            collateral,
            debt,
            behaviour: None,
            topped_up: false,
        })
    }

    /// The same account with a fixed behaviour.
    #[must_use]
    pub const fn with_behaviour(mut self, behaviour: Behaviour) -> Self {
        self.behaviour = Some(behaviour);
        self
    }

    /// Whether it is bankrupt: no collateral left and still some debt.
    #[must_use]
    pub fn is_bankrupt(&self) -> bool {
        self.collateral.is_zero() && self.debt.is_positive()
    }
}
