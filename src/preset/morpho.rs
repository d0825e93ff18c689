//! Morpho Blue.

use crate::Wad;

/// `MAX_LIQUIDATION_INCENTIVE_FACTOR`: 1.15.
pub const MAX_LIF: Wad = crate::wad!("1.15");
