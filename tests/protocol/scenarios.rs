//! The bundled scenarios of `vectors/scenarios/`: each stops for the reason its story claims,
//! with the headline figures reviewed in `vectors/scenarios/snapshots.md` (a change to any of
//! them must be explained there and in the commit that changes it), and every venue's ledger
//! balances to the last unit.
#![cfg(feature = "eval")]

use std::path::Path;

use lce::Wad;
use lce::cascade::Conservation;
use lce::cascade::Stop;
use lce::eval::scenario::{RunOutcome, Scenario, read_scenario};
use serde_json::Value;

fn load(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/scenarios")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    let Value::Object(map) = serde_json::from_str::<Value>(&text).unwrap() else {
        panic!("{name} is not an object")
    };
    read_scenario(&map).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// The headline figures of a run.
struct Headline {
    stop: Stop,
    blocks: u64,
    liquidations: u64,
    equilibrium: &'static str,
    bad_debt: &'static str,
    unrealised: &'static str,
    /// Liquidations and bankruptcies per venue.
    venues: &'static [(u64, u64)],
}

use crate::common::w;

fn check(name: &str, h: &Headline) -> RunOutcome {
    let scenario = load(name);
    let run = scenario.run(None, &mut |_| {}).unwrap();
    let r = &run.report;
    assert_eq!(r.stop, h.stop, "{name}: stop");
    assert_eq!(r.blocks, h.blocks, "{name}: blocks");
    assert_eq!(run.records.len() as u64, r.blocks, "{name}: one record per block");
    assert_eq!(r.liquidations, h.liquidations, "{name}: liquidations");
    assert_eq!(r.equilibrium_price, w(h.equilibrium), "{name}: equilibrium price");
    assert_eq!(r.bad_debt, w(h.bad_debt), "{name}: bad debt");
    assert_eq!(r.unrealised, w(h.unrealised), "{name}: unrealised");
    assert_eq!(
        r.insolvency,
        r.bad_debt.add(r.unrealised).unwrap(),
        "{name}: insolvency"
    );
    assert_eq!(r.venues.len(), h.venues.len(), "{name}: venues");
    for (i, (l, (liqs, bankruptcies))) in r.venues.iter().zip(h.venues).enumerate() {
        assert_eq!(
            (l.ledger.liquidations, l.ledger.bankruptcies),
            (*liqs, *bankruptcies),
            "{name}: venue {i}"
        );
        let cons = Conservation::check(&l.ledger, l.collateral, l.debt).unwrap();
        assert!(cons.balanced(), "{name}: venue {i} does not balance: {cons:?}");
    }
    // The block records add up to the summary.
    let sum: u64 = run.records.iter().map(|b| u64::from(b.liquidations())).sum();
    assert_eq!(sum, r.liquidations, "{name}: records vs summary");
    run
}

#[test]
fn default_stops_at_the_equilibrium_with_bad_debt() {
    let run = check(
        "default",
        &Headline {
            stop: Stop::Unprofitable,
            blocks: 101,
            liquidations: 1269,
            equilibrium: "1699.999999999999993954",
            bad_debt: "113376.843893525930582561",
            unrealised: "72277.582746254590014717",
            venues: &[(1112, 18), (157, 126)],
        },
    );
    // The lending venue's insurance fund covers its bad debt; the perp venue's (50,000) is
    // used up and its traders take the rest.
    let lend = &run.report.venues[0].ledger.waterfall;
    assert_eq!(lend.insurance, "202.055640572776296403".parse().unwrap());
    assert_eq!(lend.socialized, Wad::ZERO);
    let perp = &run.report.venues[1].ledger.waterfall;
    assert_eq!(perp.insurance, Wad::from_i64(50_000));
    assert_eq!(perp.socialized, "63174.788252953154286158".parse().unwrap());
}

#[test]
fn gas_spike_runs_deeper_than_the_default() {
    let run = check(
        "gas_spike",
        &Headline {
            stop: Stop::Unprofitable,
            blocks: 264,
            liquidations: 3304,
            equilibrium: "1699.999999999999995041",
            bad_debt: "3169619.855223762068280937",
            unrealised: "78167.751263453651497263",
            venues: &[(3081, 2618), (223, 216)],
        },
    );
    assert_eq!(run.report.peak_block, 35);
    assert!(
        run.report.low_price < w("1649.610894748650059889"),
        "deeper than the default's low"
    );
    // During the spike arbitrage is crowded out to ⌊150 · 0.00002 / 0.0002⌋ = 15 units a block.
    for b in run.records.iter().filter(|b| (8..48).contains(&b.block)) {
        assert!(b.arbitrage.abs().unwrap() <= Wad::from_i64(15), "block {}", b.block);
    }
}

#[test]
fn stale_oracle_stops_stale() {
    let run = check(
        "stale_oracle",
        &Headline {
            stop: Stop::Stale,
            blocks: 44,
            liquidations: 110,
            equilibrium: "1759.999999999999996208",
            bad_debt: "16313.484544918443884724",
            unrealised: "29554.624764814194696383",
            venues: &[(0, 0), (110, 54)],
        },
    );
    let last = run.records.last().unwrap();
    assert!(
        last.venues[0].liquidatable > 0,
        "accounts stuck liquidatable on the venue whose feed is down"
    );
    assert_eq!(last.venues[0].refusal, Some(lce::oracle::Refusal::Stale));
}

#[test]
fn thin_liquidity_stops_unprofitable() {
    let run = check(
        "thin_liquidity",
        &Headline {
            stop: Stop::Unprofitable,
            blocks: 116,
            liquidations: 501,
            equilibrium: "1799.999999999999994188",
            bad_debt: "5726.872234003996245061",
            unrealised: "16902.8230219432154552",
            venues: &[(501, 4), (0, 0)],
        },
    );
    let last = run.records.last().unwrap();
    assert!(
        last.venues
            .iter()
            .any(|v| v.liquidatable > 0 && v.skipped_unprofitable > 0)
    );
}

#[test]
fn contagion_reaches_the_venue_the_shock_did_not() {
    let run = check(
        "contagion",
        &Headline {
            stop: Stop::Exhausted,
            blocks: 331,
            liquidations: 4334,
            equilibrium: "1879.999999999999997681",
            bad_debt: "4342840.078248825190567379",
            unrealised: "0",
            venues: &[(2330, 1095), (2004, 2000)],
        },
    );
    // The reference never goes below 1,880; the conservative venue's accounts are all safe
    // there (liquidation prices at most 92 % of 2,000 = 1,840), yet all 2,000 are liquidated.
    assert!(run.records.iter().all(|b| b.fundamental >= Wad::from_i64(1880)));
    assert!(run.report.low_price < Wad::from_i64(1840));
}

#[test]
fn whale_drags_the_small_accounts_down() {
    let run = check(
        "whale",
        &Headline {
            stop: Stop::Exhausted,
            blocks: 167,
            liquidations: 82,
            equilibrium: "1759.999999999999993382",
            bad_debt: "352163.365255094888234339",
            unrealised: "0",
            venues: &[(82, 41)],
        },
    );
    assert!(run.report.max_concentration > w("0.9"));
}
