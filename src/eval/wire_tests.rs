//! One wire schema per type: every object of every golden vector that has both a serde form
//! and an `lce eval` reader is read both ways, as given and under small edits (each key
//! removed, each key `null`, each key a JSON number, an unknown key added), and the two must
//! both accept it with the same value or both refuse it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::fs;
use std::path::{Path, PathBuf};
use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, vec};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::args::{Fields, ROUNDINGS};
use super::spec::Keys;
use super::{OpError, read_cases};
use crate::account::{HealthLevel, OptionMark, OptionParams, PerpParams, TokenParams};
use crate::cascade::{Behaviour, Sizing};
use crate::liquidation::{CloseFactor, LiquidationParams, OptionOrder, PerpOrder, TokenOrder, Waterfall};
use crate::liquidator::{Environment, Opportunity, Profile};
use crate::margin::{DynamicMarginParams, EwmaParams, GovernorParams};
use crate::market::{Market, Side};
use crate::options::{BsInputs, GridParams, OptionKind, PoolParams, StandardMarginParams};
use crate::oracle::{FeedParams, Guards, OraclePrice};

/// Every type with both a serde form and an eval reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Price,
    Token,
    Perp,
    OptionParams,
    OptionMark,
    CloseFactor,
    Liquidation,
    Waterfall,
    TokenOrder,
    PerpOrder,
    OptionOrder,
    Market,
    Opportunity,
    Profile,
    Environment,
    Feed,
    Guards,
    DynamicMargin,
    Governor,
    Ewma,
    StandardMargin,
    Grid,
    Pool,
    Bs,
}

/// As many as the index of a token, a perp market or an option series can name: the readers'
/// bound on an index is the input's list, which a lone object does not have.
const ANY_INDEX: usize = 1 << 16;

/// `a` and `b` agree: both accept with the same value, or both refuse.
fn agree<T: PartialEq + Debug>(eval: Result<T, OpError>, serde: serde_json::Result<T>) -> Result<bool, String> {
    match (eval, serde) {
        (Ok(a), Ok(b)) if a == b => Ok(true),
        (Ok(a), Ok(b)) => Err(format!("both accept, with different values: eval {a:?}, serde {b:?}")),
        (Err(_), Err(_)) => Ok(false),
        (Ok(a), Err(e)) => Err(format!("eval accepts ({a:?}), serde refuses ({e})")),
        (Err(e), Ok(b)) => Err(format!("serde accepts ({b:?}), eval refuses ({e:?})")),
    }
}

