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
    /// Errors: [`Error::Invalid`] naming `queue` for a slot beyond `accounts`; what the
    /// kernel's health check reports.
    pub fn tally(params: &VenueParams, accounts: &[Borrower], queue: &mut Queue<'_>, bands: &Bands) -> Result<Self> {
        let mut exposure = Self::default();
        queue.held(|slot| exposure.add(params, accounts, slot, bands, false))?;
        queue.visit_at_least(bands.risk_from.min(bands.judged_at), |slot| {
            exposure.add(params, accounts, slot, bands, true)
        })?;
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
        if slot.key >= bands.judged_at
            && (slot.surely_liquidatable(bands.judged_at) || {
                let i = usize::try_from(slot.index).map_err(|_| Error::Overflow)?;
                let acct = accounts
                    .get(i)
                    .ok_or(Error::invalid("queue", "a queue slot points past the venue's accounts"))?;
                liquidatable(params, acct, bands.judged_at)?
            })
        {
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
