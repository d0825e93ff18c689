//! `Session::answer_line` (what `lce eval` answers a line of JSON Lines with, through its fast
//! path for `health`) gives the same bytes as the general path — the line parsed into a
//! `Value`, evaluated, and written by `serde_json` — on every line of every vector file and on
//! edits of the `health` lines that leave the fast path's subset, or stay in it.
#![cfg(feature = "eval")]

use std::fs;
use std::path::{Path, PathBuf};

use lce::eval::{Item, Session, json_error_answer, read_cases};
use serde_json::{Value, json};

/// The general path's answer to `text` in `session`.
fn general(session: &mut Session, text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(case) => session.eval(&case).to_string(),
        Err(_) => {
            // The message is the reader's: take the answer of the same line through it.
            let entry = read_cases(text.as_bytes()).next().unwrap().unwrap();
            match &entry.case {
                Ok(case) => session.eval(case).to_string(),
                Err(what) => json_error_answer(what).to_string(),
            }
        }
    }
}

/// Feeds `lines` to two sessions in lockstep, one by `answer_line` and one by the general path,
/// and fails on the first line they answer differently. Returns how many lines were compared.
fn same_answers<'a>(lines: impl IntoIterator<Item = &'a str>) -> usize {
    let mut fast = Session::new();
    let mut slow = Session::new();
    let mut n = 0;
    for text in lines {
        let mut got = Vec::new();
        fast.answer_line(1, text, &mut got);
        let got = String::from_utf8(got).unwrap();
        let want = general(&mut slow, text);
        assert_eq!(got, want, "the two paths differ on\n{text}");
        n += 1;
    }
    n
}

fn vector_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            vector_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            out.push(path);
        }
    }
}

