//! The text report of `lce run`: what a risk analyst reads first. Numbers are formatted for
//! people here only (thousands separators, fixed decimals, cut toward zero); `--json` and
//! `--csv` keep the exact decimals.

use std::fmt::Write as _;

use lce::Wad;
use lce::cascade::Conservation;
use lce::cascade::{BlockRecord, Stop};
use lce::eval::OpError;
use lce::eval::scenario::{RunOutcome, Scenario};

/// The width text is wrapped to.
const WIDTH: usize = 92;

/// `w` with thousands separators and `decimals` fractional digits, rounded half away from
/// zero (display only: `1699.999999999999996` shows as `1,700.00`).
pub fn num(w: Wad, decimals: usize) -> String {
    let half = u32::try_from(decimals)
        .ok()
        .and_then(|d| 10i128.checked_pow(17u32.checked_sub(d)?))
        .map_or(0, |p| p.saturating_mul(5));
    let nudged = if w.is_negative() {
        w.sub(Wad::from_raw(half))
    } else {
        w.add(Wad::from_raw(half))
    };
    let s = nudged.unwrap_or(w).to_string();
    let (sign, s) = s.strip_prefix('-').map_or(("", s.as_str()), |rest| ("-", rest));
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && int.len().saturating_sub(i).checked_rem(3) == Some(0) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let mut frac: String = frac.chars().take(decimals).collect();
    while frac.len() < decimals {
        frac.push('0');
    }
    let sign = if grouped.chars().all(|c| c == '0' || c == ',') && frac.chars().all(|c| c == '0') {
        ""
    } else {
        sign
    };
    if decimals == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// A fraction as a percentage with 2 decimals.
pub fn pct(w: Wad) -> String {
    pct_with(w, 2)
}

/// A fraction as a percentage with `decimals` decimals.
pub fn pct_with(w: Wad, decimals: usize) -> String {
    let hundred = Wad::from_i64(100);
    format!("{} %", num(w.mul_floor(hundred).unwrap_or(w), decimals))
}

/// A count with thousands separators.
fn count(n: u64) -> String {
    num(Wad::from_int(i128::from(n)).unwrap_or(Wad::ZERO), 0)
}

/// One plain-English line per stop reason.
pub fn why(stop: Stop) -> &'static str {
    match stop {
        Stop::Exhausted => {
            "the shock is over and no account is liquidatable any more: the cascade ran out of accounts to liquidate."
        }
        Stop::Unprofitable => {
            "accounts are still liquidatable, but no liquidator finds one worth its slippage, gas and execution risk: the Liquidation Cascade Equilibrium."
        }
        Stop::NoLiquidators => {
            "accounts are still liquidatable and no liquidator can act on them: there are none, gas is dearer than they work at, or they are out of capital."
        }
        Stop::Stale => {
            "a venue's oracle stopped publishing and its guards refuse the stale price, so accounts liquidatable at the market price are stuck."
        }
        Stop::BlockLimit => "the block limit came before the cascade settled (raise max_blocks, or --blocks).",
        Stop::Interrupted => {
            "the run was interrupted before the cascade came to rest: the figures are the blocks run so far."
        }
    }
}

/// Wraps `text` to [`WIDTH`] columns, every line after the first indented by `indent`.
fn wrap(text: &str, first: usize, indent: usize) -> String {
    let mut out = String::new();
    let mut col = first;
    for word in text.split_whitespace() {
        if col > indent && col.saturating_add(1).saturating_add(word.len()) > WIDTH {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            col = indent;
        } else if col > first || !out.is_empty() {
            out.push(' ');
            col = col.saturating_add(1);
        }
        out.push_str(word);
        col = col.saturating_add(word.len());
    }
    out
}

