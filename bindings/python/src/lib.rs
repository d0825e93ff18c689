//! `lce._lce`: the Rust half of the Python package `lce` (see `python/lce/__init__.py` for the
//! public API and its documentation).
//!
//! Values cross the boundary exactly: a Python `Decimal` or `str` becomes the wire's decimal
//! text, a decimal in a result becomes a `Decimal` (or, in `eval` and `run`, the wire's string);
//! no float is ever made unless a float view is asked for.

use std::fmt::Write as _;

use lce::Wad;
use lce::account::{
    Account, Health as KernelHealth, HealthLevel, LiquidationPrice, Position, PriceOf, health, liquidation_price,
};
use lce::eval::scenario::{read_scenario, report_value};
use lce::eval::{Fields, OpError, Session as EvalSession, TokenSet, find_op, read_account};
use lce::study::{Options as StudyOptions, StudyError, outcome_value, read_object, read_study, read_study_file};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde_json::{Map, Value};

/// The bundled default scenario (what `lce run` plays with no argument).
const DEFAULT_SCENARIO: &str = include_str!("../../../vectors/scenarios/default.json");

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `decimal.Decimal`.
fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DECIMAL.import(py, "decimal", "Decimal")
}

/// A `Decimal` of the wad `w` (exact).
fn decimal(py: Python<'_>, w: Wad) -> PyResult<Bound<'_, PyAny>> {
    let mut buf = [0; lce::num::MAX_DECIMAL_LEN];
    decimal_type(py)?.call1((w.write_decimal(&mut buf),))
}

/// The exception `lce.<class for kind>(kind, what, why)`.
fn error(py: Python<'_>, kind: &str, what: &str, why: Option<&str>) -> PyErr {
    let class = match kind {
        "invalid" => "InvalidError",
        "overflow" => "OverflowError",
        "division_by_zero" => "DivisionByZeroError",
        "domain" => "DomainError",
        "capacity" => "CapacityError",
        _ => "Error",
    };
    match py
        .import("lce")
        .and_then(|m| m.getattr(class))
        .and_then(|c| c.call1((kind, what, why)))
    {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// The exception of an op's error.
fn op_error(py: Python<'_>, e: &OpError) -> PyErr {
    error(py, e.kind, &e.what, e.why.as_deref())
}

/// An `invalid` exception naming `what`.
fn invalid(py: Python<'_>, what: &str, why: &str) -> PyErr {
    error(py, "invalid", what, Some(why))
}

// ---------------------------------------------------------------------------- Python -> JSON

/// How Python values are read into JSON.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Arguments of a typed function: a float is refused (a `TypeError`): it is not exact.
    Typed,
    /// A case of `eval`: a float is a JSON number (which the op then refuses, naming the field,
    /// exactly as `lce eval` does).
    Case,
}

/// The plain decimal text of Python's `str(Decimal)` (`"1E+2"` is `"100"`, `"1.50"` stays
/// `"1.50"`, trailing fractional zeros past 18 digits are dropped: they do not change the
/// value); `None` for `NaN` and the infinities.
fn plain_decimal(s: &str) -> Option<String> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (mantissa, exp) = match body.find(['E', 'e']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i64>().ok()?),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Far outside the wad's range or grid: the kernel refuses the text as it is.
    if !(-60..=60).contains(&exp) {
        return Some(s.to_string());
    }
    let digits: String = format!("{int}{frac}");
    let point = int.len() as i64 + exp;
    let mut text = String::new();
    if neg {
        text.push('-');
    }
    if point <= 0 {
        text.push_str("0.");
        text.extend(std::iter::repeat_n('0', (-point) as usize));
        text.push_str(&digits);
    } else if point as usize >= digits.len() {
        text.push_str(&digits);
        text.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        text.push_str(&digits[..point as usize]);
        text.push('.');
        text.push_str(&digits[point as usize..]);
    }
    // Trailing zeros beyond the 18th fractional digit carry no value.
    if let Some(dot) = text.find('.') {
        while text.len() > dot + 19 && text.ends_with('0') {
            text.pop();
        }
    }
    Some(text)
}

/// The exact decimal text of a `Decimal` or a `str`; `None` for any other type.
fn amount_text(obj: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Some(s.to_cow()?.into_owned()));
    }
    if obj.is_instance(decimal_type(obj.py())?)? {
        let s = obj.str()?;
        let s = s.to_cow()?;
        let s = s.as_ref();
        return match plain_decimal(s) {
            Some(text) => Ok(Some(text)),
            None => Err(PyValueError::new_err(format!(
                "lce takes finite decimals, not Decimal({s:?})"
            ))),
        };
    }
    Ok(None)
}

