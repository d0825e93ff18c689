//! `compound_v3` on the wire (`vectors/README.md` §10.3).

use std::vec::Vec;

use serde_json::{Map, Value};

use super::super::spec::unknown_key;
use super::super::world::{World, account_value};
use super::super::{Fields, OpError, Output, wad_value};
use super::{integers, only, protocol, token_index};
use crate::Wad;
use crate::account::Position;
use crate::preset::Protocol;
use crate::preset::compound::{self, Asset, Config, PRICE_DECIMALS};
use crate::preset::int::{from_native, native};

/// The keys of a `compound_v3` protocol object.
const KEYS: &[&str] = &[
    "name",
    "base",
    "decimals",
    "store_front_price_factor",
    "reserves",
    "target_reserves",
    "collateral_reserves",
];

/// The market: the base token's index, every token as Comet's asset, the decimals, the
/// configuration and the protocol's collateral reserves per token.
struct Comet {
    base: usize,
    assets: Vec<Asset>,
    decimals: Vec<u8>,
    config: Config,
    collateral_reserves: Vec<i128>,
}

/// `x` in native units of token `i`, naming `what` when it has more digits.
fn units(x: Wad, d: u8, what: std::string::String) -> Result<i128, OpError> {
    native(x, d, "amount", "must be whole native units of its token (its decimals)").map_err(|e| match e {
        crate::Error::Invalid { why, .. } => OpError::invalid(what, why),
        other => OpError::from(other),
    })
}

/// Reads the world and the protocol object. Token `i`'s `init_asset_weight` is its
/// `borrowCollateralFactor`, `maint_asset_weight` its `liquidateCollateralFactor`,
/// `1 − liquidation_fee` its `liquidationFactor`; prices are the feeds' (8 decimals).
fn inputs(root: &Fields<'_>) -> Result<(World<'static>, Comet), OpError> {
    let (_, pf) = protocol(root)?;
    let world = super::read_world(root)?;
    let n = world.set.tokens.len();
    let mut decimals = std::vec![18u8; n];
    let mut base = 0usize;
    let mut config = Config {
        // deployments/mainnet/usdc/configuration.json
        store_front_price_factor: crate::wad!("0.5"),
        reserves: 0,
        target_reserves: 0,
    };
    let mut target = crate::wad!("5000000");
    let mut reserves = Wad::ZERO;
    let mut coll_reserves = std::vec![Wad::ZERO; n];
    if let Some(f) = pf.as_ref() {
        if let Some(k) = f.keys().find(|k| !KEYS.contains(k)) {
            return Err(unknown_key(f.name(k), k, &[&KEYS]));
        }
        if f.has("base") {
            base = token_index(f, "base", n)?;
        }
        if f.has("decimals") {
            let given = integers(f, "decimals", 18, "must be an integer in [0, 18]")?;
            if given.len() != n {
                return Err(OpError::invalid(
                    f.name("decimals"),
                    "must give one decimals count per token",
                ));
            }
            decimals = given.into_iter().map(|d| u8::try_from(d).unwrap_or(18)).collect();
        }
        config.store_front_price_factor = f.decimal_or("store_front_price_factor", config.store_front_price_factor)?;
        if config.store_front_price_factor.is_negative() || config.store_front_price_factor > Wad::ONE {
            return Err(OpError::invalid(
                f.name("store_front_price_factor"),
                "must be in [0, 1]",
            ));
        }
        reserves = f.decimal_or("reserves", reserves)?;
        target = f.decimal_or("target_reserves", target)?;
        if f.has("collateral_reserves") {
            let given = f.decimals("collateral_reserves")?;
            if given.len() != n || given.iter().any(|x| x.is_negative()) {
                return Err(OpError::invalid(
                    f.name("collateral_reserves"),
                    "must give one amount ≥ 0 per token",
                ));
            }
            coll_reserves = given;
        }
    }
    if base >= n {
        return Err(OpError::invalid("tokens", "must list the base token"));
    }
    let base_d = decimals.get(base).copied().unwrap_or(18);
    config.reserves = units(reserves, base_d, "protocol.reserves".into())?;
    config.target_reserves = units(target, base_d, "protocol.target_reserves".into())?;
    let mut assets = Vec::with_capacity(n);
    let mut collateral_reserves = Vec::with_capacity(n);
    for (i, (t, price)) in world.set.tokens.iter().zip(&world.set.token_prices).enumerate() {
        if !price.conf().is_zero() {
            return Err(OpError::invalid(
                std::format!("tokens[{i}].conf"),
                "must be 0 under compound_v3 (one price feed)",
            ));
        }
        let d = decimals.get(i).copied().unwrap_or(18);
        let p = native(
            price.price(),
            PRICE_DECIMALS,
            "price",
            "must be whole units of 1e-8 (the feeds' 8 decimals)",
        )
        .map_err(|e| match e {
            crate::Error::Invalid { why, .. } => OpError::invalid(std::format!("tokens[{i}].price"), why),
            other => OpError::from(other),
        })?;
        let raw = t.raw();
        assets.push(Asset {
            price: p,
            scale: crate::preset::int::pow10(d)?,
            borrow_cf: raw.init_asset_weight,
            liquidate_cf: raw.maint_asset_weight,
            liquidation_factor: Wad::ONE.sub(raw.liquidation_fee)?,
        });
        collateral_reserves.push(units(
            coll_reserves.get(i).copied().unwrap_or(Wad::ZERO),
            d,
            std::format!("protocol.collateral_reserves[{i}]"),
        )?);
    }
    for (j, pos) in world.account.positions().iter().enumerate() {
        match *pos {
            Position::Token { token, balance } => {
                let i = usize::from(token);
                if i != base && balance.is_negative() {
                    return Err(OpError::invalid(
                        std::format!("account[{j}].balance"),
                        "only the base token can be borrowed under compound_v3",
                    ));
                }
                units(
                    balance.abs()?,
                    decimals.get(i).copied().unwrap_or(18),
                    std::format!("account[{j}].balance"),
                )?;
            }
            _ => {
                return Err(OpError::invalid(
                    std::format!("account[{j}]"),
                    "compound_v3 accounts hold tokens only",
                ));
            }
        }
    }
    Ok((
        world,
        Comet {
            base,
            assets,
            decimals,
            config,
            collateral_reserves,
        },
    ))
}

