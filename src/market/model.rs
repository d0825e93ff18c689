//! [`Market`]: any of the depth models, dispatched statically.

use super::{ConstantProduct, Depth, Fill, LinearImpact, OrderBook, Side, SquareRootImpact};
use crate::{Result, Wad};

/// One of the depth models of this module, as one type that implements [`Depth`] by a
/// `match` (no dynamic dispatch, no allocation). `N` is the order book's capacity per side.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "model", rename_all = "snake_case"))]
pub enum Market<const N: usize = 32> {
    /// A constant-product AMM.
    ConstantProduct(ConstantProduct),
    /// An order-book ladder.
    OrderBook(OrderBook<N>),
    /// Linear (Kyle) impact.
    Linear(LinearImpact),
    /// Square-root impact.
    SquareRoot(SquareRootImpact),
}

/// Calls `$body` with `$m` bound to the model inside `$self`.
macro_rules! each {
    ($self:expr, $m:ident => $body:expr) => {
        match $self {
            Market::ConstantProduct($m) => $body,
            Market::OrderBook($m) => $body,
            Market::Linear($m) => $body,
            Market::SquareRoot($m) => $body,
        }
    };
}

impl<const N: usize> Depth for Market<N> {
    fn price(&self) -> Wad {
        each!(self, m => m.price())
    }

    fn quote(&self, side: Side, qty: Wad) -> Result<Fill> {
        each!(self, m => m.quote(side, qty))
    }

    fn trade(&mut self, side: Side, qty: Wad) -> Result<Fill> {
        each!(self, m => m.trade(side, qty))
    }

    fn sell_proceeds(&self, qty: Wad) -> Result<Wad> {
        each!(self, m => m.sell_proceeds(qty))
    }

    fn sell_filled(&self, qty: Wad) -> Result<(Wad, Wad)> {
        each!(self, m => m.sell_filled(qty))
    }

    fn sales_lower_proceeds(&self) -> bool {
        each!(self, m => m.sales_lower_proceeds())
    }

    fn stress(&mut self, factor: Wad) -> Result<()> {
        each!(self, m => m.stress(factor))
    }

    fn arbitrage(&mut self, reference: Wad, capacity: Wad) -> Result<Fill> {
        each!(self, m => m.arbitrage(reference, capacity))
    }

    fn sellable_above(&self, price: Wad) -> Result<Wad> {
        each!(self, m => m.sellable_above(price))
    }

    fn anchor(&self) -> Wad {
        each!(self, m => m.anchor())
    }
}

impl<const N: usize> From<ConstantProduct> for Market<N> {
    fn from(m: ConstantProduct) -> Self {
        Self::ConstantProduct(m)
    }
}

impl<const N: usize> From<OrderBook<N>> for Market<N> {
    fn from(m: OrderBook<N>) -> Self {
        Self::OrderBook(m)
    }
}

impl<const N: usize> From<LinearImpact> for Market<N> {
    fn from(m: LinearImpact) -> Self {
        Self::Linear(m)
    }
}

impl<const N: usize> From<SquareRootImpact> for Market<N> {
    fn from(m: SquareRootImpact) -> Self {
        Self::SquareRoot(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatches_to_the_model() {
        let amm = ConstantProduct::new(Wad::from_i64(100), Wad::from_i64(10_000), Wad::ZERO).unwrap();
        let mut m: Market = amm.into();
        assert_eq!(m.price(), Wad::from_i64(100));
        // 10000·50/150 = 3333.333… down.
        assert_eq!(
            m.sell(Wad::from_i64(50)).unwrap().proceeds,
            "3333.333333333333333333".parse().unwrap()
        );
        assert_eq!(m.price(), "44.444444444444444444".parse().unwrap());
    }
}
