//! Cascade scenarios: one path-aware reader of the scenario JSON (`vectors/scenarios/README.md`),
//! an owned [`Scenario`] that builds the engine's borrowed types and runs it, and the JSON
//! report of a run (what `lce run --json` prints and the `cascade` op answers).

use core::cell::Cell;
use core::sync::atomic::{AtomicBool, Ordering};
use std::string::{String, ToString};
use std::vec::Vec;

use serde_json::{Map, Value};

use super::args::{Fields, wad_value};
use super::ops_liquidator::PROFILE;
use super::ops_margin::{GOVERNOR, PARAMS as DYNAMIC_PARAMS};
use super::ops_market::read_market;
use super::ops_oracle::{FEED, GUARDS};
use super::ops_risk::{LIQUIDATION, read_waterfall};
use super::ops_vol_path::{VolSpec, read_vol};
use super::spec::{Field, Keys, Spec};
use super::world::{option, perp_params, token_params};
use super::{OpError, Output, why};
use crate::account::{OptionMark, OptionParams, PerpParams, TokenParams};
use crate::cascade::{
    Arbitrage, Behaviour, BehaviourMix, BehaviourMixRaw, BlockRecord, Book, Borrower, Cascade, Conservation,
    GasSchedule, GasSpike, Ledger, Leverage, Liquidator, MAX_BLOCKS, OptionsMargin, PoolTerms, Population,
    PopulationRaw, Report, Resilience, Settings, Sink, Sizing, Slot, Venue, VenueKind, VenueParams, totals,
};
use crate::liquidation::{LiquidationParams, Waterfall};
use crate::liquidator::ProfileRaw;
use crate::margin::{DynamicMarginParams, DynamicMarginRaw, GovernorParams, MarginGovernor};
use crate::market::{Depth, Market};
use crate::oracle::{FeedParams, Guards};
use crate::rng::Rng;
use crate::shock::{GarchParams, GbmParams, Path, garch_path, gbm_path};
use crate::{Error, Wad};

/// The most accounts one venue of a scenario may have (listed or generated).
pub const MAX_ACCOUNTS: u32 = 10_000_000;

/// The why of more accounts than [`MAX_ACCOUNTS`].
const MAX_ACCOUNTS_WHY: &str = "at most 10,000,000 accounts";
const _: () = assert!(MAX_ACCOUNTS == 10_000_000);

/// The why of a `max_blocks` outside `1 ..= MAX_BLOCKS`.
const MAX_BLOCKS_WHY: &str = "must be from 1 to 10,000,000 (MAX_BLOCKS)";

/// The top-level keys of a scenario.
pub const SCENARIO_KEYS: &[&str] = &[
    "name",
    "description",
    "seed",
    "max_blocks",
    "path",
    "gas",
    "block_gas",
    "volatility",
    "risk_band",
    "arbitrage",
    "behaviour",
    "market",
    "venues",
    "liquidators",
];

/// The shock path as the scenario gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSpec {
    /// One price throughout.
    Constant(Wad),
    /// `from` before block `at`, `to` from it on.
    Instant {
        /// The price before the drop.
        from: Wad,
        /// The price after it.
        to: Wad,
        /// The block of the drop.
        at: u64,
    },
    /// `from` until block `start`, then a straight line to `to` over `blocks` blocks.
    Linear {
        /// The price before the decline.
        from: Wad,
        /// The price at its end.
        to: Wad,
        /// The first block of the decline.
        start: u64,
        /// How many blocks it lasts (`> 0`).
        blocks: u64,
    },
    /// One price per block from block 0; the last one holds after the list.
    Listed(Vec<Wad>),
    /// A GARCH(1,1) path ([`garch_path`]) of `blocks` blocks drawn from the scenario's seed
    /// (the stream [`Rng::derive`]`(seed, `[`PATH_STREAM`]`)`); the price holds after it.
    Garch {
        /// Its parameters.
        params: GarchParams,
        /// The length of the stochastic stretch (`1 ..= max_blocks`).
        blocks: u64,
        /// The prices drawn, blocks `0 ..= blocks`.
        prices: Vec<Wad>,
    },
    /// A geometric Brownian motion ([`gbm_path`]) of `blocks` blocks drawn from the
    /// scenario's seed (the stream [`Rng::derive`]`(seed, `[`PATH_STREAM`]`)`); the price holds
    /// after it.
    Gbm {
        /// Its parameters.
        params: GbmParams,
        /// The length of the stochastic stretch (`1 ..= max_blocks`).
        blocks: u64,
        /// The prices drawn, blocks `0 ..= blocks`.
        prices: Vec<Wad>,
    },
}

/// The key of the random stream a `garch` or `gbm` path draws from: [`Rng::derive`]`(seed,
/// 2⁶²)`, apart from the behaviours' keys (`v·2³² + i`) and the populations' (`2⁶³ + v·2³² +
/// i`).
pub const PATH_STREAM: u64 = 1 << 62;

impl PathSpec {
    /// The price at block 0 (the start price the population is drawn against).
    #[must_use]
    pub fn start(&self) -> Wad {
        match self {
            Self::Constant(p) => *p,
            Self::Instant { from, at, to } => {
                if *at == 0 {
                    *to
                } else {
                    *from
                }
            }
            Self::Linear { from, .. } => *from,
            Self::Listed(l) => l.first().copied().unwrap_or(Wad::ZERO),
            Self::Garch { params, .. } => params.price(),
            Self::Gbm { params, .. } => params.price(),
        }
    }

    /// The fundamental price at every block `0 ..= blocks` (the last one holds after it):
    /// for the random kinds the prices drawn.
    ///
    /// Errors: [`Error::Invalid`] naming `path` for a path the reader would refuse.
    pub fn prices(&self, blocks: u64) -> crate::Result<Vec<Wad>> {
        let path = self.path()?;
        (0..=blocks).map(|b| path.price(b)).collect()
    }

    /// The kernel's [`Path`] of this spec (borrowing a listed or drawn path).
    fn path(&self) -> crate::Result<Path<'_>> {
        match self {
            Self::Constant(p) => Path::new_constant(*p),
            Self::Instant { from, to, at } => Path::new_instant(*from, *to, *at),
            Self::Linear {
                from,
                to,
                start,
                blocks,
            } => Path::new_linear(*from, *to, *start, *blocks),
            Self::Listed(l) | Self::Garch { prices: l, .. } | Self::Gbm { prices: l, .. } => Path::new_listed(l),
        }
    }
}

/// One venue of a scenario, with its accounts (listed, or drawn when the scenario was read).
#[derive(Clone, Debug)]
pub struct VenueData {
    /// Its name.
    pub name: String,
    /// Its parameters.
    pub params: VenueParams,
    /// Its accounts at the start (an options venue's `debt` is each writer's short in option
    /// units).
    pub accounts: Vec<Borrower>,
    /// An options venue's volatility path, if it has one.
    pub vol: Option<VolSpec>,
    /// An option pool's terms (a venue of kind `"option_pool"`).
    pub pool: Option<PoolTerms>,
}

