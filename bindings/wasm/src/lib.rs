//! The lce risk kernel for JavaScript and TypeScript (wasm-bindgen; Node.js and the web).
//!
//! Every function takes and returns plain JavaScript objects shaped as the ops of `lce eval`
//! (`vectors/README.md`). A decimal goes in as its exact text (`"0.05"`) or as a `bigint` of
//! raw units of 10⁻¹⁸ (`50000000000000000n`), and comes out as its exact text; `toRaw` and
//! `fromRaw` convert. A JavaScript `number` is taken only where the kernel takes an integer
//! (an index, a count): a fraction would not be exact. Errors are thrown as `Error`s named
//! `LceError` with `kind`, `what` and `why`.

use lce::Wad;
use lce::eval::scenario::{read_scenario, report_value};
use lce::eval::{Definitions, Fields, OpError, Session as EvalSession, TokenSet, find_op};
use lce::study::{Options as StudyOptions, StudyError, outcome_value, read_study};
use serde_json::{Map, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** An exact decimal: its text ("0.05", at most 18 fractional digits) or a bigint of raw units of 1e-18. */
export type Amount = string | bigint;
/** A decimal as the kernel answers it: its exact, shortest text. */
export type Decimal = string;

export interface Token {
  price: Amount; conf?: Amount;
  init_asset_weight: Amount; maint_asset_weight: Amount;
  init_liab_weight: Amount; maint_liab_weight: Amount;
  liq_end_asset_weight?: Amount; liq_end_liab_weight?: Amount;
  size_factor?: Amount; liquidation_fee?: Amount; protocol_fee_share?: Amount;
}
export interface Perp {
  price: Amount; conf?: Amount; init_margin: Amount; maint_margin: Amount; liq_end_margin?: Amount;
  size_factor?: Amount; liquidation_fee?: Amount; protocol_fee_share?: Amount;
}
export type Position =
  | { token: number; balance: Amount }
  | { perp: number; base: Amount; quote?: Amount }
  | { option: number; quantity: Amount };
export interface HealthInput { tokens: Token[] | string; perps?: Perp[]; options?: object[]; account: Position[] }
export interface HealthLevel { assets: Decimal; liabilities: Decimal; value: Decimal; factor: Decimal | null }
export interface LiquidationPrice { kind: "below" | "above" | "never" | "always" | "nonlinear"; price?: Decimal }
export interface HealthOutput {
  initial: HealthLevel; maintenance: HealthLevel; liquidation_end: HealthLevel;
  liquidatable: boolean; liquidation_prices: LiquidationPrice[];
}
export interface LiquidateInput extends HealthInput {
  liquidation?: { kind: "token"; liability: number; collateral: number; max_repay?: Amount }
              | { kind: "perp"; market: number; max_base?: Amount };
  close_factor?: { normal: Amount; full_below?: Amount; dust?: Amount };
  target?: "initial" | "maintenance" | "liquidation_end";
  waterfall?: { premium_buffer?: Amount; insurance_fund?: Amount; lender_deposits?: Amount };
  market?: object;
}
export interface BsInput {
  kind: "call" | "put"; spot: Amount; strike: Amount; vol: Amount; t: Amount; rate: Amount;
  yield?: Amount; round?: "floor" | "ceil";
}
export interface Greeks { delta: Decimal; gamma: Decimal; vega: Decimal; theta: Decimal; rho: Decimal }
/** A case of `lce eval`, and its answer (exactly as `lce eval` writes it). */
export interface Case { op: string; input: object; [key: string]: unknown }
export interface Answer {
  op: unknown; input: unknown;
  output?: Record<string, unknown>;
  error?: { kind: ErrorKind; what: string; why?: string };
}
export type ErrorKind = "invalid" | "overflow" | "division_by_zero" | "domain" | "capacity";
/** What every function throws: an Error named "LceError". */
export interface LceError extends Error { name: "LceError"; kind: ErrorKind; what: string; why?: string; field?: string }
export interface HealthColumns { assets: Decimal[]; liabilities: Decimal[]; value: Decimal[]; factor: (Decimal | null)[] }
export interface HealthBatch {
  liquidatable: boolean[];
  initial: HealthColumns; maintenance: HealthColumns; liquidation_end: HealthColumns;
}
"#;

// ------------------------------------------------------------------------------- errors

/// The `LceError` of an op's error.
fn lce_error(e: &OpError) -> JsValue {
    let mut message = format!("{}: {}", e.kind, e.what);
    if let Some(why) = &e.why {
        message.push_str(": ");
        message.push_str(why);
    }
    let err = js_sys::Error::new(&message);
    err.set_name("LceError");
    let _ = js_sys::Reflect::set(&err, &"kind".into(), &e.kind.into());
    let _ = js_sys::Reflect::set(&err, &"what".into(), &e.what.as_str().into());
    if let Some(why) = &e.why {
        let _ = js_sys::Reflect::set(&err, &"why".into(), &why.as_ref().into());
    }
    err.into()
}

/// An `invalid` `LceError` naming `what`.
fn invalid(what: &str, why: &'static str) -> JsValue {
    lce_error(&OpError::invalid(what, why))
}

/// A `TypeError`.
fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

// ------------------------------------------------------------------------------- JS <-> JSON

/// How JavaScript values are read into JSON.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Arguments of a typed function: a number that is not a safe integer is a `TypeError`.
    Typed,
    /// A case of `evalCases`: any number is a JSON number (which a decimal field refuses).
    Case,
}

