//! `marginfi_v2` on the wire (`vectors/README.md` §10.4).

use std::vec::Vec;

use serde_json::{Map, Value};

use super::super::spec::unknown_key;
use super::super::world::{World, account_value};
use super::super::{Fields, OpError, Output, wad_value};
use super::{int_value, integers, only, protocol, token_index};
use crate::preset::Protocol;
use crate::preset::marginfi::{self, Fees, Health, Level, MAX_DECIMALS, Order};

/// The keys of a `marginfi_v2` protocol object.
const KEYS: &[&str] = &["name", "liquidator_fee", "insurance_fee", "decimals"];

/// The keys of the `liquidation` object.
const ORDER_KEYS: &[&str] = &["asset", "liability", "asset_amount"];

/// The decimals of a token without a `decimals` entry.
const DEFAULT_DECIMALS: u8 = 6;

/// The world, the fees and the tokens' decimals.
fn inputs(root: &Fields<'_>) -> Result<(World<'static>, Fees, Vec<u8>), OpError> {
    let (_, pf) = protocol(root)?;
    let world = super::read_world(root)?;
    let mut fees = Fees::DEFAULT;
    let mut decimals = std::vec![DEFAULT_DECIMALS; world.set.tokens.len()];
    if let Some(f) = pf {
        if let Some(k) = f.keys().find(|k| !KEYS.contains(k)) {
            return Err(unknown_key(f.name(k), k, &[&KEYS]));
        }
        fees.liquidator = f.decimal_or("liquidator_fee", fees.liquidator)?;
        fees.insurance = f.decimal_or("insurance_fee", fees.insurance)?;
        fees.check().map_err(|e| f.kernel(e))?;
        if f.has("decimals") {
            let given = integers(
                &f,
                "decimals",
                u64::from(MAX_DECIMALS),
                "must be an integer in [0, 14] (marginfi's EXP_10_I80F48)",
            )?;
            if given.len() != world.set.tokens.len() {
                return Err(OpError::invalid(
                    f.name("decimals"),
                    "must give one decimals count per token",
                ));
            }
            decimals = given.into_iter().map(|d| u8::try_from(d).unwrap_or(u8::MAX)).collect();
        }
    }
    if !world.set.perps.is_empty() || !world.set.options.is_empty() {
        return Err(OpError::invalid("account", "marginfi_v2 accounts hold tokens only"));
    }
    Ok((world, fees, decimals))
}

/// Kernel errors of a token or account field, named in the input.
fn named(root: &Fields<'_>, e: crate::Error) -> OpError {
    match e {
        crate::Error::Invalid { what: "balance", why } => OpError::invalid(root.name("account"), why),
        other => OpError::from(other),
    }
}

/// `bits / 2^48` on the wad grid, floored.
fn value(bits: i128) -> Result<Value, OpError> {
    Ok(wad_value(marginfi::bits_to_wad(bits)?))
}

/// A native amount's `I80F48` bits in tokens of `decimals`, floored.
fn tokens(bits: i128, decimals: u8) -> Result<Value, OpError> {
    let unit = 10i128.pow(u32::from(18u8.saturating_sub(decimals)));
    Ok(wad_value(crate::Wad::from_raw(bits).mul_div_floor(
        crate::Wad::from_raw(unit),
        crate::Wad::from_raw(1 << 48),
    )?))
}

fn health_object(h: &Health) -> Result<Value, OpError> {
    let mut out = Map::new();
    out.insert("assets".into(), value(h.assets)?);
    out.insert("liabilities".into(), value(h.liabilities)?);
    out.insert("health".into(), value(h.value()?)?);
    out.insert("health_bits".into(), int_value(h.value()?));
    Ok(Value::Object(out))
}

/// `health` under `marginfi_v2`: both levels; liquidatable when the maintenance health is
/// `≤ 0`.
pub(super) fn health(root: &Fields<'_>) -> Result<Output, OpError> {
    only(root, &["protocol", "tokens", "account"])?;
    let (world, _, decimals) = inputs(root)?;
    let ctx = world.context()?;
    let maint = marginfi::health(&world.account, &ctx, &decimals, Level::Maintenance).map_err(|e| named(root, e))?;
    let init = marginfi::health(&world.account, &ctx, &decimals, Level::Initial).map_err(|e| named(root, e))?;
    let mut out = Map::new();
    out.insert("protocol".into(), Protocol::MarginfiV2.name().into());
    out.insert("maintenance".into(), health_object(&maint)?);
    out.insert("initial".into(), health_object(&init)?);
    out.insert("liquidatable".into(), Value::Bool(maint.value()? <= 0));
    Ok(out)
}

