//! Worked examples of the scenario grid.

use super::*;
use crate::options::{BsInputs, BsInputsRaw, OptionKind, OptionPosition, price};
use crate::{Error, Rounding, Wad};

use crate::test_support::w;

fn params(vol_scan: &str, fraction: &str, minimum: &str) -> GridParams {
    GridParams::new(GridRaw {
        price_scan: w("0.15"),
        vol_scan: w(vol_scan),
        steps: 3,
        extreme_multiple: 3,
        extreme_fraction: w(fraction),
        horizon: w("0"),
        short_minimum: w(minimum),
    })
    .unwrap()
}

fn market() -> GridMarket {
    GridMarket {
        spot: w("100"),
        vol: w("0.5"),
        rate: w("0"),
        yield_: w("0"),
    }
}

fn short_call(mark: Option<&str>) -> GridPosition {
    GridPosition {
        position: OptionPosition {
            kind: OptionKind::Call,
            strike: w("100"),
            t: w("0.5"),
            quantity: w("-1"),
        },
        mark: mark.map(w),
    }
}

#[test]
fn sixteen_scenarios_in_spans_order() {
    // S = 100, range 15: moves 0, ±5, ±10, ±15, extremes ±45; vol 0.5·1.25 = 0.625, 0.5·0.75 = 0.375.
    let g = params("0.25", "0.35", "0")
        .margin(&market(), &[short_call(Some("10"))])
        .unwrap();
    assert_eq!(g.scenarios.len(), 16);
    let c = |s: &str, v: &str| {
        let i = BsInputs::new(BsInputsRaw {
            spot: w(s),
            strike: w("100"),
            vol: w(v),
            t: w("0.5"),
            ..BsInputsRaw::default()
        })
        .unwrap();
        price(OptionKind::Call, &i, Rounding::Ceil).unwrap()
    };
    let order = [
        ("100", "0.625"),
        ("100", "0.375"),
        ("105", "0.625"),
        ("105", "0.375"),
        ("95", "0.625"),
        ("95", "0.375"),
        ("110", "0.625"),
        ("110", "0.375"),
        ("90", "0.625"),
        ("90", "0.375"),
        ("115", "0.625"),
        ("115", "0.375"),
        ("85", "0.625"),
        ("85", "0.375"),
    ];
    for (k, (s, v)) in order.iter().enumerate() {
        // Short 1: P&L = ⌊−1·(V − 10)⌋ = 10 − V exactly.
        assert_eq!(g.scenarios[k], w("10").sub(c(s, v)).unwrap(), "scenario {k}");
    }
    // Extremes at σ = 0.5: ⌊0.35·(10 − V)⌋.
    for (k, s) in [(14, "145"), (15, "55")] {
        let full = w("10").sub(c(s, "0.5")).unwrap();
        assert_eq!(g.scenarios[k], w("0.35").mul_floor(full).unwrap());
    }
    // Up a whole range with volatility up is the worst for a short call.
    assert_eq!(g.worst, 10);
    assert_eq!(g.requirement, g.scenarios[10].neg().unwrap());
    assert_eq!(g.scan_risk, g.requirement);
}

#[test]
fn the_short_minimum_binds_when_the_scan_risk_is_small() {
    // A far out-of-the-money short call with a rich mark gains in every scenario: the
    // requirement is the minimum, 2 contracts · 3 = 6.
    let mut p = short_call(Some("50"));
    p.position.strike = w("1000");
    p.position.quantity = w("-2");
    let g = params("0.25", "0.35", "3").margin(&market(), &[p]).unwrap();
    assert!(g.scenarios.iter().all(|v| v.is_positive()));
    assert_eq!(
        (g.scan_risk, g.short_minimum, g.requirement),
        (Wad::ZERO, w("6"), w("6"))
    );
}

