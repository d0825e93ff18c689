//! A scenario venue's `"protocol"`: a preset's rules as the general rule's venue fields
//! (`vectors/README.md` §10.7). The cascade runs the general rule (§9); a preset here fills the
//! venue's `liquidation` object and its collateral's (or perp market's) bonus fields with the
//! values that approximate the protocol, and every field the venue gives itself overrides the
//! preset's. Parse level only: the expanded venue is read as any other.

use std::string::String;

use serde_json::{Map, Value};

use super::{Fields, OpError, wad_value};
use crate::Wad;

/// The preset names a venue reads, with the keys of each one's protocol object.
const PRESETS: &[(&str, &[&str])] = &[
    ("aave_v3.3", &["name", "close_factor", "full_below"]),
    ("compound_v3", &["name"]),
    ("morpho_blue", &["name", "cursor", "max_lif"]),
    ("marginfi_v2", &["name", "liquidator_fee", "insurance_fee"]),
    (
        "mango_v4",
        &[
            "name",
            "asset_liquidation_fee",
            "liab_liquidation_fee",
            "asset_platform_liquidation_fee",
            "liab_platform_liquidation_fee",
        ],
    ),
    (
        "drift_v2",
        &[
            "name",
            "liquidator_fee",
            "if_liquidation_fee",
            "liquidation_margin_buffer_ratio",
        ],
    ),
];

fn dec(w: Wad) -> Value {
    wad_value(w)
}

fn obj(pairs: &[(&str, Value)]) -> Value {
    Value::Object(pairs.iter().map(|(k, v)| (String::from(*k), v.clone())).collect())
}

/// `d` under `v`: a key of `d` missing from `v` is added, an object in both is merged the same
/// way, anything else of `v` is kept (the venue overrides the preset).
fn merge_under(v: &mut Map<String, Value>, d: &Map<String, Value>) {
    for (k, dv) in d {
        match (v.get_mut(k), dv) {
            (None, _) => {
                v.insert(k.clone(), dv.clone());
            }
            (Some(Value::Object(vo)), Value::Object(dm)) => merge_under(vo, dm),
            _ => {}
        }
    }
}

/// `a / (a + b)` floored, 0 when both are 0: the protocol's share of a bonus split `a` (the
/// protocol's) and `b` (the liquidator's).
fn share(protocol: Wad, liquidator: Wad) -> Result<Wad, OpError> {
    let total = protocol.add(liquidator)?;
    if total.is_zero() {
        Ok(Wad::ZERO)
    } else {
        Ok(protocol.div_floor(total)?)
    }
}

