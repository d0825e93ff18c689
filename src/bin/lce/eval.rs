//! `lce eval`: evaluate JSON cases, or check them against their `expect`.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use lce::eval::{Entry, OPS, check, read_cases};
use serde_json::Value;

/// The arguments of `lce eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files of cases, read in order ("-" is standard input) [default: standard input]
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Check each answer against the case's "expect" instead of printing it
    ///
    /// Prints one line per mismatch and a closing line "N passed, M failed"; cases without
    /// "expect" are counted neither as passed nor as failed. Exit status 1 if any case failed.
    #[arg(long)]
    check: bool,
}

/// The protocol, told after the options of `lce eval --help`.
const PROTOCOL: &str = r#"Reads the cases of each FILE in order (standard input when there is none) and
writes one answer per case to standard output, one compact JSON line each, in order.

A source is JSON Lines (one case per line, blank lines skipped) or, when its first
non-whitespace character is '[', one JSON array of cases.

  case:    {"op": "exp", "input": {"x": "1.5", "round": "floor"}, "expect": {...}, "note": "..."}
  answer:  {"op":"exp","input":{"x":"1.5","round":"floor"},"output":{"y":"4.481689070338064822"}}
      or:  {"op":"div","input":{"a":"1","b":"0"},"error":{"kind":"division_by_zero","what":"division by zero"}}

Numbers are JSON strings holding their exact decimal value ("0.05", "-12.000000000000000001"):
at most 18 fractional digits, no exponent; a JSON number is rejected, since it would not stay
exact. "round" is "floor" (the default) or "ceil". Errors are {"kind": KIND, "what": WHAT}:
  - a missing or malformed field, a value outside the number range, a bad "round", or an input
    key the op does not take:            {"kind": "invalid", "what": FIELD}
  - an unknown or missing "op":          {"kind": "invalid", "what": "op"}
  - a missing or non-object "input":     {"kind": "invalid", "what": "input"}
  - a case that is not a JSON object:    {"kind": "invalid", "what": "case"}
    ("op" and "input" are null in the answer when the case has none)
  - a line that is not JSON: the answer is
    {"op": null, "input": null, "error": {"kind": "invalid", "what": "json: ..."}}
    and the run goes on with the next line
  - the kernel's own errors: "overflow", "division_by_zero", "domain", "capacity"

With --check, the answers are not printed. Each case's answer is compared with its "expect":
an output object such as {"y": "1.5"} (compared as JSON: numbers as their canonical text), or
{"error": {"kind": KIND, "what": WHAT}} ("what" is optional). Each mismatch is printed as
  FILE:LINE: OP INPUT: expected ..., got ...
and the last line is "N passed, M failed". Cases without "expect" are counted neither as
passed nor as failed; a line that is not JSON, or not a JSON object, counts as failed."#;

/// The exit status, told last in `lce eval --help`.
const EXIT_STATUS: &str = "Exit status: 0 on success; 1 when --check found a failed case; 2 when a FILE
could not be read (the other files are still evaluated), the output could not be written,
or the command line is wrong.";

/// Adds the protocol, the table of ops and the exit status to the help of `lce eval`.
pub fn with_ops_help(command: clap::Command) -> clap::Command {
    let name_width = OPS.iter().map(|op| op.name.len()).max().unwrap_or(0);
    let usage_width = OPS.iter().map(|op| op.usage.len()).max().unwrap_or(0);
    let mut ops = String::new();
    for op in OPS {
        let _ = writeln!(ops, "  {:name_width$}  {:usage_width$}  {}", op.name, op.usage, op.doc);
    }
    command
        .after_help("Use --help for the protocol, the ops and the exit status.")
        .after_long_help(format!(
            "{PROTOCOL}\n\nOps (input fields -> output fields):\n{ops}\n{EXIT_STATUS}"
        ))
}

/// Counts of `--check`.
#[derive(Debug, Default)]
struct Tally {
    passed: u64,
    failed: u64,
    unchecked: u64,
}

