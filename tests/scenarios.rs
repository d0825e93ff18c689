//! The bundled scenarios of `vectors/scenarios/`: each stops for the reason its story claims,
//! with the headline figures reviewed in `vectors/scenarios/snapshots.md` (a change to any of
//! them must be explained there and in the commit that changes it), and every venue's ledger
//! balances to the last unit.
#![cfg(feature = "cli")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::path::Path;

use lce::Wad;
use lce::cascade::Stop;
use lce::eval::scenario::{Conservation, RunOutcome, Scenario, read_scenario};
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
    underwater: &'static str,
    /// Liquidations and bankruptcies per venue.
    venues: &'static [(u64, u64)],
}

fn w(s: &str) -> Wad {
    s.parse().unwrap()
}

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
    assert_eq!(r.underwater, w(h.underwater), "{name}: underwater");
    assert_eq!(r.venues.len(), h.venues.len(), "{name}: venues");
    for (i, (l, (liqs, bankruptcies))) in r.venues.iter().zip(h.venues).enumerate() {
        assert_eq!(
            (l.liquidations, l.bankruptcies),
            (*liqs, *bankruptcies),
            "{name}: venue {i}"
        );
        let (c, d) = run.totals[i];
        let cons = Conservation::check(l, c, d).unwrap();
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
            blocks: 111,
            liquidations: 1488,
            equilibrium: "1699.999999999999996062",
            bad_debt: "62364.974621263027692725",
            underwater: "216474.24444329425016421",
            venues: &[(1246, 360), (242, 0)],
        },
    );
    // The insurance fund (40,000) is used up; lenders take the rest.
    let w = &run.report.venues[0].waterfall;
    assert_eq!(w.insurance, Wad::from_i64(40_000));
    assert_eq!(w.socialized, "22364.974621263027692725".parse().unwrap());
}

#[test]
fn gas_spike_runs_deeper_than_the_default() {
    let run = check(
        "gas_spike",
        &Headline {
            stop: Stop::Unprofitable,
            blocks: 258,
            liquidations: 3326,
            equilibrium: "1699.999999999999994822",
            bad_debt: "1581459.027745270161735206",
            underwater: "1921349.671957455673728051",
            venues: &[(3067, 2744), (259, 0)],
        },
    );
    assert_eq!(run.report.peak_block, 31);
    assert!(
        run.report.low_price < w("1578.773335606301546286"),
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
            liquidations: 120,
            equilibrium: "1759.999999999999993629",
            bad_debt: "0",
            underwater: "43434.083471744517501687",
            venues: &[(0, 0), (120, 0)],
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
            blocks: 122,
            liquidations: 576,
            equilibrium: "1799.99999999999999578",
            bad_debt: "118901.106673940891895985",
            underwater: "28963.071031535143190546",
            venues: &[(576, 88), (0, 0)],
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
            blocks: 115,
            liquidations: 1772,
            equilibrium: "1879.999999999999992724",
            bad_debt: "0",
            underwater: "0",
            venues: &[(1559, 0), (213, 0)],
        },
    );
    // The reference never goes below 1,880; the conservative venue's accounts are all safe
    // there (liquidation prices at most 92 % of 2,000 = 1,840), yet 213 are liquidated.
    assert!(run.records.iter().all(|b| b.reference >= Wad::from_i64(1880)));
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
            equilibrium: "1759.99999999999999394",
            bad_debt: "352862.170816591234177912",
            underwater: "0",
            venues: &[(82, 41)],
        },
    );
    assert!(run.report.max_concentration > w("0.9"));
}
