//! The liquidator's decision: whether a liquidation pays after slippage, gas and execution
//! risk, and the size that pays best.
//!
//! This is the *liquidator's dilemma* of the cascade: a liquidation is profitable only while
//! selling the seized collateral into a market of finite depth still recovers more than the
//! debt repaid, the gas and the risk of the price moving before the sale lands. When no size
//! pays, liquidators pause, and a cascade can stop with accounts still liquidatable.

mod decision;
mod profile;
mod reference;

pub use decision::{
    Ceiling, Decision, Opportunity, Reason, Sizer, Verdict, decide, decide_whole, profit_ceiling, stop_price,
};
pub use profile::{Environment, EnvironmentRaw, Profile, ProfileRaw};
#[doc(hidden)]
pub use reference::{decide_reference, profit_ceiling_reference};
#[cfg(feature = "eval")]
pub(crate) use {decision::OpportunityWire, profile::ProfileWire};

#[cfg(test)]
mod tests;
