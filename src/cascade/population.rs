//! Seeded populations of accounts: heavy-tailed sizes, leverage (loan-to-value or liquidation
//! price) spread over a band, and a heavy top 1 % of whales.

use crate::rng::Rng;
use crate::{Error, Result, Rounding, Wad};

use super::borrower::Borrower;
use super::venue::VenueKind;
use crate::account::HealthLevel;

/// How a population is drawn. Account `i` of the venue with index `v` uses its own stream,
/// [`Rng::derive`]`(seed, 2⁶³ + v · 2³² + i)`, and draws in this order:
///
/// 1. `u₁ = open_unit()`: the collateral `c = min(size_max, ⌊size_min · ⌊u₁^e⌋⌋)` with the
///    exponent `e = −⌊1/size_alpha⌋` (a Pareto tail with index `size_alpha`; the power rounded
///    down, `size_max` when it overflows);
/// 2. `u₂ = unit()`: a whale when `u₂ < whale_share`, whose collateral is multiplied by
///    `whale_factor` (rounded down, capped at `size_max · whale_factor`);
/// 3. `u₃ = unit()`: the account's leverage, `f = low + (high − low) · u₃` (rounded down)
///    over the range of its [`Leverage`]:
///    - [`Leverage::LoanToValue`]: `f` is the loan-to-value at the start, and the debt is
///      `⌊c · ⌊f · price⌋⌋` (for a perp, the quote owed against the base at the start price).
///      The positions do not depend on the venue's rules: changing a liquidation threshold,
///      a bonus or a margin changes how safe the same borrowers are, not what they borrowed.
///    - [`Leverage::LiquidationPrice`]: `f` is the liquidation price as a fraction of the
///      start price, and the debt is what puts it there for the venue's maintenance weights at
///      zero size: `⌊⌊c · ⌊f · price⌋⌋ · w_asset / w_liab⌋` for a lending venue,
///      `⌊⌊c · ⌊f · price⌋⌋ · (1 − m)⌋` for a perp (size scaling, if the venue has it, moves
///      the real liquidation price, which the kernel computes). The debt then depends on the
///      venue's weights.
///
/// Behaviours are not drawn here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Population {
    raw: PopulationRaw,
}

/// The fields of a [`Population`], unchecked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PopulationRaw {
    /// The smallest collateral (`> 0`).
    pub size_min: Wad,
    /// The Pareto tail index of sizes (`> 0`; smaller is heavier).
    pub size_alpha: Wad,
    /// The largest collateral before the whale factor (`≥ size_min`).
    pub size_max: Wad,
    /// How leveraged the accounts are.
    pub leverage: Leverage,
    /// The probability that an account is a whale (`[0, 1]`).
    pub whale_share: Wad,
    /// How much larger a whale is (`≥ 1`).
    pub whale_factor: Wad,
}

/// How leveraged a population's accounts are: each draws its own value uniformly in
/// `[low, high]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Leverage {
    /// By loan-to-value at the start, `debt / (collateral · price)`, with
    /// `0 < low ≤ high < 1`: the positions are the borrowers', whatever the venue's rules.
    LoanToValue {
        /// The lowest loan-to-value.
        low: Wad,
        /// The highest.
        high: Wad,
    },
    /// By liquidation price as a fraction of the start price, with `0 < low ≤ high < 1`: the
    /// debt follows from the venue's maintenance weights.
    LiquidationPrice {
        /// The lowest liquidation price, as a fraction of the start price.
        low: Wad,
        /// The highest.
        high: Wad,
    },
}

impl Leverage {
    /// `(low, high)`.
    #[must_use]
    pub const fn range(&self) -> (Wad, Wad) {
        match *self {
            Self::LoanToValue { low, high } | Self::LiquidationPrice { low, high } => (low, high),
        }
    }
}

