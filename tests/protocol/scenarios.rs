//! The bundled scenarios of `vectors/scenarios/`: each stops for the reason its story claims,
//! with the headline figures reviewed in `vectors/scenarios/snapshots.md` (a change to any of
//! them must be explained there and in the commit that changes it), and every venue's ledger
//! balances to the last unit.
#![cfg(feature = "eval")]

use std::path::Path;

use lce::Wad;

use crate::common::w;
use lce::cascade::Conservation;
use lce::cascade::Stop;
use lce::eval::scenario::{RunOutcome, Scenario, read_scenario};
use serde_json::Value;

fn load(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/scenarios")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    let Value::Object(map) = serde_json::from_str::<Value>(&text).unwrap() else {
        panic!("{name} is not an object")
    };
    read_scenario(&map).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// The headline figures of a run: at the equilibrium (the first block at rest), then the
/// recovery.
struct Headline {
    stop: Stop,
    /// Blocks run, the recovery included.
    blocks: u64,
    equilibrium_block: u64,
    liquidations: u64,
    equilibrium: &'static str,
    amplification: &'static str,
    bad_debt: &'static str,
    unrealised: &'static str,
    /// Blocks from the equilibrium until the market was back within the band.
    recovery: Option<u64>,
    /// Liquidations and bankruptcies per venue, at the equilibrium.
    venues: &'static [(u64, u64)],
}

/// Runs bundled scenario `name`, checks its headline `h`, its books, and the digest of its whole
/// report: every bundled scenario's `lce run --json` report (every block of every venue, to the
/// last digit) hashes to the digest recorded in `vectors/scenarios/reports.sha256`, so that a
/// change meant to be one of speed only is seen to change no output bit (check one by hand with
/// `lce run --json vectors/scenarios/NAME.json | sha256sum`). A change of the model changes
/// them: say why in `snapshots.md` and record the new digests.
fn check(name: &str, h: &Headline) -> RunOutcome {
    use sha2::{Digest, Sha256};
    let scenario = load(name);
    let run = scenario.run(None, &mut |_| {}).unwrap();
    let report = lce::eval::scenario::report_value(&scenario, &run).unwrap();
    let mut text = serde_json::to_string_pretty(&Value::Object(report)).unwrap();
    text.push('\n');
    let got: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let file = format!("{name}.json");
    let want = digests().into_iter().find(|(f, _)| *f == file).map(|(_, hash)| hash);
    assert_eq!(Some(got), want, "{name}: its report changed (reports.sha256)");
    let r = &run.report;
    assert_eq!(r.stop, h.stop, "{name}: stop");
    assert_eq!(r.blocks, h.blocks, "{name}: blocks");
    assert_eq!(r.equilibrium_block, h.equilibrium_block, "{name}: equilibrium block");
    assert_eq!(run.records.len() as u64, r.blocks, "{name}: one record per block");
    assert_eq!(r.liquidations, h.liquidations, "{name}: liquidations");
    assert_eq!(r.equilibrium_price, w(h.equilibrium), "{name}: equilibrium price");
    assert_eq!(r.amplification, Some(w(h.amplification)), "{name}: amplification");
    assert_eq!(r.bad_debt, w(h.bad_debt), "{name}: bad debt");
    assert_eq!(r.unrealised, w(h.unrealised), "{name}: unrealised");
    assert_eq!(
        r.insolvency,
        r.bad_debt.add(r.unrealised).unwrap(),
        "{name}: insolvency"
    );
    assert_eq!(r.recovery.and_then(|rec| rec.blocks), h.recovery, "{name}: recovery");
    assert_eq!(r.venues.len(), h.venues.len(), "{name}: venues");
    for (i, (l, (liqs, bankruptcies))) in r.venues.iter().zip(h.venues).enumerate() {
        assert_eq!(
            (l.ledger.liquidations, l.ledger.bankruptcies),
            (*liqs, *bankruptcies),
            "{name}: venue {i}"
        );
        let cons = Conservation::check(&l.ledger, l.collateral, l.debt).unwrap();
        assert!(
            cons.balanced(),
            "{name}: venue {i} does not balance at the equilibrium: {cons:?}"
        );
        let (c, d) = run.totals[i];
        let cons = Conservation::check(&run.ledgers[i], c, d).unwrap();
        assert!(
            cons.balanced(),
            "{name}: venue {i} does not balance at the end: {cons:?}"
        );
    }
    // The block records add up to the summary up to the equilibrium, and to the summary plus
    // the recovery over the whole run.
    let upto: u64 = run
        .records
        .iter()
        .filter(|b| b.block <= r.equilibrium_block)
        .map(|b| u64::from(b.liquidations()))
        .sum();
    assert_eq!(upto, r.liquidations, "{name}: records vs summary");
    let all: u64 = run.records.iter().map(|b| u64::from(b.liquidations())).sum();
    assert_eq!(
        all,
        upto + r.recovery.map_or(0, |rec| rec.liquidations),
        "{name}: records vs recovery"
    );
    run
}

