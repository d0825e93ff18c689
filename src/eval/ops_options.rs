//! The ops `bs_price`, `bs_greeks` and `implied_vol`: European options under
//! Black-Scholes-Merton with a continuous yield. The wire spec is `vectors/options/README.md`.

use std::string::String;

use serde_json::{Map, Value};

use super::args::{Fields, rounding, wad_value};
use super::{OpError, Output};
use crate::Wad;
use crate::options::{BsInputs, BsInputsRaw, OptionKind, greeks, implied_vol, price};

/// The inputs of `bs_price` and `bs_greeks`.
pub(super) const BS_INPUTS: &[&str] = &["kind", "spot", "strike", "vol", "t", "rate", "yield", "round"];
/// The inputs of `implied_vol`.
pub(super) const IV_INPUTS: &[&str] = &["kind", "price", "spot", "strike", "t", "rate", "yield"];

/// The field `kind`: `"call"` or `"put"`.
pub(super) fn kind(root: &Fields<'_>) -> Result<OptionKind, OpError> {
    Ok(match root.choice("kind", &["call", "put"])? {
        0 => OptionKind::Call,
        _ => OptionKind::Put,
    })
}

/// The model inputs: `spot`, `strike`, `vol`, `t`, `rate`, `yield` (default 0).
fn inputs(root: &Fields<'_>) -> Result<BsInputs, OpError> {
    let spot = root.decimal("spot")?;
    let strike = root.decimal("strike")?;
    let vol = root.decimal("vol")?;
    let t = root.decimal("t")?;
    let rate = root.decimal("rate")?;
    let yield_ = root.decimal_or("yield", Wad::ZERO)?;
    BsInputs::new(BsInputsRaw {
        spot,
        strike,
        vol,
        t,
        rate,
        yield_,
    })
    .map_err(|e| root.kernel(e))
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
