//! An order-book ladder: bids and asks as price levels of fixed capacity.

use heapless::Vec;

use super::depth::{TWO, arbitrage_side, check_factor, check_qty, check_stop};
use super::{Depth, Fill, Side};
use crate::{Error, Result, Wad};

/// One price level of a book: a positive price and a positive base quantity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "LevelWire"))]
pub struct Level {
    price: Wad,
    qty: Wad,
}

impl Level {
    /// A level of `qty` base units at `price`.
    ///
    /// Errors: [`Error::Invalid`] naming `price` unless `price > 0`, `qty` unless `qty > 0`.
    pub fn new(price: Wad, qty: Wad) -> Result<Self> {
        if !price.is_positive() {
            return Err(Error::invalid("price", "must be > 0"));
        }
        if !qty.is_positive() {
            return Err(Error::invalid("qty", "must be > 0"));
        }
        Ok(Self { price, qty })
    }

    /// The price of the level.
    #[must_use]
    pub const fn price(&self) -> Wad {
        self.price
    }

    /// The base quantity resting at the level.
    #[must_use]
    pub const fn qty(&self) -> Wad {
        self.qty
    }
}

/// A level as written on the wire (see [`crate::wire`]): every field `None` when absent;
/// deserializing goes through [`Level::new`].
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct LevelWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) price: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) qty: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<LevelWire> for Level {
    type Error = Error;

    /// [`Level::new`] of the two fields, each required.
    fn try_from(w: LevelWire) -> Result<Self> {
        use crate::wire::need;
        Self::new(need(w.price, "price")?, need(w.qty, "qty")?)
    }
}

/// An order book of at most `N` levels a side: bids best (highest) first, asks best (lowest)
/// first.
///
/// - A **sell** walks the bids from the best, a **buy** the asks; each level contributes
///   `take·price`, rounded down for a sell and up for a buy (level by level, as separate
///   fills settle). When a side runs out, the rest is unfilled.
/// - The marginal price is the mid `bid + ⌊(ask − bid)/2⌋` (the mid rounded down) when both
///   sides have levels, the best level of the only side that has some, and 0 when a trade or
///   a stress has emptied both (a book cannot be built empty).
/// - Stress scales every level's quantity by the factor, rounded down; a level left at 0 is
///   removed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawOrderBook<N>"))]
pub struct OrderBook<const N: usize = 32> {
    bids: Vec<Level, N>,
    asks: Vec<Level, N>,
}

/// Where a walk of one side stopped: levels consumed whole, and what is left of the next one
/// when it was consumed in part.
#[derive(Clone, Copy, Debug)]
struct Walk {
    whole: usize,
    partial: Option<Wad>,
}

impl<const N: usize> OrderBook<N> {
    /// A book with `bids` (strictly descending prices) and `asks` (strictly ascending).
    ///
    /// Errors: [`Error::Invalid`] naming `bids` when both sides are empty or the bids are not
    /// strictly descending, `asks` when the asks are not strictly ascending or the best bid is
    /// not below the best ask; [`Error::Capacity`] naming `bids` or `asks` when a side has
    /// more than `N` levels.
    pub fn new(bids: &[Level], asks: &[Level]) -> Result<Self> {
        if bids.is_empty() && asks.is_empty() {
            return Err(Error::invalid("bids", "the book must have at least one bid or ask"));
        }
        if bids.windows(2).any(|p| matches!(p, [a, b] if a.price <= b.price)) {
            return Err(Error::invalid("bids", "must be strictly descending in price"));
        }
        if asks.windows(2).any(|p| matches!(p, [a, b] if a.price >= b.price)) {
            return Err(Error::invalid("asks", "must be strictly ascending in price"));
        }
        if let (Some(bid), Some(ask)) = (bids.first(), asks.first())
            && bid.price >= ask.price
        {
            return Err(Error::invalid("asks", "the best bid must be below the best ask"));
        }
        Ok(Self {
            bids: Vec::from_slice(bids).map_err(|_| Error::capacity("bids", "more levels than the book's capacity"))?,
            asks: Vec::from_slice(asks).map_err(|_| Error::capacity("asks", "more levels than the book's capacity"))?,
        })
    }

    /// The bids, best (highest price) first.
    #[must_use]
    pub fn bids(&self) -> &[Level] {
        &self.bids
    }

    /// The asks, best (lowest price) first.
    #[must_use]
    pub fn asks(&self) -> &[Level] {
        &self.asks
    }

    /// The levels a trade on `side` walks.
    fn side_levels(&self, side: Side) -> &[Level] {
        match side {
            Side::Sell => &self.bids,
            Side::Buy => &self.asks,
        }
    }

    /// The marginal price of a book whose best bid and ask are `bid` and `ask`.
    fn mid(bid: Option<Wad>, ask: Option<Wad>) -> Result<Wad> {
        match (bid, ask) {
            (Some(b), Some(a)) => b.add(a.sub(b)?.div_floor(TWO)?),
            (Some(p), None) | (None, Some(p)) => Ok(p),
            (None, None) => Ok(Wad::ZERO),
        }
    }

