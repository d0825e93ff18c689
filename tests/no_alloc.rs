//! The kernel never allocates: a counting global allocator sees zero allocations across
//! calls of every kernel module (math, health, liquidation, bankruptcy, markets, oracle
//! feeds, the liquidator's decision, options, a whole cascade and the equilibrium solver).
//!
//! The counter is `allocation-counter`'s global allocator (it counts the current thread's
//! allocations; the crate keeps the `unsafe` out of this one).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use lce::account::{Account, Context, HealthLevel, PerpParams, PerpParamsRaw, PriceOf, TokenParams, TokenParamsRaw};
use lce::liquidation::{LiquidationParams, PerpOrder, TokenOrder, Waterfall, WaterfallRaw};
use lce::liquidator::{Environment, EnvironmentRaw, Opportunity, Profile, ProfileRaw};
use lce::market::{ConstantProduct, Depth, Level, LinearImpact, Market, OrderBook, SquareRootImpact};
use lce::oracle::{FeedParams, Guards, OraclePrice, PushFeed};
use lce::{Rounding, Wad};

/// How many allocations (and reallocations) `f` made on this thread.
fn allocations(f: impl FnOnce()) -> u64 {
    allocation_counter::measure(f).count_total
}

#[path = "common/mod.rs"]
mod common;
use common::w;

