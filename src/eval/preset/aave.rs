//! `aave_v3.3` on the wire (`vectors/README.md` §10.1).

use std::vec::Vec;

use serde_json::{Map, Value};

use super::super::ops_liquidator::{SIZINGS, environment, profile};
use super::super::ops_market::read_market;
use super::super::ops_risk::TOKEN_ORDER;
use super::super::spec::unknown_key;
use super::super::world::{World, account_value};
use super::super::{Fields, OpError, Output, wad_value};
use super::{integers, only, protocol};
use crate::account::Position;
use crate::cascade::Sizing;
use crate::liquidation::TokenOrder;
use crate::liquidator::{Opportunity, decide, decide_whole};
use crate::preset::Protocol;
use crate::preset::aave::{self, AaveV33, Call, EMode};

/// The keys of an `aave_v3.3` protocol object.
const AAVE_KEYS: &[&str] = &[
    "name",
    "close_factor",
    "full_below",
    "min_base_max_close_factor",
    "min_leftover_base",
    "base_decimals",
    "decimals",
    "emode",
];

/// The keys of an eMode object.
const EMODE_KEYS: &[&str] = &["ltv", "liquidation_threshold", "liquidation_bonus", "collateral"];

/// Aave v3.3's constants with the object's overrides, and the tokens' decimals.
pub(super) fn aave_preset(f: Option<&Fields<'_>>, tokens: usize) -> Result<(AaveV33, Vec<u8>), OpError> {
    let mut p = AaveV33::DEFAULT;
    let mut decimals = std::vec![18u8; tokens];
    let Some(f) = f else {
        return Ok((p, decimals));
    };
    if let Some(k) = f.keys().find(|k| !AAVE_KEYS.contains(k)) {
        return Err(unknown_key(f.name(k), k, &[&AAVE_KEYS]));
    }
    p.close_factor = f.decimal_or("close_factor", p.close_factor)?;
    p.full_below = f.decimal_or("full_below", p.full_below)?;
    p.min_base_max_close_factor = f.decimal_or("min_base_max_close_factor", p.min_base_max_close_factor)?;
    p.min_leftover_base = f.decimal_or("min_leftover_base", p.min_leftover_base)?;
    if f.has("base_decimals") {
        p.base_decimals = u8::try_from(f.count("base_decimals")?)
            .ok()
            .filter(|d| *d <= 18)
            .ok_or_else(|| OpError::invalid(f.name("base_decimals"), "must be at most 18"))?;
    }
    if f.has("decimals") {
        let given = integers(f, "decimals", 18, "must be an integer in [0, 18]")?;
        if given.len() != tokens {
            return Err(OpError::invalid(
                f.name("decimals"),
                "must give one decimals count per token",
            ));
        }
        decimals = given.into_iter().map(|d| u8::try_from(d).unwrap_or(18)).collect();
    }
    if let Some(e) = f.opt_object("emode")? {
        if let Some(k) = e.keys().find(|k| !EMODE_KEYS.contains(k)) {
            return Err(unknown_key(e.name(k), k, &[&EMODE_KEYS]));
        }
        let mut collateral = 0u128;
        for i in integers(
            &e,
            "collateral",
            u64::from(aave::MAX_EMODE_TOKEN),
            "must be a token index in [0, 127]",
        )? {
            collateral |= 1u128.checked_shl(u32::try_from(i).unwrap_or(0)).unwrap_or(0);
        }
        p.emode = Some(EMode {
            ltv: e.decimal("ltv")?,
            liquidation_threshold: e.decimal("liquidation_threshold")?,
            liquidation_bonus: e.decimal("liquidation_bonus")?,
            collateral,
        });
    }
    p.check().map_err(|e| f.kernel(e))?;
    Ok((p, decimals))
}

