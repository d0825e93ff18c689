//! The op `market_sell`: one trade against a depth model of [`crate::market`].

use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::args::{Fields, wad_value};
use super::{OpError, Output};
use crate::Wad;
use crate::market::{ConstantProduct, Depth, Level, LinearImpact, Market, OrderBook, Side, SquareRootImpact};

/// The model names of `market.model`, in the order of [`Market`]'s variants.
const MODELS: &[&str] = &["constant_product", "order_book", "linear", "square_root"];

/// The levels per side of an order book on the wire (the default capacity of [`OrderBook`]).
const LEVELS: usize = 32;

/// `{"market", "qty", "side", "stress"} -> {"filled", "unfilled", "proceeds", "avg_price",
/// "price_before", "price_after", "slippage_multiplier"}`; see `vectors/README.md` §8.3.
pub(super) fn run(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let mut market = read_market(&root.object("market")?)?;
    let qty = root.decimal("qty")?;
    let side = if root.has("side") {
        [Side::Sell, Side::Buy]
            .get(root.choice("side", &["sell", "buy"])?)
            .copied()
            .ok_or_else(|| OpError::invalid("side"))?
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
    let model = m.choice("model", MODELS)?;
    let kernel = |e| m.kernel(e);
    Ok(match model {
        0 => {
            m.strict(&["model", "base", "quote", "fee"])?;
            let base = m.decimal("base")?;
            let quote = m.decimal("quote")?;
            let fee = m.decimal_or("fee", Wad::ZERO)?;
            Market::ConstantProduct(ConstantProduct::new(base, quote, fee).map_err(kernel)?)
        }
        1 => {
            m.strict(&["model", "bids", "asks"])?;
            let bids = read_levels(m, "bids")?;
            let asks = read_levels(m, "asks")?;
            Market::OrderBook(OrderBook::new(&bids, &asks).map_err(|e| match e {
                crate::Error::Capacity { what } => OpError {
                    kind: "capacity",
                    what: m.name(what),
                },
                other => m.kernel(other),
            })?)
        }
        2 => {
            m.strict(&["model", "price", "lambda"])?;
            let price = m.decimal("price")?;
            let lambda = m.decimal("lambda")?;
            Market::Linear(LinearImpact::new(price, lambda).map_err(kernel)?)
        }
        _ => {
            m.strict(&["model", "price", "y", "sigma", "volume"])?;
            let price = m.decimal("price")?;
            let y = m.decimal("y")?;
            let sigma = m.decimal("sigma")?;
            let volume = m.decimal("volume")?;
            Market::SquareRoot(SquareRootImpact::new(price, y, sigma, volume).map_err(kernel)?)
        }
    })
}

/// The array `key` of levels `{"price", "qty"}`; a bad level is named `key[i].field`.
fn read_levels(m: &Fields<'_>, key: &str) -> Result<Vec<Level>, OpError> {
    m.objects(key)?
        .iter()
        .map(|level| {
            level.strict(&["price", "qty"])?;
            let price = level.decimal("price")?;
            let qty = level.decimal("qty")?;
            Level::new(price, qty).map_err(|e| level.kernel(e))
        })
        .collect()
}
