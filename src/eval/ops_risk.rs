//! The ops `health` and `liquidate`.

use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::ops_market::read_market;
use super::ops_option_liquidation::run_option_order;
use super::spec::{Field, Spec};
use super::world::{World, account_value, health_value, read};
use super::{Definitions, Fields, OpError, Output, wad_value};
use crate::Wad;
use crate::account::{
    Account, HealthLevel, LiquidationPrice, OptionContext, Position, PriceOf, health, is_liquidatable,
    liquidation_price,
};
use crate::liquidation::{
    CloseFactor, CloseFactorRaw, CloseFactorWire, LiquidationParams, Mode, Outcome, PerpOrder, TokenOrder, Waterfall,
    WaterfallRaw, WaterfallReport, is_bankrupt, liquidate_perp, liquidate_token, settle_bankruptcy, toxic_with_impact,
};
use crate::market::Depth;

/// The input keys of `health`.
pub(super) const HEALTH_INPUTS: &[&str] = &[
    "tokens",
    "perps",
    "options",
    "account",
    "protocol",
    "pool",
    "position",
    "oracle_price",
    "quote_price",
    "user",
];

/// The input keys of `liquidate`.
pub(super) const LIQUIDATE_INPUTS: &[&str] = &[
    "tokens",
    "perps",
    "options",
    "account",
    "liquidation",
    "close_factor",
    "target",
    "mode",
    "waterfall",
    "market",
    "protocol",
    "pool",
    "position",
    "oracle_price",
    "quote_price",
    "user",
];

/// The health levels by their names on the wire, in the order of `health`'s output.
pub(super) const LEVELS: &[(&str, HealthLevel)] = &[
    ("initial", HealthLevel::Initial),
    ("maintenance", HealthLevel::Maintenance),
    ("liquidation_end", HealthLevel::LiquidationEnd),
];

/// The optional `close_factor` (none when absent), `target` (`liquidation_end` when absent) and
/// `mode` (`target` when absent) of `liquidate`'s input, and of a cascade venue's `liquidation`
/// object.
pub(super) const LIQUIDATION: Spec<LiquidationParams> = Spec::new(&[
    Field::opt_with("close_factor", |f, k, w, _| {
        close_factor(&f.object(k)?).map(|c| w.close_factor = c)
    }),
    Field::opt_with("target", |f, k, w, _| f.choice(k, LEVELS).map(|l| w.target = l)),
    Field::opt_with("mode", |f, k, w, _| f.choice(k, MODES).map(|m| w.mode = m)),
]);

/// Who sizes a liquidation, by its name on the wire.
pub(super) const MODES: &[(&str, Mode)] = &[("target", Mode::Target), ("request", Mode::Request)];

/// A close factor: `normal`, and `full_below` and `dust` (default 0).
const CLOSE_FACTOR: Spec<CloseFactorWire> = Spec::new(&[
    Field::decimal("normal", |w| &mut w.normal),
    Field::opt_decimal("full_below", |w| &mut w.full_below),
    Field::opt_decimal("dust", |w| &mut w.dust),
]);

/// A waterfall: `premium_buffer`, `insurance_fund`, `lender_deposits` (each 0 when absent).
const WATERFALL: Spec<WaterfallRaw> = Spec::new(&[
    Field::opt_decimal("premium_buffer", |w| &mut w.premium_buffer),
    Field::opt_decimal("insurance_fund", |w| &mut w.insurance_fund),
    Field::opt_decimal("lender_deposits", |w| &mut w.lender_deposits),
]);

/// What a `liquidation` order liquidates.
#[derive(Clone, Copy)]
enum OrderKind {
    /// A token borrow against a token deposit ([`TOKEN_ORDER`]).
    Token,
    /// A perp position ([`PERP_ORDER`]).
    Perp,
    /// An option position (`ops_option_liquidation::OPTION_ORDER`).
    Option,
}

/// The wire names of [`OrderKind`].
const ORDER_KINDS: &[(&str, OrderKind)] = &[
    ("token", OrderKind::Token),
    ("perp", OrderKind::Perp),
    ("option", OrderKind::Option),
];

