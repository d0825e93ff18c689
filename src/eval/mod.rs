//! The `lce eval` protocol as a library: JSON cases in, JSON answers out.
//!
//! The command line's `lce eval`, the golden-vector tests and any other harness share this
//! module, so they read, evaluate and compare cases in exactly the same way.
//!
//! # Cases and answers
//!
//! A **case** is a JSON object `{"op": NAME, "input": {...}}`; it may also carry an
//! `"expect"` (what [`check`] compares the answer with), a `"note"`, or any other key: keys
//! beside `op` and `input` are the case's own metadata and are not read by [`eval_case`].
//!
//! Its **answer** is a JSON object with the keys, in this order, `op` and `input` (copied
//! from the case as given, `null` when the case has none or is not an object) and then
//! either `"output": {...}` or `"error": {"kind": KIND, "what": WHAT, "why": WHY}`:
//!
//! ```text
//! {"op":"mul","input":{"a":"1.5","b":"2"}}          -> {"op":"mul","input":{"a":"1.5","b":"2"},"output":{"y":"3"}}
//! {"op":"div","input":{"a":"1","b":"0"}}            -> {"op":"div","input":{"a":"1","b":"0"},"error":{"kind":"division_by_zero","what":"division by zero"}}
//! {"op":"mul","input":{"a":1.5,"b":"2"}}            -> {"op":"mul","input":{"a":1.5,"b":"2"},"error":{"kind":"invalid","what":"a","why":"must be a decimal string, not a JSON number"}}
//! ```
//!
//! Every number, in an input or an output, is a JSON **string** holding its exact decimal
//! value (`"0.05"`, `"-12.000000000000000001"`); a JSON number is never accepted, since it
//! would not stay exact through most JSON libraries.
//!
//! # Errors
//!
//! `kind` is one of `"overflow"`, `"division_by_zero"`, `"domain"`, `"invalid"`,
//! `"capacity"` (see [`Error::kind`](crate::Error::kind)); `what` names the field; `why`
//! states the rule it broke, briefly, in the field's terms. Every error has a `why` but an
//! `overflow` and a `division_by_zero`, which name no field. The conventions are:
//!
//! | problem | `kind` | `what` | `why` |
//! |---|---|---|---|
//! | the case is valid JSON but not an object | `invalid` | `case` | `must be a JSON object, not an array` |
//! | `op` missing, not a string, or not a known op | `invalid` | `op` | `is required`, ``unknown op; did you mean `sqrt`?`` |
//! | `input` missing or not an object | `invalid` | `input` | `must be an object, not a string` |
//! | `input` has a key the op does not take (strict protocol; the first such key in the input's order) | `invalid` | that key | `unknown key (expected one of: x, round)`, or ``unknown key; did you mean `round`?`` when one is a likely slip |
//! | a decimal field missing, not a string (a JSON number included), or its text not a decimal (an exponent, more than 18 fractional digits, garbage, or a value outside the [`Wad`](crate::Wad) range) | `invalid` | the field | `is required`, `must be a decimal string, not a JSON number`, or the parser's reason: `must not have an exponent: …`, `must have at most 18 fractional digits …`, `must be within the decimal range, about ±1.7e20` |
//! | `round` present but not exactly `"floor"` or `"ceil"` (it defaults to `"floor"` when absent) | `invalid` | `round` | `must be one of: "floor", "ceil"` |
//! | the kernel fails | [`Error::kind`](crate::Error::kind) | [`Error::what`](crate::Error::what) | [`Error::why`](crate::Error::why) (`must be in [init_asset_weight, 1]`, `ln needs x > 0`) |
//! | a line (or array) that is not JSON at all (the answer's `op` and `input` are `null`) | `invalid` | `json: <parse message> at line L column C` | `the text is not valid JSON` |
//!
//! A value outside the `Wad` range in an *input* is `invalid` (the input is wrong), never
//! `overflow`: `overflow` is kept for results the kernel cannot represent. The unknown-key
//! check comes first, then the op's fields in the order the op lists them. [`check`] compares
//! `kind`, and `what` and `why` when the case's `expect` gives them.
//!
//! # Streams
//!
//! A [`Session`] evaluates the cases of one stream in order: its `define` cases give token
//! sets names that its later `health` and `liquidate` cases may give as their `tokens`
//! (`vectors/README.md` §6). [`eval_case`] is a session of one case.
//!
//! # Reading
//!
//! [`read_cases`] reads a source as JSON Lines (one case per line, blank lines skipped), or
//! as one JSON array of cases when its first non-whitespace character is `[`. A line that is
//! not JSON gives an [`Entry`] whose answer is an error, and reading goes on with the next
//! line: no case is lost. (In an array, a syntax error ends the array: the cases before it
//! are kept and the error is the last entry.)
//!
//! # Ops
//!
//! Ops are entries of the table [`OPS`]; a new op is one more [`Op`] entry (its name, the
//! input keys it takes, a usage line and a description for `lce eval --help`, and a function
//! from the input object to the output object), built from the field readers [`decimal`] and
//! [`rounding`] and the writer [`wad_value`]. The answer's `op` and `input` keys, strictness
//! about unknown keys, and error mapping come from the dispatcher, not from each op.

