//! Property tests: the laws of the cascade's options venue.
//!
//! - **one pricing, the kernel's answer**: an account judged from the block's quote (priced
//!   once per series) is liquidatable exactly when the kernel's health says so;
//! - **a larger vol spike never lowers the requirement**: at the same price, a higher vol gives
//!   a per-unit requirement (mark + maintenance add-on) at least as high, under standard margin
//!   and under a fresh dynamic margin alike, and so every writer's charge;
//! - **the governor's pace**: with dynamic margin the published maintenance fraction never falls
//!   by more than the governor's `max_decrease` from one block to the next, whatever the vols;
//! - **conservation, determinism, termination** across the three venue kinds: a lending market,
//!   a perp exchange and an options vault sharing one pool; every venue's books balance against
//!   its accounts to the last 1e-18 at the equilibrium and at the end, the premium absorbs
//!   before the insurance fund, the run stops within its block limit, and the same scenario
//!   gives the same report and records bit for bit.
#![cfg(feature = "eval")]

use crate::common::w;
use lce::Wad;
use lce::account::{OptionMark, OptionParams, OptionParamsRaw, TokenParams, TokenParamsRaw};
use lce::cascade::{Book, Borrower, Conservation, OptionsMargin, short_charge};
use lce::eval::scenario::read_scenario;
use lce::margin::{DynamicMarginParams, DynamicMarginRaw, GovernorParams, GovernorParamsRaw, MarginGovernor};
use lce::options::OptionKind;
use lce::shock::VolPath;
use proptest::prelude::*;
use serde_json::{Value, json};

fn wad(units: u64, scale: u32) -> Wad {
    Wad::from_raw(i128::from(units) * 10i128.pow(18 - scale))
}

fn collateral() -> TokenParams {
    TokenParams::new(TokenParamsRaw::new(w("0.85"), w("0.9"), Wad::ONE, Wad::ONE)).unwrap()
}

fn series(kind: OptionKind, strike: Wad) -> OptionParams {
    let mut raw = OptionParamsRaw::new(kind, 0, strike, w("0.1"));
    raw.liquidation_fee = w("0.04");
    OptionParams::new(raw).unwrap()
}

fn governor(max_decrease: Wad) -> MarginGovernor {
    let margin = DynamicMarginParams::new(DynamicMarginRaw {
        base: w("0.02"),
        k_vol: w("0.5"),
        k_skew: w("0.1"),
        horizon: w("0.02"),
        floor: w("0.075"),
        cap: w("0.4"),
        init_spread: w("0.05"),
    })
    .unwrap();
    let params = GovernorParams::new(GovernorParamsRaw {
        max_decrease: Some(max_decrease),
        buffer: w("0.1"),
        stressed_sigma: None,
    })
    .unwrap();
    MarginGovernor::new(margin, params)
}

