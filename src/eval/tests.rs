//! Unit tests of the eval protocol: every validation error, exact kind and what.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, vec};

use serde_json::{Value, json};

use super::{Entry, OPS, check, eval_case, json_error_answer, read_cases};

/// The error object of the answer to `case`, or a panic when the answer has none.
fn error_of(case: &Value) -> (String, String) {
    let answer = eval_case(case);
    let error = answer
        .get("error")
        .unwrap_or_else(|| panic!("{case} answered {answer}, not an error"));
    (
        error["kind"].as_str().unwrap().to_string(),
        error["what"].as_str().unwrap().to_string(),
    )
}

fn assert_error(case: &Value, kind: &str, what: &str) {
    assert_eq!(error_of(case), (kind.to_string(), what.to_string()), "case {case}");
}

/// Each op with its decimal fields, and a valid input for it.
fn ops_and_fields() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("exp", vec!["x"]),
        ("ln", vec!["x"]),
        ("sqrt", vec!["x"]),
        ("norm_cdf", vec!["x"]),
        ("norm_pdf", vec!["x"]),
        ("norm_inv", vec!["x"]),
        ("pow", vec!["x", "p"]),
        ("mul", vec!["a", "b"]),
        ("div", vec!["a", "b"]),
    ]
}

/// Ops with nested input objects, whose every validation error (kind and path) is pinned by
/// their golden vectors `vectors/risk/<op>.jsonl` rather than by the table-driven tests here
/// (and `rng`, whose errors are pinned by `vectors/rng/rng.jsonl`).
/// Ops with nested input objects or non-decimal fields (the options' `kind`), whose every
/// validation error (kind and path) is pinned by their golden vectors
/// (`vectors/risk/<op>.jsonl`, `vectors/options/<op>.jsonl`) rather than by the table-driven
/// tests here.
const NESTED_OPS: &[&str] = &[
    "health",
    "liquidate",
    "oracle_price",
    "market_sell",
    "liquidator_decision",
    "dynamic_margin",
    "ewma_vol",
    "cascade",
    "path",
    "rng",
    "bs_price",
    "bs_greeks",
    "implied_vol",
    "option_margin",
    "vega_shock",
    "option_pool",
];

/// A valid input of `fields`, every one `"0.5"`, rounded up.
fn valid_input(fields: &[&str]) -> serde_json::Map<String, Value> {
    let mut input = serde_json::Map::new();
    for f in fields {
        input.insert((*f).to_string(), json!("0.5"));
    }
    input.insert("round".to_string(), json!("ceil"));
    input
}

#[test]
fn the_table_has_exactly_the_ops_of_this_protocol() {
    let names: Vec<&str> = OPS.iter().map(|op| op.name).collect();
    assert_eq!(
        names,
        [
            "mul",
            "div",
            "exp",
            "ln",
            "sqrt",
            "pow",
            "norm_cdf",
            "norm_pdf",
            "norm_inv",
            "health",
            "liquidate",
            "oracle_price",
            "market_sell",
            "liquidator_decision",
            "dynamic_margin",
            "ewma_vol",
            "cascade",
            "path",
            "rng",
            "bs_price",
            "bs_greeks",
            "implied_vol",
            "option_margin",
            "vega_shock",
            "option_pool"
        ]
    );
    let listed: Vec<&str> = ops_and_fields()
        .iter()
        .map(|(op, _)| *op)
        .chain(NESTED_OPS.iter().copied())
        .collect();
    for name in names {
        assert!(listed.contains(&name), "{name} has no validation tests");
    }
}

#[test]
fn a_missing_field_is_invalid_naming_it() {
    for (op, fields) in ops_and_fields() {
        for field in &fields {
            let mut input = valid_input(&fields);
            input.remove(*field);
            assert_error(&json!({"op": op, "input": input}), "invalid", field);
        }
    }
}

#[test]
fn a_field_of_the_wrong_type_is_invalid_naming_it() {
    let wrong = [
        json!(1),
        json!(0.5),
        json!(-2),
        json!(null),
        json!(true),
        json!(["1"]),
        json!({"v": "1"}),
    ];
    for (op, fields) in ops_and_fields() {
        for field in &fields {
            for bad in &wrong {
                let mut input = valid_input(&fields);
                input.insert((*field).to_string(), bad.clone());
                assert_error(&json!({"op": op, "input": input}), "invalid", field);
            }
        }
    }
}

