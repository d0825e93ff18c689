//! Every bad input answered: each `lce eval` op is fed every kind of malformed field — missing,
//! the wrong JSON type, too many digits, an exponent, garbage, out of the `Wad` range, out of the
//! field's own range, negative where it must not be, an empty or over-capacity collection, an
//! unknown key — and must answer the typed error naming exactly that field (by its path, such
//! as `tokens[0].maint_asset_weight`) and saying why: every error has a non-empty `why`, the
//! wrong types and bad decimal texts have their exact why, and an unknown key's why lists the
//! keys its object takes. A malformed case in a batch never loses the cases around it.
#![cfg(feature = "eval")]

use lce::eval::{eval_case, read_cases};
use serde_json::{Value, json};

/// One step of a field path: an object key or an array index.
enum Step {
    Key(String),
    Index(usize),
}

/// `tokens[0].price` → `[Key(tokens), Index(0), Key(price)]`.
fn steps(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Step::Key(key.to_string()));
        }
        for index in rest.split('[').filter(|s| !s.is_empty()) {
            out.push(Step::Index(index.trim_end_matches(']').parse().unwrap()));
        }
    }
    out
}

/// What to do to the field at a path.
#[derive(Clone)]
enum Edit {
    Remove,
    Set(Value),
}

/// `input` with `edit` applied at `path` (whose parent must exist).
fn edited(input: &Value, path: &str, edit: &Edit) -> Value {
    let mut v = input.clone();
    let steps = steps(path);
    let (last, parents) = steps.split_last().unwrap();
    let mut at = &mut v;
    for s in parents {
        at = match s {
            Step::Key(k) => at.get_mut(k.as_str()).unwrap_or_else(|| panic!("{path}: no {k}")),
            Step::Index(i) => at.get_mut(*i).unwrap_or_else(|| panic!("{path}: no [{i}]")),
        };
    }
    match (last, edit) {
        (Step::Key(k), Edit::Remove) => {
            at.as_object_mut().unwrap().shift_remove(k.as_str());
        }
        (Step::Key(k), Edit::Set(x)) => {
            at.as_object_mut().unwrap().insert(k.clone(), x.clone());
        }
        (Step::Index(i), Edit::Set(x)) => at.as_array_mut().unwrap()[*i] = x.clone(),
        (Step::Index(i), Edit::Remove) => {
            at.as_array_mut().unwrap().remove(*i);
        }
    }
    v
}

/// The answer's error `(kind, what, why)`, or a failure message with the answer.
fn error_of(op: &str, input: &Value) -> Result<(String, String, Option<String>), String> {
    let answer = eval_case(&json!({"op": op, "input": input}));
    match answer.get("error") {
        Some(e) => Ok((
            e["kind"].as_str().unwrap().to_string(),
            e["what"].as_str().unwrap().to_string(),
            e.get("why").map(|w| w.as_str().unwrap().to_string()),
        )),
        None => Err(format!("no error: {answer}")),
    }
}

/// The answer's error `(kind, what)`.
fn kind_what(op: &str, input: &Value) -> Result<(String, String), String> {
    error_of(op, input).map(|(k, w, _)| (k, w))
}

/// What an error's `why` must be.
#[derive(Clone, Copy)]
enum Why<'a> {
    /// Any non-empty text.
    Any,
    /// Exactly this text.
    Is(&'a str),
    /// Text starting with this.
    Starts(&'a str),
    /// The why of an unknown key: `unknown key (expected one of: …)` naming at least these keys.
    Lists(&'a [String]),
}

impl Why<'_> {
    fn holds(&self, why: Option<&str>) -> bool {
        let Some(why) = why.filter(|w| !w.trim().is_empty()) else {
            return false;
        };
        match self {
            Self::Any => true,
            Self::Is(text) => why == *text,
            Self::Starts(text) => why.starts_with(text),
            Self::Lists(keys) => why
                .strip_prefix("unknown key (expected one of: ")
                .and_then(|list| list.strip_suffix(')'))
                .is_some_and(|list| {
                    let listed: Vec<&str> = list.split(", ").collect();
                    keys.iter().all(|k| listed.contains(&k.as_str()))
                }),
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::Any => String::from("a why"),
            Self::Is(text) => format!("why {text:?}"),
            Self::Starts(text) => format!("a why starting {text:?}"),
            Self::Lists(keys) => format!("an unknown-key why listing {keys:?}"),
        }
    }
}

/// The why of a decimal field holding something that is not a decimal string.
const NOT_A_DECIMAL: &str = "must be a decimal string, not ";
/// The why of a JSON number where a decimal string is expected.
const JSON_NUMBER: &str = "must be a decimal string, not a JSON number";
/// The why of an integer field holding something that is not a JSON number.
const NOT_AN_INTEGER: &str = "must be a JSON number (an integer), not ";
/// The why of a JSON number that is not an integer in `0..=u32::MAX`.
const COUNT_RANGE: &str = "must be an integer in [0, 4294967295]";
/// The parser's whys.
const EXPONENT: &str = "must not have an exponent: write the digits out (\"100000\", not \"1e5\")";
const TOO_FINE: &str = "must have at most 18 fractional digits (it is never rounded)";
const STRAY: &str = "may hold only digits, one point and a leading minus sign (no \"+\", spaces or separators)";
const EMPTY: &str = "must hold a decimal such as \"0.05\", not an empty string";
const OUT_OF_RANGE: &str = "must be within the decimal range, about ±1.7e20";

/// The value at `path` in `v`.
fn value_at<'v>(v: &'v Value, path: &str) -> &'v Value {
    steps(path).iter().fold(v, |at, s| match s {
        Step::Key(k) => &at[k.as_str()],
        Step::Index(i) => &at[*i],
    })
}

