//! Depth and price impact: the markets that liquidations sell into.
//!
//! A [`Depth`] has a marginal price and says what trading a base quantity against it gives:
//! a [`Fill`] with the quantity executed, the quote exchanged, the average price and the
//! marginal price before and after. Four models implement it, each in its own file:
//!
//! | model | state | depth runs out |
//! |---|---|---|
//! | [`ConstantProduct`] | reserves `x`, `y`, fee on the input | never for a sell; a buy leaves 1e-18 |
//! | [`OrderBook`] | bid and ask levels (`heapless`, `N` per side) | when a side is empty |
//! | [`LinearImpact`] | anchor `p0`, `λ`, net sold `Q` | where the price reaches 0 |
//! | [`SquareRootImpact`] | anchor `p0`, `y`, `σ`, `V`, net sold `Q` | where the impact reaches 1 |
//!
//! [`Market`] holds any of them and dispatches statically. Every model rounds against the
//! taker — proceeds of a sell down, costs of a buy up — so the market keeps the dust and a
//! round trip never makes the taker money. Marginal prices are reported rounded down.
//!
//! ```
//! use lce::market::{ConstantProduct, Depth, Side};
//! use lce::Wad;
//!
//! let mut pool = ConstantProduct::new(Wad::from_i64(100), Wad::from_i64(10_000), "0.003".parse()?)?;
//! let fill = pool.sell(Wad::from_i64(10))?;
//! // 10000·9.97/109.97, rounded down.
//! assert_eq!(fill.proceeds.to_string(), "906.610893880149131581");
//! assert_eq!(fill.side, Side::Sell);
//! # Ok::<(), lce::Error>(())
//! ```
#![deny(clippy::float_arithmetic)]

mod constant_product;
mod depth;
mod fill;
mod linear;
mod model;
mod order_book;
mod square_root;
mod transient;

pub use constant_product::ConstantProduct;
pub use depth::Depth;
pub use fill::{Fill, Side};
pub use linear::LinearImpact;
pub use model::Market;
pub use order_book::{Level, OrderBook};
pub use square_root::SquareRootImpact;
pub use transient::Transient;
#[cfg(feature = "eval")]
pub(crate) use {
    constant_product::ConstantProductWire, linear::LinearImpactWire, order_book::LevelWire,
    square_root::SquareRootImpactWire,
};