/// A Python value as JSON: dicts (string keys), lists and tuples, `str`, `Decimal` (its exact
/// text), `int` (a JSON integer), `bool`, `None`; a `float` as `mode` says.
fn to_value(obj: &Bound<'_, PyAny>, mode: Mode) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(v) = i.extract::<u64>() {
            return Ok(Value::from(v));
        }
        if let Ok(v) = i.extract::<i64>() {
            return Ok(Value::from(v));
        }
        // As serde_json reads an integer outside 64 bits: a float, which no field takes.
        return Ok(serde_json::Number::from_f64(i.extract::<f64>()?).map_or(Value::Null, Value::Number));
    }
    if let Some(text) = amount_text(obj)? {
        return Ok(Value::String(text));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Err(PyTypeError::new_err(format!(
                    "lce takes string keys, not {}",
                    k.repr()?
                )));
            };
            map.insert(key.to_cow()?.into_owned(), to_value(&v, mode)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        let items = obj
            .try_iter()?
            .map(|item| to_value(&item?, mode))
            .collect::<PyResult<_>>()?;
        return Ok(Value::Array(items));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        if mode == Mode::Typed {
            return Err(PyTypeError::new_err(format!(
                "lce takes exact numbers: pass {} as a Decimal or a str, not a float",
                f.repr()?
            )));
        }
        return Ok(serde_json::Number::from_f64(f.value()).map_or(Value::Null, Value::Number));
    }
    Err(PyTypeError::new_err(format!(
        "lce cannot send a {} (expected dict, list, str, Decimal, int, bool or None)",
        obj.get_type().name()?
    )))
}

// ---------------------------------------------------------------------------- JSON -> Python

/// Whether `s` is the wire's decimal text (`-?digits(.digits)?`).
fn is_decimal(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = body.split_once('.').map_or((body, None), |(i, f)| (i, Some(f)));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// JSON as Python: objects as dicts (in order), arrays as lists, numbers as `int` (or `float`
/// when JSON has one), strings as `str` — or, with `decimals`, every decimal string as a
/// `Decimal` (names such as `"below"` stay `str`).
fn from_value<'py>(py: Python<'py>, v: &Value, decimals: bool) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u.into_pyobject(py)?.into_any(),
            (None, Some(i)) => i.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) if decimals && is_decimal(s) => decimal_type(py)?.call1((s.as_str(),))?,
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(from_value(py, item, decimals)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, from_value(py, item, decimals)?)?;
            }
            dict.into_any()
        }
    })
}

// ---------------------------------------------------------------------------- ops

/// Runs the op `name` on `input` (a dict of its input fields) and returns its output as a dict
/// whose decimals are `Decimal`s; raises `lce.Error` (a subclass per kind).
#[pyfunction]
fn op<'py>(py: Python<'py>, name: &str, input: &Bound<'py, PyDict>) -> PyResult<Bound<'py, PyAny>> {
    let Value::Object(input) = to_value(input.as_any(), Mode::Typed)? else {
        return Err(PyTypeError::new_err("the input is a dict"));
    };
    let op = find_op(name).ok_or_else(|| invalid(py, "op", "not an op of lce eval"))?;
    let result = py.detach(|| op.eval(&input));
    match result {
        Ok(out) => from_value(py, &Value::Object(out), true),
        Err(e) => Err(op_error(py, &e)),
    }
}

/// A stream of cases with its definitions (`lce eval` in-process).
#[pyclass(module = "lce")]
struct Session {
    inner: EvalSession,
}

#[pymethods]
impl Session {
    #[new]
    fn new() -> Self {
        Self {
            inner: EvalSession::new(),
        }
    }

    /// Answers each case (a dict, as a line of `lce eval`), in order, with this session's
    /// definitions; returns the list of answers exactly as `lce eval` writes them.
    fn eval<'py>(&mut self, py: Python<'py>, cases: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
        let cases: Vec<Value> = cases
            .try_iter()?
            .map(|c| to_value(&c?, Mode::Case))
            .collect::<PyResult<_>>()?;
        let answers: Vec<Value> = py.detach(|| cases.iter().map(|c| self.inner.eval(c)).collect());
        let list = PyList::empty(py);
        for a in &answers {
            list.append(from_value(py, a, false)?)?;
        }
        Ok(list)
    }

    /// Names a token set for the later cases of this session (the op `define`).
    #[pyo3(signature = (name, tokens, perps=None, options=None))]
    fn define(
        &mut self,
        py: Python<'_>,
        name: &str,
        tokens: &Bound<'_, PyAny>,
        perps: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let mut input = Map::new();
        input.insert("name".into(), Value::from(name));
        input.insert("tokens".into(), to_value(tokens, Mode::Typed)?);
        if let Some(p) = perps {
            input.insert("perps".into(), to_value(p, Mode::Typed)?);
        }
        if let Some(o) = options {
            input.insert("options".into(), to_value(o, Mode::Typed)?);
        }
        self.inner.run("define", &input).map(drop).map_err(|e| op_error(py, &e))
    }
}

