//! The op `option_margin`: the margin of a short option, by the exchange-standard formula
//! (`"method": "standard"`) or a SPAN-style scenario grid (`"method": "grid"`). The wire spec is
//! `vectors/options/margin.md`.

use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::args::{Fields, wad_value};
use super::{OpError, Output};
use crate::Wad;
use crate::options::{
    BsInputs, BsInputsRaw, GridMarket, GridParams, GridPosition, GridRaw, OptionPosition, StandardMarginParams,
    StandardMarginRaw,
};

/// The input keys of `option_margin`.
pub(super) const INPUTS: &[&str] = &[
    "method", "kind", "strike", "t", "size", "mark", "spot", "vol", "rate", "yield", "params",
];

/// The keys of `params` for the standard method.
const STANDARD: &[&str] = &["im_base", "im_floor", "mm_base", "mm_floor"];
/// The keys of `params` for the grid method.
const GRID: &[&str] = &[
    "price_scan",
    "vol_scan",
    "steps",
    "extreme_multiple",
    "extreme_fraction",
    "horizon",
    "short_minimum",
];

/// SPAN's default price steps per side.
const DEFAULT_STEPS: u32 = 3;
/// CME SPAN's default extreme multiple.
const DEFAULT_EXTREME_MULTIPLE: u32 = 3;
/// CME SPAN's default fraction of an extreme move counted: 0.35.
const DEFAULT_EXTREME_FRACTION: Wad = Wad::from_raw(350_000_000_000_000_000);

/// The optional object `key` of standard-margin rates (`params` of the standard method, an
/// option series' `margin`): Deribit's rates where absent.
pub(super) fn standard_params(root: &Fields<'_>, key: &str) -> Result<StandardMarginParams, OpError> {
    let d = StandardMarginRaw::DERIBIT;
    let Some(f) = root.opt_object(key)? else {
        return Ok(StandardMarginParams::default());
    };
    f.strict(STANDARD)?;
    let raw = StandardMarginRaw {
        im_base: f.decimal_or("im_base", d.im_base)?,
        im_floor: f.decimal_or("im_floor", d.im_floor)?,
        mm_base: f.decimal_or("mm_base", d.mm_base)?,
        mm_floor: f.decimal_or("mm_floor", d.mm_floor)?,
    };
    StandardMarginParams::new(raw).map_err(|e| f.kernel(e))
}

/// The object `params` of the grid method (required: `price_scan` and `vol_scan` have no
/// default), and the reader that names its fields.
pub(super) fn grid_params<'a>(root: &Fields<'a>) -> Result<(GridParams, Fields<'a>), OpError> {
    let f = root.object("params")?;
    f.strict(GRID)?;
    let raw = GridRaw {
        price_scan: f.decimal("price_scan")?,
        vol_scan: f.decimal("vol_scan")?,
        steps: f.count_or("steps", DEFAULT_STEPS)?,
        extreme_multiple: f.count_or("extreme_multiple", DEFAULT_EXTREME_MULTIPLE)?,
        extreme_fraction: f.decimal_or("extreme_fraction", DEFAULT_EXTREME_FRACTION)?,
        horizon: f.decimal_or("horizon", Wad::ZERO)?,
        short_minimum: f.decimal_or("short_minimum", Wad::ZERO)?,
    };
    let params = GridParams::new(raw).map_err(|e| f.kernel(e))?;
    Ok((params, f))
}

/// `{method, kind, strike, t, size, [mark], spot, vol, rate, [yield], [params]}` → the standard
/// margin `{initial, maintenance, mark, otm}` or the grid
/// `{scenarios, worst, scan_risk, short_minimum, requirement}`.
pub(super) fn run(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let grid = root.choice("method", &["standard", "grid"])? == 1;
    let kind = super::ops_options::kind(&root)?;
    let strike = root.decimal("strike")?;
    let t = root.decimal("t")?;
    let size = root.decimal("size")?;
    let mark = root.opt_decimal("mark")?;
    let spot = root.decimal("spot")?;
    let vol = root.decimal("vol")?;
    let rate = root.decimal("rate")?;
    let yield_ = root.decimal_or("yield", Wad::ZERO)?;
    let mut out = Map::new();
    if grid {
        let (params, f) = grid_params(&root)?;
        let inputs = BsInputs::new(BsInputsRaw {
            spot,
            strike,
            vol,
            t,
            rate,
            yield_,
        })
        .map_err(|e| root.kernel(e))?;
        check_position(size, mark)?;
        if params.raw().horizon >= t {
            return Err(OpError::invalid(f.name("horizon")));
        }
        let market = GridMarket {
            spot: inputs.spot(),
            vol: inputs.vol(),
            rate: inputs.rate(),
            yield_: inputs.yield_(),
        };
        let position = GridPosition {
            position: OptionPosition {
                kind,
                strike,
                t,
                quantity: size.neg()?,
            },
            mark,
        };
        let g = params.margin(&market, &[position]).map_err(|e| root.kernel(e))?;
        let scenarios: Vec<Value> = g.scenarios.iter().map(|v| wad_value(*v)).collect();
        out.insert(String::from("scenarios"), Value::Array(scenarios));
        out.insert(String::from("worst"), Value::from(g.worst));
        out.insert(String::from("scan_risk"), wad_value(g.scan_risk));
        out.insert(String::from("short_minimum"), wad_value(g.short_minimum));
        out.insert(String::from("requirement"), wad_value(g.requirement));
    } else {
        let params = standard_params(&root, "params")?;
        let inputs = BsInputs::new(BsInputsRaw {
            spot,
            strike,
            vol,
            t,
            rate,
            yield_,
        })
        .map_err(|e| root.kernel(e))?;
        check_position(size, mark)?;
        let m = params.margin(kind, &inputs, size, mark).map_err(|e| root.kernel(e))?;
        out.insert(String::from("initial"), wad_value(m.initial));
        out.insert(String::from("maintenance"), wad_value(m.maintenance));
        out.insert(String::from("mark"), wad_value(m.mark));
        out.insert(String::from("otm"), wad_value(m.otm));
    }
    Ok(out)
}

/// `size > 0` (the number of options short) and `mark >= 0` when given.
fn check_position(size: Wad, mark: Option<Wad>) -> Result<(), OpError> {
    if !size.is_positive() {
        return Err(OpError::invalid("size"));
    }
    if mark.is_some_and(Wad::is_negative) {
        return Err(OpError::invalid("mark"));
    }
    Ok(())
}
