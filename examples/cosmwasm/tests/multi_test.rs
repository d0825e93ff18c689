//! The contract in cw-multi-test's simulated chain: instantiate a two-token market, open an
//! account, query its health, plan and apply liquidations after price falls. Every figure is
//! worked by hand in the comments (weights 0.8 and 1.2, exact prices, no bonus), so that the
//! contract is checked against the arithmetic, not against lce itself.

use cosmwasm_std::{Addr, Empty};
use cw_multi_test::{App, Contract, ContractWrapper, Executor};
use lce::Wad;
use lce::account::{Account, HealthLevel, TokenParams, TokenParamsRaw};
use lce::liquidation::{Limit, LiquidationParams, TokenLiquidation, TokenOrder};
use lce::oracle::OraclePrice;
use lce_cosmwasm::{ExecuteMsg, HealthResponse, InstantiateMsg, QueryMsg};

fn w(s: &str) -> Wad {
    s.parse().unwrap()
}

fn contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        lce_cosmwasm::execute,
        lce_cosmwasm::instantiate,
        lce_cosmwasm::query,
    ))
}

/// Token 0 (collateral) and token 1 (the borrowed stablecoin): weights 0.8 and 1.2 at every
/// level, no bonus.
fn market(collateral_price: &str) -> InstantiateMsg {
    let p = TokenParams::new(TokenParamsRaw::new(w("0.8"), w("0.8"), w("1.2"), w("1.2"))).unwrap();
    InstantiateMsg {
        tokens: vec![p, p],
        prices: vec![
            OraclePrice::exact(w(collateral_price)).unwrap(),
            OraclePrice::exact(Wad::ONE).unwrap(),
        ],
        liquidation: LiquidationParams::default(),
    }
}

struct Chain {
    app: App,
    addr: Addr,
    admin: Addr,
    borrower: Addr,
}

fn chain() -> Chain {
    let mut app = App::default();
    let admin = app.api().addr_make("admin");
    let borrower = app.api().addr_make("borrower");
    let code = app.store_code(contract());
    let addr = app
        .instantiate_contract(code, admin.clone(), &market("1"), &[], "lce market", None)
        .unwrap();
    let mut account: Account = Account::new();
    account.set_token(0, w("10")).unwrap();
    account.set_token(1, w("-6")).unwrap();
    app.execute_contract(
        borrower.clone(),
        addr.clone(),
        &ExecuteMsg::SetAccount {
            account: Box::new(account),
        },
        &[],
    )
    .unwrap();
    Chain {
        app,
        addr,
        admin,
        borrower,
    }
}

fn health(c: &Chain, level: HealthLevel) -> HealthResponse {
    c.app
        .wrap()
        .query_wasm_smart(
            c.addr.clone(),
            &QueryMsg::Health {
                owner: c.borrower.to_string(),
                level,
            },
        )
        .unwrap()
}

const ORDER: TokenOrder = TokenOrder {
    liability: 1,
    collateral: 0,
    max_repay: None,
};

#[test]
fn health_is_the_kernels() {
    let c = chain();
    // 10·1·0.8 − 6·1·1.2 = 8 − 7.2 = 0.8.
    let h = health(&c, HealthLevel::Maintenance);
    assert_eq!((h.assets, h.liabilities, h.value), (w("8"), w("7.2"), w("0.8")));
    assert_eq!(h.factor, Some(w("1.111111111111111111")));
    assert!(!h.liquidatable);
}

fn set_prices(c: &mut Chain, collateral_price: &str) {
    let prices = vec![
        OraclePrice::exact(w(collateral_price)).unwrap(),
        OraclePrice::exact(Wad::ONE).unwrap(),
    ];
    c.app
        .execute_contract(c.admin.clone(), c.addr.clone(), &ExecuteMsg::SetPrices { prices }, &[])
        .unwrap();
}

fn plan(c: &Chain) -> TokenLiquidation {
    c.app
        .wrap()
        .query_wasm_smart(
            c.addr.clone(),
            &QueryMsg::PlanLiquidation {
                owner: c.borrower.to_string(),
                order: ORDER,
            },
        )
        .unwrap()
}

/// Liquidates the borrower's account; the `repay` and `seize` attributes, or the error.
fn liquidate(c: &mut Chain) -> Result<(String, String), String> {
    let liquidator = c.app.api().addr_make("liquidator");
    let res = c
        .app
        .execute_contract(
            liquidator,
            c.addr.clone(),
            &ExecuteMsg::Liquidate {
                owner: c.borrower.to_string(),
                order: ORDER,
            },
            &[],
        )
        .map_err(|e| format!("{e:?}"))?;
    let attr = |key: &str| {
        res.events
            .iter()
            .flat_map(|e| e.attributes.iter())
            .find(|a| a.key == key)
            .map(|a| a.value.clone())
            .unwrap()
    };
    Ok((attr("repay"), attr("seize")))
}

