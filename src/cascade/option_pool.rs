//! An AMM option pool in a cascade: a venue of kind `"option_pool"` whose liquidity providers
//! have **sold** `q` units of the venue's one series to traders and back them with capital in
//! the shared collateral. The series is the options venue's ([`Book`](super::Book)): marked
//! once per block at the venue's judging price `S` and the vol `σ_b` of its volatility path,
//! `M = ⌈V(S, σ_b)⌉` (the formulas of the `option_pool` op's stress, [`crate::options::OptionPool`]).
//!
//! # The pool's books (all exact; rounding against the providers)
//!
//! The pool holds `c` units of the collateral and `k` of cash (the proceeds of its hedge
//! sales), owes `q` options, and keeps its own waterfall (premium collected, then insurance).
//!
//! ```text
//! L = ⌈q · M⌉                        liability, rounded up
//! A = ⌊c · S⌋ + k                    the capital's value, rounded down
//! E = A − L                          LP equity (may be negative)
//! u = ⌈⌈q · K⌉ / A⌉                  utilisation (strike notional over capital, as the op's);
//!                                    none when A = 0
//! solvent ⇔ E ≥ 0
//! ```
//!
//! # The hedge (a short put is long delta: the pool sells)
//!
//! With hedging on, the pool's hedge target is `H = ⌈q · |Δ|⌉`, `Δ` the series' delta at
//! `(S, σ_b)` rounded toward −∞ (so `|Δ|` of a put is rounded up). Each block it sells
//! `min(max(H − h, 0), c)` into the shared market (the pool the liquidators sell into), `h`
//! what it has sold so far: it never buys back when its delta falls (a one-way hedge, which
//! is what makes the providers sell into a falling market). The pool is taken as delta-neutral
//! at block 0: the opening hedge `h₀ = ⌈q·|Δ₀|⌉` is counted as sold already, outside its
//! capital, so `h = h₀ + Σ` its sales in the run and it sells only the rise of its delta,
//! `⌈q·|Δ_b|⌉ − h`, from its capital `c` (never more than it holds). The proceeds are its cash
//! `k` (`k = 0` at block 0). Only a put series hedges (a short call's hedge would buy; refused).
//!
//! # The waterfall (booked once per increase)
//!
//! The shortfall `D_b = max(−E_b, 0)` is booked as it rises: when `D_b > D*` (the highest
//! booked so far) the increase `D_b − D*` goes down the venue's waterfall, premium buffer
//! first, then the insurance fund, and `D* = D_b`; what the two do not cover is the
//! providers' **insolvency** (the waterfall's lender deposits must be 0). A shortfall that
//! later shrinks is not given back. So `premium + insurance + uncovered = D*` exactly.

use crate::options::{OptionKind, greeks};
use crate::{Error, Result, Rounding, Wad};

use super::options_venue::Book;
use crate::liquidation::Waterfall;
use crate::market::Depth;

/// An option pool's parameters: the options sold and the providers' capital, before the
/// opening hedge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PoolTerms {
    /// Option units sold to traders, `q > 0`.
    pub sold: Wad,
    /// The providers' capital in the shared collateral, `c₀ > 0`.
    pub capital: Wad,
    /// Whether the pool delta-hedges (only a put series may).
    pub hedge: bool,
}

impl PoolTerms {
    /// Checks the terms against `book`'s series.
    ///
    /// Errors: [`Error::Invalid`] naming `sold` or `capital` unless `> 0`, `hedge` when a call
    /// series asks for it.
    pub fn check(&self, book: &Book) -> Result<()> {
        if !self.sold.is_positive() {
            return Err(Error::invalid("sold", "must be > 0"));
        }
        if !self.capital.is_positive() {
            return Err(Error::invalid("capital", "must be > 0"));
        }
        if self.hedge && book.series.kind() != OptionKind::Put {
            return Err(Error::invalid(
                "hedge",
                "only a put pool hedges (a short call's hedge would buy the collateral)",
            ));
        }
        Ok(())
    }
}