/// The venue `f` with its `protocol` expanded (`None` without one).
///
/// - `aave_v3.3`: `liquidation` `{mode: request, close_factor: {normal: 0.5, full_below: 0.95}}`
///   (the protocol object's `close_factor`, `full_below` override the two);
/// - `compound_v3`, `morpho_blue`: `{mode: request, close_factor: {normal: 1}}` (no close factor;
///   Compound's `absorb` is approximated by a liquidator taking the whole account); Morpho's
///   collateral `liquidation_fee` = `LIF − 1`, `LIF = min(max_lif, 1/(1 − cursor·(1 − LLTV)))`
///   with the collateral's `maint_asset_weight` as the LLTV (`cursor` 0.3, `max_lif` 1.15);
/// - `marginfi_v2`: `{mode: target, target: maintenance}` (marginfi stops at health 0), the
///   collateral's `liquidation_fee` = `f_l + f_i` (0.05), `protocol_fee_share` = `f_i/(f_l + f_i)`
///   (0.5);
/// - `mango_v4`: `{mode: target, target: liquidation_end}`, the collateral's `liquidation_fee` =
///   `ff_total − 1` and `protocol_fee_share` = `(ff_total − ff_liqor)/(ff_total − 1)` from the two
///   banks' fees (0 by default);
/// - `drift_v2` (a perp venue): the market's `liquidation_fee` = liquidator + insurance fee,
///   `protocol_fee_share` = insurance/(sum), `liq_end_margin` = `maint_margin` + the buffer
///   (`liquidation_margin_buffer_ratio`, 0.02).
///
/// Errors: `invalid` naming `protocol` (an unknown name, a lending preset on a perp venue or
/// the reverse), a key of the protocol object, `collateral.maint_asset_weight` (Morpho without
/// it).
pub(super) fn expand(f: &Fields<'_>) -> Result<Option<Map<String, Value>>, OpError> {
    if !f.has("protocol") {
        return Ok(None);
    }
    let (allowed, pf) = if f.object("protocol").is_ok() {
        let p = f.object("protocol")?;
        (p.choice("name", PRESETS)?, Some(p))
    } else {
        (f.choice("protocol", PRESETS)?, None)
    };
    let name = PRESETS
        .iter()
        .find(|(_, k)| core::ptr::eq(*k, allowed))
        .map(|(n, _)| *n)
        .unwrap_or_default();
    if let Some(p) = &pf
        && let Some(k) = p.keys().find(|k| !allowed.contains(k))
    {
        return Err(OpError::invalid(
            p.name(k),
            "is not a field of this preset's protocol object in a venue (vectors/README.md §10.7)",
        ));
    }
    let get = |key: &str, default: Wad| -> Result<Wad, OpError> {
        match &pf {
            Some(p) => p.decimal_or(key, default),
            None => Ok(default),
        }
    };
    let perp = f.raw("kind").and_then(Value::as_str) == Some("perp");
    if perp != (name == "drift_v2") {
        return Err(OpError::invalid(
            f.name("protocol"),
            "drift_v2 presets a perp venue, the others a lending venue",
        ));
    }
    let request = |cf: Value| obj(&[("mode", "request".into()), ("close_factor", cf)]);
    let target = |level: &str| obj(&[("mode", "target".into()), ("target", level.into())]);
    let d = match name {
        "aave_v3.3" => obj(&[(
            "liquidation",
            request(obj(&[
                ("normal", dec(get("close_factor", crate::wad!("0.5"))?)),
                ("full_below", dec(get("full_below", crate::wad!("0.95"))?)),
            ])),
        )]),
        "compound_v3" => obj(&[("liquidation", request(obj(&[("normal", "1".into())])))]),
        "morpho_blue" => {
            let c = crate::preset::morpho::Constants {
                cursor: get("cursor", crate::wad!("0.3"))?,
                max_lif: get("max_lif", crate::wad!("1.15"))?,
            };
            let lltv_key = f
                .object("collateral")
                .ok()
                .and_then(|c| c.decimal("maint_asset_weight").ok());
            let mut m = Map::new();
            m.insert("liquidation".into(), request(obj(&[("normal", "1".into())])));
            if let Some(lltv) = lltv_key {
                let lif = crate::preset::morpho::incentive_factor(lltv, &c)?;
                m.insert(
                    "collateral".into(),
                    obj(&[("liquidation_fee", dec(lif.sub(Wad::ONE)?))]),
                );
            } else {
                return Err(OpError::invalid(
                    std::format!("{}.maint_asset_weight", f.name("collateral")),
                    "is required with morpho_blue: it is the market's LLTV, from which the incentive follows",
                ));
            }
            Value::Object(m)
        }
        "marginfi_v2" => {
            let (fl, fi) = (
                get("liquidator_fee", crate::wad!("0.025"))?,
                get("insurance_fee", crate::wad!("0.025"))?,
            );
            obj(&[
                ("liquidation", target("maintenance")),
                (
                    "collateral",
                    obj(&[
                        ("liquidation_fee", dec(fl.add(fi)?)),
                        ("protocol_fee_share", dec(share(fi, fl)?)),
                    ]),
                ),
            ])
        }
        "mango_v4" => {
            let one = Wad::ONE;
            let (la, ll) = (
                get("asset_liquidation_fee", crate::wad!("0"))?,
                get("liab_liquidation_fee", crate::wad!("0"))?,
            );
            let (pa, pl) = (
                get("asset_platform_liquidation_fee", crate::wad!("0"))?,
                get("liab_platform_liquidation_fee", crate::wad!("0"))?,
            );
            let total = one.add(ll)?.add(pl)?.mul_floor(one.add(la)?.add(pa)?)?;
            let liqor = one.add(ll)?.mul_floor(one.add(la)?)?;
            let bonus = total.sub(one)?;
            obj(&[
                ("liquidation", target("liquidation_end")),
                (
                    "collateral",
                    obj(&[
                        ("liquidation_fee", dec(bonus)),
                        ("protocol_fee_share", dec(share(total.sub(liqor)?, liqor.sub(one)?)?)),
                    ]),
                ),
            ])
        }
        _ => {
            let (fl, fi) = (
                get("liquidator_fee", crate::wad!("0"))?,
                get("if_liquidation_fee", crate::wad!("0"))?,
            );
            let buffer = get("liquidation_margin_buffer_ratio", crate::wad!("0.02"))?;
            let mut market = Map::new();
            if pf
                .as_ref()
                .is_some_and(|p| p.has("liquidator_fee") || p.has("if_liquidation_fee"))
            {
                market.insert("liquidation_fee".into(), dec(fl.add(fi)?));
                market.insert("protocol_fee_share".into(), dec(share(fi, fl)?));
            }
            if let Some(maint) = f.object("market").ok().and_then(|m| m.decimal("maint_margin").ok()) {
                market.insert("liq_end_margin".into(), dec(maint.add(buffer)?));
            }
            obj(&[("market", Value::Object(market))])
        }
    };
    let mut scratch = Map::new();
    let _ = f.without("protocol", &mut scratch);
    if let Value::Object(dm) = &d {
        merge_under(&mut scratch, dm);
    }
    Ok(Some(scratch))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expanded(venue: Value) -> Result<Value, OpError> {
        let Value::Object(m) = venue else { unreachable!() };
        let f = Fields::root(&m);
        Ok(expand(&f)?.map_or(Value::Null, Value::Object))
    }

    fn lending(protocol: Value) -> Value {
        json!({"kind": "lending", "protocol": protocol,
               "collateral": {"maint_asset_weight": "0.86", "init_asset_weight": "0.8"},
               "liquidation": {"close_factor": {"dust": "100"}}})
    }

    /// Each preset's fields, worked by hand, under the venue's own (which win).
    #[test]
    fn presets_expand_under_the_venue() {
        let v = expanded(lending(json!("aave_v3.3"))).unwrap();
        assert_eq!(
            v["liquidation"],
            json!({"mode": "request",
            "close_factor": {"dust": "100", "normal": "0.5", "full_below": "0.95"}})
        );
        assert!(v.get("protocol").is_none());
        let v = expanded(lending(json!({"name": "aave_v3.3", "close_factor": "1"}))).unwrap();
        assert_eq!(v["liquidation"]["close_factor"]["normal"], json!("1"));
        // Morpho: LLTV 0.86, LIF = min(1.15, 1/(1 − 0.3·0.14)) = 1/0.958 = 1.043841336116910229…
        let v = expanded(lending(json!("morpho_blue"))).unwrap();
        assert_eq!(v["collateral"]["liquidation_fee"], json!("0.043841336116910229"));
        assert_eq!(v["liquidation"]["close_factor"], json!({"dust": "100", "normal": "1"}));
        // marginfi: 2.5 % + 2.5 %, half of it the insurance fund's.
        let v = expanded(lending(json!("marginfi_v2"))).unwrap();
        assert_eq!(v["collateral"]["liquidation_fee"], json!("0.05"));
        assert_eq!(v["collateral"]["protocol_fee_share"], json!("0.5"));
        assert_eq!(v["liquidation"]["target"], json!("maintenance"));
        // Mango: (1 + 0.01 + 0.01)·(1 + 0.02 + 0) − 1 = 0.0404; the liquidator's (1.01·1.02 − 1)
        // = 0.0302: the protocol's share 0.0102/0.0404 = 0.252475247524752475 (floored).
        let v = expanded(lending(json!({"name": "mango_v4", "liab_liquidation_fee": "0.01",
            "liab_platform_liquidation_fee": "0.01", "asset_liquidation_fee": "0.02"})))
        .unwrap();
        assert_eq!(v["collateral"]["liquidation_fee"], json!("0.0404"));
        assert_eq!(v["collateral"]["protocol_fee_share"], json!("0.252475247524752475"));
        // A venue's own field wins.
        let mut venue = lending(json!("marginfi_v2"));
        venue["collateral"]["liquidation_fee"] = json!("0.07");
        assert_eq!(expanded(venue).unwrap()["collateral"]["liquidation_fee"], json!("0.07"));
        // Drift: maint 0.05 + buffer 0.02; fee 0.01 + 0.01, half of it the insurance fund's.
        let v = expanded(
            json!({"kind": "perp", "market": {"init_margin": "0.1", "maint_margin": "0.05"},
            "protocol": {"name": "drift_v2", "liquidator_fee": "0.01", "if_liquidation_fee": "0.01"}}),
        )
        .unwrap();
        assert_eq!(
            v["market"],
            json!({"init_margin": "0.1", "maint_margin": "0.05", "liq_end_margin": "0.07",
            "liquidation_fee": "0.02", "protocol_fee_share": "0.5"})
        );
        assert_eq!(expanded(json!({"kind": "lending"})).unwrap(), Value::Null);
    }

    #[test]
    fn bad_presets_are_named() {
        let e = expanded(json!({"kind": "perp", "protocol": "aave_v3.3"})).unwrap_err();
        assert_eq!(e.what, "protocol");
        let e = expanded(lending(json!({"name": "aave_v3.3", "cursor": "0.3"}))).unwrap_err();
        assert_eq!(e.what, "protocol.cursor");
        let e = expanded(json!({"kind": "lending", "protocol": "morpho_blue", "collateral": {}})).unwrap_err();
        assert_eq!(e.what, "collateral.maint_asset_weight");
        let e = expanded(lending(json!("euler"))).unwrap_err();
        assert_eq!(e.what, "protocol");
    }

    /// A scenario whose venue names a preset runs exactly as the same scenario with the
    /// preset's fields written out.
    #[test]
    fn a_preset_venue_runs_as_its_expansion() {
        let base: Value = serde_json::from_str(include_str!("../../vectors/scenarios/default.json")).unwrap();
        let mut with_preset = base.clone();
        let mut written = base;
        for s in [&mut with_preset, &mut written] {
            s["max_blocks"] = json!(40);
            for v in s["venues"].as_array_mut().unwrap() {
                v["population"]["count"] = json!(60);
            }
        }
        let lend = &mut with_preset["venues"][0];
        lend.as_object_mut().unwrap().remove("liquidation");
        lend["collateral"].as_object_mut().unwrap().remove("liquidation_fee");
        lend["collateral"].as_object_mut().unwrap().remove("protocol_fee_share");
        lend["protocol"] = json!("marginfi_v2");
        let lend = &mut written["venues"][0];
        lend["liquidation"] = json!({"mode": "target", "target": "maintenance"});
        lend["collateral"]["liquidation_fee"] = json!("0.05");
        lend["collateral"]["protocol_fee_share"] = json!("0.5");
        let run = |s: &Value| {
            let Value::Object(m) = s else { unreachable!() };
            let sc = super::super::scenario::read_scenario(m).unwrap();
            let out = sc.run(None, &mut |_| {}).unwrap();
            super::super::scenario::report_value(&sc, &out).unwrap()
        };
        let (a, b) = (run(&with_preset), run(&written));
        assert_eq!(a, b);
        assert!(!a.is_empty());
    }
}
