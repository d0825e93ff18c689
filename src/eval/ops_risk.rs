//! The ops `health` and `liquidate`.

use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::ops_market::read_market;
use super::world::{World, account_value, health_value, read};
use super::{Fields, OpError, Output, wad_value};
use crate::Wad;
use crate::account::{HealthLevel, LiquidationPrice, Position, PriceOf, health, is_liquidatable, liquidation_price};
use crate::liquidation::{
    CloseFactor, CloseFactorRaw, LiquidationParams, Outcome, PerpOrder, TokenOrder, Waterfall, WaterfallRaw,
    WaterfallReport, is_bankrupt, liquidate_perp, liquidate_token, settle_bankruptcy, toxic_with_impact,
};
use crate::market::Depth;

/// The input keys of `health`.
pub(super) const HEALTH_INPUTS: &[&str] = &["tokens", "perps", "options", "account"];

/// The input keys of `liquidate`.
pub(super) const LIQUIDATE_INPUTS: &[&str] = &[
    "tokens",
    "perps",
    "options",
    "account",
    "liquidation",
    "close_factor",
    "target",
    "waterfall",
    "market",
];

/// The health levels, in the order of their names on the wire.
const LEVELS: [(&str, HealthLevel); 3] = [
    ("initial", HealthLevel::Initial),
    ("maintenance", HealthLevel::Maintenance),
    ("liquidation_end", HealthLevel::LiquidationEnd),
];

/// `health`: the account's health at each level, whether it is liquidatable, and the
/// liquidation price of each position.
pub(super) fn run_health(input: &Map<String, Value>) -> Result<Output, OpError> {
    let world = read(&Fields::root(input))?;
    let ctx = world.context()?;
    let mut out = Map::new();
    for (name, level) in LEVELS {
        out.insert(name.into(), health_value(&health(&world.account, &ctx, level)?)?);
    }
    out.insert(
        "liquidatable".into(),
        Value::Bool(is_liquidatable(&world.account, &ctx)?),
    );
    let mut prices = Vec::new();
    for p in world.account.positions() {
        let of = match *p {
            Position::Token { token, .. } => PriceOf::Token(token),
            Position::Perp { market, .. } => PriceOf::Perp(market),
            // An option moves with its underlying's price.
            Position::Option { series, .. } => PriceOf::Token(ctx.option(series)?.0.underlying()),
        };
        let mut entry = Map::new();
        match liquidation_price(&world.account, &ctx, of)? {
            LiquidationPrice::Never => entry.insert("kind".into(), "never".into()),
            LiquidationPrice::Always => entry.insert("kind".into(), "always".into()),
            LiquidationPrice::Nonlinear => entry.insert("kind".into(), "nonlinear".into()),
            LiquidationPrice::Below(x) => {
                entry.insert("kind".into(), "below".into());
                entry.insert("price".into(), wad_value(x))
            }
            LiquidationPrice::Above(x) => {
                entry.insert("kind".into(), "above".into());
                entry.insert("price".into(), wad_value(x))
            }
        };
        prices.push(Value::Object(entry));
    }
    out.insert("liquidation_prices".into(), Value::Array(prices));
    Ok(out)
}

/// The optional `close_factor` and `target` of `liquidate` (or of a cascade venue's
/// `liquidation` object: the caller checks the keys).
pub(super) fn liquidation_params(root: &Fields<'_>) -> Result<LiquidationParams, OpError> {
    let mut params = LiquidationParams::default();
    if let Some(f) = root.opt_object("close_factor")? {
        f.strict(&["normal", "full_below", "dust"])?;
        let raw = CloseFactorRaw {
            normal: f.decimal("normal")?,
            full_below: f.decimal_or("full_below", Wad::ZERO)?,
            dust: f.decimal_or("dust", Wad::ZERO)?,
        };
        params.close_factor = CloseFactor::new(raw).map_err(|e| f.kernel(e))?;
    }
    if root.has("target") {
        params.target = LEVELS
            .get(root.choice("target", &["initial", "maintenance", "liquidation_end"])?)
            .map_or(HealthLevel::LiquidationEnd, |l| l.1);
    }
    Ok(params)
}