#[test]
fn only_the_admin_sets_prices_and_a_healthy_account_is_not_liquidated() {
    let mut c = chain();
    let prices = vec![
        OraclePrice::exact(w("0.9")).unwrap(),
        OraclePrice::exact(Wad::ONE).unwrap(),
    ];
    let err = c
        .app
        .execute_contract(
            c.borrower.clone(),
            c.addr.clone(),
            &ExecuteMsg::SetPrices { prices },
            &[],
        )
        .unwrap_err();
    assert!(format!("{err:?}").contains("only the admin sets prices"), "{err:?}");
    // At 0.9: 10·0.9·0.8 − 7.2 = 0, not negative: not liquidatable, and the plan is empty.
    set_prices(&mut c, "0.9");
    let h = health(&c, HealthLevel::Maintenance);
    assert_eq!((h.value, h.liquidatable), (Wad::ZERO, false));
    let p = plan(&c);
    assert_eq!(
        (p.repay, p.seize, p.outcome.limit),
        (Wad::ZERO, Wad::ZERO, Limit::Healthy)
    );
    let err = liquidate(&mut c).unwrap_err();
    assert!(err.contains("the account is not liquidatable"), "{err}");
}

#[test]
fn a_liquidation_restores_the_target_health_exactly() {
    let mut c = chain();
    // At 0.8: 10·0.8·0.8 − 6·1.2 = 6.4 − 7.2 = −0.8. Repaying r seizes r/0.8 = 1.25r (no
    // bonus): (10 − 1.25r)·0.64 − (6 − r)·1.2 = −0.8 + 0.4r, zero at r = 2 exactly, seize 2.5.
    // One unit less (r = 2 − 1e-18) seizes ⌊2.4999…99875⌋ = 2.499999999999999998 and leaves
    // −2e-18 after the roundings: 2 is the boundary on the grid.
    set_prices(&mut c, "0.8");
    let h = health(&c, HealthLevel::Maintenance);
    assert_eq!((h.value, h.liquidatable), (w("-0.8"), true));
    let p = plan(&c);
    assert_eq!((p.repay, p.repay_value, p.seize), (w("2"), w("2"), w("2.5")));
    assert_eq!(
        (p.bonus, p.protocol_fee, p.outcome.limit),
        (Wad::ZERO, Wad::ZERO, Limit::Target)
    );
    assert_eq!(
        (p.outcome.health_after.assets, p.outcome.health_after.liabilities),
        (w("4.8"), w("4.8"))
    );
    assert_eq!(liquidate(&mut c), Ok(("2".to_string(), "2.5".to_string())));
    // The account now holds 7.5 and owes 4: 7.5·0.8·0.8 = 4.8 against 4·1.2 = 4.8.
    let after = health(&c, HealthLevel::Maintenance);
    assert_eq!(
        (after.assets, after.liabilities, after.value),
        (w("4.8"), w("4.8"), Wad::ZERO)
    );
    assert!(!after.liquidatable);
}

#[test]
fn a_deep_fall_is_capped_by_the_collateral() {
    let mut c = chain();
    // At 0.5: 10·0.5·0.8 − 7.2 = −3.2, and repaying r seizes 2r: the target (−3.2 + 0.4r)
    // would need r = 8, above the debt (6); the deposit pays at most r = 5 (seize 10).
    set_prices(&mut c, "0.5");
    assert_eq!(health(&c, HealthLevel::Maintenance).value, w("-3.2"));
    let p = plan(&c);
    assert_eq!(
        (p.repay, p.seize, p.outcome.limit),
        (w("5"), w("10"), Limit::Collateral)
    );
    assert_eq!(liquidate(&mut c), Ok(("5".to_string(), "10".to_string())));
    // Nothing left to seize, 1 still owed: 0 − 1·1.2.
    let after = health(&c, HealthLevel::Maintenance);
    assert_eq!(
        (after.assets, after.liabilities, after.value),
        (Wad::ZERO, w("1.2"), w("-1.2"))
    );
    assert!(after.liquidatable);
    // A second liquidation has no collateral to take: lce's error reaches the caller.
    let err = liquidate(&mut c).unwrap_err();
    assert!(err.contains("the account has no deposit in that token"), "{err}");
}

#[test]
fn kernel_errors_reach_the_caller_with_their_why() {
    let mut app = App::default();
    let admin = app.api().addr_make("admin");
    let code = app.store_code(contract());
    let mut bad = market("1");
    bad.prices.pop();
    let err = app
        .instantiate_contract(code, admin, &bad, &[], "lce market", None)
        .unwrap_err();
    assert!(
        format!("{err:?}").contains("token_prices: must hold one price per token"),
        "{err:?}"
    );
}
