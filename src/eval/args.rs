//! Readers of input fields, shared by every op: each names the field in its error.

use std::string::{String, ToString};

use serde_json::{Map, Value};

use super::OpError;
use crate::{Rounding, Wad};

/// The decimal field `name` of `input`.
///
/// Errors: `invalid` naming the field when it is missing, is not a JSON string (a JSON number
/// included: it would not be exact), or its text is not an exact decimal with at most 18
/// fractional digits inside the [`Wad`] range.
pub fn decimal(input: &Map<String, Value>, name: &'static str) -> Result<Wad, OpError> {
    match input.get(name) {
        Some(Value::String(text)) => Wad::parse_decimal(text).map_err(|_| OpError::invalid(name)),
        _ => Err(OpError::invalid(name)),
    }
}

/// The optional field `round` of `input`: [`Rounding::Floor`] when absent.
///
/// Errors: `invalid` naming `round` when it is present but not exactly the string `"floor"`
/// or `"ceil"` (`null` included).
pub fn rounding(input: &Map<String, Value>) -> Result<Rounding, OpError> {
    match input.get("round") {
        None => Ok(Rounding::Floor),
        Some(Value::String(s)) if s == "floor" => Ok(Rounding::Floor),
        Some(Value::String(s)) if s == "ceil" => Ok(Rounding::Ceil),
        Some(_) => Err(OpError::invalid("round")),
    }
}

/// A [`Wad`] on the wire: a JSON string with its exact, shortest decimal text.
#[must_use]
pub fn wad_value(w: Wad) -> Value {
    Value::String(w.to_string())
}
