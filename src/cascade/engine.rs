//! The block-by-block engine.

use heapless::Vec;

use crate::liquidation::WaterfallReport;
use crate::liquidator::{Environment, EnvironmentRaw, Opportunity, profit_ceiling};
use crate::market::{Depth, Fill, Side};
use crate::oracle::{OraclePrice, Refusal};
use crate::{Error, Result, Wad};

use super::behaviour::{act, draw};
use super::borrower::Borrower;
use super::liquidators::{Liquidator, MAX_LIQUIDATORS};
use super::queue::Slot;
use super::record::{BlockRecord, Ledger, MAX_VENUES, Report, Sink, Stop, VenueBlock};
use super::settings::Settings;
use super::venue::{
    Offer, Venue, VenueKind, VenueParams, execute, health_factor, key, liquidatable, opportunity, settle, terms,
};
use crate::metrics::{drawdown, oracle_gap, ratio_ceil};

/// A cascade in progress: the market, the venues and the liquidators it moves, and where it is.
///
/// # Termination
///
/// [`step`](Self::step) simulates one block and [`run`](Self::run) steps until a [`Stop`].
/// A run ends after at most `settings.max_blocks ≤ MAX_BLOCKS` blocks, and each block does a
/// bounded amount of work: every account is popped from its venue's queue at most once per
/// block, acted on by its trader at most once, and offered to at most `MAX_LIQUIDATORS`
/// liquidators once; every kernel call it makes terminates (their searches are bounded).
/// So every run terminates, whatever the input.
#[derive(Debug)]
pub struct Cascade<'v, 'a, M: Depth, const H: usize = 64> {
    settings: Settings<'a>,
    market: &'v mut M,
    venues: &'v mut [Venue<'a, H>],
    liquidators: &'v mut [Liquidator],
    /// Venue indices by liquidation fee, highest first (ties in the order given).
    venue_order: Vec<usize, MAX_VENUES>,
    /// Liquidator indices by priority fee, highest first (ties in the order given).
    bidders: Vec<usize, MAX_LIQUIDATORS>,
    block: u64,
    start: Wad,
    report: Report,
    slippage_num: Wad,
}

/// What one venue did in one block, besides its [`VenueBlock`].
#[derive(Default)]
struct VenueStep {
    activity: bool,
    trader_sold: Wad,
    sold: Wad,
    proceeds: Wad,
    at_price: Wad,
    profit: Wad,
}