#[test]
fn a_field_whose_text_is_not_a_decimal_is_invalid_naming_it() {
    let bad_digits = [
        "",
        "-",
        "1e5",
        "1E5",
        "1.5e-3",
        "0.0000000000000000001",
        "abc",
        "1,5",
        " 1",
        "1 ",
        "+1",
        ".5",
        "5.",
        "0x10",
        "NaN",
        "inf",
        "1_000",
        // outside the Wad range: the input is invalid (overflow is for results)
        "170141183460469231731.687303715884105728",
        "-170141183460469231731.687303715884105729",
        "99999999999999999999999999999999999999999999",
    ];
    for (op, fields) in ops_and_fields() {
        for field in &fields {
            for bad in bad_digits {
                let mut input = valid_input(&fields);
                input.insert((*field).to_string(), json!(bad));
                assert_error(&json!({"op": op, "input": input}), "invalid", field);
            }
        }
    }
}

#[test]
fn a_bad_round_is_invalid_naming_round() {
    let bad_rounds = [
        json!("up"),
        json!("Floor"),
        json!("CEIL"),
        json!(""),
        json!(" floor"),
        json!(0),
        json!(null),
        json!(true),
    ];
    for (op, fields) in ops_and_fields() {
        for bad in &bad_rounds {
            let mut input = valid_input(&fields);
            input.insert("round".to_string(), bad.clone());
            assert_error(&json!({"op": op, "input": input}), "invalid", "round");
        }
    }
}

#[test]
fn an_unknown_input_key_is_invalid_naming_it() {
    for (op, fields) in ops_and_fields() {
        let mut input = valid_input(&fields);
        input.insert("rounding".to_string(), json!("ceil"));
        assert_error(&json!({"op": op, "input": input}), "invalid", "rounding");
        // The unknown key is reported before a missing field.
        let input = json!({"X": "1"});
        assert_error(&json!({"op": op, "input": input}), "invalid", "X");
    }
    // A field of another op is unknown too.
    assert_error(&json!({"op": "exp", "input": {"x": "1", "p": "2"}}), "invalid", "p");
    assert_error(
        &json!({"op": "mul", "input": {"a": "1", "b": "2", "x": "3"}}),
        "invalid",
        "x",
    );
}

#[test]
fn fields_are_checked_in_the_order_the_op_lists_them() {
    assert_error(&json!({"op": "mul", "input": {"round": "up", "b": 1}}), "invalid", "a");
    assert_error(
        &json!({"op": "mul", "input": {"round": "up", "b": 1, "a": "1"}}),
        "invalid",
        "b",
    );
    assert_error(
        &json!({"op": "mul", "input": {"round": "up", "b": "1", "a": "1"}}),
        "invalid",
        "round",
    );
    assert_error(&json!({"op": "pow", "input": {"p": "x", "x": "y"}}), "invalid", "x");
    assert_error(&json!({"op": "pow", "input": {"p": "x", "x": "1"}}), "invalid", "p");
}

#[test]
fn a_bad_op_is_invalid_naming_op() {
    for op in [
        json!("nope"),
        json!("EXP"),
        json!(""),
        json!(1),
        json!(null),
        json!(["exp"]),
    ] {
        assert_error(&json!({"op": op, "input": {"x": "1"}}), "invalid", "op");
    }
    assert_error(&json!({"input": {"x": "1"}}), "invalid", "op");
    // The op is checked before the input.
    assert_error(&json!({"op": "nope"}), "invalid", "op");
}

#[test]
fn a_bad_input_is_invalid_naming_input() {
    for (op, _) in ops_and_fields() {
        assert_error(&json!({"op": op}), "invalid", "input");
        for bad in [json!(null), json!("x=1"), json!(1), json!(["1"])] {
            assert_error(&json!({"op": op, "input": bad}), "invalid", "input");
        }
    }
}

