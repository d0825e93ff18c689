//! A cascade's scenario-wide settings: the shock path, gas, arbitrage, trader behaviour, the
//! seed and the block limit. Every field is validated by [`Settings::new`].

use crate::shock::Path;
use crate::{Error, Result, Rounding, Wad};

/// The most blocks one run may simulate: the engine's termination bound (see
/// [`Cascade`](super::Cascade)).
pub const MAX_BLOCKS: u64 = 10_000_000;
// The why of `max_blocks` states this bound.
const _: () = assert!(MAX_BLOCKS == 10_000_000);

/// The gas price, block by block: `base`, or `spike_price` during the spike's blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GasSchedule {
    base: Wad,
    spike: Option<GasSpike>,
}

/// A gas spike: the price is `price` from block `start` for `blocks` blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GasSpike {
    /// The first block of the spike.
    pub start: u64,
    /// How many blocks it lasts.
    pub blocks: u64,
    /// The gas price during the spike.
    pub price: Wad,
}

impl GasSchedule {
    /// A schedule of `base` with an optional spike.
    ///
    /// Errors: [`Error::Invalid`] naming `base` unless `base > 0`, `spike.price` unless it is
    /// positive, `spike.blocks` when zero.
    pub fn new(base: Wad, spike: Option<GasSpike>) -> Result<Self> {
        if !base.is_positive() {
            return Err(Error::invalid("base", "must be > 0"));
        }
        if let Some(s) = spike {
            if !s.price.is_positive() {
                return Err(Error::invalid("spike.price", "must be > 0"));
            }
            if s.blocks == 0 {
                return Err(Error::invalid("spike.blocks", "must be ≥ 1 block"));
            }
        }
        Ok(Self { base, spike })
    }

    /// The gas price outside any spike.
    #[must_use]
    pub const fn base(&self) -> Wad {
        self.base
    }

    /// The gas price at `block`.
    #[must_use]
    pub fn price(&self, block: u64) -> Wad {
        match self.spike {
            Some(s) if block >= s.start && block.saturating_sub(s.start) < s.blocks => s.price,
            _ => self.base,
        }
    }

    /// The first block from which the gas price never changes again.
    #[must_use]
    pub fn settles_at(&self) -> u64 {
        self.spike.map_or(0, |s| s.start.saturating_add(s.blocks))
    }
}

/// How fast the market recovers from the impact of sales: each block the impact decays by the
/// fraction `decay` toward the fundamental price (see [`Transient`](crate::market::Transient),
/// the transient impact of Obizhaeva and Wang), slowed by gas: at gas price `g` above the base
/// price the block's decay is `⌊decay · base / g⌋` (a gas spike crowds the arbitrageurs out).
/// A market recovers to within `band` of the fundamental once `|F − P| ≤ band · F`.
///
/// `decay = 0` is the instantaneous model: the impact of every sale is permanent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Resilience {
    decay: Wad,
    band: Wad,
}

impl Resilience {
    /// The half-life of impact, in blocks, of [`Resilience::default`]: ten blocks (two
    /// minutes of 12-second blocks), the order of the minutes over which on-chain pools are
    /// re-arbitraged after a large sale.
    pub const DEFAULT_HALF_LIFE: u64 = 10;
    /// The band of a recovered market, `0.001` (0.1 % of the fundamental).
    pub const DEFAULT_BAND: Wad = Wad::from_raw(1_000_000_000_000_000);
    /// No resilience: the instantaneous model, whose impact is permanent.
    pub const NONE: Self = Self {
        decay: Wad::ZERO,
        band: Self::DEFAULT_BAND,
    };

    /// Resilience of `decay` per block, recovered within `band`.
    ///
    /// Errors: [`Error::Invalid`] naming `decay` or `band` outside `[0, 1]`.
    pub fn new(decay: Wad, band: Wad) -> Result<Self> {
        if decay.is_negative() || decay > Wad::ONE {
            return Err(Error::invalid("decay", "must be in [0, 1]"));
        }
        if band.is_negative() || band > Wad::ONE {
            return Err(Error::invalid("band", "must be in [0, 1]"));
        }
        Ok(Self { decay, band })
    }

