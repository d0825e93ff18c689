//! A venue's exposure at a block's end: the accounts liquidatable at the price it judges by,
//! and the debt and collateral near liquidation (the systemic debt ratio's numerator and the
//! collateral concentration).

use crate::{Error, Result, Wad};

use super::borrower::Borrower;
use super::options_venue::SeriesQuote;
use super::queue::{Queue, Slot};
use super::venue::{VenueKind, VenueParams, liquidatable};

/// The block-end exposure of one venue, summed over the accounts near liquidation.
#[derive(Default)]
pub(super) struct Exposure {
    /// Accounts liquidatable at the judged price.
    pub liquidatable: u32,
    /// Of them, those still in the queue (never offered this block).
    pub unserved: u32,
    /// Debt of the accounts within the risk band.
    pub debt: Wad,
    /// Their collateral.
    pub collateral: Wad,
    /// The part of it held by accounts at or above the venue's top-1 % threshold.
    pub whale_collateral: Wad,
}

/// What the exposure is judged against.
pub(super) struct Bands {
    /// The price liquidatability is judged at (the usable oracle price, else the market's).
    pub judged_at: Wad,
    /// Accounts whose queue key is at least this are within the risk band.
    pub risk_from: Wad,
    /// Collateral at or above this counts among the top 1 %.
    pub whale: Wad,
    /// An options venue's series quoted at the band's edge where its writers are the more at
    /// risk ([`Book::band_edge`](super::options_venue::Book::band_edge)), at the block's vol; `None` for another kind, or when that
    /// edge is the price 0 (a band of 100 %: every writer with a short is in it).
    pub edge_quote: Option<SeriesQuote>,
}

impl Exposure {
    /// Tallies the accounts popped this block (`queue`'s held slots, already offered) and the
    /// queued ones whose key reaches the bands, without popping them.
    ///
    /// The run slots in order are not read one by one: their sums are the queue's running
    /// [windows](Queue::windows), and those whose keys reach the judged price are all
    /// liquidatable there but those at the window's back edge whose sure price is not reached
    /// ([`Queue::judged_edge`], checked with the kernel); when one's sure price is not known at
    /// all, they are read one by one. The slots out of order (few) are read one by one. An
    /// options venue whose writers are judged at the band's edge reads every slot.
    ///
    /// Errors: [`Error::Invalid`] naming `queue` for a slot beyond `accounts`; what the
    /// kernel's health check reports.
    pub fn tally(params: &VenueParams, accounts: &[Borrower], queue: &mut Queue<'_>, bands: &Bands) -> Result<Self> {
        let mut exposure = Self::default();
        let judged_at = bands.judged_at;
        let low = bands.risk_from.min(judged_at);
        if bands.edge_quote.is_some() && matches!(params.kind, VenueKind::Options(_)) {
            queue.held(|slot, _| exposure.add(params, accounts, slot, bands, false))?;
            queue.visit_run_at_least(low, |slot| exposure.add(params, accounts, slot, bands, true))?;
            queue.visit_dirty_at_least(low, |slot| exposure.add(params, accounts, slot, bands, true))?;
            return Ok(exposure);
        }
        // The slots out of order, one by one.
        queue.held_out(|slot| exposure.add(params, accounts, slot, bands, false))?;
        queue.visit_dirty_at_least(low, |slot| exposure.add(params, accounts, slot, bands, true))?;
        // The slots in order, by the windows. The band's condition on a key, `key ≥ risk_from`
        // and `key ≠ 0`, is one threshold.
        let (band, judged) = queue.windows(bands.risk_from.max(Wad::EPSILON), judged_at)?;
        exposure.debt = exposure.debt.add(band.debt)?;
        exposure.collateral = exposure.collateral.add(band.collateral)?;
        exposure.whale_collateral = exposure.whale_collateral.add(band.whale)?;
        let (mut held, mut queued) = (0u32, 0u32);
        if judged.unknown > 0 {
            queue.visit_run_all_at_least(judged_at, |slot, popped| {
                if is_liquidatable(params, accounts, slot, judged_at)? {
                    let n = if popped { &mut held } else { &mut queued };
                    *n = n.saturating_add(1);
                }
                Ok(())
            })?;
        } else {
            // A slot whose key is at least `judged_at + 2³²·1e-18` is surely liquidatable there
            // (its known gap to the sure price is below 2³² units): only the edge is checked.
            let (mut not_held, mut not_queued) = (0u32, 0u32);
            queue.judged_edge(judged_at, Wad::from_raw(i128::from(u32::MAX)), |slot, popped| {
                if !is_liquidatable(params, accounts, slot, judged_at)? {
                    let n = if popped { &mut not_held } else { &mut not_queued };
                    *n = n.saturating_add(1);
                }
                Ok(())
            })?;
            let in_window = u32::try_from(queue.held_in_judged()).unwrap_or(u32::MAX);
            held = in_window.saturating_sub(not_held);
            queued = judged.count.saturating_sub(in_window).saturating_sub(not_queued);
        }
        exposure.liquidatable = exposure.liquidatable.saturating_add(held).saturating_add(queued);
        exposure.unserved = exposure.unserved.saturating_add(queued);
        Ok(exposure)
    }

    fn add(
        &mut self,
        params: &VenueParams,
        accounts: &[Borrower],
        slot: &Slot,
        bands: &Bands,
        queued: bool,
    ) -> Result<()> {
        if slot.key >= bands.judged_at && is_liquidatable(params, accounts, slot, bands.judged_at)? {
            self.liquidatable = self.liquidatable.saturating_add(1);
            if queued {
                self.unserved = self.unserved.saturating_add(1);
            }
        }
        // The slot's copy of the account (its keys are fresh: no slot is stale here). A lending
        // or perp account is in the risk band when its liquidation price (its key) reaches the
        // band's low edge; an options writer (whose key is the top: its health is not linear in
        // the price) when it is liquidatable at the band's edge at the block's vol.
        let in_band = match (params.kind, bands.edge_quote) {
            (VenueKind::Options(book), Some(q)) => {
                slot.debt.is_positive() && book.liquidatable_under(&q, slot.collateral, slot.debt)?
            }
            _ => slot.key >= bands.risk_from && !slot.key.is_zero(),
        };
        if in_band {
            self.debt = self.debt.add(slot.debt.max(Wad::ZERO))?;
            self.collateral = self.collateral.add(slot.collateral)?;
            if slot.collateral >= bands.whale {
                self.whale_collateral = self.whale_collateral.add(slot.collateral)?;
            }
        }
        Ok(())
    }
}

/// Whether the account of `slot` (whose key is at least `price`) is liquidatable at `price`:
/// surely, by its keys, or by the kernel.
///
/// Errors: [`Error::Invalid`] naming `queue` for a slot beyond `accounts`; what the kernel
/// reports.
fn is_liquidatable(params: &VenueParams, accounts: &[Borrower], slot: &Slot, price: Wad) -> Result<bool> {
    if slot.surely_liquidatable(price) {
        return Ok(true);
    }
    let i = usize::try_from(slot.index).map_err(|_| Error::Overflow)?;
    let acct = accounts
        .get(i)
        .ok_or(Error::invalid("queue", "a queue slot points past the venue's accounts"))?;
    liquidatable(params, acct, price)
}
