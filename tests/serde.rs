//! With the `serde` feature a `Wad` is its exact decimal string on the wire, and a
//! `Rounding` is `"floor"` or `"ceil"`; anything else is refused, never rounded.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, missing_docs)]

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
