//! A CosmWasm contract over lce: the health of each account of a token market and its token
//! liquidations, computed by lce's kernel on chain.
//!
//! - **instantiate** with the market: every token's risk parameters (lce's `TokenParams` wire
//!   form), its oracle price and the liquidation parameters (close factor, target level). The
//!   sender becomes the market's admin, who alone may update prices.
//! - **execute** `set_prices` (admin), `set_account` (the sender's own positions; a real market
//!   would derive them from deposits and borrows), `liquidate` (anyone: plans and applies a
//!   token liquidation of an account that is liquidatable, and records what moved).
//! - **query** `health` (assets, liabilities, value, factor, liquidatable) and
//!   `plan_liquidation` (the plan lce's kernel would apply, without applying it).
//!
//! It is an example of the kernel in a contract, not a lending market: no funds move (a market
//! would take `repay` from the liquidator and send it `seize − protocol_fee` with bank
//! messages), and accounts are set by their owners instead of following deposits and borrows.
//!
//! Every number on the wire is lce's exact decimal string (`"0.05"`); every result is the
//! kernel's to the last 1e-18, the same as `lce eval` computes off chain. The context has no
//! option series, so health takes the token-only path and option pricing is not linked.

use cosmwasm_std::{
    Binary, Deps, DepsMut, Env, MessageInfo, Response, StdError, StdResult, Storage, entry_point, to_json_binary,
    to_json_vec,
};
use lce::Wad;
use lce::account::{Account, Context, HealthLevel, TokenParams, health};
use lce::liquidation::{LiquidationParams, TokenLiquidation, TokenOrder, liquidate_token, plan_token_liquidation};
use lce::oracle::OraclePrice;
use serde::{Deserialize, Serialize};

/// The market: what `instantiate` receives and the contract keeps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstantiateMsg {
    /// Every token's risk parameters, indexed as the accounts' positions refer to them.
    pub tokens: Vec<TokenParams>,
    /// Every token's oracle price, one per token.
    pub prices: Vec<OraclePrice>,
    /// The close factor and the health level a liquidation restores (lce's defaults when absent).
    #[serde(default)]
    pub liquidation: LiquidationParams,
}

/// What changes state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ExecuteMsg {
    /// New oracle prices, one per token (the admin only).
    SetPrices {
        /// The prices.
        prices: Vec<OraclePrice>,
    },
    /// The sender's positions.
    SetAccount {
        /// The account, in lce's wire form (boxed: 16 positions are most of a message's size).
        account: Box<Account>,
    },
    /// Liquidates `owner`'s borrow of `order.liability` against its deposit of
    /// `order.collateral`, as lce plans it.
    Liquidate {
        /// The account's owner.
        owner: String,
        /// Which borrow, which deposit, and at most how much to repay.
        order: TokenOrder,
    },
}

/// What is read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum QueryMsg {
    /// The health of `owner`'s account at `level`: a [`HealthResponse`].
    Health {
        /// The account's owner.
        owner: String,
        /// Initial, maintenance or liquidation-end.
        level: HealthLevel,
    },
    /// The liquidation lce would apply now: a `TokenLiquidation`.
    PlanLiquidation {
        /// The account's owner.
        owner: String,
        /// Which borrow, which deposit, and at most how much to repay.
        order: TokenOrder,
    },
}

/// The answer to [`QueryMsg::Health`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HealthResponse {
    /// Σ weighted assets, each rounded down.
    pub assets: Wad,
    /// Σ weighted liabilities, each rounded up.
    pub liabilities: Wad,
    /// `assets − liabilities`.
    pub value: Wad,
    /// `assets / liabilities` rounded down; absent without liabilities.
    pub factor: Option<Wad>,
    /// Whether the maintenance health is negative.
    pub liquidatable: bool,
}

/// What the contract keeps besides the accounts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Market {
    admin: String,
    tokens: Vec<TokenParams>,
    prices: Vec<OraclePrice>,
    liquidation: LiquidationParams,
}

const MARKET: &[u8] = b"market";

fn account_key(owner: &str) -> Vec<u8> {
    [b"account/".as_slice(), owner.as_bytes()].concat()
}

