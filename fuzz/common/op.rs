//! The body shared by the per-op fuzz targets: the bytes are an op's `input` object (JSON);
//! evaluating it must never panic, must answer with exactly one of `output` and `error`,
//! must name a known error kind and say why, and must give the same answer twice.

use lce::eval::eval_case;
use serde_json::{Value, json};

/// The error kinds of the protocol.
const KINDS: &[&str] = &["overflow", "division_by_zero", "domain", "invalid", "capacity"];

pub fn fuzz_op(op: &str, data: &[u8]) {
    let Ok(input) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let case = json!({ "op": op, "input": input });
    let answer = eval_case(&case);
    let output = answer.get("output");
    let error = answer.get("error");
    assert!(output.is_some() != error.is_some(), "{answer}");
    if let Some(error) = error {
        let kind = error.get("kind").and_then(Value::as_str).unwrap_or("");
        assert!(KINDS.contains(&kind), "unknown kind in {answer}");
        let what = error.get("what").and_then(Value::as_str);
        assert!(what.is_some(), "{answer}");
        // `what` names the field; it is empty only when the input itself has an empty key.
        assert!(what.is_some_and(|w| !w.is_empty()) || has_empty_key(&input), "{answer}");
        // Every error but an overflow or a division by zero says why, never with empty text.
        let why = error.get("why").map(Value::as_str);
        match kind {
            "overflow" | "division_by_zero" => assert!(why.is_none(), "{answer}"),
            _ => assert!(why.is_some_and(|w| w.is_some_and(|w| !w.is_empty())), "{answer}"),
        }
    }
    assert_eq!(eval_case(&case), answer, "not deterministic");
}

/// Whether `value` has an object with the key `""` anywhere inside it.
fn has_empty_key(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.contains_key("") || map.values().any(has_empty_key),
        Value::Array(items) => items.iter().any(has_empty_key),
        _ => false,
    }
}
