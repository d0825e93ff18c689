//! `lce study`'s text: one table of cells, the variants' paired differences, and the solve's
//! answer in a sentence.

use std::fmt::Write as _;

use lce::Wad;
use lce::study::{CellResult, Number, Outcome, SolveResult, Stats, Study};

use crate::text::{count, num, pct};

/// A cell's label: its grid point and variant.
pub fn cell_label(study: &Study, i: usize) -> String {
    let Some(spec) = study.cells.get(i) else {
        return String::new();
    };
    let mut parts: Vec<String> = spec
        .point
        .iter()
        .map(|(f, v)| format!("{}={}", short(&f.to_string()), show(*v)))
        .collect();
    parts.push(spec.variant.clone().unwrap_or_else(|| String::from("base")));
    parts.join(" ")
}

/// The last key of a field path (`venues[0].collateral.liquidation_fee` → `liquidation_fee`).
pub fn short(path: &str) -> String {
    path.rsplit('.').next().unwrap_or(path).to_string()
}

/// A number for people.
pub fn show(n: Number) -> String {
    match n {
        Number::Decimal(w) if w.raw().checked_rem(Wad::ONE.raw()) == Some(0) && w.abs_gt(Wad::from_i64(9999)) => {
            num(w, 0)
        }
        Number::Decimal(w) => w.to_string(),
        Number::Integer(i) => count(i),
    }
}

/// A money amount for people: no decimals above 100, else 2.
pub fn money(w: Wad) -> String {
    if w.abs_gt(Wad::from_i64(100)) {
        num(w, 0)
    } else {
        num(w, 2)
    }
}

trait AbsGt {
    fn abs_gt(self, other: Wad) -> bool;
}

impl AbsGt for Wad {
    fn abs_gt(self, other: Wad) -> bool {
        self > other || self.is_negative() && Wad::ZERO.sub(self).is_ok_and(|a| a > other)
    }
}

/// A table: a header row and rows, the first column left-aligned, the others right-aligned.
pub fn table(head: &[String], rows: &[Vec<String>]) -> String {
    let columns = head.len();
    let mut widths: Vec<usize> = head.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(columns) {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::from(" ");
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = w.saturating_sub(c.chars().count());
            if i == 0 {
                out.push_str(c);
                out.push_str(&" ".repeat(pad));
            } else {
                out.push_str("  ");
                out.push_str(&" ".repeat(pad));
                out.push_str(c);
            }
        }
        out.trim_end().to_string()
    };
    let mut out = line(head);
    out.push('\n');
    for r in rows {
        out.push_str(&line(r));
        out.push('\n');
    }
    out
}

fn or_dash(s: Option<Stats>, f: impl Fn(Stats) -> String) -> String {
    s.map_or_else(|| String::from("-"), f)
}