impl<'v, 'a, M: Depth, const H: usize> Cascade<'v, 'a, M, H> {
    /// A cascade about to simulate block 1. Block 0 is the state before the shock: every
    /// feed observes the market's price at block 0, and every account without a behaviour
    /// draws one from the seed (see [`Behaviour`](super::Behaviour)).
    ///
    /// Errors: as [`Settings::check`]; [`Error::Invalid`] naming `venues` when there are none
    /// or more than `MAX_VENUES`, `liquidators` beyond `MAX_LIQUIDATORS`; what the path and
    /// the feeds report.
    pub fn new(
        settings: Settings<'a>,
        market: &'v mut M,
        venues: &'v mut [Venue<'a, H>],
        liquidators: &'v mut [Liquidator],
    ) -> Result<Self> {
        settings.check()?;
        if venues.is_empty() || venues.len() > MAX_VENUES {
            return Err(Error::Invalid { what: "venues" });
        }
        if liquidators.len() > MAX_LIQUIDATORS {
            return Err(Error::Invalid { what: "liquidators" });
        }
        let mut venue_order: Vec<usize, MAX_VENUES> = (0..venues.len()).collect();
        // Stable insertion sorts (a few items; no panic path, unlike the slice sorts).
        insertion_sort(&mut venue_order, |&a, &b| fee(venues, a) > fee(venues, b));
        let mut bidders: Vec<usize, MAX_LIQUIDATORS> = (0..liquidators.len()).collect();
        let bid = |i: usize| liquidators.get(i).map_or(Wad::ZERO, Liquidator::priority_fee);
        insertion_sort(&mut bidders, |&a, &b| bid(a) > bid(b));
        let start = settings.path.price(0)?;
        let price = market.price();
        let mut ledgers: Vec<Ledger, MAX_VENUES> = Vec::new();
        for (vi, v) in venues.iter_mut().enumerate() {
            for (i, b) in v.accounts.iter_mut().enumerate() {
                if b.behaviour.is_none() {
                    b.behaviour = Some(draw(&settings.behaviour, settings.seed, vi, i)?);
                }
            }
            if !v.is_down(0) && price.is_positive() {
                v.feed.observe(0, price)?;
            }
            ledgers.push(v.ledger).map_err(|_| Error::Invalid { what: "venues" })?;
        }
        Ok(Self {
            settings,
            market,
            venues,
            liquidators,
            venue_order,
            bidders,
            block: 0,
            start,
            report: Report {
                stop: Stop::BlockLimit,
                blocks: 0,
                start_price: start,
                equilibrium_price: price,
                low_price: price,
                max_drawdown: Wad::ZERO,
                max_oracle_gap: Wad::ZERO,
                liquidations: 0,
                peak_liquidations: 0,
                peak_block: 0,
                repaid: Wad::ZERO,
                liquidation_sold: Wad::ZERO,
                liquidation_proceeds: Wad::ZERO,
                slippage: Wad::ONE,
                trader_sold: Wad::ZERO,
                bad_debt: Wad::ZERO,
                underwater: Wad::ZERO,
                liquidator_profit: Wad::ZERO,
                skipped_unprofitable: 0,
                skipped_gas: 0,
                max_systemic_debt_ratio: Wad::ZERO,
                max_concentration: Wad::ZERO,
                venues: ledgers,
            },
            slippage_num: Wad::ZERO,
        })
    }

    /// The last block simulated (0 before the first step).
    #[must_use]
    pub const fn block(&self) -> u64 {
        self.block
    }

    /// The shared market.
    #[must_use]
    pub fn market(&self) -> &M {
        self.market
    }

    /// The venues.
    #[must_use]
    pub fn venues(&self) -> &[Venue<'a, H>] {
        self.venues
    }

    /// The liquidators.
    #[must_use]
    pub fn liquidators(&self) -> &[Liquidator] {
        self.liquidators
    }

    /// Steps until the run stops, sending every block's record to `sink`, and returns the
    /// report.
    ///
    /// Errors: what [`step`](Self::step) or the sink reports.
    pub fn run<S: Sink + ?Sized>(mut self, sink: &mut S) -> Result<Report> {
        loop {
            let (record, stop) = self.step()?;
            sink.record(&record)?;
            if let Some(stop) = stop {
                return self.finish(stop);
            }
        }
    }

    /// Simulates the next block, in this order:
    ///
    /// 1. the reference price moves along the path;
    /// 2. arbitrageurs trade the market toward it, within their capacity at this gas price;
    /// 3. every venue's feed observes the market price (unless it is down);
    /// 4. venue by venue (highest liquidation fee first), the newest visible round is checked
    ///    by the venue's guards; traders of watched accounts act (trader sales go into the
    ///    market at once);
    /// 5. liquidatable accounts (at a usable oracle price), most underwater first, are offered
    ///    to the liquidators by priority fee, highest first, while the block has gas: the
    ///    first whose [`decide`](crate::liquidator::decide) acts liquidates through the kernel;
    /// 6. it sells what it receives into the shared market at once (every venue's next oracle
    ///    round sees the move);
    /// 7. a liquidation that leaves the account bankrupt settles it down the venue's waterfall;
    /// 8. the block's record is made, and the stop conditions are checked.
    ///
    /// Returns the record and, if the run stops here, why.
    ///
    /// Errors: [`Error::Invalid`] naming `block` when the run has already reached
    /// `max_blocks`; what the kernel reports (overflow, a market out of depth).
    pub fn step(&mut self) -> Result<(BlockRecord, Option<Stop>)> {
        if self.block >= self.settings.max_blocks {
            return Err(Error::Invalid { what: "block" });
        }
        let b = self.block.checked_add(1).ok_or(Error::Overflow)?;
        self.block = b;
        let s = self.settings;
        let reference = s.path.price(b)?;
        let gas = s.gas.price(b);
        let capacity = s.arbitrage.capacity_at(&s.gas, gas)?;
        let arb = self.market.arbitrage(reference, capacity)?;
        let arbitrage = match arb.side {
            Side::Buy => arb.filled,
            Side::Sell => arb.filled.neg()?,
        };
        let observed = self.market.price();
        for v in self.venues.iter_mut() {
            if !v.is_down(b) && observed.is_positive() {
                v.feed.observe(b, observed)?;
            }
        }
        let mut record = BlockRecord {
            block: b,
            reference,
            gas_price: gas,
            arbitrage,
            ..BlockRecord::default()
        };
        for _ in 0..self.venues.len() {
            record
                .venues
                .push(VenueBlock::default())
                .map_err(|_| Error::Invalid { what: "venues" })?;
        }
        let mut gas_left = s.block_gas;
        let mut activity = !arb.filled.is_zero();
        let mut at_price = Wad::ZERO;
        let order = self.venue_order.clone();
        for &vi in &order {
            let step = self.venue_step(vi, b, gas, &mut gas_left, &mut record)?;
            activity |= step.activity;
            record.trader_sold = record.trader_sold.add(step.trader_sold)?;
            record.liquidation_sold = record.liquidation_sold.add(step.sold)?;
            record.liquidation_proceeds = record.liquidation_proceeds.add(step.proceeds)?;
            record.liquidator_profit = record.liquidator_profit.add(step.profit)?;
            at_price = at_price.add(step.at_price)?;
        }
        let market = self.market.price();
        record.market = market;
        record.slippage = if record.liquidation_proceeds.is_positive() {
            at_price.div_ceil(record.liquidation_proceeds)?
        } else {
            Wad::ONE
        };
        self.slippage_num = self.slippage_num.add(at_price)?;
        record.drawdown = drawdown(self.start, market)?;
        let mut debt_at_risk = Wad::ZERO;
        let mut tvl = Wad::ZERO;
        for (vi, v) in record.venues.iter_mut().enumerate() {
            let price = v.oracle.unwrap_or(market);
            v.tvl = self
                .venues
                .get(vi)
                .map_or(Ok(Wad::ZERO), |venue| venue.ledger.collateral.mul_floor(price))?;
            debt_at_risk = debt_at_risk.add(v.debt_at_risk)?;
            tvl = tvl.add(v.tvl)?;
            if let Some(o) = v.oracle {
                record.oracle_gap = record.oracle_gap.max(oracle_gap(o, market)?);
            }
        }
        record.systemic_debt_ratio = if tvl.is_positive() {
            ratio_ceil(debt_at_risk, tvl)?
        } else {
            Wad::ZERO
        };
        self.tally(&record)?;
        let stop = self.stop_here(b, activity, market, &record);
        Ok((record, stop))
    }

    /// One venue's part of block `b` (steps 4 to 7).
    ///
    /// Watched accounts (when traders act) are popped from the queue and act first. Then
    /// candidates are served most underwater first, popped one at a time, until none is left,
    /// the block's gas is spent, or every liquidator is *dry* (see [`Dryness`]): then the rest
    /// would all be declined, so they are left in the queue and counted without being offered.
    /// Finally the block-end metrics walk the queue.
    #[allow(clippy::too_many_lines)]
    fn venue_step(
        &mut self,
        vi: usize,
        b: u64,
        gas: Wad,
        gas_left: &mut Wad,
        record: &mut BlockRecord,
    ) -> Result<VenueStep> {
        let s = self.settings;
        let mix = s.behaviour.raw();
        let market_price = self.market.price();
        let drawdown = drawdown(self.start, market_price)?;
        let venue = self.venues.get_mut(vi).ok_or(Error::Invalid { what: "venues" })?;
        let params = *venue.params();
        let whale = venue.whale_threshold;
        let round = venue.feed.latest(b);
        let (oracle, refusal) = match round {
            None => (None, Some(Refusal::Stale)),
            Some(r) => {
                let age = venue.feed.age(b).unwrap_or(u64::MAX);
                let verdict = params
                    .guards
                    .check(OraclePrice::exact(r.price())?, age, Some(market_price));
                (Some(r.price()), verdict.refusal())
            }
        };
        let usable = if refusal.is_none() { oracle } else { None };
        // Traders watch at the oracle price when there is one, else at the market's.
        let watch = oracle.unwrap_or(market_price);
        let watch_from = below(watch, mix.watch_band)?;
        let risk_from = below(watch, s.risk_band)?;
        let mut out = VenueStep::default();
        let mut vb = VenueBlock {
            oracle,
            refusal,
            ..VenueBlock::default()
        };
        let Venue {
            accounts,
            queue,
            ledger,
            waterfall,
            ..
        } = venue;
        let acting = !s.behaviour.is_passive();
        if acting {
            queue.pop_at_least(watch_from);
            for k in 0..queue.held_count() {
                let Some(slot) = queue.held_slot(k) else { break };
                let acct = account(accounts, slot)?;
                let hf = health_factor(&params, acct, watch)?;
                let done = act(&params, &s.behaviour, acct, hf, drawdown, watch, self.market, ledger)?;
                if done.acted {
                    slot.key = key(&params, acct)?;
                    out.activity = true;
                    out.trader_sold = out.trader_sold.add(done.sold)?;
                }
            }
        }
        // Why candidates were left unserved in the queue, if any were.
        let mut left_for: Option<Served> = None;
        if let Some(p) = usable {
            let dry = Dryness::new(&params, p, gas, s.volatility)?;
            let mut k = 0usize;
            loop {
                if k >= queue.held_count() {
                    if let Some(why) = dry.stalled(self.market, self.liquidators, &self.bidders, *gas_left)? {
                        left_for = Some(why);
                        break;
                    }
                    if !queue.pop_one_at_least(p) {
                        break;
                    }
                }
                let Some(slot) = queue.held_slot(k) else { break };
                k = k.saturating_add(1);
                if slot.key < p {
                    continue;
                }
                let acct = account(accounts, slot)?;
                if acct.is_bankrupt() {
                    let report = settle(&params, acct, p, waterfall)?;
                    book_bad_debt(ledger, &mut vb, &report)?;
                    slot.key = key(&params, acct)?;
                    out.activity = true;
                    continue;
                }
                if !liquidatable(&params, acct, p)? {
                    continue;
                }
                let served = serve(
                    &params,
                    acct,
                    p,
                    gas,
                    s.volatility,
                    gas_left,
                    self.market,
                    self.liquidators,
                    &self.bidders,
                    waterfall,
                )?;
                match served {
                    Served::Liquidated {
                        done,
                        fill,
                        profit,
                        bad_debt,
                    } => {
                        slot.key = key(&params, acct)?;
                        out.activity = true;
                        vb.liquidations = vb.liquidations.saturating_add(1);
                        vb.repaid = vb.repaid.add(done.repaid)?;
                        vb.seized = vb.seized.add(done.seized)?;
                        ledger.liquidations = ledger.liquidations.saturating_add(1);
                        ledger.debt_repaid_liquidations = ledger.debt_repaid_liquidations.add(done.repaid)?;
                        ledger.collateral_seized = ledger.collateral_seized.add(done.seized)?;
                        ledger.collateral_protocol_fee =
                            ledger.collateral_protocol_fee.add(done.protocol_collateral)?;
                        ledger.collateral = ledger.collateral.sub(done.seized)?;
                        ledger.debt = ledger.debt.sub(done.repaid)?;
                        out.sold = out.sold.add(fill.filled)?;
                        out.proceeds = out.proceeds.add(fill.proceeds)?;
                        out.at_price = out.at_price.add(fill.filled.mul_ceil(fill.price_before)?)?;
                        out.profit = out.profit.add(profit)?;
                        if let Some(report) = bad_debt {
                            book_bad_debt(ledger, &mut vb, &report)?;
                        }
                    }
                    Served::Unprofitable => vb.skipped_unprofitable = vb.skipped_unprofitable.saturating_add(1),
                    Served::NoGas => vb.skipped_gas = vb.skipped_gas.saturating_add(1),
                }
            }
        }
        // The block-end view: liquidatable accounts (exactly), debt and collateral at risk.
        let judge = usable.unwrap_or(market_price);
        let mut tally = RiskTally::default();
        let shared: &[Borrower] = accounts;
        for k in 0..queue.held_count() {
            let Some(slot) = queue.held_slot(k).copied() else { break };
            tally.add(&params, shared, &slot, judge, risk_from, whale, false)?;
        }
        queue.visit_at_least(risk_from.min(judge), |slot| {
            tally.add(&params, shared, slot, judge, risk_from, whale, true)
        })?;
        queue.restore();
        vb.liquidatable = tally.liquidatable;
        match left_for {
            Some(Served::NoGas) => vb.skipped_gas = vb.skipped_gas.saturating_add(tally.unserved),
            Some(_) => vb.skipped_unprofitable = vb.skipped_unprofitable.saturating_add(tally.unserved),
            None => {}
        }
        vb.debt_at_risk = tally.debt;
        vb.concentration = ratio_ceil(tally.whale_collateral, tally.collateral)?;
        if let Some(slot) = record.venues.get_mut(vi) {
            *slot = vb;
        }
        Ok(out)
    }

    /// Adds a block to the report.
    fn tally(&mut self, r: &BlockRecord) -> Result<()> {
        let rep = &mut self.report;
        rep.blocks = r.block;
        rep.equilibrium_price = r.market;
        rep.low_price = rep.low_price.min(r.market);
        rep.max_drawdown = rep.max_drawdown.max(r.drawdown);
        rep.max_oracle_gap = rep.max_oracle_gap.max(r.oracle_gap);
        let n = r.liquidations();
        rep.liquidations = rep.liquidations.saturating_add(u64::from(n));
        if n > rep.peak_liquidations {
            rep.peak_liquidations = n;
            rep.peak_block = r.block;
        }
        rep.repaid = rep.repaid.add(r.repaid()?)?;
        rep.liquidation_sold = rep.liquidation_sold.add(r.liquidation_sold)?;
        rep.liquidation_proceeds = rep.liquidation_proceeds.add(r.liquidation_proceeds)?;
        rep.trader_sold = rep.trader_sold.add(r.trader_sold)?;
        rep.bad_debt = rep.bad_debt.add(r.bad_debt()?)?;
        rep.liquidator_profit = rep.liquidator_profit.add(r.liquidator_profit)?;
        for v in &r.venues {
            rep.skipped_unprofitable = rep
                .skipped_unprofitable
                .saturating_add(u64::from(v.skipped_unprofitable));
            rep.skipped_gas = rep.skipped_gas.saturating_add(u64::from(v.skipped_gas));
            rep.max_concentration = rep.max_concentration.max(v.concentration);
        }
        rep.max_systemic_debt_ratio = rep.max_systemic_debt_ratio.max(r.systemic_debt_ratio);
        rep.slippage = if rep.liquidation_proceeds.is_positive() {
            self.slippage_num.div_ceil(rep.liquidation_proceeds)?
        } else {
            Wad::ONE
        };
        for (l, v) in rep.venues.iter_mut().zip(self.venues.iter()) {
            *l = v.ledger;
        }
        Ok(())
    }

    /// Whether the run stops after block `b`, and why.
    ///
    /// A block is *quiet* when nothing moved (no arbitrage, trade, liquidation or settlement),
    /// the path and the gas price have settled for good, and every live feed's newest round
    /// shows the market price and passes its guards. After a quiet block the state can no
    /// longer change: the run stops, **stale** if a venue whose feed is down still has
    /// accounts liquidatable at the market price, else **unprofitable** if a venue has
    /// liquidatable accounts, else **exhausted**. The block limit stops it otherwise.
    fn stop_here(&self, b: u64, activity: bool, market: Wad, r: &BlockRecord) -> Option<Stop> {
        let s = &self.settings;
        let settled = b >= s.path.settles_at()
            && b >= s.gas.settles_at()
            && self
                .venues
                .iter()
                .zip(r.venues.iter())
                .all(|(v, vb)| v.is_down(b) || (vb.refusal.is_none() && vb.oracle == Some(market)));
        if !activity && settled {
            let stuck = |stale: bool| {
                self.venues
                    .iter()
                    .zip(r.venues.iter())
                    .any(|(v, vb)| v.is_down(b) == stale && vb.liquidatable > 0)
            };
            return Some(if stuck(true) {
                Stop::Stale
            } else if stuck(false) {
                Stop::Unprofitable
            } else {
                Stop::Exhausted
            });
        }
        (b >= s.max_blocks).then_some(Stop::BlockLimit)
    }

    /// The report, with the debt still underwater at the market price.
    fn finish(mut self, stop: Stop) -> Result<Report> {
        let price = self.market.price();
        let mut underwater = Wad::ZERO;
        for v in self.venues.iter() {
            for a in v.accounts.iter() {
                let cover = a.collateral.mul_floor(price)?;
                if a.debt > cover {
                    underwater = underwater.add(a.debt.sub(cover)?)?;
                }
            }
        }
        self.report.underwater = underwater;
        self.report.stop = stop;
        Ok(self.report)
    }
}