    /// Resilience whose impact halves every `blocks` blocks: `decay = 1 − ⌈0.5^⌊1/blocks⌋⌉`,
    /// the exponent rounded down and the power up (both make the decay no faster than the
    /// half-life says).
    ///
    /// Errors: [`Error::Invalid`] naming `half_life` when `blocks` is 0, `band` outside
    /// `[0, 1]`; [`Error::Overflow`].
    pub fn from_half_life(blocks: u64, band: Wad) -> Result<Self> {
        if blocks == 0 {
            return Err(Error::invalid("half_life", "must be ≥ 1 block"));
        }
        let n = Wad::from_int(i128::from(blocks))?;
        let exponent = Wad::ONE.div_floor(n)?;
        let half = Wad::from_raw(500_000_000_000_000_000);
        let retained = half.pow(exponent, Rounding::Ceil)?;
        Self::new(Wad::ONE.sub(retained)?, band)
    }

    /// The impact's decay per block at the base gas price.
    #[must_use]
    pub const fn decay(&self) -> Wad {
        self.decay
    }

    /// The band within which the market counts as recovered.
    #[must_use]
    pub const fn band(&self) -> Wad {
        self.band
    }

    /// The decay at gas price `price`: `⌊decay · min(1, base / price)⌋`.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn decay_at(&self, gas: &GasSchedule, price: Wad) -> Result<Wad> {
        if price <= gas.base() {
            Ok(self.decay)
        } else {
            self.decay.mul_div_floor(gas.base(), price)
        }
    }

    /// Whether a market at `market` is back within the band of `fundamental`.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn recovered(&self, market: Wad, fundamental: Wad) -> Result<bool> {
        Ok(fundamental.sub(market)?.abs()? <= self.band.mul_floor(fundamental)?)
    }
}

impl Default for Resilience {
    /// A half-life of [`DEFAULT_HALF_LIFE`](Self::DEFAULT_HALF_LIFE) blocks, recovered within
    /// [`DEFAULT_BAND`](Self::DEFAULT_BAND).
    fn default() -> Self {
        // 0.5^0.1 = 0.933032991536807415…, rounded up: decay 0.066967008463192584.
        Self {
            decay: Wad::from_raw(66_967_008_463_192_584),
            band: Self::DEFAULT_BAND,
        }
    }
}

/// The arbitrageurs who restore the market after sales: at most `capacity` base units a block
/// at the base gas price (no limit when `None`), scaled by `min(1, base_gas / gas)` when gas is
/// dearer (a gas spike crowds them out), rounded down. How fast they close the impact is the
/// market's [`Resilience`]; the capacity only caps the volume they trade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Arbitrage {
    capacity: Option<Wad>,
}

impl Arbitrage {
    /// Arbitrage without a volume limit.
    pub const UNLIMITED: Self = Self { capacity: None };

    /// Arbitrage of at most `capacity` base units a block (0: none, so the impact never
    /// decays).
    ///
    /// Errors: [`Error::Invalid`] naming `capacity` when negative.
    pub fn new(capacity: Wad) -> Result<Self> {
        if capacity.is_negative() {
            return Err(Error::invalid("capacity", "must be ≥ 0"));
        }
        Ok(Self {
            capacity: Some(capacity),
        })
    }

    /// The capacity at the base gas price (`None`: no limit).
    #[must_use]
    pub const fn capacity(&self) -> Option<Wad> {
        self.capacity
    }

    /// The capacity at gas price `price`: `⌊capacity · min(1, base / price)⌋`.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn capacity_at(&self, gas: &GasSchedule, price: Wad) -> Result<Option<Wad>> {
        match self.capacity {
            Some(c) if price > gas.base() => c.mul_div_floor(gas.base(), price).map(Some),
            other => Ok(other),
        }
    }
}

/// The mix of trader behaviours and their thresholds. Traders watch their accounts once the
/// account's liquidation price is within `watch_band` of the oracle price
/// (`liquidation price ≥ oracle · (1 − watch_band)`); only watched accounts act.
///
/// | behaviour | share | acts when | does |
/// |---|---|---|---|
/// | hold | `1 − top_up − deleverage − panic` | never | nothing (the disposition effect) |
/// | top up | `top_up` | watched, once | adds `⌊collateral · top_up_fraction⌋` collateral (a perp adds that much value in quote) |
/// | deleverage | `deleverage` | watched and not liquidatable, each block | sells `⌊collateral · deleverage_fraction⌋` and repays debt with the proceeds |
/// | panic | `panic` | watched and drawdown `≥ panic_drawdown` | sells all its collateral and repays its debt, if the sale covers the debt |
///
/// A trader's sale surplus above its debt leaves the system (it is reported). A venue refuses
/// to release collateral from a liquidatable account, so a deleveraging trader stops once its
/// account is liquidatable, and a panicking one sells only when the sale repays the whole debt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BehaviourMix {
    raw: BehaviourMixRaw,
}

