//! Property tests: the laws of the cascade's option pool (`vectors/README.md` §9.6).
//!
//! - **conservation**: with a lending market, a perp exchange and an option pool on one pool,
//!   every venue's books balance; the pool's collateral only leaves by its hedge's fills
//!   (`c₀ = c + hedge_sold`, `k = hedge_proceeds`, block by block), its equity is the formula
//!   `⌊c·S⌋ + k − ⌈q·M⌉` every block, and its shortfall goes down its waterfall exactly once per
//!   increase (`premium + insurance + uncovered = D* = max_b max(−E_b, 0)`), the premium first;
//! - **determinism** and **termination**: the same scenario gives the same report and records
//!   bit for bit, within its block limit;
//! - **a larger vol spike never raises LP equity**: an unhedged pool (which does not trade, so
//!   the run around it is the same) under a higher peak vol has, block by block, an equity no
//!   higher; and at any one price, a higher vol never gives a higher valuation.
#![cfg(feature = "eval")]

use crate::common::w;
use lce::Wad;
use lce::account::{OptionMark, OptionParams, OptionParamsRaw, TokenParams, TokenParamsRaw};
use lce::cascade::{Book, Conservation, OptionsMargin, pool_value};
use lce::eval::scenario::read_scenario;
use lce::options::OptionKind;
use lce::shock::VolPath;
use proptest::prelude::*;
use serde_json::{Value, json};

fn wad(units: u64, scale: u32) -> Wad {
    Wad::from_raw(i128::from(units) * 10i128.pow(18 - scale))
}

