//! The time-weighted average of a push feed's on-chain price.

use super::feed::PushFeed;
use crate::num::u256::{div_rem_wide, mul_wide};
use crate::{Error, Result, Rounding, Wad};

impl<const H: usize> PushFeed<H> {
    /// The time-weighted average price over the last `window` blocks up to `block`: the
    /// blocks `t` in `[max(0, block − window + 1), block]` at which a round is visible, each
    /// weighted by one block, with the price [`latest(t)`](Self::latest):
    ///
    /// `twap = Σ_t price(t) / n` (n = the number of those blocks),
    ///
    /// summed exactly (256 bits) and rounded once in direction `rounding`. Blocks before the
    /// first round became visible have no price and are left out.
    ///
    /// Errors: [`Error::Invalid`] naming `twap_window` when `window` is zero or when no block
    /// of the window has a visible price; [`Error::Capacity`] naming `history` when the window
    /// reaches a block whose visible round was dropped from the history.
    pub fn twap(&self, block: u64, window: u64, rounding: Rounding) -> Result<Wad> {
        if window == 0 {
            return Err(Error::invalid("twap_window", "must be ≥ 1 block"));
        }
        let start = block.saturating_sub(window.saturating_sub(1));
        if self.dropped() > 0 {
            // A dropped round was the visible one on [first visible_at, oldest kept visible_at).
            let first = self.first_visible_at().unwrap_or(0);
            let kept_from = self.complete_from();
            if start.max(first) < kept_from {
                return Err(Error::capacity(
                    "history",
                    "the window reaches a round already dropped from the history",
                ));
            }
        }
        let (mut hi, mut lo, mut count) = (0u128, 0u128, 0u128);
        let mut rounds = self.history().peekable();
        while let Some(round) = rounds.next() {
            // The round is the visible one on [visible_at, next visible_at − 1].
            let last = match rounds.peek() {
                Some(next) => next.visible_at().saturating_sub(1).min(block),
                None => block,
            };
            let first = round.visible_at().max(start);
            let Some(blocks) = last.checked_sub(first).and_then(|d| d.checked_add(1)) else {
                continue;
            };
            let price = u128::try_from(round.price().raw()).map_err(|_| Error::Overflow)?;
            let (p_hi, p_lo) = mul_wide(price, u128::from(blocks));
            let (sum_lo, carry) = lo.overflowing_add(p_lo);
            lo = sum_lo;
            hi = hi
                .checked_add(p_hi)
                .and_then(|h| h.checked_add(u128::from(carry)))
                .ok_or(Error::Overflow)?;
            count = count.checked_add(u128::from(blocks)).ok_or(Error::Overflow)?;
        }
        if count == 0 {
            return Err(Error::invalid(
                "twap_window",
                "no block of the window has a visible price yet",
            ));
        }
        // The mean of positive prices is at most the largest of them, so the quotient fits.
        let (q, r) = div_rem_wide(hi, lo, count).ok_or(Error::Overflow)?;
        let q = if r != 0 && matches!(rounding, Rounding::Ceil) {
            q.checked_add(1).ok_or(Error::Overflow)?
        } else {
            q
        };
        i128::try_from(q).map(Wad::from_raw).map_err(|_| Error::Overflow)
    }
}
