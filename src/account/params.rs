//! Risk parameters of a token and of a perpetual-futures market, validated when built.

use crate::wad;
use crate::{Error, Result, Rounding, Wad};

use super::HealthLevel;

/// The weights of one health level: an asset counts `asset_weight ·` its value, a liability
/// `liability_weight ·` its value (`asset_weight ≤ 1 ≤ liability_weight`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Weights {
    /// The fraction of an asset's value that counts toward health.
    pub asset: Wad,
    /// The multiple of a liability's value that counts against health.
    pub liability: Wad,
}

/// The risk parameters of a token (a spot asset that an account deposits or borrows).
///
/// The convention is Mango v4's and marginfi v2's: three health levels, each with an asset
/// and a liability weight, ordered `init ≤ liq_end ≤ maint ≤ 1` for asset weights and
/// `1 ≤ maint ≤ liq_end ≤ init` for liability weights (the initial level is the strictest).
///
/// **Aave v3** maps onto it as: `init` asset weight = LTV, `maint` asset weight =
/// liquidation threshold, every liability weight = 1, `liquidation_fee` = liquidation bonus − 1
/// (Aave's 10500 bps is 0.05 here), `protocol_fee_share` = the reserve's liquidation protocol
/// fee; `liq_end` = `maint` with a close factor instead of a health target. **Compound v3**:
/// `init` asset weight = borrow collateral factor, `maint` = liquidate collateral factor,
/// `liquidation_fee` = 1 − liquidation factor.
///
/// **Size scaling** (Drift v2's IMF factor `f`, off when 0): for a position of `s` tokens the
/// liability weight becomes `max(w, 0.8·w + f·√s)` (rounded up) and the asset weight
/// `min(w, 1.1·w / (1 + f·√s))` (rounded down), so large positions count for less.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "TokenParamsRaw", into = "TokenParamsRaw"))]
pub struct TokenParams {
    init: Weights,
    maint: Weights,
    liq_end: Weights,
    size_factor: Wad,
    liquidation_fee: Wad,
    protocol_fee_share: Wad,
}

/// The fields of [`TokenParams`], unchecked: what is read from the wire and given to
/// [`TokenParams::new`]. The field names are the names errors use.
///
/// On the wire the four `init_`/`maint_` weights are required and the other fields default as
/// in [`TokenParamsRaw::new`]: `liq_end` weights to the `init` ones, the rest to 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "TokenParamsWire"))]
pub struct TokenParamsRaw {
    /// Initial asset weight (Aave's LTV), in `[0, 1]`.
    pub init_asset_weight: Wad,
    /// Maintenance asset weight (Aave's liquidation threshold), in `[init_asset_weight, 1]`.
    pub maint_asset_weight: Wad,
    /// Liquidation-end asset weight, in `[init_asset_weight, maint_asset_weight]`.
    pub liq_end_asset_weight: Wad,
    /// Initial liability weight, `≥ maint_liab_weight`.
    pub init_liab_weight: Wad,
    /// Maintenance liability weight, `≥ 1`.
    pub maint_liab_weight: Wad,
    /// Liquidation-end liability weight, in `[maint_liab_weight, init_liab_weight]`.
    pub liq_end_liab_weight: Wad,
    /// Drift's IMF factor: how fast weights worsen with the square root of the size; `≥ 0`.
    pub size_factor: Wad,
    /// The liquidator's bonus when this token is seized, in `[0, 1)`, with
    /// `maint_asset_weight · (1 + liquidation_fee) ≤ 1` (Aave's rule: otherwise liquidating
    /// at the threshold would lower the health factor).
    pub liquidation_fee: Wad,
    /// The protocol's share of that bonus, in `[0, 1]`.
    pub protocol_fee_share: Wad,
}