/// Collects mismatches so one run reports every failing mutation at once.
struct Table {
    op: &'static str,
    base: Value,
    failures: Vec<String>,
    checked: usize,
    /// Set while checking a field whose absence is checked separately.
    skip_presence: bool,
}

impl Table {
    fn new(op: &'static str, base: Value) -> Self {
        let answer = eval_case(&json!({"op": op, "input": base}));
        assert!(
            answer.get("output").is_some(),
            "the base input of {op} must be valid: {answer}"
        );
        Self {
            op,
            base,
            failures: Vec::new(),
            checked: 0,
            skip_presence: false,
        }
    }

    /// Applies `edit` at `path` and expects `kind` naming `what`, with a why.
    fn expect(&mut self, path: &str, edit: Edit, kind: &str, what: &str) {
        self.expect_why(path, edit, kind, what, Why::Any);
    }

    /// Applies `edit` at `path` and expects `kind` naming `what`, with the why `why`.
    fn expect_why(&mut self, path: &str, edit: Edit, kind: &str, what: &str, why: Why<'_>) {
        let input = edited(&self.base, path, &edit);
        self.checked += 1;
        match error_of(self.op, &input) {
            Ok((k, w, y)) if k == kind && w == what && why.holds(y.as_deref()) => {}
            Ok((k, w, y)) => self.failures.push(format!(
                "{} {path}: expected {kind} {what:?} with {}, got {k} {w:?} why {y:?} for {input}",
                self.op,
                why.describe()
            )),
            Err(e) => self
                .failures
                .push(format!("{} {path}: expected {kind} {what:?}, {e}", self.op)),
        }
    }

    /// Applies `edit` at `path` and expects an answer with an output.
    fn accept(&mut self, path: &str, edit: Edit) {
        let input = edited(&self.base, path, &edit);
        self.checked += 1;
        if let Ok((k, w, _)) = error_of(self.op, &input) {
            self.failures
                .push(format!("{} {path}: expected an output, got {k} {w:?}", self.op));
        }
    }

    /// The absence of the field at `path`: `invalid` naming it when `required`, else an answer.
    /// An array item has no absence (removing it makes a shorter, valid array).
    fn presence(&mut self, path: &str, required: bool) {
        if path.ends_with(']') || self.skip_presence {
            return;
        }
        if required {
            self.expect_why(path, Edit::Remove, "invalid", path, Why::Is("is required"));
        } else {
            self.accept(path, Edit::Remove);
        }
    }

    /// A decimal field: every malformed text, a JSON number, `null`, and (when required) its
    /// absence are `invalid` naming it; `ranges` are values out of its own range with the field
    /// the error names (usually the field itself).
    fn decimal(&mut self, path: &str, required: bool, ranges: &[(&str, &str)]) {
        self.presence(path, required);
        for (bad, why) in [
            (json!(1), Why::Is(JSON_NUMBER)),
            (json!(0.5), Why::Is(JSON_NUMBER)),
            (json!(null), Why::Is("must be a decimal string, not null")),
            (json!(true), Why::Is("must be a decimal string, not a JSON boolean")),
            (json!(["1"]), Why::Starts(NOT_A_DECIMAL)),
            (json!("1e5"), Why::Is(EXPONENT)),
            (json!("0.1234567890123456789"), Why::Is(TOO_FINE)),
            (json!("abc"), Why::Is(STRAY)),
            (json!(""), Why::Is(EMPTY)),
            (json!(" 1"), Why::Is(STRAY)),
            (json!("+1"), Why::Is(STRAY)),
            (json!("170141183460469231732"), Why::Is(OUT_OF_RANGE)),
            (json!("-170141183460469231732"), Why::Is(OUT_OF_RANGE)),
        ] {
            self.expect_why(path, Edit::Set(bad), "invalid", path, why);
        }
        for (value, what) in ranges {
            let what = if what.is_empty() { path } else { what };
            self.expect(path, Edit::Set(json!(value)), "invalid", what);
        }
    }

