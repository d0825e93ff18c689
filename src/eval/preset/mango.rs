//! `mango_v4` on the wire (`vectors/README.md` §10.5).

use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::super::spec::unknown_key;
use super::super::world::{World, account_value};
use super::super::{Fields, OpError, Output, wad_value};
use super::{int_value, only, protocol, token_index};
use crate::preset::Protocol;
use crate::preset::mango::{self, Bank, Level, Order};

/// The keys of a `mango_v4` protocol object.
const KEYS: &[&str] = &["name", "liquidation_fees", "platform_liquidation_fees", "stable_prices"];

/// The keys of the `liquidation` object.
const ORDER_KEYS: &[&str] = &["asset", "liability", "max_liab_transfer", "being_liquidated"];

/// The world and the banks (one per token: fees 0 and the oracle's stable price by default).
fn inputs(root: &Fields<'_>) -> Result<(World<'static>, Vec<Bank>), OpError> {
    let (_, pf) = protocol(root)?;
    let world = super::read_world(root)?;
    let n = world.set.tokens.len();
    let mut banks = std::vec![Bank::PLAIN; n];
    if let Some(f) = pf {
        if let Some(k) = f.keys().find(|k| !KEYS.contains(k)) {
            return Err(unknown_key(f.name(k), k, &[&KEYS]));
        }
        let per_token = |key: &str| -> Result<Option<Vec<crate::Wad>>, OpError> {
            if !f.has(key) {
                return Ok(None);
            }
            let v = f.decimals(key)?;
            if v.len() == n {
                Ok(Some(v))
            } else {
                Err(OpError::invalid(f.name(key), "must give one decimal per token"))
            }
        };
        let lf = per_token("liquidation_fees")?;
        let pf_ = per_token("platform_liquidation_fees")?;
        let sp = per_token("stable_prices")?;
        for (i, bank) in banks.iter_mut().enumerate() {
            if let Some(v) = &lf {
                bank.liquidation_fee = v.get(i).copied().unwrap_or_default();
            }
            if let Some(v) = &pf_ {
                bank.platform_liquidation_fee = v.get(i).copied().unwrap_or_default();
            }
            if let Some(v) = &sp {
                bank.stable_price = v.get(i).copied();
            }
            bank.check().map_err(|e| match e {
                crate::Error::Invalid { what, why } => {
                    OpError::invalid(std::format!("{}[{i}]", f.name(plural(what))), why)
                }
                other => OpError::from(other),
            })?;
        }
    }
    if !world.set.perps.is_empty() || !world.set.options.is_empty() {
        return Err(OpError::invalid("account", "mango_v4 accounts hold tokens only here"));
    }
    Ok((world, banks))
}

/// The protocol object's key of a bank field.
fn plural(what: &str) -> &'static str {
    match what {
        "liquidation_fee" => "liquidation_fees",
        "platform_liquidation_fee" => "platform_liquidation_fees",
        _ => "stable_prices",
    }
}

/// `bits / 2^48` on the wad grid, floored.
fn value(bits: i128) -> Result<Value, OpError> {
    Ok(wad_value(mango::bits_to_wad(bits)?))
}

fn put(out: &mut Map<String, Value>, key: &str, bits: i128) -> Result<(), OpError> {
    out.insert(key.into(), value(bits)?);
    out.insert(std::format!("{key}_bits"), int_value(bits));
    Ok(())
}

/// `health` under `mango_v4`: the three health types; liquidatable when maint health `< 0`.
pub(super) fn health(root: &Fields<'_>) -> Result<Output, OpError> {
    only(root, &["protocol", "tokens", "account"])?;
    let (world, banks) = inputs(root)?;
    let ctx = world.context()?;
    let mut out = Map::new();
    out.insert("protocol".into(), Protocol::MangoV4.name().into());
    let mut maint = 0;
    for (key, level) in [
        ("init", Level::Init),
        ("maint", Level::Maint),
        ("liquidation_end", Level::LiquidationEnd),
    ] {
        let h = mango::health(&world.account, &ctx, &banks, level)?;
        if level == Level::Maint {
            maint = h;
        }
        put(&mut out, key, h)?;
    }
    out.insert("liquidatable".into(), Value::Bool(maint < 0));
    Ok(out)
}

/// The order of the `liquidation` object; without `max_liab_transfer` (a decision), the whole
/// borrow.
fn order(f: &Fields<'_>, world: &World<'static>, required: bool) -> Result<Order, OpError> {
    if let Some(k) = f.keys().find(|k| !ORDER_KEYS.contains(k)) {
        return Err(unknown_key(f.name(k), k, &[&ORDER_KEYS]));
    }
    let n = world.set.tokens.len();
    let liability = u16::try_from(token_index(f, "liability", n)?).unwrap_or(u16::MAX);
    let max = if required || f.has("max_liab_transfer") {
        f.decimal("max_liab_transfer")?
    } else {
        world.account.token_balance(liability).abs()?
    };
    Ok(Order {
        asset: u16::try_from(token_index(f, "asset", n)?).unwrap_or(u16::MAX),
        liability,
        max_liab_transfer: mango::balance_bits(max)?,
        being_liquidated: f.flag_or("being_liquidated", false)?,
    })
}