#[test]
fn a_case_that_is_not_an_object_is_invalid_naming_case() {
    for (bad, found) in [
        (json!(null), "null"),
        (json!(1), "a JSON number"),
        (json!("exp"), "a string"),
        (json!([{"op": "exp"}]), "an array"),
    ] {
        assert_eq!(
            eval_case(&bad).to_string(),
            format!(
                r#"{{"op":null,"input":null,"error":{{"kind":"invalid","what":"case","why":"must be a JSON object, not {found}"}}}}"#
            )
        );
    }
}

#[test]
fn answers_echo_op_and_input_in_order_then_output() {
    let case = json!({"note": "n", "input": {"b": "2", "a": "1.50"}, "op": "mul", "expect": {"y": "3"}});
    let answer = eval_case(&case);
    assert_eq!(
        answer.to_string(),
        r#"{"op":"mul","input":{"b":"2","a":"1.50"},"output":{"y":"3"}}"#
    );
    let answer = eval_case(&json!({"input": {"a": "1"}}));
    assert_eq!(
        answer.to_string(),
        r#"{"op":null,"input":{"a":"1"},"error":{"kind":"invalid","what":"op","why":"is required"}}"#
    );
}

#[test]
fn mul_and_div_round_as_asked() {
    let y = |op: &str, a: &str, b: &str, round: Option<&str>| {
        let mut input = json!({"a": a, "b": b});
        if let Some(r) = round {
            input["round"] = json!(r);
        }
        let answer = eval_case(&json!({"op": op, "input": input}));
        answer["output"]["y"]
            .as_str()
            .unwrap_or_else(|| panic!("{answer}"))
            .to_string()
    };
    assert_eq!(y("mul", "1.5", "2", None), "3");
    assert_eq!(y("mul", "0.000000000000000001", "0.5", None), "0");
    assert_eq!(y("mul", "0.000000000000000001", "0.5", Some("floor")), "0");
    assert_eq!(
        y("mul", "0.000000000000000001", "0.5", Some("ceil")),
        "0.000000000000000001"
    );
    assert_eq!(
        y("mul", "-0.000000000000000001", "0.5", Some("floor")),
        "-0.000000000000000001"
    );
    assert_eq!(y("div", "1", "3", None), "0.333333333333333333");
    assert_eq!(y("div", "1", "3", Some("ceil")), "0.333333333333333334");
    assert_eq!(y("div", "-1", "3", Some("floor")), "-0.333333333333333334");
    assert_eq!(y("div", "-1", "3", Some("ceil")), "-0.333333333333333333");
}

#[test]
fn kernel_errors_keep_their_kind_and_what() {
    assert_error(
        &json!({"op": "div", "input": {"a": "1", "b": "0"}}),
        "division_by_zero",
        "division by zero",
    );
    let max = "170141183460469231731.687303715884105727";
    assert_error(
        &json!({"op": "mul", "input": {"a": max, "b": "2"}}),
        "overflow",
        "result out of range",
    );
    assert_error(
        &json!({"op": "div", "input": {"a": max, "b": "0.5"}}),
        "overflow",
        "result out of range",
    );
    let e = super::OpError::from(crate::Error::domain("x", "ln needs x > 0"));
    assert_eq!(
        e.to_value(),
        json!({"kind": "domain", "what": "x", "why": "ln needs x > 0"})
    );
    // Overflow and division by zero name no field and have no why: the key is left out.
    let e = super::OpError::from(crate::Error::Overflow);
    assert_eq!(e.to_value(), json!({"kind": "overflow", "what": "result out of range"}));
}