/// Plays a cascade scenario (a dict, a path to a JSON file, or `None` for the bundled default)
/// and returns its report as `lce run --json` writes it.
#[pyfunction]
#[pyo3(signature = (scenario=None))]
fn run<'py>(py: Python<'py>, scenario: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    let value = match scenario {
        None => serde_json::from_str(DEFAULT_SCENARIO).map_err(|e| PyValueError::new_err(e.to_string()))?,
        Some(s) if s.cast::<PyDict>().is_ok() => to_value(s, Mode::Case)?,
        Some(path) => {
            let path: std::path::PathBuf = path.extract()?;
            let text = std::fs::read_to_string(&path)
                .map_err(|e| pyo3::exceptions::PyOSError::new_err(format!("{}: {e}", path.display())))?;
            serde_json::from_str(&text)
                .map_err(|e| PyValueError::new_err(format!("{}: not JSON: {e}", path.display())))?
        }
    };
    let Value::Object(map) = value else {
        return Err(invalid(py, "scenario", "a scenario is a JSON object"));
    };
    let report = py.detach(|| {
        let scenario = read_scenario(&map)?;
        let outcome = scenario.run(None, &mut |_| {})?;
        report_value(&scenario, &outcome)
    });
    match report {
        Ok(r) => from_value(py, &Value::Object(r), false),
        Err(e) => Err(op_error(py, &e)),
    }
}

/// The exception of a study's error: `lce.<class for kind>(kind, what, why)` with its `field`
/// (the scenario field concerned, or `None`).
fn study_error(py: Python<'_>, e: &StudyError) -> PyErr {
    let err = error(py, e.kind, &e.what, Some(e.why));
    if let Err(set) = err.value(py).setattr("field", e.field.as_deref()) {
        return set;
    }
    err
}

/// Runs a study (a dict, or a path to its JSON file) and returns its outcome as `lce study
/// --json` writes it. A scenario given by file name is read relative to the study's file, or,
/// for a dict, to `base` (default: the current directory).
#[pyfunction]
#[pyo3(signature = (study, *, base=None, threads=None))]
fn study<'py>(
    py: Python<'py>,
    study: &Bound<'py, PyAny>,
    base: Option<std::path::PathBuf>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    if threads == Some(0) {
        return Err(invalid(py, "threads", "must be at least 1"));
    }
    let read = if study.cast::<PyDict>().is_ok() {
        let Value::Object(map) = to_value(study, Mode::Case)? else {
            return Err(invalid(py, "study", "must be a JSON object"));
        };
        let dir = base.unwrap_or_default();
        py.detach(|| read_study(&map, &|name: &str| read_object(&dir.join(name))))
    } else {
        let path: std::path::PathBuf = study.extract()?;
        py.detach(|| read_study_file(&path))
    };
    let study = read.map_err(|e| study_error(py, &e))?;
    let options = StudyOptions {
        threads: threads.unwrap_or(0),
        ..StudyOptions::default()
    };
    let outcome = py.detach(|| study.run(&options).map(|o| outcome_value(&study, &o)));
    match outcome {
        Ok(v) => from_value(py, &v, false),
        Err(e) => Err(study_error(py, &e)),
    }
}

// ---------------------------------------------------------------------------- health

/// The three health levels, by their names.
const LEVELS: [(&str, HealthLevel); 3] = [
    ("initial", HealthLevel::Initial),
    ("maintenance", HealthLevel::Maintenance),
    ("liquidation_end", HealthLevel::LiquidationEnd),
];

/// The index of a level's name.
fn level_index(py: Python<'_>, level: &str) -> PyResult<usize> {
    LEVELS
        .iter()
        .position(|(n, _)| *n == level)
        .ok_or_else(|| invalid(py, "level", "one of initial, maintenance, liquidation_end"))
}

/// A token set read once (tokens, perp markets, option series and their prices), for many
/// health calls.
#[pyclass(module = "lce", frozen)]
struct Market {
    set: TokenSet,
}

/// The wad of an amount (a `Decimal` or a `str`), or `None` when it is neither or not a
/// decimal in range.
fn amount(obj: &Bound<'_, PyAny>) -> PyResult<Option<Wad>> {
    Ok(amount_text(obj)?.and_then(|t| Wad::parse_decimal(&t).ok()))
}

