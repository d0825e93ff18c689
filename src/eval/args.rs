//! Readers of input fields, shared by every op: each names the field in its error.

use std::string::{String, ToString};

use serde_json::{Map, Value};

use super::OpError;
use super::why;
use crate::{Rounding, Wad};

/// The decimal field `name` of `input`.
///
/// Errors: `invalid` naming the field when it is missing, is not a JSON string (a JSON number
/// included: it would not be exact), or its text is not an exact decimal with at most 18
/// fractional digits inside the [`Wad`] range; the why says which.
pub fn decimal(input: &Map<String, Value>, name: &'static str) -> Result<Wad, OpError> {
    Fields::root(input).decimal(name)
}

/// The decimal `value` of the field named `name`: its text parsed, or why it is not a decimal.
fn parse(value: Option<&Value>, name: impl FnOnce() -> String) -> Result<Wad, OpError> {
    match value {
        Some(Value::String(text)) => {
            Wad::parse_decimal(text).map_err(|e| OpError::invalid(name(), why::bad_decimal(e)))
        }
        other => Err(OpError::invalid(name(), why::not_decimal(other))),
    }
}

/// The optional field `round` of `input`: [`Rounding::Floor`] when absent.
///
/// Errors: `invalid` naming `round` when it is present but not exactly the string `"floor"`
/// or `"ceil"` (`null` included).
pub fn rounding(input: &Map<String, Value>) -> Result<Rounding, OpError> {
    let root = Fields::root(input);
    if root.has("round") {
        root.choice("round", ROUNDINGS)
    } else {
        Ok(Rounding::Floor)
    }
}

/// The wire names of [`Rounding`].
pub const ROUNDINGS: &[(&str, Rounding)] = &[("floor", Rounding::Floor), ("ceil", Rounding::Ceil)];

/// A [`Wad`] on the wire: a JSON string with its exact, shortest decimal text.
#[must_use]
pub fn wad_value(w: Wad) -> Value {
    let mut buf = [0; crate::num::MAX_DECIMAL_LEN];
    Value::String(String::from(w.write_decimal(&mut buf)))
}

