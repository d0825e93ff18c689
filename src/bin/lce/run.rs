//! `lce run`: run a cascade scenario (the bundled default when none is given) and report it
//! as text for people, JSON, CSV or an SVG chart.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use lce::eval::OpError;
use lce::eval::scenario::{MAX_ACCOUNTS, RunOutcome, Scenario, read_scenario, report_value};
use serde_json::Value;

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

    /// Also write a chart to FILE as SVG (prices, liquidations per block, cumulative bad debt)
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,

    /// Run at most N blocks instead of the scenario's max_blocks (1 ..= 10000000)
    #[arg(long, value_name = "N")]
    blocks: Option<u64>,

    /// No progress line on standard error
    #[arg(long)]
    quiet: bool,
}

/// Told last in `lce run --help`.
const AFTER: &str = "The text report names the equilibrium (price, drawdown and why the cascade \
stopped: exhausted, unprofitable, stale or block_limit), the key metrics, each venue's ledger \
with its conservation identities checked, the liquidators, and the blocks where something \
happened. Runs longer than a second show a progress line on standard error when it is a \
terminal.\n\nExit status: 0 on success; 1 when the scenario is invalid (the message names the \
JSON path of the bad field) or the run fails; 2 when a file cannot be read or written.";

/// A failure of `lce run`: its message and exit status.
struct Failure(String, u8);

/// Runs `lce run`.
pub fn run(args: &Args) -> ExitCode {
    match go(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message, code)) => {
            let _ = writeln!(io::stderr(), "lce run: {message}");
            ExitCode::from(code)
        }
    }
}

fn go(args: &Args) -> Result<(), Failure> {
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
    let outcome = run_with_progress(&scenario, args)?;
    if args.json {
        let report = report_value(&scenario, &outcome).map_err(|e| Failure(failed(&e), 1))?;
        let mut text = serde_json::to_string_pretty(&Value::Object(report))
            .map_err(|e| Failure(format!("cannot write the report: {e}"), 2))?;
        text.push('\n');
        write_stdout(&text)?;
    } else {
        let report = text::report(&scenario, &outcome).map_err(|e| Failure(failed(&e), 1))?;
        write_stdout(&report)?;
    }
    if let Some(path) = &args.csv {
        let csv = table::csv(&scenario, &outcome);
        std::fs::write(path, csv).map_err(|e| Failure(format!("cannot write {}: {e}", path.display()), 2))?;
    }
    if let Some(path) = &args.svg {
        let svg = chart::svg(&scenario, &outcome).map_err(|e| Failure(format!("cannot draw the chart: {e}"), 1))?;
        std::fs::write(path, svg).map_err(|e| Failure(format!("cannot write {}: {e}", path.display()), 2))?;
    }
    Ok(())
}

fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Failure(format!("cannot write the report: {e}"), 2))
}

/// The message for an invalid scenario, naming the field and, for a limit, the limit.
fn bad_field(source: &str, e: &OpError) -> String {
    let hint = if e.what.ends_with(".count") || e.what.ends_with(".accounts") {
        format!(" (at most {MAX_ACCOUNTS} accounts per venue)")
    } else if e.what == "max_blocks" {
        String::from(" (1 ..= 10000000 blocks)")
    } else if e.what == "venues" {
        String::from(" (1 to 4 venues)")
    } else if e.what == "liquidators" {
        String::from(" (at most 64 liquidators)")
    } else {
        String::new()
    };
    format!("invalid scenario {source}: {} `{}`{hint}", e.kind, e.what)
}

fn failed(e: &OpError) -> String {
    format!("the run failed: {} `{}`", e.kind, e.what)
}

/// Runs the scenario, with a progress line on a terminal's standard error once it has taken
/// more than a second.
fn run_with_progress(scenario: &Scenario, args: &Args) -> Result<RunOutcome, Failure> {
    let show = !args.quiet && io::stderr().is_terminal();
    let max = args.blocks.unwrap_or(scenario.max_blocks);
    let started = Instant::now();
    let mut last = started;
    let mut shown = false;
    let mut liquidations: u64 = 0;
    let mut on_block = |r: &lce::cascade::BlockRecord| {
        liquidations = liquidations.saturating_add(u64::from(r.liquidations()));
        if !show || r.block % 64 != 0 {
            return;
        }
        let now = Instant::now();
        if now.duration_since(started) > Duration::from_secs(1) && now.duration_since(last) > Duration::from_millis(100)
        {
            last = now;
            shown = true;
            let _ = write!(
                io::stderr(),
                "\rblock {} / {max}, {liquidations} liquidations so far ",
                r.block
            );
        }
    };
    let outcome = scenario.run(args.blocks, &mut on_block);
    if shown {
        let _ = write!(io::stderr(), "\r{:60}\r", "");
    }
    outcome.map_err(|e| {
        if e.what == "max_blocks" {
            Failure(String::from("--blocks must be in 1 ..= 10000000"), 1)
        } else {
            Failure(failed(&e), 1)
        }
    })
}