/// The whole text report.
pub fn report(scenario: &Scenario, run: &RunOutcome) -> Result<String, OpError> {
    let r = &run.report;
    let mut o = String::new();
    let _ = writeln!(o, "lce run: {}", scenario.name);
    if !scenario.description.is_empty() {
        let _ = writeln!(o, "{}", wrap(&scenario.description, 0, 0));
    }
    let accounts: usize = scenario.venues.iter().map(|v| v.accounts.len()).sum();
    let _ = writeln!(
        o,
        "{} venues, {} accounts, {} liquidators, seed {}\n",
        scenario.venues.len(),
        count(accounts as u64),
        scenario.liquidators.len(),
        scenario.seed
    );

    let _ = writeln!(o, "EQUILIBRIUM");
    let head = format!("  stopped  {} after {} blocks:", r.stop.name(), count(r.blocks));
    let _ = writeln!(o, "{head} {}", wrap(why(r.stop), head.len().saturating_add(1), 11));
    let last = run.records.last();
    let drawdown = last.map_or(Wad::ZERO, |b| b.drawdown);
    let _ = writeln!(
        o,
        "  price    {} (start {}; drawdown {}); low {} (max drawdown {})\n",
        num(r.equilibrium_price, 2),
        num(r.start_price, 2),
        pct(drawdown),
        num(r.low_price, 2),
        pct(r.max_drawdown)
    );

    let _ = writeln!(o, "KEY METRICS");
    let line = |o: &mut String, k: &str, v: String| {
        let _ = writeln!(o, "  {k:<30} {v}");
    };
    line(
        &mut o,
        "liquidations",
        format!(
            "{} (peak velocity {} in block {})",
            count(r.liquidations),
            r.peak_liquidations,
            r.peak_block
        ),
    );
    line(&mut o, "debt repaid by liquidations", num(r.repaid, 2));
    line(
        &mut o,
        "collateral sold",
        format!(
            "{} by liquidators (for {}), {} by traders",
            num(r.liquidation_sold, 4),
            num(r.liquidation_proceeds, 2),
            num(r.trader_sold, 4)
        ),
    );
    line(&mut o, "slippage multiplier", num(r.slippage, 6));
    line(&mut o, "bad debt", num(r.bad_debt, 2));
    line(&mut o, "unrealised (still under water)", num(r.unrealised, 2));
    line(&mut o, "insolvency", num(r.insolvency, 2));
    line(&mut o, "liquidator profit", num(r.liquidator_profit, 2));
    line(
        &mut o,
        "skipped (account-blocks)",
        format!(
            "{} unprofitable, {} for gas",
            count(r.skipped_unprofitable),
            count(r.skipped_gas)
        ),
    );
    line(&mut o, "max systemic debt ratio", pct(r.max_systemic_debt_ratio));
    line(&mut o, "max concentration (top 1 %)", pct(r.max_concentration));
    line(&mut o, "max oracle gap", pct(r.max_oracle_gap));
    o.push('\n');

    let _ = writeln!(o, "VENUES");
    for (i, v) in scenario.venues.iter().enumerate() {
        let at = r.venues.get(i).copied().unwrap_or_default();
        let (l, c, d) = (at.ledger, at.collateral, at.debt);
        let cons = Conservation::check(&l, c, d)?;
        let ok = |x: Wad| {
            if x.is_zero() {
                String::from("balanced")
            } else {
                format!("OFF BY {x}")
            }
        };
        let _ = writeln!(
            o,
            "  {} ({}, {} accounts): {} liquidations, {} bankruptcies",
            v.name,
            v.kind(),
            count(v.accounts.len() as u64),
            count(l.liquidations),
            count(l.bankruptcies)
        );
        let _ = writeln!(
            o,
            "    collateral  {} + topped up {} - seized {} - sold {} = {}  [{}]",
            num(l.collateral_initial, 4),
            num(l.collateral_topped_up, 4),
            num(l.collateral_seized, 4),
            num(l.collateral_sold, 4),
            num(c, 4),
            ok(cons.collateral)
        );
        let _ = writeln!(
            o,
            "    debt        {} - liquidations {} - traders {} - top-ups {} - written off {} = {}  [{}]",
            num(l.debt_initial, 2),
            num(l.debt_repaid_liquidations, 2),
            num(l.debt_repaid_traders, 2),
            num(l.debt_topped_up, 2),
            num(l.debt_written_off, 2),
            num(d, 2),
            ok(cons.debt)
        );
        let w = &l.waterfall;
        let _ = writeln!(
            o,
            "    bad debt    {} = premium {} + insurance {} + socialised {} + uncovered {} (haircut {})  [{}]",
            num(l.debt_written_off, 2),
            num(w.premium, 2),
            num(w.insurance, 2),
            num(w.socialized, 2),
            num(w.uncovered, 2),
            pct_with(w.haircut, 4),
            ok(cons.waterfall)
        );
    }
    o.push('\n');

    let _ = writeln!(o, "LIQUIDATORS");
    let _ = writeln!(
        o,
        "  {:<16} {:>14} {:>12} {:>16} {:>12}",
        "name", "priority fee", "liquidations", "profit", "gas paid"
    );
    for ((name, _), l) in scenario.liquidators.iter().zip(run.liquidators.iter()) {
        let _ = writeln!(
            o,
            "  {:<16} {:>14} {:>12} {:>16} {:>12}",
            name,
            l.priority_fee().to_string(),
            count(l.liquidations()),
            num(l.profit(), 2),
            num(l.gas_paid(), 2)
        );
    }
    o.push('\n');
    blocks(&mut o, scenario, &run.records);
    Ok(o)
}