    /// An integer field: strings, negatives, fractions, values above `u32::MAX` and (when
    /// required) absence are `invalid` naming it; `ranges` as for decimals.
    fn integer(&mut self, path: &str, required: bool, ranges: &[(Value, &str)]) {
        self.presence(path, required);
        for (bad, why) in [
            (json!("1"), Why::Is("must be a JSON number (an integer), not a string")),
            (json!(-1), Why::Is(COUNT_RANGE)),
            (json!(1.5), Why::Is(COUNT_RANGE)),
            (json!(4_294_967_296u64), Why::Is(COUNT_RANGE)),
            (json!(null), Why::Starts(NOT_AN_INTEGER)),
        ] {
            self.expect_why(path, Edit::Set(bad), "invalid", path, why);
        }
        for (value, what) in ranges {
            let what = if what.is_empty() { path } else { what };
            self.expect(path, Edit::Set(value.clone()), "invalid", what);
        }
    }

    /// An object field: not an object, absent (when required), or with an unknown key (whose
    /// why lists the keys the object takes, those of the base among them).
    fn object(&mut self, path: &str, required: bool) {
        self.presence(path, required);
        for (bad, found) in [
            (json!("x"), "a string"),
            (json!(1), "a JSON number"),
            (json!([]), "an array"),
            (json!(null), "null"),
        ] {
            let why = format!("must be an object, not {found}");
            self.expect_why(path, Edit::Set(bad), "invalid", path, Why::Is(&why));
        }
        let keys = self.keys_at(path);
        let unknown = format!("{path}.unknown_key");
        self.expect_why(&unknown, Edit::Set(json!("1")), "invalid", &unknown, Why::Lists(&keys));
    }

    /// The keys of the base's object at `path` (the whole input when `path` is empty).
    fn keys_at(&self, path: &str) -> Vec<String> {
        let at = if path.is_empty() {
            &self.base
        } else {
            value_at(&self.base, path)
        };
        at.as_object().unwrap().keys().cloned().collect()
    }

    /// A string field with a fixed set of values.
    fn choice(&mut self, path: &str, required: bool) {
        self.presence(path, required);
        for bad in [json!("nope"), json!(""), json!(1), json!(null)] {
            self.expect_why(path, Edit::Set(bad), "invalid", path, Why::Starts("must be one of: \""));
        }
    }

    /// An array field: not an array, or absent (when required).
    fn array(&mut self, path: &str, required: bool) {
        self.presence(path, required);
        for bad in [json!("x"), json!({}), json!(1), json!(null)] {
            self.expect_why(path, Edit::Set(bad), "invalid", path, Why::Starts("must be an array"));
        }
    }

    /// An unknown top-level key is `invalid` naming it; its why lists the op's inputs.
    fn strict_top(&mut self) {
        let keys = self.keys_at("");
        self.expect_why(
            "unknown_key",
            Edit::Set(json!("1")),
            "invalid",
            "unknown_key",
            Why::Lists(&keys),
        );
    }

    fn finish(self) -> usize {
        assert!(
            self.failures.is_empty(),
            "{} of {} malformed inputs of {} were not answered as expected:\n{}",
            self.failures.len(),
            self.checked,
            self.op,
            self.failures.join("\n")
        );
        self.checked
    }
}

fn token() -> Value {
    json!({"price": "2", "conf": "0.01", "init_asset_weight": "0.7", "maint_asset_weight": "0.8",
        "liq_end_asset_weight": "0.75", "init_liab_weight": "1.3", "maint_liab_weight": "1.2",
        "liq_end_liab_weight": "1.25", "size_factor": "0", "liquidation_fee": "0.05", "protocol_fee_share": "0.1"})
}

fn perp() -> Value {
    json!({"price": "100", "conf": "0", "init_margin": "0.1", "maint_margin": "0.05", "liq_end_margin": "0.08",
        "size_factor": "0", "liquidation_fee": "0.02", "protocol_fee_share": "0.5"})
}

/// A world of two tokens, a perp market and a liquidatable account.
fn world() -> Value {
    json!({"tokens": [token(), token()], "perps": [perp()],
        "account": [{"token": 0, "balance": "10"}, {"token": 1, "balance": "-9"}, {"perp": 0, "base": "1", "quote": "-100"}]})
}