impl Market {
    /// The account of a list of positions, read straight from the Python objects when they
    /// are well formed (dicts `{"token", "balance"}`, `{"perp", "base"[, "quote"]}`,
    /// `{"option", "quantity"}`, or tuples `(token, balance)`); otherwise through the wire
    /// reader, which names the bad field exactly as `lce eval` does.
    fn account(&self, py: Python<'_>, positions: &Bound<'_, PyAny>) -> PyResult<Account> {
        if let Some(account) = self.account_fast(positions)? {
            return Ok(account);
        }
        let mut input = Map::new();
        input.insert("account".into(), to_value(positions, Mode::Typed)?);
        read_account(&Fields::root(&input), &self.set).map_err(|e| op_error(py, &e))
    }

    fn account_fast(&self, positions: &Bound<'_, PyAny>) -> PyResult<Option<Account>> {
        let Ok(list) = positions.cast::<PyList>() else {
            return Ok(None);
        };
        let mut account = Account::new();
        for item in list.iter() {
            let position = if let Ok(t) = item.cast::<PyTuple>() {
                if t.len() != 2 {
                    return Ok(None);
                }
                let (Ok(token), Some(balance)) = (t.get_item(0)?.extract::<u16>(), amount(&t.get_item(1)?)?) else {
                    return Ok(None);
                };
                Position::Token { token, balance }
            } else if let Ok(d) = item.cast::<PyDict>() {
                let get = |k: &str| d.get_item(k);
                let index = |v: Option<Bound<'_, PyAny>>| -> Option<u16> {
                    v.filter(|v| v.cast::<PyBool>().is_err())
                        .and_then(|v| v.extract::<u16>().ok())
                };
                match d.len() {
                    2 if d.contains("token")? => match (index(get("token")?), get("balance")?) {
                        (Some(token), Some(b)) => match amount(&b)? {
                            Some(balance) => Position::Token { token, balance },
                            None => return Ok(None),
                        },
                        _ => return Ok(None),
                    },
                    2 | 3 if d.contains("perp")? => {
                        let quote = match get("quote")? {
                            Some(q) => amount(&q)?,
                            None if d.len() == 2 => Some(Wad::ZERO),
                            None => None,
                        };
                        match (index(get("perp")?), get("base")?, quote) {
                            (Some(market), Some(b), Some(quote)) => match amount(&b)? {
                                Some(base) => Position::Perp { market, base, quote },
                                None => return Ok(None),
                            },
                            _ => return Ok(None),
                        }
                    }
                    2 if d.contains("option")? => match (index(get("option")?), get("quantity")?) {
                        (Some(series), Some(q)) => match amount(&q)? {
                            Some(quantity) => Position::Option { series, quantity },
                            None => return Ok(None),
                        },
                        _ => return Ok(None),
                    },
                    _ => return Ok(None),
                }
            } else {
                return Ok(None);
            };
            let (index, len) = match position {
                Position::Token { token, .. } => (token, self.set.tokens.len()),
                Position::Perp { market, .. } => (market, self.set.perps.len()),
                Position::Option { series, .. } => (series, self.set.options.len()),
            };
            if usize::from(index) >= len || account.open(position).is_err() {
                return Ok(None);
            }
        }
        Ok(Some(account))
    }

    /// The three levels' health and whether the account is liquidatable.
    fn assess(&self, account: &Account) -> Result<([KernelHealth; 3], bool), OpError> {
        let ctx = self.set.context()?;
        let mut levels = [KernelHealth::default(); 3];
        for (slot, (_, level)) in levels.iter_mut().zip(LEVELS) {
            *slot = health(account, &ctx, level)?;
        }
        let liquidatable = levels[1].value()?.is_negative();
        Ok((levels, liquidatable))
    }

    fn health_of(slf: &Bound<'_, Self>, account: Account) -> PyResult<Health> {
        let py = slf.py();
        let (levels, liquidatable) = slf.get().assess(&account).map_err(|e| op_error(py, &e))?;
        Ok(Health {
            market: slf.clone().unbind(),
            account,
            levels,
            liquidatable,
        })
    }
}

#[pymethods]
impl Market {
    #[new]
    #[pyo3(signature = (tokens, perps=None, options=None))]
    fn new(
        py: Python<'_>,
        tokens: &Bound<'_, PyAny>,
        perps: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut input = Map::new();
        input.insert("tokens".into(), to_value(tokens, Mode::Typed)?);
        if let Some(p) = perps {
            input.insert("perps".into(), to_value(p, Mode::Typed)?);
        }
        if let Some(o) = options {
            input.insert("options".into(), to_value(o, Mode::Typed)?);
        }
        let set = TokenSet::read(&Fields::root(&input)).map_err(|e| op_error(py, &e))?;
        Ok(Self { set })
    }

    /// The number of tokens, perp markets and option series.
    #[getter]
    fn sizes(&self) -> (usize, usize, usize) {
        (self.set.tokens.len(), self.set.perps.len(), self.set.options.len())
    }

