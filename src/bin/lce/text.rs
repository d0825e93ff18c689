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
pub fn count(n: u64) -> String {
    num(Wad::from_int(i128::from(n)).unwrap_or(Wad::ZERO), 0)
}

/// `n` and its noun, singular for one: "1 liquidation", "2,000 liquidations".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// "is" or "are", agreeing with `n`.
const fn is_are(n: u64) -> &'static str {
    if n == 1 { "is" } else { "are" }
}

/// `part / whole` as a percentage (rounded toward zero), or nothing when `whole` is not
/// positive.
fn share(part: Wad, whole: Wad) -> Option<String> {
    if whole.is_positive() {
        part.div_floor(whole).ok().map(pct)
    } else {
        None
    }
}

/// Wraps `text` to [`WIDTH`] columns from the first column.
pub fn wrap_text(text: &str) -> String {
    wrap(text, 0, 0)
}

/// Wraps `text` to [`WIDTH`] columns; the first line starts at column `first`, every line
/// after it is indented by `indent`.
fn wrap(text: &str, first: usize, indent: usize) -> String {
    let mut out = String::new();
    let mut col = first;
    for word in text.split_whitespace() {
        if col > indent && col.saturating_add(1).saturating_add(word.len()) > WIDTH {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            col = indent;
        } else if !out.is_empty() {
            out.push(' ');
            col = col.saturating_add(1);
        }
        out.push_str(word);
        col = col.saturating_add(word.chars().count());
    }
    out
}

/// Why the cascade stopped where it did, in plain words with its counts.
pub fn why(scenario: &Scenario, run: &RunOutcome) -> String {
    let r = &run.report;
    let d = &r.stop_detail;
    let n = d.liquidatable;
    let still = format!("{} {} still liquidatable", plural(n, "account", "accounts"), is_are(n));
    let hindered = |out: &mut String| {
        let mut parts = Vec::new();
        if d.priced_out > 0 {
            parts.push(format!("{} priced out by gas", count(u64::from(d.priced_out))));
        }
        if d.out_of_capital > 0 {
            parts.push(format!("{} out of capital", count(u64::from(d.out_of_capital))));
        }
        if !parts.is_empty() {
            let _ = write!(out, " ({})", parts.join(", "));
        }
    };
    match r.stop {
        Stop::Exhausted => String::from(
            "exhausted: no account is liquidatable any more; the cascade ran out of accounts to liquidate.",
        ),
        Stop::Unprofitable => {
            let mut out = format!("unprofitable: {still}, but ");
            if d.unprofitable == 1 {
                out.push_str("the one liquidator that could act finds none");
            } else {
                let _ = write!(
                    out,
                    "none of the {} liquidators that could act finds one",
                    d.unprofitable
                );
            }
            out.push_str(" worth its slippage, gas and execution risk");
            hindered(&mut out);
            out.push_str(": the Liquidation Cascade Equilibrium.");
            out
        }
        Stop::NoLiquidators if d.liquidators == 0 => {
            format!("no_liquidators: {still} and the scenario has no liquidators.")
        }
        Stop::NoLiquidators => {
            let mut out = format!(
                "no_liquidators: {still} and none of the {} can act",
                plural(u64::from(d.liquidators), "liquidator", "liquidators")
            );
            hindered(&mut out);
            out.push_str(": gas dearer than they work at or than a block holds, or no capital left.");
            out
        }
        Stop::Stale => {
            let at = run.records.iter().find(|b| b.block == r.equilibrium_block);
            let mut stuck = Vec::new();
            for (i, v) in scenario.venues.iter().enumerate() {
                let vb = at.and_then(|b| b.venues.get(i));
                let liquidatable = vb.map_or(0, |vb| vb.liquidatable);
                let what = match (v.params.outage_from, vb.and_then(|vb| vb.refusal)) {
                    (Some(from), _) if from <= r.equilibrium_block => {
                        format!("{}'s oracle is down (since block {from})", v.name)
                    }
                    (_, Some(why)) => format!("{}'s guards refuse its price ({})", v.name, why.as_str()),
                    _ => continue,
                };
                if liquidatable > 0 {
                    stuck.push(format!(
                        "{what} with {} liquidatable at the market price",
                        plural(u64::from(liquidatable), "account", "accounts")
                    ));
                }
            }
            format!(
                "stale: {}; they wait for a usable price.",
                if stuck.is_empty() {
                    String::from(
                        "a venue's oracle is down or refused while accounts are liquidatable at the market price",
                    )
                } else {
                    stuck.join("; ")
                }
            )
        }
        Stop::BlockLimit => format!(
            "block_limit: the block limit came at block {} before the cascade came to rest (raise max_blocks, or --blocks); every figure is at that block.",
            count(r.blocks)
        ),
        Stop::Interrupted => format!(
            "interrupted: Ctrl-C stopped the run at the end of block {}, before the cascade came to rest; every figure is the run so far.",
            count(r.blocks)
        ),
    }
}