#[test]
fn default_stops_at_the_equilibrium_with_bad_debt() {
    let run = check(
        "default",
        &Headline {
            stop: Stop::Unprofitable,
            blocks: 144,
            equilibrium_block: 75,
            liquidations: 1601,
            equilibrium: "1613.191524938574508626",
            amplification: "1.289361583538084972",
            bad_debt: "346660.064747688034613496",
            unrealised: "196618.894461797421955477",
            recovery: Some(69),
            venues: &[(1434, 482), (167, 148)],
        },
    );
    // Both insurance funds are used up (40,000 and 50,000) and the lenders take the rest.
    let lend = &run.report.venues[0].ledger.waterfall;
    assert_eq!(lend.insurance, Wad::from_i64(40_000));
    assert_eq!(lend.socialized, w("10955.388516577217027338"));
    let perp = &run.report.venues[1].ledger.waterfall;
    assert_eq!(perp.insurance, Wad::from_i64(50_000));
    assert_eq!(perp.socialized, w("245704.676231110817586158"));
    // The shock reached the market by itself: no arbitrage key, and the market followed the
    // path down from block 6.
    assert!(run.records[5].market < w("2000"));
}

#[test]
fn gas_spike_runs_deeper_than_the_default() {
    let run = check(
        "gas_spike",
        &Headline {
            stop: Stop::Unprofitable,
            blocks: 151,
            equilibrium_block: 82,
            liquidations: 1904,
            equilibrium: "1594.775449831744406175",
            amplification: "1.35074850056085198",
            bad_debt: "1083657.603463781754260275",
            unrealised: "215770.945710149277363632",
            recovery: Some(69),
            venues: &[(1677, 933), (227, 205)],
        },
    );
    assert!(
        run.report.low_price < w("1556.509213589402636284"),
        "deeper than the default's low"
    );
    assert!(
        run.report.insolvency > w("1000000"),
        "about twice the default's insolvency"
    );
}

#[test]
fn stale_oracle_stops_stale() {
    let run = check(
        "stale_oracle",
        &Headline {
            stop: Stop::Stale,
            blocks: 89,
            equilibrium_block: 28,
            liquidations: 131,
            equilibrium: "1696.037107854260918762",
            amplification: "1.266512050607246172",
            bad_debt: "96379.16267226943551751",
            unrealised: "79406.628807614038649401",
            recovery: Some(61),
            venues: &[(0, 0), (131, 111)],
        },
    );
    let at = &run.records[27];
    assert_eq!(at.block, 28);
    assert!(
        at.venues[0].liquidatable > 0,
        "accounts stuck liquidatable on the venue whose feed is down"
    );
    assert_eq!(at.venues[0].refusal, Some(lce::oracle::Refusal::Stale));
}

