//! The ops `dynamic_margin` and `ewma_vol`. The wire spec is `vectors/margin/README.md`.

use std::format;
use std::string::String;

use serde_json::{Map, Value};

use super::spec::{Field, Spec};
use super::{Fields, OpError, Output, wad_value};
use crate::Wad;
use crate::margin::{
    DynamicMarginParams, DynamicMarginRaw, DynamicMarginWire, EwmaParams, EwmaParamsRaw, EwmaParamsWire,
    GovernorParams, GovernorParamsRaw, MarginGovernor, ewma_vol, size_scaled,
};

/// The input keys of `dynamic_margin`.
pub(super) const DYNAMIC_INPUTS: &[&str] = &["params", "sigma", "skew", "governor", "size"];
/// The input keys of `ewma_vol`.
pub(super) const EWMA_INPUTS: &[&str] = &["prices", "lambda", "periods_per_year", "seed_variance"];

/// `params`: `k_skew` and `floor` default to 0.
pub(super) const PARAMS: Spec<DynamicMarginWire> = Spec::new(&[
    Field::decimal("base", |w| &mut w.base),
    Field::decimal("k_vol", |w| &mut w.k_vol),
    Field::opt_decimal("k_skew", |w| &mut w.k_skew),
    Field::decimal("horizon", |w| &mut w.horizon),
    Field::opt_decimal("floor", |w| &mut w.floor),
    Field::decimal("cap", |w| &mut w.cap),
    Field::decimal("init_spread", |w| &mut w.init_spread),
]);

/// `governor.previous`: the margin published last period (read first).
const PREVIOUS: Spec<Option<Wad>> = Spec::new(&[Field::opt_decimal("previous", |w| w)]);

/// `governor`'s parameters, each off when absent.
pub(super) const GOVERNOR: Spec<GovernorParamsRaw> = Spec::new(&[
    Field::opt_decimal("max_decrease", |w| &mut w.max_decrease),
    Field::opt_decimal("buffer", |w| &mut w.buffer),
    Field::opt_decimal("stressed_sigma", |w| &mut w.stressed_sigma),
]);

/// `size`: a non-negative `size_factor` and the position's `size`.
const SIZE: Spec<(Wad, Wad)> = Spec::new(&[
    Field::with("size_factor", |f, k, w, _| {
        let factor = f.decimal(k)?;
        if factor.is_negative() {
            return Err(OpError::invalid(f.name(k), "must be ≥ 0"));
        }
        w.0 = factor;
        Ok(())
    }),
    Field::decimal("size", |w| &mut w.1),
]);

/// `ewma_vol`'s parameters, at the top level: `lambda` (RiskMetrics' 0.94 when absent),
/// `periods_per_year`, `seed_variance` (none when absent).
pub(super) const EWMA: Spec<EwmaParamsWire> = Spec::new(&[
    Field::opt_decimal("lambda", |w| &mut w.lambda),
    Field::count("periods_per_year", |w| &mut w.periods_per_year),
    Field::opt_decimal("seed_variance", |w| &mut w.seed_variance),
]);

/// The object `params`.
fn params(root: &Fields<'_>) -> Result<DynamicMarginParams, OpError> {
    let f = root.object("params")?;
    let raw: DynamicMarginRaw = PARAMS.object(&f)?;
    DynamicMarginParams::new(raw).map_err(|e| f.kernel(e))
}

/// The optional object `governor`: a governor resumed from `previous`, or a fresh one.
fn governor(root: &Fields<'_>, margin: DynamicMarginParams) -> Result<Option<MarginGovernor>, OpError> {
    let Some(f) = root.opt_object("governor")? else {
        return Ok(None);
    };
    f.strict_for(&[&PREVIOUS, &GOVERNOR])?;
    let mut previous = None;
    PREVIOUS.fill(&f, &mut previous, &())?;
    let params: GovernorParams = GOVERNOR.part(&f)?;
    match previous {
        Some(p) => MarginGovernor::resume(margin, params, p)
            .map(Some)
            .map_err(|e| f.kernel(e)),
        None => Ok(Some(MarginGovernor::new(margin, params))),
    }
}

/// `{params, sigma, [skew], [governor], [size]}` → the dynamic margin, governed and
/// size-scaled when asked.
pub(super) fn run_dynamic(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let margin = params(&root)?;
    let sigma = root.decimal("sigma")?;
    if sigma.is_negative() {
        return Err(OpError::invalid("sigma", "must be ≥ 0"));
    }
    let skew = root.decimal_or("skew", Wad::ZERO)?;
    let governor = governor(&root, margin)?;
    let size = match root.opt_object("size")? {
        Some(f) => {
            let (factor, size) = SIZE.read_with(&f, (Wad::ZERO, Wad::ZERO), &())?;
            Some((factor, size, f))
        }
        None => None,
    };

    let dynamic = margin.margin(sigma, skew)?;
    let governed = match governor {
        Some(g) => Some(g.preview(sigma, skew)?),
        None => None,
    };
    let (maintenance, initial) =
        governed.map_or((dynamic.maintenance, dynamic.initial), |g| (g.maintenance, g.initial));
    let sized = match size {
        Some((factor, size, f)) => Some(size_scaled(maintenance, initial, factor, size).map_err(|e| f.kernel(e))?),
        None => None,
    };

    let mut out = Map::new();
    let mut put = |key: &str, value: Value| out.insert(String::from(key), value);
    put("maintenance", wad_value(maintenance));
    put("initial", wad_value(initial));
    put("dynamic", wad_value(dynamic.maintenance));
    put("vol_term", wad_value(dynamic.vol_term));
    put("skew_term", wad_value(dynamic.skew_term));
    put("bound", Value::from(dynamic.bound.as_str()));
    put(
        "stressed_floor",
        governed.and_then(|g| g.stressed_floor).map_or(Value::Null, wad_value),
    );
    put(
        "requirement",
        governed.map_or(Value::Null, |g| wad_value(g.requirement)),
    );
    put("target", governed.map_or(Value::Null, |g| wad_value(g.target)));
    put(
        "rate_limited",
        governed.map_or(Value::Null, |g| Value::from(g.rate_limited)),
    );
    put(
        "sized_maintenance",
        sized.map_or(Value::Null, |s| wad_value(s.maintenance)),
    );
    put("sized_initial", sized.map_or(Value::Null, |s| wad_value(s.initial)));
    Ok(out)
}

/// `{prices, [lambda], periods_per_year, [seed_variance]}` → the EWMA variance and the
/// volatilities it gives.
pub(super) fn run_ewma(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let prices = root.decimals("prices")?;
    if prices.len() < 2 {
        return Err(OpError::invalid("prices", "must hold at least 2 prices"));
    }
    if let Some(i) = prices.iter().position(|p| !p.is_positive()) {
        return Err(OpError::invalid(format!("prices[{i}]"), "must be > 0"));
    }
    let raw: EwmaParamsRaw = EWMA.part(&root)?;
    let params = EwmaParams::new(raw).map_err(|e| root.kernel(e))?;
    let vol = ewma_vol(&prices, params)?;

    let mut out = Map::new();
    let mut put = |key: &str, value: Value| out.insert(String::from(key), value);
    put("variance", wad_value(vol.variance));
    put("vol", wad_value(vol.vol));
    put("annual_vol", wad_value(vol.annual_vol));
    put("returns", Value::from(vol.returns));
    Ok(out)
}