/// The outcome's keys: health before and after, target health before and after, toxic, limit.
fn outcome(out: &mut Output, o: &Outcome) -> Result<(), OpError> {
    out.insert("limit".into(), o.limit.name().into());
    out.insert("toxic".into(), Value::Bool(o.toxic));
    out.insert("health_before".into(), health_value(&o.health_before)?);
    out.insert("health_after".into(), health_value(&o.health_after)?);
    out.insert("target_before".into(), wad_value(o.target_before));
    out.insert("target_after".into(), wad_value(o.target_after));
    Ok(())
}

fn waterfall_report(r: &WaterfallReport) -> Value {
    let mut out = Map::new();
    for (k, v) in [
        ("bad_debt", r.bad_debt),
        ("premium", r.premium),
        ("insurance", r.insurance),
        ("socialized", r.socialized),
        ("uncovered", r.uncovered),
        ("haircut", r.haircut),
    ] {
        out.insert(k.into(), wad_value(v));
    }
    Value::Object(out)
}

fn waterfall_value(w: &Waterfall) -> Value {
    let raw = w.raw();
    let mut out = Map::new();
    out.insert("premium_buffer".into(), wad_value(raw.premium_buffer));
    out.insert("insurance_fund".into(), wad_value(raw.insurance_fund));
    out.insert("lender_deposits".into(), wad_value(raw.lender_deposits));
    Value::Object(out)
}

/// Runs the `liquidation` object on the world's account, writing its report into `out`.
fn run_liquidation(
    f: &Fields<'_>,
    world: &mut World,
    params: &LiquidationParams,
    market: Option<Fields<'_>>,
    out: &mut Output,
) -> Result<(), OpError> {
    let mut impact_out = None;
    let ctx = crate::account::Context::new(&world.tokens, &world.token_prices, &world.perps, &world.perp_prices)?
        .with_options(&world.options, &world.option_marks)?;
    let kind = f.choice("kind", &["token", "perp"])?;
    let in_order = |e: crate::Error| match e {
        crate::Error::Invalid { what }
            if ["liability", "collateral", "market", "max_repay", "max_base"].contains(&what) =>
        {
            f.kernel(e)
        }
        other => OpError::from(other),
    };
    if kind == 0 {
        f.strict(&["kind", "liability", "collateral", "max_repay"])?;
        let tokens = world.tokens.len();
        let order = TokenOrder {
            liability: token_index(f, "liability", tokens)?,
            collateral: token_index(f, "collateral", tokens)?,
            max_repay: f.opt_decimal("max_repay")?,
        };
        let before = world.account.clone();
        let r = liquidate_token(&mut world.account, &ctx, params, order).map_err(in_order)?;
        if let Some(m) = market {
            let fill = read_market(&m)?.quote_sell(r.liquidator_receives()?)?;
            let toxic = toxic_with_impact(&before, &ctx, order, &r, fill.price_after)?;
            let mut impact = Map::new();
            impact.insert("sold".into(), wad_value(fill.filled));
            impact.insert("unsold".into(), wad_value(fill.unfilled));
            impact.insert("proceeds".into(), wad_value(fill.proceeds));
            impact.insert("price_after".into(), wad_value(fill.price_after));
            impact.insert("toxic".into(), Value::Bool(toxic));
            impact_out = Some(Value::Object(impact));
        }
        out.insert("kind".into(), "token".into());
        out.insert("repay".into(), wad_value(r.repay));
        out.insert("repay_value".into(), wad_value(r.repay_value));
        out.insert("seize".into(), wad_value(r.seize));
        out.insert("bonus".into(), wad_value(r.bonus));
        out.insert("protocol_fee".into(), wad_value(r.protocol_fee));
        out.insert("liquidator_receives".into(), wad_value(r.liquidator_receives()?));
        outcome(out, &r.outcome)?;
        if let Some(impact) = impact_out {
            out.insert("impact".into(), impact);
        }
        Ok(())
    } else {
        if market.is_some() {
            return Err(OpError::invalid("market"));
        }
        f.strict(&["kind", "market", "max_base"])?;
        let order = PerpOrder {
            market: index(f, "market")?,
            max_base: f.opt_decimal("max_base")?,
        };
        let r = liquidate_perp(&mut world.account, &ctx, params, order).map_err(in_order)?;
        out.insert("kind".into(), "perp".into());
        out.insert("base".into(), wad_value(r.base));
        out.insert("notional".into(), wad_value(r.notional));
        out.insert("account_quote".into(), wad_value(r.account_quote));
        out.insert("fee".into(), wad_value(r.fee));
        out.insert("protocol_fee".into(), wad_value(r.protocol_fee));
        out.insert("liquidator_quote".into(), wad_value(r.liquidator_quote()?));
        outcome(out, &r.outcome)
    }
}