/// A lending market, a perp exchange and an option pool short `sold` puts on `capital` stETH,
/// a linear fall to `to` over `blocks`, the pool's vol rising linearly from 0.6 to `peak`.
#[allow(clippy::too_many_arguments)]
fn with_pool(
    seed: u64,
    to: u64,
    blocks: u64,
    peak: u64,
    sold: u64,
    capital: u64,
    hedge: bool,
    premium: u64,
) -> serde_json::Map<String, Value> {
    let v = json!({
        "name": "pool", "seed": seed, "max_blocks": 300,
        "path": {"kind": "linear", "from": "2000", "to": to.to_string(), "start": 2, "blocks": blocks},
        "gas": {"base": "0.00002"}, "block_gas": "15000000", "volatility": "0.004", "risk_band": "0.1",
        "market": {"model": "constant_product", "base": "3000", "quote": "6000000", "fee": "0.003", "resilience": {"half_life": 5}},
        "venues": [
            {"name": "L", "kind": "lending",
             "collateral": {"init_asset_weight": "0.8", "maint_asset_weight": "0.86", "init_liab_weight": "1", "maint_liab_weight": "1", "liquidation_fee": "0.05", "protocol_fee_share": "0.1"},
             "debt": {"init_liab_weight": "1", "maint_liab_weight": "1", "init_asset_weight": "1", "maint_asset_weight": "1"},
             "liquidation": {"close_factor": {"normal": "0.5", "full_below": "0.95", "dust": "100"}},
             "oracle": {"deviation": "0.005", "heartbeat": 50, "latency": 1, "max_age": 60},
             "waterfall": {"premium_buffer": "0", "insurance_fund": "4000", "lender_deposits": "5000000"},
             "population": {"count": 40, "size_min": "2", "size_alpha": "1.4", "size_max": "80", "liq_low": "0.75", "liq_high": "0.95"}},
            {"name": "P", "kind": "perp",
             "market": {"init_margin": "0.1", "maint_margin": "0.05", "liquidation_fee": "0.02", "protocol_fee_share": "0.5"},
             "oracle": {"deviation": "0.002", "heartbeat": 20, "latency": 0, "max_age": 30},
             "waterfall": {"premium_buffer": "0", "insurance_fund": "5000", "lender_deposits": "1000000"},
             "population": {"count": 40, "size_min": "1", "size_alpha": "1.5", "size_max": "40", "ltv_low": "0.75", "ltv_high": "0.93"}},
            {"name": "AMM", "kind": "option_pool",
             "collateral": {"init_asset_weight": "0.85", "maint_asset_weight": "0.9", "init_liab_weight": "1", "maint_liab_weight": "1"},
             "series": {"kind": "put", "underlying": 0, "strike": "1900", "t": "0.08", "vol": "0.6", "liquidation_fee": "0.04"},
             "vol": {"kind": "linear", "from": "0.6", "to": wad(peak, 2).to_string(), "start": 2, "blocks": blocks},
             "sold": wad(sold, 2).to_string(), "capital": wad(capital, 2).to_string(), "hedge": hedge,
             "oracle": {"deviation": "0.002", "heartbeat": 20, "latency": 0, "max_age": 30},
             "waterfall": {"premium_buffer": premium.to_string(), "insurance_fund": "20000"}}
        ],
        "liquidators": [
            {"name": "F", "capital": "500000", "gas_per_liquidation": "400000", "min_profit": "1", "latency": 0, "risk_factor": "1", "priority_fee": "0.00005"},
            {"name": "K", "capital": "100000", "gas_per_liquidation": "400000", "min_profit": "1", "latency": 1, "risk_factor": "1", "priority_fee": "0.00001"}
        ]
    });
    match v {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20))]

    /// Books balance, the pool's identities hold block by block, the run stops and repeats.
    #[test]
    fn an_option_pool_conserves_stops_and_repeats(
        seed in 0u64..1000,
        to in 1200u64..1950,
        blocks in 1u64..40,
        peak in 60u64..300,
        sold in 100u64..2_000_000,
        capital in 100u64..500_000,
        hedge in any::<bool>(),
        premium in 0u64..5000,
    ) {
        let scenario = read_scenario(&with_pool(seed, to, blocks, peak, sold, capital, hedge, premium)).unwrap();
        let run = scenario.run(None, &mut |_| {}).unwrap();
        let again = scenario.run(None, &mut |_| {}).unwrap();
        prop_assert_eq!(&run.report, &again.report);
        prop_assert_eq!(&run.records, &again.records);
        prop_assert!(run.report.blocks <= scenario.max_blocks);
        prop_assert_eq!(run.records.len() as u64, run.report.blocks);
        for (i, v) in run.report.venues.iter().enumerate() {
            let at_eq = Conservation::check(&v.ledger, v.collateral, v.debt).unwrap();
            prop_assert!(at_eq.balanced(), "venue {} at the equilibrium: {:?}", i, at_eq);
        }
        let p = run.report.venues[2].option_pool.expect("the pool's line");
        let (sold, capital) = (wad(sold, 2), wad(capital, 2));
        prop_assert_eq!(p.sold, sold);
        prop_assert_eq!(p.capital_start, capital);
        // Replay the pool's books from its block lines up to the equilibrium.
        let (mut held, mut cash, mut total, mut proceeds) = (capital, Wad::ZERO, Wad::ZERO, Wad::ZERO);
        let (mut low, mut booked) = (p.equity_start, Wad::ZERO);
        let (mut premium_sum, mut insurance_sum, mut uncovered_sum) = (Wad::ZERO, Wad::ZERO, Wad::ZERO);
        for r in run.records.iter().take_while(|r| r.block <= run.report.equilibrium_block) {
            let b = r.venues[2].option_pool.expect("a pool line every block");
            let q = r.venues[2].options.expect("a quote every block");
            prop_assert!(b.hedge_sold >= Wad::ZERO && b.hedge_sold <= held);
            if !hedge {
                prop_assert_eq!(b.hedge_sold, Wad::ZERO);
            }
            held = held.sub(b.hedge_sold).unwrap();
            cash = cash.add(b.hedge_proceeds).unwrap();
            total = total.add(b.hedge_sold).unwrap();
            proceeds = proceeds.add(b.hedge_proceeds).unwrap();
            let (_, equity, u) = pool_value(sold, held, cash, w("1900"), q.spot, q.mark).unwrap();
            prop_assert_eq!((b.equity, b.utilisation), (equity, u));
            prop_assert_eq!(b.solvent, !equity.is_negative());
            low = low.min(equity);
            let short = equity.neg().unwrap().max(Wad::ZERO);
            let absorbed = b.premium_absorbed.add(b.insurance_absorbed).unwrap().add(b.uncovered).unwrap();
            if short > booked {
                prop_assert_eq!(absorbed, short.sub(booked).unwrap());
                booked = short;
            } else {
                prop_assert_eq!(absorbed, Wad::ZERO);
            }
            premium_sum = premium_sum.add(b.premium_absorbed).unwrap();
            insurance_sum = insurance_sum.add(b.insurance_absorbed).unwrap();
            uncovered_sum = uncovered_sum.add(b.uncovered).unwrap();
        }
        prop_assert_eq!(p.capital.add(p.hedge_sold).unwrap(), p.capital_start);
        prop_assert_eq!((p.capital, p.cash, p.hedge_sold, p.hedge_proceeds), (held, cash, total, proceeds));
        prop_assert_eq!(p.cash, p.hedge_proceeds);
        prop_assert_eq!(p.equity_low, low);
        prop_assert_eq!(p.shortfall, booked);
        prop_assert_eq!((p.premium_absorbed, p.insurance_absorbed, p.uncovered), (premium_sum, insurance_sum, uncovered_sum));
        prop_assert_eq!(p.premium_absorbed.add(p.insurance_absorbed).unwrap().add(p.uncovered).unwrap(), p.shortfall);
        prop_assert!(p.premium_absorbed <= wad(premium, 0));
        if p.insurance_absorbed.is_positive() {
            prop_assert_eq!(p.premium_absorbed, wad(premium, 0));
        }
        if p.uncovered.is_positive() {
            prop_assert_eq!(p.insurance_absorbed, wad(20000, 0));
        }
    }

    /// An unhedged pool does not trade, so the run around it is the same; a higher peak vol
    /// gives, block by block, an LP equity no higher.
    #[test]
    fn a_larger_vol_spike_never_raises_lp_equity(
        seed in 0u64..1000,
        to in 1200u64..1950,
        blocks in 1u64..30,
        peaks in (60u64..300, 0u64..300),
        sold in 100u64..2_000_000,
        capital in 100u64..500_000,
    ) {
        let (low, high) = (peaks.0, peaks.0 + peaks.1);
        let calm = read_scenario(&with_pool(seed, to, blocks, low, sold, capital, false, 100)).unwrap();
        let spiked = read_scenario(&with_pool(seed, to, blocks, high, sold, capital, false, 100)).unwrap();
        let (a, b) = (calm.run(None, &mut |_| {}).unwrap(), spiked.run(None, &mut |_| {}).unwrap());
        prop_assert_eq!(a.records.len(), b.records.len());
        for (ra, rb) in a.records.iter().zip(b.records.iter()) {
            prop_assert_eq!(ra.market, rb.market);
            let (pa, pb) = (ra.venues[2].option_pool.unwrap(), rb.venues[2].option_pool.unwrap());
            prop_assert!(pb.equity <= pa.equity, "block {}: {} > {}", ra.block, pb.equity, pa.equity);
        }
        let (sa, sb) = (a.report.venues[2].option_pool.unwrap(), b.report.venues[2].option_pool.unwrap());
        prop_assert!(sb.equity_low <= sa.equity_low);
        prop_assert!(sb.shortfall >= sa.shortfall);
    }
}

