//! Oracle prices: what a protocol reads, and the guards it applies before trusting it.

mod price;

pub use price::OraclePrice;
