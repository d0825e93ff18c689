//! Reading the tokens, perp markets and account that the risk ops share.

use std::vec::Vec;

use serde_json::{Map, Value};

use super::{Fields, OpError, wad_value};
use crate::Wad;
use crate::account::{
    Account, Context, Health, OptionMark, OptionParams, OptionParamsRaw, PerpParams, PerpParamsRaw, Position,
    TokenParams, TokenParamsRaw,
};
use crate::oracle::OraclePrice;

/// The keys of a token object.
const TOKEN_KEYS: &[&str] = &[
    "price",
    "conf",
    "init_asset_weight",
    "maint_asset_weight",
    "liq_end_asset_weight",
    "init_liab_weight",
    "maint_liab_weight",
    "liq_end_liab_weight",
    "size_factor",
    "liquidation_fee",
    "protocol_fee_share",
];

/// The keys of a perp-market object.
const PERP_KEYS: &[&str] = &[
    "price",
    "conf",
    "init_margin",
    "maint_margin",
    "liq_end_margin",
    "size_factor",
    "liquidation_fee",
    "protocol_fee_share",
];

/// The keys of an option-series object.
const OPTION_KEYS: &[&str] = &[
    "kind",
    "underlying",
    "strike",
    "t",
    "vol",
    "rate",
    "yield",
    "init_long_weight",
    "maint_long_weight",
    "liq_end_long_weight",
    "margin",
];

/// The tokens, perp markets (parameters and prices) and account of a risk op's input.
pub struct World {
    /// Token parameters, by index.
    pub tokens: Vec<TokenParams>,
    /// Token prices, by index.
    pub token_prices: Vec<OraclePrice>,
    /// Perp parameters, by index.
    pub perps: Vec<PerpParams>,
    /// Perp prices, by index.
    pub perp_prices: Vec<OraclePrice>,
    /// Option series, by index.
    pub options: Vec<OptionParams>,
    /// The market data of each option series, by index.
    pub option_marks: Vec<OptionMark>,
    /// The account.
    pub account: Account,
}

impl World {
    /// The health context over this world's parameters and prices.
    pub fn context(&self) -> Result<Context<'_>, OpError> {
        Context::new(&self.tokens, &self.token_prices, &self.perps, &self.perp_prices)
            .and_then(|c| c.with_options(&self.options, &self.option_marks))
            .map_err(OpError::from)
    }
}

/// The oracle price of an object with `price` and optional `conf`.
fn price(f: &Fields<'_>) -> Result<OraclePrice, OpError> {
    let price = f.decimal("price")?;
    let conf = f.decimal_or("conf", Wad::ZERO)?;
    OraclePrice::new(price, conf).map_err(|e| f.kernel(e))
}

fn token(f: &Fields<'_>) -> Result<(TokenParams, OraclePrice), OpError> {
    f.strict(TOKEN_KEYS)?;
    let price = price(f)?;
    Ok((token_fields(f)?, price))
}

/// A token's parameters without a price (the keys of a token object but `price` and `conf`),
/// as a cascade venue's `collateral` and `debt` give them.
pub(super) fn token_params(f: &Fields<'_>) -> Result<TokenParams, OpError> {
    f.strict(TOKEN_KEYS.get(2..).unwrap_or_default())?;
    token_fields(f)
}

/// A perp market's parameters without a price, as a cascade venue's `market` gives them.
pub(super) fn perp_params(f: &Fields<'_>) -> Result<PerpParams, OpError> {
    f.strict(PERP_KEYS.get(2..).unwrap_or_default())?;
    perp_fields(f)
}

/// The parameter fields of a token object (not its price); the caller checks the keys.
fn token_fields(f: &Fields<'_>) -> Result<TokenParams, OpError> {
    let init_asset = f.decimal("init_asset_weight")?;
    let maint_asset = f.decimal("maint_asset_weight")?;
    let init_liab = f.decimal("init_liab_weight")?;
    let maint_liab = f.decimal("maint_liab_weight")?;
    let mut raw = TokenParamsRaw::new(init_asset, maint_asset, init_liab, maint_liab);
    raw.liq_end_asset_weight = f.decimal_or("liq_end_asset_weight", init_asset)?;
    raw.liq_end_liab_weight = f.decimal_or("liq_end_liab_weight", init_liab)?;
    raw.size_factor = f.decimal_or("size_factor", Wad::ZERO)?;
    raw.liquidation_fee = f.decimal_or("liquidation_fee", Wad::ZERO)?;
    raw.protocol_fee_share = f.decimal_or("protocol_fee_share", Wad::ZERO)?;
    TokenParams::new(raw).map_err(|e| f.kernel(e))
}

fn perp(f: &Fields<'_>) -> Result<(PerpParams, OraclePrice), OpError> {
    f.strict(PERP_KEYS)?;
    let price = price(f)?;
    Ok((perp_fields(f)?, price))
}

/// The parameter fields of a perp-market object (not its price); the caller checks the keys.
fn perp_fields(f: &Fields<'_>) -> Result<PerpParams, OpError> {
    let init = f.decimal("init_margin")?;
    let maint = f.decimal("maint_margin")?;
    let mut raw = PerpParamsRaw::new(init, maint);
    raw.liq_end_margin = f.decimal_or("liq_end_margin", init)?;
    raw.size_factor = f.decimal_or("size_factor", Wad::ZERO)?;
    raw.liquidation_fee = f.decimal_or("liquidation_fee", Wad::ZERO)?;
    raw.protocol_fee_share = f.decimal_or("protocol_fee_share", Wad::ZERO)?;
    PerpParams::new(raw).map_err(|e| f.kernel(e))
}

