//! The `lce` binary: `lce eval` on small inputs and `lce run` on the bundled scenario and small
//! ones, with exact output lines and exit codes.
#![cfg(feature = "cli")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What a run of the binary gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `lce` with `args`, writing `stdin` to its standard input.
fn lce(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lce"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the lce binary runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("lce exits with a status"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A file with `text` in a directory of this test binary's own, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("lce-cli-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        Self(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

#[test]
fn json_lines_from_stdin() {
    let input = r#"{"op": "mul", "input": {"a": "1.5", "b": "2"}}

{"op": "div", "input": {"a": "1", "b": "3", "round": "ceil"}, "expect": {"y": "0.333333333333333334"}, "note": "n"}
{"op":"div","input":{"a":"1","b":"0"}}
{"op":"mul","input":{"a":1,"b":"2"}}
{"op":"nope","input":{}}
"#;
    let run = lce(&["eval"], input);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(
        lines(&run.stdout),
        [
            r#"{"op":"mul","input":{"a":"1.5","b":"2"},"output":{"y":"3"}}"#,
            r#"{"op":"div","input":{"a":"1","b":"3","round":"ceil"},"output":{"y":"0.333333333333333334"}}"#,
            r#"{"op":"div","input":{"a":"1","b":"0"},"error":{"kind":"division_by_zero","what":"division by zero"}}"#,
            r#"{"op":"mul","input":{"a":1,"b":"2"},"error":{"kind":"invalid","what":"a","why":"must be a decimal string, not a JSON number"}}"#,
            r#"{"op":"nope","input":{},"error":{"kind":"invalid","what":"op","why":"unknown op (`lce eval --help` lists them)"}}"#,
        ]
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn a_json_array() {
    let input = r#"  [
  {"op": "mul", "input": {"b": "-2", "a": "0.25", "round": "floor"}},
  {"op": "div", "input": {"a": "7", "b": "2"}},
  5
]
"#;
    let run = lce(&["eval", "-"], input);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(
        lines(&run.stdout),
        [
            r#"{"op":"mul","input":{"b":"-2","a":"0.25","round":"floor"},"output":{"y":"-0.5"}}"#,
            r#"{"op":"div","input":{"a":"7","b":"2"},"output":{"y":"3.5"}}"#,
            r#"{"op":null,"input":null,"error":{"kind":"invalid","what":"case","why":"must be a JSON object, not a JSON number"}}"#,
        ]
    );
}

#[test]
fn a_malformed_line_in_the_middle_is_answered_and_the_run_goes_on() {
    let input = concat!(
        r#"{"op":"mul","input":{"a":"2","b":"3"}}"#,
        "\n",
        r#"{"op":"mul","input":{"a":"2","b":"3"}"#,
        "\n",
        "not json\n",
        r#"{"op":"div","input":{"a":"2","b":"3"}}"#,
        "\n",
    );
    let run = lce(&["eval"], input);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(
        lines(&run.stdout),
        [
            r#"{"op":"mul","input":{"a":"2","b":"3"},"output":{"y":"6"}}"#,
            r#"{"op":null,"input":null,"error":{"kind":"invalid","what":"json: EOF while parsing an object at line 2 column 37","why":"the text is not valid JSON"}}"#,
            r#"{"op":null,"input":null,"error":{"kind":"invalid","what":"json: expected ident at line 3 column 2","why":"the text is not valid JSON"}}"#,
            r#"{"op":"div","input":{"a":"2","b":"3"},"output":{"y":"0.666666666666666666"}}"#,
        ]
    );
}

#[test]
fn files_are_read_in_order() {
    let a = TempFile::new(
        "order-a.jsonl",
        "{\"op\":\"mul\",\"input\":{\"a\":\"1\",\"b\":\"1\"}}\n",
    );
    let b = TempFile::new("order-b.json", "[{\"op\":\"mul\",\"input\":{\"a\":\"2\",\"b\":\"1\"}}]");
    let run = lce(&["eval", b.path(), a.path(), b.path()], "");
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(
        lines(&run.stdout),
        [
            r#"{"op":"mul","input":{"a":"2","b":"1"},"output":{"y":"2"}}"#,
            r#"{"op":"mul","input":{"a":"1","b":"1"},"output":{"y":"1"}}"#,
            r#"{"op":"mul","input":{"a":"2","b":"1"},"output":{"y":"2"}}"#,
        ]
    );
}

#[test]
fn check_passes_with_exit_0() {
    let input = r#"{"op":"mul","input":{"a":"1.5","b":"2"},"expect":{"y":"3"}}
{"op":"div","input":{"a":"1","b":"0"},"expect":{"error":{"kind":"division_by_zero"}}}
{"op":"mul","input":{"a":"x","b":"2"},"expect":{"error":{"kind":"invalid","what":"a"}}}
{"op":"mul","input":{"a":"1","b":"2"}}
"#;
    let run = lce(&["eval", "--check"], input);
    assert_eq!(run.code, 0, "stdout: {}", run.stdout);
    assert_eq!(lines(&run.stdout), ["3 passed, 0 failed"]);
    assert_eq!(run.stderr, "lce eval: 1 case(s) without \"expect\" were not checked\n");
}

#[test]
fn check_fails_with_exit_1_and_lists_the_mismatches() {
    let file = TempFile::new(
        "check-fail.jsonl",
        r#"{"op":"mul","input":{"a":"1.5","b":"2"},"expect":{"y":"3"}}
{"op":"div","input":{"a":"1","b":"3"},"expect":{"y":"0.333333333333333334"}}

{"op":"div","input":{"a":"1","b":"0"},"expect":{"error":{"kind":"overflow"}}}
{"op":"mul","input":{"a":"1","b":"1"},"expect":{"error":{"kind":"invalid","what":"b"}}}
oops
"#,
    );
    let run = lce(&["eval", "--check", file.path()], "");
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let f = file.path();
    assert_eq!(
        lines(&run.stdout),
        [
            format!(
                r#"{f}:2: div {{"a":"1","b":"3"}}: expected output {{"y":"0.333333333333333334"}}, got output {{"y":"0.333333333333333333"}}"#
            ),
            format!(
                r#"{f}:4: div {{"a":"1","b":"0"}}: expected error {{"kind":"overflow"}}, got error {{"kind":"division_by_zero","what":"division by zero"}}"#
            ),
            format!(
                r#"{f}:5: mul {{"a":"1","b":"1"}}: expected error {{"kind":"invalid","what":"b"}}, got output {{"y":"1"}}"#
            ),
            format!("{f}:6: json: expected value at line 6 column 1"),
            "1 passed, 4 failed".to_string(),
        ]
    );
}

#[test]
fn a_missing_file_exits_2_and_the_other_files_are_still_read() {
    let good = TempFile::new(
        "present.jsonl",
        "{\"op\":\"mul\",\"input\":{\"a\":\"1\",\"b\":\"2\"},\"expect\":{\"y\":\"2\"}}\n",
    );
    let missing = std::env::temp_dir().join("lce-cli-test-no-such-dir/missing.jsonl");
    let missing = missing.to_str().unwrap();
    let run = lce(&["eval", missing, good.path()], "");
    assert_eq!(run.code, 2);
    assert_eq!(
        lines(&run.stdout),
        [r#"{"op":"mul","input":{"a":"1","b":"2"},"output":{"y":"2"}}"#]
    );
    assert!(
        run.stderr.starts_with(&format!("lce eval: cannot read {missing}: ")),
        "stderr: {}",
        run.stderr
    );

    let run = lce(&["eval", "--check", good.path(), missing], "");
    assert_eq!(run.code, 2);
    assert_eq!(lines(&run.stdout), ["1 passed, 0 failed"]);
}

#[test]
fn empty_input_gives_no_answer() {
    let run = lce(&["eval"], "\n\n");
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
    let run = lce(&["eval", "--check"], "");
    assert_eq!((run.code, run.stdout.as_str()), (0, "0 passed, 0 failed\n"));
}

#[test]
fn help_lists_the_ops_and_the_exit_status() {
    let run = lce(&["eval", "--help"], "");
    assert_eq!(run.code, 0);
    for op in [
        "mul", "div", "exp", "ln", "sqrt", "pow", "norm_cdf", "norm_pdf", "norm_inv",
    ] {
        assert!(
            run.stdout.contains(&format!("\n  {op} ")),
            "{op} missing from:\n{}",
            run.stdout
        );
    }
    assert!(run.stdout.contains("counted neither as passed nor as failed"));
    assert!(
        run.stdout
            .contains("Exit status: 0 on success; 1 when --check found a failed case; 2 when")
    );
    let run = lce(&["frobnicate"], "");
    assert_eq!(run.code, 2);
}

#[test]
fn answers_stream_one_line_at_a_time_on_stdin() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_lce"))
        .arg("eval")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    for (case, expected) in [
        (
            r#"{"op":"mul","input":{"a":"2","b":"2"}}"#,
            r#"{"op":"mul","input":{"a":"2","b":"2"},"output":{"y":"4"}}"#,
        ),
        (
            r#"{"op":"div","input":{"a":"2","b":"4"}}"#,
            r#"{"op":"div","input":{"a":"2","b":"4"},"output":{"y":"0.5"}}"#,
        ),
    ] {
        // The answer comes before standard input is closed.
        writeln!(stdin, "{case}").unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        assert_eq!(line.trim_end(), expected);
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

/// A keeper's loop: one `lce eval` kept open, one case written, its answer read (within a
/// timeout, while standard input stays open) before the next is written; a token set defined
/// once and named by the later cases.
#[test]
fn eval_is_a_service_answering_each_line_before_the_next_is_written() {
    use std::io::{BufRead, BufReader};
    use std::sync::mpsc;
    use std::time::Duration;

    let mut child = Command::new(env!("CARGO_BIN_EXE_lce"))
        .arg("eval")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    // Lines are read on a thread of their own, so that a missing answer fails the test after
    // the timeout instead of hanging it.
    let (lines_tx, lines_rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in stdout.lines() {
            if lines_tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let token = r#"{"price":"2500","init_asset_weight":"0.75","maint_asset_weight":"0.8","init_liab_weight":"1","maint_liab_weight":"1"}"#;
    let usd = r#"{"price":"1","init_asset_weight":"1","maint_asset_weight":"1","init_liab_weight":"1","maint_liab_weight":"1"}"#;
    let define = format!(r#"{{"op":"define","input":{{"name":"mainnet","tokens":[{token},{usd}]}}}}"#);
    let health = |debt: &str| {
        format!(
            r#"{{"op":"health","input":{{"tokens":"mainnet","account":[{{"token":0,"balance":"4"}},{{"token":1,"balance":"-{debt}"}}]}}}}"#
        )
    };
    let exchanges = [
        (
            define.clone(),
            r#""output":{"name":"mainnet","tokens":2,"perps":0,"options":0}"#,
        ),
        (health("6000"), r#""factor":"1.333333333333333333""#),
        (health("8000"), r#""liquidatable":false"#),
        (health("8001"), r#""liquidatable":true"#),
        (
            String::from(r#"{"op":"health","input":{"tokens":"testnet","account":[]}}"#),
            r#""what":"tokens""#,
        ),
        (String::from("not json"), r#""error":{"kind":"invalid""#),
    ];
    for (case, expected) in exchanges {
        writeln!(stdin, "{case}").unwrap();
        stdin.flush().unwrap();
        let answer = lines_rx
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|e| panic!("no answer to {case} within 10 s ({e}): answers are not flushed line by line"));
        assert!(
            answer.contains(expected),
            "{case} answered {answer}, without {expected}"
        );
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
}

#[test]
fn a_definition_lasts_for_the_rest_of_the_run_and_a_redefinition_replaces_it() {
    let token = |price: &str| {
        format!(
            r#"{{"price":"{price}","init_asset_weight":"0.5","maint_asset_weight":"0.5","init_liab_weight":"1","maint_liab_weight":"1"}}"#
        )
    };
    let define = |price: &str| {
        format!(
            r#"{{"op":"define","input":{{"name":"m","tokens":[{}]}}}}"#,
            token(price)
        )
    };
    let health = r#"{"op":"health","input":{"tokens":"m","account":[{"token":0,"balance":"1"}]}}"#;
    let first = TempFile::new("defines.jsonl", &format!("{}\n", define("2")));
    let second = TempFile::new("uses.jsonl", &format!("{health}\n{}\n{health}\n", define("4")));
    let run = lce(&["eval", first.path(), second.path()], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let answers = lines(&run.stdout);
    assert_eq!(answers.len(), 4);
    // Defined in the first file, named in the second.
    assert!(answers[1].contains(r#""maintenance":{"assets":"1","#), "{}", answers[1]);
    assert!(answers[3].contains(r#""maintenance":{"assets":"2","#), "{}", answers[3]);
}

// ---- lce run -------------------------------------------------------------------------------

/// The bundled default scenario's text, with `edit` applied to its JSON.
fn default_scenario_with(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/scenarios/default.json");
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut v);
    v.to_string()
}

/// The lines of `text` from the one starting with `first` to the blank line after it.
fn section<'t>(text: &'t str, first: &str) -> Vec<&'t str> {
    text.lines()
        .skip_while(|l| !l.starts_with(first))
        .take_while(|l| !l.is_empty())
        .collect()
}

#[test]
fn run_with_no_argument_leads_with_the_equilibrium_and_the_insolvency() {
    let run = lce(&["run"], "");
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(run.stdout.starts_with("lce run: stETH de-peg\n"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("\n2 venues, 5,000 accounts, 3 liquidators, seed 7\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        section(&run.stdout, "EQUILIBRIUM"),
        [
            "EQUILIBRIUM at block 75 (the first block at rest; 144 blocks run)",
            "  market price at the equilibrium        1,613.19   fundamental 1,700.00; start 2,000.00",
            "  exogenous drop (the shock)               300.00   15.00 % of the start",
            "  the cascade's drop                       386.81   19.34 % of the start, the sales' impact included",
            "  amplification                             1.29x   the cascade's drop / the exogenous drop",
            "  low                                    1,556.51   block 46: drawdown 22.17 %, 1.48x the exogenous drop then",
            "  insolvency                           543,278.96   bad debt 346,660.06 + unrealised 196,618.89 (still under water at the equilibrium)",
            "  stopped  unprofitable: 1,183 accounts are still liquidatable, but none of the 3",
            "           liquidators that could act finds one worth its slippage, gas and execution risk:",
            "           the Liquidation Cascade Equilibrium.",
        ]
    );
    assert_eq!(
        section(&run.stdout, "RECOVERY"),
        [
            "RECOVERY  the market was back within 0.1 % of the fundamental 69 blocks after the",
            "          equilibrium (block 144: market 1,698.38, fundamental 1,700.00); 109 liquidations",
            "          and 47,078.42 of bad debt during the recovery.",
        ]
    );
    let metrics = section(&run.stdout, "KEY METRICS");
    assert_eq!(metrics[0], "KEY METRICS (up to the equilibrium)");
    assert_eq!(
        metrics[1],
        "  liquidations                   1,601 (peak 37 liquidations in block 14)"
    );
    let venues = section(&run.stdout, "VENUES");
    assert_eq!(venues[0], "VENUES (books at the equilibrium, block 75)");
    assert_eq!(
        venues[1],
        "  Lend (lending, 3,000 accounts): 1,434 liquidations, 482 bankruptcies"
    );
    assert_eq!(
        venues[10],
        "    insolvency  492,323.57 = written off 295,704.68 + unrealised 196,618.89"
    );
    // Both venues' identities balance.
    assert_eq!(run.stdout.matches("[balanced]").count(), 6, "{}", run.stdout);
    assert_eq!(
        section(&run.stdout, "LIQUIDATORS")[0],
        "LIQUIDATORS (the whole run, to block 144)"
    );
    // Not a terminal: no progress line.
    assert_eq!(run.stderr, "");
}

#[test]
fn run_bounds_the_blocks_table_to_the_stretches_of_events() {
    let run = lce(&["run", "--quiet"], "");
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let table = section(&run.stdout, "BLOCKS");
    // 144 blocks, most of them eventful, in a few dozen lines.
    assert!(table.len() <= 40, "{} lines:\n{}", table.len(), table.join("\n"));
    assert_eq!(
        table[..8],
        [
            "BLOCKS (each stretch of eventful blocks: its first, peak and last block)",
            "       block fundamental     market       gas Lend oracle Perp oracle  liqs         repaid     bad debt",
            "           1    2,000.00   2,000.00   0.00002    2,000.00    2,000.00     0           0.00         0.00",
            "  … 4 quiet blocks …",
            "           6    1,990.00   1,990.00   0.00002    2,000.00    1,990.00     0           0.00         0.00  shock",
            "  … 7 blocks: 41 liquidations …",
            "          14    1,910.00   1,888.53   0.00002    1,915.89    1,896.02    37     219,116.29         0.00  peak",
            "  … 31 blocks: 984 liquidations, 50,955.39 bad debt …",
        ]
    );
    assert!(table.contains(
        &"          75    1,700.00   1,613.19   0.00002    1,607.19    1,613.19     0           0.00         0.00  equilibrium"
    ));
    assert_eq!(
        table.last(),
        Some(
            &"         144    1,700.00   1,698.38   0.00002    1,694.87    1,695.73     0           0.00         0.00  recovered"
        )
    );
    // Every block is accounted for: shown, or counted in an elision.
    let shown = table
        .iter()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .count();
    let elided: usize = table
        .iter()
        .filter_map(|l| l.strip_prefix("  … "))
        .map(|l| l.split(' ').next().unwrap().replace(',', "").parse::<usize>().unwrap())
        .sum();
    assert_eq!(shown + elided, 144, "{}", table.join("\n"));
}

/// A one-account scenario: `path` and the account's collateral and debt.
fn small_scenario(name: &str, path: &str, collateral: &str, debt: &str) -> String {
    format!(
        r#"{{"name": "{name}", "seed": 1, "max_blocks": 10,
 "path": {path},
 "gas": {{"base": "0.00002"}}, "block_gas": "1000000",
 "market": {{"model": "constant_product", "base": "1000", "quote": "100000", "fee": "0"}},
 "venues": [{{"name": "Only", "kind": "lending",
   "collateral": {{"init_asset_weight": "0.8", "maint_asset_weight": "0.85", "init_liab_weight": "1", "maint_liab_weight": "1", "liquidation_fee": "0.05", "protocol_fee_share": "0"}},
   "debt": {{"init_liab_weight": "1", "maint_liab_weight": "1", "init_asset_weight": "1", "maint_asset_weight": "1"}},
   "oracle": {{"deviation": "0", "heartbeat": 10, "latency": 0}},
   "waterfall": {{"premium_buffer": "0", "insurance_fund": "0", "lender_deposits": "1000"}},
   "accounts": [{{"collateral": "{collateral}", "debt": "{debt}"}}]}}],
 "liquidators": [{{"name": "Solo", "capital": "1000", "gas_per_liquidation": "300000", "min_profit": "0", "latency": 0, "risk_factor": "0"}}]}}"#
    )
}

#[test]
fn run_counts_in_words_with_plurals_and_says_when_nothing_happened() {
    // Nothing falls: at rest in block 1, no liquidation, nothing to recover.
    let file = TempFile::new(
        "calm.json",
        &small_scenario("calm", r#"{"kind": "constant", "price": "100"}"#, "1", "50"),
    );
    let run = lce(&["run", file.path()], "");
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(
        run.stdout.contains("\n1 venue, 1 account, 1 liquidator, seed 1\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\nEQUILIBRIUM at block 1 (the first block at rest; 1 block run)\n")
    );
    assert!(
        run.stdout
            .contains("\n  amplification                              none   the shock did not lower the price\n")
    );
    assert!(
        !run.stdout.contains("\n  low "),
        "no low when nothing fell:\n{}",
        run.stdout
    );
    assert!(run.stdout.contains(
        "\n  stopped  exhausted: no account is liquidatable any more; the cascade ran out of accounts\n           to liquidate.\n"
    ));
    assert_eq!(
        section(&run.stdout, "RECOVERY"),
        [
            "RECOVERY  the market was already within 0.1 % of the fundamental at the equilibrium (block",
            "          1: market 100.00, fundamental 100.00).",
        ]
    );
    assert!(
        run.stdout
            .contains("\n  liquidations                   no liquidations\n")
    );
    assert!(
        !run.stdout.contains("peak 0") && !run.stdout.contains("block 0"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\n  Only (lending, 1 account): 0 liquidations, 0 bankruptcies\n")
    );

    // One liquidation in block 2, at rest in block 3, and the market not back by block 10.
    let file = TempFile::new(
        "one.json",
        &small_scenario(
            "one",
            r#"{"kind": "instant", "from": "100", "to": "55", "at": 2}"#,
            "10",
            "500",
        ),
    );
    let run = lce(&["run", file.path()], "");
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(
        run.stdout
            .contains("\nEQUILIBRIUM at block 3 (the first block at rest; 10 blocks run)\n")
    );
    assert!(
        run.stdout
            .contains("\n  liquidations                   1 (peak 1 liquidation in block 2)\n")
    );
    assert!(
        run.stdout
            .contains("\n  Only (lending, 1 account): 1 liquidation, 0 bankruptcies\n")
    );
    assert_eq!(
        section(&run.stdout, "RECOVERY"),
        [
            "RECOVERY  not back within 0.1 % of the fundamental when the block limit came (block 10:",
            "          market 54.55, fundamental 55.00); no liquidations during the recovery.",
        ]
    );
    let table = section(&run.stdout, "BLOCKS");
    assert!(table[3].ends_with("  shock, peak, low"), "{}", table.join("\n"));
    assert!(table[4].ends_with("  equilibrium"), "{}", table.join("\n"));
    assert_eq!(table[5], "  … 6 quiet blocks …");
    assert!(table[6].ends_with("  end, not recovered"), "{}", table.join("\n"));
}

#[test]
fn run_says_why_no_liquidator_acted() {
    let text = default_scenario_with(|v| v["liquidators"] = serde_json::json!([]));
    let file = TempFile::new("no_liquidators.json", &text);
    let run = lce(&["run", file.path()], "");
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(
        run.stdout.contains(
            "\n  stopped  no_liquidators: 2,011 accounts are still liquidatable and the scenario has no\n           liquidators.\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\n  liquidations                   no liquidations\n")
    );
    assert!(run.stdout.contains(", 0 liquidators, seed 7\n"));
}

#[test]
fn run_without_rest_has_no_equilibrium() {
    let run = lce(&["run", "--blocks", "40"], "");
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let head = section(&run.stdout, "NO EQUILIBRIUM");
    assert_eq!(
        head[..2],
        [
            "NO EQUILIBRIUM: the block limit came before the cascade came to rest; figures at block 40",
            "  market price at block 40               1,572.83   fundamental 1,700.00; start 2,000.00",
        ]
    );
    assert_eq!(
        head[head.len() - 2..],
        [
            "  stopped  block_limit: the block limit came at block 40 before the cascade came to rest",
            "           (raise max_blocks, or --blocks); every figure is at that block.",
        ]
    );
    assert!(!run.stdout.contains("RECOVERY"));
    assert!(run.stdout.contains("\nKEY METRICS (the run so far)\n"));
    assert!(run.stdout.contains("\nVENUES (books at the last block 40)\n"));
}

#[test]
fn run_json_has_the_report() {
    let run = lce(&["run", "--json", "--quiet"], "");
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["scenario", "summary", "recovery", "venues", "liquidators", "blocks"]
    );
    assert_eq!(v["scenario"]["name"], "stETH de-peg");
    assert_eq!(v["summary"]["stop"], "unprofitable");
    assert_eq!(v["summary"]["blocks"], 144);
    assert_eq!(v["summary"]["equilibrium_block"], 75);
    assert_eq!(v["summary"]["bad_debt"], "346660.064747688034613496");
    assert_eq!(v["recovery"]["blocks"], 69);
    assert_eq!(v["venues"][0]["name"], "Lend");
    assert_eq!(v["venues"][0]["conservation"]["balanced"], true);
    assert_eq!(v["venues"][1]["kind"], "perp");
    assert_eq!(v["liquidators"].as_array().unwrap().len(), 3);
    let blocks = v["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 144);
    assert_eq!(blocks[0]["block"], 1);
    assert!(blocks[0]["market"].is_string(), "exact decimal strings");
}

/// The width and height of a PNG, from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
    assert_eq!(&png[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[test]
fn run_csv_has_one_row_per_block_and_svg_draws() {
    let dir = std::env::temp_dir().join(format!("lce-cli-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("blocks.csv");
    let svg = dir.join("chart.svg");
    let run = lce(
        &[
            "run",
            "--blocks",
            "40",
            "--csv",
            csv.to_str().unwrap(),
            "--svg",
            svg.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(
        run.stdout
            .contains("  stopped  block_limit: the block limit came at block 40")
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 41, "a header and one row per block");
    assert!(rows[0].starts_with("block,fundamental,market,gas_price,"));
    assert!(rows[0].contains(",lend_oracle,") && rows[0].contains(",perp_bad_debt,"));
    let columns = rows[0].split(',').count();
    assert!(rows.iter().all(|r| r.split(',').count() == columns));
    assert!(rows[1].starts_with("1,2000,"));
    assert!(rows[40].starts_with("40,1700,"));
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert!(chart.contains("<svg"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// An options venue's CSV columns carry its block's quote, the same as the JSON report's.
#[test]
fn run_csv_gives_an_options_venue_its_quote() {
    let dir = std::env::temp_dir().join(format!("lce-cli-options-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("blocks.csv");
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/scenarios/dmm_dynamic.json");
    let run = lce(
        &[
            "run",
            "--quiet",
            "--blocks",
            "30",
            "--csv",
            csv.to_str().unwrap(),
            scenario,
        ],
        "",
    );
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let json = lce(&["run", "--quiet", "--json", "--blocks", "30", scenario], "");
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 31);
    assert!(rows[0].ends_with(",vault_concentration,vault_vol,vault_mark,vault_maintenance_unit,vault_dynamic_margin"));
    for (b, row) in rows[1..].iter().enumerate() {
        let q = &report["blocks"][b]["venues"][0]["options"];
        let cells: Vec<&str> = row.rsplitn(5, ',').collect();
        let want = [&q["dynamic"], &q["maintenance_unit"], &q["mark"], &q["vol"]];
        for (cell, want) in cells.iter().zip(want) {
            assert_eq!(*cell, want.as_str().unwrap(), "block {}", b + 1);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn run_svg_names_its_series_and_renders() {
    let dir = std::env::temp_dir().join(format!("lce-cli-svg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("chart.svg");
    let run = lce(&["run", "--quiet", "--svg", svg.to_str().unwrap()], "");
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert!(
        chart.contains(r#"<svg width="1200" height="1050""#),
        "{}",
        &chart[..200]
    );
    for name in [
        "stETH de-peg: unprofitable at block 75 (144 blocks run)",
        "market (shared pool)",
        "fundamental (exogenous path)",
        "oracle: Lend",
        "oracle: Perp",
        "gas spike",
        "equilibrium: block 75, market 1,613.19",
        "low 1,556.51 (block 46)",
        "liquidations per block (velocity)",
        "block gas cap: 37 a block (15,000,000 gas / 400,000 a liquidation)",
        "cumulative bad debt written off",
        "insolvency 543,279 = bad debt 346,660 + unrealised 196,619",
        "400,000",
    ] {
        assert!(chart.contains(name), "{name} missing from the chart");
    }
    // Rendered, when rsvg-convert is installed: a valid image of the chart's size.
    let png = dir.join("chart.png");
    match Command::new("rsvg-convert").arg(&svg).arg("-o").arg(&png).output() {
        Ok(out) => {
            assert!(
                out.status.success(),
                "rsvg-convert: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(png_size(&std::fs::read(&png).unwrap()), (1200, 1050));
        }
        Err(e) => eprintln!("rsvg-convert not run ({e}): the SVG is not rendered"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn run_checks_the_output_paths_before_it_runs() {
    let missing = std::env::temp_dir().join(format!("lce-cli-no-dir-{}", std::process::id()));
    let chart = missing.join("chart.svg");
    let run = lce(&["run", "--svg", chart.to_str().unwrap()], "");
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "", "nothing was run");
    assert_eq!(
        run.stderr,
        format!(
            "lce run: cannot write the chart to {}: the directory {} does not exist (nothing was run)\n",
            chart.display(),
            missing.display()
        )
    );
    let dir = std::env::temp_dir();
    let run = lce(&["run", "--csv", dir.to_str().unwrap()], "");
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "lce run: cannot write the CSV to {}: it is a directory (nothing was run)\n",
            dir.display()
        )
    );
}

#[test]
fn run_help_names_every_stop_and_the_exit_status() {
    let run = lce(&["run", "--help"], "");
    assert_eq!(run.code, 0);
    for stop in [
        "  exhausted ",
        "  unprofitable ",
        "  no_liquidators ",
        "  stale ",
        "  block_limit ",
        "  interrupted ",
    ] {
        assert!(run.stdout.contains(stop), "{stop} missing from:\n{}", run.stdout);
    }
    assert!(
        run.stdout
            .contains("; 130 when Ctrl-C\ninterrupted the run (the report so far is printed, marked interrupted;")
    );
    // Each stop is told on a line of its own, in at most 100 columns.
    for stop in [
        "exhausted",
        "unprofitable",
        "no_liquidators",
        "stale",
        "block_limit",
        "interrupted",
    ] {
        assert_eq!(
            run.stdout
                .lines()
                .filter(|l| l.starts_with(&format!("  {stop} ")))
                .count(),
            1,
            "{stop}"
        );
    }
    assert!(
        run.stdout
            .lines()
            .skip_while(|l| !l.starts_with("The text report"))
            .all(|l| l.chars().count() <= 100)
    );
}

/// Starts `lce run` with `args` on a scenario that would run for 10,000,000 blocks, sends it
/// SIGINT (Ctrl-C) once it is under way, and returns what it printed.
#[cfg(unix)]
fn interrupted(name: &str, args: &[&str]) -> Run {
    let text = default_scenario_with(|v| {
        v["max_blocks"] = serde_json::json!(10_000_000);
        v["path"] =
            serde_json::json!({"kind": "linear", "from": "2000", "to": "1000", "start": 5, "blocks": 10_000_000});
    });
    let file = TempFile::new(name, &text);
    let child = Command::new(env!("CARGO_BIN_EXE_lce"))
        .arg("run")
        .args(args)
        .arg(file.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let kill = Command::new("kill")
        .args(["-s", "INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("lce exits with a status, not by the signal"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_run_at_the_end_of_a_block_and_reports_it_so_far() {
    let run = interrupted("long_text.json", &[]);
    assert_eq!(run.code, 130, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    // "lce run: interrupted (Ctrl-C) after block N: the report is the run so far"
    // The block number as the report writes it, with thousands separators.
    let n = run
        .stderr
        .strip_prefix("lce run: interrupted (Ctrl-C) after block ")
        .and_then(|s| s.strip_suffix(": the report is the run so far\n"))
        .unwrap_or_else(|| panic!("stderr: {}", run.stderr));
    let block: u64 = n.replace(',', "").parse().unwrap();
    assert!((1..10_000_000).contains(&block));
    assert!(
        run.stdout.contains(&format!(
            "\nNO EQUILIBRIUM: interrupted before the cascade came to rest; figures at block {n}\n"
        )),
        "{}",
        run.stdout
    );
    // The stop line wraps where the block number's width puts it: compare it unwrapped.
    let flat = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&format!(
            " stopped interrupted: Ctrl-C stopped the run at the end of block {n}, before the cascade came to rest;"
        )),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\nKEY METRICS (the run so far)\n"));
    let table = section(&run.stdout, "BLOCKS");
    assert!(table.last().unwrap().ends_with("interrupted"), "{}", table.join("\n"));

    let run = interrupted("long_json.json", &["--json"]);
    assert_eq!(run.code, 130, "stderr: {}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["summary"]["stop"], "interrupted");
    let blocks = v["summary"]["blocks"].as_u64().unwrap();
    assert_eq!(v["blocks"].as_array().unwrap().len() as u64, blocks);
    assert_eq!(v["recovery"], serde_json::Value::Null);
}

#[test]
fn run_names_the_bad_field_of_a_scenario() {
    let text = default_scenario_with(|v| v["venues"][1]["oracle"]["latency"] = serde_json::json!("1"));
    let file = TempFile::new("bad_latency.json", &text);
    let run = lce(&["run", file.path()], "");
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .ends_with(": `venues[1].oracle.latency`: must be a JSON number (an integer), not a string\n"),
        "{}",
        run.stderr
    );

    let text = default_scenario_with(|v| v["venues"][0]["population"]["count"] = serde_json::json!(10_000_001));
    let file = TempFile::new("too_many.json", &text);
    let run = lce(&["run", file.path()], "");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .ends_with(": `venues[0].population.count`: at most 10,000,000 accounts\n"),
        "{}",
        run.stderr
    );

    let file = TempFile::new("not_json.json", "{\"name\": ");
    let run = lce(&["run", file.path()], "");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("is not valid JSON"), "{}", run.stderr);
}

#[test]
fn run_says_when_the_file_is_missing() {
    let run = lce(&["run", "/nonexistent/lce/scenario.json"], "");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot read /nonexistent/lce/scenario.json"),
        "{}",
        run.stderr
    );
    let run = lce(&["run", "--blocks", "0"], "");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("--blocks"), "{}", run.stderr);
}

#[test]
fn cascade_op_answers_the_same_report() {
    let scenario = default_scenario_with(|v| v["max_blocks"] = serde_json::json!(12));
    let case = format!("{{\"op\":\"cascade\",\"input\":{scenario}}}\n");
    let run = lce(&["eval"], &case);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let answer: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let out = &answer["output"];
    assert_eq!(out["summary"]["stop"], "block_limit");
    assert_eq!(out["blocks"].as_array().unwrap().len(), 12);

    let file = TempFile::new("twelve.json", &scenario);
    let cli = lce(&["run", "--json", file.path()], "");
    let report: serde_json::Value = serde_json::from_str(&cli.stdout).unwrap();
    assert_eq!(&report, out);

    let bad = default_scenario_with(|v| v["venues"][0]["waterfall"]["insurance_fund"] = serde_json::json!("-1"));
    let run = lce(&["eval"], &format!("{{\"op\":\"cascade\",\"input\":{bad}}}\n"));
    let answer: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(answer["error"]["kind"], "invalid");
    assert_eq!(answer["error"]["what"], "venues[0].waterfall.insurance_fund");
}

#[test]
fn run_names_the_bad_field_and_says_why() {
    type Edit = fn(&mut serde_json::Value);
    let cases: [(Edit, &str); 4] = [
        (|v| v["gas"]["base"] = serde_json::json!("0"), "`gas.base`: must be > 0"),
        (
            |v| v["venues"][0]["oracle"]["latency"] = serde_json::json!("2"),
            "`venues[0].oracle.latency`: must be a JSON number (an integer), not a string",
        ),
        (
            |v| v["max_blocs"] = serde_json::json!(10),
            "`max_blocs`: unknown key; did you mean `max_blocks`?",
        ),
        (
            |v| v["max_blocks"] = serde_json::json!(0),
            "`max_blocks`: must be from 1 to 10,000,000 (MAX_BLOCKS)",
        ),
    ];
    for (edit, message) in cases {
        let file = TempFile::new("why.json", &default_scenario_with(edit));
        let run = lce(&["run", file.path()], "");
        assert_eq!(run.code, 1, "stdout: {}", run.stdout);
        assert_eq!(run.stdout, "");
        assert_eq!(
            run.stderr,
            format!("lce run: invalid scenario {}: {message}\n", file.path())
        );
    }
}

/// A study of the tiny scenario (`tests/laws/study.rs`'s) with `extra` keys.
fn tiny_study(extra: serde_json::Value) -> String {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/studies/depeg_small.json")).unwrap();
    let mut s: serde_json::Value = serde_json::from_str(&text).unwrap();
    s["max_blocks"] = serde_json::json!(80);
    s["venues"][0]["population"]["count"] = serde_json::json!(16);
    s["venues"][1]["population"]["count"] = serde_json::json!(10);
    s["path"] = serde_json::json!({"kind": "garch", "price": "2000", "omega": "0.0002", "alpha": "0.1", "beta": "0.85", "blocks": 5});
    let mut study = serde_json::json!({"name": "tiny", "scenario": s});
    for (k, v) in extra.as_object().unwrap() {
        study[k] = v.clone();
    }
    study.to_string()
}

#[test]
fn study_of_one_path_is_lce_run_with_its_seed() {
    let file = TempFile::new("one_path.json", &tiny_study(serde_json::json!({"paths": 1})));
    let study = lce(&["study", "--json", "--quiet", file.path()], "");
    assert_eq!(study.code, 0, "{}", study.stderr);
    let v: serde_json::Value = serde_json::from_str(&study.stdout).unwrap();
    // The scenario with the seed of path 0, run by lce run.
    let mut scenario = v["study"]["scenario"].clone();
    scenario["seed"] = serde_json::json!(lce::rng::derive_seed(7, 0));
    let sfile = TempFile::new("one_path_scenario.json", &scenario.to_string());
    let run = lce(&["run", "--json", "--quiet", sfile.path()], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let m = &v["cells"][0]["metrics"];
    for key in [
        "insolvency",
        "bad_debt",
        "unrealised",
        "cascade_drop",
        "equilibrium_price",
        "low_price",
        "liquidator_profit",
    ] {
        for stat in ["mean", "p50", "p99", "es99", "max"] {
            assert_eq!(m[key][stat], r["summary"][key], "{key} {stat}");
        }
    }
    assert_eq!(
        m["liquidations"]["mean"],
        serde_json::json!(r["summary"]["liquidations"].to_string())
    );
    assert_eq!(m["Lend.insolvency"]["mean"], r["venues"][0]["insolvency"]);
    let stop = r["summary"]["stop"].as_str().unwrap();
    assert_eq!(v["cells"][0]["stops"][stop], 1);
}

#[test]
fn study_is_the_same_on_any_number_of_threads_and_writes_csv_svg_html() {
    let text = tiny_study(serde_json::json!({
        "paths": 5,
        "vary": [{"field": "venues[0].collateral.liquidation_fee", "values": ["0.03", "0.08"]}],
        "variants": {"no_pros": {"liquidators[0].capital": "0"}}
    }));
    let file = TempFile::new("threads.json", &text);
    let one = lce(&["study", "--json", "--quiet", "--threads", "1", file.path()], "");
    let three = lce(&["study", "--json", "--quiet", "--threads", "3", file.path()], "");
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(one.stdout, three.stdout, "bit-identical JSON whatever the threads");
    let dir = std::env::temp_dir().join(format!("lce-cli-test-{}", std::process::id()));
    let (csv, svg, html) = (dir.join("s.csv"), dir.join("s.svg"), dir.join("s.html"));
    let run = lce(
        &[
            "study",
            "--quiet",
            file.path(),
            "--csv",
            csv.to_str().unwrap(),
            "--svg",
            svg.to_str().unwrap(),
            "--html",
            html.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("lce study: tiny\n"), "{}", run.stdout);
    assert!(run.stdout.contains("\nINSOLVENCY at the equilibrium"));
    assert!(
        run.stdout
            .contains("\nPAIRED DIFFERENCES of insolvency, variant − base on the same paths\n")
    );
    assert!(run.stdout.contains(" liquidation_fee=0.08 no_pros "), "{}", run.stdout);
    let csv_text = std::fs::read_to_string(&csv).unwrap();
    let rows = lines(&csv_text);
    assert_eq!(rows.len(), 1 + 4 * 5, "a header and one row per cell and path");
    assert!(rows[0].starts_with("cell,venues[0].collateral.liquidation_fee,variant,path,seed,stop,insolvency,"));
    assert!(
        rows[1].starts_with(&format!("0,0.03,,0,{},", lce::rng::derive_seed(7, 0))),
        "{}",
        rows[1]
    );
    let svg_text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        svg_text.starts_with("<svg") && svg_text.contains("Market price paths") && svg_text.contains("The sweep of")
    );
    let page = std::fs::read_to_string(&html).unwrap();
    for part in [
        "<!DOCTYPE html>",
        "<table",
        "<svg",
        "The answer",
        "Sample paths, block by block",
        "no_pros",
    ] {
        assert!(page.contains(part), "the page has {part}");
    }
    assert!(
        !page.contains("<script") && !page.contains("src=") && !page.contains("<link") && !page.contains("url("),
        "self-contained: nothing to fetch"
    );
    for p in [csv, svg, html] {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn study_says_where_and_why_a_study_is_bad() {
    let file = TempFile::new(
        "bad_study.json",
        &tiny_study(
            serde_json::json!({"paths": 2, "vary": [{"field": "venues[0].collateral.bonus", "values": ["0.05"]}]}),
        ),
    );
    let run = lce(&["study", file.path()], "");
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "lce study: invalid study {}: invalid `vary[0].field` (venues[0].collateral.bonus): the scenario has no such field\n",
            file.path()
        )
    );
    let run = lce(&["study", "no/such/study.json"], "");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot read the file"), "{}", run.stderr);
    let run = lce(&["study", "--help"], "");
    assert_eq!(run.code, 0);
    for part in [
        "--threads <N>",
        "--html <FILE>",
        "derive_seed(seed, i)",
        "bit-identical",
        "Exit status",
    ] {
        assert!(run.stdout.contains(part), "--help has {part}");
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_study_and_prints_the_paths_finished() {
    let file = TempFile::new("long_study.json", &tiny_study(serde_json::json!({"paths": 100_000})));
    let child = Command::new(env!("CARGO_BIN_EXE_lce"))
        .args(["study", "--quiet", file.path()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let kill = Command::new("kill")
        .args(["-s", "INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("lce study: interrupted (Ctrl-C): the outcome covers the first "),
        "{stderr}"
    );
    assert!(stderr.contains(" of 100000 paths of every cell"), "{stderr}");
    assert!(
        stdout.contains("(interrupted: the paths finished in every cell)"),
        "{stdout}"
    );
}

/// `lce run --csv SCENARIO.json` (the scenario taken as the CSV's name, the default scenario
/// run) refuses before running and leaves the file as it was: no output of lce overwrites an
/// existing JSON file.
#[test]
fn an_output_never_overwrites_a_scenario() {
    let text = std::fs::read_to_string("vectors/scenarios/whale.json").unwrap();
    let scenario = TempFile::new("keep-me.json", &text);
    for flag in ["--csv", "--svg"] {
        let run = lce(&["run", "--quiet", flag, scenario.path()], "");
        assert_eq!(run.code, 2, "{flag}: {}", run.stderr);
        assert!(run.stderr.contains("existing JSON file"), "{flag}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{flag}: nothing was run");
        assert_eq!(std::fs::read_to_string(scenario.path()).unwrap(), text);
    }
}
