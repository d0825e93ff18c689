//! `lce run`: run a cascade scenario (the bundled default when none is given) and report it
//! as text for people, JSON, CSV or an SVG chart.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use lce::eval::OpError;
use lce::eval::scenario::{RunOutcome, Scenario, read_scenario, report_value};
use serde_json::Value;

use crate::command::{Failure, INTERRUPTED, STOP, catch_ctrl_c, finish, writable, write_file, write_stdout};
use crate::text::plural;
use crate::{chart, table, text};

/// The bundled default scenario.
pub const DEFAULT: &str = include_str!("../../../vectors/scenarios/default.json");

/// The arguments of `lce run`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = AFTER)]
pub struct Args {
    /// A scenario file (JSON; see vectors/scenarios/README.md) [default: the bundled stETH
    /// de-peg scenario]
    #[arg(value_name = "SCENARIO")]
    scenario: Option<PathBuf>,

    /// Print the full machine-readable report (JSON, exact decimal strings) instead of the text
    #[arg(long)]
    json: bool,

    /// Also write the per-block series to FILE as CSV (one row per block, exact decimals)
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,

    /// Also write a chart to FILE as SVG (market, fundamental and oracle prices; liquidations per
    /// block against the block gas cap; bad debt and insolvency)
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,

    /// Run at most N blocks instead of the scenario's max_blocks (1 ..= 10000000)
    #[arg(long, value_name = "N")]
    blocks: Option<u64>,

    /// No progress bar on standard error
    #[arg(long)]
    quiet: bool,
}

/// Told last in `lce run --help`.
const AFTER: &str = "\
The text report leads with the equilibrium, the first block at which the cascade comes to
rest: its market price beside the fundamental (the exogenous path), the exogenous drop, the
cascade's own drop and the amplification (their ratio); the insolvency (bad debt written off
plus debt still under water there); and why the cascade stopped, with its counts:
  exhausted       no account is liquidatable any more
  unprofitable    accounts are liquidatable, and no liquidator finds one worth its slippage,
                  gas and execution risk (the Liquidation Cascade Equilibrium)
  no_liquidators  accounts are liquidatable and no liquidator can act (there are none, gas
                  prices them out, or they are out of capital)
  stale           a venue's oracle is down or refused while accounts are liquidatable at the
                  market price
  block_limit     the block limit came first (max_blocks, --blocks): no equilibrium, every
                  figure is at the last block
  interrupted     Ctrl-C stopped the run at the end of a block: no equilibrium, every figure
                  is the run so far
Then the recovery (blocks until the market is back within a band of the fundamental), the
key metrics, each venue's books at the equilibrium with their conservation identities
checked, the liquidators, and the eventful stretches of blocks (first, peak and last of each).

Runs longer than a second show a progress bar on standard error when it is a terminal: blocks
per second, and the time left to the block limit at that rate (an upper bound: the run usually
stops long before). The --csv and --svg paths are checked before the run starts.

Exit status: 0 on success; 1 when the scenario is invalid (the message names the JSON path of
the bad field and the rule it broke: invalid scenario FILE: `gas.base`: must be > 0) or the
run fails; 2 when a file cannot be read or written; 130 when Ctrl-C
interrupted the run (the report so far is printed, marked interrupted; a second Ctrl-C quits
at once, printing nothing).";

/// Runs `lce run`.
pub fn run(args: &Args) -> ExitCode {
    finish("run", go(args))
}

fn go(args: &Args) -> Result<u8, Failure> {
    catch_ctrl_c();
    let (source, text) = match &args.scenario {
        None => (String::from("the bundled default scenario"), DEFAULT.to_owned()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure(format!("cannot read {}: {e}", path.display()), 2))?;
            (path.display().to_string(), text)
        }
    };
    let value: Value =
        serde_json::from_str(&text).map_err(|e| Failure(format!("{source} is not valid JSON: {e}"), 1))?;
    let Value::Object(map) = value else {
        return Err(Failure(format!("{source}: a scenario is a JSON object"), 1));
    };
    let scenario = read_scenario(&map).map_err(|e| Failure(bad_field(&source, &e), 1))?;
    if let Some(path) = &args.csv {
        writable("the CSV", path)?;
    }
    if let Some(path) = &args.svg {
        writable("the chart", path)?;
    }
    if STOP.load(Ordering::SeqCst) {
        return Err(Failure(String::from("interrupted before the run started"), INTERRUPTED));
    }
    let outcome = run_with_progress(&scenario, args)?;
    if args.json {
        let report = report_value(&scenario, &outcome).map_err(|e| Failure(failed(&e), 1))?;
        let mut text = serde_json::to_string_pretty(&Value::Object(report))
            .map_err(|e| Failure(format!("cannot write the report: {e}"), 2))?;
        text.push('\n');
        write_stdout("the report", &text)?;
    } else {
        let report = text::report(&scenario, &outcome).map_err(|e| Failure(failed(&e), 1))?;
        write_stdout("the report", &report)?;
    }
    if let Some(path) = &args.csv {
        let csv = table::csv(&scenario, &outcome);
        write_file(path, csv)?;
    }
    if let Some(path) = &args.svg {
        let svg = chart::svg(&scenario, &outcome).map_err(|e| Failure(format!("cannot draw the chart: {e}"), 1))?;
        write_file(path, svg)?;
    }
    if outcome.interrupted {
        let _ = writeln!(
            io::stderr(),
            "lce run: interrupted (Ctrl-C) after block {}: the report is the run so far",
            text::count(outcome.report.blocks)
        );
        return Ok(INTERRUPTED);
    }
    Ok(0)
}