/// A token order, given the number of tokens its indices must stay below.
pub(super) const TOKEN_ORDER: Spec<TokenOrder, usize> = Spec::new(&[
    Field::tag("kind"),
    Field::with("liability", |f, k, w, tokens| {
        token_index(f, k, *tokens).map(|i| w.liability = i)
    }),
    Field::with("collateral", |f, k, w, tokens| {
        token_index(f, k, *tokens).map(|i| w.collateral = i)
    }),
    Field::opt_decimal("max_repay", |w| &mut w.max_repay),
]);

/// A perp order (its market is checked by the kernel).
pub(super) const PERP_ORDER: Spec<PerpOrder> = Spec::new(&[
    Field::tag("kind"),
    Field::with("market", |f, k, w, _| index(f, k).map(|i| w.market = i)),
    Field::opt_decimal("max_base", |w| &mut w.max_base),
]);

/// `health`: the account's health at each level, whether it is liquidatable, and the
/// liquidation price of each position.
pub(super) fn run_health(input: &Map<String, Value>, defs: &Definitions) -> Result<Output, OpError> {
    if input.contains_key("protocol") {
        return super::preset::run_health(input);
    }
    super::preset::no_preset_keys(input)?;
    let world = read(&Fields::root(input), defs)?;
    health_output(&world.account, &world.context()?)
}

/// The output of `health` for `account` in `ctx`.
pub(super) fn health_output(account: &Account, ctx: &OptionContext<'_>) -> Result<Output, OpError> {
    let mut out = Map::new();
    for &(name, level) in LEVELS {
        out.insert(name.into(), health_value(&health(account, ctx, level)?)?);
    }
    out.insert("liquidatable".into(), Value::Bool(is_liquidatable(account, ctx)?));
    let mut prices = Vec::new();
    for p in account.positions() {
        let of = match *p {
            Position::Token { token, .. } => PriceOf::Token(token),
            Position::Perp { market, .. } => PriceOf::Perp(market),
            // An option moves with its underlying's price.
            Position::Option { series, .. } => PriceOf::Token(ctx.option(series)?.0.underlying()),
        };
        let mut entry = Map::new();
        match liquidation_price(account, ctx, of)? {
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

/// Writes the output of `health` for `account` in `ctx` as compact JSON: the bytes that
/// `serde_json` writes for [`health_output`], without building its objects (the fast path of
/// `lce eval`; `tests.rs` compares the two on every vector).
pub(super) fn write_health(account: &Account, ctx: &OptionContext<'_>, out: &mut Vec<u8>) -> Result<(), OpError> {
    let wad = |out: &mut Vec<u8>, x: Wad| {
        let mut buf = [0; crate::num::MAX_DECIMAL_LEN];
        out.push(b'"');
        out.extend_from_slice(x.write_decimal(&mut buf).as_bytes());
        out.push(b'"');
    };
    out.push(b'{');
    for (i, &(name, level)) in LEVELS.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let h = health(account, ctx, level)?;
        out.push(b'"');
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\":{\"assets\":");
        wad(out, h.assets);
        out.extend_from_slice(b",\"liabilities\":");
        wad(out, h.liabilities);
        out.extend_from_slice(b",\"value\":");
        wad(out, h.value()?);
        out.extend_from_slice(b",\"factor\":");
        match h.factor()? {
            Some(f) => wad(out, f),
            None => out.extend_from_slice(b"null"),
        }
        out.push(b'}');
    }
    out.extend_from_slice(if is_liquidatable(account, ctx)? {
        b",\"liquidatable\":true,\"liquidation_prices\":["
    } else {
        b",\"liquidatable\":false,\"liquidation_prices\":["
    });
    for (i, p) in account.positions().iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let of = match *p {
            Position::Token { token, .. } => PriceOf::Token(token),
            Position::Perp { market, .. } => PriceOf::Perp(market),
            Position::Option { series, .. } => PriceOf::Token(ctx.option(series)?.0.underlying()),
        };
        match liquidation_price(account, ctx, of)? {
            LiquidationPrice::Never => out.extend_from_slice(b"{\"kind\":\"never\"}"),
            LiquidationPrice::Always => out.extend_from_slice(b"{\"kind\":\"always\"}"),
            LiquidationPrice::Nonlinear => out.extend_from_slice(b"{\"kind\":\"nonlinear\"}"),
            LiquidationPrice::Below(x) => {
                out.extend_from_slice(b"{\"kind\":\"below\",\"price\":");
                wad(out, x);
                out.push(b'}');
            }
            LiquidationPrice::Above(x) => {
                out.extend_from_slice(b"{\"kind\":\"above\",\"price\":");
                wad(out, x);
                out.push(b'}');
            }
        }
    }
    out.extend_from_slice(b"]}");
    Ok(())
}

