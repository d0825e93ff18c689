//! Option positions in an account: the risk parameters of an option series, the market data it
//! is marked at, and its contribution to health.
//!
//! # How an option counts toward health
//!
//! An option series is a European call or put on one of the tokens (its
//! *underlying*, whose oracle price is the spot), with a strike and a time to expiry. It is
//! marked with Black-Scholes-Merton at the series' [`OptionMark`] (implied volatility, rate
//! and the underlying's yield). With `q` the position's quantity (in units of the underlying;
//! positive long, negative short) and `V` the model value per unit:
//!
//! ```text
//! long  q > 0:  ⌊⌊q · ⌊V(S_worst)⌋⌋ · w_long(level)⌋
//! short q < 0:  −max over S ∈ {price − conf, price + conf} of ( ⌈|q| · ⌈V(S)⌉⌉ + add_on(level, S) )
//! ```
//!
//! - `S_worst` is an end of the oracle's confidence interval, the one worse for the account.
//!   For a long it is the end where the option is worth less: a call is worth more at a higher
//!   spot, a put at a lower one, so a long call is valued at `price − conf`, a long put at
//!   `price + conf`. For a short it is the end where the whole charge — value plus add-on —
//!   is larger: both ends are evaluated (when `conf > 0`) and the larger charge is taken. The
//!   add-on is not monotone in the spot (a far out-of-the-money put's charge `V + 0.075·S`
//!   *rises* with the spot), so the end where the value alone is worse would not do. The
//!   interior of the interval is not searched; with Deribit's maintenance rates
//!   (`mm_base = mm_floor`) the maintenance charge is convex in the spot, so an end is the
//!   worst point of the interval at that level.
//! - A long option's value is an asset, rounded down and weighted by `w_long` of the level
//!   (`1` at every level is Deribit's: the mark counts in full toward equity).
//! - A short option's value is a liability, rounded up, and it carries the margin of
//!   [`StandardMarginParams`] **beyond the mark** (its `initial_add_on` at the initial level
//!   and at the liquidation end — a liquidation restores initial health for option shorts, as
//!   Mango v4's default `liq_end = init` does for tokens — and its `maintenance_add_on` at
//!   maintenance), computed with the mark `⌈V⌉`. The value is counted once: an account of
//!   collateral `C` (weight 1, exact price) and one short option has maintenance health
//!   `C − ⌈|q|·⌈V⌉⌉ − ⌈|q|·(MM − ⌈V⌉)⌉`, which is `C − ` Deribit's maintenance margin
//!   `⌈|q|·MM⌉` up to the one rounding split.
//!
//! Every term rounds against the account, so health with options is never overstated.
//! Options are not size-scaled. A series must not have expired (`t > 0`); settling an
//! expired option is the caller's step.
//!
//! Health is not linear in the underlying's price when the account holds options on it:
//! [`liquidation_price`](super::liquidation_price) then answers
//! [`LiquidationPrice::Nonlinear`](super::LiquidationPrice::Nonlinear).

use crate::options::{
    BsInputs, BsInputsRaw, MAX_PRICE, MAX_T, OptionKind, StandardMarginParams, StandardMarginRaw, price,
};
use crate::oracle::OraclePrice;
use crate::{Error, Result, Rounding, Wad};

use super::HealthLevel;
use super::params::within;

/// The fields of [`OptionParams`], unchecked: what is read from the wire and given to
/// [`OptionParams::new`]. The field names are the names errors use.
///
/// On the wire `kind`, `underlying`, `strike` and `t` are required; the long weights default
/// to 1 ([`OptionParamsRaw::new`]) except `liq_end_long_weight`, which defaults to
/// `init_long_weight`, and `margin` (whose own fields default one by one) to Deribit's rates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "OptionParamsWire"))]
pub struct OptionParamsRaw {
    /// Call or put.
    pub kind: OptionKind,
    /// The index of the underlying token in the [`Context`](super::Context): its oracle price
    /// is the spot.
    pub underlying: u16,
    /// The strike, `0 < strike ≤ 10^18`.
    pub strike: Wad,
    /// The time to expiry at the health check, in years, `0 < t ≤ 100`.
    pub t: Wad,
    /// The weight of a long option's value at the initial level, in `[0, 1]`.
    pub init_long_weight: Wad,
    /// At maintenance, in `[init_long_weight, 1]`.
    pub maint_long_weight: Wad,
    /// At the liquidation end, in `[init_long_weight, maint_long_weight]`.
    pub liq_end_long_weight: Wad,
    /// The standard margin of a short position (its rates are checked as
    /// [`StandardMarginParams::new`] checks them: `im_base`, `im_floor`, `mm_base`, `mm_floor`).
    pub margin: StandardMarginRaw,
}