#[test]
fn a_long_hedge_offsets_and_errors_name_fields() {
    // Short 1 call and long 1 identical call: every P&L is ⌊−(⌈V⌉ − m)⌋ + ⌊⌊V⌋ − m⌋ = ⌊V⌋ − ⌈V⌉ = −1e-18
    // with the same given mark (the exact price is never on the grid).
    let mut long = short_call(Some("10"));
    long.position.quantity = w("1");
    let g = params("0.25", "1", "0")
        .margin(&market(), &[short_call(Some("10")), long])
        .unwrap();
    assert!(g.scenarios.iter().all(|v| *v == w("-0.000000000000000001")));
    assert_eq!((g.worst, g.requirement), (0, Wad::EPSILON));

    let p = params("0.25", "0.35", "0");
    assert_eq!(
        p.margin(&market(), &[]).unwrap_err(),
        Error::invalid("positions", "must hold at least one position")
    );
    let many = [short_call(None); MAX_GRID_POSITIONS + 1];
    assert_eq!(
        p.margin(&market(), &many).unwrap_err(),
        Error::capacity("positions", "at most 16 positions (MAX_GRID_POSITIONS)")
    );
    let mut zero = short_call(None);
    zero.position.quantity = Wad::ZERO;
    assert_eq!(
        p.margin(&market(), &[zero]).unwrap_err(),
        Error::invalid("quantity", "must not be 0")
    );
    assert_eq!(
        p.margin(&market(), &[short_call(Some("-1"))]).unwrap_err(),
        Error::invalid("mark", "must be ≥ 0")
    );
    let raw = p.raw();
    let bad = |r: GridRaw| GridParams::new(r).unwrap_err();
    assert_eq!(
        bad(GridRaw {
            price_scan: w("1"),
            ..raw
        }),
        Error::invalid("price_scan", "must be in (0, 1)")
    );
    assert_eq!(
        bad(GridRaw {
            vol_scan: w("1"),
            ..raw
        }),
        Error::invalid("vol_scan", "must be in [0, 1)")
    );
    assert_eq!(
        bad(GridRaw { steps: 8, ..raw }),
        Error::invalid("steps", "must be in [1, 7] (MAX_GRID_STEPS)")
    );
    // 7 · 0.15 = 1.05 ≥ 1.
    assert_eq!(
        bad(GridRaw {
            extreme_multiple: 7,
            ..raw
        }),
        Error::invalid(
            "extreme_multiple",
            "must be ≥ 1 and keep price_scan·extreme_multiple < 1"
        )
    );
    assert_eq!(
        bad(GridRaw {
            extreme_fraction: w("1.01"),
            ..raw
        }),
        Error::invalid("extreme_fraction", "must be in [0, 1]")
    );
    let late = GridParams::new(GridRaw {
        horizon: w("0.5"),
        ..raw
    })
    .unwrap();
    assert_eq!(
        late.margin(&market(), &[short_call(None)]).unwrap_err(),
        Error::invalid("horizon", "must be shorter than every position's t")
    );
}

#[cfg(feature = "serde")]
#[test]
fn deserializing_goes_through_the_checks() {
    extern crate std;
    use std::string::ToString;
    let ok: StandardMarginParams =
        serde_json::from_str(r#"{"im_base":"0.15","im_floor":"0.1","mm_base":"0.075","mm_floor":"0.075"}"#).unwrap();
    assert_eq!(ok, StandardMarginParams::default());
    let back = serde_json::to_string(&ok).unwrap();
    assert_eq!(serde_json::from_str::<StandardMarginParams>(&back).unwrap(), ok);
    let bad = serde_json::from_str::<StandardMarginParams>(
        r#"{"im_base":"0.15","im_floor":"0.1","mm_base":"0.2","mm_floor":"0.075"}"#,
    );
    assert!(bad.unwrap_err().to_string().contains("mm_base"));
    let g = params("0.25", "0.35", "1");
    let text = serde_json::to_string(&g).unwrap();
    assert_eq!(serde_json::from_str::<GridParams>(&text).unwrap(), g);
    let bad = serde_json::from_str::<GridParams>(&text.replace(r#""steps":3"#, r#""steps":9"#));
    assert!(bad.unwrap_err().to_string().contains("steps"));
}
