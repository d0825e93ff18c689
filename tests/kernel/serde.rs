//! With the `serde` feature a `Wad` is its exact decimal string on the wire, and a
//! `Rounding` is `"floor"` or `"ceil"`; anything else is refused, never rounded.
#![cfg(feature = "serde")]

use lce::{Rounding, Wad};

#[test]
fn a_wad_is_its_exact_decimal_string() {
    let w = Wad::from_raw(-12_000_000_000_000_000_001);
    assert_eq!(serde_json::to_string(&w).unwrap(), "\"-12.000000000000000001\"");
    assert_eq!(serde_json::from_str::<Wad>("\"-12.000000000000000001\"").unwrap(), w);
    assert_eq!(
        serde_json::to_string(&Wad::MIN).unwrap(),
        "\"-170141183460469231731.687303715884105728\""
    );
    assert_eq!(
        serde_json::from_str::<Wad>("\"0.05\"").unwrap(),
        Wad::from_raw(50_000_000_000_000_000)
    );
}

#[test]
fn numbers_and_inexact_text_are_refused() {
    for bad in [
        "0.05",
        "5",
        "\"1e5\"",
        "\"1.0000000000000000001\"",
        "\"\"",
        "null",
        "\"170141183460469231732\"",
    ] {
        let err = serde_json::from_str::<Wad>(bad).unwrap_err().to_string();
        assert!(!err.is_empty(), "{bad} must be refused");
    }
    // A JSON number is refused with what is expected instead.
    let err = serde_json::from_str::<Wad>("5").unwrap_err().to_string();
    assert!(
        err.contains("a decimal string with at most 18 fractional digits"),
        "{err}"
    );
    let err = serde_json::from_str::<Wad>("\"1.0000000000000000001\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("more than 18 fractional digits"), "{err}");
}

#[test]
fn rounding_is_lowercase() {
    assert_eq!(serde_json::to_string(&Rounding::Ceil).unwrap(), "\"ceil\"");
    assert_eq!(serde_json::from_str::<Rounding>("\"floor\"").unwrap(), Rounding::Floor);
    assert!(serde_json::from_str::<Rounding>("\"Floor\"").is_err());
}

/// Parameter types deserialize through their validating constructors: an invalid value is
/// refused with the field's name, never built.
#[test]
fn risk_parameters_are_validated_when_read() {
    use lce::account::{Account, TokenParams};
    use lce::liquidation::{CloseFactor, Waterfall};
    use lce::oracle::OraclePrice;

    let token = r#"{"init_asset_weight":"0.7","maint_asset_weight":"0.8","liq_end_asset_weight":"0.7",
        "init_liab_weight":"1.3","maint_liab_weight":"1.2","liq_end_liab_weight":"1.3",
        "size_factor":"0","liquidation_fee":"0.05","protocol_fee_share":"0.1"}"#;
    let p: TokenParams = serde_json::from_str(token).unwrap();
    let back = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<TokenParams>(&back).unwrap(), p);
    let bad = token.replace(r#""maint_asset_weight":"0.8""#, r#""maint_asset_weight":"0.6""#);
    let err = serde_json::from_str::<TokenParams>(&bad).unwrap_err().to_string();
    assert!(err.contains("maint_asset_weight"), "{err}");

    let err = serde_json::from_str::<OraclePrice>(r#"{"price":"1","conf":"1"}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("conf"), "{err}");
    let err = serde_json::from_str::<CloseFactor>(r#"{"normal":"0","full_below":"0.95","dust":"0"}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("normal"), "{err}");
    let err =
        serde_json::from_str::<Waterfall>(r#"{"premium_buffer":"-1","insurance_fund":"0","lender_deposits":"0"}"#)
            .unwrap_err()
            .to_string();
    assert!(err.contains("premium_buffer"), "{err}");

    // An account round-trips, and two positions in one token are refused.
    let account = r#"{"positions":[{"kind":"token","token":0,"balance":"10"},{"kind":"perp","market":0,"base":"-1","quote":"5"}]}"#;
    let a: Account = serde_json::from_str(account).unwrap();
    assert_eq!(a.token_balance(0), "10".parse().unwrap());
    assert_eq!(
        serde_json::from_str::<Account>(&serde_json::to_string(&a).unwrap()).unwrap(),
        a
    );
    let twice = r#"{"positions":[{"kind":"token","token":0,"balance":"10"},{"kind":"token","token":0,"balance":"1"}]}"#;
    let err = serde_json::from_str::<Account>(twice).unwrap_err().to_string();
    assert!(err.contains("positions"), "{err}");
}

/// The margin module's parameters and states are read through their constructors too.
#[test]
fn margin_parameters_and_states_are_validated_when_read() {
    use lce::margin::{DynamicMarginParams, Ewma, EwmaParams, GovernorParams, MarginGovernor};

    let params =
        r#"{"base":"0.05","k_vol":"0.1","k_skew":"0.2","horizon":"1","floor":"0.05","cap":"0.5","init_spread":"0.05"}"#;
    let p: DynamicMarginParams = serde_json::from_str(params).unwrap();
    assert_eq!(p.vol_coefficient(), "0.1".parse().unwrap());
    let back = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<DynamicMarginParams>(&back).unwrap(), p);
    let bad = params.replace(r#""floor":"0.05""#, r#""floor":"0.6""#);
    let err = serde_json::from_str::<DynamicMarginParams>(&bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("floor"), "{err}");

    // An absent optional field is off; `null` is refused, as `lce eval` refuses it.
    let g = r#"{"max_decrease":"0.01","buffer":"0.25"}"#;
    let gp: GovernorParams = serde_json::from_str(g).unwrap();
    assert_eq!(gp.raw().stressed_sigma, None);
    assert_eq!(serde_json::to_string(&gp).unwrap(), g);
    assert!(serde_json::from_str::<GovernorParams>(r#"{"buffer":"0.25","stressed_sigma":null}"#).is_err());
    let err = serde_json::from_str::<GovernorParams>(&g.replace("0.25", "1.5"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("buffer"), "{err}");

    let mut gov = MarginGovernor::new(p, gp);
    gov.update("0.5".parse().unwrap(), Wad::ZERO).unwrap();
    let text = serde_json::to_string(&gov).unwrap();
    assert_eq!(serde_json::from_str::<MarginGovernor>(&text).unwrap(), gov);
    let err = serde_json::from_str::<MarginGovernor>(&text.replace(r#""published":"0.125""#, r#""published":"0.9""#))
        .unwrap_err()
        .to_string();
    assert!(err.contains("previous"), "{err}");

    let mut e = Ewma::new(EwmaParams::riskmetrics_daily());
    for x in ["100", "101", "99"] {
        e.observe(x.parse().unwrap()).unwrap();
    }
    let text = serde_json::to_string(&e).unwrap();
    assert_eq!(serde_json::from_str::<Ewma>(&text).unwrap(), e);
    let err = serde_json::from_str::<Ewma>(&text.replace(r#""last_price":"99""#, r#""last_price":"0""#))
        .unwrap_err()
        .to_string();
    assert!(err.contains("prices"), "{err}");
    let err = serde_json::from_str::<EwmaParams>(r#"{"lambda":"1","periods_per_year":365}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("lambda"), "{err}");
}

/// The serde forms read exactly the documents `lce eval` reads (`vectors/README.md` §8): an
/// absent optional field takes its default, and an unknown key or a `null` is refused.
#[test]
fn parameters_read_the_eval_wire_form() {
    use lce::account::TokenParams;
    use lce::oracle::Guards;

    let token =
        r#"{"init_asset_weight":"0.7","maint_asset_weight":"0.8","init_liab_weight":"1.3","maint_liab_weight":"1.2"}"#;
    let p: TokenParams = serde_json::from_str(token).unwrap();
    let raw = p.raw();
    assert_eq!(raw.liq_end_asset_weight, raw.init_asset_weight);
    assert_eq!(raw.liq_end_liab_weight, raw.init_liab_weight);
    assert_eq!((raw.size_factor, raw.liquidation_fee), (Wad::ZERO, Wad::ZERO));
    let err = serde_json::from_str::<TokenParams>(&token.replace('}', r#","price":"1"}"#))
        .unwrap_err()
        .to_string();
    assert!(err.contains("price"), "{err}");
    assert!(serde_json::from_str::<TokenParams>(&token.replace('}', r#","size_factor":null}"#)).is_err());
    let err = serde_json::from_str::<TokenParams>(r#"{"init_asset_weight":"0.7"}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("maint_asset_weight"), "{err}");

    // An off guard is absent both ways; a block count is at most u32::MAX.
    let g: Guards = serde_json::from_str(r#"{"max_age":10}"#).unwrap();
    assert_eq!(serde_json::to_string(&g).unwrap(), r#"{"max_age":10}"#);
    assert!(serde_json::from_str::<Guards>(r#"{"max_age":4294967296}"#).is_err());
}
