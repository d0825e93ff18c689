//! Property tests: the laws of the depth models (`lce::market`), for every model.
//!
//! - `quote == trade`, and a quote leaves the market unchanged;
//! - `filled + unfilled == qty`, exactly;
//! - a sell never raises the marginal price, a buy never lowers it (except on an order book
//!   that the trade empties on one side: its price is then the other side's best level);
//! - proceeds are non-decreasing in the quantity (sells and buys);
//! - selling more never gives a better average price, buying more never a cheaper one;
//! - a round trip (sell `q`, buy the filled quantity back) never makes the taker money;
//! - the constant-product `k = x·y` never decreases (exact 256-bit products);
//! - arbitrage never exceeds its capacity and never passes the reference (for the order book:
//!   never trades a unit at a level priced beyond it);
//! - stress never improves a sell; for the order book it never cheapens a buy either;
//! - a sell's proceeds alone (`sell_proceeds`), and with its quantity filled (`sell_filled`),
//!   are its quote's, value or error, on every model and on a transient market around it;
//! - a transient market's trade is its quote (or its error, and no change), and its price is
//!   its state's after every change;
//! - where a model promises it (`sales_lower_proceeds`: the constant-product pool), a sell
//!   never raises a later sell's proceeds, on the model and on a transient market around it.
//!
//! Monotonicity in the quantity is exact for the constant product and the order book, whose
//! results are each one rounding of a monotone function. The impact models round an average
//! price (linear) or a bracket `q − K·D` (square root) before the final product, so two
//! quantities a few units of 1e-18 apart can swap by a few units: their laws are checked
//! with the bound of those roundings, `tol = (⌈qty⌉ + 2)·⌈p⌉·1e-18` with `p` the anchor
//! price (see `tolerance`).

use lce::Wad;
use lce::market::{ConstantProduct, Depth, Level, LinearImpact, Market, OrderBook, Side, SquareRootImpact, Transient};
use proptest::prelude::*;

/// A wad `n · 10^-decimals`.
fn wad(n: i128, decimals: u32) -> Wad {
    Wad::from_raw(n * 10i128.pow(18 - decimals))
}

/// The full product `a·b` of two non-negative raw values, as `(high, low)`.
fn wide(a: i128, b: i128) -> (u128, u128) {
    let (x, y) = (a as u128, b as u128);
    let m = u128::from(u64::MAX);
    let (x1, x0, y1, y0) = (x >> 64, x & m, y >> 64, y & m);
    let (p00, p01, p10, p11) = (x0 * y0, x0 * y1, x1 * y0, x1 * y1);
    let mid = (p00 >> 64) + (p01 & m) + (p10 & m);
    ((p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64)), (mid << 64) | (p00 & m))
}

fn constant_product() -> impl Strategy<Value = Market> {
    (
        1i128..1_000_000_000,
        1i128..1_000_000_000,
        prop::sample::select(vec![0i128, 3, 10, 300]),
    )
        .prop_map(|(x, y, fee)| ConstantProduct::new(wad(x, 3), wad(y, 3), wad(fee, 3)).unwrap().into())
}

fn order_book() -> impl Strategy<Value = Market> {
    (
        1_000i128..1_000_000,
        prop::collection::vec((1i128..5_000, 1i128..1_000_000), 0..6),
        prop::collection::vec((1i128..5_000, 1i128..1_000_000), 0..6),
        1i128..5_000,
    )
        .prop_filter_map("a book needs a level", |(mid, bids, asks, spread)| {
            let mut levels_b = Vec::new();
            let mut p = mid;
            for (step, q) in bids {
                p -= step;
                if p <= 0 {
                    break;
                }
                levels_b.push(Level::new(wad(p, 2), wad(q, 4)).unwrap());
            }
            let mut levels_a = Vec::new();
            let mut p = mid + spread;
            for (step, q) in asks {
                p += step;
                levels_a.push(Level::new(wad(p, 2), wad(q, 4)).unwrap());
            }
            OrderBook::new(&levels_b, &levels_a).ok().map(Market::OrderBook)
        })
}

fn linear() -> impl Strategy<Value = Market> {
    (1i128..1_000_000, 1i128..10_000_000).prop_map(|(p, l)| LinearImpact::new(wad(p, 3), wad(l, 6)).unwrap().into())
}

fn square_root() -> impl Strategy<Value = Market> {
    (1i128..1_000_000, 1i128..2_000, 1i128..1_000, 100i128..10_000_000).prop_map(|(p, y, s, v)| {
        SquareRootImpact::new(wad(p, 3), wad(y, 3), wad(s, 3), Wad::from_raw(v * Wad::SCALE))
            .unwrap()
            .into()
    })
}

