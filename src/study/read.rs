//! Reading a study: strict, and every error says where and why.

use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use serde_json::{Map, Value};

use super::field::{FieldPath, Number, check};
use super::metrics::metric_names;
use super::stats::STATISTICS;
use super::{Axis, CellSpec, SolveSpec, Study, StudyError, Variant};
use crate::Wad;
use crate::eval::scenario::{Scenario, read_scenario};

/// The keys of a study.
pub const STUDY_KEYS: &[&str] = &["name", "description", "scenario", "paths", "vary", "variants", "solve"];

/// The most paths a study runs per cell.
pub const MAX_PATHS: u64 = 1_000_000;

/// The most cells a study has (grid points × (1 + variants)).
pub const MAX_CELLS: usize = 10_000;

/// The most axes a study varies.
pub const MAX_AXES: usize = 2;

/// Loads a scenario named by a study (a file name relative to the study): the scenario object,
/// or why not.
pub type Load<'a> = dyn Fn(&str) -> Result<Map<String, Value>, &'static str> + 'a;

/// An unknown key of `obj` (at `at`, a prefix such as `vary[0].`), if there is one.
fn strict(obj: &Map<String, Value>, keys: &[&str], at: &str) -> Result<(), StudyError> {
    match obj.keys().find(|k| !keys.contains(&k.as_str())) {
        Some(k) => Err(StudyError::invalid(format!("{at}{k}"), "an unknown key")),
        None => Ok(()),
    }
}

/// Reads a study object (see `vectors/studies/README.md`); `load` reads a scenario given by
/// file name. Every grid point and variant is read as a scenario once, so that a study that
/// reads runs (but for a run's own failures).
///
/// Errors: [`StudyError`] naming the study's field, why, and the scenario field concerned.
pub fn read_study(input: &Map<String, Value>, load: &Load<'_>) -> Result<Study, StudyError> {
    strict(input, STUDY_KEYS, "")?;
    let text = |key: &str| -> Result<String, StudyError> {
        match input.get(key) {
            None => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(StudyError::invalid(key, "a string")),
        }
    };
    let name = text("name")?;
    let description = text("description")?;
    let scenario_json = match input.get("scenario") {
        Some(Value::Object(m)) => m.clone(),
        Some(Value::String(file)) => {
            load(file).map_err(|why| StudyError::invalid("scenario", why).with_field(file.clone()))?
        }
        Some(_) => return Err(StudyError::invalid("scenario", "a scenario object or a file name")),
        None => return Err(StudyError::invalid("scenario", "a study needs a scenario")),
    };
    let base = read_scenario(&scenario_json)
        .map_err(|e| StudyError::scenario(format!("scenario.{}", e.what), "the scenario is invalid", &e))?;
    let paths = match input.get("paths").and_then(Value::as_u64) {
        Some(0) => return Err(StudyError::invalid("paths", "a study runs at least one path")),
        Some(n) if n > MAX_PATHS => return Err(StudyError::invalid("paths", "at most 1000000 paths")),
        Some(n) => u32::try_from(n).map_err(|_| StudyError::invalid("paths", "at most 1000000 paths"))?,
        None => return Err(StudyError::invalid("paths", "a JSON integer, at least 1")),
    };
    let vary = match input.get("vary") {
        None => Vec::new(),
        Some(Value::Array(items)) => {
            if items.len() > MAX_AXES {
                return Err(StudyError::invalid("vary", "at most two fields vary"));
            }
            let mut axes: Vec<Axis> = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let axis = read_axis(&scenario_json, item, &format!("vary[{i}]"))?;
                if axes.iter().any(|a| a.field == axis.field) {
                    return Err(StudyError::invalid(format!("vary[{i}].field"), "a field varies once")
                        .with_field(axis.field.to_string()));
                }
                axes.push(axis);
            }
            axes
        }
        Some(_) => return Err(StudyError::invalid("vary", "an array of at most two axes")),
    };
    let variants = match input.get("variants") {
        None => Vec::new(),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(name, patches)| read_variant(&scenario_json, name, patches))
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err(StudyError::invalid("variants", "an object of named patches")),
    };
    let venue_names: Vec<String> = base.venues.iter().map(|v| v.name.clone()).collect();
    let metrics = metric_names(&venue_names);
    let solve = match input.get("solve") {
        None | Some(Value::Null) => None,
        Some(Value::Object(s)) => Some(read_solve(&scenario_json, s, &metrics)?),
        Some(_) => return Err(StudyError::invalid("solve", "an object")),
    };
    let cells = build_cells(&scenario_json, &base, &vary, &variants)?;
    Ok(Study {
        name,
        description,
        source: input.clone(),
        scenario: scenario_json,
        base,
        paths,
        vary,
        variants,
        solve,
        cells,
        metrics,
    })
}