/// The decimal text of a bigint of raw units.
fn bigint_text(b: &js_sys::BigInt) -> Result<String, JsValue> {
    let text: String = b.to_string(10).map_err(|_| type_error("a bigint"))?.into();
    let raw: i128 = text
        .parse()
        .map_err(|_| invalid("value", "a bigint of raw units must fit 128 bits"))?;
    Ok(Wad::from_raw(raw).to_string())
}

/// A JavaScript value as JSON (objects in key order; `undefined` members are left out).
fn to_value(v: &JsValue, mode: Mode) -> Result<Value, JsValue> {
    if v.is_null() || v.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::String(s));
    }
    if v.is_bigint() {
        return Ok(Value::String(bigint_text(v.unchecked_ref())?));
    }
    if let Some(n) = v.as_f64() {
        if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
            return Ok(Value::from(n as i64));
        }
        if mode == Mode::Typed {
            return Err(type_error(&format!(
                "lce takes exact numbers: pass {n} as a decimal string or a bigint of raw units"
            )));
        }
        return Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number));
    }
    if js_sys::Array::is_array(v) {
        let array: &js_sys::Array = v.unchecked_ref();
        return array
            .iter()
            .map(|item| to_value(&item, mode))
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    if v.is_object() {
        let mut map = Map::new();
        for entry in js_sys::Object::entries(v.unchecked_ref()).iter() {
            let pair: js_sys::Array = entry.unchecked_into();
            let key = pair.get(0).as_string().unwrap_or_default();
            let value = pair.get(1);
            if !value.is_undefined() {
                map.insert(key, to_value(&value, mode)?);
            }
        }
        return Ok(Value::Object(map));
    }
    Err(type_error(
        "lce takes objects, arrays, strings, bigints, integers, booleans and null",
    ))
}

/// JSON as a plain JavaScript value.
fn to_js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(to_js).collect::<js_sys::Array>().into(),
        Value::Object(map) => {
            let obj = js_sys::Object::new();
            for (k, item) in map {
                let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(k), &to_js(item));
            }
            obj.into()
        }
    }
}

/// The input object of a typed function.
fn input(v: &JsValue) -> Result<Map<String, Value>, JsValue> {
    match to_value(v, Mode::Typed)? {
        Value::Object(map) => Ok(map),
        _ => Err(type_error("the input is an object")),
    }
}

/// Runs op `name` on a typed input, with `defs`.
fn run_op(name: &str, input: &Map<String, Value>, defs: &Definitions) -> Result<Map<String, Value>, JsValue> {
    let op = find_op(name).ok_or_else(|| invalid("op", "not an op of lce eval"))?;
    op.eval_in(input, defs).map_err(|e| lce_error(&e))
}