/// Reads `map` as a `T` by eval's reader `read` and by serde.
fn both<T: PartialEq + Debug + DeserializeOwned>(
    map: &Map<String, Value>,
    read: impl Fn(&Fields<'_>) -> Result<T, OpError>,
) -> Result<bool, String> {
    agree(
        read(&Fields::root(map)),
        serde_json::from_value(Value::Object(map.clone())),
    )
}

/// Whether eval and serde agree on `map` as a `kind` (and whether they accept it).
fn compare(kind: Kind, map: &Map<String, Value>) -> Result<bool, String> {
    use super::{ops_liquidator as liq, ops_margin as margin, ops_option_margin as om, ops_risk as risk, world};
    match kind {
        Kind::Price => both::<OraclePrice>(map, |f| world::PRICE.object(f)),
        Kind::Token => both::<TokenParams>(map, world::token_params),
        Kind::Perp => both::<PerpParams>(map, world::perp_params),
        Kind::OptionParams => both::<OptionParams>(map, |f| {
            f.strict_for(&[&world::OPTION])?;
            world::option_fields(f, ANY_INDEX)
        }),
        Kind::OptionMark => both::<OptionMark>(map, |f| world::MARK.object(f)),
        Kind::CloseFactor => both::<CloseFactor>(map, risk::close_factor),
        Kind::Liquidation => both::<LiquidationParams>(map, |f| {
            risk::LIQUIDATION.read_with(f, LiquidationParams::default(), &())
        }),
        Kind::Waterfall => both::<Waterfall>(map, risk::read_waterfall),
        Kind::TokenOrder => both::<TokenOrder>(map, |f| {
            let none = TokenOrder {
                liability: 0,
                collateral: 0,
                max_repay: None,
            };
            risk::TOKEN_ORDER.read_with(f, none, &ANY_INDEX)
        }),
        Kind::PerpOrder => both::<PerpOrder>(map, |f| {
            let none = PerpOrder {
                market: 0,
                max_base: None,
            };
            risk::PERP_ORDER.read_with(f, none, &())
        }),
        Kind::OptionOrder => both::<OptionOrder>(map, |f| {
            let none = OptionOrder {
                series: 0,
                token: 0,
                max_size: None,
            };
            super::ops_option_liquidation::OPTION_ORDER.read_with(f, none, &(ANY_INDEX, ANY_INDEX))
        }),
        Kind::Market => both::<Market<32>>(map, super::ops_market::read_market),
        Kind::Opportunity => both::<Opportunity>(map, |f| liq::OPPORTUNITY.object(f)),
        Kind::Profile => both::<Profile>(map, liq::profile),
        Kind::Environment => both::<Environment>(map, |f| {
            Environment::new(liq::ENVIRONMENT.read(f)?).map_err(|e| f.kernel(e))
        }),
        Kind::Feed => both::<FeedParams>(map, |f| super::ops_oracle::FEED.object(f)),
        Kind::Guards => both::<Guards>(map, |f| super::ops_oracle::GUARDS.object(f)),
        Kind::DynamicMargin => both::<DynamicMarginParams>(map, |f| {
            DynamicMarginParams::new(margin::PARAMS.object(f)?).map_err(|e| f.kernel(e))
        }),
        Kind::Governor => both::<GovernorParams>(map, |f| margin::GOVERNOR.object(f)),
        Kind::Ewma => both::<EwmaParams>(map, |f| {
            EwmaParams::new(margin::EWMA.object(f)?).map_err(|e| f.kernel(e))
        }),
        Kind::StandardMargin => both::<StandardMarginParams>(map, om::standard_params),
        Kind::Grid => both::<GridParams>(map, om::grid),
        Kind::Pool => both::<PoolParams>(map, |f| {
            PoolParams::new(super::ops_options_stress::POOL.object(f)?).map_err(|e| f.kernel(e))
        }),
        Kind::Bs => both::<BsInputs>(map, |f| super::ops_options::BS.object(f)),
    }
}

/// The keys of `map` that `keep` keeps.
fn only(map: &Map<String, Value>, keep: impl Fn(&str) -> bool) -> Map<String, Value> {
    map.iter()
        .filter(|(k, _)| keep(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Collects the objects of a type with a serde form from an op's input.
struct Found(Vec<(Kind, Map<String, Value>)>);

impl Found {
    fn push(&mut self, kind: Kind, value: Option<&Value>) {
        if let Some(Value::Object(map)) = value {
            self.0.push((kind, map.clone()));
        }
    }

    fn push_map(&mut self, kind: Kind, map: Map<String, Value>) {
        self.0.push((kind, map));
    }

    /// A token or perp object: its price part and its parameters (with any unknown key).
    fn priced(&mut self, kind: Kind, value: Option<&Value>) {
        use super::world::PRICE;
        if let Some(Value::Array(items)) = value {
            for item in items.iter().filter_map(Value::as_object) {
                self.push_map(Kind::Price, only(item, |k| PRICE.has(k)));
                self.push_map(kind, only(item, |k| !PRICE.has(k)));
            }
        }
    }

    /// The objects of a cascade scenario.
    fn scenario(&mut self, s: &Map<String, Value>) {
        use super::ops_liquidator::PROFILE;
        use super::ops_oracle::{FEED, GUARDS};
        self.push(Kind::Market, s.get("market"));
        if let Some(Value::Array(venues)) = s.get("venues") {
            for v in venues.iter().filter_map(Value::as_object) {
                self.push(Kind::Token, v.get("collateral"));
                self.push(Kind::Token, v.get("debt"));
                self.push(Kind::Perp, v.get("market"));
                self.push(Kind::Liquidation, v.get("liquidation"));
                self.push(Kind::Waterfall, v.get("waterfall"));
                if let Some(Value::Object(o)) = v.get("oracle") {
                    self.push_map(Kind::Feed, only(o, |k| FEED.has(k)));
                    self.push_map(Kind::Guards, only(o, |k| GUARDS.has(k)));
                }
            }
        }
        if let Some(Value::Array(liquidators)) = s.get("liquidators") {
            for l in liquidators.iter().filter_map(Value::as_object) {
                self.push_map(Kind::Profile, only(l, |k| PROFILE.has(k)));
            }
        }
    }

    /// The objects of the input of `op`.
    fn input(&mut self, op: &str, i: &Map<String, Value>) {
        use super::world::MARK;
        let bs = |k: &str| super::ops_options::BS.has(k);
        match op {
            "health" | "liquidate" => {
                self.priced(Kind::Token, i.get("tokens"));
                self.priced(Kind::Perp, i.get("perps"));
                if let Some(Value::Array(options)) = i.get("options") {
                    for o in options.iter().filter_map(Value::as_object) {
                        self.push_map(Kind::OptionParams, only(o, |k| !MARK.has(k)));
                        self.push_map(Kind::OptionMark, only(o, |k| MARK.has(k)));
                        self.push(Kind::StandardMargin, o.get("margin"));
                    }
                }
                self.push(Kind::CloseFactor, i.get("close_factor"));
                self.push_map(Kind::Liquidation, only(i, |k| super::ops_risk::LIQUIDATION.has(k)));
                self.push(Kind::Waterfall, i.get("waterfall"));
                self.push(Kind::Market, i.get("market"));
                if let Some(Value::Object(order)) = i.get("liquidation") {
                    let kind = match order.get("kind").and_then(Value::as_str) {
                        Some("perp") => Kind::PerpOrder,
                        Some("option") => Kind::OptionOrder,
                        _ => Kind::TokenOrder,
                    };
                    self.push_map(kind, only(order, |k| k != "kind"));
                }
            }
            "define" => {
                self.priced(Kind::Token, i.get("tokens"));
                self.priced(Kind::Perp, i.get("perps"));
            }
            "market_sell" => self.push(Kind::Market, i.get("market")),
            "liquidator_decision" => {
                self.push(Kind::Opportunity, i.get("opportunity"));
                self.push(Kind::Profile, i.get("profile"));
                self.push(Kind::Environment, i.get("environment"));
                self.push(Kind::Market, i.get("market"));
            }
            "oracle_price" => {
                self.push(Kind::Feed, i.get("feed"));
                if let Some(Value::Object(g)) = i.get("guards") {
                    self.push_map(Kind::Guards, only(g, |k| k != "twap_window"));
                }
            }
            "dynamic_margin" => {
                self.push(Kind::DynamicMargin, i.get("params"));
                if let Some(Value::Object(g)) = i.get("governor") {
                    self.push_map(Kind::Governor, only(g, |k| k != "previous"));
                }
            }
            "ewma_vol" => self.push_map(Kind::Ewma, only(i, |k| super::ops_margin::EWMA.has(k))),
            "bs_price" | "bs_greeks" => self.push_map(Kind::Bs, only(i, bs)),
            "option_margin" | "vega_shock" => {
                let kind = match i.get("method").and_then(Value::as_str) {
                    Some("grid") => Kind::Grid,
                    _ => Kind::StandardMargin,
                };
                self.push(kind, i.get("params"));
                if op == "option_margin" {
                    self.push_map(Kind::Bs, only(i, bs));
                }
            }
            "option_pool" => {
                if let Some(Value::Object(p)) = i.get("pool") {
                    self.push_map(Kind::Pool, only(p, |k| k != "liquidity"));
                }
            }
            "cascade" => self.scenario(i),
            _ => {}
        }
    }
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// Every file under `dir` whose name ends with `ext`, recursively, in name order.
fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.to_string_lossy().ends_with(ext) {
            out.push(path);
        }
    }
}

/// The objects with a serde form in every golden vector's input and every bundled scenario.
fn vector_objects() -> Vec<(Kind, Map<String, Value>)> {
    let mut found = Found(Vec::new());
    let mut paths = Vec::new();
    files(&vectors_dir(), ".jsonl", &mut paths);
    for path in &paths {
        for entry in read_cases(&fs::read(path).unwrap()[..]) {
            let Ok(case) = entry.unwrap().case else { continue };
            if let (Some(op), Some(Value::Object(input))) = (case["op"].as_str(), case.get("input")) {
                found.input(op, input);
            }
        }
    }
    let mut scenarios = Vec::new();
    files(&vectors_dir().join("scenarios"), ".json", &mut scenarios);
    assert!(scenarios.len() >= 6, "the bundled scenarios are missing");
    for path in &scenarios {
        let Value::Object(s) = serde_json::from_slice(&fs::read(path).unwrap()).unwrap() else {
            panic!("{} is not an object", path.display());
        };
        found.scenario(&s);
    }
    found.0
}

/// `map` and its edits: each key removed, each key `null`, each key a JSON number, each string
/// as the map `{string: null}`, and an unknown key added.
fn edits(map: &Map<String, Value>) -> Vec<(String, Map<String, Value>)> {
    let mut out = vec![(String::from("as given"), map.clone())];
    for key in map.keys() {
        let mut removed = map.clone();
        removed.shift_remove(key);
        out.push((format!("without {key}"), removed));
        let mut wrong = vec![("null", Value::Null), ("a number", json!(1))];
        if let Some(Value::String(name)) = map.get(key) {
            // A name in serde's map form of an enum, `{"call": null}`.
            wrong.push(("a map", json!({ name.as_str(): null })));
        }
        for (what, value) in wrong {
            let mut edited = map.clone();
            edited.insert(key.clone(), value);
            out.push((format!("{key} {what}"), edited));
        }
    }
    let mut unknown = map.clone();
    unknown.insert(String::from("unknown_key"), json!("1"));
    out.push((String::from("with an unknown key"), unknown));
    out
}

#[test]
fn serde_and_eval_read_every_vector_object_alike() {
    let objects = vector_objects();
    let mut failures = Vec::new();
    // Per kind: objects, edits checked, edits accepted.
    let mut seen: BTreeMap<Kind, (usize, usize, usize)> = BTreeMap::new();
    for (kind, map) in &objects {
        let count = seen.entry(*kind).or_default();
        count.0 += 1;
        for (edit, edited) in edits(map) {
            count.1 += 1;
            match compare(*kind, &edited) {
                Ok(accepted) => count.2 += usize::from(accepted),
                Err(why) => failures.push(format!("{kind:?} {} ({edit}): {why}", Value::Object(edited))),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the objects' reads differ:\n{}",
        failures.len(),
        failures.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
    // Every kind is met in the vectors, and accepted at least once (the vectors' own objects).
    for kind in [
        Kind::Price,
        Kind::Token,
        Kind::Perp,
        Kind::OptionParams,
        Kind::OptionMark,
        Kind::CloseFactor,
        Kind::Liquidation,
        Kind::Waterfall,
        Kind::TokenOrder,
        Kind::PerpOrder,
        Kind::OptionOrder,
        Kind::Market,
        Kind::Opportunity,
        Kind::Profile,
        Kind::Environment,
        Kind::Feed,
        Kind::Guards,
        Kind::DynamicMargin,
        Kind::Governor,
        Kind::Ewma,
        Kind::StandardMargin,
        Kind::Grid,
        Kind::Pool,
        Kind::Bs,
    ] {
        let (objects, _, accepted) = seen.get(&kind).copied().unwrap_or_default();
        assert!(
            objects > 0 && accepted > 0,
            "{kind:?}: {objects} objects, {accepted} accepted"
        );
    }
    let total: usize = seen.values().map(|c| c.1).sum();
    assert!(
        objects.len() > 2000 && total > 20_000,
        "{} objects, {total} reads",
        objects.len()
    );
}

/// `names` are the serde names of their values, both ways.
fn names_are_serdes<T: Copy + PartialEq + Debug + DeserializeOwned + serde::Serialize>(names: &[(&str, T)]) {
    for (name, value) in names {
        assert_eq!(serde_json::from_value::<T>(json!(name)).unwrap(), *value, "{name}");
        assert_eq!(serde_json::to_value(value).unwrap(), json!(name), "{name}");
    }
}

#[test]
fn the_choices_are_the_serde_names() {
    names_are_serdes::<OptionKind>(super::ops_options::OPTION_KINDS);
    names_are_serdes::<HealthLevel>(super::ops_risk::LEVELS);
    names_are_serdes::<Side>(super::ops_market::SIDES);
    names_are_serdes::<crate::Rounding>(ROUNDINGS);
    names_are_serdes::<Behaviour>(super::scenario::BEHAVIOURS);
    names_are_serdes::<Sizing>(super::scenario::SIZINGS);
}

/// The example: a token without `liq_end_asset_weight` is one both read, with the
/// initial weight; a key neither knows is refused by both.
#[test]
fn a_token_without_its_liquidation_end_weights_is_read_alike() {
    let token = json!({"init_asset_weight": "0.7", "maint_asset_weight": "0.8",
        "init_liab_weight": "1.3", "maint_liab_weight": "1.2"});
    let map = token.as_object().unwrap();
    assert_eq!(compare(Kind::Token, map), Ok(true));
    let p: TokenParams = serde_json::from_value(token.clone()).unwrap();
    assert_eq!(p.raw().liq_end_asset_weight, p.raw().init_asset_weight);
    assert_eq!(p.raw().liq_end_liab_weight, p.raw().init_liab_weight);
    let mut unknown = map.clone();
    unknown.insert("price".to_string(), json!("1"));
    assert_eq!(compare(Kind::Token, &unknown), Ok(false));
}
