//! A push feed as Chainlink runs them: rounds decided off chain on deviation or heartbeat,
//! visible on chain after a latency, kept in a bounded history.

use heapless::Deque;

use super::params::FeedParams;
use super::ratio::moved_more_than;
use super::round::{Round, Trigger};
use crate::{Error, Result, Wad};

/// A push oracle feed, fed one market price per block by [`observe`](Self::observe).
///
/// # Rounds
///
/// At each observed block `b` with market price `p`, the off-chain node decides a new round
/// when (checked in this order, see [`Trigger`]) there is no round yet; or
/// `|p − last| / last > deviation` where `last` is the price of the last *decided* round
/// (strictly greater, compared exactly by cross-multiplication, no rounding); or
/// `b − last decided block >= heartbeat`. The round is visible on chain from block
/// `b + latency`. Since blocks strictly increase, so do `decided_at` and `visible_at`.
///
/// # History
///
/// The rounds are kept in a ring buffer of capacity `H` (64 by default), oldest first. When it
/// is full and a new round is decided, the oldest round is dropped **if** the round after it
/// is already visible at the current block (so the oldest is superseded on chain and no query
/// at or after the current block needs it); this is the buffer's job, and
/// [`dropped`](Self::dropped) counts the rounds it let go. If the round after the oldest is
/// still in flight, the buffer cannot hold the current on-chain round plus every round in
/// flight: [`observe`](Self::observe) fails with [`Error::Capacity`] naming
/// `rounds in flight` and the feed is left unchanged.
///
/// After rounds were dropped, [`latest`](Self::latest) for a block at which a dropped round was
/// the newest visible one returns `None` (the history no longer knows it; see
/// [`complete_from`](Self::complete_from)), and a [`twap`](Self::twap) whose window reaches
/// such a block fails with [`Error::Capacity`] naming `history`.
#[derive(Clone, Debug)]
pub struct PushFeed<const H: usize = 64> {
    params: FeedParams,
    history: Deque<Round, H>,
    last_block: Option<u64>,
    first_visible_at: Option<u64>,
    rounds: u64,
    dropped: u64,
}

impl<const H: usize> PushFeed<H> {
    /// An empty feed (no observation, no round).
    #[must_use]
    pub const fn new(params: FeedParams) -> Self {
        Self {
            params,
            history: Deque::new(),
            last_block: None,
            first_visible_at: None,
            rounds: 0,
            dropped: 0,
        }
    }

    /// The feed's parameters.
    #[must_use]
    pub const fn params(&self) -> &FeedParams {
        &self.params
    }

    /// Observes the market price `market_price` at block `block` and decides a round if the
    /// deviation or heartbeat rule (or the absence of any round) calls for one.
    ///
    /// Errors, leaving the feed unchanged: [`Error::Invalid`] naming `block` unless `block` is
    /// greater than the last observed block; naming `price` unless `market_price > 0`;
    /// [`Error::Capacity`] naming `rounds in flight` when the history cannot hold the new
    /// round (see the type's documentation); [`Error::Overflow`] when `block + latency`
    /// does not fit a `u64`.
    pub fn observe(&mut self, block: u64, market_price: Wad) -> Result<()> {
        if self.last_block.is_some_and(|last| block <= last) {
            return Err(Error::invalid("block", "must be after the last observed block"));
        }
        if !market_price.is_positive() {
            return Err(Error::invalid("price", "must be > 0"));
        }
        if let Some(trigger) = self.trigger(block, market_price) {
            let visible_at = block.checked_add(self.params.latency()).ok_or(Error::Overflow)?;
            let rounds = self.rounds.checked_add(1).ok_or(Error::Overflow)?;
            if self.history.is_full() {
                // The round after the oldest: the second kept one, or the new one.
                let next_visible = self.history.get(1).map_or(visible_at, Round::visible_at);
                if next_visible > block || self.history.is_empty() {
                    return Err(Error::capacity(
                        "rounds in flight",
                        "more rounds decided and not yet visible than the history holds",
                    ));
                }
                self.history.pop_front();
                self.dropped = self.dropped.saturating_add(1);
            }
            self.history
                .push_back(Round::new(market_price, block, visible_at, trigger))
                .map_err(|_| {
                    Error::capacity(
                        "rounds in flight",
                        "more rounds decided and not yet visible than the history holds",
                    )
                })?;
            self.rounds = rounds;
            if self.first_visible_at.is_none() {
                self.first_visible_at = Some(visible_at);
            }
        }
        self.last_block = Some(block);
        Ok(())
    }

    /// Whether a round is decided at `block` for `price`, and why.
    fn trigger(&self, block: u64, price: Wad) -> Option<Trigger> {
        let Some(last) = self.history.back() else {
            return Some(Trigger::First);
        };
        if moved_more_than(last.price(), price, self.params.deviation()) {
            Some(Trigger::Deviation)
        } else if block.saturating_sub(last.decided_at()) >= self.params.heartbeat() {
            Some(Trigger::Heartbeat)
        } else {
            None
        }
    }

    /// The newest round visible on chain at `block` (`visible_at <= block`), if any.
    ///
    /// It answers from the rounds decided so far: for a block after the last observed one it
    /// includes rounds still in flight that land by then, not rounds yet to be decided (which
    /// cannot land before `last observed block + 1 + latency`).
    #[must_use]
    pub fn latest(&self, block: u64) -> Option<Round> {
        self.history.iter().rev().find(|r| r.visible_at() <= block).copied()
    }

    /// The age at `block` of the visible price: `block − decided_at` of
    /// [`latest(block)`](Self::latest), the blocks since the market had that price (it
    /// includes the latency). `None` when no round is visible.
    #[must_use]
    pub fn age(&self, block: u64) -> Option<u64> {
        self.latest(block).map(|r| block.saturating_sub(r.decided_at()))
    }

    /// The last round decided, visible or still in flight.
    #[must_use]
    pub fn last_decided(&self) -> Option<Round> {
        self.history.back().copied()
    }

    /// The last observed block.
    #[must_use]
    pub const fn last_block(&self) -> Option<u64> {
        self.last_block
    }

    /// How many rounds were decided since the feed was created (kept or dropped).
    #[must_use]
    pub const fn rounds(&self) -> u64 {
        self.rounds
    }

    /// How many rounds the history dropped (the oldest ones) to make room.
    #[must_use]
    pub const fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The rounds kept, oldest first (visible ones, then those in flight).
    pub fn history(&self) -> impl DoubleEndedIterator<Item = &Round> + ExactSizeIterator {
        self.history.iter()
    }

    /// The first block from which [`latest`](Self::latest) answers from a complete history:
    /// `0` while no round was dropped, else the block at which the oldest kept round became
    /// visible.
    #[must_use]
    pub fn complete_from(&self) -> u64 {
        if self.dropped == 0 {
            0
        } else {
            self.history.front().map_or(0, Round::visible_at)
        }
    }

    /// The first block at which any round of the feed became visible, if one was decided.
    #[must_use]
    pub const fn first_visible_at(&self) -> Option<u64> {
        self.first_visible_at
    }
}

#[cfg(test)]
mod tests;