/// Reads the study file `path`, and its scenario (a file name in it is relative to the
/// study's directory).
///
/// Errors: `invalid` naming `study` when the file cannot be read or is not a JSON object (the
/// file named in `field`); the errors of [`read_study`].
pub fn read_study_file(path: &std::path::Path) -> Result<Study, StudyError> {
    let file = path.display().to_string();
    let object = read_object(path).map_err(|why| StudyError::invalid("study", why).with_field(file))?;
    let dir = path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    read_study(&object, &|name: &str| read_object(&dir.join(name)))
}

/// The JSON object in the file `path`.
fn read_object(path: &std::path::Path) -> Result<Map<String, Value>, &'static str> {
    let text = std::fs::read_to_string(path).map_err(|_| "cannot read the file")?;
    match serde_json::from_str(&text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err("the file holds JSON that is not an object"),
        Err(_) => Err("the file is not valid JSON"),
    }
}

/// The field path at `at`.
fn field_path(v: Option<&Value>, at: &str) -> Result<FieldPath, StudyError> {
    let text = v
        .and_then(Value::as_str)
        .ok_or_else(|| StudyError::invalid(at, "a field path such as venues[0].collateral.liquidation_fee"))?;
    FieldPath::parse(text).ok_or_else(|| {
        StudyError::invalid(at, "not a field path: keys joined by '.', array items as [i]").with_field(text)
    })
}

/// `{"field", "values": [...]}` or `{"field", "from", "to", "steps"}`.
fn read_axis(scenario: &Map<String, Value>, item: &Value, at: &str) -> Result<Axis, StudyError> {
    let Value::Object(obj) = item else {
        return Err(StudyError::invalid(
            at,
            "an object: field and values, or field, from, to and steps",
        ));
    };
    strict(obj, &["field", "values", "from", "to", "steps"], &format!("{at}."))?;
    let field = field_path(obj.get("field"), &format!("{at}.field"))?;
    let values: Vec<Value> = match (obj.get("values"), obj.get("from")) {
        (Some(_), Some(_)) => {
            return Err(StudyError::invalid(
                format!("{at}.from"),
                "either values or from, to and steps",
            ));
        }
        (Some(Value::Array(vs)), None) => {
            if obj.contains_key("to") || obj.contains_key("steps") {
                return Err(StudyError::invalid(
                    format!("{at}.values"),
                    "either values or from, to and steps",
                ));
            }
            if vs.is_empty() {
                return Err(StudyError::invalid(
                    format!("{at}.values"),
                    "empty: a sweep needs at least one value",
                ));
            }
            vs.clone()
        }
        (Some(_), None) => return Err(StudyError::invalid(format!("{at}.values"), "an array of values")),
        (None, _) => grid(obj, at)?,
    };
    let first = values.first().cloned().unwrap_or(Value::Null);
    let integer = check(scenario, &field, &first, true, &format!("{at}.field"))?.unwrap_or(false);
    let mut numbers = Vec::new();
    for (j, v) in values.iter().enumerate() {
        let at_j = format!("{at}.values[{j}]");
        let n = Number::from_value(v).ok_or_else(|| {
            StudyError::invalid(at_j.clone(), "a decimal string or a JSON integer").with_field(field.to_string())
        })?;
        if n.is_integer() != integer {
            let why = if integer {
                "an integer field: its values are JSON integers"
            } else {
                "a decimal field: its values are decimal strings"
            };
            return Err(StudyError::invalid(at_j, why).with_field(field.to_string()));
        }
        let mut patched = scenario.clone();
        field
            .set(&mut patched, n.to_value())
            .map_err(|why| StudyError::invalid(at_j.clone(), why).with_field(field.to_string()))?;
        read_scenario(&patched)
            .map_err(|e| StudyError::scenario(at_j.clone(), "the scenario refuses this value", &e))?;
        numbers.push(n);
    }
    Ok(Axis { field, values: numbers })
}

