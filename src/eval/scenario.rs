//! Cascade scenarios: one path-aware reader of the scenario JSON (`vectors/scenarios/README.md`),
//! an owned [`Scenario`] that builds the engine's borrowed types and runs it, and the JSON
//! report of a run (what `lce run --json` prints and the `cascade` op answers).

use core::cell::Cell;
use core::sync::atomic::{AtomicBool, Ordering};
use std::string::{String, ToString};
use std::vec::Vec;

use serde_json::{Map, Value};

use super::args::{Fields, wad_value};
use super::ops_liquidator::{PROFILE_KEYS, profile_raw};
use super::ops_market::read_market;
use super::ops_oracle::{feed_fields, guard_fields};
use super::ops_risk::{liquidation_params, read_waterfall};
use super::world::{perp_params, token_params};
use super::{OpError, Output};
use crate::cascade::{
    Arbitrage, Behaviour, BehaviourMix, BehaviourMixRaw, BlockRecord, Borrower, Cascade, Conservation, GasSchedule,
    GasSpike, Ledger, Leverage, Liquidator, MAX_BLOCKS, Population, PopulationRaw, Report, Resilience, Settings, Sink,
    Sizing, Slot, Venue, VenueKind, VenueParams, totals,
};
use crate::liquidation::LiquidationParams;
use crate::market::{Depth, Market};
use crate::shock::Path;
use crate::{Error, Wad};

/// The most accounts one venue of a scenario may have (listed or generated).
pub const MAX_ACCOUNTS: u32 = 10_000_000;

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

/// The keys of a venue's `oracle` object.
const ORACLE_KEYS: &[&str] = &[
    "deviation",
    "heartbeat",
    "latency",
    "max_age",
    "max_conf_ratio",
    "max_deviation",
    "outage_from",
];

/// The keys of `behaviour`, in the order of [`BehaviourMixRaw`]'s fields.
const BEHAVIOUR_KEYS: &[&str] = &[
    "top_up",
    "deleverage",
    "panic",
    "watch_band",
    "top_up_fraction",
    "deleverage_fraction",
    "panic_drawdown",
];

/// The keys of a venue's `population`.
const POPULATION_KEYS: &[&str] = &[
    "count",
    "size_min",
    "size_alpha",
    "size_max",
    "liq_low",
    "liq_high",
    "whale_share",
    "whale_factor",
];

/// The wire names of [`Behaviour`], in the order of [`BEHAVIOURS`].
const BEHAVIOUR_NAMES: &[&str] = &["hold", "top_up", "deleverage", "panic"];
/// The behaviours, in the order of [`BEHAVIOUR_NAMES`].
const BEHAVIOURS: [Behaviour; 4] = [
    Behaviour::Hold,
    Behaviour::TopUp,
    Behaviour::Deleverage,
    Behaviour::Panic,
];

/// The wire names of a liquidator's [`Sizing`], in the order of [`SIZINGS`].
const SIZING_NAMES: &[&str] = &["best", "whole"];
/// The sizings, in the order of [`SIZING_NAMES`].
const SIZINGS: [Sizing; 2] = [Sizing::Best, Sizing::Whole];

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
}

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
    /// Its accounts at the start.
    pub accounts: Vec<Borrower>,
}

