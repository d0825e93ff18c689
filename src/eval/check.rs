//! Comparing an answer with a case's `expect`.

use std::format;
use std::string::String;

use serde_json::{Map, Value};

/// Compares an answer (from [`eval_case`](super::eval_case)) with a case's `expect`.
///
/// - `expect` of the form `{"error": {"kind": K}}` or `{"error": {"kind": K, "what": W}}`:
///   the answer must be an error of kind `K` (and, when `W` is given, with `what` equal to `W`).
/// - any other object: the answer must have an `output` equal to it as JSON: the same keys
///   and the same values. Numbers are compared as their canonical text (`"1.50"` is not
///   `"1.5"`): an implementation must print the canonical form, see `vectors/README.md`.
///
/// Returns `Err` with a one-line description (`expected …, got …`) when they differ, or when
/// `expect` itself is malformed (not an object; an `error` without a string `kind`, with a
/// `what` that is not a string, with other keys, or beside other keys).
pub fn check(answer: &Value, expect: &Value) -> Result<(), String> {
    let Some(expect_fields) = expect.as_object() else {
        return Err(format!("malformed expect {expect}: not an object"));
    };
    let got = describe(answer);
    match expect_fields.get("error") {
        Some(expected_error) => {
            let (kind, what) = expected_error_fields(expect_fields, expected_error)?;
            let matches = answer.get("error").and_then(Value::as_object).is_some_and(|error| {
                error.get("kind").and_then(Value::as_str) == Some(kind)
                    && what.is_none_or(|w| error.get("what").and_then(Value::as_str) == Some(w))
            });
            if matches {
                Ok(())
            } else {
                Err(format!("expected error {expected_error}, got {got}"))
            }
        }
        None => {
            let matches = answer.get("output") == Some(expect);
            if matches {
                Ok(())
            } else {
                Err(format!("expected output {expect}, got {got}"))
            }
        }
    }
}

/// The `kind` and optional `what` of an expected error, or why the expectation is malformed.
fn expected_error_fields<'a>(
    expect: &Map<String, Value>,
    error: &'a Value,
) -> Result<(&'a str, Option<&'a str>), String> {
    let malformed = |why: &str| Err(format!("malformed expect {}: {why}", Value::Object(expect.clone())));
    if expect.len() != 1 {
        return malformed("\"error\" beside other keys");
    }
    let Some(fields) = error.as_object() else {
        return malformed("\"error\" is not an object");
    };
    if let Some(key) = fields.keys().find(|k| *k != "kind" && *k != "what") {
        return malformed(&format!("unknown key {key:?} in \"error\""));
    }
    let Some(kind) = fields.get("kind").and_then(Value::as_str) else {
        return malformed("\"error\" has no string \"kind\"");
    };
    match fields.get("what") {
        None => Ok((kind, None)),
        Some(Value::String(what)) => Ok((kind, Some(what.as_str()))),
        Some(_) => malformed("\"what\" is not a string"),
    }
}

/// `output {...}`, `error {...}`, or what else the answer is, for a mismatch message.
fn describe(answer: &Value) -> String {
    if let Some(output) = answer.get("output") {
        format!("output {output}")
    } else if let Some(error) = answer.get("error") {
        format!("error {error}")
    } else {
        format!("no output nor error in {answer}")
    }
}
