//! The [`Depth`] trait that every model implements, and the checks and steps they share.

use super::{Fill, Side};
use crate::{Error, Result, Wad};

/// 2, as a [`Wad`].
pub(super) const TWO: Wad = Wad::from_i64(2);
/// 3, as a [`Wad`].
pub(super) const THREE: Wad = Wad::from_i64(3);
/// 4, as a [`Wad`].
pub(super) const FOUR: Wad = Wad::from_i64(4);

/// How many times [`settle`] shrinks an arbitrage before giving up (the step doubles each
/// time, so 128 shrinks span the whole range of a [`Wad`]).
const SHRINKS: u32 = 128;

/// A market of finite depth: a marginal price, and what trading a base quantity against it
/// gives. Every model of this module implements it; [`Market`](super::Market) dispatches to
/// them statically.
///
/// Conventions shared by every implementation:
///
/// - A quantity is in base units; `qty < 0` is [`Error::Invalid`] naming `qty`, `qty = 0` an
///   empty fill ([`Fill::empty`]).
/// - Proceeds of a sell round down, costs of a buy round up; the market keeps the dust.
/// - [`trade`](Depth::trade) returns exactly what [`quote`](Depth::quote) returns in the same
///   state, and on an error leaves the state unchanged.
/// - A fill is made as [`Fill::new`] makes it (or is [`Fill::empty`]): its unfilled part and
///   average price are those of its other fields, and fit.
pub trait Depth {
    /// The current marginal price (quote per base), rounded down to the 1e-18 grid.
    fn price(&self) -> Wad;

    /// What trading `qty` base units on `side` would give now; the state does not change.
    ///
    /// Errors: [`Error::Invalid`] naming `qty` when `qty < 0`; [`Error::Overflow`] when a
    /// result does not fit.
    fn quote(&self, side: Side, qty: Wad) -> Result<Fill>;

    /// Trades `qty` base units on `side`, moving the market; returns the same fill as
    /// [`quote`](Depth::quote). On an error the state is unchanged.
    ///
    /// Errors: as [`quote`](Depth::quote).
    fn trade(&mut self, side: Side, qty: Wad) -> Result<Fill>;

    /// [`quote`](Depth::quote) of a sell.
    ///
    /// Errors: as [`quote`](Depth::quote).
    fn quote_sell(&self, qty: Wad) -> Result<Fill> {
        self.quote(Side::Sell, qty)
    }

    /// The proceeds of [`quote_sell`](Depth::quote_sell), with its errors: what a seller
    /// comparing sizes needs of a fill. A model may compute them without the rest of the fill
    /// (its prices); by default, the fill's.
    ///
    /// Errors: as [`quote`](Depth::quote).
    fn sell_proceeds(&self, qty: Wad) -> Result<Wad> {
        self.quote_sell(qty).map(|fill| fill.proceeds)
    }

    /// The quantity filled and the proceeds of [`quote_sell`](Depth::quote_sell), with its
    /// errors: what a seller who must sell all of `qty` needs of a fill. A model may compute
    /// them without the rest of the fill; by default, the fill's.
    ///
    /// Errors: as [`quote`](Depth::quote).
    fn sell_filled(&self, qty: Wad) -> Result<(Wad, Wad)> {
        self.quote_sell(qty).map(|fill| (fill.filled, fill.proceeds))
    }

    /// [`trade`](Depth::trade) of a sell.
    ///
    /// Errors: as [`quote`](Depth::quote).
    fn sell(&mut self, qty: Wad) -> Result<Fill> {
        self.trade(Side::Sell, qty)
    }

    /// [`quote`](Depth::quote) of a buy.
    ///
    /// Errors: as [`quote`](Depth::quote).
    fn quote_buy(&self, qty: Wad) -> Result<Fill> {
        self.quote(Side::Buy, qty)
    }

    /// [`trade`](Depth::trade) of a buy.
    ///
    /// Errors: as [`quote`](Depth::quote).
    fn buy(&mut self, qty: Wad) -> Result<Fill> {
        self.trade(Side::Buy, qty)
    }

    /// Whether a sell never raises what a later sell receives: after [`sell`](Depth::sell) of
    /// any quantity, [`sell_proceeds`](Depth::sell_proceeds) of every quantity is at most what
    /// it was, exactly on the grid (or an error, where the sale moved the market's state to
    /// the edge of the `Wad` range). A model that promises it says so; by default, `false`.
    ///
    /// A caller may then keep, across its own sales, a proof that selling into the market
    /// does not pay (a liquidator shown to decline stays shown).
    fn sales_lower_proceeds(&self) -> bool {
        false
    }

    /// Depth stress: scales the market's liquidity by `factor` in `(0, 1]` (1 changes
    /// nothing). Each model documents how; a stressed market never gives a seller more.
    ///
    /// Errors: [`Error::Invalid`] naming `stress` unless `0 < factor <= 1`, or when the
    /// stressed market would have no liquidity left where the model needs some.
    fn stress(&mut self, factor: Wad) -> Result<()>;