impl Population {
    /// Validates a population.
    ///
    /// Errors: [`Error::Invalid`] naming the first field outside its range (see
    /// [`PopulationRaw`]).
    pub fn new(raw: PopulationRaw) -> Result<Self> {
        if !raw.size_min.is_positive() {
            return Err(Error::invalid("size_min", "must be > 0"));
        }
        if !raw.size_alpha.is_positive() {
            return Err(Error::invalid("size_alpha", "must be > 0"));
        }
        if raw.size_max < raw.size_min {
            return Err(Error::invalid("size_max", "must be ≥ size_min"));
        }
        let (low, high) = raw.leverage.range();
        let (low_name, high_name, high_range) = match raw.leverage {
            Leverage::LoanToValue { .. } => ("ltv_low", "ltv_high", "must be in [ltv_low, 1)"),
            Leverage::LiquidationPrice { .. } => ("liq_low", "liq_high", "must be in [liq_low, 1)"),
        };
        if !low.is_positive() || low >= Wad::ONE {
            return Err(Error::invalid(low_name, "must be in (0, 1)"));
        }
        if high < low || high >= Wad::ONE {
            return Err(Error::invalid(high_name, high_range));
        }
        if raw.whale_share.is_negative() || raw.whale_share > Wad::ONE {
            return Err(Error::invalid("whale_share", "must be in [0, 1]"));
        }
        if raw.whale_factor < Wad::ONE {
            return Err(Error::invalid("whale_factor", "must be ≥ 1"));
        }
        raw.size_max.mul_floor(raw.whale_factor)?;
        Ok(Self { raw })
    }

    /// The population's fields.
    #[must_use]
    pub const fn raw(&self) -> PopulationRaw {
        self.raw
    }

    /// Fills `out` with accounts of venue `venue` (of `kind`) at start price `price`.
    ///
    /// Errors: [`Error::Invalid`] naming `price` unless positive; [`Error::Overflow`].
    pub fn fill(&self, kind: &VenueKind, venue: u32, price: Wad, seed: u64, out: &mut [Borrower]) -> Result<()> {
        if !price.is_positive() {
            return Err(Error::invalid("price", "must be > 0"));
        }
        if matches!(kind, VenueKind::Options(_)) {
            return Err(Error::invalid(
                "population",
                "an options venue lists its accounts (no population is drawn for option writers)",
            ));
        }
        let r = &self.raw;
        let exponent = Wad::ONE.div(r.size_alpha, Rounding::Floor)?.neg()?;
        let ratio = match (r.leverage, *kind) {
            (Leverage::LoanToValue { .. }, _) => Wad::ONE,
            (Leverage::LiquidationPrice { .. }, VenueKind::Lending { collateral, debt }) => {
                let level = HealthLevel::Maintenance;
                collateral
                    .weights(level)
                    .asset
                    .div_floor(debt.weights(level).liability)?
            }
            (Leverage::LiquidationPrice { .. }, VenueKind::Perp { market }) => {
                Wad::ONE.sub(market.base_margin(HealthLevel::Maintenance))?
            }
            (Leverage::LiquidationPrice { .. }, VenueKind::Options(_)) => {
                return Err(Error::invalid("population", "an options venue lists its accounts"));
            }
        };
        let (low, high) = r.leverage.range();
        let span = high.sub(low)?;
        for (i, slot) in out.iter_mut().enumerate() {
            let i = u64::try_from(i).map_err(|_| Error::Overflow)?;
            let key = (1u64 << 63) | (u64::from(venue) << 32) | (i & 0xFFFF_FFFF);
            let mut rng = Rng::derive(seed, key);
            let u1 = rng.open_unit();
            let mut c = match u1.pow(exponent, Rounding::Floor) {
                Ok(scale) => r.size_min.mul_floor(scale)?.min(r.size_max),
                Err(Error::Overflow) => r.size_max,
                Err(e) => return Err(e),
            };
            if rng.unit() < r.whale_share {
                c = c.mul_floor(r.whale_factor)?;
            }
            let f = low.add(span.mul_floor(rng.unit())?)?;
            // With a loan-to-value the ratio is 1: ⌊⌊c · ⌊f · price⌋⌋ · 1⌋ = ⌊c · ⌊f · price⌋⌋.
            let debt = c.mul_floor(f.mul_floor(price)?)?.mul_floor(ratio)?;
            *slot = Borrower::new(c, debt)?;
        }
        Ok(())
    }
}