/// The base balance, the collateral positions (asset, amount) and their token indices.
type Positions = (i128, Vec<(Asset, i128)>, Vec<usize>);

/// The base balance and the collateral positions (asset, amount, token index) of the account.
fn positions(world: &World, c: &Comet) -> Result<Positions, OpError> {
    let mut balance = 0i128;
    let mut coll = Vec::new();
    let mut index = Vec::new();
    for pos in world.account.positions() {
        if let Position::Token { token, balance: b } = *pos {
            let i = usize::from(token);
            let d = c.decimals.get(i).copied().unwrap_or(18);
            let n = native(b, d, "balance", "native units")?;
            if i == c.base {
                balance = n;
            } else if let Some(a) = c.assets.get(i) {
                coll.push((*a, n));
                index.push(i);
            }
        }
    }
    Ok((balance, coll, index))
}

fn base_asset(c: &Comet) -> Result<Asset, OpError> {
    c.assets
        .get(c.base)
        .copied()
        .ok_or_else(|| OpError::invalid("tokens", "must list the base token"))
}

/// `health` under `compound_v3`: `isLiquidatable`'s liquidity, and `isBorrowCollateralized`.
pub(super) fn health(root: &Fields<'_>) -> Result<Output, OpError> {
    only(root, &["protocol", "tokens", "account"])?;
    let (world, c) = inputs(root)?;
    let (balance, coll, _) = positions(&world, &c)?;
    let base = base_asset(&c)?;
    let (liquidity, liquidatable) = compound::liquidity(&base, balance, &coll)?;
    let borrow: Vec<(Asset, i128)> = coll
        .iter()
        .map(|(a, n)| {
            (
                Asset {
                    liquidate_cf: a.borrow_cf,
                    ..*a
                },
                *n,
            )
        })
        .collect();
    let (borrow_liquidity, _) = compound::liquidity(&base, balance, &borrow)?;
    let mut out = Map::new();
    out.insert("protocol".into(), Protocol::CompoundV3.name().into());
    out.insert("liquidity".into(), wad_value(from_native(liquidity, PRICE_DECIMALS)?));
    out.insert("liquidatable".into(), Value::Bool(liquidatable));
    out.insert(
        "borrow_liquidity".into(),
        wad_value(from_native(borrow_liquidity, PRICE_DECIMALS)?),
    );
    out.insert(
        "borrow_collateralized".into(),
        Value::Bool(balance >= 0 || borrow_liquidity >= 0),
    );
    Ok(out)
}