/// An option series of `tokens` tokens: its parameters and market data.
fn option(f: &Fields<'_>, tokens: usize) -> Result<(OptionParams, OptionMark), OpError> {
    f.strict(OPTION_KEYS)?;
    let kind = super::ops_options::kind(f)?;
    let underlying = index(f, "underlying", tokens)?;
    let mut raw = OptionParamsRaw::new(kind, underlying, f.decimal("strike")?, f.decimal("t")?);
    raw.init_long_weight = f.decimal_or("init_long_weight", Wad::ONE)?;
    raw.maint_long_weight = f.decimal_or("maint_long_weight", Wad::ONE)?;
    raw.liq_end_long_weight = f.decimal_or("liq_end_long_weight", raw.init_long_weight)?;
    raw.margin = super::ops_option_margin::standard_params(f, "margin")?.raw();
    let params = OptionParams::new(raw).map_err(|e| f.kernel(e))?;
    let mark = OptionMark::new(
        f.decimal("vol")?,
        f.decimal_or("rate", Wad::ZERO)?,
        f.decimal_or("yield", Wad::ZERO)?,
    )
    .map_err(|e| f.kernel(e))?;
    Ok((params, mark))
}

/// An index field (`token`, `perp`, `underlying`, `option`) that must name an existing entry of a list of `len`.
fn index(f: &Fields<'_>, key: &str, len: usize) -> Result<u16, OpError> {
    let i = f.count(key)?;
    match u16::try_from(i) {
        Ok(i) if usize::from(i) < len => Ok(i),
        _ => Err(OpError::invalid(f.name(key))),
    }
}

/// Reads `tokens`, `perps` (optional) and `account` from an op's input.
pub fn read(root: &Fields<'_>) -> Result<World, OpError> {
    let mut tokens = Vec::new();
    let mut token_prices = Vec::new();
    for f in root.objects("tokens")? {
        let (p, price) = token(&f)?;
        tokens.push(p);
        token_prices.push(price);
    }
    let mut perps = Vec::new();
    let mut perp_prices = Vec::new();
    if root.has("perps") {
        for f in root.objects("perps")? {
            let (p, price) = perp(&f)?;
            perps.push(p);
            perp_prices.push(price);
        }
    }
    let mut options = Vec::new();
    let mut option_marks = Vec::new();
    if root.has("options") {
        for f in root.objects("options")? {
            let (p, mark) = option(&f, tokens.len())?;
            options.push(p);
            option_marks.push(mark);
        }
    }
    if tokens.len() > usize::from(u16::MAX) {
        return Err(OpError::invalid("tokens"));
    }
    if options.len() > usize::from(u16::MAX) {
        return Err(OpError::invalid("options"));
    }
    if perps.len() > usize::from(u16::MAX) {
        return Err(OpError::invalid("perps"));
    }
    let mut account = Account::new();
    for f in root.objects("account")? {
        let position = if f.has("token") {
            f.strict(&["token", "balance"])?;
            Position::Token {
                token: index(&f, "token", tokens.len())?,
                balance: f.decimal("balance")?,
            }
        } else if f.has("perp") {
            f.strict(&["perp", "base", "quote"])?;
            Position::Perp {
                market: index(&f, "perp", perps.len())?,
                base: f.decimal("base")?,
                quote: f.decimal_or("quote", Wad::ZERO)?,
            }
        } else if f.has("option") {
            f.strict(&["option", "quantity"])?;
            Position::Option {
                series: index(&f, "option", options.len())?,
                quantity: f.decimal("quantity")?,
            }
        } else {
            return Err(OpError::invalid(f.path()));
        };
        account.open(position).map_err(|e| match e {
            crate::Error::Capacity { .. } => OpError::from(e),
            _ => OpError::invalid(f.path()),
        })?;
    }
    Ok(World {
        tokens,
        token_prices,
        perps,
        perp_prices,
        options,
        option_marks,
        account,
    })
}

/// `{"assets", "liabilities", "value", "factor"}` of a health (`factor` null without liabilities).
pub fn health_value(h: &Health) -> Result<Value, OpError> {
    let mut out = Map::new();
    out.insert("assets".into(), wad_value(h.assets));
    out.insert("liabilities".into(), wad_value(h.liabilities));
    out.insert("value".into(), wad_value(h.value()?));
    out.insert("factor".into(), h.factor()?.map_or(Value::Null, wad_value));
    Ok(Value::Object(out))
}

/// The account's positions as they are read: `[{"token", "balance"} | {"perp", "base", "quote"}
/// | {"option", "quantity"}]`.
pub fn account_value(account: &Account) -> Value {
    let positions = account
        .positions()
        .iter()
        .map(|p| {
            let mut out = Map::new();
            match *p {
                Position::Token { token, balance } => {
                    out.insert("token".into(), Value::from(token));
                    out.insert("balance".into(), wad_value(balance));
                }
                Position::Perp { market, base, quote } => {
                    out.insert("perp".into(), Value::from(market));
                    out.insert("base".into(), wad_value(base));
                    out.insert("quote".into(), wad_value(quote));
                }
                Position::Option { series, quantity } => {
                    out.insert("option".into(), Value::from(series));
                    out.insert("quantity".into(), wad_value(quantity));
                }
            }
            Value::Object(out)
        })
        .collect();
    Value::Array(positions)
}