/// Whether the run has an equilibrium (it came to rest).
pub const fn at_rest(stop: Stop) -> bool {
    !matches!(stop, Stop::BlockLimit | Stop::Interrupted)
}

/// The lowest market price's block up to the equilibrium (the first on a tie), if the market
/// fell below the start.
pub fn low_block(run: &RunOutcome) -> Option<&BlockRecord> {
    let r = &run.report;
    if r.low_price >= r.start_price {
        return None;
    }
    run.records
        .iter()
        .take_while(|b| b.block <= r.equilibrium_block)
        .find(|b| b.market == r.low_price)
}

/// The recovery in one sentence (after the equilibrium), or `None` when the run never came
/// to rest.
pub fn recovery(scenario: &Scenario, run: &RunOutcome) -> Option<String> {
    let r = &run.report;
    let rec = r.recovery?;
    let band = pct_with(rec.band, 1);
    let end = format!(
        "block {}: market {}, fundamental {}",
        count(r.blocks),
        num(rec.market_price, 2),
        num(rec.fundamental_price, 2)
    );
    let mut out = match rec.blocks {
        Some(0) => format!("the market was already within {band} of the fundamental at the equilibrium ({end})"),
        Some(n) => format!(
            "the market was back within {band} of the fundamental {} after the equilibrium ({end})",
            plural(n, "block", "blocks")
        ),
        None if run.interrupted => {
            format!("interrupted (Ctrl-C) before the market was back within {band} of the fundamental ({end})")
        }
        None if scenario.resilience.decay().is_zero() => {
            format!("did not recover within the run: no resilience, so the impact of the sales is permanent ({end})")
        }
        None if scenario.arbitrage.capacity().is_some_and(|c| c.is_zero()) => format!(
            "did not recover within the run: no arbitrage capacity, so the impact of the sales is permanent ({end})"
        ),
        None => format!("not back within {band} of the fundamental when the block limit came ({end})"),
    };
    if rec.blocks != Some(0) || rec.liquidations > 0 {
        if rec.liquidations == 0 && rec.bad_debt.is_zero() {
            out.push_str("; no liquidations during the recovery.");
        } else {
            let _ = write!(
                out,
                "; {} and {} of bad debt during the recovery.",
                plural(rec.liquidations, "liquidation", "liquidations"),
                num(rec.bad_debt, 2)
            );
        }
    } else {
        out.push('.');
    }
    Some(out)
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
        "{}, {}, {}, seed {}\n",
        plural(scenario.venues.len() as u64, "venue", "venues"),
        plural(accounts as u64, "account", "accounts"),
        plural(scenario.liquidators.len() as u64, "liquidator", "liquidators"),
        scenario.seed
    );

    let rest = at_rest(r.stop);
    let at = if rest {
        let _ = writeln!(
            o,
            "EQUILIBRIUM at block {} (the first block at rest; {} run)",
            count(r.equilibrium_block),
            plural(r.blocks, "block", "blocks")
        );
        String::from("market price at the equilibrium")
    } else {
        let _ = writeln!(
            o,
            "NO EQUILIBRIUM: {} before the cascade came to rest; figures at block {}",
            if r.stop == Stop::Interrupted {
                "interrupted"
            } else {
                "the block limit came"
            },
            count(r.blocks)
        );
        format!("market price at block {}", count(r.blocks))
    };
    let line = |o: &mut String, k: &str, v: String, note: String| {
        let _ = writeln!(o, "  {k:<32} {v:>14}   {note}");
    };
    line(
        &mut o,
        &at,
        num(r.equilibrium_price, 2),
        format!(
            "fundamental {}; start {}",
            num(r.fundamental_price, 2),
            num(r.start_price, 2)
        ),
    );
    let of_start = |x: Wad| share(x, r.start_price).map_or_else(String::new, |p| format!("{p} of the start"));
    line(
        &mut o,
        "exogenous drop (the shock)",
        num(r.exogenous_drop, 2),
        of_start(r.exogenous_drop),
    );
    line(
        &mut o,
        "the cascade's drop",
        num(r.cascade_drop, 2),
        format!("{}, the sales' impact included", of_start(r.cascade_drop)),
    );
    match r.amplification {
        Some(a) => line(
            &mut o,
            "amplification",
            format!("{}x", num(a, 2)),
            String::from("the cascade's drop / the exogenous drop"),
        ),
        None => line(
            &mut o,
            "amplification",
            String::from("none"),
            String::from("the shock did not lower the price"),
        ),
    }
    if let Some(low) = low_block(run) {
        let drop = r.start_price.sub(low.market).unwrap_or(Wad::ZERO);
        let shock = r.start_price.sub(low.fundamental).unwrap_or(Wad::ZERO);
        let times = if shock.is_positive() {
            drop.div_ceil(shock).map_or_else(
                |_| String::new(),
                |x| format!(", {}x the exogenous drop then", num(x, 2)),
            )
        } else {
            String::new()
        };
        line(
            &mut o,
            "low",
            num(low.market, 2),
            format!("block {}: drawdown {}{times}", count(low.block), pct(low.drawdown)),
        );
    }
    line(
        &mut o,
        "insolvency",
        num(r.insolvency, 2),
        format!(
            "bad debt {} + unrealised {} (still under water at {})",
            num(r.bad_debt, 2),
            num(r.unrealised, 2),
            if rest { "the equilibrium" } else { "that price" }
        ),
    );
    let head = "  stopped  ";
    let _ = writeln!(o, "{head}{}\n", wrap(&why(scenario, run), head.len(), head.len()));

    if let Some(text) = recovery(scenario, run) {
        let head = "RECOVERY  ";
        let _ = writeln!(o, "{head}{}\n", wrap(&text, head.len(), head.len()));
    }

    let _ = writeln!(
        o,
        "KEY METRICS ({})",
        if rest {
            "up to the equilibrium"
        } else {
            "the run so far"
        }
    );
    let metric = |o: &mut String, k: &str, v: String| {
        let _ = writeln!(o, "  {k:<30} {v}");
    };
    metric(
        &mut o,
        "liquidations",
        if r.liquidations == 0 {
            String::from("no liquidations")
        } else {
            format!(
                "{} (peak {} in block {})",
                count(r.liquidations),
                plural(u64::from(r.peak_liquidations), "liquidation", "liquidations"),
                count(r.peak_block)
            )
        },
    );
    metric(&mut o, "debt repaid by liquidations", num(r.repaid, 2));
    metric(
        &mut o,
        "collateral sold",
        format!(
            "{} by liquidators (for {}), {} by traders",
            num(r.liquidation_sold, 4),
            num(r.liquidation_proceeds, 2),
            num(r.trader_sold, 4)
        ),
    );
    metric(&mut o, "slippage multiplier", num(r.slippage, 6));
    metric(&mut o, "liquidator profit", num(r.liquidator_profit, 2));
    metric(
        &mut o,
        "skipped (account-blocks)",
        format!(
            "{} unprofitable, {} for gas",
            count(r.skipped_unprofitable),
            count(r.skipped_gas)
        ),
    );
    metric(&mut o, "max systemic debt ratio", pct(r.max_systemic_debt_ratio));
    metric(&mut o, "max concentration (top 1 %)", pct(r.max_concentration));
    metric(&mut o, "max oracle gap", pct(r.max_oracle_gap));
    o.push('\n');

    let _ = writeln!(
        o,
        "VENUES (books at {} block {})",
        if rest { "the equilibrium," } else { "the last" },
        count(r.equilibrium_block)
    );
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
            "  {} ({}, {}): {}, {}",
            v.name,
            v.kind(),
            plural(v.accounts.len() as u64, "account", "accounts"),
            plural(l.liquidations, "liquidation", "liquidations"),
            plural(l.bankruptcies, "bankruptcy", "bankruptcies")
        );
        if let Some(p) = &at.option_pool {
            pool_lines(&mut o, p, at.options.as_ref());
            let _ = writeln!(
                o,
                "    insolvency  {} = its deficit at the equilibrium, max(-equity, 0) (unrealised: nothing is written off)",
                num(at.insolvency, 2)
            );
            continue;
        }
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
        if let Some(opt) = &at.options {
            options_lines(&mut o, &l, opt, d, &ok(cons.debt));
        } else {
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
        }
        let w = &l.waterfall;
        let _ = writeln!(
            o,
            "    bad debt    {} = premium {} + insurance {} + socialised {} + uncovered {} (lenders' haircut {})  [{}]",
            num(l.debt_written_off, 2),
            num(w.premium, 2),
            num(w.insurance, 2),
            num(w.socialized, 2),
            num(w.uncovered, 2),
            pct_with(w.haircut, 4),
            ok(cons.waterfall)
        );
        let _ = writeln!(
            o,
            "    insolvency  {} = written off {} + unrealised {}",
            num(at.insolvency, 2),
            num(l.debt_written_off, 2),
            num(at.unrealised, 2)
        );
    }
    o.push('\n');

    let _ = writeln!(o, "LIQUIDATORS (the whole run, to block {})", count(r.blocks));
    let _ = writeln!(
        o,
        "  {:<16} {:>14} {:>12} {:>16} {:>12}",
        "name", "priority fee", "liquidations", "profit", "gas paid"
    );
    if scenario.liquidators.is_empty() {
        let _ = writeln!(o, "  (none)");
    }
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
    blocks(&mut o, scenario, run);
    Ok(o)
}