fn book() -> Book {
    let collateral = TokenParams::new(TokenParamsRaw::new(w("0.85"), w("0.9"), Wad::ONE, Wad::ONE)).unwrap();
    let series = OptionParams::new(OptionParamsRaw::new(OptionKind::Put, 0, w("1900"), w("0.1"))).unwrap();
    Book::new(
        collateral,
        series,
        OptionMark::new(w("0.5"), Wad::ZERO, Wad::ZERO).unwrap(),
        OptionsMargin::Standard,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// At one price and the same books, a higher vol never values the pool higher.
    #[test]
    fn a_higher_vol_never_values_the_pool_higher(
        spot in 100_000u64..400_000,
        vols in (5u64..300, 0u64..500),
        sold in 1u64..2_000_000,
        capital in 0u64..500_000,
        cash in 0u64..1_000_000,
    ) {
        let spot = wad(spot, 2);
        let (calm, spiked) = (wad(vols.0, 2), wad(vols.0 + vols.1, 2));
        let mut b = book();
        let m_calm = b.reprice(&VolPath::new_constant(calm).unwrap(), 1, spot).unwrap().mark;
        let m_spiked = b.reprice(&VolPath::new_constant(spiked).unwrap(), 1, spot).unwrap().mark;
        let value = |m| pool_value(wad(sold, 2), wad(capital, 2), wad(cash, 0), w("1900"), spot, m).unwrap().1;
        prop_assert!(value(m_spiked) <= value(m_calm));
    }
}

/// A pinned hedged pool under a 30 % fall with the vol doubling: it sells into the fall, goes
/// under, and its shortfall runs through the premium and the insurance to the LPs.
#[test]
fn a_pinned_hedged_pool_sells_into_the_fall_and_goes_under() {
    let scenario = read_scenario(&with_pool(7, 1400, 20, 120, 1_000_000, 100_000, true, 500)).unwrap();
    let run = scenario.run(None, &mut |_| {}).unwrap();
    let p = run.report.venues[2].option_pool.unwrap();
    assert!(p.hedge_sold.is_positive() && p.hedge_blocks > 0);
    assert!(p.equity_low.is_negative() && p.insolvent_blocks > 0);
    assert_eq!(p.premium_absorbed, wad(500, 0));
    assert_eq!(p.insurance_absorbed, wad(20000, 0));
    assert!(p.uncovered.is_positive());
}
