//! `drift_v2` on the wire (`vectors/README.md` §10.6): decimals in, Drift's integers inside.

use std::string::String;

use serde_json::{Map, Value};

use super::super::{Fields, OpError, Output, wad_value};
use super::{only, protocol, strict};
use crate::preset::Protocol;
use crate::preset::drift::{self, DEFAULT_BUFFER, MARGIN, Margin, Market, Order, Prices, User};

/// The keys of a `drift_v2` protocol object.
const KEYS: &[&str] = &[
    "name",
    "margin_ratio_initial",
    "margin_ratio_maintenance",
    "imf_factor",
    "liquidator_fee",
    "if_liquidation_fee",
    "order_step_size",
    "unrealized_pnl_maintenance_asset_weight",
    "liquidation_margin_buffer_ratio",
    "initial_pct_to_liquidate",
    "liquidation_duration",
];
const USER_KEYS: &[&str] = &["deposit", "base", "quote"];
const ORDER_KEYS: &[&str] = &["max_base", "being_liquidated", "slots_elapsed", "margin_freed"];

/// A decimal field as a whole number of `10^-digits` (Drift's precision), exactly.
fn fixed(f: &Fields<'_>, key: &'static str, digits: u8, unit: &'static str) -> Result<i128, OpError> {
    let w = f.decimal(key)?;
    crate::preset::int::native(w, digits, key, unit).map_err(|e| f.kernel(e))
}

fn fixed_or(f: &Fields<'_>, key: &'static str, digits: u8, unit: &'static str, default: i128) -> Result<i128, OpError> {
    if f.has(key) {
        fixed(f, key, digits, unit)
    } else {
        Ok(default)
    }
}

const IN_MARGIN: &str = "must be a multiple of 0.0001 (Drift's MARGIN_PRECISION, 1e4)";
const IN_FEE: &str = "must be a multiple of 0.000001 (Drift's 1e6 fee precision)";
const IN_QUOTE: &str = "must be a multiple of 0.000001 (Drift's QUOTE_PRECISION, 1e6)";
const IN_PRICE: &str = "must be a multiple of 0.000001 (Drift's PRICE_PRECISION, 1e6)";
const IN_BASE: &str = "must be a multiple of 0.000000001 (Drift's BASE_PRECISION, 1e9)";

/// The market (the protocol object) and the prices and account.
fn inputs(root: &Fields<'_>) -> Result<(Market, User, Prices), OpError> {
    let (_, pf) = protocol(root)?;
    let Some(f) = pf else {
        return Err(OpError::invalid(
            root.name("protocol"),
            "drift_v2 needs its market: an object with margin_ratio_initial, margin_ratio_maintenance, liquidator_fee and if_liquidation_fee",
        ));
    };
    strict(&f, KEYS)?;
    let market = Market {
        margin_ratio_initial: fixed(&f, "margin_ratio_initial", 4, IN_MARGIN)?,
        margin_ratio_maintenance: fixed(&f, "margin_ratio_maintenance", 4, IN_MARGIN)?,
        imf_factor: fixed_or(&f, "imf_factor", 6, IN_FEE, 0)?,
        liquidator_fee: fixed(&f, "liquidator_fee", 6, IN_FEE)?,
        if_liquidation_fee: fixed(&f, "if_liquidation_fee", 6, IN_FEE)?,
        order_step_size: fixed_or(&f, "order_step_size", 9, IN_BASE, 1)?,
        unrealized_pnl_maintenance_asset_weight: fixed_or(
            &f,
            "unrealized_pnl_maintenance_asset_weight",
            4,
            IN_MARGIN,
            MARGIN,
        )?,
        liquidation_margin_buffer_ratio: fixed_or(&f, "liquidation_margin_buffer_ratio", 4, IN_MARGIN, DEFAULT_BUFFER)?,
        initial_pct_to_liquidate: fixed_or(&f, "initial_pct_to_liquidate", 4, IN_MARGIN, MARGIN)?,
        liquidation_duration: i128::from(f.count_or("liquidation_duration", 0)?),
    };
    market.check().map_err(|e| f.kernel(e))?;
    let prices = Prices {
        oracle: fixed(root, "oracle_price", 6, IN_PRICE)?,
        quote: fixed_or(root, "quote_price", 6, IN_PRICE, drift::PRICE)?,
    };
    let u = root.object("user")?;
    strict(&u, USER_KEYS)?;
    let user = User {
        deposit: fixed_or(&u, "deposit", 6, IN_QUOTE, 0)?,
        base: fixed(&u, "base", 9, IN_BASE)?,
        quote: fixed(&u, "quote", 6, IN_QUOTE)?,
    };
    Ok((market, user, prices))
}