impl TokenParamsRaw {
    /// Parameters with the given asset and liability weights, `liq_end` equal to `init` (as
    /// Mango v4: a liquidation restores initial health), no size scaling, no fee.
    #[must_use]
    pub const fn new(init_asset: Wad, maint_asset: Wad, init_liab: Wad, maint_liab: Wad) -> Self {
        Self {
            init_asset_weight: init_asset,
            maint_asset_weight: maint_asset,
            liq_end_asset_weight: init_asset,
            init_liab_weight: init_liab,
            maint_liab_weight: maint_liab,
            liq_end_liab_weight: init_liab,
            size_factor: Wad::ZERO,
            liquidation_fee: Wad::ZERO,
            protocol_fee_share: Wad::ZERO,
        }
    }
}

/// A token object as written on the wire (see [`crate::wire`]): every field `None` when absent.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct TokenParamsWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) init_asset_weight: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) maint_asset_weight: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) liq_end_asset_weight: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) init_liab_weight: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) maint_liab_weight: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) liq_end_liab_weight: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) size_factor: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) liquidation_fee: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) protocol_fee_share: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<TokenParamsWire> for TokenParamsRaw {
    type Error = Error;

    /// The required weights (else `Invalid` naming the first missing one), every absent
    /// optional field at its default ([`TokenParamsRaw::new`]).
    fn try_from(w: TokenParamsWire) -> Result<Self> {
        use crate::wire::need;
        let mut raw = Self::new(
            need(w.init_asset_weight, "init_asset_weight")?,
            need(w.maint_asset_weight, "maint_asset_weight")?,
            need(w.init_liab_weight, "init_liab_weight")?,
            need(w.maint_liab_weight, "maint_liab_weight")?,
        );
        raw.liq_end_asset_weight = w.liq_end_asset_weight.unwrap_or(raw.liq_end_asset_weight);
        raw.liq_end_liab_weight = w.liq_end_liab_weight.unwrap_or(raw.liq_end_liab_weight);
        raw.size_factor = w.size_factor.unwrap_or(raw.size_factor);
        raw.liquidation_fee = w.liquidation_fee.unwrap_or(raw.liquidation_fee);
        raw.protocol_fee_share = w.protocol_fee_share.unwrap_or(raw.protocol_fee_share);
        Ok(raw)
    }
}

/// `lo ≤ x ≤ hi`, else `Invalid { what, why }` (`why` states the range in the fields' terms).
pub(super) fn within(x: Wad, lo: Wad, hi: Wad, what: &'static str, why: &'static str) -> Result<()> {
    if x < lo || x > hi {
        Err(Error::invalid(what, why))
    } else {
        Ok(())
    }
}

/// The largest liability weight accepted (a weight of 100 is already a 99 % haircut on
/// borrowing); it keeps every weighted value of a `Wad` position inside the `Wad` range.
const MAX_LIAB_WEIGHT: Wad = wad!("100");
// The whys of the liability weights and `size_factor` state this bound.
const _: () = assert!(MAX_LIAB_WEIGHT.raw() == 10i128.pow(20));

impl TryFrom<TokenParamsRaw> for TokenParams {
    type Error = Error;

    fn try_from(raw: TokenParamsRaw) -> Result<Self> {
        Self::new(raw)
    }
}

impl From<TokenParams> for TokenParamsRaw {
    fn from(p: TokenParams) -> Self {
        p.raw()
    }
}