/// `liquidate` under `compound_v3`: `absorb`, then, for a `buy_collateral` order, the
/// liquidator's `buyCollateral` from the protocol's reserves of that collateral (what it held
/// plus what the absorb took).
pub(super) fn liquidate(root: &Fields<'_>) -> Result<Output, OpError> {
    only(root, &["protocol", "tokens", "account", "liquidation"])?;
    let (mut world, c) = inputs(root)?;
    let f = root.object("liquidation")?;
    let kind = f.choice("kind", &[("absorb", false), ("buy_collateral", true)])?;
    let keys: &[&str] = if kind {
        &["kind", "collateral", "base_amount"]
    } else {
        &["kind"]
    };
    if let Some(k) = f.keys().find(|k| !keys.contains(k)) {
        return Err(unknown_key(f.name(k), k, &[&keys]));
    }
    let buy = if kind {
        let i = token_index(&f, "collateral", world.set.tokens.len())?;
        if i == c.base {
            return Err(OpError::invalid(
                f.name("collateral"),
                "must be a collateral, not the base token",
            ));
        }
        let amount = f.decimal("base_amount")?;
        let d = c.decimals.get(c.base).copied().unwrap_or(18);
        Some((i, units(amount, d, f.name("base_amount"))?))
    } else {
        None
    };
    let (balance, coll, index) = positions(&world, &c)?;
    let base = base_asset(&c)?;
    let a = compound::absorb(&base, balance, &coll, &c.config)?;
    let mut out = Map::new();
    out.insert("protocol".into(), Protocol::CompoundV3.name().into());
    out.insert("liquidatable".into(), Value::Bool(a.liquidatable));
    out.insert(
        "delta_value".into(),
        wad_value(from_native(a.delta_value, PRICE_DECIMALS)?),
    );
    let base_d = c.decimals.get(c.base).copied().unwrap_or(18);
    out.insert("delta_balance".into(), wad_value(from_native(a.delta_balance, base_d)?));
    out.insert("base_paid_out".into(), wad_value(from_native(a.base_paid_out, base_d)?));
    let mut reserves_coll = c.collateral_reserves.clone();
    let mut absorbed = Vec::new();
    if a.liquidatable {
        world.account.set_token(
            u16::try_from(c.base).unwrap_or(u16::MAX),
            from_native(a.new_balance, base_d)?,
        )?;
        for ((_, n), &i) in coll.iter().zip(&index) {
            let d = c.decimals.get(i).copied().unwrap_or(18);
            world
                .account
                .set_token(u16::try_from(i).unwrap_or(u16::MAX), Wad::ZERO)?;
            if let Some(r) = reserves_coll.get_mut(i) {
                *r = r.checked_add(*n).ok_or(crate::Error::Overflow)?;
            }
            let mut e = Map::new();
            e.insert("token".into(), Value::from(i));
            e.insert("amount".into(), wad_value(from_native(*n, d)?));
            absorbed.push(Value::Object(e));
        }
    }
    out.insert("absorbed".into(), Value::Array(absorbed));
    let mut config = c.config;
    config.reserves = a.reserves;
    let bought = match buy {
        Some((i, amount)) => {
            let asset = c
                .assets
                .get(i)
                .copied()
                .ok_or_else(|| OpError::invalid(f.name("collateral"), "must be one of the tokens"))?;
            let held = reserves_coll.get(i).copied().unwrap_or(0);
            let (quote, after) =
                compound::buy_collateral(&base, &asset, amount, held, &config).map_err(|e| match e {
                    crate::Error::Invalid { what: "reserves", why } => OpError::invalid("protocol.reserves", why),
                    crate::Error::Invalid { what, why } => OpError::invalid(f.name(what), why),
                    other => OpError::from(other),
                })?;
            config.reserves = after;
            let d = c.decimals.get(i).copied().unwrap_or(18);
            let mut e = Map::new();
            e.insert("collateral".into(), Value::from(i));
            e.insert("base_amount".into(), wad_value(from_native(amount, base_d)?));
            e.insert("quote".into(), wad_value(from_native(quote, d)?));
            Value::Object(e)
        }
        None => Value::Null,
    };
    out.insert("reserves".into(), wad_value(from_native(config.reserves, base_d)?));
    out.insert("buy".into(), bought);
    out.insert("account".into(), account_value(&world.account));
    Ok(out)
}

