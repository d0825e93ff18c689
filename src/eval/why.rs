//! The `why` of the errors that `lce eval` itself raises: the rule a field broke, in the
//! terms of the wire (`"is required"`, `"must be a decimal string, not a JSON number"`,
//! `"unknown key; did you mean `capacity`?"`). Kernel errors keep the kernel's own why.

use std::borrow::Cow;
use std::format;
use std::string::String;
use std::vec::Vec;

use serde_json::Value;

use crate::Error;

/// A required field is absent.
pub const REQUIRED: &str = crate::wire::REQUIRED;

/// What a value is, for `"must be X, not <this>"`.
fn found(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a JSON boolean",
        Value::Number(_) => "a JSON number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `"is required"` when `value` is absent, else `"must be {expected}, not {what it is}"`.
pub fn wrong_type(expected: &str, value: Option<&Value>) -> Cow<'static, str> {
    match value {
        None => Cow::Borrowed(REQUIRED),
        Some(v) => Cow::Owned(format!("must be {expected}, not {}", found(v))),
    }
}

/// The why of a decimal field whose value is not a decimal string (absent, a JSON number, …).
pub fn not_decimal(value: Option<&Value>) -> Cow<'static, str> {
    match value {
        Some(Value::String(_)) => Cow::Borrowed("must be a decimal string"),
        other => wrong_type("a decimal string", other),
    }
}

/// The why of decimal text that [`Wad::parse_decimal`](crate::Wad::parse_decimal) refused:
/// the parser's own reason (an exponent, more than 18 fractional digits, a stray character,
/// …), or the range when the value does not fit.
pub fn bad_decimal(e: Error) -> Cow<'static, str> {
    match e.why() {
        Some(why) => Cow::Borrowed(why),
        None => Cow::Borrowed(OUT_OF_RANGE),
    }
}

/// A decimal outside the [`Wad`](crate::Wad) range.
pub const OUT_OF_RANGE: &str = "must be within the decimal range, about ±1.7e20";

/// The why of an integer field (`0..=max`) that is absent, not a JSON number, or out of range.
pub fn not_integer(value: Option<&Value>, max: u64) -> Cow<'static, str> {
    match value {
        Some(Value::Number(_)) if max == u64::from(u32::MAX) => Cow::Borrowed("must be an integer in [0, 4294967295]"),
        Some(Value::Number(_)) => Cow::Owned(format!("must be an integer in [0, {max}]")),
        other => wrong_type("a JSON number (an integer)", other),
    }
}

/// `must be one of: "a", "b"` for a choice among `names`.
pub fn one_of<'n>(names: impl IntoIterator<Item = &'n str>) -> String {
    let quoted: Vec<String> = names.into_iter().map(|n| format!("{n:?}")).collect();
    format!("must be one of: {}", quoted.join(", "))
}

/// The why of a key that the object does not know: a did-you-mean when one known key is a
/// likely slip for it (see [`did_you_mean`]), else the list of the keys it knows.
pub fn unknown_key(key: &str, known: &[&str]) -> String {
    match did_you_mean(key, known) {
        Some(near) => format!("unknown key; did you mean `{near}`?"),
        None => format!("unknown key (expected one of: {})", known.join(", ")),
    }
}