/// Runs op `name` on the JavaScript object `input` and returns its output.
fn call(name: &str, v: &JsValue) -> Result<JsValue, JsValue> {
    Ok(to_js(&Value::Object(run_op(name, &input(v)?, &Definitions::new())?)))
}

/// The field `key` of an op's output (a decimal text).
fn field(name: &str, v: &JsValue, key: &str) -> Result<String, JsValue> {
    let out = run_op(name, &input(v)?, &Definitions::new())?;
    Ok(out.get(key).and_then(Value::as_str).unwrap_or_default().to_string())
}

// ------------------------------------------------------------------------------- functions

/// The health of an account at each level, whether it is liquidatable, and each position's
/// liquidation price (`vectors/README.md` §8.1).
#[wasm_bindgen(unchecked_return_type = "HealthOutput")]
pub fn health(#[wasm_bindgen(unchecked_param_type = "HealthInput")] input: JsValue) -> Result<JsValue, JsValue> {
    call("health", &input)
}

/// One liquidation sized to restore the target health, applied, then any bankruptcy down the
/// waterfall (§8.2): `repay`, `seize`, …, the `account` after it, `bankruptcy`.
#[wasm_bindgen(unchecked_return_type = "Record<string, unknown>")]
pub fn liquidate(#[wasm_bindgen(unchecked_param_type = "LiquidateInput")] input: JsValue) -> Result<JsValue, JsValue> {
    call("liquidate", &input)
}

/// The plan of `liquidate` without its effect: its output without `account`, `bankruptcy` and
/// `waterfall`.
#[wasm_bindgen(js_name = planLiquidation, unchecked_return_type = "Record<string, unknown>")]
pub fn plan_liquidation(
    #[wasm_bindgen(unchecked_param_type = "LiquidateInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let mut out = run_op("liquidate", &self::input(&input)?, &Definitions::new())?;
    for key in ["account", "bankruptcy", "waterfall"] {
        out.remove(key);
    }
    Ok(to_js(&Value::Object(out)))
}

/// The liquidator's dilemma (§8.5): whether and how much to liquidate.
#[wasm_bindgen(js_name = liquidatorDecision, unchecked_return_type = "Record<string, unknown>")]
pub fn liquidator_decision(
    #[wasm_bindgen(
        unchecked_param_type = "{opportunity: object; profile: object; market: object; environment?: object}"
    )]
    input: JsValue,
) -> Result<JsValue, JsValue> {
    call("liquidator_decision", &input)
}

/// The Black-Scholes-Merton price of a European option, correctly rounded.
#[wasm_bindgen(js_name = bsPrice, unchecked_return_type = "Decimal")]
pub fn bs_price(#[wasm_bindgen(unchecked_param_type = "BsInput")] input: JsValue) -> Result<String, JsValue> {
    field("bs_price", &input, "price")
}

/// The Black-Scholes-Merton greeks, each correctly rounded.
#[wasm_bindgen(js_name = bsGreeks, unchecked_return_type = "Greeks")]
pub fn bs_greeks(#[wasm_bindgen(unchecked_param_type = "BsInput")] input: JsValue) -> Result<JsValue, JsValue> {
    call("bs_greeks", &input)
}

/// The implied volatility of an option's price, rounded down.
#[wasm_bindgen(js_name = impliedVol, unchecked_return_type = "Decimal")]
pub fn implied_vol(
    #[wasm_bindgen(
        unchecked_param_type = "{kind: \"call\" | \"put\"; price: Amount; spot: Amount; strike: Amount; t: Amount; rate: Amount; yield?: Amount}"
    )]
    input: JsValue,
) -> Result<String, JsValue> {
    field("implied_vol", &input, "vol")
}

/// Volatility- and skew-adjusted maintenance margin (`vectors/margin/README.md`).
#[wasm_bindgen(js_name = dynamicMargin, unchecked_return_type = "Record<string, unknown>")]
pub fn dynamic_margin(
    #[wasm_bindgen(
        unchecked_param_type = "{params: object; sigma: Amount; skew?: Amount; governor?: object; size?: object}"
    )]
    input: JsValue,
) -> Result<JsValue, JsValue> {
    call("dynamic_margin", &input)
}