/// The fields of a [`BehaviourMix`], unchecked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BehaviourMixRaw {
    /// Share of traders who top up.
    pub top_up: Wad,
    /// Share of traders who deleverage.
    pub deleverage: Wad,
    /// Share of traders who panic.
    pub panic: Wad,
    /// How close to liquidation (relative to the oracle price) a trader starts watching.
    pub watch_band: Wad,
    /// The fraction of its collateral a top-up adds.
    pub top_up_fraction: Wad,
    /// The fraction of its collateral a deleveraging trader sells each block.
    pub deleverage_fraction: Wad,
    /// The market drawdown from the start at which panicking traders sell.
    pub panic_drawdown: Wad,
}

impl BehaviourMixRaw {
    /// Everyone holds: no trader ever acts.
    pub const HOLD: Self = Self {
        top_up: Wad::ZERO,
        deleverage: Wad::ZERO,
        panic: Wad::ZERO,
        watch_band: Wad::ZERO,
        top_up_fraction: Wad::ZERO,
        deleverage_fraction: Wad::ZERO,
        panic_drawdown: Wad::ONE,
    };
}

impl BehaviourMix {
    /// Validates a mix.
    ///
    /// Errors: [`Error::Invalid`] naming the first field outside `[0, 1]`, or `panic` when the
    /// three shares sum above 1.
    pub fn new(raw: BehaviourMixRaw) -> Result<Self> {
        for (v, what) in [
            (raw.top_up, "top_up"),
            (raw.deleverage, "deleverage"),
            (raw.panic, "panic"),
            (raw.watch_band, "watch_band"),
            (raw.top_up_fraction, "top_up_fraction"),
            (raw.deleverage_fraction, "deleverage_fraction"),
            (raw.panic_drawdown, "panic_drawdown"),
        ] {
            if v.is_negative() || v > Wad::ONE {
                return Err(Error::invalid(what, "must be in [0, 1]"));
            }
        }
        if raw.top_up.add(raw.deleverage)?.add(raw.panic)? > Wad::ONE {
            return Err(Error::invalid("panic", "top_up + deleverage + panic must be ≤ 1"));
        }
        Ok(Self { raw })
    }

    /// The mix's fields.
    #[must_use]
    pub const fn raw(&self) -> BehaviourMixRaw {
        self.raw
    }

    /// Whether any trader ever acts.
    #[must_use]
    pub fn is_passive(&self) -> bool {
        self.raw.top_up.is_zero() && self.raw.deleverage.is_zero() && self.raw.panic.is_zero()
    }
}

/// Everything about a run that is not a venue, a liquidator or the market.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings<'a> {
    /// The fundamental price of the shared collateral, by block: the exogenous shock, which
    /// moves the market directly.
    pub path: Path<'a>,
    /// The gas price by block.
    pub gas: GasSchedule,
    /// How fast the market's impact decays toward the fundamental.
    pub resilience: Resilience,
    /// The arbitrageurs who close it, and their volume limit.
    pub arbitrage: Arbitrage,
    /// Gas available to liquidations in one block (shared by every venue).
    pub block_gas: Wad,
    /// The collateral's volatility per √block, which liquidators charge as execution risk.
    pub volatility: Wad,
    /// Trader behaviour.
    pub behaviour: BehaviourMix,
    /// The band of the systemic debt ratio: accounts whose liquidation price is within
    /// `risk_band` of the oracle price count as at risk.
    pub risk_band: Wad,
    /// The seed of every random draw.
    pub seed: u64,
    /// The block limit (`1 ..= MAX_BLOCKS`).
    pub max_blocks: u64,
}

impl Settings<'_> {
    /// Checks the fields that their types do not already guarantee.
    ///
    /// Errors: [`Error::Invalid`] naming `max_blocks` outside `1 ..= MAX_BLOCKS`,
    /// `block_gas`, `volatility` or `risk_band` when negative (`risk_band` also above 1).
    pub fn check(&self) -> Result<()> {
        if self.max_blocks == 0 || self.max_blocks > MAX_BLOCKS {
            return Err(Error::invalid(
                "max_blocks",
                "must be from 1 to 10,000,000 (MAX_BLOCKS)",
            ));
        }
        if self.block_gas.is_negative() {
            return Err(Error::invalid("block_gas", "must be ≥ 0"));
        }
        if self.volatility.is_negative() {
            return Err(Error::invalid("volatility", "must be ≥ 0"));
        }
        if self.risk_band.is_negative() || self.risk_band > Wad::ONE {
            return Err(Error::invalid("risk_band", "must be in [0, 1]"));
        }
        Ok(())
    }
}