/// The stop counts: `unprofitable 180, exhausted 20`.
pub fn stops(cell: &CellResult) -> String {
    cell.stops
        .iter()
        .map(|(s, n)| format!("{} {}", s.name(), count(*n)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The head of the cells' table.
pub fn cells_head() -> Vec<String> {
    [
        "cell",
        "mean",
        "p50",
        "p95",
        "es95",
        "es99",
        "max",
        "insolvent",
        "eq. price",
        "amplif.",
        "liquidations",
        "peak/block",
        "stops",
    ]
    .map(String::from)
    .to_vec()
}

/// The rows of the cells' table, one a cell.
pub fn cell_rows(study: &Study, outcome: &Outcome) -> Vec<Vec<String>> {
    outcome
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| cell_row(study, i, c))
        .collect()
}

/// The rows of the differences' table, one a variant cell (none without variants).
pub fn difference_rows(study: &Study, outcome: &Outcome) -> Vec<Vec<String>> {
    outcome
        .cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| difference_row(study, i, c))
        .collect()
}

/// One row of the cells' table.
fn cell_row(study: &Study, i: usize, cell: &CellResult) -> Vec<String> {
    let ins = cell.stats("insolvency");
    vec![
        cell_label(study, i),
        or_dash(ins, |s| money(s.mean)),
        or_dash(ins, |s| money(s.p50)),
        or_dash(ins, |s| money(s.p95)),
        or_dash(ins, |s| money(s.es95)),
        or_dash(ins, |s| money(s.es99)),
        or_dash(ins, |s| money(s.max)),
        or_dash(ins, |s| pct(s.share_positive)),
        or_dash(cell.stats("equilibrium_price"), |s| num(s.mean, 2)),
        or_dash(cell.stats("amplification"), |s| format!("{}x", num(s.mean, 2))),
        or_dash(cell.stats("liquidations"), |s| num(s.mean, 1)),
        or_dash(cell.stats("peak_liquidations"), |s| num(s.mean, 1)),
        stops(cell),
    ]
}

/// The head of the differences' table.
pub fn difference_head() -> Vec<String> {
    [
        "variant − base",
        "mean",
        "p50",
        "p95",
        "es95",
        "worse on",
        "amplif.",
        "liquidations",
    ]
    .map(String::from)
    .to_vec()
}

/// One row of the differences' table (a variant cell).
fn difference_row(study: &Study, i: usize, cell: &CellResult) -> Option<Vec<String>> {
    cell.difference.as_ref()?;
    let d = cell.difference("insolvency");
    Some(vec![
        cell_label(study, i),
        or_dash(d, |s| signed(s.mean)),
        or_dash(d, |s| signed(s.p50)),
        or_dash(d, |s| signed(s.p95)),
        or_dash(d, |s| signed(s.es95)),
        or_dash(d, |s| pct(s.share_positive)),
        or_dash(cell.difference("amplification"), |s| signed_num(s.mean, 2)),
        or_dash(cell.difference("liquidations"), |s| signed_num(s.mean, 1)),
    ])
}

fn signed(w: Wad) -> String {
    if w.is_positive() {
        format!("+{}", money(w))
    } else {
        money(w)
    }
}

fn signed_num(w: Wad, d: usize) -> String {
    if w.is_positive() {
        format!("+{}", num(w, d))
    } else {
        num(w, d)
    }
}

/// The solve's answer in a sentence.
pub fn solve_sentence(study: &Study, s: &SolveResult) -> String {
    let Some(spec) = &study.solve else { return String::new() };
    let stat = format!("the {} of {}", spec.statistic, spec.metric);
    let field = spec.field.to_string();
    let probes = s.probes.len();
    let mut out = match (s.bracket, s.boundary) {
        (Some((a, b)), Some(boundary)) => {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            format!(
                "{} crosses {} between {field} = {} and {}: it is above at {} ({probes} probes).",
                capital(&stat),
                num_plain(spec.above),
                show(lo),
                show(hi),
                show(boundary)
            )
        }
        _ => {
            let side = if s.probes.first().is_some_and(|p| p.above) {
                "above"
            } else {
                "at or below"
            };
            format!(
                "{} stays {side} {} at both ends of the range {field} = {} to {}: no crossing in it ({probes} probes).",
                capital(&stat),
                num_plain(spec.above),
                show(spec.lo),
                show(spec.hi)
            )
        }
    };
    if !s.monotone {
        out.push_str(" The probes were not monotone: the statistic turns back inside the range, so this is one crossing of several.");
    } else if s.bracket.is_some() {
        out.push_str(" The probes were monotone.");
    }
    if s.interrupted {
        out.push_str(" Ctrl-C cut the bisection short: the bracket is the last one reached.");
    }
    out
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

fn num_plain(w: Wad) -> String {
    w.to_string()
}

/// The text report.
/// How many of `n` paths an expected shortfall at `percent` % averages: `max(1, ⌈percent·n/100⌉)`
/// (`study::stats`'s rule).
fn worst(n: u64, percent: u64) -> u64 {
    n.saturating_mul(percent).div_ceil(100).max(1)
}

pub fn report(study: &Study, outcome: &Outcome) -> String {
    let mut out = String::new();
    let title = if study.name.is_empty() {
        study.base.name.clone()
    } else {
        study.name.clone()
    };
    let _ = writeln!(out, "lce study: {title}");
    if !study.description.is_empty() {
        let _ = writeln!(out, "{}", crate::text::wrap_text(&study.description));
    }
    let _ = writeln!(
        out,
        "scenario \"{}\"; {} per cell, {}{}",
        study.base.name,
        crate::text::plural(u64::from(outcome.paths), "path", "paths"),
        crate::text::plural(study.cells.len() as u64, "cell", "cells"),
        if outcome.interrupted {
            " (interrupted: the paths finished in every cell)"
        } else {
            ""
        }
    );
    for axis in &study.vary {
        let _ = writeln!(
            out,
            "varied: {} over {}",
            axis.field,
            axis.values.iter().map(|v| show(*v)).collect::<Vec<_>>().join(", ")
        );
    }
    for v in &study.variants {
        let patches: Vec<String> = v.patches.iter().map(|(f, val)| format!("{f} = {val}")).collect();
        let _ = writeln!(out, "variant {}: {}", v.name, patches.join(", "));
    }
    if !outcome.cells.is_empty() {
        let _ = writeln!(
            out,
            "\nINSOLVENCY at the equilibrium, per path (bad debt + debt still under water); then the means of the \
             equilibrium price, the amplification, the liquidations and the most in one block (velocity)"
        );
        out.push_str(&table(&cells_head(), &cell_rows(study, outcome)));
        let diffs = difference_rows(study, outcome);
        if !diffs.is_empty() {
            let _ = writeln!(
                out,
                "\nPAIRED DIFFERENCES of insolvency, variant − base on the same paths"
            );
            out.push_str(&table(&difference_head(), &diffs));
        }
        let n = u64::from(outcome.paths);
        let _ = writeln!(
            out,
            "\nmean and es rounded up (es95 / es99: the mean of the worst {} / {} of the {n} paths, 5 % / 1 % \
             and at least one); p50, p95, max: nearest rank; insolvent: share of paths with insolvency > 0; \
             --json has every statistic of every metric.",
            worst(n, 5),
            worst(n, 1)
        );
    }
    if let Some(s) = &outcome.solve {
        let _ = writeln!(out, "\nSOLVE  {}", crate::text::wrap_text(&solve_sentence(study, s)));
    }
    out
}
