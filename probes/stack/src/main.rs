//! Measures the stack used by lce's main entry points on this host, by stack painting.
//!
//! Each case builds its inputs first, then runs the entry point (over every input of the
//! case, so the figure is the deepest of them) on a painted stack, and prints the bytes used
//! beyond the trampoline's baseline. Exits with status 1 if a case uses more than the limit
//! (first argument, default 16384 bytes).

#![allow(unused_must_use)] // black_box on tuples of Results: measured, not used

mod paint;

use core::fmt::{self, Write};
use std::hint::black_box;

use lce::account::{
    self, Account, Context, HealthLevel, PerpParams, PerpParamsRaw, PriceOf, TokenParams, TokenParamsRaw,
};
use lce::liquidation::{self, LiquidationParams, PerpOrder, TokenOrder, Waterfall, WaterfallRaw};
use lce::liquidator::{self, Environment, EnvironmentRaw, Opportunity, Profile, ProfileRaw};
use lce::market::{ConstantProduct, Depth, Level, LinearImpact, Market, OrderBook, Side, SquareRootImpact};
use lce::oracle::{FeedParams, Guards, OraclePrice, PushFeed, StablePrice};
use lce::{Rounding, Wad};

const ROUNDINGS: [Rounding; 2] = [Rounding::Floor, Rounding::Ceil];

fn w(s: &str) -> Wad {
    s.parse().unwrap()
}

/// `n` values from `lo` to `hi` (raw steps), both included.
fn sweep(lo: &str, hi: &str, n: i128) -> Vec<Wad> {
    let (lo, hi) = (w(lo).raw(), w(hi).raw());
    (0..=n).map(|i| Wad::from_raw(lo + (hi - lo) / n * i)).collect()
}

/// A fixed buffer that `fmt::Write` fills.
struct Buf([u8; 64], usize);

impl Write for Buf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.1 + s.len();
        self.0
            .get_mut(self.1..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.1 = end;
        Ok(())
    }
}

/// 8 tokens and 8 perp markets, priced.
struct World {
    tokens: Vec<TokenParams>,
    token_prices: Vec<OraclePrice>,
    perps: Vec<PerpParams>,
    perp_prices: Vec<OraclePrice>,
}

impl World {
    fn new() -> Self {
        let mut t = TokenParamsRaw::new(w("0.8"), w("0.9"), w("1.2"), w("1.1"));
        t.liq_end_asset_weight = w("0.85");
        t.liq_end_liab_weight = w("1.15");
        t.size_factor = w("0.001"); // size-scaled weights: the square-root path runs too
        t.liquidation_fee = w("0.05");
        t.protocol_fee_share = w("0.1");
        let mut p = PerpParamsRaw::new(w("0.1"), w("0.05"));
        p.liq_end_margin = w("0.075");
        p.size_factor = w("0.001");
        p.liquidation_fee = w("0.02");
        p.protocol_fee_share = w("0.1");
        let prices = ["2000", "1", "50", "300", "1", "2000", "7.5", "0.25"];
        Self {
            tokens: vec![TokenParams::new(t).unwrap(); 8],
            token_prices: prices
                .iter()
                .map(|p| OraclePrice::new(w(p), w(p).div_floor(w("1000")).unwrap()).unwrap())
                .collect(),
            perps: vec![PerpParams::new(p).unwrap(); 8],
            perp_prices: prices.iter().map(|p| OraclePrice::exact(w(p)).unwrap()).collect(),
        }
    }

    fn ctx(&self) -> Context<'_> {
        Context::new(&self.tokens, &self.token_prices, &self.perps, &self.perp_prices).unwrap()
    }
}

/// A 16-position account (4 deposits, 4 borrows, 8 perps), liquidatable.
fn account() -> Account {
    let mut a = Account::new();
    for (t, b) in [
        (0, "10"),
        (1, "5000"),
        (2, "100"),
        (3, "20"),
        (4, "-9000"),
        (5, "-6"),
        (6, "-900"),
        (7, "-4000"),
    ] {
        a.set_token(t, w(b)).unwrap();
    }
    for m in 0..8u16 {
        let (base, quote) = if m % 2 == 0 { ("2", "-4100") } else { ("-3", "10") };
        a.set_perp(m, w(base), w(quote)).unwrap();
    }
    a
}

