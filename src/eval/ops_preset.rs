//! Protocol presets on the wire: `"protocol"` in `health`, `liquidate` and
//! `liquidator_decision` (`vectors/README.md` §10).

use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::ops_liquidator::{SIZINGS, environment, profile};
use super::ops_market::read_market;
use super::ops_risk::TOKEN_ORDER;
use super::spec::unknown_key;
use super::world::{World, account_value, read};
use super::{Fields, OpError, Output, wad_value};
use crate::Wad;
use crate::account::Position;
use crate::cascade::Sizing;
use crate::liquidation::TokenOrder;
use crate::liquidator::{Opportunity, decide, decide_whole};
use crate::preset::aave::{self, AaveV33, Call, EMode};
use crate::preset::{Protocol, morpho};

/// The wire names of the presets.
const PROTOCOLS: &[(&str, Protocol)] = &[
    ("aave_v3.3", Protocol::AaveV33),
    ("compound_v3", Protocol::CompoundV3),
    ("morpho_blue", Protocol::MorphoBlue),
    ("mango_v4", Protocol::MangoV4),
    ("drift_v2", Protocol::DriftV2),
    ("marginfi_v2", Protocol::MarginfiV2),
];

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

/// The preset named by `protocol` (a name, or an object with `name` and overrides), and its
/// object when one was given.
pub(super) fn protocol<'a>(root: &Fields<'a>) -> Result<(Protocol, Option<Fields<'a>>), OpError> {
    if root.object("protocol").is_ok() {
        let f = root.object("protocol")?;
        let p = f.choice("name", PROTOCOLS)?;
        Ok((p, Some(f)))
    } else {
        Ok((root.choice("protocol", PROTOCOLS)?, None))
    }
}

/// Without a preset, the preset-only keys (`pool`, `position`) are invalid.
pub(super) fn no_preset_keys(input: &Map<String, Value>) -> Result<(), OpError> {
    for key in ["pool", "position"] {
        if input.contains_key(key) {
            return Err(OpError::invalid(key, "is read only with \"protocol\": \"morpho_blue\""));
        }
    }
    Ok(())
}

/// Rejects every key of `root` outside `allowed`: with a preset, the preset decides the rules.
fn only(root: &Fields<'_>, allowed: &[&str]) -> Result<(), OpError> {
    match root.keys().find(|k| !allowed.contains(k)) {
        Some(k) => Err(OpError::invalid(
            root.name(k),
            "is not read with this protocol preset (the preset sets the rules; override its fields in the protocol object)",
        )),
        None => Ok(()),
    }
}