/// `liquidate` under `marginfi_v2`: `lending_account_liquidate`.
pub(super) fn liquidate(root: &Fields<'_>) -> Result<Output, OpError> {
    only(root, &["protocol", "tokens", "account", "liquidation"])?;
    let (mut world, fees, decimals) = inputs(root)?;
    let f = root.object("liquidation")?;
    if let Some(k) = f.keys().find(|k| !ORDER_KEYS.contains(k)) {
        return Err(unknown_key(f.name(k), k, &[&ORDER_KEYS]));
    }
    let n = world.set.tokens.len();
    let asset = token_index(&f, "asset", n)?;
    let liability = token_index(&f, "liability", n)?;
    let da = decimals.get(asset).copied().unwrap_or(DEFAULT_DECIMALS);
    let dl = decimals.get(liability).copied().unwrap_or(DEFAULT_DECIMALS);
    let amount = f.decimal("asset_amount")?;
    let asset_amount = crate::preset::int::native(
        amount,
        da,
        "asset_amount",
        "must be whole native units of the asset (its decimals)",
    )
    .map_err(|e| f.kernel(e))?;
    let order = Order {
        asset: u16::try_from(asset).unwrap_or(u16::MAX),
        liability: u16::try_from(liability).unwrap_or(u16::MAX),
        asset_amount,
    };
    let tokens_ = world.set.tokens.clone();
    let prices = world.set.token_prices.clone();
    let ctx = crate::account::Context::tokens(&tokens_, &prices)?;
    let r = marginfi::liquidate(&mut world.account, &ctx, &decimals, &fees, order, true).map_err(|e| match e {
        crate::Error::Invalid { what, why } if ORDER_KEYS.contains(&what) => OpError::invalid(f.name(what), why),
        other => named(root, other),
    })?;
    let mut out = Map::new();
    out.insert("protocol".into(), Protocol::MarginfiV2.name().into());
    out.insert("asset_amount".into(), wad_value(amount));
    for (k, bits) in [
        ("liquidator_liability", r.liquidator_liability),
        ("repaid", r.repaid),
        ("insurance_fee", r.insurance_fee),
    ] {
        out.insert(k.into(), tokens(bits, dl)?);
        out.insert(std::format!("{k}_bits"), int_value(bits));
    }
    out.insert("debt_after_bits".into(), int_value(r.debt_after));
    out.insert(
        "insurance_transfer".into(),
        tokens(
            r.insurance_transfer
                .checked_mul(1 << 48)
                .ok_or(crate::Error::Overflow)?,
            dl,
        )?,
    );
    out.insert("health_before".into(), health_object(&r.health_before)?);
    out.insert("health_after".into(), health_object(&r.health_after)?);
    out.insert("account".into(), account_value(&world.account));
    Ok(out)
}

/// Whether a refused liquidation was refused for taking too much
/// ([`marginfi::takes_too_much`]).
fn too_much(r: &crate::Result<marginfi::Liquidation>) -> bool {
    matches!(r, Err(e) if marginfi::takes_too_much(e))
}

