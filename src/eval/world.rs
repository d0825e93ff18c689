//! Reading the tokens, perp markets and account that the risk ops share.

use std::vec::Vec;

use serde_json::{Map, Value};

use super::ops_option_margin::standard_params;
use super::ops_options::OPTION_KINDS;
use super::spec::{Field, Spec};
use super::{Fields, OpError, wad_value};
use crate::Wad;
use crate::account::{
    Account, Context, Health, OptionContext, OptionMark, OptionMarkWire, OptionParams, OptionParamsRaw,
    OptionParamsWire, PerpParams, PerpParamsRaw, PerpParamsWire, Position, TokenParams, TokenParamsRaw,
    TokenParamsWire,
};
use crate::oracle::{OraclePrice, OraclePriceWire};

/// The price of a token or perp-market object: `price` and `conf` (default 0).
pub(super) const PRICE: Spec<OraclePriceWire> = Spec::new(&[
    Field::decimal("price", |w| &mut w.price),
    Field::opt_decimal("conf", |w| &mut w.conf),
]);

/// A token's parameters (a token object's fields but its price; a cascade venue's
/// `collateral` and `debt`), in the order they are read.
pub(super) const TOKEN: Spec<TokenParamsWire> = Spec::new(&[
    Field::decimal("init_asset_weight", |w| &mut w.init_asset_weight),
    Field::decimal("maint_asset_weight", |w| &mut w.maint_asset_weight),
    Field::decimal("init_liab_weight", |w| &mut w.init_liab_weight),
    Field::decimal("maint_liab_weight", |w| &mut w.maint_liab_weight),
    Field::opt_decimal("liq_end_asset_weight", |w| &mut w.liq_end_asset_weight),
    Field::opt_decimal("liq_end_liab_weight", |w| &mut w.liq_end_liab_weight),
    Field::opt_decimal("size_factor", |w| &mut w.size_factor),
    Field::opt_decimal("liquidation_fee", |w| &mut w.liquidation_fee),
    Field::opt_decimal("protocol_fee_share", |w| &mut w.protocol_fee_share),
]);

/// A perp market's parameters (a perp object's fields but its price; a cascade venue's
/// `market`), in the order they are read.
pub(super) const PERP: Spec<PerpParamsWire> = Spec::new(&[
    Field::decimal("init_margin", |w| &mut w.init_margin),
    Field::decimal("maint_margin", |w| &mut w.maint_margin),
    Field::opt_decimal("liq_end_margin", |w| &mut w.liq_end_margin),
    Field::opt_decimal("size_factor", |w| &mut w.size_factor),
    Field::opt_decimal("liquidation_fee", |w| &mut w.liquidation_fee),
    Field::opt_decimal("protocol_fee_share", |w| &mut w.protocol_fee_share),
]);

/// An option series' parameters (an option object's fields but its market data), given the
/// number of tokens its `underlying` must name one of.
pub(super) const OPTION: Spec<OptionParamsWire, usize> = Spec::new(&[
    Field::with("kind", |f, k, w, _| f.choice(k, OPTION_KINDS).map(|v| w.kind = Some(v))),
    Field::with("underlying", |f, k, w, tokens| {
        index(f, k, *tokens).map(|i| w.underlying = Some(i))
    }),
    Field::decimal("strike", |w| &mut w.strike),
    Field::decimal("t", |w| &mut w.t),
    Field::opt_decimal("init_long_weight", |w| &mut w.init_long_weight),
    Field::opt_decimal("maint_long_weight", |w| &mut w.maint_long_weight),
    Field::opt_decimal("liq_end_long_weight", |w| &mut w.liq_end_long_weight),
    Field::opt_with("margin", |f, k, w, _| {
        standard_params(&f.object(k)?).map(|p| w.margin = Some(p.raw()))
    }),
]);

/// An option series' market data: `vol`, `rate` and `yield` (default 0).
pub(super) const MARK: Spec<OptionMarkWire> = Spec::new(&[
    Field::decimal("vol", |w| &mut w.vol),
    Field::opt_decimal("rate", |w| &mut w.rate),
    Field::opt_decimal("yield", |w| &mut w.yield_),
]);

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
    pub fn context(&self) -> Result<OptionContext<'_>, OpError> {
        Context::new(&self.tokens, &self.token_prices, &self.perps, &self.perp_prices)
            .and_then(|c| c.with_options(&self.options, &self.option_marks))
            .map_err(OpError::from)
    }
}

/// A token object: its price, then its parameters.
fn token(f: &Fields<'_>) -> Result<(TokenParams, OraclePrice), OpError> {
    f.strict_for(&[&PRICE, &TOKEN])?;
    let price = PRICE.part(f)?;
    Ok((token_fields(f)?, price))
}

/// A token's parameters without a price, as a cascade venue's `collateral` and `debt` give them.
pub(super) fn token_params(f: &Fields<'_>) -> Result<TokenParams, OpError> {
    f.strict_for(&[&TOKEN])?;
    token_fields(f)
}

