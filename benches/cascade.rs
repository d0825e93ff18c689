//! The cascade engine and the equilibrium solver at 1k, 100k and 1M accounts (goal: 1M
//! accounts to equilibrium in under a second on one core, cost growing no faster than
//! `N log N`).
//!
//! The case scales with `N`: a lending venue of `N` generated accounts (Pareto sizes with a
//! heavy top 1 %, liquidation prices spread over 55–95 % of the start price), a
//! constant-product pool holding `N` units of collateral, a 20 % instant drop, arbitrage of
//! `N / 1000` units a block, three liquidators, block gas for `N / 100` liquidations.
//! The solver runs the instantaneous model on the same population as perp longs closed out
//! whole, against a pool a hundred times deeper (so that every liquidation pays, the regime of
//! the closed forms) after a 19 % drop.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

use std::hint::black_box;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use lce::Wad;
use lce::account::{HealthLevel, PerpParams, PerpParamsRaw, TokenParams, TokenParamsRaw};
use lce::cascade::equilibrium::{Model, solve};
use lce::cascade::{
    Arbitrage, BehaviourMix, BehaviourMixRaw, Borrower, Cascade, GasSchedule, Leverage, Liquidator, Population,
    PopulationRaw, Resilience, Settings, Sizing, Slot, Venue, VenueKind, VenueParams,
};
use lce::liquidation::{CloseFactor, CloseFactorRaw, LiquidationParams, Waterfall, WaterfallRaw};
use lce::liquidator::ProfileRaw;
use lce::market::ConstantProduct;
use lce::oracle::{FeedParams, Guards};
use lce::shock::Path;

fn w(s: &str) -> Wad {
    s.parse().unwrap()
}

fn population() -> Population {
    Population::new(PopulationRaw {
        size_min: w("1"),
        size_alpha: w("1.5"),
        size_max: w("1000"),
        leverage: Leverage::LiquidationPrice {
            low: w("0.55"),
            high: w("0.95"),
        },
        whale_share: w("0.01"),
        whale_factor: w("20"),
    })
    .unwrap()
}

fn common(kind: VenueKind, liquidation: LiquidationParams) -> VenueParams {
    VenueParams {
        kind,
        liquidation,
        feed: FeedParams::new(w("0.005"), 10, 1).unwrap(),
        guards: Guards::new(Some(30), None, None).unwrap(),
        waterfall: Waterfall::new(WaterfallRaw {
            premium_buffer: Wad::ZERO,
            insurance_fund: w("1000000"),
            lender_deposits: w("1000000000"),
        })
        .unwrap(),
        outage_from: None,
    }
}

fn lending() -> VenueParams {
    let mut coll = TokenParamsRaw::new(w("0.75"), w("0.8"), Wad::ONE, Wad::ONE);
    coll.liquidation_fee = w("0.05");
    coll.protocol_fee_share = w("0.1");
    common(
        VenueKind::Lending {
            collateral: TokenParams::new(coll).unwrap(),
            debt: TokenParams::new(TokenParamsRaw::new(Wad::ONE, Wad::ONE, Wad::ONE, Wad::ONE)).unwrap(),
        },
        LiquidationParams {
            close_factor: CloseFactor::aave(w("1000")).unwrap(),
            ..LiquidationParams::default()
        },
    )
}

fn perp_closeout() -> VenueParams {
    let mut raw = PerpParamsRaw::new(w("0.1"), w("0.05"));
    raw.liquidation_fee = w("0.04");
    let close_out = CloseFactor::new(CloseFactorRaw {
        dust: Wad::MAX,
        ..CloseFactor::FULL.raw()
    })
    .unwrap();
    let mut v = common(
        VenueKind::Perp {
            market: PerpParams::new(raw).unwrap(),
        },
        LiquidationParams {
            close_factor: close_out,
            target: HealthLevel::LiquidationEnd,
            mode: lce::liquidation::Mode::Target,
        },
    );
    v.feed = FeedParams::new(Wad::ZERO, 1, 0).unwrap();
    v.guards = Guards::new(None, None, None).unwrap();
    v
}

fn bot(capital: &str, fee: &str) -> Liquidator {
    Liquidator::new(
        ProfileRaw {
            capital: w(capital),
            gas_per_liquidation: w("400000"),
            min_profit: w("1"),
            latency: 1,
            risk_factor: w("0.5"),
        },
        w(fee),
        None,
    )
    .unwrap()
}

fn accounts(venue: &VenueParams, n: usize) -> Vec<Borrower> {
    let mut out = vec![Borrower::default(); n];
    population().fill(&venue.kind, 0, w("100"), 42, &mut out).unwrap();
    out
}

fn pool(n: usize) -> ConstantProduct {
    let x = Wad::from_i64(n as i64);
    ConstantProduct::new(x, x.mul_floor(w("100")).unwrap(), w("0.003")).unwrap()
}

/// Runs the block engine on `accounts`; returns the blocks it took.
fn engine(venue: VenueParams, accounts: &mut [Borrower], scratch: &mut [Slot], n: usize) -> u64 {
    let mut market = pool(n);
    let settings = Settings {
        path: Path::new_instant(w("100"), w("80"), 1).unwrap(),
        gas: GasSchedule::new(w("0.00000002"), None).unwrap(),
        resilience: Resilience::default(),
        arbitrage: Arbitrage::new(Wad::from_i64((n / 20).max(1) as i64)).unwrap(),
        block_gas: Wad::from_i64((n / 100).max(1) as i64 * 400_000),
        volatility: w("0.01"),
        behaviour: BehaviourMix::new(BehaviourMixRaw::HOLD).unwrap(),
        risk_band: w("0.05"),
        seed: 42,
        max_blocks: 100_000,
    };
    let mut venues = [Venue::<64>::new(venue, accounts, scratch).unwrap()];
    let mut bots = [
        bot("100000000000", "0.000000005"),
        bot("1000000000", "0.000000002"),
        bot("10000000", "0"),
    ];
    let cascade = Cascade::new(settings, &mut market, &mut venues, &mut bots).unwrap();
    cascade.run(&mut ()).unwrap().blocks
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("cascade");
    group.sample_size(10);
    for n in [1_000usize, 100_000, 1_000_000] {
        let venue = lending();
        let base = accounts(&venue, n);
        let mut scratch = vec![Slot::default(); n];
        group.bench_with_input(BenchmarkId::new("engine", n), &n, |b, &n| {
            b.iter_batched_ref(
                || base.clone(),
                |accts| black_box(engine(venue, accts, &mut scratch, n)),
                BatchSize::LargeInput,
            );
        });
        let perp = perp_closeout();
        let base = accounts(&perp, n);
        group.bench_with_input(BenchmarkId::new("solver", n), &n, |b, &n| {
            b.iter_batched_ref(
                || (base.clone(), pool(100 * n)),
                |(accts, market)| {
                    let model = Model {
                        venue: perp,
                        liquidator: bot("100000000000000", "0").with_sizing(Sizing::Whole),
                        gas_price: Wad::ZERO,
                        volatility: Wad::ZERO,
                    };
                    let m = market;
                    // The shock: a ninth of the pool sold into it first, price × (9/10)² = 81.
                    let _ = lce::market::Depth::sell(m, Wad::from_i64((100 * n / 9) as i64)).unwrap();
                    black_box(solve(&model, m, accts, &mut scratch).unwrap())
                },
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
