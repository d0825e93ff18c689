//! The liquidator's decision, worked by hand against a constant-product pool.

use super::*;
use crate::Wad;
use crate::market::{ConstantProduct, Depth};

use crate::test_support::w;

/// 1000 collateral against 100 000 quote: price 100, no fee.
fn pool() -> ConstantProduct {
    ConstantProduct::new(w("1000"), w("100000"), Wad::ZERO).unwrap()
}

fn opportunity(repay_max: &str) -> Opportunity {
    Opportunity {
        repay_max: w(repay_max),
        liab_price: Wad::ONE,
        coll_price: w("100"),
        bonus: w("0.1"),
        protocol_fee_share: Wad::ZERO,
    }
}

fn profile(capital: &str, gas: &str, min_profit: &str, latency: u32, risk: &str) -> Profile {
    Profile::new(ProfileRaw {
        capital: w(capital),
        gas_per_liquidation: w(gas),
        min_profit: w(min_profit),
        latency,
        risk_factor: w(risk),
    })
    .unwrap()
}

fn env(gas_price: &str, volatility: &str) -> Environment {
    Environment::new(EnvironmentRaw {
        gas_price: w(gas_price),
        volatility: w(volatility),
    })
    .unwrap()
}

/// The profit of repaying `r`, recomputed from the parts.
fn profit_at(opp: &Opportunity, market: &ConstantProduct, r: Wad, gas: Wad, risk_rate: Wad) -> Wad {
    let receives = crate::liquidation::Seize::new(r, opp.liab_price, opp.coll_price, opp.bonus, opp.protocol_fee_share)
        .unwrap()
        .liquidator_receives()
        .unwrap();
    let proceeds = market.quote_sell(receives).unwrap().proceeds;
    let risk = receives.mul_ceil(opp.coll_price).unwrap().mul_ceil(risk_rate).unwrap();
    proceeds
        .sub(r.mul_ceil(opp.liab_price).unwrap())
        .unwrap()
        .sub(gas)
        .unwrap()
        .sub(risk)
        .unwrap()
}

#[test]
fn the_best_size_balances_marginal_revenue_and_cost() {
    // Each collateral unit costs 100/1.1 = 90.90…; the pool pays at least that at the margin
    // while 10^7/(1000 + q)² ≥ 90.90…, i.e. q ≤ 1000·(√1.1 − 1) = 48.808848170151546…, which
    // a repay of q·100/1.1 = 4437.168… buys. Profit ≈ 4653.72 − 4437.17 = 216.55.
    let opp = opportunity("5000");
    let d = decide(&profile("1000000", "0", "0", 0, "0"), &env("0", "0"), &pool(), &opp).unwrap();
    assert!(d.act);
    assert_eq!(d.reason, Reason::Act);
    assert!(d.repay > w("4437.16") && d.repay < w("4437.17"), "{}", d.repay);
    assert!(d.profit > w("216.5") && d.profit < w("216.6"), "{}", d.profit);
    assert_eq!(d.profit, d.fill.proceeds.sub(d.cost).unwrap());
    // No nearby size does better (the profit is concave).
    for delta in ["0.001", "0.1", "10"] {
        for r in [d.repay.sub(w(delta)).unwrap(), d.repay.add(w(delta)).unwrap()] {
            assert!(profit_at(&opp, &pool(), r, Wad::ZERO, Wad::ZERO) <= d.profit, "{r}");
        }
    }
}