/// One block of an option pool: what the run's record carries for it, kept small (a record
/// holds one per venue). The price `S` and mark `M` it was valued at are the venue's quote of
/// the block; the collateral held and the cash are `c₀ − Σ hedge_sold` and `Σ hedge_proceeds`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PoolBlock {
    /// `E = ⌊c·S⌋ + k − ⌈q·M⌉`.
    pub equity: Wad,
    /// `⌈⌈q·K⌉ / A⌉` (`None`: no capital left).
    pub utilisation: Option<Wad>,
    /// `E ≥ 0`.
    pub solvent: bool,
    /// Collateral units sold by the hedge in the block.
    pub hedge_sold: Wad,
    /// What they fetched.
    pub hedge_proceeds: Wad,
    /// Shortfall absorbed by the premium buffer in the block.
    pub premium_absorbed: Wad,
    /// By the insurance fund.
    pub insurance_absorbed: Wad,
    /// Left uncovered: the providers' insolvency added in the block.
    pub uncovered: Wad,
}

/// An option pool over a run: its books and its figures so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PoolStats {
    /// Option units sold, `q`.
    pub sold: Wad,
    /// The providers' capital before the opening hedge, `c₀`.
    pub capital_start: Wad,
    /// The opening hedge `h₀ = ⌈q·|Δ₀|⌉`, counted as sold outside the pool (0 unhedged).
    pub opening_hedge: Wad,
    /// Collateral units held now.
    pub capital: Wad,
    /// Cash held now.
    pub cash: Wad,
    /// Units sold into the market by the hedge during the run (the opening hedge excluded).
    pub hedge_sold: Wad,
    /// What they fetched.
    pub hedge_proceeds: Wad,
    /// Blocks in which the hedge sold.
    pub hedge_blocks: u64,
    /// LP equity at block 0.
    pub equity_start: Wad,
    /// LP equity at the last block valued.
    pub equity: Wad,
    /// Its lowest.
    pub equity_low: Wad,
    /// The first block it was reached in.
    pub equity_low_block: u64,
    /// The highest utilisation.
    pub utilisation_high: Wad,
    /// Blocks the pool was insolvent in (`E < 0`).
    pub insolvent_blocks: u64,
    /// `D*`, the highest shortfall booked.
    pub shortfall: Wad,
    /// Absorbed by the premium buffer.
    pub premium_absorbed: Wad,
    /// By the insurance fund.
    pub insurance_absorbed: Wad,
    /// The providers' insolvency: what neither covered.
    pub uncovered: Wad,
}

/// The pool's valuation at quote `(S, M)`: `(L, E, u)` (see the module docs).
///
/// Errors: [`Error::Overflow`].
pub fn value(sold: Wad, capital: Wad, cash: Wad, strike: Wad, spot: Wad, mark: Wad) -> Result<(Wad, Wad, Option<Wad>)> {
    let liability = sold.mul_ceil(mark)?;
    let assets = capital.mul_floor(spot)?.add(cash)?;
    let equity = assets.sub(liability)?;
    let utilisation = if assets.is_positive() {
        Some(sold.mul_ceil(strike)?.div_ceil(assets)?)
    } else {
        None
    };
    Ok((liability, equity, utilisation))
}

/// `|Δ|` of `book`'s live series at `spot` and its live vol, with `Δ` rounded toward −∞.
///
/// Errors: what the pricing reports.
fn abs_delta(book: &Book, spot: Wad) -> Result<Wad> {
    let inputs = book.live.inputs(spot, &book.mark)?;
    let g = greeks(book.live.kind(), &inputs, Rounding::Floor)?;
    g.delta.abs()
}

