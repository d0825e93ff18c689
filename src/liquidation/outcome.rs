//! What a liquidation did to the account's health.

use crate::Result;
use crate::Wad;
use crate::account::Health;

use super::Limit;

/// The account's health around a liquidation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Outcome {
    /// Maintenance health before.
    pub health_before: Health,
    /// Maintenance health after.
    pub health_after: Health,
    /// Health value at the target level before.
    pub target_before: Wad,
    /// Health value at the target level after.
    pub target_after: Wad,
    /// Whether the liquidation lowered the maintenance health factor (assets / liabilities):
    /// a liquidation of an account whose liabilities exceed `1/(1 + bonus)` of its assets
    /// takes more collateral value than it removes debt value and leaves the account worse.
    pub toxic: bool,
    /// What bounded the size.
    pub limit: Limit,
}

impl Outcome {
    /// The outcome of a liquidation that moved the account from `before` to `after`.
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow) when a health factor overflows.
    pub fn new(before: Health, after: Health, target_before: Wad, target_after: Wad, limit: Limit) -> Result<Self> {
        Self::with_factor(before, before.factor()?, after, target_before, target_after, limit)
    }

    /// [`Outcome::new`] given `before.factor()`, already computed.
    pub(crate) fn with_factor(
        before: Health,
        factor_before: Option<Wad>,
        after: Health,
        target_before: Wad,
        target_after: Wad,
        limit: Limit,
    ) -> Result<Self> {
        let toxic = match (factor_before, after.factor()?) {
            (Some(b), Some(a)) => a < b,
            (None, Some(_)) => true,
            (_, None) => false,
        };
        Ok(Self {
            health_before: before,
            health_after: after,
            target_before,
            target_after,
            toxic,
            limit,
        })
    }
}
