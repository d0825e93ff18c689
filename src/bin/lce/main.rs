//! `lce`: the command-line tool of the lce risk kernel.
//!
//! One module per subcommand; `main` only parses the command line and dispatches.

mod chart;
mod command;
mod eval;
mod run;
mod study;
mod study_chart;
mod study_html;
mod study_text;
mod table;
mod text;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "lce",
    version,
    about = "Deterministic fixed-point risk kernel for leveraged DeFi markets",
    long_about = "Deterministic fixed-point risk kernel for leveraged DeFi markets.\n\n\
        In the JSON that lce reads and writes, every number is a string holding its exact \
        decimal value (\"0.05\", \"-12.000000000000000001\"): at most 18 fractional digits, \
        no exponent.",
    propagate_version = true
)]
struct Cli {
    /// What to do.
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate JSON cases (JSON Lines or a JSON array) and print one JSON answer per case.
    Eval(eval::Args),
    /// Run a liquidation cascade scenario (the bundled default when none is given) and report
    /// where it stops, why, and what it cost.
    Run(run::Args),
    /// Run a study: Monte Carlo paths of a scenario, sweeps of its fields, side-by-side variants
    /// on the same paths, and the inverse question (which value makes a statistic cross a
    /// threshold); report the statistics as a table, JSON, CSV, SVG charts or an HTML page.
    Study(study::Args),
}

fn main() -> ExitCode {
    let command = Cli::command().mut_subcommand("eval", eval::with_ops_help);
    let cli = match Cli::from_arg_matches(&command.get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match cli.command {
        Command::Eval(args) => eval::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Study(args) => study::run(&args),
    }
}
