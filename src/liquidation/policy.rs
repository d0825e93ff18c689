//! How much of a position one liquidation may close, and what it aims for.

use crate::account::HealthLevel;
use crate::wad;
use crate::{Error, Result, Wad};

/// The close factor: the share of a debt (or perp position) one liquidation may repay.
///
/// One configurable policy covering Aave v3's rules:
/// - `normal` of the debt (Aave: 50 %);
/// - all of it when the maintenance health factor is below `full_below` (Aave v3.3: 0.95);
/// - all of it when the debt or the collateral is worth less than `dust` (Aave v3.3's
///   `MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD`, 2000 USD), and a liquidation that would leave a
///   debt worth less than `dust` behind closes the whole debt instead (its
///   `MIN_LEFTOVER_BASE` rule), so that no position too small to liquidate profitably remains.
///
/// Mango v4, Drift and marginfi have no close factor: [`CloseFactor::FULL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "CloseFactorRaw", into = "CloseFactorRaw"))]
pub struct CloseFactor {
    raw: CloseFactorRaw,
}

/// The fields of a [`CloseFactor`], unchecked. On the wire `normal` is required and the other
/// fields default to 0 ([`CloseFactorRaw::new`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "CloseFactorWire"))]
pub struct CloseFactorRaw {
    /// The share of the debt one liquidation may repay, in `(0, 1]`.
    pub normal: Wad,
    /// Below this maintenance health factor the whole debt may be repaid; `≥ 0`.
    pub full_below: Wad,
    /// Positions worth less than this (in the unit of account) may be closed in full; `≥ 0`.
    pub dust: Wad,
}

impl CloseFactorRaw {
    /// A close factor of `normal`, never in full (`full_below` and `dust` 0).
    #[must_use]
    pub const fn new(normal: Wad) -> Self {
        Self {
            normal,
            full_below: Wad::ZERO,
            dust: Wad::ZERO,
        }
    }
}

/// A close-factor object as written on the wire (see [`crate::wire`]): every field `None` when
/// absent.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct CloseFactorWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) normal: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) full_below: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) dust: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<CloseFactorWire> for CloseFactorRaw {
    type Error = Error;

    /// `normal` (required), `full_below` and `dust` at their defaults ([`CloseFactorRaw::new`])
    /// when absent.
    fn try_from(w: CloseFactorWire) -> Result<Self> {
        let mut raw = Self::new(crate::wire::need(w.normal, "normal")?);
        raw.full_below = w.full_below.unwrap_or(raw.full_below);
        raw.dust = w.dust.unwrap_or(raw.dust);
        Ok(raw)
    }
}

impl CloseFactor {
    /// No close factor: a liquidation may repay the whole debt.
    pub const FULL: Self = Self {
        raw: CloseFactorRaw {
            normal: Wad::ONE,
            full_below: Wad::ZERO,
            dust: Wad::ZERO,
        },
    };

    /// Validates and builds a close factor.
    ///
    /// Errors: [`Error::Invalid`] naming `normal` unless `0 < normal ≤ 1`, `full_below` or
    /// `dust` when negative.
    pub fn new(raw: CloseFactorRaw) -> Result<Self> {
        if !raw.normal.is_positive() || raw.normal > Wad::ONE {
            return Err(Error::invalid("normal", "must be in (0, 1]"));
        }
        if raw.full_below.is_negative() {
            return Err(Error::invalid("full_below", "must be ≥ 0"));
        }
        if raw.dust.is_negative() {
            return Err(Error::invalid("dust", "must be ≥ 0"));
        }
        Ok(Self { raw })
    }

    /// Aave v3.3's policy: 50 %, in full below a health factor of 0.95 or under `dust`.
    ///
    /// Errors: [`Error::Invalid`] naming `dust` when it is negative.
    pub fn aave(dust: Wad) -> Result<Self> {
        Self::new(CloseFactorRaw {
            normal: wad!("0.5"),
            full_below: wad!("0.95"),
            dust,
        })
    }

    /// The fields of this policy.
    #[must_use]
    pub const fn raw(&self) -> CloseFactorRaw {
        self.raw
    }

    /// The share of the position that may be closed, given the maintenance health factor
    /// (`None`: no liabilities) and the values of the debt and of the collateral involved.
    #[must_use]
    pub fn share(&self, health_factor: Option<Wad>, debt_value: Wad, collateral_value: Wad) -> Wad {
        let deep = health_factor.is_some_and(|f| f < self.raw.full_below);
        let dust = debt_value < self.raw.dust || collateral_value < self.raw.dust;
        if deep || dust { Wad::ONE } else { self.raw.normal }
    }

    /// Whether a remaining debt worth `value` (positive) is dust under this policy.
    #[must_use]
    pub fn is_dust(&self, value: Wad) -> bool {
        value.is_positive() && value < self.raw.dust
    }
}

impl TryFrom<CloseFactorRaw> for CloseFactor {
    type Error = Error;

    fn try_from(raw: CloseFactorRaw) -> Result<Self> {
        Self::new(raw)
    }
}

impl From<CloseFactor> for CloseFactorRaw {
    fn from(c: CloseFactor) -> Self {
        c.raw
    }
}

/// The parameters of a liquidation: the close factor, the health level whose value a
/// liquidation brings back to zero (by default [`HealthLevel::LiquidationEnd`]), and who sizes
/// it ([`Mode`]: the kernel, to that target, or the liquidator's request).
///
/// On the wire every field is optional, with the defaults of [`LiquidationParams::default`]
/// (no close factor, the liquidation-end level, target mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct LiquidationParams {
    /// How much one liquidation may close.
    pub close_factor: CloseFactor,
    /// The level a liquidation restores to zero.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::wire::name"))]
    pub target: HealthLevel,
    /// Who sizes a liquidation: the kernel to `target`, or the liquidator's request.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::wire::name"))]
    pub mode: Mode,
}