/// `n · 10^-digits` as a decimal.
fn dec(n: i128, digits: u8) -> Result<Value, OpError> {
    Ok(wad_value(crate::preset::int::from_native(n, digits)?))
}

fn margin_value(m: &Margin) -> Result<Value, OpError> {
    let mut out = Map::new();
    out.insert("margin_ratio".into(), dec(m.margin_ratio, 4)?);
    for (k, x) in [
        ("liability_value", m.liability_value),
        ("requirement", m.requirement),
        ("requirement_plus_buffer", m.requirement_plus_buffer),
        ("total_collateral", m.total_collateral),
        ("collateral_buffer", m.collateral_buffer),
        ("margin_shortage", m.shortage()?),
    ] {
        out.insert(k.into(), dec(x, 6)?);
    }
    Ok(Value::Object(out))
}

fn user_value(u: &User) -> Result<Value, OpError> {
    let mut out = Map::new();
    out.insert("deposit".into(), dec(u.deposit, 6)?);
    out.insert("base".into(), dec(u.base, 9)?);
    out.insert("quote".into(), dec(u.quote, 6)?);
    Ok(Value::Object(out))
}

/// Kernel errors: user fields named under `user`, prices at the top, the rest as they are.
fn named(root: &Fields<'_>, e: crate::Error) -> OpError {
    match e {
        crate::Error::Invalid { what: "deposit", why } => OpError::invalid(String::from("user.deposit"), why),
        crate::Error::Invalid { what, why } if KEYS.contains(&what) => {
            OpError::invalid(std::format!("{}.{what}", root.name("protocol")), why)
        }
        other => OpError::from(other),
    }
}

/// `health` under `drift_v2`: the margin calculation in liquidation mode.
pub(super) fn health(root: &Fields<'_>) -> Result<Output, OpError> {
    only(root, &["protocol", "oracle_price", "quote_price", "user"])?;
    let (market, user, prices) = inputs(root)?;
    let m = drift::margin(&market, &user, prices).map_err(|e| named(root, e))?;
    let mut out = Map::new();
    out.insert("protocol".into(), Protocol::DriftV2.name().into());
    out.insert("margin".into(), margin_value(&m)?);
    out.insert("liquidatable".into(), Value::Bool(m.total_collateral < m.requirement));
    Ok(out)
}

/// `liquidate` under `drift_v2`: `liquidate_perp`.
pub(super) fn liquidate(root: &Fields<'_>) -> Result<Output, OpError> {
    only(
        root,
        &["protocol", "oracle_price", "quote_price", "user", "liquidation"],
    )?;
    let (market, user, prices) = inputs(root)?;
    let r = liquidate_order(root, &market, &user, prices)?;
    let mut out = Map::new();
    out.insert("protocol".into(), Protocol::DriftV2.name().into());
    out.insert("before".into(), margin_value(&r.before)?);
    out.insert("margin_ratio_with_buffer".into(), dec(r.margin_ratio_with_buffer, 4)?);
    out.insert("liquidator_fee".into(), dec(r.liquidator_fee, 6)?);
    out.insert("if_fee".into(), dec(r.if_fee, 6)?);
    out.insert("base_to_cover".into(), dec(r.base_to_cover, 9)?);
    out.insert("max_pct".into(), dec(r.max_pct, 4)?);
    out.insert("base_transferred".into(), dec(r.base_transferred, 9)?);
    out.insert("base_value".into(), dec(r.base_value, 6)?);
    out.insert("liquidator_fee_amount".into(), dec(r.liquidator_fee_amount, 6)?);
    out.insert("if_fee_amount".into(), dec(r.if_fee_amount, 6)?);
    out.insert("user".into(), user_value(&r.user)?);
    let mut liq = Map::new();
    liq.insert("base".into(), dec(r.liquidator.0, 9)?);
    liq.insert("quote".into(), dec(r.liquidator.1, 6)?);
    out.insert("liquidator".into(), Value::Object(liq));
    out.insert("after".into(), margin_value(&r.after)?);
    out.insert("being_liquidated".into(), Value::Bool(r.being_liquidated));
    Ok(out)
}

