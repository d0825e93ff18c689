//! The cascade engine on cases worked by hand, against the equilibrium solver, and against the
//! closed forms of the instantaneous model.

use crate::common::cascade::*;
use lce::Wad;
use lce::cascade::{BlockRecord, Borrower, Cascade, Sizing, Slot, Stop, Venue};
use lce::market::LinearImpact;

#[test]
fn three_perp_longs_traced_by_hand() {
    // Linear market: anchor 100, λ = 0.05 per unit, 60 units already sold: price 97.
    // Longs of 10 with liquidation prices 97.5 (A), 96.8 (B), 96 (C): debts 926.25, 919.6, 912.
    let mut market = LinearImpact::with_sold(w("100"), w("0.05"), w("60")).unwrap();
    let mut accounts = [long("10", "97.5"), long("10", "96.8"), long("10", "96")];
    assert_eq!(accounts[1].debt, w("919.6"));
    let mut scratch = [Slot::default(); 3];
    let mut venues = [Venue::<64>::new(perp_venue("0.01", close_out()), &mut accounts, &mut scratch).unwrap()];
    let mut liquidators = [free_liquidator(Sizing::Whole)];
    let mut cascade = Cascade::new(instant_settings(w("100")), &mut market, &mut venues, &mut liquidators).unwrap();

    // Block 1, oracle 97: only A (97.5 ≥ 97). Take-over of 10 at 97 · 0.99 = 96.03: the account
    // receives 960.3 (quote −926.25 → +34.05). The liquidator sells 10 from Q = 60:
    // proceeds = 10 · (100 − 0.05 · (120 + 10)/2) = 10 · 96.75 = 967.5; profit 7.2;
    // the price falls to 100 − 0.05 · 70 = 96.5.
    let (b1, stop) = cascade.step().unwrap();
    assert_eq!(stop, None);
    assert_block(&b1, "97", 1, "960.3", "10", "967.5", "96.5");
    assert_eq!(b1.liquidator_profit, w("7.2"));

    // Block 2, oracle 96.5: B (96.8). 10 at 96.5 · 0.99 = 95.535: 955.35. Sale from Q = 70:
    // 10 · (100 − 0.05 · 150/2) = 962.5; profit 7.15; price 100 − 0.05 · 80 = 96.
    let (b2, stop) = cascade.step().unwrap();
    assert_eq!(stop, None);
    assert_block(&b2, "96.5", 1, "955.35", "10", "962.5", "96");
    assert_eq!(b2.liquidator_profit, w("7.15"));

    // Block 3, oracle 96: C sits exactly at its liquidation price, health 0, not below: nothing
    // moves, and with nothing liquidatable the cascade is exhausted at 96.
    let (b3, stop) = cascade.step().unwrap();
    assert_block(&b3, "96", 0, "0", "0", "0", "96");
    assert_eq!(b3.venues[0].liquidatable, 0);
    assert_eq!(stop, Some(Stop::Exhausted));
    drop(cascade);
    assert_eq!(
        accounts[0],
        Borrower {
            collateral: Wad::ZERO,
            debt: w("-34.05"),
            ..accounts[0]
        }
    );
    assert_eq!(accounts[1].debt, w("-35.75"));
    assert_eq!(accounts[2].collateral, w("10"));
}

fn assert_block(r: &BlockRecord, oracle: &str, n: u32, repaid: &str, sold: &str, proceeds: &str, market: &str) {
    let v = &r.venues[0];
    assert_eq!(v.oracle, Some(w(oracle)), "oracle at block {}", r.block);
    assert_eq!(v.liquidations, n, "liquidations at block {}", r.block);
    assert_eq!(v.repaid, w(repaid), "repaid at block {}", r.block);
    assert_eq!(r.liquidation_sold, w(sold), "sold at block {}", r.block);
    assert_eq!(r.liquidation_proceeds, w(proceeds), "proceeds at block {}", r.block);
    assert_eq!(r.market, w(market), "market at block {}", r.block);
}

#[test]
fn linear_impact_with_evenly_spread_liquidation_prices_matches_the_closed_form() {
    // P0 = 100, shock s = 5 % (5,000 units already sold at λ = 0.001), longs of q = 1 with
    // liquidation prices 99.99, 99.98, … (δ = 0.01): k = q/δ = 100 units per unit of price,
    // λk = 0.1 < 1, so the continuous cascade drops s·P0/(1 − λk) = 5/0.9 = 5.5556 in all.
    // On the grid: n accounts go once 100 − 0.01·i > 95 − 0.001·n for every i ≤ n, i.e.
    // n = ⌊500 + 0.1·n⌋ − (a strict inequality at 555.5) = 555, and p* = 95 − 0.555 = 94.445,
    // within λq = 0.001 of the closed form 100 − 5.5556 = 94.4444.
    let accounts = ladder(2000, "1", "99.99", "0.01");
    let market = LinearImpact::with_sold(w("100"), w("0.001"), w("5000")).unwrap();
    let venue = perp_venue("0.04", close_out());
    let (eq, after_s, market_s) = run_solver(venue, accounts.clone(), market);
    assert_eq!(eq.stop, Stop::Exhausted);
    assert_eq!(eq.liquidations, 555);
    assert_eq!(eq.price, w("94.445"));
    let closed = w("100").sub(w("5").div_floor(w("0.9")).unwrap()).unwrap();
    assert!(eq.price.sub(closed).unwrap().abs().unwrap() <= w("0.001"));
    // The block engine agrees to the bit, one block per round.
    let (report, after_e, market_e) = run_engine(venue, accounts, market, Sizing::Whole);
    assert_eq!(report.stop, Stop::Exhausted);
    assert_eq!(report.equilibrium_price, eq.price);
    assert_eq!(report.liquidations, eq.liquidations);
    assert_eq!(report.blocks, eq.rounds);
    assert_eq!(report.liquidation_sold, eq.sold);
    assert_eq!(report.liquidation_proceeds, eq.proceeds);
    assert_eq!(positions(&after_e), positions(&after_s));
    assert_eq!(market_e, market_s);
}

#[test]
fn linear_impact_runs_away_when_lambda_k_reaches_one() {
    // λ = 0.01, q = 1, δ = 0.01: λk = 1. A shock of 0.1 (10 units sold, price 99.9) triggers
    // the 9 longs above 99.9 (99.99 … 99.91; the one at 99.9 has health exactly 0 and waits);
    // with n sold the price is 99.9 − 0.01·n and the longs above it are the first n + 9, so
    // each round adds 9: 9, 18, …, 999 in 111 rounds, the last one in round 112, and round 113
    // is quiet. Every one of the 1,000 accounts goes; the price ends at 100 − 0.01·1010 = 89.9.
    let accounts = ladder(1000, "1", "99.99", "0.01");
    let market = LinearImpact::with_sold(w("100"), w("0.01"), w("10")).unwrap();
    let venue = perp_venue("0.04", close_out());
    let (eq, _, _) = run_solver(venue, accounts.clone(), market);
    assert_eq!(eq.liquidations, 1000);
    assert_eq!(eq.stop, Stop::Exhausted);
    assert_eq!(eq.price, w("89.9"));
    assert_eq!(eq.rounds, 113);
    let (report, _, _) = run_engine(venue, accounts, market, Sizing::Whole);
    assert_eq!(
        (report.equilibrium_price, report.liquidations, report.blocks),
        (eq.price, 1000, 113)
    );
}
