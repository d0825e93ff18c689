//! A scenario grid in the style of CME SPAN's risk arrays: the margin of a small set of option
//! positions on one underlying is the worst loss over a grid of price and volatility moves.

use crate::error::ensure;
use crate::options::{BsInputs, BsInputsRaw, MAX_VOL, OptionPosition, price};
use crate::{Error, Result, Rounding, Wad};

/// The most price steps on each side of the spot ([`GridRaw::steps`]).
pub const MAX_GRID_STEPS: u32 = 7;
/// The most scenarios of a grid: `4·MAX_GRID_STEPS + 4`.
pub const MAX_GRID_SCENARIOS: usize = 32;
/// The most positions a grid revalues at once.
pub const MAX_GRID_POSITIONS: usize = 16;

// The whys of `steps`, `positions` and `scenarios` state these bounds.
const _: () = assert!(MAX_GRID_STEPS == 7 && MAX_GRID_SCENARIOS == 32 && MAX_GRID_POSITIONS == 16);

/// The fields of [`GridParams`], unchecked: what is read from the wire and given to
/// [`GridParams::new`]. The field names are the names errors use.
///
/// On the wire `price_scan` and `vol_scan` are required and the other fields default as in
/// [`GridRaw::new`] (CME SPAN's 3 steps, extreme moves of 3 ranges counted at 35 %, no
/// horizon, no short-option minimum).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "GridWire"))]
pub struct GridRaw {
    /// The price scan range as a fraction of the spot (SPAN's price scan range, here
    /// relative): the largest regular move is `±price_scan·S`. In `(0, 1)`.
    pub price_scan: Wad,
    /// The volatility scan range, relative: the scenarios' volatilities are `σ·(1 + vol_scan)`
    /// (up) and `σ·(1 − vol_scan)` (down). In `[0, 1)`.
    pub vol_scan: Wad,
    /// The number of price steps `n` on each side: moves of `j/n` of the range for
    /// `j = 0..=n` (SPAN: `3`, moves of 0, ±1/3, ±2/3, ±1). In `1..=MAX_GRID_STEPS`.
    pub steps: u32,
    /// The extreme moves' multiple `M` of the price scan range (CME SPAN: `3`), an integer
    /// `≥ 1` with `M·price_scan < 1` (so that the price stays positive).
    pub extreme_multiple: u32,
    /// The fraction of an extreme move's result that counts (CME SPAN: `0.35`), in `[0, 1]`.
    pub extreme_fraction: Wad,
    /// The look-ahead time in years by which every scenario is closer to expiry (SPAN: one
    /// trading day); `≥ 0` and below each position's `t`.
    pub horizon: Wad,
    /// The short-option minimum: the least requirement per unit of short options (SPAN's
    /// short option minimum charge), in the quote currency; `≥ 0`.
    pub short_minimum: Wad,
}

/// The parameters of a scenario grid, validated.
///
/// # The grid (CME SPAN's 16 scenarios when `steps = 3`)
///
/// With `n = steps`, `R = price_scan·S` and `σ` the current volatility, the scenarios are, in
/// this order (`j = 1..=n`):
///
/// ```text
/// 0,           σ_up      0,           σ_down                   (j = 0)
/// +j/n · R,    σ_up      +j/n · R,    σ_down
/// −j/n · R,    σ_up      −j/n · R,    σ_down                   (for each j in turn)
/// +M · R,      σ         −M · R,      σ        counted at extreme_fraction
/// ```
///
/// `4n + 4` scenarios (at most [`MAX_GRID_SCENARIOS`]); for `n = 3` they are SPAN's scenarios 1–16
/// in CME's order: price unchanged, up and down 1/3, 2/3 and 3/3 of the range, each with
/// volatility up and down, then an extreme move up and down with volatility unchanged, of
/// which only a fraction is counted ("CME SPAN Methodology", cmegroup.com: risk scenarios 15
/// and 16 are extreme moves of a multiple of the price scan range covering a fraction of the
/// loss; CME's defaults are 3 times the range and 35 %; older and other SPAN users, such as
/// NSCCL and McMillan's worked arrays, use 2 times and 35 %). Every scenario is also `horizon`
/// years closer to expiry (SPAN's look-ahead time).
///
/// # Rounding (against the account)
///
/// - a move's magnitude rounds up: `d_j = ⌈S·price_scan·j/n⌉`, `d_x = ⌈S·price_scan·M⌉`, and the
///   scenario spot is `S ± d`;
/// - the scenario volatilities round up: `σ_up = min(⌈σ·(1 + vol_scan)⌉, 10)`,
///   `σ_down = ⌈σ·(1 − vol_scan)⌉` (positive, as `σ > 0` and `vol_scan < 1`);
/// - a position's value in a scenario is the Black-Scholes-Merton price rounded up for a short
///   (a liability), down for a long; its current mark likewise, unless given;
/// - a position's P&L is `⌊q·(V_scenario − mark)⌋` (`q` signed: negative short); a scenario's
///   P&L is their sum, and an extreme scenario counts `⌊extreme_fraction · sum⌋`.
///
/// The requirement is `max(−min P&L, ⌈short_minimum · Σ_short |q|⌉, 0)`: the worst loss,
/// rounded up, never below the short-option minimum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "GridRaw", into = "GridRaw"))]
pub struct GridParams {
    raw: GridRaw,
}