/// The most stretches of eventful blocks the table shows; closer stretches are merged until
/// there are no more (so a run of any length prints a few dozen rows).
const MAX_STRETCHES: usize = 6;

/// Whether something happened in block `r` (after `prev`): liquidations, bad debt, a move of
/// the fundamental or the gas price, an oracle refusal that changed.
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

/// The stretches of eventful blocks, as index ranges `(first, last)` into `records`, merged
/// across ever wider quiet gaps until there are at most [`MAX_STRETCHES`].
fn stretches(records: &[BlockRecord]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut prev: Option<&BlockRecord> = None;
    for (i, r) in records.iter().enumerate() {
        if eventful(r, prev) {
            match out.last_mut() {
                Some(last) if last.1.saturating_add(1) == i => last.1 = i,
                _ => out.push((i, i)),
            }
        }
        prev = Some(r);
    }
    let mut gap = 0usize;
    while out.len() > MAX_STRETCHES {
        gap = gap.saturating_mul(2).max(1);
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for s in out {
            match merged.last_mut() {
                Some(last) if s.0.saturating_sub(last.1) <= gap.saturating_add(1) => last.1 = s.1,
                _ => merged.push(s),
            }
        }
        out = merged;
    }
    out
}

/// The rows of the blocks table: indices into the records with their notes, in order.
fn rows(run: &RunOutcome) -> std::collections::BTreeMap<usize, Vec<&'static str>> {
    let records = &run.records;
    let r = &run.report;
    let mut rows: std::collections::BTreeMap<usize, Vec<&'static str>> = std::collections::BTreeMap::new();
    for (first, last) in stretches(records) {
        rows.entry(first).or_default();
        rows.entry(last).or_default();
        let peak =
            records
                .get(first..=last)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .fold((first, 0u32), |best, (k, b)| {
                    if b.liquidations() > best.1 {
                        (first.saturating_add(k), b.liquidations())
                    } else {
                        best
                    }
                });
        if peak.1 > 0 {
            rows.entry(peak.0).or_default();
        }
    }
    let index = |block: u64| records.iter().position(|b| b.block == block);
    let start = records.first().map(|b| b.fundamental);
    if let Some(i) = records.iter().position(|b| Some(b.fundamental) != start) {
        rows.entry(i).or_default().push("shock");
    }
    if r.peak_liquidations > 0
        && let Some(i) = index(r.peak_block)
    {
        rows.entry(i).or_default().push("peak");
    }
    if let Some(i) = low_block(run).and_then(|b| index(b.block)) {
        rows.entry(i).or_default().push("low");
    }
    if at_rest(r.stop)
        && let Some(i) = index(r.equilibrium_block)
    {
        rows.entry(i).or_default().push("equilibrium");
    }
    if let Some(i) = records.len().checked_sub(1) {
        let note = match (r.stop, r.recovery.and_then(|x| x.blocks)) {
            (Stop::Interrupted, _) => "interrupted",
            _ if run.interrupted => "interrupted",
            (Stop::BlockLimit, _) => "block limit",
            (_, Some(n)) if n > 0 => "recovered",
            _ if r.recovery.is_some_and(|x| x.blocks.is_none()) => "end, not recovered",
            _ => "end",
        };
        let notes = rows.entry(i).or_default();
        if !notes.contains(&"equilibrium") || note != "end" {
            notes.push(note);
        }
    }
    rows
}

