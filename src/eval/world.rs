//! Reading the tokens, perp markets and account that the risk ops share.

use std::borrow::Cow;
use std::string::{String, ToString};
use std::vec::Vec;

use serde_json::{Map, Value};

use super::ops_option_margin::standard_params;
use super::ops_options::OPTION_KINDS;
use super::spec::{Field, Spec};
use super::{Definitions, Fields, OpError, wad_value};
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
    Field::opt_decimal("liquidation_fee", |w| &mut w.liquidation_fee),
    Field::opt_decimal("protocol_fee_share", |w| &mut w.protocol_fee_share),
]);

/// An option series' market data: `vol`, `rate` and `yield` (default 0).
pub(super) const MARK: Spec<OptionMarkWire> = Spec::new(&[
    Field::decimal("vol", |w| &mut w.vol),
    Field::opt_decimal("rate", |w| &mut w.rate),
    Field::opt_decimal("yield", |w| &mut w.yield_),
]);

/// The tokens, perp markets and option series that an account's positions refer to by index,
/// with their prices and market data: the `tokens`, `perps` and `options` of a risk op's input,
/// or a set given a name by a `define` case (see [`Session`](super::Session)).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenSet {
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
}

impl TokenSet {
    /// Reads the fields `tokens` (an array), `perps` and `options` (optional arrays) of an op's
    /// input, as `health` reads them: every error names the field by its path
    /// (`tokens[1].maint_asset_weight`). Other keys of the object are not looked at.
    ///
    /// Errors: `invalid` naming the field; a kernel error of a token's, perp market's or
    /// option series' parameters.
    pub fn read(root: &Fields<'_>) -> Result<Self, OpError> {
        let mut set = Self::default();
        for f in root.objects("tokens")? {
            let (p, price) = token(&f)?;
            set.tokens.push(p);
            set.token_prices.push(price);
        }
        if root.has("perps") {
            for f in root.objects("perps")? {
                let (p, price) = perp(&f)?;
                set.perps.push(p);
                set.perp_prices.push(price);
            }
        }
        if root.has("options") {
            for f in root.objects("options")? {
                let (p, mark) = option(&f, set.tokens.len())?;
                set.options.push(p);
                set.option_marks.push(mark);
            }
        }
        if set.tokens.len() > usize::from(u16::MAX) {
            return Err(OpError::invalid("tokens", "at most 65,535 tokens"));
        }
        if set.options.len() > usize::from(u16::MAX) {
            return Err(OpError::invalid("options", "at most 65,535 options"));
        }
        if set.perps.len() > usize::from(u16::MAX) {
            return Err(OpError::invalid("perps", "at most 65,535 perps"));
        }
        Ok(set)
    }

    /// The health context over this set's parameters and prices.
    ///
    /// Errors: as [`Context::new`] and [`Context::with_options`] (a set read by
    /// [`TokenSet::read`] never fails here).
    pub fn context(&self) -> Result<OptionContext<'_>, OpError> {
        Context::new(&self.tokens, &self.token_prices, &self.perps, &self.perp_prices)
            .and_then(|c| c.with_options(&self.options, &self.option_marks))
            .map_err(OpError::from)
    }
}

/// The token set and the account of a risk op's input: the set as the input gives it, or the
/// one it names.
pub struct World<'s> {
    /// The tokens, perp markets and option series.
    pub set: Cow<'s, TokenSet>,
    /// The account.
    pub account: Account,
}

impl World<'_> {
    /// The health context over this world's parameters and prices.
    pub fn context(&self) -> Result<OptionContext<'_>, OpError> {
        self.set.context()
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
pub(super) fn option(f: &Fields<'_>, tokens: usize) -> Result<(OptionParams, OptionMark), OpError> {
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

/// Reads `tokens`, `perps` and `options` (or, in `tokens`, the name of a set of `defs`) and
/// `account` from an op's input.
///
/// Errors: as [`TokenSet::read`] and [`read_account`]; `invalid` naming `tokens` when it names
/// no set of `defs`, or `perps` (`options`) when the input gives them beside a set's name.
pub fn read<'s>(root: &Fields<'_>, defs: &'s Definitions) -> Result<World<'s>, OpError> {
    let set = match root.get("tokens") {
        Some(Value::String(name)) => {
            let set = defs.get(name).ok_or_else(|| unknown_set(name))?;
            for key in ["perps", "options"] {
                if root.has(key) {
                    return Err(OpError::invalid(key, "given by the named token set"));
                }
            }
            Cow::Borrowed(set)
        }
        _ => Cow::Owned(TokenSet::read(root)?),
    };
    let account = read_account(root, &set)?;
    Ok(World { set, account })
}

/// The error of a `tokens` that names no defined set.
fn unknown_set(name: &str) -> OpError {
    let mut why = String::from("no token set named ");
    why.push_str(&Value::from(name).to_string());
    why.push_str(" was defined earlier in this stream");
    OpError::invalid("tokens", why)
}

/// Reads the `account` array of an op's input, whose positions refer to `set` by index.
///
/// Errors: `invalid` naming the position or its field (`account[1].balance`); `capacity` when
/// the account has more positions than it can hold.
pub fn read_account(root: &Fields<'_>, set: &TokenSet) -> Result<Account, OpError> {
    let mut account = Account::new();
    for f in root.objects("account")? {
        let position = if f.has("token") {
            let h = TOKEN_HELD.read_with(&f, Held::default(), &set.tokens.len())?;
            Position::Token {
                token: h.index,
                balance: h.amount,
            }
        } else if f.has("perp") {
            let h = PERP_HELD.read_with(&f, Held::default(), &set.perps.len())?;
            Position::Perp {
                market: h.index,
                base: h.amount,
                quote: h.quote,
            }
        } else if f.has("option") {
            let h = OPTION_HELD.read_with(&f, Held::default(), &set.options.len())?;
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
    Ok(account)
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