/// Sorts `v` so that `before(a, b)` items come first, keeping the given order among the rest
/// (stable); `O(n²)`, for the few venues and liquidators.
fn insertion_sort<T: Copy>(v: &mut [T], before: impl Fn(&T, &T) -> bool) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 {
            let (Some(a), Some(b)) = (v.get(j.saturating_sub(1)).copied(), v.get(j).copied()) else {
                break;
            };
            if !before(&b, &a) {
                break;
            }
            if let Some(x) = v.get_mut(j.saturating_sub(1)) {
                *x = b;
            }
            if let Some(y) = v.get_mut(j) {
                *y = a;
            }
            j = j.saturating_sub(1);
        }
    }
}

fn fee<const H: usize>(venues: &[Venue<'_, H>], i: usize) -> Wad {
    venues.get(i).map_or(Wad::ZERO, |v| v.params().liquidation_fee())
}

/// `price · (1 − band)` rounded down (a band never watches fewer accounts than it says).
fn below(price: Wad, band: Wad) -> Result<Wad> {
    price.mul_floor(Wad::ONE.sub(band)?)
}

fn book_bad_debt(ledger: &mut Ledger, vb: &mut VenueBlock, r: &WaterfallReport) -> Result<()> {
    ledger.bankruptcies = ledger.bankruptcies.saturating_add(1);
    ledger.debt_written_off = ledger.debt_written_off.add(r.bad_debt)?;
    ledger.debt = ledger.debt.sub(r.bad_debt)?;
    let w = &mut ledger.waterfall;
    w.bad_debt = w.bad_debt.add(r.bad_debt)?;
    w.premium = w.premium.add(r.premium)?;
    w.insurance = w.insurance.add(r.insurance)?;
    w.socialized = w.socialized.add(r.socialized)?;
    w.uncovered = w.uncovered.add(r.uncovered)?;
    w.haircut = w.haircut.max(r.haircut);
    vb.bad_debt = vb.bad_debt.add(r.bad_debt)?;
    Ok(())
}

/// The account a slot points to.
fn account<'b>(accounts: &'b mut [Borrower], slot: &Slot) -> Result<&'b mut Borrower> {
    let i = usize::try_from(slot.index).map_err(|_| Error::Overflow)?;
    accounts.get_mut(i).ok_or(Error::Invalid { what: "queue" })
}