/// The lines of a file as `lce eval` reads them.
fn lines_of(path: &Path) -> Vec<String> {
    let text = fs::read(path).unwrap();
    let mut reader = read_cases(&text[..]);
    let mut lines = Vec::new();
    while let Some(item) = reader.next_item() {
        if let Item::Line { text, .. } = item.unwrap() {
            lines.push(text);
        }
    }
    lines
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

#[test]
fn every_vector_line_gets_the_same_answer_from_both_paths() {
    let mut files = Vec::new();
    vector_files(&vectors_dir(), &mut files);
    let mut total = 0;
    // (The cascade's lines are slow to run twice and take no path of their own.)
    for path in files.iter().filter(|p| !p.starts_with(vectors_dir().join("cascade"))) {
        let lines = lines_of(path);
        total += same_answers(lines.iter().map(String::as_str));
    }
    assert!(total > 20_000, "only {total} lines");
}

/// Every edit of a `health` case used below: the case as a `Value`, changed.
fn value_edits(case: &Value) -> Vec<Value> {
    let mut out = vec![case.clone()];
    let has_position = case["input"]["account"].as_array().is_some_and(|a| !a.is_empty());
    let has_token = case["input"]["tokens"].as_array().is_some_and(|a| !a.is_empty());
    let mut edit = |f: &dyn Fn(&mut Value)| {
        let mut c = case.clone();
        f(&mut c);
        out.push(c);
    };
    edit(&|c| c["input"]["extra"] = json!(1));
    if has_position {
        edit(&|c| c["input"]["account"][0]["quote"] = json!("1"));
    }
    if has_position {
        edit(&|c| c["input"]["account"][0]["token"] = json!(70000));
    }
    if has_position {
        edit(&|c| c["input"]["account"][0]["token"] = json!(99));
    }
    if has_position {
        edit(&|c| c["input"]["account"][0]["token"] = json!(-1));
    }
    if has_position {
        edit(&|c| c["input"]["account"][0]["token"] = json!("0"));
    }
    if has_position {
        edit(&|c| c["input"]["account"][0]["balance"] = json!("1.0000000000000000001"));
    }
    if has_position {
        edit(&|c| c["input"]["account"][0]["balance"] = json!(1));
    }
    if has_position {
        edit(&|c| {
            c["input"]["account"][0]
                .as_object_mut()
                .unwrap()
                .remove("balance")
                .map(drop)
                .unwrap_or(())
        });
    }
    edit(&|c| c["input"]["account"] = json!([]));
    edit(&|c| c["input"]["account"] = json!({}));
    edit(&|c| c["input"]["account"] = json!([1]));
    edit(&|c| {
        let Some(p) = c["input"]["account"].get(0).cloned() else {
            return;
        };
        c["input"]["account"].as_array_mut().unwrap().push(p);
    });
    edit(&|c| c["input"]["account"] = json!((0..40).map(|_| json!({"token": 0, "balance": "1"})).collect::<Vec<_>>()));
    edit(&|c| c["input"]["account"] = json!([{"perp": 0, "base": "1"}]));
    edit(&|c| c["input"]["account"] = json!([{"perp": 0, "base": "1", "quote": "-5"}]));
    edit(&|c| c["input"]["account"] = json!([{"option": 0, "quantity": "1"}]));
    if has_token {
        edit(&|c| c["input"]["tokens"][0]["price"] = json!("0"));
    }
    if has_token {
        edit(&|c| c["input"]["tokens"][0]["price"] = json!("-1"));
    }
    if has_token {
        edit(&|c| c["input"]["tokens"][0]["maint_asset_weight"] = json!("2"));
    }
    if has_token {
        edit(&|c| c["input"]["tokens"][0]["bogus"] = json!("2"));
    }
    edit(&|c| c["input"]["tokens"] = json!("mainnet"));
    edit(&|c| c["input"]["tokens"] = json!("nowhere"));
    edit(&|c| c["input"]["tokens"] = json!([]));
    edit(&|c| c["input"]["tokens"] = json!(null));
    edit(&|c| c["input"]["perps"] = json!([]));
    edit(&|c| c["input"]["perps"] = json!(""));
    edit(&|c| c["input"]["options"] = json!([]));
    edit(&|c| c["input"]["options"] = json!(""));
    edit(&|c| c["op"] = json!("Health"));
    edit(&|c| c["op"] = json!(1));
    edit(&|c| c["input"] = json!([]));
    edit(&|c| {
        let mut deep = json!(1);
        for _ in 0..20 {
            deep = json!([deep]);
        }
        c["note"] = json!({ "deep": deep });
    });
    edit(&|c| c["note"] = json!([1.5, -2, 1e300, true, false, null, "é ☃ \u{1F600}"]));
    edit(&|c| {
        let input = c["input"].take();
        c.as_object_mut().unwrap().remove("input");
        c["input"] = input;
    });
    out
}

/// Edits of the text of a case that a `Value` cannot express: spacing, key order, a key given
/// twice, escapes, number spellings, trailing text.
fn text_edits(text: &str) -> Vec<String> {
    let mut out = vec![text.to_string()];
    out.push(text.replace(',', " ,\t").replace(':', ": "));
    out.push(format!("  {text}  "));
    out.push(format!("{text} x"));
    out.push(format!("{text}{{}}"));
    out.push(text.replacen('{', "{\"op\":\"exp\",", 1));
    out.push(text.replacen("\"token\":0", "\"token\":0,\"token\":0", 1));
    out.push(text.replacen("\"price\":", "\"price\":\"1\",\"price\":", 1));
    out.push(text.replacen("\"token\":0", "\"token\":0.0", 1));
    out.push(text.replacen("\"token\":0", "\"token\":1e0", 1));
    out.push(text.replacen("\"token\":0", "\"token\":-0", 1));
    out.push(text.replacen("\"token\":0", "\"token\":00", 1));
    out.push(text.replacen("\"token\":1", "\"token\":0000000000000000001", 1));
    out.push(text.replacen("\"token\":1", "\"token\":18446744073709551617", 1));
    out.push(text.replacen("\"balance\":\"1", "\"balance\":\"\\u0031", 1));
    out.push(text.replacen("\"balance\":\"", "\"bal\\u0061nce\":\"", 1));
    out.push(text.replacen("\"health\"", "\"he\\u006clth\"", 1));
    out.push(text.replacen("\"health\"", "\"health\\/\"", 1));
    out.push(text.replacen("{\"op\"", "{\"op\":\"health\",\"op\"", 1));
    out.push(text.replace("\"", "'"));
    out.push(text[..text.len() / 2].to_string());
    out
}

#[test]
fn edited_health_lines_get_the_same_answer_from_both_paths() {
    let define = r#"{"op":"define","input":{"name":"mainnet","tokens":[{"price":"2","init_asset_weight":"0.5","maint_asset_weight":"0.6","init_liab_weight":"1.2","maint_liab_weight":"1.1"},{"price":"1","init_asset_weight":"1","maint_asset_weight":"1","init_liab_weight":"1","maint_liab_weight":"1"}]}}"#;
    let mut lines = vec![define.to_string()];
    for file in ["risk/health.jsonl", "options/account_health.jsonl", "risk/define.jsonl"] {
        for text in lines_of(&vectors_dir().join(file)) {
            let case: Value = serde_json::from_str(&text).unwrap();
            if case["op"] != "health" {
                lines.push(text);
                continue;
            }
            for edited in value_edits(&case) {
                lines.push(edited.to_string());
                lines.push(serde_json::to_string_pretty(&edited).unwrap().replace('\n', " "));
            }
            lines.extend(text_edits(&text));
            lines.extend(text_edits(&case.to_string()));
        }
    }
    let n = same_answers(lines.iter().map(String::as_str));
    assert!(n > 10_000, "only {n} lines");
}

/// The fast path keeps a few token sets: many sets in turn, each seen again later, must not
/// mix them up.
#[test]
fn many_token_sets_in_turn_are_not_mixed_up() {
    let mut lines = Vec::new();
    for round in 0..3 {
        for k in 0..70 {
            let price = format!("{}.{}", k + 1, round);
            let tokens = json!([
                {"price": price, "init_asset_weight": "0.5", "maint_asset_weight": "0.6", "init_liab_weight": "1.2", "maint_liab_weight": "1.1"},
                {"price": "1", "init_asset_weight": "1", "maint_asset_weight": "1", "init_liab_weight": "1", "maint_liab_weight": "1"}
            ]);
            let case = json!({"op": "health", "input": {"tokens": tokens, "account": [{"token": 0, "balance": "10"}, {"token": 1, "balance": "-5"}]}});
            lines.push(case.to_string());
            let with_perps = json!({"op": "health", "input": {"tokens": tokens, "perps": [], "account": [{"token": 0, "balance": "10"}]}});
            lines.push(with_perps.to_string());
        }
    }
    same_answers(lines.iter().map(String::as_str));
}
