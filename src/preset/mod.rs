//! Protocol presets: named, validated rule sets that reproduce a protocol's own liquidation —
//! its health measure, who sizes the liquidation, its caps, its fees, its bad-debt booking and
//! its roundings — where the general rule of [`liquidation`](crate::liquidation) is an
//! approximation.
//!
//! - [`aave`]: Aave v3.3 (`aave-dao/aave-v3-origin` v3.3.0), in native units with
//!   `PercentageMath`'s half-up roundings: health factor, close factor 50 % / 100 % at or below
//!   HF 0.95, the two base thresholds, bonus and protocol fee per collateral, eMode, deficit.
//! - [`compound`]: Compound III (Comet): `isLiquidatable`, `absorb` (the protocol takes the
//!   whole account at the liquidation factors, the reserves absorb the loss), `buyCollateral` at
//!   the store-front discount.
//! - [`morpho`]: Morpho Blue: LLTV, the liquidation incentive factor
//!   `min(1.15, 1/(0.3·LLTV + 0.7))`, shares with virtual offsets, bad debt realised and
//!   socialised when the collateral is gone.
//!
//! - [`marginfi`]: marginfi v2 on `I80F48` bits.
//! - [`mango`]: Mango v4's `token_liq_with_token` on `I80F48` bits: both banks' fees, the
//!   liquidation-end (init-weight) target, the stable price of init health.
//! - [`drift`]: Drift v2's `liquidate_perp` on its 1e6/1e9/1e4 integers: the margin shortage
//!   to maintenance plus the liquidation buffer, the liquidator's and the insurance fund's
//!   fees, the size-scaled IMF margin ratio.
//!
//! Each preset's constants, rules and roundings, with their sources, are in
//! `vectors/README.md` §10.

pub mod aave;
pub mod compound;
pub mod drift;
pub(crate) mod i80f48;
pub(crate) mod int;
pub mod mango;
pub mod marginfi;
pub mod morpho;

/// The protocols with a preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Protocol {
    /// Aave v3.3 ([`aave`]).
    AaveV33,
    /// Compound III (Comet) ([`compound`]).
    CompoundV3,
    /// Morpho Blue ([`morpho`]).
    MorphoBlue,
    /// Mango v4 ([`mango`]).
    MangoV4,
    /// Drift v2 ([`drift`]).
    DriftV2,
    /// marginfi v2 ([`marginfi`]).
    MarginfiV2,
}

impl Protocol {
    /// Every protocol, in the order of its name on the wire.
    pub const ALL: [Self; 6] = [
        Self::AaveV33,
        Self::CompoundV3,
        Self::MorphoBlue,
        Self::MangoV4,
        Self::DriftV2,
        Self::MarginfiV2,
    ];

    /// The name on the wire (`"aave_v3.3"`, `"compound_v3"`, `"morpho_blue"`, `"mango_v4"`,
    /// `"drift_v2"`, `"marginfi_v2"`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::AaveV33 => "aave_v3.3",
            Self::CompoundV3 => "compound_v3",
            Self::MorphoBlue => "morpho_blue",
            Self::MangoV4 => "mango_v4",
            Self::DriftV2 => "drift_v2",
            Self::MarginfiV2 => "marginfi_v2",
        }
    }
}