impl OptionParamsRaw {
    /// A series with long options weighted 1 at every level and Deribit's standard margin for
    /// shorts.
    #[must_use]
    pub const fn new(kind: OptionKind, underlying: u16, strike: Wad, t: Wad) -> Self {
        Self {
            kind,
            underlying,
            strike,
            t,
            init_long_weight: Wad::ONE,
            maint_long_weight: Wad::ONE,
            liq_end_long_weight: Wad::ONE,
            margin: StandardMarginRaw::DERIBIT,
        }
    }
}

/// An option-series object as written on the wire (see [`crate::wire`]): every field `None`
/// when absent.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct OptionParamsWire {
    #[serde(deserialize_with = "crate::wire::some_name")]
    pub(crate) kind: Option<OptionKind>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) underlying: Option<u16>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) strike: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) t: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) init_long_weight: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) maint_long_weight: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) liq_end_long_weight: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) margin: Option<StandardMarginRaw>,
}

#[cfg(feature = "serde")]
impl TryFrom<OptionParamsWire> for OptionParamsRaw {
    type Error = Error;

    /// The required fields (else `Invalid` naming the first missing one), every absent
    /// optional field at its default.
    fn try_from(w: OptionParamsWire) -> Result<Self> {
        use crate::wire::need;
        let mut raw = Self::new(
            need(w.kind, "kind")?,
            need(w.underlying, "underlying")?,
            need(w.strike, "strike")?,
            need(w.t, "t")?,
        );
        raw.init_long_weight = w.init_long_weight.unwrap_or(raw.init_long_weight);
        raw.maint_long_weight = w.maint_long_weight.unwrap_or(raw.maint_long_weight);
        raw.liq_end_long_weight = w.liq_end_long_weight.unwrap_or(raw.init_long_weight);
        raw.margin = w.margin.unwrap_or(raw.margin);
        Ok(raw)
    }
}

/// The risk parameters of an option series, validated (see the module docs for how a
/// position in it counts toward health).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "OptionParamsRaw", into = "OptionParamsRaw"))]
pub struct OptionParams {
    raw: OptionParamsRaw,
    margin: StandardMarginParams,
}

impl OptionParams {
    /// Validates and builds a series' parameters.
    ///
    /// Errors: [`Error::Invalid`] naming the first field (in the order of [`OptionParamsRaw`])
    /// outside its range as documented there.
    pub fn new(raw: OptionParamsRaw) -> Result<Self> {
        if !raw.strike.is_positive() || raw.strike > MAX_PRICE {
            return Err(Error::invalid("strike", "must be in (0, 10^18]"));
        }
        if !raw.t.is_positive() || raw.t > MAX_T {
            return Err(Error::invalid("t", "must be in (0, 100] years"));
        }
        within(
            raw.init_long_weight,
            Wad::ZERO,
            Wad::ONE,
            "init_long_weight",
            "must be in [0, 1]",
        )?;
        within(
            raw.maint_long_weight,
            raw.init_long_weight,
            Wad::ONE,
            "maint_long_weight",
            "must be in [init_long_weight, 1]",
        )?;
        within(
            raw.liq_end_long_weight,
            raw.init_long_weight,
            raw.maint_long_weight,
            "liq_end_long_weight",
            "must be in [init_long_weight, maint_long_weight]",
        )?;
        let margin = StandardMarginParams::new(raw.margin)?;
        Ok(Self { raw, margin })
    }

    /// The fields as given.
    #[must_use]
    pub const fn raw(&self) -> OptionParamsRaw {
        self.raw
    }

    /// Call or put.
    #[must_use]
    pub const fn kind(&self) -> OptionKind {
        self.raw.kind
    }

    /// The underlying token's index.
    #[must_use]
    pub const fn underlying(&self) -> u16 {
        self.raw.underlying
    }

    /// The weight of a long option's value at `level`.
    #[must_use]
    pub const fn long_weight(&self, level: HealthLevel) -> Wad {
        match level {
            HealthLevel::Initial => self.raw.init_long_weight,
            HealthLevel::Maintenance => self.raw.maint_long_weight,
            HealthLevel::LiquidationEnd => self.raw.liq_end_long_weight,
        }
    }

    /// The standard margin of a short position.
    #[must_use]
    pub const fn margin(&self) -> &StandardMarginParams {
        &self.margin
    }

    /// The model inputs at spot `spot` and market data `mark`.
    ///
    /// Errors: [`Error::Invalid`] naming `spot` outside `(0, 10^18]`.
    pub fn inputs(&self, spot: Wad, mark: &OptionMark) -> Result<BsInputs> {
        BsInputs::new(BsInputsRaw {
            spot,
            strike: self.raw.strike,
            vol: mark.vol,
            t: self.raw.t,
            rate: mark.rate,
            yield_: mark.yield_,
        })
    }
}

impl TryFrom<OptionParamsRaw> for OptionParams {
    type Error = Error;

    fn try_from(raw: OptionParamsRaw) -> Result<Self> {
        Self::new(raw)
    }
}

impl From<OptionParams> for OptionParamsRaw {
    fn from(p: OptionParams) -> Self {
        p.raw
    }
}