/// The known key that `key` is a likely slip for, tried in this order: the same key but for
/// case, `_` and `-` (`maxBlocks`); the closest within a third of its length in edits, at
/// most 2 (`capcity`, `strkie`; none for a key of one or two characters); the only known key
/// that it begins or that begins it, both at least three characters long (`rounding`,
/// `gas` for `gas_price`).
pub fn did_you_mean<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let folded = fold(key);
    if let Some(same) = known.iter().find(|k| fold(k) == folded) {
        return Some(same);
    }
    let limit = (key.chars().count() / 3).min(2);
    let near = known
        .iter()
        .map(|k| (edits(key, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k);
    if near.is_some() {
        return near;
    }
    let mut prefixed = known.iter().filter(|k| {
        let (short, long) = if k.len() < key.len() { (**k, key) } else { (key, **k) };
        short.chars().count() >= 3 && long.starts_with(short)
    });
    match (prefixed.next(), prefixed.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// `key` in lower case without `_` and `-`.
fn fold(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The optimal-string-alignment distance between `a` and `b`: insertions, deletions,
/// substitutions and transpositions of adjacent characters, each one edit.
fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len().saturating_add(1);
    let mut d = std::vec![0usize; a.len().saturating_add(1).saturating_mul(width)];
    let at = |i: usize, j: usize| i.saturating_mul(width).saturating_add(j);
    for i in 0..=a.len() {
        if let Some(x) = d.get_mut(at(i, 0)) {
            *x = i;
        }
    }
    for j in 0..=b.len() {
        if let Some(x) = d.get_mut(at(0, j)) {
            *x = j;
        }
    }
    let get = |d: &[usize], i: usize, j: usize| d.get(at(i, j)).copied().unwrap_or(usize::MAX);
    for (i, ca) in a.iter().enumerate() {
        for (j, cb) in b.iter().enumerate() {
            let (i1, j1) = (i.saturating_add(1), j.saturating_add(1));
            let cost = usize::from(ca != cb);
            let mut best = get(&d, i, j1)
                .saturating_add(1)
                .min(get(&d, i1, j).saturating_add(1))
                .min(get(&d, i, j).saturating_add(cost));
            if i > 0 && j > 0 && a.get(i.wrapping_sub(1)) == Some(cb) && b.get(j.wrapping_sub(1)) == Some(ca) {
                best = best.min(get(&d, i.wrapping_sub(1), j.wrapping_sub(1)).saturating_add(1));
            }
            if let Some(x) = d.get_mut(at(i1, j1)) {
                *x = best;
            }
        }
    }
    get(&d, a.len(), b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_count_insertions_deletions_substitutions_and_swaps() {
        assert_eq!(edits("capcity", "capacity"), 1);
        assert_eq!(edits("capacity", "capacity"), 0);
        assert_eq!(edits("strkie", "strike"), 1);
        assert_eq!(edits("", "abc"), 3);
        assert_eq!(edits("kitten", "sitting"), 3);
    }

    #[test]
    fn a_close_key_is_suggested_and_a_far_one_lists_the_keys() {
        let known = ["capacity", "decay", "band"];
        assert_eq!(unknown_key("capcity", &known), "unknown key; did you mean `capacity`?");
        assert_eq!(unknown_key("Capacity", &known), "unknown key; did you mean `capacity`?");
        assert_eq!(
            unknown_key("unknown_key", &known),
            "unknown key (expected one of: capacity, decay, band)"
        );
        // Short keys need a closer match: one edit in three characters.
        assert_eq!(did_you_mean("bnd", &known), Some("band"));
        assert_eq!(did_you_mean("x", &["y"]), None);
        assert_eq!(did_you_mean("max_blocks", &["maxBlocks", "seed"]), Some("maxBlocks"));
        assert_eq!(did_you_mean("decy", &known), Some("decay"));
        // A key that begins, or is begun by, exactly one known key.
        assert_eq!(did_you_mean("rounding", &["x", "round"]), Some("round"));
        assert_eq!(did_you_mean("gas", &["gas_price", "volatility"]), Some("gas_price"));
        assert_eq!(did_you_mean("max", &["max_age", "max_deviation"]), None);
        assert_eq!(did_you_mean("ma", &["max_age"]), None);
    }

    #[test]
    fn wrong_types_say_what_was_found() {
        assert_eq!(
            not_decimal(Some(&Value::from(1))),
            "must be a decimal string, not a JSON number"
        );
        assert_eq!(not_decimal(None), "is required");
        assert_eq!(not_decimal(Some(&Value::Null)), "must be a decimal string, not null");
        assert_eq!(
            not_integer(Some(&Value::from("1")), u64::from(u32::MAX)),
            "must be a JSON number (an integer), not a string"
        );
        assert_eq!(
            not_integer(Some(&Value::from(-1)), u64::from(u32::MAX)),
            "must be an integer in [0, 4294967295]"
        );
        assert_eq!(one_of(["floor", "ceil"]), "must be one of: \"floor\", \"ceil\"");
    }
}
