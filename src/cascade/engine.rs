//! The block-by-block engine.

use heapless::Vec;

use crate::market::{Depth, Side};
use crate::oracle::{OraclePrice, Refusal};
use crate::{Error, Result, Wad};

use super::auction::{Bidders, Served, unbounded_terms};
use super::behaviour::{act, draw};
use super::borrower::Borrower;
use super::exposure::{Bands, Exposure};
use super::ledger::Ledger;
use super::liquidators::{Liquidator, MAX_LIQUIDATORS};
use super::queue::Slot;
use super::record::{BlockRecord, MAX_VENUES, Report, Sink, Stop, VenueBlock};
use super::settings::Settings;
use super::venue::{Venue, health_factor, key, liquidatable, settle};
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
    /// `Σ filled · price_before` of every liquidation sale so far (see [`Report::absorb`]).
    at_price: Wad,
}

/// A venue's reading of its feed in a block: the newest visible round and its guards' verdict.
struct OracleView {
    /// The newest visible round's price, if the feed has published one.
    oracle: Option<Wad>,
    /// Why the guards refuse it (or [`Refusal::Stale`] when there is none).
    refusal: Option<Refusal>,
    /// The price liquidations may use: the oracle's, unless refused.
    usable: Option<Wad>,
}

impl OracleView {
    /// Reads `venue`'s feed at `block`, its guards checking the round against the market's
    /// price `market_price`.
    fn read<const H: usize>(venue: &Venue<'_, H>, block: u64, market_price: Wad) -> Result<Self> {
        let Some(round) = venue.feed.latest(block) else {
            return Ok(Self {
                oracle: None,
                refusal: Some(Refusal::Stale),
                usable: None,
            });
        };
        let age = venue.feed.age(block).unwrap_or(u64::MAX);
        let verdict = venue
            .params()
            .guards
            .check(OraclePrice::exact(round.price())?, age, Some(market_price));
        let refusal = verdict.refusal();
        Ok(Self {
            oracle: Some(round.price()),
            refusal,
            usable: if refusal.is_none() { Some(round.price()) } else { None },
        })
    }
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
            report: Report::opening(start, price, ledgers),
            at_price: Wad::ZERO,
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
        let block = self.block.checked_add(1).ok_or(Error::Overflow)?;
        self.block = block;
        let settings = self.settings;
        let reference = settings.path.price(block)?;
        let gas = settings.gas.price(block);
        let capacity = settings.arbitrage.capacity_at(&settings.gas, gas)?;
        let arb = self.market.arbitrage(reference, capacity)?;
        let arbitrage = match arb.side {
            Side::Buy => arb.filled,
            Side::Sell => arb.filled.neg()?,
        };
        let observed = self.market.price();
        for v in self.venues.iter_mut() {
            if !v.is_down(block) && observed.is_positive() {
                v.feed.observe(block, observed)?;
            }
        }
        let mut record = BlockRecord {
            block,
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
        let mut gas_left = settings.block_gas;
        let mut activity = !arb.filled.is_zero();
        let mut at_price = Wad::ZERO;
        let order = self.venue_order.clone();
        for &vi in &order {
            let (venue_block, step) = self.venue_step(vi, block, gas, &mut gas_left)?;
            if let Some(slot) = record.venues.get_mut(vi) {
                *slot = venue_block;
            }
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
        self.at_price = self.at_price.add(at_price)?;
        record.drawdown = drawdown(self.start, market)?;
        let mut debt_at_risk = Wad::ZERO;
        let mut tvl = Wad::ZERO;
        for (venue_block, venue) in record.venues.iter_mut().zip(self.venues.iter()) {
            let price = venue_block.oracle.unwrap_or(market);
            venue_block.tvl = venue.ledger.collateral.mul_floor(price)?;
            debt_at_risk = debt_at_risk.add(venue_block.debt_at_risk)?;
            tvl = tvl.add(venue_block.tvl)?;
            if let Some(o) = venue_block.oracle {
                record.oracle_gap = record.oracle_gap.max(oracle_gap(o, market)?);
            }
        }
        record.systemic_debt_ratio = if tvl.is_positive() {
            ratio_ceil(debt_at_risk, tvl)?
        } else {
            Wad::ZERO
        };
        self.report
            .absorb(&record, self.at_price, self.venues.iter().map(|v| &v.ledger))?;
        let stop = self.stop_here(block, activity, market, &record);
        Ok((record, stop))
    }

    /// One venue's part of `block` (steps 4 to 7): the oracle's verdict, the traders of
    /// watched accounts, the auction of liquidatable accounts, and the block-end exposure.
    fn venue_step(&mut self, vi: usize, block: u64, gas: Wad, gas_left: &mut Wad) -> Result<(VenueBlock, VenueStep)> {
        let settings = self.settings;
        let market_price = self.market.price();
        let drawdown = drawdown(self.start, market_price)?;
        let venue = self.venues.get_mut(vi).ok_or(Error::Invalid { what: "venues" })?;
        let params = *venue.params();
        let view = OracleView::read(venue, block, market_price)?;
        // Traders watch at the oracle price when there is one, else at the market's.
        let watch = view.oracle.unwrap_or(market_price);
        let bands = Bands {
            judged_at: view.usable.unwrap_or(market_price),
            risk_from: below(watch, settings.risk_band)?,
            whale: venue.whale_threshold,
        };
        let mut out = VenueStep::default();
        let mut venue_block = VenueBlock {
            oracle: view.oracle,
            refusal: view.refusal,
            ..VenueBlock::default()
        };
        let Venue {
            accounts,
            queue,
            ledger,
            waterfall,
            ..
        } = venue;
        if !settings.behaviour.is_passive() {
            let watch_from = below(watch, settings.behaviour.raw().watch_band)?;
            queue.pop_at_least(watch_from);
            for k in 0..queue.held_count() {
                let Some(slot) = queue.held_slot(k) else { break };
                let acct = account(accounts, slot)?;
                let hf = health_factor(&params, acct, watch)?;
                let done = act(
                    &params,
                    &settings.behaviour,
                    acct,
                    hf,
                    drawdown,
                    watch,
                    self.market,
                    ledger,
                )?;
                if done.acted {
                    slot.key = key(&params, acct)?;
                    out.activity = true;
                    out.trader_sold = out.trader_sold.add(done.sold)?;
                }
            }
        }
        // Why candidates were left unserved in the queue, if any were.
        let mut unserved_reason: Option<Served> = None;
        if let Some(price) = view.usable {
            let mut bidders = Bidders {
                market: &mut *self.market,
                liquidators: &mut *self.liquidators,
                order: &self.bidders,
                gas,
                volatility: settings.volatility,
            };
            let unbounded = unbounded_terms(&params, price)?;
            let mut k = 0usize;
            loop {
                if k >= queue.held_count() {
                    if let Some(why) = bidders.stalled(&unbounded, *gas_left)? {
                        unserved_reason = Some(why);
                        break;
                    }
                    if !queue.pop_one_at_least(price) {
                        break;
                    }
                }
                let Some(slot) = queue.held_slot(k) else { break };
                k = k.saturating_add(1);
                if slot.key < price {
                    continue;
                }
                let acct = account(accounts, slot)?;
                if acct.is_bankrupt() {
                    let report = settle(&params, acct, price, waterfall)?;
                    ledger.bankruptcy(&report)?;
                    venue_block.bad_debt = venue_block.bad_debt.add(report.bad_debt)?;
                    slot.key = key(&params, acct)?;
                    out.activity = true;
                    continue;
                }
                if !liquidatable(&params, acct, price)? {
                    continue;
                }
                match bidders.serve(&params, acct, price, gas_left, waterfall)? {
                    Served::Liquidated {
                        done,
                        fill,
                        profit,
                        bad_debt,
                    } => {
                        slot.key = key(&params, acct)?;
                        out.activity = true;
                        ledger.liquidation(&done.books)?;
                        venue_block.liquidations = venue_block.liquidations.saturating_add(1);
                        venue_block.repaid = venue_block.repaid.add(done.books.repaid)?;
                        venue_block.seized = venue_block.seized.add(done.books.seized)?;
                        out.sold = out.sold.add(fill.filled)?;
                        out.proceeds = out.proceeds.add(fill.proceeds)?;
                        out.at_price = out.at_price.add(fill.filled.mul_ceil(fill.price_before)?)?;
                        out.profit = out.profit.add(profit)?;
                        if let Some(report) = bad_debt {
                            ledger.bankruptcy(&report)?;
                            venue_block.bad_debt = venue_block.bad_debt.add(report.bad_debt)?;
                        }
                    }
                    Served::Unprofitable => {
                        venue_block.skipped_unprofitable = venue_block.skipped_unprofitable.saturating_add(1);
                    }
                    Served::NoGas => venue_block.skipped_gas = venue_block.skipped_gas.saturating_add(1),
                }
            }
        }
        let exposure = Exposure::tally(&params, accounts, queue, &bands)?;
        queue.restore();
        venue_block.liquidatable = exposure.liquidatable;
        match unserved_reason {
            Some(Served::NoGas) => venue_block.skipped_gas = venue_block.skipped_gas.saturating_add(exposure.unserved),
            Some(_) => {
                venue_block.skipped_unprofitable = venue_block.skipped_unprofitable.saturating_add(exposure.unserved);
            }
            None => {}
        }
        venue_block.debt_at_risk = exposure.debt;
        venue_block.concentration = ratio_ceil(exposure.whale_collateral, exposure.collateral)?;
        Ok((venue_block, out))
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

/// The account a slot points to.
fn account<'b>(accounts: &'b mut [Borrower], slot: &Slot) -> Result<&'b mut Borrower> {
    let i = usize::try_from(slot.index).map_err(|_| Error::Overflow)?;
    accounts.get_mut(i).ok_or(Error::Invalid { what: "queue" })
}
