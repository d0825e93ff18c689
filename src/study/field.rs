//! Field paths into a scenario (`venues[0].collateral.liquidation_fee`, the syntax the
//! scenario's errors use) and patching a scenario's JSON at one.

use core::fmt;
use std::string::{String, ToString};
use std::vec::Vec;

use serde_json::{Map, Value};

use super::StudyError;
use crate::Wad;
use crate::eval::scenario::read_scenario;

/// One step of a [`FieldPath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// An object's key.
    Key(String),
    /// An array's item.
    Index(usize),
}

/// A path to a field of a scenario: keys joined by `.`, array items as `[i]`, such as
/// `venues[0].collateral.liquidation_fee` or `liquidators[2].capital`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FieldPath {
    steps: Vec<Step>,
}

impl FieldPath {
    /// Reads a path. `None` unless it is a key (letters, digits, `_`) followed by `.key` and
    /// `[i]` steps.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let mut steps = Vec::new();
        let mut rest = text;
        let mut first = true;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('[') {
                let end = r.find(']')?;
                let digits = r.get(..end)?;
                if first || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                steps.push(Step::Index(digits.parse().ok()?));
                rest = r.get(end.saturating_add(1)..)?;
            } else {
                let r = if first { rest } else { rest.strip_prefix('.')? };
                let end = r.find(['.', '[']).unwrap_or(r.len());
                let key = r.get(..end)?;
                if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    return None;
                }
                steps.push(Step::Key(key.to_string()));
                rest = r.get(end..)?;
            }
            first = false;
        }
        if steps.is_empty() { None } else { Some(Self { steps }) }
    }

    /// Its steps.
    #[must_use]
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The value at this path in `root`, if there is one.
    #[must_use]
    pub fn get<'v>(&self, root: &'v Map<String, Value>) -> Option<&'v Value> {
        let (first, rest) = self.steps.split_first()?;
        let Step::Key(k) = first else { return None };
        let mut node = root.get(k)?;
        for step in rest {
            node = match step {
                Step::Key(k) => node.as_object()?.get(k)?,
                Step::Index(i) => node.as_array()?.get(*i)?,
            };
        }
        Some(node)
    }

    /// Sets the field at this path in `root` to `value`, creating the objects on the way that
    /// are absent (a scenario's optional `behaviour`, `arbitrage`, `market.resilience`).
    ///
    /// Errors: the message of what is in the way (an item beyond an array's end, a step into
    /// something that is not an object or an array).
    pub fn set(&self, root: &mut Map<String, Value>, value: Value) -> Result<(), &'static str> {
        let Some((Step::Key(first), rest)) = self.steps.split_first() else {
            return Err("a field path starts with a key");
        };
        let mut node = root.entry(first.clone()).or_insert_with(|| empty(rest));
        let mut remaining = rest;
        while let Some((step, after)) = remaining.split_first() {
            node = match (step, node) {
                (Step::Key(k), Value::Object(m)) => m.entry(k.clone()).or_insert_with(|| empty(after)),
                (Step::Index(i), Value::Array(a)) => a.get_mut(*i).ok_or("the array has no such item")?,
                (Step::Key(_), _) => return Err("a key into something that is not an object"),
                (Step::Index(_), _) => return Err("an index into something that is not an array"),
            };
            remaining = after;
        }
        *node = value;
        Ok(())
    }

    /// The path with one more key.
    #[must_use]
    pub fn child(&self, key: &str) -> Self {
        let mut steps = self.steps.clone();
        steps.push(Step::Key(key.to_string()));
        Self { steps }
    }

    /// Whether `prefix` names this field or an object or array on its way.
    #[must_use]
    pub fn starts_with(&self, prefix: &Self) -> bool {
        self.steps.starts_with(&prefix.steps)
    }
}