/// Checks every token and position of `world` under Aave's integers, naming the field.
fn aave_world(world: &World, p: &AaveV33, decimals: &[u8]) -> Result<(), OpError> {
    for (i, (t, price)) in world.set.tokens.iter().zip(&world.set.token_prices).enumerate() {
        let at = |e: crate::Error| match e {
            crate::Error::Invalid { what, why } => OpError::invalid(std::format!("tokens[{i}].{what}"), why),
            other => OpError::from(other),
        };
        if !price.conf().is_zero() {
            return Err(OpError::invalid(
                std::format!("tokens[{i}].conf"),
                "must be 0 under aave_v3.3 (one oracle price)",
            ));
        }
        let d = decimals.get(i).copied().unwrap_or(18);
        aave::check_reserve(t, price.price(), d, p, u16::try_from(i).unwrap_or(u16::MAX)).map_err(at)?;
    }
    if !world.set.perps.is_empty() || !world.set.options.is_empty() {
        return Err(OpError::invalid("account", "aave_v3.3 accounts hold tokens only"));
    }
    for (j, pos) in world.account.positions().iter().enumerate() {
        if let Position::Token { token, balance } = *pos {
            let d = decimals.get(usize::from(token)).copied().unwrap_or(18);
            aave::check_amount(balance, d).map_err(|e| match e {
                crate::Error::Invalid { why, .. } => OpError::invalid(std::format!("account[{j}].balance"), why),
                other => OpError::from(other),
            })?;
        }
    }
    Ok(())
}

fn account_data_value(a: &aave::AccountData) -> Value {
    let mut out = Map::new();
    out.insert("total_collateral".into(), wad_value(a.total_collateral));
    out.insert("total_debt".into(), wad_value(a.total_debt));
    out.insert("avg_ltv".into(), wad_value(a.avg_ltv));
    out.insert(
        "avg_liquidation_threshold".into(),
        wad_value(a.avg_liquidation_threshold),
    );
    out.insert("health_factor".into(), a.health_factor.map_or(Value::Null, wad_value));
    out.insert("liquidatable".into(), Value::Bool(a.liquidatable()));
    Value::Object(out)
}

/// The world of a preset token op: its tokens and account, read and checked.
fn aave_inputs(root: &Fields<'_>) -> Result<(World<'static>, AaveV33, Vec<u8>), OpError> {
    let (_, pf) = protocol(root)?;
    let world = super::read_world(root)?;
    let (p, decimals) = aave_preset(pf.as_ref(), world.set.tokens.len())?;
    aave_world(&world, &p, &decimals)?;
    Ok((world, p, decimals))
}

/// Runs the Aave call; errors name the order's fields.
fn aave_liquidation(
    root: &Fields<'_>,
    world: &mut World,
    p: &AaveV33,
    decimals: &[u8],
    apply: bool,
) -> Result<(aave::Liquidation, TokenOrder), OpError> {
    let f = root.object("liquidation")?;
    let none = TokenOrder {
        liability: 0,
        collateral: 0,
        max_repay: None,
    };
    if let Some(k) = f
        .keys()
        .find(|k| !["kind", "liability", "collateral", "max_repay"].contains(k))
    {
        return Err(unknown_key(
            f.name(k),
            k,
            &[&(&["kind", "liability", "collateral", "max_repay"][..])],
        ));
    }
    if f.choice("kind", &[("token", ())]).is_err() {
        return Err(OpError::invalid(f.name("kind"), "must be \"token\" under aave_v3.3"));
    }
    let order = TOKEN_ORDER.read_with(&f, none, &world.set.tokens.len())?;
    let call = Call {
        liability: order.liability,
        collateral: order.collateral,
        debt_to_cover: order.max_repay,
    };
    let ctx = crate::account::Context::tokens(&world.set.tokens, &world.set.token_prices)?;
    let mut account = world.account.clone();
    let r = aave::liquidate(&mut account, &ctx, decimals, p, call, apply).map_err(|e| match e {
        crate::Error::Invalid { what, why } if ["liability", "collateral"].contains(&what) => {
            OpError::invalid(f.name(what), why)
        }
        crate::Error::Invalid {
            what: "debt_to_cover",
            why,
        } => OpError::invalid(f.name("max_repay"), why),
        other => OpError::from(other),
    })?;
    if apply {
        world.account = account;
    }
    Ok((r, order))
}

/// `health` under `aave_v3.3`.
pub(super) fn health(root: &Fields<'_>) -> Result<Output, OpError> {
    let name = Protocol::AaveV33;
    only(root, &["protocol", "tokens", "account"])?;
    let (world, p, decimals) = aave_inputs(root)?;
    let ctx = world.context()?;
    let data = aave::account_data(&world.account, &ctx, &decimals, &p)?;
    let mut out = Map::new();
    out.insert("protocol".into(), name.name().into());
    if let Value::Object(m) = account_data_value(&data) {
        out.extend(m);
    }
    Ok(out)
}