    /// Arbitrage toward `reference`: buys when the price is below it, sells when above, at
    /// most `capacity` base units, and never moves the price past it (the last unit may stop
    /// just short of it after rounding). A fill with `filled = 0` when the price is already
    /// there or `capacity` is 0. Each model documents its closed form.
    ///
    /// Errors: [`Error::Invalid`] naming `reference` unless `reference > 0`, naming
    /// `capacity` unless `capacity >= 0`; [`Error::Overflow`].
    fn arbitrage(&mut self, reference: Wad, capacity: Wad) -> Result<Fill>;

    /// The price the market rests at with no impact outstanding: an impact model's anchor
    /// (its price at zero net sales), and for a pool or a book, whose state keeps no memory
    /// of past trades, its current price. A [`Transient`](super::Transient) market scales
    /// the model around it.
    fn anchor(&self) -> Wad {
        self.price()
    }

    /// The most base a seller can sell now while every further unit still earns at least
    /// `price` (the marginal revenue, fees included): where a seller whose cost is `price` per
    /// unit stops, since every model's proceeds are concave in the quantity. Rounded down, so
    /// the marginal revenue at the returned quantity is never below `price`; 0 when the first
    /// unit already earns less. Each model documents its closed form.
    ///
    /// Errors: [`Error::Invalid`] naming `price` unless `price > 0`; [`Error::Overflow`].
    fn sellable_above(&self, price: Wad) -> Result<Wad>;
}

/// Rejects a stop price that is not positive: [`Error::Invalid`] naming `price`.
pub(super) fn check_stop(price: Wad) -> Result<()> {
    if price.is_positive() {
        Ok(())
    } else {
        Err(Error::invalid("price", "must be > 0"))
    }
}

/// Rejects a negative quantity: [`Error::Invalid`] naming `qty`.
pub(super) fn check_qty(qty: Wad) -> Result<()> {
    if qty.is_negative() {
        Err(Error::invalid("qty", "must be ≥ 0"))
    } else {
        Ok(())
    }
}

/// Rejects a stress factor outside `(0, 1]`: [`Error::Invalid`] naming `stress`.
pub(super) fn check_factor(factor: Wad) -> Result<()> {
    if factor.is_positive() && factor <= Wad::ONE {
        Ok(())
    } else {
        Err(Error::invalid("stress", "must be in (0, 1]"))
    }
}

/// The side arbitrage takes toward `reference` (after checking its arguments), or `None` when
/// the marginal price is already there or `capacity` is 0.
///
/// Errors: [`Error::Invalid`] naming `reference` unless `reference > 0`, naming `capacity`
/// unless `capacity >= 0`.
pub(super) fn arbitrage_side(price: Wad, reference: Wad, capacity: Wad) -> Result<Option<Side>> {
    if !reference.is_positive() {
        return Err(Error::invalid("reference", "must be > 0"));
    }
    if capacity.is_negative() {
        return Err(Error::invalid("capacity", "must be ≥ 0"));
    }
    if capacity.is_zero() {
        return Ok(None);
    }
    Ok(match price.cmp(&reference) {
        core::cmp::Ordering::Less => Some(Side::Buy),
        core::cmp::Ordering::Greater => Some(Side::Sell),
        core::cmp::Ordering::Equal => None,
    })
}

/// Whether a marginal price `after` has not passed `reference` for a trade on `side`: a
/// buy must leave it `<= reference`, a sell `>= reference`.
fn within(side: Side, after: Wad, reference: Wad) -> bool {
    match side {
        Side::Buy => after <= reference,
        Side::Sell => after >= reference,
    }
}

/// Executes an arbitrage of `estimate` base units on `side` (at most `capacity`), shrinking it
/// until the price after the trade has not passed `reference`.
///
/// The estimate comes from a model's closed form rounded so that it should not overshoot;
/// this is the guarantee: while the quoted price after would pass the reference, the
/// quantity shrinks by a step that starts at 1e-18 and doubles (at most 128 times), and the
/// trade happens only once the quote is on the right side. When no positive quantity is,
/// nothing trades.
pub(super) fn settle<D: Depth + ?Sized>(
    market: &mut D,
    side: Side,
    estimate: Wad,
    capacity: Wad,
    reference: Wad,
) -> Result<Fill> {
    let mut qty = estimate.min(capacity);
    let mut step = Wad::EPSILON;
    let mut shrinks = 0u32;
    while qty.is_positive() {
        let fill = market.quote(side, qty)?;
        if within(side, fill.price_after, reference) {
            return market.trade(side, qty);
        }
        if shrinks >= SHRINKS {
            break;
        }
        qty = qty.sub(step)?;
        step = step.add(step).unwrap_or(Wad::MAX);
        shrinks = shrinks.saturating_add(1);
    }
    Ok(Fill::empty(side, Wad::ZERO, market.price()))
}
