//! An option position: the kind, strike, time to expiry and signed quantity of a holding in a
//! European option — what a short-option account holds ([`OptionAccount`]), what a scenario
//! grid revalues ([`GridPosition`]) and what an options pool sells ([`OptionPool`]).
//!
//! [`OptionAccount`]: crate::options::OptionAccount
//! [`GridPosition`]: crate::options::GridPosition
//! [`OptionPool`]: crate::options::OptionPool

use crate::error::ensure;
use crate::options::{MAX_PRICE, MAX_T, OptionKind};
use crate::{Result, Wad};

/// A position in a European option on one underlying.
///
/// The fields are plain data; [`OptionPosition::new`] and [`OptionPosition::check`] hold them
/// to `0 < strike <= 10^18` ([`MAX_PRICE`]), `0 < t <= 100` ([`MAX_T`]) and `quantity ≠ 0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct OptionPosition {
    /// Call or put.
    pub kind: OptionKind,
    /// The strike `K`.
    pub strike: Wad,
    /// The time to expiry, in years.
    pub t: Wad,
    /// The signed quantity in units of the underlying, from the holder's side: negative short,
    /// positive long.
    pub quantity: Wad,
}

impl OptionPosition {
    /// A checked position ([`OptionPosition::check`]).
    ///
    /// Errors: [`Error::Invalid`](crate::Error::Invalid) naming `strike`, `t` or `quantity`
    /// (in that order) out of range.
    pub fn new(kind: OptionKind, strike: Wad, t: Wad, quantity: Wad) -> Result<Self> {
        let position = Self {
            kind,
            strike,
            t,
            quantity,
        };
        position.check()?;
        Ok(position)
    }

    /// Checks the ranges: `0 < strike <= 10^18`, `0 < t <= 100`, `quantity ≠ 0`.
    ///
    /// Errors: [`Error::Invalid`](crate::Error::Invalid) naming `strike`, `t` or `quantity`
    /// (in that order) out of range.
    pub fn check(&self) -> Result<()> {
        ensure(
            self.strike.is_positive() && self.strike <= MAX_PRICE,
            "strike",
            "must be in (0, 10^18]",
        )?;
        ensure(
            self.t.is_positive() && self.t <= MAX_T,
            "t",
            "must be in (0, 100] years",
        )?;
        ensure(!self.quantity.is_zero(), "quantity", "must not be 0")
    }
}