    /// The health of one account (a list of positions).
    fn health(slf: &Bound<'_, Self>, account: &Bound<'_, PyAny>) -> PyResult<Health> {
        let account = slf.get().account(slf.py(), account)?;
        Self::health_of(slf, account)
    }

    /// The health of each account of a list, in one call.
    fn health_many(slf: &Bound<'_, Self>, accounts: &Bound<'_, PyAny>) -> PyResult<Vec<Health>> {
        let py = slf.py();
        let mut out = Vec::new();
        for (i, a) in accounts.try_iter()?.enumerate() {
            let account = slf.get().account(py, &a?).map_err(|e| in_batch(py, e, i))?;
            out.push(Self::health_of(slf, account).map_err(|e| in_batch(py, e, i))?);
        }
        Ok(out)
    }

    /// The health of many token-only accounts given as a matrix: row `i` holds account `i`'s
    /// balance of each token (column `j` is token `j`; `None`, `""`-less zeros and missing
    /// columns are no position). Either `balances` (exact amounts: `Decimal` or `str`) or
    /// `raw` (integers of `10^-decimals` units: a numpy integer array, or lists of `int`).
    #[pyo3(signature = (balances=None, *, raw=None, decimals=18))]
    fn health_batch(
        &self,
        py: Python<'_>,
        balances: Option<&Bound<'_, PyAny>>,
        raw: Option<&Bound<'_, PyAny>>,
        decimals: u32,
    ) -> PyResult<HealthBatch> {
        let tokens = self.set.tokens.len();
        let (rows, numpy) = match (balances, raw) {
            (Some(b), None) => (exact_rows(py, b, tokens)?, false),
            (None, Some(r)) => raw_rows(py, r, tokens, decimals)?,
            _ => return Err(PyTypeError::new_err("give either balances or raw")),
        };
        let result = py.detach(|| {
            let ctx = self.set.context().map_err(|e| (0, e))?;
            let mut batch = HealthBatch {
                cols: Default::default(),
                liquidatable: Vec::with_capacity(rows.len()),
                numpy,
            };
            for (i, row) in rows.iter().enumerate() {
                let mut account: Account = Account::new();
                for (j, &b) in row.iter().enumerate() {
                    if !b.is_zero() {
                        account
                            .open(Position::Token {
                                token: j as u16,
                                balance: b,
                            })
                            .map_err(|e| (i, e.into()))?;
                    }
                }
                let mut maintenance_negative = false;
                for (l, (_, level)) in LEVELS.iter().enumerate() {
                    let h = health(&account, &ctx, *level).map_err(|e| (i, e.into()))?;
                    let value = h.value().map_err(|e| (i, e.into()))?;
                    let factor = h.factor().map_err(|e| (i, e.into()))?;
                    if l == 1 {
                        maintenance_negative = value.is_negative();
                    }
                    let c = &mut batch.cols[l];
                    c.assets.push(h.assets.raw());
                    c.liabilities.push(h.liabilities.raw());
                    c.value.push(value.raw());
                    c.factor.push(factor.map(Wad::raw));
                }
                batch.liquidatable.push(maintenance_negative);
            }
            Ok::<_, (usize, OpError)>(batch)
        });
        result.map_err(|(i, e)| {
            let mut why = e.what.clone();
            if let Some(w) = &e.why {
                let _ = write!(why, ": {w}");
            }
            error(py, e.kind, &format!("balances[{i}]"), Some(&why))
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "lce.Market({} tokens, {} perps, {} options)",
            self.set.tokens.len(),
            self.set.perps.len(),
            self.set.options.len()
        )
    }
}

/// Names the account of a batch in an error: `what` becomes `accounts[i].what`.
fn in_batch(py: Python<'_>, e: PyErr, i: usize) -> PyErr {
    let value = e.value(py);
    if let Ok(what) = value.getattr("what").and_then(|w| w.extract::<String>()) {
        let _ = value.setattr("what", format!("accounts[{i}].{what}"));
    }
    e
}

/// The rows of exact balances (`Decimal` or `str`; `None` or absent: no position).
fn exact_rows(py: Python<'_>, balances: &Bound<'_, PyAny>, tokens: usize) -> PyResult<Vec<Vec<Wad>>> {
    let mut rows = Vec::new();
    for (i, row) in balances.try_iter()?.enumerate() {
        let mut r = Vec::with_capacity(tokens);
        for (j, b) in row?.try_iter()?.enumerate() {
            let b = b?;
            if j >= tokens {
                return Err(invalid(py, &format!("balances[{i}][{j}]"), "more columns than tokens"));
            }
            let w = if b.is_none() {
                Wad::ZERO
            } else {
                amount(&b)?.ok_or_else(|| {
                    invalid(
                        py,
                        &format!("balances[{i}][{j}]"),
                        "an exact decimal: a Decimal or a str",
                    )
                })?
            };
            r.push(w);
        }
        rows.push(r);
    }
    Ok(rows)
}

/// The rows of raw integer balances, scaled from `decimals` to 18 fractional digits; and
/// whether they came from numpy.
fn raw_rows(py: Python<'_>, raw: &Bound<'_, PyAny>, tokens: usize, decimals: u32) -> PyResult<(Vec<Vec<Wad>>, bool)> {
    if decimals > 18 {
        return Err(invalid(py, "decimals", "at most 18"));
    }
    let scale = 10i128.pow(18 - decimals);
    let wad = |i: usize, j: usize, v: i128| {
        v.checked_mul(scale)
            .map(Wad::from_raw)
            .ok_or_else(|| invalid(py, &format!("raw[{i}][{j}]"), "out of the wad range"))
    };
    if raw.hasattr("dtype")? {
        // A numpy array: its values as little-endian i64, in one copy (no per-element call).
        let numpy = py.import("numpy")?;
        let array = numpy.call_method1("ascontiguousarray", (raw, "<i8"))?;
        let shape: Vec<usize> = array.getattr("shape")?.extract()?;
        let (n, m) = match shape[..] {
            [n, m] => (n, m),
            _ => return Err(invalid(py, "raw", "a two-dimensional array: one row per account")),
        };
        if m > tokens {
            return Err(invalid(py, "raw", "more columns than tokens"));
        }
        let bytes = array.call_method0("tobytes")?;
        let bytes = bytes.cast::<PyBytes>()?.as_bytes();
        let mut rows = Vec::with_capacity(n);
        for (i, row) in bytes.chunks_exact(8 * m.max(1)).take(n).enumerate() {
            let mut r = Vec::with_capacity(m);
            for (j, v) in row.chunks_exact(8).enumerate() {
                let v = i64::from_le_bytes(v.try_into().unwrap_or([0; 8]));
                r.push(wad(i, j, i128::from(v))?);
            }
            rows.push(r);
        }
        if m == 0 {
            rows = vec![Vec::new(); n];
        }
        return Ok((rows, true));
    }
    let mut rows = Vec::new();
    for (i, row) in raw.try_iter()?.enumerate() {
        let mut r = Vec::new();
        for (j, v) in row?.try_iter()?.enumerate() {
            if j >= tokens {
                return Err(invalid(py, &format!("raw[{i}][{j}]"), "more columns than tokens"));
            }
            let v: i128 = v?
                .extract()
                .map_err(|_| invalid(py, &format!("raw[{i}][{j}]"), "an integer of raw units"))?;
            r.push(wad(i, j, v)?);
        }
        rows.push(r);
    }
    Ok((rows, false))
}

/// An account's health at one level.
#[pyclass(module = "lce", name = "HealthLevel", frozen)]
struct HealthLevelView {
    h: KernelHealth,
}

#[pymethods]
impl HealthLevelView {
    /// The weighted value of the assets (rounded down).
    #[getter]
    fn assets<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.h.assets)
    }

    /// The weighted value of the liabilities (rounded up).
    #[getter]
    fn liabilities<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.h.liabilities)
    }

    /// assets - liabilities.
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = self.h.value().map_err(|e| op_error(py, &e.into()))?;
        decimal(py, v)
    }

    /// assets / liabilities (rounded down), `None` without liabilities.
    #[getter]
    fn factor<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let f = self.h.factor().map_err(|e| op_error(py, &e.into()))?;
        f.map(|f| decimal(py, f)).transpose()
    }

    /// `{"assets", "liabilities", "value", "factor"}`, as the op `health` answers.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("assets", self.assets(py)?)?;
        d.set_item("liabilities", self.liabilities(py)?)?;
        d.set_item("value", self.value(py)?)?;
        d.set_item("factor", self.factor(py)?)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("HealthLevel({})", self.to_dict(py)?.repr()?))
    }
}