/// The values `from + ⌊(to − from)·k/steps⌋`, `k = 0 ..= steps` (integers: the same on
/// integers).
fn grid(obj: &Map<String, Value>, at: &str) -> Result<Vec<Value>, StudyError> {
    let num = |key: &str| {
        obj.get(key)
            .and_then(Number::from_value)
            .ok_or_else(|| StudyError::invalid(format!("{at}.{key}"), "a decimal string or a JSON integer"))
    };
    let (from, to) = (num("from")?, num("to")?);
    let steps = match obj.get("steps").and_then(Value::as_u64) {
        Some(0) | None => return Err(StudyError::invalid(format!("{at}.steps"), "a JSON integer, at least 1")),
        Some(s) if s > 1000 => return Err(StudyError::invalid(format!("{at}.steps"), "at most 1000 steps")),
        Some(s) => s,
    };
    let overflow = || StudyError::invalid(format!("{at}.to"), "the grid leaves the number range");
    let mut out = Vec::new();
    match (from, to) {
        (Number::Decimal(f), Number::Decimal(t)) => {
            let span = t.sub(f).map_err(|_| overflow())?;
            for k in 0..=steps {
                let k = Wad::from_raw(i128::from(k));
                let n = Wad::from_raw(i128::from(steps));
                let v = f.add(span.mul_div(k, n, crate::Rounding::Floor).map_err(|_| overflow())?);
                out.push(Number::Decimal(v.map_err(|_| overflow())?).to_value());
            }
        }
        (Number::Integer(f), Number::Integer(t)) => {
            let (lo, hi, down) = if t >= f { (f, t, false) } else { (t, f, true) };
            let span = u128::from(hi.saturating_sub(lo));
            if span < u128::from(steps) {
                return Err(StudyError::invalid(
                    format!("{at}.steps"),
                    "more steps than integers from from to to",
                ));
            }
            for k in 0..=steps {
                let d = u64::try_from(
                    span.saturating_mul(u128::from(k))
                        .checked_div(u128::from(steps))
                        .unwrap_or(0),
                )
                .map_err(|_| overflow())?;
                let v = if down { f.saturating_sub(d) } else { f.saturating_add(d) };
                out.push(Value::from(v));
            }
        }
        _ => {
            return Err(StudyError::invalid(
                format!("{at}.to"),
                "from and to are both decimals or both integers",
            ));
        }
    }
    Ok(out)
}

/// A variant: `{"field path": value, …}`.
fn read_variant(scenario: &Map<String, Value>, name: &str, patches: &Value) -> Result<Variant, StudyError> {
    let at = format!("variants.{name}");
    if name.is_empty() {
        return Err(StudyError::invalid("variants", "a variant needs a name"));
    }
    let Value::Object(m) = patches else {
        return Err(StudyError::invalid(at, "an object of field paths and values"));
    };
    let mut out = Vec::new();
    let mut patched = scenario.clone();
    for (path, value) in m {
        let at_p = format!("{at}.{path}");
        let field = FieldPath::parse(path).ok_or_else(|| {
            StudyError::invalid(at_p.clone(), "not a field path: keys joined by '.', array items as [i]")
        })?;
        check(scenario, &field, value, false, &at_p)?;
        field
            .set(&mut patched, value.clone())
            .map_err(|why| StudyError::invalid(at_p.clone(), why).with_field(field.to_string()))?;
        out.push((field, value.clone()));
    }
    read_scenario(&patched).map_err(|e| StudyError::scenario(at, "the scenario refuses this variant", &e))?;
    Ok(Variant {
        name: name.to_string(),
        patches: out,
    })
}

