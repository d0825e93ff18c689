//! A stream of cases evaluated in order, and the token sets its `define` cases name.

use std::collections::BTreeMap;
use std::io;
use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::fast::{self, SetCache};
use super::read::parse_line;
use super::world::TokenSet;
use super::{Fields, OpError, Output, answer, find_op, json_error_answer, unknown_op, why};

/// The input keys of `define`.
pub(super) const DEFINE_INPUTS: &[&str] = &["name", "tokens", "perps", "options"];

/// The token sets defined so far in a stream, by name.
#[derive(Clone, Debug, Default)]
pub struct Definitions {
    sets: BTreeMap<String, TokenSet>,
}

impl Definitions {
    /// No definitions.
    #[must_use]
    pub const fn new() -> Self {
        Self { sets: BTreeMap::new() }
    }

    /// The token set named `name`, if one was defined.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&TokenSet> {
        self.sets.get(name)
    }

    /// Defines (or redefines: the new set replaces the old one) the token set `name`.
    pub fn insert(&mut self, name: String, set: TokenSet) {
        self.sets.insert(name, set);
    }

    /// The number of sets defined.
    #[must_use]
    pub fn len(&self) -> usize {
        self.sets.len()
    }

    /// Whether no set is defined.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }
}

/// A stream of cases, evaluated in order: what `lce eval` keeps for the whole run (every
/// source, in order), and what a program keeps to talk to the kernel case by case.
///
/// It differs from [`eval_case`](super::eval_case) (a fresh session for each case) by one
/// thing: the `define` op gives a token set a name, and a later `health` or `liquidate` case
/// of the same session may give that name as its `tokens` instead of the array (its perp
/// markets and option series come with it). A redefinition replaces the set; a name that was
/// never defined is `invalid` naming `tokens`. See `vectors/README.md` §6.
///
/// ```
/// use lce::eval::Session;
/// use serde_json::json;
///
/// let mut session = Session::new();
/// let token = json!({"price": "1", "init_asset_weight": "0.8", "maint_asset_weight": "0.9",
///                    "init_liab_weight": "1", "maint_liab_weight": "1"});
/// let defined = session.eval(&json!({"op": "define", "input": {"name": "m", "tokens": [token, token]}}));
/// assert_eq!(defined["output"], json!({"name": "m", "tokens": 2, "perps": 0, "options": 0}));
/// let account = json!([{"token": 0, "balance": "10"}, {"token": 1, "balance": "-8"}]);
/// let answer = session.eval(&json!({"op": "health", "input": {"tokens": "m", "account": account}}));
/// assert_eq!(answer["output"]["maintenance"]["value"], "1");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Session {
    defs: Definitions,
    /// The token sets of the latest `health` lines, by their text.
    cache: SetCache,
}