#[test]
fn caps_gas_risk_and_thresholds() {
    let pool = pool();
    // A small offer binds: the whole 1000 is repaid.
    let d = decide(
        &profile("1000000", "0", "0", 0, "0"),
        &env("0", "0"),
        &pool,
        &opportunity("1000"),
    )
    .unwrap();
    assert_eq!((d.repay, d.reason), (w("1000"), Reason::Act));
    // Capital of 500 at liability price 1 buys 500.
    let d = decide(
        &profile("500", "0", "0", 0, "0"),
        &env("0", "0"),
        &pool,
        &opportunity("5000"),
    )
    .unwrap();
    assert_eq!(d.repay, w("500"));
    // Gas of 300 (1000 units at 0.3) exceeds the best profit of about 216.55: it pauses.
    let d = decide(
        &profile("1000000", "1000", "0", 0, "0"),
        &env("0.3", "0"),
        &pool,
        &opportunity("5000"),
    )
    .unwrap();
    assert_eq!((d.act, d.reason, d.gas), (false, Reason::Unprofitable, w("300")));
    // A minimum profit of 300 without gas: positive but not enough.
    let d = decide(
        &profile("1000000", "0", "300", 0, "0"),
        &env("0", "0"),
        &pool,
        &opportunity("5000"),
    )
    .unwrap();
    assert_eq!((d.act, d.reason), (false, Reason::BelowMinProfit));
    // Nothing to repay, no capital.
    let d = decide(
        &profile("1000000", "0", "0", 0, "0"),
        &env("0", "0"),
        &pool,
        &opportunity("0"),
    )
    .unwrap();
    assert_eq!((d.reason, d.repay), (Reason::NothingToLiquidate, Wad::ZERO));
    let d = decide(
        &profile("0", "0", "0", 0, "0"),
        &env("0", "0"),
        &pool,
        &opportunity("5000"),
    )
    .unwrap();
    assert_eq!(d.reason, Reason::NoCapital);
    // Execution risk: risk factor 1, σ 0.01 per √block, 4 blocks: ρ = 0.02 of the seized value.
    // The stop price rises to 90.91 + 2 = 92.91: a smaller size, and the risk is charged.
    let risky = decide(
        &profile("1000000", "0", "0", 4, "1"),
        &env("0", "0.01"),
        &pool,
        &opportunity("5000"),
    )
    .unwrap();
    assert!(risky.repay < w("4437"), "{}", risky.repay);
    assert_eq!(
        risky.risk,
        risky.receives.mul_ceil(w("100")).unwrap().mul_ceil(w("0.02")).unwrap()
    );
    let rate = w("0.02");
    for delta in ["0.01", "1"] {
        for r in [risky.repay.sub(w(delta)).unwrap(), risky.repay.add(w(delta)).unwrap()] {
            assert!(
                profit_at(&opportunity("5000"), &pool, r, Wad::ZERO, rate) <= risky.profit,
                "{r}"
            );
        }
    }
}

#[test]
fn a_thin_market_makes_the_bonus_worthless() {
    // A pool of 10 collateral: selling the 11 that a repay of 1000 yields would crash it; the
    // best size is where the marginal revenue falls to 90.9…: q = 10·(√1.1 − 1) = 0.488…
    let thin = ConstantProduct::new(w("10"), w("1000"), Wad::ZERO).unwrap();
    let d = decide(
        &profile("1000000", "0", "0", 0, "0"),
        &env("0", "0"),
        &thin,
        &opportunity("1000"),
    )
    .unwrap();
    assert!(d.receives > w("0.488") && d.receives < w("0.489"), "{}", d.receives);
    // With a gas cost of 5 the best profit (about 2.17) does not pay.
    let d = decide(
        &profile("1000000", "5", "0", 0, "0"),
        &env("1", "0"),
        &thin,
        &opportunity("1000"),
    )
    .unwrap();
    assert_eq!(d.reason, Reason::Unprofitable);
}

#[test]
fn bad_inputs_name_the_field() {
    let e = |what, why| Some(crate::Error::Invalid { what, why });
    let raw = ProfileRaw {
        capital: w("-1"),
        gas_per_liquidation: Wad::ZERO,
        min_profit: Wad::ZERO,
        latency: 0,
        risk_factor: Wad::ZERO,
    };
    assert_eq!(Profile::new(raw).err(), e("capital", "must be ≥ 0"));
    assert_eq!(
        Environment::new(EnvironmentRaw {
            gas_price: Wad::ZERO,
            volatility: w("-0.1")
        })
        .err(),
        e("volatility", "must be ≥ 0")
    );
    let mut opp = opportunity("1");
    opp.bonus = Wad::ONE;
    assert_eq!(
        decide(&profile("1", "0", "0", 0, "0"), &env("0", "0"), &pool(), &opp).err(),
        e("bonus", "must be in [0, 1)")
    );
}

#[test]
fn a_huge_offer_at_a_low_liability_price_does_not_overflow_the_estimate() {
    // Regression: repay_max 1.7e20 at P_liab 0.3, P_coll 1, bonus 0.5 against one bid of 6e19
    // at 1: the capital of 1e20 buys 1e20/0.3 = 3.3e20 tokens and the estimate 6e19·1/0.3 =
    // 2e20 of the search, both past the Wad range, overflowed. The stop price is
    // ⌈1/1.5⌉ = 0.666666666666666667 ≤ 1, so the market absorbs the whole 6e19: receives(r)
    // = ⌊⌊0.3r⌋·1.5⌋ ≤ 6e19 up to r = 1.333…e20, whose repay value is 4e19 exactly.
    use crate::market::{Level, OrderBook};
    let book: OrderBook = OrderBook::new(&[Level::new(Wad::ONE, w("60000000000000000000")).unwrap()], &[]).unwrap();
    let opp = Opportunity {
        repay_max: w("170000000000000000000"),
        liab_price: w("0.3"),
        coll_price: Wad::ONE,
        bonus: w("0.5"),
        protocol_fee_share: Wad::ZERO,
    };
    let d = decide(
        &profile("100000000000000000000", "0", "0", 0, "0"),
        &env("0", "0"),
        &book,
        &opp,
    )
    .unwrap();
    assert_eq!(d.receives, w("60000000000000000000"));
    assert_eq!(d.repay, w("133333333333333333333.333333333333333336"));
    assert_eq!(d.fill.unfilled, Wad::ZERO);
}

