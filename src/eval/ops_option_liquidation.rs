//! The option order of `liquidate` (a short bought back, a long seized) and the op
//! `option_expiry` (cash settlement at intrinsic value). The wire spec is `vectors/README.md`
//! §8.2, "Option liquidation", and §8.6.

use std::string::String;

use serde_json::{Map, Value};

use super::ops_options::kind;
use super::ops_risk::outcome;
use super::spec::{Field, Spec};
use super::{Fields, OpError, Output, wad_value};
use crate::account::{Account, OptionContext};
use crate::liquidation::{LiquidationParams, OptionOrder, liquidate_option};
use crate::options::Settlement;

/// An option order, given the numbers of tokens and of option series its indices must stay
/// below.
pub(super) const OPTION_ORDER: Spec<OptionOrder, (usize, usize)> = Spec::new(&[
    Field::tag("kind"),
    Field::with("series", |f, k, w, (_, series)| {
        below(f, k, *series, "must be the index of one of the options").map(|i| w.series = i)
    }),
    Field::with("token", |f, k, w, (tokens, _)| {
        below(f, k, *tokens, "must be the index of one of the tokens").map(|i| w.token = i)
    }),
    Field::opt_decimal("max_size", |w| &mut w.max_size),
]);

/// An index field that must be below `len`.
fn below(f: &Fields<'_>, key: &str, len: usize, why: &'static str) -> Result<u16, OpError> {
    match u16::try_from(f.count(key)?) {
        Ok(i) if usize::from(i) < len => Ok(i),
        _ => Err(OpError::invalid(f.name(key), why)),
    }
}

/// Runs an option order `f` on `account` (the world has `lens` tokens and option series), writing its report into `out`.
pub(super) fn run_option_order(
    f: &Fields<'_>,
    account: &mut Account,
    ctx: &OptionContext<'_>,
    lens: (usize, usize),
    params: &LiquidationParams,
    out: &mut Output,
    in_order: impl Fn(crate::Error) -> OpError,
) -> Result<(), OpError> {
    let none = OptionOrder {
        series: 0,
        token: 0,
        max_size: None,
    };
    let order = OPTION_ORDER.read_with(f, none, &lens)?;
    let r = liquidate_option(account, ctx, params, order).map_err(in_order)?;
    out.insert("kind".into(), "option".into());
    out.insert("side".into(), r.side.name().into());
    out.insert("size".into(), wad_value(r.size));
    out.insert("mark".into(), wad_value(r.mark));
    out.insert("value".into(), wad_value(r.value));
    out.insert("seize".into(), wad_value(r.seize));
    out.insert("bonus".into(), wad_value(r.bonus));
    out.insert("protocol_fee".into(), wad_value(r.protocol_fee));
    out.insert("liquidator_receives".into(), wad_value(r.liquidator_receives()?));
    outcome(out, &r.outcome)
}

/// The input keys of `option_expiry`.
pub(super) const EXPIRY_INPUTS: &[&str] = &["kind", "strike", "spot", "quantity", "price"];

/// `option_expiry`: the cash settlement of `quantity` of a `kind` option struck at `strike`
/// with the underlying at `spot`, paid in a token of price `price` (default: `spot`, the
/// underlying itself).
pub(super) fn run_expiry(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let kind = kind(&root)?;
    let strike = root.decimal("strike")?;
    let spot = root.decimal("spot")?;
    let quantity = root.decimal("quantity")?;
    let price = root.decimal_or("price", spot)?;
    let s = Settlement::new(kind, strike, spot, quantity, price).map_err(|e| match e {
        crate::Error::Invalid {
            what: "token_price",
            why,
        } => OpError::invalid(String::from("price"), why),
        other => OpError::from(other),
    })?;
    let mut out = Map::new();
    out.insert("intrinsic".into(), wad_value(s.intrinsic));
    out.insert("value".into(), wad_value(s.value));
    out.insert("tokens".into(), wad_value(s.tokens));
    Ok(out)
}