#[test]
fn thin_liquidity_stops_unprofitable() {
    let run = check(
        "thin_liquidity",
        &Headline {
            stop: Stop::Unprofitable,
            blocks: 203,
            equilibrium_block: 191,
            liquidations: 837,
            equilibrium: "1774.191082228106766307",
            amplification: "1.129044588859466169",
            bad_debt: "101920.28151687164101588",
            unrealised: "38244.832889593892259987",
            recovery: Some(12),
            venues: &[(837, 186), (0, 0)],
        },
    );
    // The perp venue's fee never pays: its accounts are liquidatable and skipped.
    let at = &run.records[190];
    assert_eq!(at.block, 191);
    assert!(at.venues[1].liquidatable > 0 && at.venues[1].skipped_unprofitable > 0);
}

#[test]
fn contagion_reaches_the_venue_the_shock_did_not() {
    let run = check(
        "contagion",
        &Headline {
            stop: Stop::Exhausted,
            blocks: 155,
            equilibrium_block: 94,
            liquidations: 2567,
            equilibrium: "1758.332671865747670339",
            amplification: "2.013894401118769414",
            bad_debt: "847797.818561243610393906",
            unrealised: "0",
            recovery: Some(61),
            venues: &[(1536, 1095), (1031, 566)],
        },
    );
    // The fundamental never goes below 1,880; the conservative venue's accounts are all safe
    // there (liquidation prices at most 92 % of 2,000 = 1,840), yet 1,031 of them are
    // liquidated: the aggressive venue's sales took the market below 1,840.
    assert!(run.records.iter().all(|b| b.fundamental >= Wad::from_i64(1880)));
    assert!(run.report.low_price < Wad::from_i64(1840));
}

#[test]
fn whale_drags_the_small_accounts_down() {
    let run = check(
        "whale",
        &Headline {
            stop: Stop::Exhausted,
            blocks: 100,
            equilibrium_block: 39,
            liquidations: 72,
            equilibrium: "1646.33677108493139506",
            amplification: "1.473596787146119188",
            bad_debt: "362170.759237791286892168",
            unrealised: "0",
            recovery: Some(61),
            venues: &[(72, 41)],
        },
    );
    // Every one of the 41 accounts goes bankrupt; the whale dominates the collateral at risk.
    assert!(run.report.max_concentration > w("0.9"));
}

/// The default scenario's populations are drawn by loan-to-value: raising the lending venue's
/// liquidation threshold (its maintenance asset weight, with the initial weight 0.06 below it)
/// from 0.78 to 0.86 to 0.9 leaves every position as it was — the same collateral and debt at
/// the start — and changes only the rules: a higher threshold liquidates the same borrowers
/// later, so fewer of them.
#[test]
fn an_lt_sweep_over_an_ltv_population_changes_safety_not_debt() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/scenarios/default.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let base: Value = serde_json::from_str(&text).unwrap();
    let run_at = |lt: &str, init: &str| {
        let mut v = base.clone();
        v["venues"][0]["collateral"]["maint_asset_weight"] = Value::from(lt);
        v["venues"][0]["collateral"]["init_asset_weight"] = Value::from(init);
        v["max_blocks"] = Value::from(120);
        let Value::Object(map) = v else { panic!() };
        let scenario = read_scenario(&map).unwrap();
        let books: Vec<(Wad, Wad)> = scenario
            .venues
            .iter()
            .map(|venue| {
                let c = venue
                    .accounts
                    .iter()
                    .fold(Wad::ZERO, |a, b| a.add(b.collateral).unwrap());
                let d = venue.accounts.iter().fold(Wad::ZERO, |a, b| a.add(b.debt).unwrap());
                (c, d)
            })
            .collect();
        let run = scenario.run(None, &mut |_| {}).unwrap();
        (books, run.report)
    };
    let (books_78, low) = run_at("0.78", "0.72");
    let (books_86, mid) = run_at("0.86", "0.8");
    let (books_90, high) = run_at("0.9", "0.84");
    // The positions are the borrowers': identical under every threshold.
    assert_eq!(books_78, books_86);
    assert_eq!(books_86, books_90);
    assert_eq!(low.venues[0].ledger.debt_initial, high.venues[0].ledger.debt_initial);
    // The rules changed the outcome: a lower threshold liquidates earlier and more.
    assert!(
        low.liquidations > mid.liquidations,
        "{} vs {}",
        low.liquidations,
        mid.liquidations
    );
    assert!(
        mid.liquidations > high.liquidations,
        "{} vs {}",
        mid.liquidations,
        high.liquidations
    );
}

