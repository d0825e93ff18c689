//! `lce eval`: evaluate JSON cases, or check them against their `expect`.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use lce::eval::{Entry, Item, OPS, Session, check, read_cases};
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

Answers are written as they are computed: each is on standard output before lce eval waits
for more input, so a program (a keeper, an oracle node) can keep one lce eval open, write a
case, read its answer line, and write the next.

A "define" case names a token set for the rest of the run (every FILE after it included):
  {"op": "define", "input": {"name": "mainnet", "tokens": [...], "perps": [...], "options": [...]}}
  -> {"op":"define","input":{...},"output":{"name":"mainnet","tokens":2,"perps":0,"options":0}}
and a later "health" or "liquidate" case may give "tokens": "mainnet" instead of the arrays
(its perps and options come with it). Defining a name again replaces the set; a name never
defined is {"kind": "invalid", "what": "tokens", "why": "no token set named ..."}.

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
    let out = RefCell::new(io::BufWriter::with_capacity(OUT_BUFFER, io::stdout().lock()));
    let mut tally = Tally::default();
    let mut unreadable = false;
    let mut session = Session::new();
    let mut run = Run {
        session: &mut session,
        check: args.check,
        tally: &mut tally,
        out: &out,
    };
    for path in sources {
        let result = if path.as_os_str() == "-" {
            run.source("<stdin>", io::stdin())
        } else {
            let name = path.display().to_string();
            match File::open(path) {
                Ok(file) => run.source(&name, file),
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
    let mut out = out.into_inner();
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

/// The size of the output buffer: answers are written out when it is full, or before the
/// input is waited for.
const OUT_BUFFER: usize = 1 << 16;

/// The size of the input buffer of each source.
const IN_BUFFER: usize = 1 << 16;

/// What `lce eval` keeps across its sources.
struct Run<'r, W: Write> {
    /// The definitions of the whole run.
    session: &'r mut Session,
    check: bool,
    tally: &'r mut Tally,
    out: &'r RefCell<W>,
}

impl<W: Write> Run<'_, W> {
    /// Evaluates the cases of one source, printing answers (or, with `check`, mismatches).
    fn source(&mut self, name: &str, source: impl Read) -> Result<(), Failure> {
        let reader = FlushBeforeWait {
            inner: BufReader::with_capacity(IN_BUFFER, source),
            out: self.out,
        };
        let mut cases = read_cases(reader);
        let mut answer = Vec::with_capacity(1024);
        while let Some(item) = cases.next_item() {
            let item = item.map_err(|e| match e.kind() {
                // The flush before a wait failed: standard output is gone.
                io::ErrorKind::BrokenPipe | io::ErrorKind::WriteZero => Failure::Write(e),
                _ => Failure::Read(e),
            })?;
            let mut out = self.out.borrow_mut();
            if self.check {
                let entry = item.parse();
                let answer = match &entry.case {
                    Ok(case) => self.session.eval(case),
                    Err(_) => entry.answer(),
                };
                if let Some(mismatch) = check_entry(&entry, &answer, self.tally) {
                    writeln!(out, "{name}:{}: {mismatch}", entry.line).map_err(Failure::Write)?;
                }
                continue;
            }
            answer.clear();
            match item {
                Item::Line { line, text } => self.session.answer_line(line, &text, &mut answer),
                Item::Entry(entry) => {
                    let written = match &entry.case {
                        Ok(case) => self.session.eval_into(case, &mut answer),
                        Err(_) => serde_json::to_writer(&mut answer, &entry.answer()).map_err(io::Error::from),
                    };
                    written.map_err(Failure::Write)?;
                }
            }
            answer.push(b'\n');
            out.write_all(&answer).map_err(Failure::Write)?;
        }
        Ok(())
    }
}

/// A buffered source that flushes the output before it waits for more input: every answer
/// to what was read is out before the next read, so a program talking through a pipe gets
/// each answer as soon as it is computed, while a file or a full pipe is answered in large
/// writes.
struct FlushBeforeWait<'o, R, W: Write> {
    inner: BufReader<R>,
    out: &'o RefCell<W>,
}

impl<R: Read, W: Write> FlushBeforeWait<'_, R, W> {
    /// Flushes the output if the next read has to wait for the source.
    fn flush_if_empty(&self) -> io::Result<()> {
        if self.inner.buffer().is_empty() {
            self.out.borrow_mut().flush()?;
        }
        Ok(())
    }
}

impl<R: Read, W: Write> Read for FlushBeforeWait<'_, R, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.flush_if_empty()?;
        self.inner.read(buf)
    }
}

impl<R: Read, W: Write> BufRead for FlushBeforeWait<'_, R, W> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.flush_if_empty()?;
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
    }
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