/// The margin of a short option: standard or a 16-scenario grid (`vectors/options/margin.md`).
#[wasm_bindgen(js_name = optionMargin, unchecked_return_type = "Record<string, unknown>")]
pub fn option_margin(
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] input: JsValue,
) -> Result<JsValue, JsValue> {
    call("option_margin", &input)
}

/// Any op of `lce eval` by name: its input object in, its output object out.
#[wasm_bindgen(unchecked_return_type = "Record<string, unknown>")]
pub fn op(
    name: &str,
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] input: JsValue,
) -> Result<JsValue, JsValue> {
    call(name, &input)
}

/// The names of the ops of `lce eval`.
#[wasm_bindgen]
pub fn ops() -> Vec<String> {
    lce::eval::OPS.iter().map(|o| o.name.to_string()).collect()
}

/// Answers each case in order, as `lce eval` does (one stream: a `define` names a token set
/// for the later cases), and returns the answers exactly as it writes them.
#[wasm_bindgen(js_name = evalCases, unchecked_return_type = "Answer[]")]
pub fn eval_cases(#[wasm_bindgen(unchecked_param_type = "Case[]")] cases: JsValue) -> Result<JsValue, JsValue> {
    Session::new().eval(cases)
}

/// Plays a cascade scenario (an object; the bundled default when absent) and returns the
/// report of `lce run --json`.
#[wasm_bindgen(unchecked_return_type = "Record<string, unknown>")]
pub fn run(#[wasm_bindgen(unchecked_param_type = "object | undefined")] scenario: JsValue) -> Result<JsValue, JsValue> {
    let value = if scenario.is_undefined() || scenario.is_null() {
        serde_json::from_str(include_str!("../../../vectors/scenarios/default.json"))
            .map_err(|e| type_error(&e.to_string()))?
    } else {
        to_value(&scenario, Mode::Case)?
    };
    let Value::Object(map) = value else {
        return Err(invalid("scenario", "a scenario is an object"));
    };
    let report = read_scenario(&map)
        .and_then(|s| s.run(None, &mut |_| {}).and_then(|outcome| report_value(&s, &outcome)))
        .map_err(|e| lce_error(&e))?;
    Ok(to_js(&Value::Object(report)))
}

/// The `LceError` of a study's error, with `field` (the scenario field concerned) when there is
/// one.
fn study_error(e: &StudyError) -> JsValue {
    let err = lce_error(&OpError {
        kind: e.kind,
        what: e.what.clone(),
        why: Some(e.why.into()),
    });
    if let Some(field) = &e.field {
        let _ = js_sys::Reflect::set(&err, &"field".into(), &field.as_str().into());
    }
    err
}

/// Runs a study (an object whose `scenario` is an object: there are no files here) on one
/// thread and returns its outcome as `lce study --json` writes it.
#[wasm_bindgen(unchecked_return_type = "Record<string, unknown>")]
pub fn study(#[wasm_bindgen(unchecked_param_type = "object")] study: JsValue) -> Result<JsValue, JsValue> {
    let Value::Object(map) = to_value(&study, Mode::Case)? else {
        return Err(invalid("study", "must be an object"));
    };
    let study = read_study(&map, &|_: &str| {
        Err("must be a scenario object: a file name cannot be read here")
    })
    .map_err(|e| study_error(&e))?;
    let options = StudyOptions {
        threads: 1,
        ..StudyOptions::default()
    };
    let outcome = study.run(&options).map_err(|e| study_error(&e))?;
    Ok(to_js(&outcome_value(&study, &outcome)))
}

/// The raw units (10⁻¹⁸) of an exact decimal text, as a bigint.
#[wasm_bindgen(js_name = toRaw)]
pub fn to_raw(value: &str) -> Result<js_sys::BigInt, JsValue> {
    let w = Wad::parse_decimal(value)
        .map_err(|_| invalid("value", "a decimal with at most 18 fractional digits, in the wad range"))?;
    js_sys::BigInt::new(&JsValue::from_str(&w.raw().to_string())).map_err(JsValue::from)
}