/// A token or market index field (any `u16`; the kernel checks it exists).
fn index(f: &Fields<'_>, key: &str) -> Result<u16, OpError> {
    u16::try_from(f.count(key)?).map_err(|_| OpError::invalid(f.name(key)))
}

/// A token index field that must name one of the `len` tokens (the kernel would report a
/// missing token as a bare `token`, without the field's path).
fn token_index(f: &Fields<'_>, key: &str, len: usize) -> Result<u16, OpError> {
    match index(f, key)? {
        i if usize::from(i) < len => Ok(i),
        _ => Err(OpError::invalid(f.name(key))),
    }
}

/// A waterfall object: `premium_buffer`, `insurance_fund`, `lender_deposits` (each 0 when
/// absent).
pub(super) fn read_waterfall(f: &Fields<'_>) -> Result<Waterfall, OpError> {
    f.strict(&["premium_buffer", "insurance_fund", "lender_deposits"])?;
    let raw = WaterfallRaw {
        premium_buffer: f.decimal_or("premium_buffer", Wad::ZERO)?,
        insurance_fund: f.decimal_or("insurance_fund", Wad::ZERO)?,
        lender_deposits: f.decimal_or("lender_deposits", Wad::ZERO)?,
    };
    Waterfall::new(raw).map_err(|e| f.kernel(e))
}

/// `liquidate`: one liquidation of the account (when `liquidation` is given), then, when a
/// `waterfall` is given and the account is bankrupt, the settlement of its bad debt.
pub(super) fn run_liquidate(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let mut world = read(&root)?;
    let params = liquidation_params(&root)?;
    let mut waterfall = match root.opt_object("waterfall")? {
        Some(f) => Some(read_waterfall(&f)?),
        None => None,
    };
    let order = root.opt_object("liquidation")?;
    if order.is_none() && waterfall.is_none() {
        return Err(OpError::invalid("liquidation"));
    }
    if order.is_none() && root.has("market") {
        return Err(OpError::invalid("market"));
    }
    let mut out = Map::new();
    if let Some(f) = order {
        run_liquidation(&f, &mut world, &params, root.opt_object("market")?, &mut out)?;
    }
    let ctx = crate::account::Context::new(&world.tokens, &world.token_prices, &world.perps, &world.perp_prices)?
        .with_options(&world.options, &world.option_marks)?;
    let bankruptcy = match waterfall.as_mut() {
        Some(w) if is_bankrupt(&world.account) => Some(settle_bankruptcy(&mut world.account, &ctx, w)?),
        _ => None,
    };
    out.insert("account".into(), account_value(&world.account));
    out.insert(
        "bankruptcy".into(),
        bankruptcy.as_ref().map_or(Value::Null, waterfall_report),
    );
    if let Some(w) = waterfall {
        out.insert("waterfall".into(), waterfall_value(&w));
    }
    Ok(out)
}