/// The placeholder of a container about to be stepped into.
fn empty(rest: &[Step]) -> Value {
    match rest.first() {
        Some(Step::Index(_)) => Value::Array(Vec::new()),
        _ => Value::Object(Map::new()),
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                Step::Key(k) if i == 0 => f.write_str(k)?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A number a field takes: a decimal (a JSON string on the wire) or an integer (a JSON number).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Number {
    /// A decimal.
    Decimal(Wad),
    /// An integer (block numbers, counts, latencies, `nu`).
    Integer(u64),
}

impl Number {
    /// Reads a JSON value: a string holding an exact decimal, or a non-negative JSON integer.
    #[must_use]
    pub fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::String(s) => Wad::parse_decimal(s).ok().map(Self::Decimal),
            Value::Number(n) => n.as_u64().map(Self::Integer),
            _ => None,
        }
    }

    /// The JSON value: a decimal string, or a JSON integer.
    #[must_use]
    pub fn to_value(self) -> Value {
        match self {
            Self::Decimal(w) => Value::String(w.to_string()),
            Self::Integer(n) => Value::from(n),
        }
    }

    /// Whether it is an integer.
    #[must_use]
    pub const fn is_integer(self) -> bool {
        matches!(self, Self::Integer(_))
    }

    /// The value as a [`Wad`] (an integer `n` as `n`).
    ///
    /// Errors: [`crate::Error::Overflow`] for an integer beyond the `Wad` range.
    pub fn wad(self) -> crate::Result<Wad> {
        match self {
            Self::Decimal(w) => Ok(w),
            Self::Integer(n) => Wad::from_int(i128::from(n)),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Decimal(w) => write!(f, "{w}"),
            Self::Integer(n) => write!(f, "{n}"),
        }
    }
}

/// A key no scenario object takes, set beside a probed field: the strict reader names the
/// first unknown key of an object, so it names the probed field when the scenario does not
/// take it, and this key when it does.
const PROBE: &str = "lce_study_probe";

/// Checks that `field` is a field the scenario `base` has or takes, and that `value` (the
/// first value the study gives it) can be put there. `numeric`: the field must be a decimal or
/// an integer field (a sweep, a solve) — then `Some(true)` is returned for an integer field,
/// `Some(false)` for a decimal one; `None` when it is not asked.
///
/// Errors (`what` is `at`, `field` the path): an item beyond an array's end, a step into a
/// value that is neither an object nor an array, a field the scenario does not take, a field
/// that is not numeric, a value of the wrong type.
pub(super) fn check(
    base: &Map<String, Value>,
    field: &FieldPath,
    value: &Value,
    numeric: bool,
    at: &str,
) -> Result<Option<bool>, StudyError> {
    let fail = |why| Err(StudyError::invalid(at, why).with_field(field.to_string()));
    if let Some(existing) = field.get(base) {
        if !numeric {
            return Ok(None);
        }
        return match (Number::from_value(existing), Number::from_value(value)) {
            (None, _) => fail("not a numeric field: the scenario has no decimal or integer there"),
            (Some(Number::Decimal(_)), Some(Number::Decimal(_))) => Ok(Some(false)),
            (Some(Number::Integer(_)), Some(Number::Integer(_))) => Ok(Some(true)),
            (Some(Number::Decimal(_)), _) => fail("a decimal field: its values are decimal strings"),
            (Some(Number::Integer(_)), _) => fail("an integer field: its values are JSON integers"),
        };
    }
    // Absent: it may be set if the scenario takes it. Probe with a key that no object takes.
    let mut probe = base.clone();
    if let Err(why) = field.set(&mut probe, value.clone()) {
        return fail(why);
    }
    let Some((last, parent)) = field.steps().split_last() else {
        return fail("an empty field path");
    };
    let parent_path = FieldPath { steps: parent.to_vec() };
    let sentinel = if parent.is_empty() {
        probe.insert(PROBE.to_string(), Value::Null);
        FieldPath::parse(PROBE)
    } else {
        match parent_path.get_mut(&mut probe) {
            Some(Value::Object(m)) => {
                m.insert(PROBE.to_string(), Value::Null);
                Some(parent_path.child(PROBE))
            }
            _ => None,
        }
    };
    if matches!(last, Step::Index(_)) || sentinel.is_none() {
        return fail("the scenario has no such field");
    }
    if let Err(e) = read_scenario(&probe)
        && let Some(named) = FieldPath::parse(&e.what)
        && field.starts_with(&named)
    {
        return fail("the scenario has no such field");
    }
    if !numeric {
        return Ok(None);
    }
    match Number::from_value(value) {
        Some(n) => Ok(Some(n.is_integer())),
        None => fail("a decimal string or a JSON integer"),
    }
}

impl FieldPath {
    /// The value at this path in `root`, mutable.
    fn get_mut<'v>(&self, root: &'v mut Map<String, Value>) -> Option<&'v mut Value> {
        let (first, rest) = self.steps.split_first()?;
        let Step::Key(k) = first else { return None };
        let mut node = root.get_mut(k)?;
        for step in rest {
            node = match step {
                Step::Key(k) => node.as_object_mut()?.get_mut(k)?,
                Step::Index(i) => node.as_array_mut()?.get_mut(*i)?,
            };
        }
        Some(node)
    }
}