/// The fields of `tokens`, `perps` and `account` that `health` and `liquidate` share.
fn world_fields(t: &mut Table) {
    t.strict_top();
    t.array("tokens", true);
    // Without `perps` the account's perp position names a market that does not exist.
    t.expect("perps", Edit::Remove, "invalid", "account[2].perp");
    t.skip_presence = true;
    t.array("perps", false);
    t.skip_presence = false;
    t.array("account", true);
    t.object("tokens[0]", true);
    t.expect("tokens[1]", Edit::Set(json!("x")), "invalid", "tokens[1]");
    t.decimal("tokens[0].price", true, &[("0", ""), ("-1", "")]);
    t.decimal("tokens[0].conf", false, &[("-0.01", ""), ("2", "")]);
    t.decimal("tokens[0].init_asset_weight", true, &[("-0.1", ""), ("1.1", "")]);
    t.decimal(
        "tokens[0].maint_asset_weight",
        true,
        &[("0.6", ""), ("1.000000000000000001", "")],
    );
    t.decimal("tokens[0].liq_end_asset_weight", false, &[("0.85", ""), ("0.65", "")]);
    t.decimal(
        "tokens[0].init_liab_weight",
        true,
        &[("0.99", ""), ("100.000000000000000001", "")],
    );
    t.decimal(
        "tokens[0].maint_liab_weight",
        true,
        &[("0.999999999999999999", ""), ("1.31", "")],
    );
    t.decimal("tokens[0].liq_end_liab_weight", false, &[("1.19", ""), ("1.35", "")]);
    t.decimal("tokens[0].size_factor", false, &[("-0.000000000000000001", "")]);
    // Aave's rule: 0.8 · (1 + 0.3) > 1.
    t.decimal(
        "tokens[0].liquidation_fee",
        false,
        &[("-0.01", ""), ("1", ""), ("0.3", "")],
    );
    t.decimal("tokens[0].protocol_fee_share", false, &[("-0.1", ""), ("1.5", "")]);
    t.object("perps[0]", true);
    t.decimal("perps[0].price", true, &[("0", "")]);
    t.decimal("perps[0].conf", false, &[("100", ""), ("-1", "")]);
    t.decimal("perps[0].init_margin", true, &[("0.04", ""), ("1", "")]);
    t.decimal("perps[0].maint_margin", true, &[("0", ""), ("-0.05", "")]);
    t.decimal("perps[0].liq_end_margin", false, &[("0.2", ""), ("0.01", "")]);
    t.decimal("perps[0].size_factor", false, &[("-1", "")]);
    t.decimal("perps[0].liquidation_fee", false, &[("0.05", ""), ("-0.01", "")]);
    t.decimal("perps[0].protocol_fee_share", false, &[("2", "")]);
    t.object("account[0]", true);
    // Without its `token` (or `perp`) key a position is neither kind: invalid naming it.
    t.expect("account[0].token", Edit::Remove, "invalid", "account[0]");
    t.expect("account[2].perp", Edit::Remove, "invalid", "account[2]");
    t.skip_presence = true;
    t.integer("account[0].token", true, &[(json!(2), ""), (json!(65_536), "")]);
    t.decimal("account[0].balance", true, &[]);
    t.integer("account[2].perp", true, &[(json!(1), "")]);
    t.skip_presence = false;
    t.decimal("account[2].base", true, &[]);
    t.decimal("account[2].quote", false, &[]);
    // A second position in the same token, and a position that is neither kind.
    t.expect("account[1].token", Edit::Set(json!(0)), "invalid", "account[1]");
    t.expect(
        "account[0]",
        Edit::Set(json!({"balance": "1"})),
        "invalid",
        "account[0]",
    );
    // Over capacity: 17 positions where an account holds 16.
    let tokens: Vec<Value> = (0..17).map(|_| token()).collect();
    let positions: Vec<Value> = (0..17).map(|i| json!({"token": i, "balance": "1"})).collect();
    let over = edited(
        &edited(&t.base, "tokens", &Edit::Set(json!(tokens))),
        "account",
        &Edit::Set(json!(positions)),
    );
    t.checked += 1;
    match error_of(t.op, &over) {
        Ok((k, w, Some(y))) if k == "capacity" && w == "positions" && !y.is_empty() => {}
        other => t.failures.push(format!("{}: 17 positions: {other:?}", t.op)),
    }
}

#[test]
fn health_answers_every_bad_field() {
    let mut t = Table::new("health", world());
    world_fields(&mut t);
    // An empty account, no perps: valid.
    t.accept("account", Edit::Set(json!([])));
    assert!(t.finish() > 150);
}