/// `{"field", "range": [lo, hi], "metric", "statistic", "above", "tolerance"?}`.
fn read_solve(
    scenario: &Map<String, Value>,
    s: &Map<String, Value>,
    metrics: &[String],
) -> Result<SolveSpec, StudyError> {
    strict(
        s,
        &["field", "range", "metric", "statistic", "above", "tolerance"],
        "solve.",
    )?;
    let field = field_path(s.get("field"), "solve.field")?;
    let range = match s.get("range") {
        Some(Value::Array(r)) if r.len() == 2 => r,
        _ => return Err(StudyError::invalid("solve.range", "an array [lo, hi]")),
    };
    let end = |i: usize, key: &str| {
        range.get(i).and_then(Number::from_value).ok_or_else(|| {
            StudyError::invalid(format!("solve.range[{i}]"), "a decimal string or a JSON integer").with_field(key)
        })
    };
    let (lo, hi) = (end(0, "lo")?, end(1, "hi")?);
    let first = range.first().cloned().unwrap_or(Value::Null);
    let integer = check(scenario, &field, &first, true, "solve.field")?.unwrap_or(false);
    if lo.is_integer() != integer || hi.is_integer() != integer {
        let why = if integer {
            "an integer field: its range is of JSON integers"
        } else {
            "a decimal field: its range is of decimal strings"
        };
        return Err(StudyError::invalid("solve.range", why).with_field(field.to_string()));
    }
    if lo >= hi {
        return Err(StudyError::invalid("solve.range", "lo must be below hi"));
    }
    for (i, v) in [lo, hi].iter().enumerate() {
        let mut patched = scenario.clone();
        field
            .set(&mut patched, v.to_value())
            .map_err(|why| StudyError::invalid("solve.field", why).with_field(field.to_string()))?;
        read_scenario(&patched)
            .map_err(|e| StudyError::scenario(format!("solve.range[{i}]"), "the scenario refuses this value", &e))?;
    }
    let metric = match s.get("metric").and_then(Value::as_str) {
        Some(m) if metrics.iter().any(|n| n == m) => m.to_string(),
        Some(m) => return Err(StudyError::invalid("solve.metric", "not a metric of this study").with_field(m)),
        None => return Err(StudyError::invalid("solve.metric", "a metric name, such as insolvency")),
    };
    let statistic = match s.get("statistic").and_then(Value::as_str) {
        Some(st) => STATISTICS.iter().find(|n| **n == st).copied().ok_or_else(|| {
            StudyError::invalid(
                "solve.statistic",
                "one of mean, p50, p90, p95, p99, es95, es99, max, share_positive",
            )
        })?,
        None => {
            return Err(StudyError::invalid(
                "solve.statistic",
                "one of mean, p50, p90, p95, p99, es95, es99, max, share_positive",
            ));
        }
    };
    let above = match s.get("above") {
        Some(Value::String(t)) => {
            Wad::parse_decimal(t).map_err(|_| StudyError::invalid("solve.above", "a decimal string"))?
        }
        _ => return Err(StudyError::invalid("solve.above", "a decimal string")),
    };
    let tolerance = match s.get("tolerance") {
        None => {
            if integer {
                Number::Integer(1)
            } else {
                Number::Decimal(Wad::EPSILON)
            }
        }
        Some(v) => match Number::from_value(v) {
            Some(t) if t.is_integer() == integer && t.wad().is_ok_and(|w| w.is_positive()) => t,
            _ => {
                return Err(StudyError::invalid(
                    "solve.tolerance",
                    "a positive number of the field's kind",
                ));
            }
        },
    };
    Ok(SolveSpec {
        field,
        lo,
        hi,
        metric,
        statistic,
        above,
        tolerance,
    })
}

/// Every grid point (the first axis outer) crossed with the base scenario and each variant.
fn build_cells(
    scenario: &Map<String, Value>,
    base: &Scenario,
    vary: &[Axis],
    variants: &[Variant],
) -> Result<Vec<CellSpec>, StudyError> {
    let mut points: Vec<Vec<(FieldPath, Number)>> = std::vec![Vec::new()];
    for axis in vary {
        let mut next = Vec::new();
        for p in &points {
            for v in &axis.values {
                let mut q = p.clone();
                q.push((axis.field.clone(), *v));
                next.push(q);
            }
        }
        points = next;
    }
    let count = points.len().saturating_mul(variants.len().saturating_add(1));
    if count > MAX_CELLS {
        return Err(StudyError::invalid("vary", "more than 10000 cells"));
    }
    let mut cells = Vec::new();
    for point in points {
        let mut at_point = scenario.clone();
        for (f, v) in &point {
            f.set(&mut at_point, v.to_value())
                .map_err(|why| StudyError::invalid("vary", why).with_field(f.to_string()))?;
        }
        let mut named: Vec<(Option<String>, Map<String, Value>)> = std::vec![(None, at_point.clone())];
        for variant in variants {
            let mut m = at_point.clone();
            for (f, v) in &variant.patches {
                f.set(&mut m, v.clone()).map_err(|why| {
                    StudyError::invalid(format!("variants.{}", variant.name), why).with_field(f.to_string())
                })?;
            }
            named.push((Some(variant.name.clone()), m));
        }
        for (variant, m) in named {
            let index = cells.len();
            let read = read_scenario(&m).map_err(|e| {
                StudyError::scenario(format!("cells[{index}]"), "the scenario refuses this combination", &e)
            })?;
            if read.venues.len() != base.venues.len() {
                return Err(StudyError::invalid(
                    format!("cells[{index}]"),
                    "every cell has the base scenario's venues",
                ));
            }
            cells.push(CellSpec {
                point: point.clone(),
                variant,
                scenario: m,
            });
        }
    }
    Ok(cells)
}