impl TokenParams {
    /// Validates and builds token parameters.
    ///
    /// Errors: [`Error::Invalid`] naming the first field (in the order of [`TokenParamsRaw`])
    /// outside its range as documented there.
    pub fn new(raw: TokenParamsRaw) -> Result<Self> {
        let one = Wad::ONE;
        within(
            raw.init_asset_weight,
            Wad::ZERO,
            one,
            "init_asset_weight",
            "must be in [0, 1]",
        )?;
        within(
            raw.maint_asset_weight,
            raw.init_asset_weight,
            one,
            "maint_asset_weight",
            "must be in [init_asset_weight, 1]",
        )?;
        within(
            raw.liq_end_asset_weight,
            raw.init_asset_weight,
            raw.maint_asset_weight,
            "liq_end_asset_weight",
            "must be in [init_asset_weight, maint_asset_weight]",
        )?;
        within(
            raw.init_liab_weight,
            one,
            MAX_LIAB_WEIGHT,
            "init_liab_weight",
            "must be in [1, 100]",
        )?;
        within(
            raw.maint_liab_weight,
            one,
            raw.init_liab_weight,
            "maint_liab_weight",
            "must be in [1, init_liab_weight]",
        )?;
        within(
            raw.liq_end_liab_weight,
            raw.maint_liab_weight,
            raw.init_liab_weight,
            "liq_end_liab_weight",
            "must be in [maint_liab_weight, init_liab_weight]",
        )?;
        within(
            raw.size_factor,
            Wad::ZERO,
            MAX_LIAB_WEIGHT,
            "size_factor",
            "must be in [0, 100]",
        )?;
        if raw.liquidation_fee.is_negative() || raw.liquidation_fee >= one {
            return Err(Error::invalid("liquidation_fee", "must be in [0, 1)"));
        }
        let threshold_with_bonus = raw.maint_asset_weight.mul_ceil(one.add(raw.liquidation_fee)?)?;
        if threshold_with_bonus > one {
            return Err(Error::invalid(
                "liquidation_fee",
                "threshold·(1 + bonus) must be ≤ 1: maint_asset_weight·(1 + liquidation_fee) > 1",
            ));
        }
        within(
            raw.protocol_fee_share,
            Wad::ZERO,
            one,
            "protocol_fee_share",
            "must be in [0, 1]",
        )?;
        Ok(Self {
            init: Weights {
                asset: raw.init_asset_weight,
                liability: raw.init_liab_weight,
            },
            maint: Weights {
                asset: raw.maint_asset_weight,
                liability: raw.maint_liab_weight,
            },
            liq_end: Weights {
                asset: raw.liq_end_asset_weight,
                liability: raw.liq_end_liab_weight,
            },
            size_factor: raw.size_factor,
            liquidation_fee: raw.liquidation_fee,
            protocol_fee_share: raw.protocol_fee_share,
        })
    }

    /// The unchecked fields these parameters were built from.
    #[must_use]
    pub const fn raw(&self) -> TokenParamsRaw {
        TokenParamsRaw {
            init_asset_weight: self.init.asset,
            maint_asset_weight: self.maint.asset,
            liq_end_asset_weight: self.liq_end.asset,
            init_liab_weight: self.init.liability,
            maint_liab_weight: self.maint.liability,
            liq_end_liab_weight: self.liq_end.liability,
            size_factor: self.size_factor,
            liquidation_fee: self.liquidation_fee,
            protocol_fee_share: self.protocol_fee_share,
        }
    }

    /// The weights of `level`, before size scaling.
    #[must_use]
    pub const fn weights(&self, level: HealthLevel) -> Weights {
        match level {
            HealthLevel::Initial => self.init,
            HealthLevel::Maintenance => self.maint,
            HealthLevel::LiquidationEnd => self.liq_end,
        }
    }

    /// The liquidator's bonus when this token is seized.
    #[must_use]
    pub const fn liquidation_fee(&self) -> Wad {
        self.liquidation_fee
    }

    /// The protocol's share of the bonus.
    #[must_use]
    pub const fn protocol_fee_share(&self) -> Wad {
        self.protocol_fee_share
    }

    /// Drift's IMF factor (0: no size scaling).
    #[must_use]
    pub const fn size_factor(&self) -> Wad {
        self.size_factor
    }

    /// The asset weight of `level` for a deposit of `size` tokens:
    /// `min(w, 1.1·w / (1 + f·√size))`, rounded down.
    pub fn asset_weight(&self, level: HealthLevel, size: Wad) -> Result<Wad> {
        size_scaled_asset_weight(self.weights(level).asset, self.size_factor, size)
    }

    /// The liability weight of `level` for a borrow of `size` tokens:
    /// `max(w, 0.8·w + f·√size)`, rounded up.
    pub fn liability_weight(&self, level: HealthLevel, size: Wad) -> Result<Wad> {
        size_scaled_liability_weight(self.weights(level).liability, self.size_factor, size)
    }
}