fn book() -> OrderBook<32> {
    let bids: Vec<Level> = (0..32)
        .map(|i| Level::new(Wad::from_i64(100 - i), Wad::ONE).unwrap())
        .collect();
    let asks: Vec<Level> = (0..32)
        .map(|i| Level::new(Wad::from_i64(101 + i), Wad::ONE).unwrap())
        .collect();
    OrderBook::new(&bids, &asks).unwrap()
}

/// Every `Depth` call a cascade makes, each on its own copy of the model (the copies live on
/// the heap, made before the measurement, so only the calls' frames are measured).
struct Copies<M>(Vec<M>);

impl<M: Depth + Clone> Copies<M> {
    fn new(m: &M) -> Self {
        Self(vec![m.clone(); 3])
    }

    fn run(&mut self) {
        let [sell, buy, other] = &mut self.0[..] else {
            unreachable!()
        };
        for (m, side) in [(sell, Side::Sell), (buy, Side::Buy)] {
            black_box(m.quote(side, w("40")).ok());
            black_box(m.trade(side, w("40")).ok());
        }
        black_box(other.sellable_above(w("80")).ok());
        black_box(other.arbitrage(w("120"), w("1000")).ok());
        black_box(other.stress(w("0.5")).ok());
    }
}

type Case = (&'static str, Box<dyn FnMut()>);

fn cases() -> Vec<Case> {
    let world: &'static World = Box::leak(Box::new(World::new()));
    let ctx = world.ctx();
    let acct = account();
    assert!(
        account::is_liquidatable(&acct, &ctx).unwrap(),
        "the 16-position account must be liquidatable"
    );

    let exp_in: Vec<Wad> = [
        sweep("-41", "46.5", 4000),
        vec![w("45.5"), w("-40.5"), w("0.000000000000000001")],
    ]
    .concat();
    let near_one: Vec<Wad> = (1..=300)
        .flat_map(|k| [Wad::from_raw(Wad::ONE.raw() + k), Wad::from_raw(Wad::ONE.raw() - k)])
        .collect();
    let ln_in: Vec<Wad> = [near_one, sweep("0.000000000000000001", "1000", 4000)].concat();
    let sqrt_in = sweep("0", "170000000000000000000", 4000);
    let normal_in = sweep("-9.5", "9.5", 4000);
    let inv_in = sweep("0.000000000000000001", "0.999999999999999999", 4000);
    let pow_x = sweep("0.001", "1000", 60);
    let pow_p = sweep("-3", "3", 60);

    let mut v: Vec<Case> = Vec::new();
    v.push((
        "Wad parse + Display",
        Box::new(|| {
            for s in [
                "-170141183460469231731.687303715884105728",
                "0.000000000000000001",
                "12345.678",
            ] {
                let x: Wad = black_box(s).parse().unwrap();
                let mut b = Buf([0; 64], 0);
                write!(b, "{x}").unwrap();
                black_box(b.1);
            }
        }),
    ));
    v.push((
        "Wad mul / div / mul_div",
        Box::new(|| {
            let (a, b, c) = (w("-123456789.123456789"), w("0.000000001"), w("7.77"));
            for r in ROUNDINGS {
                black_box((
                    a.mul(b, r),
                    a.div(c, r),
                    a.mul_div(b, c, r),
                    a.mul_div(Wad::MAX, Wad::MAX, r),
                ));
            }
        }),
    ));
    v.push((
        "exp (4003 inputs, -41..46.5, 45.5)",
        Box::new(move || {
            for &x in &exp_in {
                for r in ROUNDINGS {
                    black_box(black_box(x).exp(r).ok());
                }
            }
        }),
    ));
    v.push((
        "ln (600 inputs 1 ± k·1e-18, 4001 more)",
        Box::new(move || {
            for &x in &ln_in {
                for r in ROUNDINGS {
                    black_box(black_box(x).ln(r).ok());
                }
            }
        }),
    ));
    v.push((
        "sqrt (4001 inputs)",
        Box::new(move || {
            for &x in &sqrt_in {
                for r in ROUNDINGS {
                    black_box(black_box(x).sqrt(r).ok());
                }
            }
        }),
    ));
    v.push((
        "pow (61 × 61 inputs)",
        Box::new(move || {
            for &x in &pow_x {
                for &p in &pow_p {
                    for r in ROUNDINGS {
                        black_box(black_box(x).pow(p, r).ok());
                    }
                }
            }
        }),
    ));
    let normal_cdf_in = normal_in.clone();
    v.push((
        "norm_cdf (4001 inputs, -9.5..9.5)",
        Box::new(move || {
            for &x in &normal_cdf_in {
                for r in ROUNDINGS {
                    black_box(black_box(x).norm_cdf(r).ok());
                }
            }
        }),
    ));
    v.push((
        "norm_pdf (4001 inputs)",
        Box::new(move || {
            for &x in &normal_in {
                for r in ROUNDINGS {
                    black_box(black_box(x).norm_pdf(r).ok());
                }
            }
        }),
    ));
    v.push((
        "norm_inv (4001 inputs, 0..1)",
        Box::new(move || {
            for &x in &inv_in {
                for r in ROUNDINGS {
                    black_box(black_box(x).norm_inv(r).ok());
                }
            }
        }),
    ));
    v.push((
        "native / I80F48 / U68F60 conversions",
        Box::new(|| {
            let x = w("-12345.678901234567890123");
            for r in ROUNDINGS {
                black_box((
                    Wad::from_native(black_box(123_456_789), 6, r),
                    x.to_native(6, r),
                    x.to_native(30, r),
                ));
                let i = x.to_i80f48(r).unwrap();
                black_box((
                    Wad::from_i80f48(i, r),
                    x.abs().unwrap().to_u68f60(r).map(|u| Wad::from_u68f60(u, r)),
                ));
            }
        }),
    ));

    let a1 = acct.clone();
    v.push((
        "health, 16 positions, 3 levels",
        Box::new(move || {
            let ctx = world.ctx();
            for level in [
                HealthLevel::Initial,
                HealthLevel::Maintenance,
                HealthLevel::LiquidationEnd,
            ] {
                black_box(account::health(black_box(&a1), &ctx, level).unwrap().factor().unwrap());
            }
        }),
    ));
    let a2 = acct.clone();
    v.push((
        "liquidation_price, 16 positions",
        Box::new(move || {
            let ctx = world.ctx();
            for of in [PriceOf::Token(0), PriceOf::Token(4), PriceOf::Perp(0), PriceOf::Perp(1)] {
                black_box(account::liquidation_price(black_box(&a2), &ctx, of).unwrap());
            }
        }),
    ));
    let a3 = acct.clone();
    v.push((
        "plan_token_liquidation + toxic_with_impact, 16 positions",
        Box::new(move || {
            let ctx = world.ctx();
            let params = LiquidationParams::default();
            let order = TokenOrder {
                liability: 4,
                collateral: 0,
                max_repay: None,
            };
            let plan = liquidation::plan_token_liquidation(black_box(&a3), &ctx, &params, order).unwrap();
            assert!(plan.repay.is_positive());
            black_box(liquidation::toxic_with_impact(&a3, &ctx, order, &plan, w("1900")).unwrap());
        }),
    ));
    let a4 = acct.clone();
    v.push((
        "plan_perp_liquidation, 16 positions",
        Box::new(move || {
            let ctx = world.ctx();
            let params = LiquidationParams::default();
            for market in [0, 1] {
                let plan = liquidation::plan_perp_liquidation(
                    black_box(&a4),
                    &ctx,
                    &params,
                    PerpOrder { market, max_base: None },
                )
                .unwrap();
                assert!(!plan.base.is_zero());
                black_box(plan);
            }
        }),
    ));
    // Bankrupt: 16 positions, nothing left but debts (zeroed deposits, flat perps with losses).
    let mut a5 = acct.clone();
    for t in 0..4 {
        a5.set_token(t, Wad::ZERO).unwrap();
    }
    for m in 0..8 {
        a5.set_perp(m, Wad::ZERO, w("-10")).unwrap();
    }
    assert_eq!(a5.positions().len(), 16);
    v.push((
        "settle_bankruptcy, 16 positions",
        Box::new(move || {
            let ctx = world.ctx();
            let a: &mut Account = &mut a5;
            let mut wf = Waterfall::new(WaterfallRaw {
                premium_buffer: w("10"),
                insurance_fund: w("100"),
                lender_deposits: w("1000000"),
            })
            .unwrap();
            black_box(liquidation::settle_bankruptcy(black_box(&mut *a), &ctx, &mut wf).unwrap());
        }),
    ));

    let ob = book();
    v.push(("OrderBook<32>: quote/trade 40 through 32 levels, arbitrage, stress", {
        let mut c = Copies::new(&ob);
        Box::new(move || black_box(&mut c).run())
    }));
    let cp = ConstantProduct::new(w("1000"), w("100000"), w("0.003")).unwrap();
    v.push(("ConstantProduct: quote/trade/arbitrage/stress/sellable_above", {
        let mut c = Copies::new(&cp);
        Box::new(move || black_box(&mut c).run())
    }));
    let li = LinearImpact::with_sold(w("100"), w("0.5"), w("3")).unwrap();
    v.push(("LinearImpact: quote/trade/arbitrage/stress/sellable_above", {
        let mut c = Copies::new(&li);
        Box::new(move || black_box(&mut c).run())
    }));
    let sq = SquareRootImpact::with_sold(w("100"), w("0.7"), w("0.02"), w("100000"), w("3")).unwrap();
    v.push(("SquareRootImpact: quote/trade/arbitrage/stress/sellable_above", {
        let mut c = Copies::new(&sq);
        Box::new(move || black_box(&mut c).run())
    }));

    v.push((
        "options: price and greeks (3 × 3 × 2 sets, both kinds and roundings), implied vol",
        Box::new(move || {
            use lce::options::{BsInputs, BsInputsRaw, OptionKind, greeks, implied_vol, price};
            for (k, t, q) in [("50", "0.01", "0"), ("100", "1", "0.02"), ("150", "0.01", "0")] {
                for vol in ["0.000000001", "0.3", "10"] {
                    let i = BsInputs::new(BsInputsRaw {
                        spot: w("100"),
                        strike: w(k),
                        vol: w(vol),
                        t: w(t),
                        rate: w("0"),
                        yield_: w(q),
                    })
                    .unwrap();
                    for kind in [OptionKind::Call, OptionKind::Put] {
                        for r in ROUNDINGS {
                            black_box(price(kind, black_box(&i), r).ok());
                            black_box(greeks(kind, black_box(&i), r).ok());
                        }
                    }
                }
            }
            let iv = implied_vol(OptionKind::Call, w("10"), w("100"), w("100"), w("1"), w("0.05"), w("0"));
            black_box(iv.ok());
        }),
    ));

    let market: Market<32> = book().into();
    v.push((
        "liquidator::decide on a 32-level book",
        Box::new(move || {
            let profile = Profile::new(ProfileRaw {
                capital: w("1000000"),
                gas_per_liquidation: w("300000"),
                min_profit: w("1"),
                latency: 2,
                risk_factor: w("2"),
            })
            .unwrap();
            let env = Environment::new(EnvironmentRaw {
                gas_price: w("0.00000002"),
                volatility: w("0.001"),
            })
            .unwrap();
            let opp = Opportunity {
                repay_max: w("3000"),
                liab_price: w("1"),
                coll_price: w("100"),
                bonus: w("0.05"),
                protocol_fee_share: w("0.1"),
            };
            black_box(liquidator::decide(&profile, &env, black_box(&market), &opp).unwrap());
        }),
    ));

    let mut feed: PushFeed = PushFeed::new(FeedParams::new(w("0.01"), 100, 1).unwrap());
    v.push((
        "PushFeed<64>: 200 observations (64 rounds kept), latest, 60-block twap",
        Box::new(move || {
            let f = &mut feed;
            for b in 0..200u64 {
                let p = if b % 2 == 0 { "100" } else { "103" };
                f.observe(b, w(p)).unwrap();
            }
            assert_eq!(f.history().len(), 64);
            black_box(f.latest(199));
            for r in ROUNDINGS {
                black_box(f.twap(199, 60, r).unwrap());
            }
        }),
    ));
    v.push((
        "Guards::check + StablePrice::update",
        Box::new(|| {
            let g = Guards::new(Some(3), Some(w("0.01")), Some(w("0.05"))).unwrap();
            black_box(g.check(OraclePrice::new(w("100"), w("0.5")).unwrap(), 2, Some(w("98"))));
            let mut s = StablePrice::new(w("100"), w("0.0001"), 0).unwrap();
            s.update(50, w("80")).unwrap();
            black_box(&s);
        }),
    ));
    v
}

fn main() {
    let limit: usize = std::env::args()
        .nth(1)
        .map_or(16 * 1024, |s| s.parse().expect("limit in bytes"));
    let base = paint::baseline();
    let mut over = Vec::new();
    println!("| entry point | stack bytes |");
    println!("|---|---:|");
    for (name, mut f) in cases() {
        let used = paint::measure(&mut *f).saturating_sub(base);
        println!("| {name} | {used} |");
        if used > limit {
            over.push(name);
        }
    }
    println!();
    println!("(x86-64 release, fat LTO; trampoline baseline of {base} bytes subtracted; limit {limit})");
    if !over.is_empty() {
        eprintln!("stack: above the limit of {limit} bytes: {over:?}");
        std::process::exit(1);
    }
}
