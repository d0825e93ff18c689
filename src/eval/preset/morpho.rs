//! `morpho_blue` on the wire (`vectors/README.md` §10.2).

use serde_json::{Map, Value};

use super::super::{Fields, OpError, Output, wad_value};
use super::{int_value, integer, only, protocol, strict};
use crate::Wad;
use crate::preset::{Protocol, morpho};

const MORPHO_KEYS: &[&str] = &["name", "cursor", "max_lif"];
const POOL_KEYS: &[&str] = &[
    "lltv",
    "price",
    "total_supply_assets",
    "total_borrow_assets",
    "total_borrow_shares",
];
const POSITION_KEYS: &[&str] = &["collateral", "borrow_shares"];

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

pub(super) fn health(root: &Fields<'_>) -> Result<Output, OpError> {
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

pub(super) fn liquidate(root: &Fields<'_>) -> Result<Output, OpError> {
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

/// The keys of a decision's `liquidation` object under `morpho_blue`.
const DECISION_ORDER_KEYS: &[&str] = &["loan_decimals", "collateral_decimals"];

/// `liquidator_decision` under `morpho_blue`: the most `liquidate` lets the liquidator repay —
/// every borrow share when the collateral covers their seizure (`limit` `position`), else the
/// repay that seizes the whole collateral (`collateral`; the rest is bad debt) — at Morpho's
/// terms: the loan token priced 1, the collateral at `price/1e36` loan units (both in tokens of
/// `loan_decimals` and `collateral_decimals`, 0 by default: native units), bonus `LIF − 1`,
/// no protocol share. A healthy position offers nothing (`limit` `healthy`).
pub(super) fn decision(root: &Fields<'_>) -> Result<Output, OpError> {
    let mut keys = std::vec!["protocol", "pool", "position", "liquidation"];
    keys.extend_from_slice(super::decision::KEYS);
    only(root, &keys)?;
    let (c, market, position) = morpho_inputs(root)?;
    let (ld, cd) = match root.opt_object("liquidation")? {
        Some(f) => {
            strict(&f, DECISION_ORDER_KEYS)?;
            let why = "must be an integer in [0, 18] (the token's decimals)";
            let d = |k: &str| -> Result<u8, OpError> {
                let n = f.count_or(k, 0)?;
                u8::try_from(n)
                    .ok()
                    .filter(|n| *n <= 18)
                    .ok_or_else(|| OpError::invalid(f.name(k), why))
            };
            (d("loan_decimals")?, d("collateral_decimals")?)
        }
        None => (0, 0),
    };
    let lif = morpho::incentive_factor(market.lltv, &c)?;
    let h = morpho::health(&market, &position)?;
    let (allowed, limit) = if h.healthy() {
        (0, "healthy")
    } else {
        let (mut m, mut p) = (market, position);
        match morpho::liquidate(&mut m, &mut p, morpho::Request::RepayShares(position.borrow_shares), &c) {
            Ok(r) => (r.repaid_assets, "position"),
            Err(crate::Error::Invalid {
                what: "seized_assets", ..
            }) => {
                let (mut m, mut p) = (market, position);
                let r = morpho::liquidate(&mut m, &mut p, morpho::Request::Seize(position.collateral), &c)?;
                (r.repaid_assets, "collateral")
            }
            Err(e) => return Err(e.into()),
        }
    };
    // price · 10^cd / (1e36 · 10^ld) on the 1e-18 grid (floored): raw ⌊price · 10^cd / 10^(18 + ld)⌋.
    let coll_price = Wad::from_raw(crate::preset::int::mul_div(
        market.price,
        crate::preset::int::pow10(cd)?,
        crate::preset::int::pow10(18u8.saturating_add(ld))?,
    )?);
    let opp = crate::liquidator::Opportunity {
        repay_max: crate::preset::int::from_native(allowed, ld)?,
        liab_price: Wad::ONE,
        coll_price,
        bonus: lif.sub(Wad::ONE)?,
        protocol_fee_share: Wad::ZERO,
    };
    let mut extra = Map::new();
    extra.insert("allowed_assets".into(), int_value(allowed));
    extra.insert("lif".into(), wad_value(lif));
    super::decision::decide_within(root, Protocol::MorphoBlue, &opp, limit, extra)
}
