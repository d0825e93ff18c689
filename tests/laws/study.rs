//! The laws of studies (`lce::study`):
//!
//! - **statistics**: quantiles are monotone (`p50 ≤ p90 ≤ p95 ≤ p99 ≤ max`), each expected
//!   shortfall is at least its quantile, the mean lies between the smallest and the largest
//!   value, and every statistic is its stated exact rule (nearest rank, the mean of the
//!   `⌈(1−α)·n⌉` largest rounded up);
//! - **one path is `lce run`**: a study of one path reports the figures of the scenario run
//!   with the seed `derive_seed(seed, 0)`;
//! - **a grid cell is the scenario patched by hand**;
//! - **threads change nothing**: 1, 2 and 7 threads give the same outcome, to the bit;
//! - **common random numbers**: path `i` has the same seed and the same accounts in every cell;
//! - **the solve's bracket holds the crossing**: its ends are on either side of the threshold,
//!   no wider apart than the tolerance, and each end is a probe;
//! - **Ctrl-C**: a study stopped before it starts reports no path, marked interrupted.
#![cfg(feature = "eval")]

use core::sync::atomic::AtomicBool;

use lce::Wad;
use lce::rng::derive_seed;
use lce::study::{Number, Options, Stats, Study, outcome_value, read_study};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::common::w;

/// A tiny scenario: 16 lending and 10 perp accounts drawn from the seed, a GARCH crash of
/// five blocks, three liquidators; fast enough for a debug build.
pub fn tiny() -> Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/studies/depeg_small.json")).unwrap();
    let mut s: Value = serde_json::from_str(&text).unwrap();
    s["max_blocks"] = json!(80);
    s["venues"][0]["population"]["count"] = json!(16);
    s["venues"][1]["population"]["count"] = json!(10);
    s["path"] =
        json!({"kind": "garch", "price": "2000", "omega": "0.0002", "alpha": "0.1", "beta": "0.85", "blocks": 5});
    s
}

fn study(v: Value) -> Study {
    let Value::Object(m) = v else { panic!("an object") };
    read_study(&m, &|_| Err("no files here")).unwrap_or_else(|e| panic!("{e}"))
}