/// A close-factor object.
pub(super) fn close_factor(f: &Fields<'_>) -> Result<CloseFactor, OpError> {
    let raw: CloseFactorRaw = CLOSE_FACTOR.object(f)?;
    CloseFactor::new(raw).map_err(|e| f.kernel(e))
}

/// The liquidation parameters of `liquidate`'s input (whose keys the op checks).
fn liquidation_params(root: &Fields<'_>) -> Result<LiquidationParams, OpError> {
    let mut params = LiquidationParams::default();
    LIQUIDATION.fill(root, &mut params, &())?;
    Ok(params)
}

/// The outcome's keys: health before and after, target health before and after, toxic, limit.
pub(super) fn outcome(out: &mut Output, o: &Outcome) -> Result<(), OpError> {
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
    let ctx = world.set.context()?;
    let kind = f.choice("kind", ORDER_KINDS)?;
    let in_order = |e: crate::Error| match e {
        crate::Error::Invalid { what, .. }
            if [
                "liability",
                "collateral",
                "market",
                "max_repay",
                "max_base",
                "series",
                "token",
                "max_size",
                "mark",
            ]
            .contains(&what) =>
        {
            f.kernel(e)
        }
        other => OpError::from(other),
    };
    if let OrderKind::Token = kind {
        let none = TokenOrder {
            liability: 0,
            collateral: 0,
            max_repay: None,
        };
        let order = TOKEN_ORDER.read_with(f, none, &world.set.tokens.len())?;
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
            return Err(OpError::invalid(
                "market",
                "only a token liquidation sells into a market",
            ));
        }
        if let OrderKind::Option = kind {
            let lens = (world.set.tokens.len(), world.set.options.len());
            return run_option_order(f, &mut world.account, &ctx, lens, params, out, in_order);
        }
        let none = PerpOrder {
            market: 0,
            max_base: None,
        };
        let order = PERP_ORDER.read_with(f, none, &())?;
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
    u16::try_from(f.count(key)?).map_err(|_| OpError::invalid(f.name(key), "must be an index in [0, 65535]"))
}

/// A token index field that must name one of the `len` tokens (the kernel would report a
/// missing token as a bare `token`, without the field's path).
fn token_index(f: &Fields<'_>, key: &str, len: usize) -> Result<u16, OpError> {
    match index(f, key)? {
        i if usize::from(i) < len => Ok(i),
        _ => Err(OpError::invalid(f.name(key), "must be the index of one of the tokens")),
    }
}

/// A waterfall object.
pub(super) fn read_waterfall(f: &Fields<'_>) -> Result<Waterfall, OpError> {
    let raw = WATERFALL.read(f)?;
    Waterfall::new(raw).map_err(|e| f.kernel(e))
}

/// `liquidate`: one liquidation of the account (when `liquidation` is given), then, when a
/// `waterfall` is given and the account is bankrupt, the settlement of its bad debt.
pub(super) fn run_liquidate(input: &Map<String, Value>, defs: &Definitions) -> Result<Output, OpError> {
    if input.contains_key("protocol") {
        return super::preset::run_liquidate(input);
    }
    super::preset::no_preset_keys(input)?;
    let root = Fields::root(input);
    let mut world = read(&root, defs)?;
    let params = liquidation_params(&root)?;
    let mut waterfall = match root.opt_object("waterfall")? {
        Some(f) => Some(read_waterfall(&f)?),
        None => None,
    };
    let order = root.opt_object("liquidation")?;
    if order.is_none() && waterfall.is_none() {
        return Err(OpError::invalid(
            "liquidation",
            "is required unless a waterfall is given",
        ));
    }
    if order.is_none() && root.has("market") {
        return Err(OpError::invalid("market", "is read only with a token liquidation"));
    }
    let mut out = Map::new();
    if let Some(f) = order {
        run_liquidation(&f, &mut world, &params, root.opt_object("market")?, &mut out)?;
    }
    let ctx = world.set.context()?;
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