impl Session {
    /// A session with nothing defined.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            defs: Definitions::new(),
            cache: SetCache::new(),
        }
    }

    /// The token sets defined so far.
    #[must_use]
    pub const fn definitions(&self) -> &Definitions {
        &self.defs
    }

    /// Gives the token set `set` the name `name` for the rest of the session, as a `define`
    /// case would.
    pub fn define(&mut self, name: String, set: TokenSet) {
        self.defs.insert(name, set);
    }

    /// Evaluates one case and returns its answer, as [`eval_case`](super::eval_case) does, with
    /// the session's definitions (a `define` case adds one). Never panics.
    pub fn eval(&mut self, case: &Value) -> Value {
        let fields = case.as_object();
        let echo = |key: &str| fields.and_then(|f| f.get(key)).cloned().unwrap_or(Value::Null);
        let result = match fields {
            Some(fields) => self.dispatch(fields),
            None => Err(OpError::invalid("case", why::wrong_type("a JSON object", Some(case)))),
        };
        answer(echo("op"), echo("input"), result)
    }

    /// Evaluates one case as [`Session::eval`] does and writes its answer to `out`, as
    /// compact JSON (without a line end): the same bytes as `serde_json::to_writer` of the
    /// answer, without copying the case's `op` and `input` into it.
    ///
    /// Errors: those of `out`.
    pub fn eval_into(&mut self, case: &Value, out: &mut impl io::Write) -> io::Result<()> {
        let fields = case.as_object();
        let result = match fields {
            Some(fields) => self.dispatch(fields),
            None => Err(OpError::invalid("case", why::wrong_type("a JSON object", Some(case)))),
        };
        let echo = |key: &str| fields.and_then(|f| f.get(key)).unwrap_or(&Value::Null);
        write_answer(out, echo("op"), echo("input"), &result)
    }

    /// Answers line `line` of JSON Lines from its text, appending the answer (without a line
    /// end) to `out`: the same bytes as [`Session::eval_into`] of the line parsed, or, when the
    /// text is not JSON, the answer of [`Entry::answer`](super::Entry::answer). A `health` case
    /// takes a faster path that gives the same bytes (see `fast.rs`).
    pub fn answer_line(&mut self, line: usize, text: &str, out: &mut Vec<u8>) {
        if fast::health_line(text, &self.defs, &mut self.cache, out).is_some() {
            return;
        }
        // Writing to a `Vec` cannot fail.
        let _ = match parse_line(line, text) {
            Ok(case) => self.eval_into(&case, out),
            Err(what) => serde_json::to_writer(&mut *out, &json_error_answer(&what)).map_err(io::Error::from),
        };
    }

    /// Evaluates one case (a JSON object) and returns its output or error.
    ///
    /// Errors: as the answer's `error` of [`Session::eval`].
    pub fn dispatch(&mut self, case: &Map<String, Value>) -> Result<Output, OpError> {
        let op = match case.get("op") {
            Some(Value::String(name)) => name,
            other => return Err(OpError::invalid("op", why::wrong_type("a string naming an op", other))),
        };
        // An unknown op is reported before a bad input.
        find_op(op).ok_or_else(|| OpError::invalid("op", unknown_op(op)))?;
        let input = match case.get("input") {
            Some(Value::Object(input)) => input,
            other => return Err(OpError::invalid("input", why::wrong_type("an object", other))),
        };
        self.run(op, input)
    }

    /// Runs the op named `op` on `input` (an unknown op is `invalid` naming `op`).
    ///
    /// Errors: as the answer's `error` of [`Session::eval`].
    pub fn run(&mut self, op: &str, input: &Map<String, Value>) -> Result<Output, OpError> {
        let op = find_op(op).ok_or_else(|| OpError::invalid("op", unknown_op(op)))?;
        if op.name == "define" {
            op.check_keys(input)?;
            let (name, set) = read_definition(input)?;
            let out = definition_output(&name, &set);
            self.defs.insert(name, set);
            Ok(out)
        } else {
            op.eval_in(input, &self.defs)
        }
    }
}

/// Writes the answer `{"op": op, "input": input, "output" | "error": ...}` as compact JSON,
/// as `serde_json` writes the answer [`Value`].
pub(super) fn write_answer(
    out: &mut impl io::Write,
    op: &Value,
    input: &Value,
    result: &Result<Output, OpError>,
) -> io::Result<()> {
    out.write_all(b"{\"op\":")?;
    serde_json::to_writer(&mut *out, op)?;
    out.write_all(b",\"input\":")?;
    serde_json::to_writer(&mut *out, input)?;
    match result {
        Ok(output) => {
            out.write_all(b",\"output\":")?;
            serde_json::to_writer(&mut *out, output)?;
        }
        Err(error) => {
            out.write_all(b",\"error\":")?;
            serde_json::to_writer(&mut *out, &error.to_value())?;
        }
    }
    out.write_all(b"}")
}

/// The name and the token set of a `define` input (whose keys were checked).
fn read_definition(input: &Map<String, Value>) -> Result<(String, TokenSet), OpError> {
    let root = Fields::root(input);
    let name = match input.get("name") {
        Some(Value::String(name)) if !name.is_empty() => name.clone(),
        Some(Value::String(_)) => return Err(OpError::invalid("name", "must not be empty")),
        other => return Err(OpError::invalid("name", why::wrong_type("a string", other))),
    };
    match input.get("tokens") {
        Some(Value::Array(_)) => {}
        Some(Value::String(_)) => {
            return Err(OpError::invalid(
                "tokens",
                "must be an array of tokens: a set is not defined by the name of another one",
            ));
        }
        other => return Err(OpError::invalid("tokens", why::wrong_type("an array of tokens", other))),
    }
    Ok((name, TokenSet::read(&root)?))
}

/// `{"name", "tokens", "perps", "options"}`: the name and the size of each part of a set.
fn definition_output(name: &str, set: &TokenSet) -> Output {
    let mut out = Map::new();
    out.insert("name".into(), Value::from(name));
    out.insert("tokens".into(), Value::from(set.tokens.len()));
    out.insert("perps".into(), Value::from(set.perps.len()));
    out.insert("options".into(), Value::from(set.options.len()));
    out
}

/// `define` outside a session ([`eval_case`](super::eval_case), or the op's table entry): the
/// definition is read and answered, and forgotten.
pub(super) fn run_define(input: &Map<String, Value>, _: &Definitions) -> Result<Output, OpError> {
    let (name, set) = read_definition(input)?;
    Ok(definition_output(&name, &set))
}