impl VenueData {
    /// `"lending"` or `"perp"`.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self.params.kind {
            VenueKind::Lending { .. } => "lending",
            VenueKind::Perp { .. } => "perp",
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
    root.strict(SCENARIO_KEYS)?;
    let name = root.text_or("name", "unnamed")?.to_string();
    let description = root.text_or("description", "")?.to_string();
    let seed = if root.has("seed") { root.integer("seed")? } else { 0 };
    let max_blocks = u64::from(root.count("max_blocks")?);
    if max_blocks == 0 || max_blocks > MAX_BLOCKS {
        return Err(OpError::invalid("max_blocks"));
    }
    let path = read_path(&root.object("path")?)?;
    let gas = read_gas(&root.object("gas")?)?;
    let block_gas = root.decimal("block_gas")?;
    let volatility = root.decimal_or("volatility", Wad::ZERO)?;
    let risk_band = root.decimal_or("risk_band", Wad::ZERO)?;
    let arbitrage = match root.opt_object("arbitrage")? {
        Some(a) => {
            a.strict(&["capacity"])?;
            Arbitrage::new(a.decimal("capacity")?).map_err(|e| a.kernel(e))?
        }
        None => Arbitrage::UNLIMITED,
    };
    let resilience = Resilience::default();
    let behaviour = match root.opt_object("behaviour")? {
        Some(b) => read_behaviour(&b)?,
        None => BehaviourMix::new(BehaviourMixRaw::HOLD)?,
    };
    let market = read_market(&root.object("market")?)?;
    let start = path.start();
    let venues_f = root.objects("venues")?;
    if venues_f.is_empty() || venues_f.len() > crate::cascade::MAX_VENUES {
        return Err(OpError::invalid("venues"));
    }
    let mut venues = Vec::new();
    for (vi, f) in venues_f.iter().enumerate() {
        let vi = u32::try_from(vi).map_err(|_| OpError::invalid("venues"))?;
        venues.push(read_venue(f, vi, start, seed)?);
    }
    let liq_f = root.objects("liquidators")?;
    if liq_f.len() > crate::cascade::MAX_LIQUIDATORS {
        return Err(OpError::invalid("liquidators"));
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

fn read_path(f: &Fields<'_>) -> Result<PathSpec, OpError> {
    let kind = f.choice("kind", &["constant", "instant", "linear", "listed"])?;
    let positive = |key: &str| -> Result<Wad, OpError> {
        let p = f.decimal(key)?;
        if p.is_positive() {
            Ok(p)
        } else {
            Err(OpError::invalid(f.name(key)))
        }
    };
    Ok(match kind {
        0 => {
            f.strict(&["kind", "price"])?;
            PathSpec::Constant(positive("price")?)
        }
        1 => {
            f.strict(&["kind", "from", "to", "at"])?;
            PathSpec::Instant {
                from: positive("from")?,
                to: positive("to")?,
                at: u64::from(f.count("at")?),
            }
        }
        2 => {
            f.strict(&["kind", "from", "to", "start", "blocks"])?;
            let from = positive("from")?;
            let to = positive("to")?;
            let start = u64::from(f.count("start")?);
            let blocks = f.count("blocks")?;
            if blocks == 0 {
                return Err(OpError::invalid(f.name("blocks")));
            }
            PathSpec::Linear {
                from,
                to,
                start,
                blocks: u64::from(blocks),
            }
        }
        _ => {
            f.strict(&["kind", "prices"])?;
            let prices = f.decimals("prices")?;
            if prices.is_empty() {
                return Err(OpError::invalid(f.name("prices")));
            }
            if let Some(i) = prices.iter().position(|p| !p.is_positive()) {
                return Err(OpError::invalid(std::format!("{}[{i}]", f.name("prices"))));
            }
            PathSpec::Listed(prices)
        }
    })
}

fn read_gas(f: &Fields<'_>) -> Result<GasSchedule, OpError> {
    f.strict(&["base", "spike"])?;
    let base = f.decimal("base")?;
    let spike = match f.opt_object("spike")? {
        Some(s) => {
            s.strict(&["start", "blocks", "price"])?;
            Some(GasSpike {
                start: u64::from(s.count("start")?),
                blocks: u64::from(s.count("blocks")?),
                price: s.decimal("price")?,
            })
        }
        None => None,
    };
    GasSchedule::new(base, spike).map_err(|e| f.kernel(e))
}

fn read_behaviour(f: &Fields<'_>) -> Result<BehaviourMix, OpError> {
    f.strict(BEHAVIOUR_KEYS)?;
    let h = BehaviourMixRaw::HOLD;
    let raw = BehaviourMixRaw {
        top_up: f.decimal_or("top_up", h.top_up)?,
        deleverage: f.decimal_or("deleverage", h.deleverage)?,
        panic: f.decimal_or("panic", h.panic)?,
        watch_band: f.decimal_or("watch_band", h.watch_band)?,
        top_up_fraction: f.decimal_or("top_up_fraction", h.top_up_fraction)?,
        deleverage_fraction: f.decimal_or("deleverage_fraction", h.deleverage_fraction)?,
        panic_drawdown: f.decimal_or("panic_drawdown", h.panic_drawdown)?,
    };
    BehaviourMix::new(raw).map_err(|e| f.kernel(e))
}

fn read_venue(f: &Fields<'_>, index: u32, start: Wad, seed: u64) -> Result<VenueData, OpError> {
    let kind_i = f.choice("kind", &["lending", "perp"])?;
    let common = [
        "name",
        "kind",
        "liquidation",
        "oracle",
        "waterfall",
        "accounts",
        "population",
    ];
    let mut keys: Vec<&str> = common.to_vec();
    let kind = if kind_i == 0 {
        keys.extend(["collateral", "debt"]);
        f.strict(&keys)?;
        VenueKind::Lending {
            collateral: token_params(&f.object("collateral")?)?,
            debt: token_params(&f.object("debt")?)?,
        }
    } else {
        keys.push("market");
        f.strict(&keys)?;
        VenueKind::Perp {
            market: perp_params(&f.object("market")?)?,
        }
    };
    let name = f.text_or("name", "")?;
    let name = if name.is_empty() {
        std::format!("venue {index}")
    } else {
        name.to_string()
    };
    let liquidation = match f.opt_object("liquidation")? {
        Some(l) => {
            l.strict(&["close_factor", "target"])?;
            liquidation_params(&l)?
        }
        None => LiquidationParams::default(),
    };
    let o = f.object("oracle")?;
    o.strict(ORACLE_KEYS)?;
    let feed = feed_fields(&o)?;
    let guards = guard_fields(&o)?;
    let outage_from = if o.has("outage_from") {
        Some(u64::from(o.count("outage_from")?))
    } else {
        None
    };
    let waterfall = read_waterfall(&f.object("waterfall")?)?;
    let params = VenueParams {
        kind,
        liquidation,
        feed,
        guards,
        waterfall,
        outage_from,
    };
    let accounts = match (f.has("accounts"), f.has("population")) {
        (true, false) => read_accounts(f)?,
        (false, true) => draw_population(&f.object("population")?, &params.kind, index, start, seed)?,
        // Exactly one of the two.
        _ => return Err(OpError::invalid(f.name("accounts"))),
    };
    Ok(VenueData { name, params, accounts })
}

fn read_accounts(f: &Fields<'_>) -> Result<Vec<Borrower>, OpError> {
    let items = f.objects("accounts")?;
    if items.len() > MAX_ACCOUNTS as usize {
        return Err(OpError::invalid(f.name("accounts")));
    }
    items
        .iter()
        .map(|a| {
            a.strict(&["collateral", "debt", "behaviour"])?;
            let b = Borrower::new(a.decimal("collateral")?, a.decimal("debt")?).map_err(|e| a.kernel(e))?;
            Ok(if a.has("behaviour") {
                let i = a.choice("behaviour", BEHAVIOUR_NAMES)?;
                b.with_behaviour(BEHAVIOURS.get(i).copied().unwrap_or_default())
            } else {
                b
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
    p.strict(POPULATION_KEYS)?;
    let count = p.count("count")?;
    if count > MAX_ACCOUNTS {
        return Err(OpError::invalid(p.name("count")));
    }
    let raw = PopulationRaw {
        size_min: p.decimal("size_min")?,
        size_alpha: p.decimal("size_alpha")?,
        size_max: p.decimal("size_max")?,
        leverage: Leverage::LiquidationPrice {
            low: p.decimal("liq_low")?,
            high: p.decimal("liq_high")?,
        },
        whale_share: p.decimal_or("whale_share", Wad::ZERO)?,
        whale_factor: p.decimal_or("whale_factor", Wad::ONE)?,
    };
    let population = Population::new(raw).map_err(|e| p.kernel(e))?;
    let mut out = std::vec![Borrower::default(); count as usize];
    population
        .fill(kind, venue, start, seed, &mut out)
        .map_err(|e| match e {
            Error::Invalid { .. } => OpError::invalid("path"),
            other => OpError::from(other),
        })?;
    Ok(out)
}

fn read_liquidator(f: &Fields<'_>) -> Result<(String, Liquidator), OpError> {
    let mut keys: Vec<&str> = std::vec!["name", "priority_fee", "max_gas_price", "sizing"];
    keys.extend_from_slice(PROFILE_KEYS);
    f.strict(&keys)?;
    let raw = profile_raw(f)?;
    let fee = f.decimal_or("priority_fee", Wad::ZERO)?;
    let max_gas = f.opt_decimal("max_gas_price")?;
    let sizing = if f.has("sizing") {
        SIZINGS
            .get(f.choice("sizing", SIZING_NAMES)?)
            .copied()
            .unwrap_or_default()
    } else {
        Sizing::Best
    };
    let l = Liquidator::new(raw, fee, max_gas)
        .map_err(|e| f.kernel(e))?
        .with_sizing(sizing);
    let name = f.text_or("name", "")?;
    let name = if name.is_empty() {
        f.path().to_string()
    } else {
        name.to_string()
    };
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
            PathSpec::Listed(l) => Path::Listed(l),
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
            return Err(OpError::invalid("max_blocks"));
        }
        let mut accounts: Vec<Vec<Borrower>> = self.venues.iter().map(|v| v.accounts.clone()).collect();
        let mut slots: Vec<Vec<Slot>> = self
            .venues
            .iter()
            .map(|v| std::vec![Slot::default(); v.accounts.len()])
            .collect();
        let mut venues: Vec<Venue<'_>> = Vec::new();
        for ((v, a), q) in self.venues.iter().zip(accounts.iter_mut()).zip(slots.iter_mut()) {
            venues.push(Venue::new(v.params, a, q)?);
        }
        let mut liquidators: Vec<Liquidator> = self.liquidators.iter().map(|(_, l)| *l).collect();
        let mut market = self.market.clone();
        let mut sink = Collect {
            records: Vec::new(),
            on_block,
            stop,
            stopped: Cell::new(false),
        };
        let settings = self.settings(limit);
        let report = Cascade::new(settings, &mut market, &mut venues, &mut liquidators)?.run(&mut sink)?;
        let totals = venues
            .iter()
            .map(|v| totals(v.accounts()))
            .collect::<crate::Result<Vec<_>>>()?;
        let ledgers = venues.iter().map(|v| *v.ledger()).collect();
        Ok(RunOutcome {
            report,
            records: sink.records,
            liquidators,
            totals,
            ledgers,
            interrupted: sink.stopped.get(),
        })
    }
}

fn to_value<T: serde::Serialize>(t: &T) -> Result<Value, OpError> {
    serde_json::to_value(t).map_err(|_| OpError::from(Error::Invalid { what: "report" }))
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

/// The market's price (for reports).
#[must_use]
pub fn market_price(scenario: &Scenario) -> Wad {
    scenario.market.price()
}
