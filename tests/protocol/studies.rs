//! Study files: every bundled study of `vectors/studies/` reads (and a few paths of each run),
//! and bad studies answer typed errors that say where and why.
#![cfg(feature = "eval")]

use std::path::Path;

use lce::study::{Options, StudyError, read_study, read_study_file};
use serde_json::{Value, json};

fn studies_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/studies")
}

/// The scenario every bad study starts from.
fn scenario() -> Value {
    let text = std::fs::read_to_string(studies_dir().join("depeg_small.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The error of reading the study `v` (whose scenario is inline).
fn error(v: Value) -> StudyError {
    let Value::Object(m) = v else { panic!("an object") };
    match read_study(&m, &|_| Err("no files here")) {
        Ok(_) => panic!("read"),
        Err(e) => e,
    }
}

/// `(kind, what, why, field)` of an error.
type Parts<'a> = (&'a str, &'a str, &'a str, Option<&'a str>);

/// The parts of `e`.
fn parts(e: &StudyError) -> Parts<'_> {
    (e.kind, e.what.as_str(), e.why, e.field.as_deref())
}

#[test]
fn every_bundled_study_reads_and_runs() {
    let mut names: Vec<_> = std::fs::read_dir(studies_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    let mut studies = 0;
    for path in names {
        let text = std::fs::read_to_string(&path).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        if v.get("paths").is_none() {
            continue; // a scenario the studies use
        }
        studies += 1;
        let mut st = read_study_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // One path per cell here (debug builds are slow); CI runs each in full.
        st.paths = 1;
        st.solve = None;
        let outcome = st.run(&Options::default()).unwrap();
        assert_eq!(outcome.cells.len(), st.cells.len());
        assert!(outcome.cells.iter().all(|c| c.stats("insolvency").is_some()));
    }
    assert!(studies >= 4, "fat_tails, participation, bonus, shock_to_insolvency");
}

#[test]
fn bad_studies_say_where_and_why() {
    let s = scenario();
    let cases: Vec<(Value, Parts<'_>)> = vec![
        (
            json!({"scenario": s, "paths": 0}),
            ("invalid", "paths", "a study runs at least one path", None),
        ),
        (
            json!({"scenario": s}),
            ("invalid", "paths", "a JSON integer, at least 1", None),
        ),
        (
            json!({"scenario": s, "paths": 2, "seeds": 3}),
            ("invalid", "seeds", "an unknown key", None),
        ),
        (
            json!({"paths": 2}),
            ("invalid", "scenario", "a study needs a scenario", None),
        ),
        (
            json!({"scenario": "missing.json", "paths": 2}),
            ("invalid", "scenario", "no files here", Some("missing.json")),
        ),
        (
            json!({"scenario": {"max_blocks": 0}, "paths": 1}),
            (
                "invalid",
                "scenario.max_blocks",
                "the scenario is invalid",
                Some("max_blocks"),
            ),
        ),
        (
            json!({"scenario": s, "paths": 2, "vary": [{"field": "venues[0].collateral.bonus", "values": ["0.05"]}]}),
            (
                "invalid",
                "vary[0].field",
                "the scenario has no such field",
                Some("venues[0].collateral.bonus"),
            ),
        ),
        (
            json!({"scenario": s, "paths": 2, "vary": [{"field": "venues[5].collateral.liquidation_fee", "values": ["0.05"]}]}),
            (
                "invalid",
                "vary[0].field",
                "the array has no such item",
                Some("venues[5].collateral.liquidation_fee"),
            ),
        ),
        (
            json!({"scenario": s, "paths": 2, "vary": [{"field": "venues[0].kind", "values": ["0.05"]}]}),
            (
                "invalid",
                "vary[0].field",
                "not a numeric field: the scenario has no decimal or integer there",
                Some("venues[0].kind"),
            ),
        ),
        (
            json!({"scenario": s, "paths": 2, "vary": [{"field": "venues[0].oracle", "values": ["1"]}]}),
            (
                "invalid",
                "vary[0].field",
                "not a numeric field: the scenario has no decimal or integer there",
                Some("venues[0].oracle"),
            ),
        ),
        (
            json!({"scenario": s, "paths": 2, "vary": [{"field": "venues..x", "values": ["1"]}]}),
            (
                "invalid",
                "vary[0].field",
                "not a field path: keys joined by '.', array items as [i]",
                Some("venues..x"),
            ),
        ),
        (
            json!({"scenario": s, "paths": 2, "vary": [{"field": "block_gas", "values": []}]}),
            (
                "invalid",
                "vary[0].values",
                "empty: a sweep needs at least one value",
                None,
            ),
        ),
        (
            json!({"scenario": s, "paths": 2, "vary": [{"field": "block_gas", "values": [15000000]}]}),
            (
                "invalid",
                "vary[0].field",
                "a decimal field: its values are decimal strings",
                Some("block_gas"),
            ),
        ),
        (
            json!({"scenario": s, "paths": 2, "vary": [{"field": "venues[0].oracle.latency", "values": ["1"]}]}),
            (
                "invalid",
                "vary[0].field",
                "an integer field: its values are JSON integers",
                Some("venues[0].oracle.latency"),
            ),
        ),
        (
            json!({"scenario": s, "paths": 2, "vary": [{"field": "venues[0].collateral.liquidation_fee", "values": ["0.05", "1.5"]}]}),
            (
                "invalid",
                "vary[0].values[1]",
                "the scenario refuses this value",
                Some("venues[0].collateral.liquidation_fee"),
            ),
        ),
        (
            json!({"scenario": s, "paths": 2, "vary": [{"field": "block_gas", "from": "1", "to": "2", "steps": 0}]}),
            ("invalid", "vary[0].steps", "a JSON integer, at least 1", None),
        ),
        (
            json!({"scenario": s, "paths": 2, "vary": [
                {"field": "block_gas", "values": ["1"]}, {"field": "seed", "values": [1]}, {"field": "max_blocks", "values": [5]}]}),
            ("invalid", "vary", "at most two fields vary", None),
        ),
        (
            json!({"scenario": s, "paths": 2, "vary": [{"field": "block_gas", "values": ["1"]}, {"field": "block_gas", "values": ["2"]}]}),
            ("invalid", "vary[1].field", "a field varies once", Some("block_gas")),
        ),
        (
            json!({"scenario": s, "paths": 2, "variants": {"x": {"liquidators[0].capitol": "0"}}}),
            (
                "invalid",
                "variants.x.liquidators[0].capitol",
                "the scenario has no such field",
                Some("liquidators[0].capitol"),
            ),
        ),
        (
            json!({"scenario": s, "paths": 2, "variants": {"x": {"path.nu": 3}}}),
            (
                "invalid",
                "variants.x.path.nu",
                "the scenario has no such field",
                Some("path.nu"),
            ),
        ),
        (
            json!({"scenario": s, "paths": 2, "variants": {"x": {"liquidators[0].capital": "-1"}}}),
            (
                "invalid",
                "variants.x",
                "the scenario refuses this variant",
                Some("liquidators[0].capital"),
            ),
        ),
        (
            json!({"scenario": s, "paths": 2, "solve": {"field": "path.to", "range": ["1800", "1200"], "metric": "insolvency", "statistic": "mean", "above": "0"}}),
            ("invalid", "solve.range", "lo must be below hi", None),
        ),
        (
            json!({"scenario": s, "paths": 2, "solve": {"field": "path.to", "range": ["1200", "1800"], "metric": "losses", "statistic": "mean", "above": "0"}}),
            ("invalid", "solve.metric", "not a metric of this study", Some("losses")),
        ),
        (
            json!({"scenario": s, "paths": 2, "solve": {"field": "path.to", "range": ["1200", "1800"], "metric": "insolvency", "statistic": "p97", "above": "0"}}),
            (
                "invalid",
                "solve.statistic",
                "one of mean, p50, p90, p95, p99, es95, es99, max, share_positive",
                None,
            ),
        ),
        (
            json!({"scenario": s, "paths": 2, "solve": {"field": "name", "range": ["1", "2"], "metric": "insolvency", "statistic": "mean", "above": "0"}}),
            (
                "invalid",
                "solve.field",
                "not a numeric field: the scenario has no decimal or integer there",
                Some("name"),
            ),
        ),
    ];
    for (study, want) in cases {
        let e = error(study.clone());
        assert_eq!(parts(&e), want, "{study}");
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn an_absent_field_the_scenario_takes_may_be_set() {
    // The small scenario has no arbitrage and no behaviour.panic… it has behaviour; no arbitrage.
    let Value::Object(m) = json!({"scenario": scenario(), "paths": 1,
        "vary": [{"field": "arbitrage.capacity", "values": ["100", "1000"]}],
        "variants": {"fixed_feed": {"venues[0].oracle.max_conf_ratio": "0.5"}}})
    else {
        panic!()
    };
    let st = read_study(&m, &|_| Err("no files")).unwrap();
    assert_eq!(st.cells.len(), 4);
    assert_eq!(st.cells[3].scenario["arbitrage"]["capacity"], json!("1000"));
}