fn book(call: bool, strike: Wad, dynamic: Option<Wad>) -> Book {
    let kind = if call { OptionKind::Call } else { OptionKind::Put };
    let margin = dynamic.map_or(OptionsMargin::Standard, |d| OptionsMargin::Dynamic(governor(d)));
    Book::new(
        collateral(),
        series(kind, strike),
        OptionMark::new(w("0.5"), Wad::ZERO, Wad::ZERO).unwrap(),
        margin,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The block's quote and the kernel agree on every writer, at the quote's price.
    #[test]
    fn the_quote_judges_as_the_kernel_does(
        call in any::<bool>(),
        dynamic in any::<bool>(),
        strike in 1000u64..3000,
        spot in 1000u64..3000,
        vol in 10u64..300,
        c in 1u64..100_000,
        q in 0u64..1_000_000,
    ) {
        let mut b = book(call, wad(strike, 0), dynamic.then(|| w("0.002")));
        let path = VolPath::new_constant(wad(vol, 2)).unwrap();
        let price = wad(spot, 0);
        b.reprice(&path, 1, price).unwrap();
        let acct = Borrower::new(wad(c, 3), wad(q, 4)).unwrap();
        let mut kernel = b;
        kernel.quote = None;
        prop_assert_eq!(b.liquidatable(&acct, price).unwrap(), kernel.liquidatable(&acct, price).unwrap());
    }

    /// A higher vol at the same price never lowers the per-unit requirement nor any charge.
    #[test]
    fn a_larger_vol_spike_never_lowers_the_requirement(
        call in any::<bool>(),
        dynamic in any::<bool>(),
        strike in 1000u64..3000,
        spot in 1000u64..3000,
        low in 10u64..300,
        extra in 0u64..300,
        q in 1u64..1_000_000,
    ) {
        let fresh = book(call, wad(strike, 0), dynamic.then(|| w("0.002")));
        let price = wad(spot, 0);
        let (mut a, mut b) = (fresh, fresh);
        let qa = a.reprice(&VolPath::new_constant(wad(low, 2)).unwrap(), 0, price).unwrap();
        let qb = b.reprice(&VolPath::new_constant(wad(low + extra, 2)).unwrap(), 0, price).unwrap();
        prop_assert!(qb.mark >= qa.mark);
        prop_assert!(qb.mark.add(qb.maintenance_unit).unwrap() >= qa.mark.add(qa.maintenance_unit).unwrap());
        prop_assert!(qb.dynamic >= qa.dynamic);
        let units = wad(q, 4);
        prop_assert!(short_charge(&qb, units).unwrap() >= short_charge(&qa, units).unwrap());
    }

    /// The published dynamic fraction falls by at most `max_decrease` a block.
    #[test]
    fn dynamic_margin_falls_no_faster_than_the_governor_allows(
        vols in prop::collection::vec(5u64..400, 2..40),
        spots in prop::collection::vec(1000u64..3000, 2..40),
        max_decrease in 1u64..50,
    ) {
        let d = wad(max_decrease, 4);
        let mut b = book(false, w("1900"), Some(d));
        let list: Vec<Wad> = vols.iter().map(|&v| wad(v, 2)).collect();
        let path = VolPath::new_listed(&list).unwrap();
        let mut last: Option<Wad> = None;
        for (block, &s) in spots.iter().enumerate() {
            let q = b.reprice(&path, block as u64, wad(s, 0)).unwrap();
            let m = q.dynamic.unwrap();
            if let Some(p) = last {
                prop_assert!(m >= p.sub(d).unwrap(), "block {block}: {m} after {p}");
            }
            last = Some(m);
        }
    }
}

/// A scenario of the three venue kinds on one pool: a lending and a perp population, and an
/// options vault of listed writers, a linear fall and a price-tied vol.
fn three_kinds(
    seed: u64,
    to: u64,
    blocks: u64,
    beta: u64,
    writers: &[(u64, u64)],
    dynamic: bool,
    premium: u64,
) -> serde_json::Map<String, Value> {
    let accounts: Vec<Value> = writers
        .iter()
        .map(|&(c, q)| json!({"collateral": wad(c, 2).to_string(), "debt": wad(q, 2).to_string()}))
        .collect();
    let mut vault = json!({
        "name": "Vault", "kind": "options",
        "collateral": {"init_asset_weight": "0.85", "maint_asset_weight": "0.9", "init_liab_weight": "1", "maint_liab_weight": "1"},
        "series": {"kind": "put", "underlying": 0, "strike": "1900", "t": "0.08", "vol": "0.6", "liquidation_fee": "0.04", "protocol_fee_share": "0.25"},
        "vol": {"kind": "skew", "base": "0.6", "beta": beta.to_string(), "cap": "2"},
        "liquidation": {"close_factor": {"normal": "0.5", "full_below": "0.9", "dust": "1"}},
        "oracle": {"deviation": "0.002", "heartbeat": 20, "latency": 0, "max_age": 30},
        "waterfall": {"premium_buffer": premium.to_string(), "insurance_fund": "20000", "lender_deposits": "1000000"},
        "accounts": accounts,
    });
    if dynamic {
        vault["dynamic_margin"] = json!({"base": "0.02", "k_vol": "0.5", "k_skew": "0.1", "horizon": "0.02",
            "floor": "0.075", "cap": "0.3", "init_spread": "0.05", "governor": {"max_decrease": "0.002"}});
    }
    let v = json!({
        "name": "three kinds", "seed": seed, "max_blocks": 300,
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
            vault
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
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Three venue kinds on one pool: books balance, the premium absorbs first, the run stops,
    /// and it is reproducible bit for bit.
    #[test]
    fn three_venue_kinds_balance_stop_and_repeat(
        seed in 0u64..1000,
        to in 1200u64..1950,
        blocks in 1u64..40,
        beta in 0u64..5,
        writers in prop::collection::vec((10u64..20_000, 0u64..12_000), 1..12),
        dynamic in any::<bool>(),
        premium in 0u64..5000,
    ) {
        let scenario = read_scenario(&three_kinds(seed, to, blocks, beta, &writers, dynamic, premium)).unwrap();
        let run = scenario.run(None, &mut |_| {}).unwrap();
        let again = scenario.run(None, &mut |_| {}).unwrap();
        prop_assert_eq!(&run.report, &again.report);
        prop_assert_eq!(&run.records, &again.records);
        prop_assert!(run.report.blocks <= scenario.max_blocks);
        prop_assert_eq!(run.records.len() as u64, run.report.blocks);
        for (i, v) in run.report.venues.iter().enumerate() {
            let at_eq = Conservation::check(&v.ledger, v.collateral, v.debt).unwrap();
            prop_assert!(at_eq.balanced(), "venue {} at the equilibrium: {:?}", i, at_eq);
            let (c, d) = run.totals[i];
            let at_end = Conservation::check(&run.ledgers[i], c, d).unwrap();
            prop_assert!(at_end.balanced(), "venue {} at the end: {:?}", i, at_end);
        }
        let vault = &run.ledgers[2];
        if vault.waterfall.insurance.is_positive() {
            prop_assert_eq!(vault.waterfall.premium, wad(premium, 0));
        }
        // The options vault's shorts only shrink: bought back or written off.
        prop_assert!(run.totals[2].1 <= vault.debt_initial);
        prop_assert!(run.report.venues[2].options.is_some());
    }
}

/// A pinned run of the three kinds: a 30 % fall with a steep vol skew reaches the vault, whose
/// writers are bought back and (some) written off, the premium buffer first.
#[test]
fn a_pinned_three_kinds_run_reaches_the_vault() {
    let writers = [(1000, 4000), (500, 3000), (2000, 5000), (300, 2500), (5000, 9000)];
    let scenario = read_scenario(&three_kinds(7, 1400, 20, 4, &writers, false, 500)).unwrap();
    let run = scenario.run(None, &mut |_| {}).unwrap();
    let vault = &run.report.venues[2];
    let l = &vault.ledger;
    assert!(l.liquidations > 0 && l.bankruptcies > 0);
    assert!(l.option_units_written_off.is_positive());
    // Less bad debt than the 500 of premium: the premium took all of it, the fund nothing.
    assert!(l.waterfall.bad_debt < wad(500, 0));
    assert_eq!(l.waterfall.premium, l.waterfall.bad_debt);
    assert_eq!(l.waterfall.insurance, Wad::ZERO);
    assert_eq!(l.option_value_written_off, l.debt_written_off);
}
