//! The risk kernel against a straightforward `f64` implementation of the same formulas, in
//! the same run (goal: within 1.5x of `f64`):
//!
//! - `health/{1,4,16}`: maintenance health of an account with 1, 4 and 16 token positions;
//! - `liquidation_plan`: sizing a token liquidation to restore liquidation-end health (an
//!   account of four positions whose plan the collateral caps);
//! - `liquidation_plan_target`: a two-position plan sized to the target by the search
//!   (`searched`: every size the search asks about evaluated, the reference);
//! - `decision`: the liquidator's best size against a constant-product pool (`f64`: the same
//!   closed form, its size and profit; `sizer`: the same decision from a `Sizer` made once, as
//!   the cascade engine decides the offers of one state of the market; `verdict`: that
//!   `Sizer`'s decision without the fill, the size and profit the engine acts on).
//!
//! Compare the medians of a group's two lines.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::float_arithmetic,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    clippy::too_many_arguments
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use lce::Wad;
use lce::account::{Account, Context, HealthLevel, TokenParams, TokenParamsRaw, health};
use lce::liquidation::{LiquidationParams, TokenOrder, plan_token_liquidation};
use lce::oracle::OraclePrice;

fn w(s: &str) -> Wad {
    s.parse().unwrap()
}

fn f(x: Wad) -> f64 {
    x.to_string().parse().unwrap()
}

/// 16 tokens with realistic weights, bonus and prices (some with a confidence interval).
struct Market {
    tokens: Vec<TokenParams>,
    prices: Vec<OraclePrice>,
}

fn market() -> Market {
    let mut tokens = Vec::new();
    let mut prices = Vec::new();
    for i in 0..16u32 {
        let mut raw = TokenParamsRaw::new(w("0.75"), w("0.8"), w("1.25"), w("1.2"));
        raw.liq_end_asset_weight = w("0.78");
        raw.liq_end_liab_weight = w("1.22");
        raw.liquidation_fee = w("0.05");
        raw.protocol_fee_share = w("0.1");
        tokens.push(TokenParams::new(raw).unwrap());
        let price = Wad::from(i * 37 + 1).div_floor(w("7")).unwrap();
        let conf = price.mul_floor(w("0.001")).unwrap();
        prices.push(OraclePrice::new(price, conf).unwrap());
    }
    Market { tokens, prices }
}

/// An account with `n` positions: deposits on even tokens, borrows on odd ones.
fn account(n: u16) -> Account {
    let mut a = Account::new();
    for t in 0..n {
        let size = Wad::from(u32::from(t) * 13 + 5).div_floor(w("3")).unwrap();
        let balance = if t % 2 == 0 { size } else { size.neg().unwrap() };
        a.set_token(t, balance).unwrap();
    }
    a
}

/// The same account and parameters as plain `f64`s: (balance, price, conf, w_asset, w_liab).
fn account_f64(a: &Account, m: &Market, level: HealthLevel) -> Vec<(f64, f64, f64, f64, f64)> {
    a.positions()
        .iter()
        .map(|p| match *p {
            lce::account::Position::Token { token, balance } => {
                let t = &m.tokens[usize::from(token)];
                let p = &m.prices[usize::from(token)];
                let ws = t.weights(level);
                (f(balance), f(p.price()), f(p.conf()), f(ws.asset), f(ws.liability))
            }
            lce::account::Position::Perp { .. } | lce::account::Position::Option { .. } => unreachable!(),
        })
        .collect()
}

/// Health in `f64`: `Σ b·(p − c)·w_a` over deposits less `Σ |b|·(p + c)·w_l` over borrows.
fn health_f64(positions: &[(f64, f64, f64, f64, f64)]) -> (f64, f64) {
    let (mut assets, mut liabs) = (0.0, 0.0);
    for &(b, p, c, wa, wl) in positions {
        if b > 0.0 {
            assets += b * (p - c) * wa;
        } else {
            liabs -= b * (p + c) * wl;
        }
    }
    (assets, liabs)
}

fn health_bench(c: &mut Criterion) {
    let m = market();
    let ctx = Context::tokens(&m.tokens, &m.prices).unwrap();
    for n in [1u16, 4, 16] {
        let a = account(n);
        let fa = account_f64(&a, &m, HealthLevel::Maintenance);
        let mut g = c.benchmark_group(format!("health/{n}"));
        g.bench_function("lce", |b| {
            b.iter(|| black_box(health(black_box(&a), &ctx, HealthLevel::Maintenance)).unwrap())
        });
        g.bench_function("f64", |b| b.iter(|| black_box(health_f64(black_box(&fa)))));
        g.finish();
    }
}