fn any_market() -> impl Strategy<Value = Market> {
    prop_oneof![constant_product(), order_book(), linear(), square_root()]
}

fn side() -> impl Strategy<Value = Side> {
    prop_oneof![Just(Side::Sell), Just(Side::Buy)]
}

/// A quantity with up to 6 decimals, up to 1000.
fn qty() -> impl Strategy<Value = Wad> {
    (0i128..1_000_000_000).prop_map(|n| wad(n, 6))
}

/// A market after up to three prior trades (those that fail are skipped).
fn market() -> impl Strategy<Value = Market> {
    (any_market(), prop::collection::vec((side(), qty()), 0..3)).prop_map(|(mut m, trades)| {
        for (s, q) in trades {
            let _ = m.trade(s, q);
        }
        m
    })
}

/// The rounding slack of the monotonicity laws (see the module documentation).
fn tolerance(m: &Market, qty: Wad) -> Wad {
    let anchor = match m {
        Market::ConstantProduct(_) | Market::OrderBook(_) => return Wad::ZERO,
        Market::Linear(l) => l.anchor(),
        Market::SquareRoot(s) => s.anchor(),
    };
    let units = qty.ceil().unwrap().add(Wad::from_i64(2)).unwrap();
    Wad::from_raw(units.raw() / Wad::SCALE * (anchor.ceil().unwrap().raw() / Wad::SCALE))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn quote_is_trade_and_changes_nothing(m in market(), s in side(), q in qty()) {
        let before = m.clone();
        let quoted = m.quote(s, q);
        prop_assert_eq!(&m, &before);
        let mut traded = m.clone();
        let fill = traded.trade(s, q);
        prop_assert_eq!(quoted, fill);
        match fill {
            Ok(f) => {
                prop_assert_eq!(f.filled.add(f.unfilled).unwrap(), q);
                prop_assert_eq!(f.price_before, m.price());
                prop_assert_eq!(f.price_after, traded.price());
                // An order book a trade empties on one side is priced at its other side's best
                // level (see `OrderBook`): the one case where the price may jump the other way.
                let emptied = match (&traded, s) {
                    (Market::OrderBook(b), Side::Sell) => b.bids().is_empty(),
                    (Market::OrderBook(b), Side::Buy) => b.asks().is_empty(),
                    _ => false,
                };
                if !emptied {
                    match s {
                        Side::Sell => prop_assert!(f.price_after <= f.price_before),
                        Side::Buy => prop_assert!(f.price_after >= f.price_before),
                    }
                }
                // Slippage is at least 1 whenever it is defined and fits.
                if let Ok(x) = f.slippage_multiplier() {
                    prop_assert!(x >= Wad::ONE, "{:?}", f);
                }
            }
            Err(_) => prop_assert_eq!(&traded, &m),
        }
    }

    #[test]
    fn more_quantity_more_proceeds_and_no_better_price(m in market(), s in side(), a in qty(), b in qty()) {
        let (q1, q2) = (a.min(b), a.max(b));
        let (Ok(f1), Ok(f2)) = (m.quote(s, q1), m.quote(s, q2)) else { return Ok(()) };
        let tol = tolerance(&m, q2);
        prop_assert!(f2.filled >= f1.filled);
        prop_assert!(f2.proceeds.add(tol).unwrap() >= f1.proceeds, "{:?} {:?}", f1, f2);
        if f1.filled.is_positive() {
            // The exact average of the smaller trade, widened by the tolerance, bounds the other.
            match s {
                Side::Sell => {
                    let bound = f1.proceeds.add(tol).unwrap().add(Wad::EPSILON).unwrap().div_ceil(f1.filled).unwrap();
                    prop_assert!(f2.avg_price <= bound, "{:?} {:?}", f1, f2);
                }
                Side::Buy => {
                    let bound = f1.proceeds.sub(tol).unwrap().sub(Wad::EPSILON).unwrap().div_floor(f1.filled).unwrap();
                    prop_assert!(f2.avg_price >= bound, "{:?} {:?}", f1, f2);
                }
            }
        }
    }

    #[test]
    fn a_round_trip_never_makes_money(m in market(), q in qty()) {
        let mut m = m;
        let Ok(sold) = m.sell(q) else { return Ok(()) };
        let Ok(bought) = m.quote(Side::Buy, sold.filled) else { return Ok(()) };
        // The buy back may fall short only on an order book whose asks run out.
        if bought.filled == sold.filled {
            prop_assert!(bought.proceeds >= sold.proceeds, "{:?} {:?}", sold, bought);
        }
    }

    #[test]
    fn constant_product_k_never_decreases(m in constant_product(), trades in prop::collection::vec((side(), qty()), 1..6)) {
        let mut m = m;
        for (s, q) in trades {
            let Market::ConstantProduct(before) = m.clone() else { unreachable!() };
            if m.trade(s, q).is_err() { continue; }
            let Market::ConstantProduct(after) = &m else { unreachable!() };
            let k0 = wide(before.base().raw(), before.quote_reserve().raw());
            let k1 = wide(after.base().raw(), after.quote_reserve().raw());
            prop_assert!(k1 >= k0);
        }
    }

    #[test]
    fn arbitrage_stays_within_capacity_and_the_reference(m in market(), r in 1i128..2_000_000, c in qty()) {
        let reference = wad(r, 3);
        let mut after = m.clone();
        let Ok(f) = after.arbitrage(reference, c) else { return Ok(()) };
        prop_assert!(f.filled <= c);
        prop_assert_eq!(f.price_after, after.price());
        if f.filled.is_zero() { return Ok(()); }
        match &m {
            Market::OrderBook(book) => {
                let levels = if f.side == Side::Buy { book.asks() } else { book.bids() };
                let better: Wad = levels
                    .iter()
                    .filter(|l| if f.side == Side::Buy { l.price() < reference } else { l.price() > reference })
                    .fold(Wad::ZERO, |acc, l| acc.add(l.qty()).unwrap());
                prop_assert!(f.filled <= better);
            }
            _ => match f.side {
                Side::Buy => prop_assert!(m.price() < reference && after.price() <= reference),
                Side::Sell => prop_assert!(m.price() > reference && after.price() >= reference),
            },
        }
    }

    #[test]
    fn stress_never_improves_a_sell(m in market(), f in 1i128..=1_000, q in qty()) {
        let factor = wad(f, 3);
        let mut stressed = m.clone();
        if stressed.stress(factor).is_err() { return Ok(()); }
        let (Ok(before), Ok(after)) = (m.quote(Side::Sell, q), stressed.quote(Side::Sell, q)) else { return Ok(()) };
        prop_assert!(after.proceeds <= before.proceeds, "{:?} {:?}", before, after);
        if let Market::OrderBook(_) = m {
            let (Ok(b0), Ok(b1)) = (m.quote(Side::Buy, q), stressed.quote(Side::Buy, q)) else { return Ok(()) };
            if b1.filled == b0.filled {
                prop_assert!(b1.proceeds >= b0.proceeds);
            }
            prop_assert!(b1.filled <= b0.filled);
        }
    }

    /// `sell_proceeds` is the proceeds of `quote_sell`, and `sell_filled` its quantity filled
    /// and proceeds, value or error, on every model and on a transient market around it with
    /// its fundamental from 1 % to 400 % of its anchor (below the anchor it scales the model's
    /// proceeds alone), at quantities from nothing (and negative) to the whole wad range.
    #[test]
    fn sell_proceeds_are_the_quotes(
        m in market(),
        q in prop_oneof![
            6 => qty(),
            1 => Just(Wad::MAX),
            1 => Just(Wad::from_raw(-1)),
            1 => (1i128..1_000).prop_map(Wad::from_raw),
            1 => (1i128..1_000_000, 0u32..=20).prop_map(|(n, e)| Wad::from_raw(n * 10i128.pow(e) * 1_000_000)),
        ],
        percent in 1i128..=400,
    ) {
        prop_assert_eq!(m.sell_proceeds(q), m.quote_sell(q).map(|f| f.proceeds));
        prop_assert_eq!(m.sell_filled(q), m.quote_sell(q).map(|f| (f.filled, f.proceeds)));
        let mut model = m.clone();
        let anchor = model.anchor();
        if let Ok(fundamental) = anchor.mul_floor(wad(percent, 2))
            && let Ok(t) = Transient::new(&mut model, fundamental.max(Wad::EPSILON))
        {
            prop_assert_eq!(t.sell_proceeds(q), t.quote_sell(q).map(|f| f.proceeds), "fundamental {}", t.fundamental());
            prop_assert_eq!(t.sell_filled(q), t.quote_sell(q).map(|f| (f.filled, f.proceeds)), "fundamental {}", t.fundamental());
        }
    }

    /// On a transient market around every model, with its fundamental from 1 % to 400 % of
    /// its anchor (at or below it the model trades and its fill is scaled; above it the quote
    /// is scaled first): a trade gives its quote, or the quote's error and no change.
    #[test]
    fn a_transient_trade_is_its_quote(m in market(), s in side(), q in qty(), percent in 1i128..=400) {
        let mut model = m.clone();
        let Ok(fundamental) = model.anchor().mul_floor(wad(percent, 2)) else {
            return Ok(());
        };
        let Ok(mut t) = Transient::new(&mut model, fundamental.max(Wad::EPSILON)) else {
            return Ok(());
        };
        let quoted = t.quote(s, q);
        let traded = t.trade(s, q);
        prop_assert_eq!(traded, quoted);
        if traded.is_err() {
            prop_assert_eq!(&model, &m);
        }
    }

    /// A transient market's price is `⌊F · P_model / A⌋` of its state now (it is kept within a
    /// state), read before and after each of a sequence of trades, fundamental moves, stresses,
    /// arbitrages and recoveries.
    #[test]
    fn a_transient_price_is_its_state_s(
        m in market(),
        ops in prop::collection::vec((0u8..5, side(), qty(), 1i128..=400), 1..8),
    ) {
        let mut model = m.clone();
        let anchor = model.anchor();
        let Ok(mut t) = Transient::new(&mut model, anchor.max(Wad::EPSILON)) else {
            return Ok(());
        };
        let fresh = |t: &Transient<'_, Market>| {
            t.model()
                .price()
                .mul_div(t.fundamental(), t.model_anchor(), lce::Rounding::Floor)
                .unwrap_or(Wad::MAX)
        };
        for (op, s, q, percent) in ops {
            prop_assert_eq!(t.price(), fresh(&t));
            let at = |base: Wad| base.mul_floor(wad(percent, 2)).unwrap_or(Wad::ONE).max(Wad::EPSILON);
            let _ = match op {
                0 => t.trade(s, q).map(|_| ()),
                1 => t.set_fundamental(at(anchor)),
                2 => t.stress(wad(percent.min(100), 2)),
                3 => t.arbitrage(at(t.price()), q).map(|_| ()),
                _ => t.recover(wad(percent.min(100), 2), Some(q)).map(|_| ()),
            };
            prop_assert_eq!(t.price(), fresh(&t), "after op {}", op);
        }
    }

    /// A model that promises that sales lower proceeds (`sales_lower_proceeds`; the
    /// constant-product pool) keeps it: after a sell of any quantity, every later sell of any
    /// quantity receives at most what it would have, on the model and on a transient market
    /// around it at 1 % to 400 % of its anchor. The other models promise nothing.
    #[test]
    fn sales_lower_later_proceeds_where_promised(
        m in market(),
        sold in qty(),
        q in qty(),
        percent in 1i128..=400,
    ) {
        prop_assert_eq!(m.sales_lower_proceeds(), matches!(m, Market::ConstantProduct(_)));
        if !m.sales_lower_proceeds() {
            return Ok(());
        }
        let mut after = m.clone();
        if after.sell(sold).is_ok()
            && let (Ok(later), Ok(before)) = (after.sell_proceeds(q), m.sell_proceeds(q))
        {
            prop_assert!(later <= before, "{} after selling {}, {} before", later, sold, before);
        }
        let (mut model, mut moved) = (m.clone(), m.clone());
        let Ok(fundamental) = m.anchor().mul_floor(wad(percent, 2)) else {
            return Ok(());
        };
        let fundamental = fundamental.max(Wad::EPSILON);
        let (Ok(t), Ok(mut u)) = (Transient::new(&mut model, fundamental), Transient::new(&mut moved, fundamental)) else {
            return Ok(());
        };
        prop_assert!(u.sales_lower_proceeds());
        if u.sell(sold).is_ok()
            && let (Ok(later), Ok(before)) = (u.sell_proceeds(q), t.sell_proceeds(q))
        {
            prop_assert!(later <= before, "transient: {} after selling {}, {} before", later, sold, before);
        }
    }

    #[test]
    fn stress_by_one_changes_nothing(m in market()) {
        let mut s = m.clone();
        s.stress(Wad::ONE).unwrap();
        prop_assert_eq!(s, m);
    }
}

#[test]
fn errors_name_their_field() {
    let mut m: Market = LinearImpact::new(Wad::ONE, Wad::ONE).unwrap().into();
    let invalid = |what, why| Err(lce::Error::Invalid { what, why });
    assert_eq!(m.quote(Side::Sell, Wad::from_i64(-1)), invalid("qty", "must be ≥ 0"));
    assert_eq!(
        m.stress(Wad::ZERO),
        Err(lce::Error::invalid("stress", "must be in (0, 1]"))
    );
    assert_eq!(m.arbitrage(Wad::ZERO, Wad::ONE), invalid("reference", "must be > 0"));
    assert_eq!(
        m.arbitrage(Wad::ONE, Wad::from_i64(-1)),
        invalid("capacity", "must be ≥ 0")
    );
}
