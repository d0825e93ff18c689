//! The op `liquidator_decision`.

use std::string::String;

use serde_json::{Map, Value};

use super::ops_market::read_market;
use super::{Fields, OpError, Output, wad_value};
use crate::Wad;
use crate::liquidator::{Environment, EnvironmentRaw, Opportunity, Profile, ProfileRaw, decide};

/// The input keys of `liquidator_decision`.
pub(super) const INPUTS: &[&str] = &["opportunity", "profile", "environment", "market"];

fn opportunity(f: &Fields<'_>) -> Result<Opportunity, OpError> {
    f.strict(&["repay_max", "liab_price", "coll_price", "bonus", "protocol_fee_share"])?;
    let opp = Opportunity {
        repay_max: f.decimal("repay_max")?,
        liab_price: f.decimal("liab_price")?,
        coll_price: f.decimal("coll_price")?,
        bonus: f.decimal_or("bonus", Wad::ZERO)?,
        protocol_fee_share: f.decimal_or("protocol_fee_share", Wad::ZERO)?,
    };
    opp.check().map_err(|e| f.kernel(e))?;
    Ok(opp)
}

/// The keys of a profile object.
pub(super) const PROFILE_KEYS: &[&str] = &["capital", "gas_per_liquidation", "min_profit", "latency", "risk_factor"];

fn profile(f: &Fields<'_>) -> Result<Profile, OpError> {
    f.strict(PROFILE_KEYS)?;
    Profile::new(profile_raw(f)?).map_err(|e| f.kernel(e))
}

/// The profile fields of `f`, unchecked by [`Profile::new`] (the caller checks the keys).
pub(super) fn profile_raw(f: &Fields<'_>) -> Result<ProfileRaw, OpError> {
    Ok(ProfileRaw {
        capital: f.decimal("capital")?,
        gas_per_liquidation: f.decimal_or("gas_per_liquidation", Wad::ZERO)?,
        min_profit: f.decimal_or("min_profit", Wad::ZERO)?,
        latency: f.count_or("latency", 0)?,
        risk_factor: f.decimal_or("risk_factor", Wad::ZERO)?,
    })
}

fn environment(root: &Fields<'_>) -> Result<Environment, OpError> {
    let Some(f) = root.opt_object("environment")? else {
        return Environment::new(EnvironmentRaw {
            gas_price: Wad::ZERO,
            volatility: Wad::ZERO,
        })
        .map_err(OpError::from);
    };
    f.strict(&["gas_price", "volatility"])?;
    let raw = EnvironmentRaw {
        gas_price: f.decimal_or("gas_price", Wad::ZERO)?,
        volatility: f.decimal_or("volatility", Wad::ZERO)?,
    };
    Environment::new(raw).map_err(|e| f.kernel(e))
}

/// `liquidator_decision`: whether a liquidator acts on an opportunity, at which size, and the
/// parts of its profit; see `vectors/README.md` §8.5.
pub(super) fn run(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let opp = opportunity(&root.object("opportunity")?)?;
    let profile = profile(&root.object("profile")?)?;
    let env = environment(&root)?;
    let market = read_market(&root.object("market")?)?;
    let d = decide(&profile, &env, &market, &opp)?;
    let mut out = Map::new();
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
    Ok(out)
}