#[test]
fn liquidate_answers_every_bad_field() {
    let mut base = world();
    base["liquidation"] = json!({"kind": "token", "liability": 1, "collateral": 0, "max_repay": "100"});
    base["close_factor"] = json!({"normal": "0.5", "full_below": "0.95", "dust": "0"});
    base["target"] = json!("liquidation_end");
    base["waterfall"] = json!({"premium_buffer": "1", "insurance_fund": "2", "lender_deposits": "100"});
    base["market"] = json!({"model": "linear", "price": "2", "lambda": "0.01"});
    let mut t = Table::new("liquidate", base);
    world_fields(&mut t);
    // Without an order the market has nothing to price.
    t.expect("liquidation", Edit::Remove, "invalid", "market");
    t.skip_presence = true;
    t.object("liquidation", false);
    t.skip_presence = false;
    t.choice("liquidation.kind", true);
    t.integer(
        "liquidation.liability",
        true,
        &[
            (json!(2), ""),
            (json!(0), "liquidation.collateral"),
            (json!(70_000), ""),
        ],
    );
    t.integer("liquidation.collateral", true, &[(json!(5), ""), (json!(1), "")]);
    t.decimal("liquidation.max_repay", false, &[("-1", "")]);
    t.object("close_factor", false);
    t.decimal("close_factor.normal", true, &[("0", ""), ("1.01", "")]);
    t.decimal("close_factor.full_below", false, &[("-0.01", "")]);
    t.decimal("close_factor.dust", false, &[("-1", "")]);
    t.choice("target", false);
    t.object("waterfall", false);
    for f in ["premium_buffer", "insurance_fund", "lender_deposits"] {
        t.decimal(&format!("waterfall.{f}"), false, &[("-0.000000000000000001", "")]);
    }
    t.object("market", false);
    t.decimal("market.lambda", true, &[("0", "")]);
    // Neither a liquidation nor a waterfall; a market without a liquidation.
    let mut none = t.base.clone();
    none.as_object_mut().unwrap().shift_remove("liquidation");
    none.as_object_mut().unwrap().shift_remove("waterfall");
    none.as_object_mut().unwrap().shift_remove("market");
    assert_eq!(
        kind_what("liquidate", &none).unwrap(),
        ("invalid".into(), "liquidation".into())
    );
    // The perp order's own fields.
    t.base["liquidation"] = json!({"kind": "perp", "market": 0, "max_base": "1"});
    t.base.as_object_mut().unwrap().shift_remove("market");
    t.integer("liquidation.market", true, &[(json!(1), ""), (json!(65_536), "")]);
    t.decimal("liquidation.max_base", false, &[("-1", "")]);
    t.expect(
        "liquidation.unknown_key",
        Edit::Set(json!(1)),
        "invalid",
        "liquidation.unknown_key",
    );
    t.expect(
        "market",
        Edit::Set(json!({"model": "linear", "price": "2", "lambda": "0.01"})),
        "invalid",
        "market",
    );
    assert!(t.finish() > 250);
}

/// The models of a market object, each with its fields' out-of-range values.
fn market_fields(t: &mut Table, at: &str) {
    t.object(at, true);
    t.choice(&format!("{at}.model"), true);
    t.decimal(&format!("{at}.base"), true, &[("0", ""), ("-1", "")]);
    t.decimal(&format!("{at}.quote"), true, &[("0", "")]);
    t.decimal(&format!("{at}.fee"), false, &[("1", ""), ("-0.001", "")]);
    let base = t.base.clone();
    let with = |model: Value| edited(&base, at, &Edit::Set(model));
    t.base = with(
        json!({"model": "order_book", "bids": [{"price": "99", "qty": "1"}, {"price": "98", "qty": "2"}],
        "asks": [{"price": "101", "qty": "1"}]}),
    );
    t.array(&format!("{at}.bids"), true);
    t.array(&format!("{at}.asks"), true);
    t.decimal(
        &format!("{at}.bids[0].price"),
        true,
        &[("0", ""), ("97", &format!("{at}.bids"))],
    );
    t.decimal(&format!("{at}.bids[1].qty"), true, &[("0", ""), ("-1", "")]);
    t.decimal(&format!("{at}.asks[0].price"), true, &[("99", &format!("{at}.asks"))]);
    t.expect(
        &format!("{at}.bids[0].size"),
        Edit::Set(json!("1")),
        "invalid",
        &format!("{at}.bids[0].size"),
    );
    t.expect(
        &format!("{at}.bids[0]"),
        Edit::Set(json!("99")),
        "invalid",
        &format!("{at}.bids[0]"),
    );
    // 33 levels where a side holds 32.
    let levels: Vec<Value> = (0..33)
        .map(|i| json!({"price": format!("{}", 100 - i), "qty": "1"}))
        .collect();
    t.expect(
        &format!("{at}.bids"),
        Edit::Set(json!(levels)),
        "capacity",
        &format!("{at}.bids"),
    );
    // Both sides empty.
    let mut empty = t.base.clone();
    empty = edited(&empty, &format!("{at}.bids"), &Edit::Set(json!([])));
    empty = edited(&empty, &format!("{at}.asks"), &Edit::Set(json!([])));
    t.checked += 1;
    if kind_what(t.op, &empty) != Ok(("invalid".into(), format!("{at}.bids"))) {
        t.failures
            .push(format!("{}: an empty book: {:?}", t.op, error_of(t.op, &empty)));
    }
    t.base = with(json!({"model": "linear", "price": "100", "lambda": "0.5"}));
    t.decimal(&format!("{at}.price"), true, &[("0", "")]);
    t.decimal(&format!("{at}.lambda"), true, &[("0", ""), ("-0.5", "")]);
    t.base = with(json!({"model": "square_root", "price": "100", "y": "1", "sigma": "0.5", "volume": "10000"}));
    for f in ["price", "y", "sigma", "volume"] {
        t.decimal(&format!("{at}.{f}"), true, &[("0", ""), ("-1", "")]);
    }
    t.base = base;
}