impl GridRaw {
    /// A grid of the given scan ranges with CME SPAN's defaults: `steps = 3`,
    /// `extreme_multiple = 3`, `extreme_fraction = 0.35`, no horizon, no short-option minimum.
    #[must_use]
    pub const fn new(price_scan: Wad, vol_scan: Wad) -> Self {
        Self {
            price_scan,
            vol_scan,
            steps: 3,
            extreme_multiple: 3,
            extreme_fraction: Wad::from_raw(350_000_000_000_000_000),
            horizon: Wad::ZERO,
            short_minimum: Wad::ZERO,
        }
    }
}

/// A grid object as written on the wire (see [`crate::wire`]): every field `None` when absent.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct GridWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) price_scan: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) vol_scan: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) steps: Option<u32>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) extreme_multiple: Option<u32>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) extreme_fraction: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) horizon: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) short_minimum: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<GridWire> for GridRaw {
    type Error = Error;

    /// The scan ranges (required), every absent field at its default ([`GridRaw::new`]).
    fn try_from(w: GridWire) -> Result<Self> {
        use crate::wire::need;
        let mut raw = Self::new(need(w.price_scan, "price_scan")?, need(w.vol_scan, "vol_scan")?);
        raw.steps = w.steps.unwrap_or(raw.steps);
        raw.extreme_multiple = w.extreme_multiple.unwrap_or(raw.extreme_multiple);
        raw.extreme_fraction = w.extreme_fraction.unwrap_or(raw.extreme_fraction);
        raw.horizon = w.horizon.unwrap_or(raw.horizon);
        raw.short_minimum = w.short_minimum.unwrap_or(raw.short_minimum);
        Ok(raw)
    }
}

impl TryFrom<GridRaw> for GridParams {
    type Error = Error;

    fn try_from(raw: GridRaw) -> Result<Self> {
        Self::new(raw)
    }
}

impl From<GridParams> for GridRaw {
    fn from(p: GridParams) -> Self {
        p.raw
    }
}

/// `x · n` exactly, for a wad `x` and an integer `n`.
fn times(x: Wad, n: u32) -> Result<Wad> {
    x.raw()
        .checked_mul(i128::from(n))
        .map(Wad::from_raw)
        .ok_or(Error::Overflow)
}

impl GridParams {
    /// Validates the parameters.
    ///
    /// Errors: [`Error::Invalid`] naming the first field out of range, checked in the order
    /// `price_scan`, `vol_scan`, `steps`, `extreme_multiple`, `extreme_fraction`, `horizon`,
    /// `short_minimum` (ranges in [`GridRaw`]).
    pub fn new(raw: GridRaw) -> Result<Self> {
        ensure(
            raw.price_scan.is_positive() && raw.price_scan < Wad::ONE,
            "price_scan",
            "must be in (0, 1)",
        )?;
        ensure(
            (Wad::ZERO..Wad::ONE).contains(&raw.vol_scan),
            "vol_scan",
            "must be in [0, 1)",
        )?;
        ensure(
            (1..=MAX_GRID_STEPS).contains(&raw.steps),
            "steps",
            "must be in [1, 7] (MAX_GRID_STEPS)",
        )?;
        let extreme = times(raw.price_scan, raw.extreme_multiple).unwrap_or(Wad::MAX);
        ensure(
            raw.extreme_multiple != 0 && extreme < Wad::ONE,
            "extreme_multiple",
            "must be ≥ 1 and keep price_scan·extreme_multiple < 1",
        )?;
        ensure(
            (Wad::ZERO..=Wad::ONE).contains(&raw.extreme_fraction),
            "extreme_fraction",
            "must be in [0, 1]",
        )?;
        ensure(!raw.horizon.is_negative(), "horizon", "must be ≥ 0")?;
        ensure(!raw.short_minimum.is_negative(), "short_minimum", "must be ≥ 0")?;
        Ok(Self { raw })
    }