/// `liquidator_decision` under `marginfi_v2`: the most `lending_account_liquidate` lets the
/// liquidator take (`asset_amount` when given, else the largest whole native amount of the
/// asset that no upper bound refuses — the deposit, the debt left, `TooSevereLiquidation` —
/// found by bisection, every one of those bounds being monotone in the amount), at marginfi's
/// terms: the liquidator takes on `q_ll` of the liability for `q_a` of the asset valued at
/// `(P_a − conf)·(1 − f_l)` against `P_l + conf`, a bonus of `f_l/(1 − f_l)` (rounded down) on
/// the confidence-adjusted prices, none of it to the protocol (the insurance fee is the
/// liquidatee's).
pub(super) fn decision(root: &Fields<'_>) -> Result<Output, OpError> {
    let mut keys = std::vec!["protocol", "tokens", "account", "liquidation"];
    keys.extend_from_slice(super::decision::KEYS);
    only(root, &keys)?;
    let mut scratch = Map::new();
    let world_root = root.without("market", &mut scratch);
    let (mut world, fees, decimals) = inputs(&world_root)?;
    let f = root.object("liquidation")?;
    if let Some(k) = f.keys().find(|k| !ORDER_KEYS.contains(k)) {
        return Err(unknown_key(f.name(k), k, &[&ORDER_KEYS]));
    }
    let n = world.set.tokens.len();
    let asset = token_index(&f, "asset", n)?;
    let liability = token_index(&f, "liability", n)?;
    let da = decimals.get(asset).copied().unwrap_or(DEFAULT_DECIMALS);
    let dl = decimals.get(liability).copied().unwrap_or(DEFAULT_DECIMALS);
    let order_of = |asset_amount| Order {
        asset: u16::try_from(asset).unwrap_or(u16::MAX),
        liability: u16::try_from(liability).unwrap_or(u16::MAX),
        asset_amount,
    };
    let tokens_ = world.set.tokens.clone();
    let prices = world.set.token_prices.clone();
    let ctx = crate::account::Context::tokens(&tokens_, &prices)?;
    let named_order = |e: crate::Error| match e {
        crate::Error::Invalid { what, why } if ORDER_KEYS.contains(&what) => OpError::invalid(f.name(what), why),
        other => named(root, other),
    };
    let deposit = crate::preset::int::native(
        world.account.token_balance(order_of(0).asset).max(crate::Wad::ZERO),
        da,
        "account",
        "must be whole native units of its token (its decimals)",
    )
    .map_err(|e| named(root, e))?;
    let (amount, limit) = if f.has("asset_amount") {
        let q = crate::preset::int::native(
            f.decimal("asset_amount")?,
            da,
            "asset_amount",
            "must be whole native units of the asset (its decimals)",
        )
        .map_err(|e| f.kernel(e))?;
        (q, "requested")
    } else {
        // The largest q in [1, deposit] not refused for taking too much.
        let (mut lo, mut hi) = (0i128, deposit.saturating_add(1));
        while hi.saturating_sub(lo) > 1 {
            let mid = lo.saturating_add(hi.saturating_sub(lo) / 2);
            let probe = marginfi::liquidate(&mut world.account, &ctx, &decimals, &fees, order_of(mid), false);
            if too_much(&probe) { hi = mid } else { lo = mid }
        }
        let limit = if lo == deposit {
            "collateral"
        } else {
            match marginfi::liquidate(
                &mut world.account,
                &ctx,
                &decimals,
                &fees,
                order_of(lo.saturating_add(1)),
                false,
            ) {
                Err(crate::Error::Invalid { why, .. }) if why.contains("TooSevereLiquidation") => "target",
                _ => "position",
            }
        };
        (lo.max(1), limit)
    };
    let r = marginfi::liquidate(&mut world.account, &ctx, &decimals, &fees, order_of(amount), false)
        .map_err(named_order)?;
    let price = |i: usize| prices.get(i).copied();
    let (Some(pl), Some(pa)) = (price(liability), price(asset)) else {
        return Err(OpError::invalid("liquidation", "must name two of the tokens"));
    };
    let unit = 10i128.pow(u32::from(18u8.saturating_sub(dl)));
    let allowed = crate::Wad::from_raw(r.liquidator_liability)
        .mul_div_floor(crate::Wad::from_raw(unit), crate::Wad::from_raw(1 << 48))?;
    let opp = crate::liquidator::Opportunity {
        repay_max: allowed,
        liab_price: pl.price().add(pl.conf())?,
        coll_price: pa.price().sub(pa.conf())?,
        bonus: super::decision::discount_bonus(
            fees.liquidator,
            std::format!("{}.liquidator_fee", root.name("protocol")),
        )?,
        protocol_fee_share: crate::Wad::ZERO,
    };
    let mut extra = Map::new();
    extra.insert(
        "asset_amount".into(),
        wad_value(crate::preset::int::from_native(amount, da)?),
    );
    extra.insert("allowed_bits".into(), int_value(r.liquidator_liability));
    super::decision::decide_within(root, Protocol::MarginfiV2, &opp, limit, extra)
}