/// three_venues with the vault's exposure held by an AMM option pool (the writers' puts sold by
/// the pool, their collateral its LPs' capital): nobody is liquidated in the pool; it sells its
/// delta hedge into the shared market, and its shortfall goes down its own waterfall, premium
/// first, then insurance, then the LPs. Its books balance every block.
#[test]
fn amm_options_moves_the_loss_to_the_pool_lps() {
    let run = check(
        "amm_options",
        &Headline {
            stop: Stop::Unprofitable,
            blocks: 131,
            equilibrium_block: 61,
            liquidations: 919,
            equilibrium: "1660.529369394163093735",
            amplification: "1.357882522423347626",
            bad_debt: "511799.939277522652835234",
            // The perp venue's debt under water, 66,029.942046695101142132, and the pool's
            // deficit at the equilibrium, max(-E, 0).
            unrealised: "181862.392728408974615621",
            recovery: Some(70),
            venues: &[(808, 500), (111, 103), (0, 0)],
        },
    );
    let p = run.report.venues[2].option_pool.expect("the pool reports its line");
    assert_eq!(p.capital_start, w("3159.048"));
    assert_eq!(p.hedge_sold, w("3159.048"));
    assert_eq!(p.capital, Wad::ZERO);
    assert_eq!(p.cash, p.hedge_proceeds);
    assert_eq!(p.equity_start, w("5007637.334383208804423032"));
    assert_eq!(p.equity_low, w("-4178005.607253471144111209"));
    assert_eq!(p.equity_low_block, 30);
    // The pool's insolvency at the equilibrium is its deficit then, all of it unrealised.
    let pool = &run.report.venues[2];
    assert_eq!(pool.unrealised, p.equity.neg().unwrap());
    assert_eq!(pool.insolvency, pool.unrealised);
    assert_eq!(
        run.report.venues[1].unrealised.add(pool.unrealised).unwrap(),
        run.report.unrealised
    );
    assert_eq!(p.premium_absorbed, w("60000"));
    assert_eq!(p.insurance_absorbed, w("100000"));
    assert_eq!(p.uncovered, w("4018005.607253471144111209"));
    assert_eq!(
        p.premium_absorbed
            .add(p.insurance_absorbed)
            .unwrap()
            .add(p.uncovered)
            .unwrap(),
        p.shortfall
    );
    // Block by block: the books move only by the hedge's fills, and the equity is the formula.
    let mut held = p.capital_start;
    let mut cash = Wad::ZERO;
    for b in &run.records {
        let pb = b.venues[2].option_pool.expect("a pool line every block");
        held = held.sub(pb.hedge_sold).unwrap();
        cash = cash.add(pb.hedge_proceeds).unwrap();
        let q = b.venues[2].options.expect("a quote every block");
        let liability = p.sold.mul_ceil(q.mark).unwrap();
        let assets = held.mul_floor(q.spot).unwrap().add(cash).unwrap();
        assert_eq!(pb.equity, assets.sub(liability).unwrap());
        assert_eq!(pb.solvent, !pb.equity.is_negative());
    }
}