    /// The fill of trading `qty` on `side`, and where the walk stopped.
    fn next(&self, side: Side, qty: Wad) -> Result<(Fill, Walk)> {
        check_qty(qty)?;
        let best = |levels: &[Level]| levels.first().map(|l| l.price);
        let before = Self::mid(best(&self.bids), best(&self.asks))?;
        let levels = self.side_levels(side);
        let mut left = qty;
        let mut proceeds = Wad::ZERO;
        let mut walk = Walk {
            whole: 0,
            partial: None,
        };
        for level in levels {
            if !left.is_positive() {
                break;
            }
            let take = left.min(level.qty);
            let value = match side {
                Side::Sell => take.mul_floor(level.price)?,
                Side::Buy => take.mul_ceil(level.price)?,
            };
            proceeds = proceeds.add(value)?;
            left = left.sub(take)?;
            if take < level.qty {
                walk.partial = Some(level.qty.sub(take)?);
            } else {
                walk.whole = walk.whole.saturating_add(1);
            }
        }
        let next_best = levels.get(walk.whole).map(|l| l.price);
        let after = match side {
            Side::Sell => Self::mid(next_best, best(&self.asks))?,
            Side::Buy => Self::mid(best(&self.bids), next_best)?,
        };
        let filled = qty.sub(left)?;
        Ok((Fill::new(side, qty, filled, proceeds, before, after)?, walk))
    }
}

/// Removes the `whole` best levels of `levels` and leaves `partial` at the new best one.
fn consume<const N: usize>(levels: &mut Vec<Level, N>, walk: Walk) {
    let whole = walk.whole.min(levels.len());
    levels.rotate_left(whole);
    levels.truncate(levels.len().saturating_sub(whole));
    if let (Some(qty), Some(first)) = (walk.partial, levels.first_mut()) {
        first.qty = qty;
    }
}

impl<const N: usize> Depth for OrderBook<N> {
    fn price(&self) -> Wad {
        let best = |levels: &[Level]| levels.first().map(|l| l.price);
        // bid < ask is kept by every trade, so the mid always fits.
        Self::mid(best(&self.bids), best(&self.asks)).unwrap_or(Wad::ZERO)
    }

    fn quote(&self, side: Side, qty: Wad) -> Result<Fill> {
        self.next(side, qty).map(|(fill, _)| fill)
    }

    fn trade(&mut self, side: Side, qty: Wad) -> Result<Fill> {
        let (fill, walk) = self.next(side, qty)?;
        match side {
            Side::Sell => consume(&mut self.bids, walk),
            Side::Buy => consume(&mut self.asks, walk),
        }
        Ok(fill)
    }

    /// Scales every level's quantity by `factor`, rounded down; levels left at 0 go.
    ///
    /// Errors: [`Error::Invalid`] naming `stress` unless `0 < factor <= 1`; [`Error::Overflow`].
    fn stress(&mut self, factor: Wad) -> Result<()> {
        check_factor(factor)?;
        // Every product first, then in place: no copy of the book (a 4 KiB stack frame at 32
        // levels a side, above Solana's limit), and on error nothing has changed.
        for level in self.bids.iter().chain(self.asks.iter()) {
            level.qty.mul_floor(factor)?;
        }
        for level in self.bids.iter_mut().chain(self.asks.iter_mut()) {
            level.qty = level.qty.mul_floor(factor)?;
        }
        self.bids.retain(|l| l.qty.is_positive());
        self.asks.retain(|l| l.qty.is_positive());
        Ok(())
    }

    /// Takes the levels priced strictly better than the reference for an arbitrageur: when the
    /// mid is below `r`, every ask priced below `r`; when above, every bid priced above `r`;
    /// at most `capacity` base units, best levels first. An order book's marginal price is its
    /// mid, which a level taken whole may move past `r`: what never happens is a unit traded
    /// at a price beyond `r`.
    /// The marginal revenue of a sell is the price of the bid level it reaches: the sum of
    /// the bids priced at or above `p` (exact).
    fn sellable_above(&self, price: Wad) -> Result<Wad> {
        check_stop(price)?;
        let mut total = Wad::ZERO;
        for level in self.bids.iter().take_while(|l| l.price >= price) {
            total = total.add(level.qty)?;
        }
        Ok(total)
    }

    fn arbitrage(&mut self, reference: Wad, capacity: Wad) -> Result<Fill> {
        let Some(side) = arbitrage_side(self.price(), reference, capacity)? else {
            return Ok(Fill::empty(Side::Buy, Wad::ZERO, self.price()));
        };
        let mut qty = Wad::ZERO;
        for level in self.side_levels(side) {
            let better = match side {
                Side::Buy => level.price < reference,
                Side::Sell => level.price > reference,
            };
            if !better {
                break;
            }
            qty = qty.add(level.qty)?;
        }
        self.trade(side, qty.min(capacity))
    }
}