/// `liquidate` under `aave_v3.3`.
pub(super) fn liquidate(root: &Fields<'_>) -> Result<Output, OpError> {
    let name = Protocol::AaveV33;
    only(root, &["protocol", "tokens", "account", "liquidation"])?;
    let (mut world, p, decimals) = aave_inputs(root)?;
    let before = world.account.clone();
    let (r, order) = aave_liquidation(root, &mut world, &p, &decimals, true)?;
    let mut out = Map::new();
    out.insert("protocol".into(), name.name().into());
    out.insert("kind".into(), "token".into());
    for (k, v) in [
        ("repay", r.repay),
        ("seize", r.seize),
        ("protocol_fee", r.protocol_fee),
        ("max_repay", r.max_repay),
        ("close_factor", r.close_factor),
    ] {
        out.insert(k.into(), wad_value(v));
    }
    out.insert("limit".into(), r.limit.name().into());
    let mut deficits = Vec::new();
    if r.deficit {
        for pos in before.positions() {
            if let Position::Token { token, balance } = *pos
                && balance.is_negative()
            {
                let mut owed = balance.abs()?;
                if token == order.liability {
                    owed = owed.sub(r.repay)?;
                }
                let mut d = Map::new();
                d.insert("token".into(), Value::from(token));
                d.insert("amount".into(), wad_value(owed));
                deficits.push(Value::Object(d));
            }
        }
    }
    out.insert("deficit".into(), Value::Array(deficits));
    out.insert("before".into(), account_data_value(&r.before));
    out.insert("after".into(), account_data_value(&r.after));
    out.insert("account".into(), account_value(&world.account));
    Ok(out)
}

/// `liquidator_decision` with a `protocol`: the opportunity is what the preset allows on the
/// order (`max_repay` the request; absent: the largest call that goes through), priced at the
/// tokens' prices with the collateral's bonus and protocol fee.
pub(super) fn decision(root: &Fields<'_>) -> Result<Output, OpError> {
    let name = Protocol::AaveV33;
    only(
        root,
        &[
            "protocol",
            "tokens",
            "account",
            "liquidation",
            "profile",
            "environment",
            "market",
            "sizing",
        ],
    )?;
    let mut scratch = Map::new();
    let world_root = root.without("market", &mut scratch);
    let (mut world, p, decimals) = aave_inputs(&world_root)?;
    let (r, order) = aave_liquidation(root, &mut world, &p, &decimals, false)?;
    let profile = profile(&root.object("profile")?)?;
    let env = environment(root)?;
    let market = read_market(&root.object("market")?)?;
    let sizing = if root.has("sizing") {
        root.choice("sizing", SIZINGS)?
    } else {
        Sizing::Best
    };
    let (liab, liab_price) = (
        world.set.tokens.get(usize::from(order.liability)),
        world.set.token_prices.get(usize::from(order.liability)),
    );
    let (coll, coll_price) = (
        world.set.tokens.get(usize::from(order.collateral)),
        world.set.token_prices.get(usize::from(order.collateral)),
    );
    let (Some(_), Some(liab_price), Some(coll), Some(coll_price)) = (liab, liab_price, coll, coll_price) else {
        return Err(OpError::invalid("liquidation", "must name two of the tokens"));
    };
    let bonus = match p.emode {
        Some(e)
            if order.collateral <= aave::MAX_EMODE_TOKEN
                && e.collateral.checked_shr(u32::from(order.collateral)).unwrap_or(0) & 1 == 1 =>
        {
            e.liquidation_bonus
        }
        _ => coll.liquidation_fee(),
    };
    let allowed = if order.max_repay.is_some() {
        r.repay
    } else {
        r.max_repay
    };
    let opp = Opportunity {
        repay_max: allowed,
        liab_price: liab_price.price(),
        coll_price: coll_price.price(),
        bonus,
        protocol_fee_share: coll.protocol_fee_share(),
    };
    let d = match sizing {
        Sizing::Best => decide(&profile, &env, &market, &opp)?,
        Sizing::Whole => decide_whole(&profile, &env, &market, &opp)?,
    };
    let mut out = Map::new();
    out.insert("protocol".into(), name.name().into());
    out.insert("allowed".into(), wad_value(allowed));
    out.insert("limit".into(), r.limit.name().into());
    crate::eval::ops_liquidator::decision_fields(&mut out, &d);
    Ok(out)
}