#[test]
fn check_compares_outputs_as_json() {
    let answer = json!({"op": "mul", "input": {}, "output": {"y": "1.5"}});
    assert_eq!(check(&answer, &json!({"y": "1.5"})), Ok(()));
    // Numbers are compared as canonical text.
    assert!(check(&answer, &json!({"y": "1.50"})).is_err());
    assert_eq!(
        check(&answer, &json!({"y": "1.6"})),
        Err(r#"expected output {"y":"1.6"}, got output {"y":"1.5"}"#.to_string())
    );
    assert!(check(&answer, &json!({"y": "1.5", "z": "1"})).is_err());
    assert!(check(&answer, &json!({})).is_err());
    assert!(check(&answer, &json!({"y": 1.5})).is_err());
    assert_eq!(
        check(&answer, &json!({"error": {"kind": "domain"}})),
        Err(r#"expected error {"kind":"domain"}, got output {"y":"1.5"}"#.to_string())
    );
}

#[test]
fn check_compares_errors_by_kind_and_what_when_given() {
    let answer = json!({"op": "ln", "input": {}, "error": {"kind": "domain", "what": "x"}});
    assert_eq!(check(&answer, &json!({"error": {"kind": "domain"}})), Ok(()));
    assert_eq!(
        check(&answer, &json!({"error": {"kind": "domain", "what": "x"}})),
        Ok(())
    );
    assert_eq!(
        check(&answer, &json!({"error": {"kind": "domain", "what": "y"}})),
        Err(r#"expected error {"kind":"domain","what":"y"}, got error {"kind":"domain","what":"x"}"#.to_string())
    );
    assert_eq!(
        check(&answer, &json!({"error": {"kind": "overflow"}})),
        Err(r#"expected error {"kind":"overflow"}, got error {"kind":"domain","what":"x"}"#.to_string())
    );
    assert_eq!(
        check(&answer, &json!({"y": "1"})),
        Err(r#"expected output {"y":"1"}, got error {"kind":"domain","what":"x"}"#.to_string())
    );
}

#[test]
fn check_compares_the_why_only_when_the_case_gives_one() {
    let answer = json!({"error": {"kind": "invalid", "what": "x", "why": "must be > 0"}});
    assert_eq!(
        check(&answer, &json!({"error": {"kind": "invalid", "what": "x"}})),
        Ok(())
    );
    assert_eq!(
        check(
            &answer,
            &json!({"error": {"kind": "invalid", "what": "x", "why": "must be > 0"}})
        ),
        Ok(())
    );
    assert_eq!(
        check(&answer, &json!({"error": {"kind": "invalid", "why": "must be ≥ 0"}})),
        Err(r#"expected error {"kind":"invalid","why":"must be ≥ 0"}, got error {"kind":"invalid","what":"x","why":"must be > 0"}"#.to_string())
    );
    // An answer without a why fails an expect that names one.
    let bare = json!({"error": {"kind": "overflow", "what": "result out of range"}});
    assert!(check(&bare, &json!({"error": {"kind": "overflow", "why": "x"}})).is_err());
}

#[test]
fn check_rejects_a_malformed_expect() {
    let answer = json!({"error": {"kind": "domain", "what": "x"}});
    for bad in [
        json!("domain"),
        json!({"error": "domain"}),
        json!({"error": {}}),
        json!({"error": {"kind": 1}}),
        json!({"error": {"kind": "domain", "what": 1}}),
        json!({"error": {"kind": "domain", "why": 1}}),
        json!({"error": {"kind": "domain", "how": "x"}}),
        json!({"error": {"kind": "domain"}, "y": "1"}),
    ] {
        let why = check(&answer, &bad).expect_err("a malformed expect must fail");
        assert!(why.starts_with("malformed expect "), "{why}");
    }
}

fn read(text: &str) -> Vec<Entry> {
    read_cases(text.as_bytes()).collect::<Result<Vec<_>, _>>().unwrap()
}

#[test]
fn json_lines_skip_blank_lines_and_keep_going_after_a_bad_line() {
    let text = "\n{\"op\":\"mul\"}\n  \r\n{oops\n\t[1]\n{\"op\":\"div\"}";
    let entries = read(text);
    let lines: Vec<usize> = entries.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 4, 5, 6]);
    assert_eq!(entries[0].case, Ok(json!({"op": "mul"})));
    assert_eq!(
        entries[1].case,
        Err("json: key must be a string at line 4 column 2".to_string())
    );
    assert_eq!(
        entries[2].case,
        Ok(json!([1])),
        "only the first non-blank line decides the format"
    );
    assert_eq!(entries[3].case, Ok(json!({"op": "div"})));
    assert_eq!(
        entries[1].answer(),
        json!({"op": null, "input": null, "error": {"kind": "invalid", "what": "json: key must be a string at line 4 column 2", "why": "the text is not valid JSON"}})
    );
}

#[test]
fn invalid_utf8_is_a_bad_line_and_a_bom_is_ignored() {
    let mut bytes = b"\xEF\xBB\xBF{\"op\":\"mul\"}\n".to_vec();
    bytes.extend_from_slice(b"\xFF\xFE\n{}\n");
    let entries: Vec<Entry> = read_cases(&bytes[..]).collect::<Result<_, _>>().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].case, Ok(json!({"op": "mul"})));
    assert_eq!(entries[1].case, Err("json: invalid UTF-8 at line 2".to_string()));
    assert_eq!(entries[2].case, Ok(json!({})));
}

#[test]
fn an_array_gives_its_elements_with_their_lines() {
    let text = "\n  [ {\"op\": \"a\"},\n {\"op\": \"b\"}\n ,\n 5 ]\n\n";
    let entries = read(text);
    let got: Vec<(usize, Value)> = entries.into_iter().map(|e| (e.line, e.case.unwrap())).collect();
    assert_eq!(got, [(2, json!({"op": "a"})), (3, json!({"op": "b"})), (5, json!(5))]);
    assert!(read("[]").is_empty());
    assert!(read(" [ \n ] \n").is_empty());
}

#[test]
fn an_array_with_a_syntax_error_keeps_the_cases_before_it() {
    let entries = read("[{\"op\": \"a\"},\n {\"op\": x}, {\"op\": \"c\"}]");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].case, Ok(json!({"op": "a"})));
    assert_eq!(entries[1].line, 2);
    assert_eq!(
        entries[1].case,
        Err("json: expected value at line 2 column 9".to_string())
    );

    let cases = |text: &str| read(text).into_iter().map(|e| e.case).collect::<Vec<_>>();
    assert_eq!(
        cases("[1,]"),
        [Ok(json!(1)), Err("json: expected value at line 1 column 4".to_string())]
    );
    assert_eq!(
        cases("[1 2]"),
        [
            Ok(json!(1)),
            Err("json: expected `,` or `]` at line 1 column 4".to_string())
        ]
    );
    assert_eq!(
        cases("[1,\n2"),
        [
            Ok(json!(1)),
            Ok(json!(2)),
            Err("json: EOF while parsing a list at line 2 column 2".to_string())
        ]
    );
    assert_eq!(
        cases("[1] x"),
        [
            Ok(json!(1)),
            Err("json: trailing characters after the array at line 1 column 5".to_string())
        ]
    );
    assert_eq!(
        cases("["),
        [Err("json: EOF while parsing a list at line 1 column 2".to_string())]
    );
}

