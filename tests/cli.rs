//! The `lce` binary: `lce eval` on small inputs, with exact output lines and exit codes.
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
            r#"{"op":"mul","input":{"a":1,"b":"2"},"error":{"kind":"invalid","what":"a"}}"#,
            r#"{"op":"nope","input":{},"error":{"kind":"invalid","what":"op"}}"#,
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
            r#"{"op":null,"input":null,"error":{"kind":"invalid","what":"case"}}"#,
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
            r#"{"op":null,"input":null,"error":{"kind":"invalid","what":"json: EOF while parsing an object at line 2 column 37"}}"#,
            r#"{"op":null,"input":null,"error":{"kind":"invalid","what":"json: expected ident at line 3 column 2"}}"#,
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

// ---- lce run -------------------------------------------------------------------------------

/// The bundled default scenario's text, with `edit` applied to its JSON.
fn default_scenario_with(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/scenarios/default.json");
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut v);
    v.to_string()
}

#[test]
fn run_with_no_argument_prints_the_equilibrium() {
    let run = lce(&["run"], "");
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(run.stdout.starts_with("lce run: stETH de-peg\n"), "{}", run.stdout);
    assert!(run.stdout.contains("EQUILIBRIUM"));
    assert!(run.stdout.contains("stopped  unprofitable after 101 blocks"));
    assert!(run.stdout.contains("Liquidation Cascade"));
    assert!(
        run.stdout
            .contains("price    1,700.00 (start 2,000.00; drawdown 15.00 %)")
    );
    assert!(run.stdout.contains("KEY METRICS"));
    assert!(
        run.stdout
            .contains("  liquidations                   1,269 (peak velocity 37 in block 14)")
    );
    // Both venues' identities balance.
    assert_eq!(run.stdout.matches("[balanced]").count(), 6, "{}", run.stdout);
    assert!(run.stdout.contains("quiet blocks"));
    // Not a terminal: no progress line.
    assert_eq!(run.stderr, "");
}

#[test]
fn run_json_has_the_report() {
    let run = lce(&["run", "--json", "--quiet"], "");
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["scenario", "summary", "venues", "liquidators", "blocks"]);
    assert_eq!(v["scenario"]["name"], "stETH de-peg");
    assert_eq!(v["summary"]["stop"], "unprofitable");
    assert_eq!(v["summary"]["blocks"], 101);
    assert_eq!(v["summary"]["bad_debt"], "113376.843893525930582561");
    assert_eq!(v["venues"][0]["name"], "Lend");
    assert_eq!(v["venues"][0]["conservation"]["balanced"], true);
    assert_eq!(v["venues"][1]["kind"], "perp");
    assert_eq!(v["liquidators"].as_array().unwrap().len(), 3);
    let blocks = v["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 101);
    assert_eq!(blocks[0]["block"], 1);
    assert!(blocks[0]["market"].is_string(), "exact decimal strings");
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
    assert!(run.stdout.contains("stopped  block_limit after 40 blocks"));
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 41, "a header and one row per block");
    assert!(rows[0].starts_with("block,reference,market,gas_price,"));
    assert!(rows[0].contains(",lend_oracle,") && rows[0].contains(",perp_bad_debt,"));
    let columns = rows[0].split(',').count();
    assert!(rows.iter().all(|r| r.split(',').count() == columns));
    assert!(rows[1].starts_with("1,2000,"));
    assert!(rows[40].starts_with("40,1700,"));
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert!(chart.contains("<svg"));
    assert!(chart.contains("Liquidations per block"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn run_names_the_bad_field_of_a_scenario() {
    let text = default_scenario_with(|v| v["venues"][1]["oracle"]["latency"] = serde_json::json!("1"));
    let file = TempFile::new("bad_latency.json", &text);
    let run = lce(&["run", file.path()], "");
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("venues[1].oracle.latency"), "{}", run.stderr);

    let text = default_scenario_with(|v| v["venues"][0]["population"]["count"] = serde_json::json!(10_000_001));
    let file = TempFile::new("too_many.json", &text);
    let run = lce(&["run", file.path()], "");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("venues[0].population.count` (at most 10000000 accounts per venue)"),
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
