//! `lce run --csv`: the per-block series, one row per block, exact decimals.

use std::fmt::Write as _;

use lce::Wad;
use lce::cascade::{BlockRecord, VenueBlock};
use lce::eval::scenario::{RunOutcome, Scenario};

/// The columns of the whole block, before the venues' own.
const BLOCK: &[&str] = &[
    "block",
    "fundamental",
    "market",
    "gas_price",
    "arbitrage",
    "trader_sold",
    "liquidation_sold",
    "liquidation_proceeds",
    "slippage",
    "liquidator_profit",
    "drawdown",
    "oracle_gap",
    "systemic_debt_ratio",
    "liquidations",
    "repaid",
    "bad_debt",
    "cumulative_bad_debt",
];

/// The columns of each venue, prefixed with the venue's name.
const VENUE: &[&str] = &[
    "oracle",
    "refusal",
    "liquidatable",
    "liquidations",
    "repaid",
    "seized",
    "skipped_unprofitable",
    "skipped_gas",
    "bad_debt",
    "debt_at_risk",
    "tvl",
    "concentration",
];

/// The extra columns of an options venue (its block's quote), after its [`VENUE`] columns.
const OPTIONS: &[&str] = &["vol", "mark", "maintenance_unit", "dynamic_margin"];

/// A venue's name as a column prefix: lower case, anything but letters and digits as `_`,
/// made unique with the venue's index when two venues would share it.
pub fn column_prefix(scenario: &Scenario, index: usize) -> String {
    let clean = |name: &str| -> String {
        name.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect()
    };
    let mine = scenario.venues.get(index).map_or_else(String::new, |v| clean(&v.name));
    let shared = scenario.venues.iter().filter(|v| clean(&v.name) == mine).count();
    if mine.is_empty() || shared > 1 {
        format!("{mine}{index}")
    } else {
        mine
    }
}

/// The CSV text: a header row, then one row per block.
pub fn csv(scenario: &Scenario, run: &RunOutcome) -> String {
    let mut out = String::new();
    let mut header: Vec<String> = BLOCK.iter().map(|c| (*c).to_owned()).collect();
    for i in 0..scenario.venues.len() {
        let prefix = column_prefix(scenario, i);
        header.extend(VENUE.iter().map(|c| format!("{prefix}_{c}")));
        if scenario.venues.get(i).is_some_and(|v| v.kind() == "options") {
            header.extend(OPTIONS.iter().map(|c| format!("{prefix}_{c}")));
        }
    }
    out.push_str(&header.join(","));
    out.push('\n');
    let mut cumulative = Wad::ZERO;
    for r in &run.records {
        let bad = r.bad_debt().unwrap_or(Wad::ZERO);
        cumulative = cumulative.add(bad).unwrap_or(cumulative);
        let options: Vec<bool> = scenario.venues.iter().map(|v| v.kind() == "options").collect();
        row(&mut out, r, bad, cumulative, &options);
    }
    out
}

fn row(out: &mut String, r: &BlockRecord, bad: Wad, cumulative: Wad, options: &[bool]) {
    let _ = write!(
        out,
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
        r.block,
        r.fundamental,
        r.market,
        r.gas_price,
        r.arbitrage,
        r.trader_sold,
        r.liquidation_sold,
        r.liquidation_proceeds,
        r.slippage,
        r.liquidator_profit,
        r.drawdown,
        r.oracle_gap,
        r.systemic_debt_ratio,
        r.liquidations(),
        r.repaid().unwrap_or(Wad::ZERO),
        bad,
        cumulative,
    );
    for (i, &is_options) in options.iter().enumerate() {
        let v = r.venues.get(i).copied().unwrap_or_default();
        venue(out, &v);
        if is_options {
            let q = v.options;
            let cell = |f: fn(&lce::cascade::SeriesQuote) -> Option<Wad>| {
                q.as_ref().and_then(f).map_or_else(String::new, |x| x.to_string())
            };
            let _ = write!(
                out,
                ",{},{},{},{}",
                cell(|q| Some(q.vol)),
                cell(|q| Some(q.mark)),
                cell(|q| Some(q.maintenance_unit)),
                cell(|q| q.dynamic),
            );
        }
    }
    out.push('\n');
}

fn venue(out: &mut String, v: &VenueBlock) {
    let _ = write!(
        out,
        ",{},{},{},{},{},{},{},{},{},{},{},{}",
        v.oracle.map_or_else(String::new, |o| o.to_string()),
        v.refusal.map_or("", |r| r.as_str()),
        v.liquidatable,
        v.liquidations,
        v.repaid,
        v.seized,
        v.skipped_unprofitable,
        v.skipped_gas,
        v.bad_debt,
        v.debt_at_risk,
        v.tvl,
        v.concentration,
    );
}
