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
//! either `"output": {...}` or `"error": {"kind": KIND, "what": WHAT}`:
//!
//! ```text
//! {"op":"mul","input":{"a":"1.5","b":"2"}}          -> {"op":"mul","input":{"a":"1.5","b":"2"},"output":{"y":"3"}}
//! {"op":"div","input":{"a":"1","b":"0"}}            -> {"op":"div","input":{"a":"1","b":"0"},"error":{"kind":"division_by_zero","what":"division by zero"}}
//! ```
//!
//! Every number, in an input or an output, is a JSON **string** holding its exact decimal
//! value (`"0.05"`, `"-12.000000000000000001"`); a JSON number is never accepted, since it
//! would not stay exact through most JSON libraries.
//!
//! # Errors
//!
//! `kind` is one of `"overflow"`, `"division_by_zero"`, `"domain"`, `"invalid"`,
//! `"capacity"` (see [`Error::kind`](crate::Error::kind)). The conventions are:
//!
//! | problem | `kind` | `what` |
//! |---|---|---|
//! | the case is valid JSON but not an object | `invalid` | `case` |
//! | `op` missing, not a string, or not a known op | `invalid` | `op` |
//! | `input` missing or not an object | `invalid` | `input` |
//! | `input` has a key the op does not take (strict protocol; the first such key in the input's order) | `invalid` | that key |
//! | a decimal field missing, not a string (a JSON number included), or its text not a decimal (an exponent, more than 18 fractional digits, garbage, or a value outside the [`Wad`](crate::Wad) range) | `invalid` | the field |
//! | `round` present but not exactly `"floor"` or `"ceil"` (it defaults to `"floor"` when absent) | `invalid` | `round` |
//! | the kernel fails | [`Error::kind`](crate::Error::kind) | [`Error::what`](crate::Error::what) |
//! | a line (or array) that is not JSON at all (the answer's `op` and `input` are `null`) | `invalid` | `json: <parse message> at line L column C` |
//!
//! A value outside the `Wad` range in an *input* is `invalid` (the input is wrong), never
//! `overflow`: `overflow` is kept for results the kernel cannot represent. The unknown-key
//! check comes first, then the op's fields in the order the op lists them.
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
mod ops_option_margin;
mod ops_options;
mod ops_options_stress;
mod ops_oracle;
mod ops_risk;
mod ops_rng;
mod read;
pub mod scenario;
mod session;
mod spec;
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
    /// Why, when the error says more than its field: the rule the field broke (`"no token set
    /// named \"x\" was defined earlier in this stream"`). On the wire, the key `why`, present
    /// only when there is one.
    pub why: Option<Cow<'static, str>>,
}

impl OpError {
    /// An `invalid` error naming `what` (usually an input field).
    #[must_use]
    pub fn invalid(what: impl Into<String>) -> Self {
        Self {
            kind: "invalid",
            what: what.into(),
            why: None,
        }
    }

    /// This error with the reason `why`.
    #[must_use]
    pub fn because(self, why: impl Into<Cow<'static, str>>) -> Self {
        Self {
            why: Some(why.into()),
            ..self
        }
    }

    /// The error as the JSON object `{"kind": KIND, "what": WHAT}`, with `"why": WHY` after
    /// them when the error has a reason.
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
            why: None,
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