/// The seed's three-venue story: a lending market, a perp exchange and an options vault of
/// put writers on one stETH pool; a 12.5 % fall with the vault's vol tied to the price. The
/// vault's writers are bought back through the kernel's option liquidation, its bankruptcies
/// go down its waterfall with the premium buffer first, and every venue balances.
#[test]
fn three_venues_spreads_a_vol_spike_across_the_venues() {
    let run = check(
        "three_venues",
        &Headline {
            stop: Stop::Unprofitable,
            blocks: 148,
            equilibrium_block: 78,
            liquidations: 1632,
            equilibrium: "1636.957568352518748301",
            amplification: "1.452169726589925007",
            bad_debt: "1472644.743449899635271689",
            unrealised: "75419.179256639493928362",
            recovery: Some(70),
            venues: &[(1423, 0), (126, 110), (83, 49)],
        },
    );
    let vault = &run.report.venues[2];
    let options = vault.options.expect("the vault reports its options line");
    let ledger = &vault.ledger;
    // The premium buffer (60,000) is used up before the insurance fund pays anything.
    assert_eq!(ledger.waterfall.premium, w("60000"));
    assert!(ledger.waterfall.insurance.is_positive());
    assert_eq!(ledger.debt_repaid_liquidations, w("12146.931412211854522493"));
    // The vol rose with the fall (0.6 at 2,000, (2000/S)^4, capped at 2) and the marks with it.
    let (first, last) = (options.first.unwrap(), options.last.unwrap());
    assert_eq!(first.vol, w("0.6"));
    assert!(options.vol_high > w("1.9") && last.mark > first.mark);
    // Standard margin: nothing published.
    assert_eq!((options.margin_low, options.margin_high), (None, None));
    // Every block quotes the vault's series once, at the price the vault judged by.
    for b in &run.records {
        let q = b.venues[2].options.expect("a quote every block");
        assert_eq!(Some(q.spot), b.venues[2].oracle.or(Some(q.spot)));
    }
}

/// The same vault under standard and under dynamic margin (`dmm_static`, `dmm_dynamic`): with
/// dynamic margin the writers are bought back earlier and in smaller pieces, and the
/// equilibrium is shallower (1,654.05 against 1,618.11), less collateral is sold.
#[test]
fn dynamic_margin_makes_the_slow_fall_shallower() {
    let fixed = check(
        "dmm_static",
        &Headline {
            stop: Stop::Exhausted,
            blocks: 124,
            equilibrium_block: 68,
            liquidations: 153,
            equilibrium: "1618.110424686266129884",
            amplification: "1.272965251045779568",
            bad_debt: "0",
            unrealised: "0",
            recovery: Some(56),
            venues: &[(153, 0)],
        },
    );
    let dynamic = check(
        "dmm_dynamic",
        &Headline {
            stop: Stop::Exhausted,
            blocks: 115,
            equilibrium_block: 67,
            liquidations: 240,
            equilibrium: "1654.046280433940683808",
            amplification: "1.153179065220197721",
            bad_debt: "0",
            unrealised: "0",
            recovery: Some(48),
            venues: &[(240, 0)],
        },
    );
    assert!(dynamic.report.equilibrium_price > fixed.report.equilibrium_price);
    assert!(dynamic.report.liquidation_sold < fixed.report.liquidation_sold);
    let o = dynamic.report.venues[0].options.unwrap();
    // The governor starts at the floor (7.5 %, the standard rate) and never falls faster than
    // its max_decrease of 0.002 a block.
    assert_eq!(o.first.unwrap().dynamic, Some(w("0.075")));
    assert!(o.margin_largest_fall <= w("0.002"));
    assert!(o.margin_high.unwrap() > w("0.15"));
    let mut last = None;
    for b in &dynamic.records {
        let m = b.venues[0].options.unwrap().dynamic.unwrap();
        if let Some(p) = last {
            assert!(
                m >= lce::Wad::sub(p, w("0.002")).unwrap(),
                "block {}: {m} after {p}",
                b.block
            );
        }
        last = Some(m);
    }
}