mod args;
mod check;
mod fast;
mod ops;
mod ops_cascade;
mod ops_liquidator;
mod ops_margin;
mod ops_market;
mod ops_option_liquidation;
mod ops_option_margin;
mod ops_options;
mod ops_options_stress;
mod preset;
mod ops_oracle;
mod ops_path;
mod ops_risk;
mod ops_rng;
mod ops_vol_path;
mod read;
pub mod scenario;
mod session;
mod spec;
mod venue_preset;
mod why;
mod world;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod wire_tests;

use std::borrow::Cow;
use std::string::String;

use serde_json::{Map, Value};

pub use args::{Fields, decimal, rounding, wad_value};
pub use check::check;
pub use ops::{OPS, Op, find_op};
pub use ops_vol_path::VolSpec;
pub use read::{Entry, Item, Reader, json_error_answer, read_cases};
pub use session::{Definitions, Session};
pub use world::{TokenSet, read_account};

/// The output object of an op, such as `{"y": "4.481689070338064822"}`.
pub type Output = Map<String, Value>;

/// Why a case has no output: the `error` object of an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpError {
    /// The kind of error, as [`Error::kind`](crate::Error::kind): `"invalid"`, `"overflow"`, …
    pub kind: &'static str,
    /// What it concerns: the input field, or the kernel's [`Error::what`](crate::Error::what).
    pub what: String,
    /// Why: the rule the field broke (`"must be > 0"`, `"is required"`, `"unknown key
    /// (expected one of: …)"`), or the kernel's [`Error::why`](crate::Error::why); `None` only
    /// for the kernel errors that have none (`overflow`, `division_by_zero`).
    pub why: Option<Cow<'static, str>>,
}

impl OpError {
    /// An `invalid` error naming `what` (usually an input field) and the rule `why` it broke.
    #[must_use]
    pub fn invalid(what: impl Into<String>, why: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind: "invalid",
            what: what.into(),
            why: Some(why.into()),
        }
    }

    /// The error as the JSON object `{"kind": KIND, "what": WHAT, "why": WHY}` (without `why`
    /// when there is none).
    #[must_use]
    pub fn to_value(&self) -> Value {
        let mut error = Map::new();
        error.insert(String::from("kind"), Value::from(self.kind));
        error.insert(String::from("what"), Value::from(self.what.as_str()));
        if let Some(why) = &self.why {
            error.insert(String::from("why"), Value::from(why.as_ref()));
        }
        Value::Object(error)
    }
}

impl From<crate::Error> for OpError {
    fn from(e: crate::Error) -> Self {
        Self {
            kind: e.kind(),
            what: String::from(e.what()),
            why: e.why().map(Cow::Borrowed),
        }
    }
}

/// Evaluates one case and returns its answer (see the [module documentation](self) for the
/// shapes and the error conventions). Never panics.
///
/// Each call is a [`Session`] of its own: a `define` case is answered and forgotten, and a
/// `tokens` that names a set is `invalid`. Use a [`Session`] to keep definitions.
#[must_use]
pub fn eval_case(case: &Value) -> Value {
    Session::new().eval(case)
}

/// The answer object `{"op": op, "input": input, "output" | "error": ...}`.
fn answer(op: Value, input: Value, result: Result<Output, OpError>) -> Value {
    let mut answer = Map::new();
    answer.insert(String::from("op"), op);
    answer.insert(String::from("input"), input);
    match result {
        Ok(output) => answer.insert(String::from("output"), Value::Object(output)),
        Err(error) => answer.insert(String::from("error"), error.to_value()),
    };
    Value::Object(answer)
}

/// The why of an op name that [`OPS`] does not have: a did-you-mean when one op is close to it.
pub(super) fn unknown_op(name: &str) -> Cow<'static, str> {
    let names: std::vec::Vec<&str> = OPS.iter().map(|op| op.name).collect();
    match why::did_you_mean(name, &names) {
        Some(near) => Cow::Owned(std::format!("unknown op; did you mean `{near}`?")),
        None => Cow::Borrowed("unknown op (`lce eval --help` lists them)"),
    }
}