/// An lce error as the contract's error: `lce: invalid input: WHAT: WHY` and the like.
fn kernel(e: lce::Error) -> StdError {
    StdError::msg(format!("lce: {e}"))
}

fn load_market(storage: &dyn Storage) -> StdResult<Market> {
    let bytes = storage
        .get(MARKET)
        .ok_or_else(|| StdError::msg("the market is not instantiated"))?;
    cosmwasm_std::from_json(bytes)
}

fn load_account(storage: &dyn Storage, owner: &str) -> StdResult<Account> {
    let bytes = storage
        .get(&account_key(owner))
        .ok_or_else(|| StdError::msg(format!("no account for {owner}")))?;
    cosmwasm_std::from_json(bytes)
}

fn save_account(storage: &mut dyn Storage, owner: &str, account: &Account) -> StdResult<()> {
    storage.set(&account_key(owner), &to_json_vec(account)?);
    Ok(())
}

/// Checks that the market's prices match its tokens (lce's own check, its error on failure).
fn check(market: &Market) -> StdResult<()> {
    Context::tokens(&market.tokens, &market.prices).map_err(kernel)?;
    Ok(())
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(deps: DepsMut, _env: Env, info: MessageInfo, msg: InstantiateMsg) -> StdResult<Response> {
    let market = Market {
        admin: info.sender.to_string(),
        tokens: msg.tokens,
        prices: msg.prices,
        liquidation: msg.liquidation,
    };
    check(&market)?;
    deps.storage.set(MARKET, &to_json_vec(&market)?);
    Ok(Response::new().add_attribute("action", "instantiate"))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(deps: DepsMut, _env: Env, info: MessageInfo, msg: ExecuteMsg) -> StdResult<Response> {
    match msg {
        ExecuteMsg::SetPrices { prices } => {
            let mut market = load_market(deps.storage)?;
            if info.sender.as_str() != market.admin {
                return Err(StdError::msg("only the admin sets prices"));
            }
            market.prices = prices;
            check(&market)?;
            deps.storage.set(MARKET, &to_json_vec(&market)?);
            Ok(Response::new().add_attribute("action", "set_prices"))
        }
        ExecuteMsg::SetAccount { account } => {
            save_account(deps.storage, info.sender.as_str(), &account)?;
            Ok(Response::new().add_attribute("action", "set_account"))
        }
        ExecuteMsg::Liquidate { owner, order } => {
            let owner = deps.api.addr_validate(&owner)?.to_string();
            let market = load_market(deps.storage)?;
            let mut account = load_account(deps.storage, &owner)?;
            let ctx = Context::tokens(&market.tokens, &market.prices).map_err(kernel)?;
            let done: TokenLiquidation =
                liquidate_token(&mut account, &ctx, &market.liquidation, order).map_err(kernel)?;
            if done.repay.is_zero() {
                return Err(StdError::msg("the account is not liquidatable"));
            }
            save_account(deps.storage, &owner, &account)?;
            Ok(Response::new()
                .add_attribute("action", "liquidate")
                .add_attribute("owner", owner)
                .add_attribute("liquidator", info.sender.as_str())
                .add_attribute("repay", done.repay.to_string())
                .add_attribute("seize", done.seize.to_string())
                .add_attribute("protocol_fee", done.protocol_fee.to_string()))
        }
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> StdResult<Binary> {
    let market = load_market(deps.storage)?;
    let ctx = Context::tokens(&market.tokens, &market.prices).map_err(kernel)?;
    match msg {
        QueryMsg::Health { owner, level } => {
            let account = load_account(deps.storage, &owner)?;
            let h = health(&account, &ctx, level).map_err(kernel)?;
            let maintenance = health(&account, &ctx, HealthLevel::Maintenance).map_err(kernel)?;
            to_json_binary(&HealthResponse {
                assets: h.assets,
                liabilities: h.liabilities,
                value: h.value().map_err(kernel)?,
                factor: h.factor().map_err(kernel)?,
                liquidatable: maintenance.value().map_err(kernel)?.is_negative(),
            })
        }
        QueryMsg::PlanLiquidation { owner, order } => {
            let account = load_account(deps.storage, &owner)?;
            to_json_binary(&plan_token_liquidation(&account, &ctx, &market.liquidation, order).map_err(kernel)?)
        }
    }
}
