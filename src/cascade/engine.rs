//! The block-by-block engine.

use heapless::Vec;

use crate::market::{Depth, Side, Transient};
use crate::oracle::{OraclePrice, Refusal};
use crate::{Error, Result, Wad};

use super::auction::{Bidders, OfferSize, Served};
use super::behaviour::{act, draw, may_act};
use super::borrower::{Behaviour, Borrower};
use super::exposure::{Bands, Exposure};
use super::ledger::totals;
use super::liquidators::{Liquidator, MAX_LIQUIDATORS};
use super::queue::Slot;
use super::record::{BlockRecord, MAX_VENUES, Recovery, Report, Sink, Stop, StopDetail, VenueBlock, VenueSummary};
use super::settings::Settings;
use super::venue::{Venue, VenueKind, health_factor, keys, liquidatable, settle, terms};
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
    market: Transient<'v, M>,
    venues: &'v mut [Venue<'a, H>],
    liquidators: &'v mut [Liquidator],
    /// Venue indices by liquidation fee, highest first (ties in the order given).
    venue_order: Vec<usize, MAX_VENUES>,
    /// Liquidator indices by priority fee, highest first (ties in the order given).
    bidders: Vec<usize, MAX_LIQUIDATORS>,
    block: u64,
    start: Wad,
    report: Report,
    /// The counts behind the last stop reason found.
    detail: StopDetail,
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
        if venues.is_empty() {
            return Err(Error::invalid("venues", "must hold at least one venue"));
        }
        if venues.len() > MAX_VENUES {
            return Err(Error::invalid("venues", "at most 4 venues (MAX_VENUES)"));
        }
        if liquidators.len() > MAX_LIQUIDATORS {
            return Err(Error::invalid(
                "liquidators",
                "at most 64 liquidators (MAX_LIQUIDATORS)",
            ));
        }
        let mut venue_order: Vec<usize, MAX_VENUES> = (0..venues.len()).collect();
        // Stable insertion sorts (a few items; no panic path, unlike the slice sorts).
        insertion_sort(&mut venue_order, |&a, &b| fee(venues, a) > fee(venues, b));
        let mut bidders: Vec<usize, MAX_LIQUIDATORS> = (0..liquidators.len()).collect();
        let bid = |i: usize| liquidators.get(i).map_or(Wad::ZERO, Liquidator::priority_fee);
        insertion_sort(&mut bidders, |&a, &b| bid(a) > bid(b));
        let start = settings.path.price(0)?;
        let market = Transient::new(market, start)?;
        let price = market.price();
        let mut ledgers: Vec<VenueSummary, MAX_VENUES> = Vec::new();
        for (vi, v) in venues.iter_mut().enumerate() {
            for (i, b) in v.accounts.iter_mut().enumerate() {
                if b.behaviour.is_none() {
                    b.behaviour = Some(draw(&settings.behaviour, settings.seed, vi, i)?);
                }
            }
            let Venue { accounts, queue, .. } = v;
            let shared: &[Borrower] = accounts;
            queue.split(|i| {
                usize::try_from(i)
                    .ok()
                    .and_then(|i| shared.get(i))
                    .is_some_and(|b| b.behaviour.is_some_and(|x| x != Behaviour::Hold))
            });
            if !v.is_down(0) && price.is_positive() {
                v.feed.observe(0, price)?;
            }
            v.reprice(0, price)?;
            let (collateral, debt) = totals(v.accounts)?;
            let summary = VenueSummary {
                ledger: v.ledger,
                collateral,
                debt,
                ..VenueSummary::default()
            };
            ledgers
                .push(summary)
                .map_err(|_| Error::invalid("venues", "at most 4 venues (MAX_VENUES)"))?;
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
            detail: StopDetail::default(),
            at_price: Wad::ZERO,
        })
    }

    /// The last block simulated (0 before the first step).
    #[must_use]
    pub const fn block(&self) -> u64 {
        self.block
    }

    /// The shared market's depth model, in its own units (its price is the market's relative
    /// to the fundamental; see [`Transient`]).
    #[must_use]
    pub fn market(&self) -> &M {
        self.market.model()
    }

    /// The market's price: the fundamental plus what remains of the impact of sales.
    #[must_use]
    pub fn market_price(&self) -> Wad {
        self.market.price()
    }

    /// The fundamental price at the last block simulated.
    #[must_use]
    pub const fn fundamental(&self) -> Wad {
        self.market.fundamental()
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

    /// Steps to the Liquidation Cascade Equilibrium and on through the recovery, sending every
    /// block's record to `sink`, and returns the report.
    ///
    /// **The equilibrium** is the state at the end of the first block at rest (see
    /// [`step`](Self::step)): the report's figures are the cascade's up to that block, with
    /// the debt still under water there ([`Report::unrealised`]). **The recovery** follows:
    /// the run goes on while the market's impact decays, until the market is back within the
    /// resilience's band of the fundamental (at once when it already is, never without
    /// resilience) or the block limit; what it adds is in [`Report::recovery`]. A run that
    /// never comes to rest stops at the block limit, with every figure at the last block; a
    /// run the sink interrupts ([`Sink::interrupted`]) stops after the block it just recorded,
    /// as [`Stop::Interrupted`] before the equilibrium, or with the recovery cut short. The
    /// sink is shown the report at the equilibrium before the recovery ([`Sink::equilibrium`]),
    /// so that it may cut the recovery short.
    ///
    /// Errors: what [`step`](Self::step) or the sink reports.
    pub fn run<S: Sink + ?Sized>(mut self, sink: &mut S) -> Result<Report> {
        let stop = loop {
            let (record, stop) = self.step()?;
            sink.record(&record)?;
            if let Some(stop) = stop {
                break stop;
            }
            if sink.interrupted() {
                break Stop::Interrupted;
            }
        };
        let mut equilibrium = self.equilibrium(stop)?;
        if matches!(stop, Stop::BlockLimit | Stop::Interrupted) {
            return Ok(equilibrium);
        }
        sink.equilibrium(&equilibrium)?;
        while self.recovering()? && !sink.interrupted() {
            let (record, _) = self.step()?;
            sink.record(&record)?;
        }
        let settings = self.settings;
        let blocks = if settings
            .resilience
            .recovered(self.market.price(), self.market.fundamental())?
        {
            Some(self.block.saturating_sub(equilibrium.equilibrium_block))
        } else {
            None
        };
        equilibrium.blocks = self.block;
        equilibrium.recovery = Some(Recovery {
            blocks,
            band: settings.resilience.band(),
            market_price: self.market.price(),
            fundamental_price: self.market.fundamental(),
            liquidations: self.report.liquidations.saturating_sub(equilibrium.liquidations),
            bad_debt: self.report.bad_debt.sub(equilibrium.bad_debt)?,
        });
        Ok(equilibrium)
    }

    /// Whether the market is still recovering after the equilibrium: it is not yet within the
    /// resilience's band of the fundamental, it can recover (some resilience, some arbitrage
    /// capacity), and the block limit is not reached. [`run`](Self::run) steps while it is.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn recovering(&self) -> Result<bool> {
        let settings = &self.settings;
        let can =
            !settings.resilience.decay().is_zero() && settings.arbitrage.capacity().is_none_or(|c| c.is_positive());
        Ok(can
            && self.block < settings.max_blocks
            && !settings
                .resilience
                .recovered(self.market.price(), self.market.fundamental())?)
    }

    /// Simulates the next block, in this order:
    ///
    /// 1. the fundamental price moves along the path, and the market with it (the market's
    ///    price is the fundamental plus what remains of the impact of sales: [`Transient`]);
    /// 2. arbitrageurs close the fraction of the impact that the market's resilience allows at
    ///    this gas price, within their capacity;
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
    /// 8. the block's record is made, and whether the cascade is at rest is checked.
    ///
    /// The cascade is **at rest** at the end of a block when the path, the gas price and every
    /// options venue's volatility path have settled for good, nothing moved in the block (no liquidation, bankruptcy settlement or
    /// trader action; the arbitrageurs' recovery does not count), and every venue whose feed
    /// is up has no round in flight and shows a price no higher than the market's (no fall is
    /// still to reach it). Its reason ([`Stop`]) is **stale** if a venue whose oracle is down
    /// or refused has accounts liquidatable at the market price, else **exhausted** when no
    /// account is liquidatable, else **unprofitable** when some liquidator could act and none
    /// did, else **no liquidators**.
    ///
    /// Returns the record and, if the cascade is at rest (or the block limit is reached), why.
    ///
    /// Errors: [`Error::Invalid`] naming `block` when the run has already reached
    /// `max_blocks`; what the kernel reports (overflow, a market out of depth).
    pub fn step(&mut self) -> Result<(BlockRecord, Option<Stop>)> {
        if self.block >= self.settings.max_blocks {
            return Err(Error::invalid("block", "the run has already reached max_blocks"));
        }
        let block = self.block.checked_add(1).ok_or(Error::Overflow)?;
        self.block = block;
        let settings = self.settings;
        let fundamental = settings.path.price(block)?;
        self.market.set_fundamental(fundamental)?;
        let gas = settings.gas.price(block);
        let decay = settings.resilience.decay_at(&settings.gas, gas)?;
        let capacity = settings.arbitrage.capacity_at(&settings.gas, gas)?;
        let arb = self.market.recover(decay, capacity)?;
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
            fundamental,
            gas_price: gas,
            arbitrage,
            ..BlockRecord::default()
        };
        for _ in 0..self.venues.len() {
            record
                .venues
                .push(VenueBlock::default())
                .map_err(|_| Error::invalid("venues", "at most 4 venues (MAX_VENUES)"))?;
        }
        let mut gas_left = settings.block_gas;
        let mut activity = false;
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
        let stop = self.stop_here(block, activity, market, &record)?;
        Ok((record, stop))
    }

    /// One venue's part of `block` (steps 4 to 7): the oracle's verdict, the traders of
    /// watched accounts, the auction of liquidatable accounts, and the block-end exposure.
    fn venue_step(&mut self, vi: usize, block: u64, gas: Wad, gas_left: &mut Wad) -> Result<(VenueBlock, VenueStep)> {
        let settings = self.settings;
        let market_price = self.market.price();
        let drawdown = drawdown(self.start, market_price)?;
        let venue = self
            .venues
            .get_mut(vi)
            .ok_or(Error::invalid("venues", "no venue at that index"))?;
        let view = OracleView::read(venue, block, market_price)?;
        // An options venue prices its series once, at the price it judges by.
        venue.reprice(block, view.usable.unwrap_or(market_price))?;
        // An option pool hedges into the shared market and is valued on that quote.
        let pool_block = venue.pool_step(block, &mut self.market)?;
        let params = *venue.params();
        // Traders watch at the oracle price when there is one, else at the market's.
        let watch = view.oracle.unwrap_or(market_price);
        let risk_from = below(watch, settings.risk_band)?;
        // An options venue's writers are in the risk band when liquidatable at its edge: the
        // series is quoted there once for the block.
        let edge_quote = match params.kind {
            VenueKind::Options(book) => {
                let edge = book.band_edge(watch, settings.risk_band, risk_from)?;
                if edge.is_positive() {
                    Some(book.quote_at(edge)?)
                } else {
                    None
                }
            }
            _ => None,
        };
        let bands = Bands {
            judged_at: view.usable.unwrap_or(market_price),
            risk_from,
            whale: venue.whale_threshold,
            edge_quote,
        };
        let mut out = VenueStep::default();
        let mut venue_block = VenueBlock {
            oracle: view.oracle,
            refusal: view.refusal,
            options: match params.kind {
                VenueKind::Options(book) => book.quote,
                _ => None,
            },
            option_pool: pool_block,
            ..VenueBlock::default()
        };
        out.activity |= pool_block.is_some_and(|p| p.hedge_sold.is_positive());
        let Venue {
            accounts,
            queue,
            ledger,
            waterfall,
            ..
        } = venue;
        let acting = !settings.behaviour.is_passive();
        if acting {
            // Only the actors are popped: a holder never acts. Their keys are renewed when the
            // auction takes them (or after it), so that the auction takes every account in the
            // order of the keys it had when the block began.
            let watch_from = below(watch, settings.behaviour.raw().watch_band)?;
            while let Some(slot) = queue.pop_actor_at_least(watch_from) {
                let acct = account(accounts, slot)?;
                if !may_act(&settings.behaviour, acct, drawdown) {
                    continue;
                }
                let hf = health_factor(&params, acct, watch)?;
                let done = act(
                    &params,
                    &settings.behaviour,
                    acct,
                    hf,
                    drawdown,
                    watch,
                    &mut self.market,
                    ledger,
                )?;
                if done.acted {
                    slot.stale = true;
                    out.activity = true;
                    out.trader_sold = out.trader_sold.add(done.sold)?;
                }
            }
        }
        // Why candidates were left unserved in the queue, if any were.
        let mut unserved_reason: Option<Served> = None;
        if let Some(price) = view.usable {
            let mut bidders = Bidders::new(
                &mut self.market,
                &mut *self.liquidators,
                &self.bidders,
                gas,
                settings.volatility,
                terms(&params, price)?,
            )?;
            // With traders acting, once the auction is stalled (no bidder could be paid at any
            // size, or none can send) only the held actors are still taken, in their order.
            let mut actors_only = false;
            // Whether the stall was checked in the current state (it changes only when a
            // liquidation moves the market, a liquidator's capital and the gas left).
            let mut stall_checked = false;
            loop {
                // A run of accounts the state's floor declines without reading them (each
                // surely liquidatable, not stale, not bankrupt, of a measure the floor is shown
                // to decline): counted in one pass, as one by one below. With traders acting,
                // only once the state's stall is checked and there is none (nothing below would
                // stop for them); without, only when there is no stall now (checked below
                // before each account that is popped, the same throughout the state).
                if !actors_only
                    && (!acting || (stall_checked && unserved_reason.is_none()))
                    && let Some((measure, could_send)) = bidders.declines_measure(&params, price, *gas_left)?
                    && (acting || bidders.stalled(*gas_left)?.is_none())
                {
                    let n = queue.skim(price, |slot| {
                        !slot.stale
                            && !slot.is_bankrupt()
                            && slot.surely_liquidatable(price)
                            && OfferSize::measure(&params, slot.collateral, slot.debt).is_ok_and(|m| m <= measure)
                    });
                    if n > 0 {
                        if could_send {
                            venue_block.skipped_unprofitable = venue_block.skipped_unprofitable.saturating_add(n);
                        } else {
                            venue_block.skipped_gas = venue_block.skipped_gas.saturating_add(n);
                        }
                        continue;
                    }
                }
                // The next account in service order. With traders acting, the original order
                // held every account near liquidation before the auction: a stall is checked
                // after each account declined, and (see `stalled_past`) ends the popping of
                // the queue; otherwise it is checked before each account is popped.
                let next = if actors_only {
                    queue.next_held_actor()
                } else {
                    queue.peek(price)
                };
                let Some(next) = next else {
                    if let Some(why) = bidders.stalled(*gas_left)? {
                        unserved_reason = Some(why);
                    }
                    break;
                };
                if !acting
                    && next.top_key().is_some()
                    && let Some(why) = bidders.stalled(*gas_left)?
                {
                    unserved_reason = Some(why);
                    break;
                }
                if acting && !actors_only && stalled_past(unserved_reason.as_ref(), next.top_key()) {
                    actors_only = true;
                    continue;
                }
                let Some(slot) = queue.take(next) else { break };
                if slot.stale {
                    let acct = account(accounts, slot)?;
                    slot.set(keys(&params, acct)?);
                }
                if slot.key < price {
                    continue;
                }
                // The slot's keys are fresh here, and so is its copy of the account's debt and
                // collateral: what it answers, the account (a cache miss at random) is not read
                // for.
                let acct = account(accounts, slot)?;
                if slot.is_bankrupt() {
                    let (report, units) = settle(&params, acct, price, waterfall)?;
                    ledger.bankruptcy_of(&report, units)?;
                    venue_block.bad_debt = venue_block.bad_debt.add(report.bad_debt)?;
                    slot.set(keys(&params, acct)?);
                    out.activity = true;
                    continue;
                }
                if !slot.surely_liquidatable(price) && !liquidatable(&params, acct, price)? {
                    continue;
                }
                let size = OfferSize::new(&params, slot.collateral, slot.debt)?;
                let declined = match bidders.serve(&params, acct, size, price, gas_left, waterfall)? {
                    Served::Liquidated {
                        done,
                        fill,
                        profit,
                        bad_debt,
                    } => {
                        slot.set(keys(&params, acct)?);
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
                            ledger.bankruptcy_of(&report, done.written_off)?;
                            venue_block.bad_debt = venue_block.bad_debt.add(report.bad_debt)?;
                        }
                        // A liquidation makes a new state: whatever stalled before need not now.
                        unserved_reason = None;
                        stall_checked = false;
                        false
                    }
                    Served::Unprofitable => {
                        venue_block.skipped_unprofitable = venue_block.skipped_unprofitable.saturating_add(1);
                        true
                    }
                    Served::NoGas => {
                        venue_block.skipped_gas = venue_block.skipped_gas.saturating_add(1);
                        true
                    }
                };
                if acting && declined && !stall_checked {
                    unserved_reason = bidders.stalled(*gas_left)?;
                    stall_checked = true;
                }
            }
        }
        // Actors that acted and were not taken by the auction: their keys now.
        queue.held_actors_mut(|slot| {
            if slot.stale {
                let acct = account(accounts, slot)?;
                slot.set(keys(&params, acct)?);
            }
            Ok(())
        })?;
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
        // An options venue's exposure counts option units: its debt at risk is their value at
        // the block's mark, `⌈(Σ q) · M⌉`.
        venue_block.debt_at_risk = match venue_block.options {
            Some(q) => exposure.debt.mul_ceil(q.mark)?,
            None => exposure.debt,
        };
        venue_block.concentration = ratio_ceil(exposure.whale_collateral, exposure.collateral)?;
        Ok((venue_block, out))
    }

    /// Whether the cascade is at rest after `block` (see [`step`](Self::step)), and why; the
    /// block limit otherwise. Keeps the counts behind the reason for the report (at the block
    /// limit too: what is liquidatable there, and who could act).
    ///
    /// A venue whose feed is down or refused counts its accounts liquidatable at the market
    /// price; the record counts a venue whose feed is down but whose last round is still
    /// usable at that round's price, so such a venue is counted again here.
    ///
    /// Errors: what the kernel reports.
    fn stop_here(&mut self, block: u64, activity: bool, market: Wad, r: &BlockRecord) -> Result<Option<Stop>> {
        let settings = &self.settings;
        let settled = block >= settings.path.settles_at()
            && block >= settings.gas.settles_at()
            && self.venues.iter().all(|v| v.vol_settled(block))
            && self.venues.iter().zip(r.venues.iter()).all(|(v, vb)| {
                v.is_down(block)
                    || (v.feed.last_decided().is_none_or(|round| round.visible_at() <= block)
                        && vb.oracle.is_none_or(|o| o <= market))
            });
        let at_rest = !activity && settled;
        if !at_rest && block < settings.max_blocks {
            return Ok(None);
        }
        // Per venue: accounts liquidatable (at the market price where the feed is down or
        // refused), and whether they are the stale kind.
        let mut count = 0u64;
        let mut stale = false;
        for (v, vb) in self.venues.iter().zip(r.venues.iter()) {
            let blind = v.is_down(block) || vb.refusal.is_some();
            let n = if v.is_down(block) && vb.refusal.is_none() {
                let params = v.params();
                let mut n = 0u64;
                for a in v.accounts() {
                    if liquidatable(params, a, market)? {
                        n = n.saturating_add(1);
                    }
                }
                n
            } else {
                u64::from(vb.liquidatable)
            };
            count = count.saturating_add(n);
            stale |= blind && n > 0;
        }
        let mut detail = StopDetail {
            liquidatable: count,
            liquidators: u32::try_from(self.liquidators.len()).unwrap_or(u32::MAX),
            ..StopDetail::default()
        };
        for l in self.liquidators.iter() {
            if !l.works_at(r.gas_price) || l.gas_per_liquidation() > settings.block_gas {
                detail.priced_out = detail.priced_out.saturating_add(1);
            } else if !l.capital().is_positive() {
                detail.out_of_capital = detail.out_of_capital.saturating_add(1);
            } else {
                detail.unprofitable = detail.unprofitable.saturating_add(1);
            }
        }
        self.detail = detail;
        if !at_rest {
            return Ok(Some(Stop::BlockLimit));
        }
        Ok(Some(if stale {
            Stop::Stale
        } else if detail.liquidatable == 0 {
            Stop::Exhausted
        } else if detail.unprofitable > 0 {
            Stop::Unprofitable
        } else {
            Stop::NoLiquidators
        }))
    }

    /// The report at the equilibrium (this block): the figures so far, the equilibrium's
    /// prices and drops, and every venue's totals and debt under water at the market price.
    fn equilibrium(&self, stop: Stop) -> Result<Report> {
        let mut report = self.report.clone();
        let price = self.market.price();
        report.stop = stop;
        report.stop_detail = self.detail;
        report.exogenous_drop = report.start_price.sub(report.fundamental_price)?;
        report.cascade_drop = report.start_price.sub(report.equilibrium_price)?;
        report.amplification = if report.exogenous_drop.is_positive() {
            Some(report.cascade_drop.div_ceil(report.exogenous_drop)?)
        } else {
            None
        };
        let mut unrealised = Wad::ZERO;
        for (summary, venue) in report.venues.iter_mut().zip(self.venues.iter()) {
            let (collateral, debt) = totals(venue.accounts)?;
            let mut under = Wad::ZERO;
            // An options venue owes its shorts' value, `⌈q · ⌈V(P)⌉⌉`, priced once.
            let (unit, options) = match venue.params().kind {
                VenueKind::Options(book) => (Some(book.owed_per_unit(price)?), Some(venue.options)),
                _ => (None, None),
            };
            for a in venue.accounts.iter() {
                let cover = a.collateral.mul_floor(price)?;
                let owed = match unit {
                    Some(u) => a.debt.mul_ceil(u)?,
                    None => a.debt,
                };
                if owed > cover {
                    under = under.add(owed.sub(cover)?)?;
                }
            }
            // An option pool is under water by its deficit, `max(−E, 0)` (its providers' equity
            // below zero, whoever of its layers covers it): the pool's insolvency now, beside
            // the accounts' debt under water.
            if let Some(pool) = venue.pool() {
                under = under.add(pool.equity.neg()?.max(Wad::ZERO))?;
            }
            *summary = VenueSummary {
                ledger: venue.ledger,
                collateral,
                debt,
                unrealised: under,
                insolvency: venue.ledger.debt_written_off.add(under)?,
                options,
                option_pool: venue.pool(),
            };
            unrealised = unrealised.add(under)?;
        }
        report.unrealised = unrealised;
        report.insolvency = report.bad_debt.add(unrealised)?;
        Ok(report)
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

/// Whether, with traders acting, the auction may stop popping the queue at a next slot of key `top`
/// (`None` for a held slot): it is stalled (`why`, see [`Bidders::stalled`]), so every account
/// still to come would be declined for the same reason until the market moves (every bidder
/// that can send is unpaid at an unbounded offer, and its ceiling is non-decreasing in the
/// offer, so [`Bidders::serve`] finds it unpaid on every account: nothing is liquidated, and
/// the state stays as it is for the rest of the block), and the top is
/// below every bankrupt account. A bankrupt account (no collateral, some debt) is keyed
/// `Wad::MAX` ([`keys`]: its weighted collateral is zero) or 0 (never offered), and a slot
/// not yet popped is not stale, so no account left in the queue would be settled: the only
/// outcomes left to the rest of the block are the held actors' (taken in their own order, so
/// settlements keep their order) and the count of the unserved, which the block-end exposure
/// makes without popping them ([`Exposure::tally`]).
fn stalled_past(why: Option<&Served>, top: Option<Wad>) -> bool {
    why.is_some() && top.is_some_and(|key| key < Wad::MAX)
}

/// `price · (1 − band)` rounded down (a band never watches fewer accounts than it says).
fn below(price: Wad, band: Wad) -> Result<Wad> {
    price.mul_floor(Wad::ONE.sub(band)?)
}

/// The account a slot points to.
fn account<'b>(accounts: &'b mut [Borrower], slot: &Slot) -> Result<&'b mut Borrower> {
    let i = usize::try_from(slot.index).map_err(|_| Error::Overflow)?;
    accounts
        .get_mut(i)
        .ok_or(Error::invalid("queue", "a queue slot points past the venue's accounts"))
}