/// The message for an invalid scenario: the field and why it is wrong (the rule it broke,
/// a limit included), as `invalid scenario FILE: `WHAT`: WHY` (the kind before the field when
/// it is not `invalid`).
fn bad_field(source: &str, e: &OpError) -> String {
    format!("invalid scenario {source}: {}", error_text(e))
}

fn failed(e: &OpError) -> String {
    format!("the run failed: {}", error_text(e))
}

/// `` `WHAT`: WHY `` for an `invalid` error, `` KIND `WHAT`: WHY `` for another kind (without
/// `: WHY` when the error has none).
fn error_text(e: &OpError) -> String {
    let kind = if e.kind == "invalid" {
        String::new()
    } else {
        format!("{} ", e.kind)
    };
    match &e.why {
        Some(why) => format!("{kind}`{}`: {why}", e.what),
        None => format!("{kind}`{}`", e.what),
    }
}

/// Runs the scenario until it ends or Ctrl-C, with a progress bar on a terminal's standard
/// error once it has taken more than a second.
fn run_with_progress(scenario: &Scenario, args: &Args) -> Result<RunOutcome, Failure> {
    let show = !args.quiet && io::stderr().is_terminal();
    let max = args.blocks.unwrap_or(scenario.max_blocks);
    let bar = ProgressBar::with_draw_target(Some(max), ProgressDrawTarget::hidden());
    bar.set_style(progress_style());
    let started = Instant::now();
    let mut visible = false;
    let mut liquidations: u64 = 0;
    let mut on_block = |r: &lce::cascade::BlockRecord| {
        let n = r.liquidations();
        liquidations = liquidations.saturating_add(u64::from(n));
        if !show {
            return;
        }
        bar.set_position(r.block);
        if n > 0 || r.block.is_multiple_of(256) {
            bar.set_message(plural(liquidations, "liquidation", "liquidations"));
        }
        if !visible && started.elapsed() > Duration::from_secs(1) {
            visible = true;
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    };
    let outcome = scenario.run_until(args.blocks, &mut on_block, &STOP);
    bar.finish_and_clear();
    outcome.map_err(|e| {
        if e.what == "max_blocks" {
            Failure(String::from("--blocks must be in 1 ..= 10000000"), 1)
        } else {
            Failure(failed(&e), 1)
        }
    })
}

/// The progress line: blocks done, the block limit, blocks per second, and the time left to
/// the block limit at that rate (an upper bound, said with `≤`: a run stops once the cascade
/// is at rest and the market has recovered, usually long before its limit). It fits in 80
/// columns.
fn progress_style() -> ProgressStyle {
    ProgressStyle::with_template("block {human_pos} of ≤{human_len} · {rate} · {left} · {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}/s", rate(s.per_sec()));
        })
        .with_key("left", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "≤{} left", duration(s.eta()));
        })
}

/// A rate of blocks per second for people: `12,345`, `12.3`.
pub fn rate(per_sec: f64) -> String {
    if !per_sec.is_finite() || per_sec <= 0.0 {
        String::from("-")
    } else if per_sec >= 100.0 {
        text::count(per_sec.round() as u64)
    } else {
        format!("{per_sec:.1}")
    }
}

/// A duration for people: `45s`, `3m 05s`, `2h 07m`.
pub fn duration(d: Duration) -> String {
    let s = d.as_secs();
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}h {m:02}m")
    } else if m > 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_rates_read_well() {
        assert_eq!(duration(Duration::from_secs(45)), "45s");
        assert_eq!(duration(Duration::from_secs(185)), "3m 05s");
        assert_eq!(duration(Duration::from_secs(7620)), "2h 07m");
        assert_eq!(rate(12_345.4), "12,345");
        assert_eq!(rate(12.34), "12.3");
        assert_eq!(rate(0.0), "-");
    }
}
