//! Linear (Kyle) price impact: the marginal price falls by `lambda` per base unit sold.

use super::depth::{TWO, arbitrage_side, check_factor, check_qty, check_stop, settle};
use super::{Depth, Fill, Side};
use crate::{Error, Result, Wad};

/// Linear price impact (Kyle's lambda): with `Q` the cumulative net base sold into the market
/// (negative after net buying), the marginal price is `p(Q) = p0 − λ·Q`.
///
/// The state is `(p0, λ, Q)`, exact, so that every trade integrates the same line:
///
/// - **Sell** `q` from `Q`: depth runs out where the price reaches 0, at
///   `Q_max = ⌊p0/λ⌋`; the fill is `min(q, Q_max − Q)` (never negative) and the rest is
///   unfilled. Proceeds `= ⌊f · (p0 − ⌈λ·(2Q + f)/2⌉)⌋` (the integral of `p` over
///   `[Q, Q+f]`, the average price rounded down and then the product; never negative).
/// - **Buy** `q` from `Q` (no cap): cost `= ⌈q · (p0 − ⌊λ·(2Q − q)/2⌋)⌉`.
///
/// The marginal price reported is `max(0, p0 − ⌈λ·Q⌉)`: `p(Q)` rounded down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "LinearImpactWire"))]
pub struct LinearImpact {
    price: Wad,
    lambda: Wad,
    sold: Wad,
    #[cfg_attr(feature = "serde", serde(skip))]
    q_max: Wad,
}

/// `⌊p0/λ⌋`, or [`Wad::MAX`] when it does not fit (the depth cannot be reached then).
fn depth_limit(price: Wad, lambda: Wad) -> Result<Wad> {
    match price.div_floor(lambda) {
        Err(Error::Overflow) => Ok(Wad::MAX),
        other => other,
    }
}

impl LinearImpact {
    /// A market at marginal price `price` whose price moves by `lambda` per base unit.
    ///
    /// Errors: [`Error::Invalid`] naming `price` unless `price > 0`, `lambda` unless
    /// `lambda > 0`.
    pub fn new(price: Wad, lambda: Wad) -> Result<Self> {
        Self::with_sold(price, lambda, Wad::ZERO)
    }

    /// A market with anchor price `price` (the price at `Q = 0`), impact `lambda`, and `sold`
    /// base units already sold into it (negative: bought), so that its price is
    /// `price − lambda·sold`.
    ///
    /// Errors: as [`new`](Self::new); [`Error::Invalid`] naming `sold` when it is past the
    /// depth (`sold > ⌊price/lambda⌋`); [`Error::Overflow`] when the marginal price does not fit.
    pub fn with_sold(price: Wad, lambda: Wad, sold: Wad) -> Result<Self> {
        if !price.is_positive() {
            return Err(Error::invalid("price", "must be > 0"));
        }
        if !lambda.is_positive() {
            return Err(Error::invalid("lambda", "must be > 0"));
        }
        let q_max = depth_limit(price, lambda)?;
        if sold > q_max {
            return Err(Error::invalid("sold", "must be at most the depth ⌊price/lambda⌋"));
        }
        Self::marginal(price, lambda, sold)?;
        Ok(Self {
            price,
            lambda,
            sold,
            q_max,
        })
    }

    /// The anchor price `p0` (the marginal price at `Q = 0`).
    #[must_use]
    pub const fn anchor(&self) -> Wad {
        self.price
    }

    /// The impact per base unit, `λ`.
    #[must_use]
    pub const fn lambda(&self) -> Wad {
        self.lambda
    }

    /// The cumulative net base sold, `Q` (negative after net buying).
    #[must_use]
    pub const fn sold(&self) -> Wad {
        self.sold
    }

    /// `max(0, p0 − ⌈λ·Q⌉)`.
    fn marginal(price: Wad, lambda: Wad, sold: Wad) -> Result<Wad> {
        Ok(price.sub(lambda.mul_ceil(sold)?)?.max(Wad::ZERO))
    }