/// An index array field (`decimals`, `emode.collateral`): JSON integers.
fn integers(f: &Fields<'_>, key: &str, max: u64, why: &'static str) -> Result<Vec<u64>, OpError> {
    let Some(Value::Array(items)) = f.raw(key) else {
        return Err(OpError::invalid(f.name(key), "must be an array of integers"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_u64()
                .filter(|n| *n <= max)
                .ok_or_else(|| OpError::invalid(std::format!("{}[{i}]", f.name(key)), why))
        })
        .collect()
}

/// Aave v3.3's constants with the object's overrides, and the tokens' decimals.
fn aave_preset(f: Option<&Fields<'_>>, tokens: usize) -> Result<(AaveV33, Vec<u8>), OpError> {
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
    for (i, (t, price)) in world.tokens.iter().zip(&world.token_prices).enumerate() {
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
    if !world.perps.is_empty() || !world.options.is_empty() {
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
fn aave_inputs(root: &Fields<'_>) -> Result<(World, AaveV33, Vec<u8>), OpError> {
    let (_, pf) = protocol(root)?;
    let world = read(root)?;
    let (p, decimals) = aave_preset(pf.as_ref(), world.tokens.len())?;
    aave_world(&world, &p, &decimals)?;
    Ok((world, p, decimals))
}

/// `health` with a `protocol`.
pub(super) fn run_health(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let (name, _) = protocol(&root)?;
    match name {
        Protocol::AaveV33 => {
            only(&root, &["protocol", "tokens", "account"])?;
            let (world, p, decimals) = aave_inputs(&root)?;
            let ctx = world.context()?;
            let data = aave::account_data(&world.account, &ctx, &decimals, &p)?;
            let mut out = Map::new();
            out.insert("protocol".into(), name.name().into());
            if let Value::Object(m) = account_data_value(&data) {
                out.extend(m);
            }
            Ok(out)
        }
        Protocol::MorphoBlue => morpho_health(&root),
        _ => Err(unsupported(&root, name)),
    }
}

fn unsupported(root: &Fields<'_>, p: Protocol) -> OpError {
    let _ = p;
    OpError::invalid(
        root.name("protocol"),
        "this op reads this preset through the general rule's fields: see vectors/README.md §10",
    )
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
    let order = TOKEN_ORDER.read_with(&f, none, &world.tokens.len())?;
    let call = Call {
        liability: order.liability,
        collateral: order.collateral,
        debt_to_cover: order.max_repay,
    };
    let ctx = crate::account::Context::tokens(&world.tokens, &world.token_prices)?;
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

/// `liquidate` with a `protocol`.
pub(super) fn run_liquidate(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let (name, _) = protocol(&root)?;
    match name {
        Protocol::AaveV33 => {
            only(&root, &["protocol", "tokens", "account", "liquidation"])?;
            let (mut world, p, decimals) = aave_inputs(&root)?;
            let before = world.account.clone();
            let (r, order) = aave_liquidation(&root, &mut world, &p, &decimals, true)?;
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
                    if let Position::Token { token, balance } = *pos {
                        if balance.is_negative() {
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
            }
            out.insert("deficit".into(), Value::Array(deficits));
            out.insert("before".into(), account_data_value(&r.before));
            out.insert("after".into(), account_data_value(&r.after));
            out.insert("account".into(), account_value(&world.account));
            Ok(out)
        }
        Protocol::MorphoBlue => morpho_liquidate(&root),
        _ => Err(unsupported(&root, name)),
    }
}

/// `liquidator_decision` with a `protocol`: the opportunity is what the preset allows on the
/// order (`max_repay` the request; absent: the largest call that goes through), priced at the
/// tokens' prices with the collateral's bonus and protocol fee.
pub(super) fn run_decision(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let (name, _) = protocol(&root)?;
    if name != Protocol::AaveV33 {
        return Err(unsupported(&root, name));
    }
    only(
        &root,
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
    let (r, order) = aave_liquidation(&root, &mut world, &p, &decimals, false)?;
    let profile = profile(&root.object("profile")?)?;
    let env = environment(&root)?;
    let market = read_market(&root.object("market")?)?;
    let sizing = if root.has("sizing") {
        root.choice("sizing", SIZINGS)?
    } else {
        Sizing::Best
    };
    let (liab, liab_price) = (
        world.tokens.get(usize::from(order.liability)),
        world.token_prices.get(usize::from(order.liability)),
    );
    let (coll, coll_price) = (
        world.tokens.get(usize::from(order.collateral)),
        world.token_prices.get(usize::from(order.collateral)),
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

/// A Morpho integer field: a JSON string of decimal digits (native units, shares, the 1e36
/// price), at most `i128::MAX`.
fn integer(f: &Fields<'_>, key: &str) -> Result<i128, OpError> {
    let why = "must be a string of decimal digits (Morpho's integer), at most 2^127 - 1";
    match f.raw(key) {
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse::<i128>().map_err(|_| OpError::invalid(f.name(key), why))
        }
        None => Err(OpError::invalid(f.name(key), super::why::REQUIRED)),
        Some(_) => Err(OpError::invalid(f.name(key), why)),
    }
}

fn int_value(x: i128) -> Value {
    Value::String(std::format!("{x}"))
}

const MORPHO_KEYS: &[&str] = &["name", "cursor", "max_lif"];
const POOL_KEYS: &[&str] = &[
    "lltv",
    "price",
    "total_supply_assets",
    "total_borrow_assets",
    "total_borrow_shares",
];
const POSITION_KEYS: &[&str] = &["collateral", "borrow_shares"];

fn strict(f: &Fields<'_>, keys: &'static [&'static str]) -> Result<(), OpError> {
    match f.keys().find(|k| !keys.contains(k)) {
        Some(k) => Err(unknown_key(f.name(k), k, &[&keys])),
        None => Ok(()),
    }
}

/// Morpho's constants, its market and the position.
fn morpho_inputs(root: &Fields<'_>) -> Result<(morpho::Constants, morpho::Market, morpho::Position), OpError> {
    let (_, pf) = protocol(root)?;
    let mut c = morpho::Constants::DEFAULT;
    if let Some(f) = pf {
        strict(&f, MORPHO_KEYS)?;
        c.cursor = f.decimal_or("cursor", c.cursor)?;
        c.max_lif = f.decimal_or("max_lif", c.max_lif)?;
        if c.cursor.is_negative() || c.cursor >= Wad::ONE {
            return Err(OpError::invalid(f.name("cursor"), "must be in [0, 1)"));
        }
        if c.max_lif < Wad::ONE {
            return Err(OpError::invalid(f.name("max_lif"), "must be ≥ 1"));
        }
    }
    let f = root.object("pool")?;
    strict(&f, POOL_KEYS)?;
    let market = morpho::Market {
        lltv: f.decimal("lltv")?,
        price: integer(&f, "price")?,
        total_supply_assets: integer(&f, "total_supply_assets")?,
        total_borrow_assets: integer(&f, "total_borrow_assets")?,
        total_borrow_shares: integer(&f, "total_borrow_shares")?,
    };
    market.check().map_err(|e| f.kernel(e))?;
    let f = root.object("position")?;
    strict(&f, POSITION_KEYS)?;
    let position = morpho::Position {
        collateral: integer(&f, "collateral")?,
        borrow_shares: integer(&f, "borrow_shares")?,
    };
    if position.borrow_shares > market.total_borrow_shares {
        return Err(OpError::invalid(
            f.name("borrow_shares"),
            "must be at most the pool's total_borrow_shares",
        ));
    }
    Ok((c, market, position))
}

fn morpho_health_value(h: &morpho::Health) -> Value {
    let mut out = Map::new();
    out.insert("borrowed".into(), int_value(h.borrowed));
    out.insert("max_borrow".into(), int_value(h.max_borrow));
    out.insert("healthy".into(), Value::Bool(h.healthy()));
    Value::Object(out)
}

fn pool_value(m: &morpho::Market) -> Value {
    let mut out = Map::new();
    out.insert("total_supply_assets".into(), int_value(m.total_supply_assets));
    out.insert("total_borrow_assets".into(), int_value(m.total_borrow_assets));
    out.insert("total_borrow_shares".into(), int_value(m.total_borrow_shares));
    Value::Object(out)
}

fn position_value(p: &morpho::Position) -> Value {
    let mut out = Map::new();
    out.insert("collateral".into(), int_value(p.collateral));
    out.insert("borrow_shares".into(), int_value(p.borrow_shares));
    Value::Object(out)
}

fn morpho_health(root: &Fields<'_>) -> Result<Output, OpError> {
    only(root, &["protocol", "pool", "position"])?;
    let (c, market, position) = morpho_inputs(root)?;
    let h = morpho::health(&market, &position)?;
    let mut out = Map::new();
    out.insert("protocol".into(), Protocol::MorphoBlue.name().into());
    if let Value::Object(m) = morpho_health_value(&h) {
        out.extend(m);
    }
    out.insert("lif".into(), wad_value(morpho::incentive_factor(market.lltv, &c)?));
    Ok(out)
}

fn morpho_liquidate(root: &Fields<'_>) -> Result<Output, OpError> {
    only(root, &["protocol", "pool", "position", "liquidation"])?;
    let (c, mut market, mut position) = morpho_inputs(root)?;
    let f = root.object("liquidation")?;
    strict(&f, &["seized_assets", "repaid_shares"])?;
    let request = match (f.has("seized_assets"), f.has("repaid_shares")) {
        (true, false) => morpho::Request::Seize(integer(&f, "seized_assets")?),
        (false, true) => morpho::Request::RepayShares(integer(&f, "repaid_shares")?),
        _ => {
            return Err(OpError::invalid(
                f.path(),
                "must give exactly one of seized_assets and repaid_shares (Morpho's INCONSISTENT_INPUT)",
            ));
        }
    };
    let before = morpho::health(&market, &position)?;
    let r = morpho::liquidate(&mut market, &mut position, request, &c).map_err(|e| f.kernel(e))?;
    let after = morpho::health(&market, &position)?;
    let mut out = Map::new();
    out.insert("protocol".into(), Protocol::MorphoBlue.name().into());
    out.insert("lif".into(), wad_value(r.lif));
    out.insert("healthy".into(), Value::Bool(r.healthy));
    for (k, v) in [
        ("seized_assets", r.seized),
        ("repaid_shares", r.repaid_shares),
        ("repaid_assets", r.repaid_assets),
        ("bad_debt_assets", r.bad_debt_assets),
        ("bad_debt_shares", r.bad_debt_shares),
    ] {
        out.insert(k.into(), int_value(v));
    }
    out.insert("before".into(), morpho_health_value(&before));
    out.insert("after".into(), morpho_health_value(&after));
    out.insert("pool".into(), pool_value(&market));
    out.insert("position".into(), position_value(&position));
    Ok(out)
}
