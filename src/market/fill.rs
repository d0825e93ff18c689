//! The result of a trade against a depth model: [`Side`] and [`Fill`].

use crate::{Result, Wad};

/// The taker's side of a trade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Side {
    /// The taker sells base for quote (a liquidator disposing of seized collateral).
    Sell,
    /// The taker buys base with quote.
    Buy,
}

/// What a trade of a requested base quantity executed, and what it did to the price.
///
/// | field | Sell | Buy |
/// |---|---|---|
/// | `filled` | base sold (`<=` requested) | base bought (`<=` requested) |
/// | `unfilled` | `requested − filled` (depth ran out), exact | same |
/// | `proceeds` | quote received, fees deducted, rounded **down** | quote paid, fees included, rounded **up** |
/// | `avg_price` | `proceeds / filled` rounded down | `proceeds / filled` rounded up |
///
/// `avg_price` is 0 when `filled` is 0. `price_before` and `price_after` are the model's
/// marginal price ([`Depth::price`](super::Depth::price)) before and after the trade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Fill {
    /// The taker's side.
    pub side: Side,
    /// Base quantity executed (`<=` the requested quantity).
    pub filled: Wad,
    /// Requested minus filled: the part the depth could not absorb; exact.
    pub unfilled: Wad,
    /// Quote exchanged: received by a seller (rounded down) or paid by a buyer (rounded up),
    /// fees included.
    pub proceeds: Wad,
    /// `proceeds / filled`, rounded down for a sell and up for a buy; 0 when nothing filled.
    pub avg_price: Wad,
    /// The marginal price before the trade.
    pub price_before: Wad,
    /// The marginal price after the trade.
    pub price_after: Wad,
}

impl Fill {
    /// A fill of nothing at marginal price `price`: every quantity 0, the price unchanged.
    #[must_use]
    pub const fn empty(side: Side, unfilled: Wad, price: Wad) -> Self {
        Self {
            side,
            filled: Wad::ZERO,
            unfilled,
            proceeds: Wad::ZERO,
            avg_price: Wad::ZERO,
            price_before: price,
            price_after: price,
        }
    }

    /// A fill of `filled` out of `requested` for `proceeds`, with the average price computed
    /// (`proceeds / filled`, down for a sell, up for a buy; 0 when `filled` is 0).
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow) when `requested − filled` or the
    /// average price does not fit.
    pub fn new(
        side: Side,
        requested: Wad,
        filled: Wad,
        proceeds: Wad,
        price_before: Wad,
        price_after: Wad,
    ) -> Result<Self> {
        let avg_price = if filled.is_zero() {
            Wad::ZERO
        } else {
            match side {
                Side::Sell => proceeds.div_floor(filled)?,
                Side::Buy => proceeds.div_ceil(filled)?,
            }
        };
        Ok(Self {
            side,
            filled,
            unfilled: requested.sub(filled)?,
            proceeds,
            avg_price,
            price_before,
            price_after,
        })
    }

    /// The slippage multiplier: the realised cost of the trade against its cost at the
    /// pre-trade marginal price, rounded **up** (so it never understates the slippage).
    ///
    /// - Sell: `filled · price_before / proceeds`, one rounding (256-bit product).
    /// - Buy: `avg_price / price_before` rounded up, where `avg_price = proceeds / filled` is
    ///   itself rounded up: an upper bound of `proceeds / (filled · price_before)` (two
    ///   upward roundings).
    ///
    /// It is `>= 1` for every model of this module, whose price moves against the taker, and
    /// exactly 1 when `filled` is 0.
    ///
    /// Errors: [`Error::DivisionByZero`](crate::Error::DivisionByZero) when the reference
    /// is zero while something filled (a sell whose proceeds round down to 0, a buy from a
    /// marginal price of 0); [`Error::Overflow`](crate::Error::Overflow) out of range.
    pub fn slippage_multiplier(&self) -> Result<Wad> {
        if self.filled.is_zero() {
            return Ok(Wad::ONE);
        }
        match self.side {
            Side::Sell => self.filled.mul_div_ceil(self.price_before, self.proceeds),
            Side::Buy => self.avg_price.div_ceil(self.price_before),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::w;

    #[test]
    fn average_price_rounds_against_the_taker() {
        // 10 / 3 = 3.333…: a seller is credited 3.333333333333333333, a buyer charged …334.
        let sell = Fill::new(Side::Sell, w("3"), w("3"), w("10"), w("4"), w("3")).unwrap();
        assert_eq!(sell.avg_price, w("3.333333333333333333"));
        let buy = Fill::new(Side::Buy, w("3"), w("3"), w("10"), w("3"), w("4")).unwrap();
        assert_eq!(buy.avg_price, w("3.333333333333333334"));
        assert_eq!(buy.unfilled, Wad::ZERO);
    }

    #[test]
    fn slippage_multiplier_by_hand() {
        // Sell 3 at a pre-trade price 4 for 10: 3·4/10 = 1.2 exactly.
        let sell = Fill::new(Side::Sell, w("5"), w("3"), w("10"), w("4"), w("3")).unwrap();
        assert_eq!(sell.slippage_multiplier().unwrap(), w("1.2"));
        assert_eq!(sell.unfilled, w("2"));
        // Buy 3 for 10 from a pre-trade price 3: avg ⌈10/3⌉ = 3.333333333333333334,
        // / 3 = 1.111111111111111111333… → up: 1.111111111111111112.
        let buy = Fill::new(Side::Buy, w("3"), w("3"), w("10"), w("3"), w("4")).unwrap();
        assert_eq!(buy.slippage_multiplier().unwrap(), w("1.111111111111111112"));
        // Nothing filled: 1.
        let none = Fill::empty(Side::Sell, w("1"), w("4"));
        assert_eq!(none.slippage_multiplier().unwrap(), Wad::ONE);
        // Proceeds rounded to nothing: no finite multiplier.
        let dust = Fill::new(
            Side::Sell,
            w("0.000000000000000001"),
            w("0.000000000000000001"),
            Wad::ZERO,
            w("0.5"),
            w("0.5"),
        )
        .unwrap();
        assert_eq!(dust.slippage_multiplier(), Err(crate::Error::DivisionByZero));
    }
}