/// The per-block table: for each stretch of eventful blocks its first, peak and last block,
/// the marked blocks (shock, peak, low, equilibrium, end), and what the blocks between did.
fn blocks(o: &mut String, scenario: &Scenario, run: &RunOutcome) {
    let records = &run.records;
    let _ = writeln!(
        o,
        "BLOCKS (each stretch of eventful blocks: its first, peak and last block)"
    );
    let mut head = format!("  {:>10} {:>11} {:>10} {:>9}", "block", "fundamental", "market", "gas");
    for v in &scenario.venues {
        let name: String = v.name.chars().take(10).collect();
        let _ = write!(head, " {:>11}", format!("{name} oracle"));
    }
    let _ = write!(head, " {:>5} {:>14} {:>12}", "liqs", "repaid", "bad debt");
    let _ = writeln!(o, "{head}");
    let mut shown: Option<usize> = None;
    for (i, notes) in rows(run) {
        let from = shown.map_or(0, |s| s.saturating_add(1));
        if i == from.saturating_add(1) {
            // One block left out: its row takes no more room than saying so.
            if let Some(r) = records.get(from) {
                row(o, r, "");
            }
        } else if i > from {
            gap(o, records.get(from..i).unwrap_or_default());
        }
        if let Some(r) = records.get(i) {
            row(o, r, &notes.join(", "));
        }
        shown = Some(i);
    }
    if records.iter().any(|r| r.venues.iter().any(|v| v.refusal.is_some())) {
        let _ = writeln!(
            o,
            "  (* the venue's guards refuse its oracle price as stale; ! refused for deviation or confidence; - no round yet)"
        );
    }
}

