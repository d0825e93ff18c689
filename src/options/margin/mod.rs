//! Margin for short options: the exchange-standard formula ([`StandardMarginParams`],
//! Deribit's shape) and a scenario grid ([`GridParams`], CME SPAN's 16 scenarios).
//!
//! ```
//! use lce::options::{
//!     BsInputs, BsInputsRaw, GridMarket, GridParams, GridPosition, GridRaw, OptionKind, OptionPosition,
//!     StandardMarginParams,
//! };
//! use lce::Wad;
//! let w = |s: &str| s.parse::<Wad>().unwrap();
//! // Deribit: a short call struck 10 % out of the money, mark 1500, 2 contracts:
//! // IM = 2·(max(0.15·50000 − 5000, 0.10·50000) + 1500) = 2·6500.
//! let i = BsInputs::new(BsInputsRaw { spot: w("50000"), strike: w("55000"), vol: w("0.8"), t: w("0.25"), ..BsInputsRaw::default() })?;
//! let m = StandardMarginParams::default().margin(OptionKind::Call, &i, w("2"), Some(w("1500")))?;
//! assert_eq!((m.initial, m.maintenance), (w("13000"), w("10500")));
//!
//! // SPAN's 16 scenarios for the same short call.
//! let grid = GridParams::new(GridRaw {
//!     price_scan: w("0.15"), vol_scan: w("0.25"), steps: 3, extreme_multiple: 3,
//!     extreme_fraction: w("0.35"), horizon: w("0"), short_minimum: w("100"),
//! })?;
//! let market = GridMarket { spot: w("50000"), vol: w("0.8"), rate: w("0"), yield_: w("0") };
//! let short = OptionPosition { kind: OptionKind::Call, strike: w("55000"), t: w("0.25"), quantity: w("-2") };
//! let g = grid.margin(&market, &[GridPosition { position: short, mark: None }])?;
//! assert_eq!(g.scenarios.len(), 16);
//! assert_eq!(g.worst, 10); // up a whole range, volatility up
//! assert!(g.requirement >= w("200"));
//! # Ok::<(), lce::Error>(())
//! ```

mod grid;
mod standard;

#[cfg(feature = "eval")]
pub(crate) use grid::GridWire;
pub use grid::{
    GridMargin, GridMarket, GridParams, GridPosition, GridRaw, MAX_GRID_POSITIONS, MAX_GRID_SCENARIOS, MAX_GRID_STEPS,
};
pub use standard::{StandardMargin, StandardMarginParams, StandardMarginRaw};

#[cfg(test)]
mod tests;