impl VenueData {
    /// `"lending"`, `"perp"`, `"options"` or `"option_pool"`.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        if self.pool.is_some() {
            return "option_pool";
        }
        match self.params.kind {
            VenueKind::Lending { .. } => "lending",
            VenueKind::Perp { .. } => "perp",
            VenueKind::Options(_) => "options",
        }
    }
}

/// A scenario read and validated: everything a run needs, owned.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Its name.
    pub name: String,
    /// What it is about, in a sentence or two.
    pub description: String,
    /// The seed of every random draw.
    pub seed: u64,
    /// The block limit.
    pub max_blocks: u64,
    /// The shock path.
    pub path: PathSpec,
    /// The gas price by block.
    pub gas: GasSchedule,
    /// Gas available to liquidations per block.
    pub block_gas: Wad,
    /// Volatility per √block.
    pub volatility: Wad,
    /// The systemic debt ratio's band.
    pub risk_band: Wad,
    /// How fast the market's impact decays toward the fundamental.
    pub resilience: Resilience,
    /// The arbitrageurs.
    pub arbitrage: Arbitrage,
    /// The trader behaviour mix.
    pub behaviour: BehaviourMix,
    /// The shared market at the start.
    pub market: Market,
    /// The venues.
    pub venues: Vec<VenueData>,
    /// The liquidators, with their names.
    pub liquidators: Vec<(String, Liquidator)>,
}

/// What a run gives: the engine's report, every block's record, and the state at the end.
#[derive(Clone, Debug)]
pub struct RunOutcome {
    /// The run's summary.
    pub report: Report,
    /// Every block's record, in order.
    pub records: Vec<BlockRecord>,
    /// The liquidators at the end.
    pub liquidators: Vec<Liquidator>,
    /// Per venue: the sums of its accounts' collateral and debt at the end of the run.
    pub totals: Vec<(Wad, Wad)>,
    /// Per venue: its books at the end of the run (the report's are at the equilibrium).
    pub ledgers: Vec<Ledger>,
    /// Whether the caller's stop flag cut the run short (see [`Scenario::run_until`]): before
    /// the equilibrium (`report.stop` is then `interrupted`) or during the recovery.
    pub interrupted: bool,
}

/// A [`Sink`] that keeps every record, shows each to a callback (progress), and asks the
/// engine to stop once `stop` is set (remembering that it did).
struct Collect<'f> {
    records: Vec<BlockRecord>,
    on_block: &'f mut dyn FnMut(&BlockRecord),
    stop: &'f AtomicBool,
    stopped: Cell<bool>,
}

impl Sink for Collect<'_> {
    fn record(&mut self, record: &BlockRecord) -> crate::Result<()> {
        (self.on_block)(record);
        self.records.push(record.clone());
        Ok(())
    }

    fn interrupted(&self) -> bool {
        let stop = self.stop.load(Ordering::Relaxed);
        if stop {
            self.stopped.set(true);
        }
        stop
    }
}

/// Reads a scenario object; every error names the JSON path of the bad field (such as
/// `venues[1].oracle.latency`).
///
/// Errors: `invalid` naming the field (see `vectors/scenarios/README.md`); the kernel's
/// errors for values it cannot represent.
pub fn read_scenario(input: &Map<String, Value>) -> Result<Scenario, OpError> {
    let root = Fields::root(input);
    root.strict_for(&[&SCENARIO_KEYS])?;
    let name = root.text_or("name", "unnamed")?.to_string();
    let description = root.text_or("description", "")?.to_string();
    let seed = if root.has("seed") { root.integer("seed")? } else { 0 };
    let max_blocks = u64::from(root.count("max_blocks")?);
    if max_blocks == 0 || max_blocks > MAX_BLOCKS {
        return Err(OpError::invalid("max_blocks", MAX_BLOCKS_WHY));
    }
    let path = read_path(&root.object("path")?, &PathContext { seed, max_blocks })?;
    let gas = read_gas(&root.object("gas")?)?;
    let block_gas = root.decimal("block_gas")?;
    let volatility = root.decimal_or("volatility", Wad::ZERO)?;
    let risk_band = root.decimal_or("risk_band", Wad::ZERO)?;
    let arbitrage = match root.opt_object("arbitrage")? {
        Some(a) => Arbitrage::new(ARBITRAGE.read(&a)?).map_err(|e| a.kernel(e))?,
        None => Arbitrage::UNLIMITED,
    };
    let behaviour = match root.opt_object("behaviour")? {
        Some(b) => {
            let raw = BEHAVIOUR.read_with(&b, BehaviourMixRaw::HOLD, &())?;
            BehaviourMix::new(raw).map_err(|e| b.kernel(e))?
        }
        None => BehaviourMix::new(BehaviourMixRaw::HOLD)?,
    };
    let market_f = root.object("market")?;
    let resilience = match market_f.opt_object("resilience")? {
        Some(r) => read_resilience(&r)?,
        None => Resilience::default(),
    };
    let mut scratch = Map::new();
    let market = read_market(&market_f.without("resilience", &mut scratch))?;
    let start = path.start();
    let venues_f = root.objects("venues")?;
    if venues_f.is_empty() {
        return Err(OpError::invalid("venues", "must hold at least one venue"));
    }
    if venues_f.len() > crate::cascade::MAX_VENUES {
        return Err(OpError::invalid("venues", "at most 4 venues"));
    }
    let mut venues = Vec::new();
    for (vi, f) in venues_f.iter().enumerate() {
        let vi = u32::try_from(vi).map_err(|_| OpError::invalid("venues", "at most 4 venues"))?;
        venues.push(read_venue(f, vi, start, seed)?);
    }
    let liq_f = root.objects("liquidators")?;
    if liq_f.len() > crate::cascade::MAX_LIQUIDATORS {
        return Err(OpError::invalid("liquidators", "at most 64 liquidators"));
    }
    let mut liquidators = Vec::new();
    for f in &liq_f {
        liquidators.push(read_liquidator(f)?);
    }
    let scenario = Scenario {
        name,
        description,
        seed,
        max_blocks,
        path,
        gas,
        block_gas,
        volatility,
        risk_band,
        resilience,
        arbitrage,
        behaviour,
        market,
        venues,
        liquidators,
    };
    // The settings' own checks (block_gas, volatility, risk_band), named at the top level.
    scenario.settings(max_blocks).check()?;
    Ok(scenario)
}

/// The wire names of [`Behaviour`].
pub(super) const BEHAVIOURS: &[(&str, Behaviour)] = &[
    ("hold", Behaviour::Hold),
    ("top_up", Behaviour::TopUp),
    ("deleverage", Behaviour::Deleverage),
    ("panic", Behaviour::Panic),
];