impl Default for LiquidationParams {
    fn default() -> Self {
        Self {
            close_factor: CloseFactor::FULL,
            target: HealthLevel::LiquidationEnd,
            mode: Mode::Target,
        }
    }
}

/// Who chooses a liquidation's size.
///
/// - [`Mode::Target`]: the kernel repays just enough to bring the health at the target level
///   back to zero (Mango v4, Drift v2, marginfi v2 size this way), capped by the protocol's caps
///   and by the order's offer (`max_repay` / `max_base`).
/// - [`Mode::Request`]: the liquidator chooses (Aave's `debtToCover`, Morpho Blue's
///   `repaidShares`/`seizedAssets`, Compound III's `buyCollateral`): the size is the order's
///   request (`max_repay` / `max_base`; absent: as much as allowed) cut to what the protocol
///   allows — the debt, the collateral and the close factor —, whatever the health it leaves. A
///   request below those caps that would leave a debt worth less than the close factor's `dust`
///   behind is refused (as Aave v3.3 reverts `MUST_NOT_LEAVE_DUST`): the liquidator must repay
///   everything allowed or leave at least `dust`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Mode {
    /// The kernel sizes to the target health.
    #[default]
    Target,
    /// The liquidator's request, cut to the protocol's caps.
    Request,
}

impl Mode {
    /// The name used on the wire (`"target"`, `"request"`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Target => "target",
            Self::Request => "request",
        }
    }
}

/// What bounded a liquidation's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Limit {
    /// The account was not liquidatable: nothing was done.
    Healthy,
    /// The size that brings the target health back to zero with nothing to spare on the grid.
    Target,
    /// The whole debt (or perp position).
    Position,
    /// The collateral the account holds.
    Collateral,
    /// The close factor.
    CloseFactor,
    /// The liquidator's offer.
    Offer,
    /// The whole debt, because the target size would have left dust behind.
    Dust,
}

impl Limit {
    /// The name used on the wire (`"target"`, `"close_factor"`, …).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Healthy => "healthy",
            Self::Target => "target",
            Self::Position => "position",
            Self::Collateral => "collateral",
            Self::CloseFactor => "close_factor",
            Self::Offer => "offer",
            Self::Dust => "dust",
        }
    }
}

/// The smallest of the caps, and which one it is (the first in the given order on a tie).
pub(crate) fn tightest(caps: &[(Wad, Limit)]) -> (Wad, Limit) {
    let mut best = (Wad::MAX, Limit::Position);
    for &(cap, limit) in caps {
        if cap < best.0 {
            best = (cap, limit);
        }
    }
    best
}

/// The size of a liquidation the liquidator requested (`request`, `None`: as much as allowed)
/// under `caps` (the protocol's caps, without the offer): the smaller of the two, with the limit
/// that bound it ([`Limit::Offer`] when the request did, the first of equal caps otherwise). A
/// request below the cap that would leave a debt worth (`left_value` of the size) less than the
/// close factor's dust is refused.
///
/// Errors: [`Error::Invalid`] naming `max_repay` (`what`) when the request would leave dust;
/// what `left_value` returns.
pub(crate) fn size_to_request(
    close_factor: &CloseFactor,
    (cap, cap_limit): (Wad, Limit),
    request: Option<Wad>,
    what: &'static str,
    left_value: impl FnOnce(Wad) -> crate::Result<Wad>,
) -> crate::Result<(Wad, Limit)> {
    let (size, limit) = match request {
        Some(r) if r < cap => (r, Limit::Offer),
        _ => (cap, cap_limit),
    };
    if size < cap && close_factor.is_dust(left_value(size)?) {
        return Err(Error::invalid(
            what,
            "would leave a debt worth less than the close factor's dust: repay all that is allowed or leave at least dust",
        ));
    }
    Ok((size, limit))
}

/// The size of a liquidation whose caps are `caps` (`vectors/README.md` §8.2, sizing steps 3
/// and 4): zero when the target health `target_before` already holds; the cap when even the
/// cap leaves the target negative; otherwise the search's boundary, started from `guess`. A
/// target-sized liquidation that would leave a position whose value (`left_value` of the size)
/// is dust is extended to the cap.
///
/// `meets(x)` says whether the target health after a liquidation of size `x` is non-negative
/// (it is asked about the cap, then by the search about sizes in `(0, cap)`).
pub(crate) fn size_to_target(
    close_factor: &CloseFactor,
    (cap, cap_limit): (Wad, Limit),
    target_before: Wad,
    mut meets: impl FnMut(Wad) -> crate::Result<bool>,
    guess: impl FnOnce() -> crate::Result<Wad>,
    left_value: impl FnOnce(Wad) -> crate::Result<Wad>,
) -> crate::Result<(Wad, Limit)> {
    let (size, limit) = if !target_before.is_negative() {
        (Wad::ZERO, Limit::Target)
    } else if cap.is_zero() || !meets(cap)? {
        (cap, cap_limit)
    } else {
        let found = super::search::boundary(Wad::ZERO, cap, guess()?, meets)?;
        (found, Limit::Target)
    };
    if limit == Limit::Target && cap > size && close_factor.is_dust(left_value(size)?) {
        return Ok((cap, Limit::Dust));
    }
    Ok((size, limit))
}
