//! The block's auction of liquidatable accounts: each candidate is offered to the liquidators
//! in priority-fee order, and the first whose decision acts liquidates it through the kernel
//! and sells what it receives into the shared market.

use crate::liquidation::{Waterfall, WaterfallReport};
use crate::liquidator::{Environment, EnvironmentRaw, Opportunity, profit_ceiling};
use crate::market::{Depth, Fill};
use crate::{Result, Wad};

use super::borrower::Borrower;
use super::liquidators::Liquidator;
use super::venue::{Executed, Offer, VenueKind, VenueParams, execute, opportunity, terms};

/// The liquidators of a block, bidding in priority-fee order, and the conditions they bid in.
pub(super) struct Bidders<'x, M: Depth> {
    /// The shared market they sell into.
    pub market: &'x mut M,
    /// Every liquidator.
    pub liquidators: &'x mut [Liquidator],
    /// Their indices by priority fee, highest first.
    pub order: &'x [usize],
    /// The block's gas price.
    pub gas: Wad,
    /// The collateral's volatility per √block (their execution risk).
    pub volatility: Wad,
}

/// Whether one liquidator could take an offer on given terms.
enum Bid {
    /// It cannot send a transaction: gas is dearer than it works at, or the block's gas left
    /// does not fit one liquidation.
    CannotSend,
    /// It could send one, but its [`profit_ceiling`] is below what it demands: it would
    /// decline at every size.
    Unpaid,
    /// It might be paid, deciding in this environment.
    MayPay(Environment),
}

/// Whether liquidator `l` could take an offer on `terms` now (see [`Bid`]).
fn bid<M: Depth>(
    l: &Liquidator,
    gas: Wad,
    volatility: Wad,
    gas_left: Wad,
    market: &M,
    terms: &Opportunity,
) -> Result<Bid> {
    if !l.works_at(gas) || l.gas_per_liquidation() > gas_left {
        return Ok(Bid::CannotSend);
    }
    let env = Environment::new(EnvironmentRaw {
        gas_price: gas.add(l.priority_fee())?,
        volatility,
    })?;
    let demand = l.profile().raw().min_profit.max(Wad::EPSILON);
    Ok(if profit_ceiling(&l.current()?, &env, market, terms)? < demand {
        Bid::Unpaid
    } else {
        Bid::MayPay(env)
    })
}

/// How a liquidatable account fared in the auction.
#[allow(clippy::large_enum_variant)]
pub(super) enum Served {
    /// A liquidator took it.
    Liquidated {
        /// What changed hands.
        done: Executed,
        /// The liquidator's sale of what it received.
        fill: Fill,
        /// The liquidator's profit (after gas).
        profit: Wad,
        /// The bankruptcy it left, settled down the waterfall, if any.
        bad_debt: Option<WaterfallReport>,
    },
    /// A liquidator could send a transaction, and none would.
    Unprofitable,
    /// No liquidator could: the block's gas ran out, or gas is dearer than any will pay.
    NoGas,
}

impl<M: Depth> Bidders<'_, M> {
    /// Why no further account of a venue can be served now, if none can: on the venue's
    /// `unbounded` terms ([`unbounded_terms`]: the depth bound of [`profit_ceiling`], which
    /// does not depend on the account), no liquidator that can send a transaction could be
    /// paid ([`Served::Unprofitable`]), or none can send one ([`Served::NoGas`]). Every
    /// account would then be declined until the market moves, so the rest stay queued.
    pub fn stalled(&self, unbounded: &Opportunity, gas_left: Wad) -> Result<Option<Served>> {
        let mut could_send = false;
        for &li in self.order {
            let Some(l) = self.liquidators.get(li) else { continue };
            match bid(l, self.gas, self.volatility, gas_left, &*self.market, unbounded)? {
                Bid::CannotSend => {}
                Bid::Unpaid => could_send = true,
                Bid::MayPay(_) => return Ok(None),
            }
        }
        Ok(Some(if could_send {
            Served::Unprofitable
        } else {
            Served::NoGas
        }))
    }

    /// Offers `acct` (liquidatable at oracle price `price`) to the liquidators, highest bid
    /// first; the first whose decision acts liquidates it through the kernel, sells what it
    /// receives, and pays for its gas out of `gas_left`.
    ///
    /// A liquidator whose [`profit_ceiling`] on the account (with an upper bound of the
    /// offer: the whole debt, or for a perp the whole position at the oracle price less the
    /// fee) is below what it demands would decline at every size, so it is not asked; when no
    /// liquidator could accept, the kernel's plan is not even made. This changes no outcome,
    /// only the work.
    pub fn serve(
        &mut self,
        params: &VenueParams,
        acct: &mut Borrower,
        price: Wad,
        gas_left: &mut Wad,
        waterfall: &mut Waterfall,
    ) -> Result<Served> {
        let mut bound = terms(params, price)?;
        bound.repay_max = offer_bound(params, acct, price)?;
        let mut could_send = false;
        let mut offer: Option<Offer> = None;
        for &li in self.order {
            let Some(l) = self.liquidators.get_mut(li) else {
                continue;
            };
            let env = match bid(l, self.gas, self.volatility, *gas_left, &*self.market, &bound)? {
                Bid::CannotSend => continue,
                Bid::Unpaid => {
                    could_send = true;
                    continue;
                }
                Bid::MayPay(env) => {
                    could_send = true;
                    env
                }
            };
            let made = match offer {
                Some(o) => o,
                None => *offer.insert(opportunity(params, acct, price)?),
            };
            let d = l.decide(&env, &*self.market, &made.opp)?;
            if !d.act {
                continue;
            }
            let (done, bad_debt) = execute(params, acct, price, &made, &d, waterfall)?;
            let fill = self.market.sell(done.receives)?;
            let profit = l.book(done.paid, d.gas, fill.proceeds)?;
            *gas_left = gas_left.sub(l.gas_per_liquidation())?;
            return Ok(Served::Liquidated {
                done,
                fill,
                profit,
                bad_debt,
            });
        }
        Ok(if could_send {
            Served::Unprofitable
        } else {
            Served::NoGas
        })
    }
}

/// The venue's terms at oracle price `price` with an unbounded offer (`repay_max = Wad::MAX`).
///
/// Errors: as [`terms`].
pub(super) fn unbounded_terms(params: &VenueParams, price: Wad) -> Result<Opportunity> {
    let mut unbounded = terms(params, price)?;
    unbounded.repay_max = Wad::MAX;
    Ok(unbounded)
}

/// An upper bound of what the kernel's plan offers for `acct`: its whole debt (lending), or
/// `⌈⌈base · P⌉ · (1 − fee)⌉` for the whole position (perp, as [`opportunity`] prices it).
fn offer_bound(params: &VenueParams, acct: &Borrower, price: Wad) -> Result<Wad> {
    match params.kind {
        VenueKind::Lending { .. } => Ok(acct.debt.max(Wad::ZERO)),
        VenueKind::Perp { market } => acct
            .collateral
            .abs()?
            .mul_ceil(price)?
            .mul_ceil(Wad::ONE.sub(market.liquidation_fee())?),
    }
}