    /// The parameters these were built from.
    #[must_use]
    pub const fn raw(&self) -> GridRaw {
        self.raw
    }

    /// The number of scenarios: `4·steps + 4`.
    #[must_use]
    pub fn scenario_count(&self) -> usize {
        // steps ≤ MAX_GRID_STEPS = 7, so this is at most 32.
        usize::try_from(self.raw.steps).map_or(MAX_GRID_SCENARIOS, |n| n.saturating_mul(4).saturating_add(4))
    }
}

/// The underlying's market: spot, volatility, rate and yield (ranges of [`BsInputs`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GridMarket {
    /// The spot `S`.
    pub spot: Wad,
    /// The current volatility `σ`.
    pub vol: Wad,
    /// The risk-free rate `r`.
    pub rate: Wad,
    /// The underlying's yield `q` (`yield` on the wire).
    #[cfg_attr(feature = "serde", serde(rename = "yield"))]
    pub yield_: Wad,
}

impl GridMarket {
    /// The Black-Scholes-Merton inputs, on this market, of an option struck at `strike` with
    /// `t` years to expiry.
    ///
    /// Errors: as [`BsInputs::new`].
    pub fn inputs(&self, strike: Wad, t: Wad) -> Result<BsInputs> {
        BsInputs::new(BsInputsRaw {
            spot: self.spot,
            strike,
            vol: self.vol,
            t,
            rate: self.rate,
            yield_: self.yield_,
        })
    }
}

/// One option position of a grid, with its current mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GridPosition {
    /// The position (its quantity signed: negative short, positive long).
    pub position: OptionPosition,
    /// The current mark per unit; `None`: the model price (up for a short, down for a long).
    pub mark: Option<Wad>,
}

impl From<OptionPosition> for GridPosition {
    /// The position marked at the model price (`mark: None`).
    fn from(position: OptionPosition) -> Self {
        Self { position, mark: None }
    }
}

/// The result of a scenario grid.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GridMargin {
    /// Each scenario's counted P&L (gain positive, loss negative), in the grid's order.
    pub scenarios: heapless::Vec<Wad, MAX_GRID_SCENARIOS>,
    /// The index (from 0) of the worst scenario: the least P&L, the first one on ties.
    pub worst: usize,
    /// The worst loss: `max(−min P&L, 0)`.
    pub scan_risk: Wad,
    /// The short-option minimum: `⌈short_minimum · Σ_short |q|⌉`.
    pub short_minimum: Wad,
    /// The requirement: `max(scan_risk, short_minimum)`.
    pub requirement: Wad,
}

/// The rounding of a position's values: up for a short (a liability), down for a long.
fn direction(quantity: Wad) -> Rounding {
    if quantity.is_negative() {
        Rounding::Ceil
    } else {
        Rounding::Floor
    }
}

