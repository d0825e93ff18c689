//! Running figures over the front of a venue's sorted run: the accounts whose keys reach a
//! threshold, kept as the threshold moves from block to block instead of summed afresh.

use crate::{Result, Wad};

use super::queue::Slot;

/// Figures over the run slots in order at positions `[0, cursor)` of one part of a
/// [`Queue`](super::queue::Queue): exactly those whose keys reach the window's threshold (the
/// run is sorted by key). Sums are exact (`Wad` additions and subtractions of the same values),
/// so a window moved by `Δ` positions costs `Δ` steps and equals the sum made afresh.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Window {
    /// The first run position past the window.
    pub cursor: usize,
    /// Slots in order in the window.
    pub count: u32,
    /// Of them, those whose sure price is not known (each is checked on its own).
    pub unknown: u32,
    /// `Σ max(debt, 0)` of its slots.
    pub debt: Wad,
    /// `Σ collateral`.
    pub collateral: Wad,
    /// `Σ collateral` of its slots holding at least the venue's top-1 % threshold.
    pub whale: Wad,
}

impl Window {
    /// Adds `slot` (`whale`: the top-1 % threshold).
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow).
    pub fn add(&mut self, slot: &Slot, whale: Wad) -> Result<()> {
        self.count = self.count.saturating_add(1);
        self.unknown = self.unknown.saturating_add(u32::from(!slot.sure_known()));
        self.debt = self.debt.add(slot.debt.max(Wad::ZERO))?;
        self.collateral = self.collateral.add(slot.collateral)?;
        if slot.collateral >= whale {
            self.whale = self.whale.add(slot.collateral)?;
        }
        Ok(())
    }

    /// Takes out `slot`, added before with the same figures.
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow).
    pub fn sub(&mut self, slot: &Slot, whale: Wad) -> Result<()> {
        self.count = self.count.saturating_sub(1);
        self.unknown = self.unknown.saturating_sub(u32::from(!slot.sure_known()));
        self.debt = self.debt.sub(slot.debt.max(Wad::ZERO))?;
        self.collateral = self.collateral.sub(slot.collateral)?;
        if slot.collateral >= whale {
            self.whale = self.whale.sub(slot.collateral)?;
        }
        Ok(())
    }

    /// The figures of `self` and `other` together.
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow).
    pub fn plus(&self, other: &Self) -> Result<Self> {
        Ok(Self {
            cursor: self.cursor,
            count: self.count.saturating_add(other.count),
            unknown: self.unknown.saturating_add(other.unknown),
            debt: self.debt.add(other.debt)?,
            collateral: self.collateral.add(other.collateral)?,
            whale: self.whale.add(other.whale)?,
        })
    }
}