/// Drift's size discount of an asset weight: `min(w, 1.1·w / (1 + f·√size))`, rounded down
/// (the square root rounds up in the denominator, the quotient down); `w` when `f = 0`.
pub(crate) fn size_scaled_asset_weight(w: Wad, f: Wad, size: Wad) -> Result<Wad> {
    if f.is_zero() || size.is_zero() {
        return Ok(w);
    }
    let premium = f.mul_ceil(size.abs()?.sqrt(Rounding::Ceil)?)?;
    let scaled = w.mul_floor(wad!("1.1"))?.div_floor(Wad::ONE.add(premium)?)?;
    Ok(w.min(scaled))
}

/// Drift's size premium of a liability weight: `max(w, 0.8·w + f·√size)`, rounded up; `w`
/// when `f = 0`.
pub(crate) fn size_scaled_liability_weight(w: Wad, f: Wad, size: Wad) -> Result<Wad> {
    if f.is_zero() || size.is_zero() {
        return Ok(w);
    }
    let premium = f.mul_ceil(size.abs()?.sqrt(Rounding::Ceil)?)?;
    let scaled = w.mul_ceil(wad!("0.8"))?.add(premium)?;
    Ok(w.max(scaled))
}

/// The risk parameters of a perpetual-futures market: margin fractions of the notional
/// `|base| · price` at each level, ordered `0 < maint ≤ liq_end ≤ init < 1`.
///
/// A perp position counts toward health as `quote + base·price − |base|·price·margin`, which
/// is Mango v4's asset weight `1 − margin` on a long and liability weight `1 + margin` on a
/// short. Size scaling (Drift's IMF) applies to the liability weight `1 + margin` as for a
/// token: `margin(s) = max(m, 0.8·(1 + m) + f·√s − 1)`, rounded up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "PerpParamsRaw", into = "PerpParamsRaw"))]
pub struct PerpParams {
    raw: PerpParamsRaw,
}

/// The fields of [`PerpParams`], unchecked.
///
/// On the wire `init_margin` and `maint_margin` are required and the other fields default as
/// in [`PerpParamsRaw::new`]: `liq_end_margin` to `init_margin`, the rest to 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "PerpParamsWire"))]
pub struct PerpParamsRaw {
    /// Initial margin fraction, in `[liq_end_margin, 1)`.
    pub init_margin: Wad,
    /// Maintenance margin fraction, in `(0, 1)`.
    pub maint_margin: Wad,
    /// Liquidation-end margin fraction, in `[maint_margin, init_margin]`.
    pub liq_end_margin: Wad,
    /// Drift's IMF factor, `≥ 0`.
    pub size_factor: Wad,
    /// The discount at which the liquidator takes the position over, in `[0, maint_margin)`
    /// (a fee at or above the margin would make every perp liquidation lower health).
    pub liquidation_fee: Wad,
    /// The protocol's share of that fee, in `[0, 1]`.
    pub protocol_fee_share: Wad,
}

impl PerpParamsRaw {
    /// Margins `init` and `maint`, `liq_end = init`, no size scaling, no fee.
    #[must_use]
    pub const fn new(init_margin: Wad, maint_margin: Wad) -> Self {
        Self {
            init_margin,
            maint_margin,
            liq_end_margin: init_margin,
            size_factor: Wad::ZERO,
            liquidation_fee: Wad::ZERO,
            protocol_fee_share: Wad::ZERO,
        }
    }
}