impl GridParams {
    /// The scenario grid of `positions` (at most [`MAX_GRID_POSITIONS`]) on `market` (see the
    /// type's docs for the scenarios, the rounding and the requirement).
    ///
    /// Errors: [`Error::Invalid`] naming `positions` when there are none; [`Error::Capacity`]
    /// naming `positions` beyond [`MAX_GRID_POSITIONS`]; `quantity` when a quantity is zero, `mark`
    /// when a mark is negative, `horizon` unless `horizon < t`; the fields of [`BsInputs`]
    /// (`spot`, `strike`, `vol`, `t`, `rate`, `yield`) out of range, for the market or for a
    /// scenario (a scenario spot above `10^18` or at zero is `spot`); [`Error::Overflow`].
    pub fn margin(&self, market: &GridMarket, positions: &[GridPosition]) -> Result<GridMargin> {
        ensure(!positions.is_empty(), "positions", "must hold at least one position")?;
        if positions.len() > MAX_GRID_POSITIONS {
            return Err(Error::capacity(
                "positions",
                "at most 16 positions (MAX_GRID_POSITIONS)",
            ));
        }
        let r = &self.raw;
        let mut marks = [Wad::ZERO; MAX_GRID_POSITIONS];
        let mut shorts = Wad::ZERO;
        for (GridPosition { position: p, mark }, slot) in positions.iter().zip(marks.iter_mut()) {
            ensure(!p.quantity.is_zero(), "quantity", "must not be 0")?;
            let now = market.inputs(p.strike, p.t)?;
            ensure(r.horizon < p.t, "horizon", "must be shorter than every position's t")?;
            *slot = match *mark {
                Some(m) => {
                    ensure(!m.is_negative(), "mark", "must be ≥ 0")?;
                    m
                }
                None => price(p.kind, &now, direction(p.quantity))?,
            };
            if p.quantity.is_negative() {
                shorts = shorts.sub(p.quantity)?;
            }
        }
        let s = market.spot;
        let sigma_up = market.vol.mul_ceil(Wad::ONE.add(r.vol_scan)?)?.min(MAX_VOL);
        let sigma_down = market.vol.mul_ceil(Wad::ONE.sub(r.vol_scan)?)?;
        let n = Wad::from_int(i128::from(r.steps))?;
        let mut scenarios: heapless::Vec<Wad, MAX_GRID_SCENARIOS> = heapless::Vec::new();
        let mut push = |pnl: Wad| {
            scenarios
                .push(pnl)
                .map_err(|_| Error::capacity("scenarios", "more than 32 scenarios (MAX_GRID_SCENARIOS)"))
        };
        for j in 0..=r.steps {
            let d = s.mul_div_ceil(times(r.price_scan, j)?, n)?;
            let spots = [s.add(d)?, s.sub(d)?];
            let sides = if j == 0 { 1 } else { 2 };
            for spot in spots.iter().take(sides) {
                for sigma in [sigma_up, sigma_down] {
                    push(self.pnl(market, positions, &marks, *spot, sigma)?)?;
                }
            }
        }
        let d = s.mul_ceil(times(r.price_scan, r.extreme_multiple)?)?;
        for spot in [s.add(d)?, s.sub(d)?] {
            let full = self.pnl(market, positions, &marks, spot, market.vol)?;
            push(r.extreme_fraction.mul_floor(full)?)?;
        }
        let (mut worst, mut least) = (0, Wad::MAX);
        for (i, v) in scenarios.iter().enumerate() {
            if *v < least {
                (worst, least) = (i, *v);
            }
        }
        let scan_risk = least.neg()?.max(Wad::ZERO);
        let short_minimum = r.short_minimum.mul_ceil(shorts)?;
        Ok(GridMargin {
            scenarios,
            worst,
            scan_risk,
            short_minimum,
            requirement: scan_risk.max(short_minimum),
        })
    }

    /// The P&L of `positions` (with current marks `marks`) at spot `spot` and volatility
    /// `sigma`, `horizon` closer to expiry: `Σ ⌊q·(V − mark)⌋`.
    fn pnl(
        &self,
        market: &GridMarket,
        positions: &[GridPosition],
        marks: &[Wad],
        spot: Wad,
        sigma: Wad,
    ) -> Result<Wad> {
        let mut total = Wad::ZERO;
        for (GridPosition { position: p, .. }, mark) in positions.iter().zip(marks) {
            let t = p.t.sub(self.raw.horizon)?;
            let inputs = BsInputs::new(BsInputsRaw {
                spot,
                strike: p.strike,
                vol: sigma,
                t,
                rate: market.rate,
                yield_: market.yield_,
            })?;
            let v = price(p.kind, &inputs, direction(p.quantity))?;
            total = total.add(p.quantity.mul_floor(v.sub(*mark)?)?)?;
        }
        Ok(total)
    }
}