/// A liquidatable account of 4 positions whose borrow of token 1 is repaid against token 0.
fn liquidatable() -> Account {
    let mut a = Account::new();
    a.set_token(0, w("10")).unwrap();
    a.set_token(1, w("-6")).unwrap();
    a.set_token(2, w("3")).unwrap();
    a.set_token(3, w("-3.5")).unwrap();
    a
}

/// The `f64` plan: `r = −H_end / (P_l⁺·w_l − P_l·(1 + b)·P_c⁻·w_c / P_c)`, capped by the debt
/// and the collateral, then the seize, bonus and protocol fee.
fn plan_f64(end: &[(f64, f64, f64, f64, f64)], liab: usize, coll: usize, bonus: f64, share: f64) -> (f64, f64, f64) {
    let (assets, liabs) = health_f64(end);
    let h = assets - liabs;
    let (bl, pl, cl, _, wl) = end[liab];
    let (bc, pc, cc, wc, _) = end[coll];
    let slope = (pl + cl) * wl - pl * (1.0 + bonus) * (pc - cc) * wc / pc;
    let debt = -bl;
    let by_collateral = bc * pc / (pl * (1.0 + bonus));
    let r = if slope > 0.0 { (-h / slope).min(debt) } else { debt }.min(by_collateral);
    let seize = r * pl * (1.0 + bonus) / pc;
    let bonus_units = seize - r * pl / pc;
    (r, seize, bonus_units * share)
}

fn plan_bench(c: &mut Criterion) {
    let m = market();
    let ctx = Context::tokens(&m.tokens, &m.prices).unwrap();
    let a = liquidatable();
    let order = TokenOrder {
        liability: 1,
        collateral: 0,
        max_repay: None,
    };
    let params = LiquidationParams::default();
    let plan = plan_token_liquidation(&a, &ctx, &params, order).unwrap();
    assert!(plan.repay.is_positive(), "the bench account must be liquidatable");
    let fa = account_f64(&a, &m, HealthLevel::LiquidationEnd);
    let mut g = c.benchmark_group("liquidation_plan");
    g.bench_function("lce", |b| {
        b.iter(|| black_box(plan_token_liquidation(black_box(&a), &ctx, &params, order)).unwrap())
    });
    g.bench_function("f64", |b| {
        b.iter(|| black_box(plan_f64(black_box(&fa), 1, 0, 0.05, 0.1)))
    });
    g.finish();
}

/// A target-sized plan (the search answers): the default scenario's lending account in
/// miniature, stETH at 1,700.123456789 (confidence 1.7, weight 0.8 at liquidation end, bonus
/// 5 %) against a dollar debt, with 18-digit balances; `searched` evaluates every size the
/// search asks about (the reference), `lce` proves most answers.
fn plan_target_bench(c: &mut Criterion) {
    use lce::liquidation::{Limit, plan_token_liquidation_searched};
    let mut raw = TokenParamsRaw::new(w("0.8"), w("0.86"), w("1"), w("1"));
    raw.liquidation_fee = w("0.05");
    raw.protocol_fee_share = w("0.1");
    let tokens = [
        TokenParams::new(TokenParamsRaw::new(w("1"), w("1"), w("1"), w("1"))).unwrap(),
        TokenParams::new(raw).unwrap(),
    ];
    let prices = [
        OraclePrice::exact(Wad::ONE).unwrap(),
        OraclePrice::new(w("1700.123456789"), w("1.7")).unwrap(),
    ];
    let ctx = Context::tokens(&tokens, &prices).unwrap();
    let mut a = Account::new();
    a.set_token(0, w("-51234.567890123456789012")).unwrap();
    a.set_token(1, w("33.923456789012345678")).unwrap();
    let order = TokenOrder {
        liability: 0,
        collateral: 1,
        max_repay: None,
    };
    let params = LiquidationParams::default();
    let plan = plan_token_liquidation(&a, &ctx, &params, order).unwrap();
    assert_eq!(plan.outcome.limit, Limit::Target, "the bench plan must be target-sized");
    assert_eq!(plan, plan_token_liquidation_searched(&a, &ctx, &params, order).unwrap());
    let m = Market {
        tokens: tokens.to_vec(),
        prices: prices.to_vec(),
    };
    let fa = account_f64(&a, &m, HealthLevel::LiquidationEnd);
    let mut g = c.benchmark_group("liquidation_plan_target");
    g.bench_function("lce", |b| {
        b.iter(|| black_box(plan_token_liquidation(black_box(&a), &ctx, &params, order)).unwrap())
    });
    g.bench_function("searched", |b| {
        b.iter(|| black_box(plan_token_liquidation_searched(black_box(&a), &ctx, &params, order)).unwrap())
    });
    g.bench_function("f64", |b| {
        b.iter(|| black_box(plan_f64(black_box(&fa), 0, 1, 0.05, 0.1)))
    });
    g.finish();
}

