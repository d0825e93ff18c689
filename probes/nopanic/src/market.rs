//! Entry points of `lce::market`: every model's constructor and every `Depth` method, and the
//! `Market` enum that dispatches them.

use lce::market::{ConstantProduct, Depth, Level, LinearImpact, Market, OrderBook, SquareRootImpact};
use lce::{Result, Wad};

use crate::input::{Src, sink};

/// Levels per side of the probe's order books (the default capacity).
pub const LEVELS: usize = 32;

/// Every `Depth` method on `m`, with opaque arguments.
fn exercise<M: Depth>(m: &mut M, s: &mut Src) -> u64 {
    let price = m.price();
    let quote = crate::kernel::quote(m, s.side(), s.wad());
    let qs = m.quote_sell(s.wad());
    let qb = m.quote_buy(s.wad());
    let slip = qs.as_ref().map(|f| f.slippage_multiplier());
    let sellable = crate::kernel::sellable_above(m, s.wad());
    let trade = crate::kernel::trade(m, s.side(), s.wad());
    let sold = m.sell(s.wad());
    let bought = m.buy(s.wad());
    let arb = crate::kernel::arbitrage(m, s.wad(), s.wad());
    let stress = crate::kernel::stress(m, s.wad());
    sink((price, quote, qs, qb, slip, sellable, trade, sold, bought, arb, stress))
}

pub fn constant_product(s: &mut Src) -> Result<ConstantProduct> {
    ConstantProduct::new(s.wad(), s.wad(), s.wad())
}

pub fn order_book(s: &mut Src) -> Result<OrderBook<LEVELS>> {
    let mut bids = [Level::new(Wad::ONE, Wad::ONE)?; LEVELS];
    let mut asks = [Level::new(Wad::ONE, Wad::ONE)?; LEVELS];
    for l in bids.iter_mut().chain(asks.iter_mut()) {
        *l = Level::new(s.wad(), s.wad())?;
    }
    let nb = s.usize() % (LEVELS + 1);
    let na = s.usize() % (LEVELS + 1);
    let (bids, asks) = (bids.get(..nb).unwrap_or(&[]), asks.get(..na).unwrap_or(&[]));
    OrderBook::new(bids, asks)
}

pub fn linear(s: &mut Src) -> Result<LinearImpact> {
    if s.bool() {
        LinearImpact::new(s.wad(), s.wad())
    } else {
        LinearImpact::with_sold(s.wad(), s.wad(), s.wad())
    }
}

pub fn square_root(s: &mut Src) -> Result<SquareRootImpact> {
    if s.bool() {
        SquareRootImpact::new(s.wad(), s.wad(), s.wad(), s.wad())
    } else {
        SquareRootImpact::with_sold(s.wad(), s.wad(), s.wad(), s.wad(), s.wad())
    }
}

/// Any model as a `Market`.
pub fn market(s: &mut Src) -> Result<Market<LEVELS>> {
    Ok(match s.u32() % 4 {
        0 => constant_product(s)?.into(),
        1 => order_book(s)?.into(),
        2 => linear(s)?.into(),
        _ => square_root(s)?.into(),
    })
}

/// `ConstantProduct`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_constant_product(seed: u64) -> u64 {
    let mut s = Src::new(seed);
    sink(constant_product(&mut s).map(|mut m| exercise(&mut m, &mut s)))
}

/// `OrderBook` of 32 levels per side.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_order_book(seed: u64) -> u64 {
    let mut s = Src::new(seed);
    sink(order_book(&mut s).map(|mut m| (m.bids().len(), m.asks().len(), exercise(&mut m, &mut s))))
}

/// `LinearImpact`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_linear(seed: u64) -> u64 {
    let mut s = Src::new(seed);
    sink(linear(&mut s).map(|mut m| exercise(&mut m, &mut s)))
}

/// `SquareRootImpact`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_square_root(seed: u64) -> u64 {
    let mut s = Src::new(seed);
    sink(square_root(&mut s).map(|mut m| exercise(&mut m, &mut s)))
}

/// `Market` (static dispatch over the four models).
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_market(seed: u64) -> u64 {
    let mut s = Src::new(seed);
    sink(market(&mut s).map(|mut m| exercise(&mut m, &mut s)))
}