/// `liquidator_decision` under `drift_v2`: the base `liquidate_perp` transfers (up to
/// `max_base`) as an offer in quote units — the liquidator pays `value − value·fee` of quote
/// (priced 1) for the base (priced at the oracle), a bonus of `fee/(1 − fee)` (rounded down),
/// none of it to the protocol (the insurance fee is the account's). A long only: the
/// liquidator of a short must buy base, and the decision sells what it receives into bids.
pub(super) fn decision(root: &Fields<'_>) -> Result<Output, OpError> {
    let mut keys = std::vec!["protocol", "oracle_price", "quote_price", "user", "liquidation"];
    keys.extend_from_slice(super::decision::KEYS);
    only(root, &keys)?;
    let (market, user, prices) = inputs(root)?;
    if user.base < 0 {
        return Err(OpError::invalid(
            "user.base",
            "a short's liquidator buys base: liquidator_decision sells what the liquidator receives into bids (a long only)",
        ));
    }
    let r = liquidate_order(root, &market, &user, prices)?;
    let pays = r
        .base_value
        .checked_sub(r.liquidator_fee_amount)
        .ok_or(crate::Error::Overflow)?;
    let fee = crate::preset::int::from_native(r.liquidator_fee, 6)?;
    let limit = if r.base_transferred == user.base {
        "position"
    } else if r.base_transferred >= r.base_to_cover {
        "target"
    } else if r.max_pct < MARGIN {
        "pace"
    } else {
        "requested"
    };
    let opp = crate::liquidator::Opportunity {
        repay_max: crate::preset::int::from_native(pays, 6)?,
        liab_price: crate::Wad::ONE,
        coll_price: crate::preset::int::from_native(prices.oracle, 6)?,
        bonus: super::decision::discount_bonus(fee, std::format!("{}.liquidator_fee", root.name("protocol")))?,
        protocol_fee_share: crate::Wad::ZERO,
    };
    let mut extra = Map::new();
    extra.insert("base_transferred".into(), dec(r.base_transferred, 9)?);
    extra.insert("liquidator_fee".into(), dec(r.liquidator_fee, 6)?);
    super::decision::decide_within(root, Protocol::DriftV2, &opp, limit, extra)
}

/// Reads the input's `liquidation` order and runs Drift's `liquidate_perp` on it; a refusal
/// naming an order key is named at its path in `liquidation`.
fn liquidate_order(
    root: &Fields<'_>,
    market: &Market,
    user: &User,
    prices: Prices,
) -> Result<drift::Liquidation, OpError> {
    let f = root.object("liquidation")?;
    strict(&f, ORDER_KEYS)?;
    let order = Order {
        max_base: fixed(&f, "max_base", 9, IN_BASE)?,
        being_liquidated: f.flag_or("being_liquidated", false)?,
        slots_elapsed: i128::from(f.count_or("slots_elapsed", 0)?),
        margin_freed: fixed_or(&f, "margin_freed", 6, IN_QUOTE, 0)?,
    };
    drift::liquidate(market, user, prices, order).map_err(|e| match e {
        crate::Error::Invalid { what, why } if ORDER_KEYS.contains(&what) => OpError::invalid(f.name(what), why),
        other => named(root, other),
    })
}
