//! `lce study`: run a study (Monte Carlo paths, sweeps, variants, a solve) and report it as a
//! text table, JSON, CSV, an SVG chart or a self-contained HTML page.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use lce::study::{Options, Outcome, Study, StudyError, csv, outcome_value, read_study_file};

use crate::command::{Failure, INTERRUPTED, STOP, catch_ctrl_c, finish, writable, write_file, write_stdout};
use crate::{study_chart, study_html, study_text};

/// The arguments of `lce study`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = AFTER)]
pub struct Args {
    /// A study file (JSON; see vectors/studies/README.md), such as vectors/studies/fat_tails.json
    #[arg(value_name = "STUDY")]
    study: PathBuf,

    /// Print the machine-readable outcome (JSON, exact decimal strings) instead of the text
    #[arg(long)]
    json: bool,

    /// Also write the per-path metrics to FILE as CSV (one row per cell and path, exact
    /// decimals, with each path's seed)
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,

    /// Also write the charts to FILE as SVG (a fan chart of the market price paths, the
    /// histogram of insolvency, the statistic against the swept fields, the solve's probes)
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,

    /// Also write a self-contained HTML report to FILE (tables, charts, sample paths block by
    /// block; no network)
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,

    /// Threads running paths [default: one per core]; the outcome is the same for any number
    #[arg(long, value_name = "N")]
    threads: Option<usize>,

    /// No progress bar on standard error
    #[arg(long)]
    quiet: bool,
}

/// Told last in `lce study --help`.
const AFTER: &str = "\
A study runs one scenario many times: path i of every cell is the scenario with the seed
derive_seed(seed, i) (its population, behaviours and random price path), so every cell sees
the same worlds (common random numbers) and differences between cells are the parameters'
own. Cells are every grid point of the fields in `vary` (at most two) crossed with the base
scenario and each of the `variants`; each path runs to the equilibrium, and each metric
(insolvency, bad debt, amplification, the cascade's drop, prices, liquidations, the
liquidators' profit, each venue's insolvency and waterfall layers) gets its mean, nearest-rank
percentiles (p50, p90, p95, p99), expected shortfalls (es95, es99: the mean of the worst 5 %
and 1 % of paths), max and share of paths above zero, exact on the 1e-18 grid (means and
shortfalls rounded up). A variant's table shows the paired difference, path by path. A `solve`
bisects a field's range for where a statistic crosses a threshold and reports every probe and
whether they were monotone.

The text is one table of cells (insolvency's statistics, the amplification, liquidations and
stops), the variants' differences, and the solve's answer in a sentence. --json prints every
statistic of every metric; --csv writes every path's metrics with its seed (lce run of the
cell's scenario with that seed reproduces the path).

Paths run in parallel (--threads, default all cores) and the outcome is bit-identical whatever
the number of threads. Runs longer than a second show a progress bar on standard error when it
is a terminal: paths per second and the time left. Ctrl-C stops at once and prints the paths
finished in every cell (exit status 130; a second Ctrl-C quits at once, printing nothing).

Exit status: 0 on success; 1 when the study is invalid (the message says where and why) or a
path fails; 2 when a file cannot be read or written; 130 when Ctrl-C interrupted the study.";

/// Runs `lce study`.
pub fn run(args: &Args) -> ExitCode {
    finish("study", go(args))
}

/// The message of an invalid study.
fn bad_study(file: &str, e: &StudyError) -> String {
    format!("invalid study {file}: {e}")
}

fn go(args: &Args) -> Result<u8, Failure> {
    catch_ctrl_c();
    let file = args.study.display().to_string();
    let study = read_study_file(&args.study).map_err(|e| {
        let code = if e.what == "study" && e.why.starts_with("cannot read") {
            2
        } else {
            1
        };
        Failure(bad_study(&file, &e), code)
    })?;
    for (what, path) in [
        ("the CSV", &args.csv),
        ("the chart", &args.svg),
        ("the report", &args.html),
    ] {
        if let Some(path) = path {
            writable(what, path)?;
        }
    }
    if args.threads == Some(0) {
        return Err(Failure(String::from("--threads must be at least 1"), 1));
    }
    let charts = args.svg.is_some() || args.html.is_some();
    let started = Instant::now();
    let outcome = run_with_progress(&study, args, charts)?;
    let elapsed = started.elapsed();
    if args.json {
        let mut text = serde_json::to_string_pretty(&outcome_value(&study, &outcome))
            .map_err(|e| Failure(format!("cannot write the outcome: {e}"), 2))?;
        text.push('\n');
        write_stdout("the outcome", &text)?;
    } else {
        write_stdout("the outcome", &study_text::report(&study, &outcome))?;
    }
    if let Some(path) = &args.csv {
        write_file(path, csv(&study, &outcome))?;
    }
    if let Some(path) = &args.svg {
        let svg = study_chart::svg(&study, &outcome).map_err(|e| Failure(format!("cannot draw the chart: {e}"), 1))?;
        write_file(path, svg)?;
    }
    if let Some(path) = &args.html {
        let html =
            study_html::page(&study, &outcome).map_err(|e| Failure(format!("cannot make the report: {e}"), 1))?;
        write_file(path, html)?;
    }
    if !args.quiet {
        let paths = u64::from(outcome.paths).saturating_mul(outcome.cells.len() as u64);
        let _ = writeln!(io::stderr(), "lce study: {}", speed(paths, elapsed));
    }
    if outcome.interrupted {
        let _ = writeln!(
            io::stderr(),
            "lce study: interrupted (Ctrl-C): the outcome covers the first {} of {} paths of every cell",
            outcome.paths,
            study.paths
        );
        return Ok(INTERRUPTED);
    }
    Ok(0)
}

/// `N paths in S s (R paths/s)`, for people (floats for display only).
#[allow(clippy::float_arithmetic, clippy::cast_precision_loss, clippy::as_conversions)]
fn speed(paths: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 { paths as f64 / secs } else { 0.0 };
    format!("{} paths in {secs:.1} s ({rate:.1} paths/s)", crate::text::count(paths))
}

/// Runs the study with a progress bar on a terminal's standard error after a second.
fn run_with_progress(study: &Study, args: &Args, charts: bool) -> Result<Outcome, Failure> {
    let show = !args.quiet && io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    bar.set_style(progress_style());
    let started = Instant::now();
    let visible = AtomicBool::new(false);
    let progress = |done: u64, total: u64| {
        if !show {
            return;
        }
        bar.set_length(total.max(done));
        bar.set_position(done);
        if !visible.load(Ordering::Relaxed) && started.elapsed() > Duration::from_secs(1) {
            visible.store(true, Ordering::Relaxed);
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    };
    let options = Options {
        threads: args.threads.unwrap_or(0),
        series: if charts {
            study_chart::fan_cells(study)
        } else {
            Vec::new()
        },
        stop: Some(&STOP),
        progress: Some(&progress),
    };
    let outcome = study.run(&options);
    bar.finish_and_clear();
    outcome.map_err(|e| Failure(format!("the study failed: {e}"), 1))
}

/// The progress line: paths done of all, paths per second, and the time left at that rate.
fn progress_style() -> ProgressStyle {
    ProgressStyle::with_template("path {human_pos} of {human_len} · {rate} · {left} left")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{} paths/s", crate::run::rate(s.per_sec()));
        })
        .with_key("left", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}", crate::run::duration(s.eta()));
        })
}