/// The closed form that `Sizer::decide` uses for the search's boundary is that boundary, and
/// proves it: on 20,000 random terms (prices from 1e-6 to 1e6, bonus in [0, 1), fee shares
/// 0, 1 and between, limits from 1e-12 to 1e9 collateral units), the first repay whose
/// collateral exceeds the limit, found by the search from the top of its bracket, is the
/// closed form's, which gives one, proved, on every draw; the collateral just below it, when
/// the closed form knows it, is the Seize's.
#[test]
fn the_closed_form_is_the_searched_boundary() {
    let mut rng = crate::rng::SplitMix64::new(0x9e37_79b9_7f4a_7c15);
    let mut next = move || rng.next_u64();
    let log_uniform = crate::test_support::log_uniform;
    let (mut proved, mut unproved, mut none, mut known_before) = (0, 0, 0, 0);
    for i in 0..20_000 {
        let liab_price = if i % 5 == 0 {
            Wad::ONE
        } else {
            log_uniform(-6, 6, &mut next)
        };
        let coll_price = log_uniform(-6, 6, &mut next);
        let bonus = Wad::from_raw(i128::from(next() % 1_000_000_000_000_000_000));
        let protocol_fee_share = match i % 4 {
            0 => Wad::ZERO,
            1 => Wad::ONE,
            _ => Wad::from_raw(i128::from(next() % 1_000_000_000_000_000_001)),
        };
        let opp = Opportunity {
            repay_max: Wad::MAX,
            liab_price,
            coll_price,
            bonus,
            protocol_fee_share,
        };
        let limit = log_uniform(-12, 9, &mut next);
        let receives = |r: Wad| {
            crate::liquidation::Seize::new(r, liab_price, coll_price, bonus, protocol_fee_share)
                .and_then(|x| x.liquidator_receives())
        };
        // A cap whose collateral is above the limit, as in `decide`.
        let Ok(cap) = limit
            .mul_floor(w("4"))
            .and_then(|x| x.mul_div_ceil(coll_price, liab_price))
            .and_then(|x| x.add(Wad::ONE))
        else {
            continue;
        };
        if !receives(cap).is_ok_and(|x| x > limit) {
            continue;
        }
        let pred = |r: Wad| Ok(receives(r)? > limit);
        let searched = crate::liquidation::first_true(Wad::ZERO, cap, cap, pred).unwrap();
        match super::decision::first_receiving_above(&opp, limit) {
            Ok(Some(b)) => {
                assert_eq!(b.first, searched, "{opp:?} limit {limit}");
                if let Some(before) = b.before {
                    assert_eq!(Ok(before), receives(b.first.sub(Wad::EPSILON).unwrap()), "{opp:?}");
                    known_before += 1;
                }
                if b.proved {
                    proved += 1;
                } else {
                    unproved += 1;
                }
            }
            _ => none += 1,
        }
    }
    assert_eq!(
        (proved, unproved, none),
        (20_000, 0, 0),
        "proved, unproved, without a closed form"
    );
    // With a liability price of 1 (a fifth of the draws) the scan knows the collateral just
    // below the boundary, the Seize's, unless the boundary starts a stretch where
    // `P_coll < 1 + b` (about half the draws' prices): 1,872 times.
    assert_eq!(known_before, 1_872);
}

/// `Opportunity::receives`, with its exact shortcuts (`P_liab = 1`, `s ∈ {0, 1}`), is
/// `Seize::new(..).liquidator_receives()`, value and error, on 20,000 random terms and repays
/// (from 1e-18 to 1e20, negative ones too).
#[test]
fn receives_is_the_seize() {
    let mut rng = crate::rng::SplitMix64::new(0x51ce_0019);
    let mut next = move || rng.next_u64();
    let log_uniform = crate::test_support::log_uniform;
    for i in 0..20_000u32 {
        let liab_price = if i % 3 == 0 {
            Wad::ONE
        } else {
            log_uniform(-18, 12, &mut next)
        };
        let opp = Opportunity {
            repay_max: Wad::MAX,
            liab_price,
            coll_price: log_uniform(-18, 12, &mut next),
            bonus: Wad::from_raw(i128::from(next() % 1_000_000_000_000_000_000)),
            protocol_fee_share: match i % 4 {
                0 => Wad::ZERO,
                1 => Wad::ONE,
                _ => Wad::from_raw(i128::from(next() % 1_000_000_000_000_000_001)),
            },
        };
        let repay = log_uniform(-18, 20, &mut next);
        let repay = if i % 7 == 0 {
            Wad::ZERO.sub(repay).unwrap()
        } else {
            repay
        };
        let seize =
            crate::liquidation::Seize::new(repay, opp.liab_price, opp.coll_price, opp.bonus, opp.protocol_fee_share)
                .and_then(|s| s.liquidator_receives());
        assert_eq!(opp.receives(repay), seize, "{opp:?} repay {repay}");
    }
}