/// The market data an option series is marked at: its implied volatility, the rate, and the
/// underlying's continuous yield (ranges of [`BsInputs`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "OptionMarkWire"))]
pub struct OptionMark {
    vol: Wad,
    rate: Wad,
    #[cfg_attr(feature = "serde", serde(rename = "yield"))]
    yield_: Wad,
}

/// An option series' market data as written on the wire (see [`crate::wire`]): every field
/// `None` when absent.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct OptionMarkWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) vol: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) rate: Option<Wad>,
    #[serde(rename = "yield", deserialize_with = "crate::wire::some")]
    pub(crate) yield_: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<OptionMarkWire> for OptionMark {
    type Error = Error;

    /// [`OptionMark::new`] of `vol` (required), `rate` and `yield` (default 0).
    fn try_from(w: OptionMarkWire) -> Result<Self> {
        Self::new(
            crate::wire::need(w.vol, "vol")?,
            w.rate.unwrap_or(Wad::ZERO),
            w.yield_.unwrap_or(Wad::ZERO),
        )
    }
}

impl OptionMark {
    /// Validated market data.
    ///
    /// Errors: [`Error::Invalid`] naming `vol`, `rate` or `yield` outside the ranges of
    /// [`BsInputs::new`].
    pub fn new(vol: Wad, rate: Wad, yield_: Wad) -> Result<Self> {
        BsInputs::new(BsInputsRaw {
            spot: Wad::ONE,
            strike: Wad::ONE,
            vol,
            t: Wad::ONE,
            rate,
            yield_,
        })?;
        Ok(Self { vol, rate, yield_ })
    }

    /// The implied volatility.
    #[must_use]
    pub const fn vol(&self) -> Wad {
        self.vol
    }

    /// The rate.
    #[must_use]
    pub const fn rate(&self) -> Wad {
        self.rate
    }

    /// The underlying's continuous yield.
    #[must_use]
    pub const fn yield_(&self) -> Wad {
        self.yield_
    }
}

/// The end of the confidence interval at which a long position is valued: where it is worth
/// less (`price − conf` for a call, `price + conf` for a put).
const fn long_spot(kind: OptionKind, spot: OraclePrice) -> Wad {
    match kind {
        OptionKind::Call => spot.asset_price(),
        OptionKind::Put => spot.liability_price(),
    }
}

/// A short position's charge at spot `s`: `⌈size · ⌈V(s)⌉⌉ + add_on(level)`.
fn short_charge(params: &OptionParams, mark: &OptionMark, s: Wad, level: HealthLevel, size: Wad) -> Result<Wad> {
    let kind = params.kind();
    let inputs = params.inputs(s, mark)?;
    let value = price(kind, &inputs, Rounding::Ceil)?;
    let margin = params.margin().margin(kind, &inputs, size, Some(value))?;
    let add_on = match level {
        HealthLevel::Maintenance => margin.maintenance_add_on,
        HealthLevel::Initial | HealthLevel::LiquidationEnd => margin.initial_add_on,
    };
    size.mul_ceil(value)?.add(add_on)
}

/// The signed weighted value of an option position of `quantity` at `level`, with the
/// underlying's oracle price `spot` (see the module docs for the formula and its roundings).
///
/// Errors: [`Error::Invalid`] naming `spot` when the end of the confidence interval used is
/// above `10^18`; [`Error::Overflow`].
pub fn option_contribution(
    params: &OptionParams,
    mark: &OptionMark,
    spot: OraclePrice,
    level: HealthLevel,
    quantity: Wad,
) -> Result<Wad> {
    if quantity.is_zero() {
        return Ok(Wad::ZERO);
    }
    if quantity.is_positive() {
        let inputs = params.inputs(long_spot(params.kind(), spot), mark)?;
        let value = price(params.kind(), &inputs, Rounding::Floor)?;
        return quantity.mul_floor(value)?.mul_floor(params.long_weight(level));
    }
    let size = quantity.abs()?;
    let charge = if spot.conf().is_zero() {
        short_charge(params, mark, spot.price(), level, size)?
    } else {
        let low = short_charge(params, mark, spot.asset_price(), level, size)?;
        low.max(short_charge(params, mark, spot.liability_price(), level, size)?)
    };
    charge.neg()
}

/// The value the protocol is owed by a short position of `quantity < 0` at the oracle's
/// price (no confidence): `⌈|q| · ⌈V(price)⌉⌉`; zero for a long or empty position.
///
/// Errors: as [`option_contribution`].
pub fn option_owed(params: &OptionParams, mark: &OptionMark, spot: OraclePrice, quantity: Wad) -> Result<Wad> {
    if !quantity.is_negative() {
        return Ok(Wad::ZERO);
    }
    let inputs = params.inputs(spot.price(), mark)?;
    quantity.abs()?.mul_ceil(price(params.kind(), &inputs, Rounding::Ceil)?)
}
