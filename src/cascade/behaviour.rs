//! Trader behaviour: who does what as their account nears liquidation (see
//! [`BehaviourMix`]).

use crate::market::Depth;
use crate::rng::Rng;
use crate::{Result, Wad};

use super::borrower::{Behaviour, Borrower};
use super::ledger::Ledger;
use super::settings::BehaviourMix;
use super::venue::{VenueKind, VenueParams};

/// Draws the behaviour of account `index` of venue `venue` from the seed: one uniform draw
/// `u` from [`Rng::derive`]`(seed, venue · 2³² + index)`'s [`unit`](Rng::unit); top-up when
/// `u < top_up`, deleverage when `u < top_up + deleverage`, panic when
/// `u < top_up + deleverage + panic`, else hold.
///
/// Errors: [`Error::Overflow`](crate::Error::Overflow) for a venue index beyond `u32`.
pub fn draw(mix: &BehaviourMix, seed: u64, venue: usize, index: usize) -> Result<Behaviour> {
    let m = mix.raw();
    if mix.is_passive() {
        return Ok(Behaviour::Hold);
    }
    let v = u64::try_from(venue).map_err(|_| crate::Error::Overflow)?;
    let i = u64::try_from(index).map_err(|_| crate::Error::Overflow)?;
    let key = v.checked_shl(32).ok_or(crate::Error::Overflow)? | (i & 0xFFFF_FFFF);
    let u = Rng::derive(seed, key).unit();
    let top = m.top_up;
    let delev = top.add(m.deleverage)?;
    let panic = delev.add(m.panic)?;
    Ok(if u < top {
        Behaviour::TopUp
    } else if u < delev {
        Behaviour::Deleverage
    } else if u < panic {
        Behaviour::Panic
    } else {
        Behaviour::Hold
    })
}

/// What a trader did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Acted {
    pub acted: bool,
    /// Collateral it sold into the market.
    pub sold: Wad,
}

/// Whether the owner of `acct` could act at all this block, whatever its health: `false` for a
/// holder, a top-up already used, a panicking trader before the drawdown reaches its threshold,
/// or an account with nothing to defend — [`act`] would do nothing, so its health need not be
/// computed.
pub(super) fn may_act(mix: &BehaviourMix, acct: &Borrower, drawdown: Wad) -> bool {
    if !acct.debt.is_positive() || acct.collateral.is_zero() {
        return false;
    }
    match acct.behaviour.unwrap_or_default() {
        Behaviour::Hold => false,
        Behaviour::TopUp => !acct.topped_up,
        Behaviour::Deleverage => true,
        Behaviour::Panic => drawdown >= mix.raw().panic_drawdown,
    }
}

/// Lets the owner of a watched account act at price `price` (its health factor `hf`, the
/// market's drawdown `drawdown`), trading in `market` and booking in `ledger`.
#[allow(clippy::too_many_arguments)]
pub(super) fn act<M: Depth>(
    params: &VenueParams,
    mix: &BehaviourMix,
    acct: &mut Borrower,
    hf: Option<Wad>,
    drawdown: Wad,
    price: Wad,
    market: &mut M,
    ledger: &mut Ledger,
) -> Result<Acted> {
    let m = mix.raw();
    // An account without debt has nothing to defend.
    if hf.is_none() || !acct.debt.is_positive() || acct.collateral.is_zero() {
        return Ok(Acted::default());
    }
    match acct.behaviour.unwrap_or_default() {
        Behaviour::Hold => Ok(Acted::default()),
        Behaviour::TopUp => {
            if acct.topped_up {
                return Ok(Acted::default());
            }
            let add = acct.collateral.mul_floor(m.top_up_fraction)?;
            acct.topped_up = true;
            match params.kind {
                // An option writer (who holds in this model) would add collateral too.
                VenueKind::Lending { .. } | VenueKind::Options(_) => ledger.top_up_collateral(acct, add)?,
                VenueKind::Perp { .. } => {
                    // A perp trader adds that much value in quote, at most its debt.
                    let quote = add.mul_floor(price)?.min(acct.debt);
                    ledger.top_up_quote(acct, quote)?;
                }
            }
            Ok(Acted {
                acted: true,
                sold: Wad::ZERO,
            })
        }
        Behaviour::Deleverage => {
            // Withdrawing collateral from a liquidatable account is refused by the venue.
            if hf.is_some_and(|f| f < Wad::ONE) {
                return Ok(Acted::default());
            }
            let qty = acct.collateral.mul_floor(m.deleverage_fraction)?;
            sell(acct, qty, market, ledger)
        }
        Behaviour::Panic => {
            if drawdown < m.panic_drawdown {
                return Ok(Acted::default());
            }
            // It can close only if the sale covers the debt (a lender releases the collateral
            // against repayment).
            let (filled, proceeds) = market.sell_filled(acct.collateral)?;
            if filled != acct.collateral || proceeds < acct.debt {
                return Ok(Acted::default());
            }
            let qty = acct.collateral;
            sell(acct, qty, market, ledger)
        }
    }
}

/// Sells `qty` of `acct`'s collateral and repays its debt with the proceeds; the surplus
/// leaves the system.
fn sell<M: Depth>(acct: &mut Borrower, qty: Wad, market: &mut M, ledger: &mut Ledger) -> Result<Acted> {
    if qty.is_zero() {
        return Ok(Acted::default());
    }
    let fill = market.sell(qty)?;
    if fill.filled.is_zero() {
        return Ok(Acted::default());
    }
    ledger.trader_sale(acct, fill.filled, fill.proceeds)?;
    Ok(Acted {
        acted: true,
        sold: fill.filled,
    })
}