/// An options venue's buy-back is the kernel's, as the independent model gives it: a writer of
/// 1 stETH short 8 puts (K 1,900, t 0.1, vol 0.5, fee 4 %, Deribit's rates) at 2,000 is bought
/// back whole at block 1 by a liquidator sizing `whole`. Expected figures:
/// `vectors/cascade/gen_options_buyback.py` (the option-liquidation model of
/// `vectors/options/gen_option_liquidation.py`, mpmath marks): size 2.553372598718789495
/// units, seize 0.10524993645889545 stETH, the mark 79.269168965381245237 (also
/// `options_cascade.jsonl`'s block-1 mark).
#[test]
fn an_options_venue_buys_back_as_the_kernel_model_says() {
    let text = r#"{
        "name": "one buy-back", "seed": 1, "max_blocks": 20, "volatility": "0",
        "path": {"kind": "constant", "price": "2000"},
        "gas": {"base": "0.000001"}, "block_gas": "1000",
        "market": {"model": "constant_product", "base": "1000000", "quote": "2000000000"},
        "venues": [{
            "name": "V", "kind": "options",
            "collateral": {"init_asset_weight": "0.85", "maint_asset_weight": "0.9", "init_liab_weight": "1", "maint_liab_weight": "1"},
            "series": {"kind": "put", "underlying": 0, "strike": "1900", "t": "0.1", "vol": "0.5", "liquidation_fee": "0.04",
                       "margin": {"im_base": "0.15", "im_floor": "0.1", "mm_base": "0.075", "mm_floor": "0.075"}},
            "oracle": {"deviation": "0", "heartbeat": 1, "latency": 0},
            "waterfall": {"premium_buffer": "10"},
            "accounts": [{"collateral": "1", "debt": "8"}]
        }],
        "liquidators": [{"name": "F", "capital": "1000000", "gas_per_liquidation": "1", "min_profit": "0",
                         "latency": 0, "risk_factor": "1", "sizing": "whole"}]
    }"#;
    let Value::Object(map) = serde_json::from_str::<Value>(text).unwrap() else {
        panic!("not an object")
    };
    let scenario = read_scenario(&map).unwrap();
    let run = scenario.run(None, &mut |_| {}).unwrap();
    let b1 = &run.records[0].venues[0];
    assert_eq!(b1.options.unwrap().mark, w("79.269168965381245237"));
    assert_eq!((b1.liquidations, b1.bad_debt), (1, Wad::ZERO));
    assert_eq!(b1.repaid, w("2.553372598718789495"));
    assert_eq!(b1.seized, w("0.10524993645889545"));
    // The liquidator sold what it received (no protocol share) into the pool.
    assert_eq!(run.records[0].liquidation_sold, w("0.10524993645889545"));
    let l = &run.report.venues[0].ledger;
    assert_eq!(l.liquidations, 1);
    assert_eq!(run.totals[0], (w("0.89475006354110455"), w("5.446627401281210505")));
    assert!(
        Conservation::check(l, run.totals[0].0, run.totals[0].1)
            .unwrap()
            .balanced()
    );
}

/// Every bundled scenario has a recorded digest and a test of its headline (each `check` also
/// checks the digest of its whole report).
#[test]
fn every_bundled_scenario_has_a_digest() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/scenarios");
    let mut bundled: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|f| f.ends_with(".json"))
        .collect();
    bundled.sort();
    let mut digested: Vec<String> = digests().into_iter().map(|(file, _)| file).collect();
    digested.sort();
    assert_eq!(bundled, digested);
}

/// `vectors/scenarios/reports.sha256`: `(file, sha256 of its lce run --json report)`.
fn digests() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/scenarios/reports.sha256");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let (hash, file) = line.split_once("  ").unwrap();
            (file.to_string(), hash.to_string())
        })
        .collect()
}