/// The block-end metrics of one venue, summed over the accounts near liquidation.
#[derive(Default)]
struct RiskTally {
    /// Accounts liquidatable at the judged price.
    liquidatable: u32,
    /// Of them, those still in the queue (never offered this block).
    unserved: u32,
    /// Debt of the accounts within the risk band.
    debt: Wad,
    /// Their collateral.
    collateral: Wad,
    /// The part of it held by accounts at or above the venue's top-1 % threshold.
    whale_collateral: Wad,
}

impl RiskTally {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        params: &VenueParams,
        accounts: &[Borrower],
        slot: &Slot,
        judge: Wad,
        risk_from: Wad,
        whale: Wad,
        queued: bool,
    ) -> Result<()> {
        let i = usize::try_from(slot.index).map_err(|_| Error::Overflow)?;
        let acct = accounts.get(i).ok_or(Error::Invalid { what: "queue" })?;
        if slot.key >= judge && liquidatable(params, acct, judge)? {
            self.liquidatable = self.liquidatable.saturating_add(1);
            if queued {
                self.unserved = self.unserved.saturating_add(1);
            }
        }
        if slot.key >= risk_from && !slot.key.is_zero() {
            self.debt = self.debt.add(acct.debt.max(Wad::ZERO))?;
            self.collateral = self.collateral.add(acct.collateral)?;
            if acct.collateral >= whale {
                self.whale_collateral = self.whale_collateral.add(acct.collateral)?;
            }
        }
        Ok(())
    }
}