/// A reader of one JSON object inside an op's input, which knows its own path (`account`,
/// `account.positions[2]`, …) so that every error names the exact field: a nested field is
/// named by its path, such as `market.levels[1].price`.
///
/// The wire rules are those of the top level: decimals are JSON strings; counts and indices are
/// JSON numbers holding non-negative integers; every object is strict (an unknown key is
/// `invalid` naming its path), checked with [`Fields::strict_for`] against the object's
/// declared spec (`eval::spec`) before its fields are read.
#[derive(Clone, Debug)]
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Fields<'a> {
    /// The reader of an op's whole input (fields are named by their key alone).
    #[must_use]
    pub fn root(map: &'a Map<String, Value>) -> Self {
        Self {
            map,
            path: String::new(),
        }
    }

    /// The path of the field `key` of this object: `key` at the top, `path.key` below it.
    #[must_use]
    pub fn name(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            std::format!("{}.{key}", self.path)
        }
    }

    /// The same object without the key `key`, into `scratch` (a copy of the map), keeping this
    /// object's path: for an object one of whose keys is read apart from the rest (a
    /// scenario market's `resilience`, beside the depth model's own fields).
    pub fn without<'b>(&self, key: &str, scratch: &'b mut Map<String, Value>) -> Fields<'b> {
        scratch.clone_from(self.map);
        scratch.remove(key);
        Fields {
            map: scratch,
            path: self.path.clone(),
        }
    }

    /// Another object read at this object's path (a scenario venue with its `protocol`
    /// expanded, read in the venue's place).
    #[must_use]
    pub fn at_same_path<'b>(&self, map: &'b Map<String, Value>) -> Fields<'b> {
        Fields {
            map,
            path: self.path.clone(),
        }
    }

    /// The path of this object itself (empty at the top).
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The keys of this object, in the input's order.
    pub fn keys(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.map.keys().map(String::as_str)
    }

    /// The field `key`, as it is.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    /// Whether the field `key` is present (`null` counts as present, and is then invalid).
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// The decimal field `key`: a JSON string with an exact decimal in the [`Wad`] range.
    pub fn decimal(&self, key: &str) -> Result<Wad, OpError> {
        parse(self.map.get(key), || self.name(key))
    }

    /// The optional decimal field `key`: `None` when absent.
    pub fn opt_decimal(&self, key: &str) -> Result<Option<Wad>, OpError> {
        if self.has(key) {
            self.decimal(key).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The decimal field `key`, or `default` when absent.
    pub fn decimal_or(&self, key: &str, default: Wad) -> Result<Wad, OpError> {
        Ok(self.opt_decimal(key)?.unwrap_or(default))
    }

    /// The integer field `key`: a JSON number holding an integer in `0..=u32::MAX`.
    pub fn count(&self, key: &str) -> Result<u32, OpError> {
        let value = self.map.get(key);
        value
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| OpError::invalid(self.name(key), why::not_integer(value, u64::from(u32::MAX))))
    }

    /// The integer field `key`: a JSON number holding an integer in `0..=u64::MAX` (a seed).
    pub fn integer(&self, key: &str) -> Result<u64, OpError> {
        let value = self.map.get(key);
        value
            .and_then(Value::as_u64)
            .ok_or_else(|| OpError::invalid(self.name(key), why::not_integer(value, u64::MAX)))
    }

    /// The optional string field `key` (free text, such as a name), or `default` when absent.
    pub fn text_or(&self, key: &str, default: &'a str) -> Result<&'a str, OpError> {
        match self.map.get(key) {
            None => Ok(default),
            Some(Value::String(s)) => Ok(s.as_str()),
            other => Err(OpError::invalid(self.name(key), why::wrong_type("a string", other))),
        }
    }

    /// The optional integer field `key`, or `default` when absent.
    pub fn count_or(&self, key: &str, default: u32) -> Result<u32, OpError> {
        if self.has(key) { self.count(key) } else { Ok(default) }
    }

    /// The optional boolean field `key`, or `default` when absent.
    pub fn flag_or(&self, key: &str, default: bool) -> Result<bool, OpError> {
        match self.map.get(key) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            other => Err(OpError::invalid(
                self.name(key),
                why::wrong_type("true or false", other),
            )),
        }
    }

    /// The string field `key`, which must be the name of one of `choices`: the value it names.
    /// (The why of any other value lists the names: `must be one of: "floor", "ceil"`.)
    pub fn choice<T: Copy>(&self, key: &str, choices: &[(&str, T)]) -> Result<T, OpError> {
        let value = self.map.get(key);
        let name = value.and_then(Value::as_str);
        choices
            .iter()
            .find(|(n, _)| Some(*n) == name)
            .map(|(_, value)| *value)
            .ok_or_else(|| {
                let why = match value {
                    None => std::borrow::Cow::Borrowed(why::REQUIRED),
                    Some(_) => why::one_of(choices.iter().map(|(n, _)| *n)).into(),
                };
                OpError::invalid(self.name(key), why)
            })
    }

    /// The value of field `key` as given, if any.
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    /// The object field `key`, as a reader whose path is this one's plus `key`.
    pub fn object(&self, key: &str) -> Result<Fields<'a>, OpError> {
        match self.map.get(key) {
            Some(Value::Object(map)) => Ok(Fields {
                map,
                path: self.name(key),
            }),
            other => Err(OpError::invalid(self.name(key), why::wrong_type("an object", other))),
        }
    }

    /// The optional object field `key`: `None` when absent.
    pub fn opt_object(&self, key: &str) -> Result<Option<Fields<'a>>, OpError> {
        if self.has(key) {
            self.object(key).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The array field `key`, whose items must all be objects: one reader per item, named
    /// `key[i]`. An empty array is accepted here; an op that needs items says so itself.
    pub fn objects(&self, key: &str) -> Result<std::vec::Vec<Fields<'a>>, OpError> {
        let items = self.array(key, "an array of objects")?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let path = std::format!("{}[{i}]", self.name(key));
                match item {
                    Value::Object(map) => Ok(Fields { map, path }),
                    other => Err(OpError::invalid(path, why::wrong_type("an object", Some(other)))),
                }
            })
            .collect()
    }

    /// The array field `key`, or `invalid` naming it (the why says it must be `expected`).
    fn array(&self, key: &str, expected: &str) -> Result<&'a std::vec::Vec<Value>, OpError> {
        match self.map.get(key) {
            Some(Value::Array(items)) => Ok(items),
            other => Err(OpError::invalid(self.name(key), why::wrong_type(expected, other))),
        }
    }

    /// The array field `key` of decimals (JSON strings); a bad item is named `key[i]`.
    pub fn decimals(&self, key: &str) -> Result<std::vec::Vec<Wad>, OpError> {
        let items = self.array(key, "an array of decimal strings")?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| parse(Some(item), || std::format!("{}[{i}]", self.name(key))))
            .collect()
    }

    /// A kernel error met while building this object's parameters, with an `invalid` field
    /// named by its path below this object (`fee` becomes `market.fee`) and the kernel's why;
    /// other errors as they are.
    #[must_use]
    pub fn kernel(&self, e: crate::Error) -> OpError {
        match e {
            crate::Error::Invalid { what, why } => OpError::invalid(self.name(what), why),
            other => OpError::from(other),
        }
    }
}
