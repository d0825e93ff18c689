//! Accounts and health: positions, the risk parameters of tokens, perp markets and option
//! series, health at the initial, maintenance and liquidation-end levels, and the liquidation
//! price.
//!
//! Health is the weighted value of an account's assets less the weighted value of its
//! liabilities (the convention of Mango v4 and marginfi v2; see [`TokenParams`] for how Aave
//! v3 and Compound v3 map onto it). Every term rounds against the account: assets down,
//! liabilities up, and assets are valued at the bottom of the oracle's confidence interval,
//! liabilities at its top ([`OraclePrice`](crate::oracle::OraclePrice)).
//!
//! ```
//! use lce::account::{health, Account, Context, HealthLevel, TokenParams, TokenParamsRaw};
//! use lce::oracle::OraclePrice;
//! use lce::Wad;
//!
//! let w = |s: &str| s.parse::<Wad>();
//! // Token 0: collateral weights 0.8 (maint) / 0.7 (init); token 1: liability weight 1.2 / 1.3.
//! let tokens = [
//!     TokenParams::new(TokenParamsRaw::new(w("0.7")?, w("0.8")?, w("1.3")?, w("1.2")?))?,
//!     TokenParams::new(TokenParamsRaw::new(w("0.7")?, w("0.8")?, w("1.3")?, w("1.2")?))?,
//! ];
//! let prices = [OraclePrice::exact(w("1")?)?, OraclePrice::exact(w("1")?)?];
//! let ctx = Context::tokens(&tokens, &prices)?;
//! let mut account: Account = Account::new();
//! account.set_token(0, w("10")?)?; // deposit 10
//! account.set_token(1, w("-7")?)?; // borrow 7
//! // 10·0.8 − 7·1.2 = 8 − 8.4 = −0.4: liquidatable.
//! let h = health(&account, &ctx, HealthLevel::Maintenance)?;
//! assert_eq!(h.value()?, w("-0.4")?);
//! # Ok::<(), lce::Error>(())
//! ```

mod context;
mod health;
mod option;
mod params;
mod position;

pub use context::{Context, NoOptions, OptionContext, OptionPricing, PricedOptions};
pub use health::{
    Health, HealthLevel, LiquidationPrice, PriceOf, health, health_without, is_liquidatable, liquidation_price,
    perp_contribution, position_contribution, token_contribution,
};
pub(crate) use health::{TokenValue, crossing, times};
pub use option::{OptionMark, OptionParams, OptionParamsRaw, option_contribution, option_owed};
pub(crate) use params::size_scaled_liability_weight;
pub use params::{PerpParams, PerpParamsRaw, TokenParams, TokenParamsRaw, Weights};
pub use position::{Account, DEFAULT_POSITIONS, Position};
#[cfg(feature = "eval")]
pub(crate) use {
    option::{OptionMarkWire, OptionParamsWire},
    params::{PerpParamsWire, TokenParamsWire},
};

#[cfg(test)]
mod tests;