/// The line for blocks left out of the table: how many, and what they did.
fn gap(o: &mut String, skipped: &[BlockRecord]) {
    let n = skipped.len() as u64;
    let liquidations: u64 = skipped.iter().map(|r| u64::from(r.liquidations())).sum();
    let bad = skipped
        .iter()
        .try_fold(Wad::ZERO, |a, r| a.add(r.bad_debt()?))
        .unwrap_or(Wad::ZERO);
    let what = if liquidations == 0 && bad.is_zero() {
        if skipped.windows(2).all(|w| matches!(w, [a, b] if !eventful(b, Some(a)))) {
            format!("{} …", plural(n, "quiet block", "quiet blocks"))
        } else {
            format!("{}: no liquidations …", plural(n, "block", "blocks"))
        }
    } else {
        let mut s = format!(
            "{}: {}",
            plural(n, "block", "blocks"),
            plural(liquidations, "liquidation", "liquidations")
        );
        if !bad.is_zero() {
            let _ = write!(s, ", {} bad debt", num(bad, 2));
        }
        s.push_str(" …");
        s
    };
    let _ = writeln!(o, "  … {what}");
}

fn row(o: &mut String, r: &BlockRecord, note: &str) {
    let _ = write!(
        o,
        "  {:>10} {:>11} {:>10} {:>9}",
        count(r.block),
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
    let _ = write!(
        o,
        " {:>5} {:>14} {:>12}",
        r.liquidations(),
        num(r.repaid().unwrap_or(Wad::ZERO), 2),
        num(r.bad_debt().unwrap_or(Wad::ZERO), 2)
    );
    if note.is_empty() {
        o.push('\n');
    } else {
        let _ = writeln!(o, "  {note}");
    }
}

/// An options venue's lines: its shorts in option units (bought back, written off), the
/// premium absorbed, and its quotes over the run (vol, mark, dynamic margin's moves).
fn options_lines(o: &mut String, l: &lce::cascade::Ledger, opt: &lce::cascade::OptionsStats, short: Wad, ok: &str) {
    let _ = writeln!(
        o,
        "    shorts      {} - bought back {} - written off {} = {} option units  [{}]",
        num(l.debt_initial, 4),
        num(l.debt_repaid_liquidations, 4),
        num(l.option_units_written_off, 4),
        num(short, 4),
        ok
    );
    let _ = writeln!(
        o,
        "    premium     {} absorbed of the shorts' {} written off",
        num(l.waterfall.premium, 2),
        num(l.option_value_written_off, 2)
    );
    if let (Some(first), Some(last)) = (opt.first, opt.last) {
        let _ = writeln!(
            o,
            "    vol         {} -> {} (high {}); mark {} -> {} (high {})",
            num(first.vol, 4),
            num(last.vol, 4),
            num(opt.vol_high, 4),
            num(first.mark, 2),
            num(last.mark, 2),
            num(opt.mark_high, 2)
        );
        if let (Some(a), Some(b), Some(lo), Some(hi)) = (first.dynamic, last.dynamic, opt.margin_low, opt.margin_high) {
            let _ = writeln!(
                o,
                "    dynamic mm  {} -> {} (low {}, high {}); moved in {} blocks, largest rise {}, largest fall {}",
                pct(a),
                pct(b),
                pct(lo),
                pct(hi),
                count(opt.margin_moves),
                pct(opt.margin_largest_rise),
                pct(opt.margin_largest_fall)
            );
        }
    }
}

/// An option pool's lines: its capital and hedge sales, its LP equity (start, low point and
/// its block, last), utilisation, solvency, its waterfall, and its quotes.
fn pool_lines(o: &mut String, p: &lce::cascade::PoolStats, opt: Option<&lce::cascade::OptionsStats>) {
    let _ = writeln!(
        o,
        "    capital     {} - hedge sold {} (in {} blocks, for {}) = {} held + cash {}",
        num(p.capital_start, 4),
        num(p.hedge_sold, 4),
        count(p.hedge_blocks),
        num(p.hedge_proceeds, 2),
        num(p.capital, 4),
        num(p.cash, 2)
    );
    let _ = writeln!(
        o,
        "    LP equity   {} -> {} (low {} at block {}); utilisation high {}; insolvent in {} blocks",
        num(p.equity_start, 2),
        num(p.equity, 2),
        num(p.equity_low, 2),
        count(p.equity_low_block),
        pct(p.utilisation_high),
        count(p.insolvent_blocks)
    );
    let booked = p
        .premium_absorbed
        .add(p.insurance_absorbed)
        .and_then(|x| x.add(p.uncovered));
    let _ = writeln!(
        o,
        "    worst shortfall {} = premium {} + insurance {} + LPs' insolvency {} (booked as it grew)  [{}]",
        num(p.shortfall, 2),
        num(p.premium_absorbed, 2),
        num(p.insurance_absorbed, 2),
        num(p.uncovered, 2),
        if booked == Ok(p.shortfall) { "balanced" } else { "OFF" }
    );
    if let Some((first, last)) = opt.and_then(|q| q.first.zip(q.last)) {
        let q = opt.copied().unwrap_or_default();
        let _ = writeln!(
            o,
            "    vol         {} -> {} (high {}); mark {} -> {} (high {})",
            num(first.vol, 4),
            num(last.vol, 4),
            num(q.vol_high, 4),
            num(first.mark, 2),
            num(last.mark, 2),
            num(q.mark_high, 2)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(plural(0, "liquidation", "liquidations"), "0 liquidations");
        assert_eq!(plural(1, "liquidation", "liquidations"), "1 liquidation");
        assert_eq!(plural(2_000, "block", "blocks"), "2,000 blocks");
        assert_eq!(is_are(1), "is");
        assert_eq!(is_are(3), "are");
    }

    /// Blocks `1..=n` at a fixed price, with one liquidation in the blocks `liquidated` says.
    fn records(n: u64, liquidated: impl Fn(u64) -> bool) -> Vec<BlockRecord> {
        (1..=n)
            .map(|block| {
                let mut r = BlockRecord {
                    block,
                    fundamental: Wad::ONE,
                    market: Wad::ONE,
                    ..BlockRecord::default()
                };
                let venue = lce::cascade::VenueBlock {
                    liquidations: u32::from(liquidated(block)),
                    ..Default::default()
                };
                let _ = r.venues.push(venue);
                r
            })
            .collect()
    }

    #[test]
    fn stretches_are_merged_until_few_remain() {
        // Block 1 (the first is always shown), then two stretches.
        let r = records(20, |b| (5..=7).contains(&b) || b == 12);
        assert_eq!(stretches(&r), [(0, 0), (4, 6), (11, 11)]);
        // A liquidation every third block of 4,000: a handful of stretches, not 1,333.
        let r = records(4_000, |b| b % 3 == 0 || (2_000..2_100).contains(&b));
        let s = stretches(&r);
        assert!(s.len() <= MAX_STRETCHES, "{s:?}");
        assert_eq!(s.first().map(|x| x.0), Some(0));
        assert_eq!(s.last().map(|x| x.1), Some(3_998));
    }
}