/// Whether something happened in block `r` (after `prev`): liquidations, bad debt, a move of
/// the reference or the gas price, an oracle refusal that changed.
fn eventful(r: &BlockRecord, prev: Option<&BlockRecord>) -> bool {
    let Some(p) = prev else { return true };
    r.liquidations() > 0
        || r.venues.iter().any(|v| !v.bad_debt.is_zero())
        || r.fundamental != p.fundamental
        || r.gas_price != p.gas_price
        || r.venues
            .iter()
            .zip(p.venues.iter())
            .any(|(a, b)| a.refusal != b.refusal)
}

/// The per-block table: the blocks where something happened, long quiet stretches elided.
fn blocks(o: &mut String, scenario: &Scenario, records: &[BlockRecord]) {
    let _ = writeln!(o, "BLOCKS (where something happened)");
    let mut head = format!("  {:>7} {:>10} {:>10} {:>9}", "block", "reference", "market", "gas");
    for v in &scenario.venues {
        let name: String = v.name.chars().take(10).collect();
        let _ = write!(head, " {:>11}", format!("{name} oracle"));
    }
    let _ = write!(head, " {:>5} {:>14} {:>12}", "liqs", "repaid", "bad debt");
    let _ = writeln!(o, "{head}");
    let mut quiet: Vec<&BlockRecord> = Vec::new();
    let flush = |o: &mut String, quiet: &mut Vec<&BlockRecord>| {
        if quiet.len() > 2 {
            let _ = writeln!(o, "  … {} quiet blocks …", quiet.len());
        } else {
            for r in quiet.iter() {
                row(o, r);
            }
        }
        quiet.clear();
    };
    let mut prev: Option<&BlockRecord> = None;
    let n = records.len();
    for (i, r) in records.iter().enumerate() {
        if eventful(r, prev) || i.saturating_add(1) == n {
            flush(o, &mut quiet);
            row(o, r);
        } else {
            quiet.push(r);
        }
        prev = Some(r);
    }
    flush(o, &mut quiet);
    if records.iter().any(|r| r.venues.iter().any(|v| v.refusal.is_some())) {
        let _ = writeln!(
            o,
            "  (* the venue's guards refuse its oracle price as stale; ! refused for deviation or confidence; - no round yet)"
        );
    }
}

fn row(o: &mut String, r: &BlockRecord) {
    let _ = write!(
        o,
        "  {:>7} {:>10} {:>10} {:>9}",
        r.block,
        num(r.fundamental, 2),
        num(r.market, 2),
        r.gas_price.to_string()
    );
    for v in &r.venues {
        let oracle = match (v.oracle, v.refusal) {
            (None, _) => String::from("-"),
            (Some(p), None) => num(p, 2),
            (Some(p), Some(why)) => format!("{}{}", num(p, 2), if why.as_str() == "stale" { "*" } else { "!" }),
        };
        let _ = write!(o, " {oracle:>11}");
    }
    let _ = writeln!(
        o,
        " {:>5} {:>14} {:>12}",
        r.liquidations(),
        num(r.repaid().unwrap_or(Wad::ZERO), 2),
        num(r.bad_debt().unwrap_or(Wad::ZERO), 2)
    );
}