#[test]
fn market_sell_answers_every_bad_field() {
    let base = json!({"market": {"model": "constant_product", "base": "100", "quote": "10000", "fee": "0.003"},
        "qty": "10", "side": "sell", "stress": "0.9"});
    let mut t = Table::new("market_sell", base);
    t.strict_top();
    market_fields(&mut t, "market");
    t.decimal("qty", true, &[("-1", "")]);
    t.choice("side", false);
    t.decimal("stress", false, &[("0", ""), ("1.5", ""), ("-0.5", "")]);
    assert!(t.finish() > 200);
}

#[test]
fn oracle_price_answers_every_bad_field() {
    let base = json!({"feed": {"deviation": "0.01", "heartbeat": 100, "latency": 1},
        "prices": ["100", "100.5", "102"], "conf": "0.1",
        "guards": {"max_age": 10, "max_conf_ratio": "0.02", "max_deviation": "0.05", "twap_window": 3}});
    let mut t = Table::new("oracle_price", base);
    t.strict_top();
    t.object("feed", true);
    t.decimal("feed.deviation", true, &[("-0.01", "")]);
    t.integer("feed.heartbeat", true, &[(json!(0), "")]);
    t.integer("feed.latency", true, &[]);
    t.array("prices", true);
    t.expect("prices", Edit::Set(json!([])), "invalid", "prices");
    t.decimal("prices[1]", true, &[("0", ""), ("-100", "")]);
    t.decimal("conf", false, &[("-0.1", ""), ("102", "")]);
    t.object("guards", false);
    t.integer("guards.max_age", false, &[]);
    t.decimal("guards.max_conf_ratio", false, &[("-0.02", "")]);
    t.decimal("guards.max_deviation", false, &[("-0.05", "")]);
    t.integer("guards.twap_window", false, &[(json!(0), "")]);
    assert!(t.finish() > 120);
}

#[test]
fn liquidator_decision_answers_every_bad_field() {
    let base = json!({
        "opportunity": {"repay_max": "5000", "liab_price": "1", "coll_price": "100", "bonus": "0.1", "protocol_fee_share": "0.1"},
        "profile": {"capital": "1000000", "gas_per_liquidation": "1", "min_profit": "0", "latency": 2, "risk_factor": "1"},
        "environment": {"gas_price": "0.001", "volatility": "0.01"},
        "market": {"model": "constant_product", "base": "1000", "quote": "100000", "fee": "0.003"}});
    let mut t = Table::new("liquidator_decision", base);
    t.strict_top();
    t.object("opportunity", true);
    t.decimal("opportunity.repay_max", true, &[("-1", "")]);
    t.decimal("opportunity.liab_price", true, &[("0", ""), ("-1", "")]);
    t.decimal("opportunity.coll_price", true, &[("0", "")]);
    t.decimal("opportunity.bonus", false, &[("1", ""), ("-0.1", "")]);
    t.decimal("opportunity.protocol_fee_share", false, &[("1.01", ""), ("-1", "")]);
    t.object("profile", true);
    t.decimal("profile.capital", true, &[("-1", "")]);
    t.decimal("profile.gas_per_liquidation", false, &[("-1", "")]);
    t.decimal("profile.min_profit", false, &[("-1", "")]);
    t.integer("profile.latency", false, &[]);
    t.decimal("profile.risk_factor", false, &[("-1", "")]);
    t.object("environment", false);
    t.decimal("environment.gas_price", false, &[("-1", "")]);
    t.decimal("environment.volatility", false, &[("-0.01", "")]);
    market_fields(&mut t, "market");
    assert!(t.finish() > 250);
}