/// Why a source could not be finished.
enum Failure {
    /// The source could not be read: exit status 2, the other sources are still evaluated.
    Read(io::Error),
    /// Standard output could not be written: stop at once with exit status 2.
    Write(io::Error),
}

/// Runs `lce eval`.
pub fn run(args: &Args) -> ExitCode {
    let stdin_only = [PathBuf::from("-")];
    let sources = if args.files.is_empty() {
        &stdin_only[..]
    } else {
        &args.files[..]
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut tally = Tally::default();
    let mut unreadable = false;
    for path in sources {
        let result = if path.as_os_str() == "-" {
            eval_source("<stdin>", io::stdin().lock(), true, args.check, &mut tally, &mut out)
        } else {
            let name = path.display().to_string();
            match File::open(path) {
                Ok(file) => eval_source(&name, BufReader::new(file), false, args.check, &mut tally, &mut out),
                Err(e) => Err(Failure::Read(e)),
            }
        };
        match result {
            Ok(()) => {}
            Err(Failure::Read(e)) => {
                let name = if path.as_os_str() == "-" {
                    "<stdin>".into()
                } else {
                    path.display().to_string()
                };
                eprintln!("lce eval: cannot read {name}: {e}");
                unreadable = true;
            }
            Err(Failure::Write(e)) => return write_failed(&e),
        }
    }
    if args.check {
        if let Err(e) = writeln!(out, "{} passed, {} failed", tally.passed, tally.failed) {
            return write_failed(&e);
        }
        if tally.unchecked > 0 {
            eprintln!(
                "lce eval: {} case(s) without \"expect\" were not checked",
                tally.unchecked
            );
        }
    }
    if let Err(e) = out.flush() {
        return write_failed(&e);
    }
    if unreadable {
        ExitCode::from(2)
    } else if tally.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Reports a failure to write standard output (quietly when the reader went away).
fn write_failed(e: &io::Error) -> ExitCode {
    if e.kind() != io::ErrorKind::BrokenPipe {
        eprintln!("lce eval: cannot write the output: {e}");
    }
    ExitCode::from(2)
}

/// Evaluates the cases of one source, printing answers (or, with `check`, mismatches).
/// `interactive` flushes each line at once, for a program talking through a pipe.
fn eval_source(
    name: &str,
    source: impl BufRead,
    interactive: bool,
    check: bool,
    tally: &mut Tally,
    out: &mut impl Write,
) -> Result<(), Failure> {
    for entry in read_cases(source) {
        let entry = entry.map_err(Failure::Read)?;
        let answer = entry.answer();
        if check {
            if let Some(mismatch) = check_entry(&entry, &answer, tally) {
                writeln!(out, "{name}:{}: {mismatch}", entry.line).map_err(Failure::Write)?;
            }
        } else {
            writeln!(out, "{answer}").map_err(Failure::Write)?;
        }
        if interactive {
            out.flush().map_err(Failure::Write)?;
        }
    }
    Ok(())
}

/// Counts one entry in `tally`; returns the mismatch message when it failed.
fn check_entry(entry: &Entry, answer: &Value, tally: &mut Tally) -> Option<String> {
    let failure = match &entry.case {
        Err(what) => Some(what.clone()),
        Ok(case) if !case.is_object() => Some(format!("case is not a JSON object: {case}")),
        Ok(case) => {
            let Some(expect) = entry.expect() else {
                tally.unchecked = tally.unchecked.saturating_add(1);
                return None;
            };
            check(answer, expect)
                .err()
                .map(|why| format!("{} {}: {why}", show(case.get("op")), show(case.get("input"))))
        }
    };
    if failure.is_some() {
        tally.failed = tally.failed.saturating_add(1);
    } else {
        tally.passed = tally.passed.saturating_add(1);
    }
    failure
}

/// A field of a case for a mismatch line: a string as it is, other JSON compact, `-` if absent.
fn show(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::from("-"),
    }
}
