//! The op `rng`: a run of draws from the seeded generator, so that another implementation can
//! check its stream against lce's. The wire spec is `vectors/rng/README.md`.

use std::borrow::Cow;
use std::string::{String, ToString};
use std::vec::Vec;

use serde_json::{Map, Value};

use super::args::{Fields, wad_value};
use super::{OpError, Output, why};
use crate::Wad;
use crate::rng::{MAX_NU, Rng};

/// The keys of the op's input.
pub(super) const INPUTS: &[&str] = &["seed", "key", "state", "draw", "n", "lo", "hi", "p", "nu", "count"];

/// A value of `draw`: the parameters it takes (in the order they are checked) and how its
/// sampler is read.
#[derive(Clone, Copy)]
struct DrawKind {
    takes: &'static [&'static str],
    read: fn(&Map<String, Value>, &Fields<'_>) -> Result<Draw, OpError>,
}

/// The values of `draw`.
const DRAWS: &[(&str, DrawKind)] = &[
    (
        "u64",
        DrawKind {
            takes: &[],
            read: |_, _| Ok(Draw::U64),
        },
    ),
    (
        "unit",
        DrawKind {
            takes: &[],
            read: |_, _| Ok(Draw::Unit),
        },
    ),
    (
        "open_unit",
        DrawKind {
            takes: &[],
            read: |_, _| Ok(Draw::OpenUnit),
        },
    ),
    (
        "below",
        DrawKind {
            takes: &["n"],
            read: |input, _| match parse_u64(input.get("n")) {
                Some(n) if n > 0 => Ok(Draw::Below(n)),
                Some(_) => Err(OpError::invalid("n", "must be > 0 ([0, 0) is empty)")),
                None => Err(OpError::invalid("n", not_u64(input.get("n")))),
            },
        },
    ),
    (
        "range",
        DrawKind {
            takes: &["lo", "hi"],
            read: |_, root| {
                let (lo, hi) = (root.decimal("lo")?, root.decimal("hi")?);
                if lo >= hi {
                    return Err(OpError::invalid("hi", "must be > lo"));
                }
                Ok(Draw::Range(lo, hi))
            },
        },
    ),
    (
        "bernoulli",
        DrawKind {
            takes: &["p"],
            read: |_, root| {
                let p = root.decimal("p")?;
                if p.is_negative() || p > Wad::ONE {
                    return Err(OpError::invalid("p", "must be in [0, 1]"));
                }
                Ok(Draw::Bernoulli(p))
            },
        },
    ),
    (
        "normal",
        DrawKind {
            takes: &[],
            read: |_, _| Ok(Draw::Normal),
        },
    ),
    (
        "student_t",
        DrawKind {
            takes: &["nu"],
            read: |_, root| {
                let nu = root.count("nu")?;
                if nu == 0 || nu > MAX_NU {
                    return Err(OpError::invalid("nu", "must be in [1, 1000] (MAX_NU)"));
                }
                Ok(Draw::StudentT(nu))
            },
        },
    ),
];

/// The most values one case may ask for.
const MAX_COUNT: u32 = 1000;
// The why of `count` states this bound.
const _: () = assert!(MAX_COUNT == 1000);

/// One sampler with its parameters.
#[derive(Clone, Copy, Debug)]
enum Draw {
    U64,
    Unit,
    OpenUnit,
    Below(u64),
    Range(Wad, Wad),
    Bernoulli(Wad),
    Normal,
    StudentT(u32),
}

/// `{seed [key] | state, draw, [n | lo hi | p | nu], count}` → `{"values": [...]}`.
pub(super) fn run(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let mut rng = generator(input)?;
    let draw = draw(input, &root)?;
    let count = root.count("count")?;
    if count > MAX_COUNT {
        return Err(OpError::invalid("count", "at most 1000 values"));
    }
    let mut values = Vec::new();
    for _ in 0..count {
        values.push(match draw {
            Draw::U64 => Value::String(rng.next_u64().to_string()),
            Draw::Unit => wad_value(rng.unit()),
            Draw::OpenUnit => wad_value(rng.open_unit()),
            Draw::Below(n) => Value::String(rng.below(n)?.to_string()),
            Draw::Range(lo, hi) => wad_value(rng.range(lo, hi)?),
            Draw::Bernoulli(p) => Value::Bool(rng.bernoulli(p)?),
            Draw::Normal => wad_value(rng.normal()?),
            Draw::StudentT(nu) => wad_value(rng.student_t(nu)?),
        });
    }
    let mut out = Map::new();
    out.insert(String::from("values"), Value::Array(values));
    Ok(out)
}

/// Why `value` is not a `u64` on the wire (see [`parse_u64`]).
fn not_u64(value: Option<&Value>) -> Cow<'static, str> {
    match value {
        Some(Value::String(_)) => Cow::Borrowed("must be the digits of an integer in [0, 18446744073709551615]"),
        other => why::wrong_type("a string of digits (a u64)", other),
    }
}

/// A `u64` on the wire: a JSON string of ASCII digits (leading zeros allowed, no sign) whose
/// value is at most `2^64 − 1`.
fn parse_u64(value: Option<&Value>) -> Option<u64> {
    let text = value?.as_str()?;
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The generator: `Rng::from_state(state)`, `Rng::derive(seed, key)` or `Rng::new(seed)`.
fn generator(input: &Map<String, Value>) -> Result<Rng, OpError> {
    if let Some(state) = input.get("state") {
        if input.contains_key("seed") {
            return Err(OpError::invalid("state", "must not be given with a seed"));
        }
        if input.contains_key("key") {
            return Err(OpError::invalid("key", "must not be given with a state"));
        }
        let words = state
            .as_array()
            .ok_or_else(|| OpError::invalid("state", why::wrong_type("an array of 4 u64 strings", Some(state))))?;
        let mut parsed = [0u64; 4];
        if words.len() != parsed.len() {
            return Err(OpError::invalid("state", "must hold exactly 4 words"));
        }
        for (i, (slot, word)) in parsed.iter_mut().zip(words).enumerate() {
            *slot = parse_u64(Some(word))
                .ok_or_else(|| OpError::invalid(std::format!("state[{i}]"), not_u64(Some(word))))?;
        }
        return Rng::from_state(parsed).map_err(OpError::from);
    }
    let seed = parse_u64(input.get("seed")).ok_or_else(|| OpError::invalid("seed", not_u64(input.get("seed"))))?;
    match input.get("key") {
        None => Ok(Rng::new(seed)),
        key => Ok(Rng::derive(
            seed,
            parse_u64(key).ok_or_else(|| OpError::invalid("key", not_u64(key)))?,
        )),
    }
}

/// The sampler named by `draw`, with its parameters validated (before any value is drawn, so
/// that `count: 0` reports them too). A parameter the draw does not take is `invalid` (the
/// first one, in the order of the op's inputs).
fn draw(input: &Map<String, Value>, root: &Fields<'_>) -> Result<Draw, OpError> {
    let kind = root.choice("draw", DRAWS)?;
    let takes = |draw: &DrawKind, key: &str| draw.takes.contains(&key);
    let extra = INPUTS
        .iter()
        .find(|&&key| DRAWS.iter().any(|(_, d)| takes(d, key)) && input.contains_key(key) && !takes(&kind, key));
    if let Some(extra) = extra {
        return Err(OpError::invalid(*extra, "this draw does not take it"));
    }
    (kind.read)(input, root)
}
