//! Dynamic maintenance margin: volatility- and skew-adjusted margin, realised volatility
//! (EWMA), anti-procyclicality, and size tiers on top.
//!
//! The design's main defence against a cascade is margin that moves before the cascade
//! starts. The pieces compose in this order:
//!
//! 1. a volatility `σ`: implied from the options market, or realised from prices with
//!    [`ewma_vol`] (RiskMetrics' EWMA, `λ = 0.94`);
//! 2. [`DynamicMarginParams::margin`]: `clamp(base + k_vol·σ·√horizon + k_skew·skew, floor, cap)`,
//!    every product rounded up, and an initial margin a fixed `init_spread` above it;
//! 3. [`MarginGovernor`]: the published margin rises at once but falls at a bounded rate,
//!    never below a stressed look-back floor, with an optional buffer released in stress
//!    (the anti-procyclicality options of EMIR's RTS 153/2013 Art. 28);
//! 4. [`size_scaled_margin`]: Drift's size premium with that margin as the base.
//!
//! ```
//! use lce::margin::{DynamicMarginParams, DynamicMarginRaw};
//! use lce::Wad;
//!
//! let w = |s: &str| s.parse::<Wad>();
//! let params = DynamicMarginParams::new(DynamicMarginRaw {
//!     base: w("0.03")?,
//!     k_vol: w("0.5")?,
//!     k_skew: w("0.1")?,
//!     horizon: w("0.04")?, // √0.04 = 0.2: c = 0.5 · 0.2 = 0.1
//!     floor: w("0.02")?,
//!     cap: w("0.5")?,
//!     init_spread: w("0.02")?,
//! })?;
//! // σ = 80 %, skew = 5 vol points: 0.03 + 0.1·0.8 + 0.1·0.05 = 0.115.
//! let m = params.margin(w("0.8")?, w("0.05")?)?;
//! assert_eq!(m.maintenance, w("0.115")?);
//! assert_eq!(m.initial, w("0.135")?);
//! # Ok::<(), lce::Error>(())
//! ```

mod dynamic;
mod ewma;
mod governor;
mod size;

pub use dynamic::{Bound, DynamicMargin, DynamicMarginParams, DynamicMarginRaw};
pub use ewma::{Ewma, EwmaParams, EwmaParamsRaw, EwmaVol, RISKMETRICS_LAMBDA, abs_log_return, ewma_vol};
pub use governor::{GovernedMargin, GovernorParams, GovernorParamsRaw, MarginGovernor};
pub use size::{SizedMargin, size_scaled, size_scaled_margin};
#[cfg(feature = "eval")]
pub(crate) use {dynamic::DynamicMarginWire, ewma::EwmaParamsWire};

#[cfg(test)]
mod tests;
