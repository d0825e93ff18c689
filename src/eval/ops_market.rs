//! The op `market_sell`: one trade against a depth model of [`crate::market`].

use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::args::{Fields, wad_value};
use super::spec::{Field, Spec};
use super::{OpError, Output};
use crate::market::{
    ConstantProductWire, Depth, Level, LevelWire, LinearImpactWire, Market, OrderBook, Side, SquareRootImpactWire,
};

/// A reader of a market object of one model.
type ReadModel = fn(&Fields<'_>) -> Result<Market<LEVELS>, OpError>;

/// The models of `market.model`, each with its reader, in the order of [`Market`]'s variants.
const MODELS: &[(&str, ReadModel)] = &[
    ("constant_product", |m| {
        CONSTANT_PRODUCT.object(m).map(Market::ConstantProduct)
    }),
    ("order_book", order_book),
    ("linear", |m| LINEAR.object(m).map(Market::Linear)),
    ("square_root", |m| SQUARE_ROOT.object(m).map(Market::SquareRoot)),
];

/// The wire names of [`Side`].
pub(super) const SIDES: &[(&str, Side)] = &[("sell", Side::Sell), ("buy", Side::Buy)];

/// A constant-product pool: `base`, `quote`, `fee` (default 0).
const CONSTANT_PRODUCT: Spec<ConstantProductWire> = Spec::new(&[
    Field::tag("model"),
    Field::decimal("base", |w| &mut w.base),
    Field::decimal("quote", |w| &mut w.quote),
    Field::opt_decimal("fee", |w| &mut w.fee),
]);

/// An order book's sides, read level by level.
#[derive(Default)]
struct Book {
    bids: Vec<Level>,
    asks: Vec<Level>,
}

/// An order book: `bids` and `asks`, arrays of levels.
const ORDER_BOOK: Spec<Book> = Spec::new(&[
    Field::tag("model"),
    Field::with("bids", |m, k, w, _| read_levels(m, k).map(|l| w.bids = l)),
    Field::with("asks", |m, k, w, _| read_levels(m, k).map(|l| w.asks = l)),
]);

/// A level of an order book: `price`, `qty`.
const LEVEL: Spec<LevelWire> = Spec::new(&[
    Field::decimal("price", |w| &mut w.price),
    Field::decimal("qty", |w| &mut w.qty),
]);

/// Linear impact: `price`, `lambda`, and `sold` (the base already sold into it, default 0).
const LINEAR: Spec<LinearImpactWire> = Spec::new(&[
    Field::tag("model"),
    Field::decimal("price", |w| &mut w.price),
    Field::decimal("lambda", |w| &mut w.lambda),
    Field::opt_decimal("sold", |w| &mut w.sold),
]);

/// Square-root impact: `price`, `y`, `sigma`, `volume`, and `sold` (default 0).
const SQUARE_ROOT: Spec<SquareRootImpactWire> = Spec::new(&[
    Field::tag("model"),
    Field::decimal("price", |w| &mut w.price),
    Field::decimal("y", |w| &mut w.y),
    Field::decimal("sigma", |w| &mut w.sigma),
    Field::decimal("volume", |w| &mut w.volume),
    Field::opt_decimal("sold", |w| &mut w.sold),
]);

/// The levels per side of an order book on the wire (the default capacity of [`OrderBook`]).
const LEVELS: usize = 32;

/// `{"market", "qty", "side", "stress"} -> {"filled", "unfilled", "proceeds", "avg_price",
/// "price_before", "price_after", "slippage_multiplier"}`; see `vectors/README.md` §8.3.
pub(super) fn run(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let mut market = read_market(&root.object("market")?)?;
    let qty = root.decimal("qty")?;
    let side = if root.has("side") {
        root.choice("side", SIDES)?
    } else {
        Side::Sell
    };
    if let Some(factor) = root.opt_decimal("stress")? {
        market.stress(factor).map_err(|e| root.kernel(e))?;
    }
    let fill = market.trade(side, qty).map_err(|e| root.kernel(e))?;
    let slippage = fill.slippage_multiplier()?;
    let mut out = Map::new();
    for (key, value) in [
        ("filled", fill.filled),
        ("unfilled", fill.unfilled),
        ("proceeds", fill.proceeds),
        ("avg_price", fill.avg_price),
        ("price_before", fill.price_before),
        ("price_after", fill.price_after),
        ("slippage_multiplier", slippage),
    ] {
        out.insert(String::from(key), wad_value(value));
    }
    Ok(out)
}

/// The market object: `model` and the parameters of that model.
pub(super) fn read_market(m: &Fields<'_>) -> Result<Market<LEVELS>, OpError> {
    let read = m.choice("model", MODELS)?;
    read(m)
}

/// An order-book market: its levels, then the book's own checks (a capacity error names the
/// side by its path).
fn order_book(m: &Fields<'_>) -> Result<Market<LEVELS>, OpError> {
    let book = ORDER_BOOK.read(m)?;
    OrderBook::new(&book.bids, &book.asks)
        .map(Market::OrderBook)
        .map_err(|e| match e {
            crate::Error::Capacity { what, why } => OpError {
                kind: "capacity",
                what: m.name(what),
                why: Some(why.into()),
            },
            other => m.kernel(other),
        })
}

/// The array `key` of levels `{"price", "qty"}`; a bad level is named `key[i].field`.
fn read_levels(m: &Fields<'_>, key: &str) -> Result<Vec<Level>, OpError> {
    m.objects(key)?.iter().map(|level| LEVEL.object(level)).collect()
}
