//! The op `option_margin`: the margin of a short option, by the exchange-standard formula
//! (`"method": "standard"`) or a SPAN-style scenario grid (`"method": "grid"`). The wire spec is
//! `vectors/options/margin.md`.

use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::args::{Fields, wad_value};
use super::spec::{Field, Spec};
use super::{OpError, Output};
use crate::Wad;
use crate::options::{
    BsInputs, BsInputsRaw, GridMarket, GridParams, GridPosition, GridRaw, GridWire, OptionPosition,
    StandardMarginParams, StandardMarginRaw,
};

/// The input keys of `option_margin`.
pub(super) const INPUTS: &[&str] = &[
    "method", "kind", "strike", "t", "size", "mark", "spot", "vol", "rate", "yield", "params",
];

/// How a short option's margin is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Method {
    /// The exchange-standard formula (`params`: [`STANDARD`]).
    Standard,
    /// The SPAN-style scenario grid (`params`: [`GRID`]).
    Grid,
}

/// The wire names of [`Method`].
pub(super) const METHODS: &[(&str, Method)] = &[("standard", Method::Standard), ("grid", Method::Grid)];

/// The standard method's rates, each Deribit's when absent ([`StandardMarginRaw::default`]).
const STANDARD: Spec<StandardMarginRaw> = Spec::new(&[
    Field::opt_decimal("im_base", |w| &mut w.im_base),
    Field::opt_decimal("im_floor", |w| &mut w.im_floor),
    Field::opt_decimal("mm_base", |w| &mut w.mm_base),
    Field::opt_decimal("mm_floor", |w| &mut w.mm_floor),
]);

/// The grid method's parameters (defaults of [`GridRaw::new`]).
const GRID: Spec<GridWire> = Spec::new(&[
    Field::decimal("price_scan", |w| &mut w.price_scan),
    Field::decimal("vol_scan", |w| &mut w.vol_scan),
    Field::opt_count("steps", |w| &mut w.steps),
    Field::opt_count("extreme_multiple", |w| &mut w.extreme_multiple),
    Field::opt_decimal("extreme_fraction", |w| &mut w.extreme_fraction),
    Field::opt_decimal("horizon", |w| &mut w.horizon),
    Field::opt_decimal("short_minimum", |w| &mut w.short_minimum),
]);

/// An object of standard-margin rates (`params` of the standard method, an option series'
/// `margin`).
pub(super) fn standard_params(f: &Fields<'_>) -> Result<StandardMarginParams, OpError> {
    let raw = STANDARD.read(f)?;
    StandardMarginParams::new(raw).map_err(|e| f.kernel(e))
}

/// The optional object `params` of the standard method: Deribit's rates when absent.
pub(super) fn standard_params_of(root: &Fields<'_>) -> Result<StandardMarginParams, OpError> {
    match root.opt_object("params")? {
        Some(f) => standard_params(&f),
        None => Ok(StandardMarginParams::default()),
    }
}

/// A grid object.
pub(super) fn grid(f: &Fields<'_>) -> Result<GridParams, OpError> {
    let raw: GridRaw = GRID.object(f)?;
    GridParams::new(raw).map_err(|e| f.kernel(e))
}

/// The object `params` of the grid method (required: `price_scan` and `vol_scan` have no
/// default), and the reader that names its fields.
pub(super) fn grid_params<'a>(root: &Fields<'a>) -> Result<(GridParams, Fields<'a>), OpError> {
    let f = root.object("params")?;
    Ok((grid(&f)?, f))
}

/// `{method, kind, strike, t, size, [mark], spot, vol, rate, [yield], [params]}` → the standard
/// margin `{initial, maintenance, mark, otm}` or the grid
/// `{scenarios, worst, scan_risk, short_minimum, requirement}`.
pub(super) fn run(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let method = root.choice("method", METHODS)?;
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
    if method == Method::Grid {
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
            return Err(OpError::invalid(
                f.name("horizon"),
                "must be shorter than the option's t",
            ));
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
        let params = standard_params_of(&root)?;
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
        return Err(OpError::invalid("size", "must be > 0"));
    }
    if mark.is_some_and(Wad::is_negative) {
        return Err(OpError::invalid("mark", "must be ≥ 0"));
    }
    Ok(())
}