/// A perp-market object as written on the wire (see [`crate::wire`]): every field `None` when
/// absent.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct PerpParamsWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) init_margin: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) maint_margin: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) liq_end_margin: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) size_factor: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) liquidation_fee: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) protocol_fee_share: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<PerpParamsWire> for PerpParamsRaw {
    type Error = Error;

    /// The required margins (else `Invalid` naming the first missing one), every absent
    /// optional field at its default ([`PerpParamsRaw::new`]).
    fn try_from(w: PerpParamsWire) -> Result<Self> {
        use crate::wire::need;
        let mut raw = Self::new(
            need(w.init_margin, "init_margin")?,
            need(w.maint_margin, "maint_margin")?,
        );
        raw.liq_end_margin = w.liq_end_margin.unwrap_or(raw.liq_end_margin);
        raw.size_factor = w.size_factor.unwrap_or(raw.size_factor);
        raw.liquidation_fee = w.liquidation_fee.unwrap_or(raw.liquidation_fee);
        raw.protocol_fee_share = w.protocol_fee_share.unwrap_or(raw.protocol_fee_share);
        Ok(raw)
    }
}

impl TryFrom<PerpParamsRaw> for PerpParams {
    type Error = Error;

    fn try_from(raw: PerpParamsRaw) -> Result<Self> {
        Self::new(raw)
    }
}

impl From<PerpParams> for PerpParamsRaw {
    fn from(p: PerpParams) -> Self {
        p.raw
    }
}

impl PerpParams {
    /// Validates and builds perp-market parameters.
    ///
    /// Errors: [`Error::Invalid`] naming the first field (`maint_margin`, `init_margin`,
    /// `liq_end_margin`, `size_factor`, `liquidation_fee`, `protocol_fee_share`) outside its
    /// range as documented in [`PerpParamsRaw`].
    pub fn new(raw: PerpParamsRaw) -> Result<Self> {
        let one = Wad::ONE;
        if !raw.maint_margin.is_positive() || raw.maint_margin >= one {
            return Err(Error::invalid("maint_margin", "must be in (0, 1)"));
        }
        if raw.init_margin < raw.maint_margin || raw.init_margin >= one {
            return Err(Error::invalid("init_margin", "must be in [maint_margin, 1)"));
        }
        within(
            raw.liq_end_margin,
            raw.maint_margin,
            raw.init_margin,
            "liq_end_margin",
            "must be in [maint_margin, init_margin]",
        )?;
        within(
            raw.size_factor,
            Wad::ZERO,
            MAX_LIAB_WEIGHT,
            "size_factor",
            "must be in [0, 100]",
        )?;
        if raw.liquidation_fee.is_negative() || raw.liquidation_fee >= raw.maint_margin {
            return Err(Error::invalid(
                "liquidation_fee",
                "must be in [0, maint_margin) (the bonus is paid out of the maintenance margin)",
            ));
        }
        within(
            raw.protocol_fee_share,
            Wad::ZERO,
            one,
            "protocol_fee_share",
            "must be in [0, 1]",
        )?;
        Ok(Self { raw })
    }

    /// The unchecked fields these parameters were built from.
    #[must_use]
    pub const fn raw(&self) -> PerpParamsRaw {
        self.raw
    }

    /// The margin fraction of `level` before size scaling.
    #[must_use]
    pub const fn base_margin(&self, level: HealthLevel) -> Wad {
        match level {
            HealthLevel::Initial => self.raw.init_margin,
            HealthLevel::Maintenance => self.raw.maint_margin,
            HealthLevel::LiquidationEnd => self.raw.liq_end_margin,
        }
    }

    /// The margin fraction of `level` for a position of `size` base units, size-scaled and
    /// rounded up: `max(m, 0.8·(1 + m) + f·√size − 1)`.
    pub fn margin(&self, level: HealthLevel, size: Wad) -> Result<Wad> {
        let m = self.base_margin(level);
        size_scaled_liability_weight(Wad::ONE.add(m)?, self.raw.size_factor, size)?.sub(Wad::ONE)
    }

    /// The liquidator's discount.
    #[must_use]
    pub const fn liquidation_fee(&self) -> Wad {
        self.raw.liquidation_fee
    }

    /// The protocol's share of the liquidation fee.
    #[must_use]
    pub const fn protocol_fee_share(&self) -> Wad {
        self.raw.protocol_fee_share
    }
}
