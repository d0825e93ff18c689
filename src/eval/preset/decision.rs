//! `liquidator_decision` under a preset: the preset says what the liquidator may repay and at
//! what terms (an [`Opportunity`]); the decision of `vectors/README.md` §8.5 sizes within it.

use std::string::String;

use serde_json::{Map, Value};

use super::super::ops_liquidator::{SIZINGS, environment, profile};
use super::super::ops_market::read_market;
use super::super::{Fields, OpError, Output, wad_value};
use crate::Wad;
use crate::cascade::Sizing;
use crate::liquidator::{Opportunity, decide, decide_whole};
use crate::preset::Protocol;

/// The input keys a decision adds to the preset's `liquidate` keys.
pub(super) const KEYS: &[&str] = &["profile", "environment", "market", "sizing"];

/// The decision within `opp` (its `repay_max` is what the preset allows, `limit` the bound that
/// set it): `{protocol, allowed, limit, <extra>, act, reason, repay, receives, sold, unsold,
/// proceeds, price_after, cost, gas, risk, profit}`.
pub(super) fn decide_within(
    root: &Fields<'_>,
    name: Protocol,
    opp: &Opportunity,
    limit: &str,
    extra: Map<String, Value>,
) -> Result<Output, OpError> {
    let profile = profile(&root.object("profile")?)?;
    let env = environment(root)?;
    let market = read_market(&root.object("market")?)?;
    let sizing = if root.has("sizing") {
        root.choice("sizing", SIZINGS)?
    } else {
        Sizing::Best
    };
    let d = match sizing {
        Sizing::Best => decide(&profile, &env, &market, opp)?,
        Sizing::Whole => decide_whole(&profile, &env, &market, opp)?,
    };
    let mut out = Map::new();
    out.insert("protocol".into(), name.name().into());
    out.insert("allowed".into(), wad_value(opp.repay_max));
    out.insert("limit".into(), limit.into());
    out.extend(extra);
    crate::eval::ops_liquidator::decision_fields(&mut out, &d);
    Ok(out)
}

/// The bonus that pays `1/(1 − f)` for 1 (a liquidator buying at a discount `f`):
/// `f/(1 − f)`, rounded down (the liquidator's terms are not overstated).
///
/// Errors: [`OpError`] invalid naming `what` when `f ≥ 1/2` (the bonus would reach 1).
pub(super) fn discount_bonus(f: Wad, what: String) -> Result<Wad, OpError> {
    let bonus = f.div_floor(Wad::ONE.sub(f)?)?;
    if bonus >= Wad::ONE {
        return Err(OpError::invalid(
            what,
            "a discount of 1/2 or more is a bonus of 100 % or more: beyond liquidator_decision's bonus in [0, 1)",
        ));
    }
    Ok(bonus)
}