impl PoolStats {
    /// Opens the pool at block 0 on `book`'s block-0 quote: the opening hedge `h₀` (nothing
    /// is sold), and the equity at the start, `⌊c₀·S₀⌋ − ⌈q·M₀⌉`.
    ///
    /// Errors: [`Error::Invalid`] naming `option_pool` when the book has no quote; what the
    /// pricing reports; [`Error::Overflow`].
    pub fn open(terms: &PoolTerms, book: &Book) -> Result<Self> {
        let q = book.quote.ok_or(Error::invalid(
            "option_pool",
            "the series has not been quoted at block 0",
        ))?;
        let opening = if terms.hedge {
            terms.sold.mul_ceil(abs_delta(book, q.spot)?)?
        } else {
            Wad::ZERO
        };
        let capital = terms.capital;
        let (_, equity, u) = value(terms.sold, capital, Wad::ZERO, book.live.raw().strike, q.spot, q.mark)?;
        Ok(Self {
            sold: terms.sold,
            capital_start: terms.capital,
            opening_hedge: opening,
            capital,
            equity_start: equity,
            equity,
            equity_low: equity,
            utilisation_high: u.unwrap_or(Wad::ZERO),
            ..Self::default()
        })
    }

    /// The pool's part of `block` on `book`'s quote for it: the hedge's sale into `market`
    /// (when `hedge`), the valuation, and the shortfall's increase down `waterfall`. On
    /// error nothing changes in the pool (the market may have moved).
    ///
    /// Errors: [`Error::Invalid`] naming `option_pool` when the book has no quote; what the
    /// market and the pricing report; [`Error::Overflow`].
    pub fn step<D: Depth>(
        &mut self,
        block: u64,
        hedge: bool,
        book: &Book,
        market: &mut D,
        waterfall: &mut Waterfall,
    ) -> Result<PoolBlock> {
        let q = book
            .quote
            .ok_or(Error::invalid("option_pool", "the series has not been quoted"))?;
        let mut next = *self;
        let mut out = PoolBlock::default();
        if hedge {
            let target = next.sold.mul_ceil(abs_delta(book, q.spot)?)?;
            let done = next.opening_hedge.add(next.hedge_sold)?;
            let want = target.sub(done)?.max(Wad::ZERO).min(next.capital);
            if want.is_positive() {
                let fill = market.sell(want)?;
                out.hedge_sold = fill.filled;
                out.hedge_proceeds = fill.proceeds;
                next.capital = next.capital.sub(fill.filled)?;
                next.cash = next.cash.add(fill.proceeds)?;
                next.hedge_sold = next.hedge_sold.add(fill.filled)?;
                next.hedge_proceeds = next.hedge_proceeds.add(fill.proceeds)?;
                if fill.filled.is_positive() {
                    next.hedge_blocks = next.hedge_blocks.saturating_add(1);
                }
            }
        }
        let (_, equity, u) = value(
            next.sold,
            next.capital,
            next.cash,
            book.live.raw().strike,
            q.spot,
            q.mark,
        )?;
        out.equity = equity;
        out.utilisation = u;
        out.solvent = !equity.is_negative();
        next.equity = equity;
        if equity < next.equity_low {
            next.equity_low = equity;
            next.equity_low_block = block;
        }
        if let Some(u) = u {
            next.utilisation_high = next.utilisation_high.max(u);
        }
        if equity.is_negative() {
            next.insolvent_blocks = next.insolvent_blocks.saturating_add(1);
        }
        let shortfall = equity.neg()?.max(Wad::ZERO);
        let mut pool = *waterfall;
        if shortfall > next.shortfall {
            let r = pool.absorb(shortfall.sub(next.shortfall)?)?;
            // Lender deposits are 0 for a pool: what premium and insurance leave is uncovered.
            let uncovered = r.uncovered.add(r.socialized)?;
            out.premium_absorbed = r.premium;
            out.insurance_absorbed = r.insurance;
            out.uncovered = uncovered;
            next.premium_absorbed = next.premium_absorbed.add(r.premium)?;
            next.insurance_absorbed = next.insurance_absorbed.add(r.insurance)?;
            next.uncovered = next.uncovered.add(uncovered)?;
            next.shortfall = shortfall;
        }
        *self = next;
        *waterfall = pool;
        Ok(out)
    }
}