#[test]
fn entries_give_their_expect() {
    let entries = read("{\"op\":\"mul\",\"expect\":{\"y\":\"1\"}}\n{\"op\":\"mul\"}\n5\nx\n");
    let expects: Vec<Option<&Value>> = entries.iter().map(Entry::expect).collect();
    assert_eq!(expects, [Some(&json!({"y": "1"})), None, None, None]);
}

#[test]
fn json_error_answers_have_null_op_and_input() {
    assert_eq!(
        json_error_answer("json: x").to_string(),
        r#"{"op":null,"input":null,"error":{"kind":"invalid","what":"json: x","why":"the text is not valid JSON"}}"#
    );
    let _ = format!("{:?}", read("1"));
}

#[test]
fn a_liquidation_of_a_token_that_does_not_exist_names_the_order_field() {
    // Regression: the kernel's lookup error `token` reached the wire without its path.
    let t = json!({"price": "1", "init_asset_weight": "0.8", "maint_asset_weight": "0.8",
                   "init_liab_weight": "1.2", "maint_liab_weight": "1.2"});
    for (liability, collateral, what) in [(2, 0, "liquidation.liability"), (1, 7, "liquidation.collateral")] {
        let case = json!({"op": "liquidate", "input": {
            "tokens": [t, t],
            "account": [{"token": 0, "balance": "10"}, {"token": 1, "balance": "-9"}],
            "liquidation": {"kind": "token", "liability": liability, "collateral": collateral}}});
        assert_error(&case, "invalid", what);
    }
}
