//! What a study measures on each path: the figures of the run's report at the equilibrium.

use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use crate::cascade::{Report, Stop};
use crate::{Result, Wad};

/// The metrics of the whole run, in the order of the reports.
pub const METRICS: &[&str] = &[
    "insolvency",
    "bad_debt",
    "unrealised",
    "amplification",
    "cascade_drop",
    "equilibrium_price",
    "low_price",
    "max_drawdown",
    "liquidations",
    "peak_liquidations",
    "liquidator_profit",
    "slippage",
    "equilibrium_block",
];

/// The metrics of each venue, named `<venue>.<metric>`: its insolvency, its debt still under
/// water, and its waterfall: the bad debt written off and the layers that took it.
pub const VENUE_METRICS: &[&str] = &[
    "insolvency",
    "unrealised",
    "bad_debt",
    "premium",
    "insurance",
    "socialized",
    "uncovered",
];

/// The stop reasons, in the order the reports count them.
pub const STOPS: &[Stop] = &[
    Stop::Exhausted,
    Stop::Unprofitable,
    Stop::NoLiquidators,
    Stop::Stale,
    Stop::BlockLimit,
    Stop::Interrupted,
];

/// The names of every metric of a scenario whose venues are named `venues`: [`METRICS`], then
/// each venue's [`VENUE_METRICS`] (a name used twice gets its index: `Lend#1`).
#[must_use]
pub fn metric_names(venues: &[String]) -> Vec<String> {
    let mut names: Vec<String> = METRICS.iter().map(ToString::to_string).collect();
    for (i, v) in venues.iter().enumerate() {
        let clash = venues.iter().filter(|w| *w == v).count() > 1;
        let label = if clash { format!("{v}#{i}") } else { v.clone() };
        for m in VENUE_METRICS {
            names.push(format!("{label}.{m}"));
        }
    }
    names
}

/// The metrics of one run's report, in the order of [`metric_names`] (for `venues` venues;
/// `None` where a metric is undefined: the amplification of a shock that did not lower the
/// price, a venue the run does not have).
///
/// Errors: none in practice ([`Result`] for the integer conversions).
pub fn path_metrics(report: &Report, venues: usize) -> Result<Vec<Option<Wad>>> {
    let count = |n: u64| Wad::from_int(i128::from(n));
    let mut out = std::vec![
        Some(report.insolvency),
        Some(report.bad_debt),
        Some(report.unrealised),
        report.amplification,
        Some(report.cascade_drop),
        Some(report.equilibrium_price),
        Some(report.low_price),
        Some(report.max_drawdown),
        Some(count(report.liquidations)?),
        Some(count(u64::from(report.peak_liquidations))?),
        Some(report.liquidator_profit),
        Some(report.slippage),
        Some(count(report.equilibrium_block)?),
    ];
    for i in 0..venues {
        match report.venues.get(i) {
            Some(v) => {
                let w = &v.ledger.waterfall;
                out.extend([
                    Some(v.insolvency),
                    Some(v.unrealised),
                    Some(w.bad_debt),
                    Some(w.premium),
                    Some(w.insurance),
                    Some(w.socialized),
                    Some(w.uncovered),
                ]);
            }
            None => out.extend([None; 7]),
        }
    }
    Ok(out)
}
