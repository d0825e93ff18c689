//! The op `liquidator_decision`.

use std::string::String;

use serde_json::{Map, Value};

use super::ops_market::read_market;
use super::spec::{Field, Spec};
use super::{Fields, OpError, Output, wad_value};
use crate::cascade::Sizing;
use crate::liquidator::{
    Decision, Environment, EnvironmentRaw, Opportunity, OpportunityWire, Profile, ProfileRaw, ProfileWire, decide,
    decide_whole,
};

/// The input keys of `liquidator_decision`.
pub(super) const INPUTS: &[&str] = &[
    "opportunity",
    "profile",
    "environment",
    "market",
    "sizing",
    "protocol",
    "tokens",
    "account",
    "liquidation",
    "oracle_price",
    "quote_price",
    "user",
    "pool",
    "position",
];

/// `sizing`: the liquidator's sizing, by its name on the wire.
pub(super) const SIZINGS: &[(&str, Sizing)] = &[("best", Sizing::Best), ("whole", Sizing::Whole)];

/// `opportunity`: `bonus` and `protocol_fee_share` default to 0.
pub(super) const OPPORTUNITY: Spec<OpportunityWire> = Spec::new(&[
    Field::decimal("repay_max", |w| &mut w.repay_max),
    Field::decimal("liab_price", |w| &mut w.liab_price),
    Field::decimal("coll_price", |w| &mut w.coll_price),
    Field::opt_decimal("bonus", |w| &mut w.bonus),
    Field::opt_decimal("protocol_fee_share", |w| &mut w.protocol_fee_share),
]);

/// A profile (`profile`; the profile part of a cascade liquidator): `capital` required, the
/// rest 0 when absent.
pub(super) const PROFILE: Spec<ProfileWire> = Spec::new(&[
    Field::decimal("capital", |w| &mut w.capital),
    Field::opt_decimal("gas_per_liquidation", |w| &mut w.gas_per_liquidation),
    Field::opt_decimal("min_profit", |w| &mut w.min_profit),
    Field::opt_count("latency", |w| &mut w.latency),
    Field::opt_decimal("risk_factor", |w| &mut w.risk_factor),
]);

/// `environment`: both fields 0 when absent.
pub(super) const ENVIRONMENT: Spec<EnvironmentRaw> = Spec::new(&[
    Field::opt_decimal("gas_price", |w| &mut w.gas_price),
    Field::opt_decimal("volatility", |w| &mut w.volatility),
]);

/// A profile object.
pub(super) fn profile(f: &Fields<'_>) -> Result<Profile, OpError> {
    let raw: ProfileRaw = PROFILE.object(f)?;
    Profile::new(raw).map_err(|e| f.kernel(e))
}

/// The optional object `environment` (both fields 0 when absent).
pub(super) fn environment(root: &Fields<'_>) -> Result<Environment, OpError> {
    let Some(f) = root.opt_object("environment")? else {
        return Environment::new(EnvironmentRaw::default()).map_err(OpError::from);
    };
    let raw = ENVIRONMENT.read(&f)?;
    Environment::new(raw).map_err(|e| f.kernel(e))
}

/// `liquidator_decision`: whether a liquidator acts on an opportunity, at which size, and the
/// parts of its profit; see `vectors/README.md` §8.5.
pub(super) fn run(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    if root.has("protocol") {
        return super::preset::run_decision(input);
    }
    for key in [
        "tokens",
        "account",
        "liquidation",
        "oracle_price",
        "quote_price",
        "user",
    ] {
        if root.has(key) {
            return Err(OpError::invalid(key, "is read only with a protocol preset"));
        }
    }
    let opp: Opportunity = OPPORTUNITY.object(&root.object("opportunity")?)?;
    let profile = profile(&root.object("profile")?)?;
    let env = environment(&root)?;
    let market = read_market(&root.object("market")?)?;
    let sizing = if root.has("sizing") {
        root.choice("sizing", SIZINGS)?
    } else {
        Sizing::Best
    };
    let d = match sizing {
        Sizing::Best => decide(&profile, &env, &market, &opp)?,
        Sizing::Whole => decide_whole(&profile, &env, &market, &opp)?,
    };
    let mut out = Map::new();
    decision_fields(&mut out, &d);
    Ok(out)
}

/// Writes a decision's answer into `out`: `act`, `reason` and its figures (`repay`,
/// `receives`, `sold`, `unsold`, `proceeds`, `price_after`, `cost`, `gas`, `risk`, `profit`),
/// the same for the general rule and every preset.
pub(in crate::eval) fn decision_fields(out: &mut Map<String, Value>, d: &Decision) {
    out.insert(String::from("act"), Value::Bool(d.act));
    out.insert(String::from("reason"), Value::from(d.reason.name()));
    for (key, value) in [
        ("repay", d.repay),
        ("receives", d.receives),
        ("sold", d.fill.filled),
        ("unsold", d.fill.unfilled),
        ("proceeds", d.fill.proceeds),
        ("price_after", d.fill.price_after),
        ("cost", d.cost),
        ("gas", d.gas),
        ("risk", d.risk),
        ("profit", d.profit),
    ] {
        out.insert(String::from(key), wad_value(value));
    }
}