/// Whether the liquidators can still act on a venue in this block: a liquidator whose
/// [`profit_ceiling`] on the venue's terms with an unbounded offer (the depth bound: it does not
/// depend on the account) is below its demand would decline every account until the market
/// moves; once every liquidator that can send a transaction is in that state, no account can
/// be served.
struct Dryness {
    /// The venue's terms with an unbounded offer.
    terms: Opportunity,
    gas: Wad,
    volatility: Wad,
}

impl Dryness {
    fn new(params: &VenueParams, price: Wad, gas: Wad, volatility: Wad) -> Result<Self> {
        let mut terms = terms(params, price)?;
        terms.repay_max = Wad::MAX;
        Ok(Self { terms, gas, volatility })
    }

    /// Why no further account can be served now, if none can: no liquidator works at this gas
    /// price or fits the gas left ([`Served::NoGas`]), or none of those could be paid
    /// ([`Served::Unprofitable`]).
    fn stalled<M: Depth>(
        &self,
        market: &M,
        liquidators: &[Liquidator],
        bidders: &[usize],
        gas_left: Wad,
    ) -> Result<Option<Served>> {
        let mut could = false;
        for &li in bidders {
            let Some(l) = liquidators.get(li) else { continue };
            if !l.works_at(self.gas) || l.gas_per_liquidation() > gas_left {
                continue;
            }
            could = true;
            let env = Environment::new(EnvironmentRaw {
                gas_price: self.gas.add(l.priority_fee())?,
                volatility: self.volatility,
            })?;
            let demand = l.profile().raw().min_profit.max(Wad::EPSILON);
            if profit_ceiling(&l.current()?, &env, market, &self.terms)? >= demand {
                return Ok(None);
            }
        }
        Ok(Some(if could { Served::Unprofitable } else { Served::NoGas }))
    }
}