/// The `f64` decision against a constant-product pool `(x, y)` without fee: the stop price
/// `P_c/(1 + b(1 − s)) + ρ·P_c`, the size `x·(√(P/p_stop) − 1)` it absorbs, the repay that
/// buys it (capped), and the profit there.
fn decide_f64(
    x: f64,
    y: f64,
    repay_max: f64,
    pl: f64,
    pc: f64,
    b: f64,
    s: f64,
    capital: f64,
    gas: f64,
    rho: f64,
) -> (f64, f64) {
    let per_unit = 1.0 + b * (1.0 - s);
    let p_stop = pc / per_unit + rho * pc;
    let q = (x * ((y / x / p_stop).sqrt() - 1.0)).max(0.0);
    let cap = repay_max.min(capital / pl);
    let r = (q * pc / (pl * per_unit)).min(cap);
    let receives = r * pl * per_unit / pc;
    let proceeds = y * receives / (x + receives);
    (r, proceeds - r * pl - gas - rho * receives * pc)
}

fn decision_bench(c: &mut Criterion) {
    use lce::liquidator::{Environment, EnvironmentRaw, Opportunity, Profile, ProfileRaw, Sizer, decide};
    use lce::market::ConstantProduct;
    let pool = ConstantProduct::new(w("1000"), w("100000"), Wad::ZERO).unwrap();
    let opp = Opportunity {
        repay_max: w("5000"),
        liab_price: Wad::ONE,
        coll_price: w("100"),
        bonus: w("0.1"),
        protocol_fee_share: w("0.1"),
    };
    let profile = Profile::new(ProfileRaw {
        capital: w("1000000"),
        gas_per_liquidation: w("300000"),
        min_profit: w("1"),
        latency: 2,
        risk_factor: w("1"),
    })
    .unwrap();
    let env = Environment::new(EnvironmentRaw {
        gas_price: w("0.00001"),
        volatility: w("0.001"),
    })
    .unwrap();
    let d = decide(&profile, &env, &pool, &opp).unwrap();
    assert!(d.act, "the bench decision must act");
    let rho = 0.001 * 2f64.sqrt();
    let mut g = c.benchmark_group("decision");
    g.bench_function("lce", |b| {
        b.iter(|| black_box(decide(black_box(&profile), &env, &pool, black_box(&opp))).unwrap())
    });
    // The engine's use: one `Sizer` per state of the market, reused for every offer.
    let sizer = Sizer::new(&profile, &env, &opp).unwrap();
    assert_eq!(sizer.decide(&pool, opp.repay_max).unwrap(), d);
    g.bench_function("sizer", |b| {
        b.iter(|| black_box(sizer.decide(&pool, black_box(opp.repay_max))).unwrap())
    });
    // What the engine asks: the same decision without its fill (the size and the profit, as
    // the `f64` line computes them).
    let v = sizer.verdict(&pool, opp.repay_max).unwrap();
    assert_eq!((v.act, v.repay, v.profit), (d.act, d.repay, d.profit));
    g.bench_function("verdict", |b| {
        b.iter(|| black_box(sizer.verdict(&pool, black_box(opp.repay_max))).unwrap())
    });
    g.bench_function("f64", |b| {
        b.iter(|| {
            black_box(decide_f64(
                black_box(1000.0),
                100_000.0,
                5000.0,
                1.0,
                100.0,
                0.1,
                0.1,
                1e6,
                3.0,
                black_box(rho),
            ))
        })
    });
    g.finish();
}

criterion_group!(benches, health_bench, plan_bench, plan_target_bench, decision_bench);
criterion_main!(benches);