/// The exact decimal text of a bigint of raw units (10⁻¹⁸).
#[wasm_bindgen(js_name = fromRaw)]
pub fn from_raw(raw: js_sys::BigInt) -> Result<String, JsValue> {
    bigint_text(&raw)
}

/// A stream of `lce eval` cases and the token sets its `define` cases name.
#[wasm_bindgen]
pub struct Session {
    inner: EvalSession,
}

#[wasm_bindgen]
impl Session {
    /// A session with nothing defined.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            inner: EvalSession::new(),
        }
    }

    /// Answers each case in order with this session's definitions.
    #[wasm_bindgen(unchecked_return_type = "Answer[]")]
    pub fn eval(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Case[]")] cases: JsValue,
    ) -> Result<JsValue, JsValue> {
        if !js_sys::Array::is_array(&cases) {
            return Err(type_error("cases is an array"));
        }
        let array: js_sys::Array = cases.unchecked_into();
        let out = js_sys::Array::new();
        for case in array.iter() {
            let case = to_value(&case, Mode::Case)?;
            out.push(&to_js(&self.inner.eval(&case)));
        }
        Ok(out.into())
    }

    /// Answers one line of JSON Lines text (a case) as `lce eval` writes its answer, byte for
    /// byte and without the line end, with this session's definitions (a `define` line adds
    /// one). Integers beyond 2^53 (a 64-bit seed) keep every digit here, which a JavaScript
    /// number cannot.
    #[wasm_bindgen(js_name = evalLine)]
    pub fn eval_line(&mut self, line: &str) -> String {
        let mut answer = Vec::with_capacity(256);
        self.inner
            .answer_line(1, line.trim_end_matches(['\n', '\r']), &mut answer);
        // The answer is JSON written by serde_json: UTF-8.
        String::from_utf8(answer).unwrap_or_default()
    }

    /// Names a token set for the later cases of this session (the op `define`).
    pub fn define(
        &mut self,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "Token[]")] tokens: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Perp[] | undefined")] perps: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object[] | undefined")] options: JsValue,
    ) -> Result<(), JsValue> {
        let input = set_input(Some(name), &tokens, &perps, &options)?;
        self.inner.run("define", &input).map(drop).map_err(|e| lce_error(&e))
    }
}

/// `{name?, tokens, perps?, options?}`.
fn set_input(
    name: Option<&str>,
    tokens: &JsValue,
    perps: &JsValue,
    options: &JsValue,
) -> Result<Map<String, Value>, JsValue> {
    let mut input = Map::new();
    if let Some(name) = name {
        input.insert("name".into(), Value::from(name));
    }
    input.insert("tokens".into(), to_value(tokens, Mode::Typed)?);
    for (key, v) in [("perps", perps), ("options", options)] {
        if !v.is_undefined() && !v.is_null() {
            input.insert(key.into(), to_value(v, Mode::Typed)?);
        }
    }
    Ok(input)
}

/// The name a `Market` gives its token set in its own definitions.
const MARKET: &str = "market";

/// A token set (tokens, perp markets, option series with their prices) read once, for many
/// accounts.
#[wasm_bindgen]
pub struct Market {
    defs: Definitions,
}