#[test]
fn dynamic_margin_answers_every_bad_field() {
    let base = json!({
        "params": {"base": "0.05", "k_vol": "0.1", "k_skew": "0.2", "horizon": "1", "floor": "0.05", "cap": "0.5", "init_spread": "0.05"},
        "sigma": "0.8", "skew": "0.1",
        "governor": {"previous": "0.2", "max_decrease": "0.01", "buffer": "0.25", "stressed_sigma": "1"},
        "size": {"size_factor": "0.01", "size": "100"}});
    let mut t = Table::new("dynamic_margin", base);
    t.strict_top();
    t.object("params", true);
    t.decimal("params.base", true, &[("-0.01", ""), ("0.51", "")]);
    t.decimal("params.k_vol", true, &[("-0.1", "")]);
    t.decimal("params.k_skew", false, &[("-0.1", "")]);
    t.decimal("params.horizon", true, &[("0", ""), ("-1", "")]);
    t.decimal("params.floor", false, &[("-0.01", ""), ("0.51", "")]);
    t.decimal("params.cap", true, &[("0", ""), ("1.01", ""), ("0.04", "params.base")]);
    t.decimal("params.init_spread", true, &[("0", ""), ("0.51", ""), ("-1", "")]);
    t.decimal("sigma", true, &[("-0.000000000000000001", "")]);
    t.decimal("skew", false, &[]);
    t.accept("skew", Edit::Set(json!("-5")));
    t.object("governor", false);
    t.decimal(
        "governor.previous",
        false,
        &[("-0.01", ""), ("0.500000000000000001", "")],
    );
    t.decimal("governor.max_decrease", false, &[("-0.01", "")]);
    t.decimal("governor.buffer", false, &[("-0.01", ""), ("1.01", "")]);
    t.decimal("governor.stressed_sigma", false, &[("-1", "")]);
    t.object("size", false);
    t.decimal("size.size_factor", true, &[("-0.01", "")]);
    t.decimal("size.size", true, &[]);
    t.accept("size.size", Edit::Set(json!("-100")));
    assert!(t.finish() > 250);
}

#[test]
fn ewma_vol_answers_every_bad_field() {
    let base =
        json!({"prices": ["100", "101", "99.5"], "lambda": "0.94", "periods_per_year": 365, "seed_variance": "0.0004"});
    let mut t = Table::new("ewma_vol", base);
    t.strict_top();
    t.array("prices", true);
    t.expect("prices", Edit::Set(json!([])), "invalid", "prices");
    t.expect("prices", Edit::Set(json!(["100"])), "invalid", "prices");
    t.decimal("prices[2]", true, &[("0", ""), ("-1", "")]);
    t.decimal("lambda", false, &[("0", ""), ("1", ""), ("-0.5", "")]);
    t.integer("periods_per_year", true, &[(json!(0), "")]);
    t.decimal("seed_variance", false, &[("-0.0001", "")]);
    assert!(t.finish() > 60);
}

#[test]
fn math_ops_answer_every_bad_field() {
    for (op, fields) in [
        ("exp", &["x"][..]),
        ("ln", &["x"]),
        ("sqrt", &["x"]),
        ("norm_cdf", &["x"]),
        ("norm_pdf", &["x"]),
        ("norm_inv", &["x"]),
        ("pow", &["x", "p"]),
        ("mul", &["a", "b"]),
        ("div", &["a", "b"]),
    ] {
        let mut base = serde_json::Map::new();
        for f in fields {
            base.insert((*f).to_string(), json!("0.5"));
        }
        base.insert("round".to_string(), json!("ceil"));
        let mut t = Table::new(op, Value::Object(base));
        t.strict_top();
        for f in fields {
            t.decimal(f, true, &[]);
        }
        t.choice("round", false);
        t.finish();
    }
}