/// The unchecked wire form of an [`OrderBook`] (both sides required); deserializing goes
/// through [`OrderBook::new`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrderBook<const N: usize> {
    bids: Vec<Level, N>,
    asks: Vec<Level, N>,
}

#[cfg(feature = "serde")]
impl<const N: usize> TryFrom<RawOrderBook<N>> for OrderBook<N> {
    type Error = Error;

    fn try_from(raw: RawOrderBook<N>) -> Result<Self> {
        Self::new(&raw.bids, &raw.asks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::w;

    fn lv(p: &str, q: &str) -> Level {
        Level::new(w(p), w(q)).unwrap()
    }

    fn book() -> OrderBook {
        OrderBook::new(
            &[lv("99", "1"), lv("98", "2"), lv("95", "5")],
            &[lv("101", "1"), lv("102", "3")],
        )
        .unwrap()
    }

    #[test]
    fn validates() {
        let e = |what, why| Err::<OrderBook, _>(Error::Invalid { what, why });
        assert_eq!(
            Level::new(Wad::ZERO, w("1")),
            Err(Error::invalid("price", "must be > 0"))
        );
        assert_eq!(Level::new(w("1"), Wad::ZERO), Err(Error::invalid("qty", "must be > 0")));
        assert_eq!(
            OrderBook::new(&[], &[]),
            e("bids", "the book must have at least one bid or ask")
        );
        assert_eq!(
            OrderBook::new(&[lv("1", "1"), lv("1", "1")], &[]),
            e("bids", "must be strictly descending in price")
        );
        assert_eq!(
            OrderBook::new(&[], &[lv("2", "1"), lv("1", "1")]),
            e("asks", "must be strictly ascending in price")
        );
        assert_eq!(
            OrderBook::new(&[lv("2", "1")], &[lv("2", "1")]),
            e("asks", "the best bid must be below the best ask")
        );
        let many = [lv("1", "1"); 3];
        assert_eq!(OrderBook::<2>::new(&[], &many[..1]).map(|b| b.asks().len()), Ok(1));
        let desc = [lv("3", "1"), lv("2", "1"), lv("1", "1")];
        assert_eq!(
            OrderBook::<2>::new(&desc, &[]),
            Err(Error::capacity("bids", "more levels than the book's capacity"))
        );
    }

    #[test]
    fn sell_walks_the_bids() {
        // 1·99 + 2·98 + 1·95 = 390 for 4; the 95 level keeps 4; mid (95+101)/2 = 98.
        let mut b = book();
        assert_eq!(b.price(), w("100"));
        let f = b.sell(w("4")).unwrap();
        assert_eq!(
            (f.filled, f.proceeds, f.avg_price, f.price_after),
            (w("4"), w("390"), w("97.5"), w("98"))
        );
        assert_eq!(b.bids(), &[lv("95", "4")]);
        // The rest: 4 fill at 95, 6 unfilled; only asks remain, the price is the best ask.
        let f = b.sell(w("10")).unwrap();
        assert_eq!(
            (f.filled, f.unfilled, f.proceeds, f.price_after),
            (w("4"), w("6"), w("380"), w("101"))
        );
        assert!(b.bids().is_empty());
    }

    #[test]
    fn buy_walks_the_asks_and_rounds_up() {
        // 1·101 + 0.333333333333333333·102 = 101 + 33.999999999999999966 = 134.999999999999999966.
        let b = book();
        let f = b.quote(Side::Buy, w("1.333333333333333333")).unwrap();
        assert_eq!(f.proceeds, w("134.999999999999999966"));
        assert_eq!(f.price_after, w("100.5"));
    }

    #[test]
    fn stress_and_arbitrage() {
        // ½: bids 0.5, 1, 2.5; asks 0.5, 1.5.
        let mut b = book();
        b.stress(w("0.5")).unwrap();
        assert_eq!(b.bids()[2], lv("95", "2.5"));
        // r = 97: sell the bids above 97 (0.5 at 99, 1 at 98).
        let f = b.arbitrage(w("97"), w("10")).unwrap();
        assert_eq!((f.side, f.filled, f.proceeds), (Side::Sell, w("1.5"), w("147.5")));
        // r = 105 with capacity 1: buy 0.5 at 101 and 0.5 at 102.
        let f = b.arbitrage(w("105"), w("1")).unwrap();
        assert_eq!((f.side, f.filled, f.proceeds), (Side::Buy, w("1"), w("101.5")));
    }

    #[test]
    fn sellable_above_by_hand() {
        // Bids 99×1, 98×2, 95×5.
        let b = book();
        assert_eq!(b.sellable_above(w("98")).unwrap(), w("3"));
        assert_eq!(b.sellable_above(w("98.5")).unwrap(), w("1"));
        assert_eq!(b.sellable_above(w("100")).unwrap(), Wad::ZERO);
        assert_eq!(b.sellable_above(w("1")).unwrap(), w("8"));
    }
}