/// A perp market's parameters without a price, as a cascade venue's `market` gives them.
pub(super) fn perp_params(f: &Fields<'_>) -> Result<PerpParams, OpError> {
    f.strict_for(&[&PERP])?;
    perp_fields(f)
}

/// The parameter fields of a token object (not its price); the caller checks the keys.
fn token_fields(f: &Fields<'_>) -> Result<TokenParams, OpError> {
    let raw: TokenParamsRaw = TOKEN.part(f)?;
    TokenParams::new(raw).map_err(|e| f.kernel(e))
}

/// A perp-market object: its price, then its parameters.
fn perp(f: &Fields<'_>) -> Result<(PerpParams, OraclePrice), OpError> {
    f.strict_for(&[&PRICE, &PERP])?;
    let price = PRICE.part(f)?;
    Ok((perp_fields(f)?, price))
}

/// The parameter fields of a perp-market object (not its price); the caller checks the keys.
fn perp_fields(f: &Fields<'_>) -> Result<PerpParams, OpError> {
    let raw: PerpParamsRaw = PERP.part(f)?;
    PerpParams::new(raw).map_err(|e| f.kernel(e))
}

/// An option series of `tokens` tokens: its parameters, then its market data.
fn option(f: &Fields<'_>, tokens: usize) -> Result<(OptionParams, OptionMark), OpError> {
    f.strict_for(&[&OPTION, &MARK])?;
    let params = option_fields(f, tokens)?;
    let mark = MARK.part(f)?;
    Ok((params, mark))
}

/// The parameter fields of an option object (not its market data); the caller checks the keys.
pub(super) fn option_fields(f: &Fields<'_>, tokens: usize) -> Result<OptionParams, OpError> {
    let mut w = OptionParamsWire::default();
    OPTION.fill(f, &mut w, &tokens)?;
    let raw = OptionParamsRaw::try_from(w).map_err(|e| f.kernel(e))?;
    OptionParams::new(raw).map_err(|e| f.kernel(e))
}

/// Why an index field names no entry: the list it must index.
fn index_why(key: &str) -> &'static str {
    match key {
        "perp" => "must be the index of one of the perps",
        "option" => "must be the index of one of the options",
        _ => "must be the index of one of the tokens",
    }
}

/// An index field (`token`, `perp`, `underlying`, `option`) that must name an existing entry of a list of `len`.
fn index(f: &Fields<'_>, key: &str, len: usize) -> Result<u16, OpError> {
    let i = f.count(key)?;
    match u16::try_from(i) {
        Ok(i) if usize::from(i) < len => Ok(i),
        _ => Err(OpError::invalid(f.name(key), index_why(key))),
    }
}

/// A position object as read: the index of what it holds and its amounts.
#[derive(Default)]
struct Held {
    index: u16,
    amount: Wad,
    quote: Wad,
}

/// A token position `{token, balance}`, given the number of tokens.
const TOKEN_HELD: Spec<Held, usize> = Spec::new(&[
    Field::with("token", |f, k, w, len| index(f, k, *len).map(|i| w.index = i)),
    Field::decimal("balance", |w| &mut w.amount),
]);

/// A perp position `{perp, base, quote}`, given the number of perp markets.
const PERP_HELD: Spec<Held, usize> = Spec::new(&[
    Field::with("perp", |f, k, w, len| index(f, k, *len).map(|i| w.index = i)),
    Field::decimal("base", |w| &mut w.amount),
    Field::opt_decimal("quote", |w| &mut w.quote),
]);

/// An option position `{option, quantity}`, given the number of option series.
const OPTION_HELD: Spec<Held, usize> = Spec::new(&[
    Field::with("option", |f, k, w, len| index(f, k, *len).map(|i| w.index = i)),
    Field::decimal("quantity", |w| &mut w.amount),
]);

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
        return Err(OpError::invalid("tokens", "at most 65,535 tokens"));
    }
    if options.len() > usize::from(u16::MAX) {
        return Err(OpError::invalid("options", "at most 65,535 options"));
    }
    if perps.len() > usize::from(u16::MAX) {
        return Err(OpError::invalid("perps", "at most 65,535 perps"));
    }
    let mut account = Account::new();
    for f in root.objects("account")? {
        let position = if f.has("token") {
            let h = TOKEN_HELD.read_with(&f, Held::default(), &tokens.len())?;
            Position::Token {
                token: h.index,
                balance: h.amount,
            }
        } else if f.has("perp") {
            let h = PERP_HELD.read_with(&f, Held::default(), &perps.len())?;
            Position::Perp {
                market: h.index,
                base: h.amount,
                quote: h.quote,
            }
        } else if f.has("option") {
            let h = OPTION_HELD.read_with(&f, Held::default(), &options.len())?;
            Position::Option {
                series: h.index,
                quantity: h.amount,
            }
        } else {
            return Err(OpError::invalid(f.path(), "must hold a token, perp or option key"));
        };
        account.open(position).map_err(|e| match e {
            crate::Error::Capacity { .. } => OpError::from(e),
            _ => OpError::invalid(f.path(), e.why().unwrap_or("the account cannot open this position")),
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
