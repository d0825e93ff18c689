//! The liquidation function: how much to repay to restore health, the close factor, the
//! bonus and the protocol's share, toxicity, and bankruptcy with its loss waterfall.
//!
//! A liquidation is sized by the kernel, not guessed by the liquidator: the repay that brings
//! the account's health at the target level back to zero with nothing to spare on the 1e-18
//! grid (met at the repay, not at one unit less), from a closed form settled by a specified
//! search, capped by the debt, the collateral, the close factor and the liquidator's offer.
//! Every amount paid out rounds down and every amount owed rounds up, so that what the account
//! loses is what the liquidator, the protocol and the waterfall receive, to the last 1e-18.
//!
//! ```
//! use lce::account::{Account, Context, TokenParams, TokenParamsRaw};
//! use lce::liquidation::{plan_token_liquidation, LiquidationParams, TokenOrder, Limit};
//! use lce::oracle::OraclePrice;
//! use lce::Wad;
//!
//! let w = |s: &str| s.parse::<Wad>();
//! // Weights 0.8 (deposit) / 1.2 (borrow) at every level, no bonus.
//! let p = TokenParams::new(TokenParamsRaw::new(w("0.8")?, w("0.8")?, w("1.2")?, w("1.2")?))?;
//! let tokens = [p, p];
//! let prices = [OraclePrice::exact(Wad::ONE)?, OraclePrice::exact(Wad::ONE)?];
//! let ctx = Context::tokens(&tokens, &prices)?;
//! let mut account: Account = Account::new();
//! account.set_token(0, w("10")?)?;
//! account.set_token(1, w("-9")?)?;
//! // Health 10·0.8 − 9·1.2 = −2.8. Repaying r (and seizing r) gives
//! // (10 − r)·0.8 − (9 − r)·1.2 = −2.8 + 0.4·r, which is zero at r = 7.
//! let order = TokenOrder { liability: 1, collateral: 0, max_repay: None };
//! let plan = plan_token_liquidation(&account, &ctx, &LiquidationParams::default(), order)?;
//! assert_eq!(plan.repay, w("7")?);
//! assert_eq!(plan.seize, w("7")?);
//! assert_eq!(plan.outcome.limit, Limit::Target);
//! # Ok::<(), lce::Error>(())
//! ```

mod bracket;
mod option;
mod outcome;
mod perp;
mod policy;
mod search;
mod token;
mod waterfall;

pub use option::{OptionLiquidation, OptionOrder, OptionSide, liquidate_option, plan_option_liquidation};
pub use outcome::Outcome;
pub use perp::{PerpLiquidation, PerpOrder, liquidate_perp, plan_perp_liquidation};
#[cfg(feature = "eval")]
pub(crate) use policy::CloseFactorWire;
pub(crate) use policy::tightest;
pub use policy::{CloseFactor, CloseFactorRaw, Limit, LiquidationParams, Mode};
pub(crate) use search::boundary as first_true;
pub use token::{
    Seize, TokenLiquidation, TokenOrder, liquidate_token, plan_token_liquidation, plan_token_liquidation_searched,
    toxic_with_impact,
};
pub use waterfall::{Waterfall, WaterfallRaw, WaterfallReport, bad_debt, is_bankrupt, settle_bankruptcy};

#[cfg(test)]
mod tests;