/// The wire names of a liquidator's [`Sizing`].
pub(super) const SIZINGS: &[(&str, Sizing)] = &[("best", Sizing::Best), ("whole", Sizing::Whole)];

/// What a random path is drawn with: the scenario's seed and block limit.
pub(super) struct PathContext {
    /// The scenario's seed.
    pub(super) seed: u64,
    /// The scenario's `max_blocks` (a random path's `blocks` may not exceed it).
    pub(super) max_blocks: u64,
}

/// A reader of a shock path of one kind.
type ReadPath = fn(&Fields<'_>, &PathContext) -> Result<PathSpec, OpError>;

/// The kinds of `path`, each with its reader.
const PATHS: &[(&str, ReadPath)] = &[
    ("constant", |f, _| {
        let w = CONSTANT.read(f)?;
        Ok(PathSpec::Constant(w.price))
    }),
    ("instant", |f, _| {
        let w = INSTANT.read(f)?;
        Ok(PathSpec::Instant {
            from: w.from,
            to: w.to,
            at: w.at,
        })
    }),
    ("linear", |f, _| {
        let w = LINEAR.read(f)?;
        Ok(PathSpec::Linear {
            from: w.from,
            to: w.to,
            start: w.start,
            blocks: w.blocks,
        })
    }),
    ("listed", |f, _| LISTED.read(f).map(PathSpec::Listed)),
    ("garch", read_garch),
    ("gbm", read_gbm),
];

/// A random path's fields as read.
#[derive(Default)]
struct RandomWire {
    price: Wad,
    omega: Wad,
    alpha: Wad,
    beta: Wad,
    nu: Option<u32>,
    jump_prob: Wad,
    jump_size: Wad,
    drift: Wad,
    volatility: Wad,
    blocks: u32,
}

/// `{"kind": "garch", "price", "omega", "alpha", "beta", "nu"?, "jump_prob"?, "jump_size"?,
/// "blocks"}` (no `nu`: Gaussian innovations; no jumps: `jump_prob` 0).
const GARCH: Spec<RandomWire> = Spec::new(&[
    Field::tag("kind"),
    Field::with("price", |f, k, w, _| positive(f, k).map(|p| w.price = p)),
    Field::decimal("omega", |w| &mut w.omega),
    Field::decimal("alpha", |w| &mut w.alpha),
    Field::decimal("beta", |w| &mut w.beta),
    Field::opt_count("nu", |w| &mut w.nu),
    Field::opt_decimal("jump_prob", |w| &mut w.jump_prob),
    Field::opt_decimal("jump_size", |w| &mut w.jump_size),
    Field::count("blocks", |w| &mut w.blocks),
]);

/// `{"kind": "gbm", "price", "drift"?, "volatility", "blocks"}` (no `drift`: 0).
const GBM: Spec<RandomWire> = Spec::new(&[
    Field::tag("kind"),
    Field::with("price", |f, k, w, _| positive(f, k).map(|p| w.price = p)),
    Field::opt_decimal("drift", |w| &mut w.drift),
    Field::decimal("volatility", |w| &mut w.volatility),
    Field::count("blocks", |w| &mut w.blocks),
]);

/// A random path's `blocks`: `1 ..= max_blocks`, and the buffer of its `blocks + 1` prices.
fn random_blocks(f: &Fields<'_>, blocks: u32, ctx: &PathContext) -> Result<(u64, Vec<Wad>), OpError> {
    let blocks = u64::from(blocks);
    if blocks == 0 || blocks > ctx.max_blocks {
        return Err(OpError::invalid(
            f.name("blocks"),
            "must be from 1 to the scenario's max_blocks (the stochastic stretch lies within the run)",
        ));
    }
    let len = usize::try_from(blocks)
        .ok()
        .and_then(|b| b.checked_add(1))
        .ok_or_else(|| OpError::invalid(f.name("blocks"), "too many blocks to hold their prices"))?;
    Ok((blocks, std::vec![Wad::ZERO; len]))
}

/// A drawn path that leaves the `Wad` range is an `overflow` naming `path` (without a `why`, as
/// every overflow: the scenario README says what explodes, the variance).
fn drawn(f: &Fields<'_>, e: Error) -> OpError {
    match e {
        Error::Overflow => OpError {
            kind: "overflow",
            what: f.path().to_string(),
            why: None,
        },
        other => f.kernel(other),
    }
}

fn read_garch(f: &Fields<'_>, ctx: &PathContext) -> Result<PathSpec, OpError> {
    let w = GARCH.read(f)?;
    let params = match w.nu {
        Some(nu) => GarchParams::new(w.price, w.omega, w.alpha, w.beta, nu),
        None => GarchParams::gaussian(w.price, w.omega, w.alpha, w.beta),
    }
    .and_then(|p| p.with_jumps(w.jump_prob, w.jump_size))
    .map_err(|e| f.kernel(e))?;
    let (blocks, mut prices) = random_blocks(f, w.blocks, ctx)?;
    garch_path(&params, &mut Rng::derive(ctx.seed, PATH_STREAM), &mut prices).map_err(|e| drawn(f, e))?;
    Ok(PathSpec::Garch { params, blocks, prices })
}

fn read_gbm(f: &Fields<'_>, ctx: &PathContext) -> Result<PathSpec, OpError> {
    let w = GBM.read(f)?;
    let params = GbmParams::new(w.price, w.drift, w.volatility).map_err(|e| f.kernel(e))?;
    let (blocks, mut prices) = random_blocks(f, w.blocks, ctx)?;
    gbm_path(&params, &mut Rng::derive(ctx.seed, PATH_STREAM), &mut prices).map_err(|e| drawn(f, e))?;
    Ok(PathSpec::Gbm { params, blocks, prices })
}

/// A path's fields as read (each kind reads some of them).
#[derive(Default)]
struct PathWire {
    price: Wad,
    from: Wad,
    to: Wad,
    at: u64,
    start: u64,
    blocks: u64,
}

/// The positive price `key` of a path.
fn positive(f: &Fields<'_>, key: &str) -> Result<Wad, OpError> {
    let p = f.decimal(key)?;
    if p.is_positive() {
        Ok(p)
    } else {
        Err(OpError::invalid(f.name(key), "must be > 0"))
    }
}

/// `{"kind": "constant", "price"}`.
const CONSTANT: Spec<PathWire> = Spec::new(&[
    Field::tag("kind"),
    Field::with("price", |f, k, w, _| positive(f, k).map(|p| w.price = p)),
]);

/// `{"kind": "instant", "from", "to", "at"}`.
const INSTANT: Spec<PathWire> = Spec::new(&[
    Field::tag("kind"),
    Field::with("from", |f, k, w, _| positive(f, k).map(|p| w.from = p)),
    Field::with("to", |f, k, w, _| positive(f, k).map(|p| w.to = p)),
    Field::count("at", |w| &mut w.at),
]);

/// `{"kind": "linear", "from", "to", "start", "blocks"}` (`blocks > 0`).
const LINEAR: Spec<PathWire> = Spec::new(&[
    Field::tag("kind"),
    Field::with("from", |f, k, w, _| positive(f, k).map(|p| w.from = p)),
    Field::with("to", |f, k, w, _| positive(f, k).map(|p| w.to = p)),
    Field::count("start", |w| &mut w.start),
    Field::with("blocks", |f, k, w, _| match f.count(k)? {
        0 => Err(OpError::invalid(f.name(k), "must be ≥ 1 block")),
        n => {
            w.blocks = u64::from(n);
            Ok(())
        }
    }),
]);

/// `{"kind": "listed", "prices"}`: at least one price, each positive.
const LISTED: Spec<Vec<Wad>> = Spec::new(&[
    Field::tag("kind"),
    Field::with("prices", |f, k, w, _| {
        let prices = f.decimals(k)?;
        if prices.is_empty() {
            return Err(OpError::invalid(f.name(k), "must hold at least one price"));
        }
        if let Some(i) = prices.iter().position(|p| !p.is_positive()) {
            return Err(OpError::invalid(std::format!("{}[{i}]", f.name(k)), "must be > 0"));
        }
        *w = prices;
        Ok(())
    }),
]);

/// `gas`: a `base` price and an optional `spike`.
const GAS: Spec<(Wad, Option<GasSpike>)> = Spec::new(&[
    Field::decimal("base", |w| &mut w.0),
    Field::opt_with("spike", |f, k, w, _| {
        let none = GasSpike {
            start: 0,
            blocks: 0,
            price: Wad::ZERO,
        };
        SPIKE.read_with(&f.object(k)?, none, &()).map(|s| w.1 = Some(s))
    }),
]);

/// A gas spike: `start`, `blocks`, `price`.
const SPIKE: Spec<GasSpike> = Spec::new(&[
    Field::count("start", |w| &mut w.start),
    Field::count("blocks", |w| &mut w.blocks),
    Field::decimal("price", |w| &mut w.price),
]);

/// `arbitrage`: its `capacity`.
const ARBITRAGE: Spec<Wad> = Spec::new(&[Field::decimal("capacity", |w| w)]);

/// A market's `resilience` as read: a `half_life` in blocks or a `decay` per block (not both),
/// and the recovery `band`.
#[derive(Default)]
struct ResilienceWire {
    half_life: Option<u32>,
    decay: Option<Wad>,
    band: Option<Wad>,
}

/// `market.resilience`: `half_life` (blocks, `≥ 1`) or `decay` (per block, in `[0, 1]`; `"0"`
/// is the instantaneous model), and `band` ([`Resilience::DEFAULT_BAND`] when absent).
const RESILIENCE: Spec<ResilienceWire> = Spec::new(&[
    Field::opt_count("half_life", |w| &mut w.half_life),
    Field::opt_decimal("decay", |w| &mut w.decay),
    Field::opt_decimal("band", |w| &mut w.band),
]);

fn read_resilience(f: &Fields<'_>) -> Result<Resilience, OpError> {
    let w = RESILIENCE.read(f)?;
    let band = w.band.unwrap_or(Resilience::DEFAULT_BAND);
    match (w.half_life, w.decay) {
        (Some(h), None) => Resilience::from_half_life(u64::from(h), band),
        (None, Some(d)) => Resilience::new(d, band),
        // Exactly one of the two: both, or neither, names `decay`.
        (Some(_), Some(_)) => return Err(OpError::invalid(f.name("decay"), "must not be given with half_life")),
        (None, None) => {
            return Err(OpError::invalid(
                f.name("decay"),
                "is required unless half_life is given",
            ));
        }
    }
    .map_err(|e| f.kernel(e))
}

/// `behaviour`: every field [`BehaviourMixRaw::HOLD`]'s when absent.
const BEHAVIOUR: Spec<BehaviourMixRaw> = Spec::new(&[
    Field::opt_decimal("top_up", |w| &mut w.top_up),
    Field::opt_decimal("deleverage", |w| &mut w.deleverage),
    Field::opt_decimal("panic", |w| &mut w.panic),
    Field::opt_decimal("watch_band", |w| &mut w.watch_band),
    Field::opt_decimal("top_up_fraction", |w| &mut w.top_up_fraction),
    Field::opt_decimal("deleverage_fraction", |w| &mut w.deleverage_fraction),
    Field::opt_decimal("panic_drawdown", |w| &mut w.panic_drawdown),
]);

/// A reader of a venue's kind-specific fields (its keys checked with [`VENUE`]'s).
type ReadKind = fn(&Fields<'_>) -> Result<VenueKind, OpError>;

/// The kinds of a venue: the keys of their own fields, and their reader.
const VENUE_KINDS: &[(&str, (&dyn Keys, ReadKind))] = &[
    (
        "lending",
        (&LENDING, |f| {
            let mut w = (None, None);
            LENDING.fill(f, &mut w, &())?;
            match w {
                (Some(collateral), Some(debt)) => Ok(VenueKind::Lending { collateral, debt }),
                _ => Err(OpError::invalid(f.name("collateral"), why::REQUIRED)),
            }
        }),
    ),
    (
        "perp",
        (&PERP, |f| {
            let mut market = None;
            PERP.fill(f, &mut market, &())?;
            market
                .map(|market| VenueKind::Perp { market })
                .ok_or_else(|| OpError::invalid(f.name("market"), why::REQUIRED))
        }),
    ),
    (
        "options",
        (&OPTIONS, |f| {
            let mut w = OptionsWire::default();
            OPTIONS.fill(f, &mut w, &())?;
            let (Some(collateral), Some((series, mark))) = (w.collateral, w.series) else {
                return Err(OpError::invalid(f.name("collateral"), why::REQUIRED));
            };
            let margin = w.dynamic.map_or(OptionsMargin::Standard, OptionsMargin::Dynamic);
            Book::new(collateral, series, mark, margin)
                .map(VenueKind::Options)
                .map_err(|e| f.object("series").map_or_else(|err| err, |s| s.kernel(e)))
        }),
    ),
    (
        "option_pool",
        (&OPTION_POOL, |f| {
            let mut w = OptionsWire::default();
            OPTION_POOL.fill(f, &mut w, &())?;
            let (Some(collateral), Some((series, mark))) = (w.collateral, w.series) else {
                return Err(OpError::invalid(f.name("collateral"), why::REQUIRED));
            };
            Book::new(collateral, series, mark, OptionsMargin::Standard)
                .map(VenueKind::Options)
                .map_err(|e| f.object("series").map_or_else(|err| err, |s| s.kernel(e)))
        }),
    ),
];

/// An option pool's own fields: an options venue's `collateral`, `series` and `vol` (no
/// margin: nobody is margined), `sold` and `capital` (required, read by [`read_pool`]) and
/// `hedge` (true when absent).
const OPTION_POOL: Spec<OptionsWire> = Spec::new(&[
    Field::with("collateral", |f, k, w, _| {
        token_params(&f.object(k)?).map(|p| w.collateral = Some(p))
    }),
    Field::with("series", |f, k, w, _| {
        option(&f.object(k)?, 1).map(|s| w.series = Some(s))
    }),
    Field::opt_with("vol", |f, k, _, _| f.object(k).map(|_| ())),
    Field::with("sold", |f, k, _, _| f.decimal(k).map(|_| ())),
    Field::with("capital", |f, k, _, _| f.decimal(k).map(|_| ())),
    Field::opt_with("hedge", |f, k, _, _| f.flag_or(k, true).map(|_| ())),
]);

/// An option pool's terms (`sold`, `capital`, `hedge`), checked against its series; every
/// error names its field.
fn read_pool(f: &Fields<'_>, kind: &VenueKind) -> Result<PoolTerms, OpError> {
    let terms = PoolTerms {
        sold: f.decimal("sold")?,
        capital: f.decimal("capital")?,
        hedge: f.flag_or("hedge", true)?,
    };
    if let VenueKind::Options(book) = kind {
        terms.check(book).map_err(|e| f.kernel(e))?;
    }
    Ok(terms)
}

/// An options venue's own fields as read.
#[derive(Default)]
struct OptionsWire {
    collateral: Option<TokenParams>,
    series: Option<(OptionParams, OptionMark)>,
    dynamic: Option<MarginGovernor>,
}

/// An options venue's own fields: the `collateral` token (without a price), the `series` (an
/// option object on token 0 with its `vol`, `rate`, `yield`), its `vol` path (read with the
/// start price, by [`read_venue`]) and `dynamic_margin` (standard margin when absent).
const OPTIONS: Spec<OptionsWire> = Spec::new(&[
    Field::with("collateral", |f, k, w, _| {
        token_params(&f.object(k)?).map(|p| w.collateral = Some(p))
    }),
    Field::with("series", |f, k, w, _| {
        option(&f.object(k)?, 1).map(|s| w.series = Some(s))
    }),
    Field::opt_with("vol", |f, k, _, _| f.object(k).map(|_| ())),
    Field::opt_with("dynamic_margin", |f, k, w, _| {
        read_dynamic(&f.object(k)?).map(|g| w.dynamic = Some(g))
    }),
]);

/// An options venue's `dynamic_margin`: the dynamic margin's parameters (as the
/// `dynamic_margin` op's `params`) and an optional `governor` (its `max_decrease`, `buffer`,
/// `stressed_sigma`; each off when absent).
fn read_dynamic(f: &Fields<'_>) -> Result<MarginGovernor, OpError> {
    let mut scratch = Map::new();
    let own = f.without("governor", &mut scratch);
    let raw: DynamicMarginRaw = DYNAMIC_PARAMS.object(&own)?;
    let margin = DynamicMarginParams::new(raw).map_err(|e| f.kernel(e))?;
    let params: GovernorParams = match f.opt_object("governor")? {
        Some(g) => GOVERNOR.object(&g)?,
        None => GovernorParams::new(crate::margin::GovernorParamsRaw::default())?,
    };
    Ok(MarginGovernor::new(margin, params))
}

/// A lending venue's own fields (read before the common ones): token objects without a price.
const LENDING: Spec<(Option<TokenParams>, Option<TokenParams>)> = Spec::new(&[
    Field::with("collateral", |f, k, w, _| {
        token_params(&f.object(k)?).map(|p| w.0 = Some(p))
    }),
    Field::with("debt", |f, k, w, _| token_params(&f.object(k)?).map(|p| w.1 = Some(p))),
]);

/// A perp venue's own field: a perp-market object without a price.
const PERP: Spec<Option<PerpParams>> = Spec::new(&[Field::with("market", |f, k, w, _| {
    perp_params(&f.object(k)?).map(|p| *w = Some(p))
})]);

/// A venue's common fields as read.
struct VenueWire {
    name: String,
    liquidation: LiquidationParams,
    oracle: Option<(FeedParams, Guards, Option<u64>)>,
    waterfall: Option<Waterfall>,
}

/// A venue's common fields (after its kind's; `accounts` and `population` last, with [`HOLDERS`]).
const VENUE: Spec<VenueWire> = Spec::new(&[
    Field::tag("kind"),
    Field::opt_with("name", |f, k, w, _| f.text_or(k, "").map(|n| w.name = n.to_string())),
    Field::opt_with("liquidation", |f, k, w, _| {
        LIQUIDATION
            .read_with(&f.object(k)?, LiquidationParams::default(), &())
            .map(|l| w.liquidation = l)
    }),
    Field::with("oracle", |f, k, w, _| {
        read_oracle(&f.object(k)?).map(|o| w.oracle = Some(o))
    }),
    Field::with("waterfall", |f, k, w, _| {
        read_waterfall(&f.object(k)?).map(|l| w.waterfall = Some(l))
    }),
]);

/// A venue's `outage_from`: the block from which its oracle stops publishing (never when absent).
const OUTAGE: Spec<Option<u64>> = Spec::new(&[Field::opt_count("outage_from", |w| w)]);

/// What a venue's accounts are read or drawn for.
struct Holders {
    kind: VenueKind,
    venue: u32,
    start: Wad,
    seed: u64,
}

/// A venue's accounts: exactly one of `accounts` (listed) and `population` (drawn).
const HOLDERS: Spec<Option<Vec<Borrower>>, Holders> = Spec::new(&[
    Field::opt_with("accounts", |f, k, w, _| {
        if f.has("population") {
            return Err(OpError::invalid(f.name(k), "must not be given with population"));
        }
        read_accounts(f, k).map(|a| *w = Some(a))
    }),
    Field::opt_with("population", |f, k, w, h| {
        if matches!(h.kind, VenueKind::Options(_)) {
            return Err(OpError::invalid(
                f.name(k),
                "an options venue lists its accounts (no population is drawn for option writers)",
            ));
        }
        draw_population(&f.object(k)?, &h.kind, h.venue, h.start, h.seed).map(|a| *w = Some(a))
    }),
]);

/// A listed account's `collateral` and `debt` (checked before its behaviour).
const BORROWER: Spec<(Wad, Wad)> = Spec::new(&[
    Field::decimal("collateral", |w| &mut w.0),
    Field::decimal("debt", |w| &mut w.1),
]);

/// A listed account's `behaviour` (drawn from the seed when absent).
const BEHAVIOUR_OF: Spec<Option<Behaviour>> = Spec::new(&[Field::opt_with("behaviour", |f, k, w, _| {
    f.choice(k, BEHAVIOURS).map(|b| *w = Some(b))
})]);

/// A population's fields as read: the `count`, the sizes, one of the two leverage pairs
/// (`liq_low`/`liq_high` or `ltv_low`/`ltv_high`), `whale_share` 0 and `whale_factor` 1 when
/// absent.
struct PopulationWire {
    count: u32,
    size_min: Wad,
    size_alpha: Wad,
    size_max: Wad,
    liq_low: Option<Wad>,
    liq_high: Option<Wad>,
    ltv_low: Option<Wad>,
    ltv_high: Option<Wad>,
    whale_share: Wad,
    whale_factor: Wad,
}

/// `population`: `count` (at most [`MAX_ACCOUNTS`]) and the parameters of the draw.
const POPULATION: Spec<PopulationWire> = Spec::new(&[
    Field::with("count", |f, k, w, _| match f.count(k)? {
        n if n > MAX_ACCOUNTS => Err(OpError::invalid(f.name(k), MAX_ACCOUNTS_WHY)),
        n => {
            w.count = n;
            Ok(())
        }
    }),
    Field::decimal("size_min", |w| &mut w.size_min),
    Field::decimal("size_alpha", |w| &mut w.size_alpha),
    Field::decimal("size_max", |w| &mut w.size_max),
    Field::opt_decimal("liq_low", |w| &mut w.liq_low),
    Field::opt_decimal("liq_high", |w| &mut w.liq_high),
    Field::opt_decimal("ltv_low", |w| &mut w.ltv_low),
    Field::opt_decimal("ltv_high", |w| &mut w.ltv_high),
    Field::opt_decimal("whale_share", |w| &mut w.whale_share),
    Field::opt_decimal("whale_factor", |w| &mut w.whale_factor),
]);

/// A liquidator's own fields (after its profile's): `priority_fee` (0 when absent),
/// `max_gas_price` (none), `sizing` (`best`).
const LIQUIDATOR: Spec<(Wad, Option<Wad>, Sizing)> = Spec::new(&[
    Field::opt_decimal("priority_fee", |w| &mut w.0),
    Field::opt_decimal("max_gas_price", |w| &mut w.1),
    Field::opt_with("sizing", |f, k, w, _| f.choice(k, SIZINGS).map(|s| w.2 = s)),
]);

/// A liquidator's `name` (read last; its path when absent or empty).
const NAME: Spec<String> = Spec::new(&[Field::opt_with("name", |f, k, w, _| {
    f.text_or(k, "").map(|n| *w = n.to_string())
})]);

/// The shock path: its `kind`, then that kind's fields.
pub(super) fn read_path(f: &Fields<'_>, ctx: &PathContext) -> Result<PathSpec, OpError> {
    let read = f.choice("kind", PATHS)?;
    read(f, ctx)
}

/// The gas schedule.
fn read_gas(f: &Fields<'_>) -> Result<GasSchedule, OpError> {
    let (base, spike) = GAS.read(f)?;
    GasSchedule::new(base, spike).map_err(|e| f.kernel(e))
}

/// A venue's `oracle`: its feed, its guards and its outage.
fn read_oracle(o: &Fields<'_>) -> Result<(FeedParams, Guards, Option<u64>), OpError> {
    o.strict_for(&[&FEED, &GUARDS, &OUTAGE])?;
    let feed = FEED.part(o)?;
    let guards = GUARDS.part(o)?;
    let mut outage_from = None;
    OUTAGE.fill(o, &mut outage_from, &())?;
    Ok((feed, guards, outage_from))
}

fn read_venue(f: &Fields<'_>, index: u32, start: Wad, seed: u64) -> Result<VenueData, OpError> {
    // A `protocol` is expanded into the venue's own fields first (§10.7).
    let expanded = super::venue_preset::expand(f)?;
    let f = &match &expanded {
        Some(map) => f.at_same_path(map),
        None => f.clone(),
    };
    let (own, read_kind) = f.choice("kind", VENUE_KINDS)?;
    f.strict_for(&[own, &VENUE, &HOLDERS])?;
    let kind = read_kind(f)?;
    let mut venue = VenueWire {
        name: String::new(),
        liquidation: LiquidationParams::default(),
        oracle: None,
        waterfall: None,
    };
    VENUE.fill(f, &mut venue, &())?;
    let name = if venue.name.is_empty() {
        std::format!("venue {index}")
    } else {
        venue.name
    };
    // Both required: the spec has reported a missing one.
    let (feed, guards, outage_from) = venue
        .oracle
        .ok_or_else(|| OpError::invalid(f.name("oracle"), why::REQUIRED))?;
    let waterfall = venue
        .waterfall
        .ok_or_else(|| OpError::invalid(f.name("waterfall"), why::REQUIRED))?;
    let params = VenueParams {
        kind,
        liquidation: venue.liquidation,
        feed,
        guards,
        waterfall,
        outage_from,
    };
    let pool = if f.text_or("kind", "")? == "option_pool" {
        for key in ["accounts", "population"] {
            if f.has(key) {
                return Err(OpError::invalid(
                    f.name(key),
                    "an option pool has no accounts (its providers' capital is `capital`)",
                ));
            }
        }
        if !params.waterfall.raw().lender_deposits.is_zero() {
            return Err(OpError::invalid(
                std::format!("{}.lender_deposits", f.name("waterfall")),
                "must be 0 for an option pool: past its premium and insurance the loss is the providers'",
            ));
        }
        Some(read_pool(f, &params.kind)?)
    } else {
        None
    };
    let mut accounts = if pool.is_some() { Some(Vec::new()) } else { None };
    let holders = Holders {
        kind: params.kind,
        venue: index,
        start,
        seed,
    };
    HOLDERS.fill(f, &mut accounts, &holders)?;
    // Exactly one of the two.
    let accounts =
        accounts.ok_or_else(|| OpError::invalid(f.name("accounts"), "is required unless a population is given"))?;
    if matches!(params.kind, VenueKind::Options(_)) {
        // Option writers hold (the engine refuses any other behaviour for them).
        if let Some(j) = accounts
            .iter()
            .position(|a| a.behaviour.is_some_and(|b| b != Behaviour::Hold))
        {
            return Err(OpError::invalid(
                std::format!("{}[{j}].behaviour", f.name("accounts")),
                "an options venue's accounts hold (no trader behaviour for option writers)",
            ));
        }
    }
    let vol = match (&params.kind, f.opt_object("vol")?) {
        (VenueKind::Options(_), Some(v)) => Some(read_vol(&v, start)?),
        _ => None,
    };
    Ok(VenueData {
        name,
        params,
        accounts,
        vol,
        pool,
    })
}

/// The listed accounts `key` of a venue.
fn read_accounts(f: &Fields<'_>, key: &str) -> Result<Vec<Borrower>, OpError> {
    let items = f.objects(key)?;
    if items.len() > MAX_ACCOUNTS as usize {
        return Err(OpError::invalid(f.name(key), MAX_ACCOUNTS_WHY));
    }
    items
        .iter()
        .map(|a| {
            a.strict_for(&[&BORROWER, &BEHAVIOUR_OF])?;
            let mut amounts = (Wad::ZERO, Wad::ZERO);
            BORROWER.fill(a, &mut amounts, &())?;
            let b = Borrower::new(amounts.0, amounts.1).map_err(|e| a.kernel(e))?;
            let mut behaviour = None;
            BEHAVIOUR_OF.fill(a, &mut behaviour, &())?;
            Ok(match behaviour {
                Some(behaviour) => b.with_behaviour(behaviour),
                None => b,
            })
        })
        .collect()
}

fn draw_population(
    p: &Fields<'_>,
    kind: &VenueKind,
    venue: u32,
    start: Wad,
    seed: u64,
) -> Result<Vec<Borrower>, OpError> {
    let none = PopulationWire {
        count: 0,
        size_min: Wad::ZERO,
        size_alpha: Wad::ZERO,
        size_max: Wad::ZERO,
        liq_low: None,
        liq_high: None,
        ltv_low: None,
        ltv_high: None,
        whale_share: Wad::ZERO,
        whale_factor: Wad::ONE,
    };
    let w = POPULATION.read_with(p, none, &())?;
    let need = |v: Option<Wad>, key: &str, why: &'static str| v.ok_or_else(|| OpError::invalid(p.name(key), why));
    let leverage = match (w.liq_low.or(w.liq_high), w.ltv_low.or(w.ltv_high)) {
        // The two pairs exclude each other: the first loan-to-value key is out of place.
        (Some(_), Some(_)) => {
            let key = if w.ltv_low.is_some() { "ltv_low" } else { "ltv_high" };
            return Err(OpError::invalid(
                p.name(key),
                "must not be given with liq_low or liq_high (one leverage pair)",
            ));
        }
        (None, Some(_)) => Leverage::LoanToValue {
            low: need(w.ltv_low, "ltv_low", "is required with ltv_high")?,
            high: need(w.ltv_high, "ltv_high", "is required with ltv_low")?,
        },
        _ => Leverage::LiquidationPrice {
            low: need(
                w.liq_low,
                "liq_low",
                "is required (with liq_high, or ltv_low and ltv_high instead)",
            )?,
            high: need(
                w.liq_high,
                "liq_high",
                "is required (with liq_low, or ltv_low and ltv_high instead)",
            )?,
        },
    };
    let raw = PopulationRaw {
        size_min: w.size_min,
        size_alpha: w.size_alpha,
        size_max: w.size_max,
        leverage,
        whale_share: w.whale_share,
        whale_factor: w.whale_factor,
    };
    let population = Population::new(raw).map_err(|e| p.kernel(e))?;
    let mut out = std::vec![Borrower::default(); w.count as usize];
    population
        .fill(kind, venue, start, seed, &mut out)
        .map_err(|e| match e {
            Error::Invalid { .. } => OpError::invalid("path", "the start price must be > 0"),
            other => OpError::from(other),
        })?;
    Ok(out)
}

fn read_liquidator(f: &Fields<'_>) -> Result<(String, Liquidator), OpError> {
    f.strict_for(&[&PROFILE, &LIQUIDATOR, &NAME])?;
    let raw: ProfileRaw = PROFILE.part(f)?;
    let mut own = (Wad::ZERO, None, Sizing::Best);
    LIQUIDATOR.fill(f, &mut own, &())?;
    let (fee, max_gas, sizing) = own;
    let l = Liquidator::new(raw, fee, max_gas)
        .map_err(|e| f.kernel(e))?
        .with_sizing(sizing);
    let mut name = String::new();
    NAME.fill(f, &mut name, &())?;
    let name = if name.is_empty() { f.path().to_string() } else { name };
    Ok((name, l))
}

impl Scenario {
    /// The engine's [`Settings`] for a run of at most `max_blocks` blocks.
    fn settings(&self, max_blocks: u64) -> Settings<'_> {
        let path = match &self.path {
            PathSpec::Constant(p) => Path::Constant(*p),
            PathSpec::Instant { from, to, at } => Path::Instant {
                from: *from,
                to: *to,
                at: *at,
            },
            PathSpec::Linear {
                from,
                to,
                start,
                blocks,
            } => Path::Linear {
                from: *from,
                to: *to,
                start: *start,
                blocks: *blocks,
            },
            PathSpec::Listed(l) | PathSpec::Garch { prices: l, .. } | PathSpec::Gbm { prices: l, .. } => {
                Path::Listed(l)
            }
        };
        Settings {
            path,
            gas: self.gas,
            resilience: self.resilience,
            arbitrage: self.arbitrage,
            block_gas: self.block_gas,
            volatility: self.volatility,
            behaviour: self.behaviour,
            risk_band: self.risk_band,
            seed: self.seed,
            max_blocks,
        }
    }

    /// Runs the scenario (for at most `max_blocks` blocks instead of its own limit, when
    /// given), showing every block's record to `on_block` as it is made.
    ///
    /// Errors: `invalid` naming `max_blocks` outside `1 ..= MAX_BLOCKS`; what the engine
    /// reports (`venues`, a kernel overflow, a market out of depth).
    pub fn run(&self, max_blocks: Option<u64>, on_block: &mut dyn FnMut(&BlockRecord)) -> Result<RunOutcome, OpError> {
        self.run_until(max_blocks, on_block, &AtomicBool::new(false))
    }

    /// [`run`](Self::run), stopping at the end of the block during which `stop` was set (a
    /// user's Ctrl-C): the outcome is the run so far, with
    /// [`interrupted`](RunOutcome::interrupted) set when the flag cut it short.
    ///
    /// Errors: as [`run`](Self::run).
    pub fn run_until(
        &self,
        max_blocks: Option<u64>,
        on_block: &mut dyn FnMut(&BlockRecord),
        stop: &AtomicBool,
    ) -> Result<RunOutcome, OpError> {
        let limit = max_blocks.unwrap_or(self.max_blocks);
        if limit == 0 || limit > MAX_BLOCKS {
            return Err(OpError::invalid("max_blocks", MAX_BLOCKS_WHY));
        }
        let mut sink = Collect {
            records: Vec::new(),
            on_block,
            stop,
            stopped: Cell::new(false),
        };
        let (report, liquidators, totals, ledgers) = self.drive(limit, &mut sink)?;
        Ok(RunOutcome {
            report,
            records: sink.records,
            liquidators,
            totals,
            ledgers,
            interrupted: sink.stopped.get(),
        })
    }

    /// Runs the scenario to its own block limit, every block's record to `sink` (which may
    /// cut the run short: [`Sink::interrupted`], [`Sink::equilibrium`]), and returns the
    /// engine's report alone: for a caller that keeps what it needs of each block itself (a
    /// study's path).
    ///
    /// Errors: as [`run`](Self::run).
    pub fn run_into<S: Sink + ?Sized>(&self, sink: &mut S) -> Result<Report, OpError> {
        self.drive(self.max_blocks, sink).map(|(report, ..)| report)
    }

    /// Builds the engine and runs it for at most `limit` blocks into `sink`: the report, the
    /// liquidators, and each venue's totals and books at the end.
    #[allow(clippy::type_complexity)]
    fn drive<S: Sink + ?Sized>(
        &self,
        limit: u64,
        sink: &mut S,
    ) -> Result<(Report, Vec<Liquidator>, Vec<(Wad, Wad)>, Vec<Ledger>), OpError> {
        let mut accounts: Vec<Vec<Borrower>> = self.venues.iter().map(|v| v.accounts.clone()).collect();
        let mut slots: Vec<Vec<Slot>> = self
            .venues
            .iter()
            .map(|v| std::vec![Slot::default(); v.accounts.len()])
            .collect();
        let mut venues: Vec<Venue<'_>> = Vec::new();
        for ((v, a), q) in self.venues.iter().zip(accounts.iter_mut()).zip(slots.iter_mut()) {
            let venue = Venue::new(v.params, a, q)?;
            let venue = match &v.vol {
                Some(vol) => venue.with_vol(vol.path()?)?,
                None => venue,
            };
            venues.push(match v.pool {
                Some(terms) => venue.with_pool(terms)?,
                None => venue,
            });
        }
        let mut liquidators: Vec<Liquidator> = self.liquidators.iter().map(|(_, l)| *l).collect();
        let mut market = self.market.clone();
        let settings = self.settings(limit);
        let report = Cascade::new(settings, &mut market, &mut venues, &mut liquidators)?.run(sink)?;
        let totals = venues
            .iter()
            .map(|v| totals(v.accounts()))
            .collect::<crate::Result<Vec<_>>>()?;
        let ledgers = venues.iter().map(|v| *v.ledger()).collect();
        Ok((report, liquidators, totals, ledgers))
    }
}

fn to_value<T: serde::Serialize>(t: &T) -> Result<Value, OpError> {
    serde_json::to_value(t).map_err(|_| OpError::invalid("report", "cannot be written as JSON"))
}

/// The JSON report of a run: `scenario`, `summary`, `venues`, `liquidators`, `blocks` (see
/// `vectors/scenarios/README.md`). Every number is an exact decimal string; counts are JSON
/// numbers.
///
/// Errors: [`Error::Overflow`] from the conservation sums.
pub fn report_value(scenario: &Scenario, run: &RunOutcome) -> Result<Output, OpError> {
    let mut out = Map::new();
    let mut head = Map::new();
    head.insert("name".into(), Value::from(scenario.name.as_str()));
    head.insert("description".into(), Value::from(scenario.description.as_str()));
    head.insert("seed".into(), Value::from(scenario.seed));
    head.insert("max_blocks".into(), Value::from(scenario.max_blocks));
    out.insert("scenario".into(), Value::Object(head));
    let mut summary = match to_value(&run.report)? {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    summary.remove("venues");
    let recovery = summary.remove("recovery").unwrap_or(Value::Null);
    out.insert("summary".into(), Value::Object(summary));
    out.insert("recovery".into(), recovery);
    let mut venues = Vec::new();
    for (i, v) in scenario.venues.iter().enumerate() {
        let mut m = Map::new();
        m.insert("name".into(), Value::from(v.name.as_str()));
        m.insert("kind".into(), Value::from(v.kind()));
        m.insert("accounts".into(), Value::from(v.accounts.len()));
        let at = run.report.venues.get(i).copied().unwrap_or_default();
        let cons = Conservation::check(&at.ledger, at.collateral, at.debt)?;
        m.insert("ledger".into(), to_value(&at.ledger)?);
        m.insert("unrealised".into(), wad_value(at.unrealised));
        m.insert("insolvency".into(), wad_value(at.insolvency));
        let mut cm = Map::new();
        cm.insert("balanced".into(), Value::Bool(cons.balanced()));
        cm.insert("collateral".into(), wad_value(cons.collateral));
        cm.insert("debt".into(), wad_value(cons.debt));
        cm.insert("waterfall".into(), wad_value(cons.waterfall));
        m.insert("conservation".into(), Value::Object(cm));
        match (&at.option_pool, &at.options) {
            (Some(p), quotes) => {
                let mut pm = match to_value(p)? {
                    Value::Object(pm) => pm,
                    _ => Map::new(),
                };
                if let Some(o) = quotes {
                    pm.insert("quotes".into(), to_value(o)?);
                }
                m.insert("option_pool".into(), Value::Object(pm));
            }
            (None, Some(o)) => {
                m.insert("options".into(), options_value(&at.ledger, o)?);
            }
            (None, None) => {}
        }
        venues.push(Value::Object(m));
    }
    out.insert("venues".into(), Value::Array(venues));
    let mut liqs = Vec::new();
    for ((name, _), l) in scenario.liquidators.iter().zip(run.liquidators.iter()) {
        let mut m = Map::new();
        m.insert("name".into(), Value::from(name.as_str()));
        m.insert("priority_fee".into(), wad_value(l.priority_fee()));
        m.insert("liquidations".into(), Value::from(l.liquidations()));
        m.insert("profit".into(), wad_value(l.profit()));
        m.insert("gas_paid".into(), wad_value(l.gas_paid()));
        m.insert("capital".into(), wad_value(l.capital()));
        liqs.push(Value::Object(m));
    }
    out.insert("liquidators".into(), Value::Array(liqs));
    let blocks = run.records.iter().map(to_value).collect::<Result<Vec<_>, _>>()?;
    out.insert("blocks".into(), Value::Array(blocks));
    Ok(out)
}

/// An options venue's report line: short units bought back by liquidations (and in how many),
/// units and value written off by bankruptcies, the premium absorbed, and its quotes over the
/// run (vol, mark, the dynamic margin's moves).
fn options_value(l: &Ledger, o: &crate::cascade::OptionsStats) -> Result<Value, OpError> {
    let mut m = match to_value(o)? {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    m.insert("positions_liquidated".into(), wad_value(l.debt_repaid_liquidations));
    m.insert("liquidations".into(), Value::from(l.liquidations));
    m.insert("units_written_off".into(), wad_value(l.option_units_written_off));
    m.insert("value_written_off".into(), wad_value(l.option_value_written_off));
    m.insert("premium_absorbed".into(), wad_value(l.waterfall.premium));
    Ok(Value::Object(m))
}

/// The market's price (for reports).
#[must_use]
pub fn market_price(scenario: &Scenario) -> Wad {
    scenario.market.price()
}
