//! The equilibrium solver: the Liquidation Cascade Equilibrium of the instantaneous model,
//! computed directly.
//!
//! **The model.** One venue, one shared market, one liquidator; no latency (the oracle shows
//! the market's price at the start of each round), no gas limit, no trader behaviour, no
//! arbitrage (the shock is already in the market's state). Each liquidation closes the
//! account's debt — a close factor whose dust threshold covers every debt, as Liquity and
//! full-liquidation perp venues do — so an account is liquidated at most once.
//!
//! **The equilibrium** is the largest price `p*` at or below the shocked price at which the
//! market, after selling everything that is liquidatable and profitable, clears at `p*`. With
//! `g(p)` the price after selling what every account with liquidation price `≥ p` sells, `g` is
//! non-decreasing and the cascade's prices `p₀ ≥ p₁ = g(p₀) ≥ p₂ = g(p₁) ≥ …` fall to the
//! largest fixed point below `p₀` (any `p ≤ p₀` with `g(p) ≥ p` bounds every `pₖ` from below).
//!
//! **The solver** sorts the accounts once by liquidation price (`O(N log N)`, an introsort in the
//! caller's scratch) and walks the sorted list round by round: round `k` liquidates, at oracle price
//! `pₖ`, every account whose liquidation price is `≥ pₖ`, most underwater first, each sale
//! moving the market; `pₖ₊₁` is the market's price after them. Every account is triggered
//! once; accounts that were triggered but not liquidated (unprofitable, or not yet below
//! maintenance once rounded exactly) are kept at the front of the scratch and offered again
//! each round, as the block engine does. The work is `O(N log N + R·U)` for `R` rounds and
//! `U` accounts left unliquidated (`U = 0` in a cascade that ends exhausted). It makes the
//! same kernel calls in the same order as [`Cascade`](super::Cascade) on the same case, so the
//! two agree to the last bit (a test checks it).

use crate::liquidation::Waterfall;
use crate::liquidator::{Environment, EnvironmentRaw, Verdict};
use crate::market::Depth;
use crate::{Error, Result, Wad};

use super::borrower::Borrower;
use super::heap::sort;
use super::liquidators::Liquidator;
use super::queue::{Keys, Slot, fill, swap};
use super::record::Stop;
use super::venue::{VenueParams, execute, key, keys, liquidatable, opportunity, settle};

/// The instantaneous model's parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Model {
    /// The venue.
    pub venue: VenueParams,
    /// The liquidator (its capital is spent and replenished as it works).
    pub liquidator: Liquidator,
    /// The gas price it pays.
    pub gas_price: Wad,
    /// The collateral's volatility it charges as execution risk.
    pub volatility: Wad,
}

/// Where the instantaneous cascade settles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Equilibrium {
    /// The equilibrium price: the market's price when the cascade stops.
    pub price: Wad,
    /// [`Stop::Exhausted`] (no account is liquidatable at `price`) or [`Stop::Unprofitable`].
    pub stop: Stop,
    /// Rounds, the last one quiet (the block engine's block count on the same case).
    pub rounds: u64,
    /// Liquidations executed.
    pub liquidations: u64,
    /// Accounts liquidatable at `price` and left alone (0 when exhausted).
    pub stuck: u64,
    /// Collateral the liquidations sold.
    pub sold: Wad,
    /// What the sales fetched.
    pub proceeds: Wad,
    /// Bad debt written off.
    pub bad_debt: Wad,
    /// The liquidator after the cascade.
    pub liquidator: Liquidator,
    /// The waterfall after the cascade.
    pub waterfall: Waterfall,
}