    /// The fill and the new `Q` of trading `qty` on `side`.
    fn next(&self, side: Side, qty: Wad) -> Result<(Fill, Wad)> {
        check_qty(qty)?;
        let (p0, lambda, q) = (self.price, self.lambda, self.sold);
        let before = Self::marginal(p0, lambda, q)?;
        if qty.is_zero() {
            return Ok((Fill::empty(side, Wad::ZERO, before), q));
        }
        let (filled, proceeds, nq) = match side {
            Side::Sell => {
                let room = self.q_max.sub(q)?.max(Wad::ZERO);
                let f = qty.min(room);
                let span = q.add(q)?.add(f)?;
                let avg = p0.sub(lambda.mul_div_ceil(span, TWO)?)?;
                let proceeds = f.mul_floor(avg)?.max(Wad::ZERO);
                (f, proceeds, q.add(f)?)
            }
            Side::Buy => {
                let span = q.add(q)?.sub(qty)?;
                let avg = p0.sub(lambda.mul_div_floor(span, TWO)?)?;
                (qty, qty.mul_ceil(avg)?, q.sub(qty)?)
            }
        };
        let after = Self::marginal(p0, lambda, nq)?;
        Ok((Fill::new(side, qty, filled, proceeds, before, after)?, nq))
    }
}

impl Depth for LinearImpact {
    fn price(&self) -> Wad {
        // Checked at construction and after every trade.
        Self::marginal(self.price, self.lambda, self.sold).unwrap_or(Wad::ZERO)
    }

    fn quote(&self, side: Side, qty: Wad) -> Result<Fill> {
        self.next(side, qty).map(|(fill, _)| fill)
    }

    fn trade(&mut self, side: Side, qty: Wad) -> Result<Fill> {
        let (fill, q) = self.next(side, qty)?;
        self.sold = q;
        Ok(fill)
    }

    /// Divides the depth by `factor`: `λ' = ⌈λ/f⌉`, and rescales the sold quantity so that
    /// the marginal price stays where it was, `Q' = ⌈Q·λ/λ'⌉` (rounded toward a lower
    /// price). The line pivots around the current price and gets steeper.
    ///
    /// Errors: [`Error::Invalid`] naming `stress` unless `0 < factor <= 1`; [`Error::Overflow`].
    fn stress(&mut self, factor: Wad) -> Result<()> {
        check_factor(factor)?;
        let lambda = self.lambda.div_ceil(factor)?;
        let sold = self.sold.mul_div_ceil(self.lambda, lambda)?;
        let q_max = depth_limit(self.price, lambda)?;
        Self::marginal(self.price, lambda, sold)?;
        self.lambda = lambda;
        self.sold = sold;
        self.q_max = q_max;
        Ok(())
    }

    /// The marginal price `p0 − λ·(Q + q)` stays at or above `p` while
    /// `q ≤ ⌊(p0 − p)/λ⌋ − Q` (the floor also of a negative quotient, when `p > p0`), within
    /// the depth left.
    fn sellable_above(&self, price: Wad) -> Result<Wad> {
        check_stop(price)?;
        let room = self.q_max.sub(self.sold)?.max(Wad::ZERO);
        let gap = self.price.sub(price)?;
        // A level past the Wad range is past the depth when the gap is positive and below 0
        // when it is not; `level − Q` past it likewise has the sign of `−Q`.
        let q = match gap.div_floor(self.lambda) {
            Ok(level) => match level.sub(self.sold) {
                Err(Error::Overflow) if self.sold.is_negative() => room,
                Err(Error::Overflow) => Wad::ZERO,
                other => other?,
            },
            Err(Error::Overflow) if gap.is_positive() => room,
            Err(Error::Overflow) => Wad::ZERO,
            Err(e) => return Err(e),
        };
        Ok(q.max(Wad::ZERO).min(room))
    }