/// The health of an account: each level, whether it is liquidatable, and (computed when
/// asked) each position's liquidation price.
#[pyclass(module = "lce", frozen)]
struct Health {
    market: Py<Market>,
    account: Account,
    levels: [KernelHealth; 3],
    liquidatable: bool,
}

#[pymethods]
impl Health {
    /// Health at the initial level (what opening a position needs).
    #[getter]
    fn initial(&self) -> HealthLevelView {
        HealthLevelView { h: self.levels[0] }
    }

    /// Health at the maintenance level (below zero: liquidatable).
    #[getter]
    fn maintenance(&self) -> HealthLevelView {
        HealthLevelView { h: self.levels[1] }
    }

    /// Health at the liquidation-end level (what a liquidation restores).
    #[getter]
    fn liquidation_end(&self) -> HealthLevelView {
        HealthLevelView { h: self.levels[2] }
    }

    /// Whether the maintenance health is negative.
    #[getter]
    fn liquidatable(&self) -> bool {
        self.liquidatable
    }

    /// The level named `level` (`"initial"`, `"maintenance"`, `"liquidation_end"`).
    fn level(&self, py: Python<'_>, level: &str) -> PyResult<HealthLevelView> {
        Ok(HealthLevelView {
            h: self.levels[level_index(py, level)?],
        })
    }

