//! The ops `dynamic_margin` and `ewma_vol`. The wire spec is `vectors/margin/README.md`.

use std::format;
use std::string::String;

use serde_json::{Map, Value};

use super::{Fields, OpError, Output, wad_value};
use crate::Wad;
use crate::margin::{
    DynamicMarginParams, DynamicMarginRaw, EwmaParams, EwmaParamsRaw, GovernorParams, GovernorParamsRaw,
    MarginGovernor, RISKMETRICS_LAMBDA, ewma_vol, size_scaled,
};

/// The input keys of `dynamic_margin`.
pub(super) const DYNAMIC_INPUTS: &[&str] = &["params", "sigma", "skew", "governor", "size"];
/// The input keys of `ewma_vol`.
pub(super) const EWMA_INPUTS: &[&str] = &["prices", "lambda", "periods_per_year", "seed_variance"];

/// The keys of `params`.
const PARAMS: &[&str] = &["base", "k_vol", "k_skew", "horizon", "floor", "cap", "init_spread"];
/// The keys of `governor`.
const GOVERNOR: &[&str] = &["previous", "max_decrease", "buffer", "stressed_sigma"];
/// The keys of `size`.
const SIZE: &[&str] = &["size_factor", "size"];

/// The object `params`: `k_skew` and `floor` default to 0.
fn params(root: &Fields<'_>) -> Result<DynamicMarginParams, OpError> {
    let f = root.object("params")?;
    f.strict(PARAMS)?;
    let raw = DynamicMarginRaw {
        base: f.decimal("base")?,
        k_vol: f.decimal("k_vol")?,
        k_skew: f.decimal_or("k_skew", Wad::ZERO)?,
        horizon: f.decimal("horizon")?,
        floor: f.decimal_or("floor", Wad::ZERO)?,
        cap: f.decimal("cap")?,
        init_spread: f.decimal("init_spread")?,
    };
    DynamicMarginParams::new(raw).map_err(|e| f.kernel(e))
}

/// The optional object `governor`: a governor resumed from `previous`, or a fresh one.
fn governor(root: &Fields<'_>, margin: DynamicMarginParams) -> Result<Option<MarginGovernor>, OpError> {
    let Some(f) = root.opt_object("governor")? else {
        return Ok(None);
    };
    f.strict(GOVERNOR)?;
    let previous = f.opt_decimal("previous")?;
    let raw = GovernorParamsRaw {
        max_decrease: f.opt_decimal("max_decrease")?,
        buffer: f.decimal_or("buffer", Wad::ZERO)?,
        stressed_sigma: f.opt_decimal("stressed_sigma")?,
    };
    let params = GovernorParams::new(raw).map_err(|e| f.kernel(e))?;
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
        return Err(OpError::invalid("sigma"));
    }
    let skew = root.decimal_or("skew", Wad::ZERO)?;
    let governor = governor(&root, margin)?;
    let size = match root.opt_object("size")? {
        Some(f) => {
            f.strict(SIZE)?;
            let factor = f.decimal("size_factor")?;
            if factor.is_negative() {
                return Err(OpError::invalid(f.name("size_factor")));
            }
            Some((factor, f.decimal("size")?, f))
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
        return Err(OpError::invalid("prices"));
    }
    if let Some(i) = prices.iter().position(|p| !p.is_positive()) {
        return Err(OpError::invalid(format!("prices[{i}]")));
    }
    let raw = EwmaParamsRaw {
        lambda: root.decimal_or("lambda", RISKMETRICS_LAMBDA)?,
        periods_per_year: root.count("periods_per_year")?,
        seed_variance: root.opt_decimal("seed_variance")?,
    };
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