    /// Closed form: the price equals `r` at `Q* = (p0 − r)/λ`; a buy goes to `⌈Q*⌉`, a sell
    /// to `⌊Q*⌋` (so the price stays on its side of `r`), capped by `capacity` (and a sell by
    /// the depth).
    fn arbitrage(&mut self, reference: Wad, capacity: Wad) -> Result<Fill> {
        let Some(side) = arbitrage_side(self.price(), reference, capacity)? else {
            return Ok(Fill::empty(Side::Buy, Wad::ZERO, self.price()));
        };
        let gap = self.price.sub(reference)?;
        let qty = match side {
            Side::Buy => self.sold.sub(gap.div_ceil(self.lambda)?)?,
            Side::Sell => gap.div_floor(self.lambda)?.sub(self.sold)?,
        };
        settle(self, side, qty.max(Wad::ZERO), capacity, reference)
    }

    fn anchor(&self) -> Wad {
        Self::anchor(self)
    }
}

/// A linear-impact market as written on the wire (see [`crate::wire`]): every field `None`
/// when absent; deserializing goes through [`LinearImpact::with_sold`].
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct LinearImpactWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) price: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) lambda: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) sold: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<LinearImpactWire> for LinearImpact {
    type Error = Error;

    /// [`LinearImpact::with_sold`] of `price` and `lambda` (required) and `sold` (0 when absent:
    /// a market nothing has been sold into yet).
    fn try_from(w: LinearImpactWire) -> Result<Self> {
        use crate::wire::need;
        Self::with_sold(
            need(w.price, "price")?,
            need(w.lambda, "lambda")?,
            w.sold.unwrap_or(Wad::ZERO),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::w;

    #[test]
    fn validates() {
        let e = |what, why| Err(Error::Invalid { what, why });
        assert_eq!(LinearImpact::new(Wad::ZERO, w("1")), e("price", "must be > 0"));
        assert_eq!(LinearImpact::new(w("1"), Wad::ZERO), e("lambda", "must be > 0"));
        assert_eq!(
            LinearImpact::with_sold(w("1"), w("1"), w("2")),
            e("sold", "must be at most the depth ⌊price/lambda⌋")
        );
    }

    #[test]
    fn sell_and_buy_by_hand() {
        // p0 = 100, λ = 0.5; sell 10: 10·100 − 0.5·100/2 = 975, price 95.
        let mut m = LinearImpact::new(w("100"), w("0.5")).unwrap();
        let f = m.sell(w("10")).unwrap();
        assert_eq!((f.proceeds, f.avg_price, f.price_after), (w("975"), w("97.5"), w("95")));
        // Buy 10 back from Q = 10: 10·(100 − 0.5·(20 − 10)/2) = 975: a round trip breaks even.
        let f = m.buy(w("10")).unwrap();
        assert_eq!((f.proceeds, f.price_after), (w("975"), w("100")));
        // Depth: Q_max = 200; selling 300 fills 200 for 200·(100 − 0.5·200/2) = 10000.
        let f = m.sell(w("300")).unwrap();
        assert_eq!(
            (f.filled, f.unfilled, f.proceeds, f.price_after),
            (w("200"), w("100"), w("10000"), Wad::ZERO)
        );
        assert_eq!(m.sell(w("1")).unwrap().filled, Wad::ZERO);
    }

    #[test]
    fn rounding_goes_to_the_market() {
        // p0 = 1, λ = 1e-18·3 = 0.000000000000000003, sell 1: ⌈3e-18·1/2⌉ = 2e-18,
        // avg = 0.999999999999999998, proceeds 0.999999999999999998.
        let m = LinearImpact::new(w("1"), w("0.000000000000000003")).unwrap();
        let f = m.quote(Side::Sell, w("1")).unwrap();
        assert_eq!(f.proceeds, w("0.999999999999999998"));
        // The buy of 1 from Q = 0: ⌊−3e-18/2⌋ = −2e-18, avg 1.000000000000000002.
        let f = m.quote(Side::Buy, w("1")).unwrap();
        assert_eq!(f.proceeds, w("1.000000000000000002"));
    }

    #[test]
    fn stress_pivots_at_the_price() {
        // After selling 10 (price 95), halve the depth: λ' = 1, Q' = ⌈10·0.5/1⌉ = 5, price 95.
        let mut m = LinearImpact::new(w("100"), w("0.5")).unwrap();
        m.sell(w("10")).unwrap();
        m.stress(w("0.5")).unwrap();
        assert_eq!((m.lambda(), m.sold(), m.price()), (w("1"), w("5"), w("95")));
        // Selling 10 now: 10·(100 − (10+10)/2) = 900 (it was 10·(100 − 0.5·30/2) = 925).
        assert_eq!(m.quote(Side::Sell, w("10")).unwrap().proceeds, w("900"));
    }

    #[test]
    fn arbitrage_by_hand() {
        // p0 = 100, λ = 0.5, r = 90: Q* = 20, sell 20; back to 100: buy 20.
        let mut m = LinearImpact::new(w("100"), w("0.5")).unwrap();
        let f = m.arbitrage(w("90"), w("50")).unwrap();
        assert_eq!((f.side, f.filled, f.price_after), (Side::Sell, w("20"), w("90")));
        let f = m.arbitrage(w("100"), w("5")).unwrap();
        assert_eq!((f.side, f.filled, f.price_after), (Side::Buy, w("5"), w("92.5")));
        // λ = 3: r = 99 → Q* = 1/3; a sell stops at ⌊Q*⌋ = 0.333333333333333333, price
        // 100 − ⌈0.999999999999999999⌉ = 99.000000000000000001 (just short of r).
        let mut m = LinearImpact::new(w("100"), w("3")).unwrap();
        let f = m.arbitrage(w("99"), w("50")).unwrap();
        assert_eq!(
            (f.filled, f.price_after),
            (w("0.333333333333333333"), w("99.000000000000000001"))
        );
    }

    #[test]
    fn sellable_above_by_hand() {
        // p0 = 100, λ = 0.5: the price reaches 80 after 40; after 10 sold, 30 are left.
        let m = LinearImpact::new(w("100"), w("0.5")).unwrap();
        assert_eq!(m.sellable_above(w("80")).unwrap(), w("40"));
        assert_eq!(m.sellable_above(w("100")).unwrap(), Wad::ZERO);
        assert_eq!(
            m.sellable_above(w("0.000000000000000001")).unwrap(),
            w("199.999999999999999998")
        );
        let m = LinearImpact::with_sold(w("100"), w("0.5"), w("10")).unwrap();
        assert_eq!(m.sellable_above(w("80")).unwrap(), w("30"));
        // Bought 10 above the anchor (price 105): 10 sell before the anchor, 50 before 80.
        let m = LinearImpact::with_sold(w("100"), w("0.5"), w("-10")).unwrap();
        assert_eq!(m.sellable_above(w("100")).unwrap(), w("10"));
        assert_eq!(m.sellable_above(w("80")).unwrap(), w("50"));
    }

    #[test]
    fn sellable_above_past_the_wad_range_is_the_depth() {
        // Regression: p0 = 1000, λ = 1e-18: (p0 − 1)/λ = 999e18 does not fit a Wad, nor does
        // the depth p0/λ (Q_max = MAX): the answer is the depth left, not an overflow.
        let m = LinearImpact::new(w("1000"), w("0.000000000000000001")).unwrap();
        assert_eq!(m.sellable_above(w("1")).unwrap(), Wad::MAX);
        assert_eq!(m.sellable_above(w("1000")).unwrap(), Wad::ZERO);
        // Bought 1e20 (price 101): a stop of 1e11 is a level of −1e29, past the range below:
        // nothing sells.
        let m = LinearImpact::with_sold(w("1"), w("0.000000000000000001"), w("-100000000000000000000")).unwrap();
        assert_eq!(m.sellable_above(w("100000000000")).unwrap(), Wad::ZERO);
    }
}
