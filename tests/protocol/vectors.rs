//! The golden vectors: every case of every file under `vectors/` must give its `expect`.
//!
//! One test per file, so a failure names the file; `every_vector_file_has_a_test` makes sure
//! that a new file cannot be skipped silently. Every error answer must also say why
//! ([`says_why`]): walking every vector's errors, no `why` of the kernel or of `lce eval` is
//! empty.
#![cfg(feature = "eval")]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use lce::eval::{Session, check, read_cases};

/// How many mismatches a failure message lists.
const SHOWN: usize = 20;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// Runs every case of `vectors/<rel>`, in order in one [`Session`] (as `lce eval` reads a
/// file: a `define` case names a token set for the cases after it), and fails listing the
/// first mismatches.
fn run_file(rel: &str) {
    let path = vectors_dir().join(rel);
    let text = fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut cases = 0usize;
    let mut failures = Vec::new();
    let mut session = Session::new();
    for entry in read_cases(&text[..]) {
        let entry = entry.unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        cases += 1;
        let at = format!("{rel}:{}", entry.line);
        let case = match &entry.case {
            Ok(case) => case,
            Err(why) => {
                failures.push(format!("{at}: {why}"));
                continue;
            }
        };
        let Some(expect) = entry.expect() else {
            failures.push(format!("{at}: the case has no \"expect\": {case}"));
            continue;
        };
        let answer = session.eval(case);
        if let Err(why) = check(&answer, expect) {
            failures.push(format!(
                "{at}: {} {}: {why}",
                case["op"].as_str().unwrap_or("-"),
                case["input"]
            ));
        }
        if let Err(why) = says_why(&answer) {
            failures.push(format!("{at}: {why}: {answer}"));
        }
    }
    assert!(cases > 0, "{rel} has no case");
    if !failures.is_empty() {
        let mut message = format!("{rel}: {} of {cases} cases failed", failures.len());
        for f in failures.iter().take(SHOWN) {
            let _ = write!(message, "\n  {f}");
        }
        if failures.len() > SHOWN {
            let _ = write!(message, "\n  … and {} more", failures.len() - SHOWN);
        }
        panic!("{message}");
    }
}

/// Every error answer says why, in words: an `invalid`, `domain` or `capacity` error has a
/// non-empty `why` (the rule its field broke, static in the kernel); an `overflow` or a
/// `division_by_zero`, which name no field, has none.
fn says_why(answer: &serde_json::Value) -> Result<(), String> {
    let Some(error) = answer.get("error") else {
        return Ok(());
    };
    let why = error.get("why");
    match error["kind"].as_str() {
        Some("overflow" | "division_by_zero") if why.is_none() => Ok(()),
        Some("overflow" | "division_by_zero") => Err(String::from("an overflow or division by zero has no why")),
        _ => match why.and_then(serde_json::Value::as_str) {
            Some(why) if !why.trim().is_empty() => Ok(()),
            _ => Err(String::from("the error does not say why")),
        },
    }
}

/// One `#[test]` per vector file, and the list of the files covered.
macro_rules! vector_tests {
    ($($name:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $name() {
                run_file($file);
            }
        )*
        /// Every file that has a test, relative to `vectors/`.
        const COVERED: &[&str] = &[$($file),*];
    };
}

vector_tests! {
    math_exp => "math/exp.jsonl",
    math_ln => "math/ln.jsonl",
    math_sqrt => "math/sqrt.jsonl",
    math_pow => "math/pow.jsonl",
    math_norm_cdf => "math/norm_cdf.jsonl",
    math_norm_pdf => "math/norm_pdf.jsonl",
    math_norm_inv => "math/norm_inv.jsonl",
    math_mul => "math/mul.jsonl",
    math_div => "math/div.jsonl",
    math_add_sub => "math/add_sub.jsonl",
    math_random_exp => "math/random/exp.jsonl",
    math_random_ln => "math/random/ln.jsonl",
    math_random_sqrt => "math/random/sqrt.jsonl",
    math_random_pow => "math/random/pow.jsonl",
    math_random_norm_cdf => "math/random/norm_cdf.jsonl",
    math_random_norm_pdf => "math/random/norm_pdf.jsonl",
    math_random_norm_inv => "math/random/norm_inv.jsonl",
    math_random_mul => "math/random/mul.jsonl",
    math_random_div => "math/random/div.jsonl",
    risk_market_sell => "risk/market_sell.jsonl",
    risk_oracle_price => "risk/oracle_price.jsonl",
    risk_health => "risk/health.jsonl",
    risk_define => "risk/define.jsonl",
    risk_liquidate => "risk/liquidate.jsonl",
    risk_liquidate_request => "risk/liquidate_request.jsonl",
    presets_aave => "presets/aave_v3.3.jsonl",
    presets_morpho => "presets/morpho_blue.jsonl",
    presets_compound => "presets/compound_v3.jsonl",
    presets_marginfi => "presets/marginfi_v2.jsonl",
    presets_mango => "presets/mango_v4.jsonl",
    presets_drift => "presets/drift_v2.jsonl",
    risk_liquidator_decision => "risk/liquidator_decision.jsonl",
    margin_dynamic_margin => "margin/dynamic_margin.jsonl",
    margin_ewma_vol => "margin/ewma_vol.jsonl",
    cascade_cascade => "cascade/cascade.jsonl",
    cascade_options_cascade => "cascade/options_cascade.jsonl",
    cascade_option_pool => "cascade/option_pool.jsonl",
    rng_rng => "rng/rng.jsonl",
    path_path => "path/path.jsonl",
    path_vol_path => "path/vol_path.jsonl",
    options_bs_price => "options/bs_price.jsonl",
    options_bs_greeks => "options/bs_greeks.jsonl",
    options_implied_vol => "options/implied_vol.jsonl",
    options_random => "options/random.jsonl",
    options_option_margin => "options/option_margin.jsonl",
    options_account_health => "options/account_health.jsonl",
    options_vega_shock => "options/vega_shock.jsonl",
    options_option_pool => "options/option_pool.jsonl",
    options_option_liquidation => "options/option_liquidation.jsonl",
    options_option_expiry => "options/option_expiry.jsonl",
}

/// The `*.jsonl` files under `dir`, relative to `root`, with `/` separators.
fn jsonl_files(root: &Path, dir: &Path, found: &mut Vec<String>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            jsonl_files(root, &path, found);
        } else if path.extension().is_some_and(|ext| ext == "jsonl") {
            let rel = path.strip_prefix(root).unwrap();
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            found.push(parts.join("/"));
        }
    }
}

#[test]
fn every_vector_file_has_a_test() {
    let root = vectors_dir();
    let mut found = Vec::new();
    jsonl_files(&root, &root, &mut found);
    found.sort();
    let missing: Vec<&String> = found.iter().filter(|f| !COVERED.contains(&f.as_str())).collect();
    assert!(
        missing.is_empty(),
        "vector files without a test in tests/vectors.rs: {missing:?}"
    );
    let gone: Vec<&&str> = COVERED.iter().filter(|f| !found.iter().any(|g| g == *f)).collect();
    assert!(
        gone.is_empty(),
        "tests/vectors.rs names files that do not exist: {gone:?}"
    );
}