/// Runs `token_liq_with_token` (applied to the world's account when `apply`).
fn run(
    root: &Fields<'_>,
    f: &Fields<'_>,
    world: &mut World<'static>,
    banks: &[Bank],
    order: Order,
    apply: bool,
) -> Result<mango::Liquidation, OpError> {
    let tokens_ = world.set.tokens.clone();
    let prices = world.set.token_prices.clone();
    let ctx = crate::account::Context::tokens(&tokens_, &prices)?;
    mango::liquidate(&mut world.account, &ctx, banks, order, apply).map_err(|e| match e {
        crate::Error::Invalid { what, why } if ORDER_KEYS.contains(&what) => OpError::invalid(f.name(what), why),
        crate::Error::Invalid {
            what: "liquidation_fee",
            why,
        } => OpError::invalid(std::format!("{}.liquidation_fees", root.name("protocol")), why),
        other => OpError::from(other),
    })
}

/// `liquidator_decision` under `mango_v4`: what `token_liq_with_token` lets the liquidator
/// repay (up to `max_liab_transfer`, the whole borrow by default), at Mango's terms: the
/// account gives `ff_total` of the liability's value in the asset, the liquidator gets
/// `ff_liqor` of it (bonus `ff_total − 1`, the protocol's share `(ff_total − ff_liqor)/(ff_total
/// − 1)` rounded up).
pub(super) fn decision(root: &Fields<'_>) -> Result<Output, OpError> {
    let mut keys = std::vec!["protocol", "tokens", "account", "liquidation"];
    keys.extend_from_slice(super::decision::KEYS);
    only(root, &keys)?;
    let mut scratch = Map::new();
    let world_root = root.without("market", &mut scratch);
    let (mut world, banks) = inputs(&world_root)?;
    let f = root.object("liquidation")?;
    let order = order(&f, &world, false)?;
    let r = run(root, &f, &mut world, &banks, order, false)?;
    let bank = |i: u16| banks.get(usize::from(i)).copied().unwrap_or(Bank::PLAIN);
    let (ba, bl) = (bank(order.asset), bank(order.liability));
    let one = crate::Wad::ONE;
    let total = one
        .add(bl.liquidation_fee)?
        .add(bl.platform_liquidation_fee)?
        .mul_floor(one.add(ba.liquidation_fee)?.add(ba.platform_liquidation_fee)?)?;
    let liqor = one.add(bl.liquidation_fee)?.mul_floor(one.add(ba.liquidation_fee)?)?;
    let bonus = total.sub(one)?;
    if bonus >= one {
        return Err(OpError::invalid(
            std::format!("{}.liquidation_fees", root.name("protocol")),
            "the two banks' fees make a bonus of 100 % or more: beyond liquidator_decision's bonus in [0, 1)",
        ));
    }
    let share = if bonus.is_zero() {
        crate::Wad::ZERO
    } else {
        total.sub(liqor)?.div_ceil(bonus)?
    };
    let price = |i: u16| world.set.token_prices.get(usize::from(i)).map(|p| p.price());
    let (Some(liab_price), Some(coll_price)) = (price(order.liability), price(order.asset)) else {
        return Err(OpError::invalid("liquidation", "must name two of the tokens"));
    };
    let t = r.liab_transfer;
    let limit = if t == r.liab_needed {
        "target"
    } else if t == r.liab_possible {
        "collateral"
    } else if t == order.max_liab_transfer {
        "requested"
    } else {
        "position"
    };
    let opp = crate::liquidator::Opportunity {
        repay_max: mango::bits_to_wad(t)?,
        liab_price,
        coll_price,
        bonus,
        protocol_fee_share: share,
    };
    let mut extra = Map::new();
    extra.insert("allowed_bits".into(), int_value(t));
    super::decision::decide_within(root, Protocol::MangoV4, &opp, limit, extra)
}

/// `liquidate` under `mango_v4`: `token_liq_with_token`.
pub(super) fn liquidate(root: &Fields<'_>) -> Result<Output, OpError> {
    only(root, &["protocol", "tokens", "account", "liquidation"])?;
    let (mut world, banks) = inputs(root)?;
    let f = root.object("liquidation")?;
    let order = order(&f, &world, true)?;
    let r = run(root, &f, &mut world, &banks, order, true)?;
    let mut out = Map::new();
    out.insert("protocol".into(), Protocol::MangoV4.name().into());
    for (k, bits) in [
        ("liab_needed", r.liab_needed),
        ("liab_possible", r.liab_possible),
        ("liab_transfer", r.liab_transfer),
        ("asset_from_liqee", r.asset_from_liqee),
        ("asset_to_liqor", r.asset_to_liqor),
        ("platform_fee", r.platform_fee),
        ("asset_after", r.asset_after),
        ("liab_after", r.liab_after),
        ("health_before", r.health_before),
        ("health_after", r.health_after),
    ] {
        put(&mut out, k, bits)?;
    }
    out.insert("being_liquidated".into(), Value::Bool(r.being_liquidated));
    out.insert("account".into(), account_value(&world.account));
    Ok(out)
}