/// Solves the instantaneous cascade of `accounts` (changed as liquidated) in `market` (moved
/// by the sales), with `scratch` holding one [`Slot`] per account.
///
/// Errors: [`Error::Invalid`] naming `queue` when `scratch` is shorter than `accounts`,
/// `liquidation` when a liquidation leaves an account that could be liquidated again (the
/// venue's close factor does not close the debt: the model does not apply); what the kernel
/// and the market report.
pub fn solve<M: Depth>(
    model: &Model,
    market: &mut M,
    accounts: &mut [Borrower],
    scratch: &mut [Slot],
) -> Result<Equilibrium> {
    let n = accounts.len();
    // The accounts in service order: most underwater first, ties by index.
    let shared: &[Borrower] = accounts;
    let slots = fill(scratch, n, |i| {
        shared.get(i).map_or(
            Ok(Keys {
                key: Wad::ZERO,
                sure: None,
                ..Keys::default()
            }),
            |a| keys(&model.venue, a),
        )
    })?;
    sort(slots);
    let mut out = Equilibrium {
        price: market.price(),
        stop: Stop::Exhausted,
        rounds: 0,
        liquidations: 0,
        stuck: 0,
        sold: Wad::ZERO,
        proceeds: Wad::ZERO,
        bad_debt: Wad::ZERO,
        liquidator: model.liquidator,
        waterfall: model.venue.waterfall,
    };
    let env = Environment::new(EnvironmentRaw {
        gas_price: model.gas_price.add(model.liquidator.priority_fee())?,
        volatility: model.volatility,
    })?;
    // slots[..kept]: triggered, not liquidated; slots[next..]: not yet triggered.
    let mut kept = 0usize;
    let mut next = 0usize;
    loop {
        out.rounds = out.rounds.saturating_add(1);
        let p = market.price();
        let mut moved = false;
        // This round serves the kept slots, then every newly triggered one, in order.
        let mut end = next;
        while slots.get(end).is_some_and(|s| s.key >= p && !s.key.is_zero()) {
            end = end.saturating_add(1);
        }
        let mut write = 0usize;
        let total = kept.saturating_add(end.saturating_sub(next));
        for k in 0..total {
            let from = if k < kept {
                k
            } else {
                next.saturating_add(k.saturating_sub(kept))
            };
            let slot = *slots.get(from).ok_or(Error::invalid(
                "queue",
                "the scratch slice is shorter than the accounts",
            ))?;
            let i = usize::try_from(slot.index).map_err(|_| Error::Overflow)?;
            let acct = accounts
                .get_mut(i)
                .ok_or(Error::invalid("queue", "a queue slot points past the accounts"))?;
            let mut done = false;
            if acct.is_bankrupt() {
                let (r, _) = settle(&model.venue, acct, p, &mut out.waterfall)?;
                out.bad_debt = out.bad_debt.add(r.bad_debt)?;
                moved = true;
                done = true;
            } else if liquidatable(&model.venue, acct, p)? {
                let offer = opportunity(&model.venue, acct, p)?;
                let d = out.liquidator.decide(&env, market, &offer.opp)?;
                if d.act {
                    let (x, report) = execute(&model.venue, acct, p, &offer, &Verdict::from(&d), &mut out.waterfall)?;
                    let fill = market.sell(x.receives)?;
                    out.liquidator.book(x.paid, d.gas, fill.proceeds)?;
                    out.liquidations = out.liquidations.saturating_add(1);
                    out.sold = out.sold.add(fill.filled)?;
                    out.proceeds = out.proceeds.add(fill.proceeds)?;
                    if let Some(r) = report {
                        out.bad_debt = out.bad_debt.add(r.bad_debt)?;
                    }
                    if !key(&model.venue, acct)?.is_zero() {
                        return Err(Error::invalid(
                            "liquidation",
                            "a liquidation left the account liquidatable: the model needs a close factor that closes the debt",
                        ));
                    }
                    moved = true;
                    done = true;
                }
            }
            if !done {
                // Kept for the next round; the write position never passes the read one.
                swap(slots, write, from);
                write = write.saturating_add(1);
            }
        }
        kept = write;
        next = end;
        if !moved {
            out.price = market.price();
            let mut stuck = 0u64;
            for slot in slots.get(..kept).unwrap_or_default() {
                let i = usize::try_from(slot.index).map_err(|_| Error::Overflow)?;
                let acct = accounts
                    .get(i)
                    .ok_or(Error::invalid("queue", "a queue slot points past the accounts"))?;
                if liquidatable(&model.venue, acct, out.price)? {
                    stuck = stuck.saturating_add(1);
                }
            }
            out.stuck = stuck;
            out.stop = if stuck > 0 { Stop::Unprofitable } else { Stop::Exhausted };
            return Ok(out);
        }
    }
}