    /// Each position's liquidation price, in the account's order: a dict `{"kind": "below" |
    /// "above", "price": Decimal}` or `{"kind": "never" | "always" | "nonlinear"}`.
    #[getter]
    fn liquidation_prices<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let market = self.market.get();
        let ctx = market.set.context().map_err(|e| op_error(py, &e))?;
        let list = PyList::empty(py);
        for p in self.account.positions() {
            let of = match *p {
                Position::Token { token, .. } => PriceOf::Token(token),
                Position::Perp { market, .. } => PriceOf::Perp(market),
                Position::Option { series, .. } => {
                    PriceOf::Token(ctx.option(series).map_err(|e| op_error(py, &e.into()))?.0.underlying())
                }
            };
            let d = PyDict::new(py);
            match liquidation_price(&self.account, &ctx, of).map_err(|e| op_error(py, &e.into()))? {
                LiquidationPrice::Never => d.set_item("kind", "never")?,
                LiquidationPrice::Always => d.set_item("kind", "always")?,
                LiquidationPrice::Nonlinear => d.set_item("kind", "nonlinear")?,
                LiquidationPrice::Below(x) => {
                    d.set_item("kind", "below")?;
                    d.set_item("price", decimal(py, x)?)?;
                }
                LiquidationPrice::Above(x) => {
                    d.set_item("kind", "above")?;
                    d.set_item("price", decimal(py, x)?)?;
                }
            }
            list.append(d)?;
        }
        Ok(list)
    }

    /// The output of the op `health` for this account, with `Decimal`s.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("initial", self.initial().to_dict(py)?)?;
        d.set_item("maintenance", self.maintenance().to_dict(py)?)?;
        d.set_item("liquidation_end", self.liquidation_end().to_dict(py)?)?;
        d.set_item("liquidatable", self.liquidatable)?;
        d.set_item("liquidation_prices", self.liquidation_prices(py)?)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Health(liquidatable={}, maintenance={})",
            if self.liquidatable { "True" } else { "False" },
            self.maintenance().to_dict(py)?.repr()?
        ))
    }
}

/// One level's columns of a batch, in raw units (10^-18).
#[derive(Default)]
struct Columns {
    assets: Vec<i128>,
    liabilities: Vec<i128>,
    value: Vec<i128>,
    factor: Vec<Option<i128>>,
}

/// The health of many accounts, kept in Rust: columns are turned into Python values only when
/// asked for, one column at a time.
#[pyclass(module = "lce", frozen)]
struct HealthBatch {
    cols: [Columns; 3],
    liquidatable: Vec<bool>,
    /// Whether the input was a numpy array (then array views are numpy arrays too).
    numpy: bool,
}

impl HealthBatch {
    fn column(&self, py: Python<'_>, field: &str, level: &str) -> PyResult<Vec<Option<i128>>> {
        let c = &self.cols[level_index(py, level)?];
        Ok(match field {
            "assets" => c.assets.iter().copied().map(Some).collect(),
            "liabilities" => c.liabilities.iter().copied().map(Some).collect(),
            "value" => c.value.iter().copied().map(Some).collect(),
            "factor" => c.factor.clone(),
            _ => return Err(invalid(py, "field", "one of assets, liabilities, value, factor")),
        })
    }
}

#[pymethods]
impl HealthBatch {
    fn __len__(&self) -> usize {
        self.liquidatable.len()
    }