/// A malformed case between two good ones, in every op: three answers, in order, the good
/// ones with their outputs.
#[test]
fn a_bad_case_never_loses_its_neighbours() {
    let good = [
        json!({"op": "health", "input": world()}),
        json!({"op": "exp", "input": {"x": "1"}}),
        json!({"op": "market_sell", "input": {"market": {"model": "linear", "price": "100", "lambda": "1"}, "qty": "1"}}),
    ];
    let bad = [
        r#"{"op": "health", "input": {"tokens": "x"}}"#,
        r#"{"op": "liquidate", "input": {"tokens": [], "account": [], "liquidation": {"kind": "token"}}}"#,
        r#"{"op": "oracle_price", "input": {"feed": {}}}"#,
        r#"{"op": "liquidator_decision"}"#,
        r#"{"op": "dynamic_margin", "input": {"params": {}}}"#,
        r#"{"op": "ewma_vol", "input": {"prices": ["1"], "periods_per_year": 1}}"#,
        r#"{"op": "market_sell", "input": {"market": {"model": "linear", "price": "1e2"}}"#,
        r#"not json at all"#,
        r#"{"op": "nope", "input": {}}"#,
    ];
    for b in bad {
        let text = format!("{}\n{b}\n{}\n{}\n", good[0], good[1], good[2]);
        let answers: Vec<Value> = read_cases(text.as_bytes()).map(|e| e.unwrap().answer()).collect();
        assert_eq!(answers.len(), 4, "{b}");
        assert!(answers[0].get("output").is_some(), "{b}: {}", answers[0]);
        assert!(answers[1].get("error").is_some(), "{b}: {}", answers[1]);
        assert!(
            answers[2].get("output").is_some() && answers[3].get("output").is_some(),
            "{b}"
        );
    }
}

/// The bundled default scenario, edited by `edit`.
fn scenario_with(edit: impl FnOnce(&mut Value)) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/scenarios/default.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut v);
    v
}

/// A few errors and their exact `{kind, what, why}`: a JSON number, an exponent, 19 fractional
/// digits, a typo, Aave's threshold·(1 + bonus) rule, a limit, a choice, a missing field.
#[test]
fn whys_say_exactly_what_is_wrong() {
    let error = |case: Value| eval_case(&case)["error"].clone();
    let expect = |kind: &str, what: &str, why: &str| json!({"kind": kind, "what": what, "why": why});
    assert_eq!(
        error(json!({"op": "mul", "input": {"a": 1, "b": "2"}})),
        expect("invalid", "a", JSON_NUMBER)
    );
    assert_eq!(
        error(json!({"op": "exp", "input": {"x": "1e5"}})),
        expect("invalid", "x", EXPONENT)
    );
    assert_eq!(
        error(json!({"op": "exp", "input": {"x": "0.1234567890123456789"}})),
        expect("invalid", "x", TOO_FINE)
    );
    assert_eq!(
        error(json!({"op": "mul", "input": {"a": "1"}})),
        expect("invalid", "b", "is required")
    );
    assert_eq!(
        error(json!({"op": "mul", "input": {"a": "1", "b": "2", "round": "nearest"}})),
        expect("invalid", "round", r#"must be one of: "floor", "ceil""#)
    );
    // A typo: the key it is a slip for, in a nested object, at the top and as an op.
    let typo = scenario_with(|v| v["arbitrage"] = json!({"capcity": "100"}));
    assert_eq!(
        error(json!({"op": "cascade", "input": typo})),
        expect("invalid", "arbitrage.capcity", "unknown key; did you mean `capacity`?")
    );
    let mut acount = world();
    acount["acount"] = acount["account"].clone();
    assert_eq!(
        error(json!({"op": "health", "input": acount})),
        expect("invalid", "acount", "unknown key; did you mean `account`?")
    );
    assert_eq!(
        error(json!({"op": "sqr", "input": {"x": "2"}})),
        expect("invalid", "op", "unknown op; did you mean `sqrt`?")
    );
    // Aave's rule: liquidating at the threshold must not lower the health factor.
    let mut greedy = world();
    greedy["tokens"][0]["liquidation_fee"] = json!("0.3");
    assert_eq!(
        error(json!({"op": "health", "input": greedy})),
        expect(
            "invalid",
            "tokens[0].liquidation_fee",
            "threshold·(1 + bonus) must be ≤ 1: maint_asset_weight·(1 + liquidation_fee) > 1"
        )
    );
    // A limit, and a kernel rule about an account rather than a field's range.
    let crowd = scenario_with(|v| v["venues"][0]["population"]["count"] = json!(10_000_001));
    assert_eq!(
        error(json!({"op": "cascade", "input": crowd})),
        expect("invalid", "venues[0].population.count", "at most 10,000,000 accounts")
    );
    let mut no_borrow = world();
    no_borrow["liquidation"] = json!({"kind": "token", "liability": 0, "collateral": 1});
    assert_eq!(
        error(json!({"op": "liquidate", "input": no_borrow})),
        expect(
            "invalid",
            "liquidation.liability",
            "the account has no borrow in that token"
        )
    );
    // A domain error says the domain.
    assert_eq!(
        error(json!({"op": "ln", "input": {"x": "0"}})),
        expect("domain", "x", "ln needs x > 0")
    );
}