/// How a liquidatable account fared with the liquidators.
#[allow(clippy::large_enum_variant)]
enum Served {
    Liquidated {
        done: super::venue::Executed,
        fill: Fill,
        profit: Wad,
        bad_debt: Option<WaterfallReport>,
    },
    /// A liquidator could send a transaction, and none would.
    Unprofitable,
    /// No liquidator could: the block's gas ran out, or gas is dearer than any will pay.
    NoGas,
}

/// Offers `acct` to the liquidators, highest bid first; the first that acts liquidates it and
/// sells what it receives.
///
/// A liquidator whose [`profit_ceiling`] on the account (with an upper bound of the offer:
/// the whole debt, or for a perp the whole position at the oracle price less the fee) is
/// below what it demands would decline at every size, so it is not asked; when no liquidator
/// could accept, the kernel's plan is not even made. This changes no outcome, only the work.
#[allow(clippy::too_many_arguments)]
fn serve<M: Depth>(
    params: &VenueParams,
    acct: &mut Borrower,
    price: Wad,
    gas: Wad,
    volatility: Wad,
    gas_left: &mut Wad,
    market: &mut M,
    liquidators: &mut [Liquidator],
    bidders: &[usize],
    waterfall: &mut crate::liquidation::Waterfall,
) -> Result<Served> {
    let mut bound = terms(params, price)?;
    bound.repay_max = offer_bound(params, acct, price)?;
    let mut could = false;
    let mut offer: Option<Offer> = None;
    for &li in bidders {
        let Some(l) = liquidators.get_mut(li) else { continue };
        let needs = l.gas_per_liquidation();
        if !l.works_at(gas) || needs > *gas_left {
            continue;
        }
        could = true;
        let env = Environment::new(EnvironmentRaw {
            gas_price: gas.add(l.priority_fee())?,
            volatility,
        })?;
        let demand = l.profile().raw().min_profit.max(Wad::EPSILON);
        if profit_ceiling(&l.current()?, &env, market, &bound)? < demand {
            continue;
        }
        let made = match offer {
            Some(o) => o,
            None => {
                let o = opportunity(params, acct, price)?;
                offer = Some(o);
                o
            }
        };
        let d = l.decide(&env, market, &made.opp)?;
        if !d.act {
            continue;
        }
        let (done, bad_debt) = execute(params, acct, price, &made, &d, waterfall)?;
        let fill = market.sell(done.receives)?;
        let profit = l.book(done.paid, d.gas, fill.proceeds)?;
        *gas_left = gas_left.sub(needs)?;
        return Ok(Served::Liquidated {
            done,
            fill,
            profit,
            bad_debt,
        });
    }
    Ok(if could { Served::Unprofitable } else { Served::NoGas })
}

/// An upper bound of what the kernel's plan offers for `acct`: its whole debt (lending), or
/// `⌈⌈base · P⌉ · (1 − fee)⌉` for the whole position (perp, as [`opportunity`] prices it).
fn offer_bound(params: &VenueParams, acct: &Borrower, price: Wad) -> Result<Wad> {
    match params.kind {
        VenueKind::Lending { .. } => Ok(acct.debt.max(Wad::ZERO)),
        VenueKind::Perp { market } => acct
            .collateral
            .abs()?
            .mul_ceil(price)?
            .mul_ceil(Wad::ONE.sub(market.liquidation_fee())?),
    }
}