    /// Whether each account is liquidatable (a numpy bool array when the input was numpy).
    #[getter]
    fn liquidatable<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if self.numpy {
            let bytes: Vec<u8> = self.liquidatable.iter().map(|&b| u8::from(b)).collect();
            let numpy = py.import("numpy")?;
            return numpy
                .call_method1("frombuffer", (PyBytes::new(py, &bytes), "bool"))?
                .call_method0("copy");
        }
        Ok(PyList::new(py, &self.liquidatable)?.into_any())
    }

    /// The column `field` (`assets`, `liabilities`, `value`, `factor`) at `level`, exact:
    /// a list of `Decimal` (`None` for a factor without liabilities).
    #[pyo3(signature = (field="value", level="maintenance"))]
    fn values<'py>(&self, py: Python<'py>, field: &str, level: &str) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for v in self.column(py, field, level)? {
            match v {
                Some(r) => list.append(decimal(py, Wad::from_raw(r))?)?,
                None => list.append(py.None())?,
            }
        }
        Ok(list)
    }

    /// The same column in raw units of 10^-18, as Python `int`s (exact; `None` for no factor).
    #[pyo3(signature = (field="value", level="maintenance"))]
    fn raw(&self, py: Python<'_>, field: &str, level: &str) -> PyResult<Vec<Option<i128>>> {
        self.column(py, field, level)
    }

    /// A float view of the column, asked for explicitly (not exact): a numpy float64 array
    /// when numpy is installed (NaN for no factor), else a list of `float`.
    #[pyo3(signature = (field="value", level="maintenance"))]
    fn floats<'py>(&self, py: Python<'py>, field: &str, level: &str) -> PyResult<Bound<'py, PyAny>> {
        let col: Vec<f64> = self
            .column(py, field, level)?
            .into_iter()
            .map(|v| v.map_or(f64::NAN, |r| r as f64 / 1e18))
            .collect();
        match py.import("numpy") {
            Ok(numpy) => numpy.call_method1("array", (col,)),
            Err(_) => Ok(PyList::new(py, col)?.into_any()),
        }
    }

    /// Account `i` as a dict: each level's `{"assets", "liabilities", "value", "factor"}`
    /// and `liquidatable`.
    fn __getitem__<'py>(&self, py: Python<'py>, i: isize) -> PyResult<Bound<'py, PyDict>> {
        let n = self.liquidatable.len() as isize;
        let i = if i < 0 { i + n } else { i };
        if !(0..n).contains(&i) {
            return Err(pyo3::exceptions::PyIndexError::new_err("account index out of range"));
        }
        let i = i as usize;
        let d = PyDict::new(py);
        for (l, (name, _)) in LEVELS.iter().enumerate() {
            let c = &self.cols[l];
            let level = PyDict::new(py);
            level.set_item("assets", decimal(py, Wad::from_raw(c.assets[i]))?)?;
            level.set_item("liabilities", decimal(py, Wad::from_raw(c.liabilities[i]))?)?;
            level.set_item("value", decimal(py, Wad::from_raw(c.value[i]))?)?;
            level.set_item(
                "factor",
                c.factor[i].map(|f| decimal(py, Wad::from_raw(f))).transpose()?,
            )?;
            d.set_item(*name, level)?;
        }
        d.set_item("liquidatable", self.liquidatable[i])?;
        Ok(d)
    }

    /// A pandas DataFrame, one row per account: `liquidatable` and `<level>.<field>` columns of
    /// `Decimal` (pandas must be installed).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pandas = py.import("pandas")?;
        let data = PyDict::new(py);
        data.set_item("liquidatable", PyList::new(py, &self.liquidatable)?)?;
        for (level, _) in LEVELS {
            for field in ["assets", "liabilities", "value", "factor"] {
                data.set_item(format!("{level}.{field}"), self.values(py, field, level)?)?;
            }
        }
        pandas.call_method1("DataFrame", (data,))
    }

    fn __repr__(&self) -> String {
        let liquidatable = self.liquidatable.iter().filter(|&&b| b).count();
        format!(
            "HealthBatch({} accounts, {liquidatable} liquidatable)",
            self.liquidatable.len()
        )
    }
}

/// The exact decimal text of a raw value of 10^-18 units.
#[pyfunction]
fn from_raw(raw: i128) -> String {
    Wad::from_raw(raw).to_string()
}

/// The raw value (10^-18 units) of an exact decimal (a `Decimal` or a `str`).
#[pyfunction]
fn to_raw(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<i128> {
    let text = amount_text(value)?.ok_or_else(|| PyTypeError::new_err("a Decimal or a str"))?;
    Wad::parse_decimal(&text).map(Wad::raw).map_err(|_| {
        invalid(
            py,
            "value",
            "a decimal with at most 18 fractional digits, in the wad range",
        )
    })
}

/// The Rust half of the package `lce`.
#[pymodule]
fn _lce(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(op, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(study, m)?)?;
    m.add_function(wrap_pyfunction!(from_raw, m)?)?;
    m.add_function(wrap_pyfunction!(to_raw, m)?)?;
    m.add_class::<Session>()?;
    m.add_class::<Market>()?;
    m.add_class::<Health>()?;
    m.add_class::<HealthLevelView>()?;
    m.add_class::<HealthBatch>()?;
    m.add("OPS", lce::eval::OPS.iter().map(|o| o.name).collect::<Vec<_>>())?;
    Ok(())
}