fn object(v: &Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

proptest! {
    #[test]
    fn statistics_are_ordered_and_exact(raw in prop::collection::vec(-10_000_000_000_000_000_000i128..10_000_000_000_000_000_000, 1..300)) {
        let values: Vec<Wad> = raw.iter().map(|r| Wad::from_raw(*r)).collect();
        let s = Stats::of(&values).unwrap().unwrap();
        prop_assert!(s.p50 <= s.p90 && s.p90 <= s.p95 && s.p95 <= s.p99 && s.p99 <= s.max);
        prop_assert!(s.es95 >= s.p95, "es95 {} < p95 {}", s.es95, s.p95);
        prop_assert!(s.es99 >= s.p99, "es99 {} < p99 {}", s.es99, s.p99);
        prop_assert!(s.es99 <= s.max && s.es95 <= s.max);
        let mut sorted = raw.clone();
        sorted.sort_unstable();
        let n = sorted.len() as i128;
        prop_assert!(s.mean.raw() >= sorted[0] && s.mean <= s.max);
        // The stated rules, by a reference computed here.
        let rank = |k: i128| ((k * n + 99) / 100).max(1) as usize;
        prop_assert_eq!(s.p95.raw(), sorted[rank(95) - 1]);
        prop_assert_eq!(s.p50.raw(), sorted[rank(50) - 1]);
        let sum: i128 = sorted.iter().sum();
        prop_assert_eq!(s.mean.raw(), sum.div_euclid(n) + i128::from(sum.rem_euclid(n) != 0));
        let m = rank(5) as i128;
        let tail: i128 = sorted[(n - m) as usize..].iter().sum();
        prop_assert_eq!(s.es95.raw(), tail.div_euclid(m) + i128::from(tail.rem_euclid(m) != 0));
        let positive = sorted.iter().filter(|v| **v > 0).count() as i128;
        let share = positive * 1_000_000_000_000_000_000;
        prop_assert_eq!(s.share_positive.raw(), share.div_euclid(n) + i128::from(share.rem_euclid(n) != 0));
    }
}

#[test]
fn statistics_of_a_hundred_values_by_hand() {
    // 1, 2, …, 100: p95 is the 95th smallest (95), es95 the mean of 96..100 (98), es99 the
    // largest alone (100), the mean 50.5; a share of 100 % above zero.
    let values: Vec<Wad> = (1..=100).map(Wad::from_i64).collect();
    let s = Stats::of(&values).unwrap().unwrap();
    assert_eq!(
        (s.p50, s.p90, s.p95, s.p99, s.max),
        (w("50"), w("90"), w("95"), w("99"), w("100"))
    );
    assert_eq!(
        (s.mean, s.es95, s.es99, s.share_positive),
        (w("50.5"), w("98"), w("100"), w("1"))
    );
    // Three values: the mean of 0, 0, 1 rounds up to 0.333…334; p50 is the 2nd smallest.
    let s = Stats::of(&[w("0"), w("1"), w("0")]).unwrap().unwrap();
    assert_eq!(
        (s.mean, s.p50, s.share_positive),
        (w("0.333333333333333334"), w("0"), w("0.333333333333333334"))
    );
    assert_eq!(Stats::of(&[]).unwrap(), None);
}

#[test]
fn one_path_is_the_scenario_run_with_its_seed() {
    let scenario = tiny();
    let st = study(json!({"scenario": scenario, "paths": 1}));
    let outcome = st.run(&Options::default()).unwrap();
    let path = &outcome.cells[0].paths[0];
    assert_eq!(path.seed, derive_seed(7, 0));
    let mut by_hand = object(&scenario);
    by_hand.insert("seed".into(), json!(derive_seed(7, 0)));
    let run = lce::eval::scenario::read_scenario(&by_hand)
        .unwrap()
        .run(None, &mut |_| {})
        .unwrap();
    let r = &run.report;
    let m = |name: &str| path.metrics[st.metrics.iter().position(|n| n == name).unwrap()];
    assert_eq!(path.stop, r.stop);
    assert_eq!(m("insolvency"), Some(r.insolvency));
    assert_eq!(m("bad_debt"), Some(r.bad_debt));
    assert_eq!(m("unrealised"), Some(r.unrealised));
    assert_eq!(m("amplification"), r.amplification);
    assert_eq!(m("cascade_drop"), Some(r.cascade_drop));
    assert_eq!(m("equilibrium_price"), Some(r.equilibrium_price));
    assert_eq!(m("low_price"), Some(r.low_price));
    assert_eq!(
        m("liquidations"),
        Some(Wad::from_int(i128::from(r.liquidations)).unwrap())
    );
    assert_eq!(
        m("peak_liquidations"),
        Some(Wad::from_int(i128::from(r.peak_liquidations)).unwrap())
    );
    assert_eq!(m("liquidator_profit"), Some(r.liquidator_profit));
    assert_eq!(m("Lend.insolvency"), Some(r.venues[0].insolvency));
    assert_eq!(m("Perp.insurance"), Some(r.venues[1].ledger.waterfall.insurance));
    // One path: every quantile is the value itself.
    let s = outcome.cells[0].stats("insolvency").unwrap();
    assert_eq!(
        (s.n, s.mean, s.p50, s.es99, s.max),
        (1, r.insolvency, r.insolvency, r.insolvency, r.insolvency)
    );
}

#[test]
fn a_grid_cell_is_the_scenario_patched_by_hand_and_threads_change_nothing() {
    let st = study(json!({
        "scenario": tiny(), "paths": 3,
        "vary": [{"field": "venues[0].collateral.liquidation_fee", "values": ["0.03", "0.09"]}],
        "variants": {"no_pros": {"liquidators[0].capital": "0"}}
    }));
    assert_eq!(st.cells.len(), 4, "2 values × (base + 1 variant)");
    let outcome = st
        .run(&Options {
            threads: 1,
            ..Options::default()
        })
        .unwrap();
    // Cell 3: fee 0.09 with no professional capital, path 2, patched by hand.
    let mut by_hand = object(&tiny());
    by_hand["venues"][0]["collateral"]["liquidation_fee"] = json!("0.09");
    by_hand["liquidators"][0]["capital"] = json!("0");
    by_hand.insert("seed".into(), json!(derive_seed(7, 2)));
    let run = lce::eval::scenario::read_scenario(&by_hand)
        .unwrap()
        .run(None, &mut |_| {})
        .unwrap();
    let p = &outcome.cells[3].paths[2];
    assert_eq!(p.metrics[0], Some(run.report.insolvency));
    assert_eq!(p.stop, run.report.stop);
    assert_eq!(
        st.cells[3].point,
        vec![(st.vary[0].field.clone(), Number::Decimal(w("0.09")))]
    );
    // The paired difference is the variant's paths minus the base's, path by path.
    let d: Vec<Wad> = (0..3)
        .map(|i| {
            outcome.cells[3].paths[i].metrics[0]
                .unwrap()
                .sub(outcome.cells[2].paths[i].metrics[0].unwrap())
                .unwrap()
        })
        .collect();
    assert_eq!(outcome.cells[3].difference("insolvency"), Stats::of(&d).unwrap());
    // The same outcome on 2 and 7 threads, to the bit, and the same JSON.
    for threads in [2, 7] {
        let again = st
            .run(&Options {
                threads,
                ..Options::default()
            })
            .unwrap();
        assert_eq!(again, outcome, "{threads} threads");
        assert_eq!(outcome_value(&st, &again), outcome_value(&st, &outcome));
    }
}

#[test]
fn path_i_is_the_same_world_in_every_cell() {
    let st = study(json!({
        "scenario": tiny(), "paths": 4,
        "vary": [{"field": "liquidators[0].capital", "values": ["0", "600000"]}],
        "variants": {"t3": {"path.nu": 3}}
    }));
    let outcome = st.run(&Options::default()).unwrap();
    for i in 0..4u32 {
        let seeds: Vec<u64> = outcome.cells.iter().map(|c| c.paths[i as usize].seed).collect();
        assert!(seeds.iter().all(|s| *s == derive_seed(7, u64::from(i))), "{seeds:?}");
        let worlds: Vec<_> = (0..st.cells.len())
            .map(|c| {
                st.path_scenario(c, i)
                    .unwrap()
                    .venues
                    .iter()
                    .map(|v| v.accounts.clone())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(
            worlds.windows(2).all(|p| p[0] == p[1]),
            "path {i}: the same accounts in every cell"
        );
        // The Gaussian cells share their price path, the Student-t cells theirs.
        let path = |c: usize| st.path_scenario(c, i).unwrap().path.prices(6).unwrap();
        assert_eq!(path(0), path(2));
        assert_eq!(path(1), path(3));
        assert_ne!(path(0), path(1));
    }
    // Different paths are different worlds.
    assert_ne!(outcome.cells[0].paths[0].seed, outcome.cells[0].paths[1].seed);
}

#[test]
fn the_solve_bracket_holds_the_crossing() {
    let mut scenario = tiny();
    scenario["path"] = json!({"kind": "linear", "from": "2000", "to": "1700", "start": 5, "blocks": 30});
    let st = study(json!({
        "scenario": scenario, "paths": 2,
        "solve": {"field": "path.to", "range": ["1000", "2000"], "metric": "insolvency", "statistic": "max", "above": "0", "tolerance": "5"}
    }));
    let outcome = st.run(&Options::default()).unwrap();
    let s = outcome.solve.unwrap();
    let (a, b) = s.bracket.expect("the range's ends are on either side");
    let probe = |v: Number| s.probes.iter().find(|p| p.value == v).unwrap();
    assert_ne!(
        probe(a).above,
        probe(b).above,
        "the ends are on either side of the threshold"
    );
    let (Number::Decimal(x), Number::Decimal(y)) = (a, b) else {
        panic!("decimals")
    };
    assert!(y.sub(x).unwrap().raw().abs() <= w("5").raw());
    assert_eq!(s.boundary, Some(if probe(a).above { a } else { b }));
    assert_eq!(s.probes[0].value, Number::Decimal(w("1000")));
    assert_eq!(s.probes[1].value, Number::Decimal(w("2000")));
    assert!(
        s.probes.len() <= 2 + 8,
        "bisection: ⌈log2(1000 / 5)⌉ = 8 probes at most"
    );
    assert!(!s.interrupted);
}

#[test]
fn a_study_stopped_before_it_starts_has_no_path() {
    let st = study(json!({"scenario": tiny(), "paths": 3}));
    let stop = AtomicBool::new(true);
    let outcome = st
        .run(&Options {
            stop: Some(&stop),
            ..Options::default()
        })
        .unwrap();
    assert!(outcome.interrupted);
    assert_eq!(outcome.paths, 0);
    assert_eq!(outcome.cells[0].stats("insolvency"), None);
}
