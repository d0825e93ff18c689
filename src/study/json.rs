//! The outcome as JSON (what `lce study --json` prints) and as CSV (one row per path and
//! cell).

use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use serde_json::{Map, Value};

use super::run::{CellResult, Outcome, SolveResult};
use super::stats::Stats;
use super::{Study, field::Number};
use crate::eval::wad_value;

/// A metric's statistics: `{"n", "mean", "p50", "p90", "p95", "p99", "es95", "es99", "max",
/// "share_positive"}`, or `null` when it is defined on no path.
fn stats_value(s: Option<&Stats>) -> Value {
    let Some(s) = s else { return Value::Null };
    let mut m = Map::new();
    m.insert("n".into(), Value::from(s.n));
    for (k, v) in [
        ("mean", s.mean),
        ("p50", s.p50),
        ("p90", s.p90),
        ("p95", s.p95),
        ("p99", s.p99),
        ("es95", s.es95),
        ("es99", s.es99),
        ("max", s.max),
        ("share_positive", s.share_positive),
    ] {
        m.insert(k.into(), wad_value(v));
    }
    Value::Object(m)
}

fn metrics_value(list: &[(String, Option<Stats>)]) -> Value {
    Value::Object(list.iter().map(|(n, s)| (n.clone(), stats_value(s.as_ref()))).collect())
}

fn cell_value(study: &Study, i: usize, cell: &CellResult, paths: u32) -> Value {
    let mut m = Map::new();
    let point: Map<String, Value> = study
        .cells
        .get(i)
        .map(|c| c.point.iter().map(|(f, v)| (f.to_string(), v.to_value())).collect())
        .unwrap_or_default();
    m.insert("point".into(), Value::Object(point));
    m.insert(
        "variant".into(),
        cell.variant.as_deref().map_or(Value::Null, Value::from),
    );
    m.insert("paths".into(), Value::from(paths));
    m.insert("metrics".into(), metrics_value(&cell.metrics));
    m.insert(
        "stops".into(),
        Value::Object(
            cell.stops
                .iter()
                .map(|(s, n)| (s.name().to_string(), Value::from(*n)))
                .collect(),
        ),
    );
    if let Some(d) = &cell.difference {
        m.insert("difference".into(), metrics_value(d));
    }
    Value::Object(m)
}

fn solve_value(study: &Study, s: &SolveResult) -> Value {
    let Some(spec) = &study.solve else { return Value::Null };
    let mut m = Map::new();
    m.insert("field".into(), Value::from(spec.field.to_string()));
    m.insert("metric".into(), Value::from(spec.metric.as_str()));
    m.insert("statistic".into(), Value::from(spec.statistic));
    m.insert("above".into(), wad_value(spec.above));
    m.insert(
        "range".into(),
        Value::Array(std::vec![spec.lo.to_value(), spec.hi.to_value()]),
    );
    m.insert("tolerance".into(), spec.tolerance.to_value());
    m.insert(
        "bracket".into(),
        s.bracket.map_or(Value::Null, |(a, b)| {
            Value::Array(std::vec![a.to_value(), b.to_value()])
        }),
    );
    m.insert("boundary".into(), s.boundary.map_or(Value::Null, Number::to_value));
    m.insert("monotone".into(), Value::Bool(s.monotone));
    m.insert("interrupted".into(), Value::Bool(s.interrupted));
    let probes = s
        .probes
        .iter()
        .map(|p| {
            let mut o = Map::new();
            o.insert("value".into(), p.value.to_value());
            o.insert("statistic".into(), p.statistic.map_or(Value::Null, wad_value));
            o.insert("above".into(), Value::Bool(p.above));
            Value::Object(o)
        })
        .collect();
    m.insert("probes".into(), Value::Array(probes));
    Value::Object(m)
}

/// The outcome as JSON: `{"study": …as read…, "cells": [{"point", "variant", "paths",
/// "metrics", "stops", "difference"?}], "solve": {…} | null, "paths", "interrupted"}` (see
/// `vectors/studies/README.md`).
#[must_use]
pub fn outcome_value(study: &Study, outcome: &Outcome) -> Value {
    let mut m = Map::new();
    m.insert("study".into(), Value::Object(study.source.clone()));
    let cells = outcome
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| cell_value(study, i, c, outcome.paths))
        .collect();
    m.insert("cells".into(), Value::Array(cells));
    m.insert(
        "solve".into(),
        outcome.solve.as_ref().map_or(Value::Null, |s| solve_value(study, s)),
    );
    m.insert("paths".into(), Value::from(outcome.paths));
    m.insert("interrupted".into(), Value::Bool(outcome.interrupted));
    Value::Object(m)
}

/// A CSV field: quoted when it holds a comma, a quote or a line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The per-path metrics as CSV: a header row, then one row per cell and path: `cell`, each
/// varied field's value, `variant` (empty for the base), `path`, `seed` (`lce run` of the
/// cell's scenario with this seed is this path), `stop`, then every metric (exact decimals;
/// empty where undefined).
#[must_use]
pub fn csv(study: &Study, outcome: &Outcome) -> String {
    let mut head: Vec<String> = std::vec![String::from("cell")];
    head.extend(study.vary.iter().map(|a| field(&a.field.to_string())));
    head.extend(["variant", "path", "seed", "stop"].map(String::from));
    head.extend(study.metrics.iter().map(|m| field(m)));
    let mut out = head.join(",");
    out.push('\n');
    for (i, cell) in outcome.cells.iter().enumerate() {
        let point: Vec<String> = study
            .cells
            .get(i)
            .map(|c| c.point.iter().map(|(_, v)| v.to_string()).collect())
            .unwrap_or_default();
        for p in &cell.paths {
            let mut row: Vec<String> = std::vec![i.to_string()];
            row.extend(point.iter().cloned());
            row.push(field(cell.variant.as_deref().unwrap_or("")));
            row.push(p.path.to_string());
            row.push(p.seed.to_string());
            row.push(p.stop.name().to_string());
            row.extend(p.metrics.iter().map(|v| v.map(|w| w.to_string()).unwrap_or_default()));
            out.push_str(&row.join(","));
            out.push('\n');
        }
    }
    out
}
