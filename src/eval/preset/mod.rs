//! Protocol presets on the wire: `"protocol"` in `health`, `liquidate` and
//! `liquidator_decision` (`vectors/README.md` §10). One module per preset.

mod aave;
mod compound;
mod decision;
mod drift;
mod mango;
mod marginfi;
mod morpho;

use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::session::Definitions;
use super::spec::unknown_key;
use super::{Fields, OpError, Output};
use crate::preset::Protocol;

/// A preset reads its token set inline: a set defined earlier in the stream (`define`) is not
/// looked up, so presets read against no definitions.
static NO_DEFINITIONS: Definitions = Definitions::new();

/// The account and token set of a preset case (as `health` reads them, without definitions).
fn read_world(root: &Fields<'_>) -> Result<super::world::World<'static>, OpError> {
    super::world::read(root, &NO_DEFINITIONS)
}

/// The wire names of the presets.
const PROTOCOLS: &[(&str, Protocol)] = &[
    ("aave_v3.3", Protocol::AaveV33),
    ("compound_v3", Protocol::CompoundV3),
    ("morpho_blue", Protocol::MorphoBlue),
    ("mango_v4", Protocol::MangoV4),
    ("drift_v2", Protocol::DriftV2),
    ("marginfi_v2", Protocol::MarginfiV2),
];

/// The preset named by `protocol` (a name, or an object with `name` and overrides), and its
/// object when one was given.
pub(super) fn protocol<'a>(root: &Fields<'a>) -> Result<(Protocol, Option<Fields<'a>>), OpError> {
    if root.object("protocol").is_ok() {
        let f = root.object("protocol")?;
        let p = f.choice("name", PROTOCOLS)?;
        Ok((p, Some(f)))
    } else {
        Ok((root.choice("protocol", PROTOCOLS)?, None))
    }
}

/// Without a preset, the preset-only keys (`pool`, `position`) are invalid.
pub(crate) fn no_preset_keys(input: &Map<String, Value>) -> Result<(), OpError> {
    for key in ["pool", "position"] {
        if input.contains_key(key) {
            return Err(OpError::invalid(key, "is read only with \"protocol\": \"morpho_blue\""));
        }
    }
    for key in ["oracle_price", "quote_price", "user"] {
        if input.contains_key(key) {
            return Err(OpError::invalid(key, "is read only with \"protocol\": \"drift_v2\""));
        }
    }
    Ok(())
}

/// Rejects every key of `root` outside `allowed`: with a preset, the preset decides the rules.
pub(super) fn only(root: &Fields<'_>, allowed: &[&str]) -> Result<(), OpError> {
    match root.keys().find(|k| !allowed.contains(k)) {
        Some(k) => Err(OpError::invalid(
            root.name(k),
            "is not read with this protocol preset (the preset sets the rules; override its fields in the protocol object)",
        )),
        None => Ok(()),
    }
}

/// An index array field (`decimals`, `emode.collateral`): JSON integers.
pub(super) fn integers(f: &Fields<'_>, key: &str, max: u64, why: &'static str) -> Result<Vec<u64>, OpError> {
    let Some(Value::Array(items)) = f.raw(key) else {
        return Err(OpError::invalid(f.name(key), "must be an array of integers"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_u64()
                .filter(|n| *n <= max)
                .ok_or_else(|| OpError::invalid(std::format!("{}[{i}]", f.name(key)), why))
        })
        .collect()
}

/// A Morpho integer field: a JSON string of decimal digits (native units, shares, the 1e36
/// price), at most `i128::MAX`.
pub(super) fn integer(f: &Fields<'_>, key: &str) -> Result<i128, OpError> {
    let why = "must be a string of decimal digits (Morpho's integer), at most 2^127 - 1";
    match f.raw(key) {
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse::<i128>().map_err(|_| OpError::invalid(f.name(key), why))
        }
        None => Err(OpError::invalid(f.name(key), super::why::REQUIRED)),
        Some(_) => Err(OpError::invalid(f.name(key), why)),
    }
}

pub(super) fn int_value(x: i128) -> Value {
    Value::String(std::format!("{x}"))
}

pub(super) fn strict(f: &Fields<'_>, keys: &'static [&'static str]) -> Result<(), OpError> {
    match f.keys().find(|k| !keys.contains(k)) {
        Some(k) => Err(unknown_key(f.name(k), k, &[&keys])),
        None => Ok(()),
    }
}

/// `health` with a `protocol`.
pub(crate) fn run_health(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    match protocol(&root)?.0 {
        Protocol::AaveV33 => aave::health(&root),
        Protocol::MorphoBlue => morpho::health(&root),
        Protocol::CompoundV3 => compound::health(&root),
        Protocol::MarginfiV2 => marginfi::health(&root),
        Protocol::MangoV4 => mango::health(&root),
        Protocol::DriftV2 => drift::health(&root),
    }
}

/// `liquidate` with a `protocol`.
pub(crate) fn run_liquidate(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    match protocol(&root)?.0 {
        Protocol::AaveV33 => aave::liquidate(&root),
        Protocol::MorphoBlue => morpho::liquidate(&root),
        Protocol::CompoundV3 => compound::liquidate(&root),
        Protocol::MarginfiV2 => marginfi::liquidate(&root),
        Protocol::MangoV4 => mango::liquidate(&root),
        Protocol::DriftV2 => drift::liquidate(&root),
    }
}

/// `liquidator_decision` with a `protocol`.
pub(crate) fn run_decision(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    match protocol(&root)?.0 {
        Protocol::AaveV33 => aave::decision(&root),
        Protocol::MangoV4 => mango::decision(&root),
        Protocol::MarginfiV2 => marginfi::decision(&root),
        Protocol::DriftV2 => drift::decision(&root),
        Protocol::MorphoBlue => morpho::decision(&root),
        Protocol::CompoundV3 => compound::decision(&root),
    }
}

/// A token index field that must name one of the `len` tokens.
pub(super) fn token_index(f: &Fields<'_>, key: &str, len: usize) -> Result<usize, OpError> {
    let i = usize::try_from(f.count(key)?).unwrap_or(usize::MAX);
    if i < len {
        Ok(i)
    } else {
        Err(OpError::invalid(f.name(key), "must be the index of one of the tokens"))
    }
}
