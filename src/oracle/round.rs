//! A round of a push feed: a decided price and when it was decided and became visible.

use crate::Wad;

/// Why the off-chain node decided a round (the first reason that held, in this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Trigger {
    /// The feed had no round yet.
    First,
    /// The price moved by more than the deviation threshold from the last decided price.
    Deviation,
    /// The heartbeat elapsed since the last decided round.
    Heartbeat,
}

/// One published round of a push feed.
///
/// Rounds are only made by [`PushFeed`](super::PushFeed), so `price > 0` and
/// `visible_at = decided_at + latency` always hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Round {
    price: Wad,
    decided_at: u64,
    visible_at: u64,
    trigger: Trigger,
}

impl Round {
    /// A round (for the feed only: it upholds the invariants).
    pub(super) const fn new(price: Wad, decided_at: u64, visible_at: u64, trigger: Trigger) -> Self {
        Self {
            price,
            decided_at,
            visible_at,
            trigger,
        }
    }

    /// The market price the round publishes (positive).
    #[must_use]
    pub const fn price(&self) -> Wad {
        self.price
    }

    /// The block at which the off-chain node observed the price and decided the round.
    #[must_use]
    pub const fn decided_at(&self) -> u64 {
        self.decided_at
    }

    /// The first block at which the round is visible on chain (`decided_at + latency`).
    #[must_use]
    pub const fn visible_at(&self) -> u64 {
        self.visible_at
    }

    /// Why the round was decided.
    #[must_use]
    pub const fn trigger(&self) -> Trigger {
        self.trigger
    }
}
