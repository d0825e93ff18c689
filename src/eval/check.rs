//! Comparing an answer with a case's `expect`.

use std::format;
use std::string::String;

use serde_json::{Map, Value};

/// Compares an answer (from [`eval_case`](super::eval_case)) with a case's `expect`.
///
/// - `expect` of the form `{"error": {"kind": K}}`, optionally with `"what": W` and `"why": Y`:
///   the answer must be an error of kind `K`, with `what` equal to `W` when `W` is given and
///   `why` equal to `Y` when `Y` is given (a case that gives no `why` accepts any why, or none).
/// - any other object: the answer must have an `output` equal to it as JSON: the same keys
///   and the same values. Numbers are compared as their canonical text (`"1.50"` is not
///   `"1.5"`): an implementation must print the canonical form, see `vectors/README.md`.
///
/// Returns `Err` with a one-line description (`expected …, got …`) when they differ, or when
/// `expect` itself is malformed (not an object; an `error` without a string `kind`, with a
/// `what` or `why` that is not a string, with other keys, or beside other keys).
pub fn check(answer: &Value, expect: &Value) -> Result<(), String> {
    let Some(expect_fields) = expect.as_object() else {
        return Err(format!("malformed expect {expect}: not an object"));
    };
    let got = describe(answer);
    match expect_fields.get("error") {
        Some(expected_error) => {
            let expected = expected_error_fields(expect_fields, expected_error)?;
            let matches = answer.get("error").and_then(Value::as_object).is_some_and(|error| {
                let field = |key: &str| error.get(key).and_then(Value::as_str);
                field("kind") == Some(expected.kind)
                    && expected.what.is_none_or(|w| field("what") == Some(w))
                    && expected.why.is_none_or(|w| field("why") == Some(w))
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

/// What an expected error gives: its `kind`, and the `what` and `why` to compare when given.
struct Expected<'a> {
    kind: &'a str,
    what: Option<&'a str>,
    why: Option<&'a str>,
}

/// The fields of an expected error, or why the expectation is malformed.
fn expected_error_fields<'a>(expect: &Map<String, Value>, error: &'a Value) -> Result<Expected<'a>, String> {
    let malformed = |why: &str| Err(format!("malformed expect {}: {why}", Value::Object(expect.clone())));
    if expect.len() != 1 {
        return malformed("\"error\" beside other keys");
    }
    let Some(fields) = error.as_object() else {
        return malformed("\"error\" is not an object");
    };
    if let Some(key) = fields.keys().find(|k| !["kind", "what", "why"].contains(&k.as_str())) {
        return malformed(&format!("unknown key {key:?} in \"error\""));
    }
    let Some(kind) = fields.get("kind").and_then(Value::as_str) else {
        return malformed("\"error\" has no string \"kind\"");
    };
    let text = |key: &str| match fields.get(key) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.as_str())),
        Some(_) => Err(format!("\"{key}\" is not a string")),
    };
    match (text("what"), text("why")) {
        (Ok(what), Ok(why)) => Ok(Expected { kind, what, why }),
        (Err(e), _) | (_, Err(e)) => malformed(&e),
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