#[test]
fn kernel_calls_allocate_nothing() {
    // The counter counts: one Vec is one allocation.
    assert_eq!(allocations(|| drop(std::hint::black_box(vec![1u8]))), 1);
    // Everything is built before counting (parsing text is not the kernel's hot path, but
    // it does not allocate either: it is counted below too).
    let texts = [
        "1.5",
        "-0.000000000000000001",
        "170141183460469231731.687303715884105727",
    ];
    assert_eq!(
        allocations(|| {
            for t in texts {
                std::hint::black_box(t.parse::<Wad>().unwrap());
            }
        }),
        0,
        "parsing"
    );

    let n = allocations(|| {
        for x in ["0.5", "-3.25", "12"] {
            let x = w(x);
            for r in [Rounding::Floor, Rounding::Ceil] {
                std::hint::black_box(x.exp(r).unwrap());
                std::hint::black_box(x.abs().unwrap().ln(r).unwrap());
                std::hint::black_box(x.abs().unwrap().sqrt(r).unwrap());
                std::hint::black_box(x.abs().unwrap().pow(w("1.5"), r).unwrap());
                std::hint::black_box(x.norm_cdf(r).unwrap());
                std::hint::black_box(x.norm_pdf(r).unwrap());
                std::hint::black_box(x.mul_div(w("3"), w("7"), r).unwrap());
            }
        }
        std::hint::black_box(w("0.3").norm_inv(Rounding::Floor).unwrap());
        // A value that needs the slow Ziv ladder (exp above 40 decides in wide arithmetic).
        std::hint::black_box(w("45.5").exp(Rounding::Ceil).unwrap());
    });
    assert_eq!(n, 0, "math");

    let mut raw = TokenParamsRaw::new(w("0.75"), w("0.8"), w("1.25"), w("1.2"));
    raw.liquidation_fee = w("0.05");
    raw.protocol_fee_share = w("0.1");
    raw.size_factor = w("0.001");
    let tokens = [TokenParams::new(raw).unwrap(), TokenParams::new(raw).unwrap()];
    let prices = [
        OraclePrice::new(w("2000"), w("1")).unwrap(),
        OraclePrice::exact(w("1")).unwrap(),
    ];
    let mut perp_raw = PerpParamsRaw::new(w("0.1"), w("0.05"));
    perp_raw.liquidation_fee = w("0.02");
    let perps = [PerpParams::new(perp_raw).unwrap()];
    let perp_prices = [OraclePrice::exact(w("100")).unwrap()];
    let ctx = Context::new(&tokens, &prices, &perps, &perp_prices).unwrap();

    let n = allocations(|| {
        let mut a: Account = Account::new();
        a.set_token(0, w("10")).unwrap();
        a.set_token(1, w("-17000")).unwrap();
        a.set_perp(0, w("2"), w("-195")).unwrap();
        for level in [
            HealthLevel::Initial,
            HealthLevel::Maintenance,
            HealthLevel::LiquidationEnd,
        ] {
            std::hint::black_box(lce::account::health(&a, &ctx, level).unwrap());
        }
        std::hint::black_box(lce::account::liquidation_price(&a, &ctx, PriceOf::Token(0)).unwrap());
        let params = LiquidationParams::default();
        let order = TokenOrder {
            liability: 1,
            collateral: 0,
            max_repay: None,
        };
        let plan = lce::liquidation::liquidate_token(&mut a, &ctx, &params, order).unwrap();
        std::hint::black_box(lce::liquidation::toxic_with_impact(&a, &ctx, order, &plan, w("1900")).unwrap());
        let perp = PerpOrder {
            market: 0,
            max_base: None,
        };
        std::hint::black_box(lce::liquidation::liquidate_perp(&mut a, &ctx, &params, perp).unwrap());
        let mut bankrupt: Account = Account::new();
        bankrupt.set_token(1, w("-5")).unwrap();
        let mut wf = Waterfall::new(WaterfallRaw {
            premium_buffer: w("1"),
            insurance_fund: w("2"),
            lender_deposits: w("100"),
        })
        .unwrap();
        std::hint::black_box(lce::liquidation::settle_bankruptcy(&mut bankrupt, &ctx, &mut wf).unwrap());
    });
    assert_eq!(n, 0, "health and liquidation");

    let n = allocations(|| {
        let book: OrderBook = OrderBook::new(
            &[
                Level::new(w("99"), w("1")).unwrap(),
                Level::new(w("98"), w("5")).unwrap(),
            ],
            &[Level::new(w("101"), w("2")).unwrap()],
        )
        .unwrap();
        let mut markets: [Market; 4] = [
            ConstantProduct::new(w("1000"), w("100000"), w("0.003")).unwrap().into(),
            book.into(),
            LinearImpact::new(w("100"), w("0.01")).unwrap().into(),
            SquareRootImpact::new(w("100"), w("1"), w("0.02"), w("100000"))
                .unwrap()
                .into(),
        ];
        for m in &mut markets {
            std::hint::black_box(m.sell(w("3")).unwrap().slippage_multiplier().unwrap());
            std::hint::black_box(m.buy(w("1")).unwrap());
            std::hint::black_box(m.arbitrage(w("100"), w("10")).unwrap());
            std::hint::black_box(m.sellable_above(w("95")).unwrap());
            m.stress(w("0.5")).unwrap();
        }
        let profile = Profile::new(ProfileRaw {
            capital: w("100000"),
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
        let opp = Opportunity {
            repay_max: w("5000"),
            liab_price: Wad::ONE,
            coll_price: w("100"),
            bonus: w("0.1"),
            protocol_fee_share: w("0.1"),
        };
        for m in &markets {
            std::hint::black_box(lce::liquidator::decide(&profile, &env, m, &opp).unwrap());
        }
    });
    assert_eq!(n, 0, "markets and the liquidator");

    let n = allocations(|| {
        let params = FeedParams::new(w("0.005"), 20, 2).unwrap();
        let mut feed: PushFeed = PushFeed::new(params);
        for block in 0..200u64 {
            let price = Wad::from(1000 + (block as u32 % 17) * 3);
            feed.observe(block, price).unwrap();
        }
        let round = feed.latest(199).unwrap();
        let guards = Guards::new(Some(30), Some(w("0.01")), Some(w("0.05"))).unwrap();
        let price = OraclePrice::new(round.price(), w("1")).unwrap();
        let twap = feed.twap(199, 50, Rounding::Floor).unwrap();
        std::hint::black_box(guards.check(price, feed.age(199).unwrap(), Some(twap)));
    });
    assert_eq!(n, 0, "oracle");

    let prices: Vec<Wad> = (0..300u32).map(|i| Wad::from(1000 + (i * 7919) % 97)).collect();
    let n = allocations(|| {
        use lce::margin::{
            DynamicMarginParams, DynamicMarginRaw, EwmaParams, GovernorParams, GovernorParamsRaw, MarginGovernor,
            ewma_vol, size_scaled,
        };
        let vol = ewma_vol(&prices, EwmaParams::riskmetrics_daily()).unwrap();
        let params = DynamicMarginParams::new(DynamicMarginRaw {
            base: w("0.03"),
            k_vol: w("3"),
            k_skew: w("0.5"),
            horizon: w("0.00273972602739726"),
            floor: w("0.02"),
            cap: w("0.5"),
            init_spread: w("0.02"),
        })
        .unwrap();
        let g = GovernorParams::new(GovernorParamsRaw {
            max_decrease: Some(w("0.005")),
            buffer: w("0.25"),
            stressed_sigma: Some(w("1.2")),
        })
        .unwrap();
        let mut gov = MarginGovernor::new(params, g);
        for i in 0..50u32 {
            let sigma = vol.annual_vol.mul_floor(Wad::from(1 + i % 5)).unwrap();
            let m = gov.update(sigma, w("0.04")).unwrap();
            std::hint::black_box(size_scaled(m.maintenance, m.initial, w("0.001"), w("25000")).unwrap());
        }
    });
    assert_eq!(n, 0, "margin");
    let n = allocations(|| {
        use lce::options::{BsInputs, BsInputsRaw, OptionKind, forward_difference, greeks, implied_vol, price};
        // Near the money, deep in the money (bounds decide), a tiny volatility (wide ladder).
        for (k, vol) in [
            ("105", "0.3"),
            ("150", "0.05"),
            ("100.000000000000000001", "0.000000000000000001"),
        ] {
            let i = BsInputs::new(BsInputsRaw {
                spot: w("100"),
                strike: w(k),
                vol: w(vol),
                t: w("0.5"),
                rate: w("0.03"),
                yield_: w("0.01"),
            })
            .unwrap();
            for kind in [OptionKind::Call, OptionKind::Put] {
                std::hint::black_box(price(kind, &i, Rounding::Ceil).unwrap());
                std::hint::black_box(greeks(kind, &i, Rounding::Floor).unwrap());
            }
            std::hint::black_box(forward_difference(&i, Rounding::Floor).unwrap());
        }
        let iv = implied_vol(
            OptionKind::Put,
            w("7.5"),
            w("100"),
            w("105"),
            w("0.5"),
            w("0.03"),
            w("0.01"),
        );
        std::hint::black_box(iv.unwrap());
    });
    assert_eq!(n, 0, "options");
}

/// A whole cascade — three venues sharing a pool (lending, perps, an options vault of put
/// writers under dynamic margin with the vol tied to the price), every behaviour, a gas spike,
/// three bots, the generated population, the records to a bounded sink — and the equilibrium
/// solver allocate nothing once their slices exist.
#[test]
fn a_cascade_allocates_nothing() {
    use lce::account::{OptionMark, OptionParams, OptionParamsRaw};
    use lce::cascade::equilibrium::{Model, solve};
    use lce::cascade::{
        Arbitrage, BehaviourMix, BehaviourMixRaw, BlockRecord, Borrower, Cascade, GasSchedule, GasSpike, Leverage,
        Liquidator, Population, PopulationRaw, Resilience, Settings, Sizing, Slot, Venue, VenueKind, VenueParams,
    };
    use lce::cascade::{Book, OptionsMargin};
    use lce::liquidation::{CloseFactor, CloseFactorRaw};
    use lce::margin::{DynamicMarginParams, DynamicMarginRaw, GovernorParams, GovernorParamsRaw, MarginGovernor};
    use lce::options::OptionKind;
    use lce::shock::{Path, VolPath};

    let mut coll = TokenParamsRaw::new(w("0.75"), w("0.8"), Wad::ONE, Wad::ONE);
    coll.liquidation_fee = w("0.05");
    let mut perp = PerpParamsRaw::new(w("0.1"), w("0.05"));
    perp.liquidation_fee = w("0.02");
    let common = |kind| VenueParams {
        kind,
        liquidation: LiquidationParams::default(),
        feed: FeedParams::new(w("0.005"), 5, 1).unwrap(),
        guards: Guards::new(Some(10), None, None).unwrap(),
        waterfall: Waterfall::new(WaterfallRaw {
            premium_buffer: Wad::ZERO,
            insurance_fund: w("1000"),
            lender_deposits: w("100000"),
        })
        .unwrap(),
        outage_from: None,
    };
    let lending = common(VenueKind::Lending {
        collateral: TokenParams::new(coll).unwrap(),
        debt: TokenParams::new(TokenParamsRaw::new(Wad::ONE, Wad::ONE, Wad::ONE, Wad::ONE)).unwrap(),
    });
    let perps = common(VenueKind::Perp {
        market: PerpParams::new(perp).unwrap(),
    });
    // Put writers on the shared collateral, struck at 90, under governed dynamic margin.
    let mut put = OptionParamsRaw::new(OptionKind::Put, 0, w("90"), w("0.1"));
    put.liquidation_fee = w("0.04");
    let governor = MarginGovernor::new(
        DynamicMarginParams::new(DynamicMarginRaw {
            base: w("0.02"),
            k_vol: w("0.5"),
            k_skew: w("0.1"),
            horizon: w("0.02"),
            floor: w("0.075"),
            cap: w("0.4"),
            init_spread: w("0.05"),
        })
        .unwrap(),
        GovernorParams::new(GovernorParamsRaw {
            max_decrease: Some(w("0.01")),
            buffer: w("0.1"),
            stressed_sigma: None,
        })
        .unwrap(),
    );
    let vault = VenueParams {
        waterfall: Waterfall::new(WaterfallRaw {
            premium_buffer: w("500"),
            insurance_fund: w("1000"),
            lender_deposits: w("100000"),
        })
        .unwrap(),
        ..common(VenueKind::Options(
            Book::new(
                TokenParams::new(TokenParamsRaw::new(w("0.85"), w("0.9"), Wad::ONE, Wad::ONE)).unwrap(),
                OptionParams::new(put).unwrap(),
                OptionMark::new(w("0.5"), Wad::ZERO, Wad::ZERO).unwrap(),
                OptionsMargin::Dynamic(governor),
            )
            .unwrap(),
        ))
    };
    let vol = VolPath::new_skew(w("0.5"), w("100"), w("2"), w("2")).unwrap();
    // 60 writers: 2 + i/10 units of collateral against 10 + i/4 puts.
    let mut c: Vec<Borrower> = (0..60u32)
        .map(|i| {
            let n = Wad::from(i);
            let collateral = w("2").add(w("0.1").mul_floor(n).unwrap()).unwrap();
            Borrower::new(collateral, w("10").add(w("0.25").mul_floor(n).unwrap()).unwrap()).unwrap()
        })
        .collect();
    let mut qc = vec![Slot::default(); 60];
    let population = Population::new(PopulationRaw {
        size_min: w("1"),
        size_alpha: w("1.5"),
        size_max: w("100"),
        leverage: Leverage::LiquidationPrice {
            low: w("0.6"),
            high: w("0.95"),
        },
        whale_share: w("0.01"),
        whale_factor: w("20"),
    })
    .unwrap();
    let mut a = vec![Borrower::default(); 300];
    let mut b = vec![Borrower::default(); 200];
    let mut qa = vec![Slot::default(); 300];
    let mut qb = vec![Slot::default(); 200];
    let bot = |capital: &str, fee: &str| {
        Liquidator::new(
            ProfileRaw {
                capital: w(capital),
                gas_per_liquidation: w("400000"),
                min_profit: w("1"),
                latency: 1,
                risk_factor: w("0.5"),
            },
            w(fee),
            Some(w("0.0001")),
        )
        .unwrap()
    };
    let mut bots = [bot("1000000", "0.00001"), bot("50000", "0"), bot("5000", "0.000001")];
    let mut sink: heapless::Vec<BlockRecord, 512> = heapless::Vec::new();
    let path = Path::new_linear(w("100"), w("80"), 2, 10).unwrap();
    let n = allocations(|| {
        population.fill(&lending.kind, 0, w("100"), 9, &mut a).unwrap();
        population.fill(&perps.kind, 1, w("100"), 9, &mut b).unwrap();
        let mut market = ConstantProduct::new(w("2000"), w("200000"), w("0.003")).unwrap();
        let mut venues = [
            Venue::<64>::new(lending, &mut a, &mut qa).unwrap(),
            Venue::<64>::new(perps, &mut b, &mut qb).unwrap(),
            Venue::<64>::new(vault, &mut c, &mut qc).unwrap().with_vol(vol).unwrap(),
        ];
        let settings = Settings {
            path,
            gas: GasSchedule::new(
                w("0.00001"),
                Some(GasSpike {
                    start: 4,
                    blocks: 5,
                    price: w("0.0002"),
                }),
            )
            .unwrap(),
            resilience: Resilience::from_half_life(5, Resilience::DEFAULT_BAND).unwrap(),
            arbitrage: Arbitrage::new(w("20")).unwrap(),
            block_gas: w("4000000"),
            volatility: w("0.01"),
            behaviour: BehaviourMix::new(BehaviourMixRaw {
                top_up: w("0.1"),
                deleverage: w("0.1"),
                panic: w("0.1"),
                watch_band: w("0.05"),
                top_up_fraction: w("0.3"),
                deleverage_fraction: w("0.2"),
                panic_drawdown: w("0.1"),
            })
            .unwrap(),
            risk_band: w("0.1"),
            seed: 3,
            max_blocks: 500,
        };
        let report = Cascade::new(settings, &mut market, &mut venues, &mut bots)
            .unwrap()
            .run(&mut sink)
            .unwrap();
        assert!(report.liquidations > 0);
        // The vault's writers were marked every block and some were bought back.
        assert!(venues[2].options().quotes > 0);
        assert!(venues[2].ledger().liquidations > 0);
        // The solver on a copy of the perp accounts, closed out whole.
        let mut close = perps;
        close.liquidation.close_factor = CloseFactor::new(CloseFactorRaw {
            dust: Wad::MAX,
            ..CloseFactor::FULL.raw()
        })
        .unwrap();
        let model = Model {
            venue: close,
            liquidator: bot("1000000000", "0").with_sizing(Sizing::Whole),
            gas_price: Wad::ZERO,
            volatility: Wad::ZERO,
        };
        let mut pool = ConstantProduct::new(w("200000"), w("16000000"), Wad::ZERO).unwrap();
        std::hint::black_box(solve(&model, &mut pool, &mut b, &mut qb).unwrap());
    });
    assert_eq!(n, 0);
}