#[wasm_bindgen]
impl Market {
    /// Reads the token set (errors name the field, as `health` does).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Token[]")] tokens: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Perp[] | undefined")] perps: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object[] | undefined")] options: JsValue,
    ) -> Result<Market, JsValue> {
        let input = set_input(None, &tokens, &perps, &options)?;
        let set = TokenSet::read(&Fields::root(&input)).map_err(|e| lce_error(&e))?;
        let mut defs = Definitions::new();
        defs.insert(MARKET.into(), set);
        Ok(Self { defs })
    }

    fn with_set(&self, mut input: Map<String, Value>, op: &str) -> Result<Map<String, Value>, JsValue> {
        input.insert("tokens".into(), Value::from(MARKET));
        run_op(op, &input, &self.defs)
    }

    /// The health of one account.
    #[wasm_bindgen(unchecked_return_type = "HealthOutput")]
    pub fn health(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Position[]")] account: JsValue,
    ) -> Result<JsValue, JsValue> {
        let mut input = Map::new();
        input.insert("account".into(), to_value(&account, Mode::Typed)?);
        Ok(to_js(&Value::Object(self.with_set(input, "health")?)))
    }

    /// The health of each account of an array, in one call.
    #[wasm_bindgen(js_name = healthMany, unchecked_return_type = "HealthOutput[]")]
    pub fn health_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Position[][]")] accounts: JsValue,
    ) -> Result<JsValue, JsValue> {
        let Value::Array(accounts) = to_value(&accounts, Mode::Typed)? else {
            return Err(type_error("accounts is an array"));
        };
        let out = js_sys::Array::new();
        for (i, account) in accounts.into_iter().enumerate() {
            let mut input = Map::new();
            input.insert("account".into(), account);
            let answer = self.with_set(input, "health").inspect_err(|e| {
                if let Ok(what) = js_sys::Reflect::get(e, &"what".into()) {
                    let what = format!("accounts[{i}].{}", what.as_string().unwrap_or_default());
                    let _ = js_sys::Reflect::set(e, &"what".into(), &what.into());
                }
            })?;
            out.push(&to_js(&Value::Object(answer)));
        }
        Ok(out.into())
    }

    /// The health of many token-only accounts given as rows of balances (row `i`, column `j`:
    /// account `i`'s balance of token `j`; `null` for none), as columns.
    #[wasm_bindgen(js_name = healthBatch, unchecked_return_type = "HealthBatch")]
    pub fn health_batch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(Amount | null)[][]")] rows: JsValue,
    ) -> Result<JsValue, JsValue> {
        let Value::Array(rows) = to_value(&rows, Mode::Typed)? else {
            return Err(type_error("rows is an array"));
        };
        let levels = ["initial", "maintenance", "liquidation_end"];
        let mut cols: Vec<[Vec<Value>; 4]> = levels.iter().map(|_| Default::default()).collect();
        let mut liquidatable = Vec::new();
        for (i, row) in rows.into_iter().enumerate() {
            let Value::Array(row) = row else {
                return Err(invalid(&format!("rows[{i}]"), "a row is an array"));
            };
            let account: Vec<Value> = row
                .into_iter()
                .enumerate()
                .filter(|(_, b)| !b.is_null())
                .map(|(j, b)| serde_json::json!({"token": j, "balance": b}))
                .collect();
            let mut input = Map::new();
            input.insert("account".into(), Value::Array(account));
            let out = self.with_set(input, "health").inspect_err(|e| {
                let _ = js_sys::Reflect::set(e, &"what".into(), &format!("rows[{i}]").into());
            })?;
            for (l, level) in levels.iter().enumerate() {
                for (f, key) in ["assets", "liabilities", "value", "factor"].iter().enumerate() {
                    cols[l][f].push(out[*level][*key].clone());
                }
            }
            liquidatable.push(out["liquidatable"].clone());
        }
        let mut batch = Map::new();
        batch.insert("liquidatable".into(), Value::Array(liquidatable));
        for (l, level) in levels.iter().enumerate() {
            let mut c = Map::new();
            for (f, key) in ["assets", "liabilities", "value", "factor"].iter().enumerate() {
                c.insert((*key).into(), Value::Array(std::mem::take(&mut cols[l][f])));
            }
            batch.insert((*level).into(), Value::Object(c));
        }
        Ok(to_js(&Value::Object(batch)))
    }

    /// `liquidate` of an account of this market (the input without `tokens`).
    #[wasm_bindgen(unchecked_return_type = "Record<string, unknown>")]
    pub fn liquidate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Omit<LiquidateInput, \"tokens\" | \"perps\" | \"options\">")]
        input: JsValue,
    ) -> Result<JsValue, JsValue> {
        Ok(to_js(&Value::Object(self.with_set(self::input(&input)?, "liquidate")?)))
    }
}