/// Fixed edge cases, each the reference's decision bit for bit, with the reason each reaches.
#[test]
fn edge_cases_are_the_reference() {
    let bench = Opportunity {
        repay_max: w("5000"),
        liab_price: Wad::ONE,
        coll_price: w("100"),
        bonus: w("0.1"),
        protocol_fee_share: w("0.1"),
    };
    let keeper = profile("1000000", "300000", "1", 2, "1");
    let calm = env("0.00001", "0.001");
    let tiny = ConstantProduct::new(w("0.000000000000001"), w("0.0000000000001"), Wad::ZERO).unwrap();
    let huge = ConstantProduct::new(w("100000000000000000"), w("10000000000000000000"), w("0.003")).unwrap();
    let cases: [(Opportunity, Profile, Environment, ConstantProduct, Option<Reason>); 11] = [
        // The bench: the pool limits the size.
        (bench, keeper, calm, pool(), Some(Reason::Act)),
        (
            Opportunity {
                repay_max: Wad::ZERO,
                ..bench
            },
            keeper,
            calm,
            pool(),
            Some(Reason::NothingToLiquidate),
        ),
        (
            bench,
            profile("0", "0", "0", 0, "0"),
            calm,
            pool(),
            Some(Reason::NoCapital),
        ),
        // The capital caps: 1000 of liability at 1.
        (
            bench,
            profile("1000", "300000", "1", 2, "1"),
            calm,
            pool(),
            Some(Reason::Act),
        ),
        // No bonus: every unit costs more than the pool pays.
        (
            Opportunity {
                bonus: Wad::ZERO,
                ..bench
            },
            keeper,
            calm,
            pool(),
            Some(Reason::Unprofitable),
        ),
        // The protocol keeps the whole bonus, or none of it, at a liability price not 1.
        (
            Opportunity {
                protocol_fee_share: Wad::ONE,
                ..bench
            },
            keeper,
            calm,
            pool(),
            Some(Reason::Unprofitable),
        ),
        (
            Opportunity {
                protocol_fee_share: Wad::ZERO,
                liab_price: w("2"),
                ..bench
            },
            keeper,
            calm,
            pool(),
            Some(Reason::Act),
        ),
        // A minimum profit above what any size makes.
        (
            bench,
            profile("1000000", "300000", "1000000", 2, "1"),
            calm,
            pool(),
            Some(Reason::BelowMinProfit),
        ),
        // Pools far smaller and far larger than the offer.
        (bench, keeper, calm, tiny, Some(Reason::Unprofitable)),
        (bench, keeper, calm, huge, Some(Reason::Act)),
        // A risk rate whose stop price leaves the Wad range: an error, the reference's.
        (
            bench,
            profile("1000000", "0", "0", 4_000_000, "100000000000000000000"),
            env("0", "100000000000000000000"),
            pool(),
            None,
        ),
    ];
    for (opp, p, e, m, reason) in cases {
        let got = decide(&p, &e, &m, &opp);
        assert_eq!(got, super::decide_reference(&p, &e, &m, &opp), "{opp:?} {p:?}");
        assert_eq!(got.map(|d| d.reason).ok(), reason, "{opp:?} {p:?}");
    }
}

/// The kept roots of the latency are `Wad::sqrt`'s, rounded up, for every latency kept, and the
/// first latency past the table takes the same path.
#[test]
fn kept_roots_are_the_square_roots() {
    for n in 0..=70u32 {
        assert_eq!(
            super::decision::root_of(n),
            Wad::from(n).sqrt(crate::Rounding::Ceil),
            "latency {n}"
        );
    }
    // √2 = 1.41421356237309504880…, up; √4 = 2 exactly.
    assert_eq!(super::decision::root_of(2), Ok(w("1.414213562373095049")));
    assert_eq!(super::decision::root_of(4), Ok(w("2")));
}
