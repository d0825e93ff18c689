//! The ops `bs_price`, `bs_greeks` and `implied_vol`: European options under
//! Black-Scholes-Merton with a continuous yield. The wire spec is `vectors/options/README.md`.

use std::string::String;

use serde_json::{Map, Value};

use super::args::{Fields, rounding, wad_value};
use super::spec::{Field, Spec};
use super::{OpError, Output};
use crate::Wad;
use crate::options::{BsInputs, BsInputsRaw, OptionKind, greeks, implied_vol, price};
use crate::wire::need;

/// The inputs of `bs_price` and `bs_greeks`.
pub(super) const BS_INPUTS: &[&str] = &["kind", "spot", "strike", "vol", "t", "rate", "yield", "round"];
/// The inputs of `implied_vol`.
pub(super) const IV_INPUTS: &[&str] = &["kind", "price", "spot", "strike", "t", "rate", "yield"];

/// The wire names of [`OptionKind`].
pub(super) const OPTION_KINDS: &[(&str, OptionKind)] = &[("call", OptionKind::Call), ("put", OptionKind::Put)];

/// The field `kind`: `"call"` or `"put"`.
pub(super) fn kind(root: &Fields<'_>) -> Result<OptionKind, OpError> {
    root.choice("kind", OPTION_KINDS)
}

/// The model inputs as written: every field `None` when absent.
#[derive(Default)]
pub(super) struct BsWire {
    spot: Option<Wad>,
    strike: Option<Wad>,
    vol: Option<Wad>,
    t: Option<Wad>,
    rate: Option<Wad>,
    yield_: Option<Wad>,
}

impl TryFrom<BsWire> for BsInputs {
    type Error = crate::Error;

    /// [`BsInputs::new`] of the five required fields and `yield` (0 when absent), as the serde
    /// form of [`BsInputs`] reads them.
    fn try_from(w: BsWire) -> crate::Result<Self> {
        Self::new(BsInputsRaw {
            spot: need(w.spot, "spot")?,
            strike: need(w.strike, "strike")?,
            vol: need(w.vol, "vol")?,
            t: need(w.t, "t")?,
            rate: need(w.rate, "rate")?,
            yield_: w.yield_.unwrap_or(Wad::ZERO),
        })
    }
}

/// The model inputs: `spot`, `strike`, `vol`, `t`, `rate`, `yield` (default 0).
pub(super) const BS: Spec<BsWire> = Spec::new(&[
    Field::decimal("spot", |w| &mut w.spot),
    Field::decimal("strike", |w| &mut w.strike),
    Field::decimal("vol", |w| &mut w.vol),
    Field::decimal("t", |w| &mut w.t),
    Field::decimal("rate", |w| &mut w.rate),
    Field::opt_decimal("yield", |w| &mut w.yield_),
]);

/// The model inputs of an op's input (whose keys the op checks).
fn inputs(root: &Fields<'_>) -> Result<BsInputs, OpError> {
    BS.part(root)
}

/// `{kind, spot, strike, vol, t, rate, [yield], [round]}` → `{price}`.
pub(super) fn run_price(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let kind = kind(&root)?;
    let inputs = inputs(&root)?;
    let round = rounding(input)?;
    let p = price(kind, &inputs, round).map_err(|e| root.kernel(e))?;
    let mut out = Map::new();
    out.insert(String::from("price"), wad_value(p));
    Ok(out)
}

/// `{kind, spot, strike, vol, t, rate, [yield], [round]}` → `{delta, gamma, vega, theta, rho}`.
pub(super) fn run_greeks(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let kind = kind(&root)?;
    let inputs = inputs(&root)?;
    let round = rounding(input)?;
    let g = greeks(kind, &inputs, round).map_err(|e| root.kernel(e))?;
    let mut out = Map::new();
    let mut put = |key: &str, w: Wad| out.insert(String::from(key), wad_value(w));
    put("delta", g.delta);
    put("gamma", g.gamma);
    put("vega", g.vega);
    put("theta", g.theta);
    put("rho", g.rho);
    Ok(out)
}

/// `{kind, price, spot, strike, t, rate, [yield]}` → `{vol}`.
pub(super) fn run_implied_vol(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let kind = kind(&root)?;
    let target = root.decimal("price")?;
    let spot = root.decimal("spot")?;
    let strike = root.decimal("strike")?;
    let t = root.decimal("t")?;
    let rate = root.decimal("rate")?;
    let yield_ = root.decimal_or("yield", Wad::ZERO)?;
    let vol = implied_vol(kind, target, spot, strike, t, rate, yield_).map_err(|e| root.kernel(e))?;
    let mut out = Map::new();
    out.insert(String::from("vol"), wad_value(vol));
    Ok(out)
}