/// `liquidator_decision` under `compound_v3`: a keeper's `buyCollateral` after the `absorb`
/// (`liquidation` `{kind: "buy_collateral", collateral}`). `allowed` = the most base that buys
/// no more than the protocol's reserves of that collateral (what it held plus what the absorb
/// took; the largest native amount whose `quoteCollateral` fits, by bisection on the monotone
/// quote), `limit` `reserves`; 0 when the protocol's base reserves are at or above the target
/// (`not_for_sale`). The terms: the base and the collateral at their feeds' prices, bonus
/// `d/(1 − d)` for the store-front discount `d = storeFrontPriceFactor·(1 − liquidationFactor)`
/// (rounded down), no protocol share (the discount is the reserves').
pub(super) fn decision(root: &Fields<'_>) -> Result<Output, OpError> {
    let mut keys = std::vec!["protocol", "tokens", "account", "liquidation"];
    keys.extend_from_slice(super::decision::KEYS);
    only(root, &keys)?;
    let mut scratch = Map::new();
    let world_root = root.without("market", &mut scratch);
    let (world, c) = inputs(&world_root)?;
    let f = root.object("liquidation")?;
    f.choice("kind", &[("buy_collateral", ())])?;
    let order_keys: &[&str] = &["kind", "collateral"];
    if let Some(k) = f.keys().find(|k| !order_keys.contains(k)) {
        return Err(unknown_key(f.name(k), k, &[&order_keys]));
    }
    let i = token_index(&f, "collateral", world.set.tokens.len())?;
    if i == c.base {
        return Err(OpError::invalid(
            f.name("collateral"),
            "must be a collateral, not the base token",
        ));
    }
    let (balance, coll, index) = positions(&world, &c)?;
    let base = base_asset(&c)?;
    let a = compound::absorb(&base, balance, &coll, &c.config)?;
    let mut held = c.collateral_reserves.get(i).copied().unwrap_or(0);
    if a.liquidatable {
        for ((_, n), &j) in coll.iter().zip(&index) {
            if j == i {
                held = held.checked_add(*n).ok_or(crate::Error::Overflow)?;
            }
        }
    }
    let mut config = c.config;
    config.reserves = a.reserves;
    let asset = c
        .assets
        .get(i)
        .copied()
        .ok_or_else(|| OpError::invalid(f.name("collateral"), "must be one of the tokens"))?;
    let for_sale = config.reserves < 0 || config.reserves < config.target_reserves;
    let (allowed, limit) = if for_sale {
        let quote = |n: i128| compound::quote_collateral(&base, &asset, n, &config);
        // The largest n with quote(n) ≤ held: double an upper bound, then bisect.
        let mut hi: i128 = 1;
        while quote(hi)? <= held {
            hi = hi.checked_mul(2).ok_or(crate::Error::Overflow)?;
        }
        let mut lo: i128 = 0;
        while hi.saturating_sub(lo) > 1 {
            let mid = lo.saturating_add(hi.saturating_sub(lo) / 2);
            if quote(mid)? <= held { lo = mid } else { hi = mid }
        }
        (lo, "reserves")
    } else {
        (0, "not_for_sale")
    };
    let base_d = c.decimals.get(c.base).copied().unwrap_or(18);
    let discount = config
        .store_front_price_factor
        .mul_floor(Wad::ONE.sub(asset.liquidation_factor)?)?;
    let opp = crate::liquidator::Opportunity {
        repay_max: from_native(allowed, base_d)?,
        liab_price: from_native(base.price, PRICE_DECIMALS)?,
        coll_price: from_native(asset.price, PRICE_DECIMALS)?,
        bonus: super::decision::discount_bonus(
            discount,
            std::format!("{}.store_front_price_factor", root.name("protocol")),
        )?,
        protocol_fee_share: Wad::ZERO,
    };
    let mut extra = Map::new();
    let d = c.decimals.get(i).copied().unwrap_or(18);
    extra.insert("collateral_for_sale".into(), wad_value(from_native(held, d)?));
    super::decision::decide_within(root, Protocol::CompoundV3, &opp, limit, extra)
}
